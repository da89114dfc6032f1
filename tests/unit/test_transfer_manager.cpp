// The transfer manager on the agent's loop, over the simulated box and a
// scratch store: at most max_concurrent transfers move (the others wait,
// NotStarted); each step is persisted; a finished transfer's report waits
// for the others, but no longer than report_wait; a manager dropped
// mid-transfer leaves it started in the store and no staging file behind.
#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "cwmp/transfer/manager.h"
#include "cwmp/util/log.h"
#include "cwmp/util/loop.h"
#include "sim_agent.h"
#include "slow_server.h"

using cwmp::util::Loop;
using cwmp::tasks::Transfer;
using cwmp::tasks::TransferState;
using cwmp::transfer::Manager;
using cwmp::transfer::ManagerOptions;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kBoot = 1'760'000'000;

struct World : test::SimAgent {
    Loop loop;
    cwmp::util::Log log{cwmp::util::Log::Sink::None};
    std::string staging;

    explicit World(const std::string& stem) : SimAgent(kBoot, kBoot + 60, stem) {
        staging = (dir.path / "staging").string();
        std::filesystem::create_directories(staging);
    }

    ManagerOptions options(std::uint32_t max_concurrent) const {
        ManagerOptions o;
        o.staging_dir = staging;
        o.max_concurrent = max_concurrent;
        return o;
    }

    std::uint64_t queue(const std::string& key, const std::string& url) {
        Transfer t;
        t.kind = Transfer::Kind::Download;
        t.command_key = key;
        t.file_type = "2 Web Content";  // the sim keeps it as it is
        t.url = url;
        t.requested_at = this->t;
        return tasks.queue(t);
    }

    Transfer transfer(const std::string& key) const {
        for (const Transfer& t : tasks.transfers())
            if (t.command_key == key) return t;
        FAIL("no transfer " << key);
        return {};
    }

    // Runs the loop and the manager's steps (as the agent does) until `done` or 20 s.
    template <class F>
    Manager::Step run_until(Manager& m, F done) {
        std::vector<pollfd> fds;
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        Manager::Step last = m.step(t);
        while (!done(last) && std::chrono::steady_clock::now() < deadline) {
            loop.run_once(fds, 200);
            last = m.step(t);
        }
        REQUIRE(done(last));
        return last;
    }
};

std::string body(std::size_t n) {
    std::string b;
    while (b.size() < n) b += "content " + std::to_string(b.size()) + "\n";
    return b;
}

}  // namespace

TEST_CASE("at most max_concurrent transfers move; the rest wait NotStarted and start as one ends") {
    World w("cwmp-manager-limit");
    test::SlowServer slow(body(20000), 1, 40, 50ms);  // ~2 s
    test::SlowServer fast(body(2000), 1, 1, 0ms);
    w.queue("slow", slow.url());
    w.queue("fast", fast.url());
    Manager m(w.tasks, w.engine, w.board, w.log, w.loop, w.options(1));
    Manager::Step s = m.step(w.t);
    CHECK(m.active() == 1);
    CHECK(w.transfer("slow").phase == Transfer::Phase::Started);
    CHECK(w.transfer("slow").state == TransferState::InProgress);
    CHECK(w.transfer("fast").phase == Transfer::Phase::Queued);
    CHECK(w.transfer("fast").state == TransferState::NotStarted);
    CHECK_FALSE(s.completed);
    // The slow one ends, then the fast one runs: one report for both.
    s = w.run_until(m, [](const Manager::Step& x) { return x.completed; });
    CHECK(w.transfer("slow").phase == Transfer::Phase::Done);
    CHECK(w.transfer("fast").phase == Transfer::Phase::Done);
    CHECK(w.transfer("slow").fault_code == 0);
    CHECK(w.transfer("fast").fault_code == 0);
    CHECK(slow.max_active() == 1);
    CHECK(fast.served() == 1);
    CHECK(m.active() == 0);
    CHECK(std::filesystem::is_empty(w.staging));
    CHECK_FALSE(m.step(w.t).completed);  // reported once
}

