"""XMPP connection requests (TR-069 Annex K) against prosody (Debian's XMPP server, own
configuration in a temp dir on loopback): the ACS configures Device.XMPP.Connection.1
(ServerTable to prosody, TLS required: prosody offers STARTTLS with the test's own CA)
and ManagementServer.ConnReqXMPPConnection / ConnReqAllowedJabberIDs; cwmpd logs in
with libstrophe; a connection-request IQ from the allowed JID with the right credentials
gets an IQ result and a 6 CONNECTION REQUEST session; a refused JID gets
service-unavailable, wrong credentials not-authorized, and no session; prosody restarts
and cwmpd reconnects (ServerRetryInitialInterval 1 s); a wrong XMPP password reads
Status Error_AuthenticationFailure."""

import os
import time
import unittest

from harness import (EXIT_OK, MS, AddObject, E2ECase, GetParameterValues, SetParameterValues,
                     parse_datetime)
import xmpp_support
from xmpp_support import DOMAIN, AcsXmpp, Prosody

WHY_NOT = xmpp_support.unavailable()
USER, PASSWORD = "cr-xmpp-user", "cr-xmpp-secret"
CR = ("6 CONNECTION REQUEST", "")
C1 = "Device.XMPP.Connection.1."


def vmrss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@unittest.skipIf(WHY_NOT, "XMPP test: %s" % WHY_NOT)
class Xmpp(E2ECase):
    def setUp(self):
        super().setUp()
        self.prosody = Prosody(self.dir, {"cpe": "cpe-pw", "acs": "acs-pw", "other": "other-pw"}).start()
        self.addCleanup(self.prosody.stop)

    def configure(self, acs, cpe_password="cpe-pw"):
        acs.queue(AddObject("Device.XMPP.Connection.", key="x1"),
                  AddObject(C1 + "Server.", key="x2"),
                  SetParameterValues([(C1 + "Username", "cpe", "xsd:string"),
                                      (C1 + "Password", cpe_password, "xsd:string"),
                                      (C1 + "Domain", DOMAIN, "xsd:string"),
                                      (C1 + "Resource", "box", "xsd:string"),
                                      (C1 + "ServerConnectAlgorithm", "ServerTable", "xsd:string"),
                                      (C1 + "ServerRetryInitialInterval", "1", "xsd:unsignedInt"),
                                      (C1 + "UseTLS", "true", "xsd:boolean"),
                                      (C1 + "Server.1.ServerAddress", "127.0.0.1", "xsd:string"),
                                      (C1 + "Server.1.Port", str(self.prosody.port), "xsd:unsignedInt"),
                                      (C1 + "Server.1.Enable", "true", "xsd:boolean"),
                                      (MS + "ConnReqXMPPConnection", "Device.XMPP.Connection.1", "xsd:string"),
                                      (MS + "ConnReqAllowedJabberIDs", "acs@" + DOMAIN, "xsd:string"),
                                      (C1 + "Enable", "true", "xsd:boolean")], key="xmpp"))

    def start(self):
        d = {MS + "ConnectionRequestUsername": USER, MS + "ConnectionRequestPassword": PASSWORD}
        acs, conf = self.setup_cpe(defaults=d, ca_file=self.prosody.cert)
        return acs, conf

    def test_login_connection_requests_and_reconnect(self):
        acs, conf = self.start()
        self.configure(acs)
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        for e in s1.exchanges:
            if e.initiator == "acs":
                self.assertOk(e, e.method)
        rss_before = vmrss_kib(cpe.pid)
        cpe.wait_log(r"xmpp: connected as cpe@xmpp\.test/box \(TLS\)", 15)
        print("figure: cwmpd VmRSS before XMPP login %d KiB, after %d KiB (+%d KiB)"
              % (rss_before, vmrss_kib(cpe.pid), vmrss_kib(cpe.pid) - rss_before))
        acs_x = AcsXmpp(self.prosody.port, "acs", "acs-pw")
        self.addCleanup(acs_x.close)
        cpe_jid = "cpe@%s/box" % DOMAIN
        # From the allowed JID, right credentials: IQ result, and a session.
        acs.queue(GetParameterValues([C1 + "Status", C1 + "JabberID", C1 + "LastChangeDate", C1 + "TLSEstablished",
                                      MS + "ConnReqJabberID", MS + "SupportedConnReqMethods"]))
        n = len(acs.sessions)
        t0 = time.time()
        self.assertEqual(acs_x.connection_request(cpe_jid, USER, PASSWORD), ("result", None))
        acs.wait_for(lambda: len(acs.sessions) > n and acs.sessions[n].finished, 10, "the XMPP CR session")
        s = acs.sessions[n]
        # ConnReqJabberID is forceDefaultEnabled: its new value comes with this Inform.
        self.assertEqual(self.events(s), sorted([CR, ("4 VALUE CHANGE", "")]))
        self.assertEqual(s.parameters[MS + "ConnReqJabberID"][0], cpe_jid)
        g = s.find("GetParameterValues")
        self.assertEqual(self.value(g, C1 + "Status"), "Enabled")
        self.assertEqual(self.value(g, C1 + "JabberID"), cpe_jid)
        self.assertEqual(self.value(g, C1 + "TLSEstablished"), "true")
        self.assertEqual(self.value(g, MS + "ConnReqJabberID"), cpe_jid)
        self.assertEqual(self.value(g, MS + "SupportedConnReqMethods"), "HTTP,STUN,XMPP")
        changed = parse_datetime(self.value(g, C1 + "LastChangeDate"))
        self.assertTrue(s1.started_at - 2 <= changed <= t0 + 1, "LastChangeDate %s" % changed)
        n += 1
        # Another JID: service-unavailable; the allowed JID with wrong credentials: not-authorized.
        other = AcsXmpp(self.prosody.port, "other", "other-pw")
        self.addCleanup(other.close)
        self.assertEqual(other.connection_request(cpe_jid, USER, PASSWORD), ("error", "service-unavailable"))
        self.assertEqual(acs_x.connection_request(cpe_jid, USER, "wrong"), ("error", "not-authorized"))
        self.assertEqual(acs_x.connection_request(cpe_jid, "nobody", PASSWORD), ("error", "not-authorized"))
        time.sleep(1.0)
        self.assertEqual(len(acs.sessions), n, "a refused XMPP connection request opened a session")
        # The server restarts: cwmpd reconnects, and connection requests work again.
        acs_x.close()
        other.close()
        self.prosody.stop()
        cpe.wait_log(r"xmpp: .*disconnected", 10)
        self.prosody.start()
        deadline = time.monotonic() + 20
        while len(re_findall(r"xmpp: connected as", cpe.log())) < 2:
            self.assertLess(time.monotonic(), deadline, "cwmpd did not reconnect")
            time.sleep(0.1)
        acs_x = AcsXmpp(self.prosody.port, "acs", "acs-pw")
        self.addCleanup(acs_x.close)
        self.assertEqual(acs_x.connection_request(cpe_jid, USER, PASSWORD), ("result", None))
        acs.wait_for(lambda: len(acs.sessions) > n, 10, "the CR session after the restart")
        self.assertEqual(self.events(acs.sessions[n]), [CR])
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_wrong_password_and_websocket_refused(self):
        """A wrong XMPP password: no login, Status Error_AuthenticationFailure; the
        WebSocket algorithm (not supported) is refused with 9007."""
        acs, conf = self.start()
        self.configure(acs, cpe_password="not-the-password")
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        cpe.wait_log(r"Error_AuthenticationFailure", 15)
        acs.queue(GetParameterValues([C1 + "Status"]),
                  SetParameterValues([(C1 + "ServerConnectAlgorithm", "WebSocket", "xsd:string")], key="ws"))
        acs_x = AcsXmpp(self.prosody.port, "acs", "acs-pw")
        self.addCleanup(acs_x.close)
        # The CPE is not logged in: the server answers for it, and no session comes.
        kind, _ = acs_x.connection_request("cpe@%s/box" % DOMAIN, USER, PASSWORD)
        self.assertEqual(kind, "error")
        self.assertEqual(cpe.stop(), EXIT_OK)
        cpe = self.start_cwmpd(conf)
        s = acs.wait_for_session(10)
        self.assertIn(self.value(s.find("GetParameterValues"), C1 + "Status"),
                      ("Error_AuthenticationFailure", "Connecting"))
        ex = s.find("SetParameterValues")
        self.assertEqual({n: c for n, c, _s in ex.fault.spv_faults}, {C1 + "ServerConnectAlgorithm": 9007})
        self.assertEqual(cpe.stop(), EXIT_OK)


def re_findall(pattern, text):
    import re
    return re.findall(pattern, text)
