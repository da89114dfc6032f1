"""The TR-143 diagnostics' inputs and results as typed C++ fields (issue 12).

Each diagnostic the runtime runs (runtime/src/diag) reads its inputs into a
plain struct and returns its results in another; this list says which
parameter of the model each member is, as a path below the diagnostic's
object (Device:2's names; TR-098's places come from runtime_paths.PLACES),
and the TR-106 type the runtime reads or writes it as.  Every path becomes
an entry of runtime_paths.ENTRIES (feature "ip-diagnostics"), so ModelPaths
carries it and the usual rules hold: a path Device:2 does not define fails
generation (a misspelling), one a profile lacks is "" and skipped.  Besides:
  - a REQUIRED field that a profile lacks while it has the diagnostic's
    object fails generation, naming the field, the path and the profile;
  - a field whose type the profile's model gives otherwise (and not as a
    narrower integer: TR-098's byte counts are unsignedInt where TR-181's
    are unsignedLong) fails generation, naming it;
  - each DiagnosticsState value a diagnostic writes must be in the
    profile's enumeration of it, or one of its FALLBACKS must be (TR-098's
    DownloadDiagnostics says "Completed", not "Complete"), else generation
    fails naming the value, the object and the profile.
`declaration()` prints the C++ (runtime/src/diag/fields.h carries it between
its markers; tests/generator/test_runtime_paths.py checks the two agree).
"""

import os

REQUIRED = True


class F:
    """A field: `path` below the object (a table's "RouteHops.{i}." rows
    name theirs below the row), its TR-106 type ("unsignedInt[]": a list),
    the C++ member (default: the leaf's snake-case name)."""

    def __init__(self, path, type_, member=None, required=False):
        self.path, self.type, self.member, self.required = path, type_, member, required


class Table:
    """Result rows: the table's path below the object ("RouteHops.{i}."), the
    results' member holding them, the row struct and its fields."""

    def __init__(self, path, member, struct, fields):
        self.path, self.member, self.struct, self.fields = path, member, struct, fields


class Diagnostic:
    def __init__(self, obj, inputs_struct, inputs, results_struct, results, tables=(), states=()):
        self.object = obj                   # below the root: "IP.Diagnostics.IPPing."
        self.inputs_struct, self.inputs = inputs_struct, inputs
        self.results_struct, self.results = results_struct, results
        self.tables = tables
        self.states = states                # the DiagnosticsState values its test ends in


# The values of DiagnosticsState the runtime names (diag::State, in order):
# those it writes, and Requested and Canceled, which only the ACS writes.
STATES = ("None", "Requested", "Canceled", "Complete", "Error_CannotResolveHostName", "Error_NoRouteToHost",
          "Error_InitConnectionFailed", "Error_NoResponse", "Error_TransferFailed", "Error_PasswordRequestFailed",
          "Error_LoginFailed", "Error_NoTransferMode", "Error_NoPASV", "Error_IncorrectSize", "Error_Timeout",
          "Error_NoCWD", "Error_NoSTOR", "Error_NoTransferComplete", "Error_MaxHopCountExceeded",
          "Error_Internal", "Error_Other")
# Every diagnostic: what the service itself writes (None when idle or
# canceled, Error_Internal when its results cannot be stored).
SERVICE_STATES = ("None", "Error_Internal")
# What a model without a value writes instead, the first its enumeration has
# (the runtime picks it by the model's enumeration, diag::fallbacks()).  A
# failure of the test itself is, in TR-098's transfers (which have no
# Error_Internal nor Error_Other), Error_InitConnectionFailed: the test could
# not set its connection up; its last resort is None, where the model has no
# error at all that fits (TR-098's TraceRouteDiagnostics).
FALLBACKS = {
    "Complete": ("Completed",),
    "Error_CannotResolveHostName": ("Error_InitConnectionFailed",),
    "Error_NoRouteToHost": ("Error_InitConnectionFailed", "Error_Other", "Error_MaxHopCountExceeded"),
    "Error_Timeout": ("Error_NoResponse", "Error_NoTransferComplete"),
    "Error_TransferFailed": ("Error_NoTransferComplete",),
    "Error_Internal": ("Error", "Error_Other", "Error_InitConnectionFailed", "None"),
    "Error_Other": ("Error", "Error_Internal", "Error_InitConnectionFailed", "None"),
}

