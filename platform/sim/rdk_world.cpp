#include "rdk_world.h"

#include <iterator>
#include <stdexcept>
#include <string>

namespace cwmp::sim::rdk {

namespace {

constexpr App kAppTable[] = {
    {"ResidentApp", "3.8.12", "file:///home/root/lxresui/index.html", AppState::Active, 12, 0, 148480, 9},
    // The watchdog restarts the YouTube runtime every six hours.
    {"Cobalt", "25.lts.30", "https://www.youtube.com/tv", AppState::Suspended, 40, 6 * 3600, 96256, 0},
    {"WeatherApp", "1.4.2", "https://apps.example.com/weather/index.html", AppState::Hibernated, 75, 0, 18432, 0},
};
static_assert(std::size(kAppTable) == kApps);

}  // namespace

// --- Power ---------------------------------------------------------------------------

bool asleep(const SimBoard& b) { return b.uptime() % kCycle >= kAwake; }

Power power_state(const SimBoard& b, bool deep_standby) {
    return !asleep(b) ? Power::On : deep_standby ? Power::DeepSleep : Power::LightSleep;
}

std::int64_t power_changed_at(const SimBoard& b) {
    const std::uint32_t phase = b.uptime() % kCycle;
    const std::uint32_t changed = b.uptime() - phase + (asleep(b) ? kAwake : 0);
    return b.boot_time() + changed;
}

bool woken_by_remote(const SimBoard& b) { return b.uptime() >= kCycle; }

std::uint32_t front_panel_brightness(const SimBoard& b) { return asleep(b) ? 10 : 80; }

std::uint32_t cec_received(const SimBoard& b) { return static_cast<std::uint32_t>(b.counter(1, 1) / 4); }

std::uint32_t cec_sent(const SimBoard& b) { return static_cast<std::uint32_t>(b.counter(1, 2) / 10); }

// --- Applications --------------------------------------------------------------------

const App& app(std::uint32_t n) {
    if (n < 1 || n > kApps) throw std::out_of_range("no application " + std::to_string(n));
    return kAppTable[n - 1];
}

AppStatus app_status(const SimBoard& b, std::uint32_t n) {
    const App& a = app(n);
    const std::uint32_t restarts = a.restart_every == 0 ? 0 : b.uptime() / a.restart_every;
    const std::uint32_t started = restarts == 0 ? a.started_at : restarts * a.restart_every;
    const AppState state = asleep(b) && a.state == AppState::Active ? AppState::Suspended : a.state;
    return {
        .state = state,
        .restarts = restarts,
        .started = b.boot_time() + started,
        .cpu = state == AppState::Active ? 1 + wave(b.uptime() + 7 * n, 60, a.cpu) : 0,
        .memory = a.memory + wave(b.uptime() + 13 * n, 180, a.memory / 16),
    };
}

}  // namespace cwmp::sim::rdk
