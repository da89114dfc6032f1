// What a platform function is called with: the board it runs on.  The
// board contract itself (Board, Context, Settings, the factory) is
// cwmp/platform/board.h; this header stays for the code that includes it.
#pragma once

#include "cwmp/platform/board.h"
