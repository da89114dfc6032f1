// The daemon's configuration file.  Invariant: a file is either accepted or
// refused with agent::ConfigError naming the file; nothing else escapes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cwmp/agent/config.h"
#include "fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)cwmp::agent::parse_config(text, "fuzz.conf");
    } catch (const cwmp::agent::ConfigError& e) {
        fuzz::check(std::string(e.what()).find("fuzz.conf") != std::string::npos, "an error without the file name",
                    e.what());
    }
    return 0;
}
