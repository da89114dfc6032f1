"""Building a model: components pasted, bases applied, items modified.

A model is a table of objects by path; each object holds its parameters.
Parameters defined at the top of a service model (STBServiceNumberOfEntries)
belong to the root pseudo-object whose path is "".
"""

from .documents import lookup
from .errors import error_at
from .syntax import TypeResolver


# Real models nest components and bases a few levels; far more is hostile
# input, refused before Python's recursion limit is reached.
MAX_NESTING = 100


class Param:
    __slots__ = ("name", "access", "syntax", "notify", "forced", "status", "node")

    def copy(self):
        p = Param()
        for name in Param.__slots__:
            setattr(p, name, getattr(self, name))
        return p


class Obj:
    __slots__ = ("path", "access", "min", "max", "status", "num_entries",
                 "enable", "unique_keys", "params", "node")

    def __init__(self, path, node):
        self.path = path
        self.node = node
        self.access = "readOnly"
        self.min = "1"
        self.max = "1"
        self.status = "current"
        self.num_entries = None
        self.enable = None
        self.unique_keys = []
        self.params = {}

    def copy(self):
        o = Obj(self.path, self.node)
        o.access, o.min, o.max, o.status = self.access, self.min, self.max, self.status
        o.num_entries, o.enable = self.num_entries, self.enable
        o.unique_keys = list(self.unique_keys)
        o.params = {name: p.copy() for name, p in self.params.items()}
        return o

    @property
    def multi(self):
        return self.path.endswith("{i}.")


class Model:
    def __init__(self, name, is_service=False):
        self.name = name
        self.is_service = is_service
        self.objects = {"": Obj("", None)}

    def copy(self, name):
        m = Model(name, self.is_service)
        m.objects = {path: o.copy() for path, o in self.objects.items()}
        return m


# XML attribute -> item field, for attributes that `name=` sets and `base=`
# overwrites when present.
_OBJECT_ATTRS = {"access": "access", "minEntries": "min", "maxEntries": "max",
                 "status": "status", "numEntriesParameter": "num_entries",
                 "enableParameter": "enable"}
_PARAM_ATTRS = {"access": "access", "status": "status", "activeNotify": "notify"}


def _apply_attrs(item, node, fields):
    for attr, field in fields.items():
        value = node.attrs.get(attr)
        if value is not None:
            setattr(item, field, value)


def _apply_object_attrs(obj, node):
    _apply_attrs(obj, node, _OBJECT_ATTRS)


def _apply_param_attrs(param, node):
    _apply_attrs(param, node, _PARAM_ATTRS)
    forced = node.attrs.get("forcedInform")
    if forced is not None:
        param.forced = forced == "true"


class Builder:
    """Builds models from loaded documents; each model is built once."""

    def __init__(self):
        self.types = TypeResolver()
        self._built = {}
        self._building = []

    def build(self, doc, name, at=None):
        found = lookup(doc, "model", name)
        if found is None:
            raise error_at(at or doc.root, f"unknown model '{name}'")
        return self._build(found[0], found[1], doc)

    def _build(self, mdoc, node, root_doc):
        # Virtual components resolve in the document whose model is being
        # built, so a base model is built anew for each deriving document.
        key = (id(node), id(root_doc))
        if key in self._built:
            return self._built[key]
        if key in self._building:
            raise error_at(node, f"model '{node.get('name')}' is its own base")
        if len(self._building) >= MAX_NESTING:
            raise error_at(node, f"model base chain longer than {MAX_NESTING} models")
        self._building.append(key)
        try:
            name = node.get("name")
            base = node.get("base")
            if base:
                found = lookup(mdoc, "model", base)
                if found is not None and found[1] is node:
                    raise error_at(node, f"model '{name}' is its own base")
                if found is None:
                    raise error_at(node, f"unknown base model '{base}'")
                base_model = self._build(found[0], found[1], root_doc)
                # A model named by major version only ("Device:2") extending
                # a versioned one takes its version ("Device:2.19").
                if ":" in name and "." not in name.split(":", 1)[1] \
                        and base_model.name.startswith(name + "."):
                    name = base_model.name
                model = base_model.copy(name)
            else:
                model = Model(name)
            if node.get("isService") == "true":
                model.is_service = True
            _Expansion(self, model, root_doc).items(node.children, mdoc, None, "")
        finally:
            self._building.pop()
        self._built[key] = model
        return model


