#include "counters.h"

#include <fcntl.h>
#include <ifaddrs.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace cwmp::diag {
namespace {

std::uint64_t read_at_start(const util::Fd& fd) {
    if (!fd) return 0;
    char buf[32];
    const ssize_t n = ::pread(fd.get(), buf, sizeof buf - 1, 0);  // sysfs renders the value anew at offset 0
    if (n <= 0) return 0;
    buf[n] = '\0';
    return std::strtoull(buf, nullptr, 10);
}

}  // namespace

void InterfaceCounters::open(const std::string& device) {
    // A device name cannot hold '/': nothing outside the device's folder is read.
    if (device.empty() || device.find('/') != std::string::npos || device == "." || device == "..") return;
    const std::string dir = "/sys/class/net/" + device + "/statistics/";
    rx_ = util::Fd(::open((dir + "rx_bytes").c_str(), O_RDONLY | O_CLOEXEC));
    tx_ = util::Fd(::open((dir + "tx_bytes").c_str(), O_RDONLY | O_CLOEXEC));
}

ByteCounts InterfaceCounters::sample() const { return {read_at_start(rx_), read_at_start(tx_)}; }

std::string device_of_address(const std::string& address) {
    ifaddrs* list = nullptr;
    if (address.empty() || ::getifaddrs(&list) != 0) return {};
    std::string out;
    for (ifaddrs* i = list; i != nullptr && out.empty(); i = i->ifa_next) {
        if (i->ifa_addr == nullptr || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
            continue;
        net::Address a;
        std::memcpy(&a.addr, i->ifa_addr, i->ifa_addr->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
        if (a.text() == address) out = i->ifa_name;
    }
    ::freeifaddrs(list);
    return out;
}

}  // namespace cwmp::diag
