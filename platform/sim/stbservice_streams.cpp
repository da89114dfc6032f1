// Device.Services.STBService.{i}. itself, its AV streams and players, and
// ServiceMonitoring: the bindings of the simulated world's streams
// (tv_streams.h: three streams, four players, what monitoring measures of
// them over time) to the generated platform API.  Each function translates:
// it asks the world and fills the generated object, or checks the ACS's
// values and hands them to the world's settings.
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
#include "tv_frontends.h"
#include "tv_streams.h"

namespace cwmp::platform {

using model::STBService;
using model::STBService_AVPlayers;
using model::STBService_AVPlayers_AVPlayer;
using model::STBService_AVStreams;
using model::STBService_AVStreams_AVStream;
using model::STBService_Capabilities_ServiceMonitoring;
using model::STBService_Components_VideoOutput;
using model::STBService_ServiceMonitoring;
using model::STBService_ServiceMonitoring_GlobalOperation_Sample;
using model::STBService_ServiceMonitoring_GlobalOperation_Total;
using model::STBService_ServiceMonitoring_MainStream;
using model::STBService_ServiceMonitoring_MainStream_EventLog;
using model::STBService_ServiceMonitoring_MainStream_EventLog_Entry;
using model::STBService_ServiceMonitoring_MainStream_EventLog_Entry_Parameter;
using model::STBService_ServiceMonitoring_MainStream_Sample;
using model::STBService_ServiceMonitoring_MainStream_Sample_AudioDecoderStats;
using model::STBService_ServiceMonitoring_MainStream_Sample_DejitteringStats;
using model::STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats;
using model::STBService_ServiceMonitoring_MainStream_Sample_MPEG2TSStats;
using model::STBService_ServiceMonitoring_MainStream_Sample_RTPStats;
using model::STBService_ServiceMonitoring_MainStream_Sample_TCPStats;
using model::STBService_ServiceMonitoring_MainStream_Sample_VideoDecoderStats;
using model::STBService_ServiceMonitoring_MainStream_Sample_VideoResponseStats;
using model::STBService_ServiceMonitoring_MainStream_Total;
using model::STBService_ServiceMonitoring_MainStream_Total_AudioDecoderStats;
using model::STBService_ServiceMonitoring_MainStream_Total_DejitteringStats;
using model::STBService_ServiceMonitoring_MainStream_Total_MPEG2TSStats;
using model::STBService_ServiceMonitoring_MainStream_Total_RTPStats;
using model::STBService_ServiceMonitoring_MainStream_Total_TCPStats;
using model::STBService_ServiceMonitoring_MainStream_Total_VideoDecoderStats;
using model::STBService_ServiceMonitoring_MainStream_Total_VideoResponseStats;

namespace {

namespace tv = sim::tv;
using tv::Span;
using tv::Window;
using tv::u32;

// --- Paths: where the world keeps what the ACS wrote -------------------------

const char* const kSTB = "Device.Services.STBService.{i}.";
const char* const kStreamTemplate = "Device.Services.STBService.{i}.AVStreams.AVStream.{i}.";
const char* const kPlayerTemplate = "Device.Services.STBService.{i}.AVPlayers.AVPlayer.{i}.";
const char* const kMetricTemplate =
    "Device.Services.STBService.{i}.ServiceMonitoring.MainStream.{i}.Sample.HighLevelMetricStats.{i}.";

std::string stb_path(const Instance& in) { return sim::instance_path(kSTB, in); }
std::string monitoring_path(const Instance& in) { return stb_path(in) + "ServiceMonitoring."; }
// The MainStream of `in` (the MainStream itself or an object below it).
std::uint32_t main_stream(const Instance& in) { return in.numbers[1]; }
std::string main_stream_path(const Instance& in) { return tv::main_stream_key(monitoring_path(in), main_stream(in)); }
std::string players_path(const Instance& in) { return stb_path(in) + "AVPlayers."; }

// "Device.Services.STBService.1.Components.VideoDecoder.2" ("" for 0).
std::string component(const Instance& in, const char* kind, std::uint32_t n) {
    return n == 0 ? "" : stb_path(in) + "Components." + kind + "." + std::to_string(n);
}
std::string stream_path(const Instance& in, std::uint32_t n) {
    return n == 0 ? "" : stb_path(in) + "AVStreams.AVStream." + std::to_string(n);
}
std::vector<std::string> outputs(const Instance& in, const char* kind, std::span<const std::uint32_t> numbers) {
    std::vector<std::string> out;
    for (std::uint32_t n : numbers)
        if (n != 0) out.push_back(component(in, kind, n));
    return out;
}

// The world's set-top box of this STBService.
tv::Box box(const sim::SimBoard& b, const Instance& in) { return tv::Box(b, stb_path(in)); }

STBService_Capabilities_ServiceMonitoring capabilities(Context& ctx, const Instance& in) {
    return read(ctx, Instance{in.numbers.first(1)}, Tag<STBService_Capabilities_ServiceMonitoring>{});
}

// --- Streams and players -------------------------------------------------------

// The world's state of a stream as AVStream.Status.
STBService_AVStreams_AVStream::StatusValue status(tv::StreamState s) {
    using Status = STBService_AVStreams_AVStream::StatusValue;
    switch (s) {
        case tv::StreamState::Disabled: return Status::Disabled;
        case tv::StreamState::Error: return Status::Error;
        case tv::StreamState::Enabled: break;
    }
    return Status::Enabled;
}

// --- Monitoring ------------------------------------------------------------------

tv::Monitor monitor(Context& ctx, const Instance& in) {
    return tv::monitor(sim::board(ctx), main_stream_path(in), monitoring_path(in), main_stream(in));
}

tv::EventLog event_log(Context& ctx, const Instance& in) {
    return tv::event_log(monitor(ctx, in), main_stream_path(in), monitoring_path(in), tv::kMaxEventLogEntries);
}

}  // namespace

// --- Device.Services.STBService.{i}. -----------------------------------------

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService>) { return sim::numbered(1); }

