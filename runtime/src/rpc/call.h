// What an RPC handler works with: the request element, the engine and task
// queue, and the writer positioned inside the response Body.  A handler
// either writes its whole response and returns success, or returns the
// fault as a dm::Outcome (the engine's, which name the parameter or
// instance and the cause); the argument helpers (args.h), which cannot
// return one, throw it as an RpcError.  Anything else thrown is answered
// 9002 naming the method and the cause, and logged (dispatch.cpp).
#pragma once

#include "cwmp/dm/engine.h"
#include "cwmp/soap/reader.h"
#include "cwmp/soap/writer.h"
#include "cwmp/tasks/tasks.h"

namespace cwmp::rpc {

struct Call {
    const soap::Element& request;
    soap::Namespace ns;  // the session's cwmp namespace
    dm::Engine& engine;
    tasks::Tasks& tasks;
    soap::Writer& out;
};

using Handler = dm::Outcome (*)(Call&);

// parameters.cpp
dm::Outcome get_rpc_methods(Call&);
dm::Outcome get_parameter_names(Call&);
dm::Outcome get_parameter_values(Call&);
dm::Outcome set_parameter_values(Call&);
dm::Outcome get_parameter_attributes(Call&);
dm::Outcome set_parameter_attributes(Call&);
// objects.cpp
dm::Outcome add_object(Call&);
dm::Outcome delete_object(Call&);
// maintenance.cpp
dm::Outcome reboot(Call&);
dm::Outcome factory_reset(Call&);
dm::Outcome schedule_inform(Call&);
// transfers.cpp
dm::Outcome download(Call&);
dm::Outcome upload(Call&);
dm::Outcome schedule_download(Call&);
dm::Outcome get_queued_transfers(Call&);
dm::Outcome get_all_queued_transfers(Call&);
dm::Outcome cancel_transfer(Call&);

}  // namespace cwmp::rpc
