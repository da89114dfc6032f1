"""Unit tests of dmlib.locate.Locator: which file an <import file= spec=> names.

Run against the real BBF directory ($DMGEN_BBF_DIR) and against a temporary
directory of empty placeholder files whose names are chosen to catch mistakes
(versions compared as text, labels ignored, the importer's directory not
searched first).
"""

import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "generator"))

from dmlib.locate import Locator, split_name  # noqa: E402

BBF = os.environ.get("DMGEN_BBF_DIR", "")
URN = "urn:broadband-forum-org:"


class SplitName(unittest.TestCase):
    def test_split(self):
        self.assertEqual(split_name("tr-181-2-16-0-cwmp-full"),
                         ("tr-181", (2, 16, 0), "-cwmp-full"))
        self.assertEqual(split_name("tr-143-1-0"), ("tr-143", (1, 0), ""))
        self.assertEqual(split_name("tr-106-types"), ("tr-106", (), "-types"))
        self.assertIsNone(split_name("catalog"))


@unittest.skipUnless(os.path.isdir(BBF), "DMGEN_BBF_DIR is not set to the BBF directory")
class RealBBF(unittest.TestCase):
    def find(self, file, spec=None):
        found = Locator([BBF]).find(file, spec, BBF)
        return None if found is None else os.path.relpath(found, BBF)

    def test_spec_pins_amendment(self):
        # 2.19 common exists; the spec asks for 2.16.
        self.assertTrue(os.path.exists(os.path.join(BBF, "tr-181-2-19-0-common.xml")))
        self.assertEqual(self.find("tr-181-2-common.xml", URN + "tr-181-2-16-common"),
                         "tr-181-2-16-0-common.xml")
        self.assertEqual(self.find("tr-106-1-0-types.xml", URN + "tr-106-1-0"),
                         "tr-106-1-0-0-types.xml")

    def test_no_spec_means_newest(self):
        self.assertEqual(self.find("tr-181-2-common.xml"), "tr-181-2-19-0-common.xml")
        self.assertEqual(self.find("tr-181-2-common.xml", URN + "tr-181-2"),
                         "tr-181-2-19-0-common.xml")

    def test_partial_version_means_newest_within(self):
        # tr-143-1-0-1, -1-0-2 and -1-1-0 exist.
        self.assertEqual(self.find("tr-143-1-0.xml", URN + "tr-143-1-0"), "tr-143-1-0-2.xml")

    def test_corrigendum_is_newest_present(self):
        self.assertEqual(self.find("tr-181-2-cwmp.xml", URN + "tr-181-2-18-0-cwmp"),
                         "tr-181-2-18-1-cwmp.xml")
        self.assertEqual(self.find("tr-181-2-14-cwmp.xml"), "tr-181-2-14-1-cwmp.xml")

    def test_name_as_written(self):
        self.assertEqual(self.find("tr-106-types.xml", URN + "tr-106"), "tr-106-types.xml")
        self.assertEqual(self.find("tr-069-biblio.xml", URN + "tr-069"), "tr-069-biblio.xml")

    def test_label_must_match(self):
        self.assertEqual(self.find("tr-181-2-16-cwmp.xml"), "tr-181-2-16-0-cwmp.xml")
        self.assertEqual(self.find("tr-181-2-16-cwmp-full.xml"), "tr-181-2-16-0-cwmp-full.xml")
        self.assertEqual(self.find("tr-181-2-cwmp.xml"), "tr-181-2-19-1-cwmp.xml")
        self.assertEqual(self.find("tr-181-2.xml"), "tr-181-2-11-0.xml")

    def test_unknown(self):
        self.assertIsNone(self.find("tr-999-1-0.xml"))
        self.assertIsNone(self.find("tr-181-2-nosuchlabel.xml"))
        self.assertIsNone(self.find("tr-181-3-common.xml"))
        self.assertIsNone(self.find("nonsense.xml"))


