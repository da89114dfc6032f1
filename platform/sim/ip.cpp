// Device.IP.: eth0 (wired, Device.Ethernet.Link.1), wlan0 (Wi-Fi) and lo, their addresses and traffic.
// The interfaces are the world's (net_world.h); this file only translates them.
#include <cstdint>
#include <string>
#include <vector>

#include "board.h"
#include "net_world.h"
#include "cwmp/platform/ip.h"

namespace cwmp::platform {

using model::IP;
using model::IP_Interface;
using model::IP_Interface_IPv4Address;
using model::IP_Interface_IPv6Address;
using model::IP_Interface_Stats;

namespace {

const char* const kInterfaceTemplate = "Device.IP.Interface.{i}.";
const char* const kIPv4Template = "Device.IP.Interface.{i}.IPv4Address.{i}.";
const char* const kIPv6Template = "Device.IP.Interface.{i}.IPv6Address.{i}.";

namespace world = sim::net;

const world::Interface& interface(const Instance& in) { return world::interface(in.numbers[0]); }

IP_Interface_IPv4Address::AddressingTypeValue addressing_of(world::Addressing a) {
    using A = IP_Interface_IPv4Address::AddressingTypeValue;
    return a == world::Addressing::DHCP ? A::DHCP : A::Static;
}

IP_Interface_IPv6Address::OriginValue origin_of(world::Origin o) {
    using O = IP_Interface_IPv6Address::OriginValue;
    switch (o) {
        case world::Origin::AutoConfigured: return O::AutoConfigured;
        case world::Origin::DHCPv6: return O::DHCPv6;
        case world::Origin::WellKnown: break;
    }
    return O::WellKnown;
}

IP_Interface::StatusValue status_of(world::InterfaceStatus s) {
    using S = IP_Interface::StatusValue;
    switch (s) {
        case world::InterfaceStatus::Down: return S::Down;
        case world::InterfaceStatus::LowerLayerDown: return S::LowerLayerDown;
        case world::InterfaceStatus::Dormant: return S::Dormant;
        case world::InterfaceStatus::Up: break;
    }
    return S::Up;
}

}  // namespace

IP read(Context& ctx, const Instance&, Tag<IP>) {
    sim::SimBoard& b = sim::board(ctx);
    const bool v4 = b.setting("Device.IP.IPv4Enable", true);
    const bool v6 = b.setting("Device.IP.IPv6Enable", true);
    return {
        .IPv4Capable = true,
        .IPv4Enable = v4,
        .IPv4Status = v4 ? IP::IPv4StatusValue::Enabled : IP::IPv4StatusValue::Disabled,
        .IPv6Capable = true,
        .IPv6Enable = v6,
        .IPv6Status = v6 ? IP::IPv6StatusValue::Enabled : IP::IPv6StatusValue::Disabled,
        .ULAPrefix = b.setting<std::string>("Device.IP.ULAPrefix", ""),  // not a router: no ULA of its own
    };
}

Fault write(Context& ctx, const Instance&, const IP::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.IPv4Enable) b.store("Device.IP.IPv4Enable", *changes.IPv4Enable);
    if (changes.IPv6Enable) b.store("Device.IP.IPv6Enable", *changes.IPv6Enable);
    if (changes.ULAPrefix) b.store("Device.IP.ULAPrefix", *changes.ULAPrefix);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<IP_Interface>) {
    return sim::numbered(world::kInterfaces);
}

IP_Interface read(Context& ctx, const Instance& in, Tag<IP_Interface>) {
    sim::SimBoard& b = sim::board(ctx);
    const world::Interface& i = interface(in);
    const std::string path = sim::instance_path(kInterfaceTemplate, in);
    const bool enabled = b.setting(path + "Enable", true);
    const bool loopback = b.setting(path + "Loopback", i.loopback);
    const auto lower = b.setting(path + "LowerLayers", *i.lower_layer ? std::vector<std::string>{i.lower_layer}
                                                                       : std::vector<std::string>{});
    return {
        .Alias = b.setting<std::string>(path + "Alias", std::string("cpe-") + i.name),
        .AutoIPEnable = b.setting(path + "AutoIPEnable", false),
        .Enable = enabled,
        .IPv4Enable = b.setting(path + "IPv4Enable", true),
        .IPv6Enable = b.setting(path + "IPv6Enable", true),
        .LastChange = world::since_up(b, sim::last(in), path),
        .Loopback = loopback,
        .LowerLayers = lower,
        .MaxMTUSize = b.setting<std::uint32_t>(path + "MaxMTUSize", i.mtu),
        .Name = i.name,
        .Reset = false,  // a command: reads false
        .Router = b.setting<std::string>(path + "Router", ""),  // the profile has no Device.Routing.
        .Status = status_of(world::interface_status(b, sim::last(in), enabled)),
        .Type = loopback ? IP_Interface::TypeValue::Loopback : IP_Interface::TypeValue::Normal,
        .ULAEnable = b.setting(path + "ULAEnable", false),
    };
}

