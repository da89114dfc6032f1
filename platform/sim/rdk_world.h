// The RDK set-top box's day as the simulated world has it, apart from any
// data model: three hours watched, then an hour asleep; the TV's HDMI-CEC
// chatter; and the applications the box runs, restarted by the watchdog,
// with the CPU and memory each takes.
#pragma once

#include <cstdint>

#include "board.h"

namespace cwmp::sim::rdk {

// --- Power ---------------------------------------------------------------------------

// The household watches for three hours, then the box sleeps for one.
constexpr std::uint32_t kCycle = 4 * 3600;
constexpr std::uint32_t kAwake = 3 * 3600;
bool asleep(const SimBoard& b);
enum class Power { On, LightSleep, DeepSleep };
// On while awake; asleep, the standby the ACS prefers.
Power power_state(const SimBoard& b, bool deep_standby);
// When the box last fell asleep or woke (Unix seconds).
std::int64_t power_changed_at(const SimBoard& b);
// A cold boot until its first sleep; woken by the remote since.
bool woken_by_remote(const SimBoard& b);
// The front panel dims while the box sleeps (until the ACS sets it).
std::uint32_t front_panel_brightness(const SimBoard& b);

// The TV and the remote's CEC pass-through keep talking.
std::uint32_t cec_received(const SimBoard& b);
std::uint32_t cec_sent(const SimBoard& b);

// --- Applications --------------------------------------------------------------------

enum class AppState { Active, Suspended, Hibernated };
struct App {
    const char* name;
    const char* version;
    const char* url;
    AppState state;               // while the box is on
    std::uint32_t started_at;     // seconds after boot
    std::uint32_t restart_every;  // 0: never restarted
    std::uint32_t memory;         // KiB
    std::uint32_t cpu;            // percent at peak
};
constexpr std::uint32_t kApps = 3;
// Application `n` (1..kApps; std::out_of_range otherwise).
const App& app(std::uint32_t n);

// How application `n` runs now.
struct AppStatus {
    AppState state;          // the UI is suspended while the box sleeps
    std::uint32_t restarts;  // by the watchdog
    std::int64_t started;    // Unix seconds of the last start
    std::uint32_t cpu;       // percent; only an active app uses the CPU
    std::uint32_t memory;    // KiB, breathing a little
};
AppStatus app_status(const SimBoard& b, std::uint32_t n);

}  // namespace cwmp::sim::rdk
