#include "cwmp/soap/writer.h"

#include <array>
#include <charconv>
#include <cstring>

namespace cwmp::soap {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) return 1;
    if ((c >> 5) == 6) {
        n = 2;
        cp = c & 0x1F;
    } else if ((c >> 4) == 14) {
        n = 3;
        cp = c & 0x0F;
    } else if ((c >> 3) == 30) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    // No overlong forms, surrogates, out-of-range values or U+FFFE/U+FFFF.
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

// The XML Schema type of a value's xsi:type: TR-106 base64 is xsd:base64Binary.
std::string_view xsd_type(dm::Type t) {
    return t == dm::Type::Base64 ? "base64Binary" : dm::type_name(t);
}

}  // namespace

// Bytes that need more than a copy: markup, control characters, non-ASCII.
constexpr std::array<bool, 256> kSpecial = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[c] = true;
    for (int c = 0x80; c < 0x100; ++c) t[c] = true;
    for (unsigned char c : std::string_view("&<>\"'")) t[c] = true;
    return t;
}();

// Whether any of 8 bytes may need more than a copy: non-ASCII, below 0x28
// (controls, '"', '&', '\'' and a few harmless ones) or '<' / '>'.  A false
// positive only sends that word to the byte loop.
inline bool maybe_special(std::uint64_t w) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    auto has_zero = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
    const std::uint64_t below = (w - kOnes * 0x28) & ~w & kHighs;  // exact for ASCII bytes
    return ((w & kHighs) | below | has_zero((w | kOnes * 2) ^ (kOnes * 0x3E))) != 0;
}

void append_escaped(std::string& out, std::string_view text) {
    const std::size_t size = text.size();
    std::size_t plain = 0;  // start of the run not yet copied
    std::size_t i = 0;
    while (i < size) {
        // Copy runs of ordinary bytes in one append, skipping 8 at a time.
        for (std::uint64_t w; i + 8 <= size; i += 8) {
            std::memcpy(&w, text.data() + i, 8);
            if (maybe_special(w)) break;
        }
        while (i < size && !kSpecial[static_cast<unsigned char>(text[i])]) ++i;
        if (i == size) break;
        const char c = text[i];
        std::string_view repl;
        std::size_t len = 1;
        switch (c) {
        case '&': repl = "&amp;"; break;
        case '<': repl = "&lt;"; break;
        case '>': repl = "&gt;"; break;
        case '"': repl = "&quot;"; break;
        case '\'': repl = "&apos;"; break;
        case '\t': repl = "&#9;"; break;
        case '\n': repl = "&#10;"; break;
        case '\r': repl = "&#13;"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                repl = kReplacement;
            } else {
                len = utf8_length(text, i);
                if (len == 0) {
                    repl = kReplacement;
                    len = 1;
                }
            }
        }
        if (!repl.empty()) {
            out.append(text.data() + plain, i - plain);
            out.append(repl);
            plain = i + len;
        }
        i += len;
    }
    out.append(text.data() + plain, size - plain);
}

Writer::Writer(std::string& out, Namespace ns, std::string_view id) : Writer(out, ns, Header{id, {}}) {}

Writer::Writer(std::string& out, Namespace ns, const Header& header) : out_(out) {
    out_.append(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\""
        " xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\""
        " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
        " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:cwmp=\"");
    out_.append(namespace_uri(ns));
    out_.append("\">");
    if (!header.id.empty() || !header.supported_versions.empty()) {
        out_.append("<soap-env:Header>");
        if (!header.id.empty()) {
            out_.append("<cwmp:ID soap-env:mustUnderstand=\"1\">");
            append_escaped(out_, header.id);
            out_.append("</cwmp:ID>");
        }
        if (!header.supported_versions.empty()) {
            out_.append("<cwmp:SupportedCWMPVersions soap-env:mustUnderstand=\"0\">");
            append_escaped(out_, header.supported_versions);
            out_.append("</cwmp:SupportedCWMPVersions>");
        }
        out_.append("</soap-env:Header>");
    }
    out_.append("<soap-env:Body>");
}

void Writer::start_tag(std::string_view prefix, std::string_view name) {
    out_.push_back('<');
    out_.append(prefix);
    out_.append(name);
    out_.push_back('>');
}

