// The CPE side of CWMP's RPCs: given an ACS request, the exact response (or
// fault) a TR-069 Amendment 6 CPE sends.  No network here: the session layer
// hands in the bytes it received and sends back what this returns.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/soap/reader.h"

namespace cwmp::dm {
class Engine;
}
namespace cwmp::tasks {
class Tasks;
}
namespace cwmp::util {
class Log;
}

namespace cwmp::rpc {

class Cpe {
public:
    // `log`: where a fault of the agent's own (an exception no handler
    // meant) is logged with the method and the cause; none: only the
    // FaultString says it.
    Cpe(dm::Engine& engine, tasks::Tasks& tasks, const util::Log* log = nullptr) noexcept
        : engine_(engine), tasks_(tasks), log_(log) {}

    // Answers one parsed ACS request, appending the response envelope (same
    // cwmp namespace, cwmp:ID echoed) to `out`.
    void answer(const soap::Envelope& request, std::string& out);

    // Parses and answers `bytes`; a message that is not a CWMP request gets
    // a 9003 fault (without an ID, as none could be read).
    std::string answer(std::string_view bytes, const soap::Limits& limits = {});

    // Every method, in the order TR-069 Table 5 gives them; and those a
    // session in namespace `ns` has (GetRPCMethods lists these).
    static std::span<const std::string_view> methods() noexcept;
    static std::vector<std::string_view> methods(soap::Namespace ns);

private:
    dm::Engine& engine_;
    tasks::Tasks& tasks_;
    const util::Log* log_;
};

}  // namespace cwmp::rpc
