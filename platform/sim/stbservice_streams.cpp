// Device.Services.STBService.{i}. itself, its AV streams and players, and
// ServiceMonitoring.  Three streams run: IPTV on the main screen (FrontEnd.2,
// zapping through three multicast groups every 10 minutes, as the IGMP
// figures of Components have it), the tuned DVB-T service in picture-in-picture
// and a recording of it (FrontEnd.1, whose tuner drops lock 10 s in every
// 40 s).  Four players exist, one of them busy.  MainStream statistics are
// counted from the seconds each stream was actually received, per sample
// interval and since the last reset, so Sample and Total figures agree with
// each other and with the tuner; the event log records zaps and signal losses.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "board.h"
#include "cwmp/platform/stbservice.h"

namespace cwmp::platform {

using model::STBService;
using model::STBService_AVPlayers;
using model::STBService_AVPlayers_AVPlayer;
using model::STBService_AVStreams;
using model::STBService_AVStreams_AVStream;
using model::STBService_Capabilities_ServiceMonitoring;
using model::STBService_Components_FrontEnd;
using model::STBService_Components_FrontEnd_DVBT_Service;
using model::STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service;
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

const char* const kSTB = "Device.Services.STBService.{i}.";
const char* const kStreamTemplate = "Device.Services.STBService.{i}.AVStreams.AVStream.{i}.";
const char* const kPlayerTemplate = "Device.Services.STBService.{i}.AVPlayers.AVPlayer.{i}.";
const char* const kMainStreamTemplate = "Device.Services.STBService.{i}.ServiceMonitoring.MainStream.{i}.";
const char* const kMetricTemplate =
    "Device.Services.STBService.{i}.ServiceMonitoring.MainStream.{i}.Sample.HighLevelMetricStats.{i}.";

std::string stb_path(const Instance& in) { return sim::instance_path(kSTB, in); }
std::string monitoring_path(const Instance& in) { return stb_path(in) + "ServiceMonitoring."; }
std::string main_stream_path(const Instance& in) { return sim::instance_path(kMainStreamTemplate, in); }
// The MainStream of `in` (the MainStream itself or an object below it).
std::uint32_t main_stream(const Instance& in) { return in.numbers[1]; }

// "Device.Services.STBService.1.Components.VideoDecoder.2" ("" for 0).
std::string component(const Instance& in, const char* kind, std::uint32_t n) {
    return n == 0 ? "" : stb_path(in) + "Components." + kind + "." + std::to_string(n);
}
std::string stream_path(const Instance& in, std::uint32_t n) {
    return n == 0 ? "" : stb_path(in) + "AVStreams.AVStream." + std::to_string(n);
}

bool stb_enabled(const sim::SimBoard& b, const Instance& in) { return b.setting(stb_path(in) + "Enable", true); }

// Counters are unsignedInt and wrap like the hardware's.
std::uint32_t u32(std::uint64_t v) { return static_cast<std::uint32_t>(v); }

STBService_Capabilities_ServiceMonitoring capabilities(Context& ctx, const Instance& in) {
    return read(ctx, Instance{in.numbers.first(1)}, Tag<STBService_Capabilities_ServiceMonitoring>{});
}
// A capability's -1 means "no limit".
std::uint32_t limit(std::int32_t capability) {
    return capability < 0 ? UINT32_MAX : static_cast<std::uint32_t>(capability);
}

// --- Time --------------------------------------------------------------------

struct Window {  // [begin, end), seconds since the epoch
    std::int64_t begin;
    std::int64_t end;
};

// Events at boot + offset + k * period, k = 0, 1, ... (none for period 0).
struct Series {
    std::int64_t offset = 0;
    std::int64_t period = 0;

    // How many happened before `t`.
    std::uint64_t before(const sim::SimBoard& b, std::int64_t t) const {
        const std::int64_t first = b.boot_time() + offset;
        return period == 0 || t <= first ? 0 : static_cast<std::uint64_t>((t - first - 1) / period + 1);
    }
    std::int64_t at(const sim::SimBoard& b, std::uint64_t k) const {
        return b.boot_time() + offset + static_cast<std::int64_t>(k) * period;
    }
    // The event numbers in [w.begin, w.end).
    std::pair<std::uint64_t, std::uint64_t> in(const sim::SimBoard& b, Window w) const {
        return {before(b, w.begin), std::max(before(b, w.begin), before(b, w.end))};
    }
};

// Tuner 1's lock losses, as SimBoard has them.
constexpr std::int64_t kLockCycle = sim::SimBoard::kLockCycle, kLockedFor = sim::SimBoard::kLockedFor;
constexpr Series kTunerLosses{kLockedFor, kLockCycle};

// A stretch of reception, in seconds received since collection started:
// (from, to].  Statistics count events every so many seconds of reception,
// so consecutive samples add up to the Total over the same time.
struct Span {
    std::uint64_t from = 0;
    std::uint64_t to = 0;

    std::uint64_t seconds() const { return to - from; }
    // Events once every `period` seconds.
    std::uint64_t every(std::uint64_t period) const { return to / period - from / period; }
    // Events at `num / den` per second.
    std::uint64_t rate(std::uint64_t num, std::uint64_t den = 1) const { return to * num / den - from * num / den; }
};

// --- The streams -------------------------------------------------------------

// Live IPTV: zap k (at uptime (k + 1) * 10 min) joins group (k + 1) % 3.
constexpr std::string_view kIPTVChannels[] = {"News 24 HD", "Sports 1 HD", "Movies HD"};
constexpr std::string_view kIPTVGroups[] = {"239.192.10.1", "239.192.10.2", "239.192.10.3"};

// Where a stream comes from and what the box does with it.
struct Source {
    std::uint32_t stream = 0;  // AVStream instance; 0: none
    std::uint32_t tuner = 0;   // FrontEnd whose lock gates reception; 0: IP
    bool rtp = false;
    bool video = false;
    bool audio = false;
    bool timeshift = false;
    std::uint32_t ts_per_second = 0;
    std::uint32_t fps = 0;
    Series zaps;               // channel changes the box makes by itself
    std::uint32_t zap_ms = 0;  // the quickest zap's response time

