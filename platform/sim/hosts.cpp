// Device.Hosts.: what the box sees on the home network; the phone comes and goes every quarter hour.
// The hosts and their comings and goings are the world's (net_world.h); this file only translates them.
#include <cstdint>
#include <string>
#include <vector>

#include "board.h"
#include "net_world.h"
#include "cwmp/platform/hosts.h"

namespace cwmp::platform {

using model::Hosts_Host;

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<Hosts_Host>) {
    return sim::net::hosts_seen(sim::board(ctx));
}

Hosts_Host read(Context& ctx, const Instance& in, Tag<Hosts_Host>) {
    const sim::net::Host& h = sim::net::host(sim::last(in));
    const sim::net::Presence p = sim::net::presence(sim::board(ctx), h);
    const bool wired = h.medium == sim::net::Medium::Ethernet;
    return {
        .Active = p.active,
        .ActiveLastChange = p.last_change,
        .AssociatedDevice = "",  // the box is no access point
        .DHCPClient = std::vector<std::string>{},  // the profile has no Device.DHCPv4.Server.
        .HostName = h.name,
        .IPAddress = h.address,
        .InterfaceType = wired ? Hosts_Host::InterfaceTypeValue::Ethernet : Hosts_Host::InterfaceTypeValue::Wi_Fi,
        .Layer1Interface = wired ? "Device.Ethernet.Interface.1" : "",  // the profile has no Device.WiFi.
        .Layer3Interface = wired ? "Device.IP.Interface.1" : "Device.IP.Interface.2",
        .PhysAddress = h.mac,
    };
}

}  // namespace cwmp::platform
