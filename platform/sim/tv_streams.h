// The set-top box's AV streams as the simulated world has them, apart from
// any data model.  Three streams run: IPTV on the main screen (front end 2,
// zapping through the three multicast groups of tv_frontends.h every 10
// minutes), the tuned DVB-T service in picture-in-picture and a recording of
// it (front end 1, whose tuner drops lock 10 s in every 40 s).  Four players
// exist, one of them busy; the Box says which streams and players run.  What monitoring measures of a stream is counted
// from the seconds it was actually received, per sample interval and since
// the last reset, so sample and total figures agree with each other and with
// the tuner; the event log records zaps and signal losses; the portal is
// polled every 5 minutes.
//
// Monitoring's settings (sample interval, what a main stream watches...) are
// kept in the board's settings under the keys the caller names (its
// instance paths), like every other setting the ACS writes.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "board.h"
#include "tv_frontends.h"

namespace cwmp::sim::tv {

// Counters are unsignedInt and wrap like the hardware's.
inline std::uint32_t u32(std::uint64_t v) { return static_cast<std::uint32_t>(v); }

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
    std::uint64_t before(const SimBoard& b, std::int64_t t) const {
        const std::int64_t first = b.boot_time() + offset;
        return period == 0 || t <= first ? 0 : static_cast<std::uint64_t>((t - first - 1) / period + 1);
    }
    std::int64_t at(const SimBoard& b, std::uint64_t k) const {
        return b.boot_time() + offset + static_cast<std::int64_t>(k) * period;
    }
    // The event numbers in [w.begin, w.end).
    std::pair<std::uint64_t, std::uint64_t> in(const SimBoard& b, Window w) const {
        return {before(b, w.begin), std::max(before(b, w.begin), before(b, w.end))};
    }
};

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

// Where a stream comes from and what the box does with it.
struct Source {
    std::uint32_t stream = 0;  // AVStream number; 0: none
    std::uint32_t tuner = 0;   // front end whose lock gates reception; 0: IP
    bool rtp = false;
    bool video = false;
    bool audio = false;
    bool timeshift = false;
    std::uint32_t ts_per_second = 0;
    std::uint32_t fps = 0;
    Series zaps;               // channel changes the box makes by itself
    std::uint32_t zap_ms = 0;  // the quickest zap's response time

    Series losses() const;
    // The multicast group joined by zap k, and the one joined now.
    std::size_t group_after(std::uint64_t k) const;
    std::size_t group(const SimBoard& b) const;
    std::uint32_t response_ms(std::uint64_t k) const { return zap_ms + static_cast<std::uint32_t>(k * 173 % 900); }
};

// What stream n (1..kStreams) is wired to: its front end (and IP Inbound
// row), decoders, CA and DRM (0: none), and whether it records.
struct StreamSpec {
    std::uint32_t front_end;
    std::uint32_t inbound;
    std::uint32_t video_decoder;
    std::uint32_t audio_decoder;
    std::uint32_t ca;
    std::uint32_t drm;
    bool recording;
};
constexpr std::uint32_t kStreams = 3;
const StreamSpec& stream_spec(std::uint32_t n);
const Source& stream_source(std::uint32_t n);
// What a monitored service type ("IPTV", "DTT", "PVR", ...) watches; a
// source of stream 0 for none (VoD: no session).
const Source& source(std::string_view service_type);

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
const PlayerSpec& player_spec(std::uint32_t n);  // 1..kPlayers

// --- The box: its streams and players as they run ------------------------------

enum class StreamState { Disabled, Enabled, Error };

// The set-top box whose settings are kept below `key` (its STBService
// instance path), each part's below its path there (Enable,
// Components.FrontEnd.1., AVPlayers.AVPlayer.2., ...).
class Box {
public:
    Box(const SimBoard& b, std::string key);

    bool enabled() const;  // the STB service's Enable
    FrontEnd frontend(std::uint32_t n) const;

    // Stream n (1..kStreams): disabled with the box or its front end; in
    // error while its tuner is unlocked.
    StreamState stream_state(std::uint32_t n) const;
    std::uint32_t active_streams() const;  // not disabled
    // The IPTV channel on now, or the DVB-T service its tuner is on (a
    // recording's: "Recording: " and it); "" for none.
    std::string stream_name(std::uint32_t n) const;

    // The players' preferences, for all of them.
    std::string preferred_audio_language() const;       // "en" until the ACS says
    std::string preferred_subtitling_language() const;  // "" (none) until the ACS says
    // Player n (1..kPlayers): the ACS's Enable, else its spec's.
    bool player_enabled(std::uint32_t n) const;
    // Playing: enabled, with a main stream that is not disabled.
    bool playing(std::uint32_t n) const;
    std::uint32_t active_players() const;
    // While playing, the preferred language (English when the preference is
    // empty); "" otherwise.
    std::string audio_language(std::uint32_t n) const;
    // Subtitles are shown on the main screen only, while it plays and a
    // language ("None": none) is preferred; "" for none.
    std::string subtitles(std::uint32_t n) const;

