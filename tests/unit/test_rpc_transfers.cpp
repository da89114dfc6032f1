// Reboot, FactoryReset, ScheduleInform, Download, Upload, ScheduleDownload,
// GetQueuedTransfers, GetAllQueuedTransfers and CancelTransfer through
// Cpe::answer: request bytes in, the exact response or fault out, what was
// queued in Tasks, and every message valid against cwmp-1-2.xsd.
#include <doctest/doctest.h>

#include "support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cwmp/dm/context.h"
#include "cwmp/dm/engine.h"
#include "cwmp/dm/schema.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/util/log.h"

using cwmp::Fault;
using cwmp::tasks::Tasks;
using cwmp::tasks::TimeWindow;
using cwmp::tasks::Transfer;
using cwmp::tasks::TransferState;

namespace {

constexpr std::int64_t kNow = 1700000000;

struct NullBoard : cwmp::platform::Board {};

using test::schema_valid;

const std::string kEnvelope = test::envelope_start("7");
const std::string kEnd = test::kEnvelopeEnd;

// An ACS request (cwmp:ID 7) with `body` in the Body; the response envelope
// the writer produces around a response body.
std::string message(const std::string& body) { return kEnvelope + body + kEnd; }

std::string fault(Fault code, const std::string& text) {
    const bool client = code == Fault::InvalidArguments;
    return message(std::string("<soap-env:Fault><faultcode>") + (client ? "Client" : "Server") +
                   "</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault><FaultCode>" +
                   std::to_string(static_cast<unsigned>(code)) + "</FaultCode><FaultString>" + text +
                   "</FaultString></cwmp:Fault></detail></soap-env:Fault>");
}

const std::string kPending =
    "<Status>1</Status><StartTime>0001-01-01T00:00:00Z</StartTime>"
    "<CompleteTime>0001-01-01T00:00:00Z</CompleteTime>";

// An agent over a scratch store and an empty data model.
struct Agent {
    std::filesystem::path dir;
    NullBoard board;
    cwmp::dm::Context ctx{board};
    cwmp::dm::Schema schema{"t", "Device:2.19", {}, {}};
    std::unique_ptr<cwmp::store::Store> store;
    std::unique_ptr<cwmp::dm::Engine> engine;
    cwmp::util::Log log;
    std::unique_ptr<Tasks> tasks;
    std::unique_ptr<cwmp::rpc::Cpe> cpe;

    Agent() {
        char tmpl[] = "/tmp/cwmp-rpc-transfers-XXXXXX";
        dir = mkdtemp(tmpl);
        store = std::make_unique<cwmp::store::Store>((dir / "agent.db").string());
        engine = std::make_unique<cwmp::dm::Engine>(schema, ctx, *store);
        tasks = std::make_unique<Tasks>(*store, [] { return kNow; }, log);
        cpe = std::make_unique<cwmp::rpc::Cpe>(*engine, *tasks);
    }
    ~Agent() {
        cpe.reset();
        tasks.reset();
        engine.reset();
        store.reset();
        std::filesystem::remove_all(dir);
    }
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    // Answers `body` and checks the answer is schema-valid.
    std::string call(const std::string& body) {
        std::string out = cpe->answer(message(body));
        CHECK_MESSAGE(schema_valid(out), out);
        return out;
    }
};

struct DownloadArgs {
    std::string command_key = "dl-1";
    std::string file_type = "1 Firmware Upgrade Image";
    std::string url = "http://files.example/fw.bin";
    std::string username = "u";
    std::string password = "p";
    std::string file_size = "1024";
    std::string target = "fw.bin";
    std::string delay = "0";
    std::string success_url = "http://ok.example/";
    std::string failure_url = "http://bad.example/";

