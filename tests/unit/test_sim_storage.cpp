// The simulated box's storage on its own (platform/sim/storage_world.h):
// built against no profile and no generated type, it holds what the
// StorageService binding only translates: the disk, the volumes and folders
// that fill over the board's clock, the RAID arrays, the rows the ACS adds
// and what the box refuses.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "board.h"
#include "fake_clock.h"
#include "storage_world.h"

using namespace cwmp::sim;
using test::FakeClock;
using cwmp::dm::Instance;

namespace {

const std::string kVolume1 = "Device.Services.StorageService.1.LogicalVolume.1.";

}  // namespace

TEST_CASE("the disk: 1 TB, a year in service, warming up over the first 80 minutes") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    CHECK(storage::kDiskMB == 953869);
    CHECK(storage::disk_temperature(b) == 34);
    CHECK(storage::power_on_hours(b) == 8760);
    CHECK(storage::soft_read_errors(b) == 3);
    clock.t += 3599;
    CHECK(storage::disk_temperature(b) == 39);
    CHECK(storage::power_on_hours(b) == 8760);
    clock.t += 1;
    CHECK(storage::power_on_hours(b) == 8761);
    clock.t += 86400;
    CHECK(storage::disk_temperature(b) == 42);  // warm
    CHECK(storage::soft_read_errors(b) == 4);
}

TEST_CASE("volumes fill: recordings grow, each folder held to its quota and to what the volume has left") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::array<std::uint32_t, 2> pvr{1, 1}, data{1, 2};
    const std::array<std::uint32_t, 3> recordings{1, 1, 1}, timeshift{1, 1, 2};

    // The PVR volume: 1/64 metadata, a time-shift buffer, recordings at 0.5 MB/s.
    CHECK(storage::volume_capacity(b, Instance{pvr}) == 800000);
    auto u = storage::usage(b, Instance{pvr});
    CHECK(u.folders == std::vector<std::uint32_t>{1, 2});
    CHECK(u.folder_used == std::vector<std::uint32_t>{180000, 16384});
    CHECK(u.volume_used == 12500 + 180000 + 16384);
    clock.t += 1000;
    CHECK(storage::folder_used(b, Instance{recordings}) == 180500);
    CHECK(storage::usage(b, Instance{data}).volume_used == 150000 / 64 + 20480 + 16 + 512);  // media: 1 MB a minute

    // A quota holds the time-shift buffer.
    b.store(kVolume1 + "Folder.2.Quota.Capacity", 1000u);
    CHECK(storage::folder_used(b, Instance{timeshift}) == 1000);
    CHECK(storage::quota(b, Instance{timeshift}).capacity_mb == 1000);
    b.store(kVolume1 + "Folder.2.Quota.Enable", false);
    CHECK(storage::folder_used(b, Instance{timeshift}) == 16384);

    // A smaller volume: the recordings get what the others left, and stop there.
    b.store(kVolume1 + "Capacity", 200000u);
    CHECK(storage::folder_used(b, Instance{recordings}) == 200000 - 3125 - 16384);
    CHECK(storage::usage(b, Instance{pvr}).volume_used == 200000);
    clock.t += 10000;
    CHECK(storage::folder_used(b, Instance{recordings}) == 200000 - 3125 - 16384);
    CHECK(storage::folder_used(b, Instance{timeshift}) == 16384);

    // A folder the ACS adds starts empty; one it deleted uses nothing.
    const std::array<std::uint32_t, 2> svc_volume{1, 1};
    const std::uint32_t added = storage::add_row(b, storage::kFolders, Instance{svc_volume});
    CHECK(added == 3);
    const std::array<std::uint32_t, 3> new_folder{1, 1, added};
    CHECK(storage::folder_spec(Instance{new_folder}) == nullptr);
    CHECK(storage::folder_used(b, Instance{new_folder}) == 0);
    CHECK(storage::remove_row(b, storage::kFolders, Instance{timeshift}));
    CHECK(storage::folder_used(b, Instance{timeshift}) == 0);
    CHECK(storage::usage(b, Instance{pvr}).folders == std::vector<std::uint32_t>{1, 3});
}

TEST_CASE("TR-140's threshold: reached when what is used and the threshold reach the capacity; 0 is none") {
    CHECK_FALSE(storage::threshold_reached(100, 0, 100));
    CHECK_FALSE(storage::threshold_reached(59, 40, 100));
    CHECK(storage::threshold_reached(60, 40, 100));
    CHECK(storage::threshold_reached(0xffffffffu, 1, 0xffffffffu));  // no overflow
}

