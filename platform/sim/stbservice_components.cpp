// Device.Services.STBService.{i}.Components.: FrontEnd 1 is the DVB-T tuner
// (it locks and unlocks with the board; signal figures follow, and it holds a
// small Freeview-like service list the ACS may rescan), FrontEnd 2 the IPTV
// front end (always locked; zaps between three multicast groups every ten
// minutes, a VoD download comes and goes).  Two video and two audio decoders,
// an HDMI output with a TV attached, optical S/PDIF, cardless CA and a DRM.
//
// The profile gives every FrontEnd both a DVBT. and an IP. subtree; each
// front end reports the other kind's as idle (no service, disabled, empty),
// except that the IP front end's DVBT.Modulation.Locked is its board lock.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "board.h"
#include "cwmp/platform/stbservice.h"

namespace cwmp::platform {

using model::STBService_Capabilities_AudioDecoder;
using model::STBService_Capabilities_AudioOutput;
using model::STBService_Capabilities_CA;
using model::STBService_Capabilities_DRM;
using model::STBService_Capabilities_FrontEnd_IP;
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

// --- Paths, settings and names ------------------------------------------------

const std::string kComponents = "Device.Services.STBService.{i}.Components.";
const std::string kFrontEnd = kComponents + "FrontEnd.{i}.";
const std::string kDVBT = kFrontEnd + "DVBT.";
const std::string kInstall = kDVBT + "Install.";
const std::string kModulation = kDVBT + "Modulation.";
const std::string kDatabase = kDVBT + "ServiceListDatabase.";
const std::string kLogicalChannel = kDatabase + "LogicalChannel.{i}.";
const std::string kChannelService = kLogicalChannel + "Service.{i}.";
const std::string kIP = kFrontEnd + "IP.";
const std::string kIGMP = kIP + "IGMP.";

// The STBService.{i}. an instance is in, for full-path cross references.
std::string stb_path(const Instance& in, std::string_view rest) {
    return sim::instance_path("Device.Services.STBService.{i}.", in) + std::string(rest);
}

// The instance of STBService.{i}. itself, for its Capabilities.
Instance stb(const Instance& in) { return Instance{in.numbers.first(1)}; }

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

// Whether `wire` names one of `values` (an enumerationRef to a capability list).
template <class E>
bool listed(const std::vector<E>& values, std::string_view wire) {
    return std::any_of(values.begin(), values.end(), [&](E v) { return name(v) == wire; });
}

template <class T>
bool in_range(T v, T lo, T hi) {
    return v >= lo && v <= hi;
}

// --- Front ends ----------------------------------------------------------------

constexpr std::uint32_t kFrontEnds = 2;
constexpr std::uint32_t kTerrestrial = 1;  // FrontEnd 1: DVB-T; FrontEnd 2: IP

std::uint32_t frontend(const Instance& in) { return in.numbers.size() > 1 ? in.numbers[1] : 0; }
bool terrestrial(const Instance& in) { return frontend(in) == kTerrestrial; }

bool frontend_enabled(const sim::SimBoard& b, const Instance& in) {
    return b.setting(sim::instance_path(kFrontEnd, in) + "Enable", true);
}

// IP features are on by default on the IP front end only.
bool ip_feature(const sim::SimBoard& b, const Instance& in, const std::string& object) {
    return b.setting(sim::instance_path(kIP + object, in) + "Enable", !terrestrial(in));
}

// --- DVB-T: the service list, scanning, tuning ---------------------------------

// Plain arrays rather than strings: a channel is looked up on every read of
// its rows and copied, so it must not allocate.
struct ServiceInfo {
    std::array<char, 24> name;
    std::array<char, 16> dvb_id;  // original network id, transport stream id, service id (hex)
    std::uint32_t khz;
    std::uint32_t snr;   // dB
    std::uint32_t ber;   // x 1e-6, before correction
    std::uint32_t cber;  // x 1e-9, after correction
};
// A channel's services, held inline (a channel is looked up on every read
// of its rows, so it must not allocate).
class Services {
public:
    Services(std::initializer_list<ServiceInfo> list) : n_(list.size()) {
        std::copy(list.begin(), list.end(), items_.begin());
    }
    std::size_t size() const { return n_; }
    const ServiceInfo& at(std::size_t i) const {
        if (i >= n_) throw std::out_of_range("no such service");
        return items_[i];
    }
    const ServiceInfo* begin() const { return items_.data(); }
    const ServiceInfo* end() const { return items_.data() + n_; }

private:
    std::array<ServiceInfo, 2> items_{};
    std::size_t n_;
};
struct Channel {
    std::uint32_t lcn;
    Services services;
};

// What the last scan found: UK network 0x233A, the BBC multiplex on UHF 23
// (490 MHz) and the commercial one on UHF 26; BBC One also comes in, weaker,
// from a second transmitter on UHF 50.
const std::vector<Channel>& lineup() {
    static const std::vector<Channel> list = {
        {1, {{"BBC ONE Lon", "233A100410BF", 490000, 24, 120, 0},
             {"BBC ONE SE", "233A104110BF", 706000, 17, 940, 12}}},
        {2, {{"BBC TWO", "233A100410C0", 490000, 24, 118, 0}}},
        {3, {{"ITV1", "233A20052001", 514000, 22, 230, 3}}},
        {4, {{"Channel 4", "233A20052041", 514000, 22, 236, 3}}},
        {5, {{"Channel 5", "233A20052141", 514000, 22, 241, 4}}},
    };
    return list;
}

// A board may carry more channels than the real lineup (SimOptions): each
// extra one is a single service on a generated multiplex, numbered from 100.
std::size_t channel_count(const sim::SimBoard& b) { return lineup().size() + b.options().extra_channels; }

Channel channel_at(const sim::SimBoard& b, std::size_t c) {
    if (c < lineup().size()) return lineup()[c];
    if (c >= channel_count(b)) throw std::out_of_range("no such channel");
    const auto k = static_cast<std::uint32_t>(c - lineup().size());
    ServiceInfo s{{'S', 'i', 'm', ' '}, {'2', '3', '3', 'A'}, 474000 + 8000 * (k % 48), 15 + k % 10,
                  100 + k % 900, k % 20};
    std::to_chars(s.name.data() + 4, s.name.data() + s.name.size() - 1, 100 + k);
    // Network 0x233A, transport stream 0x3000 + k/16, service 0x4000 + k.
    char* out = s.dvb_id.data() + 4;
    for (std::uint32_t part : {0x3000 + k / 16, 0x4000 + k})
        for (int shift = 12; shift >= 0; shift -= 4) *out++ = "0123456789ABCDEF"[(part >> shift) & 0xF];
    return {100 + k, {s}};
}

std::uint32_t total_services(const sim::SimBoard& b) {
    std::uint32_t total = 0;
    for (const Channel& c : lineup()) total += static_cast<std::uint32_t>(c.services.size());
    return total + b.options().extra_channels;
}

constexpr std::int64_t kScanSeconds = 60;
constexpr std::uint32_t kScanFrom = 474000;  // kHz, UHF 21
constexpr std::uint32_t kScanTo = 858000;    // kHz, UHF 69

struct Scan {
    std::int64_t started;  // 0: never (or stopped)
    bool failed;           // asked to scan an empty band
    bool running;
    std::uint32_t progress;
};

// The last scan the ACS started: it takes a minute.
Scan scan(const sim::SimBoard& b, const Instance& in) {
    const std::string path = sim::instance_path(kInstall, in);
    const auto started = b.setting<std::int64_t>(path + "ScanStartedAt", 0);
    if (started == 0) return {0, false, false, 0};
    if (b.setting(path + "StartFrequency", kScanFrom) > b.setting(path + "StopFrequency", kScanTo))
        return {started, true, false, 0};
    const std::int64_t elapsed = std::max<std::int64_t>(0, b.now() - started);
    if (elapsed < kScanSeconds)
        return {started, false, true, static_cast<std::uint32_t>(elapsed * 100 / kScanSeconds)};
    return {started, false, false, 100};
}

// The service list is there unless the ACS reset it and no scan has finished since.
bool populated(const sim::SimBoard& b, const Instance& in) {
    if (!terrestrial(in)) return false;
    const auto reset = b.setting<std::int64_t>(kDatabase, in, "ResetAt", 0);
    if (reset == 0) return true;
    const Scan s = scan(b, in);
    return s.started != 0 && s.started >= reset && !s.failed && !s.running;
}

// "...DVBT.ServiceListDatabase.LogicalChannel.3." for channel index 2.
std::string channel_path(const Instance& in, std::size_t channel) {
    return sim::instance_path(kDatabase, in) + "LogicalChannel." + std::to_string(channel + 1) + ".";
}

// The preferred service of a channel (0-based): the ACS's choice, else the
// one received best (lowest BER).
std::size_t preferred(const sim::SimBoard& b, const Instance& in, std::size_t channel) {
    const Channel c = channel_at(b, channel);
    const auto& services = c.services;
    const std::uint32_t chosen = b.has_settings() ? b.setting(channel_path(in, channel) + "PreferredService", 0u) : 0u;
    // (no settings: no key to build)
    if (chosen >= 1 && chosen <= services.size()) return chosen - 1;
    auto best = std::min_element(services.begin(), services.end(),
                                 [](const ServiceInfo& x, const ServiceInfo& y) { return x.ber < y.ber; });
    return static_cast<std::size_t>(best - services.begin());
}

struct Tuned {
    std::size_t channel;  // 0-based indexes into the lineup
    std::size_t service;
};

std::optional<Tuned> find_dvb_id(const sim::SimBoard& b, std::string_view id) {
    for (std::size_t c = 0; c < channel_count(b); ++c) {
        const Channel channel = channel_at(b, c);
        const Services& services = channel.services;
        for (std::size_t s = 0; s < services.size(); ++s)
            if (std::string_view(services.at(s).dvb_id.data()) == id) return Tuned{c, s};
    }
    return std::nullopt;
}

std::optional<std::size_t> find_lcn(const sim::SimBoard& b, std::uint32_t lcn) {
    for (std::size_t c = 0; c < lineup().size(); ++c)
        if (lineup()[c].lcn == lcn) return c;
    // Generated channels are numbered 100 and up, in order.
    if (lcn >= 100 && lcn - 100 < b.options().extra_channels) return lineup().size() + (lcn - 100);
    return std::nullopt;
}

// The service the tuner is on: the last one connected by DvbId or by
// logical channel number (its preferred service); channel 1 after boot.
std::optional<Tuned> tuned(const sim::SimBoard& b, const Instance& in) {
    if (!populated(b, in)) return std::nullopt;
    const std::string dvbt = sim::instance_path(kDVBT, in);
    const std::string id = b.setting<std::string>(dvbt + "ConnectedDvbId", "");
    if (!id.empty()) return find_dvb_id(b, id);
    const std::optional<std::size_t> c = find_lcn(b, b.setting(dvbt + "ConnectedLCN", 1u));
    if (!c) return std::nullopt;
    return Tuned{*c, preferred(b, in, *c)};
}

ServiceInfo service(const sim::SimBoard& b, const Tuned& t) {
    return channel_at(b, t.channel).services.at(t.service);
}

// Zapping re-tunes: a frequency the ACS set by hand no longer applies.
void retune(sim::SimBoard& b, const Instance& in) { b.store(sim::instance_path(kModulation, in) + "Frequency", 0u); }

struct Signal {
    bool locked;
    std::uint32_t snr;
    std::uint32_t ber;
    std::uint32_t cber;
};

// What the demodulator measures now.  The IP front end has no RF input (no
// errors, no noise figure) but counts as locked while it is enabled.
Signal signal(const sim::SimBoard& b, const Instance& in, bool on_frequency) {
    const bool enabled = frontend_enabled(b, in);
    if (!terrestrial(in)) return {enabled && b.tuner_locked(frontend(in)), 0, 0, 0};
    const std::uint64_t t = b.uptime();
    if (!enabled || !on_frequency || !b.tuner_locked(frontend(in)))
        return {false, static_cast<std::uint32_t>(2 + t % 4), static_cast<std::uint32_t>(20000 + t * 211 % 30000),
                static_cast<std::uint32_t>(1000000 + t * 4099 % 500000)};
    return {true, static_cast<std::uint32_t>(20 + t / 3 % 7), static_cast<std::uint32_t>(80 + t * 37 % 400),
            static_cast<std::uint32_t>(t * 11 % 50)};
}

// --- IPTV: multicast zapping, VoD, home-network streaming ----------------------

// Live TV zaps to the next of these groups every ten minutes: zap k, at
// uptime k * kZapSeconds, joins group k % 3 (and leaves the one before).
const std::array<const char*, 3> kGroups = {"239.192.10.1", "239.192.10.2", "239.192.10.3"};
constexpr std::int64_t kZapSeconds = 600;
constexpr std::uint32_t kGroupPort = 5000;

std::uint32_t zaps(const sim::SimBoard& b) { return static_cast<std::uint32_t>(b.uptime() / kZapSeconds); }
std::size_t live_group(const sim::SimBoard& b) { return zaps(b) % kGroups.size(); }

// Zaps k in [first, last] with k % 3 == g.
std::uint32_t zaps_to(std::size_t g, std::int64_t first, std::int64_t last) {
    const auto upto = [g](std::int64_t k) -> std::int64_t {  // in [0, k]
        return k < static_cast<std::int64_t>(g) ? 0 : (k - static_cast<std::int64_t>(g)) / 3 + 1;
    };
    return last < first ? 0 : static_cast<std::uint32_t>(upto(last) - upto(first - 1));
}

// IGMP joins and leaves of group g between uptimes `from` and `to`.
struct GroupCounts {
    std::uint32_t joins;
    std::uint32_t leaves;
    std::uint32_t max_join_delay;  // ms
};
GroupCounts group_counts(std::size_t g, std::int64_t from, std::int64_t to) {
    const std::int64_t first = (from + kZapSeconds - 1) / kZapSeconds;
    const std::int64_t last = to / kZapSeconds;
    const std::uint32_t joins = zaps_to(g, first, last);
    const std::uint32_t leaves = zaps_to((g + 1) % kGroups.size(), std::max<std::int64_t>(first, 1), last);
    return {joins, leaves, joins == 0 ? 0u : static_cast<std::uint32_t>(90 + 25 * g)};
}

std::string group_uri(std::size_t g) {
    return "rtp://" + std::string(kGroups.at(g)) + ":" + std::to_string(kGroupPort);
}

// The VoD download runs for fifteen minutes in every half hour; a
// home-network client pulls a stream for five minutes in every fifteen.
bool vod_active(const sim::SimBoard& b) { return b.uptime() / 900 % 2 == 1; }
bool outbound_active(const sim::SimBoard& b) { return b.uptime() / 300 % 3 == 2; }

constexpr std::uint32_t kInbound = 2;   // 1: multicast live TV, 2: VoD
constexpr std::uint32_t kOutbound = 1;  // 1: home-network stream
const char* const kStbAddress = "192.0.2.23";     // eth0 (ip.cpp)
const char* const kHomeClient = "192.0.2.31:5004";  // living-room-tv (hosts.cpp)

// Error correction in Auto mode runs during a loss burst, one minute in four
// (FEC and retransmission a minute apart).
template <class E>
E error_correction(const sim::SimBoard& b, bool enabled, bool forced, std::uint32_t phase) {
    if (!enabled) return E::Disabled;
    if (forced) return E::Forced_mode_EC_On;
    return (b.uptime() / 60 + phase) % 4 == 3 ? E::Auto_mode_EC_On : E::Auto_mode_EC_Off_with_buffering;
}

// --- HDMI: the TV on the other end of the cable --------------------------------

// E-EDID of a Samsung TV: base block (1080p50 preferred, monitor name
// "SAMSUNG") and a CEA-861 extension (VICs 31 16 20 19 4 5 32 17 2 1, LPCM and
// AC-3 audio, HDMI VSDB with physical address 1.0.0.0 and 60/40 ms latency).
constexpr std::string_view kEEDID =
    "00FFFFFFFFFFFF004C2D770D01000000201F0103807944780AEE91A3544C9926"
    "0F505421080081C0810081809500A9C0B30001010101023A80D072382D40102C"
    "4580B9A84200001E000000FD00184B0F5117000A202020202020000000FC0053"
    "414D53554E470A2020202020000000FF0048345A523930303132330A202001C6"
    "020325F24A9F10141304052011020126090707150750830100006A030C001000"
    "003C801F15023A801871382D40582C4500B9A84200001E011D00BC52D01E20B8"
    "285540B9A84200001E0000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000FD";

using Resolution = STBService_Capabilities_HDMI::SupportedResolutionsValue;
constexpr Resolution kDisplayPreferred = Resolution::_1920x1080p_50Hz;
constexpr std::uint32_t kDisplayVideoLatency = 60;  // ms, from the VSDB

std::vector<std::string> display_resolutions() {
    std::vector<std::string> out;
    for (Resolution r : {Resolution::_1920x1080p_50Hz, Resolution::_1920x1080p_60Hz, Resolution::_1920x1080i_50Hz,
                         Resolution::_1280x720p_50Hz, Resolution::_1280x720p_60Hz, Resolution::_1920x1080i_60Hz,
                         Resolution::_1920x1080p_24Hz, Resolution::_720x576p_50Hz, Resolution::_720x480p_60Hz,
                         Resolution::_640x480p_60Hz})
        out.push_back(name(r));
    return out;
}

// --- Decoders and outputs ------------------------------------------------------

constexpr std::uint32_t kVideoDecoders = 2;
constexpr std::uint32_t kAudioDecoders = 2;
constexpr std::uint32_t kAudioOutputs = 2;
constexpr std::uint32_t kVideoOutputs = 1;
constexpr std::uint32_t kHDMIs = 1;
constexpr std::uint32_t kCAs = 1;
constexpr std::uint32_t kDRMs = 1;

}  // namespace

