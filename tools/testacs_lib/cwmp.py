"""CWMP SOAP on the wire: the ACS's requests, its answers to CPE requests, and a
parser for every message a CPE sends.

Everything the ACS writes follows the Broadband Forum's cwmp-1-x.xsd schemas
(element order, ``soap-enc:arrayType`` on arrays, ``xsi:type`` on values) with the
prefixes GenieACS uses (``soap-env``, ``soap-enc``, ``xsd``, ``xsi``, ``cwmp``).

RPC helpers (``GetParameterValues(...)``, ``SetParameterValues(...)``, ...) return
:class:`Rpc` objects; the XML is rendered when the RPC is sent, in the cwmp
namespace of the session.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional
from xml.sax.saxutils import escape as _escape

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"
XSD = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CWMP_PREFIX = "urn:dslforum-org:cwmp-"
CWMP_1_0 = CWMP_PREFIX + "1-0"
CWMP_1_1 = CWMP_PREFIX + "1-1"
CWMP_1_2 = CWMP_PREFIX + "1-2"
DEFAULT_CWMP_NS = CWMP_1_2

_ARRAY_TYPE = "{%s}arrayType" % SOAP_ENC
_XSI_TYPE = "{%s}type" % XSI
_MUST_UNDERSTAND = "{%s}mustUnderstand" % SOAP_ENV

# Methods a CPE calls on the ACS (TR-069 Table 4 / cwmp-1-2.xsd).
CPE_METHODS = (
    "Inform", "TransferComplete", "AutonomousTransferComplete", "GetRPCMethods",
    "RequestDownload", "Kicked", "DUStateChangeComplete",
    "AutonomousDUStateChangeComplete",
)
# What the ACS answers to GetRPCMethods from the CPE.
ACS_METHODS = (
    "Inform", "GetRPCMethods", "TransferComplete", "AutonomousTransferComplete",
    "RequestDownload", "Kicked", "DUStateChangeComplete",
    "AutonomousDUStateChangeComplete",
)

# TR-069 fault codes: ACS faults (8000-8006) and CPE faults (9000-9032).
FAULT_STRINGS = {
    8000: "Method not supported", 8001: "Request denied", 8002: "Internal error",
    8003: "Invalid arguments", 8004: "Resources exceeded", 8005: "Retry request",
    8006: "ACS version incompatible with CPE",
    9000: "Method not supported", 9001: "Request denied", 9002: "Internal error",
    9003: "Invalid arguments", 9004: "Resources exceeded",
    9005: "Invalid parameter name", 9006: "Invalid parameter type",
    9007: "Invalid parameter value", 9008: "Attempt to set a non-writable parameter",
    9009: "Notification request rejected", 9010: "Download failure",
    9011: "Upload failure", 9012: "File transfer server authentication failure",
    9013: "Unsupported protocol for file transfer",
    9014: "Download failure: unable to join multicast group",
    9015: "Download failure: unable to contact file server",
    9016: "Download failure: unable to access file",
    9017: "Download failure: unable to complete download",
    9018: "Download failure: file corrupted",
    9019: "Download failure: file authentication failure",
    9020: "Download failure: unable to complete download within specified time windows",
    9021: "Cancelation of file transfer not permitted in current transfer state",
}
# ACS fault codes whose SOAP faultcode is "Client" (TR-069 Table 5); the others are "Server".
_CLIENT_FAULTS = {8003, 9003, 9005, 9006, 9007, 9008}


class CwmpError(Exception):
    """A message that is not a usable CWMP SOAP envelope."""


def normalize_ns(ns: Optional[str]) -> Optional[str]:
    """'1-0', '1.0', 'cwmp-1-0' or the full URN -> 'urn:dslforum-org:cwmp-1-0'."""
    if ns is None:
        return None
    s = str(ns).strip()
    if s.startswith(CWMP_PREFIX):
        return s
    m = re.fullmatch(r"(?:cwmp-)?(\d+)[-._](\d+)", s)
    if not m:
        raise ValueError("not a cwmp namespace or version: %r" % ns)
    return "%s%s-%s" % (CWMP_PREFIX, m.group(1), m.group(2))


def esc(text: Any) -> str:
    """Escapes character data for element content and attribute values."""
    return _escape(str(text), {'"': "&quot;"})


def fmt_bool(value: Any, style: str = "word") -> str:
    if isinstance(value, str):
        v = value.strip().lower()
        value = v in ("1", "true")
    if style == "digit":
        return "1" if value else "0"
    return "true" if value else "false"


def parse_bool(text: Optional[str]) -> Optional[bool]:
    t = (text or "").strip().lower()
    if t in ("1", "true"):
        return True
    if t in ("0", "false"):
        return False
    return None


def fmt_datetime(value: _dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    s = value.isoformat()
    return s[:-6] + "Z" if s.endswith("+00:00") else s


def format_value(value: Any, xsd_type: Optional[str] = None, style: str = "word"):
    """Python value -> (text, 'xsd:type') for a ParameterValueStruct."""
    if xsd_type is None:
        if isinstance(value, bool):
            xsd_type = "xsd:boolean"
        elif isinstance(value, int):
            xsd_type = "xsd:unsignedInt" if value >= 0 else "xsd:int"
        elif isinstance(value, _dt.datetime):
            xsd_type = "xsd:dateTime"
        elif isinstance(value, (bytes, bytearray)):
            xsd_type = "xsd:base64"
        else:
            xsd_type = "xsd:string"
    elif ":" not in xsd_type:
        xsd_type = "xsd:" + xsd_type
    if value is None:
        text = ""
    elif isinstance(value, bool) or xsd_type == "xsd:boolean":
        text = fmt_bool(value, style)
    elif isinstance(value, _dt.datetime):
        text = fmt_datetime(value)
    elif isinstance(value, (bytes, bytearray)):
        text = base64.b64encode(bytes(value)).decode("ascii")
    else:
        text = str(value)
    return text, xsd_type


# --------------------------------------------------------------------------
# Writing

def envelope(ns: str, body: str, cwmp_id: Optional[str] = None,
             hold_requests: Optional[bool] = None,
             extra_headers: Iterable[str] = (), style: str = "word") -> str:
    """A complete SOAP envelope in cwmp namespace `ns` around one body element.

    `body` is the XML of the Body's child ('' for none); header elements come in the
    order ID, HoldRequests, then `extra_headers` (already rendered XML)."""
    headers = []
    if cwmp_id is not None:
        headers.append('<cwmp:ID soap-env:mustUnderstand="1">%s</cwmp:ID>' % esc(cwmp_id))
    if hold_requests is not None:
        headers.append('<cwmp:HoldRequests soap-env:mustUnderstand="1">%s</cwmp:HoldRequests>'
                       % fmt_bool(hold_requests, style))
    headers.extend(extra_headers)
    head = "<soap-env:Header>%s</soap-env:Header>" % "".join(headers) if headers else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<soap-env:Envelope xmlns:soap-env="%s" xmlns:soap-enc="%s" xmlns:xsd="%s"'
            ' xmlns:xsi="%s" xmlns:cwmp="%s">%s<soap-env:Body>%s</soap-env:Body>'
            '</soap-env:Envelope>' % (SOAP_ENV, SOAP_ENC, XSD, XSI, esc(ns), head, body))


def _el(tag: str, content: Any = "") -> str:
    return "<%s>%s</%s>" % (tag, esc(content), tag)


def _string_array(tag: str, items: Iterable[str], item_type: str = "xsd:string") -> str:
    items = list(items)
    return '<%s soap-enc:arrayType="%s[%d]">%s</%s>' % (
        tag, item_type, len(items), "".join(_el("string", i) for i in items), tag)


def _method(name: str, inner: str = "") -> str:
    return "<cwmp:%s>%s</cwmp:%s>" % (name, inner, name)


@dataclass
class Fault:
    """A SOAP fault with a cwmp:Fault detail: sent by the ACS (8000-8006) or
    received from the CPE (9000-9899), with SetParameterValuesFault entries."""
    code: int
    string: str = ""
    spv_faults: list = field(default_factory=list)   # [(name, code, string)]
    soap_faultcode: Optional[str] = None
    soap_faultstring: Optional[str] = None

    def __post_init__(self):
        if not self.string:
            self.string = FAULT_STRINGS.get(int(self.code), "Fault")

    def to_xml(self) -> str:
        faultcode = self.soap_faultcode or ("Client" if int(self.code) in _CLIENT_FAULTS else "Server")
        spv = "".join("<SetParameterValuesFault>%s%s%s</SetParameterValuesFault>"
                      % (_el("ParameterName", n), _el("FaultCode", c), _el("FaultString", s))
                      for n, c, s in self.spv_faults)
        return ("<soap-env:Fault>%s%s<detail><cwmp:Fault>%s%s%s</cwmp:Fault></detail>"
                "</soap-env:Fault>" % (
                    _el("faultcode", faultcode),
                    _el("faultstring", self.soap_faultstring or "CWMP fault"),
                    _el("FaultCode", int(self.code)), _el("FaultString", self.string), spv))

    def __str__(self):
        return "%d %s" % (int(self.code), self.string)


class Rpc:
    """One ACS request, rendered on demand in the session's cwmp namespace.

    `args` keeps the arguments (for reports and tests); `summary` is the transcript
    text after the method name; `details` are the extra lines of verbose mode.
    `hold_requests` puts a HoldRequests=true header on the envelope that carries it;
    `cwmp_id` overrides the generated cwmp:ID."""

    def __init__(self, name: str, render: Callable[[str], str], args: Optional[dict] = None,
                 summary: str = "", details: Iterable[str] = (), hold_requests: bool = False,
                 cwmp_id: Optional[str] = None):
        self.name = name
        self._render = render
        self.args = dict(args or {})
        self.summary = summary
        self.details = list(details)
        self.hold_requests = bool(hold_requests)
        self.cwmp_id = cwmp_id

    def body(self, style: str = "word") -> str:
        """The XML of the Body's child element."""
        return self._render(style)

    def hold(self, on: bool = True) -> "Rpc":
        """Sets HoldRequests on the envelope carrying this request; returns self."""
        self.hold_requests = on
        return self

    def describe(self) -> str:
        return (self.name + (" " + self.summary if self.summary else "")
                + (" [HoldRequests]" if self.hold_requests else ""))

    def __repr__(self):
        return "<Rpc %s>" % self.describe()


