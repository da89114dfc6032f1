"""Device profiles: selection, committed manifests, normalised DT, bad input.

- models/profiles/<name>.manifest is the committed manifest of each profile;
  fresh output must equal it, so a spec update shows as a small text diff.
  Regenerate after a deliberate change with:
      generator/dmgen manifest models/profiles/NAME.xml -o models/profiles/NAME.manifest
  (every golden failure here ends with its exact command, see *_command below).
- The `full` profile must contain every object and parameter of Device:2.19,
  STBService:1.4 and StorageService:1.3 (services under Device.Services.).
- Service models mount at the root model's Services object: Device.Services.
  in Device:2, InternetGatewayDevice.Services. in TR-098's InternetGatewayDevice:1.
- tests/golden/profiles: small hand-written profiles; err-* must fail with the
  exact message in err-*.expected, ok-tiny's manifest and DT are golden.
"""

import difflib
import glob
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "generator"))

from dmlib import codegen, outputs  # noqa: E402
from dmlib.dump import lines  # noqa: E402
from dmlib.loader import Resolver, default_dm_dir  # noqa: E402
from dmlib.profile import load_profile  # noqa: E402
from golden import dmgen_env_prefix, hint  # noqa: E402

DMGEN = os.path.join(ROOT, "generator", "dmgen")
PROFILES = os.path.join(ROOT, "models", "profiles")
GOLDEN = os.path.join(ROOT, "tests", "golden", "profiles")


def load(path, extra_dirs=(), pins=None):
    return load_profile(Resolver(list(extra_dirs) + [default_dm_dir()], pins), path)


def manifest_command(name, out=None):
    """The command (from the repository root) that writes profile `name`'s manifest to `out`."""
    out = out or f"models/profiles/{name}.manifest"
    return f"{dmgen_env_prefix()}generator/dmgen manifest models/profiles/{name}.xml -o {out}"


def golden_profile_command(command, xml, out, stream=">"):
    """The command that writes what GoldenProfiles.run_dmgen(command, xml) prints on
    `stream` (">" stdout, "2>" stderr) to `out` (relative to tests/golden/profiles)."""
    return f"cd tests/golden/profiles && ../../../generator/dmgen --dm-dir . {command} {xml} {stream}{out}"


def diff(expected, actual, name):
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        name, "fresh output"))


class CommittedManifests(unittest.TestCase):
    def test_manifests_are_current(self):
        names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(PROFILES, "*.xml")))
        self.assertIn("rdk-stb", names)
        self.assertIn("full", names)
        self.assertIn("linux-host", names)
        self.assertIn("igd", names)
        for name in names:
            with self.subTest(profile=name):
                fresh = outputs.manifest(load(os.path.join(PROFILES, name + ".xml")))
                committed_path = os.path.join(PROFILES, name + ".manifest")
                with open(committed_path, encoding="utf-8") as f:
                    committed = f.read()
                self.assertTrue(fresh == committed,
                                diff(committed, fresh, committed_path) + hint(manifest_command(name)))


class FullProfile(unittest.TestCase):
    def test_every_item_of_the_models(self):
        prof = load(os.path.join(PROFILES, "full.xml"))
        selected = set()
        for obj in prof.objects.values():
            selected.add(obj.path)
            selected.update(sp.path for sp in obj.params)
        r = Resolver([default_dm_dir()])
        expected = set()
        for file, mount in (("tr-181-2-19-1-cwmp.xml", ""),
                            ("tr-135-1-4-1-cwmp.xml", "Device.Services."),
                            ("tr-140-1-3-1-cwmp.xml", "Device.Services.")):
            for line in lines(r.model(r.load(file))):
                expected.add(mount + line.split(" ", 2)[1])
        self.assertEqual(sorted(expected - selected), [])
        self.assertEqual(sorted(selected - expected), [])
        self.assertGreater(len(selected), 8800)