Fault write(Context& ctx, const Instance& in, const IP_Interface::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kInterfaceTemplate, in);
    const bool loopback = changes.Loopback.value_or(b.setting(path + "Loopback", interface(in).loopback));
    // A loopback interface has nothing below it.
    if (changes.LowerLayers && loopback && !changes.LowerLayers->empty()) return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.AutoIPEnable) b.store(path + "AutoIPEnable", *changes.AutoIPEnable);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.IPv4Enable) b.store(path + "IPv4Enable", *changes.IPv4Enable);
    if (changes.IPv6Enable) b.store(path + "IPv6Enable", *changes.IPv6Enable);
    if (changes.Loopback) {
        b.store(path + "Loopback", *changes.Loopback);
        if (*changes.Loopback) b.store(path + "LowerLayers", std::vector<std::string>{});
    }
    if (changes.LowerLayers) b.store(path + "LowerLayers", *changes.LowerLayers);
    if (changes.MaxMTUSize) b.store(path + "MaxMTUSize", *changes.MaxMTUSize);
    if (changes.Reset && *changes.Reset) world::reset_interface(b, path);
    if (changes.Router) b.store(path + "Router", *changes.Router);
    if (changes.ULAEnable) b.store(path + "ULAEnable", *changes.ULAEnable);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<IP_Interface_IPv4Address>) {
    return sim::numbered(world::ipv4_assigned(sim::board(ctx), parent.numbers[0]) ? 1 : 0);
}

IP_Interface_IPv4Address read(Context& ctx, const Instance& in, Tag<IP_Interface_IPv4Address>) {
    sim::SimBoard& b = sim::board(ctx);
    const world::Interface& i = interface(in);
    const std::string path = sim::instance_path(kIPv4Template, in);
    const bool enabled = b.setting(path + "Enable", true);
    return {
        .AddressingType = addressing_of(i.addressing),
        .Alias = b.setting<std::string>(path + "Alias", "cpe-ipv4-" + std::to_string(sim::last(in))),
        .Enable = enabled,
        .IPAddress = b.setting<std::string>(path + "IPAddress", i.ipv4),
        .Status = enabled ? IP_Interface_IPv4Address::StatusValue::Enabled
                          : IP_Interface_IPv4Address::StatusValue::Disabled,
        .SubnetMask = b.setting<std::string>(path + "SubnetMask", i.netmask),
    };
}

Fault write(Context& ctx, const Instance& in, const IP_Interface_IPv4Address::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIPv4Template, in);
    // Only a static address is the ACS's to change.
    if ((changes.IPAddress || changes.SubnetMask) && interface(in).addressing != world::Addressing::Static)
        return Fault::InvalidParameterValue;
    b.store_changes(path, changes);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<IP_Interface_IPv6Address>) {
    return sim::numbered(world::ipv6_addresses(sim::board(ctx), parent.numbers[0]));
}

IP_Interface_IPv6Address read(Context& ctx, const Instance& in, Tag<IP_Interface_IPv6Address>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = in.numbers[0];
    const world::IPv6& a = interface(in).ipv6.at(sim::last(in) - 1);
    const std::string path = sim::instance_path(kIPv6Template, in);
    const bool enabled = b.setting(path + "Enable", true);
    const world::Lifetimes life = world::lifetimes(b, n, a);
    using A = IP_Interface_IPv6Address::IPAddressStatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-ipv6-" + std::to_string(sim::last(in))),
        .Anycast = false,
        .Enable = enabled,
        .IPAddress = a.address,
        .IPAddressStatus = world::tentative(b, n, a) ? A::Tentative : A::Preferred,
        .Origin = origin_of(a.origin),
        .PreferredLifetime = life.preferred,
        .Prefix = "",  // the profile has no Device.IP.Interface.{i}.IPv6Prefix.
        .Status = enabled ? IP_Interface_IPv6Address::StatusValue::Enabled
                          : IP_Interface_IPv6Address::StatusValue::Disabled,
        .ValidLifetime = life.valid,
    };
}

Fault write(Context& ctx, const Instance& in, const IP_Interface_IPv6Address::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIPv6Template, in);
    // None of the box's addresses is static: their other parameters are not the ACS's.
    if (changes.Anycast || changes.IPAddress || changes.PreferredLifetime || changes.Prefix || changes.ValidLifetime)
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    return Fault::None;
}

IP_Interface_Stats read(Context& ctx, const Instance& in, Tag<IP_Interface_Stats>) {
    const std::string key = sim::instance_path(kInterfaceTemplate, in) + "Stats.";
    const world::Traffic t = world::traffic(sim::board(ctx), sim::last(in), key);
    return {
        .BroadcastPacketsReceived = t.broadcast_in,
        .BroadcastPacketsSent = t.broadcast_out,
        .BytesReceived = t.bytes_in,
        .BytesSent = t.bytes_out,
        .DiscardPacketsReceived = t.discarded_in,
        .DiscardPacketsSent = 0,
        .ErrorsReceived = 0,
        .ErrorsSent = 0,
        .MulticastPacketsReceived = t.multicast_in,
        .MulticastPacketsSent = t.multicast_out,
        .PacketsReceived = t.unicast_in + t.multicast_in + t.broadcast_in,
        .PacketsSent = t.unicast_out + t.multicast_out + t.broadcast_out,
        .Reset = false,  // a command: reads false
        .UnicastPacketsReceived = t.unicast_in,
        .UnicastPacketsSent = t.unicast_out,
        .UnknownProtoPacketsReceived = 0,
    };
}

Fault write(Context& ctx, const Instance& in, const IP_Interface_Stats::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string stats = sim::instance_path(kInterfaceTemplate, in) + "Stats.";
    if (changes.Reset && *changes.Reset) world::reset_traffic(b, stats);
    return Fault::None;
}

}  // namespace cwmp::platform
