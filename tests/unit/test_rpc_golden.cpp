// Every RPC of the CPE, request bytes in and response bytes out, against
// golden files: tests/golden/rpc/NN-name.request.xml is answered by one agent
// (rdk-stb tables over the simulated set-top box at a fixed time, a fresh
// store) in NN order, and the answer must equal NN-name.response.xml byte for
// byte and be valid against cwmp-1-2.xsd (validate-cwmp).
//
//   CWMP_UPDATE_GOLDEN=1 meson test -C build rpc-golden
//
// rewrites the response files from what the agent answers now; review the
// diff against TR-069 before committing it.
//
// tests/golden/rpc/known-differences.txt lists responses whose golden file
// holds what TR-069 asks for while the agent still answers otherwise: their
// difference is reported, not failed, and regeneration leaves them alone; once
// the agent answers them right the test fails until the entry is removed.
//
// And the GetParameterNames/GetParameterValues agreement: for every object
// the whole tree lists, the parameters GetParameterNames lists below it are
// exactly the ones GetParameterValues returns, in the same order.
#include <doctest/doctest.h>

#include "sim_agent.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/dm/engine.h"
#include "cwmp/dm/schema.h"
#include "cwmp/platform_api.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/soap/reader.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/tasks.h"

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kBoot = 1'700'000'000;  // 2023-11-14T22:13:20Z
constexpr std::int64_t kNow = kBoot + 3600;    // every request is answered an hour after boot

// tests/golden/rpc in the source tree.  meson compiles with source paths
// relative to the build directory, where meson test runs the test;
// CWMP_GOLDEN_RPC_DIR overrides.
fs::path golden_dir() {
    if (const char* dir = std::getenv("CWMP_GOLDEN_RPC_DIR")) return dir;
    fs::path here(__FILE__);
    if (here.is_relative()) here = fs::current_path() / here;
    return (here.parent_path().parent_path() / "golden" / "rpc").lexically_normal();
}

using test::read_file;

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
    REQUIRE_MESSAGE(out.good(), "cannot write " << p.string());
}

using test::schema_errors;

// One agent: the rdk-stb tables over the sim at a fixed time, a scratch store.
struct Agent : test::SimAgent {
    Agent() : SimAgent(kBoot, kNow, "cwmp-rpc-golden") {}
};

// known-differences.txt: "stem  reason" per line, '#' comments.
std::map<std::string, std::string> known_differences(const fs::path& dir) {
    std::map<std::string, std::string> known;
    std::ifstream in(dir / "known-differences.txt");
    std::string line;
    while (std::getline(in, line)) {
        const std::size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#') continue;
        const std::size_t end = line.find_first_of(" \t", start);
        const std::string stem = line.substr(start, end - start);
        const std::size_t why = end == std::string::npos ? end : line.find_first_not_of(" \t", end);
        known[stem] = why == std::string::npos ? std::string() : line.substr(why);
    }
    return known;
}

// Where two byte strings first differ, with a little of each around it.
std::string first_difference(const std::string& want, const std::string& got) {
    std::size_t i = 0;
    while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
    const std::size_t from = i < 120 ? 0 : i - 120;
    std::ostringstream s;
    s << "first difference at byte " << i << " (expected " << want.size() << " bytes, got " << got.size()
      << ")\n  expected: ..." << want.substr(from, 240) << "\n  got:      ..." << got.substr(from, 240);
    return s.str();
}

// ---- a tiny reader of the responses, for the agreement test

const std::string kEnvelopeStart = test::envelope_start("agree");
using test::kEnvelopeEnd;

std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else out += c;
    }
    return out;
}

std::string gpn_request(std::string_view path, bool next_level) {
    return kEnvelopeStart + "<cwmp:GetParameterNames><ParameterPath>" + escape(path) +
           "</ParameterPath><NextLevel>" + (next_level ? "true" : "false") +
           "</NextLevel></cwmp:GetParameterNames>" + kEnvelopeEnd;
}

