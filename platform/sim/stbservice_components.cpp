// Device.Services.STBService.{i}.Components.: the bindings of the front
// ends, decoders, outputs, CA and DRM to the simulated world (tv_frontends.h:
// FrontEnd 1 the DVB-T tuner, FrontEnd 2 the IPTV front end; tv_decoders.h:
// the decoders; tv_outputs.h: the audio and video outputs, HDMI and the TV
// on its cable).  Each function translates: it asks the
// world and fills the generated object, or hands the ACS's values to the
// world, which refuses what it cannot do.
//
// The profile gives every FrontEnd both a DVBT. and an IP. subtree; each
// front end reports the other kind's as idle (no service, disabled, empty),
// except that the IP front end's DVBT.Modulation.Locked is its board lock.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "board.h"
#include "cwmp/platform/stbservice.h"
#include "tv_decoders.h"
#include "tv_frontends.h"
#include "tv_outputs.h"
#include "wire.h"

namespace cwmp::platform {

using model::STBService_Capabilities_AudioDecoder;
using model::STBService_Capabilities_AudioOutput;
using model::STBService_Capabilities_HDMI;
using model::STBService_Capabilities_VideoOutput;
using model::STBService_Components_AudioDecoder;
using model::STBService_Components_AudioOutput;
using model::STBService_Components_CA;
using model::STBService_Components_DRM;
using model::STBService_Components_FrontEnd;
using model::STBService_Components_FrontEnd_DVBT_Install;
using model::STBService_Components_FrontEnd_DVBT_LogicalChannelConnect;
using model::STBService_Components_FrontEnd_DVBT_Modulation;
using model::STBService_Components_FrontEnd_DVBT_Service;
using model::STBService_Components_FrontEnd_DVBT_ServiceConnect;
using model::STBService_Components_FrontEnd_DVBT_ServiceListDatabase;
using model::STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel;
using model::STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service;
using model::STBService_Components_FrontEnd_IP;
using model::STBService_Components_FrontEnd_IP_Dejittering;
using model::STBService_Components_FrontEnd_IP_FEC;
using model::STBService_Components_FrontEnd_IP_ForceMonitor;
using model::STBService_Components_FrontEnd_IP_IGMP;
using model::STBService_Components_FrontEnd_IP_IGMP_ClientGroup;
using model::STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats;
using model::STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_CurrentDay;
using model::STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_QuarterHour;
using model::STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_Total;
using model::STBService_Components_FrontEnd_IP_Inbound;
using model::STBService_Components_FrontEnd_IP_Outbound;
using model::STBService_Components_FrontEnd_IP_RTCP;
using model::STBService_Components_FrontEnd_IP_RTPAVPF;
using model::STBService_Components_FrontEnd_IP_ServiceConnect;
using model::STBService_Components_HDMI;
using model::STBService_Components_HDMI_DisplayDevice;
using model::STBService_Components_VideoDecoder;
using model::STBService_Components_VideoOutput;

namespace {

namespace tv = sim::tv;

// --- Paths, settings and names ------------------------------------------------

const std::string kComponents = "Device.Services.STBService.{i}.Components.";
const std::string kFrontEnd = kComponents + "FrontEnd.{i}.";
const std::string kDVBT = kFrontEnd + "DVBT.";
const std::string kDatabase = kDVBT + "ServiceListDatabase.";
const std::string kLogicalChannel = kDatabase + "LogicalChannel.{i}.";
const std::string kChannelService = kLogicalChannel + "Service.{i}.";
const std::string kIP = kFrontEnd + "IP.";
const std::string kIGMP = kIP + "IGMP.";

// The STBService.{i}. an instance is in, for full-path cross references.
std::string stb_path(const Instance& in, std::string_view rest) {
    return sim::instance_path("Device.Services.STBService.{i}.", in) + std::string(rest);
}

// The world's front end of an instance below FrontEnd.{i}.
tv::FrontEnd frontend(const sim::SimBoard& b, const Instance& in) {
    return tv::FrontEnd(b, in.numbers[1], sim::instance_path(kFrontEnd, in));
}
bool terrestrial(const Instance& in) { return in.numbers.size() > 1 && in.numbers[1] == tv::FrontEnd::kTerrestrial; }

std::string alias(const sim::SimBoard& b, std::string_view path, std::string_view stem, std::uint32_t n) {
    std::string fallback = "cpe-" + std::string(stem) + "-" + std::to_string(n);
    return b.setting<std::string>(std::string(path) + "Alias", std::move(fallback));
}

// The same for an instance of `path_template`, building no key while nothing was written.
std::string alias(const sim::SimBoard& b, std::string_view path_template, const Instance& in, std::string_view stem) {
    std::string fallback = "cpe-" + std::string(stem) + "-" + std::to_string(sim::last(in));
    return b.setting<std::string>(path_template, in, "Alias", std::move(fallback));
}

// Enumerations are kept in their wire form (the board's setting/store format
// through cwmp::dm, which cannot see the generated enums' format/parse).
template <class E>
std::string name(E value) {
    std::string wire;
    format(wire, value);
    return wire;
}
template <class E>
E setting_enum(const sim::SimBoard& b, const std::string& key, E fallback) {
    E value = fallback;
    return parse(b.setting<std::string>(key, ""), value) == Fault::None ? value : fallback;
}
template <class E>
void store_enum(sim::SimBoard& b, const std::string& key, E value) {
    b.store(key, name(value));
}

template <class T>
bool in_range(T v, T lo, T hi) {
    return v >= lo && v <= hi;
}

// The world's error-correction state as FEC's and RTP/AVPF's ECOperationStatus.
template <class E>
E correction(tv::Correction c) {
    switch (c) {
        case tv::Correction::Disabled: return E::Disabled;
        case tv::Correction::Forced: return E::Forced_mode_EC_On;
        case tv::Correction::AutoOn: return E::Auto_mode_EC_On;
        case tv::Correction::AutoOff: break;
    }
    return E::Auto_mode_EC_Off_with_buffering;
}

}  // namespace

// === FrontEnd ===================================================================

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_FrontEnd>) {
    return sim::numbered(tv::FrontEnd::kCount);
}

