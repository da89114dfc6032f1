#include "cwmp/agent/lightweight.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>

#include "cwmp/agent/agent.h"
#include "cwmp/agent/settings.h"
#include "cwmp/connreq/address.h"
#include "cwmp/dm/value.h"
#include "cwmp/lwn/message.h"
#include "cwmp/util/log.h"
#include "cwmp/util/survive.h"

namespace cwmp::agent {
namespace {

// The ManagementServer paths of the engine's profile.
const dm::ModelPaths::ManagementServer& ms_of(const dm::Engine& e) { return e.schema().paths.management_server; }
constexpr std::uint32_t kDefaultPort = 7547;  // TR-181: when the port is not given

}  // namespace

std::int64_t next_trigger(std::int64_t now, std::uint32_t interval, std::optional<std::int64_t> phase,
                          std::int64_t anchor) {
    return interval == 0 ? INT64_MAX : next_periodic(now, interval, phase, anchor);
}

Lightweight::Lightweight(dm::Engine& engine, Settings settings, util::Loop& loop, const util::Log& log, util::Clock now,
                         std::size_t max_datagram)
    : engine_(engine), settings_(std::move(settings)), loop_(loop), log_(log), now_(std::move(now)), max_datagram_(max_datagram) {}

Lightweight::~Lightweight() { loop_.cancel(timer_); }

std::string Lightweight::value(std::string_view name) const { return own_.text(name); }

bool Lightweight::enabled() const {
    const std::string text = settings_().lightweight_notification_protocols_used;  // the views below point into it
    const std::vector<std::string_view> used = dm::split_list(text);
    return std::find(used.begin(), used.end(), "UDP") != used.end();
}

void Lightweight::start() {
    anchor_ = now_();
    reschedule();
}

void Lightweight::on_change(std::string_view name) {
    const dm::ModelPaths::ManagementServer& ms = ms_of(engine_);
    if (name == ms.lightweight_notification_trigger_interval || name == ms.lightweight_notification_trigger_time) {
        anchor_ = now_();
        reschedule();
    }
}

void Lightweight::reschedule(std::int64_t after) {
    loop_.cancel(timer_);
    timer_ = 0;
    const ManagementServerSettings ms = settings_();
    const std::uint32_t interval = ms.lightweight_notification_trigger_interval;
    std::optional<std::int64_t> phase;
    if (ms.lightweight_notification_trigger_time.unix_seconds != dm::DateTime::kUnknown)
        phase = ms.lightweight_notification_trigger_time.unix_seconds;
    const std::int64_t now = now_();
    next_due_ = next_trigger(std::max(now, after), interval, phase, anchor_);
    if (next_due_ == INT64_MAX) return;
    // The clock says whole seconds: the part of the current one already gone
    // (from the system clock) comes off, so that the timer fires on the slot,
    // not up to a second after it.
    const auto gone = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()) % 1000;
    const auto delay = std::max(std::chrono::milliseconds(0), std::chrono::seconds(next_due_ - now) - gone);
    timer_ = loop_.after(delay, [this] {
        timer_ = 0;
        const std::int64_t slot = next_due_;
        util::survive(log_, "lightweight notification trigger", [this] { trigger(); });
        reschedule(slot);  // the next slot, even should the clock still read the one before
    });
}

void Lightweight::poll() {
    const std::vector<dm::ValueChange> changes = engine_.lightweight_changes();
    if (changes.empty()) return;
    if (!enabled()) {
        engine_.acknowledge_lightweight(changes);  // disabled: dropped, not kept for later
        return;
    }
    if (std::any_of(changes.begin(), changes.end(), [](const dm::ValueChange& c) { return c.notification == 2; }))
        deliver(changes, "active");
}

void Lightweight::trigger() {
    const std::vector<dm::ValueChange> changes = engine_.lightweight_changes();
    if (changes.empty()) return;
    if (!enabled()) {
        engine_.acknowledge_lightweight(changes);
        return;
    }
    deliver(changes, "trigger interval");
}

