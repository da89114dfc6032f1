"""cwmpctl, cwmpd's local CLI, over the control socket (runtime/src/ctl/, tools/cwmpctl/):
values read and written all or nothing with the ACS's access rules and exit statuses
that say what went wrong, local changes notified to the ACS per the notification
attributes (they are not the ACS's own), objects added and deleted, a session with a
vendor event, status and events, RequestDownload on request, a caller neither root nor
in the control group refused by its peer credentials, hidden values shown to root only,
and a socket that is gone."""

import grp
import json
import os
import socket
import subprocess
import unittest

from harness import (EXIT_CONFIG, EXIT_OK, MS, ROOT, E2ECase, GetParameterValues,
                     SetParameterAttributes)

CWMPCTL = os.environ.get("CWMPCTL") or os.path.join(ROOT, "build", "tools", "cwmpctl", "cwmpctl")
OK, USAGE, BAD_PATH, BAD_VALUE, NOT_WRITABLE, FAILED, DENIED, UNREACHABLE = range(8)
DNS_ENABLE = "Device.DNS.Client.Enable"  # writable, notification allowed, does not change by itself
SERIAL = "Device.DeviceInfo.SerialNumber"
NOBODY = 65534


class CtlCase(E2ECase):
    def start(self, **keys):
        """ACS and cwmpd with a control socket; returns after the first session."""
        self.sock = os.path.join(self.dir, "ctl.sock")
        keys.setdefault("notification_poll_interval", 1)
        acs, conf = self.setup_cpe(control_socket=self.sock, **keys)
        cpe = self.start_cwmpd(conf)
        first = acs.wait_for_session(10)
        self.assertDone(first)
        return acs, cpe, first

    def ctl(self, *args, uid=None, sock=None):
        """(exit status, stdout, stderr) of cwmpctl; uid runs it as that user (and group)."""
        cmd = [CWMPCTL, "-s", sock or self.sock] + list(args)
        if uid is not None:
            cmd = ["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--clear-groups"] + cmd
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return p.returncode, p.stdout, p.stderr

    def ok(self, *args, **kw):
        rc, out, err = self.ctl(*args, **kw)
        self.assertEqual(rc, OK, "cwmpctl %s: %s" % (" ".join(args), err))
        return out


