// The agent's arithmetic and configuration: TR-069's retry back-off, the
// periodic-inform phase, and cwmpd's configuration file.
#include <doctest/doctest.h>

#include "cwmp/agent/agent.h"
#include "cwmp/agent/config.h"

using namespace cwmp::agent;

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

    auto error_of = [](const char* text) {
        try {
            (void)parse_config(text, "f.conf");
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error_of("acs_url = http://a/\nbogus = 1\n") == "f.conf:2: bogus: unknown key");
    CHECK(error_of("acs_url = http://a/\nstartup_delay_max = soon\n") == "f.conf:2: startup_delay_max: not a number: soon");
    CHECK(error_of("acs_url http://a/\n") == "f.conf:1: expected key = value");
    CHECK(error_of("log_level = info\n") == "f.conf: acs_url is required");
    CHECK(error_of("acs_url = ftp://a/\n") == "f.conf: acs_url must be an http:// or https:// URL");
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

    auto error_of = [](const char* text) {
        try {
            (void)parse_config(text, "f.conf");
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error_of("acs_url = http://a/\n[boards]\n") == "f.conf:2: [boards]: unknown section (only [board])");
    CHECK(error_of("acs_url = http://a/\n[board]\nx = 1\n[board]\n") == "f.conf:4: a second [board] section");
    CHECK(error_of("acs_url = http://a/\nboard =\n") == "f.conf:2: board: a board name is required");
    CHECK(error_of("acs_url = http://a/\nsim_extra_channels = 3\n") == "f.conf:2: sim_extra_channels: unknown key");
}
