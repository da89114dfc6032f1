// What a platform function is called with: the board it runs on.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/fault.h"

namespace cwmp::platform {

// A transfer the device made on its own (its firmware updater, say), for
// AutonomousTransferComplete.
struct AutonomousTransfer {
    std::string announce_url;
    std::string transfer_url;
    bool is_download = true;
    std::string file_type;        // "1 Firmware Upgrade Image", ...
    std::uint64_t file_size = 0;
    std::string target_file_name;
    Fault fault = Fault::None;
    std::string fault_string;
    std::int64_t start_time = 0;  // Unix seconds
    std::int64_t complete_time = 0;
};

// A device's platform code derives its board state from this; the daemon
// owns one and hands it to the engine, so nothing is global.
class Board {
public:
    virtual ~Board() = default;

    // Files the ACS sends (Download): check the file at `path` (a staging
    // file the agent removes afterwards) and apply it.  A firmware image
    // typically needs a reboot to take effect: set `reboot` then.  Returns
    // a transfer fault (9010, 9018 corrupted, 9019 not authentic...) when the
    // file is refused; the default refuses every file type.
    virtual Fault apply_file(std::string_view file_type, const std::string& path, std::string_view target_name,
                             bool& reboot) {
        (void)file_type, (void)path, (void)target_name, (void)reboot;
        return Fault::DownloadFailure;
    }

    // Files the ACS asks for (Upload) that only the platform has, such as
    // "2 Vendor Log File": written to `path`.
    virtual Fault produce_file(std::string_view file_type, const std::string& path) {
        (void)file_type, (void)path;
        return Fault::UploadFailure;
    }

    // Bytes free for a download's staging file and what it installs.
    virtual std::uint64_t free_space() const { return UINT64_MAX; }

    // Transfers the device finished on its own since the last call (each is
    // returned once; the agent persists and reports them).
    virtual std::vector<AutonomousTransfer> finished_autonomous_transfers() { return {}; }

    // Values that may have changed: a board that knows (an event from its
    // drivers) calls changed(), and the agent compares the notified values at
    // once instead of at its next poll.  Called on the agent's thread; a board
    // with threads of its own wakes the daemon's loop itself.
    void on_change(std::function<void()> listener) { listener_ = std::move(listener); }

    // The device wants a file from the ACS (RequestDownload, TR-069
    // A.4.2.2): a board calls request_download() (its firmware updater finds
    // it needs an image, say); the agent queues and sends it.
    using DownloadArgs = std::vector<std::pair<std::string, std::string>>;  // FileTypeArg name, value
    using DownloadRequester = std::function<bool(const std::string& file_type, const DownloadArgs& args)>;
    void on_request_download(DownloadRequester requester) { requester_ = std::move(requester); }

protected:
    void changed() const {
        if (listener_) listener_();
    }
    // False when the agent refused it (see Agent::request_download) or none listens.
    bool request_download(const std::string& file_type, const DownloadArgs& args = {}) const {
        return requester_ && requester_(file_type, args);
    }

private:
    std::function<void()> listener_;
    DownloadRequester requester_;
};

}  // namespace cwmp::platform

namespace cwmp::dm {

class Context {
public:
    explicit Context(platform::Board& board) noexcept : board_(board) {}
    platform::Board& board() const noexcept { return board_; }

    template <class B>
    B& board_as() const {
        return dynamic_cast<B&>(board_);
    }

private:
    platform::Board& board_;
};

}  // namespace cwmp::dm
