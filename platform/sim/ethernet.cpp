// Device.Ethernet.: the box's one gigabit port (eth0) and its link, with traffic that grows.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/platform/ethernet.h"

namespace cwmp::platform {

using model::Ethernet;
using model::Ethernet_Interface;
using model::Ethernet_Interface_Stats;
using model::Ethernet_Link;
using model::Ethernet_Link_Stats;

namespace {

const char* const kInterfaceTemplate = "Device.Ethernet.Interface.{i}.";
const char* const kLinkTemplate = "Device.Ethernet.Link.{i}.";
const std::string kMAC = "00:00:5E:00:53:10";  // RFC 7042 documentation range
constexpr std::uint32_t kLinkUpAt = 3;          // seconds after boot the PHY negotiates

// IANAifMauTypeListBits: 10BASE-T half/full, 100BASE-TX half/full, 1000BASE-T full.
const std::vector<std::uint32_t> kSupportedModes{10, 11, 15, 16, 30};

// Per-second rates of the port; the link sees the same frames without the PHY's errors.
struct Rates {
    std::uint64_t bytes_in, bytes_out;
    std::uint64_t unicast_in, unicast_out, multicast_in, multicast_out, broadcast_in, broadcast_out;
};
constexpr Rates kTraffic{1290000, 41500, 960, 310, 3, 1, 2, 1};

// What a counter has grown to since boot, or since the ACS last reset the
// Stats object at `stats` (uptime kept under "ResetAt").
std::uint64_t since_reset(const sim::SimBoard& b, const std::string& stats, std::uint64_t per_second,
                          std::uint32_t n) {
    return b.counter(per_second, n) - per_second * b.setting<std::uint32_t>(stats + "ResetAt", 0);
}

// The frames counted so far; packets are the sum of their kinds.
struct Counters {
    std::uint64_t bytes_in, bytes_out;
    std::uint64_t unicast_in, unicast_out, multicast_in, multicast_out, broadcast_in, broadcast_out;
    std::uint64_t packets_in() const { return unicast_in + multicast_in + broadcast_in; }
    std::uint64_t packets_out() const { return unicast_out + multicast_out + broadcast_out; }
};
Counters counted(const sim::SimBoard& b, const std::string& stats, std::uint32_t n) {
    const Rates& r = kTraffic;
    return {since_reset(b, stats, r.bytes_in, n),     since_reset(b, stats, r.bytes_out, n),
            since_reset(b, stats, r.unicast_in, n),   since_reset(b, stats, r.unicast_out, n),
            since_reset(b, stats, r.multicast_in, n), since_reset(b, stats, r.multicast_out, n),
            since_reset(b, stats, r.broadcast_in, n), since_reset(b, stats, r.broadcast_out, n)};
}

// Rare events (errors, discards): one every `seconds`.
std::uint32_t rare(const sim::SimBoard& b, const std::string& stats, std::uint32_t seconds, std::uint32_t n) {
    return static_cast<std::uint32_t>(since_reset(b, stats, 1, n) / seconds);
}

std::uint32_t since_up(const sim::SimBoard& b) { return b.uptime() > kLinkUpAt ? b.uptime() - kLinkUpAt : 0; }

// The port is up once enabled and negotiated.
bool port_up(const sim::SimBoard& b, const std::string& path) {
    return b.setting(path + "Enable", true) && b.uptime() >= kLinkUpAt;
}

Fault reset_stats(sim::SimBoard& b, const std::string& stats, const std::optional<bool>& reset) {
    if (reset && *reset) b.store(stats + "ResetAt", b.uptime());
    return Fault::None;
}

}  // namespace

Ethernet read(Context&, const Instance&, Tag<Ethernet>) {
    return {.FlowControlSupported = true, .WoLSupported = true};
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<Ethernet_Interface>) { return sim::numbered(1); }

Ethernet_Interface read(Context& ctx, const Instance& in, Tag<Ethernet_Interface>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kInterfaceTemplate, in);
    const bool enabled = b.setting(path + "Enable", true);
    const bool up = port_up(b, path);
    const auto duplex = b.setting(path + "DuplexMode", Ethernet_Interface::DuplexModeValue::Auto);
    const std::int32_t max_rate = b.setting<std::int32_t>(path + "MaxBitRate", -1);
    const bool eee = b.setting(path + "EEEEnable", true);
    const bool edpd = b.setting(path + "EDPDEnable", false);
    // The partner (the home gateway's switch) does gigabit; a cap slows the link.
    const std::uint32_t rate = max_rate < 0 || max_rate >= 1000 ? 1000 : max_rate >= 100 ? 100 : 10;
    return {
        .AdvertisedLinkModes = b.setting(path + "AdvertisedLinkModes", kSupportedModes),
        .Alias = b.setting<std::string>(path + "Alias", "cpe-eth0"),
        .CurrentBitRate = up ? rate : 0,
        .CurrentDuplexMode = !up ? Ethernet_Interface::CurrentDuplexModeValue::Unknown
                             : duplex == Ethernet_Interface::DuplexModeValue::Half
                                 ? Ethernet_Interface::CurrentDuplexModeValue::Half
                                 : Ethernet_Interface::CurrentDuplexModeValue::Full,
        .CurrentMDIX = up ? Ethernet_Interface::CurrentMDIXValue::Off : Ethernet_Interface::CurrentMDIXValue::Unknown,
        .DuplexMode = duplex,
        .EDPDCapability = true,
        .EDPDEnable = edpd,
        .EDPDStatus = edpd ? Ethernet_Interface::EDPDStatusValue::Enabled
                           : Ethernet_Interface::EDPDStatusValue::Disabled,
        .EEECapability = true,
        .EEEEnable = eee,
        .EEEStatus = !eee ? Ethernet_Interface::EEEStatusValue::Disabled
                     : up ? Ethernet_Interface::EEEStatusValue::Active
                          : Ethernet_Interface::EEEStatusValue::Inactive,
        .Enable = enabled,
        .LastChange = since_up(b),
        .LinkPartnerAdvertisedLinkModes = std::vector<std::uint32_t>{11, 16, 30},
        .LowerLayers = b.setting(path + "LowerLayers", std::vector<std::string>{}),
        .MACAddress = kMAC,
        .MDIX = b.setting(path + "MDIX", Ethernet_Interface::MDIXValue::Auto),
        .MaxBitRate = max_rate,
        .Name = "eth0",
        .SFPReferenceList = std::vector<std::string>{},
        .Status = up ? Ethernet_Interface::StatusValue::Up : Ethernet_Interface::StatusValue::Down,
        .SupportedLinkModes = kSupportedModes,
        .Upstream = true,  // not a gateway: every interface faces upstream
    };
}

