#include "device_world.h"

#include <algorithm>
#include <ctime>
#include <iterator>
#include <limits>
#include <stdexcept>

namespace cwmp::sim::device {

namespace {

constexpr Process kProcessTable[] = {
    {1, "systemd", 20, 9216, 2},
    {412, "IARMDaemonMain", 20, 3584, 1},
    {467, "dsMgrMain", 20, 6144, 3},
    {598, "WPEFramework", 20, 71680, 40},
    {733, "rmfStreamer", 10, 48128, 90},
    {861, "WPEWebProcess", 20, 183296, 120},
    {902, "cwmp-agent", 20, 7168, 4},
};
static_assert(std::size(kProcessTable) == kProcesses);

// Readings start at ambient, warm up linearly for `warm` seconds, then swing
// over `period` seconds; so no extreme is new one period after warm-up.
struct Sensor {
    const char* name;
    std::int32_t ambient;
    std::int32_t target;
    std::uint32_t warm;
    std::uint32_t period;
    std::uint32_t swing;
    std::int32_t high_alarm;
};
constexpr Sensor kSensorTable[] = {
    {"SoC die", 27, 58, 900, 600, 6, 95},
    {"Main board (ambient)", 25, 41, 1800, 1200, 2, 70},
};
static_assert(std::size(kSensorTable) == kSensors);

dm::DateTime at_uptime(const SimBoard& b, std::uint32_t t) { return dm::DateTime{b.boot_time() + t}; }

std::string image_key(std::uint32_t n) { return kInfoKey + "FirmwareImage." + std::to_string(n) + "."; }

std::int32_t temperature(const Sensor& s, std::uint32_t t) {
    if (t < s.warm)
        return s.ambient + (s.target - s.ambient) * static_cast<std::int32_t>(t) / static_cast<std::int32_t>(s.warm);
    return s.target + static_cast<std::int32_t>(wave(t - s.warm, s.period, s.swing));
}

// The seconds after boot worth scanning from `from`: readings repeat one
// period after warm-up, so nothing later is a first.
std::uint32_t scan_end(const Sensor& s, std::uint32_t from, std::uint32_t now) {
    return std::min(now, std::max(from, s.warm) + s.period);
}

// First second in [from, now] whose reading reaches `limit` (upwards or
// downwards), or the unknown time.
dm::DateTime first_alarm(const SimBoard& b, const Sensor& s, std::uint32_t from, std::int32_t limit, bool high) {
    if (limit == kUnsetAlarm) return {};
    const std::uint32_t now = b.uptime();
    for (std::uint32_t t = std::min(from, now), end = scan_end(s, from, now); t <= end; ++t) {
        const std::int32_t v = temperature(s, t);
        if (high ? v >= limit : v <= limit) return at_uptime(b, t);
    }
    return {};
}

// The RDK firmware updater's download is a transfer the box makes on its
// own: reported once it has ended.
std::optional<platform::AutonomousTransfer> finished_vendor_download(SimBoard& b) {
    const auto started = b.setting<std::int64_t>(kVendorKey + "FirmwareDownloadStartedAt", -1);
    if (started < 0 || b.setting<std::int64_t>(kVendorKey + "FirmwareDownloadReported", -1) == started)
        return std::nullopt;
    const DownloadStatus state = vendor_download(b).status;
    using S = DownloadStatus;
    if (state != S::Completed && state != S::Successful && state != S::Error) return std::nullopt;
    b.store(kVendorKey + "FirmwareDownloadReported", started);
    const std::string file = file_to_download(b);
    platform::AutonomousTransfer t;
    t.transfer_url = download_url(b) + "/" + file;
    t.file_type = "1 Firmware Upgrade Image";
    t.target_file_name = file;
    t.start_time = b.boot_time() + started;
    t.complete_time = t.start_time + 5 + b.options().vendor_download_seconds;
    if (state == S::Error) {
        t.fault = Fault::DownloadFailure;
        t.fault_string = "no firmware file was named (X_RDKCENTRAL-COM_FirmwareToDownload)";
    }
    return t;
}

}  // namespace

std::string wall_clock(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[64];
    const std::size_t n = std::strftime(text, sizeof text, "%a %b %e %H:%M:%S UTC %Y", &tm);
    return std::string(text, n);
}

// --- Firmware banks -----------------------------------------------------------------

bool image_available(const SimBoard& b, std::uint32_t n) { return b.setting(image_key(n) + "Available", true); }

std::string boot_image(const SimBoard& b) { return b.setting<std::string>(kInfoKey + "BootFirmwareImage", kActiveImage); }

bool choose_boot_image(SimBoard& b, std::string image) {
    if (!image.empty() && image.back() == '.') image.pop_back();
    const bool known = image == kActiveImage || image == kOtherImage;
    if (!known || !b.setting(image + ".Available", true)) return false;
    b.store(kInfoKey + "BootFirmwareImage", image);
    return true;
}

bool may_withdraw(const SimBoard& b, std::uint32_t n) {
    const std::string image = image_key(n);
    const std::string reference = image.substr(0, image.size() - 1);
    return reference != kActiveImage && reference != boot_image(b);
}

// --- The RDK firmware updater's download ---------------------------------------------

Download vendor_download(const SimBoard& b) {
    using S = DownloadStatus;
    const auto started = b.setting<std::int64_t>(kVendorKey + "FirmwareDownloadStartedAt", -1);
    if (started < 0) return {S::Idle, -1, "No upgrade needed"};
    const std::int64_t elapsed = std::max<std::int64_t>(0, b.uptime() - started);
    const std::int64_t seconds = b.options().vendor_download_seconds;
    if (elapsed < 5) return {S::Initiated, 0, "Requesting"};
    if (elapsed < 5 + seconds)
        return {S::InProgress, static_cast<std::int32_t>((elapsed - 5) * 100 / seconds), "Downloading"};
    if (file_to_download(b).empty()) return {S::Error, -1, "Failed"};
    if (elapsed < 15 + seconds) return {S::Completed, 100, "Download complete"};
    return {S::Successful, 100, defer_reboot(b) ? "Validation complete" : "Preparing to reboot"};
}

void start_vendor_download(SimBoard& b) {
    b.store(kVendorKey + "FirmwareDownloadStartedAt", static_cast<std::int64_t>(b.uptime()));
}

std::string download_url(const SimBoard& b) {
    return b.setting<std::string>(kVendorKey + "FirmwareDownloadURL", kDefaultDownloadURL);
}

std::string file_to_download(const SimBoard& b) { return b.setting<std::string>(kVendorKey + "FirmwareToDownload", ""); }

bool defer_reboot(const SimBoard& b) { return b.setting(kVendorKey + "FirmwareDownloadDeferReboot", false); }

// --- Memory -------------------------------------------------------------------------

std::uint32_t free_memory(const SimBoard& b) { return 612352 + wave(b.uptime(), 300, 49152); }

std::uint32_t free_flash(const SimBoard& b) { return 3145728 - (b.uptime() % 3600) / 2; }

std::uint32_t memory_utilization(const SimBoard& b) {
    const std::uint64_t used = kMemTotal - free_memory(b);
    return static_cast<std::uint32_t>((used * 100 + kMemTotal / 2) / kMemTotal);
}

// --- CPUs and processes -------------------------------------------------------------

std::uint32_t user_load(const SimBoard& b, std::uint32_t cpu) { return 8 + wave(b.uptime() + 37 * cpu, 120, 14); }

std::uint32_t system_load(const SimBoard& b, std::uint32_t cpu) { return 3 + wave(b.uptime() + 11 * cpu, 90, 5); }

std::uint32_t cpu_usage(const SimBoard& b) {
    std::uint32_t sum = 0;
    for (std::uint32_t cpu = 1; cpu <= kCPUs; ++cpu) sum += user_load(b, cpu) + system_load(b, cpu);
    return (sum + kCPUs / 2) / kCPUs;
}

const Process& process(std::uint32_t n) {
    if (n < 1 || n > kProcesses) throw std::out_of_range("no process " + std::to_string(n));
    return kProcessTable[n - 1];
}

std::uint32_t cpu_ms(const SimBoard& b, const Process& p) {
    return static_cast<std::uint32_t>(
        std::min<std::uint64_t>(std::uint64_t{b.uptime()} * p.permille, std::numeric_limits<std::uint32_t>::max()));
}

std::uint32_t memory_size(const SimBoard& b, const Process& p) { return p.size + wave(b.uptime() + p.pid, 240, p.size / 32); }

bool running(const SimBoard& b, const Process& p) {
    return p.pid == 733 || p.pid == 902 || (p.pid == 861 && b.uptime() % 10 < 3);
}

// --- Temperature sensors ------------------------------------------------------------

SensorReading read_sensor(const SimBoard& b, std::uint32_t number, const std::string& key) {
    if (number < 1 || number > kSensors) throw std::out_of_range("no temperature sensor " + std::to_string(number));
    const Sensor& s = kSensorTable[number - 1];
    const std::uint32_t now = b.uptime();
    // Reset by the boot or by the ACS; extremes and alarms count from there.
    const dm::DateTime reset = b.setting(key + "ResetTime", dm::DateTime{b.boot_time()});
    const auto from = static_cast<std::uint32_t>(std::clamp<std::int64_t>(reset.unix_seconds - b.boot_time(), 0, now));
    std::uint32_t min_t = from, max_t = from;
    for (std::uint32_t t = from, end = scan_end(s, from, now); t <= end; ++t) {
        if (temperature(s, t) < temperature(s, min_t)) min_t = t;
        if (temperature(s, t) > temperature(s, max_t)) max_t = t;
    }
    const std::int32_t high = b.setting(key + "HighAlarmValue", s.high_alarm);
    const std::int32_t low = b.setting(key + "LowAlarmValue", kUnsetAlarm);
    const auto high_from = std::max(from, b.setting<std::uint32_t>(key + "HighAlarmSetAt", 0));
    const auto low_from = std::max(from, b.setting<std::uint32_t>(key + "LowAlarmSetAt", 0));
    return {
        .name = s.name,
        .enabled = b.setting(key + "Enable", true),
        .value = temperature(s, now),
        .reset = reset,
        .min_value = temperature(s, min_t),
        .max_value = temperature(s, max_t),
        .min_time = at_uptime(b, min_t),
        .max_time = at_uptime(b, max_t),
        .high_alarm = high,
        .low_alarm = low,
        .high_alarm_time = first_alarm(b, s, high_from, high, true),
        .low_alarm_time = first_alarm(b, s, low_from, low, false),
    };
}

void change_sensor(SimBoard& b, const std::string& key, const SensorChanges& c) {
    if (c.enable) b.store(key + "Enable", *c.enable);
    if (c.high_alarm) {
        b.store(key + "HighAlarmValue", *c.high_alarm);
        b.store(key + "HighAlarmSetAt", b.uptime());
    }
    if (c.low_alarm) {
        b.store(key + "LowAlarmValue", *c.low_alarm);
        b.store(key + "LowAlarmSetAt", b.uptime());
    }
    if (c.reset) b.store(key + "ResetTime", dm::DateTime{b.now()});
}

}  // namespace cwmp::sim::device

namespace cwmp::sim {

std::vector<platform::AutonomousTransfer> SetTopBox::finished_autonomous_transfers() {
    std::vector<platform::AutonomousTransfer> done;
    if (auto t = device::finished_vendor_download(*this)) done.push_back(std::move(*t));
    for (platform::AutonomousTransfer& t : SimBoard::finished_autonomous_transfers()) done.push_back(std::move(t));
    return done;
}

}  // namespace cwmp::sim