std::string gpv_request(const std::vector<std::string>& names) {
    std::string body = "<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[" +
                       std::to_string(names.size()) + "]\">";
    for (const std::string& n : names) body += "<string>" + escape(n) + "</string>";
    return kEnvelopeStart + body + "</ParameterNames></cwmp:GetParameterValues>" + kEnvelopeEnd;
}

// The response's body element, REQUIREd to be `name` (a fault fails the test).
cwmp::soap::Element response_body(const std::string& response, std::string_view name) {
    cwmp::soap::Limits big;  // our own answers, not hostile input
    big.max_bytes = std::size_t{1} << 30;
    big.max_elements = std::size_t{1} << 26;
    cwmp::soap::ParseResult r = cwmp::soap::parse_envelope(response, big);
    REQUIRE_MESSAGE(r.envelope.has_value(), r.error);
    REQUIRE_MESSAGE(r.envelope->body.name == name, response.substr(0, 2000));
    return std::move(r.envelope->body);
}

struct Info {
    std::string name;
    bool writable;
};

std::vector<Info> names(Agent& a, std::string_view path, bool next_level) {
    const std::string response = a.cpe.answer(gpn_request(path, next_level));
    const cwmp::soap::Element body = response_body(response, "GetParameterNamesResponse");
    const cwmp::soap::Element* list = body.child("ParameterList");
    REQUIRE(list != nullptr);
    std::vector<Info> out;
    for (const cwmp::soap::Element& s : list->children) {
        REQUIRE(s.name == "ParameterInfoStruct");
        const cwmp::soap::Element* n = s.child("Name");
        const cwmp::soap::Element* w = s.child("Writable");
        REQUIRE(n != nullptr);
        REQUIRE(w != nullptr);
        out.push_back({n->text, w->text == "1" || w->text == "true"});
    }
    CHECK(list->array_type == "cwmp:ParameterInfoStruct[" + std::to_string(out.size()) + "]");
    return out;
}

std::vector<std::pair<std::string, std::string>> values(Agent& a, const std::vector<std::string>& paths) {
    const std::string response = a.cpe.answer(gpv_request(paths));
    const cwmp::soap::Element body = response_body(response, "GetParameterValuesResponse");
    const cwmp::soap::Element* list = body.child("ParameterList");
    REQUIRE(list != nullptr);
    std::vector<std::pair<std::string, std::string>> out;
    for (const cwmp::soap::Element& s : list->children) {
        REQUIRE(s.name == "ParameterValueStruct");
        const cwmp::soap::Element* n = s.child("Name");
        const cwmp::soap::Element* v = s.child("Value");
        REQUIRE(n != nullptr);
        REQUIRE(v != nullptr);
        out.emplace_back(n->text, v->text);
    }
    CHECK(list->array_type == "cwmp:ParameterValueStruct[" + std::to_string(out.size()) + "]");
    return out;
}

void add(Agent& a, std::string_view table) {
    const std::string response = a.cpe.answer(
        kEnvelopeStart + "<cwmp:AddObject><ObjectName>" + escape(table) +
        "</ObjectName><ParameterKey></ParameterKey></cwmp:AddObject>" + kEnvelopeEnd);
    (void)response_body(response, "AddObjectResponse");
}

void del(Agent& a, std::string_view instance) {
    const std::string response = a.cpe.answer(
        kEnvelopeStart + "<cwmp:DeleteObject><ObjectName>" + escape(instance) +
        "</ObjectName><ParameterKey></ParameterKey></cwmp:DeleteObject>" + kEnvelopeEnd);
    (void)response_body(response, "DeleteObjectResponse");
}