class Values(CtlCase):
    def test_get_and_set_all_or_nothing(self):
        acs, cpe, first = self.start()
        self.assertEqual(self.ok("get", SERIAL), "%s %s\n" % (SERIAL, first.device_id["SerialNumber"]))
        values = json.loads(self.ok("--json", "get", "Device.DeviceInfo."))
        self.assertEqual(values[SERIAL], first.device_id["SerialNumber"])
        key = self.ok("get", MS + "ParameterKey")
        interval = MS + "PeriodicInformInterval"
        before = self.ok("get", interval)
        # One bad value: nothing applied, the bad one named, exit 3.
        rc, out, err = self.ctl("set", interval, "1234", DNS_ENABLE, "maybe")
        self.assertEqual(rc, BAD_VALUE, err)
        self.assertIn(DNS_ENABLE + ": 9007", err)
        self.assertEqual(self.ok("get", interval), before)
        # A read-only parameter: 4; an unknown one: 2; JSON errors for scripts.
        rc, _, err = self.ctl("set", interval, "1234", SERIAL, "X")
        self.assertEqual(rc, NOT_WRITABLE, err)
        self.assertIn(SERIAL + ": 9008", err)
        self.assertEqual(self.ok("get", interval), before)
        rc, _, err = self.ctl("get", "Device.NoSuchThing.")
        self.assertEqual(rc, BAD_PATH, err)
        rc, _, err = self.ctl("--json", "set", "Device.NoSuchThing.X", "1")
        self.assertEqual(rc, BAD_PATH)
        self.assertEqual(json.loads(err)["error"]["faults"][0]["code"], 9005)
        rc, _, err = self.ctl("set", interval)
        self.assertEqual(rc, USAGE, err)
        rc, _, err = self.ctl("frobnicate")
        self.assertEqual(rc, USAGE)
        self.assertIn("unknown command", err)
        # Both good: both applied at once; ParameterKey is the ACS's and stays.
        self.ok("set", interval, "1234", DNS_ENABLE, "false")
        self.assertEqual(self.ok("get", interval, DNS_ENABLE), "%s 1234\n%s false\n" % (interval, DNS_ENABLE))
        self.assertEqual(self.ok("get", MS + "ParameterKey"), key)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_local_change_notifies_the_acs(self):
        """The ACS asks for active notification on DNS Enable; cwmpctl changes it: a session
        with 4 VALUE CHANGE carrying the new value (an ACS's own change is never notified)."""
        acs = self.make_acs()
        self.sock = os.path.join(self.dir, "ctl.sock")
        conf = self.write_config(acs.url, control_socket=self.sock, notification_poll_interval=1)
        acs.queue(SetParameterAttributes([(DNS_ENABLE, 2)]), GetParameterValues([DNS_ENABLE]))
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        old = self.value(s1.find("GetParameterValues"), DNS_ENABLE)
        new = "false" if old == "true" else "true"
        self.ok("set", DNS_ENABLE, new)
        s2 = acs.wait_for_session(10)
        self.assertDone(s2)
        self.assertIn(("4 VALUE CHANGE", ""), s2.events)
        self.assertEqual(s2.parameters[DNS_ENABLE][0], new)
        self.assertEqual(self.ok("attrs", DNS_ENABLE), "%s 2\n" % DNS_ENABLE)
        self.assertProtocolClean(acs)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_add_names_del(self):
        acs, cpe, _ = self.start()
        table = MS + "InformParameter."
        path = self.ok("add", table).strip()
        self.assertRegex(path, r"^Device\.ManagementServer\.InformParameter\.\d+\.$")
        names = self.ok("names", "--next-level", path).splitlines()
        self.assertIn(path + "Enable w", names)
        self.assertEqual(json.loads(self.ok("--json", "names", "--next-level", path))[path + "Enable"], True)
        self.ok("set", path + "ParameterName", "Device.DeviceInfo.UpTime")
        self.ok("del", path)
        rc, _, err = self.ctl("del", path)
        self.assertEqual(rc, BAD_PATH, err)
        rc, _, err = self.ctl("add", "Device.DeviceInfo.")  # not a table
        self.assertEqual(rc, BAD_PATH, err)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Sessions(CtlCase):
    def test_inform_status_events(self):
        acs, cpe, first = self.start()
        status = json.loads(self.ok("--json", "status"))
        self.assertEqual(status["acs_url"], acs.url)
        self.assertTrue(status["last_session"]["completed"])
        self.assertEqual(status["retry_count"], 0)
        self.assertIn("Device.IP.Diagnostics.IPPing.DiagnosticsState", status["diagnostics"])
        self.assertEqual(status["transfers"], [])
        self.assertIn("last_session ", self.ok("status"))
        self.assertEqual(self.ok("events"), "")
        rc, _, err = self.ctl("inform", "1 BOOT")  # a standard code names a cause cwmpctl is not
        self.assertEqual(rc, USAGE, err)
        oui = self.ok("get", "Device.DeviceInfo.ManufacturerOUI").split()[1]
        self.assertEqual(self.ok("inform"), "inform X %s CWMPCTL\n" % oui)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEqual(s.events, [("X %s CWMPCTL" % oui, "")])
        self.ok("inform", "X %s RESCAN" % oui)
        self.assertEqual(acs.wait_for_session(10).events, [("X %s RESCAN" % oui, "")])
        self.assertProtocolClean(acs)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_request_download(self):
        """Issue 11's last point: the RequestDownload trigger from the command line."""
        acs, cpe, _ = self.start()
        self.ok("request-download", "1 Firmware Upgrade Image", "Version=4.2.1038")
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertIn(("9 REQUEST DOWNLOAD", ""), s.events)
        rd = s.find("RequestDownload")
        self.assertEqual(rd.request["FileType"], "1 Firmware Upgrade Image")
        self.assertIn("4.2.1038", str(rd.request["FileTypeArg"]))
        rc, _, err = self.ctl("request-download", "1 Firmware Upgrade Image", "novalue")
        self.assertEqual(rc, USAGE, err)
        rc, _, err = self.ctl("request-download", "42 Not A Type")
        self.assertEqual(rc, FAILED, err)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_bash_completion(self):
        """tools/cwmpctl/cwmpctl.bash-completion completes commands, and paths from the
        running cwmpd one level at a time."""
        acs, cpe, _ = self.start()
        script = os.path.join(ROOT, "tools", "cwmpctl", "cwmpctl.bash-completion")
        bindir = os.path.join(self.dir, "bin")
        os.makedirs(bindir)
        os.symlink(os.path.abspath(CWMPCTL), os.path.join(bindir, "cwmpctl"))

        def complete(*words):
            words = ("cwmpctl",) + words
            cmd = ('source %s; COMP_WORDS=(%s); COMP_CWORD=%d; _cwmpctl; printf "%%s\n" "${COMPREPLY[@]}"'
                   % (script, " ".join("'%s'" % w for w in words), len(words) - 1))
            env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"], CWMPCTL_SOCKET=self.sock)
            p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, env=env, timeout=20)
            return p.stdout.split()

        self.assertEqual(complete("sta"), ["status"])
        self.assertEqual(complete("get", "Dev"), ["Device."])
        self.assertIn("Device.DeviceInfo.", complete("get", "Device.Dev"))
        self.assertEqual(complete("--json", "get", "Device.DeviceInfo.Seri"), [SERIAL])
        self.assertEqual(cpe.stop(), EXIT_OK)