    Series losses() const { return tuner == 1 ? kTunerLosses : Series{}; }
    // The multicast group joined by zap k, and the one joined now.
    std::size_t group_after(std::uint64_t k) const { return (k + 1) % std::size(kIPTVGroups); }
    std::size_t group(const sim::SimBoard& b) const { return zaps.before(b, b.now() + 1) % std::size(kIPTVGroups); }
    std::uint32_t response_ms(std::uint64_t k) const { return zap_ms + static_cast<std::uint32_t>(k * 173 % 900); }
};

// IPTV: 8 Mbit/s HD multicast over RTP, 5300 TS packets/s.
const Source kIPTV{1, 0, true, true, true, false, 5300, 50, {600, 600}, 300};
// DVB-T in PIP: video only, 4 Mbit/s; the ACS tunes it (Components).
const Source kDTT{2, 1, false, true, false, false, 2650, 25, {}, 0};
// A recording of the DVB-T service to the disk (time-shifted playback later).
const Source kPVR{3, 1, false, false, false, true, 2650, 0, {}, 0};
const Source kNoSource{0, 0, false, false, false, false, 0, 0, {}, 0};

const Source* const kStreamSources[] = {&kIPTV, &kDTT, &kPVR};

// A MainStream's ServiceType picks the AV stream it monitors.
const Source& source(std::string_view service_type) {
    if (service_type == "IPTV" || service_type == "IP-All") return kIPTV;
    if (service_type == "DTT") return kDTT;
    if (service_type == "PVR") return kPVR;
    return kNoSource;  // VoD: no session
}

struct StreamSpec {
    std::uint32_t front_end;
    std::uint32_t inbound;  // FrontEnd.{front_end}.IP.Inbound.{i}
    std::uint32_t video_decoder;
    std::uint32_t audio_decoder;
    std::uint32_t ca;
    std::uint32_t drm;
    STBService_AVStreams_AVStream::PVRStateValue pvr;
};
constexpr std::uint32_t kStreams = 3;
constexpr std::array<StreamSpec, kStreams> kStreamSpecs = {{
    {2, 1, 1, 1, 1, 0, STBService_AVStreams_AVStream::PVRStateValue::Disabled},
    {1, 0, 2, 0, 0, 0, STBService_AVStreams_AVStream::PVRStateValue::Disabled},  // PIP: muted
    {1, 0, 0, 0, 0, 1, STBService_AVStreams_AVStream::PVRStateValue::Play},      // recording
}};

// Disabled with the STB or its front end; in error while the tuner is unlocked.
STBService_AVStreams_AVStream::StatusValue stream_status(Context& ctx, const Instance& in, std::uint32_t n) {
    using Status = STBService_AVStreams_AVStream::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::array<std::uint32_t, 2> front_end{in.numbers[0], kStreamSpecs.at(n - 1).front_end};
    if (!stb_enabled(b, in) || read(ctx, Instance{front_end}, Tag<STBService_Components_FrontEnd>{}).Status.value !=
                                   STBService_Components_FrontEnd::StatusValue::Enabled)
        return Status::Disabled;
    const std::uint32_t tuner = kStreamSources[n - 1]->tuner;
    return tuner != 0 && !b.tuner_locked(tuner) ? Status::Error : Status::Enabled;
}

// The DVB-T service FrontEnd.{tuner} is tuned to ("" when none): the Name of
// its DVBT.Service.CurrentService ("...LogicalChannel.3.Service.1").
std::string tuned_service(Context& ctx, const Instance& in, std::uint32_t tuner) {
    const std::array<std::uint32_t, 2> front_end{in.numbers[0], tuner};
    const std::string current =
        read(ctx, Instance{front_end}, Tag<STBService_Components_FrontEnd_DVBT_Service>{}).CurrentService.value;
    const std::size_t c = current.find("LogicalChannel."), s = current.find(".Service.");
    std::uint32_t channel = 0, service = 0;
    if (c == std::string::npos || s == std::string::npos || s < c ||
        dm::parse(std::string_view(current).substr(c + 15, s - c - 15), channel) != Fault::None ||
        dm::parse(std::string_view(current).substr(s + 9), service) != Fault::None)
        return "";
    const std::array<std::uint32_t, 4> numbers{in.numbers[0], tuner, channel, service};
    return read(ctx, Instance{numbers},
                Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service>{})
        .Name.value;
}

std::string stream_name(Context& ctx, const Instance& in, std::uint32_t n) {
    const Source& src = *kStreamSources[n - 1];
    if (src.tuner == 0) return std::string(kIPTVChannels[src.group(sim::board(ctx))]);
    const std::string service = tuned_service(ctx, in, src.tuner);
    return src.timeshift && !service.empty() ? "Recording: " + service : service;
}

// --- The players -------------------------------------------------------------

struct PlayerSpec {
    const char* name;
    std::uint32_t main_stream;
    std::uint32_t pip_stream;
    std::uint32_t video_output;
    std::array<std::uint32_t, 2> audio_outputs;
    bool enable;
};
constexpr std::uint32_t kPlayers = 4;
constexpr std::array<PlayerSpec, kPlayers> kPlayerSpecs = {{
    {"Main screen", 1, 2, 1, {1, 2}, true},   // HDMI video, HDMI and S/PDIF audio
    {"PVR playback", 0, 0, 1, {1, 0}, true},  // idle until a recording is played
    {"Radio", 0, 0, 0, {2, 0}, true},         // S/PDIF only, idle
    {"Mosaic preview", 0, 0, 1, {0, 0}, false},
}};

std::vector<std::string> outputs(const Instance& in, const char* kind, std::span<const std::uint32_t> numbers) {
    std::vector<std::string> out;
    for (std::uint32_t n : numbers)
        if (n != 0) out.push_back(component(in, kind, n));
    return out;
}

// Playing: enabled, with a main stream that is not disabled.
bool player_active(Context& ctx, const Instance& in, const PlayerSpec& spec) {
    return sim::board(ctx).setting(sim::instance_path(kPlayerTemplate, in) + "Enable", spec.enable) &&
           spec.main_stream != 0 &&
           stream_status(ctx, in, spec.main_stream) != STBService_AVStreams_AVStream::StatusValue::Disabled;
}

std::string players_path(const Instance& in) { return stb_path(in) + "AVPlayers."; }

// --- Sampling ----------------------------------------------------------------

constexpr std::uint32_t kSampleInterval = 300;
constexpr std::uint32_t kReportSamples = 48;  // four hours
constexpr std::uint32_t kEventsPerSampleInterval = 16;

// The stored sample intervals, oldest first, as SampleInterval, ReportSamples,
// TimeReference and ForceSample make them.
struct Sampling {
    std::vector<Window> windows;
    std::uint64_t first = 0;  // number of windows.front() since collection (re)started
    std::int64_t first_end = 0;
    std::int64_t interval = 1;

