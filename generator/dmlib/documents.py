"""Loading BBF DM instance documents and looking names up across imports.

Each document has its own definitions (dataType, component, model) and the
names its <import> elements bind locally, possibly renamed with `ref`.  A
lookup tries the document's own definitions, then its import bindings
(following re-exports through chains of documents), and last, because some
2.17+ documents use names they never import, the documents it imports,
transitively.
"""

import os

from . import xmltree
from .errors import DMError, error_at
from .locate import Locator

KINDS = ("dataType", "component", "model")
DM_NAMESPACE = "urn:broadband-forum-org:cwmp:datamodel-"


class Import:
    __slots__ = ("node", "doc", "bindings")

    def __init__(self, node, doc):
        self.node = node
        self.doc = doc
        # (kind, local name) -> (name in the imported document, node)
        self.bindings = {}


class Document:
    def __init__(self, path, root):
        self.path = path
        self.file = os.path.basename(path)
        self.root = root
        self.spec = root.get("spec", "")
        self.defs = {kind: {} for kind in KINDS}
        self.imports = []
        self._cache = {}

    def __repr__(self):
        return f"<Document {self.file}>"

    def models(self):
        """The models this document defines, in document order."""
        return list(self.defs["model"].values())


class Library:
    """Every document loaded so far, by path; loads imports on demand."""

    def __init__(self, search_dirs=(), pins=None):
        self.locator = Locator(list(search_dirs), pins)
        self.docs = {}
        self._loading = []

    def load(self, path, via=None):
        path = os.path.normpath(path)
        if path in self.docs:
            return self.docs[path]
        if path in self._loading:
            chain = " -> ".join(os.path.basename(p)
                                for p in self._loading[self._loading.index(path):] + [path])
            raise error_at(via, f"cyclic import: {chain}")
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as exc:
            if via is None:
                raise DMError(path, None, f"cannot read: {exc.strerror}") from None
            raise error_at(via, f"cannot read imported document {path}: {exc.strerror}") from None
        root = xmltree.parse(data, path)
        if root.tag != "document" or not root.ns.startswith(DM_NAMESPACE):
            raise error_at(root, "not a BBF data-model document (root element "
                                 f"<{root.tag}> in namespace '{root.ns}')")
        self._loading.append(path)
        try:
            doc = Document(path, root)
            self._index(doc)
        finally:
            self._loading.pop()
        self.docs[path] = doc
        return doc

    def _index(self, doc):
        for node in doc.root.children:
            if node.tag == "import":
                self._import(doc, node)
            elif node.tag in KINDS:
                name = node.get("name")
                if not name:
                    raise error_at(node, f"<{node.tag}> without a name")
                table = doc.defs[node.tag]
                if name in table:
                    first = table[name]
                    raise error_at(node, f"duplicate {node.tag} '{name}' "
                                         f"(first defined at line {first.line})")
                table[name] = node

    def _import(self, doc, node):
        file = node.get("file")
        if not file:
            raise error_at(node, "<import> without a file")
        here = os.path.dirname(doc.path) or os.curdir
        found = self.locator.find(file, node.get("spec"), here)
        if found is None:
            spec = node.get("spec")
            raise error_at(node, f"missing import '{file}'"
                                 + (f" (spec {spec})" if spec else "")
                                 + ": no such document in "
                                 + ", ".join(self.locator.search_order(here)))
        imp = Import(node, self.load(found, via=node))
        for item in node.children:
            if item.tag not in KINDS:
                continue
            name = item.get("name")
            if not name:
                raise error_at(item, f"imported <{item.tag}> without a name")
            key = (item.tag, name)
            if key in imp.bindings or any(key in other.bindings for other in doc.imports):
                raise error_at(item, f"duplicate import of {item.tag} '{name}'")
            imp.bindings[key] = (item.get("ref") or name, item)
        doc.imports.append(imp)
        # An imported name must exist where it is imported from.
        for (kind, _local), (ref, item) in imp.bindings.items():
            if lookup(imp.doc, kind, ref) is None:
                raise error_at(item, f"imported {kind} '{ref}' is not defined in {imp.doc.file}")


def lookup(doc, kind, name):
    """(defining document, node) for `name` as seen from `doc`, or None."""
    key = (kind, name)
    if key in doc._cache:
        return doc._cache[key]
    found = _lookup_bound(doc, kind, name, set())
    if found is None:
        found = _lookup_transitive(doc, kind, name)
    doc._cache[key] = found
    return found


def _lookup_bound(doc, kind, name, seen):
    if (id(doc), name) in seen:
        return None
    seen.add((id(doc), name))
    node = doc.defs[kind].get(name)
    if node is None and kind == "model":
        node = _newest_extension(doc, name)
    if node is not None:
        return doc, node
    for imp in doc.imports:
        bound = imp.bindings.get((kind, name))
        if bound is not None:
            return _lookup_bound(imp.doc, kind, bound[0], seen)
    return None


def _newest_extension(doc, name):
    """A model named by a shorter version than the document defines: "Device:2"
    for the newest "Device:2.N" (so that profiles and vendor documents follow
    the BBF files in use), or "FAPService:2.1" for "FAPService:2.1.3" (the
    corrigendum-named model of tr-196-2-1-3-common.xml)."""
    best = None
    for full, node in doc.defs["model"].items():
        if full.startswith(name + "."):
            rest = full[len(name) + 1:].split(".")
            if all(part.isdigit() for part in rest):
                key = tuple(int(part) for part in rest)
                if best is None or key > best[0]:
                    best = (key, node)
    return best[1] if best else None


def _lookup_transitive(doc, kind, name):
    seen = {id(doc)}
    queue = [imp.doc for imp in doc.imports]
    while queue:
        nxt = []
        for d in queue:
            if id(d) in seen:
                continue
            seen.add(id(d))
            found = _lookup_bound(d, kind, name, set())
            if found is not None:
                return found
            nxt.extend(imp.doc for imp in d.imports)
        queue = nxt
    return None
