#include "cwmp/dm/value.h"

#include <charconv>
#include <cstdio>
#include <limits>
#include <system_error>

namespace cwmp::dm {
namespace {

template <class T>
void format_number(std::string& out, T v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;  // 32 bytes hold any 64-bit integer or shortest double
    out.append(buf, end);
}

template <class T>
Fault parse_number(std::string_view in, T& v) {
    if (!in.empty() && in.front() == '+') in.remove_prefix(1);
    if (in.empty() || in.front() == '+') return Fault::InvalidParameterType;
    if constexpr (std::is_unsigned_v<T>) {
        if (in.front() == '-') return Fault::InvalidParameterType;
    }
    T parsed{};
    auto [end, ec] = std::from_chars(in.data(), in.data() + in.size(), parsed);
    if (ec != std::errc{} || end != in.data() + in.size()) return Fault::InvalidParameterType;
    v = parsed;
    return Fault::None;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    out = v;
    return true;
}

}  // namespace

void format(std::string& out, const std::string& v) { out.append(v); }
void format(std::string& out, std::string_view v) { out.append(v); }
void format(std::string& out, bool v) { out.append(v ? "true" : "false"); }
void format(std::string& out, std::int32_t v) { format_number(out, v); }
void format(std::string& out, std::uint32_t v) { format_number(out, v); }
void format(std::string& out, std::int64_t v) { format_number(out, v); }
void format(std::string& out, std::uint64_t v) { format_number(out, v); }
// xsd:decimal has no exponent: the shortest digits that read back as `v`,
// written out in full (DBL_MAX has 309 digits, the least subnormal 326 characters).
void format(std::string& out, double v) {
    char buf[400];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    (void)ec;  // 400 bytes hold any finite double in full; parse() never yields NaN or INF
    out.append(buf, end);
}

void format(std::string& out, DateTime v) {
    if (v.unix_seconds == DateTime::kUnknown) {
        out.append("0001-01-01T00:00:00Z");
        return;
    }
    std::int64_t days = v.unix_seconds / 86400;
    std::int64_t secs = v.unix_seconds % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    char buf[40];
    int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                          static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                          static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    out.append(buf, static_cast<std::size_t>(n));
}

Fault parse(std::string_view in, std::string& v) {
    v.assign(in);
    return Fault::None;
}

Fault parse(std::string_view in, bool& v) {
    if (in == "true" || in == "1") {
        v = true;
    } else if (in == "false" || in == "0") {
        v = false;
    } else {
        return Fault::InvalidParameterType;
    }
    return Fault::None;
}

Fault parse(std::string_view in, std::int32_t& v) { return parse_number(in, v); }
Fault parse(std::string_view in, std::uint32_t& v) { return parse_number(in, v); }
Fault parse(std::string_view in, std::int64_t& v) { return parse_number(in, v); }
Fault parse(std::string_view in, std::uint64_t& v) { return parse_number(in, v); }
// TR-106 decimal is xsd:decimal: an optional sign, then digits with at most
// one '.', at least one digit.  No exponent, and no NaN or INF, which
// from_chars would otherwise take ("nan", "inf", "1e5").
Fault parse(std::string_view in, double& v) {
    std::string_view digits = in;
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
    bool any_digit = false;
    bool dot = false;
    for (char c : digits) {
        if (c >= '0' && c <= '9') {
            any_digit = true;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            return Fault::InvalidParameterType;
        }
    }
    if (!any_digit) return Fault::InvalidParameterType;
    if (in.front() == '+') in.remove_prefix(1);
    double parsed{};
    auto [end, ec] = std::from_chars(in.data(), in.data() + in.size(), parsed, std::chars_format::fixed);
    if (ec != std::errc{} || end != in.data() + in.size()) return Fault::InvalidParameterType;
    v = parsed;
    return Fault::None;
}

// xsd:dateTime, YYYY-MM-DDThh:mm:ss[.fraction][Z|(+|-)hh:mm]; no zone means
// UTC here (TR-069 leaves unzoned times to the CPE).
Fault parse(std::string_view in, DateTime& v) {
    unsigned year, mon, day, hh, mm, ss;
    if (!digits(in, 0, 4, year) || in.size() < 19 || in[4] != '-' || !digits(in, 5, 2, mon) ||
        in[7] != '-' || !digits(in, 8, 2, day) || in[10] != 'T' || !digits(in, 11, 2, hh) ||
        in[13] != ':' || !digits(in, 14, 2, mm) || in[16] != ':' || !digits(in, 17, 2, ss))
        return Fault::InvalidParameterType;
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 24 || mm > 59 || ss > 60)
        return Fault::InvalidParameterType;
    std::size_t pos = 19;
    if (pos < in.size() && in[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        while (pos < in.size() && in[pos] >= '0' && in[pos] <= '9') ++pos;
        if (pos == start) return Fault::InvalidParameterType;
    }
    std::int64_t offset = 0;
    if (pos < in.size()) {
        if (in[pos] == 'Z' && pos + 1 == in.size()) {
            ++pos;
        } else if ((in[pos] == '+' || in[pos] == '-') && pos + 6 == in.size() && in[pos + 3] == ':') {
            unsigned oh, om;
            if (!digits(in, pos + 1, 2, oh) || !digits(in, pos + 4, 2, om) || oh > 14 || om > 59)
                return Fault::InvalidParameterType;
            offset = (in[pos] == '+' ? 1 : -1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
            pos += 6;
        } else {
            return Fault::InvalidParameterType;
        }
    }
    if (year == 1 && mon == 1 && day == 1 && hh == 0 && mm == 0 && ss == 0 && offset == 0) {
        v.unix_seconds = DateTime::kUnknown;
        return Fault::None;
    }
    v.unix_seconds = days_from_civil(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss - offset;
    return Fault::None;
}

std::vector<std::string_view> split_list(std::string_view in) {
    std::vector<std::string_view> items;
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    if (trim(in).empty()) return items;
    std::size_t start = 0;
    while (true) {
        std::size_t comma = in.find(',', start);
        items.push_back(trim(in.substr(start, comma == std::string_view::npos ? in.npos : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

}  // namespace cwmp::dm
