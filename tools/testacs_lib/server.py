"""The test ACS's HTTP layer: a threading HTTP/1.1 server (HTTPS with an SSL
context) that hands every POST to the ACS and writes its Reply back, the reading
of a request body (Content-Length or chunked, gzip or deflate), and the parsing of
the Cookie header. It knows nothing of CWMP: the sessions are the ACS's business.

The application (TestACS) given to Server provides:

    idle_timeout, ssl_context          read as each connection opens
    _conn_opened(handler) -> Conn      a connection was accepted
    _conn_closed(conn)                 it closed
    _process_post(handler) -> Reply    the answer to a POST; None drops the
                                       connection unanswered; may raise HttpError
    _note_error(text, quiet=False)     an error to record
"""

from __future__ import annotations

import re
import socket
import socketserver
import ssl
import sys
import traceback
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

MAX_BODY = 32 * 1024 * 1024


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: list = field(default_factory=list)
    close: bool = False
    reason: Optional[str] = None


class Conn:
    """One TCP connection, and what the ACS knows of it."""
    _ids = 0

    def __init__(self, peer: str, sock):
        Conn._ids += 1
        self.id = Conn._ids
        self.peer = peer
        self.sock = sock
        self.authenticated = False
        self.challenges = 0
        self.session = None


class HttpError(Exception):
    """A request answered with an HTTP error status (and the connection closed)."""
    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.status = status
        self.text = text


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestACS/1.0"
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def setup(self):
        app = self.server.app
        self.request.settimeout(app.idle_timeout)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()
        self.conn = app._conn_opened(self)

    def finish(self):
        try:
            super().finish()
        finally:
            conn = getattr(self, "conn", None)
            if conn is not None:
                self.server.app._conn_closed(conn)

    def do_POST(self):
        app = self.server.app
        try:
            reply = app._process_post(self)
        except HttpError as e:
            app._note_error("%s from %s: %s" % (e.status, self.conn.peer, e.text))
            reply = Reply(e.status, e.text.encode(), [("Content-Type", "text/plain")], close=True)
        except Exception as e:   # never let the server thread die
            app._note_error("internal error: %r\n%s" % (e, traceback.format_exc()))
            reply = Reply(500, b"internal error", [("Content-Type", "text/plain")], close=True)
        if reply is None:     # 'reset': drop the connection without answering
            self.close_connection = True
            try:
                self.request.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        try:
            send_reply(self, reply)
        except OSError as e:
            app._note_error("sending to %s: %s" % (self.conn.peer, e), quiet=True)
            self.close_connection = True

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


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, app):
        self.app = app
        self.address_family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        super().__init__(addr, Handler)

    def server_bind(self):
        # HTTPServer.server_bind would resolve the host name (getfqdn): skip that.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def get_request(self):
        sock, addr = super().get_request()
        if self.app.ssl_context is not None:
            sock = self.app.ssl_context.wrap_socket(sock, server_side=True,
                                                    do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout, ssl.SSLError, OSError)):
            self.app._note_error("connection from %s: %s" % (client_address[0], exc), quiet=True)
        else:
            self.app._note_error("handler error from %s: %r" % (client_address[0], exc))


def parse_cookies(header: Optional[str]) -> dict:
    out = {}
    for name, value in re.findall(r'\s*([^=;,\s]+)\s*=\s*"?([^";,]*)"?', header or ""):
        if not name.startswith("$"):
            out.setdefault(name, value)
    return out


def read_body(h) -> bytes:
    """The body of the request `h` (a Handler), decoded. Raises HttpError."""
    te = (h.headers.get("Transfer-Encoding") or "").lower()
    if "chunked" in te:
        chunks, total = [], 0
        while True:
            line = h.rfile.readline(1024)
            if not line:
                raise HttpError(400, "truncated chunked body")
            try:
                n = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise HttpError(400, "bad chunk size") from None
            if n == 0:
                while h.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass
                break
            total += n
            if total > MAX_BODY:
                raise HttpError(413, "body too large")
            chunks.append(h.rfile.read(n))
            h.rfile.readline(8)
        body = b"".join(chunks)
    else:
        cl = h.headers.get("Content-Length")
        try:
            n = int(cl) if cl is not None else 0
        except ValueError:
            raise HttpError(400, "bad Content-Length") from None
        if n < 0 or n > MAX_BODY:
            raise HttpError(413 if n > 0 else 400, "bad Content-Length")
        body = h.rfile.read(n) if n else b""
        if len(body) != n:
            raise HttpError(400, "truncated body")
    enc = (h.headers.get("Content-Encoding") or "").lower().strip()
    if enc and enc != "identity" and body:
        try:
            if enc in ("gzip", "x-gzip"):
                body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
            elif enc == "deflate":
                body = zlib.decompress(body)
            else:
                raise HttpError(415, "unsupported Content-Encoding %s" % enc)
        except zlib.error:
            raise HttpError(400, "undecodable %s body" % enc) from None
    return body


def send_reply(h, reply: Reply):
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