    const std::string& key() const { return key_; }
    std::string players_key() const { return key_ + "AVPlayers."; }

private:
    const SimBoard& b_;
    std::string key_;
};

// The players' parental-control PIN back to the factory's 0000.
void reset_pin(SimBoard& b, const Box& box);

// --- Sampling ----------------------------------------------------------------

constexpr std::uint32_t kSampleInterval = 300;
constexpr std::uint32_t kReportSamples = 48;  // four hours
constexpr std::uint32_t kEventsPerSampleInterval = 16;
// What the box's monitoring can do (Capabilities.ServiceMonitoring).
constexpr std::uint32_t kMinSampleInterval = 10;
constexpr std::uint32_t kMaxReportSamples = 96;
constexpr std::uint32_t kMaxEventsPerSampleInterval = 32;
constexpr std::uint32_t kMaxEventLogEntries = 64;  // per main stream
constexpr std::uint32_t kMaxActiveMainStreams = 4;

// The stored sample intervals, oldest first, as SampleInterval, ReportSamples,
// TimeReference and ForceSample (kept below `monitoring`) make them.
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
Sampling sampling(const SimBoard& b, const std::string& monitoring);

// What the ACS changes of the collection kept below `monitoring`, each when set.
struct CollectionChanges {
    std::optional<bool> sample_enable{};
    std::optional<std::uint32_t> sample_interval{};
    std::optional<std::uint32_t> report_samples{};
    std::optional<dm::DateTime> time_reference{};
    std::optional<bool> event_collection_enable{};
    std::optional<std::uint32_t> events_per_sample{};
    std::optional<std::uint32_t> fetch_samples{};
    bool force_sample = false;
};
// Enabling, or a new interval or time reference, discards the stored
// samples; enabling event collection discards the events; a forced sample
// shows the current interval so far, until it completes.  False, changing
// nothing, for an interval shorter than kMinSampleInterval, or report
// samples or events per interval outside 1 and the box's maximum.
bool change_collection(SimBoard& b, const std::string& monitoring, const CollectionChanges& c);

// --- One main stream's collection ----------------------------------------------

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
// Main stream `n`'s settings, kept below `key`.
MainStreamSettings main_stream_settings(const SimBoard& b, const std::string& key, std::uint32_t n);

struct Monitor {
    const SimBoard& b;
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
// Main stream `n` (its settings below `key`) of the monitoring whose settings are below `monitoring`.
Monitor monitor(const SimBoard& b, const std::string& key, const std::string& monitoring, std::uint32_t n);

// The main streams of the monitoring whose settings are below `monitoring`
// (1: IPTV on the main screen, 2: DVB-T in PiP, until the ACS says), each's
// settings below main_stream_key(monitoring, n).
constexpr std::uint32_t kMainStreams = 2;
std::string main_stream_key(const std::string& monitoring, std::uint32_t n);

// Main stream `n`'s Enable and ServiceType, each when set: enabling it, or
// another service type, starts its statistics over.  False, changing
// nothing, when `n` would then be enabled and monitor the AV stream another
// enabled main stream monitors: an AV stream contributes to one main stream
// only (TR-135), whichever of the two parameters would make it two.
bool change_main_stream(SimBoard& b, const std::string& monitoring, std::uint32_t n, std::optional<bool> enable,
                        const std::optional<std::string>& service_type);
// Its Total statistics start over now.
void reset_total(SimBoard& b, const std::string& key);
// Its event log forgets what happened up to now, this second included.
void reset_event_log(SimBoard& b, const std::string& key);

// One value per stored sample, from each sample's window and reception.
template <class F>
auto per_sample(const Monitor& m, bool applies, F f) {
    std::vector<decltype(f(Window{}, Span{}))> out;
    for (const Window& w : m.sampling.windows) out.push_back(f(w, m.span(w, applies)));
    return out;
}

std::vector<std::uint32_t> sample_seconds(const Monitor& m, bool applies);

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
std::string joined(const std::vector<std::uint32_t>& values);

// Zaps and losses of signal that disrupted each sample.
std::vector<std::uint32_t> significant_changes(const Monitor& m);

// --- Statistics over a span of reception -------------------------------------

// RTP: 757 packets/s (7 TS packets each).  Before error correction a loss
// event of 2 packets every 50 s; FEC and retransmission leave one lost packet
// every 10 minutes.  Losses are evenly spread, so the severe-loss counts
// follow from the main stream's thresholds.
struct Rtp {
    std::uint32_t expected, received, received_before_ec, lost, lost_before_ec, events, events_before_ec;
    std::uint32_t discarded, out_of_sequence, retransmit_timeouts;
    std::uint32_t severe_index, severe_index_before_ec, severe_length, severe_length_before_ec;
    std::uint32_t distance, distance_before_ec, period, period_before_ec;  // per loss event, packets
};
Rtp rtp(const MainStreamSettings& ms, Span c);

struct Histograms {
    std::vector<std::uint32_t> lost, lost_before_ec, delay, delay_before_ec, duration, duration_before_ec;
};
Histograms histograms(const MainStreamSettings& ms, const Rtp& r);

struct Dejittering {
    std::uint32_t overruns, underruns, empty_buffer_ms;
};
Dejittering dejittering(Span c);

struct Ts {
    std::uint32_t received, drained, sync_byte_errors, sync_losses, discontinuities, discontinuities_before_ca;
};
Ts ts(const Monitor& m, Window w, Span c);

// GOPs of 24 frames: 1 I, 7 P and 16 B.  A frame is lost every 10 minutes
// (a third of them P, the rest B), concealed every 5 (1/8 I, 3/8 P, 1/2 B).
struct Video {
    std::uint32_t decoded, i_decoded, p_decoded, b_decoded, lost, i_lost, p_lost, b_lost;
    std::uint32_t concealed, i_concealed, p_concealed, b_concealed, resynchs, frame_rate;
};
Video video(std::uint32_t fps, Span c);

// AC-3 at 48 kHz: 31.25 frames/s.
struct Audio {
    std::uint32_t decoded, errors;
};
Audio audio(Span c);

// None of the streams is carried over TCP (that would be VoD).
struct Tcp {
    std::uint32_t bytes, packets, retransmitted;
};
Tcp tcp(Span c);

// Zaps: how long each took to show its first I frame, and which failed.
struct Zaps {
    std::uint32_t count = 0, failures = 0, min_ms = 0, max_ms = 0, average_ms = 0;
    std::vector<std::uint32_t> responses;  // at most EventsPerSampleInterval of them
    std::vector<std::string> failed;       // the channels of the last 10 failures
};
Zaps zap_stats(const Monitor& m, Window w, Span c);

// --- High-level metrics ------------------------------------------------------

// Scores (higher is better) of the metric of phase `phase`, per stored
// sample, 0 for a sample without reception; how many samples since
// collection started scored at or below `threshold`.
constexpr std::uint32_t kScoreCycle = 16;
std::vector<std::uint32_t> metric_scores(const Monitor& m, bool measured, std::uint32_t phase);
std::uint32_t metric_failures(const Monitor& m, bool measured, std::uint32_t phase, std::uint32_t threshold);

// RFC 4445 Media Delivery Index: delay factor and media loss rate.
constexpr std::array<std::string_view, 2> kMetricNames = {"MDI-DF", "MDI-MLR"};

// High-level metric `n` (1..kMetricNames.size(); std::out_of_range
// otherwise) of the main stream `m` monitors, its settings below `key`.
// Its scores come as three figures (`which`): 0 and 1 the metric itself
// (Metric, Metric1), 2 another half a score cycle on (Metric2), each
// with its threshold.
class Metric {
public:
    Metric(const Monitor& m, std::uint32_t n, std::string key);

