// The agent thread's event loop (cwmp/util/loop.h): watched descriptors and
// timers run their callbacks; the caller's own descriptors come back with
// their revents; callbacks may change the sets while a round runs.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <span>
#include <vector>

#include "cwmp/util/loop.h"

using cwmp::util::Loop;
using namespace std::chrono_literals;

namespace {
struct Pipe {
    int fds[2] = {-1, -1};
    Pipe() { REQUIRE(::pipe(fds) == 0); }
    ~Pipe() {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    int read_end() const { return fds[0]; }
    void put() const { REQUIRE(::write(fds[1], "x", 1) == 1); }
    void take() const {
        char c;
        REQUIRE(::read(fds[0], &c, 1) == 1);
    }
};
}  // namespace

TEST_CASE("a watched descriptor's callback runs when it is ready, and the caller's fds keep their revents") {
    Loop loop;
    Pipe watched, own;
    int calls = 0;
    short seen = 0;
    const Loop::Id id = loop.watch(watched.read_end(), POLLIN, [&](short revents) {
        ++calls;
        seen = revents;
        watched.take();
    });
    std::vector<pollfd> fds{{own.read_end(), POLLIN, 0}};
    CHECK(loop.run_once(fds, 0) == 0);  // nothing ready: no callback
    CHECK(calls == 0);
    watched.put();
    own.put();
    CHECK(loop.run_once(fds, 1000) == 2);
    CHECK(calls == 1);
    CHECK((seen & POLLIN) != 0);
    REQUIRE(fds.size() == 1);  // the loop's own entries are gone again
    CHECK(fds[0].fd == own.read_end());
    CHECK((fds[0].revents & POLLIN) != 0);
    own.take();
    // Events 0: watched, but not polled for now.
    loop.set_events(id, 0);
    watched.put();
    CHECK(loop.run_once(fds, 0) == 0);
    CHECK(calls == 1);
    loop.set_events(id, POLLIN);
    CHECK(loop.run_once(fds, 1000) == 1);
    CHECK(calls == 2);
    loop.unwatch(id);
    watched.put();
    CHECK(loop.run_once(fds, 0) == 0);
    CHECK(calls == 2);
    CHECK(loop.watched() == 0);
}

TEST_CASE("a callback that unwatches another ready descriptor keeps that one from running") {
    Loop loop;
    Pipe a, b;
    int a_calls = 0, b_calls = 0;
    Loop::Id b_id = 0;
    const Loop::Id a_id = loop.watch(a.read_end(), POLLIN, [&](short) {
        ++a_calls;
        loop.unwatch(b_id);
    });
    b_id = loop.watch(b.read_end(), POLLIN, [&](short) { ++b_calls; });
    CHECK(a_id < b_id);  // a's callback runs first (ids in order)
    a.put();
    b.put();
    std::vector<pollfd> fds;
    CHECK(loop.run_once(fds, 1000) == 2);
    CHECK(a_calls == 1);
    CHECK(b_calls == 0);
    // A callback may also remove itself and add a new watch.
    int c_calls = 0;
    loop.unwatch(a_id);
    Loop::Id self = 0;
    self = loop.watch(a.read_end(), POLLIN, [&](short) {
        loop.unwatch(self);
        a.take();
        (void)loop.watch(b.read_end(), POLLIN, [&](short) { ++c_calls; });
    });
    CHECK(loop.run_once(fds, 1000) == 1);
    CHECK(c_calls == 0);  // added during the round: first polled in the next
    CHECK(loop.run_once(fds, 1000) == 1);
    CHECK(c_calls == 1);
}

TEST_CASE("timers fire once, in time, and shorten the poll") {
    Loop loop;
    int fired = 0;
    const auto start = Loop::Clock::now();
    loop.after(50ms, [&] { ++fired; });
    const Loop::Id cancelled = loop.after(10ms, [&] { fired += 100; });
    loop.cancel(cancelled);
    CHECK(loop.timers() == 1);
    CHECK(loop.next_timer_ms() <= 50);
    std::vector<pollfd> fds;
    // A 10 s poll returns when the timer is due.
    while (fired == 0) loop.run_once(fds, 10'000);
    const auto took = Loop::Clock::now() - start;
    CHECK(fired == 1);
    CHECK(took >= 50ms);
    CHECK(took < 5s);  // the poll did not wait its 10 s
    CHECK(loop.timers() == 0);
    CHECK(loop.next_timer_ms() == -1);
    // A timer set from a timer's callback runs in a later round.
    int chained = 0;
    loop.after(0ms, [&] { loop.after(0ms, [&] { ++chained; }); });
    loop.run_once(fds, 1000);
    CHECK(chained == 0);
    loop.run_once(fds, 1000);
    CHECK(chained == 1);
}

TEST_CASE("a source adds its descriptors each round, shortens the wait, and sees its own revents") {
    Loop loop;
    Pipe quiet, busy;
    int prepared = 0;
    std::vector<short> seen;  // revents of the source's entries, last dispatch
    const Loop::Id id = loop.attach(
        [&](std::vector<pollfd>& fds, int& timeout_ms) {
            ++prepared;
            fds.push_back({quiet.read_end(), POLLIN, 0});
            fds.push_back({busy.read_end(), POLLIN, 0});
            timeout_ms = 20;  // a deadline of its own
        },
        [&](std::span<const pollfd> fds) {
            seen.clear();
            for (const pollfd& p : fds) seen.push_back(p.revents);
        });
    std::vector<pollfd> own;
    // Nothing ready: the 10 s poll ends at the source's 20 ms, and dispatch runs anyway.
    const auto start = Loop::Clock::now();
    CHECK(loop.run_once(own, 10'000) == 0);
    CHECK(Loop::Clock::now() - start < 5s);
    CHECK(prepared == 1);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0] == 0);
    CHECK(seen[1] == 0);
    busy.put();
    CHECK(loop.run_once(own, 10'000) == 1);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0] == 0);
    CHECK((seen[1] & POLLIN) != 0);
    CHECK(own.empty());  // the caller's set comes back as given
    busy.take();
    loop.detach(id);
    loop.run_once(own, 0);
    CHECK(prepared == 2);
}

TEST_CASE("a round is not reentrant: a callback that runs the loop gets logic_error, and the loop goes on") {
    Loop loop;
    bool refused = false;
    int fired = 0;
    loop.after(0ms, [&] {
        try {
            loop.run_once(0);
        } catch (const std::logic_error&) {
            refused = true;
        }
    });
    loop.after(0ms, [&] { ++fired; });
    loop.run_once(1000);
    CHECK(refused);
    CHECK(fired == 1);
    loop.after(0ms, [&] { ++fired; });
    loop.run_once(1000);  // the next round runs as before
    CHECK(fired == 2);
}
