// The agent's ManagementServer settings as typed values, read in one go
// (issue 12: the agent reads a typed ManagementServer, not paths and
// strings).  Which parameters, and the type each is read as, come from the
// generator's list (generator/dmlib/runtime_paths.py, SETTINGS): the block
// between the markers is what `generator/dmgen runtime-paths` prints, a
// generator test compares them, and `generator/dmgen runtime-paths --into`
// this file rewrites it.  Every profile's generation checks that its model
// gives each parameter that type, and fails naming it otherwise.
#pragma once

#include <cstdint>
#include <string>

#include "cwmp/dm/schema.h"
#include "cwmp/dm/types.h"

namespace cwmp::util {
class Log;
}

namespace cwmp::dm {
class Own;
}

namespace cwmp::agent {

// BEGIN ManagementServerSettings
struct ManagementServerSettings {
    std::string url;  // ManagementServer.URL
    std::string username;  // ManagementServer.Username
    std::string password;  // ManagementServer.Password
    bool periodic_inform_enable = false;  // ManagementServer.PeriodicInformEnable
    std::uint32_t periodic_inform_interval = 0;  // ManagementServer.PeriodicInformInterval
    dm::DateTime periodic_inform_time = {};  // ManagementServer.PeriodicInformTime
    std::uint32_t cwmp_retry_minimum_wait_interval = 0;  // ManagementServer.CWMPRetryMinimumWaitInterval
    std::uint32_t cwmp_retry_interval_multiplier = 0;  // ManagementServer.CWMPRetryIntervalMultiplier
    std::uint32_t default_active_notification_throttle = 0;  // ManagementServer.DefaultActiveNotificationThrottle
    bool heartbeat_policy_enable = false;  // ManagementServer.HeartbeatPolicy.Enable
    std::uint32_t heartbeat_policy_reporting_interval = 0;  // ManagementServer.HeartbeatPolicy.ReportingInterval
    dm::DateTime heartbeat_policy_initiation_time = {};  // ManagementServer.HeartbeatPolicy.InitiationTime
    std::string connection_request_username;  // ManagementServer.ConnectionRequestUsername
    std::string connection_request_password;  // ManagementServer.ConnectionRequestPassword
    bool http_connection_request_enable = true;  // ManagementServer.HTTPConnectionRequestEnable
    std::string lightweight_notification_protocols_used;  // ManagementServer.LightweightNotificationProtocolsUsed
    std::uint32_t lightweight_notification_trigger_interval = 0;  // ManagementServer.LightweightNotificationTriggerInterval
    dm::DateTime lightweight_notification_trigger_time = {};  // ManagementServer.LightweightNotificationTriggerTime
    std::string udp_lightweight_notification_host;  // ManagementServer.UDPLightweightNotificationHost
    std::uint32_t udp_lightweight_notification_port = 0;  // ManagementServer.UDPLightweightNotificationPort
};

// `visit(path, member)` for each member, with its path in the profile ("" where it
// lacks an optional one).
template <class Visit>
void each_setting(const dm::ModelPaths::ManagementServer& paths, ManagementServerSettings& s, Visit&& visit) {
    visit(paths.url, s.url);
    visit(paths.username, s.username);
    visit(paths.password, s.password);
    visit(paths.periodic_inform_enable, s.periodic_inform_enable);
    visit(paths.periodic_inform_interval, s.periodic_inform_interval);
    visit(paths.periodic_inform_time, s.periodic_inform_time);
    visit(paths.cwmp_retry_minimum_wait_interval, s.cwmp_retry_minimum_wait_interval);
    visit(paths.cwmp_retry_interval_multiplier, s.cwmp_retry_interval_multiplier);
    visit(paths.default_active_notification_throttle, s.default_active_notification_throttle);
    visit(paths.heartbeat_policy.enable, s.heartbeat_policy_enable);
    visit(paths.heartbeat_policy.reporting_interval, s.heartbeat_policy_reporting_interval);
    visit(paths.heartbeat_policy.initiation_time, s.heartbeat_policy_initiation_time);
    visit(paths.connection_request_username, s.connection_request_username);
    visit(paths.connection_request_password, s.connection_request_password);
    visit(paths.http_connection_request_enable, s.http_connection_request_enable);
    visit(paths.lightweight_notification_protocols_used, s.lightweight_notification_protocols_used);
    visit(paths.lightweight_notification_trigger_interval, s.lightweight_notification_trigger_interval);
    visit(paths.lightweight_notification_trigger_time, s.lightweight_notification_trigger_time);
    visit(paths.udp_lightweight_notification_host, s.udp_lightweight_notification_host);
    visit(paths.udp_lightweight_notification_port, s.udp_lightweight_notification_port);
}
// END ManagementServerSettings

// Every setting the profile has, in one Engine::get_values (a hidden one,
// which that shows as "", by its own read), parsed into its member.  A
// member whose value cannot be read (logged by `own`) or parsed (logged
// here), or whose path the profile lacks, keeps what it held: the caller's
// fallback.
void read_settings(dm::Own& own, const util::Log& log, const dm::ModelPaths::ManagementServer& paths,
                   ManagementServerSettings& settings);

}  // namespace cwmp::agent
