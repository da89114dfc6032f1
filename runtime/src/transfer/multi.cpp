#include "cwmp/transfer/multi.h"

#include <curl/curl.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace cwmp::transfer {

Multi::Multi(agent::Loop& loop) : loop_(loop), multi_(curl_multi_init()) {
    if (multi_ == nullptr) throw std::runtime_error("libcurl: cannot create a multi handle");
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Multi::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Multi::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

Multi::~Multi() {
    for (const auto& [easy, done] : done_) curl_multi_remove_handle(multi_, easy);
    done_.clear();
    // What libcurl still closes at cleanup (cached connections) concerns the loop no more.
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, nullptr);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, nullptr);
    for (const auto& [fd, id] : sockets_) loop_.unwatch(id);
    if (timer_ != 0) loop_.cancel(timer_);
    curl_multi_cleanup(multi_);
}

bool Multi::add(CURL* easy, Done done) {
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) return false;
    done_[easy] = std::move(done);
    return true;
}

void Multi::remove(CURL* easy) {
    if (done_.erase(easy) != 0) curl_multi_remove_handle(multi_, easy);
}

int Multi::on_socket(CURL* /*easy*/, int fd, int what, void* self, void* /*socket_data*/) {
    auto* m = static_cast<Multi*>(self);
    const auto it = m->sockets_.find(fd);
    if (what == CURL_POLL_REMOVE) {
        if (it != m->sockets_.end()) {
            m->loop_.unwatch(it->second);
            m->sockets_.erase(it);
        }
        return 0;
    }
    const short events = static_cast<short>(((what & CURL_POLL_IN) != 0 ? POLLIN : 0) |
                                            ((what & CURL_POLL_OUT) != 0 ? POLLOUT : 0));
    if (it != m->sockets_.end()) {
        m->loop_.set_events(it->second, events);
        return 0;
    }
    m->sockets_[fd] = m->loop_.watch(fd, events, [m, fd](short revents) {
        int flags = 0;
        if ((revents & POLLIN) != 0) flags |= CURL_CSELECT_IN;
        if ((revents & POLLOUT) != 0) flags |= CURL_CSELECT_OUT;
        if ((revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) flags |= CURL_CSELECT_ERR;
        m->act(fd, flags);
    });
    return 0;
}

int Multi::on_timer(CURLM* /*multi*/, long timeout_ms, void* self) {
    auto* m = static_cast<Multi*>(self);
    if (m->timer_ != 0) m->loop_.cancel(m->timer_);
    m->timer_ = 0;
    if (timeout_ms < 0) return 0;  // no timeout wanted
    m->timer_ = m->loop_.after(std::chrono::milliseconds(timeout_ms), [m] {
        m->timer_ = 0;  // spent: libcurl may set the next one from inside act()
        m->act(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
}

void Multi::act(int fd, int events) {
    int running = 0;
    curl_multi_socket_action(multi_, fd, events, &running);
    collect();
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

}  // namespace cwmp::transfer
