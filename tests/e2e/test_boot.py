"""First start, restart, reboot, factory reset, a new ACS URL, configuration and signals."""

import os
import signal
import time
import unittest

from harness import (CWMPD, EXIT_CONFIG, EXIT_FACTORY_RESET, EXIT_OK, EXIT_REBOOT, MS, E2ECase, FactoryReset,
                     GetParameterAttributes, GetParameterValues, Reboot, ScheduleInform,
                     SetParameterAttributes, SetParameterValues, parse_datetime)
from support_files import store_transfers
from testacs_lib.cwmp import Download, GetAllQueuedTransfers

BOOTSTRAP = ("0 BOOTSTRAP", "")
BOOT = ("1 BOOT", "")


class FirstStart(E2ECase):
    def assertSupportedDataModel(self, gpv, root_version):
        import os
        import re
        import xml.etree.ElementTree as ET
        gen = os.path.join(os.path.dirname(os.path.abspath(CWMPD)), "..", "..", "gen")
        dt_file = os.path.join(gen, "rdk-stb.dt.xml")
        if not os.path.exists(dt_file):
            self.skipTest("no generated DT instance beside this cwmpd (%s)" % dt_file)
        dt = ET.parse(dt_file).getroot()
        root_ref = dt.find("model").get("ref")  # "Device:2"
        spec = next(i.get("spec") for i in dt.findall("import")
                    if any(m.get("name") == root_ref for m in i.findall("model")))
        sdm = "Device.DeviceInfo.SupportedDataModel.1."
        self.assertEqual(self.value(gpv, sdm + "UUID"), dt.get("uuid"))
        self.assertEqual(self.value(gpv, sdm + "URN"), spec)
        self.assertTrue(self.value(gpv, sdm + "URL").endswith("/rdk-stb.dt.xml"))
        # The version the tables were generated from (bbf_pins may hold it back).
        with open(os.path.join(gen, "rdk_stb_schema.cpp")) as f:
            generated = re.search(r'\.root_model = "Device:([0-9.]+)"', f.read()).group(1)
        self.assertEqual(root_version, generated)

    def test_first_inform(self):
        """TR-069 3.7.1.5: a CPE that never talked to this ACS sends 0 BOOTSTRAP and 1 BOOT."""
        acs, conf = self.setup_cpe()
        acs.queue(GetParameterValues(["Device.DeviceInfo."]))
        cpe = self.start_cwmpd(conf)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEvents(s, [BOOTSTRAP, BOOT])
        for k in ("Manufacturer", "OUI", "ProductClass", "SerialNumber"):
            self.assertTrue(s.device_id[k], "DeviceId %s is empty" % k)
        self.assertRegex(s.device_id["OUI"], r"^[0-9A-F]{6}$")
        self.assertEqual(s.max_envelopes, 1)
        self.assertEqual(s.retry_count, 0)
        self.assertLess(abs(parse_datetime(s.current_time) - s.started_at), 5,
                        "CurrentTime %s is not now" % s.current_time)
        for name in ("Device.DeviceInfo.HardwareVersion", "Device.DeviceInfo.SoftwareVersion",
                     "Device.DeviceInfo.ProvisioningCode", MS + "ParameterKey",
                     MS + "ConnectionRequestURL", "Device.RootDataModelVersion"):
            self.assertIn(name, s.parameters)
        self.assertEqual(s.parameters[MS + "ParameterKey"], ("", "xsd:string"))
        self.assertEqual(s.parameters[MS + "ConnectionRequestURL"][0], "http://127.0.0.1:%d/cr" % self.cr_port)
        self.assertRegex(s.parameters["Device.RootDataModelVersion"][0], r"^2\.\d+$")
        self.assertTrue(s.parameters["Device.DeviceInfo.SoftwareVersion"][0])
        # DeviceId agrees with the data model.
        di = "Device.DeviceInfo."
        gpv = s.find("GetParameterValues")
        for k, name in (("Manufacturer", "Manufacturer"), ("OUI", "ManufacturerOUI"),
                        ("ProductClass", "ProductClass"), ("SerialNumber", "SerialNumber")):
            self.assertEqual(self.value(gpv, di + name), s.device_id[k], "DeviceId %s" % k)
        # SupportedDataModel and RootDataModelVersion say what the profile was generated
        # from: the DT instance dmgen wrote (same UUID; URN of the root model's document).
        self.assertSupportedDataModel(gpv, s.parameters["Device.RootDataModelVersion"][0])
        # The session was ended by the ACS: nothing more until a timer is due.
        self.assertStaysUp(cpe, 1.0)
        self.assertEqual(len(acs.sessions), 1)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Restart(E2ECase):
    def test_restart_keeps_state(self):
        """A restart (SIGTERM, start again over the same store) is a BOOT, not a
        BOOTSTRAP, and keeps attributes and runtime values the ACS set."""
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        acs.queue(
            SetParameterValues([(MS + "PeriodicInformInterval", "4321", "xsd:unsignedInt"),
                                (MS + "PeriodicInformEnable", "false", "xsd:boolean")], key="before-restart"),
            SetParameterAttributes([{"name": "Device.DNS.Client.Enable", "notification": 2,
                                     "access_list": ["Subscriber"]},
                                    (MS + "PeriodicInformInterval", 1)]),
            GetParameterAttributes(["Device.DNS.Client.Enable"]))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertEvents(s1, [BOOTSTRAP, BOOT])
        self.assertOk(s1.find("SetParameterValues"))
        self.assertOk(s1.find("SetParameterAttributes"))
        self.assertEqual(s1.find("GetParameterAttributes").result["Device.DNS.Client.Enable"],
                         (2, ["Subscriber"]))
        self.assertEqual(cpe.stop(), EXIT_OK, "SIGTERM should end cwmpd with status 0")

        acs.queue(GetParameterAttributes(["Device.DNS.Client.Enable",
                                          MS + "PeriodicInformInterval"]),
                  GetParameterValues([MS + "PeriodicInformInterval", MS + "PeriodicInformEnable"]))
        cpe.start()
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertEvents(s2, [BOOT])
        self.assertEqual(s2.parameters[MS + "ParameterKey"][0], "before-restart")
        attrs = s2.find("GetParameterAttributes").result
        self.assertEqual(attrs["Device.DNS.Client.Enable"], (2, ["Subscriber"]))
        self.assertEqual(attrs[MS + "PeriodicInformInterval"][0], 1)
        gpv = s2.find("GetParameterValues")
        self.assertEqual(self.value(gpv, MS + "PeriodicInformInterval"), "4321")
        self.assertIn(self.value(gpv, MS + "PeriodicInformEnable"), ("false", "0"))
        self.assertEqual(cpe.stop(), EXIT_OK)


    def test_undelivered_events_survive_restart(self):
        """0 BOOTSTRAP and M Reboot stay queued until an Inform carrying them is
        acknowledged (TR-069 3.7.1.5), even across a restart while the ACS is down."""
        acs, conf = self.setup_cpe()
        acs.set_down(True, "503")
        cpe = self.start_cwmpd(conf)
        first = acs.wait_for_refused(1, 30)[0]
        self.assertEqual(sorted(first.events), [BOOTSTRAP, BOOT])
        self.assertEqual(cpe.stop(), EXIT_OK)
        acs.set_down(False)
        acs.queue(Reboot("r-kept"))
        cpe.start()
        s1 = acs.wait_for_session(30)
        self.assertEvents(s1, [BOOTSTRAP, BOOT])
        self.assertEqual(cpe.wait(30), EXIT_REBOOT)
        acs.set_down(True, "503")
        cpe.start()
        refused = acs.wait_for_refused(2, 30)[1]
        self.assertEqual(sorted(refused.events), [BOOT, ("M Reboot", "r-kept")])
        self.assertEqual(cpe.stop(), EXIT_OK)
        acs.set_down(False)
        cpe.start()
        s2 = acs.wait_for_session(30)
        self.assertEvents(s2, [BOOT, ("M Reboot", "r-kept")])
        self.assertEqual(s2.retry_count, 0)
        self.assertEqual(cpe.stop(), EXIT_OK)