STBService read(Context& ctx, const Instance& in, Tag<STBService>) {
    sim::SimBoard& b = sim::board(ctx);
    return {
        .Alias = b.setting<std::string>(stb_path(in) + "Alias", "cpe-stb-" + std::to_string(sim::last(in))),
        .Enable = box(b, in).enabled(),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.Alias) b.store(stb_path(in) + "Alias", *changes.Alias);
    if (changes.Enable) b.store(stb_path(in) + "Enable", *changes.Enable);
    return Fault::None;
}

// --- AVStreams ---------------------------------------------------------------

STBService_AVStreams read(Context& ctx, const Instance& in, Tag<STBService_AVStreams>) {
    return {.ActiveAVStreams = box(sim::board(ctx), in).active_streams()};
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_AVStreams_AVStream>) {
    return sim::numbered(tv::kStreams);
}

STBService_AVStreams_AVStream read(Context& ctx, const Instance& in, Tag<STBService_AVStreams_AVStream>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const tv::StreamSpec& spec = tv::stream_spec(n);
    const std::string front_end = component(in, "FrontEnd", spec.front_end);
    const tv::Box stb = box(b, in);
    return {
        .Alias = b.setting<std::string>(sim::instance_path(kStreamTemplate, in) + "Alias",
                                        "cpe-avstream-" + std::to_string(n)),
        .AudioDecoder = component(in, "AudioDecoder", spec.audio_decoder),
        .CA = component(in, "CA", spec.ca),
        .DRM = component(in, "DRM", spec.drm),
        .FrontEnd = front_end,
        .Inbound = spec.inbound ? front_end + ".IP.Inbound." + std::to_string(spec.inbound) : "",
        .Name = stb.stream_name(n),
        .Outbound = "",
        .PVRState = spec.recording ? STBService_AVStreams_AVStream::PVRStateValue::Play
                                   : STBService_AVStreams_AVStream::PVRStateValue::Disabled,
        .Status = status(stb.stream_state(n)),
        .VideoDecoder = component(in, "VideoDecoder", spec.video_decoder),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_AVStreams_AVStream::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kStreamTemplate, in) + "Alias", *changes.Alias);
    return Fault::None;
}

// --- AVPlayers ---------------------------------------------------------------

