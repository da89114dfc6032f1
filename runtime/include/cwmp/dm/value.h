// Wire forms of typed values (TR-069 Table 4 / TR-106 types): formatting for
// GetParameterValues and parsing for SetParameterValues.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/dm/types.h"
#include "cwmp/fault.h"

namespace cwmp::dm {

void format(std::string& out, const std::string& v);
void format(std::string& out, std::string_view v);
void format(std::string& out, bool v);
void format(std::string& out, std::int32_t v);
void format(std::string& out, std::uint32_t v);
void format(std::string& out, std::int64_t v);
void format(std::string& out, std::uint64_t v);
void format(std::string& out, double v);
void format(std::string& out, DateTime v);

// Each returns Fault::None, or InvalidParameterType for text that is not of
// the type (an out-of-range number included).
Fault parse(std::string_view in, std::string& v);
Fault parse(std::string_view in, bool& v);
Fault parse(std::string_view in, std::int32_t& v);
Fault parse(std::string_view in, std::uint32_t& v);
Fault parse(std::string_view in, std::int64_t& v);
Fault parse(std::string_view in, std::uint64_t& v);
Fault parse(std::string_view in, double& v);
Fault parse(std::string_view in, DateTime& v);

// Lists are comma-separated (TR-106 list of T); items are trimmed of spaces.
std::vector<std::string_view> split_list(std::string_view in);

template <class T>
void format(std::string& out, const std::vector<T>& items) {
    bool first = true;
    for (const T& item : items) {
        if (!first) out.push_back(',');
        first = false;
        format(out, item);
    }
}

template <class T>
Fault parse(std::string_view in, std::vector<T>& items) {
    items.clear();
    for (std::string_view part : split_list(in)) {
        T item{};
        if (Fault f = parse(part, item); f != Fault::None) return f;
        items.push_back(std::move(item));
    }
    return Fault::None;
}

// Parses `in` as one of the names of an enumeration (generated tables).
template <class E, std::size_t N>
Fault parse_enum(std::string_view in, const std::string_view (&names)[N], E& v) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == in) {
            v = static_cast<E>(i);
            return Fault::None;
        }
    }
    return Fault::InvalidParameterValue;
}

}  // namespace cwmp::dm
