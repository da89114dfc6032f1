// cwmpd: the CWMP agent daemon, a thin main over libcwmp.
//
//   cwmpd -c FILE      run with the configuration FILE (see cwmp/agent/config.h)
//   cwmpd --check -c FILE   check the configuration and exit
//
// The board is the one of those built in (meson option `boards`) that the
// configuration names (`board = NAME`); its `[board]` section reaches the
// board's factory verbatim.
//
// Signals: SIGTERM/SIGINT end it gracefully; SIGHUP re-reads the
// configuration (log level and destination, ACS URL and credentials).
//
// Exit status, the contract with the supervisor (tools/cwmpd/cwmpd.service):
//   0  stopped by a signal
//   2  bad configuration (an unknown board or board key included) or store
//   3  reboot: the ACS asked for one (or a download needs one); the board's
//      reboot() has run (a real board reboots the device), the supervisor
//      starts cwmpd again otherwise, and it informs 1 BOOT + M Reboot
//   4  factory reset: the agent's store and the board's settings are wiped
//      and the board's factory_reset() has run; the supervisor starts cwmpd
//      again (or the device reboots), and it informs 0 BOOTSTRAP + 1 BOOT
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "boards.h"
#include "cwmp/agent/agent.h"
#include "cwmp/agent/config.h"
#include "cwmp/agent/tasks.h"
#include "cwmp/connreq/server.h"
#include "cwmp/dm/engine.h"
#include "cwmp/platform/board.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/store/board_settings.h"
#include "cwmp/store/store.h"
#include "cwmp/util/log.h"
#include "cwmp/util/survive.h"

