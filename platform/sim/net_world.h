// The set-top box's home network as the simulated world has it, apart from
// any data model: the hosts it sees (the phone comes and goes every quarter
// hour), its gigabit Ethernet port, the DHCP leases of eth0 and wlan0
// renewed at half time, and its IP interfaces (eth0, wlan0, lo) with their
// addresses, lifetimes and traffic.
//
// What the ACS changed is kept in the board's settings under the keys the
// caller names (its instance paths), so a restart keeps it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/dm/types.h"

namespace cwmp::sim::net {

// --- Hosts on the home network ----------------------------------------------------------

enum class Medium { Ethernet, WiFi };
struct Host {
    const char* name;
    const char* mac;      // RFC 7042 documentation range
    const char* address;  // RFC 5737 documentation ranges
    Medium medium;
    std::uint32_t seen_at;  // seconds after boot the box first saw it
    std::uint32_t period;   // 0: always there; else away every other `period` seconds
};
constexpr std::uint32_t kHosts = 4;
// Host `n` (1..kHosts; std::out_of_range otherwise).
const Host& host(std::uint32_t n);
// Hosts appear as the box first sees them, and stay listed while away.
std::vector<std::uint32_t> hosts_seen(const SimBoard& b);
struct Presence {
    bool active;
    dm::DateTime last_change;  // first seen, or the last arrival or departure
};
Presence presence(const SimBoard& b, const Host& h);

// --- DHCPv4 leases ------------------------------------------------------------------------

// What each client's server granted; client n runs on interface n.
struct Lease {
    const char* address;
    const char* server;  // also the router
    const char* dns;
    std::uint32_t seconds;
    std::uint32_t bound_at;  // seconds after boot
};
constexpr std::uint32_t kLeases = 2;
// Lease `n` (1..kLeases; std::out_of_range otherwise).
const Lease& lease(std::uint32_t n);

enum class LeaseState { Init, Requesting, Bound };
struct LeaseStatus {
    LeaseState state;           // Init while the client is disabled
    std::uint32_t remaining;    // seconds; 0 unless bound
};
// Client `n`'s lease, its settings kept below `key`: bound at boot (or at
// the last renewal or re-enable), renewed every half lease.
LeaseStatus lease_status(const SimBoard& b, std::uint32_t n, const std::string& key);
bool client_enabled(const SimBoard& b, const std::string& key);
// Re-enabling starts a new lease a second later.
void enable_client(SimBoard& b, const std::string& key, bool enable);
// A renewal of an enabled client's lease starts it again now.
void renew_lease(SimBoard& b, const std::string& key);

// --- The Ethernet port (eth0) and its link ----------------------------------------------------

constexpr std::uint32_t kLinkUpAt = 3;  // seconds after boot the PHY negotiates
// IANAifMauTypeListBits: 10BASE-T half/full, 100BASE-TX half/full, 1000BASE-T full.
inline const std::vector<std::uint32_t> kSupportedModes{10, 11, 15, 16, 30};
// What the partner (the home gateway's switch) advertises: it does gigabit.
inline const std::vector<std::uint32_t> kPartnerModes{11, 16, 30};
// The port whose settings are kept below `key` is up once enabled and negotiated.
bool port_up(const SimBoard& b, const std::string& key);
// Seconds since the PHY negotiated.
std::uint32_t since_link_up(const SimBoard& b);
// Mbit/s the link runs at under the ACS's MaxBitRate (-1: none).
std::uint32_t bit_rate(std::int32_t max_bit_rate);

// What the port or link carried since boot or since the ACS reset its
// statistics (kept below `key`); the link sees the same frames.
struct Frames {
    std::uint64_t bytes_in, bytes_out;
    std::uint64_t unicast_in, unicast_out, multicast_in, multicast_out, broadcast_in, broadcast_out;
    std::uint32_t discarded_in;      // one every quarter hour
    std::uint32_t errors_in;         // one an hour (the PHY's: the port's only)
    std::uint32_t unknown_proto_in;  // one every ten minutes
    std::uint64_t pause_in;          // the gateway's switch pauses the box every two minutes at peak rate
};
Frames frames(const SimBoard& b, std::uint32_t n, const std::string& key);

// --- IP interfaces ------------------------------------------------------------------------

enum class Addressing { DHCP, Static };
enum class Origin { AutoConfigured, DHCPv6, WellKnown };
// How an IPv6 address's lifetimes move: never, with each router
// advertisement (every 600 s), or with each DHCPv6 renewal (every 1800 s).
enum class Lifetime { Infinite, RouterAdvertisement, DHCPv6 };
struct IPv6 {
    const char* address;
    Origin origin;
    Lifetime lifetime;
};
// Per-second rates of one interface.
struct Rates {
    std::uint64_t bytes_in, bytes_out;
    std::uint64_t unicast_in, unicast_out, multicast_in, multicast_out, broadcast_in, broadcast_out;
};
struct Interface {
    const char* name;
    const char* lower_layer;  // "" when nothing the box reports is below
    bool loopback;
    std::uint32_t up_at;  // seconds after boot the interface comes up
    std::uint32_t mtu;
    const char* ipv4;
    const char* netmask;
    Addressing addressing;
    std::vector<IPv6> ipv6;
    Rates traffic;
};
constexpr std::uint32_t kInterfaces = 3;
// Interface `n` (1..kInterfaces; std::out_of_range otherwise).
const Interface& interface(std::uint32_t n);

// Whether the Ethernet port and link below eth0 are enabled.
bool ethernet_up(const SimBoard& b);
enum class InterfaceStatus { Down, LowerLayerDown, Dormant, Up };
InterfaceStatus interface_status(const SimBoard& b, std::uint32_t n, bool enabled);
// Seconds since interface `n` (settings below `key`) last came up: at boot,
// or when the ACS last reset it.
std::uint32_t since_up(const SimBoard& b, std::uint32_t n, const std::string& key);
void reset_interface(SimBoard& b, const std::string& key);

// A DHCP address arrives a second after the interface comes up.
bool ipv4_assigned(const SimBoard& b, std::uint32_t n);
// The interface's IPv6 addresses, once it is up.
std::uint32_t ipv6_addresses(const SimBoard& b, std::uint32_t n);
// Lifetimes as dates: the last refresh plus what it granted (9999-12-31T23:59:59Z: infinite).
struct Lifetimes {
    dm::DateTime preferred, valid;
};
Lifetimes lifetimes(const SimBoard& b, std::uint32_t n, const IPv6& a);
// Duplicate address detection takes two seconds once the interface is up.
bool tentative(const SimBoard& b, std::uint32_t n, const IPv6& a);

// What interface `n` carried since boot or since the ACS reset its
// statistics (kept below `key`).
struct Traffic {
    std::uint64_t bytes_in, bytes_out;
    std::uint64_t unicast_in, unicast_out, multicast_in, multicast_out, broadcast_in, broadcast_out;
    std::uint32_t discarded_in;  // a datagram every quarter hour on the wire and the air
};
Traffic traffic(const SimBoard& b, std::uint32_t n, const std::string& key);
// Resets the statistics kept below `key` (an IP interface's or the Ethernet port's or link's).
void reset_traffic(SimBoard& b, const std::string& key);

}  // namespace cwmp::sim::net
