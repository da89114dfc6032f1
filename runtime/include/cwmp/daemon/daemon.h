// The daemon: a board and libcwmp's parts (store, engine, agent, the
// connection-request servers for HTTP, UDP/STUN and XMPP, cwmpctl's socket)
// wired onto the agent's event loop and run until a signal, a reboot or a
// factory reset.  cwmpd's main (tools/cwmpd/main.cpp) only parses its
// arguments, reads the configuration and picks the board; a vendor's own
// daemon built out of tree against the installed libcwmp does the same.
//
// Signals: SIGTERM/SIGINT end it gracefully; SIGHUP re-reads the
// configuration (log level and destination, ACS URL and credentials).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "cwmp/agent/config.h"
#include "cwmp/dm/schema.h"
#include "cwmp/platform/board.h"

namespace cwmp::daemon {

// Exit status, the contract with the supervisor (tools/cwmpd/cwmpd.service).
enum ExitStatus : int {
    kExitStopped = 0,       // stopped by a signal
    kExitConfig = 2,        // bad configuration (an unknown board or board key included), a board
                            // that cannot be built (a socket it needs), or store
    kExitReboot = 3,        // the ACS asked for a reboot (or a download needs one); the board's
                            // reboot() has run, the supervisor starts cwmpd again otherwise,
                            // and it informs 1 BOOT + M Reboot
    kExitFactoryReset = 4,  // the agent's store and the board's settings are wiped and the
                            // board's factory_reset() has run; the supervisor starts cwmpd
                            // again (or the device reboots): 0 BOOTSTRAP + 1 BOOT
};

// A board built into a daemon, with the device profile it binds.
struct BuiltBoard {
    std::string_view name;     // `board = NAME`
    std::string_view profile;  // the device profile it binds
    const dm::Schema& schema;  // that profile's tables
    platform::BoardFactory* make;
};

// The built-in board the configuration names (the only one built when it
// names none); throws agent::ConfigError naming file, line and key otherwise,
// and for a model default (`Path.Of.A.Parameter = value`) outside the root
// object of the board's profile.
const BuiltBoard& choose_board(std::span<const BuiltBoard> boards, const agent::DaemonConfig& config);

// `--check`: the board's factory reads its section (with scratch settings,
// nothing started); throws platform::BoardConfigError for a bad one, and
// std::runtime_error when the board cannot be built (a socket it opens, say).
// run() answers both with kExitConfig and a message.
void check_board(const BuiltBoard& board, const agent::DaemonConfig& config);

// Runs the daemon on the calling thread; returns its exit status.  Blocks
// SIGTERM, SIGINT and SIGHUP first (every thread started later inherits the
// mask) and receives them through a signalfd on the loop; ignores SIGPIPE
// (a write to a closed peer fails with EPIPE instead of ending the daemon).
int run(const std::string& config_path, agent::DaemonConfig config, const BuiltBoard& board);

}  // namespace cwmp::daemon
