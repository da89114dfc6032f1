"""What the test ACS records, and what tests read: the messages of a session
(Message), its request/answer pairs (Exchange), the session itself (Session), and
the attempts that opened none (AuthFailure, RefusedAttempt), plus the outcome of a
connection request (ConnectionRequestResult)."""

from __future__ import annotations

import collections
import time
from dataclasses import dataclass, field
from typing import Any, Optional

from . import cwmp
from .cwmp import Fault, ParsedMessage, Rpc


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
