"""One error type for every problem found in data-model input.

Every error names the file and line it comes from, so that a person can go
straight to the offending item.
"""


class DMError(Exception):
    """A problem in data-model input, located at file:line."""

    def __init__(self, file, line, message):
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message

    def __str__(self):
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: error: {self.message}"


def error_at(node, message):
    """A DMError located at a parsed XML node."""
    return DMError(node.file, node.line, message)
