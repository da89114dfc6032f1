// How many events fell in the last window (a minute, for the connection
// requests' rate limits), in fixed memory whatever the limit: a list of one
// time per event grows with the configured rate (100,000,000 a minute is a
// valid setting), and a flood of accepted requests would grow it as fast.
//
// The window is cut in 60 slots.  An event counts until its slot is a whole
// window old: with times in seconds and a 60 s window a slot is one second,
// so an event at t counts while now - t < 60, exactly; with milliseconds a
// slot is a second, and an event leaves up to a second early.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

namespace cwmp::util {

class RateWindow {
public:
    // `window` in the unit of the times given; a multiple of 60.
    explicit constexpr RateWindow(std::int64_t window = 60) : window_(window), width_(window / kSlots) {}

    // Events counted at `now`.
    unsigned count(std::int64_t now) const {
        std::uint64_t n = 0;
        for (const Slot& s : slots_)
            if (s.events != 0 && now - s.start < window_) n += s.events;
        return n < std::numeric_limits<unsigned>::max() ? static_cast<unsigned>(n)
                                                        : std::numeric_limits<unsigned>::max();
    }

    bool full(unsigned limit, std::int64_t now) const { return count(now) >= limit; }

    void add(std::int64_t now) {
        const std::int64_t index = floor_div(now, width_);
        Slot& s = slots_[static_cast<std::size_t>(((index % kSlots) + kSlots) % kSlots)];
        if (s.start != index * width_) s = {index * width_, 0};
        if (s.events < std::numeric_limits<unsigned>::max()) ++s.events;
    }

private:
    static constexpr std::int64_t kSlots = 60;
    struct Slot {
        std::int64_t start = std::numeric_limits<std::int64_t>::min();
        unsigned events = 0;
    };
    static constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
        return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
    }
    std::int64_t window_, width_;
    std::array<Slot, kSlots> slots_{};
};

}  // namespace cwmp::util
