#include "tv_outputs.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace cwmp::sim::tv {

namespace {

struct AudioOutputSpec {
    std::string_view name;
    std::string_view format;
    std::uint32_t level;  // until the ACS sets one
    bool muted;           // at boot
};
constexpr std::array<AudioOutputSpec, kAudioOutputs> kAudioOutputSpecs = {{
    {"HDMI audio", "HDMI", 80, false},
    {"Optical S/PDIF", "DIGITAL-OPTICAL-SP/DIF", 100, true},
}};

// Checked when the output is made, so a bad number fails there, naming it.
std::uint32_t checked(std::uint32_t number, std::uint32_t count, const char* what) {
    if (number < 1 || number > count)
        throw std::out_of_range(std::string(what) + " " + std::to_string(number) + ": no such output");
    return number;
}

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& values, std::string_view value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

// --- Audio outputs ----------------------------------------------------------------

AudioOutput::AudioOutput(const SimBoard& b, std::uint32_t number, std::string key)
    : b_(b), number_(checked(number, kAudioOutputs, "audio output")), key_(std::move(key)) {}

std::string_view AudioOutput::name() const { return kAudioOutputSpecs[number_ - 1].name; }
bool AudioOutput::enabled() const { return b_.setting(key_ + "Enable", true); }
std::string_view AudioOutput::format() const {
    return enabled() ? kAudioOutputSpecs[number_ - 1].format : std::string_view();
}
std::uint32_t AudioOutput::level() const {
    return b_.setting(key_ + "AudioLevel", kAudioOutputSpecs[number_ - 1].level);
}
bool AudioOutput::muted() const { return b_.setting(key_ + "Muted", kAudioOutputSpecs[number_ - 1].muted); }

bool change_audio_output(SimBoard& b, const AudioOutput& out, const AudioOutputChanges& c) {
    if (c.level && *c.level > kMaxAudioLevel) return false;
    if (c.level) b.store(out.key() + "AudioLevel", *c.level);
    if (c.cancel_mute) b.store(out.key() + "Muted", false);
    if (c.enable) b.store(out.key() + "Enable", *c.enable);
    return true;
}

// --- The video output ---------------------------------------------------------------

VideoOutput::VideoOutput(const SimBoard& b, std::uint32_t number, std::string key)
    : b_(b), key_(std::move(key)) {
    checked(number, kVideoOutputs, "video output");
}

bool VideoOutput::enabled() const { return b_.setting(key_ + "Enable", true); }
bool VideoOutput::colorbar() const { return b_.setting(key_ + "ColorbarEnable", false); }
std::string VideoOutput::display_format() const {
    return b_.setting<std::string>(key_ + "DisplayFormat", "16:9");
}
bool VideoOutput::letterboxed() const { return display_format() == "4:3"; }
std::string VideoOutput::video_format() const {
    return enabled() ? b_.setting<std::string>(key_ + "VideoFormat", std::string(kVideoFormats[0])) : "";
}

bool change_video_output(SimBoard& b, const VideoOutput& out, const VideoOutputChanges& c) {
    if (c.display_format && !listed(kDisplayFormats, *c.display_format)) return false;
    if (c.video_format && !listed(kVideoFormats, *c.video_format)) return false;
    if (c.colorbar) b.store(out.key() + "ColorbarEnable", *c.colorbar);
    if (c.display_format) b.store(out.key() + "DisplayFormat", *c.display_format);
    if (c.enable) b.store(out.key() + "Enable", *c.enable);
    if (c.video_format) b.store(out.key() + "VideoFormat", *c.video_format);
    return true;
}

// --- HDMI and the TV ----------------------------------------------------------------

const Display kDisplay = {
    .name = "SAMSUNG",
    .eedid = "00FFFFFFFFFFFF004C2D770D01000000201F0103807944780AEE91A3544C9926"
             "0F505421080081C0810081809500A9C0B30001010101023A80D072382D40102C"
             "4580B9A84200001E000000FD00184B0F5117000A202020202020000000FC0053"
             "414D53554E470A2020202020000000FF0048345A523930303132330A202001C6"
             "020325F24A9F10141304052011020126090707150750830100006A030C001000"
             "003C801F15023A801871382D40582C4500B9A84200001E011D00BC52D01E20B8"
             "285540B9A84200001E0000000000000000000000000000000000000000000000"
             "00000000000000000000000000000000000000000000000000000000000000FD",
    .preferred = "1920x1080p/50Hz",
    .resolutions = {"1920x1080p/50Hz", "1920x1080p/60Hz", "1920x1080i/50Hz", "1280x720p/50Hz", "1280x720p/60Hz",
                    "1920x1080i/60Hz", "1920x1080p/24Hz", "720x576p/50Hz", "720x480p/60Hz", "640x480p/60Hz"},
    .video_latency = 60,
    .auto_lip_sync = true,
    .cec = true,
    .hdmi_3d = false,
};

HDMI::HDMI(const SimBoard& b, std::uint32_t number, std::string key)
    : b_(b), key_(std::move(key)) {
    checked(number, kHDMIs, "HDMI output");
}

bool HDMI::enabled() const { return b_.setting(key_ + "Enable", true); }
bool HDMI::manual() const { return b_.setting<std::string>(key_ + "ResolutionMode", "Auto") == "Manual"; }

std::string HDMI::resolution() const {
    if (!manual()) return std::string(display().preferred);
    return b_.setting<std::string>(key_ + "ResolutionValue", "1920x1080i/50Hz");
}

bool change_hdmi(SimBoard& b, const HDMI& hdmi, const HDMIChanges& c) {
    if (c.resolution && !listed(kHDMIResolutions, *c.resolution)) return false;
    if (c.enable) b.store(hdmi.key() + "Enable", *c.enable);
    if (c.manual) b.store(hdmi.key() + "ResolutionMode", std::string(*c.manual ? "Manual" : "Auto"));
    if (c.resolution) b.store(hdmi.key() + "ResolutionValue", *c.resolution);
    return true;
}

}  // namespace cwmp::sim::tv
