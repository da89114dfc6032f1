#include "cwmp/agent/loop.h"

#include <algorithm>
#include <utility>

namespace cwmp::agent {

Loop::Id Loop::watch(int fd, short events, FdCallback cb) {
    const Id id = next_id_++;
    watches_.emplace(id, Watch{fd, events, std::move(cb)});
    return id;
}

void Loop::set_events(Id id, short events) {
    if (auto it = watches_.find(id); it != watches_.end()) it->second.events = events;
}

void Loop::unwatch(Id id) noexcept { watches_.erase(id); }

Loop::Id Loop::after(std::chrono::milliseconds delay, TimerCallback cb) {
    const Id id = next_id_++;
    timers_.emplace(id, Timer{Clock::now() + std::max(delay, std::chrono::milliseconds(0)), std::move(cb)});
    return id;
}

void Loop::cancel(Id id) noexcept { timers_.erase(id); }

int Loop::next_timer_ms() const {
    if (timers_.empty()) return -1;
    Clock::time_point first = Clock::time_point::max();
    for (const auto& [id, t] : timers_) first = std::min(first, t.due);
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(first - Clock::now()).count();
    return static_cast<int>(std::clamp<std::int64_t>(left, 0, INT32_MAX));
}

int Loop::run_once(std::vector<pollfd>& fds, int timeout_ms) {
    const std::size_t own = fds.size();
    std::vector<Id> ids;
    for (const auto& [id, w] : watches_) {
        if (w.events == 0) continue;
        fds.push_back({w.fd, w.events, 0});
        ids.push_back(id);
    }
    if (const int timer = next_timer_ms(); timer >= 0)
        timeout_ms = timeout_ms < 0 ? timer : std::min(timeout_ms, timer);
    const int n = ::poll(fds.data(), fds.size(), timeout_ms);
    // Who is ready, noted before any callback runs: a callback may change the sets.
    std::vector<std::pair<Id, short>> ready;
    if (n > 0)
        for (std::size_t i = 0; i < ids.size(); ++i)
            if (const short r = fds[own + i].revents; r != 0) ready.emplace_back(ids[i], r);
    fds.resize(own);
    for (const auto& [id, revents] : ready) {
        const auto it = watches_.find(id);
        if (it == watches_.end()) continue;
        const FdCallback cb = it->second.cb;  // a copy: the callback may unwatch itself
        cb(revents);
    }
    const Clock::time_point now = Clock::now();
    std::vector<Id> due;
    for (const auto& [id, t] : timers_)
        if (t.due <= now) due.push_back(id);
    for (Id id : due) {
        const auto it = timers_.find(id);
        if (it == timers_.end()) continue;
        const TimerCallback cb = std::move(it->second.cb);
        timers_.erase(it);
        cb();
    }
    return n;
}

}  // namespace cwmp::agent
