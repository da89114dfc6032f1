// Device.Services.StorageService.{i}.: the set-top's internal 1 TB SATA disk,
// split into a PVR volume and a user-data volume, shared over SMB, SFTP and
// HTTP(S).  Recordings and media fill the folders slowly; the ACS may add and
// delete volumes, folders, access rows, RAID arrays, users and groups.
// The box's rules are the world's (storage_world.h); this file only translates them.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "board.h"
#include "storage_world.h"
#include "cwmp/platform/storageservice.h"

namespace cwmp::platform {

using model::StorageService;
using model::StorageService_Capabilities;
using model::StorageService_FTPServer;
using model::StorageService_FTPServer_AnonymousUser;
using model::StorageService_HTTPSServer;
using model::StorageService_HTTPServer;
using model::StorageService_LogicalVolume;
using model::StorageService_LogicalVolume_Folder;
using model::StorageService_LogicalVolume_Folder_GroupAccess;
using model::StorageService_LogicalVolume_Folder_Quota;
using model::StorageService_LogicalVolume_Folder_UserAccess;
using model::StorageService_NetInfo;
using model::StorageService_NetworkServer;
using model::StorageService_PhysicalMedium;
using model::StorageService_PhysicalMedium_SMART;
using model::StorageService_SFTPServer;
using model::StorageService_StorageArray;
using model::StorageService_UserAccount;
using model::StorageService_UserGroup;

namespace {

const char* const kService = "Device.Services.StorageService.{i}.";
const char* const kMediumTemplate = "Device.Services.StorageService.{i}.PhysicalMedium.{i}.";
const char* const kArrayTemplate = "Device.Services.StorageService.{i}.StorageArray.{i}.";
const char* const kVolumeTemplate = "Device.Services.StorageService.{i}.LogicalVolume.{i}.";
const char* const kFolderTemplate = "Device.Services.StorageService.{i}.LogicalVolume.{i}.Folder.{i}.";
const char* const kUserAccessTemplate =
    "Device.Services.StorageService.{i}.LogicalVolume.{i}.Folder.{i}.UserAccess.{i}.";
const char* const kGroupAccessTemplate =
    "Device.Services.StorageService.{i}.LogicalVolume.{i}.Folder.{i}.GroupAccess.{i}.";
const char* const kAccountTemplate = "Device.Services.StorageService.{i}.UserAccount.{i}.";
const char* const kGroupTemplate = "Device.Services.StorageService.{i}.UserGroup.{i}.";

namespace world = sim::storage;
using world::Table;

std::vector<std::uint32_t> rows(Context& ctx, const Table& t, const Instance& in) {
    return world::rows(sim::board(ctx), t, in);
}
Fault add_row(Context& ctx, const Table& t, const Instance& parent, std::uint32_t& number) {
    number = world::add_row(sim::board(ctx), t, parent);
    return number == 0 ? Fault::ResourcesExceeded : Fault::None;
}
Fault remove_row(Context& ctx, const Table& t, const Instance& in) {
    return world::remove_row(sim::board(ctx), t, in) ? Fault::None : Fault::InvalidParameterName;
}

StorageService_StorageArray::StatusValue status_of(world::ArrayStatus s) {
    using S = StorageService_StorageArray::StatusValue;
    switch (s) {
        case world::ArrayStatus::Offline: return S::Offline;
        case world::ArrayStatus::Error: return S::Error;
        case world::ArrayStatus::Degraded: return S::Degraded;
        case world::ArrayStatus::Online: break;
    }
    return S::Online;
}

// --- References between rows -------------------------------------------------

std::string service_path(const Instance& in) { return sim::instance_path(kService, in); }

// The instance number `ref` gives below `prefix` ("...UserGroup."), or 0.
std::uint32_t number_below(std::string_view ref, std::string_view prefix) {
    if (!ref.starts_with(prefix)) return 0;
    ref.remove_prefix(prefix.size());
    if (ref.ends_with('.')) ref.remove_suffix(1);
    std::uint32_t n = 0;
    return dm::parse(ref, n) == Fault::None ? n : 0;
}

bool contains(const std::vector<std::uint32_t>& rows, std::uint32_t n) {
    return n != 0 && std::find(rows.begin(), rows.end(), n) != rows.end();
}

// Whether `ref` names an existing row of `table` in the service of `in`.
bool names_row(Context& ctx, const Table& table, const Instance& in, std::string_view ref) {
    const std::array<std::uint32_t, 1> svc{in.numbers[0]};
    const std::string prefix = sim::instance_path(table.path_template, Instance{svc});
    return contains(rows(ctx, table, Instance{svc}), number_below(ref, prefix));
}

bool names_medium(const Instance& in, std::string_view ref) {
    return number_below(ref, service_path(in) + "PhysicalMedium.") == 1;
}

// "...LogicalVolume.2.Folder.1" of an existing volume and folder.
bool names_folder(Context& ctx, const Instance& in, std::string_view ref) {
    const std::string volumes = service_path(in) + "LogicalVolume.";
    if (!ref.starts_with(volumes)) return false;
    std::string_view rest = ref.substr(volumes.size());
    const std::size_t dot = rest.find('.');
    std::uint32_t v = 0;
    if (dot == std::string_view::npos || dm::parse(rest.substr(0, dot), v) != Fault::None) return false;
    const std::array<std::uint32_t, 1> svc{in.numbers[0]};
    const std::array<std::uint32_t, 2> volume{in.numbers[0], v};
    return contains(rows(ctx, world::kVolumes, Instance{svc}), v) &&
           contains(rows(ctx, world::kFolders, Instance{volume}), number_below(ref, volumes + std::to_string(v) + ".Folder."));
}

std::string row_path(const Instance& in, const char* table, std::uint32_t n) {
    return service_path(in) + table + std::to_string(n);
}

// A reference that no longer resolves reads as empty (TR-106 strong refs).
std::string live(bool resolves, const std::string& ref) { return resolves ? ref : std::string(); }

std::string trimmed(std::string ref) {
    if (!ref.empty() && ref.back() == '.') ref.pop_back();
    return ref;
}

// --- File servers ------------------------------------------------------------

// The four servers share their parameters, and follow StorageService.Enable.
struct Server {
    bool enable;
    std::uint32_t idle_time;
    std::uint32_t max_users;
    std::uint32_t port;
    bool active;
};
Server server(Context& ctx, const Instance& in, const char* name, bool enable, std::uint32_t port) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in) + name + ".";
    const bool enabled = b.setting(path + "Enable", enable);
    return {
        enabled,
        b.setting(path + "IdleTime", 300u),
        b.setting(path + "MaxNumUsers", 5u),
        b.setting(path + "PortNumber", port),
        enabled && b.setting(service_path(in) + "Enable", true),
    };
}

