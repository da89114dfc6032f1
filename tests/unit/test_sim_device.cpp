// The simulated box itself on its own (platform/sim/device_world.h): built
// against no profile and no generated type, it holds what the DeviceInfo
// binding only translates: firmware banks, the RDK updater's download,
// memory, CPUs, processes and temperatures over the board's clock.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "board.h"
#include "fake_clock.h"
#include "device_world.h"

using namespace cwmp::sim;
using test::FakeClock;
using cwmp::dm::DateTime;

TEST_CASE("firmware banks: only an existing, available bank boots next; neither it nor the running one is withdrawn") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    CHECK(device::boot_image(b) == device::kActiveImage);
    CHECK_FALSE(device::may_withdraw(b, 1));  // runs
    CHECK(device::may_withdraw(b, 2));

    CHECK_FALSE(device::choose_boot_image(b, "Device.DeviceInfo.FirmwareImage.3"));
    CHECK(device::boot_image(b) == device::kActiveImage);
    CHECK(device::choose_boot_image(b, "Device.DeviceInfo.FirmwareImage.2."));  // a reference may end in "."
    CHECK(device::boot_image(b) == device::kOtherImage);
    CHECK_FALSE(device::may_withdraw(b, 2));  // boots next

    CHECK(device::choose_boot_image(b, device::kActiveImage));
    CHECK(device::may_withdraw(b, 2));
    b.store("Device.DeviceInfo.FirmwareImage.2.Available", false);
    CHECK_FALSE(device::image_available(b, 2));
    CHECK(device::image_available(b, 1));
    CHECK_FALSE(device::choose_boot_image(b, device::kOtherImage));
    CHECK(device::boot_image(b) == device::kActiveImage);
}

TEST_CASE("the RDK updater's download: requested, downloading, then complete, rebooting or failed without a file") {
    FakeClock clock;
    SetTopBox b([&clock] { return clock.t; });  // downloads for vendor_download_seconds = 90
    CHECK(device::vendor_download(b).status == device::DownloadStatus::Idle);
    CHECK(device::vendor_download(b).percent == -1);
    clock.t += 100;
    device::start_vendor_download(b);
    clock.t += 4;
    CHECK(device::vendor_download(b).status == device::DownloadStatus::Initiated);
    clock.t += 1 + 45;
    CHECK(device::vendor_download(b).status == device::DownloadStatus::InProgress);
    CHECK(device::vendor_download(b).percent == 50);
    CHECK(b.finished_autonomous_transfers().empty());  // not yet ended
    clock.t += 45;
    CHECK(device::vendor_download(b).status == device::DownloadStatus::Error);
    CHECK(device::vendor_download(b).state == "Failed");

    // The box reports the failed transfer once.
    auto done = b.finished_autonomous_transfers();
    REQUIRE(done.size() == 1);
    CHECK(done[0].fault == cwmp::Fault::DownloadFailure);
    CHECK(done[0].start_time == clock.t - 95);
    CHECK(done[0].complete_time == clock.t);
    CHECK(b.finished_autonomous_transfers().empty());

    // Again, with a file named: complete for 10 s, then reboots unless deferred.
    b.store(device::kVendorKey + "FirmwareToDownload", std::string("ex4k200_2.0.bin"));
    device::start_vendor_download(b);
    clock.t += 95;
    CHECK(device::vendor_download(b).status == device::DownloadStatus::Completed);
    CHECK(device::vendor_download(b).percent == 100);
    done = b.finished_autonomous_transfers();
    REQUIRE(done.size() == 1);
    CHECK(done[0].fault == cwmp::Fault::None);
    CHECK(done[0].transfer_url == device::kDefaultDownloadURL + "/ex4k200_2.0.bin");
    clock.t += 9;
    CHECK(device::vendor_download(b).status == device::DownloadStatus::Completed);
    clock.t += 1;
    CHECK(device::vendor_download(b).status == device::DownloadStatus::Successful);
    CHECK(device::vendor_download(b).state == "Preparing to reboot");
    b.store(device::kVendorKey + "FirmwareDownloadDeferReboot", true);
    CHECK(device::vendor_download(b).state == "Validation complete");
    CHECK(b.finished_autonomous_transfers().empty());
}

TEST_CASE("memory: free RAM breathes by 48 MiB over five minutes; the logs fill the flash until the hourly rotation") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    CHECK(device::free_memory(b) == 612352);
    CHECK(device::memory_utilization(b) == 70);  // 1419264 of 2031616 KiB, rounded
    CHECK(device::free_flash(b) == 3145728);
    clock.t += 150;
    CHECK(device::free_memory(b) == 612352 + 49152);
    CHECK(device::memory_utilization(b) == 67);
    clock.t += 850;
    CHECK(device::free_flash(b) == 3145728 - 500);
    clock.t += 50;
    CHECK(device::free_memory(b) == 612352 + 49152);  // 1050 s: three periods and a half
    clock.t += 2550;
    CHECK(device::free_flash(b) == 3145728);  // rotated at 3600 s
}

