"""Helpers of the transfer, TLS, connection-request and notification tests (stdlib only;
pyftpdlib, Debian's python3-pyftpdlib, for the FTP server when it is installed).

    FileServer     an HTTP/HTTPS file server on loopback: files by path, optional Basic
                   auth, 404 for anything unknown, a wrong Content-Length (short body),
                   a pause in the middle of a body, PUT receiving uploads
    FtpServer      the same over FTP (pyftpdlib), when available
    Certs          a test PKI made with the openssl CLI: CA, server certificates (good,
                   expired, unknown CA, wrong host name) and a client certificate
    PipedCwmpd     a harness.Cwmpd whose log goes through a pipe that the test can fill,
                   so that cwmpd blocks at its next log line (a precise kill point)
    firmware()     an image of the simulated box (platform/sim: "EXSTB-FIRMWARE 1")
    store_transfers()  the transfer queue as cwmpd's SQLite store holds it
    transfer_completes()  every TransferComplete the ACS saw, over all sessions
"""

from __future__ import annotations

import base64
import fcntl
import os
import shutil
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from harness import Cwmpd

OPENSSL = shutil.which("openssl")

try:  # Debian: python3-pyftpdlib
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import ThreadedFTPServer
    HAVE_PYFTPDLIB = True
except ImportError:  # pragma: no cover - depends on the host
    HAVE_PYFTPDLIB = False


# --------------------------------------------------------------------------
# Files of the simulated box

def firmware(version: str, signature: str = None, magic: bool = True) -> bytes:
    """A firmware image platform/sim accepts ("EXSTB-FIRMWARE 1", "version: X"),
    signed badly with signature='bad', or without the magic line (a corrupted file)."""
    lines = (["EXSTB-FIRMWARE 1"] if magic else ["NOT-A-FIRMWARE 7"]) + ["version: %s" % version]
    if signature is not None:
        lines.append("signature: %s" % signature)
    lines.append("payload: " + "0123456789abcdef" * 64)
    return ("\n".join(lines) + "\n").encode()


def config_file(values: dict) -> bytes:
    """A vendor configuration file: "Device.X.Y = value" lines."""
    return "".join("%s = %s\n" % (k, v) for k, v in values.items()).encode()


# --------------------------------------------------------------------------
# The HTTP/HTTPS file server

class _File:
    def __init__(self, data: bytes, declared_length=None, pause_after=None, pause_count=1):
        self.data = data
        self.declared_length = declared_length
        self.pause_after = pause_after
        self.pause_count = pause_count
        self.paused = threading.Event()     # set when a GET stopped at pause_after
        self.release = threading.Event()    # set by the test to send the rest
        self.gets = 0


class _FileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "E2EFiles/1.0"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        self.request.settimeout(30)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        super().setup()

    def _record(self, status):
        fs = self.server.files
        with fs.lock:
            fs.requests.append({"method": self.command, "path": urlsplit(self.path).path, "status": status,
                                "authorization": self.headers.get("Authorization"), "time": time.time()})
            fs.cond.notify_all()

    def _plain(self, status, text, headers=()):
        body = text.encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self._record(status)

    def _authorized(self) -> bool:
        fs = self.server.files
        if fs.username is None:
            return True
        want = "Basic " + base64.b64encode(("%s:%s" % (fs.username, fs.password)).encode()).decode()
        if self.headers.get("Authorization") == want:
            return True
        # Read (and drop) a body the client sent anyway, so the connection stays usable.
        n = int(self.headers.get("Content-Length") or 0)
        if n and self.headers.get("Expect", "").lower() != "100-continue":
            self.rfile.read(n)
        self._plain(401, "Unauthorized", [("WWW-Authenticate", 'Basic realm="e2e files"')])
        return False

    def do_GET(self):
        fs = self.server.files
        if not self._authorized():
            return
        path = urlsplit(self.path).path
        with fs.lock:
            f = fs.files.get(path)
            if f is not None:
                f.gets += 1
        if f is None:
            return self._plain(404, "Not Found")
        length = f.declared_length if f.declared_length is not None else len(f.data)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        if length != len(f.data):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self._record(200)
        if self.command == "HEAD":
            return
        data = f.data
        try:
            if f.pause_after is not None and f.pause_count > 0:
                f.pause_count -= 1
                self.wfile.write(data[:f.pause_after])
                self.wfile.flush()
                f.paused.set()
                f.release.wait(60)
                data = data[f.pause_after:]
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        if length != len(f.data):
            self.close_connection = True

    do_HEAD = do_GET

    def do_PUT(self):
        fs = self.server.files
        if not self._authorized():
            return
        path = urlsplit(self.path).path
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                n = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if n == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(n))
                self.rfile.readline()
            body = b"".join(chunks)
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with fs.lock:
            fs.uploads[path] = body
        self._plain(201, "Created")

    def do_POST(self):
        self._plain(405, "Method Not Allowed", [("Allow", "GET, HEAD, PUT")])


