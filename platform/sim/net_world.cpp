#include "net_world.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace cwmp::sim::net {

namespace {

constexpr Host kHostTable[] = {
    {"gateway", "00:00:5E:00:53:01", "192.0.2.1", Medium::Ethernet, 5, 0},
    {"living-room-tv", "00:00:5E:00:53:31", "192.0.2.31", Medium::Ethernet, 42, 0},
    {"nas", "00:00:5E:00:53:40", "192.0.2.40", Medium::Ethernet, 17, 0},
    {"phone-anna", "00:00:5E:00:53:47", "198.51.100.47", Medium::WiFi, 30, 900},
};
static_assert(std::size(kHostTable) == kHosts);

// DNS servers match Device.DNS.Client.Server.
constexpr Lease kLeaseTable[] = {
    {"192.0.2.23", "192.0.2.1", "192.0.2.53", 86400, 5},
    {"198.51.100.23", "198.51.100.1", "192.0.2.54", 3600, 10},
};
static_assert(std::size(kLeaseTable) == kLeases);

constexpr std::int64_t kInfinite = 253402300799;  // 9999-12-31T23:59:59Z

// Addresses from the documentation ranges (RFC 5737, RFC 3849); interface
// identifiers from the MACs of eth0 and wlan0 (RFC 7042 range).
const Interface kInterfaceTable[] = {
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
static_assert(std::size(kInterfaceTable) == kInterfaces);

std::uint32_t since(std::uint32_t now, std::uint32_t start) { return now > start ? now - start : 0; }

// What a counter has grown to since boot, or since the ACS last reset the
// statistics kept below `key` (uptime kept under "ResetAt").
std::uint64_t since_reset(const SimBoard& b, const std::string& key, std::uint64_t per_second, std::uint32_t n) {
    if (per_second == 0) return 0;
    return b.counter(per_second, n) - per_second * b.setting<std::uint32_t>(key + "ResetAt", 0);
}

}  // namespace

// --- Hosts ------------------------------------------------------------------------------

const Host& host(std::uint32_t n) {
    if (n < 1 || n > kHosts) throw std::out_of_range("no host " + std::to_string(n));
    return kHostTable[n - 1];
}

std::vector<std::uint32_t> hosts_seen(const SimBoard& b) {
    std::vector<std::uint32_t> seen;
    for (std::uint32_t n = 1; n <= kHosts; ++n)
        if (b.uptime() >= kHostTable[n - 1].seen_at) seen.push_back(n);
    return seen;
}

Presence presence(const SimBoard& b, const Host& h) {
    const std::uint32_t up = b.uptime();
    const std::uint32_t there = up > h.seen_at ? up - h.seen_at : 0;
    const std::uint32_t changed = h.period == 0 ? h.seen_at : h.seen_at + there / h.period * h.period;
    return {h.period == 0 || there / h.period % 2 == 0, dm::DateTime{b.boot_time() + changed}};
}

// --- DHCPv4 leases --------------------------------------------------------------------------

const Lease& lease(std::uint32_t n) {
    if (n < 1 || n > kLeases) throw std::out_of_range("no DHCPv4 lease " + std::to_string(n));
    return kLeaseTable[n - 1];
}

LeaseStatus lease_status(const SimBoard& b, std::uint32_t n, const std::string& key) {
    const Lease& l = lease(n);
    const bool enabled = client_enabled(b, key);
    const std::uint32_t bound_at = b.setting<std::uint32_t>(key + "RenewedAt", l.bound_at);
    const bool bound = enabled && b.uptime() >= bound_at;
    const std::uint32_t held = bound ? (b.uptime() - bound_at) % (l.seconds / 2) : 0;
    return {!enabled ? LeaseState::Init : bound ? LeaseState::Bound : LeaseState::Requesting,
            bound ? l.seconds - held : 0};
}

bool client_enabled(const SimBoard& b, const std::string& key) { return b.setting(key + "Enable", true); }

void enable_client(SimBoard& b, const std::string& key, bool enable) {
    if (enable && !client_enabled(b, key)) b.store(key + "RenewedAt", b.uptime() + 1);
    b.store(key + "Enable", enable);
}

void renew_lease(SimBoard& b, const std::string& key) {
    if (client_enabled(b, key)) b.store(key + "RenewedAt", b.uptime());
}

// --- The Ethernet port and its link ------------------------------------------------------------

bool port_up(const SimBoard& b, const std::string& key) {
    return b.setting(key + "Enable", true) && b.uptime() >= kLinkUpAt;
}

std::uint32_t since_link_up(const SimBoard& b) { return b.uptime() > kLinkUpAt ? b.uptime() - kLinkUpAt : 0; }

std::uint32_t bit_rate(std::int32_t max_bit_rate) {
    return max_bit_rate < 0 || max_bit_rate >= 1000 ? 1000 : max_bit_rate >= 100 ? 100 : 10;
}

Frames frames(const SimBoard& b, std::uint32_t n, const std::string& key) {
    constexpr Rates r{1290000, 41500, 960, 310, 3, 1, 2, 1};
    // Rare events: one every `seconds`.
    const auto rare = [&](std::uint32_t seconds) {
        return static_cast<std::uint32_t>(since_reset(b, key, 1, n) / seconds);
    };
    return {
        since_reset(b, key, r.bytes_in, n),
        since_reset(b, key, r.bytes_out, n),
        since_reset(b, key, r.unicast_in, n),
        since_reset(b, key, r.unicast_out, n),
        since_reset(b, key, r.multicast_in, n),
        since_reset(b, key, r.multicast_out, n),
        since_reset(b, key, r.broadcast_in, n),
        since_reset(b, key, r.broadcast_out, n),
        rare(900),
        rare(3600),
        rare(600),
        since_reset(b, key, 1, n) / 120,
    };
}

// --- IP interfaces ----------------------------------------------------------------------------

const Interface& interface(std::uint32_t n) {
    if (n < 1 || n > kInterfaces) throw std::out_of_range("no IP interface " + std::to_string(n));
    return kInterfaceTable[n - 1];
}

bool ethernet_up(const SimBoard& b) {
    return b.setting("Device.Ethernet.Interface.1.Enable", true) && b.setting("Device.Ethernet.Link.1.Enable", true);
}

InterfaceStatus interface_status(const SimBoard& b, std::uint32_t n, bool enabled) {
    const Interface& i = interface(n);
    // eth0 needs its Ethernet port and link.
    const bool lower_up = *i.lower_layer == '\0' || ethernet_up(b);
    return !enabled   ? InterfaceStatus::Down
           : !lower_up ? InterfaceStatus::LowerLayerDown
           : b.uptime() >= i.up_at ? InterfaceStatus::Up
                                   : InterfaceStatus::Dormant;
}

std::uint32_t since_up(const SimBoard& b, std::uint32_t n, const std::string& key) {
    return since(b.uptime(), std::max(interface(n).up_at, b.setting<std::uint32_t>(key + "ResetAt", 0)));
}

void reset_interface(SimBoard& b, const std::string& key) { b.store(key + "ResetAt", b.uptime()); }

bool ipv4_assigned(const SimBoard& b, std::uint32_t n) {
    const Interface& i = interface(n);
    return b.uptime() >= i.up_at + (i.addressing == Addressing::DHCP ? 1 : 0);
}

std::uint32_t ipv6_addresses(const SimBoard& b, std::uint32_t n) {
    const Interface& i = interface(n);
    return b.uptime() >= i.up_at ? static_cast<std::uint32_t>(i.ipv6.size()) : 0;
}

Lifetimes lifetimes(const SimBoard& b, std::uint32_t n, const IPv6& a) {
    if (a.lifetime == Lifetime::Infinite) return {dm::DateTime{kInfinite}, dm::DateTime{kInfinite}};
    const std::uint32_t up_at = interface(n).up_at;
    const bool ra = a.lifetime == Lifetime::RouterAdvertisement;
    const std::uint32_t every = ra ? 600 : 1800;
    const std::uint32_t up = since(b.uptime(), up_at);
    const std::int64_t refreshed = b.boot_time() + up_at + up / every * every;
    return {dm::DateTime{refreshed + (ra ? 14400 : 3600)}, dm::DateTime{refreshed + (ra ? 86400 : 7200)}};
}

bool tentative(const SimBoard& b, std::uint32_t n, const IPv6& a) {
    return a.origin != Origin::WellKnown && b.uptime() < interface(n).up_at + 2;
}

Traffic traffic(const SimBoard& b, std::uint32_t n, const std::string& key) {
    const Interface& i = interface(n);
    const Rates& r = i.traffic;
    return {
        since_reset(b, key, r.bytes_in, n),
        since_reset(b, key, r.bytes_out, n),
        since_reset(b, key, r.unicast_in, n),
        since_reset(b, key, r.unicast_out, n),
        since_reset(b, key, r.multicast_in, n),
        since_reset(b, key, r.multicast_out, n),
        since_reset(b, key, r.broadcast_in, n),
        since_reset(b, key, r.broadcast_out, n),
        i.loopback ? 0 : static_cast<std::uint32_t>(since_reset(b, key, 1, n) / 900),
    };
}

void reset_traffic(SimBoard& b, const std::string& key) { b.store(key + "ResetAt", b.uptime()); }

}  // namespace cwmp::sim::net
