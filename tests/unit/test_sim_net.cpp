// The box's home network on its own (platform/sim/net_world.h): built
// against no profile and no generated type, it holds what the Hosts, DHCPv4
// and IP bindings only translate: who is on the network, the leases and
// the interfaces over the board's clock.
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "board.h"
#include "fake_clock.h"
#include "net_world.h"

using namespace cwmp::sim;
using test::FakeClock;
using cwmp::dm::DateTime;

TEST_CASE("hosts: listed once first seen; the phone is away every other quarter hour") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::int64_t boot = clock.t;
    CHECK(net::hosts_seen(b).empty());
    clock.t += 17;
    CHECK(net::hosts_seen(b) == std::vector<std::uint32_t>{1, 3});
    clock.t += 25;
    CHECK(net::hosts_seen(b) == std::vector<std::uint32_t>{1, 2, 3, 4});
    CHECK_THROWS_AS(net::host(5), std::out_of_range);

    const net::Host& phone = net::host(4);
    CHECK(phone.medium == net::Medium::WiFi);
    auto p = net::presence(b, phone);
    CHECK(p.active);
    CHECK(p.last_change == DateTime{boot + 30});
    clock.t = boot + 30 + 900;
    p = net::presence(b, phone);
    CHECK_FALSE(p.active);
    CHECK(p.last_change == DateTime{boot + 930});
    clock.t = boot + 30 + 1799;
    CHECK_FALSE(net::presence(b, phone).active);
    clock.t += 1;
    p = net::presence(b, phone);
    CHECK(p.active);
    CHECK(p.last_change == DateTime{boot + 1830});
    // The others stay, changed only when first seen.
    p = net::presence(b, net::host(2));
    CHECK(p.active);
    CHECK(p.last_change == DateTime{boot + 42});
}

TEST_CASE("DHCPv4 leases: bound after boot, renewed at half time, re-enabled a second later, renewed on demand") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::string key = "C1.";
    clock.t += 4;
    CHECK(net::lease_status(b, 1, key).state == net::LeaseState::Requesting);
    CHECK(net::lease_status(b, 1, key).remaining == 0);
    clock.t += 1;
    CHECK(net::lease_status(b, 1, key).state == net::LeaseState::Bound);
    CHECK(net::lease_status(b, 1, key).remaining == 86400);
    clock.t += 100;
    CHECK(net::lease_status(b, 1, key).remaining == 86300);
    clock.t += 43200 - 100 - 1;
    CHECK(net::lease_status(b, 1, key).remaining == 43201);
    clock.t += 1;
    CHECK(net::lease_status(b, 1, key).remaining == 86400);  // renewed at half time
    CHECK(net::lease_status(b, 2, "C2.").remaining == 3600 - (43205 - 10) % 1800);
    CHECK_THROWS_AS(net::lease(3), std::out_of_range);

    net::enable_client(b, key, false);
    CHECK(net::lease_status(b, 1, key).state == net::LeaseState::Init);
    CHECK(net::lease_status(b, 1, key).remaining == 0);
    net::renew_lease(b, key);  // nothing to renew
    clock.t += 10;
    net::enable_client(b, key, true);
    CHECK(net::lease_status(b, 1, key).state == net::LeaseState::Requesting);
    clock.t += 1;
    CHECK(net::lease_status(b, 1, key).state == net::LeaseState::Bound);
    CHECK(net::lease_status(b, 1, key).remaining == 86400);
    clock.t += 500;
    net::enable_client(b, key, true);  // already on: the lease goes on
    CHECK(net::lease_status(b, 1, key).remaining == 85900);
    net::renew_lease(b, key);
    CHECK(net::lease_status(b, 1, key).remaining == 86400);
}

TEST_CASE("IP interfaces: dormant until up, down below eth0 when its Ethernet is off; the last change since up or reset") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    using S = net::InterfaceStatus;
    CHECK(net::interface_status(b, 1, true) == S::Dormant);
    CHECK(net::interface_status(b, 3, true) == S::Up);  // lo
    CHECK(net::interface_status(b, 1, false) == S::Down);
    clock.t += 4;
    CHECK(net::interface_status(b, 1, true) == S::Up);
    CHECK(net::interface_status(b, 2, true) == S::Dormant);  // wlan0 comes up at 9 s
    b.store("Device.Ethernet.Link.1.Enable", false);
    CHECK(net::interface_status(b, 1, true) == S::LowerLayerDown);
    CHECK(net::interface_status(b, 3, true) == S::Up);
    b.store("Device.Ethernet.Link.1.Enable", true);
    b.store("Device.Ethernet.Interface.1.Enable", false);
    CHECK(net::interface_status(b, 1, true) == S::LowerLayerDown);
    CHECK_THROWS_AS(net::interface(4), std::out_of_range);

    clock.t += 96;
    CHECK(net::since_up(b, 1, "I1.") == 96);
    CHECK(net::since_up(b, 3, "I3.") == 100);
    net::reset_interface(b, "I1.");
    clock.t += 5;
    CHECK(net::since_up(b, 1, "I1.") == 5);
}

