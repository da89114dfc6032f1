// Device.DeviceInfo.: identity, firmware banks and download, memory, CPUs, processes, temperatures, logs.
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/platform_api.h"  // cwmp::gen::schema: the profile's DT facts
#include "cwmp/platform/deviceinfo.h"

namespace cwmp::platform {

using model::DeviceInfo;
using model::DeviceInfo_FirmwareImage;
using model::DeviceInfo_MemoryStatus;
using model::DeviceInfo_MemoryStatus_MemoryMonitor;
using model::DeviceInfo_ProcessStatus;
using model::DeviceInfo_ProcessStatus_CPU;
using model::DeviceInfo_ProcessStatus_Process;
using model::DeviceInfo_SupportedDataModel;
using model::DeviceInfo_TemperatureStatus_TemperatureSensor;
using model::DeviceInfo_VendorLogFile;

namespace {

const std::string kInfo = "Device.DeviceInfo.";
const std::string kVendor = kInfo + "X_RDKCENTRAL-COM_";
const std::string kMonitor = "Device.DeviceInfo.MemoryStatus.MemoryMonitor.";
const char* const kImageTemplate = "Device.DeviceInfo.FirmwareImage.{i}.";
const char* const kCPUTemplate = "Device.DeviceInfo.ProcessStatus.CPU.{i}.";
const char* const kModelTemplate = "Device.DeviceInfo.SupportedDataModel.{i}.";
const char* const kSensorTemplate = "Device.DeviceInfo.TemperatureStatus.TemperatureSensor.{i}.";
const char* const kLogTemplate = "Device.DeviceInfo.VendorLogFile.{i}.";

const std::string kSerial = "EXS2301A7F3C";
const std::string kActiveImage = "Device.DeviceInfo.FirmwareImage.1";
const std::string kCriticalLog = "Device.DeviceInfo.VendorLogFile.2";

// The two firmware banks (the running image and the other one) are the
// board's: a firmware download replaces them (SimBoard::apply_file).

constexpr std::uint32_t kCPUs = 4;
constexpr std::uint32_t kMemTotal = 2031616;         // KiB of RAM Linux sees
constexpr std::uint32_t kFlashTotal = 7471104;       // KiB of eMMC
constexpr std::int32_t kUnsetAlarm = -274;           // TR-181: "not configured"

struct Process {
    std::uint32_t pid;
    const char* command;
    std::uint32_t priority;  // 0 is highest
    std::uint32_t size;      // KiB
    std::uint32_t permille;  // share of one CPU
};
constexpr Process kProcesses[] = {
    {1, "systemd", 20, 9216, 2},
    {412, "IARMDaemonMain", 20, 3584, 1},
    {467, "dsMgrMain", 20, 6144, 3},
    {598, "WPEFramework", 20, 71680, 40},
    {733, "rmfStreamer", 10, 48128, 90},
    {861, "WPEWebProcess", 20, 183296, 120},
    {902, "cwmp-agent", 20, 7168, 4},
};

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
constexpr Sensor kSensors[] = {
    {"SoC die", 27, 58, 900, 600, 6, 95},
    {"Main board (ambient)", 25, 41, 1800, 1200, 2, 70},
};

struct LogFile {
    const char* name;
    std::uint32_t maximum;  // bytes
    bool persistent;
};
constexpr LogFile kLogs[] = {
    {"/opt/logs/messages.txt", 10485760, true},
    {"/opt/logs/critical.log", 1048576, true},
};

// A triangle wave from 0 up to `amplitude` and back over `period` seconds.
std::uint32_t wave(std::uint32_t t, std::uint32_t period, std::uint32_t amplitude) {
    const std::uint32_t half = period / 2;
    const std::uint32_t phase = t % period;
    const std::uint64_t rise = phase < half ? phase : period - phase;
    return static_cast<std::uint32_t>(rise * amplitude / half);
}

dm::DateTime at_uptime(const sim::SimBoard& b, std::uint32_t t) { return dm::DateTime{b.boot_time() + t}; }

// Free RAM breathes by 48 MiB over five minutes.
std::uint32_t free_memory(const sim::SimBoard& b) { return 612352 + wave(b.uptime(), 300, 49152); }

// Per-CPU load in percent: user 8..22, system 3..8, each CPU out of step.
std::uint32_t user_load(const sim::SimBoard& b, std::uint32_t cpu) {
    return 8 + wave(b.uptime() + 37 * cpu, 120, 14);
}
std::uint32_t system_load(const sim::SimBoard& b, std::uint32_t cpu) {
    return 3 + wave(b.uptime() + 11 * cpu, 90, 5);
}

// Firmware download state, from the seconds since X_RDKCENTRAL-COM_FirmwareDownloadNow.
struct Download {
    DeviceInfo::X_RDKCENTRAL_COM_FirmwareDownloadStatusValue status;
    std::int32_t percent;
    const char* state;
};
Download download(const sim::SimBoard& b) {
    using S = DeviceInfo::X_RDKCENTRAL_COM_FirmwareDownloadStatusValue;
    const auto started = b.setting<std::int64_t>(kVendor + "FirmwareDownloadStartedAt", -1);
    if (started < 0) return {S::Idle, -1, "No upgrade needed"};
    const std::int64_t elapsed = std::max<std::int64_t>(0, b.uptime() - started);
    const std::int64_t kDownloadSeconds = b.options().vendor_download_seconds;
    if (elapsed < 5) return {S::Initiated, 0, "Requesting"};
    if (elapsed < 5 + kDownloadSeconds)
        return {S::InProgress, static_cast<std::int32_t>((elapsed - 5) * 100 / kDownloadSeconds), "Downloading"};
    if (b.setting<std::string>(kVendor + "FirmwareToDownload", "").empty()) return {S::Error, -1, "Failed"};
    if (elapsed < 15 + kDownloadSeconds) return {S::Completed, 100, "Download complete"};
    return {S::Successful, 100,
            b.setting(kVendor + "FirmwareDownloadDeferReboot", false) ? "Validation complete" : "Preparing to reboot"};
}

}  // namespace
}  // namespace cwmp::platform

