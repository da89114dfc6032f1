#include "cwmp/stun/message.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>

namespace cwmp::stun {
namespace {

constexpr std::uint16_t kBindingRequestType = 0x0001;
constexpr std::uint16_t kBindingSuccess = 0x0101;
constexpr std::uint16_t kBindingError = 0x0111;
constexpr std::uint16_t kMappedAddress = 0x0001;
constexpr std::uint16_t kUsername = 0x0006;
constexpr std::uint16_t kMessageIntegrity = 0x0008;
constexpr std::uint16_t kErrorCode = 0x0009;
constexpr std::uint16_t kXorMappedAddress = 0x0020;
constexpr std::size_t kHeader = 20;
constexpr std::size_t kIntegrity = 20;  // HMAC-SHA1

void put16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xff));
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v & 0xffff));
}
std::uint16_t get16(std::string_view b, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(b[at]) << 8) | static_cast<std::uint8_t>(b[at + 1]));
}
std::uint32_t get32(std::string_view b, std::size_t at) {
    return (static_cast<std::uint32_t>(get16(b, at)) << 16) | get16(b, at + 2);
}
void set_length(std::string& msg, std::size_t length) {
    msg[2] = static_cast<char>((length >> 8) & 0xff);
    msg[3] = static_cast<char>(length & 0xff);
}
void attribute(std::string& out, std::uint16_t type, std::string_view value) {
    put16(out, type);
    put16(out, static_cast<std::uint16_t>(value.size()));
    out.append(value);
    out.append((4 - value.size() % 4) % 4, '\0');
}

// HMAC-SHA1 of `msg` keyed with `key` (RFC 5389 15.4, short-term credential).
std::string hmac_sha1(std::string_view key, std::string_view msg) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
             msg.size(), mac, &len) == nullptr)
        return {};
    return std::string(reinterpret_cast<const char*>(mac), len);
}

// The address of a (XOR-)MAPPED-ADDRESS value; `x` undoes the XOR with the
// cookie and transaction id.
std::optional<Address> read_address(std::string_view v, bool x, std::string_view header) {
    if (v.size() < 8) return std::nullopt;
    const auto family = static_cast<std::uint8_t>(v[1]);
    std::uint16_t port = get16(v, 2);
    if (x) port ^= static_cast<std::uint16_t>(kMagicCookie >> 16);
    unsigned char raw[16];
    std::size_t n = family == 0x01 ? 4 : family == 0x02 ? 16 : 0;
    if (n == 0 || v.size() < 4 + n) return std::nullopt;
    for (std::size_t i = 0; i < n; ++i) {
        raw[i] = static_cast<unsigned char>(v[4 + i]);
        if (x) raw[i] ^= static_cast<unsigned char>(header[4 + i]);  // cookie, then transaction id
    }
    char text[INET6_ADDRSTRLEN];
    if (::inet_ntop(family == 0x01 ? AF_INET : AF_INET6, raw, text, sizeof text) == nullptr) return std::nullopt;
    return Address{text, port};
}

}  // namespace

std::string encode(const BindingRequest& r) {
    std::string msg;
    put16(msg, kBindingRequestType);
    put16(msg, 0);  // length, set below
    put32(msg, kMagicCookie);
    msg.append(reinterpret_cast<const char*>(r.id.data()), r.id.size());
    attribute(msg, kConnectionRequestBinding, kConnectionRequestBindingValue);
    if (r.binding_change) attribute(msg, kBindingChange, {});
    if (!r.username.empty()) {
        attribute(msg, kUsername, r.username);
        // The integrity covers the message with its length already counting
        // the MESSAGE-INTEGRITY attribute (RFC 5389 15.4).
        set_length(msg, msg.size() - kHeader + 4 + kIntegrity);
        const std::string mac = hmac_sha1(r.password, msg);
        attribute(msg, kMessageIntegrity, mac);
    }
    set_length(msg, msg.size() - kHeader);
    return msg;
}

bool looks_like_stun(std::string_view b) {
    if (b.size() < kHeader || b.size() > kMaxMessage || (static_cast<std::uint8_t>(b[0]) & 0xc0) != 0) return false;
    const std::size_t length = get16(b, 2);
    return length + kHeader == b.size() && length % 4 == 0;
}

std::optional<BindingResponse> parse_binding_response(std::string_view b, std::string_view password) {
    if (!looks_like_stun(b)) return std::nullopt;
    const std::uint16_t type = get16(b, 0);
    if (type != kBindingSuccess && type != kBindingError) return std::nullopt;
    BindingResponse r;
    r.success = type == kBindingSuccess;
    std::memcpy(r.id.data(), b.data() + 8, r.id.size());
    const bool rfc5389 = get32(b, 4) == kMagicCookie;
    std::optional<Address> plain, xored;
    std::size_t at = kHeader;
    while (at + 4 <= b.size()) {
        const std::uint16_t atype = get16(b, at);
        const std::size_t len = get16(b, at + 2);
        if (at + 4 + len > b.size()) return std::nullopt;  // an attribute past the end
        const std::string_view v = b.substr(at + 4, len);
        if (atype == kMessageIntegrity) {
            // Attributes after MESSAGE-INTEGRITY (but FINGERPRINT) are ignored.
            r.has_integrity = true;
            if (len == kIntegrity && !password.empty()) {
                std::string covered(b.substr(0, at));
                set_length(covered, at - kHeader + 4 + kIntegrity);
                r.integrity_ok = hmac_sha1(password, covered) == v;
            }
            break;
        }
        if (atype == kXorMappedAddress && rfc5389 && !xored) xored = read_address(v, true, b);
        if (atype == kMappedAddress && !plain) plain = read_address(v, false, b);
        if (atype == kErrorCode && len >= 4)
            r.error_code = (static_cast<std::uint8_t>(v[2]) & 0x07) * 100u + static_cast<std::uint8_t>(v[3]) % 100u;
        at += 4 + len + (4 - len % 4) % 4;
    }
    r.mapped = xored ? xored : plain;
    if (r.success && !r.mapped) return std::nullopt;  // a success without the address is no use
    return r;
}

}  // namespace cwmp::stun
