// The agent's own use of the values it keeps in the model (ManagementServer's
// and the others runtime/src reads and writes by path): no outcome is
// dropped.  A value the agent needs at start (a factory default, the
// ConnectionRequestURL) that the model cannot take is a startup error naming
// the path; a later read or write that fails is logged with the path and the
// cause once (a poll that fails the same way again adds nothing; after a
// success a new failure is logged again).
#pragma once

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "cwmp/dm/engine.h"

namespace cwmp::util {
class Log;
}

namespace cwmp::dm {

// The model cannot hold what the agent needs to start (a profile that binds a
// ManagementServer parameter to the board, a default its facets refuse, a
// store that fails): the message names the path and the cause.
class StartupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Engine::set_runtime_default, or StartupError.  An empty name is an
// optional feature's path the profile lacks: nothing to do.
void require_default(Engine& e, std::string_view name, std::string value);
// Engine::set_runtime, or StartupError (an empty name: nothing to do).
void require_value(Engine& e, std::string_view name, std::string value);

class Own {
public:
    Own(Engine& e, const util::Log& log) noexcept : e_(e), log_(log) {}

    // Engine::set_runtime; whether the value is stored.  An empty name is an
    // optional feature's path the profile lacks: nothing to store, no log.
    bool set(std::string_view name, std::string value);
    // Engine::get_value into `out`, which keeps what it held when the value
    // cannot be read (an empty name likewise, unlogged); whether it was read.
    bool read(std::string_view name, std::string& out);
    // The value, "" when it cannot be read.
    std::string text(std::string_view name);
    // Engine::write_runtime; a name the profile lacks (skipped, in the
    // outcome's details) is logged like a failure.  Whether all was stored.
    bool write(const Engine::RuntimeResults& results, std::string_view what);
    // Engine::get_names; whether the path could be walked.
    bool names(std::string_view path, bool next_level, const Engine::NameVisitor& visit);
    // Engine::get_values; whether every name could be read.
    bool values(std::span<const std::string> names, const Engine::ValueVisitor& visit);

    Engine& engine() const noexcept { return e_; }

private:
    // Logs a failure of `what` on `name` unless the same was logged last
    // time; a success forgets it.  Returns `r`'s success.
    bool check(std::string_view what, std::string_view name, const Outcome& r);

    Engine& e_;
    const util::Log& log_;
    std::set<std::string, std::less<>> failing_;  // "what name\nlogged text": no success since
};

}  // namespace cwmp::dm
