// Hostile ACS messages through Cpe::answer with the default soap::Limits:
// each one gets a well-formed, schema-valid CWMP fault with the right code,
// quickly and in bounded memory, and nothing the attacker tried to pull in
// (an external entity) appears in the answer.
#include <doctest/doctest.h>

#include "sim_agent.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/dm/engine.h"
#include "cwmp/platform_api.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/soap/reader.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/util/log.h"

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kBoot = 1'700'000'000;

using test::read_file;

using test::schema_errors;

// Peak resident set size so far, in MiB.
long peak_rss_mib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;  // Linux: KiB
}

struct Agent : test::SimAgent {
    Agent() : SimAgent(kBoot, kBoot + 60, "cwmp-rpc-hostile") {}
};

const std::string kNamespaces =
    " xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\""
    " xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\""
    " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

// A request in cwmp namespace `ns` with cwmp:ID "h1" and `body` in the Body.
std::string message(const std::string& body, const std::string& ns = "urn:dslforum-org:cwmp-1-2") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soap-env:Envelope" + kNamespaces + " xmlns:cwmp=\"" + ns +
           "\"><soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">h1</cwmp:ID></soap-env:Header>"
           "<soap-env:Body>" +
           body + "</soap-env:Body></soap-env:Envelope>";
}

std::string gpv(const std::vector<std::string>& names) {
    std::string body = "<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[" +
                       std::to_string(names.size()) + "]\">";
    for (const std::string& n : names) body += "<string>" + n + "</string>";
    return message(body + "</ParameterNames></cwmp:GetParameterValues>");
}

std::string gpn(const std::string& path, const std::string& next_level = "false") {
    return message("<cwmp:GetParameterNames><ParameterPath>" + path + "</ParameterPath><NextLevel>" + next_level +
                   "</NextLevel></cwmp:GetParameterNames>");
}

std::string spv(const std::string& name, const std::string& value) {
    return message(
        "<cwmp:SetParameterValues><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\">"
        "<ParameterValueStruct><Name>" +
        name + "</Name><Value xsi:type=\"xsd:string\">" + value +
        "</Value></ParameterValueStruct></ParameterList><ParameterKey>k</ParameterKey></cwmp:SetParameterValues>");
}

std::string object_rpc(const std::string& method, const std::string& name) {
    return message("<cwmp:" + method + "><ObjectName>" + name + "</ObjectName><ParameterKey>k</ParameterKey></cwmp:" +
                   method + ">");
}

struct Answer {
    std::string bytes;
    unsigned fault = 0;    // 0: not a fault
    std::string id;        // the cwmp:ID echoed
    std::string body;      // the body element's name
    std::string message;   // FaultString
    double seconds = 0;    // CPU time of the answer (this thread): a busy machine does not stretch it
    long rss_growth_mib = 0;
};

// The CPU time this thread has used.  The bounds below catch work that blows
// up (quadratic walks, unbounded answers); wall time would also count the
// other processes of a shared machine.
double thread_cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Answers `request` and checks what every answer must be: well-formed,
// schema-valid, CWMP.
Answer answer(cwmp::rpc::Cpe& cpe, const std::string& request) {
    Answer r;
    const long rss_before = peak_rss_mib();
    const double start = thread_cpu_seconds();
    r.bytes = cpe.answer(request);
    r.seconds = thread_cpu_seconds() - start;
    r.rss_growth_mib = peak_rss_mib() - rss_before;

    cwmp::soap::Limits ours;  // our own answer
    ours.max_bytes = std::size_t{1} << 30;
    ours.max_elements = std::size_t{1} << 26;
    const cwmp::soap::ParseResult parsed = cwmp::soap::parse_envelope(r.bytes, ours);
    REQUIRE_MESSAGE(parsed.envelope.has_value(), parsed.error << "\n" << r.bytes.substr(0, 4000));
    r.id = parsed.envelope->id;
    r.body = parsed.envelope->body.name;
    if (parsed.envelope->is_fault) {
        const cwmp::soap::Element* detail = parsed.envelope->body.child("detail");
        REQUIRE(detail != nullptr);
        const cwmp::soap::Element* f = detail->child("Fault");
        REQUIRE(f != nullptr);
        const cwmp::soap::Element* code = f->child("FaultCode");
        REQUIRE(code != nullptr);
        r.fault = static_cast<unsigned>(std::stoul(code->text));
        if (const cwmp::soap::Element* s = f->child("FaultString")) r.message = s->text;
    }
    if (r.bytes.size() < (std::size_t{16} << 20)) {
        const std::string errors = schema_errors(r.bytes);
        CHECK_MESSAGE(errors.empty(), "not valid cwmp:\n" << errors << r.bytes.substr(0, 4000));
    }
    return r;
}

