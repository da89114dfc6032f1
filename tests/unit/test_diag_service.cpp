// diag::Service over the rdk-stb tables: TR-181's DiagnosticsState rules with
// tests the unit test controls (a test that blocks until stopped, one that
// answers at once), the worker threads, the descriptor, one results write.
#include <doctest/doctest.h>

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "cwmp/diag/service.h"
#include "cwmp/dm/schema.h"
#include "cwmp/util/log.h"
#include "sim_agent.h"

using namespace cwmp;
using namespace std::chrono_literals;

namespace {

const std::string kPing = "Device.IP.Diagnostics.IPPing.";
const std::string kTrace = "Device.IP.Diagnostics.TraceRoute.";

struct Probe {
    std::atomic<int> started{0}, stopped{0};
};

std::string input(const diag::Params& p, const std::string& name) {
    const auto it = p.values.find(name);
    return it == p.values.end() ? std::string() : it->second;
}

// IPPing whose test answers SuccessCount = NumberOfRepetitions, or, for Host
// "block", waits until stopped.  TraceRoute's fills RouteHops with Host rows.
// (Inputs and results by full path, as the service hands and takes them.)
std::vector<diag::Diagnostic> fakes(Probe& probe) {
    diag::Diagnostic ping;
    ping.object = kPing;
    ping.state = kPing + "DiagnosticsState";
    ping.interface = kPing + "Interface";
    ping.test = [&probe](const diag::Params& p, std::stop_token stop) {
        ++probe.started;
        if (input(p, kPing + "Host") == "block") {
            while (!stop.stop_requested()) std::this_thread::sleep_for(5ms);
            ++probe.stopped;
            return diag::Output::error("Error_Other");
        }
        diag::Output o;
        o.set(kPing + "SuccessCount", input(p, kPing + "NumberOfRepetitions"));
        o.set(kPing + "IPAddressUsed", input(p, kPing + "Host"));
        return o;
    };
    diag::Diagnostic trace;
    trace.object = kTrace;
    trace.state = kTrace + "DiagnosticsState";
    trace.interface = kTrace + "Interface";
    trace.result_tables = {kTrace + "RouteHops.{i}."};
    trace.test = [](const diag::Params& p, std::stop_token) {
        diag::Output o;
        const std::uint32_t n = static_cast<std::uint32_t>(std::stoul(input(p, kTrace + "MaxHopCount")));
        for (std::uint32_t i = 1; i <= n; ++i)
            o.set(kTrace + "RouteHops." + std::to_string(i) + ".Host", "hop" + std::to_string(i));
        o.tables.emplace_back(kTrace + "RouteHops.", n);
        return o;
    };
    return {ping, trace};
}

dm::Outcome set(dm::Engine& e, std::vector<dm::Engine::NameValue> v) { return e.set_values(v, "k"); }

std::string get(dm::Engine& e, const std::string& name) {
    std::string v;
    REQUIRE(e.get_value(name, v));
    return v;
}

// Waits for the service's descriptor, then collects.
unsigned finish(diag::Service& s) {
    pollfd p{s.fd(), POLLIN, 0};
    REQUIRE(::poll(&p, 1, 5000) == 1);
    return s.collect();
}

}  // namespace

TEST_CASE("diagnostics: Requested runs on a worker after start_requested, results written with the state") {
    test::SimAgent a(1000, 1000, "cwmp-diag");
    const util::Log log(util::Log::Sink::None);
    Probe probe;
    diag::Service s(a.engine, log, fakes(probe));
    s.start();
    CHECK(get(a.engine, kPing + "DiagnosticsState") == "None");
    REQUIRE(set(a.engine, {{kPing + "Host", "h1", ""}, {kPing + "NumberOfRepetitions", "4", ""},
                           {kPing + "DiagnosticsState", "Requested", ""}}));
    CHECK(s.busy());
    CHECK(probe.started == 0);  // not during the session
    s.start_requested();
    CHECK(finish(s) == 1);
    CHECK(get(a.engine, kPing + "DiagnosticsState") == "Complete");
    CHECK(get(a.engine, kPing + "SuccessCount") == "4");
    CHECK(get(a.engine, kPing + "IPAddressUsed") == "h1");
    CHECK_FALSE(s.busy());
}

