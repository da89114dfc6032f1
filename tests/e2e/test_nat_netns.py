"""A real NAT (TR-069 Annex G through it): the CPE in one network namespace, a router
namespace masquerading with nftables (random ports, so a new mapping gets a new port),
the ACS side in a third; coturn (an independent STUN server, Debian's package) runs
there on the ACS's address, started and stopped by the test in a temp dir.  The CPE
learns its public mapping through STUN and reports it (4 VALUE CHANGE); the test ACS
sends UDP connection requests to the mapped address through the NAT: a valid one starts
a session, replayed, stale and forged ones do not; the router's mapping is flushed
(conntrack -F), the CPE's next keep-alive sees a new port, and the ACS learns it and
reaches the CPE there.  Skips with one line without root, namespaces, nft, conntrack
or turnserver."""

import os
import shutil
import socket
import subprocess
import sys
import time
import unittest

from harness import EXIT_OK, MS, E2ECase, GetParameterValues, SetParameterAttributes, SetParameterValues
from stun_support import message, parse_attributes, udp_connection_request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "linux"))
import netns  # noqa: E402

USER, PASSWORD = "nat-cr-user", "nat-cr-secret"
CR = ("6 CONNECTION REQUEST", "")
VC = ("4 VALUE CHANGE", "")
UDPADDR = MS + "UDPConnectionRequestAddress"
CPE_IP, RTR_IN, RTR_OUT, ACS_IP = "10.77.1.2", "10.77.1.1", "10.77.2.1", "10.77.2.2"


def why_not():
    if os.geteuid() != 0:
        return "needs root (network namespaces, nftables)"
    for tool in ("ip", "nft", "conntrack", "turnserver"):
        if shutil.which(tool) is None:
            return "needs %s (tools/setup installs nftables, conntrack, coturn)" % tool
    return netns.unavailable()


WHY_NOT = why_not()


