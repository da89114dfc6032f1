#include "tv_streams.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "tv_frontends.h"

namespace cwmp::sim::tv {

namespace {

// Tuner 1's lock losses, as SimBoard has them.
constexpr Series kTunerLosses{SimBoard::kLockedFor, SimBoard::kLockCycle};

// IPTV: 8 Mbit/s HD multicast over RTP, 5300 TS packets/s; zap k, at uptime
// (k + 1) * 10 min, as the IP front end's IGMP figures have it.
constexpr Source kIPTV{1, 0, true, true, true, false, 5300, 50, {kZapSeconds, kZapSeconds}, 300};
// DVB-T in PIP: video only, 4 Mbit/s; the ACS tunes it (Components).
constexpr Source kDTT{2, 1, false, true, false, false, 2650, 25, {}, 0};
// A recording of the DVB-T service to the disk (time-shifted playback later).
constexpr Source kPVR{3, 1, false, false, false, true, 2650, 0, {}, 0};
constexpr Source kNoSource{0, 0, false, false, false, false, 0, 0, {}, 0};

constexpr std::array<const Source*, kStreams> kStreamSources = {&kIPTV, &kDTT, &kPVR};

constexpr std::array<StreamSpec, kStreams> kStreamSpecs = {{
    {2, 1, 1, 1, 1, 0, false},
    {1, 0, 2, 0, 0, 0, false},  // PIP: muted
    {1, 0, 0, 0, 0, 1, true},   // recording
}};

constexpr std::array<PlayerSpec, kPlayers> kPlayerSpecs = {{
    {"Main screen", 1, 2, 1, {1, 2}, true},   // HDMI video, HDMI and S/PDIF audio
    {"PVR playback", 0, 0, 1, {1, 0}, true},  // idle until a recording is played
    {"Radio", 0, 0, 0, {2, 0}, true},         // S/PDIF only, idle
    {"Mosaic preview", 0, 0, 1, {0, 0}, false},
}};

constexpr std::uint64_t kRtpPerSecond = 757;

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

// Scores of sample j cycle through 60000, 59500, ... 52500.
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

constexpr Series kPortal{300, 300};
constexpr std::uint32_t kPortalCycle = 400;
std::uint32_t portal_ms(std::uint64_t k) { return 180 + static_cast<std::uint32_t>(k * 61 % kPortalCycle); }

}  // namespace

// --- The streams -------------------------------------------------------------

Series Source::losses() const { return tuner == 1 ? kTunerLosses : Series{}; }
std::size_t Source::group_after(std::uint64_t k) const { return (k + 1) % std::size(kGroups); }
std::size_t Source::group(const SimBoard& b) const { return zaps.before(b, b.now() + 1) % std::size(kGroups); }

const StreamSpec& stream_spec(std::uint32_t n) { return kStreamSpecs.at(n - 1); }
const Source& stream_source(std::uint32_t n) { return *kStreamSources.at(n - 1); }

const Source& source(std::string_view service_type) {
    if (service_type == "IPTV" || service_type == "IP-All") return kIPTV;
    if (service_type == "DTT") return kDTT;
    if (service_type == "PVR") return kPVR;
    return kNoSource;
}

const PlayerSpec& player_spec(std::uint32_t n) { return kPlayerSpecs.at(n - 1); }

// --- The box ----------------------------------------------------------------------

Box::Box(const SimBoard& b, std::string key) : b_(b), key_(std::move(key)) {}

bool Box::enabled() const { return b_.setting(key_ + "Enable", true); }

FrontEnd Box::frontend(std::uint32_t n) const {
    return FrontEnd(b_, n, key_ + "Components.FrontEnd." + std::to_string(n) + ".");
}

StreamState Box::stream_state(std::uint32_t n) const {
    if (!enabled() || !frontend(stream_spec(n).front_end).enabled()) return StreamState::Disabled;
    const std::uint32_t tuner = stream_source(n).tuner;
    return tuner != 0 && !b_.tuner_locked(tuner) ? StreamState::Error : StreamState::Enabled;
}

std::uint32_t Box::active_streams() const {
    std::uint32_t active = 0;
    for (std::uint32_t n = 1; n <= kStreams; ++n) active += stream_state(n) != StreamState::Disabled;
    return active;
}

std::string Box::stream_name(std::uint32_t n) const {
    const Source& src = stream_source(n);
    if (src.tuner == 0) return std::string(kGroupChannels[src.group(b_)]);
    const std::optional<Tuned> t = frontend(src.tuner).tuned();
    if (!t) return "";
    const std::string service(channel_at(b_, t->channel).services.at(t->service).name.data());
    return src.timeshift ? "Recording: " + service : service;
}

std::string Box::preferred_audio_language() const {
    return b_.setting<std::string>(players_key() + "PreferredAudioLanguage", "en");
}
std::string Box::preferred_subtitling_language() const {
    return b_.setting<std::string>(players_key() + "PreferredSubtitlingLanguage", "");
}

bool Box::player_enabled(std::uint32_t n) const {
    return b_.setting(players_key() + "AVPlayer." + std::to_string(n) + ".Enable", player_spec(n).enable);
}

bool Box::playing(std::uint32_t n) const {
    const std::uint32_t main = player_spec(n).main_stream;
    return player_enabled(n) && main != 0 && stream_state(main) != StreamState::Disabled;
}

std::uint32_t Box::active_players() const {
    std::uint32_t active = 0;
    for (std::uint32_t n = 1; n <= kPlayers; ++n) active += playing(n);
    return active;
}

std::string Box::audio_language(std::uint32_t n) const {
    if (!playing(n)) return "";
    const std::string preferred = preferred_audio_language();
    return preferred.empty() ? "en" : preferred;
}

std::string Box::subtitles(std::uint32_t n) const {
    const std::string preferred = preferred_subtitling_language();
    return n == 1 && playing(n) && preferred != "None" ? preferred : "";
}

void reset_pin(SimBoard& b, const Box& box) { b.store(box.players_key() + "PINCode", std::string("0000")); }

// --- Sampling ----------------------------------------------------------------

Sampling sampling(const SimBoard& b, const std::string& sm) {
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

bool change_collection(SimBoard& b, const std::string& sm, const CollectionChanges& c) {
    const auto within = [](const std::optional<std::uint32_t>& v, std::uint32_t lo, std::uint32_t hi) {
        return !v || (*v >= lo && *v <= hi);
    };
    if (!within(c.sample_interval, kMinSampleInterval, UINT32_MAX) ||
        !within(c.report_samples, 1, kMaxReportSamples) ||
        !within(c.events_per_sample, 1, kMaxEventsPerSampleInterval))
        return false;
    const bool restart =
        (c.sample_enable && *c.sample_enable && !b.setting(sm + "SampleEnable", true)) ||
        (c.sample_interval && *c.sample_interval != b.setting(sm + "SampleInterval", kSampleInterval)) ||
        (c.time_reference && *c.time_reference != b.setting(sm + "TimeReference", dm::DateTime{}));
    if (c.event_collection_enable) {
        if (*c.event_collection_enable && !b.setting(sm + "EventCollectionEnable", true))
            b.store(sm + "EventsEnabledAt", b.now());
        b.store(sm + "EventCollectionEnable", *c.event_collection_enable);
    }
    if (c.events_per_sample) b.store(sm + "EventsPerSampleInterval", *c.events_per_sample);
    if (c.fetch_samples) b.store(sm + "FetchSamples", *c.fetch_samples);
    if (c.force_sample) b.store(sm + "ForcedAt", b.now());
    if (c.report_samples) b.store(sm + "ReportSamples", *c.report_samples);
    if (c.sample_enable) b.store(sm + "SampleEnable", *c.sample_enable);
    if (c.sample_interval) b.store(sm + "SampleInterval", *c.sample_interval);
    if (c.time_reference) b.store(sm + "TimeReference", *c.time_reference);
    if (restart) b.store(sm + "SampleStart", b.now());
    return true;
}

// --- One main stream's collection ----------------------------------------------

MainStreamSettings main_stream_settings(const SimBoard& b, const std::string& path, std::uint32_t n) {
    using List = std::vector<std::uint32_t>;
    return {
        b.setting(path + "Enable", true),
        b.setting<std::string>(path + "ServiceType", n == 1 ? "IPTV" : n == 2 ? "DTT" : ""),
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

Monitor monitor(const SimBoard& b, const std::string& path, const std::string& sm, std::uint32_t n) {
    MainStreamSettings settings = main_stream_settings(b, path, n);
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

std::string main_stream_key(const std::string& sm, std::uint32_t n) {
    return sm + "MainStream." + std::to_string(n) + ".";
}

namespace {

// Whether an enabled main stream other than `n` monitors AV stream `stream`.
bool monitored_elsewhere(const SimBoard& b, const std::string& sm, std::uint32_t n, std::uint32_t stream) {
    if (stream == 0) return false;
    for (std::uint32_t other = 1; other <= kMainStreams; ++other) {
        if (other == n) continue;
        const MainStreamSettings o = main_stream_settings(b, main_stream_key(sm, other), other);
        if (o.enable && source(o.service_type).stream == stream) return true;
    }
    return false;
}

}  // namespace

bool change_main_stream(SimBoard& b, const std::string& sm, std::uint32_t n, std::optional<bool> enable,
                        const std::optional<std::string>& service_type) {
    const std::string path = main_stream_key(sm, n);
    const MainStreamSettings current = main_stream_settings(b, path, n);
    if (enable.value_or(current.enable) &&
        monitored_elsewhere(b, sm, n, source(service_type.value_or(current.service_type)).stream))
        return false;
    if (enable) b.store(path + "Enable", *enable);
    if ((enable && *enable && !current.enable) || (service_type && *service_type != current.service_type))
        b.store(path + "EnabledAt", b.now());
    if (service_type) b.store(path + "ServiceType", *service_type);
    return true;
}

void reset_total(SimBoard& b, const std::string& path) { b.store(path + "Total.ResetAt", b.now()); }

void reset_event_log(SimBoard& b, const std::string& path) { b.store(path + "EventLog.ResetAt", b.now() + 1); }

std::vector<std::uint32_t> sample_seconds(const Monitor& m, bool applies) {
    return per_sample(m, applies, [](Window, Span s) { return u32(s.seconds()); });
}

std::string joined(const std::vector<std::uint32_t>& values) {
    std::string out;
    for (std::uint32_t v : values) {
        if (!out.empty()) out += ':';
        out += std::to_string(v);
    }
    return out;
}

std::vector<std::uint32_t> significant_changes(const Monitor& m) {
    return per_sample(m, m.src.stream != 0, [&](Window w, Span s) {
        if (s.seconds() == 0) return 0u;
        const Window seen{std::max(w.begin, m.since), w.end};
        const auto [z0, z1] = m.src.zaps.in(m.b, seen);
        const auto [l0, l1] = m.src.losses().in(m.b, seen);
        return u32(z1 - z0 + l1 - l0);
    });
}

// --- Statistics over a span of reception -------------------------------------

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

Dejittering dejittering(Span c) { return {u32(c.every(7200)), u32(c.every(3600)), u32(c.every(3600) * 120)}; }

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

Video video(std::uint32_t fps, Span c) {
    const std::uint64_t decoded = c.rate(fps), i = c.rate(fps, 24), ip = c.rate(fps, 3);
    return {
        u32(decoded), u32(i), u32(ip - i), u32(decoded - ip),
        u32(c.every(600)), 0, u32(c.every(1800)), u32(c.every(600) - c.every(1800)),
        u32(c.every(300)), u32(c.every(2400)), u32(c.every(600) - c.every(2400)), u32(c.every(300) - c.every(600)),
        u32(c.every(1800)), c.seconds() ? fps : 0,
    };
}

Audio audio(Span c) { return {u32(c.rate(125, 4)), u32(c.every(1200))}; }

Tcp tcp(Span c) { return {u32(c.rate(1000000)), u32(c.rate(700)), u32(c.every(60))}; }

Zaps zap_stats(const Monitor& m, Window w, Span c) {
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
            z.failed.emplace_back(kGroups[m.src.group_after(k)]);
            if (z.failed.size() > 10) z.failed.erase(z.failed.begin());
        }
    }
    z.average_ms = z.count ? u32(sum / z.count) : 0;
    return z;
}

// --- High-level metrics ------------------------------------------------------

std::vector<std::uint32_t> metric_scores(const Monitor& m, bool measured, std::uint32_t phase) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < m.sampling.windows.size(); ++i)
        out.push_back(m.span(m.sampling.windows[i], measured).seconds() ? score(m.sampling.first + i, phase) : 0);
    return out;
}

std::uint32_t metric_failures(const Monitor& m, bool measured, std::uint32_t phase, std::uint32_t threshold) {
    // Failures count over every sample since this stream's collection started.
    const std::uint64_t from = m.sampling.number_at(m.since), done = m.sampling.first + m.sampling.windows.size();
    return measured ? failures(from, done, phase, threshold) : 0u;
}

Metric::Metric(const Monitor& m, std::uint32_t n, std::string key) : m_(m), n_(n), key_(std::move(key)) {
    if (n < 1 || n > kMetricNames.size())
        throw std::out_of_range("high-level metric " + std::to_string(n) + ": no such metric");
}

bool Metric::enabled() const { return m_.b.setting(key_ + "Enable", true); }
std::uint32_t Metric::sample_interval() const { return m_.b.setting(key_ + "MetricSampleInterval", 10u); }

std::uint32_t Metric::threshold(std::uint32_t which) const {
    static constexpr std::array<std::string_view, 3> kNames = {"MetricThreshold", "Metric1Threshold",
                                                               "Metric2Threshold"};
    return m_.b.setting(key_ + std::string(kNames.at(which)), 0u);
}

std::vector<std::uint32_t> Metric::scores(std::uint32_t which) const {
    return metric_scores(m_, measured(), phase(which));
}

std::uint32_t Metric::failures(std::uint32_t which) const {
    return metric_failures(m_, measured(), phase(which), threshold(which));
}

bool metric_interval_allowed(const SimBoard& b, const std::string& sm, std::uint32_t seconds) {
    return seconds != 0 && seconds <= b.setting(sm + "SampleInterval", kSampleInterval);
}

// --- The event log -----------------------------------------------------------

EventLog event_log(const Monitor& m, const std::string& path, const std::string& sm, std::uint32_t max_entries) {
    const SimBoard& b = m.b;
    EventLog log{m.src.tuner == 1 ? m.src.losses() : m.src.zaps, m.src.tuner != 1, 0, 0, 0};
    if (!m.settings.enable || m.src.stream == 0 || !b.setting(sm + "EventCollectionEnable", true)) return log;
    const std::int64_t from = std::max({m.since, b.setting(sm + "EventsEnabledAt", b.boot_time()),
                                        b.setting(path + "EventLog.ResetAt", b.boot_time())});
    const auto [first, end] = log.series.in(b, {from, b.now() + 1});
    log.first = first;
    log.count = u32(end - first);
    log.kept = std::min(log.count, max_entries);
    return log;
}

std::vector<EventParameter> event_parameters(const Monitor& m, const EventLog& log, std::uint64_t k,
                                             const std::string& front_end) {
    if (log.zaps)
        return {{"MulticastGroup", std::string(kGroups[m.src.group_after(k)])},
                {"ResponseTime", std::to_string(m.src.response_ms(k))}};
    return {{"FrontEnd", front_end}, {"Duration", std::to_string(SimBoard::kLockCycle - SimBoard::kLockedFor)}};
}

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

// --- The portal ----------------------------------------------------------------

std::vector<PortalSample> portal_samples(const SimBoard& b, const Sampling& s, std::uint32_t keep) {
    std::vector<PortalSample> out;
    for (const Window& w : s.windows) {
        const auto [first, end] = kPortal.in(b, w);
        std::vector<std::uint32_t> responses;
        PortalSample p;
        for (std::uint64_t k = first; k < end; ++k) {
            const std::uint32_t r = portal_ms(k);
            p.min_ms = k == first ? r : std::min(p.min_ms, r);
            p.max_ms = std::max(p.max_ms, r);
            if (responses.size() < keep) responses.push_back(r);
        }
        p.responses = joined(responses);
        out.push_back(std::move(p));
    }
    return out;
}

std::pair<std::uint32_t, std::uint32_t> portal_total(const SimBoard& b) {
    // The response times repeat every kPortalCycle polls.
    const std::uint64_t polls = std::min<std::uint64_t>(kPortal.before(b, b.now() + 1), kPortalCycle);
    std::uint32_t lo = 0, hi = 0;
    for (std::uint64_t k = 0; k < polls; ++k) {
        lo = k == 0 ? portal_ms(k) : std::min(lo, portal_ms(k));
        hi = std::max(hi, portal_ms(k));
    }
    return {lo, hi};
}

}  // namespace cwmp::sim::tv
