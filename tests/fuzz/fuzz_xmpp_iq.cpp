// The stanzas an XMPP server delivers to the CPE (TR-069 Annex K), parsed by
// libstrophe, then read as a connection request and answered
// (runtime/src/xmpp/iq.h) with the agent's checks (xmpp/client.h).
// Invariants: no crash or leak; a request is accepted only from an allowed
// JID with the right credentials; every answer serialises and is an IQ of
// type result or error addressed back to the sender.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cwmp/xmpp/client.h"
#include "fuzz.h"
#include "iq.h"

namespace {

struct CtxDeleter {
    void operator()(xmpp_ctx_t* c) const noexcept { xmpp_ctx_free(c); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::unique_ptr<xmpp_ctx_t, CtxDeleter> ctx(xmpp_ctx_new(nullptr, nullptr));
    const std::string text(reinterpret_cast<const char*>(data), size);  // NUL-terminated for libstrophe
    const cwmp::xmpp::Stanza iq(xmpp_stanza_new_from_string(ctx.get(), text.c_str()));
    if (!iq) return 0;
    const auto r = cwmp::xmpp::read_connection_request(ctx.get(), iq.get());
    if (!r) return 0;
    cwmp::xmpp::Config cfg;
    cfg.connection_requests = true;
    cfg.cr_username = "acs";
    cfg.cr_password = "secret";
    cfg.allowed_jids = {"acs@example.net"};
    const std::string error = cwmp::xmpp::connection_request_error(cfg, r->from, r->username, r->password);
    if (error.empty()) {
        const std::string bare = r->from.substr(0, r->from.find('/'));
        fuzz::check(bare == "acs@example.net" && r->username == "acs" && r->password == "secret",
                    "a connection request accepted without its credentials or from another JID", text);
    }
    const cwmp::xmpp::Stanza reply = cwmp::xmpp::connection_request_reply(iq.get(), error);
    fuzz::check(reply != nullptr, "no answer", text);
    const char* type = xmpp_stanza_get_type(reply.get());
    fuzz::check(type != nullptr && std::string_view(type) == (error.empty() ? "result" : "error"),
                "the answer's type", text);
    char* out = nullptr;
    std::size_t len = 0;
    fuzz::check(xmpp_stanza_to_text(reply.get(), &out, &len) == XMPP_EOK, "the answer does not serialise", text);
    xmpp_free(ctx.get(), out);
    return 0;
}