STBService_AVPlayers read(Context& ctx, const Instance& in, Tag<STBService_AVPlayers>) {
    const sim::SimBoard& b = sim::board(ctx);
    const tv::Box stb = box(b, in);
    return {
        .ActiveAVPlayers = stb.active_players(),
        .PreferredAudioLanguage = stb.preferred_audio_language(),
        .PreferredBehaviour = b.setting<std::string>(players_path(in) + "PreferredBehaviour", "None"),
        .PreferredSubtitlingLanguage = stb.preferred_subtitling_language(),
        .ResetPINCode = false,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_AVPlayers::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = players_path(in);
    if (changes.PreferredBehaviour && !changes.PreferredBehaviour->empty()) {
        // One of Components.VideoOutput.{i}.AspectRatioBehaviour's values.
        const auto& names = STBService_Components_VideoOutput::AspectRatioBehaviourValue_names;
        if (std::find(std::begin(names), std::end(names), *changes.PreferredBehaviour) == std::end(names))
            return Fault::InvalidParameterValue;
    }
    if (changes.PreferredAudioLanguage) b.store(path + "PreferredAudioLanguage", *changes.PreferredAudioLanguage);
    if (changes.PreferredBehaviour) b.store(path + "PreferredBehaviour", *changes.PreferredBehaviour);
    if (changes.PreferredSubtitlingLanguage)
        b.store(path + "PreferredSubtitlingLanguage", *changes.PreferredSubtitlingLanguage);
    if (changes.ResetPINCode && *changes.ResetPINCode) tv::reset_pin(b, box(b, in));
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_AVPlayers_AVPlayer>) {
    return sim::numbered(tv::kPlayers);
}

STBService_AVPlayers_AVPlayer read(Context& ctx, const Instance& in, Tag<STBService_AVPlayers_AVPlayer>) {
    using Status = STBService_AVPlayers_AVPlayer::StatusValue;
    using Subtitling = STBService_AVPlayers_AVPlayer::SubtitlingStatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const tv::PlayerSpec& spec = tv::player_spec(n);
    const tv::Box stb = box(b, in);
    const bool playing = stb.playing(n);
    const std::string subtitles = stb.subtitles(n);
    const std::array<std::uint32_t, 1> video_outputs{spec.video_output};
    return {
        .Alias = b.setting<std::string>(sim::instance_path(kPlayerTemplate, in) + "Alias",
                                        "cpe-avplayer-" + std::to_string(n)),
        .AudioLanguage = stb.audio_language(n),
        .AudioOutputs = outputs(in, "AudioOutput", spec.audio_outputs),
        .Enable = stb.player_enabled(n),
        .MainStream = playing ? stream_path(in, spec.main_stream) : "",
        .Name = spec.name,
        .PIPStreams = playing && spec.pip_stream ? std::vector<std::string>{stream_path(in, spec.pip_stream)}
                                                 : std::vector<std::string>{},
        .Status = playing ? Status::Enabled : Status::Disabled,
        .SubtitlingLanguage = subtitles,
        .SubtitlingStatus = subtitles.empty() ? Subtitling::Disabled : Subtitling::Enabled,
        .VideoOutputs = outputs(in, "VideoOutput", video_outputs),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_AVPlayers_AVPlayer::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kPlayerTemplate, in);
    b.store_changes(path, changes);
    return Fault::None;
}

// --- ServiceMonitoring -------------------------------------------------------

STBService_ServiceMonitoring read(Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring>) {
    using State = STBService_ServiceMonitoring::SampleStateValue;
    sim::SimBoard& b = sim::board(ctx);
    const std::string sm = monitoring_path(in);
    const bool enabled = b.setting(sm + "SampleEnable", true);
    const tv::Sampling s = tv::sampling(b, sm);
    return {
        .EventCollectionEnable = b.setting(sm + "EventCollectionEnable", true),
        .EventsPerSampleInterval = b.setting(sm + "EventsPerSampleInterval", tv::kEventsPerSampleInterval),
        .FetchSamples = b.setting(sm + "FetchSamples", 0u),
        .ForceSample = false,
        .ReportEndTime = s.windows.empty() ? dm::DateTime{} : dm::DateTime{s.windows.back().end},
        .ReportSamples = b.setting(sm + "ReportSamples", tv::kReportSamples),
        .ReportStartTime = s.windows.empty() ? dm::DateTime{} : dm::DateTime{s.windows.front().begin},
        .SampleEnable = enabled,
        .SampleInterval = b.setting(sm + "SampleInterval", tv::kSampleInterval),
        // Trigger is instantaneous (Enabled -> Trigger -> Enabled), never read.
        .SampleState = enabled ? State::Enabled : State::Disabled,
        .TimeReference = b.setting(sm + "TimeReference", dm::DateTime{}),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_ServiceMonitoring::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (!tv::change_collection(b, monitoring_path(in),
                               {
                                   .sample_enable = changes.SampleEnable,
                                   .sample_interval = changes.SampleInterval,
                                   .report_samples = changes.ReportSamples,
                                   .time_reference = changes.TimeReference,
                                   .event_collection_enable = changes.EventCollectionEnable,
                                   .events_per_sample = changes.EventsPerSampleInterval,
                                   .fetch_samples = changes.FetchSamples,
                                   .force_sample = changes.ForceSample && *changes.ForceSample,
                               }))
        return Fault::InvalidParameterValue;
    return Fault::None;
}

STBService_ServiceMonitoring_GlobalOperation_Sample read(Context& ctx, const Instance& in,
                                                         Tag<STBService_ServiceMonitoring_GlobalOperation_Sample>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::string sm = monitoring_path(in);
    const std::uint32_t keep = b.setting(sm + "EventsPerSampleInterval", tv::kEventsPerSampleInterval);
    STBService_ServiceMonitoring_GlobalOperation_Sample out{
        .MaximumPortalResponse = std::vector<std::uint32_t>{},
        .MinimumPortalResponse = std::vector<std::uint32_t>{},
        .PortalResponse = std::vector<std::string>{},
    };
    for (const tv::PortalSample& p : tv::portal_samples(b, tv::sampling(b, sm), keep)) {
        out.MaximumPortalResponse.value.push_back(p.max_ms);
        out.MinimumPortalResponse.value.push_back(p.min_ms);
        out.PortalResponse.value.push_back(p.responses);
    }
    return out;
}

STBService_ServiceMonitoring_GlobalOperation_Total read(Context& ctx, const Instance&,
                                                        Tag<STBService_ServiceMonitoring_GlobalOperation_Total>) {
    const auto [lo, hi] = tv::portal_total(sim::board(ctx));
    return {
        .MaximumPortalResponse = hi,
        .MinimumPortalResponse = lo,
        .ServiceAccessTime = 4200,  // DHCP discover to the default channel's first I frame
    };
}

// --- MainStream --------------------------------------------------------------

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_ServiceMonitoring_MainStream>) {
    return sim::numbered(tv::kMainStreams);
}

STBService_ServiceMonitoring_MainStream read(Context& ctx, const Instance& in,
                                             Tag<STBService_ServiceMonitoring_MainStream>) {
    using Status = STBService_ServiceMonitoring_MainStream::StatusValue;
    const tv::Monitor m = monitor(ctx, in);
    const tv::MainStreamSettings& s = m.settings;
    return {
        .AVStream = s.enable ? stream_path(in, m.src.stream) : "",
        .Alias = m.b.setting<std::string>(main_stream_path(in) + "Alias",
                                          "cpe-mainstream-" + std::to_string(sim::last(in))),
        .ChannelChangeFailureTimeout = s.failure_timeout,
        .DelayBetweenLossEventsHistogramIntervals = s.delay_intervals,
        .DurationSevereLossEventsHistogramIntervals = s.duration_intervals,
        .Enable = s.enable,
        .Gmin = s.gmin,
        .PacketsLostByEventHistogramIntervals = s.lost_intervals,
        .ServiceType = s.enable ? s.service_type : "",  // empty while disabled
        .SessionId = tv::session_id(m, sim::last(in)),
        .SevereLossMinDistance = s.severe_min_distance,
        .SevereLossMinLength = s.severe_min_length,
        .Status = s.enable ? Status::Enabled : Status::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_ServiceMonitoring_MainStream::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = main_stream_path(in);
    if (changes.ServiceType && !changes.ServiceType->empty()) {  // one of Capabilities.ServiceMonitoring.ServiceTypes
        bool supported = false;
        for (auto t : capabilities(ctx, in).ServiceTypes.value) {
            std::string name;
            format(name, t);
            supported = supported || name == *changes.ServiceType;
        }
        if (!supported) return Fault::InvalidParameterValue;
    }
    if (!tv::change_main_stream(b, monitoring_path(in), main_stream(in), changes.Enable, changes.ServiceType))
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.ChannelChangeFailureTimeout)
        b.store(path + "ChannelChangeFailureTimeout", *changes.ChannelChangeFailureTimeout);
    if (changes.DelayBetweenLossEventsHistogramIntervals)
        b.store(path + "DelayBetweenLossEventsHistogramIntervals", *changes.DelayBetweenLossEventsHistogramIntervals);
    if (changes.DurationSevereLossEventsHistogramIntervals)
        b.store(path + "DurationSevereLossEventsHistogramIntervals",
                *changes.DurationSevereLossEventsHistogramIntervals);
    if (changes.Gmin) b.store(path + "Gmin", *changes.Gmin);
    if (changes.PacketsLostByEventHistogramIntervals)
        b.store(path + "PacketsLostByEventHistogramIntervals", *changes.PacketsLostByEventHistogramIntervals);
    if (changes.SevereLossMinDistance) b.store(path + "SevereLossMinDistance", *changes.SevereLossMinDistance);
    if (changes.SevereLossMinLength) b.store(path + "SevereLossMinLength", *changes.SevereLossMinLength);
    return Fault::None;
}

// --- MainStream event log ----------------------------------------------------

STBService_ServiceMonitoring_MainStream_EventLog read(Context&, const Instance&,
                                                      Tag<STBService_ServiceMonitoring_MainStream_EventLog>) {
    return {.Reset = false};
}

Fault write(Context& ctx, const Instance& in,
            const STBService_ServiceMonitoring_MainStream_EventLog::Changes& changes) {
    if (changes.Reset && *changes.Reset) tv::reset_event_log(sim::board(ctx), main_stream_path(in));
    return Fault::None;
}

// Entries are numbered by their sequence numbers.
std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_ServiceMonitoring_MainStream_EventLog_Entry>) {
    const tv::EventLog log = event_log(ctx, parent);
    std::vector<std::uint32_t> out;
    for (std::uint32_t seq = log.count - log.kept + 1; seq <= log.count; ++seq) out.push_back(seq);
    return out;
}

