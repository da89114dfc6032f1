// Device.DeviceInfo.: identity, uptime, memory, CPU, processes, thermal zones.
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "board.h"
#include "cwmp/platform/deviceinfo.h"

namespace cwmp::platform {

using model::DeviceInfo;
using model::DeviceInfo_MemoryStatus;
using model::DeviceInfo_ProcessStatus;
using model::DeviceInfo_ProcessStatus_Process;
using model::DeviceInfo_TemperatureStatus_TemperatureSensor;

namespace {

std::uint32_t clamp32(std::uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(v); }

std::string thermal_zone(const linux_board::LinuxBoard& b, std::uint32_t number) {
    return b.roots().sys + "/class/thermal/thermal_zone" + std::to_string(number - 1);
}

}  // namespace

DeviceInfo read(Context& ctx, const Instance&, Tag<DeviceInfo>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const std::string up = b.roots().proc + "/uptime";
    const auto uptime = linux_board::parse_uptime(b.read(up));
    if (!uptime) b.fail(up, "not a number of seconds");
    const std::string host = b.roots().proc + "/sys/kernel/hostname";
    return {
        .Description = b.identity("description"),
        .HardwareVersion = b.identity("hardware_version"),
        .HostName = linux_board::trim(b.read(host)),
        .Manufacturer = b.identity("manufacturer"),
        .ManufacturerOUI = b.identity("manufacturer_oui"),
        .ModelName = b.identity("model_name"),
        .ProductClass = b.identity("product_class"),
        .SerialNumber = b.identity("serial_number"),
        .SoftwareVersion = b.identity("software_version"),
        .UpTime = clamp32(*uptime),
    };
}

DeviceInfo_MemoryStatus read(Context& ctx, const Instance&, Tag<DeviceInfo_MemoryStatus>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const std::string path = b.roots().proc + "/meminfo";
    const auto info = linux_board::parse_meminfo(b.read(path));
    auto total = info.find("MemTotal");
    auto available = info.find("MemAvailable");
    if (available == info.end()) available = info.find("MemFree");  // kernels before 3.14
    if (total == info.end() || available == info.end()) b.fail(path, "no MemTotal or MemAvailable");
    // Persistent storage: the filesystem the agent keeps its state on.
    const std::string where = b.options().state_dir.empty() ? "/" : b.options().state_dir;
    struct statvfs vfs{};
    if (::statvfs(where.c_str(), &vfs) != 0) b.fail(where, std::string("statvfs: ") + std::strerror(errno));
    return {
        .Free = clamp32(available->second),
        .FreePersistent = clamp32(static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize / 1024),
        .Total = clamp32(total->second),
        .TotalPersistent = clamp32(static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize / 1024),
    };
}

DeviceInfo_ProcessStatus read(Context& ctx, const Instance&, Tag<DeviceInfo_ProcessStatus>) {
    return {.CPUUsage = linux_board::board(ctx).cpu_usage()};
}

// Instance number = PID: stable for the process's life.  The table is read
// here once and the reads that follow answer from it, so a process that
// ends in between does not fail the whole request.
std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<DeviceInfo_ProcessStatus_Process>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    auto& table = b.processes();
    table.clear();
    std::vector<std::uint32_t> pids;
    for (const std::string& name : linux_board::list_dir(b.roots().proc)) {
        const auto pid = linux_board::to_u64(name);
        if (!pid || std::to_string(*pid) != name || *pid == 0 || *pid > UINT32_MAX) continue;
        auto text = linux_board::try_read_file(b.roots().proc + "/" + name + "/stat", 4096);
        if (!text) continue;  // ended meanwhile
        auto stat = linux_board::parse_process_stat(*text);
        if (!stat) continue;
        pids.push_back(stat->pid);
        table.emplace(stat->pid, std::move(*stat));
    }
    std::sort(pids.begin(), pids.end());
    return pids;
}

DeviceInfo_ProcessStatus_Process read(Context& ctx, const Instance& in, Tag<DeviceInfo_ProcessStatus_Process>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const std::uint32_t pid = linux_board::last(in);
    auto it = b.processes().find(pid);
    std::optional<linux_board::ProcessStat> fresh;
    if (it == b.processes().end()) {
        const std::string path = b.roots().proc + "/" + std::to_string(pid) + "/stat";
        fresh = linux_board::parse_process_stat(b.read(path));
        if (!fresh) b.fail(path, "unreadable stat line");
    }
    const linux_board::ProcessStat& p = fresh ? *fresh : it->second;
    static const long ticks = ::sysconf(_SC_CLK_TCK);
    static const long page = ::sysconf(_SC_PAGESIZE);
    using S = DeviceInfo_ProcessStatus_Process::StateValue;
    S state = S::Sleeping;
    switch (p.state) {
    case 'R': state = S::Running; break;
    case 'D': state = S::Uninterruptible; break;
    case 'T': case 't': state = S::Stopped; break;
    case 'Z': case 'X': state = S::Zombie; break;
    case 'I': state = S::Idle; break;
    default: state = S::Sleeping; break;
    }
    // Priority 0 (highest) ..99: real-time processes (negative in the kernel's
    // field) map to 0, the rest keep the kernel's 0..39 (20 + nice).
    const std::uint32_t priority = p.priority < 0 ? 0 : static_cast<std::uint32_t>(std::min<std::int64_t>(p.priority, 99));
    return {
        .CPUTime = clamp32((p.utime + p.stime) * 1000 / static_cast<std::uint64_t>(ticks > 0 ? ticks : 100)),
        .Command = p.comm,
        .PID = p.pid,
        .Priority = priority,
        .Size = clamp32(p.rss_pages * static_cast<std::uint64_t>(page > 0 ? page : 4096) / 1024),
        .State = state,
    };
}

// /sys/class/thermal/thermal_zoneN is TemperatureSensor N+1.
std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<DeviceInfo_TemperatureStatus_TemperatureSensor>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    std::vector<std::uint32_t> out;
    for (const std::string& name : linux_board::list_dir(b.roots().sys + "/class/thermal")) {
        if (!name.starts_with("thermal_zone")) continue;
        const auto n = linux_board::to_u64(std::string_view(name).substr(12));
        if (n && std::to_string(*n) == name.substr(12) && *n < UINT32_MAX - 1) out.push_back(static_cast<std::uint32_t>(*n + 1));
    }
    std::sort(out.begin(), out.end());
    return out;
}

DeviceInfo_TemperatureStatus_TemperatureSensor read(Context& ctx, const Instance& in,
                                                    Tag<DeviceInfo_TemperatureStatus_TemperatureSensor>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const std::string zone = thermal_zone(b, linux_board::last(in));
    // The zone's type names it; a zone without one (or gone since the
    // listing) still answers, by its directory's name.
    const std::string name = linux_board::trim(
        linux_board::try_read_file(zone + "/type", 4096).value_or(zone.substr(zone.rfind('/') + 1)));
    // Some zones cannot be read at times (EIO, ENODATA): the sensor is then in
    // error and its value -274, which TR-181 reserves for "no good reading".
    const auto millis = linux_board::try_read_line(zone + "/temp");
    const auto value = millis ? linux_board::to_i64(*millis) : std::nullopt;
    using S = DeviceInfo_TemperatureStatus_TemperatureSensor::StatusValue;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return {
        .LastUpdate = dm::DateTime{std::chrono::duration_cast<std::chrono::seconds>(now).count()},
        .Name = name,
        .Status = value ? S::Enabled : S::Error,
        .Value = value ? static_cast<std::int32_t>(*value / 1000) : -274,
    };
}

}  // namespace cwmp::platform
