// Durable commit points: what TR-069 needs on stable storage is there when
// the response leaves, and nothing else is synced.  A child process runs over
// the power-cut VFS (powercut_vfs.h: nothing reaches the disk before a sync)
// and says through a pipe when it has answered; it is then killed with
// SIGKILL, which loses exactly what a power cut could lose, and the parent
// reads the store back with the ordinary VFS.
#include <doctest/doctest.h>

#include "powercut_vfs.h"
#include "support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <string>

#include "board.h"
#include "cwmp/dm/engine.h"
#include "cwmp/platform_api.h"  // cwmp::gen::schema, the rdk-stb profile's
#include "cwmp/rpc/cpe.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/events.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/util/log.h"


using cwmp::store::Durability;
using cwmp::store::Store;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

// The child's side of the pipe: it reports a line at each point it reached;
// `last` reports the final one and waits there for the power cut (returning
// would close the store, which writes everything).
class Report {
public:
    explicit Report(int fd) : fd_(fd) {}
    void line(const std::string& text) const {
        const std::string l = text + "\n";
        if (::write(fd_, l.data(), l.size()) != static_cast<ssize_t>(l.size())) _exit(4);
    }
    [[noreturn]] void last(const std::string& text) const {
        line(text);
        for (;;) ::pause();
    }

private:
    int fd_;
};

// Runs `body` in a child over the power-cut VFS; once the child has reported
// `lines` lines (read from the pipe: no timing), kills it with SIGKILL and
// returns what it reported.
std::string power_cut_after(int lines, const std::function<void(const Report&)>& body) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        try {
            test::PowerCutVfs::install();
            body(Report(fds[1]));
        } catch (...) {
        }
        _exit(3);  // the body ends in Report::last
    }
    ::close(fds[1]);
    std::string got;
    int seen = 0;
    char buf[256];
    while (seen < lines) {
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n <= 0) break;  // the child died early: its status says how
        got.append(buf, static_cast<std::size_t>(n));
        seen = static_cast<int>(std::count(got.begin(), got.end(), '\n'));
    }
    ::close(fds[0]);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE_MESSAGE(WIFSIGNALED(status), "the child stopped on its own (status " << status << ")");
    REQUIRE_MESSAGE(seen == lines, "the child reported: " << got);
    return got;
}

// The rdk-stb agent over the simulated box and a store at `path`.
struct Agent {
    std::int64_t t = kNow;
    cwmp::sim::SimBoard board{[this] { return t; }};
    cwmp::dm::Context ctx{board};
    Store store;
    cwmp::dm::Engine engine{cwmp::gen::schema, ctx, store};
    cwmp::util::Log log;
    cwmp::tasks::Tasks tasks{store, [this] { return t; }, log};
    cwmp::rpc::Cpe cpe{engine, tasks};
    explicit Agent(const std::string& path) : store(path) {}
    // SQLite syncs a new log's header when it writes its first frame (after
    // opening, or once a checkpoint let it start over): a running agent has
    // written it long before; so does this lazy commit.
    void warm() {
        Store::Batch b;
        b.put("test", "warm", "1");
        store.commit(b);
    }
};

std::string request(const std::string& body) { return test::envelope_start("7") + body + test::kEnvelopeEnd; }

std::string spv(const std::string& value, const std::string& key) {
    return request("<cwmp:SetParameterValues><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\">"
                   "<ParameterValueStruct><Name>Device.ManagementServer.PeriodicInformInterval</Name>"
                   "<Value xsi:type=\"xsd:unsignedInt\">" + value + "</Value></ParameterValueStruct>"
                   "</ParameterList><ParameterKey>" + key + "</ParameterKey></cwmp:SetParameterValues>");
}

std::string value_of(Agent& a, const std::string& name) {
    std::string v;
    return a.engine.get_value(name, v) ? v : std::string("(none)");
}

}  // namespace

TEST_CASE("power cut: a durable commit is kept with every lazy one before it; a lazy one after it is lost") {
    test::TempDir dir("cwmp-durable");
    const std::string file = dir.file();
    const std::string got = power_cut_after(1, [&](const Report& report) {
        Store s(file);
        Store::Batch a, b, c;
        a.put("value", "A", "1");
        b.put("value", "B", "1");
        c.put("value", "C", "1");
        s.commit(a);
        s.commit(b, Durability::Durable);
        s.commit(c);  // lazy: in the kernel's hands only, lost to the cut
        report.last("committed");
    });
    CHECK(got == "committed\n");
    Store s(file);
    CHECK(s.get("value", "A") == "1");
    CHECK(s.get("value", "B") == "1");
    CHECK_FALSE(s.get("value", "C").has_value());  // the VFS really cuts: this test can fail
}

