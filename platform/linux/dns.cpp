// Device.DNS.: the nameservers of resolv.conf (none when it is missing).
#include <algorithm>

#include "board.h"
#include "cwmp/platform/dns.h"

namespace cwmp::platform {

using model::DNS_Client;
using model::DNS_Client_Server;

namespace {
const std::string kTable = "Device.DNS.Client.Server.";

std::vector<std::string> servers(linux_board::LinuxBoard& b) {
    return linux_board::parse_resolv_conf(linux_board::try_read_file(b.roots().etc + "/resolv.conf", 1 << 20).value_or(""));
}
}  // namespace

DNS_Client read(Context&, const Instance&, Tag<DNS_Client>) { return {.Status = DNS_Client::StatusValue::Enabled}; }

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<DNS_Client_Server>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    std::vector<linux_board::Numbering::Item> items;
    for (const std::string& s : servers(b))
        if (std::none_of(items.begin(), items.end(), [&](const auto& i) { return i.key == s; })) items.push_back({s, s});
    return b.number(kTable, items);
}

DNS_Client_Server read(Context& ctx, const Instance& in, Tag<DNS_Client_Server>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    auto server = b.key_of(kTable, linux_board::last(in));
    if (!server) b.fail(b.roots().etc + "/resolv.conf", "nameserver " + std::to_string(linux_board::last(in)) + " is gone");
    return {.DNSServer = *server, .Status = DNS_Client_Server::StatusValue::Enabled};
}

}  // namespace cwmp::platform
