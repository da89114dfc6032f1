// The data-model engine over a small hand-written schema whose platform
// functions the test controls: resolving names, walking, all-or-nothing
// SetParameterValues with rollback, attributes, Add/DeleteObject, runtime
// tables, change tracking and persistence across restarts; and the runtime
// store answering through the board's per-object interface.
#include <doctest/doctest.h>

#include "failing_store.h"
#include "support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <random>
#include <thread>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "binding.h"  // runtime/src/dm: the bindings' interface (one binding path)
#include "cwmp/dm/engine.h"
#include "cwmp/store/store.h"
#include "runtime_store.h"

using namespace cwmp;
using namespace cwmp::dm;

namespace {

struct TempDir : test::TempDir {
    TempDir() : test::TempDir("cwmp-engine") {}
};

// The board: Device.Box's values, its Row table, and a switch that makes
// writes of a given value fail part-way.
struct TestBoard : platform::Board {
    std::map<std::string, std::string> box{{"Level", "3"}, {"Name", "box"}, {"Secret", "s3cret"},
                                           {"Uptime", "100"}, {"Version", "1.0"}};
    std::map<std::uint32_t, std::pair<std::string, std::string>> rows{{1, {"cpe-row-1", "10"}},
                                                                      {2, {"cpe-row-2", "20"}}};
    std::string refuse = "13";  // a Row Value the "hardware" rejects
    std::uint32_t broken_row = 0;  // a row whose read throws (a sensor gone)
    int writes = 0;
};

TestBoard& tb(Context& c) { return c.board_as<TestBoard>(); }

// Device.Box params (slots): Level 0, Name 1, RowNumberOfEntries 2, Secret 3, Uptime 4, Version 5
constexpr std::array<const char*, 6> kBoxNames = {"Level", "Name", "", "Secret", "Uptime", "Version"};
Fault read_box(Context& c, const Instance&, std::span<std::string> v) {
    for (std::size_t k = 0; k < kBoxNames.size(); ++k)
        if (*kBoxNames[k]) v[k] = tb(c).box.at(kBoxNames[k]);
    return Fault::None;
}
Fault write_box(Context& c, const Instance&, std::span<const SlotValue> v) {
    for (const SlotValue& sv : v) tb(c).box[kBoxNames[sv.slot]] = std::string(sv.value);
    ++tb(c).writes;
    return Fault::None;
}
Fault row_instances(Context& c, const Instance&, std::vector<std::uint32_t>& out) {
    for (auto& [n, r] : tb(c).rows) out.push_back(n);
    return Fault::None;
}
Fault read_row(Context& c, const Instance& in, std::span<std::string> v) {
    if (in.numbers.back() == tb(c).broken_row) throw std::runtime_error("sensor gone");
    auto it = tb(c).rows.find(in.numbers.back());
    if (it == tb(c).rows.end()) return Fault::InvalidParameterName;
    v[0] = it->second.first;
    v[1] = it->second.second;
    return Fault::None;
}
Fault write_row(Context& c, const Instance& in, std::span<const SlotValue> v) {
    auto& row = tb(c).rows.at(in.numbers.back());
    for (const SlotValue& sv : v) {
        if (sv.slot == 1 && sv.value == tb(c).refuse) return Fault::InvalidParameterValue;
        (sv.slot == 0 ? row.first : row.second) = std::string(sv.value);
    }
    ++tb(c).writes;
    return Fault::None;
}
Fault add_row(Context& c, const Instance&, std::uint32_t& n) {
    if (tb(c).rows.contains(n)) return Fault::InternalError;
    tb(c).rows[n] = {"cpe-row-" + std::to_string(n), "0"};
    return Fault::None;
}
Fault remove_row(Context& c, const Instance& in) {
    return tb(c).rows.erase(in.numbers.back()) ? Fault::None : Fault::InvalidParameterName;
}

const Range kLevelRange[] = {{{true, false, 0}, {true, false, 10}, 0}};
Constraint with_ranges(std::span<const Range> r) {
    Constraint c;
    c.ranges = r;
    return c;
}
const Constraint kLevel = with_ranges(kLevelRange);
const Size kNameSize[] = {{0, 16}};
const Constraint kName = [] {
    Constraint c;
    c.sizes = kNameSize;
    return c;
}();
const std::string_view kModes[] = {"InstanceNumber", "InstanceAlias"};
const Constraint kMode = [] {
    Constraint c;
    c.enums = kModes;
    return c;
}();
const Range kIntervalRange[] = {{{true, false, 1}, {}, 0}};
const Constraint kInterval = with_ranges(kIntervalRange);

// Objects, sorted by path.
const std::uint16_t kBoxParams[] = {0, 1, 4, 5, 6, 7};
const std::uint16_t kRowParams[] = {2, 3};
const std::uint16_t kMSParams[] = {11, 12, 13, 14, 15};
const std::uint16_t kIPParams[] = {8, 9, 10};

constexpr auto P = Binding::Platform;
constexpr auto R = Binding::Runtime;
constexpr auto C = Binding::Count;
constexpr auto RO = Access::ReadOnly;
constexpr auto RW = Access::ReadWrite;

const Object kObjects[] = {
    {"Device.", ObjectAccess::ReadOnly, P, false, 1, 1, Object::kNone, "", {}, nullptr, nullptr,
     nullptr, nullptr, nullptr},
    {"Device.Box.", ObjectAccess::ReadOnly, P, false, 1, 1, 0, "", kBoxParams, nullptr, &read_box, &write_box,
     nullptr, nullptr},
    {"Device.Box.Row.{i}.", ObjectAccess::CreateDelete, P, true, 1, 3, 1, "RowNumberOfEntries", kRowParams,
     &row_instances, &read_row, &write_row, &add_row, &remove_row},
    {"Device.ManagementServer.", ObjectAccess::ReadOnly, R, false, 1, 1, 0, "", kMSParams, nullptr, nullptr,
     nullptr, nullptr, nullptr},
    {"Device.ManagementServer.InformParameter.{i}.", ObjectAccess::CreateDelete, R, true, 0, UINT32_MAX, 3,
     "InformParameterNumberOfEntries", kIPParams, nullptr, nullptr, nullptr, nullptr, nullptr},
};

// Params, sorted by path; fields: path object type access notify binding
// flags default constraint slot.
const Param kParams[] = {
    {"Device.Box.Level", 1, Type::UnsignedInt, RW, Notify::Normal, P, ParamFlag::None, "", &kLevel, 0},
    {"Device.Box.Name", 1, Type::String, RW, Notify::Normal, P, ParamFlag::None, "", &kName, 1},
    {"Device.Box.Row.{i}.Alias", 2, Type::String, RW, Notify::Normal, P, ParamFlag::None, "", nullptr, 0},
    {"Device.Box.Row.{i}.Value", 2, Type::Int, RW, Notify::Normal, P, ParamFlag::None, "", nullptr, 1},
    {"Device.Box.RowNumberOfEntries", 1, Type::UnsignedInt, RO, Notify::Normal, C, ParamFlag::None, "",
     nullptr, 2},
    {"Device.Box.Secret", 1, Type::String, RW, Notify::Normal, P, ParamFlag::Hidden, "", nullptr, 3},
    {"Device.Box.Uptime", 1, Type::UnsignedInt, RO, Notify::CanDeny, P, ParamFlag::None, "", nullptr, 4},
    {"Device.Box.Version", 1, Type::String, RO, Notify::ForceEnabled, P, ParamFlag::ForcedInform, "", nullptr, 5},
    {"Device.ManagementServer.InformParameter.{i}.Alias", 4, Type::String, RW, Notify::Normal, R, ParamFlag::None,
     "", nullptr, 0},
    {"Device.ManagementServer.InformParameter.{i}.Enable", 4, Type::Boolean, RW, Notify::Normal, R,
     ParamFlag::HasDefault, "false", nullptr, 1},
    {"Device.ManagementServer.InformParameter.{i}.ParameterName", 4, Type::String, RW, Notify::Normal, R,
     ParamFlag::None, "", nullptr, 2},
    {"Device.ManagementServer.InformParameterNumberOfEntries", 3, Type::UnsignedInt, RO, Notify::Normal, C,
     ParamFlag::None, "", nullptr, 0},
    // Without a model default, a runtime value starts where the generator
    // says: a value it allows (generator/dmlib/start_value.py).
    {"Device.ManagementServer.InstanceMode", 3, Type::String, RW, Notify::Normal, R, ParamFlag::None,
     "InstanceNumber", &kMode, 1},
    {"Device.ManagementServer.ParameterKey", 3, Type::String, RO, Notify::Normal, R, ParamFlag::ForcedInform, "",
     nullptr, 2},
    {"Device.ManagementServer.PeriodicInformInterval", 3, Type::UnsignedInt, RW, Notify::Normal, R, ParamFlag::None,
     "1", &kInterval, 3},
    {"Device.ManagementServer.URL", 3, Type::String, RW, Notify::Normal, R, ParamFlag::None, "", nullptr,
     4},
};

// The runtime's paths this model has (the generator fills them for a profile).
const Schema kSchema = [] {
    Schema s{"test", "Device:2.19", kObjects, kParams};
    s.paths.root = "Device.";
    auto& ms = s.paths.management_server;
    ms.url = "Device.ManagementServer.URL";
    ms.parameter_key = "Device.ManagementServer.ParameterKey";
    ms.periodic_inform_interval = "Device.ManagementServer.PeriodicInformInterval";
    ms.instance_mode = "Device.ManagementServer.InstanceMode";
    ms.inform_parameter = {.path = "Device.ManagementServer.InformParameter.{i}.",
                           .enable = "Device.ManagementServer.InformParameter.{i}.Enable",
                           .event_list = "",
                           .parameter_name = "Device.ManagementServer.InformParameter.{i}.ParameterName"};
    return s;
}();

struct Fixture {
    TempDir dir;
    TestBoard board;
    Context ctx{board};
    std::unique_ptr<store::Store> store;
    std::unique_ptr<Engine> engine;

