// The agent's arithmetic and configuration: TR-069's retry back-off, the
// periodic-inform phase, and cwmpd's configuration file.
#include <doctest/doctest.h>

#include "cwmp/agent/agent.h"
#include "cwmp/agent/config.h"
#include "cwmp/daemon/daemon.h"
#include "cwmp/tasks/events.h"
#include "cwmp/util/survive.h"

#include <stdexcept>

using namespace cwmp::agent;

namespace {
// What parse_config says of a bad configuration ("" when it takes it).
std::string error_of(const char* text) {
    try {
        (void)parse_config(text, "f.conf");
    } catch (const ConfigError& e) {
        return std::string(e.what());
    }
    return std::string();
}
}  // namespace

TEST_CASE("retry back-off follows TR-069 3.2.1.1 with the default m=5, k=2000") {
    // Table 3: retry 1 waits 5-10 s, 2: 10-20 s, ... 10 and later: 2560-5120 s.
    const double expected_min[] = {5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 2560, 2560};
    for (std::uint32_t n = 1; n <= 12; ++n) {
        const RetryWindow w = retry_window(n, 5, 2000);
        CHECK(w.min == doctest::Approx(expected_min[n - 1]));
        CHECK(w.max == doctest::Approx(expected_min[n - 1] * 2));
    }
    // Other settings of CWMPRetryMinimumWaitInterval / CWMPRetryIntervalMultiplier.
    const RetryWindow w = retry_window(3, 30, 1500);
    CHECK(w.min == doctest::Approx(30 * 1.5 * 1.5));
    CHECK(w.max == doctest::Approx(30 * 1.5 * 1.5 * 1.5));
}

TEST_CASE("the retry window in milliseconds never leaves TR-069's window") {
    // m=5, k=2500: retry 1 waits 5-12.5 s, retry 2 12.5-31.25 s (whole seconds rounded up gave 13).
    CHECK(retry_window_ms(retry_window(1, 5, 2500)).min == 5000);
    CHECK(retry_window_ms(retry_window(1, 5, 2500)).max == 12500);
    CHECK(retry_window_ms(retry_window(2, 5, 2500)).min == 12500);
    CHECK(retry_window_ms(retry_window(2, 5, 2500)).max == 31250);
    CHECK(retry_window_ms(retry_window(1, 1, 1500)).max == 1500);
    CHECK(retry_window_ms(retry_window(10, 5, 2000)).min == 2560000);
    CHECK(retry_window_ms(retry_window(10, 5, 2000)).max == 5120000);
    // Rounded inwards whatever the multiplier: never below min, never above max.
    for (std::uint32_t m : {1u, 3u, 5u, 7u, 30u})
        for (std::uint32_t k : {1000u, 1001u, 1100u, 1333u, 2000u, 2500u, 3777u})
            for (std::uint32_t n = 1; n <= 10; ++n) {
                const RetryWindow w = retry_window(n, m, k);
                const RetryWindowMs ms = retry_window_ms(w);
                CAPTURE(m);
                CAPTURE(k);
                CAPTURE(n);
                CHECK(static_cast<double>(ms.min) >= w.min * 1000 - 1e-3);
                CHECK(static_cast<double>(ms.max) <= w.max * 1000 + 1e-3);
                CHECK(ms.min <= ms.max);
                CHECK(ms.max - ms.min >= static_cast<std::int64_t>((w.max - w.min) * 1000) - 1);
            }
}

TEST_CASE("periodic informs keep the phase of PeriodicInformTime") {
    // Phase in the past: the next multiple of the interval after now.
    CHECK(next_periodic(1000, 60, 10, 0) == 1030);
    CHECK(next_periodic(1030, 60, 10, 0) == 1090);  // strictly after now
    // Phase in the future works the same way.
    CHECK(next_periodic(1000, 60, 5000, 0) == 1040);  // 5000 = 20 (mod 60)
    CHECK((next_periodic(1000, 60, 5000, 0) - 5000) % 60 == 0);
    // Unknown time: counted from the anchor (start, or when the settings changed).
    CHECK(next_periodic(1000, 300, std::nullopt, 900) == 1200);
    CHECK(next_periodic(1000, 0, std::nullopt, 900) == INT64_MAX);
}

