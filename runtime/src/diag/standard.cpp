// The diagnostics of TR-181 Device.IP.Diagnostics this library runs, with
// their inputs' defaults and rules and the capabilities they announce.
#include <sys/socket.h>

#include "cwmp/diag/service.h"
#include "cwmp/dm/schema.h"
#include "tests.h"

namespace cwmp::diag {
namespace {

std::string boolean(bool b) { return b ? "true" : "false"; }

// A diagnostic this device does not run: "Requested" is refused (9007)
// rather than accepted and never completed.
Diagnostic unsupported(std::string_view object) {
    Diagnostic d;
    d.object = object;
    return d;
}

}  // namespace

std::vector<Diagnostic> standard_diagnostics(const dm::ModelPaths& paths) {
    // Objects and capabilities the profile lacks are "": the service skips them.
    const dm::ModelPaths::IP::Diagnostics& ip = paths.ip.diagnostics;
    std::vector<Diagnostic> out;
    const bool ping4 = can_ping(AF_INET), ping6 = can_ping(AF_INET6);

    Diagnostic ping;
    ping.object = ip.ip_ping.path;
    ping.test = run_ipping;
    ping.defaults = {{"NumberOfRepetitions", "3"}, {"Timeout", "1000"}, {"DataBlockSize", "56"},
                     {"ProtocolVersion", "Any"}};
    ping.capabilities = {{std::string(ip.ipv4_ping_supported), boolean(ping4)},
                         {std::string(ip.ipv6_ping_supported), boolean(ping6)}};
    out.push_back(std::move(ping));

    // UDP probes need no privilege (IP_RECVERR): both families run wherever UDP does.
    Diagnostic trace;
    trace.object = ip.trace_route.path;
    trace.test = run_traceroute;
    trace.result_tables = {"RouteHops."};
    trace.defaults = {{"NumberOfTries", "3"}, {"Timeout", "5000"}, {"DataBlockSize", "38"}, {"MaxHopCount", "30"},
                      {"ProtocolVersion", "Any"}};
    trace.capabilities = {{std::string(ip.ipv4_trace_route_supported), "true"},
                          {std::string(ip.ipv6_trace_route_supported), "true"}};
    out.push_back(std::move(trace));

    for (bool up : {false, true}) {
        Diagnostic t;
        const std::string kind = up ? "Upload" : "Download";
        t.object = up ? ip.upload_diagnostics.path : ip.download_diagnostics.path;
        t.test = up ? run_upload : run_download;
        t.result_tables = {"PerConnectionResult.", "IncrementalResult."};
        t.defaults = {{"NumberOfConnections", "1"}, {"ProtocolVersion", "Any"}, {"EnablePerConnectionResults", "false"},
                      {"TimeBasedTestDuration", "0"}, {"TimeBasedTestMeasurementInterval", "0"},
                      {"TimeBasedTestMeasurementOffset", "0"}};
        t.capabilities = {{kind + "Transports", "HTTP,FTP"},
                          {up ? "UploadDiagnosticsMaxConnections" : "DownloadDiagnosticMaxConnections",
                           std::to_string(kMaxConnections)},
                          {kind + "DiagnosticsMaxIncrementalResult", "100"},
                          {std::string(up ? ip.ipv4_upload_diagnostics_supported : ip.ipv4_download_diagnostics_supported), "true"},
                          {std::string(up ? ip.ipv6_upload_diagnostics_supported : ip.ipv6_download_diagnostics_supported), "true"}};
        t.check = [up](std::string_view leaf, std::string_view value, std::string& why) {
            if (leaf == "DownloadURL" || leaf == "UploadURL") return check_transfer_url(value, why, up);
            if (leaf == "NumberOfConnections") {
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

    Diagnostic echo;
    echo.object = ip.udp_echo_diagnostics.path;
    echo.test = run_udpecho;
    echo.result_tables = {"IndividualPacketResult."};
    echo.defaults = {{"NumberOfRepetitions", "1"}, {"Timeout", "5000"}, {"DataBlockSize", "24"},
                     {"InterTransmissionTime", "1000"}, {"ProtocolVersion", "Any"},
                     {"EnableIndividualPacketResults", "false"}};
    echo.capabilities = {{"UDPEchoDiagnosticsMaxResults", std::to_string(kMaxEchoResults)},
                         {std::string(ip.ipv4_udp_echo_diagnostics_supported), "true"},
                         {std::string(ip.ipv6_udp_echo_diagnostics_supported), "true"}};
    echo.check = [](std::string_view leaf, std::string_view value, std::string& why) {
        if (leaf == "DataBlockSize" && value.size() <= 2 && std::stoul(std::string(value)) < kEchoPlusHeader) {
            why = "at least " + std::to_string(kEchoPlusHeader) + " bytes (the UDP Echo Plus header)";
            return Fault::InvalidParameterValue;
        }
        return Fault::None;
    };
    out.push_back(std::move(echo));

    Diagnostic select;
    select.object = ip.server_selection_diagnostics.path;
    select.test = run_server_selection;
    select.defaults = {{"Protocol", "ICMP"}, {"NumberOfRepetitions", "3"}, {"Timeout", "1000"},
                       {"ProtocolVersion", "Any"}};
    // Its ICMP half needs what IPPing needs; UDP Echo needs nothing.
    select.capabilities = {{std::string(ip.ipv4_server_selection_diagnostics_supported), "true"},
                           {std::string(ip.ipv6_server_selection_diagnostics_supported), "true"}};
    out.push_back(std::move(select));

    out.push_back(unsupported(ip.ip_layer_capacity_metrics.path));
    // What does not run says so.
    Diagnostic& first = out.front();
    first.capabilities.emplace_back(ip.ip_layer_capacity_supported, "false");
    return out;
}

}  // namespace cwmp::diag
