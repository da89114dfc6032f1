#include "cwmp/connreq/udp_request.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <charconv>

namespace cwmp::connreq {
namespace {

constexpr std::size_t kMaxField = 256;
constexpr std::size_t kRememberedIds = 64;

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percent_decode(std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%') {
            if (i + 2 >= in.size()) return std::nullopt;
            const int hi = hex_digit(in[i + 1]), lo = hex_digit(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(in[i] == '+' ? ' ' : in[i]);
        }
    }
    return out;
}

}  // namespace

std::optional<UdpRequest> parse_udp_request(std::string_view d) {
    if (d.size() > kMaxUdpRequest) return std::nullopt;
    const std::size_t eol = d.find("\r\n");
    if (eol == std::string_view::npos) return std::nullopt;
    const std::string_view line = d.substr(0, eol);
    if (!line.starts_with("GET ") || !line.ends_with(" HTTP/1.1")) return std::nullopt;
    const std::string_view uri = line.substr(4, line.size() - 4 - 9);
    if (uri.empty() || uri.find(' ') != std::string_view::npos) return std::nullopt;
    const std::size_t q = uri.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view query = uri.substr(q + 1);
    UdpRequest r;
    unsigned seen = 0;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view key = pair.substr(0, eq);
        const std::optional<std::string> value = percent_decode(pair.substr(eq + 1));
        if (!value || value->size() > kMaxField) return std::nullopt;
        static constexpr std::string_view kKeys[] = {"ts", "id", "un", "cn", "sig"};
        std::string* fields[] = {&r.ts, &r.id, &r.un, &r.cn, &r.sig};
        for (unsigned i = 0; i < 5; ++i) {
            if (key != kKeys[i]) continue;
            if ((seen & (1u << i)) != 0) return std::nullopt;  // given twice: which one counts?
            seen |= 1u << i;
            *fields[i] = *value;
        }
    }
    if (seen != 0x1f || r.id.empty() || r.sig.empty()) return std::nullopt;
    const char* end = r.ts.data() + r.ts.size();
    const auto [p, ec] = std::from_chars(r.ts.data(), end, r.timestamp);
    if (ec != std::errc() || p != end || r.timestamp < 0) return std::nullopt;
    return r;
}

std::string udp_signature(std::string_view password, const UdpRequest& r) {
    const std::string text = r.ts + r.id + r.un + r.cn;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (HMAC(EVP_sha1(), password.data(), static_cast<int>(password.size()),
             reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len) == nullptr)
        return {};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out.push_back(kHex[mac[i] >> 4]);
        out.push_back(kHex[mac[i] & 15]);
    }
    return out;
}

UdpVerifier::Verdict UdpVerifier::check(const UdpRequest& r, std::string_view username, std::string_view password,
                                        std::int64_t now) {
    if (r.un != username) return Verdict::WrongUser;
    std::string sig = r.sig;
    std::transform(sig.begin(), sig.end(), sig.begin(), [](char c) { return c >= 'A' && c <= 'F' ? c + 32 : c; });
    const std::string want = udp_signature(password, r);
    if (want.empty() || sig.size() != want.size() || CRYPTO_memcmp(sig.data(), want.data(), want.size()) != 0)
        return Verdict::BadSignature;
    // Signed, so the id and ts are the ACS's own: a repeat is the ACS's
    // retransmission (or a replay), acted on once.
    if (std::find(ids_.begin(), ids_.end(), r.id) != ids_.end()) return Verdict::Replayed;
    if (r.timestamp < newest_ts_ || r.timestamp < now - window_s_ || r.timestamp > now + window_s_)
        return Verdict::Stale;
    ids_.push_back(r.id);
    if (ids_.size() > kRememberedIds) ids_.pop_front();
    newest_ts_ = r.timestamp;
    return Verdict::Valid;
}

const char* to_string(UdpVerifier::Verdict v) {
    switch (v) {
    case UdpVerifier::Verdict::Valid: return "valid";
    case UdpVerifier::Verdict::WrongUser: return "unknown user name";
    case UdpVerifier::Verdict::BadSignature: return "bad signature";
    case UdpVerifier::Verdict::Replayed: return "id already seen";
    case UdpVerifier::Verdict::Stale: return "stale or future timestamp";
    }
    return "?";
}

}  // namespace cwmp::connreq
