// Device.DHCPv4.Client.: leases of eth0 and wlan0 (Device.IP.Interface.1 and .2), renewed at half time.
// The leases are the world's (net_world.h); this file only translates them.
#include <cstdint>
#include <string>
#include <vector>

#include "board.h"
#include "net_world.h"
#include "cwmp/platform/dhcpv4.h"

namespace cwmp::platform {

using model::DHCPv4_Client;

namespace {

const char* const kClientTemplate = "Device.DHCPv4.Client.{i}.";

namespace world = sim::net;

}  // namespace

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<DHCPv4_Client>) {
    return sim::numbered(world::kLeases);
}

DHCPv4_Client read(Context& ctx, const Instance& in, Tag<DHCPv4_Client>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kClientTemplate, in);
    const world::Lease& lease = world::lease(n);
    const world::LeaseStatus status = world::lease_status(b, n, path);
    const bool enabled = status.state != world::LeaseState::Init;
    const bool bound = status.state == world::LeaseState::Bound;
    using D = DHCPv4_Client::DHCPStatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-dhcpv4-" + std::to_string(n)),
        .AuthenticationProtocol =
            b.setting(path + "AuthenticationProtocol", DHCPv4_Client::AuthenticationProtocolValue::None),
        .DHCPServer = bound ? lease.server : "",
        .DHCPStatus = !enabled ? D::Init : bound ? D::Bound : D::Requesting,
        .DNSServers = bound ? std::vector<std::string>{lease.dns} : std::vector<std::string>{},
        .DSCPMark = b.setting<std::uint32_t>(path + "DSCPMark", 0),
        .Enable = enabled,
        .IPAddress = bound ? lease.address : "",
        .IPRouters = bound ? std::vector<std::string>{lease.server} : std::vector<std::string>{},
        .Interface = b.setting<std::string>(path + "Interface", "Device.IP.Interface." + std::to_string(n)),
        .LeaseTimeRemaining = static_cast<std::int32_t>(status.remaining),
        .PassthroughDHCPPool = b.setting<std::string>(path + "PassthroughDHCPPool", ""),
        .PassthroughEnable = b.setting(path + "PassthroughEnable", false),
        .Renew = false,  // a command: reads false
        .Status = enabled ? DHCPv4_Client::StatusValue::Enabled : DHCPv4_Client::StatusValue::Disabled,
        .SubnetMask = bound ? "255.255.255.0" : "",
    };
}

Fault write(Context& ctx, const Instance& in, const DHCPv4_Client::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kClientTemplate, in);
    // Passthrough needs a pool, and the profile has no Device.DHCPv4.Server. to name one.
    if (changes.PassthroughEnable && *changes.PassthroughEnable &&
        changes.PassthroughDHCPPool.value_or(b.setting<std::string>(path + "PassthroughDHCPPool", "")).empty())
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.AuthenticationProtocol) b.store(path + "AuthenticationProtocol", *changes.AuthenticationProtocol);
    if (changes.DSCPMark) b.store(path + "DSCPMark", *changes.DSCPMark);
    if (changes.Enable) world::enable_client(b, path, *changes.Enable);
    if (changes.Interface) b.store(path + "Interface", *changes.Interface);
    if (changes.PassthroughDHCPPool) b.store(path + "PassthroughDHCPPool", *changes.PassthroughDHCPPool);
    if (changes.PassthroughEnable) b.store(path + "PassthroughEnable", *changes.PassthroughEnable);
    if (changes.Renew && *changes.Renew) world::renew_lease(b, path);
    return Fault::None;
}

}  // namespace cwmp::platform
