// Addresses and sockets of the reachability servers (HTTP and UDP connection
// requests, STUN): IPv4 and IPv6 alike.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <utility>

#include "cwmp/util/fd.h"

namespace cwmp::connreq {

using Socket = util::Fd;  // a socket descriptor that closes itself

// A bound socket of `type` (SOCK_STREAM: listening, SOCK_DGRAM) on an IPv4
// or IPv6 literal and `port` (0: any), non-blocking and close-on-exec; "::"
// takes IPv4 as well (one dual-stack socket).  `bound` gets the port.
// Throws std::runtime_error naming the address and the cause.
Socket listen_on(const std::string& address, std::uint16_t port, int type, std::uint16_t& bound);

// The text of an address ("192.0.2.1", "2001:db8::1"); an IPv4-mapped IPv6
// address reads as IPv4.  "?" for another family.
std::string address_text(const sockaddr_storage& a);
std::uint16_t address_port(const sockaddr_storage& a);

// The host of `url` (an IPv6 literal without brackets; "" when there is
// none) and, when `port` is given, its port (the scheme's by default).
std::string url_host(const std::string& url, std::string* port = nullptr);

// The local address the host of `url` is reached from (a UDP "connect"
// sends nothing), IPv4 or IPv6 as name resolution gives; "" when unknown.
std::string local_address_towards(const std::string& url);

// "http://HOST:PORT/PATH", an IPv6 literal in brackets (RFC 3986).
std::string http_url(const std::string& host, std::uint16_t port, const std::string& path);
// "HOST:PORT", an IPv6 literal in brackets (UDPConnectionRequestAddress).
std::string host_port(const std::string& host, std::uint16_t port);

}  // namespace cwmp::connreq
