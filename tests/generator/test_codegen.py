"""Code generation: golden output, determinism, what the C++ compiler says, and two
profiles linked into one program (each in its own namespace).

- tests/golden/codegen/expected/ is the committed output for the small
  `gadget` profile; fresh output must equal it.  A failure ends with the
  command that regenerates it (regenerate_command below).
- The generated tables compile with -Wall -Wextra -Werror, link with a board
  (platform_ok.cpp) and behave (check_main.cpp).
- A board whose read leaves out a parameter does not compile, and the
  compiler names the parameter; a board without one of the declared functions
  does not link, and the linker names the object.
"""

import filecmp
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "generator"))

from dmlib import codegen  # noqa: E402
from golden import hint  # noqa: E402
from dmlib.loader import Resolver, default_dm_dir  # noqa: E402
from dmlib.profile import load_profile  # noqa: E402

GOLDEN = os.path.join(ROOT, "tests", "golden", "codegen")
EXPECTED = os.path.join(GOLDEN, "expected")
RUNTIME_SOURCES = [os.path.join(ROOT, "runtime", "src", f)
                   for f in ("fault.cpp", "dm/schema.cpp", "dm/types.cpp", "dm/value.cpp")]
CXX = shlex.split(os.environ.get("CXX", "c++"))
CXXFLAGS = ["-std=c++20", "-Wall", "-Wextra", "-Werror", "-O0", "-g0"]


def generate(out):
    prof = load_profile(Resolver([GOLDEN, default_dm_dir()]), os.path.join(GOLDEN, "gadget.xml"))
    # Gadget:1.0 is no root model cwmpd serves: tables only (no runtime paths).
    return codegen.generate(prof, out, "gadget_", os.path.join(out, "include"), agent=False)


def regenerate_command(out="tests/golden/codegen/expected"):
    """The shell command (from the repository root) that writes what generate()
    does into `out`: the golden directory, or a scratch one in a test."""
    return (f"rm -rf {out} && generator/dmgen --dm-dir tests/golden/codegen generate "
            f"tests/golden/codegen/gadget.xml --prefix gadget_ --tables-only "
            f"--out-dir {out} --header-dir {out}/include")


def differences(fresh, expected):
    """What differs between two output trees, one line per file; "" when none."""
    got, want = tree(fresh), tree(expected)
    lines = [f"{rel}: not generated any more" for rel in sorted(set(want) - set(got))]
    lines += [f"{rel}: new" for rel in sorted(set(got) - set(want))]
    lines += [f"{rel}: differs" for rel in sorted(set(got) & set(want))
              if not filecmp.cmp(os.path.join(fresh, rel), os.path.join(expected, rel), shallow=False)]
    return "\n".join(lines)


def tree(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _dirs, files in os.walk(root) for f in files)