    Fixture() { restart(); }
    void restart() {
        engine.reset();
        store = std::make_unique<store::Store>((dir.path / "agent.db").string());
        engine = std::make_unique<Engine>(kSchema, ctx, *store);
    }
    Engine& e() { return *engine; }

    std::vector<std::pair<std::string, bool>> names(std::string_view path, bool next_level, Outcome* r = nullptr) {
        std::vector<std::pair<std::string, bool>> out;
        Outcome o = e().get_names(path, next_level, [&](std::string_view n, bool w) { out.emplace_back(n, w); });
        if (r) *r = o;
        return out;
    }
    std::map<std::string, std::string> values(std::vector<std::string> paths, Outcome* r = nullptr) {
        std::map<std::string, std::string> out;
        Outcome o = e().get_values(paths, [&](std::string_view n, const Param&, std::string_view v) {
            out.emplace(n, v);
        });
        if (r) *r = o;
        return out;
    }
    std::string value(std::string_view name) {
        std::string v;
        REQUIRE(e().get_value(name, v));
        return v;
    }
};

std::vector<std::string> params_of(const std::vector<std::pair<std::string, bool>>& names) {
    std::vector<std::string> out;
    for (auto& [n, w] : names)
        if (n.back() != '.') out.push_back(n);
    return out;
}

}  // namespace