template <class Changes>
void store_server(Context& ctx, const Instance& in, const char* name, const Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in) + name + ".";
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.IdleTime) b.store(path + "IdleTime", *changes.IdleTime);
    if (changes.MaxNumUsers) b.store(path + "MaxNumUsers", *changes.MaxNumUsers);
    if (changes.PortNumber) b.store(path + "PortNumber", *changes.PortNumber);
}

template <class Status>
Status server_status(const Server& s) {
    return s.active ? Status::Enabled : Status::Disabled;
}

}  // namespace

// --- Device.Services.StorageService.{i}. -------------------------------------

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<StorageService>) { return sim::numbered(1); }

StorageService read(Context& ctx, const Instance& in, Tag<StorageService>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in);
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-storage-" + std::to_string(sim::last(in))),
        .Enable = b.setting(path + "Enable", true),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in);
    b.store_changes(path, changes);
    return Fault::None;
}

StorageService_Capabilities read(Context&, const Instance&, Tag<StorageService_Capabilities>) {
    using FS = StorageService_Capabilities::SupportedFileSystemTypesValue;
    using Protocol = StorageService_Capabilities::SupportedNetworkProtocolsValue;
    using Raid = StorageService_Capabilities::SupportedRaidTypesValue;
    return {
        .FTPCapable = true,
        .HTTPCapable = true,
        .HTTPSCapable = true,
        .HTTPWritable = true,
        .SFTPCapable = true,
        .SupportedFileSystemTypes = std::vector<FS>{FS::FAT32, FS::NTFS, FS::ext4, FS::exFAT},
        .SupportedNetworkProtocols = std::vector<Protocol>{Protocol::SMB, Protocol::NFS},
        .SupportedRaidTypes = std::vector<Raid>{Raid::RAID0, Raid::RAID1},
        .VolumeEncryptionCapable = true,
    };
}

