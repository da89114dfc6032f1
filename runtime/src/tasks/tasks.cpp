#include "cwmp/tasks/tasks.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <utility>

#include "cwmp/store/record.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/events.h"
#include "cwmp/util/log.h"

namespace cwmp::tasks {
namespace {

using store::Durability;
using store::Store;

// Store spaces: one record per transfer, event and scheduled inform, keyed
// by its id; "task" holds the id counters and the pending Reboot/FactoryReset.
constexpr std::string_view kTransfers = "transfer";
constexpr std::string_view kEvents = "event";
// The ids of held events (Tasks::hold_event): never a stored event's, whose
// ids count up from 1.
constexpr std::uint64_t kHeldId = std::uint64_t{1} << 63;
constexpr std::string_view kInforms = "inform";
constexpr std::string_view kDownloadRequests = "request_download";
constexpr std::string_view kRequestDownloadEvent = "9 REQUEST DOWNLOAD";
constexpr std::string_view kTask = "task";
constexpr std::string_view kRebootKey = "reboot";
constexpr std::string_view kFactoryResetKey = "factory_reset";

using store::RecordError;
using store::RecordReader;
using store::RecordWriter;
using store::id_key;

// The next id of `kind`.  The counter is bumped in `batch`, so an id is
// spent exactly when the record it numbers is committed with it.
std::uint64_t next_id(const Store& store, Store::Batch& batch, std::string_view kind) {
    const std::string key = std::string(kind) + ".last";
    std::uint64_t last = 0;
    bool staged = false;
    std::optional<std::string> v = batch.pending(kTask, key, staged);  // an id this batch handed out already
    if (!staged) v = store.get(kTask, key);
    if (v) {
        const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), last);
        if (ec != std::errc{} || end != v->data() + v->size())
            throw store::StoreError("task counter " + key + " is damaged: " + *v);
    }
    batch.put(std::string(kTask), key, std::to_string(last + 1));
    return last + 1;
}

// ---- Transfers

constexpr std::string_view kind_name(Transfer::Kind k) {
    switch (k) {
    case Transfer::Kind::Download: return "download";
    case Transfer::Kind::Upload: return "upload";
    case Transfer::Kind::ScheduleDownload: return "schedule_download";
    case Transfer::Kind::AutonomousDownload: return "autonomous_download";
    case Transfer::Kind::AutonomousUpload: return "autonomous_upload";
    }
    return "download";
}

Transfer::Kind kind_of(std::string_view name) {
    for (Transfer::Kind k : {Transfer::Kind::Download, Transfer::Kind::Upload, Transfer::Kind::ScheduleDownload,
                             Transfer::Kind::AutonomousDownload, Transfer::Kind::AutonomousUpload})
        if (kind_name(k) == name) return k;
    throw RecordError("unknown transfer kind");
}

TransferState state_of(unsigned v) {
    if (v < 1 || v > 3) throw RecordError("unknown transfer state");
    return static_cast<TransferState>(v);
}

std::string window_field(std::size_t i, std::string_view name) {
    return "window." + std::to_string(i) + "." + std::string(name);
}

std::string encode(const Transfer& t) {
    RecordWriter w;
    w.text("kind", kind_name(t.kind))
        .text("command_key", t.command_key)
        .text("file_type", t.file_type)
        .text("url", t.url)
        .text("username", t.username)
        .text("password", t.password)
        .number("file_size", t.file_size)
        .text("target_file_name", t.target_file_name)
        .number("delay_seconds", t.delay_seconds)
        .text("success_url", t.success_url)
        .text("failure_url", t.failure_url)
        .text("announce_url", t.announce_url)
        .number("requested_at", t.requested_at)
        .number("state", static_cast<unsigned>(t.state))
        .number("phase", static_cast<unsigned>(t.phase))
        .number("start_time", t.start_time)
        .number("complete_time", t.complete_time)
        .number("fault_code", t.fault_code)
        .text("fault_string", t.fault_string)
        .number("attempts", t.attempts)
        .number("windows", t.windows.size());
    for (std::size_t i = 0; i < t.windows.size(); ++i) {
        const TimeWindow& tw = t.windows[i];
        w.number(window_field(i, "start"), tw.start)
            .number(window_field(i, "end"), tw.end)
            .text(window_field(i, "mode"), tw.mode)
            .text(window_field(i, "user_message"), tw.user_message)
            .number(window_field(i, "max_retries"), tw.max_retries);
    }
    return w.take();
}

