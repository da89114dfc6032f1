#include "cwmp/agent/events.h"

#include <array>

namespace cwmp::agent {
namespace {

using enum CompletedBy;

// TR-069 Amendment 6, 3.7.1.5 (Table 7 and the event code requirements),
// for the events this agent raises.  A failed session discards none of them:
// the retried Inform carries every event not yet completed (3.2.1.1), the
// 6 CONNECTION REQUEST that opened the failed session included.
constexpr std::array kRules{
    EventRule{"0 BOOTSTRAP", false, InformResponse, false},
    EventRule{"1 BOOT", false, InformResponse, true},
    EventRule{"2 PERIODIC", false, InformResponse, false},
    EventRule{"3 SCHEDULED", false, InformResponse, false},
    EventRule{"4 VALUE CHANGE", false, InformResponse, true},
    EventRule{"6 CONNECTION REQUEST", false, InformResponse, true},
    EventRule{"7 TRANSFER COMPLETE", false, TransferCompleteResponse, false},
    EventRule{"8 DIAGNOSTICS COMPLETE", false, InformResponse, true},
    EventRule{"9 REQUEST DOWNLOAD", false, RequestDownloadResponse, false},
    EventRule{"10 AUTONOMOUS TRANSFER COMPLETE", false, AutonomousTransferCompleteResponse, false},
    EventRule{"M Reboot", true, InformResponse, false},
    EventRule{"M ScheduleInform", true, InformResponse, false},
    EventRule{"M Download", true, TransferCompleteResponse, false},
    EventRule{"M ScheduleDownload", true, TransferCompleteResponse, false},
    EventRule{"M Upload", true, TransferCompleteResponse, false},
};

constexpr EventRule kOther{"", true, InformResponse, false};

}  // namespace

const EventRule& event_rule(std::string_view code) noexcept {
    for (const EventRule& r : kRules)
        if (r.code == code) return r;
    // Numbered codes this table lacks are Single by Table 7's convention.
    static constexpr EventRule kNumbered{"", false, InformResponse, false};
    if (!code.empty() && code.front() >= '0' && code.front() <= '9') return kNumbered;
    return kOther;
}

}  // namespace cwmp::agent
