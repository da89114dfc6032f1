// InternetGatewayDevice.Layer3Forwarding.: the gateway's routing table, a
// default route to its uplink and the route of its LAN; the ACS may switch
// a route off and name the default connection.
#include <array>
#include <string>

#include "board.h"
#include "cwmp/platform/layer3forwarding.h"

namespace cwmp::platform {

using model::Layer3Forwarding;
using model::Layer3Forwarding_Forwarding;

namespace {

const std::string kForwarding = "InternetGatewayDevice.Layer3Forwarding.";
const char* const kRouteTemplate = "InternetGatewayDevice.Layer3Forwarding.Forwarding.{i}.";

struct Route {
    Layer3Forwarding_Forwarding::TypeValue type;
    const char* dest;
    const char* mask;
    const char* gateway;
};
const std::array<Route, 2> kRoutes = {{
    {Layer3Forwarding_Forwarding::TypeValue::Default, "", "", "198.51.100.1"},
    {Layer3Forwarding_Forwarding::TypeValue::Network, "192.168.1.0", "255.255.255.0", ""},
}};

}  // namespace

Layer3Forwarding read(Context& ctx, const Instance&, Tag<Layer3Forwarding>) {
    return {.DefaultConnectionService =
                sim::board(ctx).setting<std::string>(kForwarding + "DefaultConnectionService", "")};
}

Fault write(Context& ctx, const Instance&, const Layer3Forwarding::Changes& changes) {
    sim::board(ctx).store_changes(kForwarding, changes);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<Layer3Forwarding_Forwarding>) {
    return sim::numbered(kRoutes.size());
}

Layer3Forwarding_Forwarding read(Context& ctx, const Instance& in, Tag<Layer3Forwarding_Forwarding>) {
    const Route& r = kRoutes.at(sim::last(in) - 1);  // one of instances(): the engine asks for no other
    const bool enabled = sim::board(ctx).setting(kRouteTemplate, in, "Enable", true);
    using Status = Layer3Forwarding_Forwarding::StatusValue;
    return {
        .DestIPAddress = r.dest,
        .DestSubnetMask = r.mask,
        .Enable = enabled,
        .ForwardingMetric = 0,
        .GatewayIPAddress = r.gateway,
        .Interface = "",  // the profile has no WAN or LAN connection objects to name
        .Status = enabled ? Status::Enabled : Status::Disabled,
        .Type = r.type,
    };
}

Fault write(Context& ctx, const Instance& in, const Layer3Forwarding_Forwarding::Changes& changes) {
    sim::board(ctx).store_changes(sim::instance_path(kRouteTemplate, in), changes);
    return Fault::None;
}

}  // namespace cwmp::platform
