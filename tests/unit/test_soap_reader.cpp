// The hardened reader: real ACS messages parse; hostile ones end in an error.
#include <doctest/doctest.h>

#include "support.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cwmp/soap/reader.h"

using namespace cwmp::soap;

namespace {

const char* const kGpv =
    "<?xml version=\"1.0\"?>"
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
    " xmlns:soapenc=\"http://schemas.xmlsoap.org/soap/encoding/\""
    " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
    " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">"
    "<soapenv:Header><cwmp:ID soapenv:mustUnderstand=\"1\">abc&amp;1</cwmp:ID>"
    "<cwmp:HoldRequests soapenv:mustUnderstand=\"1\">1</cwmp:HoldRequests></soapenv:Header>"
    "<soapenv:Body><cwmp:GetParameterValues>"
    "<ParameterNames soapenc:arrayType=\"xsd:string[2]\">"
    "<string>Device.DeviceInfo.</string><string>Device.Time.Enable</string>"
    "</ParameterNames></cwmp:GetParameterValues></soapenv:Body></soapenv:Envelope>";

std::string wrap(const std::string& body, const std::string& prolog = "") {
    return prolog +
           "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
           " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\"><s:Body>" +
           body + "</s:Body></s:Envelope>";
}

std::string error_of(const std::string& xml, const Limits& limits = {}) {
    ParseResult r = parse_envelope(xml, limits);
    CHECK_FALSE(r.envelope.has_value());
    return r.error;
}

}  // namespace

TEST_CASE("each cwmp namespace URI reads back as its namespace, any other as none") {
    for (Namespace ns : {Namespace::Cwmp10, Namespace::Cwmp11, Namespace::Cwmp12})
        CHECK(namespace_of(namespace_uri(ns)) == ns);
    CHECK_FALSE(namespace_of("urn:dslforum-org:cwmp-1-3").has_value());
    CHECK_FALSE(namespace_of("").has_value());
}

TEST_CASE("a GetParameterValues from a CWMP 1.0 ACS") {
    ParseResult r = parse_envelope(kGpv);
    REQUIRE_MESSAGE(r.envelope.has_value(), r.error);
    const Envelope& e = *r.envelope;
    CHECK(e.cwmp_ns == Namespace::Cwmp10);
    CHECK(e.id == "abc&1");
    CHECK(e.id_must_understand);
    CHECK(e.hold_requests);
    CHECK(e.body.name == "GetParameterValues");
    const Element* names = e.body.child("ParameterNames");
    REQUIRE(names != nullptr);
    CHECK(names->array_type == "xsd:string[2]");
    REQUIRE(names->children.size() == 2);
    CHECK(names->children[1].text == "Device.Time.Enable");
}

TEST_CASE("a SetParameterValues keeps xsi:type and text exactly") {
    std::string xml = wrap(
        "<cwmp:SetParameterValues><ParameterList><ParameterValueStruct>"
        "<Name>Device.Time.LocalTimeZone</Name>"
        "<Value xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xsd:string\">"
        " a &lt;b&gt; </Value></ParameterValueStruct></ParameterList>"
        "<ParameterKey>k</ParameterKey></cwmp:SetParameterValues>");
    ParseResult r = parse_envelope(xml);
    REQUIRE_MESSAGE(r.envelope.has_value(), r.error);
    const Element& v = r.envelope->body.child("ParameterList")->children[0].children[1];
    CHECK(v.xsi_type == "xsd:string");
    CHECK(v.text == " a <b> ");
}

TEST_CASE("attributes, empty elements, CDATA and references read as the document says") {
    std::string xml = wrap(
        "<cwmp:SetParameterValues><ParameterList soapenc:arrayType=\"cwmp:ParameterValueStruct[1]\""
        " xmlns:soapenc=\"http://schemas.xmlsoap.org/soap/encoding/\"><ParameterValueStruct>"
        "<Name>A<![CDATA[<b>&amp;]]>&#x43;</Name>"
        "<Value xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"x&amp;y&#38;&amp;#38;\"/>"
        "</ParameterValueStruct></ParameterList><ParameterKey/></cwmp:SetParameterValues>");
    ParseResult r = parse_envelope(xml);
    REQUIRE_MESSAGE(r.envelope.has_value(), r.error);
    const Element* list = r.envelope->body.child("ParameterList");
    REQUIRE(list != nullptr);
    CHECK(list->array_type == "cwmp:ParameterValueStruct[1]");
    REQUIRE(list->children.size() == 1);
    const Element& pvs = list->children[0];
    REQUIRE(pvs.children.size() == 2);
    CHECK(pvs.children[0].text == "A<b>&amp;C");
    CHECK(pvs.children[1].xsi_type == "x&y&&#38;");  // an empty element keeps its attributes
    CHECK(pvs.children[1].text.empty());
    CHECK(r.envelope->body.children.size() == 2);  // the empty ParameterKey is a sibling, not a child
}