TEST_CASE("GetParameterNames: the root, NextLevel, tables and instances") {
    Fixture f;
    using V = std::vector<std::pair<std::string, bool>>;
    CHECK(f.names("", true) == V{{"Device.", false}});
    CHECK(f.names("Device.", true) == V{{"Device.Box.", false}, {"Device.ManagementServer.", false}});
    CHECK(f.names("Device.Box.Row.", true) == V{{"Device.Box.Row.1.", true}, {"Device.Box.Row.2.", true}});
    CHECK(f.names("Device.Box.Row.2.", true) == V{{"Device.Box.Row.2.Alias", true}, {"Device.Box.Row.2.Value", true}});
    const V box = f.names("Device.Box.", true);
    CHECK(box.size() == 7);  // six parameters and the Row table
    CHECK(box.back() == std::pair<std::string, bool>{"Device.Box.Row.", true});
    CHECK(f.names("Device.Box.Uptime", false) == V{{"Device.Box.Uptime", false}});
    Outcome r;
    f.names("Device.Box.Uptime", true, &r);
    CHECK(r.code == Fault::InvalidArguments);
    for (const char* bad : {"Device.Box.Row.3.", "Device.Nope.", "Device.Box", "Device.Box.Row.0.", "Device..",
                            "Device.Box.Row.[x]."}) {
        f.names(bad, false, &r);
        CHECK_MESSAGE(r.code == Fault::InvalidParameterName, bad);
    }
    const V all = f.names("", false);
    CHECK(all.front().first == "Device.");
    CHECK(all.size() == 1 + 1 + 6 + 1 + 2 * 3 + 1 + 5 + 1);
}

TEST_CASE("GetParameterNames and GetParameterValues agree on every path") {
    Fixture f;
    for (auto& entry : f.names("", false)) {
        const std::string& path = entry.first;  // not a structured binding: doctest's macros capture it
        if (path.back() != '.') continue;
        Outcome r;
        auto vals = f.values({path}, &r);
        REQUIRE(r);
        std::vector<std::string> from_values;
        for (auto& [n, v] : vals) from_values.push_back(n);
        std::vector<std::string> from_names = params_of(f.names(path, false));
        std::sort(from_names.begin(), from_names.end());
        CHECK_MESSAGE(from_names == from_values, path);
    }
}

TEST_CASE("GetParameterValues: platform, runtime defaults, counts, hidden values") {
    Fixture f;
    auto v = f.values({"Device."});
    CHECK(v.at("Device.Box.Level") == "3");
    CHECK(v.at("Device.Box.Secret").empty());  // hidden: reads back empty
    CHECK(v.at("Device.Box.RowNumberOfEntries") == "2");
    CHECK(v.at("Device.ManagementServer.InformParameterNumberOfEntries") == "0");
    CHECK(v.at("Device.ManagementServer.PeriodicInformInterval") == "1");  // the row's start: the least allowed
    CHECK(v.at("Device.ManagementServer.InstanceMode") == "InstanceNumber");  // the row's start: the first enumeration
    CHECK(v.at("Device.ManagementServer.ParameterKey").empty());
    Outcome r;
    f.values({"Device.Box.Level", "Device.Nope"}, &r);
    CHECK(r.code == Fault::InvalidParameterName);
}

TEST_CASE("SetParameterValues is all or nothing and sets ParameterKey only on success") {
    Fixture f;
    std::vector<Engine::NameValue> bad = {{"Device.Box.Level", "7", ""},
                                          {"Device.Box.Level2", "1", ""},
                                          {"Device.Box.Uptime", "5", ""},
                                          {"Device.Box.Name", "far too long for sixteen", ""},
                                          {"Device.Box.Row.1.Value", "x", ""},
                                          {"Device.ManagementServer.PeriodicInformInterval", "60", "boolean"}};
    Outcome r = f.e().set_values(bad, "k1");
    CHECK(r.code == Fault::InvalidArguments);
    REQUIRE(r.details.size() == 5);
    CHECK(r.details[0].code == Fault::InvalidParameterName);
    CHECK(r.details[1].code == Fault::NonWritableParameter);
    CHECK(r.details[2].code == Fault::InvalidParameterValue);
    CHECK(r.details[3].code == Fault::InvalidParameterValue);
    CHECK(r.details[4].code == Fault::InvalidParameterType);
    CHECK(f.value("Device.Box.Level") == "3");
    CHECK(f.value("Device.ManagementServer.ParameterKey").empty());
    CHECK(f.board.writes == 0);

    // The same name twice is invalid arguments.
    r = f.e().set_values(std::vector<Engine::NameValue>{{"Device.Box.Level", "1", ""}, {"Device.Box.Level", "2", ""}},
                         "k");
    CHECK(r.code == Fault::InvalidArguments);

    std::vector<Engine::NameValue> good = {{"Device.Box.Level", "7", "unsignedInt"},
                                           {"Device.ManagementServer.PeriodicInformInterval", "60", "string"},
                                           {"Device.Box.Name", "lounge", ""}};
    std::vector<std::string> heard;
    f.e().on_runtime_change([&](std::string_view n, std::string_view v) { heard.push_back(std::string(n) + "=" + std::string(v)); });
    REQUIRE(f.e().set_values(good, "k2"));
    CHECK(f.board.writes == 1);  // both Box values in one platform write
    CHECK(f.value("Device.Box.Level") == "7");
    CHECK(f.value("Device.Box.Name") == "lounge");
    CHECK(f.value("Device.ManagementServer.ParameterKey") == "k2");
    CHECK(heard == std::vector<std::string>{"Device.ManagementServer.PeriodicInformInterval=60"});
    f.restart();
    CHECK(f.value("Device.ManagementServer.PeriodicInformInterval") == "60");
    CHECK(f.value("Device.ManagementServer.ParameterKey") == "k2");
}

