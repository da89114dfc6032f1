"""Self-tests of the test ACS (tools/testacs, tools/testacs_lib), driven by a tiny fake
CPE over real sockets (http.client, one keep-alive connection per session).

    /usr/bin/python3 -m unittest discover -s tests/testacs
"""

import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlsplit

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from testacs_lib import (CWMP_1_0, CWMP_1_2, AddObject, DeleteObject, Download,  # noqa: E402
                         FactoryReset, Fault, GetParameterAttributes, GetParameterNames,
                         GetParameterValues, GetRPCMethods, Reboot, ScheduleInform,
                         SetParameterAttributes, SetParameterValues, TestACS, Upload, raw)
from testacs_lib import cwmp  # noqa: E402
from testacs_lib.auth import ServerAuth, authorization_for, parse_challenges  # noqa: E402

VALIDATOR = os.environ.get("CWMP_VALIDATE") or os.path.normpath(
    os.path.join(ROOT, "..", "shared", "cwmp-validate", "validate-cwmp"))
HAVE_VALIDATOR = os.access(VALIDATOR, os.X_OK) and shutil.which("xmllint") is not None

NS = {"soap-env": cwmp.SOAP_ENV}


def inform_xml(ns=CWMP_1_2, cwmp_id="cpe-1", events=(("0 BOOTSTRAP", ""), ("1 BOOT", "")),
               retry=0, params=None, serial="EXS2301A7F3C", extra_headers=()):
    params = params if params is not None else [
        ("Device.DeviceInfo.SoftwareVersion", "4.2.1038", "xsd:string"),
        ("Device.ManagementServer.ConnectionRequestURL", "http://127.0.0.1:1/cr", "xsd:string"),
        ("Device.ManagementServer.ParameterKey", "", "xsd:string")]
    ev = "".join("<EventStruct><EventCode>%s</EventCode><CommandKey>%s</CommandKey></EventStruct>"
                 % (c, k) for c, k in events)
    pl = "".join('<ParameterValueStruct><Name>%s</Name><Value xsi:type="%s">%s</Value></ParameterValueStruct>'
                 % (n, t, cwmp.esc(v)) for n, v, t in params)
    body = ("<cwmp:Inform><DeviceId><Manufacturer>Example STB Co</Manufacturer><OUI>00005E</OUI>"
            "<ProductClass>RDK-STB</ProductClass><SerialNumber>%s</SerialNumber></DeviceId>"
            '<Event soap-enc:arrayType="cwmp:EventStruct[%d]">%s</Event><MaxEnvelopes>1</MaxEnvelopes>'
            "<CurrentTime>2024-05-01T12:00:00Z</CurrentTime><RetryCount>%d</RetryCount>"
            '<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[%d]">%s</ParameterList>'
            "</cwmp:Inform>" % (serial, len(events), ev, retry, len(params), pl))
    return cwmp.envelope(ns, body, cwmp_id, extra_headers=extra_headers)


def gpv_response_xml(cwmp_id, values, ns=CWMP_1_2):
    pl = "".join('<ParameterValueStruct><Name>%s</Name><Value xsi:type="%s">%s</Value></ParameterValueStruct>'
                 % (n, t, cwmp.esc(v)) for n, v, t in values)
    return cwmp.envelope(ns, '<cwmp:GetParameterValuesResponse><ParameterList soap-enc:arrayType='
                         '"cwmp:ParameterValueStruct[%d]">%s</ParameterList></cwmp:GetParameterValuesResponse>'
                         % (len(values), pl), cwmp_id)


def response_xml(cwmp_id, method, inner="", ns=CWMP_1_2):
    return cwmp.envelope(ns, "<cwmp:%s>%s</cwmp:%s>" % (method, inner, method), cwmp_id)


def cpe_fault_xml(cwmp_id, code, string, spv=(), ns=CWMP_1_2):
    return cwmp.envelope(ns, Fault(code, string, list(spv), soap_faultcode="Client").to_xml(), cwmp_id)


class Reply:
    def __init__(self, r, body):
        self.status = r.status
        self.headers = r.headers
        self.body = body
        self.root = None
        if body and r.status == 200:
            self.root = ET.fromstring(body)

    def method(self):
        b = self.root.find("soap-env:Body", NS)
        return list(b)[0]

    @property
    def method_name(self):
        return self.method().tag.rsplit("}", 1)[-1]

    @property
    def method_ns(self):
        return self.method().tag[1:].split("}", 1)[0]

    def header(self, name):
        h = self.root.find("soap-env:Header", NS)
        if h is None:
            return None
        for c in h:
            if c.tag.endswith("}" + name):
                return c
        return None

    @property
    def cwmp_id(self):
        e = self.header("ID")
        return e.text if e is not None else None


class FakeCPE:
    """A minimal CPE: one keep-alive HTTP/1.1 connection, a cookie jar, and Digest or
    Basic authentication answering the ACS's challenge."""

    def __init__(self, url, username=None, password=None, send_cookies=True, context=None):
        u = urlsplit(url)
        self.path = u.path or "/"
        if u.scheme == "https":
            self.conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=5, context=context)
        else:
            self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
        self.username, self.password = username, password
        self.cookies = {}
        self.send_cookies = send_cookies
        self.challenges = None
        self.nc = 0
        self.statuses = []

    def _authorization(self, body):
        if not self.challenges or self.username is None:
            return None
        self.nc += 1
        header, _, _ = authorization_for(self.challenges, self.username, self.password, "POST",
                                         self.path, body, self.nc)
        return header

    def post(self, body=b"", cookies=None, extra_headers=None, authorize=True):
        if isinstance(body, str):
            body = body.encode("utf-8")
        for attempt in range(2):
            headers = {"Content-Type": 'text/xml; charset="utf-8"', "SOAPAction": ""}
            headers["Content-Length"] = str(len(body))
            jar = self.cookies if cookies is None else cookies
            if self.send_cookies and jar:
                headers["Cookie"] = "; ".join("%s=%s" % kv for kv in jar.items())
            auth = self._authorization(body) if authorize else None
            if auth:
                headers["Authorization"] = auth
            headers.update(extra_headers or {})
            self.conn.request("POST", self.path, body=body, headers=headers)
            r = self.conn.getresponse()
            data = r.read()
            for v in r.headers.get_all("Set-Cookie") or []:
                k, _, val = v.split(";", 1)[0].partition("=")
                self.cookies[k.strip()] = val.strip()
            self.statuses.append(r.status)
            if r.status == 401 and self.username is not None and attempt == 0 and authorize:
                self.challenges = parse_challenges(r.headers.get_all("WWW-Authenticate") or [])
                self.nc = 0
                continue
            return Reply(r, data)
        return Reply(r, data)

    def close(self):
        self.conn.close()