    // How many sample intervals completed by `t` (the number of the one in
    // progress, counting from 0).
    std::uint64_t number_at(std::int64_t t) const {
        return t < first_end ? 0 : static_cast<std::uint64_t>((t - first_end) / interval + 1);
    }
};

Sampling sampling(const sim::SimBoard& b, const std::string& sm) {
    Sampling s;
    if (!b.setting(sm + "SampleEnable", true)) return s;
    const std::uint64_t report = b.setting(sm + "ReportSamples", kReportSamples);
    const std::int64_t start = b.setting(sm + "SampleStart", b.boot_time());
    const std::int64_t now = b.now();
    s.interval = std::max(b.setting(sm + "SampleInterval", kSampleInterval), 1u);
    s.first_end = start + s.interval;
    // Intervals complete at TimeReference + k * SampleInterval, if set.
    const dm::DateTime reference = b.setting(sm + "TimeReference", dm::DateTime{});
    if (reference.unix_seconds != dm::DateTime::kUnknown) {
        const std::int64_t offset = ((reference.unix_seconds - start) % s.interval + s.interval) % s.interval;
        if (offset != 0) s.first_end = start + offset;
    }
    auto end_of = [&](std::uint64_t j) { return s.first_end + static_cast<std::int64_t>(j) * s.interval; };
    const std::uint64_t done = s.number_at(now);
    for (std::uint64_t j = done - std::min(done, report); j < done; ++j)
        s.windows.push_back({std::max(start, end_of(j) - s.interval), end_of(j)});
    s.first = done - s.windows.size();
    // A forced sample shows the current interval so far, until it completes.
    const std::int64_t forced = b.setting(sm + "ForcedAt", std::int64_t{0});
    const std::int64_t current = done == 0 ? start : end_of(done - 1);
    if (forced > current && forced <= now) {
        s.windows.push_back({current, forced});
        if (s.windows.size() > report) {
            s.windows.erase(s.windows.begin());
            ++s.first;
        }
    }
    return s;
}

// --- One MainStream's collection ---------------------------------------------

struct MainStreamSettings {
    bool enable;
    std::string service_type;
    std::uint32_t failure_timeout;  // seconds
    std::uint32_t gmin;
    std::uint32_t severe_min_distance;
    std::uint32_t severe_min_length;
    std::vector<std::uint32_t> lost_intervals;
    std::vector<std::uint32_t> delay_intervals;
    std::vector<std::uint32_t> duration_intervals;
};

MainStreamSettings main_stream_settings(const sim::SimBoard& b, const Instance& in) {
    const std::string path = main_stream_path(in);
    using List = std::vector<std::uint32_t>;
    return {
        b.setting(path + "Enable", true),
        b.setting<std::string>(path + "ServiceType", main_stream(in) == 1 ? "IPTV" : main_stream(in) == 2 ? "DTT" : ""),
        b.setting(path + "ChannelChangeFailureTimeout", 1u),
        b.setting(path + "Gmin", 16u),
        b.setting(path + "SevereLossMinDistance", 10u),
        b.setting(path + "SevereLossMinLength", 4u),
        b.setting(path + "PacketsLostByEventHistogramIntervals", List{1, 2, 4, 8}),
        b.setting(path + "DelayBetweenLossEventsHistogramIntervals", List{10, 20, 50, 100, 1000, 60000, 3600000}),
        b.setting(path + "DurationSevereLossEventsHistogramIntervals",
                  List{50, 100, 500, 1000, 2000, 5000, 10000, 120000}),
    };
}

struct Monitor {
    const sim::SimBoard& b;
    MainStreamSettings settings;
    const Source& src;
    std::int64_t since;        // collecting since (enabled)
    std::int64_t total_since;  // Total statistics since (enabled or reset)
    Sampling sampling;         // empty while the stream is not monitored
    std::uint32_t events_per_sample;

    // The reception of `w` by a category of statistics that `applies`.
    Span span(Window w, bool applies) const {
        if (!applies || !settings.enable || src.stream == 0) return {};
        return {b.locked_seconds(src.tuner, since, w.begin), b.locked_seconds(src.tuner, since, w.end)};
    }
    Window total() const { return {total_since, b.now()}; }
};

Monitor monitor(Context& ctx, const Instance& in) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = main_stream_path(in);
    const std::string sm = monitoring_path(in);
    MainStreamSettings settings = main_stream_settings(b, in);
    const Source& src = source(settings.service_type);
    const std::int64_t since = b.setting(path + "EnabledAt", b.boot_time());
    const bool on = settings.enable;
    return {
        b,
        std::move(settings),
        src,
        since,
        std::max(since, b.setting(path + "Total.ResetAt", b.boot_time())),
        on ? sampling(b, sm) : Sampling{},
        b.setting(sm + "EventsPerSampleInterval", kEventsPerSampleInterval),
    };
}

// One value per stored sample, from each sample's window and reception.
template <class F>
auto per_sample(const Monitor& m, bool applies, F f) {
    std::vector<decltype(f(Window{}, Span{}))> out;
    for (const Window& w : m.sampling.windows) out.push_back(f(w, m.span(w, applies)));
    return out;
}

std::vector<std::uint32_t> sample_seconds(const Monitor& m, bool applies) {
    return per_sample(m, applies, [](Window, Span s) { return u32(s.seconds()); });
}

// One field of each sample's statistics.
template <class Row, class F>
std::vector<std::uint32_t> column(const std::vector<Row>& rows, F field) {
    std::vector<std::uint32_t> out;
    for (const Row& r : rows) out.push_back(std::invoke(field, r));
    return out;
}

// "12:0:3": one Sample list item holding several values.  TR-135 makes each
// Sample histogram item "a comma-separated list" inside a comma-separated
// list, which could not be told apart; they take colons, like the
// colon-separated response-time items.
std::string joined(const std::vector<std::uint32_t>& values) {
    std::string out;
    for (std::uint32_t v : values) {
        if (!out.empty()) out += ':';
        out += std::to_string(v);
    }
    return out;
}

// --- Statistics over a span of reception -------------------------------------

// RTP: 757 packets/s (7 TS packets each).  Before error correction a loss
// event of 2 packets every 50 s; FEC and retransmission leave one lost packet
// every 10 minutes.  Losses are evenly spread, so the severe-loss counts
// follow from the MainStream's thresholds.
struct Rtp {
    std::uint32_t expected, received, received_before_ec, lost, lost_before_ec, events, events_before_ec;
    std::uint32_t discarded, out_of_sequence, retransmit_timeouts;
    std::uint32_t severe_index, severe_index_before_ec, severe_length, severe_length_before_ec;
    std::uint32_t distance, distance_before_ec, period, period_before_ec;  // per loss event, packets
};
constexpr std::uint64_t kRtpPerSecond = 757;

Rtp rtp(const MainStreamSettings& ms, Span c) {
    const std::uint64_t expected = c.rate(kRtpPerSecond);
    const std::uint64_t events_before = c.every(50), events = c.every(600);
    const std::uint64_t lost_before = events_before * 2, lost = events;
    const std::uint64_t distance_before = events_before ? expected / events_before : 0;
    const std::uint64_t distance = events ? expected / events : 0;
    auto severe_index = [&](std::uint64_t n, std::uint64_t d) { return d < ms.severe_min_distance ? n : 0; };
    auto severe_length = [&](std::uint64_t n, std::uint64_t len) { return len > ms.severe_min_length ? n : 0; };
    return {
        u32(expected), u32(expected - lost), u32(expected - lost_before), u32(lost), u32(lost_before),
        u32(events), u32(events_before), u32(c.every(900)), u32(c.every(300)), u32(c.every(3600)),
        u32(severe_index(events, distance)), u32(severe_index(events_before, distance_before)),
        u32(severe_length(events, 1)), u32(severe_length(events_before, 2)),
        u32(distance), u32(distance_before), events ? 1u : 0u, events_before ? 2u : 0u,
    };
}

// `count` events of size `value` in a histogram over `bounds` (each bound the
// upper end of an interval; larger values fall outside).
std::vector<std::uint32_t> histogram(const std::vector<std::uint32_t>& bounds, std::uint32_t value,
                                     std::uint32_t count) {
    std::vector<std::uint32_t> h(bounds.size(), 0);
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (value <= bounds[i]) {
            h[i] = count;
            break;
        }
    }
    return h;
}

struct Histograms {
    std::vector<std::uint32_t> lost, lost_before_ec, delay, delay_before_ec, duration, duration_before_ec;
};
Histograms histograms(const MainStreamSettings& ms, const Rtp& r) {
    auto ms_of = [](std::uint32_t packets) { return u32(packets * 1000ULL / kRtpPerSecond); };
    return {
        histogram(ms.lost_intervals, r.period, r.events),
        histogram(ms.lost_intervals, r.period_before_ec, r.events_before_ec),
        histogram(ms.delay_intervals, ms_of(r.distance), r.events),
        histogram(ms.delay_intervals, ms_of(r.distance_before_ec), r.events_before_ec),
        histogram(ms.duration_intervals, ms_of(r.period), r.severe_length),
        histogram(ms.duration_intervals, ms_of(r.period_before_ec), r.severe_length_before_ec),
    };
}

