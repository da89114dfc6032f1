#include "cwmp/util/loop.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace cwmp::util {

Loop::Id Loop::watch(int fd, short events, FdCallback cb) {
    const Id id = next_id_++;
    watches_.emplace(id, Watch{fd, events, std::move(cb)});
    return id;
}

void Loop::set_events(Id id, short events) {
    if (auto it = watches_.find(id); it != watches_.end()) it->second.events = events;
}

void Loop::unwatch(Id id) noexcept { watches_.erase(id); }

Loop::Id Loop::attach(Prepare prepare, Dispatch dispatch) {
    const Id id = next_id_++;
    sources_.emplace(id, Source{std::move(prepare), std::move(dispatch)});
    return id;
}

void Loop::detach(Id id) noexcept { sources_.erase(id); }

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
    if (in_round_) throw std::logic_error("Loop::run_once called from one of its own callbacks");
    struct RoundGuard {
        bool& flag;
        explicit RoundGuard(bool& f) : flag(f) { flag = true; }
        ~RoundGuard() { flag = false; }
    } guard(in_round_);
    const std::size_t own = fds.size();
    round_ids_.clear();
    for (const auto& [id, w] : watches_) {
        if (w.events == 0) continue;
        fds.push_back({w.fd, w.events, 0});
        round_ids_.push_back(id);
    }
    round_spans_.clear();
    for (auto& [id, src] : sources_) {
        const std::size_t begin = fds.size();
        int wanted = -1;
        src.prepare(fds, wanted);
        if (wanted >= 0) timeout_ms = timeout_ms < 0 ? wanted : std::min(timeout_ms, wanted);
        round_spans_.emplace_back(id, begin, fds.size());
    }
    if (const int timer = next_timer_ms(); timer >= 0)
        timeout_ms = timeout_ms < 0 ? timer : std::min(timeout_ms, timer);
    const int n = ::poll(fds.data(), fds.size(), timeout_ms);
    // Who is ready, noted before any callback runs: a callback may change the sets.
    round_ready_.clear();
    if (n > 0)
        for (std::size_t i = 0; i < round_ids_.size(); ++i)
            if (const short r = fds[own + i].revents; r != 0) round_ready_.emplace_back(round_ids_[i], r);
    for (const auto& [id, revents] : round_ready_) {
        const auto it = watches_.find(id);
        if (it == watches_.end()) continue;
        const FdCallback cb = it->second.cb;  // a copy: the callback may unwatch itself
        cb(revents);
    }
    for (const auto& [id, begin, end] : round_spans_) {
        const auto it = sources_.find(id);
        if (it == sources_.end()) continue;
        const Dispatch dispatch = it->second.dispatch;  // a copy: it may detach itself
        // revents are meaningful only when poll() reported some.
        if (n <= 0)
            for (std::size_t i = begin; i < end; ++i) fds[i].revents = 0;
        dispatch(std::span<const pollfd>(fds.data() + begin, end - begin));
    }
    fds.resize(own);
    const Clock::time_point now = Clock::now();
    round_due_.clear();
    for (const auto& [id, t] : timers_)
        if (t.due <= now) round_due_.push_back(id);
    for (Id id : round_due_) {
        const auto it = timers_.find(id);
        if (it == timers_.end()) continue;
        const TimerCallback cb = std::move(it->second.cb);
        timers_.erase(it);
        cb();
    }
    return n;
}

}  // namespace cwmp::util
