// Device.Ethernet.: every Ethernet-type network device as an interface (its
// port) and a link (its MAC layer) with the same instance number.
#include "board.h"
#include "cwmp/platform/ethernet.h"
#include "net_status.h"

namespace cwmp::platform {

using model::Ethernet_Interface;
using model::Ethernet_Interface_Stats;
using model::Ethernet_Link;

namespace {
std::vector<std::uint32_t> eth_numbers(linux_board::LinuxBoard& b) {
    std::vector<std::uint32_t> out;
    for (const auto& i : b.interfaces())
        if (i.eth_number != 0) out.push_back(i.eth_number);
    std::sort(out.begin(), out.end());
    return out;
}
}  // namespace

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<Ethernet_Interface>) {
    return eth_numbers(linux_board::board(ctx));
}

Ethernet_Interface read(Context& ctx, const Instance& in, Tag<Ethernet_Interface>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const auto& i = b.by_eth(linux_board::last(in));
    return {
        .Enable = (i.link.flags & IFF_UP) != 0,
        .LastChange = linux_board::last_change(b, i),
        .MACAddress = i.link.mac,
        .Name = i.link.name,
        .Status = linux_board::interface_status<Ethernet_Interface::StatusValue>(i.link),
    };
}

// Enable sets the device administratively up or down (ip link set ... up/down).
Fault write(Context& ctx, const Instance& in, const Ethernet_Interface::Changes& changes) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    if (!changes.Enable) return Fault::None;
    const auto& i = b.by_eth(linux_board::last(in));
    return b.set_enable(i, *changes.Enable) == 0 ? Fault::None : Fault::InternalError;
}

Ethernet_Interface_Stats read(Context& ctx, const Instance& in, Tag<Ethernet_Interface_Stats>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    return linux_board::interface_stats<Ethernet_Interface_Stats>(b.stats(b.by_eth(in.numbers[0])));
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<Ethernet_Link>) {
    return eth_numbers(linux_board::board(ctx));
}

Ethernet_Link read(Context& ctx, const Instance& in, Tag<Ethernet_Link>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const auto& i = b.by_eth(linux_board::last(in));
    return {
        .LastChange = linux_board::last_change(b, i),
        .LowerLayers = std::vector<std::string>{"Device.Ethernet.Interface." + std::to_string(i.eth_number)},
        .MACAddress = i.link.mac,
        .MTU = i.link.mtu,
        .Name = i.link.name,
        .Status = linux_board::interface_status<Ethernet_Link::StatusValue>(i.link),
    };
}

}  // namespace cwmp::platform
