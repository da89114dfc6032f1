// The connection-request server's parsers: the HTTP request head and the
// Digest Authorization header, then the verification of what parsed.
// Invariants: no exception, a parsed head's parts are non-empty, and no
// Digest answer passes without the password.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/connreq/digest.h"
#include "cwmp/connreq/request.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    constexpr std::int64_t kNow = 1'800'000'000;
    static cwmp::connreq::DigestAuth auth("cwmp", 300, 1);  // its secret: random per process
    std::string authorization(bytes);
    if (const auto head = cwmp::connreq::parse_request_head(bytes)) {
        fuzz::check(!head->method.empty() && !head->target.empty(), "a head without method or target", bytes);
        authorization = head->authorization;
    }
    if (const auto d = cwmp::connreq::parse_digest(authorization)) {
        const auto v = auth.check(*d, "GET", d->uri, d->username, "the-password", kNow);
        // Forging a response needs the password or a nonce we issued (HMAC): neither is in the input.
        fuzz::check(v == cwmp::connreq::DigestAuth::Verdict::Bad, "a forged Digest answer was accepted", bytes);
    }
    return 0;
}
