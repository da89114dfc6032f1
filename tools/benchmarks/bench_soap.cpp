// Benchmark (figures, not a test): writing a 10,000-value
// GetParameterValuesResponse with the streaming writer, against the floor of
// plain escaped string appends of the same bytes. Prints `name: value` lines.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cwmp/soap/writer.h"

namespace {

struct Value {
    std::string name;
    std::string value;
};

template <class F>
double best_seconds(F&& body, int runs) {
    double best = 1e9;
    for (int i = 0; i < runs; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        body();
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (s < best) best = s;
    }
    return best;
}

}  // namespace

int main() {
    constexpr int kValues = 10000;
    std::vector<Value> values;
    for (int i = 0; i < kValues; ++i) {
        values.push_back({"Device.Services.STBService.1.Components.FrontEnd." + std::to_string(i % 7 + 1) +
                              ".IP.Inbound." + std::to_string(i) + ".StreamingControlProtocol",
                          "value-" + std::to_string(i * 7919) + " <&> " + std::string(i % 40, 'x')});
    }
    std::string out;
    auto writer = [&] {
        out.clear();
        cwmp::soap::Writer w(out, cwmp::soap::Namespace::Cwmp12, "1");
        w.open_rpc("GetParameterValuesResponse");
        w.open_array("ParameterList", "cwmp:ParameterValueStruct", values.size());
        for (const Value& v : values) w.parameter_value(v.name, cwmp::dm::Type::String, v.value);
        w.close("ParameterList");
        w.close_rpc("GetParameterValuesResponse");
        w.finish();
    };
    // The floor: the same bytes, appended with the plainest escaping.
    std::string floor_out;
    auto floor = [&] {
        floor_out.clear();
        floor_out.reserve(out.size());
        floor_out.append(out, 0, out.find("<ParameterValueStruct>"));
        for (const Value& v : values) {
            floor_out.append("<ParameterValueStruct><Name>");
            floor_out.append(v.name);
            floor_out.append("</Name><Value xsi:type=\"xsd:string\">");
            for (char c : v.value) {
                if (c == '<') floor_out.append("&lt;");
                else if (c == '>') floor_out.append("&gt;");
                else if (c == '&') floor_out.append("&amp;");
                else floor_out.push_back(c);
            }
            floor_out.append("</Value></ParameterValueStruct>");
        }
        floor_out.append("</ParameterList></cwmp:GetParameterValuesResponse></soap-env:Body></soap-env:Envelope>");
    };
    writer();
    const double t_writer = best_seconds(writer, 20);
    const double t_floor = best_seconds(floor, 20);
    std::printf("soap_writer_values: %d\n", kValues);
    std::printf("soap_writer_bytes: %zu\n", out.size());
    std::printf("soap_writer_same_bytes_as_floor: %s\n", out == floor_out ? "yes" : "no");
    std::printf("soap_writer_ms: %.3f\n", t_writer * 1e3);
    std::printf("soap_floor_ms: %.3f\n", t_floor * 1e3);
    std::printf("soap_writer_ratio_to_floor: %.2f\n", t_writer / t_floor);
    return out == floor_out ? 0 : 1;
}
