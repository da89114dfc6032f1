// The agent: decides when to open a session and with which events (TR-069
// 3.7.1.5 event rules), keeps the periodic-inform and ScheduleInform timers,
// and retries failed sessions with the spec's randomised back-off
// (3.2.1.1).  It never sleeps: step() does what is due and says when the
// next thing is due, so a daemon waits on its own sockets and signals, and
// tests drive it with their own clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "cwmp/agent/lightweight.h"
#include "cwmp/diag/service.h"
#include "cwmp/dm/engine.h"
#include "cwmp/dm/own.h"
#include "cwmp/session/http.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/transfer/manager.h"
#include "cwmp/util/clock.h"
#include "cwmp/util/loop.h"

namespace cwmp::rpc {
class Cpe;
}
namespace cwmp::store {
class Store;
}
namespace cwmp::util {
class Log;
}

namespace cwmp::agent {

struct ManagementServerSettings;

struct AgentOptions {
    session::HttpOptions http;           // URL and credentials until the ACS sets its own
    std::uint32_t startup_delay_max = 0; // first session at a random 0..max s after start
    std::uint32_t notification_poll_s = 5;  // how often values with notification on are compared
    std::string staging_dir = "/tmp";       // where downloads land before the platform takes them
    std::uint32_t transfer_max_concurrent = 1;  // transfers moving at once
    std::uint32_t transfer_stall_s = 60;        // a transfer slower than transfer_low_speed bytes/s this long fails
    std::uint32_t transfer_low_speed = 1;
};

// Seconds of the back-off window before retry `n` (1, 2, ...): TR-069
// 3.2.1.1 with CWMPRetryMinimumWaitInterval m and CWMPRetryIntervalMultiplier
// k: [m*(k/1000)^(n-1), m*(k/1000)^n], n capped at 10.
struct RetryWindow {
    double min;
    double max;
};
RetryWindow retry_window(std::uint32_t retry, std::uint32_t min_wait, std::uint32_t multiplier);
// The window in whole milliseconds, rounded inwards (min up, max down), so
// that a wait drawn from it never leaves the spec's window.
struct RetryWindowMs {
    std::int64_t min;
    std::int64_t max;
};
RetryWindowMs retry_window_ms(const RetryWindow& w);

// The next periodic Inform after `now`: the phase PeriodicInformTime (or,
// when unknown, `anchor`) plus a whole number of intervals.
std::int64_t next_periodic(std::int64_t now, std::int64_t interval, std::optional<std::int64_t> phase,
                           std::int64_t anchor);

class Agent {
public:
    Agent(dm::Engine& engine, tasks::Tasks& tasks, rpc::Cpe& cpe, store::Store& store, platform::Board& board,
          const util::Log& log, util::Clock now, AgentOptions options, std::uint64_t seed);

    // At start: "0 BOOTSTRAP" on first contact or a new ACS URL, timers set;
    // after a boot of the device (see booted()), "1 BOOT" and the events
    // that do not survive a reboot dropped.  A restart of cwmpd alone within
    // the boot keeps every pending event, and opens a session only if some
    // are pending.
    void start();

    // Does what is due (at most one session) and returns when the next
    // thing is due (Unix seconds).
    std::int64_t step();

    // New options (a configuration reload): a new configured ACS URL and
    // its credentials apply at once, as at start.
    void set_options(AgentOptions options);

    // A session is wanted now (a connection request, an active change).
    void request_session(const std::string& event_code);

    // RequestDownload (TR-069 A.4.2.2) for the board or the CLI: the device
    // wants a file of `file_type` ("1 Firmware Upgrade Image", ...; `args`
    // are FileTypeArg name/value pairs).  Persisted with 9 REQUEST DOWNLOAD
    // until the ACS acknowledges it, and a session is opened.  False (and
    // logged) for a bad file type or arguments, a full queue, or an ACS
    // whose GetRPCMethods answer does not list RequestDownload.
    bool request_download(const std::string& file_type,
                          const std::vector<std::pair<std::string, std::string>>& args = {});

    // The platform says values may have changed: compare them at the next step
    // rather than at the next poll.
    void values_may_have_changed() noexcept { next_change_poll_ = 0; }

    // How long until a pending session retry may start, to the millisecond
    // (zero when none waits); step()'s whole seconds are rounded up, so a
    // daemon waits the shorter of the two.
    std::chrono::milliseconds retry_wait_left() const;

    // The loop the daemon runs on the agent's thread: long work (transfers,
    // diagnostics) registers its descriptors and timers here and goes on
    // between steps.  The daemon polls it (Loop::run_once) and calls step()
    // after each round.
    util::Loop& loop() noexcept { return loop_; }
    // Whether a diagnostic is requested or running.
    bool diagnostics_busy() const { return diag_.busy(); }

