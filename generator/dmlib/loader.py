"""Loading a document and building its models: the resolver's entry point."""

import os

from .check import check_library
from .documents import Library
from .errors import error_at
from .model import Builder


def default_dm_dir():
    """The BBF data-model directory: $DMGEN_BBF_DIR, else ../shared beside the source tree."""
    env = os.environ.get("DMGEN_BBF_DIR")
    if env:
        return env
    src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.normpath(os.path.join(src, "..", "shared", "bbf-cwmp-data-models"))


class Resolver:
    """Loads documents (with everything they import) and builds their models."""

    def __init__(self, search_dirs=None, pins=None):
        self.library = Library(search_dirs if search_dirs is not None else [default_dm_dir()], pins)
        self.builder = Builder()

    def find(self, file):
        """A path for `file`: as given, else in the search directories."""
        if os.path.exists(file) or os.sep in file:
            return file
        for d in self.library.locator.dirs:
            candidate = os.path.join(d, file)
            if os.path.exists(candidate):
                return candidate
        return file

    def load(self, file):
        return self.library.load(self.find(file))

    def check(self):
        """Resolve every definition of every loaded document (see check.py)."""
        check_library(self.library, self.builder.types)

    def model(self, doc, name=None):
        """The named model of `doc`, or the last model it defines."""
        if name is None:
            models = doc.models()
            if not models:
                raise error_at(doc.root, "the document defines no model")
            name = models[-1].get("name")
        return self.builder.build(doc, name)
