"""A TR-098 root model end to end: cwmpd running board sim-igd, which binds the
igd profile (models/profiles/igd.xml, InternetGatewayDevice:1), against the
test ACS.  The Inform's DeviceId comes from InternetGatewayDevice.DeviceInfo.
and its ParameterList names TR-098 paths only; GetParameterNames (NextLevel
true and false), GetParameterValues and SetParameterValues with the
ParameterKey answer below InternetGatewayDevice.; a Device: path is no name
of this model; the TR-143 diagnostics run at TR-098's places for them, the
root (InternetGatewayDevice.IPPingDiagnostics., TraceRouteDiagnostics.,
DownloadDiagnostics., UploadDiagnostics.; TR-098 has no UDPEchoDiagnostics),
with the test servers of the Device:2 diagnostics tests, and the UDP echo
server answers as InternetGatewayDevice.UDPEchoConfig. says.  IgdProbe
runs the probe-style checks every board passes (probe_rpcs.py) on it.  Every
CPE message is validated against the CWMP schemas (harness.py)."""

import os
import socket
import struct
import subprocess
import threading
import unittest

from harness import ROOT, E2ECase, GetParameterNames, GetParameterValues, SetParameterValues, free_port, \
    parse_datetime

from probe_rpcs import ProbeRpcs
from test_diagnostics import DIAG
from test_diagnostics_paths import FileServer, Server

IGD = "InternetGatewayDevice."
MS = IGD + "ManagementServer."
INFO = IGD + "DeviceInfo."
ROUTES = IGD + "Layer3Forwarding.Forwarding."
PING = IGD + "IPPingDiagnostics."
TRACE = IGD + "TraceRouteDiagnostics."
DOWN = IGD + "DownloadDiagnostics."
UP = IGD + "UploadDiagnostics."
ECHO_CFG = IGD + "UDPEchoConfig."
CR = {MS + "ConnectionRequestUsername": "cr", MS + "ConnectionRequestPassword": "cr"}
CWMPCTL = os.environ.get("CWMPCTL") or os.path.join(ROOT, "build", "tools", "cwmpctl", "cwmpctl")
BOARD = {"board": "sim-igd", "profile": "igd", "root": IGD}


class IgdProbe(ProbeRpcs, E2ECase):
    """The probe-style RPC checks every board passes (probe_rpcs.py), on the
    simulated TR-098 gateway."""
    probe_root = IGD
    # TR-098 names the count of Layer3Forwarding.Forwarding.{i}. ForwardNumberOfEntries.
    probe_counted = {IGD + "Layer3Forwarding.ForwardNumberOfEntries": ROUTES}

    def probe_start(self):
        self.sock = os.path.join(self.dir, "ctl.sock")
        acs, conf = self.setup_cpe(defaults=CR, notification_poll_interval=1, control_socket=self.sock, **BOARD)
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        return acs, cpe

    def probe_session(self, acs, cpe):
        s = self.kick(acs, "cr", "cr")
        self.assertDone(s)
        return s

    def probe_writable(self, values):
        return ROUTES + "1.Enable"

    def probe_changing(self, values):
        # A route's Status, as someone at the box (cwmpctl, not the ACS) switches
        # it off and on.  What changes by itself here (UpTime, MemoryStatus.Free)
        # TR-098 lets the CPE deny active notification, and the agent does.
        enabled = [values[ROUTES + "2.Enable"][0] == "true"]

        def change():
            enabled[0] = not enabled[0]
            p = subprocess.run([CWMPCTL, "-s", self.sock, "set", ROUTES + "2.Enable", str(enabled[0]).lower()],
                               capture_output=True, text=True, timeout=20)
            self.assertEqual(p.returncode, 0, p.stderr)
        return ROUTES + "2.Status", change


