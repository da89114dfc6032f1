"""TR-143 diagnostics run off the agent's loop (diag::Service): the ACS sets
DiagnosticsState "Requested", cwmpd runs the test on a worker thread once the
session that asked is over, stores the results and opens a session with
8 DIAGNOSTICS COMPLETE (TR-069 Table 7); TR-181's DiagnosticsState rules
(latest request wins, a changed input or Canceled resets to None, only
Requested/Canceled writable, a restart resets an interrupted run to None).

IPPing here over loopback (sim board); runs that must last (cancel, SIGTERM,
kill -9 during a run) ping an address routed into a dummy device of a network
namespace of their own, so that no echo is ever answered (root needed: those
skip without it).  Paths with a configured delay, rate and routed hops are in
test_diagnostics_paths.py."""

import os
import re
import signal
import sys
import time
import unittest

from harness import E2ECase, GetParameterValues, SetParameterValues, parse_datetime

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "linux"))
import netns  # noqa: E402

DIAG_ROOT = "Device.IP.Diagnostics."
PING = DIAG_ROOT + "IPPing."
TRACE = DIAG_ROOT + "TraceRoute."
DIAG = ("8 DIAGNOSTICS COMPLETE", "")
CR = {"Device.ManagementServer.ConnectionRequestUsername": "cr",
      "Device.ManagementServer.ConnectionRequestPassword": "cr"}


def can_ping() -> bool:
    return os.geteuid() == 0 or open("/proc/sys/net/ipv4/ping_group_range").read().split() != ["1", "0"]


def ping(host: str, count: int = 3, timeout: int = 1000, **more):
    values = [(PING + "Host", host, "xsd:string"),
              (PING + "NumberOfRepetitions", str(count), "xsd:unsignedInt"),
              (PING + "Timeout", str(timeout), "xsd:unsignedInt")]
    values += [(PING + k, str(v), "xsd:unsignedInt" if isinstance(v, int) else "xsd:string") for k, v in more.items()]
    return SetParameterValues(values + [(PING + "DiagnosticsState", "Requested", "xsd:string")], key="ping")


