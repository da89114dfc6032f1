// The wall clock the agent's modules are handed (a function, so that tests
// set the time): seconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <functional>

namespace cwmp::util {

using Clock = std::function<std::int64_t()>;

}  // namespace cwmp::util
