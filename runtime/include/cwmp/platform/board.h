// The board seam: everything a vendor codes against to run cwmpd on a device.
//
// A board is a folder platform/<name>/ (or any folder named in the meson
// option `boards`) holding:
//   - meson.build: declares the board's name, the device profile it binds
//     (models/profiles/<profile>.xml, or a profile file of its own) and its
//     sources (see platform/README.md; platform/sim/meson.build is one);
//   - one .cpp per area of the profile defining the functions the generator
//     declares in "cwmp/platform/<area>.h" (read, write, instances, add,
//     remove), each called with a dm::Context whose board() is the board;
//   - a class derived from platform::Board (below) for what is not a
//     parameter: reboot, factory reset, files, free space, change pushes;
//   - its factory: `cwmp::boards::make_<name>` of type BoardFactory, which
//     builds the board from its own `[board]` section of cwmpd's configuration
//     file (given verbatim, with file and line for errors).
// cwmpd selects a board by the configuration key `board = NAME`; neither the
// runtime nor cwmpd names any board.
//
// Everything here is header-only, so that this file compiles on its own.
#pragma once

#include <charconv>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/dm/types.h"
#include "cwmp/fault.h"
#include "cwmp/util/log.h"

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

// One `key = value` line of the board's section, and where it was written.
struct ConfigEntry {
    std::string key;
    std::string value;
    std::string file;
    int line = 0;

    // "cwmpd.conf:12: extra_channels": how a message names the entry.
    std::string where() const { return file + ":" + std::to_string(line) + ": " + key; }
};

// A board's answer about a file it was handed (Download) or asked for
// (Upload): a transfer fault, Fault::None when all went well, and for a
// fault what failed, naming the file; the agent puts that cause in
// TransferComplete's FaultString after the fault's own text.  Converts from
// a bare Fault, so `return Fault::UploadFailure;` still reads as before.
struct FileResult {
    Fault fault = Fault::None;
    std::string cause;
    FileResult(Fault f = Fault::None, std::string why = {}) : fault(f), cause(std::move(why)) {}  // NOLINT: implicit
    friend bool operator==(const FileResult& r, Fault f) noexcept { return r.fault == f; }
};

// A bad `[board]` section: what a factory throws; cwmpd prints the message
// and stops at start.  Built from an entry, the message names file, line and key.
class BoardConfigError : public std::runtime_error {
public:
    explicit BoardConfigError(const std::string& message) : std::runtime_error(message) {}
    BoardConfigError(const ConfigEntry& entry, std::string_view why)
        : std::runtime_error(entry.where() + ": " + std::string(why)) {}
};

// The `[board]` section of cwmpd's configuration, verbatim and in file order.
struct BoardConfig {
    std::string file;  // the configuration file (for messages about the section as a whole)
    std::vector<ConfigEntry> entries;

    // Typed readings of an entry's value; a bad value throws BoardConfigError
    // naming the entry.
    static std::uint64_t unsigned_value(const ConfigEntry& e, std::uint64_t max = UINT64_MAX) {
        std::uint64_t n = 0;
        const char* end = e.value.data() + e.value.size();
        auto [p, ec] = std::from_chars(e.value.data(), end, n);
        if (e.value.empty() || ec != std::errc() || p != end || n > max)
            throw BoardConfigError(e, "not a number in 0.." + std::to_string(max) + ": " + e.value);
        return n;
    }
    static bool bool_value(const ConfigEntry& e) {
        if (e.value == "true" || e.value == "yes" || e.value == "1") return true;
        if (e.value == "false" || e.value == "no" || e.value == "0") return false;
        throw BoardConfigError(e, "not true or false: " + e.value);
    }
    static BoardConfigError unknown(const ConfigEntry& e) { return BoardConfigError(e, "unknown board key"); }
};

// What a board keeps across restarts: the values the ACS wrote to its
// parameters (Alias values included), rows the ACS added to its tables.
// libcwmp keeps them in the agent's store (one transaction per update, so a
// power cut leaves an update wholly applied or not at all) and wipes them at a
// factory reset, before Board::factory_reset() runs.  Keys are the board's own
// (instance paths are a good choice); values are strings.
class Settings {
public:
    virtual ~Settings() = default;
    // Everything stored (a board reads it once, as it starts).
    virtual std::map<std::string, std::string> load() const = 0;
    // Puts (a value) and erases (nullopt) together; durable when it returns.
    // Throws std::runtime_error when the store cannot be written (a platform
    // write then ends in fault 9002 and the board keeps its old value).
    using Update = std::vector<std::pair<std::string, std::optional<std::string>>>;
    virtual void update(const Update& changes) = 0;

