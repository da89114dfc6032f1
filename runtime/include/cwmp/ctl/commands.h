// cwmpctl's commands, carried out on the running agent (the control socket's
// server hands each authorised request here, from the agent's poll loop).
//
//   get PATH...                 values: one "path value" line each
//   set PATH VALUE [PATH VALUE]...   all or nothing, like SetParameterValues
//   add TABLE.                  a new instance; prints its path
//   del INSTANCE.               deletes it
//   names [--next-level] [PATH] names: "path w" (writable) or "path r"
//   attrs PATH...               "path notification [access-list]"
//   inform [EVENT]              a session now, with the event "X <OUI> <NAME>"
//                               (default "X <OUI> CWMPCTL", OUI: DeviceInfo.ManufacturerOUI)
//   status                      ACS, last session, next periodic Inform, transfers, diagnostics
//   events                      the events waiting for delivery
//   request-download FILETYPE [NAME=VALUE]...   RequestDownload (TR-069 A.4.2.2)
//
// Changes are local, not the ACS's: they follow the same access rules (no
// write to a read-only parameter or an object the ACS could not add) and
// raise 4 VALUE CHANGE per the notification attributes; ParameterKey stays.
// Values hidden from the ACS (passwords) are shown to root only.
#pragma once

#include <sys/types.h>

#include "cwmp/agent/agent.h"
#include "cwmp/ctl/protocol.h"
#include "cwmp/dm/engine.h"
#include "cwmp/tasks/tasks.h"

namespace cwmp::ctl {

struct Caller {
    uid_t uid = 0;
    pid_t pid = 0;
    bool root() const noexcept { return uid == 0; }
};

class Commands {
public:
    Commands(dm::Engine& engine, agent::Agent& agent, tasks::Tasks& tasks, util::Clock now);
    Response run(const Request& r, const Caller& caller);

private:
    Response get(const Request& r, const Caller& caller);
    Response set(const Request& r);
    Response add(const Request& r);
    Response del(const Request& r);
    Response names(const Request& r);
    Response attrs(const Request& r);
    Response inform(const Request& r);
    Response status(const Request& r);
    Response events(const Request& r);
    Response request_download(const Request& r);

    dm::Engine& engine_;
    agent::Agent& agent_;
    tasks::Tasks& tasks_;
    util::Clock now_;
};

// The text of `text` as a JSON string (quotes included).
std::string json_string(std::string_view text);

}  // namespace cwmp::ctl