TEST_CASE("configuration: values, factory defaults, errors naming file and line") {
    const DaemonConfig c = parse_config(
        "# comment\n"
        "acs_url = https://acs.example.net:7548/cwmp\n"
        "acs_username = cpe\n"
        "tls_verify = false\n"
        "log_level = debug\n"
        "startup_delay_max = 30\n"
        "Device.ManagementServer.PeriodicInformInterval = 3600\n",
        "cwmpd.conf");
    CHECK(c.acs.url == "https://acs.example.net:7548/cwmp");
    CHECK(c.acs.username == "cpe");
    CHECK_FALSE(c.acs.verify);
    CHECK(c.log_level == cwmp::util::Level::Debug);
    CHECK(c.startup_delay_max == 30);
    REQUIRE(c.defaults.size() == 1);
    CHECK(c.defaults[0].second == "3600");

    CHECK(error_of("acs_url = http://a/\nbogus = 1\n") == "f.conf:2: bogus: unknown key");
    CHECK(error_of("acs_url = http://a/\nstartup_delay_max = soon\n") == "f.conf:2: startup_delay_max: not a number: soon");
    CHECK(error_of("acs_url http://a/\n") == "f.conf:1: expected key = value");
    CHECK(error_of("log_level = info\n") == "f.conf: acs_url is required");
    CHECK(error_of("acs_url = ftp://a/\n") == "f.conf: acs_url must be an http:// or https:// URL");
}

TEST_CASE("configuration: transfers' concurrency and stall limit, with their defaults and ranges") {
    const DaemonConfig d = parse_config("acs_url = http://a/\n", "f.conf");
    CHECK(d.transfer_max_concurrent == 1);
    CHECK(d.transfer_stall_time == 60);
    CHECK(d.transfer_low_speed_limit == 1);
    const DaemonConfig c = parse_config(
        "acs_url = http://a/\ntransfer_max_concurrent = 4\ntransfer_stall_time = 5\ntransfer_low_speed_limit = 100\n",
        "f.conf");
    CHECK(c.transfer_max_concurrent == 4);
    CHECK(c.transfer_stall_time == 5);
    CHECK(c.transfer_low_speed_limit == 100);
    CHECK(error_of("acs_url = http://a/\ntransfer_max_concurrent = 0\n") ==
          "f.conf:2: transfer_max_concurrent: 0 is out of range (1..16)");
    CHECK(error_of("acs_url = http://a/\ntransfer_max_concurrent = 17\n") ==
          "f.conf:2: transfer_max_concurrent: 17 is out of range (1..16)");
    CHECK(error_of("acs_url = http://a/\ntransfer_stall_time = 1\n") ==
          "f.conf:2: transfer_stall_time: 1 is out of range (2..86400)");
    CHECK(error_of("acs_url = http://a/\ntransfer_low_speed_limit = fast\n") ==
          "f.conf:2: transfer_low_speed_limit: not a number: fast");
}

TEST_CASE("configuration: idle_page_out, with its default, its off value and its range") {
    CHECK(parse_config("acs_url = http://a/\n", "f.conf").idle_page_out == 60);
    CHECK(parse_config("acs_url = http://a/\nidle_page_out = 0\n", "f.conf").idle_page_out == 0);
    CHECK(parse_config("acs_url = http://a/\nidle_page_out = 3600\n", "f.conf").idle_page_out == 3600);
    CHECK(error_of("acs_url = http://a/\nidle_page_out = 86401\n") ==
          "f.conf:2: idle_page_out: 86401 is out of range (0..86400)");
    CHECK(error_of("acs_url = http://a/\nidle_page_out = soon\n") == "f.conf:2: idle_page_out: not a number: soon");
}

TEST_CASE("configuration: board = NAME and the [board] section, verbatim with file and line") {
    const DaemonConfig c = parse_config(
        "acs_url = http://acs/\n"
        "board = example\n"
        "\n"
        "[board]\n"
        "# the board's own keys, not the daemon's\n"
        "greeting = hello = world\n"
        "Device.X = 1\n"
        "log_level = whatever\n",
        "f.conf");
    CHECK(c.board == "example");
    CHECK(c.board_line == 2);
    CHECK(c.log_level == cwmp::util::Level::Info);  // the board's log_level is not the daemon's
    CHECK(c.defaults.empty());
    CHECK(c.board_config.file == "f.conf");
    REQUIRE(c.board_config.entries.size() == 3);
    CHECK(c.board_config.entries[0].key == "greeting");
    CHECK(c.board_config.entries[0].value == "hello = world");
    CHECK(c.board_config.entries[0].line == 6);
    CHECK(c.board_config.entries[1].key == "Device.X");
    CHECK(c.board_config.entries[2].where() == "f.conf:8: log_level");
    // What a board's factory says about an entry names file, line and key.
    CHECK(std::string(cwmp::platform::BoardConfig::unknown(c.board_config.entries[0]).what()) ==
          "f.conf:6: greeting: unknown board key");
    CHECK_THROWS_WITH_AS(cwmp::platform::BoardConfig::unsigned_value(c.board_config.entries[2]),
                         "f.conf:8: log_level: not a number in 0..18446744073709551615: whatever",
                         cwmp::platform::BoardConfigError);

    CHECK(error_of("acs_url = http://a/\n[boards]\n") == "f.conf:2: [boards]: unknown section (only [board])");
    CHECK(error_of("acs_url = http://a/\n[board]\nx = 1\n[board]\n") == "f.conf:4: a second [board] section");
    CHECK(error_of("acs_url = http://a/\nboard =\n") == "f.conf:2: board: a board name is required");
    CHECK(error_of("acs_url = http://a/\nsim_extra_channels = 3\n") == "f.conf:2: sim_extra_channels: unknown key");
}

