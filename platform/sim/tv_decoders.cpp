#include "tv_decoders.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace cwmp::sim::tv {

namespace {

struct VideoDecoderSpec {
    std::string_view name;
    VideoDecoding decoding;
    std::string_view aspect;
};
constexpr std::array<VideoDecoderSpec, kVideoDecoders> kVideoDecoderSpecs = {{
    {"Main video decoder", {"MPEG4Part10", 2}, "16:9"},  // H.264 High at 4.x (HD)
    {"PiP video decoder", {"MPEG2Part2", 1}, "4:3"},     // MPEG-2 main profile, main level (SD)
}};

struct AudioDecoderSpec {
    std::string_view name;
    std::string_view standard;  // "": idle
};
constexpr std::array<AudioDecoderSpec, kAudioDecoders> kAudioDecoderSpecs = {{
    {"Main audio decoder", "DOLBY-AC3"},
    {"PiP audio decoder", ""},
}};

// Checked when the decoder is made, so a bad number fails there, naming it.
template <class Spec, std::size_t N>
std::uint32_t checked(const std::array<Spec, N>& specs, std::uint32_t number, const char* what) {
    if (number < 1 || number > specs.size())
        throw std::out_of_range(std::string(what) + " " + std::to_string(number) + ": no such decoder");
    return number;
}

}  // namespace

VideoDecoder::VideoDecoder(const SimBoard& b, std::uint32_t number, std::string key)
    : b_(b), number_(checked(kVideoDecoderSpecs, number, "video decoder")), key_(std::move(key)) {}

std::string_view VideoDecoder::name() const { return kVideoDecoderSpecs[number_ - 1].name; }
bool VideoDecoder::enabled() const { return b_.setting(key_ + "Enable", true); }

std::optional<VideoDecoding> VideoDecoder::decoding() const {
    if (!enabled()) return std::nullopt;
    return kVideoDecoderSpecs[number_ - 1].decoding;
}

std::string_view VideoDecoder::content_aspect_ratio() const { return kVideoDecoderSpecs[number_ - 1].aspect; }

AudioDecoder::AudioDecoder(const SimBoard& b, std::uint32_t number, std::string key)
    : b_(b), number_(checked(kAudioDecoderSpecs, number, "audio decoder")), key_(std::move(key)) {}

std::string_view AudioDecoder::name() const { return kAudioDecoderSpecs[number_ - 1].name; }
bool AudioDecoder::enabled() const { return b_.setting(key_ + "Enable", true); }

std::string_view AudioDecoder::standard() const {
    return enabled() ? kAudioDecoderSpecs[number_ - 1].standard : std::string_view();
}

std::string_view ca_system(std::uint32_t n) {
    if (n < 1 || n > kCAs) throw std::out_of_range("CA " + std::to_string(n) + ": no such component");
    return kCASystems[n - 1];
}

std::string_view drm_system(std::uint32_t n) {
    if (n < 1 || n > kDRMs) throw std::out_of_range("DRM " + std::to_string(n) + ": no such component");
    return kDRMSystems[n - 1];
}

}  // namespace cwmp::sim::tv
