#pragma once
#include "cwmp/platform_api.h"
