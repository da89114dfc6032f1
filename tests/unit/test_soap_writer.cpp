// The streaming CWMP writer: exact output for small messages, and every kind
// of message it writes passes the BBF cwmp-1-x.xsd schemas (validate-cwmp).
#include <doctest/doctest.h>

#include "support.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "cwmp/soap/writer.h"

using cwmp::Fault;
using cwmp::dm::Type;
using namespace cwmp::soap;

namespace {

std::string escaped(std::string_view s) {
    std::string out;
    append_escaped(out, s);
    return out;
}

// The messages are named for the reader of the test, not for the check.
bool schema_valid(const std::string& /*name*/, const std::string& xml) { return test::schema_valid(xml); }

}  // namespace

TEST_CASE("escaping keeps any input well-formed XML") {
    CHECK(escaped("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
    CHECK(escaped("tab\there\r\n") == "tab&#9;here&#13;&#10;");
    CHECK(escaped(std::string("nul\0x", 5)) == "nul\xEF\xBF\xBDx");
    CHECK(escaped("caf\xC3\xA9") == "caf\xC3\xA9");                 // valid UTF-8 kept
    CHECK(escaped("bad\xC3(") == "bad\xEF\xBF\xBD(");               // truncated sequence
    CHECK(escaped("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");       // overlong '/'
    CHECK(escaped("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    CHECK(escaped("plain") == "plain");
}

TEST_CASE("a GetParameterValuesResponse, byte for byte") {
    std::string out;
    Writer w(out, Namespace::Cwmp12, "42");
    w.open_rpc("GetParameterValuesResponse");
    w.open_array("ParameterList", "cwmp:ParameterValueStruct", 1);
    w.parameter_value("Device.DeviceInfo.UpTime", Type::UnsignedInt, "7");
    w.close("ParameterList");
    w.close_rpc("GetParameterValuesResponse");
    w.finish();
    CHECK(out ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\""
          " xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\""
          " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
          " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
          " xmlns:cwmp=\"urn:dslforum-org:cwmp-1-2\">"
          "<soap-env:Header><cwmp:ID soap-env:mustUnderstand=\"1\">42</cwmp:ID></soap-env:Header>"
          "<soap-env:Body><cwmp:GetParameterValuesResponse>"
          "<ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]\">"
          "<ParameterValueStruct><Name>Device.DeviceInfo.UpTime</Name>"
          "<Value xsi:type=\"xsd:unsignedInt\">7</Value></ParameterValueStruct>"
          "</ParameterList></cwmp:GetParameterValuesResponse></soap-env:Body></soap-env:Envelope>");
    CHECK(schema_valid("gpv", out));
}

TEST_CASE("values of every type and hostile strings stay schema-valid") {
    std::string out;
    Writer w(out, Namespace::Cwmp12, "id<&>");
    w.open_rpc("GetParameterValuesResponse");
    w.open_array("ParameterList", "cwmp:ParameterValueStruct", 10);
    w.parameter_value("Device.A", Type::String, "<script>&amp;\x01\xFF");
    w.parameter_value("Device.B", Type::UnsignedInt, "4294967295");
    w.parameter_value("Device.C", Type::Int, "-5");
    w.parameter_value("Device.D", Type::UnsignedLong, "18446744073709551615");
    w.parameter_value("Device.E", Type::Long, "-9223372036854775808");
    w.parameter_value("Device.F", Type::Boolean, "true");
    w.parameter_value("Device.G", Type::DateTime, "2023-11-14T22:13:20Z");
    w.parameter_value("Device.H", Type::Base64, "AAEC");
    w.parameter_value("Device.I", Type::HexBinary, "00ff");
    w.parameter_value("Device.J", Type::Decimal, "1.5");
    w.close("ParameterList");
    w.close_rpc("GetParameterValuesResponse");
    w.finish();
    CHECK(schema_valid("types", out));
}

TEST_CASE("an Inform in each cwmp namespace") {
    for (Namespace ns : {Namespace::Cwmp10, Namespace::Cwmp11, Namespace::Cwmp12}) {
        std::string out;
        Writer w(out, ns, "1");
        w.open_rpc("Inform");
        w.open("DeviceId");
        w.text("Manufacturer", "Example STB Co");
        w.text("OUI", "00005E");
        w.text("ProductClass", "RDK-STB");
        w.text("SerialNumber", "SN0001");
        w.close("DeviceId");
        w.open_array("Event", "cwmp:EventStruct", 2);
        w.open("EventStruct");
        w.text("EventCode", "0 BOOTSTRAP");
        w.text("CommandKey", "");
        w.close("EventStruct");
        w.open("EventStruct");
        w.text("EventCode", "1 BOOT");
        w.text("CommandKey", "");
        w.close("EventStruct");
        w.close("Event");
        w.number("MaxEnvelopes", 1);
        w.text("CurrentTime", "2023-11-14T22:13:20Z");
        w.number("RetryCount", 0);
        w.open_array("ParameterList", "cwmp:ParameterValueStruct", 1);
        w.parameter_value("Device.RootDataModelVersion", Type::String, "2.19");
        w.close("ParameterList");
        w.close_rpc("Inform");
        w.finish();
        CHECK_MESSAGE(schema_valid("inform-" + std::to_string(static_cast<int>(ns)), out),
                      namespace_uri(ns));
    }
}

TEST_CASE("faults: a plain one and SetParameterValues with one fault per parameter") {
    std::string out;
    Writer w(out, Namespace::Cwmp12, "9");
    w.open_fault(Fault::MethodNotSupported);
    w.close_fault();
    w.finish();
    CHECK(out.find("<faultcode>Server</faultcode>") != std::string::npos);
    CHECK(out.find("<FaultCode>9000</FaultCode><FaultString>Method not supported</FaultString>") !=
          std::string::npos);
    CHECK(schema_valid("fault", out));

    std::string spv;
    Writer f(spv, Namespace::Cwmp12, "10");
    f.open_fault(Fault::InvalidArguments);
    f.set_parameter_values_fault("Device.Time.Enable", Fault::InvalidParameterType);
    f.set_parameter_values_fault("Device.DeviceInfo.UpTime", Fault::NonWritableParameter);
    f.close_fault();
    f.finish();
    CHECK(spv.find("<faultcode>Client</faultcode>") != std::string::npos);
    CHECK(spv.find("<ParameterName>Device.DeviceInfo.UpTime</ParameterName><FaultCode>9008</FaultCode>") !=
          std::string::npos);
    CHECK(schema_valid("spv-fault", spv));
}

TEST_CASE("an empty GetRPCMethodsResponse list and a SetParameterValuesResponse") {
    std::string out;
    Writer w(out, Namespace::Cwmp12, "");
    w.open_rpc("GetRPCMethodsResponse");
    w.open_array("MethodList", "xsd:string", 2);
    w.text("string", "GetRPCMethods");
    w.text("string", "Inform");
    w.close("MethodList");
    w.close_rpc("GetRPCMethodsResponse");
    w.finish();
    CHECK(out.find("<soap-env:Header>") == std::string::npos);
    CHECK(schema_valid("rpcmethods", out));

    std::string spv;
    Writer s(spv, Namespace::Cwmp12, "7");
    s.open_rpc("SetParameterValuesResponse");
    s.number("Status", 0);
    s.close_rpc("SetParameterValuesResponse");
    s.finish();
    CHECK(schema_valid("spv", spv));
}
