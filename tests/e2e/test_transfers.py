"""File transfers (TR-069 A.3.2.8 Download, A.4.1.5 Upload, A.4.1.8 ScheduleDownload,
A.4.1.9 CancelTransfer, A.3.3.2 TransferComplete): firmware with the reboot that
installs it, vendor configuration files, uploads by HTTP PUT and FTP, every failure
code, and kill -9 of cwmpd at each point of a download's life."""

import os
import signal
import time
import unittest

from harness import (EXIT_OK, EXIT_REBOOT, MS, Cwmpd, E2ECase, GetParameterValues, ScheduleInform,
                     parse_datetime)
from support_files import (HAVE_PYFTPDLIB, OPENSSL, Certs, FileServer, FtpServer, PipedCwmpd,
                           acknowledged_transfer_completes, closed_port, config_file, firmware,
                           store_transfers, transfer_completes)
from testacs_lib.cwmp import (CancelTransfer, Download, GetAllQueuedTransfers, GetQueuedTransfers,
                              ScheduleDownload, Upload)

FIRMWARE = "1 Firmware Upgrade Image"
CONFIG = "3 Vendor Configuration File"
BOOT = ("1 BOOT", "")
TC = ("7 TRANSFER COMPLETE", "")
SW = "Device.DeviceInfo.SoftwareVersion"
UNKNOWN_TIME = "0001-01-01T00:00:00Z"
PHASE_INSTALLED = "2"
CR_USER, CR_PASSWORD = "cr-e2e", "cr-secret"


class TransferCase(E2ECase):
    def setUp(self):
        super().setUp()
        self.staging = os.path.join(self.dir, "staging")
        os.makedirs(self.staging)
        self.files = FileServer()
        self.addCleanup(self.files.stop)

    def start(self, daemon_class=None, defaults=None, run=True, **keys):
        """ACS + cwmpd (staging_dir in the test's directory, connection-request
        credentials CR_USER / CR_PASSWORD); returns (acs, cpe), cwmpd started unless
        run=False (then queue first, and cpe.start())."""
        d = {MS + "ConnectionRequestUsername": CR_USER, MS + "ConnectionRequestPassword": CR_PASSWORD}
        d.update(defaults or {})
        acs, conf = self.setup_cpe(staging_dir=self.staging, defaults=d, **keys)
        cpe = (daemon_class or Cwmpd)(conf, os.path.join(self.dir, "cwmpd-%d.log" % (len(self.daemons) + 1)))
        self.daemons.append(cpe)
        if run:
            cpe.start()
        return acs, cpe

    def kick(self, acs):
        return super().kick(acs, CR_USER, CR_PASSWORD)

    # ---- checks
    def tc_of(self, exchange):
        d = exchange.request
        fs = d.get("FaultStruct") or {}
        return {"key": d.get("CommandKey"), "code": int(fs.get("FaultCode", -1)),
                "string": fs.get("FaultString", ""), "start": d.get("StartTime"), "complete": d.get("CompleteTime")}

    def assertOneTransferComplete(self, acs, key, code, kind="M Download"):
        """Exactly one TransferComplete for `key` was acknowledged, over every session, with
        FaultCode `code`; its session's Inform carried 7 TRANSFER COMPLETE and `kind` key."""
        try:
            acs.wait_for(lambda: any(e.request.get("CommandKey") == key and s.finished
                                     for s, e in acknowledged_transfer_completes(acs)),
                         10, "acknowledged TransferComplete %s" % key)
        except TimeoutError:
            pass
        acked = [(s, e) for s, e in acknowledged_transfer_completes(acs) if e.request.get("CommandKey") == key]
        self.assertEqual(len(acked), 1, "TransferCompletes for %r: %s" % (
            key, [(s.index, self.tc_of(e)) for s, e in transfer_completes(acs)]))
        s, e = acked[0]
        tc = self.tc_of(e)
        self.assertEqual(tc["code"], code, "TransferComplete %s: %s" % (key, tc))
        if code == 0:
            self.assertEqual(tc["string"], "")
        else:
            self.assertTrue(tc["string"], "FaultString empty for fault %d" % code)
        self.assertIn(TC, s.events, "session %d sent TransferComplete without 7 TRANSFER COMPLETE" % s.index)
        self.assertIn((kind, key), s.events)
        return s, tc

    def assertTimes(self, tc, lo, hi):
        """StartTime <= CompleteTime, both known and within [lo, hi] (Unix seconds)."""
        self.assertNotEqual(tc["start"], UNKNOWN_TIME)
        self.assertNotEqual(tc["complete"], UNKNOWN_TIME)
        start, complete = parse_datetime(tc["start"]), parse_datetime(tc["complete"])
        self.assertLessEqual(start, complete, tc)
        self.assertGreaterEqual(start, int(lo) - 1, tc)
        self.assertLessEqual(complete, hi + 1, tc)

    def no_more_transfer_completes(self, acs, cpe, count):
        """One more session (a connection request): it carries neither 7 TRANSFER COMPLETE
        nor a TransferComplete; `count` TransferCompletes in all."""
        s = self.kick(acs)
        self.assertEvents(s, [("6 CONNECTION REQUEST", "")])
        self.assertIsNone(s.find("TransferComplete"))
        self.assertEqual(len(transfer_completes(acs)), count,
                         "TransferCompletes: %s" % [(x.index, self.tc_of(e)) for x, e in transfer_completes(acs)])


