"""How much generated code one new vendor parameter changes.

The rdk-stb profile is generated twice: from models/ as committed, and from a
copy whose vendor document (models/vendor/rdk) has one parameter more.  The
changed lines of the two output trees (what `diff -r | grep -c '^[<>]'`
counts) must stay a handful: names in the generated code come from paths,
not from positions in global tables, so a new row does not renumber the rows
after it.

Print the figures (changed lines per file, per case) with:
  python3 tests/generator/test_churn.py --figure
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "generator"))

from dmlib import codegen  # noqa: E402
from dmlib.loader import Resolver, default_dm_dir  # noqa: E402
from dmlib.profile import load_profile  # noqa: E402

VENDOR = os.path.join("vendor", "rdk", "tr-181-2-rdk-stb.xml")
PROFILE = os.path.join("profiles", "rdk-stb.xml")
LIMIT = 40  # changed lines for one new parameter

# The new parameter of each case: where it goes (before which existing
# parameter of the vendor document) and its definition.
CASES = {
    # Early in path order (Device.DeviceInfo.), read-only, with a range: a
    # new constraint and a new row before most of the model's rows.
    "deviceinfo-readonly-range": ("X_RDKCENTRAL-COM_BootTime", """\
      <parameter name="X_RDKCENTRAL-COM_BootCount" access="readOnly" version="2.19">
        <description>Boots since the last factory reset.</description>
        <syntax>
          <unsignedInt>
            <range minInclusive="0" maxInclusive="1000000"/>
          </unsignedInt>
        </syntax>
      </parameter>
"""),
    # A writable enumeration in the vendor's own object: a C++ enum, a
    # member of the write's Changes and a new case of the write thunk.
    "stb-writable-enum": ("HDMICECEnable", """\
      <parameter name="HDMICECLanguage" access="readWrite" version="2.19">
        <description>Menu language announced over HDMI-CEC.</description>
        <syntax>
          <string>
            <enumeration value="eng"/>
            <enumeration value="fra"/>
            <enumeration value="deu"/>
          </string>
        </syntax>
      </parameter>
"""),
}


def generate(models, out):
    prof = load_profile(Resolver([os.path.join(models, "profiles"), default_dm_dir()]),
                        os.path.join(models, PROFILE))
    codegen.generate(prof, out, "rdk_stb_", os.path.join(out, "include"))


def add_parameter(models, before, text):
    path = os.path.join(models, VENDOR)
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    anchor = f'      <parameter name="{before}"'
    if doc.count(anchor) != 1:
        raise AssertionError(f"{VENDOR}: no single parameter {before} to insert before")
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc.replace(anchor, text + "\n" + anchor))


def changed_lines(a, b):
    """{file: changed lines} of two output trees: what `diff -r | grep -c '^[<>]'`
    counts (a removed and an added line each count), per file."""
    run = subprocess.run(["diff", "-r", "-N", a, b], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise AssertionError(f"diff -r {a} {b} failed: {run.stderr}")
    counts, current = {}, None
    for line in run.stdout.splitlines():
        if line.startswith("diff "):
            current = os.path.relpath(line.split()[-1], b)
        elif line[:1] in "<>":
            counts[current] = counts.get(current, 0) + 1
    return counts


def churn(case):
    """{file: changed lines} of the generated code when the case's parameter is added."""
    before, text = CASES[case]
    with tempfile.TemporaryDirectory() as tmp:
        models = os.path.join(tmp, "models")
        shutil.copytree(os.path.join(ROOT, "models"), models)
        generate(models, os.path.join(tmp, "before"))
        add_parameter(models, before, text)
        generate(models, os.path.join(tmp, "after"))
        return changed_lines(os.path.join(tmp, "before"), os.path.join(tmp, "after"))


def report(case, counts):
    return "\n".join([f"{case}: {sum(counts.values())} changed lines"]
                     + [f"  {n:6} {rel}" for rel, n in counts.items()])


class Churn(unittest.TestCase):
    def check(self, case):
        counts = churn(case)
        # The parameter is there (the comparison measures something).
        self.assertTrue(counts, f"{case}: adding the parameter changed nothing")
        self.assertLessEqual(sum(counts.values()), LIMIT, report(case, counts))

    # 5561 and 146 lines when constraints and rows were numbered; 13 and 36
    # with names from paths.
    def test_new_readonly_parameter_with_range(self):
        self.check("deviceinfo-readonly-range")

    def test_new_writable_enumeration(self):
        self.check("stb-writable-enum")

    def test_diff_counts_changed_lines(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            for root, text in ((a, "x\ny\nz\n"), (b, "x\nY\nz\nw\n")):
                with open(os.path.join(root, "f"), "w", encoding="utf-8") as f:
                    f.write(text)
            with open(os.path.join(a, "gone"), "w", encoding="utf-8") as f:
                f.write("1\n2\n")
            self.assertEqual(changed_lines(a, b), {"f": 3, "gone": 2})


if __name__ == "__main__":
    if sys.argv[1:] == ["--figure"]:
        for name in CASES:
            print(report(name, churn(name)))
        sys.exit(0)
    unittest.main()
