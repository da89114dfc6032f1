// The set-top box's front ends as the simulated world has them, apart from
// any data model: the DVB-T tuner (a small Freeview-like service list, a
// scan that takes a minute, tuning by logical channel or DVB id, signal
// figures that follow the board's lock cycle) and the IPTV front end
// (zapping between three multicast groups every ten minutes, the IGMP
// joins and leaves that makes, a VoD download and a home-network stream
// that come and go).
//
// What the ACS changed (the tuned channel, a scan) is kept in the board's
// settings under the keys the caller names (its instance paths), so it
// survives a restart like every other setting.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "board.h"

namespace cwmp::sim::tv {

// --- DVB-T: the service list, scanning, tuning ----------------------------------

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

// A channel's services, held inline (see ServiceInfo).
class Services {
public:
    Services(std::initializer_list<ServiceInfo> list);
    std::size_t size() const { return n_; }
    const ServiceInfo& at(std::size_t i) const;  // std::out_of_range past the end
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

// The channels the last scan found (0-based), the real lineup first, then
// SimOptions::extra_channels generated ones; std::out_of_range past the end.
std::size_t channel_count(const SimBoard& b);
Channel channel_at(const SimBoard& b, std::size_t channel);
std::uint32_t total_services(const SimBoard& b);

constexpr std::uint32_t kScanFrom = 474000;  // kHz, UHF 21
constexpr std::uint32_t kScanTo = 858000;    // kHz, UHF 69

struct Scan {
    std::int64_t started;  // 0: never (or stopped)
    bool failed;           // asked to scan an empty band
    bool running;
    std::uint32_t progress;  // percent
};

struct Tuned {
    std::size_t channel;  // 0-based indexes into the lineup
    std::size_t service;
};

struct Signal {
    bool locked;
    std::uint32_t snr;
    std::uint32_t ber;
    std::uint32_t cber;
};

// A stream the IP front end receives or sends, its protocols in wire form
// (the names Capabilities.FrontEnd.IP gives them); an inactive one has a
// name only.
struct IPStream {
    std::string_view name{};
    bool active = false;
    std::string destination_address{};
    std::uint32_t destination_port = 0;
    std::string source_address{};
    std::uint32_t source_port = 0;
    std::string_view transport{};          // RTP
    std::string_view control{};            // IGMPv3
    std::string_view transport_control{};  // RTCP
    std::string_view download{};           // HTTPS
    std::string_view multiplex{};          // MPEG2-TS
    std::string uri{};
};

// One front end: `number` (1 is the DVB-T tuner, 2 the IP front end), its
// settings kept below `key` (e.g. "Device.Services.STBService.1.Components.FrontEnd.1.").
class FrontEnd {
public:
    static constexpr std::uint32_t kCount = 2;
    static constexpr std::uint32_t kTerrestrial = 1;

    FrontEnd(const SimBoard& b, std::uint32_t number, std::string key);

    bool terrestrial() const { return number_ == kTerrestrial; }
    std::string_view name() const { return terrestrial() ? "DVB-T tuner" : "IPTV front end"; }
    bool enabled() const;
    // IP features (FEC, IGMP, RTCP, RTP/AVPF below IP.`object`) are on by
    // default on the IP front end only.
    bool ip_feature(std::string_view object) const;

    // The last scan the ACS started (Install.); it takes a minute.
    Scan scan() const;
    // The service list is there unless the ACS reset it and no scan has finished since.
    bool populated() const;
    // The preferred service of a channel: the ACS's choice, else the one received best.
    std::size_t preferred(std::size_t channel) const;
    // The service the tuner is on: the last one connected by DVB id or by
    // logical channel number (its preferred service); channel 1 after boot.
    std::optional<Tuned> tuned() const;
    // The frequency tuned (kHz): the ACS's, else the tuned service's; 0 for none.
    std::uint32_t frequency() const;
    // What the demodulator measures now.  The IP front end has no RF input (no
    // errors, no noise figure) but counts as locked while it is enabled.
    Signal signal() const;

    // The IP front end's streams (none on the tuner): Inbound 1 multicast
    // live TV, 2 the VoD download while it runs; Outbound 1 the
    // home-network stream while a client pulls it.  std::out_of_range past
    // the last.
    std::uint32_t inbound_count() const;
    std::uint32_t outbound_count() const;
    IPStream inbound(std::uint32_t n) const;
    IPStream outbound(std::uint32_t n) const;
    std::uint32_t active_inbound() const;
    std::uint32_t active_outbound() const;
    // The service connected (TR-135's ServiceConnect.URI): the ACS's, else
    // live TV's group now; "" on the tuner.
    std::string service_uri() const;

