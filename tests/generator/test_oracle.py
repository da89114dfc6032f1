"""The resolver against the BBF's own flattened models.

Each BBF `*-full.xml` is the BBF's flattening of a model with every import
resolved.  Building the model from its component documents must give the same
dump, line for line, in the plain and the verbose form; the only accepted
differences are listed, with a reason, in bbf-errata.txt.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "generator"))

from dmlib.dump import lines  # noqa: E402
from dmlib.loader import Resolver, default_dm_dir  # noqa: E402

PAIRS = [
    ("tr-181-2-16-0-cwmp.xml", "tr-181-2-16-0-cwmp-full.xml", "Device:2.16"),
    ("tr-181-2-2-0.xml", "tr-181-2-2-0-full.xml", "Device:2.2"),
    ("tr-135-1-4-1-cwmp.xml", "tr-135-1-4-1-cwmp-full.xml", "STBService:1.4"),
    ("tr-140-1-3-1-cwmp.xml", "tr-140-1-3-1-cwmp-full.xml", "StorageService:1.3"),
]


def load_errata():
    errata = {}
    with open(os.path.join(HERE, "bbf-errata.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                doc, path, _reason = line.split(None, 2)
                errata.setdefault(doc, set()).add(path)
    return errata


def item_path(line):
    return line.split(" ", 2)[1]


class Oracle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.resolver = Resolver([default_dm_dir()])
        cls.errata = load_errata()

    def dumps(self, file, model_name, verbose):
        doc = self.resolver.load(file)
        model = self.resolver.model(doc)
        self.assertEqual(model.name, model_name)
        return lines(model, verbose)

    def check(self, components, full, model_name, verbose):
        mine = self.dumps(components, model_name, verbose)
        bbf = self.dumps(full, model_name, verbose)
        self.assertGreater(len(bbf), 100)
        only_mine = sorted(set(mine) - set(bbf))
        only_bbf = sorted(set(bbf) - set(mine))
        allowed = self.errata.get(components, set())
        differing = {item_path(l) for l in only_mine + only_bbf}
        unexplained = [("resolver: " + l) for l in only_mine if item_path(l) not in allowed] \
            + [("bbf full: " + l) for l in only_bbf if item_path(l) not in allowed]
        self.assertEqual(unexplained, [], f"{components} vs {full}")
        self.assertEqual(sorted(allowed - differing), [],
                         "errata entries that no longer differ: remove them")
        if not allowed:
            self.assertEqual(mine, bbf)

    def test_pairs(self):
        for components, full, model_name in PAIRS:
            for verbose in (False, True):
                with self.subTest(components=components, verbose=verbose):
                    self.check(components, full, model_name, verbose)


# BBF documents whose model is a harness for their components, not meant to
# stand alone: building it fails, and must fail with this message.
STANDALONE_ERRATA = {
    "tr-181-2-16-0-wifi-base.xml": "object base 'Device.WiFi.' is not defined",
    "tr-181-2-17-0-wifi-base.xml": "object base 'Device.WiFi.' is not defined",
    "tr-181-2-18-0-wifi-base.xml": "object base 'Device.WiFi.' is not defined",
    "tr-181-2-19-0-wifi-base.xml": "object base 'Device.WiFi.' is not defined",
    "tr-181-2-19-0-stats.xml": "object base 'Device.DHCPv6.Client.{i}.Stats.' is not defined",
}


class EveryDocument(unittest.TestCase):
    """Every model of every BBF document here builds (other versions matter)."""

    def test_all_models_build(self):
        from dmlib.errors import DMError
        d = default_dm_dir()
        r = Resolver([d])
        built = 0
        for name in sorted(os.listdir(d)):
            if not name.endswith(".xml") or name == "catalog.xml":
                continue
            with self.subTest(document=name):
                try:
                    doc = r.load(name)
                    if not doc.models():
                        continue
                    model = r.model(doc)
                    self.assertNotIn(name, STANDALONE_ERRATA, "now builds: remove the erratum")
                    self.assertGreater(len(model.objects), 1)
                    built += 1
                except DMError as exc:
                    self.assertIn(name, STANDALONE_ERRATA, str(exc))
                    self.assertIn(STANDALONE_ERRATA[name], str(exc))
        self.assertGreater(built, 100)


class NewestModels(unittest.TestCase):
    """Device:2.19 has no BBF flattening here; it must load and be CWMP-shaped."""

    @classmethod
    def setUpClass(cls):
        r = Resolver([default_dm_dir()])
        cls.model = r.model(r.load("tr-181-2-19-1-cwmp.xml"))
        cls.dump = {item_path(l): l for l in lines(cls.model, verbose=True)}

    def test_name_and_size(self):
        self.assertEqual(self.model.name, "Device:2.19")
        params = [l for l in self.dump.values() if l.startswith("P ")]
        self.assertGreater(len(params), 7000)

    def test_alias_is_cwmp_alias(self):
        # The virtual tr-106 Alias component is bound by the CWMP document to
        # _AliasCWMP: readWrite, not USP's writeOnceReadOnly.
        line = self.dump["Device.IP.Interface.{i}.Alias"]
        self.assertIn(" string readWrite single ", line)
        self.assertIn("size=..64", line)

    def test_restated_type_keeps_facets(self):
        # BaseInterfaceParamsAddDefaults restates <string/> and <list/> only to
        # add defaults: the enumeration and the list size must survive.
        status = self.dump["Device.Bridging.Bridge.{i}.Port.{i}.Status"]
        self.assertIn('enum=["Up", "Down"', status)
        self.assertIn('default.object="Down"', status)
        lower = self.dump["Device.Bridging.Bridge.{i}.Port.{i}.LowerLayers"]
        self.assertIn("listsize=..1024", lower)
        self.assertIn('default.object="[]"', lower)

    def test_stats_reset_is_cwmp_variant(self):
        self.assertTrue("Device.IP.Interface.{i}.Stats.Reset" in self.dump)

    def test_forced_inform_items(self):
        for path in ("Device.DeviceInfo.HardwareVersion", "Device.DeviceInfo.SoftwareVersion",
                     "Device.DeviceInfo.ProvisioningCode", "Device.ManagementServer.ParameterKey",
                     "Device.ManagementServer.ConnectionRequestURL", "Device.RootDataModelVersion"):
            self.assertIn("forcedInform", self.dump[path], path)

    def test_spec_pins_older_components(self):
        # tr-181-2-16-0-cwmp.xml pulls in the 2.16 components although 2.19
        # files lie beside them: Device.Time.Client. arrived in 2.16, but
        # Device.SFP. only in 2.19.
        r = Resolver([default_dm_dir()])
        d216 = {item_path(l) for l in lines(r.model(r.load("tr-181-2-16-0-cwmp.xml")))}
        self.assertTrue("Device.Time.Client.{i}." in d216)
        self.assertFalse("Device.SFPs." in d216)
        self.assertTrue("Device.SFPs." in self.dump)


if __name__ == "__main__":
    unittest.main()