TEST_CASE("IP addresses: DHCP a second after the interface is up, IPv6 tentative for two, lifetimes refreshed") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::int64_t boot = clock.t;
    CHECK(net::ipv4_assigned(b, 3));  // lo's is static
    CHECK_FALSE(net::ipv4_assigned(b, 1));
    CHECK(net::ipv6_addresses(b, 1) == 0);
    CHECK_FALSE(net::tentative(b, 3, net::interface(3).ipv6[0]));  // ::1 needs no detection, even at boot
    clock.t += 4;
    CHECK_FALSE(net::ipv4_assigned(b, 1));
    CHECK(net::ipv6_addresses(b, 1) == 2);
    const net::IPv6& global = net::interface(1).ipv6[0];
    const net::IPv6& loopback = net::interface(3).ipv6[0];
    CHECK(net::tentative(b, 1, global));
    CHECK_FALSE(net::tentative(b, 3, loopback));
    clock.t += 1;
    CHECK(net::ipv4_assigned(b, 1));
    CHECK(net::tentative(b, 1, global));
    clock.t += 1;
    CHECK_FALSE(net::tentative(b, 1, global));

    // Router advertisements every 600 s grant 4 h preferred, a day valid.
    clock.t = boot + 4 + 650;
    auto life = net::lifetimes(b, 1, global);
    CHECK(life.preferred == DateTime{boot + 604 + 14400});
    CHECK(life.valid == DateTime{boot + 604 + 86400});
    // DHCPv6 renews every 1800 s: an hour preferred, two valid.
    clock.t = boot + 9 + 1799;
    life = net::lifetimes(b, 2, net::interface(2).ipv6[0]);
    CHECK(life.preferred == DateTime{boot + 9 + 3600});
    CHECK(life.valid == DateTime{boot + 9 + 7200});
    clock.t += 1;
    CHECK(net::lifetimes(b, 2, net::interface(2).ipv6[0]).valid == DateTime{boot + 1809 + 7200});
    life = net::lifetimes(b, 3, loopback);
    CHECK(life.valid == DateTime{253402300799});
    CHECK(life.preferred == DateTime{253402300799});
}

TEST_CASE("IP traffic: counters at each interface's rates since boot or the ACS's reset; a discard every quarter hour") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::string key = "I1.Stats.";
    clock.t += 800;
    auto t = net::traffic(b, 1, key);
    CHECK(t.bytes_in == 1250000ull * 800 + 1000);
    CHECK(t.unicast_out == 308ull * 800 + 1000);
    CHECK(t.discarded_in == (800 + 1000) / 900);
    CHECK(net::traffic(b, 3, "I3.Stats.").discarded_in == 0);  // not on lo
    CHECK(net::traffic(b, 3, "I3.Stats.").multicast_in == 0);
    net::reset_traffic(b, key);
    clock.t += 10;
    t = net::traffic(b, 1, key);
    CHECK(t.bytes_in == 1250000ull * 10 + 1000);
    CHECK(t.broadcast_out == 10 + 1000);
    CHECK(t.discarded_in == 1);
    CHECK(net::traffic(b, 2, "I2.Stats.").bytes_in == 18000ull * 810 + 2000);  // the others go on
}

TEST_CASE("the Ethernet port: up 3 s after boot while enabled, gigabit unless the ACS caps the rate") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::string key = "E1.";
    CHECK_FALSE(net::port_up(b, key));
    CHECK(net::since_link_up(b) == 0);
    clock.t += 3;
    CHECK(net::port_up(b, key));
    CHECK(net::since_link_up(b) == 0);
    clock.t += 7;
    CHECK(net::since_link_up(b) == 7);
    b.store(key + "Enable", false);
    CHECK_FALSE(net::port_up(b, key));

    CHECK(net::bit_rate(-1) == 1000);
    CHECK(net::bit_rate(1000) == 1000);
    CHECK(net::bit_rate(999) == 100);
    CHECK(net::bit_rate(100) == 100);
    CHECK(net::bit_rate(99) == 10);
    CHECK(net::bit_rate(0) == 10);
}

TEST_CASE("Ethernet frames: counters since boot or reset; rare discards, errors, unknown protocols and pauses") {
    FakeClock clock;
    SimBoard b([&clock] { return clock.t; });
    const std::string key = "E1.Stats.";
    clock.t += 2599;  // with instance 1's spread: 3599 events of one a second
    CHECK(net::frames(b, 1, key).errors_in == 0);
    clock.t += 1;
    auto f = net::frames(b, 1, key);
    CHECK(f.bytes_in == 1290000ull * 2600 + 1000);
    CHECK(f.multicast_out == 2600 + 1000);
    CHECK(f.discarded_in == 4);
    CHECK(f.errors_in == 1);
    CHECK(f.unknown_proto_in == 6);
    CHECK(f.pause_in == 30);
    net::reset_traffic(b, key);
    clock.t += 120;
    f = net::frames(b, 1, key);
    CHECK(f.bytes_in == 1290000ull * 120 + 1000);
    CHECK(f.errors_in == 0);
    CHECK(f.pause_in == 9);  // (120 + 1000) / 120
    CHECK(net::frames(b, 1, "L1.Stats.").pause_in == (2720 + 1000) / 120);  // the link's own statistics go on
}