struct Dejittering {
    std::uint32_t overruns, underruns, empty_buffer_ms;
};
Dejittering dejittering(Span c) { return {u32(c.every(7200)), u32(c.every(3600)), u32(c.every(3600) * 120)}; }

struct Ts {
    std::uint32_t received, drained, sync_byte_errors, sync_losses, discontinuities, discontinuities_before_ca;
};
// Over IP sync loss is not meaningful; on DVB-T each loss of lock is one.
// The last 40 packets of a sample are still in the buffer.
Ts ts(const Monitor& m, Window w, Span c) {
    const auto [first, end] = m.src.losses().in(m.b, {std::max(w.begin, m.since), w.end});
    const std::uint64_t losses = c.seconds() == 0 ? 0 : end - first;
    const std::uint64_t received = c.rate(m.src.ts_per_second);
    return {
        u32(received), u32(received - std::min<std::uint64_t>(received, 40)), u32(c.every(900)), u32(losses),
        u32(c.every(600) + losses), u32(c.every(600) + losses + c.every(3600)),
    };
}

// GOPs of 24 frames: 1 I, 7 P and 16 B.  A frame is lost every 10 minutes
// (a third of them P, the rest B), concealed every 5 (1/8 I, 3/8 P, 1/2 B).
struct Video {
    std::uint32_t decoded, i_decoded, p_decoded, b_decoded, lost, i_lost, p_lost, b_lost;
    std::uint32_t concealed, i_concealed, p_concealed, b_concealed, resynchs, frame_rate;
};
Video video(std::uint32_t fps, Span c) {
    const std::uint64_t decoded = c.rate(fps), i = c.rate(fps, 24), ip = c.rate(fps, 3);
    return {
        u32(decoded), u32(i), u32(ip - i), u32(decoded - ip),
        u32(c.every(600)), 0, u32(c.every(1800)), u32(c.every(600) - c.every(1800)),
        u32(c.every(300)), u32(c.every(2400)), u32(c.every(600) - c.every(2400)), u32(c.every(300) - c.every(600)),
        u32(c.every(1800)), c.seconds() ? fps : 0,
    };
}

// AC-3 at 48 kHz: 31.25 frames/s.
struct Audio {
    std::uint32_t decoded, errors;
};
Audio audio(Span c) { return {u32(c.rate(125, 4)), u32(c.every(1200))}; }

// None of the streams is carried over TCP (that would be VoD).
struct Tcp {
    std::uint32_t bytes, packets, retransmitted;
};
Tcp tcp(Span c) { return {u32(c.rate(1000000)), u32(c.rate(700)), u32(c.every(60))}; }

// Zaps: how long each took to show its first I frame, and which failed.
struct Zaps {
    std::uint32_t count = 0, failures = 0, min_ms = 0, max_ms = 0, average_ms = 0;
    std::vector<std::uint32_t> responses;  // at most EventsPerSampleInterval of them
    std::vector<std::string> failed;       // the channels of the last 10 failures
};
Zaps zaps(const Monitor& m, Window w, Span c) {
    Zaps z;
    if (c.seconds() == 0) return z;
    const auto [first, end] = m.src.zaps.in(m.b, {std::max(w.begin, m.since), w.end});
    std::uint64_t sum = 0;
    for (std::uint64_t k = first; k < end; ++k) {
        const std::uint32_t r = m.src.response_ms(k);
        z.min_ms = z.count == 0 ? r : std::min(z.min_ms, r);
        z.max_ms = std::max(z.max_ms, r);
        sum += r;
        ++z.count;
        if (z.responses.size() < m.events_per_sample) z.responses.push_back(r);
        if (r > std::uint64_t{m.settings.failure_timeout} * 1000) {
            ++z.failures;
            z.failed.emplace_back(kIPTVGroups[m.src.group_after(k)]);
            if (z.failed.size() > 10) z.failed.erase(z.failed.begin());
        }
    }
    z.average_ms = z.count ? u32(sum / z.count) : 0;
    return z;
}

// --- High-level metrics ------------------------------------------------------

// One HighLevelMetricStats row per Capabilities.ServiceMonitoring.HighLevelMetricNames.

// Scores of sample j cycle through 60000, 59500, ... 52500 (higher is better).
constexpr std::uint32_t kScoreCycle = 16;
std::uint32_t score(std::uint64_t j, std::uint32_t phase) {
    return 60000 - static_cast<std::uint32_t>((j * 7 + phase) % kScoreCycle) * 500;
}
// How many of samples [from, to) scored at or below `threshold`.
std::uint32_t failures(std::uint64_t from, std::uint64_t to, std::uint32_t phase, std::uint32_t threshold) {
    if (to <= from) return 0;
    std::uint64_t per_cycle = 0;
    for (std::uint32_t j = 0; j < kScoreCycle; ++j) per_cycle += score(j, phase) <= threshold;
    std::uint64_t n = (to - from) / kScoreCycle * per_cycle;
    for (std::uint64_t j = from + (to - from) / kScoreCycle * kScoreCycle; j < to; ++j) n += score(j, phase) <= threshold;
    return u32(n);
}

// --- The event log -----------------------------------------------------------

// IPTV logs its zaps; DVB-T streams their losses of signal.
struct EventLog {
    Series series;
    bool zaps;
    std::uint64_t first;  // the event of sequence number 1
    std::uint32_t count;  // events since the log (re)started
    std::uint32_t kept;   // the last `kept` of them are entries
};

EventLog event_log(Context& ctx, const Instance& in) {
    const Monitor m = monitor(ctx, in);
    const sim::SimBoard& b = m.b;
    EventLog log{m.src.tuner == 1 ? m.src.losses() : m.src.zaps, m.src.tuner != 1, 0, 0, 0};
    if (!m.settings.enable || m.src.stream == 0 || !b.setting(monitoring_path(in) + "EventCollectionEnable", true))
        return log;
    const std::int64_t from = std::max({m.since, b.setting(monitoring_path(in) + "EventsEnabledAt", b.boot_time()),
                                        b.setting(main_stream_path(in) + "EventLog.ResetAt", b.boot_time())});
    const auto [first, end] = log.series.in(b, {from, b.now() + 1});
    log.first = first;
    log.count = u32(end - first);
    log.kept = std::min(log.count, capabilities(ctx, in).MaxMainStreamEventLogEntries.value);
    return log;
}

struct EventParameter {
    std::string name, value;
};
std::vector<EventParameter> event_parameters(const Instance& in, const Monitor& m, const EventLog& log,
                                             std::uint64_t k) {
    if (log.zaps)
        return {{"MulticastGroup", std::string(kIPTVGroups[m.src.group_after(k)])},
                {"ResponseTime", std::to_string(m.src.response_ms(k))}};
    return {{"FrontEnd", component(in, "FrontEnd", m.src.tuner)},
            {"Duration", std::to_string(kLockCycle - kLockedFor)}};
}

