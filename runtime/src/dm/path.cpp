#include "cwmp/dm/path.h"

namespace cwmp::dm {
namespace {

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-'; }

std::optional<ParsedPath> fail(std::string* error, std::string message) {
    if (error) *error = std::move(message);
    return std::nullopt;
}

}  // namespace

// TR-069 3.6.1: an alias starts with a letter and holds no '.', '[' or ']'
// (and is at most 64 characters, the Alias data type's size).
bool valid_alias(std::string_view a) {
    if (a.empty() || a.size() > 64) return false;
    if (!((a[0] >= 'A' && a[0] <= 'Z') || (a[0] >= 'a' && a[0] <= 'z'))) return false;
    for (char c : a)
        if (c == '.' || c == '[' || c == ']' || static_cast<unsigned char>(c) < 0x20) return false;
    return true;
}

std::optional<ParsedPath> parse_path(std::string_view path, bool alias_addressing, std::string* error) {
    ParsedPath out;
    if (path.empty()) {
        out.partial = true;
        return out;
    }
    out.partial = path.back() == '.';
    out.template_path.reserve(path.size() + 8);  // "{i}" is at most two longer than a number
    std::string_view rest = out.partial ? path.substr(0, path.size() - 1) : path;
    bool first = true;
    while (true) {
        const std::size_t dot = rest.find('.');
        std::string_view seg = rest.substr(0, dot);
        if (seg.empty()) return fail(error, "empty path segment");
        if (seg.front() >= '0' && seg.front() <= '9') {
            if (first) return fail(error, "a path starts with a name");
            if (seg.size() > 10 || (seg.size() > 1 && seg.front() == '0'))
                return fail(error, "bad instance number '" + std::string(seg) + "'");
            std::uint64_t n = 0;
            for (char c : seg) {
                if (c < '0' || c > '9') return fail(error, "bad instance number '" + std::string(seg) + "'");
                n = n * 10 + static_cast<std::uint64_t>(c - '0');
            }
            if (n == 0 || n > 0xffffffffULL) return fail(error, "instance number out of range");
            out.keys.push_back({static_cast<std::uint32_t>(n), {}});
            out.template_path += "{i}";
        } else if (seg.front() == '[') {
            if (!alias_addressing) return fail(error, "alias-based addressing is not enabled");
            if (first || seg.size() < 3 || seg.back() != ']')
                return fail(error, "bad instance alias '" + std::string(seg) + "'");
            std::string_view alias = seg.substr(1, seg.size() - 2);
            if (!valid_alias(alias)) return fail(error, "bad instance alias '" + std::string(alias) + "'");
            out.keys.push_back({0, std::string(alias)});
            out.template_path += "{i}";
        } else {
            if (!name_start(seg.front())) return fail(error, "bad name '" + std::string(seg) + "'");
            for (char c : seg)
                if (!name_char(c)) return fail(error, "bad name '" + std::string(seg) + "'");
            out.template_path += seg;
        }
        first = false;
        if (dot == std::string_view::npos) break;
        out.template_path += '.';
        rest.remove_prefix(dot + 1);
    }
    if (out.partial) out.template_path += '.';
    return out;
}

}  // namespace cwmp::dm
