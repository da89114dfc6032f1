"""tools/cwmpd/cwmpd.service(.in) keeps cwmpd's exit-status contract: the statuses
main.cpp exits with for a reboot (3) and a factory reset (4) are the ones the
unit restarts on and does not count as failures, and systemd accepts the unit
(systemd-analyze verify, where systemd is installed, with no warning)."""

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


def unit_values(key):
    with open(UNIT) as f:
        return [line.split("=", 1)[1].strip() for line in f if line.startswith(key + "=")]


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

    @unittest.skipUnless(shutil.which("systemd-analyze"), "systemd-analyze is not installed")
    def test_systemd_accepts_it(self):
        with open(UNIT) as f:
            text = f.read().replace("@CWMPD@", CWMPD if os.path.exists(CWMPD) else "/bin/true")
            text = text.replace("@CONFIG@", "/etc/cwmpd/cwmpd.conf")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "cwmpd.service")
            with open(path, "w") as f:
                f.write(text)
            p = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual([l for l in p.stderr.splitlines() if "cwmpd.service" in l], [], p.stderr)


if __name__ == "__main__":
    unittest.main()