STBService_Components_FrontEnd read(Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd>) {
    const sim::SimBoard& b = sim::board(ctx);
    const bool enabled = frontend(b, in).enabled();
    return {
        .Alias = alias(b, sim::instance_path(kFrontEnd, in), "frontend", sim::last(in)),
        .Enable = enabled,
        .Name = std::string(frontend(b, in).name()),
        .Status = enabled ? STBService_Components_FrontEnd::StatusValue::Enabled
                          : STBService_Components_FrontEnd::StatusValue::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd::Changes& changes) {
    sim::board(ctx).store_changes(sim::instance_path(kFrontEnd, in), changes);
    return Fault::None;
}

// --- DVBT.Install ---------------------------------------------------------------

STBService_Components_FrontEnd_DVBT_Install read(Context& ctx, const Instance& in,
                                                 Tag<STBService_Components_FrontEnd_DVBT_Install>) {
    using Status = STBService_Components_FrontEnd_DVBT_Install::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::FrontEnd fe = frontend(b, in);
    const tv::Scan s = fe.scan();
    return {
        .Progress = s.progress,
        .Start = false,  // a trigger: always false when read
        .StartFrequency = b.setting(fe.install() + "StartFrequency", tv::kScanFrom),
        .Status = s.failed ? Status::Error : s.running ? Status::Enabled : Status::Disabled,
        .StopFrequency = b.setting(fe.install() + "StopFrequency", tv::kScanTo),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_DVBT_Install::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const tv::FrontEnd fe = frontend(b, in);
    if (changes.Start && !tv::start_scan(b, fe, *changes.Start)) return Fault::RequestDenied;
    if (changes.StartFrequency) b.store(fe.install() + "StartFrequency", *changes.StartFrequency);
    if (changes.StopFrequency) b.store(fe.install() + "StopFrequency", *changes.StopFrequency);
    return Fault::None;
}

// --- DVBT.LogicalChannelConnect, DVBT.ServiceConnect, DVBT.Service ---------------

STBService_Components_FrontEnd_DVBT_LogicalChannelConnect read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_DVBT_LogicalChannelConnect>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::optional<tv::Tuned> t = frontend(b, in).tuned();
    return {.LogicalChannelNumber = t ? tv::channel_at(b, t->channel).lcn : 0u};
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_LogicalChannelConnect::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.LogicalChannelNumber && !tv::connect_lcn(b, frontend(b, in), *changes.LogicalChannelNumber))
        return Fault::InvalidParameterValue;
    return Fault::None;
}

STBService_Components_FrontEnd_DVBT_ServiceConnect read(Context& ctx, const Instance& in,
                                                        Tag<STBService_Components_FrontEnd_DVBT_ServiceConnect>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::optional<tv::Tuned> t = frontend(b, in).tuned();
    if (!t) return {.DvbId = std::string()};
    return {.DvbId = std::string(tv::channel_at(b, t->channel).services.at(t->service).dvb_id.data())};
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_ServiceConnect::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.DvbId && !tv::connect_dvb_id(b, frontend(b, in), *changes.DvbId)) return Fault::InvalidParameterValue;
    return Fault::None;
}

