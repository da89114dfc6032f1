// The UDP lightweight notification (TR-069 Annex M): the XML document of
// cwmp-UDPLightweightNotification-1-0.xsd (TS, UN, CN, OUI, ProductClass,
// SerialNumber, then one Param per changed parameter) carried in one UDP
// datagram as an HTTP-like POST whose Signature header is the HMAC-SHA1 of
// the document keyed with ManagementServer.Password, so that the ACS can
// tell it came from the device (TS and the random CN make each one unique).
// Building only: no sockets here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cwmp::lwn {

// Who sends (ManagementServer.Username and .Password, DeviceInfo's
// ManufacturerOUI, ProductClass, SerialNumber).
struct Identity {
    std::string username;
    std::string password;
    std::string oui;
    std::string product_class;
    std::string serial_number;
};

struct Param {
    std::string name;
    std::string value;
};

constexpr std::string_view kNamespace = "urn:broadband-forum-org:cwmp:lwnotif-1-0";

// The XML document for `params` (at least one), created at `ts` (Unix s).
std::string document(const Identity& id, std::int64_t ts, std::string_view cnonce, std::span<const Param> params);

// Lower-case hex HMAC-SHA1 of `body` keyed with `password`.
std::string signature(std::string_view password, std::string_view body);

// The datagram: request line, Host, Content-Type, Content-Length, Signature, body.
std::string datagram(std::string_view host, std::string_view body, std::string_view password);

// 32 hex digits from OpenSSL's random generator.
std::string random_cnonce();

// `params` split into as few datagrams as keep each within `max_size` bytes
// (a parameter too big for one alone goes alone), each with its own CN.
std::vector<std::string> datagrams(const Identity& id, std::int64_t ts, std::span<const Param> params,
                                   std::string_view host, std::size_t max_size,
                                   const std::function<std::string()>& cnonce = random_cnonce);

}  // namespace cwmp::lwn