Answer answer(Agent& a, const std::string& request) { return answer(a.cpe, request); }

// The answer to a request that cannot be read: 9003 without an ID.
void check_unreadable(const Answer& r) {
    CAPTURE(r.bytes.substr(0, 2000));
    CHECK(r.fault == 9003);
    CHECK(r.body == "Fault");
    CHECK(r.id.empty());
}

}  // namespace

TEST_CASE("malformed XML") {
    Agent a;
    const std::string good = gpn("Device.DeviceInfo.", "true");
    const std::string duplicate_attribute =
        "<soap-env:Envelope" + kNamespaces +
        "><soap-env:Body><cwmp:GetRPCMethods xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\" a=\"1\" a=\"2\"/>"
        "</soap-env:Body></soap-env:Envelope>";
    const std::string unbound_prefix =
        "<soap-env:Envelope" + kNamespaces + "><soap-env:Body><cwmp:GetRPCMethods/></soap-env:Body></soap-env:Envelope>";
    for (const std::string& bad : {
             good.substr(0, good.size() / 2),                 // truncated
             std::string(),                                   // nothing
             std::string("not xml at all"),
             std::string("<a><b></a></b>"),                   // badly nested
             std::string("<?xml version=\"1.0\"?><x/><y/>"),  // two document elements
             good + "<trailing/>",
             std::string("\xEF\xBB\xBF<"),                    // a BOM and half a tag
             duplicate_attribute,
             unbound_prefix,
         }) {
        CAPTURE(bad.substr(0, 200));
        check_unreadable(answer(a, bad));
    }
    // Not a SOAP envelope, though well-formed.
    check_unreadable(answer(a, "<Envelope><Body><GetRPCMethods/></Body></Envelope>"));
}

TEST_CASE("an external entity (XXE) is neither fetched nor echoed") {
    Agent a;
    const std::string passwd = read_file("/etc/passwd");
    for (const std::string& dtd : {
             std::string("<!DOCTYPE soap-env:Envelope [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"),
             std::string("<!DOCTYPE soap-env:Envelope SYSTEM \"file:///etc/passwd\">"),
             std::string("<!DOCTYPE soap-env:Envelope [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"),
         }) {
        const std::string request = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + dtd + "<soap-env:Envelope" +
                                    kNamespaces +
                                    " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><soap-env:Body>"
                                    "<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[1]\">"
                                    "<string>&xxe;</string></ParameterNames></cwmp:GetParameterValues>"
                                    "</soap-env:Body></soap-env:Envelope>";
        const Answer r = answer(a, request);
        check_unreadable(r);
        CHECK(r.bytes.find("root:") == std::string::npos);
        CHECK(r.bytes.find("/bin/") == std::string::npos);
        if (!passwd.empty()) CHECK(r.bytes.find(passwd.substr(0, passwd.find('\n'))) == std::string::npos);
    }
    // An entity reference without a DTD.
    check_unreadable(answer(a, gpv({"&xxe;"})));
}

