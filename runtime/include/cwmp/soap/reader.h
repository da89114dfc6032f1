// Reading ACS messages: a hardened, bounded parse of a CWMP SOAP envelope
// into a small element tree (libxml2's SAX2 parser underneath).
//
// No DTD is accepted (so no entity can be declared or expanded), nothing is
// fetched from the network, and input size, nesting depth, element count
// and text size are all bounded: a hostile message ends in an error, never a
// crash or unbounded memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/soap/namespace.h"

namespace cwmp::soap {

struct Limits {
    std::size_t max_bytes = 4 * 1024 * 1024;  // one ACS message
    std::size_t max_depth = 32;
    std::size_t max_elements = 200000;
    std::size_t max_text = 256 * 1024;        // characters in one element
};

// An element of the message: local name, namespace URI, its own text, the
// xsi:type and soap-enc:arrayType attributes when present, and whether it
// carries soap-env:mustUnderstand="1".
struct Element {
    std::string name;
    std::string ns;
    std::string text;
    std::string xsi_type;
    std::string array_type;
    bool must_understand = false;
    std::vector<Element> children;

    const Element* child(std::string_view local) const;
};

struct Envelope {
    Namespace cwmp_ns = Namespace::Cwmp12;
    std::string id;                // header cwmp:ID ("" without one)
    bool id_must_understand = false;
    bool hold_requests = false;    // header cwmp:HoldRequests
    bool no_more_requests = false; // header cwmp:NoMoreRequests (CWMP 1.0)
    std::optional<unsigned> session_timeout;  // header cwmp:SessionTimeout
    std::string supported_versions;           // header cwmp:SupportedCWMPVersions
    std::string use_version;                  // header cwmp:UseCWMPVersion
    Element body;                  // the single element in soap-env:Body
    bool is_fault = false;         // the body is a soap-env:Fault
};

struct ParseResult {
    std::optional<Envelope> envelope;
    std::string error;  // why there is no envelope
};

ParseResult parse_envelope(std::string_view bytes, const Limits& limits = {});

}  // namespace cwmp::soap
