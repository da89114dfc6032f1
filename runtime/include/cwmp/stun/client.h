// The STUN client of TR-069 Annex G: Binding Requests to the STUN server
// from the UDP connection-request socket, one at a time, retransmitted
// (RFC 5389 7.2.1: RTO 500 ms doubling, 7 tries), repeated every keep-alive
// period to hold the NAT binding open; the mapped address learnt from the
// answers; BINDING-CHANGE in the request after the mapping changed;
// USERNAME and MESSAGE-INTEGRITY once the server asked for them (401) and
// a user name is configured.  No sockets and no clock of its own: the
// caller sends the datagrams and says what time it is (milliseconds).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "cwmp/stun/message.h"

namespace cwmp::stun {

struct Settings {
    bool enable = false;
    std::string server;  // an IP literal or a host name
    std::uint16_t port = 3478;
    std::string username, password;
    std::int64_t period_ms = 25'000;  // keep-alive
    bool operator==(const Settings&) const = default;
};

// The keep-alive period for STUNMinimumKeepAlivePeriod / MaximumKeepAlivePeriod
// (seconds; max -1: none): the default 25 s (under the 30 s a Linux NAT keeps
// an idle UDP mapping), moved into [min, max].
std::int64_t keepalive_ms(std::uint32_t min_s, std::int32_t max_s);

class Client {
public:
    using Send = std::function<void(std::string_view datagram)>;
    explicit Client(std::uint64_t seed) : rng_(seed) {}

    // New settings restart discovery (a new server knows no mapping of ours).
    void configure(const Settings& s, std::int64_t now_ms);
    const Settings& settings() const noexcept { return settings_; }

    // Sends what is due; returns when to be called again (ms; INT64_MAX: never).
    std::int64_t step(std::int64_t now_ms, const Send& send);

    // A STUN datagram from the server; true when it answered our request
    // (the mapping may have changed: see mapping() and changes()).
    bool on_datagram(std::string_view bytes, std::int64_t now_ms);

    const std::optional<Address>& mapping() const noexcept { return mapping_; }
    unsigned changes() const noexcept { return changes_; }        // mapping changes seen
    std::uint64_t requests_sent() const noexcept { return sent_; }  // retransmissions included

private:
    void start_request(std::int64_t now_ms, bool binding_change);

    Settings settings_;
    std::mt19937_64 rng_;
    std::optional<Address> mapping_;
    unsigned changes_ = 0;
    std::uint64_t sent_ = 0;
    bool credentials_wanted_ = false;  // the server answered 401
    // The request in flight.
    bool pending_ = false;
    BindingRequest request_;
    std::string datagram_;
    unsigned attempt_ = 0;
    std::int64_t next_send_ = INT64_MAX;   // retransmission or first send
    std::int64_t give_up_ = INT64_MAX;     // no answer by then: wait for the next keep-alive
    std::int64_t next_keepalive_ = INT64_MAX;
    bool change_to_announce_ = false;      // the next request carries BINDING-CHANGE
};

}  // namespace cwmp::stun
