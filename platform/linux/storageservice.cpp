// Device.Services.StorageService.1.: block devices (/sys/block) as physical
// media, each mounted block-device filesystem (mountinfo) as a logical volume
// with its size and use from statvfs, in whole MiB rounded down (the bytes
// `df -B1` shows, floored; `df -m` would round up).
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

// Each listing reads the rows too (a handful of small files and one statvfs
// per volume) and keeps them in the board's snapshot, which the reads answer
// from.
std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<StorageService_PhysicalMedium>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    std::vector<linux_board::Numbering::Item> items;
    for (const std::string& name : media(b)) items.push_back({name, name});
    auto& rows = b.media();
    rows.clear();
    std::vector<std::uint32_t> out;
    for (std::uint32_t n : b.number(kMedia, items)) {
        const auto name = b.key_of(kMedia, n);
        const std::string dir = b.roots().sys + "/block/" + name.value_or("");
        const auto size = linux_board::try_read_line(dir + "/size");
        const auto sectors = size ? linux_board::to_u64(*size) : std::nullopt;
        if (!name || !sectors) continue;  // gone since media() looked
        // Vendor and model where the device's driver tells them (SCSI, ATA, USB), else empty.
        auto text = [&](const char* file, std::size_t max) {
            std::string v = linux_board::try_read_line(dir + "/device/" + file).value_or("");
            return v.substr(0, max);
        };
        rows.insert_or_assign(n, StorageService_PhysicalMedium{
            .Capacity = mib(*sectors * 512),
            .Model = text("model", 128),
            .Name = name->substr(0, 64),
            .Removable = linux_board::try_read_line(dir + "/removable").value_or("0") == "1",
            .Status = StorageService_PhysicalMedium::StatusValue::Online,
            .Vendor = text("vendor", 64),
        });
        out.push_back(n);
    }
    std::sort(out.begin(), out.end());
    return out;
}

StorageService_PhysicalMedium read(Context& ctx, const Instance& in, Tag<StorageService_PhysicalMedium>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const std::uint32_t n = linux_board::last(in);
    if (!b.media().contains(n)) (void)instances(ctx, in, Tag<StorageService_PhysicalMedium>{});
    auto it = b.media().find(n);
    if (it == b.media().end()) b.fail(kMedia + std::to_string(n), "the block device is gone");
    return it->second;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const auto mounts = volumes(b);
    std::vector<linux_board::Numbering::Item> items;
    for (const auto& m : mounts) items.push_back({volume_key(m), volume_key(m)});
    const auto numbers = b.number(kVolumes, items);
    // The disks, for PhysicalReference (listed first: their numbers are theirs to give).
    const auto disks = instances(ctx, in, Tag<StorageService_PhysicalMedium>{});
    auto& rows = b.volumes();
    rows.clear();
    std::vector<std::uint32_t> out;
    for (std::uint32_t n : numbers) {
        const auto key = b.key_of(kVolumes, n);
        auto m = std::find_if(mounts.begin(), mounts.end(), [&](const auto& m) { return key && volume_key(m) == *key; });
        if (m == mounts.end()) continue;
        struct statvfs vfs{};
        if (::statvfs(m->mount_point.c_str(), &vfs) != 0) {
            // Mounted but not reachable from here (a mount point since
            // deleted, another namespace's view): not a volume we can measure.
            b.note_once(*key, "LogicalVolume " + m->mount_point + " left out: statvfs: " + std::strerror(errno));
            continue;
        }
        // The disk holding it: the device itself, or the parent of a partition.
        std::string reference;
        const std::string dev = b.roots().sys + "/dev/block/" + std::to_string(m->major) + ":" + std::to_string(m->minor);
        if (char* real = ::realpath(dev.c_str(), nullptr)) {
            std::string path = real;
            std::free(real);
            if (linux_board::try_read_line(path + "/partition")) path = path.substr(0, path.rfind('/'));
            const std::string disk = path.substr(path.rfind('/') + 1);
            for (std::uint32_t d : disks)
                if (b.key_of(kMedia, d) == disk) reference = kMedia + std::to_string(d);
        }
        const std::uint64_t unit = vfs.f_frsize;
        rows.insert_or_assign(n, StorageService_LogicalVolume{
            .Capacity = mib(static_cast<std::uint64_t>(vfs.f_blocks) * unit),
            .FileSystem = m->fs_type.substr(0, 64),
            .Name = (m->mount_point.size() <= 64 ? m->mount_point : m->source).substr(0, 64),
            .PhysicalReference = reference,
            .Status = StorageService_LogicalVolume::StatusValue::Online,
            .UsedSpace = mib(static_cast<std::uint64_t>(vfs.f_blocks - vfs.f_bfree) * unit),
        });
        out.push_back(n);
    }
    std::sort(out.begin(), out.end());
    return out;
}

StorageService_LogicalVolume read(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const std::uint32_t n = linux_board::last(in);
    if (!b.volumes().contains(n)) (void)instances(ctx, in, Tag<StorageService_LogicalVolume>{});
    auto it = b.volumes().find(n);
    if (it == b.volumes().end()) b.fail(kVolumes + std::to_string(n), "no longer mounted");
    return it->second;
}

}  // namespace cwmp::platform
