// The simulated set-top box: deterministic values that move with time.
//
// Every value is a function of the board's clock (injected, so tests control
// it), the instance numbers and what the ACS wrote.  Counters grow at fixed
// rates, uptime moves, tuner 1 locks and unlocks on a 40 s cycle; written
// settings are kept by instance path, through the agent's store when the
// board is given platform::Settings (so they survive a restart).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/dm/context.h"
#include "cwmp/platform/board.h"
#include "cwmp/dm/types.h"
#include "cwmp/dm/value.h"
#include "cwmp/fault.h"

namespace cwmp::sim {

// "Device.IP.Interface.2." style path of an instance, for settings keys.
std::string instance_path(std::string_view path_template, const dm::Instance& in);

// How big the simulated box is (benchmarks scale it up) and where it keeps
// what must survive a restart (its firmware banks).
struct SimOptions {
    // DVB-T channels beyond the real five-channel lineup (one service each).
    std::uint32_t extra_channels = 0;
    std::string state_dir;  // "" = nothing survives the process
    std::uint64_t free_space = 512ull << 20;
    std::uint32_t vendor_download_seconds = 90;  // the RDK firmware updater's download
};

struct FirmwareImage {
    std::string name;
    std::string version;
};

class SimBoard : public platform::Board {
public:
    using Clock = std::function<std::int64_t()>;  // seconds since the Unix epoch

    // The board "boots" at the clock's current time.  What the ACS writes is
    // kept in `settings` when given (it must outlive the board), else in memory.
    explicit SimBoard(Clock clock, SimOptions options = {}, platform::Settings* settings = nullptr);
    const SimOptions& options() const { return options_; }

    // Firmware: [0] runs, [1] is the other bank.  A downloaded image is
    // checked, written to the other bank and made the running one at the
    // next start (the board asks for a reboot).  Image format: a first line
    // "EXSTB-FIRMWARE 1", then "version: X" and optional "signature: bad";
    // anything else is a corrupted file (9018), a bad signature 9019.
    const std::array<FirmwareImage, 2>& images() const { return images_; }
    platform::FileResult apply_file(std::string_view file_type, const std::string& path, std::string_view target_name,
                          bool& reboot) override;
    // "2 Vendor Log File" (and "4 Vendor Log File <i>"): the box's log.
    platform::FileResult produce_file(std::string_view file_type, const std::string& path) override;
    std::uint64_t free_space() const override { return options_.free_space; }
    // None: the plain box has no updater of its own that transfers files
    // (SetTopBox has); passes on a RequestDownload asked for meanwhile.
    std::vector<platform::AutonomousTransfer> finished_autonomous_transfers() override;
    // Nothing to restart but the process (cwmpd's supervisor does that);
    // a factory reset forgets what the ACS wrote (its Settings are wiped
    // already) and the rows it added; the firmware banks stay as they are.
    void factory_reset() override;
    // Hands a RequestDownload asked for in the state directory to the agent.
    void request_downloads_asked_for();

    std::int64_t now() const { return clock_(); }
    std::uint32_t uptime() const;  // seconds since boot
    std::int64_t boot_time() const { return boot_; }

    // A counter that grows by `per_second` from boot, offset by a little
    // per-instance spread so that instances differ.
    std::uint64_t counter(std::uint64_t per_second, std::uint32_t instance = 1) const;

    // Tuner 1 is locked except for the last kUnlockedFor s of every
    // kLockCycle s after boot; other tuners (and 0, the IP front end) always.
    static constexpr std::int64_t kLockCycle = 40;
    static constexpr std::int64_t kLockedFor = 30;
    bool tuner_locked(std::uint32_t instance) const;
    // Seconds of [from, to) that `tuner` was locked (clamped to boot).
    std::uint32_t locked_seconds(std::uint32_t tuner, std::int64_t from, std::int64_t to) const;

