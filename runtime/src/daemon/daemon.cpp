#include "cwmp/daemon/daemon.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "cwmp/agent/agent.h"
#include "cwmp/agent/settings.h"
#include "cwmp/connreq/address.h"
#include "cwmp/connreq/features.h"
#include "cwmp/connreq/server.h"
#include "cwmp/connreq/udp.h"
#include "cwmp/ctl/server.h"
#include "cwmp/dm/engine.h"
#include "cwmp/dm/own.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/store/board_settings.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/transfer/manager.h"
#include "cwmp/util/fd.h"
#include "cwmp/util/log.h"
#include "cwmp/util/survive.h"
#include "cwmp/xmpp/service.h"
#include "page_out.h"

namespace cwmp::daemon {
namespace {

std::int64_t wall_clock() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Where a board keeps files of its own unless its section says otherwise.
std::string state_dir(const agent::DaemonConfig& c) {
    std::string dir = std::filesystem::path(c.store).parent_path().string();
    return dir.empty() ? "." : dir;
}

agent::AgentOptions agent_options(const agent::DaemonConfig& c) {
    return {c.acs, c.startup_delay_max, c.notification_poll_interval, c.staging_dir,
            c.transfer_max_concurrent, c.transfer_stall_time, c.transfer_low_speed_limit};
}

void apply_defaults(dm::Engine& engine, const agent::DaemonConfig& config, const util::Log& log) {
    for (const auto& [name, value] : config.defaults)
        if (dm::Outcome r = engine.set_runtime_default(name, value); !r)
            log.warning("configuration default " + name + ": " + r.message);
}

// Whether two [board] sections say the same (lines aside).
bool same_entries(const platform::BoardConfig& a, const platform::BoardConfig& b) {
    return std::equal(a.entries.begin(), a.entries.end(), b.entries.begin(), b.entries.end(),
                      [](const auto& x, const auto& y) { return x.key == y.key && x.value == y.value; });
}

// A loop callback that survives whatever it throws (logged with `what`).
template <class F>
auto surviving(const util::Log& log, std::string_view what, F f) {
    return [&log, what, f = std::move(f)](auto&&... args) {
        util::survive(log, what, [&] { f(std::forward<decltype(args)>(args)...); });
    };
}

void shorten(int& timeout_ms, std::int64_t ms) {
    const int capped = static_cast<int>(std::clamp<std::int64_t>(ms, 0, INT32_MAX));
    timeout_ms = timeout_ms < 0 ? capped : std::min(timeout_ms, capped);
}

// Everything a running daemon is made of, built in dependency order and torn
// down in reverse.
class Daemon {
public:
    Daemon(std::string config_path, agent::DaemonConfig config, const BuiltBoard& built, util::Fd signals,
           util::Log& log, std::unique_ptr<store::Store> store, std::unique_ptr<platform::Board> board,
           std::unique_ptr<store::BoardSettings> settings);
    int run();

private:
    void watch_inputs();
    void on_signal();
    void reload();
    int carry_out(agent::Agent::Action action);
    bool http_connreq_enabled();
    std::unique_ptr<connreq::UdpEndpoint> make_udp();
    void release_idle_memory();
    void page_out_idle();

