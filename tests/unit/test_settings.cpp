// The agent's typed ManagementServer (runtime/include/cwmp/agent/settings.h): one read
// parses each setting per the type the generator gave it, a hidden one (the
// Password) by its real value, and a member whose path the profile lacks or
// whose value cannot be read keeps the caller's fallback.
#include <doctest/doctest.h>

#include <string>

#include "cwmp/dm/own.h"
#include "cwmp/agent/settings.h"
#include "sim_agent.h"
#include "support.h"

using cwmp::agent::ManagementServerSettings;
using cwmp::agent::read_settings;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

struct World : test::SimAgent {
    World() : SimAgent(kNow, kNow, "cwmp-settings") {}
    const cwmp::dm::ModelPaths::ManagementServer& ms = engine.schema().paths.management_server;
    void set(std::string_view name, std::string value) { REQUIRE(engine.set_runtime(name, std::move(value))); }
};

}  // namespace

TEST_CASE("the ManagementServer settings read typed, the Password by its real value") {
    World w;
    w.set(w.ms.url, "http://acs.example/cwmp");
    w.set(w.ms.username, "cpe");
    w.set(w.ms.password, "s3cret");
    w.set(w.ms.periodic_inform_enable, "true");
    w.set(w.ms.periodic_inform_interval, "600");
    w.set(w.ms.periodic_inform_time, "2024-01-02T03:04:05Z");
    w.set(w.ms.cwmp_retry_minimum_wait_interval, "7");
    w.set(w.ms.cwmp_retry_interval_multiplier, "3000");
    w.set(w.ms.default_active_notification_throttle, "12");
    w.set(w.ms.heartbeat_policy.enable, "true");
    w.set(w.ms.heartbeat_policy.reporting_interval, "45");
    w.set(w.ms.heartbeat_policy.initiation_time, "0001-01-01T00:00:00Z");
    w.set(w.ms.connection_request_username, "acs");
    w.set(w.ms.connection_request_password, "cr-s3cret");
    w.set(w.ms.http_connection_request_enable, "false");
    w.set(w.ms.lightweight_notification_protocols_used, "UDP");
    w.set(w.ms.lightweight_notification_trigger_interval, "30");
    w.set(w.ms.lightweight_notification_trigger_time, "2024-01-02T03:04:06Z");
    w.set(w.ms.udp_lightweight_notification_host, "lwn.example");
    w.set(w.ms.udp_lightweight_notification_port, "4000");
    // GetParameterValues shows the Password as "": the settings are not that view.
    const std::string password(w.ms.password);
    std::string shown = "unset";
    REQUIRE(w.engine.get_values(std::span(&password, 1),
                                [&](std::string_view, const cwmp::dm::Param&, std::string_view v) { shown = v; }));
    CHECK(shown.empty());

    cwmp::dm::Own own(w.engine, w.log);
    ManagementServerSettings s;
    std::string printed = test::stderr_of([&] { read_settings(own, w.log, w.ms, s); });
    CHECK_MESSAGE(printed.empty(), printed);
    CHECK(s.url == "http://acs.example/cwmp");
    CHECK(s.username == "cpe");
    CHECK(s.password == "s3cret");
    CHECK(s.periodic_inform_enable);
    CHECK(s.periodic_inform_interval == 600u);
    CHECK(s.periodic_inform_time.unix_seconds == 1704164645);
    CHECK(s.cwmp_retry_minimum_wait_interval == 7u);
    CHECK(s.cwmp_retry_interval_multiplier == 3000u);
    CHECK(s.default_active_notification_throttle == 12u);
    CHECK(s.heartbeat_policy_enable);
    CHECK(s.heartbeat_policy_reporting_interval == 45u);
    CHECK(s.heartbeat_policy_initiation_time.unix_seconds == cwmp::dm::DateTime::kUnknown);
    CHECK(s.connection_request_username == "acs");
    CHECK(s.connection_request_password == "cr-s3cret");
    CHECK_FALSE(s.http_connection_request_enable);
    CHECK(s.lightweight_notification_protocols_used == "UDP");
    CHECK(s.lightweight_notification_trigger_interval == 30u);
    CHECK(s.lightweight_notification_trigger_time.unix_seconds == 1704164646);
    CHECK(s.udp_lightweight_notification_host == "lwn.example");
    CHECK(s.udp_lightweight_notification_port == 4000u);
}

TEST_CASE("a profile without HTTPConnectionRequestEnable serves connection requests") {
    World w;
    w.set(w.ms.http_connection_request_enable, "false");
    cwmp::dm::ModelPaths::ManagementServer lacking = w.ms;
    lacking.http_connection_request_enable = "";  // as generated for a profile without it (TR-098's igd)
    cwmp::dm::Own own(w.engine, w.log);
    ManagementServerSettings s;  // the generated starting values: the switch on
    read_settings(own, w.log, lacking, s);
    CHECK(s.http_connection_request_enable);
    ManagementServerSettings with;
    read_settings(own, w.log, w.ms, with);
    CHECK_FALSE(with.http_connection_request_enable);
}

TEST_CASE("a setting the profile lacks keeps the caller's fallback; the others are read") {
    World w;
    w.set(w.ms.periodic_inform_interval, "600");
    w.set(w.ms.cwmp_retry_minimum_wait_interval, "7");
    cwmp::dm::ModelPaths::ManagementServer lacking = w.ms;
    lacking.cwmp_retry_minimum_wait_interval = "";  // as generated for a profile without it
    cwmp::dm::Own own(w.engine, w.log);
    ManagementServerSettings s;
    s.cwmp_retry_minimum_wait_interval = 5;
    s.periodic_inform_interval = 86400;
    read_settings(own, w.log, lacking, s);
    CHECK(s.cwmp_retry_minimum_wait_interval == 5u);
    CHECK(s.periodic_inform_interval == 600u);
}

TEST_CASE("a setting that cannot be read leaves every member as it was, and is logged naming the path") {
    World w;
    w.set(w.ms.periodic_inform_interval, "600");
    cwmp::dm::ModelPaths::ManagementServer wrong = w.ms;
    wrong.username = "Device.ManagementServer.NoSuchThing";
    cwmp::dm::Own own(w.engine, w.log);
    ManagementServerSettings s;
    s.periodic_inform_interval = 86400;
    const std::string printed = test::stderr_of([&] { read_settings(own, w.log, wrong, s); });
    CHECK(s.periodic_inform_interval == 86400u);
    CHECK_MESSAGE(printed.find("Device.ManagementServer.NoSuchThing") != std::string::npos, printed);
}