namespace cwmp::sim {

namespace {

// The RDK firmware updater's download (X_RDKCENTRAL-COM_FirmwareDownloadNow)
// is a transfer the box makes on its own: reported once it has ended.
std::optional<platform::AutonomousTransfer> finished_vendor_download(SimBoard& b) {
    using platform::kVendor;
    const auto started = b.setting<std::int64_t>(kVendor + "FirmwareDownloadStartedAt", -1);
    if (started < 0 || b.setting<std::int64_t>(kVendor + "FirmwareDownloadReported", -1) == started)
        return std::nullopt;
    const auto state = platform::download(b).status;
    using S = model::DeviceInfo::X_RDKCENTRAL_COM_FirmwareDownloadStatusValue;
    if (state != S::Completed && state != S::Successful && state != S::Error) return std::nullopt;
    b.store(kVendor + "FirmwareDownloadReported", started);
    const std::string file = b.setting<std::string>(kVendor + "FirmwareToDownload", "");
    platform::AutonomousTransfer t;
    t.transfer_url = b.setting<std::string>(kVendor + "FirmwareDownloadURL", "https://firmware.example.com/ex4k200") +
                     "/" + file;
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

std::vector<platform::AutonomousTransfer> SetTopBox::finished_autonomous_transfers() {
    std::vector<platform::AutonomousTransfer> done;
    if (auto t = finished_vendor_download(*this)) done.push_back(std::move(*t));
    for (platform::AutonomousTransfer& t : SimBoard::finished_autonomous_transfers()) done.push_back(std::move(t));
    return done;
}

}  // namespace cwmp::sim

namespace cwmp::platform {
namespace {

// "Tue Nov 14 22:13:20 UTC 2023", as date(1) prints it.
std::string wall_clock(std::int64_t unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[64];
    const std::size_t n = std::strftime(text, sizeof text, "%a %b %e %H:%M:%S UTC %Y", &tm);
    return std::string(text, n);
}

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
dm::DateTime first_alarm(const sim::SimBoard& b, const Sensor& s, std::uint32_t from, std::int32_t limit, bool high) {
    if (limit == kUnsetAlarm) return {};
    const std::uint32_t now = b.uptime();
    for (std::uint32_t t = std::min(from, now), end = scan_end(s, from, now); t <= end; ++t) {
        const std::int32_t v = temperature(s, t);
        if (high ? v >= limit : v <= limit) return at_uptime(b, t);
    }
    return {};
}

}  // namespace

DeviceInfo read(Context& ctx, const Instance&, Tag<DeviceInfo>) {
    sim::SimBoard& b = sim::board(ctx);
    const Download dl = download(b);
    return {
        .ActiveFirmwareImage = kActiveImage,
        .AdditionalHardwareVersion = std::vector<std::string>{"FrontPanel rev B", "Tuner DVB-T2 rev A"},
        .AdditionalSoftwareVersion = std::vector<std::string>{"Bootloader 2023.10-ex3", "WPEFramework R4.4.3"},
        .BootFirmwareImage = b.setting<std::string>(kInfo + "BootFirmwareImage", kActiveImage),
        .Description = "Example RDK-V set-top box: DVB-T2 and IP, 4K HDR, PVR",
        .DeviceCategory = std::vector<std::string>{"AV_Recorder"},
        // First NTP-synchronised connection, when the box was installed.
        .FirstUseDate = dm::DateTime{b.boot_time() - 200 * 86400 + 4711},
        .HardwareVersion = "1.3",
        .HostName = b.setting<std::string>(kInfo + "HostName", "exstb-a7f3c"),
        .Manufacturer = "Example STB Co",
        .ManufacturerOUI = "00005E",
        .ModelName = "EXSTB-4K",
        .ModelNumber = "EX4K-200",
        .ProductClass = "RDK-STB",
        .ProvisioningCode = b.setting<std::string>(kInfo + "ProvisioningCode", ""),
        .SerialNumber = kSerial,
        .SoftwareVersion = b.images()[0].version,
        .UpTime = b.uptime(),
        .X_RDKCENTRAL_COM_BootTime = static_cast<std::uint32_t>(b.boot_time()),
        .X_RDKCENTRAL_COM_Experience = "X1",
        .X_RDKCENTRAL_COM_FirmwareDownloadDeferReboot = b.setting(kVendor + "FirmwareDownloadDeferReboot", false),
        .X_RDKCENTRAL_COM_FirmwareDownloadNow = false,  // a command: reads false
        .X_RDKCENTRAL_COM_FirmwareDownloadPercent = dl.percent,
        .X_RDKCENTRAL_COM_FirmwareDownloadProtocol = b.setting(
            kVendor + "FirmwareDownloadProtocol", DeviceInfo::X_RDKCENTRAL_COM_FirmwareDownloadProtocolValue::https),
        .X_RDKCENTRAL_COM_FirmwareDownloadStatus = dl.status,
        .X_RDKCENTRAL_COM_FirmwareDownloadURL =
            b.setting<std::string>(kVendor + "FirmwareDownloadURL", "https://firmware.example.com/ex4k200"),
        .X_RDKCENTRAL_COM_FirmwareDownloadUseCodebig = b.setting(kVendor + "FirmwareDownloadUseCodebig", false),
        .X_RDKCENTRAL_COM_FirmwareFilename = b.images()[0].name,
        .X_RDKCENTRAL_COM_FirmwareToDownload = b.setting<std::string>(kVendor + "FirmwareToDownload", ""),
        .X_RDKCENTRAL_COM_FirmwareUpdateState = dl.state,
        .X_RDKCENTRAL_COM_InActiveFirmware = b.images()[1].name,
        .X_RDKCENTRAL_COM_LastRebootReason = b.setting<std::string>(kVendor + "LastRebootReason", "POWER_ON_RESET"),
        .X_RDKCENTRAL_COM_PreferredGatewayType = b.setting<std::string>(kVendor + "PreferredGatewayType", "RDK-B"),
        .X_RDKCENTRAL_COM_RDKVersion = "6.1.0",
        // The model says reads return an empty string; the enumeration has no such value.
        .X_RDKCENTRAL_COM_Reset = DeviceInfo::X_RDKCENTRAL_COM_ResetValue::Cold,
        .X_RDKCENTRAL_COM_SystemTime = wall_clock(b.now()),
    };
}

Fault write(Context& ctx, const Instance&, const DeviceInfo::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.BootFirmwareImage) {
        std::string image = *changes.BootFirmwareImage;
        if (!image.empty() && image.back() == '.') image.pop_back();
        const bool known = image == kActiveImage || image == "Device.DeviceInfo.FirmwareImage.2";
        if (!known || !b.setting(image + ".Available", true)) return Fault::InvalidParameterValue;
        b.store(kInfo + "BootFirmwareImage", image);
    }
    if (changes.HostName) b.store(kInfo + "HostName", *changes.HostName);
    if (changes.ProvisioningCode) b.store(kInfo + "ProvisioningCode", *changes.ProvisioningCode);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadDeferReboot)
        b.store(kVendor + "FirmwareDownloadDeferReboot", *changes.X_RDKCENTRAL_COM_FirmwareDownloadDeferReboot);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadNow && *changes.X_RDKCENTRAL_COM_FirmwareDownloadNow)
        b.store(kVendor + "FirmwareDownloadStartedAt", static_cast<std::int64_t>(b.uptime()));
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadProtocol)
        b.store(kVendor + "FirmwareDownloadProtocol", *changes.X_RDKCENTRAL_COM_FirmwareDownloadProtocol);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadURL)
        b.store(kVendor + "FirmwareDownloadURL", *changes.X_RDKCENTRAL_COM_FirmwareDownloadURL);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadUseCodebig)
        b.store(kVendor + "FirmwareDownloadUseCodebig", *changes.X_RDKCENTRAL_COM_FirmwareDownloadUseCodebig);
    if (changes.X_RDKCENTRAL_COM_FirmwareToDownload)
        b.store(kVendor + "FirmwareToDownload", *changes.X_RDKCENTRAL_COM_FirmwareToDownload);
    if (changes.X_RDKCENTRAL_COM_LastRebootReason)
        b.store(kVendor + "LastRebootReason", *changes.X_RDKCENTRAL_COM_LastRebootReason);
    if (changes.X_RDKCENTRAL_COM_PreferredGatewayType)
        b.store(kVendor + "PreferredGatewayType", *changes.X_RDKCENTRAL_COM_PreferredGatewayType);
    // X_RDKCENTRAL-COM_Reset: the simulated box does not reboot.
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<DeviceInfo_FirmwareImage>) {
    return sim::numbered(2);
}

