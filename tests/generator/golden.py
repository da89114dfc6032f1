"""What a failing golden test says last: the exact shell command, run from the
repository root, that regenerates the committed file from the output now
(after checking that the new output is right)."""

import os
import shlex


def dmgen_env_prefix():
    """DMGEN_BBF_DIR as the test sees it (meson sets it), so a command that
    reads the BBF documents reads the same ones."""
    bbf = os.environ.get("DMGEN_BBF_DIR")
    return "DMGEN_BBF_DIR=%s " % shlex.quote(bbf) if bbf else ""


def hint(command):
    return "\nIf the new output is right, regenerate it with (from the repository root):\n  " + command