class _FileHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self):
        sock, addr = super().get_request()
        if self.files.ssl_context is not None:
            sock = self.files.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        pass  # TLS failures and dropped clients are what some tests are about


class FileServer:
    """An HTTP (or, with ssl_context, HTTPS) file server on 127.0.0.1, ephemeral port.

    add(path, data, declared_length=N) announces N bytes (more than it sends: the body
    comes short and the connection closes); pause_after=N stops after N bytes of the
    first GET (file.paused is set) until file.release is set.  PUT stores the body in
    `uploads`.  With username/password every request needs Basic credentials."""

    def __init__(self, ssl_context: ssl.SSLContext = None, username: str = None, password: str = None,
                 host: str = "127.0.0.1"):
        self.ssl_context = ssl_context
        self.username = username
        self.password = password
        self.files = {}
        self.uploads = {}
        self.requests = []
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self._server = _FileHTTPServer((host, 0), _FileHandler)
        self._server.files = self
        self.host = host
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="e2e-files-%d" % self.port, daemon=True)
        self._thread.start()

    def add(self, path: str, data: bytes, **kw) -> _File:
        f = _File(data, **kw)
        with self.lock:
            self.files[path] = f
        return f

    def url(self, path: str) -> str:
        return "%s://%s:%d%s" % ("https" if self.ssl_context else "http", self.host, self.port, path)

    def wait_for_upload(self, path: str, timeout: float = 10.0) -> bytes:
        deadline = time.monotonic() + timeout
        with self.cond:
            while path not in self.uploads:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no upload to %s within %.1f s; requests: %s"
                                         % (path, timeout, self.requests))
                self.cond.wait(min(left, 0.2))
            return self.uploads[path]

    def stop(self):
        for f in list(self.files.values()):
            f.release.set()
        self._server.shutdown()
        self._server.server_close()


# --------------------------------------------------------------------------
# FTP (pyftpdlib)

class FtpServer:
    """An FTP server on 127.0.0.1 over a directory, one user with full rights."""

    def __init__(self, root: str, username: str = "ftpuser", password: str = "ftppass"):
        if not HAVE_PYFTPDLIB:
            raise RuntimeError("pyftpdlib is not installed (Debian: python3-pyftpdlib)")
        self.root = root
        self.username = username
        self.password = password
        authorizer = DummyAuthorizer()
        authorizer.add_user(username, password, root, perm="elradfmwMT")

        class Handler(FTPHandler):
            pass
        import logging
        ftplog = logging.getLogger("pyftpdlib")
        if not ftplog.handlers:          # pyftpdlib logs to stderr unless a handler is set
            ftplog.addHandler(logging.NullHandler())
            ftplog.propagate = False
        Handler.authorizer = authorizer
        Handler.auth_failed_timeout = 0.05   # not 3 s per refused login
        Handler.passive_ports = None
        Handler.banner = "e2e ftp"
        self._server = ThreadedFTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"timeout": 0.1, "blocking": True, "handle_exit": False},
                                        name="e2e-ftp", daemon=True)
        self._thread.start()

    def url(self, name: str) -> str:
        return "ftp://127.0.0.1:%d/%s" % (self.port, name.lstrip("/"))

    def stop(self):
        self._server.close_all()


# --------------------------------------------------------------------------
# Certificates (openssl CLI)

_REQ_CNF = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
"""

_EXT_CNF = """\
[server]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = {san}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""

_CA_CNF = """\
[ca]
default_ca = e2e
[e2e]
database = {dir}/index.txt
new_certs_dir = {dir}
serial = {dir}/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
"""


