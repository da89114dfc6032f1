"""The end-to-end harness: cwmpd (a subprocess) against the scriptable test ACS.

Each test case gets a temporary directory (configuration, SQLite store, cwmpd's
log), one or more TestACS instances on ephemeral loopback ports and one cwmpd
process at a time.  At the end of a test every cwmpd is stopped, every ACS is
stopped (which runs the BBF schema validator over every message cwmpd sent), and
the test fails unless every CPE message validated, no protocol violation was
recorded and the session cookie came back on every POST.  When a test fails the
harness prints cwmpd's log and each ACS's transcript.

    CWMPD          the cwmpd binary (default build/tools/cwmpd/cwmpd)
    CWMP_VALIDATE  validate-cwmp (default ../shared/cwmp-validate/validate-cwmp)
    E2E_KEEP=1     keep the temporary directories (cwmpd's logs, store, configuration)
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import testacs_lib  # noqa: E402,F401
from testacs_lib import TestACS  # noqa: E402
from testacs_lib.cwmp import (AddObject, DeleteObject, FactoryReset, Fault,  # noqa: E402,F401
                              GetParameterAttributes, GetParameterNames, GetParameterValues,
                              GetRPCMethods, Reboot, ScheduleInform, SetParameterAttributes,
                              SetParameterValues)

CWMPD = os.environ.get("CWMPD") or os.path.join(ROOT, "build", "tools", "cwmpd", "cwmpd")
VALIDATOR = os.environ.get("CWMP_VALIDATE") or os.path.normpath(
    os.path.join(ROOT, "..", "shared", "cwmp-validate", "validate-cwmp"))
HAVE_VALIDATOR = os.access(VALIDATOR, os.X_OK) and shutil.which("xmllint") is not None

EXIT_OK, EXIT_CONFIG, EXIT_REBOOT, EXIT_FACTORY_RESET = 0, 2, 3, 4

MS = "Device.ManagementServer."

# Factory defaults every test configuration gets (a test may override them),
# below the profile's root object: short retry back-off so that a failed
# session does not stall a test.
BASE_DEFAULTS = {
    "ManagementServer.CWMPRetryMinimumWaitInterval": "1",
    "ManagementServer.CWMPRetryIntervalMultiplier": "2000",
}


def _ephemeral_low() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


# Ports this process has handed out.  Each is also kept from the other test
# processes by a lock on its byte of one shared file, which the kernel drops
# when the process ends, however it ends.
_reserved_ports = set()
_port_locks = None


def _reserve(port: int) -> bool:
    """Whether `port` is now this process's alone among the test processes."""
    global _port_locks
    if port in _reserved_ports:
        return False
    if _port_locks is None:
        _port_locks = open(os.path.join(tempfile.gettempdir(), "cwmp-e2e-ports.lock"), "a")
    try:
        fcntl.lockf(_port_locks, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, port)
    except OSError:
        return False
    _reserved_ports.add(port)
    return True


def free_port() -> int:
    """A port free now that a process will listen on later (cwmpd's connection
    requests, a diagnostics server).  Taken below the kernel's ephemeral range:
    a port from bind(0), once closed, could be handed by the kernel to the next
    bind(0) (a test ACS started meanwhile, a client's source port) before the
    process that was given it listens.  Random, and reserved by a file lock for
    as long as this process lives, so that tests running in parallel never hand
    out the same one in the moment before its process listens; bound here to
    know it is free."""
    low = 10000
    high = max(low + 1000, _ephemeral_low())
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(low, high)
        if not _reserve(port):
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in %d-%d" % (low, high))


