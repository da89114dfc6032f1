// The RDK box's day on its own (platform/sim/rdk_world.h): built against no
// profile and no generated type, it holds what the X_RDKCENTRAL-COM_STB
// binding only translates: the power cycle, the CEC chatter and the
// applications' state, CPU and memory over the board's clock.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "board.h"
#include "fake_clock.h"
#include "rdk_world.h"

using namespace cwmp::sim;
using test::FakeClock;

TEST_CASE("power: three hours on, one asleep in the standby the ACS prefers; a cold boot, then woken by the remote") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::int64_t boot = clock.t;
    CHECK(rdk::power_state(b, true) == rdk::Power::On);
    CHECK(rdk::power_changed_at(b) == boot);
    CHECK_FALSE(rdk::woken_by_remote(b));
    CHECK(rdk::front_panel_brightness(b) == 80);

    clock.t += 3 * 3600 - 1;
    CHECK_FALSE(rdk::asleep(b));
    CHECK(rdk::power_changed_at(b) == boot);
    clock.t += 1;
    CHECK(rdk::asleep(b));
    CHECK(rdk::power_state(b, false) == rdk::Power::LightSleep);
    CHECK(rdk::power_state(b, true) == rdk::Power::DeepSleep);
    CHECK(rdk::power_changed_at(b) == boot + 3 * 3600);
    CHECK(rdk::front_panel_brightness(b) == 10);
    CHECK_FALSE(rdk::woken_by_remote(b));

    clock.t += 3600 - 1;
    CHECK(rdk::asleep(b));
    CHECK(rdk::power_changed_at(b) == boot + 3 * 3600);
    clock.t += 1;
    CHECK(rdk::power_state(b, true) == rdk::Power::On);
    CHECK(rdk::power_changed_at(b) == boot + 4 * 3600);
    CHECK(rdk::woken_by_remote(b));
    clock.t += 3 * 3600 + 5;  // the second night
    CHECK(rdk::asleep(b));
    CHECK(rdk::power_changed_at(b) == boot + 7 * 3600);
}

TEST_CASE("HDMI-CEC: a message received every 4 s, one sent every 10 s") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::uint32_t received = rdk::cec_received(b), sent = rdk::cec_sent(b);
    clock.t += 400;
    CHECK(rdk::cec_received(b) == received + 100);
    CHECK(rdk::cec_sent(b) == sent + 40);
}

TEST_CASE("applications: the UI is active while the box is on, the watchdog restarts Cobalt every six hours") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::int64_t boot = clock.t;
    CHECK_THROWS_AS(rdk::app(0), std::out_of_range);
    CHECK_THROWS_AS(rdk::app(rdk::kApps + 1), std::out_of_range);
    CHECK(std::string(rdk::app(1).name) == "ResidentApp");

    auto ui = rdk::app_status(b, 1);
    CHECK(ui.state == rdk::AppState::Active);
    CHECK(ui.cpu == 1 + 7 * 9 / 30);  // 7 s into its minute-long swing up to 9 %
    CHECK(ui.memory == 148480 + 13 * 9280 / 90);
    CHECK(ui.restarts == 0);
    CHECK(ui.started == boot + 12);
    bool busy = false;
    for (int s = 0; s < 60; ++s, ++clock.t) {
        ui = rdk::app_status(b, 1);
        CHECK((ui.cpu >= 1 && ui.cpu <= 10));
        CHECK((ui.memory >= 148480 && ui.memory <= 148480 + 9280));
        busy = busy || ui.cpu == 10;
    }
    CHECK(busy);

    // Asleep: the UI is suspended and idle.
    clock.t = boot + 3 * 3600;
    ui = rdk::app_status(b, 1);
    CHECK(ui.state == rdk::AppState::Suspended);
    CHECK(ui.cpu == 0);
    CHECK(rdk::app_status(b, 3).state == rdk::AppState::Hibernated);

    auto cobalt = rdk::app_status(b, 2);
    CHECK(cobalt.state == rdk::AppState::Suspended);
    CHECK(cobalt.cpu == 0);
    CHECK(cobalt.restarts == 0);
    CHECK(cobalt.started == boot + 40);
    clock.t = boot + 6 * 3600;
    cobalt = rdk::app_status(b, 2);
    CHECK(cobalt.restarts == 1);
    CHECK(cobalt.started == boot + 6 * 3600);
    clock.t = boot + 13 * 3600;
    CHECK(rdk::app_status(b, 2).restarts == 2);
    CHECK(rdk::app_status(b, 2).started == boot + 12 * 3600);
    CHECK(rdk::app_status(b, 3).restarts == 0);
}