TEST_CASE("syncs by need: lazy commits none, a durable commit or sync() one, nothing waiting none") {
    test::TempDir dir("cwmp-durable");
    const std::string file = dir.file();
    const std::string got = power_cut_after(1, [&](const Report& report) {
        test::PowerCutVfs& vfs = test::PowerCutVfs::install();
        Store s(file);
        Store::Batch warm;  // the log's header is synced with its first frame (see Agent::warm)
        warm.put("value", "warm", "x");
        s.commit(warm);
        const std::uint64_t opened = vfs.syncs();
        std::string counts;
        auto put = [&](const char* key, Durability d) {
            Store::Batch b;
            b.put("value", key, "x");
            s.commit(b, d);
            counts += std::to_string(vfs.syncs() - opened) + " ";
        };
        for (int i = 0; i < 20; ++i) put(("lazy" + std::to_string(i)).c_str(), Durability::Lazy);
        put("durable", Durability::Durable);
        s.sync();  // nothing waiting
        counts += std::to_string(vfs.syncs() - opened) + " ";
        put("lazy-again", Durability::Lazy);
        s.sync();
        counts += std::to_string(vfs.syncs() - opened);
        report.last(counts);
    });
    CHECK(got == "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 1 1 2\n");
}

TEST_CASE("power cut right after the SetParameterValuesResponse: the values and ParameterKey are kept, one sync") {
    test::TempDir dir("cwmp-durable");
    const std::string file = dir.file();
    {
        Agent a(file);  // a store with the box's defaults in it, synced by closing
        (void)a.engine.changes();
    }
    const std::string got = power_cut_after(1, [&](const Report& report) {
        test::PowerCutVfs& vfs = test::PowerCutVfs::install();
        Agent a(file);
        a.warm();
        const std::uint64_t before = vfs.syncs();
        const std::string response = a.cpe.answer(spv("4321", "spv-key"));
        const bool ok = response.find("SetParameterValuesResponse") != std::string::npos;
        report.last(std::string(ok ? "answered" : "refused") + " syncs=" + std::to_string(vfs.syncs() - before));
    });
    CHECK(got == "answered syncs=1\n");
    Agent a(file);
    CHECK(value_of(a, "Device.ManagementServer.PeriodicInformInterval") == "4321");
    CHECK(value_of(a, "Device.ManagementServer.ParameterKey") == "spv-key");
}

TEST_CASE("power cut right after the responses to Reboot, ScheduleInform, Download and AddObject: each is kept") {
    test::TempDir dir("cwmp-durable");
    const std::string file = dir.file();
    const std::string got = power_cut_after(5, [&](const Report& report) {
        test::PowerCutVfs& vfs = test::PowerCutVfs::install();
        Agent a(file);
        a.warm();
        auto ask = [&](const std::string& body, const char* expected) {
            const std::uint64_t before = vfs.syncs();
            const std::string r = a.cpe.answer(request(body));
            report.line(std::string(r.find(expected) != std::string::npos ? expected : r) + " " +
                        std::to_string(vfs.syncs() - before));
        };
        ask("<cwmp:Reboot><CommandKey>rb</CommandKey></cwmp:Reboot>", "RebootResponse");
        ask("<cwmp:ScheduleInform><DelaySeconds>60</DelaySeconds><CommandKey>si</CommandKey></cwmp:ScheduleInform>",
            "ScheduleInformResponse");
        ask("<cwmp:Download><CommandKey>dl</CommandKey><FileType>1 Firmware Upgrade Image</FileType>"
            "<URL>http://127.0.0.1:1/fw.bin</URL><Username></Username><Password></Password>"
            "<FileSize>0</FileSize><TargetFileName></TargetFileName><DelaySeconds>3600</DelaySeconds>"
            "<SuccessURL></SuccessURL><FailureURL></FailureURL></cwmp:Download>",
            "DownloadResponse");
        ask("<cwmp:AddObject><ObjectName>Device.ManagementServer.InformParameter.</ObjectName>"
            "<ParameterKey>add</ParameterKey></cwmp:AddObject>",
            "AddObjectResponse");
        report.last("done");
    });
    CHECK(got == "RebootResponse 1\nScheduleInformResponse 1\nDownloadResponse 1\nAddObjectResponse 1\ndone\n");
    Agent a(file);
    CHECK(a.tasks.pending_reboot() == "rb");
    REQUIRE(a.tasks.scheduled_informs().size() == 1);
    CHECK(a.tasks.scheduled_informs()[0].command_key == "si");
    REQUIRE(a.tasks.transfers().size() == 1);
    CHECK(a.tasks.transfers()[0].command_key == "dl");
    CHECK(value_of(a, "Device.ManagementServer.InformParameterNumberOfEntries") == "1");
    CHECK(value_of(a, "Device.ManagementServer.ParameterKey") == "add");
}

