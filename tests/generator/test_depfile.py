"""The build sees the generator's inputs: `dmgen ... --depfile` lists the profile,
every document it read (BBF and vendor) and every directory searched for one (a
new amendment dropped there can change what an import resolves to), and the
build records exactly that (ninja's deps log), so touching any of them or adding
a document regenerates what uses it.  BUILD_DIR (set by meson) is the build
whose recorded dependencies are checked."""

import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "generator"))

from dmlib.loader import default_dm_dir  # noqa: E402

DMGEN = os.path.join(ROOT, "generator", "dmgen")
PROFILE = os.path.join(ROOT, "models", "profiles", "rdk-stb.xml")
VENDOR = os.path.join(ROOT, "models", "vendor", "rdk", "tr-181-2-rdk-stb.xml")
BBF = default_dm_dir()  # DMGEN_BBF_DIR when meson runs it


def parse_depfile(text):
    """(target, [deps]) of a Make-style depfile."""
    text = text.replace("\\\n", " ")
    target, _, rest = text.partition(": ")
    deps = re.findall(r"(?:\\.|[^\s\\])+", rest)
    return target, [re.sub(r"\\(.)", r"\1", d) for d in deps]


def real(paths):
    return {os.path.realpath(p) for p in paths}


class Depfile(unittest.TestCase):
    def generate(self, *extra):
        with tempfile.TemporaryDirectory() as out:
            dep = os.path.join(out, "dm.d")
            subprocess.run([sys.executable, DMGEN, "--dm-dir", BBF, "generate", PROFILE, "--out-dir", out,
                            "--prefix", "t_", "--depfile", dep] + list(extra), check=True)
            with open(dep) as f:
                return parse_depfile(f.read())

    def test_lists_profile_documents_and_searched_directories(self):
        target, deps = self.generate()
        self.assertTrue(target.endswith(".h") or target.endswith(".cpp"), target)
        got = real(deps)
        for must in (PROFILE, VENDOR, BBF):
            self.assertIn(os.path.realpath(must), got)
        bbf = [d for d in got if d.startswith(os.path.realpath(BBF) + os.sep)]
        self.assertTrue(any(re.search(r"/tr-181-2-\d+-\d+-cwmp\.xml$", d) for d in bbf), bbf)
        self.assertTrue(any(re.search(r"/tr-106-types\.xml$|/tr-106-\d+-\d+-\d+-types\.xml$", d) for d in bbf), bbf)
        for d in deps:
            self.assertTrue(os.path.exists(d), "listed but not there: " + d)

    def test_recorded_by_the_build(self):
        build = os.environ.get("BUILD_DIR")
        if not build or not os.path.exists(os.path.join(build, ".ninja_deps")):
            self.skipTest("no BUILD_DIR with a ninja deps log (run through meson test)")
        out = subprocess.run(["ninja", "-C", build, "-t", "deps"], check=True, capture_output=True, text=True).stdout
        # One generated source of each profile: its recorded inputs.
        blocks = re.findall(r"^(gen/\w+_schema\.cpp): #deps \d+.*\n((?:    .*\n)+)", out, re.M)
        self.assertTrue(blocks, "no generated schema in the deps log; was the build run?")
        for target, body in blocks:
            recorded = real(os.path.join(build, l.strip()) if not os.path.isabs(l.strip()) else l.strip()
                            for l in body.splitlines())
            self.assertIn(os.path.realpath(BBF), recorded, target)
            if "rdk_stb_" in target:
                self.assertIn(os.path.realpath(VENDOR), recorded, target)
                self.assertIn(os.path.realpath(PROFILE), recorded, target)


if __name__ == "__main__":
    unittest.main()
