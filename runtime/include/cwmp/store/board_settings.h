// The board's Settings (cwmp/platform/board.h) kept in the agent's store,
// space "board": what the ACS wrote to board-owned parameters survives a
// restart, and a factory reset wipes it with the rest of the store.
#pragma once

#include <map>
#include <string>

#include "cwmp/platform/board.h"
#include "cwmp/store/store.h"

namespace cwmp::store {

class BoardSettings final : public platform::Settings {
public:
    explicit BoardSettings(Store& store) : store_(store) {}

    std::map<std::string, std::string> load() const override;
    // One transaction; a store error (StoreError) leaves the store as it was.
    void update(const Update& changes) override;
    // Everything the board kept (FactoryReset).
    void wipe();

private:
    Store& store_;
};

}  // namespace cwmp::store