STBService_Components_FrontEnd_DVBT_Service read(Context& ctx, const Instance& in,
                                                 Tag<STBService_Components_FrontEnd_DVBT_Service>) {
    const tv::FrontEnd fe = frontend(sim::board(ctx), in);
    const std::optional<tv::Tuned> t = fe.tuned();
    if (!t) return {.CurrentLogicalChannel = "", .CurrentService = ""};
    const std::string channel = fe.channel_key(t->channel);
    return {
        .CurrentLogicalChannel = channel.substr(0, channel.size() - 1),
        .CurrentService = channel + "Service." + std::to_string(t->service + 1),
    };
}

// --- DVBT.Modulation --------------------------------------------------------------

STBService_Components_FrontEnd_DVBT_Modulation read(Context& ctx, const Instance& in,
                                                    Tag<STBService_Components_FrontEnd_DVBT_Modulation>) {
    using M = STBService_Components_FrontEnd_DVBT_Modulation;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::FrontEnd fe = frontend(b, in);
    const std::string path = fe.modulation();
    const tv::Signal s = fe.signal();
    // UK DVB-T: 8 MHz, 64QAM, rate 2/3, 8k carriers, guard 1/32, not hierarchical.
    return {
        .BER = s.ber,
        .CBER = s.cber,
        .ChannelBandwidth = setting_enum(b, path + "ChannelBandwidth", M::ChannelBandwidthValue::_8MHz),
        .CodeRateHP = setting_enum(b, path + "CodeRateHP", M::CodeRateHPValue::_2_3),
        .CodeRateLP = setting_enum(b, path + "CodeRateLP", M::CodeRateLPValue::_0),
        .Constellation = setting_enum(b, path + "Constellation", M::ConstellationValue::_64QAM),
        .Frequency = fe.frequency(),
        .GuardInterval = setting_enum(b, path + "GuardInterval", M::GuardIntervalValue::_1_32),
        .HierarchicalInformation =
            setting_enum(b, path + "HierarchicalInformation", M::HierarchicalInformationValue::_0),
        .Locked = s.locked,
        .SNR = s.snr,
        .TransmissionMode = setting_enum(b, path + "TransmissionMode", M::TransmissionModeValue::_8k),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_DVBT_Modulation::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = frontend(b, in).modulation();
    if (changes.ChannelBandwidth) store_enum(b, path + "ChannelBandwidth", *changes.ChannelBandwidth);
    if (changes.CodeRateHP) store_enum(b, path + "CodeRateHP", *changes.CodeRateHP);
    if (changes.CodeRateLP) store_enum(b, path + "CodeRateLP", *changes.CodeRateLP);
    if (changes.Constellation) store_enum(b, path + "Constellation", *changes.Constellation);
    if (changes.Frequency) b.store(path + "Frequency", *changes.Frequency);
    if (changes.GuardInterval) store_enum(b, path + "GuardInterval", *changes.GuardInterval);
    if (changes.HierarchicalInformation)
        store_enum(b, path + "HierarchicalInformation", *changes.HierarchicalInformation);
    if (changes.TransmissionMode) store_enum(b, path + "TransmissionMode", *changes.TransmissionMode);
    return Fault::None;
}

// --- DVBT.ServiceListDatabase ------------------------------------------------------

STBService_Components_FrontEnd_DVBT_ServiceListDatabase read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase>) {
    const sim::SimBoard& b = sim::board(ctx);
    return {
        .Reset = false,  // a trigger: always false when read
        .TotalServices = frontend(b, in).populated() ? tv::total_services(b) : 0u,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_ServiceListDatabase::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.Reset && *changes.Reset) tv::reset_service_list(b, frontend(b, in));
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel>) {
    const sim::SimBoard& b = sim::board(ctx);
    if (!frontend(b, parent).populated()) return {};
    return sim::numbered(static_cast<std::uint32_t>(tv::channel_count(b)));
}

STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel>) {
    return {
        .Alias = alias(sim::board(ctx), kLogicalChannel, in, "channel"),
        .LogicalChannelNumber = tv::channel_at(sim::board(ctx), sim::last(in) - 1).lcn,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kLogicalChannel, in) + "Alias", *changes.Alias);
    return Fault::None;
}

std::vector<std::uint32_t> instances(
    Context& ctx, const Instance& parent,
    Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service>) {
    const sim::SimBoard& b = sim::board(ctx);
    if (!frontend(b, parent).populated()) return {};
    return sim::numbered(static_cast<std::uint32_t>(tv::channel_at(b, sim::last(parent) - 1).services.size()));
}

STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service read(
    Context& ctx, const Instance& in,
    Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::size_t channel = in.numbers[2] - 1;
    const std::uint32_t n = sim::last(in);
    const tv::ServiceInfo s = tv::channel_at(b, channel).services.at(n - 1);
    return {
        .Alias = alias(b, kChannelService, in, "service"),
        .BER = s.ber,
        .CBER = s.cber,
        .DvbId = std::string(s.dvb_id.data()),
        .Frequency = s.khz,
        .Name = std::string(s.name.data()),
        .Preferred = frontend(b, in).preferred(channel) == n - 1,
        .SNR = s.snr,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.Alias) b.store(sim::instance_path(kChannelService, in) + "Alias", *changes.Alias);
    if (changes.Preferred) tv::prefer(b, frontend(b, in), in.numbers[2] - 1, sim::last(in), *changes.Preferred);
    return Fault::None;
}

