#include "cwmp/tasks/events.h"

#include <array>

namespace cwmp::tasks {
namespace {

using enum CompletedBy;

// TR-069 Amendment 6, 3.7.1.5 (Table 7 and the event code requirements),
// for the events this agent raises.  A failed session discards none of them:
// the retried Inform carries every event not yet completed (3.2.1.1), the
// 6 CONNECTION REQUEST that opened the failed session included.
constexpr std::array kRules{
    EventRule{.code = "0 BOOTSTRAP"},
    EventRule{.code = "1 BOOT", .discarded_on_reboot = true, .durable_delivery = false},
    EventRule{.code = "2 PERIODIC", .durable_delivery = false},
    EventRule{.code = "3 SCHEDULED"},
    EventRule{.code = "4 VALUE CHANGE", .discarded_on_reboot = true, .durable_delivery = false},
    EventRule{.code = "6 CONNECTION REQUEST", .discarded_on_reboot = true, .durable_delivery = false},
    EventRule{.code = "7 TRANSFER COMPLETE", .completed_by = TransferCompleteResponse},
    EventRule{.code = "8 DIAGNOSTICS COMPLETE", .discarded_on_reboot = true, .durable_delivery = false},
    EventRule{.code = "9 REQUEST DOWNLOAD", .completed_by = RequestDownloadResponse},
    EventRule{.code = "10 AUTONOMOUS TRANSFER COMPLETE", .completed_by = AutonomousTransferCompleteResponse},
    EventRule{.code = "M Reboot", .multiple = true, .raised_by_reboot = true},
    EventRule{.code = "M ScheduleInform", .multiple = true},
    EventRule{.code = "M Download", .multiple = true, .completed_by = TransferCompleteResponse},
    EventRule{.code = "M ScheduleDownload", .multiple = true, .completed_by = TransferCompleteResponse},
    EventRule{.code = "M Upload", .multiple = true, .completed_by = TransferCompleteResponse},
};

constexpr EventRule kOther{.code = "", .multiple = true};

}  // namespace

const EventRule& event_rule(std::string_view code) noexcept {
    for (const EventRule& r : kRules)
        if (r.code == code) return r;
    // Numbered codes this table lacks are Single by Table 7's convention.
    static constexpr EventRule kNumbered{.code = ""};
    if (!code.empty() && code.front() >= '0' && code.front() <= '9') return kNumbered;
    return kOther;
}

}  // namespace cwmp::tasks
