// The board seam's persistence: the Settings libcwmp keeps in the agent's
// store for a board (what the ACS wrote survives a restart, a factory reset
// wipes it), the sim keeping its settings and table rows there, and the
// engine keeping the Alias of a board's table when the board leaves it to
// the runtime.
#include <doctest/doctest.h>

#include "support.h"

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/dm/engine.h"
#include "cwmp/platform/board.h"
#include "cwmp/store/board_settings.h"
#include "cwmp/store/store.h"

using namespace cwmp;
using namespace cwmp::dm;

TEST_CASE("board settings live in the agent's store: one update at a time, a restart keeps them, wipe forgets") {
    test::TempDir dir("cwmp-board-settings");
    {
        store::Store s(dir.file());
        store::BoardSettings settings(s);
        CHECK(settings.load().empty());
        settings.put("Device.DeviceInfo.ProvisioningCode", "prov-1");
        settings.update({{"a", "1"}, {"b", "2"}, {"a", std::nullopt}});
        settings.put("c", "");
    }
    store::Store s(dir.file());
    store::BoardSettings settings(s);
    CHECK(settings.load() == std::map<std::string, std::string>{
                                 {"Device.DeviceInfo.ProvisioningCode", "prov-1"}, {"b", "2"}, {"c", ""}});
    // The board's space is its own: the agent's values are not in it, nor wiped with it.
    s.commit([] {
        store::Store::Batch b;
        b.put("value", "Device.ManagementServer.URL", "http://acs/");
        return b;
    }());
    settings.wipe();
    CHECK(settings.load().empty());
    CHECK(s.get("value", "Device.ManagementServer.URL") == "http://acs/");
}

namespace {

// Settings whose store refuses every write (a full disk).
struct FullDisk : platform::Settings {
    std::map<std::string, std::string> load() const override { return {}; }
    void update(const Update&) override { throw std::runtime_error("disk full"); }
};

}  // namespace

TEST_CASE("the sim keeps what the ACS wrote, and the rows it added, across a restart; factory reset forgets") {
    test::TempDir dir("cwmp-sim-settings");
    auto clock = [] { return std::int64_t{1700000000}; };
    const std::string kServers = "Device.DNS.Client.Server.";
    {
        store::Store s(dir.file());
        store::BoardSettings settings(s);
        sim::SimBoard b(clock, {}, &settings);
        b.store("Device.DeviceInfo.ProvisioningCode", std::string("prov-7"));
        b.store("Device.DNS.Client.Server.1.Alias", std::string("primary"));
        CHECK(b.add_row(kServers, 2, 4) == 3);
        b.store("Device.DNS.Client.Server.3.DNSServer", std::string("192.0.2.9"));
        CHECK(b.add_row(kServers, 2, 4) == 4);
        CHECK(b.remove_row(kServers, 2, 2));
    }
    store::Store s(dir.file());
    store::BoardSettings settings(s);
    {
        sim::SimBoard b(clock, {}, &settings);
        CHECK(b.setting<std::string>("Device.DeviceInfo.ProvisioningCode", "") == "prov-7");
        CHECK(b.setting<std::string>("Device.DNS.Client.Server.1.Alias", "cpe-dns-1") == "primary");
        CHECK(b.setting<std::string>("Device.DNS.Client.Server.3.DNSServer", "") == "192.0.2.9");
        CHECK(b.rows(kServers, 2) == std::vector<std::uint32_t>{1, 3, 4});
        // Numbers are never reused, across restarts too; a removed row takes its settings along.
        CHECK(b.remove_row(kServers, 2, 3));
        CHECK(b.add_row(kServers, 2, 4) == 5);
        CHECK(b.setting<std::string>("Device.DNS.Client.Server.3.DNSServer", "") == "");
        CHECK_FALSE(settings.load().contains("Device.DNS.Client.Server.3.DNSServer"));

        // Factory reset: cwmpd wipes the Settings, then the board forgets what it holds.
        settings.wipe();
        b.factory_reset();
        CHECK(b.setting<std::string>("Device.DeviceInfo.ProvisioningCode", "factory") == "factory");
        CHECK(b.rows(kServers, 2) == std::vector<std::uint32_t>{1, 2});
    }
    sim::SimBoard after(clock, {}, &settings);
    CHECK(after.setting<std::string>("Device.DNS.Client.Server.1.Alias", "cpe-dns-1") == "cpe-dns-1");
    CHECK(after.rows(kServers, 2) == std::vector<std::uint32_t>{1, 2});
}

