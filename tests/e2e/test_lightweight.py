"""UDP lightweight notifications (TR-069 Annex M, cwmp-UDPLightweightNotification-1-0.xsd;
TR-181 ManagementServer.LightweightNotification* and UDPLightweightNotification*): the ACS
points UDPLightweightNotificationHost/Port at a UDP socket this test owns and sets
Notification 3 to 6; the datagrams that arrive are checked (HTTP-like head, Content-Length,
Signature = HMAC-SHA1 of the body keyed with ManagementServer.Password), their XML validated
with xmllint against the BBF schema, and their contents compared with the device.  Active
lightweight changes (5, 6) go at once; passive ones (3, 4) at TriggerTime + n x
TriggerInterval; nothing while LightweightNotificationProtocolsUsed lacks UDP; values 3-6
survive a restart."""

import hashlib
import hmac
import os
import socket
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

from harness import (EXIT_OK, MS, ROOT, VALIDATOR, E2ECase, GetParameterAttributes,
                     SetParameterAttributes, SetParameterValues, format_datetime)

CWMPCTL = os.environ.get("CWMPCTL") or os.path.join(ROOT, "build", "tools", "cwmpctl", "cwmpctl")
BBF = os.path.normpath(os.path.join(os.path.dirname(VALIDATOR), "..", "bbf-cwmp-data-models"))
XSD = os.path.join(BBF, "cwmp-UDPLightweightNotification-1-0.xsd")
CATALOG = os.path.join(os.path.dirname(VALIDATOR), "catalog.xml")
NS = "{urn:broadband-forum-org:cwmp:lwnotif-1-0}"

DNS_ENABLE = "Device.DNS.Client.Enable"                   # writable, does not change by itself
CPU_UP = "Device.DeviceInfo.ProcessStatus.CPU.1.UpTime"   # changes every second; active allowed
UPTIME = "Device.DeviceInfo.UpTime"                       # canDeny
BYTES = "Device.Ethernet.Interface.1.Stats.BytesSent"     # canDeny
USED = MS + "LightweightNotificationProtocolsUsed"
USERNAME, PASSWORD = "cpe-lwn", "lwn-secret"
SLACK = 1.5  # scheduling delay on a busy machine


class Datagram:
    """One lightweight notification as received, checked as it is parsed."""

    def __init__(self, case, data: bytes, at: float):
        self.at = at
        self.size = len(data)
        head, sep, self.body = data.partition(b"\r\n\r\n")
        case.assertEqual(sep, b"\r\n\r\n", "no end of head: %r" % data[:200])
        lines = head.decode().split("\r\n")
        case.assertEqual(lines[0], "POST / HTTP/1.1")
        self.fields = dict(line.split(": ", 1) for line in lines[1:])
        case.assertEqual(self.fields["Content-Type"], 'text/xml; charset="utf-8"')
        case.assertEqual(int(self.fields["Content-Length"]), len(self.body))
        expected = hmac.new(PASSWORD.encode(), self.body, hashlib.sha1).hexdigest()
        case.assertEqual(self.fields["Signature"], expected, "bad signature")
        case.assertSchemaValid(self.body)
        root = ET.fromstring(self.body)
        case.assertEqual(root.tag, NS + "Notification")
        self.header = {child.tag[len(NS):]: child.text or "" for child in root if child.tag != NS + "Param"}
        self.params = {p.find(NS + "Name").text: p.find(NS + "Value").text or ""
                       for p in root.findall(NS + "Param")}


