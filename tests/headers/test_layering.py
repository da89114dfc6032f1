#!/usr/bin/env python3
"""No include runs back up: the low modules of libcwmp include nothing of the
modules built on them.  util (logging, the event loop) is the bottom; the store
and the task queue sit below the agent, the session, the transfers and the
RPCs (which all use them); those three do not include the agent that drives
them; the SOAP reader does not include the writer.  A failure names file:line and the include.

Run: python3 tests/headers/test_layering.py [-v] (from anywhere)."""
import os
import re
import sys
import tempfile
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# The modules that use the task queue and the store (runtime/src/<module>,
# cwmp/<module>/).
ABOVE_TASKS = {"agent", "session", "transfer", "rpc", "ctl", "daemon", "connreq", "xmpp", "stun", "lwn", "diag"}

# module (its source and header directories) -> modules it must not include;
# a rule on a single file (header or source) names it without its extension.
RULES = {
    "tasks": ABOVE_TASKS,
    "store": ABOVE_TASKS | {"tasks"},
    # The agent drives sessions, transfers and RPCs; they do not reach back
    # into it (its event loop is util/loop).
    "session": {"agent", "daemon", "ctl"},
    "transfer": {"agent", "daemon", "ctl"},
    "rpc": {"agent", "daemon", "ctl"},
    "util": ABOVE_TASKS | {"tasks", "store", "dm", "soap", "platform"},
    "soap/reader": {"soap/writer"},  # what they share is soap/namespace
}

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def files_of(root, unit):
    """The sources and headers of `unit`: a module's directories, or one file's .h and .cpp."""
    out = []
    for base in (os.path.join(root, "runtime", "src"), os.path.join(root, "runtime", "include", "cwmp")):
        d = os.path.join(base, unit)
        if os.path.isdir(d):
            for dirpath, _, names in os.walk(d):
                out += [os.path.join(dirpath, n) for n in names if n.endswith((".h", ".cpp"))]
        for ext in (".h", ".cpp"):
            if os.path.isfile(d + ext):
                out.append(d + ext)
    return sorted(out)


def target_of(root, source, included):
    """What an include names, as "module/file" without extension ("agent/agent",
    "soap/writer"), whether written "cwmp/..." or relative to `source`."""
    if included.startswith("cwmp/"):
        rel = included[len("cwmp/"):]
    else:
        path = os.path.normpath(os.path.join(os.path.dirname(source), included))
        for base in (os.path.join(root, "runtime", "src"), os.path.join(root, "runtime", "include", "cwmp")):
            if path.startswith(base + os.sep):
                rel = os.path.relpath(path, base)
                break
        else:
            return None  # outside libcwmp (a system or generated header)
    return os.path.splitext(rel.replace(os.sep, "/"))[0]


def violations(root):
    found = []
    for unit, forbidden in sorted(RULES.items()):
        for source in files_of(root, unit):
            with open(source, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    target = target_of(root, source, m.group(1))
                    if target is None:
                        continue
                    if any(target == b or target.startswith(b + "/") for b in forbidden):
                        found.append("%s:%d: %s must not include %s" %
                                     (os.path.relpath(source, root), number, unit, m.group(1)))
    return found


class Layering(unittest.TestCase):
    def test_no_include_runs_back_up(self):
        found = violations(ROOT)
        self.assertEqual(found, [], "\n" + "\n".join(found))

    def test_the_rules_cover_existing_code(self):
        # A rule over a module that moved away would pass on nothing.
        for unit in RULES:
            self.assertTrue(files_of(ROOT, unit), unit + " has no files: the rule checks nothing")

    def test_an_upward_include_is_named_with_its_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            def write(rel, text):
                path = os.path.join(tmp, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            write("runtime/src/tasks/tasks.cpp", '#include "cwmp/tasks/tasks.h"\n#include "cwmp/agent/agent.h"\n')
            write("runtime/src/store/store.cpp", '#include <map>\n\n#include "../session/session.h"\n')
            write("runtime/include/cwmp/tasks/tasks.h", '#include "cwmp/store/store.h"\n')
            write("runtime/include/cwmp/transfer/multi.h", '#include "cwmp/util/loop.h"\n#include "cwmp/agent/loop.h"\n')
            write("runtime/include/cwmp/soap/reader.h", '#include "cwmp/soap/namespace.h"\n#include "cwmp/soap/writer.h"\n')
            self.assertEqual(violations(tmp), [
                "runtime/include/cwmp/soap/reader.h:2: soap/reader must not include cwmp/soap/writer.h",
                "runtime/src/store/store.cpp:3: store must not include ../session/session.h",
                "runtime/src/tasks/tasks.cpp:2: tasks must not include cwmp/agent/agent.h",
                "runtime/include/cwmp/transfer/multi.h:2: transfer must not include cwmp/agent/loop.h",
            ])


if __name__ == "__main__":
    unittest.main()