def _names_summary(names: list) -> str:
    if len(names) <= 3:
        return " ".join(names)
    return "%s (+%d more)" % (" ".join(names[:3]), len(names) - 3)


def _as_list(names) -> list:
    return [names] if isinstance(names, str) else list(names)


# ---- the RPC helpers -------------------------------------------------------

def GetRPCMethods(**kw) -> Rpc:
    return Rpc("GetRPCMethods", lambda st: _method("GetRPCMethods"), {}, **kw)


def GetParameterValues(names, **kw) -> Rpc:
    names = _as_list(names)
    return Rpc("GetParameterValues",
               lambda st: _method("GetParameterValues", _string_array("ParameterNames", names)),
               {"names": names}, _names_summary(names), names, **kw)


def GetParameterNames(path: str = "", next_level: bool = False, **kw) -> Rpc:
    return Rpc("GetParameterNames",
               lambda st: _method("GetParameterNames", _el("ParameterPath", path)
                                  + "<NextLevel>%s</NextLevel>" % fmt_bool(next_level, st)),
               {"path": path, "next_level": bool(next_level)},
               "%s%s" % (path or '""', " (next level)" if next_level else ""), **kw)


def _spv_items(params) -> list:
    if isinstance(params, dict):
        params = list(params.items())
    out = []
    for p in params:
        if isinstance(p, dict):
            out.append((p["name"], p.get("value"), p.get("type")))
        elif len(p) == 2:
            out.append((p[0], p[1], None))
        else:
            out.append((p[0], p[1], p[2]))
    return out