class Firmware(TransferCase):
    def test_firmware_download(self):
        """Download of a firmware image over HTTP: DownloadResponse Status 1; cwmpd fetches,
        installs, exits 3 (reboot); restarted on the same store it sends 1 BOOT, M Download
        <key> and 7 TRANSFER COMPLETE (and 4 VALUE CHANGE: SoftwareVersion is forceEnabled
        active notification in TR-181), TransferComplete FaultCode 0 with StartTime and
        CompleteTime, the new SoftwareVersion; no TransferComplete after that."""
        image = firmware("5.0.2001")
        self.files.add("/fw.bin", image)
        acs, cpe = self.start(run=False)
        t_req = time.time()
        acs.queue(Download(self.files.url("/fw.bin"), FIRMWARE, key="fw-1", file_size=len(image),
                           target_file_name="EX4K200_VBN_5.0.2001_PROD.bin"))
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        old_version = s1.parameters[SW][0]
        dl = s1.find("Download")
        self.assertOk(dl)
        self.assertEqual(dl.response.get("Status"), "1")
        self.assertEqual(dl.response.get("StartTime"), UNKNOWN_TIME)
        self.assertEqual(cpe.wait(15), EXIT_REBOOT, "cwmpd should exit 3 to reboot into the new image")
        self.assertEqual(len([r for r in self.files.requests if r["method"] == "GET"]), 1)
        self.assertEqual(os.listdir(self.staging), [], "the staged file was left behind")
        cpe.start()
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertEvents(s2, [BOOT, ("4 VALUE CHANGE", ""), TC, ("M Download", "fw-1")])
        self.assertEqual(s2.parameters[SW][0], "5.0.2001")
        self.assertNotEqual(old_version, "5.0.2001")
        _s, tc = self.assertOneTransferComplete(acs, "fw-1", 0)
        self.assertTimes(tc, t_req, time.time())
        self.no_more_transfer_completes(acs, cpe, 1)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Failures(TransferCase):
    def test_unsupported_scheme(self):
        """A URL scheme the CPE does not speak is refused on the Download itself: fault 9013
        (TR-069 A.3.2.8), nothing queued, no TransferComplete."""
        acs, cpe = self.start(run=False)
        acs.queue(Download("tftp://127.0.0.1/fw.bin", FIRMWARE, key="tftp"),
                  Upload("tftp://127.0.0.1/log.txt", "2 Vendor Log File", key="tftp-up"),
                  GetAllQueuedTransfers())
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        for method in ("Download", "Upload"):
            ex = s1.find(method)
            self.assertIsNotNone(ex.fault, "%s with a tftp:// URL was accepted" % method)
            self.assertEqual(ex.fault.code, 9013)
        self.assertOk(s1.find("GetAllQueuedTransfers"))
        self.assertEqual(store_transfers(self.store), [])
        self.assertStaysUp(cpe, 1.0)
        self.assertEqual(len(acs.sessions), 1)
        self.assertEqual(transfer_completes(acs), [])
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_download_failures(self):
        """Each failed download ends in exactly one TransferComplete with its fault code
        (TR-069 A.3.3.2 / A.5), no reboot, the firmware unchanged: 9015 server unreachable,
        9016 not found (404), 9018 FileSize wrong, 9017 body shorter than its
        Content-Length, 9012 wrong credentials, 9010 not enough space (FileSize above the
        box's 512 MiB), 9018 not a firmware image, 9019 bad signature."""
        image = firmware("6.6.6")
        self.files.add("/fw.bin", image)
        self.files.add("/short.bin", image, declared_length=len(image) + 4096)
        self.files.add("/corrupt.bin", firmware("6.6.7", magic=False))
        self.files.add("/badsig.bin", firmware("6.6.8", signature="bad"))
        secure = FileServer(username="files", password="right")
        self.addCleanup(secure.stop)
        secure.add("/fw.bin", image)
        cases = [
            ("unreachable", "http://127.0.0.1:%d/fw.bin" % closed_port(), {}, 9015),
            ("not-found", self.files.url("/nothing-here.bin"), {}, 9016),
            ("wrong-size", self.files.url("/fw.bin"), {"file_size": len(image) + 10}, 9018),
            ("short-body", self.files.url("/short.bin"), {}, 9017),
            ("bad-credentials", secure.url("/fw.bin"), {"username": "files", "password": "wrong"}, 9012),
            ("no-space", self.files.url("/fw.bin"), {"file_size": 600 << 20}, 9010),
            ("corrupted", self.files.url("/corrupt.bin"), {}, 9018),
            ("bad-signature", self.files.url("/badsig.bin"), {}, 9019),
        ]
        acs, cpe = self.start(run=False)
        acs.queue(*[Download(url, FIRMWARE, key=key, **kw) for key, url, kw, _ in cases])
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        version = s1.parameters[SW][0]
        for key, *_ in cases:
            self.assertOk(s1.find("Download", [c[0] for c in cases].index(key)), key)
        s2 = acs.wait_for_session(15)
        self.assertDone(s2)
        self.assertEqual(s2.parameters[SW][0], version, "a failed download changed the firmware")
        # FaultString: the fault table's text (runtime/src/fault.cpp, TR-069 A.5), then the cause.
        fault_strings = {
            "unreachable": r"Download failure: unable to contact file server: cannot contact the file server: .+",
            "not-found": r"Download failure: unable to access file: the file server answered 404",
            "wrong-size": r"Download failure: file corrupted or otherwise unusable: got \d+ bytes where FileSize "
                          r"said \d+",
            "short-body": r"Download failure: unable to complete download: .+",
            "bad-credentials": r"File transfer server authentication failure: the file server refused the "
                               r"credentials",
            "no-space": r"Download failure: not enough space: \d+ bytes asked, \d+ free",
            "corrupted": r"Download failure: file corrupted or otherwise unusable: refused by the device's check "
                         r"of the 1 Firmware Upgrade Image",
            "bad-signature": r"Download failure: file authentication failure: refused by the device's check of "
                             r"the 1 Firmware Upgrade Image",
        }
        for key, url, kw, code in cases:
            with self.subTest(key):
                s, tc = self.assertOneTransferComplete(acs, key, code)
                self.assertEqual(s.index, 2)
                self.assertTimes(tc, s1.started_at, time.time())
                self.assertRegex(tc["string"], "^" + fault_strings[key] + "$")
        self.assertEqual(secure.requests[-1]["status"], 401)
        self.assertEqual(self.files.files["/fw.bin"].gets, 1,
                         "no-space should fail before fetching anything (only wrong-size fetches /fw.bin)")
        self.assertEqual(os.listdir(self.staging), [], "staged files were left behind")
        self.assertTrue(cpe.running(), "a failed download made cwmpd exit (%s)" % cpe.proc.poll())
        self.no_more_transfer_completes(acs, cpe, len(cases))
        self.assertEqual(store_transfers(self.store), [])
        self.assertEqual(cpe.stop(), EXIT_OK)

    @unittest.skipIf(OPENSSL is None, "no openssl binary to make certificates")
    def test_https_downloads(self):
        """HTTPS file servers, verified against ca_file: a server whose certificate comes
        from an unknown CA fails with 9012 (file transfer server authentication failure);
        one with a good certificate delivers a configuration file, which is applied."""
        certs = Certs(os.path.join(self.dir, "pki"))
        good = FileServer(ssl_context=certs.server_context())
        bad = FileServer(ssl_context=certs.server_context(certs.unknown_ca()))
        self.addCleanup(good.stop)
        self.addCleanup(bad.stop)
        cfg = config_file({"Device.DeviceInfo.ProvisioningCode": "via-https"})
        good.add("/cfg.txt", cfg)
        bad.add("/cfg.txt", cfg)
        acs, cpe = self.start(ca_file=certs.ca, run=False)
        acs.queue(Download(bad.url("/cfg.txt"), CONFIG, key="tls-bad"),
                  Download(good.url("/cfg.txt"), CONFIG, key="tls-good"))
        acs.on_inform = lambda s: [GetParameterValues(["Device.DeviceInfo.ProvisioningCode"])] \
            if TC in s.events else None
        cpe.start()
        s1 = acs.wait_for_session(10)
        s2 = acs.wait_for_session(10)
        self.assertOneTransferComplete(acs, "tls-bad", 9012)
        self.assertOneTransferComplete(acs, "tls-good", 0)
        self.assertEqual(self.value(s2.find("GetParameterValues"), "Device.DeviceInfo.ProvisioningCode"),
                         "via-https")
        self.assertEqual(bad.files["/cfg.txt"].gets, 0, "the file was served over an unverified connection")
        self.assertRegex(cpe.log(), r"tls-bad: failed with 9012 \(.*TLS: .*(certificate|issuer)")
        self.assertEqual(cpe.stop(), EXIT_OK)


