// Interface status and LastChange as TR-181 states them, from a link's flags
// and operational state (RFC 2863, as the kernel reports it).
#pragma once

#include <linux/if.h>

#include "board.h"

namespace cwmp::linux_board {

// Up, Down, ... in the order every generated StatusValue of an interface uses.
template <class S>
S interface_status(const Link& l) {
    if (!(l.flags & IFF_UP)) return S::Down;
    switch (l.operstate) {
    case IF_OPER_UP: return S::Up;
    case IF_OPER_DORMANT: return S::Dormant;
    case IF_OPER_NOTPRESENT: return S::NotPresent;
    case IF_OPER_LOWERLAYERDOWN: return S::LowerLayerDown;
    case IF_OPER_DOWN: return S::Down;
    case IF_OPER_TESTING: return S::Unknown;
    default:  // IF_OPER_UNKNOWN (loopback, some tunnels): the carrier tells
        return (l.flags & IFF_LOWER_UP) ? S::Up : S::Down;
    }
}

inline std::uint32_t last_change(LinuxBoard& b, const LinuxBoard::Iface& i) {
    const std::int64_t s = b.steady_seconds() - i.last_change;
    return s < 0 ? 0 : static_cast<std::uint32_t>(s);
}

inline std::uint32_t wrap32(std::uint64_t v) { return static_cast<std::uint32_t>(v); }  // TR-181 counters wrap

// An interface's Stats object (Ethernet and IP name the same counters) from
// the kernel's link counters.
template <class Stats>
Stats interface_stats(const LinkStats& s) {
    return {
        .BytesReceived = s.rx_bytes,
        .BytesSent = s.tx_bytes,
        .DiscardPacketsReceived = wrap32(s.rx_dropped),
        .DiscardPacketsSent = wrap32(s.tx_dropped),
        .ErrorsReceived = wrap32(s.rx_errors),
        .ErrorsSent = wrap32(s.tx_errors),
        .MulticastPacketsReceived = s.multicast,
        .PacketsReceived = s.rx_packets,
        .PacketsSent = s.tx_packets,
    };
}

}  // namespace cwmp::linux_board