    std::string xml() const {
        return "<cwmp:Download><CommandKey>" + command_key + "</CommandKey><FileType>" + file_type +
               "</FileType><URL>" + url + "</URL><Username>" + username + "</Username><Password>" + password +
               "</Password><FileSize>" + file_size + "</FileSize><TargetFileName>" + target +
               "</TargetFileName><DelaySeconds>" + delay + "</DelaySeconds><SuccessURL>" + success_url +
               "</SuccessURL><FailureURL>" + failure_url + "</FailureURL></cwmp:Download>";
    }
};

struct UploadArgs {
    std::string command_key = "ul-1";
    std::string file_type = "2 Vendor Log File";
    std::string url = "https://logs.example/up";
    std::string delay = "30";

    std::string xml() const {
        return "<cwmp:Upload><CommandKey>" + command_key + "</CommandKey><FileType>" + file_type +
               "</FileType><URL>" + url + "</URL><Username></Username><Password></Password><DelaySeconds>" +
               delay + "</DelaySeconds></cwmp:Upload>";
    }
};

std::string window(const std::string& start, const std::string& end, const std::string& mode = "1 At Any Time",
                   const std::string& retries = "-1", const std::string& message = "") {
    return "<TimeWindowStruct><WindowStart>" + start + "</WindowStart><WindowEnd>" + end +
           "</WindowEnd><WindowMode>" + mode + "</WindowMode><UserMessage>" + message +
           "</UserMessage><MaxRetries>" + retries + "</MaxRetries></TimeWindowStruct>";
}

std::string schedule_download(const std::vector<std::string>& windows, const std::string& key = "sd-1",
                              const std::string& url = "ftp://files.example/fw.bin") {
    std::string list;
    for (const std::string& w : windows) list += w;
    return "<cwmp:ScheduleDownload><CommandKey>" + key +
           "</CommandKey><FileType>1 Firmware Upgrade Image</FileType><URL>" + url +
           "</URL><Username></Username><Password></Password><FileSize>0</FileSize><TargetFileName>"
           "</TargetFileName><TimeWindowList soap-enc:arrayType=\"cwmp:TimeWindowStruct[" +
           std::to_string(windows.size()) + "]\">" + list + "</TimeWindowList></cwmp:ScheduleDownload>";
}

std::string cancel(const std::string& key) {
    return "<cwmp:CancelTransfer><CommandKey>" + key + "</CommandKey></cwmp:CancelTransfer>";
}

}  // namespace

// ---- Reboot, FactoryReset, ScheduleInform

TEST_CASE("Reboot persists the request and its M Reboot event") {
    Agent a;
    CHECK(a.call("<cwmp:Reboot><CommandKey>rb &amp; 1</CommandKey></cwmp:Reboot>") ==
          message("<cwmp:RebootResponse></cwmp:RebootResponse>"));
    CHECK(a.tasks->pending_reboot() == "rb & 1");
    const auto events = a.tasks->events();
    REQUIRE(events.size() == 1);
    CHECK(events[0].code == "M Reboot");
    CHECK(events[0].command_key == "rb & 1");
}

TEST_CASE("Reboot faults") {
    Agent a;
    CHECK(a.call("<cwmp:Reboot/>") == fault(Fault::InvalidArguments, "CommandKey: missing"));
    CHECK(a.call("<cwmp:Reboot><CommandKey>" + std::string(33, 'k') + "</CommandKey></cwmp:Reboot>") ==
          fault(Fault::InvalidArguments, "CommandKey: longer than 32 characters"));
    CHECK_FALSE(a.tasks->pending_reboot().has_value());
    CHECK(a.tasks->events().empty());
}

TEST_CASE("FactoryReset persists the request") {
    Agent a;
    CHECK(a.call("<cwmp:FactoryReset/>") == message("<cwmp:FactoryResetResponse></cwmp:FactoryResetResponse>"));
    CHECK(a.tasks->pending_factory_reset());
}