TEST_CASE("hostile input is refused") {
    // XXE: an external entity must never be read.
    CHECK(error_of(wrap("<cwmp:GetRPCMethods>&xxe;</cwmp:GetRPCMethods>",
                        "<!DOCTYPE e [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"))
              .find("DTD") != std::string::npos);
    // Billion laughs: no entity can be declared at all.
    std::string lol = "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>";
    CHECK(error_of(wrap("<cwmp:GetRPCMethods>&b;</cwmp:GetRPCMethods>", lol)).find("DTD") != std::string::npos);
    // Deep nesting.
    std::string deep;
    for (int i = 0; i < 10000; ++i) deep += "<a>";
    for (int i = 0; i < 10000; ++i) deep += "</a>";
    CHECK(error_of(wrap("<cwmp:X>" + deep + "</cwmp:X>")).find("deep") != std::string::npos);
    // Too large.
    Limits small;
    small.max_bytes = 1000;
    CHECK(error_of(std::string(50 * 1024 * 1024, ' '), small).find("larger") != std::string::npos);
    // Malformed, invalid UTF-8, not SOAP, wrong namespace, empty body, two RPCs.
    CHECK_FALSE(error_of(wrap("<cwmp:Reboot>")).empty());
    CHECK_FALSE(error_of(wrap("<cwmp:Reboot><CommandKey>\xC3(</CommandKey></cwmp:Reboot>")).empty());
    CHECK(error_of("<html/>") == "not a SOAP envelope");
    CHECK(error_of("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                   "<x:Reboot xmlns:x=\"urn:example\"/></s:Body></s:Envelope>")
              .find("not in a cwmp namespace") != std::string::npos);
    CHECK(error_of(wrap("")).find("exactly one") != std::string::npos);
    CHECK(error_of(wrap("<cwmp:Reboot/><cwmp:Reboot/>")).find("exactly one") != std::string::npos);
    CHECK_FALSE(error_of("").empty());
}

TEST_CASE("an unknown header the ACS says must be understood is refused") {
    std::string xml =
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\">"
        "<s:Header><x:Secret xmlns:x=\"urn:example\" s:mustUnderstand=\"1\">1</x:Secret></s:Header>"
        "<s:Body><cwmp:GetRPCMethods/></s:Body></s:Envelope>";
    CHECK(error_of(xml).find("must be understood") != std::string::npos);
}

namespace {

std::string utf16le(const std::string& ascii) {
    std::string out = "\xFF\xFE";
    for (char c : ascii) out += std::string{c, '\0'};
    return out;
}

}  // namespace

TEST_CASE("only UTF-8 (and its subset US-ASCII) is read; other encodings are refused, silently") {
    const std::string body = "<cwmp:GetRPCMethods/>";
    for (const char* ok : {"UTF-8", "utf-8", "US-ASCII"}) {
        CAPTURE(ok);
        ParseResult r = parse_envelope(wrap(body, std::string("<?xml version=\"1.0\" encoding=\"") + ok + "\"?>"));
        CHECK_MESSAGE(r.envelope.has_value(), r.error);
    }
    CHECK(parse_envelope("\xEF\xBB\xBF" + wrap(body)).envelope.has_value());  // UTF-8 with its mark

    std::string ebcdic = "\x4C\x6F\xA7\x94\x93\x40";  // "<?xml " in EBCDIC (IBM037)
    const std::string refused[] = {
        wrap(body, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"),
        wrap(body, "<?xml version='1.0' encoding = 'latin1'?>"),
        wrap(body, "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"),
        wrap(body, "<?xml version=\"1.0\" encoding=\"EBCDIC-US\"?>"),
        wrap(body, "<?xml version=\"1.0\" encoding=\"IBM037\"?>"),
        wrap(body, "<?xml version=\"1.0\" encoding=\"x-no-such-encoding\"?>"),
        wrap(body, "<?xml version=\"1.0\" encoding=\"\x01\xff<>\"?>"),
        utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + wrap(body)),
        utf16le(wrap(body)).substr(2),  // UTF-16 without its mark
        ebcdic,
    };
    for (const std::string& doc : refused) {
        CAPTURE(doc.substr(0, 60));
        std::string error;
        const std::string printed = test::stderr_of([&] { error = error_of(doc); });
        CHECK(printed.empty());
        CHECK((error.find("CWMP messages are UTF-8") != std::string::npos));
        // The message names no byte that is not printable ASCII (it goes into a FaultString).
        CHECK(std::all_of(error.begin(), error.end(), [](char c) { return c >= 0x20 && c < 0x7f; }));
    }
}

TEST_CASE("libxml2's messages reach the reader's error, never stderr") {
    for (const std::string& bad : {std::string("<a><b></a>"), wrap("<cwmp:X a='1' a='2'/>"),
                                   wrap("<cwmp:X>\xC3\x28</cwmp:X>"), wrap("<cwmp:X>&#0;</cwmp:X>"),
                                   wrap("<cwmp:X>&undefined;</cwmp:X>"), std::string("<?xml version=\"9\"?><a/>"),
                                   std::string("<?xml version=\"1.0\" encoding=\"US-ASCII\"?><a>\xC3\xA9</a>")}) {
        CAPTURE(bad);
        std::string error;
        const std::string printed = test::stderr_of([&] { error = parse_envelope(bad).error; });
        CHECK(printed.empty());
        CHECK_FALSE(error.empty());
    }
}
