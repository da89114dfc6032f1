// The connection-request server: Digest verification (RFC 7616 vectors),
// nonce expiry and replays, and the server over loopback: challenge, good
// and bad credentials, wrong method and path, the rate limit under a flood.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "cwmp/connreq/address.h"
#include "cwmp/connreq/digest.h"
#include "cwmp/connreq/features.h"
#include "cwmp/connreq/request.h"
#include "cwmp/connreq/server.h"
#include "cwmp/dm/schema.h"
#include "cwmp/util/log.h"
#include "cwmp/util/rate_window.h"

using namespace cwmp::connreq;

TEST_CASE("hashes and the RFC 7616 section 3.9.1 example") {
    CHECK(hash_hex("MD5", "abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(hash_hex("SHA-256", "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hash_hex("SHA-512-256", "abc").empty());
    // RFC 7616 3.9.1: user Mufasa, password "Circle of Life", realm http-auth@example.org.
    const std::string ha1 = hash_hex("SHA-256", "Mufasa:http-auth@example.org:Circle of Life");
    const std::string ha2 = hash_hex("SHA-256", "GET:/dir/index.html");
    const std::string response = hash_hex(
        "SHA-256", ha1 + ":7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v:00000001:"
                         "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ:auth:" + ha2);
    CHECK(response == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

TEST_CASE("parsing an Authorization header") {
    auto d = parse_digest("Digest username=\"cpe\", realm=\"cwmp\", nonce=\"1-ab\", uri=\"/cr\", "
                          "algorithm=SHA-256, response=\"00ff\", qop=auth, nc=00000001, cnonce=\"x\\\"y\"");
    REQUIRE(d);
    CHECK(d->username == "cpe");
    CHECK(d->algorithm == "SHA-256");
    CHECK(d->qop == "auth");
    CHECK(d->nc == "00000001");
    CHECK(d->cnonce == "x\"y");
    CHECK_FALSE(parse_digest("Basic Y3BlOnNlY3JldA=="));
    CHECK_FALSE(parse_digest("Digest username=\"cpe\", nonce=\"unterminated"));
    CHECK_FALSE(parse_digest("Digest realm=\"cwmp\""));  // no username, nonce, uri, response
}

namespace {

// A client's answer to the first challenge of `auth`.
std::string answer_for(DigestAuth& auth, std::int64_t now, const std::string& algorithm,
                       const std::string& password, const std::string& nc = "00000001",
                       const std::string& uri = "/cr") {
    const std::string challenge = auth.challenges(now, false).front();
    const std::size_t a = challenge.find("nonce=\"") + 7;
    const std::string nonce = challenge.substr(a, challenge.find('"', a) - a);
    const std::string ha1 = hash_hex(algorithm, "cpe:cwmp:" + password);
    const std::string ha2 = hash_hex(algorithm, "GET:" + uri);
    const std::string response = hash_hex(algorithm, ha1 + ":" + nonce + ":" + nc + ":c0ffee:auth:" + ha2);
    return "Digest username=\"cpe\", realm=\"cwmp\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", algorithm=" +
           algorithm + ", response=\"" + response + "\", qop=auth, nc=" + nc + ", cnonce=\"c0ffee\"";
}

}  // namespace

TEST_CASE("digest verification: good, wrong password, stale nonce, replay, forged nonce") {
    DigestAuth auth("cwmp", 300, 42);
    const std::int64_t t = 1'800'000'000;
    for (const char* algorithm : {"MD5", "SHA-256"}) {
        auto d = parse_digest(answer_for(auth, t, algorithm, "secret"));
        REQUIRE(d);
        CHECK(auth.check(*d, "GET", "/cr", "cpe", "secret", t + 1) == DigestAuth::Verdict::Ok);
        CHECK(auth.check(*d, "GET", "/cr", "cpe", "secret", t + 2) == DigestAuth::Verdict::Bad);  // same nc
        CHECK(auth.check(*d, "GET", "/cr", "cpe", "other", t + 1) == DigestAuth::Verdict::Bad);
        CHECK(auth.check(*d, "GET", "/other", "cpe", "secret", t + 1) == DigestAuth::Verdict::Bad);
        // The same nonce with a higher count is fine (a client reusing it).
        DigestResponse later = *d;
        later.nc = "00000002";
        const std::string ha1 = hash_hex(algorithm, "cpe:cwmp:secret");
        later.response = hash_hex(algorithm, ha1 + ":" + later.nonce + ":00000002:c0ffee:auth:" +
                                                 hash_hex(algorithm, "GET:/cr"));
        CHECK(auth.check(later, "GET", "/cr", "cpe", "secret", t + 3) == DigestAuth::Verdict::Ok);
        // Every challenge has a nonce of its own (two ACS requests in one second).
        CHECK(auth.challenges(t, false).front() != auth.challenges(t, false).front());
        auto old = parse_digest(answer_for(auth, t, algorithm, "secret", "00000003"));
        CHECK(auth.check(*old, "GET", "/cr", "cpe", "secret", t + 301) == DigestAuth::Verdict::Stale);
    }
    // A nonce another instance issued (another secret) is not ours.
    DigestAuth other("cwmp", 300, 7);
    auto foreign = parse_digest(answer_for(other, t, "MD5", "secret"));
    CHECK(auth.check(*foreign, "GET", "/cr", "cpe", "secret", t + 1) == DigestAuth::Verdict::Bad);
}

TEST_CASE("parsing a request head: good ones") {
    auto r = parse_request_head("GET /cr?x=1 HTTP/1.1\r\nHost: cpe\r\nauthorization:  \tDigest a=b \r\n\r\n");
    REQUIRE(r);
    CHECK(r->method == "GET");
    CHECK(r->target == "/cr?x=1");
    CHECK(r->authorization == "Digest a=b");
    r = parse_request_head("GET / HTTP/1.0\r\n\r\n");
    REQUIRE(r);
    CHECK(r->authorization.empty());
}

TEST_CASE("parsing a request head: what crashed cwmpd and other hostile heads") {
    // An Authorization header with nothing after the colon made the old
    // parser call substr(npos) and throw std::out_of_range (29 bytes).
    CHECK_FALSE(parse_request_head("GET / x\r\nauthorization:\r\n\r\n"));
    auto empty = parse_request_head("GET / HTTP/1.1\r\nAuthorization:   \r\n\r\n");
    REQUIRE(empty);
    CHECK(empty->authorization.empty());
    for (const char* hostile : {"", "\r\n\r\n", "GET\r\n\r\n", "GET /\r\n\r\n", " / HTTP/1.1\r\n\r\n",
                                "GET  HTTP/1.1\r\n\r\n", "GET / HTTP/1.1", "GET / HTTP/1.1\r\n",
                                "GET / HTTP/1.1\r\nno colon\r\n\r\n", "GET / HTTP/1.1\r\n: v\r\n\r\n",
                                "GET / HTTP/1.1\r\nAuthorization: a\r\nauthorization: b\r\n\r\n",
                                "GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n", "G\xffT / HTTP/1.1\r\n\r\n",
                                "GET / FTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nA\nB: c\r\n\r\n"})
        CHECK_FALSE(parse_request_head(hostile));
    // Every prefix and every single-byte change of a good head parses or
    // is refused, never throws.
    const std::string good = "GET /cr HTTP/1.1\r\nHost: cpe\r\nAuthorization: Digest username=\"a\"\r\n\r\n";
    for (std::size_t n = 0; n <= good.size(); ++n) CHECK_NOTHROW((void)parse_request_head(good.substr(0, n)));
    for (std::size_t i = 0; i < good.size(); ++i)
        for (int b : {0, 0x20, 0x3a, 0x0d, 0x0a, 0x22, 0xff}) {
            std::string bad = good;
            bad[i] = static_cast<char>(b);
            CHECK_NOTHROW((void)parse_request_head(bad));
            CHECK_NOTHROW((void)parse_digest(bad.substr(bad.find("Digest") == std::string::npos ? 0 : bad.find("Digest"))));
        }
}

namespace {

struct Loopback {
    cwmp::util::Log log{cwmp::util::Log::Sink::None};
    std::int64_t now = 1'800'000'000;
    Server server{{.address = "127.0.0.1", .port = 0, .path = "/cr", .max_requests_per_minute = 3},
                  [](std::string& u, std::string& p) {
                      u = "cpe";
                      p = "secret";
                  },
                  [this] { return now; }, log};

    // Sends `request`, lets the server work, returns the raw response.
    std::string exchange(const std::string& request, unsigned* valid = nullptr) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(server.port());
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
        unsigned n = 0;
        for (int i = 0; i < 50; ++i) {
            n += server.serve();
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 10) > 0) break;
        }
        if (valid) *valid = n;
        std::string out;
        char buf[4096];
        ssize_t got;
        while ((got = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(got));
        ::close(fd);
        return out;
    }
};

std::string get(const std::string& path, const std::string& authorization = {}) {
    std::string r = "GET " + path + " HTTP/1.1\r\nHost: cpe\r\n";
    if (!authorization.empty()) r += "Authorization: " + authorization + "\r\n";
    return r + "\r\n";
}

}  // namespace

TEST_CASE("the server over loopback") {
    Loopback l;
    const std::string challenge = l.exchange(get("/cr"));
    CHECK(challenge.starts_with("HTTP/1.1 401"));
    CHECK(challenge.find("WWW-Authenticate: Digest realm=\"cwmp\", qop=\"auth\", algorithm=SHA-256") != std::string::npos);
    CHECK(challenge.find("algorithm=MD5") != std::string::npos);
    CHECK(l.exchange("POST /cr HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405"));
    CHECK(l.exchange(get("/other")).starts_with("HTTP/1.1 404"));

    // Good credentials: 200 and one valid request; the server's own nonces.
    const auto nonce_of = [](const std::string& response) {
        const std::size_t a = response.find("nonce=\"") + 7;
        return response.substr(a, response.find('"', a) - a);
    };
    auto authorization = [&](const std::string& password, int nc) {
        const std::string nonce = nonce_of(l.exchange(get("/cr")));
        char ncs[9];
        std::snprintf(ncs, sizeof ncs, "%08x", nc);
        const std::string ha1 = hash_hex("MD5", "cpe:cwmp:" + password);
        const std::string ha2 = hash_hex("MD5", "GET:/cr");
        return "Digest username=\"cpe\", realm=\"cwmp\", nonce=\"" + nonce + "\", uri=\"/cr\", response=\"" +
               hash_hex("MD5", ha1 + ":" + nonce + ":" + ncs + ":abc:auth:" + ha2) + "\", qop=auth, nc=" + ncs +
               ", cnonce=\"abc\"";
    };
    unsigned valid = 0;
    CHECK(l.exchange(get("/cr", authorization("secret", 1)), &valid).starts_with("HTTP/1.1 200"));
    CHECK(valid == 1);
    CHECK(l.exchange(get("/cr", authorization("wrong", 1)), &valid).starts_with("HTTP/1.1 401"));
    CHECK(valid == 0);
    // The rate limit: 3 per minute here; the fourth good one gets 503.
    CHECK(l.exchange(get("/cr", authorization("secret", 1))).starts_with("HTTP/1.1 200"));
    CHECK(l.exchange(get("/cr", authorization("secret", 1))).starts_with("HTTP/1.1 200"));
    CHECK(l.exchange(get("/cr", authorization("secret", 1)), &valid).starts_with("HTTP/1.1 503"));
    CHECK(valid == 0);
    l.now += 61;  // a minute later it is open again
    CHECK(l.exchange(get("/cr", authorization("secret", 1))).starts_with("HTTP/1.1 200"));
    // An oversized request is refused without waiting for its end.
    CHECK(l.exchange("GET /cr HTTP/1.1\r\nX: " + std::string(10000, 'a') + "\r\n\r\n").starts_with("HTTP/1.1 431"));
}

TEST_CASE("hostile requests get an error and the server goes on serving") {
    Loopback l;
    for (const std::string& hostile :
         {std::string("GET /cr x\r\nauthorization:\r\n\r\n"), std::string("\r\n\r\n"),
          std::string("GET /cr HTTP/1.1\r\nAuthorization:\r\n\r\n"), std::string("GET\r\n\r\n"),
          std::string("GET /cr HTTP/1.1\r\nAuthorization: Digest\r\n\r\n"),
          std::string("GET /cr HTTP/1.1\r\nAuthorization: Digest username\r\n\r\n"),
          std::string("GET /cr HTTP/1.1\r\nAuthorization: Digest ,,,=\r\n\r\n"), std::string("\0\0\0\r\n\r\n", 7)}) {
        const std::string answer = l.exchange(hostile);
        CAPTURE(hostile);
        CHECK((answer.starts_with("HTTP/1.1 400") || answer.starts_with("HTTP/1.1 401")));
    }
    CHECK(l.exchange(get("/cr")).starts_with("HTTP/1.1 401"));  // still a challenge for a real client
}

TEST_CASE("the failure limit is checked before a request is parsed") {
    Loopback l;
    // 120 failed authentications a minute by default (a nonce we never issued).
    const std::string forged = get("/cr", "Digest username=\"cpe\", realm=\"cwmp\", nonce=\"1.1-00\", uri=\"/cr\", "
                                          "response=\"00\"");
    for (int i = 0; i < 120; ++i) REQUIRE(l.exchange(forged).starts_with("HTTP/1.1 401"));
    CHECK(l.exchange(forged).starts_with("HTTP/1.1 503"));
    // Now even a head that cannot be parsed costs no parsing: 503, not 400.
    CHECK(l.exchange("garbage\r\n\r\n").starts_with("HTTP/1.1 503"));
    CHECK(l.exchange(get("/cr")).starts_with("HTTP/1.1 503"));
    l.now += 61;
    CHECK(l.exchange("garbage\r\n\r\n").starts_with("HTTP/1.1 400"));
    CHECK(l.exchange(get("/cr")).starts_with("HTTP/1.1 401"));
}

TEST_CASE("the rate window: a minute to the second, in fixed memory whatever the rate") {
    using cwmp::util::RateWindow;
    RateWindow w;  // seconds
    w.add(1000);
    w.add(1000);
    CHECK(w.count(1000) == 2);
    w.add(1030);
    CHECK(w.count(1059) == 3);  // 59 s after the first two: still in
    CHECK(w.count(1060) == 1);  // 60 s after: out
    CHECK(w.count(1089) == 1);
    CHECK(w.count(1090) == 0);
    CHECK(w.full(1, 1089));
    CHECK_FALSE(w.full(1, 1090));
    // A slot reused a minute later starts again from nothing.
    w.add(1060);
    CHECK(w.count(1060) == 2);
    // A flood: a million events in one second count as such, in the same memory.
    const std::size_t size = sizeof w;
    for (int i = 0; i < 1'000'000; ++i) w.add(2000);
    CHECK(w.count(2000) == 1'000'000);
    CHECK(w.count(2059) == 1'000'000);
    CHECK(w.count(2060) == 0);
    CHECK(sizeof w == size);
    // Milliseconds: the slots are seconds, so an event leaves within the second before its minute is up.
    RateWindow ms{60'000};
    ms.add(5'500);
    CHECK(ms.count(5'500 + 58'999) == 1);
    CHECK(ms.count(5'000 + 60'000) == 0);
    // Times before the epoch (a clock set back) still fall into slots.
    RateWindow neg;
    neg.add(-1);
    CHECK(neg.count(-1) == 1);
    CHECK(neg.count(58) == 1);
    CHECK(neg.count(59) == 0);
}

TEST_CASE("connection-request URLs and addresses: IPv6 literals in brackets") {
    CHECK(http_url("192.0.2.7", 7547, "/cr") == "http://192.0.2.7:7547/cr");
    CHECK(http_url("2001:db8::7", 7547, "/cr") == "http://[2001:db8::7]:7547/cr");
    CHECK(http_url("::1", 80, "cr") == "http://[::1]:80/cr");
    CHECK(host_port("2001:db8::7", 30005) == "[2001:db8::7]:30005");
    CHECK(host_port("198.51.100.1", 30005) == "198.51.100.1:30005");
    CHECK(local_address_towards("http://127.0.0.1:9/acs") == "127.0.0.1");
    CHECK(local_address_towards("not a url").empty());
    std::uint16_t port = 0;
    CHECK_THROWS_WITH_AS(listen_on("example.net", 0, SOCK_STREAM, port), "not an IP address: example.net",
                         std::runtime_error);
    // "::" is one socket for both families (skipped where the host has no IPv6).
    try {
        Socket s = listen_on("::", 0, SOCK_DGRAM, port);
        CHECK(port != 0);
        Socket v4(::socket(AF_INET, SOCK_DGRAM, 0));
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::sendto(v4.get(), "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) == 1);
        sockaddr_storage from{};
        socklen_t len = sizeof from;
        char b;
        for (int i = 0; i < 100 && ::recvfrom(s.get(), &b, 1, 0, reinterpret_cast<sockaddr*>(&from), &len) != 1; ++i)
            ::usleep(10000);
        CHECK(address_text(from) == "127.0.0.1");
    } catch (const std::runtime_error& e) {
        MESSAGE("no IPv6 here: " << e.what());
    }
}

TEST_CASE("connection-request features follow the paths the profile has") {
    using cwmp::connreq::available;
    using cwmp::connreq::supported_methods;
    cwmp::dm::ModelPaths none;  // a profile with none of the optional features
    const cwmp::connreq::Features off = available(none);
    CHECK_FALSE(off.stun);
    CHECK_FALSE(off.xmpp);
    CHECK_FALSE(off.heartbeat);
    CHECK_FALSE(off.lightweight);
    CHECK(supported_methods(off) == "HTTP");

    cwmp::dm::ModelPaths all;
    auto& ms = all.management_server;
    ms.stun_enable = "Device.ManagementServer.STUNEnable";
    ms.heartbeat_policy.enable = "Device.ManagementServer.HeartbeatPolicy.Enable";
    ms.lightweight_notification_protocols_used = "Device.ManagementServer.LightweightNotificationProtocolsUsed";
    all.xmpp.connection.path = "Device.XMPP.Connection.{i}.";
    // XMPP.Connection without ConnReqXMPPConnection: no connection can be chosen for requests.
    CHECK_FALSE(available(all).xmpp);
    ms.conn_req_xmpp_connection = "Device.ManagementServer.ConnReqXMPPConnection";
    const cwmp::connreq::Features on = available(all);
    CHECK(on.stun);
    CHECK(on.xmpp);
    CHECK(on.heartbeat);
    CHECK(on.lightweight);
    CHECK(supported_methods(on) == "HTTP,STUN,XMPP");
}

TEST_CASE("path helpers over the generated templates") {
    CHECK(cwmp::dm::leaf_name("Device.XMPP.Connection.{i}.Enable") == "Enable");
    CHECK(cwmp::dm::leaf_name("") == "");
    CHECK(cwmp::dm::table_path("Device.XMPP.Connection.{i}.") == "Device.XMPP.Connection.");
    CHECK(cwmp::dm::table_path("") == "");
}