TEST_CASE("ScheduleInform persists now + DelaySeconds") {
    Agent a;
    CHECK(a.call("<cwmp:ScheduleInform><DelaySeconds>90</DelaySeconds><CommandKey>si</CommandKey>"
                 "</cwmp:ScheduleInform>") ==
          message("<cwmp:ScheduleInformResponse></cwmp:ScheduleInformResponse>"));
    const auto informs = a.tasks->scheduled_informs();
    REQUIRE(informs.size() == 1);
    CHECK(informs[0].due == kNow + 90);
    CHECK(informs[0].command_key == "si");
}

TEST_CASE("ScheduleInform faults") {
    Agent a;
    CHECK(a.call("<cwmp:ScheduleInform><DelaySeconds>0</DelaySeconds><CommandKey>si</CommandKey>"
                 "</cwmp:ScheduleInform>") ==
          fault(Fault::InvalidArguments, "DelaySeconds: must be greater than 0"));
    CHECK(a.call("<cwmp:ScheduleInform><DelaySeconds>-5</DelaySeconds><CommandKey>si</CommandKey>"
                 "</cwmp:ScheduleInform>") ==
          fault(Fault::InvalidArguments, "DelaySeconds: not an unsignedInt"));
    CHECK(a.call("<cwmp:ScheduleInform><DelaySeconds>5</DelaySeconds></cwmp:ScheduleInform>") ==
          fault(Fault::InvalidArguments, "CommandKey: missing"));
    CHECK(a.tasks->scheduled_informs().empty());
}

// ---- Download

TEST_CASE("Download is queued and answered Status 1") {
    Agent a;
    CHECK(a.call(DownloadArgs{}.xml()) == message("<cwmp:DownloadResponse>" + kPending + "</cwmp:DownloadResponse>"));
    const auto ts = a.tasks->transfers();
    REQUIRE(ts.size() == 1);
    const Transfer& t = ts[0];
    CHECK(t.id == 1);
    CHECK(t.kind == Transfer::Kind::Download);
    CHECK(t.command_key == "dl-1");
    CHECK(t.file_type == "1 Firmware Upgrade Image");
    CHECK(t.url == "http://files.example/fw.bin");
    CHECK(t.username == "u");
    CHECK(t.password == "p");
    CHECK(t.file_size == 1024);
    CHECK(t.target_file_name == "fw.bin");
    CHECK(t.delay_seconds == 0);
    CHECK(t.success_url == "http://ok.example/");
    CHECK(t.failure_url == "http://bad.example/");
    CHECK(t.requested_at == kNow);
    CHECK(t.state == TransferState::NotStarted);
    CHECK(t.windows.empty());
}

TEST_CASE("Download accepts the defined and vendor file types and http, https, ftp") {
    Agent a;
    const std::string ok = message("<cwmp:DownloadResponse>" + kPending + "</cwmp:DownloadResponse>");
    for (const char* type : {"1 Firmware Upgrade Image", "2 Web Content", "3 Vendor Configuration File",
                             "4 Tone File", "5 Ringer File", "6 Stored Firmware Image", "X 00D09E Special",
                             "X example.com Two Words"}) {
        DownloadArgs d;
        d.file_type = type;
        CHECK_MESSAGE(a.call(d.xml()) == ok, type);
    }
    for (const char* url : {"https://h/f", "ftp://h/f", "HTTP://h:8080/f?q=a@b", "http://[::1]/f@x"}) {
        DownloadArgs d;
        d.url = url;
        CHECK_MESSAGE(a.call(d.xml()) == ok, url);
    }
    CHECK(a.tasks->transfers().size() == 12);
}

