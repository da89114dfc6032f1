// Device.DeviceInfo.: identity, firmware banks and download, memory, CPUs, processes, temperatures, logs.
// The box's rules are the world's (device_world.h); this file only translates them.
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "board.h"
#include "device_world.h"
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

namespace world = sim::device;

const std::string kMonitor = "Device.DeviceInfo.MemoryStatus.MemoryMonitor.";
const char* const kImageTemplate = "Device.DeviceInfo.FirmwareImage.{i}.";
const char* const kCPUTemplate = "Device.DeviceInfo.ProcessStatus.CPU.{i}.";
const char* const kModelTemplate = "Device.DeviceInfo.SupportedDataModel.{i}.";
const char* const kSensorTemplate = "Device.DeviceInfo.TemperatureStatus.TemperatureSensor.{i}.";
const char* const kLogTemplate = "Device.DeviceInfo.VendorLogFile.{i}.";

const std::string kSerial = "EXS2301A7F3C";
const std::string kCriticalLog = "Device.DeviceInfo.VendorLogFile.2";

struct LogFile {
    const char* name;
    std::uint32_t maximum;  // bytes
    bool persistent;
};
constexpr LogFile kLogs[] = {
    {"/opt/logs/messages.txt", 10485760, true},
    {"/opt/logs/critical.log", 1048576, true},
};

DeviceInfo::X_RDKCENTRAL_COM_FirmwareDownloadStatusValue status_of(world::DownloadStatus s) {
    using S = DeviceInfo::X_RDKCENTRAL_COM_FirmwareDownloadStatusValue;
    switch (s) {
        case world::DownloadStatus::Idle: return S::Idle;
        case world::DownloadStatus::Initiated: return S::Initiated;
        case world::DownloadStatus::InProgress: return S::InProgress;
        case world::DownloadStatus::Completed: return S::Completed;
        case world::DownloadStatus::Successful: return S::Successful;
        case world::DownloadStatus::Error: break;
    }
    return S::Error;
}

}  // namespace

DeviceInfo read(Context& ctx, const Instance&, Tag<DeviceInfo>) {
    sim::SimBoard& b = sim::board(ctx);
    const world::Download dl = world::vendor_download(b);
    return {
        .ActiveFirmwareImage = world::kActiveImage,
        .AdditionalHardwareVersion = std::vector<std::string>{"FrontPanel rev B", "Tuner DVB-T2 rev A"},
        .AdditionalSoftwareVersion = std::vector<std::string>{"Bootloader 2023.10-ex3", "WPEFramework R4.4.3"},
        .BootFirmwareImage = world::boot_image(b),
        .Description = "Example RDK-V set-top box: DVB-T2 and IP, 4K HDR, PVR",
        .DeviceCategory = std::vector<std::string>{"AV_Recorder"},
        // First NTP-synchronised connection, when the box was installed.
        .FirstUseDate = dm::DateTime{b.boot_time() - 200 * 86400 + 4711},
        .HardwareVersion = "1.3",
        .HostName = b.setting<std::string>(world::kInfoKey + "HostName", "exstb-a7f3c"),
        .Manufacturer = "Example STB Co",
        .ManufacturerOUI = "00005E",
        .ModelName = "EXSTB-4K",
        .ModelNumber = "EX4K-200",
        .ProductClass = "RDK-STB",
        .ProvisioningCode = b.setting<std::string>(world::kInfoKey + "ProvisioningCode", ""),
        .SerialNumber = kSerial,
        .SoftwareVersion = b.images()[0].version,
        .UpTime = b.uptime(),
        .X_RDKCENTRAL_COM_BootTime = static_cast<std::uint32_t>(b.boot_time()),
        .X_RDKCENTRAL_COM_Experience = "X1",
        .X_RDKCENTRAL_COM_FirmwareDownloadDeferReboot = world::defer_reboot(b),
        .X_RDKCENTRAL_COM_FirmwareDownloadNow = false,  // a command: reads false
        .X_RDKCENTRAL_COM_FirmwareDownloadPercent = dl.percent,
        .X_RDKCENTRAL_COM_FirmwareDownloadProtocol = b.setting(
            world::kVendorKey + "FirmwareDownloadProtocol", DeviceInfo::X_RDKCENTRAL_COM_FirmwareDownloadProtocolValue::https),
        .X_RDKCENTRAL_COM_FirmwareDownloadStatus = status_of(dl.status),
        .X_RDKCENTRAL_COM_FirmwareDownloadURL = world::download_url(b),
        .X_RDKCENTRAL_COM_FirmwareDownloadUseCodebig = b.setting(world::kVendorKey + "FirmwareDownloadUseCodebig", false),
        .X_RDKCENTRAL_COM_FirmwareFilename = b.images()[0].name,
        .X_RDKCENTRAL_COM_FirmwareToDownload = world::file_to_download(b),
        .X_RDKCENTRAL_COM_FirmwareUpdateState = std::string(dl.state),
        .X_RDKCENTRAL_COM_InActiveFirmware = b.images()[1].name,
        .X_RDKCENTRAL_COM_LastRebootReason = b.setting<std::string>(world::kVendorKey + "LastRebootReason", "POWER_ON_RESET"),
        .X_RDKCENTRAL_COM_PreferredGatewayType = b.setting<std::string>(world::kVendorKey + "PreferredGatewayType", "RDK-B"),
        .X_RDKCENTRAL_COM_RDKVersion = "6.1.0",
        // The model says reads return an empty string; the enumeration has no such value.
        .X_RDKCENTRAL_COM_Reset = DeviceInfo::X_RDKCENTRAL_COM_ResetValue::Cold,
        .X_RDKCENTRAL_COM_SystemTime = world::wall_clock(b.now()),
    };
}

