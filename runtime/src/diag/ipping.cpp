#include "cwmp/diag/ipping.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

namespace cwmp::diag {
namespace {

class Socket {
public:
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::uint16_t checksum(const unsigned char* p, std::size_t n) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2) sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    if (n % 2) sum += static_cast<std::uint32_t>(p[n - 1] << 8);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

}  // namespace

PingResult ping(const PingRequest& req) {
    PingResult r;
    addrinfo hints{};
    hints.ai_family = AF_INET;
    addrinfo* found = nullptr;
    if (req.host.empty() || ::getaddrinfo(req.host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
        r.state = "Error_CannotResolveHostName";
        return r;
    }
    sockaddr_in to{};
    std::memcpy(&to, found->ai_addr, sizeof to);
    ::freeaddrinfo(found);
    char text[INET_ADDRSTRLEN];
    r.address_used = ::inet_ntop(AF_INET, &to.sin_addr, text, sizeof text) ? text : "";

    bool raw = false;
    int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd < 0) {
        fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
        raw = true;
    }
    Socket s(fd);
    if (s.get() < 0) {
        r.state = "Error_Internal";
        return r;
    }
    const int tos = static_cast<int>(req.dscp << 2);
    ::setsockopt(s.get(), IPPROTO_IP, IP_TOS, &tos, sizeof tos);
    const std::uint16_t ident = static_cast<std::uint16_t>(::getpid());
    std::uint64_t total_us = 0;
    for (unsigned seq = 1; seq <= req.repetitions; ++seq) {
        std::vector<unsigned char> packet(sizeof(icmphdr) + req.size, 0);
        auto* h = reinterpret_cast<icmphdr*>(packet.data());
        h->type = ICMP_ECHO;
        h->un.echo.id = htons(ident);
        h->un.echo.sequence = htons(static_cast<std::uint16_t>(seq));
        for (std::size_t i = sizeof(icmphdr); i < packet.size(); ++i) packet[i] = static_cast<unsigned char>(i);
        h->checksum = htons(checksum(packet.data(), packet.size()));
        const auto sent = std::chrono::steady_clock::now();
        if (::sendto(s.get(), packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
            ++r.failure;
            continue;
        }
        bool answered = false;
        for (;;) {
            const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - sent).count();
            if (waited >= req.timeout_ms) break;
            pollfd p{s.get(), POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(req.timeout_ms - waited)) <= 0) break;
            unsigned char reply[65536];
            const ssize_t n = ::recv(s.get(), reply, sizeof reply, 0);
            if (n <= 0) continue;
            std::size_t offset = 0;
            if (raw) offset = static_cast<std::size_t>(reply[0] & 0x0f) * 4;  // past the IP header
            if (static_cast<std::size_t>(n) < offset + sizeof(icmphdr)) continue;
            const auto* e = reinterpret_cast<const icmphdr*>(reply + offset);
            // A datagram socket's replies are ours already (the kernel sets the id).
            if (e->type != ICMP_ECHOREPLY || ntohs(e->un.echo.sequence) != seq) continue;
            if (raw && ntohs(e->un.echo.id) != ident) continue;
            const auto us = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - sent).count());
            r.min_us = r.success == 0 ? us : std::min(r.min_us, us);
            r.max_us = std::max(r.max_us, us);
            total_us += us;
            ++r.success;
            answered = true;
            break;
        }
        if (!answered) ++r.failure;
    }
    r.average_us = r.success ? total_us / r.success : 0;
    r.state = "Complete";
    return r;
}

}  // namespace cwmp::diag
