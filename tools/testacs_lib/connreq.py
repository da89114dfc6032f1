"""The test ACS's connection-request client (TR-069 section 3.2.2): an HTTP GET to
the CPE's ConnectionRequestURL, answering a Digest or Basic challenge once."""

from __future__ import annotations

import http.client
import ssl
import time
from typing import Optional
from urllib.parse import urlsplit

from .auth import authorization_for, parse_challenges
from .records import ConnectionRequestResult


def connection_request(url: str, username: Optional[str], password: Optional[str], timeout: float,
                       ssl_context: Optional[ssl.SSLContext]) -> ConnectionRequestResult:
    """Sends the GET; with a username, answers a 401's challenge (on a new connection
    when the CPE closed this one). Network errors land in the result's error."""
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