class RebootAndReset(E2ECase):
    def test_reboot(self):
        """Reboot: cwmpd exits 3 once the session is over; the next start sends
        1 BOOT and M Reboot with the CommandKey (TR-069 Table 7), no BOOTSTRAP."""
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        acs.queue(Reboot("r1"))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertOk(s1.find("Reboot"))
        self.assertEqual(cpe.wait(10), EXIT_REBOOT)
        self.assertGreaterEqual(cpe.proc.returncode, 0)
        cpe.start()
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertEvents(s2, [BOOT, ("M Reboot", "r1")])
        # The reboot is done: the next start is a plain BOOT.
        self.assertStaysUp(cpe, 0.5)
        self.assertEqual(cpe.stop(), EXIT_OK)
        cpe.start()
        s3 = acs.wait_for_session(10)
        self.assertEvents(s3, [BOOT])
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_factory_reset(self):
        """FactoryReset: exit 4; the next start is a BOOTSTRAP and the values and
        attributes the ACS set are back to their factory defaults."""
        acs, conf = self.setup_cpe(defaults={MS + "PeriodicInformInterval": "3600"})
        cpe = self.start_cwmpd(conf)
        acs.queue(SetParameterValues([(MS + "PeriodicInformInterval", "777", "xsd:unsignedInt")], key="k-reset"),
                  SetParameterAttributes([{"name": "Device.DNS.Client.Enable", "notification": 2,
                                           "access_list": ["Subscriber"]}]),
                  GetParameterValues([MS + "PeriodicInformInterval"]))
        s1 = acs.wait_for_session(10)
        self.assertEqual(self.value(s1.find("GetParameterValues"), MS + "PeriodicInformInterval"), "777")
        acs.queue(FactoryReset())
        # A second session on the same run: ScheduleInform would take a second; a
        # restart is quicker and proves 777 was persisted.
        self.assertEqual(cpe.stop(), EXIT_OK)
        cpe.start()
        s2 = acs.wait_for_session(10)
        self.assertEvents(s2, [BOOT])
        self.assertDone(s2)
        self.assertOk(s2.find("FactoryReset"))
        self.assertEqual(cpe.wait(10), EXIT_FACTORY_RESET)

        acs.queue(GetParameterValues([MS + "PeriodicInformInterval"]),
                  GetParameterAttributes(["Device.DNS.Client.Enable"]))
        cpe.start()
        s3 = acs.wait_for_session(10)
        self.assertDone(s3)
        self.assertEvents(s3, [BOOTSTRAP, BOOT])
        self.assertEqual(self.value(s3.find("GetParameterValues"), MS + "PeriodicInformInterval"), "3600")
        self.assertEqual(s3.parameters[MS + "ParameterKey"][0], "", "ParameterKey survived the factory reset")
        self.assertEqual(s3.find("GetParameterAttributes").result["Device.DNS.Client.Enable"], (0, []),
                         "attributes survived the factory reset")
        self.assertEqual(cpe.stop(), EXIT_OK)


    def test_factory_reset_drops_queued_work(self):
        """FactoryReset also drops what the ACS queued (TR-069: nothing it set
        survives): a ScheduleInform not yet due, a Download waiting out its
        DelaySeconds (URL and credentials), and a transfer's staging file. After
        the reset: exactly 0 BOOTSTRAP + 1 BOOT, no queued transfer, and no
        M ScheduleInform when the old one would have been due."""
        staging = os.path.join(self.dir, "staging")
        os.makedirs(staging)
        acs, conf = self.setup_cpe(staging_dir=staging)
        cpe = self.start_cwmpd(conf)
        due = time.time() + 8
        acs.queue(ScheduleInform(8, "stale"),
                  Download("http://127.0.0.1:9/fw.bin", key="stale-dl", username="u", password="secret",
                           delay=3600),
                  GetAllQueuedTransfers())
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertOk(s1.find("ScheduleInform"))
        self.assertEqual([t.get("CommandKey") for t in s1.find("GetAllQueuedTransfers").response["TransferList"]],
                         ["stale-dl"])
        self.assertEqual(cpe.stop(), EXIT_OK)
        # A staging file such as a download cut off by a kill leaves.
        (transfer,) = store_transfers(self.store)
        self.assertEqual(transfer["password"], "secret")
        left = os.path.join(staging, "cwmp-transfer-%d" % int(transfer["id"]))
        with open(left, "wb") as f:
            f.write(b"half an image")
        acs.queue(FactoryReset())
        cpe.start()
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertOk(s2.find("FactoryReset"))
        self.assertEqual(cpe.wait(10), EXIT_FACTORY_RESET)
        self.assertLess(time.time(), due, "too slow: the ScheduleInform came due before the reset")
        self.assertEqual(store_transfers(self.store), [], "a queued transfer (with its credentials) survived")
        self.assertFalse(os.path.exists(left), "the transfer's staging file survived the factory reset")

        acs.queue(GetAllQueuedTransfers())
        cpe.start()
        s3 = acs.wait_for_session(10)
        self.assertDone(s3)
        self.assertEvents(s3, [BOOTSTRAP, BOOT])
        queued = s3.find("GetAllQueuedTransfers")
        self.assertOk(queued)
        self.assertIn(queued.response.get("TransferList"), ([], "", None), queued.response)
        # Past the old ScheduleInform's time: no session for it.
        time.sleep(max(0.0, due - time.time()) + 3)
        later = [s.events for s in acs.sessions[3:]]
        self.assertEqual(later, [], "sessions after the reset's BOOTSTRAP: %s" % later)
        self.assertEqual(cpe.stop(), EXIT_OK)