TEST_CASE("a write the store refuses leaves the sim as it was") {
    FullDisk full;
    sim::SimBoard b([] { return std::int64_t{1700000000}; }, {}, &full);
    CHECK_THROWS_AS(b.store("Device.DeviceInfo.ProvisioningCode", std::string("x")), std::runtime_error);
    CHECK(b.setting<std::string>("Device.DeviceInfo.ProvisioningCode", "none") == "none");
    CHECK_THROWS_AS(b.add_row("Device.DNS.Client.Server.", 2, 4), std::runtime_error);
    CHECK(b.rows("Device.DNS.Client.Server.", 2) == std::vector<std::uint32_t>{1, 2});
}

namespace {

// A board whose Port table has instances of its own (1 and 3) and leaves
// their Alias to the engine (binding runtime).
struct PortBoard : platform::Board {
    std::vector<std::uint32_t> ports{1, 3};
};
Fault port_instances(Context& c, const Instance&, std::vector<std::uint32_t>& out) {
    out = c.board_as<PortBoard>().ports;
    return Fault::None;
}
Fault read_port(Context&, const Instance& in, std::span<std::string> v) {
    v[1] = std::to_string(in.numbers.back() * 100);
    return Fault::None;
}

const std::uint16_t kPortParams[] = {0, 1};
const Object kObjects[] = {
    {"Device.", ObjectAccess::ReadOnly, Binding::Platform, false, 1, 1, Object::kNone, "", {}, nullptr, nullptr,
     nullptr, nullptr, nullptr},
    {"Device.Port.{i}.", ObjectAccess::ReadOnly, Binding::Platform, true, 0, 8, 0, "", kPortParams,
     &port_instances, &read_port, nullptr, nullptr, nullptr},
};
const Param kParams[] = {
    {"Device.Port.{i}.Alias", 1, Type::String, Access::ReadWrite, Notify::Normal, Binding::Runtime, ParamFlag::None,
     "", nullptr, 0},
    {"Device.Port.{i}.Speed", 1, Type::UnsignedInt, Access::ReadOnly, Notify::Normal, Binding::Platform,
     ParamFlag::None, "", nullptr, 1},
};
const Schema kSchema{"ports", "Device:2.19", kObjects, kParams};

}  // namespace

TEST_CASE("the Alias of a board's table kept by the engine: cpe-N until set, kept across a restart, reset wipes") {
    test::TempDir dir("cwmp-port-alias");
    PortBoard board;
    Context ctx(board);
    auto alias = [](Engine& e, const char* name) {
        std::string v;
        REQUIRE(e.get_value(name, v));
        return v;
    };
    {
        store::Store s(dir.file());
        Engine e(kSchema, ctx, s);
        CHECK(alias(e, "Device.Port.1.Alias") == "cpe-1");
        CHECK(alias(e, "Device.Port.3.Alias") == "cpe-3");
        const Engine::NameValue set[] = {{"Device.Port.3.Alias", "uplink", ""}};
        REQUIRE(e.set_values(set, "k"));
    }
    store::Store s(dir.file());
    {
        Engine e(kSchema, ctx, s);
        CHECK(alias(e, "Device.Port.3.Alias") == "uplink");
        CHECK(alias(e, "Device.Port.1.Alias") == "cpe-1");
        // Alias-based addressing finds the instance by it.
        e.set_alias_addressing(true);
        std::string speed;
        REQUIRE(e.get_value("Device.Port.[uplink].Speed", speed));
        CHECK(speed == "300");
        e.reset();
    }
    Engine e(kSchema, ctx, s);
    CHECK(alias(e, "Device.Port.3.Alias") == "cpe-3");
}

namespace {

struct CountingSettings : platform::Settings {
    platform::MemorySettings kept;
    int updates = 0;
    std::map<std::string, std::string> load() const override { return kept.load(); }
    void update(const Update& changes) override {
        ++updates;
        kept.update(changes);
    }
};

// The shape of a generated Changes struct: a value per parameter present.
struct TwoChanges {
    template <class F>
    void for_each(F&& f) const {
        f(std::string_view{"Enable"}, true);
        f(std::string_view{"Name"}, std::string("eth-wan"));
    }
};

}  // namespace

TEST_CASE("the values of one write reach the store in one update; unchanged values in none") {
    CountingSettings settings;
    sim::SimBoard b([] { return std::int64_t{1700000000}; }, {}, &settings);
    b.store_changes("Device.IP.Interface.1.", TwoChanges{});
    CHECK(settings.updates == 1);
    CHECK(settings.kept.load() == std::map<std::string, std::string>{{"Device.IP.Interface.1.Enable", "true"},
                                                                      {"Device.IP.Interface.1.Name", "eth-wan"}});
    b.store_changes("Device.IP.Interface.1.", TwoChanges{});
    CHECK(settings.updates == 1);
    CHECK(b.setting("Device.IP.Interface.1.Enable", false));
}
