// Device.Time.: the kernel's clock, whether it is synchronised (adjtimex), and
// the zone of /etc/localtime as its POSIX TZ string.
#include <sys/timex.h>

#include <chrono>

#include "board.h"
#include "cwmp/platform/time.h"

namespace cwmp::platform {

model::Time read(Context& ctx, const Instance&, Tag<model::Time>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    timex tx{};
    const int state = ::adjtimex(&tx);  // modes 0: reads only
    using S = model::Time::StatusValue;
    const S status = state < 0 ? S::Error : state == TIME_ERROR ? S::Unsynchronized : S::Synchronized;
    // Without /etc/localtime the C library keeps UTC.
    const std::string zone_file = b.roots().etc + "/localtime";
    std::string zone = "UTC0";
    if (auto data = linux_board::try_read_file(zone_file, 1 << 20)) {
        auto footer = linux_board::tzif_footer(*data);
        if (!footer) b.fail(zone_file, "not a TZif file of version 2 or later");
        zone = *footer;
    }
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return {
        .CurrentLocalTime = dm::DateTime{std::chrono::duration_cast<std::chrono::seconds>(now).count()},
        .LocalTimeZone = zone,
        .Status = status,
    };
}

}  // namespace cwmp::platform
