"""Tests of `dmgen diff`.

On the hand-written fixtures in tests/golden/diff (old.xml -> new.xml changes
each item named after a kind of change in exactly that way), the whole report
is checked line for line; on the BBF's TR-181 2.18 and 2.19, differences found
by hand in the XML are checked exactly.
"""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "generator"))

from dmlib.diff import read_manifest, report  # noqa: E402
from dmlib.loader import Resolver, default_dm_dir  # noqa: E402

DMGEN = os.path.join(HERE, "..", "..", "generator", "dmgen")
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "golden", "diff"))

FIXTURE_LINES = """\
~ Device.Access boolean readOnly: access readOnly -> readWrite
~ Device.Access.{i}. readOnly 0..unbounded: access readOnly -> readWrite
+ Device.Added.{i}. readWrite 0..unbounded
+ Device.Added.{i}.Name string readWrite
~ Device.Default string readWrite: default.factory (none) -> on; default.object "" -> "not set"
- Device.Deleted.
- Device.Deleted.X
~ Device.Enum string readOnly: enum +D +"Not Ready" -B
~ Device.EnumDeleted string readOnly: enum -Y
~ Device.Forced string readOnly: forcedInform false -> true
- Device.Gone
- Device.GoneDeleted
~ Device.Items string readWrite list: items ..4 -> 1..8
~ Device.ListSize string readWrite list: listsize ..256 -> ..512
~ Device.Max.{i}. readWrite 0..4: maxEntries 4 -> unbounded
~ Device.Min.{i}. readWrite 0..unbounded: minEntries 0 -> 1
~ Device.Multi string readOnly: access readOnly -> readWrite; enum +Foo -Bar
+ Device.New unsignedInt readWrite
+ Device.NewList string readOnly list
~ Device.Notify unsignedLong readOnly: activeNotify normal -> canDeny
~ Device.Pattern string readWrite: pattern +"[0-9a-f]+" -"[0-9]+"
~ Device.Range unsignedInt readWrite: range 0..100 -> 0..200/10
- Device.Removed.
- Device.Removed.X
~ Device.Size string readOnly: size ..32 -> ..64
~ Device.Status int readOnly: status current -> deprecated
~ Device.Status. readOnly 1..1: status current -> obsoleted
~ Device.ToList string readWrite: list single -> list
~ Device.Type unsignedInt readOnly: type unsignedInt -> int
~ Device.Units unsignedInt readOnly: units (none) -> seconds
""".splitlines()
FIXTURE_COUNTS = "diff: 4 added, 6 removed, 20 changed"
# The items of profile.txt that differ.
PROFILE_LINES = [
    "+ Device.Added.{i}. readWrite 0..unbounded",
    "+ Device.Added.{i}.Name string readWrite",
    '~ Device.Enum string readOnly: enum +D +"Not Ready" -B',
    "- Device.Removed.",
]


def dmgen(*args, cwd=FIXTURES):
    return subprocess.run([sys.executable, DMGEN, *args], cwd=cwd,
                          capture_output=True, text=True)


class Fixtures(unittest.TestCase):
    maxDiff = None

    def diff(self, *args):
        run = dmgen("--dm-dir", ".", "diff", *args)
        self.assertEqual(run.stderr, "")
        self.assertEqual(run.returncode, 0)
        return run.stdout.splitlines()

    def assertError(self, args, message):
        run = dmgen("--dm-dir", ".", "diff", *args)
        self.assertEqual((run.returncode, run.stdout, run.stderr),
                         (1, "", f"dmgen: {message}\n"))

    def test_every_kind_of_change(self):
        self.assertEqual(self.diff("old.xml", "new.xml"), FIXTURE_LINES + [FIXTURE_COUNTS])

    def test_models_named(self):
        got = self.diff("old.xml", "new.xml", "--old-model", "Device:1.0",
                        "--new-model", "Device:1.1")
        self.assertEqual(got, FIXTURE_LINES + [FIXTURE_COUNTS])

    def test_identical_models(self):
        self.assertEqual(self.diff("new.xml", "new.xml"),
                         ["diff: 0 added, 0 removed, 0 changed"])

    def test_reversed(self):
        got = self.diff("new.xml", "old.xml")
        self.assertEqual(got[-1], "diff: 6 added, 4 removed, 20 changed")
        self.assertIn("- Device.Added.{i}.", got)
        self.assertIn("+ Device.Deleted. readOnly 1..1", got)
        self.assertIn('~ Device.Enum string readOnly: enum +B -D -"Not Ready"', got)

    def test_profile_sections(self):
        got = self.diff("old.xml", "new.xml", "--profile", "profile.txt")
        rest = [line for line in FIXTURE_LINES if line not in PROFILE_LINES]
        self.assertEqual(got, ["# items in the profile"] + PROFILE_LINES
                         + ["# other items"] + rest
                         + [FIXTURE_COUNTS + " (profile: 2 added, 1 removed, 1 changed)"])

    def test_manifest_read_loosely(self):
        self.assertEqual(read_manifest(os.path.join(FIXTURES, "profile.txt")),
                         {"Device.Enum", "Device.Removed.", "Device.Added.{i}.",
                          "Device.Added.{i}.Name", "Device.Same", "Device.Nowhere"})

    def test_unknown_model(self):
        self.assertError(["old.xml", "new.xml", "--new-model", "Device:9.9"],
                         "new.xml:4: error: unknown model 'Device:9.9'")

    def test_missing_document(self):
        self.assertError(["old.xml", "nothere.xml"],
                         "nothere.xml: error: cannot read: No such file or directory")

    def test_missing_manifest(self):
        self.assertError(["old.xml", "new.xml", "--profile", "nothere.txt"],
                         "nothere.txt: error: cannot read profile manifest: "
                         "No such file or directory")