class ConfigurationFiles(TransferCase):
    def test_vendor_configuration_file(self):
        """3 Vendor Configuration File: its "Device.X.Y = value" lines are applied (no
        reboot); a file with a line that is not NAME = VALUE, or one naming a read-only
        parameter, is refused as a whole with 9018."""
        self.files.add("/good.cfg", config_file({MS + "PeriodicInformInterval": "4321",
                                                 "Device.DeviceInfo.ProvisioningCode": "cfg-e2e"}))
        self.files.add("/garbage.cfg", b"Device.DeviceInfo.ProvisioningCode = never\nthis is not a setting\n")
        self.files.add("/readonly.cfg", config_file({"Device.DeviceInfo.ProvisioningCode": "never",
                                                     SW: "9.9.9"}))
        acs, cpe = self.start(run=False)
        acs.queue(Download(self.files.url("/good.cfg"), CONFIG, key="cfg-good"),
                  Download(self.files.url("/garbage.cfg"), CONFIG, key="cfg-garbage"),
                  Download(self.files.url("/readonly.cfg"), CONFIG, key="cfg-readonly"))
        acs.on_inform = lambda s: [GetParameterValues([MS + "PeriodicInformInterval",
                                                       "Device.DeviceInfo.ProvisioningCode", SW])] \
            if TC in s.events else None
        cpe.start()
        s1 = acs.wait_for_session(10)
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertOneTransferComplete(acs, "cfg-good", 0)
        self.assertOneTransferComplete(acs, "cfg-garbage", 9018)
        self.assertOneTransferComplete(acs, "cfg-readonly", 9018)
        gpv = s2.find("GetParameterValues")
        self.assertEqual(self.value(gpv, MS + "PeriodicInformInterval"), "4321")
        self.assertEqual(self.value(gpv, "Device.DeviceInfo.ProvisioningCode"), "cfg-e2e",
                         "a refused configuration file was applied in part")
        self.assertEqual(self.value(gpv, SW), s1.parameters[SW][0])
        self.assertStaysUp(cpe, 0.3)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Uploads(TransferCase):
    def test_uploads_by_http_put(self):
        """Upload (TR-069 A.4.1.5) by HTTP PUT: 2 Vendor Log File (the box's log) and
        1 Vendor Configuration File (its settings as NAME = VALUE lines) arrive on the
        server; TransferComplete 0 with M Upload each; an unreachable server is 9011."""
        acs, cpe = self.start(defaults={MS + "PeriodicInformInterval": "2468"}, run=False)
        acs.queue(Upload(self.files.url("/up/box.log"), "2 Vendor Log File", key="up-log"),
                  Upload(self.files.url("/up/box.cfg"), "1 Vendor Configuration File", key="up-cfg"),
                  Upload("http://127.0.0.1:%d/up/x" % closed_port(), "2 Vendor Log File", key="up-fail"))
        cpe.start()
        s1 = acs.wait_for_session(10)
        for i in range(3):
            ex = s1.find("Upload", i)
            self.assertOk(ex)
            self.assertEqual(ex.response.get("Status"), "1")
        log = self.files.wait_for_upload("/up/box.log").decode()
        cfg = self.files.wait_for_upload("/up/box.cfg").decode()
        self.assertIn("EXSTB-4K log, up", log)
        self.assertIn(MS + "PeriodicInformInterval = 2468\n", cfg)
        self.assertNotIn(MS + "ConnectionRequestURL", cfg, "read-only parameters in the configuration file")
        self.assertTrue(all(" = " in line for line in cfg.splitlines()), cfg[:500])
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertOneTransferComplete(acs, "up-log", 0, "M Upload")
        self.assertOneTransferComplete(acs, "up-cfg", 0, "M Upload")
        self.assertOneTransferComplete(acs, "up-fail", 9011, "M Upload")
        self.assertEqual(os.listdir(self.staging), [])
        self.assertEqual(cpe.stop(), EXIT_OK)

    @unittest.skipUnless(HAVE_PYFTPDLIB, "pyftpdlib is not installed (Debian package python3-pyftpdlib)")
    def test_ftp_download_and_upload(self):
        """ftp:// with Username/Password: a configuration file downloaded and applied, the
        log uploaded (STOR); wrong FTP credentials are 9012."""
        root = os.path.join(self.dir, "ftp")
        os.makedirs(root)
        with open(os.path.join(root, "box.cfg"), "wb") as f:
            f.write(config_file({"Device.DeviceInfo.ProvisioningCode": "via-ftp"}))
        ftp = FtpServer(root)
        self.addCleanup(ftp.stop)
        acs, cpe = self.start(run=False)
        acs.queue(Download(ftp.url("box.cfg"), CONFIG, key="ftp-cfg", username=ftp.username,
                           password=ftp.password),
                  Upload(ftp.url("box.log"), "2 Vendor Log File", key="ftp-log", username=ftp.username,
                         password=ftp.password),
                  Download(ftp.url("box.cfg"), CONFIG, key="ftp-denied", username=ftp.username,
                           password="wrong"))
        acs.on_inform = lambda s: [GetParameterValues(["Device.DeviceInfo.ProvisioningCode"])] \
            if TC in s.events else None
        cpe.start()
        acs.wait_for_session(10)
        s2 = acs.wait_for_session(15)
        self.assertOneTransferComplete(acs, "ftp-cfg", 0)
        self.assertOneTransferComplete(acs, "ftp-log", 0, "M Upload")
        self.assertOneTransferComplete(acs, "ftp-denied", 9012)
        self.assertEqual(self.value(s2.find("GetParameterValues"), "Device.DeviceInfo.ProvisioningCode"),
                         "via-ftp")
        with open(os.path.join(root, "box.log")) as f:
            self.assertIn("EXSTB-4K log, up", f.read())
        self.assertEqual(cpe.stop(), EXIT_OK)


