#include "cwmp/store/record.h"

namespace cwmp::store {
namespace {

void append_escaped(std::string& out, std::string_view value) {
    for (char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\0': out += "\\0"; break;
        default: out.push_back(c);
        }
    }
}

std::string unescaped(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '\\') {
            out.push_back(value[i]);
            continue;
        }
        if (++i == value.size()) throw RecordError("dangling escape");
        switch (value[i]) {
        case '\\': out.push_back('\\'); break;
        case 'n': out.push_back('\n'); break;
        case '0': out.push_back('\0'); break;
        default: throw RecordError("unknown escape");
        }
    }
    return out;
}

}  // namespace

RecordWriter& RecordWriter::text(std::string_view name, std::string_view value) {
    out_.append(name);
    out_.push_back('=');
    append_escaped(out_, value);
    out_.push_back('\n');
    return *this;
}

RecordReader::RecordReader(std::string_view record) {
    while (!record.empty()) {
        const std::size_t nl = record.find('\n');
        if (nl == std::string_view::npos) throw RecordError("unterminated field");
        const std::string_view line = record.substr(0, nl);
        record.remove_prefix(nl + 1);
        const std::size_t eq = line.find('=');
        if (eq == std::string_view::npos) throw RecordError("field without '='");
        fields_.insert_or_assign(std::string(line.substr(0, eq)), unescaped(line.substr(eq + 1)));
    }
}

const std::string& RecordReader::text(std::string_view name) const {
    const auto it = fields_.find(name);
    if (it == fields_.end()) throw RecordError("no field " + std::string(name));
    return it->second;
}

std::string id_key(std::uint64_t id) {
    std::string digits = std::to_string(id);
    return std::string(20 - digits.size(), '0') + digits;
}

std::uint64_t id_of_key(std::string_view key) {
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (ec != std::errc{} || end != key.data() + key.size()) throw RecordError("key is not an id");
    return id;
}

}  // namespace cwmp::store
