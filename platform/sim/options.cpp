// The simulated box's options from cwmpd's [board] section, for every
// profile the sim binds (factory.cpp, igd/factory.cpp).  Keys:
//   state_dir                 where it keeps its firmware banks (default: beside the agent's store)
//   vendor_download_seconds   how long its own firmware updater's download takes (default 90)
//   extra_channels            DVB-T channels beyond the five of its lineup (default 0)
//   free_space                bytes free for downloads (default 512 MiB)
#include "board.h"
#include "cwmp/platform/board.h"

namespace cwmp::sim {

SimOptions options_of(const platform::BoardSetup& setup) {
    using platform::BoardConfig;
    SimOptions options;
    options.state_dir = setup.state_dir;
    for (const platform::ConfigEntry& e : setup.config.entries) {
        if (e.key == "state_dir") {
            if (e.value.empty()) throw platform::BoardConfigError(e, "a directory is required");
            options.state_dir = e.value;
        } else if (e.key == "vendor_download_seconds") {
            options.vendor_download_seconds = static_cast<std::uint32_t>(BoardConfig::unsigned_value(e, 86400));
        } else if (e.key == "extra_channels") {
            options.extra_channels = static_cast<std::uint32_t>(BoardConfig::unsigned_value(e, 1000000));
        } else if (e.key == "free_space") {
            options.free_space = BoardConfig::unsigned_value(e);
        } else {
            throw BoardConfig::unknown(e);
        }
    }
    return options;
}

}  // namespace cwmp::sim
