"""A small, fast XML tree with line numbers, built with expat.

ElementTree cannot report line numbers and lxml is not in the standard
library, so this builds just what the resolver needs: tag, attributes,
children and the source line.  Character data is never kept: every fact the
resolver needs is in attributes, and skipping text (mostly descriptions) is
what makes loading 5 MB of BBF XML fast.
"""

import xml.parsers.expat

from .errors import DMError

# Subtrees that carry only prose or bibliography: never built.
_SKIPPED = frozenset(("description", "bibliography", "template", "annotation"))


class Node:
    __slots__ = ("tag", "attrs", "children", "line", "file")

    def __init__(self, tag, attrs, line, file):
        self.tag = tag
        self.attrs = attrs
        self.children = []
        self.line = line
        self.file = file

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def __repr__(self):
        return f"<{self.tag} {self.attrs} at {self.file}:{self.line}>"


def _local(tag):
    # The document element is namespace-qualified (dm:document); items are not.
    return tag.rsplit(":", 1)[-1] if ":" in tag else tag


def parse(data, file):
    """Parse bytes into a Node tree; `file` names the source in errors."""
    parser = xml.parsers.expat.ParserCreate()
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
        tag = _local(tag)
        if tag in _SKIPPED:
            skip = 1
            return
        node = Node(tag, attrs, parser.CurrentLineNumber, file)
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

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.ExternalEntityRefHandler = external_entity
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise DMError(file, exc.lineno,
                      f"malformed XML: {xml.parsers.expat.errors.messages[exc.code]}") from None
    return root[0]
