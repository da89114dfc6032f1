// InternetGatewayDevice.DeviceInfo.: the simulated gateway's identity, uptime and memory.
// Its memory is the world's (gateway_world.h); this file only translates it.
#include <cstdint>
#include <string>

#include "board.h"
#include "gateway_world.h"
#include "cwmp/platform/deviceinfo.h"

namespace cwmp::platform {

using model::DeviceInfo;
using model::DeviceInfo_MemoryStatus;

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
    return {.Free = sim::gateway::free_memory(sim::board(ctx)), .Total = sim::gateway::kMemTotal};
}

}  // namespace cwmp::platform
