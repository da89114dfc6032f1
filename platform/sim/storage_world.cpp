#include "storage_world.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string>

namespace cwmp::sim::storage {

namespace {

// Every ACS-managed table of the box is unbounded.
constexpr std::uint32_t kUnbounded = std::numeric_limits<std::uint32_t>::max();

const char* const kVolumeTemplate = "Device.Services.StorageService.{i}.LogicalVolume.{i}.";
const char* const kFolderTemplate = "Device.Services.StorageService.{i}.LogicalVolume.{i}.Folder.{i}.";

constexpr std::array<VolumeSpec, kInitialVolumes> kVolumeSpecs = {{
    {"pvr", 800000, true, 40000},
    {"data", 150000, false, 8192},
}};

constexpr std::array<std::array<FolderSpec, kInitialFolders>, kInitialVolumes> kFolderSpecs = {{
    {{{"/recordings", 180000, 2, 0, false, 0, 0},  // a DTT recording: ~0.5 MB/s
      {"/timeshift", 16384, 0, 0, true, 32768, 4096}}},
    {{{"/media", 20480, 60, 3, false, 0, 0},
      {"/public", 512, 0, 0, true, 4096, 512}}},  // anonymous FTP's home
}};

// File-system metadata and journal take 1/64 of a volume.
std::uint32_t overhead(std::uint32_t capacity_mb) { return capacity_mb / 64; }

// What a folder would hold now: folders the ACS created start empty.
std::uint32_t folder_wants(const SimBoard& b, const dm::Instance& folder) {
    const FolderSpec* spec = folder_spec(folder);
    if (spec == nullptr) return 0;
    const std::uint64_t grown = spec->seconds_per_mb ? b.uptime() / spec->seconds_per_mb : 0;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(spec->base_mb + grown, kDiskMB));
}

}  // namespace

// --- Tables --------------------------------------------------------------------------

const Table kVolumes{"Device.Services.StorageService.{i}.LogicalVolume.",
                     [](const dm::Instance&) { return kInitialVolumes; }};
const Table kFolders{"Device.Services.StorageService.{i}.LogicalVolume.{i}.Folder.",
                     [](const dm::Instance& p) { return initial_volume(p) ? kInitialFolders : 0u; }};
const Table kUserAccess{"Device.Services.StorageService.{i}.LogicalVolume.{i}.Folder.{i}.UserAccess.",
                        [](const dm::Instance& p) { return shared_folder(p) ? 1u : 0u; }};
const Table kGroupAccess{"Device.Services.StorageService.{i}.LogicalVolume.{i}.Folder.{i}.GroupAccess.",
                         [](const dm::Instance& p) { return shared_folder(p) ? 1u : 0u; }};
const Table kArrays{"Device.Services.StorageService.{i}.StorageArray.", [](const dm::Instance&) { return 0u; }};
const Table kAccounts{"Device.Services.StorageService.{i}.UserAccount.",
                      [](const dm::Instance&) { return kInitialAccounts; }};
const Table kGroups{"Device.Services.StorageService.{i}.UserGroup.",
                    [](const dm::Instance&) { return kInitialGroups; }};

bool initial_volume(const dm::Instance& in) { return in.numbers.size() > 1 && in.numbers[1] <= kInitialVolumes; }

bool initial_folder(const dm::Instance& in) {
    return initial_volume(in) && in.numbers.size() > 2 && in.numbers[2] <= kInitialFolders;
}

bool shared_folder(const dm::Instance& in) { return initial_folder(in) && in.numbers[1] == 2; }

std::vector<std::uint32_t> rows(const SimBoard& b, const Table& t, const dm::Instance& in) {
    return b.rows(instance_path(t.path_template, in), t.initial(in));
}

std::uint32_t add_row(SimBoard& b, const Table& t, const dm::Instance& parent) {
    return b.add_row(instance_path(t.path_template, parent), t.initial(parent), kUnbounded);
}

bool remove_row(SimBoard& b, const Table& t, const dm::Instance& in) {
    return b.remove_row(instance_path(t.path_template, in), t.initial(in), last(in));
}

// --- The disk ------------------------------------------------------------------------

std::uint32_t power_on_hours(const SimBoard& b) { return 8760 + b.uptime() / 3600; }

std::uint32_t soft_read_errors(const SimBoard& b) { return 3 + b.uptime() / 86400; }

