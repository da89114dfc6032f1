// A slow HTTP server for the transfer tests: a thread of the test on
// 127.0.0.1 that answers each GET with its body in slow pieces.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace test {

using namespace std::chrono_literals;

// Serves `clients` GETs, each with `body` in `pieces` writes `gap` apart;
// after `stall_after` bytes (if not npos) it sends nothing more until stopped.
class SlowServer {
public:
    SlowServer(std::string body, int clients, int pieces, std::chrono::milliseconds gap,
               std::size_t stall_after = std::string::npos)
        : body_(std::move(body)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(listener_ >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(listener_, 8) == 0);
        socklen_t len = sizeof a;
        REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len) == 0);
        port_ = ntohs(a.sin_port);
        for (int i = 0; i < clients; ++i)
            threads_.emplace_back([this, pieces, gap, stall_after] { serve_one(pieces, gap, stall_after); });
    }
    ~SlowServer() {
        stop_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        for (std::thread& t : threads_) t.join();
        ::close(listener_);
    }
    SlowServer(const SlowServer&) = delete;
    SlowServer& operator=(const SlowServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/file"; }
    int max_active() const { return max_active_; }
    int served() const { return served_; }
    // Sends the rest of every body at once from now on.
    void hurry() { gap_ms_ = 0; }

private:
    void serve_one(int pieces, std::chrono::milliseconds gap, std::size_t stall_after) {
        const int c = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) return;
        ++served_;
        const int now = ++active_;
        for (int seen = max_active_; now > seen && !max_active_.compare_exchange_weak(seen, now);) {
        }
        char buf[4096];
        std::string request;
        while (request.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0) break;
            request.append(buf, static_cast<std::size_t>(n));
        }
        const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) + "\r\n\r\n";
        ::send(c, head.data(), head.size(), MSG_NOSIGNAL);
        const std::size_t piece = (body_.size() + pieces - 1) / pieces;
        for (std::size_t at = 0; at < body_.size() && !stop_; at += piece) {
            if (at >= stall_after) {
                while (!stop_) std::this_thread::sleep_for(10ms);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms_ == 0 ? 0 : gap.count()));
            const std::size_t n = std::min(piece, body_.size() - at);
            if (::send(c, body_.data() + at, n, MSG_NOSIGNAL) < 0) break;
        }
        --active_;
        ::close(c);
    }

    std::string body_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> active_{0};
    std::atomic<int> max_active_{0};
    std::atomic<int> served_{0};
    std::atomic<int> gap_ms_{1};
    std::vector<std::thread> threads_;
};

}  // namespace test