class RealModels(unittest.TestCase):
    """TR-181 Device:2.18 against Device:2.19, from the BBF's own documents."""

    @classmethod
    def setUpClass(cls):
        r = Resolver([default_dm_dir()])
        cls.m18 = r.model(r.load("tr-181-2-18-1-cwmp.xml"))
        cls.m19 = r.model(r.load("tr-181-2-19-1-cwmp.xml"))
        cls.lines = report(cls.m18, cls.m19)

    def test_models(self):
        self.assertEqual((self.m18.name, self.m19.name), ("Device:2.18", "Device:2.19"))

    def test_added_objects(self):
        # tr-181-2-19-0-cellular.xml: SMS. is new in 2.19, with no access or
        # entries attributes; CollectionDevice.{i}. comes with a new document.
        self.assertIn("+ Device.Cellular.Interface.{i}.SMS. readOnly 1..1", self.lines)
        self.assertIn("+ Device.Cellular.Interface.{i}.SMS.Message.{i}. readWrite 0..unbounded",
                      self.lines)
        self.assertIn("+ Device.CollectionDevice.{i}. readOnly 0..unbounded", self.lines)

    def test_deleted_items_removed(self):
        # 2.19 marks these status="deleted" (tr-181-2-19-1-userinterface.xml,
        # tr-181-2-19-0-time.xml).
        for path in ("Device.UserInterface.RemoteAccess.",
                     "Device.UserInterface.RemoteAccess.Port", "Device.Time.NTPServer1"):
            self.assertIn(f"- {path}", self.lines)

    def test_changed_object(self):
        self.assertIn("~ Device.Cellular.Interface.{i}.USIM. readOnly 1..1: "
                      "status current -> deprecated", self.lines)

    def test_changed_parameters(self):
        # Pinhole.IPVersion now comes from the IP document's IPVersion
        # component: three single-value ranges and object default -1.
        self.assertIn("~ Device.Firewall.Pinhole.{i}.IPVersion int readWrite: "
                      "range -1..15 -> 4..4,6..6,-1..-1; default.object 6 -> -1", self.lines)
        self.assertIn("~ Device.DNS.Relay.Forwarding.{i}.Type string readOnly: enum +3GPP-NAS",
                      self.lines)

    def test_unchanged_not_listed(self):
        for path in ("Device.DeviceInfo.", "Device.DeviceInfo.Manufacturer",
                     "Device.IP.Interface.{i}."):
            self.assertFalse([line for line in self.lines if line.split()[1] == path], path)

    def test_sorted_and_counted(self):
        body, counts = self.lines[:-1], self.lines[-1]
        paths = [line.split()[1].encode("utf-8") for line in body]
        self.assertEqual(paths, sorted(paths))
        self.assertEqual(len(set(paths)), len(paths))
        n = {kind: sum(1 for line in body if line[0] == kind) for kind in "+-~"}
        self.assertEqual(counts, f"diff: {n['+']} added, {n['-']} removed, {n['~']} changed")
        self.assertGreater(n["+"], 100)

    def test_identical_models(self):
        self.assertEqual(report(self.m19, self.m19), ["diff: 0 added, 0 removed, 0 changed"])

    def test_profile_restricts_first_section(self):
        chosen = ["+ Device.Cellular.Interface.{i}.SMS. readOnly 1..1",
                  "- Device.Time.NTPServer1"]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# profile\nDevice.Cellular.Interface.{i}.SMS.  R\n"
                    "Device.DeviceInfo.Manufacturer  R\nDevice.Time.NTPServer1 W\n")
        try:
            run = dmgen("diff", "tr-181-2-18-1-cwmp.xml", "tr-181-2-19-1-cwmp.xml",
                        "--profile", f.name, cwd=HERE)
        finally:
            os.unlink(f.name)
        self.assertEqual((run.returncode, run.stderr), (0, ""))
        got = run.stdout.splitlines()
        split = got.index("# other items")
        self.assertEqual(got[:split], ["# items in the profile"] + chosen)
        self.assertEqual(got[split + 1:-1], [line for line in self.lines[:-1]
                                             if line not in chosen])
        self.assertEqual(got[-1], self.lines[-1] + " (profile: 1 added, 1 removed, 0 changed)")


if __name__ == "__main__":
    unittest.main()
