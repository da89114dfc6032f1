// Device.Services.StorageService.1.: block devices (/sys/block) as physical
// media, each mounted block-device filesystem (mountinfo) as a logical volume
// with its size and use from statvfs (in MiB, as df -m counts).
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "board.h"
#include "cwmp/platform/storageservice.h"

namespace cwmp::platform {

using model::StorageService_LogicalVolume;
using model::StorageService_PhysicalMedium;

namespace {

const std::string kMedia = "Device.Services.StorageService.1.PhysicalMedium.";
const std::string kVolumes = "Device.Services.StorageService.1.LogicalVolume.";

// Block devices with a size (empty loop devices and ram disks without one are left out).
std::vector<std::string> media(const linux_board::LinuxBoard& b) {
    std::vector<std::string> out;
    for (const std::string& name : linux_board::list_dir(b.roots().sys + "/block")) {
        const auto size = linux_board::try_read_line(b.roots().sys + "/block/" + name + "/size");
        const auto sectors = size ? linux_board::to_u64(*size) : std::nullopt;
        if (sectors && *sectors > 0) out.push_back(name);
    }
    return out;
}

std::vector<linux_board::Mount> volumes(linux_board::LinuxBoard& b) {
    const std::string path = b.roots().proc + "/self/mountinfo";
    std::vector<linux_board::Mount> out;
    for (auto& m : linux_board::parse_mountinfo(b.read(path))) {
        // A block device's filesystem, once (bind mounts show it again).
        if (m.major == 0 || !m.source.starts_with("/dev/")) continue;
        if (std::any_of(out.begin(), out.end(),
                        [&](const auto& o) { return o.major == m.major && o.minor == m.minor; }))
            continue;
        out.push_back(std::move(m));
    }
    return out;
}

std::string volume_key(const linux_board::Mount& m) {
    return std::to_string(m.major) + ":" + std::to_string(m.minor) + " " + m.mount_point;
}

std::uint32_t mib(std::uint64_t bytes) {
    const std::uint64_t m = bytes >> 20;
    return m > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(m);
}

}  // namespace

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<StorageService_PhysicalMedium>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    std::vector<linux_board::Numbering::Item> items;
    for (const std::string& name : media(b)) items.push_back({name, name});
    auto n = b.number(kMedia, items);
    std::sort(n.begin(), n.end());
    return n;
}

StorageService_PhysicalMedium read(Context& ctx, const Instance& in, Tag<StorageService_PhysicalMedium>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const auto name = b.key_of(kMedia, linux_board::last(in));
    if (!name) b.fail(kMedia + std::to_string(linux_board::last(in)), "the block device is gone");
    const std::string dir = b.roots().sys + "/block/" + *name;
    const auto sectors = linux_board::to_u64(b.read(dir + "/size"));
    if (!sectors) b.fail(dir + "/size", "not a number");
    // Vendor and model where the device's driver tells them (SCSI, ATA, USB), else empty.
    auto text = [&](const char* file, std::size_t max) {
        std::string v = linux_board::try_read_line(dir + "/device/" + file).value_or("");
        return v.substr(0, max);
    };
    return {
        .Capacity = mib(*sectors * 512),
        .Model = text("model", 128),
        .Name = name->substr(0, 64),
        .Removable = linux_board::try_read_line(dir + "/removable").value_or("0") == "1",
        .Status = StorageService_PhysicalMedium::StatusValue::Online,
        .Vendor = text("vendor", 64),
    };
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<StorageService_LogicalVolume>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    std::vector<linux_board::Numbering::Item> items;
    for (const auto& m : volumes(b)) items.push_back({volume_key(m), volume_key(m)});
    auto n = b.number(kVolumes, items);
    std::sort(n.begin(), n.end());
    return n;
}

StorageService_LogicalVolume read(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const auto key = b.key_of(kVolumes, linux_board::last(in));
    std::optional<linux_board::Mount> mount;
    if (key)
        for (auto& m : volumes(b))
            if (volume_key(m) == *key) mount = std::move(m);
    if (!mount) b.fail(kVolumes + std::to_string(linux_board::last(in)), "no longer mounted");
    struct statvfs vfs{};
    if (::statvfs(mount->mount_point.c_str(), &vfs) != 0)
        b.fail(mount->mount_point, std::string("statvfs: ") + std::strerror(errno));
    // The disk holding it: the device itself, or the parent of a partition.
    std::string reference;
    const std::string dev = b.roots().sys + "/dev/block/" + std::to_string(mount->major) + ":" + std::to_string(mount->minor);
    if (char* real = ::realpath(dev.c_str(), nullptr)) {
        std::string path = real;
        std::free(real);
        if (linux_board::try_read_line(path + "/partition")) path = path.substr(0, path.rfind('/'));
        const std::string disk = path.substr(path.rfind('/') + 1);
        for (const auto& e : b.number(kMedia, [&] {
                 std::vector<linux_board::Numbering::Item> items;
                 for (const std::string& name : media(b)) items.push_back({name, name});
                 return items;
             }()))
            if (b.key_of(kMedia, e) == disk) reference = kMedia + std::to_string(e);
    }
    const std::uint64_t unit = vfs.f_frsize;
    return {
        .Capacity = mib(static_cast<std::uint64_t>(vfs.f_blocks) * unit),
        .FileSystem = mount->fs_type.substr(0, 64),
        .Name = (mount->mount_point.size() <= 64 ? mount->mount_point : mount->source).substr(0, 64),
        .PhysicalReference = reference,
        .Status = StorageService_LogicalVolume::StatusValue::Online,
        .UsedSpace = mib(static_cast<std::uint64_t>(vfs.f_blocks - vfs.f_bfree) * unit),
    };
}

}  // namespace cwmp::platform
