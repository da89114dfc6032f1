// Device.Hosts.: what the box sees on the home network; the phone comes and goes every quarter hour.
#include <cstdint>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/platform/hosts.h"

namespace cwmp::platform {

using model::Hosts_Host;

namespace {

using Type = Hosts_Host::InterfaceTypeValue;

struct Host {
    const char* name;
    const char* mac;      // RFC 7042 documentation range
    const char* address;  // RFC 5737 documentation ranges
    Type type;
    std::uint32_t seen_at;  // seconds after boot the box first saw it
    std::uint32_t period;   // 0: always there; else away every other `period` seconds
};
constexpr Host kHosts[] = {
    {"gateway", "00:00:5E:00:53:01", "192.0.2.1", Type::Ethernet, 5, 0},
    {"living-room-tv", "00:00:5E:00:53:31", "192.0.2.31", Type::Ethernet, 42, 0},
    {"nas", "00:00:5E:00:53:40", "192.0.2.40", Type::Ethernet, 17, 0},
    {"phone-anna", "00:00:5E:00:53:47", "198.51.100.47", Type::Wi_Fi, 30, 900},
};

}  // namespace

// Hosts appear as the box first sees them, and stay listed while away.
std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<Hosts_Host>) {
    std::vector<std::uint32_t> seen;
    for (std::uint32_t n = 1; n <= std::size(kHosts); ++n)
        if (sim::board(ctx).uptime() >= kHosts[n - 1].seen_at) seen.push_back(n);
    return seen;
}

Hosts_Host read(Context& ctx, const Instance& in, Tag<Hosts_Host>) {
    const sim::SimBoard& b = sim::board(ctx);
    const Host& h = kHosts[sim::last(in) - 1];
    const std::uint32_t up = b.uptime();
    const std::uint32_t there = up > h.seen_at ? up - h.seen_at : 0;
    // The last change: first seen, or the last arrival or departure.
    const std::uint32_t changed = h.period == 0 ? h.seen_at : h.seen_at + there / h.period * h.period;
    const bool active = h.period == 0 || there / h.period % 2 == 0;
    const bool wired = h.type == Type::Ethernet;
    return {
        .Active = active,
        .ActiveLastChange = dm::DateTime{b.boot_time() + changed},
        .AssociatedDevice = "",  // the box is no access point
        .DHCPClient = std::vector<std::string>{},  // the profile has no Device.DHCPv4.Server.
        .HostName = h.name,
        .IPAddress = h.address,
        .InterfaceType = h.type,
        .Layer1Interface = wired ? "Device.Ethernet.Interface.1" : "",  // the profile has no Device.WiFi.
        .Layer3Interface = wired ? "Device.IP.Interface.1" : "Device.IP.Interface.2",
        .PhysAddress = h.mac,
    };
}

}  // namespace cwmp::platform
