// TR-143 UDPEchoDiagnostics (the client): NumberOfRepetitions datagrams of
// DataBlockSize bytes to Host:Port, one every InterTransmissionTime ms, each
// waiting up to Timeout ms for its echo.  The packets carry TR-143's UDP Echo
// Plus header (A.1.4: TestGenSN, TestRespSN, TestRespRcvTimeStamp,
// TestRespReplyTimeStamp, TestRespReplyFailureCount, 32 bits each, network
// order); a plain echo server answers with the packet as sent, which matches too.
#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "net.h"
#include "tests.h"

namespace cwmp::diag {

std::uint32_t get32(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

void put32(unsigned char* p, std::uint32_t v) {
    p[0] = static_cast<unsigned char>(v >> 24);
    p[1] = static_cast<unsigned char>(v >> 16);
    p[2] = static_cast<unsigned char>(v >> 8);
    p[3] = static_cast<unsigned char>(v);
}

Outcome<UDPEchoResults> run_udpecho(const UDPEchoInputs& in, const std::string& device, std::stop_token stop) {
    auto to = net::resolve(in.host, in.protocol_version);
    if (!to) return fail(State::kErrorCannotResolveHostName);
    to->set_port(static_cast<std::uint16_t>(in.port));
    const int family = to->family();
    util::Fd fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd || !net::bind_interface(fd.get(), in.interface, device, family)) return fail(State::kErrorInternal);
    net::set_dscp(fd.get(), family, in.dscp);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to->addr), to->len) != 0)
        return fail(State::kErrorOther);
    const std::string used = net::local_address(fd.get());
    const unsigned repetitions = in.number_of_repetitions;
    const auto timeout = std::chrono::milliseconds(in.timeout);
    const auto gap = std::chrono::milliseconds(in.inter_transmission_time);
    const bool individual = in.enable_individual_packet_results;
    std::vector<unsigned char> packet(std::max<std::size_t>(in.data_block_size, kEchoPlusHeader));
    std::vector<unsigned char> reply(65536);

    UDPEchoResults out;
    unsigned failure = 0;
    net::RoundTrips rtt;
    auto next_send = net::Clock::now();
    for (unsigned sn = 1; sn <= repetitions; ++sn) {
        if (sn > 1 && net::wait(-1, 0, next_send, stop) < 0) return fail(State::kErrorOther);
        std::fill(packet.begin(), packet.end(), 0);
        put32(packet.data(), sn);
        const auto sent = net::Clock::now();
        const auto sent_wall = std::chrono::system_clock::now();
        next_send = sent + gap;
        bool ok = false;
        std::chrono::system_clock::time_point got_wall{};
        const unsigned char* answer = nullptr;
        if (::send(fd.get(), packet.data(), packet.size(), 0) >= 0) {
            for (;;) {
                const int ready = net::wait(fd.get(), POLLIN, sent + timeout, stop);
                if (ready < 0) return fail(State::kErrorOther);  // stopped: dropped anyway
                if (ready == 0) break;
                const ssize_t n = ::recv(fd.get(), reply.data(), reply.size(), 0);
                if (n < static_cast<ssize_t>(kEchoPlusHeader) || get32(reply.data()) != sn) continue;  // not ours, or late
                got_wall = std::chrono::system_clock::now();
                rtt.add(sent);
                ok = true;
                answer = reply.data();
                break;
            }
        }
        if (!ok) ++failure;
        if (individual && out.packets.size() < kMaxEchoResults) {
            EchoPacket p;
            p.packet_success = ok;
            p.packet_send_time = sent_wall;
            p.packet_receive_time = ok ? got_wall : Time{};  // unknown
            p.test_gen_sn = sn;
            p.test_resp_sn = ok ? get32(answer + 4) : 0;
            p.test_resp_rcv_time_stamp = ok ? get32(answer + 8) : 0;
            p.test_resp_reply_time_stamp = ok ? get32(answer + 12) : 0;
            p.test_resp_reply_failure_count = ok ? get32(answer + 16) : 0;
            out.packets.push_back(p);
        }
    }
    out.ip_address_used = used;
    out.success_count = rtt.count;
    out.failure_count = failure;
    out.average_response_time = static_cast<std::uint32_t>(rtt.average_us());
    out.minimum_response_time = static_cast<std::uint32_t>(rtt.min_us);
    out.maximum_response_time = static_cast<std::uint32_t>(rtt.max_us);
    return out;
}

}  // namespace cwmp::diag
