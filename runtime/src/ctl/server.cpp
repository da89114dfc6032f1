#include "cwmp/ctl/server.h"

#include <errno.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "cwmp/util/log.h"

namespace cwmp::ctl {

namespace {

std::runtime_error error(const std::string& path, const std::string& what, int err) {
    return std::runtime_error("control socket " + path + ": " + what + ": " + std::strerror(err));
}

sockaddr_un address(const std::string& path) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof a.sun_path)
        throw std::runtime_error("control socket " + path + ": the path must have 1 to " +
                                 std::to_string(sizeof a.sun_path - 1) + " bytes");
    std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
    return a;
}

gid_t group_id(const std::string& name) {
    std::vector<char> buf(16384);
    group g{};
    group* found = nullptr;
    if (getgrnam_r(name.c_str(), &g, buf.data(), buf.size(), &found) != 0 || found == nullptr)
        throw std::runtime_error("control_group " + name + ": no such group");
    return g.gr_gid;
}

}  // namespace

Server::Server(ServerOptions options, Handler handler, const util::Log& log)
    : options_(std::move(options)), handler_(std::move(handler)), log_(log) {
    if (!options_.group.empty()) gid_ = group_id(options_.group);
    const sockaddr_un a = address(options_.path);
    const std::string& path = options_.path;
    // A socket file left by a cwmpd that is gone is replaced; one that
    // answers belongs to a cwmpd that runs, and so does the store.
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) throw std::runtime_error("control socket " + path + ": exists and is not a socket");
        const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const bool live = probe >= 0 && ::connect(probe, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
        if (probe >= 0) ::close(probe);
        if (live) throw std::runtime_error("control socket " + path + ": another cwmpd answers there");
        ::unlink(path.c_str());
    }
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw error(path, "socket", errno);
    // Anyone may connect: the peer's credentials decide, and a refused caller
    // is told so instead of meeting a bare EACCES.
    const mode_t old = ::umask(0111);
    const int bound = ::bind(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a);
    const int bind_errno = errno;
    ::umask(old);
    if (bound != 0 || ::listen(fd_, 16) != 0) {
        const int e = bound != 0 ? bind_errno : errno;
        ::close(fd_);
        throw error(path, bound != 0 ? "bind" : "listen", e);
    }
    log_.info("control socket " + path + (gid_ ? " (root and group " + options_.group + ")" : " (root only)"));
}

Server::~Server() {
    for (Client& c : clients_) ::close(c.fd);
    if (fd_ >= 0) {
        ::close(fd_);
        ::unlink(options_.path.c_str());
    }
}

void Server::add_to_poll(std::vector<pollfd>& fds) const {
    fds.push_back({fd_, POLLIN, 0});
    for (const Client& c : clients_) fds.push_back({c.fd, static_cast<short>(c.answering ? POLLOUT : POLLIN), 0});
}

bool Server::allowed(int fd, const Caller& caller) const {
    if (caller.root()) return true;
    if (!gid_) return false;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.gid == *gid_) return true;
    // The supplementary groups the peer had when it connected.
    std::vector<gid_t> groups(64);
    socklen_t size = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size) != 0) {
        if (errno != ERANGE) return false;
        groups.resize(size / sizeof(gid_t));
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &size) != 0) return false;
    }
    groups.resize(size / sizeof(gid_t));
    return std::find(groups.begin(), groups.end(), *gid_) != groups.end();
}

void Server::accept_clients() {
    for (;;) {
        const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;  // EAGAIN, or a client gone before we looked
        if (clients_.size() >= options_.max_clients) {
            ::close(fd);
            log_.warning("control socket: more than " + std::to_string(options_.max_clients) +
                         " connections at once; one closed");
            continue;
        }
        ucred cred{};
        socklen_t len = sizeof cred;
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
            ::close(fd);
            continue;
        }
        Client c;
        c.fd = fd;
        c.caller = {cred.uid, cred.pid};
        c.allowed = allowed(fd, c.caller);
        c.deadline = std::chrono::steady_clock::now() + options_.deadline;
        clients_.push_back(std::move(c));
    }
}

void Server::answer(Client& c) {
    Response r;
    std::string why;
    if (!c.allowed) {
        log_.warning("control socket: uid " + std::to_string(c.caller.uid) + " (pid " + std::to_string(c.caller.pid) +
                     ") refused: neither root nor in the control group");
        r = {kDenied, "cwmpctl: permission denied: root or the control group only\n"};
    } else if (const std::optional<Request> req = parse_request(c.in, why)) {
        try {
            r = handler_(*req, c.caller);
        } catch (const std::exception& e) {
            log_.error(std::string("control socket: ") + req->command + ": " + e.what());
            r = {kFailed, std::string("cwmpctl: internal error: ") + e.what() + "\n"};
        }
        log_.info("control socket: uid " + std::to_string(c.caller.uid) + ": " + req->command + " -> " +
                  std::to_string(r.status));
    } else {
        r = {kUsage, "cwmpctl: bad request: " + why + "\n"};
    }
    c.out = encode_response(r);
    c.answering = true;
}

bool Server::step(Client& c) {
    if (!c.answering) {
        char buf[8192];
        for (;;) {
            const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
            if (n > 0) {
                if (c.in.size() + static_cast<std::size_t>(n) > kMaxRequestBytes + 1) {
                    c.in.append(buf, static_cast<std::size_t>(n));  // parse_request names the limit
                    answer(c);
                    break;
                }
                c.in.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0) {  // the request is complete
                answer(c);
                break;
            }
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            return false;
        }
    }
    if (c.answering) {
        while (c.sent < c.out.size()) {
            const ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
            if (n > 0) {
                c.sent += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            return false;  // the caller went away
        }
        if (c.sent == c.out.size()) return false;  // done
    }
    return std::chrono::steady_clock::now() < c.deadline;
}

void Server::serve() {
    accept_clients();
    for (auto it = clients_.begin(); it != clients_.end();) {
        if (step(*it)) {
            ++it;
        } else {
            ::close(it->fd);
            it = clients_.erase(it);
        }
    }
}

}  // namespace cwmp::ctl