STBService_ServiceMonitoring_MainStream_EventLog_Entry read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_EventLog_Entry>) {
    const tv::EventLog log = event_log(ctx, in);
    const std::uint32_t seq = std::max(sim::last(in), 1u);
    return {
        .SequenceNumber = seq,
        .Time = dm::DateTime{log.series.at(sim::board(ctx), log.first + seq - 1)},
        .Type = log.zaps ? "ChannelChange" : "SignalLoss",
    };
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_ServiceMonitoring_MainStream_EventLog_Entry_Parameter>) {
    return sim::numbered(event_log(ctx, parent).count ? 2 : 0);
}

STBService_ServiceMonitoring_MainStream_EventLog_Entry_Parameter read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_EventLog_Entry_Parameter>) {
    const tv::EventLog log = event_log(ctx, in);
    const tv::Monitor m = monitor(ctx, in);
    const std::uint64_t k = log.first + std::max(in.numbers[2], 1u) - 1;
    const std::vector<tv::EventParameter> params = tv::event_parameters(m, log, k, component(in, "FrontEnd", m.src.tuner));
    const tv::EventParameter& p = params.at(sim::last(in) - 1);
    return {.Name = p.name, .Value = p.value};
}

// --- MainStream Sample statistics --------------------------------------------

STBService_ServiceMonitoring_MainStream_Sample read(Context& ctx, const Instance& in,
                                                    Tag<STBService_ServiceMonitoring_MainStream_Sample>) {
    const tv::Monitor m = monitor(ctx, in);
    const bool stream = m.src.stream != 0;
    return {
        .PVRTimeShift = tv::per_sample(m, stream, [&](Window, Span s) { return s.seconds() > 0 && m.src.timeshift; }),
        .SampleSeconds = tv::sample_seconds(m, stream),
        // Zaps and losses of signal disrupt the stream.
        .SignificantChanges = tv::significant_changes(m),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_AudioDecoderStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_AudioDecoderStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const auto rows = tv::per_sample(m, m.src.audio, [](Window, Span s) { return tv::audio(s); });
    return {
        .DecodedFrames = tv::column(rows, &tv::Audio::decoded),
        .DecodingErrors = tv::column(rows, &tv::Audio::errors),
        .SampleSeconds = tv::sample_seconds(m, m.src.audio),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_DejitteringStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_DejitteringStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const auto rows = tv::per_sample(m, m.src.rtp, [](Window, Span s) { return tv::dejittering(s); });
    return {
        .EmptyBufferTime = tv::column(rows, &tv::Dejittering::empty_buffer_ms),
        .Overruns = tv::column(rows, &tv::Dejittering::overruns),
        .SampleSeconds = tv::sample_seconds(m, m.src.rtp),
        .Underruns = tv::column(rows, &tv::Dejittering::underruns),
    };
}

std::vector<std::uint32_t> instances(Context&, const Instance&,
                                     Tag<STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats>) {
    return sim::numbered(static_cast<std::uint32_t>(tv::kMetricNames.size()));
}

STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats>) {
    using Status = STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats::StatusValue;
    const tv::Monitor m = monitor(ctx, in);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kMetricTemplate, in);
    const tv::Metric metric(m, n, path);
    return {
        .Alias = m.b.setting<std::string>(path + "Alias", "cpe-metric-" + std::to_string(n)),
        .Enable = metric.enabled(),
        .Metric = metric.scores(0),
        .Metric1 = metric.scores(1),
        .Metric1Failures = metric.failures(1),
        .Metric1Threshold = metric.threshold(1),
        .Metric2 = metric.scores(2),
        .Metric2Failures = metric.failures(2),
        .Metric2Threshold = metric.threshold(2),
        .MetricFailures = metric.failures(0),
        .MetricName = std::string(metric.name()),
        .MetricSampleInterval = metric.sample_interval(),
        .MetricThreshold = metric.threshold(0),
        .SampleSeconds = tv::sample_seconds(m, metric.measured()),
        .Status = !metric.enabled() ? Status::Disabled : metric.measured() ? Status::Enabled : Status::Error,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.MetricSampleInterval &&
        !tv::metric_interval_allowed(b, monitoring_path(in), *changes.MetricSampleInterval))
        return Fault::InvalidParameterValue;
    b.store_changes(sim::instance_path(kMetricTemplate, in), changes);
    return Fault::None;
}

