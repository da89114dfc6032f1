// cwmpd's configuration file: `key = value` lines, `#` comments.  Keys:
//   acs_url, acs_username, acs_password      the ACS until it sets its own (ManagementServer.URL...)
//   ca_file, client_cert, client_key         TLS: CA bundle, client certificate and key (PEM)
//   tls_verify                               true (default) or false
//   store                                    the SQLite file of the agent's state
//   board                                    which of the boards built in to run (default: the only
//                                            one built); an unknown name stops cwmpd at start
//   profile                                  optional: the board's device profile, checked
//   log                                      stderr (default) or syslog
//   log_level                                debug, info (default), warning, error
//   startup_delay_max                        seconds; the first session waits a random 0..max
//   connection_request_port, connection_request_path   where the ACS's connection requests arrive
//   connection_request_bind                  address to listen on (default ::, every IPv6 and
//                                            IPv4 address; 0.0.0.0 where the host has no IPv6)
//   connection_request_address               address for ConnectionRequestURL (default: the
//                                            local address the ACS is reached from)
//   udp_connection_request_port              UDP port of UDP connection requests and STUN (TR-069
//                                            Annex G; default: the HTTP server's port number)
//   connection_request_rate                  accepted connection requests per minute (default 30)
//   notification_poll_interval               seconds between comparisons of notified values (default 5)
//   idle_page_out                            seconds: once no session has started for this long and
//                                            none is planned as soon, once per session, cwmpd gives
//                                            its clean file pages back to the kernel (default 60; 0: never)
//   staging_dir                              where downloads land before they are applied
//   transfer_max_concurrent                  transfers moving at once (default 1, at most 16); the
//                                            others wait, queued (GetQueuedTransfers State 1)
//   transfer_stall_time, transfer_low_speed_limit   a transfer moving less than low_speed_limit
//                                            bytes/s (default 1) for stall_time s (default 60,
//                                            at least 2: libcurl samples the speed once a
//                                            second, its first sample reads 0) fails
//                                            (9010/9011); there is no total-time limit
//   control_socket                           cwmpctl's UNIX socket (default: none, no local control)
//   control_group                            a group whose members may use it besides root
//   Device.<parameter> = value               factory default of a runtime-owned parameter
// After a line `[board]`, every `key = value` line to the end of the file
// belongs to the board and reaches its factory verbatim (file and line
// kept); the board refuses keys it does not know (platform/<board>/README or
// its factory lists them).
// A bad line is an error naming file, line and key.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cwmp/platform/board.h"
#include "cwmp/session/http.h"
#include "cwmp/util/log.h"

namespace cwmp::agent {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct DaemonConfig {
    session::HttpOptions acs;
    std::string store = "/var/lib/cwmpd/agent.db";
    std::string board;       // "" = the only board built in
    int board_line = 0;      // where `board =` was written (for messages)
    std::string profile;     // "" = whatever the board binds
    int profile_line = 0;
    util::Log::Sink log_sink = util::Log::Sink::Stderr;
    util::Level log_level = util::Level::Info;
    std::uint32_t startup_delay_max = 0;
    std::uint16_t connection_request_port = 7547;
    std::string connection_request_path = "/";
    std::string connection_request_bind = "::";
    std::string connection_request_address;  // "" = the local address towards the ACS
    unsigned connection_request_rate = 30;
    std::optional<std::uint16_t> udp_connection_request_port;  // none: the HTTP port's number
    std::uint32_t notification_poll_interval = 5;
    std::uint32_t idle_page_out = 60;  // seconds; 0 = never
    std::string staging_dir = "/tmp";
    std::uint32_t transfer_max_concurrent = 1;
    std::uint32_t transfer_stall_time = 60;       // seconds
    std::uint32_t transfer_low_speed_limit = 1;   // bytes per second
    std::string control_socket;  // "" = no control socket
    std::string control_group;   // "" = root only
    std::vector<std::pair<std::string, std::string>> defaults;  // Device.* factory defaults
    platform::BoardConfig board_config;  // the [board] section, verbatim
};

DaemonConfig load_config(const std::string& path);
DaemonConfig parse_config(const std::string& text, const std::string& name);

}  // namespace cwmp::agent
