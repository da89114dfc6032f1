// Device.IP.: eth0 (wired, Device.Ethernet.Link.1), wlan0 (Wi-Fi) and lo, their addresses and traffic.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "board.h"
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
constexpr std::int64_t kInfinite = 253402300799;  // 9999-12-31T23:59:59Z

// Per-second rates of one interface.
struct Rates {
    std::uint64_t bytes_in, bytes_out;
    std::uint64_t unicast_in, unicast_out, multicast_in, multicast_out, broadcast_in, broadcast_out;
};

// How an IPv6 address's lifetimes move: never, with each router
// advertisement (every 600 s), or with each DHCPv6 renewal (every 1800 s).
enum class Lifetime { Infinite, RouterAdvertisement, DHCPv6 };

struct IPv6 {
    const char* address;
    IP_Interface_IPv6Address::OriginValue origin;
    Lifetime lifetime;
};

struct Interface {
    const char* name;
    const char* lower_layer;  // "" when the profile has no object below
    bool loopback;
    std::uint32_t up_at;      // seconds after boot the interface comes up
    std::uint32_t mtu;
    const char* ipv4;
    const char* netmask;
    IP_Interface_IPv4Address::AddressingTypeValue addressing;
    std::vector<IPv6> ipv6;
    Rates traffic;
};

using Origin = IP_Interface_IPv6Address::OriginValue;
using Addressing = IP_Interface_IPv4Address::AddressingTypeValue;

// Addresses from the documentation ranges (RFC 5737, RFC 3849); interface
// identifiers from the MACs of eth0 and wlan0 (RFC 7042 range).
const Interface kInterfaces[] = {
    {"eth0", "Device.Ethernet.Link.1", false, 4, 1500, "192.0.2.23", "255.255.255.0", Addressing::DHCP,
     {{"2001:db8:0:1:200:5eff:fe00:5310", Origin::AutoConfigured, Lifetime::RouterAdvertisement},
      {"fe80::200:5eff:fe00:5310", Origin::AutoConfigured, Lifetime::Infinite}},
     {1250000, 38000, 955, 308, 3, 1, 2, 1}},
    {"wlan0", "", false, 9, 1500, "198.51.100.23", "255.255.255.0", Addressing::DHCP,
     {{"2001:db8:0:2::1:23", Origin::DHCPv6, Lifetime::DHCPv6},
      {"fe80::200:5eff:fe00:5311", Origin::AutoConfigured, Lifetime::Infinite}},
     {18000, 4200, 30, 20, 2, 1, 1, 0}},
    {"lo", "", true, 0, 65535, "127.0.0.1", "255.0.0.0", Addressing::Static,
     {{"::1", Origin::WellKnown, Lifetime::Infinite}},
     {2400, 2400, 20, 20, 0, 0, 0, 0}},
};

const Interface& interface(const Instance& in) { return kInterfaces[in.numbers[0] - 1]; }

std::uint32_t since(std::uint32_t now, std::uint32_t start) { return now > start ? now - start : 0; }

// When the interface last came up: at boot, or when the ACS last reset it.
std::uint32_t came_up(const sim::SimBoard& b, const std::string& path, const Interface& i) {
    return std::max(i.up_at, b.setting<std::uint32_t>(path + "ResetAt", 0));
}

// What a counter has grown to since boot, or since the ACS last reset the
// Stats object at `stats` (uptime kept under "ResetAt").
std::uint64_t since_reset(const sim::SimBoard& b, const std::string& stats, std::uint64_t per_second,
                          std::uint32_t n) {
    if (per_second == 0) return 0;
    return b.counter(per_second, n) - per_second * b.setting<std::uint32_t>(stats + "ResetAt", 0);
}

// Lifetimes as dates: the last refresh plus what it granted.
struct Lifetimes {
    dm::DateTime preferred, valid;
};
Lifetimes lifetimes(const sim::SimBoard& b, Lifetime kind, std::uint32_t up_at) {
    if (kind == Lifetime::Infinite) return {dm::DateTime{kInfinite}, dm::DateTime{kInfinite}};
    const bool ra = kind == Lifetime::RouterAdvertisement;
    const std::uint32_t every = ra ? 600 : 1800;
    const std::uint32_t up = since(b.uptime(), up_at);
    const std::int64_t refreshed = b.boot_time() + up_at + up / every * every;
    return {dm::DateTime{refreshed + (ra ? 14400 : 3600)}, dm::DateTime{refreshed + (ra ? 86400 : 7200)}};
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
    return sim::numbered(std::size(kInterfaces));
}

