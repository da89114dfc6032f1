// A fresh agent over the rdk-stb tables and the simulated box for each
// input (so that a crash reproduces from its input alone), with a fixed
// clock, an in-memory store (SQLite ":memory:": the same SQL without the
// file system, which took a third of each run), and a box whose state is
// not kept (SimOptions::state_dir empty).
#pragma once

#include <cstdint>

#include "../unit/sim_world.h"
#include "fuzz.h"

namespace fuzz {

struct World : test::SimWorld {
    static constexpr std::int64_t kNow = 1'800'000'000;
    World() : SimWorld(kNow, kNow, ":memory:") {}
};

}  // namespace fuzz
