// The entry point of board `sim-igd`: the simulated world bound to the igd
// profile (a TR-098 home gateway), from cwmpd's [board] section (its keys:
// ../options.cpp).  A plain SimBoard: the gateway has no updater of its own.
#include <memory>

#include "board.h"
#include "cwmp/platform/board.h"

namespace cwmp::boards {

std::unique_ptr<platform::Board> make_sim_igd(const platform::BoardSetup& setup) {
    return std::make_unique<sim::SimBoard>(setup.clock, sim::options_of(setup), &setup.settings);
}

}  // namespace cwmp::boards
