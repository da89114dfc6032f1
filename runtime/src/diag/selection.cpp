// TR-143 / TR-181 ServerSelectionDiagnostics: each host of HostList tested
// as IPPing (Protocol ICMP) or UDPEchoDiagnostics (Protocol "UDP Echo") would,
// NumberOfRepetitions times; the fastest on average wins.  The model has no
// port for UDP Echo: an entry may say "host:port" ("[v6]:port"), else 7 (RFC 862).
#include <algorithm>
#include <charconv>

#include "tests.h"

namespace cwmp::diag {

Output run_server_selection(const Params& params, std::stop_token stop) {
    const bool udp = param(params, "Protocol", "ICMP") == "UDP Echo";
    std::vector<std::string> hosts;
    const std::string list = param(params, "HostList");
    for (std::size_t at = 0; at <= list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        std::string_view h(list.data() + at, comma - at);
        while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
        while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
        if (!h.empty()) hosts.emplace_back(h);
        at = comma + 1;
    }
    std::string best, used;
    std::uint64_t best_avg = UINT64_MAX, best_min = 0, best_max = 0;
    bool resolved_any = false;
    for (const std::string& entry : hosts) {
        Params p = params;
        // UDP Echo: the echo port (RFC 862's 7) unless the entry says "host:port" or "[v6]:port".
        std::string h = entry;
        std::string port = "7";
        if (udp) {
            const std::size_t colon = entry.rfind(':');
            const bool bracketed = entry.starts_with('[') && colon != std::string::npos && colon > 0 &&
                                   entry[colon - 1] == ']';
            if (colon != std::string::npos && (bracketed || entry.find(':') == colon)) {
                port = entry.substr(colon + 1);
                h = bracketed ? entry.substr(1, colon - 2) : entry.substr(0, colon);
            }
        }
        p["Host"] = h;
        p["Port"] = port;
        p["InterTransmissionTime"].assign(1, '0');  // back to back (no gap between echoes)
        const Output r = udp ? run_udpecho(p, stop) : run_ipping(p, stop);
        if (stop.stop_requested()) return Output::error("Error_Other");
        if (r.state != "Error_CannotResolveHostName") resolved_any = true;
        if (r.state != "Complete") continue;
        auto get = [&](std::string_view name) -> std::uint64_t {
            for (const auto& [k, v] : r.values)
                if (k == name) {
                    std::uint64_t n = 0;
                    std::from_chars(v.data(), v.data() + v.size(), n);
                    return n;
                }
            return 0;
        };
        if (get("SuccessCount") == 0) continue;
        // Both in µs: UDPEcho's plain names, IPPing's Detailed ones.
        const std::uint64_t avg = get(udp ? "AverageResponseTime" : "AverageResponseTimeDetailed");
        if (avg < best_avg) {
            best = entry, best_avg = avg;
            best_min = get(udp ? "MinimumResponseTime" : "MinimumResponseTimeDetailed");
            best_max = get(udp ? "MaximumResponseTime" : "MaximumResponseTimeDetailed");
            for (const auto& [k, v] : r.values)
                if (k == "IPAddressUsed") used = v;
        }
    }
    if (!resolved_any) return Output::error("Error_CannotResolveHostName");
    Output out;
    out.set("FastestHost", best);
    out.set("MinimumResponseTime", std::to_string(best.empty() ? 0 : best_min));
    out.set("AverageResponseTime", std::to_string(best.empty() ? 0 : best_avg));
    out.set("MaximumResponseTime", std::to_string(best.empty() ? 0 : best_max));
    out.set("IPAddressUsed", used);
    return out;
}

}  // namespace cwmp::diag
