// Faults carry their context: a store that fails inside an RPC (the board's
// settings behind the sim, or the agent's own store) gives a fault whose
// FaultString names the parameter and the cause, and one log line saying the
// same; an exception no handler meant is answered 9002 naming the method and
// the cause, and logged.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "board.h"
#include "cwmp/dm/engine.h"
#include "cwmp/platform_api.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/soap/reader.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/util/log.h"
#include "failing_store.h"
#include "support.h"

using namespace cwmp;

namespace {

constexpr std::int64_t kNow = 1'700'000'060;

// Board settings on a full disk: every write is refused.
struct FullDisk : platform::Settings {
    bool full = false;
    std::map<std::string, std::string> load() const override { return {}; }
    void update(const Update&) override {
        if (full) throw std::runtime_error("disk full");
    }
};

struct World {
    test::TempDir dir{"cwmp-rpc-faults"};
    FullDisk settings;
    std::int64_t t = kNow;
    sim::SimBoard board{[this] { return t; }, {}, &settings};
    dm::Context ctx{board};
    store::Store store{dir.file()};
    dm::Engine engine{gen::schema, ctx, store};
    util::Log log;  // stderr, read back with test::stderr_of
    tasks::Tasks tasks{store, [this] { return t; }, log};
    rpc::Cpe cpe{engine, tasks, &log};

    World() { engine.set_log(&log); }

    void fill_the_agents_disk() const { test::fail_writes(dir.file()); }
};

struct Answered {
    std::string code, text, logged;
};

// The FaultCode and FaultString of the answer to `body`, and what was logged meanwhile.
Answered fault_of(World& w, const std::string& body) {
    const std::string request =
        "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\""
        " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">"
        "<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">f1</cwmp:ID></soap-env:Header>"
        "<soap-env:Body>" + body + "</soap-env:Body></soap-env:Envelope>";
    std::string answer;
    Answered f;
    f.logged = test::stderr_of([&] { answer = w.cpe.answer(request); });
    const soap::ParseResult parsed = soap::parse_envelope(answer);
    REQUIRE_MESSAGE(parsed.envelope.has_value(), answer);
    REQUIRE_MESSAGE(parsed.envelope->is_fault, answer);
    const soap::Element* fault = parsed.envelope->body.child("detail")->child("Fault");
    REQUIRE(fault != nullptr);
    f.code = fault->child("FaultCode")->text;
    f.text = fault->child("FaultString")->text;
    return f;
}

std::string spv(const std::string& name, const std::string& type, const std::string& value) {
    return "<cwmp:SetParameterValues><ParameterList><ParameterValueStruct><Name>" + name +
           "</Name><Value xsi:type=\"xsd:" + type + "\">" + value +
           "</Value></ParameterValueStruct></ParameterList><ParameterKey>k1</ParameterKey>"
           "</cwmp:SetParameterValues>";
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a board whose settings store fails: 9002 naming the parameter and the cause, logged once") {
    World w;
    w.settings.full = true;
    const Answered f = fault_of(w, spv("Device.DeviceInfo.ProvisioningCode", "string", "x"));
    CHECK(f.code == "9002");
    CHECK_MESSAGE(has(f.text, "Device.DeviceInfo.ProvisioningCode"), f.text);
    CHECK_MESSAGE(has(f.text, "disk full"), f.text);  // the cause the board threw, not lost on the way
    CHECK_MESSAGE(has(f.logged, "Device.DeviceInfo."), f.logged);
    CHECK_MESSAGE(has(f.logged, "disk full"), f.logged);
    // One line: the RPC layer does not log what the engine logged already.
    CHECK_MESSAGE(std::count(f.logged.begin(), f.logged.end(), '\n') == 1, f.logged);
}

TEST_CASE("the agent's own store failing in SetParameterValues: 9002 naming the parameter and the cause, logged") {
    World w;
    w.fill_the_agents_disk();
    const Answered f = fault_of(w, spv("Device.ManagementServer.PeriodicInformInterval", "unsignedInt", "600"));
    CHECK(f.code == "9002");
    CHECK_MESSAGE(has(f.text, "Device.ManagementServer.PeriodicInformInterval"), f.text);
    CHECK_MESSAGE(has(f.text, "no space left (test)"), f.text);
    CHECK_MESSAGE(has(f.logged, "Device.ManagementServer.PeriodicInformInterval"), f.logged);
    CHECK_MESSAGE(has(f.logged, "no space left (test)"), f.logged);
    CHECK_MESSAGE(std::count(f.logged.begin(), f.logged.end(), '\n') == 1, f.logged);
    std::string kept;
    REQUIRE(w.engine.get_value("Device.ManagementServer.ParameterKey", kept));
    CHECK(kept.empty());  // nothing applied
}

TEST_CASE("AddObject whose instance cannot be stored: 9002 naming the new instance and the cause") {
    World w;
    w.fill_the_agents_disk();
    const Answered f = fault_of(w, "<cwmp:AddObject><ObjectName>Device.ManagementServer.InformParameter.</ObjectName>"
                                "<ParameterKey>k2</ParameterKey></cwmp:AddObject>");
    CHECK(f.code == "9002");
    CHECK_MESSAGE(has(f.text, "Device.ManagementServer.InformParameter."), f.text);
    CHECK_MESSAGE(has(f.text, "no space left (test)"), f.text);
    CHECK_MESSAGE(has(f.logged, "no space left (test)"), f.logged);
}

TEST_CASE("an exception no handler meant (the task queue's store failing): 9002 naming the method and the cause") {
    World w;
    w.fill_the_agents_disk();
    const Answered f = fault_of(w, "<cwmp:ScheduleInform><DelaySeconds>30</DelaySeconds>"
                                "<CommandKey>c1</CommandKey></cwmp:ScheduleInform>");
    CHECK(f.code == "9002");
    CHECK_MESSAGE(has(f.text, "ScheduleInform"), f.text);
    CHECK_MESSAGE(has(f.text, "no space left (test)"), f.text);
    CHECK_MESSAGE(has(f.logged, "ScheduleInform"), f.logged);
    CHECK_MESSAGE(has(f.logged, "no space left (test)"), f.logged);
}