class LightweightCase(E2ECase):
    def setUp(self):
        super().setUp()
        if not os.path.exists(XSD) or subprocess.run(["which", "xmllint"], capture_output=True).returncode:
            self.skipTest("no xmllint or no %s" % XSD)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(self.udp.close)
        self.udp.bind(("127.0.0.1", 0))
        self.udp_port = self.udp.getsockname()[1]

    def assertSchemaValid(self, body: bytes):
        with tempfile.NamedTemporaryFile(suffix=".xml", dir=self.dir, delete=False) as f:
            f.write(body)
        p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", XSD, f.name], capture_output=True,
                           text=True, env=dict(os.environ, XML_CATALOG_FILES=CATALOG))
        self.assertEqual(p.returncode, 0, "not valid against %s:\n%s\n%s" % (XSD, p.stderr, body.decode()))

    def start(self, **keys):
        """ACS and cwmpd (control socket, change poll every second); returns after the first session."""
        self.sock = os.path.join(self.dir, "ctl.sock")
        keys.setdefault("notification_poll_interval", 1)
        acs, conf = self.setup_cpe(control_socket=self.sock, acs_username=USERNAME, acs_password=PASSWORD,
                                   **keys)
        self.conf = conf
        return acs

    def enable(self, used="UDP"):
        return SetParameterValues([(USED, used, "xsd:string"),
                                   (MS + "UDPLightweightNotificationHost", "127.0.0.1", "xsd:string"),
                                   (MS + "UDPLightweightNotificationPort", str(self.udp_port), "xsd:unsignedInt")])

    def ctl(self, *args):
        p = subprocess.run([CWMPCTL, "-s", self.sock] + list(args), capture_output=True, text=True, timeout=20)
        self.assertEqual(p.returncode, 0, "cwmpctl %s: %s" % (" ".join(args), p.stderr))
        return p.stdout

    def toggle(self, name):
        """Flips a boolean through cwmpctl (a local change); returns the new value as cwmpctl reads it."""
        old = self.ctl("get", name).split()[1]
        self.ctl("set", name, "false" if old in ("true", "1") else "true")
        return self.ctl("get", name).split()[1]

    def receive(self, timeout: float) -> Datagram:
        self.udp.settimeout(timeout)
        try:
            data = self.udp.recv(65535)
        except socket.timeout:
            self.fail("no lightweight notification within %.1f s" % timeout)
        return Datagram(self, data, time.time())

    def assertNothing(self, seconds: float):
        self.udp.settimeout(seconds)
        try:
            data = self.udp.recv(65535)
        except socket.timeout:
            return
        self.fail("unexpected lightweight notification: %r" % data[:300])

    def assertIdentity(self, d: Datagram, session):
        self.assertEqual(d.header["UN"], USERNAME)
        self.assertEqual(d.header["OUI"], session.device_id["OUI"])
        self.assertEqual(d.header["ProductClass"], session.device_id["ProductClass"])
        self.assertEqual(d.header["SerialNumber"], session.device_id["SerialNumber"])
        self.assertRegex(d.header["CN"], r"^[0-9a-f]{32}$")
        self.assertLessEqual(abs(int(d.header["TS"]) - d.at), 2 + SLACK)
        self.assertEqual(d.fields["Host"], "127.0.0.1:%d" % self.udp_port)


