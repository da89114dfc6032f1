// TR-143 / TR-181 IPPing: ICMP (v4 or v6) echo requests to Host, one at a
// time, each waiting up to Timeout ms for its reply.  An unprivileged ICMP
// datagram socket where net.ipv4.ping_group_range allows it, a raw socket
// otherwise (CAP_NET_RAW).
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "net.h"
#include "tests.h"

namespace cwmp::diag {
namespace {

struct IcmpSocket {
    util::Fd fd;
    bool raw = false;
};

IcmpSocket open_icmp(int family) {
    const int proto = family == AF_INET6 ? static_cast<int>(IPPROTO_ICMPV6) : static_cast<int>(IPPROTO_ICMP);
    IcmpSocket s{util::Fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, proto)), false};
    if (!s.fd) s = {util::Fd(::socket(family, SOCK_RAW | SOCK_CLOEXEC, proto)), true};
    return s;
}

std::uint16_t checksum(const unsigned char* p, std::size_t n) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2) sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    if (n % 2) sum += static_cast<std::uint32_t>(p[n - 1] << 8);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

}  // namespace

bool can_ping(int family) { return static_cast<bool>(open_icmp(family).fd); }

Outcome<IPPingResults> run_ipping(const IPPingInputs& in, const std::string& device, std::stop_token stop) {
    const auto to = net::resolve(in.host, in.protocol_version);
    if (!to) return fail(State::kErrorCannotResolveHostName);
    const int family = to->family();
    IcmpSocket s = open_icmp(family);
    if (!s.fd || !net::bind_interface(s.fd.get(), in.interface, device, family)) return fail(State::kErrorInternal);
    net::set_dscp(s.fd.get(), family, in.dscp);
    // Connected: the route (and so the source address, IPAddressUsed) is chosen now.
    if (::connect(s.fd.get(), reinterpret_cast<const sockaddr*>(&to->addr), to->len) != 0)
        return fail(errno == ENETUNREACH || errno == EHOSTUNREACH ? State::kErrorNoRouteToHost : State::kErrorOther);
    const std::string used = net::local_address(s.fd.get());
    const unsigned repetitions = in.number_of_repetitions;
    const auto timeout = std::chrono::milliseconds(in.timeout);
    const std::size_t size = in.data_block_size;
    const bool v6 = family == AF_INET6;
    const std::uint16_t ident = static_cast<std::uint16_t>(::getpid() ^ reinterpret_cast<std::uintptr_t>(&s));

    unsigned failure = 0, unreachable = 0;
    net::RoundTrips rtt;
    std::vector<unsigned char> packet(8 + size), reply(65536);
    for (unsigned seq = 1; seq <= repetitions; ++seq) {
        std::fill(packet.begin(), packet.end(), 0);
        packet[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
        packet[4] = static_cast<unsigned char>(ident >> 8);
        packet[5] = static_cast<unsigned char>(ident);
        packet[6] = static_cast<unsigned char>(seq >> 8);
        packet[7] = static_cast<unsigned char>(seq);
        for (std::size_t i = 8; i < packet.size(); ++i) packet[i] = static_cast<unsigned char>(i);
        if (!v6) {  // ICMPv6's checksum covers a pseudo-header: the kernel computes it
            const std::uint16_t c = checksum(packet.data(), packet.size());
            packet[2] = static_cast<unsigned char>(c >> 8);
            packet[3] = static_cast<unsigned char>(c);
        }
        const auto sent = net::Clock::now();
        if (::send(s.fd.get(), packet.data(), packet.size(), 0) < 0) {
            if (errno == ENETUNREACH || errno == EHOSTUNREACH) ++unreachable;
            ++failure;
            continue;
        }
        bool answered = false;
        while (!answered) {
            const int ready = net::wait(s.fd.get(), POLLIN, sent + timeout, stop);
            if (ready < 0) return fail(State::kErrorOther);  // stopped: the result is dropped anyway
            if (ready == 0) break;
            const ssize_t n = ::recv(s.fd.get(), reply.data(), reply.size(), 0);
            if (n <= 0) continue;
            // A raw IPv4 socket hands the IP header too; ICMPv6 raw sockets do not.
            const std::size_t offset = s.raw && !v6 ? static_cast<std::size_t>(reply[0] & 0x0f) * 4 : 0;
            if (static_cast<std::size_t>(n) < offset + 8) continue;
            const unsigned char* e = reply.data() + offset;
            if (e[0] != (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY)) continue;
            if ((e[6] << 8 | e[7]) != static_cast<int>(seq & 0xffff)) continue;
            // A datagram socket's replies are ours already (the kernel sets the id).
            if (s.raw && (e[4] << 8 | e[5]) != ident) continue;
            rtt.add(sent);
            answered = true;
        }
        if (!answered) ++failure;
    }
    if (unreachable == repetitions && repetitions > 0) return fail(State::kErrorNoRouteToHost);
    IPPingResults out;
    const std::uint64_t average_us = rtt.average_us();
    out.ip_address_used = used;
    out.success_count = rtt.count;
    out.failure_count = failure;
    out.average_response_time = static_cast<std::uint32_t>(average_us / 1000);
    out.minimum_response_time = static_cast<std::uint32_t>(rtt.min_us / 1000);
    out.maximum_response_time = static_cast<std::uint32_t>(rtt.max_us / 1000);
    out.average_response_time_detailed = static_cast<std::uint32_t>(average_us);
    out.minimum_response_time_detailed = static_cast<std::uint32_t>(rtt.min_us);
    out.maximum_response_time_detailed = static_cast<std::uint32_t>(rtt.max_us);
    return out;
}

}  // namespace cwmp::diag
