// A fresh agent over the rdk-stb tables and the simulated box for each
// input (so that a crash reproduces from its input alone), with a fixed
// clock, an in-memory store (SQLite ":memory:": the same SQL without the
// file system, which took a third of each run), and a box whose state is
// not kept (SimOptions::state_dir empty).
#pragma once

#include <cstdint>
#include <string>

#include "board.h"
#include "cwmp/agent/tasks.h"
#include "cwmp/dm/engine.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/store/store.h"
#include "fuzz.h"

namespace cwmp::gen {
extern const cwmp::dm::Schema schema;
}

namespace fuzz {

struct World {
    static constexpr std::int64_t kNow = 1'800'000'000;
    std::int64_t t = kNow;
    cwmp::sim::SimBoard board;
    cwmp::dm::Context ctx{board};
    cwmp::store::Store store;
    cwmp::dm::Engine engine{cwmp::gen::schema, ctx, store};
    cwmp::agent::Tasks tasks{store, [this] { return t; }};
    cwmp::rpc::Cpe cpe{engine, tasks};

    World() : board([this] { return t; }), store(":memory:") {}
};

}  // namespace fuzz