TEST_CASE("a runtime value guard refuses with 9007 and its reason, one per owner, removable") {
    Fixture f;
    const std::string name = "Device.ManagementServer.PeriodicInformInterval";
    auto spv = [&](const char* v) { return f.e().set_values(std::vector<Engine::NameValue>{{name, v, ""}}, "k"); };
    f.e().set_runtime_guard("test", [](std::string_view, std::string_view value) -> std::optional<std::string> {
        if (value == "13") return "unlucky";
        return std::nullopt;
    });
    Outcome r = spv("13");
    REQUIRE(r.details.size() == 1);
    CHECK(r.details[0].code == Fault::InvalidParameterValue);
    CHECK(r.details[0].message.find("unlucky") != std::string::npos);
    CHECK(!f.e().set_runtime_default(name, "13"));
    // Set again by the same owner: replaced, not added.
    f.e().set_runtime_guard("test", [](std::string_view, std::string_view value) -> std::optional<std::string> {
        if (value == "14") return "also unlucky";
        return std::nullopt;
    });
    CHECK(spv("13"));
    CHECK(!spv("14"));
    f.e().set_runtime_guard("test", nullptr);  // removed: nothing left that could dangle
    CHECK(spv("14"));
}

TEST_CASE("the revision moves with every stored change and with nothing else") {
    Fixture f;
    const std::uint64_t start = f.e().revision();
    (void)f.value("Device.ManagementServer.URL");
    CHECK(f.e().revision() == start);  // reading moves nothing
    REQUIRE(f.e().set_runtime("Device.ManagementServer.URL", "http://acs.example/"));
    const std::uint64_t after_write = f.e().revision();
    CHECK(after_write > start);
    REQUIRE(f.e().set_runtime("Device.ManagementServer.URL", "http://acs.example/"));
    CHECK(f.e().revision() == after_write);  // the same value again: no write, no move
    // A refused SetParameterValues changes nothing.
    CHECK(!f.e().set_values(std::vector<Engine::NameValue>{{"Device.Box.Uptime", "5", ""}}, "k"));
    CHECK(f.e().revision() == after_write);
    REQUIRE(f.e().set_values(std::vector<Engine::NameValue>{{"Device.ManagementServer.PeriodicInformInterval", "61", ""}},
                             "k"));
    CHECK(f.e().revision() > after_write);
    const std::uint64_t before_reset = f.e().revision();
    f.e().reset();
    CHECK(f.e().revision() > before_reset);
}

TEST_CASE("a platform write failing part-way rolls back what was written") {
    Fixture f;
    std::vector<Engine::NameValue> req = {{"Device.Box.Name", "changed", ""},
                                          {"Device.Box.Row.1.Value", "11", ""},
                                          {"Device.ManagementServer.URL", "http://acs.example/", ""},
                                          {"Device.Box.Row.2.Value", "13", ""}};
    Outcome r = f.e().set_values(req, "k3");
    CHECK(r.code == Fault::InvalidArguments);
    REQUIRE(r.details.size() == 1);
    CHECK(r.details[0].name == "Device.Box.Row.2.Value");
    CHECK(r.details[0].code == Fault::InvalidParameterValue);
    CHECK(f.value("Device.Box.Name") == "box");
    CHECK(f.value("Device.Box.Row.1.Value") == "10");
    CHECK(f.value("Device.ManagementServer.URL").empty());
    CHECK(f.value("Device.ManagementServer.ParameterKey").empty());
}

TEST_CASE("a board that throws: 9002 whose text names the instance and the cause, once; the engine goes on") {
    Fixture f;
    f.board.broken_row = 2;
    Outcome r;
    f.values({"Device.Box.Row.2.Value"}, &r);
    CHECK(r.code == Fault::InternalError);
    CHECK(r.message.find("Device.Box.Row.2.") != std::string::npos);
    CHECK(r.message.find("sensor gone") != std::string::npos);
    CHECK(r.message.find("read") != std::string::npos);
    // A later fault that is no board failure does not repeat the cause.
    f.values({"Device.Box.Row.7.Value"}, &r);
    CHECK(r.code != Fault::None);
    CHECK(r.message.find("sensor gone") == std::string::npos);
    f.board.broken_row = 0;
    CHECK(f.values({"Device.Box.Row.2.Value"}, &r).at("Device.Box.Row.2.Value") == "20");
    CHECK(r.code == Fault::None);
}

TEST_CASE("attributes: notification rules, access lists, persistence") {
    Fixture f;
    auto attrs = [&](std::string path) {
        std::map<std::string, Attributes> out;
        REQUIRE(f.e().get_attributes(std::vector<std::string>{path},
                                     [&](std::string_view n, const Attributes& a) { out.emplace(n, a); }));
        return out;
    };
    CHECK(attrs("Device.Box.Version").at("Device.Box.Version").notification == 2);  // forceEnabled
    CHECK(attrs("Device.Box.Level").at("Device.Box.Level").notification == 0);

    auto set = [&](std::string name, std::optional<unsigned> n, std::optional<std::vector<std::string>> acl = {}) {
        return f.e().set_attributes(std::vector<AttributeChange>{{name, n, acl}});
    };
    CHECK(set("Device.Box.Uptime", 2).code == Fault::NotificationRequestRejected);  // canDeny
    CHECK(set("Device.Box.Uptime", 1));                                             // passive is fine
    CHECK(set("Device.Box.Version", 0).code == Fault::NotificationRequestRejected);  // forceEnabled
    CHECK(set("Device.Box.Level", 5).code == Fault::NotificationRequestRejected);    // lightweight unsupported
    CHECK(set("Device.Box.Nope", 1).code == Fault::InvalidParameterName);
    // A partial path: all or nothing, and forced parameters keep their setting.
    CHECK(set("Device.Box.", 2).code == Fault::NotificationRequestRejected);
    CHECK(attrs("Device.Box.Level").at("Device.Box.Level").notification == 0);
    CHECK(set("Device.Box.", 1, std::vector<std::string>{"Subscriber"}));
    auto box = attrs("Device.Box.");
    CHECK(box.at("Device.Box.Level").notification == 1);
    CHECK(box.at("Device.Box.Version").notification == 2);
    CHECK(box.at("Device.Box.Row.1.Value").access_list == std::vector<std::string>{"Subscriber"});
    f.restart();
    CHECK(attrs("Device.Box.Row.2.Alias").at("Device.Box.Row.2.Alias").notification == 1);
}

