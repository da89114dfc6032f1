"""The canonical dump of a model: one line per item, sorted bytewise.

    O <path> <access> <minEntries> <maxEntries>
    P <path> <basetype> <access> <list|single>

The verbose form appends `key=value` fields (values JSON-quoted where they
are strings): list facets, sizes, ranges, enumerations, patterns, units,
defaults, activeNotify, forcedInform, status, and for objects the
numEntries/enable parameters and unique keys.  Deleted items are left out;
a deleted object hides its own parameters, not its child objects.
"""

import json


def _q(value):
    return json.dumps(value, ensure_ascii=False)


def _bounds(pairs):
    return ",".join(f"{lo or ''}..{hi or ''}" for lo, hi in pairs)


def _object_fields(obj):
    out = []
    if obj.num_entries:
        out.append(f"numEntries={obj.num_entries}")
    if obj.enable:
        out.append(f"enable={obj.enable}")
    if obj.unique_keys:
        out.append("unique=" + ";".join(",".join(k) for k in sorted(obj.unique_keys)))
    if obj.status != "current":
        out.append(f"status={obj.status}")
    return out


def _param_fields(p):
    s = p.syntax
    f = s.facets
    out = []
    if s.datatype:
        out.append(f"dt={s.datatype}")
    if s.list is not None:
        lf = s.list
        out.append(f"items={lf.min_items or ''}..{lf.max_items or ''}")
        if lf.sizes:
            out.append(f"listsize={_bounds(lf.sizes)}")
    if f.sizes:
        out.append(f"size={_bounds(f.sizes)}")
    if f.ranges:
        out.append("range=" + ",".join(
            f"{lo or ''}..{hi or ''}" + (f"/{step}" if step else "") for lo, hi, step in f.ranges))
    enums = [e for e in f.enums if e.status != "deleted"]
    if enums:
        out.append("enum=" + _q([e.value + ("?" if e.optional else "")
                                 + ("(ro)" if e.access == "readOnly" else "") for e in enums]))
    if f.patterns:
        out.append("pattern=" + _q(list(f.patterns)))
    if f.units:
        out.append("units=" + _q(f.units))
    for kind in sorted(s.defaults):
        out.append(f"default.{kind}=" + _q(s.defaults[kind]))
    if p.notify != "normal":
        out.append(f"notify={p.notify}")
    if p.forced:
        out.append("forcedInform")
    if s.hidden:
        out.append("hidden")
    if s.secured:
        out.append("secured")
    if s.command:
        out.append("command")
    if p.status != "current":
        out.append(f"status={p.status}")
    return out


def lines(model, verbose=False):
    out = []
    for obj in model.objects.values():
        if obj.status == "deleted":
            continue
        if obj.path:
            line = f"O {obj.path} {obj.access} {obj.min} {obj.max}"
            if verbose:
                line = " ".join([line] + _object_fields(obj))
            out.append(line)
        for p in obj.params.values():
            if p.status == "deleted":
                continue
            kind = "list" if p.syntax.list is not None else "single"
            line = f"P {obj.path}{p.name} {p.syntax.base} {p.access} {kind}"
            if verbose:
                line = " ".join([line] + _param_fields(p))
            out.append(line)
    out.sort(key=lambda s: s.encode("utf-8"))
    return out
