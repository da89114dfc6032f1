// The sim's entry point: builds the simulated set-top box (profile rdk-stb)
// from cwmpd's [board] section (its keys: options.cpp).
#include <memory>

#include "board.h"
#include "cwmp/platform/board.h"

namespace cwmp::boards {

std::unique_ptr<platform::Board> make_sim(const platform::BoardSetup& setup) {
    return std::make_unique<sim::SetTopBox>(setup.clock, sim::options_of(setup), &setup.settings);
}

}  // namespace cwmp::boards