TEST_CASE("Download faults") {
    Agent a;
    auto with = [](auto change) {
        DownloadArgs d;
        change(d);
        return d.xml();
    };
    SUBCASE("file types") {
        for (const char* type : {"7 Unknown", "1 Firmware", "4 Vendor Log File", "X 00D09E", "X  Name", ""}) {
            CHECK_MESSAGE(a.call(with([&](DownloadArgs& d) { d.file_type = type; })) ==
                              fault(Fault::InvalidArguments, std::string("FileType: unsupported ") + type),
                          type);
        }
        // A line break would make the echoed FileType schema-invalid.
        CHECK(a.call(with([](DownloadArgs& d) { d.file_type = "X 00D09E a&#10;b"; })) ==
              fault(Fault::InvalidArguments, "FileType: unsupported X 00D09E a&#10;b"));
        CHECK(a.tasks->transfers().empty());
    }
    SUBCASE("URLs") {
        auto url_fault = [&](const char* url) { return a.call(with([&](DownloadArgs& d) { d.url = url; })); };
        CHECK(url_fault("tftp://h/f") ==
              fault(Fault::UnsupportedTransferProtocol, "URL: tftp is not supported (http, https, ftp)"));
        CHECK(url_fault("file://h/etc/passwd") ==
              fault(Fault::UnsupportedTransferProtocol, "URL: file is not supported (http, https, ftp)"));
        CHECK(url_fault("http://user:pw@h/f") ==
              fault(Fault::InvalidArguments, "URL: must not contain user information"));
        CHECK(url_fault("ftp://anonymous@h/f") ==
              fault(Fault::InvalidArguments, "URL: must not contain user information"));
        CHECK(url_fault("") == fault(Fault::InvalidArguments, "URL: not an absolute URL"));
        CHECK(url_fault("files.example/fw.bin") == fault(Fault::InvalidArguments, "URL: not an absolute URL"));
        CHECK(url_fault("http:/h/f") == fault(Fault::InvalidArguments, "URL: not an absolute URL"));
        CHECK(url_fault("1http://h/f") == fault(Fault::InvalidArguments, "URL: not an absolute URL"));
        CHECK(url_fault("http:///f") == fault(Fault::InvalidArguments, "URL: no host"));
        CHECK(url_fault("http://h/a b") ==
              fault(Fault::InvalidArguments, "URL: contains spaces or control characters"));
        CHECK(url_fault("http://h/a&#10;Host: evil") ==
              fault(Fault::InvalidArguments, "URL: contains spaces or control characters"));
        CHECK(url_fault(("http://h/" + std::string(248, 'a')).c_str()) ==
              fault(Fault::InvalidArguments, "URL: longer than 256 characters"));
        CHECK(a.tasks->transfers().empty());
    }
    SUBCASE("malformed and missing arguments") {
        CHECK(a.call(with([](DownloadArgs& d) { d.file_size = "-1"; })) ==
              fault(Fault::InvalidArguments, "FileSize: not an unsignedInt"));
        CHECK(a.call(with([](DownloadArgs& d) { d.delay = "soon"; })) ==
              fault(Fault::InvalidArguments, "DelaySeconds: not an unsignedInt"));
        CHECK(a.call(with([](DownloadArgs& d) { d.command_key = std::string(33, 'k'); })) ==
              fault(Fault::InvalidArguments, "CommandKey: longer than 32 characters"));
        CHECK(a.call(with([](DownloadArgs& d) { d.file_type = std::string(65, 'X'); })) ==
              fault(Fault::InvalidArguments, "FileType: longer than 64 characters"));
        CHECK(a.call(with([](DownloadArgs& d) { d.password = std::string(257, 'p'); })) ==
              fault(Fault::InvalidArguments, "Password: longer than 256 characters"));
        CHECK(a.call("<cwmp:Download><CommandKey>k</CommandKey></cwmp:Download>") ==
              fault(Fault::InvalidArguments, "FileType: missing"));
        std::string no_failure_url = DownloadArgs{}.xml();
        no_failure_url.erase(no_failure_url.find("<FailureURL>"),
                             no_failure_url.find("</cwmp:Download>") - no_failure_url.find("<FailureURL>"));
        CHECK(a.call(no_failure_url) == fault(Fault::InvalidArguments, "FailureURL: missing"));
        CHECK(a.tasks->transfers().empty());
    }
    SUBCASE("a full queue") {
        for (std::size_t i = 0; i < Tasks::kMaxQueued; ++i)
            a.call(with([&](DownloadArgs& d) { d.command_key = std::to_string(i); }));
        CHECK(a.call(DownloadArgs{}.xml()) == fault(Fault::ResourcesExceeded, "more than 16 transfers queued"));
        CHECK(a.tasks->transfers().size() == Tasks::kMaxQueued);
    }
}

