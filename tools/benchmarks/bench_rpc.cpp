// Benchmark (figures, not a test) of the protocol core on the rdk-stb
// profile over platform/sim, scaled up to at least 10,000 values:
// GetParameterValues and GetParameterNames of "Device.", SetParameterValues
// of 1,000 parameters, and parsing a 10,000-name request; time, throughput
// and peak heap for each.  In the same run, the floor: the same
// GetParameterValues response bytes written with plain escaped appends.
// Prints one `name: value` line per figure.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/dm/engine.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/soap/reader.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/util/log.h"

#include "cwmp/platform_api.h"  // cwmp::gen::schema, the rdk-stb profile's

// --- heap accounting: every malloc of the process, libxml2 and SQLite included.
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
}

namespace {
bool g_counting = false;      // off while timing: the accounting costs time itself
std::size_t g_heap = 0;       // bytes in use (while counting)
std::size_t g_heap_peak = 0;

void note_alloc(void* p) {
    if (p == nullptr || !g_counting) return;
    g_heap += malloc_usable_size(p);
    g_heap_peak = std::max(g_heap_peak, g_heap);
}
}  // namespace

extern "C" void* malloc(std::size_t n) {
    void* p = __libc_malloc(n);
    note_alloc(p);
    return p;
}
extern "C" void* calloc(std::size_t n, std::size_t m) {
    void* p = __libc_calloc(n, m);
    note_alloc(p);
    return p;
}
extern "C" void* realloc(void* old, std::size_t n) {
    const std::size_t before = old && g_counting ? malloc_usable_size(old) : 0;
    void* p = __libc_realloc(old, n);
    if (p != nullptr || n == 0) g_heap -= before;
    note_alloc(p);
    return p;
}
extern "C" void free(void* p) {
    if (p != nullptr && g_counting) g_heap -= malloc_usable_size(p);
    __libc_free(p);
}

namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
    double best = 0, median = 0;  // seconds
    std::size_t peak = 0;         // heap bytes above the level before the run
};

// Times `runs` runs, then one more with the heap accounted: the peak of
// bytes allocated beyond what was in use before it (blocks freed during the
// run that were allocated before it make g_heap dip below the base).
template <class F>
Figures measure(F&& body, int runs) {
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        body();
        times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    std::sort(times.begin(), times.end());
    g_heap = 0;
    g_heap_peak = 0;
    g_counting = true;
    body();
    g_counting = false;
    return {times.front(), times[times.size() / 2], g_heap_peak};
}

void print(const char* name, const Figures& f) {
    std::printf("%s_ms: %.3f\n", name, f.best * 1e3);
    std::printf("%s_median_ms: %.3f\n", name, f.median * 1e3);
    std::printf("%s_peak_heap_bytes: %zu\n", name, f.peak);
}

constexpr std::string_view kHead =
    "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\""
    " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">b"
    "</cwmp:ID></soap-env:Header><soap-env:Body>";
constexpr std::string_view kTail = "</soap-env:Body></soap-env:Envelope>";

std::string request(std::string_view body) { return std::string(kHead) + std::string(body) + std::string(kTail); }

// The floor's escaping: a plain byte loop that copies runs and writes the
// writer's entities (the same bytes for the valid UTF-8 the sim produces).
void plain_escape(std::string& out, std::string_view s) {
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char* entity = nullptr;
        switch (s[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&apos;"; break;
        case '\t': entity = "&#9;"; break;
        case '\n': entity = "&#10;"; break;
        case '\r': entity = "&#13;"; break;
        default: continue;
        }
        out.append(s.data() + run, i - run);
        out.append(entity);
        run = i + 1;
    }
    out.append(s.data() + run, s.size() - run);
}

struct Triple {
    std::string name, type, value;
};

}  // namespace

