"""Protocol rules of the CPE's side of a session (issue 11): HoldRequests (TR-069
A.2.2), the events a retried Inform carries (3.7.1.5 Tables 7 and 8, 3.2.1.1),
GetRPCMethods to an ACS new to the CPE (A.3.1.1) and RequestDownload (A.4.2.2,
event 9 REQUEST DOWNLOAD)."""

import os
import time
import unittest

from harness import (MS, E2ECase, GetParameterAttributes, GetParameterValues, SetParameterAttributes,
                     SetParameterValues)
from support_files import FileServer, config_file
from testacs_lib import cwmp
from testacs_lib.cwmp import AddObject, Download, GetParameterNames

IP = MS + "InformParameter."
ETH = "Device.Ethernet.Interface."
CPU = "Device.DeviceInfo.ProcessStatus.CPU."

BOOTSTRAP = ("0 BOOTSTRAP", "")
BOOT = ("1 BOOT", "")
CR = ("6 CONNECTION REQUEST", "")
TC = ("7 TRANSFER COMPLETE", "")
RD = ("9 REQUEST DOWNLOAD", "")
CR_USER, CR_PASSWORD = "cr-proto", "cr-secret"
CR_DEFAULTS = {MS + "ConnectionRequestUsername": CR_USER, MS + "ConnectionRequestPassword": CR_PASSWORD}
FIRMWARE = "1 Firmware Upgrade Image"


def order(session):
    """The session's exchanges as (who sent the request, method), in order."""
    return [(e.initiator, e.method) for e in session.exchanges]


class ProtocolCase(E2ECase):
    def kick(self, acs):
        return super().kick(acs, CR_USER, CR_PASSWORD)

    def ask_for_download(self, file_type, args=()):
        """What the simulated box's updater would decide: the control file the sim polls
        (platform/sim/board.cpp, SimBoard::request_downloads_asked_for)."""
        path = os.path.join(self.dir, "sim-request-download")
        with open(path + ".tmp", "w") as f:
            f.write(file_type + "\n" + "".join("%s=%s\n" % a for a in args))
        os.rename(path + ".tmp", path)


class HoldRequests(ProtocolCase):
    def test_get_rpc_methods_waits_while_the_acs_holds_requests(self):
        """The ACS answers the BOOTSTRAP Inform with HoldRequests and keeps it on two of its
        requests: the CPE's GetRPCMethods (it asks a new ACS) comes only after the ACS's
        empty answer released it; the test ACS flags any request sent while held."""
        acs, conf = self.setup_cpe()
        acs.add_session([GetParameterValues(["Device.DeviceInfo.SoftwareVersion"]).hold(),
                         GetParameterValues(["Device.DeviceInfo.UpTime"]).hold()], hold_requests=True)
        self.start_cwmpd(conf)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEqual(order(s), [("cpe", "Inform"), ("acs", "GetParameterValues"), ("acs", "GetParameterValues"),
                                    ("cpe", "GetRPCMethods")])
        self.assertEqual(s.violations, [])

    def test_transfer_complete_waits_until_released(self):
        """A finished Download's TransferComplete is pending when the ACS answers the Inform
        with HoldRequests = 1 and keeps it on its next requests; a request without it does
        not release the CPE while it must answer, the empty answer does: TransferComplete
        comes after every ACS request, then the session ends normally."""
        files = FileServer()
        self.addCleanup(files.stop)
        files.add("/cfg.txt", config_file({"Device.DeviceInfo.ProvisioningCode": "held"}))
        staging = os.path.join(self.dir, "staging")
        os.makedirs(staging)
        acs, conf = self.setup_cpe(staging_dir=staging)
        acs.queue(Download(files.url("/cfg.txt"), "3 Vendor Configuration File", key="held-1"))
        acs.add_session([GetParameterValues(["Device.DeviceInfo.SoftwareVersion"]).hold(),
                         GetParameterValues(["Device.DeviceInfo.ProvisioningCode"]).hold(),
                         GetParameterValues(["Device.DeviceInfo.UpTime"])],
                        hold_requests=True, match=lambda s: "7 TRANSFER COMPLETE" in s.event_codes)
        self.start_cwmpd(conf)
        acs.wait_for(lambda: any(x.find("TransferComplete") for x in acs.sessions if x.finished), 15,
                     "a session with TransferComplete")
        s = next(x for x in acs.sessions if x.find("TransferComplete"))
        self.assertDone(s)
        self.assertIn(TC, s.events)
        self.assertEqual(order(s), [("cpe", "Inform"), ("acs", "GetParameterValues"), ("acs", "GetParameterValues"),
                                    ("acs", "GetParameterValues"), ("cpe", "TransferComplete")])
        tc = s.find("TransferComplete")
        self.assertEqual(tc.request["CommandKey"], "held-1")
        self.assertEqual(tc.response_name, "TransferCompleteResponse")
        self.assertEqual(self.value(s.find("GetParameterValues", 1), "Device.DeviceInfo.ProvisioningCode"), "held")


