// The rdk-stb tables over platform/sim: every platform value of every
// instance reads, is consistent between the per-object and per-parameter
// thunks, and satisfies the BBF constraints of its parameter.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/dm/schema.h"
#include "cwmp/platform_api.h"
#include "fake_clock.h"

using cwmp::Fault;
using namespace cwmp::dm;
using test::FakeClock;

namespace {

// Instance tuples of every object, parents first (the table is sorted by path).
std::vector<std::vector<std::vector<std::uint32_t>>> all_instances(const Schema& s, Context& ctx) {
    std::vector<std::vector<std::vector<std::uint32_t>>> out(s.objects.size());
    for (std::size_t i = 0; i < s.objects.size(); ++i) {
        const Object& o = s.objects[i];
        std::vector<std::vector<std::uint32_t>> parents{{}};
        if (o.parent != Object::kNone) parents = out[o.parent];
        for (const auto& p : parents) {
            if (!o.multi) {
                out[i].push_back(p);
            } else if (o.instances != nullptr) {
                std::vector<std::uint32_t> numbers;
                REQUIRE(o.instances(ctx, Instance{p}, numbers) == Fault::None);
                CHECK_MESSAGE(numbers.size() >= o.min_entries, o.path);
                CHECK_MESSAGE(numbers.size() <= o.max_entries, o.path);
                for (std::uint32_t n : numbers) {
                    auto tuple = p;
                    tuple.push_back(n);
                    out[i].push_back(tuple);
                }
            }
        }
    }
    return out;
}

std::size_t count(const Schema& s, const std::vector<std::vector<std::vector<std::uint32_t>>>& inst,
                  std::string_view path) {
    const Object* o = find_object(s, path);
    REQUIRE_MESSAGE(o != nullptr, path);
    return inst[static_cast<std::size_t>(o - s.objects.data())].size();
}

std::string get(const Schema& s, Context& ctx, std::string_view path, std::vector<std::uint32_t> n) {
    const Param* p = find_param(s, path);
    REQUIRE_MESSAGE(p != nullptr, path);
    std::string v;
    REQUIRE_MESSAGE(get_value(s, *p, ctx, Instance{n}, v) == Fault::None, path);
    return v;
}

}  // namespace

TEST_CASE("every platform value of rdk-stb reads and satisfies its constraints") {
    FakeClock clock;
    cwmp::sim::SimBoard board([&clock] { return clock.t; });
    Context ctx(board);
    const Schema& s = cwmp::gen::schema;
    CHECK(s.profile == "rdk-stb");
    clock.t += 3600;

    auto inst = all_instances(s, ctx);
    std::size_t values = 0;
    for (std::size_t i = 0; i < s.objects.size(); ++i) {
        const Object& o = s.objects[i];
        if (o.read == nullptr) continue;
        for (const auto& numbers : inst[i]) {
            std::vector<std::string> slots(o.params.size());
            REQUIRE_MESSAGE(o.read(ctx, Instance{numbers}, slots) == Fault::None, o.path);
            for (std::size_t k = 0; k < o.params.size(); ++k) {
                const Param& p = s.params[o.params[k]];
                if (p.binding != Binding::Platform) continue;
                ++values;
                std::string one;
                REQUIRE(get_value(s, p, ctx, Instance{numbers}, one) == Fault::None);
                CHECK_MESSAGE(one == slots[k], p.path);
                CHECK_MESSAGE(validate(p, slots[k]) == Fault::None,
                              (std::string(p.path) + " = '" + slots[k] + "'"));
            }
        }
    }
    MESSAGE("platform values read: " << values);
    CHECK(values > 1000);

    CHECK(count(s, inst, "Device.Services.STBService.{i}.Components.FrontEnd.{i}.") == 2);
    CHECK(count(s, inst, "Device.Services.STBService.{i}.AVPlayers.AVPlayer.{i}.") == 4);
    CHECK(count(s, inst, "Device.IP.Interface.{i}.") == 3);
    CHECK(count(s, inst, "Device.Services.StorageService.{i}.LogicalVolume.{i}.") == 2);
}

TEST_CASE("values move with time") {
    FakeClock clock;
    cwmp::sim::SimBoard board([&clock] { return clock.t; });
    Context ctx(board);
    const Schema& s = cwmp::gen::schema;

    clock.t += 100;
    std::string up1 = get(s, ctx, "Device.DeviceInfo.UpTime", {});
    std::string bytes1 = get(s, ctx, "Device.IP.Interface.{i}.Stats.BytesReceived", {1});
    clock.t += 25;
    CHECK(get(s, ctx, "Device.DeviceInfo.UpTime", {}) == "125");
    CHECK(up1 == "100");
    CHECK(std::stoull(get(s, ctx, "Device.IP.Interface.{i}.Stats.BytesReceived", {1})) >
          std::stoull(bytes1));

    // Tuner 1 locks and unlocks; tuner 2 stays locked.
    std::map<std::string, int> seen1, seen2;
    const char* locked = "Device.Services.STBService.{i}.Components.FrontEnd.{i}.DVBT.Modulation.Locked";
    for (int i = 0; i < 8; ++i) {
        clock.t += 5;
        ++seen1[get(s, ctx, locked, {1, 1})];
        ++seen2[get(s, ctx, locked, {1, 2})];
    }
    CHECK(seen1.size() == 2);
    CHECK(seen2.size() == 1);
    CHECK(seen2.count("true") == 1);
}

