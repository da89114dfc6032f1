// The generated data-model tables: constant-initialised, sorted by path, no
// run-time registration. The generator emits one Schema per device profile.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cwmp/dm/types.h"
#include "cwmp/fault.h"

namespace cwmp::dm {

class Context;

// A numeric bound, sign and magnitude, so that the whole of int, long,
// unsignedInt and unsignedLong fits without a wider integer.
struct Bound {
    bool set = false;
    bool negative = false;
    std::uint64_t magnitude = 0;
};

struct Range {
    Bound min = {};
    Bound max = {};
    std::uint64_t step = 0;  // 0: no step
};

struct Size {
    std::uint32_t min = 0;
    std::uint32_t max = std::numeric_limits<std::uint32_t>::max();
};

// A parameter's value facets; spans into per-area constant arrays.  Every
// field has a default, so a generated row names only the facets it has.
struct Constraint {
    std::span<const Range> ranges = {};
    std::span<const Size> sizes = {};
    std::span<const std::string_view> enums = {};
    std::span<const std::string_view> patterns = {};
    // List facets, for list-valued parameters.
    std::uint32_t min_items = 0;
    std::uint32_t max_items = std::numeric_limits<std::uint32_t>::max();
    Size list_size = {};
};


// A row of the parameter table.  The generated tables set its fields by
// name (designated initialisers) and leave out those at their default.
struct Param {
    std::string_view path;  // template: "Device.IP.Interface.{i}.Enable"
    std::uint16_t object = 0;  // index into Schema::objects
    Type type = Type::String;
    Access access = Access::ReadOnly;
    Notify notify = Notify::Normal;
    Binding binding = Binding::Platform;
    ParamFlag flags = ParamFlag::None;
    // The object default, with ParamFlag::HasDefault.  For a runtime-bound
    // parameter, where its stored value starts: that default, else a value
    // the parameter allows (the generator's choice, generator/dmlib/start_value.py).
    std::string_view default_value = {};
    const Constraint* constraint = nullptr;
    std::uint16_t slot = 0;  // position among its object's params (Object::read/write)

