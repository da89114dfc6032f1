"""Golden tests of dmgen on small hand-written documents in tests/golden/errors.

Every NAME.expected there goes with NAME.xml, and the test runs, with that
directory as the working directory (so imports are found there and nowhere
else):

    dmgen --dm-dir . dump NAME.xml -v

  err_*  each has exactly one defect: exit 1, and stderr is exactly NAME.expected
         (one `dmgen: FILE:LINE: error: MESSAGE` line); nothing on stdout.
  ok_*   are correct: exit 0, and stdout is exactly NAME.expected (the verbose
         dump); nothing on stderr.
  lib_*  are documents the others import; they have no .expected.

To regenerate an expected file after a deliberate change (and read the diff):

    cd tests/golden/errors
    python3 ../../../generator/dmgen --dm-dir . dump err_NAME.xml -v 2>err_NAME.expected
    python3 ../../../generator/dmgen --dm-dir . dump ok_NAME.xml -v >ok_NAME.expected
"""

import difflib
import glob
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DMGEN = os.path.join(HERE, "..", "..", "generator", "dmgen")
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "golden", "errors"))

def fixture_names():
    return sorted(os.path.basename(p)[:-len(".expected")]
                  for p in glob.glob(os.path.join(FIXTURES, "*.expected")))


class GoldenErrors(unittest.TestCase):
    maxDiff = None

    def check(self, name):
        cmd = [sys.executable, DMGEN, "--dm-dir", ".", "dump", name + ".xml", "-v"]
        run = subprocess.run(cmd, cwd=FIXTURES, capture_output=True, text=True)
        with open(os.path.join(FIXTURES, name + ".expected"), encoding="utf-8") as f:
            expected = f.read()
        good = name.startswith("ok_")
        want_rc, stream, other = (0, "stdout", "stderr") if good else (1, "stderr", "stdout")
        got = getattr(run, stream)
        problems = []
        if run.returncode != want_rc:
            problems.append(f"exit code {run.returncode}, expected {want_rc}")
        if got != expected:
            diff = difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                        f"{name}.expected", f"{stream} of dmgen")
            problems.append(f"{stream} differs from {name}.expected:\n" + "".join(diff))
        if getattr(run, other):
            problems.append(f"unexpected {other}:\n{getattr(run, other)}")
        if problems:
            redirect = ">" if good else "2>"
            self.fail("\n".join(p.rstrip("\n") for p in problems)
                      + "\n\nIf the new output is right, regenerate with:\n"
                      f"  cd {os.path.relpath(FIXTURES)} && python3 ../../../generator/dmgen"
                      f" --dm-dir . dump {name}.xml -v {redirect}{name}.expected")

    def test_every_fixture_has_expected(self):
        for path in glob.glob(os.path.join(FIXTURES, "*.xml")):
            name = os.path.basename(path)[:-len(".xml")]
            if not name.startswith("lib_"):
                self.assertTrue(os.path.exists(os.path.join(FIXTURES, name + ".expected")),
                                f"{name}.xml has no {name}.expected")
        for name in fixture_names():
            self.assertTrue(name.startswith(("err_", "ok_")),
                            f"{name}: name must start with err_ or ok_")
            self.assertTrue(os.path.exists(os.path.join(FIXTURES, name + ".xml")),
                            f"{name}.expected has no {name}.xml")


def _add(name):
    def test(self):
        self.check(name)
    test.__doc__ = f"dmgen on {name}.xml"
    setattr(GoldenErrors, "test_" + name, test)


for _name in fixture_names():
    _add(_name)


if __name__ == "__main__":
    unittest.main()