void Lightweight::deliver(const std::vector<dm::ValueChange>& changes, std::string_view why) {
    // Values as an ACS reads them (a hidden one empty); an instance gone
    // meanwhile is left out.
    std::vector<lwn::Param> params;
    auto keep = [&](std::string_view n, const dm::Param&, std::string_view v) {
        params.push_back({std::string(n), std::string(v)});
    };
    std::vector<std::string> names;
    for (const dm::ValueChange& c : changes) names.push_back(c.name);
    if (!engine_.get_values(names, keep)) {
        params.clear();
        for (const std::string& n : names) {
            // One at a time: a parameter whose instance is gone since its
            // change was seen fails alone and is left out of the message.
            if (dm::Outcome r = engine_.get_values(std::span(&n, 1), keep); !r)
                log_.debug("lightweight notification: " + n + " left out: " + r.message);
        }
    }
    if (params.empty()) {
        engine_.acknowledge_lightweight(changes);
        return;
    }

    const Destination& to = destination();
    const std::string& where = to.where;
    if (where.empty()) {
        log_.warning("lightweight notification: no destination (UDPLightweightNotificationHost and the ACS URL are empty)");
        return;
    }
    if (to.lookup.addresses.empty()) {
        log_.warning("lightweight notification to " + where + ": cannot resolve: " + to.lookup.error);
        resolved_at_.reset();
        return;
    }

    const dm::ModelPaths::DeviceInfo& info = engine_.schema().paths.device_info;
    const ManagementServerSettings ms = settings_();
    const lwn::Identity id{ms.username, ms.password, value(info.manufacturer_oui), value(info.product_class),
                           value(info.serial_number)};
    const std::vector<std::string> datagrams = lwn::datagrams(id, now_(), params, where, max_datagram_);
    const std::vector<util::SocketAddress>& addresses = to.lookup.addresses;
    for (auto a = addresses.begin(); a != addresses.end(); ++a) {
        connreq::Socket s(::socket(a->family(), SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        if (s.get() < 0) continue;
        std::size_t n = 0;
        for (const std::string& d : datagrams) {
            if (::sendto(s.get(), d.data(), d.size(), 0, a->get(), a->len) != static_cast<ssize_t>(d.size())) break;
            ++n;
        }
        if (n == 0 && a + 1 != addresses.end()) continue;  // another address may work
        if (n < datagrams.size()) {
            log_.warning("lightweight notification to " + where + ": sent " + std::to_string(n) + " of " +
                         std::to_string(datagrams.size()) + " datagrams: " + std::strerror(errno));
            resolved_at_.reset();  // the name may point elsewhere now
            return;                // kept: the next poll or trigger tries again
        }
        sent_ += n;
        engine_.acknowledge_lightweight(changes);
        log_.info("lightweight notification (" + std::string(why) + ") to " + where + ": " +
                  std::to_string(params.size()) + " parameter(s) in " + std::to_string(n) + " datagram(s)");
        return;
    }
    log_.warning("lightweight notification to " + where + ": no socket could send: " + std::strerror(errno));
    resolved_at_.reset();
}

const Lightweight::Destination& Lightweight::destination() {
    if (resolved_at_ == engine_.revision()) return destination_;
    resolved_at_ = engine_.revision();
    const ManagementServerSettings ms = settings_();
    std::string host = ms.udp_lightweight_notification_host;
    if (host.empty()) host = connreq::url_host(ms.url);
    std::uint32_t port = ms.udp_lightweight_notification_port;
    if (port == 0 || port > 65535) port = kDefaultPort;
    destination_ = {};
    if (host.empty()) return destination_;
    destination_.where = connreq::host_port(host, static_cast<std::uint16_t>(port));
    destination_.lookup = util::resolve(host, std::to_string(port), AF_UNSPEC, SOCK_DGRAM, AI_NUMERICSERV);
    return destination_;
}

}  // namespace cwmp::agent
