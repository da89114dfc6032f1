// One XMPP connection of the CPE (TR-181 Device.XMPP.Connection.{i}) over
// libstrophe, carrying TR-069 Annex K connection requests.  libstrophe runs
// its own event loop, so the connection lives in a worker thread that owns
// every libstrophe handle; the agent's thread (which owns the data model
// and the store) hands it a configuration and collects, through an
// eventfd it polls, the connection's state and the connection requests
// that arrived.  Nothing of the model is touched from the worker.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cwmp::util {
class Log;
}

namespace cwmp::xmpp {

struct Config {
    bool enable = false;
    std::string username, password, domain, resource;
    // Where to connect: the ServerTable's (address, port) in order of
    // Priority; empty: the domain itself, by DNS SRV records (srv true)
    // or by its address on port 5222.
    std::vector<std::pair<std::string, std::uint16_t>> servers;
    bool srv = true;
    bool require_tls = false;  // UseTLS: no session without it; else TLS whenever offered
    std::string ca_file;       // trust anchors for the server's certificate ("" the system's)
    // Reconnection back-off (ServerRetry*), as CWMP's session retry.
    std::uint32_t retry_initial_s = 60, retry_multiplier = 2000, retry_max_s = 30720;
    // Annex K: whether this connection takes connection requests, with which
    // credentials, from whom (bare or full JIDs; empty: anyone).
    bool connection_requests = false;
    std::string cr_username, cr_password;
    std::vector<std::string> allowed_jids;
    unsigned max_requests_per_minute = 30;
    bool operator==(const Config&) const = default;
};

struct State {
    std::string status = "Disabled";  // TR-181 Connection.Status
    std::string jid;                  // the full JID the server bound
    bool tls = false;
    bool operator==(const State&) const = default;
};

class Client {
public:
    explicit Client(const util::Log& log);
    ~Client();  // disconnects and joins the worker
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    void configure(const Config& c);  // takes effect in the worker (a change reconnects)
    int event_fd() const;             // readable when collect() has news

    struct News {
        bool state_changed = false;
        State state;
        unsigned connection_requests = 0;  // valid ones, answered with an IQ result
    };
    News collect();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Annex K's verdict on a connection request IQ (pure, for tests): "" when it
// is valid, else the XMPP stanza error condition to answer with.
std::string connection_request_error(const Config& c, std::string_view from, std::string_view username,
                                     std::string_view password);

}  // namespace cwmp::xmpp
