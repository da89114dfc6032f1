// Device.Ethernet.: the box's one gigabit port (eth0) and its link, with traffic that grows.
// The port and its traffic are the world's (net_world.h); this file only translates them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "board.h"
#include "net_world.h"
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

namespace world = sim::net;

Fault reset_stats(sim::SimBoard& b, const std::string& stats, const std::optional<bool>& reset) {
    if (reset && *reset) world::reset_traffic(b, stats);
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
    const bool up = world::port_up(b, path);
    const auto duplex = b.setting(path + "DuplexMode", Ethernet_Interface::DuplexModeValue::Auto);
    const std::int32_t max_rate = b.setting<std::int32_t>(path + "MaxBitRate", -1);
    const bool eee = b.setting(path + "EEEEnable", true);
    const bool edpd = b.setting(path + "EDPDEnable", false);
    return {
        .AdvertisedLinkModes = b.setting(path + "AdvertisedLinkModes", world::kSupportedModes),
        .Alias = b.setting<std::string>(path + "Alias", "cpe-eth0"),
        .CurrentBitRate = up ? world::bit_rate(max_rate) : 0,
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
        .LastChange = world::since_link_up(b),
        .LinkPartnerAdvertisedLinkModes = world::kPartnerModes,
        .LowerLayers = b.setting(path + "LowerLayers", std::vector<std::string>{}),
        .MACAddress = kMAC,
        .MDIX = b.setting(path + "MDIX", Ethernet_Interface::MDIXValue::Auto),
        .MaxBitRate = max_rate,
        .Name = "eth0",
        .SFPReferenceList = std::vector<std::string>{},
        .Status = up ? Ethernet_Interface::StatusValue::Up : Ethernet_Interface::StatusValue::Down,
        .SupportedLinkModes = world::kSupportedModes,
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
    const std::string s = sim::instance_path(kInterfaceTemplate, in) + "Stats.";
    const world::Frames c = world::frames(b, sim::last(in), s);
    return {
        .BroadcastPacketsReceived = c.broadcast_in,
        .BroadcastPacketsSent = c.broadcast_out,
        .BytesReceived = c.bytes_in,
        .BytesSent = c.bytes_out,
        .Collisions = 0,  // full duplex
        .DiscardPacketsReceived = c.discarded_in,
        .DiscardPacketsSent = 0,
        .ErrorsReceived = c.errors_in,
        .ErrorsSent = 0,
        .MulticastPacketsReceived = c.multicast_in,
        .MulticastPacketsSent = c.multicast_out,
        .PacketsReceived = c.unicast_in + c.multicast_in + c.broadcast_in,
        .PacketsSent = c.unicast_out + c.multicast_out + c.broadcast_out,
        .Reset = false,  // a command: reads false
        .UnicastPacketsReceived = c.unicast_in,
        .UnicastPacketsSent = c.unicast_out,
        .UnknownProtoPacketsReceived = c.unknown_proto_in,
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
    const bool lower_up = world::port_up(b, "Device.Ethernet.Interface." + std::to_string(n) + ".");
    using S = Ethernet_Link::StatusValue;
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-link-" + std::to_string(n)),
        .Enable = enabled,
        .FlowControl = b.setting(path + "FlowControl", false),
        .LastChange = world::since_link_up(b),
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
    const std::string s = sim::instance_path(kLinkTemplate, in) + "Stats.";
    const world::Frames c = world::frames(b, sim::last(in), s);
    return {
        .BroadcastPacketsReceived = c.broadcast_in,
        .BroadcastPacketsSent = c.broadcast_out,
        .BytesReceived = c.bytes_in,
        .BytesSent = c.bytes_out,
        .DiscardPacketsReceived = c.discarded_in,
        .DiscardPacketsSent = 0,
        .ErrorsReceived = 0,
        .ErrorsSent = 0,
        .MulticastPacketsReceived = c.multicast_in,
        .MulticastPacketsSent = c.multicast_out,
        .PacketsReceived = c.unicast_in + c.multicast_in + c.broadcast_in,
        .PacketsSent = c.unicast_out + c.multicast_out + c.broadcast_out,
        .PausePacketsReceived = c.pause_in,
        .PausePacketsSent = 0,
        .Reset = false,  // a command: reads false
        .UnicastPacketsReceived = c.unicast_in,
        .UnicastPacketsSent = c.unicast_out,
        .UnknownProtoPacketsReceived = c.unknown_proto_in,
    };
}

Fault write(Context& ctx, const Instance& in, const Ethernet_Link_Stats::Changes& changes) {
    return reset_stats(sim::board(ctx), sim::instance_path(kLinkTemplate, in) + "Stats.", changes.Reset);
}

}  // namespace cwmp::platform