def SetParameterValues(params, key: str = "", **kw) -> Rpc:
    """params: [(name, value, xsd_type)] (type optional: inferred from the Python
    value), a {name: value} dict, or [{"name":..., "value":..., "type":...}]."""
    items = _spv_items(params)

    def render(st):
        structs = []
        for name, value, typ in items:
            text, typ2 = format_value(value, typ, st)
            structs.append("<ParameterValueStruct>%s<Value xsi:type=\"%s\">%s</Value>"
                           "</ParameterValueStruct>" % (_el("Name", name), esc(typ2), esc(text)))
        return _method("SetParameterValues",
                       '<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[%d]">%s'
                       "</ParameterList>%s" % (len(items), "".join(structs), _el("ParameterKey", key)))

    details = ["%s = %s (%s)" % (n, format_value(v, t)[0], format_value(v, t)[1]) for n, v, t in items]
    summary = _names_summary([n for n, _, _ in items]) + (" key=%s" % key if key else "")
    return Rpc("SetParameterValues", render, {"params": items, "key": key}, summary, details, **kw)


def GetParameterAttributes(names, **kw) -> Rpc:
    names = _as_list(names)
    return Rpc("GetParameterAttributes",
               lambda st: _method("GetParameterAttributes", _string_array("ParameterNames", names)),
               {"names": names}, _names_summary(names), names, **kw)


