// Logging with levels to stderr or syslog.  The daemon owns one Log and
// hands it down; nothing logs through a global.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

namespace cwmp::util {

enum class Level : int { Debug = 0, Info = 1, Warning = 2, Error = 3 };

// "debug", "info", "warning" ("warn"), "error"; nullopt-like false for others.
bool parse_level(std::string_view name, Level& out);

class Log {
public:
    enum class Sink { Stderr, Syslog, None };
    explicit Log(Sink sink = Sink::Stderr, Level level = Level::Info);
    ~Log();
    Log(const Log&) = delete;
    Log& operator=(const Log&) = delete;

    void set_level(Level level) noexcept { level_ = level; }
    // A new destination and level (a configuration reload).
    void reconfigure(Sink sink, Level level);
    Level level() const noexcept { return level_; }
    bool enabled(Level l) const noexcept { return l >= level_ && sink_ != Sink::None; }

    void write(Level l, std::string_view message) const;
    void debug(std::string_view m) const { write(Level::Debug, m); }
    void info(std::string_view m) const { write(Level::Info, m); }
    void warning(std::string_view m) const { write(Level::Warning, m); }
    void error(std::string_view m) const { write(Level::Error, m); }

private:
    // Atomic: worker threads (XMPP) log while a reload may reconfigure.
    std::atomic<Sink> sink_;
    std::atomic<Level> level_;
};

}  // namespace cwmp::util
