// The diagnostics of TR-181 Device.IP.Diagnostics this library runs, with
// their inputs' defaults and rules and the capabilities they announce.
#include <sys/socket.h>

#include "cwmp/diag/service.h"
#include "tests.h"

namespace cwmp::diag {
namespace {

constexpr const char* kRoot = "Device.IP.Diagnostics.";

std::string boolean(bool b) { return b ? "true" : "false"; }

// A diagnostic this device does not run: "Requested" is refused (9007)
// rather than accepted and never completed.
Diagnostic unsupported(std::string object) {
    Diagnostic d;
    d.object = std::string(kRoot) + object;
    return d;
}

}  // namespace

std::vector<Diagnostic> standard_diagnostics() {
    std::vector<Diagnostic> out;
    const bool ping4 = can_ping(AF_INET), ping6 = can_ping(AF_INET6);

    Diagnostic ping;
    ping.object = std::string(kRoot) + "IPPing.";
    ping.test = run_ipping;
    ping.defaults = {{"NumberOfRepetitions", "3"}, {"Timeout", "1000"}, {"DataBlockSize", "56"},
                     {"ProtocolVersion", "Any"}};
    ping.capabilities = {{std::string(kRoot) + "IPv4PingSupported", boolean(ping4)},
                         {std::string(kRoot) + "IPv6PingSupported", boolean(ping6)}};
    out.push_back(std::move(ping));

    // UDP probes need no privilege (IP_RECVERR): both families run wherever UDP does.
    Diagnostic trace;
    trace.object = std::string(kRoot) + "TraceRoute.";
    trace.test = run_traceroute;
    trace.result_tables = {"RouteHops."};
    trace.defaults = {{"NumberOfTries", "3"}, {"Timeout", "5000"}, {"DataBlockSize", "38"}, {"MaxHopCount", "30"},
                      {"ProtocolVersion", "Any"}};
    trace.capabilities = {{std::string(kRoot) + "IPv4TraceRouteSupported", "true"},
                          {std::string(kRoot) + "IPv6TraceRouteSupported", "true"}};
    out.push_back(std::move(trace));

    for (bool up : {false, true}) {
        Diagnostic t;
        const std::string kind = up ? "Upload" : "Download";
        t.object = std::string(kRoot) + kind + "Diagnostics.";
        t.test = up ? run_upload : run_download;
        t.result_tables = {"PerConnectionResult.", "IncrementalResult."};
        t.defaults = {{"NumberOfConnections", "1"}, {"ProtocolVersion", "Any"}, {"EnablePerConnectionResults", "false"},
                      {"TimeBasedTestDuration", "0"}, {"TimeBasedTestMeasurementInterval", "0"},
                      {"TimeBasedTestMeasurementOffset", "0"}};
        t.capabilities = {{kind + "Transports", "HTTP,FTP"},
                          {up ? "UploadDiagnosticsMaxConnections" : "DownloadDiagnosticMaxConnections",
                           std::to_string(kMaxConnections)},
                          {kind + "DiagnosticsMaxIncrementalResult", "100"},
                          {std::string(kRoot) + "IPv4" + kind + "DiagnosticsSupported", "true"},
                          {std::string(kRoot) + "IPv6" + kind + "DiagnosticsSupported", "true"}};
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
    echo.object = std::string(kRoot) + "UDPEchoDiagnostics.";
    echo.test = run_udpecho;
    echo.result_tables = {"IndividualPacketResult."};
    echo.defaults = {{"NumberOfRepetitions", "1"}, {"Timeout", "5000"}, {"DataBlockSize", "24"},
                     {"InterTransmissionTime", "1000"}, {"ProtocolVersion", "Any"},
                     {"EnableIndividualPacketResults", "false"}};
    echo.capabilities = {{"UDPEchoDiagnosticsMaxResults", std::to_string(kMaxEchoResults)},
                         {std::string(kRoot) + "IPv4UDPEchoDiagnosticsSupported", "true"},
                         {std::string(kRoot) + "IPv6UDPEchoDiagnosticsSupported", "true"}};
    echo.check = [](std::string_view leaf, std::string_view value, std::string& why) {
        if (leaf == "DataBlockSize" && value.size() <= 2 && std::stoul(std::string(value)) < kEchoPlusHeader) {
            why = "at least " + std::to_string(kEchoPlusHeader) + " bytes (the UDP Echo Plus header)";
            return Fault::InvalidParameterValue;
        }
        return Fault::None;
    };
    out.push_back(std::move(echo));

    Diagnostic select;
    select.object = std::string(kRoot) + "ServerSelectionDiagnostics.";
    select.test = run_server_selection;
    select.defaults = {{"Protocol", "ICMP"}, {"NumberOfRepetitions", "3"}, {"Timeout", "1000"},
                       {"ProtocolVersion", "Any"}};
    // Its ICMP half needs what IPPing needs; UDP Echo needs nothing.
    select.capabilities = {{std::string(kRoot) + "IPv4ServerSelectionDiagnosticsSupported", "true"},
                           {std::string(kRoot) + "IPv6ServerSelectionDiagnosticsSupported", "true"}};
    out.push_back(std::move(select));

    out.push_back(unsupported("IPLayerCapacityMetrics."));
    // What does not run says so.
    Diagnostic& first = out.front();
    first.capabilities.emplace_back(std::string(kRoot) + "IPLayerCapacitySupported", "false");
    return out;
}

}  // namespace cwmp::diag
