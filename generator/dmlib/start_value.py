"""Where a runtime-stored value starts before anything is stored (the
runtime's store, runtime/src/dm/runtime_store.cpp, reads it from the
parameter's row): the model's default; else the type's zero where the
parameter allows it; else its first enumeration value, else the least of
its first range.  A model fact, so computed here rather than by the agent
at each start."""

import re

ZERO = {"boolean": "false", "dateTime": "0001-01-01T00:00:00Z", "string": "", "base64": "", "hexBinary": ""}
NUMERIC = frozenset({"unsignedInt", "int", "unsignedLong", "long", "decimal"})


def _length(base, value):
    """Length as TR-106 counts it: characters of a string, octets of binary data."""
    if base == "hexBinary":
        return len(value) // 2
    if base == "base64":
        return len(value) // 4 * 3 - (len(value) - len(value.rstrip("=")))
    return len(value)


def _in_ranges(number, ranges):
    if not ranges:
        return True
    for r in ranges:
        if r["min"] is not None and number < r["min"]:
            continue
        if r["max"] is not None and number > r["max"]:
            continue
        step = r["step"] or 1
        if step > 1 and number >= 0 and (number - max(r["min"] or 0, 0)) % step:
            continue
        return True
    return False


def _matches(patterns, value):
    """XML Schema patterns are anchored; one that Python cannot compile
    checks nothing (as the runtime's regex cache does)."""
    checkable = False
    for p in patterns:
        try:
            compiled = re.compile(p)
        except re.error:
            continue
        checkable = True
        if compiled.fullmatch(value):
            return True
    return not checkable


def _allowed_item(base, value, c):
    """As the runtime's check (runtime/src/dm/schema.cpp): a boolean or a
    dateTime is allowed once it parses; others by each facet."""
    if base in ("boolean", "dateTime"):
        return True
    number = int(value) if base in NUMERIC and base != "decimal" else 0
    if not _in_ranges(number, c["ranges"]):
        return False
    if c["sizes"] and not any(s["min"] <= _length(base, value) and
                              (s["max"] is None or _length(base, value) <= s["max"]) for s in c["sizes"]):
        return False
    if c["enums"] and value not in c["enums"]:
        return False
    return _matches(c["patterns"], value)


def _allowed(base, is_list, value, c):
    if not is_list:
        return _allowed_item(base, value, c)
    size = c["list_size"]
    if size is not None and (len(value) < size["min"] or (size["max"] is not None and len(value) > size["max"])):
        return False
    items = [i.strip() for i in value.split(",")] if value else []
    if len(items) < c["min_items"] or (c["max_items"] is not None and len(items) > c["max_items"]):
        return False
    return all(_allowed_item(base, i, c) for i in items)


def start_value(base, is_list, default, constraint):
    """The starting value of a runtime-bound parameter of TR-106 type
    `base` (a list when `is_list`), with the model's `default` (None for
    none) and `constraint` (codegen's plain facets, None for none)."""
    if default is not None:
        return default
    value = "" if is_list else ZERO.get(base, "0")
    if constraint is None or _allowed(base, is_list, value, constraint):
        return value
    if constraint["enums"]:
        return constraint["enums"][0]
    ranges = constraint["ranges"]
    if ranges and ranges[0]["min"] is not None:
        return str(ranges[0]["min"])
    return value