int main(int argc, char** argv) {
    const std::uint32_t extra = argc > 1 ? static_cast<std::uint32_t>(std::stoul(argv[1])) : 850;
    const int runs = argc > 2 ? std::stoi(argv[2]) : 25;
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("cwmp-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        cwmp::store::Store store((dir / "agent.db").string());
        auto clock = [] { return std::int64_t{1767225600}; };  // 2026-01-01T00:00:00Z
        cwmp::sim::SimOptions sim;
        sim.extra_channels = extra;
        cwmp::sim::SimBoard board(clock, sim);
        cwmp::dm::Context ctx(board);
        cwmp::dm::Engine engine(cwmp::gen::schema, ctx, store);
        const cwmp::util::Log log;
        cwmp::tasks::Tasks tasks(store, clock, log);
        cwmp::rpc::Cpe cpe(engine, tasks);

        // GetParameterValues of Device.
        const auto gpv = cwmp::soap::parse_envelope(
            request("<cwmp:GetParameterValues><ParameterNames><string>Device.</string></ParameterNames>"
                    "</cwmp:GetParameterValues>"));
        // A session reuses its output buffer from message to message: so do
        // the real response and the floor here.
        std::string response;
        auto run_gpv = [&] {
            response.clear();
            cpe.answer(*gpv.envelope, response);
        };
        run_gpv();
        if (argc > 3 && std::string_view(argv[3]) == "gpv-only") {  // for profiling
            for (int i = 0; i < runs; ++i) run_gpv();
            return 0;
        }
        if (argc > 3 && std::string_view(argv[3]) == "walk-only") {
            for (int i = 0; i < runs; ++i)
                (void)engine.get_values(std::vector<std::string>{"Device."},
                                        [](std::string_view, const cwmp::dm::Param&, std::string_view) {});
            return 0;
        }
        const Figures f_gpv = measure(run_gpv, runs);

        // The floor: the same bytes from values collected beforehand.
        std::vector<Triple> triples;
        (void)engine.get_values(std::vector<std::string>{"Device."},
                                [&](std::string_view n, const cwmp::dm::Param& p, std::string_view v) {
                                    std::string t(cwmp::dm::type_name(cwmp::dm::wire_type(p)));
                                    if (t == "base64") t = "base64Binary";
                                    triples.push_back({std::string(n), t, std::string(v)});
                                });
        const std::string head = response.substr(0, response.find("<ParameterValueStruct>"));
        // The floor as the issue defines it: every name and value through a
        // plain escaping loop, appended to a reused buffer.  A second, harder
        // floor appends the names unescaped (the engine's names never need it).
        std::string floor_out;
        auto floor_with = [&](bool escape_names) {
            std::string& out = floor_out;
            out.clear();
            out.append(head);
            for (const Triple& t : triples) {
                out.append("<ParameterValueStruct><Name>");
                if (escape_names) {
                    plain_escape(out, t.name);
                } else {
                    out.append(t.name);
                }
                out.append("</Name><Value xsi:type=\"xsd:");
                out.append(t.type);
                out.append("\">");
                plain_escape(out, t.value);
                out.append("</Value></ParameterValueStruct>");
            }
            out.append("</ParameterList></cwmp:GetParameterValuesResponse></soap-env:Body></soap-env:Envelope>");
        };
        floor_with(false);
        const Figures f_floor_raw_names = measure([&] { floor_with(false); }, runs);
        const bool same_raw = response == floor_out;
        const Figures f_floor = measure([&] { floor_with(true); }, runs);
        const bool same = response == floor_out;

        std::printf("gpv_values: %zu\n", triples.size());
        std::printf("gpv_response_bytes: %zu\n", response.size());
        std::printf("gpv_same_bytes_as_floor: %s\n", same && same_raw ? "yes" : "no");
        print("gpv", f_gpv);
        std::printf("gpv_values_per_second: %.0f\n", static_cast<double>(triples.size()) / f_gpv.best);
        std::printf("gpv_mb_per_second: %.1f\n", static_cast<double>(response.size()) / f_gpv.best / 1e6);
        std::printf("gpv_peak_heap_per_response_byte: %.2f\n",
                    static_cast<double>(f_gpv.peak) / static_cast<double>(response.size()));
        print("floor", f_floor);
        print("floor_unescaped_names", f_floor_raw_names);
        // The engine and the board alone: the same walk and reads, nothing written.
        const Figures f_walk = measure([&] {
            (void)engine.get_values(std::vector<std::string>{"Device."},
                                    [](std::string_view, const cwmp::dm::Param&, std::string_view) {});
        }, runs);
        print("gpv_walk_and_read", f_walk);
        // Into a fresh buffer each time: the heap then holds the response as
        // it grows (a string doubles), and nothing else of size.
        const Figures f_fresh = measure([&] {
            std::string out;
            cpe.answer(*gpv.envelope, out);
        }, runs);
        print("gpv_fresh_buffer", f_fresh);
        std::printf("gpv_fresh_buffer_peak_heap_per_response_byte: %.2f\n",
                    static_cast<double>(f_fresh.peak) / static_cast<double>(response.size()));
        std::printf("gpv_ratio_to_floor: %.2f\n", f_gpv.best / f_floor.best);
        std::printf("gpv_ratio_to_floor_unescaped_names: %.2f\n", f_gpv.best / f_floor_raw_names.best);

        // GetParameterNames of Device., NextLevel false.
        const auto gpn = cwmp::soap::parse_envelope(
            request("<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>false</NextLevel>"
                    "</cwmp:GetParameterNames>"));
        std::size_t gpn_bytes = 0;
        std::string gpn_out;
        const Figures f_gpn = measure([&] {
            gpn_out.clear();
            cpe.answer(*gpn.envelope, gpn_out);
            gpn_bytes = gpn_out.size();
        }, runs);
        std::printf("gpn_response_bytes: %zu\n", gpn_bytes);
        print("gpn", f_gpn);

        // SetParameterValues of 1,000 writable parameters (the channel
        // list's aliases, to their current values).
        std::vector<std::string> writable;
        (void)engine.get_names("Device.", false, [&](std::string_view n, bool w) {
            if (w && n.find(".ServiceListDatabase.") != std::string_view::npos && n.ends_with(".Alias") &&
                writable.size() < 1000)
                writable.emplace_back(n);
        });
        std::string spv_body = "<cwmp:SetParameterValues><ParameterList>";
        for (const std::string& n : writable) {
            std::string v;
            (void)engine.get_value(n, v);
            const cwmp::dm::Param* p = nullptr;
            for (const Triple& t : triples)
                if (t.name == n) v = t.value;
            (void)p;
            spv_body += "<ParameterValueStruct><Name>" + n + "</Name><Value>";
            plain_escape(spv_body, v);
            spv_body += "</Value></ParameterValueStruct>";
        }
        spv_body += "</ParameterList><ParameterKey>bench</ParameterKey></cwmp:SetParameterValues>";
        const auto spv = cwmp::soap::parse_envelope(request(spv_body));
        std::string spv_out;
        const Figures f_spv = measure([&] {
            spv_out.clear();
            cpe.answer(*spv.envelope, spv_out);
        }, std::max(3, runs / 5));
        std::printf("spv_parameters: %zu\n", writable.size());
        const bool spv_ok = spv_out.find("SetParameterValuesResponse") != std::string::npos;
        std::printf("spv_ok: %s\n", spv_ok ? "yes" : "no");
        if (!spv_ok) std::fprintf(stderr, "%s\n", spv_out.substr(0, 2000).c_str());
        print("spv", f_spv);

        // Parsing a 10,000-name GetParameterValues request.
        std::string big = "<cwmp:GetParameterValues><ParameterNames>";
        for (std::size_t i = 0; i < 10000; ++i)
            big += "<string>" + triples[i % triples.size()].name + "</string>";
        big += "</ParameterNames></cwmp:GetParameterValues>";
        const std::string big_request = request(big);
        std::size_t parsed_names = 0;
        const Figures f_parse = measure([&] {
            auto r = cwmp::soap::parse_envelope(big_request);
            parsed_names = r.envelope ? r.envelope->body.children.at(0).children.size() : 0;
        }, runs);
        std::printf("parse_names: %zu\n", parsed_names);
        std::printf("parse_request_bytes: %zu\n", big_request.size());
        print("parse", f_parse);
        std::printf("parse_mb_per_second: %.1f\n", static_cast<double>(big_request.size()) / f_parse.best / 1e6);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
