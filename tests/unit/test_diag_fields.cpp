// The diagnostics' typed fields (runtime/src/diag/fields.h, typed.h) over two
// generated profiles: inputs read from the object's values at the profile's
// paths, results written from their types at the profile's paths, under
// TR-181 (rdk-stb, Device.IP.Diagnostics.*) and TR-098 (igd,
// InternetGatewayDevice.*Diagnostics., a route hop's HopHost, ...); a field the
// profile lacks is skipped.  Every path written is one the profile's schema has.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>

#include "cwmp/dm/schema.h"
#include "typed.h"

// The two profiles' schemas (their boards, sim and sim-igd, linked in).
namespace cwmp::gen::inline rdk_stb {
extern const dm::Schema schema;
}
namespace cwmp::gen::inline igd {
extern const dm::Schema schema;
}

using namespace cwmp;

namespace {

std::map<std::string, std::string> as_map(const diag::Output& out) {
    std::map<std::string, std::string> m;
    for (const auto& [k, v] : out.values) m[k] = v;
    return m;
}

// Every value and table of `out` is a parameter / table of `schema`.
void check_in_schema(const dm::Schema& schema, const diag::Output& out) {
    for (const auto& [name, value] : out.values) {
        // "…RouteHops.2.Host" -> "…RouteHops.{i}.Host"
        std::string tmpl;
        for (std::size_t at = 0; at < name.size();) {
            const std::size_t dot = std::min(name.find('.', at), name.size());
            const std::string seg = name.substr(at, dot - at);
            tmpl += seg.find_first_not_of("0123456789") == std::string::npos ? "{i}" : seg;
            if (dot < name.size()) tmpl += '.';
            at = dot + 1;
        }
        CHECK_MESSAGE(dm::find_param(schema, tmpl) != nullptr, name);
    }
    for (const auto& [table, rows] : out.tables)
        CHECK_MESSAGE(dm::find_object(schema, table + "{i}.") != nullptr, table);
}

diag::TraceRouteResults two_hops() {
    diag::TraceRouteResults r;
    r.ip_address_used = "192.0.2.1";
    r.response_time = 12;
    r.route_hops.push_back({"10.0.0.1", "10.0.0.1", 0, {1, 2, 3}});
    r.route_hops.push_back({"192.0.2.9", "192.0.2.9", 3, {7}});
    return r;
}

}  // namespace

TEST_CASE("typed inputs are read at the profile's paths: TR-181 and TR-098") {
    const auto& rdk = gen::rdk_stb::schema.paths.ip.diagnostics.ip_ping;
    diag::Params p;
    p.values = {{"Device.IP.Diagnostics.IPPing.Host", "example.net"},
                {"Device.IP.Diagnostics.IPPing.NumberOfRepetitions", "7"},
                {"Device.IP.Diagnostics.IPPing.ProtocolVersion", "IPv6"},
                {"Device.IP.Diagnostics.IPPing.DSCP", "not a number"}};  // keeps its initial value
    const auto in = diag::read_inputs<std::decay_t<decltype(rdk)>, diag::IPPingInputs>(rdk, p);
    CHECK(in.host == "example.net");
    CHECK(in.number_of_repetitions == 7);
    CHECK(in.protocol_version == "IPv6");
    CHECK(in.dscp == 0);

    const auto& igd = gen::igd::schema.paths.ip.diagnostics.ip_ping;
    CHECK(igd.path == "InternetGatewayDevice.IPPingDiagnostics.");
    CHECK(igd.protocol_version.empty());  // TR-098's IPPing has none
    diag::Params q;
    q.values = {{"InternetGatewayDevice.IPPingDiagnostics.Host", "gw.example"},
                {"InternetGatewayDevice.IPPingDiagnostics.Timeout", "250"},
                {"Device.IP.Diagnostics.IPPing.Host", "not this one"}};
    const auto in2 = diag::read_inputs<std::decay_t<decltype(igd)>, diag::IPPingInputs>(igd, q);
    CHECK(in2.host == "gw.example");
    CHECK(in2.timeout == 250);

    // A list input: ServerSelection's HostList.
    const auto& ss = gen::rdk_stb::schema.paths.ip.diagnostics.server_selection_diagnostics;
    diag::Params s;
    s.values = {{std::string(ss.host_list), "a.example,b.example:7"}};
    const auto sel = diag::read_inputs<std::decay_t<decltype(ss)>, diag::ServerSelectionInputs>(ss, s);
    CHECK(sel.host_list == std::vector<std::string>{"a.example", "b.example:7"});
}