// --- Servers -----------------------------------------------------------------

StorageService_FTPServer read(Context& ctx, const Instance& in, Tag<StorageService_FTPServer>) {
    const Server s = server(ctx, in, "FTPServer", false, 21);
    return {
        .Enable = s.enable,
        .IdleTime = s.idle_time,
        .MaxNumUsers = s.max_users,
        .PortNumber = s.port,
        .Status = server_status<StorageService_FTPServer::StatusValue>(s),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_FTPServer::Changes& changes) {
    store_server(ctx, in, "FTPServer", changes);
    return Fault::None;
}

StorageService_FTPServer_AnonymousUser read(Context& ctx, const Instance& in,
                                            Tag<StorageService_FTPServer_AnonymousUser>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in) + "FTPServer.AnonymousUser.";
    const std::string folder =
        b.setting<std::string>(path + "StartingFolder", service_path(in) + "LogicalVolume.2.Folder.2");
    return {
        .Enable = b.setting(path + "Enable", false),
        .ReadOnlyAccess = b.setting(path + "ReadOnlyAccess", true),
        .StartingFolder = live(names_folder(ctx, in, folder), folder),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_FTPServer_AnonymousUser::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in) + "FTPServer.AnonymousUser.";
    if (changes.StartingFolder && !changes.StartingFolder->empty() &&
        !names_folder(ctx, in, *changes.StartingFolder))
        return Fault::InvalidParameterValue;
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.ReadOnlyAccess) b.store(path + "ReadOnlyAccess", *changes.ReadOnlyAccess);
    if (changes.StartingFolder) b.store(path + "StartingFolder", trimmed(*changes.StartingFolder));
    return Fault::None;
}

