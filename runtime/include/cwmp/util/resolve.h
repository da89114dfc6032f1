// Name lookup (getaddrinfo) whose result is owned: the addresses are copied
// out, so no caller frees a C list by hand.
#pragma once

#include <sys/socket.h>

#include <string>
#include <vector>

namespace cwmp::util {

struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t len = 0;

    int family() const noexcept { return storage.ss_family; }
    const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
};

struct Lookup {
    std::vector<SocketAddress> addresses;  // in getaddrinfo's order
    std::string error;                     // gai_strerror's text when none was found
};

// `service` may be empty (port 0).  `family` AF_UNSPEC, AF_INET or AF_INET6;
// `socktype` SOCK_DGRAM or SOCK_STREAM; `flags` as ai_flags.  A blocking call.
Lookup resolve(const std::string& host, const std::string& service, int family, int socktype, int flags = 0);

}  // namespace cwmp::util