    void put(std::string key, std::string value) { update({{std::move(key), std::move(value)}}); }
    void erase(std::string key) { update({{std::move(key), std::nullopt}}); }
};

// Settings that live as long as the object (tests, benchmarks, tools).
class MemorySettings final : public Settings {
public:
    std::map<std::string, std::string> load() const override { return values_; }
    void update(const Update& changes) override {
        for (const auto& [key, value] : changes) {
            if (value) values_[key] = *value;
            else values_.erase(key);
        }
    }

private:
    std::map<std::string, std::string> values_;
};

// A device's platform code derives its board state from this; cwmpd owns one
// (built by the board's factory) and hands it to the engine, so nothing is
// global.  Every virtual has a default, so a board overrides what it does.
// All calls come on cwmpd's one thread.
class Board {
public:
    virtual ~Board() = default;

    // Once the agent is set up, before the first session; and before cwmpd
    // ends (on a signal, for a reboot or a factory reset).
    virtual void start() {}
    virtual void stop() {}

    // The ACS asked for a Reboot (or a download needs one to take effect):
    // the agent's state is saved; the board restarts the device (a real
    // board runs its reboot command).  cwmpd then exits with status 3, so a
    // board that reboots nothing (the sim) is restarted by cwmpd's supervisor.
    // Throws std::runtime_error when it cannot; cwmpd logs the message and
    // exits with status 3 all the same.
    virtual void reboot() {}

    // The ACS asked for a FactoryReset: the agent's store and the board's
    // Settings are already wiped; the board wipes whatever else of the ACS's
    // it keeps (files of its own) and restarts the device.  cwmpd then exits
    // with status 4.  Errors as for reboot().
    virtual void factory_reset() {}

    // Files the ACS sends (Download): check the file at `path` (a staging
    // file the agent removes afterwards) and apply it.  A firmware image
    // typically needs a reboot to take effect: set `reboot` then.  Returns
    // a transfer fault (9010, 9018 corrupted, 9019 not authentic...) when the
    // file is refused; the default refuses every file type.
    virtual FileResult apply_file(std::string_view file_type, const std::string& path, std::string_view target_name,
                             bool& reboot) {
        (void)file_type, (void)path, (void)target_name, (void)reboot;
        return Fault::DownloadFailure;
    }

    // Files the ACS asks for (Upload) that only the platform has, such as
    // "2 Vendor Log File": written to `path`.
    virtual FileResult produce_file(std::string_view file_type, const std::string& path) {
        (void)file_type, (void)path;
        return Fault::UploadFailure;
    }

    // Bytes free for a download's staging file and what it installs.
    virtual std::uint64_t free_space() const { return UINT64_MAX; }

    // An identifier of the current boot of the device (the Linux kernel's
    // boot_id, say), read as the agent starts: a start under the id of the
    // previous start is a restart of cwmpd alone, which keeps the pending
    // events and reports no "1 BOOT".  Empty: the board cannot tell, and
    // every start of cwmpd counts as a boot.
    virtual std::string boot_id() const { return {}; }

    // Transfers the device finished on its own since the last call (each is
    // returned once; the agent persists and reports them).
    virtual std::vector<AutonomousTransfer> finished_autonomous_transfers() { return {}; }

    // A descriptor cwmpd's loop polls for the board (a netlink socket, say;
    // -1 for none); when it is readable cwmpd calls on_event(), which reads
    // it and typically calls changed().
    virtual int event_fd() const { return -1; }
    virtual void on_event() {}

    // Values that may have changed: a board that knows (an event from its
    // drivers) calls changed(), and the agent compares the notified values at
    // once instead of at its next poll.
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

// What a board's factory receives.
struct BoardSetup {
    const BoardConfig& config;              // its `[board]` section, verbatim
    std::function<std::int64_t()> clock;    // wall clock, Unix seconds
    std::string state_dir;                  // a directory for its own files (beside the agent's store)
    Settings& settings;                     // outlives the board
    const util::Log& log;                   // outlives the board
};

// The entry point each board provides, as
//   namespace cwmp::boards { std::unique_ptr<platform::Board> make_NAME(const platform::BoardSetup&); }
// (NAME the board's name with '-' as '_').  It throws BoardConfigError for a
// bad section (an unknown key included).  `cwmpd --check` calls it too (with
// scratch Settings, the board then dropped unstarted): it reads its section
// and may look at the device, but starts nothing before start().
using BoardFactory = std::unique_ptr<Board>(const BoardSetup&);

}  // namespace cwmp::platform

namespace cwmp::dm {

// What a platform function is called with: the board it runs on.
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
