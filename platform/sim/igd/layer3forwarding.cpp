// InternetGatewayDevice.Layer3Forwarding.: the gateway's routing table, a
// default route to its uplink and the route of its LAN; the ACS may switch
// a route off and name the default connection.
// The routes are the world's (gateway_world.h); this file only translates them.
#include <string>

#include "board.h"
#include "gateway_world.h"
#include "cwmp/platform/layer3forwarding.h"

namespace cwmp::platform {

using model::Layer3Forwarding;
using model::Layer3Forwarding_Forwarding;

namespace {

const std::string kForwarding = "InternetGatewayDevice.Layer3Forwarding.";
const char* const kRouteTemplate = "InternetGatewayDevice.Layer3Forwarding.Forwarding.{i}.";

namespace world = sim::gateway;

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
    return sim::numbered(world::kRoutes);
}

Layer3Forwarding_Forwarding read(Context& ctx, const Instance& in, Tag<Layer3Forwarding_Forwarding>) {
    const world::Route& r = world::route(sim::last(in));  // one of instances(): the engine asks for no other
    const bool enabled = world::route_enabled(sim::board(ctx), sim::instance_path(kRouteTemplate, in));
    using Status = Layer3Forwarding_Forwarding::StatusValue;
    return {
        .DestIPAddress = r.dest,
        .DestSubnetMask = r.mask,
        .Enable = enabled,
        .ForwardingMetric = 0,
        .GatewayIPAddress = r.gateway,
        .Interface = "",  // the profile has no WAN or LAN connection objects to name
        .Status = enabled ? Status::Enabled : Status::Disabled,
        .Type = r.default_route ? Layer3Forwarding_Forwarding::TypeValue::Default
                                : Layer3Forwarding_Forwarding::TypeValue::Network,
    };
}

Fault write(Context& ctx, const Instance& in, const Layer3Forwarding_Forwarding::Changes& changes) {
    sim::board(ctx).store_changes(sim::instance_path(kRouteTemplate, in), changes);
    return Fault::None;
}

}  // namespace cwmp::platform
