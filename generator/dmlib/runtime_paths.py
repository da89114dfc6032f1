"""The paths of the model the runtime (libcwmp) reads and writes itself.

One list, relative to the root object ("ManagementServer.URL" is
"Device.ManagementServer.URL" in a Device:2 profile).  The syntax says the
kind: "X." an object, "X.{i}." a table, anything else a parameter.  Each
entry is REQUIRED (the agent cannot work without it) or belongs to an
optional feature, which the runtime turns off when the profile lacks it.

The list is written for Device:2; another root model the agent serves
(ROOTS: TR-098's InternetGatewayDevice:1) holds the same objects below
its own root object, at the same path below it unless PLACES says where.
For each profile the generator resolves the list against the profile's
model (`resolve`):
  - in Device:2, an entry the root model does not define at all, as that
    kind, is a misspelling here and fails generation; an optional entry
    may name the model version that introduced it (a third element, e.g.
    "2.14"), and in an older model (bbf_pins) it is emitted empty instead;
  - in another root model, an optional entry the model does not define is
    emitted empty (its feature is off), a required one fails generation,
    and so does a PLACES target the model does not define;
  - a required entry the profile does not support fails generation, naming
    the path and the profile;
  - an optional entry the profile does not support is emitted empty.
The result is cwmp::dm::ModelPaths (runtime/include/cwmp/dm/schema.h), one
struct per object, its members named from the paths (`struct_declaration`
prints the declaration schema.h carries; tests/generator/test_runtime_paths.py
checks the two agree).  Full paths are emitted, the root included, so the
runtime names no root object.
"""

import os
import re

from . import runtime_diagnostics
from .errors import DMError

REQUIRED = None