TEST_CASE("AddObject / DeleteObject: limits, counts, numbers never reused") {
    Fixture f;
    std::uint32_t n = 0;
    REQUIRE(f.e().add_object("Device.Box.Row.", "a1", n));
    CHECK(n == 3);
    CHECK(f.value("Device.Box.RowNumberOfEntries") == "3");
    CHECK(f.value("Device.ManagementServer.ParameterKey") == "a1");
    CHECK(f.e().add_object("Device.Box.Row.", "a2", n).code == Fault::ResourcesExceeded);  // maxEntries 3
    CHECK(f.e().add_object("Device.Box.", "a2", n).code == Fault::InvalidParameterName);
    CHECK(f.e().add_object("Device.Box.Row.1.", "a2", n).code == Fault::InvalidParameterName);
    CHECK(f.e().delete_object("Device.Box.Row.", "d").code == Fault::InvalidParameterName);
    CHECK(f.e().delete_object("Device.Box.Row.9.", "d").code == Fault::InvalidParameterName);
    REQUIRE(f.e().delete_object("Device.Box.Row.3.", "d1"));
    REQUIRE(f.e().delete_object("Device.Box.Row.2.", "d2"));
    CHECK(f.e().delete_object("Device.Box.Row.1.", "d3").code == Fault::RequestDenied);  // minEntries 1
    f.restart();
    REQUIRE(f.e().add_object("Device.Box.Row.", "a3", n));
    CHECK(n == 4);  // 2 and 3 are not handed out again

    // A runtime table: rows, defaults and aliases kept by the engine.
    REQUIRE(f.e().add_object("Device.ManagementServer.InformParameter.", "i1", n));
    CHECK(n == 1);
    CHECK(f.value("Device.ManagementServer.InformParameter.1.Alias") == "cpe-1");
    CHECK(f.value("Device.ManagementServer.InformParameter.1.Enable") == "false");
    REQUIRE(f.e().set_values(std::vector<Engine::NameValue>{
                                 {"Device.ManagementServer.InformParameter.1.ParameterName", "Device.Box.Level", ""}},
                             "s"));
    std::vector<AttributeChange> notify{{"Device.ManagementServer.InformParameter.1.Enable", 1u, std::nullopt}};
    REQUIRE(f.e().set_attributes(notify));
    REQUIRE(f.e().add_object("Device.ManagementServer.InformParameter.", "i2", n));
    CHECK(n == 2);
    REQUIRE(f.e().delete_object("Device.ManagementServer.InformParameter.1.", "i3"));
    f.restart();
    CHECK(f.value("Device.ManagementServer.InformParameterNumberOfEntries") == "1");
    Outcome r;
    f.values({"Device.ManagementServer.InformParameter.1.ParameterName"}, &r);
    CHECK(r.code == Fault::InvalidParameterName);
    REQUIRE(f.e().add_object("Device.ManagementServer.InformParameter.", "i4", n));
    CHECK(n == 3);
    CHECK(f.value("Device.ManagementServer.InformParameter.3.ParameterName").empty());  // nothing left behind
}

TEST_CASE("alias-based addressing (CWMP 1.4)") {
    Fixture f;
    Outcome r;
    f.values({"Device.Box.Row.[cpe-row-2].Value"}, &r);
    CHECK(r.code == Fault::InvalidParameterName);  // off until the session enables it
    f.e().set_alias_addressing(true);
    CHECK(f.values({"Device.Box.Row.[cpe-row-2].Value"}).at("Device.Box.Row.2.Value") == "20");
    std::uint32_t n = 0;
    REQUIRE(f.e().add_object("Device.Box.Row.[kitchen].", "a", n));
    CHECK(f.value("Device.Box.Row.[kitchen].Alias") == "kitchen");
    CHECK(f.e().add_object("Device.ManagementServer.InformParameter.[x].", "b", n));
    CHECK(f.e().add_object("Device.ManagementServer.InformParameter.[x].", "c", n).code == Fault::InvalidArguments);
    REQUIRE(f.e().delete_object("Device.Box.Row.[kitchen].", "d"));
    CHECK(f.e().set_values(std::vector<Engine::NameValue>{{"Device.Box.Row.[nope].Value", "1", ""}}, "k").code ==
          Fault::InvalidArguments);
}

TEST_CASE("InstanceMode InstanceAlias names instances by [alias] where the table has an Alias") {
    Fixture f;
    f.e().set_alias_addressing(true);
    {
        Engine::Namer shown(f.e());
        CHECK(shown("Device.Box.Row.2.Value") == "Device.Box.Row.2.Value");  // InstanceNumber (the default)
    }
    REQUIRE(f.e().set_values(std::vector<Engine::NameValue>{{"Device.ManagementServer.InstanceMode", "InstanceAlias", ""}}, "m"));
    Engine::Namer shown(f.e());
    CHECK(shown("Device.Box.Row.2.Value") == "Device.Box.Row.[cpe-row-2].Value");
    CHECK(shown("Device.Box.Row.2.") == "Device.Box.Row.[cpe-row-2].");
    CHECK(shown("Device.Box.Row.") == "Device.Box.Row.");
    CHECK(shown("Device.Box.Level") == "Device.Box.Level");
    std::uint32_t n = 0;
    REQUIRE(f.e().add_object("Device.ManagementServer.InformParameter.", "a", n));
    CHECK(shown("Device.ManagementServer.InformParameter.1.Enable") == "Device.ManagementServer.InformParameter.[cpe-1].Enable");
    f.e().set_alias_addressing(false);  // a CWMP 1.2 session: numbers
    CHECK(Engine::Namer(f.e())("Device.Box.Row.2.Value") == "Device.Box.Row.2.Value");
    CHECK(Engine::Namer(f.e(), true)("Device.Box.Row.2.Value") == "Device.Box.Row.[cpe-row-2].Value");  // an Inform
}