// RFC 4122 time-based UUID of the monitored session (it starts at the last zap).
std::string session_id(const Monitor& m, std::uint32_t main_stream) {
    const std::uint64_t zaps = m.src.zaps.before(m.b, m.b.now() + 1);
    const std::int64_t start = std::max(m.since, zaps ? m.src.zaps.at(m.b, zaps - 1) : m.b.boot_time());
    const std::uint64_t t = static_cast<std::uint64_t>(start) * 10000000ULL + 0x01B21DD213814000ULL;
    char out[40];
    std::snprintf(out, sizeof out, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(t & 0xffffffff),
                  static_cast<unsigned>((t >> 32) & 0xffff), static_cast<unsigned>(((t >> 48) & 0x0fff) | 0x1000),
                  static_cast<unsigned>(0x8000 | (zaps & 0x3fff)), 0x02005e005300ULL + main_stream);
    return out;
}

// --- GlobalOperation: the portal, polled every 5 minutes ---------------------

constexpr Series kPortal{300, 300};
constexpr std::uint32_t kPortalCycle = 400;
std::uint32_t portal_ms(std::uint64_t k) { return 180 + static_cast<std::uint32_t>(k * 61 % kPortalCycle); }

}  // namespace

// --- Device.Services.STBService.{i}. -----------------------------------------

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService>) { return sim::numbered(1); }

STBService read(Context& ctx, const Instance& in, Tag<STBService>) {
    sim::SimBoard& b = sim::board(ctx);
    return {
        .Alias = b.setting<std::string>(stb_path(in) + "Alias", "cpe-stb-" + std::to_string(sim::last(in))),
        .Enable = stb_enabled(b, in),
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
    std::uint32_t active = 0;
    for (std::uint32_t n = 1; n <= kStreams; ++n)
        active += stream_status(ctx, in, n) != STBService_AVStreams_AVStream::StatusValue::Disabled;
    return {.ActiveAVStreams = active};
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_AVStreams_AVStream>) {
    return sim::numbered(kStreams);
}

STBService_AVStreams_AVStream read(Context& ctx, const Instance& in, Tag<STBService_AVStreams_AVStream>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const StreamSpec& spec = kStreamSpecs.at(n - 1);
    const std::string front_end = component(in, "FrontEnd", spec.front_end);
    return {
        .Alias = b.setting<std::string>(sim::instance_path(kStreamTemplate, in) + "Alias",
                                        "cpe-avstream-" + std::to_string(n)),
        .AudioDecoder = component(in, "AudioDecoder", spec.audio_decoder),
        .CA = component(in, "CA", spec.ca),
        .DRM = component(in, "DRM", spec.drm),
        .FrontEnd = front_end,
        .Inbound = spec.inbound ? front_end + ".IP.Inbound." + std::to_string(spec.inbound) : "",
        .Name = stream_name(ctx, in, n),
        .Outbound = "",
        .PVRState = spec.pvr,
        .Status = stream_status(ctx, in, n),
        .VideoDecoder = component(in, "VideoDecoder", spec.video_decoder),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_AVStreams_AVStream::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kStreamTemplate, in) + "Alias", *changes.Alias);
    return Fault::None;
}

// --- AVPlayers ---------------------------------------------------------------