// === FrontEnd ===================================================================

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_FrontEnd>) {
    return sim::numbered(kFrontEnds);
}

STBService_Components_FrontEnd read(Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kFrontEnd, in);
    const bool enabled = frontend_enabled(b, in);
    return {
        .Alias = alias(b, path, "frontend", sim::last(in)),
        .Enable = enabled,
        .Name = terrestrial(in) ? "DVB-T tuner" : "IPTV front end",
        .Status = enabled ? STBService_Components_FrontEnd::StatusValue::Enabled
                          : STBService_Components_FrontEnd::StatusValue::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kFrontEnd, in);
    b.store_changes(path, changes);
    return Fault::None;
}

// --- DVBT.Install ---------------------------------------------------------------

STBService_Components_FrontEnd_DVBT_Install read(Context& ctx, const Instance& in,
                                                 Tag<STBService_Components_FrontEnd_DVBT_Install>) {
    using Status = STBService_Components_FrontEnd_DVBT_Install::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kInstall, in);
    const Scan s = scan(b, in);
    return {
        .Progress = s.progress,
        .Start = false,  // a trigger: always false when read
        .StartFrequency = b.setting(path + "StartFrequency", kScanFrom),
        .Status = s.failed ? Status::Error : s.running ? Status::Enabled : Status::Disabled,
        .StopFrequency = b.setting(path + "StopFrequency", kScanTo),
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_DVBT_Install::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kInstall, in);
    if (changes.Start && *changes.Start && !terrestrial(in)) return Fault::RequestDenied;  // no RF input
    if (changes.StartFrequency) b.store(path + "StartFrequency", *changes.StartFrequency);
    if (changes.StopFrequency) b.store(path + "StopFrequency", *changes.StopFrequency);
    if (changes.Start) b.store(path + "ScanStartedAt", *changes.Start ? b.now() : std::int64_t{0});
    return Fault::None;
}