// ---- Upload

TEST_CASE("Upload is queued and answered Status 1") {
    Agent a;
    const std::string ok = message("<cwmp:UploadResponse>" + kPending + "</cwmp:UploadResponse>");
    CHECK(a.call(UploadArgs{}.xml()) == ok);
    const auto ts = a.tasks->transfers();
    REQUIRE(ts.size() == 1);
    CHECK(ts[0].kind == Transfer::Kind::Upload);
    CHECK_FALSE(ts[0].is_download());
    CHECK(ts[0].command_key == "ul-1");
    CHECK(ts[0].file_type == "2 Vendor Log File");
    CHECK(ts[0].url == "https://logs.example/up");
    CHECK(ts[0].delay_seconds == 30);
    CHECK(ts[0].requested_at == kNow);
    for (const char* type : {"1 Vendor Configuration File", "3 Vendor Configuration File 2",
                             "4 Vendor Log File 10", "X example.com Crash Dump"}) {
        UploadArgs u;
        u.file_type = type;
        CHECK_MESSAGE(a.call(u.xml()) == ok, type);
    }
}

TEST_CASE("Upload faults") {
    Agent a;
    for (const char* type : {"1 Firmware Upgrade Image", "3 Vendor Configuration File", "3 Vendor Configuration File 0",
                             "4 Vendor Log File x", "4 Vendor Log File 1 ", "5 Vendor Log File"}) {
        UploadArgs u;
        u.file_type = type;
        CHECK_MESSAGE(a.call(u.xml()) == fault(Fault::InvalidArguments, std::string("FileType: unsupported ") + type),
                      type);
    }
    UploadArgs u;
    u.url = "scp://h/f";
    CHECK(a.call(u.xml()) == fault(Fault::UnsupportedTransferProtocol, "URL: scp is not supported (http, https, ftp)"));
    u.url = "http://me:secret@h/f";
    CHECK(a.call(u.xml()) == fault(Fault::InvalidArguments, "URL: must not contain user information"));
    CHECK(a.call("<cwmp:Upload><CommandKey>k</CommandKey><FileType>2 Vendor Log File</FileType><URL>http://h/</URL>"
                 "<Username/><Password/></cwmp:Upload>") ==
          fault(Fault::InvalidArguments, "DelaySeconds: missing"));
    CHECK(a.tasks->transfers().empty());
}

// ---- ScheduleDownload

TEST_CASE("ScheduleDownload is queued with its time windows") {
    Agent a;
    const std::string ok = message("<cwmp:ScheduleDownloadResponse></cwmp:ScheduleDownloadResponse>");
    CHECK(a.call(schedule_download({window("0", "3600", "2 Immediately", "-1"),
                                    window("3600", "7200", "4 Confirmation Needed", "3", "Update now?")})) == ok);
    const auto ts = a.tasks->transfers();
    REQUIRE(ts.size() == 1);
    CHECK(ts[0].kind == Transfer::Kind::ScheduleDownload);
    CHECK(ts[0].is_download());
    CHECK(ts[0].url == "ftp://files.example/fw.bin");
    CHECK(ts[0].requested_at == kNow);
    CHECK(ts[0].windows == std::vector<TimeWindow>{TimeWindow{0, 3600, "2 Immediately", "", -1},
                                                   TimeWindow{3600, 7200, "4 Confirmation Needed", "Update now?", 3}});
    CHECK(a.call(schedule_download({window("10", "20", "X 00D09E Overnight", "0")}, "sd-2")) == ok);
    CHECK(a.call(schedule_download({window("10", "20", "3 When Idle")}, "sd-3")) == ok);
    CHECK(a.tasks->transfers().size() == 3);
}

