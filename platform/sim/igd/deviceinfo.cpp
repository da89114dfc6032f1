// InternetGatewayDevice.DeviceInfo.: the simulated gateway's identity, uptime and memory.
#include <cstdint>
#include <string>

#include "board.h"
#include "cwmp/platform/deviceinfo.h"

namespace cwmp::platform {

using model::DeviceInfo;
using model::DeviceInfo_MemoryStatus;

namespace {

constexpr std::uint32_t kMemTotal = 262144;  // KiB of RAM

// Free RAM breathes by 16 MiB over five minutes (a triangle wave).
std::uint32_t free_memory(const sim::SimBoard& b) {
    constexpr std::uint32_t kPeriod = 300, kHalf = kPeriod / 2, kSwing = 16384;
    const std::uint32_t phase = b.uptime() % kPeriod;
    const std::uint32_t rise = phase < kHalf ? phase : kPeriod - phase;
    return 98304 + rise * kSwing / kHalf;
}

}  // namespace

DeviceInfo read(Context& ctx, const Instance&, Tag<DeviceInfo>) {
    return {
        .Description = "Simulated home gateway (TR-098 InternetGatewayDevice)",
        .HardwareVersion = "HG-2",
        .Manufacturer = "Example Gateways",
        .ManufacturerOUI = "00D0B7",
        .ModelName = "HG2400",
        .ProductClass = "HG2400",
        .SerialNumber = "HGW24A0019C2",
        .SoftwareVersion = "3.8.12",
        .UpTime = sim::board(ctx).uptime(),
    };
}

DeviceInfo_MemoryStatus read(Context& ctx, const Instance&, Tag<DeviceInfo_MemoryStatus>) {
    return {.Free = free_memory(sim::board(ctx)), .Total = kMemTotal};
}

}  // namespace cwmp::platform