StorageService_HTTPSServer read(Context& ctx, const Instance& in, Tag<StorageService_HTTPSServer>) {
    const Server s = server(ctx, in, "HTTPSServer", true, 443);
    return {
        .AuthenticationReq = sim::board(ctx).setting(service_path(in) + "HTTPSServer.AuthenticationReq", true),
        .Enable = s.enable,
        .HTTPWritingEnabled = true,  // WebDAV over TLS only
        .IdleTime = s.idle_time,
        .MaxNumUsers = s.max_users,
        .PortNumber = s.port,
        .Status = server_status<StorageService_HTTPSServer::StatusValue>(s),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_HTTPSServer::Changes& changes) {
    if (changes.AuthenticationReq)
        sim::board(ctx).store(service_path(in) + "HTTPSServer.AuthenticationReq", *changes.AuthenticationReq);
    store_server(ctx, in, "HTTPSServer", changes);
    return Fault::None;
}

StorageService_HTTPServer read(Context& ctx, const Instance& in, Tag<StorageService_HTTPServer>) {
    const Server s = server(ctx, in, "HTTPServer", true, 80);
    return {
        .AuthenticationReq = sim::board(ctx).setting(service_path(in) + "HTTPServer.AuthenticationReq", true),
        .Enable = s.enable,
        .HTTPWritingEnabled = false,
        .IdleTime = s.idle_time,
        .MaxNumUsers = s.max_users,
        .PortNumber = s.port,
        .Status = server_status<StorageService_HTTPServer::StatusValue>(s),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_HTTPServer::Changes& changes) {
    if (changes.AuthenticationReq)
        sim::board(ctx).store(service_path(in) + "HTTPServer.AuthenticationReq", *changes.AuthenticationReq);
    store_server(ctx, in, "HTTPServer", changes);
    return Fault::None;
}

StorageService_SFTPServer read(Context& ctx, const Instance& in, Tag<StorageService_SFTPServer>) {
    const Server s = server(ctx, in, "SFTPServer", true, 115);  // TR-140's factory default port
    return {
        .Enable = s.enable,
        .IdleTime = s.idle_time,
        .MaxNumUsers = s.max_users,
        .PortNumber = s.port,
        .Status = server_status<StorageService_SFTPServer::StatusValue>(s),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_SFTPServer::Changes& changes) {
    store_server(ctx, in, "SFTPServer", changes);
    return Fault::None;
}

StorageService_NetInfo read(Context& ctx, const Instance& in, Tag<StorageService_NetInfo>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in) + "NetInfo.";
    return {
        .DomainName = b.setting<std::string>(path + "DomainName", "home.arpa"),
        .HostName = b.setting<std::string>(path + "HostName", "rdk-stb"),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_NetInfo::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in) + "NetInfo.";
    b.store_changes(path, changes);
    return Fault::None;
}

StorageService_NetworkServer read(Context& ctx, const Instance& in, Tag<StorageService_NetworkServer>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in) + "NetworkServer.";
    return {
        .AFPEnable = false,  // the box offers no AFP
        .NFSEnable = b.setting(path + "NFSEnable", false),
        .NetworkProtocolAuthReq = b.setting(path + "NetworkProtocolAuthReq", true),
        .SMBEnable = b.setting(path + "SMBEnable", true),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_NetworkServer::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = service_path(in) + "NetworkServer.";
    if (changes.AFPEnable && *changes.AFPEnable && !world::offers_protocol("AFP")) return Fault::InvalidParameterValue;
    if (changes.NFSEnable) b.store(path + "NFSEnable", *changes.NFSEnable);
    if (changes.NetworkProtocolAuthReq) b.store(path + "NetworkProtocolAuthReq", *changes.NetworkProtocolAuthReq);
    if (changes.SMBEnable) b.store(path + "SMBEnable", *changes.SMBEnable);
    return Fault::None;
}

// --- PhysicalMedium: the internal disk ---------------------------------------

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<StorageService_PhysicalMedium>) {
    return sim::numbered(1);
}

StorageService_PhysicalMedium read(Context& ctx, const Instance& in, Tag<StorageService_PhysicalMedium>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kMediumTemplate, in);
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-disk-" + std::to_string(sim::last(in))),
        .Capacity = world::kDiskMB,
        .ConnectionType = StorageService_PhysicalMedium::ConnectionTypeValue::SATA_300,
        .FirmwareVersion = "SC12",
        .Health = StorageService_PhysicalMedium::HealthValue::OK,
        .HotSwappable = false,
        .Model = "ST1000VM002",
        .Name = b.setting<std::string>(path + "Name", "Internal PVR disk"),
        .Removable = false,
        .SMARTCapable = true,
        .SerialNumber = "Z9A1SIM" + std::to_string(sim::last(in)),
        .Status = StorageService_PhysicalMedium::StatusValue::Online,
        .Type = StorageService_PhysicalMedium::TypeValue::HDD,
        .Uptime = b.uptime() / 3600,  // hours since boot
        .Vendor = "Seagate",
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_PhysicalMedium::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kMediumTemplate, in);
    b.store_changes(path, changes);
    return Fault::None;
}

StorageService_PhysicalMedium_SMART read(Context& ctx, const Instance&, Tag<StorageService_PhysicalMedium_SMART>) {
    const sim::SimBoard& b = sim::board(ctx);
    return {
        .CurrentPendingSectorCount = 0,
        .PowerCycleCount = 412,
        .PowerOnHours = world::power_on_hours(b),
        .PredictedFailure = -1,
        .ReadErrors = 0,
        .ReallocatedSectorsCount = 0,
        .ReallocationEventCount = 0,
        .SoftReadErrors = world::soft_read_errors(b),
        .SparesRemaining = 100,
        .SpinRetryCount = 0,
        .Temperature = world::disk_temperature(b),
        .UncorrectableSectorCount = 0,
        .WriteErrors = 0,
    };
}

// --- StorageArray: none on a one-disk box, but the ACS may build one ---------

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<StorageService_StorageArray>) {
    return rows(ctx, world::kArrays, parent);
}

