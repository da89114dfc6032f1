// The set-top box's decoders as the simulated world has them, apart from any
// data model: video decoder 1 plays the main picture (IPTV, H.264 HD),
// decoder 2 picture-in-picture (an SD MPEG-2 DVB-T channel, shown muted, so
// audio decoder 2 idles); and the CA and DRM systems that descramble for
// them.  tv_streams.h wires the AV streams to them.
//
// The ACS may disable a decoder (its Enable, kept in the board's settings
// under the key the caller names, like every other setting); a disabled
// decoder decodes nothing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "board.h"

namespace cwmp::sim::tv {

constexpr std::uint32_t kVideoDecoders = 2;
constexpr std::uint32_t kAudioDecoders = 2;

// What a video decoder is decoding: a video standard, named as its
// Capabilities.VideoDecoder object ("MPEG4Part10"), at one of its
// ProfileLevel rows (1-based).
struct VideoDecoding {
    std::string_view standard;
    std::uint32_t profile_level;
};

// Video decoder `number` (1..kVideoDecoders; std::out_of_range otherwise),
// its settings kept below `key`.
class VideoDecoder {
public:
    VideoDecoder(const SimBoard& b, std::uint32_t number, std::string key);

    std::string_view name() const;
    bool enabled() const;
    // Nothing while disabled.
    std::optional<VideoDecoding> decoding() const;
    // The aspect ratio of the content it decodes, in wire form ("16:9").
    std::string_view content_aspect_ratio() const;

private:
    const SimBoard& b_;
    std::uint32_t number_;
    std::string key_;
};

// Audio decoder `number` (1..kAudioDecoders; std::out_of_range otherwise),
// its settings kept below `key`.
class AudioDecoder {
public:
    AudioDecoder(const SimBoard& b, std::uint32_t number, std::string key);

    std::string_view name() const;
    bool enabled() const;
    // The audio standard it decodes, in wire form ("DOLBY-AC3"); "" while
    // disabled or idle.
    std::string_view standard() const;

private:
    const SimBoard& b_;
    std::uint32_t number_;
    std::string key_;
};

// --- Conditional access and DRM -----------------------------------------------------

// The systems the box has, and the components that run them: CA 1 the
// cardless Verimatrix client (no smart card reader), DRM 1 Widevine
// (PlayReady is there but not loaded).
constexpr std::array<std::string_view, 1> kCASystems = {"Verimatrix ViewRight"};
constexpr std::array<std::string_view, 2> kDRMSystems = {"Widevine", "PlayReady"};
constexpr std::uint32_t kCAs = 1;
constexpr std::uint32_t kDRMs = 1;
// The system CA or DRM component `n` runs (1-based; std::out_of_range for none).
std::string_view ca_system(std::uint32_t n);
std::string_view drm_system(std::uint32_t n);

}  // namespace cwmp::sim::tv
