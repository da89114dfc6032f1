// What of the ACS's ways to reach the device (and of CWMP's optional
// reporting features) this agent carries out, said truly in the model:
// SupportedConnReqMethods lists exactly the working connection-request
// methods, and a value that would turn on a feature the agent lacks is
// refused with 9007 instead of being stored and ignored.
#pragma once

#include <string>

namespace cwmp::dm {
class Engine;
struct ModelPaths;
}

namespace cwmp::connreq {

struct Features {
    bool stun = false;         // STUN + UDP connection requests (TR-069 Annex G)
    bool xmpp = false;         // XMPP connection requests (Annex K)
    bool heartbeat = false;    // HeartbeatPolicy (14 HEARTBEAT)
    // UDP lightweight notifications (TR-069 Annex M): carried out by the
    // agent itself (agent/lightweight), so on unless a daemon says otherwise.
    bool lightweight = true;
};

// What the profile's model lets the ACS configure: a feature whose
// parameters the profile lacks is off (STUN without STUNEnable, XMPP
// without XMPP.Connection or ConnReqXMPPConnection, ...).
Features available(const dm::ModelPaths& paths);

// "HTTP", then "STUN" and "XMPP" where they work (SupportedConnReqMethods).
std::string supported_methods(const Features& f);

// Sets SupportedConnReqMethods (and LightweightNotificationProtocolsSupported
// where the profile has it) and installs the engine guard refusing what `f`
// leaves out (with lightweight notifications off, Notification 3 to 6 too).
// Parameters the profile lacks are skipped.
void declare_features(dm::Engine& engine, const Features& f);

}  // namespace cwmp::connreq
