#include "cwmp/connreq/request.h"

#include <algorithm>

namespace cwmp::connreq {
namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

// RFC 9110 token characters (method and header names).
bool is_token(std::string_view s) {
    static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
               kExtra.find(c) != std::string_view::npos;
    });
}

// No control characters (a field value may hold tabs).
bool is_text(std::string_view s) {
    return std::none_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7f;
    });
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

// Takes the next CRLF-terminated line off `rest`; false when none is left.
bool next_line(std::string_view& rest, std::string_view& line) {
    const std::size_t end = rest.find("\r\n");
    if (end == std::string_view::npos) return false;
    line = rest.substr(0, end);
    rest.remove_prefix(end + 2);
    return true;
}

}  // namespace

std::optional<RequestHead> parse_request_head(std::string_view head) {
    std::string_view rest = head;
    std::string_view line;
    if (!next_line(rest, line)) return std::nullopt;
    // request-line = method SP request-target SP HTTP-version
    const std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) return std::nullopt;
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) return std::nullopt;
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!is_token(method) || target.empty() || !is_text(target) ||
        target.find_first_of(" \t") != std::string_view::npos || !version.starts_with("HTTP/1."))
        return std::nullopt;
    RequestHead r{std::string(method), std::string(target), {}};
    bool have_authorization = false;
    while (next_line(rest, line)) {
        if (line.empty()) return r;  // the blank line ends the head
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) return std::nullopt;
        const std::string_view value = trim(line.substr(colon + 1));
        if (!is_text(value)) return std::nullopt;
        if (iequals(line.substr(0, colon), "authorization")) {
            if (have_authorization) return std::nullopt;  // which one would count?
            have_authorization = true;
            r.authorization = std::string(value);
        }
    }
    return std::nullopt;  // no blank line
}

}  // namespace cwmp::connreq
