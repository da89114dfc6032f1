// Wire forms of values: every TR-106 type's parser, and each parameter of
// the rdk-stb tables validating a value (type, ranges, sizes, enumerations,
// patterns).  The first byte picks the parameter, the rest is the value.
// Invariant: what parses formats back to a form that parses to the same value.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/dm/schema.h"
#include "cwmp/dm/value.h"
#include "fuzz.h"

namespace cwmp::gen {
extern const cwmp::dm::Schema schema;
}

namespace {

template <class T>
void round_trip(std::string_view in) {
    T v{};
    if (cwmp::dm::parse(in, v) != cwmp::Fault::None) return;
    std::string text;
    cwmp::dm::format(text, v);
    T again{};
    fuzz::check(cwmp::dm::parse(text, again) == cwmp::Fault::None, "a formatted value does not parse", text);
    if constexpr (std::is_same_v<T, double>) {
        fuzz::check(std::isfinite(v) && (again == v || std::fabs(again - v) <= std::fabs(v) * 1e-15),
                    "a decimal changed in a round trip", text);
    } else if constexpr (std::is_same_v<T, cwmp::dm::DateTime>) {
        fuzz::check(again.unix_seconds == v.unix_seconds, "a dateTime changed in a round trip", text);
    } else {
        fuzz::check(again == v, "a value changed in a round trip", text);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
    round_trip<bool>(value);
    round_trip<std::int32_t>(value);
    round_trip<std::uint32_t>(value);
    round_trip<std::int64_t>(value);
    round_trip<std::uint64_t>(value);
    round_trip<double>(value);
    round_trip<cwmp::dm::DateTime>(value);
    round_trip<std::vector<std::uint32_t>>(value);
    (void)cwmp::dm::split_list(value);

    static cwmp::dm::PatternCache patterns;  // compiled once per process, as in the daemon
    const auto& params = cwmp::gen::schema.params;
    // Spread the first byte over the table so every type and facet is reached.
    const std::size_t step = params.size() / 256 + 1;
    for (std::size_t i = data[0] * step; i < params.size() && i < (data[0] + 1u) * step; ++i) {
        const cwmp::Fault f = cwmp::dm::validate(params[i], value, &patterns);
        fuzz::check(f == cwmp::Fault::None || f == cwmp::Fault::InvalidParameterType ||
                        f == cwmp::Fault::InvalidParameterValue,
                    "validate gave a fault other than 9006/9007", std::string(params[i].path));
    }
    return 0;
}
