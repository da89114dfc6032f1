// The clock the sim's world tests hand the board and move by hand (seconds
// since the epoch): SimBoard b([&clock] { return clock.t; }).
#pragma once

#include <cstdint>

namespace test {

struct FakeClock {
    std::int64_t t = 1'700'000'000;
};

}  // namespace test
