#include "iq.h"

#include <string_view>

namespace cwmp::xmpp {

std::optional<ConnReqIq> read_connection_request(xmpp_ctx_t* ctx, xmpp_stanza_t* iq) {
    const char* type = xmpp_stanza_get_type(iq);
    if (type == nullptr || std::string_view(type) != "get") return std::nullopt;
    // An IQ without an id is no request (RFC 6120 8.2.3), and one without a
    // sender no ACS's: nothing could answer either, or check the sender.
    const char* id = xmpp_stanza_get_id(iq);
    const char* from = xmpp_stanza_get_from(iq);
    if (id == nullptr || *id == '\0' || from == nullptr || *from == '\0') return std::nullopt;
    xmpp_stanza_t* req = xmpp_stanza_get_child_by_name_and_ns(iq, "connectionRequest", kConnReqNs);
    if (req == nullptr) return std::nullopt;
    auto text_of = [&](const char* name) {
        std::string out;
        if (xmpp_stanza_t* e = xmpp_stanza_get_child_by_name(req, name)) {
            if (char* t = xmpp_stanza_get_text(e)) {
                out = t;
                xmpp_free(ctx, t);
            }
        }
        return out;
    };
    return ConnReqIq{from, text_of("username"), text_of("password")};
}

Stanza connection_request_reply(xmpp_stanza_t* iq, const std::string& error) {
    if (error.empty()) {
        Stanza reply(xmpp_stanza_reply(iq));
        if (reply) xmpp_stanza_set_type(reply.get(), "result");
        return reply;
    }
    const char* kind = error == "not-authorized" ? "auth" : error == "resource-constraint" ? "wait" : "cancel";
    return Stanza(xmpp_stanza_reply_error(iq, kind, error.c_str(), nullptr));
}

}  // namespace cwmp::xmpp
