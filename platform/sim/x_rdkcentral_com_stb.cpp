// Device.X_RDKCENTRAL-COM_STB.: power (three hours on, one asleep), HDMI-CEC, A/V output, applications.
#include <cstdint>
#include <string>
#include <vector>

#include "board.h"
#include "cwmp/platform/x_rdkcentral_com_stb.h"

namespace cwmp::platform {

using model::X_RDKCENTRAL_COM_STB;
using model::X_RDKCENTRAL_COM_STB_Application;

namespace {

const std::string kSTB = "Device.X_RDKCENTRAL-COM_STB.";
const char* const kAppTemplate = "Device.X_RDKCENTRAL-COM_STB.Application.{i}.";

// The household watches for three hours, then the box sleeps for one.
constexpr std::uint32_t kCycle = 4 * 3600;
constexpr std::uint32_t kAwake = 3 * 3600;

struct App {
    const char* name;
    const char* version;
    const char* url;
    X_RDKCENTRAL_COM_STB_Application::StateValue state;  // while the box is on
    std::uint32_t started_at;                             // seconds after boot
    std::uint32_t restart_every;                          // 0: never restarted
    std::uint32_t memory;                                 // KiB
    std::uint32_t cpu;                                    // percent at peak
};
using AppState = X_RDKCENTRAL_COM_STB_Application::StateValue;
constexpr App kApps[] = {
    {"ResidentApp", "3.8.12", "file:///home/root/lxresui/index.html", AppState::Active, 12, 0, 148480, 9},
    // The watchdog restarts the YouTube runtime every six hours.
    {"Cobalt", "25.lts.30", "https://www.youtube.com/tv", AppState::Suspended, 40, 6 * 3600, 96256, 0},
    {"WeatherApp", "1.4.2", "https://apps.example.com/weather/index.html", AppState::Hibernated, 75, 0, 18432, 0},
};

// A triangle wave from 0 up to `amplitude` and back over `period` seconds.
std::uint32_t wave(std::uint32_t t, std::uint32_t period, std::uint32_t amplitude) {
    const std::uint32_t half = period / 2;
    const std::uint32_t phase = t % period;
    const std::uint64_t rise = phase < half ? phase : period - phase;
    return static_cast<std::uint32_t>(rise * amplitude / half);
}

bool asleep(const sim::SimBoard& b) { return b.uptime() % kCycle >= kAwake; }

}  // namespace

X_RDKCENTRAL_COM_STB read(Context& ctx, const Instance&, Tag<X_RDKCENTRAL_COM_STB>) {
    sim::SimBoard& b = sim::board(ctx);
    using Power = X_RDKCENTRAL_COM_STB::PowerStateValue;
    using Standby = X_RDKCENTRAL_COM_STB::PreferredStandbyModeValue;
    const Standby standby = b.setting(kSTB + "PreferredStandbyMode", Standby::LIGHT_SLEEP);
    const std::uint32_t phase = b.uptime() % kCycle;
    const std::uint32_t changed = b.uptime() - phase + (asleep(b) ? kAwake : 0);
    const bool cec = b.setting(kSTB + "HDMICECEnable", true);
    return {
        .AudioMute = b.setting(kSTB + "AudioMute", false),
        .AudioOutputMode = b.setting(kSTB + "AudioOutputMode", X_RDKCENTRAL_COM_STB::AudioOutputModeValue::AUTO),
        .AudioVolume = b.setting<std::uint32_t>(kSTB + "AudioVolume", 60),
        // The TV and the remote's CEC pass-through keep talking.
        .CECMessagesReceived = static_cast<std::uint32_t>(b.counter(1, 1) / 4),
        .CECMessagesSent = static_cast<std::uint32_t>(b.counter(1, 2) / 10),
        .FrontPanelBrightness = b.setting<std::uint32_t>(kSTB + "FrontPanelBrightness", asleep(b) ? 10 : 80),
        .HDMICECEnable = cec,
        .HDMICECOSDName = b.setting<std::string>(kSTB + "HDMICECOSDName", "Example STB"),
        .HDMICECPhysicalAddress = "1.0.0.0",
        .HDMICECVendorID = cec ? "00005E" : "",
        // Woken by the remote after its first sleep.
        .LastWakeupReason = b.uptime() < kCycle ? X_RDKCENTRAL_COM_STB::LastWakeupReasonValue::COLDBOOT
                                                : X_RDKCENTRAL_COM_STB::LastWakeupReasonValue::IR,
        .NetworkStandbyMode = b.setting(kSTB + "NetworkStandbyMode", true),
        .PowerState = !asleep(b) ? Power::ON : standby == Standby::DEEP_SLEEP ? Power::DEEP_SLEEP : Power::LIGHT_SLEEP,
        .PowerStateChangeTime = dm::DateTime{b.boot_time() + changed},
        .PreferredStandbyMode = standby,
        .SendCECStandby = false,  // a command: reads false
        .VideoResolution = b.setting(kSTB + "VideoResolution", X_RDKCENTRAL_COM_STB::VideoResolutionValue::_2160p50),
    };
}

Fault write(Context& ctx, const Instance&, const X_RDKCENTRAL_COM_STB::Changes& changes) {
    sim::SimBoard& b = sim::board(ctx);
    if (changes.AudioMute) b.store(kSTB + "AudioMute", *changes.AudioMute);
    if (changes.AudioOutputMode) b.store(kSTB + "AudioOutputMode", *changes.AudioOutputMode);
    if (changes.AudioVolume) b.store(kSTB + "AudioVolume", *changes.AudioVolume);
    if (changes.FrontPanelBrightness) b.store(kSTB + "FrontPanelBrightness", *changes.FrontPanelBrightness);
    if (changes.HDMICECEnable) b.store(kSTB + "HDMICECEnable", *changes.HDMICECEnable);
    if (changes.HDMICECOSDName) b.store(kSTB + "HDMICECOSDName", *changes.HDMICECOSDName);
    if (changes.NetworkStandbyMode) b.store(kSTB + "NetworkStandbyMode", *changes.NetworkStandbyMode);
    if (changes.PreferredStandbyMode) b.store(kSTB + "PreferredStandbyMode", *changes.PreferredStandbyMode);
    // SendCECStandby: the broadcast goes nowhere on the simulated HDMI port.
    if (changes.VideoResolution) b.store(kSTB + "VideoResolution", *changes.VideoResolution);
    return Fault::None;
}

std::vector<std::uint32_t> instances(Context&, const Instance&, Tag<X_RDKCENTRAL_COM_STB_Application>) {
    return sim::numbered(std::size(kApps));
}

X_RDKCENTRAL_COM_STB_Application read(Context& ctx, const Instance& in, Tag<X_RDKCENTRAL_COM_STB_Application>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const App& app = kApps[n - 1];
    const std::uint32_t restarts = app.restart_every == 0 ? 0 : b.uptime() / app.restart_every;
    const std::uint32_t started = restarts == 0 ? app.started_at : restarts * app.restart_every;
    // The UI is suspended while the box sleeps; only an active app uses the CPU.
    const AppState state = asleep(b) && app.state == AppState::Active ? AppState::Suspended : app.state;
    return {
        .Alias = b.setting<std::string>(sim::instance_path(kAppTemplate, in) + "Alias",
                                        "cpe-app-" + std::to_string(n)),
        .CPUUsage = state == AppState::Active ? 1 + wave(b.uptime() + 7 * n, 60, app.cpu) : 0,
        .MemoryUsed = app.memory + wave(b.uptime() + 13 * n, 180, app.memory / 16),
        .Name = app.name,
        .RestartCount = restarts,
        .StartTime = dm::DateTime{b.boot_time() + started},
        .State = state,
        .URL = app.url,
        .Version = app.version,
    };
}

Fault write(Context& ctx, const Instance& in, const X_RDKCENTRAL_COM_STB_Application::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kAppTemplate, in) + "Alias", *changes.Alias);
    return Fault::None;
}

}  // namespace cwmp::platform