TEST_CASE("value-change tracking: notified changes, not the ACS's own") {
    Fixture f;
    CHECK(f.e().changes().empty());  // first look: the baseline (Version is forceEnabled)
    f.board.box["Version"] = "2.0";
    auto c = f.e().changes();
    REQUIRE(c.size() == 1);
    CHECK(c[0].name == "Device.Box.Version");
    CHECK(c[0].notification == 2);
    f.e().acknowledge(c);
    CHECK(f.e().changes().empty());

    REQUIRE(f.e().set_attributes(std::vector<AttributeChange>{{"Device.Box.Level", 1u, std::nullopt}}));
    CHECK(f.e().changes().empty());
    f.board.box["Level"] = "9";
    c = f.e().changes();
    REQUIRE(c.size() == 1);
    CHECK(c[0].notification == 1);
    CHECK(c[0].value == "9");
    // Not acknowledged: still pending after a restart.
    f.restart();
    CHECK(f.e().changes().size() == 1);
    // The ACS setting it itself is no change to report.
    REQUIRE(f.e().set_values(std::vector<Engine::NameValue>{{"Device.Box.Level", "4", ""}}, "k"));
    CHECK(f.e().changes().empty());
}

TEST_CASE("notification values 3 to 6: the Inform's and the lightweight mechanism") {
    // cwmp-1-4.xsd: 3 passive lightweight, 4 passive + passive lightweight,
    // 5 active lightweight, 6 passive + active lightweight.
    const unsigned inform[] = {0, 1, 2, 0, 1, 0, 1};
    const unsigned lightweight[] = {0, 0, 0, 1, 1, 2, 2};
    for (unsigned n = 0; n <= 6; ++n) {
        CHECK(inform_notification(n) == inform[n]);
        CHECK(lightweight_notification(n) == lightweight[n]);
    }
}

TEST_CASE("lightweight attributes: refused unless supported, canDeny, persisted") {
    Fixture f;
    auto set = [&](std::string name, unsigned n) {
        return f.e().set_attributes(std::vector<AttributeChange>{{name, n, std::nullopt}});
    };
    auto notification = [&](std::string name) {
        unsigned out = 99;
        REQUIRE(f.e().get_attributes(std::vector<std::string>{name},
                                     [&](std::string_view, const Attributes& a) { out = a.notification; }));
        return out;
    };
    for (unsigned n = 3; n <= 6; ++n) CHECK(set("Device.Box.Level", n).code == Fault::NotificationRequestRejected);
    CHECK(notification("Device.Box.Level") == 0);
    f.e().set_lightweight_supported(true);
    for (unsigned n = 3; n <= 6; ++n) {
        CHECK(set("Device.Box.Level", n));
        CHECK(notification("Device.Box.Level") == n);
    }
    // canDeny: passive lightweight yes, active lightweight (5, 6) no.
    CHECK(set("Device.Box.Uptime", 3));
    CHECK(set("Device.Box.Uptime", 4));
    CHECK(set("Device.Box.Uptime", 5).code == Fault::NotificationRequestRejected);
    CHECK(set("Device.Box.Uptime", 6).code == Fault::NotificationRequestRejected);
    CHECK(notification("Device.Box.Uptime") == 4);
    // forceEnabled keeps its active notification.
    CHECK(set("Device.Box.Version", 3).code == Fault::NotificationRequestRejected);
    f.restart();  // the engine's flag comes from the daemon; the attributes from the store
    CHECK(notification("Device.Box.Level") == 6);
    CHECK(notification("Device.Box.Uptime") == 4);
}

TEST_CASE("lightweight value changes: own baselines, independent of the Inform's") {
    Fixture f;
    f.e().set_lightweight_supported(true);
    CHECK(f.e().changes().empty());
    auto set = [&](std::string name, unsigned n) {
        REQUIRE(f.e().set_attributes(std::vector<AttributeChange>{{name, n, std::nullopt}}));
    };
    set("Device.Box.Level", 3);  // passive lightweight only
    set("Device.Box.Name", 6);   // passive + active lightweight
    f.board.box["Level"] = "9";
    f.board.box["Name"] = "attic";
    // The Inform sees Name (passive) alone; the lightweight one both.
    auto inform = f.e().changes();
    REQUIRE(inform.size() == 1);
    CHECK(inform[0].name == "Device.Box.Name");
    CHECK(inform[0].notification == 1);
    auto lw = f.e().lightweight_changes();
    REQUIRE(lw.size() == 2);
    CHECK(lw[0].name == "Device.Box.Level");
    CHECK(lw[0].notification == 1);
    CHECK(lw[0].value == "9");
    CHECK(lw[1].name == "Device.Box.Name");
    CHECK(lw[1].notification == 2);
    // Reported by UDP: still a change for the next Inform, and the other way round.
    f.e().acknowledge_lightweight(lw);
    CHECK(f.e().lightweight_changes().empty());
    CHECK(f.e().changes().size() == 1);
    f.e().acknowledge(f.e().changes());
    f.board.box["Name"] = "cellar";
    f.e().acknowledge(f.e().changes());
    REQUIRE(f.e().lightweight_changes().size() == 1);
    // Pending across a restart (the baseline is stored).
    f.restart();
    CHECK(f.e().lightweight_changes().size() == 1);
    // The ACS's own change is no change to report, by either mechanism.
    REQUIRE(f.e().set_values(std::vector<Engine::NameValue>{{"Device.Box.Name", "hall", ""}}, "k"));
    CHECK(f.e().lightweight_changes().empty());
    CHECK(f.e().changes().empty());
    // Back to 0: tracked no more.
    set("Device.Box.Level", 0);
    f.board.box["Level"] = "1";
    CHECK(f.e().lightweight_changes().empty());
}

