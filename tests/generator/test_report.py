"""Tests of `dmgen report`: the HTML report of a profile's supported model.

Two profiles: the hand-written tests/golden/report/tiny.xml (with its data
model tiny-report-dm.xml beside it), which has one of every kind of cell, and
models/profiles/full.xml over the real BBF directory ($DMGEN_BBF_DIR), which
has everything of Device:2.19, STBService:1.4 and StorageService:1.3.

The page is read back with the stdlib html.parser: tags must balance, every
object must have a section with exactly one parameter table and every
parameter a row, links must point into the page, and the cells of a few
parameters must show what the model says.
"""

import collections
import os
import subprocess
import sys
import tempfile
import time
import unittest
from html.parser import HTMLParser
from urllib.parse import unquote

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "generator"))

from dmlib.loader import Resolver  # noqa: E402
from dmlib.profile import load_profile  # noqa: E402
from dmlib.report import html_report  # noqa: E402

DMGEN = os.path.join(ROOT, "generator", "dmgen")
FIXTURES = os.path.join(ROOT, "tests", "golden", "report")
TINY = os.path.join(FIXTURES, "tiny.xml")
FULL = os.path.join(ROOT, "models", "profiles", "full.xml")
BBF = os.environ.get("DMGEN_BBF_DIR", "")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Page(HTMLParser):
    """What the tests look at in a report: structure, ids, links, rows."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.tags = collections.Counter()
        self.ids = []
        self.links = []
        self.sections = {}     # object section id -> number of parameter tables in it
        self.rows = {}         # parameter row id -> (class, [cell text])
        self.headers = []      # column titles of the first parameter table
        self.text = []
        self._section = None
        self._row = None
        self._in_params = False
        self._th = None
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append("unclosed at end: " + " ".join(f"<{t}>" for t in self.stack))

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.errors.append(f"self-closing <{tag}/> at line {self.getpos()[0]}")
        self.handle_starttag(tag, attrs)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        self.tags[tag] += 1
        if tag not in VOID:
            self.stack.append(tag)
        if "id" in a:
            self.ids.append(a["id"])
        for attr in ("href", "src"):
            if attr in a:
                self.links.append(a[attr])
        if tag == "section" and "obj" in classes:
            self._section = a.get("id")
            self.sections[self._section] = 0
        elif tag == "table" and "params" in classes:
            self._in_params = True
            if self._section is None:
                self.errors.append(f"parameter table outside an object section, line "
                                   f"{self.getpos()[0]}")
            else:
                self.sections[self._section] += 1
        elif tag == "th" and self._in_params and self.sections.get(self._section) == 1 \
                and len(self.sections) == 1:
            self._th = []
        elif tag == "tr" and "id" in a:
            self._row = a["id"]
            if self._row in self.rows:
                self.errors.append(f"row {self._row} twice")
            self.rows[self._row] = (a.get("class") or "", [])
        elif tag == "td" and self._row is not None:
            self.rows[self._row][1].append([])

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append(f"end tag </{tag}> of a void element at line {self.getpos()[0]}")
            return
        if not self.stack or self.stack[-1] != tag:
            top = self.stack[-1] if self.stack else "nothing"
            self.errors.append(f"</{tag}> closes <{top}> at line {self.getpos()[0]}")
            if tag in self.stack:
                del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag):]
            return
        self.stack.pop()
        if tag == "tr":
            self._row = None
        elif tag == "section":
            self._section = None
        elif tag == "table":
            self._in_params = False
        elif tag == "th" and self._th is not None:
            self.headers.append("".join(self._th).strip())
            self._th = None

    def handle_data(self, data):
        self.text.append(data)
        if self._th is not None:
            self._th.append(data)
        if self._row is not None and self.rows[self._row][1]:
            self.rows[self._row][1][-1].append(data)

    def cells(self, row_id):
        """{column title: cell text} of a parameter's row."""
        _cls, cells = self.rows[row_id]
        return dict(zip(self.headers, ("".join(c) for c in cells)))

    def row_class(self, row_id):
        return self.rows[row_id][0]