DeviceInfo_FirmwareImage read(Context& ctx, const Instance& in, Tag<DeviceInfo_FirmwareImage>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kImageTemplate, in);
    const sim::FirmwareImage& image = b.images().at(n - 1);
    const bool available = b.setting(path + "Available", true);
    using S = DeviceInfo_FirmwareImage::StatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", n == 1 ? "cpe-bank-a" : "cpe-bank-b"),
        .Available = available,
        .BootFailureLog = "",
        .Name = image.name,
        .Status = n == 1 ? S::Active : S::Available,
        .Version = image.version,
    };
}

Fault write(Context& ctx, const Instance& in, const DeviceInfo_FirmwareImage::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kImageTemplate, in);
    if (changes.Available && !*changes.Available) {
        // Neither the running image nor the one to boot next may be withdrawn.
        const std::string image = path.substr(0, path.size() - 1);
        if (image == kActiveImage || image == b.setting<std::string>(kInfo + "BootFirmwareImage", kActiveImage))
            return Fault::InvalidParameterValue;
    }
    b.store_changes(path, changes);
    return Fault::None;
}

DeviceInfo_MemoryStatus read(Context& ctx, const Instance&, Tag<DeviceInfo_MemoryStatus>) {
    sim::SimBoard& b = sim::board(ctx);
    return {
        .Free = free_memory(b),
        // Logs fill the flash by half a KiB a second until the hourly rotation.
        .FreePersistent = 3145728 - (b.uptime() % 3600) / 2,
        .Total = kMemTotal,
        .TotalPersistent = kFlashTotal,
    };
}

