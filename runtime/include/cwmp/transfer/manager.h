// Carrying out the transfers the ACS queued (Download, Upload,
// ScheduleDownload): each step is persisted before the next begins, so that
// a kill -9 at any moment still ends in exactly one TransferComplete with
// the right result.  A file the platform installs with a reboot pending is
// finished by the next start; one cut off mid-way is fetched again.
#pragma once

#include <cstdint>
#include <string>

#include "cwmp/agent/tasks.h"
#include "cwmp/soap/writer.h"

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
};

class Manager {
public:
    Manager(agent::Tasks& tasks, dm::Engine& engine, platform::Board& board, const util::Log& log,
            ManagerOptions options);

    // At start: finishes what the platform installed before the reboot and
    // queues again what a restart interrupted.
    void recover(std::int64_t now);

    struct Step {
        std::int64_t next_due = INT64_MAX;  // when a transfer is due next
        bool completed = false;             // a transfer finished: TransferComplete to send
        bool reboot = false;                // an installed file waits for a reboot
    };
    // Carries out the transfers that are due, one after the other.
    Step step(std::int64_t now);

    void set_options(ManagerOptions options) { options_ = std::move(options); }

    // Takes the platform's own finished transfers and keeps those the
    // ACS's AutonomousTransferCompletePolicy asks for; true when one was kept.
    bool collect_autonomous(std::int64_t now);

private:
    void run(agent::Transfer t, std::int64_t now, Step& out);
    void finish(agent::Transfer& t, Fault fault, const std::string& message, std::int64_t now);
    Fault apply_configuration(const std::string& path, std::string& message);
    Fault export_configuration(const std::string& path, std::string& message);

    agent::Tasks& tasks_;
    dm::Engine& engine_;
    platform::Board& board_;
    const util::Log& log_;
    ManagerOptions options_;
};

// The TransferComplete (or, for a transfer the device made on its own,
// AutonomousTransferComplete) request for a finished transfer (CPE -> ACS).
std::string transfer_complete(const agent::Transfer& t, soap::Namespace ns, std::string_view id);

}  // namespace cwmp::transfer