    // Settings written by the ACS, by instance path ("Device.Time.LocalTimeZone"),
    // in wire form; `fallback` until written.
    template <class T>
    T setting(std::string_view path, T fallback) const {
        if (settings_.empty()) return fallback;
        auto it = settings_.find(path);
        if (it == settings_.end()) return fallback;
        T value = fallback;
        using dm::parse;  // unqualified, so generated enumerations are found too
        return parse(it->second, value) == Fault::None ? value : fallback;
    }
    // The setting `name` of the instance `in` of `path_template`, without
    // building the key at all while nothing was written (the common case
    // of a large read).
    template <class T>
    T setting(std::string_view path_template, const dm::Instance& in, std::string_view name, T fallback) const {
        if (settings_.empty()) return fallback;
        return setting(instance_path(path_template, in) + std::string(name), fallback);
    }
    bool has_settings() const { return !settings_.empty(); }
    template <class T>
    void store(const std::string& path, const T& value) {
        std::string wire;
        using dm::format;  // unqualified, so generated enumerations are found too
        format(wire, value);
        auto it = settings_.find(path);
        if (it != settings_.end() && it->second == wire) return;
        if (persist_ != nullptr) persist_->put(path, wire);  // throws: nothing changes
        settings_.insert_or_assign(path, std::move(wire));
        changed();  // other values may follow this one (Status after Enable)
    }

    // Every value of a write, kept under `path` + its parameter name, in
    // one update of the Settings.
    template <class Changes>
    void store_changes(const std::string& path, const Changes& changes) {
        platform::Settings::Update update;
        changes.for_each([&](std::string_view name, const auto& value) {
            std::string wire;
            using dm::format;
            format(wire, value);
            std::string key = path + std::string(name);
            auto it = settings_.find(key);
            if (it == settings_.end() || it->second != wire) update.emplace_back(std::move(key), std::move(wire));
        });
        if (update.empty()) return;
        if (persist_ != nullptr) persist_->update(update);  // throws: nothing changes
        for (auto& [key, wire] : update) settings_.insert_or_assign(std::move(key), std::move(*wire));
        changed();
    }

    // Tables whose instances the ACS may add and delete: the current
    // instance numbers below `table` ("Device.DNS.Client.Server."), starting
    // with `initial` instances numbered 1..initial; numbers are never reused.
    std::vector<std::uint32_t> rows(const std::string& table, std::uint32_t initial) const;
    std::uint32_t add_row(const std::string& table, std::uint32_t initial, std::uint32_t max_rows);
    bool remove_row(const std::string& table, std::uint32_t initial, std::uint32_t number);

private:
    struct Table {
        std::vector<std::uint32_t> rows;
        std::uint32_t next = 1;
    };
    Table& table(const std::string& name, std::uint32_t initial);
    // The rows of `name` as `t` will leave them, in the Settings update `u`.
    static void save_table(platform::Settings::Update& u, const std::string& name, const Table& t);

    Clock clock_;
    SimOptions options_;
    std::array<FirmwareImage, 2> images_;
    std::int64_t boot_;
    std::map<std::string, std::string, std::less<>> settings_;
    std::map<std::string, Table> tables_;
    platform::Settings* persist_;
};

// The set-top box of the rdk-stb profile: the simulated world with the RDK
// firmware updater of its own (X_RDKCENTRAL-COM_FirmwareDownloadNow), whose
// download is an autonomous transfer once it ended (device_world.cpp).
class SetTopBox : public SimBoard {
public:
    using SimBoard::SimBoard;
    std::vector<platform::AutonomousTransfer> finished_autonomous_transfers() override;
};

// The board of a platform call.
inline SimBoard& board(dm::Context& ctx) { return ctx.board_as<SimBoard>(); }

// The [board] section of cwmpd's configuration as options (factory.cpp);
// BoardConfigError for a key it does not know or a bad value.
SimOptions options_of(const platform::BoardSetup& setup);

// The instance number of the innermost {i} (or 0 without one).
inline std::uint32_t last(const dm::Instance& in) {
    return in.numbers.empty() ? 0 : in.numbers.back();
}

// 1..n as an instance list.
std::vector<std::uint32_t> numbered(std::uint32_t n);

// A triangle wave from 0 up to `amplitude` and back over `period` seconds
// (figures that breathe: free memory, loads, sizes).
std::uint32_t wave(std::uint32_t t, std::uint32_t period, std::uint32_t amplitude);

}  // namespace cwmp::sim
