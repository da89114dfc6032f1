// A fresh agent over the rdk-stb tables and the simulated box for each
// input (so that a crash reproduces from its input alone), with a fixed
// clock, a store in a scratch directory, and a box whose state is not
// kept (SimOptions::state_dir empty).
#pragma once

#include <cstdint>
#include <filesystem>
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
    std::string store_path;
    cwmp::sim::SimBoard board;
    cwmp::dm::Context ctx{board};
    cwmp::store::Store store;
    cwmp::dm::Engine engine{cwmp::gen::schema, ctx, store};
    cwmp::agent::Tasks tasks{store, [this] { return t; }};
    cwmp::rpc::Cpe cpe{engine, tasks};

    explicit World(const ScratchDir& dir)
        : store_path(fresh(dir)), board([this] { return t; }), store(store_path) {}

private:
    static std::string fresh(const ScratchDir& dir) {
        const std::string path = dir.file("agent.db");
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
        return path;
    }
};

}  // namespace fuzz