class ACSTestCase(unittest.TestCase):
    acs_kwargs = {}

    def make_acs(self, **kw):
        acs = TestACS(**{**self.acs_kwargs, **kw}).start()
        self.addCleanup(acs.stop)
        return acs

    def make_cpe(self, acs, **kw):
        cpe = FakeCPE(acs.url, **kw)
        self.addCleanup(cpe.close)
        return cpe


class SessionTests(ACSTestCase):

    def test_inform_response_echoes_id_namespace_and_sets_cookie(self):
        for ns in (CWMP_1_0, cwmp.CWMP_1_1, CWMP_1_2):
            with self.subTest(ns=ns):
                acs = self.make_acs()
                cpe = self.make_cpe(acs)
                r = cpe.post(inform_xml(ns=ns, cwmp_id="abc 1"))
                self.assertEqual(r.status, 200)
                self.assertIn("text/xml", r.headers["Content-Type"])
                self.assertRegex(r.headers["Set-Cookie"], r"^session=[0-9a-f]{16}$")
                self.assertEqual(r.method_name, "InformResponse")
                self.assertEqual(r.method_ns, ns)
                self.assertEqual(r.cwmp_id, "abc 1")
                self.assertEqual(r.header("ID").get("{%s}mustUnderstand" % cwmp.SOAP_ENV), "1")
                self.assertEqual(r.header("ID").tag, "{%s}ID" % ns)
                self.assertEqual(r.method().find("MaxEnvelopes").text, "1")
                s = acs.last_session
                self.assertEqual(s.cwmp_ns, ns)
                self.assertEqual(s.device_id, {"Manufacturer": "Example STB Co", "OUI": "00005E",
                                               "ProductClass": "RDK-STB", "SerialNumber": "EXS2301A7F3C"})
                self.assertEqual(s.device_key, "00005E-RDK-STB-EXS2301A7F3C")
                self.assertEqual(s.events, [("0 BOOTSTRAP", ""), ("1 BOOT", "")])
                self.assertEqual((s.max_envelopes, s.current_time, s.retry_count),
                                 (1, "2024-05-01T12:00:00Z", 0))
                self.assertEqual(s.parameters["Device.DeviceInfo.SoftwareVersion"], ("4.2.1038", "xsd:string"))
                self.assertEqual(s.parameters["Device.ManagementServer.ParameterKey"], ("", "xsd:string"))
                self.assertFalse(s.finished)
                self.assertEqual(s.violations, [])

    def test_cwmp_ns_option_forces_the_namespace(self):
        acs = self.make_acs(cwmp_ns="1-0")
        r = self.make_cpe(acs).post(inform_xml(ns=CWMP_1_2))
        self.assertEqual(r.method_ns, CWMP_1_0)

    def test_queued_rpc_response_and_end_of_session(self):
        acs = self.make_acs()
        acs.queue(GetParameterValues(["Device.ManagementServer."]))
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.method_name, "GetParameterValues")
        names = r.method().find("ParameterNames")
        self.assertEqual(names.get("{%s}arrayType" % cwmp.SOAP_ENC), "xsd:string[1]")
        self.assertEqual([e.text for e in names], ["Device.ManagementServer."])
        rid = r.cwmp_id
        self.assertTrue(rid)
        r = cpe.post(gpv_response_xml(rid, [
            ("Device.ManagementServer.URL", "http://acs.example/", "xsd:string"),
            ("Device.ManagementServer.PeriodicInformInterval", "3600", "xsd:unsignedInt"),
            ("Device.ManagementServer.PeriodicInformEnable", "true", "xsd:boolean")]))
        self.assertEqual(r.status, 204)
        self.assertEqual(r.body, b"")
        self.assertEqual(r.headers["Connection"], "close")
        self.assertIsNone(r.headers["Content-Length"])
        s = acs.wait_for_session(2)
        self.assertEqual(s.outcome, "done")
        self.assertTrue(s.cookies_ok)
        self.assertEqual(s.cookie_checks, [("empty", True), ("GetParameterValuesResponse", True)])
        self.assertEqual(s.rpcs, ["GetParameterValues"])
        ex = s.find("GetParameterValues")
        self.assertEqual(ex.request, {"names": ["Device.ManagementServer."]})
        self.assertEqual(ex.response_name, "GetParameterValuesResponse")
        self.assertTrue(ex.ok)
        self.assertEqual(s.values["Device.ManagementServer.URL"], ("http://acs.example/", "xsd:string"))
        self.assertEqual(s.values["Device.DeviceInfo.SoftwareVersion"], ("4.2.1038", "xsd:string"))
        self.assertEqual(ex.result, {
            "Device.ManagementServer.URL": ("http://acs.example/", "xsd:string"),
            "Device.ManagementServer.PeriodicInformInterval": ("3600", "xsd:unsignedInt"),
            "Device.ManagementServer.PeriodicInformEnable": ("true", "xsd:boolean")})
        self.assertEqual(len({m.connection for m in s.messages if m.direction == "cpe"}), 1)
        self.assertEqual(s.violations, [])
        self.assertIsNotNone(s.ended_at)
        self.assertEqual(acs.transcript()[1:], [
            "CPE -> ACS  Inform (0 BOOTSTRAP, 1 BOOT)",
            "ACS -> CPE  InformResponse",
            "CPE -> ACS  (empty)",
            "ACS -> CPE  GetParameterValues Device.ManagementServer.",
            "CPE -> ACS  GetParameterValuesResponse (3 values)",
            "ACS -> CPE  204 (end of session)"])
        verbose = acs.transcript(verbose=True)
        self.assertTrue(any("Device.ManagementServer.PeriodicInformInterval = 3600 (xsd:unsignedInt)" in l
                            for l in verbose), verbose)

    def test_empty_queue_ends_with_204(self):
        acs = self.make_acs()
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        s = acs.wait_for_inform(2)
        self.assertFalse(s.finished)
        r = cpe.post(b"")
        self.assertEqual(r.status, 204)
        self.assertIs(acs.wait_for_session(2), s)
        self.assertEqual(s.outcome, "done")

    def test_missing_cookie_is_recorded(self):
        acs = self.make_acs()
        acs.queue(GetRPCMethods())
        cpe = self.make_cpe(acs, send_cookies=False)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        self.assertEqual(r.method_name, "GetRPCMethods")
        cpe.post(response_xml(r.cwmp_id, "GetRPCMethodsResponse",
                              '<MethodList soap-enc:arrayType="xsd:string[1]"><string>Inform</string></MethodList>'))
        s = acs.wait_for_session(2)
        self.assertEqual(s.outcome, "done")
        self.assertFalse(s.cookies_ok)
        self.assertEqual(s.cookie_checks, [("empty", False), ("GetRPCMethodsResponse", False)])
        self.assertEqual(s.find("GetRPCMethods").result, ["Inform"])

    def test_wrong_cookie_is_recorded(self):
        acs = self.make_acs()
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        cpe.post(b"", cookies={"session": "0000"})
        self.assertFalse(acs.wait_for_session(2).cookies_ok)

    def test_require_cookie_answers_400(self):
        acs = self.make_acs(require_cookie=True)
        cpe = self.make_cpe(acs, send_cookies=False)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        self.assertEqual(r.status, 400)
        s = acs.wait_for_session(2)
        self.assertEqual(s.outcome, "rejected")

    def test_extra_cookies_must_come_back(self):
        acs = self.make_acs(extra_cookies=["lb=node7; Path=/"])
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        self.assertEqual(cpe.cookies["lb"], "node7")
        cpe.post(b"", cookies={"session": cpe.cookies["session"]})
        self.assertFalse(acs.wait_for_session(2).cookies_ok)

    def test_session_continues_on_a_new_connection_with_the_cookie(self):
        acs = self.make_acs()
        acs.queue(Reboot("r1"))
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        self.assertEqual(r.method_name, "Reboot")
        cpe.conn.close()
        cpe2 = self.make_cpe(acs)
        r2 = cpe2.post(response_xml(r.cwmp_id, "RebootResponse"), cookies=cpe.cookies)
        self.assertEqual(r2.status, 204)
        s = acs.wait_for_session(2)
        self.assertEqual(s.outcome, "done")
        self.assertEqual(s.reconnects, 1)
        self.assertTrue(s.find("Reboot").ok)

    def test_interrupted_session(self):
        acs = self.make_acs()
        acs.queue(FactoryReset())
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        cpe.post(b"")
        cpe.close()
        s = acs.wait_for_session(2)
        self.assertEqual(s.outcome, "interrupted")
        self.assertIsNone(s.find("FactoryReset").response_name)

    def test_cpe_requests_are_answered(self):
        acs = self.make_acs()
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml(events=[("7 TRANSFER COMPLETE", ""), ("M Download", "dl-1")]))
        tc = response_xml("t1", "TransferComplete",
                          "<CommandKey>dl-1</CommandKey><FaultStruct><FaultCode>0</FaultCode>"
                          "<FaultString></FaultString></FaultStruct><StartTime>2024-05-01T12:00:00Z</StartTime>"
                          "<CompleteTime>2024-05-01T12:01:00Z</CompleteTime>")
        r = cpe.post(tc)
        self.assertEqual((r.method_name, r.cwmp_id), ("TransferCompleteResponse", "t1"))
        r = cpe.post(response_xml("t2", "GetRPCMethods"))
        self.assertEqual(r.method_name, "GetRPCMethodsResponse")
        methods = r.method().find("MethodList")
        self.assertIn("Inform", [e.text for e in methods])
        self.assertEqual(methods.get("{%s}arrayType" % cwmp.SOAP_ENC), "xsd:string[%d]" % len(methods))
        r = cpe.post(response_xml("t3", "RequestDownload",
                                  '<FileType>1 Firmware Upgrade Image</FileType>'
                                  '<FileTypeArg soap-enc:arrayType="cwmp:ArgStruct[0]"></FileTypeArg>'))
        self.assertEqual(r.method_name, "RequestDownloadResponse")
        r = cpe.post(response_xml("t4", "X_EXAMPLE_Frob"))
        self.assertEqual(r.method_name, "Fault")
        self.assertEqual(r.method().find(".//FaultCode").text, "8000")
        self.assertEqual(cpe.post(b"").status, 204)
        s = acs.wait_for_session(2)
        self.assertEqual(s.events, [("7 TRANSFER COMPLETE", ""), ("M Download", "dl-1")])
        tc = s.find("TransferComplete")
        self.assertEqual(tc.initiator, "cpe")
        self.assertEqual(tc.request["CommandKey"], "dl-1")
        self.assertEqual(tc.request["FaultStruct"], {"FaultCode": "0", "FaultString": ""})
        self.assertEqual(s.find("X_EXAMPLE_Frob").fault.code, 8000)
        self.assertIn("CPE -> ACS  TransferComplete (key dl-1, fault 0)", acs.transcript())
        self.assertIn("CPE -> ACS  Inform (7 TRANSFER COMPLETE, M Download [dl-1])", acs.transcript())

    def test_cpe_fault_is_recorded_and_next_rpc_sent(self):
        acs = self.make_acs()
        acs.queue(SetParameterValues([("Device.DeviceInfo.UpTime", 5, "xsd:unsignedInt"),
                                      ("Device.X", True, None)], "k1"),
                  GetParameterNames("Device.", True))
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        self.assertEqual(r.method_name, "SetParameterValues")
        pl = r.method().find("ParameterList")
        self.assertEqual(pl.get("{%s}arrayType" % cwmp.SOAP_ENC), "cwmp:ParameterValueStruct[2]")
        vals = [(v.find("Name").text, v.find("Value").text, v.find("Value").get("{%s}type" % cwmp.XSI))
                for v in pl]
        self.assertEqual(vals, [("Device.DeviceInfo.UpTime", "5", "xsd:unsignedInt"),
                                ("Device.X", "true", "xsd:boolean")])
        self.assertEqual(r.method().find("ParameterKey").text, "k1")
        r = cpe.post(cpe_fault_xml(r.cwmp_id, 9003, "Invalid arguments",
                                   [("Device.DeviceInfo.UpTime", 9008, "read-only")]))
        self.assertEqual(r.method_name, "GetParameterNames")
        self.assertEqual(r.method().find("NextLevel").text, "true")
        r = cpe.post(response_xml(r.cwmp_id, "GetParameterNamesResponse",
                                  '<ParameterList soap-enc:arrayType="cwmp:ParameterInfoStruct[1]">'
                                  "<ParameterInfoStruct><Name>Device.DNS.</Name><Writable>0</Writable>"
                                  "</ParameterInfoStruct></ParameterList>"))
        self.assertEqual(r.status, 204)
        s = acs.wait_for_session(2)
        spv = s.find("SetParameterValues")
        self.assertFalse(spv.ok)
        self.assertEqual(spv.response_name, "Fault")
        self.assertEqual((spv.fault.code, spv.fault.spv_faults),
                         (9003, [("Device.DeviceInfo.UpTime", 9008, "read-only")]))
        self.assertEqual(s.find("GetParameterNames").result, {"Device.DNS.": False})
        self.assertIn("CPE -> ACS  Fault 9003 Invalid arguments (1 parameter faults)", acs.transcript())

    def test_response_checks(self):
        acs = self.make_acs()
        acs.queue(Reboot("r"))
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        cpe.post(b"")
        cpe.post(response_xml("wrong-id", "FactoryResetResponse"))
        s = acs.wait_for_session(2)
        self.assertEqual(len(s.violations), 2, s.violations)
        self.assertIn("FactoryResetResponse in answer to Reboot", s.violations)

    def test_rpc_results(self):
        acs = self.make_acs()
        acs.queue(AddObject("Device.DNS.Client.Server.", "a"), DeleteObject("Device.DNS.Client.Server.1.", "d"),
                  GetParameterAttributes("Device.DeviceInfo.SoftwareVersion"))
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        r = cpe.post(response_xml(r.cwmp_id, "AddObjectResponse",
                                  "<InstanceNumber>3</InstanceNumber><Status>0</Status>"))
        self.assertEqual(r.method_name, "DeleteObject")
        r = cpe.post(response_xml(r.cwmp_id, "DeleteObjectResponse", "<Status>1</Status>"))
        r = cpe.post(response_xml(r.cwmp_id, "GetParameterAttributesResponse",
                                  '<ParameterList soap-enc:arrayType="cwmp:ParameterAttributeStruct[1]">'
                                  "<ParameterAttributeStruct><Name>Device.DeviceInfo.SoftwareVersion</Name>"
                                  '<Notification>2</Notification><AccessList soap-enc:arrayType="xsd:string[1]">'
                                  "<string>Subscriber</string></AccessList></ParameterAttributeStruct></ParameterList>"))
        self.assertEqual(r.status, 204)
        s = acs.wait_for_session(2)
        self.assertEqual(s.find("AddObject").result, (3, 0))
        self.assertEqual(s.find("DeleteObject").result, 1)
        self.assertEqual(s.find("GetParameterAttributes").result,
                         {"Device.DeviceInfo.SoftwareVersion": (2, ["Subscriber"])})
        self.assertEqual(s.violations, [])

    def test_array_size_and_value_type_violations(self):
        acs = self.make_acs()
        acs.queue(GetParameterValues("Device.X"))
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        cpe.post(cwmp.envelope(CWMP_1_2, '<cwmp:GetParameterValuesResponse><ParameterList soap-enc:arrayType='
                                          '"cwmp:ParameterValueStruct[2]"><ParameterValueStruct><Name>Device.X</Name>'
                                          "<Value>1</Value></ParameterValueStruct></ParameterList>"
                                          "</cwmp:GetParameterValuesResponse>", r.cwmp_id))
        s = acs.wait_for_session(2)
        self.assertEqual(s.find("GetParameterValues").result, {"Device.X": ("1", None)})
        self.assertEqual(len(s.violations), 2, s.violations)

    def test_callable_steps_and_per_session_script(self):
        acs = self.make_acs()
        acs.add_session([AddObject("Device.DNS.Client.Server.", "a"),
                         lambda s: SetParameterValues(
                             [("Device.DNS.Client.Server.%d.Enable" % s.find("AddObject").result[0], True)])])
        acs.add_session([])
        acs.add_session([ScheduleInform(30, "si")])
        for expected in (["AddObject", "SetParameterValues"], [], ["ScheduleInform"]):
            cpe = self.make_cpe(acs)
            cpe.post(inform_xml())
            r = cpe.post(b"")
            while r.status == 200:
                name = r.method_name
                inner = "<InstanceNumber>7</InstanceNumber><Status>0</Status>" if name == "AddObject" else (
                    "<Status>0</Status>" if name == "SetParameterValues" else "")
                r = cpe.post(response_xml(r.cwmp_id, name + "Response", inner))
            s = acs.wait_for_session(2)
            self.assertEqual(s.rpcs, expected)
        self.assertEqual(acs.sessions[0].find("SetParameterValues").request["params"],
                         [("Device.DNS.Client.Server.7.Enable", True, None)])

    def test_hold_requests(self):
        acs = self.make_acs()
        acs.add_session([GetParameterValues("Device.X")], hold_requests=True)
        cpe = self.make_cpe(acs)
        r = cpe.post(inform_xml())
        self.assertEqual(r.header("HoldRequests").text, "true")
        self.assertEqual(r.header("HoldRequests").get("{%s}mustUnderstand" % cwmp.SOAP_ENV), "1")
        r = cpe.post(b"")                              # held: the CPE may not send requests
        self.assertEqual(r.method_name, "GetParameterValues")
        self.assertIsNone(r.header("HoldRequests"))
        r = cpe.post(gpv_response_xml(r.cwmp_id, [("Device.X", "1", "xsd:int")]))
        self.assertEqual(r.status, 204)                # no more requests, but the CPE is not done
        self.assertNotIn("Connection", r.headers)
        s = acs.last_session
        self.assertFalse(s.finished)
        r = cpe.post(response_xml("tc", "GetRPCMethods"))
        self.assertEqual(r.method_name, "GetRPCMethodsResponse")
        self.assertEqual(cpe.post(b"").status, 204)
        s = acs.wait_for_session(2)
        self.assertEqual(s.outcome, "done")
        self.assertEqual(s.violations, [])

    def test_hold_requests_on_a_queued_rpc_and_violation(self):
        acs = self.make_acs()
        acs.queue(GetRPCMethods(hold_requests=True), Reboot())
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        self.assertEqual(r.header("HoldRequests").text, "true")
        cpe.post(response_xml("x", "GetRPCMethods"))   # a request while held (and unanswered RPC)
        s = acs.last_session
        self.assertTrue(any("HoldRequests" in v for v in s.violations), s.violations)

    def test_empty_event_list_is_a_violation(self):
        acs = self.make_acs()
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml(events=[]))
        self.assertEqual(cpe.post(b"").status, 204)
        s = acs.wait_for_session(2)
        self.assertIn("Inform with an empty event list", s.violations)

    def test_session_script_waits_for_its_match(self):
        acs = self.make_acs()
        acs.add_session([GetParameterValues("Device.X")], hold_requests=True,
                        match=lambda s: "7 TRANSFER COMPLETE" in s.event_codes)
        cpe = self.make_cpe(acs)
        r = cpe.post(inform_xml(events=[("1 BOOT", "")]))
        self.assertIsNone(r.header("HoldRequests"))      # not this session
        self.assertEqual(cpe.post(b"").status, 204)
        acs.wait_for_session(2)
        r = cpe.post(inform_xml(events=[("7 TRANSFER COMPLETE", "")]))
        self.assertEqual(r.header("HoldRequests").text, "true")
        self.assertEqual(cpe.post(b"").method_name, "GetParameterValues")

    def test_inform_fault_injection(self):
        acs = self.make_acs()
        acs.inject_fault("Inform", 8005)
        cpe = self.make_cpe(acs)
        r = cpe.post(inform_xml())
        self.assertEqual(r.status, 200)
        self.assertEqual(r.method_name, "Fault")
        self.assertEqual(r.method().find("faultcode").text, "Server")
        self.assertEqual(r.method().find(".//{%s}Fault/FaultCode" % CWMP_1_2).text, "8005")
        self.assertEqual(r.cwmp_id, "cpe-1")
        s = acs.wait_for_session(2)
        self.assertEqual(s.outcome, "inform-fault")
        cpe2 = self.make_cpe(acs)
        self.assertEqual(cpe2.post(inform_xml(retry=1)).method_name, "InformResponse")
        self.assertEqual(acs.last_session.retry_count, 1)

    def test_on_inform_hook_and_fault_on_cpe_request(self):
        acs = self.make_acs()
        acs.on_inform = lambda s: [GetRPCMethods()] if "1 BOOT" in s.event_codes else Fault(8001)
        acs.inject_fault("TransferComplete", 8002)
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        r = cpe.post(response_xml("t", "TransferComplete", "<CommandKey></CommandKey>"))
        self.assertEqual(r.method_name, "Fault")
        self.assertEqual(cpe.post(b"").method_name, "GetRPCMethods")
        cpe2 = self.make_cpe(acs)
        self.assertEqual(cpe2.post(inform_xml(events=[("2 PERIODIC", "")])).method_name, "Fault")

    def test_use_cwmp_version(self):
        acs = self.make_acs()
        cpe = self.make_cpe(acs)
        r = cpe.post(inform_xml(extra_headers=[
            '<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">1.0,1.2,1.4</cwmp:SupportedCWMPVersions>']))
        self.assertEqual(r.header("UseCWMPVersion").text, "1.4")
        self.assertEqual(acs.last_session.use_cwmp_version, "1.4")

    def test_new_inform_abandons_the_running_session(self):
        acs = self.make_acs()
        acs.queue(Reboot())
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        cpe.post(b"")
        cpe.post(inform_xml(events=[("1 BOOT", "")]))
        self.assertEqual(acs.wait_for_session(2).outcome, "abandoned")
        self.assertEqual(len(acs.sessions), 2)

    def test_bad_bodies_get_400_and_are_recorded(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        acs = self.make_acs(record_dir=d)
        for body in (b"<not-xml", b"<a/>", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>',
                     cwmp.envelope(CWMP_1_2, "").encode()):
            cpe = self.make_cpe(acs)
            self.assertEqual(cpe.post(body).status, 400, body)
        # inside a session too
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        self.assertEqual(cpe.post(b"\xff\xfe garbage").status, 400)
        self.assertEqual(acs.wait_for_session(2).outcome, "error")
        self.assertEqual(len(os.listdir(d)), 6)
        self.assertGreaterEqual(len(acs.errors), 5)
        # an empty POST outside a session
        self.assertEqual(self.make_cpe(acs).post(b"").status, 400)
        # and the server still works
        self.assertEqual(self.make_cpe(acs).post(inform_xml()).status, 200)

    def test_failing_hook_and_garbage_do_not_kill_the_server(self):
        acs = self.make_acs()
        acs.on_inform = lambda s: 1 / 0
        self.assertEqual(self.make_cpe(acs).post(inform_xml()).status, 500)
        self.assertTrue(any("ZeroDivisionError" in e for e in acs.errors))
        acs.on_inform = None
        for junk in (b"\x00\x01garbage\r\n\r\n", b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                     b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort"):
            with socket.create_connection(("127.0.0.1", acs.port), timeout=2) as sk:
                sk.sendall(junk)
                sk.shutdown(socket.SHUT_WR)
                sk.recv(4096)
        self.assertEqual(self.make_cpe(acs).post(inform_xml()).status, 200)

    def test_other_http_methods_and_paths(self):
        acs = self.make_acs(path="/acs")
        c = http.client.HTTPConnection("127.0.0.1", acs.port, timeout=5)
        self.addCleanup(c.close)
        c.request("GET", "/acs")
        r = c.getresponse()
        r.read()
        self.assertEqual((r.status, r.getheader("Allow")), (405, "POST"))
        c2 = http.client.HTTPConnection("127.0.0.1", acs.port, timeout=5)
        self.addCleanup(c2.close)
        c2.request("POST", "/other", body=inform_xml())
        r = c2.getresponse()
        r.read()
        self.assertEqual(r.status, 404)
        self.assertEqual(self.make_cpe(acs).post(inform_xml()).status, 200)

    def test_chunked_and_gzip_bodies(self):
        acs = self.make_acs()
        c = http.client.HTTPConnection("127.0.0.1", acs.port, timeout=5)
        self.addCleanup(c.close)
        body = inform_xml().encode()
        c.request("POST", "/", body=iter([body[:100], body[100:]]),
                  headers={"Transfer-Encoding": "chunked", "Content-Type": "text/xml"}, encode_chunked=True)
        r = c.getresponse()
        r.read()
        self.assertEqual(r.status, 200)
        c.request("POST", "/", body=gzip.compress(inform_xml(cwmp_id="z").encode()),
                  headers={"Content-Encoding": "gzip"})
        r = c.getresponse()
        self.assertIn(b">z</cwmp:ID>", r.read())
        self.assertEqual(len(acs.sessions), 2)

    def test_wait_for_session_times_out(self):
        acs = self.make_acs()
        t0 = time.monotonic()
        with self.assertRaises(TimeoutError):
            acs.wait_for_session(0.2)
        self.assertLess(time.monotonic() - t0, 2)

    def test_every_acs_message_is_schema_valid(self):
        if not HAVE_VALIDATOR:
            self.skipTest("validate-cwmp or xmllint missing")
        from testacs_lib.validate import run_validator
        for ns in (CWMP_1_0, CWMP_1_2):
            d = tempfile.mkdtemp()
            self.addCleanup(shutil.rmtree, d)
            acs = self.make_acs(record_dir=d, record_acs=True)
            rpcs = [GetRPCMethods(), GetParameterValues(["Device.", "Device.X"]),
                    GetParameterNames("Device.", False),
                    SetParameterValues({"Device.A": "x<&>", "Device.B": False, "Device.C": 7}, "k"),
                    GetParameterAttributes(["Device.A"]),
                    SetParameterAttributes([("Device.A", 2), ("Device.B", None, ["Subscriber"])]),
                    AddObject("Device.X.", "k"), DeleteObject("Device.X.1.", "k"), Reboot("r"),
                    FactoryReset(), Download("http://x/fw.bin", file_size=10, key="d"),
                    Upload("http://x/up", "2 Vendor Log File"), ScheduleInform(60, "s"),
                    raw("<cwmp:GetRPCMethods/>", hold_requests=True)]
            acs.queue(*rpcs)
            acs.inject_fault("TransferComplete", 8003)
            cpe = self.make_cpe(acs)
            cpe.post(inform_xml(ns=ns))
            cpe.post(response_xml("g", "GetRPCMethods", ns=ns))
            cpe.post(response_xml("t", "TransferComplete", ns=ns))
            r = cpe.post(b"")
            while r.status == 200:
                r = cpe.post(cpe_fault_xml(r.cwmp_id, 9000, "no", ns=ns))
            acs.stop()
            self.assertEqual(len(acs.sessions[0].rpcs), len(rpcs))
            files = [os.path.join(d, f) for f in sorted(os.listdir(d)) if "-acs-" in f]
            self.assertEqual(len(files), len(rpcs) + 3)   # + InformResponse, GetRPCMethodsResponse, a fault
            self.assertEqual({f: e for f, e in run_validator(VALIDATOR, files).items() if e}, {}, ns)

    def test_validation_of_cpe_messages(self):
        if not HAVE_VALIDATOR:
            self.skipTest("validate-cwmp or xmllint missing")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        acs = self.make_acs(record_dir=d, validate=VALIDATOR)
        acs.queue(GetParameterValues("Device.X"), Reboot())
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        r = cpe.post(b"")
        r = cpe.post(gpv_response_xml(r.cwmp_id, [("Device.X", "1", "xsd:int")]))
        # invalid: RebootResponse has no content, this one has some
        cpe.post(response_xml(r.cwmp_id, "RebootResponse", "<Status>0</Status>"))
        acs.wait_for_session(2)
        errors = acs.validate_all()
        self.assertEqual(len(errors), 1, [str(e) for e in errors])
        self.assertEqual(errors[0].message, "RebootResponse")
        self.assertEqual(errors[0].session, 1)
        self.assertEqual(acs.sessions[0].validation_errors, errors)
        self.assertEqual(len([f for f in os.listdir(d) if "-cpe-" in f]), 3)
        self.assertEqual(acs.validate_all(), [])

    def test_validation_each_mode(self):
        if not HAVE_VALIDATOR:
            self.skipTest("validate-cwmp or xmllint missing")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        acs = self.make_acs(record_dir=d, validate=VALIDATOR, validate_mode="each")
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml().replace("<RetryCount>0</RetryCount>", ""))
        acs.wait_for(lambda: acs.validation_errors, 10, "validation error")
        self.assertIn("RetryCount", str(acs.validation_errors[0]))


class AuthTests(ACSTestCase):

    def test_digest_good(self):
        for algs, expect in ((("SHA-256", "MD5"), "SHA-256"), (("MD5",), "MD5")):
            with self.subTest(algs=algs):
                acs = self.make_acs(auth="digest", username="cpe", password="s3cret", digest_algorithms=algs)
                acs.queue(GetRPCMethods())
                cpe = self.make_cpe(acs, username="cpe", password="s3cret")
                r = cpe.post(inform_xml())
                self.assertEqual(cpe.statuses, [401, 200])
                self.assertEqual(r.method_name, "InformResponse")
                r = cpe.post(b"", authorize=False)    # same connection: no new challenge
                self.assertEqual(r.method_name, "GetRPCMethods")
                r = cpe.post(response_xml(r.cwmp_id, "GetRPCMethodsResponse",
                                          '<MethodList soap-enc:arrayType="xsd:string[0]"></MethodList>'))
                self.assertEqual(r.status, 204)         # credentials again (nc 2): accepted
                s = acs.wait_for_session(2)
                self.assertEqual((s.auth.scheme, s.auth.username, s.auth.algorithm, s.auth.qop),
                                 ("digest", "cpe", expect, "auth"))
                self.assertEqual(s.auth_challenges, 1)
                self.assertEqual(acs.auth_failures, [])
                self.assertEqual(acs.auth_challenges, 1)

    def test_digest_challenge(self):
        acs = self.make_acs(auth="digest", realm="R1")
        r = self.make_cpe(acs).post(inform_xml())
        self.assertEqual(r.status, 401)
        chal = parse_challenges(r.headers.get_all("WWW-Authenticate"))
        self.assertEqual([(s, p["algorithm"], p["qop"], p["realm"]) for s, p in chal],
                         [("digest", "SHA-256", "auth", "R1"), ("digest", "MD5", "auth", "R1")])
        self.assertTrue(all(p["nonce"] and p["opaque"] for _, p in chal))
        self.assertEqual(acs.sessions, [])

    def test_digest_bad_password_and_replay(self):
        acs = self.make_acs(auth="digest", username="cpe", password="right")
        cpe = self.make_cpe(acs, username="cpe", password="wrong")
        r = cpe.post(inform_xml())
        self.assertEqual(r.status, 401)
        self.assertEqual(acs.sessions, [])
        self.assertEqual(len(acs.auth_failures), 1)
        f = acs.auth_failures[0]
        self.assertEqual((f.scheme, f.username), ("digest", "cpe"))
        self.assertIn("wrong digest response", f.reason)
        # a good response, then the same nonce count again
        cpe2 = self.make_cpe(acs, username="cpe", password="right")
        self.assertEqual(cpe2.post(inform_xml()).status, 200)
        cpe2.nc -= 1
        cpe2.post(b"")                     # refused, then the fake CPE answers the new challenge
        self.assertEqual(cpe2.statuses[-2:], [401, 204])
        self.assertIn("replayed", acs.auth_failures[-1].reason)

    def test_digest_rejects_basic_and_garbage(self):
        acs = self.make_acs(auth="digest", username="cpe", password="pw")
        for h in ("Basic Y3BlOnB3", "Digest username=\"cpe\"", "Bearer x"):
            r = self.make_cpe(acs).post(inform_xml(), extra_headers={"Authorization": h})
            self.assertEqual(r.status, 401)
        self.assertEqual(len(acs.auth_failures), 3)

    def test_basic(self):
        acs = self.make_acs(auth="basic", username="cpe", password="pw")
        r = self.make_cpe(acs).post(inform_xml())
        self.assertEqual(r.status, 401)
        self.assertEqual(r.headers["WWW-Authenticate"], 'Basic realm="TestACS", charset="UTF-8"')
        cpe = self.make_cpe(acs, username="cpe", password="pw")
        self.assertEqual(cpe.post(inform_xml()).status, 200)
        self.assertEqual(cpe.post(b"").status, 204)
        self.assertEqual(acs.wait_for_session(2).auth.scheme, "basic")
        bad = self.make_cpe(acs, username="cpe", password="nope")
        self.assertEqual(bad.post(inform_xml()).status, 401)
        self.assertEqual(acs.auth_failures[-1].reason, "wrong password")

    def test_auth_required_again_on_a_new_connection(self):
        acs = self.make_acs(auth="basic", username="cpe", password="pw")
        acs.queue(Reboot())
        cpe = self.make_cpe(acs, username="cpe", password="pw")
        cpe.post(inform_xml())
        r = cpe.post(b"")
        cpe.conn.close()
        cpe2 = self.make_cpe(acs)
        self.assertEqual(cpe2.post(response_xml(r.cwmp_id, "RebootResponse"), cookies=cpe.cookies).status, 401)

    def test_curl_digest_cookies_keepalive(self):
        """libcurl (what cwmpd uses) against the ACS: digest, cookie engine, one connection."""
        if not shutil.which("curl"):
            self.skipTest("curl missing")
        acs = self.make_acs(auth="digest", username="u", password="p")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        f = os.path.join(d, "inform.xml")
        with open(f, "w") as fh:
            fh.write(inform_xml())
        common = ["--digest", "-u", "u:p", "-b", "", "-H", "Content-Type: text/xml"]
        p = subprocess.run(["curl", "-sS", *common, "--data-binary", "@" + f, acs.url,
                            "--next", *common, "--data-binary", "", acs.url],
                           capture_output=True, timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr)
        s = acs.wait_for_session(5)
        self.assertEqual(s.outcome, "done")
        self.assertTrue(s.cookies_ok)
        self.assertEqual(s.auth.scheme, "digest")
        self.assertEqual(len({m.connection for m in s.messages if m.direction == "cpe"}), 1)


class DownTests(ACSTestCase):

    def test_set_down_503(self):
        acs = self.make_acs()
        acs.set_down(True, retry_after=7)
        for n in range(2):
            r = self.make_cpe(acs).post(inform_xml(retry=n))
            self.assertEqual(r.status, 503)
            self.assertEqual(r.headers["Retry-After"], "7")
        self.assertEqual([a.retry_count for a in acs.refused], [0, 1])
        self.assertEqual(acs.sessions, [])
        acs.set_down(False)
        self.assertEqual(self.make_cpe(acs).post(inform_xml(retry=2)).status, 200)
        self.assertEqual(len(acs.wait_for_refused(2, 1)), 2)

    def test_set_down_close_refuses_connections(self):
        acs = self.make_acs()
        port = acs.port
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml())
        acs.set_down(True, mode="close")
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            cpe.post(b"")
        self.assertEqual(acs.wait_for_session(2).outcome, "interrupted")
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        acs.set_down(False)
        self.assertEqual(acs.port, port)
        self.assertEqual(self.make_cpe(acs).post(inform_xml()).status, 200)

    def test_set_down_reset(self):
        acs = self.make_acs()
        acs.set_down(True, mode="reset")
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.make_cpe(acs).post(inform_xml())
        self.assertEqual(len(acs.refused), 1)