STBService_ServiceMonitoring_MainStream_Sample_MPEG2TSStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_MPEG2TSStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const bool stream = m.src.stream != 0;
    const auto rows = tv::per_sample(m, stream, [&](Window w, Span s) { return tv::ts(m, w, s); });
    return {
        .PacketDiscontinuityCounter = tv::column(rows, &tv::Ts::discontinuities),
        .PacketDiscontinuityCounterBeforeCA = tv::column(rows, &tv::Ts::discontinuities_before_ca),
        .SampleSeconds = tv::sample_seconds(m, stream),
        .TSPacketsDrained = tv::column(rows, &tv::Ts::drained),
        .TSPacketsReceived = tv::column(rows, &tv::Ts::received),
        .TSSyncByteErrorCount = tv::column(rows, &tv::Ts::sync_byte_errors),
        .TSSyncLossCount = tv::column(rows, &tv::Ts::sync_losses),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_RTPStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_RTPStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const auto rows = tv::per_sample(m, m.src.rtp, [&](Window, Span s) { return tv::rtp(m.settings, s); });
    std::vector<tv::Histograms> h;
    for (const tv::Rtp& r : rows) h.push_back(tv::histograms(m.settings, r));
    auto items = [&](std::vector<std::uint32_t> tv::Histograms::*field) {
        std::vector<std::string> out;
        for (const tv::Histograms& x : h) out.push_back(tv::joined(x.*field));
        return out;
    };
    return {
        .AverageLossDistance = tv::column(rows, &tv::Rtp::distance),
        .AverageLossDistanceBeforeEC = tv::column(rows, &tv::Rtp::distance_before_ec),
        .AverageLossPeriod = tv::column(rows, &tv::Rtp::period),
        .AverageLossPeriodBeforeEC = tv::column(rows, &tv::Rtp::period_before_ec),
        .DelayBetweenLossEventsHistogram = items(&tv::Histograms::delay),
        .DelayBetweenLossEventsHistogramBeforeEC = items(&tv::Histograms::delay_before_ec),
        .DurationSevereLossEventsHistogram = items(&tv::Histograms::duration),
        .DurationSevereLossEventsHistogramBeforeEC = items(&tv::Histograms::duration_before_ec),
        .LossEvents = tv::column(rows, &tv::Rtp::events),
        .LossEventsBeforeEC = tv::column(rows, &tv::Rtp::events_before_ec),
        // Losses are evenly spread: every period and distance is the average.
        .MaximumLossPeriod = tv::column(rows, &tv::Rtp::period),
        .MaximumLossPeriodBeforeEC = tv::column(rows, &tv::Rtp::period_before_ec),
        .MinimumLossDistance = tv::column(rows, &tv::Rtp::distance),
        .MinimumLossDistanceBeforeEC = tv::column(rows, &tv::Rtp::distance_before_ec),
        .MinimumLossPeriod = tv::column(rows, &tv::Rtp::period),
        .MinimumLossPeriodBeforeEC = tv::column(rows, &tv::Rtp::period_before_ec),
        .PacketsDiscarded = tv::column(rows, &tv::Rtp::discarded),
        .PacketsExpected = tv::column(rows, &tv::Rtp::expected),
        .PacketsLost = tv::column(rows, &tv::Rtp::lost),
        .PacketsLostBeforeEC = tv::column(rows, &tv::Rtp::lost_before_ec),
        .PacketsLostByEventHistogram = items(&tv::Histograms::lost),
        .PacketsLostByEventHistogramBeforeEC = items(&tv::Histograms::lost_before_ec),
        .PacketsOutOfSequence = tv::column(rows, &tv::Rtp::out_of_sequence),
        .PacketsReceived = tv::column(rows, &tv::Rtp::received),
        .PacketsReceivedBeforeEC = tv::column(rows, &tv::Rtp::received_before_ec),
        .RetransmitTimeouts = tv::column(rows, &tv::Rtp::retransmit_timeouts),
        .SampleSeconds = tv::sample_seconds(m, m.src.rtp),
        .SevereLossIndexCount = tv::column(rows, &tv::Rtp::severe_index),
        .SevereLossIndexCountBeforeEC = tv::column(rows, &tv::Rtp::severe_index_before_ec),
        .SevereLossLengthCount = tv::column(rows, &tv::Rtp::severe_length),
        .SevereLossLengthCountBeforeEC = tv::column(rows, &tv::Rtp::severe_length_before_ec),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_TCPStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_TCPStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const auto rows = tv::per_sample(m, false, [](Window, Span s) { return tv::tcp(s); });
    return {
        .BytesReceived = tv::column(rows, &tv::Tcp::bytes),
        .PacketsReceived = tv::column(rows, &tv::Tcp::packets),
        .PacketsRetransmitted = tv::column(rows, &tv::Tcp::retransmitted),
        .SampleSeconds = tv::sample_seconds(m, false),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_VideoDecoderStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_VideoDecoderStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const auto rows = tv::per_sample(m, m.src.video, [&](Window, Span s) { return tv::video(m.src.fps, s); });
    return {
        .AVResynchCounter = tv::column(rows, &tv::Video::resynchs),
        .BConcealedFrames = tv::column(rows, &tv::Video::b_concealed),
        .BDecodedFrames = tv::column(rows, &tv::Video::b_decoded),
        .BLostFrames = tv::column(rows, &tv::Video::b_lost),
        .ConcealedFrames = tv::column(rows, &tv::Video::concealed),
        .DecodedFrames = tv::column(rows, &tv::Video::decoded),
        .FrameRate = tv::column(rows, &tv::Video::frame_rate),
        .IConcealedFrames = tv::column(rows, &tv::Video::i_concealed),
        .IDecodedFrames = tv::column(rows, &tv::Video::i_decoded),
        .ILostFrames = tv::column(rows, &tv::Video::i_lost),
        .LostFrames = tv::column(rows, &tv::Video::lost),
        .PConcealedFrames = tv::column(rows, &tv::Video::p_concealed),
        .PDecodedFrames = tv::column(rows, &tv::Video::p_decoded),
        .PLostFrames = tv::column(rows, &tv::Video::p_lost),
        .SampleSeconds = tv::sample_seconds(m, m.src.video),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_VideoResponseStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_VideoResponseStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const bool zapping = m.src.zaps.period != 0;
    const auto rows = tv::per_sample(m, zapping, [&](Window w, Span s) { return tv::zap_stats(m, w, s); });
    std::vector<std::string> responses;
    for (const tv::Zaps& z : rows) responses.push_back(tv::joined(z.responses));
    const std::vector<std::uint32_t> none(rows.size(), 0);  // no VoD sessions
    return {
        .AccessSuccesses = none,
        .AverageVideoSystemResponse = tv::column(rows, &tv::Zaps::average_ms),
        .AverageVoDControlResponse = none,
        .ChannelChangeFailures = tv::column(rows, &tv::Zaps::failures),
        .CompletionCount = none,
        .MaximumVideoSystemResponse = tv::column(rows, &tv::Zaps::max_ms),
        .MaximumVoDControlResponse = none,
        .MinimumVideoSystemResponse = tv::column(rows, &tv::Zaps::min_ms),
        .MinimumVoDControlResponse = none,
        .RequestedTransactions = none,
        .SampleSeconds = tv::sample_seconds(m, zapping),
        .VideoSystemResponse = responses,
        .VoDControlResponse = std::vector<std::string>(rows.size()),
    };
}

// --- MainStream Total statistics ---------------------------------------------

STBService_ServiceMonitoring_MainStream_Total read(Context& ctx, const Instance& in,
                                                   Tag<STBService_ServiceMonitoring_MainStream_Total>) {
    const tv::Monitor m = monitor(ctx, in);
    const Window total = m.total();
    return {
        .Reset = false,
        .ResetTime = m.settings.enable ? u32(static_cast<std::uint64_t>(total.end - total.begin)) : 0u,
        .TotalSeconds = u32(m.span(total, true).seconds()),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_ServiceMonitoring_MainStream_Total::Changes& changes) {
    if (changes.Reset && *changes.Reset) tv::reset_total(sim::board(ctx), main_stream_path(in));
    return Fault::None;
}

STBService_ServiceMonitoring_MainStream_Total_AudioDecoderStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_AudioDecoderStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.audio);
    const tv::Audio a = tv::audio(s);
    return {.DecodedFrames = a.decoded, .DecodingErrors = a.errors, .TotalSeconds = u32(s.seconds())};
}

STBService_ServiceMonitoring_MainStream_Total_DejitteringStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_DejitteringStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.rtp);
    const tv::Dejittering d = tv::dejittering(s);
    return {
        .EmptyBufferTime = d.empty_buffer_ms,
        .Overruns = d.overruns,
        .TotalSeconds = u32(s.seconds()),
        .Underruns = d.underruns,
    };
}

