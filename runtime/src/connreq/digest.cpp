#include "cwmp/connreq/digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <memory>
#include <random>

namespace cwmp::connreq {
namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        s.push_back(kHex[p[i] >> 4]);
        s.push_back(kHex[p[i] & 15]);
    }
    return s;
}

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

const EVP_MD* digest_of(std::string_view algorithm) {
    if (algorithm.empty() || algorithm == "MD5" || algorithm == "md5") return EVP_md5();
    if (algorithm == "SHA-256" || algorithm == "sha-256") return EVP_sha256();
    return nullptr;
}

bool equal_ct(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string hash_hex(std::string_view algorithm, std::string_view text) {
    const EVP_MD* md = digest_of(algorithm);
    if (md == nullptr) return {};
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), text.data(), text.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), out, &n) != 1)
        return {};
    return to_hex(out, n);
}

std::optional<DigestResponse> parse_digest(std::string_view h) {
    auto skip_space = [&] {
        while (!h.empty() && (h.front() == ' ' || h.front() == '\t' || h.front() == ',')) h.remove_prefix(1);
    };
    skip_space();
    if (h.size() < 7 || (h.substr(0, 6) != "Digest" && h.substr(0, 6) != "digest")) return std::nullopt;
    h.remove_prefix(6);
    DigestResponse r;
    std::map<std::string, std::string*> fields{
        {"username", &r.username}, {"realm", &r.realm},   {"nonce", &r.nonce},   {"uri", &r.uri},
        {"algorithm", &r.algorithm}, {"response", &r.response}, {"qop", &r.qop}, {"nc", &r.nc},
        {"cnonce", &r.cnonce},     {"opaque", &r.opaque}};
    while (true) {
        skip_space();
        if (h.empty()) break;
        const std::size_t eq = h.find('=');
        if (eq == std::string_view::npos || eq == 0) return std::nullopt;
        std::string key(h.substr(0, eq));
        while (!key.empty() && key.back() == ' ') key.pop_back();
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        h.remove_prefix(eq + 1);
        std::string value;
        if (!h.empty() && h.front() == '"') {
            h.remove_prefix(1);
            std::size_t i = 0;
            for (; i < h.size() && h[i] != '"'; ++i) {
                if (h[i] == '\\' && i + 1 < h.size()) ++i;
                value.push_back(h[i]);
            }
            if (i == h.size()) return std::nullopt;  // unterminated
            h.remove_prefix(i + 1);
        } else {
            const std::size_t end = h.find(',');
            value = std::string(h.substr(0, end));
            while (!value.empty() && value.back() == ' ') value.pop_back();
            h.remove_prefix(end == std::string_view::npos ? h.size() : end);
        }
        auto it = fields.find(key);
        if (it != fields.end()) *it->second = std::move(value);
    }
    if (r.username.empty() || r.nonce.empty() || r.uri.empty() || r.response.empty()) return std::nullopt;
    return r;
}

DigestAuth::DigestAuth(std::string realm, std::int64_t nonce_lifetime_s, std::uint64_t seed)
    : realm_(std::move(realm)), lifetime_(nonce_lifetime_s) {
    std::mt19937_64 rng(seed);
    std::random_device rd;
    for (int i = 0; i < 4; ++i) {
        const std::uint64_t v = rng() ^ (static_cast<std::uint64_t>(rd()) << 32 | rd());
        secret_.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
}

// A nonce is "<issue time>.<serial>-<HMAC of both>".
std::string DigestAuth::make_nonce(std::string_view stamp) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
         reinterpret_cast<const unsigned char*>(stamp.data()), stamp.size(), mac, &n);
    return std::string(stamp) + "-" + to_hex(mac, 16);
}

std::optional<std::int64_t> DigestAuth::nonce_time(std::string_view nonce) const {
    const std::size_t dash = nonce.find('-');
    const std::size_t dot = nonce.find('.');
    if (dash == std::string_view::npos || dot == std::string_view::npos || dot > dash) return std::nullopt;
    std::int64_t t = 0;
    auto [p, ec] = std::from_chars(nonce.data(), nonce.data() + dot, t);
    if (ec != std::errc() || p != nonce.data() + dot) return std::nullopt;
    if (!equal_ct(make_nonce(nonce.substr(0, dash)), nonce)) return std::nullopt;
    return t;
}

std::vector<std::string> DigestAuth::challenges(std::int64_t now, bool stale) {
    const std::string nonce = make_nonce(std::to_string(now) + "." + std::to_string(++issued_));
    std::vector<std::string> out;
    for (const char* algorithm : {"SHA-256", "MD5"}) {
        out.push_back("Digest realm=\"" + realm_ + "\", qop=\"auth\", algorithm=" + algorithm + ", nonce=\"" +
                      nonce + "\"" + (stale ? ", stale=true" : ""));
    }
    return out;
}

DigestAuth::Verdict DigestAuth::check(const DigestResponse& r, std::string_view method, std::string_view uri,
                                      std::string_view username, std::string_view password, std::int64_t now) {
    // Forget nonces that have expired.
    for (auto it = last_nc_.begin(); it != last_nc_.end();) {
        const auto t = nonce_time(it->first);
        it = !t || now - *t > lifetime_ ? last_nc_.erase(it) : std::next(it);
    }
    if (!r.algorithm.empty() && digest_of(r.algorithm) == nullptr) return Verdict::Bad;
    if (r.realm != realm_ || r.uri != uri || !equal_ct(r.username, username)) return Verdict::Bad;
    const std::optional<std::int64_t> issued = nonce_time(r.nonce);
    if (!issued) return Verdict::Bad;
    const std::string ha1 = hash_hex(r.algorithm, std::string(username) + ":" + realm_ + ":" + std::string(password));
    const std::string ha2 = hash_hex(r.algorithm, std::string(method) + ":" + r.uri);
    std::string expected;
    if (r.qop.empty()) {
        expected = hash_hex(r.algorithm, ha1 + ":" + r.nonce + ":" + ha2);
    } else if (r.qop == "auth") {
        expected = hash_hex(r.algorithm, ha1 + ":" + r.nonce + ":" + r.nc + ":" + r.cnonce + ":" + r.qop + ":" + ha2);
    } else {
        return Verdict::Bad;
    }
    std::string got = r.response;
    for (char& c : got) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!equal_ct(expected, got)) return Verdict::Bad;
    // Right credentials: now the nonce's age and the count.
    if (now - *issued > lifetime_ || now < *issued - 5) return Verdict::Stale;
    if (!r.qop.empty()) {
        std::uint64_t nc = 0;
        auto [p, ec] = std::from_chars(r.nc.data(), r.nc.data() + r.nc.size(), nc, 16);
        if (ec != std::errc() || p != r.nc.data() + r.nc.size()) return Verdict::Bad;
        auto [it, inserted] = last_nc_.try_emplace(r.nonce, nc);
        if (!inserted) {
            if (nc <= it->second) return Verdict::Bad;  // a replay
            it->second = nc;
        }
    }
    return Verdict::Ok;
}

}  // namespace cwmp::connreq
