// The task queue: everything survives reopening the store, ids keep queue
// order and are never handed out twice, and the Inform event queue follows
// TR-069's rules (single-type events once, "M" events once per CommandKey,
// at most 64).
#include <doctest/doctest.h>

#include "support.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cwmp/store/record.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/util/log.h"

using cwmp::tasks::Event;
using cwmp::tasks::Tasks;
using cwmp::tasks::TimeWindow;
using cwmp::tasks::Transfer;
using cwmp::tasks::TransferState;
using cwmp::store::Store;

namespace {

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("cwmp-tasks") {}
};

const cwmp::util::Log test_log;  // stderr: a damaged record the test did not make shows

Transfer download(std::string key) {
    Transfer t;
    t.command_key = std::move(key);
    t.file_type = "1 Firmware Upgrade Image";
    t.url = "http://acs.example/fw.bin";
    return t;
}

std::vector<std::uint64_t> ids_of(const std::vector<Transfer>& ts) {
    std::vector<std::uint64_t> ids;
    for (const Transfer& t : ts) ids.push_back(t.id);
    return ids;
}

std::vector<std::string> codes_of(const std::vector<Event>& es) {
    std::vector<std::string> out;
    for (const Event& e : es) out.push_back(e.code + "/" + e.command_key);
    return out;
}

// A transfer with every field set, hostile strings included.
Transfer full_transfer() {
    Transfer t;
    t.kind = Transfer::Kind::ScheduleDownload;
    t.command_key = "key=1\nline\\two";
    t.file_type = "X 00D09E Special\\n";
    t.url = "https://files.example/a?b=c&d=e";
    t.username = "user";
    t.password = std::string("p\0ss\n=", 6);
    t.file_size = 4294967295u;
    t.target_file_name = "caf\xC3\xA9.bin";
    t.delay_seconds = 7;
    t.success_url = "http://ok.example/";
    t.failure_url = "";
    t.windows = {TimeWindow{10, 20, "1 At Any Time", "", -1},
                 TimeWindow{30, 4000000000u, "4 Confirmation Needed", "Update?\nOK", 5}};
    t.requested_at = -5;  // any int64 round-trips
    t.state = TransferState::InProgress;
    return t;
}

}  // namespace

TEST_CASE("a transfer round-trips every field through a reopened store") {
    TempDir dir;
    Transfer original = full_transfer();
    {
        Store s(dir.file());
        Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
        original.id = tasks.queue(original);
        CHECK(original.id == 1);
    }
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    const std::vector<Transfer> ts = tasks.transfers();
    REQUIRE(ts.size() == 1);
    CHECK(ts[0] == original);
    CHECK(ts[0].is_download());
}

TEST_CASE("transfers keep queue order and ids are never reused") {
    TempDir dir;
    {
        Store s(dir.file());
        Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
        CHECK(tasks.queue(download("a")) == 1);
        CHECK(tasks.queue(download("b")) == 2);
        CHECK(tasks.queue(download("c")) == 3);
        tasks.remove(2);
        CHECK(tasks.queue(download("d")) == 4);
        CHECK(ids_of(tasks.transfers()) == std::vector<std::uint64_t>{1, 3, 4});
        const std::vector<std::uint64_t> all{1, 3, 4};
        tasks.remove(all);
        CHECK(tasks.transfers().empty());
    }
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    CHECK(tasks.queue(download("e")) == 5);  // not 1: the counter survived
    // Ids past 9 still list in numeric order (keys are zero-padded).
    for (int i = 0; i < 10; ++i) tasks.remove(tasks.queue(download("x")));
    tasks.queue(download("f"));
    const std::vector<Transfer> ts = tasks.transfers();
    REQUIRE(ts.size() == 2);
    CHECK(ts[0].command_key == "e");
    CHECK(ts[1].command_key == "f");
    CHECK(ts[1].id == 16);
}