TEST_CASE("the volumes together fit on the disk") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::array<std::uint32_t, 2> pvr{1, 1};
    const std::array<std::uint32_t, 1> svc{1};
    CHECK(storage::fits_on_disk(b, Instance{pvr}, storage::kDiskMB - 150000));
    CHECK_FALSE(storage::fits_on_disk(b, Instance{pvr}, storage::kDiskMB - 150000 + 1));
    const std::uint32_t added = storage::add_row(b, storage::kVolumes, Instance{svc});
    CHECK(added == 3);
    const std::array<std::uint32_t, 2> third{1, added};
    CHECK(storage::volume_capacity(b, Instance{third}) == 0);
    CHECK(storage::fits_on_disk(b, Instance{third}, storage::kDiskMB - 950000));
    CHECK_FALSE(storage::fits_on_disk(b, Instance{third}, storage::kDiskMB - 950000 + 1));
    // Deleting the data volume frees its 150000 MB.
    const std::array<std::uint32_t, 2> data{1, 2};
    CHECK(storage::remove_row(b, storage::kVolumes, Instance{data}));
    CHECK(storage::fits_on_disk(b, Instance{third}, storage::kDiskMB - 800000));
    CHECK_FALSE(storage::remove_row(b, storage::kVolumes, Instance{data}));
}

TEST_CASE("RAID arrays of the one disk: RAID0 and RAID1 only; what each offers and how it stands") {
    CHECK(storage::raid_supported("RAID0"));
    CHECK(storage::raid_supported("RAID1"));
    CHECK_FALSE(storage::raid_supported("RAID5"));
    CHECK_FALSE(storage::raid_supported(""));
    CHECK(storage::usable_capacity("RAID0", 0) == 0);
    CHECK(storage::usable_capacity("RAID0", 2) == 2 * storage::kDiskMB);
    CHECK(storage::usable_capacity("RAID1", 2) == storage::kDiskMB);
    CHECK(storage::usable_capacity("RAID1", 1) == storage::kDiskMB);
    using S = storage::ArrayStatus;
    CHECK(storage::array_status(false, "RAID0", 1) == S::Offline);
    CHECK(storage::array_status(true, "RAID0", 0) == S::Error);
    CHECK(storage::array_status(true, "RAID1", 1) == S::Degraded);
    CHECK(storage::array_status(true, "RAID1", 2) == S::Online);
    CHECK(storage::array_status(true, "RAID0", 1) == S::Online);
}

TEST_CASE("file sharing: SMB and NFS, no AFP") {
    CHECK(storage::offers_protocol("SMB"));
    CHECK(storage::offers_protocol("NFS"));
    CHECK_FALSE(storage::offers_protocol("AFP"));
}

TEST_CASE("the rows the box starts with: two volumes of two folders, access rows on the shared ones only") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::array<std::uint32_t, 1> svc{1};
    const std::array<std::uint32_t, 2> pvr{1, 1}, data{1, 2};
    const std::array<std::uint32_t, 3> recordings{1, 1, 1}, media{1, 2, 1};
    CHECK(storage::rows(b, storage::kVolumes, Instance{svc}) == std::vector<std::uint32_t>{1, 2});
    CHECK(storage::rows(b, storage::kArrays, Instance{svc}).empty());
    CHECK(storage::rows(b, storage::kAccounts, Instance{svc}).size() == 2);
    CHECK(storage::rows(b, storage::kFolders, Instance{data}).size() == 2);
    CHECK(storage::rows(b, storage::kUserAccess, Instance{recordings}).empty());
    CHECK(storage::rows(b, storage::kUserAccess, Instance{media}) == std::vector<std::uint32_t>{1});
    CHECK(storage::rows(b, storage::kGroupAccess, Instance{media}) == std::vector<std::uint32_t>{1});
    CHECK(std::string(storage::volume_spec(Instance{pvr})->name) == "pvr");
    CHECK(std::string(storage::folder_spec(Instance{media})->name) == "/media");

    // A volume the ACS adds has no folders yet.
    const std::array<std::uint32_t, 2> added{1, storage::add_row(b, storage::kVolumes, Instance{svc})};
    CHECK(added[1] == 3);
    CHECK(storage::rows(b, storage::kFolders, Instance{added}).empty());

    // Numbers are never reused.
    CHECK(storage::add_row(b, storage::kArrays, Instance{svc}) == 1);
    const std::array<std::uint32_t, 2> array1{1, 1};
    CHECK(storage::remove_row(b, storage::kArrays, Instance{array1}));
    CHECK(storage::add_row(b, storage::kArrays, Instance{svc}) == 2);
}