    // Settings keys of the tuner's state, for the ACS's writes.
    std::string dvbt() const { return key_ + "DVBT."; }
    std::string install() const { return dvbt() + "Install."; }
    std::string modulation() const { return dvbt() + "Modulation."; }
    std::string database() const { return dvbt() + "ServiceListDatabase."; }
    std::string channel_key(std::size_t channel) const;  // "...LogicalChannel.3." for index 2
    std::string ip() const { return key_ + "IP."; }

private:
    const SimBoard& b_;
    std::uint32_t number_;
    std::string key_;
};

// What the ACS asks of the tuner; false (nothing changed) when the list has
// no such channel or service.
bool connect_lcn(SimBoard& b, const FrontEnd& fe, std::uint32_t lcn);
bool connect_dvb_id(SimBoard& b, const FrontEnd& fe, const std::string& dvb_id);
// Starts (true) or stops a scan; false, changing nothing, for a start on a
// front end without RF input (the IP one).
bool start_scan(SimBoard& b, const FrontEnd& fe, bool start);
// The ACS's ServiceConnect.URI.
void connect_service(SimBoard& b, const FrontEnd& fe, const std::string& uri);
void reset_service_list(SimBoard& b, const FrontEnd& fe);
// True makes `service` the channel's preferred one; false hands the choice
// back to reception quality.
void prefer(SimBoard& b, const FrontEnd& fe, std::size_t channel, std::uint32_t service, bool preferred);

std::optional<Tuned> find_dvb_id(const SimBoard& b, std::string_view id);
std::optional<std::size_t> find_lcn(const SimBoard& b, std::uint32_t lcn);

// --- IPTV: multicast zapping, VoD, home-network streaming ------------------------

// Live TV zaps to the next of these groups every ten minutes: zap k, at
// uptime k * kZapSeconds, joins group k % 3 (and leaves the one before).
constexpr std::array<std::string_view, 3> kGroups = {"239.192.10.1", "239.192.10.2", "239.192.10.3"};
constexpr std::array<std::string_view, 3> kGroupChannels = {"News 24 HD", "Sports 1 HD", "Movies HD"};
constexpr std::int64_t kZapSeconds = 600;
constexpr std::uint32_t kGroupPort = 5000;

std::uint32_t zaps(const SimBoard& b);
std::size_t live_group(const SimBoard& b);
std::string group_uri(std::size_t g);

// IGMP joins and leaves of group g between uptimes `from` and `to`.
struct GroupCounts {
    std::uint32_t joins;
    std::uint32_t leaves;
    std::uint32_t max_join_delay;  // ms
};
GroupCounts group_counts(std::size_t g, std::int64_t from, std::int64_t to);
// The same over the last `seconds` of uptime.
GroupCounts recent_group_counts(const SimBoard& b, std::size_t g, std::uint32_t seconds);
// Seconds into the current UTC-aligned `period` (day, quarter hour), not before boot.
std::uint32_t period_start(const SimBoard& b, std::int64_t period);

// The VoD download runs for fifteen minutes in every half hour; a
// home-network client pulls a stream for five minutes in every fifteen.
bool vod_active(const SimBoard& b);
bool outbound_active(const SimBoard& b);

constexpr std::uint32_t kInbound = 2;   // 1: multicast live TV, 2: VoD
constexpr std::uint32_t kOutbound = 1;  // 1: home-network stream
constexpr std::string_view kLiveSource = "10.20.0.11";
constexpr std::string_view kStbAddress = "192.0.2.23";      // eth0 (ip.cpp)
constexpr std::string_view kHomeClient = "192.0.2.31:5004";  // living-room-tv (hosts.cpp)
constexpr std::string_view kVodServer = "203.0.113.80";
constexpr std::string_view kVodUri = "https://vod.example.net/assets/1042/main.ts";

// Error correction in Auto mode runs during a loss burst, one minute in four
// (FEC and retransmission, `phase` 0 and 1, a minute apart).
enum class Correction { Disabled, Forced, AutoOn, AutoOff };
Correction error_correction(const SimBoard& b, bool enabled, bool forced, std::uint32_t phase);

}  // namespace cwmp::sim::tv
