// What a start of the agent reports (TR-069 Table 7, "1 BOOT: the CPE was
// powered on or reset"): a boot of the device, told by the board's boot id,
// reports BOOT and drops what a reboot discards; a restart of cwmpd alone
// within the same boot keeps every pending event and reports no BOOT.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cwmp/agent/agent.h"
#include "cwmp/dm/own.h"
#include "cwmp/util/log.h"
#include "sim_world.h"
#include "support.h"

using cwmp::tasks::Event;

namespace {

constexpr std::int64_t kNow = 1700000000;
const std::string kAcs = "http://127.0.0.1:9/acs";  // nothing listens: a session there fails at once

// The board the agent asks for the boot id: a test double saying what the
// test sets (the engine answers from the simulated box).
struct BootBoard : cwmp::platform::Board {
    std::string id;
    std::string boot_id() const override { return id; }
};

// One run of cwmpd over the store at `path`: a new engine, queue and agent, started.
struct Run {
    test::SimWorld world;
    BootBoard board;
    cwmp::util::Log log{cwmp::util::Log::Sink::None};
    std::unique_ptr<cwmp::agent::Agent> agent;

    // `defaults`: factory defaults set before the start, as the daemon's configuration does.
    Run(const std::string& path, const std::string& boot_id,
        const std::vector<std::pair<std::string_view, std::string>>& defaults = {})
        : world(kNow, kNow, path) {
        board.id = boot_id;
        for (const auto& [name, value] : defaults) cwmp::dm::require_default(world.engine, name, value);
        cwmp::agent::AgentOptions options;
        options.http.url = kAcs;
        agent = std::make_unique<cwmp::agent::Agent>(world.engine, world.tasks, world.cpe, world.store, board, log,
                                                     [this] { return world.t; }, options, 1);
        agent->start();
    }