TEST_CASE("the queue holds at most 16 transfers") {
    TempDir dir;
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    for (std::size_t i = 0; i < Tasks::kMaxQueued; ++i) CHECK(tasks.queue(download(std::to_string(i))) != 0);
    CHECK(tasks.queue(download("17th")) == 0);
    CHECK(tasks.transfers().size() == Tasks::kMaxQueued);
    tasks.remove(1);
    CHECK(tasks.queue(download("17th")) == 17);  // the refused one spent no id
}

TEST_CASE("set_state persists, and says when there is no such transfer") {
    TempDir dir;
    {
        Store s(dir.file());
        Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
        const std::uint64_t id = tasks.queue(download("a"));
        CHECK(tasks.set_state(id, TransferState::InProgress));
        CHECK_FALSE(tasks.set_state(id + 1, TransferState::Completed));
    }
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    REQUIRE(tasks.transfers().size() == 1);
    CHECK(tasks.transfers()[0].state == TransferState::InProgress);
    CHECK(tasks.transfers()[0].command_key == "a");
}

TEST_CASE("a damaged record is left out and logged with its key and why, once") {
    TempDir dir;
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    tasks.queue(download("good"));
    Store::Batch b;
    b.put("transfer", "00000000000000000099", "kind=teleport\n");
    b.put("transfer", "not-a-number", "kind=download\n");
    b.put("event", "00000000000000000098", "code=1 BOOT");  // no final newline
    s.commit(b);
    std::vector<Transfer> ts;
    std::string printed = test::stderr_of([&] { ts = tasks.transfers(); });
    REQUIRE(ts.size() == 1);
    CHECK(ts[0].command_key == "good");
    CHECK(printed.find("warning: task queue: damaged record transfer/00000000000000000099 left out: "
                       "unknown transfer kind\n") != std::string::npos);
    CHECK(printed.find("damaged record transfer/not-a-number left out: key is not an id\n") != std::string::npos);
    // Read at every step of the agent: logged once, not at every read.
    CHECK(test::stderr_of([&] { ts = tasks.transfers(); }).empty());
    CHECK(ts.size() == 1);
    CHECK_FALSE(tasks.set_state(99, TransferState::Completed));
    std::vector<cwmp::tasks::Event> es;
    printed = test::stderr_of([&] { es = tasks.events(); });
    CHECK(es.empty());
    CHECK(printed.find("damaged record event/00000000000000000098 left out: unterminated field\n") != std::string::npos);
}

TEST_CASE("the store's record format round-trips any string and names what is wrong with a damaged one") {
    using cwmp::store::RecordError;
    using cwmp::store::RecordReader;
    const std::string record = cwmp::store::RecordWriter()
                                   .text("a", std::string("x\\n\n=\0y", 7))
                                   .number("n", std::int64_t{-42})
                                   .take();
    const RecordReader r(record);
    CHECK(r.text("a") == std::string("x\\n\n=\0y", 7));
    CHECK(r.number<std::int64_t>("n") == -42);
    CHECK_THROWS_WITH_AS(r.text("b"), "no field b", RecordError);
    CHECK_THROWS_WITH_AS(r.number<std::uint32_t>("n"), "bad number in n", RecordError);
    CHECK_THROWS_WITH_AS(RecordReader("a=1"), "unterminated field", RecordError);
    CHECK_THROWS_WITH_AS(RecordReader("a\n"), "field without '='", RecordError);
    CHECK_THROWS_WITH_AS(RecordReader("a=\\q\n"), "unknown escape", RecordError);
    CHECK_THROWS_WITH_AS(RecordReader("a=\\\n"), "dangling escape", RecordError);
    CHECK(cwmp::store::id_key(42) == "00000000000000000042");
    CHECK(cwmp::store::id_of_key("00000000000000000042") == 42);
    CHECK_THROWS_AS(cwmp::store::id_of_key("4x"), RecordError);
}

