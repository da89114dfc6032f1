// STUN Binding messages (RFC 5389 / TR-111 Part 2), the STUN client's
// timing and mapping logic, and the UDP connection request (TR-069 Annex G):
// encoding, bounded parsing, verification.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cwmp/connreq/udp_request.h"
#include "cwmp/stun/client.h"
#include "cwmp/stun/message.h"

using namespace cwmp;

namespace {

std::uint16_t u16(const std::string& b, std::size_t at) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

// A Binding Success Response with XOR-MAPPED-ADDRESS 192.0.2.1:32853 for `id`
// (RFC 5769 2.2's address, our own transaction id).
std::string success(const stun::TransactionId& id, unsigned char last = 1) {
    std::string m = {0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, static_cast<char>(0xa4), 0x42};
    m.append(reinterpret_cast<const char*>(id.data()), id.size());
    const unsigned char attr[] = {0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
                                  0xe1, 0x12, 0xa6, static_cast<unsigned char>(0x43 ^ (last ^ 1))};
    m.append(reinterpret_cast<const char*>(attr), sizeof attr);
    return m;
}

}  // namespace

TEST_CASE("a Binding Request: header, CONNECTION-REQUEST-BINDING, BINDING-CHANGE, integrity") {
    stun::BindingRequest r;
    r.id = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    std::string m = stun::encode(r);
    CHECK(u16(m, 0) == 0x0001);
    CHECK(u16(m, 2) == m.size() - 20);
    CHECK(m.substr(4, 4) == std::string("\x21\x12\xa4\x42", 4));
    CHECK(u16(m, 20) == 0xC001);
    CHECK(m.substr(24, 20) == "dslforum.org/TR-111 ");
    CHECK(m.size() == 44);
    CHECK(stun::looks_like_stun(m));
    r.binding_change = true;
    m = stun::encode(r);
    CHECK(u16(m, 44) == 0xC002);
    CHECK(u16(m, 46) == 0);
    r.username = "user";
    r.password = "pw";
    m = stun::encode(r);
    CHECK(u16(m, 48) == 0x0006);
    CHECK(u16(m, 52 + 4) == 0x0008);  // MESSAGE-INTEGRITY after the 4-byte user name
    CHECK(m.size() == 52 + 4 + 24);
}

TEST_CASE("Binding responses: XOR-MAPPED-ADDRESS, errors, and what is refused") {
    const stun::TransactionId id{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};
    const auto r = stun::parse_binding_response(success(id));
    REQUIRE(r);
    CHECK(r->success);
    CHECK(r->id == id);
    REQUIRE(r->mapped);
    CHECK(r->mapped->host == "192.0.2.1");
    CHECK(r->mapped->port == 32853);
    // An error response: 401.
    std::string e = {0x01, 0x11, 0x00, 0x08, 0x21, 0x12, static_cast<char>(0xa4), 0x42};
    e.append(reinterpret_cast<const char*>(id.data()), id.size());
    e += std::string("\x00\x09\x00\x04\x00\x00\x04\x01", 8);
    const auto err = stun::parse_binding_response(e);
    REQUIRE(err);
    CHECK(!err->success);
    CHECK(err->error_code == 401);
    // Truncated, a length that lies, an attribute past the end, a request, a success without address.
    std::string s = success(id);
    CHECK(!stun::parse_binding_response(s.substr(0, s.size() - 1)));
    std::string lying = s;
    lying[3] = 0x10;
    CHECK(!stun::parse_binding_response(lying));
    std::string past = s;
    past[23] = 0x40;
    CHECK(!stun::parse_binding_response(past));
    stun::BindingRequest req;
    CHECK(!stun::parse_binding_response(stun::encode(req)));
    CHECK(!stun::parse_binding_response(s.substr(0, 20).replace(3, 1, 1, '\0')));
    CHECK(!stun::looks_like_stun("GET / HTTP/1.1\r\n\r\n"));
}