namespace {

constexpr int kExitConfig = 2;
constexpr int kExitReboot = 3;
constexpr int kExitFactoryReset = 4;

std::int64_t wall_clock() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A file descriptor that closes itself.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

int usage() {
    std::fprintf(stderr, "usage: cwmpd -c CONFIG [--check]\n");
    return kExitConfig;
}

void apply_defaults(cwmp::dm::Engine& engine, const cwmp::agent::DaemonConfig& config, const cwmp::util::Log& log) {
    for (const auto& [name, value] : config.defaults)
        if (cwmp::dm::Outcome r = engine.set_runtime_default(name, value); !r)
            log.warning("configuration default " + name + ": " + r.message);
}

// The built-in board the configuration names (the only one built when it
// names none); throws ConfigError naming file, line and key otherwise.
const cwmp::daemon::BuiltBoard& choose_board(const cwmp::agent::DaemonConfig& c) {
    const auto boards = cwmp::daemon::built_boards();
    std::string names;
    for (const auto& b : boards) names += (names.empty() ? "" : ", ") + std::string(b.name);
    const std::string at = c.board_config.file + ":" + std::to_string(c.board_line) + ": board";
    if (c.board.empty()) {
        if (boards.size() == 1) return boards.front();
        throw cwmp::agent::ConfigError(c.board_config.file + ": board = NAME is required (built in: " + names + ")");
    }
    for (const auto& b : boards) {
        if (b.name != c.board) continue;
        if (!c.profile.empty() && c.profile != b.profile)
            throw cwmp::agent::ConfigError(c.board_config.file + ":" + std::to_string(c.profile_line) +
                                           ": profile: board " + c.board + " binds profile " +
                                           std::string(b.profile) + ", not " + c.profile);
        return b;
    }
    throw cwmp::agent::ConfigError(at + ": unknown board " + c.board + " (built in: " + names + ")");
}

// Whether two [board] sections say the same (lines aside).
bool same_entries(const cwmp::platform::BoardConfig& a, const cwmp::platform::BoardConfig& b) {
    return std::equal(a.entries.begin(), a.entries.end(), b.entries.begin(), b.entries.end(),
                      [](const auto& x, const auto& y) { return x.key == y.key && x.value == y.value; });
}

// Where a board keeps files of its own unless its section says otherwise.
std::string state_dir(const cwmp::agent::DaemonConfig& c) {
    std::string dir = std::filesystem::path(c.store).parent_path().string();
    return dir.empty() ? "." : dir;
}

cwmp::agent::AgentOptions agent_options(const cwmp::agent::DaemonConfig& c) {
    return {c.acs, c.startup_delay_max, c.notification_poll_interval, c.staging_dir};
}

// The local address the ACS is reached from (a UDP "connect" sends nothing):
// what ConnectionRequestURL advertises unless the configuration names one.
std::string local_address_towards(const std::string& url) {
    std::string host;
    std::string port = url.starts_with("https") ? "443" : "80";
    if (CURLU* u = curl_url()) {
        char* h = nullptr;
        char* p = nullptr;
        if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
            if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) host = h;
            if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK) port = p;
        }
        curl_free(h);
        curl_free(p);
        curl_url_cleanup(u);
    }
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    std::string local = "127.0.0.1";
    if (!host.empty() && ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) == 0 && found != nullptr) {
        Fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        char text[INET_ADDRSTRLEN];
        if (s.get() >= 0 && ::connect(s.get(), found->ai_addr, found->ai_addrlen) == 0 &&
            ::getsockname(s.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
            ::inet_ntop(AF_INET, &addr.sin_addr, text, sizeof text) != nullptr)
            local = text;
        ::freeaddrinfo(found);
    }
    return local;
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
    const cwmp::daemon::BuiltBoard* built = nullptr;
    try {
        config = cwmp::agent::load_config(config_path);
        built = &choose_board(config);
        if (check_only) {  // the board's factory checks its section
            cwmp::platform::MemorySettings scratch;
            const cwmp::util::Log quiet(cwmp::util::Log::Sink::None);
            (void)built->make({config.board_config, wall_clock, state_dir(config), scratch, quiet});
            return 0;
        }
    } catch (const cwmp::agent::ConfigError& e) {
        std::fprintf(stderr, "cwmpd: %s\n", e.what());
        return kExitConfig;
    } catch (const cwmp::platform::BoardConfigError& e) {
        std::fprintf(stderr, "cwmpd: %s\n", e.what());
        return kExitConfig;
    }

    // Signals arrive through a descriptor the main loop polls.
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    Fd signal_fd(signalfd(-1, &signals, SFD_CLOEXEC));

    auto log = std::make_unique<cwmp::util::Log>(config.log_sink, config.log_level);  // reconfigured in place
    try {
        cwmp::store::Store store(config.store);
        cwmp::store::BoardSettings settings(store);
        std::unique_ptr<cwmp::platform::Board> made;
        try {
            made = built->make({config.board_config, wall_clock, state_dir(config), settings, *log});
        } catch (const cwmp::platform::BoardConfigError& e) {
            log->error(e.what());
            return kExitConfig;
        }
        cwmp::platform::Board& board = *made;
        log->info("board " + std::string(built->name) + ", profile " + std::string(built->profile));
        cwmp::dm::Context ctx(board);
        cwmp::dm::Engine engine(built->schema, ctx, store);
        cwmp::agent::Tasks tasks(store, wall_clock);
        cwmp::rpc::Cpe cpe(engine, tasks);
        apply_defaults(engine, config, *log);
        cwmp::connreq::Server connreq(
            {.address = config.connection_request_bind,
             .port = config.connection_request_port,
             .path = config.connection_request_path,
             .max_requests_per_minute = config.connection_request_rate},
            [&engine](std::string& user, std::string& password) {
                (void)engine.get_value("Device.ManagementServer.ConnectionRequestUsername", user);
                (void)engine.get_value("Device.ManagementServer.ConnectionRequestPassword", password);
            },
            wall_clock, *log);
        const std::string address = config.connection_request_address.empty()
                                        ? local_address_towards(config.acs.url)
                                        : config.connection_request_address;
        (void)engine.set_runtime("Device.ManagementServer.ConnectionRequestURL",
                                 "http://" + address + ":" + std::to_string(connreq.port()) +
                                     config.connection_request_path);
        cwmp::agent::Agent agent(engine, tasks, cpe, store, board, *log, wall_clock, agent_options(config),
                                 std::random_device{}());
        board.on_change([&agent] { agent.values_may_have_changed(); });
        board.on_request_download([&agent](const std::string& type, const cwmp::platform::Board::DownloadArgs& args) {
            return agent.request_download(type, args);
        });
        log->info("started: ACS " + config.acs.url + ", store " + config.store);
        board.start();
        agent.start();
        using cwmp::util::survive;
        for (;;) {
            // Each entry point survives whatever it throws (logged, and the loop goes on);
            // after a failed step the agent is looked at again in a second.
            std::int64_t due = wall_clock() + 1;
            survive(*log, "agent step (timers, transfers, session)", [&] { due = agent.step(); });
            if (const auto action = agent.pending_action(); action != cwmp::agent::Agent::Action::None) {
                board.stop();
                if (action == cwmp::agent::Agent::Action::FactoryReset) {
                    log->info("factory reset: the store and the board's settings go back to defaults");
                    // The request is cleared last: a crash on the way redoes it all.
                    engine.reset();
                    settings.wipe();
                    store.commit([] {
                        cwmp::store::Store::Batch b;
                        b.erase("agent", "bootstrap-url");
                        b.erase("agent", "config-url");
                        return b;
                    }());
                    tasks.clear_events();
                    tasks.clear_reboot();
                    tasks.clear_factory_reset();
                    try {
                        board.factory_reset();
                    } catch (const std::runtime_error& e) {
                        log->error(std::string("board factory reset: ") + e.what());
                    }
                    return kExitFactoryReset;
                }
                log->info("rebooting (as the ACS asked, or to finish installing a download)");
                tasks.clear_reboot();
                try {
                    board.reboot();
                } catch (const std::runtime_error& e) {
                    log->error(std::string("board reboot: ") + e.what());
                }
                return kExitReboot;
            }
            const std::int64_t wait_s = std::clamp<std::int64_t>(due - wall_clock(), 0, 3600);
            std::vector<pollfd> fds{{signal_fd.get(), POLLIN, 0}, {board.event_fd(), POLLIN, 0}};
            connreq.add_to_poll(fds);
            // Clients with a deadline are looked at again within a second.
            int timeout_ms = fds.size() > 3 ? std::min<int>(1000, static_cast<int>(wait_s * 1000))
                                            : static_cast<int>(wait_s * 1000);
            fds.push_back({agent.event_fd(), POLLIN, 0});  // a diagnostic finished: step() collects it
            // A session retry waits to the millisecond (TR-069's window is not in whole seconds).
            if (const auto retry = agent.retry_wait_left(); retry.count() > 0)
                timeout_ms = static_cast<int>(std::min<std::int64_t>(timeout_ms, retry.count()));
            if (::poll(fds.data(), fds.size(), timeout_ms) < 0) continue;
            if ((fds[1].revents & POLLIN) != 0)  // a negative fd is never ready
                survive(*log, "board event", [&] { board.on_event(); });
            survive(*log, "connection-request server", [&] {
                if (connreq.serve() > 0) agent.request_session("6 CONNECTION REQUEST");
            });
            if ((fds[0].revents & POLLIN) == 0) continue;
            signalfd_siginfo info{};
            if (::read(signal_fd.get(), &info, sizeof info) != sizeof info) continue;
            if (info.ssi_signo == SIGHUP) {
                survive(*log, "configuration reload", [&] {
                    try {
                        cwmp::agent::DaemonConfig reloaded = cwmp::agent::load_config(config_path);
                        if (&choose_board(reloaded) != built ||
                            !same_entries(reloaded.board_config, config.board_config))
                            log->warning("the board and its [board] section change at the next start only");
                        config = std::move(reloaded);
                        log->reconfigure(config.log_sink, config.log_level);
                        agent.set_options(agent_options(config));
                        log->info("configuration reloaded");
                    } catch (const cwmp::agent::ConfigError& e) {
                        log->error(std::string("reload refused: ") + e.what());
                    }
                });
                continue;
            }
            log->info("stopping on signal " + std::to_string(info.ssi_signo));
            board.stop();
            return 0;
        }
    } catch (const cwmp::store::StoreError& e) {
        log->error(e.what());
        return kExitConfig;
    } catch (const std::runtime_error& e) {  // the connection-request port, for one
        log->error(e.what());
        return kExitConfig;
    }
}