// The event rule table (TR-069 3.7.1.5 Tables 7 and 8): what accumulates,
// what completes an event, what a reboot discards.
TEST_CASE("configuration: model defaults name paths below the profile's root object") {
    const DaemonConfig c = parse_config(
        "acs_url = http://a/\n"
        "Device.ManagementServer.PeriodicInformInterval = 3600\n"
        "InternetGatewayDevice.ManagementServer.PeriodicInformInterval = 60\n",
        "f.conf");
    REQUIRE(c.defaults.size() == 2);  // dotted keys: the model's, checked against the profile
    cwmp::dm::Schema schema{"p", "Device:2.19", {}, {}};
    schema.paths.root = "Device.";
    const cwmp::daemon::BuiltBoard boards[] = {{"b", "p", schema, nullptr}};
    CHECK_THROWS_WITH_AS(cwmp::daemon::choose_board(boards, c),
                         "f.conf: InternetGatewayDevice.ManagementServer.PeriodicInformInterval: not a path of "
                         "profile p's model (root object Device.)",
                         ConfigError);
    DaemonConfig ok = c;
    ok.defaults.pop_back();
    CHECK(&cwmp::daemon::choose_board(boards, ok) == &boards[0]);
    // Tables without the runtime's paths (dmgen generate --tables-only) cannot be served.
    const cwmp::dm::Schema tables{"t", "Gadget:1.0", {}, {}};
    const cwmp::daemon::BuiltBoard bare[] = {{"b", "t", tables, nullptr}};
    CHECK_THROWS_AS(cwmp::daemon::choose_board(bare, ok), ConfigError);
}

using cwmp::tasks::CompletedBy;
using cwmp::tasks::event_rule;

TEST_CASE("every event the agent raises has its row") {
    CHECK(event_rule("6 CONNECTION REQUEST").completed_by == CompletedBy::InformResponse);
    CHECK(event_rule("6 CONNECTION REQUEST").discarded_on_reboot);  // not by a failed session
    CHECK_FALSE(event_rule("0 BOOTSTRAP").discarded_on_reboot);
    CHECK(event_rule("1 BOOT").discarded_on_reboot);
    CHECK(event_rule("7 TRANSFER COMPLETE").completed_by == CompletedBy::TransferCompleteResponse);
    CHECK(event_rule("M Download").completed_by == CompletedBy::TransferCompleteResponse);
    CHECK(event_rule("M Download").multiple);
    CHECK(event_rule("9 REQUEST DOWNLOAD").completed_by == CompletedBy::RequestDownloadResponse);
    CHECK_FALSE(event_rule("9 REQUEST DOWNLOAD").multiple);
    CHECK(event_rule("10 AUTONOMOUS TRANSFER COMPLETE").completed_by ==
          CompletedBy::AutonomousTransferCompleteResponse);
}

TEST_CASE("only M Reboot says a reboot happened: a start that finds it pending is a boot") {
    CHECK(event_rule("M Reboot").raised_by_reboot);
    // The codes a pending one of which must not turn a restart of cwmpd into a boot.
    for (const char* code : {"0 BOOTSTRAP", "1 BOOT", "2 PERIODIC", "3 SCHEDULED", "4 VALUE CHANGE",
                             "6 CONNECTION REQUEST", "7 TRANSFER COMPLETE", "8 DIAGNOSTICS COMPLETE",
                             "9 REQUEST DOWNLOAD", "10 AUTONOMOUS TRANSFER COMPLETE", "M ScheduleInform",
                             "M Download", "M ScheduleDownload", "M Upload", "X 00256D Vendor"})
        CHECK_MESSAGE(!event_rule(code).raised_by_reboot, code);
}

TEST_CASE("codes the table does not name: numbered ones Single, others Multiple, kept, completed by the Inform") {
    CHECK_FALSE(event_rule("13 WAKEUP").multiple);
    CHECK(event_rule("X 00005E Alarm").multiple);
    CHECK(event_rule("X 00005E Alarm").completed_by == CompletedBy::InformResponse);
    CHECK_FALSE(event_rule("X 00005E Alarm").discarded_on_reboot);
    CHECK(event_rule("").multiple);
}

TEST_CASE("survive: an entry point that throws is logged and goes no further") {
    const cwmp::util::Log log(cwmp::util::Log::Sink::None);
    int ran = 0;
    CHECK(cwmp::util::survive(log, "a step", [&] { ++ran; }));
    CHECK_FALSE(cwmp::util::survive(log, "a step", [&] {
        ++ran;
        throw std::out_of_range("basic_string::substr");
    }));
    CHECK_FALSE(cwmp::util::survive(log, "a step", [] { throw 42; }));  // not even a std::exception
    CHECK(ran == 2);
}