class Active(LightweightCase):
    def test_active_lightweight_change_sent_at_once(self):
        """Notification 5 (active lightweight) on DNS.Client.Enable: a local change
        (cwmpctl) sends one signed, schema-valid datagram with the new value within the
        change poll (1 s); no session is opened (5 has no Inform notification); values
        the ACS sets itself are not notified back."""
        acs = self.start()
        acs.queue(self.enable(), SetParameterAttributes([(DNS_ENABLE, 5)]), GetParameterAttributes([DNS_ENABLE]))
        cpe = self.start_cwmpd(self.conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertOk(s1.find("SetParameterValues"))
        self.assertOk(s1.find("SetParameterAttributes"))
        self.assertEqual(s1.find("GetParameterAttributes").result[DNS_ENABLE][0], 5)
        latencies = []
        for _ in range(3):
            t0 = time.time()
            value = self.toggle(DNS_ENABLE)
            d = self.receive(5)
            latencies.append(d.at - t0)
            self.assertLess(d.at - t0, 1 + SLACK + 1, "the active lightweight change took too long")
            self.assertEqual(d.params, {DNS_ENABLE: value})
            self.assertIdentity(d, s1)
        print("\n  lightweight datagram: %d bytes (%d of XML); cwmpctl get+set+get to datagram: %s ms"
              % (d.size, len(d.body), ", ".join("%.0f" % (x * 1000) for x in latencies)))
        # Unchanged: nothing more; the ACS's own change: nothing either.
        self.assertNothing(1.5)
        self.assertEqual(len(acs.sessions), 1, "a lightweight-only change opened a session")
        acs.queue(SetParameterValues([(DNS_ENABLE, "true" if value in ("false", "0") else "false",
                                       "xsd:boolean")]))
        self.ctl("inform")
        self.assertDone(acs.wait_for_session(10))
        self.assertNothing(2)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_passive_with_active_and_inform(self):
        """Notification 6 (passive Inform + active lightweight) on DNS.Client.Enable and 3
        (passive lightweight) on CPU.1.UpTime, trigger interval 0: the CPU counter alone
        sends nothing; the DNS change sends one datagram carrying both; the next Inform
        still reports the DNS change (4 VALUE CHANGE: the mechanisms are independent)."""
        acs = self.start()
        acs.queue(self.enable(), SetParameterAttributes([(DNS_ENABLE, 6), (CPU_UP, 3)]))
        cpe = self.start_cwmpd(self.conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertOk(s1.find("SetParameterAttributes"))
        self.assertNothing(3)  # CPU.1.UpTime changed meanwhile: passive, no trigger
        value = self.toggle(DNS_ENABLE)
        d = self.receive(5)
        self.assertEqual(d.params[DNS_ENABLE], value)
        self.assertIn(CPU_UP, d.params, "the pending passive lightweight change was left out")
        self.assertEqual(sorted(d.params), sorted([DNS_ENABLE, CPU_UP]))
        self.assertIdentity(d, s1)
        self.ctl("inform")
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertIn(("4 VALUE CHANGE", ""), s2.events)
        self.assertEqual(s2.parameters[DNS_ENABLE][0], value)
        self.assertNotIn(CPU_UP, s2.parameters, "3 is lightweight only")
        self.assertEqual(cpe.stop(), EXIT_OK)


class Passive(LightweightCase):
    def test_passive_at_trigger_interval_and_time(self):
        """Notification 3 on CPU.1.UpTime (changes every second) and 4 on UpTime (canDeny:
        passive allowed), TriggerInterval 3 s with TriggerTime as the phase: datagrams at
        TriggerTime + n x 3 s (not at each 1 s change poll), each with both counters'
        current values."""
        acs = self.start()
        phase = int(time.time()) + 2
        acs.queue(self.enable(),
                  SetParameterValues([(MS + "LightweightNotificationTriggerInterval", "3", "xsd:unsignedInt"),
                                      (MS + "LightweightNotificationTriggerTime", format_datetime(phase),
                                       "xsd:dateTime")]),
                  SetParameterAttributes([(CPU_UP, 3), (UPTIME, 4)]))
        cpe = self.start_cwmpd(self.conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        for e in (s1.find("SetParameterValues", 0), s1.find("SetParameterValues", 1),
                  s1.find("SetParameterAttributes")):
            self.assertOk(e)
        got = [self.receive(8) for _ in range(4)]
        previous = None
        print("\n  passive trigger: datagrams %s ms after their slots"
              % ", ".join("%.0f" % (((d.at - phase + 0.5) % 3 - 0.5) * 1000) for d in got))
        for d in got:
            self.assertIdentity(d, s1)
            self.assertEqual(sorted(d.params), sorted([CPU_UP, UPTIME]))
            # On a slot of the phase: sent at it (a few ms either side: the daemon's
            # timer runs on the monotonic clock) or, on a busy machine, a little after.
            late = (d.at - phase + 0.5) % 3 - 0.5
            self.assertGreater(late, -0.2, "datagram %.3f s before its slot" % -late)
            self.assertLess(late, SLACK, "datagram %.2f s after its slot" % late)
            if previous is not None:
                self.assertGreater(d.at - previous.at, 3 - SLACK, "passive sent before the trigger")
                self.assertGreater(int(d.params[CPU_UP]), int(previous.params[CPU_UP]))
            previous = d
        self.assertEqual(len(acs.sessions), 1)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Rules(LightweightCase):
    def test_used_decides_and_values_are_checked(self):
        """LightweightNotificationProtocolsUsed: a protocol not in ...Supported ("UDP") is
        refused (9007 in a SetParameterValuesFault); while Used is empty, Notification 5 is
        accepted and kept (TR-181: "disabled, despite any SetParameterAttributes") but
        nothing is sent, and a change made then is not sent later; once Used is UDP, the
        next change is.  canDeny refuses active lightweight (5, 6) with 9009."""
        acs = self.start()
        acs.queue(SetParameterValues([(USED, "XMPP", "xsd:string")]),
                  self.enable(used=""),
                  SetParameterAttributes([(DNS_ENABLE, 5)]),
                  SetParameterAttributes([(UPTIME, 5)]),
                  SetParameterAttributes([(BYTES, 6)]),
                  GetParameterAttributes([DNS_ENABLE, UPTIME, BYTES]))
        cpe = self.start_cwmpd(self.conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        f = s1.find("SetParameterValues", 0).fault
        self.assertIsNotNone(f, "Used = XMPP accepted")
        self.assertEqual(f.code, 9003)
        self.assertEqual([(n, int(c)) for n, c, _ in f.spv_faults], [(USED, 9007)])
        self.assertOk(s1.find("SetParameterValues", 1))
        self.assertOk(s1.find("SetParameterAttributes", 0))
        for i in (1, 2):
            f = s1.find("SetParameterAttributes", i).fault
            self.assertIsNotNone(f, "active lightweight notification accepted on a canDeny parameter")
            self.assertEqual(f.code, 9009)
        attrs = s1.find("GetParameterAttributes").result
        self.assertEqual((attrs[DNS_ENABLE][0], attrs[UPTIME][0], attrs[BYTES][0]), (5, 0, 0))
        self.toggle(DNS_ENABLE)
        self.assertNothing(3)
        # Enabled: the change made while disabled is not sent; the next one is.
        acs.queue(self.enable())
        self.ctl("inform")
        self.assertDone(acs.wait_for_session(10))
        self.assertNothing(2.5)
        value = self.toggle(DNS_ENABLE)
        self.assertEqual(self.receive(5).params, {DNS_ENABLE: value})
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_values_survive_restart(self):
        """Notification 3, 4, 5 and 6 kept across a restart (GetParameterAttributes), and
        the lightweight baseline with them: the first change after the restart is sent."""
        acs = self.start()
        acs.queue(self.enable(), SetParameterAttributes([(BYTES, 3), (UPTIME, 4), (CPU_UP, 5), (DNS_ENABLE, 6)]),
                  SetParameterAttributes([(CPU_UP, 0)]))
        cpe = self.start_cwmpd(self.conf)
        self.assertDone(acs.wait_for_session(10))
        self.assertEqual(cpe.stop(), EXIT_OK)
        acs.queue(GetParameterAttributes([BYTES, UPTIME, CPU_UP, DNS_ENABLE]),
                  SetParameterAttributes([(CPU_UP, 5)]),
                  GetParameterAttributes([CPU_UP]))
        cpe.start()
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        attrs = s2.find("GetParameterAttributes", 0).result
        self.assertEqual([attrs[n][0] for n in (BYTES, UPTIME, CPU_UP, DNS_ENABLE)], [3, 4, 0, 6])
        self.assertEqual(s2.find("GetParameterAttributes", 1).result[CPU_UP][0], 5)
        self.assertEqual(cpe.stop(), EXIT_OK)
        cpe.start()
        self.assertDone(acs.wait_for_session(10))
        # Active (5 on the CPU counter) after the restart: sent within about a poll.
        d = self.receive(5)
        self.assertIn(CPU_UP, d.params)
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