// --- DVBT.LogicalChannelConnect, DVBT.ServiceConnect, DVBT.Service ---------------

STBService_Components_FrontEnd_DVBT_LogicalChannelConnect read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_DVBT_LogicalChannelConnect>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::optional<Tuned> t = tuned(b, in);
    return {.LogicalChannelNumber = t ? channel_at(b, t->channel).lcn : 0u};
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_LogicalChannelConnect::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (!changes.LogicalChannelNumber) return Fault::None;
    if (!populated(b, in) || !find_lcn(b, *changes.LogicalChannelNumber)) return Fault::InvalidParameterValue;
    const std::string dvbt = sim::instance_path(kDVBT, in);
    b.store(dvbt + "ConnectedLCN", *changes.LogicalChannelNumber);
    b.store(dvbt + "ConnectedDvbId", std::string());
    retune(b, in);
    return Fault::None;
}

STBService_Components_FrontEnd_DVBT_ServiceConnect read(Context& ctx, const Instance& in,
                                                        Tag<STBService_Components_FrontEnd_DVBT_ServiceConnect>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::optional<Tuned> t = tuned(b, in);
    return {.DvbId = t ? std::string(service(b, *t).dvb_id.data()) : std::string()};
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_ServiceConnect::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (!changes.DvbId) return Fault::None;
    if (!populated(b, in) || !find_dvb_id(b, *changes.DvbId)) return Fault::InvalidParameterValue;
    b.store(sim::instance_path(kDVBT, in) + "ConnectedDvbId", *changes.DvbId);
    retune(b, in);
    return Fault::None;
}