class ModelVersionPins(unittest.TestCase):
    """Profiles name Device:2, STBService:1...; the build picks the version."""

    def test_newest_by_default(self):
        prof = load(os.path.join(PROFILES, "full.xml"))
        self.assertEqual(prof.model_names, ["Device:2.19", "STBService:1.4", "StorageService:1.3"])

    def test_pinned_amendment(self):
        pins = {("tr-181", 2): 18}
        full = load(os.path.join(PROFILES, "full.xml"), pins=pins)
        self.assertEqual(full.model_names[0], "Device:2.18")
        paths = set(full.objects)
        self.assertFalse("Device.SFPs." in paths)          # new in 2.19
        self.assertTrue("Device.DeviceInfo." in paths)
        rdk = load(os.path.join(PROFILES, "rdk-stb.xml"), pins=pins)
        self.assertEqual(rdk.root_model, "Device:2.18")
        # The vendor extension follows the pinned base model.
        self.assertTrue(any(sp.path.startswith("Device.DeviceInfo.X_RDKCENTRAL-COM_")
                            for sp in rdk.params()))

    def test_pin_on_command_line(self):
        p = subprocess.run([sys.executable, DMGEN, "--pin", "tr-181-2=18", "manifest",
                            os.path.join(PROFILES, "rdk-stb.xml")], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("# manifest of profile rdk-stb: Device:2.18,"))
        bad = subprocess.run([sys.executable, DMGEN, "--pin", "tr-181=18", "manifest",
                              os.path.join(PROFILES, "rdk-stb.xml")], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("not of the form tr-181-2=18", bad.stderr)


class RdkStb(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prof = load(os.path.join(PROFILES, "rdk-stb.xml"))
        cls.items = {}
        for obj in cls.prof.objects.values():
            cls.items[obj.path] = obj
            for sp in obj.params:
                cls.items[sp.path] = sp

    def test_inform_parameters_are_supported(self):
        for path in ("Device.DeviceInfo.Manufacturer", "Device.DeviceInfo.ManufacturerOUI",
                     "Device.DeviceInfo.ProductClass", "Device.DeviceInfo.SerialNumber",
                     "Device.DeviceInfo.HardwareVersion", "Device.DeviceInfo.SoftwareVersion",
                     "Device.DeviceInfo.ProvisioningCode", "Device.ManagementServer.ParameterKey",
                     "Device.ManagementServer.ConnectionRequestURL", "Device.RootDataModelVersion"):
            self.assertTrue(path in self.items, path)

    def test_bindings(self):
        self.assertEqual(self.items["Device.ManagementServer.PeriodicInformInterval"].binding, "runtime")
        self.assertEqual(self.items["Device.DeviceInfo.UpTime"].binding, "platform")
        self.assertEqual(self.items["Device.IP.InterfaceNumberOfEntries"].binding, "count")

    def test_services_mounted(self):
        fe = self.items["Device.Services.STBService.{i}.Components.FrontEnd.{i}."]
        self.assertEqual((fe.min, fe.max), ("2", "2"))
        self.assertTrue("Device.Services.StorageService.{i}.LogicalVolume.{i}.Capacity" in self.items)
        self.assertTrue("Device.Services.STBServiceNumberOfEntries" in self.items)

    def test_vendor_extension(self):
        vendor = [p for p in self.items if "X_RDKCENTRAL-COM_" in p]
        self.assertGreater(len(vendor), 20)
        self.assertTrue(any(p.startswith("Device.DeviceInfo.X_RDKCENTRAL-COM_") for p in vendor))

    def test_implicit_parents_and_counts(self):
        self.assertEqual(self.items["Device.Services."].access, "readOnly")
        self.assertTrue("Device.Services.STBService.{i}.Components.FrontEnd.{i}.IP." in self.items)

    def test_normalised_dt_round_trips(self):
        # The normalised DT lists everything explicitly; read back as a profile
        # it selects the same items with the same types and access.
        dt = outputs.normalised_dt(self.prof)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "rdk-stb-normalised.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(dt)
            again = load(path, [os.path.join(ROOT, "models", "vendor", "rdk")])

        def shape(prof):
            return [l.rsplit(" ", 1)[0] for l in outputs.manifest(prof).splitlines()[2:]]
        # writeOnceReadOnly cannot be said in a DT; it reads back as the model's access.
        self.assertEqual(shape(again), shape(self.prof))


# A TR-098 gateway with a StorageService (TR-140), which mounts at InternetGatewayDevice.Services.
IGD_STORAGE = """<?xml version="1.0" encoding="UTF-8"?>
<dt:document xmlns:dt="urn:broadband-forum-org:cwmp:devicetype-1-6"
    xmlns:cwa="urn:cwmp-agent:profile-1-0" deviceType="urn:example-com:dt:igd-storage">
  <import file="tr-098-1.xml"><model name="InternetGatewayDevice:1"/></import>
  <import file="tr-140-1-cwmp.xml"><model name="StorageService:1"/></import>
  <model ref="InternetGatewayDevice:1">
    <object ref="InternetGatewayDevice.DeviceInfo." access="readOnly" minEntries="1" maxEntries="1">
      <parameter ref="Manufacturer"/><parameter ref="ManufacturerOUI"/>
      <parameter ref="ProductClass"/><parameter ref="SerialNumber"/>
    </object>
    <object ref="InternetGatewayDevice.ManagementServer." cwa:subtree="all" cwa:binding="runtime"/>
    <object ref="InternetGatewayDevice.Services.StorageService.{i}." access="readOnly"
        minEntries="0" maxEntries="1">
      <parameter ref="Enable" access="readOnly"/>
    </object>
  </model>
</dt:document>
"""


class ServiceMount(unittest.TestCase):
    def test_tr098_mounts_services_below_its_own_root(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "igd-storage.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(IGD_STORAGE)
            prof = load(path)
        self.assertEqual(prof.model_names, ["InternetGatewayDevice:1.14", "StorageService:1.3"])
        self.assertIn("InternetGatewayDevice.Services.StorageService.{i}.", prof.objects)
        self.assertIn("InternetGatewayDevice.Services.StorageServiceNumberOfEntries",
                      [sp.path for sp in prof.objects["InternetGatewayDevice.Services."].params])
        self.assertFalse([p for p in prof.objects if p.startswith("Device.")])
        # The service's C++ area and names are its own, as under Device.Services.
        self.assertEqual(codegen.area_of("InternetGatewayDevice.Services.StorageService.{i}."), "StorageService")
        self.assertEqual(codegen.struct_name("InternetGatewayDevice.Services.StorageService.{i}.LogicalVolume.{i}."),
                         "StorageService_LogicalVolume")
        self.assertEqual(codegen.area_of("Device.Services.StorageService.{i}."), "StorageService")


class GoldenProfiles(unittest.TestCase):
    def run_dmgen(self, *args):
        return subprocess.run([sys.executable, DMGEN, "--dm-dir", "."] + list(args),
                              cwd=GOLDEN, capture_output=True, text=True)

    def test_errors(self):
        cases = sorted(glob.glob(os.path.join(GOLDEN, "err-*.xml")))
        self.assertGreater(len(cases), 10)
        for case in cases:
            name = os.path.basename(case)
            with self.subTest(case=name):
                with open(case[:-4] + ".expected", encoding="utf-8") as f:
                    expected = f.read()
                p = self.run_dmgen("manifest", name)
                self.assertEqual(p.returncode, 1, p.stdout)
                self.assertEqual(p.stdout, "")
                self.assertTrue(p.stderr == expected, diff(expected, p.stderr, name)
                                + hint(golden_profile_command("manifest", name, name[:-4] + ".expected", "2>")))

    def test_ok_tiny(self):
        for command, suffix in (("manifest", ".manifest.expected"), ("dt", ".dt.expected")):
            with self.subTest(command=command):
                with open(os.path.join(GOLDEN, "ok-tiny" + suffix), encoding="utf-8") as f:
                    expected = f.read()
                p = self.run_dmgen(command, "ok-tiny.xml")
                self.assertEqual((p.returncode, p.stderr), (0, ""))
                self.assertTrue(p.stdout == expected, diff(expected, p.stdout, "ok-tiny" + suffix)
                                + hint(golden_profile_command(command, "ok-tiny.xml", "ok-tiny" + suffix)))

    def test_the_printed_commands_regenerate_the_golden_files(self):
        def regenerated(command, rc=0):
            run = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True)
            self.assertEqual(run.returncode, rc, run.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            for command, xml, committed, stream, rc in (
                    ("manifest", "ok-tiny.xml", "ok-tiny.manifest.expected", ">", 0),
                    ("dt", "ok-tiny.xml", "ok-tiny.dt.expected", ">", 0),
                    ("manifest", "err-binding.xml", "err-binding.expected", "2>", 1)):  # exit 1 is the point
                with self.subTest(command=command, xml=xml):
                    out = os.path.join(tmp, committed)
                    regenerated(golden_profile_command(command, xml, out, stream), rc)
                    with open(out, encoding="utf-8") as f, \
                            open(os.path.join(GOLDEN, committed), encoding="utf-8") as g:
                        self.assertEqual(f.read(), g.read())
            out = os.path.join(tmp, "rdk-stb.manifest")
            regenerated(manifest_command("rdk-stb", out))
            with open(out, encoding="utf-8") as f, \
                    open(os.path.join(PROFILES, "rdk-stb.manifest"), encoding="utf-8") as g:
                self.assertEqual(f.read(), g.read())


if __name__ == "__main__":
    unittest.main()
