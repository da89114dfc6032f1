// cwmpd: the CWMP agent daemon, a thin main over libcwmp.
//
//   cwmpd -c FILE      run with the configuration FILE (see cwmp/agent/config.h)
//   cwmpd --check -c FILE   check the configuration and exit
//
// Signals: SIGTERM/SIGINT end it gracefully; SIGHUP re-reads the
// configuration (log level and destination, ACS URL and credentials).
// Exit status: 0 stopped by a signal; 2 bad configuration or store;
// 3 the ACS asked for a reboot or factory reset (the supervisor starts
// cwmpd again, as a device would boot).
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "board.h"
#include "cwmp/agent/agent.h"
#include "cwmp/agent/config.h"
#include "cwmp/agent/tasks.h"
#include "cwmp/dm/engine.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/store/store.h"
#include "cwmp/util/log.h"

namespace cwmp::gen {
extern const cwmp::dm::Schema schema;
}

namespace {

constexpr int kExitConfig = 2;
constexpr int kExitReboot = 3;

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
    const std::string url = "http://" + config.connection_request_address + ":" +
                            std::to_string(config.connection_request_port) + config.connection_request_path;
    (void)engine.set_runtime("Device.ManagementServer.ConnectionRequestURL", url);
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
    try {
        config = cwmp::agent::load_config(config_path);
    } catch (const cwmp::agent::ConfigError& e) {
        std::fprintf(stderr, "cwmpd: %s\n", e.what());
        return kExitConfig;
    }
    if (config.board != "sim" || config.profile != "rdk-stb") {
        std::fprintf(stderr, "cwmpd: %s: this cwmpd is built for board sim and profile rdk-stb\n",
                     config_path.c_str());
        return kExitConfig;
    }
    if (check_only) return 0;

    // Signals arrive through a descriptor the main loop polls.
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    Fd signal_fd(signalfd(-1, &signals, SFD_CLOEXEC));

    auto log = std::make_unique<cwmp::util::Log>(config.log_sink, config.log_level);  // reconfigured in place
    try {
        cwmp::store::Store store(config.store);
        cwmp::sim::SimBoard board(wall_clock, {.extra_channels = config.sim_extra_channels});
        cwmp::dm::Context ctx(board);
        cwmp::dm::Engine engine(cwmp::gen::schema, ctx, store);
        cwmp::agent::Tasks tasks(store, wall_clock);
        cwmp::rpc::Cpe cpe(engine, tasks);
        apply_defaults(engine, config, *log);
        cwmp::agent::Agent agent(engine, tasks, cpe, store, *log, wall_clock,
                                 {config.acs, config.startup_delay_max}, std::random_device{}());
        log->info("started: ACS " + config.acs.url + ", store " + config.store);
        agent.start();
        for (;;) {
            const std::int64_t due = agent.step();
            if (const auto action = agent.pending_action(); action != cwmp::agent::Agent::Action::None) {
                if (action == cwmp::agent::Agent::Action::FactoryReset) {
                    log->info("factory reset: the store goes back to defaults");
                    engine.reset();
                    tasks.clear_events();
                    tasks.clear_factory_reset();
                    tasks.clear_reboot();
                    store.commit([] {
                        cwmp::store::Store::Batch b;
                        b.erase("agent", "bootstrap-url");
                        b.erase("agent", "config-url");
                        return b;
                    }());
                } else {
                    log->info("reboot requested by the ACS");
                    tasks.clear_reboot();
                }
                return kExitReboot;
            }
            const std::int64_t wait_s = std::clamp<std::int64_t>(due - wall_clock(), 0, 3600);
            pollfd p{signal_fd.get(), POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(wait_s * 1000)) <= 0) continue;
            signalfd_siginfo info{};
            if (::read(signal_fd.get(), &info, sizeof info) != sizeof info) continue;
            if (info.ssi_signo == SIGHUP) {
                try {
                    config = cwmp::agent::load_config(config_path);
                    log->reconfigure(config.log_sink, config.log_level);
                    agent.set_options({config.acs, config.startup_delay_max});
                    log->info("configuration reloaded");
                } catch (const cwmp::agent::ConfigError& e) {
                    log->error(std::string("reload refused: ") + e.what());
                }
                continue;
            }
            log->info("stopping on signal " + std::to_string(info.ssi_signo));
            return 0;
        }
    } catch (const cwmp::store::StoreError& e) {
        log->error(e.what());
        return kExitConfig;
    }
}