StorageService_StorageArray read(Context& ctx, const Instance& in, Tag<StorageService_StorageArray>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kArrayTemplate, in);
    const bool enabled = b.setting(path + "Enable", false);
    const std::string raid = b.setting<std::string>(path + "RaidType", "RAID1");
    std::vector<std::string> media = b.setting(path + "PhysicalMediumReference", std::vector<std::string>{});
    std::erase_if(media, [&](const std::string& m) { return !names_medium(in, m); });
    const auto disks = static_cast<std::uint32_t>(media.size());
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-array-" + std::to_string(sim::last(in))),
        .Enable = enabled,
        .Name = b.setting<std::string>(path + "Name", ""),
        .PhysicalMediumReference = media,
        .RaidType = raid,
        .Status = status_of(world::array_status(enabled, raid, disks)),
        .UsableCapacity = world::usable_capacity(raid, disks),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_StorageArray::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kArrayTemplate, in);
    if (changes.RaidType && !world::raid_supported(*changes.RaidType)) return Fault::InvalidParameterValue;
    if (changes.PhysicalMediumReference) {
        for (const std::string& m : *changes.PhysicalMediumReference)
            if (!names_medium(in, m)) return Fault::InvalidParameterValue;
    }
    b.store_changes(path, changes);
    return Fault::None;
}

Fault add(Context& ctx, const Instance& parent, Tag<StorageService_StorageArray>, std::uint32_t& number) {
    return add_row(ctx, world::kArrays, parent, number);
}

Fault remove(Context& ctx, const Instance& in, Tag<StorageService_StorageArray>) {
    return remove_row(ctx, world::kArrays, in);
}

// --- LogicalVolume -----------------------------------------------------------

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<StorageService_LogicalVolume>) {
    return rows(ctx, world::kVolumes, parent);
}

StorageService_LogicalVolume read(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume>) {
    using Status = StorageService_LogicalVolume::StatusValue;
    sim::SimBoard& b = sim::board(ctx);
    const world::VolumeSpec* spec = world::volume_spec(in);
    const std::string path = sim::instance_path(kVolumeTemplate, in);
    const bool enabled = b.setting(path + "Enable", spec != nullptr);
    const std::uint32_t capacity = world::volume_capacity(b, in);
    const std::string medium =
        b.setting<std::string>(path + "PhysicalReference", spec ? service_path(in) + "PhysicalMedium.1" : "");
    const bool on_disk = names_medium(in, medium) || names_row(ctx, world::kArrays, in, medium);
    const std::uint32_t threshold = b.setting(path + "ThresholdLimit", spec ? spec->threshold_mb : 0u);
    const std::uint32_t used = world::usage(b, in).volume_used;
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-volume-" + std::to_string(sim::last(in))),
        .Capacity = capacity,
        .Enable = enabled,
        .Encrypted = spec ? spec->encrypted : false,
        .FileSystem = capacity > 0 && on_disk ? "ext4" : "",
        .Name = b.setting<std::string>(path + "Name", spec ? spec->name : ""),
        .PhysicalReference = live(on_disk, medium),
        .Status = !enabled || !b.setting(service_path(in) + "Enable", true) ? Status::Offline
                  : capacity > 0 && on_disk                                 ? Status::Online
                                                                            : Status::Error,
        .ThresholdLimit = threshold,
        .ThresholdReached = world::threshold_reached(used, threshold, capacity),
        .UsedSpace = used,
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_LogicalVolume::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kVolumeTemplate, in);
    if (changes.PhysicalReference && !changes.PhysicalReference->empty() &&
        !names_medium(in, *changes.PhysicalReference) && !names_row(ctx, world::kArrays, in, *changes.PhysicalReference))
        return Fault::InvalidParameterValue;
    if (changes.Capacity && !world::fits_on_disk(b, in, *changes.Capacity)) return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.Capacity) b.store(path + "Capacity", *changes.Capacity);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.Name) b.store(path + "Name", *changes.Name);
    if (changes.PhysicalReference) b.store(path + "PhysicalReference", trimmed(*changes.PhysicalReference));
    if (changes.ThresholdLimit) b.store(path + "ThresholdLimit", *changes.ThresholdLimit);
    return Fault::None;
}

Fault add(Context& ctx, const Instance& parent, Tag<StorageService_LogicalVolume>, std::uint32_t& number) {
    return add_row(ctx, world::kVolumes, parent, number);
}

Fault remove(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume>) {
    return remove_row(ctx, world::kVolumes, in);
}

