"""TR-143 diagnostics measured over real, routed paths with a known delay and
rate, checked against what the test configured (tolerances stated below), and
the diagnostics' life across cancel, SIGTERM and kill -9.

Topology (network namespaces, veth pairs, IPv4 and IPv6):

    cpe  c0 10.1.0.2  ── c1 10.1.0.1  r1  r1b 10.2.0.1 ── r2a 10.2.0.2  r2  r2b 10.3.0.1 ── s0 10.3.0.2  srv
         fd01::2         fd01::1          fd02::1         fd02::2           fd03::1         fd03::2

r1 forwards everything through delay_relay.py (a TUN device, DELAY_MS each way:
this kernel has no netem); r2 shapes with tbf.  cwmpd runs the Linux board in
`cpe` (Interface references its real devices), the test ACS listens there too.
Needs root; without it every test skips saying so."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import unittest

import http.server
import socketserver
import threading

from ftp_support import FtpServer, ftp_python
from harness import E2ECase, GetParameterValues, SetParameterValues, parse_datetime
from test_diagnostics import CR, DIAG, DIAG_ROOT, PING, TRACE
from test_linux import WHY_NOT

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "linux"))
import netns  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DELAY_MS = 40                 # one way, through r1: a round trip beyond r1 takes >= 80 ms
# Tolerance: the relay is a Python process on a busy 2-core machine; it can add,
# never remove, delay.  A round trip must be >= 2*DELAY_MS, the fastest of a run
# < 2*DELAY_MS + SLACK_MS (the tight check), any of them < 2*DELAY_MS + LATE_MS
# (a starved relay, when the whole suite runs, may hold one packet that long: 1.1 s
# was seen in a parallel sanitized run on a loaded machine; the probes' own Timeout
# is 2 s, and the fastest of each run still has to be within SLACK_MS).
SLACK_MS = 60
LATE_MS = 1800
IPI = "Device.IP.Interface."
DOWN = DIAG_ROOT + "DownloadDiagnostics."
UP = DIAG_ROOT + "UploadDiagnostics."
DOWN_KBIT, UP_KBIT = 8000, 4000  # tbf on r2, toward the CPE and toward the server
# Throughput tolerance: TCP's slow start over 80 ms and HTTP headers cost a little, and
# a starved relay a little more; the measured rate (TestBytes*8 / (EOMTime - BOMTime))
# must be within [0.6, 1.05] of tbf's (above 1.05 the measurement would be wrong).
RATE_LO, RATE_HI = 0.60, 1.05
FTP_PORT = 2121


class FileServer(http.server.BaseHTTPRequestHandler):
    """GET /bytes/N: N bytes; PUT: the body read (Content-Length or chunked), 200."""
    protocol_version = "HTTP/1.1"
    received = []

    def log_message(self, *a):
        pass

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != "bytes":
            self.send_error(404)
            return
        n = int(parts[1])
        self.send_response(200)
        self.send_header("Content-Length", str(n))
        self.end_headers()
        chunk = b"y" * 65536
        try:
            while n > 0:
                self.wfile.write(chunk[:min(n, len(chunk))])
                n -= min(n, len(chunk))
        except OSError:
            pass  # a time-based test hangs up early

    def do_PUT(self):
        total = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                total += len(self.rfile.read(size))
                self.rfile.readline()
        else:
            n = int(self.headers.get("Content-Length", "0"))
            while n > 0:
                got = len(self.rfile.read(min(n, 65536)))
                if not got:
                    break
                total += got
                n -= got
        FileServer.received.append(total)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Paths:
    """The four namespaces above, the delay relay, torn down by close()."""

    def __init__(self):
        self.ns = {}
        self.relay = None
        try:
            self._build()
        except BaseException:
            self.close()
            raise

    def _build(self):
        for tag in ("cpe", "r1", "r2", "srv"):
            self.ns[tag] = netns.NetNS(tag)
        cpe, r1, r2, srv = (self.ns[t] for t in ("cpe", "r1", "r2", "srv"))
        links = [(cpe, "c0", r1, "c1", 1), (r1, "r1b", r2, "r2a", 2), (r2, "r2b", srv, "s0", 3)]
        for a, an, b, bn, net in links:
            a.ip("link", "add", an, "type", "veth", "peer", "name", bn, "netns", b.name)
            a.ip("addr", "add", "10.%d.0.%d/24" % (net, 2 if a is cpe else 1), "dev", an)
            b.ip("addr", "add", "10.%d.0.%d/24" % (net, 1 if a is cpe else 2), "dev", bn)
            a.ip("-6", "addr", "add", "fd0%d::%d/64" % (net, 2 if a is cpe else 1), "dev", an, "nodad")
            b.ip("-6", "addr", "add", "fd0%d::%d/64" % (net, 1 if a is cpe else 2), "dev", bn, "nodad")
            a.ip("link", "set", an, "up")
            b.ip("link", "set", bn, "up")
        for n in (r1, r2):
            n.run("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
                  "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0")
        cpe.ip("route", "add", "default", "via", "10.1.0.1")
        cpe.ip("-6", "route", "add", "default", "via", "fd01::1")
        srv.ip("route", "add", "default", "via", "10.3.0.1")
        srv.ip("-6", "route", "add", "default", "via", "fd03::1")
        r1.ip("route", "add", "10.3.0.0/24", "via", "10.2.0.2")
        r1.ip("-6", "route", "add", "fd03::/64", "via", "fd02::2")
        r2.ip("route", "add", "10.1.0.0/24", "via", "10.2.0.1")
        r2.ip("-6", "route", "add", "fd01::/64", "via", "fd02::1")
        # r1: what arrives on c1 or r1b goes through the TUN device (table 100);
        # what the relay writes back comes in on tun0 and takes the main table.
        r1.ip("tuntap", "add", "dev", "tun0", "mode", "tun")
        r1.ip("link", "set", "tun0", "up")
        r1.run("sysctl", "-qw", "net.ipv4.conf.tun0.rp_filter=0")
        for fam in ("-4", "-6"):
            r1.ip(fam, "route", "add", "default", "dev", "tun0", "table", "100")
            for dev in ("c1", "r1b"):
                r1.ip(fam, "rule", "add", "iif", dev, "lookup", "100")
        self.relay = subprocess.Popen(r1.exec_prefix() + [sys.executable, os.path.join(HERE, "delay_relay.py"),
                                                          "tun0", str(DELAY_MS)],
                                      stdout=subprocess.PIPE, text=True)
        if self.relay.stdout.readline().strip() != "ready":
            raise RuntimeError("delay relay did not start")
        self._wait_until_ready()

    def _wait_until_ready(self, timeout: float = 30.0):
        """Until every path answers end to end.  A link just brought up keeps its
        IPv6 link-local address tentative (duplicate address detection, about 1 s),
        and until then a router's first ICMPv6 error can come a second late or not
        at all: a traceroute probe of the test's would see a hop that lost one try."""
        deadline = time.monotonic() + timeout
        for tag, n in self.ns.items():
            while n.ip("-6", "addr", "show", "tentative").stdout.strip():
                if time.monotonic() > deadline:
                    raise RuntimeError("IPv6 addresses in %s still tentative after %d s" % (tag, timeout))
                time.sleep(0.05)
        # A datagram to a closed port of srv and its port unreachable back: both
        # directions through both routers (their neighbours resolved).
        for family, host in ((socket.AF_INET, "10.3.0.2"), (socket.AF_INET6, "fd03::2")):
            with self.ns["cpe"].entered():
                probe = socket.socket(family, socket.SOCK_DGRAM)
            with probe:
                probe.connect((host, 9))
                probe.settimeout(0.2)
                while True:
                    try:
                        probe.send(b"ready?")
                        probe.recv(64)
                    except ConnectionRefusedError:
                        break
                    except OSError:
                        pass  # no answer yet (timeout, or an error of the path still forming)
                    if time.monotonic() > deadline:
                        raise RuntimeError("%s does not answer from cpe after %d s" % (host, timeout))

    def serve_http(self):
        """The file server on srv, port 8080 (IPv4 and IPv6 both: a dual-stack socket)."""
        import socket as _s

        class Dual(Server):
            address_family = _s.AF_INET6

            def server_bind(self):
                self.socket.setsockopt(_s.IPPROTO_IPV6, _s.IPV6_V6ONLY, 0)
                super().server_bind()
        with self.ns["srv"].entered():
            self.http = Dual(("::", 8080), FileServer)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def serve_ftp(self, base: str, files: dict):
        """The FTP server (ftp_server.py) on srv, port 2121, IPv4 and IPv6; its files."""
        self.ftp = FtpServer(base, files, port=FTP_PORT, prefix=self.ns["srv"].exec_prefix())
        return self.ftp

    def shape(self, tag: str, dev: str, rate_kbit: int):
        """tbf on `dev` of namespace `tag` (egress)."""
        self.ns[tag].run("tc", "qdisc", "replace", "dev", dev, "root", "tbf", "rate", "%dkbit" % rate_kbit,
                         "burst", "16kb", "latency", "500ms")

    def close(self):
        if getattr(self, "ftp", None):
            self.ftp.stop()
        if getattr(self, "http", None):
            self.http.shutdown()
            self.http.server_close()
        if self.relay:
            self.relay.kill()
            self.relay.wait()
        for n in self.ns.values():
            n.close()