TimeWindow decode_window(const RecordReader& r, std::size_t i) {
    TimeWindow tw;
    tw.start = r.number<std::uint32_t>(window_field(i, "start"));
    tw.end = r.number<std::uint32_t>(window_field(i, "end"));
    tw.mode = r.text(window_field(i, "mode"));
    tw.user_message = r.text(window_field(i, "user_message"));
    tw.max_retries = r.number<std::int32_t>(window_field(i, "max_retries"));
    return tw;
}

Transfer decode_transfer(std::uint64_t id, const RecordReader& r) {
    Transfer t;
    t.id = id;
    t.kind = kind_of(r.text("kind"));
    t.command_key = r.text("command_key");
    t.file_type = r.text("file_type");
    t.url = r.text("url");
    t.username = r.text("username");
    t.password = r.text("password");
    t.file_size = r.number<std::uint32_t>("file_size");
    t.target_file_name = r.text("target_file_name");
    t.delay_seconds = r.number<std::uint32_t>("delay_seconds");
    t.success_url = r.text("success_url");
    t.failure_url = r.text("failure_url");
    t.announce_url = r.text("announce_url");
    t.requested_at = r.number<std::int64_t>("requested_at");
    t.state = state_of(r.number<unsigned>("state"));
    const auto phase = r.number<unsigned>("phase");
    if (phase > static_cast<unsigned>(Transfer::Phase::Done)) throw RecordError("unknown transfer phase");
    t.phase = static_cast<Transfer::Phase>(phase);
    t.start_time = r.number<std::int64_t>("start_time");
    t.complete_time = r.number<std::int64_t>("complete_time");
    t.fault_code = r.number<std::uint32_t>("fault_code");
    t.fault_string = r.text("fault_string");
    t.attempts = r.number<std::uint32_t>("attempts");
    const auto windows = r.number<std::size_t>("windows");  // a damaged count fails on a missing field
    for (std::size_t i = 0; i < windows; ++i) t.windows.push_back(decode_window(r, i));
    return t;
}

// ---- Events and scheduled informs

std::string encode(const Event& e) {
    return RecordWriter().text("code", e.code).text("command_key", e.command_key).take();
}

Event decode_event(std::uint64_t id, const RecordReader& r) {
    return Event{r.text("code"), r.text("command_key"), id};
}

Tasks::ScheduledInform decode_inform(std::uint64_t id, const RecordReader& r) {
    return {id, r.number<std::int64_t>("due"), r.text("command_key")};
}

// Single-type events ("1 BOOT") appear once; "M Reboot" and vendor "X ..."
// events repeat with different CommandKeys (the rule table, events.h).
bool single_type(std::string_view code) { return !event_rule(code).multiple; }

std::string encode(const Tasks::DownloadRequest& r) {
    RecordWriter w;
    w.text("file_type", r.file_type).number("args", r.args.size());
    for (std::size_t i = 0; i < r.args.size(); ++i)
        w.text("arg." + std::to_string(i) + ".name", r.args[i].first)
            .text("arg." + std::to_string(i) + ".value", r.args[i].second);
    return w.take();
}

Tasks::DownloadRequest decode_download_request(std::uint64_t id, const RecordReader& r) {
    Tasks::DownloadRequest out;
    out.id = id;
    out.file_type = r.text("file_type");
    const auto n = r.number<std::size_t>("args");  // a damaged count fails on a missing field
    for (std::size_t i = 0; i < n; ++i)
        out.args.emplace_back(r.text("arg." + std::to_string(i) + ".name"), r.text("arg." + std::to_string(i) + ".value"));
    return out;
}

bool already_queued(const std::vector<Event>& queued, const Event& e) {
    return std::any_of(queued.begin(), queued.end(), [&](const Event& q) {
        return q.code == e.code && (single_type(e.code) || q.command_key == e.command_key);
    });
}

enum class Staged : std::uint8_t { Added, Present, Refused };

// Adds `e` to `batch` by the queue's rules (see Tasks::add_event), given
// the events `queued` in the store.
Staged stage_event(const Store& store, Store::Batch& batch, const std::vector<Event>& queued, const Event& e) {
    if (already_queued(queued, e)) return Staged::Present;
    if (queued.size() >= Tasks::kMaxEvents) {
        if (!single_type(e.code)) return Staged::Refused;
        const auto victim = std::find_if(queued.begin(), queued.end(), [](const Event& q) {
            return !single_type(q.code) && (q.id & kHeldId) == 0;  // a stored one: the batch removes it
        });
        if (victim == queued.end()) return Staged::Refused;
        batch.erase(std::string(kEvents), id_key(victim->id));
    }
    batch.put(std::string(kEvents), id_key(next_id(store, batch, kEvents)), encode(e));
    return Staged::Added;
}

}  // namespace