TEST_CASE("diagnostics: only Requested and Canceled are writable; an unknown Interface is 9007") {
    test::SimAgent a(1000, 1000, "cwmp-diag");
    const util::Log log(util::Log::Sink::None);
    Probe probe;
    diag::Service s(a.engine, log, fakes(probe));
    s.start();
    for (const char* v : {"None", "Complete", "Error_Internal"}) {
        const dm::Outcome r = set(a.engine, {{kPing + "DiagnosticsState", v, ""}});
        REQUIRE(r.details.size() == 1);
        CHECK(r.details[0].code == Fault::InvalidParameterValue);
    }
    const dm::Outcome r = set(a.engine, {{kPing + "Interface", "Device.IP.Interface.77", ""}});
    REQUIRE(r.details.size() == 1);
    CHECK(r.details[0].code == Fault::InvalidParameterValue);
    CHECK(set(a.engine, {{kPing + "Interface", "Device.IP.Interface.1", ""}}));
}

TEST_CASE("diagnostics: a changed input or Canceled stops a running test, back to None, nothing reported") {
    test::SimAgent a(1000, 1000, "cwmp-diag");
    const util::Log log(util::Log::Sink::None);
    Probe probe;
    diag::Service s(a.engine, log, fakes(probe));
    s.start();
    for (const std::vector<dm::Engine::NameValue>& cancel :
         {std::vector<dm::Engine::NameValue>{{kPing + "Timeout", "900", ""}},
          std::vector<dm::Engine::NameValue>{{kPing + "DiagnosticsState", "Canceled", ""}}}) {
        const int before = probe.stopped;
        REQUIRE(set(a.engine, {{kPing + "Host", "block", ""}, {kPing + "DiagnosticsState", "Requested", ""}}));
        s.start_requested();
        while (probe.started == probe.stopped) std::this_thread::sleep_for(1ms);
        REQUIRE(set(a.engine, cancel));
        CHECK(get(a.engine, kPing + "DiagnosticsState") == "None");
        CHECK_FALSE(s.busy());
        while (probe.stopped == before) std::this_thread::sleep_for(1ms);  // the thread saw its stop
        std::this_thread::sleep_for(20ms);
        CHECK(s.collect() == 0);
        CHECK(get(a.engine, kPing + "DiagnosticsState") == "None");
    }
}

TEST_CASE("diagnostics: Requested again while running: the latest wins, one completion") {
    test::SimAgent a(1000, 1000, "cwmp-diag");
    const util::Log log(util::Log::Sink::None);
    Probe probe;
    diag::Service s(a.engine, log, fakes(probe));
    s.start();
    REQUIRE(set(a.engine, {{kPing + "Host", "block", ""}, {kPing + "DiagnosticsState", "Requested", ""}}));
    s.start_requested();
    while (probe.started == 0) std::this_thread::sleep_for(1ms);
    REQUIRE(set(a.engine, {{kPing + "Host", "h2", ""}, {kPing + "NumberOfRepetitions", "2", ""},
                           {kPing + "DiagnosticsState", "Requested", ""}}));
    CHECK(get(a.engine, kPing + "DiagnosticsState") == "Requested");
    s.start_requested();
    unsigned completed = finish(s);
    while (s.busy()) completed += finish(s);
    CHECK(completed == 1);
    CHECK(get(a.engine, kPing + "IPAddressUsed") == "h2");
    CHECK(get(a.engine, kPing + "SuccessCount") == "2");
    // The first run was stopped (its thread notices within its 5 ms sleep), not completed.
    for (int i = 0; i < 400 && probe.stopped == 0; ++i) std::this_thread::sleep_for(5ms);
    CHECK(probe.stopped == 1);
    CHECK(s.collect() == 0);
}

TEST_CASE("diagnostics: a result table is emptied and refilled by each run") {
    test::SimAgent a(1000, 1000, "cwmp-diag");
    const util::Log log(util::Log::Sink::None);
    Probe probe;
    diag::Service s(a.engine, log, fakes(probe));
    s.start();
    for (const char* hops : {"3", "1"}) {
        REQUIRE(set(a.engine, {{kTrace + "Host", "x", ""}, {kTrace + "MaxHopCount", hops, ""},
                               {kTrace + "DiagnosticsState", "Requested", ""}}));
        s.start_requested();
        CHECK(finish(s) == 1);
        CHECK(get(a.engine, kTrace + "RouteHopsNumberOfEntries") == hops);
        CHECK(get(a.engine, kTrace + "RouteHops.1.Host") == "hop1");
    }
    std::string gone;
    CHECK_FALSE(a.engine.get_value(kTrace + "RouteHops.2.Host", gone));
}

