"""Find the document that an <import file=... spec=...> names.

BBF rules (TR-106 Annex A, and the BBF's own tools):
- a name that exists as written is used as written (tr-106-types.xml);
- otherwise the `spec` URN, where it names more of the version than the
  file name does, pins issue and amendment (urn:...:tr-181-2-16-common means
  TR-181 Issue 2 Amendment 16);
- the corrigendum is always the newest present, even where a spec names an
  older one, and a partial version means the newest within it.
"""

import os
import re

_NAME = re.compile(r"^([a-z]+-\d+)((?:-\d+)*)(-[a-z_].*)?$", re.IGNORECASE)
SPEC_PREFIX = "urn:broadband-forum-org:"


def parse_pin(text):
    """'tr-181-2=18' -> (('tr-181', 2), 18), or None."""
    m = re.match(r"^([a-z]+-\d+)-(\d+)=(\d+)$", text.strip(), re.IGNORECASE)
    if not m:
        return None
    return (m.group(1).lower(), int(m.group(2))), int(m.group(3))


def split_name(stem):
    """'tr-181-2-16-0-cwmp' -> ('tr-181', (2, 16, 0), '-cwmp'), or None."""
    m = _NAME.match(stem)
    if not m:
        return None
    version = tuple(int(v) for v in m.group(2).split("-")[1:]) if m.group(2) else ()
    return m.group(1).lower(), version, (m.group(3) or "").lower()


class Locator:
    """Maps import requests to files over an ordered list of directories."""

    def __init__(self, dirs, pins=None):
        self.dirs = [d for d in dirs if d]
        # (prefix, issue) -> amendment: what "the newest" means for imports
        # that name neither amendment nor spec (meson option bbf_pins).
        self.pins = dict(pins or {})
        self._listing = {}

    def _index(self, directory):
        """(names in `directory`, {(prefix, label): [(version, name)]})."""
        if directory not in self._listing:
            try:
                names = set(n for n in os.listdir(directory) if n.endswith(".xml"))
            except OSError:
                names = set()
            versions = {}
            for name in names:
                parts = split_name(name[:-4])
                if parts is not None and len(parts[1]) >= 3:
                    versions.setdefault((parts[0], parts[2]), []).append((parts[1], name))
            self._listing[directory] = (names, versions)
        return self._listing[directory]

    def searched_dirs(self):
        """The directories listed so far (where a new document would change a lookup)."""
        return list(self._listing)

    def search_order(self, importer_dir):
        """The importing document's directory first, then the search path."""
        importer_dir = importer_dir or os.curdir
        return [importer_dir] + [d for d in self.dirs
                                 if os.path.normpath(d) != os.path.normpath(importer_dir)]

    def find(self, file, spec, importer_dir):
        """The path of the document to load, or None."""
        dirs = self.search_order(importer_dir)
        if "/" in file:
            # Project documents (profiles) may name a document by relative path.
            path = os.path.normpath(os.path.join(dirs[0], file))
            return path if os.path.isfile(path) else None
        for d in dirs:
            if file in self._index(d)[0]:
                return os.path.join(d, file)
        parts = split_name(file[:-4] if file.endswith(".xml") else file)
        if parts is None:
            return None
        prefix, version, label = parts
        if spec and spec.startswith(SPEC_PREFIX):
            sparts = split_name(spec[len(SPEC_PREFIX):])
            if sparts and sparts[0] == prefix and len(sparts[1]) > len(version) \
                    and sparts[1][:len(version)] == version:
                version = sparts[1]
        # Issue and amendment pin the document; the corrigendum is the newest.
        if len(version) == 1 and (prefix, version[0]) in self.pins:
            version = (version[0], self.pins[(prefix, version[0])])
        want = version[:2]
        for d in dirs:
            candidates = [c for c in self._index(d)[1].get((prefix, label), ())
                          if c[0][:len(want)] == want]
            if candidates:
                return os.path.join(d, max(candidates)[1])
        return None