class TosCapture:
    """What arrives on a device, read with an AF_PACKET socket made inside its
    namespace: the DSCP (the top six bits of IPv4's TOS, IPv6's Traffic Class)
    of each IP packet, with its source, protocol and size.  Proves the DSCP a
    diagnostic was given is on the wire, two routers further."""

    def __init__(self, ns, dev: str):
        import socket as _s
        with ns.entered():
            self.sock = _s.socket(_s.AF_PACKET, _s.SOCK_RAW, _s.htons(0x0003))  # ETH_P_ALL
            self.sock.bind((dev, 0))
        self.sock.settimeout(0.2)
        self.seen = []  # (source, protocol, dscp, length)
        self.lock = threading.Lock()
        self.stopping = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        import ipaddress
        while not self.stopping:
            try:
                frame, (_dev, _proto, pkttype, _hatype, _addr) = self.sock.recvfrom(65536)
            except OSError:
                continue
            if pkttype == 4:  # PACKET_OUTGOING: only what arrives counts
                continue
            kind, ip = int.from_bytes(frame[12:14], "big"), frame[14:]
            if kind == 0x0800 and len(ip) >= 20:
                entry = (str(ipaddress.IPv4Address(ip[12:16])), ip[9], ip[1] >> 2, len(ip))
            elif kind == 0x86DD and len(ip) >= 40:
                tclass = ((ip[0] & 0x0F) << 4) | (ip[1] >> 4)
                entry = (str(ipaddress.IPv6Address(ip[8:24])), ip[6], tclass >> 2, len(ip))
            else:
                continue
            with self.lock:
                self.seen.append(entry)

    def dscps(self, source: str, protocol: int) -> set:
        with self.lock:
            return {d for src, proto, d, _n in self.seen if src == source and proto == protocol}

    def close(self):
        self.stopping = True
        self.thread.join()
        self.sock.close()


def values_of(exchange) -> dict:
    return {k: v for k, (v, _t) in exchange.result.items()}


