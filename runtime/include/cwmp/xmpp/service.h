// Device.XMPP.Connection.{i} made live: one xmpp::Client per row, configured
// from the row (and its Server table) and from ManagementServer's
// ConnReqXMPPConnection / ConnReqAllowedJabberIDs / ConnectionRequest
// credentials; the clients' state written back (Status, JabberID,
// LastChangeDate, TLSEstablished, ManagementServer.ConnReqJabberID).  Runs
// on the agent's thread, which owns the model.
#pragma once

#include <poll.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/dm/own.h"
#include "cwmp/xmpp/client.h"

namespace cwmp::dm {
class Engine;
}

namespace cwmp::xmpp {

struct ServiceOptions {
    std::string ca_file;  // the agent's CA bundle (TLS to the XMPP server)
    unsigned max_requests_per_minute = 30;
};

class Service {
public:
    using WallClock = std::function<std::int64_t()>;
    Service(dm::Engine& engine, const util::Log& log, WallClock now, ServiceOptions options);
    ~Service();

    // Reads the model and (re)configures the clients, when the model has
    // changed since the last time.
    void step();
    void add_to_poll(std::vector<pollfd>& fds) const;
    // Applies what the clients report; returns the valid connection requests.
    unsigned serve();

private:
    struct Row;
    std::vector<std::string> rows();

    dm::Engine& engine_;
    const util::Log& log_;
    dm::Own own_{engine_, log_};  // its settings read, its state published: failures logged once
    WallClock now_;
    ServiceOptions options_;
    std::map<std::string, std::unique_ptr<Row>> rows_;  // "Device.XMPP.Connection.3" -> client
    std::optional<std::uint64_t> read_at_;  // the engine's revision step() read
};

}  // namespace cwmp::xmpp