TEST_CASE("ScheduleDownload faults") {
    Agent a;
    CHECK(a.call(schedule_download({})) == fault(Fault::InvalidArguments, "TimeWindowList: needs 1 or 2 windows"));
    CHECK(a.call(schedule_download({window("0", "10"), window("20", "30"), window("40", "50")})) ==
          fault(Fault::InvalidArguments, "TimeWindowList: more than 2 items"));
    CHECK(a.call(schedule_download({window("10", "10")})) ==
          fault(Fault::InvalidArguments, "TimeWindowStruct 1: WindowEnd must be after WindowStart"));
    CHECK(a.call(schedule_download({window("0", "10"), window("30", "20")})) ==
          fault(Fault::InvalidArguments, "TimeWindowStruct 2: WindowEnd must be after WindowStart"));
    CHECK(a.call(schedule_download({window("0", "100"), window("50", "200")})) ==
          fault(Fault::InvalidArguments, "TimeWindowList: the second window must not start before the first ends"));
    CHECK(a.call(schedule_download({window("100", "200"), window("0", "50")})) ==
          fault(Fault::InvalidArguments, "TimeWindowList: the second window must not start before the first ends"));
    CHECK(a.call(schedule_download({window("0", "10", "5 Whenever")})) ==
          fault(Fault::InvalidArguments, "TimeWindowStruct 1: unknown WindowMode 5 Whenever"));
    CHECK(a.call(schedule_download({window("0", "10", "1 At Any Time", "-2")})) ==
          fault(Fault::InvalidArguments, "TimeWindowStruct 1: MaxRetries must be -1 or more"));
    CHECK(a.call(schedule_download({window("0", "10", "1 At Any Time", "many")})) ==
          fault(Fault::InvalidArguments, "MaxRetries: not an int"));
    CHECK(a.call(schedule_download({window("0", "10")}, "sd", "tftp://h/f")) ==
          fault(Fault::UnsupportedTransferProtocol, "URL: tftp is not supported (http, https, ftp)"));
    CHECK(a.call(schedule_download({"<Other/>"})) ==
          fault(Fault::InvalidArguments, "TimeWindowList: holds Other where TimeWindowStruct belongs"));
    CHECK(a.tasks->transfers().empty());
}

// ---- GetQueuedTransfers, GetAllQueuedTransfers

TEST_CASE("empty queues answer empty arrays") {
    Agent a;
    CHECK(a.call("<cwmp:GetQueuedTransfers/>") ==
          message("<cwmp:GetQueuedTransfersResponse>"
                  "<TransferList soap-enc:arrayType=\"cwmp:QueuedTransferStruct[0]\"></TransferList>"
                  "</cwmp:GetQueuedTransfersResponse>"));
    CHECK(a.call("<cwmp:GetAllQueuedTransfers/>") ==
          message("<cwmp:GetAllQueuedTransfersResponse>"
                  "<TransferList soap-enc:arrayType=\"cwmp:AllQueuedTransferStruct[0]\"></TransferList>"
                  "</cwmp:GetAllQueuedTransfersResponse>"));
}

