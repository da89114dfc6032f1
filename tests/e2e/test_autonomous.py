"""Transfers the box makes on its own (TR-069 A.3.3.2 AutonomousTransferComplete):
the simulated box's RDK firmware updater, started through its vendor parameters,
reported only when the ACS enables ManagementServer.AutonomousTransferCompletePolicy."""

import time

from harness import MS, E2ECase, SetParameterValues

DI = "Device.DeviceInfo.X_RDKCENTRAL-COM_"
POLICY = MS + "AutonomousTransferCompletePolicy."
ATC = ("10 AUTONOMOUS TRANSFER COMPLETE", "")


class Autonomous(E2ECase):
    def start_vendor_download(self, acs, policy_enabled: bool, file_name: str, periodic: int):
        acs.queue(SetParameterValues([(POLICY + "Enable", "true" if policy_enabled else "false", "xsd:boolean"),
                                      (DI + "FirmwareToDownload", file_name, "xsd:string"),
                                      (DI + "FirmwareDownloadNow", "true", "xsd:boolean"),
                                      (MS + "PeriodicInformEnable", "true", "xsd:boolean"),
                                      (MS + "PeriodicInformInterval", str(periodic), "xsd:unsignedInt")], key="fw"))

    def test_reported_when_the_policy_asks(self):
        acs, conf = self.setup_cpe(defaults={MS + "ConnectionRequestUsername": "cr",
                                             MS + "ConnectionRequestPassword": "secret"},
                                   board_keys={"vendor_download_seconds": "1"}, notification_poll_interval="1")
        self.start_cwmpd(conf)
        self.start_vendor_download(acs, True, "EX4K200_VBN_4.4.0_PROD.bin", periodic=30)
        self.assertDone(acs.wait_for_session(10))
        s2 = acs.wait_for_session(20)  # the updater takes 5 + 1 s; the periodic Inform comes later
        self.assertDone(s2)
        self.assertEvents(s2, [ATC])
        report = s2.find("AutonomousTransferComplete")
        self.assertIsNotNone(report, "no AutonomousTransferComplete")
        req = report.request
        self.assertTrue(req["TransferURL"].endswith("/EX4K200_VBN_4.4.0_PROD.bin"), req)
        self.assertEqual(req["IsDownload"], "true")
        self.assertEqual(req["FileType"], "1 Firmware Upgrade Image")
        self.assertEqual(req["FaultStruct"]["FaultCode"], "0")
        # Reported once: a connection request's session carries nothing of it.
        self.assertEqual(acs.connection_request(username="cr", password="secret").status, 200)
        s3 = acs.wait_for_session(10)
        self.assertNotIn(ATC, self.events(s3))
        self.assertIsNone(s3.find("AutonomousTransferComplete"))

    def test_failure_reported_with_the_fault_tables_string_and_the_cause(self):
        """A failed autonomous download (the updater was given no file name): FaultCode 9010
        and a FaultString made of the fault table's text (TR-069 A.5) and the box's cause."""
        acs, conf = self.setup_cpe(board_keys={"vendor_download_seconds": "1"}, notification_poll_interval="1")
        self.start_cwmpd(conf)
        self.start_vendor_download(acs, True, "", periodic=30)
        self.assertDone(acs.wait_for_session(10))
        s2 = acs.wait_for_session(20)
        self.assertDone(s2)
        self.assertEvents(s2, [ATC])
        report = s2.find("AutonomousTransferComplete")
        self.assertIsNotNone(report, "no AutonomousTransferComplete")
        fault = report.request["FaultStruct"]
        self.assertEqual(fault["FaultCode"], "9010")
        self.assertEqual(fault["FaultString"],
                         "Download failure: no firmware file was named (X_RDKCENTRAL-COM_FirmwareToDownload)")

    def test_not_reported_while_the_policy_is_off(self):
        acs, conf = self.setup_cpe(board_keys={"vendor_download_seconds": "1"}, notification_poll_interval="1")
        self.start_cwmpd(conf)
        self.start_vendor_download(acs, False, "", periodic=2)  # no file named: the updater fails
        self.assertDone(acs.wait_for_session(10))
        deadline = time.time() + 9
        while time.time() < deadline:
            s = acs.wait_for_session(10)
            self.assertNotIn(ATC, self.events(s))
            self.assertIsNone(s.find("AutonomousTransferComplete"))
