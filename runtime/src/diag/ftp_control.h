// An FTP control connection as libcurl's debug callback shows it (the
// commands it sends, the server's reply lines): what TR-143 times on it
// (the RETR / STOR sent, the server's ready-for-transfer and transfer-complete
// replies) and which command a failure answered, so that a failure gets the
// DiagnosticsState of the step that failed (outcome.h).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace cwmp::diag {

class FtpControl {
public:
    using Time = std::chrono::system_clock::time_point;
    enum class Command { None, User, Pass, Acct, Cwd, Passive, Type, Size, Retr, Stor, Other };

    // A command line libcurl sent ("RETR f.bin\r\n"), at `at`.
    void sent(std::string_view line, Time at);
    // Reply text received (one or more lines; a line may arrive in pieces).
    void received(std::string_view text, Time at);

    Command last() const noexcept { return last_; }
    bool replied() const noexcept { return replied_; }  // the server said anything at all
    // RETR / STOR sent (ROMTime), its 125/150 (ready for transfer), its 226/250 (complete).
    Time transfer_sent() const noexcept { return transfer_sent_; }
    Time ready() const noexcept { return ready_; }
    Time complete() const noexcept { return complete_; }
    bool transfer_started() const noexcept { return ready_ != Time{}; }
    // A passive command was sent whose data connection is not yet claimed.
    bool passive_pending() const noexcept { return passive_pending_; }
    void claim_passive() noexcept { passive_pending_ = false; }

    static Command command_of(std::string_view line);

private:
    void reply(unsigned code, Time at);

    Command last_ = Command::None;
    bool replied_ = false;
    bool passive_pending_ = false;
    std::string partial_;  // a reply line not yet complete
    Time transfer_sent_{}, ready_{}, complete_{};
};

}  // namespace cwmp::diag
