// cwmpctl: the local CLI of cwmpd, over its control socket (cwmp/ctl/).
// The daemon carries out the command and formats the answer; this program
// sends the command line, prints the answer and exits with its status.
#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cwmp/ctl/protocol.h"

namespace {

constexpr const char* kDefaultSocket = "/run/cwmpd/cwmpctl.sock";

const char* const kUsage =
    "usage: cwmpctl [-s SOCKET] [--json] COMMAND [ARG]...\n"
    "  get PATH...                          values, one \"path value\" line each\n"
    "  set PATH VALUE [PATH VALUE]...       all or nothing (like SetParameterValues)\n"
    "  add TABLE.                           a new instance; prints its path\n"
    "  del INSTANCE.                        deletes it\n"
    "  names [--next-level] [PATH]          \"path w\" (writable) or \"path r\"\n"
    "  attrs PATH...                        \"path notification [access-list]\"\n"
    "  inform [\"X <OUI> <NAME>\"]            a session now, with that vendor event\n"
    "  status                               ACS, last session, next periodic Inform, transfers, diagnostics\n"
    "  events                               events waiting for delivery\n"
    "  request-download FILETYPE [NAME=VALUE]...   ask the ACS for a file (RequestDownload)\n"
    "SOCKET: -s, else $CWMPCTL_SOCKET, else /run/cwmpd/cwmpctl.sock (cwmpd's control_socket).\n"
    "Exit status: 0 done, 1 usage, 2 no such path, 3 bad value, 4 not writable, 5 failed,\n"
    "6 permission denied (root or cwmpd's control_group only), 7 cwmpd not reachable.\n";

// Writes all of `data` (a short write is continued; an error ends it).
bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const char* env = std::getenv("CWMPCTL_SOCKET");
    std::string path = env != nullptr && *env != '\0' ? env : kDefaultSocket;
    cwmp::ctl::Request req;
    int i = 1;
    for (; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "-s" || a == "--socket") && i + 1 < argc) path = argv[++i];
        else if (a == "--json") req.json = true;
        else if (a == "-h" || a == "--help") {
            std::fputs(kUsage, stdout);
            return cwmp::ctl::kOk;
        } else break;
    }
    if (i == argc || argv[i][0] == '-') {
        std::fputs(kUsage, stderr);
        return cwmp::ctl::kUsage;
    }
    req.command = argv[i++];
    for (; i < argc; ++i) req.args.emplace_back(argv[i]);
    const std::string request = cwmp::ctl::encode_request(req);
    if (request.size() > cwmp::ctl::kMaxRequestBytes || req.args.size() + 2 > cwmp::ctl::kMaxFields) {
        std::fprintf(stderr, "cwmpctl: the command line is too long (at most %zu bytes, %zu words)\n",
                     cwmp::ctl::kMaxRequestBytes, cwmp::ctl::kMaxFields - 2);
        return cwmp::ctl::kUsage;
    }

    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (path.size() >= sizeof a.sun_path) {
        std::fprintf(stderr, "cwmpctl: socket path too long: %s\n", path.c_str());
        return cwmp::ctl::kUsage;
    }
    std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
        const int e = errno;
        std::fprintf(stderr, "cwmpctl: cannot reach cwmpd at %s: %s%s\n", path.c_str(), std::strerror(e),
                     e == ENOENT || e == ECONNREFUSED ? " (is cwmpd running, with control_socket set?)" : "");
        return e == EACCES ? cwmp::ctl::kDenied : cwmp::ctl::kUnreachable;
    }
    // A refused caller may be answered before its request is read: a failed
    // send still leaves the answer to read.
    (void)write_all(fd, request);
    ::shutdown(fd, SHUT_WR);
    std::string answer;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        answer.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    const auto r = cwmp::ctl::parse_response(answer);
    if (!r) {
        std::fprintf(stderr, "cwmpctl: no answer from cwmpd at %s (it stopped?)\n", path.c_str());
        return cwmp::ctl::kUnreachable;
    }
    std::fwrite(r->text.data(), 1, r->text.size(), r->status == cwmp::ctl::kOk ? stdout : stderr);
    return r->status;
}