// Instances the ACS added, in platform-bound and runtime tables, with gaps
// in the numbering.
void populate(Agent& a) {
    add(a, "Device.DNS.Client.Server.");
    del(a, "Device.DNS.Client.Server.1.");
    add(a, "Device.ManagementServer.InformParameter.");
    add(a, "Device.ManagementServer.InformParameter.");
    add(a, "Device.ManagementServer.InformParameter.");
    del(a, "Device.ManagementServer.InformParameter.2.");
    add(a, "Device.Services.StorageService.1.LogicalVolume.1.Folder.");
}

// "Device.IP.Interface.2.Stats." -> "Device.IP.Interface.{i}.Stats.": instance numbers become {i}.
std::string template_of(std::string_view name) {
    std::string out;
    std::size_t pos = 0;
    while (pos <= name.size()) {
        std::size_t dot = name.find('.', pos);
        if (dot == std::string_view::npos) dot = name.size();
        const std::string_view seg = name.substr(pos, dot - pos);
        const bool number = !seg.empty() && std::all_of(seg.begin(), seg.end(), [](char c) { return c >= '0' && c <= '9'; });
        out += number ? std::string_view("{i}") : seg;
        if (dot < name.size()) out += '.';
        pos = dot + 1;
    }
    return out;
}

bool is_object(const std::string& name) { return !name.empty() && name.back() == '.'; }

}  // namespace

TEST_CASE("RPC golden files") {
    const fs::path dir = golden_dir();
    REQUIRE_MESSAGE(fs::is_directory(dir), "no golden directory " << dir.string());
    const bool update = std::getenv("CWMP_UPDATE_GOLDEN") != nullptr &&
                        std::string(std::getenv("CWMP_UPDATE_GOLDEN")) == "1";

    std::vector<fs::path> requests;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.ends_with(".request.xml")) requests.push_back(e.path());
        if (name.ends_with(".response.xml")) {
            const std::string stem = name.substr(0, name.size() - std::string(".response.xml").size());
            CHECK_MESSAGE(fs::exists(dir / (stem + ".request.xml")), name << " has no request");
        }
    }
    std::sort(requests.begin(), requests.end());
    REQUIRE(requests.size() >= 40);

    const std::map<std::string, std::string> known = known_differences(dir);
    for (const auto& entry : known) {
        const std::string& stem = entry.first;  // not a structured binding: doctest's macros capture it
        CHECK_MESSAGE(fs::exists(dir / (stem + ".request.xml")), "known-differences.txt names " << stem);
    }

    Agent a;
    std::vector<std::string> stale;
    for (const fs::path& request : requests) {
        const std::string name = request.filename().string();
        const std::string stem = name.substr(0, name.size() - std::string(".request.xml").size());
        CAPTURE(stem);
        const std::string bytes = read_file(request);
        // The requests are valid CWMP too, except those that test what an
        // invalid one gets.
        if (stem.find("invalid-args") == std::string::npos && stem.find("unknown-method") == std::string::npos) {
            const std::string request_errors = schema_errors(bytes);
            CHECK_MESSAGE(request_errors.empty(), stem << ": the request is not valid cwmp:\n" << request_errors);
        }
        const std::string got = a.cpe.answer(bytes);
        const fs::path golden = dir / (stem + ".response.xml");
        const std::string errors = schema_errors(got);
        CHECK_MESSAGE(errors.empty(), stem << ": the response is not valid cwmp-1-2:\n" << errors << got);
        if (auto k = known.find(stem); k != known.end()) {
            // The golden file is what the agent should answer: hand-written, schema-valid.
            REQUIRE_MESSAGE(fs::exists(golden), "no " << golden.string());
            const std::string want = read_file(golden);
            const std::string golden_errors = schema_errors(want);
            CHECK_MESSAGE(golden_errors.empty(), stem << ": the golden response is not valid cwmp:\n" << golden_errors);
            if (want == got) {
                FAIL_CHECK(stem << " is answered as its golden file says now: remove it from "
                                << (dir / "known-differences.txt").string());
            } else {
                MESSAGE("known difference, " << stem << " (" << k->second << "): " << first_difference(want, got));
            }
            continue;
        }
        if (update) {
            if (!fs::exists(golden) || read_file(golden) != got) {
                write_file(golden, got);
                MESSAGE("updated " << golden.string());
            }
            continue;
        }
        if (!fs::exists(golden)) {
            stale.push_back(stem);
            FAIL_CHECK(stem << ": no golden response " << golden.string());
            continue;
        }
        const std::string want = read_file(golden);
        if (want != got) {
            stale.push_back(stem);
            FAIL_CHECK(stem << ": the response differs from " << golden.string() << "\n"
                            << first_difference(want, got));
        }
    }
    if (!stale.empty()) {
        MESSAGE(stale.size() << " golden response(s) out of date; after checking the new answers against "
                "TR-069 (a wrong one goes to known-differences.txt instead), regenerate them with\n  "
                "CWMP_UPDATE_GOLDEN=1 meson test -C "
                << fs::current_path().string() << " rpc-golden");
    }
}

