// The head of an HTTP/1.1 request as the connection-request server needs it
// (RFC 9112): the request line and the Authorization header.  Bytes from
// anyone who can reach the port: the parser never throws (short of memory),
// reads nothing past `head`, and refuses what is not a plain request head.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cwmp::connreq {

struct RequestHead {
    std::string method;
    std::string target;         // as sent: path and query
    std::string authorization;  // the header's value, "" when absent
};

// `head` is the request up to and including the blank line ("\r\n\r\n").
// nullopt: not a request head (no request line of three parts, a header
// line without a colon, control characters, two Authorization headers).
std::optional<RequestHead> parse_request_head(std::string_view head);

}  // namespace cwmp::connreq