class Queue(TransferCase):
    def test_cancel_transfer(self):
        """CancelTransfer (A.4.1.9) of a Download with DelaySeconds 60 that has not started:
        accepted, the queue is empty, and no TransferComplete ever comes for it; a second
        CancelTransfer of the same key is refused (9003: no such transfer)."""
        self.files.add("/fw.bin", firmware("7.0.0"))
        acs, cpe = self.start(run=False)
        acs.queue(Download(self.files.url("/fw.bin"), FIRMWARE, key="later", delay=60),
                  GetQueuedTransfers(),
                  CancelTransfer("later"),
                  GetAllQueuedTransfers(),
                  CancelTransfer("later"),
                  ScheduleInform(1, "check"))
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertOk(s1.find("Download"))
        queued = s1.find("GetQueuedTransfers")
        self.assertOk(queued)
        self.assertEqual(queued.response.get("TransferList"), [{"CommandKey": "later", "State": "1"}])
        self.assertOk(s1.find("CancelTransfer", 0))
        all_queued = s1.find("GetAllQueuedTransfers")
        self.assertOk(all_queued)
        self.assertIn(all_queued.response.get("TransferList"), ([], "", None), all_queued.response)
        again = s1.find("CancelTransfer", 1)
        self.assertIsNotNone(again.fault)
        self.assertEqual(again.fault.code, 9003)
        self.assertEqual(store_transfers(self.store), [])
        s2 = acs.wait_for_session(10)
        self.assertEvents(s2, [("3 SCHEDULED", ""), ("M ScheduleInform", "check")])
        self.assertEqual(transfer_completes(acs), [])
        self.assertEqual(self.files.files["/fw.bin"].gets, 0)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_schedule_download_in_window(self):
        """ScheduleDownload with a window open now: the file comes, TransferComplete 0 with
        M ScheduleDownload <key>."""
        self.files.add("/cfg.txt", config_file({"Device.DeviceInfo.ProvisioningCode": "scheduled"}))
        acs, cpe = self.start(run=False)
        acs.queue(ScheduleDownload(self.files.url("/cfg.txt"), [[0, 30, "1 At Any Time", "", -1]],
                                   CONFIG, key="sd-now"))
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertOk(s1.find("ScheduleDownload"))
        acs.wait_for_session(10)
        self.assertOneTransferComplete(acs, "sd-now", 0, "M ScheduleDownload")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_schedule_download_window_missed(self):
        """ScheduleDownload whose only window passes while the CPE cannot act (cwmpd
        stopped by SIGSTOP from before the window opens until after it closes):
        TransferComplete 9020 (unable to complete within the time windows), nothing fetched."""
        self.files.add("/cfg.txt", config_file({"Device.DeviceInfo.ProvisioningCode": "too-late"}))
        acs, cpe = self.start(run=False)
        acs.queue(ScheduleDownload(self.files.url("/cfg.txt"), [[2, 3, "1 At Any Time", "", -1]],
                                   CONFIG, key="sd-late"))
        cpe.start()
        s1 = acs.wait_for_inform(10)
        acs.wait_for(lambda: s1.find("ScheduleDownload") is not None and
                     s1.find("ScheduleDownload").response_name is not None, 10, "ScheduleDownloadResponse")
        asked = s1.find("ScheduleDownload").sent_at
        acs.wait_for(lambda: s1.finished, 10, "end of session 1")
        cpe.signal(signal.SIGSTOP)
        try:
            self.assertLess(time.time() - asked, 0.9, "too slow to stop cwmpd before the window opened")
            time.sleep(max(0.0, int(asked) + 4.2 - time.time()))
        finally:
            cpe.signal(signal.SIGCONT)
        s2 = acs.wait_for_session(10)
        self.assertOneTransferComplete(acs, "sd-late", 9020, "M ScheduleDownload")
        self.assertEqual(self.files.files["/cfg.txt"].gets, 0)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Acknowledgement(TransferCase):
    def test_transfer_complete_fault_is_retried(self):
        """The ACS answers TransferComplete with a fault (8005 Retry request) once: the
        session failed, cwmpd retries after the back-off and sends the TransferComplete
        again, in an Inform that carries 7 TRANSFER COMPLETE and M Download <key> again
        (TR-069 3.7.1.5 Table 8: both count as delivered only on a TransferCompleteResponse,
        and an Inform states why the session is opened)."""
        cfg = config_file({"Device.DeviceInfo.ProvisioningCode": "retried"})
        self.files.add("/cfg.txt", cfg)
        acs, cpe = self.start(run=False)
        acs.inject_fault("TransferComplete", 8005)
        acs.queue(Download(self.files.url("/cfg.txt"), CONFIG, key="tc-retry"))
        cpe.start()
        acs.wait_for(lambda: len(acknowledged_transfer_completes(acs)) == 1, 10, "acknowledged TransferComplete")
        (s_refused, refused), (s_acked, acked) = transfer_completes(acs)
        self.assertEqual(refused.fault.code, 8005)
        self.assertEqual(self.tc_of(refused)["key"], "tc-retry")
        self.assertEqual(self.tc_of(acked), self.tc_of(refused), "the retried TransferComplete differs")
        self.assertEqual(s_refused.index + 1, s_acked.index)
        self.assertGreaterEqual(s_acked.retry_count, 1)
        self.assertIn(TC, s_refused.events)
        self.assertEvents(s_acked, [TC, ("M Download", "tc-retry")])
        self.no_more_transfer_completes(acs, cpe, 2)
        self.assertEqual(cpe.stop(), EXIT_OK)


