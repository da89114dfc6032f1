"""A TR-098 root model end to end: cwmpd running board sim-igd, which binds the
igd profile (models/profiles/igd.xml, InternetGatewayDevice:1), against the
test ACS.  The Inform's DeviceId comes from InternetGatewayDevice.DeviceInfo.
and its ParameterList names TR-098 paths only; GetParameterNames (NextLevel
true and false), GetParameterValues and SetParameterValues with the
ParameterKey answer below InternetGatewayDevice.; a Device: path is no name
of this model; the IP ping diagnostic runs at
InternetGatewayDevice.IPPingDiagnostics. (TR-098's place for it).  IgdProbe
runs the probe-style checks every board passes (probe_rpcs.py) on it.  Every
CPE message is validated against the CWMP schemas (harness.py)."""

import os
import subprocess
import unittest

from harness import ROOT, E2ECase, GetParameterNames, GetParameterValues, SetParameterValues

from probe_rpcs import ProbeRpcs

IGD = "InternetGatewayDevice."
MS = IGD + "ManagementServer."
INFO = IGD + "DeviceInfo."
ROUTES = IGD + "Layer3Forwarding.Forwarding."
PING = IGD + "IPPingDiagnostics."
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
        self.assertEqual(sorted(top), [IGD + "DeviceInfo.", IGD + "IPPingDiagnostics.",
                                       IGD + "Layer3Forwarding.", IGD + "ManagementServer."])
        self.assertTrue(all(writable is False for writable in top.values()), top)
        every = s.find("GetParameterNames", 1).result
        self.assertTrue(all(n.startswith(IGD) for n in every), [n for n in every if not n.startswith(IGD)])
        for n in (IGD, INFO + "SerialNumber", MS + "URL", MS + "ParameterKey", ROUTES + "1.",
                  ROUTES + "2.GatewayIPAddress", IGD + "Layer3Forwarding.ForwardNumberOfEntries",
                  PING + "DiagnosticsState"):
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


if __name__ == "__main__":
    unittest.main()
