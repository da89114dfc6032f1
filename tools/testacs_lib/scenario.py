"""Scenario files for the test ACS (tools/testacs --script FILE, TestACS.load_scenario).

A scenario is JSON: a list of sessions (or an object {"sessions": [...]}). The
sessions are given, in order, to the consecutive CWMP sessions the CPE opens. Each
session is either a list of steps or an object:

    {"steps": [...], "inform_fault": 8005, "hold_requests": true}

inform_fault answers that session's Inform with a SOAP fault (a code, or
{"code": 8005, "string": "..."}) instead of InformResponse; hold_requests sets
HoldRequests on the InformResponse.

A step is one ACS request, {"rpc": NAME, ...arguments...}, the arguments being the
keyword arguments of the helper of the same name in testacs_lib.cwmp:

    {"rpc": "GetParameterValues", "names": ["Device.ManagementServer."]}
    {"rpc": "SetParameterValues", "params": [["Device.X.Y", "42", "xsd:unsignedInt"]], "key": "k1"}
    {"rpc": "GetParameterNames", "path": "Device.", "next_level": true}
    {"rpc": "GetParameterAttributes", "names": ["Device.DeviceInfo.SoftwareVersion"]}
    {"rpc": "SetParameterAttributes", "params": [["Device.DeviceInfo.SoftwareVersion", 2]]}
    {"rpc": "AddObject", "name": "Device.DNS.Client.Server.", "key": "k2"}
    {"rpc": "DeleteObject", "name": "Device.DNS.Client.Server.3.", "key": "k3"}
    {"rpc": "Reboot", "key": "r1"}
    {"rpc": "FactoryReset"}
    {"rpc": "Download", "url": "http://...", "file_type": "1 Firmware Upgrade Image",
     "key": "d1", "file_size": 0, "target_file_name": "", "delay": 0}
    {"rpc": "Upload", "url": "http://...", "file_type": "2 Vendor Log File", "key": "u1"}
    {"rpc": "ScheduleInform", "delay": 30, "key": "s1"}
    {"rpc": "ScheduleDownload", "url": "...", "windows": [[0, 3600, "1 At Any Time", "", -1]]}
    {"rpc": "CancelTransfer", "key": "d1"}
    {"rpc": "GetRPCMethods"} / {"rpc": "GetQueuedTransfers"} / {"rpc": "GetAllQueuedTransfers"}
    {"rpc": "ChangeDUState", "operations": [{"op": "Install", "url": "..."}], "key": "c1"}
    {"rpc": "raw", "xml": "<cwmp:GetRPCMethods/>"}

Every step may also carry "hold_requests": true (HoldRequests on the envelope that
carries it) and "id": "..." (the cwmp:ID to use). Method names are matched without
regard to case.
"""

from __future__ import annotations

import json
import os

from .cwmp import RPC_HELPERS, Fault, Rpc

_BY_LOWER = {k.lower(): v for k, v in RPC_HELPERS.items()}


class ScenarioError(ValueError):
    pass


def rpc_from_dict(step: dict) -> Rpc:
    if not isinstance(step, dict) or "rpc" not in step:
        raise ScenarioError("a step must be an object with an \"rpc\" member: %r" % (step,))
    args = dict(step)
    name = str(args.pop("rpc"))
    hold = bool(args.pop("hold_requests", False))
    cid = args.pop("id", None)
    helper = _BY_LOWER.get(name.lower())
    if helper is None:
        raise ScenarioError("unknown rpc %r (known: %s)" % (name, ", ".join(sorted(RPC_HELPERS))))
    try:
        rpc = helper(**args)
    except TypeError as e:
        raise ScenarioError("%s: %s" % (name, e)) from None
    rpc.hold_requests = hold
    rpc.cwmp_id = cid
    return rpc


def _fault(v):
    if v is None:
        return None
    if isinstance(v, dict):
        return Fault(int(v["code"]), v.get("string", ""))
    return Fault(int(v))


def load(scenario) -> list:
    """Path, JSON text or parsed data -> [{"steps": [Rpc], "inform_fault": Fault|None,
    "hold_requests": bool}] (the keyword arguments of TestACS.add_session)."""
    if isinstance(scenario, str):
        if os.path.exists(scenario):
            with open(scenario, encoding="utf-8") as f:
                text = f.read()
        else:
            text = scenario
        try:
            scenario = json.loads(text)
        except json.JSONDecodeError as e:
            raise ScenarioError("scenario is not valid JSON: %s" % e) from None
    if isinstance(scenario, dict):
        scenario = scenario.get("sessions")
    if not isinstance(scenario, list):
        raise ScenarioError("a scenario is a list of sessions (or {\"sessions\": [...]})")
    out = []
    for i, sess in enumerate(scenario, 1):
        if isinstance(sess, list):
            sess = {"steps": sess}
        if not isinstance(sess, dict):
            raise ScenarioError("session %d: a list of steps or an object" % i)
        unknown = set(sess) - {"steps", "inform_fault", "hold_requests"}
        if unknown:
            raise ScenarioError("session %d: unknown members %s" % (i, ", ".join(sorted(unknown))))
        try:
            steps = [rpc_from_dict(s) for s in sess.get("steps", [])]
        except ScenarioError as e:
            raise ScenarioError("session %d: %s" % (i, e)) from None
        out.append({"steps": steps, "inform_fault": _fault(sess.get("inform_fault")),
                    "hold_requests": bool(sess.get("hold_requests", False))})
    return out