Fault write(Context& ctx, const Instance& in, const Ethernet_Interface::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kInterfaceTemplate, in);
    b.store_changes(path, changes);
    return Fault::None;
}

Ethernet_Interface_Stats read(Context& ctx, const Instance& in, Tag<Ethernet_Interface_Stats>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string s = sim::instance_path(kInterfaceTemplate, in) + "Stats.";
    const Counters c = counted(b, s, n);
    return {
        .BroadcastPacketsReceived = c.broadcast_in,
        .BroadcastPacketsSent = c.broadcast_out,
        .BytesReceived = c.bytes_in,
        .BytesSent = c.bytes_out,
        .Collisions = 0,  // full duplex
        .DiscardPacketsReceived = rare(b, s, 900, n),
        .DiscardPacketsSent = 0,
        .ErrorsReceived = rare(b, s, 3600, n),
        .ErrorsSent = 0,
        .MulticastPacketsReceived = c.multicast_in,
        .MulticastPacketsSent = c.multicast_out,
        .PacketsReceived = c.packets_in(),
        .PacketsSent = c.packets_out(),
        .Reset = false,  // a command: reads false
        .UnicastPacketsReceived = c.unicast_in,
        .UnicastPacketsSent = c.unicast_out,
        .UnknownProtoPacketsReceived = rare(b, s, 600, n),
    };
}

Fault write(Context& ctx, const Instance& in, const Ethernet_Interface_Stats::Changes& changes) {
    return reset_stats(sim::board(ctx), sim::instance_path(kInterfaceTemplate, in) + "Stats.", changes.Reset);
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<Ethernet_Link>) { return sim::numbered(1); }

Ethernet_Link read(Context& ctx, const Instance& in, Tag<Ethernet_Link>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kLinkTemplate, in);
    const bool enabled = b.setting(path + "Enable", true);
    const auto lower = b.setting(path + "LowerLayers",
                                 std::vector<std::string>{"Device.Ethernet.Interface." + std::to_string(n)});
    const bool lower_up = port_up(b, "Device.Ethernet.Interface." + std::to_string(n) + ".");
    using S = Ethernet_Link::StatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-link-" + std::to_string(n)),
        .Enable = enabled,
        .FlowControl = b.setting(path + "FlowControl", false),
        .LastChange = since_up(b),
        .LowerLayers = lower,
        .MACAddress = b.setting<std::string>(path + "MACAddress", kMAC),
        .MTU = b.setting<std::uint32_t>(path + "MTU", 1500),
        .Name = "eth0",
        .NoARP = b.setting(path + "NoARP", false),
        .PriorityTagging = b.setting(path + "PriorityTagging", false),
        .Status = !enabled ? S::Down : lower_up ? S::Up : S::LowerLayerDown,
    };
}

Fault write(Context& ctx, const Instance& in, const Ethernet_Link::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kLinkTemplate, in);
    b.store_changes(path, changes);
    return Fault::None;
}

Ethernet_Link_Stats read(Context& ctx, const Instance& in, Tag<Ethernet_Link_Stats>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string s = sim::instance_path(kLinkTemplate, in) + "Stats.";
    const Counters c = counted(b, s, n);
    return {
        .BroadcastPacketsReceived = c.broadcast_in,
        .BroadcastPacketsSent = c.broadcast_out,
        .BytesReceived = c.bytes_in,
        .BytesSent = c.bytes_out,
        .DiscardPacketsReceived = rare(b, s, 900, n),
        .DiscardPacketsSent = 0,
        .ErrorsReceived = 0,
        .ErrorsSent = 0,
        .MulticastPacketsReceived = c.multicast_in,
        .MulticastPacketsSent = c.multicast_out,
        .PacketsReceived = c.packets_in(),
        .PacketsSent = c.packets_out(),
        // The gateway's switch pauses the box now and then at peak rate.
        .PausePacketsReceived = since_reset(b, s, 1, n) / 120,
        .PausePacketsSent = 0,
        .Reset = false,  // a command: reads false
        .UnicastPacketsReceived = c.unicast_in,
        .UnicastPacketsSent = c.unicast_out,
        .UnknownProtoPacketsReceived = rare(b, s, 600, n),
    };
}

Fault write(Context& ctx, const Instance& in, const Ethernet_Link_Stats::Changes& changes) {
    return reset_stats(sim::board(ctx), sim::instance_path(kLinkTemplate, in) + "Stats.", changes.Reset);
}

}  // namespace cwmp::platform
