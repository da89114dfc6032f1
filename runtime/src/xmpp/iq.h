// The connection-request IQ of TR-069 Annex K, read from a stanza libstrophe
// parsed, and the stanza that answers it.  Private to runtime/src/xmpp (and
// its fuzz target): the public header keeps libstrophe's types out.
#pragma once

#include <strophe.h>

#include <memory>
#include <optional>
#include <string>

namespace cwmp::xmpp {

inline constexpr const char* kConnReqNs = "urn:broadband-forum-org:cwmp:xmppConnReq-1-0";

struct StanzaDeleter {
    void operator()(xmpp_stanza_t* s) const noexcept { xmpp_stanza_release(s); }
};
using Stanza = std::unique_ptr<xmpp_stanza_t, StanzaDeleter>;

// What a connection request carries.
struct ConnReqIq {
    std::string from;  // the sender's JID as the stanza says
    std::string username;
    std::string password;
};

// The connection request `iq` carries: an IQ of type "get" with an id, a
// sender and a <connectionRequest> child in Annex K's namespace; none for
// anything else.
std::optional<ConnReqIq> read_connection_request(xmpp_ctx_t* ctx, xmpp_stanza_t* iq);

// The answer to it: an IQ result when `error` is empty, otherwise the IQ
// error with that condition (not-authorized: type auth; resource-constraint:
// wait; anything else: cancel).
Stanza connection_request_reply(xmpp_stanza_t* iq, const std::string& error);

}  // namespace cwmp::xmpp
