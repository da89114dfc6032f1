// The set-top box's outputs as the simulated world has them, apart from any
// data model: HDMI audio and optical S/PDIF (muted by the viewer), one HDMI
// video output, and the TV on the other end of its cable.  Formats and
// resolutions are in wire form ("16:9", "1920x1080p/50Hz"), the names the
// capability lists give them.
//
// What the ACS changed is kept in the board's settings under the keys the
// caller names (its instance paths), so it survives a restart like every
// other setting.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "board.h"

namespace cwmp::sim::tv {

// --- Audio outputs ----------------------------------------------------------------

constexpr std::uint32_t kAudioOutputs = 2;
constexpr std::uint32_t kMaxAudioLevel = 100;  // percent

// Audio output `number` (1: HDMI audio, 2: optical S/PDIF; std::out_of_range
// otherwise), its settings kept below `key`.
class AudioOutput {
public:
    AudioOutput(const SimBoard& b, std::uint32_t number, std::string key);

    std::string_view name() const;
    bool enabled() const;
    // What it carries, as Capabilities.AudioOutput.AudioFormats names it; "" while disabled.
    std::string_view format() const;
    std::uint32_t level() const;  // percent
    // The viewer muted S/PDIF; only the ACS's CancelMute unmutes it here.
    bool muted() const;
    const std::string& key() const { return key_; }

private:
    const SimBoard& b_;
    std::uint32_t number_;
    std::string key_;
};

// What the ACS changes of an audio output, each when set.
struct AudioOutputChanges {
    std::optional<bool> enable{};
    std::optional<std::uint32_t> level{};
    bool cancel_mute = false;
};
// False, changing nothing, for a level above kMaxAudioLevel.
bool change_audio_output(SimBoard& b, const AudioOutput& out, const AudioOutputChanges& c);

// --- The video output ---------------------------------------------------------------

constexpr std::uint32_t kVideoOutputs = 1;
// What the output can send (HDMI only: no composite, hence no Macrovision).
constexpr std::array<std::string_view, 2> kDisplayFormats = {"4:3", "16:9"};
constexpr std::array<std::string_view, 2> kVideoFormats = {"HDMI", "DVI"};

// Video output `number` (1; std::out_of_range otherwise), its settings kept below `key`.
class VideoOutput {
public:
    VideoOutput(const SimBoard& b, std::uint32_t number, std::string key);

    std::string_view name() const { return "HDMI video output"; }
    bool enabled() const;
    // The colour bar test pattern instead of the picture; off at boot, as TR-135 asks.
    bool colorbar() const;
    std::string display_format() const;  // one of kDisplayFormats; 16:9 until the ACS says
    // 16:9 content on a 4:3 display is letterboxed; a 16:9 display needs nothing.
    bool letterboxed() const;
    // The TV authenticates, so protected content flows while the output is on.
    bool hdcp() const { return enabled(); }
    std::string video_format() const;  // one of kVideoFormats; "" while disabled
    const std::string& key() const { return key_; }

private:
    const SimBoard& b_;
    std::string key_;
};

// What the ACS changes of the video output, each when set.
struct VideoOutputChanges {
    std::optional<bool> enable{};
    std::optional<bool> colorbar{};
    std::optional<std::string> display_format{};
    std::optional<std::string> video_format{};
};
// False, changing nothing, for a format the output cannot send.
bool change_video_output(SimBoard& b, const VideoOutput& out, const VideoOutputChanges& c);

// --- HDMI and the TV ----------------------------------------------------------------

// The TV: a Samsung whose E-EDID has a base block (1080p50 preferred,
// monitor name "SAMSUNG") and a CEA-861 extension (VICs 31 16 20 19 4 5 32
// 17 2 1, LPCM and AC-3 audio, HDMI VSDB with physical address 1.0.0.0 and
// 60/40 ms latency).
struct Display {
    std::string_view name;
    std::string_view eedid;  // hex
    std::string_view preferred;
    std::array<std::string_view, 10> resolutions;
    std::uint32_t video_latency;  // ms, from the VSDB
    bool auto_lip_sync;           // the VSDB carries latency fields
    bool cec;
    bool hdmi_3d;
};
extern const Display kDisplay;

constexpr std::uint32_t kHDMIs = 1;
// What the box's HDMI output can send.
constexpr std::array<std::string_view, 12> kHDMIResolutions = {
    "640x480p/60Hz",   "720x480p/60Hz",   "720x576p/50Hz",   "1280x720p/50Hz",
    "1280x720p/60Hz",  "1920x1080i/50Hz", "1920x1080i/60Hz", "1920x1080p/24Hz",
    "1920x1080p/25Hz", "1920x1080p/30Hz", "1920x1080p/50Hz", "1920x1080p/60Hz",
};

// HDMI output `number` (1; std::out_of_range otherwise), its settings kept below `key`.
class HDMI {
public:
    HDMI(const SimBoard& b, std::uint32_t number, std::string key);

    std::string_view name() const { return "HDMI0"; }
    bool enabled() const;
    // The TV on the cable: it stays there.
    const Display& display() const { return kDisplay; }
    // Manual: the resolution the ACS chose; Auto (until the ACS says): the TV's preferred one.
    bool manual() const;
    std::string resolution() const;
    const std::string& key() const { return key_; }

private:
    const SimBoard& b_;
    std::string key_;
};

// What the ACS changes of the HDMI output, each when set.
struct HDMIChanges {
    std::optional<bool> enable{};
    std::optional<bool> manual{};
    std::optional<std::string> resolution{};
};
// False, changing nothing, for a resolution the output cannot send.  The
// resolution is kept in Auto mode too (in effect once Manual), so the order
// of the two in one request does not matter.
bool change_hdmi(SimBoard& b, const HDMI& hdmi, const HDMIChanges& c);

}  // namespace cwmp::sim::tv
