"""STUN and UDP connection requests (TR-069 Annex G, TR-111 Part 2) on loopback, against
an independent STUN server (stun_support.StunServer) that can dictate the mapping a
NAT would make: Binding Requests from the UDP connection-request port with the right
attributes and keep-alive period, credentials when the server asks, NATDetected and
UDPConnectionRequestAddress kept true and the ACS told (active notification), BINDING-
CHANGE after the mapping changed; signed UDP connection requests start a session,
replayed, stale, forged ones do not.  The real NAT (namespaces, nftables, coturn) is
test_nat_netns.py."""

import socket
import time

from harness import (EXIT_OK, MS, E2ECase, GetParameterValues, SetParameterAttributes,
                     SetParameterValues)
from stun_support import (BINDING_CHANGE, CONNECTION_REQUEST_BINDING, COOKIE, MESSAGE_INTEGRITY, USERNAME,
                          StunServer, udp_connection_request)

USER, PASSWORD = "udp-cr-user", "udp-cr-secret"
CR = ("6 CONNECTION REQUEST", "")
VC = ("4 VALUE CHANGE", "")
UDPADDR = MS + "UDPConnectionRequestAddress"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StunCase(E2ECase):
    def start_stun(self, period=2, credentials=None, stun_credentials=None, extra_defaults=None):
        self.stun = StunServer(credentials=credentials)
        self.addCleanup(self.stun.close)
        self.udp_port = free_udp_port()
        d = {MS + "ConnectionRequestUsername": USER, MS + "ConnectionRequestPassword": PASSWORD,
             MS + "STUNEnable": "true", MS + "STUNServerAddress": "127.0.0.1",
             MS + "STUNServerPort": str(self.stun.port),
             MS + "STUNMinimumKeepAlivePeriod": str(period), MS + "STUNMaximumKeepAlivePeriod": str(period)}
        if stun_credentials:
            d[MS + "STUNUsername"], d[MS + "STUNPassword"] = stun_credentials
        d.update(extra_defaults or {})
        acs, conf = self.setup_cpe(defaults=d, udp_connection_request_port=self.udp_port)
        return acs, conf

    def send_cr(self, datagram: bytes, times: int = 1):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for _ in range(times):
                s.sendto(datagram, ("127.0.0.1", self.udp_port))

    def binding_requests(self, binding_change=None):
        rs = [r for r in self.stun.snapshot() if r.type == 0x0001]
        if binding_change is not None:
            rs = [r for r in rs if (BINDING_CHANGE in r.types) == binding_change]
        return rs


