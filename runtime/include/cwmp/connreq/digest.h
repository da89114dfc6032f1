// HTTP Digest authentication for the connection-request server (RFC 7616:
// MD5 and SHA-256, qop=auth).  Nonces carry their issue time and an HMAC
// under a per-process secret, so the server keeps no table of them: a nonce
// it did not issue fails the HMAC, an old one is stale.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cwmp::connreq {

// The fields of an `Authorization: Digest ...` header.
struct DigestResponse {
    std::string username, realm, nonce, uri, algorithm, response, qop, nc, cnonce, opaque;
};
std::optional<DigestResponse> parse_digest(std::string_view header);

// Hex digest of `text` with "MD5" or "SHA-256" ("" for another algorithm).
std::string hash_hex(std::string_view algorithm, std::string_view text);

class DigestAuth {
public:
    DigestAuth(std::string realm, std::int64_t nonce_lifetime_s, std::uint64_t seed);

    // The WWW-Authenticate header values to send with a 401 (SHA-256 first,
    // then MD5), `stale` when the client's nonce only expired.
    // Every 401 gets a nonce of its own (its SHA-256 and MD5 challenges share it).
    std::vector<std::string> challenges(std::int64_t now, bool stale);

    enum class Verdict { Ok, Stale, Bad };
    // Checks a response for `method` `uri` against the credentials; a nonce
    // count that does not grow is refused (a replay).
    Verdict check(const DigestResponse& r, std::string_view method, std::string_view uri,
                  std::string_view username, std::string_view password, std::int64_t now);

private:
    std::string make_nonce(std::string_view stamp) const;
    std::optional<std::int64_t> nonce_time(std::string_view nonce) const;

    std::string realm_;
    std::int64_t lifetime_;
    std::string secret_;
    std::uint64_t issued_ = 0;  // makes every nonce unique
    std::map<std::string, std::uint64_t> last_nc_;  // per nonce still valid
};

}  // namespace cwmp::connreq
