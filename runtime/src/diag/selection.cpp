// TR-143 / TR-181 ServerSelectionDiagnostics: each host of HostList tested
// as IPPing (Protocol ICMP) or UDPEchoDiagnostics (Protocol "UDP Echo") would,
// NumberOfRepetitions times; the fastest on average wins.  The model has no
// port for UDP Echo: an entry may say "host:port" ("[v6]:port"), else 7 (RFC 862).
#include <algorithm>
#include <charconv>
#include <optional>

#include "tests.h"

namespace cwmp::diag {

namespace {

// One host's average, min and max in µs (IPPing's Detailed results, UDP
// Echo's own), and the address the test used.
struct Timing {
    std::uint64_t avg = 0, min = 0, max = 0;
    std::string used;
};

}  // namespace

Outcome<ServerSelectionResults> run_server_selection(const ServerSelectionInputs& in, const std::string& device,
                                                     std::stop_token stop) {
    // TR-181's enumeration of Protocol: "ICMP" or "UDP Echo".
    const bool udp = in.protocol == "UDP Echo";
    std::string best, used;
    std::uint64_t best_avg = UINT64_MAX, best_min = 0, best_max = 0;
    bool resolved_any = false;
    for (std::string entry : in.host_list) {
        while (!entry.empty() && entry.front() == ' ') entry.erase(0, 1);
        while (!entry.empty() && entry.back() == ' ') entry.pop_back();
        if (entry.empty()) continue;
        // UDP Echo: the echo port (RFC 862's 7) unless the entry says "host:port" or "[v6]:port".
        std::string h = entry;
        std::uint32_t port = 7;
        if (udp) {
            const std::size_t colon = entry.rfind(':');
            const bool bracketed = entry.starts_with('[') && colon != std::string::npos && colon > 0 &&
                                   entry[colon - 1] == ']';
            if (colon != std::string::npos && (bracketed || entry.find(':') == colon)) {
                const std::string text = entry.substr(colon + 1);
                std::from_chars(text.data(), text.data() + text.size(), port);
                h = bracketed ? entry.substr(1, colon - 2) : entry.substr(0, colon);
            }
        }
        State state;
        std::optional<Timing> t;
        if (udp) {
            UDPEchoInputs e;
            e.interface = in.interface, e.protocol_version = in.protocol_version, e.host = h, e.port = port;
            e.number_of_repetitions = in.number_of_repetitions, e.timeout = in.timeout;
            e.data_block_size = 24;  // UDPEchoDiagnostics' default
            e.inter_transmission_time = 0;  // back to back (no gap between echoes)
            const auto r = run_udpecho(e, device, stop);
            state = r.state;
            if (r.results && r.results->success_count > 0)
                t = Timing{r.results->average_response_time, r.results->minimum_response_time,
                           r.results->maximum_response_time, r.results->ip_address_used};
        } else {
            IPPingInputs p;
            p.interface = in.interface, p.protocol_version = in.protocol_version, p.host = h;
            p.number_of_repetitions = in.number_of_repetitions, p.timeout = in.timeout, p.data_block_size = 56;  // IPPing's default
            const auto r = run_ipping(p, device, stop);
            state = r.state;
            if (r.results && r.results->success_count > 0)
                t = Timing{r.results->average_response_time_detailed, r.results->minimum_response_time_detailed,
                           r.results->maximum_response_time_detailed, r.results->ip_address_used};
        }
        if (stop.stop_requested()) return fail(State::kErrorOther);
        if (state != State::kErrorCannotResolveHostName) resolved_any = true;
        if (state != State::kComplete || !t) continue;
        if (t->avg < best_avg) {
            best = entry, best_avg = t->avg, best_min = t->min, best_max = t->max;
            used = t->used;
        }
    }
    if (!resolved_any) return fail(State::kErrorCannotResolveHostName);
    ServerSelectionResults out;
    out.fastest_host = best;
    out.minimum_response_time = static_cast<std::uint32_t>(best.empty() ? 0 : best_min);
    out.average_response_time = static_cast<std::uint32_t>(best.empty() ? 0 : best_avg);
    out.maximum_response_time = static_cast<std::uint32_t>(best.empty() ? 0 : best_max);
    out.ip_address_used = used;
    return out;
}

}  // namespace cwmp::diag