// --- IP -----------------------------------------------------------------------------

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_IP_Inbound>) {
    return sim::numbered(frontend(sim::board(ctx), parent).inbound_count());
}

STBService_Components_FrontEnd_IP_Inbound read(Context& ctx, const Instance& in,
                                               Tag<STBService_Components_FrontEnd_IP_Inbound>) {
    using Status = STBService_Components_FrontEnd_IP_Inbound::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::IPStream s = frontend(b, in).inbound(sim::last(in));
    return {
        .Alias = alias(b, sim::instance_path(kIP + "Inbound.{i}.", in), "inbound", sim::last(in)),
        .DestinationAddress = s.destination_address,
        .DestinationPort = s.destination_port,
        .DownloadTransportProtocol = std::string(s.download),
        .MultiplexType = std::string(s.multiplex),
        .Name = std::string(s.name),
        .SourceAddress = s.source_address,
        .SourcePort = s.source_port,
        .Status = s.active ? Status::Enabled : Status::Disabled,
        .StreamingControlProtocol = std::string(s.control),
        .StreamingTransportControlProtocol = std::string(s.transport_control),
        .StreamingTransportProtocol = std::string(s.transport),
        .URI = s.uri,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_Inbound::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kIP + "Inbound.{i}.", in) + "Alias", *changes.Alias);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_IP_Outbound>) {
    return sim::numbered(frontend(sim::board(ctx), parent).outbound_count());
}

STBService_Components_FrontEnd_IP_Outbound read(Context& ctx, const Instance& in,
                                                Tag<STBService_Components_FrontEnd_IP_Outbound>) {
    using Status = STBService_Components_FrontEnd_IP_Outbound::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::IPStream s = frontend(b, in).outbound(sim::last(in));
    return {
        .Alias = alias(b, sim::instance_path(kIP + "Outbound.{i}.", in), "outbound", sim::last(in)),
        .MultiplexType = std::string(s.multiplex),
        .Name = std::string(s.name),
        .Status = s.active ? Status::Enabled : Status::Disabled,
        .URI = s.uri,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_Outbound::Changes& changes) {
    if (changes.Alias)
        sim::board(ctx).store(sim::instance_path(kIP + "Outbound.{i}.", in) + "Alias", *changes.Alias);
    return Fault::None;
}

STBService_Components_FrontEnd_IP read(Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP>) {
    const tv::FrontEnd fe = frontend(sim::board(ctx), in);
    return {.ActiveInboundIPStreams = fe.active_inbound(), .ActiveOutboundIPStreams = fe.active_outbound()};
}

STBService_Components_FrontEnd_IP_Dejittering read(Context& ctx, const Instance& in,
                                                   Tag<STBService_Components_FrontEnd_IP_Dejittering>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "Dejittering.", in);
    return {
        .BufferInitialLevel = b.setting(path + "BufferInitialLevel", 500u),
        .BufferSize = b.setting(path + "BufferSize", 1000u),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_Dejittering::Changes& changes) {
    sim::board(ctx).store_changes(sim::instance_path(kIP + "Dejittering.", in), changes);
    return Fault::None;
}

STBService_Components_FrontEnd_IP_FEC read(Context& ctx, const Instance& in,
                                          Tag<STBService_Components_FrontEnd_IP_FEC>) {
    using F = STBService_Components_FrontEnd_IP_FEC;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "FEC.", in);
    const bool enabled = frontend(b, in).ip_feature("FEC.");
    const F::OperationModeValue mode = setting_enum(b, path + "OperationMode", F::OperationModeValue::Auto);
    const tv::Correction c = tv::error_correction(b, enabled, mode == F::OperationModeValue::Forced, 0);
    return {
        .ECOperationStatus = correction<F::ECOperationStatusValue>(c),
        .Enable = enabled,
        .OperationMode = mode,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_FEC::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "FEC.", in);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.OperationMode) store_enum(b, path + "OperationMode", *changes.OperationMode);
    return Fault::None;
}

STBService_Components_FrontEnd_IP_ForceMonitor read(Context& ctx, const Instance& in,
                                                     Tag<STBService_Components_FrontEnd_IP_ForceMonitor>) {
    using Status = STBService_Components_FrontEnd_IP_ForceMonitor::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "ForceMonitor.", in);
    const bool enabled = b.setting(path + "Enable", false);
    return {
        .Enable = enabled,
        .Status = enabled ? Status::Force_Monitor : Status::Normal,
        .URI = b.setting<std::string>(path + "URI", ""),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_ForceMonitor::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "ForceMonitor.", in);
    b.store_changes(path, changes);
    return Fault::None;
}

