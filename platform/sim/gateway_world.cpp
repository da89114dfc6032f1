#include "gateway_world.h"

#include <iterator>
#include <stdexcept>

namespace cwmp::sim::gateway {

namespace {

constexpr Route kRouteTable[] = {
    {true, "", "", "198.51.100.1"},
    {false, "192.168.1.0", "255.255.255.0", ""},
};
static_assert(std::size(kRouteTable) == kRoutes);

}  // namespace

std::uint32_t free_memory(const SimBoard& b) { return 98304 + wave(b.uptime(), 300, 16384); }

const Route& route(std::uint32_t n) {
    if (n < 1 || n > kRoutes) throw std::out_of_range("no route " + std::to_string(n));
    return kRouteTable[n - 1];
}

bool route_enabled(const SimBoard& b, const std::string& key) { return b.setting(key + "Enable", true); }

}  // namespace cwmp::sim::gateway
