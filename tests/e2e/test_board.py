"""The board seam from outside: cwmpd runs the built-in board its configuration
names, the [board] section reaches the board's factory verbatim (a bad name or a
bad board key stops cwmpd at start, naming file, line and key), and what the ACS
writes to the board's parameters (values, Alias values, rows it adds) survives a
restart and a Reboot but not a FactoryReset, after which the next contact is
0 BOOTSTRAP + 1 BOOT (TR-069 3.7.1.5, Table 7)."""

import subprocess
import unittest

from harness import (CWMPD, EXIT_CONFIG, EXIT_FACTORY_RESET, EXIT_OK, EXIT_REBOOT, MS, AddObject, E2ECase,
                     FactoryReset, GetParameterValues, Reboot, SetParameterValues)

BOOTSTRAP = ("0 BOOTSTRAP", "")
BOOT = ("1 BOOT", "")
DI = "Device.DeviceInfo."
SERVERS = "Device.DNS.Client.Server."


def line_of(path: str, text: str) -> int:
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.strip() == text:
                return n
    raise AssertionError("%s not in %s" % (text, path))


class BoardSelection(E2ECase):
    def check_refused(self, conf: str, message: str):
        """cwmpd and cwmpd --check both exit 2 naming `message`; no ACS hears of it."""
        cpe = self.start_cwmpd(conf)
        self.assertEqual(cpe.wait(10), EXIT_CONFIG)
        self.assertIn(message, cpe.log())
        check = subprocess.run([CWMPD, "--check", "-c", conf], capture_output=True, text=True, timeout=10)
        self.assertEqual(check.returncode, EXIT_CONFIG, check.stderr)
        self.assertIn(message, check.stderr)

    def test_unknown_board(self):
        acs = self.make_acs()
        conf = self.write_config(acs.url, board="toaster")
        self.check_refused(conf, "%s:%d: board: unknown board toaster (built in: " % (conf, line_of(conf, "board = toaster")))
        self.assertEqual(acs.sessions, [])

    def test_profile_other_than_the_boards(self):
        acs = self.make_acs()
        conf = self.write_config(acs.url, profile="full")
        self.check_refused(conf, "%s:%d: profile: board sim binds profile rdk-stb, not full"
                           % (conf, line_of(conf, "profile = full")))

    def test_bad_board_section(self):
        acs = self.make_acs()
        cases = {
            "colour = red": "colour: unknown board key",
            "extra_channels = lots": "extra_channels: not a number in 0..1000000: lots",
            "vendor_download_seconds = -1": "vendor_download_seconds: not a number",
        }
        for bad, why in cases.items():
            with self.subTest(bad):
                conf = self.write_config(acs.url, board_keys={"extra_channels": "2"}, extra="")
                with open(conf, "a") as f:
                    f.write(bad + "\n")
                self.check_refused(conf, "%s:%d: %s" % (conf, line_of(conf, bad), why))
        with self.subTest("a section other than [board]"):
            conf = self.write_config(acs.url, extra="[network]\n")
            self.check_refused(conf, "%s:%d: [network]: unknown section" % (conf, line_of(conf, "[network]")))
        self.assertEqual(acs.sessions, [])

    def test_board_section_reaches_the_board(self):
        """extra_channels in [board] is the sim's: its channel lineup grows by that many."""
        acs, conf = self.setup_cpe(board_keys={"extra_channels": "7"})
        acs.queue(GetParameterValues(["Device.Services.STBService.1.Components.FrontEnd.1.DVBT.ServiceListDatabase."
                                      "LogicalChannelNumberOfEntries"]))
        cpe = self.start_cwmpd(conf)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        gpv = s.find("GetParameterValues")
        self.assertOk(gpv)
        (count,) = [v for v, _t in gpv.result.values()]
        self.assertEqual(int(count), 5 + 7)
        self.assertEqual(cpe.stop(), EXIT_OK)


class BoardSettings(E2ECase):
    WRITES = [(DI + "ProvisioningCode", "acs-prov-42", "xsd:string"),
              (SERVERS + "1.Alias", "primary-dns", "xsd:string")]
    FACTORY = {DI + "ProvisioningCode": "", SERVERS + "1.Alias": "cpe-dns-1"}

    def provision(self, acs):
        """Session 1: the ACS writes board parameters, adds a DNS server and sets it."""
        acs.queue(SetParameterValues(self.WRITES, key="board-1"),
                  AddObject(SERVERS, key="board-2"),
                  lambda s: SetParameterValues([(SERVERS + "%d.DNSServer" % s.find("AddObject").result[0],
                                                 "198.51.100.7", "xsd:string")], key="board-3"))
        s = acs.wait_for_session(10)
        self.assertDone(s)
        for rpc in ("SetParameterValues", "AddObject"):
            self.assertOk(s.find(rpc))
        return s.find("AddObject").result[0]

    def read_back(self, acs, events, *then):
        """The next session's events and the board's values; `then` follows in it."""
        acs.queue(GetParameterValues([DI + "ProvisioningCode", SERVERS + "1.Alias",
                                      "Device.DNS.Client.ServerNumberOfEntries", SERVERS]), *then)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEvents(s, events)
        gpv = s.find("GetParameterValues")
        self.assertOk(gpv)
        return {name: value for name, (value, _type) in gpv.result.items()}

    def test_survive_restart_and_reboot(self):
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        added = self.provision(acs)
        self.assertEqual(cpe.stop(), EXIT_OK)

        cpe.start()  # a restart of the process
        values = self.read_back(acs, [BOOT], Reboot("board-reboot"))
        for name, value, _type in self.WRITES:
            self.assertEqual(values[name], value, name)
        self.assertEqual(values[SERVERS + "%d.DNSServer" % added], "198.51.100.7")
        self.assertEqual(values["Device.DNS.Client.ServerNumberOfEntries"], "3")

        self.assertOk(acs.sessions[-1].find("Reboot"))
        self.assertEqual(cpe.wait(10), EXIT_REBOOT)
        cpe.start()  # what the supervisor does after status 3
        values = self.read_back(acs, [BOOT, ("M Reboot", "board-reboot")])
        for name, value, _type in self.WRITES:
            self.assertEqual(values[name], value, name)
        self.assertEqual(values[SERVERS + "%d.DNSServer" % added], "198.51.100.7")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_factory_reset_wipes_them(self):
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        added = self.provision(acs)
        acs.queue(FactoryReset())
        self.assertEqual(cpe.stop(), EXIT_OK)
        cpe.start()
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertOk(s.find("FactoryReset"))
        self.assertEqual(cpe.wait(10), EXIT_FACTORY_RESET)
        self.assertIn("factory reset", cpe.log())

        cpe.start()  # what the supervisor does after status 4
        values = self.read_back(acs, [BOOTSTRAP, BOOT])
        for name, value in self.FACTORY.items():
            self.assertEqual(values[name], value, name)
        self.assertNotIn(SERVERS + "%d.DNSServer" % added, values, "the added DNS server survived")
        self.assertEqual(values["Device.DNS.Client.ServerNumberOfEntries"], "2")
        self.assertEqual(acs.sessions[-1].parameters[MS + "ParameterKey"][0], "")
        # The reset is done: a restart is a plain BOOT with the factory values.
        self.assertEqual(cpe.stop(), EXIT_OK)
        cpe.start()
        values = self.read_back(acs, [BOOT])
        self.assertEqual(values[DI + "ProvisioningCode"], "")
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
