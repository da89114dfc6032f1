"""The ACS's RPCs over the wire: parameters, objects, attributes, ScheduleInform,
passive notification."""

import time
import unittest

from harness import (EXIT_OK, MS, AddObject, DeleteObject, E2ECase, GetParameterAttributes,
                     GetParameterNames, GetParameterValues, GetRPCMethods, ScheduleInform,
                     SetParameterAttributes, SetParameterValues)

from probe_rpcs import ProbeRpcs

DNS = "Device.DNS.Client."


class SimProbe(ProbeRpcs, E2ECase):
    """The probe-style RPC checks every board passes (probe_rpcs.py), on the sim;
    test_linux.LinuxProbe runs the same on the Linux host."""
    CR = {MS + "ConnectionRequestUsername": "cr", MS + "ConnectionRequestPassword": "cr"}

    def probe_start(self):
        # Polled every second: CPU.1.UpTime changes every second by itself.
        acs, conf = self.setup_cpe(defaults=self.CR, notification_poll_interval=1)
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        return acs, cpe

    def probe_session(self, acs, cpe):
        s = self.kick(acs, "cr", "cr")
        self.assertDone(s)
        return s

    def probe_writable(self, values):
        return DNS + "Enable"

    def probe_changing(self, values):
        return "Device.DeviceInfo.ProcessStatus.CPU.1.UpTime", lambda: time.sleep(1.5)