STBService_ServiceMonitoring_MainStream_Total_MPEG2TSStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_MPEG2TSStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.stream != 0);
    const tv::Ts t = tv::ts(m, m.total(), s);
    return {
        .PacketDiscontinuityCounter = t.discontinuities,
        .PacketDiscontinuityCounterBeforeCA = t.discontinuities_before_ca,
        .TSPacketsReceived = t.received,
        .TSSyncByteErrorCount = t.sync_byte_errors,
        .TSSyncLossCount = t.sync_losses,
        .TotalSeconds = u32(s.seconds()),
    };
}

STBService_ServiceMonitoring_MainStream_Total_RTPStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_RTPStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.rtp);
    const tv::Rtp r = tv::rtp(m.settings, s);
    const tv::Histograms h = tv::histograms(m.settings, r);
    return {
        .DelayBetweenLossEventsHistogram = h.delay,
        .DelayBetweenLossEventsHistogramBeforeEC = h.delay_before_ec,
        .DurationSevereLossEventsHistogram = h.duration,
        .DurationSevereLossEventsHistogramBeforeEC = h.duration_before_ec,
        .LossEvents = r.events,
        .LossEventsBeforeEC = r.events_before_ec,
        .PacketsDiscarded = r.discarded,
        .PacketsExpected = r.expected,
        .PacketsLost = r.lost,
        .PacketsLostBeforeEC = r.lost_before_ec,
        .PacketsLostByEventHistogram = h.lost,
        .PacketsLostByEventHistogramBeforeEC = h.lost_before_ec,
        .PacketsOutOfSequence = r.out_of_sequence,
        .PacketsReceived = r.received,
        .PacketsReceivedBeforeEC = r.received_before_ec,
        .RetransmitTimeouts = r.retransmit_timeouts,
        .SevereLossIndexCount = r.severe_index,
        .SevereLossIndexCountBeforeEC = r.severe_index_before_ec,
        .SevereLossLengthCount = r.severe_length,
        .SevereLossLengthCountBeforeEC = r.severe_length_before_ec,
        .TotalSeconds = u32(s.seconds()),
    };
}

