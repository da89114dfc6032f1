// The same world as a TR-098 home gateway, apart from any data model: its
// memory and its routing table, a default route to its uplink and the route
// of its LAN, each of which the ACS may switch off.
//
// What the ACS changed is kept in the board's settings under the keys the
// caller names (its instance paths), so a restart keeps it.
#pragma once

#include <cstdint>
#include <string>

#include "board.h"

namespace cwmp::sim::gateway {

constexpr std::uint32_t kMemTotal = 262144;  // KiB of RAM
// Free RAM breathes by 16 MiB over five minutes.
std::uint32_t free_memory(const SimBoard& b);

struct Route {
    bool default_route;   // else the route of a network
    const char* dest;     // "" for the default route
    const char* mask;
    const char* gateway;  // "" for the directly attached LAN
};
constexpr std::uint32_t kRoutes = 2;
// Route `n` (1..kRoutes; std::out_of_range otherwise).
const Route& route(std::uint32_t n);
// Whether the route whose settings are kept below `key` is on (until the ACS switches it off).
bool route_enabled(const SimBoard& b, const std::string& key);

}  // namespace cwmp::sim::gateway