STBService_AVPlayers read(Context& ctx, const Instance& in, Tag<STBService_AVPlayers>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = players_path(in);
    std::uint32_t active = 0;
    for (std::uint32_t n = 1; n <= kPlayers; ++n) {
        const std::array<std::uint32_t, 2> numbers{in.numbers[0], n};
        active += player_active(ctx, Instance{numbers}, kPlayerSpecs[n - 1]);
    }
    return {
        .ActiveAVPlayers = active,
        .PreferredAudioLanguage = b.setting<std::string>(path + "PreferredAudioLanguage", "en"),
        .PreferredBehaviour = b.setting<std::string>(path + "PreferredBehaviour", "None"),
        .PreferredSubtitlingLanguage = b.setting<std::string>(path + "PreferredSubtitlingLanguage", ""),
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
    if (changes.ResetPINCode && *changes.ResetPINCode) b.store(path + "PINCode", std::string("0000"));
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_AVPlayers_AVPlayer>) {
    return sim::numbered(kPlayers);
}

STBService_AVPlayers_AVPlayer read(Context& ctx, const Instance& in, Tag<STBService_AVPlayers_AVPlayer>) {
    using Status = STBService_AVPlayers_AVPlayer::StatusValue;
    using Subtitling = STBService_AVPlayers_AVPlayer::SubtitlingStatusValue;
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const PlayerSpec& spec = kPlayerSpecs.at(n - 1);
    const std::string path = sim::instance_path(kPlayerTemplate, in);
    const bool active = player_active(ctx, in, spec);
    const std::string audio = b.setting<std::string>(players_path(in) + "PreferredAudioLanguage", "en");
    const std::string subtitles = b.setting<std::string>(players_path(in) + "PreferredSubtitlingLanguage", "");
    // Subtitles are shown on the main screen only, when a language is preferred.
    const bool subtitled = active && n == 1 && !subtitles.empty() && subtitles != "None";
    const std::array<std::uint32_t, 1> video_outputs{spec.video_output};
    return {
        .Alias = b.setting<std::string>(path + "Alias", "cpe-avplayer-" + std::to_string(n)),
        .AudioLanguage = active ? (audio.empty() ? "en" : audio) : "",
        .AudioOutputs = outputs(in, "AudioOutput", spec.audio_outputs),
        .Enable = b.setting(path + "Enable", spec.enable),
        .MainStream = active ? stream_path(in, spec.main_stream) : "",
        .Name = spec.name,
        .PIPStreams = active && spec.pip_stream ? std::vector<std::string>{stream_path(in, spec.pip_stream)}
                                                : std::vector<std::string>{},
        .Status = active ? Status::Enabled : Status::Disabled,
        .SubtitlingLanguage = subtitled ? subtitles : "",
        .SubtitlingStatus = subtitled ? Subtitling::Enabled : Subtitling::Disabled,
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
    const Sampling s = sampling(b, sm);
    return {
        .EventCollectionEnable = b.setting(sm + "EventCollectionEnable", true),
        .EventsPerSampleInterval = b.setting(sm + "EventsPerSampleInterval", kEventsPerSampleInterval),
        .FetchSamples = b.setting(sm + "FetchSamples", 0u),
        .ForceSample = false,
        .ReportEndTime = s.windows.empty() ? dm::DateTime{} : dm::DateTime{s.windows.back().end},
        .ReportSamples = b.setting(sm + "ReportSamples", kReportSamples),
        .ReportStartTime = s.windows.empty() ? dm::DateTime{} : dm::DateTime{s.windows.front().begin},
        .SampleEnable = enabled,
        .SampleInterval = b.setting(sm + "SampleInterval", kSampleInterval),
        // Trigger is instantaneous (Enabled -> Trigger -> Enabled), never read.
        .SampleState = enabled ? State::Enabled : State::Disabled,
        .TimeReference = b.setting(sm + "TimeReference", dm::DateTime{}),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_ServiceMonitoring::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string sm = monitoring_path(in);
    const STBService_Capabilities_ServiceMonitoring caps = capabilities(ctx, in);
    const std::int32_t min_interval = caps.MinSampleInterval.value;
    if (changes.SampleInterval && (*changes.SampleInterval == 0 ||
                                   (min_interval > 0 && *changes.SampleInterval < limit(min_interval))))
        return Fault::InvalidParameterValue;
    if (changes.ReportSamples &&
        (*changes.ReportSamples < 1 || *changes.ReportSamples > limit(caps.MaxReportSamples.value)))
        return Fault::InvalidParameterValue;
    if (changes.EventsPerSampleInterval &&
        (*changes.EventsPerSampleInterval < 1 ||
         *changes.EventsPerSampleInterval > limit(caps.MaxEventsPerSampleInterval.value)))
        return Fault::InvalidParameterValue;
    // Enabling, or a new interval or time reference, discards the stored
    // samples; enabling event collection discards the events.
    const bool restart =
        (changes.SampleEnable && *changes.SampleEnable && !b.setting(sm + "SampleEnable", true)) ||
        (changes.SampleInterval && *changes.SampleInterval != b.setting(sm + "SampleInterval", kSampleInterval)) ||
        (changes.TimeReference && *changes.TimeReference != b.setting(sm + "TimeReference", dm::DateTime{}));
    if (changes.EventCollectionEnable) {
        if (*changes.EventCollectionEnable && !b.setting(sm + "EventCollectionEnable", true))
            b.store(sm + "EventsEnabledAt", b.now());
        b.store(sm + "EventCollectionEnable", *changes.EventCollectionEnable);
    }
    if (changes.EventsPerSampleInterval) b.store(sm + "EventsPerSampleInterval", *changes.EventsPerSampleInterval);
    if (changes.FetchSamples) b.store(sm + "FetchSamples", *changes.FetchSamples);
    if (changes.ForceSample && *changes.ForceSample) b.store(sm + "ForcedAt", b.now());
    if (changes.ReportSamples) b.store(sm + "ReportSamples", *changes.ReportSamples);
    if (changes.SampleEnable) b.store(sm + "SampleEnable", *changes.SampleEnable);
    if (changes.SampleInterval) b.store(sm + "SampleInterval", *changes.SampleInterval);
    if (changes.TimeReference) b.store(sm + "TimeReference", *changes.TimeReference);
    if (restart) b.store(sm + "SampleStart", b.now());
    return Fault::None;
}

STBService_ServiceMonitoring_GlobalOperation_Sample read(Context& ctx, const Instance& in,
                                                         Tag<STBService_ServiceMonitoring_GlobalOperation_Sample>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::string sm = monitoring_path(in);
    const std::uint32_t keep = b.setting(sm + "EventsPerSampleInterval", kEventsPerSampleInterval);
    STBService_ServiceMonitoring_GlobalOperation_Sample out{
        .MaximumPortalResponse = std::vector<std::uint32_t>{},
        .MinimumPortalResponse = std::vector<std::uint32_t>{},
        .PortalResponse = std::vector<std::string>{},
    };
    for (const Window& w : sampling(b, sm).windows) {
        const auto [first, end] = kPortal.in(b, w);
        std::vector<std::uint32_t> responses;
        std::uint32_t lo = 0, hi = 0;
        for (std::uint64_t k = first; k < end; ++k) {
            const std::uint32_t r = portal_ms(k);
            lo = k == first ? r : std::min(lo, r);
            hi = std::max(hi, r);
            if (responses.size() < keep) responses.push_back(r);
        }
        out.MaximumPortalResponse.value.push_back(hi);
        out.MinimumPortalResponse.value.push_back(lo);
        out.PortalResponse.value.push_back(joined(responses));
    }
    return out;
}

STBService_ServiceMonitoring_GlobalOperation_Total read(Context& ctx, const Instance&,
                                                        Tag<STBService_ServiceMonitoring_GlobalOperation_Total>) {
    const sim::SimBoard& b = sim::board(ctx);
    // The response times repeat every kPortalCycle polls.
    const std::uint64_t polls = std::min<std::uint64_t>(kPortal.before(b, b.now() + 1), kPortalCycle);
    std::uint32_t lo = 0, hi = 0;
    for (std::uint64_t k = 0; k < polls; ++k) {
        lo = k == 0 ? portal_ms(k) : std::min(lo, portal_ms(k));
        hi = std::max(hi, portal_ms(k));
    }
    return {
        .MaximumPortalResponse = hi,
        .MinimumPortalResponse = lo,
        .ServiceAccessTime = 4200,  // DHCP discover to the default channel's first I frame
    };
}

// --- MainStream --------------------------------------------------------------

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_ServiceMonitoring_MainStream>) {
    return sim::numbered(2);  // IPTV on the main screen, DVB-T in PIP
}

STBService_ServiceMonitoring_MainStream read(Context& ctx, const Instance& in,
                                             Tag<STBService_ServiceMonitoring_MainStream>) {
    using Status = STBService_ServiceMonitoring_MainStream::StatusValue;
    const Monitor m = monitor(ctx, in);
    const MainStreamSettings& s = m.settings;
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
        .SessionId = session_id(m, sim::last(in)),
        .SevereLossMinDistance = s.severe_min_distance,
        .SevereLossMinLength = s.severe_min_length,
        .Status = s.enable ? Status::Enabled : Status::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_ServiceMonitoring_MainStream::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = main_stream_path(in);
    const MainStreamSettings current = main_stream_settings(b, in);
    if (changes.ServiceType && !changes.ServiceType->empty()) {
        // One of Capabilities.ServiceMonitoring.ServiceTypes, and no AV
        // stream monitored by two enabled MainStreams.
        bool supported = false;
        for (auto t : capabilities(ctx, in).ServiceTypes.value) {
            std::string name;
            format(name, t);
            supported = supported || name == *changes.ServiceType;
        }
        if (!supported) return Fault::InvalidParameterValue;
        const std::uint32_t stream = source(*changes.ServiceType).stream;
        for (std::uint32_t other : instances(ctx, in, Tag<STBService_ServiceMonitoring_MainStream>{})) {
            const std::array<std::uint32_t, 2> numbers{in.numbers[0], other};
            const MainStreamSettings o = main_stream_settings(b, Instance{numbers});
            if (other != sim::last(in) && stream != 0 && o.enable && source(o.service_type).stream == stream)
                return Fault::InvalidParameterValue;
        }
    }
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.ChannelChangeFailureTimeout)
        b.store(path + "ChannelChangeFailureTimeout", *changes.ChannelChangeFailureTimeout);
    if (changes.DelayBetweenLossEventsHistogramIntervals)
        b.store(path + "DelayBetweenLossEventsHistogramIntervals", *changes.DelayBetweenLossEventsHistogramIntervals);
    if (changes.DurationSevereLossEventsHistogramIntervals)
        b.store(path + "DurationSevereLossEventsHistogramIntervals",
                *changes.DurationSevereLossEventsHistogramIntervals);
    // Enabling, or another service type, starts the statistics over.
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if ((changes.Enable && *changes.Enable && !current.enable) ||
        (changes.ServiceType && *changes.ServiceType != current.service_type))
        b.store(path + "EnabledAt", b.now());
    if (changes.Gmin) b.store(path + "Gmin", *changes.Gmin);
    if (changes.PacketsLostByEventHistogramIntervals)
        b.store(path + "PacketsLostByEventHistogramIntervals", *changes.PacketsLostByEventHistogramIntervals);
    if (changes.ServiceType) b.store(path + "ServiceType", *changes.ServiceType);
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
    sim::SimBoard& b = sim::board(ctx);
    // Clears what happened up to now, this second included.
    if (changes.Reset && *changes.Reset) b.store(main_stream_path(in) + "EventLog.ResetAt", b.now() + 1);
    return Fault::None;
}

// Entries are numbered by their sequence numbers.
std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_ServiceMonitoring_MainStream_EventLog_Entry>) {
    const EventLog log = event_log(ctx, parent);
    std::vector<std::uint32_t> out;
    for (std::uint32_t seq = log.count - log.kept + 1; seq <= log.count; ++seq) out.push_back(seq);
    return out;
}