TEST_CASE("billion laughs") {
    Agent a;
    std::string dtd = "<!DOCTYPE soap-env:Envelope [<!ENTITY lol0 \"lol\">";
    for (int i = 1; i < 10; ++i)
        dtd += "<!ENTITY lol" + std::to_string(i) + " \"" + [&] {
            std::string s;
            for (int k = 0; k < 10; ++k) s += "&lol" + std::to_string(i - 1) + ";";
            return s;
        }() + "\">";
    dtd += "]>";
    const std::string request = "<?xml version=\"1.0\"?>\n" + dtd + "<soap-env:Envelope" + kNamespaces +
                                " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><soap-env:Body>"
                                "<cwmp:GetParameterNames><ParameterPath>&lol9;</ParameterPath>"
                                "<NextLevel>false</NextLevel></cwmp:GetParameterNames></soap-env:Body></soap-env:Envelope>";
    const Answer r = answer(a, request);
    check_unreadable(r);
    CHECK(r.seconds < 2.0);
    CHECK(r.rss_growth_mib < 64);
    CHECK(r.bytes.find("lollol") == std::string::npos);
}

TEST_CASE("a 50 MB body is refused in bounded time and memory") {
    Agent a;
    const std::string head = "<?xml version=\"1.0\"?>\n<soap-env:Envelope" + kNamespaces +
                             " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><soap-env:Body><cwmp:GetParameterNames>"
                             "<ParameterPath>";
    const std::string tail =
        "</ParameterPath><NextLevel>false</NextLevel></cwmp:GetParameterNames></soap-env:Body></soap-env:Envelope>";
    std::string request = head;
    request.append(50u << 20, 'A');
    request += tail;
    const Answer r = answer(a, request);
    check_unreadable(r);
    CHECK(r.seconds < 5.0);
    CHECK(r.rss_growth_mib < 200);
    CHECK(r.bytes.size() < 4096);

    // 50 MB of many small elements.
    std::string many = head + "</ParameterPath><NextLevel>false</NextLevel>";
    while (many.size() < (50u << 20)) many += "<x/>";
    many += "</cwmp:GetParameterNames></soap-env:Body></soap-env:Envelope>";
    const Answer m = answer(a, many);
    check_unreadable(m);
    CHECK(m.seconds < 5.0);
    CHECK(m.rss_growth_mib < 200);
}

TEST_CASE("10,000-deep nesting") {
    Agent a;
    std::string deep;
    for (int i = 0; i < 10000; ++i) deep += "<x>";
    for (int i = 0; i < 10000; ++i) deep += "</x>";
    const Answer inside = answer(a, message("<cwmp:GetRPCMethods>" + deep + "</cwmp:GetRPCMethods>"));
    check_unreadable(inside);
    CHECK(inside.seconds < 2.0);

    std::string open_only;  // never closed
    for (int i = 0; i < 10000; ++i) open_only += "<soap-env:Envelope" + kNamespaces + ">";
    check_unreadable(answer(a, open_only));
}

TEST_CASE("invalid UTF-8 in a name and in a value") {
    Agent a;
    for (const std::string& bad : {std::string("Device.DeviceInfo.\xC3("), std::string("Device.\xFF\xFE."),
                                   std::string("Device.DeviceInfo.UpTime\xED\xA0\x80"),  // surrogate
                                   std::string("Device.\xC0\xAE")}) {                     // overlong '.'
        CAPTURE(bad);
        check_unreadable(answer(a, gpv({bad})));
        check_unreadable(answer(a, gpn(bad)));
    }
    check_unreadable(answer(a, spv("Device.DeviceInfo.ProvisioningCode", "abc\xFF\xFE")));
    check_unreadable(answer(a, spv("Device.DeviceInfo.ProvisioningCode", "\xC3")));
    // Nothing was set.
    Answer after = answer(a, gpv({"Device.ManagementServer.ParameterKey"}));
    CHECK(after.fault == 0);
    CHECK(after.bytes.find("<Value xsi:type=\"xsd:string\"></Value>") != std::string::npos);
}

