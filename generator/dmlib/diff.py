"""`dmgen diff`: what a spec update adds, removes and changes.

    dmgen diff OLD.xml NEW.xml [--old-model NAME:VER] [--new-model NAME:VER]
               [--profile MANIFEST]

One line per item (object or parameter; deleted items count as absent),
sorted bytewise by path, as in the canonical dump:

    + PATH SUMMARY                       added; the new summary
    - PATH                               removed
    ~ PATH SUMMARY: FIELD OLD -> NEW; FIELD +ADDED -REMOVED; ...
                                         changed; the old summary

A summary is `ACCESS MIN..MAX` for an object and `BASETYPE ACCESS [list]`
for a parameter.  Values are written bare where they are plain words and
JSON-quoted otherwise; `(none)` stands for a facet or default not given.
With --profile, the items the profile's manifest names come first, then the
rest.  A closing line counts the differences.  The exit status is 0 whatever
the differences; bad input is a dmgen error (exit 1).
"""

import json
import re

from .errors import DMError
from .model import Obj

NONE = "(none)"
SET_FIELDS = ("enum", "pattern")
# Report order of the fields; `default` stands for each default.KIND.
ORDER = ("type", "list", "items", "listsize", "access", "minEntries", "maxEntries",
         "size", "range", "enum", "pattern", "units", "default", "activeNotify",
         "forcedInform", "status")
_PLAIN = re.compile(r"^[\w.,:/{}@+-]+$")


def register(subparsers, make_resolver):
    p = subparsers.add_parser("diff", help="list what changed between two model versions")
    p.add_argument("old", metavar="OLD.xml")
    p.add_argument("new", metavar="NEW.xml")
    p.add_argument("--old-model", metavar="NAME:VERSION")
    p.add_argument("--new-model", metavar="NAME:VERSION")
    p.add_argument("--profile", metavar="MANIFEST",
                   help="list the items this manifest names first")
    p.set_defaults(func=lambda args: run(args, make_resolver(args)))


def run(args, resolver):
    profile = read_manifest(args.profile) if args.profile else None
    old_doc, new_doc = resolver.load(args.old), resolver.load(args.new)
    resolver.check()
    old = resolver.model(old_doc, args.old_model)
    new = resolver.model(new_doc, args.new_model)
    print("\n".join(report(old, new, profile)))
    return 0


def read_manifest(path):
    """The item paths a profile manifest names: each line's first field.

    Blank lines and lines starting with '#' are skipped; instance numbers
    are read as {i}, so `Device.IP.Interface.1.` names Device.IP.Interface.{i}.
    """
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise DMError(path, None, f"cannot read profile manifest: "
                                  f"{getattr(exc, 'strerror', None) or exc}") from None
    paths = set()
    for line in text.splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            paths.add(re.sub(r"(?<=\.)\d+(?=\.)", "{i}", fields[0]))
    return paths


def items(model):
    """path -> Obj or Param for every item that is not deleted."""
    out = {}
    for obj in model.objects.values():
        if obj.status == "deleted":
            continue
        if obj.path:
            out[obj.path] = obj
        for p in obj.params.values():
            if p.status != "deleted":
                out[obj.path + p.name] = p
    return out


def _bounds(pairs):
    return ",".join(f"{lo or ''}..{hi or ''}" for lo, hi in pairs if lo or hi) or None


def object_fields(obj):
    return {"access": obj.access, "minEntries": obj.min, "maxEntries": obj.max,
            "status": obj.status}


def param_fields(p):
    """The compared fields of a parameter; None is absent."""
    s, f, lst = p.syntax, p.syntax.facets, p.syntax.list
    fields = {
        "type": s.base,
        "list": "single" if lst is None else "list",
        "items": _bounds([(lst.min_items, lst.max_items)]) if lst else None,
        "listsize": _bounds(lst.sizes) if lst else None,
        "access": p.access,
        "size": _bounds(f.sizes),
        "range": ",".join(f"{lo or ''}..{hi or ''}" + (f"/{step}" if step else "")
                          for lo, hi, step in f.ranges) or None,
        "enum": tuple(e.value for e in f.enums if e.status != "deleted"),
        "pattern": f.patterns,
        "units": f.units,
    }
    for kind in sorted(s.defaults):
        fields["default." + kind] = s.defaults[kind]
    fields.update({"activeNotify": p.notify, "forcedInform": str(p.forced).lower(),
                   "status": p.status})
    return fields


def fields(item):
    return object_fields(item) if isinstance(item, Obj) else param_fields(item)


def summary(item):
    if isinstance(item, Obj):
        return f"{item.access} {item.min}..{item.max}"
    return f"{item.syntax.base} {item.access}" + (" list" if item.syntax.list else "")


def _v(value):
    if value is None:
        return NONE
    return value if _PLAIN.match(value) else json.dumps(value, ensure_ascii=False)


def _rank(name):
    return ORDER.index(name.split(".")[0]), name


def field_changes(old, new):
    """`FIELD OLD -> NEW` or `FIELD +ADDED -REMOVED` for each field that differs."""
    out = []
    for name in sorted(old.keys() | new.keys(), key=_rank):
        a, b = old.get(name), new.get(name)
        if name in SET_FIELDS:
            added = [f"+{_v(x)}" for x in b if x not in a]
            removed = [f"-{_v(x)}" for x in a if x not in b]
            if added or removed:
                out.append(" ".join([name] + added + removed))
        elif a != b:
            out.append(f"{name} {_v(a)} -> {_v(b)}")
    return out


def item_line(path, old, new):
    """The report line of one item, or None if it did not change."""
    if old is None:
        return f"+ {path} {summary(new)}"
    if new is None:
        return f"- {path}"
    changes = field_changes(fields(old), fields(new))
    return (f"~ {path} {summary(old)}: " + "; ".join(changes)) if changes else None


def differences(old_model, new_model):
    """The report lines of every item that differs, sorted by path."""
    old, new = items(old_model), items(new_model)
    paths = sorted(old.keys() | new.keys(), key=lambda s: s.encode("utf-8"))
    out = []
    for path in paths:
        line = item_line(path, old.get(path), new.get(path))
        if line is not None:
            out.append((path, line))
    return out


def _counts(lines):
    n = {kind: sum(1 for line in lines if line[0] == kind) for kind in "+-~"}
    return f"{n['+']} added, {n['-']} removed, {n['~']} changed"


def report(old_model, new_model, profile=None):
    """The whole report: the lines (in sections with a profile), then the counts."""
    found = differences(old_model, new_model)
    every = [line for _path, line in found]
    if profile is None:
        return every + [f"diff: {_counts(every)}"]
    mine = [line for path, line in found if path in profile]
    rest = [line for path, line in found if path not in profile]
    return (["# items in the profile"] + mine + ["# other items"] + rest
            + [f"diff: {_counts(every)} (profile: {_counts(mine)})"])
