// The UDP side of reachability (TR-069 Annex G): one UDP socket that
// receives UDP connection requests and sends the STUN Binding Requests that
// keep the NAT binding to it open, so the address the STUN server sees is
// the one the ACS can send connection requests to.  Driven by the
// ManagementServer STUN* parameters (read at every step: the ACS may change
// them at any time); keeps NATDetected and UDPConnectionRequestAddress true.
// Non-blocking and bounded like the HTTP server; the same rate limits.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/connreq/address.h"
#include "cwmp/connreq/udp_request.h"
#include "cwmp/dm/own.h"
#include "cwmp/stun/client.h"
#include "cwmp/util/rate_window.h"

namespace cwmp::dm {
class Engine;
}
namespace cwmp::util {
class Log;
}

namespace cwmp::connreq {

struct UdpOptions {
    std::string address = "::";  // IPv6 and IPv4; 0.0.0.0 where the host has no IPv6
    std::uint16_t port = 7547;   // 0: any free port (tests)
    unsigned max_requests_per_minute = 30;
    unsigned max_failures_per_minute = 120;
    std::string fallback_acs_url;  // the configured ACS until ManagementServer.URL says otherwise
};

class UdpEndpoint {
public:
    using WallClock = std::function<std::int64_t()>;  // Unix seconds
    // Binds; throws std::runtime_error naming the address when it cannot.
    UdpEndpoint(UdpOptions options, dm::Engine& engine, WallClock now, const util::Log& log, std::uint64_t seed);

    std::uint16_t port() const noexcept { return port_; }
    void add_to_poll(std::vector<pollfd>& fds) const;

    // Reads every datagram waiting: STUN answers go to the STUN client, the
    // rest are checked as UDP connection requests.  Returns the number of
    // valid connection requests.
    unsigned serve();
    // STUN timers and the published values (the settings read again when
    // the model changed); returns the milliseconds until it wants to run
    // again.  Cheap when nothing is due: the daemon calls it every round.
    std::int64_t step();

    // Called when NATDetected or UDPConnectionRequestAddress changed (the
    // agent compares notified values at once).
    void on_published(std::function<void()> f) { published_ = std::move(f); }

    const stun::Client& stun() const noexcept { return stun_; }

private:
    stun::Settings read_settings();
    bool resolve_server(const stun::Settings& s);
    void publish();
    void on_request(std::string_view datagram, const std::string& peer);

    UdpOptions options_;
    dm::Engine& engine_;
    WallClock now_;
    const util::Log& log_;
    dm::Own own_{engine_, log_};  // its settings read, its addresses published: failures logged once
    Socket socket_;
    int family_ = AF_INET6;
    std::uint16_t port_ = 0;
    stun::Client stun_;
    sockaddr_storage server_{};  // the STUN server, in the socket's family
    socklen_t server_len_ = 0;
    std::string server_text_;
    std::string local_host_;     // our address towards the ACS or the STUN server
    std::string local_for_;      // ... computed for this URL or server
    UdpVerifier verifier_;
    util::RateWindow accepted_, failures_;  // recent valid requests, and failures
    unsigned valid_ = 0;
    std::string published_address_;
    std::string published_nat_;
    std::optional<std::uint64_t> read_at_;  // the engine's revision the settings were read at
    std::string acs_url_;                   // ManagementServer.URL as read then
    std::function<void()> published_;
};

}  // namespace cwmp::connreq
