// The boards this vendor's cwmpd knows (cwmpd's main finds them by the name
// its configuration gives: board = example).  In the project's own build,
// platform/meson.build generates this list from the meson option `boards`.
#include "boards.h"

namespace cwmp::boards {
platform::BoardFactory make_example;
}
namespace cwmp::gen::inline board_example {
extern const dm::Schema schema;
}

namespace cwmp::daemon {

std::span<const BuiltBoard> built_boards() {
    static const BuiltBoard boards[] = {
        {"example", "board-example", cwmp::gen::board_example::schema, &cwmp::boards::make_example},
    };
    return boards;
}

}  // namespace cwmp::daemon
