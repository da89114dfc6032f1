// cwmpd's control socket (cwmpctl's end in the daemon): a UNIX stream
// socket served from the agent's poll loop, never blocking it.  Callers are
// checked by the credentials the kernel gives for the peer (SO_PEERCRED,
// SO_PEERGROUPS): root, or a member of the configured group; anyone else
// gets exit status kDenied and nothing else.  Each connection carries one
// request (cwmp/ctl/protocol.h), read up to its limit within a deadline.
#pragma once

#include <poll.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/ctl/commands.h"
#include "cwmp/ctl/protocol.h"

namespace cwmp::util {
class Log;
}

namespace cwmp::ctl {

struct ServerOptions {
    std::string path;                // the socket's path
    std::string group;               // "" = root only; else this group's members too
    std::size_t max_clients = 8;     // more at once are closed at once
    std::chrono::milliseconds deadline{5000};  // a request not complete by then is dropped
};

class Server {
public:
    using Handler = std::function<Response(const Request&, const Caller&)>;

    // Binds the socket (a stale socket file is replaced; a live one, another
    // cwmpd's, is not).  Throws std::runtime_error naming the path and the
    // cause, or the unknown group.
    Server(ServerOptions options, Handler handler, const util::Log& log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void add_to_poll(std::vector<pollfd>& fds) const;
    // Whether a connection is open (its deadline wants the loop to wake).
    bool busy() const noexcept { return !clients_.empty(); }
    // After poll: accepts, reads, answers.  Never throws for what a client does.
    void serve();

private:
    struct Client {
        int fd = -1;
        Caller caller;
        bool allowed = false;
        std::string in;
        std::string out;
        std::size_t sent = 0;
        bool answering = false;
        std::chrono::steady_clock::time_point deadline;
    };
    void accept_clients();
    // False when the client is finished with (closed).
    bool step(Client& c);
    void answer(Client& c);
    bool allowed(int fd, const Caller& caller) const;

    ServerOptions options_;
    Handler handler_;
    const util::Log& log_;
    int fd_ = -1;
    std::optional<gid_t> gid_;
    std::vector<Client> clients_;
};

}  // namespace cwmp::ctl
