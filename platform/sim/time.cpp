// Device.Time.: NTP time, local time zone.
#include "board.h"
#include "cwmp/platform/time.h"

namespace cwmp::platform {

using model::Time;

Time read(Context& ctx, const Instance&, Tag<Time>) {
    sim::SimBoard& b = sim::board(ctx);
    const bool enabled = b.setting("Device.Time.Enable", true);
    const std::string zone = b.setting<std::string>("Device.Time.LocalTimeZone", "UTC0");
    return {
        .CurrentLocalTime = dm::DateTime{b.now()},
        .Enable = enabled,
        .LocalTimeZone = zone,
        // Synchronised once the box has been up for a minute.
        .Status = !enabled ? Time::StatusValue::Disabled
                  : b.uptime() < 60 ? Time::StatusValue::Unsynchronized
                                    : Time::StatusValue::Synchronized,
    };
}

Fault write(Context& ctx, const Instance&, const Time::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.Enable) b.store("Device.Time.Enable", *changes.Enable);
    if (changes.LocalTimeZone) b.store("Device.Time.LocalTimeZone", *changes.LocalTimeZone);
    return Fault::None;
}

}  // namespace cwmp::platform
