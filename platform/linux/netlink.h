// The kernel's interface and address tables over rtnetlink (libmnl), and the
// socket on which the kernel announces their changes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct mnl_socket;
struct nlmsghdr;

namespace cwmp::linux_board {

struct LinkStats {
    std::uint64_t rx_packets = 0, tx_packets = 0, rx_bytes = 0, tx_bytes = 0;
    std::uint64_t rx_errors = 0, tx_errors = 0, rx_dropped = 0, tx_dropped = 0, multicast = 0;
};

struct Link {
    std::uint32_t index = 0;
    std::string name;
    std::uint16_t type = 0;    // ARPHRD_*
    std::uint32_t flags = 0;   // IFF_*
    std::uint8_t operstate = 0;  // IF_OPER_*
    std::uint32_t mtu = 0;
    std::string mac;           // "aa:bb:cc:dd:ee:ff" or "" without a hardware address
    std::optional<LinkStats> stats;
};

struct Address {
    std::uint32_t index = 0;  // the interface's
    int family = 0;           // AF_INET / AF_INET6
    std::uint8_t prefix_length = 0;
    std::string address;      // text form
    std::uint32_t flags = 0;  // IFA_F_* (IFA_FLAGS when present)
    std::uint32_t preferred = UINT32_MAX;  // seconds left, UINT32_MAX = forever
    std::uint32_t valid = UINT32_MAX;
};

// One message of a dump or an announcement; nothing when it is not a link
// (address) message or is malformed.  Bounded by the message's own length.
std::optional<Link> parse_link(const nlmsghdr* msg);
std::optional<Address> parse_address(const nlmsghdr* msg);

// A route netlink socket for requests (dumps, one link, setting a link up).
class Netlink {
public:
    Netlink();  // throws std::runtime_error naming the cause
    ~Netlink();
    Netlink(const Netlink&) = delete;
    Netlink& operator=(const Netlink&) = delete;

    std::vector<Link> links();
    std::optional<Link> link(std::uint32_t index);  // nothing when it is gone
    std::vector<Address> addresses();
    // IFF_UP on or off; returns 0 or the kernel's errno.
    int set_up(std::uint32_t index, bool up);

private:
    // Sends `req` and feeds every answer to `each` until the dump ends;
    // returns 0 or an errno.
    template <class F>
    int exchange(nlmsghdr* req, F&& each);
    mnl_socket* sock_;
    std::uint32_t port_;
    std::uint32_t seq_ = 1;
    std::vector<char> buf_;
};

// The kernel's announcements of link and address changes (RTMGRP_LINK,
// RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR), non-blocking.
class Monitor {
public:
    Monitor();  // throws std::runtime_error
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;
    int fd() const;
    // Reads what is waiting; true when a link or address message was among it
    // (or the socket overflowed, so something may have been missed).
    bool drain();

private:
    mnl_socket* sock_;
    std::vector<char> buf_;
};

// The messages in a buffer received from netlink, for tests and the monitor:
// calls f(const nlmsghdr*) for each well-formed one.
void each_message(std::span<const char> data, const std::function<void(const nlmsghdr*)>& f);

}  // namespace cwmp::linux_board
