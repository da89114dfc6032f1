// STUN (RFC 5389) Binding messages as TR-069 Annex G / TR-111 Part 2 use
// them: the CPE's Binding Request with CONNECTION-REQUEST-BINDING, and
// BINDING-CHANGE after its mapping changed, USERNAME and MESSAGE-INTEGRITY
// (short-term credential: HMAC-SHA1 keyed with the password) when the server
// asks for them; and a bounded parser of the server's answers (XOR-MAPPED-
// ADDRESS, MAPPED-ADDRESS of RFC 3489 servers, ERROR-CODE).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cwmp::stun {

constexpr std::uint32_t kMagicCookie = 0x2112A442;
constexpr std::size_t kMaxMessage = 1500;  // a larger datagram is no STUN answer of ours
// TR-111 Part 2: the attributes a CPE adds to its Binding Requests.
constexpr std::uint16_t kConnectionRequestBinding = 0xC001;
constexpr std::uint16_t kBindingChange = 0xC002;
constexpr std::string_view kConnectionRequestBindingValue = "dslforum.org/TR-111 ";

using TransactionId = std::array<std::uint8_t, 12>;

struct BindingRequest {
    TransactionId id{};
    bool binding_change = false;  // the mapping changed since the last request
    // Non-empty: USERNAME and MESSAGE-INTEGRITY keyed with `password`.
    std::string username;
    std::string password;
};

// The datagram of a Binding Request.
std::string encode(const BindingRequest& r);

// Whether a datagram is a STUN message at all (the first two bits zero and
// the RFC 5389 cookie, or an RFC 3489 answer of the right size).
bool looks_like_stun(std::string_view bytes);

struct Address {
    std::string host;  // text form, IPv4 or IPv6
    std::uint16_t port = 0;
    bool operator==(const Address&) const = default;
};

struct BindingResponse {
    TransactionId id{};
    bool success = false;        // Binding Success Response; else an error response
    std::optional<Address> mapped;  // XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS
    unsigned error_code = 0;     // 300..699 in an error response (401: credentials wanted)
    bool has_integrity = false;  // MESSAGE-INTEGRITY present
    bool integrity_ok = false;   // ... and right for the password given to parse()
};

// A Binding Success or Error Response, or nothing (another message, a
// malformed or oversized one).  Never throws, reads nothing outside `bytes`.
std::optional<BindingResponse> parse_binding_response(std::string_view bytes, std::string_view password = {});

}  // namespace cwmp::stun