class Golden(unittest.TestCase):
    def test_output_matches_committed(self):
        with tempfile.TemporaryDirectory() as tmp:
            generate(tmp)
            found = differences(tmp, EXPECTED)
            self.assertFalse(found, "fresh output differs from tests/golden/codegen/expected:\n"
                             + found + hint(regenerate_command()))

    def test_the_printed_command_regenerates_the_golden_tree(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "expected")
            run = subprocess.run(regenerate_command(shlex.quote(out)), shell=True, cwd=ROOT,
                                 capture_output=True, text=True)
            self.assertEqual((run.returncode, run.stderr), (0, ""))
            self.assertEqual(differences(out, EXPECTED), "")
            # and a damaged tree is told apart, file by file
            with open(os.path.join(out, "gadget_schema.cpp"), "a", encoding="utf-8") as f:
                f.write("// changed\n")
            os.remove(os.path.join(out, "include", "cwmp", "platform_api.h"))
            self.assertEqual(differences(out, EXPECTED), "include/cwmp/platform_api.h: not generated any more\n"
                                                         "gadget_schema.cpp: differs")

    def test_deterministic(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            generate(a)
            generate(b)
            for rel in tree(a):
                self.assertTrue(filecmp.cmp(os.path.join(a, rel), os.path.join(b, rel), shallow=False))


class Compiler(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = cls.tmp.name
        generate(cls.out)
        cls.includes = ["-I" + os.path.join(cls.out, "include"),
                        "-I" + os.path.join(ROOT, "runtime", "include")]
        cls.generated = [os.path.join(cls.out, f) for f in os.listdir(cls.out) if f.endswith(".cpp")]
        # Compile what every case shares once.
        cls.objects = []
        for src in cls.generated + RUNTIME_SOURCES:
            obj = os.path.join(cls.out, os.path.basename(src) + ".o")
            cls.compile(src, obj)
            cls.objects.append(obj)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def compile(cls, src, obj, check=True):
        p = subprocess.run(CXX + CXXFLAGS + cls.includes + ["-c", src, "-o", obj],
                           capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"compiling {src} failed:\n{p.stderr}")
        return p

    def variant(self, name, text):
        """platform_ok.cpp with one thing taken out, written to the scratch dir."""
        path = os.path.join(self.out, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def board_source(self):
        with open(os.path.join(GOLDEN, "platform_ok.cpp"), encoding="utf-8") as f:
            return f.read()

    def build(self, board):
        obj = os.path.join(self.out, os.path.basename(board) + ".o")
        self.compile(board if os.path.isabs(board) else os.path.join(GOLDEN, board), obj)
        main = os.path.join(self.out, "check_main.o")
        if not os.path.exists(main):
            self.compile(os.path.join(GOLDEN, "check_main.cpp"), main)
        exe = os.path.join(self.out, os.path.basename(board) + ".exe")
        return subprocess.run(CXX + self.objects + [obj, main, "-o", exe],
                              capture_output=True, text=True), exe

    def test_complete_board_links_and_behaves(self):
        link, exe = self.build("platform_ok.cpp")
        self.assertEqual(link.returncode, 0, link.stderr)
        run = subprocess.run([exe], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("gadget tables OK", run.stdout)

    def test_missing_parameter_does_not_compile(self):
        text = self.board_source()
        self.assertIn('        .Serial = "AB1234",\n', text)
        src = self.variant("missing_field.cpp", text.replace('        .Serial = "AB1234",\n', ""))
        p = self.compile(src, os.path.join(self.out, "missing_field.o"), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("cwmp::model::gadget::Gadget::Serial", p.stderr)

    def test_missing_function_does_not_link(self):
        text = self.board_source()
        start = text.index("Fault remove(Context& ctx")
        end = text.index("// Lets check_main.cpp")
        link, _exe = self.build(self.variant("missing_function.cpp", text[:start] + text[end:]))
        self.assertNotEqual(link.returncode, 0)
        self.assertIn("undefined reference", link.stderr)
        self.assertIn("cwmp::platform::remove(cwmp::dm::Context&, cwmp::dm::Instance const&, "
                      "cwmp::dm::Tag<cwmp::model::gadget::Port>)", link.stderr)


TWO_PROFILES_MAIN = r"""
// Two profiles' tables and boards in one binary: each in its own namespace.
#include <cstdio>
#include <memory>
#include <string>

#include "cwmp/dm/schema.h"
#include "cwmp/platform/board.h"

namespace cwmp::gen::inline gadget { extern const cwmp::dm::Schema schema; }
namespace cwmp::gen::inline gadget_two { extern const cwmp::dm::Schema schema; }
namespace cwmp::platform {
std::unique_ptr<Board> make_gadget_board();
std::unique_ptr<Board> make_gadget_two_board();
}

using namespace cwmp::dm;

static std::string mode(const Schema& s, Context& ctx) {
    std::string v;
    if (get_value(s, *find_param(s, "Gadget.Mode"), ctx, Instance{}, v) != cwmp::Fault::None) return "<error>";
    return v;
}

int main() {
    const Schema& one = cwmp::gen::gadget::schema;
    const Schema& two = cwmp::gen::gadget_two::schema;
    auto a = cwmp::platform::make_gadget_board();
    auto b = cwmp::platform::make_gadget_two_board();
    Context ca(*a), cb(*b);
    if (set_value(two, *find_param(two, "Gadget.Mode"), cb, Instance{}, "On") != cwmp::Fault::None) return 1;
    std::printf("%s %s %s %s\n", std::string(one.profile).c_str(), mode(one, ca).c_str(),
                std::string(two.profile).c_str(), mode(two, cb).c_str());
    return 0;
}
"""


class TwoProfilesInOneBinary(unittest.TestCase):
    """Two profiles (gadget and a copy named gadget-two) generated, compiled with
    a board each and linked into one program: no symbol clashes (cwmp::model::gadget
    and cwmp::model::gadget_two, cwmp::gen::gadget::schema and ...::gadget_two::schema),
    and each board answers through its own tables."""

    def test_link_and_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(GOLDEN, "gadget.xml"), encoding="utf-8") as f:
                text = f.read()
            copy = os.path.join(tmp, "gadget-two.xml")
            with open(copy, "w", encoding="utf-8") as f:
                f.write(text)
            resolver = Resolver([GOLDEN, default_dm_dir()])
            objects = []

            def compile(src, includes, extra=()):
                obj = os.path.join(tmp, "obj%d.o" % len(objects))
                p = subprocess.run(CXX + CXXFLAGS + ["-I" + i for i in includes] +
                                   ["-I" + os.path.join(ROOT, "runtime", "include")] + list(extra) +
                                   ["-c", src, "-o", obj], capture_output=True, text=True)
                self.assertEqual(p.returncode, 0, p.stderr)
                objects.append(obj)

            for name, xml, prefix, factory in (("one", os.path.join(GOLDEN, "gadget.xml"), "gadget_", []),
                                               ("two", copy, "gadget_two_",
                                                ["-Dmake_gadget_board=make_gadget_two_board"])):
                out = os.path.join(tmp, name)
                include = os.path.join(out, "include")
                codegen.generate(load_profile(resolver, xml), out, prefix, include, agent=False)
                for f in sorted(os.listdir(out)):
                    if f.endswith(".cpp"):
                        compile(os.path.join(out, f), [include])
                compile(os.path.join(GOLDEN, "platform_ok.cpp"), [include], factory)
            for src in RUNTIME_SOURCES:
                compile(src, [])
            main = os.path.join(tmp, "main.cpp")
            with open(main, "w", encoding="utf-8") as f:
                f.write(TWO_PROFILES_MAIN)
            compile(main, [])
            exe = os.path.join(tmp, "two-profiles.exe")
            link = subprocess.run(CXX + objects + ["-o", exe], capture_output=True, text=True)
            self.assertEqual(link.returncode, 0, link.stderr)
            run = subprocess.run([exe], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stdout.split(), ["gadget", "Off", "gadget-two", "On"])


class Names(unittest.TestCase):
    def test_parameter_names_come_from_paths(self):
        self.assertEqual(codegen.param_name("Device.IP.Interface.{i}.Enable"), "IP_Interface_Enable")
        self.assertEqual(codegen.param_name("Device.Services.STBService.{i}.Enable"), "STBService_Enable")
        self.assertEqual(codegen.param_name("Device.DeviceInfo.X_RDKCENTRAL-COM_BootTime"),
                         "DeviceInfo_X_RDKCENTRAL_COM_BootTime")
        self.assertEqual(codegen.param_name("Gadget.Mode"), "Gadget_Mode")

    def test_constraints_are_named_after_their_parameter(self):
        with open(os.path.join(EXPECTED, "gadget_schema.cpp"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("extern const cwmp::dm::Constraint c_Gadget_Mode;", text)
        self.assertNotRegex(text, r"Constraint c[0-9]")


class PlainData(unittest.TestCase):
    """The plan handed to the templates is data, not C++: the templates
    write every initialiser, literal and declaration."""
    CPP = ("::", "&", "nullptr", "std", "{}", '"', "{.", "0xffffffff")

    def values(self, value):
        if isinstance(value, dict):
            for v in value.values():
                yield from self.values(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                yield from self.values(v)
        else:
            yield value

    def test_rows_and_facets_are_plain_values(self):
        prof = load_profile(Resolver([GOLDEN, default_dm_dir()]), os.path.join(GOLDEN, "gadget.xml"))
        plan = codegen.build_plan(prof, agent=False)
        checked = 0
        for value in self.values([plan["params"], plan["objects"]]):
            self.assertIsInstance(value, (str, int, bool, type(None)))
            if isinstance(value, str):
                checked += 1
                for token in self.CPP:
                    self.assertNotIn(token, value)
        self.assertGreater(checked, 100)
        fields = [f for g in plan["gens"] for f in g.fields]
        self.assertTrue(fields)
        for f in fields:
            self.assertNotIn("std::vector", f.element)


class StartValue(unittest.TestCase):
    """Where a runtime-bound value starts (dmlib/start_value.py): the model's
    default, else the type's zero where allowed, else the first enumeration
    value, else the least of the first range."""

    @staticmethod
    def facets(**kw):
        c = {"ranges": [], "sizes": [], "enums": [], "patterns": [], "min_items": 0, "max_items": None,
             "list_size": None}
        c.update(kw)
        return c

    def test_rules(self):
        from dmlib.start_value import start_value
        rng = lambda lo, hi, step=None: {"min": lo, "max": hi, "step": step}  # noqa: E731
        self.assertEqual(start_value("unsignedInt", False, "86400", self.facets(ranges=[rng(1, None)])), "86400")
        self.assertEqual(start_value("unsignedInt", False, None, None), "0")
        self.assertEqual(start_value("unsignedInt", False, None, self.facets(ranges=[rng(0, 10)])), "0")
        self.assertEqual(start_value("unsignedInt", False, None, self.facets(ranges=[rng(1, 65535)])), "1")
        self.assertEqual(start_value("int", False, None, self.facets(ranges=[rng(-1, 64, 5)])), "0")  # steps from 0 up
        self.assertEqual(start_value("string", False, None, self.facets(enums=["None", "Requested"])), "None")
        self.assertEqual(start_value("string", False, None, self.facets(enums=["", "On"])), "")
        self.assertEqual(start_value("boolean", False, None, None), "false")
        self.assertEqual(start_value("dateTime", False, None, None), "0001-01-01T00:00:00Z")
        # Nothing allowed to start from: empty, as the six-character OUI or a list of one item at least.
        self.assertEqual(start_value("string", False, None, self.facets(sizes=[{"min": 6, "max": 6}])), "")
        self.assertEqual(start_value("unsignedInt", True, None, self.facets(min_items=1)), "")
        self.assertEqual(start_value("string", True, None, self.facets(min_items=1, enums=["UDP"])), "UDP")


class CreateDeleteRule(unittest.TestCase):
    """Which tables the ACS may AddObject/DeleteObject is decided once
    (codegen.acs_may); the object table's access, the board's add/remove
    declarations and the thunks all follow it."""

    def test_the_rule(self):
        from types import SimpleNamespace as O
        cases = {("readOnly", True): (False, False), ("create", True): (True, False),
                 ("delete", True): (False, True), ("createDelete", True): (True, True),
                 ("createDelete", False): (False, False), ("readOnly", False): (False, False)}
        for (access, multi), want in cases.items():
            self.assertEqual(codegen.acs_may(O(access=access, multi=multi)), want, (access, multi))
        self.assertEqual(codegen.acs_access(O(access="delete", multi=True)), "Delete")

    def generated(self, port_access):
        """The gadget profile with Gadget.Port.{i}.'s DT access changed."""
        with open(os.path.join(GOLDEN, "gadget.xml"), encoding="utf-8") as f:
            text = f.read()
        old = '<object ref="Gadget.Port.{i}." access="createDelete"'
        self.assertIn(old, text)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "gadget.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace(old, old.replace("createDelete", port_access)))
            prof = load_profile(Resolver([GOLDEN, default_dm_dir()]), path)
            codegen.generate(prof, tmp, "gadget_", os.path.join(tmp, "include"), agent=False)
            out = {}
            for rel in ("include/cwmp/platform/port.h", "gadget_tables_port.cpp", "gadget_schema.cpp"):
                with open(os.path.join(tmp, rel), encoding="utf-8") as f:
                    out[rel] = f.read()
            return out

    def test_everything_follows_the_rule(self):
        for access, add, remove in (("create", True, False), ("delete", False, True),
                                    ("readOnly", False, False), ("createDelete", True, True)):
            out = self.generated(access)
            header, tables, schema = out.values()
            self.assertEqual("cwmp::Fault add(" in header, add, access)
            self.assertEqual("cwmp::Fault remove(" in header, remove, access)
            self.assertEqual("Fault add_Port(" in tables, add, access)
            self.assertEqual("Fault remove_Port(" in tables, remove, access)
            self.assertEqual(".add = &add_Port" in schema, add, access)
            self.assertEqual(".remove = &remove_Port" in schema, remove, access)
            want = codegen.acs_access(type("O", (), {"access": access, "multi": True}))
            if want == "ReadOnly":
                self.assertNotIn("ObjectAccess::", schema)
            else:
                self.assertIn(f".access = ObjectAccess::{want},", schema)

    def test_templates_do_not_decide(self):
        templates = os.path.join(ROOT, "generator", "templates")
        for name in os.listdir(templates):
            with open(os.path.join(templates, name), encoding="utf-8") as f:
                text = f.read()
            # no condition on an object's DT access in a template
            self.assertNotRegex(text, r'{%[^%]*("(create|delete|createDelete)"|obj\.access)[^%]*%}', name)


class RdkStbCompleteness(unittest.TestCase):
    def test_every_platform_parameter_has_a_field(self):
        prof = load_profile(Resolver([default_dm_dir()]),
                            os.path.join(ROOT, "models", "profiles", "rdk-stb.xml"))
        with tempfile.TemporaryDirectory() as tmp:
            names = codegen.generate(prof, tmp, "rdk_stb_", os.path.join(tmp, "include"))
            text = ""
            for n in names:
                if n.startswith("cwmp/model/"):
                    with open(os.path.join(tmp, "include", n), encoding="utf-8") as f:
                        text += f.read()
        platform = [sp for sp in prof.params() if sp.binding == "platform"]
        self.assertGreater(len(platform), 800)
        missing = [sp.path for sp in platform if f"  // {sp.path} " not in text]
        self.assertEqual(missing, [])


if __name__ == "__main__":
    unittest.main()