Tasks::Tasks(store::Store& store, util::Clock now, const util::Log& log)
    : store_(store), now_(std::move(now)), log_(log) {}

template <class Decode>
auto Tasks::load(std::string_view space, Decode decode) const {
    std::vector<decltype(decode(std::uint64_t{}, std::declval<const RecordReader&>()))> out;
    for (const auto& [key, value] : store_.all(space)) {
        try {
            out.push_back(decode(store::id_of_key(key), RecordReader(value)));
        } catch (const RecordError& e) {
            report_damaged(space, key, e.what());  // one bad row must not make the whole queue unusable
        }
    }
    return out;
}

void Tasks::report_damaged(std::string_view space, std::string_view key, std::string_view why) const {
    std::string id = std::string(space) + "/" + std::string(key);
    if (!reported_.insert(id).second) return;
    log_.warning("task queue: damaged record " + id + " left out: " + std::string(why));
}

std::uint64_t Tasks::queue(Transfer t) {
    if (transfers().size() >= kMaxQueued) return 0;
    Store::Batch batch;
    t.id = next_id(store_, batch, kTransfers);
    batch.put(std::string(kTransfers), id_key(t.id), encode(t));
    store_.commit(batch, Durability::Durable);  // before the Download/ScheduleDownload response
    return t.id;
}

std::vector<Transfer> Tasks::transfers() const { return load(kTransfers, decode_transfer); }

bool Tasks::set_state(std::uint64_t id, TransferState state) {
    const std::optional<std::string> record = store_.get(kTransfers, id_key(id));
    if (!record) return false;
    Transfer t;
    try {
        t = decode_transfer(id, RecordReader(*record));
    } catch (const RecordError& e) {
        report_damaged(kTransfers, id_key(id), e.what());
        return false;  // invisible to transfers(), so not there
    }
    t.state = state;
    Store::Batch batch;
    batch.put(std::string(kTransfers), id_key(id), encode(t));
    store_.commit(batch, Durability::Durable);
    return true;
}

bool Tasks::update(const Transfer& t, std::span<const Event> events) {
    if (!store_.get(kTransfers, id_key(t.id))) return false;
    Store::Batch batch;
    batch.put(std::string(kTransfers), id_key(t.id), encode(t));
    const std::vector<Event> queued = Tasks::events();  // `events` is the parameter
    for (const Event& e : events)
        if (stage_event(store_, batch, queued, e) == Staged::Refused) refused(e);
    store_.commit(batch, Durability::Durable);  // each step of a transfer survives a power cut
    return true;
}

void Tasks::remove(std::uint64_t id) { remove(std::span<const std::uint64_t>(&id, 1)); }

void Tasks::remove(std::span<const std::uint64_t> ids) {
    Store::Batch batch;
    for (std::uint64_t id : ids) batch.erase(std::string(kTransfers), id_key(id));
    store_.commit(batch, Durability::Durable);  // an acknowledged report is not sent again
}

void Tasks::request_reboot(const std::string& command_key) {
    Store::Batch batch;
    batch.put(std::string(kTask), std::string(kRebootKey), command_key);
    stage_event(store_, batch, events(), Event{"M Reboot", command_key});
    store_.commit(batch, Durability::Durable);  // before the RebootResponse
}

std::optional<std::string> Tasks::pending_reboot() const { return store_.get(kTask, kRebootKey); }

void Tasks::request_factory_reset() {
    Store::Batch batch;
    batch.put(std::string(kTask), std::string(kFactoryResetKey), "1");
    store_.commit(batch, Durability::Durable);
}

bool Tasks::pending_factory_reset() const { return store_.get(kTask, kFactoryResetKey).has_value(); }

void Tasks::clear_reboot() {
    Store::Batch batch;
    batch.erase(std::string(kTask), std::string(kRebootKey));
    store_.commit(batch, Durability::Durable);  // done before the reboot: never twice
}

void Tasks::clear_factory_reset() {
    Store::Batch batch;
    batch.erase(std::string(kTask), std::string(kFactoryResetKey));
    store_.commit(batch, Durability::Durable);
}

void Tasks::schedule_inform(std::int64_t due, const std::string& command_key) {
    Store::Batch batch;
    const std::uint64_t id = next_id(store_, batch, kInforms);
    batch.put(std::string(kInforms), id_key(id),
              RecordWriter().number("due", due).text("command_key", command_key).take());
    store_.commit(batch, Durability::Durable);  // before the ScheduleInformResponse
}

