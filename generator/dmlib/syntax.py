"""Parameter syntax: primitive type, list facets, value facets, defaults.

Named data types (TR-106 IPAddress, MACAddress, StatsCounter64, Alias, ...)
are resolved through their `base` chains down to a primitive type.  A derived
type's size, range, pattern, units and list facets replace its base's; its
enumeration values add to the base's (as in DiagnosticsState extended with
Error_* values by each diagnostic).
"""

from .documents import lookup
from .errors import error_at

PRIMITIVES = ("base64", "boolean", "dateTime", "decimal", "hexBinary",
              "int", "long", "string", "unsignedInt", "unsignedLong")
_REPLACED = ("sizes", "ranges", "patterns", "units", "refs")


class Enum:
    __slots__ = ("value", "access", "optional", "status")

    def __init__(self, node):
        self.value = node.get("value", "")
        self.access = node.get("access", "readWrite")
        self.optional = node.get("optional") == "true"
        self.status = node.get("status", "current")


class Facets:
    """Value facets; tuples so that a Facets is never changed once built."""
    __slots__ = ("sizes", "ranges", "enums", "patterns", "units", "refs")

    def __init__(self):
        self.sizes = ()
        self.ranges = ()
        self.enums = ()
        self.patterns = ()
        self.units = None
        self.refs = ()

    @classmethod
    def parse(cls, nodes):
        f = cls()
        sizes, ranges, enums, patterns, refs = [], [], [], [], []
        for n in nodes:
            tag = n.tag
            if tag == "size":
                sizes.append((n.get("minLength"), n.get("maxLength")))
            elif tag == "range":
                ranges.append((n.get("minInclusive"), n.get("maxInclusive"), n.get("step")))
            elif tag == "enumeration":
                enums.append(Enum(n))
            elif tag == "pattern":
                patterns.append(n.get("value", ""))
            elif tag == "units":
                f.units = n.get("value")
            elif tag in ("pathRef", "instanceRef", "enumerationRef"):
                refs.append((tag, tuple(sorted(n.attrs.items()))))
        f.sizes, f.ranges, f.enums = tuple(sizes), tuple(ranges), tuple(enums)
        f.patterns, f.refs = tuple(patterns), tuple(refs)
        return f

    def over(self, base):
        """These facets applied on top of `base`'s."""
        out = Facets()
        for name in _REPLACED:
            mine = getattr(self, name)
            setattr(out, name, mine if mine else getattr(base, name))
        if self.enums:
            mine = {e.value for e in self.enums}
            out.enums = tuple(e for e in base.enums if e.value not in mine) + self.enums
        else:
            out.enums = base.enums
        return out


class ListFacet:
    __slots__ = ("min_items", "max_items", "sizes", "nested")

    def over(self, base):
        """This list facet restated on top of `base`: unstated values kept."""
        out = ListFacet.__new__(ListFacet)
        out.min_items = self.min_items if self.min_items is not None else base.min_items
        out.max_items = self.max_items if self.max_items is not None else base.max_items
        out.nested = self.nested if self.nested is not None else base.nested
        out.sizes = self.sizes or base.sizes
        return out

    def __init__(self, node):
        self.min_items = node.get("minItems")
        self.max_items = node.get("maxItems")
        self.nested = node.get("nestedBrackets")
        self.sizes = tuple((c.get("minLength"), c.get("maxLength"))
                           for c in node.children if c.tag == "size")


class Syntax:
    # `own` holds the facets written in this <syntax> itself, before any
    # named data type's facets were merged in.
    __slots__ = ("base", "datatype", "list", "facets", "own", "defaults",
                 "hidden", "secured", "command")

    def copy(self):
        s = Syntax()
        for name in Syntax.__slots__:
            setattr(s, name, getattr(self, name))
        s.defaults = dict(self.defaults)
        return s


class TypeResolver:
    """Resolves named data types, caching each by its defining node."""

    MAX_CHAIN = 100  # TR-106 chains are a few types long; longer is hostile

    def __init__(self):
        self._cache = {}
        self._depth = 0

    def datatype(self, doc, name, at):
        """(primitive, list facet or None, facets) of data type `name`."""
        found = lookup(doc, "dataType", name)
        if found is None:
            raise error_at(at, f"unknown dataType '{name}'")
        ddoc, node = found
        key = id(node)
        cached = self._cache.get(key)
        if cached is not None:
            if cached == "busy":
                raise error_at(node, f"dataType '{name}' derives from itself")
            return cached
        if self._depth >= self.MAX_CHAIN:
            raise error_at(node, f"dataType '{name}': base chain longer than {self.MAX_CHAIN} types")
        self._cache[key] = "busy"
        self._depth += 1
        try:
            result = self._define(ddoc, node)
        except BaseException:
            del self._cache[key]
            raise
        finally:
            self._depth -= 1
        self._cache[key] = result
        return result

    def _define(self, doc, node):
        # A definition is either a primitive element with facets, or a
        # `base` type restricted by facets given directly in <dataType>.
        lst = None
        prim = None
        facets_from = node.children
        for c in node.children:
            if c.tag == "list":
                lst = ListFacet(c)
            elif c.tag in PRIMITIVES:
                prim, facets_from = c.tag, c.children
        base = node.get("base")
        if base is not None:
            if prim is not None:
                raise error_at(node, f"dataType '{node.get('name')}' has both base and <{prim}>")
            bprim, blist, bfacets = self.datatype(doc, base, node)
            return bprim, lst or blist, Facets.parse(facets_from).over(bfacets)
        if prim is None:
            raise error_at(node, f"dataType '{node.get('name')}' has no base type")
        return prim, lst, Facets.parse(facets_from)

    def syntax(self, doc, node):
        """A Syntax from a <syntax> element, names resolved in `doc`."""
        s = Syntax()
        s.list = None
        s.datatype = None
        s.defaults = {}
        s.hidden = node.get("hidden") == "true"
        s.secured = node.get("secured") == "true"
        s.command = node.get("command") == "true"
        s.base = None
        for c in node.children:
            tag = c.tag
            if tag == "list":
                s.list = ListFacet(c)
            elif tag == "default":
                s.defaults[c.get("type", "object")] = c.get("value", "")
            elif tag in PRIMITIVES:
                s.base = tag
                s.facets = s.own = Facets.parse(c.children)
            elif tag == "dataType":
                name = c.get("ref") or c.get("base")
                if not name:
                    raise error_at(c, "<dataType> in <syntax> without ref or base")
                prim, lst, facets = self.datatype(doc, name, c)
                s.base = prim
                s.datatype = name
                s.own = Facets.parse(c.children)
                s.facets = s.own.over(facets)
                if s.list is None:
                    s.list = lst
        if s.base is None:
            raise error_at(node, "<syntax> without a type")
        return s