TEST_CASE("typed results are written from their types at the profile's paths: route hops under TR-181 and TR-098") {
    const auto& rdk = gen::rdk_stb::schema.paths.ip.diagnostics.trace_route;
    diag::Output out;
    diag::write_results(rdk, two_hops(), out);
    auto m = as_map(out);
    const std::string t = "Device.IP.Diagnostics.TraceRoute.";
    CHECK(m[t + "IPAddressUsed"] == "192.0.2.1");
    CHECK(m[t + "ResponseTime"] == "12");
    CHECK(m[t + "RouteHops.1.Host"] == "10.0.0.1");
    CHECK(m[t + "RouteHops.1.RTTimes"] == "1,2,3");
    CHECK(m[t + "RouteHops.2.ErrorCode"] == "3");
    CHECK(m[t + "RouteHops.2.HostAddress"] == "192.0.2.9");
    REQUIRE(out.tables.size() == 1);
    CHECK(out.tables[0] == std::pair<std::string, std::uint32_t>(t + "RouteHops.", 2));
    CHECK(out.values.size() == 2 + 2 * 4);
    check_in_schema(gen::rdk_stb::schema, out);

    const auto& igd = gen::igd::schema.paths.ip.diagnostics.trace_route;
    diag::Output o2;
    diag::write_results(igd, two_hops(), o2);
    m = as_map(o2);
    const std::string g = "InternetGatewayDevice.TraceRouteDiagnostics.";
    CHECK(m[g + "RouteHops.1.HopHost"] == "10.0.0.1");
    CHECK(m[g + "RouteHops.1.HopRTTimes"] == "1,2,3");
    CHECK(m[g + "RouteHops.2.HopErrorCode"] == "3");
    CHECK(m[g + "RouteHops.2.HopHostAddress"] == "192.0.2.9");
    CHECK(m[g + "ResponseTime"] == "12");
    CHECK(m.count(g + "IPAddressUsed") == 0);  // TR-098's TraceRoute has none: skipped
    CHECK(m.count(g + "RouteHops.1.Host") == 0);
    REQUIRE(o2.tables.size() == 1);
    CHECK(o2.tables[0].first == g + "RouteHops.");
    check_in_schema(gen::igd::schema, o2);
}

TEST_CASE("typed transfer results: dateTimes with microseconds, unknown time, the tables TR-098 lacks skipped") {
    diag::TransferResults r;
    r.rom_time = diag::Time(std::chrono::microseconds(1'700'000'000'123'456));
    r.test_bytes = 5'000'000'000;  // above 2^32: TR-181's unsignedLong
    r.per_connection.push_back({});
    r.incremental.push_back({});
    const auto& rdk = gen::rdk_stb::schema.paths.ip.diagnostics.download_diagnostics;
    diag::Output out;
    diag::write_results(rdk, r, out);
    auto m = as_map(out);
    const std::string d = "Device.IP.Diagnostics.DownloadDiagnostics.";
    CHECK(m[d + "ROMTime"] == "2023-11-14T22:13:20.123456Z");
    CHECK(m[d + "BOMTime"] == "0001-01-01T00:00:00Z");
    CHECK(m[d + "TestBytesReceived"] == "5000000000");
    CHECK(m[d + "PerConnectionResult.1.TestBytesReceived"] == "0");
    CHECK(m[d + "IncrementalResult.1.StartTime"] == "0001-01-01T00:00:00Z");
    CHECK(out.tables.size() == 2);
    check_in_schema(gen::rdk_stb::schema, out);

    // Upload: the same struct, its own parameters (TestBytesSent).
    const auto& up = gen::rdk_stb::schema.paths.ip.diagnostics.upload_diagnostics;
    diag::Output o3;
    diag::write_results(up, r, o3);
    CHECK(as_map(o3)["Device.IP.Diagnostics.UploadDiagnostics.TestBytesSent"] == "5000000000");
    check_in_schema(gen::rdk_stb::schema, o3);

    const auto& igd = gen::igd::schema.paths.ip.diagnostics.download_diagnostics;
    diag::Output o2;
    diag::write_results(igd, r, o2);
    m = as_map(o2);
    CHECK(m["InternetGatewayDevice.DownloadDiagnostics.ROMTime"] == "2023-11-14T22:13:20.123456Z");
    CHECK(o2.tables.empty());  // no PerConnectionResult nor IncrementalResult in TR-098
    CHECK(std::none_of(o2.values.begin(), o2.values.end(),
                       [](const auto& v) { return v.first.find("Result.") != std::string::npos; }));
    check_in_schema(gen::igd::schema, o2);
}

TEST_CASE("a typed test's state is the generated text; an early failure leaves the results unwritten") {
    const auto& rdk = gen::rdk_stb::schema.paths.ip.diagnostics.ip_ping;
    const diag::Test failing = diag::typed(
        rdk, +[](const diag::IPPingInputs&, const std::string&, std::stop_token) -> diag::Outcome<diag::IPPingResults> {
            return diag::fail(diag::State::kErrorCannotResolveHostName);
        });
    diag::Output out = failing({}, {});
    CHECK(out.state == "Error_CannotResolveHostName");
    CHECK(out.values.empty());
    const diag::Test echoing = diag::typed(
        rdk, +[](const diag::IPPingInputs& in, const std::string& device,
                 std::stop_token) -> diag::Outcome<diag::IPPingResults> {
            diag::IPPingResults r;
            r.success_count = in.number_of_repetitions;
            r.ip_address_used = device;
            return r;
        });
    diag::Params p;
    p.values = {{"Device.IP.Diagnostics.IPPing.NumberOfRepetitions", "4"}};
    p.device = "eth0";
    out = echoing(p, {});
    CHECK(out.state == "Complete");
    const auto m = as_map(out);
    CHECK(m.at("Device.IP.Diagnostics.IPPing.SuccessCount") == "4");
    CHECK(m.at("Device.IP.Diagnostics.IPPing.IPAddressUsed") == "eth0");
    CHECK(m.at("Device.IP.Diagnostics.IPPing.AverageResponseTimeDetailed") == "0");
    CHECK(diag::state_text(diag::State::kErrorMaxHopCountExceeded) == "Error_MaxHopCountExceeded");
    const auto f = diag::fallbacks(diag::State::kComplete);
    CHECK(std::vector<std::string_view>(f.begin(), f.end()) == std::vector<std::string_view>{"Completed"});
}