def parse_datetime(text: str) -> float:
    """xsd:dateTime (TR-069: UTC 'Z' or an offset, optional fraction) -> Unix seconds."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?", text.strip())
    if not m:
        raise ValueError("not an xsd:dateTime: %r" % text)
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    frac = float(m.group(7)) if m.group(7) else 0.0
    tz = m.group(8) or "Z"
    offset = 0 if tz == "Z" else (1 if tz[0] == "+" else -1) * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    t = _dt.datetime(y, mo, d, h, mi, s, tzinfo=_dt.timezone.utc).timestamp()
    return t + frac - offset


def format_datetime(unix: float) -> str:
    return _dt.datetime.fromtimestamp(int(unix), _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Cwmpd:
    """One cwmpd process over a configuration file; its stdout and stderr go to a
    log file that successive runs append to (marked with '=== run N ===')."""

    def __init__(self, config: str, log_path: str, prefix=()):
        self.config = config
        self.log_path = log_path
        self.prefix = list(prefix)  # a wrapper command, e.g. ip netns exec NS
        self.proc = None
        self.runs = 0
        self._mark = 0
        self.returncode = None

    def start(self) -> "Cwmpd":
        assert self.proc is None or self.proc.poll() is not None, "cwmpd is running"
        self.runs += 1
        with open(self.log_path, "ab") as f:
            f.write(b"=== run %d: cwmpd -c %s ===\n" % (self.runs, self.config.encode()))
            f.flush()  # in the file before cwmpd's first line, which may come at once (a bad configuration)
            self._mark = f.tell()
            self.proc = subprocess.Popen(self.prefix + [CWMPD, "-c", self.config], stdin=subprocess.DEVNULL,
                                         stdout=f, stderr=subprocess.STDOUT)
        self.returncode = None
        self.started_at = time.time()
        return self

    @property
    def pid(self) -> int:
        return self.proc.pid

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: int):
        self.proc.send_signal(sig)

    def wait(self, timeout: float = 10.0) -> int:
        """Waits for cwmpd to exit; returns its status (raises TimeoutExpired)."""
        self.returncode = self.proc.wait(timeout)
        return self.returncode

    def stop(self, timeout: float = 5.0) -> int:
        """SIGTERM, then SIGKILL after `timeout`; returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.returncode = self.proc.returncode
        return self.returncode

    def log(self, whole: bool = False) -> str:
        """This run's log (or every run's)."""
        try:
            with open(self.log_path, "rb") as f:
                if not whole:
                    f.seek(self._mark)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def wait_log(self, pattern: str, timeout: float = 10.0) -> re.Match:
        """Waits until this run's log matches the regular expression."""
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.log())
            if m:
                return m
            if time.monotonic() > deadline:
                raise AssertionError("cwmpd did not log /%s/ within %.1f s" % (pattern, timeout))
            if not self.running():
                m = re.search(pattern, self.log())
                if m:
                    return m
                raise AssertionError("cwmpd exited (%s) without logging /%s/" % (self.proc.poll(), pattern))
            time.sleep(0.05)