class KillNine(TransferCase):
    """kill -9 of cwmpd at each point of a firmware download's life, then a restart on
    the same store: in the end exactly one acknowledged TransferComplete, with the
    right result, over all sessions."""

    def finish_after_kill(self, acs, cpe, key, version, count):
        """After the kill: restart; when the download still has to install, the next run
        exits 3 and one more restart reports it: one acknowledged TransferComplete with
        FaultCode 0, the new firmware running, `count` TransferCompletes in all."""
        if cpe.running():
            cpe.proc.kill()
        cpe.wait(5)
        for _run in range(3):
            cpe.start()
            acs.wait_for(lambda: acknowledged_transfer_completes(acs) or not cpe.running(), 15,
                         "a TransferComplete or cwmpd's exit")
            if acknowledged_transfer_completes(acs):
                break
            self.assertEqual(cpe.wait(5), EXIT_REBOOT, "cwmpd exited with %s" % cpe.returncode)
        acs.wait_for(lambda: acknowledged_transfer_completes(acs), 10, "acknowledged TransferComplete")
        s, tc = self.assertOneTransferComplete(acs, key, 0)
        self.assertEqual(s.parameters[SW][0], version)
        self.no_more_transfer_completes(acs, cpe, count)
        return s

    def test_kill_before_download_starts(self):
        """(1) SIGKILL right after the DownloadResponse (DelaySeconds 2): the transfer was
        persisted before it was acknowledged, so the restarted cwmpd still carries it out
        when the delay has run out."""
        image = firmware("8.1.0")
        self.files.add("/fw.bin", image)
        acs, cpe = self.start(run=False)
        acs.queue(Download(self.files.url("/fw.bin"), FIRMWARE, key="k1", delay=2, file_size=len(image)))
        cpe.start()
        s1 = acs.wait_for_inform(10)
        acs.wait_for(lambda: s1.find("Download") is not None and s1.find("Download").response_name,
                     10, "DownloadResponse")
        cpe.proc.kill()
        cpe.wait(5)
        self.assertEqual(self.files.requests, [])
        self.assertEqual([t.get("phase") for t in store_transfers(self.store)], ["0"],
                         "the acknowledged Download is not in the store as queued")
        self.finish_after_kill(acs, cpe, "k1", "8.1.0", 1)
        self.assertEqual(self.files.files["/fw.bin"].gets, 1)
        waited = self.files.requests[0]["time"] - s1.find("Download").sent_at
        self.assertGreater(waited, 2 - 1.0, "fetched %.2f s after a Download with DelaySeconds 2" % waited)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_kill_during_download(self):
        """(2) SIGKILL while the image is half sent: the restarted cwmpd fetches it again,
        installs it and reports success once."""
        image = firmware("8.2.0")
        f = self.files.add("/fw.bin", image, pause_after=len(image) // 2)
        acs, cpe = self.start(run=False)
        acs.queue(Download(self.files.url("/fw.bin"), FIRMWARE, key="k2", file_size=len(image)))
        cpe.start()
        self.assertTrue(f.paused.wait(10), "the download did not start")
        cpe.proc.kill()
        cpe.wait(5)
        f.release.set()
        phases = [t.get("phase") for t in store_transfers(self.store)]
        self.assertEqual(phases, ["1"], "store after the kill: %s" % phases)
        self.finish_after_kill(acs, cpe, "k2", "8.2.0", 1)
        self.assertEqual(f.gets, 2)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_kill_after_install_before_reboot(self):
        """(3) SIGKILL after the image was installed (phase Installed committed) and before
        cwmpd exits to reboot: cwmpd is held at the log line that follows the commit
        (its log pipe is full), killed there, and restarted: it reports success once
        without fetching again."""
        image = firmware("8.3.0")
        f = self.files.add("/fw.bin", image, pause_after=len(image) // 2)
        acs, cpe = self.start(daemon_class=PipedCwmpd, run=False)
        acs.queue(Download(self.files.url("/fw.bin"), FIRMWARE, key="k3", file_size=len(image)))
        cpe.start()
        self.assertTrue(f.paused.wait(10), "the download did not start")
        cpe.freeze()
        f.release.set()
        def held():
            if not cpe.running():
                return True
            if [t.get("phase") for t in store_transfers(self.store)] != [PHASE_INSTALLED]:
                return False
            blocked = cpe.blocked_in_write()
            if blocked is None:          # no wchan here: still there a moment later will do
                time.sleep(0.3)
                return cpe.running()
            return blocked
        try:
            self.wait_until(held, 10, "cwmpd held at its log line after the install")
        except AssertionError:
            cpe.thaw()
            raise
        if not cpe.running():
            cpe.thaw()
            self.skipTest("cwmpd exited (%s) before it could be held after the install" % cpe.proc.poll())
        phases = [t.get("phase") for t in store_transfers(self.store)]
        cpe.proc.kill()
        cpe.wait(5)
        self.assertEqual(phases, [PHASE_INSTALLED], "cwmpd was held at another point: transfer phases %s" % phases)
        self.assertNotIn("installed; rebooting", cpe.log())
        self.finish_after_kill(acs, cpe, "k3", "8.3.0", 1)
        self.assertEqual(f.gets, 1, "an installed image was fetched again")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_kill_before_transfer_complete_acknowledged(self):
        """(4) After the reboot the ACS answers TransferComplete with a fault (8002) once;
        cwmpd is killed once it has scheduled its retry, and restarted: it sends the
        TransferComplete again and the ACS acknowledges exactly one, FaultCode 0.  (Which
        events that Inform carries: test_transfer_complete_fault_is_retried.)"""
        image = firmware("8.4.0")
        self.files.add("/fw.bin", image)
        acs, cpe = self.start(run=False)
        acs.queue(Download(self.files.url("/fw.bin"), FIRMWARE, key="k4", file_size=len(image)))
        cpe.start()
        self.assertEqual(cpe.wait(15), EXIT_REBOOT)
        acs.inject_fault("TransferComplete", 8002)
        cpe.start()
        cpe.wait_log(r"session: retry \d+ in", 10)
        cpe.proc.kill()
        cpe.wait(5)
        (_s2, refused), = transfer_completes(acs)
        self.assertEqual(refused.fault.code, 8002)
        self.finish_after_kill(acs, cpe, "k4", "8.4.0", 2)
        tcs = [self.tc_of(e) for _s, e in transfer_completes(acs)]
        self.assertEqual(tcs[0], tcs[1], "the TransferComplete sent again differs")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_kill_after_inform_response(self):
        """SIGKILL in a session after the InformResponse arrived (cwmpd stopped while it
        waits for the ACS's first request, then killed): the restarted cwmpd sends 1 BOOT
        but not 0 BOOTSTRAP again: that event was delivered by the InformResponse
        (TR-069 3.7.1.5 Table 8), and a second BOOTSTRAP tells the ACS the box was reset."""
        acs, cpe = self.start(run=False)

        def stop_cwmpd(_session):
            os.kill(cpe.pid, signal.SIGSTOP)    # before the ACS's request reaches it
            return GetParameterValues([SW])
        acs.queue(stop_cwmpd)
        cpe.start()
        s1 = acs.wait_for_inform(10)
        acs.wait_for(lambda: s1.find("GetParameterValues") is not None, 10, "the ACS's request")
        cpe.proc.kill()
        cpe.wait(5)
        self.assertEqual(s1.find("Inform").response_name, "InformResponse")
        cpe.start()
        s2 = acs.wait_for_inform(10)
        acs.wait_for(lambda: s2.finished, 10, "session 2")
        self.assertDone(s2)
        self.assertEvents(s2, [BOOT])
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