def _spa_items(params) -> list:
    out = []
    for p in params:
        if isinstance(p, dict):
            d = dict(p)
        else:
            d = {"name": p[0], "notification": p[1] if len(p) > 1 else None}
            if len(p) > 2:
                d["access_list"] = p[2]
        d.setdefault("notification", None)
        d.setdefault("access_list", None)
        d.setdefault("notification_change", d["notification"] is not None)
        d.setdefault("access_list_change", d["access_list"] is not None)
        out.append(d)
    return out


def SetParameterAttributes(params, **kw) -> Rpc:
    """params: [(name, notification)] or [(name, notification, access_list)] or dicts
    {name, notification, access_list, notification_change, access_list_change}; a
    None notification / access_list means "no change"."""
    items = _spa_items(params)

    def render(st):
        structs = []
        for d in items:
            acl = list(d["access_list"] or [])
            structs.append("<SetParameterAttributesStruct>%s<NotificationChange>%s</NotificationChange>"
                           "%s<AccessListChange>%s</AccessListChange>%s</SetParameterAttributesStruct>" % (
                               _el("Name", d["name"]), fmt_bool(d["notification_change"], st),
                               _el("Notification", int(d["notification"] or 0)),
                               fmt_bool(d["access_list_change"], st), _string_array("AccessList", acl)))
        return _method("SetParameterAttributes",
                       '<ParameterList soap-enc:arrayType="cwmp:SetParameterAttributesStruct[%d]">%s'
                       "</ParameterList>" % (len(items), "".join(structs)))

    details = ["%s notification=%s access_list=%s" % (d["name"], d["notification"], d["access_list"])
               for d in items]
    return Rpc("SetParameterAttributes", render, {"params": items},
               _names_summary([d["name"] for d in items]), details, **kw)


def AddObject(name: str, key: str = "", **kw) -> Rpc:
    return Rpc("AddObject",
               lambda st: _method("AddObject", _el("ObjectName", name) + _el("ParameterKey", key)),
               {"name": name, "key": key}, name + (" key=%s" % key if key else ""), **kw)


def DeleteObject(name: str, key: str = "", **kw) -> Rpc:
    return Rpc("DeleteObject",
               lambda st: _method("DeleteObject", _el("ObjectName", name) + _el("ParameterKey", key)),
               {"name": name, "key": key}, name + (" key=%s" % key if key else ""), **kw)


def Reboot(key: str = "", **kw) -> Rpc:
    return Rpc("Reboot", lambda st: _method("Reboot", _el("CommandKey", key)),
               {"key": key}, "key=%s" % key if key else "", **kw)


def FactoryReset(**kw) -> Rpc:
    return Rpc("FactoryReset", lambda st: _method("FactoryReset"), {}, **kw)


def Download(url: str, file_type: str = "1 Firmware Upgrade Image", key: str = "",
             username: str = "", password: str = "", file_size: int = 0,
             target_file_name: str = "", delay: int = 0, success_url: str = "",
             failure_url: str = "", **kw) -> Rpc:
    args = dict(url=url, file_type=file_type, key=key, username=username, password=password,
                file_size=int(file_size), target_file_name=target_file_name, delay=int(delay),
                success_url=success_url, failure_url=failure_url)
    return Rpc("Download", lambda st: _method("Download", "".join((
        _el("CommandKey", key), _el("FileType", file_type), _el("URL", url),
        _el("Username", username), _el("Password", password), _el("FileSize", int(file_size)),
        _el("TargetFileName", target_file_name), _el("DelaySeconds", int(delay)),
        _el("SuccessURL", success_url), _el("FailureURL", failure_url)))),
        args, "%s %s%s" % (file_type, url, " key=%s" % key if key else ""), **kw)


def Upload(url: str, file_type: str = "1 Vendor Configuration File", key: str = "",
           username: str = "", password: str = "", delay: int = 0, **kw) -> Rpc:
    args = dict(url=url, file_type=file_type, key=key, username=username, password=password,
                delay=int(delay))
    return Rpc("Upload", lambda st: _method("Upload", "".join((
        _el("CommandKey", key), _el("FileType", file_type), _el("URL", url),
        _el("Username", username), _el("Password", password), _el("DelaySeconds", int(delay))))),
        args, "%s %s%s" % (file_type, url, " key=%s" % key if key else ""), **kw)


