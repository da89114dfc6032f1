#include "echo_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "net.h"
#include "tests.h"

namespace cwmp::diag {
namespace {

std::int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr std::uint64_t kUdpHeader = 8;  // the counters include the UDP header

}  // namespace

void EchoServer::stop() {
    if (thread_.joinable()) {
        thread_.request_stop();
        thread_.join();
    }
}

bool EchoServer::configure(const EchoConfig& config) {
    const bool was_enabled = config_.enable;
    stop();
    config_ = config;
    if (!config.enable) return true;
    if (!was_enabled) {
        received_ = 0, responded_ = 0, bytes_in_ = 0, bytes_out_ = 0, failures_ = 0, first_ = 0, last_ = 0;
    }
    // One dual-stack socket: IPv4 and IPv6 clients alike.
    const int fd = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    util::Fd owned(fd);
    const int off = 0;
    // Dual stack where the kernel allows it; refused, the socket still serves IPv6.
    (void)::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (!config.device.empty() &&
        ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, config.device.c_str(), static_cast<socklen_t>(config.device.size())) != 0)
        return false;
    sockaddr_in6 any{};
    any.sin6_family = AF_INET6;
    any.sin6_port = htons(config.port);
    any.sin6_addr = in6addr_any;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&any), sizeof any) != 0) return false;
    thread_ = std::jthread([this, fd = std::move(owned), config](std::stop_token st) mutable {
        serve(st, fd.get(), config);
    });
    return true;
}

void EchoServer::serve(std::stop_token stop, int fd, EchoConfig config) {
    std::vector<unsigned char> buf(65536);
    while (!stop.stop_requested()) {
        if (net::wait(fd, POLLIN, net::Clock::now() + std::chrono::milliseconds(100), stop) <= 0) continue;
        sockaddr_storage from{};
        socklen_t len = sizeof from;
        const ssize_t n = ::recvfrom(fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) continue;
        const std::int64_t t_in = now_us();
        if (!config.source.empty()) {
            net::Address a;
            a.addr = from;
            std::string src = a.text();
            if (src.starts_with("::ffff:")) src = src.substr(7);  // an IPv4 client on the dual-stack socket
            if (src != config.source) continue;
        }
        ++received_;
        bytes_in_ += static_cast<std::uint64_t>(n) + kUdpHeader;
        std::int64_t expected = 0;
        first_.compare_exchange_strong(expected, t_in);
        last_ = t_in;
        if (config.plus && static_cast<std::size_t>(n) >= kEchoPlusHeader) {
            put32(buf.data() + 4, static_cast<std::uint32_t>(responded_.load() + 1));  // TestRespSN
            put32(buf.data() + 8, static_cast<std::uint32_t>(t_in));                  // TestRespRcvTimeStamp
            put32(buf.data() + 12, static_cast<std::uint32_t>(now_us()));             // TestRespReplyTimeStamp
            put32(buf.data() + 16, static_cast<std::uint32_t>(failures_.load()));      // TestRespReplyFailureCount
        }
        if (::sendto(fd, buf.data(), static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), len) == n) {
            ++responded_;
            bytes_out_ += static_cast<std::uint64_t>(n) + kUdpHeader;
        } else {
            ++failures_;
        }
    }
}

EchoServer::Counters EchoServer::counters() const {
    return {received_.load(), responded_.load(), bytes_in_.load(), bytes_out_.load(), first_.load(), last_.load()};
}

}  // namespace cwmp::diag
