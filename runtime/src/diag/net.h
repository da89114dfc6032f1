// What the diagnostics' tests share: name resolution by ProtocolVersion,
// binding to the Interface's device, DSCP, waiting in slices that notice a
// stop, sending a probe past a stale ICMP error, and TR-069 dateTimes.  Their
// sockets are util::Fd.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <span>
#include <string>

#include "cwmp/diag/diagnostic.h"
#include "cwmp/util/fd.h"

namespace cwmp::diag::net {

struct Address {
    sockaddr_storage addr{};
    socklen_t len = 0;
    int family() const noexcept { return addr.ss_family; }
    std::string text() const;  // numeric, without the port
    void set_port(std::uint16_t port);
};

// `host` by the object's ProtocolVersion ("Any", "IPv4", "IPv6"; empty is
// Any); nullopt when it does not resolve.
std::optional<Address> resolve(const std::string& host, const std::string& version);

// The socket leaves by the Interface's device (`interface` the input, `device`
// its name; none set: the routing table decides).  False when it cannot.
bool bind_interface(int fd, const std::string& interface, const std::string& device, int family);

// The local address a socket was bound or connected with (IPAddressUsed).
std::string local_address(int fd);

// DSCP (the upper six bits of the TOS / traffic class).
void set_dscp(int fd, int family, unsigned dscp);

using Clock = std::chrono::steady_clock;

// The answered probes of a test (IPPing, UDP echo): their count and round
// trips in microseconds, as TR-143's Minimum/Maximum/Average results want.
struct RoundTrips {
    unsigned count = 0;
    std::uint64_t min_us = 0, max_us = 0, total_us = 0;
    // One answer to the probe sent at `sent`, arriving now.
    void add(Clock::time_point sent) {
        const auto us = static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count());
        min_us = count == 0 ? us : std::min(min_us, us);
        max_us = std::max(max_us, us);
        total_us += us;
        ++count;
    }
    std::uint64_t average_us() const { return count ? total_us / count : 0; }
};
// Waits for `events` on `fd` until `deadline`, in slices of at most 100 ms so
// that a stop is noticed: the revents, 0 at the deadline, -1 when stopped.
int wait(int fd, short events, Clock::time_point deadline, const std::stop_token& stop);

// sendto on a datagram socket with IP_RECVERR / IPV6_RECVERR, once more
// after a stale error: an ICMP error that came after its probe's Timeout is
// still queued, and the pending error it set makes the next sendto fail with
// it (EHOSTUNREACH for a time exceeded, ECONNREFUSED for a port unreachable)
// instead of sending.  The queue is emptied then, which also clears the
// pending error (tracepath does the same).  False with the send's own errno.
bool send_probe(int fd, std::span<const char> payload, const sockaddr* to, socklen_t len);

// Now as a TR-069 dateTime with microseconds (UTC).
std::string now_datetime();
std::string datetime(std::chrono::system_clock::time_point t);

}  // namespace cwmp::diag::net