class _Expansion:
    """Applies one model definition's items to a model, in document order."""

    def __init__(self, builder, model, root_doc):
        self.types = builder.types
        self.model = model
        self.root_doc = root_doc
        self.components = []

    def items(self, nodes, doc, obj, prefix):
        for n in nodes:
            tag = n.tag
            if tag == "object":
                self.object(n, doc, prefix)
            elif tag == "parameter":
                self.parameter(n, doc, obj or self.object_at(prefix, n))
            elif tag == "component":
                self.component(n, doc, obj, prefix)

    def object_at(self, path, at):
        obj = self.model.objects.get(path)
        if obj is None:
            raise error_at(at, f"no object '{path}' to hold this item")
        return obj

    def object(self, node, doc, prefix):
        objects = self.model.objects
        name = node.get("name")
        if name is not None:
            path = prefix + name
            old = objects.get(path)
            if old is not None:
                raise error_at(node, f"duplicate object '{path}'"
                                     + (f" (first defined at {old.node.file}:{old.node.line})"
                                        if old.node is not None else ""))
            obj = Obj(path, node)
            objects[path] = obj
        else:
            base = node.get("base")
            if base is None:
                raise error_at(node, "<object> without name or base")
            path = prefix + base
            obj = objects.get(path)
            if obj is None:
                raise error_at(node, f"object base '{path}' is not defined")
        _apply_object_attrs(obj, node)
        for c in node.children:
            tag = c.tag
            if tag == "parameter":
                self.parameter(c, doc, obj)
            elif tag == "component":
                self.component(c, doc, obj, prefix)
            elif tag == "uniqueKey":
                key = tuple(p.get("ref") for p in c.children if p.tag == "parameter")
                if key not in obj.unique_keys:
                    obj.unique_keys.append(key)

    def parameter(self, node, doc, obj):
        name = node.get("name")
        if name is not None:
            old = obj.params.get(name)
            if old is not None:
                raise error_at(node, f"duplicate parameter '{obj.path}{name}'"
                                     f" (first defined at {old.node.file}:{old.node.line})")
            p = Param()
            p.name, p.node = name, node
            p.access, p.status, p.notify, p.forced = "readOnly", "current", "normal", False
            p.syntax = None
            obj.params[name] = p
        else:
            base = node.get("base")
            if base is None:
                raise error_at(node, "<parameter> without name or base")
            p = obj.params.get(base)
            if p is None:
                raise error_at(node, f"parameter base '{obj.path}{base}' is not defined")
        _apply_param_attrs(p, node)
        for c in node.children:
            if c.tag == "syntax":
                new = self.types.syntax(doc, c)
                if p.syntax is not None:
                    # A modified syntax keeps a list a list, and keeps the
                    # flags and defaults it does not restate.  Restating the
                    # same type (often just to add a default) keeps its
                    # facets; a different type replaces them.
                    old = p.syntax
                    if new.list is None:
                        new.list = old.list
                    elif old.list is not None:
                        new.list = new.list.over(old.list)
                    if new.base == old.base and new.datatype == old.datatype:
                        new.facets = new.own.over(old.facets)
                    for flag in ("hidden", "secured", "command"):
                        if flag not in c.attrs:
                            setattr(new, flag, getattr(old, flag))
                    for kind, value in old.defaults.items():
                        new.defaults.setdefault(kind, value)
                p.syntax = new
        if p.syntax is None:
            raise error_at(node, f"parameter '{obj.path}{name}' has no <syntax>")

    def component(self, node, doc, obj, prefix):
        ref = node.get("ref")
        if not ref:
            raise error_at(node, "<component> reference without ref")
        found = lookup(doc, "component", ref)
        if found is None:
            raise error_at(node, f"unknown component '{ref}'")
        if found[1].get("virtual") == "true":
            # A virtual component stands for the one that the document
            # building the model binds under the same name.
            override = lookup(self.root_doc, "component", ref)
            if override is not None:
                found = override
        cdoc, cnode = found
        if id(cnode) in self.components:
            raise error_at(node, f"component '{ref}' includes itself")
        if len(self.components) >= MAX_NESTING:
            raise error_at(node, f"components nested deeper than {MAX_NESTING} levels")
        self.components.append(id(cnode))
        try:
            base = obj.path if obj is not None else prefix
            self.items(cnode.children, cdoc, None, base + node.get("path", ""))
        finally:
            self.components.pop()
