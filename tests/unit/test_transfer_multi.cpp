// Transfers on the agent's loop (transfer/multi + transfer/fetch): two
// downloads move at once while the loop still serves another descriptor; a
// stall ends a transfer with 9010 naming it; a Multi dropped mid-transfer
// leaves nothing behind.  The HTTP server is a thread of the test on
// 127.0.0.1 that sends its body in slow pieces.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cwmp/transfer/fetch.h"
#include "cwmp/transfer/multi.h"
#include "cwmp/util/loop.h"
#include "slow_server.h"

using cwmp::util::Loop;
using cwmp::transfer::Fetch;
using cwmp::transfer::FetchOptions;
using cwmp::transfer::FetchResult;
using cwmp::transfer::Multi;
using namespace std::chrono_literals;
using test::SlowServer;

namespace {

std::string temp_path(const char* stem) {
    return "/tmp/cwmp-test-multi-" + std::to_string(::getpid()) + "-" + stem;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("two downloads move at once on the loop, which still serves its other descriptors") {
    std::string body;
    for (int i = 0; body.size() < 20000; ++i) body += "line " + std::to_string(i) + "\n";
    SlowServer server(body, 2, 10, 50ms);  // ~0.5 s each
    Loop loop;
    Multi multi(loop);
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    int ticks = 0;
    loop.watch(pipe_fds[0], POLLIN, [&](short) {
        char c;
        REQUIRE(::read(pipe_fds[0], &c, 1) == 1);
        ++ticks;
    });
    FetchOptions o;
    o.url = server.url();
    o.expected_bytes = body.size();
    const std::string paths[2] = {temp_path("a"), temp_path("b")};
    std::unique_ptr<Fetch> fetches[2];
    FetchResult results[2];
    int done = 0;
    for (int i = 0; i < 2; ++i) {
        FetchResult error;
        fetches[i] = Fetch::download(o, paths[i], error);
        REQUIRE(fetches[i]);
        REQUIRE(multi.add(fetches[i]->handle(), [&, i](int code) {
            results[i] = fetches[i]->result(code);
            fetches[i].reset();
            ++done;
        }));
    }
    CHECK(multi.running() == 2);
    std::vector<pollfd> fds;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (done < 2 && std::chrono::steady_clock::now() < deadline) {
        REQUIRE(::write(pipe_fds[1], "x", 1) == 1);  // the loop's other work, every round
        loop.run_once(fds, 1000);
    }
    REQUIRE(done == 2);
    CHECK(multi.running() == 0);
    CHECK(server.max_active() == 2);
    CHECK(ticks > 5);  // the other descriptor was served all along
    for (int i = 0; i < 2; ++i) {
        CHECK(results[i].fault == cwmp::Fault::None);
        CHECK(results[i].bytes == body.size());
        CHECK(read_file(paths[i]) == body);
        std::remove(paths[i].c_str());
    }
    // Nothing of libcurl's is left watched (the pipe is).
    CHECK(loop.watched() == 1);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
}

TEST_CASE("a stalled download fails with 9010 naming the stall; there is no total-time limit") {
    const std::string body(4000, 'x');
    SlowServer server(body, 1, 4, 10ms, 1000);  // 1000 bytes, then nothing
    Loop loop;
    Multi multi(loop);
    FetchOptions o;
    o.url = server.url();
    o.stall = 1s;
    const std::string path = temp_path("stall");
    FetchResult error;
    std::unique_ptr<Fetch> fetch = Fetch::download(o, path, error);
    REQUIRE(fetch);
    FetchResult result;
    bool done = false;
    REQUIRE(multi.add(fetch->handle(), [&](int code) {
        result = fetch->result(code);
        done = true;
    }));
    std::vector<pollfd> fds;
    const auto start = std::chrono::steady_clock::now();
    while (!done && std::chrono::steady_clock::now() - start < 30s) loop.run_once(fds, 1000);
    REQUIRE(done);
    CHECK(result.fault == cwmp::Fault::DownloadFailure);
    CHECK(result.message == "the transfer stalled: less than 1 bytes/s for 1 s, after 1000 bytes");
    CHECK(result.bytes == 1000);
    std::remove(path.c_str());
}

TEST_CASE("a Multi dropped while a transfer moves unwatches everything and frees its handles") {
    const std::string body(100000, 'y');
    SlowServer server(body, 2, 100, 20ms);
    Loop loop;
    const std::string path = temp_path("dropped");
    FetchOptions o;
    o.url = server.url();
    FetchResult error;
    std::unique_ptr<Fetch> fetch = Fetch::download(o, path, error);  // outlives the Multi, as a Manager's do
    REQUIRE(fetch);
    std::vector<pollfd> fds;
    bool done = false;
    {
        Multi multi(loop);
        REQUIRE(multi.add(fetch->handle(), [&](int) { done = true; }));
        while (fetch->bytes() == 0) loop.run_once(fds, 1000);
        CHECK(loop.watched() + loop.timers() > 0);
        // remove() stops one transfer; the Multi's end stops the rest.
        multi.remove(fetch->handle());
        CHECK(multi.running() == 0);
        std::unique_ptr<Fetch> second = Fetch::download(o, path + "2", error);
        REQUIRE(second);
        REQUIRE(multi.add(second->handle(), [&](int) { done = true; }));
        while (second->bytes() == 0) loop.run_once(fds, 1000);
        multi.remove(second->handle());  // `second` goes before `multi` does
    }
    CHECK_FALSE(done);
    CHECK(loop.watched() == 0);
    CHECK(loop.timers() == 0);
    std::remove(path.c_str());
    std::remove((path + "2").c_str());
}

TEST_CASE("a Multi destroyed with transfers still added removes them before their handles go") {
    const std::string body(100000, 'z');
    SlowServer server(body, 1, 100, 20ms);
    Loop loop;
    const std::string path = temp_path("destroyed");
    FetchOptions o;
    o.url = server.url();
    FetchResult error;
    std::unique_ptr<Fetch> fetch = Fetch::download(o, path, error);
    REQUIRE(fetch);
    {
        Multi multi(loop);
        REQUIRE(multi.add(fetch->handle(), [](int) { FAIL("reported after the Multi's end"); }));
        std::vector<pollfd> fds;
        while (fetch->bytes() == 0) loop.run_once(fds, 1000);
    }  // ~Multi with the transfer moving
    CHECK(loop.watched() == 0);
    CHECK(loop.timers() == 0);
    fetch.reset();  // the easy handle, no longer in any multi handle
    std::remove(path.c_str());
}