class Placeholders(unittest.TestCase):
    DM = ["tr-181-2-9-0-common.xml", "tr-181-2-16-0-common.xml", "tr-181-2-16-2-common.xml",
          "tr-181-2-16-10-common.xml", "tr-181-2-19-0-common.xml",
          "tr-181-2-19-0-cwmp.xml", "tr-181-2-20-0-cwmp-full.xml",
          "tr-143-1-0-1.xml", "tr-143-1-0-2.xml", "tr-143-1-1-0.xml",
          "tr-106-types.xml", "tr-106-1-1-1-types.xml", "local.xml"]
    IMPORTER = ["tr-181-2-16-0-common.xml", "local.xml", "mine-only.xml"]

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dmgen-locate-")
        cls.dm = os.path.join(cls.tmp, "dm")
        cls.imp = os.path.join(cls.tmp, "importer")
        for d, names in ((cls.dm, cls.DM), (cls.imp, cls.IMPORTER)):
            os.mkdir(d)
            for n in names:
                open(os.path.join(d, n), "w").close()
        # Not .xml: never a candidate.
        open(os.path.join(cls.dm, "tr-181-2-99-0-common.txt"), "w").close()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def find(self, file, spec=None, importer=None):
        found = Locator([self.dm]).find(file, spec, importer or self.dm)
        return None if found is None else os.path.relpath(found, self.tmp)

    def test_versions_compare_as_numbers(self):
        self.assertEqual(self.find("tr-181-2-common.xml"), "dm/tr-181-2-19-0-common.xml")
        self.assertEqual(self.find("tr-181-2-16-common.xml"), "dm/tr-181-2-16-10-common.xml")

    def test_spec_pins_amendment_corrigendum_newest(self):
        self.assertEqual(self.find("tr-181-2-common.xml", URN + "tr-181-2-16-common"),
                         "dm/tr-181-2-16-10-common.xml")
        self.assertEqual(self.find("tr-181-2-common.xml", URN + "tr-181-2-16-0-common"),
                         "dm/tr-181-2-16-10-common.xml")
        self.assertEqual(self.find("tr-181-2-common.xml", URN + "tr-181-2-9-common"),
                         "dm/tr-181-2-9-0-common.xml")

    def test_spec_ignored_when_not_more_precise_or_not_bbf(self):
        # A spec for another document, or one contradicting the file name, pins nothing.
        self.assertEqual(self.find("tr-181-2-common.xml", URN + "tr-143-1-0"),
                         "dm/tr-181-2-19-0-common.xml")
        self.assertEqual(self.find("tr-181-2-16-common.xml", URN + "tr-181-2-19-common"),
                         "dm/tr-181-2-16-10-common.xml")
        self.assertEqual(self.find("tr-181-2-common.xml", "urn:example-com:tr-181-2-9-common"),
                         "dm/tr-181-2-19-0-common.xml")

    def test_partial_version(self):
        self.assertEqual(self.find("tr-143-1-0.xml"), "dm/tr-143-1-0-2.xml")
        self.assertEqual(self.find("tr-143-1.xml"), "dm/tr-143-1-1-0.xml")

    def test_name_as_written(self):
        self.assertEqual(self.find("tr-106-types.xml"), "dm/tr-106-types.xml")
        self.assertEqual(self.find("tr-143-1-0-1.xml"), "dm/tr-143-1-0-1.xml")

    def test_label_must_match(self):
        # The newer -cwmp-full must not be taken for -cwmp, nor the reverse.
        self.assertEqual(self.find("tr-181-2-cwmp.xml"), "dm/tr-181-2-19-0-cwmp.xml")
        self.assertEqual(self.find("tr-181-2-cwmp-full.xml"), "dm/tr-181-2-20-0-cwmp-full.xml")
        self.assertIsNone(self.find("tr-181-2-19-cwmp-full.xml"))
        self.assertIsNone(self.find("tr-181-2.xml"))

    def test_importer_directory_first(self):
        imp = self.imp
        self.assertEqual(self.find("local.xml", None, imp), "importer/local.xml")
        self.assertEqual(self.find("local.xml"), "dm/local.xml")
        # The importer's 2.16.0 beats the search directory's newer corrigendum.
        self.assertEqual(self.find("tr-181-2-common.xml", URN + "tr-181-2-16-common", imp),
                         "importer/tr-181-2-16-0-common.xml")
        # What the importer's directory lacks comes from the search directories.
        self.assertEqual(self.find("tr-181-2-common.xml", None, imp),
                         "importer/tr-181-2-16-0-common.xml")
        self.assertEqual(self.find("tr-143-1-0.xml", None, imp), "dm/tr-143-1-0-2.xml")
        self.assertEqual(self.find("mine-only.xml", None, imp), "importer/mine-only.xml")
        self.assertIsNone(self.find("mine-only.xml"))

    def test_unknown(self):
        self.assertIsNone(self.find("tr-999-1-0.xml"))
        self.assertIsNone(self.find("tr-181-2-99-common.xml"))
        self.assertIsNone(self.find("absent.xml"))
        self.assertIsNone(Locator([os.path.join(self.tmp, "no-such-dir")]).find(
            "tr-143-1-0.xml", None, os.path.join(self.tmp, "no-such-dir")))


if __name__ == "__main__":
    unittest.main()
