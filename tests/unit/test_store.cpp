// The persistent store: batches are atomic, even when the process is killed
// with SIGKILL at any moment while it commits.
#include <doctest/doctest.h>

#include "support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include <sqlite3.h>

#include "cwmp/store/store.h"

using cwmp::store::Store;

namespace {

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("cwmp-store") {}
};

constexpr int kKeys = 50;

// What SetParameterValues does to the store: every value and the
// ParameterKey in one transaction.
void commit_generation(Store& s, std::uint64_t n) {
    Store::Batch b;
    for (int k = 0; k < kKeys; ++k) b.put("value", "Device.X." + std::to_string(k), std::to_string(n));
    b.put("value", "Device.ManagementServer.ParameterKey", "key-" + std::to_string(n));
    s.commit(b);
}

}  // namespace

TEST_CASE("values, erasure and counters persist") {
    TempDir dir;
    const std::string file = (dir.path / "agent.db").string();
    {
        Store s(file);
        Store::Batch b;
        b.put("value", "Device.A", "1");
        b.put("value", "Device.B", "two");
        b.put("attr", "Device.A", "2");
        s.commit(b);
        CHECK(s.next("Device.IP.Interface.") == 1);
        CHECK(s.next("Device.IP.Interface.") == 2);
    }
    Store s(file);
    CHECK(s.get("value", "Device.B") == "two");
    CHECK(s.all("value").size() == 2);
    CHECK(s.get("attr", "Device.A") == "2");
    Store::Batch e;
    e.erase("value", "Device.A");
    s.commit(e);
    CHECK_FALSE(s.get("value", "Device.A").has_value());
    CHECK(s.next("Device.IP.Interface.") == 3);  // never reused across restarts
}

// SQLite's page cache takes memory for the pages a store reads, not a block
// as large as the cache may grow (some 87 KiB for cache_size=-64, all of it
// written at the first read).
TEST_CASE("a small store's page cache holds the pages it read") {
    TempDir dir;
    const sqlite3_int64 before = sqlite3_memory_used();
    Store s((dir.path / "agent.db").string());
    Store::Batch b;
    b.put("value", "Device.A", "1");
    s.commit(b);
    CHECK(s.get("value", "Device.A") == "1");
    const sqlite3_int64 used = sqlite3_memory_used() - before;
    INFO("SQLite's memory for a one-value store: " << used << " bytes");
    CHECK(used < 64 * 1024);
}

// An idle daemon gives back SQLite's page cache (Store::release_memory):
// possible only when its pages are allocated one by one, not carved from
// one block that lives as long as the connection.
TEST_CASE("release_memory gives the page cache's pages back") {
    TempDir dir;
    const std::string file = (dir.path / "agent.db").string();
    {
        Store s(file);
        Store::Batch b;  // some 200 KiB: more pages than the cache holds
        for (int k = 0; k < 2000; ++k) b.put("value", "Device.X." + std::to_string(k), std::string(100, 'v'));
        s.commit(b);
    }
    Store s(file);
    CHECK(s.all("value").size() == 2000);  // a first read of a space: through SQLite's cache
    const sqlite3_int64 full = sqlite3_memory_used();
    s.release_memory();
    const sqlite3_int64 released = full - sqlite3_memory_used();
    INFO("SQLite's memory before: " << full << " bytes, given back: " << released);
    CHECK(released >= 8 * 4096);
    CHECK(s.get("value", "Device.X.7") == std::string(100, 'v'));  // read again when needed
}

TEST_CASE("an unusable path is a clear error") {
    CHECK_THROWS_AS(Store("/nonexistent-dir/agent.db"), cwmp::store::StoreError);
}

TEST_CASE("killed 200 times while committing, the store is always wholly before or after") {
    TempDir dir;
    const std::string file = (dir.path / "agent.db").string();
    std::mt19937 rng(20261124);
    // After the child's first commit of a round, it is killed 0-5 ms later:
    // in the middle of a later commit or between two, at random.
    std::uniform_int_distribution<int> delay_us(0, 5000);
    std::uint64_t last_seen = 0;
    int interrupted = 0;
    for (int round = 0; round < 200; ++round) {
        test::Progress progress;
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            try {
                Store s(file);
                std::uint64_t n = std::stoull(s.get("value", "Device.X.0").value_or("0"));
                commit_generation(s, ++n);
                progress.tell();
                for (;;) commit_generation(s, ++n);
            } catch (...) {
                _exit(3);
            }
        }
        const bool begun = progress.wait();
        std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        REQUIRE_MESSAGE(begun, "round " << round << ": the child never committed");
        REQUIRE(WIFSIGNALED(status));
        interrupted += WTERMSIG(status) == SIGKILL;

        Store s(file);
        auto values = s.all("value");
        REQUIRE(values.size() == kKeys + 1);
        const std::string gen = values.at("Device.X.0");
        for (int k = 0; k < kKeys; ++k) REQUIRE(values.at("Device.X." + std::to_string(k)) == gen);
        REQUIRE(values.at("Device.ManagementServer.ParameterKey") == "key-" + gen);
        const std::uint64_t n = std::stoull(gen);
        REQUIRE(n > last_seen);  // each round committed at least one generation, and none was lost
        last_seen = n;
    }
    CHECK(interrupted == 200);
    CHECK(last_seen >= 200);
    MESSAGE("generations committed across 200 kills: " << last_seen);
}
