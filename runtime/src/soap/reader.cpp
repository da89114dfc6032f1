#include "cwmp/soap/reader.h"

#include <libxml/xmlreader.h>

#include <libxml/xmlerror.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

namespace cwmp::soap {
namespace {

constexpr std::string_view kSoapEnv = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr std::string_view kSoapEnc = "http://schemas.xmlsoap.org/soap/encoding/";
constexpr std::string_view kXsi = "http://www.w3.org/2001/XMLSchema-instance";

struct ReaderDeleter {
    void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};
using Reader = std::unique_ptr<xmlTextReader, ReaderDeleter>;

std::string_view view(const xmlChar* s) {
    return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

std::optional<Namespace> cwmp_namespace(std::string_view uri) {
    if (uri == "urn:dslforum-org:cwmp-1-0") return Namespace::Cwmp10;
    if (uri == "urn:dslforum-org:cwmp-1-1") return Namespace::Cwmp11;
    if (uri == "urn:dslforum-org:cwmp-1-2") return Namespace::Cwmp12;
    return std::nullopt;
}

// Every message libxml2 has for one parse ends up here: the first one is
// kept for the error the caller sees; nothing goes to stderr.
struct Messages {
    std::string first;
    void add(const char* msg) {
        if (!first.empty() || msg == nullptr) return;
        first = msg;
        while (!first.empty() && (first.back() == '\n' || first.back() == ' ')) first.pop_back();
    }
};

void on_structured_error(void* arg, xmlErrorPtr error) {
    if (error != nullptr) static_cast<Messages*>(arg)->add(error->message);
}

void on_generic_error(void* arg, const char* msg, ...) { static_cast<Messages*>(arg)->add(msg); }

// libxml2's own handlers for messages without a parser context are per
// thread; during a parse they point at `messages`, then back to what they were.
class ErrorRoute {
public:
    explicit ErrorRoute(Messages& messages)
        : generic_(xmlGenericError), generic_ctx_(xmlGenericErrorContext), structured_(xmlStructuredError),
          structured_ctx_(xmlStructuredErrorContext) {
        xmlSetGenericErrorFunc(&messages, on_generic_error);
        xmlSetStructuredErrorFunc(&messages, on_structured_error);
    }
    ~ErrorRoute() {
        xmlSetGenericErrorFunc(generic_ctx_, generic_);
        xmlSetStructuredErrorFunc(structured_ctx_, structured_);
    }
    ErrorRoute(const ErrorRoute&) = delete;
    ErrorRoute& operator=(const ErrorRoute&) = delete;

private:
    xmlGenericErrorFunc generic_;
    void* generic_ctx_;
    xmlStructuredErrorFunc structured_;
    void* structured_ctx_;
};

// CWMP messages are UTF-8 (TR-069 3.4.1: SOAP 1.1 with its XML in UTF-8).
// Accepted: UTF-8 with or without its byte-order mark, and a declaration of
// US-ASCII, whose documents are UTF-8 byte for byte.  Anything else (UTF-16
// or UTF-32 by mark or by zero bytes, EBCDIC, ISO-8859-x or any other
// declared encoding) is refused here, and libxml2 reads the bytes as UTF-8
// (XML_PARSE_IGNORE_ENC), so nothing goes through iconv.  "" when accepted.
std::string encoding_error(std::string_view bytes) {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    if (bytes.starts_with("\xFE\xFF") || bytes.starts_with("\xFF\xFE") ||
        (bytes.size() >= 2 && (bytes[0] == '\0' || bytes[1] == '\0')))
        return "not UTF-8 (UTF-16 or UTF-32): CWMP messages are UTF-8";
    if (bytes.starts_with("\x4C\x6F\xA7\x94")) return "not UTF-8 (EBCDIC): CWMP messages are UTF-8";
    if (!bytes.starts_with("<?xml")) return {};
    const std::string_view decl = bytes.substr(0, bytes.find("?>"));  // bounded by the message
    const std::size_t at = decl.find("encoding");
    if (at == std::string_view::npos) return {};
    std::string_view rest = decl.substr(at + 8);
    auto skip_space = [&] {
        while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r' || rest[0] == '\n'))
            rest.remove_prefix(1);
    };
    skip_space();
    if (rest.empty() || rest[0] != '=') return {};  // not a declaration libxml2 accepts either
    rest.remove_prefix(1);
    skip_space();
    if (rest.empty() || (rest[0] != '"' && rest[0] != '\'')) return {};
    const std::size_t end = rest.find(rest[0], 1);
    if (end == std::string_view::npos) return {};
    std::string name(rest.substr(1, end - 1));
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (name == "UTF-8" || name == "US-ASCII" || name == "ASCII") return {};
    // The name goes into a fault string: printable ASCII only, and short.
    if (name.size() > 40) name = name.substr(0, 40) + "...";
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != ':') c = '?';
    return "encoding " + name + " is not allowed: CWMP messages are UTF-8";
}

void init_libxml2() {
    static const bool done = [] {
        xmlInitParser();
        return true;
    }();
    (void)done;
}

// Builds the element tree from the reader, enforcing the limits.
class TreeBuilder {
public:
    TreeBuilder(xmlTextReaderPtr r, const Limits& l) : r_(r), limits_(l) {}

