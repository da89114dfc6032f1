"""HTTP authentication for the test ACS: Basic and Digest (RFC 7617, RFC 7616 / 2617),
both as a server (verifying a CPE's POSTs) and as a client (connection requests).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

HASHES = {
    "MD5": hashlib.md5,
    "SHA-256": hashlib.sha256,
    "SHA-512-256": lambda b=b"": hashlib.new("sha512_256", b),
}


def _h(algorithm: str, data: str) -> str:
    base = algorithm[:-5] if algorithm.upper().endswith("-SESS") else algorithm
    fn = HASHES[base.upper()] if base.upper() in HASHES else None
    if fn is None:
        raise ValueError("unsupported digest algorithm %r" % algorithm)
    return fn(data.encode("utf-8")).hexdigest()


def digest_response(algorithm: str, username: str, realm: str, password: str, method: str,
                    uri: str, nonce: str, nc: Optional[str] = None, cnonce: Optional[str] = None,
                    qop: Optional[str] = None, body: bytes = b"") -> str:
    """The request-digest of RFC 7616 section 3.4.1 (RFC 2069 form without qop)."""
    algorithm = algorithm or "MD5"
    ha1 = _h(algorithm, "%s:%s:%s" % (username, realm, password))
    if algorithm.upper().endswith("-SESS"):
        ha1 = _h(algorithm, "%s:%s:%s" % (ha1, nonce, cnonce or ""))
    if qop == "auth-int":
        base = algorithm[:-5] if algorithm.upper().endswith("-SESS") else algorithm
        body_hash = HASHES[base.upper()](body).hexdigest()
        ha2 = _h(algorithm, "%s:%s:%s" % (method, uri, body_hash))
    else:
        ha2 = _h(algorithm, "%s:%s" % (method, uri))
    if qop:
        return _h(algorithm, "%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, ha2))
    return _h(algorithm, "%s:%s:%s" % (ha1, nonce, ha2))


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PARAM = re.compile(r'\s*(%s)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)\s*(?:,|$)' % _TOKEN)


def parse_params(s: str) -> dict:
    """auth-param list 'a=b, c="d, e"' -> {'a': 'b', 'c': 'd, e'} (names lower-cased)."""
    out = {}
    pos = 0
    s = s.strip()
    while pos < len(s):
        m = _PARAM.match(s, pos)
        if not m:
            break
        v = m.group(2)
        if v.startswith('"'):
            v = re.sub(r"\\(.)", r"\1", v[1:-1])
        out[m.group(1).lower()] = v
        pos = m.end()
    return out


def parse_challenges(values) -> list:
    """WWW-Authenticate header values (one or several; a value may hold several
    challenges) -> [(scheme_lowercase, {param: value})]."""
    out = []
    for value in values:
        rest = value.strip()
        while rest:
            m = re.match(r"\s*,?\s*(%s)(?:\s+|$)" % _TOKEN, rest)
            if not m:
                break
            scheme = m.group(1).lower()
            rest = rest[m.end():]
            params = {}
            while True:
                pm = _PARAM.match(rest)
                if not pm:
                    break
                v = pm.group(2)
                if v.startswith('"'):
                    v = re.sub(r"\\(.)", r"\1", v[1:-1])
                params[pm.group(1).lower()] = v
                rest = rest[pm.end():]
            out.append((scheme, params))
    return out


def parse_authorization(value: Optional[str]):
    """'Digest a=b, ...' -> ('digest', {...}); 'Basic xxx' -> ('basic', {'username', 'password'})."""
    if not value:
        return None, {}
    scheme, _, rest = value.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        try:
            user, _, pw = base64.b64decode(rest.strip(), validate=True).decode("utf-8").partition(":")
        except Exception:
            return "basic", {"error": "undecodable Basic credentials"}
        return "basic", {"username": user, "password": pw}
    return scheme, parse_params(rest)


@dataclass
class AuthResult:
    ok: bool
    scheme: Optional[str] = None
    username: Optional[str] = None
    reason: str = ""
    algorithm: Optional[str] = None
    qop: Optional[str] = None
    stale: bool = False


@dataclass
class _Nonce:
    issued: float
    nc_seen: set = field(default_factory=set)
    max_nc: int = 0


class ServerAuth:
    """Verifies Authorization headers for one mode ('basic' or 'digest') and makes the
    WWW-Authenticate challenges. Digest offers each of `algorithms` (most preferred
    first: RFC 7616 section 3.7) with qop="auth", an opaque value, and nonces valid for
    `nonce_lifetime` seconds whose nc must increase (replays are refused)."""

    def __init__(self, mode: str, username: str, password: str, realm: str = "TestACS",
                 algorithms=("SHA-256", "MD5"), qop=("auth",), nonce_lifetime: float = 600.0):
        if mode not in ("basic", "digest"):
            raise ValueError("auth must be None, 'basic' or 'digest'")
        self.mode = mode
        self.username = username
        self.password = password
        self.realm = realm
        self.algorithms = list(algorithms)
        self.qop = list(qop)
        self.nonce_lifetime = nonce_lifetime
        self.opaque = os.urandom(8).hex()
        self._nonces = {}
        self._lock = threading.Lock()

    def challenges(self, stale: bool = False) -> list:
        """WWW-Authenticate header values for a 401."""
        if self.mode == "basic":
            return ['Basic realm="%s", charset="UTF-8"' % self.realm]
        nonce = os.urandom(16).hex()
        with self._lock:
            self._nonces[nonce] = _Nonce(time.time())
        out = []
        for alg in self.algorithms:
            out.append('Digest realm="%s", qop="%s", algorithm=%s, nonce="%s", opaque="%s"%s'
                       % (self.realm, ",".join(self.qop), alg, nonce, self.opaque,
                          ", stale=true" if stale else ""))
        return out

    def verify(self, header: Optional[str], method: str, path: str, body: bytes) -> AuthResult:
        scheme, p = parse_authorization(header)
        if scheme is None:
            return AuthResult(False, None, reason="no credentials")
        if scheme != self.mode:
            return AuthResult(False, scheme, p.get("username"),
                              "%s credentials where %s is required" % (scheme, self.mode))
        if scheme == "basic":
            if "error" in p:
                return AuthResult(False, scheme, None, p["error"])
            if p["username"] != self.username:
                return AuthResult(False, scheme, p["username"], "unknown user")
            if p["password"] != self.password:
                return AuthResult(False, scheme, p["username"], "wrong password")
            return AuthResult(True, scheme, p["username"])
        # Digest
        user = p.get("username")
        alg = p.get("algorithm", "MD5")
        qop = p.get("qop")
        res = AuthResult(False, "digest", user, algorithm=alg, qop=qop)
        for k in ("username", "realm", "nonce", "uri", "response"):
            if k not in p:
                res.reason = "digest credentials without %s" % k
                return res
        if p.get("userhash", "false").lower() == "true":
            res.reason = "userhash is not supported"
            return res
        if user != self.username:
            res.reason = "unknown user %r" % user
            return res
        if p["realm"] != self.realm:
            res.reason = "realm %r, expected %r" % (p["realm"], self.realm)
            return res
        if not any(alg.lower() == a.lower() for a in self.algorithms):
            res.reason = "algorithm %s was not offered" % alg
            return res
        if p.get("opaque", self.opaque) != self.opaque:
            res.reason = "opaque does not match"
            return res
        uri = p["uri"]
        if uri != path and re.sub(r"^[a-z]+://[^/]*", "", uri) != path:
            res.reason = "uri %r does not match the request %r" % (uri, path)
            return res
        if qop is None:
            res.reason = "no qop (RFC 2069 digest) although qop was offered"
            return res
        if qop not in self.qop:
            res.reason = "qop %s was not offered" % qop
            return res
        if "nc" not in p or "cnonce" not in p:
            res.reason = "qop without nc or cnonce"
            return res
        try:
            nc = int(p["nc"], 16)
        except ValueError:
            res.reason = "nc %r is not hexadecimal" % p["nc"]
            return res
        try:
            expected = digest_response(alg, self.username, self.realm, self.password, method,
                                       uri, p["nonce"], p["nc"], p["cnonce"], qop, body)
        except ValueError as e:
            res.reason = str(e)
            return res
        if expected != p["response"].lower():
            res.reason = "wrong digest response (password?)"
            return res
        with self._lock:
            n = self._nonces.get(p["nonce"])
            if n is None:
                res.reason = "unknown nonce"
                res.stale = True
                return res
            if time.time() - n.issued > self.nonce_lifetime:
                res.reason = "nonce expired"
                res.stale = True
                return res
            if nc in n.nc_seen:
                res.reason = "nonce count %s replayed" % p["nc"]
                return res
            n.nc_seen.add(nc)
            n.max_nc = max(n.max_nc, nc)
        res.ok = True
        return res


# --------------------------------------------------------------------------
# Client side (connection requests)

_ALG_PREFERENCE = ["SHA-512-256", "SHA-256", "SHA-256-sess", "MD5", "MD5-sess"]


def authorization_for(challenges: list, username: str, password: str, method: str, uri: str,
                      body: bytes = b"", nc: int = 1):
    """Builds an Authorization header answering the best challenge offered.
    Returns (header, scheme, algorithm) or (None, None, None)."""
    digests = [(s, p) for s, p in challenges if s == "digest"]
    if digests:
        def rank(ch):
            a = ch[1].get("algorithm", "MD5")
            for i, name in enumerate(_ALG_PREFERENCE):
                if a.lower() == name.lower():
                    return i
            return 99
        scheme, p = sorted(digests, key=rank)[0]
        alg = p.get("algorithm", "MD5")
        if rank((scheme, p)) == 99:
            return None, None, None
        qops = [q.strip() for q in p.get("qop", "").split(",") if q.strip()]
        qop = "auth" if "auth" in qops else ("auth-int" if "auth-int" in qops else None)
        cnonce = os.urandom(8).hex()
        ncs = "%08x" % nc
        resp = digest_response(alg, username, p.get("realm", ""), password, method, uri,
                               p.get("nonce", ""), ncs, cnonce, qop, body)
        parts = ['username="%s"' % username, 'realm="%s"' % p.get("realm", ""),
                 'nonce="%s"' % p.get("nonce", ""), 'uri="%s"' % uri, "algorithm=%s" % alg,
                 'response="%s"' % resp]
        if qop:
            parts += ["qop=%s" % qop, "nc=%s" % ncs, 'cnonce="%s"' % cnonce]
        if "opaque" in p:
            parts.append('opaque="%s"' % p["opaque"])
        return "Digest " + ", ".join(parts), "digest", alg
    if any(s == "basic" for s, _ in challenges):
        token = base64.b64encode(("%s:%s" % (username, password)).encode("utf-8")).decode("ascii")
        return "Basic " + token, "basic", None
    return None, None, None
