// An agent over the rdk-stb tables and the simulated box, with a clock the
// test sets and a scratch store: what the RPC tests answer requests with.
#pragma once

#include <cstdint>
#include <memory>

#include "board.h"
#include "cwmp/agent/tasks.h"
#include "cwmp/dm/engine.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/store/store.h"
#include "support.h"

#include "cwmp/platform_api.h"  // cwmp::gen::schema, the rdk-stb profile's

namespace test {

struct SimAgent {
    std::int64_t t;  // the clock: the board boots at `boot`, requests come at `now`
    TempDir dir;
    cwmp::sim::SimBoard board;
    cwmp::dm::Context ctx{board};
    cwmp::store::Store store;
    cwmp::dm::Engine engine{cwmp::gen::schema, ctx, store};
    cwmp::agent::Tasks tasks{store, [this] { return t; }};
    cwmp::rpc::Cpe cpe{engine, tasks};

    SimAgent(std::int64_t boot, std::int64_t now, const std::string& stem)
        : t(boot), dir(stem), board([this] { return t; }), store(dir.file()) {
        t = now;
    }
    SimAgent(const SimAgent&) = delete;
    SimAgent& operator=(const SimAgent&) = delete;
};

}  // namespace test
