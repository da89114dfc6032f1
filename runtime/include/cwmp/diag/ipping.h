// TR-143 IP ping (Device.IP.Diagnostics.IPPing): ICMP echo requests to a
// host, answered by counts and response times.  Uses an unprivileged ICMP
// datagram socket where the system allows one, else a raw socket.
#pragma once

#include <cstdint>
#include <string>

namespace cwmp::diag {

struct PingRequest {
    std::string host;
    unsigned repetitions = 1;
    unsigned timeout_ms = 1000;  // per echo
    unsigned size = 56;          // data bytes of each echo
    unsigned dscp = 0;
};

struct PingResult {
    // TR-181 DiagnosticsState: "Complete", "Error_CannotResolveHostName",
    // "Error_Internal", "Error_Other".
    std::string state;
    std::string address_used;
    unsigned success = 0;
    unsigned failure = 0;
    std::uint64_t min_us = 0, max_us = 0, average_us = 0;
};

PingResult ping(const PingRequest& request);

}  // namespace cwmp::diag
