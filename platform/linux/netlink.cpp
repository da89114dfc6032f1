#include "netlink.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace cwmp::linux_board {

namespace {

std::string mac_text(const void* data, std::size_t len) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    const auto* b = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < len && i < 32; ++i) {
        if (i) out.push_back(':');
        out.push_back(hex[b[i] >> 4]);
        out.push_back(hex[b[i] & 15]);
    }
    return out;
}

// libmnl's mnl_attr_for_each, without its C casts.
const nlattr* first_attr(const nlmsghdr* nlh, std::size_t header) {
    return static_cast<const nlattr*>(mnl_nlmsg_get_payload_offset(nlh, header));
}
bool attr_ok(const nlmsghdr* nlh, const nlattr* a) {
    // Signed arithmetic on what is left: libmnl's own check compares an int
    // with a size_t, which lets a negative rest through.
    const char* end = reinterpret_cast<const char*>(nlh) + nlh->nlmsg_len;
    const std::ptrdiff_t left = end - reinterpret_cast<const char*>(a);
    return left >= static_cast<std::ptrdiff_t>(sizeof(nlattr)) && a->nla_len >= sizeof(nlattr) &&
           static_cast<std::ptrdiff_t>(a->nla_len) <= left;
}

constexpr std::size_t kRequest = 1024;   // one request message
constexpr std::size_t kReceive = 65536;  // one datagram of answers

mnl_socket* open_socket(unsigned groups) {
    mnl_socket* s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | (groups ? SOCK_NONBLOCK : 0));
    if (s == nullptr) throw std::runtime_error(std::string("netlink socket: ") + std::strerror(errno));
    if (mnl_socket_bind(s, groups, MNL_SOCKET_AUTOPID) < 0) {
        const int e = errno;
        mnl_socket_close(s);
        throw std::runtime_error(std::string("netlink bind: ") + std::strerror(e));
    }
    return s;
}

}  // namespace

void each_message(std::span<const char> data, const std::function<void(const nlmsghdr*)>& f) {
    // By hand: libmnl's mnl_nlmsg_ok takes a length over 2^31 for a negative one.
    std::size_t at = 0;
    while (data.size() - at >= sizeof(nlmsghdr)) {
        const auto* nlh = reinterpret_cast<const nlmsghdr*>(data.data() + at);
        const std::size_t len = nlh->nlmsg_len;
        if (len < sizeof(nlmsghdr) || len > data.size() - at) break;
        f(nlh);
        at += MNL_ALIGN(len);
        if (at > data.size()) break;
    }
}

std::optional<Link> parse_link(const nlmsghdr* nlh) {
    if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) ||
        nlh->nlmsg_len < mnl_nlmsg_size(sizeof(ifinfomsg)))
        return std::nullopt;
    const auto* ifi = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
    Link l;
    l.index = static_cast<std::uint32_t>(ifi->ifi_index);
    l.type = ifi->ifi_type;
    l.flags = ifi->ifi_flags;
    for (const nlattr* a = first_attr(nlh, sizeof(ifinfomsg)); attr_ok(nlh, a); a = mnl_attr_next(a)) {
        const std::uint16_t len = mnl_attr_get_payload_len(a);
        const void* p = mnl_attr_get_payload(a);
        switch (mnl_attr_get_type(a)) {
        case IFLA_IFNAME:
            if (len > 0) l.name.assign(static_cast<const char*>(p), strnlen(static_cast<const char*>(p), len));
            break;
        case IFLA_MTU:
            if (len >= 4) l.mtu = mnl_attr_get_u32(a);
            break;
        case IFLA_OPERSTATE:
            if (len >= 1) l.operstate = mnl_attr_get_u8(a);
            break;
        case IFLA_ADDRESS:
            l.mac = mac_text(p, len);
            break;
        case IFLA_STATS64:
            if (len >= sizeof(rtnl_link_stats64)) {
                rtnl_link_stats64 s;
                std::memcpy(&s, p, sizeof s);
                l.stats = LinkStats{s.rx_packets, s.tx_packets, s.rx_bytes,  s.tx_bytes, s.rx_errors,
                                    s.tx_errors,  s.rx_dropped, s.tx_dropped, s.multicast};
            }
            break;
        default:
            break;
        }
    }
    if (l.index == 0 || l.name.empty()) return std::nullopt;
    return l;
}

std::optional<Address> parse_address(const nlmsghdr* nlh) {
    if ((nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR) ||
        nlh->nlmsg_len < mnl_nlmsg_size(sizeof(ifaddrmsg)))
        return std::nullopt;
    const auto* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(nlh));
    if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) return std::nullopt;
    Address out;
    out.index = ifa->ifa_index;
    out.family = ifa->ifa_family;
    out.prefix_length = ifa->ifa_prefixlen;
    out.flags = ifa->ifa_flags;
    const std::size_t want = ifa->ifa_family == AF_INET ? 4 : 16;
    const void* local = nullptr;
    const void* address = nullptr;
    for (const nlattr* a = first_attr(nlh, sizeof(ifaddrmsg)); attr_ok(nlh, a); a = mnl_attr_next(a)) {
        const std::uint16_t len = mnl_attr_get_payload_len(a);
        switch (mnl_attr_get_type(a)) {
        case IFA_LOCAL:
            if (len == want) local = mnl_attr_get_payload(a);
            break;
        case IFA_ADDRESS:
            if (len == want) address = mnl_attr_get_payload(a);
            break;
        case IFA_FLAGS:
            if (len >= 4) out.flags = mnl_attr_get_u32(a);
            break;
        case IFA_CACHEINFO:
            if (len >= sizeof(ifa_cacheinfo)) {
                ifa_cacheinfo ci;
                std::memcpy(&ci, mnl_attr_get_payload(a), sizeof ci);
                out.preferred = ci.ifa_prefered;
                out.valid = ci.ifa_valid;
            }
            break;
        default:
            break;
        }
    }
    // On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is ours.
    const void* ours = local != nullptr ? local : address;
    if (ours == nullptr || out.index == 0) return std::nullopt;
    char text[INET6_ADDRSTRLEN];
    if (inet_ntop(out.family, ours, text, sizeof text) == nullptr) return std::nullopt;
    out.address = text;
    return out;
}