TEST_CASE("events: adding and delivering PERIODIC syncs nothing; a transfer step syncs once and survives a cut") {
    test::TempDir dir("cwmp-durable");
    const std::string file = dir.file();
    const std::string got = power_cut_after(1, [&](const Report& report) {
        test::PowerCutVfs& vfs = test::PowerCutVfs::install();
        Agent a(file);
        a.warm();
        const std::uint64_t before = vfs.syncs();
        for (int i = 0; i < 10; ++i) {  // ten Inform-only sessions, as the agent keeps the queue
            REQUIRE(a.tasks.add_event({"2 PERIODIC", "", 0}));
            a.tasks.clear_events(a.tasks.events());
        }
        const std::uint64_t informs = vfs.syncs() - before;
        cwmp::tasks::Transfer t;
        t.command_key = "step";
        t.url = "http://127.0.0.1:1/fw.bin";
        t.file_type = "1 Firmware Upgrade Image";
        const std::uint64_t id = a.tasks.queue(t);
        t.id = id;
        t.phase = cwmp::tasks::Transfer::Phase::Done;
        const std::uint64_t queued = vfs.syncs() - before;
        REQUIRE(a.tasks.update(t, std::vector<cwmp::tasks::Event>{{"7 TRANSFER COMPLETE", "", 0}}));
        report.last(std::to_string(informs) + " " + std::to_string(queued) + " " +
                    std::to_string(vfs.syncs() - before));
    });
    CHECK(got == "0 1 2\n");
    Agent a(file);
    REQUIRE(a.tasks.transfers().size() == 1);
    CHECK(a.tasks.transfers()[0].phase == cwmp::tasks::Transfer::Phase::Done);
    REQUIRE(a.tasks.events().size() == 1);
    CHECK(a.tasks.events()[0].code == "7 TRANSFER COMPLETE");
}

TEST_CASE("which delivered events must be durable") {
    auto needs_durable_delivery = [](const char* code) { return cwmp::tasks::event_rule(code).durable_delivery; };
    for (const char* code : {"1 BOOT", "2 PERIODIC", "4 VALUE CHANGE", "6 CONNECTION REQUEST", "8 DIAGNOSTICS COMPLETE"})
        CHECK_FALSE(needs_durable_delivery(code));
    for (const char* code : {"0 BOOTSTRAP", "3 SCHEDULED", "7 TRANSFER COMPLETE", "10 AUTONOMOUS TRANSFER COMPLETE",
                             "M Reboot", "M Download", "M ScheduleInform", "X 00D09E Vendor"})
        CHECK(needs_durable_delivery(code));
}

TEST_CASE("a space listed more than once is served from memory and follows every commit") {
    test::TempDir dir("cwmp-durable");
    Store s(dir.file());
    Store::Batch b;
    b.put("event", "1", "a");
    b.put("event", "2", "b");
    b.put("other", "1", "x");
    s.commit(b);
    CHECK(s.all("event").size() == 2);  // read from SQLite
    CHECK(s.all("event").size() == 2);  // kept from now on
    Store::Batch c;
    c.erase("event", "1");
    c.put("event", "3", "c");
    c.put("event", "2", "B");
    s.commit(c);
    const auto events = s.all("event");
    CHECK(events == std::map<std::string, std::string>{{"2", "B"}, {"3", "c"}});
    CHECK_FALSE(s.get("event", "1").has_value());
    CHECK(s.get("event", "2") == "B");
    Store::Batch d;
    d.put("event", "4", "d");
    d.put("event", "5", "");
    s.commit(d, Durability::Durable);
    CHECK(s.all("event").size() == 4);
    CHECK(s.get("event", "5") == "");
    Store again(dir.file());  // what is on the file is what was served
    CHECK(again.all("event") == s.all("event"));
}