IP_Interface read(Context& ctx, const Instance& in, Tag<IP_Interface>) {
    sim::SimBoard& b = sim::board(ctx);
    const Interface& i = interface(in);
    const std::string path = sim::instance_path(kInterfaceTemplate, in);
    const bool enabled = b.setting(path + "Enable", true);
    const bool loopback = b.setting(path + "Loopback", i.loopback);
    const auto lower = b.setting(path + "LowerLayers", *i.lower_layer ? std::vector<std::string>{i.lower_layer}
                                                                       : std::vector<std::string>{});
    // eth0 needs its Ethernet port and link.
    const bool lower_up = *i.lower_layer == '\0' || (b.setting("Device.Ethernet.Interface.1.Enable", true) &&
                                                     b.setting("Device.Ethernet.Link.1.Enable", true));
    const bool up = b.uptime() >= i.up_at;
    using S = IP_Interface::StatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", std::string("cpe-") + i.name),
        .AutoIPEnable = b.setting(path + "AutoIPEnable", false),
        .Enable = enabled,
        .IPv4Enable = b.setting(path + "IPv4Enable", true),
        .IPv6Enable = b.setting(path + "IPv6Enable", true),
        .LastChange = since(b.uptime(), came_up(b, path, i)),
        .Loopback = loopback,
        .LowerLayers = lower,
        .MaxMTUSize = b.setting<std::uint32_t>(path + "MaxMTUSize", i.mtu),
        .Name = i.name,
        .Reset = false,  // a command: reads false
        .Router = b.setting<std::string>(path + "Router", ""),  // the profile has no Device.Routing.
        .Status = !enabled ? S::Down : !lower_up ? S::LowerLayerDown : up ? S::Up : S::Dormant,
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
    if (changes.Reset && *changes.Reset) b.store(path + "ResetAt", b.uptime());
    if (changes.Router) b.store(path + "Router", *changes.Router);
    if (changes.ULAEnable) b.store(path + "ULAEnable", *changes.ULAEnable);
    return Fault::None;
}

// A DHCP address arrives a second after the interface comes up (as in dhcpv4.cpp).
std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<IP_Interface_IPv4Address>) {
    const Interface& i = interface(parent);
    const bool assigned = sim::board(ctx).uptime() >= i.up_at + (i.addressing == Addressing::DHCP ? 1 : 0);
    return sim::numbered(assigned ? 1 : 0);
}

IP_Interface_IPv4Address read(Context& ctx, const Instance& in, Tag<IP_Interface_IPv4Address>) {
    sim::SimBoard& b = sim::board(ctx);
    const Interface& i = interface(in);
    const std::string path = sim::instance_path(kIPv4Template, in);
    const bool enabled = b.setting(path + "Enable", true);
    return {
        .AddressingType = i.addressing,
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
    if ((changes.IPAddress || changes.SubnetMask) && interface(in).addressing != Addressing::Static)
        return Fault::InvalidParameterValue;
    b.store_changes(path, changes);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<IP_Interface_IPv6Address>) {
    const Interface& i = interface(parent);
    return sim::numbered(sim::board(ctx).uptime() >= i.up_at ? i.ipv6.size() : 0);
}

IP_Interface_IPv6Address read(Context& ctx, const Instance& in, Tag<IP_Interface_IPv6Address>) {
    sim::SimBoard& b = sim::board(ctx);
    const Interface& i = interface(in);
    const IPv6& a = i.ipv6[sim::last(in) - 1];
    const std::string path = sim::instance_path(kIPv6Template, in);
    const bool enabled = b.setting(path + "Enable", true);
    const Lifetimes life = lifetimes(b, a.lifetime, i.up_at);
    // Duplicate address detection takes two seconds once the interface is up.
    const bool tentative = a.origin != Origin::WellKnown && b.uptime() < i.up_at + 2;
    using A = IP_Interface_IPv6Address::IPAddressStatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-ipv6-" + std::to_string(sim::last(in))),
        .Anycast = false,
        .Enable = enabled,
        .IPAddress = a.address,
        .IPAddressStatus = tentative ? A::Tentative : A::Preferred,
        .Origin = a.origin,
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
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string s = sim::instance_path(kInterfaceTemplate, in) + "Stats.";
    const Rates& r = interface(in).traffic;
    const std::uint64_t unicast_in = since_reset(b, s, r.unicast_in, n);
    const std::uint64_t unicast_out = since_reset(b, s, r.unicast_out, n);
    const std::uint64_t multicast_in = since_reset(b, s, r.multicast_in, n);
    const std::uint64_t multicast_out = since_reset(b, s, r.multicast_out, n);
    const std::uint64_t broadcast_in = since_reset(b, s, r.broadcast_in, n);
    const std::uint64_t broadcast_out = since_reset(b, s, r.broadcast_out, n);
    return {
        .BroadcastPacketsReceived = broadcast_in,
        .BroadcastPacketsSent = broadcast_out,
        .BytesReceived = since_reset(b, s, r.bytes_in, n),
        .BytesSent = since_reset(b, s, r.bytes_out, n),
        // A dropped datagram every quarter hour on the wire and the air.
        .DiscardPacketsReceived =
            interface(in).loopback ? 0 : static_cast<std::uint32_t>(since_reset(b, s, 1, n) / 900),
        .DiscardPacketsSent = 0,
        .ErrorsReceived = 0,
        .ErrorsSent = 0,
        .MulticastPacketsReceived = multicast_in,
        .MulticastPacketsSent = multicast_out,
        .PacketsReceived = unicast_in + multicast_in + broadcast_in,
        .PacketsSent = unicast_out + multicast_out + broadcast_out,
        .Reset = false,  // a command: reads false
        .UnicastPacketsReceived = unicast_in,
        .UnicastPacketsSent = unicast_out,
        .UnknownProtoPacketsReceived = 0,
    };
}

Fault write(Context& ctx, const Instance& in, const IP_Interface_Stats::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string stats = sim::instance_path(kInterfaceTemplate, in) + "Stats.";
    if (changes.Reset && *changes.Reset) b.store(stats + "ResetAt", b.uptime());
    return Fault::None;
}

}  // namespace cwmp::platform