DeviceInfo_MemoryStatus_MemoryMonitor read(Context& ctx, const Instance&, Tag<DeviceInfo_MemoryStatus_MemoryMonitor>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint64_t used = kMemTotal - free_memory(b);
    return {
        .CriticalFallThreshold = b.setting<std::uint32_t>(kMonitor + "CriticalFallThreshold", 75),
        .CriticalFallTimeStamp = dm::DateTime{},  // never critical
        .CriticalRiseThreshold = b.setting<std::uint32_t>(kMonitor + "CriticalRiseThreshold", 90),
        .CriticalRiseTimeStamp = dm::DateTime{},
        .Enable = b.setting(kMonitor + "Enable", true),
        .EnableCriticalLog = b.setting(kMonitor + "EnableCriticalLog", true),
        .FilePath = b.setting<std::string>(kMonitor + "FilePath", "file:///opt/logs/critical.log"),
        .MemUtilization = static_cast<std::uint32_t>((used * 100 + kMemTotal / 2) / kMemTotal),
        .PollingInterval = b.setting<std::uint32_t>(kMonitor + "PollingInterval", 60),
        .VendorLogFileRef = kCriticalLog,
    };
}

Fault write(Context& ctx, const Instance&, const DeviceInfo_MemoryStatus_MemoryMonitor::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.CriticalFallThreshold) b.store(kMonitor + "CriticalFallThreshold", *changes.CriticalFallThreshold);
    if (changes.CriticalRiseThreshold) b.store(kMonitor + "CriticalRiseThreshold", *changes.CriticalRiseThreshold);
    if (changes.Enable) b.store(kMonitor + "Enable", *changes.Enable);
    if (changes.EnableCriticalLog) b.store(kMonitor + "EnableCriticalLog", *changes.EnableCriticalLog);
    if (changes.FilePath) b.store(kMonitor + "FilePath", *changes.FilePath);
    if (changes.PollingInterval) b.store(kMonitor + "PollingInterval", *changes.PollingInterval);
    return Fault::None;
}

