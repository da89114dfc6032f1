#include "cwmp/ctl/protocol.h"

#include <charconv>

namespace cwmp::ctl {

std::optional<Request> parse_request(std::string_view bytes, std::string& error) {
    if (bytes.size() > kMaxRequestBytes) {
        error = "request longer than " + std::to_string(kMaxRequestBytes) + " bytes";
        return std::nullopt;
    }
    if (bytes.empty() || bytes.back() != '\0') {
        error = "request not ended by a NUL byte";
        return std::nullopt;
    }
    std::vector<std::string_view> fields;
    for (std::size_t at = 0; at < bytes.size();) {
        const std::size_t end = bytes.find('\0', at);  // found: the last byte is NUL
        if (fields.size() == kMaxFields) {
            error = "more than " + std::to_string(kMaxFields) + " fields";
            return std::nullopt;
        }
        fields.push_back(bytes.substr(at, end - at));
        at = end + 1;
    }
    for (std::string_view f : fields)
        for (unsigned char c : f)
            if (c < 0x20 && c != '\t' && c != '\n') {
                error = "a control character in a field";
                return std::nullopt;
            }
    Request r;
    std::size_t i = 0;
    for (; i < fields.size() && fields[i].starts_with("--"); ++i) {
        if (fields[i] == "--json") r.json = true;
        else {
            error = "unknown option " + std::string(fields[i]);
            return std::nullopt;
        }
    }
    if (i == fields.size() || fields[i].empty()) {
        error = "no command";
        return std::nullopt;
    }
    r.command = fields[i++];
    for (; i < fields.size(); ++i) r.args.emplace_back(fields[i]);
    return r;
}

std::string encode_request(const Request& r) {
    std::string out;
    if (r.json) out.append("--json").push_back('\0');
    out.append(r.command).push_back('\0');
    for (const std::string& a : r.args) out.append(a).push_back('\0');
    return out;
}

std::string encode_response(const Response& r) { return std::to_string(r.status) + "\n" + r.text; }

std::optional<Response> parse_response(std::string_view bytes) {
    const std::size_t nl = bytes.find('\n');
    if (nl == std::string_view::npos || nl == 0 || nl > 3) return std::nullopt;
    Response r;
    const auto [p, ec] = std::from_chars(bytes.data(), bytes.data() + nl, r.status);
    if (ec != std::errc() || p != bytes.data() + nl || r.status < 0 || r.status > 255) return std::nullopt;
    r.text = bytes.substr(nl + 1);
    return r;
}

}  // namespace cwmp::ctl