@unittest.skipIf(WHY_NOT, "diagnostics paths e2e: %s" % WHY_NOT)
class DiagnosticsPaths(E2ECase):
    def setUp(self):
        super().setUp()
        self.paths = Paths()
        self.addCleanup(self.paths.close)
        self.cpe_ns = self.paths.ns["cpe"]
        self.state = os.path.join(self.dir, "board")
        os.makedirs(self.state)
        self.addCleanup(lambda: [d.stop() for d in self.daemons])

    def start_cpe(self):
        with self.cpe_ns.entered():
            acs = self.make_acs()
        conf = self.write_config(acs.url, board="linux", profile="linux-host", defaults=CR,
                                 extra="[board]\nstate_dir = %s\n" % self.state)
        cpe = self.start_cwmpd(conf, prefix=self.cpe_ns.exec_prefix())
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        return acs, cpe

    def session(self, acs, *rpcs, timeout: float = 15):
        """The RPCs in a session opened by a connection request; the session."""
        n = len(acs.sessions)
        acs.queue(*rpcs)
        with self.cpe_ns.entered():
            r = acs.connection_request("http://127.0.0.1:%d/cr" % self.cr_port, "cr", "cr")
        self.assertIn(r.status, (200, 204), "connection request refused: %s" % (r,))
        self.wait_until(lambda: len(acs.sessions) > n and acs.sessions[n].finished, timeout, "the session")
        self.assertDone(acs.sessions[n])
        return acs.sessions[n]

    def next_session(self, acs, n: int, timeout: float = 30):
        self.wait_until(lambda: len(acs.sessions) > n and acs.sessions[n].finished, timeout, "session %d" % n)
        return acs.sessions[n]

    def interface(self, acs, name: str) -> str:
        s = self.session(acs, GetParameterValues([IPI]))
        for k, v in values_of(s.find("GetParameterValues")).items():
            m = re.fullmatch(re.escape(IPI) + r"(\d+)\.Name", k)
            if m and v == name:
                return IPI + m.group(1)
        self.fail("no IP.Interface named %s" % name)

    def run_diag(self, acs, obj: str, inputs: list, read=None):
        """Sets the inputs with DiagnosticsState Requested (a session of its own),
        waits for the 8 DIAGNOSTICS COMPLETE session and returns its values of `obj`."""
        def xsd(k, v):
            return "xsd:string" if not isinstance(v, int) else "xsd:unsignedLong" if k == "TestFileLength" \
                else "xsd:unsignedInt"
        spv = SetParameterValues([(obj + k, str(v), xsd(k, v)) for k, v in inputs]
                                 + [(obj + "DiagnosticsState", "Requested", "xsd:string")])
        n = len(acs.sessions)
        acs.add_session([GetParameterValues([read or obj])],
                        match=lambda x: any(c == DIAG[0] for c, _k in x.events))
        s = self.session(acs, spv)
        self.assertIsNone(s.find("SetParameterValues").fault)
        done = self.next_session(acs, n + 1)
        self.assertEvents(done, [DIAG])
        return values_of(done.find("GetParameterValues"))

    def assertRtt(self, ms: float, what: str, hops_beyond_r1: bool = True, fastest: bool = False):
        lo = 2 * DELAY_MS if hops_beyond_r1 else 0
        hi = lo + (SLACK_MS if fastest else LATE_MS)
        self.assertTrue(lo <= ms < hi, "%s: %.1f ms not in [%d, %d)" % (what, ms, lo, hi))

    # ---- IPPing ------------------------------------------------------------------------

    def capture(self) -> TosCapture:
        """What reaches the server (s0 in srv), from now on."""
        c = TosCapture(self.paths.ns["srv"], "s0")
        self.addCleanup(c.close)
        return c

    def test_ping_rtt_v4_v6_and_interface(self):
        acs, cpe = self.start_cpe()
        c0 = self.interface(acs, "c0")
        wire = self.capture()
        v = self.run_diag(acs, PING, [("Interface", c0), ("Host", "10.3.0.2"), ("NumberOfRepetitions", 4),
                                      ("Timeout", 2000), ("DataBlockSize", 200), ("DSCP", 46)])
        self.assertEqual(v[PING + "DiagnosticsState"], "Complete")
        self.assertEqual((v[PING + "SuccessCount"], v[PING + "FailureCount"]), ("4", "0"))
        self.assertEqual(v[PING + "IPAddressUsed"], "10.1.0.2")
        self.assertEqual(wire.dscps("10.1.0.2", 1), {46}, "DSCP of the ICMP echo requests at the server")
        for n in ("Minimum", "Average", "Maximum"):
            self.assertRtt(int(v[PING + n + "ResponseTimeDetailed"]) / 1000, "IPv4 " + n, fastest=n == "Minimum")
        self.figure("ping IPv4 configured RTT %d ms: min/avg/max %s/%s/%s us" % (
            2 * DELAY_MS, v[PING + "MinimumResponseTimeDetailed"], v[PING + "AverageResponseTimeDetailed"],
            v[PING + "MaximumResponseTimeDetailed"]))
        v6 = self.run_diag(acs, PING, [("Host", "fd03::2"), ("ProtocolVersion", "IPv6"), ("NumberOfRepetitions", 3),
                                       ("DataBlockSize", 56), ("DSCP", 10)])
        self.assertEqual((v6[PING + "DiagnosticsState"], v6[PING + "SuccessCount"]), ("Complete", "3"))
        self.assertEqual(v6[PING + "IPAddressUsed"], "fd01::2")
        self.assertEqual(wire.dscps("fd01::2", 58), {10}, "Traffic Class of the ICMPv6 echo requests at the server")
        self.assertRtt(int(v6[PING + "MinimumResponseTimeDetailed"]) / 1000, "IPv6 minimum", fastest=True)
        self.assertRtt(int(v6[PING + "AverageResponseTimeDetailed"]) / 1000, "IPv6 average")
        self.figure("ping IPv6 configured RTT %d ms: avg %s us" % (2 * DELAY_MS, v6[PING + "AverageResponseTimeDetailed"]))
        # Bound to lo, the same host is out of reach: the Interface is honoured.
        lo = self.interface(acs, "lo")
        vlo = self.run_diag(acs, PING, [("Interface", lo), ("Host", "10.3.0.2"), ("ProtocolVersion", "IPv4"),
                                        ("NumberOfRepetitions", 2), ("Timeout", 300)])
        self.assertIn(vlo[PING + "DiagnosticsState"], ("Complete", "Error_NoRouteToHost"))
        self.assertEqual(vlo.get(PING + "SuccessCount", "0"), "0")

    # ---- TraceRoute --------------------------------------------------------------------

    def test_traceroute_hops_v4_v6(self):
        acs, cpe = self.start_cpe()
        wire = self.capture()
        for host, hops, fam in (("10.3.0.2", ["10.1.0.1", "10.2.0.2", "10.3.0.2"], "IPv4"),
                                ("fd03::2", ["fd01::1", "fd02::2", "fd03::2"], "IPv6")):
            v = self.run_diag(acs, TRACE, [("Host", host), ("ProtocolVersion", fam), ("NumberOfTries", 2),
                                           ("Timeout", 2000), ("MaxHopCount", 8), ("DSCP", 8)])
            self.assertEqual(v[TRACE + "DiagnosticsState"], "Complete", fam)
            self.assertEqual(v[TRACE + "RouteHopsNumberOfEntries"], str(len(hops)), fam)
            got = [v[TRACE + "RouteHops.%d.HostAddress" % i] for i in range(1, len(hops) + 1)]
            self.assertEqual(got, hops, fam)
            # The probes that reached the server (UDP) carried the DSCP.
            self.assertEqual(wire.dscps("10.1.0.2" if fam == "IPv4" else "fd01::2", 17), {8}, fam)
            for i in range(1, len(hops) + 1):
                self.assertEqual(v[TRACE + "RouteHops.%d.ErrorCode" % i], "0")
                rtts = [int(x) for x in v[TRACE + "RouteHops.%d.RTTimes" % i].split(",")]
                self.assertEqual(len(rtts), 2, "%s hop %d: one time per try" % (fam, i))
                for ms in rtts:
                    self.assertRtt(ms, "%s hop %d" % (fam, i), hops_beyond_r1=i > 1)
                self.assertRtt(min(rtts), "%s hop %d fastest" % (fam, i), hops_beyond_r1=i > 1, fastest=True)
            self.assertRtt(int(v[TRACE + "ResponseTime"]), fam + " ResponseTime")
            self.figure("traceroute %s configured 3 hops, RTT beyond r1 %d ms: %s, RTTimes %s, ResponseTime %s ms" % (
                fam, 2 * DELAY_MS, got, [v[TRACE + "RouteHops.%d.RTTimes" % i] for i in range(1, 4)],
                v[TRACE + "ResponseTime"]))
        # Fewer hops allowed than the path has: the model's own error, the hops seen kept.
        v = self.run_diag(acs, TRACE, [("Host", "10.3.0.2"), ("ProtocolVersion", "IPv4"), ("MaxHopCount", 2),
                                       ("NumberOfTries", 1)])
        self.assertEqual(v[TRACE + "DiagnosticsState"], "Error_MaxHopCountExceeded")
        self.assertEqual(v[TRACE + "RouteHopsNumberOfEntries"], "2")

    # ---- a run that lasts: cancel, latest wins, SIGTERM, kill -9 ---------------------------

    LONG = [("Host", "10.3.0.99"), ("ProtocolVersion", "IPv4"), ("NumberOfRepetitions", 60), ("Timeout", 1000)]

    def request_long(self, acs):
        spv = SetParameterValues([(PING + k, str(v), "xsd:unsignedInt" if isinstance(v, int) else "xsd:string")
                                  for k, v in self.LONG] + [(PING + "DiagnosticsState", "Requested", "xsd:string")])
        self.session(acs, spv)
        self.daemons[-1].wait_log(r"IPPing\. started", 10)

    def test_changed_input_cancels_a_running_test(self):
        acs, cpe = self.start_cpe()
        self.request_long(acs)
        s = self.session(acs, SetParameterValues([(PING + "Timeout", "900", "xsd:unsignedInt")]),
                         GetParameterValues([PING + "DiagnosticsState"]))
        self.assertEqual(values_of(s.find("GetParameterValues"))[PING + "DiagnosticsState"], "None")
        cpe.wait_log(r"IPPing\. canceled", 5)
        # No 8 DIAGNOSTICS COMPLETE for a canceled test: the next session is the connection request's alone.
        s = self.session(acs, GetParameterValues([PING + "DiagnosticsState"]))
        self.assertEvents(s, [("6 CONNECTION REQUEST", "")])
        self.assertEqual(values_of(s.find("GetParameterValues"))[PING + "DiagnosticsState"], "None")

    def test_requested_again_while_running_latest_wins(self):
        acs, cpe = self.start_cpe()
        self.request_long(acs)
        n = len(acs.sessions)
        v = self.run_diag(acs, PING, [("Host", "10.3.0.2"), ("NumberOfRepetitions", 1)])
        self.assertEqual((v[PING + "DiagnosticsState"], v[PING + "SuccessCount"]), ("Complete", "1"))
        # Exactly one 8 DIAGNOSTICS COMPLETE: the first run was stopped, not completed.
        s = self.session(acs)
        self.assertEvents(s, [("6 CONNECTION REQUEST", "")])
        diag_sessions = [x for x in acs.sessions[n:] if DIAG in x.events]
        self.assertEqual(len(diag_sessions), 1)

    def test_sigterm_during_a_test_is_prompt(self):
        acs, cpe = self.start_cpe()
        self.request_long(acs)
        t0 = time.monotonic()
        cpe.signal(signal.SIGTERM)
        self.assertEqual(cpe.wait(5), 0)
        took = time.monotonic() - t0
        # As for a download below: only the running test's share is held to 1 s.
        idle_exit = self.idle_exit(acs, cpe)
        self.assertLess(took, 1.0 + idle_exit, "SIGTERM waited %.2f s for the running test" % took)
        self.figure("SIGTERM during a running IPPing: cwmpd gone after %.3f s (idle: %.3f s)" % (took, idle_exit))

    def idle_exit(self, acs, cpe) -> float:
        """The same daemon restarted and idle: what its exit alone costs here (ASan's
        leak check at exit, a busy machine)."""
        cpe.start()
        # Within the same boot, with nothing pending: started, and no session of its own.
        cpe.wait_log(r"start: cwmpd restarted within boot", 15)
        t1 = time.monotonic()
        cpe.signal(signal.SIGTERM)
        self.assertEqual(cpe.wait(5), 0)
        return time.monotonic() - t1

    def test_sigterm_during_a_download_is_prompt(self):
        self.paths.serve_http()
        self.paths.shape("r2", "r2a", DOWN_KBIT)
        acs, cpe = self.start_cpe()
        self.session(acs, SetParameterValues([
            (DOWN + "DownloadURL", "http://10.3.0.2:8080/bytes/100000000", "xsd:string"),
            (DOWN + "TimeBasedTestDuration", "60", "xsd:unsignedInt"),
            (DOWN + "DiagnosticsState", "Requested", "xsd:string")]))
        cpe.wait_log(r"DownloadDiagnostics\. started", 10)
        time.sleep(0.5)  # well into the transfer
        t0 = time.monotonic()
        cpe.signal(signal.SIGTERM)
        self.assertEqual(cpe.wait(5), 0)
        took = time.monotonic() - t0
        # Only the download's share is held to 1 s.
        idle_exit = self.idle_exit(acs, cpe)
        self.assertLess(took, 1.0 + idle_exit, "SIGTERM waited %.2f s for the running download" % took)
        self.figure("SIGTERM during a running DownloadDiagnostics: cwmpd gone after %.3f s (idle: %.3f s)"
                    % (took, idle_exit))

    def test_cancel_while_ftp_waits_for_transfer_complete(self):
        """The file sent, the server never says 226: libcurl waits for it inside a
        perform (its response timeout, 30 s), where no stop token is looked at.
        Canceled still ends the test at once: its connections close within a second."""
        self.ftp()
        acs, cpe = self.start_cpe()
        self.session(acs, SetParameterValues([
            (DOWN + "DownloadURL", "ftp://hang:pass@10.3.0.2:%d/f1m.bin" % FTP_PORT, "xsd:string"),
            (DOWN + "DiagnosticsState", "Requested", "xsd:string")]))
        cpe.wait_log(r"DownloadDiagnostics\. started", 10)
        hang_log = os.path.join(self.dir, "ftp", "hang.log")

        def lines():
            with open(hang_log) as f:
                return f.read().split("\n")
        self.wait_until(lambda: os.path.exists(hang_log), 15, "the server withholding its 226")
        self.assertNotIn("closed", lines())
        self.session(acs, SetParameterValues([(DOWN + "DiagnosticsState", "Canceled", "xsd:string")]))
        t0 = time.monotonic()
        cpe.wait_log(r"DownloadDiagnostics\. canceled", 5)
        self.wait_until(lambda: "closed" in lines(), 5, "the canceled test's control connection closed")
        took = time.monotonic() - t0
        self.assertLess(took, 1.0, "the canceled FTP test held its connection %.2f s" % took)
        self.assertTrue(cpe.running())
        self.figure("Canceled while an FTP download waits for its 226: connection closed after %.3f s" % took)

    def test_udp_echo_rtt(self):
        import socket as _s
        with self.paths.ns["srv"].entered():
            echo = _s.socket(_s.AF_INET, _s.SOCK_DGRAM)
            echo.bind(("10.3.0.2", 7007))
        self.addCleanup(echo.close)

        def serve():
            while True:
                try:
                    data, peer = echo.recvfrom(65536)
                    echo.sendto(data, peer)
                except OSError:
                    return
        threading.Thread(target=serve, daemon=True).start()
        acs, cpe = self.start_cpe()
        obj = DIAG_ROOT + "UDPEchoDiagnostics."
        v = self.run_diag(acs, obj, [("Host", "10.3.0.2"), ("Port", 7007), ("NumberOfRepetitions", 4),
                                     ("InterTransmissionTime", 20), ("Timeout", 2000), ("DataBlockSize", 200)])
        self.assertEqual((v[obj + "DiagnosticsState"], v[obj + "SuccessCount"]), ("Complete", "4"))
        self.assertRtt(int(v[obj + "MinimumResponseTime"]) / 1000, "UDP echo minimum", fastest=True)
        self.assertRtt(int(v[obj + "AverageResponseTime"]) / 1000, "UDP echo average")
        self.figure("UDP echo configured RTT %d ms: min/avg/max %s/%s/%s us" % (
            2 * DELAY_MS, v[obj + "MinimumResponseTime"], v[obj + "AverageResponseTime"], v[obj + "MaximumResponseTime"]))

    def test_kill_during_a_test_then_restart_resets_to_none(self):
        acs, cpe = self.start_cpe()
        self.request_long(acs)
        cpe.signal(signal.SIGKILL)
        cpe.wait(5)
        again = self.start_cwmpd(self.write_config(acs.url, board="linux", profile="linux-host", defaults=CR,
                                                   extra="[board]\nstate_dir = %s\n" % self.state),
                                 prefix=self.cpe_ns.exec_prefix())
        # The same boot with nothing pending: no session of its own; the first one is asked for.
        again.wait_log(r"start: cwmpd restarted within boot", 15)
        boot = self.session(acs, GetParameterValues([PING + "DiagnosticsState"]))
        self.assertNotIn(DIAG, boot.events)
        self.assertEqual(values_of(boot.find("GetParameterValues"))[PING + "DiagnosticsState"], "None")
        again.wait_log(r"interrupted by the restart: reset to None", 5)
        # And nothing runs later: the next session is the connection request's alone.
        s = self.session(acs)
        self.assertEvents(s, [("6 CONNECTION REQUEST", "")])

    # ---- Download / Upload --------------------------------------------------------------

    def rate(self, v: dict, obj: str, field: str) -> float:
        """kbit/s from the results: test bytes over EOMTime - BOMTime."""
        seconds = parse_datetime(v[obj + "EOMTime"]) - parse_datetime(v[obj + "BOMTime"])
        return int(v[obj + field]) * 8 / 1000 / seconds

    def assertTimes(self, v: dict, obj: str, prefix: str = ""):
        t = {k: parse_datetime(v[obj + prefix + k]) for k in
             ("TCPOpenRequestTime", "TCPOpenResponseTime", "ROMTime", "BOMTime", "EOMTime")}
        order = sorted(t, key=t.get)
        self.assertLessEqual(t["TCPOpenRequestTime"], t["TCPOpenResponseTime"], t)
        self.assertLessEqual(t["TCPOpenResponseTime"], t["ROMTime"], t)
        self.assertLessEqual(t["ROMTime"], t["BOMTime"], t)
        self.assertLess(t["BOMTime"], t["EOMTime"], t)
        # The TCP handshake crosses r1's delay both ways.
        self.assertGreaterEqual(t["TCPOpenResponseTime"] - t["TCPOpenRequestTime"], 2 * DELAY_MS / 1000 - 0.001, order)

    def test_download_upload_throughput(self):
        self.paths.serve_http()
        self.paths.shape("r2", "r2a", DOWN_KBIT)
        self.paths.shape("r2", "r2b", UP_KBIT)
        acs, cpe = self.start_cpe()
        c0 = self.interface(acs, "c0")
        wire = self.capture()
        size = 2_000_000
        v = self.run_diag(acs, DOWN, [("Interface", c0), ("DownloadURL", "http://10.3.0.2:8080/bytes/%d" % size),
                                      ("DSCP", 10), ("EthernetPriority", 3), ("EnablePerConnectionResults", "true")])
        self.assertEqual(v[DOWN + "DiagnosticsState"], "Complete")
        # TR-181: a row for every connection when EnablePerConnectionResults is true, the one included.
        self.assertEqual(v[DOWN + "PerConnectionResultNumberOfEntries"], "1")
        self.assertTimes(v, DOWN, "PerConnectionResult.1.")
        self.assertEqual(v[DOWN + "PerConnectionResult.1.TestBytesReceived"], v[DOWN + "TestBytesReceived"])
        self.assertEqual(v[DOWN + "IPAddressUsed"], "10.1.0.2")
        self.assertEqual(wire.dscps("10.1.0.2", 6), {10}, "DSCP of the test's TCP segments at the server")
        self.assertGreater(int(v[DOWN + "TestBytesReceived"]), size)             # the body and the headers
        self.assertLess(int(v[DOWN + "TestBytesReceived"]), size + 1000)
        self.assertGreater(int(v[DOWN + "TotalBytesReceived"]), size)            # IP layer, on c0
        self.assertTimes(v, DOWN)
        kbit = self.rate(v, DOWN, "TestBytesReceived")
        self.assertTrue(RATE_LO * DOWN_KBIT <= kbit <= RATE_HI * DOWN_KBIT, "download %.0f kbit/s" % kbit)
        self.figure("download 2 MB, tbf %d kbit/s: measured %.0f kbit/s (%.2f)" % (DOWN_KBIT, kbit, kbit / DOWN_KBIT))
        # IPv6, three connections with their own results.
        v = self.run_diag(acs, DOWN, [("Interface", ""), ("ProtocolVersion", "IPv6"), ("NumberOfConnections", 3),
                                      ("EnablePerConnectionResults", "true"), ("DSCP", 0), ("EthernetPriority", 0),
                                      ("DownloadURL", "http://[fd03::2]:8080/bytes/%d" % (size // 2))])
        self.assertEqual(v[DOWN + "DiagnosticsState"], "Complete")
        self.assertEqual(v[DOWN + "IPAddressUsed"], "fd01::2")
        self.assertEqual(v[DOWN + "PerConnectionResultNumberOfEntries"], "3")
        per = [int(v[DOWN + "PerConnectionResult.%d.TestBytesReceived" % i]) for i in (1, 2, 3)]
        self.assertEqual(sum(per), int(v[DOWN + "TestBytesReceived"]))
        for i in (1, 2, 3):
            self.assertTimes(v, DOWN, "PerConnectionResult.%d." % i)
        self.assertPerConnectionTotals(v, DOWN, 3, "TotalBytesReceived")
        kbit = self.rate(v, DOWN, "TestBytesReceived")
        self.assertTrue(RATE_LO * DOWN_KBIT <= kbit <= RATE_HI * DOWN_KBIT, "3 connections %.0f kbit/s" % kbit)
        self.assertGreater(int(v[DOWN + "PeriodOfFullLoading"]), 0)
        self.figure("download IPv6 3x1 MB, tbf %d kbit/s: measured %.0f kbit/s" % (DOWN_KBIT, kbit))
        # Upload: TestFileLength bytes PUT, the server counts them.
        FileServer.received.clear()
        v = self.run_diag(acs, UP, [("UploadURL", "http://10.3.0.2:8080/up"), ("TestFileLength", 1_000_000)])
        self.assertEqual(v[UP + "DiagnosticsState"], "Complete")
        self.assertEqual(FileServer.received, [1_000_000])
        self.assertEqual(int(v[UP + "TestBytesSent"]), 1_000_000)
        self.assertTimes(v, UP)
        kbit = self.rate(v, UP, "TestBytesSent")
        self.assertTrue(RATE_LO * UP_KBIT <= kbit <= RATE_HI * UP_KBIT, "upload %.0f kbit/s" % kbit)
        self.figure("upload 1 MB, tbf %d kbit/s: measured %.0f kbit/s (%.2f)" % (UP_KBIT, kbit, kbit / UP_KBIT))

    def test_time_based_download_with_increments(self):
        self.paths.serve_http()
        self.paths.shape("r2", "r2a", DOWN_KBIT)
        acs, cpe = self.start_cpe()
        v = self.run_diag(acs, DOWN, [("DownloadURL", "http://10.3.0.2:8080/bytes/100000000"),
                                      ("TimeBasedTestDuration", 3), ("TimeBasedTestMeasurementInterval", 1),
                                      ("TimeBasedTestMeasurementOffset", 1)])
        self.assertEqual(v[DOWN + "DiagnosticsState"], "Complete")
        seconds = parse_datetime(v[DOWN + "EOMTime"]) - parse_datetime(v[DOWN + "BOMTime"])
        self.assertTrue(2.5 <= seconds <= 3.5, "time-based test lasted %.2f s, not 3" % seconds)
        rows = int(v[DOWN + "IncrementalResultNumberOfEntries"])
        self.assertEqual(rows, 2)  # offset 1 s, then [1, 2) and [2, 3)
        for i in range(1, rows + 1):
            b = int(v[DOWN + "IncrementalResult.%d.TestBytesReceived" % i])
            span = (parse_datetime(v[DOWN + "IncrementalResult.%d.EndTime" % i])
                    - parse_datetime(v[DOWN + "IncrementalResult.%d.StartTime" % i]))
            kbit = b * 8 / 1000 / span
            self.assertTrue(RATE_LO * DOWN_KBIT <= kbit <= RATE_HI * DOWN_KBIT, "increment %d: %.0f kbit/s" % (i, kbit))

    def test_transfer_bad_input(self):
        self.paths.serve_http()
        acs, cpe = self.start_cpe()
        s = self.session(acs, *[SetParameterValues([(obj + name, value, "xsd:string")]) for obj, name, value in (
            (DOWN, "DownloadURL", "ftp://10.3.0.2/"), (UP, "UploadURL", "gopher://10.3.0.2/"),
            (DOWN, "DownloadURL", "not a url"))],
            SetParameterValues([(DOWN + "NumberOfConnections", "9", "xsd:unsignedInt")]))
        for i in range(4):
            x = s.find("SetParameterValues", i)
            self.assertIsNotNone(x.fault, "SetParameterValues %d accepted" % i)
            self.assertEqual([c for _n, c, _s in x.fault.spv_faults], [9007])
        for url, state in (("http://no-such-host.invalid/x", "Error_CannotResolveHostName"),
                           ("http://10.3.0.2:1/x", "Error_InitConnectionFailed"),
                           ("http://10.3.0.2:8080/nothing-here", "Error_TransferFailed")):
            v = self.run_diag(acs, DOWN, [("DownloadURL", url)], read=DOWN + "DiagnosticsState")
            self.assertEqual(v[DOWN + "DiagnosticsState"], state, url)

    # ---- Download / Upload over FTP ---------------------------------------------------------

    def ftp(self, files=None):
        if ftp_python() is None:
            self.skipTest("no python with pyftpdlib (tools/setup installs python3-pyftpdlib)")
        return self.paths.serve_ftp(os.path.join(self.dir, "ftp"), files or {"f2m.bin": 2_000_000, "f1m.bin": 1_000_000})

    def assertPerConnectionTotals(self, v: dict, obj: str, n: int, field: str):
        """PerConnectionResult.{i}.Total*: the interface's bytes between the connection's
        own BOM and EOM: at least its own test bytes (n connections share the link
        then), at most the whole test's."""
        total = int(v[obj + field])
        for i in range(1, n + 1):
            row = obj + "PerConnectionResult.%d." % i
            own = int(v[row + ("TestBytesReceived" if obj == DOWN else "TestBytesSent")])
            mine = int(v[row + field])
            self.assertTrue(own <= mine <= total, "connection %d: %s %d not in [%d, %d]" % (i, field, mine, own, total))

    def test_ftp_download_throughput(self):
        self.ftp()
        self.paths.shape("r2", "r2a", DOWN_KBIT)
        acs, cpe = self.start_cpe()
        s = self.session(acs, GetParameterValues([DOWN + "DownloadTransports", UP + "UploadTransports"]))
        caps = values_of(s.find("GetParameterValues"))
        self.assertEqual((caps[DOWN + "DownloadTransports"], caps[UP + "UploadTransports"]), ("HTTP,FTP", "HTTP,FTP"))
        c0 = self.interface(acs, "c0")
        size = 2_000_000
        v = self.run_diag(acs, DOWN, [("Interface", c0), ("DownloadURL", "ftp://10.3.0.2:%d/f2m.bin" % FTP_PORT),
                                      ("DSCP", 10)])
        self.assertEqual(v[DOWN + "DiagnosticsState"], "Complete")
        self.assertEqual(v[DOWN + "IPAddressUsed"], "10.1.0.2")
        # The file, and of the control connection at most a reply or two that came before the last data.
        self.assertGreaterEqual(int(v[DOWN + "TestBytesReceived"]), size)
        self.assertLess(int(v[DOWN + "TestBytesReceived"]), size + 200)
        self.assertGreater(int(v[DOWN + "TotalBytesReceived"]), size)            # IP layer, on c0
        self.assertTimes(v, DOWN)  # TCPOpen*: the data connection, across r1's delay
        kbit = self.rate(v, DOWN, "TestBytesReceived")
        self.assertTrue(RATE_LO * DOWN_KBIT <= kbit <= RATE_HI * DOWN_KBIT, "FTP download %.0f kbit/s" % kbit)
        self.figure("FTP download 2 MB, tbf %d kbit/s: measured %.0f kbit/s (%.2f)" % (DOWN_KBIT, kbit, kbit / DOWN_KBIT))
        # IPv6 (EPSV), three connections with their own results.
        v = self.run_diag(acs, DOWN, [("Interface", ""), ("ProtocolVersion", "IPv6"), ("NumberOfConnections", 3),
                                      ("EnablePerConnectionResults", "true"), ("DSCP", 0),
                                      ("DownloadURL", "ftp://[fd03::2]:%d/f1m.bin" % FTP_PORT)])
        self.assertEqual(v[DOWN + "DiagnosticsState"], "Complete")
        self.assertEqual(v[DOWN + "IPAddressUsed"], "fd01::2")
        self.assertEqual(v[DOWN + "PerConnectionResultNumberOfEntries"], "3")
        per = [int(v[DOWN + "PerConnectionResult.%d.TestBytesReceived" % i]) for i in (1, 2, 3)]
        self.assertEqual(sum(per), int(v[DOWN + "TestBytesReceived"]))
        self.assertTrue(all(1_000_000 <= b < 1_000_200 for b in per), per)
        for i in (1, 2, 3):
            self.assertTimes(v, DOWN, "PerConnectionResult.%d." % i)
        self.assertPerConnectionTotals(v, DOWN, 3, "TotalBytesReceived")
        kbit = self.rate(v, DOWN, "TestBytesReceived")
        self.assertTrue(RATE_LO * DOWN_KBIT <= kbit <= RATE_HI * DOWN_KBIT, "FTP 3 connections %.0f kbit/s" % kbit)
        self.assertGreater(int(v[DOWN + "PeriodOfFullLoading"]), 0)
        self.figure("FTP download IPv6 3x1 MB, tbf %d kbit/s: measured %.0f kbit/s" % (DOWN_KBIT, kbit))

    def test_ftp_upload_throughput_connections_and_time(self):
        server = self.ftp()
        self.paths.shape("r2", "r2b", UP_KBIT)
        acs, cpe = self.start_cpe()
        # Upload: STOR of TestFileLength bytes, the server counts them.
        v = self.run_diag(acs, UP, [("UploadURL", "ftp://user:pass@10.3.0.2:%d/up.bin" % FTP_PORT),
                                    ("TestFileLength", 1_000_000)])
        self.assertEqual(v[UP + "DiagnosticsState"], "Complete")
        self.assertEqual(server.stored(), [("up.bin", 1_000_000)])
        self.assertEqual(int(v[UP + "TestBytesSent"]), 1_000_000)
        self.assertGreater(int(v[UP + "TotalBytesSent"]), 1_000_000)
        self.assertTimes(v, UP)  # BOM: the server's 150, EOM: its 226
        kbit = self.rate(v, UP, "TestBytesSent")
        self.assertTrue(RATE_LO * UP_KBIT <= kbit <= RATE_HI * UP_KBIT, "FTP upload %.0f kbit/s" % kbit)
        self.figure("FTP upload 1 MB, tbf %d kbit/s: measured %.0f kbit/s (%.2f)" % (UP_KBIT, kbit, kbit / UP_KBIT))
        v = self.run_diag(acs, UP, [("UploadURL", "ftp://user:pass@10.3.0.2:%d/sub/two.bin" % FTP_PORT),
                                    ("TestFileLength", 300_000), ("NumberOfConnections", 2),
                                    ("EnablePerConnectionResults", "true")])
        self.assertEqual(v[UP + "DiagnosticsState"], "Complete")
        self.assertEqual(server.stored()[1:], [("two.bin", 300_000)] * 2)
        self.assertEqual(int(v[UP + "TestBytesSent"]), 600_000)
        for i in (1, 2):
            self.assertTimes(v, UP, "PerConnectionResult.%d." % i)
        self.assertPerConnectionTotals(v, UP, 2, "TotalBytesSent")
        # Time based: as much as 2 s allow, the server told the end by the data connection's close.
        v = self.run_diag(acs, UP, [("UploadURL", "ftp://user:pass@10.3.0.2:%d/timed.bin" % FTP_PORT),
                                    ("NumberOfConnections", 1), ("EnablePerConnectionResults", "false"),
                                    ("TimeBasedTestDuration", 2)])
        self.assertEqual(v[UP + "DiagnosticsState"], "Complete")
        self.assertEqual(v[UP + "PerConnectionResultNumberOfEntries"], "0")  # not asked for
        sent = int(v[UP + "TestBytesSent"])
        self.assertIn(("timed.bin", sent), server.stored())
        kbit = self.rate(v, UP, "TestBytesSent")
        self.assertTrue(RATE_LO * UP_KBIT <= kbit <= RATE_HI * UP_KBIT, "FTP time-based upload %.0f kbit/s" % kbit)

    def test_ftp_download_bad_url_and_server(self):
        self.ftp()
        acs, cpe = self.start_cpe()
        s = self.session(acs, *[SetParameterValues([(obj + name, value, "xsd:string")]) for obj, name, value in (
            (DOWN, "DownloadURL", "ftp://10.3.0.2/"), (UP, "UploadURL", "ftp://10.3.0.2:2121/dir/"),
            (DOWN, "DownloadURL", "ftps://10.3.0.2/f"))])
        for i in range(3):
            x = s.find("SetParameterValues", i)
            self.assertIsNotNone(x.fault, "SetParameterValues %d accepted" % i)
            self.assertEqual([c for _n, c, _s in x.fault.spv_faults], [9007])
        for url, state in (("ftp://10.3.0.2:%d/missing.bin" % FTP_PORT, "Error_TransferFailed"),
                           ("ftp://10.3.0.2:%d/nodir/f1m.bin" % FTP_PORT, "Error_TransferFailed"),
                           ("ftp://10.3.0.2:1/f1m.bin", "Error_InitConnectionFailed"),
                           ("ftp://no-such-host.invalid/f1m.bin", "Error_CannotResolveHostName")):
            v = self.run_diag(acs, DOWN, [("DownloadURL", url)], read=DOWN + "DiagnosticsState")
            self.assertEqual(v[DOWN + "DiagnosticsState"], state, url)

    def test_ftp_download_refused_steps(self):
        self.ftp()
        acs, cpe = self.start_cpe()
        base = "ftp://%s@10.3.0.2:" + str(FTP_PORT) + "/f1m.bin"
        for user, state in (("nouser:x", "Error_PasswordRequestFailed"), ("user:wrong", "Error_LoginFailed"),
                            ("nopasv:pass", "Error_NoPASV"), ("notype:pass", "Error_NoTransferMode")):
            v = self.run_diag(acs, DOWN, [("DownloadURL", base % user)], read=DOWN + "DiagnosticsState")
            self.assertEqual(v[DOWN + "DiagnosticsState"], state, user)

    def test_ftp_upload_errors(self):
        server = self.ftp()
        acs, cpe = self.start_cpe()
        base = "ftp://%s10.3.0.2:" + str(FTP_PORT) + "/%s"
        for url, state in ((base % ("", "anon.bin"), "Error_NoSTOR"),           # anonymous: read-only
                           (base % ("user:pass@", "nodir/up.bin"), "Error_NoCWD"),
                           (base % ("no226:pass@", "up.bin"), "Error_NoTransferComplete"),
                           (base % ("nouser:x@", "up.bin"), "Error_PasswordRequestFailed"),
                           (base % ("user:wrong@", "up.bin"), "Error_LoginFailed"),
                           (base % ("nopasv:pass@", "up.bin"), "Error_NoPASV")):
            v = self.run_diag(acs, UP, [("UploadURL", url), ("TestFileLength", 1000)], read=UP + "DiagnosticsState")
            self.assertEqual(v[UP + "DiagnosticsState"], state, url)
        # The 451 came after the data: the server has the bytes, the test says the transfer did not complete.
        self.assertEqual(server.stored(), [("up.bin", 1000)])

    def figure(self, line: str):
        sys.stderr.write("FIGURE %s\n" % line)
