// UDP lightweight notifications (TR-069 Annex M): the message builder
// (cwmp/lwn/message.h) and the passive trigger's timing (cwmp/agent/lightweight.h).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "cwmp/agent/lightweight.h"
#include "cwmp/lwn/message.h"
#include "support.h"

using namespace cwmp;

namespace {

const lwn::Identity kId{"acs-user", "s3cret", "00A0B1", "SetTopBox", "SN<1>&2"};

// xmllint's verdict on `xml` against cwmp-UDPLightweightNotification-1-0.xsd
// (found next to validate-cwmp, named by $CWMP_VALIDATE): "" when valid.
std::string lwn_schema_errors(const std::string& xml) {
    const char* validator = std::getenv("CWMP_VALIDATE");
    REQUIRE_MESSAGE(validator != nullptr, "CWMP_VALIDATE names validate-cwmp");
    const std::filesystem::path dir = std::filesystem::path(validator).parent_path();
    const std::filesystem::path xsd = dir / ".." / "bbf-cwmp-data-models" / "cwmp-UDPLightweightNotification-1-0.xsd";
    REQUIRE_MESSAGE(std::filesystem::exists(xsd), xsd.string());
    test::TempDir tmp("cwmp-lwn");
    const std::string path = tmp.file("notification.xml");
    const std::string log = tmp.file("xmllint.log");
    std::ofstream(path, std::ios::binary) << xml;
    const std::string cmd = "XML_CATALOG_FILES=" + (dir / "catalog.xml").string() +
                            " xmllint --noout --nonet --schema " + xsd.string() + " " + path + " >" + log + " 2>&1";
    return std::system(cmd.c_str()) == 0 ? std::string() : test::read_file(log);
}

// The head fields and the body of a datagram.
struct Parsed {
    std::string request_line;
    std::map<std::string, std::string> fields;
    std::string body;
};
Parsed parse(const std::string& d) {
    Parsed p;
    const std::size_t end = d.find("\r\n\r\n");
    REQUIRE(end != std::string::npos);
    p.body = d.substr(end + 4);
    std::string head = d.substr(0, end);
    std::size_t pos = head.find("\r\n");
    p.request_line = head.substr(0, pos);
    while (pos != std::string::npos) {
        const std::size_t next = head.find("\r\n", pos + 2);
        const std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        const std::size_t colon = line.find(": ");
        REQUIRE(colon != std::string::npos);
        p.fields[line.substr(0, colon)] = line.substr(colon + 2);
        pos = next;
    }
    return p;
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("the document: the schema's elements in its order, text escaped, schema-valid") {
    const std::vector<lwn::Param> params{{"Device.DeviceInfo.UpTime", "42"},
                                         {"Device.X_Test.Note", "a<b & \"c\"\n"}};
    const std::string xml = lwn::document(kId, 1764000000, "0123456789abcdef0123456789abcdef", params);
    const char* order[] = {"<TS>1764000000</TS>", "<UN>acs-user</UN>", "<CN>0123456789abcdef0123456789abcdef</CN>",
                           "<OUI>00A0B1</OUI>", "<ProductClass>SetTopBox</ProductClass>",
                           "<SerialNumber>SN&lt;1&gt;&amp;2</SerialNumber>",
                           "<Param><Name>Device.DeviceInfo.UpTime</Name><Value>42</Value></Param>",
                           "<Param><Name>Device.X_Test.Note</Name><Value>a&lt;b &amp; ", "&#10;</Value></Param>"};
    std::size_t at = 0;
    for (const char* part : order) {
        const std::size_t found = xml.find(part, at);
        CHECK_MESSAGE(found != std::string::npos, part);
        if (found != std::string::npos) at = found;
    }
    CHECK(xml.find("xmlns=\"urn:broadband-forum-org:cwmp:lwnotif-1-0\"") != std::string::npos);
    CHECK(lwn_schema_errors(xml) == "");
    // A document without a Param is what the schema forbids (the builder never makes one).
    CHECK(lwn_schema_errors(lwn::document(kId, 1764000000, "cn", {})) != "");
}

TEST_CASE("the signature is HMAC-SHA1 (RFC 2202 test case 2)") {
    CHECK(lwn::signature("Jefe", "what do ya want for nothing?") == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_CASE("the datagram: POST head, Content-Length and Signature over the body") {
    const std::vector<lwn::Param> params{{"Device.DeviceInfo.UpTime", "42"}};
    const std::string body = lwn::document(kId, 1764000000, "cn", params);
    const Parsed p = parse(lwn::datagram("192.0.2.7:7547", body, kId.password));
    CHECK(p.request_line == "POST / HTTP/1.1");
    CHECK(p.fields.at("Host") == "192.0.2.7:7547");
    CHECK(p.fields.at("Content-Type") == "text/xml; charset=\"utf-8\"");
    CHECK(p.fields.at("Content-Length") == std::to_string(p.body.size()));
    CHECK(p.fields.at("Signature") == lwn::signature(kId.password, p.body));
    CHECK(p.fields.at("Signature") != lwn::signature("other", p.body));
    CHECK(p.body == body);
}

TEST_CASE("random CN: 32 hex digits, never the same twice") {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string cn = lwn::random_cnonce();
        CHECK(cn.size() == 32);
        CHECK(cn.find_first_not_of("0123456789abcdef") == std::string::npos);
        seen.insert(cn);
    }
    CHECK(seen.size() == 100);
}

TEST_CASE("many parameters: split into datagrams within the size, each valid and signed") {
    std::vector<lwn::Param> params;
    for (int i = 1; i <= 40; ++i)
        params.push_back({"Device.Hosts.Host." + std::to_string(i) + ".HostName", std::string(30, 'a' + i % 26)});
    const std::size_t max = 700;
    const auto out = lwn::datagrams(kId, 1764000000, params, "acs.example:9000", max);
    REQUIRE(out.size() > 1);
    std::size_t total = 0;
    std::set<std::string> cns;
    std::string all;
    for (const std::string& d : out) {
        CHECK(d.size() <= max);
        const Parsed p = parse(d);
        CHECK(p.fields.at("Signature") == lwn::signature(kId.password, p.body));
        CHECK(lwn_schema_errors(p.body) == "");
        total += count(p.body, "<Param>");
        cns.insert(p.body.substr(p.body.find("<CN>"), 40));
        all += p.body;
    }
    CHECK(total == params.size());
    CHECK(cns.size() == out.size());
    // In order, each once.
    std::size_t at = 0;
    for (const lwn::Param& prm : params) {
        const std::size_t found = all.find("<Name>" + prm.name + "</Name>", at);
        REQUIRE(found != std::string::npos);
        at = found;
    }
    // Few datagrams: none but the last could have taken the next parameter
    // (the packer keeps a few bytes for Content-Length's digits).
    std::size_t next = 0;
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        next += count(parse(out[i]).body, "<Param>");
        const lwn::Param& p = params[next];
        const std::size_t fragment = std::string("<Param><Name></Name><Value></Value></Param>").size() +
                                     p.name.size() + p.value.size();
        CHECK(out[i].size() + fragment + 10 > max);
    }

    // One parameter bigger than the limit goes alone, whole.
    const std::vector<lwn::Param> big{{"Device.A", "1"}, {"Device.B", std::string(2000, 'x')}, {"Device.C", "3"}};
    const auto three = lwn::datagrams(kId, 1764000000, big, "h:1", max);
    REQUIRE(three.size() == 3);
    CHECK(parse(three[1]).body.find(std::string(2000, 'x')) != std::string::npos);
    // Within the size: one datagram.
    CHECK(lwn::datagrams(kId, 1764000000, std::span(big).first(1), "h:1", max).size() == 1);
    CHECK(lwn::datagrams(kId, 1764000000, {}, "h:1", max).empty());
}

TEST_CASE("passive trigger: TriggerTime + n x TriggerInterval, 0 disables") {
    using agent::next_trigger;
    const std::int64_t midnight = 1764633600;  // 2025-12-02T00:00:00Z
    CHECK(next_trigger(midnight + 100, 0, midnight, 0) == INT64_MAX);
    // The next midnight, whether the phase is in the past or the future.
    CHECK(next_trigger(midnight + 100, 86400, midnight, 0) == midnight + 86400);
    CHECK(next_trigger(midnight + 100, 86400, midnight + 10 * 86400, 0) == midnight + 86400);
    // On a slot: the one after it.
    CHECK(next_trigger(midnight + 86400, 86400, midnight, 0) == midnight + 2 * 86400);
    // Unknown time: the local reference.
    CHECK(next_trigger(1000, 30, std::nullopt, 995) == 1025);
}