Fault write(Context& ctx, const Instance&, const DeviceInfo::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.BootFirmwareImage && !world::choose_boot_image(b, *changes.BootFirmwareImage))
        return Fault::InvalidParameterValue;
    if (changes.HostName) b.store(world::kInfoKey + "HostName", *changes.HostName);
    if (changes.ProvisioningCode) b.store(world::kInfoKey + "ProvisioningCode", *changes.ProvisioningCode);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadDeferReboot)
        b.store(world::kVendorKey + "FirmwareDownloadDeferReboot", *changes.X_RDKCENTRAL_COM_FirmwareDownloadDeferReboot);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadNow && *changes.X_RDKCENTRAL_COM_FirmwareDownloadNow)
        world::start_vendor_download(b);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadProtocol)
        b.store(world::kVendorKey + "FirmwareDownloadProtocol", *changes.X_RDKCENTRAL_COM_FirmwareDownloadProtocol);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadURL)
        b.store(world::kVendorKey + "FirmwareDownloadURL", *changes.X_RDKCENTRAL_COM_FirmwareDownloadURL);
    if (changes.X_RDKCENTRAL_COM_FirmwareDownloadUseCodebig)
        b.store(world::kVendorKey + "FirmwareDownloadUseCodebig", *changes.X_RDKCENTRAL_COM_FirmwareDownloadUseCodebig);
    if (changes.X_RDKCENTRAL_COM_FirmwareToDownload)
        b.store(world::kVendorKey + "FirmwareToDownload", *changes.X_RDKCENTRAL_COM_FirmwareToDownload);
    if (changes.X_RDKCENTRAL_COM_LastRebootReason)
        b.store(world::kVendorKey + "LastRebootReason", *changes.X_RDKCENTRAL_COM_LastRebootReason);
    if (changes.X_RDKCENTRAL_COM_PreferredGatewayType)
        b.store(world::kVendorKey + "PreferredGatewayType", *changes.X_RDKCENTRAL_COM_PreferredGatewayType);
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
    if (changes.Available && !*changes.Available && !world::may_withdraw(b, sim::last(in)))
        return Fault::InvalidParameterValue;
    b.store_changes(path, changes);
    return Fault::None;
}

