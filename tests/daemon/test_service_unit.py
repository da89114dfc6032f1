"""tools/cwmpd/cwmpd.service(.in) keeps cwmpd's exit-status contract: the statuses
cwmpd exits with (cwmp/daemon/daemon.h) for a reboot (3) and a factory reset (4)
are the ones the unit restarts on and does not count as failures, and systemd
accepts the unit (systemd-analyze verify, where systemd is installed, with no
warning).  The Linux board's drop-in (platform/linux/cwmpd-linux-board.conf) adds
exactly the capabilities that board needs, and is installed, as
cwmpd.service.d/linux-board.conf, only by a build with that board.

    BUILD_ROOT  the meson build directory to check the installation of (optional)
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
UNIT = os.path.join(ROOT, "tools", "cwmpd", "cwmpd.service.in")  # meson fills in @CWMPD@, @CONFIG@
# The exit statuses, the contract with the supervisor, are libcwmp's (cwmp/daemon).
DAEMON_H = os.path.join(ROOT, "runtime", "include", "cwmp", "daemon", "daemon.h")
CWMPD = os.environ.get("CWMPD") or os.path.join(ROOT, "build", "tools", "cwmpd", "cwmpd")
DROPIN = os.path.join(ROOT, "platform", "linux", "cwmpd-linux-board.conf")
BUILD = os.environ.get("BUILD_ROOT")


def unit_values(key, path=UNIT):
    with open(path) as f:
        return [line.split("=", 1)[1].strip() for line in f if line.startswith(key + "=")]


def settings(path):
    """[(section, key)] of every assignment in a unit file."""
    out, section = [], None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                section = line.strip("[]")
            elif line and not line.startswith("#"):
                out.append((section, line.split("=", 1)[0]))
    return out


def exit_constant(name):
    with open(DAEMON_H) as f:
        m = re.search(r"\b%s = (\d+),?" % name, f.read())
    assert m, name
    return m.group(1)


class ServiceUnit(unittest.TestCase):
    def test_restarts_on_reboot_and_factory_reset(self):
        reboot, reset = exit_constant("kExitReboot"), exit_constant("kExitFactoryReset")
        self.assertEqual((reboot, reset), ("3", "4"))
        self.assertNotEqual(reboot, exit_constant("kExitConfig"))
        for key in ("RestartForceExitStatus", "SuccessExitStatus"):
            with self.subTest(key):
                (value,) = unit_values(key)
                self.assertEqual(set(value.split()), {reboot, reset})
        # A bad configuration (status 2) is a failure, restarted only by Restart=on-failure.
        self.assertEqual(unit_values("Restart"), ["on-failure"])
        # The documented contract names both statuses.
        with open(DAEMON_H) as f:
            text = f.read()
        self.assertRegex(text, r"kExitReboot = 3,\s+// the ACS asked for a reboot")
        self.assertRegex(text, r"kExitFactoryReset = 4,\s+// the agent's store and the board's settings are wiped")

    @staticmethod
    def verify(with_dropin: bool) -> subprocess.CompletedProcess:
        """systemd-analyze verify of the unit as meson configures it, and the Linux
        board's drop-in beside it (found through SYSTEMD_UNIT_PATH) if asked."""
        with open(UNIT) as f:
            text = f.read().replace("@CWMPD@", CWMPD if os.path.exists(CWMPD) else "/bin/true")
            text = text.replace("@CONFIG@", "/etc/cwmpd/cwmpd.conf")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "cwmpd.service")
            with open(path, "w") as f:
                f.write(text)
            env = dict(os.environ)
            if with_dropin:
                os.makedirs(os.path.join(tmp, "cwmpd.service.d"))
                shutil.copy(DROPIN, os.path.join(tmp, "cwmpd.service.d", "linux-board.conf"))
                env["SYSTEMD_UNIT_PATH"] = tmp + ":"
            return subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True, timeout=60,
                                  env=env)

    @unittest.skipUnless(shutil.which("systemd-analyze"), "systemd-analyze is not installed")
    def test_systemd_accepts_it(self):
        p = self.verify(with_dropin=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([l for l in p.stderr.splitlines() if "cwmpd.service" in l], [], p.stderr)

    def test_linux_board_dropin(self):
        """The drop-in widens the bounding set by exactly CAP_NET_ADMIN (Enable
        writes) and CAP_SYS_BOOT (systemctl reboot), and makes /home read-only
        instead of hidden (its LogicalVolume is read with statvfs), nothing else;
        the base unit stays at CAP_NET_RAW CAP_NET_BIND_SERVICE and ProtectHome=yes."""
        self.assertEqual(set(unit_values("CapabilityBoundingSet")[0].split()),
                         {"CAP_NET_RAW", "CAP_NET_BIND_SERVICE"})
        self.assertEqual(unit_values("ProtectHome"), ["yes"])
        self.assertEqual(settings(DROPIN), [("Service", "CapabilityBoundingSet"), ("Service", "ProtectHome")])
        self.assertEqual(unit_values("ProtectHome", DROPIN), ["read-only"])
        (caps,) = unit_values("CapabilityBoundingSet", DROPIN)
        self.assertEqual(sorted(caps.split()), ["CAP_NET_ADMIN", "CAP_SYS_BOOT"])
        # The board needs them: it writes links over netlink, and reboots with systemctl.
        with open(os.path.join(ROOT, "platform", "linux", "netlink.cpp")) as f:
            self.assertIn("RTM_NEWLINK", f.read())
        with open(os.path.join(ROOT, "platform", "linux", "board.h")) as f:
            self.assertIn('reboot_command = "systemctl reboot"', f.read())

    @unittest.skipUnless(shutil.which("systemd-analyze"), "systemd-analyze is not installed")
    def test_systemd_accepts_the_dropin(self):
        """systemd-analyze verify finds the drop-in beside the unit (SYSTEMD_UNIT_PATH)
        and has nothing to say about either."""
        p = self.verify(with_dropin=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([l for l in p.stderr.splitlines() if "cwmpd.service" in l or "linux-board" in l], [],
                         p.stderr)

    @unittest.skipUnless(BUILD, "BUILD_ROOT not set: the installation is not checked")
    def test_dropin_installed_only_with_the_linux_board(self):
        def introspect(what):
            p = subprocess.run(["meson", "introspect", what, BUILD], capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            return json.loads(p.stdout)
        boards = next(o["value"] for o in introspect("--buildoptions") if o["name"] == "boards")
        installed = introspect("--installed")
        unit = [dest for src, dest in installed.items() if dest.endswith("/cwmpd.service")]
        self.assertEqual(len(unit), 1, installed)
        dropin = [dest for src, dest in installed.items() if os.path.realpath(src) == os.path.realpath(DROPIN)]
        if "linux" in boards:
            self.assertEqual(dropin, [os.path.join(os.path.dirname(unit[0]), "cwmpd.service.d", "linux-board.conf")])
        else:
            self.assertEqual(dropin, [])


if __name__ == "__main__":
    unittest.main()