STBService_ServiceMonitoring_MainStream_Total_TCPStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_TCPStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), false);
    const tv::Tcp t = tv::tcp(s);
    return {.BytesReceived = t.bytes, .PacketsReceived = t.packets, .PacketsRetransmitted = t.retransmitted,
            .TotalSeconds = u32(s.seconds())};
}

STBService_ServiceMonitoring_MainStream_Total_VideoDecoderStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_VideoDecoderStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.video);
    const tv::Video v = tv::video(m.src.fps, s);
    return {
        .AVResynchCounter = v.resynchs,
        .BConcealedFrames = v.b_concealed,
        .BDecodedFrames = v.b_decoded,
        .BLostFrames = v.b_lost,
        .ConcealedFrames = v.concealed,
        .DecodedFrames = v.decoded,
        .FrameRate = v.frame_rate,
        .IConcealedFrames = v.i_concealed,
        .IDecodedFrames = v.i_decoded,
        .ILostFrames = v.i_lost,
        .LostFrames = v.lost,
        .PConcealedFrames = v.p_concealed,
        .PDecodedFrames = v.p_decoded,
        .PLostFrames = v.p_lost,
        .TotalSeconds = u32(s.seconds()),
    };
}

STBService_ServiceMonitoring_MainStream_Total_VideoResponseStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_VideoResponseStats>) {
    const tv::Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.zaps.period != 0);
    const tv::Zaps z = tv::zap_stats(m, m.total(), s);
    return {
        .AccessSuccesses = 0,  // no VoD sessions
        .ChannelChangeFailures = z.failures,
        .ChannelFailures = z.failed,
        .CompletionCount = 0,
        .MaximumVideoSystemResponse = z.max_ms,
        .MaximumVoDControlResponse = 0,
        .MinimumVideoSystemResponse = z.min_ms,
        .MinimumVoDControlResponse = 0,
        .RequestedTransactions = 0,
        .TotalSeconds = u32(s.seconds()),
    };
}

}  // namespace cwmp::platform
