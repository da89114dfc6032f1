"""prosody (Debian's XMPP server) in a temp dir on loopback, for the XMPP tests, and a
minimal XMPP client (SASL PLAIN, resource binding) that plays the ACS's side of TR-069
Annex K: it sends the connection-request IQ and reads the CPE's answer."""

import base64
import os
import re
import shutil
import socket
import subprocess
import time

from harness import free_port

DOMAIN = "xmpp.test"
CONNREQ_NS = "urn:broadband-forum-org:cwmp:xmppConnReq-1-0"


def unavailable():
    for tool in ("prosody", "openssl"):
        if shutil.which(tool) is None:
            return "needs %s (tools/setup installs prosody)" % tool
    return None


class Prosody:
    def __init__(self, directory, accounts):
        self.dir = os.path.join(directory, "prosody")
        os.makedirs(os.path.join(self.dir, "data", DOMAIN.replace(".", "%2e"), "accounts"))
        self.port = free_port()
        self.cert = os.path.join(self.dir, "cert.pem")
        key = os.path.join(self.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=" + DOMAIN, "-addext", "subjectAltName=DNS:" + DOMAIN,
                        "-keyout", key, "-out", self.cert], check=True, capture_output=True)
        for user, password in accounts.items():
            with open(os.path.join(self.dir, "data", DOMAIN.replace(".", "%2e"), "accounts", user + ".dat"), "w") as f:
                f.write('return {\n\t["password"] = "%s";\n};\n' % password)
        self.log = os.path.join(self.dir, "prosody.log")
        self.config = os.path.join(self.dir, "prosody.cfg.lua")
        with open(self.config, "w") as f:
            f.write("""
pidfile = "{d}/prosody.pid"
data_path = "{d}/data"
run_as_root = true
log = {{ info = "{d}/prosody.log" }}
c2s_ports = {{ {port} }}
c2s_interfaces = {{ "127.0.0.1" }}
s2s_ports = {{ }}
http_ports = {{ }}
https_ports = {{ }}
c2s_direct_tls_ports = {{ }}
modules_enabled = {{ "roster", "saslauth", "tls", "disco", "ping", "presence" }}
modules_disabled = {{ "s2s", "posix" }}
authentication = "internal_plain"
allow_unencrypted_plain_auth = true
c2s_require_encryption = false
certificates = "{d}"
ssl = {{ key = "{key}", certificate = "{cert}" }}
VirtualHost "{domain}"
""".format(d=self.dir, port=self.port, key=key, cert=self.cert, domain=DOMAIN))
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["prosody", "--config", self.config, "-F"], stdout=open(self.log + ".out", "ab"),
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("prosody exited: %s" % self.output())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("prosody did not listen: %s" % self.output())
                time.sleep(0.1)

    def output(self):
        text = ""
        for p in (self.log + ".out", self.log):
            if os.path.exists(p):
                text += open(p, errors="replace").read()[-3000:]
        return text

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class AcsXmpp:
    """The ACS's XMPP client: logs in with SASL PLAIN (no TLS: loopback), binds a resource."""

    def __init__(self, port, user, password, resource="acs"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = ""
        self._open()
        self._read_until("</stream:features>")
        auth = base64.b64encode(("\0%s\0%s" % (user, password)).encode()).decode()
        self._send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>" % auth)
        got = self._read_until(r"<(success|failure)")
        if "success" not in got:
            raise RuntimeError("ACS login failed: %s" % got)
        self.buf = ""
        self._open()
        self._read_until("</stream:features>")
        self._send("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                   "<resource>%s</resource></bind></iq>" % resource)
        m = re.search(r"<jid>([^<]+)</jid>", self._read_until(r"</iq>"))
        self.jid = m.group(1)
        self.n = 0

    def _open(self):
        self._send("<?xml version='1.0'?><stream:stream to='%s' xmlns='jabber:client' "
                   "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>" % DOMAIN)

    def _send(self, text):
        self.sock.sendall(text.encode())

    def _read_until(self, pattern, timeout=10):
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.buf):
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                raise TimeoutError("no %r from the XMPP server; got %r" % (pattern, self.buf[-500:]))
            if not data:
                raise ConnectionError("XMPP server closed; got %r" % self.buf[-500:])
            self.buf += data.decode(errors="replace")
        return self.buf

    def connection_request(self, to, username, password):
        """Sends the Annex K IQ; returns ('result', None) or ('error', condition)."""
        self.n += 1
        iq_id = "cr%d" % self.n
        self.buf = ""
        self._send("<iq type='get' id='%s' to='%s'><connectionRequest xmlns='%s'><username>%s</username>"
                   "<password>%s</password></connectionRequest></iq>" % (iq_id, to, CONNREQ_NS, username, password))
        text = self._read_until(r"<iq[^>]*id=.%s.[^>]*(/>|>.*?</iq>)" % iq_id)
        m = re.search(r"<iq[^>]*id=.%s.[^>]*(/>|>.*?</iq>)" % iq_id, text, re.S)
        stanza = m.group(0)
        kind = re.search(r"type=.(\w+).", stanza).group(1)
        cond = re.search(r"<([a-z-]+) xmlns=.urn:ietf:params:xml:ns:xmpp-stanzas.", stanza)
        return kind, (cond.group(1) if cond else None)

    def close(self):
        try:
            self._send("</stream:stream>")
        except OSError:
            pass
        self.sock.close()