class Certs:
    """A test PKI in `dir`, made lazily with the openssl CLI (EC P-256 keys: fast).

    ca.pem (the CA cwmpd trusts), server(...) certificates signed by it, expired(),
    unknown_ca() (signed by another CA), wrong_host(), client() (clientAuth)."""

    def __init__(self, dir: str):
        if OPENSSL is None:
            raise RuntimeError("no openssl binary")
        self.dir = dir
        os.makedirs(dir, exist_ok=True)
        self._cnf = self._write("req.cnf", _REQ_CNF)
        self.ca = self._ca("ca", "cwmp e2e test CA")
        self._cache = {}

    def _write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def _run(self, *args):
        p = subprocess.run([OPENSSL, *args], cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        if p.returncode != 0:
            raise RuntimeError("openssl %s failed:\n%s" % (" ".join(args), p.stdout))

    def _key_args(self, key):
        return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key]

    def _ca(self, name, cn):
        key, pem = os.path.join(self.dir, name + ".key"), os.path.join(self.dir, name + ".pem")
        self._run("req", "-x509", "-new", *self._key_args(key), "-out", pem, "-days", "3650",
                  "-config", self._cnf, "-extensions", "v3_ca", "-subj", "/CN=" + cn)
        return pem

    def _leaf(self, name, cn, kind="server", san="IP:127.0.0.1,DNS:localhost", ca="ca", dates=None):
        if name in self._cache:
            return self._cache[name]
        key = os.path.join(self.dir, name + ".key")
        csr = os.path.join(self.dir, name + ".csr")
        pem = os.path.join(self.dir, name + ".pem")
        ext = self._write(name + ".ext", _EXT_CNF.format(san=san))
        self._run("req", "-new", *self._key_args(key), "-out", csr, "-config", self._cnf, "-subj", "/CN=" + cn)
        ca_pem, ca_key = os.path.join(self.dir, ca + ".pem"), os.path.join(self.dir, ca + ".key")
        if dates is None:
            self._run("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-set_serial",
                      str(int.from_bytes(os.urandom(8), "big")), "-days", "30", "-extfile", ext,
                      "-extensions", kind, "-out", pem)
        else:  # `openssl ca` can set both dates (x509 -req cannot, in OpenSSL 3.0)
            cadir = tempfile.mkdtemp(prefix="ca-", dir=self.dir)
            open(os.path.join(cadir, "index.txt"), "w").close()
            with open(os.path.join(cadir, "serial"), "w") as f:
                f.write("%016X\n" % int.from_bytes(os.urandom(7), "big"))
            cnf = self._write(name + ".ca.cnf", _CA_CNF.format(dir=cadir))
            self._run("ca", "-batch", "-config", cnf, "-cert", ca_pem, "-keyfile", ca_key, "-in", csr,
                      "-out", pem, "-startdate", dates[0], "-enddate", dates[1], "-extfile", ext,
                      "-extensions", kind, "-notext")
        self._cache[name] = (pem, key)
        return pem, key

    # ---- what the tests use: (certificate, key) pairs
    def server(self):
        return self._leaf("server", "127.0.0.1")

    def expired(self):
        return self._leaf("expired", "127.0.0.1", dates=("20200101000000Z", "20200201000000Z"))

    def unknown_ca(self):
        if not os.path.exists(os.path.join(self.dir, "other-ca.pem")):
            self._ca("other-ca", "some other CA")
        return self._leaf("unknown-ca", "127.0.0.1", ca="other-ca")

    def wrong_host(self):
        return self._leaf("wrong-host", "wrong.example.invalid", san="DNS:wrong.example.invalid")

    def client(self):
        return self._leaf("client", "cpe-00005E-EXS2301A7F3C", kind="client")

    def client_unknown_ca(self):
        if not os.path.exists(os.path.join(self.dir, "other-ca.pem")):
            self._ca("other-ca", "some other CA")
        return self._leaf("client-other", "cpe-00005E-EXS2301A7F3C", kind="client", ca="other-ca")

    def server_context(self, pair=None, require_client_cert: bool = False) -> ssl.SSLContext:
        cert, key = pair or self.server()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        if require_client_cert:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(self.ca)
        return ctx


# --------------------------------------------------------------------------
# cwmpd with its log through a pipe the test can fill

