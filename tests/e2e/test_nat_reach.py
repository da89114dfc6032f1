"""Reachability basics (issue 15): the HTTP connection-request server on IPv6 and IPv4
alike, ConnectionRequestURL with a bracketed IPv6 literal when the ACS is reached over
IPv6, SupportedConnReqMethods listing exactly what works, values that would turn on a
method or feature the agent lacks refused (9007), and HTTPConnectionRequestEnable."""

import re
import socket
import unittest

from harness import EXIT_OK, MS, E2ECase, GetParameterValues, ScheduleInform, SetParameterValues
from support_files import CrClient

USER, PASSWORD = "cr-v6-user", "cr-v6-secret"
CR = ("6 CONNECTION REQUEST", "")


def have_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


class Base(E2ECase):
    def start(self, acs_host="127.0.0.1", **keys):
        d = {MS + "ConnectionRequestUsername": USER, MS + "ConnectionRequestPassword": PASSWORD}
        acs = self.make_acs(host=acs_host)
        conf = self.write_config(acs.url, defaults=d, **keys)
        return acs, self.start_cwmpd(conf)

    def cr_session_after(self, acs, n, client, what):
        r = client.get(USER, PASSWORD)
        self.assertEqual(r.status, 200, "%s: %s" % (what, r))
        acs.wait_for(lambda: len(acs.sessions) > n and acs.sessions[n].finished, 5, "CR session (%s)" % what)
        self.assertEvents(acs.sessions[n], [CR])


@unittest.skipUnless(have_ipv6_loopback(), "no IPv6 on loopback (::1 cannot be bound)")
class IPv6(Base):
    def test_connection_request_over_ipv6(self):
        """ACS on [::1], ConnectionRequestURL derived from the route to it: http://[::1]:PORT/cr.
        A Digest GET to it over IPv6 opens a 6 CONNECTION REQUEST session; the same
        server answers over IPv4 (127.0.0.1, one dual-stack socket) too."""
        acs, cpe = self.start(acs_host="::1", connection_request_address="")
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        url = s1.parameters[MS + "ConnectionRequestURL"][0]
        m = re.fullmatch(r"http://\[::1\]:(\d+)/cr", url)
        self.assertTrue(m, "ConnectionRequestURL %r: not the bracketed IPv6 literal" % url)
        self.assertEqual(int(m.group(1)), self.cr_port)
        self.cr_session_after(acs, 1, CrClient(url), "IPv6")
        self.cr_session_after(acs, 2, CrClient("http://127.0.0.1:%d/cr" % self.cr_port), "IPv4")
        self.assertIn("connection request from ::1", cpe.log(whole=True))
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_ipv4_acs_gets_ipv4_url(self):
        """An ACS reached over IPv4 gets an IPv4 URL, no brackets, from the same default."""
        acs, cpe = self.start(connection_request_address="")
        s1 = acs.wait_for_session(10)
        url = s1.parameters[MS + "ConnectionRequestURL"][0]
        self.assertEqual(url, "http://127.0.0.1:%d/cr" % self.cr_port)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Methods(Base):
    def test_supported_methods_and_refusals(self):
        """SupportedConnReqMethods is exactly what works, and
        LightweightNotificationProtocolsSupported is "UDP" (test_lightweight); a value
        turning on a method or feature the agent lacks (a lightweight protocol other than
        UDP) is refused with 9007 (nothing applied), its harmless counterpart (false,
        empty) is accepted."""
        acs, cpe = self.start()
        refused = [(MS + "LightweightNotificationProtocolsUsed", "XMPP", "xsd:string")]
        acs.queue(GetParameterValues([MS + "SupportedConnReqMethods",
                                      MS + "LightweightNotificationProtocolsSupported"]),
                  *[SetParameterValues([r], key="no") for r in refused],
                  SetParameterValues([(MS + "STUNEnable", "false", "xsd:boolean"),
                                      (MS + "LightweightNotificationProtocolsUsed", "", "xsd:string")], key="ok"),
                  GetParameterValues([MS + "STUNEnable", MS + "ParameterKey"]))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertEqual(self.value(s1.find("GetParameterValues", 0), MS + "SupportedConnReqMethods"),
                         self.expected_methods())
        self.assertEqual(self.value(s1.find("GetParameterValues", 0),
                                    MS + "LightweightNotificationProtocolsSupported"), "UDP")
        for i, (name, _v, _t) in enumerate(refused):
            with self.subTest(name):
                ex = s1.find("SetParameterValues", i)
                self.assertIsNotNone(ex.fault, "%s accepted" % name)
                self.assertEqual(ex.fault.code, 9003)
                self.assertEqual({n: c for n, c, _s in ex.fault.spv_faults}, {name: 9007})
        self.assertOk(s1.find("SetParameterValues", len(refused)))
        after = s1.find("GetParameterValues", 1)
        self.assertIn(self.value(after, MS + "STUNEnable"), ("false", "0"))
        self.assertEqual(self.value(after, MS + "ParameterKey"), "ok")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def expected_methods(self):
        return "HTTP,STUN,XMPP"

    def test_http_connection_request_enable(self):
        """HTTPConnectionRequestEnable false: the server stops listening (connection
        refused) and no session comes; true again: the same URL works."""
        acs, cpe = self.start()
        acs.queue(SetParameterValues([(MS + "HTTPConnectionRequestEnable", "false", "xsd:boolean")], key="off"),
                  ScheduleInform(2, "again"))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        url = s1.parameters[MS + "ConnectionRequestURL"][0]
        cr = CrClient(url, timeout=2)
        self.wait_until(lambda: cr.request().error is not None, 5, "the server to stop listening")
        self.assertIn("Connection refused", cr.request().error)
        self.assertEqual(len(acs.sessions), 1)
        acs.queue(SetParameterValues([(MS + "HTTPConnectionRequestEnable", "true", "xsd:boolean")], key="on"))
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.wait_until(lambda: cr.request().status == 401, 5, "the server to listen again")
        self.cr_session_after(acs, 2, cr, "enabled again")
        self.assertEqual(cpe.stop(), EXIT_OK)
