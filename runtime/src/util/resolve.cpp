#include "cwmp/util/resolve.h"

#include <netdb.h>

#include <cstring>
#include <memory>

namespace cwmp::util {
namespace {

struct AddrinfoFree {
    void operator()(addrinfo* a) const noexcept { ::freeaddrinfo(a); }
};

}  // namespace

Lookup resolve(const std::string& host, const std::string& service, int family, int socktype, int flags) {
    Lookup out;
    if (host.empty()) {
        out.error = "no host name";
        return out;
    }
    addrinfo hints{};
    hints.ai_family = family;
    hints.ai_socktype = socktype;
    hints.ai_flags = flags;
    addrinfo* found = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), service.empty() ? nullptr : service.c_str(), &hints, &found);
    const std::unique_ptr<addrinfo, AddrinfoFree> list(found);
    if (rc != 0) {
        out.error = ::gai_strerror(rc);
        return out;
    }
    for (const addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof(sockaddr_storage)) continue;
        SocketAddress a;
        std::memcpy(&a.storage, ai->ai_addr, ai->ai_addrlen);
        a.len = ai->ai_addrlen;
        out.addresses.push_back(a);
    }
    if (out.addresses.empty()) out.error = "no address";
    return out;
}

}  // namespace cwmp::util