TEST_CASE("Reboot and FactoryReset requests persist until cleared") {
    TempDir dir;
    {
        Store s(dir.file());
        Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
        CHECK_FALSE(tasks.pending_reboot().has_value());
        CHECK_FALSE(tasks.pending_factory_reset());
        tasks.request_reboot("rb-1");
        tasks.request_factory_reset();
    }
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    CHECK(tasks.pending_reboot() == "rb-1");
    CHECK(tasks.pending_factory_reset());
    // The reboot's event was queued with it.
    CHECK(codes_of(tasks.events()) == std::vector<std::string>{"M Reboot/rb-1"});
    tasks.clear_reboot();
    tasks.clear_factory_reset();
    CHECK_FALSE(tasks.pending_reboot().has_value());
    CHECK_FALSE(tasks.pending_factory_reset());
    tasks.request_reboot("");  // an empty CommandKey is still a pending reboot
    CHECK(tasks.pending_reboot() == "");
}

TEST_CASE("scheduled informs persist, soonest first") {
    TempDir dir;
    std::int64_t clock = 1000;
    {
        Store s(dir.file());
        Tasks tasks(s, [&] { return clock; }, test_log);
        CHECK(tasks.now() == 1000);
        tasks.schedule_inform(tasks.now() + 60, "late");
        tasks.schedule_inform(tasks.now() + 5, "soon");
        tasks.schedule_inform(tasks.now() + 60, "late too");
    }
    Store s(dir.file());
    Tasks tasks(s, [&] { return clock; }, test_log);
    const auto informs = tasks.scheduled_informs();
    REQUIRE(informs.size() == 3);
    CHECK(informs[0].id == 2);
    CHECK(informs[0].due == 1005);
    CHECK(informs[0].command_key == "soon");
    CHECK(informs[1].command_key == "late");  // equal due: request order
    CHECK(informs[2].command_key == "late too");
    tasks.remove_scheduled_inform(2);
    CHECK(tasks.scheduled_informs().size() == 2);
    tasks.schedule_inform(1, "x");
    CHECK(tasks.scheduled_informs()[0].id == 4);
}

TEST_CASE("single-type events appear once; M events once per CommandKey") {
    TempDir dir;
    {
        Store s(dir.file());
        Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
        CHECK(tasks.add_event({"1 BOOT", ""}));
        CHECK(tasks.add_event({"4 VALUE CHANGE", ""}));
        CHECK(tasks.add_event({"1 BOOT", ""}));            // already there
        CHECK(tasks.add_event({"7 TRANSFER COMPLETE", ""}));
        CHECK(tasks.add_event({"M Download", "k1"}));
        CHECK(tasks.add_event({"M Download", "k2"}));
        CHECK(tasks.add_event({"M Download", "k1"}));      // same key: already there
        CHECK(tasks.add_event({"7 TRANSFER COMPLETE", ""}));
        CHECK(tasks.add_event({"X 00D09E Alarm", "a"}));
        CHECK(tasks.add_event({"X 00D09E Alarm", "b"}));
    }
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    CHECK(codes_of(tasks.events()) ==
          std::vector<std::string>{"1 BOOT/", "4 VALUE CHANGE/", "7 TRANSFER COMPLETE/", "M Download/k1",
                                   "M Download/k2", "X 00D09E Alarm/a", "X 00D09E Alarm/b"});
}

TEST_CASE("clearing the delivered events keeps those raised since") {
    TempDir dir;
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    tasks.add_event({"1 BOOT", ""});
    tasks.add_event({"M Reboot", "r"});
    const std::vector<Event> delivered = tasks.events();  // what the Inform carried
    CHECK(delivered[0].id == 1);
    CHECK(delivered[1].id == 2);
    tasks.add_event({"7 TRANSFER COMPLETE", ""});         // raised during the session
    tasks.clear_events(delivered);
    CHECK(codes_of(tasks.events()) == std::vector<std::string>{"7 TRANSFER COMPLETE/"});
    tasks.clear_events();
    CHECK(tasks.events().empty());
    tasks.add_event({"1 BOOT", ""});
    CHECK(tasks.events()[0].id == 4);  // ids are not reused after clearing
}

