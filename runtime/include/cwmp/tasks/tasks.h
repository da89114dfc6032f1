// What the ACS asked the CPE to do later, persisted so that a restart or a
// kill -9 loses none of it: queued transfers (Download, Upload,
// ScheduleDownload), a pending Reboot or FactoryReset, ScheduleInform
// requests, and the events the next Inform must carry.  Carrying the tasks
// out is the session and transfer layers' job; this is their queue, a module
// below them and the agent (it includes only the store and util layers).
//
// Every change is one store transaction, durable (synced) where the ACS is
// told of it or a transfer moves on, lazy otherwise (runtime/README.md,
// "Durable commit points").  Nothing is cached: each query
// reads the store, so two Tasks over one store never disagree; the one
// exception is an event held for the session about to start (hold_event),
// this Tasks' own until it is delivered or kept.  Ids come
// from counters committed with the record they number, so an id is never
// handed out twice, even after the record is removed.  A record that cannot
// be read back (a damaged store) is left out of every listing and logged as a
// warning with its space, key and why, once per Tasks and record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/util/clock.h"

namespace cwmp::store {
class Store;
}
namespace cwmp::util {
class Log;
}

namespace cwmp::tasks {

// TR-069 TransferStateType.
enum class TransferState : std::uint8_t { NotStarted = 1, InProgress = 2, Completed = 3 };

// One time window of a ScheduleDownload (TimeWindowStruct), seconds after the request.
struct TimeWindow {
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    std::string mode;          // "1 At Any Time", "2 Immediately", "3 When Idle", "4 Confirmation Needed"
    std::string user_message;
    std::int32_t max_retries = 0;  // -1: the CPE decides

    bool operator==(const TimeWindow&) const = default;
};

struct Transfer {
    std::uint64_t id = 0;  // queue order, never reused
    // Autonomous*: a transfer the device made on its own, kept only to be
    // reported (AutonomousTransferComplete).
    enum class Kind : std::uint8_t {
        Download, Upload, ScheduleDownload, AutonomousDownload, AutonomousUpload
    } kind = Kind::Download;
    std::string command_key;
    std::string file_type;
    std::string url;
    std::string username;
    std::string password;  // stored as given: the transfer needs it
    std::uint32_t file_size = 0;
    std::string target_file_name;
    std::uint32_t delay_seconds = 0;
    std::string success_url;
    std::string failure_url;
    std::string announce_url;         // autonomous transfers: where the file was announced
    std::vector<TimeWindow> windows;  // ScheduleDownload only
    std::int64_t requested_at = 0;    // when the ACS asked (Unix seconds)
    TransferState state = TransferState::NotStarted;
    // Progress, persisted at each step so that a restart resumes it.
    enum class Phase : std::uint8_t {
        Queued,     // not started
        Started,    // fetching or sending (a restart starts it again)
        Installed,  // handed to the platform, which needs a reboot to finish
        Done        // result known; TransferComplete not yet acknowledged by the ACS
    } phase = Phase::Queued;
    std::int64_t start_time = 0;     // Unix seconds (0: unknown)
    std::int64_t complete_time = 0;
    std::uint32_t fault_code = 0;    // 0: success
    std::string fault_string;
    std::uint32_t attempts = 0;
    bool is_download() const noexcept { return kind != Kind::Upload && kind != Kind::AutonomousUpload; }
    bool autonomous() const noexcept { return kind == Kind::AutonomousDownload || kind == Kind::AutonomousUpload; }

    bool operator==(const Transfer&) const = default;
};

// An event for the next Inform (EventStruct).
struct Event {
    std::string code;         // "1 BOOT", "M Reboot", ...
    std::string command_key;
    std::uint64_t id = 0;     // queue order, set by the queue (0 for an event not queued)
};

class Tasks {
public:
    // `log` hears of damaged records.
    Tasks(store::Store& store, util::Clock now, const util::Log& log);

    // Transfers, in the order they were queued.  `queue` assigns the id and
    // persists before it returns; it returns 0 (and queues nothing) when
    // kMaxQueued transfers are queued already.  Store failures throw
    // store::StoreError, here and below.
    static constexpr std::size_t kMaxQueued = 16;  // QueuedTransferStruct maxOccurs
    std::uint64_t queue(Transfer t);
    std::vector<Transfer> transfers() const;
    // False when no transfer has that id.
    bool set_state(std::uint64_t id, TransferState state);
    // Rewrites a queued transfer (its progress), with `events` added in the
    // same transaction (a finished transfer and its TRANSFER COMPLETE event
    // are stored together or not at all).  False when it is not queued.
    bool update(const Transfer& t, std::span<const Event> events = {});
    void remove(std::uint64_t id);
    void remove(std::span<const std::uint64_t> ids);  // all in one transaction

