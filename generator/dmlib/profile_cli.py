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
    register_generate(sub, make_resolver)
    add("report", "an HTML report of the profile's supported model", report.html_report)


def register_generate(sub, make_resolver):
    p = sub.add_parser("generate", help="generate the C++ tables and platform API of a profile")
    p.add_argument("profile")
    p.add_argument("--out-dir", required=True, help="directory of the generated sources")
    p.add_argument("--header-dir", help="directory of the generated headers (default: --out-dir)")
    p.add_argument("--prefix", default="", help="prefix of the generated source file names")
    p.add_argument("--list", action="store_true", help="only print the files it would write")

    def run(args):
        from . import codegen
        prof = load_profile(make_resolver(args), args.profile)
        if args.list:
            import tempfile
            with tempfile.TemporaryDirectory() as tmp:
                names = codegen.generate(prof, tmp, args.prefix)
        else:
            names = codegen.generate(prof, args.out_dir, args.prefix, args.header_dir)
        if args.list:
            print("\n".join(names))
        return 0
    p.set_defaults(func=run)
