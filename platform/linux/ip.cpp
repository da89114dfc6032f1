// Device.IP.: every network device as an IP interface, its addresses and counters.
#include <linux/if_addr.h>
#include <sys/socket.h>

#include <chrono>

#include "board.h"
#include "cwmp/platform/ip.h"
#include "net_status.h"

namespace cwmp::platform {

using model::IP_Interface;
using model::IP_Interface_IPv4Address;
using model::IP_Interface_IPv6Address;
using model::IP_Interface_Stats;

namespace {

constexpr std::int64_t kInfinite = 253402300799;  // 9999-12-31T23:59:59Z: TR-181's "forever"

const std::pair<std::uint32_t, linux_board::Address>& address(linux_board::LinuxBoard& b, const Instance& in, bool v4) {
    const auto& i = b.by_ip(in.numbers[0]);
    for (const auto& a : v4 ? i.ipv4 : i.ipv6)
        if (a.first == linux_board::last(in)) return a;
    b.fail("Device.IP.Interface." + std::to_string(i.ip_number) + (v4 ? ".IPv4Address." : ".IPv6Address.") +
               std::to_string(linux_board::last(in)),
           "the address is gone");
}

std::vector<std::uint32_t> numbers(const std::vector<std::pair<std::uint32_t, linux_board::Address>>& v) {
    std::vector<std::uint32_t> out;
    for (const auto& a : v) out.push_back(a.first);
    std::sort(out.begin(), out.end());
    return out;
}

dm::DateTime lifetime(std::uint32_t seconds) {
    if (seconds == UINT32_MAX) return dm::DateTime{kInfinite};
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return dm::DateTime{std::chrono::duration_cast<std::chrono::seconds>(now).count() + seconds};
}

}  // namespace

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<IP_Interface>) {
    std::vector<std::uint32_t> out;
    for (const auto& i : linux_board::board(ctx).interfaces()) out.push_back(i.ip_number);
    std::sort(out.begin(), out.end());
    return out;
}

IP_Interface read(Context& ctx, const Instance& in, Tag<IP_Interface>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const auto& i = b.by_ip(linux_board::last(in));
    const bool loopback = (i.link.flags & IFF_LOOPBACK) != 0;
    std::vector<std::string> lower;
    if (i.eth_number != 0) lower.push_back("Device.Ethernet.Link." + std::to_string(i.eth_number));
    return {
        .Enable = (i.link.flags & IFF_UP) != 0,
        .LastChange = linux_board::last_change(b, i),
        .Loopback = loopback,
        .LowerLayers = lower,
        // TR-181 stops at 65535; the loopback's 65536 reads as that maximum.
        .MaxMTUSize = std::min<std::uint32_t>(i.link.mtu, 65535),
        .Name = i.link.name,
        .Status = linux_board::interface_status<IP_Interface::StatusValue>(i.link),
        .Type = loopback ? IP_Interface::TypeValue::Loopback : IP_Interface::TypeValue::Normal,
    };
}

// Enable sets the device administratively up or down.
Fault write(Context& ctx, const Instance& in, const IP_Interface::Changes& changes) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    if (!changes.Enable) return Fault::None;
    const auto& i = b.by_ip(linux_board::last(in));
    return b.set_enable(i, *changes.Enable) == 0 ? Fault::None : Fault::InternalError;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<IP_Interface_IPv4Address>) {
    return numbers(linux_board::board(ctx).by_ip(parent.numbers[0]).ipv4);
}

IP_Interface_IPv4Address read(Context& ctx, const Instance& in, Tag<IP_Interface_IPv4Address>) {
    const auto& [n, a] = address(linux_board::board(ctx), in, true);
    const std::uint32_t bits = a.prefix_length >= 32 ? 0xffffffffu : a.prefix_length == 0 ? 0 : ~(0xffffffffu >> a.prefix_length);
    const std::string mask = std::to_string(bits >> 24) + "." + std::to_string((bits >> 16) & 255) + "." +
                             std::to_string((bits >> 8) & 255) + "." + std::to_string(bits & 255);
    return {.IPAddress = a.address, .Status = IP_Interface_IPv4Address::StatusValue::Enabled, .SubnetMask = mask};
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent, Tag<IP_Interface_IPv6Address>) {
    return numbers(linux_board::board(ctx).by_ip(parent.numbers[0]).ipv6);
}

IP_Interface_IPv6Address read(Context& ctx, const Instance& in, Tag<IP_Interface_IPv6Address>) {
    const auto& [n, a] = address(linux_board::board(ctx), in, false);
    using S = IP_Interface_IPv6Address::IPAddressStatusValue;
    const S status = (a.flags & IFA_F_DADFAILED)    ? S::Duplicate
                     : (a.flags & IFA_F_TENTATIVE)  ? S::Tentative
                     : (a.flags & IFA_F_OPTIMISTIC) ? S::Optimistic
                     : (a.flags & IFA_F_DEPRECATED) ? S::Deprecated
                                                    : S::Preferred;
    return {
        .IPAddress = a.address,
        .IPAddressStatus = status,
        .PreferredLifetime = lifetime(a.preferred),
        .Status = IP_Interface_IPv6Address::StatusValue::Enabled,
        .ValidLifetime = lifetime(a.valid),
    };
}

IP_Interface_Stats read(Context& ctx, const Instance& in, Tag<IP_Interface_Stats>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    return linux_board::interface_stats<IP_Interface_Stats>(b.stats(b.by_ip(in.numbers[0])));
}

}  // namespace cwmp::platform