std::vector<Tasks::ScheduledInform> Tasks::scheduled_informs() const {
    std::vector<ScheduledInform> out = load(kInforms, decode_inform);
    std::stable_sort(out.begin(), out.end(),
                     [](const ScheduledInform& a, const ScheduledInform& b) { return a.due < b.due; });
    return out;
}

void Tasks::remove_scheduled_inform(std::uint64_t id) {
    Store::Batch batch;
    batch.erase(std::string(kInforms), id_key(id));
    store_.commit(batch);
}

std::uint64_t Tasks::request_download(const DownloadRequest& r) {
    if (download_requests().size() >= kMaxDownloadRequests) return 0;
    Store::Batch batch;
    const std::uint64_t id = next_id(store_, batch, kDownloadRequests);
    batch.put(std::string(kDownloadRequests), id_key(id), encode(r));
    // Single-type: refused only when the queue is full of other single-type events.
    if (const Event e{std::string(kRequestDownloadEvent), ""}; stage_event(store_, batch, events(), e) == Staged::Refused)
        refused(e);
    store_.commit(batch);
    return id;
}

std::vector<Tasks::DownloadRequest> Tasks::download_requests() const {
    return load(kDownloadRequests, decode_download_request);
}

void Tasks::remove_download_request(std::uint64_t id) {
    Store::Batch batch;
    batch.erase(std::string(kDownloadRequests), id_key(id));
    const std::vector<DownloadRequest> left = download_requests();
    if (std::all_of(left.begin(), left.end(), [&](const DownloadRequest& r) { return r.id == id; }))
        for (const Event& e : events())
            if (e.code == kRequestDownloadEvent) batch.erase(std::string(kEvents), id_key(e.id));
    store_.commit(batch);
}

void Tasks::refused(const Event& e) const {
    log_.warning("event " + e.code + (e.command_key.empty() ? "" : " [" + e.command_key + "]") +
                 " not queued: the queue holds " + std::to_string(kMaxEvents) + " events that must stay");
}

bool Tasks::add_event(const Event& e) {
    Store::Batch batch;
    const Staged staged = stage_event(store_, batch, events(), e);
    if (staged == Staged::Added) store_.commit(batch);
    return staged != Staged::Refused;
}

bool Tasks::hold_event(const Event& e) {
    const std::vector<Event> queued = events();
    if (already_queued(queued, e)) return true;
    if (queued.size() >= kMaxEvents) return add_event(e);  // the store's rules choose what goes
    held_.push_back({e.code, e.command_key, kHeldId | ++held_ids_});
    return true;
}

void Tasks::keep_held() {
    if (held_.empty()) return;
    std::vector<Event> held;
    held.swap(held_);
    Store::Batch batch;
    std::vector<Event> queued = events();  // the stored ones, now that none is held
    for (const Event& e : held) {
        if (stage_event(store_, batch, queued, e) == Staged::Refused) {
            refused(e);
        } else {
            queued.push_back(e);
        }
    }
    store_.commit(batch);
}

std::vector<Event> Tasks::events() const {
    std::vector<Event> out = load(kEvents, decode_event);
    out.insert(out.end(), held_.begin(), held_.end());
    return out;
}

void Tasks::clear_events() {
    held_.clear();
    Store::Batch batch;
    for (const auto& entry : store_.all(kEvents)) batch.erase(std::string(kEvents), entry.first);
    store_.commit(batch);
}

std::vector<std::uint64_t> Tasks::forget_queued() {
    std::vector<std::uint64_t> dropped;
    held_.clear();
    Store::Batch batch;
    for (const std::string_view space : {kTransfers, kInforms, kDownloadRequests, kEvents})
        for (const auto& entry : store_.all(space)) {
            batch.erase(std::string(space), entry.first);
            if (space == kTransfers) {
                try {
                    dropped.push_back(store::id_of_key(entry.first));
                } catch (const RecordError&) {
                    // A damaged key numbers no staging file; the record goes all the same.
                }
            }
        }
    store_.commit(batch, Durability::Durable);  // before the board's reset: a crash redoes it
    return dropped;
}

void Tasks::clear_events(std::span<const Event> delivered) {
    Store::Batch batch;
    for (const Event& e : delivered) {
        if ((e.id & kHeldId) != 0) {
            std::erase_if(held_, [&](const Event& h) { return h.id == e.id; });
        } else if (e.id != 0) {
            batch.erase(std::string(kEvents), id_key(e.id));
        }
    }
    store_.commit(batch);
}

}  // namespace cwmp::tasks
