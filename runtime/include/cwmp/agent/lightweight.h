// Lightweight notifications (TR-069 Annex M; TR-181 ManagementServer's
// LightweightNotification* and UDPLightweightNotification* parameters):
// when the values of parameters with Notification 3 to 6 changed, one UDP
// message (lwn/message) to UDPLightweightNotificationHost:Port (the ACS URL's
// host and 7547 when unset).  An active change (5, 6) is sent at the change
// poll that sees it, with every pending passive one (3, 4); passive changes
// alone wait for LightweightNotificationTriggerTime + n x TriggerInterval
// (a timer on the agent's loop; interval 0: only with an active one).
// Nothing is sent while LightweightNotificationProtocolsUsed lacks "UDP":
// changes seen meanwhile are dropped, as TR-181 says the mechanism is then
// disabled whatever the attributes say.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/own.h"
#include "cwmp/util/clock.h"
#include "cwmp/util/loop.h"
#include "cwmp/util/resolve.h"

namespace cwmp::util {
class Log;
}

namespace cwmp::agent {

// The next passive trigger after `now` (Unix s): TriggerTime (`phase`, or
// `anchor` when unknown) + a whole number of `interval`s; INT64_MAX for 0.
std::int64_t next_trigger(std::int64_t now, std::uint32_t interval, std::optional<std::int64_t> phase,
                          std::int64_t anchor);

struct ManagementServerSettings;

class Lightweight {
public:
    // The agent's typed ManagementServer settings (cwmp/agent/settings.h), as they are now.
    using Settings = std::function<ManagementServerSettings()>;

    // A datagram stays within `max_datagram` bytes where it can (a 1500-byte
    // MTU less IPv6 and UDP headers, with room for tunnels).
    Lightweight(dm::Engine& engine, Settings settings, util::Loop& loop, const util::Log& log, util::Clock now,
                std::size_t max_datagram = 1400);
    ~Lightweight();
    Lightweight(const Lightweight&) = delete;
    Lightweight& operator=(const Lightweight&) = delete;

    // Sets the trigger timer (the local phase reference is now).
    void start();
    // At each change poll: an active lightweight change is sent now.
    void poll();
    // A ManagementServer value the ACS changed: a new trigger interval or time.
    void on_change(std::string_view name);

    std::size_t sent() const noexcept { return sent_; }          // datagrams sent since start
    std::int64_t next_due() const noexcept { return next_due_; }  // the next trigger (Unix s), INT64_MAX: none

private:
    bool enabled() const;
    // The timer for the first slot after now (and after `after`, Unix s).
    void reschedule(std::int64_t after = INT64_MIN);
    void trigger();
    // Sends `changes` (their current values read again, hidden ones empty);
    // acknowledged once sent.
    void deliver(const std::vector<dm::ValueChange>& changes, std::string_view why);
    // A DeviceInfo value for the message's identity (a failure logged once).
    std::string value(std::string_view name) const;
    // Where datagrams go: resolved once per change of the stored settings
    // (the engine's revision), and again after a send that failed.
    struct Destination {
        std::string where;  // host:port, for the log and the message
        util::Lookup lookup;
    };
    const Destination& destination();


    dm::Engine& engine_;
    Settings settings_;
    util::Loop& loop_;
    const util::Log& log_;
    mutable dm::Own own_{engine_, log_};  // DeviceInfo read (by const readers): a failure logged once
    util::Clock now_;
    std::size_t max_datagram_;
    std::int64_t anchor_ = 0;
    std::int64_t next_due_ = INT64_MAX;
    util::Loop::Id timer_ = 0;
    std::size_t sent_ = 0;
    Destination destination_;
    std::optional<std::uint64_t> resolved_at_;  // the engine's revision destination_ was resolved at
};

}  // namespace cwmp::agent
