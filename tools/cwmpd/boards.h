// The boards built into this cwmpd (platform/meson.build generates the list
// from the meson option `boards`): cwmpd runs the one its configuration names.
#pragma once

#include <span>
#include <string_view>

#include "cwmp/dm/schema.h"
#include "cwmp/platform/board.h"

namespace cwmp::daemon {

struct BuiltBoard {
    std::string_view name;     // `board = NAME`
    std::string_view profile;  // the device profile it binds
    const dm::Schema& schema;  // that profile's tables
    platform::BoardFactory* make;
};

std::span<const BuiltBoard> built_boards();

}  // namespace cwmp::daemon
