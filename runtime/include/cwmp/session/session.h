// One CWMP session (TR-069 3.7.1): the Inform and its response, the CPE's
// own requests, the empty POST, then the ACS's requests answered one by one
// until the ACS ends the session with an empty answer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cwmp/agent/tasks.h"
#include "cwmp/dm/engine.h"
#include "cwmp/soap/writer.h"

namespace cwmp::rpc {
class Cpe;
}
namespace cwmp::util {
class Log;
}

namespace cwmp::session {

class HttpSession;

// What the Inform carries besides what the engine provides.
struct InformInput {
    std::vector<agent::Event> events;
    std::vector<dm::ValueChange> changes;  // parameters whose change the Inform reports
    std::uint32_t retry_count = 0;
    std::int64_t now = 0;                  // CurrentTime, Unix seconds
    std::string id;                        // cwmp:ID of the Inform
};

// The Inform message (CWMP 1.4 in the cwmp-1-2 namespace, offering every
// version in SupportedCWMPVersions).  Its ParameterList holds the model's
// forcedInform parameters, the changed ones, and what the ACS asked for in
// ManagementServer.InformParameter.
std::string build_inform(dm::Engine& engine, const InformInput& in);

struct SessionResult {
    bool informed = false;   // the ACS acknowledged the Inform (its events are delivered)
    bool completed = false;  // the ACS ended the session normally
    std::string error;       // why not
    soap::Namespace ns = soap::Namespace::Cwmp12;
    std::string cwmp_version;     // what the ACS said to use ("" when it did not say)
    std::size_t acs_requests = 0;  // RPCs the ACS sent and the CPE answered
    std::size_t transfers_reported = 0;  // TransferComplete the ACS acknowledged
};

class Session {
public:
    // With `tasks`, finished transfers are reported (TransferComplete) after
    // the Inform, and forgotten once the ACS acknowledged them.
    Session(HttpSession& http, dm::Engine& engine, rpc::Cpe& cpe, const util::Log& log,
            agent::Tasks* tasks = nullptr)
        : http_(http), engine_(engine), cpe_(cpe), log_(log), tasks_(tasks) {}

    // Called once the ACS acknowledged the Inform (its events are delivered
    // then, even if the session fails later), and after each acknowledged
    // TransferComplete.
    void on_informed(std::function<void()> f) { on_informed_ = std::move(f); }
    void on_transfer_acknowledged(std::function<void(const agent::Transfer&)> f) { on_transfer_ = std::move(f); }

    SessionResult run(const InformInput& inform);

private:
    HttpSession& http_;
    dm::Engine& engine_;
    rpc::Cpe& cpe_;
    const util::Log& log_;
    agent::Tasks* tasks_;
    std::function<void()> on_informed_;
    std::function<void(const agent::Transfer&)> on_transfer_;
};

}  // namespace cwmp::session