def ScheduleInform(delay: int, key: str = "", **kw) -> Rpc:
    return Rpc("ScheduleInform",
               lambda st: _method("ScheduleInform", _el("DelaySeconds", int(delay)) + _el("CommandKey", key)),
               {"delay": int(delay), "key": key}, "%ss%s" % (int(delay), " key=%s" % key if key else ""), **kw)


def ScheduleDownload(url: str, windows, file_type: str = "1 Firmware Upgrade Image",
                     key: str = "", username: str = "", password: str = "", file_size: int = 0,
                     target_file_name: str = "", **kw) -> Rpc:
    """windows: [(start, end, mode, user_message, max_retries)] or dicts with keys
    start, end, mode ('1 At Any Time', ...), user_message, max_retries (1 or 2 windows)."""
    wins = []
    for w in windows:
        if isinstance(w, dict):
            wins.append((w["start"], w["end"], w.get("mode", "1 At Any Time"),
                         w.get("user_message", ""), w.get("max_retries", 0)))
        else:
            w = tuple(w) + ("1 At Any Time", "", 0)[len(w) - 2:]
            wins.append(w[:5])

    def render(st):
        tw = "".join("<TimeWindowStruct>%s%s%s%s%s</TimeWindowStruct>" % (
            _el("WindowStart", int(s)), _el("WindowEnd", int(e)), _el("WindowMode", m),
            _el("UserMessage", um), _el("MaxRetries", int(mr))) for s, e, m, um, mr in wins)
        return _method("ScheduleDownload", "".join((
            _el("CommandKey", key), _el("FileType", file_type), _el("URL", url),
            _el("Username", username), _el("Password", password), _el("FileSize", int(file_size)),
            _el("TargetFileName", target_file_name),
            '<TimeWindowList soap-enc:arrayType="cwmp:TimeWindowStruct[%d]">%s</TimeWindowList>'
            % (len(wins), tw))))

    args = dict(url=url, windows=wins, file_type=file_type, key=key, username=username,
                password=password, file_size=int(file_size), target_file_name=target_file_name)
    return Rpc("ScheduleDownload", render, args,
               "%s %s%s" % (file_type, url, " key=%s" % key if key else ""), **kw)


def CancelTransfer(key: str, **kw) -> Rpc:
    return Rpc("CancelTransfer", lambda st: _method("CancelTransfer", _el("CommandKey", key)),
               {"key": key}, "key=%s" % key, **kw)


def GetQueuedTransfers(**kw) -> Rpc:
    return Rpc("GetQueuedTransfers", lambda st: _method("GetQueuedTransfers"), {}, **kw)


def GetAllQueuedTransfers(**kw) -> Rpc:
    return Rpc("GetAllQueuedTransfers", lambda st: _method("GetAllQueuedTransfers"), {}, **kw)


def ChangeDUState(operations, key: Optional[str] = None, **kw) -> Rpc:
    """operations: dicts {"op": "Install"|"Update"|"Uninstall", "url", "uuid",
    "username", "password", "version", "execution_env_ref"} (schema order is kept)."""
    order = {
        "Install": ("URL", "UUID", "Username", "Password", "ExecutionEnvRef"),
        "Update": ("UUID", "Version", "URL", "Username", "Password"),
        "Uninstall": ("UUID", "Version", "ExecutionEnvRef"),
    }
    keys = {"URL": "url", "UUID": "uuid", "Username": "username", "Password": "password",
            "ExecutionEnvRef": "execution_env_ref", "Version": "version"}
    ops = [dict(o) for o in operations]

    def render(st):
        parts = []
        for o in ops:
            kind = o["op"]
            inner = "".join(_el(tag, o[keys[tag]]) for tag in order[kind] if o.get(keys[tag]) is not None)
            parts.append('<Operations xsi:type="cwmp:%sOpStruct">%s</Operations>' % (kind, inner))
        if key is not None:
            parts.append(_el("CommandKey", key))
        return _method("ChangeDUState", "".join(parts))

    return Rpc("ChangeDUState", render, {"operations": ops, "key": key},
               ", ".join(o["op"] for o in ops) + (" key=%s" % key if key else ""), **kw)


