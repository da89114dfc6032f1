#include "cwmp/dm/schema.h"

#include <algorithm>
#include <regex>

#include "cwmp/dm/value.h"

namespace cwmp::dm {
namespace {

template <class Row>
const Row* find_sorted(std::span<const Row> rows, std::string_view path) noexcept {
    auto it = std::lower_bound(rows.begin(), rows.end(), path,
                               [](const Row& r, std::string_view p) { return r.path < p; });
    return it != rows.end() && it->path == path ? &*it : nullptr;
}

// A signed value as sign and magnitude, to compare with a Bound.
struct Number {
    bool negative;
    std::uint64_t magnitude;
};

bool below(const Number& n, const Bound& b) {  // n < b
    if (n.negative != b.negative) return n.negative;
    return n.negative ? n.magnitude > b.magnitude : n.magnitude < b.magnitude;
}

bool above(const Number& n, const Bound& b) {  // n > b
    if (n.negative != b.negative) return !n.negative;
    return n.negative ? n.magnitude < b.magnitude : n.magnitude > b.magnitude;
}

bool in_ranges(const Number& n, std::span<const Range> ranges) {
    if (ranges.empty()) return true;
    for (const Range& r : ranges) {
        if (r.min.set && below(n, r.min)) continue;
        if (r.max.set && above(n, r.max)) continue;
        if (r.step > 1 && !n.negative) {
            std::uint64_t base = r.min.set && !r.min.negative ? r.min.magnitude : 0;
            if ((n.magnitude - base) % r.step != 0) continue;
        }
        return true;
    }
    return false;
}

// Length as TR-106 counts it: characters of a string, octets of binary data.
std::uint64_t length_of(Type t, std::string_view v) {
    if (t == Type::HexBinary) return v.size() / 2;
    if (t == Type::Base64) {
        std::size_t pad = 0;
        while (pad < v.size() && v[v.size() - 1 - pad] == '=') ++pad;
        return v.size() / 4 * 3 - pad;
    }
    std::uint64_t chars = 0;
    for (unsigned char c : v) chars += (c & 0xC0) != 0x80;
    return chars;
}

bool valid_utf8(std::string_view v) {
    std::size_t i = 0;
    while (i < v.size()) {
        unsigned char c = static_cast<unsigned char>(v[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > v.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(v[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

bool is_hex(std::string_view v) {
    return v.size() % 2 == 0 && std::all_of(v.begin(), v.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

bool is_base64(std::string_view v) {
    if (v.size() % 4 != 0) return false;
    std::size_t pad = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '+' || c == '/';
        if (c == '=') {
            ++pad;
        } else if (!alpha || pad) {
            return false;
        }
    }
    return pad <= 2;
}

Fault validate_item(const Param& p, std::string_view v, PatternCache& patterns) {
    const Constraint* c = p.constraint;
    Number n{false, 0};
    switch (p.type) {
    case Type::String:
        if (!valid_utf8(v)) return Fault::InvalidParameterValue;
        break;
    case Type::Boolean: {
        bool b;
        return parse(v, b);
    }
    case Type::DateTime: {
        DateTime t;
        return parse(v, t);
    }
    case Type::Decimal: {
        double d;
        return parse(v, d);
    }
    case Type::HexBinary:
        if (!is_hex(v)) return Fault::InvalidParameterType;
        break;
    case Type::Base64:
        if (!is_base64(v)) return Fault::InvalidParameterType;
        break;
    case Type::UnsignedInt:
    case Type::UnsignedLong: {
        std::uint64_t u;
        if (Fault f = parse(v, u); f != Fault::None) return f;
        if (p.type == Type::UnsignedInt && u > 0xffffffffULL) return Fault::InvalidParameterType;
        n = {false, u};
        break;
    }
    case Type::Int:
    case Type::Long: {
        std::int64_t s;
        if (Fault f = parse(v, s); f != Fault::None) return f;
        if (p.type == Type::Int && (s < INT32_MIN || s > INT32_MAX)) return Fault::InvalidParameterType;
        n = {s < 0, s < 0 ? static_cast<std::uint64_t>(-(s + 1)) + 1 : static_cast<std::uint64_t>(s)};
        break;
    }
    }
    if (c == nullptr) return Fault::None;
    if (!in_ranges(n, c->ranges)) return Fault::InvalidParameterValue;
    if (!c->sizes.empty()) {
        std::uint64_t len = length_of(p.type, v);
        bool ok = std::any_of(c->sizes.begin(), c->sizes.end(),
                              [len](const Size& s) { return len >= s.min && len <= s.max; });
        if (!ok) return Fault::InvalidParameterValue;
    }
    if (!c->enums.empty() && std::find(c->enums.begin(), c->enums.end(), v) == c->enums.end())
        return Fault::InvalidParameterValue;
    if (!patterns.matches(c->patterns, v)) return Fault::InvalidParameterValue;
    return Fault::None;
}

}  // namespace

const Param* find_param(const Schema& s, std::string_view path) noexcept {
    return find_sorted(s.params, path);
}

const Object* find_object(const Schema& s, std::string_view path) noexcept {
    return find_sorted(s.objects, path);
}

Fault get_value(const Schema& s, const Param& p, Context& ctx, const Instance& in, std::string& out) {
    const Object& o = s.objects[p.object];
    if (p.binding != Binding::Platform || o.read == nullptr) return Fault::InternalError;
    std::vector<std::string> values(o.params.size());
    Fault f = o.read(ctx, in, values);
    if (f == Fault::None) out = std::move(values[p.slot]);
    return f;
}

Fault set_value(const Schema& s, const Param& p, Context& ctx, const Instance& in,
                std::string_view value) {
    const Object& o = s.objects[p.object];
    if (p.binding != Binding::Platform || o.write == nullptr || p.access == Access::ReadOnly)
        return Fault::NonWritableParameter;
    if (Fault f = validate(p, value); f != Fault::None) return f;
    const SlotValue one{p.slot, value};
    return o.write(ctx, in, std::span<const SlotValue>(&one, 1));
}

// XML Schema patterns are anchored; ECMAScript syntax covers what the BBF uses.
bool PatternCache::matches(std::span<const std::string_view> patterns, std::string_view value) {
    if (patterns.empty()) return true;
    bool checkable = false;
    for (std::string_view p : patterns) {
        auto [it, inserted] = compiled_.try_emplace(p.data());
        if (inserted) {
            try {
                it->second.emplace(std::string(p));
            } catch (const std::regex_error&) {
            }
        }
        if (!it->second) continue;
        checkable = true;
        if (std::regex_match(value.begin(), value.end(), *it->second)) return true;
    }
    return !checkable;
}

Fault validate(const Param& p, std::string_view value, PatternCache* cache) {
    PatternCache local;
    PatternCache& patterns = cache != nullptr ? *cache : local;
    if (!p.list()) return validate_item(p, value, patterns);
    const Constraint* c = p.constraint;
    if (c != nullptr && (value.size() < c->list_size.min || value.size() > c->list_size.max))
        return Fault::InvalidParameterValue;
    std::vector<std::string_view> items = split_list(value);
    if (c != nullptr && (items.size() < c->min_items || items.size() > c->max_items))
        return Fault::InvalidParameterValue;
    for (std::string_view item : items)
        if (Fault f = validate_item(p, item, patterns); f != Fault::None) return f;
    return Fault::None;
}

}  // namespace cwmp::dm