@unittest.skipIf(WHY_NOT, "NAT test: %s" % WHY_NOT)
class RealNat(E2ECase):
    def setUp(self):
        super().setUp()
        self.cpe_ns, self.rtr, self.acs_ns = netns.NetNS("natcpe"), netns.NetNS("natrtr"), netns.NetNS("natacs")
        for ns in (self.cpe_ns, self.rtr, self.acs_ns):
            self.addCleanup(ns.close)
        self.rtr.ip("link", "add", "r0", "type", "veth", "peer", "name", "c0", "netns", self.cpe_ns.name)
        self.rtr.ip("link", "add", "r1", "type", "veth", "peer", "name", "a0", "netns", self.acs_ns.name)
        for ns, dev, addr in ((self.cpe_ns, "c0", CPE_IP), (self.rtr, "r0", RTR_IN), (self.rtr, "r1", RTR_OUT),
                              (self.acs_ns, "a0", ACS_IP)):
            ns.ip("addr", "add", addr + "/24", "dev", dev)
            ns.ip("link", "set", dev, "up")
        self.cpe_ns.ip("route", "add", "default", "via", RTR_IN)
        # The ACS side has no route to the CPE's network: only the NAT's mapping reaches it.
        self.rtr.run("sysctl", "-qw", "net.ipv4.ip_forward=1")
        self.rtr.run("nft", "add table ip nat; add chain ip nat post { type nat hook postrouting priority 100 ; }; "
                     "add rule ip nat post oifname r1 masquerade random")
        self.start_coturn()

    def start_coturn(self):
        d = os.path.join(self.dir, "coturn")
        os.makedirs(d)
        self.coturn_log = os.path.join(d, "turnserver.log")
        cmd = self.acs_ns.exec_prefix() + [
            "turnserver", "-n", "--stun-only", "--no-cli", "--no-tls", "--no-dtls", "--listening-ip", ACS_IP,
            "--listening-port", "3478", "--userdb", os.path.join(d, "turndb"), "--pidfile",
            os.path.join(d, "turnserver.pid"), "--log-file", "stdout", "--simple-log", "--no-stdout-log"]
        self.coturn = subprocess.Popen(cmd, stdout=open(self.coturn_log, "wb"), stderr=subprocess.STDOUT)
        self.addCleanup(self.stop_coturn)
        # Ready when it answers a Binding Request (from the ACS side).
        tid = os.urandom(12)
        with self.acs_ns.entered():
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with s:
            s.settimeout(0.2)
            deadline = time.monotonic() + 10
            while True:
                self.assertIsNone(self.coturn.poll(), "turnserver exited: %s" % open(self.coturn_log).read())
                s.sendto(message(0x0001, tid, []), (ACS_IP, 3478))
                try:
                    data, _ = s.recvfrom(2048)
                    if data[8:20] == tid:
                        break
                except socket.timeout:
                    pass
                self.assertLess(time.monotonic(), deadline, "coturn did not answer a Binding Request")

    def stop_coturn(self):
        if self.coturn.poll() is None:
            self.coturn.terminate()
            try:
                self.coturn.wait(5)
            except subprocess.TimeoutExpired:
                self.coturn.kill()
                self.coturn.wait()

    def send_cr(self, host, port, datagram, times=1):
        """From the STUN server's own address and port (TR-069 Annex G): Linux's NAT,
        like most, only lets in datagrams from where the mapping was made to."""
        with self.acs_ns.entered():
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            s.bind((ACS_IP, 3478))
            for _ in range(times):
                s.sendto(datagram, (host, port))

    def wait_value_change(self, acs, previous=None):
        """The next session with 4 VALUE CHANGE carrying a UDPConnectionRequestAddress
        other than `previous`; returns (session, host, port)."""
        deadline = time.monotonic() + 15
        while True:
            s = acs.wait_for_session(max(0.1, deadline - time.monotonic()))
            self.assertDone(s)
            if VC in s.events and UDPADDR in s.parameters and s.parameters[UDPADDR][0] != previous:
                host, _, port = s.parameters[UDPADDR][0].rpartition(":")
                return s, host, int(port)

    def test_udp_connection_requests_through_nat(self):
        with self.acs_ns.entered():
            acs = self.make_acs(host=ACS_IP)
        udp_port = 7650
        d = {MS + "ConnectionRequestUsername": USER, MS + "ConnectionRequestPassword": PASSWORD,
             MS + "STUNMinimumKeepAlivePeriod": "2", MS + "STUNMaximumKeepAlivePeriod": "2"}
        conf = self.write_config(acs.url, defaults=d, connection_request_address="",
                                 udp_connection_request_port=udp_port)
        # Session 1: the ACS asks to hear of the address, then turns STUN on
        # (STUNServerAddress empty: the ACS's host, where coturn listens).
        acs.queue(SetParameterAttributes([(UDPADDR, 2)]),
                  SetParameterValues([(MS + "STUNEnable", "true", "xsd:boolean"),
                                      (MS + "STUNServerPort", "3478", "xsd:unsignedInt")], key="stun"))
        cpe = self.start_cwmpd(conf, prefix=self.cpe_ns.exec_prefix())
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertEqual(s1.peer.rsplit(":", 1)[0], RTR_OUT, "the ACS should see the NAT's address")
        # The mapping, learnt from coturn and told to the ACS: the router's public address.
        acs.queue(GetParameterValues([MS + "NATDetected"]))
        s2, host, port = self.wait_value_change(acs)
        self.assertEqual(host, RTR_OUT)
        self.assertEqual(self.value(s2.find("GetParameterValues"), MS + "NATDetected"), "true")
        # A UDP connection request to the mapped address, sent 3 times: one session.
        good = udp_connection_request(host, port, USER, PASSWORD)
        n = len(acs.sessions)
        t0 = time.time()
        self.send_cr(host, port, good, times=3)
        acs.wait_for(lambda: len(acs.sessions) > n and acs.sessions[n].finished, 10, "the CR session")
        s3 = acs.sessions[n]
        self.assertEqual(self.events(s3), [CR])
        print("figure: UDP connection request through the NAT -> Inform received: %.1f ms"
              % ((s3.started_at - t0) * 1000))
        # Replayed, stale, forged: no session.
        now = int(time.time())
        for datagram in (good,
                         udp_connection_request(host, port, USER, PASSWORD, ts=now - 3600),
                         udp_connection_request(host, port, USER, PASSWORD, sig="f" * 40)):
            self.send_cr(host, port, datagram)
        time.sleep(1.5)
        self.assertEqual(len(acs.sessions), n + 1, "a replayed, stale or forged request opened a session")
        log = cpe.log()
        self.assertIn("stale or future timestamp", log)
        self.assertIn("bad signature", log)
        # The router forgets every mapping; the next keep-alive gets a new port.
        self.rtr.run("conntrack", "-F", check=False)
        s4, host2, port2 = self.wait_value_change(acs, previous="%s:%d" % (host, port))
        self.assertEqual(host2, RTR_OUT)
        self.assertNotEqual(port2, port)
        self.assertIn("UDPConnectionRequestAddress %s:%d" % (host2, port2), cpe.log())
        n = len(acs.sessions)
        self.send_cr(host2, port2, udp_connection_request(host2, port2, USER, PASSWORD), times=2)
        acs.wait_for(lambda: len(acs.sessions) > n and acs.sessions[n].finished, 10, "the CR session at the new port")
        self.assertEqual(self.events(acs.sessions[n]), [CR])
        self.assertEqual(cpe.stop(), EXIT_OK)