TEST_CASE("GetParameterNames and GetParameterValues agree on every object of the tree") {
    Agent a;
    populate(a);
    const std::vector<Info> all = names(a, "Device.", false);
    REQUIRE(all.size() > 1000);
    CHECK(all.front().name == "Device.");

    // The root: "" lists the same tree.
    {
        const std::vector<Info> root = names(a, "", false);
        REQUIRE(root.size() == all.size());
        for (std::size_t i = 0; i < all.size(); ++i) CHECK(root[i].name == all[i].name);
        const std::vector<Info> top = names(a, "", true);
        REQUIRE(top.size() == 1);
        CHECK(top[0].name == "Device.");
    }

    // No name twice; every parameter follows its object.
    std::map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < all.size(); ++i) {
        CHECK_MESSAGE(position.emplace(all[i].name, i).second, "listed twice: " << all[i].name);
        if (i == 0) continue;
        const std::string& n = all[i].name;
        const std::size_t cut = is_object(n) ? n.rfind('.', n.size() - 2) : n.rfind('.');
        REQUIRE(cut != std::string::npos);
        const std::string parent = n.substr(0, cut + 1);
        CHECK_MESSAGE(position.contains(parent), n << " is listed before (or without) " << parent);
    }

    // The whole tree: the parameters of GPN(Device., false) == GPV(Device.).
    std::vector<std::string> all_params;
    for (const Info& i : all)
        if (!is_object(i.name)) all_params.push_back(i.name);
    {
        const auto v = values(a, {"Device."});
        REQUIRE(v.size() == all_params.size());
        for (std::size_t i = 0; i < v.size(); ++i) CHECK(v[i].first == all_params[i]);
    }

    std::size_t objects = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::string& path = all[i].name;
        if (!is_object(path)) continue;
        ++objects;
        CAPTURE(path);
        // The subtree GPN lists is the slice of the whole tree below `path`.
        const std::vector<Info> sub = names(a, path, false);
        std::vector<std::string> expected;
        for (std::size_t k = i; k < all.size() && all[k].name.starts_with(path); ++k) expected.push_back(all[k].name);
        std::vector<std::string> listed;
        for (const Info& s : sub) listed.push_back(s.name);
        CHECK(listed == expected);
        for (std::size_t k = 0; k < sub.size() && i + k < all.size(); ++k)
            CHECK_MESSAGE(sub[k].writable == all[i + k].writable, sub[k].name);

        // The agreement itself.
        std::vector<std::string> gpn_params;
        for (const Info& s : sub)
            if (!is_object(s.name)) gpn_params.push_back(s.name);
        std::vector<std::string> gpv_params;
        for (const auto& [n, v] : values(a, {path})) gpv_params.push_back(n);
        CHECK(gpn_params == gpv_params);

        // NextLevel true: the children in the whole tree's order.
        const std::vector<Info> next = names(a, path, true);
        std::vector<std::string> children;
        for (const std::string& e : expected) {
            if (e == path) continue;
            const std::string rest = e.substr(path.size());
            const std::size_t dot = rest.find('.');
            if (dot == std::string::npos || dot + 1 == rest.size()) children.push_back(e);
        }
        std::vector<std::string> next_names;
        for (const Info& s : next) next_names.push_back(s.name);
        CHECK(next_names == children);
    }
    MESSAGE("objects checked: " << objects << ", parameters: " << all_params.size());
    CHECK(objects > 100);
}

