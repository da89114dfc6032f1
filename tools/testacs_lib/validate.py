"""Runs the offline CWMP schema validator (validate-cwmp FILE...) over recorded messages."""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
from dataclasses import dataclass, field
from typing import Iterable, Optional

DEFAULT_VALIDATOR = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "cwmp-validate",
    "validate-cwmp"))


@dataclass
class ValidationError:
    """A recorded message that the validator rejected."""
    file: str
    errors: list = field(default_factory=list)
    session: Optional[int] = None     # 1-based session number, None outside sessions
    message: Optional[str] = None     # e.g. 'GetParameterValuesResponse'

    def __str__(self):
        head = os.path.basename(self.file)
        if self.session:
            head += " (session %d)" % self.session
        return head + ": " + ("; ".join(self.errors) or "invalid")


def run_validator(validator: str, files: Iterable[str], batch: int = 200,
                  timeout: float = 300.0, jobs: Optional[int] = None) -> dict:
    """Validates `files` (in parallel batches); returns {file: [error lines]} with []
    for each valid file."""
    files = list(files)
    if not files:
        return {}
    jobs = max(1, min(jobs or os.cpu_count() or 1, 8, (len(files) + 3) // 4))
    size = max(1, min(batch, -(-len(files) // jobs)))
    chunks = [files[i:i + size] for i in range(0, len(files), size)]
    result = {}
    if len(chunks) == 1:
        result.update(_run_chunk(validator, chunks[0], timeout))
        return result
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for r in pool.map(lambda c: _run_chunk(validator, c, timeout), chunks):
            result.update(r)
    return result


def _run_chunk(validator: str, chunk: list, timeout: float) -> dict:
    result = {}
    try:
        p = subprocess.run([validator, *chunk], capture_output=True, text=True,
                           timeout=timeout)
        out = p.stdout + p.stderr
    except (OSError, subprocess.SubprocessError) as e:
        for f in chunk:
            result[f] = ["validator did not run: %s" % e]
        return result
    errors = {f: [] for f in chunk}
    valid = set()
    # Longest names first so that one file name that prefixes another cannot steal its lines.
    names = sorted(chunk, key=len, reverse=True)
    for line in out.splitlines():
        for f in names:
            if line.startswith(f + ":") or line.startswith(f + " "):
                rest = line[len(f):]
                if rest.startswith(": valid"):
                    valid.add(f)
                elif rest.strip() != "fails to validate":
                    errors[f].append(rest.lstrip(": ").strip())
                break
    for f in chunk:
        if f in valid and not errors[f]:
            result[f] = []
        else:
            result[f] = errors[f] or ["invalid (validator exit status %d)%s" % (
                p.returncode, (": " + out.strip().splitlines()[-1]) if out.strip() else "")]
    return result
