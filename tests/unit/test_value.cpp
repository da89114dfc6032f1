// Wire forms of typed values: the parsing and formatting the thunks use.
#include <doctest/doctest.h>

#include <string>

#include "cwmp/dm/value.h"
#include "cwmp/fault.h"

using cwmp::Fault;
using namespace cwmp::dm;

template <class T>
static std::string fmt(const T& v) {
    std::string out;
    format(out, v);
    return out;
}

TEST_CASE("integers parse in range and only as whole numbers") {
    std::uint32_t u = 0;
    CHECK(parse("4294967295", u) == Fault::None);
    CHECK(u == 4294967295u);
    CHECK(parse("4294967296", u) == Fault::InvalidParameterType);
    CHECK(parse("-1", u) == Fault::InvalidParameterType);
    CHECK(parse("+7", u) == Fault::None);
    CHECK(u == 7);
    CHECK(parse("7 ", u) == Fault::InvalidParameterType);
    CHECK(parse("", u) == Fault::InvalidParameterType);
    CHECK(parse("++7", u) == Fault::InvalidParameterType);
    std::int32_t i = 0;
    CHECK(parse("-2147483648", i) == Fault::None);
    CHECK(i == INT32_MIN);
    CHECK(parse("2147483648", i) == Fault::InvalidParameterType);
    std::int64_t l = 0;
    CHECK(parse("-9223372036854775808", l) == Fault::None);
    std::uint64_t ul = 0;
    CHECK(parse("18446744073709551615", ul) == Fault::None);
    CHECK(fmt(ul) == "18446744073709551615");
    CHECK(fmt(std::int32_t{-5}) == "-5");
}

TEST_CASE("decimals take xsd:decimal only: no exponent, no NaN or INF, and write every digit out") {
    double d = 7;
    for (const char* bad : {"nan", "nAn", "NaN", "inf", "-INF", "infinity", "1e5", "1E-3", "0x1p3", "", "+", "-",
                            ".", "1.2.3", "1,5", " 1", "1 ", "++1", "+-1"}) {
        CHECK_MESSAGE(parse(bad, d) == Fault::InvalidParameterType, bad);
        CHECK(d == 7);  // a refused value leaves the target as it was
    }
    for (const auto& [text, value] : {std::pair{"1.5", 1.5}, {"-0.25", -0.25}, {"+3", 3.0}, {".5", 0.5},
                                      {"5.", 5.0}, {"007", 7.0}}) {
        CHECK_MESSAGE(parse(text, d) == Fault::None, text);
        CHECK(d == value);
    }
    // Large and tiny values are written without an exponent and read back exactly.
    for (double v : {1e20, -1.7976931348623157e308, 4.9406564584124654e-324, 123.456, 0.1}) {
        const std::string text = fmt(v);
        CHECK_MESSAGE(text.find_first_of("eE") == std::string::npos, text);
        double again = 0;
        CHECK_MESSAGE(parse(text, again) == Fault::None, text);
        CHECK(again == v);
    }
    CHECK(fmt(1e20) == "100000000000000000000");
    CHECK(fmt(-0.25) == "-0.25");
}

TEST_CASE("booleans take true/false/1/0") {
    bool b = false;
    CHECK(parse("1", b) == Fault::None);
    CHECK(b);
    CHECK(parse("false", b) == Fault::None);
    CHECK(!b);
    CHECK(parse("TRUE", b) == Fault::InvalidParameterType);
    CHECK(fmt(true) == "true");
}

TEST_CASE("dateTime round-trips, honours zones, and knows the unknown time") {
    DateTime t;
    CHECK(parse("2023-11-14T22:13:20Z", t) == Fault::None);
    CHECK(t.unix_seconds == 1700000000);
    CHECK(fmt(t) == "2023-11-14T22:13:20Z");
    CHECK(parse("2023-11-14T23:13:20+01:00", t) == Fault::None);
    CHECK(t.unix_seconds == 1700000000);
    CHECK(parse("2023-11-14T22:13:20.123456Z", t) == Fault::None);
    CHECK(t.unix_seconds == 1700000000);
    CHECK(parse("0001-01-01T00:00:00Z", t) == Fault::None);
    CHECK(t.unix_seconds == DateTime::kUnknown);
    CHECK(fmt(t) == "0001-01-01T00:00:00Z");
    CHECK(fmt(DateTime{0}) == "1970-01-01T00:00:00Z");
    CHECK(fmt(DateTime{-1}) == "1969-12-31T23:59:59Z");
    CHECK(fmt(DateTime{951782400}) == "2000-02-29T00:00:00Z");
    CHECK(parse("2023-13-01T00:00:00Z", t) == Fault::InvalidParameterType);
    CHECK(parse("2023-11-14 22:13:20Z", t) == Fault::InvalidParameterType);
    CHECK(parse("2023-11-14T22:13:20Zjunk", t) == Fault::InvalidParameterType);
    CHECK(parse("2023-11-14T22:13", t) == Fault::InvalidParameterType);
}

TEST_CASE("lists split on commas and trim spaces") {
    CHECK(split_list("").empty());
    CHECK(split_list("  ").empty());
    auto items = split_list("a, b ,c");
    REQUIRE(items.size() == 3);
    CHECK(items[1] == "b");
    std::vector<std::uint32_t> v;
    CHECK(parse("1,2, 3", v) == Fault::None);
    CHECK(v.size() == 3);
    CHECK(fmt(v) == "1,2,3");
    CHECK(parse("1,x", v) == Fault::InvalidParameterType);
}

TEST_CASE("fault strings come from one table") {
    CHECK(cwmp::fault_string(Fault::MethodNotSupported) == "Method not supported");
    CHECK(cwmp::fault_string(Fault::NonWritableParameter) == "Attempt to set a non-writable parameter");
    CHECK(cwmp::fault_string(Fault::None).empty());
}
