"""Cross builds (cross/ARCH.ini): the cross files name Debian's toolchains and
qemu-user as the exe_wrapper; where tools/cross-test left a cross tree
(build-cross-ARCH/, with the toolchain and qemu installed), its unit tests run
again under qemu.  Without one the test says so and skips: the packages take
minutes to install and a cross tree a full build (README, "Cross builds")."""

import configparser
import os
import shutil
import subprocess
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

    def test_unit_tests_under_qemu(self):
        ran = []
        for arch, (triplet, _family, qemu) in ARCHS.items():
            build = os.path.join(ROOT, "build-cross-" + arch)
            missing = [t for t in (triplet + "-g++", qemu) if not shutil.which(t)]
            if missing or not os.path.exists(os.path.join(build, "build.ninja")):
                print("cross %s: skipped: %s (run tools/cross-setup %s, then tools/cross-test %s)" %
                      (arch, "missing " + ", ".join(missing) if missing else "no cross tree " + build, arch, arch))
                continue
            with self.subTest(arch):
                p = subprocess.run(["meson", "test", "-C", build, "--suite", "unit", "--timeout-multiplier", "4"],
                                   capture_output=True, text=True, timeout=3000)
                self.assertEqual(p.returncode, 0, p.stdout[-4000:] + p.stderr[-2000:])
                ran.append(arch)
        if not ran:
            self.skipTest("no cross tree with its toolchain and qemu-user: run tools/cross-setup and tools/cross-test")


if __name__ == "__main__":
    unittest.main()
