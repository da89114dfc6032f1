// The diagnostics of TR-181 Device.IP.Diagnostics this library runs, with
// their inputs' defaults and rules and the capabilities they announce.
#include <sys/socket.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/diag/service.h"
#include "cwmp/dm/schema.h"
#include "tests.h"

namespace cwmp::diag {
namespace {

std::string boolean(bool b) { return b ? "true" : "false"; }

// (path, value) pairs of the profile's paths.
std::vector<std::pair<std::string, std::string>> pairs(
    std::initializer_list<std::pair<std::string_view, std::string_view>> list) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [path, value] : list) out.emplace_back(path, value);
    return out;
}

// The object, its DiagnosticsState and Interface, and its test over typed
// fields (none: a diagnostic this device does not run, whose "Requested" is
// refused (9007) rather than accepted and never completed).
template <class Paths>
Diagnostic diagnostic(const Paths& paths, Test test) {
    Diagnostic d;
    d.object = paths.path;
    if constexpr (requires { paths.diagnostics_state; }) d.state = paths.diagnostics_state;
    if constexpr (requires { paths.interface; }) d.interface = paths.interface;
    d.test = std::move(test);
    return d;
}

}  // namespace

std::vector<Diagnostic> standard_diagnostics(const dm::ModelPaths& paths) {
    // Every object and parameter named here is the profile's full path, from
    // the generator (generator/dmlib/runtime_paths.py): "" where the profile
    // lacks it, and the service skips it (a diagnostic's object, an input's
    // default, a capability, a result table).
    const dm::ModelPaths::IP::Diagnostics& ip = paths.ip.diagnostics;
    std::vector<Diagnostic> out;
    const bool ping4 = can_ping(AF_INET), ping6 = can_ping(AF_INET6);

    const auto& pp = ip.ip_ping;
    Diagnostic ping = diagnostic(pp, typed(pp, run_ipping));
    ping.defaults = pairs({{pp.number_of_repetitions, "3"}, {pp.timeout, "1000"}, {pp.data_block_size, "56"},
                     {pp.protocol_version, "Any"}});
    ping.capabilities = pairs({{ip.ipv4_ping_supported, boolean(ping4)}, {ip.ipv6_ping_supported, boolean(ping6)}});
    out.push_back(std::move(ping));

    // UDP probes need no privilege (IP_RECVERR): both families run wherever UDP does.
    const auto& tr = ip.trace_route;
    Diagnostic trace = diagnostic(tr, typed(tr, run_traceroute));  // TR-098's hops: HopHost, ... (the generator's)
    trace.result_tables = {std::string(tr.route_hops.path)};
    trace.defaults = pairs({{tr.number_of_tries, "3"}, {tr.timeout, "5000"}, {tr.data_block_size, "38"},
                      {tr.max_hop_count, "30"}, {tr.protocol_version, "Any"}});
    trace.capabilities = pairs({{ip.ipv4_trace_route_supported, "true"}, {ip.ipv6_trace_route_supported, "true"}});
    out.push_back(std::move(trace));

    const auto& dl = ip.download_diagnostics;
    const auto& ul = ip.upload_diagnostics;
    for (bool up : {false, true}) {
        Diagnostic t = up ? diagnostic(ul, typed(ul, run_upload)) : diagnostic(dl, typed(dl, run_download));
        t.result_tables = {std::string(up ? ul.per_connection_result.path : dl.per_connection_result.path),
                           std::string(up ? ul.incremental_result.path : dl.incremental_result.path)};
        t.defaults = pairs({{up ? ul.number_of_connections : dl.number_of_connections, "1"},
                      {up ? ul.protocol_version : dl.protocol_version, "Any"},
                      {up ? ul.enable_per_connection_results : dl.enable_per_connection_results, "false"},
                      {up ? ul.time_based_test_duration : dl.time_based_test_duration, "0"},
                      {up ? ul.time_based_test_measurement_interval : dl.time_based_test_measurement_interval, "0"},
                      {up ? ul.time_based_test_measurement_offset : dl.time_based_test_measurement_offset, "0"}});
        t.capabilities = pairs({{up ? ul.upload_transports : dl.download_transports, "HTTP,FTP"},
                          {up ? ul.upload_diagnostics_max_connections : dl.download_diagnostic_max_connections,
                           std::to_string(kMaxConnections)},
                          {up ? ul.upload_diagnostics_max_incremental_result
                              : dl.download_diagnostics_max_incremental_result, "100"},
                          {up ? ip.ipv4_upload_diagnostics_supported : ip.ipv4_download_diagnostics_supported, "true"},
                          {up ? ip.ipv6_upload_diagnostics_supported : ip.ipv6_download_diagnostics_supported, "true"}});
        const std::string url(up ? ul.upload_url : dl.download_url);
        const std::string transports(up ? ul.upload_transports : dl.download_transports);
        const std::string connections(up ? ul.number_of_connections : dl.number_of_connections);
        t.check = [url, transports, connections](std::string_view name, std::string_view value, std::string& why) {
            if (!url.empty() && name == url) return check_transfer_url(value, why, transports);
            if (!connections.empty() && name == connections) {
                unsigned n = 0;
                for (char c : value) n = n * 10 + static_cast<unsigned>(c - '0');
                if (value.size() > 3 || n > kMaxConnections) {
                    why = "at most " + std::to_string(kMaxConnections) + " connections";
                    return Fault::InvalidParameterValue;
                }
            }
            return Fault::None;
        };
        out.push_back(std::move(t));
    }

    const auto& ue = ip.udp_echo_diagnostics;
    Diagnostic echo = diagnostic(ue, typed(ue, run_udpecho));
    echo.result_tables = {std::string(ue.individual_packet_result.path)};
    echo.defaults = pairs({{ue.number_of_repetitions, "1"}, {ue.timeout, "5000"}, {ue.data_block_size, "24"},
                     {ue.inter_transmission_time, "1000"}, {ue.protocol_version, "Any"},
                     {ue.enable_individual_packet_results, "false"}});
    echo.capabilities = pairs({{ue.udp_echo_diagnostics_max_results, std::to_string(kMaxEchoResults)},
                         {ip.ipv4_udp_echo_diagnostics_supported, "true"},
                         {ip.ipv6_udp_echo_diagnostics_supported, "true"}});
    echo.check = [size = std::string(ue.data_block_size)](std::string_view name, std::string_view value,
                                                           std::string& why) {
        if (!size.empty() && name == size && value.size() <= 2 && std::stoul(std::string(value)) < kEchoPlusHeader) {
            why = "at least " + std::to_string(kEchoPlusHeader) + " bytes (the UDP Echo Plus header)";
            return Fault::InvalidParameterValue;
        }
        return Fault::None;
    };
    out.push_back(std::move(echo));

    const auto& ss = ip.server_selection_diagnostics;
    Diagnostic select = diagnostic(ss, typed(ss, run_server_selection));
    select.defaults = pairs({{ss.protocol, "ICMP"}, {ss.number_of_repetitions, "3"}, {ss.timeout, "1000"},
                       {ss.protocol_version, "Any"}});
    // Its ICMP half needs what IPPing needs; UDP Echo needs nothing.
    select.capabilities = pairs({{ip.ipv4_server_selection_diagnostics_supported, "true"},
                           {ip.ipv6_server_selection_diagnostics_supported, "true"}});
    out.push_back(std::move(select));

    out.push_back(diagnostic(ip.ip_layer_capacity_metrics, Test{}));
    // What does not run says so.
    Diagnostic& first = out.front();
    first.capabilities.emplace_back(ip.ip_layer_capacity_supported, "false");
    return out;
}

}  // namespace cwmp::diag
