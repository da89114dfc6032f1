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

This module is TestACS: its API (queue RPCs, script sessions, wait, go down,
inject faults) and the session state machine that answers each POST. The HTTP
layer is server.py, what it records records.py, the transcript and the validation
of the recorded messages transcript.py, the connection-request client connreq.py.
"""

from __future__ import annotations

import collections
import os
import re
import socket
import ssl
import threading
import time
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from . import cwmp
from .auth import ServerAuth
from .connreq import connection_request
from .cwmp import Fault, ParsedMessage, Rpc
from .records import (AuthFailure, ConnectionRequestResult, Exchange, Message, RefusedAttempt,
                      Session)
from .server import Conn, Reply, Server, parse_cookies, read_body
from .transcript import Recorder, Transcript, render_entry
from .validate import ValidationError


def _delegate(part: str, name: str) -> property:
    """An attribute of the ACS that one of its parts holds."""
    return property(lambda self: getattr(getattr(self, part), name),
                    lambda self, value: setattr(getattr(self, part), name, value))


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
        self.acs_methods = list(acs_methods)
        self.kicked_next_url = ""
        # Hooks (they run in server threads, holding the ACS lock: do not block in them).
        self.on_inform: Optional[Callable[[Session], Any]] = None
        self.on_cpe_request: Optional[Callable[[Session, ParsedMessage], Any]] = None
        # Connection requests.
        self.cr_username: Optional[str] = None
        self.cr_password: Optional[str] = None

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._log = Transcript(verbose, on_line)
        self._recorder = Recorder(self._cond, record_dir, record_acs, validate, validate_mode,
                                  self._on_invalid)
        self._server = None
        self._thread = None
        self._conns = {}
        self._down = None
        self._retry_after = None
        self._queue = collections.deque()
        self._device_queues = {}
        self._scripts = collections.deque()
        self._injected = []
        self._rpc_seq = 0
        self._wait_cursor = 0
        self._inform_cursor = 0

        self.sessions = []
        self.refused = []
        self.auth_failures = []
        self.auth_challenges = 0
        self.errors = []
        self.validation_errors = []
        self.acs_validation_errors = []
        self.connection_requests = []
        self._transcript = self._log.entries    # the e2e harness dumps them

    # What the Transcript and the Recorder hold, as attributes of the ACS.
    verbose = _delegate("_log", "verbose")
    on_line = _delegate("_log", "on_line")
    record_dir = _delegate("_recorder", "record_dir")
    record_acs = _delegate("_recorder", "record_acs")
    validator = _delegate("_recorder", "validator")
    validate_mode = _delegate("_recorder", "validate_mode")

    # ---- life cycle -------------------------------------------------------------

    def start(self) -> "TestACS":
        self._listen()
        self._recorder.start()
        return self

    def _listen(self):
        self._server = Server((self.host, self.port), self)
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
        self._recorder.stopping = True
        self._unlisten()
        self._drop_connections()
        if self.validator:
            self.validate_all()
            with self._cond:
                self._cond.notify_all()
            self._recorder.close(keep=bool(self.validation_errors or self.acs_validation_errors))

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
            entries = list(self._log.entries)
        out = []
        for e in entries:
            out.extend(render_entry(e, verbose))
        return out

    def transcript_text(self, verbose: Optional[bool] = None) -> str:
        return "\n".join(self.transcript(verbose)) + "\n"

    def _line(self, session: Optional[Session], arrow: str, text: str, details=()):
        self._log.add(session.index if session else None, arrow, text, details)
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
        if self._recorder.background:
            self.wait_for(self._recorder.idle, 120, "validation")
        return self._recorder.validate_rest()

    def _on_invalid(self, direction: str, ve: ValidationError):
        if direction == "cpe":
            self.validation_errors.append(ve)
            if ve.session:
                self.sessions[ve.session - 1].validation_errors.append(ve)
            self._line(None, "!!!", "invalid CPE message %s" % ve)
        else:
            self.acs_validation_errors.append(ve)
            self._line(None, "!!!", "invalid ACS message %s" % ve)

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
        res = connection_request(url, username, password, timeout, ssl_context)
        with self._lock:
            self.connection_requests.append(res)
            text = "connection request GET %s -> %s" % (url, res.status if res.status else res.error)
            if res.auth:
                text += " (%s%s)" % (res.auth, " " + res.algorithm if res.algorithm else "")
            self._line(None, "ACS -> CPE", text)
        return res

    # ---- connection tracking -------------------------------------------------------------

    def _conn_opened(self, handler) -> Conn:
        peer = "%s:%s" % handler.client_address[:2]
        c = Conn(peer, handler.request)
        with self._lock:
            self._conns[c.id] = c
        return c

    def _conn_closed(self, conn: Conn):
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

    # ---- the POST handler (server.Handler calls it; HttpError becomes the answer) --------

    def _process_post(self, h) -> Optional[Reply]:
        conn: Conn = h.conn
        body = read_body(h)
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
                self._recorder.record("cpe", body, None, name)
                self.refused.append(RefusedAttempt(now, conn.peer, self._down, parsed))
                self._line(None, "CPE -> ACS", cpe_text, cpe_details)
                if self._down == "reset":
                    self._line(None, "ACS -> CPE", "(connection reset: ACS down)")
                    return None
                hdrs = [("Content-Type", "text/plain")]
                if self._retry_after is not None:
                    hdrs.append(("Retry-After", str(self._retry_after)))
                self._line(None, "ACS -> CPE", "503 Service Unavailable (ACS down)")
                return Reply(503, b"503 Service Unavailable", hdrs, close=True)

            if self.path and req_path != self.path:
                self._recorder.record("cpe", body, None, name)
                self._line(None, "CPE -> ACS", "%s (POST %s)" % (cpe_text, req_path))
                self._line(None, "ACS -> CPE", "404 Not Found")
                self.errors.append("POST to unknown path %s from %s" % (req_path, conn.peer))
                return Reply(404, b"404 Not Found", [("Content-Type", "text/plain")])

            # -- authentication
            auth_res = None
            if self._auth is not None and (authz or self.auth_every_request or not conn.authenticated):
                auth_res = self._auth.verify(authz, "POST", h.path, body)
                if not auth_res.ok:
                    open_session = conn.session if conn.session and not conn.session.finished else None
                    self._recorder.record("cpe", body, open_session, name)
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
                    return Reply(401, b"Unauthorized", hdrs)
                conn.authenticated = True

            # -- which session?
            cookies = parse_cookies(cookie_header)
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
                self._recorder.record("cpe", body, None, name)
                self._line(None, "CPE -> ACS", cpe_text, cpe_details)
                if perr is not None:
                    self._line(None, "ACS -> CPE", "400 Bad Request (%s)" % perr)
                    self.errors.append("unparseable message from %s: %s" % (conn.peer, perr))
                    return Reply(400, perr.encode(), [("Content-Type", "text/plain")], close=True)
                self._line(None, "ACS -> CPE", "400 Bad Request (no session: Inform first)")
                self.errors.append("%s from %s outside a session" % (name, conn.peer))
                return Reply(400, b"Invalid session", [("Content-Type", "text/plain")], close=True)

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
            msg.file = self._recorder.record("cpe", body, s, name)
            s.messages.append(msg)
            self._line(s, "CPE -> ACS", cpe_text + ("" if cookie_ok else "  [no session cookie]"),
                       cpe_details)
            if not cookie_ok and self.require_cookie:
                s.violations.append("POST without the session cookie (%s)" % name)
                self._finish(s, "rejected")
                return self._acs_reply(s, Reply(400, b"Invalid session", [("Content-Type", "text/plain")],
                                                close=True), "400 Bad Request (invalid session: no cookie)")
            if parsed is not None:
                s.violations.extend(parsed.violations)

            if perr is not None:
                s.violations.append("unparseable message: %s" % perr)
                self.errors.append("session %d: unparseable message: %s" % (s.index, perr))
                self._finish(s, "error")
                return self._acs_reply(s, Reply(400, perr.encode(), [("Content-Type", "text/plain")],
                                                close=True), "400 Bad Request (%s)" % perr)

            if parsed is None:
                return self._on_empty(s)
            if parsed.kind == "request":
                return self._on_cpe_request(s, parsed, body)
            return self._on_response(s, parsed, body)

    # ---- session steps (called with the lock held) -----------------------------------------

    def _ns_for(self, s: Session) -> str:
        return self.cwmp_ns or s.cwmp_ns or cwmp.DEFAULT_CWMP_NS

    def _acs_reply(self, s: Optional[Session], reply: Reply, text: str, details=(),
                   name: Optional[str] = None) -> Reply:
        if s is not None:
            m = Message("acs", time.time(), name or str(reply.status), text, list(details),
                        reply.body, status=reply.status)
            if reply.body and reply.status == 200:
                m.file = self._recorder.record("acs", reply.body, s, m.name)
            s.messages.append(m)
        self._line(s, "ACS -> CPE", text, details)
        return reply

    def _soap_reply(self, s: Session, body_xml: str, cwmp_id, text: str, details=(),
                    hold: Optional[bool] = None, extra_headers=(), headers=(), name=None) -> Reply:
        env = cwmp.envelope(self._ns_for(s), body_xml, cwmp_id, True if hold else None,
                            extra_headers, self.boolean_style)
        s.hold_in_force = bool(hold)
        reply = Reply(200, env.encode("utf-8"),
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
        msg.file = self._recorder.record("cpe", body, s, "Inform")
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

    def _on_empty(self, s: Session) -> Reply:
        if s.outstanding is not None:
            s.violations.append("empty POST while %s was unanswered" % s.outstanding.method)
            s.outstanding = None
        if s.phase == "inform":
            s.violations.append("empty POST before the Inform was answered")
        if not s.hold_in_force:
            s.cpe_done = True
        return self._next_or_end(s)

    def _on_cpe_request(self, s: Session, parsed: ParsedMessage, body: bytes) -> Reply:
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

    def _on_response(self, s: Session, parsed: ParsedMessage, body: bytes) -> Reply:
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

    def _next_or_end(self, s: Session) -> Reply:
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
            reply = self._acs_reply(s, Reply(204, close=self.close_on_end), "204 (end of session)")
            self._finish(s, "done")
            return reply
        s.phase = "acs_done"
        return self._acs_reply(s, Reply(204), "204 (no more requests)")
