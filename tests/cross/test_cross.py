"""Cross builds (cross/ARCH.ini): the cross files name Debian's toolchains,
their multiarch pkg-config directory and qemu-user as the exe_wrapper.  The
cross builds themselves and their tests under qemu are tools/cross-test's job,
which tools/test runs after the native suite (README, "Cross builds")."""

import configparser
import os
import shutil
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
ARCHS = {"arm64": ("aarch64-linux-gnu", "aarch64", "qemu-aarch64"),
         "armhf": ("arm-linux-gnueabihf", "arm", "qemu-arm")}


def cross_file(arch):
    c = configparser.ConfigParser()
    with open(os.path.join(ROOT, "cross", arch + ".ini")) as f:
        c.read_string(f.read())
    return c


class Cross(unittest.TestCase):
    def test_cross_files(self):
        for arch, (triplet, family, qemu) in ARCHS.items():
            with self.subTest(arch):
                c = cross_file(arch)
                binaries = {k: v.strip("'") for k, v in c["binaries"].items() if k != "exe_wrapper"}
                for tool in ("c", "cpp", "ar", "strip"):
                    self.assertTrue(binaries[tool].startswith(triplet + "-"), (tool, binaries[tool]))
                self.assertIn("'/usr/lib/%s/pkgconfig'" % triplet, c["properties"]["pkg_config_libdir"])
                self.assertIn("'%s'" % qemu, c["binaries"]["exe_wrapper"])
                self.assertEqual(c["host_machine"]["cpu_family"].strip("'"), family)

    def test_skipped_with_one_line_where_packages_cannot_be_installed(self):
        """tools/test's call: every package missing (a dpkg-query that knows none) and
        no root to install them: one SKIPPED line naming why, exit 0; without
        --if-possible the same is a failure."""
        with tempfile.TemporaryDirectory() as fake:
            os.chmod(fake, 0o755)
            with open(os.path.join(fake, "dpkg-query"), "w") as f:
                f.write("#!/bin/sh\nexit 1\n")
            os.chmod(os.path.join(fake, "dpkg-query"), 0o755)
            env = dict(os.environ, PATH=fake + ":" + os.environ["PATH"])
            as_user = []
            if os.geteuid() == 0:
                if not shutil.which("setpriv"):
                    self.skipTest("root without setpriv (util-linux) to run as a user")
                as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            script = os.path.join(ROOT, "tools", "cross-test")
            p = subprocess.run(as_user + [script, "--if-possible", "armhf"], env=env, capture_output=True,
                               text=True, timeout=60, cwd="/")
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            skipped = [l for l in p.stdout.splitlines() if "SKIPPED" in l]
            self.assertEqual(len(skipped), 1, p.stdout)
            self.assertIn("cross armhf: SKIPPED: the cross toolchains", skipped[0])
            self.assertIn("run as root", p.stderr)  # cross-setup's why, with the apt-get command
            self.assertIn("g++-arm-linux-gnueabihf", p.stderr)
            p = subprocess.run(as_user + [script, "armhf"], env=env, capture_output=True, text=True, timeout=60,
                               cwd="/")
            self.assertNotEqual(p.returncode, 0, p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
