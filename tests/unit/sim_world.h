// An agent over the rdk-stb tables and the simulated box, with a clock the
// caller sets and the store it names: what the RPC tests and the fuzz
// targets answer requests with.
#pragma once

#include <cstdint>
#include <string>

#include "board.h"
#include "cwmp/dm/engine.h"
#include "cwmp/rpc/cpe.h"
#include "cwmp/store/store.h"
#include "cwmp/tasks/tasks.h"
#include "cwmp/util/log.h"

#include "cwmp/platform_api.h"  // cwmp::gen::schema, the rdk-stb profile's

namespace test {

struct SimWorld {
    std::int64_t t;  // the clock: the board boots at `boot`, requests come at `now`
    cwmp::sim::SimBoard board;
    cwmp::dm::Context ctx{board};
    cwmp::store::Store store;
    cwmp::dm::Engine engine{cwmp::gen::schema, ctx, store};
    cwmp::util::Log log;  // stderr: a damaged record is seen
    cwmp::tasks::Tasks tasks{store, [this] { return t; }, log};
    cwmp::rpc::Cpe cpe{engine, tasks};

    // `store_path` may be ":memory:" (SQLite's: the same SQL, no file system).
    SimWorld(std::int64_t boot, std::int64_t now, const std::string& store_path)
        : t(boot), board([this] { return t; }), store(store_path) {
        t = now;
    }
    SimWorld(const SimWorld&) = delete;
    SimWorld& operator=(const SimWorld&) = delete;
};

}  // namespace test