STBService_Components_FrontEnd_IP_IGMP read(Context& ctx, const Instance& in,
                                            Tag<STBService_Components_FrontEnd_IP_IGMP>) {
    using I = STBService_Components_FrontEnd_IP_IGMP;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIGMP, in);
    const bool enabled = frontend(b, in).ip_feature("IGMP.");
    return {
        .ClientRobustness = b.setting(path + "ClientRobustness", 2u),  // RFC 3376 default
        .ClientUnsolicitedReportInterval = b.setting(path + "ClientUnsolicitedReportInterval", 1u),
        .ClientVersion = I::ClientVersionValue::v3,
        .DSCPMark = b.setting(path + "DSCPMark", 0u),
        .Enable = enabled,
        .EthernetPriorityMark = b.setting(path + "EthernetPriorityMark", -1),  // -1: not marked
        .LoggingEnable = b.setting(path + "LoggingEnable", false),
        .MaximumNumberOfConcurrentGroups = 2u,  // main picture and PiP
        .MaximumNumberOfTrackedGroups = 16u,
        .Status = enabled ? I::StatusValue::Enabled : I::StatusValue::Disabled,
        .VLANIDMark = b.setting(path + "VLANIDMark", -1),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_IGMP::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIGMP, in);
    if ((changes.ClientUnsolicitedReportInterval && !in_range(*changes.ClientUnsolicitedReportInterval, 1u, 25u)) ||
        (changes.DSCPMark && *changes.DSCPMark > 63) ||
        (changes.EthernetPriorityMark && *changes.EthernetPriorityMark < -1) ||
        (changes.VLANIDMark && *changes.VLANIDMark < -1))
        return Fault::InvalidParameterValue;
    if (changes.ClientRobustness) b.store(path + "ClientRobustness", *changes.ClientRobustness);
    if (changes.ClientUnsolicitedReportInterval)
        b.store(path + "ClientUnsolicitedReportInterval", *changes.ClientUnsolicitedReportInterval);
    if (changes.DSCPMark) b.store(path + "DSCPMark", *changes.DSCPMark);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.EthernetPriorityMark) b.store(path + "EthernetPriorityMark", *changes.EthernetPriorityMark);
    if (changes.LoggingEnable) b.store(path + "LoggingEnable", *changes.LoggingEnable);
    if (changes.VLANIDMark) b.store(path + "VLANIDMark", *changes.VLANIDMark);
    return Fault::None;
}

// The group live TV is on now, while IGMP is enabled.
std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroup>) {
    return frontend(sim::board(ctx), parent).ip_feature("IGMP.") ? sim::numbered(1) : std::vector<std::uint32_t>{};
}

STBService_Components_FrontEnd_IP_IGMP_ClientGroup read(Context& ctx, const Instance& in,
                                                        Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroup>) {
    const sim::SimBoard& b = sim::board(ctx);
    return {
        .Alias = alias(b, sim::instance_path(kIGMP + "ClientGroup.{i}.", in), "group", sim::last(in)),
        .GroupAddress = std::string(tv::kGroups.at(tv::live_group(b))),
        .UpTime = static_cast<std::uint32_t>(b.uptime() % tv::kZapSeconds),
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_IP_IGMP_ClientGroup::Changes& changes) {
    if (changes.Alias)
        sim::board(ctx).store(sim::instance_path(kIGMP + "ClientGroup.{i}.", in) + "Alias", *changes.Alias);
    return Fault::None;
}

// Statistics of every group live TV has joined since boot (row n: tv::kGroups[n - 1]).
std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats>) {
    if (terrestrial(parent)) return {};
    const std::uint32_t joined = std::min<std::uint32_t>(tv::zaps(sim::board(ctx)) + 1, tv::kGroups.size());
    return sim::numbered(joined);
}

namespace {

// The IGMP counts of a stats row's group over the last `seconds` of uptime.
tv::GroupCounts recent(const sim::SimBoard& b, const Instance& in, std::uint32_t seconds) {
    return tv::recent_group_counts(b, sim::last(in) - 1, seconds);
}

}  // namespace

STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    return {
        .Alias = alias(b, sim::instance_path(kIGMP + "ClientGroupStats.{i}.", in), "groupstats", n),
        .CurrentDayStart = tv::period_start(b, 86400),
        .GroupAddress = std::string(tv::kGroups.at(n - 1)),
        .QuarterHourStart = tv::period_start(b, 900),
        .TotalStart = b.uptime(),
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats::Changes& changes) {
    if (changes.Alias)
        sim::board(ctx).store(sim::instance_path(kIGMP + "ClientGroupStats.{i}.", in) + "Alias", *changes.Alias);
    return Fault::None;
}

STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_CurrentDay read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_CurrentDay>) {
    const sim::SimBoard& b = sim::board(ctx);
    const tv::GroupCounts c = recent(b, in, tv::period_start(b, 86400));
    return {.MaxJoinDelay = c.max_join_delay, .NumberOfJoins = c.joins, .NumberOfLeaves = c.leaves};
}

STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_QuarterHour read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_QuarterHour>) {
    const sim::SimBoard& b = sim::board(ctx);
    const tv::GroupCounts c = recent(b, in, tv::period_start(b, 900));
    return {.MaxJoinDelay = c.max_join_delay, .NumberOfJoins = c.joins, .NumberOfLeaves = c.leaves};
}

STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_Total read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_Total>) {
    const sim::SimBoard& b = sim::board(ctx);
    const tv::GroupCounts c = recent(b, in, b.uptime());
    return {.MaxJoinDelay = c.max_join_delay, .NumberOfJoins = c.joins, .NumberOfLeaves = c.leaves};
}

STBService_Components_FrontEnd_IP_RTCP read(Context& ctx, const Instance& in,
                                            Tag<STBService_Components_FrontEnd_IP_RTCP>) {
    using Status = STBService_Components_FrontEnd_IP_RTCP::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const bool enabled = frontend(b, in).ip_feature("RTCP.");
    return {
        .Enable = enabled,
        .Status = enabled ? Status::Enabled : Status::Disabled,
        .TxRepeatInterval = b.setting(sim::instance_path(kIP + "RTCP.", in) + "TxRepeatInterval", 5000u),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_RTCP::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "RTCP.", in);
    if (changes.TxRepeatInterval && *changes.TxRepeatInterval < 1) return Fault::InvalidParameterValue;
    b.store_changes(path, changes);
    return Fault::None;
}

STBService_Components_FrontEnd_IP_RTPAVPF read(Context& ctx, const Instance& in,
                                               Tag<STBService_Components_FrontEnd_IP_RTPAVPF>) {
    using R = STBService_Components_FrontEnd_IP_RTPAVPF;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "RTPAVPF.", in);
    const bool enabled = frontend(b, in).ip_feature("RTPAVPF.");
    const R::OperationModeValue mode = setting_enum(b, path + "OperationMode", R::OperationModeValue::Auto);
    return {
        .ECOperationStatus = correction<R::ECOperationStatusValue>(
            tv::error_correction(b, enabled, mode == R::OperationModeValue::Forced, 1)),
        .Enable = enabled,
        .MaxLossBurst = b.setting(path + "MaxLossBurst", 64u),
        .MaxReportTime = b.setting(path + "MaxReportTime", 30u),
        .MinLossPackets = b.setting(path + "MinLossPackets", 1u),
        .OperationMode = mode,
        .RetransmitTimeout = b.setting(path + "RetransmitTimeout", 150u),
        .Status = enabled ? R::StatusValue::Enabled : R::StatusValue::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_RTPAVPF::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "RTPAVPF.", in);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.MaxLossBurst) b.store(path + "MaxLossBurst", *changes.MaxLossBurst);
    if (changes.MaxReportTime) b.store(path + "MaxReportTime", *changes.MaxReportTime);
    if (changes.MinLossPackets) b.store(path + "MinLossPackets", *changes.MinLossPackets);
    if (changes.OperationMode) store_enum(b, path + "OperationMode", *changes.OperationMode);
    if (changes.RetransmitTimeout) b.store(path + "RetransmitTimeout", *changes.RetransmitTimeout);
    return Fault::None;
}

STBService_Components_FrontEnd_IP_ServiceConnect read(Context& ctx, const Instance& in,
                                                      Tag<STBService_Components_FrontEnd_IP_ServiceConnect>) {
    return {.URI = frontend(sim::board(ctx), in).service_uri()};
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_IP_ServiceConnect::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.URI) tv::connect_service(b, frontend(b, in), *changes.URI);
    return Fault::None;
}

// === Decoders ====================================================================

namespace {

const std::string kAudioDecoder = kComponents + "AudioDecoder.{i}.";
const std::string kVideoDecoder = kComponents + "VideoDecoder.{i}.";

tv::AudioDecoder audio_decoder(const sim::SimBoard& b, const Instance& in) {
    return tv::AudioDecoder(b, sim::last(in), sim::instance_path(kAudioDecoder, in));
}
tv::VideoDecoder video_decoder(const sim::SimBoard& b, const Instance& in) {
    return tv::VideoDecoder(b, sim::last(in), sim::instance_path(kVideoDecoder, in));
}

}  // namespace

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_AudioDecoder>) {
    return sim::numbered(tv::kAudioDecoders);
}

