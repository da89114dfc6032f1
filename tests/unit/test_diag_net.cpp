// The diagnostics' socket helpers (runtime/src/diag/net.h) against the
// kernel: a probe socket with IP_RECVERR / IPV6_RECVERR whose error queue
// holds an ICMP error nobody read.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "net.h"

using namespace cwmp;

namespace {

// A loopback address of `family` whose UDP port nobody listens on (bound,
// then closed), so that a datagram to it provokes an ICMP port unreachable.

diag::net::Address closed_port(int family) {
    diag::net::Address a;
    if (family == AF_INET6) {
        auto* six = reinterpret_cast<sockaddr_in6*>(&a.addr);
        six->sin6_family = AF_INET6;
        six->sin6_addr = in6addr_loopback;
        a.len = sizeof(sockaddr_in6);
    } else {
        auto* four = reinterpret_cast<sockaddr_in*>(&a.addr);
        four->sin_family = AF_INET;
        four->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.len = sizeof(sockaddr_in);
    }
    util::Fd listener(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    REQUIRE(listener);
    REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&a.addr), a.len) == 0);
    socklen_t len = a.len;
    REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&a.addr), &len) == 0);
    return a;  // the listener closes here
}

// A probe socket whose error queue holds the port unreachable of one datagram.
util::Fd probe_with_stale_error(int family, const diag::net::Address& to) {
    util::Fd fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    REQUIRE(fd);
    const int on = 1;
    REQUIRE((family == AF_INET6 ? ::setsockopt(fd.get(), SOL_IPV6, IPV6_RECVERR, &on, sizeof on)
                                : ::setsockopt(fd.get(), SOL_IP, IP_RECVERR, &on, sizeof on)) == 0);
    const char byte = 0;
    REQUIRE(::sendto(fd.get(), &byte, 1, 0, reinterpret_cast<const sockaddr*>(&to.addr), to.len) == 1);
    pollfd p{fd.get(), POLLERR, 0};
    REQUIRE(::poll(&p, 1, 10'000) == 1);  // the ICMP error is queued (loopback: at once)
    return fd;
}

bool error_queue_empty(int fd) {
    char data[64];
    iovec iov{data, sizeof data};
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    return ::recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0 && errno == EAGAIN;
}

}  // namespace

TEST_CASE("a probe is sent past an ICMP error nobody read (a traceroute answer after its Timeout)") {
    for (const int family : {AF_INET, AF_INET6}) {
        CAPTURE(family);
        const auto to = closed_port(family);
        const std::vector<char> payload(38, '\0');
        const auto* dest = reinterpret_cast<const sockaddr*>(&to.addr);
        {  // what the kernel does: a plain sendto fails with the stale error
            const auto fd = probe_with_stale_error(family, to);
            errno = 0;
            CHECK(::sendto(fd.get(), payload.data(), payload.size(), 0, dest, to.len) < 0);
            CHECK(errno == ECONNREFUSED);
        }
        {  // send_probe sends, and leaves the queue empty
            const auto fd = probe_with_stale_error(family, to);
            CHECK(diag::net::send_probe(fd.get(), payload, dest, to.len));
            // The datagram just sent provokes its own error; the stale one is gone.
            pollfd p{fd.get(), POLLERR, 0};
            REQUIRE(::poll(&p, 1, 10'000) == 1);
            char data[64];
            iovec iov{data, sizeof data};
            msghdr m{};
            m.msg_iov = &iov;
            m.msg_iovlen = 1;
            CHECK(::recvmsg(fd.get(), &m, MSG_ERRQUEUE | MSG_DONTWAIT) > 0);
            CHECK(error_queue_empty(fd.get()));
        }
        {  // a send that fails for its own reason still fails, with its errno
            util::Fd fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
            REQUIRE(fd);
            errno = 0;
            CHECK_FALSE(diag::net::send_probe(fd.get(), payload, dest, 1));  // an address too short
            CHECK(errno == EINVAL);
        }
    }
}
