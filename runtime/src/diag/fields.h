// The diagnostics' inputs and results as typed C++ structs, and where each
// member lives in the profile (issue 12: no leaf names typed by hand).  The
// block between the markers is what `generator/dmgen runtime-paths` prints
// (generator/dmlib/runtime_diagnostics.py, DIAGNOSTICS), a generator test
// compares them, and `generator/dmgen runtime-paths --into` this file
// rewrites it.  Each profile's generation checks every member's path and
// type against its model, and each DiagnosticsState value a diagnostic
// writes against the model's enumeration (or a fallback of it), and fails
// naming what it lacks.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/dm/schema.h"

namespace cwmp::diag {

// dateTime results carry microseconds (TR-143's times); the epoch is "unknown".
using Time = std::chrono::system_clock::time_point;

// BEGIN DiagnosticFields
// DiagnosticsState's values (their text: state_text()).
enum class State : std::uint8_t {
    kNone,  // None
    kRequested,  // Requested
    kCanceled,  // Canceled
    kComplete,  // Complete
    kErrorCannotResolveHostName,  // Error_CannotResolveHostName
    kErrorNoRouteToHost,  // Error_NoRouteToHost
    kErrorInitConnectionFailed,  // Error_InitConnectionFailed
    kErrorNoResponse,  // Error_NoResponse
    kErrorTransferFailed,  // Error_TransferFailed
    kErrorPasswordRequestFailed,  // Error_PasswordRequestFailed
    kErrorLoginFailed,  // Error_LoginFailed
    kErrorNoTransferMode,  // Error_NoTransferMode
    kErrorNoPASV,  // Error_NoPASV
    kErrorIncorrectSize,  // Error_IncorrectSize
    kErrorTimeout,  // Error_Timeout
    kErrorNoCWD,  // Error_NoCWD
    kErrorNoSTOR,  // Error_NoSTOR
    kErrorNoTransferComplete,  // Error_NoTransferComplete
    kErrorMaxHopCountExceeded,  // Error_MaxHopCountExceeded
    kErrorInternal,  // Error_Internal
    kErrorOther,  // Error_Other
};
inline constexpr std::size_t kStateCount = 21;

inline std::string_view state_text(State s) noexcept {
    constexpr std::string_view texts[] = {
        "None",
        "Requested",
        "Canceled",
        "Complete",
        "Error_CannotResolveHostName",
        "Error_NoRouteToHost",
        "Error_InitConnectionFailed",
        "Error_NoResponse",
        "Error_TransferFailed",
        "Error_PasswordRequestFailed",
        "Error_LoginFailed",
        "Error_NoTransferMode",
        "Error_NoPASV",
        "Error_IncorrectSize",
        "Error_Timeout",
        "Error_NoCWD",
        "Error_NoSTOR",
        "Error_NoTransferComplete",
        "Error_MaxHopCountExceeded",
        "Error_Internal",
        "Error_Other",
    };
    return texts[static_cast<std::size_t>(s)];
}

// What a model whose enumeration lacks `s` is written instead, in order.
inline std::span<const std::string_view> fallbacks(State s) noexcept {
    switch (s) {
    case State::kComplete: {
        static constexpr std::string_view f[] = {"Completed"};
        return f;
    }
    case State::kErrorCannotResolveHostName: {
        static constexpr std::string_view f[] = {"Error_InitConnectionFailed"};
        return f;
    }
    case State::kErrorNoRouteToHost: {
        static constexpr std::string_view f[] = {"Error_InitConnectionFailed", "Error_Other", "Error_MaxHopCountExceeded"};
        return f;
    }
    case State::kErrorTransferFailed: {
        static constexpr std::string_view f[] = {"Error_NoTransferComplete"};
        return f;
    }
    case State::kErrorTimeout: {
        static constexpr std::string_view f[] = {"Error_NoResponse", "Error_NoTransferComplete"};
        return f;
    }
    case State::kErrorInternal: {
        static constexpr std::string_view f[] = {"Error", "Error_Other", "Error_InitConnectionFailed", "None"};
        return f;
    }
    case State::kErrorOther: {
        static constexpr std::string_view f[] = {"Error", "Error_Internal", "Error_InitConnectionFailed", "None"};
        return f;
    }
    default: return {};
    }
}

struct IPPingInputs {
    std::string interface;  // IP.Diagnostics.IPPing.Interface
    std::string protocol_version;  // IP.Diagnostics.IPPing.ProtocolVersion
    std::string host;  // IP.Diagnostics.IPPing.Host
    std::uint32_t number_of_repetitions = 0;  // IP.Diagnostics.IPPing.NumberOfRepetitions
    std::uint32_t timeout = 0;  // IP.Diagnostics.IPPing.Timeout
    std::uint32_t data_block_size = 0;  // IP.Diagnostics.IPPing.DataBlockSize
    std::uint32_t dscp = 0;  // IP.Diagnostics.IPPing.DSCP
};

struct IPPingResults {
    std::string ip_address_used;  // IP.Diagnostics.IPPing.IPAddressUsed
    std::uint32_t success_count = 0;  // IP.Diagnostics.IPPing.SuccessCount
    std::uint32_t failure_count = 0;  // IP.Diagnostics.IPPing.FailureCount
    std::uint32_t average_response_time = 0;  // IP.Diagnostics.IPPing.AverageResponseTime
    std::uint32_t minimum_response_time = 0;  // IP.Diagnostics.IPPing.MinimumResponseTime
    std::uint32_t maximum_response_time = 0;  // IP.Diagnostics.IPPing.MaximumResponseTime
    std::uint32_t average_response_time_detailed = 0;  // IP.Diagnostics.IPPing.AverageResponseTimeDetailed
    std::uint32_t minimum_response_time_detailed = 0;  // IP.Diagnostics.IPPing.MinimumResponseTimeDetailed
    std::uint32_t maximum_response_time_detailed = 0;  // IP.Diagnostics.IPPing.MaximumResponseTimeDetailed
};

struct TraceRouteInputs {
    std::string interface;  // IP.Diagnostics.TraceRoute.Interface
    std::string protocol_version;  // IP.Diagnostics.TraceRoute.ProtocolVersion
    std::string host;  // IP.Diagnostics.TraceRoute.Host
    std::uint32_t number_of_tries = 0;  // IP.Diagnostics.TraceRoute.NumberOfTries
    std::uint32_t timeout = 0;  // IP.Diagnostics.TraceRoute.Timeout
    std::uint32_t data_block_size = 0;  // IP.Diagnostics.TraceRoute.DataBlockSize
    std::uint32_t dscp = 0;  // IP.Diagnostics.TraceRoute.DSCP
    std::uint32_t max_hop_count = 0;  // IP.Diagnostics.TraceRoute.MaxHopCount
};

struct RouteHop {
    std::string host;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.Host
    std::string host_address;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.HostAddress
    std::uint32_t error_code = 0;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.ErrorCode
    std::vector<std::uint32_t> rt_times;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.RTTimes
};

struct TraceRouteResults {
    std::string ip_address_used;  // IP.Diagnostics.TraceRoute.IPAddressUsed
    std::uint32_t response_time = 0;  // IP.Diagnostics.TraceRoute.ResponseTime
    std::vector<RouteHop> route_hops;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.
};

struct TransferInputs {
    std::string interface;  // IP.Diagnostics.DownloadDiagnostics.Interface
    std::string url;  // IP.Diagnostics.DownloadDiagnostics.DownloadURL
    std::uint32_t dscp = 0;  // IP.Diagnostics.DownloadDiagnostics.DSCP
    std::uint32_t ethernet_priority = 0;  // IP.Diagnostics.DownloadDiagnostics.EthernetPriority
    std::uint32_t time_based_test_duration = 0;  // IP.Diagnostics.DownloadDiagnostics.TimeBasedTestDuration
    std::uint32_t time_based_test_measurement_interval = 0;  // IP.Diagnostics.DownloadDiagnostics.TimeBasedTestMeasurementInterval
    std::uint32_t time_based_test_measurement_offset = 0;  // IP.Diagnostics.DownloadDiagnostics.TimeBasedTestMeasurementOffset
    std::string protocol_version;  // IP.Diagnostics.DownloadDiagnostics.ProtocolVersion
    std::uint32_t number_of_connections = 0;  // IP.Diagnostics.DownloadDiagnostics.NumberOfConnections
    bool enable_per_connection_results = false;  // IP.Diagnostics.DownloadDiagnostics.EnablePerConnectionResults
    std::uint64_t test_file_length = 0;  // IP.Diagnostics.UploadDiagnostics.TestFileLength
};

struct TransferConnection {
    Time rom_time = {};  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.ROMTime
    Time bom_time = {};  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.BOMTime
    Time eom_time = {};  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.EOMTime
    std::uint64_t test_bytes = 0;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TestBytesReceived
    std::uint64_t total_bytes_received = 0;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TotalBytesReceived
    std::uint64_t total_bytes_sent = 0;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TotalBytesSent
    Time tcp_open_request_time = {};  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TCPOpenRequestTime
    Time tcp_open_response_time = {};  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TCPOpenResponseTime
};

struct TransferIncrement {
    Time start_time = {};  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.StartTime
    Time end_time = {};  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.EndTime
    std::uint64_t test_bytes = 0;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.TestBytesReceived
    std::uint64_t total_bytes_received = 0;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.TotalBytesReceived
    std::uint64_t total_bytes_sent = 0;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.TotalBytesSent
};

struct TransferResults {
    std::string ip_address_used;  // IP.Diagnostics.DownloadDiagnostics.IPAddressUsed
    Time rom_time = {};  // IP.Diagnostics.DownloadDiagnostics.ROMTime
    Time bom_time = {};  // IP.Diagnostics.DownloadDiagnostics.BOMTime
    Time eom_time = {};  // IP.Diagnostics.DownloadDiagnostics.EOMTime
    std::uint64_t test_bytes = 0;  // IP.Diagnostics.DownloadDiagnostics.TestBytesReceived
    std::uint64_t total_bytes_received = 0;  // IP.Diagnostics.DownloadDiagnostics.TotalBytesReceived
    std::uint64_t total_bytes_sent = 0;  // IP.Diagnostics.DownloadDiagnostics.TotalBytesSent
    std::uint64_t test_bytes_under_full_loading = 0;  // IP.Diagnostics.DownloadDiagnostics.TestBytesReceivedUnderFullLoading
    std::uint64_t total_bytes_received_under_full_loading = 0;  // IP.Diagnostics.DownloadDiagnostics.TotalBytesReceivedUnderFullLoading
    std::uint64_t total_bytes_sent_under_full_loading = 0;  // IP.Diagnostics.DownloadDiagnostics.TotalBytesSentUnderFullLoading
    std::uint32_t period_of_full_loading = 0;  // IP.Diagnostics.DownloadDiagnostics.PeriodOfFullLoading
    Time tcp_open_request_time = {};  // IP.Diagnostics.DownloadDiagnostics.TCPOpenRequestTime
    Time tcp_open_response_time = {};  // IP.Diagnostics.DownloadDiagnostics.TCPOpenResponseTime
    std::vector<TransferConnection> per_connection;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.
    std::vector<TransferIncrement> incremental;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.
};

struct UDPEchoInputs {
    std::string interface;  // IP.Diagnostics.UDPEchoDiagnostics.Interface
    std::string host;  // IP.Diagnostics.UDPEchoDiagnostics.Host
    std::uint32_t port = 0;  // IP.Diagnostics.UDPEchoDiagnostics.Port
    std::uint32_t number_of_repetitions = 0;  // IP.Diagnostics.UDPEchoDiagnostics.NumberOfRepetitions
    std::uint32_t timeout = 0;  // IP.Diagnostics.UDPEchoDiagnostics.Timeout
    std::uint32_t data_block_size = 0;  // IP.Diagnostics.UDPEchoDiagnostics.DataBlockSize
    std::uint32_t dscp = 0;  // IP.Diagnostics.UDPEchoDiagnostics.DSCP
    std::uint32_t inter_transmission_time = 0;  // IP.Diagnostics.UDPEchoDiagnostics.InterTransmissionTime
    std::string protocol_version;  // IP.Diagnostics.UDPEchoDiagnostics.ProtocolVersion
    bool enable_individual_packet_results = false;  // IP.Diagnostics.UDPEchoDiagnostics.EnableIndividualPacketResults
};

struct EchoPacket {
    bool packet_success = false;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.PacketSuccess
    Time packet_send_time = {};  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.PacketSendTime
    Time packet_receive_time = {};  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.PacketReceiveTime
    std::uint32_t test_gen_sn = 0;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestGenSN
    std::uint32_t test_resp_sn = 0;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestRespSN
    std::uint32_t test_resp_rcv_time_stamp = 0;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestRespRcvTimeStamp
    std::uint32_t test_resp_reply_time_stamp = 0;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestRespReplyTimeStamp
    std::uint32_t test_resp_reply_failure_count = 0;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestRespReplyFailureCount
};

struct UDPEchoResults {
    std::string ip_address_used;  // IP.Diagnostics.UDPEchoDiagnostics.IPAddressUsed
    std::uint32_t success_count = 0;  // IP.Diagnostics.UDPEchoDiagnostics.SuccessCount
    std::uint32_t failure_count = 0;  // IP.Diagnostics.UDPEchoDiagnostics.FailureCount
    std::uint32_t average_response_time = 0;  // IP.Diagnostics.UDPEchoDiagnostics.AverageResponseTime
    std::uint32_t minimum_response_time = 0;  // IP.Diagnostics.UDPEchoDiagnostics.MinimumResponseTime
    std::uint32_t maximum_response_time = 0;  // IP.Diagnostics.UDPEchoDiagnostics.MaximumResponseTime
    std::vector<EchoPacket> packets;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.
};

struct ServerSelectionInputs {
    std::string interface;  // IP.Diagnostics.ServerSelectionDiagnostics.Interface
    std::string protocol_version;  // IP.Diagnostics.ServerSelectionDiagnostics.ProtocolVersion
    std::string protocol;  // IP.Diagnostics.ServerSelectionDiagnostics.Protocol
    std::vector<std::string> host_list;  // IP.Diagnostics.ServerSelectionDiagnostics.HostList
    std::uint32_t number_of_repetitions = 0;  // IP.Diagnostics.ServerSelectionDiagnostics.NumberOfRepetitions
    std::uint32_t timeout = 0;  // IP.Diagnostics.ServerSelectionDiagnostics.Timeout
};

struct ServerSelectionResults {
    std::string fastest_host;  // IP.Diagnostics.ServerSelectionDiagnostics.FastestHost
    std::uint32_t minimum_response_time = 0;  // IP.Diagnostics.ServerSelectionDiagnostics.MinimumResponseTime
    std::uint32_t average_response_time = 0;  // IP.Diagnostics.ServerSelectionDiagnostics.AverageResponseTime
    std::uint32_t maximum_response_time = 0;  // IP.Diagnostics.ServerSelectionDiagnostics.MaximumResponseTime
    std::string ip_address_used;  // IP.Diagnostics.ServerSelectionDiagnostics.IPAddressUsed
};

// IP.Diagnostics.IPPing.: `visit(path, member)` for each input, its path in the profile ("" where it
// lacks one).
template <class Visit>
void each_input(const dm::ModelPaths::IP::Diagnostics::IPPing& paths, IPPingInputs& s, Visit&& visit) {
    visit(paths.interface, s.interface);
    visit(paths.protocol_version, s.protocol_version);
    visit(paths.host, s.host);
    visit(paths.number_of_repetitions, s.number_of_repetitions);
    visit(paths.timeout, s.timeout);
    visit(paths.data_block_size, s.data_block_size);
    visit(paths.dscp, s.dscp);
}

// IP.Diagnostics.IPPing.: `visit(path, member)` for each result; `visit.table(table path, rows,
// each)` for each table, `each(row, cell)` calling `cell(path, member)` for a row's.
template <class Visit>
void each_result(const dm::ModelPaths::IP::Diagnostics::IPPing& paths, const IPPingResults& s, Visit&& visit) {
    visit(paths.ip_address_used, s.ip_address_used);
    visit(paths.success_count, s.success_count);
    visit(paths.failure_count, s.failure_count);
    visit(paths.average_response_time, s.average_response_time);
    visit(paths.minimum_response_time, s.minimum_response_time);
    visit(paths.maximum_response_time, s.maximum_response_time);
    visit(paths.average_response_time_detailed, s.average_response_time_detailed);
    visit(paths.minimum_response_time_detailed, s.minimum_response_time_detailed);
    visit(paths.maximum_response_time_detailed, s.maximum_response_time_detailed);
}

// IP.Diagnostics.TraceRoute.: `visit(path, member)` for each input, its path in the profile ("" where it
// lacks one).
template <class Visit>
void each_input(const dm::ModelPaths::IP::Diagnostics::TraceRoute& paths, TraceRouteInputs& s, Visit&& visit) {
    visit(paths.interface, s.interface);
    visit(paths.protocol_version, s.protocol_version);
    visit(paths.host, s.host);
    visit(paths.number_of_tries, s.number_of_tries);
    visit(paths.timeout, s.timeout);
    visit(paths.data_block_size, s.data_block_size);
    visit(paths.dscp, s.dscp);
    visit(paths.max_hop_count, s.max_hop_count);
}

// IP.Diagnostics.TraceRoute.: `visit(path, member)` for each result; `visit.table(table path, rows,
// each)` for each table, `each(row, cell)` calling `cell(path, member)` for a row's.
template <class Visit>
void each_result(const dm::ModelPaths::IP::Diagnostics::TraceRoute& paths, const TraceRouteResults& s, Visit&& visit) {
    visit(paths.ip_address_used, s.ip_address_used);
    visit(paths.response_time, s.response_time);
    visit.table(paths.route_hops.path, s.route_hops, [&paths](const RouteHop& row, auto&& cell) {
        cell(paths.route_hops.host, row.host);
        cell(paths.route_hops.host_address, row.host_address);
        cell(paths.route_hops.error_code, row.error_code);
        cell(paths.route_hops.rt_times, row.rt_times);
    });
}

// IP.Diagnostics.DownloadDiagnostics.: `visit(path, member)` for each input, its path in the profile ("" where it
// lacks one).
template <class Visit>
void each_input(const dm::ModelPaths::IP::Diagnostics::DownloadDiagnostics& paths, TransferInputs& s, Visit&& visit) {
    visit(paths.interface, s.interface);
    visit(paths.download_url, s.url);
    visit(paths.dscp, s.dscp);
    visit(paths.ethernet_priority, s.ethernet_priority);
    visit(paths.time_based_test_duration, s.time_based_test_duration);
    visit(paths.time_based_test_measurement_interval, s.time_based_test_measurement_interval);
    visit(paths.time_based_test_measurement_offset, s.time_based_test_measurement_offset);
    visit(paths.protocol_version, s.protocol_version);
    visit(paths.number_of_connections, s.number_of_connections);
    visit(paths.enable_per_connection_results, s.enable_per_connection_results);
}

// IP.Diagnostics.DownloadDiagnostics.: `visit(path, member)` for each result; `visit.table(table path, rows,
// each)` for each table, `each(row, cell)` calling `cell(path, member)` for a row's.
template <class Visit>
void each_result(const dm::ModelPaths::IP::Diagnostics::DownloadDiagnostics& paths, const TransferResults& s, Visit&& visit) {
    visit(paths.ip_address_used, s.ip_address_used);
    visit(paths.rom_time, s.rom_time);
    visit(paths.bom_time, s.bom_time);
    visit(paths.eom_time, s.eom_time);
    visit(paths.test_bytes_received, s.test_bytes);
    visit(paths.total_bytes_received, s.total_bytes_received);
    visit(paths.total_bytes_sent, s.total_bytes_sent);
    visit(paths.test_bytes_received_under_full_loading, s.test_bytes_under_full_loading);
    visit(paths.total_bytes_received_under_full_loading, s.total_bytes_received_under_full_loading);
    visit(paths.total_bytes_sent_under_full_loading, s.total_bytes_sent_under_full_loading);
    visit(paths.period_of_full_loading, s.period_of_full_loading);
    visit(paths.tcp_open_request_time, s.tcp_open_request_time);
    visit(paths.tcp_open_response_time, s.tcp_open_response_time);
    visit.table(paths.per_connection_result.path, s.per_connection, [&paths](const TransferConnection& row, auto&& cell) {
        cell(paths.per_connection_result.rom_time, row.rom_time);
        cell(paths.per_connection_result.bom_time, row.bom_time);
        cell(paths.per_connection_result.eom_time, row.eom_time);
        cell(paths.per_connection_result.test_bytes_received, row.test_bytes);
        cell(paths.per_connection_result.total_bytes_received, row.total_bytes_received);
        cell(paths.per_connection_result.total_bytes_sent, row.total_bytes_sent);
        cell(paths.per_connection_result.tcp_open_request_time, row.tcp_open_request_time);
        cell(paths.per_connection_result.tcp_open_response_time, row.tcp_open_response_time);
    });
    visit.table(paths.incremental_result.path, s.incremental, [&paths](const TransferIncrement& row, auto&& cell) {
        cell(paths.incremental_result.start_time, row.start_time);
        cell(paths.incremental_result.end_time, row.end_time);
        cell(paths.incremental_result.test_bytes_received, row.test_bytes);
        cell(paths.incremental_result.total_bytes_received, row.total_bytes_received);
        cell(paths.incremental_result.total_bytes_sent, row.total_bytes_sent);
    });
}

// IP.Diagnostics.UploadDiagnostics.: `visit(path, member)` for each input, its path in the profile ("" where it
// lacks one).
template <class Visit>
void each_input(const dm::ModelPaths::IP::Diagnostics::UploadDiagnostics& paths, TransferInputs& s, Visit&& visit) {
    visit(paths.interface, s.interface);
    visit(paths.upload_url, s.url);
    visit(paths.dscp, s.dscp);
    visit(paths.ethernet_priority, s.ethernet_priority);
    visit(paths.time_based_test_duration, s.time_based_test_duration);
    visit(paths.time_based_test_measurement_interval, s.time_based_test_measurement_interval);
    visit(paths.time_based_test_measurement_offset, s.time_based_test_measurement_offset);
    visit(paths.protocol_version, s.protocol_version);
    visit(paths.number_of_connections, s.number_of_connections);
    visit(paths.enable_per_connection_results, s.enable_per_connection_results);
    visit(paths.test_file_length, s.test_file_length);
}

// IP.Diagnostics.UploadDiagnostics.: `visit(path, member)` for each result; `visit.table(table path, rows,
// each)` for each table, `each(row, cell)` calling `cell(path, member)` for a row's.
template <class Visit>
void each_result(const dm::ModelPaths::IP::Diagnostics::UploadDiagnostics& paths, const TransferResults& s, Visit&& visit) {
    visit(paths.ip_address_used, s.ip_address_used);
    visit(paths.rom_time, s.rom_time);
    visit(paths.bom_time, s.bom_time);
    visit(paths.eom_time, s.eom_time);
    visit(paths.test_bytes_sent, s.test_bytes);
    visit(paths.total_bytes_received, s.total_bytes_received);
    visit(paths.total_bytes_sent, s.total_bytes_sent);
    visit(paths.test_bytes_sent_under_full_loading, s.test_bytes_under_full_loading);
    visit(paths.total_bytes_received_under_full_loading, s.total_bytes_received_under_full_loading);
    visit(paths.total_bytes_sent_under_full_loading, s.total_bytes_sent_under_full_loading);
    visit(paths.period_of_full_loading, s.period_of_full_loading);
    visit(paths.tcp_open_request_time, s.tcp_open_request_time);
    visit(paths.tcp_open_response_time, s.tcp_open_response_time);
    visit.table(paths.per_connection_result.path, s.per_connection, [&paths](const TransferConnection& row, auto&& cell) {
        cell(paths.per_connection_result.rom_time, row.rom_time);
        cell(paths.per_connection_result.bom_time, row.bom_time);
        cell(paths.per_connection_result.eom_time, row.eom_time);
        cell(paths.per_connection_result.test_bytes_sent, row.test_bytes);
        cell(paths.per_connection_result.total_bytes_received, row.total_bytes_received);
        cell(paths.per_connection_result.total_bytes_sent, row.total_bytes_sent);
        cell(paths.per_connection_result.tcp_open_request_time, row.tcp_open_request_time);
        cell(paths.per_connection_result.tcp_open_response_time, row.tcp_open_response_time);
    });
    visit.table(paths.incremental_result.path, s.incremental, [&paths](const TransferIncrement& row, auto&& cell) {
        cell(paths.incremental_result.start_time, row.start_time);
        cell(paths.incremental_result.end_time, row.end_time);
        cell(paths.incremental_result.test_bytes_sent, row.test_bytes);
        cell(paths.incremental_result.total_bytes_received, row.total_bytes_received);
        cell(paths.incremental_result.total_bytes_sent, row.total_bytes_sent);
    });
}

// IP.Diagnostics.UDPEchoDiagnostics.: `visit(path, member)` for each input, its path in the profile ("" where it
// lacks one).
template <class Visit>
void each_input(const dm::ModelPaths::IP::Diagnostics::UDPEchoDiagnostics& paths, UDPEchoInputs& s, Visit&& visit) {
    visit(paths.interface, s.interface);
    visit(paths.host, s.host);
    visit(paths.port, s.port);
    visit(paths.number_of_repetitions, s.number_of_repetitions);
    visit(paths.timeout, s.timeout);
    visit(paths.data_block_size, s.data_block_size);
    visit(paths.dscp, s.dscp);
    visit(paths.inter_transmission_time, s.inter_transmission_time);
    visit(paths.protocol_version, s.protocol_version);
    visit(paths.enable_individual_packet_results, s.enable_individual_packet_results);
}

// IP.Diagnostics.UDPEchoDiagnostics.: `visit(path, member)` for each result; `visit.table(table path, rows,
// each)` for each table, `each(row, cell)` calling `cell(path, member)` for a row's.
template <class Visit>
void each_result(const dm::ModelPaths::IP::Diagnostics::UDPEchoDiagnostics& paths, const UDPEchoResults& s, Visit&& visit) {
    visit(paths.ip_address_used, s.ip_address_used);
    visit(paths.success_count, s.success_count);
    visit(paths.failure_count, s.failure_count);
    visit(paths.average_response_time, s.average_response_time);
    visit(paths.minimum_response_time, s.minimum_response_time);
    visit(paths.maximum_response_time, s.maximum_response_time);
    visit.table(paths.individual_packet_result.path, s.packets, [&paths](const EchoPacket& row, auto&& cell) {
        cell(paths.individual_packet_result.packet_success, row.packet_success);
        cell(paths.individual_packet_result.packet_send_time, row.packet_send_time);
        cell(paths.individual_packet_result.packet_receive_time, row.packet_receive_time);
        cell(paths.individual_packet_result.test_gen_sn, row.test_gen_sn);
        cell(paths.individual_packet_result.test_resp_sn, row.test_resp_sn);
        cell(paths.individual_packet_result.test_resp_rcv_time_stamp, row.test_resp_rcv_time_stamp);
        cell(paths.individual_packet_result.test_resp_reply_time_stamp, row.test_resp_reply_time_stamp);
        cell(paths.individual_packet_result.test_resp_reply_failure_count, row.test_resp_reply_failure_count);
    });
}

// IP.Diagnostics.ServerSelectionDiagnostics.: `visit(path, member)` for each input, its path in the profile ("" where it
// lacks one).
template <class Visit>
void each_input(const dm::ModelPaths::IP::Diagnostics::ServerSelectionDiagnostics& paths, ServerSelectionInputs& s, Visit&& visit) {
    visit(paths.interface, s.interface);
    visit(paths.protocol_version, s.protocol_version);
    visit(paths.protocol, s.protocol);
    visit(paths.host_list, s.host_list);
    visit(paths.number_of_repetitions, s.number_of_repetitions);
    visit(paths.timeout, s.timeout);
}

// IP.Diagnostics.ServerSelectionDiagnostics.: `visit(path, member)` for each result; `visit.table(table path, rows,
// each)` for each table, `each(row, cell)` calling `cell(path, member)` for a row's.
template <class Visit>
void each_result(const dm::ModelPaths::IP::Diagnostics::ServerSelectionDiagnostics& paths, const ServerSelectionResults& s, Visit&& visit) {
    visit(paths.fastest_host, s.fastest_host);
    visit(paths.minimum_response_time, s.minimum_response_time);
    visit(paths.average_response_time, s.average_response_time);
    visit(paths.maximum_response_time, s.maximum_response_time);
    visit(paths.ip_address_used, s.ip_address_used);
}
// END DiagnosticFields

}  // namespace cwmp::diag
