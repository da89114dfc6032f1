"""A small, fast XML tree with line numbers, built with expat.

ElementTree cannot report line numbers and lxml is not in the standard
library, so this builds just what the resolver needs: tag, attributes,
children and the source line.  Character data is never kept: every fact the
resolver needs is in attributes, and skipping text (mostly descriptions) is
what makes loading 5 MB of BBF XML fast.
"""

import xml.parsers.expat

from .errors import DMError

# BBF documents nest about ten levels deep; far deeper input is hostile, and
# is refused before it can exhaust the resolver's recursion.
MAX_DEPTH = 64

# Subtrees that carry only prose or bibliography: never built.
_SKIPPED = frozenset(("description", "bibliography", "template", "annotation"))


class Node:
    __slots__ = ("tag", "ns", "attrs", "children", "line", "file")

    def __init__(self, tag, attrs, line, file, ns=""):
        self.tag = tag
        self.ns = ns
        self.attrs = attrs
        self.children = []
        self.line = line
        self.file = file

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def __repr__(self):
        return f"<{self.tag} {self.attrs} at {self.file}:{self.line}>"


def _split(tag):
    # With namespace processing a qualified name arrives as "URI local"; the
    # document element is qualified (dm:document), the items are not.
    if " " in tag:
        ns, _, local = tag.rpartition(" ")
        return ns, local
    return "", tag


def parse(data, file):
    """Parse bytes into a Node tree; `file` names the source in errors."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    # Entities come only from the document's internal subset (the BBF uses
    # them in patterns); nothing is ever fetched from outside.
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = False
    stack = []
    root = []
    skip = 0

    def start(tag, attrs):
        nonlocal skip
        if skip:
            skip += 1
            return
        if len(stack) >= MAX_DEPTH:
            raise DMError(file, parser.CurrentLineNumber,
                          f"elements nested deeper than {MAX_DEPTH} levels")
        ns, tag = _split(tag)
        if tag in _SKIPPED:
            skip = 1
            return
        node = Node(tag, attrs, parser.CurrentLineNumber, file, ns)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_tag):
        nonlocal skip
        if skip:
            skip -= 1
            return
        stack.pop()

    def external_entity(*_args):
        raise DMError(file, parser.CurrentLineNumber,
                      "external entities are not allowed")

    def doctype(_name, sysid, pubid, _has_internal):
        if sysid or pubid:
            raise DMError(file, parser.CurrentLineNumber,
                          f"external DTD '{sysid or pubid}' is not allowed")

    def entity_decl(name, _is_pe, _value, _base, sysid, pubid, _notation):
        if sysid or pubid:
            raise DMError(file, parser.CurrentLineNumber,
                          f"external entity '{name}' is not allowed")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.ExternalEntityRefHandler = external_entity
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity_decl
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise DMError(file, exc.lineno,
                      f"malformed XML: {xml.parsers.expat.errors.messages[exc.code]}") from None
    return root[0]
