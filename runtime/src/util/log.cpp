#include "cwmp/util/log.h"

#include "cwmp/util/survive.h"

#include <syslog.h>

#include <cstdio>
#include <string>
#include <ctime>

namespace cwmp::util {

bool parse_level(std::string_view name, Level& out) {
    if (name == "debug") out = Level::Debug;
    else if (name == "info") out = Level::Info;
    else if (name == "warning" || name == "warn") out = Level::Warning;
    else if (name == "error") out = Level::Error;
    else return false;
    return true;
}

Log::Log(Sink sink, Level level) : sink_(sink), level_(level) {
    if (sink_ == Sink::Syslog) openlog("cwmpd", LOG_PID, LOG_DAEMON);
}

Log::~Log() {
    if (sink_ == Sink::Syslog) closelog();
}

void Log::reconfigure(Sink sink, Level level) {
    if (sink_ == Sink::Syslog && sink != Sink::Syslog) closelog();
    if (sink != Sink::Syslog || sink_ != Sink::Syslog) {
        if (sink == Sink::Syslog) openlog("cwmpd", LOG_PID, LOG_DAEMON);
    }
    sink_ = sink;
    level_ = level;
}

void Log::write(Level l, std::string_view message) const {
    if (!enabled(l)) return;
    static constexpr const char* kNames[] = {"debug", "info", "warning", "error"};
    const int index = static_cast<int>(l);
    if (sink_ == Sink::Syslog) {
        static constexpr int kPriorities[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
        syslog(kPriorities[index], "%.*s", static_cast<int>(message.size()), message.data());
        return;
    }
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::fprintf(stderr, "%s cwmpd %s: %.*s\n", stamp, kNames[index], static_cast<int>(message.size()),
                 message.data());
}

void report_failure(const Log& log, std::string_view what, std::string_view cause) noexcept {
    try {
        std::string m;
        m.reserve(what.size() + cause.size() + 10);
        m.append(what).append(" failed: ").append(cause);
        log.error(m);
    } catch (...) {  // out of memory even for the message: say what we can
        log.write(Level::Error, what);
    }
}

}  // namespace cwmp::util