class E2ECase(unittest.TestCase):
    """Base class of the end-to-end tests (see the module docstring)."""

    maxDiff = None

    def setUp(self):
        if not os.access(CWMPD, os.X_OK):
            self.fail("no cwmpd at %s (meson compile -C build cwmpd, or set CWMPD)" % CWMPD)
        self.dir = tempfile.mkdtemp(prefix="cwmp-e2e-%s-" % self._testMethodName)
        self.store = os.path.join(self.dir, "agent.db")
        self.acses = []
        self.daemons = []
        self.t0 = time.time()
        self.cr_port = free_port()
        self.addCleanup(self._cleanup)

    # ---- building blocks --------------------------------------------------------------

    def make_acs(self, check: bool = True, **kw) -> TestACS:
        """A started TestACS on an ephemeral port, path /acs, validating every CPE
        message.  check=False leaves it out of the end-of-test checks."""
        kw.setdefault("path", "/acs")
        kw.setdefault("require_cookie", False)   # record, do not reject: the test checks
        if HAVE_VALIDATOR:
            kw.setdefault("validate", VALIDATOR)
        acs = TestACS(**kw).start()
        acs._e2e_check = check
        self.acses.append(acs)
        return acs

    def kick(self, acs, username: str, password: str, timeout: float = 10):
        """A connection request once every session of `acs` ended; returns the
        session it opened, once finished."""
        acs.wait_for(lambda: all(s.finished for s in acs.sessions), timeout, "the end of the running session")
        n = len(acs.sessions)
        r = acs.connection_request(None, username, password)
        self.assertTrue(r.ok, r)
        acs.wait_for(lambda: len(acs.sessions) > n and acs.sessions[n].finished, timeout,
                     "the connection-request session")
        return acs.sessions[n]

    def write_config(self, acs_url: str, name: str = "cwmpd.conf", defaults: dict = None,
                     extra: str = "", board_keys: dict = None, root: str = "Device.", **keys) -> str:
        """Writes a cwmpd configuration; keys override the harness's (acs_url, store,
        log, log_level, connection_request_port, ...); defaults are `Device.X = v`
        factory defaults added to BASE_DEFAULTS (below `root`, the profile's root
        object); `extra` is appended as written; board_keys make the [board]
        section (the sim's, unless `board` says otherwise)."""
        conf = {
            "acs_url": acs_url,
            "store": self.store,
            "board": "sim",
            "profile": "rdk-stb",
            "log": "stderr",
            "log_level": "info",
            "startup_delay_max": "0",
            # One port for the whole test: a new port at a restart would change
            # ConnectionRequestURL (forceDefaultEnabled: a 4 VALUE CHANGE).
            "connection_request_port": str(self.cr_port),
            "connection_request_address": "127.0.0.1",
            "connection_request_path": "/cr",
        }
        conf.update({k: str(v) for k, v in keys.items() if v is not None})
        d = {root + k: v for k, v in BASE_DEFAULTS.items()}
        d.update(defaults or {})
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write("# written by tests/e2e/harness.py\n")
            for k, v in conf.items():
                f.write("%s = %s\n" % (k, v))
            for k, v in d.items():
                f.write("%s = %s\n" % (k, v))
            f.write(extra)
            if board_keys:
                f.write("[board]\n")
                for k, v in board_keys.items():
                    f.write("%s = %s\n" % (k, v))
        self.config_keys = conf
        return path

    def start_cwmpd(self, config: str, prefix=()) -> Cwmpd:
        d = Cwmpd(config, os.path.join(self.dir, "cwmpd-%d.log" % (len(self.daemons) + 1)), prefix)
        self.daemons.append(d)
        return d.start()

    def setup_cpe(self, defaults: dict = None, acs_kw: dict = None, **keys):
        """The usual pair: an ACS and a cwmpd pointed at it (not started yet)."""
        acs = self.make_acs(**(acs_kw or {}))
        conf = self.write_config(acs.url, defaults=defaults, **keys)
        return acs, conf

    # ---- assertions ----------------------------------------------------------------------

    def events(self, session) -> list:
        """The session's events as sorted (code, command key) pairs."""
        return sorted((c, k) for c, k in session.events)

    def assertEvents(self, session, expected):
        self.assertEqual(self.events(session), sorted(expected),
                         "session %d: events" % session.index)

    def assertDone(self, session):
        self.assertEqual(session.outcome, "done", "session %d ended %s" % (session.index, session.outcome))

    def assertOk(self, exchange, what=""):
        self.assertIsNotNone(exchange, "no exchange %s" % what)
        self.assertIsNone(exchange.fault, "%s %s answered with fault %s" % (exchange.method, what, exchange.fault))
        self.assertIsNotNone(exchange.response_name, "%s %s unanswered" % (exchange.method, what))

    def value(self, exchange, name):
        self.assertOk(exchange, name)
        self.assertIn(name, exchange.result)
        return exchange.result[name][0]

    def assertProtocolClean(self, acs: TestACS):
        """Every CPE message valid against the schemas, no protocol violation, the
        session cookie on every POST after the InformResponse."""
        acs.validate_all()
        self.assertEqual([str(e) for e in acs.validation_errors], [], "invalid CPE messages")
        self.assertEqual(acs.violations, [], "protocol violations")
        for s in acs.sessions:
            self.assertTrue(s.cookies_ok, "session %d: POSTs without the session cookie: %s"
                            % (s.index, s.cookie_checks))

    def wait_until(self, predicate, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while True:
            r = predicate()
            if r:
                return r
            if time.monotonic() > deadline:
                self.fail("timed out after %.1f s waiting for %s" % (timeout, what))
            time.sleep(0.05)

    def assertStaysUp(self, daemon: Cwmpd, seconds: float = 0.3):
        time.sleep(seconds)
        self.assertTrue(daemon.running(), "cwmpd exited with %s" % daemon.proc.poll())

    # ---- end of test -----------------------------------------------------------------------

    def _cleanup(self):
        for d in self.daemons:
            d.stop()
        problems = []
        for acs in self.acses:
            acs.stop()
        for acs in self.acses:
            if getattr(acs, "_e2e_check", True):
                try:
                    self.assertProtocolClean(acs)
                except AssertionError as e:
                    problems.append("ACS %s: %s" % (acs.url, e))
        if problems:
            raise AssertionError("\n".join(problems))

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        super().run(result)
        failed = len(result.failures) + len(result.errors) > before
        if failed:
            self._dump()
        if getattr(self, "dir", None):
            if os.environ.get("E2E_KEEP"):
                sys.stderr.write("e2e: kept %s\n" % self.dir)
            else:
                shutil.rmtree(self.dir, ignore_errors=True)
        return result

    def _dump(self):
        out = ["", "=" * 70, "e2e diagnostics of %s (t0 %.3f)" % (self.id(), getattr(self, "t0", 0))]
        for i, d in enumerate(getattr(self, "daemons", []), 1):
            out.append("--- cwmpd %d log (%s) ---" % (i, d.log_path))
            out.append(d.log(whole=True).rstrip())
        for i, acs in enumerate(getattr(self, "acses", []), 1):
            out.append("--- ACS %d transcript (%s) ---" % (i, acs.url))
            with acs._lock:
                entries = list(acs._transcript)
            for t, _s, arrow, text, details in entries:
                head = "%7.3f " % (t - self.t0)
                out.append(head + ("%s  %s" % (arrow, text) if arrow != "---" else "--- %s ---" % text))
                out.extend(" " * 21 + d for d in details)
            if acs.errors:
                out.append("ACS errors: %s" % acs.errors)
            if acs.validation_errors:
                out.append("validation errors: %s" % [str(e) for e in acs.validation_errors])
        out.append("=" * 70)
        sys.stderr.write("\n".join(out) + "\n")
