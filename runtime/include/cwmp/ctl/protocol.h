// cwmpctl's wire format on cwmpd's control socket (a UNIX stream socket).
//
// Request: the fields of a command line, each ended by a NUL byte
// ("get\0Device.DeviceInfo.\0"), options first ("--json"), then the client
// shuts down its sending side.  At most kMaxRequestBytes and kMaxFields:
// the daemon reads no more.  Response: the exit status in decimal, a
// newline, then the text for the caller (stdout on status 0, stderr
// otherwise); the daemon closes the connection after it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cwmp::ctl {

inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;
inline constexpr std::size_t kMaxFields = 1024;

// cwmpctl's exit statuses (its usage text lists them).
enum Exit : int {
    kOk = 0,
    kUsage = 1,          // a bad command line (unknown command, missing arguments)
    kBadPath = 2,        // no such parameter or object (9005)
    kBadValue = 3,       // a value or type the parameter does not accept (9006, 9007)
    kNotWritable = 4,    // read-only, or not an object that can be added to / deleted (9008, ...)
    kFailed = 5,         // the agent could not do it (another fault, a refused request)
    kDenied = 6,         // the caller is neither root nor in the control group
    kUnreachable = 7,    // no cwmpd at the socket (cwmpctl itself)
};

struct Request {
    bool json = false;
    std::string command;
    std::vector<std::string> args;
};

// Parses a whole request; nullopt with `error` set when it is not one
// (unterminated field, too long, too many fields, no command, an unknown
// option, a field with a byte below 0x20 other than tab/newline).
std::optional<Request> parse_request(std::string_view bytes, std::string& error);
std::string encode_request(const Request& r);

struct Response {
    int status = kOk;
    std::string text;
};
std::string encode_response(const Response& r);
// nullopt for bytes that are not a response (a daemon that died mid-way).
std::optional<Response> parse_response(std::string_view bytes);

}  // namespace cwmp::ctl
