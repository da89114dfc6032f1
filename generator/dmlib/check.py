"""Whole-document checks, so that errors do not hide in unused definitions.

Building a model only touches what the model uses; this pass resolves every
data type and every reference inside every component of every loaded
document, so a broken definition fails even while nothing uses it yet.
"""

from .documents import lookup
from .errors import error_at


def check_library(library, types):
    for doc in library.docs.values():
        for name, node in doc.defs["dataType"].items():
            types.datatype(doc, name, node)
        for node in doc.defs["component"].values():
            _check_body(doc, node, types)


def _check_body(doc, node, types):
    for c in node.children:
        tag = c.tag
        if tag == "component":
            ref = c.get("ref")
            if ref is not None and lookup(doc, "component", ref) is None:
                raise error_at(c, f"unknown component '{ref}'")
        elif tag == "dataType" and node.tag == "syntax":
            name = c.get("ref") or c.get("base")
            if name:
                types.datatype(doc, name, c)
            continue
        if c.children and tag not in ("profile", "uniqueKey"):
            _check_body(doc, c, types)
