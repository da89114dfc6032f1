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

Output run_udpecho(const Params& params, std::stop_token stop) {
    auto to = net::resolve(param(params, "Host"), param(params, "ProtocolVersion", "Any"));
    if (!to) return Output::error("Error_CannotResolveHostName");
    to->set_port(static_cast<std::uint16_t>(uint_param(params, "Port", 0)));
    const int family = to->family();
    util::Fd fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd || !net::bind_interface(fd.get(), params, family)) return Output::error("Error_Internal");
    net::set_dscp(fd.get(), family, uint_param(params, "DSCP", 0));
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to->addr), to->len) != 0)
        return Output::error("Error_Other");
    const std::string used = net::local_address(fd.get());
    const unsigned repetitions = uint_param(params, "NumberOfRepetitions", 1);
    const auto timeout = std::chrono::milliseconds(uint_param(params, "Timeout", 5000));
    const auto gap = std::chrono::milliseconds(uint_param(params, "InterTransmissionTime", 1000));
    const bool individual = bool_param(params, "EnableIndividualPacketResults", false);
    std::vector<unsigned char> packet(std::max<std::size_t>(uint_param(params, "DataBlockSize", 24), kEchoPlusHeader));
    std::vector<unsigned char> reply(65536);

    Output out;
    unsigned failure = 0, rows = 0;
    net::RoundTrips rtt;
    auto next_send = net::Clock::now();
    for (unsigned sn = 1; sn <= repetitions; ++sn) {
        if (sn > 1 && net::wait(-1, 0, next_send, stop) < 0) return Output::error("Error_Other");
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
                if (ready < 0) return Output::error("Error_Other");  // stopped: dropped anyway
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
        if (individual && rows < kMaxEchoResults) {
            const std::string row = "IndividualPacketResult." + std::to_string(++rows) + ".";
            out.set(row + "PacketSuccess", ok ? "true" : "false");
            out.set(row + "PacketSendTime", net::datetime(sent_wall));
            out.set(row + "PacketReceiveTime", ok ? net::datetime(got_wall) : "0001-01-01T00:00:00Z");
            out.set(row + "TestGenSN", std::to_string(sn));
            out.set(row + "TestRespSN", std::to_string(ok ? get32(answer + 4) : 0));
            out.set(row + "TestRespRcvTimeStamp", std::to_string(ok ? get32(answer + 8) : 0));
            out.set(row + "TestRespReplyTimeStamp", std::to_string(ok ? get32(answer + 12) : 0));
            out.set(row + "TestRespReplyFailureCount", std::to_string(ok ? get32(answer + 16) : 0));
        }
    }
    out.tables.emplace_back("IndividualPacketResult.", rows);
    out.set("IPAddressUsed", used);
    out.set("SuccessCount", std::to_string(rtt.count));
    out.set("FailureCount", std::to_string(failure));
    out.set("AverageResponseTime", std::to_string(rtt.average_us()));
    out.set("MinimumResponseTime", std::to_string(rtt.min_us));
    out.set("MaximumResponseTime", std::to_string(rtt.max_us));
    return out;
}

}  // namespace cwmp::diag