@unittest.skipUnless(os.geteuid() == 0, "needs root to run cwmpctl as another user (setpriv)")
class Access(CtlCase):
    def reachable_by_others(self):
        os.chmod(self.dir, 0o711)  # the socket's folder: the check is the peer's credentials

    def test_refused_caller(self):
        acs, cpe, _ = self.start()
        self.reachable_by_others()
        rc, out, err = self.ctl("get", SERIAL, uid=NOBODY)
        self.assertEqual((rc, out), (DENIED, ""))
        self.assertIn("permission denied", err)
        cpe.wait_log(r"uid %d \(pid \d+\) refused" % NOBODY)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_group_member_sees_no_hidden_value(self):
        group = grp.getgrgid(NOBODY).gr_name
        acs, cpe, _ = self.start(control_group=group)
        self.reachable_by_others()
        password = MS + "ConnectionRequestPassword"
        self.ok("set", password, "s3cret")
        self.assertEqual(self.ok("get", password), "%s s3cret\n" % password)  # root
        self.assertEqual(self.ok("get", password, uid=NOBODY), "%s \n" % password)  # hidden from the ACS
        self.assertEqual(json.loads(self.ok("--json", "get", MS, uid=NOBODY))[password], "")
        rc, _, err = self.ctl("set", SERIAL, "X", uid=NOBODY)
        self.assertEqual(rc, NOT_WRITABLE, err)
        self.ok("set", MS + "PeriodicInformInterval", "4321", uid=NOBODY)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Socket(CtlCase):
    def test_socket_gone_bad_request_second_daemon(self):
        acs, cpe, _ = self.start()
        # Bytes that are no request: a clear answer, the daemon goes on.
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(self.sock)
            s.sendall(b"get\0Device.\x01\0")
            s.shutdown(socket.SHUT_WR)
            answer = s.makefile("rb").read()
        self.assertTrue(answer.startswith(b"1\ncwmpctl: bad request: a control character"), answer)
        # A second cwmpd on the same socket leaves the first one's alone.
        conf2 = self.write_config(acs.url, name="second.conf", control_socket=self.sock,
                                  store=os.path.join(self.dir, "second.db"), connection_request_port=0)
        second = self.start_cwmpd(conf2)
        self.assertEqual(second.wait(10), EXIT_CONFIG)
        self.assertIn("another cwmpd answers there", second.log())
        self.ok("status")
        # Gone: the socket file goes with cwmpd, and cwmpctl says so.
        self.assertEqual(cpe.stop(), EXIT_OK)
        self.assertFalse(os.path.exists(self.sock))
        rc, out, err = self.ctl("status")
        self.assertEqual((rc, out), (UNREACHABLE, ""))
        self.assertIn("cannot reach cwmpd at " + self.sock, err)


if __name__ == "__main__":
    unittest.main()
