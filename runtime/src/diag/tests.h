// The tests behind each diagnostic (one file each), run on a worker thread.
#pragma once

#include "cwmp/diag/diagnostic.h"

namespace cwmp::diag {

Output run_ipping(const Params& params, std::stop_token stop);      // ipping.cpp
Output run_traceroute(const Params& params, std::stop_token stop);  // traceroute.cpp
Output run_download(const Params& params, std::stop_token stop);    // throughput.cpp
Output run_upload(const Params& params, std::stop_token stop);      // throughput.cpp
// DownloadURL / UploadURL: an http:// URL or an ftp:// URL naming a file, else 9007.
Fault check_transfer_url(std::string_view value, std::string& why, bool upload);
constexpr unsigned kMaxConnections = 8;
Output run_udpecho(const Params& params, std::stop_token stop);     // udpecho.cpp
Output run_server_selection(const Params& params, std::stop_token stop);  // selection.cpp
constexpr std::size_t kEchoPlusHeader = 20;   // TR-143 A.1.4: five 32-bit fields
constexpr unsigned kMaxEchoResults = 1000;    // UDPEchoDiagnosticsMaxResults
std::uint32_t get32(const unsigned char* p);
void put32(unsigned char* p, std::uint32_t v);  // DownloadDiagnosticMaxConnections, UploadDiagnosticsMaxConnections

// Whether this process may send ICMP echoes of `family` (an unprivileged
// datagram socket or a raw one): what IPv4PingSupported / IPv6PingSupported say.
bool can_ping(int family);

}  // namespace cwmp::diag
