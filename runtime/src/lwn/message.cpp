#include "cwmp/lwn/message.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "cwmp/soap/writer.h"

namespace cwmp::lwn {
namespace {

void element(std::string& out, std::string_view name, std::string_view text) {
    out += '<';
    out += name;
    out += '>';
    soap::append_escaped(out, text);
    out += "</";
    out += name;
    out += '>';
}

std::string hex(const unsigned char* p, std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    s.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        s += kDigits[p[i] >> 4];
        s += kDigits[p[i] & 0xf];
    }
    return s;
}

std::string param_xml(const Param& p) {
    std::string s = "<Param>";
    element(s, "Name", p.name);
    element(s, "Value", p.value);
    s += "</Param>";
    return s;
}

// The document with the Param elements already written.
std::string wrap(const Identity& id, std::int64_t ts, std::string_view cnonce, std::string_view params_xml) {
    // Global elements of the schema: qualified, here by the default namespace.
    std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Notification xmlns=\"";
    s += kNamespace;
    s += "\">";
    element(s, "TS", std::to_string(ts));
    element(s, "UN", id.username);
    element(s, "CN", cnonce);
    element(s, "OUI", id.oui);
    element(s, "ProductClass", id.product_class);
    element(s, "SerialNumber", id.serial_number);
    s += params_xml;
    s += "</Notification>\n";
    return s;
}

}  // namespace

std::string document(const Identity& id, std::int64_t ts, std::string_view cnonce, std::span<const Param> params) {
    std::string xml;
    for (const Param& p : params) xml += param_xml(p);
    return wrap(id, ts, cnonce, xml);
}

std::string signature(std::string_view password, std::string_view body) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (HMAC(EVP_sha1(), password.data(), static_cast<int>(password.size()),
             reinterpret_cast<const unsigned char*>(body.data()), body.size(), md, &len) == nullptr)
        throw std::runtime_error("lightweight notification: HMAC-SHA1 failed");
    return hex(md, len);
}

std::string datagram(std::string_view host, std::string_view body, std::string_view password) {
    std::string d = "POST / HTTP/1.1\r\nHost: ";
    d += host;
    d += "\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nContent-Length: ";
    d += std::to_string(body.size());
    d += "\r\nSignature: ";
    d += signature(password, body);
    d += "\r\n\r\n";
    d += body;
    return d;
}

std::string random_cnonce() {
    unsigned char r[16];
    if (RAND_bytes(r, sizeof r) != 1) throw std::runtime_error("lightweight notification: no random bytes for CN");
    return hex(r, sizeof r);
}

std::vector<std::string> datagrams(const Identity& id, std::int64_t ts, std::span<const Param> params,
                                   std::string_view host, std::size_t max_size,
                                   const std::function<std::string()>& cnonce) {
    std::vector<std::string> out;
    if (params.empty()) return out;
    std::vector<std::string> parts;
    parts.reserve(params.size());
    for (const Param& p : params) parts.push_back(param_xml(p));
    auto make = [&](std::size_t from, std::size_t to) {
        std::string xml;
        for (std::size_t i = from; i < to; ++i) xml += parts[i];
        return datagram(host, wrap(id, ts, cnonce(), xml), id.password);
    };
    // What a datagram costs besides its Params: the head, the document's
    // other elements (CN has a fixed length) and a Content-Length up to 9 digits.
    const std::size_t fixed = datagram(host, wrap(id, ts, cnonce(), ""), id.password).size() + 8;
    std::size_t from = 0, used = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > from && fixed + used + parts[i].size() > max_size) {
            out.push_back(make(from, i));
            from = i;
            used = 0;
        }
        used += parts[i].size();
    }
    out.push_back(make(from, parts.size()));
    return out;
}

}  // namespace cwmp::lwn