class ConnectionRequestTests(ACSTestCase):

    def test_connection_request_with_digest(self):
        auth = ServerAuth("digest", "cr-user", "cr-pass", realm="CPE", algorithms=("MD5",))
        hits = []

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                res = auth.verify(self.headers.get("Authorization"), "GET", self.path, b"")
                hits.append(res.ok)
                if res.ok:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                else:
                    self.send_response(401)
                    for c in auth.challenges():
                        self.send_header("WWW-Authenticate", c)
                    self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        srv = HTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        acs = self.make_acs()
        url = "http://127.0.0.1:%d/cr" % srv.server_address[1]
        cpe = self.make_cpe(acs)
        cpe.post(inform_xml(params=[("Device.ManagementServer.ConnectionRequestURL", url, "xsd:string")]))
        acs.cr_username, acs.cr_password = "cr-user", "cr-pass"
        res = acs.connection_request()
        self.assertTrue(res.ok, res)
        self.assertEqual((res.status, res.auth, res.algorithm, res.attempts), (200, "digest", "MD5", 2))
        self.assertEqual(hits, [False, True])
        bad = acs.connection_request(url, "cr-user", "nope")
        self.assertEqual(bad.status, 401)
        self.assertIn("connection request GET %s -> 200 (digest MD5)" % url, acs.transcript()[-2])


