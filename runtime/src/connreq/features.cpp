#include "cwmp/connreq/features.h"

#include <string_view>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/own.h"
#include "cwmp/dm/value.h"

namespace cwmp::connreq {
namespace {

bool is_true(std::string_view v) {
    bool b = false;
    return dm::parse(v, b) == Fault::None && b;
}

}  // namespace

Features available(const dm::ModelPaths& p) {
    const dm::ModelPaths::ManagementServer& ms = p.management_server;
    return {.stun = !ms.stun_enable.empty(),
            .xmpp = !p.xmpp.connection.path.empty() && !ms.conn_req_xmpp_connection.empty(),
            .heartbeat = !ms.heartbeat_policy.enable.empty(),
            .lightweight = !ms.lightweight_notification_protocols_used.empty()};
}

std::string supported_methods(const Features& f) {
    std::string s = "HTTP";
    if (f.stun) s += ",STUN";
    if (f.xmpp) s += ",XMPP";
    return s;
}

void declare_features(dm::Engine& engine, const Features& f) {
    const dm::ModelPaths& paths = engine.schema().paths;
    const dm::ModelPaths::ManagementServer& ms = paths.management_server;
    // At start: a value the model cannot take is a dm::StartupError naming it.
    dm::require_value(engine, ms.supported_conn_req_methods, supported_methods(f));
    dm::require_value(engine, ms.lightweight_notification_protocols_supported, f.lightweight ? "UDP" : "");
    engine.set_lightweight_supported(f.lightweight);
    // What runtime/src/xmpp connects by (no WebSocket).
    if (f.xmpp) dm::require_value(engine, paths.xmpp.supported_server_connect_algorithms, "DNS-SRV,DNS,ServerTable");
    // The paths live in the generated schema, as long as the program.
    engine.set_runtime_guard("connreq-features", [f, &paths](std::string_view name, std::string_view value) -> std::optional<std::string> {
        const dm::ModelPaths::ManagementServer& ms = paths.management_server;
        const std::string_view connections = dm::table_path(paths.xmpp.connection.path);
        if (!connections.empty() && name.starts_with(connections) &&
            dm::leaf_name(name) == dm::leaf_name(paths.xmpp.connection.server_connect_algorithm) && value == "WebSocket")
            return "WebSocket is not supported (SupportedServerConnectAlgorithms)";
        // The profile's paths: "" for those it lacks, which no name equals.
        auto is = [name](std::string_view path) { return !path.empty() && name == path; };
        if (!f.stun && is(ms.stun_enable) && is_true(value))
            return "STUN is not supported by this agent (SupportedConnReqMethods)";
        if (!f.xmpp && (is(ms.conn_req_xmpp_connection) || is(ms.conn_req_allowed_jabber_ids)) && !value.empty())
            return "XMPP connection requests are not supported by this agent (SupportedConnReqMethods)";
        if (!f.heartbeat && is(ms.heartbeat_policy.enable) && is_true(value))
            return "HeartbeatPolicy is not supported by this agent";
        if (is(ms.lightweight_notification_protocols_used)) {
            // A list of values of LightweightNotificationProtocolsSupported.
            if (!f.lightweight && !value.empty())
                return "lightweight notifications are not supported by this agent "
                       "(LightweightNotificationProtocolsSupported)";
            for (std::string_view item : dm::split_list(value))
                if (item != "UDP")
                    return std::string(item) + " is not in LightweightNotificationProtocolsSupported";
        }
        return std::nullopt;
    });
}

}  // namespace cwmp::connreq