def raw(xml: str, name: Optional[str] = None, **kw) -> Rpc:
    """Any Body child, sent as written (it may use the prefixes cwmp, soap-enc, xsd,
    xsi, soap-env). `name` is the method name for the transcript and for matching the
    response (taken from the element when not given)."""
    if name is None:
        m = re.match(r"\s*<(?:[\w.-]+:)?([\w.-]+)", xml)
        name = m.group(1) if m else "raw"
    return Rpc(name, lambda st: xml, {"xml": xml}, "(raw)", [xml], **kw)


RPC_HELPERS = {f.__name__: f for f in (
    GetRPCMethods, GetParameterValues, GetParameterNames, SetParameterValues,
    GetParameterAttributes, SetParameterAttributes, AddObject, DeleteObject, Reboot,
    FactoryReset, Download, Upload, ScheduleInform, ScheduleDownload, CancelTransfer,
    GetQueuedTransfers, GetAllQueuedTransfers, ChangeDUState, raw)}


# ---- the ACS's answers to CPE requests ----------------------------------------

def inform_response(max_envelopes: int = 1) -> str:
    return _method("InformResponse", _el("MaxEnvelopes", int(max_envelopes)))


def get_rpc_methods_response(methods: Iterable[str] = ACS_METHODS) -> str:
    return _method("GetRPCMethodsResponse", _string_array("MethodList", methods))


def kicked_response(next_url: str = "") -> str:
    return _method("KickedResponse", _el("NextURL", next_url))


def empty_response(method: str) -> str:
    """TransferCompleteResponse, AutonomousTransferCompleteResponse,
    RequestDownloadResponse, DUStateChangeCompleteResponse, ..."""
    return _method(method + "Response")


# --------------------------------------------------------------------------
# Reading

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


# Elements that may repeat without an array wrapper; always parsed to lists.
_REPEATED = {"SetParameterValuesFault", "Results", "Operations"}


def _text(e) -> str:
    return e.text or "" if e is not None else ""


def _child(e, name):
    for c in e:
        if _local(c.tag) == name:
            return c
    return None


@dataclass
class ParsedMessage:
    """One CPE message. kind: 'request' (Inform, TransferComplete, ...), 'response'
    (GetParameterValuesResponse, ...) or 'fault' (a SOAP Fault)."""
    kind: str
    name: str
    ns: Optional[str]
    cwmp_id: Optional[str]
    headers: dict
    data: Any
    fault: Optional[Fault] = None
    violations: list = field(default_factory=list)

    @property
    def result(self):
        """The natural value of a response: a dict name -> (value, type) for
        GetParameterValuesResponse, name -> writable for GetParameterNamesResponse,
        name -> (notification, access_list) for GetParameterAttributesResponse, the
        method list, Status as an int, (InstanceNumber, Status) for AddObjectResponse;
        the data dict otherwise."""
        d = self.data
        if not isinstance(d, dict):
            return d
        if self.name == "AddObjectResponse":
            return (_int(d.get("InstanceNumber")), _int(d.get("Status")))
        if set(d) == {"Status"}:
            return _int(d["Status"])
        if set(d) == {"ParameterList"}:
            return d["ParameterList"]
        if set(d) == {"MethodList"}:
            return d["MethodList"]
        return d


def _int(v):
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return v