class Stun(StunCase):
    def test_binding_requests_mapping_and_change(self):
        """Binding Requests come from the UDP connection-request port, RFC 5389 (cookie),
        with CONNECTION-REQUEST-BINDING "dslforum.org/TR-111 ", no credentials unless
        asked, one per keep-alive period (2 s here); the mapping the server reports
        becomes UDPConnectionRequestAddress with NATDetected true, and the ACS (active
        notification) gets it; a new mapping brings an immediate request with
        BINDING-CHANGE and a new value change to the ACS."""
        acs, conf = self.start_stun()
        acs.queue(SetParameterAttributes([(UDPADDR, 2)]),
                  GetParameterValues([MS + "SupportedConnReqMethods"]))
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertEqual(self.value(s1.find("GetParameterValues"), MS + "SupportedConnReqMethods"), "HTTP,STUN,XMPP")
        first = self.wait_until(lambda: self.binding_requests(), 10, "a Binding Request")[0]
        self.assertEqual(first.source[1], self.udp_port, "not from the UDP connection-request port")
        self.assertEqual(first.cookie, COOKIE)
        self.assertEqual(first.attr(CONNECTION_REQUEST_BINDING), b"dslforum.org/TR-111 ")
        self.assertNotIn(BINDING_CHANGE, first.types)
        self.assertNotIn(USERNAME, first.types)
        self.assertNotIn(MESSAGE_INTEGRITY, first.types)
        self.wait_until(lambda: self.stun.answered >= 1, 10, "the first answer")
        # Now a NAT maps us elsewhere: the next keep-alive learns it, a BINDING-CHANGE
        # request follows at once, and the ACS learns the address (4 VALUE CHANGE).
        for k, mapping in enumerate((("203.0.113.5", 40000), ("203.0.113.6", 40001)), 1):
            acs.queue(GetParameterValues([MS + "NATDetected", UDPADDR]))
            self.stun.mapping = mapping
            self.wait_until(lambda: len(self.binding_requests(binding_change=True)) >= k, 10,
                            "BINDING-CHANGE %d" % k)
            bc = self.binding_requests(binding_change=True)[-1]
            self.assertEqual(bc.attr(CONNECTION_REQUEST_BINDING), b"dslforum.org/TR-111 ")
            s = acs.wait_for_session(10)
            self.assertDone(s)
            self.assertIn(VC, s.events)
            self.assertEqual(s.parameters[UDPADDR][0], "%s:%d" % mapping)
            g = s.find("GetParameterValues")
            self.assertEqual(self.value(g, MS + "NATDetected"), "true")
            self.assertEqual(self.value(g, UDPADDR), "%s:%d" % mapping)
        # Keep-alive: consecutive plain requests 2 s apart (a busy machine may add to it),
        # counted once the mappings settled (a change restarts the keep-alive timer).
        settled = self.binding_requests(binding_change=True)[-1].time

        def keepalives():
            return [r for r in self.binding_requests(binding_change=False) if r.time > settled]
        self.wait_until(lambda: len(keepalives()) >= 5, 20, "5 keep-alives")
        plain = keepalives()
        gaps = [b.time - a.time for a, b in zip(plain, plain[1:])]
        self.assertTrue(all(1.9 <= g <= 3.5 for g in gaps), "keep-alive gaps %s" % gaps)
        self.assertEqual(len(self.binding_requests(binding_change=True)), 2)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_credentials_when_asked(self):
        """A server that answers 401 gets the request again, signed: USERNAME and a
        MESSAGE-INTEGRITY the server verifies with the password; the mapping follows.
        Wrong STUNPassword: every signed request fails the server's check, no mapping."""
        acs, conf = self.start_stun(credentials=("stun-user", "stun-pass"),
                                    stun_credentials=("stun-user", "stun-pass"))
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        self.wait_until(lambda: self.stun.answered >= 1, 10, "an answered, signed request")
        rs = self.binding_requests()
        self.assertNotIn(USERNAME, rs[0].types, "credentials sent before the server asked")
        signed = [r for r in rs if USERNAME in r.types]
        self.assertTrue(signed)
        self.assertEqual(signed[0].attr(USERNAME), b"stun-user")
        self.assertTrue(signed[0].integrity_ok("stun-pass"))
        self.assertFalse(signed[0].integrity_ok("other"))
        acs.queue(GetParameterValues([UDPADDR, MS + "NATDetected"]),
                  SetParameterValues([(MS + "STUNPassword", "wrong", "xsd:string")], key="pw"))
        self.send_cr(udp_connection_request("127.0.0.1", self.udp_port, USER, PASSWORD))
        s = acs.wait_for_session(10)
        self.assertIn(CR, s.events)
        g = s.find("GetParameterValues")
        self.assertEqual(self.value(g, UDPADDR), "127.0.0.1:%d" % self.udp_port)
        self.assertEqual(self.value(g, MS + "NATDetected"), "false", "no NAT on loopback")
        n = self.stun.answered
        self.wait_until(lambda: len([r for r in self.binding_requests() if r.time > s.ended_at]) >= 3, 15,
                        "requests with the new password")
        self.assertEqual(self.stun.answered, n, "a request signed with the wrong password was accepted")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_stun_off(self):
        """STUNEnable false: no Binding Request, NATDetected false, UDPConnectionRequestAddress
        the local address and port; UDP connection requests still work."""
        acs, conf = self.start_stun(extra_defaults={MS + "STUNEnable": "false"})
        acs.queue(GetParameterValues([MS + "NATDetected", UDPADDR]))
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        g = s1.find("GetParameterValues")
        self.assertEqual(self.value(g, MS + "NATDetected"), "false")
        self.assertEqual(self.value(g, UDPADDR), "127.0.0.1:%d" % self.udp_port)
        self.send_cr(udp_connection_request("127.0.0.1", self.udp_port, USER, PASSWORD))
        s2 = acs.wait_for_session(10)
        self.assertEqual(self.events(s2), [CR])
        self.assertEqual(self.binding_requests(), [])
        self.assertEqual(cpe.stop(), EXIT_OK)


