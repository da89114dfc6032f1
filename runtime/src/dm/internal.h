// What the engine's parts share (private to runtime/src/dm): the store's
// spaces, instance paths and small helpers over names.
#pragma once

#include <charconv>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/value.h"

namespace cwmp::dm::detail {

constexpr std::string_view kInstance = "{i}.";

// Store spaces.
constexpr std::string_view kValues = "value";     // runtime-bound values (RuntimeStore)
constexpr std::string_view kRows = "rows";        // runtime tables' rows (RuntimeStore)
constexpr std::string_view kCounters = "counter";  // last instance number per table (RuntimeStore)
constexpr std::string_view kAttrs = "attr";       // parameter attributes
constexpr std::string_view kSeen = "seen";        // acknowledged values (Inform)
constexpr std::string_view kLwSeen = "lwseen";    // the same for lightweight notifications

// "Device.X.{i}.Y.{i}." with `numbers` in place of the "{i}"s, in order.
inline std::string instance_path(std::string_view path, std::span<const std::uint32_t> numbers) {
    std::string out;
    std::size_t k = 0;
    for (std::size_t at = 0; at < path.size();) {
        if (path.compare(at, kInstance.size(), kInstance) == 0 && k < numbers.size()) {
            out += std::to_string(numbers[k++]);
            out += '.';
            at += kInstance.size();
        } else {
            out += path[at++];
        }
    }
    return out;
}

inline std::string_view leaf(std::string_view path) { return path.substr(path.rfind('.') + 1); }

inline void append_number(std::string& out, std::uint64_t n) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, res.ptr);
}

// Keys of `map` that start with `prefix`.
template <class Map>
std::vector<std::string> keys_under(const Map& map, std::string_view prefix) {
    std::vector<std::string> keys;
    for (auto it = map.lower_bound(prefix); it != map.end() && it->first.starts_with(prefix); ++it)
        keys.push_back(it->first);
    return keys;
}

// The names of a request in a fault's text: the first few, then how many more.
template <class Range, class Name>
std::string names_of(const Range& items, Name name) {
    constexpr std::size_t kShown = 3;
    std::string out;
    std::size_t n = 0;
    for (const auto& item : items) {
        if (n < kShown) out += (n == 0 ? "" : ", ") + std::string(name(item));
        ++n;
    }
    if (n > kShown) out += " and " + std::to_string(n - kShown) + " more";
    return out;
}

// The generated table says what the ACS may do (see ObjectAccess).
inline bool can_create(const Object& o) { return allows(o.access, ObjectAccess::Create); }
inline bool can_delete(const Object& o) { return allows(o.access, ObjectAccess::Delete); }

// Attributes are stored as "N" or "N;entry,entry".
Attributes parse_attributes(std::string_view s);
std::string format_attributes(const Attributes& a);

}  // namespace cwmp::dm::detail
