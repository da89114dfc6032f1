#!/usr/bin/env python3
"""The manual pages say what the code does: every configuration key the parser
knows is in cwmpd.conf(5), every cwmpctl command and exit status of its usage
text in cwmpctl(1), every exit status of daemon.h in cwmpd(8), every dmgen
command in dmgen(1); and man(1) renders each page without a warning."""
import os
import re
import shutil
import subprocess
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MAN = os.path.join(ROOT, "doc", "man")
CWMPCTL = os.environ.get("CWMPCTL")


def page(name):
    with open(os.path.join(MAN, name)) as f:
        return f.read()


def plain(troff):
    """The words of a troff page, without requests' font switches and escapes."""
    text = re.sub(r"\\f[BIRP]|\\\(dq|\\&", "", troff)
    text = text.replace("\\-", "-")
    return re.sub(r"^\.[A-Z]+ ?", "", text, flags=re.M)


class ManPages(unittest.TestCase):
    def test_every_config_key_documented(self):
        with open(os.path.join(ROOT, "runtime", "src", "agent", "config.cpp")) as f:
            keys = set(re.findall(r'key == "([a-z_]+)"', f.read()))
        self.assertGreater(len(keys), 20, "the parser's keys were not found: has config.cpp changed shape?")
        text = plain(page("cwmpd.conf.5"))
        missing = sorted(k for k in keys if not re.search(r"\b%s\b" % k, text))
        self.assertEqual(missing, [], "cwmpd.conf.5 lacks these keys")

    def test_every_exit_status_of_cwmpd_documented(self):
        with open(os.path.join(ROOT, "runtime", "include", "cwmp", "daemon", "daemon.h")) as f:
            codes = re.findall(r"kExit\w+ = (\d+)", f.read())
        self.assertGreaterEqual(len(codes), 4)
        text = page("cwmpd.8")
        section = text[text.index(".SH EXIT STATUS"):text.index(".SH FILES")]
        for c in codes:
            self.assertIn(".B %s\n" % c, section, "exit status %s" % c)

    def test_every_cwmpctl_command_and_status_documented(self):
        if not CWMPCTL:
            self.skipTest("CWMPCTL is not set (meson test sets it)")
        usage = subprocess.run([CWMPCTL, "--help"], capture_output=True, text=True).stderr + \
            subprocess.run([CWMPCTL, "--help"], capture_output=True, text=True).stdout
        commands = re.findall(r"^  ([a-z][a-z-]*) ", usage, re.M)
        self.assertGreater(len(commands), 8, usage)
        text = plain(page("cwmpctl.1"))
        for c in commands:
            self.assertRegex(text, r"(?m)^%s\b" % re.escape(c), "command %s" % c)
        statuses = re.findall(r"(\d) ([a-z][^,.]*)", usage[usage.index("Exit status"):])
        self.assertGreaterEqual(len(statuses), 7, usage)
        section = page("cwmpctl.1")
        section = section[section.index(".SH EXIT STATUS"):section.index(".SH ENVIRONMENT")]
        for code, _what in statuses:
            self.assertIn(".B %s\n" % code, section, "exit status %s" % code)

    def test_every_dmgen_command_documented(self):
        out = subprocess.run([sys.executable, os.path.join(ROOT, "generator", "dmgen"), "--help"],
                             capture_output=True, text=True, check=True).stdout
        commands = re.search(r"\{([a-z,-]+)\}", out).group(1).split(",")
        text = page("dmgen.1")
        for c in commands:
            self.assertIn(".B %s\n" % c.replace("-", "\\-"), text, "command %s" % c)

    def test_pages_render_without_warnings(self):
        if shutil.which("man") is None:
            self.skipTest("man(1) is not installed (Debian package man-db)")
        for name in sorted(os.listdir(MAN)):
            r = subprocess.run(["man", "--warnings", "-l", os.path.join(MAN, name)], capture_output=True, text=True,
                               env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MANPAGER="cat", PAGER="cat"))
            self.assertEqual(r.returncode, 0, name + ": " + r.stderr)
            self.assertEqual(r.stderr.strip(), "", name)
            self.assertIn("NAME", r.stdout, name)


if __name__ == "__main__":
    unittest.main()