class ParametersAndObjects(E2ECase):
    def test_get_set_add_delete(self):
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        # Session 1: values, a good and a refused SetParameterValues.
        acs.queue(
            GetRPCMethods(),
            GetParameterValues([MS]),
            SetParameterValues([(MS + "PeriodicInformInterval", "1234", "xsd:unsignedInt"),
                                ("Device.DeviceInfo.ProvisioningCode", "e2e-prov", "xsd:string")], key="k1"),
            GetParameterValues([MS + "ParameterKey", MS + "PeriodicInformInterval"]),
            SetParameterValues([("Device.DeviceInfo.SoftwareVersion", "9.9", "xsd:string"),         # read-only
                                (MS + "PeriodicInformInterval", "often", "xsd:unsignedInt"),      # bad value
                                ("Device.DeviceInfo.NoSuchParameter", "1", "xsd:string"),         # no such name
                                (MS + "PeriodicInformEnable", "true", "xsd:boolean")], key="bad"),  # good
            GetParameterValues([MS + "ParameterKey", MS + "PeriodicInformInterval",
                                MS + "PeriodicInformEnable"]),
            ScheduleInform(1, "next"))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        # The ACS's GetRPCMethods (the CPE asks a new ACS its own first).
        methods = next(e for e in s1.exchanges if e.method == "GetRPCMethods" and e.initiator == "acs").result
        for m in ("GetRPCMethods", "GetParameterNames", "GetParameterValues", "SetParameterValues",
                  "GetParameterAttributes", "SetParameterAttributes", "AddObject", "DeleteObject",
                  "Reboot", "Download", "FactoryReset", "ScheduleInform"):
            self.assertIn(m, methods)

        # A partial path: every parameter under it, and only those.
        ms = s1.find("GetParameterValues", 0)
        self.assertOk(ms)
        self.assertTrue(all(n.startswith(MS) for n in ms.result), "names outside %s" % MS)
        for n in ("URL", "PeriodicInformEnable", "PeriodicInformInterval", "ParameterKey",
                  "ConnectionRequestURL", "CWMPRetryMinimumWaitInterval", "InformParameterNumberOfEntries"):
            self.assertIn(MS + n, ms.result)
        self.assertEqual(ms.result[MS + "URL"], (acs.url, "xsd:string"))
        self.assertEqual(ms.result[MS + "PeriodicInformInterval"][1], "xsd:unsignedInt")
        self.assertEqual(ms.result[MS + "PeriodicInformEnable"][1], "xsd:boolean")
        self.assertEqual(ms.result[MS + "CWMPRetryMinimumWaitInterval"][0], "1")   # configured default
        # Passwords read as empty (TR-069 A.3.2.2).
        self.assertEqual(ms.result.get(MS + "Password", ("", ""))[0], "")

        spv = s1.find("SetParameterValues", 0)
        self.assertOk(spv)
        self.assertIn(spv.result, (0, 1))
        after = s1.find("GetParameterValues", 1)
        self.assertEqual(self.value(after, MS + "ParameterKey"), "k1")
        self.assertEqual(self.value(after, MS + "PeriodicInformInterval"), "1234")

        # The refused one: 9003 with one SetParameterValuesFault per bad parameter, nothing applied.
        bad = s1.find("SetParameterValues", 1)
        self.assertIsNotNone(bad.fault, "an invalid SetParameterValues was accepted")
        self.assertEqual(bad.fault.code, 9003)
        faults = {n: c for n, c, _s in bad.fault.spv_faults}
        self.assertEqual(faults, {"Device.DeviceInfo.SoftwareVersion": 9008,
                                  MS + "PeriodicInformInterval": 9007,
                                  "Device.DeviceInfo.NoSuchParameter": 9005})
        unchanged = s1.find("GetParameterValues", 2)
        self.assertEqual(self.value(unchanged, MS + "ParameterKey"), "k1")
        self.assertEqual(self.value(unchanged, MS + "PeriodicInformInterval"), "1234")
        self.assertIn(self.value(unchanged, MS + "PeriodicInformEnable"), ("false", "0"),
                      "a refused SetParameterValues applied part of its list")

        # Session 2 (ScheduleInform): the Inform carries the new ParameterKey and ProvisioningCode.
        acs.queue(
            AddObject(DNS + "Server.", key="k2"),
            lambda s: GetParameterValues([DNS + "Server.%d." % s.find("AddObject").result[0],
                                          DNS + "ServerNumberOfEntries"]),
            lambda s: SetParameterValues([(DNS + "Server.%d.DNSServer" % s.find("AddObject").result[0],
                                           "192.0.2.53", "xsd:string")], key="k3"),
            lambda s: GetParameterValues([DNS + "Server.%d.DNSServer" % s.find("AddObject").result[0]]),
            GetParameterNames(DNS, next_level=True),
            GetParameterNames(DNS + "Server.", next_level=False),
            lambda s: DeleteObject(DNS + "Server.%d." % s.find("AddObject").result[0], key="k4"),
            lambda s: GetParameterValues([DNS + "Server.%d." % s.find("AddObject").result[0]]),
            GetParameterValues([DNS + "ServerNumberOfEntries", MS + "ParameterKey"]),
            SetParameterAttributes([{"name": DNS + "Enable", "notification": 2, "access_list": ["Subscriber"]},
                                    (MS + "PeriodicInformInterval", 1)]),
            GetParameterAttributes([DNS + "Enable", MS + "PeriodicInformInterval", MS + "URL"]),
            GetParameterAttributes([DNS]),
            ScheduleInform(1, "last"))
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertEvents(s2, [("3 SCHEDULED", ""), ("M ScheduleInform", "next")])
        self.assertEqual(s2.parameters[MS + "ParameterKey"][0], "k1")
        self.assertEqual(s2.parameters["Device.DeviceInfo.ProvisioningCode"][0], "e2e-prov")

        add = s2.find("AddObject")
        self.assertOk(add)
        inst, status = add.result
        self.assertIsInstance(inst, int)
        self.assertGreaterEqual(inst, 1)
        self.assertIn(status, (0, 1))
        new = s2.find("GetParameterValues", 0)
        self.assertOk(new)
        for leaf in ("Enable", "DNSServer", "Status", "Type", "Alias", "Interface"):
            self.assertIn(DNS + "Server.%d.%s" % (inst, leaf), new.result)
        self.assertEqual(self.value(new, DNS + "Server.%d.Enable" % inst), "false")
        count = int(self.value(new, DNS + "ServerNumberOfEntries"))
        self.assertGreaterEqual(count, 1)
        self.assertOk(s2.find("SetParameterValues"))
        self.assertEqual(self.value(s2.find("GetParameterValues", 1), DNS + "Server.%d.DNSServer" % inst),
                         "192.0.2.53")

        gpn = s2.find("GetParameterNames", 0)
        self.assertOk(gpn)
        self.assertIn(DNS + "Server.", gpn.result)
        self.assertIn(DNS + "Enable", gpn.result)
        self.assertIs(gpn.result[DNS + "Enable"], True)
        self.assertIs(gpn.result[DNS + "ServerNumberOfEntries"], False)
        self.assertTrue(all(n[len(DNS):].rstrip(".").count(".") == 0 for n in gpn.result),
                        "NextLevel true returned deeper names: %s" % sorted(gpn.result))
        self.assertNotIn(DNS, gpn.result)
        full = s2.find("GetParameterNames", 1)
        self.assertOk(full)
        self.assertIn(DNS + "Server.%d." % inst, full.result)
        self.assertIs(full.result[DNS + "Server.%d.DNSServer" % inst], True)
        self.assertIs(full.result[DNS + "Server.%d.Status" % inst], False)

        dele = s2.find("DeleteObject")
        self.assertOk(dele)
        self.assertIn(dele.result, (0, 1))
        gone = s2.find("GetParameterValues", 2)
        self.assertIsNotNone(gone.fault, "the deleted instance still answers")
        self.assertEqual(gone.fault.code, 9005)
        self.assertEqual(int(self.value(s2.find("GetParameterValues", 3), DNS + "ServerNumberOfEntries")),
                         count - 1)
        self.assertEqual(self.value(s2.find("GetParameterValues", 3), MS + "ParameterKey"), "k4")

        self.assertOk(s2.find("SetParameterAttributes"))
        attrs = s2.find("GetParameterAttributes", 0).result
        self.assertEqual(attrs[DNS + "Enable"], (2, ["Subscriber"]))
        self.assertEqual(attrs[MS + "PeriodicInformInterval"], (1, []))
        self.assertEqual(attrs[MS + "URL"], (0, []))
        partial = s2.find("GetParameterAttributes", 1)
        self.assertOk(partial)
        self.assertEqual(partial.result.get(DNS + "Enable"), (2, ["Subscriber"]))
        self.assertTrue(all(n.startswith(DNS) for n in partial.result))

        s3 = acs.wait_for_session(10)
        self.assertEvents(s3, [("3 SCHEDULED", ""), ("M ScheduleInform", "last")])
        self.assertEqual(s3.parameters[MS + "ParameterKey"][0], "k4")
        self.assertEqual(cpe.stop(), EXIT_OK)


