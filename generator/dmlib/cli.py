"""Command line of dmgen."""

import argparse
import sys

from .dump import lines
from .errors import DMError
from . import diff
from . import profile_cli
from .loader import Resolver, default_dm_dir
from .locate import parse_pin

# Further subcommands live in their own modules, each with
# register(subparsers, make_resolver).
COMMAND_MODULES = [diff, profile_cli]


def _resolver(args):
    dirs = args.dm_dir or [default_dm_dir()]
    pins = {}
    for text in args.pin or []:
        pin = parse_pin(text)
        if pin is None:
            raise DMError("--pin", None, f"'{text}' is not of the form tr-181-2=18")
        pins[pin[0]] = pin[1]
    return Resolver(dirs, pins)


def cmd_dump(args):
    r = _resolver(args)
    doc = r.load(args.file)
    r.check()
    model = r.model(doc, args.model)
    out = sys.stdout
    out.write("\n".join(lines(model, args.verbose)))
    out.write("\n")
    return 0


def cmd_summary(args):
    r = _resolver(args)
    docs = [r.load(file) for file in args.files]
    r.check()
    for doc in docs:
        model = r.model(doc, None)
        objs = [o for o in model.objects.values() if o.path and o.status != "deleted"]
        params = [p for o in model.objects.values() if o.status != "deleted"
                  for p in o.params.values() if p.status != "deleted"]
        multi = sum(1 for o in objs if o.multi)
        writable = sum(1 for p in params if p.access != "readOnly")
        kind = "service model" if model.is_service else "root model"
        print(f"{model.name} ({kind}) from {doc.file}: {len(objs)} objects "
              f"({multi} multi-instance), {len(params)} parameters ({writable} writable)")
    print(f"{len(r.library.docs)} documents loaded")
    return 0


def main(argv):
    ap = argparse.ArgumentParser(prog="dmgen", description=__doc__)
    ap.add_argument("--dm-dir", action="append",
                    help="directory of BBF data-model XML (repeatable; default: %(default)s)"
                    .replace("%(default)s", default_dm_dir()))
    ap.add_argument("--pin", action="append", metavar="DOC-ISSUE=AMENDMENT",
                    help="resolve version-less imports of a document family to one amendment, "
                         "e.g. tr-181-2=18 (repeatable; default: the newest present)")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("dump", help="print a model's canonical dump")
    p.add_argument("file")
    p.add_argument("--model", metavar="NAME:VERSION")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also print facets, defaults and notification attributes")
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser("summary", help="resolve documents and summarise their models")
    p.add_argument("files", nargs="+")
    p.set_defaults(func=cmd_summary)

    for module in COMMAND_MODULES:
        module.register(sub, _resolver)

    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except DMError as exc:
        print(f"dmgen: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