# (path below the root, feature or REQUIRED[, the root model version that
# introduced it, for an optional entry newer than the oldest model served]);
# order is the struct's order.
_LISTED = (
    # The Inform's DeviceId (TR-069 A.3.3.1).
    ("DeviceInfo.Manufacturer", REQUIRED),
    ("DeviceInfo.ManufacturerOUI", REQUIRED),
    ("DeviceInfo.ProductClass", REQUIRED),
    ("DeviceInfo.SerialNumber", REQUIRED),
    # The ACS, the periodic Inform, the ParameterKey, connection requests.
    ("ManagementServer.URL", REQUIRED),
    ("ManagementServer.Username", REQUIRED),
    ("ManagementServer.Password", REQUIRED),
    ("ManagementServer.PeriodicInformEnable", REQUIRED),
    ("ManagementServer.PeriodicInformInterval", REQUIRED),
    ("ManagementServer.PeriodicInformTime", REQUIRED),
    ("ManagementServer.ParameterKey", REQUIRED),
    ("ManagementServer.ConnectionRequestURL", REQUIRED),
    ("ManagementServer.ConnectionRequestUsername", REQUIRED),
    ("ManagementServer.ConnectionRequestPassword", REQUIRED),
    ("ManagementServer.HTTPConnectionRequestEnable", "http-connection-request-switch"),
    ("ManagementServer.SupportedConnReqMethods", "connection-request-methods"),
    ("ManagementServer.CWMPRetryMinimumWaitInterval", "session-retry-policy"),
    ("ManagementServer.CWMPRetryIntervalMultiplier", "session-retry-policy"),
    ("ManagementServer.DefaultActiveNotificationThrottle", "notification-throttle"),
    ("ManagementServer.AliasBasedAddressing", "alias-based-addressing"),
    ("ManagementServer.InstanceMode", "alias-based-addressing"),
    ("ManagementServer.AutoCreateInstances", "alias-based-addressing"),
    ("ManagementServer.InformParameter.{i}.", "inform-parameters"),
    ("ManagementServer.InformParameter.{i}.Enable", "inform-parameters"),
    ("ManagementServer.InformParameter.{i}.EventList", "inform-parameters"),
    ("ManagementServer.InformParameter.{i}.ParameterName", "inform-parameters"),
    # TR-069 Annex G: UDP connection requests and STUN.
    ("ManagementServer.UDPConnectionRequestAddress", "udp-connection-request"),
    ("ManagementServer.NATDetected", "udp-connection-request"),
    ("ManagementServer.STUNEnable", "udp-connection-request"),
    ("ManagementServer.STUNServerAddress", "udp-connection-request"),
    ("ManagementServer.STUNServerPort", "udp-connection-request"),
    ("ManagementServer.STUNUsername", "udp-connection-request"),
    ("ManagementServer.STUNPassword", "udp-connection-request"),
    ("ManagementServer.STUNMinimumKeepAlivePeriod", "udp-connection-request"),
    ("ManagementServer.STUNMaximumKeepAlivePeriod", "udp-connection-request"),
    # TR-069 Annex M: lightweight notifications.
    ("ManagementServer.LightweightNotificationProtocolsSupported", "lightweight-notifications"),
    ("ManagementServer.LightweightNotificationProtocolsUsed", "lightweight-notifications"),
    ("ManagementServer.LightweightNotificationTriggerInterval", "lightweight-notifications"),
    ("ManagementServer.LightweightNotificationTriggerTime", "lightweight-notifications"),
    ("ManagementServer.UDPLightweightNotificationHost", "lightweight-notifications"),
    ("ManagementServer.UDPLightweightNotificationPort", "lightweight-notifications"),
    # TR-069 Annex K: XMPP connection requests.
    ("ManagementServer.ConnReqXMPPConnection", "xmpp"),
    ("ManagementServer.ConnReqAllowedJabberIDs", "xmpp"),
    ("ManagementServer.ConnReqJabberID", "xmpp"),
    # CWMP 1.4 Annex O: heartbeat sessions.
    ("ManagementServer.HeartbeatPolicy.", "heartbeat"),
    ("ManagementServer.HeartbeatPolicy.Enable", "heartbeat"),
    ("ManagementServer.HeartbeatPolicy.ReportingInterval", "heartbeat"),
    ("ManagementServer.HeartbeatPolicy.InitiationTime", "heartbeat"),
    # AutonomousTransferComplete (TR-069 A.3.3.3).
    ("ManagementServer.AutonomousTransferCompletePolicy.Enable", "autonomous-transfer-complete"),
    ("ManagementServer.AutonomousTransferCompletePolicy.TransferTypeFilter", "autonomous-transfer-complete"),
    ("ManagementServer.AutonomousTransferCompletePolicy.ResultTypeFilter", "autonomous-transfer-complete"),
    ("ManagementServer.AutonomousTransferCompletePolicy.FileTypeFilter", "autonomous-transfer-complete"),
    ("XMPP.SupportedServerConnectAlgorithms", "xmpp"),
    ("XMPP.Connection.{i}.", "xmpp"),
    ("XMPP.Connection.{i}.Enable", "xmpp"),
    ("XMPP.Connection.{i}.Username", "xmpp"),
    ("XMPP.Connection.{i}.Password", "xmpp"),
    ("XMPP.Connection.{i}.Domain", "xmpp"),
    ("XMPP.Connection.{i}.Resource", "xmpp"),
    ("XMPP.Connection.{i}.UseTLS", "xmpp"),
    ("XMPP.Connection.{i}.ServerRetryInitialInterval", "xmpp"),
    ("XMPP.Connection.{i}.ServerRetryIntervalMultiplier", "xmpp"),
    ("XMPP.Connection.{i}.ServerRetryMaxInterval", "xmpp"),
    ("XMPP.Connection.{i}.ServerConnectAlgorithm", "xmpp"),
    ("XMPP.Connection.{i}.Status", "xmpp"),
    ("XMPP.Connection.{i}.LastChangeDate", "xmpp"),
    ("XMPP.Connection.{i}.JabberID", "xmpp"),
    ("XMPP.Connection.{i}.TLSEstablished", "xmpp"),
    ("XMPP.Connection.{i}.Server.{i}.", "xmpp"),
    ("XMPP.Connection.{i}.Server.{i}.Enable", "xmpp"),
    ("XMPP.Connection.{i}.Server.{i}.Priority", "xmpp"),
    ("XMPP.Connection.{i}.Server.{i}.ServerAddress", "xmpp"),
    ("XMPP.Connection.{i}.Server.{i}.Port", "xmpp"),
    # TR-143 diagnostics (diag/standard) and what their Interface names.
    ("IP.Interface.{i}.", "ip-diagnostics"),
    ("IP.Interface.{i}.Name", "ip-diagnostics"),
    ("IP.Diagnostics.", "ip-diagnostics"),
    ("IP.Diagnostics.IPv4PingSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv6PingSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv4TraceRouteSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv6TraceRouteSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv4DownloadDiagnosticsSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv6DownloadDiagnosticsSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv4UploadDiagnosticsSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv6UploadDiagnosticsSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv4UDPEchoDiagnosticsSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv6UDPEchoDiagnosticsSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv4ServerSelectionDiagnosticsSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPv6ServerSelectionDiagnosticsSupported", "ip-diagnostics"),
    ("IP.Diagnostics.IPLayerCapacitySupported", "ip-diagnostics", "2.14"),
    # Each diagnostic, and the inputs, capabilities and result tables
    # diag/standard.cpp names (its tests' typed fields are added below, from
    # runtime_diagnostics.DIAGNOSTICS).
    ("IP.Diagnostics.IPPing.", "ip-diagnostics"),
    ("IP.Diagnostics.IPPing.NumberOfRepetitions", "ip-diagnostics"),
    ("IP.Diagnostics.IPPing.Timeout", "ip-diagnostics"),
    ("IP.Diagnostics.IPPing.DataBlockSize", "ip-diagnostics"),
    ("IP.Diagnostics.IPPing.ProtocolVersion", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.NumberOfTries", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.Timeout", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.DataBlockSize", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.MaxHopCount", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.ProtocolVersion", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.RouteHops.{i}.", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.RouteHops.{i}.Host", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.RouteHops.{i}.HostAddress", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.RouteHops.{i}.ErrorCode", "ip-diagnostics"),
    ("IP.Diagnostics.TraceRoute.RouteHops.{i}.RTTimes", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.DownloadURL", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.NumberOfConnections", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.ProtocolVersion", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.EnablePerConnectionResults", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.TimeBasedTestDuration", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.TimeBasedTestMeasurementInterval", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.TimeBasedTestMeasurementOffset", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.DownloadTransports", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.DownloadDiagnosticMaxConnections", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.DownloadDiagnosticsMaxIncrementalResult", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.", "ip-diagnostics"),
    ("IP.Diagnostics.DownloadDiagnostics.IncrementalResult.{i}.", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.UploadURL", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.NumberOfConnections", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.ProtocolVersion", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.EnablePerConnectionResults", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.TimeBasedTestDuration", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.TimeBasedTestMeasurementInterval", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.TimeBasedTestMeasurementOffset", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.UploadTransports", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.UploadDiagnosticsMaxConnections", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.UploadDiagnosticsMaxIncrementalResult", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.PerConnectionResult.{i}.", "ip-diagnostics"),
    ("IP.Diagnostics.UploadDiagnostics.IncrementalResult.{i}.", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.NumberOfRepetitions", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.Timeout", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.DataBlockSize", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.InterTransmissionTime", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.ProtocolVersion", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.EnableIndividualPacketResults", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.UDPEchoDiagnosticsMaxResults", "ip-diagnostics"),
    ("IP.Diagnostics.UDPEchoDiagnostics.IndividualPacketResult.{i}.", "ip-diagnostics"),
    ("IP.Diagnostics.ServerSelectionDiagnostics.", "ip-diagnostics"),
    ("IP.Diagnostics.ServerSelectionDiagnostics.Protocol", "ip-diagnostics"),
    ("IP.Diagnostics.ServerSelectionDiagnostics.NumberOfRepetitions", "ip-diagnostics"),
    ("IP.Diagnostics.ServerSelectionDiagnostics.Timeout", "ip-diagnostics"),
    ("IP.Diagnostics.ServerSelectionDiagnostics.ProtocolVersion", "ip-diagnostics"),
    ("IP.Diagnostics.IPLayerCapacityMetrics.", "ip-diagnostics", "2.14"),
    ("IP.Diagnostics.IPLayerCapacityMetrics.DiagnosticsState", "ip-diagnostics", "2.14"),
    # TR-143 UDP echo server.
    ("IP.Diagnostics.UDPEchoConfig.", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.Enable", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.Interface", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.SourceIPAddress", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.UDPPort", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.EchoPlusEnabled", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.EchoPlusSupported", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.PacketsReceived", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.PacketsResponded", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.BytesReceived", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.BytesResponded", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.TimeFirstPacketReceived", "udp-echo-server"),
    ("IP.Diagnostics.UDPEchoConfig.TimeLastPacketReceived", "udp-echo-server"),
)
# ... and every input and result of the diagnostics' typed fields
# (runtime_diagnostics.DIAGNOSTICS) not listed above.
def all_entries():
    listed = {x[0] for x in _LISTED}
    return _LISTED + tuple(e for e in runtime_diagnostics.entries() if e[0] not in listed)


ENTRIES = all_entries()

# The root models the agent serves.  The list is written for the first
# (Device:2: every entry must be in it, as the kind it says).  For another
# root, PLACES says where an object (or a parameter) of the list lives when
# its path below that root differs (the longest listed prefix of an entry is
# replaced); an
# optional entry its model lacks is off (emitted empty), a required one
# fails generation as in Device:2.
ROOTS = ("Device", "InternetGatewayDevice")
PLACES = {
    # TR-098 keeps the TR-143 diagnostics at the root, not below IP.Diagnostics.
    "InternetGatewayDevice": {
        "IP.Diagnostics.IPPing.": "IPPingDiagnostics.",
        "IP.Diagnostics.TraceRoute.": "TraceRouteDiagnostics.",
        # ... and names a route hop's parameters Hop*.
        "IP.Diagnostics.TraceRoute.RouteHops.{i}.Host": "TraceRouteDiagnostics.RouteHops.{i}.HopHost",
        "IP.Diagnostics.TraceRoute.RouteHops.{i}.HostAddress": "TraceRouteDiagnostics.RouteHops.{i}.HopHostAddress",
        "IP.Diagnostics.TraceRoute.RouteHops.{i}.ErrorCode": "TraceRouteDiagnostics.RouteHops.{i}.HopErrorCode",
        "IP.Diagnostics.TraceRoute.RouteHops.{i}.RTTimes": "TraceRouteDiagnostics.RouteHops.{i}.HopRTTimes",
        "IP.Diagnostics.DownloadDiagnostics.": "DownloadDiagnostics.",
        "IP.Diagnostics.UploadDiagnostics.": "UploadDiagnostics.",
        "IP.Diagnostics.UDPEchoConfig.": "UDPEchoConfig.",
    },
}


# The ManagementServer parameters the agent reads as typed values, one read
# for all (cwmp::agent::ManagementServerSettings, runtime/include/cwmp/agent/settings.h,
# between its BEGIN and END markers: `settings_declaration`): each an entry of
# ENTRIES and the TR-106 base type the root model gives it, which every
# profile's model must give it too (resolve fails otherwise, naming it).
SETTINGS = (
    ("ManagementServer.URL", "string"),
    ("ManagementServer.Username", "string"),
    ("ManagementServer.Password", "string"),
    ("ManagementServer.PeriodicInformEnable", "boolean"),
    ("ManagementServer.PeriodicInformInterval", "unsignedInt"),
    ("ManagementServer.PeriodicInformTime", "dateTime"),
    ("ManagementServer.CWMPRetryMinimumWaitInterval", "unsignedInt"),
    ("ManagementServer.CWMPRetryIntervalMultiplier", "unsignedInt"),
    ("ManagementServer.DefaultActiveNotificationThrottle", "unsignedInt"),
    ("ManagementServer.HeartbeatPolicy.Enable", "boolean"),
    ("ManagementServer.HeartbeatPolicy.ReportingInterval", "unsignedInt"),
    ("ManagementServer.HeartbeatPolicy.InitiationTime", "dateTime"),
    ("ManagementServer.ConnectionRequestUsername", "string"),
    ("ManagementServer.ConnectionRequestPassword", "string"),
    ("ManagementServer.HTTPConnectionRequestEnable", "boolean"),
    ("ManagementServer.LightweightNotificationProtocolsUsed", "string"),
    ("ManagementServer.LightweightNotificationTriggerInterval", "unsignedInt"),
    ("ManagementServer.LightweightNotificationTriggerTime", "dateTime"),
    ("ManagementServer.UDPLightweightNotificationHost", "string"),
    ("ManagementServer.UDPLightweightNotificationPort", "unsignedInt"),
)
# A setting's value where the profile lacks it (or it cannot be read), when
# not its type's zero: a device without the switch serves connection requests.
SETTING_INITIAL = {
    "ManagementServer.HTTPConnectionRequestEnable": "true",
}
# The C++ type of a setting's base type, and the value it starts at.
SETTING_TYPES = {
    "string": ("std::string", None),
    "boolean": ("bool", "false"),
    "unsignedInt": ("std::uint32_t", "0"),
    "dateTime": ("dm::DateTime", "{}"),
}


def kind_of(path):
    if path.endswith("{i}."):
        return "table"
    return "object" if path.endswith(".") else "parameter"


def snake(name):
    """C++ member name of a path segment: "CWMPRetryMinimumWaitInterval" ->
    cwmp_retry_minimum_wait_interval, "IPv4PingSupported" -> ipv4_ping_supported,
    "ConnReqAllowedJabberIDs" -> conn_req_allowed_jabber_ids."""
    text = re.sub(r"IPv([46])", r"Ipv\1", name)
    text = re.sub(r"([A-Z]{2,})s(?=[A-Z]|$)", lambda m: m.group(1).capitalize() + "s", text)  # "IDs"
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return text.lower()


class Node:
    """One object of the list: its own path (when listed), its parameters and
    child objects, in list order."""

    def __init__(self, segment):
        self.segment = segment      # "ManagementServer", "" for the root
        self.listed = None          # the object's own entry, if any
        self.members = []           # (member name, entry) or (member name, Node)


def _segments(path):
    return [s for s in path.split(".") if s and s != "{i}"]


def tree(entries=ENTRIES):
    """The list as nested objects; each member name checked unique."""
    root = Node("")
    for entry in entries:
        path = entry[0]
        parts = _segments(path)
        node = root
        objects = parts if kind_of(path) != "parameter" else parts[:-1]
        for seg in objects:
            child = next((n for m, n in node.members if isinstance(n, Node) and n.segment == seg), None)
            if child is None:
                child = Node(seg)
                _add_member(node, snake(seg), child, path)
            node = child
        if kind_of(path) == "parameter":
            _add_member(node, snake(parts[-1]), entry, path)
        else:
            node.listed = entry
    return root


def _add_member(node, name, value, path):
    if name == "path" or any(m == name for m, _v in node.members):
        raise DMError(_list_file(), _line_of(path), f"runtime path '{path}': member name '{name}' is taken")
    node.members.append((name, value))


def _list_file():
    return os.path.join("generator", "dmlib", os.path.basename(__file__))


def _line_of(path):
    """The line of an entry (or a PLACES key) in this file, for error messages."""
    with open(__file__, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if f'("{path}",' in line or f'"{path}":' in line:
                return n
    return None


BEGIN_MARKER = "// BEGIN ModelPaths\n"
END_MARKER = "// END ModelPaths\n"
SETTINGS_BEGIN_MARKER = "// BEGIN ManagementServerSettings\n"
SETTINGS_END_MARKER = "// END ManagementServerSettings\n"


def declarations():
    """(begin marker, end marker, declaration) of each block the runtime's
    headers carry: ModelPaths (schema.h), ManagementServerSettings
    (agent/settings.h), the diagnostics' fields (diag/fields.h)."""
    return ((BEGIN_MARKER, END_MARKER, struct_declaration()),
            (SETTINGS_BEGIN_MARKER, SETTINGS_END_MARKER, settings_declaration()),
            (runtime_diagnostics.BEGIN_MARKER, runtime_diagnostics.END_MARKER, runtime_diagnostics.declaration()))


def replace_declaration(text):
    """`text` (schema.h, agent/settings.h) with each declaration between its
    BEGIN and END markers; ValueError when it has none of them."""
    found = False
    for begin_marker, end_marker, declaration in declarations():
        if begin_marker not in text:
            continue
        begin = text.index(begin_marker) + len(begin_marker)
        end = text.index(end_marker, begin)
        text = text[:begin] + declaration + text[end:]
        found = True
    if not found:
        raise ValueError("no markers")
    return text


def _setting_members(settings=SETTINGS, entries=ENTRIES):
    """(C++ type, member, initial value or None, entry path, ModelPaths member
    path) of each setting; DMError for one ENTRIES lacks or of a type
    SETTING_TYPES lacks."""
    listed = {e[0] for e in entries}
    out = []
    for path, base in settings:
        if path not in listed or not path.startswith("ManagementServer.") or kind_of(path) != "parameter":
            raise DMError(_list_file(), _line_of(path), f"setting '{path}' is not a ManagementServer "
                                                        f"parameter of ENTRIES")
        if base not in SETTING_TYPES:
            raise DMError(_list_file(), _line_of(path), f"setting '{path}': no C++ type for '{base}'")
        parts = [snake(p) for p in _segments(path)[1:]]  # below ManagementServer
        cpp, initial = SETTING_TYPES[base]
        initial = SETTING_INITIAL.get(path, initial)
        out.append((cpp, "_".join(parts), initial, path, ".".join(parts)))
    return out


def settings_declaration(settings=SETTINGS):
    """The C++ declaration of cwmp::agent::ManagementServerSettings and of
    each_setting(), which runtime/include/cwmp/agent/settings.h carries."""
    out = ["struct ManagementServerSettings {"]
    for cpp, member, initial, path, _ref in _setting_members(settings):
        init = "" if initial is None else f" = {initial}"
        out.append(f"    {cpp} {member}{init};  // {path}")
    out.append("};")
    out.append("")
    out.append("// `visit(path, member)` for each member, with its path in the profile (\"\" where it")
    out.append("// lacks an optional one).")
    out.append("template <class Visit>")
    out.append("void each_setting(const dm::ModelPaths::ManagementServer& paths, ManagementServerSettings& s, "
               "Visit&& visit) {")
    for _cpp, member, _initial, _path, ref in _setting_members(settings):
        out.append(f"    visit(paths.{ref}, s.{member});")
    out.append("}")
    return "\n".join(out) + "\n"


def struct_declaration():
    """The C++ declaration of cwmp::dm::ModelPaths that schema.h carries."""
    out = ["struct ModelPaths {", '    std::string_view root;  // "Device.", "InternetGatewayDevice."']

    def emit(node, indent):
        pad = " " * indent
        for name, value in node.members:
            if isinstance(value, Node):
                out.append(f"{pad}struct {value.segment} {{")
                if value.listed is not None:
                    out.append(f"{pad}    std::string_view path;  // {value.listed[0]}")
                emit(value, indent + 4)
                out.append(f"{pad}}} {name};")
            else:
                out.append(f"{pad}std::string_view {name};  // {value[0]}")

    emit(tree(), 4)
    out.append("};")
    return "\n".join(out) + "\n"


def _supported(prof, full):
    if full.endswith("."):
        return full in prof.objects
    cut = full.rfind(".") + 1
    obj = prof.objects.get(full[:cut])
    return obj is not None and any(sp.name == full[cut:] for sp in obj.params)


def _in_model(model, full):
    kind = kind_of(full)
    if kind != "parameter":
        obj = model.objects.get(full)
        return obj is not None and obj.status != "deleted"
    cut = full.rfind(".") + 1
    obj = model.objects.get(full[:cut])
    if obj is None or obj.status == "deleted":
        return False
    p = obj.params.get(full[cut:])
    return p is not None and p.status != "deleted"


def _version(text):
    """(major, minor) of "Device:2.12" or "2.14"; None when it has none."""
    m = re.search(r"(\d+)\.(\d+)$", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def root_object(prof):
    return prof.root_model.split(":")[0] + "."


def place(root_name, path):
    """Where entry `path` lives below root `root_name` ("Device", ...)."""
    places = PLACES.get(root_name, {})
    prefix = max((p for p in places if path.startswith(p)), key=len, default=None)
    return path if prefix is None else places[prefix] + path[len(prefix):]


def resolve(prof, entries=ENTRIES):
    """{relative path: full path or ""} for the profile; raises DMError for a
    misspelt entry or a required one the profile lacks."""
    root = root_object(prof)
    if root[:-1] not in ROOTS:
        raise DMError(prof.file, None, f"profile '{prof.name}': root model {prof.root_model} is not "
                                       f"one the agent serves ({', '.join(ROOTS)}); see {_list_file()}")
    written_for = root[:-1] == ROOTS[0]
    _setting_members()  # SETTINGS checked against the list
    for prefix, target in PLACES.get(root[:-1], {}).items():
        if not _in_model(prof.model, root + target):
            raise DMError(_list_file(), _line_of(prefix),
                          f"runtime path '{prefix}' is placed at '{root + target}', which is not in model "
                          f"{prof.model.name} (profile '{prof.name}')")
    out = {}
    version = _version(prof.model.name)
    for entry in entries:
        path, feature = entry[0], entry[1]
        since = entry[2] if len(entry) > 2 else None
        if since is not None and feature is REQUIRED:
            raise DMError(_list_file(), _line_of(path), f"runtime path '{path}': a required entry has no version")
        full = root + place(root[:-1], path)
        # The version is one of the model the list is written for.
        if written_for and since is not None and version is not None and version < _version(since):
            out[path] = ""  # newer than this model: the feature's part is off
            continue
        if not _in_model(prof.model, full):
            if not written_for and feature is not REQUIRED:
                out[path] = ""  # the other root's model has no such thing: the feature's part is off
                continue
            raise DMError(_list_file(), _line_of(path),
                          f"runtime path '{path}' ({kind_of(path)}) is not in model {prof.model.name} "
                          f"(profile '{prof.name}')" +
                          (": misspelt, or newer than the model?" if written_for else
                           f" at '{full}', and the agent needs it (see PLACES)"))
        if _supported(prof, full):
            _check_setting_type(prof, path, full)
            out[path] = full
        elif feature is REQUIRED:
            raise DMError(prof.file, None, f"profile '{prof.name}' lacks {kind_of(path)} '{full}', "
                                           f"which the agent needs (required in {_list_file()})")
        else:
            out[path] = ""
    runtime_diagnostics.check(prof, out)
    return out


def _check_setting_type(prof, path, full):
    """A setting (SETTINGS) whose parameter the profile's model types other
    than the agent reads it fails generation, naming it."""
    base = dict(SETTINGS).get(path)
    if base is None:
        return
    cut = full.rfind(".") + 1
    actual = prof.model.objects[full[:cut]].params[full[cut:]].syntax.base
    if actual != base:
        raise DMError(_list_file(), _line_of(path),
                      f"setting '{path}' is read as {base}, but model {prof.model.name} makes '{full}' "
                      f"{actual} (profile '{prof.name}')")


def initializer(prof, entries=ENTRIES):
    """ModelPaths for the profile as plain data, which schema.cpp.j2 writes
    as C++: {"root": "Device.", "members": [...], "count": n}, each member
    {"member": C++ name, "path": full path ("" where off), "members": None}
    for a parameter or {"member": name, "path": the object's own full path
    or None when the list names only what is below it, "members": [...]}
    for an object; count is the number of string_view members (root
    included), which the generated code checks against sizeof(ModelPaths)."""
    resolved = resolve(prof, entries)
    count = 1

    def members(node):
        nonlocal count
        out = []
        for name, value in node.members:
            if isinstance(value, Node):
                path = None if value.listed is None else resolved[value.listed[0]]
                count += path is not None
                out.append({"member": name, "path": path, "members": members(value)})
            else:
                out.append({"member": name, "path": resolved[value[0]], "members": None})
                count += 1
        return out

    tree_members = members(tree(entries))
    return {"root": root_object(prof), "members": tree_members, "count": count}
