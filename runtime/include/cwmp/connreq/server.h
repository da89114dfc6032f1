// The connection-request server (TR-069 3.2.2): an ACS asks the CPE to open
// a session with an HTTP GET on ConnectionRequestURL, authenticated with
// Digest.  Non-blocking and single-threaded: the daemon polls its
// descriptors with everything else, so a flood or a slow client never
// stalls the agent.  Bounded in every way: clients at once, request size,
// time per client, and successful requests and failures per minute.
#pragma once

#include <poll.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cwmp/connreq/digest.h"
#include "cwmp/util/rate_window.h"

namespace cwmp::util {
class Log;
}

namespace cwmp::connreq {

struct ServerOptions {
    std::string address = "::";             // IPv6 and IPv4; falls back to 0.0.0.0 without IPv6
    std::uint16_t port = 7547;              // 0: any free port (tests)
    std::string path = "/";
    std::int64_t nonce_lifetime_s = 300;
    unsigned max_requests_per_minute = 30;  // accepted requests; more get 503
    unsigned max_failures_per_minute = 120; // bad or missing credentials; more get 503
    std::size_t max_clients = 16;
    std::int64_t client_timeout_s = 5;
};

using Clock = std::function<std::int64_t()>;

// The current ConnectionRequestUsername / ConnectionRequestPassword.
using Credentials = std::function<void(std::string& username, std::string& password)>;

class Server {
public:
    // Binds and listens; throws std::runtime_error naming the address when it cannot.
    Server(ServerOptions options, Credentials credentials, Clock now, const util::Log& log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const noexcept { return port_; }

    // HTTPConnectionRequestEnable: off closes the listening socket (the ACS's
    // requests are refused by the kernel), on opens it again on the same port.
    void set_enabled(bool on);
    bool enabled() const noexcept { return listen_fd_ >= 0; }

    // The descriptors to poll: the listening socket and each client.
    void add_to_poll(std::vector<pollfd>& fds) const;
    // Accepts, reads and answers whatever is ready (never blocks); returns
    // the number of valid connection requests that arrived.
    unsigned serve();

private:
    struct Client;
    void open();
    void answer(Client& c);
    void respond(Client& c, const std::string& status, const std::vector<std::string>& extra = {});

    ServerOptions options_;
    Credentials credentials_;
    Clock now_;
    const util::Log& log_;
    DigestAuth digest_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::vector<std::unique_ptr<Client>> clients_;
    util::RateWindow accepted_;  // recent accepted requests
    util::RateWindow failures_;  // recent failed authentications
    unsigned valid_ = 0;
};

}  // namespace cwmp::connreq
