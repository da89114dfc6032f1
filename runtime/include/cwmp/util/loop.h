// The agent thread's event loop (the agent owns it; the transfers, the
// lightweight notifications and the daemon's inputs register with it, so it
// sits below them all): file descriptors and one-shot timers, each
// with a callback that runs on the agent thread, so that long work (a
// transfer driven by libcurl's multi interface, a diagnostic's worker thread
// signalling its end through an eventfd) goes on while the daemon still
// answers connection requests, signals and timers.  The agent thread stays
// the only one that touches the data model and the store.
//
// A callback may watch, unwatch or cancel anything, itself included; what
// it removes is not called afterwards in the same round.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

namespace cwmp::util {

class Loop {
public:
    using Id = std::uint64_t;  // never 0, never reused
    using FdCallback = std::function<void(short revents)>;
    using TimerCallback = std::function<void()>;
    using Clock = std::chrono::steady_clock;

    Loop() = default;
    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    // Calls `cb` whenever `fd` is ready for `events` (POLLIN, POLLOUT; POLLERR
    // and POLLHUP always count).  The caller keeps the descriptor open until
    // it unwatches it.
    Id watch(int fd, short events, FdCallback cb);
    void set_events(Id id, short events);  // 0: keep it, poll nothing for now
    void unwatch(Id id) noexcept;

    // A source whose descriptors change from round to round (a server and
    // its clients): `prepare` adds them to the set before each poll and may
    // shorten the wait; `dispatch` runs after every poll with the entries it
    // added, revents set (also when none is ready: it may have deadlines).
    using Prepare = std::function<void(std::vector<pollfd>& fds, int& timeout_ms)>;
    using Dispatch = std::function<void(std::span<const pollfd> fds)>;
    Id attach(Prepare prepare, Dispatch dispatch);
    void detach(Id id) noexcept;

    // Calls `cb` once, `delay` from now (on the first round after that).
    Id after(std::chrono::milliseconds delay, TimerCallback cb);
    void cancel(Id id) noexcept;

    // One round: poll the caller's `fds`, every watched descriptor and the
    // sources' for at most `timeout_ms` (-1: no limit; less when a timer is
    // due sooner or a source asks), then run the callbacks of the watched
    // descriptors that are ready, the sources' dispatch and the timers that
    // are due.  `fds` comes back as given, with its revents set, for the
    // caller to look at.  Returns poll()'s result.  Not reentrant: a
    // callback that calls it gets std::logic_error.
    int run_once(std::vector<pollfd>& fds, int timeout_ms);
    int run_once(int timeout_ms) {
        own_fds_.clear();
        return run_once(own_fds_, timeout_ms);
    }

    // Milliseconds until the next timer (-1: none).
    int next_timer_ms() const;
    std::size_t watched() const noexcept { return watches_.size(); }
    std::size_t timers() const noexcept { return timers_.size(); }

private:
    struct Watch {
        int fd;
        short events;
        FdCallback cb;
    };
    struct Source {
        Prepare prepare;
        Dispatch dispatch;
    };
    struct Timer {
        Clock::time_point due;
        TimerCallback cb;
    };
    Id next_id_ = 1;
    std::map<Id, Watch> watches_;
    std::map<Id, Source> sources_;
    std::map<Id, Timer> timers_;
    // One round's working sets, kept between rounds so that a round (the
    // daemon runs one per wakeup) allocates nothing once they have grown.
    std::vector<pollfd> own_fds_;
    std::vector<Id> round_ids_;
    std::vector<std::tuple<Id, std::size_t, std::size_t>> round_spans_;  // a source's [begin, end) of fds
    std::vector<std::pair<Id, short>> round_ready_;
    std::vector<Id> round_due_;
    bool in_round_ = false;
};

}  // namespace cwmp::util