    bool forced_inform() const noexcept { return has(flags, ParamFlag::ForcedInform); }
    bool list() const noexcept { return has(flags, ParamFlag::List); }
    bool hidden() const noexcept { return has(flags, ParamFlag::Hidden); }
    bool has_default() const noexcept { return has(flags, ParamFlag::HasDefault); }
};

// Per-object thunks over the platform: the instance numbers of a table below
// `parent`; every platform value of one instance at once (values[k] is the
// wire form of params[k] of the object; other slots are left untouched); and
// creating or deleting an instance of a platform-bound table.  The runtime's
// store answers for runtime-bound objects through the same calls (the
// engine's one binding path, runtime/src/dm/binding.h).  The platform code
// behind them may throw: the engine is the one place that turns what it
// threw into a fault, with the instance's path and the cause in the log and
// the FaultString (dm::BoardObjects).
using InstancesFn = Fault (*)(Context&, const Instance& parent, std::vector<std::uint32_t>& out);
using ReadFn = Fault (*)(Context&, const Instance&, std::span<std::string> values);
// One value of a write: which of the object's params (its slot) and the new
// value in wire form.  A write hands the platform all values of one object
// instance at once, so it can check them together.
struct SlotValue {
    std::uint16_t slot;
    std::string_view value;
};
using WriteFn = Fault (*)(Context&, const Instance&, std::span<const SlotValue> values);
using AddFn = Fault (*)(Context&, const Instance& parent, std::uint32_t& number);
using DeleteFn = Fault (*)(Context&, const Instance&);

// A row of the object table, set by name like Param.
struct Object {
    static constexpr std::uint16_t kNone = 0xffff;
    std::string_view path;  // "Device.IP.Interface.{i}."
    ObjectAccess access = ObjectAccess::ReadOnly;
    Binding binding = Binding::Platform;
    bool multi = false;
    std::uint32_t min_entries = 0;
    std::uint32_t max_entries = 0;  // UINT32_MAX: unbounded
    std::uint16_t parent = kNone;   // index into Schema::objects; kNone for the root
    std::string_view num_entries = {};  // name of the parent's counting parameter
    std::span<const std::uint16_t> params = {};  // indexes into Schema::params
    InstancesFn instances = nullptr;  // platform-bound tables
    ReadFn read = nullptr;            // objects with platform-bound parameters
    WriteFn write = nullptr;          // objects with writable platform-bound parameters
    AddFn add = nullptr;              // platform-bound tables the ACS may create in
    DeleteFn remove = nullptr;        // platform-bound tables the ACS may delete from
};

// The type a value carries on the wire (xsi:type): a list is a string.
inline Type wire_type(const Param& p) noexcept { return p.list() ? Type::String : p.type; }

// The paths of the model the runtime reads and writes itself, full (the
// root object included), from generator/dmlib/runtime_paths.py: one struct
// per object, members named from the paths.  An optional feature's path the
// profile lacks is empty, and the runtime leaves that feature off; a required
// one the profile lacks fails generation.  The declaration between the
// markers is what `generator/dmgen runtime-paths` prints (a generator test
// compares them; `generator/dmgen runtime-paths --into` this file rewrites it;
// the generated schema.cpp checks every member is set).
// BEGIN ModelPaths
struct ModelPaths {
    std::string_view root;  // "Device.", "InternetGatewayDevice."
    struct DeviceInfo {
        std::string_view manufacturer;  // DeviceInfo.Manufacturer
        std::string_view manufacturer_oui;  // DeviceInfo.ManufacturerOUI
        std::string_view product_class;  // DeviceInfo.ProductClass
        std::string_view serial_number;  // DeviceInfo.SerialNumber
    } device_info;
    struct ManagementServer {
        std::string_view url;  // ManagementServer.URL
        std::string_view username;  // ManagementServer.Username
        std::string_view password;  // ManagementServer.Password
        std::string_view periodic_inform_enable;  // ManagementServer.PeriodicInformEnable
        std::string_view periodic_inform_interval;  // ManagementServer.PeriodicInformInterval
        std::string_view periodic_inform_time;  // ManagementServer.PeriodicInformTime
        std::string_view parameter_key;  // ManagementServer.ParameterKey
        std::string_view connection_request_url;  // ManagementServer.ConnectionRequestURL
        std::string_view connection_request_username;  // ManagementServer.ConnectionRequestUsername
        std::string_view connection_request_password;  // ManagementServer.ConnectionRequestPassword
        std::string_view http_connection_request_enable;  // ManagementServer.HTTPConnectionRequestEnable
        std::string_view supported_conn_req_methods;  // ManagementServer.SupportedConnReqMethods
        std::string_view cwmp_retry_minimum_wait_interval;  // ManagementServer.CWMPRetryMinimumWaitInterval
        std::string_view cwmp_retry_interval_multiplier;  // ManagementServer.CWMPRetryIntervalMultiplier
        std::string_view default_active_notification_throttle;  // ManagementServer.DefaultActiveNotificationThrottle
        std::string_view alias_based_addressing;  // ManagementServer.AliasBasedAddressing
        std::string_view instance_mode;  // ManagementServer.InstanceMode
        std::string_view auto_create_instances;  // ManagementServer.AutoCreateInstances
        struct InformParameter {
            std::string_view path;  // ManagementServer.InformParameter.{i}.
            std::string_view enable;  // ManagementServer.InformParameter.{i}.Enable
            std::string_view event_list;  // ManagementServer.InformParameter.{i}.EventList
            std::string_view parameter_name;  // ManagementServer.InformParameter.{i}.ParameterName
        } inform_parameter;
        std::string_view udp_connection_request_address;  // ManagementServer.UDPConnectionRequestAddress
        std::string_view nat_detected;  // ManagementServer.NATDetected
        std::string_view stun_enable;  // ManagementServer.STUNEnable
        std::string_view stun_server_address;  // ManagementServer.STUNServerAddress
        std::string_view stun_server_port;  // ManagementServer.STUNServerPort
        std::string_view stun_username;  // ManagementServer.STUNUsername
        std::string_view stun_password;  // ManagementServer.STUNPassword
        std::string_view stun_minimum_keep_alive_period;  // ManagementServer.STUNMinimumKeepAlivePeriod
        std::string_view stun_maximum_keep_alive_period;  // ManagementServer.STUNMaximumKeepAlivePeriod
        std::string_view lightweight_notification_protocols_supported;  // ManagementServer.LightweightNotificationProtocolsSupported
        std::string_view lightweight_notification_protocols_used;  // ManagementServer.LightweightNotificationProtocolsUsed
        std::string_view lightweight_notification_trigger_interval;  // ManagementServer.LightweightNotificationTriggerInterval
        std::string_view lightweight_notification_trigger_time;  // ManagementServer.LightweightNotificationTriggerTime
        std::string_view udp_lightweight_notification_host;  // ManagementServer.UDPLightweightNotificationHost
        std::string_view udp_lightweight_notification_port;  // ManagementServer.UDPLightweightNotificationPort
        std::string_view conn_req_xmpp_connection;  // ManagementServer.ConnReqXMPPConnection
        std::string_view conn_req_allowed_jabber_ids;  // ManagementServer.ConnReqAllowedJabberIDs
        std::string_view conn_req_jabber_id;  // ManagementServer.ConnReqJabberID
        struct HeartbeatPolicy {
            std::string_view path;  // ManagementServer.HeartbeatPolicy.
            std::string_view enable;  // ManagementServer.HeartbeatPolicy.Enable
            std::string_view reporting_interval;  // ManagementServer.HeartbeatPolicy.ReportingInterval
            std::string_view initiation_time;  // ManagementServer.HeartbeatPolicy.InitiationTime
        } heartbeat_policy;
        struct AutonomousTransferCompletePolicy {
            std::string_view enable;  // ManagementServer.AutonomousTransferCompletePolicy.Enable
            std::string_view transfer_type_filter;  // ManagementServer.AutonomousTransferCompletePolicy.TransferTypeFilter
            std::string_view result_type_filter;  // ManagementServer.AutonomousTransferCompletePolicy.ResultTypeFilter
            std::string_view file_type_filter;  // ManagementServer.AutonomousTransferCompletePolicy.FileTypeFilter
        } autonomous_transfer_complete_policy;
    } management_server;
    struct XMPP {
        std::string_view supported_server_connect_algorithms;  // XMPP.SupportedServerConnectAlgorithms
        struct Connection {
            std::string_view path;  // XMPP.Connection.{i}.
            std::string_view enable;  // XMPP.Connection.{i}.Enable
            std::string_view username;  // XMPP.Connection.{i}.Username
            std::string_view password;  // XMPP.Connection.{i}.Password
            std::string_view domain;  // XMPP.Connection.{i}.Domain
            std::string_view resource;  // XMPP.Connection.{i}.Resource
            std::string_view use_tls;  // XMPP.Connection.{i}.UseTLS
            std::string_view server_retry_initial_interval;  // XMPP.Connection.{i}.ServerRetryInitialInterval
            std::string_view server_retry_interval_multiplier;  // XMPP.Connection.{i}.ServerRetryIntervalMultiplier
            std::string_view server_retry_max_interval;  // XMPP.Connection.{i}.ServerRetryMaxInterval
            std::string_view server_connect_algorithm;  // XMPP.Connection.{i}.ServerConnectAlgorithm
            std::string_view status;  // XMPP.Connection.{i}.Status
            std::string_view last_change_date;  // XMPP.Connection.{i}.LastChangeDate
            std::string_view jabber_id;  // XMPP.Connection.{i}.JabberID
            std::string_view tls_established;  // XMPP.Connection.{i}.TLSEstablished
            struct Server {
                std::string_view path;  // XMPP.Connection.{i}.Server.{i}.
                std::string_view enable;  // XMPP.Connection.{i}.Server.{i}.Enable
                std::string_view priority;  // XMPP.Connection.{i}.Server.{i}.Priority
                std::string_view server_address;  // XMPP.Connection.{i}.Server.{i}.ServerAddress
                std::string_view port;  // XMPP.Connection.{i}.Server.{i}.Port
            } server;
        } connection;
    } xmpp;
    struct IP {
        struct Interface {
            std::string_view path;  // IP.Interface.{i}.
            std::string_view name;  // IP.Interface.{i}.Name
        } interface;
        struct Diagnostics {
            std::string_view path;  // IP.Diagnostics.
            std::string_view ipv4_ping_supported;  // IP.Diagnostics.IPv4PingSupported
            std::string_view ipv6_ping_supported;  // IP.Diagnostics.IPv6PingSupported
            std::string_view ipv4_trace_route_supported;  // IP.Diagnostics.IPv4TraceRouteSupported
            std::string_view ipv6_trace_route_supported;  // IP.Diagnostics.IPv6TraceRouteSupported
            std::string_view ipv4_download_diagnostics_supported;  // IP.Diagnostics.IPv4DownloadDiagnosticsSupported
            std::string_view ipv6_download_diagnostics_supported;  // IP.Diagnostics.IPv6DownloadDiagnosticsSupported
            std::string_view ipv4_upload_diagnostics_supported;  // IP.Diagnostics.IPv4UploadDiagnosticsSupported
            std::string_view ipv6_upload_diagnostics_supported;  // IP.Diagnostics.IPv6UploadDiagnosticsSupported
            std::string_view ipv4_udp_echo_diagnostics_supported;  // IP.Diagnostics.IPv4UDPEchoDiagnosticsSupported
            std::string_view ipv6_udp_echo_diagnostics_supported;  // IP.Diagnostics.IPv6UDPEchoDiagnosticsSupported
            std::string_view ipv4_server_selection_diagnostics_supported;  // IP.Diagnostics.IPv4ServerSelectionDiagnosticsSupported
            std::string_view ipv6_server_selection_diagnostics_supported;  // IP.Diagnostics.IPv6ServerSelectionDiagnosticsSupported
            std::string_view ip_layer_capacity_supported;  // IP.Diagnostics.IPLayerCapacitySupported
            struct IPPing {
                std::string_view path;  // IP.Diagnostics.IPPing.
                std::string_view number_of_repetitions;  // IP.Diagnostics.IPPing.NumberOfRepetitions
                std::string_view timeout;  // IP.Diagnostics.IPPing.Timeout
                std::string_view data_block_size;  // IP.Diagnostics.IPPing.DataBlockSize
                std::string_view protocol_version;  // IP.Diagnostics.IPPing.ProtocolVersion
                std::string_view diagnostics_state;  // IP.Diagnostics.IPPing.DiagnosticsState
                std::string_view interface;  // IP.Diagnostics.IPPing.Interface
                std::string_view host;  // IP.Diagnostics.IPPing.Host
                std::string_view dscp;  // IP.Diagnostics.IPPing.DSCP
                std::string_view ip_address_used;  // IP.Diagnostics.IPPing.IPAddressUsed
                std::string_view success_count;  // IP.Diagnostics.IPPing.SuccessCount
                std::string_view failure_count;  // IP.Diagnostics.IPPing.FailureCount
                std::string_view average_response_time;  // IP.Diagnostics.IPPing.AverageResponseTime
                std::string_view minimum_response_time;  // IP.Diagnostics.IPPing.MinimumResponseTime
                std::string_view maximum_response_time;  // IP.Diagnostics.IPPing.MaximumResponseTime
                std::string_view average_response_time_detailed;  // IP.Diagnostics.IPPing.AverageResponseTimeDetailed
                std::string_view minimum_response_time_detailed;  // IP.Diagnostics.IPPing.MinimumResponseTimeDetailed
                std::string_view maximum_response_time_detailed;  // IP.Diagnostics.IPPing.MaximumResponseTimeDetailed
            } ip_ping;
            struct TraceRoute {
                std::string_view path;  // IP.Diagnostics.TraceRoute.
                std::string_view number_of_tries;  // IP.Diagnostics.TraceRoute.NumberOfTries
                std::string_view timeout;  // IP.Diagnostics.TraceRoute.Timeout
                std::string_view data_block_size;  // IP.Diagnostics.TraceRoute.DataBlockSize
                std::string_view max_hop_count;  // IP.Diagnostics.TraceRoute.MaxHopCount
                std::string_view protocol_version;  // IP.Diagnostics.TraceRoute.ProtocolVersion
                struct RouteHops {
                    std::string_view path;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.
                    std::string_view host;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.Host
                    std::string_view host_address;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.HostAddress
                    std::string_view error_code;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.ErrorCode
                    std::string_view rt_times;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.RTTimes
                } route_hops;
                std::string_view diagnostics_state;  // IP.Diagnostics.TraceRoute.DiagnosticsState
                std::string_view interface;  // IP.Diagnostics.TraceRoute.Interface
                std::string_view host;  // IP.Diagnostics.TraceRoute.Host
                std::string_view dscp;  // IP.Diagnostics.TraceRoute.DSCP
                std::string_view ip_address_used;  // IP.Diagnostics.TraceRoute.IPAddressUsed
                std::string_view response_time;  // IP.Diagnostics.TraceRoute.ResponseTime
            } trace_route;
            struct DownloadDiagnostics {
                std::string_view path;  // IP.Diagnostics.DownloadDiagnostics.
                std::string_view download_url;  // IP.Diagnostics.DownloadDiagnostics.DownloadURL
                std::string_view number_of_connections;  // IP.Diagnostics.DownloadDiagnostics.NumberOfConnections
                std::string_view protocol_version;  // IP.Diagnostics.DownloadDiagnostics.ProtocolVersion
                std::string_view enable_per_connection_results;  // IP.Diagnostics.DownloadDiagnostics.EnablePerConnectionResults
                std::string_view time_based_test_duration;  // IP.Diagnostics.DownloadDiagnostics.TimeBasedTestDuration
                std::string_view time_based_test_measurement_interval;  // IP.Diagnostics.DownloadDiagnostics.TimeBasedTestMeasurementInterval
                std::string_view time_based_test_measurement_offset;  // IP.Diagnostics.DownloadDiagnostics.TimeBasedTestMeasurementOffset
                std::string_view download_transports;  // IP.Diagnostics.DownloadDiagnostics.DownloadTransports
                std::string_view download_diagnostic_max_connections;  // IP.Diagnostics.DownloadDiagnostics.DownloadDiagnosticMaxConnections
                std::string_view download_diagnostics_max_incremental_result;  // IP.Diagnostics.DownloadDiagnostics.DownloadDiagnosticsMaxIncrementalResult
                struct PerConnectionResult {
                    std::string_view path;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.
                    std::string_view rom_time;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.ROMTime
                    std::string_view bom_time;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.BOMTime
                    std::string_view eom_time;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.EOMTime
                    std::string_view test_bytes_received;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TestBytesReceived
                    std::string_view total_bytes_received;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TotalBytesReceived
                    std::string_view total_bytes_sent;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TotalBytesSent
                    std::string_view tcp_open_request_time;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TCPOpenRequestTime
                    std::string_view tcp_open_response_time;  // IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TCPOpenResponseTime
                } per_connection_result;
                struct IncrementalResult {
                    std::string_view path;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.
                    std::string_view start_time;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.StartTime
                    std::string_view end_time;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.EndTime
                    std::string_view test_bytes_received;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.TestBytesReceived
                    std::string_view total_bytes_received;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.TotalBytesReceived
                    std::string_view total_bytes_sent;  // IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.TotalBytesSent
                } incremental_result;
                std::string_view diagnostics_state;  // IP.Diagnostics.DownloadDiagnostics.DiagnosticsState
                std::string_view interface;  // IP.Diagnostics.DownloadDiagnostics.Interface
                std::string_view dscp;  // IP.Diagnostics.DownloadDiagnostics.DSCP
                std::string_view ethernet_priority;  // IP.Diagnostics.DownloadDiagnostics.EthernetPriority
                std::string_view ip_address_used;  // IP.Diagnostics.DownloadDiagnostics.IPAddressUsed
                std::string_view rom_time;  // IP.Diagnostics.DownloadDiagnostics.ROMTime
                std::string_view bom_time;  // IP.Diagnostics.DownloadDiagnostics.BOMTime
                std::string_view eom_time;  // IP.Diagnostics.DownloadDiagnostics.EOMTime
                std::string_view test_bytes_received;  // IP.Diagnostics.DownloadDiagnostics.TestBytesReceived
                std::string_view total_bytes_received;  // IP.Diagnostics.DownloadDiagnostics.TotalBytesReceived
                std::string_view total_bytes_sent;  // IP.Diagnostics.DownloadDiagnostics.TotalBytesSent
                std::string_view test_bytes_received_under_full_loading;  // IP.Diagnostics.DownloadDiagnostics.TestBytesReceivedUnderFullLoading
                std::string_view total_bytes_received_under_full_loading;  // IP.Diagnostics.DownloadDiagnostics.TotalBytesReceivedUnderFullLoading
                std::string_view total_bytes_sent_under_full_loading;  // IP.Diagnostics.DownloadDiagnostics.TotalBytesSentUnderFullLoading
                std::string_view period_of_full_loading;  // IP.Diagnostics.DownloadDiagnostics.PeriodOfFullLoading
                std::string_view tcp_open_request_time;  // IP.Diagnostics.DownloadDiagnostics.TCPOpenRequestTime
                std::string_view tcp_open_response_time;  // IP.Diagnostics.DownloadDiagnostics.TCPOpenResponseTime
            } download_diagnostics;
            struct UploadDiagnostics {
                std::string_view path;  // IP.Diagnostics.UploadDiagnostics.
                std::string_view upload_url;  // IP.Diagnostics.UploadDiagnostics.UploadURL
                std::string_view number_of_connections;  // IP.Diagnostics.UploadDiagnostics.NumberOfConnections
                std::string_view protocol_version;  // IP.Diagnostics.UploadDiagnostics.ProtocolVersion
                std::string_view enable_per_connection_results;  // IP.Diagnostics.UploadDiagnostics.EnablePerConnectionResults
                std::string_view time_based_test_duration;  // IP.Diagnostics.UploadDiagnostics.TimeBasedTestDuration
                std::string_view time_based_test_measurement_interval;  // IP.Diagnostics.UploadDiagnostics.TimeBasedTestMeasurementInterval
                std::string_view time_based_test_measurement_offset;  // IP.Diagnostics.UploadDiagnostics.TimeBasedTestMeasurementOffset
                std::string_view upload_transports;  // IP.Diagnostics.UploadDiagnostics.UploadTransports
                std::string_view upload_diagnostics_max_connections;  // IP.Diagnostics.UploadDiagnostics.UploadDiagnosticsMaxConnections
                std::string_view upload_diagnostics_max_incremental_result;  // IP.Diagnostics.UploadDiagnostics.UploadDiagnosticsMaxIncrementalResult
                struct PerConnectionResult {
                    std::string_view path;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.
                    std::string_view rom_time;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.ROMTime
                    std::string_view bom_time;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.BOMTime
                    std::string_view eom_time;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.EOMTime
                    std::string_view test_bytes_sent;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.TestBytesSent
                    std::string_view total_bytes_received;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.TotalBytesReceived
                    std::string_view total_bytes_sent;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.TotalBytesSent
                    std::string_view tcp_open_request_time;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.TCPOpenRequestTime
                    std::string_view tcp_open_response_time;  // IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.TCPOpenResponseTime
                } per_connection_result;
                struct IncrementalResult {
                    std::string_view path;  // IP.Diagnostics.UploadDiagnostics.IncrementalResult.{i}.
                    std::string_view start_time;  // IP.Diagnostics.UploadDiagnostics.IncrementalResult.{i}.StartTime
                    std::string_view end_time;  // IP.Diagnostics.UploadDiagnostics.IncrementalResult.{i}.EndTime
                    std::string_view test_bytes_sent;  // IP.Diagnostics.UploadDiagnostics.IncrementalResult.{i}.TestBytesSent
                    std::string_view total_bytes_received;  // IP.Diagnostics.UploadDiagnostics.IncrementalResult.{i}.TotalBytesReceived
                    std::string_view total_bytes_sent;  // IP.Diagnostics.UploadDiagnostics.IncrementalResult.{i}.TotalBytesSent
                } incremental_result;
                std::string_view diagnostics_state;  // IP.Diagnostics.UploadDiagnostics.DiagnosticsState
                std::string_view interface;  // IP.Diagnostics.UploadDiagnostics.Interface
                std::string_view dscp;  // IP.Diagnostics.UploadDiagnostics.DSCP
                std::string_view ethernet_priority;  // IP.Diagnostics.UploadDiagnostics.EthernetPriority
                std::string_view test_file_length;  // IP.Diagnostics.UploadDiagnostics.TestFileLength
                std::string_view ip_address_used;  // IP.Diagnostics.UploadDiagnostics.IPAddressUsed
                std::string_view rom_time;  // IP.Diagnostics.UploadDiagnostics.ROMTime
                std::string_view bom_time;  // IP.Diagnostics.UploadDiagnostics.BOMTime
                std::string_view eom_time;  // IP.Diagnostics.UploadDiagnostics.EOMTime
                std::string_view test_bytes_sent;  // IP.Diagnostics.UploadDiagnostics.TestBytesSent
                std::string_view total_bytes_received;  // IP.Diagnostics.UploadDiagnostics.TotalBytesReceived
                std::string_view total_bytes_sent;  // IP.Diagnostics.UploadDiagnostics.TotalBytesSent
                std::string_view test_bytes_sent_under_full_loading;  // IP.Diagnostics.UploadDiagnostics.TestBytesSentUnderFullLoading
                std::string_view total_bytes_received_under_full_loading;  // IP.Diagnostics.UploadDiagnostics.TotalBytesReceivedUnderFullLoading
                std::string_view total_bytes_sent_under_full_loading;  // IP.Diagnostics.UploadDiagnostics.TotalBytesSentUnderFullLoading
                std::string_view period_of_full_loading;  // IP.Diagnostics.UploadDiagnostics.PeriodOfFullLoading
                std::string_view tcp_open_request_time;  // IP.Diagnostics.UploadDiagnostics.TCPOpenRequestTime
                std::string_view tcp_open_response_time;  // IP.Diagnostics.UploadDiagnostics.TCPOpenResponseTime
            } upload_diagnostics;
            struct UDPEchoDiagnostics {
                std::string_view path;  // IP.Diagnostics.UDPEchoDiagnostics.
                std::string_view number_of_repetitions;  // IP.Diagnostics.UDPEchoDiagnostics.NumberOfRepetitions
                std::string_view timeout;  // IP.Diagnostics.UDPEchoDiagnostics.Timeout
                std::string_view data_block_size;  // IP.Diagnostics.UDPEchoDiagnostics.DataBlockSize
                std::string_view inter_transmission_time;  // IP.Diagnostics.UDPEchoDiagnostics.InterTransmissionTime
                std::string_view protocol_version;  // IP.Diagnostics.UDPEchoDiagnostics.ProtocolVersion
                std::string_view enable_individual_packet_results;  // IP.Diagnostics.UDPEchoDiagnostics.EnableIndividualPacketResults
                std::string_view udp_echo_diagnostics_max_results;  // IP.Diagnostics.UDPEchoDiagnostics.UDPEchoDiagnosticsMaxResults
                struct IndividualPacketResult {
                    std::string_view path;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.
                    std::string_view packet_success;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.PacketSuccess
                    std::string_view packet_send_time;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.PacketSendTime
                    std::string_view packet_receive_time;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.PacketReceiveTime
                    std::string_view test_gen_sn;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestGenSN
                    std::string_view test_resp_sn;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestRespSN
                    std::string_view test_resp_rcv_time_stamp;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestRespRcvTimeStamp
                    std::string_view test_resp_reply_time_stamp;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestRespReplyTimeStamp
                    std::string_view test_resp_reply_failure_count;  // IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.TestRespReplyFailureCount
                } individual_packet_result;
                std::string_view diagnostics_state;  // IP.Diagnostics.UDPEchoDiagnostics.DiagnosticsState
                std::string_view interface;  // IP.Diagnostics.UDPEchoDiagnostics.Interface
                std::string_view host;  // IP.Diagnostics.UDPEchoDiagnostics.Host
                std::string_view port;  // IP.Diagnostics.UDPEchoDiagnostics.Port
                std::string_view dscp;  // IP.Diagnostics.UDPEchoDiagnostics.DSCP
                std::string_view ip_address_used;  // IP.Diagnostics.UDPEchoDiagnostics.IPAddressUsed
                std::string_view success_count;  // IP.Diagnostics.UDPEchoDiagnostics.SuccessCount
                std::string_view failure_count;  // IP.Diagnostics.UDPEchoDiagnostics.FailureCount
                std::string_view average_response_time;  // IP.Diagnostics.UDPEchoDiagnostics.AverageResponseTime
                std::string_view minimum_response_time;  // IP.Diagnostics.UDPEchoDiagnostics.MinimumResponseTime
                std::string_view maximum_response_time;  // IP.Diagnostics.UDPEchoDiagnostics.MaximumResponseTime
            } udp_echo_diagnostics;
            struct ServerSelectionDiagnostics {
                std::string_view path;  // IP.Diagnostics.ServerSelectionDiagnostics.
                std::string_view protocol;  // IP.Diagnostics.ServerSelectionDiagnostics.Protocol
                std::string_view number_of_repetitions;  // IP.Diagnostics.ServerSelectionDiagnostics.NumberOfRepetitions
                std::string_view timeout;  // IP.Diagnostics.ServerSelectionDiagnostics.Timeout
                std::string_view protocol_version;  // IP.Diagnostics.ServerSelectionDiagnostics.ProtocolVersion
                std::string_view diagnostics_state;  // IP.Diagnostics.ServerSelectionDiagnostics.DiagnosticsState
                std::string_view interface;  // IP.Diagnostics.ServerSelectionDiagnostics.Interface
                std::string_view host_list;  // IP.Diagnostics.ServerSelectionDiagnostics.HostList
                std::string_view fastest_host;  // IP.Diagnostics.ServerSelectionDiagnostics.FastestHost
                std::string_view minimum_response_time;  // IP.Diagnostics.ServerSelectionDiagnostics.MinimumResponseTime
                std::string_view average_response_time;  // IP.Diagnostics.ServerSelectionDiagnostics.AverageResponseTime
                std::string_view maximum_response_time;  // IP.Diagnostics.ServerSelectionDiagnostics.MaximumResponseTime
                std::string_view ip_address_used;  // IP.Diagnostics.ServerSelectionDiagnostics.IPAddressUsed
            } server_selection_diagnostics;
            struct IPLayerCapacityMetrics {
                std::string_view path;  // IP.Diagnostics.IPLayerCapacityMetrics.
                std::string_view diagnostics_state;  // IP.Diagnostics.IPLayerCapacityMetrics.DiagnosticsState
            } ip_layer_capacity_metrics;
            struct UDPEchoConfig {
                std::string_view path;  // IP.Diagnostics.UDPEchoConfig.
                std::string_view enable;  // IP.Diagnostics.UDPEchoConfig.Enable
                std::string_view interface;  // IP.Diagnostics.UDPEchoConfig.Interface
                std::string_view source_ip_address;  // IP.Diagnostics.UDPEchoConfig.SourceIPAddress
                std::string_view udp_port;  // IP.Diagnostics.UDPEchoConfig.UDPPort
                std::string_view echo_plus_enabled;  // IP.Diagnostics.UDPEchoConfig.EchoPlusEnabled
                std::string_view echo_plus_supported;  // IP.Diagnostics.UDPEchoConfig.EchoPlusSupported
                std::string_view packets_received;  // IP.Diagnostics.UDPEchoConfig.PacketsReceived
                std::string_view packets_responded;  // IP.Diagnostics.UDPEchoConfig.PacketsResponded
                std::string_view bytes_received;  // IP.Diagnostics.UDPEchoConfig.BytesReceived
                std::string_view bytes_responded;  // IP.Diagnostics.UDPEchoConfig.BytesResponded
                std::string_view time_first_packet_received;  // IP.Diagnostics.UDPEchoConfig.TimeFirstPacketReceived
                std::string_view time_last_packet_received;  // IP.Diagnostics.UDPEchoConfig.TimeLastPacketReceived
            } udp_echo_config;
        } diagnostics;
    } ip;
};
// END ModelPaths

// The last segment of a path ("Device.X.{i}.Enable" -> "Enable"): a
// parameter's name within an instance the runtime found itself.
constexpr std::string_view leaf_name(std::string_view path) noexcept {
    const std::size_t dot = path.rfind('.');
    return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

// The table of a row template ("Device.X.{i}." -> "Device.X."), as the
// names of its instances start; "" for "".
constexpr std::string_view table_path(std::string_view row) noexcept {
    constexpr std::string_view kRow = "{i}.";
    return row.ends_with(kRow) ? row.substr(0, row.size() - kRow.size()) : row;
}

struct Schema {
    std::string_view profile;
    std::string_view root_model;   // "Device:2.19"
    std::span<const Object> objects;  // sorted by path
    std::span<const Param> params;    // sorted by path
    // What DeviceInfo.SupportedDataModel.{i}. says of the profile: the URN
    // of the document that defines the root model, and the UUID of the
    // profile's DT instance (dmgen dt writes the same one).
    std::string_view root_spec = {};
    std::string_view dt_uuid = {};
    ModelPaths paths = {};
};

// The root model's version: "Device:2.19" -> "2.19" (RootDataModelVersion).
constexpr std::string_view model_version(const Schema& s) noexcept {
    const std::size_t colon = s.root_model.find(':');
    return colon == std::string_view::npos ? std::string_view{} : s.root_model.substr(colon + 1);
}

// Binary searches over the sorted tables; nullptr when absent.
const Param* find_param(const Schema& s, std::string_view path_template) noexcept;
const Object* find_object(const Schema& s, std::string_view path_template) noexcept;

// One platform-bound value, through its object's read or write function.
// get_value: InternalError for a parameter the platform does not provide
// (runtime- and count-bound ones are the engine's).  set_value checks the
// value against the parameter's type and facets before the platform sees it.
// What the platform throws passes through (a caller outside the engine).
Fault get_value(const Schema& s, const Param& p, Context& ctx, const Instance& in, std::string& out);
Fault set_value(const Schema& s, const Param& p, Context& ctx, const Instance& in,
                std::string_view value);

// The regular expressions of the model's patterns, compiled once (the
// patterns are the tables' string constants, so their address is the key).
class PatternCache {
public:
    // Whether `value` matches one of `patterns` (a pattern std::regex cannot
    // compile is not enforced rather than refusing every value).
    bool matches(std::span<const std::string_view> patterns, std::string_view value);

private:
    std::unordered_map<const char*, std::optional<std::regex>> compiled_;
};

// Checks a value in its wire form against a parameter's type and facets:
// Fault::None, or InvalidParameterType / InvalidParameterValue.  Without a
// cache, patterns are compiled for this call.
Fault validate(const Param& p, std::string_view value, PatternCache* cache = nullptr);

}  // namespace cwmp::dm
