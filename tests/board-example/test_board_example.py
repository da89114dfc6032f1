"""A board from outside platform/ built into cwmpd with nothing but the meson
option `boards`: `-Dboards=sim,linux,tests/board-example` (tools/test's main build)
links the sim and this folder's example board (each bound to its own profile, so
their generated types and tables live in namespaces of their own) into one cwmpd;
the example's factory is found by name (`board = example`), builds the board from
its [board] section and the board answers the ACS: the Inform carries the serial
number its section gives, GetParameterValues reads it, the ProvisioningCode the
ACS writes survives a restart (the Settings libcwmp offers every board), and a
bad key of its section stops cwmpd naming file, line and key.  The sim of the
same binary still runs with `board = sim`.  The same board built out of tree
against an installed libcwmp: tests/install/test_install.py.

    CWMPD  a cwmpd built with -Dboards=sim,tests/board-example (or more)
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from harness import EXIT_CONFIG, EXIT_OK, E2ECase, GetParameterValues, SetParameterValues  # noqa: E402

DI = "Device.DeviceInfo."


class ExampleBoard(E2ECase):
    def example_config(self, acs, **board_keys):
        keys = {"serial_number": "EX-0001"}
        keys.update(board_keys)
        return self.write_config(acs.url, board="example", profile="board-example", board_keys=keys)

    def test_found_by_name_and_answers(self):
        acs = self.make_acs()
        conf = self.example_config(acs, software_version="3.1.4")
        acs.queue(GetParameterValues(["Device."]),
                  SetParameterValues([(DI + "ProvisioningCode", "from-the-acs", "xsd:string")], key="ex"))
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertEqual(s1.device_id["SerialNumber"], "EX-0001")
        self.assertEqual(s1.device_id["ProductClass"], "ExampleBox")
        self.assertEqual(s1.parameters[DI + "SoftwareVersion"][0], "3.1.4")
        gpv = s1.find("GetParameterValues")
        self.assertOk(gpv)
        values = {n: v for n, (v, _t) in gpv.result.items()}
        self.assertEqual(values["Device.RootDataModelVersion"].split(".")[0], "2")
        self.assertEqual(values[DI + "SerialNumber"], "EX-0001")
        self.assertIn("Device.ManagementServer.PeriodicInformInterval", values)
        self.assertFalse(any(n.startswith("Device.Services.") for n in values), "the sim's model answered")
        self.assertOk(s1.find("SetParameterValues"))
        self.assertIn("board example, profile board-example", cpe.log())
        self.assertEqual(cpe.stop(), EXIT_OK)

        cpe.start()  # the board's setting came through the store
        s2 = acs.wait_for_session(10)
        self.assertEqual(s2.parameters[DI + "ProvisioningCode"][0], "from-the-acs")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_bad_key_of_its_section(self):
        acs = self.make_acs()
        conf = self.example_config(acs, colour="blue")
        with open(conf) as f:
            line = [n for n, text in enumerate(f, 1) if text.startswith("colour =")][0]
        cpe = self.start_cwmpd(conf)
        self.assertEqual(cpe.wait(10), EXIT_CONFIG)
        self.assertIn("%s:%d: colour: unknown board key" % (conf, line), cpe.log())
        self.assertEqual(acs.sessions, [])

    def test_sim_in_the_same_binary(self):
        acs, conf = self.setup_cpe()  # board = sim
        cpe = self.start_cwmpd(conf)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertNotEqual(s.device_id["ProductClass"], "ExampleBox")
        self.assertIn("board sim, profile rdk-stb", cpe.log())
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
