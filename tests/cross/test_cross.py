"""Cross builds (cross/ARCH.ini): the cross files name Debian's toolchains,
their multiarch pkg-config directory and qemu-user as the exe_wrapper.  The
cross builds themselves and their tests under qemu are tools/cross-test's job,
which tools/test runs after the native suite (README, "Cross builds")."""

import configparser
import os
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


if __name__ == "__main__":
    unittest.main()