TEST_CASE("GetQueuedTransfers lists the downloads; GetAllQueuedTransfers everything") {
    Agent a;
    DownloadArgs d;
    d.command_key = "a&lt;b";
    a.call(d.xml());
    a.call(UploadArgs{}.xml());
    a.call(schedule_download({window("0", "60")}));
    a.tasks->set_state(1, TransferState::InProgress);
    CHECK(a.call("<cwmp:GetQueuedTransfers/>") ==
          message("<cwmp:GetQueuedTransfersResponse>"
                  "<TransferList soap-enc:arrayType=\"cwmp:QueuedTransferStruct[2]\">"
                  "<QueuedTransferStruct><CommandKey>a&lt;b</CommandKey><State>2</State></QueuedTransferStruct>"
                  "<QueuedTransferStruct><CommandKey>sd-1</CommandKey><State>1</State></QueuedTransferStruct>"
                  "</TransferList></cwmp:GetQueuedTransfersResponse>"));
    CHECK(a.call("<cwmp:GetAllQueuedTransfers/>") ==
          message("<cwmp:GetAllQueuedTransfersResponse>"
                  "<TransferList soap-enc:arrayType=\"cwmp:AllQueuedTransferStruct[3]\">"
                  "<AllQueuedTransferStruct><CommandKey>a&lt;b</CommandKey><State>2</State>"
                  "<IsDownload>true</IsDownload><FileType>1 Firmware Upgrade Image</FileType>"
                  "<FileSize>1024</FileSize><TargetFileName>fw.bin</TargetFileName></AllQueuedTransferStruct>"
                  "<AllQueuedTransferStruct><CommandKey>ul-1</CommandKey><State>1</State>"
                  "<IsDownload>false</IsDownload><FileType>2 Vendor Log File</FileType>"
                  "<FileSize>0</FileSize><TargetFileName></TargetFileName></AllQueuedTransferStruct>"
                  "<AllQueuedTransferStruct><CommandKey>sd-1</CommandKey><State>1</State>"
                  "<IsDownload>true</IsDownload><FileType>1 Firmware Upgrade Image</FileType>"
                  "<FileSize>0</FileSize><TargetFileName></TargetFileName></AllQueuedTransferStruct>"
                  "</TransferList></cwmp:GetAllQueuedTransfersResponse>"));
}

// ---- CancelTransfer

TEST_CASE("CancelTransfer removes every not-started transfer with the key") {
    Agent a;
    const std::string ok = message("<cwmp:CancelTransferResponse></cwmp:CancelTransferResponse>");
    DownloadArgs d;
    d.command_key = "same";
    a.call(d.xml());
    UploadArgs u;
    u.command_key = "same";
    a.call(u.xml());
    a.call(DownloadArgs{}.xml());  // "dl-1"
    CHECK(a.call(cancel("same")) == ok);
    const auto ts = a.tasks->transfers();
    REQUIRE(ts.size() == 1);
    CHECK(ts[0].command_key == "dl-1");
    CHECK(a.call(cancel("dl-1")) == ok);
    CHECK(a.tasks->transfers().empty());
}

TEST_CASE("CancelTransfer faults") {
    Agent a;
    DownloadArgs d;
    d.command_key = "busy";
    a.call(d.xml());
    a.call(d.xml());
    a.call(UploadArgs{}.xml());
    a.tasks->set_state(2, TransferState::InProgress);
    a.tasks->set_state(3, TransferState::Completed);
    CHECK(a.call(cancel("busy")) == fault(Fault::CancelationNotPermitted, "the transfer is in progress"));
    CHECK(a.call(cancel("ul-1")) == fault(Fault::CancelationNotPermitted, "the transfer has completed"));
    CHECK(a.tasks->transfers().size() == 3);  // all or nothing: the not-started "busy" stays too
    CHECK(a.call(cancel("nothing")) == fault(Fault::InvalidArguments, "CommandKey: no queued transfer has it"));
    CHECK(a.call("<cwmp:CancelTransfer/>") == fault(Fault::InvalidArguments, "CommandKey: missing"));
    CHECK(a.tasks->transfers().size() == 3);
}

TEST_CASE("what the RPCs queued is on disk when the response is written") {
    Agent a;
    a.call(DownloadArgs{}.xml());
    a.call("<cwmp:Reboot><CommandKey>r</CommandKey></cwmp:Reboot>");
    // A second connection sees only committed transactions.
    cwmp::store::Store other((a.dir / "agent.db").string());
    const cwmp::util::Log log;
    Tasks tasks(other, [] { return kNow; }, log);
    CHECK(tasks.transfers().size() == 1);
    CHECK(tasks.pending_reboot() == "r");
}