STBService_Components_FrontEnd_DVBT_Service read(Context& ctx, const Instance& in,
                                                 Tag<STBService_Components_FrontEnd_DVBT_Service>) {
    const std::optional<Tuned> t = tuned(sim::board(ctx), in);
    if (!t) return {.CurrentLogicalChannel = "", .CurrentService = ""};
    const std::string channel = channel_path(in, t->channel);
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
    const std::string path = sim::instance_path(kModulation, in);
    const std::optional<Tuned> t = tuned(b, in);
    const std::uint32_t manual = b.setting(path + "Frequency", 0u);
    const std::uint32_t khz = manual != 0 ? manual : t ? service(b, *t).khz : 0u;
    const Signal s = signal(b, in, khz != 0);
    // UK DVB-T: 8 MHz, 64QAM, rate 2/3, 8k carriers, guard 1/32, not hierarchical.
    return {
        .BER = s.ber,
        .CBER = s.cber,
        .ChannelBandwidth = setting_enum(b, path + "ChannelBandwidth", M::ChannelBandwidthValue::_8MHz),
        .CodeRateHP = setting_enum(b, path + "CodeRateHP", M::CodeRateHPValue::_2_3),
        .CodeRateLP = setting_enum(b, path + "CodeRateLP", M::CodeRateLPValue::_0),
        .Constellation = setting_enum(b, path + "Constellation", M::ConstellationValue::_64QAM),
        .Frequency = khz,
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
    const std::string path = sim::instance_path(kModulation, in);
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
    return {
        .Reset = false,  // a trigger: always false when read
        .TotalServices = populated(sim::board(ctx), in) ? total_services(sim::board(ctx)) : 0u,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_ServiceListDatabase::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.Reset && *changes.Reset) b.store(sim::instance_path(kDatabase, in) + "ResetAt", b.now());
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel>) {
    const sim::SimBoard& b = sim::board(ctx);
    if (!populated(b, parent)) return {};
    return sim::numbered(static_cast<std::uint32_t>(channel_count(b)));
}

STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel>) {
    const std::uint32_t n = sim::last(in);
    return {
        .Alias = alias(sim::board(ctx), kLogicalChannel, in, "channel"),
        .LogicalChannelNumber = channel_at(sim::board(ctx), n - 1).lcn,
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
    if (!populated(b, parent)) return {};
    return sim::numbered(static_cast<std::uint32_t>(channel_at(b, sim::last(parent) - 1).services.size()));
}

STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service read(
    Context& ctx, const Instance& in,
    Tag<STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::size_t channel = in.numbers[2] - 1;
    const std::uint32_t n = sim::last(in);
    const ServiceInfo s = channel_at(b, channel).services.at(n - 1);
    return {
        .Alias = alias(b, kChannelService, in, "service"),
        .BER = s.ber,
        .CBER = s.cber,
        .DvbId = std::string(s.dvb_id.data()),
        .Frequency = s.khz,
        .Name = std::string(s.name.data()),
        .Preferred = preferred(b, in, channel) == n - 1,
        .SNR = s.snr,
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_DVBT_ServiceListDatabase_LogicalChannel_Service::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::size_t channel = in.numbers[2] - 1;
    const std::uint32_t n = sim::last(in);
    if (changes.Alias) b.store(sim::instance_path(kChannelService, in) + "Alias", *changes.Alias);
    if (changes.Preferred) {
        // True makes this the channel's preferred service; false hands the
        // choice back to reception quality.
        const std::string key = channel_path(in, channel) + "PreferredService";
        if (*changes.Preferred)
            b.store(key, n);
        else if (b.setting(key, 0u) == n)
            b.store(key, 0u);
    }
    return Fault::None;
}

// --- IP -----------------------------------------------------------------------------

std::vector<std::uint32_t> instances(Context&, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_IP_Inbound>) {
    return terrestrial(parent) ? std::vector<std::uint32_t>{} : sim::numbered(kInbound);
}

STBService_Components_FrontEnd_IP_Inbound read(Context& ctx, const Instance& in,
                                               Tag<STBService_Components_FrontEnd_IP_Inbound>) {
    using Status = STBService_Components_FrontEnd_IP_Inbound::StatusValue;
    using C = STBService_Capabilities_FrontEnd_IP;
    const sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const std::string alias_value = alias(b, sim::instance_path(kIP + "Inbound.{i}.", in), "inbound", n);
    if (n == 1) {  // live TV: source-specific multicast RTP
        const std::size_t g = live_group(b);
        return {
            .Alias = alias_value,
            .DestinationAddress = kGroups.at(g),
            .DestinationPort = kGroupPort,
            .DownloadTransportProtocol = "",
            .MultiplexType = name(C::MultiplexTypesValue::MPEG2_TS),
            .Name = "Multicast live TV",
            .SourceAddress = "10.20.0.11",
            .SourcePort = kGroupPort,
            .Status = Status::Enabled,
            .StreamingControlProtocol = name(C::StreamingControlProtocolsValue::IGMPv3),
            .StreamingTransportControlProtocol = name(C::StreamingTransportControlProtocolsValue::RTCP),
            .StreamingTransportProtocol = name(C::StreamingTransportProtocolsValue::RTP),
            .URI = group_uri(g),
        };
    }
    const bool active = vod_active(b);  // VoD: a progressive HTTPS download
    return {
        .Alias = alias_value,
        .DestinationAddress = active ? kStbAddress : "",
        .DestinationPort = active ? 49320u : 0u,
        .DownloadTransportProtocol = active ? name(C::DownloadTransportProtocolsValue::HTTPS) : "",
        .MultiplexType = active ? name(C::MultiplexTypesValue::MPEG2_TS) : "",
        .Name = "HTTPS video on demand",
        .SourceAddress = active ? "203.0.113.80" : "",
        .SourcePort = active ? 443u : 0u,
        .Status = active ? Status::Enabled : Status::Disabled,
        .StreamingControlProtocol = "",
        .StreamingTransportControlProtocol = "",
        .StreamingTransportProtocol = "",
        .URI = active ? "https://vod.example.net/assets/1042/main.ts" : "",
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_Inbound::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kIP + "Inbound.{i}.", in) + "Alias", *changes.Alias);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_IP_Outbound>) {
    return terrestrial(parent) ? std::vector<std::uint32_t>{} : sim::numbered(kOutbound);
}

STBService_Components_FrontEnd_IP_Outbound read(Context& ctx, const Instance& in,
                                                Tag<STBService_Components_FrontEnd_IP_Outbound>) {
    using Status = STBService_Components_FrontEnd_IP_Outbound::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const bool active = outbound_active(b);
    return {
        .Alias = alias(b, sim::instance_path(kIP + "Outbound.{i}.", in), "outbound", sim::last(in)),
        .MultiplexType = active ? name(STBService_Capabilities_FrontEnd_IP::MultiplexTypesValue::MPEG2_TS) : "",
        .Name = "Home network stream",
        .Status = active ? Status::Enabled : Status::Disabled,
        .URI = active ? "rtp://" + std::string(kHomeClient) : "",
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_FrontEnd_IP_Outbound::Changes& changes) {
    if (changes.Alias)
        sim::board(ctx).store(sim::instance_path(kIP + "Outbound.{i}.", in) + "Alias", *changes.Alias);
    return Fault::None;
}

STBService_Components_FrontEnd_IP read(Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP>) {
    if (terrestrial(in)) return {.ActiveInboundIPStreams = 0u, .ActiveOutboundIPStreams = 0u};
    const sim::SimBoard& b = sim::board(ctx);
    return {
        .ActiveInboundIPStreams = 1u + (vod_active(b) ? 1u : 0u),
        .ActiveOutboundIPStreams = outbound_active(b) ? 1u : 0u,
    };
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
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "Dejittering.", in);
    b.store_changes(path, changes);
    return Fault::None;
}

STBService_Components_FrontEnd_IP_FEC read(Context& ctx, const Instance& in,
                                          Tag<STBService_Components_FrontEnd_IP_FEC>) {
    using F = STBService_Components_FrontEnd_IP_FEC;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kIP + "FEC.", in);
    const bool enabled = ip_feature(b, in, "FEC.");
    const F::OperationModeValue mode = setting_enum(b, path + "OperationMode", F::OperationModeValue::Auto);
    return {
        .ECOperationStatus =
            error_correction<F::ECOperationStatusValue>(b, enabled, mode == F::OperationModeValue::Forced, 0),
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
    const bool enabled = ip_feature(b, in, "IGMP.");
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
    return ip_feature(sim::board(ctx), parent, "IGMP.") ? sim::numbered(1) : std::vector<std::uint32_t>{};
}

STBService_Components_FrontEnd_IP_IGMP_ClientGroup read(Context& ctx, const Instance& in,
                                                        Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroup>) {
    const sim::SimBoard& b = sim::board(ctx);
    return {
        .Alias = alias(b, sim::instance_path(kIGMP + "ClientGroup.{i}.", in), "group", sim::last(in)),
        .GroupAddress = kGroups.at(live_group(b)),
        .UpTime = static_cast<std::uint32_t>(b.uptime() % kZapSeconds),
    };
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_IP_IGMP_ClientGroup::Changes& changes) {
    if (changes.Alias)
        sim::board(ctx).store(sim::instance_path(kIGMP + "ClientGroup.{i}.", in) + "Alias", *changes.Alias);
    return Fault::None;
}

// Statistics of every group live TV has joined since boot (row n: kGroups[n - 1]).
std::vector<std::uint32_t> instances(Context& ctx, const Instance& parent,
                                     Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats>) {
    if (terrestrial(parent)) return {};
    const std::uint32_t joined = std::min<std::uint32_t>(zaps(sim::board(ctx)) + 1, kGroups.size());
    return sim::numbered(joined);
}

namespace {

// The start of the current day and quarter hour (UTC-aligned, not before boot).
std::uint32_t period_start(const sim::SimBoard& b, std::int64_t period) {
    const std::int64_t into = (b.now() % period + period) % period;
    return static_cast<std::uint32_t>(std::min<std::int64_t>(into, b.uptime()));
}

// The counts of a stats row's group over the last `seconds` of uptime.
GroupCounts recent(const sim::SimBoard& b, const Instance& in, std::uint32_t seconds) {
    const std::int64_t up = b.uptime();
    return group_counts(sim::last(in) - 1, up - seconds, up);
}

}  // namespace

STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats>) {
    const sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    return {
        .Alias = alias(b, sim::instance_path(kIGMP + "ClientGroupStats.{i}.", in), "groupstats", n),
        .CurrentDayStart = period_start(b, 86400),
        .GroupAddress = kGroups.at(n - 1),
        .QuarterHourStart = period_start(b, 900),
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
    const GroupCounts c = recent(b, in, period_start(b, 86400));
    return {.MaxJoinDelay = c.max_join_delay, .NumberOfJoins = c.joins, .NumberOfLeaves = c.leaves};
}

STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_QuarterHour read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_QuarterHour>) {
    const sim::SimBoard& b = sim::board(ctx);
    const GroupCounts c = recent(b, in, period_start(b, 900));
    return {.MaxJoinDelay = c.max_join_delay, .NumberOfJoins = c.joins, .NumberOfLeaves = c.leaves};
}

STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_Total read(
    Context& ctx, const Instance& in, Tag<STBService_Components_FrontEnd_IP_IGMP_ClientGroupStats_Total>) {
    const sim::SimBoard& b = sim::board(ctx);
    const GroupCounts c = recent(b, in, b.uptime());
    return {.MaxJoinDelay = c.max_join_delay, .NumberOfJoins = c.joins, .NumberOfLeaves = c.leaves};
}

STBService_Components_FrontEnd_IP_RTCP read(Context& ctx, const Instance& in,
                                            Tag<STBService_Components_FrontEnd_IP_RTCP>) {
    using Status = STBService_Components_FrontEnd_IP_RTCP::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const bool enabled = ip_feature(b, in, "RTCP.");
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
    const bool enabled = ip_feature(b, in, "RTPAVPF.");
    const R::OperationModeValue mode = setting_enum(b, path + "OperationMode", R::OperationModeValue::Auto);
    return {
        .ECOperationStatus =
            error_correction<R::ECOperationStatusValue>(b, enabled, mode == R::OperationModeValue::Forced, 1),
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
    const sim::SimBoard& b = sim::board(ctx);
    // TR-135's form: <trsp>://<addr>:<port>?StrCtrl=<ctrl>?StrTrspCtrl=<trspctrl>?MuxType=<mux>
    const std::string live =
        terrestrial(in) ? "" : group_uri(live_group(b)) + "?StrCtrl=IGMPv3?StrTrspCtrl=RTCP?MuxType=MPEG2-TS";
    return {.URI = b.setting<std::string>(sim::instance_path(kIP + "ServiceConnect.", in) + "URI", live)};
}

Fault write(Context& ctx, const Instance& in,
            const STBService_Components_FrontEnd_IP_ServiceConnect::Changes& changes) {
    if (changes.URI) sim::board(ctx).store(sim::instance_path(kIP + "ServiceConnect.", in) + "URI", *changes.URI);
    return Fault::None;
}

// === Decoders ====================================================================

namespace {

const std::string kAudioDecoder = kComponents + "AudioDecoder.{i}.";
const std::string kVideoDecoder = kComponents + "VideoDecoder.{i}.";

// Decoder 1 plays the main picture (IPTV, H.264 HD), decoder 2 picture-in-
// picture (an SD MPEG-2 DVB-T channel, shown muted: audio decoder 2 idles).
struct VideoDecoderRow {
    const char* name;
    std::string_view standard;    // the Capabilities.VideoDecoder object in use
    std::uint32_t profile_level;  // its ProfileLevel row
    STBService_Components_VideoDecoder::ContentAspectRatioValue aspect;
};
const std::array<VideoDecoderRow, kVideoDecoders> kVideoDecoderRows = {{
    {"Main video decoder", "MPEG4Part10", 2, STBService_Components_VideoDecoder::ContentAspectRatioValue::_16_9},
    {"PiP video decoder", "MPEG2Part2", 1, STBService_Components_VideoDecoder::ContentAspectRatioValue::_4_3},
}};

struct AudioDecoderRow {
    const char* name;
    std::optional<STBService_Capabilities_AudioDecoder::AudioStandardsValue> standard;  // none: idle
};
const std::array<AudioDecoderRow, kAudioDecoders> kAudioDecoderRows = {{
    {"Main audio decoder", STBService_Capabilities_AudioDecoder::AudioStandardsValue::DOLBY_AC3},
    {"PiP audio decoder", std::nullopt},
}};

}  // namespace

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_AudioDecoder>) {
    return sim::numbered(kAudioDecoders);
}