class TLSTests(ACSTestCase):

    def test_https(self):
        if not shutil.which("openssl"):
            self.skipTest("openssl missing")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        acs = self.make_acs(ssl_context=ctx)
        self.assertTrue(acs.url.startswith("https://"))
        client = ssl.create_default_context(cafile=cert)
        cpe = self.make_cpe(acs, context=client)
        self.assertEqual(cpe.post(inform_xml()).method_name, "InformResponse")
        self.assertEqual(cpe.post(b"").status, 204)
        self.assertEqual(acs.wait_for_session(2).outcome, "done")


class ScenarioAndCLITests(ACSTestCase):

    SCENARIO = [
        [{"rpc": "GetParameterValues", "names": ["Device.ManagementServer."]},
         {"rpc": "SetParameterValues", "params": [["Device.ManagementServer.PeriodicInformInterval",
                                                   "600", "xsd:unsignedInt"]], "key": "k1"}],
        {"inform_fault": 8005},
        {"steps": [{"rpc": "reboot", "key": "r1", "hold_requests": True, "id": "my-id"}]},
    ]

    def _run_session(self, cpe):
        r = cpe.post(inform_xml())
        if r.method_name == "Fault":
            return ["Fault"]
        sent = []
        r = cpe.post(b"")
        while r.status == 200:
            sent.append((r.method_name, r.cwmp_id, r.header("HoldRequests") is not None))
            inner = "<Status>0</Status>" if r.method_name == "SetParameterValues" else ""
            if r.method_name == "GetParameterValues":
                r = cpe.post(gpv_response_xml(r.cwmp_id, [("Device.ManagementServer.URL", "u", "xsd:string")]))
            else:
                r = cpe.post(response_xml(r.cwmp_id, r.method_name + "Response", inner))
        return sent

    def test_scenario(self):
        acs = self.make_acs()
        acs.load_scenario(json.dumps(self.SCENARIO))
        out = [self._run_session(self.make_cpe(acs)) for _ in range(4)]
        self.assertEqual([n for n, _, _ in out[0]], ["GetParameterValues", "SetParameterValues"])
        self.assertEqual(out[1], ["Fault"])
        self.assertEqual(out[2], [("Reboot", "my-id", True)])
        self.assertEqual(out[3], [])

    def test_bad_scenarios(self):
        from testacs_lib.scenario import ScenarioError, load
        for bad in ('{"x": 1}', '[[{"rpc": "Nope"}]]', '[[{"rpc": "Reboot", "bogus": 1}]]',
                    '[{"steps": [], "extra": 1}]', '[[{"names": []}]]', "not json"):
            with self.assertRaises(ScenarioError, msg=bad):
                load(bad)

    def test_cli(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        script, port_file = os.path.join(d, "s.json"), os.path.join(d, "port")
        with open(script, "w") as f:
            json.dump(self.SCENARIO[:1], f)
        args = [sys.executable, os.path.join(ROOT, "tools", "testacs"), "--port", "0", "--port-file", port_file,
                "--script", script, "--auth", "digest", "--username", "u", "--password", "p",
                "--record", os.path.join(d, "rec")]
        if HAVE_VALIDATOR:
            args += ["--validate", VALIDATOR]
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 10
            while not os.path.exists(port_file):
                self.assertIsNone(p.poll(), p.stderr.read() if p.poll() is not None else "")
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.02)
            with open(port_file) as f:
                port = int(f.read())
            cpe = FakeCPE("http://127.0.0.1:%d/" % port, username="u", password="p")
            self.addCleanup(cpe.close)
            sent = self._run_session(cpe)
            self.assertEqual([n for n, _, _ in sent], ["GetParameterValues", "SetParameterValues"])
        finally:
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 0, err)
        lines = out.splitlines()
        self.assertIn("CPE -> ACS  Inform (0 BOOTSTRAP, 1 BOOT)", lines)
        self.assertIn("ACS -> CPE  GetParameterValues Device.ManagementServer.", lines)
        self.assertIn("CPE -> ACS  GetParameterValuesResponse (1 values)", lines)
        self.assertIn("ACS -> CPE  SetParameterValues Device.ManagementServer.PeriodicInformInterval key=k1", lines)
        self.assertIn("ACS -> CPE  204 (end of session)", lines)
        self.assertTrue(lines[0].startswith("testacs: listening on http://127.0.0.1:%d/" % port), lines[0])
        self.assertTrue(any(l.startswith("testacs: 1 session(s)") for l in lines), lines)
        self.assertTrue(os.listdir(os.path.join(d, "rec")))


if __name__ == "__main__":
    unittest.main()
