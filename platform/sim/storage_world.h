// The set-top box's storage as the simulated world has it, apart from any
// data model: its internal 1 TB disk, split into a PVR volume and a user-data
// volume whose folders fill slowly, the RAID arrays and the rows the ACS may
// add, and what the box cannot do (AFP, RAID levels beyond 0 and 1, volumes
// larger than the disk).
//
// Rows and what the ACS changed are kept in the board's settings under the
// box's Device.Services.StorageService. paths (the keys it always had, so a
// restart keeps them); `in` below is an instance of those paths.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "board.h"

namespace cwmp::sim::storage {

// --- Tables the ACS adds rows to and deletes them from --------------------------------

struct Table {
    const char* path_template;  // the table's path, "{i}" for the parents' numbers
    std::uint32_t (*initial)(const dm::Instance& parent);  // rows it starts with
};
constexpr std::uint32_t kInitialVolumes = 2;
constexpr std::uint32_t kInitialFolders = 2;  // per initial volume
constexpr std::uint32_t kInitialAccounts = 2;
constexpr std::uint32_t kInitialGroups = 2;
extern const Table kVolumes;      // LogicalVolume
extern const Table kFolders;      // its Folder
extern const Table kUserAccess;   // a folder's UserAccess
extern const Table kGroupAccess;  // a folder's GroupAccess
extern const Table kArrays;       // StorageArray (none at first)
extern const Table kAccounts;     // UserAccount
extern const Table kGroups;       // UserGroup

// Whether the volume (folder) of `in` is one the box came with.
bool initial_volume(const dm::Instance& in);
bool initial_folder(const dm::Instance& in);
// The shared folders of the data volume start with one user and one group row.
bool shared_folder(const dm::Instance& in);

// `in` is the parent for rows/add_row, or the row itself (its own number is
// then ignored, and the initial rows only depend on the parents').
std::vector<std::uint32_t> rows(const SimBoard& b, const Table& t, const dm::Instance& in);
// The new row's number; 0 when none can be added.
std::uint32_t add_row(SimBoard& b, const Table& t, const dm::Instance& parent);
bool remove_row(SimBoard& b, const Table& t, const dm::Instance& in);

// --- The disk ------------------------------------------------------------------------

// A Seagate video HDD: 1 TB, formatted capacity in MB.
constexpr std::uint32_t kDiskMB = 953869;
std::uint32_t power_on_hours(const SimBoard& b);     // a year in service before this boot
std::uint32_t soft_read_errors(const SimBoard& b);   // one more a day
std::uint32_t disk_temperature(const SimBoard& b);   // °C, warming up over the first 80 minutes

// --- Volumes and their folders -------------------------------------------------------

struct VolumeSpec {
    const char* name;
    std::uint32_t capacity_mb;
    bool encrypted;
    std::uint32_t threshold_mb;
};
// A folder's contents: `base_mb` at boot, growing by 1 MB every
// `seconds_per_mb` seconds (0: static).
struct FolderSpec {
    const char* name;
    std::uint32_t base_mb;
    std::uint32_t seconds_per_mb;
    std::uint32_t user_account_access;
    bool quota;
    std::uint32_t quota_mb;
    std::uint32_t quota_threshold_mb;
};
// What the box came with; nullptr for a row the ACS added.
const VolumeSpec* volume_spec(const dm::Instance& volume);
const FolderSpec* folder_spec(const dm::Instance& folder);

// MB; 0 for a volume the ACS added until it sets one.
std::uint32_t volume_capacity(const SimBoard& b, const dm::Instance& volume);
// The volumes together must fit on the disk: whether `volume` may have `capacity_mb`.
bool fits_on_disk(const SimBoard& b, const dm::Instance& volume, std::uint64_t capacity_mb);

struct Quota {
    bool enabled;
    std::uint32_t capacity_mb;
    std::uint32_t threshold_mb;
};
Quota quota(const SimBoard& b, const dm::Instance& folder);

// Used space of a volume's folders: each is held to its quota and to what the
// others left of the volume, the folders that grow (recordings) coming last.
struct Usage {
    std::vector<std::uint32_t> folders;      // folder numbers
    std::vector<std::uint32_t> folder_used;  // MB, same order
    std::uint32_t volume_used = 0;           // MB, file-system metadata included
};
Usage usage(const SimBoard& b, const dm::Instance& volume);
// What folder `folder` uses of its volume (0 for one that is gone).
std::uint32_t folder_used(const SimBoard& b, const dm::Instance& folder);

// TR-140's threshold rule, shared by volumes and quotas.
bool threshold_reached(std::uint32_t used, std::uint32_t threshold, std::uint32_t capacity);

// --- RAID arrays of the one disk ------------------------------------------------------

// RAID0 and RAID1 only.
bool raid_supported(std::string_view raid);
// MB an array of `disks` disks offers.
std::uint32_t usable_capacity(std::string_view raid, std::uint32_t disks);
enum class ArrayStatus { Offline, Error, Degraded, Online };
ArrayStatus array_status(bool enabled, std::string_view raid, std::uint32_t disks);

// --- Network file sharing -------------------------------------------------------------

// SMB and NFS; no AFP.
bool offers_protocol(std::string_view protocol);

}  // namespace cwmp::sim::storage