STBService_Components_AudioDecoder read(Context& ctx, const Instance& in, Tag<STBService_Components_AudioDecoder>) {
    using Status = STBService_Components_AudioDecoder::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kAudioDecoder, in);
    const std::uint32_t n = sim::last(in);
    const AudioDecoderRow& row = kAudioDecoderRows.at(n - 1);
    const bool enabled = b.setting(path + "Enable", true);
    return {
        .Alias = alias(b, path, "audiodecoder", n),
        .AudioStandard = enabled && row.standard ? name(*row.standard) : "",
        .Enable = enabled,
        .Name = row.name,
        .Status = enabled ? Status::Enabled : Status::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_AudioDecoder::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kAudioDecoder, in);
    b.store_changes(path, changes);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_VideoDecoder>) {
    return sim::numbered(kVideoDecoders);
}

STBService_Components_VideoDecoder read(Context& ctx, const Instance& in, Tag<STBService_Components_VideoDecoder>) {
    using Status = STBService_Components_VideoDecoder::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kVideoDecoder, in);
    const std::uint32_t n = sim::last(in);
    const VideoDecoderRow& row = kVideoDecoderRows.at(n - 1);
    const bool enabled = b.setting(path + "Enable", true);
    // The ProfileLevel row of the standard being decoded; "" for the others.
    const auto profile_level = [&](std::string_view standard) {
        if (!enabled || standard != row.standard) return std::string();
        return stb_path(in, "Capabilities.VideoDecoder.") + std::string(standard) + ".ProfileLevel." +
               std::to_string(row.profile_level);
    };
    return {
        .Alias = alias(b, path, "videodecoder", n),
        .ContentAspectRatio = row.aspect,
        .Enable = enabled,
        .MPEG2Part2 = profile_level("MPEG2Part2"),
        .MPEG4Part10 = profile_level("MPEG4Part10"),
        .MPEG4Part2 = profile_level("MPEG4Part2"),
        .Name = row.name,
        .SMPTEVC1 = profile_level("SMPTEVC1"),
        .Status = enabled ? Status::Enabled : Status::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_VideoDecoder::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kVideoDecoder, in);
    b.store_changes(path, changes);
    return Fault::None;
}

