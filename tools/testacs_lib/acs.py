"""The scriptable test ACS: an HTTP/1.1 server that holds CWMP sessions the way real
ACSes (GenieACS in particular) do on the wire, records everything, and lets tests
queue RPCs and inspect the results.

Session flow (TR-069 section 3.7):

    CPE POST Inform                     -> InformResponse (MaxEnvelopes 1, same cwmp:ID,
                                           same cwmp namespace) + Set-Cookie session=...
    CPE POST TransferComplete, ...      -> TransferCompleteResponse, ...
    CPE POST (empty)                    -> the next queued RPC, or 204 No Content
    CPE POST ...Response / SOAP Fault   -> recorded; the next queued RPC, or 204

204 ends the session (with "Connection: close", as GenieACS does) once the CPE has
said it has no more requests (an empty POST while HoldRequests was not in force).
"""

from __future__ import annotations

import collections
import http.client
import os
import re
import shutil
import socket
import socketserver
import ssl
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from . import cwmp
from .auth import ServerAuth, authorization_for, parse_challenges
from .cwmp import Fault, ParsedMessage, Rpc
from .validate import DEFAULT_VALIDATOR, ValidationError, run_validator

MAX_BODY = 32 * 1024 * 1024


# --------------------------------------------------------------------------
# What gets recorded

@dataclass
class Message:
    """One HTTP message of a session, either way. For the CPE: the POST (name is the
    method, 'empty' for an empty POST, 'invalid' for an unparseable body); for the
    ACS: the answer (name is the method sent, or the HTTP status such as '204')."""
    direction: str                      # 'cpe' or 'acs'
    time: float
    name: str
    text: str                           # transcript text
    details: list = field(default_factory=list)
    body: bytes = b""
    parsed: Optional[ParsedMessage] = None
    status: Optional[int] = None        # HTTP status of an ACS answer
    cookie_header: Optional[str] = None
    cookie_ok: Optional[bool] = None    # CPE POSTs after the InformResponse
    auth: Optional[str] = None          # scheme of the credentials on a CPE POST
    file: Optional[str] = None          # recorded copy
    connection: Optional[int] = None

    @property
    def xml(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Exchange:
    """A request and its answer. initiator 'acs': an RPC the ACS sent and the CPE's
    response (or fault); initiator 'cpe': a CPE request and the ACS's answer."""
    initiator: str
    method: str
    cwmp_id: Optional[str]
    request: Any                        # ACS: Rpc.args; CPE: the parsed data dict
    request_xml: str = ""
    rpc: Optional[Rpc] = None
    response_name: Optional[str] = None  # e.g. 'GetParameterValuesResponse', 'Fault'
    response: Any = None                # the parsed response data (dict)
    result: Any = None                  # see ParsedMessage.result
    fault: Optional[Fault] = None
    response_xml: str = ""
    sent_at: float = 0.0
    answered_at: Optional[float] = None

    @property
    def ok(self) -> bool:
        return self.response_name is not None and self.fault is None

    @property
    def values(self):
        """Alias of result (e.g. name -> (value, type) for GetParameterValues)."""
        return self.result


class Session:
    """One CWMP session: the Inform, every message, the exchanges and the outcome.

    outcome: None while running; 'done' (ended by 204 after the CPE was done),
    'inform-fault' (the Inform was answered with a fault), 'abandoned' (a new Inform
    came first), 'interrupted' (the connection closed mid-session), 'rejected'
    (refused for a missing cookie), 'error' (unparseable message)."""

    def __init__(self, index: int, parsed: ParsedMessage, peer: str, cookie: str):
        self.index = index
        self.inform = parsed
        d = parsed.data if isinstance(parsed.data, dict) else {}
        dev = d.get("DeviceId") if isinstance(d.get("DeviceId"), dict) else {}
        self.device_id = {k: dev.get(k, "") for k in ("Manufacturer", "OUI", "ProductClass", "SerialNumber")}
        self.device_key = "%s-%s-%s" % (self.device_id["OUI"], self.device_id["ProductClass"],
                                        self.device_id["SerialNumber"])
        self.events = list(d.get("Event") or [])
        self.max_envelopes = cwmp._int(d.get("MaxEnvelopes"))
        self.current_time = d.get("CurrentTime")
        self.retry_count = cwmp._int(d.get("RetryCount"))
        self.parameters = d.get("ParameterList") if isinstance(d.get("ParameterList"), dict) else {}
        self.cwmp_ns = parsed.ns
        self.inform_id = parsed.cwmp_id
        self.peer = peer
        self.cookie = cookie
        self.expected_cookies = {"session": cookie}
        self.messages = []
        self.exchanges = []
        self.violations = list(parsed.violations)
        self.validation_errors = []
        self.started_at = time.time()
        self.ended_at = None
        self.outcome = None
        self.phase = "cpe"            # 'cpe', 'acs', 'acs_done', 'ended'
        self.queue = collections.deque()
        self.hold_in_force = False
        self.cpe_done = False
        self.outstanding = None
        self.auth = None               # AuthResult of the credentials that opened the session
        self.auth_challenges = 0       # 401s on its connection before the Inform got through
        self.reconnects = 0
        self.connection = None
        self.use_cwmp_version = None

    # ---- results
    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def cookies_ok(self) -> bool:
        """True when every POST after the InformResponse carried the session cookie(s)."""
        return all(m.cookie_ok for m in self.messages if m.cookie_ok is not None)

    @property
    def cookie_checks(self) -> list:
        """[(message name, carried the cookies)] for the POSTs after the InformResponse."""
        return [(m.name, m.cookie_ok) for m in self.messages if m.cookie_ok is not None]

    @property
    def event_codes(self) -> list:
        return [c for c, _ in self.events]

    def find(self, method: str, n: int = 0) -> Optional[Exchange]:
        """The n-th exchange of `method` (ACS RPC name or CPE request name)."""
        hits = [e for e in self.exchanges if e.method == method]
        return hits[n] if n < len(hits) else None

    @property
    def values(self) -> dict:
        """name -> (value, type): the Inform's ParameterList updated by every
        GetParameterValuesResponse of the session, in order."""
        out = dict(self.parameters)
        for e in self.exchanges:
            if e.method == "GetParameterValues" and isinstance(e.result, dict):
                out.update(e.result)
        return out

    def results(self, method: str) -> list:
        return [e.result for e in self.exchanges if e.method == method]

    @property
    def rpcs(self) -> list:
        """Names of the ACS requests sent in this session, in order."""
        return [e.method for e in self.exchanges if e.initiator == "acs"]

    @property
    def duration(self) -> Optional[float]:
        return None if self.ended_at is None else self.ended_at - self.started_at

    def __repr__(self):
        return "<Session %d %s %s %s>" % (self.index, self.device_key,
                                          ",".join(self.event_codes), self.outcome or self.phase)


@dataclass
class AuthFailure:
    time: float
    peer: str
    scheme: Optional[str]
    username: Optional[str]
    reason: str


@dataclass
class RefusedAttempt:
    """A POST answered while the ACS was down (mode '503' or 'reset')."""
    time: float
    peer: str
    mode: str
    parsed: Optional[ParsedMessage]

    @property
    def retry_count(self):
        d = self.parsed.data if self.parsed and isinstance(self.parsed.data, dict) else {}
        return cwmp._int(d.get("RetryCount"))

    @property
    def events(self):
        d = self.parsed.data if self.parsed and isinstance(self.parsed.data, dict) else {}
        return list(d.get("Event") or [])


@dataclass
class ConnectionRequestResult:
    url: str
    status: Optional[int]
    reason: str = ""
    auth: Optional[str] = None          # 'digest', 'basic' or None
    algorithm: Optional[str] = None
    attempts: int = 0
    elapsed: float = 0.0
    body: bytes = b""
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.status in (200, 204)


@dataclass
class _Reply:
    status: int
    body: bytes = b""
    headers: list = field(default_factory=list)
    close: bool = False
    reason: Optional[str] = None


class _Conn:
    _ids = 0

    def __init__(self, peer: str, sock):
        _Conn._ids += 1
        self.id = _Conn._ids
        self.peer = peer
        self.sock = sock
        self.authenticated = False
        self.challenges = 0
        self.session = None


class _HttpError(Exception):
    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status = status
        self.text = text


# --------------------------------------------------------------------------
# HTTP plumbing

class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestACS/1.0"
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def setup(self):
        acs = self.server.acs
        self.request.settimeout(acs.idle_timeout)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()
        self.conn = acs._conn_opened(self)

    def finish(self):
        try:
            super().finish()
        finally:
            conn = getattr(self, "conn", None)
            if conn is not None:
                self.server.acs._conn_closed(conn)

    def do_POST(self):
        self.server.acs._handle_post(self)

    def _not_allowed(self):
        body = b"405 Method Not Allowed"
        self.send_response(405)
        self.send_header("Allow", "POST")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    do_GET = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _not_allowed

    def log_message(self, fmt, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, acs: "TestACS"):
        self.acs = acs
        self.address_family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        super().__init__(addr, _Handler)

    def server_bind(self):
        # HTTPServer.server_bind would resolve the host name (getfqdn): skip that.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def get_request(self):
        sock, addr = super().get_request()
        if self.acs.ssl_context is not None:
            sock = self.acs.ssl_context.wrap_socket(sock, server_side=True,
                                                    do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        import sys
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout, ssl.SSLError, OSError)):
            self.acs._note_error("connection from %s: %s" % (client_address[0], exc), quiet=True)
        else:
            self.acs._note_error("handler error from %s: %r" % (client_address[0], exc))


