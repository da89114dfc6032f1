// cwmpctl's request and response format (cwmp/ctl/protocol.h): the limits the
// control socket enforces on what any local caller sends.
#include <doctest/doctest.h>

#include <string>

#include "cwmp/ctl/commands.h"
#include "cwmp/ctl/protocol.h"

using namespace cwmp::ctl;
using namespace std::string_literals;

TEST_CASE("a request round-trips") {
    Request r{true, "set", {"Device.A", "va lue\twith\nlines", "Device.B", ""}};
    std::string error;
    const auto back = parse_request(encode_request(r), error);
    REQUIRE(back);
    CHECK(back->json);
    CHECK(back->command == "set");
    CHECK(back->args == r.args);
}

TEST_CASE("malformed requests are refused with a reason") {
    std::string error;
    CHECK_FALSE(parse_request("", error));
    CHECK(error == "request not ended by a NUL byte");
    CHECK_FALSE(parse_request("get\0Device."s, error));
    CHECK(error == "request not ended by a NUL byte");
    CHECK_FALSE(parse_request("\0"s, error));
    CHECK(error == "no command");
    CHECK_FALSE(parse_request("--json\0"s, error));
    CHECK(error == "no command");
    CHECK_FALSE(parse_request("--root\0get\0"s, error));
    CHECK(error == "unknown option --root");
    CHECK_FALSE(parse_request("get\0Device.\x1b[2J\0"s, error));
    CHECK(error == "a control character in a field");
}

TEST_CASE("the limits: bytes and fields") {
    std::string error;
    std::string big = "get"s + '\0' + std::string(kMaxRequestBytes - 5, 'x') + '\0';
    CHECK(big.size() == kMaxRequestBytes);
    CHECK(parse_request(big, error));
    big.insert(4, "y");
    CHECK_FALSE(parse_request(big, error));
    CHECK(error.find("longer than 65536 bytes") != std::string::npos);
    std::string many = "get"s + '\0';
    for (std::size_t i = 1; i < kMaxFields; ++i) many += "a"s + '\0';
    CHECK(parse_request(many, error));
    many += "a"s + '\0';
    CHECK_FALSE(parse_request(many, error));
    CHECK(error == "more than 1024 fields");
}

TEST_CASE("responses") {
    const auto r = parse_response("3\ncwmpctl: bad value\n");
    REQUIRE(r);
    CHECK(r->status == 3);
    CHECK(r->text == "cwmpctl: bad value\n");
    CHECK_FALSE(parse_response(""));
    CHECK_FALSE(parse_response("no status\n"));
    CHECK_FALSE(parse_response("256\n"));
    CHECK_FALSE(parse_response("-1\n"));
    CHECK(encode_response({kDenied, "x"}) == "6\nx");
}

TEST_CASE("JSON strings") {
    CHECK(json_string("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\u000a\\u0001\"");
    CHECK(json_string("Gerät") == "\"Gerät\"");
}