class RetryEvents(ProtocolCase):
    def test_connection_request_retried_after_8005(self):
        """A connection request's session whose Inform the ACS answers with fault 8005 (Retry
        request): the retried Inform carries 6 CONNECTION REQUEST again, with RetryCount 1
        (Table 8: completed only by an InformResponse; discarded only by a reboot); no Inform
        ever goes out with an empty event list (the test ACS flags one)."""
        acs, conf = self.setup_cpe(defaults=CR_DEFAULTS)
        self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        acs.fail_informs(1, 8005)
        self.assertTrue(acs.connection_request(None, CR_USER, CR_PASSWORD).ok)
        refused = acs.wait_for_session(10)
        self.assertEqual(refused.outcome, "inform-fault")
        self.assertEvents(refused, [CR])
        retried = acs.wait_for_session(10)
        self.assertDone(retried)
        self.assertEqual(retried.retry_count, 1)
        self.assertEvents(retried, [CR])
        self.assertEqual(acs.violations, [])

    def test_bootstrap_and_boot_retried_after_8005(self):
        """8005 to the first Inform: the retry carries 0 BOOTSTRAP and 1 BOOT again."""
        acs, conf = self.setup_cpe()
        acs.fail_informs(2, 8005)
        self.start_cwmpd(conf)
        for retry in range(3):
            s = acs.wait_for_session(15)
            self.assertEqual(s.retry_count, retry)
            self.assertEvents(s, [BOOTSTRAP, BOOT])
        self.assertDone(s)


class RpcMethods(ProtocolCase):
    def test_asked_once_per_acs_and_remembered(self):
        """GetRPCMethods goes to an ACS new to the CPE (its BOOTSTRAP session), once: not in
        later sessions, nor after a restart (the answer is persisted with the ACS URL)."""
        acs, conf = self.setup_cpe(defaults=CR_DEFAULTS)
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertIn(BOOTSTRAP, s1.events)
        ask = s1.find("GetRPCMethods")
        self.assertIsNotNone(ask, "no GetRPCMethods to a new ACS")
        self.assertEqual(ask.initiator, "cpe")
        self.assertEqual(ask.response_name, "GetRPCMethodsResponse")
        self.assertIsNone(self.kick(acs).find("GetRPCMethods"))
        cpe.stop()
        cpe.start()
        acs.wait_for(lambda: len(acs.sessions) >= 3 and acs.sessions[2].finished, 10, "the session after the restart")
        s3 = acs.sessions[2]
        self.assertDone(s3)
        self.assertEvents(s3, [BOOT])
        self.assertIsNone(s3.find("GetRPCMethods"))

    def test_asked_again_when_the_acs_url_changes(self):
        """The ACS moves the CPE to another ACS (ManagementServer.URL): the new one gets
        0 BOOTSTRAP and a GetRPCMethods of its own."""
        acs, conf = self.setup_cpe()
        acs2 = self.make_acs()
        acs.queue(SetParameterValues([(MS + "URL", acs2.url, "xsd:string")], key="move"))
        self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        s = acs2.wait_for_session(10)
        self.assertDone(s)
        self.assertIn(BOOTSTRAP, s.events)
        self.assertIsNotNone(s.find("GetRPCMethods"))