class AcsUrlChange(E2ECase):
    def test_new_acs_url(self):
        """The ACS sets ManagementServer.URL: the next session goes to the new ACS with
        0 BOOTSTRAP (TR-069 3.7.1.5); a restart then keeps the new ACS (1 BOOT only)."""
        acs1, conf = self.setup_cpe()
        acs2 = self.make_acs()
        cpe = self.start_cwmpd(conf)
        acs1.queue(SetParameterValues([(MS + "URL", acs2.url, "xsd:string")], key="moved"))
        s1 = acs1.wait_for_session(10)
        self.assertDone(s1)
        self.assertOk(s1.find("SetParameterValues"))
        s2 = acs2.wait_for_session(10)
        self.assertDone(s2)
        self.assertEvents(s2, [BOOTSTRAP])
        self.assertEqual(s2.retry_count, 0)
        self.assertEqual(len(acs1.sessions), 1, "the old ACS heard from cwmpd again")
        self.assertEqual(cpe.stop(), EXIT_OK)
        cpe.start()
        s3 = acs2.wait_for_session(10)
        self.assertEvents(s3, [BOOT])
        self.assertEqual(len(acs1.sessions), 1)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Configuration(E2ECase):
    def test_sigpipe_does_not_end_it(self):
        """A write to a peer that closed its end (an XMPP server refusing the login did
        it under load) raises SIGPIPE; cwmpd ignores it and goes on, and still answers."""
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        cpe.signal(signal.SIGPIPE)
        acs.queue(ScheduleInform(1, "after-pipe"))
        cpe.signal(signal.SIGHUP)  # a reload: proof the loop still runs after the SIGPIPE
        cpe.wait_log(r"configuration reloaded", 10)
        self.assertTrue(cpe.running(), "cwmpd exited with %s" % cpe.proc.poll())
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_sighup_reloads(self):
        """SIGHUP re-reads the configuration (here the log level); cwmpd keeps running,
        logs "configuration reloaded", refuses a bad file naming file:line, and
        the new level applies."""
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        acs.queue(ScheduleInform(3, "after-hup"))
        self.assertDone(acs.wait_for_session(10))
        with open(conf) as f:
            text = f.read()

        def rewrite(new_text):
            with open(conf, "w") as f:
                f.write(new_text)

        rewrite(text.replace("log_level = info", "log_level = debug"))
        cpe.signal(signal.SIGHUP)
        cpe.wait_log(r"configuration reloaded", 5)
        self.assertStaysUp(cpe, 0.2)
        # A bad file on reload is refused, naming file and line; cwmpd goes on.
        rewrite(text + "no_such_key = 1\n")
        cpe.signal(signal.SIGHUP)
        cpe.wait_log(r"reload refused.*%s:%d" % (conf, text.count("\n") + 1), 5)
        self.assertStaysUp(cpe, 0.2)
        # log_level = warning: the next session logs nothing at info level.
        rewrite(text.replace("log_level = info", "log_level = warning"))
        cpe.signal(signal.SIGHUP)
        time.sleep(0.3)
        mark = len(cpe.log())
        s2 = acs.wait_for_session(10)
        self.assertEvents(s2, [("3 SCHEDULED", ""), ("M ScheduleInform", "after-hup")])
        time.sleep(0.2)
        self.assertNotRegex(cpe.log()[mark:], r" info: ", "info lines logged at log_level = warning")
        self.assertTrue(cpe.running())
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_sighup_new_acs_url(self):
        """SIGHUP with a new acs_url: the new ACS applies at once, as at start
        (agent.h), and the first Inform it gets carries 0 BOOTSTRAP (TR-069
        3.7.1.5: BOOTSTRAP is the first session after a change of the ACS URL)."""
        acs1, conf = self.setup_cpe()
        acs2 = self.make_acs()
        cpe = self.start_cwmpd(conf)
        acs1.queue(ScheduleInform(3, "later"))      # a session that is due anyway
        self.assertDone(acs1.wait_for_session(10))
        with open(conf) as f:
            text = f.read()
        with open(conf, "w") as f:
            f.write(text.replace(acs1.url, acs2.url))
        cpe.signal(signal.SIGHUP)
        cpe.wait_log(r"configuration reloaded", 5)
        t_hup = time.time()
        s = acs2.wait_for_session(10)
        with self.subTest("at once"):
            self.assertLess(s.started_at - t_hup, 2.0, "the new ACS was contacted %.1f s after the reload"
                            % (s.started_at - t_hup))
        self.assertIn(BOOTSTRAP, s.events,
                      "the first Inform to the new ACS (%s) has no 0 BOOTSTRAP" % ", ".join(s.event_codes))
        self.assertEqual(len(acs1.sessions), 1)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_bad_config(self):
        """A bad configuration at start: exit 2 and a message naming file:line."""
        acs, conf = self.setup_cpe()
        with open(conf) as f:
            lines = f.read().splitlines()
        cases = {
            "unknown key": "frobnicate = yes",
            "not a number": "connection_request_port = seventy",
            "no equals sign": "this line has no equals sign",
            "bad level": "log_level = chatty",
        }
        for what, bad in cases.items():
            with self.subTest(what):
                at = 3
                text = lines[:at - 1] + [bad] + lines[at - 1:]
                with open(conf, "w") as f:
                    f.write("\n".join(text) + "\n")
                cpe = self.start_cwmpd(conf)
                self.assertEqual(cpe.wait(10), EXIT_CONFIG)
                self.assertIn("%s:%d" % (conf, at), cpe.log())
        missing = self.start_cwmpd(conf + ".missing")
        self.assertEqual(missing.wait(10), EXIT_CONFIG)
        self.assertIn(conf + ".missing", missing.log())
        self.assertEqual(acs.sessions, [])


if __name__ == "__main__":
    unittest.main()
