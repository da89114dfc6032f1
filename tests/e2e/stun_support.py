"""An independent STUN (RFC 5389) Binding server for the tests, written from the RFC
(not from cwmpd's code), and the ACS's side of TR-069 Annex G UDP connection requests.

StunServer answers Binding Requests with XOR-MAPPED-ADDRESS (the source address, or
the mapping a test dictates), records every request with its attributes, and can ask
for credentials (401) and check MESSAGE-INTEGRITY (short-term: HMAC-SHA1 keyed with
the password)."""

import hashlib
import hmac
import ipaddress
import os
import socket
import struct
import threading
import time
import urllib.parse

COOKIE = 0x2112A442
CONNECTION_REQUEST_BINDING, BINDING_CHANGE = 0xC001, 0xC002
USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, XOR_MAPPED_ADDRESS = 0x0006, 0x0008, 0x0009, 0x0020


def parse_attributes(body: bytes):
    """[(type, value, offset of the attribute in the message)]"""
    out, at = [], 0
    while at + 4 <= len(body):
        t, n = struct.unpack_from("!HH", body, at)
        out.append((t, body[at + 4:at + 4 + n], 20 + at))
        at += 4 + n + (-n % 4)
    return out


class Request:
    def __init__(self, t, source, data):
        self.time, self.source, self.data = t, source, data
        self.type, self.length, self.cookie = struct.unpack_from("!HHI", data, 0)
        self.tid = data[8:20]
        self.attrs = parse_attributes(data[20:])
        self.types = [a[0] for a in self.attrs]

    def attr(self, t):
        return next((v for a, v, _ in self.attrs if a == t), None)

    def integrity_ok(self, password: str) -> bool:
        for t, v, off in self.attrs:
            if t == MESSAGE_INTEGRITY:
                covered = bytearray(self.data[:off])
                struct.pack_into("!H", covered, 2, off - 20 + 24)
                return hmac.compare_digest(hmac.new(password.encode(), bytes(covered), hashlib.sha1).digest(), v)
        return False


def xor_address(host: str, port: int, tid: bytes) -> bytes:
    ip = ipaddress.ip_address(host)
    xport = port ^ (COOKIE >> 16)
    raw = ip.packed
    key = struct.pack("!I", COOKIE) + tid
    x = bytes(b ^ key[i] for i, b in enumerate(raw))
    return struct.pack("!BBH", 0, 1 if ip.version == 4 else 2, xport) + x


def message(mtype: int, tid: bytes, attrs) -> bytes:
    body = b""
    for t, v in attrs:
        body += struct.pack("!HH", t, len(v)) + v + b"\0" * (-len(v) % 4)
    return struct.pack("!HHI", mtype, len(body), COOKIE) + tid + body


class StunServer:
    def __init__(self, host="127.0.0.1", credentials=None):
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.credentials = credentials  # (username, password): 401 until a request is signed with them
        self.mapping = None             # (host, port) to answer instead of the source address
        self.requests = []
        self.answered = 0
        self._stop = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop:
            try:
                data, src = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            except OSError:
                return
            if len(data) < 20 or data[0] & 0xC0:
                continue
            r = Request(time.time(), src, data)
            with self._lock:
                self.requests.append(r)
            if r.type != 0x0001:
                continue
            if self.credentials and not (r.attr(USERNAME) == self.credentials[0].encode()
                                         and r.integrity_ok(self.credentials[1])):
                err = struct.pack("!HBB", 0, 4, 1) + b"Unauthorized"
                self.sock.sendto(message(0x0111, r.tid, [(ERROR_CODE, err)]), src)
                continue
            host, port = self.mapping or src[:2]
            self.sock.sendto(message(0x0101, r.tid, [(XOR_MAPPED_ADDRESS, xor_address(host, port, r.tid))]), src)
            with self._lock:
                self.answered += 1

    def snapshot(self):
        with self._lock:
            return list(self.requests)

    def close(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def udp_connection_request(host: str, port: int, username: str, password: str, ts=None, rid=None, cn=None,
                           sig=None) -> bytes:
    """One Annex G UDP connection request datagram."""
    ts = str(int(time.time()) if ts is None else ts)
    rid = rid or os.urandom(6).hex()
    cn = cn or os.urandom(8).hex()
    if sig is None:
        sig = hmac.new(password.encode(), (ts + rid + username + cn).encode(), hashlib.sha1).hexdigest()
    q = urllib.parse.urlencode({"ts": ts, "id": rid, "un": username, "cn": cn, "sig": sig})
    authority = "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)
    return ("GET http://%s?%s HTTP/1.1\r\nHost: %s\r\n\r\n" % (authority, q, authority)).encode()