TEST_CASE("a store that fails: the operation changes nothing and leaves nothing staged for the next") {
    Fixture f;
    const std::string db = (f.dir.path / "agent.db").string();
    auto count = [&] {
        return f.values({"Device.ManagementServer.InformParameterNumberOfEntries"})
            .at("Device.ManagementServer.InformParameterNumberOfEntries");
    };
    test::fail_writes(db);
    // A board value and a runtime value in one request: the board's is put
    // back, the runtime's never shows, nor does the ParameterKey.
    Outcome r = f.e().set_values(std::vector<Engine::NameValue>{{"Device.Box.Name", "changed", ""},
                                                                {"Device.ManagementServer.URL", "http://acs.example/", ""}},
                                 "k1");
    CHECK(r.code == Fault::InternalError);
    CHECK(f.value("Device.Box.Name") == "box");
    CHECK(f.value("Device.ManagementServer.URL").empty());
    CHECK(f.value("Device.ManagementServer.ParameterKey").empty());
    // A row of a runtime table, and of the board's table (removed again).
    std::uint32_t n = 0;
    CHECK(f.e().add_object("Device.ManagementServer.InformParameter.", "k2", n).code == Fault::InternalError);
    CHECK(count() == "0");
    CHECK(f.e().add_object("Device.Box.Row.", "k3", n).code == Fault::InternalError);
    CHECK(f.board.rows.size() == 2);
    test::free_space(db);
    // The next commit carries only its own change.
    REQUIRE(f.e().set_runtime("Device.ManagementServer.PeriodicInformInterval", "30"));
    f.restart();
    CHECK(f.value("Device.ManagementServer.PeriodicInformInterval") == "30");
    CHECK(f.value("Device.ManagementServer.URL").empty());
    CHECK(f.value("Device.ManagementServer.ParameterKey").empty());
    CHECK(count() == "0");
}

TEST_CASE("reset forgets runtime state") {
    Fixture f;
    REQUIRE(f.e().set_values(std::vector<Engine::NameValue>{{"Device.ManagementServer.URL", "http://a/", ""}}, "k"));
    std::uint32_t n = 0;
    REQUIRE(f.e().add_object("Device.ManagementServer.InformParameter.", "k", n));
    f.e().reset();
    f.restart();
    CHECK(f.value("Device.ManagementServer.URL").empty());
    CHECK(f.value("Device.ManagementServer.InformParameterNumberOfEntries") == "0");
}

TEST_CASE("SetParameterValues is wholly before or wholly after a kill -9, 200 times") {
    test::TempDir dir("cwmp-engine-kill");
    const std::string file = dir.file();
    TestBoard board;
    Context ctx(board);
    constexpr int kRows = 8;
    {
        store::Store s(file);
        Engine e(kSchema, ctx, s);
        for (int i = 0; i < kRows; ++i) {
            std::uint32_t n = 0;
            REQUIRE(e.add_object("Device.ManagementServer.InformParameter.", "setup", n));
        }
    }
    // Generation n: every runtime value of the request says n, and so does ParameterKey.
    auto request = [](std::uint64_t n) {
        std::vector<Engine::NameValue> v{{"Device.ManagementServer.URL", "http://acs-" + std::to_string(n) + "/", ""},
                                         {"Device.ManagementServer.PeriodicInformInterval", std::to_string(n), ""}};
        for (int r = 1; r <= kRows; ++r)
            v.push_back({"Device.ManagementServer.InformParameter." + std::to_string(r) + ".ParameterName",
                         "Device.Box.Gen" + std::to_string(n), ""});
        return v;
    };
    std::mt19937 rng(20261124);
    std::uint64_t last_seen = 0;
    for (int round = 0; round < 200; ++round) {
        test::Progress progress;
        const pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {  // the child commits generations until it is killed
            store::Store s(file);
            Engine e(kSchema, ctx, s);
            std::string key;
            (void)e.get_value("Device.ManagementServer.ParameterKey", key);
            std::uint64_t n = key.starts_with("gen-") ? std::stoull(key.substr(4)) + 1 : 1;
            for (bool first = true;; ++n, first = false) {
                if (!e.set_values(request(n), "gen-" + std::to_string(n))) _exit(3);
                if (first) progress.tell();  // begun: the kill comes during a later commit or between two
            }
        }
        const bool begun = progress.wait();
        std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 4000)(rng)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        REQUIRE_MESSAGE(begun, "round " << round << ": the child never committed");
        REQUIRE_MESSAGE(WIFSIGNALED(status), "the child stopped on its own");
        store::Store s(file);
        Engine e(kSchema, ctx, s);
        std::string key;
        REQUIRE(e.get_value("Device.ManagementServer.ParameterKey", key));
        REQUIRE(key.starts_with("gen-"));
        const std::uint64_t n = std::stoull(key.substr(4));
        CHECK(n > last_seen);  // each round committed at least one generation, and none was lost
        last_seen = n;
        std::map<std::string, std::string> values;
        REQUIRE(e.get_values(std::vector<std::string>{"Device.ManagementServer."},
                             [&](std::string_view name, const Param&, std::string_view v) { values.emplace(name, v); }));
        for (const Engine::NameValue& nv : request(n)) CHECK_MESSAGE(values.at(nv.name) == nv.value, nv.name);
    }
    CHECK(last_seen >= 200);
}