    std::vector<std::string> events() const {
        std::vector<std::string> out;
        for (const Event& e : world.tasks.events())
            out.push_back(e.code + (e.command_key.empty() ? "" : " " + e.command_key));
        return out;
    }
    // The ACS acknowledged the Inform that carried `codes`.
    void deliver(const std::vector<std::string>& codes) {
        std::vector<Event> done;
        for (const Event& e : world.tasks.events())
            for (const std::string& c : codes)
                if (e.code == c) done.push_back(e);
        world.tasks.clear_events(done);
    }
};

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("agent start: BOOT after a boot of the device, none after a restart of cwmpd within the boot") {
    test::TempDir dir("cwmp-agent-boot");
    const std::string store = dir.file();
    {
        Run first(store, "boot-a");
        CHECK(first.events() == Codes{"0 BOOTSTRAP", "1 BOOT"});
        CHECK(first.agent->status().session_wanted);
        first.deliver({"1 BOOT"});
        first.world.tasks.add_event({"6 CONNECTION REQUEST", "", 0});  // not delivered yet
    }
    {
        Run restart(store, "boot-a");  // cwmpd restarted within the boot: the pending events are kept
        CHECK(restart.events() == Codes{"0 BOOTSTRAP", "6 CONNECTION REQUEST"});
        CHECK(restart.agent->status().session_wanted);  // there are events to deliver
    }
    {
        Run reboot(store, "boot-b");  // the host booted: BOOT, and the connection request is moot
        CHECK(reboot.events() == Codes{"0 BOOTSTRAP", "1 BOOT"});
        reboot.deliver({"1 BOOT"});
    }
    {
        // The ACS asked for a Reboot and cwmpd carried it out (the request
        // cleared, "M Reboot" waiting for the Inform), but the board's id did
        // not change (its reboot command did nothing): a boot all the same.
        Run asked(store, "boot-b");
        CHECK(asked.events() == Codes{"0 BOOTSTRAP"});
        asked.world.tasks.request_reboot("rb-1");
        asked.world.tasks.clear_reboot();
    }
    {
        Run rebooted(store, "boot-b");
        CHECK(rebooted.events() == Codes{"0 BOOTSTRAP", "M Reboot rb-1", "1 BOOT"});
        rebooted.deliver({"1 BOOT", "M Reboot"});
    }
    {
        // A download installed, cwmpd exited for the reboot that finishes it:
        // a boot, with its TransferComplete events.
        Run installing(store, "boot-b");
        cwmp::tasks::Transfer t;
        t.command_key = "fw-1";
        t.file_type = "1 Firmware Upgrade Image";
        t.url = "http://127.0.0.1:9/fw.bin";
        t.requested_at = kNow;
        t.phase = cwmp::tasks::Transfer::Phase::Installed;
        t.state = cwmp::tasks::TransferState::InProgress;
        REQUIRE(installing.world.tasks.queue(t) != 0);
    }
    {
        Run installed(store, "boot-b");
        const Codes got = installed.events();
        CHECK(std::count(got.begin(), got.end(), "1 BOOT") == 1);
        CHECK(std::count(got.begin(), got.end(), "M Download fw-1") == 1);
    }
}

TEST_CASE("agent start: within the same boot with nothing pending, no session opens at start") {
    test::TempDir dir("cwmp-agent-boot");
    const std::string store = dir.file();
    {
        Run first(store, "boot-a");
        first.deliver({"0 BOOTSTRAP", "1 BOOT"});
        // What the ACS's acknowledgement of the BOOTSTRAP leaves (Agent::delivered).
        cwmp::store::Store::Batch b;
        b.put("agent", "bootstrap-url", kAcs);
        first.world.store.commit(b);
    }
    Run restart(store, "boot-a");
    CHECK(restart.events().empty());
    CHECK_FALSE(restart.agent->status().session_wanted);  // the periodic schedule goes on as usual
}

TEST_CASE("agent start: a board without a boot id boots at every start, dropping what a reboot discards") {
    test::TempDir dir("cwmp-agent-boot");
    const std::string store = dir.file();
    {
        Run first(store, "");
        CHECK(first.events() == Codes{"0 BOOTSTRAP", "1 BOOT"});
        first.deliver({"1 BOOT"});
        first.world.tasks.add_event({"6 CONNECTION REQUEST", "", 0});
    }
    Run second(store, "");
    CHECK(second.events() == Codes{"0 BOOTSTRAP", "1 BOOT"});
}

TEST_CASE("agent start: a store without the boot id (new, or wiped by a factory reset) is a boot") {
    test::TempDir dir("cwmp-agent-boot");
    const std::string store = dir.file();
    {
        Run first(store, "boot-a");
        first.deliver({"1 BOOT"});
        first.world.tasks.add_event({"6 CONNECTION REQUEST", "", 0});
        // What the daemon's factory reset erases of the agent's space.
        cwmp::store::Store::Batch b;
        b.erase("agent", "boot-id");
        first.world.store.commit(b);
    }
    Run reset(store, "boot-a");
    CHECK(reset.events() == Codes{"0 BOOTSTRAP", "1 BOOT"});
}

TEST_CASE("agent step: the PERIODIC held for a session that fails is in the store once the step is over") {
    test::TempDir dir("cwmp-agent-boot");
    const std::string store = dir.file();
    {
        test::SimWorld probe(kNow, kNow, ":memory:");
        const auto& ms = probe.engine.schema().paths.management_server;
        const std::vector<std::pair<std::string_view, std::string>> periodic{
            {ms.periodic_inform_enable, "true"}, {ms.periodic_inform_interval, "1"}};
        Run first(store, "boot-a", periodic);
        first.deliver({"0 BOOTSTRAP", "1 BOOT"});
        first.world.t = kNow + 1;  // the periodic Inform is due; its session fails (nothing listens at kAcs)
        first.agent->step();
        CHECK(first.agent->retry_count() == 1);
        CHECK(first.events() == Codes{"2 PERIODIC"});
    }
    // cwmpd restarted within the boot: the PERIODIC was written (the
    // BOOTSTRAP is back: the test's deliver() did not note the ACS's URL).
    Run restart(store, "boot-a");
    CHECK(restart.events() == Codes{"2 PERIODIC", "0 BOOTSTRAP"});
}