class Scheduled(E2ECase):
    def test_schedule_inform(self):
        """ScheduleInform(1, "s1"): about 1 s later a session with 3 SCHEDULED and
        M ScheduleInform s1 (TR-069 A.4.1.5)."""
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        acs.queue(ScheduleInform(1, "s1"))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        ex = s1.find("ScheduleInform")
        self.assertOk(ex)
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertEvents(s2, [("3 SCHEDULED", ""), ("M ScheduleInform", "s1")])
        delay = s2.started_at - ex.sent_at
        self.assertGreaterEqual(delay, 0.0)
        self.assertLessEqual(delay, 2.5, "the scheduled Inform came %.2f s after the request" % delay)
        self.assertStaysUp(cpe, 1.5)
        self.assertEqual(len(acs.sessions), 2, "a ScheduleInform is one-shot")
        self.assertEqual(cpe.stop(), EXIT_OK)


class PassiveNotification(E2ECase):
    def test_value_change(self):
        """Notification=1 on a parameter that changes by itself (UpTime, canDeny:
        passive allowed, active refused with 9009): the next periodic Inform carries
        4 VALUE CHANGE and the parameter (TR-069 A.3.2.4, 3.7.1.5)."""
        uptime = "Device.DeviceInfo.UpTime"
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        acs.queue(SetParameterAttributes([(uptime, 2)]),
                  SetParameterAttributes([(uptime, 1)]),
                  GetParameterAttributes([uptime]),
                  GetParameterValues([uptime]),
                  SetParameterValues([(MS + "PeriodicInformInterval", "2", "xsd:unsignedInt"),
                                      (MS + "PeriodicInformEnable", "true", "xsd:boolean")]))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        active = s1.find("SetParameterAttributes", 0)
        self.assertIsNotNone(active.fault, "active notification on a canDeny parameter was accepted")
        self.assertEqual(active.fault.code, 9009)
        self.assertOk(s1.find("SetParameterAttributes", 1))
        self.assertEqual(s1.find("GetParameterAttributes").result[uptime][0], 1)
        first = int(self.value(s1.find("GetParameterValues"), uptime))
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertIn(("2 PERIODIC", ""), s2.events)
        with self.subTest("the first Inform after the attribute was set"):
            # UpTime changed since SetParameterAttributes: this Inform must report it.
            self.assertIn(("4 VALUE CHANGE", ""), s2.events)
            self.assertIn(uptime, s2.parameters)
            self.assertGreater(int(s2.parameters[uptime][0]), first)
            self.assertEqual(s2.parameters[uptime][1], "xsd:unsignedInt")
        # And every later one (UpTime keeps changing); passive: no session of its own.
        s3 = acs.wait_for_session(10)
        self.assertIn(("2 PERIODIC", ""), s3.events)
        self.assertIn(("4 VALUE CHANGE", ""), s3.events)
        self.assertIn(uptime, s3.parameters)
        self.assertGreater(int(s3.parameters[uptime][0]), first)
        self.assertGreater(s3.started_at - s2.started_at, 1.0)
        self.assertEqual(cpe.stop(), EXIT_OK)


class ConnectionRequest(E2ECase):
    def test_connection_request(self):
        """TR-069 3.2.2: an authenticated GET on ConnectionRequestURL opens a session
        with 6 CONNECTION REQUEST; wrong credentials are refused (401), no session."""
        acs, conf = self.setup_cpe(defaults={MS + "ConnectionRequestUsername": "cr-user",
                                             MS + "ConnectionRequestPassword": "cr-pass"})
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        url = s1.parameters[MS + "ConnectionRequestURL"][0]
        bad = acs.connection_request(url, "cr-user", "nope")
        self.assertEqual(bad.status, 401, bad)
        time.sleep(0.5)
        self.assertEqual(len(acs.sessions), 1, "a connection request with a wrong password opened a session")
        t_cr = time.time()
        good = acs.connection_request(url, "cr-user", "cr-pass")
        self.assertTrue(good.ok, good)
        s2 = acs.wait_for_session(5)
        self.assertDone(s2)
        self.assertEvents(s2, [("6 CONNECTION REQUEST", "")])
        self.assertLess(s2.started_at - t_cr, 2.0, "the session came late after the connection request")
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