def _parse_cookies(header: Optional[str]) -> dict:
    out = {}
    for name, value in re.findall(r'\s*([^=;,\s]+)\s*=\s*"?([^";,]*)"?', header or ""):
        if not name.startswith("$"):
            out.setdefault(name, value)
    return out


# --------------------------------------------------------------------------

class TestACS:
    """A scriptable ACS for end-to-end tests.

    >>> acs = TestACS(auth="digest", username="cpe", password="secret")
    >>> acs.start(); acs.queue(GetParameterValues(["Device.ManagementServer."]))
    >>> ...   # point the CPE at acs.url
    >>> s = acs.wait_for_session(10)
    >>> s.find("GetParameterValues").result["Device.ManagementServer.URL"]
    ('http://127.0.0.1:.../', 'xsd:string')

    Options: auth None/'basic'/'digest' with username/password (realm,
    digest_algorithms offered most preferred first, auth_every_request); cwmp_ns
    forces the namespace the ACS writes (default: the one of the CPE's Inform);
    host/port (0: ephemeral)/path; record_dir (every non-empty CPE body is written
    there; record_acs also writes the ACS's messages); validate (path of
    validate-cwmp, or True for the shared one) with validate_mode 'batch' (at
    validate_all() / stop()) or 'each' (in a background thread as messages come);
    require_cookie (answer 400 to a POST without the session cookie, as GenieACS
    does; default: accept and record); cookie_path and extra_cookies (more
    Set-Cookie values, e.g. "lb=node7; Path=/"); close_on_end ("Connection: close" on
    the final 204); ssl_context (serve HTTPS); boolean_style 'word' (true/false) or
    'digit' (1/0); use_cwmp_version 'auto' (answer a SupportedCWMPVersions header with
    UseCWMPVersion, the highest common version), a version string, or None;
    verbose and on_line (called with each transcript line as it happens).
    """

    __test__ = False   # not a unittest/pytest class

    def __init__(self, auth: Optional[str] = None, username: str = "acs", password: str = "acs",
                 cwmp_ns: Optional[str] = None, host: str = "127.0.0.1", port: int = 0,
                 path: str = "/", realm: str = "TestACS", digest_algorithms=("SHA-256", "MD5"),
                 record_dir: Optional[str] = None, record_acs: bool = False,
                 validate=None, validate_mode: str = "batch", require_cookie: bool = False,
                 cookie_path: Optional[str] = None, extra_cookies=(), close_on_end: bool = True,
                 auth_every_request: bool = False, ssl_context: Optional[ssl.SSLContext] = None,
                 boolean_style: str = "word", use_cwmp_version: Optional[str] = "auto",
                 idle_timeout: float = 30.0, verbose: bool = False,
                 on_line: Optional[Callable[[str], None]] = None,
                 acs_methods=cwmp.ACS_METHODS):
        self.auth_mode = auth
        self.username = username
        self.password = password
        self._auth = ServerAuth(auth, username, password, realm, digest_algorithms) if auth else None
        self.cwmp_ns = cwmp.normalize_ns(cwmp_ns)
        self.host = host
        self.port = port
        self.path = path
        self.ssl_context = ssl_context
        self.require_cookie = require_cookie
        self.cookie_path = cookie_path
        self.extra_cookies = list(extra_cookies)
        self.close_on_end = close_on_end
        self.auth_every_request = auth_every_request
        self.boolean_style = boolean_style
        self.use_cwmp_version = use_cwmp_version
        self.idle_timeout = idle_timeout
        self.verbose = verbose
        self.on_line = on_line
        self.acs_methods = list(acs_methods)
        self.kicked_next_url = ""
        # Hooks (they run in server threads, holding the ACS lock: do not block in them).
        self.on_inform: Optional[Callable[[Session], Any]] = None
        self.on_cpe_request: Optional[Callable[[Session, ParsedMessage], Any]] = None
        # Connection requests.
        self.cr_username: Optional[str] = None
        self.cr_password: Optional[str] = None

        self._tmp_record = False
        if validate is True:
            validate = DEFAULT_VALIDATOR
        self.validator = validate
        self.validate_mode = validate_mode
        if record_dir is None and validate:
            record_dir = tempfile.mkdtemp(prefix="testacs-")
            self._tmp_record = True
        self.record_dir = record_dir
        self.record_acs = record_acs
        if record_dir:
            os.makedirs(record_dir, exist_ok=True)

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._server = None
        self._thread = None
        self._conns = {}
        self._down = None
        self._retry_after = None
        self._queue = collections.deque()
        self._device_queues = {}
        self._scripts = collections.deque()
        self._injected = []
        self._seq = 0
        self._rpc_seq = 0
        self._wait_cursor = 0
        self._inform_cursor = 0
        self._records = []           # [dict(file, session, name, direction, validated)]
        self._validate_pending = []
        self._validator_thread = None
        self._stopping = False

        self.sessions = []
        self.refused = []
        self.auth_failures = []
        self.auth_challenges = 0
        self.errors = []
        self.validation_errors = []
        self.acs_validation_errors = []
        self.connection_requests = []
        self._transcript = []

    # ---- life cycle -------------------------------------------------------------

    def start(self) -> "TestACS":
        self._listen()
        if self.validator and self.validate_mode == "each":
            self._validator_thread = threading.Thread(target=self._validator_loop,
                                                      name="testacs-validate", daemon=True)
            self._validator_thread.start()
        return self

    def _listen(self):
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.02},
                                        name="testacs-%d" % self.port, daemon=True)
        self._thread.start()

    def _unlisten(self):
        srv, self._server = self._server, None
        if srv is not None:
            srv.shutdown()
            srv.server_close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def stop(self):
        """Stops serving, closes the open connections, runs the pending validation."""
        self._stopping = True
        self._unlisten()
        self._drop_connections()
        if self.validator:
            self.validate_all()
            with self._cond:
                self._cond.notify_all()
            if self._tmp_record and not self.validation_errors and not self.acs_validation_errors:
                shutil.rmtree(self.record_dir, ignore_errors=True)

    def _drop_connections(self):
        with self._lock:
            conns = list(self._conns.values())
        for c in conns:
            try:
                c.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "%s://%s:%d%s" % ("https" if self.ssl_context else "http", host, self.port, self.path)

    def set_down(self, down: bool = True, mode: str = "503", retry_after: Optional[int] = None):
        """Refuses sessions: mode '503' answers every POST with 503 Service Unavailable
        (with Retry-After when given) and records it in `refused`; 'reset' closes the
        connection without answering; 'close' closes the listening socket and the open
        connections (new connections are refused). set_down(False) serves again on the
        same port."""
        if mode not in ("503", "reset", "close"):
            raise ValueError("mode must be '503', 'reset' or 'close'")
        with self._lock:
            was = self._down
            self._down = mode if down else None
            self._retry_after = retry_after
            self._line(None, "---", "ACS down (%s)" % mode if down else "ACS up again")
        if down and mode == "close" and was != "close":
            self._unlisten()
            self._drop_connections()
        elif was == "close" and (not down or mode != "close"):
            self._listen()

    # ---- scripting ----------------------------------------------------------------

    def queue(self, *rpcs, device: Optional[str] = None):
        """Queues RPCs (Rpc objects or callables session -> Rpc/None/list) for the CPE:
        any CPE, or only the one whose serial number or OUI-ProductClass-Serial is
        `device`. Queued RPCs are sent in order at the next opportunity (this session
        or the next ones)."""
        with self._lock:
            q = self._queue if device is None else self._device_queues.setdefault(device, collections.deque())
            for r in rpcs:
                if isinstance(r, (list, tuple)):
                    q.extend(r)
                else:
                    q.append(r)

    def add_session(self, steps=(), inform_fault=None, hold_requests: bool = False,
                    match: Optional[Callable[[Session], bool]] = None):
        """A per-session script: the next session that starts gets `steps` (RPCs sent
        before anything from queue()); inform_fault (a code or a Fault) answers its
        Inform with a SOAP fault instead; hold_requests sets HoldRequests on the
        InformResponse.  With `match` (Session -> bool, e.g. on its events) the
        script waits for the first session it matches."""
        with self._lock:
            self._scripts.append({"steps": list(steps), "inform_fault": inform_fault,
                                  "hold_requests": hold_requests, "match": match})

    def load_scenario(self, scenario):
        """A scenario (see testacs_lib.scenario): a path, JSON text or parsed list."""
        from .scenario import load
        for s in load(scenario):
            self.add_session(**s)

    def clear_queue(self):
        with self._lock:
            self._queue.clear()
            self._device_queues.clear()
            self._scripts.clear()

    def pending(self) -> list:
        with self._lock:
            return list(self._queue) + [r for q in self._device_queues.values() for r in q]

    def inject_fault(self, method: str = "Inform", code: int = 8005, string: str = "",
                     count: int = 1):
        """Answers the next `count` CPE requests `method` (Inform, TransferComplete, ...)
        with a SOAP fault (8005 Retry request by default). An Inform so answered ends
        its session (outcome 'inform-fault')."""
        with self._lock:
            self._injected.append({"method": method, "fault": Fault(code, string), "count": count})

    def fail_informs(self, count: int = 1, code: int = 8005):
        self.inject_fault("Inform", code, "", count)

    # ---- waiting ---------------------------------------------------------------------

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0, what: str = "condition"):
        """Waits until predicate() (evaluated under the ACS lock) is true."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                r = predicate()
                if r:
                    return r
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("testacs: no %s within %.1fs; transcript tail:\n%s"
                                       % (what, timeout, "\n".join(self.transcript()[-15:])))
                self._cond.wait(min(left, 0.5))

    def wait_for_session(self, timeout: float = 10.0) -> Session:
        """Returns the next session (in start order) not returned before, once it has
        finished. Raises TimeoutError."""
        def ready():
            if self._wait_cursor < len(self.sessions) and self.sessions[self._wait_cursor].finished:
                s = self.sessions[self._wait_cursor]
                self._wait_cursor += 1
                return s
            return None
        return self.wait_for(ready, timeout, "finished session")

    def wait_for_sessions(self, n: int, timeout: float = 10.0) -> list:
        return [self.wait_for_session(timeout) for _ in range(n)]

    def wait_for_inform(self, timeout: float = 10.0) -> Session:
        """Returns the next session (in start order) not returned before by
        wait_for_inform, as soon as its Inform arrived (it may still be running)."""
        def ready():
            if self._inform_cursor < len(self.sessions):
                s = self.sessions[self._inform_cursor]
                self._inform_cursor += 1
                return s
            return None
        return self.wait_for(ready, timeout, "Inform")

    def wait_for_refused(self, n: int, timeout: float = 10.0) -> list:
        """Waits until `n` POSTs have been refused while down; returns them."""
        return self.wait_for(lambda: list(self.refused) if len(self.refused) >= n else None,
                             timeout, "%d refused attempts" % n)

    @property
    def last_session(self) -> Optional[Session]:
        with self._lock:
            return self.sessions[-1] if self.sessions else None

    @property
    def violations(self) -> list:
        """Protocol violations seen in every session: [(session index, text)]."""
        with self._lock:
            return [(s.index, v) for s in self.sessions for v in s.violations]

    # ---- transcript ---------------------------------------------------------------------

    def transcript(self, verbose: Optional[bool] = None) -> list:
        """Readable lines: 'CPE -> ACS  Inform (0 BOOTSTRAP, 1 BOOT)', ...; verbose mode
        adds values and arguments, indented."""
        verbose = self.verbose if verbose is None else verbose
        with self._lock:
            entries = list(self._transcript)
        out = []
        for e in entries:
            out.extend(self._render_entry(e, verbose))
        return out

    def transcript_text(self, verbose: Optional[bool] = None) -> str:
        return "\n".join(self.transcript(verbose)) + "\n"

    @staticmethod
    def _render_entry(e, verbose):
        t, _session, arrow, text, details = e
        lines = ["%s  %s" % (arrow, text) if arrow != "---" else "--- %s ---" % text]
        if verbose:
            lines.extend("             " + d for d in details)
        return lines

    def _line(self, session: Optional[Session], arrow: str, text: str, details=()):
        e = (time.time(), session.index if session else None, arrow, text, list(details))
        self._transcript.append(e)
        if self.on_line is not None:
            for line in self._render_entry(e, self.verbose):
                try:
                    self.on_line(line)
                except Exception:
                    pass
        self._cond.notify_all()

    def _note_error(self, text: str, quiet: bool = False):
        with self._lock:
            self.errors.append(text)
            if not quiet:
                self._line(None, "!!!", text)

    # ---- validation --------------------------------------------------------------------

    def validate_all(self) -> list:
        """Validates every recorded message not validated yet; returns the new
        ValidationErrors (also appended to validation_errors / acs_validation_errors
        and to each session's validation_errors)."""
        if not self.validator:
            return []
        if self._validator_thread is not None:
            self.wait_for(lambda: not self._validate_pending, 120, "validation")
        with self._lock:
            todo = [r for r in self._records if not r["validated"]]
            for r in todo:
                r["validated"] = True
        return self._validate(todo)

    def _validate(self, records) -> list:
        if not records:
            return []
        res = run_validator(self.validator, [r["file"] for r in records])
        new = []
        with self._lock:
            for r in records:
                errs = res.get(r["file"], [])
                if not errs:
                    continue
                ve = ValidationError(r["file"], errs, r["session"], r["name"])
                new.append(ve)
                if r["direction"] == "cpe":
                    self.validation_errors.append(ve)
                    if r["session"]:
                        self.sessions[r["session"] - 1].validation_errors.append(ve)
                    self._line(None, "!!!", "invalid CPE message %s" % ve)
                else:
                    self.acs_validation_errors.append(ve)
                    self._line(None, "!!!", "invalid ACS message %s" % ve)
        return new

    def _validator_loop(self):
        while True:
            with self._cond:
                while not self._validate_pending and not self._stopping:
                    self._cond.wait(0.5)
                if not self._validate_pending and self._stopping:
                    return
                batch = [r for r in self._validate_pending if not r["validated"]]
                for r in batch:
                    r["validated"] = True
            try:
                self._validate(batch)
            finally:
                with self._cond:
                    self._validate_pending = [r for r in self._validate_pending if r not in batch]
                    self._cond.notify_all()

    def _record(self, direction: str, body: bytes, session: Optional[Session], name: str) -> Optional[str]:
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
            self._validate_pending.append(r)
            self._cond.notify_all()
        return path

    # ---- connection requests ------------------------------------------------------------

    def connection_request(self, url: Optional[str] = None, username: Optional[str] = None,
                           password: Optional[str] = None, timeout: float = 5.0,
                           ssl_context: Optional[ssl.SSLContext] = None) -> ConnectionRequestResult:
        """Sends a connection request (HTTP GET, answering a Digest or Basic challenge).
        url defaults to the ConnectionRequestURL of the latest Inform; username and
        password to cr_username / cr_password."""
        if url is None:
            with self._lock:
                for s in reversed(self.sessions):
                    for name, (value, _t) in s.parameters.items():
                        if name.endswith("ManagementServer.ConnectionRequestURL") and value:
                            url = value
                            break
                    if url:
                        break
            if url is None:
                raise ValueError("no ConnectionRequestURL known: pass url=")
        username = self.cr_username if username is None else username
        password = self.cr_password if password is None else password
        res = _connection_request(url, username, password, timeout, ssl_context)
        with self._lock:
            self.connection_requests.append(res)
            text = "connection request GET %s -> %s" % (url, res.status if res.status else res.error)
            if res.auth:
                text += " (%s%s)" % (res.auth, " " + res.algorithm if res.algorithm else "")
            self._line(None, "ACS -> CPE", text)
        return res

    # ---- connection tracking -------------------------------------------------------------

    def _conn_opened(self, handler) -> _Conn:
        peer = "%s:%s" % handler.client_address[:2]
        c = _Conn(peer, handler.request)
        with self._lock:
            self._conns[c.id] = c
        return c

    def _conn_closed(self, conn: _Conn):
        with self._lock:
            self._conns.pop(conn.id, None)
            s = conn.session
            if s is not None and not s.finished and s.connection is conn:
                if s.phase == "acs_done":
                    self._finish(s, "done", "CPE closed the connection (end of session)")
                else:
                    self._finish(s, "interrupted", "connection closed mid-session")
            self._cond.notify_all()

    def _finish(self, s: Session, outcome: str, note: Optional[str] = None):
        s.outcome = outcome
        s.ended_at = time.time()
        if outcome == "done":
            s.phase = "ended"
        if note:
            self._line(s, "---", "session %d %s" % (s.index, note))
        self._cond.notify_all()

    # ---- the POST handler ----------------------------------------------------------------

    def _read_body(self, h) -> bytes:
        te = (h.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks, total = [], 0
            while True:
                line = h.rfile.readline(1024)
                if not line:
                    raise _HttpError(400, "truncated chunked body")
                try:
                    n = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise _HttpError(400, "bad chunk size") from None
                if n == 0:
                    while h.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += n
                if total > MAX_BODY:
                    raise _HttpError(413, "body too large")
                chunks.append(h.rfile.read(n))
                h.rfile.readline(8)
            body = b"".join(chunks)
        else:
            cl = h.headers.get("Content-Length")
            try:
                n = int(cl) if cl is not None else 0
            except ValueError:
                raise _HttpError(400, "bad Content-Length") from None
            if n < 0 or n > MAX_BODY:
                raise _HttpError(413 if n > 0 else 400, "bad Content-Length")
            body = h.rfile.read(n) if n else b""
            if len(body) != n:
                raise _HttpError(400, "truncated body")
        enc = (h.headers.get("Content-Encoding") or "").lower().strip()
        if enc and enc != "identity" and body:
            try:
                if enc in ("gzip", "x-gzip"):
                    body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
                elif enc == "deflate":
                    body = zlib.decompress(body)
                else:
                    raise _HttpError(415, "unsupported Content-Encoding %s" % enc)
            except zlib.error:
                raise _HttpError(400, "undecodable %s body" % enc) from None
        return body

    def _send(self, h, reply: _Reply):
        h.send_response(reply.status, reply.reason)
        for k, v in reply.headers:
            h.send_header(k, v)
        if reply.status not in (204, 304) and not 100 <= reply.status < 200:
            h.send_header("Content-Length", str(len(reply.body)))
        if reply.close:
            h.send_header("Connection", "close")
            h.close_connection = True
        # Headers and body in one write (no Nagle / delayed-ACK stall between them).
        h._headers_buffer.append(b"\r\n")
        if reply.body and reply.status != 204:
            h._headers_buffer.append(reply.body)
        h.flush_headers()
        h.wfile.flush()

    def _handle_post(self, h):
        try:
            reply = self._process_post(h)
        except _HttpError as e:
            self._note_error("%s from %s: %s" % (e.status, h.conn.peer, e.text))
            reply = _Reply(e.status, e.text.encode(), [("Content-Type", "text/plain")], close=True)
        except Exception as e:   # never let the server thread die
            import traceback
            self._note_error("internal error: %r\n%s" % (e, traceback.format_exc()))
            reply = _Reply(500, b"internal error", [("Content-Type", "text/plain")], close=True)
        if reply is None:     # 'reset': drop the connection without answering
            h.close_connection = True
            try:
                h.request.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        try:
            self._send(h, reply)
        except OSError as e:
            self._note_error("sending to %s: %s" % (h.conn.peer, e), quiet=True)
            h.close_connection = True

    def _process_post(self, h) -> Optional[_Reply]:
        conn: _Conn = h.conn
        body = self._read_body(h)
        now = time.time()
        parsed, perr = None, None
        if body:
            try:
                parsed = cwmp.parse_message(body)
            except cwmp.CwmpError as e:
                perr = str(e)
        name = "empty" if not body else (parsed.name if parsed else "invalid")
        cpe_text = ("(empty)" if not body else cwmp.summarize(parsed) if parsed
                    else "invalid message: %s" % perr)
        cpe_details = cwmp.details(parsed) if parsed else []
        cookie_header = h.headers.get("Cookie")
        authz = h.headers.get("Authorization")
        req_path = urlsplit(h.path).path or "/"

        with self._lock:
            # -- down?
            if self._down in ("503", "reset"):
                self._record("cpe", body, None, name)
                self.refused.append(RefusedAttempt(now, conn.peer, self._down, parsed))
                self._line(None, "CPE -> ACS", cpe_text, cpe_details)
                if self._down == "reset":
                    self._line(None, "ACS -> CPE", "(connection reset: ACS down)")
                    return None
                hdrs = [("Content-Type", "text/plain")]
                if self._retry_after is not None:
                    hdrs.append(("Retry-After", str(self._retry_after)))
                self._line(None, "ACS -> CPE", "503 Service Unavailable (ACS down)")
                return _Reply(503, b"503 Service Unavailable", hdrs, close=True)

            if self.path and req_path != self.path:
                self._record("cpe", body, None, name)
                self._line(None, "CPE -> ACS", "%s (POST %s)" % (cpe_text, req_path))
                self._line(None, "ACS -> CPE", "404 Not Found")
                self.errors.append("POST to unknown path %s from %s" % (req_path, conn.peer))
                return _Reply(404, b"404 Not Found", [("Content-Type", "text/plain")])

            # -- authentication
            auth_res = None
            if self._auth is not None and (authz or self.auth_every_request or not conn.authenticated):
                auth_res = self._auth.verify(authz, "POST", h.path, body)
                if not auth_res.ok:
                    self._record("cpe", body, conn.session if conn.session and not conn.session.finished else None, name)
                    self._line(conn.session, "CPE -> ACS", cpe_text + (" [%s credentials]" % auth_res.scheme
                                                                        if authz else ""), cpe_details)
                    if authz:
                        self.auth_failures.append(AuthFailure(now, conn.peer, auth_res.scheme,
                                                              auth_res.username, auth_res.reason))
                    else:
                        self.auth_challenges += 1
                    conn.challenges += 1
                    conn.authenticated = False
                    self._line(conn.session, "ACS -> CPE", "401 Unauthorized (%s)" % auth_res.reason)
                    hdrs = [("WWW-Authenticate", c) for c in self._auth.challenges(stale=auth_res.stale)]
                    hdrs.append(("Content-Type", "text/plain"))
                    return _Reply(401, b"Unauthorized", hdrs)
                conn.authenticated = True

            # -- which session?
            cookies = _parse_cookies(cookie_header)
            s = None
            sid = cookies.get("session")
            if sid:
                for cand in reversed(self.sessions):
                    if cand.cookie == sid:
                        s = cand
                        break
                if s is not None and s.phase == "ended":
                    s = None
            if s is None and conn.session is not None and conn.session.phase != "ended":
                s = conn.session
            if s is not None and s.finished and s.outcome != "interrupted":
                s = None

            is_inform = parsed is not None and parsed.kind == "request" and parsed.name == "Inform"
            if is_inform:
                return self._on_inform(h, conn, s, parsed, body, cpe_text, cpe_details, auth_res, cookie_header, now)

            if s is None:
                self._record("cpe", body, None, name)
                self._line(None, "CPE -> ACS", cpe_text, cpe_details)
                if perr is not None:
                    self._line(None, "ACS -> CPE", "400 Bad Request (%s)" % perr)
                    self.errors.append("unparseable message from %s: %s" % (conn.peer, perr))
                    return _Reply(400, perr.encode(), [("Content-Type", "text/plain")], close=True)
                self._line(None, "ACS -> CPE", "400 Bad Request (no session: Inform first)")
                self.errors.append("%s from %s outside a session" % (name, conn.peer))
                return _Reply(400, b"Invalid session", [("Content-Type", "text/plain")], close=True)

            if s.finished:       # the CPE came back (new connection, same cookie)
                s.outcome = None
                s.ended_at = None
                s.reconnects += 1
                self._line(s, "---", "session %d continues on a new connection" % s.index)
            elif s.connection is not conn:
                s.reconnects += 1
            s.connection = conn
            conn.session = s

            cookie_ok = all(cookies.get(k) == v for k, v in s.expected_cookies.items())
            msg = Message("cpe", now, name, cpe_text, cpe_details, body, parsed,
                          cookie_header=cookie_header, cookie_ok=cookie_ok,
                          auth=auth_res.scheme if auth_res else None, connection=conn.id)
            msg.file = self._record("cpe", body, s, name)
            s.messages.append(msg)
            self._line(s, "CPE -> ACS", cpe_text + ("" if cookie_ok else "  [no session cookie]"),
                       cpe_details)
            if not cookie_ok and self.require_cookie:
                s.violations.append("POST without the session cookie (%s)" % name)
                self._finish(s, "rejected")
                return self._acs_reply(s, _Reply(400, b"Invalid session", [("Content-Type", "text/plain")],
                                                 close=True), "400 Bad Request (invalid session: no cookie)")
            if parsed is not None:
                s.violations.extend(parsed.violations)

            if perr is not None:
                s.violations.append("unparseable message: %s" % perr)
                self.errors.append("session %d: unparseable message: %s" % (s.index, perr))
                self._finish(s, "error")
                return self._acs_reply(s, _Reply(400, perr.encode(), [("Content-Type", "text/plain")],
                                                 close=True), "400 Bad Request (%s)" % perr)

            if parsed is None:
                return self._on_empty(s)
            if parsed.kind == "request":
                return self._on_cpe_request(s, parsed, body)
            return self._on_response(s, parsed, body)

    # ---- session steps (called with the lock held) -----------------------------------------

    def _ns_for(self, s: Session) -> str:
        return self.cwmp_ns or s.cwmp_ns or cwmp.DEFAULT_CWMP_NS

    def _acs_reply(self, s: Optional[Session], reply: _Reply, text: str, details=(),
                   name: Optional[str] = None) -> _Reply:
        if s is not None:
            m = Message("acs", time.time(), name or str(reply.status), text, list(details),
                        reply.body, status=reply.status)
            if reply.body and reply.status == 200:
                m.file = self._record("acs", reply.body, s, m.name)
            s.messages.append(m)
        self._line(s, "ACS -> CPE", text, details)
        return reply

    def _soap_reply(self, s: Session, body_xml: str, cwmp_id, text: str, details=(),
                    hold: Optional[bool] = None, extra_headers=(), headers=(), name=None) -> _Reply:
        env = cwmp.envelope(self._ns_for(s), body_xml, cwmp_id, True if hold else None,
                            extra_headers, self.boolean_style)
        s.hold_in_force = bool(hold)
        reply = _Reply(200, env.encode("utf-8"),
                       [("Content-Type", 'text/xml; charset="utf-8"'), ("SOAPServer", "TestACS/1.0")]
                       + list(headers))
        return self._acs_reply(s, reply, text, details, name)

    def _take_injected(self, method: str) -> Optional[Fault]:
        for inj in self._injected:
            if inj["method"] == method and inj["count"] > 0:
                inj["count"] -= 1
                return inj["fault"]
        return None

    def _on_inform(self, h, conn, old, parsed, body, text, details, auth_res, cookie_header, now):
        if old is not None and not old.finished:
            if old.phase == "acs_done":
                self._finish(old, "done")
            else:
                old.violations.append("a new Inform arrived before the session ended")
                self._finish(old, "abandoned", "abandoned (new Inform)")
        cookie = os.urandom(8).hex()
        s = Session(len(self.sessions) + 1, parsed, conn.peer, cookie)
        for c in self.extra_cookies:
            k, _, v = c.split(";", 1)[0].partition("=")
            s.expected_cookies[k.strip()] = v.strip()
        s.connection = conn
        s.auth = auth_res
        s.auth_challenges = conn.challenges
        conn.challenges = 0
        conn.session = s
        self.sessions.append(s)
        self._line(s, "---", "session %d: %s from %s" % (s.index, s.device_key, conn.peer))
        if not s.events:
            # TR-069 3.7.1.5: an Inform states why the session is opened.
            s.violations.append("Inform with an empty event list")
        msg = Message("cpe", now, "Inform", text, details, body, parsed, cookie_header=cookie_header,
                      auth=auth_res.scheme if auth_res else None, connection=conn.id)
        msg.file = self._record("cpe", body, s, "Inform")
        s.messages.append(msg)
        self._line(s, "CPE -> ACS", text, details)
        ex = Exchange("cpe", "Inform", parsed.cwmp_id, parsed.data, msg.xml, sent_at=now)
        s.exchanges.append(ex)

        script = {}
        for i, sc in enumerate(self._scripts):
            if sc.get("match") is None or sc["match"](s):
                script = sc
                del self._scripts[i]
                break
        s.queue.extend(script.get("steps", []))
        fault = self._take_injected("Inform")
        if script.get("inform_fault") is not None:
            f = script["inform_fault"]
            fault = f if isinstance(f, Fault) else Fault(int(f))
        if fault is None and self.on_inform is not None:
            r = self.on_inform(s)
            if isinstance(r, Fault):
                fault = r
            elif isinstance(r, (list, tuple)):
                s.queue.extendleft(reversed(list(r)))
            elif isinstance(r, Rpc):
                s.queue.appendleft(r)
        if fault is not None:
            reply = self._soap_reply(s, fault.to_xml(), parsed.cwmp_id, "Fault %s (Inform refused)" % fault,
                                     name="Fault")
            ex.response_name, ex.fault, ex.answered_at = "Fault", fault, time.time()
            self._finish(s, "inform-fault")
            s.phase = "ended"
            reply.close = True
            return reply

        extra = []
        supported = parsed.headers.get("SupportedCWMPVersions")
        if supported and self.use_cwmp_version:
            if self.use_cwmp_version == "auto":
                vers = [v.strip() for v in supported.split(",") if re.fullmatch(r"\d+\.\d+", v.strip())]
                ours = [v for v in vers if v in ("1.0", "1.1", "1.2", "1.3", "1.4")]
                use = max(ours, key=lambda v: tuple(map(int, v.split(".")))) if ours else None
            else:
                use = self.use_cwmp_version
            if use:
                s.use_cwmp_version = use
                extra.append('<cwmp:UseCWMPVersion soap-env:mustUnderstand="1">%s</cwmp:UseCWMPVersion>'
                             % cwmp.esc(use))
        set_cookie = "session=%s" % cookie + ("; Path=%s" % self.cookie_path if self.cookie_path else "")
        headers = [("Set-Cookie", set_cookie)] + [("Set-Cookie", c) for c in self.extra_cookies]
        hold = bool(script.get("hold_requests"))
        reply = self._soap_reply(s, cwmp.inform_response(1), parsed.cwmp_id,
                                 "InformResponse" + (" [HoldRequests]" if hold else ""),
                                 hold=hold, extra_headers=extra, headers=headers, name="InformResponse")
        ex.response_name, ex.response, ex.answered_at = "InformResponse", {"MaxEnvelopes": 1}, time.time()
        ex.response_xml = reply.body.decode()
        s.phase = "cpe"
        return reply

    def _on_empty(self, s: Session) -> _Reply:
        if s.outstanding is not None:
            s.violations.append("empty POST while %s was unanswered" % s.outstanding.method)
            s.outstanding = None
        if s.phase == "inform":
            s.violations.append("empty POST before the Inform was answered")
        if not s.hold_in_force:
            s.cpe_done = True
        return self._next_or_end(s)

    def _on_cpe_request(self, s: Session, parsed: ParsedMessage, body: bytes) -> _Reply:
        now = time.time()
        if s.hold_in_force:
            s.violations.append("%s sent while HoldRequests was true" % parsed.name)
        if s.outstanding is not None:
            s.violations.append("%s sent while %s was unanswered" % (parsed.name, s.outstanding.method))
        if s.cpe_done:
            s.violations.append("%s sent after the CPE's empty POST" % parsed.name)
        ex = Exchange("cpe", parsed.name, parsed.cwmp_id, parsed.data, body.decode("utf-8", "replace"),
                      sent_at=now)
        s.exchanges.append(ex)
        answer = self._take_injected(parsed.name)
        if answer is None and self.on_cpe_request is not None:
            answer = self.on_cpe_request(s, parsed)
        if isinstance(answer, Fault):
            ex.response_name, ex.fault, ex.answered_at = "Fault", answer, time.time()
            return self._soap_reply(s, answer.to_xml(), parsed.cwmp_id, "Fault %s" % answer, name="Fault")
        if isinstance(answer, str):
            body_xml, rname = answer, "raw"
        elif parsed.name == "GetRPCMethods":
            body_xml, rname = cwmp.get_rpc_methods_response(self.acs_methods), "GetRPCMethodsResponse"
        elif parsed.name == "Kicked":
            body_xml, rname = cwmp.kicked_response(self.kicked_next_url), "KickedResponse"
        elif parsed.name in cwmp.CPE_METHODS:
            body_xml, rname = cwmp.empty_response(parsed.name), parsed.name + "Response"
        else:
            f = Fault(8000)
            ex.response_name, ex.fault, ex.answered_at = "Fault", f, time.time()
            return self._soap_reply(s, f.to_xml(), parsed.cwmp_id, "Fault %s (%s)" % (f, parsed.name),
                                    name="Fault")
        ex.response_name, ex.answered_at = rname, time.time()
        reply = self._soap_reply(s, body_xml, parsed.cwmp_id, rname, name=rname)
        ex.response_xml = reply.body.decode()
        return reply

    def _on_response(self, s: Session, parsed: ParsedMessage, body: bytes) -> _Reply:
        ex = s.outstanding
        if ex is None:
            s.violations.append("%s without an outstanding ACS request" % parsed.name)
        else:
            expected = ex.method + "Response"
            if parsed.kind == "response" and parsed.name != expected:
                s.violations.append("%s in answer to %s" % (parsed.name, ex.method))
            if parsed.cwmp_id != ex.cwmp_id:
                s.violations.append("%s carries cwmp:ID %r, the request had %r"
                                    % (parsed.name, parsed.cwmp_id, ex.cwmp_id))
            ex.response_name = parsed.name
            ex.response = parsed.data
            ex.result = parsed.result if parsed.kind == "response" else None
            ex.fault = parsed.fault
            ex.response_xml = body.decode("utf-8", "replace")
            ex.answered_at = time.time()
            s.outstanding = None
        return self._next_or_end(s)

    def _pop_next(self, s: Session) -> Optional[Rpc]:
        dq = [q for key, q in self._device_queues.items()
              if key in (s.device_id["SerialNumber"], s.device_key)]
        while True:
            item = None
            for q in [s.queue, *dq, self._queue]:
                if q:
                    item = q.popleft()
                    break
            if item is None:
                return None
            if isinstance(item, Rpc):
                return item
            if callable(item):
                r = item(s)
                if r is None:
                    continue
                if isinstance(r, Rpc):
                    return r
                s.queue.extendleft(reversed(list(r)))
                continue
            raise TypeError("queued item is neither an Rpc nor a callable: %r" % (item,))

    def _next_or_end(self, s: Session) -> _Reply:
        rpc = self._pop_next(s)
        if rpc is not None:
            self._rpc_seq += 1
            cid = rpc.cwmp_id or "testacs-%d" % self._rpc_seq
            ex = Exchange("acs", rpc.name, cid, rpc.args, rpc=rpc, sent_at=time.time())
            body_xml = rpc.body(self.boolean_style)
            s.exchanges.append(ex)
            s.outstanding = ex
            s.phase = "acs"
            reply = self._soap_reply(s, body_xml, cid, rpc.describe(), rpc.details,
                                     hold=rpc.hold_requests, name=rpc.name)
            ex.request_xml = reply.body.decode()
            return reply
        s.hold_in_force = False
        if s.cpe_done:
            reply = self._acs_reply(s, _Reply(204, close=self.close_on_end), "204 (end of session)")
            self._finish(s, "done")
            return reply
        s.phase = "acs_done"
        return self._acs_reply(s, _Reply(204), "204 (no more requests)")


# --------------------------------------------------------------------------

def _connection_request(url, username, password, timeout, ssl_context) -> ConnectionRequestResult:
    t0 = time.monotonic()
    u = urlsplit(url)
    res = ConnectionRequestResult(url, None)
    target = (u.path or "/") + ("?" + u.query if u.query else "")

    def connect():
        if u.scheme == "https":
            ctx = ssl_context or ssl._create_unverified_context()
            return http.client.HTTPSConnection(u.hostname, u.port or 443, timeout=timeout, context=ctx)
        return http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)

    conn = connect()
    try:
        conn.request("GET", target)
        r = conn.getresponse()
        body = r.read()
        res.attempts = 1
        if r.status == 401 and username is not None:
            chal = parse_challenges(r.headers.get_all("WWW-Authenticate") or [])
            header, scheme, alg = authorization_for(chal, username, password or "", "GET", target)
            if header:
                if (r.getheader("Connection") or "").lower() == "close":
                    conn.close()
                    conn = connect()
                conn.request("GET", target, headers={"Authorization": header})
                r = conn.getresponse()
                body = r.read()
                res.attempts = 2
                res.auth, res.algorithm = scheme, alg
        res.status, res.reason, res.body = r.status, r.reason, body
    except (OSError, http.client.HTTPException) as e:
        res.error = "%s: %s" % (type(e).__name__, e)
    finally:
        conn.close()
        res.elapsed = time.monotonic() - t0
    return res