    std::string run(Element& root) {
        std::vector<Element*> stack;
        int status;
        while ((status = xmlTextReaderRead(r_)) == 1) {
            const int type = xmlTextReaderNodeType(r_);
            if (type == XML_READER_TYPE_DOCUMENT_TYPE) return "a DTD is not allowed";
            if (type == XML_READER_TYPE_ENTITY_REFERENCE) return "entity references are not allowed";
            if (type == XML_READER_TYPE_ELEMENT) {
                if (++elements_ > limits_.max_elements) return "too many elements";
                if (stack.size() >= limits_.max_depth) return "elements nested too deep";
                Element* e;
                if (stack.empty()) {
                    if (seen_root_) return "more than one document element";
                    seen_root_ = true;
                    e = &root;
                } else {
                    stack.back()->children.emplace_back();
                    e = &stack.back()->children.back();
                }
                e->name = view(xmlTextReaderConstLocalName(r_));
                e->ns = view(xmlTextReaderConstNamespaceUri(r_));
                read_attributes(*e);
                if (!xmlTextReaderIsEmptyElement(r_)) stack.push_back(e);
            } else if (type == XML_READER_TYPE_END_ELEMENT) {
                if (!stack.empty()) stack.pop_back();
            } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                       type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
                if (stack.empty()) continue;
                std::string_view text = view(xmlTextReaderConstValue(r_));
                Element& e = *stack.back();
                if (e.text.size() + text.size() > limits_.max_text) return "element text too long";
                e.text.append(text);
            }
        }
        if (status != 0) return "malformed XML";
        if (!seen_root_) return "no document element";
        return {};
    }

private:
    void read_attributes(Element& e) {
        if (xmlTextReaderHasAttributes(r_) != 1) return;
        while (xmlTextReaderMoveToNextAttribute(r_) == 1) {
            std::string_view ns = view(xmlTextReaderConstNamespaceUri(r_));
            std::string_view local = view(xmlTextReaderConstLocalName(r_));
            if (ns == kXsi && local == "type") e.xsi_type = view(xmlTextReaderConstValue(r_));
            if (ns == kSoapEnc && local == "arrayType") e.array_type = view(xmlTextReaderConstValue(r_));
            if (ns == kSoapEnv && local == "mustUnderstand")
                e.must_understand = view(xmlTextReaderConstValue(r_)) == "1";
        }
        xmlTextReaderMoveToElement(r_);
    }

    xmlTextReaderPtr r_;
    const Limits& limits_;
    std::size_t elements_ = 0;
    bool seen_root_ = false;
};

}  // namespace

const Element* Element::child(std::string_view local) const {
    for (const Element& c : children)
        if (c.name == local) return &c;
    return nullptr;
}