void Writer::end_tag(std::string_view prefix, std::string_view name) {
    out_.append("</");
    out_.append(prefix);
    out_.append(name);
    out_.push_back('>');
}

void Writer::open_rpc(std::string_view name) { start_tag("cwmp:", name); }
void Writer::close_rpc(std::string_view name) { end_tag("cwmp:", name); }
void Writer::open(std::string_view name) { start_tag({}, name); }
void Writer::close(std::string_view name) { end_tag({}, name); }

void Writer::text(std::string_view name, std::string_view value) {
    start_tag({}, name);
    append_escaped(out_, value);
    end_tag({}, name);
}

void Writer::number(std::string_view name, std::uint64_t value) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    start_tag({}, name);
    out_.append(buf, res.ptr);
    end_tag({}, name);
}

void Writer::open_array(std::string_view name, std::string_view item_type, std::size_t count) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, count);
    out_.push_back('<');
    out_.append(name);
    out_.append(" soap-enc:arrayType=\"");
    out_.append(item_type);
    out_.push_back('[');
    out_.append(buf, res.ptr);
    out_.append("]\">");
}

std::size_t Writer::open_array_deferred(std::string_view name, std::string_view item_type) {
    out_.push_back('<');
    out_.append(name);
    out_.append(" soap-enc:arrayType=\"");
    out_.append(item_type);
    out_.push_back('[');
    const std::size_t mark = out_.size();
    out_.append("]\">");
    return mark;
}

void Writer::set_array_count(std::size_t mark, std::size_t count) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, count);
    out_.insert(mark, buf, static_cast<std::size_t>(res.ptr - buf));
}

namespace {

// "</Name><Value xsi:type=\"xsd:T\">" for each type, built once.
struct ValueTags {
    std::array<std::string, 10> tags;
    ValueTags() {
        for (std::size_t t = 0; t < tags.size(); ++t)
            tags[t] = "</Name><Value xsi:type=\"xsd:" + std::string(xsd_type(static_cast<dm::Type>(t))) + "\">";
    }
};
const ValueTags kValueTags;

}  // namespace

void Writer::parameter_value(std::string_view name, dm::Type type, std::string_view value) {
    out_.append("<ParameterValueStruct><Name>");
    append_escaped(out_, name);
    out_.append(kValueTags.tags[static_cast<std::size_t>(type)]);
    append_escaped(out_, value);
    out_.append("</Value></ParameterValueStruct>");
}

void Writer::parameter_value_model_name(std::string_view name, dm::Type type, std::string_view value) {
    out_.append("<ParameterValueStruct><Name>");
    out_.append(name);
    out_.append(kValueTags.tags[static_cast<std::size_t>(type)]);
    append_escaped(out_, value);
    out_.append("</Value></ParameterValueStruct>");
}

void Writer::open_fault(Fault code, std::string_view message) {
    // TR-069 Table A.5: the request was wrong (Client) for 9003 and 9005-9008;
    // every other fault is the CPE's (Server).
    const bool client = code == Fault::InvalidArguments ||
                        (code >= Fault::InvalidParameterName && code <= Fault::NonWritableParameter);
    out_.append("<soap-env:Fault><faultcode>");
    out_.append(client ? "Client" : "Server");
    out_.append("</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault>");
    number("FaultCode", static_cast<std::uint64_t>(code));
    text("FaultString", message.empty() ? fault_string(code) : message);
}

void Writer::set_parameter_values_fault(std::string_view parameter, Fault code, std::string_view message) {
    out_.append("<SetParameterValuesFault>");
    text("ParameterName", parameter);
    number("FaultCode", static_cast<std::uint64_t>(code));
    text("FaultString", message.empty() ? fault_string(code) : message);
    out_.append("</SetParameterValuesFault>");
}

void Writer::close_fault() { out_.append("</cwmp:Fault></detail></soap-env:Fault>"); }

std::size_t Writer::size() const noexcept { return out_.size(); }

void Writer::finish() { out_.append("</soap-env:Body></soap-env:Envelope>"); }

}  // namespace cwmp::soap