class ReportChecks:
    """Checks that hold for the report of any profile."""

    def check_structure(self, prof, html, page):
        self.assertEqual(page.errors, [], "HTML does not balance")
        self.assertTrue(html.startswith("<!DOCTYPE html>\n"))
        self.assertEqual(page.tags["html"], 1)
        self.assertEqual(page.tags["title"], 1)
        # One section per object, in the profile's order, each with one table.
        self.assertEqual(list(page.sections), list(prof.objects))
        self.assertEqual(set(page.sections.values()), {1})
        self.assertEqual(html.count('<table class="params">'), len(prof.objects))
        # One row per parameter; every path is written out in the page.
        self.assertEqual(sorted(page.rows), sorted(sp.path for sp in prof.params()))
        text = "".join(page.text)
        for path in prof.objects:
            self.assertIn(path, text)
        for sp in prof.params():
            self.assertTrue(page.cells(sp.path)["Parameter"].startswith(sp.name), sp.path)
        # Self-contained: no scripts, no fetched resources, links within the page.
        for tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.assertEqual(page.tags[tag], 0, f"<{tag}> in the report")
        ids = set(page.ids)
        self.assertEqual(len(ids), len(page.ids), "duplicate ids")
        for link in page.links:
            self.assertTrue(link.startswith("#"), link)
            self.assertIn(unquote(link[1:]), ids, f"link {link} goes nowhere")
        self.assertNotIn("url(", html)
        self.assertNotIn("@import", html)

    def check_summary(self, prof, html):
        objs = list(prof.objects.values())
        params = list(prof.params())
        by = collections.Counter(o.binding for o in objs)
        self.assertIn(f'<th>Objects</th><td class="n">{len(objs)}</td>'
                      f'<td class="n">{by["platform"]}</td><td class="n">{by["runtime"]}</td>',
                      html)
        by = collections.Counter(sp.binding for sp in params)
        self.assertIn(f'<th>Parameters</th><td class="n">{len(params)}</td>'
                      f'<td class="n">{by["platform"]}</td><td class="n">{by["runtime"]}</td>'
                      f'<td class="n">{by["count"]}</td>', html)


class TinyReport(unittest.TestCase, ReportChecks):
    @classmethod
    def setUpClass(cls):
        cls.prof = load_profile(Resolver([FIXTURES]), TINY)
        cls.html = html_report(cls.prof)
        cls.page = Page(cls.html)

    def test_structure(self):
        self.check_structure(self.prof, self.html, self.page)
        self.assertEqual(len(self.prof.objects), 4)
        self.assertNotIn("Top.Gone", self.page.rows)

    def test_header(self):
        text = "".join(self.page.text)
        for item in ("tiny", "urn:example-com:dt:tiny", "Tiny:1.0", "tiny-report-dm.xml",
                     "urn:broadband-forum-org:tr-999-1-0-0"):
            self.assertIn(item, text)
        self.assertIn("<title>Profile tiny: supported model</title>", self.html)

    def test_summary(self):
        self.check_summary(self.prof, self.html)

    def test_columns(self):
        self.assertEqual(self.page.headers,
                         ["Parameter", "Type", "Access", "Binding", "Values", "Range / size",
                          "Units", "Default", "Notification"])

    def test_enumerations(self):
        values = self.page.cells("Top.Mode")["Values"]
        for value in ("Auto", "Manual", "Off", "A<B&C"):
            self.assertIn(value, values)
        self.assertNotIn("Legacy", values)      # status deleted
        self.assertIn("Manual optional", values)
        self.assertIn("Off deprecated", values)
        self.assertIn('<code class="ev opt">Manual</code>', self.html)
        self.assertEqual(self.page.cells("Top.Port.{i}.Duplex")["Values"].split(),
                         ["Half", "Full", "Auto"])
        self.assertIn("[0-9A-F]{6}", self.page.cells("Top.SerialCode")["Values"])

    def test_ranges_sizes_units(self):
        cells = self.page.cells("Top.Temperature")
        self.assertEqual(cells["Range / size"], "-40..125")
        self.assertEqual(cells["Units"], "degrees Celsius")
        cells = self.page.cells("Top.Load")      # from dataType Percent
        self.assertEqual(cells["Type"], "unsignedInt (Percent)")
        self.assertEqual(cells["Range / size"], "\u2264\u202f100")
        self.assertEqual(cells["Units"], "percent")
        self.assertEqual(self.page.cells("Top.Name")["Range / size"], "length 1..32")
        self.assertEqual(self.page.cells("Top.Port.{i}.Speed")["Range / size"],
                         "0..10000 step 10")
        cells = self.page.cells("Top.Ports")
        self.assertEqual(cells["Type"], "list of unsignedInt")
        self.assertEqual(cells["Range / size"], "1..8 itemseach 1..65535")
        self.assertEqual(self.page.cells("Top.Port.{i}.Alias")["Range / size"],
                         "length \u2264\u202f64")

    def test_access_binding_default_notification(self):
        cells = self.page.cells("Top.Port.{i}.Speed")
        self.assertEqual((cells["Access"], cells["Binding"], cells["Default"]),
                         ("readWrite", "runtime", "1000"))
        self.assertEqual(self.page.cells("Top.PortNumberOfEntries")["Binding"], "count")
        self.assertEqual(self.page.cells("Top.Mode")["Default"], "factory Auto")
        self.assertEqual(self.page.cells("Top.Quiet")["Notification"], "canDenywillDeny")
        self.assertEqual(self.page.cells("Top.Version")["Notification"],
                         "forceEnabledforcedInform")
        self.assertEqual(self.page.cells("Top.Temperature")["Notification"], "")
        self.assertEqual(self.page.cells("Top.Secret")["Type"], "string hidden secured")

    def test_object_details(self):
        section = self.html[self.html.index('<section class="obj" id="Top.Port.{i}.">'):]
        meta = section[:section.index("</p>")]
        for item in ("createDelete", "0..4", "runtime", "<code>Alias</code>",
                     'href="#Top.PortNumberOfEntries"'):
            self.assertIn(item, meta)
        self.assertIn("key", self.page.cells("Top.Port.{i}.Alias")["Parameter"])

    def test_status_marked(self):
        self.assertEqual(self.page.row_class("Top.OldThing"), "st-deprecated")
        self.assertEqual(self.page.cells("Top.OldThing")["Parameter"], "OldThing deprecated")
        self.assertEqual(self.page.row_class("Top.Ancient"), "st-obsoleted")
        self.assertEqual(self.page.cells("Top.Ancient")["Parameter"], "Ancient obsoleted")
        self.assertEqual(self.page.row_class("Top.Name"), "")
        self.assertIn('<h2 class="st-deprecated"><span class="path">Top.Legacy.</span>'
                      ' <span class="tag deprecated">deprecated</span>', self.html)

    def test_escaping(self):
        self.assertIn("A&lt;B&amp;C", self.html)
        self.assertIn("tiny &lt;box&gt; &amp; co", self.html)
        self.assertNotIn("A<B&C", self.html)
        self.assertNotIn("<box>", self.html)
        self.assertEqual(self.page.cells("Top.Name")["Default"], "tiny <box> & co")

    def test_deterministic(self):
        again = html_report(load_profile(Resolver([FIXTURES]), TINY))
        self.assertEqual(again, self.html)
        self.assertNotIn(FIXTURES, self.html)
        self.assertNotIn(ROOT, self.html)

    def test_command(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "tiny.html")
            run = subprocess.run([sys.executable, DMGEN, "--dm-dir", FIXTURES, "report", TINY,
                                  "-o", out], capture_output=True, text=True)
            self.assertEqual((run.returncode, run.stdout, run.stderr), (0, "", ""))
            with open(out, encoding="utf-8") as f:
                self.assertEqual(f.read(), self.html)