class RequestDownload(ProtocolCase):
    def test_board_asks_for_a_file(self):
        """The box wants a firmware image: a session with 9 REQUEST DOWNLOAD carries
        RequestDownload (FileType, FileTypeArg); once acknowledged, neither comes again."""
        acs, conf = self.setup_cpe(defaults=CR_DEFAULTS, notification_poll_interval="1")
        self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        self.ask_for_download(FIRMWARE, [("Version", "4.2.1038")])
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEvents(s, [RD])
        rd = s.find("RequestDownload")
        self.assertIsNotNone(rd, "no RequestDownload")
        self.assertEqual(rd.initiator, "cpe")
        self.assertEqual(rd.request["FileType"], FIRMWARE)
        self.assertIn("Version", str(rd.request["FileTypeArg"]))
        self.assertIn("4.2.1038", str(rd.request["FileTypeArg"]))
        self.assertEqual(rd.response_name, "RequestDownloadResponse")
        s2 = self.kick(acs)
        self.assertEvents(s2, [CR])
        self.assertIsNone(s2.find("RequestDownload"))

    def test_request_survives_a_restart_until_acknowledged(self):
        """The ACS answers the first RequestDownload with fault 8005; cwmpd stops before the
        next try.  Restarted on the same store, it sends 1 BOOT and 9 REQUEST DOWNLOAD and
        the same RequestDownload, acknowledged this time."""
        acs, conf = self.setup_cpe(defaults=CR_DEFAULTS, notification_poll_interval="1")
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        acs.inject_fault("RequestDownload", 8005)
        self.ask_for_download("3 Vendor Configuration File", [("Profile", "living-room")])
        s = acs.wait_for_session(10)
        self.assertEvents(s, [RD])
        self.assertEqual(s.find("RequestDownload").fault.code, 8005)
        cpe.stop()
        cpe.start()
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertEvents(s2, [BOOT, RD])
        rd = s2.find("RequestDownload")
        self.assertEqual(rd.request["FileType"], "3 Vendor Configuration File")
        self.assertIn("living-room", str(rd.request["FileTypeArg"]))
        self.assertEqual(rd.response_name, "RequestDownloadResponse")

    def test_waits_while_the_acs_holds_requests(self):
        """RequestDownload obeys HoldRequests like any CPE request."""
        acs, conf = self.setup_cpe(notification_poll_interval="1")
        self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        acs.add_session([GetParameterValues(["Device.DeviceInfo.UpTime"]).hold()], hold_requests=True)
        self.ask_for_download(FIRMWARE)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEqual(order(s), [("cpe", "Inform"), ("acs", "GetParameterValues"), ("cpe", "RequestDownload")])

    def test_not_sent_to_an_acs_without_it(self):
        """An ACS whose GetRPCMethods answer lacks RequestDownload never gets one: the
        request is refused (logged) and no 9 REQUEST DOWNLOAD goes out."""
        methods = [m for m in cwmp.ACS_METHODS if m != "RequestDownload"]
        acs, conf = self.setup_cpe(defaults=CR_DEFAULTS, acs_kw={"acs_methods": methods},
                                   notification_poll_interval="1")
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertIsNotNone(s1.find("GetRPCMethods"))
        self.ask_for_download(FIRMWARE)
        cpe.wait_log(r"RequestDownload refused: the ACS does not support it", 10)
        s2 = self.kick(acs)
        self.assertEvents(s2, [CR])
        self.assertFalse(any(x.find("RequestDownload") for x in acs.sessions))


