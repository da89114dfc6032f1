// The same world as a home gateway on its own (platform/sim/gateway_world.h):
// built against no profile and no generated type, it holds what the igd
// bindings only translate: the gateway's memory and its routes.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "board.h"
#include "fake_clock.h"
#include "gateway_world.h"

using namespace cwmp::sim;
using test::FakeClock;

TEST_CASE("the gateway's free memory breathes by 16 MiB over five minutes") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    CHECK(gateway::free_memory(b) == 98304);
    clock.t += 75;
    CHECK(gateway::free_memory(b) == 98304 + 8192);
    clock.t += 75;
    CHECK(gateway::free_memory(b) == 98304 + 16384);
    clock.t += 150;
    CHECK(gateway::free_memory(b) == 98304);
    CHECK(gateway::free_memory(b) < gateway::kMemTotal);
}

TEST_CASE("the gateway's routes: a default route to its uplink and its LAN's, each on until the ACS says") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const gateway::Route& uplink = gateway::route(1);
    CHECK(uplink.default_route);
    CHECK(std::string(uplink.gateway) == "198.51.100.1");
    CHECK(std::string(uplink.dest).empty());
    const gateway::Route& lan = gateway::route(2);
    CHECK_FALSE(lan.default_route);
    CHECK(std::string(lan.dest) == "192.168.1.0");
    CHECK(std::string(lan.mask) == "255.255.255.0");
    CHECK(std::string(lan.gateway).empty());  // directly attached
    CHECK_THROWS_AS(gateway::route(0), std::out_of_range);
    CHECK_THROWS_AS(gateway::route(gateway::kRoutes + 1), std::out_of_range);

    CHECK(gateway::route_enabled(b, "R1."));
    b.store("R1.Enable", false);
    CHECK_FALSE(gateway::route_enabled(b, "R1."));
    CHECK(gateway::route_enabled(b, "R2."));
}
