// The tests behind each diagnostic (one file each), run on a worker thread.
#pragma once

#include "cwmp/diag/diagnostic.h"

namespace cwmp::diag {

Output run_ipping(const Params& params, std::stop_token stop);      // ipping.cpp
Output run_traceroute(const Params& params, std::stop_token stop);  // traceroute.cpp

// Whether this process may send ICMP echoes of `family` (an unprivileged
// datagram socket or a raw one): what IPv4PingSupported / IPv6PingSupported say.
bool can_ping(int family);

}  // namespace cwmp::diag
