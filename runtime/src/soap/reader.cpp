#include "cwmp/soap/reader.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

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

std::string_view view(const xmlChar* s) {
    return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
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
    [[maybe_unused]] static const bool done = [] {  // once, thread-safe
        xmlInitParser();
        return true;
    }();
}

// Builds the element tree from libxml2's SAX2 events, enforcing the limits.
// (Its streaming reader builds and frees a DOM node per event on top of the
// same events: twice the work per message.)  The first limit crossed stops
// the parser.
class TreeBuilder {
public:
    TreeBuilder(Element& root, const Limits& l, Messages& m) : root_(root), limits_(l), messages_(m) {}

    // "" when the whole document was read.
    std::string run(std::string_view bytes) {
        Context ctxt(xmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size())));
        if (!ctxt) return "cannot create XML parser";
        ctxt_ = ctxt.get();
        xmlSAXHandler& sax = *ctxt->sax;
        sax = xmlSAXHandler{};
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = &TreeBuilder::on_start;
        sax.endElementNs = &TreeBuilder::on_end;
        sax.characters = &TreeBuilder::on_text;
        sax.cdataBlock = &TreeBuilder::on_text;
        sax.internalSubset = &TreeBuilder::on_dtd;
        sax.serror = &TreeBuilder::on_error;
        ctxt->userData = this;  // what every callback gets
        // NONET: never fetch anything; no NOENT/DTDLOAD/DTDATTR: entities are not
        // substituted and no DTD is read (and any DOCTYPE is refused); IGNORE_ENC:
        // the bytes are read as UTF-8 whatever they declare.
        xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_IGNORE_ENC |
                                          XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        // As xmlReadMemory(..., "UTF-8", ...) would: the bytes are UTF-8.
        if (xmlCharEncodingHandlerPtr utf8 = xmlFindCharEncodingHandler("UTF-8")) xmlSwitchToEncoding(ctxt.get(), utf8);
        (void)xmlParseDocument(ctxt.get());  // its verdict is in error_ and ctxt->wellFormed, read below
        if (!error_.empty()) return error_;
        if (!ctxt->wellFormed) return "malformed XML";
        if (!seen_root_) return "no document element";
        return {};
    }

private:
    struct ContextDeleter {
        void operator()(xmlParserCtxtPtr c) const { xmlFreeParserCtxt(c); }
    };
    using Context = std::unique_ptr<xmlParserCtxt, ContextDeleter>;

    static TreeBuilder& builder(void* ctx) { return *static_cast<TreeBuilder*>(ctx); }

    static void on_error(void* ctx, xmlErrorPtr error) {
        if (error != nullptr) builder(ctx).messages_.add(error->message);
    }

    void stop(std::string why) {
        if (error_.empty()) error_ = std::move(why);
        xmlStopParser(ctxt_);
    }

    static void on_dtd(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
        builder(ctx).stop("a DTD is not allowed");
    }

    static void on_start(void* ctx, const xmlChar* local, const xmlChar*, const xmlChar* uri, int, const xmlChar**,
                         int n_attributes, int, const xmlChar** attributes) {
        TreeBuilder& b = builder(ctx);
        if (!b.error_.empty()) return;
        if (++b.elements_ > b.limits_.max_elements) return b.stop("too many elements");
        if (b.stack_.size() >= b.limits_.max_depth) return b.stop("elements nested too deep");
        Element* e;
        if (b.stack_.empty()) {
            if (b.seen_root_) return b.stop("more than one document element");
            b.seen_root_ = true;
            e = &b.root_;
        } else {
            e = &b.stack_.back()->children.emplace_back();
        }
        e->name = view(local);
        e->ns = view(uri);
        // Five pointers an attribute: local name, prefix, URI, value, value end.
        for (int i = 0; i < n_attributes; ++i) {
            const xmlChar* const* a = attributes + 5 * i;
            const std::string_view ns = view(a[2]);
            const std::string_view name = view(a[0]);
            const auto value = [&] { return attribute_value(a[3], a[4]); };
            if (ns == kXsi && name == "type") e->xsi_type = value();
            if (ns == kSoapEnc && name == "arrayType") e->array_type = value();
            if (ns == kSoapEnv && name == "mustUnderstand") e->must_understand = value() == "1";
        }
        b.stack_.push_back(e);
    }

    static void on_end(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
        TreeBuilder& b = builder(ctx);
        if (!b.stack_.empty()) b.stack_.pop_back();
    }

    static void on_text(void* ctx, const xmlChar* text, int len) {
        TreeBuilder& b = builder(ctx);
        if (!b.error_.empty() || b.stack_.empty() || len <= 0) return;
        Element& e = *b.stack_.back();
        const std::size_t n = static_cast<std::size_t>(len);
        if (e.text.size() + n > b.limits_.max_text) return b.stop("element text too long");
        e.text.append(reinterpret_cast<const char*>(text), n);
    }

    // An attribute's value as SAX2 hands it over: character references are
    // decoded, but "&amp;" (unsubstituted entities) comes as "&#38;".
    static std::string attribute_value(const xmlChar* begin, const xmlChar* end) {
        std::string v(reinterpret_cast<const char*>(begin), static_cast<std::size_t>(end - begin));
        for (std::size_t at = 0; (at = v.find("&#38;", at)) != std::string::npos; ++at) v.replace(at, 5, "&");
        return v;
    }

    Element& root_;
    const Limits& limits_;
    Messages& messages_;
    xmlParserCtxtPtr ctxt_ = nullptr;
    std::vector<Element*> stack_;
    std::string error_;
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
    Element root;
    TreeBuilder builder(root, limits, messages);
    std::string err = builder.run(bytes);
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
        std::optional<Namespace> found = namespace_of(uri);
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