STBService_Components_AudioDecoder read(Context& ctx, const Instance& in, Tag<STBService_Components_AudioDecoder>) {
    using Status = STBService_Components_AudioDecoder::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::AudioDecoder d = audio_decoder(b, in);
    return {
        .Alias = alias(b, sim::instance_path(kAudioDecoder, in), "audiodecoder", sim::last(in)),
        .AudioStandard = std::string(d.standard()),
        .Enable = d.enabled(),
        .Name = std::string(d.name()),
        .Status = d.enabled() ? Status::Enabled : Status::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_AudioDecoder::Changes& changes) {
    sim::board(ctx).store_changes(sim::instance_path(kAudioDecoder, in), changes);  // Alias, Enable
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_VideoDecoder>) {
    return sim::numbered(tv::kVideoDecoders);
}

STBService_Components_VideoDecoder read(Context& ctx, const Instance& in, Tag<STBService_Components_VideoDecoder>) {
    using V = STBService_Components_VideoDecoder;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::VideoDecoder d = video_decoder(b, in);
    const std::optional<tv::VideoDecoding> decoding = d.decoding();
    // The ProfileLevel row of the standard being decoded; "" for the others.
    const auto profile_level = [&](std::string_view standard) {
        if (!decoding || decoding->standard != standard) return std::string();
        return stb_path(in, "Capabilities.VideoDecoder.") + std::string(standard) + ".ProfileLevel." +
               std::to_string(decoding->profile_level);
    };
    return {
        .Alias = alias(b, sim::instance_path(kVideoDecoder, in), "videodecoder", sim::last(in)),
        .ContentAspectRatio = sim::enum_of<V::ContentAspectRatioValue>(d.content_aspect_ratio()),
        .Enable = d.enabled(),
        .MPEG2Part2 = profile_level("MPEG2Part2"),
        .MPEG4Part10 = profile_level("MPEG4Part10"),
        .MPEG4Part2 = profile_level("MPEG4Part2"),
        .Name = std::string(d.name()),
        .SMPTEVC1 = profile_level("SMPTEVC1"),
        .Status = d.enabled() ? V::StatusValue::Enabled : V::StatusValue::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_VideoDecoder::Changes& changes) {
    sim::board(ctx).store_changes(sim::instance_path(kVideoDecoder, in), changes);  // Alias, Enable
    return Fault::None;
}

// === Outputs =====================================================================

namespace {

const std::string kAudioOutput = kComponents + "AudioOutput.{i}.";
const std::string kVideoOutput = kComponents + "VideoOutput.{i}.";
const std::string kHDMI = kComponents + "HDMI.{i}.";

tv::AudioOutput audio_output(const sim::SimBoard& b, const Instance& in) {
    return tv::AudioOutput(b, sim::last(in), sim::instance_path(kAudioOutput, in));
}
tv::VideoOutput video_output(const sim::SimBoard& b, const Instance& in) {
    return tv::VideoOutput(b, sim::last(in), sim::instance_path(kVideoOutput, in));
}
tv::HDMI hdmi(const sim::SimBoard& b, const Instance& in) {
    return tv::HDMI(b, sim::last(in), sim::instance_path(kHDMI, in));
}

std::vector<std::string> strings(std::span<const std::string_view> values) {
    return {values.begin(), values.end()};
}

}  // namespace

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_AudioOutput>) {
    return sim::numbered(tv::kAudioOutputs);
}

STBService_Components_AudioOutput read(Context& ctx, const Instance& in, Tag<STBService_Components_AudioOutput>) {
    using Status = STBService_Components_AudioOutput::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::AudioOutput out = audio_output(b, in);
    return {
        .Alias = alias(b, out.key(), "audiooutput", sim::last(in)),
        .AudioFormat = std::string(out.format()),
        .AudioLevel = out.level(),
        .CancelMute = false,  // a trigger: always false when read
        .Enable = out.enabled(),
        .Name = std::string(out.name()),
        .SCARTs = std::vector<std::string>{},  // no SCART connectors
        .Status = !out.enabled() ? Status::Disabled : out.muted() ? Status::Muted : Status::Enabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_AudioOutput::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const tv::AudioOutput out = audio_output(b, in);
    if (!tv::change_audio_output(b, out,
                                 {
                                     .enable = changes.Enable,
                                     .level = changes.AudioLevel,
                                     .cancel_mute = changes.CancelMute && *changes.CancelMute,
                                 }))
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(out.key() + "Alias", *changes.Alias);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_VideoOutput>) {
    return sim::numbered(tv::kVideoOutputs);
}

STBService_Components_VideoOutput read(Context& ctx, const Instance& in, Tag<STBService_Components_VideoOutput>) {
    using V = STBService_Components_VideoOutput;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::VideoOutput out = video_output(b, in);
    return {
        .Alias = alias(b, out.key(), "videooutput", sim::last(in)),
        .AspectRatioBehaviour =
            out.letterboxed() ? V::AspectRatioBehaviourValue::_16_9_Letterbox : V::AspectRatioBehaviourValue::None,
        .ColorbarEnable = out.colorbar(),
        .CompositeVideoStandard = "",  // HDMI, not CVBS
        .DisplayFormat = out.display_format(),
        .Enable = out.enabled(),
        .HDCP = out.hdcp(),
        .Macrovision = false,
        .Name = std::string(out.name()),
        .SCARTs = std::vector<std::string>{},
        .Status = !out.enabled() ? V::StatusValue::Disabled
                  : out.colorbar() ? V::StatusValue::ColorbarEnabled
                                   : V::StatusValue::Enabled,
        .VideoFormat = out.video_format(),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_VideoOutput::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const tv::VideoOutput out = video_output(b, in);
    if (!tv::change_video_output(b, out,
                                 {
                                     .enable = changes.Enable,
                                     .colorbar = changes.ColorbarEnable,
                                     .display_format = changes.DisplayFormat,
                                     .video_format = changes.VideoFormat,
                                 }))
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(out.key() + "Alias", *changes.Alias);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_HDMI>) {
    return sim::numbered(tv::kHDMIs);
}

STBService_Components_HDMI read(Context& ctx, const Instance& in, Tag<STBService_Components_HDMI>) {
    using H = STBService_Components_HDMI;
    const sim::SimBoard& b = sim::board(ctx);
    const tv::HDMI h = hdmi(b, in);
    return {
        .Alias = alias(b, h.key(), "hdmi", sim::last(in)),
        .Enable = h.enabled(),
        .Name = std::string(h.name()),
        .ResolutionMode = h.manual() ? H::ResolutionModeValue::Manual : H::ResolutionModeValue::Auto,
        .ResolutionValue = h.resolution(),
        .Status = h.enabled() ? H::StatusValue::Enabled : H::StatusValue::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_HDMI::Changes& changes) {
    using Mode = STBService_Components_HDMI::ResolutionModeValue;
    sim::SimBoard& b = sim::board(ctx);
    const tv::HDMI h = hdmi(b, in);
    std::optional<bool> manual;
    if (changes.ResolutionMode) manual = *changes.ResolutionMode == Mode::Manual;
    if (!tv::change_hdmi(b, h, {.enable = changes.Enable, .manual = manual, .resolution = changes.ResolutionValue}))
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(h.key() + "Alias", *changes.Alias);
    return Fault::None;
}

STBService_Components_HDMI_DisplayDevice read(Context& ctx, const Instance& in,
                                              Tag<STBService_Components_HDMI_DisplayDevice>) {
    const tv::Display& display = hdmi(sim::board(ctx), in).display();
    return {
        .AutoLipSyncSupport = display.auto_lip_sync,
        .CECSupport = display.cec,
        .EEDID = std::string(display.eedid),
        .HDMI3DPresent = display.hdmi_3d,
        .Name = std::string(display.name),
        .PreferredResolution = std::string(display.preferred),
        .Status = STBService_Components_HDMI_DisplayDevice::StatusValue::Present,
        .SupportedResolutions = strings(display.resolutions),
        .VideoLatency = display.video_latency,
    };
}

// === Conditional access and DRM ====================================================

namespace {
const std::string kCA = kComponents + "CA.{i}.";
const std::string kDRM = kComponents + "DRM.{i}.";
}  // namespace

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_CA>) {
    return sim::numbered(tv::kCAs);
}

// Named after the system it runs (one of Capabilities.CA.CASystems);
// cardless, so no smart card reader.
STBService_Components_CA read(Context& ctx, const Instance& in, Tag<STBService_Components_CA>) {
    using Status = STBService_Components_CA::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kCA, in);
    const std::uint32_t n = sim::last(in);
    const bool enabled = b.setting(path + "Enable", true);
    return {
        .Alias = alias(b, path, "ca", n),
        .Enable = enabled,
        .Name = std::string(tv::ca_system(n)),
        .SmartCardReader = "",
        .Status = enabled ? Status::Enabled : Status::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_CA::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kCA, in);
    b.store_changes(path, changes);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_DRM>) {
    return sim::numbered(tv::kDRMs);
}

// Named after the system it runs (one of Capabilities.DRM.DRMSystems).
STBService_Components_DRM read(Context& ctx, const Instance& in, Tag<STBService_Components_DRM>) {
    using Status = STBService_Components_DRM::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kDRM, in);
    const std::uint32_t n = sim::last(in);
    const bool enabled = b.setting(path + "Enable", true);
    return {
        .Alias = alias(b, path, "drm", n),
        .Enable = enabled,
        .Name = std::string(tv::drm_system(n)),
        .SmartCardReader = "",
        .Status = enabled ? Status::Enabled : Status::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_DRM::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kDRM, in);
    b.store_changes(path, changes);
    return Fault::None;
}

}  // namespace cwmp::platform