TEST_CASE("cwmp namespaces") {
    Agent a;
    // An unknown version of the cwmp namespace: not a request this CPE reads.
    check_unreadable(answer(a, message("<cwmp:GetRPCMethods/>", "urn:dslforum-org:cwmp-1-9")));
    check_unreadable(answer(a, message("<cwmp:GetRPCMethods/>", "urn:example:not-cwmp")));
    check_unreadable(answer(a, message("<GetRPCMethods/>")));  // no namespace at all
    // Header and body in different cwmp versions.
    check_unreadable(answer(a, "<soap-env:Envelope" + kNamespaces +
                                   " xmlns:a=\"urn:dslforum-org:cwmp-1-0\" xmlns:b=\"urn:dslforum-org:cwmp-1-2\">"
                                   "<soap-env:Header><a:ID soap-env:mustUnderstand=\"1\">x</a:ID></soap-env:Header>"
                                   "<soap-env:Body><b:GetRPCMethods/></soap-env:Body></soap-env:Envelope>"));
    // A supported older version is answered in its own namespace.
    const Answer old = answer(a, message("<cwmp:GetRPCMethods/>", "urn:dslforum-org:cwmp-1-0"));
    CHECK(old.fault == 0);
    CHECK(old.body == "GetRPCMethodsResponse");
    CHECK(old.id == "h1");
    CHECK(old.bytes.find("xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"") != std::string::npos);
}

TEST_CASE("an unknown method is 9000 with the request's ID") {
    Agent a;
    for (const std::string& body : {std::string("<cwmp:FormatHardDisk/>"),
                                    std::string("<cwmp:Inform/>"),  // an ACS method, not a CPE one
                                    std::string("<cwmp:GetRPCMethodsResponse/>"),
                                    std::string("<cwmp:X_EXAMPLE_Thing><A>1</A></cwmp:X_EXAMPLE_Thing>")}) {
        CAPTURE(body);
        const Answer r = answer(a, message(body));
        CHECK(r.fault == 9000);
        CHECK(r.id == "h1");
    }
}

TEST_CASE("SOAP Body with two elements, or none") {
    Agent a;
    check_unreadable(answer(a, message("<cwmp:GetRPCMethods/><cwmp:GetRPCMethods/>")));
    check_unreadable(answer(a, message("<cwmp:Reboot><CommandKey>x</CommandKey></cwmp:Reboot><cwmp:FactoryReset/>")));
    CHECK_FALSE(a.tasks.pending_reboot().has_value());
    CHECK_FALSE(a.tasks.pending_factory_reset());
    check_unreadable(answer(a, message("")));
    check_unreadable(answer(a, message("   ")));
    check_unreadable(answer(a, "<soap-env:Envelope" + kNamespaces + "><soap-env:Body/></soap-env:Envelope>"));
    check_unreadable(answer(a, "<soap-env:Envelope" + kNamespaces + "></soap-env:Envelope>"));
}

// SOAP 1.1 allows an optional Header and exactly one Body.
TEST_CASE("a SOAP Envelope with two Body elements") {
    Agent a;
    check_unreadable(answer(a, "<soap-env:Envelope" + kNamespaces +
                                   " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><soap-env:Body><cwmp:GetRPCMethods/>"
                                   "</soap-env:Body><soap-env:Body><cwmp:FactoryReset/></soap-env:Body>"
                                   "</soap-env:Envelope>"));
    CHECK_FALSE(a.tasks.pending_factory_reset());
    // A Header after the Body, or two Headers.
    check_unreadable(answer(a, "<soap-env:Envelope" + kNamespaces +
                                   " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><soap-env:Body><cwmp:GetRPCMethods/>"
                                   "</soap-env:Body><soap-env:Header/></soap-env:Envelope>"));
}

TEST_CASE("many ParameterNames within the limits") {
    Agent a;
    // 90,000 full names: about 3.6 MB of request, under the 4 MiB limit.
    std::vector<std::string> names(90000, "Device.DeviceInfo.UpTime");
    const Answer r = answer(a, gpv(names));
    CHECK(r.fault == 0);
    CHECK(r.bytes.find("cwmp:ParameterValueStruct[90000]") != std::string::npos);
    MESSAGE("90,000 names answered in " << r.seconds << " s, " << r.bytes.size() << " bytes");
    CHECK(r.seconds < 30.0);  // ~0.4 s optimised, ~8 s under ASan
    CHECK(r.rss_growth_mib < 400);

    // Many distinct bad names: the first one decides.
    std::vector<std::string> bad;
    for (int i = 0; i < 50000; ++i) bad.push_back("Device.Nope" + std::to_string(i) + ".");
    const Answer b = answer(a, gpv(bad));
    CHECK(b.fault == 9005);
    CHECK(b.seconds < 10.0);
}

TEST_CASE("a 100 KB ParameterPath") {
    Agent a;
    const std::string path = "Device." + std::string(100 * 1024, 'A') + ".";
    const Answer names = answer(a, gpn(path));
    CHECK(names.fault == 9003);
    CHECK(names.id == "h1");
    CHECK(names.bytes.size() < 4096);  // the fault does not echo the path
    const Answer values = answer(a, gpv({path}));
    CHECK(values.fault == 9003);
    CHECK(values.bytes.size() < 4096);
    const Answer add = answer(a, object_rpc("AddObject", path));
    CHECK(add.fault == 9003);
}

TEST_CASE("names with path tricks are 9005") {
    Agent a;
    const std::vector<std::string> tricks = {
        "Device..",
        ".",
        "..",
        ".Device.",
        "Device",
        "device.",
        "Device.DNS.Client.Server.0.",
        "Device.DNS.Client.Server.-1.",
        "Device.DNS.Client.Server.+1.",
        "Device.DNS.Client.Server.01.",
        "Device.DNS.Client.Server. 1.",
        "Device.DNS.Client.Server.1 .",
        "Device.DNS.Client.Server.0x1.",
        "Device.DNS.Client.Server.4294967296.",
        "Device.DNS.Client.Server.4294967297.",
        "Device.DNS.Client.Server.99999999999999999999999.",
        "Device.DNS.Client.Server.9.",
        "Device.DNS.Client.Server.{i}.",
        "Device.DNS.Client.Server.*.",
        "Device.DNS.Client.Server..1.",
        "Device.DNS.Client.Server.1..",
        "Device.DNS.Client.Server.1.DNSServer.",
        "Device.DNS.Client.Server.1.DNSServer.x",
        "Device.DNS.Client.Server.DNSServer",
        "Device.[x].",
        "Device.DNS.Client.Server.[cpe-dns-1].",
        "Device.DNS.Client.Server.[].",
        "Device.DeviceInfo.UpTime\t",
        "Device.\nDeviceInfo.",
        "Device.DeviceInfo.Up Time",
        "Device.DeviceInfo.UpTime/",
        "Device.DeviceInfo./../DNS.",
        "Device.DeviceInfo.%2E%2E.",
        "Device.DeviceInfo.&lt;x&gt;",
        "Device.DeviceInfo.\xC2\x85",  // NEL, valid UTF-8
        "Device.DeviceInfo.\xEF\xBB\xBF",  // BOM
    };
    for (const std::string& name : tricks) {
        CAPTURE(name);
        const Answer values = answer(a, gpv({name}));
        CHECK(values.fault == 9005);
        CHECK(values.id == "h1");
        const Answer names = answer(a, gpn(name));
        CHECK(names.fault == 9005);
        const Answer set = answer(a, spv(name, "1"));
        CHECK(set.fault == 9003);  // with a SetParameterValuesFault 9005 for the name
        CHECK(set.bytes.find("<FaultCode>9005</FaultCode>") != std::string::npos);
        if (name.ends_with(".")) {
            CHECK(answer(a, object_rpc("AddObject", name)).fault == 9005);
            CHECK(answer(a, object_rpc("DeleteObject", name)).fault == 9005);
        }
    }
    // Control characters XML 1.0 does not allow, raw or as references: unreadable.
    for (const std::string& name : {std::string("Device.\x01."), std::string("Device.&#1;."),
                                    std::string("Device.&#0;."), std::string("Device.\x1B[31m."),
                                    std::string("Device.&#xFFFE;.")}) {
        CAPTURE(name);
        check_unreadable(answer(a, gpv({name})));
    }
    // The table is untouched by all of it.
    const Answer table = answer(a, gpn("Device.DNS.Client.Server.", "true"));
    CHECK(table.fault == 0);
    CHECK(table.bytes.find("cwmp:ParameterInfoStruct[2]") != std::string::npos);
}

TEST_CASE("an ID and arguments with markup are escaped") {
    Agent a;
    std::string request = message("<cwmp:FormatHardDisk/>");
    const std::string plain_id = "<cwmp:ID soap-env:mustUnderstand=\"1\">h1</cwmp:ID>";
    request.replace(request.find(plain_id), plain_id.size(),
                    "<cwmp:ID soap-env:mustUnderstand=\"1\">&lt;/cwmp:ID&gt;&amp;]]&gt;</cwmp:ID>");
    const Answer r = answer(a, request);
    CHECK(r.fault == 9000);
    CHECK(r.id == "</cwmp:ID>&]]>");

    const Answer v = answer(a, gpv({"Device.&lt;script&gt;.", "<![CDATA[Device.]]>"}));
    CHECK(v.fault == 9005);
}



// Each "Device." in a GetParameterValues or GetParameterAttributes request
// adds the whole tree (~320 KB / ~420 KB) to the response, so a 4 MiB request
// of ~170,000 of them would ask for tens of GB: the CPE answers 9004 once the
// response passes its bound (32 MiB).
TEST_CASE("partial paths repeated cannot blow up the response") {
    Agent a;
    const std::vector<std::string> names(2000, "Device.");  // a 48 KB request, ~650 MB of answer
    const Answer values = answer(a, gpv(names));
    CHECK(values.fault == 9004);
    CHECK(values.id == "h1");
    CHECK(values.rss_growth_mib < 200);
    CHECK(values.seconds < 5.0);

    std::string body = "<cwmp:GetParameterAttributes><ParameterNames soap-enc:arrayType=\"xsd:string[2000]\">";
    for (int i = 0; i < 2000; ++i) body += "<string>Device.</string>";
    const Answer attributes = answer(a, message(body + "</ParameterNames></cwmp:GetParameterAttributes>"));
    CHECK(attributes.fault == 9004);
    CHECK(attributes.rss_growth_mib < 200);
}

TEST_CASE("repeated partial paths within a bounded answer") {
    Agent a;
    // 20 times the DNS subtree: small, so it is answered in full.
    const std::vector<std::string> names(20, "Device.DNS.");
    const Answer r = answer(a, gpv(names));
    CHECK(r.fault == 0);
    CHECK(r.bytes.find("cwmp:ParameterValueStruct[320]") != std::string::npos);
    CHECK(r.seconds < 2.0);
}

// The simulated box with a clock that fails on demand: an exception from
// deep inside a handler (a bug, a platform call that throws).
struct BrokenClock {
    bool broken = false;
    std::int64_t t = kBoot + 60;
    test::TempDir dir{"cwmp-rpc-broken"};
    cwmp::sim::SimBoard board{[this] {
        if (broken) throw std::logic_error("the board's clock broke");
        return t;
    }};
    cwmp::dm::Context ctx{board};
    cwmp::store::Store store{dir.file()};
    cwmp::dm::Engine engine{cwmp::gen::schema, ctx, store};
    cwmp::util::Log log;
    cwmp::tasks::Tasks tasks{store, [this] {
        if (broken) throw std::logic_error("the board's clock broke");
        return t;
    }, log};
    cwmp::rpc::Cpe cpe{engine, tasks};
};

TEST_CASE("an exception inside a handler is fault 9002 naming the method and the cause; the next RPC works") {
    BrokenClock b;
    b.broken = true;
    const Answer r = answer(b.cpe, message("<cwmp:ScheduleInform><DelaySeconds>5</DelaySeconds>"
                                           "<CommandKey>k</CommandKey></cwmp:ScheduleInform>"));
    CHECK(r.fault == 9002);
    CHECK(r.id == "h1");
    CHECK(r.message == "Internal error: ScheduleInform failed: the board's clock broke");
    b.broken = false;
    const Answer ok = answer(b.cpe, gpv({"Device.DeviceInfo.UpTime"}));
    CHECK(ok.fault == 0);
    CHECK(ok.body == "GetParameterValuesResponse");
}