    std::uint32_t retry_count() const noexcept { return retry_count_; }
    std::size_t sessions() const noexcept { return sessions_; }
    // When the next session the agent plans is due (Unix s; INT64_MAX: none
    // planned): periodic, heartbeat, scheduled, a throttled active
    // notification's, or one wanted (after its retry wait).  Not the change
    // polls or transfer steps, nor what the ACS may ask.
    std::int64_t next_planned_session() const;
    const Lightweight& lightweight() const noexcept { return lightweight_; }

    // The ManagementServer settings (cwmp/agent/settings.h), read again only
    // when the model's stored values moved (Engine::revision): they are
    // runtime-owned, so nothing else changes them, and the agent, its
    // lightweight notifications and the daemon ask for them often.
    ManagementServerSettings settings() const;

    // What the agent is at, for `cwmpctl status`.
    struct Status {
        std::string acs_url;
        std::int64_t last_session = 0;     // when the last session started (Unix s); 0: none since start
        bool last_session_completed = false;
        std::uint32_t retry_count = 0;     // failed sessions in a row
        std::int64_t next_periodic = 0;    // the next periodic Inform (Unix s); 0: periodic informs off
        std::size_t sessions = 0;          // sessions since start
        bool session_wanted = false;       // one is due (now, or after the retry wait)
    };
    Status status() const;

    // The reboot or factory reset the ACS asked for, once the session that
    // asked is over (the daemon carries it out).
    enum class Action { None, Reboot, FactoryReset };
    Action pending_action() const;

private:
    void on_runtime_change(std::string_view name);
    void apply_configured_acs();
    void begin_bootstrap();
    bool booted(const std::string& boot_id) const;
    void delivered(const std::vector<tasks::Event>& events, const std::vector<dm::ValueChange>& changes,
                   const std::string& url);
    void transfer_acknowledged(const tasks::Transfer& t);
    std::vector<tasks::Event> unannounced(const std::vector<tasks::Event>& events) const;
    void reschedule_periodic();
    std::int64_t next_due() const;
    void poll_changes(std::int64_t now);
    void run_session();
    // HeartbeatPolicy (CWMP 1.4, TR-069 Annex O): a session of its own whose
    // Inform carries "14 HEARTBEAT" alone, at InitiationTime + n x ReportingInterval.
    void reschedule_heartbeat();
    void run_heartbeat();
    std::string acs_url() const;
    session::HttpOptions acs_http_options() const;
    std::optional<std::vector<std::string>> acs_methods() const;

    dm::Engine& engine_;
    tasks::Tasks& tasks_;
    rpc::Cpe& cpe_;
    store::Store& store_;
    platform::Board& board_;
    const util::Log& log_;
    // Reads of the agent's settings in the model: a failure logged once
    // (mutable: the const readers below remember what they logged).
    mutable dm::Own own_{engine_, log_};
    mutable std::shared_ptr<const ManagementServerSettings> settings_;  // as read at settings_revision_
    mutable std::uint64_t settings_revision_ = 0;
    util::Clock now_;
    AgentOptions options_;
    std::mt19937_64 rng_;
    util::Loop loop_;  // before what registers with it, so that it goes last
    session::HttpClient http_client_;  // every session's, one after the other

    bool session_wanted_ = false;
    std::vector<tasks::Event> retry_events_;     // the events of a session that failed after its InformResponse
    std::int64_t not_before_ = 0;        // start-up delay
    std::chrono::steady_clock::time_point retry_at_{};  // retry back-off, to the millisecond
    std::int64_t next_periodic_ = INT64_MAX;
    std::int64_t periodic_anchor_ = 0;
    std::uint32_t retry_count_ = 0;
    std::size_t sessions_ = 0;
    std::int64_t last_session_ = 0;        // Status
    bool last_session_completed_ = false;
    std::uint64_t inform_ids_ = 0;
    bool url_changed_ = false;
    transfer::Manager transfers_;
    bool reboot_for_transfer_ = false;  // an installed file waits for the reboot
    std::int64_t next_transfer_ = INT64_MAX;
    diag::Service diag_;  // TR-143 diagnostics on worker threads
    util::Loop::Id diag_watch_ = 0;
    Lightweight lightweight_;  // UDP lightweight notifications (Annex M), on the loop's timers
    std::int64_t next_change_poll_ = 0;
    // When the last session for an active notification started (DefaultActiveNotificationThrottle).
    std::chrono::steady_clock::time_point last_active_session_{};
    bool active_session_wanted_ = false;
    std::int64_t active_due_ = INT64_MAX;               // a throttled active notification waits until then
    std::int64_t next_heartbeat_ = INT64_MAX;
    std::int64_t heartbeat_anchor_ = 0;  // the local reference when InitiationTime is unknown
};

}  // namespace cwmp::agent