DeviceInfo_ProcessStatus read(Context& ctx, const Instance&, Tag<DeviceInfo_ProcessStatus>) {
    sim::SimBoard& b = sim::board(ctx);
    std::uint32_t sum = 0;
    for (std::uint32_t cpu = 1; cpu <= kCPUs; ++cpu) sum += user_load(b, cpu) + system_load(b, cpu);
    return {.CPUUsage = (sum + kCPUs / 2) / kCPUs};
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<DeviceInfo_ProcessStatus_CPU>) {
    return sim::numbered(kCPUs);
}

DeviceInfo_ProcessStatus_CPU read(Context& ctx, const Instance& in, Tag<DeviceInfo_ProcessStatus_CPU>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kCPUTemplate, in);
    const std::uint32_t user = user_load(b, n);
    const std::uint32_t system = system_load(b, n);
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-cpu-" + std::to_string(n)),
        .CPUUtilization = user + system,
        .CriticalFallThreshold = b.setting<std::uint32_t>(path + "CriticalFallThreshold", 70),
        .CriticalFallTimeStamp = dm::DateTime{},  // never critical
        .CriticalRiseThreshold = b.setting<std::uint32_t>(path + "CriticalRiseThreshold", 90),
        .CriticalRiseTimeStamp = dm::DateTime{},
        .Enable = b.setting(path + "Enable", true),
        .EnableCriticalLog = b.setting(path + "EnableCriticalLog", true),
        .FilePath = b.setting<std::string>(path + "FilePath", "file:///opt/logs/critical.log"),
        .IdleModeUtilization = 100 - user - system,
        .Name = "cpu" + std::to_string(n - 1) + " (Cortex-A55)",
        .NumSamples = b.setting<std::uint32_t>(path + "NumSamples", 5),
        .PollInterval = b.setting<std::uint32_t>(path + "PollInterval", 10),
        .SystemModeUtilization = system,
        .UpTime = b.uptime(),
        .UserModeUtilization = user,
        .VendorLogFileRef = kCriticalLog,
    };
}

Fault write(Context& ctx, const Instance& in, const DeviceInfo_ProcessStatus_CPU::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kCPUTemplate, in);
    b.store_changes(path, changes);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<DeviceInfo_ProcessStatus_Process>) {
    return sim::numbered(std::size(kProcesses));
}

DeviceInfo_ProcessStatus_Process read(Context& ctx, const Instance& in, Tag<DeviceInfo_ProcessStatus_Process>) {
    sim::SimBoard& b = sim::board(ctx);
    const Process& p = kProcesses[sim::last(in) - 1];
    const std::uint64_t cpu_ms = std::min<std::uint64_t>(std::uint64_t{b.uptime()} * p.permille,
                                                         std::numeric_limits<std::uint32_t>::max());
    using S = DeviceInfo_ProcessStatus_Process::StateValue;
    // The streamer and this agent are always at work; the browser renders in bursts.
    const bool running = p.pid == 733 || p.pid == 902 || (p.pid == 861 && b.uptime() % 10 < 3);
    return {
        .CPUTime = static_cast<std::uint32_t>(cpu_ms),
        .Command = p.command,
        .PID = p.pid,
        .Priority = p.priority,
        .Size = p.size + wave(b.uptime() + p.pid, 240, p.size / 32),
        .State = running ? S::Running : S::Sleeping,
    };
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<DeviceInfo_SupportedDataModel>) {
    return sim::numbered(1);
}

DeviceInfo_SupportedDataModel read(Context& ctx, const Instance& in, Tag<DeviceInfo_SupportedDataModel>) {
    const std::string path = sim::instance_path(kModelTemplate, in);
    return {
        .Alias = sim::board(ctx).setting<std::string>(path + "Alias", "cpe-dm-1"),
        .Features = std::vector<std::string>{"IPv6"},
        // The profile's DT instance (dmgen dt, the same UUID), served by the box itself.
        .URL = "https://localhost/cwmp/" + std::string(gen::schema.profile) + ".dt.xml",
        // The document that defines the root model (for rdk-stb: the RDK vendor document).
        .URN = std::string(gen::schema.root_spec),
        .UUID = std::string(gen::schema.dt_uuid),
    };
}

