#include "cwmp/connreq/address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <curl/curl.h>

#include "cwmp/util/resolve.h"

namespace cwmp::connreq {

Socket listen_on(const std::string& address, std::uint16_t port, int type, std::uint16_t& bound) {
    sockaddr_storage ss{};
    socklen_t len = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
    const std::string where = host_port(address, port);
    if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        len = sizeof *v4;
    } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        len = sizeof *v6;
    } else {
        throw std::runtime_error("not an IP address: " + address);
    }
    Socket s(::socket(ss.ss_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (s.get() < 0) throw std::runtime_error("socket for " + where + ": " + std::strerror(errno));
    const int one = 1, zero = 0;
    ::setsockopt(s.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    // "::" takes IPv4 too, whatever the system's bindv6only says.
    if (ss.ss_family == AF_INET6) ::setsockopt(s.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (::bind(s.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
        (type == SOCK_STREAM && ::listen(s.get(), 16) != 0))
        throw std::runtime_error("cannot listen on " + where + ": " + std::strerror(errno));
    len = sizeof ss;
    ::getsockname(s.get(), reinterpret_cast<sockaddr*>(&ss), &len);
    bound = address_port(ss);
    return s;
}

std::string address_text(const sockaddr_storage& a) {
    char ip[INET6_ADDRSTRLEN] = "?";
    if (a.ss_family == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, ip, sizeof ip);
    } else if (a.ss_family == AF_INET6) {
        const in6_addr& v6 = reinterpret_cast<const sockaddr_in6&>(a).sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&v6))
            ::inet_ntop(AF_INET, &v6.s6_addr[12], ip, sizeof ip);
        else
            ::inet_ntop(AF_INET6, &v6, ip, sizeof ip);
    }
    return ip;
}

std::uint16_t address_port(const sockaddr_storage& a) {
    if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
    if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
    return 0;
}

std::string url_host(const std::string& url, std::string* port) {
    std::string host;
    if (port != nullptr) *port = url.starts_with("https") ? "443" : "80";
    if (CURLU* u = curl_url()) {
        char* h = nullptr;
        char* p = nullptr;
        if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
            if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) host = h;
            if (port != nullptr && curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK) *port = p;
        }
        curl_free(h);
        curl_free(p);
        curl_url_cleanup(u);
    }
    // curl keeps an IPv6 literal's brackets.
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return host;
}

std::string local_address_towards(const std::string& url) {
    std::string port;
    const std::string host = url_host(url, &port);
    if (host.empty()) return "";
    std::string local;
    for (const util::SocketAddress& a : util::resolve(host, port, AF_UNSPEC, SOCK_DGRAM).addresses) {
        Socket s(::socket(a.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0));
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        if (s.get() >= 0 && ::connect(s.get(), a.get(), a.len) == 0 &&
            ::getsockname(s.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0)
            local = address_text(addr);
        if (!local.empty()) break;
    }
    return local == "?" ? "" : local;
}

std::string host_port(const std::string& host, std::uint16_t port) {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string http_url(const std::string& host, std::uint16_t port, const std::string& path) {
    return "http://" + host_port(host, port) + (path.starts_with('/') ? path : "/" + path);
}

}  // namespace cwmp::connreq