class PipedCwmpd(Cwmpd):
    """A harness.Cwmpd whose stdout/stderr go through a small pipe that a thread
    copies into the log file.  freeze() stops the copying and fills the pipe: the
    next line cwmpd logs blocks it (its log lines are single writes), which stops
    it at a known point in its code; thaw() lets it go on."""

    FILL = b"\x00"

    def start(self) -> "PipedCwmpd":
        assert self.proc is None or self.proc.poll() is not None, "cwmpd is running"
        self.runs += 1
        with open(self.log_path, "ab") as f:
            f.write(b"=== run %d: cwmpd -c %s (piped log) ===\n" % (self.runs, self.config.encode()))
            self._mark = f.tell()
        r, w = os.pipe()
        try:
            fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
        except (AttributeError, OSError):
            pass
        import harness
        self.proc = subprocess.Popen([harness.CWMPD, "-c", self.config], stdin=subprocess.DEVNULL,
                                     stdout=w, stderr=w)
        # freeze() fills the pipe through a write end of its own: an open file description
        # apart from cwmpd's, so that O_NONBLOCK on it leaves cwmpd's writes blocking.
        self._r = r
        self._w = os.open("/proc/self/fd/%d" % w, os.O_WRONLY | os.O_NONBLOCK)
        os.close(w)
        self._copying = threading.Event()
        self._copying.set()
        self._idle = threading.Event()
        self._stop = False
        self.returncode = None
        self.started_at = time.time()
        self._thread = threading.Thread(target=self._copy, name="cwmpd-log", daemon=True)
        self._thread.start()
        return self

    def _copy(self):
        import select
        with open(self.log_path, "ab", buffering=0) as log:
            while True:
                if not self._copying.is_set():
                    self._idle.set()
                    self._copying.wait(0.1)
                    continue
                self._idle.clear()
                ready, _, _ = select.select([self._r], [], [], 0.05)
                if ready:
                    data = os.read(self._r, 65536)
                    data = data.replace(self.FILL, b"")
                    if data:
                        log.write(data)
                    continue
                if self._stop or self.proc.poll() is not None:
                    # Whatever is left, then done.
                    os.set_blocking(self._r, False)
                    try:
                        while True:
                            data = os.read(self._r, 65536)
                            if not data:
                                break
                            log.write(data.replace(self.FILL, b""))
                    except BlockingIOError:
                        pass
                    if self._stop or self.proc.poll() is not None:
                        self._idle.set()
                        return

    def freeze(self):
        """Stops copying the log and fills the pipe."""
        self._copying.clear()
        self._idle.wait(2)
        try:
            while True:
                os.write(self._w, self.FILL * 4096)
        except BlockingIOError:
            pass
        try:
            while True:
                os.write(self._w, self.FILL)
        except BlockingIOError:
            pass

    def thaw(self):
        self._copying.set()

    def blocked_in_write(self):
        """True when cwmpd sleeps writing to a pipe (wchan pipe_write, anon_pipe_write,
        pipe_wait...), False when not, None when the kernel does not say (no wchan)."""
        try:
            with open("/proc/%d/wchan" % self.proc.pid) as f:
                wchan = f.read().strip()
            with open("/proc/%d/stat" % self.proc.pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return None
        if wchan in ("", "0"):
            return None
        return state == "S" and "pipe" in wchan

    def _close(self):
        self._stop = True
        self._copying.set()
        self._thread.join(5)
        for fd in (self._r, self._w):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._r = self._w = None

    def wait(self, timeout: float = 10.0) -> int:
        rc = super().wait(timeout)
        self._close()
        return rc

    def stop(self, timeout: float = 5.0) -> int:
        if self.proc is None:
            return None
        self.thaw()
        rc = super().stop(timeout)
        if getattr(self, "_r", None) is not None:
            self._close()
        return rc


# --------------------------------------------------------------------------
# Reading results

def store_transfers(store: str) -> list:
    """The transfers in cwmpd's store: [{field: value}] ('phase': 0 queued, 1 started,
    2 installed, 3 done)."""
    out = []
    con = sqlite3.connect("file:%s?mode=ro" % store, uri=True, timeout=5)
    try:
        for key, value in con.execute("SELECT key, value FROM kv WHERE space = 'transfer' ORDER BY key"):
            rec = {"id": key}
            for line in value.split("\n"):
                k, _, v = line.partition("=")
                if k:
                    rec[k] = v
            out.append(rec)
    finally:
        con.close()
    return out


def transfer_completes(acs) -> list:
    """Every TransferComplete the ACS received, over all sessions: [(session, exchange)]."""
    with acs._lock:
        return [(s, e) for s in acs.sessions for e in s.exchanges if e.method == "TransferComplete"]


def acknowledged_transfer_completes(acs) -> list:
    return [(s, e) for s, e in transfer_completes(acs) if e.response_name == "TransferCompleteResponse"]


_HELD = []


def closed_port() -> int:
    """A loopback port nothing listens on: bound (so that nobody else gets it while the
    process lives) but not listening, so a connection to it is refused."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    _HELD.append(s)
    return s.getsockname()[1]


# --------------------------------------------------------------------------
# Connection requests by hand (HTTP Digest, RFC 7616), for what TestACS's client
# does not do: a chosen algorithm, nonce count or nonce, replays, raw bytes.

from testacs_lib.auth import digest_response, parse_challenges  # noqa: E402


class CrReply:
    def __init__(self, status=None, headers=None, error=None, elapsed=0.0):
        self.status = status
        self.headers = headers or {}
        self.error = error
        self.elapsed = elapsed

    def header(self, name):
        return self.headers.get(name.lower())

    def challenges(self):
        return parse_challenges(self.headers.get("www-authenticate-all", []))

    def __repr__(self):
        return "<CrReply %s%s %.3fs>" % (self.status, " " + self.error if self.error else "", self.elapsed)


class CrClient:
    """Raw HTTP/1.1 to cwmpd's connection-request server (which closes every connection)."""

    def __init__(self, url: str, timeout: float = 5.0):
        u = urlsplit(url)
        self.host, self.port, self.path = u.hostname, u.port, u.path or "/"
        self.timeout = timeout

    def raw(self, data: bytes, timeout: float = None) -> CrReply:
        t0 = time.monotonic()
        try:
            with socket.create_connection((self.host, self.port), timeout=timeout or self.timeout) as s:
                s.sendall(data)
                buf = b""
                while b"\r\n\r\n" not in buf:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    buf += chunk
        except OSError as e:
            return CrReply(error="%s: %s" % (type(e).__name__, e), elapsed=time.monotonic() - t0)
        head = buf.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        lines = head.split("\r\n")
        if not lines or not lines[0].startswith("HTTP/"):
            return CrReply(error="no HTTP answer: %r" % buf[:80], elapsed=time.monotonic() - t0)
        headers = {"www-authenticate-all": []}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
            if k.strip().lower() == "www-authenticate":
                headers["www-authenticate-all"].append(v.strip())
        return CrReply(int(lines[0].split()[1]), headers, elapsed=time.monotonic() - t0)

    def request(self, method="GET", path=None, headers=()) -> CrReply:
        lines = ["%s %s HTTP/1.1" % (method, path or self.path), "Host: %s:%d" % (self.host, self.port)]
        lines += ["%s: %s" % kv for kv in headers]
        return self.raw(("\r\n".join(lines) + "\r\n\r\n").encode())

    @staticmethod
    def digest_header(challenge: dict, username, password, method="GET", uri="/", nc=1, cnonce=None,
                      algorithm=None, nonce=None, response=None) -> str:
        alg = algorithm or challenge.get("algorithm", "MD5")
        nonce = nonce or challenge["nonce"]
        cnonce = cnonce or os.urandom(8).hex()
        ncs = "%08x" % nc
        resp = response or digest_response(alg, username, challenge.get("realm", ""), password, method, uri,
                                           nonce, ncs, cnonce, "auth")
        return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=%s, response="%s", '
                'qop=auth, nc=%s, cnonce="%s"' % (username, challenge.get("realm", ""), nonce, uri, alg, resp,
                                                   ncs, cnonce))

    def challenge(self, algorithm="SHA-256") -> dict:
        """A fresh challenge (a GET without credentials) for `algorithm`."""
        r = self.request()
        if r.status != 401:
            raise AssertionError("expected 401 with a challenge, got %r" % r)
        for scheme, params in r.challenges():
            if scheme == "digest" and params.get("algorithm", "MD5").upper() == algorithm.upper():
                return params
        raise AssertionError("no Digest %s challenge in %s" % (algorithm, r.headers))

    def get(self, username, password, algorithm="SHA-256", **kw) -> CrReply:
        """A complete authenticated connection request (challenge, then answer)."""
        ch = self.challenge(algorithm)
        return self.request(headers=[("Authorization", self.digest_header(ch, username, password,
                                                                           uri=self.path, **kw))])