// === Outputs =====================================================================

namespace {

const std::string kAudioOutput = kComponents + "AudioOutput.{i}.";
const std::string kVideoOutput = kComponents + "VideoOutput.{i}.";
const std::string kHDMI = kComponents + "HDMI.{i}.";

// Output 1 is HDMI audio; output 2 optical S/PDIF, which the viewer has muted.
struct AudioOutputRow {
    const char* name;
    STBService_Capabilities_AudioOutput::AudioFormatsValue format;
    std::uint32_t level;
    bool muted;
};
const std::array<AudioOutputRow, kAudioOutputs> kAudioOutputRows = {{
    {"HDMI audio", STBService_Capabilities_AudioOutput::AudioFormatsValue::HDMI, 80, false},
    {"Optical S/PDIF", STBService_Capabilities_AudioOutput::AudioFormatsValue::DIGITAL_OPTICAL_SP_DIF, 100, true},
}};

}  // namespace

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_AudioOutput>) {
    return sim::numbered(kAudioOutputs);
}

STBService_Components_AudioOutput read(Context& ctx, const Instance& in, Tag<STBService_Components_AudioOutput>) {
    using Status = STBService_Components_AudioOutput::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kAudioOutput, in);
    const std::uint32_t n = sim::last(in);
    const AudioOutputRow& row = kAudioOutputRows.at(n - 1);
    const bool enabled = b.setting(path + "Enable", true);
    const bool muted = b.setting(path + "Muted", row.muted);
    return {
        .Alias = alias(b, path, "audiooutput", n),
        .AudioFormat = enabled ? name(row.format) : "",
        .AudioLevel = b.setting(path + "AudioLevel", row.level),
        .CancelMute = false,  // a trigger: always false when read
        .Enable = enabled,
        .Name = row.name,
        .SCARTs = std::vector<std::string>{},  // no SCART connectors
        .Status = !enabled ? Status::Disabled : muted ? Status::Muted : Status::Enabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_AudioOutput::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kAudioOutput, in);
    if (changes.AudioLevel && *changes.AudioLevel > 100) return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.AudioLevel) b.store(path + "AudioLevel", *changes.AudioLevel);
    if (changes.CancelMute && *changes.CancelMute) b.store(path + "Muted", false);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_VideoOutput>) {
    return sim::numbered(kVideoOutputs);
}