class UdpConnectionRequest(StunCase):
    def test_valid_replayed_stale_forged(self):
        """A signed request (sent 3 times, as an ACS does over UDP) opens exactly one
        6 CONNECTION REQUEST session, promptly; the same datagram again, a stale or
        future ts, a bad signature, another user name, garbage: no session; a fresh
        valid one works again."""
        acs, conf = self.start_stun(extra_defaults={MS + "STUNEnable": "false"})
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        good = udp_connection_request("127.0.0.1", self.udp_port, USER, PASSWORD)
        t0 = time.time()
        self.send_cr(good, times=3)
        s = acs.wait_for_session(10)
        latency = s.started_at - t0
        self.assertDone(s)
        self.assertEqual(self.events(s), [CR])
        self.assertLess(latency, 2.0, "the session came %.3f s after the request" % latency)
        print("figure: UDP connection request -> Inform received: %.1f ms" % (latency * 1000))
        now = int(time.time())
        bad = {
            "replayed": good,
            "stale": udp_connection_request("127.0.0.1", self.udp_port, USER, PASSWORD, ts=now - 3600),
            "future": udp_connection_request("127.0.0.1", self.udp_port, USER, PASSWORD, ts=now + 3600),
            "forged": udp_connection_request("127.0.0.1", self.udp_port, USER, PASSWORD, sig="0" * 40),
            "wrong password": udp_connection_request("127.0.0.1", self.udp_port, USER, "guess"),
            "other user": udp_connection_request("127.0.0.1", self.udp_port, "mallory", PASSWORD),
            "no sig": b"GET http://x?ts=1&id=2&un=u&cn=c HTTP/1.1\r\n\r\n",
            "garbage": bytes(range(256)),
        }
        n = len(acs.sessions)
        for what, d in bad.items():
            self.send_cr(d)
        time.sleep(1.5)
        self.assertEqual(len(acs.sessions), n, "a bad UDP connection request opened a session")
        log = cpe.log()
        for reason in ("bad signature", "stale or future timestamp", "unknown user name", "not a valid request"):
            self.assertIn(reason, log)
        self.assertTrue(cpe.running())
        self.send_cr(udp_connection_request("127.0.0.1", self.udp_port, USER, PASSWORD))
        s = acs.wait_for_session(10)
        self.assertEqual(self.events(s), [CR])
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_rate_limit(self):
        """connection_request_rate applies to UDP requests too: of 8 valid ones in a row
        (distinct ids), 3 are accepted (logged), the rest ignored."""
        acs, conf = self.start_stun(extra_defaults={MS + "STUNEnable": "false"})
        with open(conf, "a") as f:
            f.write("connection_request_rate = 3\n")
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        for _ in range(8):
            self.send_cr(udp_connection_request("127.0.0.1", self.udp_port, USER, PASSWORD))
        self.wait_until(lambda: cpe.log().count("ignored: rate limit") >= 5, 10, "5 refusals")
        self.assertEqual(cpe.log().count("UDP connection request from 127.0.0.1 (id"), 3)
        self.assertEqual(cpe.stop(), EXIT_OK)
