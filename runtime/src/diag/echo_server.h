// TR-181 UDPEchoConfig: the CPE's UDP echo server (TR-143 A.1, with the UDP
// Echo Plus fields when EchoPlusEnabled), on a thread of its own so that it
// answers during sessions too; its counters are atomics the agent thread
// copies into the model (publish) before each session.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace cwmp::diag {

struct EchoConfig {
    bool enable = false;
    std::string device;   // the Interface's device ("" any)
    std::string source;   // SourceIPAddress ("" any)
    std::uint16_t port = 0;
    bool plus = false;
    bool operator==(const EchoConfig&) const = default;
};

class EchoServer {
public:
    struct Counters {
        std::uint64_t packets_received = 0, packets_responded = 0, bytes_received = 0, bytes_responded = 0;
        std::int64_t first_us = 0, last_us = 0;  // Unix µs, 0 none yet
    };
    EchoServer() = default;
    ~EchoServer() { stop(); }
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;

    // A new configuration: the server restarts; enabled from disabled, the counters start over.
    // False (and the server stopped) when the port cannot be bound.
    bool configure(const EchoConfig& config);
    Counters counters() const;
    bool running() const noexcept { return thread_.joinable(); }

private:
    void stop();
    void serve(std::stop_token stop, int fd, EchoConfig config);

    EchoConfig config_;
    std::atomic<std::uint64_t> received_{0}, responded_{0}, bytes_in_{0}, bytes_out_{0}, failures_{0};
    std::atomic<std::int64_t> first_{0}, last_{0};
    std::jthread thread_;
};

}  // namespace cwmp::diag