// --- Folders -----------------------------------------------------------------

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<StorageService_LogicalVolume_Folder>) {
    return rows(ctx, world::kFolders, parent);
}

StorageService_LogicalVolume_Folder read(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume_Folder>) {
    sim::SimBoard& b = sim::board(ctx);
    const world::FolderSpec* spec = world::folder_spec(in);
    const std::string path = sim::instance_path(kFolderTemplate, in);
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-folder-" + std::to_string(sim::last(in))),
        .Enable = b.setting(path + "Enable", spec != nullptr),
        .Name = b.setting<std::string>(path + "Name", spec ? spec->name : ""),
        .UserAccountAccess = b.setting(path + "UserAccountAccess", spec ? spec->user_account_access : 2u),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_LogicalVolume_Folder::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kFolderTemplate, in);
    b.store_changes(path, changes);
    return Fault::None;
}

Fault add(Context& ctx, const Instance& parent, Tag<StorageService_LogicalVolume_Folder>, std::uint32_t& number) {
    return add_row(ctx, world::kFolders, parent, number);
}

Fault remove(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume_Folder>) {
    return remove_row(ctx, world::kFolders, in);
}

StorageService_LogicalVolume_Folder_Quota read(Context& ctx, const Instance& in,
                                               Tag<StorageService_LogicalVolume_Folder_Quota>) {
    const sim::SimBoard& b = sim::board(ctx);
    const world::Quota q = world::quota(b, in);
    const std::uint32_t used = world::folder_used(b, in);
    return {
        .Capacity = q.capacity_mb,
        .Enable = q.enabled,
        .ThresholdLimit = q.threshold_mb,
        .ThresholdReached = world::threshold_reached(used, q.threshold_mb, q.capacity_mb),
        .UsedSpace = used,
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_LogicalVolume_Folder_Quota::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kFolderTemplate, in) + "Quota.";
    b.store_changes(path, changes);
    return Fault::None;
}

// --- Folder access -----------------------------------------------------------

// The owner may do anything in the shared folders of the data volume; the
// family may read /media, the guests /public.

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<StorageService_LogicalVolume_Folder_UserAccess>) {
    return rows(ctx, world::kUserAccess, parent);
}

StorageService_LogicalVolume_Folder_UserAccess read(Context& ctx, const Instance& in,
                                                    Tag<StorageService_LogicalVolume_Folder_UserAccess>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kUserAccessTemplate, in);
    const bool initial = world::shared_folder(in) && sim::last(in) == 1;
    const std::string user =
        b.setting<std::string>(path + "UserReference", initial ? row_path(in, "UserAccount.", 1) : "");
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-user-access-" + std::to_string(sim::last(in))),
        .Enable = b.setting(path + "Enable", initial),
        .Permissions = b.setting(path + "Permissions", 7u),
        .UserReference = live(names_row(ctx, world::kAccounts, in, user), user),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_LogicalVolume_Folder_UserAccess::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kUserAccessTemplate, in);
    if (changes.UserReference && !changes.UserReference->empty() &&
        !names_row(ctx, world::kAccounts, in, *changes.UserReference))
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.Permissions) b.store(path + "Permissions", *changes.Permissions);
    if (changes.UserReference) b.store(path + "UserReference", trimmed(*changes.UserReference));
    return Fault::None;
}

Fault add(Context& ctx, const Instance& parent, Tag<StorageService_LogicalVolume_Folder_UserAccess>,
          std::uint32_t& number) {
    return add_row(ctx, world::kUserAccess, parent, number);
}

Fault remove(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume_Folder_UserAccess>) {
    return remove_row(ctx, world::kUserAccess, in);
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<StorageService_LogicalVolume_Folder_GroupAccess>) {
    return rows(ctx, world::kGroupAccess, parent);
}

StorageService_LogicalVolume_Folder_GroupAccess read(Context& ctx, const Instance& in,
                                                     Tag<StorageService_LogicalVolume_Folder_GroupAccess>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kGroupAccessTemplate, in);
    const bool initial = world::shared_folder(in) && sim::last(in) == 1;
    const std::string group =
        b.setting<std::string>(path + "GroupReference", initial ? row_path(in, "UserGroup.", in.numbers[2]) : "");
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-group-access-" + std::to_string(sim::last(in))),
        .Enable = b.setting(path + "Enable", initial),
        .GroupReference = live(names_row(ctx, world::kGroups, in, group), group),
        .Permissions = b.setting(path + "Permissions", initial ? 5u : 7u),  // r-x
    };
}

