// An interface's IP-layer byte counters (the kernel's rx_bytes / tx_bytes of
// the device, what TR-181's Stats.BytesReceived / BytesSent show), for the
// Download/Upload diagnostics' Total* results: sampled at BOM and EOM.
#pragma once

#include <cstdint>
#include <string>

#include "net.h"

namespace cwmp::diag {

struct ByteCounts {
    std::uint64_t rx = 0, tx = 0;
};

class InterfaceCounters {
public:
    // The device's counters; none (all samples 0) for "" or a device without them.
    void open(const std::string& device);
    bool is_open() const noexcept { return static_cast<bool>(rx_); }
    // The files stay open: a sample is two preads, cheap enough after every read.
    ByteCounts sample() const;

private:
    util::Fd rx_, tx_;
};

// The device that holds local `address` (the route's choice when no Interface
// is set), "" when none does.
std::string device_of_address(const std::string& address);

}  // namespace cwmp::diag
