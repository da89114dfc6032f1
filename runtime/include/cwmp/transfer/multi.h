// libcurl's multi interface driven by the agent's loop (util/loop.h): the
// sockets libcurl waits for and its timeout become the loop's watches and
// timer, so that any number of transfers move on between the agent's steps
// without a thread of their own, and the agent thread stays the only owner
// of the data model and the store.
#pragma once

#include <functional>
#include <map>

#include "cwmp/util/loop.h"

typedef void CURL;   // libcurl's own spellings, so that this header needs no curl.h
typedef void CURLM;

namespace cwmp::transfer {

class Multi {
public:
    explicit Multi(util::Loop& loop);
    ~Multi();  // every transfer still running is dropped (its handle removed, not cleaned up)
    Multi(const Multi&) = delete;
    Multi& operator=(const Multi&) = delete;

    // Starts moving `easy` (the caller keeps it alive until `done` or
    // remove()).  `done(code)` runs on the loop's thread once libcurl has
    // finished it (a CURLcode), after it was removed from the multi handle:
    // it may clean it up and add others.
    using Done = std::function<void(int code)>;
    bool add(CURL* easy, Done done);
    void remove(CURL* easy);
    std::size_t running() const noexcept { return done_.size(); }

private:
    void act();
    void collect();
    void watch();

    util::Loop& loop_;
    CURLM* multi_;
    std::map<int, util::Loop::Id> sockets_;  // the sockets libcurl waits for, watched
    util::Loop::Id timer_ = 0;
    std::map<CURL*, Done> done_;
};

}  // namespace cwmp::transfer