STBService_ServiceMonitoring_MainStream_EventLog_Entry read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_EventLog_Entry>) {
    const EventLog log = event_log(ctx, in);
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
    const EventLog log = event_log(ctx, in);
    const Monitor m = monitor(ctx, in);
    const std::uint64_t k = log.first + std::max(in.numbers[2], 1u) - 1;
    const std::vector<EventParameter> params = event_parameters(in, m, log, k);
    const EventParameter& p = params.at(sim::last(in) - 1);
    return {.Name = p.name, .Value = p.value};
}

// --- MainStream Sample statistics --------------------------------------------

STBService_ServiceMonitoring_MainStream_Sample read(Context& ctx, const Instance& in,
                                                    Tag<STBService_ServiceMonitoring_MainStream_Sample>) {
    const Monitor m = monitor(ctx, in);
    const bool stream = m.src.stream != 0;
    return {
        .PVRTimeShift = per_sample(m, stream, [&](Window, Span s) { return s.seconds() > 0 && m.src.timeshift; }),
        .SampleSeconds = sample_seconds(m, stream),
        // Zaps and losses of signal disrupt the stream.
        .SignificantChanges = per_sample(m, stream, [&](Window w, Span s) {
            if (s.seconds() == 0) return 0u;
            const Window seen{std::max(w.begin, m.since), w.end};
            const auto [z0, z1] = m.src.zaps.in(m.b, seen);
            const auto [l0, l1] = m.src.losses().in(m.b, seen);
            return u32(z1 - z0 + l1 - l0);
        }),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_AudioDecoderStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_AudioDecoderStats>) {
    const Monitor m = monitor(ctx, in);
    const auto rows = per_sample(m, m.src.audio, [](Window, Span s) { return audio(s); });
    return {
        .DecodedFrames = column(rows, &Audio::decoded),
        .DecodingErrors = column(rows, &Audio::errors),
        .SampleSeconds = sample_seconds(m, m.src.audio),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_DejitteringStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_DejitteringStats>) {
    const Monitor m = monitor(ctx, in);
    const auto rows = per_sample(m, m.src.rtp, [](Window, Span s) { return dejittering(s); });
    return {
        .EmptyBufferTime = column(rows, &Dejittering::empty_buffer_ms),
        .Overruns = column(rows, &Dejittering::overruns),
        .SampleSeconds = sample_seconds(m, m.src.rtp),
        .Underruns = column(rows, &Dejittering::underruns),
    };
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats>) {
    return sim::numbered(static_cast<std::uint32_t>(capabilities(ctx, parent).HighLevelMetricNames.value.size()));
}

STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats>) {
    using Status = STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats::StatusValue;
    const Monitor m = monitor(ctx, in);
    const std::uint32_t n = sim::last(in);
    const std::string path = sim::instance_path(kMetricTemplate, in);
    const std::vector<std::string> names = capabilities(ctx, in).HighLevelMetricNames.value;
    const bool enabled = m.b.setting(path + "Enable", true);
    // The metrics (RFC 4445 MDI) are measured on the IP streams only.
    const bool measured = enabled && m.src.rtp;
    const std::uint32_t threshold = m.b.setting(path + "MetricThreshold", 0u);
    const std::uint32_t threshold1 = m.b.setting(path + "Metric1Threshold", 0u);
    const std::uint32_t threshold2 = m.b.setting(path + "Metric2Threshold", 0u);
    auto scores = [&](std::uint32_t phase) {
        std::vector<std::uint32_t> out;
        for (std::size_t i = 0; i < m.sampling.windows.size(); ++i)
            out.push_back(m.span(m.sampling.windows[i], measured).seconds() ? score(m.sampling.first + i, phase) : 0);
        return out;
    };
    // Failures count over every sample since this stream's collection started.
    const std::uint64_t from = m.sampling.number_at(m.since), done = m.sampling.first + m.sampling.windows.size();
    auto failed = [&](std::uint32_t phase, std::uint32_t t) { return measured ? failures(from, done, phase, t) : 0u; };
    return {
        .Alias = m.b.setting<std::string>(path + "Alias", "cpe-metric-" + std::to_string(n)),
        .Enable = enabled,
        .Metric = scores(n),
        .Metric1 = scores(n),
        .Metric1Failures = failed(n, threshold1),
        .Metric1Threshold = threshold1,
        .Metric2 = scores(n + kScoreCycle / 2),
        .Metric2Failures = failed(n + kScoreCycle / 2, threshold2),
        .Metric2Threshold = threshold2,
        .MetricFailures = failed(n, threshold),
        .MetricName = n <= names.size() ? names[n - 1] : "",
        .MetricSampleInterval = m.b.setting(path + "MetricSampleInterval", 10u),
        .MetricThreshold = threshold,
        .SampleSeconds = sample_seconds(m, measured),
        .Status = !enabled ? Status::Disabled : measured ? Status::Enabled : Status::Error,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_ServiceMonitoring_MainStream_Sample_HighLevelMetricStats::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kMetricTemplate, in);
    if (changes.MetricSampleInterval &&
        (*changes.MetricSampleInterval == 0 ||
         *changes.MetricSampleInterval > b.setting(monitoring_path(in) + "SampleInterval", kSampleInterval)))
        return Fault::InvalidParameterValue;
    b.store_changes(path, changes);
    return Fault::None;
}

STBService_ServiceMonitoring_MainStream_Sample_MPEG2TSStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_MPEG2TSStats>) {
    const Monitor m = monitor(ctx, in);
    const bool stream = m.src.stream != 0;
    const auto rows = per_sample(m, stream, [&](Window w, Span s) { return ts(m, w, s); });
    return {
        .PacketDiscontinuityCounter = column(rows, &Ts::discontinuities),
        .PacketDiscontinuityCounterBeforeCA = column(rows, &Ts::discontinuities_before_ca),
        .SampleSeconds = sample_seconds(m, stream),
        .TSPacketsDrained = column(rows, &Ts::drained),
        .TSPacketsReceived = column(rows, &Ts::received),
        .TSSyncByteErrorCount = column(rows, &Ts::sync_byte_errors),
        .TSSyncLossCount = column(rows, &Ts::sync_losses),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_RTPStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_RTPStats>) {
    const Monitor m = monitor(ctx, in);
    const auto rows = per_sample(m, m.src.rtp, [&](Window, Span s) { return rtp(m.settings, s); });
    std::vector<Histograms> h;
    for (const Rtp& r : rows) h.push_back(histograms(m.settings, r));
    auto items = [&](std::vector<std::uint32_t> Histograms::*field) {
        std::vector<std::string> out;
        for (const Histograms& x : h) out.push_back(joined(x.*field));
        return out;
    };
    return {
        .AverageLossDistance = column(rows, &Rtp::distance),
        .AverageLossDistanceBeforeEC = column(rows, &Rtp::distance_before_ec),
        .AverageLossPeriod = column(rows, &Rtp::period),
        .AverageLossPeriodBeforeEC = column(rows, &Rtp::period_before_ec),
        .DelayBetweenLossEventsHistogram = items(&Histograms::delay),
        .DelayBetweenLossEventsHistogramBeforeEC = items(&Histograms::delay_before_ec),
        .DurationSevereLossEventsHistogram = items(&Histograms::duration),
        .DurationSevereLossEventsHistogramBeforeEC = items(&Histograms::duration_before_ec),
        .LossEvents = column(rows, &Rtp::events),
        .LossEventsBeforeEC = column(rows, &Rtp::events_before_ec),
        // Losses are evenly spread: every period and distance is the average.
        .MaximumLossPeriod = column(rows, &Rtp::period),
        .MaximumLossPeriodBeforeEC = column(rows, &Rtp::period_before_ec),
        .MinimumLossDistance = column(rows, &Rtp::distance),
        .MinimumLossDistanceBeforeEC = column(rows, &Rtp::distance_before_ec),
        .MinimumLossPeriod = column(rows, &Rtp::period),
        .MinimumLossPeriodBeforeEC = column(rows, &Rtp::period_before_ec),
        .PacketsDiscarded = column(rows, &Rtp::discarded),
        .PacketsExpected = column(rows, &Rtp::expected),
        .PacketsLost = column(rows, &Rtp::lost),
        .PacketsLostBeforeEC = column(rows, &Rtp::lost_before_ec),
        .PacketsLostByEventHistogram = items(&Histograms::lost),
        .PacketsLostByEventHistogramBeforeEC = items(&Histograms::lost_before_ec),
        .PacketsOutOfSequence = column(rows, &Rtp::out_of_sequence),
        .PacketsReceived = column(rows, &Rtp::received),
        .PacketsReceivedBeforeEC = column(rows, &Rtp::received_before_ec),
        .RetransmitTimeouts = column(rows, &Rtp::retransmit_timeouts),
        .SampleSeconds = sample_seconds(m, m.src.rtp),
        .SevereLossIndexCount = column(rows, &Rtp::severe_index),
        .SevereLossIndexCountBeforeEC = column(rows, &Rtp::severe_index_before_ec),
        .SevereLossLengthCount = column(rows, &Rtp::severe_length),
        .SevereLossLengthCountBeforeEC = column(rows, &Rtp::severe_length_before_ec),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_TCPStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_TCPStats>) {
    const Monitor m = monitor(ctx, in);
    const auto rows = per_sample(m, false, [](Window, Span s) { return tcp(s); });
    return {
        .BytesReceived = column(rows, &Tcp::bytes),
        .PacketsReceived = column(rows, &Tcp::packets),
        .PacketsRetransmitted = column(rows, &Tcp::retransmitted),
        .SampleSeconds = sample_seconds(m, false),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_VideoDecoderStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_VideoDecoderStats>) {
    const Monitor m = monitor(ctx, in);
    const auto rows = per_sample(m, m.src.video, [&](Window, Span s) { return video(m.src.fps, s); });
    return {
        .AVResynchCounter = column(rows, &Video::resynchs),
        .BConcealedFrames = column(rows, &Video::b_concealed),
        .BDecodedFrames = column(rows, &Video::b_decoded),
        .BLostFrames = column(rows, &Video::b_lost),
        .ConcealedFrames = column(rows, &Video::concealed),
        .DecodedFrames = column(rows, &Video::decoded),
        .FrameRate = column(rows, &Video::frame_rate),
        .IConcealedFrames = column(rows, &Video::i_concealed),
        .IDecodedFrames = column(rows, &Video::i_decoded),
        .ILostFrames = column(rows, &Video::i_lost),
        .LostFrames = column(rows, &Video::lost),
        .PConcealedFrames = column(rows, &Video::p_concealed),
        .PDecodedFrames = column(rows, &Video::p_decoded),
        .PLostFrames = column(rows, &Video::p_lost),
        .SampleSeconds = sample_seconds(m, m.src.video),
    };
}

STBService_ServiceMonitoring_MainStream_Sample_VideoResponseStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Sample_VideoResponseStats>) {
    const Monitor m = monitor(ctx, in);
    const bool zapping = m.src.zaps.period != 0;
    const auto rows = per_sample(m, zapping, [&](Window w, Span s) { return zaps(m, w, s); });
    std::vector<std::string> responses;
    for (const Zaps& z : rows) responses.push_back(joined(z.responses));
    const std::vector<std::uint32_t> none(rows.size(), 0);  // no VoD sessions
    return {
        .AccessSuccesses = none,
        .AverageVideoSystemResponse = column(rows, &Zaps::average_ms),
        .AverageVoDControlResponse = none,
        .ChannelChangeFailures = column(rows, &Zaps::failures),
        .CompletionCount = none,
        .MaximumVideoSystemResponse = column(rows, &Zaps::max_ms),
        .MaximumVoDControlResponse = none,
        .MinimumVideoSystemResponse = column(rows, &Zaps::min_ms),
        .MinimumVoDControlResponse = none,
        .RequestedTransactions = none,
        .SampleSeconds = sample_seconds(m, zapping),
        .VideoSystemResponse = responses,
        .VoDControlResponse = std::vector<std::string>(rows.size()),
    };
}

// --- MainStream Total statistics ---------------------------------------------

STBService_ServiceMonitoring_MainStream_Total read(Context& ctx, const Instance& in,
                                                   Tag<STBService_ServiceMonitoring_MainStream_Total>) {
    const Monitor m = monitor(ctx, in);
    const Window total = m.total();
    return {
        .Reset = false,
        .ResetTime = m.settings.enable ? u32(static_cast<std::uint64_t>(total.end - total.begin)) : 0u,
        .TotalSeconds = u32(m.span(total, true).seconds()),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_ServiceMonitoring_MainStream_Total::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.Reset && *changes.Reset) b.store(main_stream_path(in) + "Total.ResetAt", b.now());
    return Fault::None;
}

STBService_ServiceMonitoring_MainStream_Total_AudioDecoderStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_AudioDecoderStats>) {
    const Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.audio);
    const Audio a = audio(s);
    return {.DecodedFrames = a.decoded, .DecodingErrors = a.errors, .TotalSeconds = u32(s.seconds())};
}