DeviceInfo_MemoryStatus read(Context& ctx, const Instance&, Tag<DeviceInfo_MemoryStatus>) {
    sim::SimBoard& b = sim::board(ctx);
    return {
        .Free = world::free_memory(b),
        .FreePersistent = world::free_flash(b),
        .Total = world::kMemTotal,
        .TotalPersistent = world::kFlashTotal,
    };
}

DeviceInfo_MemoryStatus_MemoryMonitor read(Context& ctx, const Instance&, Tag<DeviceInfo_MemoryStatus_MemoryMonitor>) {
    sim::SimBoard& b = sim::board(ctx);
    return {
        .CriticalFallThreshold = b.setting<std::uint32_t>(kMonitor + "CriticalFallThreshold", 75),
        .CriticalFallTimeStamp = dm::DateTime{},  // never critical
        .CriticalRiseThreshold = b.setting<std::uint32_t>(kMonitor + "CriticalRiseThreshold", 90),
        .CriticalRiseTimeStamp = dm::DateTime{},
        .Enable = b.setting(kMonitor + "Enable", true),
        .EnableCriticalLog = b.setting(kMonitor + "EnableCriticalLog", true),
        .FilePath = b.setting<std::string>(kMonitor + "FilePath", "file:///opt/logs/critical.log"),
        .MemUtilization = world::memory_utilization(b),
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
    return {.CPUUsage = world::cpu_usage(sim::board(ctx))};
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<DeviceInfo_ProcessStatus_CPU>) {
    return sim::numbered(world::kCPUs);
}

DeviceInfo_ProcessStatus_CPU read(Context& ctx, const Instance& in, Tag<DeviceInfo_ProcessStatus_CPU>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kCPUTemplate, in);
    const std::uint32_t user = world::user_load(b, n);
    const std::uint32_t system = world::system_load(b, n);
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
    return sim::numbered(world::kProcesses);
}

DeviceInfo_ProcessStatus_Process read(Context& ctx, const Instance& in, Tag<DeviceInfo_ProcessStatus_Process>) {
    sim::SimBoard& b = sim::board(ctx);
    const world::Process& p = world::process(sim::last(in));
    using S = DeviceInfo_ProcessStatus_Process::StateValue;
    return {
        .CPUTime = world::cpu_ms(b, p),
        .Command = p.command,
        .PID = p.pid,
        .Priority = p.priority,
        .Size = world::memory_size(b, p),
        .State = world::running(b, p) ? S::Running : S::Sleeping,
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
    return sim::numbered(world::kSensors);
}

DeviceInfo_TemperatureStatus_TemperatureSensor read(Context& ctx, const Instance& in,
                                                    Tag<DeviceInfo_TemperatureStatus_TemperatureSensor>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kSensorTemplate, in);
    const world::SensorReading r = world::read_sensor(b, n, path);
    using S = DeviceInfo_TemperatureStatus_TemperatureSensor::StatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-temp-" + std::to_string(n)),
        .Enable = r.enabled,
        .HighAlarmTime = r.high_alarm_time,
        .HighAlarmValue = r.high_alarm,
        .LastUpdate = dm::DateTime{b.now()},
        .LowAlarmTime = r.low_alarm_time,
        .LowAlarmValue = r.low_alarm,
        .MaxTime = r.max_time,
        .MaxValue = r.max_value,
        .MinTime = r.min_time,
        .MinValue = r.min_value,
        .Name = std::string(r.name),
        .PollingInterval = b.setting<std::uint32_t>(path + "PollingInterval", 60),
        .Reset = false,  // a command: reads false
        .ResetTime = r.reset,
        .Status = r.enabled ? S::Enabled : S::Disabled,
        .Value = r.value,
    };
}

Fault write(Context& ctx, const Instance& in, const DeviceInfo_TemperatureStatus_TemperatureSensor::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kSensorTemplate, in);
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.PollingInterval) b.store(path + "PollingInterval", *changes.PollingInterval);
    world::change_sensor(b, path, {.enable = changes.Enable,
                                   .high_alarm = changes.HighAlarmValue,
                                   .low_alarm = changes.LowAlarmValue,
                                   .reset = changes.Reset && *changes.Reset});
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
