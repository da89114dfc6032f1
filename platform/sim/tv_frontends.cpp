#include "tv_frontends.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <utility>
#include <vector>

namespace cwmp::sim::tv {

namespace {

constexpr std::int64_t kScanSeconds = 60;

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

// Zaps k in [first, last] with k % 3 == g.
std::uint32_t zaps_to(std::size_t g, std::int64_t first, std::int64_t last) {
    const auto upto = [g](std::int64_t k) -> std::int64_t {  // in [0, k]
        return k < static_cast<std::int64_t>(g) ? 0 : (k - static_cast<std::int64_t>(g)) / 3 + 1;
    };
    return last < first ? 0 : static_cast<std::uint32_t>(upto(last) - upto(first - 1));
}

// Zapping re-tunes: a frequency the ACS set by hand no longer applies.
void retune(SimBoard& b, const FrontEnd& fe) { b.store(fe.modulation() + "Frequency", 0u); }

}  // namespace

Services::Services(std::initializer_list<ServiceInfo> list) : n_(list.size()) {
    std::copy(list.begin(), list.end(), items_.begin());
}

const ServiceInfo& Services::at(std::size_t i) const {
    if (i >= n_) throw std::out_of_range("no such service");
    return items_[i];
}

// A board may carry more channels than the real lineup (SimOptions): each
// extra one is a single service on a generated multiplex, numbered from 100.
std::size_t channel_count(const SimBoard& b) { return lineup().size() + b.options().extra_channels; }

Channel channel_at(const SimBoard& b, std::size_t c) {
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

std::uint32_t total_services(const SimBoard& b) {
    std::uint32_t total = 0;
    for (const Channel& c : lineup()) total += static_cast<std::uint32_t>(c.services.size());
    return total + b.options().extra_channels;
}

std::optional<Tuned> find_dvb_id(const SimBoard& b, std::string_view id) {
    for (std::size_t c = 0; c < channel_count(b); ++c) {
        const Channel channel = channel_at(b, c);
        const Services& services = channel.services;
        for (std::size_t s = 0; s < services.size(); ++s)
            if (std::string_view(services.at(s).dvb_id.data()) == id) return Tuned{c, s};
    }
    return std::nullopt;
}

std::optional<std::size_t> find_lcn(const SimBoard& b, std::uint32_t lcn) {
    for (std::size_t c = 0; c < lineup().size(); ++c)
        if (lineup()[c].lcn == lcn) return c;
    // Generated channels are numbered 100 and up, in order.
    if (lcn >= 100 && lcn - 100 < b.options().extra_channels) return lineup().size() + (lcn - 100);
    return std::nullopt;
}

// --- FrontEnd ---------------------------------------------------------------------

FrontEnd::FrontEnd(const SimBoard& b, std::uint32_t number, std::string key)
    : b_(b), number_(number), key_(std::move(key)) {}

bool FrontEnd::enabled() const { return b_.setting(key_ + "Enable", true); }

bool FrontEnd::ip_feature(std::string_view object) const {
    return b_.setting(ip() + std::string(object) + "Enable", !terrestrial());
}

std::string FrontEnd::channel_key(std::size_t channel) const {
    return database() + "LogicalChannel." + std::to_string(channel + 1) + ".";
}

Scan FrontEnd::scan() const {
    const std::string path = install();
    const auto started = b_.setting<std::int64_t>(path + "ScanStartedAt", 0);
    if (started == 0) return {0, false, false, 0};
    if (b_.setting(path + "StartFrequency", kScanFrom) > b_.setting(path + "StopFrequency", kScanTo))
        return {started, true, false, 0};
    const std::int64_t elapsed = std::max<std::int64_t>(0, b_.now() - started);
    if (elapsed < kScanSeconds)
        return {started, false, true, static_cast<std::uint32_t>(elapsed * 100 / kScanSeconds)};
    return {started, false, false, 100};
}

bool FrontEnd::populated() const {
    if (!terrestrial()) return false;
    // (no settings: no key to build, on every read of the list's rows)
    const auto reset = b_.has_settings() ? b_.setting<std::int64_t>(database() + "ResetAt", 0) : 0;
    if (reset == 0) return true;
    const Scan s = scan();
    return s.started != 0 && s.started >= reset && !s.failed && !s.running;
}

std::size_t FrontEnd::preferred(std::size_t channel) const {
    const Channel c = channel_at(b_, channel);
    const auto& services = c.services;
    const std::uint32_t chosen = b_.has_settings() ? b_.setting(channel_key(channel) + "PreferredService", 0u) : 0u;
    if (chosen >= 1 && chosen <= services.size()) return chosen - 1;
    auto best = std::min_element(services.begin(), services.end(),
                                 [](const ServiceInfo& x, const ServiceInfo& y) { return x.ber < y.ber; });
    return static_cast<std::size_t>(best - services.begin());
}

std::optional<Tuned> FrontEnd::tuned() const {
    if (!populated()) return std::nullopt;
    const std::string id = b_.setting<std::string>(dvbt() + "ConnectedDvbId", "");
    if (!id.empty()) return find_dvb_id(b_, id);
    const std::optional<std::size_t> c = find_lcn(b_, b_.setting(dvbt() + "ConnectedLCN", 1u));
    if (!c) return std::nullopt;
    return Tuned{*c, preferred(*c)};
}

std::uint32_t FrontEnd::frequency() const {
    const std::uint32_t manual = b_.setting(modulation() + "Frequency", 0u);
    if (manual != 0) return manual;
    const std::optional<Tuned> t = tuned();
    return t ? channel_at(b_, t->channel).services.at(t->service).khz : 0u;
}

Signal FrontEnd::signal() const {
    const bool on = enabled();
    if (!terrestrial()) return {on && b_.tuner_locked(number_), 0, 0, 0};
    const std::uint64_t t = b_.uptime();
    if (!on || frequency() == 0 || !b_.tuner_locked(number_))
        return {false, static_cast<std::uint32_t>(2 + t % 4), static_cast<std::uint32_t>(20000 + t * 211 % 30000),
                static_cast<std::uint32_t>(1000000 + t * 4099 % 500000)};
    return {true, static_cast<std::uint32_t>(20 + t / 3 % 7), static_cast<std::uint32_t>(80 + t * 37 % 400),
            static_cast<std::uint32_t>(t * 11 % 50)};
}

std::uint32_t FrontEnd::inbound_count() const { return terrestrial() ? 0 : kInbound; }
std::uint32_t FrontEnd::outbound_count() const { return terrestrial() ? 0 : kOutbound; }

IPStream FrontEnd::inbound(std::uint32_t n) const {
    if (n < 1 || n > inbound_count()) throw std::out_of_range("IP inbound stream " + std::to_string(n) + ": none");
    if (n == 1) {  // live TV: source-specific multicast RTP
        const std::size_t g = live_group(b_);
        return {"Multicast live TV", true, std::string(kGroups.at(g)), kGroupPort, std::string(kLiveSource),
                kGroupPort, "RTP", "IGMPv3", "RTCP", "", "MPEG2-TS", group_uri(g)};
    }
    if (!vod_active(b_)) return {.name = "HTTPS video on demand"};
    return {"HTTPS video on demand", true, std::string(kStbAddress), 49320, std::string(kVodServer), 443, "", "", "",
            "HTTPS", "MPEG2-TS", std::string(kVodUri)};  // a progressive download
}

IPStream FrontEnd::outbound(std::uint32_t n) const {
    if (n < 1 || n > outbound_count()) throw std::out_of_range("IP outbound stream " + std::to_string(n) + ": none");
    if (!outbound_active(b_)) return {.name = "Home network stream"};
    return {.name = "Home network stream",
            .active = true,
            .multiplex = "MPEG2-TS",
            .uri = "rtp://" + std::string(kHomeClient)};
}

std::uint32_t FrontEnd::active_inbound() const {
    std::uint32_t active = 0;
    for (std::uint32_t n = 1; n <= inbound_count(); ++n) active += inbound(n).active;
    return active;
}

std::uint32_t FrontEnd::active_outbound() const {
    std::uint32_t active = 0;
    for (std::uint32_t n = 1; n <= outbound_count(); ++n) active += outbound(n).active;
    return active;
}

std::string FrontEnd::service_uri() const {
    // TR-135's form: <trsp>://<addr>:<port>?StrCtrl=<ctrl>?StrTrspCtrl=<trspctrl>?MuxType=<mux>
    const std::string live =
        terrestrial() ? "" : group_uri(live_group(b_)) + "?StrCtrl=IGMPv3?StrTrspCtrl=RTCP?MuxType=MPEG2-TS";
    return b_.setting<std::string>(ip() + "ServiceConnect.URI", live);
}

bool connect_lcn(SimBoard& b, const FrontEnd& fe, std::uint32_t lcn) {
    if (!fe.populated() || !find_lcn(b, lcn)) return false;
    b.store(fe.dvbt() + "ConnectedLCN", lcn);
    b.store(fe.dvbt() + "ConnectedDvbId", std::string());
    retune(b, fe);
    return true;
}

bool connect_dvb_id(SimBoard& b, const FrontEnd& fe, const std::string& dvb_id) {
    if (!fe.populated() || !find_dvb_id(b, dvb_id)) return false;
    b.store(fe.dvbt() + "ConnectedDvbId", dvb_id);
    retune(b, fe);
    return true;
}

bool start_scan(SimBoard& b, const FrontEnd& fe, bool start) {
    if (start && !fe.terrestrial()) return false;
    b.store(fe.install() + "ScanStartedAt", start ? b.now() : std::int64_t{0});
    return true;
}

void connect_service(SimBoard& b, const FrontEnd& fe, const std::string& uri) {
    b.store(fe.ip() + "ServiceConnect.URI", uri);
}

void reset_service_list(SimBoard& b, const FrontEnd& fe) { b.store(fe.database() + "ResetAt", b.now()); }

void prefer(SimBoard& b, const FrontEnd& fe, std::size_t channel, std::uint32_t service, bool preferred) {
    const std::string key = fe.channel_key(channel) + "PreferredService";
    if (preferred)
        b.store(key, service);
    else if (b.setting(key, 0u) == service)
        b.store(key, 0u);
}

// --- IPTV -------------------------------------------------------------------------

std::uint32_t zaps(const SimBoard& b) { return static_cast<std::uint32_t>(b.uptime() / kZapSeconds); }
std::size_t live_group(const SimBoard& b) { return zaps(b) % kGroups.size(); }

std::string group_uri(std::size_t g) {
    return "rtp://" + std::string(kGroups.at(g)) + ":" + std::to_string(kGroupPort);
}

GroupCounts group_counts(std::size_t g, std::int64_t from, std::int64_t to) {
    const std::int64_t first = (from + kZapSeconds - 1) / kZapSeconds;
    const std::int64_t last = to / kZapSeconds;
    const std::uint32_t joins = zaps_to(g, first, last);
    const std::uint32_t leaves = zaps_to((g + 1) % kGroups.size(), std::max<std::int64_t>(first, 1), last);
    return {joins, leaves, joins == 0 ? 0u : static_cast<std::uint32_t>(90 + 25 * g)};
}

GroupCounts recent_group_counts(const SimBoard& b, std::size_t g, std::uint32_t seconds) {
    const std::int64_t up = b.uptime();
    return group_counts(g, up - seconds, up);
}

std::uint32_t period_start(const SimBoard& b, std::int64_t period) {
    const std::int64_t into = (b.now() % period + period) % period;
    return static_cast<std::uint32_t>(std::min<std::int64_t>(into, b.uptime()));
}

bool vod_active(const SimBoard& b) { return b.uptime() / 900 % 2 == 1; }
bool outbound_active(const SimBoard& b) { return b.uptime() / 300 % 3 == 2; }

Correction error_correction(const SimBoard& b, bool enabled, bool forced, std::uint32_t phase) {
    if (!enabled) return Correction::Disabled;
    if (forced) return Correction::Forced;
    return (b.uptime() / 60 + phase) % 4 == 3 ? Correction::AutoOn : Correction::AutoOff;
}

}  // namespace cwmp::sim::tv