Fault write(Context& ctx, const Instance& in,
            const StorageService_LogicalVolume_Folder_GroupAccess::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kGroupAccessTemplate, in);
    if (changes.GroupReference && !changes.GroupReference->empty() &&
        !names_row(ctx, world::kGroups, in, *changes.GroupReference))
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.GroupReference) b.store(path + "GroupReference", trimmed(*changes.GroupReference));
    if (changes.Permissions) b.store(path + "Permissions", *changes.Permissions);
    return Fault::None;
}

Fault add(Context& ctx, const Instance& parent, Tag<StorageService_LogicalVolume_Folder_GroupAccess>,
          std::uint32_t& number) {
    return add_row(ctx, world::kGroupAccess, parent, number);
}

Fault remove(Context& ctx, const Instance& in, Tag<StorageService_LogicalVolume_Folder_GroupAccess>) {
    return remove_row(ctx, world::kGroupAccess, in);
}

// --- Users and groups: the owner and a guest; "family" and "guests" ----------

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<StorageService_UserAccount>) {
    return rows(ctx, world::kAccounts, parent);
}

StorageService_UserAccount read(Context& ctx, const Instance& in, Tag<StorageService_UserAccount>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kAccountTemplate, in);
    const bool owner = n == 1, guest = n == 2;
    std::vector<std::string> groups = b.setting(
        path + "UserGroupParticipation", owner   ? std::vector<std::string>{row_path(in, "UserGroup.", 1)}
                                         : guest ? std::vector<std::string>{row_path(in, "UserGroup.", 2)}
                                                 : std::vector<std::string>{});
    std::erase_if(groups, [&](const std::string& g) { return !names_row(ctx, world::kGroups, in, g); });
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-user-" + std::to_string(n)),
        .AllowFTPAccess = b.setting(path + "AllowFTPAccess", owner),
        .AllowHTTPAccess = b.setting(path + "AllowHTTPAccess", owner || guest),
        .Enable = b.setting(path + "Enable", owner || guest),
        .Password = "",  // write-only (hidden in TR-140)
        .UserGroupParticipation = groups,
        .Username = b.setting<std::string>(path + "Username", owner ? "owner" : guest ? "guest" : ""),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_UserAccount::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kAccountTemplate, in);
    if (changes.UserGroupParticipation) {
        for (const std::string& g : *changes.UserGroupParticipation)
            if (!names_row(ctx, world::kGroups, in, g)) return Fault::InvalidParameterValue;
    }
    b.store_changes(path, changes);
    return Fault::None;
}

Fault add(Context& ctx, const Instance& parent, Tag<StorageService_UserAccount>, std::uint32_t& number) {
    return add_row(ctx, world::kAccounts, parent, number);
}

Fault remove(Context& ctx, const Instance& in, Tag<StorageService_UserAccount>) {
    return remove_row(ctx, world::kAccounts, in);
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<StorageService_UserGroup>) {
    return rows(ctx, world::kGroups, parent);
}

StorageService_UserGroup read(Context& ctx, const Instance& in, Tag<StorageService_UserGroup>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kGroupTemplate, in);
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-group-" + std::to_string(n)),
        .Enable = b.setting(path + "Enable", n <= world::kInitialGroups),
        .GroupName = b.setting<std::string>(path + "GroupName", n == 1 ? "family" : n == 2 ? "guests" : ""),
    };
}

Fault write(Context& ctx, const Instance& in, const StorageService_UserGroup::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kGroupTemplate, in);
    b.store_changes(path, changes);
    return Fault::None;
}

Fault add(Context& ctx, const Instance& parent, Tag<StorageService_UserGroup>, std::uint32_t& number) {
    return add_row(ctx, world::kGroups, parent, number);
}

Fault remove(Context& ctx, const Instance& in, Tag<StorageService_UserGroup>) {
    return remove_row(ctx, world::kGroups, in);
}

}  // namespace cwmp::platform