TEST_CASE("a held event is listed and queued by the same rules, but written only by keep_held") {
    TempDir dir;
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    auto stored = [&] {  // what a restart would find: another queue over the same file
        Store again(dir.file());
        return codes_of(Tasks(again, [] { return std::int64_t{0}; }, test_log).events());
    };
    tasks.add_event({"1 BOOT", ""});
    CHECK(tasks.hold_event({"2 PERIODIC", ""}));
    CHECK(tasks.hold_event({"2 PERIODIC", ""}));  // single-type: once, held or not
    CHECK(tasks.hold_event({"1 BOOT", ""}));      // stored already: stays as it is
    CHECK(codes_of(tasks.events()) == std::vector<std::string>{"1 BOOT/", "2 PERIODIC/"});
    CHECK(stored() == std::vector<std::string>{"1 BOOT/"});
    tasks.add_event({"2 PERIODIC", ""});          // held already: not a second one
    CHECK(codes_of(tasks.events()) == std::vector<std::string>{"1 BOOT/", "2 PERIODIC/"});

    // Delivered: gone without a write; what the session did not carry stays.
    const std::vector<Event> delivered = tasks.events();
    tasks.hold_event({"4 VALUE CHANGE", ""});     // raised during the session
    tasks.clear_events(delivered);
    CHECK(codes_of(tasks.events()) == std::vector<std::string>{"4 VALUE CHANGE/"});
    CHECK(stored().empty());
    tasks.keep_held();                            // the session is over: written
    CHECK(stored() == std::vector<std::string>{"4 VALUE CHANGE/"});
    CHECK(codes_of(tasks.events()) == std::vector<std::string>{"4 VALUE CHANGE/"});
    tasks.keep_held();                            // nothing held: nothing more
    CHECK(stored() == std::vector<std::string>{"4 VALUE CHANGE/"});

    // Not delivered (the session failed): kept, with a stored id.
    tasks.hold_event({"2 PERIODIC", ""});
    tasks.keep_held();
    CHECK(stored() == std::vector<std::string>{"4 VALUE CHANGE/", "2 PERIODIC/"});
    const std::vector<Event> now = tasks.events();
    REQUIRE(now.size() == 2);
    CHECK(now[1].id < (std::uint64_t{1} << 63));
    tasks.clear_events(now);
    CHECK(stored().empty());
    // clear_events() drops the held ones too.
    tasks.hold_event({"2 PERIODIC", ""});
    tasks.clear_events();
    tasks.keep_held();
    CHECK(tasks.events().empty());
    CHECK(stored().empty());
}

TEST_CASE("a held event does not take the place of a stored one in a full queue") {
    TempDir dir;
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    for (std::size_t i = 0; i + 1 < Tasks::kMaxEvents; ++i) tasks.add_event({"M Reboot", std::to_string(i)});
    CHECK(tasks.hold_event({"2 PERIODIC", ""}));     // the 64th, held
    CHECK(tasks.events().size() == Tasks::kMaxEvents);
    CHECK(tasks.hold_event({"4 VALUE CHANGE", ""}));  // full: stored, displacing the oldest M event
    const std::vector<Event> all = tasks.events();
    CHECK(all.size() == Tasks::kMaxEvents);
    CHECK(all.front().command_key == "1");
    CHECK(std::count_if(all.begin(), all.end(), [](const Event& e) { return e.code == "2 PERIODIC"; }) == 1);
    CHECK(std::count_if(all.begin(), all.end(), [](const Event& e) { return e.code == "4 VALUE CHANGE"; }) == 1);
}

TEST_CASE("at most 64 events; a single-type event displaces the oldest M event") {
    TempDir dir;
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    CHECK(tasks.add_event({"0 BOOTSTRAP", ""}));
    for (std::size_t i = 1; i < Tasks::kMaxEvents; ++i)
        CHECK(tasks.add_event({"M ScheduleInform", std::to_string(i)}));
    CHECK(tasks.events().size() == Tasks::kMaxEvents);
    CHECK_FALSE(tasks.add_event({"M ScheduleInform", "one too many"}));
    CHECK(tasks.add_event({"M ScheduleInform", "5"}));  // already queued: no room needed
    CHECK(tasks.add_event({"1 BOOT", ""}));
    const std::vector<Event> es = tasks.events();
    REQUIRE(es.size() == Tasks::kMaxEvents);
    CHECK(es.front().code == "0 BOOTSTRAP");
    CHECK(es[1].command_key == "2");  // "1" was the oldest M event
    CHECK(es.back().code == "1 BOOT");
}

