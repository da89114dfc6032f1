// Carrying out the transfers the ACS queued (Download, Upload,
// ScheduleDownload): each step is persisted before the next begins, so that
// a kill -9 (or a SIGTERM) at any moment still ends in exactly one
// TransferComplete with the right result.  A file the platform installs with
// a reboot pending is finished by the next start; one cut off mid-way is
// fetched again.  The bytes move on the agent's loop (transfer/multi), up
// to `max_concurrent` transfers at once, while sessions, connection
// requests, timers and signals go on; what a finished transfer does with
// its file (apply a configuration, hand an image to the board) and every
// store write happen on the agent thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <string_view>

#include "cwmp/dm/own.h"
#include "cwmp/soap/writer.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/transfer/fetch.h"
#include "cwmp/transfer/multi.h"
#include "cwmp/util/loop.h"

namespace cwmp::dm {
class Engine;
}
namespace cwmp::platform {
class Board;
}
namespace cwmp::util {
class Log;
}

namespace cwmp::transfer {

struct ManagerOptions {
    std::string staging_dir = "/tmp";  // where downloads land before the platform takes them
    std::string ca_file;               // HTTPS file servers are verified as the ACS is
    bool verify = true;
    std::uint32_t max_concurrent = 1;    // transfers moving at once; the others wait, queued
    std::chrono::seconds stall{60};      // a transfer below low_speed_bytes/s this long fails (9010/9011)
    std::uint32_t low_speed_bytes = 1;
    // A finished transfer's report waits for the others moving or due, at most this long.
    std::chrono::seconds report_wait{30};
};

class Manager {
public:
    Manager(tasks::Tasks& tasks, dm::Engine& engine, platform::Board& board, const util::Log& log,
            util::Loop& loop, ManagerOptions options);
    // Transfers still moving are dropped: persisted as started, they are
    // fetched again after the restart (recover()); their staging files go.
    ~Manager();
    Manager(const Manager&) = delete;
    Manager& operator=(const Manager&) = delete;

    // At start: finishes what the platform installed before the reboot and
    // queues again what a restart interrupted.
    void recover(std::int64_t now);

    struct Step {
        std::int64_t next_due = INT64_MAX;  // when to look again (a transfer due, a report's wait over)
        bool completed = false;             // finished transfers: a session to send their TransferCompletes
        bool reboot = false;                // an installed file waits for a reboot
    };
    // Starts the transfers that are due, as many as may move at once; says
    // when a session should report what finished: once no transfer moves
    // or waits its turn (one session reports a batch the ACS queued
    // together), or after options.report_wait at the latest (a long image
    // does not hold back the report of a small file).
    Step step(std::int64_t now);

    // Transfers moving now.
    std::size_t active() const noexcept { return active_.size(); }

    void set_options(ManagerOptions options) { options_ = std::move(options); }

    // Takes the platform's own finished transfers and keeps those the
    // ACS's AutonomousTransferCompletePolicy asks for; true when one was kept.
    bool collect_autonomous(std::int64_t now);

private:
    struct Active {
        tasks::Transfer transfer;
        std::unique_ptr<Fetch> fetch;
        std::string staging;
    };
    void start(tasks::Transfer t, std::int64_t now);
    void done(std::uint64_t id, int curl_code);
    void finished_download(tasks::Transfer& t, const std::string& staging, Fault fault, std::string message);
    FetchOptions fetch_options(const tasks::Transfer& t) const;
    void finish(tasks::Transfer& t, Fault fault, const std::string& message, std::int64_t now);
    Fault apply_configuration(const std::string& path, std::string& message);
    Fault export_configuration(const std::string& path, std::string& message);

    tasks::Tasks& tasks_;
    dm::Engine& engine_;
    platform::Board& board_;
    const util::Log& log_;
    dm::Own own_{engine_, log_};  // the AutonomousTransferCompletePolicy read: a failure logged once
    ManagerOptions options_;
    std::map<std::uint64_t, Active> active_;  // by transfer id; before multi_, which must go first
    Multi multi_;
    bool reboot_ = false;
    // Since when a finished transfer waits for a session to report it.
    std::optional<std::chrono::steady_clock::time_point> unreported_since_;
};

// Where transfer `id` keeps its file while it moves (under ManagerOptions::staging_dir).
std::string staging_path(const std::string& staging_dir, std::uint64_t id);

// Removes a staged file: a file already gone is no failure; another failure
// (a directory there, a read-only mount) is logged as a warning with the
// path and the system's reason (`why`: whose file it was).  Returns whether
// the file is gone.
bool discard_staged(const std::string& path, const util::Log& log, std::string_view why);

// The TransferComplete (or, for a transfer the device made on its own,
// AutonomousTransferComplete) request for a finished transfer (CPE -> ACS).
std::string transfer_complete(const tasks::Transfer& t, soap::Namespace ns, std::string_view id);

}  // namespace cwmp::transfer
