// The set-top box itself as the simulated world has it, apart from any data
// model: its firmware banks and which one boots, the RDK firmware updater's
// own download, its memory, CPUs, processes and temperature sensors, and
// its clock as date(1) prints it.
//
// What the ACS changed is kept in the board's settings under the box's
// Device.DeviceInfo. paths (the keys it always had, so a restart keeps it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "board.h"
#include "cwmp/dm/types.h"

namespace cwmp::sim::device {

// Where the box keeps what the ACS wrote of it, and its RDK vendor settings.
inline const std::string kInfoKey = "Device.DeviceInfo.";
inline const std::string kVendorKey = kInfoKey + "X_RDKCENTRAL-COM_";

// "Tue Nov 14 22:13:20 UTC 2023": the box's clock as date(1) prints it.
std::string wall_clock(std::int64_t unix_seconds);

// --- Firmware banks -----------------------------------------------------------------

// The banks by reference (as BootFirmwareImage names them): 1 runs.
inline const std::string kActiveImage = "Device.DeviceInfo.FirmwareImage.1";
inline const std::string kOtherImage = "Device.DeviceInfo.FirmwareImage.2";
constexpr std::uint32_t kImages = 2;

// Whether bank `n` (1..kImages) may be booted; the ACS may withdraw one.
bool image_available(const SimBoard& b, std::uint32_t n);
// The bank booted next; the running one until the ACS chose.
std::string boot_image(const SimBoard& b);
// Boots `image` next (a trailing "." allowed); false, changing nothing, for
// a bank that does not exist or was withdrawn.
bool choose_boot_image(SimBoard& b, std::string image);
// Neither the running bank nor the one to boot next may be withdrawn.
bool may_withdraw(const SimBoard& b, std::uint32_t n);

// --- The RDK firmware updater's download (X_RDKCENTRAL-COM_FirmwareDownloadNow) ------

enum class DownloadStatus { Idle, Initiated, InProgress, Completed, Successful, Error };
struct Download {
    DownloadStatus status;
    std::int32_t percent;    // -1: none
    std::string_view state;  // what the updater says it does
};
inline const std::string kDefaultDownloadURL = "https://firmware.example.com/ex4k200";

// Where the download stands, from the seconds since it was started: 5 s
// requesting, then vendor_download_seconds downloading, 10 s to complete;
// without a file named to download it fails.
Download vendor_download(const SimBoard& b);
// Starts (or restarts) the download now.
void start_vendor_download(SimBoard& b);
std::string download_url(const SimBoard& b);
std::string file_to_download(const SimBoard& b);
bool defer_reboot(const SimBoard& b);

// --- Memory -------------------------------------------------------------------------

constexpr std::uint32_t kMemTotal = 2031616;    // KiB of RAM Linux sees
constexpr std::uint32_t kFlashTotal = 7471104;  // KiB of eMMC
// Free RAM breathes by 48 MiB over five minutes.
std::uint32_t free_memory(const SimBoard& b);
// Logs fill the flash by half a KiB a second until the hourly rotation.
std::uint32_t free_flash(const SimBoard& b);
// RAM in use, in percent (rounded).
std::uint32_t memory_utilization(const SimBoard& b);

// --- CPUs and processes -------------------------------------------------------------

constexpr std::uint32_t kCPUs = 4;
// Load of CPU `cpu` (1..kCPUs) in percent: user 8..22, system 3..8, each CPU out of step.
std::uint32_t user_load(const SimBoard& b, std::uint32_t cpu);
std::uint32_t system_load(const SimBoard& b, std::uint32_t cpu);
// The mean of all CPUs (rounded).
std::uint32_t cpu_usage(const SimBoard& b);

struct Process {
    std::uint32_t pid;
    const char* command;
    std::uint32_t priority;  // 0 is highest
    std::uint32_t size;      // KiB
    std::uint32_t permille;  // share of one CPU
};
constexpr std::uint32_t kProcesses = 7;
// Process `n` (1..kProcesses; std::out_of_range otherwise).
const Process& process(std::uint32_t n);
std::uint32_t cpu_ms(const SimBoard& b, const Process& p);  // clamped to 32 bits
std::uint32_t memory_size(const SimBoard& b, const Process& p);  // KiB, breathing a little
// The streamer and this agent are always at work; the browser renders in bursts.
bool running(const SimBoard& b, const Process& p);

// --- Temperature sensors ------------------------------------------------------------

constexpr std::uint32_t kSensors = 2;
constexpr std::int32_t kUnsetAlarm = -274;  // TR-181: "not configured"

// What sensor `number` (1..kSensors; std::out_of_range otherwise) read
// since its reset (the boot, or the ACS's Reset); its settings kept below `key`.
struct SensorReading {
    std::string_view name;
    bool enabled;
    std::int32_t value;
    dm::DateTime reset;
    std::int32_t min_value, max_value;
    dm::DateTime min_time, max_time;
    // The alarm limits, and when each was first reached since the later of
    // the reset and its last change (the unknown time: not reached, or unset).
    std::int32_t high_alarm, low_alarm;
    dm::DateTime high_alarm_time, low_alarm_time;
};
SensorReading read_sensor(const SimBoard& b, std::uint32_t number, const std::string& key);

// What the ACS changes of a sensor, each when set.
struct SensorChanges {
    std::optional<bool> enable{};
    std::optional<std::int32_t> high_alarm{};
    std::optional<std::int32_t> low_alarm{};
    bool reset = false;
};
// A new alarm value restarts its alarm; a reset restarts extremes and alarms.
void change_sensor(SimBoard& b, const std::string& key, const SensorChanges& c);

}  // namespace cwmp::sim::device