TEST_CASE("diagnostics: a state the model's enumeration lacks is written as the first fallback it has") {
    // rdk-stb's UDPEchoDiagnostics has no Error_NoRouteToHost; its fallbacks
    // (diag/fields.h, from the generator) are Error_InitConnectionFailed, which
    // it lacks too, then Error_Other.
    const std::string echo = "Device.IP.Diagnostics.UDPEchoDiagnostics.";
    test::SimAgent a(1000, 1000, "cwmp-diag");
    const util::Log log(util::Log::Sink::None);
    diag::Diagnostic d;
    d.object = echo;
    d.state = echo + "DiagnosticsState";
    d.test = [](const diag::Params&, std::stop_token) { return diag::Output::error("Error_NoRouteToHost"); };
    diag::Service s(a.engine, log, {d});
    s.start();
    REQUIRE(set(a.engine, {{echo + "Host", "x", ""}, {echo + "DiagnosticsState", "Requested", ""}}));
    s.start_requested();
    CHECK(finish(s) == 1);
    CHECK(get(a.engine, echo + "DiagnosticsState") == "Error_Other");
}

TEST_CASE("diagnostics: the service's end stops a running test at once; a restart resets Requested to None") {
    test::SimAgent a(1000, 1000, "cwmp-diag");
    const util::Log log(util::Log::Sink::None);
    Probe probe;
    {
        diag::Service s(a.engine, log, fakes(probe));
        s.start();
        REQUIRE(set(a.engine, {{kPing + "Host", "block", ""}, {kPing + "DiagnosticsState", "Requested", ""}}));
        s.start_requested();
        while (probe.started == 0) std::this_thread::sleep_for(1ms);
        const auto t0 = std::chrono::steady_clock::now();
        // s ends here
        struct Timer {
            std::chrono::steady_clock::time_point t0;
            ~Timer() { CHECK(std::chrono::steady_clock::now() - t0 < 500ms); }
        } timer{t0};
        (void)timer;
    }
    CHECK(probe.stopped == 1);
    CHECK(get(a.engine, kPing + "DiagnosticsState") == "Requested");  // as a kill -9 would leave it
    diag::Service again(a.engine, log, fakes(probe));
    again.start();
    CHECK(get(a.engine, kPing + "DiagnosticsState") == "None");
    CHECK_FALSE(again.busy());
}

TEST_CASE("the standard diagnostics name their inputs, capabilities and result tables by the generator's paths") {
    const dm::Schema& s = gen::schema;
    const std::string_view diagnostics = s.paths.ip.diagnostics.path;
    REQUIRE_FALSE(diagnostics.empty());
    std::size_t named = 0;
    for (const diag::Diagnostic& d : diag::standard_diagnostics(s.paths)) {
        if (d.object.empty()) continue;  // the profile lacks it
        for (const auto& list : {d.defaults, d.capabilities})
            for (const auto& [name, value] : list) {
                REQUIRE_MESSAGE(!name.empty(), d.object, ": rdk-stb has every input and capability");
                CHECK_MESSAGE(dm::find_param(s, name) != nullptr, name);
                CHECK_MESSAGE(name.starts_with(diagnostics), name);
                ++named;
            }
        for (const std::string& row : d.result_tables) CHECK_MESSAGE(dm::find_object(s, row) != nullptr, row);
    }
    CHECK(named > 40);
    // A profile without an input (TR-098's IPPing has no ProtocolVersion): its
    // path is "", which the service skips.
    dm::ModelPaths lacking = s.paths;
    lacking.ip.diagnostics.ip_ping.protocol_version = "";
    const diag::Diagnostic ping = diag::standard_diagnostics(lacking).front();
    CHECK(ping.object == "Device.IP.Diagnostics.IPPing.");
    CHECK(std::count_if(ping.defaults.begin(), ping.defaults.end(), [](const auto& d) { return d.first.empty(); }) == 1);
}