    std::string_view name() const { return kMetricNames[n_ - 1]; }
    bool enabled() const;
    // Measured on the IP (RTP) streams only, while enabled.
    bool measured() const { return enabled() && m_.src.rtp; }
    std::uint32_t sample_interval() const;  // seconds
    std::uint32_t threshold(std::uint32_t which) const;
    std::vector<std::uint32_t> scores(std::uint32_t which) const;
    std::uint32_t failures(std::uint32_t which) const;  // at or below its threshold

private:
    std::uint32_t phase(std::uint32_t which) const { return which == 2 ? n_ + kScoreCycle / 2 : n_; }

    const Monitor& m_;
    std::uint32_t n_;
    std::string key_;
};
// Whether the ACS may set a metric's sample interval to `seconds`: not 0,
// nor longer than the sample interval of the monitoring whose settings are
// below `monitoring` (TR-135).
bool metric_interval_allowed(const SimBoard& b, const std::string& monitoring, std::uint32_t seconds);

// --- The event log -----------------------------------------------------------

// IPTV logs its zaps; DVB-T streams their losses of signal.
struct EventLog {
    Series series;
    bool zaps;
    std::uint64_t first;  // the event of sequence number 1
    std::uint32_t count;  // events since the log (re)started
    std::uint32_t kept;   // the last `kept` of them are entries
};
// At most `max_entries` kept.
EventLog event_log(const Monitor& m, const std::string& key, const std::string& monitoring, std::uint32_t max_entries);

struct EventParameter {
    std::string name, value;
};
// Event k's parameters; `front_end` names the tuner that lost its signal.
std::vector<EventParameter> event_parameters(const Monitor& m, const EventLog& log, std::uint64_t k,
                                             const std::string& front_end);

// RFC 4122 time-based UUID of the monitored session (it starts at the last zap).
std::string session_id(const Monitor& m, std::uint32_t main_stream);

// --- The portal, polled every 5 minutes ----------------------------------------

struct PortalSample {
    std::uint32_t min_ms = 0, max_ms = 0;
    std::string responses;  // at most `keep` of them, joined()
};
std::vector<PortalSample> portal_samples(const SimBoard& b, const Sampling& s, std::uint32_t keep);
// The quickest and slowest response since boot.
std::pair<std::uint32_t, std::uint32_t> portal_total(const SimBoard& b);

}  // namespace cwmp::sim::tv