_PING_STATES = ("Complete", "Error_CannotResolveHostName", "Error_NoRouteToHost", "Error_Internal", "Error_Other")
_TRANSFER_STATES = ("Complete", "Error_CannotResolveHostName", "Error_NoRouteToHost", "Error_InitConnectionFailed",
                    "Error_NoResponse", "Error_PasswordRequestFailed", "Error_LoginFailed", "Error_NoTransferMode",
                    "Error_NoPASV", "Error_Timeout", "Error_Internal", "Error_Other")


def _transfer(direction):
    """DownloadDiagnostics / UploadDiagnostics: one struct each for both (a
    member only one has is in both structs, visited by that one)."""
    up = direction == "Upload"
    obj = f"IP.Diagnostics.{direction}Diagnostics."
    test_bytes = "TestBytesSent" if up else "TestBytesReceived"
    inputs = [
        F("Interface", "string"),
        F(f"{direction}URL", "string", "url", REQUIRED),
        F("DSCP", "unsignedInt"),
        F("EthernetPriority", "unsignedInt"),
        F("TimeBasedTestDuration", "unsignedInt"),
        F("TimeBasedTestMeasurementInterval", "unsignedInt"),
        F("TimeBasedTestMeasurementOffset", "unsignedInt"),
        F("ProtocolVersion", "string"),
        F("NumberOfConnections", "unsignedInt"),
        F("EnablePerConnectionResults", "boolean"),
    ]
    if up:
        inputs.append(F("TestFileLength", "unsignedLong"))
    results = [
        F("IPAddressUsed", "string"),
        F("ROMTime", "dateTime"), F("BOMTime", "dateTime"), F("EOMTime", "dateTime"),
        F(test_bytes, "unsignedLong", "test_bytes"),
        F("TotalBytesReceived", "unsignedLong"), F("TotalBytesSent", "unsignedLong"),
        F(f"{test_bytes}UnderFullLoading", "unsignedLong", "test_bytes_under_full_loading"),
        F("TotalBytesReceivedUnderFullLoading", "unsignedLong"),
        F("TotalBytesSentUnderFullLoading", "unsignedLong"),
        F("PeriodOfFullLoading", "unsignedInt"),
        F("TCPOpenRequestTime", "dateTime"), F("TCPOpenResponseTime", "dateTime"),
    ]
    per_connection = Table("PerConnectionResult.{i}.", "per_connection", "TransferConnection", (
        F("ROMTime", "dateTime"), F("BOMTime", "dateTime"), F("EOMTime", "dateTime"),
        F(test_bytes, "unsignedLong", "test_bytes"),
        F("TotalBytesReceived", "unsignedLong"), F("TotalBytesSent", "unsignedLong"),
        F("TCPOpenRequestTime", "dateTime"), F("TCPOpenResponseTime", "dateTime"),
    ))
    incremental = Table("IncrementalResult.{i}.", "incremental", "TransferIncrement", (
        F("StartTime", "dateTime"), F("EndTime", "dateTime"),
        F(test_bytes, "unsignedLong", "test_bytes"),
        F("TotalBytesReceived", "unsignedLong"), F("TotalBytesSent", "unsignedLong"),
    ))
    states = _TRANSFER_STATES + (("Error_NoCWD", "Error_NoSTOR", "Error_NoTransferComplete") if up else
                                 ("Error_TransferFailed", "Error_IncorrectSize"))
    return Diagnostic(obj, "TransferInputs", tuple(inputs), "TransferResults", tuple(results),
                      (per_connection, incremental), states)