Netlink::Netlink() : sock_(open_socket(0)), port_(mnl_socket_get_portid(sock_)), buf_(kReceive) {}

Netlink::~Netlink() { mnl_socket_close(sock_); }

template <class F>
int Netlink::exchange(nlmsghdr* req, F&& each) {
    req->nlmsg_seq = ++seq_;
    if (mnl_socket_sendto(sock_, req, req->nlmsg_len) < 0) return errno;
    struct State {
        F* each;
    } state{&each};
    for (;;) {
        const ssize_t n = mnl_socket_recvfrom(sock_, buf_.data(), buf_.size());
        if (n < 0) return errno;
        const int r = mnl_cb_run(
            buf_.data(), static_cast<std::size_t>(n), req->nlmsg_seq, port_,
            [](const nlmsghdr* nlh, void* data) -> int {
                (*static_cast<State*>(data)->each)(nlh);
                return MNL_CB_OK;
            },
            &state);
        if (r == MNL_CB_STOP) return 0;
        if (r < 0) return errno;
        if (!(req->nlmsg_flags & NLM_F_DUMP)) return 0;  // an acknowledged request ends at its ACK
    }
}

std::vector<Link> Netlink::links() {
    char buf[kRequest] = {};
    nlmsghdr* req = mnl_nlmsg_put_header(buf);
    req->nlmsg_type = RTM_GETLINK;
    req->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(req, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
    std::vector<Link> out;
    const int e = exchange(req, [&](const nlmsghdr* m) {
        if (auto l = parse_link(m)) out.push_back(std::move(*l));
    });
    if (e != 0) throw std::runtime_error(std::string("netlink link dump: ") + std::strerror(e));
    return out;
}

std::optional<Link> Netlink::link(std::uint32_t index) {
    char buf[kRequest] = {};
    nlmsghdr* req = mnl_nlmsg_put_header(buf);
    req->nlmsg_type = RTM_GETLINK;
    req->nlmsg_flags = NLM_F_REQUEST;
    auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(req, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = static_cast<int>(index);
    std::optional<Link> out;
    const int e = exchange(req, [&](const nlmsghdr* m) {
        if (auto l = parse_link(m)) out = std::move(l);
    });
    if (e == ENODEV) return std::nullopt;
    if (e != 0) throw std::runtime_error(std::string("netlink link ") + std::to_string(index) + ": " + std::strerror(e));
    return out;
}

std::vector<Address> Netlink::addresses() {
    char buf[kRequest] = {};
    nlmsghdr* req = mnl_nlmsg_put_header(buf);
    req->nlmsg_type = RTM_GETADDR;
    req->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(req, sizeof(ifaddrmsg)));
    ifa->ifa_family = AF_UNSPEC;
    std::vector<Address> out;
    const int e = exchange(req, [&](const nlmsghdr* m) {
        if (auto a = parse_address(m)) out.push_back(std::move(*a));
    });
    if (e != 0) throw std::runtime_error(std::string("netlink address dump: ") + std::strerror(e));
    return out;
}

int Netlink::set_up(std::uint32_t index, bool up) {
    char buf[kRequest] = {};
    nlmsghdr* req = mnl_nlmsg_put_header(buf);
    req->nlmsg_type = RTM_NEWLINK;
    req->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(req, sizeof(ifinfomsg)));
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = static_cast<int>(index);
    ifi->ifi_change = IFF_UP;
    ifi->ifi_flags = up ? IFF_UP : 0;
    return exchange(req, [](const nlmsghdr*) {});
}

Monitor::Monitor()
    : sock_(open_socket(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR)), buf_(kReceive) {}

Monitor::~Monitor() { mnl_socket_close(sock_); }

int Monitor::fd() const { return mnl_socket_get_fd(sock_); }

bool Monitor::drain() {
    bool changed = false;
    for (int i = 0; i < 64; ++i) {  // bounded: the rest waits for the next poll
        const ssize_t n = mnl_socket_recvfrom(sock_, buf_.data(), buf_.size());
        if (n < 0) {
            if (errno == ENOBUFS) changed = true;  // overflowed: something was missed
            if (errno == EINTR || errno == ENOBUFS) continue;
            break;  // EAGAIN: nothing more
        }
        each_message(std::span<const char>(buf_.data(), static_cast<std::size_t>(n)), [&](const nlmsghdr* m) {
            switch (m->nlmsg_type) {
            case RTM_NEWLINK: case RTM_DELLINK: case RTM_NEWADDR: case RTM_DELADDR:
                changed = true;
                break;
            default:
                break;
            }
        });
    }
    return changed;
}

}  // namespace cwmp::linux_board
