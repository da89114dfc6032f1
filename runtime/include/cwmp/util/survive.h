// The daemon's entry points (a connection request, a session, a timer, a
// signal) run through survive(): an exception, whatever it is, is logged
// with what was being done and goes no further, so nothing that arrives
// from outside can stop the daemon.
#pragma once

#include <exception>
#include <string_view>
#include <utility>

#include "cwmp/util/log.h"

namespace cwmp::util {

// Logs "<what> failed: <cause>" as an error; never throws.
void report_failure(const Log& log, std::string_view what, std::string_view cause) noexcept;

// Runs f(); true when it returned, false when it threw (and was logged).
template <class F>
bool survive(const Log& log, std::string_view what, F&& f) noexcept {
    try {
        std::forward<F>(f)();
        return true;
    } catch (const std::exception& e) {
        report_failure(log, what, e.what());
    } catch (...) {
        report_failure(log, what, "an exception of unknown type");
    }
    return false;
}

}  // namespace cwmp::util