class Gateway(E2ECase):
    def start(self, **defaults):
        acs, conf = self.setup_cpe(defaults=dict(CR, **defaults), **BOARD)
        cpe = self.start_cwmpd(conf)
        return acs, cpe

    def test_inform_names_the_gateway(self):
        acs, cpe = self.start()
        acs.queue(GetParameterValues([INFO + "Manufacturer", INFO + "ManufacturerOUI", INFO + "ProductClass",
                                      INFO + "SerialNumber"]))
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEvents(s, [("0 BOOTSTRAP", ""), ("1 BOOT", "")])
        # DeviceId: the values of InternetGatewayDevice.DeviceInfo. (TR-069 A.3.3.1).
        info = s.find("GetParameterValues").result
        self.assertEqual(s.device_id, {"Manufacturer": info[INFO + "Manufacturer"][0],
                                       "OUI": info[INFO + "ManufacturerOUI"][0],
                                       "ProductClass": info[INFO + "ProductClass"][0],
                                       "SerialNumber": info[INFO + "SerialNumber"][0]})
        self.assertEqual(s.device_id, {"Manufacturer": "Example Gateways", "OUI": "00D0B7",
                                       "ProductClass": "HG2400", "SerialNumber": "HGW24A0019C2"})
        # ParameterList: TR-098's Forced Inform parameters the profile has, by their TR-098 names.
        self.assertEqual(sorted(s.parameters), sorted([
            INFO + "HardwareVersion", INFO + "SoftwareVersion", INFO + "ProvisioningCode",
            MS + "AliasBasedAddressing", MS + "ConnectionRequestURL", MS + "ParameterKey"]))
        self.assertEqual(s.parameters[INFO + "SoftwareVersion"][0], "3.8.12")
        self.assertEqual(s.parameters[MS + "ConnectionRequestURL"][0], "http://127.0.0.1:%d/cr" % self.cr_port)
        self.assertEqual(cpe.stop(), 0)

    def test_names_values_and_set(self):
        acs, cpe = self.start()
        acs.queue(
            GetParameterNames(IGD, next_level=True),
            GetParameterNames(IGD, next_level=False),
            GetParameterValues([INFO, ROUTES]),
            SetParameterValues([(MS + "PeriodicInformInterval", "4321", "xsd:unsignedInt"),
                                (ROUTES + "2.Enable", "false", "xsd:boolean"),
                                (INFO + "ProvisioningCode", "tr098", "xsd:string")], key="igd-1"),
            GetParameterValues([MS + "ParameterKey", MS + "PeriodicInformInterval", ROUTES + "2.",
                                INFO + "ProvisioningCode"]),
            # The other root model's path is no name here.
            SetParameterValues([("Device.ManagementServer.PeriodicInformInterval", "60", "xsd:unsignedInt")],
                               key="igd-bad"),
            GetParameterValues([MS + "ParameterKey", MS + "PeriodicInformInterval"]))
        s = acs.wait_for_session(10)
        self.assertDone(s)

        top = s.find("GetParameterNames", 0).result
        self.assertEqual(sorted(top), [IGD + "DeviceInfo.", IGD + "DownloadDiagnostics.", IGD + "IPPingDiagnostics.",
                                       IGD + "Layer3Forwarding.", IGD + "ManagementServer.",
                                       IGD + "TraceRouteDiagnostics.", IGD + "UDPEchoConfig.",
                                       IGD + "UploadDiagnostics."])
        self.assertTrue(all(writable is False for writable in top.values()), top)
        every = s.find("GetParameterNames", 1).result
        self.assertTrue(all(n.startswith(IGD) for n in every), [n for n in every if not n.startswith(IGD)])
        for n in (IGD, INFO + "SerialNumber", MS + "URL", MS + "ParameterKey", ROUTES + "1.",
                  ROUTES + "2.GatewayIPAddress", IGD + "Layer3Forwarding.ForwardNumberOfEntries",
                  PING + "DiagnosticsState", TRACE + "RouteHopsNumberOfEntries", DOWN + "DownloadURL",
                  UP + "TestFileLength", ECHO_CFG + "UDPPort"):
            self.assertIn(n, every)
        self.assertIs(every[ROUTES + "1.Enable"], True)
        self.assertIs(every[INFO + "SerialNumber"], False)

        values = s.find("GetParameterValues", 0).result
        self.assertEqual(values[INFO + "ModelName"], ("HG2400", "xsd:string"))
        self.assertEqual(values[INFO + "UpTime"][1], "xsd:unsignedInt")
        self.assertEqual(values[ROUTES + "1.Type"][0], "Default")
        self.assertEqual(values[ROUTES + "1.GatewayIPAddress"][0], "198.51.100.1")
        self.assertEqual(values[ROUTES + "2.DestIPAddress"][0], "192.168.1.0")
        self.assertEqual(values[ROUTES + "2.Enable"], ("true", "xsd:boolean"))

        self.assertOk(s.find("SetParameterValues", 0))
        after = s.find("GetParameterValues", 1)
        self.assertEqual(self.value(after, MS + "ParameterKey"), "igd-1")
        self.assertEqual(self.value(after, MS + "PeriodicInformInterval"), "4321")
        self.assertEqual(self.value(after, ROUTES + "2.Enable"), "false")
        self.assertEqual(self.value(after, ROUTES + "2.Status"), "Disabled")
        self.assertEqual(self.value(after, INFO + "ProvisioningCode"), "tr098")

        bad = s.find("SetParameterValues", 1)
        self.assertIsNotNone(bad.fault, "a Device: path was set on an InternetGatewayDevice model")
        self.assertEqual(bad.fault.code, 9003)
        self.assertEqual({n: c for n, c, _s in bad.fault.spv_faults},
                         {"Device.ManagementServer.PeriodicInformInterval": 9005})
        unchanged = s.find("GetParameterValues", 2)
        self.assertEqual(self.value(unchanged, MS + "ParameterKey"), "igd-1")
        self.assertEqual(self.value(unchanged, MS + "PeriodicInformInterval"), "4321")

        # What the ACS set survives a restart, and the next Inform says so.
        self.assertEqual(cpe.stop(), 0)
        acs.queue(GetParameterValues([ROUTES + "2.Enable", MS + "PeriodicInformInterval"]))
        self.start_cwmpd(cpe.config)
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertEvents(s2, [("1 BOOT", "")])
        self.assertEqual(s2.parameters[MS + "ParameterKey"][0], "igd-1")
        self.assertEqual(s2.parameters[INFO + "ProvisioningCode"][0], "tr098")
        self.assertEqual(self.value(s2.find("GetParameterValues"), ROUTES + "2.Enable"), "false")
        self.assertEqual(self.value(s2.find("GetParameterValues"), MS + "PeriodicInformInterval"), "4321")

    def test_ping_at_the_tr098_place(self):
        acs, cpe = self.start()
        acs.queue(SetParameterValues([(PING + "Host", "127.0.0.1", "xsd:string"),
                                      (PING + "NumberOfRepetitions", "2", "xsd:unsignedInt"),
                                      (PING + "DiagnosticsState", "Requested", "xsd:string")], key="ping"))
        self.assertDone(acs.wait_for_session(10))
        acs.queue(GetParameterValues([PING]))
        s2 = acs.wait_for_session(15)
        self.assertDone(s2)
        self.assertEvents(s2, [("8 DIAGNOSTICS COMPLETE", "")])
        v = {k: val for k, (val, _t) in s2.find("GetParameterValues").result.items()}
        self.assertEqual(v[PING + "DiagnosticsState"], "Complete")
        self.assertEqual((v[PING + "SuccessCount"], v[PING + "FailureCount"]), ("2", "0"))
        self.assertLess(int(v[PING + "MinimumResponseTime"]), 1000)


    def run_diag(self, acs, obj, inputs):
        """Sets the inputs with DiagnosticsState Requested, at `obj` (a session of
        its own), waits for the 8 DIAGNOSTICS COMPLETE session and returns its
        values of `obj`."""
        acs.add_session([GetParameterValues([obj])], match=lambda x: any(c == DIAG[0] for c, _k in x.events))
        acs.queue(SetParameterValues([(obj + k, v, t) for k, v, t in inputs]
                                     + [(obj + "DiagnosticsState", "Requested", "xsd:string")], key="diag"))
        n = len(acs.sessions)
        s = self.kick(acs, "cr", "cr")
        self.assertIsNone(s.find("SetParameterValues").fault)
        acs.wait_for(lambda: len(acs.sessions) > n + 1 and acs.sessions[n + 1].finished, 30,
                     "the 8 DIAGNOSTICS COMPLETE session")
        done = acs.sessions[n + 1]
        self.assertDone(done)
        self.assertEvents(done, [DIAG])
        return {k: val for k, (val, _t) in done.find("GetParameterValues").result.items()}

    def traceroute_loopback(self):
        acs, cpe = self.start()
        self.assertDone(acs.wait_for_session(10))
        v = self.run_diag(acs, TRACE, [("Host", "127.0.0.1", "xsd:string"),
                                       ("NumberOfTries", "1", "xsd:unsignedInt"),
                                       ("Timeout", "2000", "xsd:unsignedInt")])
        self.assertEqual(cpe.stop(), 0)
        return v

    def test_traceroute_at_the_tr098_place(self):
        v = self.traceroute_loopback()
        self.assertEqual(v[TRACE + "DiagnosticsState"], "Complete")
        # Loopback is one hop, the destination; its row is in TR-098's table.
        self.assertEqual(v[TRACE + "RouteHopsNumberOfEntries"], "1")
        self.assertIn(TRACE + "RouteHops.1.HopHostAddress", v)
        self.assertLess(int(v[TRACE + "ResponseTime"]), 1000)

    # diag/traceroute.cpp names a hop's results as TR-181 does (Host, HostAddress,
    # ErrorCode, RTTimes); TR-098 names them HopHost, ... (the generator's PLACES),
    # and the service writes them there.
    def test_traceroute_hop_row_in_tr098_names(self):
        v = self.traceroute_loopback()
        self.assertEqual(v[TRACE + "RouteHops.1.HopHostAddress"], "127.0.0.1")
        self.assertNotEqual(v[TRACE + "RouteHops.1.HopRTTimes"], "")

    def serve_files(self):
        FileServer.received.clear()
        server = Server(("127.0.0.1", 0), FileServer)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return "http://127.0.0.1:%d" % server.server_address[1]

    def test_download_and_upload_at_the_tr098_places(self):
        url = self.serve_files()
        acs, cpe = self.start()
        self.assertDone(acs.wait_for_session(10))
        size = 300_000
        v = self.run_diag(acs, DOWN, [("DownloadURL", url + "/bytes/%d" % size, "xsd:string")])
        # TR-098's enumeration of a transfer's DiagnosticsState says "Completed"
        # (TR-181's "Complete"): the generator's fallback (runtime_diagnostics.py).
        self.assertEqual(v[DOWN + "DiagnosticsState"], "Completed")
        self.assertGreater(int(v[DOWN + "TestBytesReceived"]), size)          # the body and the headers
        self.assertLess(int(v[DOWN + "TestBytesReceived"]), size + 1000)
        self.assertLessEqual(parse_datetime(v[DOWN + "ROMTime"]), parse_datetime(v[DOWN + "BOMTime"]))
        self.assertLessEqual(parse_datetime(v[DOWN + "BOMTime"]), parse_datetime(v[DOWN + "EOMTime"]))
        # Upload: TestFileLength bytes PUT, the server counts them.
        v = self.run_diag(acs, UP, [("UploadURL", url + "/up", "xsd:string"),
                                    ("TestFileLength", "200000", "xsd:unsignedInt")])
        self.assertEqual(v[UP + "DiagnosticsState"], "Completed")
        self.assertEqual(FileServer.received, [200_000])
        self.assertLessEqual(parse_datetime(v[UP + "BOMTime"]), parse_datetime(v[UP + "EOMTime"]))
        self.assertEqual(cpe.stop(), 0)

    def test_udp_echo_server_at_the_tr098_place(self):
        port = free_port()
        acs, cpe = self.start()
        acs.queue(SetParameterValues([(ECHO_CFG + "UDPPort", str(port), "xsd:unsignedInt"),
                                      (ECHO_CFG + "SourceIPAddress", "127.0.0.1", "xsd:string"),
                                      (ECHO_CFG + "EchoPlusEnabled", "true", "xsd:boolean"),
                                      (ECHO_CFG + "Enable", "true", "xsd:boolean")], key="echo"))
        self.assertDone(acs.wait_for_session(10))
        cpe.wait_log("UDPEchoConfig: serving UDP port %d" % port, 5)
        sizes = [20, 64]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(2)
            for i, n in enumerate(sizes, 1):
                s.sendto(struct.pack("!I", 500 + i) + bytes(n - 4), ("127.0.0.1", port))
                data, _ = s.recvfrom(2048)
                self.assertEqual(len(data), n)
                gen, resp, _rcv, _reply, fails = struct.unpack("!5I", data[:20])
                self.assertEqual((gen, resp, fails), (500 + i, i, 0))     # TR-143 A.1.4 (Echo Plus)
        # The counters, at TR-098's place, in the next session (UDP header included).
        acs.queue(GetParameterValues([ECHO_CFG]))
        s2 = self.kick(acs, "cr", "cr")
        self.assertDone(s2)
        v = {k: val for k, (val, _t) in s2.find("GetParameterValues").result.items()}
        self.assertEqual((v[ECHO_CFG + "PacketsReceived"], v[ECHO_CFG + "PacketsResponded"]), ("2", "2"))
        self.assertEqual(int(v[ECHO_CFG + "BytesReceived"]), sum(sizes) + 2 * 8)
        self.assertEqual(v[ECHO_CFG + "EchoPlusSupported"], "true")
        self.assertEqual(cpe.stop(), 0)


if __name__ == "__main__":
    unittest.main()
