// The UDP connection request (TR-069 Annex G.2.2): an HTTP/1.1 GET in one
// datagram whose query carries ts (Unix seconds), id, un (the
// ConnectionRequestUsername), cn (a client nonce) and sig, the hex
// HMAC-SHA1 of ts + id + un + cn keyed with the ConnectionRequestPassword.
// A bounded parser that never throws, and a verifier that ignores repeats
// (the ACS sends each request several times with one id), stale or future
// timestamps and bad signatures.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace cwmp::connreq {

constexpr std::size_t kMaxUdpRequest = 2048;

struct UdpRequest {
    std::string ts, id, un, cn, sig;
    std::int64_t timestamp = 0;  // ts as a number
};

// The query fields of a "GET <uri> HTTP/1.1" datagram, percent-decoded;
// nothing for anything else (another method or version, a field missing,
// given twice or too long, a ts that is not a number, over kMaxUdpRequest).
std::optional<UdpRequest> parse_udp_request(std::string_view datagram);

// sig: lower-case hex HMAC-SHA1(password, ts + id + un + cn).
std::string udp_signature(std::string_view password, const UdpRequest& r);

class UdpVerifier {
public:
    enum class Verdict { Valid, WrongUser, BadSignature, Replayed, Stale };
    // `window_s`: how far ts may be from now either way.
    explicit UdpVerifier(std::int64_t window_s = 300) : window_s_(window_s) {}

    // A Valid request's id is remembered (and its ts: an older one is stale).
    Verdict check(const UdpRequest& r, std::string_view username, std::string_view password, std::int64_t now);

private:
    std::int64_t window_s_;
    std::deque<std::string> ids_;  // ids of recent valid requests
    std::int64_t newest_ts_ = 0;
};

const char* to_string(UdpVerifier::Verdict v);

}  // namespace cwmp::connreq
