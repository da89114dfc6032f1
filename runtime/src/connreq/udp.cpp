#include "cwmp/connreq/udp.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/value.h"
#include "cwmp/util/log.h"
#include "cwmp/util/resolve.h"
#include "cwmp/util/survive.h"

namespace cwmp::connreq {
namespace {

// The ManagementServer paths of the engine's profile.
const dm::ModelPaths::ManagementServer& ms_of(const dm::Engine& e) { return e.schema().paths.management_server; }

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// `a` as an address of `family` (IPv4 becomes IPv4-mapped for an IPv6 socket).
bool in_family(const sockaddr* a, socklen_t len, int family, sockaddr_storage& out, socklen_t& out_len) {
    out = {};
    if (a->sa_family == family) {
        std::memcpy(&out, a, len);
        out_len = len;
        return true;
    }
    if (family == AF_INET6 && a->sa_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(a);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = v4->sin_port;
        v6->sin6_addr.s6_addr[10] = v6->sin6_addr.s6_addr[11] = 0xff;
        std::memcpy(&v6->sin6_addr.s6_addr[12], &v4->sin_addr, 4);
        out_len = sizeof *v6;
        return true;
    }
    return false;
}

// Our source address towards `to` (a UDP connect sends nothing).
std::string local_towards(const sockaddr_storage& to, socklen_t len) {
    Socket s(::socket(to.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_storage local{};
    socklen_t l = sizeof local;
    if (s.get() < 0 || ::connect(s.get(), reinterpret_cast<const sockaddr*>(&to), len) != 0 ||
        ::getsockname(s.get(), reinterpret_cast<sockaddr*>(&local), &l) != 0)
        return "";
    return address_text(local);
}

}  // namespace

UdpEndpoint::UdpEndpoint(UdpOptions options, dm::Engine& engine, WallClock now, const util::Log& log,
                         std::uint64_t seed)
    : options_(std::move(options)), engine_(engine), now_(std::move(now)), log_(log), stun_(seed) {
    try {
        try {
            socket_ = listen_on(options_.address, options_.port, SOCK_DGRAM, port_);
        } catch (const std::runtime_error&) {
            if (options_.address != "::") throw;
            socket_ = listen_on("0.0.0.0", options_.port, SOCK_DGRAM, port_);
        }
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("UDP connection requests: ") + e.what());
    }
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    ::getsockname(socket_.get(), reinterpret_cast<sockaddr*>(&ss), &len);
    family_ = ss.ss_family;
}

void UdpEndpoint::add_to_poll(std::vector<pollfd>& fds) const { fds.push_back({socket_.get(), POLLIN, 0}); }

stun::Settings UdpEndpoint::read_settings() {
    const dm::ModelPaths::ManagementServer& m = ms_of(engine_);
    auto text = [&](std::string_view name) { return own_.text(name); };
    stun::Settings s;
    bool on = false;
    s.enable = dm::parse(text(m.stun_enable), on) == Fault::None && on;
    s.server = text(m.stun_server_address);
    std::uint32_t port = 3478, min_s = 0;
    std::int32_t max_s = -1;
    if (dm::parse(text(m.stun_server_port), port) != Fault::None || port == 0 || port > 65535) port = 3478;
    s.port = static_cast<std::uint16_t>(port);
    s.username = text(m.stun_username);
    s.password = text(m.stun_password);
    if (dm::parse(text(m.stun_minimum_keep_alive_period), min_s) != Fault::None) min_s = 0;  // unset: none
    if (dm::parse(text(m.stun_maximum_keep_alive_period), max_s) != Fault::None) max_s = -1;
    s.period_ms = stun::keepalive_ms(min_s, max_s);
    // An empty server address means the ACS's host (TR-181 STUNServerAddress).
    if (s.server.empty() && s.enable) {
        s.server = url_host(acs_url_.empty() ? options_.fallback_acs_url : acs_url_);
    }
    return s;
}

// The server's address in the socket's family; a name is resolved here, once
// per settings change (a blocking lookup: IP literals are the usual case).
bool UdpEndpoint::resolve_server(const stun::Settings& s) {
    server_len_ = 0;
    const util::Lookup found = util::resolve(s.server, std::to_string(s.port),
                                             family_ == AF_INET6 ? AF_UNSPEC : AF_INET, SOCK_DGRAM);
    if (found.addresses.empty()) {
        log_.warning("STUN: cannot resolve the server " + s.server + ": " + found.error);
        return false;
    }
    for (const util::SocketAddress& a : found.addresses)
        if (server_len_ == 0 && !in_family(a.get(), a.len, family_, server_, server_len_)) server_len_ = 0;
    server_text_ = host_port(s.server, s.port);
    return server_len_ != 0;
}

void UdpEndpoint::publish() {
    const stun::Settings& s = stun_.settings();
    std::string address;
    std::string nat = "false";
    if (s.enable && stun_.mapping()) {
        address = host_port(stun_.mapping()->host, stun_.mapping()->port);
        if (local_for_ != server_text_) {
            local_host_ = server_len_ != 0 ? local_towards(server_, server_len_) : "";
            local_for_ = server_text_;
        }
        if (stun_.mapping()->host != local_host_ || stun_.mapping()->port != port_) nat = "true";
    } else {
        // Without STUN (or before it answered): where we listen, as the ACS sees us.
        const std::string& url = acs_url_.empty() ? options_.fallback_acs_url : acs_url_;
        if (local_for_ != url) {
            local_host_ = local_address_towards(url);
            local_for_ = url;
        }
        address = host_port(local_host_.empty() ? "127.0.0.1" : local_host_, port_);
    }
    if (address == published_address_ && nat == published_nat_) return;
    // A value the model refuses is logged once; the next change tries again.
    if (address != published_address_) own_.set(ms_of(engine_).udp_connection_request_address, address);
    if (nat != published_nat_) own_.set(ms_of(engine_).nat_detected, nat);
    if (!published_address_.empty()) log_.info("UDPConnectionRequestAddress " + address + ", NATDetected " + nat);
    published_address_ = address;
    published_nat_ = nat;
    if (published_) published_();
}

std::int64_t UdpEndpoint::step() {
    const std::int64_t now = steady_ms();
    // The settings live in the model: read again only when it changed.
    if (read_at_ != engine_.revision()) {
        read_at_ = engine_.revision();
        own_.read(ms_of(engine_).url, acs_url_);
        const stun::Settings fresh = read_settings();
        if (!(fresh == stun_.settings())) {
            stun_.configure(fresh, now);
            if (fresh.enable && resolve_server(fresh))
                log_.info("STUN: Binding Requests to " + server_text_ + " every " +
                          std::to_string(fresh.period_ms / 1000) + " s from UDP port " + std::to_string(port_));
            if (!fresh.enable) server_len_ = 0;
        }
    }
    const stun::Settings& s = stun_.settings();
    std::int64_t due = INT64_MAX;
    if (s.enable && server_len_ != 0) {
        due = stun_.step(now, [&](std::string_view d) {
            if (::sendto(socket_.get(), d.data(), d.size(), MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&server_),
                         server_len_) < 0)
                log_.debug("STUN: send to " + server_text_ + ": " + std::strerror(errno));
        });
    }
    publish();
    return due == INT64_MAX ? INT64_MAX : std::max<std::int64_t>(due - now, 0);
}

void UdpEndpoint::on_request(std::string_view datagram, const std::string& peer) {
    const std::int64_t now = now_();
    if (failures_.full(options_.max_failures_per_minute, now)) return;  // a flood costs a comparison
    const std::optional<UdpRequest> r = parse_udp_request(datagram);
    if (!r) {
        failures_.add(now);
        log_.warning("UDP connection request from " + peer + ": not a valid request; ignored");
        return;
    }
    std::string user, password;
    own_.read(ms_of(engine_).connection_request_username, user);  // unreadable: empty, so no request passes
    own_.read(ms_of(engine_).connection_request_password, password);
    const UdpVerifier::Verdict v = verifier_.check(*r, user, password, now);
    if (v == UdpVerifier::Verdict::Replayed) {
        log_.debug("UDP connection request from " + peer + ": id " + r->id + " already seen");
        return;  // the ACS's own retransmission: not a failure
    }
    if (v != UdpVerifier::Verdict::Valid) {
        failures_.add(now);
        log_.warning("UDP connection request from " + peer + " ignored: " + to_string(v));
        return;
    }
    if (accepted_.full(options_.max_requests_per_minute, now)) {
        log_.warning("UDP connection request from " + peer + " ignored: rate limit");
        return;
    }
    accepted_.add(now);
    ++valid_;
    log_.info("UDP connection request from " + peer + " (id " + r->id + ")");
}

unsigned UdpEndpoint::serve() {
    valid_ = 0;
    char buf[stun::kMaxMessage + 1];
    for (int n = 0; n < 256; ++n) {  // bounded: the rest waits for the next turn of the loop
        sockaddr_storage from{};
        socklen_t len = sizeof from;
        const ssize_t got = ::recvfrom(socket_.get(), buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC,
                                       reinterpret_cast<sockaddr*>(&from), &len);
        if (got < 0) break;
        if (static_cast<std::size_t>(got) > stun::kMaxMessage) continue;  // truncated: nobody's message of ours
        const std::string_view d(buf, static_cast<std::size_t>(got));
        const std::string peer = address_text(from);
        util::survive(log_, "UDP datagram from " + peer, [&] {
            if (stun::looks_like_stun(d)) {
                const bool from_server = server_len_ != 0 && address_text(server_) == peer &&
                                         address_port(server_) == address_port(from);
                if (from_server && stun_.on_datagram(d, steady_ms())) publish();
            } else {
                on_request(d, peer);
            }
        });
    }
    return valid_;
}

}  // namespace cwmp::connreq