STBService_ServiceMonitoring_MainStream_Total_DejitteringStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_DejitteringStats>) {
    const Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.rtp);
    const Dejittering d = dejittering(s);
    return {
        .EmptyBufferTime = d.empty_buffer_ms,
        .Overruns = d.overruns,
        .TotalSeconds = u32(s.seconds()),
        .Underruns = d.underruns,
    };
}

STBService_ServiceMonitoring_MainStream_Total_MPEG2TSStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_MPEG2TSStats>) {
    const Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.stream != 0);
    const Ts t = ts(m, m.total(), s);
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
    const Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.rtp);
    const Rtp r = rtp(m.settings, s);
    const Histograms h = histograms(m.settings, r);
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
    const Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), false);
    const Tcp t = tcp(s);
    return {.BytesReceived = t.bytes, .PacketsReceived = t.packets, .PacketsRetransmitted = t.retransmitted,
            .TotalSeconds = u32(s.seconds())};
}

STBService_ServiceMonitoring_MainStream_Total_VideoDecoderStats read(
    Context& ctx, const Instance& in, Tag<STBService_ServiceMonitoring_MainStream_Total_VideoDecoderStats>) {
    const Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.video);
    const Video v = video(m.src.fps, s);
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
    const Monitor m = monitor(ctx, in);
    const Span s = m.span(m.total(), m.src.zaps.period != 0);
    const Zaps z = zaps(m, m.total(), s);
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