TEST_CASE("the STUN client: retransmissions, keep-alive, mapping change, credentials on 401") {
    stun::Client c(1);
    std::vector<std::string> sent;
    auto send = [&](std::string_view d) { sent.emplace_back(d); };
    CHECK(stun::keepalive_ms(0, -1) == 25000);
    CHECK(stun::keepalive_ms(60, -1) == 60000);
    CHECK(stun::keepalive_ms(2, 2) == 2000);
    CHECK(stun::keepalive_ms(0, 10) == 10000);
    stun::Settings s{.enable = true, .server = "192.0.2.9", .port = 3478, .username = "u", .password = "p",
                     .period_ms = 10000};
    c.configure(s, 0);
    CHECK(c.step(0, send) == 500);
    CHECK(sent.size() == 1);
    // Unanswered: 500 ms, then 1 s, 2 s ... later.
    CHECK(c.step(500, send) == 1500);
    CHECK(sent.size() == 2);
    CHECK(sent[0] == sent[1]);  // a retransmission is the same message
    stun::TransactionId id;
    std::copy(sent[1].begin() + 8, sent[1].begin() + 20, id.begin());
    // An answer to another transaction is not ours.
    stun::TransactionId other = id;
    other[0] ^= 1;
    CHECK(!c.on_datagram(success(other), 600));
    CHECK(c.on_datagram(success(id), 600));
    REQUIRE(c.mapping());
    CHECK(c.mapping()->host == "192.0.2.1");
    // Nothing until the keep-alive, 10 s after the request began.
    CHECK(c.step(700, send) == 10000);
    CHECK(sent.size() == 2);
    c.step(10000, send);
    REQUIRE(sent.size() == 3);
    std::copy(sent[2].begin() + 8, sent[2].begin() + 20, id.begin());
    CHECK(sent[2].find(std::string("\xC0\x02", 2)) == std::string::npos);
    // The server now asks for credentials: the request again at once, signed.
    std::string e = {0x01, 0x11, 0x00, 0x08, 0x21, 0x12, static_cast<char>(0xa4), 0x42};
    e.append(reinterpret_cast<const char*>(id.data()), id.size());
    e += std::string("\x00\x09\x00\x04\x00\x00\x04\x01", 8);
    CHECK(c.on_datagram(e, 10100));
    c.step(10100, send);
    REQUIRE(sent.size() == 4);
    CHECK(sent[3].find(std::string("\x00\x06\x00\x01u", 5)) != std::string::npos);
    std::copy(sent[3].begin() + 8, sent[3].begin() + 20, id.begin());
    // A new mapping: a BINDING-CHANGE request goes at once.
    CHECK(c.on_datagram(success(id, 2), 10200));
    CHECK(c.mapping()->host == "192.0.2.2");
    CHECK(c.changes() == 1);
    c.step(10200, send);
    REQUIRE(sent.size() == 5);
    CHECK(sent[4].find(std::string("\xC0\x02\x00\x00", 4)) != std::string::npos);
    // Disabled: nothing more.
    s.enable = false;
    c.configure(s, 10300);
    CHECK(c.step(100000, send) == INT64_MAX);
    CHECK(sent.size() == 5);
}

TEST_CASE("UDP connection requests: parsing") {
    using connreq::parse_udp_request;
    const auto r = parse_udp_request(
        "GET http://198.51.100.1:7547?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=3545F7B5820D76A3DF45A3A509DA8D8C38F13512 HTTP/1.1\r\n"
        "Host: 198.51.100.1:7547\r\n\r\n");
    REQUIRE(r);
    CHECK(r->timestamp == 1120673700);
    CHECK(r->un == "CPE57689");
    CHECK(r->cn == "XTGRWIPC6D3IPXS3");
    CHECK(parse_udp_request("GET /?ts=1&id=a%20b&un=u%41&cn=c&sig=s HTTP/1.1\r\n\r\n")->un == "uA");
    CHECK(!parse_udp_request("POST /?ts=1&id=1&un=u&cn=c&sig=s HTTP/1.1\r\n\r\n"));
    CHECK(!parse_udp_request("GET /?ts=1&id=1&un=u&cn=c&sig=s HTTP/1.0\r\n\r\n"));
    CHECK(!parse_udp_request("GET /?ts=1&id=1&un=u&cn=c HTTP/1.1\r\n\r\n"));
    CHECK(!parse_udp_request("GET /?ts=x1&id=1&un=u&cn=c&sig=s HTTP/1.1\r\n\r\n"));
    CHECK(!parse_udp_request("GET /?ts=1&ts=2&id=1&un=u&cn=c&sig=s HTTP/1.1\r\n\r\n"));
    CHECK(!parse_udp_request("GET /?ts=1&id=1&un=%zz&cn=c&sig=s HTTP/1.1\r\n\r\n"));
    CHECK(!parse_udp_request("GET /?ts=1&id=1&un=u&cn=c&sig=%4 HTTP/1.1\r\n\r\n"));
    CHECK(!parse_udp_request("GET /?ts=1&id=1&un=u&cn=c&sig=s HTTP/1.1"));
    CHECK(!parse_udp_request("GET /?ts=1&id=1&un=" + std::string(3000, 'u') + "&cn=c&sig=s HTTP/1.1\r\n\r\n"));
}

TEST_CASE("UDP connection requests: signature, repeats, stale and future timestamps") {
    connreq::UdpRequest r{.ts = "1800000000", .id = "7", .un = "cpe", .cn = "nonce", .sig = "", .timestamp = 1800000000};
    // HMAC-SHA1("secret", "18000000007cpenonce"), computed independently (Python hmac).
    r.sig = connreq::udp_signature("secret", r);
    CHECK(r.sig == "d5a127d9e2a6c2c6e9a9f1a70a1664d2fbc337ab");
    connreq::UdpVerifier v(300);
    using V = connreq::UdpVerifier::Verdict;
    CHECK(v.check(r, "other", "secret", 1800000000) == V::WrongUser);
    CHECK(v.check(r, "cpe", "wrong", 1800000000) == V::BadSignature);
    connreq::UdpRequest upper = r;
    for (char& ch : upper.sig) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK(v.check(upper, "cpe", "secret", 1800000010) == V::Valid);  // hex in either case
    CHECK(v.check(r, "cpe", "secret", 1800000010) == V::Replayed);
    connreq::UdpRequest older = r;
    older.id = "8";
    older.ts = "1799999999";
    older.timestamp = 1799999999;
    older.sig = connreq::udp_signature("secret", older);
    CHECK(v.check(older, "cpe", "secret", 1800000010) == V::Stale);  // older than the last valid one
    connreq::UdpRequest later = r;
    later.id = "9";
    later.ts = "1800000100";
    later.timestamp = 1800000100;
    later.sig = connreq::udp_signature("secret", later);
    CHECK(v.check(later, "cpe", "secret", 1800000100 - 301) == V::Stale);  // from the future
    CHECK(v.check(later, "cpe", "secret", 1800000100) == V::Valid);
}