std::uint32_t disk_temperature(const SimBoard& b) { return 34 + std::min(b.uptime() / 600, 8u); }

// --- Volumes and their folders -------------------------------------------------------

const VolumeSpec* volume_spec(const dm::Instance& volume) {
    return initial_volume(volume) ? &kVolumeSpecs[volume.numbers[1] - 1] : nullptr;
}

const FolderSpec* folder_spec(const dm::Instance& folder) {
    return initial_folder(folder) ? &kFolderSpecs[folder.numbers[1] - 1][folder.numbers[2] - 1] : nullptr;
}

std::uint32_t volume_capacity(const SimBoard& b, const dm::Instance& volume) {
    const VolumeSpec* spec = volume_spec(volume);
    return b.setting(instance_path(kVolumeTemplate, volume) + "Capacity", spec ? spec->capacity_mb : 0u);
}

bool fits_on_disk(const SimBoard& b, const dm::Instance& volume, std::uint64_t capacity_mb) {
    std::uint64_t others = 0;
    for (std::uint32_t v : rows(b, kVolumes, volume)) {
        const std::array<std::uint32_t, 2> numbers{volume.numbers[0], v};
        if (v != last(volume)) others += volume_capacity(b, dm::Instance{numbers});
    }
    return others + capacity_mb <= kDiskMB;
}

Quota quota(const SimBoard& b, const dm::Instance& folder) {
    const FolderSpec* spec = folder_spec(folder);
    const std::string path = instance_path(kFolderTemplate, folder) + "Quota.";
    return {
        b.setting(path + "Enable", spec ? spec->quota : false),
        b.setting(path + "Capacity", spec ? spec->quota_mb : 0u),
        b.setting(path + "ThresholdLimit", spec ? spec->quota_threshold_mb : 0u),
    };
}

Usage usage(const SimBoard& b, const dm::Instance& volume) {
    Usage u;
    const std::uint32_t capacity = volume_capacity(b, volume);
    u.volume_used = overhead(capacity);
    u.folders = rows(b, kFolders, volume);
    u.folder_used.assign(u.folders.size(), 0);
    for (const bool growing : {false, true}) {
        for (std::size_t i = 0; i < u.folders.size(); ++i) {
            const std::array<std::uint32_t, 3> numbers{volume.numbers[0], volume.numbers[1], u.folders[i]};
            const dm::Instance folder{numbers};
            const FolderSpec* spec = folder_spec(folder);
            if ((spec != nullptr && spec->seconds_per_mb != 0) != growing) continue;
            std::uint32_t used = folder_wants(b, folder);
            const Quota q = quota(b, folder);
            if (q.enabled) used = std::min(used, q.capacity_mb);
            used = std::min(used, capacity - u.volume_used);
            u.folder_used[i] = used;
            u.volume_used += used;
        }
    }
    return u;
}

std::uint32_t folder_used(const SimBoard& b, const dm::Instance& folder) {
    const Usage u = usage(b, dm::Instance{folder.numbers.first(2)});
    const auto it = std::find(u.folders.begin(), u.folders.end(), folder.numbers[2]);
    return it == u.folders.end() ? 0 : u.folder_used[static_cast<std::size_t>(it - u.folders.begin())];
}

bool threshold_reached(std::uint32_t used, std::uint32_t threshold, std::uint32_t capacity) {
    return threshold > 0 && std::uint64_t{used} + threshold >= capacity;
}

// --- RAID arrays ---------------------------------------------------------------------

bool raid_supported(std::string_view raid) { return raid == "RAID0" || raid == "RAID1"; }

std::uint32_t usable_capacity(std::string_view raid, std::uint32_t disks) {
    return disks == 0 ? 0 : raid == "RAID0" ? disks * kDiskMB : kDiskMB;
}

ArrayStatus array_status(bool enabled, std::string_view raid, std::uint32_t disks) {
    return !enabled                       ? ArrayStatus::Offline
           : disks == 0                   ? ArrayStatus::Error
           : raid == "RAID1" && disks < 2 ? ArrayStatus::Degraded
                                          : ArrayStatus::Online;
}

// --- Network file sharing -------------------------------------------------------------

bool offers_protocol(std::string_view protocol) { return protocol == "SMB" || protocol == "NFS"; }

}  // namespace cwmp::sim::storage
