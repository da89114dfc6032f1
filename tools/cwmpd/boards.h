// The boards built into this cwmpd (platform/meson.build generates the list
// from the meson option `boards`): cwmpd runs the one its configuration names.
#pragma once

#include <span>

#include "cwmp/daemon/daemon.h"

namespace cwmp::daemon {

std::span<const BuiltBoard> built_boards();

}  // namespace cwmp::daemon