ParseResult parse_envelope(std::string_view bytes, const Limits& limits) {
    ParseResult result;
    if (bytes.size() > limits.max_bytes) {
        result.error = "message larger than " + std::to_string(limits.max_bytes) + " bytes";
        return result;
    }
    if (std::string err = encoding_error(bytes); !err.empty()) {
        result.error = std::move(err);
        return result;
    }
    init_libxml2();
    Messages messages;
    const ErrorRoute route(messages);
    // NONET: never fetch anything; no NOENT/DTDLOAD/DTDATTR: entities are not
    // substituted and no DTD is read (and any DOCTYPE is refused above);
    // IGNORE_ENC with "UTF-8": the bytes are read as UTF-8 whatever they declare.
    Reader reader(xmlReaderForMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, "UTF-8",
                                     XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_IGNORE_ENC |
                                         XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (!reader) {
        result.error = "cannot create XML reader";
        return result;
    }
    xmlTextReaderSetStructuredErrorHandler(reader.get(), on_structured_error, &messages);
    Element root;
    TreeBuilder builder(reader.get(), limits);
    std::string err = builder.run(root);
    if (!err.empty()) {
        result.error = messages.first.empty() ? err : err + ": " + messages.first;
        return result;
    }
    if (root.name != "Envelope" || root.ns != kSoapEnv) {
        result.error = "not a SOAP envelope";
        return result;
    }
    Envelope env;
    // SOAP 1.1: an optional Header, then exactly one Body, nothing else.
    const std::vector<Element>& parts = root.children;
    const bool has_header = !parts.empty() && parts[0].name == "Header" && parts[0].ns == kSoapEnv;
    if (parts.size() != (has_header ? 2u : 1u)) {
        result.error = "a SOAP envelope holds an optional Header and one Body, nothing else";
        return result;
    }
    const Element* header = has_header ? &parts[0] : nullptr;
    const Element* body = &parts.back();
    if (body->name != "Body" || body->ns != kSoapEnv) {
        result.error = "SOAP envelope without Body";
        return result;
    }
    if (body->children.size() != 1) {
        result.error = "SOAP Body must hold exactly one element";
        return result;
    }
    std::optional<Namespace> ns;
    auto note_ns = [&](std::string_view uri) -> bool {
        std::optional<Namespace> found = cwmp_namespace(uri);
        if (!found) return false;
        if (ns && *ns != *found) return false;
        ns = found;
        return true;
    };
    if (header != nullptr) {
        for (const Element& h : header->children) {
            if (!note_ns(h.ns)) {
                if (h.must_understand) {
                    result.error = "header element " + h.name + " must be understood";
                    return result;
                }
                continue;
            }
            if (h.name == "ID") {
                env.id = h.text;
                env.id_must_understand = h.must_understand;
            } else if (h.name == "HoldRequests") {
                env.hold_requests = h.text == "1" || h.text == "true";
            } else if (h.name == "NoMoreRequests") {
                env.no_more_requests = h.text == "1" || h.text == "true";
            } else if (h.name == "SessionTimeout") {
                unsigned v = 0;
                for (char c : h.text) {
                    if (c < '0' || c > '9' || v > 100000000) {
                        result.error = "bad SessionTimeout";
                        return result;
                    }
                    v = v * 10 + static_cast<unsigned>(c - '0');
                }
                env.session_timeout = v;
            } else if (h.name == "SupportedCWMPVersions") {
                env.supported_versions = h.text;
            } else if (h.name == "UseCWMPVersion") {
                env.use_version = h.text;
            } else if (h.must_understand) {
                result.error = "header element " + h.name + " must be understood";
                return result;
            }
        }
    }
    const Element& rpc = body->children.front();
    if (rpc.ns == kSoapEnv && rpc.name == "Fault") {
        env.is_fault = true;
    } else if (!note_ns(rpc.ns)) {
        result.error = "body element " + rpc.name + " is not in a cwmp namespace";
        return result;
    }
    env.cwmp_ns = ns.value_or(Namespace::Cwmp12);
    env.body = std::move(root.children.back().children.front());  // the tree is not needed after this
    result.envelope = std::move(env);
    return result;
}

}  // namespace cwmp::soap