TEST_CASE("every value GetParameterValues returns is valid for its parameter") {
    Agent a;
    populate(a);
    const cwmp::dm::Schema& s = cwmp::gen::schema;
    std::size_t checked = 0;
    for (const auto& entry : values(a, {"Device."})) {
        // Not structured bindings: doctest's macros capture them (clang 14 cannot).
        const std::string& name = entry.first;
        const std::string& value = entry.second;
        const cwmp::dm::Param* p = cwmp::dm::find_param(s, template_of(name));
        REQUIRE_MESSAGE(p != nullptr, name);
        if (p->hidden()) {
            CHECK_MESSAGE(value.empty(), name << " is hidden but reads '" << value << "'");
            continue;
        }
        CHECK_MESSAGE(cwmp::dm::validate(*p, value) == cwmp::Fault::None, name << " = '" << value << "'");
        ++checked;
    }
    CHECK(checked > 2000);
}

// List defaults are written "[]", "[a,b]" in the BBF XML; on the wire they
// are "" and "a,b" (the generator converts them).
TEST_CASE("list values are in CWMP wire form") {
    Agent a;
    populate(a);
    const cwmp::dm::Schema& s = cwmp::gen::schema;
    std::size_t lists = 0;
    for (const auto& entry : values(a, {"Device."})) {
        // Not structured bindings: doctest's macros capture them (clang 14 cannot).
        const std::string& name = entry.first;
        const std::string& value = entry.second;
        const cwmp::dm::Param* p = cwmp::dm::find_param(s, template_of(name));
        REQUIRE(p != nullptr);
        if (!p->list()) continue;
        ++lists;
        CHECK_MESSAGE(!(value.starts_with('[') && value.ends_with(']')), name << " = '" << value << "'");
    }
    CHECK(lists > 50);
}

TEST_CASE("every NumberOfEntries parameter counts the instances GetParameterNames lists") {
    Agent a;
    populate(a);
    const cwmp::dm::Schema& s = cwmp::gen::schema;
    const std::vector<Info> all = names(a, "Device.", false);
    std::map<std::string, std::string> value_of;
    for (auto& [n, v] : values(a, {"Device."})) value_of[n] = v;

    std::size_t checked = 0;
    for (const Info& i : all) {
        if (!is_object(i.name)) continue;
        // A table itself: "Device.X.Table." followed by its instances "Device.X.Table.N.".
        for (const cwmp::dm::Object& o : s.objects) {
            if (!o.multi || o.num_entries.empty()) continue;
            // Does `i.name` name a table of `o`?
            const std::string& n = i.name;
            if (template_of(n) + "{i}." != o.path) continue;
            std::size_t instances = 0;
            for (const Info& j : all) {
                if (!j.name.starts_with(n) || !is_object(j.name)) continue;
                const std::string rest = j.name.substr(n.size());
                if (!rest.empty() && rest.find('.') == rest.size() - 1) ++instances;
            }
            const std::string parent = n.substr(0, n.rfind('.', n.size() - 2) + 1);
            const std::string count = parent + std::string(o.num_entries);
            CAPTURE(count);
            REQUIRE(value_of.contains(count));
            CHECK(value_of[count] == std::to_string(instances));
            ++checked;
        }
    }
    MESSAGE("tables counted: " << checked);
    CHECK(checked > 20);
}
