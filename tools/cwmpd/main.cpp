// cwmpd: the CWMP agent daemon, a thin main over libcwmp (cwmp/daemon/daemon.h
// runs it: signals, exit statuses, what the loop watches).
//
//   cwmpd -c FILE           run with the configuration FILE (see cwmp/agent/config.h)
//   cwmpd --check -c FILE   check the configuration and the board's section, and exit
//
// The board is the one of those built in (meson option `boards`) that the
// configuration names (`board = NAME`); its `[board]` section reaches the
// board's factory verbatim.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "boards.h"
#include "cwmp/agent/config.h"
#include "cwmp/daemon/daemon.h"
#include "cwmp/platform/board.h"

namespace {

int usage() {
    std::fprintf(stderr, "usage: cwmpd -c CONFIG [--check]\n");
    return cwmp::daemon::kExitConfig;
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    bool check_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "-c" || a == "--config") && i + 1 < argc) {
            config_path = argv[++i];
        } else if (a == "--check") {
            check_only = true;
        } else {
            return usage();
        }
    }
    if (config_path.empty()) return usage();

    cwmp::agent::DaemonConfig config;
    const cwmp::daemon::BuiltBoard* board = nullptr;
    try {
        config = cwmp::agent::load_config(config_path);
        board = &cwmp::daemon::choose_board(cwmp::daemon::built_boards(), config);
        if (check_only) {
            cwmp::daemon::check_board(*board, config);
            return 0;
        }
    } catch (const cwmp::agent::ConfigError& e) {
        std::fprintf(stderr, "cwmpd: %s\n", e.what());
        return cwmp::daemon::kExitConfig;
    } catch (const cwmp::platform::BoardConfigError& e) {
        std::fprintf(stderr, "cwmpd: %s\n", e.what());
        return cwmp::daemon::kExitConfig;
    } catch (const std::runtime_error& e) {  // --check: the board could not be built (a socket, say)
        const std::string who = board ? "board " + std::string(board->name) + " cannot start: " : std::string();
        std::fprintf(stderr, "cwmpd: %s%s\n", who.c_str(), e.what());
        return cwmp::daemon::kExitConfig;
    }
    return cwmp::daemon::run(config_path, std::move(config), *board);
}