TEST_CASE("a full queue of single-type events refuses more") {
    TempDir dir;
    Store s(dir.file());
    Tasks tasks(s, [] { return std::int64_t{0}; }, test_log);
    for (std::size_t i = 0; i < Tasks::kMaxEvents; ++i)
        CHECK(tasks.add_event({std::to_string(100 + i) + " VENDORLESS", ""}));
    CHECK_FALSE(tasks.add_event({"1 BOOT", ""}));
    CHECK(tasks.events().size() == Tasks::kMaxEvents);
}

TEST_CASE("a RequestDownload persists with its 9 REQUEST DOWNLOAD until the last one is removed") {
    TempDir dir;
    std::int64_t clock = 1000;
    {
        Store s(dir.file());
        Tasks tasks(s, [&] { return clock; }, test_log);
        CHECK(tasks.request_download({0, "1 Firmware Upgrade Image", {{"Version", "4.2\nline"}, {"Bank", ""}}}) == 1);
        CHECK(tasks.request_download({0, "3 Vendor Configuration File", {}}) == 2);
    }
    Store s(dir.file());
    Tasks tasks(s, [&] { return clock; }, test_log);
    const auto requests = tasks.download_requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].file_type == "1 Firmware Upgrade Image");
    REQUIRE(requests[0].args.size() == 2);
    CHECK(requests[0].args[0] == std::pair<std::string, std::string>{"Version", "4.2\nline"});
    CHECK(requests[0].args[1] == std::pair<std::string, std::string>{"Bank", ""});
    CHECK(codes_of(tasks.events()) == std::vector<std::string>{"9 REQUEST DOWNLOAD/"});  // Single: once
    tasks.remove_download_request(1);
    CHECK(codes_of(tasks.events()) == std::vector<std::string>{"9 REQUEST DOWNLOAD/"});  // one still waits
    tasks.remove_download_request(2);
    CHECK(tasks.download_requests().empty());
    CHECK(tasks.events().empty());
    for (std::size_t i = 0; i < Tasks::kMaxDownloadRequests; ++i) CHECK(tasks.request_download({0, "2 Web Content", {}}) != 0);
    CHECK(tasks.request_download({0, "2 Web Content", {}}) == 0);
}

TEST_CASE("forget_queued drops every transfer, scheduled inform, download request and event; ids go on") {
    TempDir dir;
    {
        Store s(dir.file());
        Tasks tasks(s, [] { return std::int64_t{1000}; }, test_log);
        Transfer dl = download("stale-dl");
        dl.username = "user";
        dl.password = "secret";
        dl.delay_seconds = 3600;
        CHECK(tasks.queue(dl) == 1);
        Transfer up = download("stale-up");
        up.kind = Transfer::Kind::Upload;
        CHECK(tasks.queue(up) == 2);
        tasks.schedule_inform(1005, "stale");
        CHECK(tasks.request_download({0, "1 Firmware Upgrade Image", {}}) == 1);
        tasks.add_event({"M Download", "stale-dl"});
        tasks.request_factory_reset();
        CHECK(tasks.forget_queued() == std::vector<std::uint64_t>{1, 2});
        // The factory reset request itself is the caller's to clear.
        CHECK(tasks.pending_factory_reset());
    }
    Store s(dir.file());  // gone from the store, not only from a cache
    Tasks tasks(s, [] { return std::int64_t{1000}; }, test_log);
    CHECK(tasks.transfers().empty());
    CHECK(tasks.scheduled_informs().empty());
    CHECK(tasks.download_requests().empty());
    CHECK(tasks.events().empty());
    CHECK(s.all("transfer").empty());  // the credentials too
    CHECK(tasks.forget_queued().empty());
    CHECK(tasks.queue(download("new")) == 3);  // never reused
}