    // Reboot and FactoryReset requests, until the agent carries them out.
    // `request_reboot` also queues "M Reboot" with the CommandKey, in the
    // same transaction, for the Inform that follows the reboot.
    void request_reboot(const std::string& command_key);
    std::optional<std::string> pending_reboot() const;  // its CommandKey
    void request_factory_reset();
    bool pending_factory_reset() const;
    void clear_reboot();
    void clear_factory_reset();

    // ScheduleInform: an Inform with "3 SCHEDULED" and "M ScheduleInform"
    // (CommandKey) at `due` (Unix seconds).  Listed soonest first.
    struct ScheduledInform {
        std::uint64_t id = 0;
        std::int64_t due = 0;
        std::string command_key;
    };
    void schedule_inform(std::int64_t due, const std::string& command_key);
    std::vector<ScheduledInform> scheduled_informs() const;
    void remove_scheduled_inform(std::uint64_t id);

    // RequestDownload (TR-069 A.4.2.2): the device asks the ACS for a file.
    // Queued with its "9 REQUEST DOWNLOAD" event in one transaction, kept
    // until the ACS answered RequestDownloadResponse (3.7.1.5), so a restart
    // loses none.  Returns 0 (and queues nothing) when kMaxDownloadRequests
    // are queued already.
    struct DownloadRequest {
        std::uint64_t id = 0;
        std::string file_type;  // DownloadFileType: "1 Firmware Upgrade Image", ...
        std::vector<std::pair<std::string, std::string>> args;  // FileTypeArg (ArgStruct Name, Value)
    };
    static constexpr std::size_t kMaxDownloadRequests = 16;
    std::uint64_t request_download(const DownloadRequest& r);
    std::vector<DownloadRequest> download_requests() const;
    // Removes the request; its event goes with the last request.
    void remove_download_request(std::uint64_t id);

    // Events waiting for an Inform the ACS acknowledges, oldest first, by
    // TR-069's rules for the EventStruct array: a single-type event
    // ("1 BOOT", "4 VALUE CHANGE", ...) appears at most once; "M ..." and
    // vendor "X ..." events repeat, once per CommandKey; at most kMaxEvents.
    // When the queue is full a single-type event displaces the oldest
    // "M"/"X" one (a lost BOOT or BOOTSTRAP would mislead the ACS more).
    // `add_event` returns whether the event is now queued (it may have been
    // already); false only when it could not be kept.
    static constexpr std::size_t kMaxEvents = 64;  // EventStruct maxOccurs
    bool add_event(const Event& e);
    // An event raised for the session about to start ("2 PERIODIC"): queued
    // by the same rules, listed by events(), but held in memory, so that
    // when that session delivers it, it costs no store write at all.  What
    // that session does not deliver, keep_held() writes (the caller calls it
    // once the session is over, delivered or not).  A process killed while
    // an event is held loses it, as a power cut loses a lazy commit; a full
    // queue takes the event by add_event.
    bool hold_event(const Event& e);
    void keep_held();
    std::vector<Event> events() const;
    void clear_events();
    // Removes only the events an acknowledged Inform carried (by id), so
    // that events raised during the session survive for the next one.
    void clear_events(std::span<const Event> delivered);

    // Factory reset (TR-069: nothing the ACS set survives it): every queued
    // transfer (with its URL and credentials), scheduled inform, download
    // request and waiting event goes, in one durable transaction.  Returns
    // the ids of the transfers dropped (their staging files are the
    // caller's).  The id counters stay: an id is still never reused.
    std::vector<std::uint64_t> forget_queued();

    std::int64_t now() const { return now_(); }

private:
    // Every readable record of `space`, in id order; the others logged.
    template <class Decode>
    auto load(std::string_view space, Decode decode) const;
    void report_damaged(std::string_view space, std::string_view key, std::string_view why) const;
    // An event the full queue could not take (a transfer's, a RequestDownload's): logged.
    void refused(const Event& e) const;

    store::Store& store_;
    util::Clock now_;
    const util::Log& log_;
    std::vector<Event> held_;   // hold_event's, oldest first; ids with kHeldId set
    std::uint64_t held_ids_ = 0;
    // Damaged records logged already ("space/key"): a listing read at every
    // step of the agent logs each once, not at every step.
    mutable std::set<std::string, std::less<>> reported_;
};

}  // namespace cwmp::tasks
