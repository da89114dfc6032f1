"""dmgen subcommands over a device profile: manifest, dt."""

import os
import sys

from . import outputs
from . import report
from .profile import load_profile


def _write(text, out):
    if out in (None, "-"):
        sys.stdout.write(text)
        return
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out)


def register(sub, make_resolver):
    def add(name, helptext, render):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("profile")
        p.add_argument("-o", "--output", help="output file (default: standard output)")

        def run(args):
            prof = load_profile(make_resolver(args), args.profile)
            _write(render(prof), args.output)
            return 0
        p.set_defaults(func=run)

    add("manifest", "one line per supported object and parameter of a profile", outputs.manifest)
    add("dt", "the profile as a normalised BBF Device Type instance", outputs.normalised_dt)
    add("report", "an HTML report of the profile's supported model", report.html_report)
