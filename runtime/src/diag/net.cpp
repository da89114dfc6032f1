#include "net.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "cwmp/util/resolve.h"

namespace cwmp::diag::net {

std::string Address::text() const {
    char buf[INET6_ADDRSTRLEN] = "";
    if (family() == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr, buf, sizeof buf);
    else if (family() == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr, buf, sizeof buf);
    return buf;
}

void Address::set_port(std::uint16_t port) {
    if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(port);
    if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(port);
}

std::optional<Address> resolve(const std::string& host, const std::string& version) {
    const int family = version == "IPv4" ? AF_INET : version == "IPv6" ? AF_INET6 : AF_UNSPEC;
    const util::Lookup found = util::resolve(host, "", family, SOCK_DGRAM);
    if (found.addresses.empty()) return std::nullopt;
    Address a;
    a.addr = found.addresses.front().storage;
    a.len = found.addresses.front().len;
    return a;
}

bool bind_interface(int fd, const std::string& interface, const std::string& device, int family) {
    if (interface.empty()) return true;
    if (device.empty()) return false;
    if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device.c_str(), static_cast<socklen_t>(device.size())) == 0)
        return true;
    // Without CAP_NET_RAW: the device's own address as the source.
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return false;
    bool bound = false;
    for (ifaddrs* i = list; i != nullptr && !bound; i = i->ifa_next) {
        if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != family || device != i->ifa_name) continue;
        sockaddr_storage local{};
        const socklen_t len = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        std::memcpy(&local, i->ifa_addr, len);
        bound = ::bind(fd, reinterpret_cast<sockaddr*>(&local), len) == 0;
    }
    ::freeifaddrs(list);
    return bound;
}

std::string local_address(int fd) {
    Address a;
    a.len = sizeof a.addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a.addr), &a.len) != 0) return {};
    return a.text();
}

// A marking the network may honour: a socket that refuses it still runs the test.
void set_dscp(int fd, int family, unsigned dscp) {
    const int tos = static_cast<int>((dscp & 0x3f) << 2);
    if (family == AF_INET6)
        (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos);
    else
        (void)::setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
}

namespace {

// Drops what the error queue holds; whether it held anything.  Reading the
// last entry also clears the socket's pending error.
bool drop_queued_errors(int fd) {
    bool dropped = false;
    for (;;) {
        char data[64];
        char control[512];
        iovec iov{data, sizeof data};
        msghdr m{};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = control;
        m.msg_controllen = sizeof control;
        if (::recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return dropped;
        dropped = true;
    }
}

}  // namespace

bool send_probe(int fd, std::span<const char> payload, const sockaddr* to, socklen_t len) {
    for (int attempt = 0;; ++attempt) {
        if (::sendto(fd, payload.data(), payload.size(), 0, to, len) >= 0) return true;
        const int err = errno;
        const bool stale = attempt == 0 && drop_queued_errors(fd);
        errno = err;
        if (!stale) return false;
    }
}

int wait(int fd, short events, Clock::time_point deadline, const std::stop_token& stop) {
    for (;;) {
        if (stop.stop_requested()) return -1;
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return 0;
        pollfd p{fd, events, 0};
        const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 100)));
        if (n > 0) return p.revents;
    }
}

std::string datetime(std::chrono::system_clock::time_point t) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
    const std::time_t s = static_cast<std::time_t>(us / 1000000);
    std::tm tm{};
    ::gmtime_r(&s, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<unsigned>(us % 1000000));
    return buf;
}

std::string now_datetime() { return datetime(std::chrono::system_clock::now()); }

}  // namespace cwmp::diag::net
