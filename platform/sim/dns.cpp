// Device.DNS.: the DNS client and its servers (the ACS may add and delete them).
#include "board.h"
#include "cwmp/platform/dns.h"

namespace cwmp::platform {

using model::DNS;
using model::DNS_Client;
using model::DNS_Client_Server;

namespace {
const std::string kServers = "Device.DNS.Client.Server.";
constexpr std::uint32_t kInitialServers = 2;  // from DHCP on the two IP interfaces
constexpr std::uint32_t kMaxServers = 4;      // the profile's maxEntries
const char* const kServerTemplate = "Device.DNS.Client.Server.{i}.";
}  // namespace

DNS read(Context&, const Instance&, Tag<DNS>) {
    using T = DNS::SupportedRecordTypesValue;
    return {.SupportedRecordTypes = std::vector<T>{T::A, T::AAAA, T::SRV, T::PTR}};
}

DNS_Client read(Context& ctx, const Instance&, Tag<DNS_Client>) {
    const bool enabled = sim::board(ctx).setting("Device.DNS.Client.Enable", true);
    return {
        .Enable = enabled,
        .Status = enabled ? DNS_Client::StatusValue::Enabled : DNS_Client::StatusValue::Disabled,
    };
}

Fault write(Context& ctx, const Instance&, const DNS_Client::Changes& changes) {
    if (changes.Enable) sim::board(ctx).store("Device.DNS.Client.Enable", *changes.Enable);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<DNS_Client_Server>) {
    return sim::board(ctx).rows(kServers, kInitialServers);
}

DNS_Client_Server read(Context& ctx, const Instance& in, Tag<DNS_Client_Server>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kServerTemplate, in);
    const bool from_dhcp = n <= kInitialServers;
    const bool enabled = b.setting(path + "Enable", from_dhcp);
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-dns-" + std::to_string(n)),
        .DNSServer = b.setting<std::string>(path + "DNSServer",
                                            from_dhcp ? "192.0.2." + std::to_string(52 + n) : ""),
        .Enable = enabled,
        .Interface = b.setting<std::string>(path + "Interface",
                                            from_dhcp ? "Device.IP.Interface." + std::to_string(n) : ""),
        .Status = enabled ? DNS_Client_Server::StatusValue::Enabled
                          : DNS_Client_Server::StatusValue::Disabled,
        .Type = from_dhcp ? DNS_Client_Server::TypeValue::DHCPv4 : DNS_Client_Server::TypeValue::Static,
    };
}

Fault write(Context& ctx, const Instance& in, const DNS_Client_Server::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kServerTemplate, in);
    b.store_changes(path, changes);
    return Fault::None;
}

Fault add(Context& ctx, const Instance&, Tag<DNS_Client_Server>, std::uint32_t& number) {
    number = sim::board(ctx).add_row(kServers, kInitialServers, kMaxServers);
    return number == 0 ? Fault::ResourcesExceeded : Fault::None;
}

Fault remove(Context& ctx, const Instance& in, Tag<DNS_Client_Server>) {
    return sim::board(ctx).remove_row(kServers, kInitialServers, sim::last(in)) ? Fault::None
                                                                                 : Fault::InvalidParameterName;
}

}  // namespace cwmp::platform
