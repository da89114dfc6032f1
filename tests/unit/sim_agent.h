// A SimWorld whose store is a scratch file of its own.
#pragma once

#include <cstdint>
#include <string>

#include "sim_world.h"
#include "support.h"

namespace test {

// The directory comes first so that it outlives the store inside it.
struct ScratchDir {
    TempDir dir;
};

struct SimAgent : ScratchDir, SimWorld {
    SimAgent(std::int64_t boot, std::int64_t now, const std::string& stem)
        : ScratchDir{TempDir(stem)}, SimWorld(boot, now, dir.file()) {}
};

}  // namespace test
