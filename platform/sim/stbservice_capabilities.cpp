// Device.Services.STBService.{i}.Capabilities.: what the set-top can do: a
// DVB-T tuner and an IPTV front end, H.264/MPEG-2/MPEG-4/VC-1 video, Dolby and
// MPEG audio, one HDMI output, cardless CA and two DRM systems.  Fixed by the
// hardware; only the profile/level rows' aliases are writable.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "board.h"
#include "tv_decoders.h"
#include "tv_outputs.h"
#include "tv_streams.h"
#include "wire.h"
#include "cwmp/platform/stbservice.h"

namespace cwmp::platform {

using model::STBService_Capabilities;
using model::STBService_Capabilities_AudienceStats;
using model::STBService_Capabilities_AudioDecoder;
using model::STBService_Capabilities_AudioOutput;
using model::STBService_Capabilities_CA;
using model::STBService_Capabilities_CDS;
using model::STBService_Capabilities_DRM;
using model::STBService_Capabilities_FrontEnd_DVBT;
using model::STBService_Capabilities_FrontEnd_IP;
using model::STBService_Capabilities_HDMI;
using model::STBService_Capabilities_PVR;
using model::STBService_Capabilities_ServiceMonitoring;
using model::STBService_Capabilities_VideoDecoder;
using model::STBService_Capabilities_VideoDecoder_MPEG2Part2;
using model::STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel;
using model::STBService_Capabilities_VideoDecoder_MPEG4Part10;
using model::STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel;
using model::STBService_Capabilities_VideoDecoder_MPEG4Part2;
using model::STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel;
using model::STBService_Capabilities_VideoDecoder_SMPTEVC1;
using model::STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel;
using model::STBService_Capabilities_VideoOutput;

namespace {

using Audio = STBService_Capabilities_AudioDecoder::AudioStandardsValue;

// The wire names of audio standards, for the per-video-standard lists (which
// the model types as plain strings referring to AudioDecoder.AudioStandards).
std::vector<std::string> audio_names(std::initializer_list<Audio> standards) {
    std::vector<std::string> out;
    for (Audio a : standards) {
        std::string name;
        format(name, a);
        out.push_back(std::move(name));
    }
    return out;
}

const char* const kMPEG2Template =
    "Device.Services.STBService.{i}.Capabilities.VideoDecoder.MPEG2Part2.ProfileLevel.{i}.";
const char* const kMPEG4Part10Template =
    "Device.Services.STBService.{i}.Capabilities.VideoDecoder.MPEG4Part10.ProfileLevel.{i}.";
const char* const kMPEG4Part2Template =
    "Device.Services.STBService.{i}.Capabilities.VideoDecoder.MPEG4Part2.ProfileLevel.{i}.";
const char* const kVC1Template =
    "Device.Services.STBService.{i}.Capabilities.VideoDecoder.SMPTEVC1.ProfileLevel.{i}.";

// The decoder's profile/level rows, by instance number (1-based; an unknown
// number throws, which the agent answers with a fault).
template <class Row, std::size_t N>
const Row& row(const std::array<Row, N>& rows, const Instance& in) {
    return rows.at(sim::last(in) - 1);
}

std::string alias(Context& ctx, const char* path_template, const Instance& in, const char* stem) {
    return sim::board(ctx).setting<std::string>(sim::instance_path(path_template, in) + "Alias",
                                                std::string("cpe-") + stem + "-" +
                                                    std::to_string(sim::last(in)));
}

Fault store_alias(Context& ctx, const char* path_template, const Instance& in,
                  const std::optional<std::string>& value) {
    if (value) sim::board(ctx).store(sim::instance_path(path_template, in) + "Alias", *value);
    return Fault::None;
}

// MPEG-2 video: main profile at main (SD) and high (HD) level.
struct MPEG2Row {
    STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel::ProfileValue profile;
    STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel::LevelValue level;
    std::uint32_t kbps;
};
constexpr std::array<MPEG2Row, 2> kMPEG2 = {{
    {STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel::ProfileValue::MP,
     STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel::LevelValue::ML, 15000},
    {STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel::ProfileValue::MP,
     STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel::LevelValue::HL, 80000},
}};

// H.264: constrained profiles up to SD level 3.1, High up to 4.2 (1080p50).
struct H264Row {
    std::vector<STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel::ProfileValue> profiles;
    std::vector<STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel::LevelValue> levels;
    std::uint32_t kbps;
};
const std::array<H264Row, 2>& h264_rows() {
    using P = STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel::ProfileValue;
    using L = STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel::LevelValue;
    static const std::array<H264Row, 2> rows = {{
        {{P::BASELINE, P::MAIN}, {L::_3, L::_3_1}, 14000},
        {{P::HIGH}, {L::_4, L::_4_1, L::_4_2}, 62500},
    }};
    return rows;
}

// MPEG-4 Part 2: Simple and Advanced Simple (DivX/Xvid files).
struct MPEG4Part2Row {
    STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel::ProfileValue profile;
    STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel::LevelValue level;
    std::uint32_t kbps;
};
constexpr std::array<MPEG4Part2Row, 2> kMPEG4Part2 = {{
    {STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel::ProfileValue::SIMPLE,
     STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel::LevelValue::L3, 384},
    {STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel::ProfileValue::ADVANCED_SIMPLE,
     STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel::LevelValue::L5, 8000},
}};

// SMPTE VC-1: Main profile high level and Advanced profile level 3.
struct VC1Row {
    STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel::ProfileValue profile;
    STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel::LevelValue level;
    std::uint32_t kbps;
};
constexpr std::array<VC1Row, 2> kVC1 = {{
    {STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel::ProfileValue::MP,
     STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel::LevelValue::HL, 20000},
    {STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel::ProfileValue::AP,
     STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel::LevelValue::L3, 45000},
}};

}  // namespace

STBService_Capabilities read(Context&, const Instance&, Tag<STBService_Capabilities>) {
    return {.MaxActiveAVPlayers = 4, .MaxActiveAVStreams = 4};
}

STBService_Capabilities_AudienceStats read(Context&, const Instance&, Tag<STBService_Capabilities_AudienceStats>) {
    return {.MaxAudienceStatsChannels = 64};
}

STBService_Capabilities_AudioDecoder read(Context&, const Instance&, Tag<STBService_Capabilities_AudioDecoder>) {
    return {.AudioStandards = std::vector<Audio>{Audio::MPEG1_Part3_Layer2, Audio::MPEG1_Part3_Layer3,
                                                 Audio::MPEG2_AAC_LC, Audio::MPEG4_AAC_LC,
                                                 Audio::MPEG4_AAC_HE_v2, Audio::DOLBY_AC3, Audio::DOLBY_DD_}};
}

STBService_Capabilities_AudioOutput read(Context&, const Instance&, Tag<STBService_Capabilities_AudioOutput>) {
    using F = STBService_Capabilities_AudioOutput::AudioFormatsValue;
    return {.AudioFormats = std::vector<F>{F::HDMI, F::DIGITAL_OPTICAL_SP_DIF}};
}

STBService_Capabilities_CA read(Context&, const Instance&, Tag<STBService_Capabilities_CA>) {
    // Cardless: the CA component names this system and no smart card reader.
    return {.CASystems = std::vector<std::string>(sim::tv::kCASystems.begin(), sim::tv::kCASystems.end())};
}

STBService_Capabilities_CDS read(Context&, const Instance&, Tag<STBService_Capabilities_CDS>) {
    return {.PullCapable = true, .PushCapable = false};
}

STBService_Capabilities_DRM read(Context&, const Instance&, Tag<STBService_Capabilities_DRM>) {
    return {.DRMSystems = std::vector<std::string>(sim::tv::kDRMSystems.begin(), sim::tv::kDRMSystems.end())};
}

STBService_Capabilities_FrontEnd_DVBT read(Context&, const Instance&, Tag<STBService_Capabilities_FrontEnd_DVBT>) {
    return {.MaxActiveDVBTStreams = 1, .MaxLogicalChannels = 1000};
}

STBService_Capabilities_FrontEnd_IP read(Context&, const Instance&, Tag<STBService_Capabilities_FrontEnd_IP>) {
    using C = STBService_Capabilities_FrontEnd_IP;
    using Download = C::DownloadTransportProtocolsValue;
    using Mux = C::MultiplexTypesValue;
    using Control = C::StreamingControlProtocolsValue;
    using TransportControl = C::StreamingTransportControlProtocolsValue;
    using Transport = C::StreamingTransportProtocolsValue;
    return {
        .DownloadTransportProtocols = std::vector<Download>{Download::HTTP, Download::HTTPS},
        .MaxActiveIPStreams = 4,
        .MaxActiveInboundIPStreams = 4,
        .MaxActiveOutboundIPStreams = 1,
        .MaxDejitteringBufferSize = 4 * 1024 * 1024,
        .MultiplexTypes = std::vector<Mux>{Mux::MPEG2_TS},
        .StreamingControlProtocols = std::vector<Control>{Control::RTSP, Control::IGMPv2, Control::IGMPv3},
        .StreamingTransportControlProtocols =
            std::vector<TransportControl>{TransportControl::RTCP, TransportControl::ARQ, TransportControl::AL_FEC},
        .StreamingTransportProtocols =
            std::vector<Transport>{Transport::UDP, Transport::TCP, Transport::RTP, Transport::HTTP},
    };
}

STBService_Capabilities_HDMI read(Context&, const Instance&, Tag<STBService_Capabilities_HDMI>) {
    using R = STBService_Capabilities_HDMI::SupportedResolutionsValue;
    return {
        .CECSupport = true,
        .HDMI3D = false,
        .SupportedResolutions = sim::enums_of<R>(sim::tv::kHDMIResolutions),
    };
}

STBService_Capabilities_PVR read(Context&, const Instance&, Tag<STBService_Capabilities_PVR>) {
    // Two recordings while playing back one, and a two-hour time-shift buffer.
    return {.MaxIOStreams = 3, .MaxPlaybackStreams = 1, .MaxRecordingStreams = 2, .MaxTimeDelay = 7200};
}

STBService_Capabilities_ServiceMonitoring read(Context&, const Instance&,
                                                Tag<STBService_Capabilities_ServiceMonitoring>) {
    using T = STBService_Capabilities_ServiceMonitoring::ServiceTypesValue;
    return {
        .HighLevelMetricNames = std::vector<std::string>(sim::tv::kMetricNames.begin(), sim::tv::kMetricNames.end()),
        .MaxActiveMainStreams = sim::tv::kMaxActiveMainStreams,
        .MaxEventsPerSampleInterval = sim::tv::kMaxEventsPerSampleInterval,
        .MaxMainStreamEventLogEntries = sim::tv::kMaxEventLogEntries,
        .MaxReportSamples = sim::tv::kMaxReportSamples,
        .MinSampleInterval = sim::tv::kMinSampleInterval,
        .ServiceTypes = std::vector<T>{T::IPTV, T::VoD, T::IP_All, T::DTT, T::PVR},
    };
}

STBService_Capabilities_VideoDecoder read(Context&, const Instance&, Tag<STBService_Capabilities_VideoDecoder>) {
    using V = STBService_Capabilities_VideoDecoder::VideoStandardsValue;
    return {.VideoStandards = std::vector<V>{V::MPEG2_Part2, V::MPEG4_Part2, V::MPEG4_Part10, V::SMPTE_VC_1}};
}

// --- MPEG-2 Part 2 -----------------------------------------------------------

STBService_Capabilities_VideoDecoder_MPEG2Part2 read(Context&, const Instance&,
                                                      Tag<STBService_Capabilities_VideoDecoder_MPEG2Part2>) {
    return {.AudioStandards = audio_names({Audio::MPEG1_Part3_Layer2, Audio::DOLBY_AC3})};
}

std::vector<std::uint32_t> instances(Context&, const Instance&,
                                     Tag<STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel>) {
    return sim::numbered(static_cast<std::uint32_t>(kMPEG2.size()));
}

STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel read(
    Context& ctx, const Instance& in, Tag<STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel>) {
    const MPEG2Row& r = row(kMPEG2, in);
    return {
        .Alias = alias(ctx, kMPEG2Template, in, "mpeg2"),
        .Level = r.level,
        .MaximumDecodingCapability = r.kbps,
        .Profile = r.profile,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Capabilities_VideoDecoder_MPEG2Part2_ProfileLevel::Changes& changes) {
    return store_alias(ctx, kMPEG2Template, in, changes.Alias);
}

// --- MPEG-4 Part 10 (H.264) --------------------------------------------------

STBService_Capabilities_VideoDecoder_MPEG4Part10 read(Context&, const Instance&,
                                                       Tag<STBService_Capabilities_VideoDecoder_MPEG4Part10>) {
    return {.AudioStandards = audio_names({Audio::MPEG1_Part3_Layer2, Audio::MPEG2_AAC_LC, Audio::MPEG4_AAC_LC,
                                           Audio::MPEG4_AAC_HE_v2, Audio::DOLBY_AC3, Audio::DOLBY_DD_})};
}

std::vector<std::uint32_t> instances(Context&, const Instance&,
                                     Tag<STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel>) {
    return sim::numbered(static_cast<std::uint32_t>(h264_rows().size()));
}

STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel read(
    Context& ctx, const Instance& in, Tag<STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel>) {
    const H264Row& r = row(h264_rows(), in);
    return {
        .Alias = alias(ctx, kMPEG4Part10Template, in, "h264"),
        .Level = r.levels,
        .MaximumDecodingCapability = r.kbps,
        .Profile = r.profiles,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Capabilities_VideoDecoder_MPEG4Part10_ProfileLevel::Changes& changes) {
    return store_alias(ctx, kMPEG4Part10Template, in, changes.Alias);
}

// --- MPEG-4 Part 2 -----------------------------------------------------------

STBService_Capabilities_VideoDecoder_MPEG4Part2 read(Context&, const Instance&,
                                                      Tag<STBService_Capabilities_VideoDecoder_MPEG4Part2>) {
    return {.AudioStandards = audio_names({Audio::MPEG1_Part3_Layer3, Audio::MPEG2_AAC_LC, Audio::DOLBY_AC3})};
}

std::vector<std::uint32_t> instances(Context&, const Instance&,
                                     Tag<STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel>) {
    return sim::numbered(static_cast<std::uint32_t>(kMPEG4Part2.size()));
}

STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel read(
    Context& ctx, const Instance& in, Tag<STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel>) {
    const MPEG4Part2Row& r = row(kMPEG4Part2, in);
    return {
        .Alias = alias(ctx, kMPEG4Part2Template, in, "mpeg4"),
        .Level = r.level,
        .MaximumDecodingCapability = r.kbps,
        .Profile = r.profile,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Capabilities_VideoDecoder_MPEG4Part2_ProfileLevel::Changes& changes) {
    return store_alias(ctx, kMPEG4Part2Template, in, changes.Alias);
}

// --- SMPTE VC-1 --------------------------------------------------------------

STBService_Capabilities_VideoDecoder_SMPTEVC1 read(Context&, const Instance&,
                                                    Tag<STBService_Capabilities_VideoDecoder_SMPTEVC1>) {
    return {.AudioStandards = audio_names({Audio::MPEG4_AAC_LC, Audio::DOLBY_AC3, Audio::DOLBY_DD_})};
}

std::vector<std::uint32_t> instances(Context&, const Instance&,
                                     Tag<STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel>) {
    return sim::numbered(static_cast<std::uint32_t>(kVC1.size()));
}

STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel read(
    Context& ctx, const Instance& in, Tag<STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel>) {
    const VC1Row& r = row(kVC1, in);
    return {
        .Alias = alias(ctx, kVC1Template, in, "vc1"),
        .Level = r.level,
        .MaximumDecodingCapability = r.kbps,
        .Profile = r.profile,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Capabilities_VideoDecoder_SMPTEVC1_ProfileLevel::Changes& changes) {
    return store_alias(ctx, kVC1Template, in, changes.Alias);
}

// --- Video output ------------------------------------------------------------

STBService_Capabilities_VideoOutput read(Context&, const Instance&, Tag<STBService_Capabilities_VideoOutput>) {
    using F = STBService_Capabilities_VideoOutput::VideoFormatsValue;
    using Composite = STBService_Capabilities_VideoOutput::CompositeVideoStandardsValue;
    return {
        // HDMI only: no CVBS output, hence no composite standards and no
        // Macrovision (an analogue protection).
        .CompositeVideoStandards = std::vector<Composite>{},
        .DisplayFormats = std::vector<std::string>(sim::tv::kDisplayFormats.begin(), sim::tv::kDisplayFormats.end()),
        .HDCP = "2.2",
        .Macrovision = "",
        .VideoFormats = sim::enums_of<F>(sim::tv::kVideoFormats),
    };
}

}  // namespace cwmp::platform