class Aliases(ProtocolCase):
    """Alias-based addressing (TR-069 3.6.1, A.3.2.1; TR-181 ManagementServer.InstanceMode,
    AutoCreateInstances), in sessions where the ACS chose CWMP 1.4."""

    def session_with(self, acs, *rpcs):
        acs.queue(*rpcs)
        s = self.kick(acs)
        self.assertDone(s)
        self.assertEqual(s.use_cwmp_version, "1.4")  # alias-based addressing needs CWMP 1.4
        return s

    def test_instance_number_mode_answers_with_numbers(self):
        """InstanceMode InstanceNumber (the factory default): an [alias] in a request
        resolves, the answer names the instance by number."""
        acs, conf = self.setup_cpe(defaults=CR_DEFAULTS)
        self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        s = self.session_with(acs, AddObject(IP + "[uptime].", key="a1"),
                              GetParameterValues([IP + "[uptime].Alias", MS + "InstanceMode"]))
        number, status = s.find("AddObject").result
        self.assertEqual(s.find("GetParameterValues").result,
                         {IP + "%d.Alias" % number: ("uptime", "xsd:string"),
                          MS + "InstanceMode": ("InstanceNumber", "xsd:string")})

    def test_instance_alias_mode_in_answers_and_informs(self):
        """InstanceMode InstanceAlias: GetParameterNames, GetParameterValues and
        GetParameterAttributes answers, and the next Inform's ParameterList, name every
        instance of a table with an Alias by [alias] (a table without one keeps numbers);
        back to InstanceNumber, numbers again."""
        acs, conf = self.setup_cpe(defaults=CR_DEFAULTS)
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        s = self.session_with(acs, GetParameterValues([ETH + "1.Alias", CPU + "1.Alias"]))
        eth_alias = s.find("GetParameterValues").result[ETH + "1.Alias"][0]
        cpu_alias = s.find("GetParameterValues").result[CPU + "1.Alias"][0]
        self.assertTrue(eth_alias)
        self.assertTrue(cpu_alias)
        s = self.session_with(
            acs, AddObject(IP + "[link].", key="a1"),
            SetParameterValues([(IP + "[link].Enable", "true", "xsd:boolean"),
                                (IP + "[link].ParameterName", ETH + "1.Status", "xsd:string"),
                                (MS + "InstanceMode", "InstanceAlias", "xsd:string")], key="k1"),
            SetParameterAttributes([(CPU + "1.UpTime", 1)]),  # passive: reported at the next Inform
            GetParameterNames(IP, False),
            GetParameterValues([IP, ETH + "1.Status"]),
            GetParameterAttributes([IP + "[link].Enable"]))
        names = s.find("GetParameterNames").result
        self.assertIn(IP + "[link].", names)
        self.assertIn(IP + "[link].ParameterName", names)
        self.assertFalse([n for n in names if n.startswith(IP + "1")], names)
        values = s.find("GetParameterValues").result
        self.assertEqual(values[IP + "[link].ParameterName"], (ETH + "1.Status", "xsd:string"))
        self.assertIn(ETH + "[%s].Status" % eth_alias, values)
        self.assertIn(IP + "[link].Enable", s.find("GetParameterAttributes").result)
        # The next Inform: the InformParameter row asks for the interface's Status.
        s = self.kick(acs)
        self.assertIn(ETH + "[%s].Status" % eth_alias, s.parameters)
        self.assertNotIn(ETH + "1.Status", s.parameters)
        # A value change (notification) is named by alias too: the CPU's UpTime moves every
        # second, so look at the next sessions (a few seconds at most) until one reports it.
        deadline = time.monotonic() + 10
        while ("4 VALUE CHANGE", "") not in s.events and time.monotonic() < deadline:
            time.sleep(0.2)
            s = self.kick(acs)
        self.assertIn(("4 VALUE CHANGE", ""), s.events)
        self.assertIn(CPU + "[%s].UpTime" % cpu_alias, s.parameters)
        self.assertNotIn(CPU + "1.UpTime", s.parameters)
        # After a restart too (the Inform precedes the version choice: InstanceMode rules).
        cpe.stop()
        cpe.start()
        def boot(x):
            return x.finished and BOOT in x.events and BOOTSTRAP not in x.events
        acs.wait_for(lambda: any(boot(x) for x in acs.sessions), 10, "the session after the restart")
        s = next(x for x in acs.sessions if boot(x))
        self.assertIn(ETH + "[%s].Status" % eth_alias, s.parameters)
        s = self.session_with(acs, SetParameterValues([(MS + "InstanceMode", "InstanceNumber", "xsd:string")], key="k2"),
                              GetParameterValues([IP + "[link].Enable"]))
        self.assertEqual(list(s.find("GetParameterValues").result), [IP + "1.Enable"])

    def test_auto_create_instances(self):
        """AutoCreateInstances true: a SetParameterValues naming [new] creates the instance
        with Alias "new" and sets its values; a request that fails creates nothing (all or
        nothing).  AutoCreateInstances false: 9005 for the unknown [alias], nothing created."""
        acs, conf = self.setup_cpe(defaults=CR_DEFAULTS)
        self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        # Off (the factory default): refused with 9005, nothing created.
        s = self.session_with(acs, SetParameterValues([(IP + "[off].Enable", "true", "xsd:boolean")], key="x0"),
                              GetParameterValues([MS + "InformParameterNumberOfEntries", MS + "ParameterKey"]))
        spv = s.find("SetParameterValues")
        self.assertEqual(spv.fault.code, 9003)
        self.assertIn("9005", spv.response_xml)
        self.assertEqual(s.find("GetParameterValues").result[MS + "InformParameterNumberOfEntries"][0], "0")
        # On: created with its Alias, its values set.
        s = self.session_with(
            acs, SetParameterValues([(MS + "AutoCreateInstances", "true", "xsd:boolean")], key="x1"),
            SetParameterValues([(IP + "[new].Enable", "true", "xsd:boolean"),
                                (IP + "[new].ParameterName", "Device.DeviceInfo.UpTime", "xsd:string")], key="x2"),
            GetParameterValues([IP, MS + "ParameterKey"]))
        self.assertOk(s.find("SetParameterValues", 1))
        values = s.find("GetParameterValues").result
        rows = sorted(n for n in values if n.endswith(".Alias"))
        self.assertEqual(len(rows), 1, values)
        row = rows[0][:-len("Alias")]
        self.assertEqual(values[row + "Alias"][0], "new")
        self.assertEqual(values[row + "Enable"][0], "true")
        self.assertEqual(values[row + "ParameterName"][0], "Device.DeviceInfo.UpTime")
        self.assertEqual(values[MS + "ParameterKey"][0], "x2")
        # A table the ACS may not add to: the [alias] stays unknown (9005).
        s = self.session_with(acs, SetParameterValues([(ETH + "[nic9].Enable", "true", "xsd:boolean")], key="x9"))
        spv = s.find("SetParameterValues")
        self.assertEqual(spv.fault.code, 9003)
        self.assertIn("9005", spv.response_xml)
        # All or nothing: a bad value elsewhere in the request, no [bad] instance after.
        s = self.session_with(
            acs, SetParameterValues([(IP + "[bad].Enable", "true", "xsd:boolean"),
                                     (MS + "PeriodicInformInterval", "often", "xsd:unsignedInt")], key="x3"),
            GetParameterValues([IP, MS + "ParameterKey"]))
        self.assertEqual(s.find("SetParameterValues").fault.code, 9003)
        values = s.find("GetParameterValues").result
        self.assertEqual(sorted(v[0] for n, v in values.items() if n.endswith(".Alias")), ["new"])
        self.assertEqual(values[MS + "ParameterKey"][0], "x2")


if __name__ == "__main__":
    unittest.main()
