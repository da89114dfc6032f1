#include "cwmp/connreq/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <utility>

#include "cwmp/connreq/address.h"
#include "cwmp/connreq/request.h"
#include "cwmp/util/log.h"
#include "cwmp/util/survive.h"

namespace cwmp::connreq {
namespace {

constexpr std::size_t kMaxRequest = 8192;  // a GET with its headers; more is refused

}  // namespace

struct Server::Client {
    Socket socket;
    std::string request;
    std::int64_t deadline;
    std::int64_t accepted = 0;
    std::string peer;
    bool done = false;
};

Server::Server(ServerOptions options, Credentials credentials, Clock now, const util::Log& log)
    : options_(std::move(options)), credentials_(std::move(credentials)), now_(std::move(now)), log_(log),
      digest_("cwmp", options_.nonce_lifetime_s, std::random_device{}()) {
    open();
}

void Server::open() {
    if (listen_fd_ >= 0) return;
    std::uint16_t bound = 0;
    try {
        try {
            listen_fd_ = listen_on(options_.address, options_.port, SOCK_STREAM, bound).release();
        } catch (const std::runtime_error&) {
            // The dual-stack default on a host without IPv6: every IPv4 address.
            if (options_.address != "::") throw;
            listen_fd_ = listen_on("0.0.0.0", options_.port, SOCK_STREAM, bound).release();
        }
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("connection requests: ") + e.what());
    }
    port_ = bound;
    // Again on the same port when closed and opened (HTTPConnectionRequestEnable).
    options_.port = bound;
}

void Server::set_enabled(bool on) {
    if (on == (listen_fd_ >= 0)) return;
    if (on) {
        open();
        log_.info("connection requests over HTTP enabled");
        return;
    }
    ::close(std::exchange(listen_fd_, -1));
    clients_.clear();
    log_.info("connection requests over HTTP disabled (HTTPConnectionRequestEnable false)");
}

Server::~Server() {
    if (listen_fd_ >= 0) ::close(listen_fd_);
}

void Server::add_to_poll(std::vector<pollfd>& fds) const {
    if (listen_fd_ < 0) return;
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const auto& c : clients_) fds.push_back({c->socket.get(), POLLIN, 0});
}

void Server::respond(Client& c, const std::string& status, const std::vector<std::string>& extra) {
    std::string r = "HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n";
    for (const std::string& h : extra) r += h + "\r\n";
    r += "\r\n";
    // Small enough for the socket buffer; a client that does not read loses it.
    (void)::send(c.socket.get(), r.data(), r.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    c.done = true;
}

void Server::answer(Client& c) {
    const std::int64_t now = now_();
    // The failure limit comes before any parsing: while it holds, a flood
    // costs a comparison per request.  (The limit of accepted requests is
    // checked once the credentials are right: a client still gets its
    // challenge, and only a valid request can use up that limit.)
    if (failures_.full(options_.max_failures_per_minute, now)) {
        log_.warning("connection request from " + c.peer + " refused: too many failed attempts");
        return respond(c, "503 Service Unavailable", {"Retry-After: 60"});
    }
    const std::optional<RequestHead> head = parse_request_head(c.request);
    if (!head) {
        log_.warning("connection request from " + c.peer + ": not an HTTP request");
        return respond(c, "400 Bad Request");
    }
    const std::string& method = head->method;
    const std::string& target = head->target;
    if (method != "GET") return respond(c, "405 Method Not Allowed", {"Allow: GET"});
    if (target.substr(0, target.find('?')) != options_.path) return respond(c, "404 Not Found");
    const std::string& authorization = head->authorization;
    auto challenge = [&](bool stale) {
        std::vector<std::string> headers;
        for (const std::string& ch : digest_.challenges(now, stale)) headers.push_back("WWW-Authenticate: " + ch);
        respond(c, "401 Unauthorized", headers);
    };
    if (authorization.empty()) return challenge(false);
    const std::optional<DigestResponse> d = parse_digest(authorization);
    std::string username, password;
    credentials_(username, password);
    const DigestAuth::Verdict v =
        d ? digest_.check(*d, method, target, username, password, now) : DigestAuth::Verdict::Bad;
    if (v == DigestAuth::Verdict::Stale) return challenge(true);
    if (v == DigestAuth::Verdict::Bad) {
        failures_.add(now);
        log_.warning("connection request from " + c.peer + ": bad credentials");
        return challenge(false);
    }
    if (accepted_.full(options_.max_requests_per_minute, now)) {
        log_.warning("connection request from " + c.peer + " refused: rate limit");
        return respond(c, "503 Service Unavailable", {"Retry-After: 60"});
    }
    accepted_.add(now);
    ++valid_;
    log_.info("connection request from " + c.peer);
    respond(c, "200 OK");
}

unsigned Server::serve() {
    const std::int64_t now = now_();
    valid_ = 0;
    for (;;) {  // accept what waits; when full, a client idle for a second gives way
        if (clients_.size() >= options_.max_clients) {
            auto idle = std::find_if(clients_.begin(), clients_.end(), [&](const std::unique_ptr<Client>& c) {
                return now - c->accepted >= 1 && c->request.find("\r\n\r\n") == std::string::npos;
            });
            if (idle == clients_.end()) break;  // the rest waits in the backlog
            respond(**idle, "408 Request Timeout");
            clients_.erase(idle);
        }
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        if (listen_fd_ < 0) break;
        Socket s(::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (s.get() < 0) break;
        auto c = std::make_unique<Client>();
        c->socket = std::move(s);
        c->deadline = now + options_.client_timeout_s;
        c->accepted = now;
        c->peer = address_text(peer);
        clients_.push_back(std::move(c));
    }
    for (auto& c : clients_) {
        char buf[2048];
        for (;;) {
            const ssize_t n = ::recv(c->socket.get(), buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) {
                c->request.append(buf, static_cast<std::size_t>(n));
                if (c->request.size() > kMaxRequest) {
                    respond(*c, "431 Request Header Fields Too Large");
                    break;
                }
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) c->done = true;
            break;
        }
        if (!c->done && c->request.find("\r\n\r\n") != std::string::npos) {
            // Whatever goes wrong with one client, it gets a 500 and the server goes on.
            if (!util::survive(log_, "connection request from " + c->peer, [&] { answer(*c); }))
                respond(*c, "500 Internal Server Error");
        }
        if (!c->done && now >= c->deadline) respond(*c, "408 Request Timeout");
    }
    std::erase_if(clients_, [](const std::unique_ptr<Client>& c) { return c->done; });
    return valid_;
}

}  // namespace cwmp::connreq
