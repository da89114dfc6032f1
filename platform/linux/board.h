// The Linux host board: the machine cwmpd runs on, read on demand from
// /proc, /sys, netlink, statvfs and /etc (roots configurable for tests).
//
// Nothing is polled: values are read when the ACS asks, the interface and
// address tables are dumped over netlink at most once per kSnapshotMs (and
// again at once after the kernel announced a change), and the kernel's
// announcements (a netlink socket the daemon polls) make the board call
// changed() so that active notifications go out promptly.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/dm/context.h"
#include "cwmp/platform/board.h"
#include "cwmp/dm/types.h"
#include "cwmp/platform/storageservice.h"
#include "netlink.h"
#include "numbering.h"
#include "readers.h"

namespace cwmp::linux_board {

// A bad [board] key or value: the message names the key.
class BoardConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct LinuxOptions {
    Roots roots;
    // Where the board keeps its instance numbers ("" = nothing survives).
    std::string state_dir;
    // Run through /bin/sh -c: how the host reboots; a factory reset first
    // removes the board's own files, then runs it.
    std::string reboot_command = "systemctl reboot";
    // Identity: values given here win over DMI, /etc/machine-id, os-release.
    std::map<std::string, std::string, std::less<>> identity;
    // The host's log files (absolute paths, at most 64 characters: TR-181's
    // VendorLogFile.Name), in the order given; a missing one is no instance.
    std::vector<std::string> vendor_log_files;
};

// The most of a log file an Upload sends: its newest (last) bytes.
inline constexpr std::uint64_t kMaxLogUpload = 16u << 20;

// The [board] section's keys (key = value, as cwmpd passes them through):
//   proc_root sys_root etc_root state_dir reboot_command
//   manufacturer manufacturer_oui model_name description product_class
//   serial_number hardware_version software_version
//   vendor_log_files (comma-separated absolute paths)
// Throws BoardConfigError naming an unknown key.
LinuxOptions parse_options(const std::map<std::string, std::string, std::less<>>& section);

class LinuxBoard : public platform::Board {
public:
    using Logger = std::function<void(std::string_view)>;

    // Opens the netlink sockets (throws std::runtime_error naming the cause).
    // `settings` (may be null: nothing kept) holds what the ACS wrote to the
    // board's parameters: read here, changed by set_enable(), applied by
    // start(); it outlives the board.
    explicit LinuxBoard(LinuxOptions options, Logger log_error = {}, platform::Settings* settings = nullptr,
                        Logger log_info = {});
    const LinuxOptions& options() const { return options_; }
    const Roots& roots() const { return options_.roots; }

    // The Enable values the ACS wrote (kept in the Settings) go to the
    // interfaces they name that are there; one that appears later gets its
    // value when the kernel announces it.  Only then: an interface someone
    // brings up or down behind the agent's back while it runs stays so.
    void start() override;

    // The kernel's id of this boot (<proc_root>/sys/kernel/random/boot_id),
    // read at each call: a restart of cwmpd under the same id reports no
    // "1 BOOT" (platform::Board::boot_id).  Empty when it cannot be read.
    std::string boot_id() const override;

    // The kernel's announcements: cwmpd polls event_fd() and calls on_event().
    int event_fd() const override { return monitor_.fd(); }
    void on_event() override;

    // Reboot: the configured command.  Factory reset: the board's files go,
    // the interfaces the ACS disabled come up again (its Settings are wiped
    // already), then the same command.  Both throw std::runtime_error naming
    // what failed.
    void reboot() override;
    void factory_reset() override;

    // Upload of "2 Vendor Log File" (the first configured log file that
    // exists) or "4 Vendor Log File <i>" (VendorLogFile.<i>): its last
    // kMaxLogUpload bytes are copied to `path`.  A missing or unreadable file
    // is a 9011 whose log line names the file and the cause.
    platform::FileResult produce_file(std::string_view file_type, const std::string& path) override;

    // The configured log files that exist now, numbered stably:
    // (VendorLogFile instance number, path), by number.
    std::vector<std::pair<std::uint32_t, std::string>> log_files();

    // A kernel file or interface that should be there and is not: logged
    // (naming the path) and thrown, so that the agent answers 9002.
    [[noreturn]] void fail(const std::string& path, const std::string& why) const;
    std::string read(const std::string& path) const;  // read_file, failing as above