TEST_CASE("written settings read back and bad values are refused") {
    FakeClock clock;
    cwmp::sim::SimBoard board([&clock] { return clock.t; });
    Context ctx(board);
    const Schema& s = cwmp::gen::schema;

    const Param* tz = find_param(s, "Device.Time.LocalTimeZone");
    REQUIRE(tz != nullptr);
    CHECK(set_value(s, *tz, ctx, Instance{}, "CET-1CEST,M3.5.0,M10.5.0/3") == Fault::None);
    CHECK(get(s, ctx, "Device.Time.LocalTimeZone", {}) == "CET-1CEST,M3.5.0,M10.5.0/3");

    const Param* enable = find_param(s, "Device.Time.Enable");
    REQUIRE(enable != nullptr);
    CHECK(validate(*enable, "maybe") == Fault::InvalidParameterType);
    CHECK(set_value(s, *enable, ctx, Instance{}, "maybe") == Fault::InvalidParameterType);
    CHECK(set_value(s, *enable, ctx, Instance{}, "false") == Fault::None);
    const Param* uptime = find_param(s, "Device.DeviceInfo.UpTime");
    REQUIRE(uptime != nullptr);
    CHECK(set_value(s, *uptime, ctx, Instance{}, "5") == Fault::NonWritableParameter);
    CHECK(get(s, ctx, "Device.Time.Enable", {}) == "false");
}

TEST_CASE("the ACS adds and deletes DNS servers") {
    FakeClock clock;
    cwmp::sim::SimBoard board([&clock] { return clock.t; });
    Context ctx(board);
    const Schema& s = cwmp::gen::schema;
    const Object* servers = find_object(s, "Device.DNS.Client.Server.{i}.");
    REQUIRE(servers != nullptr);
    REQUIRE((servers->add != nullptr));
    REQUIRE((servers->remove != nullptr));
    std::vector<std::uint32_t> before;
    REQUIRE(servers->instances(ctx, Instance{}, before) == Fault::None);
    std::uint32_t number = 0;
    REQUIRE(servers->add(ctx, Instance{}, number) == Fault::None);
    CHECK(number > 0);
    std::vector<std::uint32_t> after;
    REQUIRE(servers->instances(ctx, Instance{}, after) == Fault::None);
    CHECK(after.size() == before.size() + 1);
    std::vector<std::uint32_t> one{number};
    CHECK(servers->remove(ctx, Instance{one}) == Fault::None);
    CHECK(servers->remove(ctx, Instance{one}) == Fault::InvalidParameterName);
}

TEST_CASE("a row's flags: named bits the generator sets, the bools the engine reads agree") {
    const Schema& s = cwmp::gen::schema;
    auto flags = [&](std::string_view path) {
        const Param* p = find_param(s, path);
        REQUIRE_MESSAGE(p != nullptr, path);
        return p->flags;
    };
    CHECK(flags("Device.ManagementServer.ParameterKey") == ParamFlag::ForcedInform);
    CHECK(flags("Device.ManagementServer.Password") == ParamFlag::Hidden);
    CHECK(flags("Device.DHCPv4.Client.{i}.DNSServers") == (ParamFlag::List | ParamFlag::HasDefault));
    CHECK(flags("Device.ManagementServer.PeriodicInformEnable") == ParamFlag::None);
    CHECK(wire_type(*find_param(s, "Device.DHCPv4.Client.{i}.DNSServers")) == Type::String);
    for (const Param& p : s.params) {
        if (p.binding == cwmp::dm::Binding::Runtime) continue;  // below
        CHECK_MESSAGE((has(p.flags, ParamFlag::HasDefault) || p.default_value.empty()), p.path);
    }
}

TEST_CASE("a runtime-bound value starts where the generator says: the model's default, else a value it allows") {
    const Schema& s = cwmp::gen::schema;
    cwmp::dm::PatternCache patterns;
    for (const Param& p : s.params) {
        if (p.binding != cwmp::dm::Binding::Runtime || has(p.flags, ParamFlag::HasDefault)) continue;
        // Allowed, unless the parameter gives nothing to start from (no
        // enumeration, no least value: an OUI of six characters starts empty).
        const cwmp::dm::Constraint* c = p.constraint;
        const bool nothing_better = c == nullptr || (c->enums.empty() && (c->ranges.empty() || !c->ranges.front().min.set));
        CHECK_MESSAGE((cwmp::dm::validate(p, p.default_value, &patterns) == Fault::None || nothing_better), p.path,
                      " starts at '", p.default_value, "'");
    }
    auto start = [&](std::string_view path) {
        const Param* p = find_param(s, path);
        REQUIRE_MESSAGE(p != nullptr, path);
        return std::string(p->default_value);
    };
    CHECK(start("Device.ManagementServer.InstanceMode") == "InstanceNumber");  // the model's default
    CHECK(start("Device.IP.Diagnostics.IPPing.DiagnosticsState") == "None");    // the first enumeration value
    CHECK(start("Device.ManagementServer.CWMPRetryMinimumWaitInterval") == "1");  // the least of its range
    CHECK(start("Device.ManagementServer.PeriodicInformEnable") == "false");      // the type's zero
    CHECK(start("Device.ManagementServer.URL").empty());
}
