#include "cwmp/stun/client.h"

#include <algorithm>

namespace cwmp::stun {
namespace {

constexpr std::int64_t kRtoMs = 500;
constexpr unsigned kTries = 7;             // RFC 5389 Rc
constexpr std::int64_t kLastWaitRto = 16;  // Rm: the last try waits 16 RTO
constexpr std::int64_t kDefaultKeepAliveS = 25;

}  // namespace

std::int64_t keepalive_ms(std::uint32_t min_s, std::int32_t max_s) {
    std::int64_t s = std::max<std::int64_t>(kDefaultKeepAliveS, min_s);
    if (max_s > 0) s = std::min<std::int64_t>(s, max_s);
    return std::max<std::int64_t>(s, 1) * 1000;
}

void Client::configure(const Settings& s, std::int64_t now_ms) {
    if (s == settings_) return;
    settings_ = s;
    mapping_.reset();
    credentials_wanted_ = false;
    change_to_announce_ = false;
    pending_ = false;
    next_keepalive_ = s.enable ? now_ms : INT64_MAX;
    next_send_ = give_up_ = INT64_MAX;
}

void Client::start_request(std::int64_t now_ms, bool binding_change) {
    request_ = {};
    for (auto& b : request_.id) b = static_cast<std::uint8_t>(rng_());
    request_.binding_change = binding_change;
    if (credentials_wanted_ && !settings_.username.empty()) {
        request_.username = settings_.username;
        request_.password = settings_.password;
    }
    datagram_ = encode(request_);
    pending_ = true;
    attempt_ = 0;
    next_send_ = now_ms;
    give_up_ = INT64_MAX;
}

std::int64_t Client::step(std::int64_t now_ms, const Send& send) {
    if (!settings_.enable) return INT64_MAX;
    if (pending_ && now_ms >= give_up_) {
        pending_ = false;  // unanswered: the next keep-alive tries again
        next_send_ = INT64_MAX;
    }
    if (!pending_ && now_ms >= next_keepalive_) {
        start_request(now_ms, change_to_announce_);
        next_keepalive_ = now_ms + settings_.period_ms;
    }
    if (pending_ && now_ms >= next_send_) {
        send(datagram_);
        ++sent_;
        ++attempt_;
        if (attempt_ < kTries) {
            next_send_ = now_ms + (kRtoMs << (attempt_ - 1));
        } else {
            next_send_ = INT64_MAX;
            give_up_ = now_ms + kLastWaitRto * kRtoMs;
        }
    }
    std::int64_t due = next_keepalive_;
    if (pending_) due = std::min({due, next_send_, give_up_});
    return due;
}

bool Client::on_datagram(std::string_view bytes, std::int64_t now_ms) {
    if (!pending_) return false;
    const bool signed_request = !request_.username.empty();
    const std::optional<BindingResponse> r = parse_binding_response(bytes, signed_request ? settings_.password : "");
    if (!r || r->id != request_.id) return false;
    // Once we signed, an answer that is signed wrongly is not the server's.
    if (signed_request && r->has_integrity && !r->integrity_ok) return false;
    pending_ = false;
    next_send_ = give_up_ = INT64_MAX;
    if (!r->success) {
        if (r->error_code == 401 && !settings_.username.empty() && !credentials_wanted_) {
            credentials_wanted_ = true;  // asked for credentials: again, at once, with them
            start_request(now_ms, request_.binding_change);
        }
        return true;
    }
    if (request_.binding_change) change_to_announce_ = false;  // announced
    if (mapping_ && *mapping_ != *r->mapped) {
        ++changes_;
        // Annex G: the server (and through it the ACS) learns of the new
        // binding at once, with BINDING-CHANGE.
        change_to_announce_ = true;
        mapping_ = r->mapped;
        start_request(now_ms, true);
        return true;
    }
    mapping_ = r->mapped;
    return true;
}

}  // namespace cwmp::stun