class _Reader:
    def __init__(self, prefixes: dict):
        self.prefixes = prefixes
        self.violations = []

    def resolve_type(self, qname: Optional[str]) -> Optional[str]:
        """xsi:type QName -> 'xsd:local' when its prefix names XML Schema."""
        if qname is None:
            return None
        qname = qname.strip()
        prefix, _, local = qname.rpartition(":")
        if self.prefixes.get(prefix) == XSD:
            return "xsd:" + local
        return qname

    def check_array(self, e, n_items: int):
        at = e.get(_ARRAY_TYPE)
        if at is None:
            self.violations.append("%s: array without soap-enc:arrayType" % _local(e.tag))
            return
        m = re.search(r"\[(\d*)\]\s*$", at)
        if m and m.group(1) != "" and int(m.group(1)) != n_items:
            self.violations.append("%s: soap-enc:arrayType %s but %d items"
                                   % (_local(e.tag), at, n_items))

    def generic(self, e):
        children = list(e)
        if e.get(_ARRAY_TYPE) is not None:
            self.check_array(e, len(children))
            return [self.generic(c) for c in children]
        if not children:
            return e.text or ""
        d = {}
        for c in children:
            k = _local(c.tag)
            v = self.field(c)
            if k in _REPEATED:
                d.setdefault(k, []).append(v)
            elif k in d:
                if not isinstance(d[k], list):
                    d[k] = [d[k]]
                d[k].append(v)
            else:
                d[k] = v
        return d

    def field(self, e):
        children = list(e)
        kinds = {_local(c.tag) for c in children}
        name = _local(e.tag)
        if "ParameterValueStruct" in kinds:
            self.check_array(e, len(children))
            out = {}
            for c in children:
                n = _text(_child(c, "Name"))
                v = _child(c, "Value")
                t = v.get(_XSI_TYPE) if v is not None else None
                if v is not None and t is None:
                    self.violations.append("%s: Value without xsi:type" % n)
                out[n] = (_text(v), self.resolve_type(t))
            return out
        if "ParameterInfoStruct" in kinds:
            self.check_array(e, len(children))
            return {_text(_child(c, "Name")): parse_bool(_text(_child(c, "Writable"))) for c in children}
        if "ParameterAttributeStruct" in kinds:
            self.check_array(e, len(children))
            out = {}
            for c in children:
                acl = _child(c, "AccessList")
                if acl is not None:
                    self.check_array(acl, len(list(acl)))
                out[_text(_child(c, "Name"))] = (
                    _int(_text(_child(c, "Notification"))),
                    [_text(s) for s in acl] if acl is not None else [])
            return out
        if "EventStruct" in kinds:
            self.check_array(e, len(children))
            return [(_text(_child(c, "EventCode")), _text(_child(c, "CommandKey"))) for c in children]
        if name in ("ParameterList", "MethodList", "Event") and not children:
            self.check_array(e, 0)
            return {} if name == "ParameterList" else []
        if name == "MethodList":
            self.check_array(e, len(children))
            return [_text(c) for c in children]
        return self.generic(e)


def parse_fault(fault_el, reader: Optional[_Reader] = None) -> Fault:
    detail = _child(fault_el, "detail")
    cf = _child(detail, "Fault") if detail is not None else None
    code = _int(_text(_child(cf, "FaultCode"))) if cf is not None else 0
    spv = []
    if cf is not None:
        for c in cf:
            if _local(c.tag) == "SetParameterValuesFault":
                spv.append((_text(_child(c, "ParameterName")), _int(_text(_child(c, "FaultCode"))),
                            _text(_child(c, "FaultString"))))
    f = Fault(code if isinstance(code, int) else 0,
              _text(_child(cf, "FaultString")) if cf is not None else "", spv,
              _text(_child(fault_el, "faultcode")), _text(_child(fault_el, "faultstring")))
    if cf is None and reader is not None:
        reader.violations.append("SOAP Fault without a cwmp:Fault detail")
    return f


def parse_message(body: bytes) -> ParsedMessage:
    """Parses a CPE's SOAP envelope. Raises CwmpError when it is not one."""
    if re.search(rb"<!DOCTYPE", body[:4096], re.I):
        raise CwmpError("document type declarations are not allowed in SOAP messages")
    prefixes = {}
    root = None
    try:
        for ev, obj in ET.iterparse(io.BytesIO(body), events=("start-ns", "start")):
            if ev == "start-ns":
                prefixes.setdefault(obj[0], obj[1])
            elif root is None:
                root = obj
    except ET.ParseError as e:
        raise CwmpError("XML parse error: %s" % e) from None
    if root is None or root.tag != "{%s}Envelope" % SOAP_ENV:
        raise CwmpError("not a SOAP envelope (root element %s)"
                        % (root.tag if root is not None else "none"))
    header = body_el = None
    for c in root:
        if c.tag == "{%s}Header" % SOAP_ENV:
            header = c
        elif c.tag == "{%s}Body" % SOAP_ENV:
            body_el = c
    if body_el is None:
        raise CwmpError("SOAP envelope without a Body")
    methods = list(body_el)
    if not methods:
        raise CwmpError("SOAP Body is empty")
    reader = _Reader(prefixes)
    if len(methods) > 1:
        reader.violations.append("SOAP Body holds %d elements (MaxEnvelopes 1: one)" % len(methods))
    m = methods[0]
    headers = {}
    cwmp_id = None
    ns = None
    if header is not None:
        for h in header:
            headers[_local(h.tag)] = (h.text or "").strip()
            if _local(h.tag) == "ID":
                cwmp_id = h.text or ""
                ns = _ns(h.tag) or None
                if h.get(_MUST_UNDERSTAND) != "1":
                    reader.violations.append('cwmp:ID without soap-env:mustUnderstand="1"')
    if m.tag == "{%s}Fault" % SOAP_ENV:
        f = parse_fault(m, reader)
        detail = _child(m, "detail")
        cf = _child(detail, "Fault") if detail is not None else None
        if cf is not None and _ns(cf.tag).startswith(CWMP_PREFIX):
            ns = ns or _ns(cf.tag)
        return ParsedMessage("fault", "Fault", ns, cwmp_id, headers,
                             {"FaultCode": f.code, "FaultString": f.string,
                              "SetParameterValuesFault": f.spv_faults}, f, reader.violations)
    mns = _ns(m.tag)
    if mns.startswith(CWMP_PREFIX):
        ns = mns
    else:
        reader.violations.append("method %s is not in a cwmp namespace" % _local(m.tag))
    name = _local(m.tag)
    data = {}
    for c in m:
        k = _local(c.tag)
        v = reader.field(c)
        if k in _REPEATED:
            data.setdefault(k, []).append(v)
        else:
            data[k] = v
    kind = "response" if name.endswith("Response") else "request"
    return ParsedMessage(kind, name, ns, cwmp_id, headers, data, None, reader.violations)


