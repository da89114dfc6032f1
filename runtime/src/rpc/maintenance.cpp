// Reboot, FactoryReset and ScheduleInform (TR-069 A.3.2.9, A.4.1.6,
// A.4.1.2): each is persisted in the task queue before the response is
// written, so that an acknowledged request survives a crash; carrying it out
// is the session layer's job.
#include "args.h"
#include "call.h"

namespace cwmp::rpc {
namespace {

void empty_response(soap::Writer& out, std::string_view name) {
    out.open_rpc(name);
    out.close_rpc(name);
}

}  // namespace

dm::Outcome reboot(Call& call) {
    const std::string& key = text_arg(call.request, "CommandKey", kCommandKeyChars);
    call.tasks.request_reboot(key);  // with "M Reboot" for the Inform after it
    empty_response(call.out, "RebootResponse");
    return {};
}

dm::Outcome factory_reset(Call& call) {
    call.tasks.request_factory_reset();
    empty_response(call.out, "FactoryResetResponse");
    return {};
}

dm::Outcome schedule_inform(Call& call) {
    const std::uint32_t delay = unsigned_arg(call.request, "DelaySeconds");
    const std::string& key = text_arg(call.request, "CommandKey", kCommandKeyChars);
    // TR-069 A.4.1.2: DelaySeconds MUST be greater than zero.
    if (delay == 0) return dm::Outcome::fail(Fault::InvalidArguments, "DelaySeconds: must be greater than 0");
    call.tasks.schedule_inform(call.tasks.now() + delay, key);
    empty_response(call.out, "ScheduleInformResponse");
    return {};
}

}  // namespace cwmp::rpc