class DiagCase(E2ECase):
    def spv_faults(self, exchange) -> dict:
        self.assertIsNotNone(exchange.fault, "%s was accepted" % exchange.method)
        self.assertEqual(exchange.fault.code, 9003)
        return {n: c for n, c, _s in exchange.fault.spv_faults}

    def cr(self, acs):
        r = acs.connection_request("http://127.0.0.1:%d/cr" % self.cr_port, "cr", "cr")
        self.assertIn(r.status, (200, 204), "connection request refused: %s" % (r,))

    def download_cost(self, url):
        """Runs a DownloadDiagnostics of `url`; returns its result values, its
        seconds (BOMTime to EOMTime) and cwmpd's CPU meanwhile (user, system s,
        from /proc/PID/stat: from the Requested session to the one reading the results)."""
        down = DIAG_ROOT + "DownloadDiagnostics."
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        acs.queue(SetParameterValues([(down + "DownloadURL", url, "xsd:string"),
                                      (down + "DiagnosticsState", "Requested", "xsd:string")]))
        self.assertDone(acs.wait_for_session(10))
        tick = os.sysconf("SC_CLK_TCK")

        def cpu():
            with open("/proc/%d/stat" % cpe.pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return int(fields[11]) / tick, int(fields[12]) / tick  # utime, stime
        u0, s0 = cpu()
        acs.queue(GetParameterValues([down]))
        done = acs.wait_for_session(60)
        u1, s1 = cpu()
        v = {k[len(down):]: val for k, (val, _t) in done.find("GetParameterValues").result.items()}
        self.assertEqual(v["DiagnosticsState"], "Complete")
        seconds = parse_datetime(v["EOMTime"]) - parse_datetime(v["BOMTime"])
        return v, seconds, u1 - u0, s1 - s0


@unittest.skipUnless(can_ping(), "ICMP needs root or net.ipv4.ping_group_range")
class IPPing(DiagCase):
    def test_ping_loopback_v4_and_v6(self):
        acs, conf = self.setup_cpe(defaults=CR)
        self.start_cwmpd(conf)
        acs.queue(GetParameterValues([DIAG_ROOT + "IPv4PingSupported", DIAG_ROOT + "IPv6PingSupported",
                                      DIAG_ROOT + "IPv4TraceRouteSupported"]), ping("127.0.0.1", 3, DSCP=10))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        caps = s1.find("GetParameterValues").result
        # Root (or ping_group_range) here: both work, and say so; TraceRoute's flag follows what runs.
        self.assertEqual(caps[DIAG_ROOT + "IPv4PingSupported"][0], "true")
        self.assertEqual(caps[DIAG_ROOT + "IPv6PingSupported"][0], "true")
        acs.queue(GetParameterValues([PING]), ping("::1", 2, ProtocolVersion="IPv6", DataBlockSize=1000))
        # The IPv6 run's 8 DIAGNOSTICS COMPLETE session (the one after s2) reads the results.
        acs.add_session([GetParameterValues([PING])], match=lambda s: s.index > s1.index + 1)
        s2 = acs.wait_for_session(15)
        self.assertDone(s2)
        self.assertEvents(s2, [DIAG])
        v = {k: val for k, (val, _t) in s2.find("GetParameterValues").result.items()}
        self.assertEqual(v[PING + "DiagnosticsState"], "Complete")
        self.assertEqual((v[PING + "SuccessCount"], v[PING + "FailureCount"]), ("3", "0"))
        self.assertEqual(v[PING + "IPAddressUsed"], "127.0.0.1")
        mn, avg, mx = (int(v[PING + n + "ResponseTimeDetailed"]) for n in ("Minimum", "Average", "Maximum"))
        self.assertTrue(0 < mn <= avg <= mx < 1_000_000, (mn, avg, mx))
        self.assertEqual(int(v[PING + "AverageResponseTime"]), avg // 1000)
        s3 = acs.wait_for_session(15)
        self.assertEvents(s3, [DIAG])
        v6 = {k: val for k, (val, _t) in s3.find("GetParameterValues").result.items()}
        self.assertEqual(v6[PING + "DiagnosticsState"], "Complete")
        self.assertEqual((v6[PING + "SuccessCount"], v6[PING + "IPAddressUsed"]), ("2", "::1"))

    def test_unknown_host(self):
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        acs.queue(ping("no-such-host.invalid", 1))
        self.assertDone(acs.wait_for_session(10))
        acs.queue(GetParameterValues([PING + "DiagnosticsState"]))
        s2 = acs.wait_for_session(15)
        self.assertEvents(s2, [DIAG])
        self.assertEqual(s2.find("GetParameterValues").result[PING + "DiagnosticsState"][0],
                         "Error_CannotResolveHostName")

    def test_wrong_family_cannot_resolve(self):
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        acs.queue(ping("::1", 1, ProtocolVersion="IPv4"))
        self.assertDone(acs.wait_for_session(10))
        acs.queue(GetParameterValues([PING + "DiagnosticsState"]))
        s2 = acs.wait_for_session(15)
        self.assertEqual(s2.find("GetParameterValues").result[PING + "DiagnosticsState"][0],
                         "Error_CannotResolveHostName")

    def test_bad_values_refused_with_9007(self):
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        u = "xsd:unsignedInt"
        acs.queue(SetParameterValues([(PING + "NumberOfRepetitions", "0", u)]),
                  SetParameterValues([(PING + "DataBlockSize", "0", u)]),
                  SetParameterValues([(PING + "DataBlockSize", "65536", u)]),
                  SetParameterValues([(PING + "DSCP", "64", u)]),
                  SetParameterValues([(PING + "DiagnosticsState", "Complete", "xsd:string")]),
                  SetParameterValues([(PING + "Interface", "Device.IP.Interface.99", "xsd:string")]),
                  GetParameterValues([PING + "NumberOfRepetitions", PING + "DataBlockSize", PING + "DiagnosticsState"]))
        s = acs.wait_for_session(10)
        self.assertDone(s)
        spvs = [s.find("SetParameterValues", i) for i in range(6)]
        names = ["NumberOfRepetitions", "DataBlockSize", "DataBlockSize", "DSCP", "DiagnosticsState", "Interface"]
        for x, name in zip(spvs, names):
            self.assertEqual(self.spv_faults(x), {PING + name: 9007}, name)
        v = s.find("GetParameterValues").result
        self.assertEqual((v[PING + "NumberOfRepetitions"][0], v[PING + "DataBlockSize"][0]), ("3", "56"))
        self.assertEqual(v[PING + "DiagnosticsState"][0], "None")

    def test_requested_twice_latest_wins(self):
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        # Both in one session: the run starts after it, with the latest inputs, once.
        acs.queue(ping("no-such-host.invalid", 1), ping("127.0.0.1", 2))
        self.assertDone(acs.wait_for_session(10))
        acs.queue(GetParameterValues([PING]))
        s2 = acs.wait_for_session(15)
        self.assertEvents(s2, [DIAG])
        v = s2.find("GetParameterValues").result
        self.assertEqual((v[PING + "DiagnosticsState"][0], v[PING + "SuccessCount"][0]), ("Complete", "2"))
        self.assertEqual(len(re.findall(r"IPPing\. started", self.daemons[0].log(whole=True))), 1)

    def test_changed_input_or_canceled_resets_to_none(self):
        acs, conf = self.setup_cpe(defaults=CR)
        self.start_cwmpd(conf)
        # Requested, then another input changed in a later SetParameterValues
        # of the same session: back to None, nothing runs.
        acs.queue(ping("127.0.0.1", 1), SetParameterValues([(PING + "Timeout", "500", "xsd:unsignedInt")]),
                  GetParameterValues([PING + "DiagnosticsState"]))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertEqual(s1.find("GetParameterValues").result[PING + "DiagnosticsState"][0], "None")
        acs.queue(ping("127.0.0.1", 1), SetParameterValues([(PING + "DiagnosticsState", "Canceled", "xsd:string")]),
                  GetParameterValues([PING + "DiagnosticsState"]))
        self.cr(acs)
        s2 = acs.wait_for_session(10)
        self.assertEqual(s2.find("GetParameterValues").result[PING + "DiagnosticsState"][0], "None")
        # A later session opened by a connection request carries no 8 DIAGNOSTICS COMPLETE.
        self.cr(acs)
        s3 = acs.wait_for_session(10)
        self.assertEvents(s3, [("6 CONNECTION REQUEST", "")])
        self.assertNotIn("IPPing. started", self.daemons[0].log(whole=True))

    def test_supported_flags_say_what_runs(self):
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        acs.queue(GetParameterValues([DIAG_ROOT]))
        s = acs.wait_for_session(10)
        v = {k: val for k, (val, _t) in s.find("GetParameterValues").result.items()}
        flags = {k[len(DIAG_ROOT):]: val for k, val in v.items() if k.endswith("Supported") and k.count(".") == 3}
        # Root here: every diagnostic of the profile runs, both families; IPLayerCapacity does not.
        for kind in ("Ping", "TraceRoute", "DownloadDiagnostics", "UploadDiagnostics", "UDPEchoDiagnostics",
                     "ServerSelectionDiagnostics"):
            for fam in ("IPv4", "IPv6"):
                self.assertEqual(flags[fam + kind + "Supported"], "true", fam + kind)
        self.assertEqual(flags["IPLayerCapacitySupported"], "false")
        self.assertEqual(v[DIAG_ROOT + "DownloadDiagnostics.DownloadTransports"], "HTTP,FTP")
        self.assertEqual(v[DIAG_ROOT + "UploadDiagnostics.UploadTransports"], "HTTP,FTP")
        self.assertEqual(v[DIAG_ROOT + "UDPEchoConfig.EchoPlusSupported"], "true")
        # Nothing ran yet: every DiagnosticsState is None.
        states = {k: val for k, val in v.items() if k.endswith(".DiagnosticsState")}
        self.assertEqual(set(states.values()), {"None"}, states)


ECHO = DIAG_ROOT + "UDPEchoDiagnostics."
ECHO_CFG = DIAG_ROOT + "UDPEchoConfig."
SELECT = DIAG_ROOT + "ServerSelectionDiagnostics."


class UDPEcho(DiagCase):
    def test_echo_server_and_client(self):
        import socket
        import struct
        from harness import free_port
        port = free_port()
        acs, conf = self.setup_cpe(defaults=CR)
        self.start_cwmpd(conf)
        # The CPE's echo server (UDPEchoConfig), Echo Plus on, answering only 127.0.0.1.
        acs.queue(SetParameterValues([(ECHO_CFG + "UDPPort", str(port), "xsd:unsignedInt"),
                                      (ECHO_CFG + "SourceIPAddress", "127.0.0.1", "xsd:string"),
                                      (ECHO_CFG + "EchoPlusEnabled", "true", "xsd:boolean"),
                                      (ECHO_CFG + "Enable", "true", "xsd:boolean")]))
        self.assertDone(acs.wait_for_session(10))
        self.daemons[0].wait_log("UDPEchoConfig: serving UDP port %d" % port, 5)
        sizes = [20, 64, 1000]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(2)
            for i, n in enumerate(sizes, 1):
                t0 = int(time.time() * 1e6) & 0xffffffff
                s.sendto(struct.pack("!I", 1000 + i) + bytes(n - 4), ("127.0.0.1", port))
                data, _ = s.recvfrom(2048)
                self.assertEqual(len(data), n)
                gen, resp, rcv, reply, fails = struct.unpack("!5I", data[:20])
                self.assertEqual((gen, resp, fails), (1000 + i, i, 0))     # TR-143 A.1.4 fields
                self.assertLessEqual(rcv, reply)
                self.assertLess((rcv - t0) & 0xffffffff, 2_000_000)       # the server's µs clock, now
        # From another source (::1): ignored and not counted.
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s6:
            s6.settimeout(0.3)
            s6.sendto(bytes(24), ("::1", port))
            with self.assertRaises(socket.timeout):
                s6.recvfrom(2048)
        # The client against that server: three echoes, individual results.
        acs.queue(SetParameterValues([(ECHO + "Host", "127.0.0.1", "xsd:string"),
                                      (ECHO + "Port", str(port), "xsd:unsignedInt"),
                                      (ECHO + "NumberOfRepetitions", "3", "xsd:unsignedInt"),
                                      (ECHO + "InterTransmissionTime", "50", "xsd:unsignedInt"),
                                      (ECHO + "DataBlockSize", "100", "xsd:unsignedInt"),
                                      (ECHO + "EnableIndividualPacketResults", "true", "xsd:boolean"),
                                      (ECHO + "DiagnosticsState", "Requested", "xsd:string")]))
        acs.add_session([GetParameterValues([ECHO, ECHO_CFG])],
                        match=lambda x: any(c == DIAG[0] for c, _k in x.events))
        self.cr(acs)
        self.assertDone(acs.wait_for_session(10))
        done = acs.wait_for_session(15)
        self.assertEvents(done, [DIAG])
        v = {k: val for k, (val, _t) in done.find("GetParameterValues").result.items()}
        self.assertEqual((v[ECHO + "DiagnosticsState"], v[ECHO + "SuccessCount"], v[ECHO + "FailureCount"]),
                         ("Complete", "3", "0"))
        self.assertEqual(v[ECHO + "IPAddressUsed"], "127.0.0.1")
        self.assertEqual(v[ECHO + "IndividualPacketResultNumberOfEntries"], "3")
        self.assertTrue(0 < int(v[ECHO + "MinimumResponseTime"]) <= int(v[ECHO + "AverageResponseTime"])
                        <= int(v[ECHO + "MaximumResponseTime"]) < 1_000_000)
        for i in (1, 2, 3):
            row = ECHO + "IndividualPacketResult.%d." % i
            self.assertEqual((v[row + "PacketSuccess"], v[row + "TestGenSN"], v[row + "TestRespSN"]),
                             ("true", str(i), str(3 + i)))  # the server answered 3 before
        gap = parse_datetime(v[ECHO + "IndividualPacketResult.2.PacketSendTime"]) - \
            parse_datetime(v[ECHO + "IndividualPacketResult.1.PacketSendTime"])
        self.assertGreaterEqual(gap, 0.049, "InterTransmissionTime 50 ms")
        # The server's counters: 3 + 3 packets (the ignored one not counted), UDP header included.
        self.assertEqual((v[ECHO_CFG + "PacketsReceived"], v[ECHO_CFG + "PacketsResponded"]), ("6", "6"))
        self.assertEqual(int(v[ECHO_CFG + "BytesReceived"]), sum(sizes) + 3 * 100 + 6 * 8)
        self.assertEqual(v[ECHO_CFG + "BytesResponded"], v[ECHO_CFG + "BytesReceived"])
        self.assertLess(parse_datetime(v[ECHO_CFG + "TimeFirstPacketReceived"]),
                        parse_datetime(v[ECHO_CFG + "TimeLastPacketReceived"]))
        # ServerSelection over UDP Echo: the entry that answers (the CPE's own server) is the fastest.
        dead = free_port()
        acs.queue(SetParameterValues([(SELECT + "HostList", "127.0.0.1:%d,127.0.0.1:%d" % (dead, port), "xsd:string"),
                                      (SELECT + "Protocol", "UDP Echo", "xsd:string"),
                                      (SELECT + "NumberOfRepetitions", "2", "xsd:unsignedInt"),
                                      (SELECT + "Timeout", "300", "xsd:unsignedInt"),
                                      (SELECT + "DiagnosticsState", "Requested", "xsd:string")]))
        acs.add_session([GetParameterValues([SELECT])], match=lambda x: any(c == DIAG[0] for c, _k in x.events))
        self.cr(acs)
        self.assertDone(acs.wait_for_session(10))
        sel = acs.wait_for_session(15)
        v = {k: val for k, (val, _t) in sel.find("GetParameterValues").result.items()}
        self.assertEqual((v[SELECT + "DiagnosticsState"], v[SELECT + "FastestHost"]),
                         ("Complete", "127.0.0.1:%d" % port))
        self.assertTrue(0 < int(v[SELECT + "MinimumResponseTime"]) <= int(v[SELECT + "AverageResponseTime"]))

    def test_echo_to_nobody_fails_each_packet(self):
        from harness import free_port
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        acs.queue(SetParameterValues([(ECHO + "Host", "127.0.0.1", "xsd:string"),
                                      (ECHO + "Port", str(free_port()), "xsd:unsignedInt"),
                                      (ECHO + "NumberOfRepetitions", "2", "xsd:unsignedInt"),
                                      (ECHO + "Timeout", "200", "xsd:unsignedInt"),
                                      (ECHO + "InterTransmissionTime", "10", "xsd:unsignedInt"),
                                      (ECHO + "DiagnosticsState", "Requested", "xsd:string")]),
                  SetParameterValues([(ECHO + "DataBlockSize", "19", "xsd:unsignedInt")]))
        s1 = acs.wait_for_session(10)
        self.assertEqual(self.spv_faults(s1.find("SetParameterValues", 1)), {ECHO + "DataBlockSize": 9007})
        acs.queue(GetParameterValues([ECHO]))
        done = acs.wait_for_session(15)
        v = {k: val for k, (val, _t) in done.find("GetParameterValues").result.items()}
        self.assertEqual((v[ECHO + "DiagnosticsState"], v[ECHO + "SuccessCount"], v[ECHO + "FailureCount"]),
                         ("Complete", "0", "2"))


@unittest.skipUnless(can_ping(), "ICMP needs root or net.ipv4.ping_group_range")
class ServerSelection(DiagCase):
    def test_fastest_of_the_list(self):
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        acs.queue(SetParameterValues([(SELECT + "HostList", "no-such-host.invalid,127.0.0.1", "xsd:string"),
                                      (SELECT + "Protocol", "ICMP", "xsd:string"),
                                      (SELECT + "NumberOfRepetitions", "2", "xsd:unsignedInt"),
                                      (SELECT + "Timeout", "500", "xsd:unsignedInt"),
                                      (SELECT + "DiagnosticsState", "Requested", "xsd:string")]))
        self.assertDone(acs.wait_for_session(10))
        acs.queue(GetParameterValues([SELECT]))
        done = acs.wait_for_session(15)
        self.assertEvents(done, [DIAG])
        v = {k: val for k, (val, _t) in done.find("GetParameterValues").result.items()}
        self.assertEqual((v[SELECT + "DiagnosticsState"], v[SELECT + "FastestHost"]), ("Complete", "127.0.0.1"))
        self.assertEqual(v[SELECT + "IPAddressUsed"], "127.0.0.1")
        self.assertTrue(0 < int(v[SELECT + "MinimumResponseTime"]) <= int(v[SELECT + "AverageResponseTime"]))


class DownloadCost(DiagCase):
    """The agent's CPU for a 100 MB DownloadDiagnostics over loopback (a figure;
    the bound is loose: the bytes are read and dropped, so the cost is the kernel's
    copy plus libcurl's parsing)."""

    def test_cpu_of_a_100_mb_download(self):
        import http.server
        import socketserver
        import threading
        size = 100_000_000

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                chunk, left = bytes(1 << 20), size
                while left:
                    self.wfile.write(chunk[:min(left, len(chunk))])
                    left -= min(left, len(chunk))

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        v, seconds, user, system = self.download_cost("http://127.0.0.1:%d/big" % server.server_address[1])
        self.assertGreater(int(v["TestBytesReceived"]), size)
        sys.stderr.write("FIGURE 100 MB DownloadDiagnostics over loopback in %.2f s: cwmpd user %.2f s, system %.2f s\n"
                         % (seconds, user, system))
        self.assertLess(user + system, 3.0)


class FtpDownloadCost(DiagCase):
    """The agent's CPU for a 100 MB DownloadDiagnostics over FTP on loopback (a
    figure, with the HTTP one's loose bound: libcurl reads the data connection
    and the bytes are dropped; the control connection is a few lines)."""

    def test_cpu_of_a_100_mb_ftp_download(self):
        from ftp_support import FtpServer, ftp_python
        if ftp_python() is None:
            self.skipTest("no python with pyftpdlib (tools/setup installs python3-pyftpdlib)")
        size = 100_000_000
        server = FtpServer(os.path.join(self.dir, "ftp"), {"big.bin": size}, addresses=["127.0.0.1"])
        self.addCleanup(server.stop)
        v, seconds, user, system = self.download_cost("ftp://127.0.0.1:%d/big.bin" % server.port)
        # The file's bytes, and of the control connection at most its transfer-complete reply.
        self.assertGreaterEqual(int(v["TestBytesReceived"]), size)
        self.assertLess(int(v["TestBytesReceived"]), size + 200)
        sys.stderr.write("FIGURE 100 MB FTP DownloadDiagnostics over loopback in %.2f s (%.0f Mbit/s): "
                         "cwmpd user %.2f s, system %.2f s\n"
                         % (seconds, size * 8 / 1e6 / seconds, user, system))
        self.assertLess(user + system, 3.0)