DIAGNOSTICS = (
    Diagnostic(
        "IP.Diagnostics.IPPing.", "IPPingInputs", (
            F("Interface", "string"),
            F("ProtocolVersion", "string"),
            F("Host", "string", required=REQUIRED),
            F("NumberOfRepetitions", "unsignedInt"),
            F("Timeout", "unsignedInt"),
            F("DataBlockSize", "unsignedInt"),
            F("DSCP", "unsignedInt"),
        ), "IPPingResults", (
            F("IPAddressUsed", "string"),
            F("SuccessCount", "unsignedInt", required=REQUIRED),
            F("FailureCount", "unsignedInt", required=REQUIRED),
            F("AverageResponseTime", "unsignedInt"),
            F("MinimumResponseTime", "unsignedInt"),
            F("MaximumResponseTime", "unsignedInt"),
            F("AverageResponseTimeDetailed", "unsignedInt"),
            F("MinimumResponseTimeDetailed", "unsignedInt"),
            F("MaximumResponseTimeDetailed", "unsignedInt"),
        ), states=_PING_STATES),
    Diagnostic(
        "IP.Diagnostics.TraceRoute.", "TraceRouteInputs", (
            F("Interface", "string"),
            F("ProtocolVersion", "string"),
            F("Host", "string", required=REQUIRED),
            F("NumberOfTries", "unsignedInt"),
            F("Timeout", "unsignedInt"),
            F("DataBlockSize", "unsignedInt"),
            F("DSCP", "unsignedInt"),
            F("MaxHopCount", "unsignedInt"),
        ), "TraceRouteResults", (
            F("IPAddressUsed", "string"),
            F("ResponseTime", "unsignedInt"),
        ), (Table("RouteHops.{i}.", "route_hops", "RouteHop", (
            F("Host", "string", required=REQUIRED),
            F("HostAddress", "string"),
            F("ErrorCode", "unsignedInt"),
            F("RTTimes", "unsignedInt[]", "rt_times"),
        )),), states=("Complete", "Error_CannotResolveHostName", "Error_NoRouteToHost", "Error_MaxHopCountExceeded",
                      "Error_Internal")),
    _transfer("Download"),
    _transfer("Upload"),
    Diagnostic(
        "IP.Diagnostics.UDPEchoDiagnostics.", "UDPEchoInputs", (
            F("Interface", "string"),
            F("Host", "string", required=REQUIRED),
            F("Port", "unsignedInt", required=REQUIRED),
            F("NumberOfRepetitions", "unsignedInt"),
            F("Timeout", "unsignedInt"),
            F("DataBlockSize", "unsignedInt"),
            F("DSCP", "unsignedInt"),
            F("InterTransmissionTime", "unsignedInt"),
            F("ProtocolVersion", "string"),
            F("EnableIndividualPacketResults", "boolean"),
        ), "UDPEchoResults", (
            F("IPAddressUsed", "string"),
            F("SuccessCount", "unsignedInt", required=REQUIRED),
            F("FailureCount", "unsignedInt", required=REQUIRED),
            F("AverageResponseTime", "unsignedInt"),
            F("MinimumResponseTime", "unsignedInt"),
            F("MaximumResponseTime", "unsignedInt"),
        ), (Table("IndividualPacketResult.{i}.", "packets", "EchoPacket", (
            F("PacketSuccess", "boolean"),
            F("PacketSendTime", "dateTime"),
            F("PacketReceiveTime", "dateTime"),
            F("TestGenSN", "unsignedInt"),
            F("TestRespSN", "unsignedInt"),
            F("TestRespRcvTimeStamp", "unsignedInt"),
            F("TestRespReplyTimeStamp", "unsignedInt"),
            F("TestRespReplyFailureCount", "unsignedInt"),
        )),), states=("Complete", "Error_CannotResolveHostName", "Error_Internal", "Error_Other")),
    Diagnostic(
        "IP.Diagnostics.ServerSelectionDiagnostics.", "ServerSelectionInputs", (
            F("Interface", "string"),
            F("ProtocolVersion", "string"),
            F("Protocol", "string"),
            F("HostList", "string[]", "host_list", REQUIRED),
            F("NumberOfRepetitions", "unsignedInt"),
            F("Timeout", "unsignedInt"),
        ), "ServerSelectionResults", (
            F("FastestHost", "string", required=REQUIRED),
            F("MinimumResponseTime", "unsignedInt"),
            F("AverageResponseTime", "unsignedInt"),
            F("MaximumResponseTime", "unsignedInt"),
            F("IPAddressUsed", "string"),
        ), states=("Complete", "Error_CannotResolveHostName", "Error_Internal", "Error_Other")),
)

# The C++ type of a field's TR-106 type, and the value it starts at.
TYPES = {
    "string": ("std::string", None),
    "boolean": ("bool", "false"),
    "unsignedInt": ("std::uint32_t", "0"),
    "unsignedLong": ("std::uint64_t", "0"),
    "dateTime": ("Time", "{}"),
    "unsignedInt[]": ("std::vector<std::uint32_t>", None),
    "string[]": ("std::vector<std::string>", None),
}
# The model's types a field's type takes (a narrower integer: the engine
# range-checks what is written).
ACCEPTS = {"unsignedLong": ("unsignedLong", "unsignedInt")}


