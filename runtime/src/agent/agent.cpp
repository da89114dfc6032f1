#include "cwmp/agent/agent.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "cwmp/dm/value.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/session/session.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/events.h"
#include "cwmp/util/log.h"
#include "cwmp/util/survive.h"
#include "cwmp/agent/settings.h"

namespace cwmp::agent {

// The task queue's vocabulary, which the agent speaks throughout.
using tasks::CompletedBy;
using tasks::Event;
using tasks::EventRule;
using tasks::Tasks;
using tasks::Transfer;
using tasks::event_rule;

namespace {

// The ManagementServer paths of the engine's profile.
const dm::ModelPaths::ManagementServer& ms_of(const dm::Engine& e) { return e.schema().paths.management_server; }

// The ManagementServer settings, in one read; where one cannot be read, the
// value start() makes the default (TR-069's), the configured credentials
// towards the ACS, or the type's zero.
ManagementServerSettings read_ms(dm::Own& own, const util::Log& log, const dm::Engine& e,
                                 const session::HttpOptions& configured) {
    ManagementServerSettings ms;
    ms.username = configured.username;
    ms.password = configured.password;
    ms.periodic_inform_interval = 86400;
    ms.cwmp_retry_minimum_wait_interval = 5;
    ms.cwmp_retry_interval_multiplier = 2000;
    read_settings(own, log, ms_of(e), ms);
    return ms;
}

// Store space of the agent's own bookkeeping.
constexpr std::string_view kSpace = "agent";
constexpr std::string_view kBootstrapURL = "bootstrap-url";  // the URL that acknowledged 0 BOOTSTRAP
constexpr std::string_view kConfigURL = "config-url";        // the configured URL last applied
constexpr std::string_view kBootId = "boot-id";              // the board's boot id at the last start (a boot)
// The ACS's GetRPCMethods answer: the URL it came from, and the methods
// (comma-separated; absent when that ACS answered with a fault).
constexpr std::string_view kMethodsURL = "rpc-methods-url";
constexpr std::string_view kMethods = "rpc-methods";

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

}  // namespace

RetryWindow retry_window(std::uint32_t retry, std::uint32_t min_wait, std::uint32_t multiplier) {
    const double n = std::min<std::uint32_t>(std::max<std::uint32_t>(retry, 1), 10);
    const double k = multiplier / 1000.0;
    return {min_wait * std::pow(k, n - 1), min_wait * std::pow(k, n)};
}

RetryWindowMs retry_window_ms(const RetryWindow& w) {
    const auto lo = static_cast<std::int64_t>(std::ceil(w.min * 1000 - 1e-6));
    const auto hi = static_cast<std::int64_t>(std::floor(w.max * 1000 + 1e-6));
    return {lo, std::max(lo, hi)};
}

std::int64_t next_periodic(std::int64_t now, std::int64_t interval, std::optional<std::int64_t> phase,
                           std::int64_t anchor) {
    if (interval <= 0) return INT64_MAX;
    const std::int64_t base = phase.value_or(anchor);
    return base + (floor_div(now - base, interval) + 1) * interval;
}

namespace {
transfer::ManagerOptions transfer_options(const AgentOptions& o) {
    return {o.staging_dir, o.http.ca_file, o.http.verify, o.transfer_max_concurrent,
            std::chrono::seconds(o.transfer_stall_s), o.transfer_low_speed};
}
}  // namespace

Agent::Agent(dm::Engine& engine, Tasks& tasks, rpc::Cpe& cpe, store::Store& store, platform::Board& board,
             const util::Log& log, util::Clock now, AgentOptions options, std::uint64_t seed)
    : engine_(engine), tasks_(tasks), cpe_(cpe), store_(store), board_(board), log_(log), now_(std::move(now)),
      options_(std::move(options)), rng_(seed),
      transfers_(tasks, engine, board, log, loop_, transfer_options(options_)),
      diag_(engine, log, diag::standard_diagnostics(engine.schema().paths)), lightweight_(engine, [this] { return settings(); }, loop_, log, now_) {
    // A diagnostic finished on its worker: the round ends and step() collects it.
    diag_watch_ = loop_.watch(diag_.fd(), POLLIN, [](short) {});
}

ManagementServerSettings Agent::settings() const {
    if (!settings_ || settings_revision_ != engine_.revision()) {
        settings_ = std::make_shared<const ManagementServerSettings>(read_ms(own_, log_, engine_, options_.http));
        settings_revision_ = engine_.revision();
    }
    return *settings_;
}

std::string Agent::acs_url() const {
    std::string url = settings().url;
    return url.empty() ? options_.http.url : url;
}

// The configured URL and credentials apply when they are new; what the
// ACS set itself otherwise stays.  The model refusing them (a URL longer
// than it allows) is a dm::StartupError naming the path; the mark is then
// not stored, so the next start tries again.
void Agent::apply_configured_acs() {
    if (store_.get(kSpace, kConfigURL) == options_.http.url) return;
    dm::require_value(engine_, ms_of(engine_).url, options_.http.url);
    dm::require_value(engine_, ms_of(engine_).username, options_.http.username);
    dm::require_value(engine_, ms_of(engine_).password, options_.http.password);
    store::Store::Batch b;
    b.put(std::string(kSpace), std::string(kConfigURL), options_.http.url);
    store_.commit(b);
}

void Agent::set_options(AgentOptions options) {
    const bool new_url = options.http.url != options_.http.url;
    options_ = std::move(options);
    settings_.reset();  // its fallbacks are the configured credentials
    transfers_.set_options(transfer_options(options_));
    apply_configured_acs();
    if (new_url) begin_bootstrap();
}

// A new ACS: it starts from a BOOTSTRAP, at once, and knows nothing of
// older events.
void Agent::begin_bootstrap() {
    url_changed_ = false;
    retry_events_.clear();
    tasks_.clear_events();
    tasks_.add_event({"0 BOOTSTRAP", "", 0});
    session_wanted_ = true;
    retry_count_ = 0;
    not_before_ = 0;
    retry_at_ = {};
    log_.info("session: the ACS URL is now " + acs_url());
}

// Whether `e` announces the finished transfer `t`: such events stay queued
// until the ACS acknowledged the transfer's report (TR-069 3.7.1.5 Table 8).
static bool announces(const Event& e, const Transfer& t) {
    if (t.phase != Transfer::Phase::Done) return false;
    const EventRule& rule = event_rule(e.code);
    switch (rule.completed_by) {
    case CompletedBy::AutonomousTransferCompleteResponse: return t.autonomous();
    case CompletedBy::TransferCompleteResponse:
        return !t.autonomous() && (!rule.multiple || e.command_key == t.command_key);
    default: return false;
    }
}

// The events of `events` that an acknowledged Inform completes (Table 8):
// those not waiting for the report of a transfer still queued or for the
// answer to a RequestDownload still queued.
std::vector<Event> Agent::unannounced(const std::vector<Event>& events) const {
    const std::vector<Transfer> waiting = tasks_.transfers();
    const bool downloads_requested = !tasks_.download_requests().empty();
    std::vector<Event> out;
    for (const Event& e : events) {
        if (event_rule(e.code).completed_by == CompletedBy::RequestDownloadResponse) {
            if (!downloads_requested) out.push_back(e);
        } else if (std::none_of(waiting.begin(), waiting.end(), [&](const Transfer& t) { return announces(e, t); })) {
            out.push_back(e);
        }
    }
    return out;
}

// What an acknowledged Inform delivered (TR-069 3.7.1.5): its events, except
// those of transfers whose TransferComplete the ACS has not acknowledged
// yet; the values it reported; the BOOTSTRAP of this ACS.
void Agent::delivered(const std::vector<Event>& events, const std::vector<dm::ValueChange>& changes,
                      const std::string& url) {
    tasks_.clear_events(unannounced(events));
    engine_.acknowledge(changes);
    if (std::any_of(events.begin(), events.end(), [](const Event& e) { return e.code == "0 BOOTSTRAP"; })) {
        store::Store::Batch b;
        b.put(std::string(kSpace), std::string(kBootstrapURL), url);
        store_.commit(b);
    }
    // Durable commit point: what must not come back after a power cut (one
    // fsync for all of the above); an Inform-only session syncs nothing.
    if (std::any_of(events.begin(), events.end(), [](const Event& e) { return event_rule(e.code).durable_delivery; }))
        store_.sync();
}

// After the ACS acknowledged a report (`t` has left the queue): the events
// that announced it and no other waiting transfer go.
void Agent::transfer_acknowledged(const Transfer& t) {
    std::vector<Event> mine;
    for (const Event& e : tasks_.events())
        if (announces(e, t)) mine.push_back(e);
    tasks_.clear_events(unannounced(mine));
}

// Whether this start follows a boot of the device, not a restart of cwmpd
// alone within the boot the board names (an upgrade, a crash, `systemctl
// restart`).  A board that cannot tell (no id) boots at every start; a
// Reboot carried out (an event its rule says a reboot raised, "M Reboot",
// waits for the Inform, or a download waits for the reboot it asked for)
// and a factory reset (it wipes the stored id) are boots whatever the board
// says.
bool Agent::booted(const std::string& boot_id) const {
    if (boot_id.empty() || store_.get(kSpace, kBootId) != boot_id) return true;
    const std::vector<Event> events = tasks_.events();
    if (std::any_of(events.begin(), events.end(), [](const Event& e) { return event_rule(e.code).raised_by_reboot; }))
        return true;
    const std::vector<Transfer> transfers = tasks_.transfers();
    return std::any_of(transfers.begin(), transfers.end(),
                       [](const Transfer& t) { return t.phase == Transfer::Phase::Installed; });
}

void Agent::start() {
    const std::int64_t now = now_();
    // TR-069's own defaults where the model leaves the value to the device
    // (the daemon's configuration may have set other factory defaults first).
    // One the model cannot take is a dm::StartupError naming the path.
    dm::require_default(engine_, ms_of(engine_).cwmp_retry_minimum_wait_interval, "5");
    dm::require_default(engine_, ms_of(engine_).cwmp_retry_interval_multiplier, "2000");
    dm::require_default(engine_, ms_of(engine_).periodic_inform_interval, "86400");  // as read_ms falls back
    const auto& autonomous = ms_of(engine_).autonomous_transfer_complete_policy;
    dm::require_default(engine_, autonomous.transfer_type_filter, "Both");
    dm::require_default(engine_, autonomous.result_type_filter, "Both");
    apply_configured_acs();
    const std::string boot_id = board_.boot_id();
    const bool boot = booted(boot_id);
    if (boot) {
        std::vector<Event> stale;
        for (const Event& e : tasks_.events())
            if (event_rule(e.code).discarded_on_reboot) stale.push_back(e);
        tasks_.clear_events(stale);
    }
    transfers_.recover(now);
    if (store_.get(kSpace, kBootstrapURL) != acs_url()) {
        // First contact with this ACS: it knows nothing of older events.
        if (store_.get(kSpace, kBootstrapURL)) tasks_.clear_events();
        tasks_.add_event({"0 BOOTSTRAP", "", 0});
    }
    if (boot) {
        tasks_.add_event({"1 BOOT", "", 0});
        // After the BOOT is queued, so that a crash in between brings it
        // back; lazy: a power cut that undoes it ends this boot anyway.
        if (!boot_id.empty() && store_.get(kSpace, kBootId) != boot_id) {
            store::Store::Batch b;
            b.put(std::string(kSpace), std::string(kBootId), boot_id);
            store_.commit(b);
        }
        log_.info(boot_id.empty() ? "start: the device booted (the board has no boot id)"
                                  : "start: the device booted (boot id " + boot_id + ")");
    } else {
        log_.info("start: cwmpd restarted within boot " + boot_id + ": no BOOT, pending events kept");
    }
    engine_.on_runtime_change([this](std::string_view name, std::string_view) { on_runtime_change(name); });
    diag_.start();  // a diagnostic a restart interrupted goes back to None
    // A session at start only for something to report (every Inform states
    // why, 3.7.1.5): a restart with nothing pending waits for the schedule.
    session_wanted_ = !tasks_.events().empty();
    std::uniform_int_distribution<std::uint32_t> delay(0, options_.startup_delay_max);
    not_before_ = now + delay(rng_);
    periodic_anchor_ = now;
    reschedule_periodic();
    // Unknown InitiationTime: a reference of our own, random (Annex O), so
    // that a fleet started together does not beat in step.
    heartbeat_anchor_ = now - static_cast<std::int64_t>(rng_() % 86400);
    reschedule_heartbeat();
    lightweight_.start();
}

void Agent::on_runtime_change(std::string_view name) {
    const dm::ModelPaths::ManagementServer& ms = ms_of(engine_);
    if (name == ms.url) url_changed_ = true;
    if (name == ms.periodic_inform_enable || name == ms.periodic_inform_interval || name == ms.periodic_inform_time) {
        periodic_anchor_ = now_();
        reschedule_periodic();
    }
    if (const std::string_view hb = ms.heartbeat_policy.path; !hb.empty() && name.starts_with(hb)) reschedule_heartbeat();
    lightweight_.on_change(name);
}

void Agent::reschedule_heartbeat() {
    const ManagementServerSettings ms = settings();  // a profile without HeartbeatPolicy: off
    if (!ms.heartbeat_policy_enable || ms.heartbeat_policy_reporting_interval == 0) {
        next_heartbeat_ = INT64_MAX;
        return;
    }
    std::optional<std::int64_t> phase;
    if (ms.heartbeat_policy_initiation_time.unix_seconds != dm::DateTime::kUnknown)
        phase = ms.heartbeat_policy_initiation_time.unix_seconds;
    next_heartbeat_ = next_periodic(now_(), ms.heartbeat_policy_reporting_interval, phase, heartbeat_anchor_);
}

void Agent::reschedule_periodic() {
    const ManagementServerSettings ms = settings();
    if (!ms.periodic_inform_enable) {
        next_periodic_ = INT64_MAX;
        return;
    }
    std::optional<std::int64_t> phase;
    if (ms.periodic_inform_time.unix_seconds != dm::DateTime::kUnknown) phase = ms.periodic_inform_time.unix_seconds;
    const std::uint32_t interval = std::max<std::uint32_t>(ms.periodic_inform_interval, 1);
    next_periodic_ = next_periodic(now_(), interval, phase, periodic_anchor_);
}

void Agent::request_session(const std::string& event_code) {
    if (!event_code.empty()) tasks_.add_event({event_code, "", 0});
    session_wanted_ = true;
}

// The ACS's methods, when this ACS told us (GetRPCMethods).
std::optional<std::vector<std::string>> Agent::acs_methods() const {
    if (store_.get(kSpace, kMethodsURL) != acs_url()) return std::nullopt;
    const std::optional<std::string> list = store_.get(kSpace, kMethods);
    if (!list) return std::nullopt;
    std::vector<std::string> out;
    for (std::string_view m : dm::split_list(*list)) out.emplace_back(m);
    return out;
}

namespace {
// DownloadFileType (cwmp-1-x.xsd): "1 Firmware Upgrade Image" .. "5 Ringer
// File", or a vendor "X <OUI> <name>".
bool download_file_type(std::string_view t) {
    for (std::string_view known : {"1 Firmware Upgrade Image", "2 Web Content", "3 Vendor Configuration File",
                                   "4 Tone File", "5 Ringer File"})
        if (t == known) return true;
    return t.size() > 2 && t.size() <= 64 && t.starts_with("X ");
}
}  // namespace

bool Agent::request_download(const std::string& file_type, const std::vector<std::pair<std::string, std::string>>& args) {
    // FileTypeArg: at most 16 ArgStruct, Name up to 64 and Value up to 256 characters (cwmp-1-0.xsd).
    const bool args_ok = args.size() <= 16 && std::all_of(args.begin(), args.end(), [](const auto& a) {
        return !a.first.empty() && a.first.size() <= 64 && a.second.size() <= 256;
    });
    if (!download_file_type(file_type) || !args_ok) {
        log_.warning("RequestDownload refused: bad file type or arguments (" + file_type + ")");
        return false;
    }
    if (const auto methods = acs_methods();
        methods && std::find(methods->begin(), methods->end(), "RequestDownload") == methods->end()) {
        log_.warning("RequestDownload refused: the ACS does not support it (GetRPCMethods)");
        return false;
    }
    if (tasks_.request_download({0, file_type, args}) == 0) {
        log_.warning("RequestDownload refused: " + std::to_string(Tasks::kMaxDownloadRequests) + " already queued");
        return false;
    }
    log_.info("RequestDownload queued: " + file_type);
    session_wanted_ = true;
    return true;
}

std::int64_t Agent::next_planned_session() const {
    std::int64_t due = std::min({next_periodic_, active_due_, next_heartbeat_});
    for (const Tasks::ScheduledInform& s : tasks_.scheduled_informs()) due = std::min(due, s.due);
    if (session_wanted_) {
        // A retry's wait in whole seconds, rounded up (retry_wait_left() has the milliseconds).
        const std::int64_t retry_s = (retry_wait_left().count() + 999) / 1000;
        due = std::min(due, std::max(not_before_, now_() + retry_s));
    }
    return due;
}

std::int64_t Agent::next_due() const {
    return std::min({next_planned_session(), next_change_poll_, next_transfer_});
}

// Active notification: a change of a parameter with Notification 2 opens a
// session, at most one per DefaultActiveNotificationThrottle seconds; passive
// changes wait for the next session (which reports them all).  The throttle
// counts from when the last such session really started, to the
// millisecond: whole seconds could let two sessions come almost a second
// too close.
void Agent::poll_changes(std::int64_t now) {
    const auto throttle = std::chrono::seconds(settings().default_active_notification_throttle);
    const auto since_last = std::chrono::steady_clock::now() - last_active_session_;
    if (now >= active_due_) {
        if (since_last >= throttle) {
            active_due_ = INT64_MAX;
            session_wanted_ = true;
            active_session_wanted_ = true;
        } else {
            active_due_ = now + 1;  // a little early: look again in a second
        }
    }
    if (now < next_change_poll_) return;
    next_change_poll_ = now + std::max<std::uint32_t>(options_.notification_poll_s, 1);
    // Lightweight notifications have their own baselines and go by UDP.
    util::survive(log_, "lightweight notification", [this] { lightweight_.poll(); });
    const std::vector<dm::ValueChange> changes = engine_.changes();
    const bool active = std::any_of(changes.begin(), changes.end(), [](const dm::ValueChange& c) {
        return c.notification == 2;
    });
    if (!active || active_due_ != INT64_MAX || active_session_wanted_) return;
    if (since_last >= throttle) {
        session_wanted_ = true;
        active_session_wanted_ = true;
    } else {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(throttle - since_last).count();
        active_due_ = now + (wait + 999) / 1000;
    }
}

std::int64_t Agent::step() {
    const std::int64_t now = now_();
    tasks_.keep_held();  // a step that threw may have left some (none otherwise)
    poll_changes(now);
    // Finished diagnostics: results stored, then 8 DIAGNOSTICS COMPLETE.
    if (diag_.collect() > 0) {
        tasks_.add_event({"8 DIAGNOSTICS COMPLETE", "", 0});
        session_wanted_ = true;
    }
    if (transfers_.collect_autonomous(now)) session_wanted_ = true;
    if (!reboot_for_transfer_) {
        const transfer::Manager::Step t = transfers_.step(now);
        next_transfer_ = t.next_due;
        if (t.completed) session_wanted_ = true;
        if (t.reboot) reboot_for_transfer_ = true;
    }
    for (const Tasks::ScheduledInform& s : tasks_.scheduled_informs()) {
        if (s.due > now) continue;
        tasks_.add_event({"3 SCHEDULED", "", 0});
        tasks_.add_event({"M ScheduleInform", s.command_key, 0});
        tasks_.remove_scheduled_inform(s.id);
        session_wanted_ = true;
    }
    if (now >= next_periodic_) {
        // Held for the session below, written only if it does not deliver it.
        tasks_.hold_event({"2 PERIODIC", "", 0});
        const std::uint32_t interval = std::max<std::uint32_t>(settings().periodic_inform_interval, 1);
        next_periodic_ = next_periodic(now, interval, std::nullopt, next_periodic_);
        reschedule_periodic();
        session_wanted_ = true;
    }
    if (now >= next_heartbeat_ && pending_action() == Action::None) {
        run_heartbeat();
        reschedule_heartbeat();
    }
    if (session_wanted_ && now >= not_before_ && retry_wait_left().count() == 0 &&
        pending_action() == Action::None) {
        run_session();
        next_transfer_ = now_();  // the ACS may have queued a transfer: look at once
    }
    // Held events the session did not deliver (or no session ran) are kept.
    tasks_.keep_held();
    // Diagnostics the ACS requested start once its session is over.
    diag_.start_requested();
    return next_due();
}

// The configured HTTP options towards the ACS as the model names it now
// (ManagementServer.URL, Username and Password).
session::HttpOptions Agent::acs_http_options() const {
    session::HttpOptions http = options_.http;
    ManagementServerSettings ms = settings();  // the configured credentials when unreadable (logged)
    http.url = ms.url.empty() ? options_.http.url : ms.url;
    http.username = std::move(ms.username);
    http.password = std::move(ms.password);
    return http;
}

void Agent::run_session() {
    const std::int64_t now = now_();
    if (active_session_wanted_) {
        active_session_wanted_ = false;
        last_active_session_ = std::chrono::steady_clock::now();
    }
    diag_.publish();  // the UDP echo server's counters, fresh for this session
    std::vector<dm::ValueChange> changes = engine_.changes();
    if (!changes.empty()) tasks_.hold_event({"4 VALUE CHANGE", "", 0});  // kept by step() if not delivered
    std::vector<Event> events = tasks_.events();
    // A session that failed after its InformResponse is retried for the
    // reasons it was opened for (RetryCount says it is a retry, 3.2.1.1),
    // although Table 8 counts those events delivered (so no longer queued).
    for (const Event& e : retry_events_)
        if (std::none_of(events.begin(), events.end(),
                         [&](const Event& q) { return q.code == e.code && q.command_key == e.command_key; }))
            events.push_back({e.code, e.command_key, 0});  // id 0: not in the queue
    if (events.empty()) {
        // Every Inform states why it is sent (3.7.1.5): with nothing left to
        // deliver (a retry after the ACS acknowledged all), no session.
        log_.info("session: nothing to report; none opened");
        session_wanted_ = false;
        retry_count_ = 0;
        not_before_ = 0;
        retry_at_ = {};
        return;
    }

    const session::HttpOptions http = acs_http_options();
    session::HttpSession connection(http_client_, http);
    session::Session session(connection, engine_, cpe_, log_, &tasks_);
    session.on_informed([&] { delivered(events, changes, http.url); });
    session.on_transfer_acknowledged([&](const Transfer& t) { transfer_acknowledged(t); });
    // GetRPCMethods to an ACS new to us (optional for the CPE, A.3.1.1): a
    // URL with no answer stored, or a BOOTSTRAP (a factory reset too), so
    // that we know what it supports (RequestDownload).
    session::CpeRequests requests;
    requests.ask_rpc_methods =
        store_.get(kSpace, kMethodsURL) != http.url ||
        std::any_of(events.begin(), events.end(), [](const Event& e) { return e.code == "0 BOOTSTRAP"; });
    requests.acs_methods = acs_methods();
    // A session that throws is a failed session: logged, retried with the back-off.
    session::SessionResult r;
    util::survive(log_, "session with " + http.url, [&] {
        r = session.run({events, changes, retry_count_, now, "inform-" + std::to_string(++inform_ids_)}, requests);
    });
    ++sessions_;
    last_session_ = now;
    last_session_completed_ = r.completed;
    if (r.acs_methods || r.acs_methods_refused) {
        store::Store::Batch b;
        b.put(std::string(kSpace), std::string(kMethodsURL), http.url);
        if (r.acs_methods) {
            std::string list;
            for (const std::string& m : *r.acs_methods) list += (list.empty() ? "" : ",") + m;
            b.put(std::string(kSpace), std::string(kMethods), list);
        } else {
            b.erase(std::string(kSpace), std::string(kMethods));
        }
        store_.commit(b);
    }
    // A failed session discards no event: the retry carries them all (Table 8).
    if (r.completed)
        retry_events_.clear();
    else if (r.informed)
        retry_events_ = events;
    if (r.completed) {
        retry_count_ = 0;
        session_wanted_ = false;
        not_before_ = 0;
        retry_at_ = {};
    } else {
        ++retry_count_;
        // TR-069 3.2.1.1: a random wait within the window, counted from the
        // failure and kept to the millisecond (whole seconds could overshoot it).
        const ManagementServerSettings cfg = settings();
        const RetryWindowMs w = retry_window_ms(
            retry_window(retry_count_, cfg.cwmp_retry_minimum_wait_interval, cfg.cwmp_retry_interval_multiplier));
        std::uniform_int_distribution<std::int64_t> wait(w.min, w.max);
        const std::chrono::milliseconds ms(wait(rng_));
        retry_at_ = std::chrono::steady_clock::now() + ms;
        session_wanted_ = true;
        char text[32];
        std::snprintf(text, sizeof text, "%.3f", static_cast<double>(ms.count()) / 1000);
        log_.info("session: retry " + std::to_string(retry_count_) + " in " + text + " s");
    }
    if (url_changed_) begin_bootstrap();
}

// Annex O: the Heartbeat Inform carries "14 HEARTBEAT" and no other event
// (whatever else waits goes in a session of its own), reports no value
// change (those wait for that session: only forced and InformParameter
// values go), and the CPE makes no requests of its own in it.  The event is
// not queued: a heartbeat that fails is not retried, the next one comes at
// its time.
void Agent::run_heartbeat() {
    const session::HttpOptions http = acs_http_options();
    session::HttpSession connection(http_client_, http);
    session::Session session(connection, engine_, cpe_, log_);
    session::SessionResult r;
    util::survive(log_, "heartbeat session with " + http.url, [&] {
        r = session.run({{{"14 HEARTBEAT", "", 0}}, {}, 0, now_(), "inform-" + std::to_string(++inform_ids_)});
    });
    ++sessions_;
    if (!r.completed) log_.warning("heartbeat session failed (" + r.error + "); the next one comes at its time");
    if (url_changed_) begin_bootstrap();
}

std::chrono::milliseconds Agent::retry_wait_left() const {
    const auto left = retry_at_ - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return std::chrono::milliseconds(0);
    return std::chrono::ceil<std::chrono::milliseconds>(left);
}

Agent::Action Agent::pending_action() const {
    if (tasks_.pending_factory_reset()) return Action::FactoryReset;
    if (tasks_.pending_reboot() || reboot_for_transfer_) return Action::Reboot;
    return Action::None;
}

Agent::Status Agent::status() const {
    return {acs_url(), last_session_, last_session_completed_, retry_count_,
            next_periodic_ == INT64_MAX ? 0 : next_periodic_, sessions_, session_wanted_};
}

}  // namespace cwmp::agent
