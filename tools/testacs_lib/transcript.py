"""What the test ACS keeps of a run besides its sessions: the transcript (one entry
per message or event, rendered as 'CPE -> ACS  Inform (0 BOOTSTRAP, 1 BOOT)'
lines) and the recorded message files, which validate-cwmp checks (validate.py) in
a batch or, as they come, in a background thread.

Both live under the ACS's lock: their methods that change them are called with
the ACS's condition held, and the Recorder takes it itself where it runs alone."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from typing import Callable, Optional

from .validate import DEFAULT_VALIDATOR, ValidationError, run_validator


def render_entry(e, verbose: bool) -> list:
    """The lines of a transcript entry; verbose adds its details, indented."""
    t, _session, arrow, text, details = e
    lines = ["%s  %s" % (arrow, text) if arrow != "---" else "--- %s ---" % text]
    if verbose:
        lines.extend("             " + d for d in details)
    return lines


class Transcript:
    """The entries (time, session index or None, arrow, text, details) in order;
    arrow is 'CPE -> ACS', 'ACS -> CPE', '---' (an event) or '!!!' (an error).
    on_line, when set, gets each line as its entry is added."""

    def __init__(self, verbose: bool = False, on_line: Optional[Callable[[str], None]] = None):
        self.entries = []
        self.verbose = verbose
        self.on_line = on_line

    def add(self, session_index: Optional[int], arrow: str, text: str, details=()):
        e = (time.time(), session_index, arrow, text, list(details))
        self.entries.append(e)
        if self.on_line is not None:
            for line in render_entry(e, self.verbose):
                try:
                    self.on_line(line)
                except Exception:
                    pass


class Recorder:
    """Writes every non-empty CPE body (and with record_acs the ACS's) to
    record_dir, and has `validator` (a validate-cwmp path, True for the shared one)
    check the files: at validate_rest() in validate_mode 'batch', in a background
    thread as they come in 'each'. With a validator and no record_dir the files go
    to a temporary directory. on_invalid(direction, ValidationError) is called,
    with the lock held, for each file the validator rejects."""

    def __init__(self, cond: threading.Condition, record_dir: Optional[str], record_acs: bool,
                 validator, validate_mode: str,
                 on_invalid: Callable[[str, ValidationError], None]):
        self._cond = cond
        self._on_invalid = on_invalid
        self._tmp_dir = False
        if validator is True:
            validator = DEFAULT_VALIDATOR
        self.validator = validator
        self.validate_mode = validate_mode
        if record_dir is None and validator:
            record_dir = tempfile.mkdtemp(prefix="testacs-")
            self._tmp_dir = True
        self.record_dir = record_dir
        self.record_acs = record_acs
        if record_dir:
            os.makedirs(record_dir, exist_ok=True)
        self._seq = 0
        self._records = []           # [dict(file, session, name, direction, validated)]
        self._pending = []           # records the background thread has to validate
        self._thread = None
        self.stopping = False        # set when the ACS stops: the thread ends once idle

    def start(self):
        if self.validator and self.validate_mode == "each":
            self._thread = threading.Thread(target=self._loop, name="testacs-validate", daemon=True)
            self._thread.start()

    @property
    def background(self) -> bool:
        return self._thread is not None

    def idle(self) -> bool:
        """Nothing left for the background thread (call with the lock held)."""
        return not self._pending

    def close(self, keep: bool):
        """Removes a temporary record directory, unless `keep`."""
        if self._tmp_dir and not keep:
            shutil.rmtree(self.record_dir, ignore_errors=True)

    def record(self, direction: str, body: bytes, session, name: str) -> Optional[str]:
        """Writes a message of `session` (a Session or None); returns the file's path,
        or None when it is not recorded. Called with the lock held."""
        if not self.record_dir or not body or (direction == "acs" and not self.record_acs):
            return None
        self._seq += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:60]
        path = os.path.join(self.record_dir, "%05d-s%03d-%s-%s.xml" % (
            self._seq, session.index if session else 0, direction, safe))
        with open(path, "wb") as f:
            f.write(body)
        r = {"file": path, "session": session.index if session else None, "name": name,
             "direction": direction, "validated": not self.validator}
        self._records.append(r)
        if self.validator and self.validate_mode == "each":
            self._pending.append(r)
            self._cond.notify_all()
        return path

    def validate_rest(self) -> list:
        """Validates every recorded file not validated yet; returns the new
        ValidationErrors."""
        with self._cond:
            todo = [r for r in self._records if not r["validated"]]
            for r in todo:
                r["validated"] = True
        return self._validate(todo)

    def _validate(self, records) -> list:
        if not records:
            return []
        res = run_validator(self.validator, [r["file"] for r in records])
        new = []
        with self._cond:
            for r in records:
                errs = res.get(r["file"], [])
                if not errs:
                    continue
                ve = ValidationError(r["file"], errs, r["session"], r["name"])
                new.append(ve)
                self._on_invalid(r["direction"], ve)
        return new

    def _loop(self):
        while True:
            with self._cond:
                while not self._pending and not self.stopping:
                    self._cond.wait(0.5)
                if not self._pending and self.stopping:
                    return
                batch = [r for r in self._pending if not r["validated"]]
                for r in batch:
                    r["validated"] = True
            try:
                self._validate(batch)
            finally:
                with self._cond:
                    self._pending = [r for r in self._pending if r not in batch]
                    self._cond.notify_all()