// One binding path (issue 12): the runtime's store answers for its objects
// through the same per-object interface as the board's objects, and what it
// keeps is what the engine shows.
namespace {

struct Exercised {
    std::vector<std::uint32_t> before, after_add, after_remove;
    std::uint32_t number = 0;
    std::string read_back;
};

// Only ObjectBinding's calls: the same code for either binding.
Exercised exercise(ObjectBinding& b, const Object& table, std::uint32_t proposed, SlotValue sv) {
    Exercised x;
    REQUIRE(b.instances(table, Instance{}, x.before) == Fault::None);
    x.number = proposed;
    REQUIRE(b.add(table, Instance{}, x.number) == Fault::None);
    const std::uint32_t row[] = {x.number};
    REQUIRE(b.instances(table, Instance{}, x.after_add) == Fault::None);
    REQUIRE(b.write(table, Instance{row}, std::span(&sv, 1)) == Fault::None);
    std::vector<std::string> values(table.params.size());
    REQUIRE(b.read(table, Instance{row}, values, {}) == Fault::None);
    x.read_back = values[sv.slot];
    REQUIRE(b.remove(table, Instance{row}) == Fault::None);
    REQUIRE(b.instances(table, Instance{}, x.after_remove) == Fault::None);
    return x;
}

}  // namespace

TEST_CASE("the runtime store answers through the board's per-object interface") {
    TempDir dir;
    store::Store db((dir.path / "agent.db").string());
    TestBoard board;
    Context ctx{board};
    BoardObjects board_objects(ctx);
    RuntimeStore runtime(kSchema, db);
    const Object& rows = kObjects[2];    // Device.Box.Row.{i}.: the board's
    const Object& params = kObjects[4];  // Device.ManagementServer.InformParameter.{i}.: the runtime's

    const Exercised on_board = exercise(board_objects, rows, 7, {1, "42"});
    CHECK(on_board.before == std::vector<std::uint32_t>{1, 2});
    CHECK(on_board.after_add == std::vector<std::uint32_t>{1, 2, 7});
    CHECK(on_board.read_back == "42");
    CHECK(on_board.after_remove == on_board.before);

    const Exercised in_store = exercise(runtime, params, 7, {2, "Device.Box.Level"});
    CHECK(in_store.before.empty());
    CHECK(in_store.after_add == std::vector<std::uint32_t>{7});
    CHECK(in_store.read_back == "Device.Box.Level");
    CHECK(in_store.after_remove.empty());

    // Staged until committed: a Scope that ends drops what was not applied.
    std::uint32_t n = 3;
    {
        const RuntimeStore::Scope scope(runtime);
        REQUIRE(runtime.add(params, Instance{}, n) == Fault::None);
    }
    std::vector<std::uint32_t> listed;
    REQUIRE(runtime.instances(params, Instance{}, listed) == Fault::None);
    CHECK(listed.empty());

    // Committed, it is what an engine over the same store shows, read by the
    // same calls as the board's objects; and what the engine adds, the
    // store lists.
    {
        const RuntimeStore::Scope scope(runtime);
        REQUIRE(runtime.add(params, Instance{}, n) == Fault::None);
        const std::uint32_t row[] = {n};
        const SlotValue sv{2, "Device.Box.Name"};
        REQUIRE(runtime.write(params, Instance{row}, std::span(&sv, 1)) == Fault::None);
        store::Store::Batch batch;
        runtime.stage(batch);
        db.commit(batch);
        runtime.applied();
    }
    {
        Engine engine(kSchema, ctx, db);
        std::map<std::string, std::string> seen;
        REQUIRE(engine.get_values(std::vector<std::string>{"Device.ManagementServer."},
                                  [&](std::string_view name, const Param&, std::string_view v) { seen.emplace(name, v); }));
        CHECK(seen.at("Device.ManagementServer.InformParameterNumberOfEntries") == "1");
        CHECK(seen.at("Device.ManagementServer.InformParameter.3.ParameterName") == "Device.Box.Name");
        CHECK(seen.at("Device.ManagementServer.InformParameter.3.Enable") == "false");  // the model's default
        std::uint32_t added = 0;
        REQUIRE(engine.add_object("Device.ManagementServer.InformParameter.", "k", added));
        CHECK(added == 4);
    }
    RuntimeStore reloaded(kSchema, db);
    REQUIRE(reloaded.instances(params, Instance{}, listed) == Fault::None);
    CHECK(listed == std::vector<std::uint32_t>{3, 4});
    std::vector<std::string> values(params.params.size());
    const std::uint32_t four[] = {4};
    REQUIRE(reloaded.read(params, Instance{four}, values, {}) == Fault::None);
    CHECK(values[0] == "cpe-4");  // the Alias the runtime assigned
}

TEST_CASE("a read of the runtime store fills the slots asked for alone, with what a whole read gives") {
    TempDir dir;
    store::Store db((dir.path / "agent.db").string());
    RuntimeStore runtime(kSchema, db);
    const Object& params = kObjects[4];  // Device.ManagementServer.InformParameter.{i}.
    const RuntimeStore::Scope scope(runtime);
    std::uint32_t n = 5;
    REQUIRE(runtime.add(params, Instance{}, n) == Fault::None);
    const std::uint32_t row[] = {n};
    const SlotValue sv{2, "Device.Box.Name"};
    REQUIRE(runtime.write(params, Instance{row}, std::span(&sv, 1)) == Fault::None);

    std::vector<std::string> whole(params.params.size()), some(params.params.size());
    REQUIRE(runtime.read(params, Instance{row}, whole, {}) == Fault::None);
    const std::uint16_t wanted[] = {2};
    REQUIRE(runtime.read(params, Instance{row}, some, wanted) == Fault::None);
    CHECK(some[2] == "Device.Box.Name");
    CHECK(some[2] == whole[2]);
    for (std::size_t k = 0; k < some.size(); ++k)
        if (k != 2) CHECK_MESSAGE(some[k].empty(), "slot ", k, " read though not asked for");
    CHECK(whole[1] == "false");  // Enable: the model's default, filled by the whole read
}
