// No discarded outcome: the agent's own reads and writes of the model (dm::Own)
// log a failure with the path and the cause once, not once per poll, and again
// after a success; a value the agent needs at start that the model cannot
// take is a startup error naming the path (dm::require_default/require_value,
// Agent::start); an event the full queue refuses is logged.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <span>
#include <string>

#include "cwmp/agent/agent.h"
#include "cwmp/dm/own.h"
#include "cwmp/util/log.h"
#include "failing_store.h"
#include "sim_agent.h"
#include "support.h"

using cwmp::dm::Own;
using cwmp::dm::StartupError;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

struct World : test::SimAgent {
    World() : SimAgent(kNow, kNow, "cwmp-own") {}
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
long lines(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

}  // namespace

TEST_CASE("a write the store refuses is logged with the path and the cause once, and again after a success") {
    World w;
    w.engine.set_log(&w.log);  // as in cwmpd: the engine does not log the agent's own writes a second time
    Own own(w.engine, w.log);
    const std::string url = std::string(w.engine.schema().paths.management_server.url);
    test::fail_writes(w.dir.file());
    bool stored = true;
    std::string printed = test::stderr_of([&] { stored = own.set(url, "http://a/"); });
    CHECK_FALSE(stored);
    CHECK_MESSAGE(has(printed, url), printed);
    CHECK_MESSAGE(has(printed, test::kNoSpace), printed);
    CHECK_MESSAGE(lines(printed) == 1, printed);
    // The same failure at the next poll adds nothing.
    printed = test::stderr_of([&] { stored = own.set(url, "http://b/"); });
    CHECK_FALSE(stored);
    CHECK_MESSAGE(printed.empty(), printed);
    // A success, then the same failure again: logged again.
    test::free_space(w.dir.file());
    CHECK(test::stderr_of([&] { stored = own.set(url, "http://c/"); }).empty());
    CHECK(stored);
    CHECK(own.text(url) == "http://c/");
    test::fail_writes(w.dir.file());
    printed = test::stderr_of([&] { stored = own.set(url, "http://d/"); });
    CHECK_FALSE(stored);
    CHECK_MESSAGE(has(printed, url), printed);
    CHECK(own.text(url) == "http://c/");  // the failed write changed nothing
}

TEST_CASE("a read of a path the model lacks is logged once, naming it; an optional feature's empty path is silent") {
    World w;
    Own own(w.engine, w.log);
    std::string v = "kept";
    std::string printed = test::stderr_of([&] { CHECK_FALSE(own.read("Device.ManagementServer.NoSuchThing", v)); });
    CHECK(v == "kept");  // left as it was
    CHECK_MESSAGE(has(printed, "Device.ManagementServer.NoSuchThing"), printed);
    CHECK_MESSAGE(lines(printed) == 1, printed);
    CHECK(test::stderr_of([&] { CHECK_FALSE(own.read("Device.ManagementServer.NoSuchThing", v)); }).empty());
    CHECK(test::stderr_of([&] { CHECK_FALSE(own.set("", "x")); }).empty());
}

TEST_CASE("a default or value the agent needs at start and the model cannot take: a StartupError naming the path") {
    World w;
    const auto& ms = w.engine.schema().paths.management_server;
    // Not the engine's to store (the board's), and a value its facets refuse.
    const std::string manufacturer(w.engine.schema().paths.device_info.manufacturer);
    auto error_of = [](auto&& f) {
        try {
            f();
        } catch (const StartupError& e) {
            return std::string(e.what());
        }
        return std::string("no StartupError");
    };
    std::string what = error_of([&] { cwmp::dm::require_value(w.engine, manufacturer, "x"); });
    CHECK_MESSAGE(has(what, manufacturer + " (needed to start)"), what);
    const std::string interval(ms.periodic_inform_interval);
    what = error_of([&] { cwmp::dm::require_default(w.engine, interval, "soon"); });
    CHECK_MESSAGE(has(what, interval + " (needed to start)"), what);
    CHECK_NOTHROW(cwmp::dm::require_default(w.engine, "", "x"));  // a feature the profile lacks
    CHECK_NOTHROW(cwmp::dm::require_default(w.engine, interval, "600"));
}

TEST_CASE("Agent::start over a store that refuses writes: a StartupError naming a ManagementServer path and the cause") {
    World w;
    cwmp::util::Log quiet(cwmp::util::Log::Sink::None);
    cwmp::agent::AgentOptions options;
    options.http.url = "http://127.0.0.1:9/acs";  // never contacted: start() only
    cwmp::agent::Agent agent(w.engine, w.tasks, w.cpe, w.store, w.board, quiet, [&] { return w.t; }, options, 1);
    test::fail_writes(w.dir.file());
    std::string what;
    try {
        agent.start();
    } catch (const StartupError& e) {
        what = e.what();
    }
    CHECK_MESSAGE(has(what, "Device.ManagementServer."), what);
    CHECK_MESSAGE(has(what, "needed to start"), what);
    CHECK_MESSAGE(has(what, test::kNoSpace), what);
}

TEST_CASE("a transfer's event the full queue cannot take is logged") {
    World w;
    for (std::size_t i = 0; i < cwmp::tasks::Tasks::kMaxEvents; ++i) {
        // Single-type events only, so that none can be displaced: vendor codes
        // are Multiple, so use distinct numbered codes the table lacks (Single).
        REQUIRE(w.tasks.add_event({std::to_string(100 + i) + " TEST", "", 0}));
    }
    cwmp::tasks::Transfer t;
    t.kind = cwmp::tasks::Transfer::Kind::Download;
    t.command_key = "dl-1";
    t.id = w.tasks.queue(t);
    REQUIRE(t.id != 0);
    const cwmp::tasks::Event done{"7 TRANSFER COMPLETE", "", 0};
    const std::string printed = test::stderr_of([&] { CHECK(w.tasks.update(t, std::span(&done, 1))); });
    CHECK_MESSAGE(has(printed, "7 TRANSFER COMPLETE"), printed);
    CHECK_MESSAGE(has(printed, "not queued"), printed);
}
