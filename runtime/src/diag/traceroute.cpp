// TR-143 / TR-181 TraceRoute with UDP probes, as tracepath does it without
// privileges: a datagram socket with IP_RECVERR / IPV6_RECVERR hands the ICMP
// errors the probes provoke (time exceeded from each router, port
// unreachable from the destination) to the error queue, with the offender's
// address.  Hop by hop, NumberOfTries probes each of Timeout ms, the hop
// limit rising to MaxHopCount.  Host is the hop's numeric address (a
// reverse lookup could stall the test for the resolver's timeouts).
// UDP only: TR-181 Device:2.19's TraceRoute has no input that chooses the
// probes' protocol (no Protocol parameter, unlike ServerSelectionDiagnostics).
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <poll.h>

#include <cstring>
#include <vector>

#include "net.h"
#include "tests.h"

namespace cwmp::diag {
namespace {

constexpr std::uint16_t kBasePort = 33434;  // traceroute's customary first port

struct Answer {
    bool valid = false;
    bool time_exceeded = false;
    bool final = false;        // the destination (port unreachable) or a router giving up
    unsigned code = 0;         // ErrorCode: the ICMP code of an unreachable, 0 otherwise
    std::string from;
};

// One error from the queue, matched to the probe sent to `port`.
Answer read_error(int fd, int family, std::uint16_t port) {
    sockaddr_storage dest{};
    char control[512];
    char data[64];
    iovec iov{data, sizeof data};
    msghdr m{};
    m.msg_name = &dest;
    m.msg_namelen = sizeof dest;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    Answer a;
    if (::recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return a;
    const std::uint16_t dest_port = ntohs(family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&dest)->sin6_port
                                                             : reinterpret_cast<sockaddr_in*>(&dest)->sin_port);
    if (dest_port != port) return a;  // a late answer to an earlier probe
    for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
        const bool v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
        const bool v6 = c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
        if (!v4 && !v6) continue;
        sock_extended_err e{};
        std::memcpy(&e, CMSG_DATA(c), sizeof e);
        net::Address from;
        const auto* off = SO_EE_OFFENDER(reinterpret_cast<sock_extended_err*>(CMSG_DATA(c)));
        std::memcpy(&from.addr, off, v4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
        a.from = off->sa_family == AF_UNSPEC ? "" : from.text();
        if (e.ee_origin == SO_EE_ORIGIN_ICMP) {
            a.valid = true;
            a.time_exceeded = e.ee_type == ICMP_TIME_EXCEEDED;
            a.final = e.ee_type == ICMP_DEST_UNREACH;
            a.code = a.final && e.ee_code != ICMP_PORT_UNREACH ? e.ee_code : 0;
        } else if (e.ee_origin == SO_EE_ORIGIN_ICMP6) {
            a.valid = true;
            a.time_exceeded = e.ee_type == ICMP6_TIME_EXCEEDED;
            a.final = e.ee_type == ICMP6_DST_UNREACH;
            a.code = a.final && e.ee_code != ICMP6_DST_UNREACH_NOPORT ? e.ee_code : 0;
        }
    }
    return a;
}

}  // namespace

Outcome<TraceRouteResults> run_traceroute(const TraceRouteInputs& in, const std::string& device,
                                          std::stop_token stop) {
    auto to = net::resolve(in.host, in.protocol_version);
    if (!to) return fail(State::kErrorCannotResolveHostName);
    const int family = to->family();
    util::Fd fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd || !net::bind_interface(fd.get(), in.interface, device, family)) return fail(State::kErrorInternal);
    net::set_dscp(fd.get(), family, in.dscp);
    const int on = 1;
    if (family == AF_INET6 ? ::setsockopt(fd.get(), SOL_IPV6, IPV6_RECVERR, &on, sizeof on)
                           : ::setsockopt(fd.get(), SOL_IP, IP_RECVERR, &on, sizeof on))
        return fail(State::kErrorInternal);
    const unsigned tries = std::max(1u, in.number_of_tries);
    const auto timeout = std::chrono::milliseconds(in.timeout);
    const unsigned max_hops = std::max(1u, in.max_hop_count);
    const std::vector<char> payload(in.data_block_size, '\0');

    TraceRouteResults out;
    std::string used;
    std::uint16_t port = kBasePort;
    bool reached = false;
    std::uint64_t last_rtt_ms = 0;
    for (unsigned ttl = 1; ttl <= max_hops && !reached; ++ttl) {
        const int hop_limit = static_cast<int>(ttl);
        if (family == AF_INET6 ? ::setsockopt(fd.get(), SOL_IPV6, IPV6_UNICAST_HOPS, &hop_limit, sizeof hop_limit)
                               : ::setsockopt(fd.get(), SOL_IP, IP_TTL, &hop_limit, sizeof hop_limit))
            return fail(State::kErrorInternal);
        RouteHop hop;
        for (unsigned t = 0; t < tries; ++t) {
            ++port;
            to->set_port(port);
            const auto sent = net::Clock::now();
            if (!net::send_probe(fd.get(), payload, reinterpret_cast<const sockaddr*>(&to->addr), to->len)) {
                if (errno == ENETUNREACH || errno == EHOSTUNREACH) return fail(State::kErrorNoRouteToHost);
                continue;
            }
            if (used.empty()) used = net::local_address(fd.get());
            for (;;) {
                const int ready = net::wait(fd.get(), POLLERR, sent + timeout, stop);
                if (ready < 0) return fail(State::kErrorOther);  // stopped: dropped anyway
                if (ready == 0) break;
                const Answer a = read_error(fd.get(), family, port);
                if (!a.valid) continue;
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(net::Clock::now() - sent).count();
                if (hop.host.empty()) hop.host = a.from;
                hop.rt_times.push_back(static_cast<std::uint32_t>(ms));
                if (a.final) {
                    reached = true;
                    hop.error_code = a.code;
                    last_rtt_ms = static_cast<std::uint64_t>(ms);
                }
                break;
            }
        }
        hop.host_address = hop.host;
        out.route_hops.push_back(std::move(hop));
    }
    out.ip_address_used = used;
    out.response_time = reached ? static_cast<std::uint32_t>(last_rtt_ms) : 0;
    if (!reached) return {std::move(out), State::kErrorMaxHopCountExceeded};
    return out;
}

}  // namespace cwmp::diag
