// The rules of Inform events, as one table: TR-069 Amendment 6, 3.7.1.5
// (Table 7, event codes: cumulative behaviour; the event code requirements:
// the ACS answer that completes an event and when an undelivered event is
// discarded).  Everything that queues, keeps or drops an event asks here.
#pragma once

#include <cstdint>
#include <string_view>

namespace cwmp::tasks {

// What completes an event (it stays queued, and is repeated in every Inform
// of every retried session, until then).
enum class CompletedBy : std::uint8_t {
    InformResponse,                        // the Inform that carries it is acknowledged
    TransferCompleteResponse,              // the report of its transfer is acknowledged
    AutonomousTransferCompleteResponse,
    RequestDownloadResponse,
};

struct EventRule {
    std::string_view code;       // "M" rows match "M <method>" exactly; see event_rule()
    bool multiple = false;       // "Multiple": once per CommandKey; else at most once ("Single")
    CompletedBy completed_by = CompletedBy::InformResponse;
    bool discarded_on_reboot = false;  // moot after a reboot (a new BOOT replaces it, the ACS reads values anew)
    // Its delivery must reach stable storage before the session goes on: a
    // repeat after a power cut would tell the ACS something false (a second
    // "0 BOOTSTRAP" reads as a factory reset, a second "M Reboot" as another
    // reboot).  False for the events a reboot drops anyway (only a power
    // cut undoes a lazy commit, and the start after it is a boot) and for
    // "2 PERIODIC", whose loss or repetition tells nothing false.
    bool durable_delivery = true;
    // Pending, it says the device rebooted since it was queued: it is raised
    // by the reboot itself (a Reboot RPC carried out), so a start that finds
    // it is a boot whatever the board's boot id says.
    bool raised_by_reboot = false;
};

// The rule for `code`.  Codes the table does not name (vendor "X ..." and
// unknown ones) are Multiple, completed by the InformResponse, kept.
// A new ACS (0 BOOTSTRAP) discards every undelivered event (3.7.1.5).
const EventRule& event_rule(std::string_view code) noexcept;

}  // namespace cwmp::tasks