TEST_CASE("a finished transfer's report waits for the others moving, but no longer than report_wait") {
    World w("cwmp-manager-report");
    test::SlowServer slow(body(50000), 1, 200, 50ms);  // ~10 s unless hurried
    test::SlowServer fast(body(2000), 1, 1, 0ms);
    w.queue("slow", slow.url());
    w.queue("fast", fast.url());
    ManagerOptions o = w.options(2);
    o.report_wait = 2s;
    Manager m(w.tasks, w.engine, w.board, w.log, w.loop, o);
    const auto start = std::chrono::steady_clock::now();
    Manager::Step s = w.run_until(m, [&](const Manager::Step& x) {
        return x.completed || w.transfer("fast").phase == Transfer::Phase::Done;
    });
    CHECK_FALSE(s.completed);  // the fast one is done, the slow one still moves
    CHECK(w.transfer("slow").phase == Transfer::Phase::Started);
    CHECK(s.next_due <= w.t + 2);  // the agent looks again when the wait is over
    s = w.run_until(m, [](const Manager::Step& x) { return x.completed; });
    CHECK(std::chrono::steady_clock::now() - start >= 2s);
    CHECK(w.transfer("fast").phase == Transfer::Phase::Done);
    CHECK(w.transfer("slow").phase == Transfer::Phase::Started);  // reported without waiting for it
    slow.hurry();
    s = w.run_until(m, [](const Manager::Step& x) { return x.completed; });
    CHECK(w.transfer("slow").phase == Transfer::Phase::Done);
    CHECK(w.transfer("slow").fault_code == 0);
}

TEST_CASE("a manager dropped mid-transfer leaves it started in the store, and no staging file") {
    World w("cwmp-manager-drop");
    test::SlowServer slow(body(50000), 1, 200, 50ms);
    w.queue("cut", slow.url());
    {
        Manager m(w.tasks, w.engine, w.board, w.log, w.loop, w.options(1));
        (void)m.step(w.t);
        std::vector<pollfd> fds;
        while (std::filesystem::is_empty(w.staging) || std::filesystem::file_size(
                                                             *std::filesystem::directory_iterator(w.staging)) == 0)
            w.loop.run_once(fds, 200);
    }
    CHECK(w.transfer("cut").phase == Transfer::Phase::Started);
    CHECK(std::filesystem::is_empty(w.staging));
    CHECK(w.loop.watched() == 0);
    CHECK(w.loop.timers() == 0);
    // The next manager (the next start) queues it again.
    Manager again(w.tasks, w.engine, w.board, w.log, w.loop, w.options(1));
    again.recover(w.t);
    CHECK(w.transfer("cut").phase == Transfer::Phase::Queued);
    CHECK(w.transfer("cut").attempts == 1);
}

TEST_CASE("a staged file that cannot be removed is logged with its path and the reason; one already gone is not") {
    test::TempDir dir("cwmp-staged");
    cwmp::util::Log log;  // stderr, where stderr_of reads it
    const std::string gone = dir.file("cwmp-transfer-1");
    bool removed = false;
    CHECK(test::stderr_of([&] { removed = cwmp::transfer::discard_staged(gone, log, "factory reset"); }).empty());
    CHECK(removed);
    // A directory with something in it where the file should be: remove() fails (ENOTEMPTY).
    const std::string stuck = dir.file("cwmp-transfer-2");
    std::filesystem::create_directories(stuck + "/inside");
    const std::string printed =
        test::stderr_of([&] { removed = cwmp::transfer::discard_staged(stuck, log, "factory reset"); });
    CHECK_FALSE(removed);
    CHECK(printed.find("factory reset") != std::string::npos);
    CHECK(printed.find(stuck) != std::string::npos);
    CHECK(printed.find(std::strerror(ENOTEMPTY)) != std::string::npos);
}