TEST_CASE("CPUs: user 8..22 % and system 3..8 %, each CPU out of step; the usage is their rounded mean") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    bool apart = false;
    for (int s = 0; s < 360; ++s, ++clock.t) {
        std::uint32_t sum = 0;
        for (std::uint32_t cpu = 1; cpu <= device::kCPUs; ++cpu) {
            const std::uint32_t user = device::user_load(b, cpu);
            const std::uint32_t system = device::system_load(b, cpu);
            CHECK((user >= 8 && user <= 22));
            CHECK((system >= 3 && system <= 8));
            sum += user + system;
            apart = apart || user != device::user_load(b, 1);
        }
        CHECK(device::cpu_usage(b) == (sum + 2) / 4);
    }
    CHECK(apart);
    CHECK(device::user_load(b, 1) == 8 + (360 + 37) % 120 * 14 / 60);  // 37 s into the rise
}

TEST_CASE("processes: the streamer and the agent always run, the browser in bursts; CPU time is clamped") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    CHECK_THROWS_AS(device::process(0), std::out_of_range);
    CHECK_THROWS_AS(device::process(device::kProcesses + 1), std::out_of_range);
    const device::Process& streamer = device::process(5);
    const device::Process& browser = device::process(6);
    const device::Process& init = device::process(1);
    CHECK(streamer.pid == 733);
    CHECK(device::running(b, streamer));
    CHECK(device::running(b, browser));
    CHECK_FALSE(device::running(b, init));
    clock.t += 3;
    CHECK_FALSE(device::running(b, browser));
    CHECK(device::running(b, device::process(7)));  // the agent
    CHECK(device::cpu_ms(b, browser) == 3 * 120);
    CHECK(device::memory_size(b, init) >= init.size);
    CHECK(device::memory_size(b, init) <= init.size + init.size / 32);
    clock.t += 50'000'000;  // over a year: 120 ms a second no longer fits 32 bits
    CHECK(device::cpu_ms(b, browser) == 0xffffffffu);
    CHECK(device::cpu_ms(b, init) == (50'000'000u + 3) * 2);
}

TEST_CASE("temperatures: warm-up and swing, extremes since the reset, an alarm at its first reading, restarted when changed") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::int64_t boot = clock.t;
    const std::string key = "T1.";
    CHECK_THROWS_AS(device::read_sensor(b, 3, key), std::out_of_range);
    auto r = device::read_sensor(b, 1, key);
    CHECK(r.name == "SoC die");
    CHECK(r.enabled);
    CHECK(r.value == 27);  // ambient at boot
    CHECK(r.high_alarm == 95);
    CHECK(r.high_alarm_time == DateTime{});
    CHECK(r.low_alarm == device::kUnsetAlarm);
    CHECK(r.low_alarm_time == DateTime{});
    CHECK(r.reset == DateTime{boot});

    device::change_sensor(b, key, {.high_alarm = 40});
    clock.t += 1000;  // warm (58 °C) at 900 s, then up to 64 at 1200 s
    r = device::read_sensor(b, 1, key);
    CHECK(r.value == 60);
    CHECK(r.min_value == 27);
    CHECK(r.min_time == DateTime{boot});
    CHECK(r.max_value == 60);
    CHECK(r.max_time == DateTime{boot + 1000});
    CHECK(r.high_alarm_time == DateTime{boot + 378});  // 27 + 31 * 378 / 900 = 40

    // A new value restarts the alarm: reached again at once.
    device::change_sensor(b, key, {.high_alarm = 40});
    r = device::read_sensor(b, 1, key);
    CHECK(r.high_alarm_time == DateTime{boot + 1000});
    // A low alarm that warm readings never reach.
    device::change_sensor(b, key, {.low_alarm = 50});
    clock.t += 10;
    CHECK(device::read_sensor(b, 1, key).low_alarm_time == DateTime{});

    // A reset restarts the extremes.
    device::change_sensor(b, key, {.reset = true});
    r = device::read_sensor(b, 1, key);
    CHECK(r.reset == DateTime{boot + 1010});
    CHECK(r.min_value == 60);
    CHECK(r.min_time == DateTime{boot + 1010});
    clock.t += 190;
    r = device::read_sensor(b, 1, key);
    CHECK(r.max_value == 64);
    CHECK(r.max_time == DateTime{boot + 1200});
    CHECK(r.min_time == DateTime{boot + 1010});

    device::change_sensor(b, key, {.enable = false});
    CHECK_FALSE(device::read_sensor(b, 1, key).enabled);
    CHECK(device::read_sensor(b, 2, "T2.").name == "Main board (ambient)");
}