    // Identity, fixed at start (configuration, then DMI and friends).
    const std::string& identity(std::string_view key) const;

    // Networking, as of the latest snapshot.
    struct Iface {
        Link link;
        std::uint32_t ip_number = 0;
        std::uint32_t eth_number = 0;  // 0: not an Ethernet device
        std::int64_t last_change = 0;  // seconds since boot when its status last changed (or was first seen)
        std::vector<std::pair<std::uint32_t, Address>> ipv4, ipv6;
    };
    const std::vector<Iface>& interfaces();
    const Iface& by_ip(std::uint32_t number);   // fails (9002) when it is gone
    const Iface& by_eth(std::uint32_t number);
    LinkStats stats(const Iface& i);            // fresh from the kernel
    // An interface's Enable as the ACS writes it (IP or Ethernet, the same
    // device): set in the kernel, then kept in the Settings by interface name
    // so that a restart of cwmpd or of the host applies it again.  Returns 0
    // or the kernel's errno; a Settings failure puts the kernel back and throws.
    int set_enable(const Iface& i, bool up);
    std::int64_t steady_seconds() const;  // CLOCK_BOOTTIME

    // Stable numbers of the other tables (DNS servers, media, volumes).
    std::vector<std::uint32_t> number(const std::string& table, const std::vector<Numbering::Item>& items);
    // The key of `number` in `table`, or nothing.
    std::optional<std::string> key_of(const std::string& table, std::uint32_t number);

    // CPU busy percent since the previous reading (since boot at the first).
    std::uint32_t cpu_usage();

    // Tables as read when they were last listed (by instance number).  A
    // request lists a table before it reads its rows, so the rows answer from
    // here: an item that goes in between (a process ends, a disk is unplugged,
    // a filesystem unmounted) does not fail the whole request.
    template <class Row>
    using Snapshot = std::map<std::uint32_t, Row>;
    Snapshot<ProcessStat>& processes() { return processes_; }
    Snapshot<model::StorageService_PhysicalMedium>& media() { return media_; }
    Snapshot<model::StorageService_LogicalVolume>& volumes() { return volumes_; }

    // Logs `message` the first time it is given for `key` (an item left out
    // of a listing: said once, not at every request).
    void note_once(const std::string& key, const std::string& message);

private:
    void refresh();
    void save_numbers();
    void apply_enables();

    LinuxOptions options_;
    Logger log_error_;
    Logger log_info_;
    platform::Settings* settings_;
    std::map<std::string, bool, std::less<>> enables_;  // interface name -> Enable the ACS wrote
    std::set<std::uint32_t> enables_applied_;           // ifindexes apply_enables() has seen
    Netlink netlink_;
    Monitor monitor_;
    Numbers numbers_;
    std::map<std::string, std::string, std::less<>> identity_;
    std::vector<Iface> ifaces_;
    std::chrono::steady_clock::time_point taken_{};
    bool stale_ = true;
    std::map<std::uint32_t, std::pair<std::uint8_t, std::int64_t>> status_since_;  // ifindex -> operstate, since
    std::optional<CpuTimes> cpu_;
    Snapshot<ProcessStat> processes_;
    Snapshot<model::StorageService_PhysicalMedium> media_;
    Snapshot<model::StorageService_LogicalVolume> volumes_;
    std::set<std::string, std::less<>> noted_;
};

// The board of a platform call.
inline LinuxBoard& board(dm::Context& ctx) { return ctx.board_as<LinuxBoard>(); }

// The factory cwmpd calls with the [board] section.
std::unique_ptr<LinuxBoard> make_linux_board(const std::map<std::string, std::string, std::less<>>& section,
                                             LinuxBoard::Logger log_error = {},
                                             platform::Settings* settings = nullptr, LinuxBoard::Logger log_info = {});

// The Settings key of an interface's Enable ("enable NAME").
std::string enable_key(std::string_view interface_name);

// The number of the innermost {i} (or 0 without one).
inline std::uint32_t last(const dm::Instance& in) { return in.numbers.empty() ? 0 : in.numbers.back(); }

}  // namespace cwmp::linux_board