def summarize(msg: ParsedMessage) -> str:
    """The transcript text of a CPE message."""
    d = msg.data if isinstance(msg.data, dict) else {}
    if msg.kind == "fault":
        f = msg.fault
        s = "Fault %s %s" % (f.code, f.string)
        if f.spv_faults:
            s += " (%d parameter faults)" % len(f.spv_faults)
        return s
    if msg.name == "Inform":
        ev = ", ".join(c + (" [%s]" % k if k else "") for c, k in d.get("Event", []))
        return "Inform (%s)" % ev
    if msg.name == "GetParameterValuesResponse":
        return "%s (%d values)" % (msg.name, len(d.get("ParameterList", {})))
    if msg.name == "GetParameterNamesResponse":
        return "%s (%d names)" % (msg.name, len(d.get("ParameterList", {})))
    if msg.name == "GetParameterAttributesResponse":
        return "%s (%d attributes)" % (msg.name, len(d.get("ParameterList", {})))
    if msg.name == "GetRPCMethodsResponse":
        return "%s (%d methods)" % (msg.name, len(d.get("MethodList", [])))
    if msg.name == "AddObjectResponse":
        return "%s (instance %s, Status %s)" % (msg.name, d.get("InstanceNumber"), d.get("Status"))
    if "Status" in d:
        return "%s (Status %s)" % (msg.name, d["Status"])
    if msg.name in ("TransferComplete", "AutonomousTransferComplete"):
        fs = d.get("FaultStruct") or {}
        code = fs.get("FaultCode", "?") if isinstance(fs, dict) else "?"
        s = "%s (key %s, fault %s" % (msg.name, d.get("CommandKey", d.get("TransferURL", "")), code)
        if str(code) != "0" and isinstance(fs, dict):
            s += " " + str(fs.get("FaultString", ""))
        return s + ")"
    if msg.name == "RequestDownload":
        return "%s (%s)" % (msg.name, d.get("FileType", ""))
    return msg.name


def details(msg: ParsedMessage) -> list:
    """The verbose transcript lines of a CPE message."""
    d = msg.data if isinstance(msg.data, dict) else {}
    out = []
    if msg.kind == "fault":
        for n, c, s in msg.fault.spv_faults:
            out.append("%s: %s %s" % (n, c, s))
        return out
    if msg.name == "Inform":
        dev = d.get("DeviceId") or {}
        if isinstance(dev, dict):
            out.append("DeviceId %s" % " ".join("%s=%s" % kv for kv in dev.items()))
        out.append("MaxEnvelopes=%s CurrentTime=%s RetryCount=%s" % (
            d.get("MaxEnvelopes"), d.get("CurrentTime"), d.get("RetryCount")))
    pl = d.get("ParameterList")
    if isinstance(pl, dict):
        for n, v in pl.items():
            if isinstance(v, tuple) and len(v) == 2 and msg.name != "GetParameterAttributesResponse":
                out.append("%s = %s (%s)" % (n, v[0], v[1]))
            else:
                out.append("%s: %s" % (n, v))
    elif msg.name not in ("Inform",):
        for k, v in d.items():
            if k != "ParameterList":
                out.append("%s: %s" % (k, v))
    return out