    std::string config_path_;
    agent::DaemonConfig config_;
    const BuiltBoard& built_;
    util::Fd signals_;
    util::Log& log_;
    std::unique_ptr<store::Store> store_;
    std::unique_ptr<store::BoardSettings> settings_;
    std::unique_ptr<platform::Board> board_;
    dm::Context ctx_;
    dm::Engine engine_;
    tasks::Tasks tasks_;
    rpc::Cpe cpe_;
    connreq::Server connreq_;
    std::unique_ptr<connreq::UdpEndpoint> udp_;
    std::unique_ptr<xmpp::Service> xmpp_;
    std::unique_ptr<agent::Agent> agent_;
    std::unique_ptr<ctl::Commands> commands_;
    std::unique_ptr<ctl::Server> control_;
    std::optional<int> exit_;                // set by a signal
    std::optional<std::uint64_t> enable_read_at_;  // engine revision HTTPConnectionRequestEnable was read at
    std::optional<std::size_t> released_after_;    // the agent's session count at the last release_idle_memory()
    std::optional<std::size_t> paged_out_after_;   // ... at the last page_out_idle()
    bool page_out_failed_ = false;                 // the kernel refused (logged once): not tried again
};

Daemon::Daemon(std::string config_path, agent::DaemonConfig config, const BuiltBoard& built, util::Fd signals,
               util::Log& log, std::unique_ptr<store::Store> store, std::unique_ptr<platform::Board> board,
               std::unique_ptr<store::BoardSettings> settings)
    : config_path_(std::move(config_path)),
      config_(std::move(config)),
      built_(built),
      signals_(std::move(signals)),
      log_(log),
      store_(std::move(store)),
      settings_(std::move(settings)),
      board_(std::move(board)),
      ctx_(*board_),
      engine_(built.schema, ctx_, *store_),
      tasks_(*store_, wall_clock, log_),
      cpe_(engine_, tasks_, &log_),
      connreq_(
          {.address = config_.connection_request_bind,
           .port = config_.connection_request_port,
           .path = config_.connection_request_path,
           .max_requests_per_minute = config_.connection_request_rate},
          [this](std::string& user, std::string& password) {
              // Unreadable (logged by the agent): empty, so no request passes.
              const agent::ManagementServerSettings ms = agent_->settings();
              user = ms.connection_request_username;
              password = ms.connection_request_password;
          },
          wall_clock, log) {
    engine_.set_log(&log_);
    apply_defaults(engine_, config_, log_);
    std::string address = config_.connection_request_address;
    if (address.empty()) address = connreq::local_address_towards(config_.acs.url);
    if (address.empty()) address = "127.0.0.1";
    dm::require_value(engine_, engine_.schema().paths.management_server.connection_request_url,
                      connreq::http_url(address, connreq_.port(), config_.connection_request_path));
    connreq::declare_features(engine_, connreq::available(engine_.schema().paths));
    udp_ = make_udp();
    // NATDetected and UDPConnectionRequestAddress before the first Inform; when
    // it is due next the run loop asks again.
    (void)udp_->step();
    xmpp_ = std::make_unique<xmpp::Service>(
        engine_, log_, wall_clock,
        xmpp::ServiceOptions{.ca_file = config_.acs.ca_file, .max_requests_per_minute = config_.connection_request_rate});
    agent_ = std::make_unique<agent::Agent>(engine_, tasks_, cpe_, *store_, *board_, log_, wall_clock,
                                            agent_options(config_), std::random_device{}());
    board_->on_change([this] { agent_->values_may_have_changed(); });
    udp_->on_published([this] { agent_->values_may_have_changed(); });
    board_->on_request_download([this](const std::string& type, const platform::Board::DownloadArgs& args) {
        return agent_->request_download(type, args);
    });
    commands_ = std::make_unique<ctl::Commands>(engine_, *agent_, tasks_, wall_clock);
    if (!config_.control_socket.empty())
        control_ = std::make_unique<ctl::Server>(
            ctl::ServerOptions{.path = config_.control_socket, .group = config_.control_group},
            [this](const ctl::Request& r, const ctl::Caller& c) { return commands_->run(r, c); }, log_);
    watch_inputs();
}

// UDP connection requests and STUN: the HTTP port's number unless configured.
std::unique_ptr<connreq::UdpEndpoint> Daemon::make_udp() {
    auto on_port = [&](std::uint16_t port) {
        return std::make_unique<connreq::UdpEndpoint>(
            connreq::UdpOptions{.address = config_.connection_request_bind,
                                .port = port,
                                .max_requests_per_minute = config_.connection_request_rate,
                                .fallback_acs_url = config_.acs.url},
            engine_, wall_clock, log_, std::random_device{}());
    };
    try {
        return on_port(config_.udp_connection_request_port.value_or(connreq_.port()));
    } catch (const std::runtime_error&) {
        if (config_.udp_connection_request_port) throw;
        return on_port(0);  // that number is taken for UDP: any free port
    }
}

// HTTPConnectionRequestEnable (true where the profile lacks it) opens and closes the server.
bool Daemon::http_connreq_enabled() { return agent_->settings().http_connection_request_enable; }

// Every input is a callback on the agent's loop, next to the agent's own
// (transfers, diagnostics); each survives whatever it throws.
void Daemon::watch_inputs() {
    util::Loop& loop = agent_->loop();
    loop.watch(signals_.get(), POLLIN, surviving(log_, "signal", [this](short) { on_signal(); }));
    if (board_->event_fd() >= 0)
        loop.watch(board_->event_fd(), POLLIN, surviving(log_, "board event", [this](short) { board_->on_event(); }));
    loop.attach(
        surviving(log_, "connection-request server",
                  [this](std::vector<pollfd>& fds, int& timeout_ms) {
                      if (enable_read_at_ != engine_.revision()) {
                          enable_read_at_ = engine_.revision();
                          connreq_.set_enabled(http_connreq_enabled());
                      }
                      const std::size_t before = fds.size();
                      connreq_.add_to_poll(fds);
                      // Clients besides the listener have deadlines: looked at within a second.
                      if (fds.size() > before + 1) shorten(timeout_ms, 1000);
                  }),
        surviving(log_, "connection-request server", [this](std::span<const pollfd>) {
            if (connreq_.serve() > 0) agent_->request_session("6 CONNECTION REQUEST");
        }));
    loop.attach(surviving(log_, "STUN",
                          [this](std::vector<pollfd>& fds, int& timeout_ms) {
                              const std::int64_t due_ms = udp_->step();
                              if (due_ms != INT64_MAX) shorten(timeout_ms, due_ms);
                              udp_->add_to_poll(fds);
                          }),
                surviving(log_, "UDP connection requests", [this](std::span<const pollfd>) {
                    if (udp_->serve() > 0) agent_->request_session("6 CONNECTION REQUEST");
                }));
    loop.attach(surviving(log_, "XMPP",
                          [this](std::vector<pollfd>& fds, int&) {
                              xmpp_->step();
                              xmpp_->add_to_poll(fds);
                          }),
                surviving(log_, "XMPP connection requests", [this](std::span<const pollfd>) {
                    if (xmpp_->serve() > 0) agent_->request_session("6 CONNECTION REQUEST");
                }));
    if (control_)
        loop.attach(surviving(log_, "control socket",
                              [this](std::vector<pollfd>& fds, int& timeout_ms) {
                                  control_->add_to_poll(fds);
                                  if (control_->busy()) shorten(timeout_ms, 1000);  // clients' deadlines
                              }),
                    surviving(log_, "control socket", [this](std::span<const pollfd>) { control_->serve(); }));
}

void Daemon::on_signal() {
    signalfd_siginfo info{};
    if (::read(signals_.get(), &info, sizeof info) != sizeof info) return;
    if (info.ssi_signo == SIGHUP) {
        reload();
        return;
    }
    log_.info("stopping on signal " + std::to_string(info.ssi_signo));
    exit_ = kExitStopped;
}

void Daemon::reload() {
    try {
        agent::DaemonConfig reloaded = agent::load_config(config_path_);
        if (reloaded.board != config_.board || !same_entries(reloaded.board_config, config_.board_config))
            log_.warning("the board and its [board] section change at the next start only");
        config_ = std::move(reloaded);
        log_.reconfigure(config_.log_sink, config_.log_level);
        agent_->set_options(agent_options(config_));
        log_.info("configuration reloaded");
    } catch (const agent::ConfigError& e) {
        log_.error(std::string("reload refused: ") + e.what());
    } catch (const dm::StartupError& e) {  // the model refused the new ACS settings; the next start tries again
        log_.error(std::string("reload: ") + e.what());
    }
}

// The reboot or factory reset the ACS asked for, its session over.
int Daemon::carry_out(agent::Agent::Action action) {
    board_->stop();
    if (action == agent::Agent::Action::FactoryReset) {
        log_.info("factory reset: the store and the board's settings go back to defaults");
        // The request is cleared before the board's reset, which may reboot the
        // device at once (a crash up to there redoes it all); a crash during
        // the board's reset leaves what the board wipes to its next reset.
        engine_.reset();
        settings_->wipe();
        store_->commit([] {
            store::Store::Batch b;
            b.erase("agent", "bootstrap-url");
            b.erase("agent", "config-url");
            b.erase("agent", "boot-id");  // the next start is a boot, whatever the board says
            return b;
        }());
        // Nothing the ACS queued survives either (TR-069: the next contact is
        // a BOOTSTRAP with nothing of the old ACS's pending): transfers with
        // their URLs and credentials and their files, scheduled informs,
        // download requests.
        for (const std::uint64_t id : tasks_.forget_queued())
            transfer::discard_staged(transfer::staging_path(config_.staging_dir, id), log_, "factory reset");
        tasks_.clear_reboot();
        tasks_.clear_factory_reset();
        try {
            board_->factory_reset();
        } catch (const std::runtime_error& e) {
            log_.error(std::string("board factory reset: ") + e.what());
        }
        return kExitFactoryReset;
    }
    log_.info("rebooting (as the ACS asked, or to finish installing a download)");
    tasks_.clear_reboot();
    try {
        board_->reboot();
    } catch (const std::runtime_error& e) {
        log_.error(std::string("board reboot: ") + e.what());
    }
    return kExitReboot;
}

// Memory a session (or the start) used and let go is given back to the
// system before a wait of two seconds or more, once per session: the free
// pages glibc's heap keeps (malloc_trim releases those between live blocks
// too, not only at the top) and SQLite's page cache.  Some 30-50 us of CPU
// each time, so not between sessions a second apart; a daemon idle
// between sessions (periodic Informs hours apart) keeps nothing it let go.
void Daemon::release_idle_memory() {
    if (released_after_ == agent_->sessions()) return;
    released_after_ = agent_->sessions();
    store_->release_memory();
#if defined(__GLIBC__)
    (void)malloc_trim(0);
#endif
}

// Once no session has started for idle_page_out seconds and the next planned
// one is as far away (or none is planned), once per session, at a wake of
// the loop (the change polls come every few seconds): the clean file pages
// (page_out.h).  A daemon whose sessions are hours apart then keeps its dirty
// pages alone between them; its change polls bring back the code they run.
void Daemon::page_out_idle() {
    if (page_out_failed_ || paged_out_after_ == agent_->sessions()) return;
    paged_out_after_ = agent_->sessions();
    const PageOut p = page_out_clean_file_pages();
    if (p.mappings == 0 && !p.error.empty()) {  // e.g. a kernel before 5.4 (EINVAL), or no /proc
        page_out_failed_ = true;
        log_.warning("idle: clean pages not given back (" + p.error + "); idle_page_out is off until restart");
        return;
    }
    // A mapping the kernel will not page out (a device's) is passed over.
    log_.debug("idle: " + std::to_string(p.mappings) + " read-only file mappings (" + std::to_string(p.bytes >> 10) +
               " KiB) given back to the kernel" + (p.error.empty() ? "" : "; others not: " + p.error));
}

int Daemon::run() {
    log_.info("started: ACS " + config_.acs.url + ", store " + config_.store);
    board_->start();
    agent_->start();
    for (;;) {
        // After a failed step the agent is looked at again in a second.
        std::int64_t due = wall_clock() + 1;
        util::survive(log_, "agent step (timers, transfers, session)", [&] { due = agent_->step(); });
        if (const auto action = agent_->pending_action(); action != agent::Agent::Action::None)
            return carry_out(action);
        if (exit_) break;
        std::int64_t wait_ms = std::clamp<std::int64_t>(due - wall_clock(), 0, 3600) * 1000;
        // A session retry waits to the millisecond (TR-069's window is not in whole seconds).
        if (const auto retry = agent_->retry_wait_left(); retry.count() > 0) wait_ms = std::min(wait_ms, retry.count());
        if (wait_ms >= 2000) release_idle_memory();
        if (config_.idle_page_out > 0 && wait_ms >= 2000) {
            // Idle: no session for idle_page_out seconds, none planned as soon
            // (sessions back to back would read their code back each time).
            const std::int64_t now = wall_clock(), idle = config_.idle_page_out;
            if (now - agent_->status().last_session >= idle && agent_->next_planned_session() - now >= idle)
                page_out_idle();
        }
        // A callback that throws ends its round, not the daemon.
        // How many callbacks ran does not matter: step() looks at everything again.
        util::survive(log_, "event loop", [&] { (void)agent_->loop().run_once(static_cast<int>(wait_ms)); });
        if (exit_) break;
    }
    board_->stop();
    return *exit_;
}

}  // namespace

const BuiltBoard& choose_board(std::span<const BuiltBoard> boards, const agent::DaemonConfig& c) {
    std::string names;
    for (const auto& b : boards) names += (names.empty() ? "" : ", ") + std::string(b.name);
    // Model defaults name paths below the profile's root object.
    auto checked = [&](const BuiltBoard& b) -> const BuiltBoard& {
        const std::string_view root = b.schema.paths.root;
        if (root.empty())  // dmgen generate --tables-only
            throw agent::ConfigError("profile " + std::string(b.profile) + " has no runtime paths: cwmpd cannot serve it");
        for (const auto& [name, value] : c.defaults)
            if (!name.starts_with(root))
                throw agent::ConfigError(c.board_config.file + ": " + name + ": not a path of profile " +
                                         std::string(b.profile) + "'s model (root object " + std::string(root) + ")");
        return b;
    };
    if (c.board.empty()) {
        if (boards.size() == 1) return checked(boards.front());
        throw agent::ConfigError(c.board_config.file + ": board = NAME is required (built in: " + names + ")");
    }
    for (const auto& b : boards) {
        if (b.name != c.board) continue;
        if (!c.profile.empty() && c.profile != b.profile)
            throw agent::ConfigError(c.board_config.file + ":" + std::to_string(c.profile_line) + ": profile: board " +
                                     c.board + " binds profile " + std::string(b.profile) + ", not " + c.profile);
        return checked(b);
    }
    throw agent::ConfigError(c.board_config.file + ":" + std::to_string(c.board_line) + ": board: unknown board " +
                             c.board + " (built in: " + names + ")");
}

void check_board(const BuiltBoard& board, const agent::DaemonConfig& config) {
    platform::MemorySettings scratch;
    const util::Log quiet(util::Log::Sink::None);
    const std::unique_ptr<platform::Board> probe =  // built to see that it can be, then dropped
        board.make({config.board_config, wall_clock, state_dir(config), scratch, quiet});
}

int run(const std::string& config_path, agent::DaemonConfig config, const BuiltBoard& built) {
    // Signals arrive through a descriptor on the loop; blocked before any
    // thread starts, so that none of them takes one.
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
    sigprocmask(SIG_BLOCK, &signals, nullptr);
    // A peer that closed its end (an XMPP server refusing the login, an ACS,
    // a connection-request client) makes a write fail with EPIPE, which every
    // caller handles; the default SIGPIPE would end the daemon instead.
    ::signal(SIGPIPE, SIG_IGN);
    util::Fd signal_fd(::signalfd(-1, &signals, SFD_CLOEXEC));

    util::Log log(config.log_sink, config.log_level);  // reconfigured in place by a reload
    try {
        auto store = std::make_unique<store::Store>(config.store);
        auto settings = std::make_unique<store::BoardSettings>(*store);
        std::unique_ptr<platform::Board> board;
        try {
            board = built.make({config.board_config, wall_clock, state_dir(config), *settings, log});
        } catch (const platform::BoardConfigError& e) {
            log.error(e.what());
            return kExitConfig;
        } catch (const std::runtime_error& e) {  // what it needs is not there (a netlink socket, say)
            log.error("board " + std::string(built.name) + " cannot start: " + e.what());
            return kExitConfig;
        }
        log.info("board " + std::string(built.name) + ", profile " + std::string(built.profile));
        Daemon daemon(config_path, std::move(config), built, std::move(signal_fd), log, std::move(store),
                      std::move(board), std::move(settings));
        return daemon.run();
    } catch (const store::StoreError& e) {
        log.error(e.what());
        return kExitConfig;
    } catch (const std::runtime_error& e) {  // the connection-request port, for one
        log.error(e.what());
        return kExitConfig;
    }
}

}  // namespace cwmp::daemon
