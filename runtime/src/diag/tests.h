// The tests behind each diagnostic (one file each), run on a worker thread:
// typed inputs in (diag/fields.h), typed results out; `device` is the
// Interface's device name ("": the routing table decides).
#pragma once

#include "typed.h"

namespace cwmp::diag {

Outcome<IPPingResults> run_ipping(const IPPingInputs& in, const std::string& device, std::stop_token stop);
Outcome<TraceRouteResults> run_traceroute(const TraceRouteInputs& in, const std::string& device,
                                          std::stop_token stop);                       // traceroute.cpp
Outcome<TransferResults> run_download(const TransferInputs& in, const std::string& device,
                                      std::stop_token stop);                           // throughput.cpp
Outcome<TransferResults> run_upload(const TransferInputs& in, const std::string& device, std::stop_token stop);
// DownloadURL / UploadURL: an http:// URL or an ftp:// URL naming a file, else 9007
// (`transports`: the DownloadTransports / UploadTransports path, which the reason names).
Fault check_transfer_url(std::string_view value, std::string& why, std::string_view transports);
constexpr unsigned kMaxConnections = 8;
Outcome<UDPEchoResults> run_udpecho(const UDPEchoInputs& in, const std::string& device, std::stop_token stop);
Outcome<ServerSelectionResults> run_server_selection(const ServerSelectionInputs& in, const std::string& device,
                                                     std::stop_token stop);            // selection.cpp
constexpr std::size_t kEchoPlusHeader = 20;   // TR-143 A.1.4: five 32-bit fields
constexpr unsigned kMaxEchoResults = 1000;    // UDPEchoDiagnosticsMaxResults
std::uint32_t get32(const unsigned char* p);
void put32(unsigned char* p, std::uint32_t v);  // DownloadDiagnosticMaxConnections, UploadDiagnosticsMaxConnections

// Whether this process may send ICMP echoes of `family` (an unprivileged
// datagram socket or a raw one): what IPv4PingSupported / IPv6PingSupported say.
bool can_ping(int family);

}  // namespace cwmp::diag