def _list_file():
    return os.path.join("generator", "dmlib", os.path.basename(__file__))


def _line_of(text):
    """The first line of this file quoting `text` ("Host"), for error messages."""
    with open(__file__, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if f'"{text}"' in line:
                return n
    return None


def _full(diag, table, field):
    return diag.object + (table.path if table else "") + field.path


def entries():
    """Every field's path (and each table's), as runtime_paths.ENTRIES entries."""
    out = []
    for d in DIAGNOSTICS:
        out.append((d.object + "DiagnosticsState", "ip-diagnostics"))
        for f in d.inputs + d.results:
            out.append((_full(d, None, f), "ip-diagnostics"))
        for t in d.tables:
            out.append((d.object + t.path, "ip-diagnostics"))
            out.extend((_full(d, t, f), "ip-diagnostics") for f in t.fields)
    return out


def _member(field):
    from .runtime_paths import snake
    return field.member or snake(field.path)


def _ref(diag, table, field):
    """The ModelPaths member of a field, relative to the diagnostic's object's struct."""
    from .runtime_paths import snake, _segments
    parts = _segments(_full(diag, table, field))[len(_segments(diag.object)):]
    return ".".join(snake(p) for p in parts)


def _paths_type(diag):
    return "dm::ModelPaths::" + "::".join(_segments_of(diag.object))


def _segments_of(path):
    from .runtime_paths import _segments
    return _segments(path)


def _structs():
    """{struct name: [(C++ type, member, initial, comment)]}, in first-use order;
    a DMError for a member two diagnostics sharing a struct type differently."""
    from .errors import DMError
    structs = {}

    def add(name, member, ftype, comment, table=None):
        if table is None and ftype not in TYPES:
            raise DMError(_list_file(), None, f"diagnostic field '{comment}': no C++ type for '{ftype}'")
        cpp, initial = TYPES[ftype] if table is None else (f"std::vector<{table.struct}>", None)
        members = structs.setdefault(name, [])
        for other in members:
            if other[1] == member:
                if other[0] != cpp:
                    raise DMError(_list_file(), _line_of(comment.rsplit(".", 1)[-1]), f"diagnostic field '{comment}': member "
                                                                  f"{name}::{member} is {other[0]} elsewhere")
                return
        members.append((cpp, member, initial, comment))

    for d in DIAGNOSTICS:
        for f in d.inputs:
            add(d.inputs_struct, _member(f), f.type, d.object + f.path)
        for t in d.tables:
            for f in t.fields:
                add(t.struct, _member(f), f.type, d.object + t.path + f.path)
        for f in d.results:
            add(d.results_struct, _member(f), f.type, d.object + f.path)
        for t in d.tables:
            add(d.results_struct, t.member, None, d.object + t.path, t)
    return structs


def _cpp_name(value):
    return "k" + value.replace("_", "")


BEGIN_MARKER = "// BEGIN DiagnosticFields\n"
END_MARKER = "// END DiagnosticFields\n"


def declaration():
    """The C++ that runtime/src/diag/fields.h carries: diag::State, its
    text and fallbacks, the structs, and per diagnostic each_input(paths,
    inputs, visit) / each_result(paths, results, visit)."""
    out = ["// DiagnosticsState's values (their text: state_text()).",
           "enum class State : std::uint8_t {"]
    out += [f"    {_cpp_name(v)},  // {v}" for v in STATES]
    out.append("};")
    out.append(f"inline constexpr std::size_t kStateCount = {len(STATES)};")
    out.append("")
    out.append("inline std::string_view state_text(State s) noexcept {")
    out.append("    constexpr std::string_view texts[] = {")
    out += [f'        "{v}",' for v in STATES]
    out.append("    };")
    out.append("    return texts[static_cast<std::size_t>(s)];")
    out.append("}")
    out.append("")
    out.append("// What a model whose enumeration lacks `s` is written instead, in order.")
    out.append("inline std::span<const std::string_view> fallbacks(State s) noexcept {")
    out.append("    switch (s) {")
    for v in STATES:
        if v in FALLBACKS:
            texts = ", ".join(f'"{x}"' for x in FALLBACKS[v])
            out.append(f"    case State::{_cpp_name(v)}: {{")
            out.append(f"        static constexpr std::string_view f[] = {{{texts}}};")
            out.append("        return f;")
            out.append("    }")
    out.append("    default: return {};")
    out.append("    }")
    out.append("}")
    for name, members in _structs().items():
        out.append("")
        out.append(f"struct {name} {{")
        for cpp, member, initial, comment in members:
            init = "" if initial is None else f" = {initial}"
            out.append(f"    {cpp} {member}{init};  // {comment}")
        out.append("};")
    for d in DIAGNOSTICS:
        ptype = _paths_type(d)
        out.append("")
        out.append(f"// {d.object}: `visit(path, member)` for each input, its path in the profile (\"\" where it")
        out.append("// lacks one).")
        out.append("template <class Visit>")
        out.append(f"void each_input(const {ptype}& paths, {d.inputs_struct}& s, Visit&& visit) {{")
        for f in d.inputs:
            out.append(f"    visit(paths.{_ref(d, None, f)}, s.{_member(f)});")
        out.append("}")
        out.append("")
        out.append(f"// {d.object}: `visit(path, member)` for each result; `visit.table(table path, rows,")
        out.append("// each)` for each table, `each(row, cell)` calling `cell(path, member)` for a row's.")
        out.append("template <class Visit>")
        out.append(f"void each_result(const {ptype}& paths, const {d.results_struct}& s, Visit&& visit) {{")
        for f in d.results:
            out.append(f"    visit(paths.{_ref(d, None, f)}, s.{_member(f)});")
        for t in d.tables:
            table_ref = _ref(d, t, F("", "")).rstrip(".")
            out.append(f"    visit.table(paths.{table_ref}.path, s.{t.member}, "
                       f"[&paths](const {t.struct}& row, auto&& cell) {{")
            for f in t.fields:
                out.append(f"        cell(paths.{_ref(d, t, f)}, row.{_member(f)});")
            out.append("    });")
        out.append("}")
    return "\n".join(out) + "\n"


def check(prof, resolved):
    """Per profile: required fields, field types and DiagnosticsState values
    (module docstring); DMError naming what fails."""
    from .errors import DMError
    for d in DIAGNOSTICS:
        obj = resolved.get(d.object, "")  # (a list without the diagnostics: none)
        if not obj:
            continue  # the profile has no such diagnostic
        fields = [(None, f) for f in d.inputs + d.results] + [(t, f) for t in d.tables for f in t.fields]
        for table, f in fields:
            rel = _full(d, table, f)
            full = resolved.get(rel, "")
            if not full:
                if f.required and (table is None or resolved.get(d.object + table.path)):
                    raise DMError(prof.file, None, f"profile '{prof.name}' has {obj} but not its "
                                                   f"{'table' if table else 'field'} parameter '{rel}', which the "
                                                   f"diagnostic needs (required in {_list_file()})")
                continue
            cut = full.rfind(".") + 1
            syntax = prof.model.objects[full[:cut]].params[full[cut:]].syntax
            actual = syntax.base + ("[]" if syntax.list else "")
            if actual not in ACCEPTS.get(f.type, (f.type,)):
                raise DMError(_list_file(), _line_of(f.path),
                              f"diagnostic field '{rel}' is {f.type}, but model {prof.model.name} makes '{full}' "
                              f"{actual} (profile '{prof.name}')")
        state = resolved.get(d.object + "DiagnosticsState", "")
        if not state:
            raise DMError(prof.file, None, f"profile '{prof.name}' has {obj} but not its DiagnosticsState")
        cut = state.rfind(".") + 1
        enums = {e.value for e in prof.model.objects[state[:cut]].params[state[cut:]].syntax.facets.enums}
        for value in SERVICE_STATES + tuple(d.states):
            if value in enums or any(x in enums for x in FALLBACKS.get(value, ())):
                continue
            raise DMError(_list_file(), _line_of(value),
                          f"DiagnosticsState value '{value}', which the runtime writes to {state}, is not in "
                          f"model {prof.model.name}'s enumeration of it, nor any fallback of it "
                          f"({', '.join(FALLBACKS.get(value, ())) or 'none'}; profile '{prof.name}')")
