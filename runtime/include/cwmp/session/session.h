// One CWMP session (TR-069 3.7.1): the Inform and its response, the CPE's
// own requests (held while the ACS says HoldRequests), the empty POST, then
// the ACS's requests answered one by one until the ACS ends the session
// with an empty answer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/dm/engine.h"
#include "cwmp/soap/writer.h"
#include "cwmp/tasks/tasks.h"

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
    std::vector<tasks::Event> events;
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

// RequestDownload (TR-069 A.4.2.2) of a queued request.
std::string build_request_download(const tasks::Tasks::DownloadRequest& r, soap::Namespace ns, std::string_view id);

struct SessionResult {
    bool informed = false;   // the ACS acknowledged the Inform (its events are delivered)
    bool completed = false;  // the ACS ended the session normally
    std::string error;       // why not
    soap::Namespace ns = soap::Namespace::Cwmp12;
    std::string cwmp_version;     // what the ACS said to use ("" when it did not say)
    std::size_t acs_requests = 0;  // RPCs the ACS sent and the CPE answered
    std::size_t transfers_reported = 0;  // TransferComplete the ACS acknowledged
    std::size_t downloads_requested = 0; // RequestDownload the ACS acknowledged
    // The ACS's GetRPCMethods answer, when this session asked (empty
    // optional: not asked, or the ACS answered with a fault).
    std::optional<std::vector<std::string>> acs_methods;
    bool acs_methods_refused = false;  // asked, and the ACS answered with a fault
};

// The CPE's own requests of a session besides the Inform, sent after the
// InformResponse, in this order, whenever the ACS does not hold them
// (the HoldRequests header, TR-069 A.2.2): GetRPCMethods (A.3.1.1), the
// reports of finished transfers (A.3.3.2, A.3.3.3), RequestDownload (A.4.2.2).
struct CpeRequests {
    bool ask_rpc_methods = false;  // send GetRPCMethods (an ACS new to us)
    // The ACS's methods when known: a RequestDownload is sent only to an
    // ACS that lists it (unknown: sent, the ACS may answer 8000).
    std::optional<std::vector<std::string>> acs_methods;
};

class Session {
public:
    // With `tasks`, finished transfers are reported (TransferComplete) after
    // the Inform, and forgotten once the ACS acknowledged them.
    Session(HttpSession& http, dm::Engine& engine, rpc::Cpe& cpe, const util::Log& log,
            tasks::Tasks* tasks = nullptr)
        : http_(http), engine_(engine), cpe_(cpe), log_(log), tasks_(tasks) {}

    // Called once the ACS acknowledged the Inform (its events are delivered
    // then, even if the session fails later), and after each acknowledged
    // TransferComplete.
    void on_informed(std::function<void()> f) { on_informed_ = std::move(f); }
    void on_transfer_acknowledged(std::function<void(const tasks::Transfer&)> f) { on_transfer_ = std::move(f); }

    SessionResult run(const InformInput& inform, const CpeRequests& requests = {});

private:
    HttpSession& http_;
    dm::Engine& engine_;
    rpc::Cpe& cpe_;
    const util::Log& log_;
    tasks::Tasks* tasks_;
    std::function<void()> on_informed_;
    std::function<void(const tasks::Transfer&)> on_transfer_;
};

}  // namespace cwmp::session
