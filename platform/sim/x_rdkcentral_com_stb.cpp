// Device.X_RDKCENTRAL-COM_STB.: power (three hours on, one asleep), HDMI-CEC, A/V output, applications.
// The box's day is the world's (rdk_world.h); this file only translates it.
#include <cstdint>
#include <string>
#include <vector>

#include "board.h"
#include "rdk_world.h"
#include "cwmp/platform/x_rdkcentral_com_stb.h"

namespace cwmp::platform {

using model::X_RDKCENTRAL_COM_STB;
using model::X_RDKCENTRAL_COM_STB_Application;

namespace {

const std::string kSTB = "Device.X_RDKCENTRAL-COM_STB.";
const char* const kAppTemplate = "Device.X_RDKCENTRAL-COM_STB.Application.{i}.";

namespace world = sim::rdk;

X_RDKCENTRAL_COM_STB::PowerStateValue power_of(world::Power p) {
    using P = X_RDKCENTRAL_COM_STB::PowerStateValue;
    switch (p) {
        case world::Power::On: return P::ON;
        case world::Power::LightSleep: return P::LIGHT_SLEEP;
        case world::Power::DeepSleep: break;
    }
    return P::DEEP_SLEEP;
}

X_RDKCENTRAL_COM_STB_Application::StateValue state_of(world::AppState s) {
    using S = X_RDKCENTRAL_COM_STB_Application::StateValue;
    switch (s) {
        case world::AppState::Active: return S::Active;
        case world::AppState::Suspended: return S::Suspended;
        case world::AppState::Hibernated: break;
    }
    return S::Hibernated;
}

}  // namespace

X_RDKCENTRAL_COM_STB read(Context& ctx, const Instance&, Tag<X_RDKCENTRAL_COM_STB>) {
    sim::SimBoard& b = sim::board(ctx);
    using Standby = X_RDKCENTRAL_COM_STB::PreferredStandbyModeValue;
    const Standby standby = b.setting(kSTB + "PreferredStandbyMode", Standby::LIGHT_SLEEP);
    const bool cec = b.setting(kSTB + "HDMICECEnable", true);
    return {
        .AudioMute = b.setting(kSTB + "AudioMute", false),
        .AudioOutputMode = b.setting(kSTB + "AudioOutputMode", X_RDKCENTRAL_COM_STB::AudioOutputModeValue::AUTO),
        .AudioVolume = b.setting<std::uint32_t>(kSTB + "AudioVolume", 60),
        .CECMessagesReceived = world::cec_received(b),
        .CECMessagesSent = world::cec_sent(b),
        .FrontPanelBrightness = b.setting(kSTB + "FrontPanelBrightness", world::front_panel_brightness(b)),
        .HDMICECEnable = cec,
        .HDMICECOSDName = b.setting<std::string>(kSTB + "HDMICECOSDName", "Example STB"),
        .HDMICECPhysicalAddress = "1.0.0.0",
        .HDMICECVendorID = cec ? "00005E" : "",
        .LastWakeupReason = world::woken_by_remote(b) ? X_RDKCENTRAL_COM_STB::LastWakeupReasonValue::IR
                                                      : X_RDKCENTRAL_COM_STB::LastWakeupReasonValue::COLDBOOT,
        .NetworkStandbyMode = b.setting(kSTB + "NetworkStandbyMode", true),
        .PowerState = power_of(world::power_state(b, standby == Standby::DEEP_SLEEP)),
        .PowerStateChangeTime = dm::DateTime{world::power_changed_at(b)},
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
    return sim::numbered(world::kApps);
}

X_RDKCENTRAL_COM_STB_Application read(Context& ctx, const Instance& in, Tag<X_RDKCENTRAL_COM_STB_Application>) {
    sim::SimBoard& b = sim::board(ctx);
    const std::uint32_t n = sim::last(in);
    const world::App& app = world::app(n);
    const world::AppStatus status = world::app_status(b, n);
    return {
        .Alias = b.setting<std::string>(sim::instance_path(kAppTemplate, in) + "Alias",
                                        "cpe-app-" + std::to_string(n)),
        .CPUUsage = status.cpu,
        .MemoryUsed = status.memory,
        .Name = app.name,
        .RestartCount = status.restarts,
        .StartTime = dm::DateTime{status.started},
        .State = state_of(status.state),
        .URL = app.url,
        .Version = app.version,
    };
}

Fault write(Context& ctx, const Instance& in, const X_RDKCENTRAL_COM_STB_Application::Changes& changes) {
    if (changes.Alias) sim::board(ctx).store(sim::instance_path(kAppTemplate, in) + "Alias", *changes.Alias);
    return Fault::None;
}

}  // namespace cwmp::platform
