#include "cwmp/transfer/multi.h"

#include <curl/curl.h>
#include <sys/select.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace cwmp::transfer {
namespace {
// libcurl gave no timeout while transfers run: look again after this.
constexpr std::chrono::milliseconds kIdleLook{200};
}  // namespace

Multi::Multi(util::Loop& loop) : loop_(loop), multi_(curl_multi_init()) {
    if (multi_ == nullptr) throw std::runtime_error("libcurl: cannot create a multi handle");
}

Multi::~Multi() {
    for (const auto& [easy, done] : done_) curl_multi_remove_handle(multi_, easy);
    done_.clear();
    for (const auto& [fd, id] : sockets_) loop_.unwatch(id);
    if (timer_ != 0) loop_.cancel(timer_);
    curl_multi_cleanup(multi_);
}

bool Multi::add(CURL* easy, Done done) {
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) return false;
    done_[easy] = std::move(done);
    watch();  // libcurl now wants to be called at once
    return true;
}

void Multi::remove(CURL* easy) {
    if (done_.erase(easy) == 0) return;
    curl_multi_remove_handle(multi_, easy);
    watch();
}

void Multi::act() {
    int running = 0;
    curl_multi_perform(multi_, &running);
    collect();
    watch();
}

// The transfers libcurl has finished: removed, then reported (a report may
// add new ones; libcurl's messages do not survive a removal, hence the copy).
void Multi::collect() {
    std::vector<std::pair<CURL*, CURLcode>> finished;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left))
        if (msg->msg == CURLMSG_DONE) finished.emplace_back(msg->easy_handle, msg->data.result);
    for (const auto& [easy, code] : finished) {
        const auto it = done_.find(easy);
        if (it == done_.end()) continue;
        Done done = std::move(it->second);
        done_.erase(it);
        curl_multi_remove_handle(multi_, easy);
        done(static_cast<int>(code));
    }
}

// Makes the loop watch exactly the sockets libcurl waits for now, and wake
// when libcurl's timeout runs out.  Asked afresh after every call into
// libcurl (curl_multi_fdset) rather than told by its socket callbacks, so
// that what the loop watches can never drift from what libcurl waits for.
// Sockets are few and numbered low in this daemon, well below FD_SETSIZE.
void Multi::watch() {
    fd_set read, write, error;
    FD_ZERO(&read);
    FD_ZERO(&write);
    FD_ZERO(&error);
    int max_fd = -1;
    curl_multi_fdset(multi_, &read, &write, &error, &max_fd);
    std::map<int, short> wanted;
    for (int fd = 0; fd <= max_fd; ++fd) {
        const short events =
            static_cast<short>((FD_ISSET(fd, &read) ? POLLIN : 0) | (FD_ISSET(fd, &write) ? POLLOUT : 0));
        if (events != 0 || FD_ISSET(fd, &error)) wanted[fd] = events;  // errors (POLLERR) come anyway
    }
    for (auto it = sockets_.begin(); it != sockets_.end();) {
        const auto want = wanted.find(it->first);
        if (want == wanted.end()) {
            loop_.unwatch(it->second);
            it = sockets_.erase(it);
        } else {
            loop_.set_events(it->second, want->second);
            wanted.erase(want);
            ++it;
        }
    }
    for (const auto& [fd, events] : wanted) sockets_[fd] = loop_.watch(fd, events, [this](short) { act(); });
    if (timer_ != 0) loop_.cancel(timer_);
    timer_ = 0;
    long timeout_ms = -1;
    curl_multi_timeout(multi_, &timeout_ms);
    if (timeout_ms < 0 && done_.empty()) return;
    const auto delay = timeout_ms < 0 ? kIdleLook : std::chrono::milliseconds(timeout_ms);
    timer_ = loop_.after(delay, [this] {
        timer_ = 0;  // spent
        act();
    });
}

}  // namespace cwmp::transfer
