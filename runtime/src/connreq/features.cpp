#include "cwmp/connreq/features.h"

#include <string_view>

#include "cwmp/dm/engine.h"
#include "cwmp/dm/value.h"

namespace cwmp::connreq {
namespace {

constexpr std::string_view kMS = "Device.ManagementServer.";

bool is_true(std::string_view v) {
    bool b = false;
    return dm::parse(v, b) == Fault::None && b;
}

}  // namespace

std::string supported_methods(const Features& f) {
    std::string s = "HTTP";
    if (f.stun) s += ",STUN";
    if (f.xmpp) s += ",XMPP";
    return s;
}

void declare_features(dm::Engine& engine, const Features& f) {
    const std::string ms(kMS);
    (void)engine.set_runtime(ms + "SupportedConnReqMethods", supported_methods(f));
    (void)engine.set_runtime(ms + "LightweightNotificationProtocolsSupported", f.lightweight ? "UDP" : "");
    engine.set_lightweight_supported(f.lightweight);
    // What runtime/src/xmpp connects by (no WebSocket).
    if (f.xmpp) (void)engine.set_runtime("Device.XMPP.SupportedServerConnectAlgorithms", "DNS-SRV,DNS,ServerTable");
    engine.set_runtime_guard("connreq-features", [f](std::string_view name, std::string_view value) -> std::optional<std::string> {
        if (name.starts_with("Device.XMPP.Connection.") && name.ends_with(".ServerConnectAlgorithm") &&
            value == "WebSocket")
            return "WebSocket is not supported (SupportedServerConnectAlgorithms)";
        if (!name.starts_with(kMS)) return std::nullopt;
        const std::string_view leaf = name.substr(kMS.size());
        if (!f.stun && leaf == "STUNEnable" && is_true(value))
            return "STUN is not supported by this agent (SupportedConnReqMethods)";
        if (!f.xmpp && (leaf == "ConnReqXMPPConnection" || leaf == "ConnReqAllowedJabberIDs") && !value.empty())
            return "XMPP connection requests are not supported by this agent (SupportedConnReqMethods)";
        if (!f.heartbeat && leaf == "HeartbeatPolicy.Enable" && is_true(value))
            return "HeartbeatPolicy is not supported by this agent";
        if (leaf == "LightweightNotificationProtocolsUsed") {
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
