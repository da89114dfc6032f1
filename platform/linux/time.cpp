// Device.Time.: the kernel's clock, whether it is synchronised (adjtimex), and
// the zone of /etc/localtime as its POSIX TZ string.
#include <sys/timex.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/platform/time.h"

namespace cwmp::platform {

namespace {

// The kernel's view: TIME_ERROR while no daemon has disciplined the clock.
template <class S>
S clock_status() {
    timex tx{};
    const int state = ::adjtimex(&tx);  // modes 0: reads only
    return state < 0 ? S::Error : state == TIME_ERROR ? S::Unsynchronized : S::Synchronized;
}

// The host's NTP client configuration: timesyncd's files (drop-ins after the
// main file, in name order), else chrony's; nothing when neither is there.
std::optional<std::vector<std::string>> ntp_servers(const linux_board::Roots& r) {
    const std::string main = r.etc + "/systemd/timesyncd.conf";
    if (auto text = linux_board::try_read_file(main, 1 << 20)) {
        std::string all = *text;
        for (const std::string& f : linux_board::list_dir(r.etc + "/systemd/timesyncd.conf.d"))
            if (f.ends_with(".conf")) all += "\n[Time]\n" + linux_board::try_read_file(r.etc + "/systemd/timesyncd.conf.d/" + f, 1 << 20).value_or("");
        return linux_board::parse_timesyncd_conf(all);
    }
    for (const char* file : {"/chrony/chrony.conf", "/chrony.conf"})
        if (auto text = linux_board::try_read_file(r.etc + file, 1 << 20)) return linux_board::parse_chrony_conf(*text);
    return std::nullopt;
}

}  // namespace

model::Time read(Context& ctx, const Instance&, Tag<model::Time>) {
    linux_board::LinuxBoard& b = linux_board::board(ctx);
    const auto status = clock_status<model::Time::StatusValue>();
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

std::vector<std::uint32_t> instances(Context& ctx, const Instance&, Tag<model::Time_Client>) {
    return ntp_servers(linux_board::board(ctx).roots()) ? std::vector<std::uint32_t>{1} : std::vector<std::uint32_t>{};
}

model::Time_Client read(Context& ctx, const Instance&, Tag<model::Time_Client>) {
    auto servers = ntp_servers(linux_board::board(ctx).roots());
    return {.Servers = servers.value_or(std::vector<std::string>{}),
            .Status = clock_status<model::Time_Client::StatusValue>()};
}

}  // namespace cwmp::platform