@unittest.skipUnless(os.path.isdir(BBF), "DMGEN_BBF_DIR is not set to the BBF directory")
class FullReport(unittest.TestCase, ReportChecks):
    @classmethod
    def setUpClass(cls):
        cls.prof = load_profile(Resolver([BBF]), FULL)
        start = time.perf_counter()
        cls.html = html_report(cls.prof)
        cls.seconds = time.perf_counter() - start
        cls.page = Page(cls.html)

    def test_structure(self):
        self.assertGreater(len(self.prof.objects), 900)
        self.assertGreater(sum(1 for _ in self.prof.params()), 7000)
        self.check_structure(self.prof, self.html, self.page)

    def test_summary(self):
        self.check_summary(self.prof, self.html)

    def test_fast(self):
        self.assertLess(self.seconds, 1.0, "rendering the full profile is slow")

    def test_cells(self):
        cells = self.page.cells("Device.ManagementServer.PeriodicInformInterval")
        self.assertEqual((cells["Range / size"], cells["Units"], cells["Binding"]),
                         ("\u2265\u202f1", "seconds", "runtime"))
        self.assertEqual(self.page.cells("Device.WiFi.Radio.{i}.MCS")["Range / size"],
                         "-1..15, 16..31")
        values = self.page.cells("Device.ManagementServer.InstanceMode")["Values"].split()
        self.assertEqual(values, ["InstanceNumber", "InstanceAlias"])
        cells = self.page.cells("Device.DeviceInfo.SoftwareVersion")
        self.assertEqual(cells["Notification"], "forceEnabledforcedInform")
        self.assertEqual(self.page.cells("Device.DeviceInfo.ProcessorNumberOfEntries")["Binding"],
                         "count")
        self.assertIn("Device.Services.STBService.{i}.", self.page.sections)

    def test_status_marked(self):
        for sp in self.prof.params():
            if sp.dm.status in ("deprecated", "obsoleted"):
                self.assertEqual(self.page.row_class(sp.path), "st-" + sp.dm.status)
                self.assertIn(sp.dm.status, self.page.cells(sp.path)["Parameter"])

    def test_deterministic(self):
        self.assertEqual(html_report(self.prof), self.html)
        self.assertNotIn(os.path.abspath(BBF), self.html)
        self.assertNotIn(ROOT, self.html)


if __name__ == "__main__":
    unittest.main()
