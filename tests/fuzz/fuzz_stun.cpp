// The STUN answers a NAT'd CPE reads from the network (cwmp/stun/message.h)
// and the STUN client fed with them, and the UDP connection request parser
// and verifier (cwmp/connreq/udp_request.h).  Invariants: no exception, no
// read outside the input, a parsed success always has an address, and no
// UDP connection request passes without the password.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/connreq/udp_request.h"
#include "cwmp/stun/client.h"
#include "cwmp/stun/message.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (const auto r = cwmp::stun::parse_binding_response(bytes, "pw"))
        fuzz::check(!r->success || r->mapped.has_value(), "a success without an address", bytes);
    // The client with a request in flight whose transaction id is the input's.
    cwmp::stun::Client c(1);
    c.configure({.enable = true, .server = "192.0.2.1", .port = 3478, .username = "u", .password = "pw",
                 .period_ms = 1000},
                0);
    std::string sent;
    c.step(0, [&](std::string_view d) { sent = d; });
    if (bytes.size() >= 20) {
        std::string answer(bytes);
        answer.replace(8, 12, sent.substr(8, 12));
        (void)c.on_datagram(answer, 1);
        c.step(2, [](std::string_view) {});
    }
    if (const auto u = cwmp::connreq::parse_udp_request(bytes)) {
        fuzz::check(!u->id.empty() && !u->sig.empty(), "a request without id or sig", bytes);
        cwmp::connreq::UdpVerifier v;
        const auto verdict = v.check(*u, u->un, "the-password", u->timestamp);
        fuzz::check(verdict != cwmp::connreq::UdpVerifier::Verdict::Valid, "a forged UDP request was accepted",
                    bytes);
    }
    return 0;
}