Fault write(Context& ctx, const Instance& in, const DeviceInfo_SupportedDataModel::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kModelTemplate, in) + "Alias", *changes.Alias);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<DeviceInfo_TemperatureStatus_TemperatureSensor>) {
    return sim::numbered(std::size(kSensors));
}

DeviceInfo_TemperatureStatus_TemperatureSensor read(Context& ctx, const Instance& in,
                                                    Tag<DeviceInfo_TemperatureStatus_TemperatureSensor>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kSensorTemplate, in);
    const Sensor& s = kSensors[n - 1];
    const std::uint32_t now = b.uptime();
    // Reset by the boot or by the ACS; extremes and alarms count from there.
    const dm::DateTime reset = b.setting(path + "ResetTime", dm::DateTime{b.boot_time()});
    const auto from = static_cast<std::uint32_t>(std::clamp<std::int64_t>(reset.unix_seconds - b.boot_time(), 0, now));
    std::uint32_t min_t = from, max_t = from;
    for (std::uint32_t t = from, end = scan_end(s, from, now); t <= end; ++t) {
        if (temperature(s, t) < temperature(s, min_t)) min_t = t;
        if (temperature(s, t) > temperature(s, max_t)) max_t = t;
    }
    const std::int32_t high = b.setting(path + "HighAlarmValue", s.high_alarm);
    const std::int32_t low = b.setting(path + "LowAlarmValue", kUnsetAlarm);
    // A new alarm value restarts its alarm.
    const auto high_from = std::max(from, b.setting<std::uint32_t>(path + "HighAlarmSetAt", 0));
    const auto low_from = std::max(from, b.setting<std::uint32_t>(path + "LowAlarmSetAt", 0));
    const bool enabled = b.setting(path + "Enable", true);
    using S = DeviceInfo_TemperatureStatus_TemperatureSensor::StatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-temp-" + std::to_string(n)),
        .Enable = enabled,
        .HighAlarmTime = first_alarm(b, s, high_from, high, true),
        .HighAlarmValue = high,
        .LastUpdate = dm::DateTime{b.now()},
        .LowAlarmTime = first_alarm(b, s, low_from, low, false),
        .LowAlarmValue = low,
        .MaxTime = at_uptime(b, max_t),
        .MaxValue = temperature(s, max_t),
        .MinTime = at_uptime(b, min_t),
        .MinValue = temperature(s, min_t),
        .Name = s.name,
        .PollingInterval = b.setting<std::uint32_t>(path + "PollingInterval", 60),
        .Reset = false,  // a command: reads false
        .ResetTime = reset,
        .Status = enabled ? S::Enabled : S::Disabled,
        .Value = temperature(s, now),
    };
}

Fault write(Context& ctx, const Instance& in, const DeviceInfo_TemperatureStatus_TemperatureSensor::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kSensorTemplate, in);
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.HighAlarmValue) {
        b.store(path + "HighAlarmValue", *changes.HighAlarmValue);
        b.store(path + "HighAlarmSetAt", b.uptime());
    }
    if (changes.LowAlarmValue) {
        b.store(path + "LowAlarmValue", *changes.LowAlarmValue);
        b.store(path + "LowAlarmSetAt", b.uptime());
    }
    if (changes.PollingInterval) b.store(path + "PollingInterval", *changes.PollingInterval);
    if (changes.Reset && *changes.Reset) b.store(path + "ResetTime", dm::DateTime{b.now()});
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<DeviceInfo_VendorLogFile>) {
    return sim::numbered(std::size(kLogs));
}

DeviceInfo_VendorLogFile read(Context& ctx, const Instance& in, Tag<DeviceInfo_VendorLogFile>) {
    const std::uint32_t n = sim::last(in);
    const LogFile& log = kLogs[n - 1];
    return {
        .Alias = sim::board(ctx).setting<std::string>(sim::instance_path(kLogTemplate, in) + "Alias",
                                                      "cpe-log-" + std::to_string(n)),
        .MaximumSize = log.maximum,
        .Name = log.name,
        .Persistent = log.persistent,
    };
}

Fault write(Context& ctx, const Instance& in, const DeviceInfo_VendorLogFile::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kLogTemplate, in) + "Alias", *changes.Alias);
    return Fault::None;
}

}  // namespace cwmp::platform