STBService_Components_VideoOutput read(Context& ctx, const Instance& in, Tag<STBService_Components_VideoOutput>) {
    using V = STBService_Components_VideoOutput;
    using Format = STBService_Capabilities_VideoOutput::VideoFormatsValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kVideoOutput, in);
    const bool enabled = b.setting(path + "Enable", true);
    const bool colorbar = b.setting(path + "ColorbarEnable", false);  // false at boot, as TR-135 asks
    const std::string display = b.setting<std::string>(path + "DisplayFormat", "16:9");
    return {
        .Alias = alias(b, path, "videooutput", sim::last(in)),
        // 16:9 content on a 4:3 display is letterboxed; a 16:9 display needs nothing.
        .AspectRatioBehaviour =
            display == "4:3" ? V::AspectRatioBehaviourValue::_16_9_Letterbox : V::AspectRatioBehaviourValue::None,
        .ColorbarEnable = colorbar,
        .CompositeVideoStandard = "",  // HDMI, not CVBS
        .DisplayFormat = display,
        .Enable = enabled,
        .HDCP = enabled,  // the TV authenticates; protected content flows
        .Macrovision = false,
        .Name = "HDMI video output",
        .SCARTs = std::vector<std::string>{},
        .Status = !enabled ? V::StatusValue::Disabled
                  : colorbar ? V::StatusValue::ColorbarEnabled
                             : V::StatusValue::Enabled,
        .VideoFormat = enabled ? b.setting<std::string>(path + "VideoFormat", name(Format::HDMI)) : "",
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_VideoOutput::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kVideoOutput, in);
    // DisplayFormat and VideoFormat name entries of the capability lists.
    if (changes.DisplayFormat || changes.VideoFormat) {
        const auto caps = read(ctx, stb(in), Tag<STBService_Capabilities_VideoOutput>{});
        const std::vector<std::string>& formats = caps.DisplayFormats.value;
        if (changes.DisplayFormat &&
            std::find(formats.begin(), formats.end(), *changes.DisplayFormat) == formats.end())
            return Fault::InvalidParameterValue;
        if (changes.VideoFormat && !listed(caps.VideoFormats.value, *changes.VideoFormat))
            return Fault::InvalidParameterValue;
    }
    b.store_changes(path, changes);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_HDMI>) {
    return sim::numbered(kHDMIs);
}

STBService_Components_HDMI read(Context& ctx, const Instance& in, Tag<STBService_Components_HDMI>) {
    using H = STBService_Components_HDMI;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kHDMI, in);
    const bool enabled = b.setting(path + "Enable", true);
    const H::ResolutionModeValue mode = setting_enum(b, path + "ResolutionMode", H::ResolutionModeValue::Auto);
    // Auto follows the TV's preferred format; Manual applies the ACS's choice.
    const std::string manual = b.setting<std::string>(path + "ResolutionValue", name(Resolution::_1920x1080i_50Hz));
    return {
        .Alias = alias(b, path, "hdmi", sim::last(in)),
        .Enable = enabled,
        .Name = "HDMI0",
        .ResolutionMode = mode,
        .ResolutionValue = mode == H::ResolutionModeValue::Auto ? name(kDisplayPreferred) : manual,
        .Status = enabled ? H::StatusValue::Enabled : H::StatusValue::Disabled,
    };
}

Fault write(Context& ctx, const Instance& in, const STBService_Components_HDMI::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kHDMI, in);
    if (changes.ResolutionValue &&
        !listed(read(ctx, stb(in), Tag<STBService_Capabilities_HDMI>{}).SupportedResolutions.value,
                *changes.ResolutionValue))
        return Fault::InvalidParameterValue;
    if (changes.Alias) b.store(path + "Alias", *changes.Alias);
    if (changes.Enable) b.store(path + "Enable", *changes.Enable);
    if (changes.ResolutionMode) store_enum(b, path + "ResolutionMode", *changes.ResolutionMode);
    // Kept in Auto mode too (no effect until Manual), so the order of the
    // two parameters in one SetParameterValues does not matter.
    if (changes.ResolutionValue) b.store(path + "ResolutionValue", *changes.ResolutionValue);
    return Fault::None;
}

STBService_Components_HDMI_DisplayDevice read(Context&, const Instance&,
                                              Tag<STBService_Components_HDMI_DisplayDevice>) {
    return {
        .AutoLipSyncSupport = true,  // the VSDB carries latency fields
        .CECSupport = true,
        .EEDID = std::string(kEEDID),
        .HDMI3DPresent = false,
        .Name = "SAMSUNG",
        .PreferredResolution = name(kDisplayPreferred),
        .Status = STBService_Components_HDMI_DisplayDevice::StatusValue::Present,
        .SupportedResolutions = display_resolutions(),
        .VideoLatency = kDisplayVideoLatency,
    };
}

// === Conditional access and DRM ====================================================

namespace {
const std::string kCA = kComponents + "CA.{i}.";
const std::string kDRM = kComponents + "DRM.{i}.";
}  // namespace

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<STBService_Components_CA>) {
    return sim::numbered(kCAs);
}

// Named after its entry in Capabilities.CA.CASystems; cardless, so no
// smart card reader.
STBService_Components_CA read(Context& ctx, const Instance& in, Tag<STBService_Components_CA>) {
    using Status = STBService_Components_CA::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kCA, in);
    const std::uint32_t n = sim::last(in);
    const bool enabled = b.setting(path + "Enable", true);
    return {
        .Alias = alias(b, path, "ca", n),
        .Enable = enabled,
        .Name = read(ctx, stb(in), Tag<STBService_Capabilities_CA>{}).CASystems.value.at(n - 1),
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
    return sim::numbered(kDRMs);
}

// Named after its entry in Capabilities.DRM.DRMSystems (Widevine); the
// second system there, PlayReady, is not loaded.
STBService_Components_DRM read(Context& ctx, const Instance& in, Tag<STBService_Components_DRM>) {
    using Status = STBService_Components_DRM::StatusValue;
    const sim::SimBoard& b = sim::board(ctx);
    const std::string path = sim::instance_path(kDRM, in);
    const std::uint32_t n = sim::last(in);
    const bool enabled = b.setting(path + "Enable", true);
    return {
        .Alias = alias(b, path, "drm", n),
        .Enable = enabled,
        .Name = read(ctx, stb(in), Tag<STBService_Capabilities_DRM>{}).DRMSystems.value.at(n - 1),
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
