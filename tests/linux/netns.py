"""Network namespaces, veth pairs and a loop-mounted filesystem for the Linux
board's end-to-end tests (tests/e2e/test_linux.py), and the kernel's truth
read the way an administrator would (`ip -j`, /proc, statvfs).

Everything needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN); `unavailable()` says why
a test must skip, in one clear line.
"""

from __future__ import annotations

import ctypes
import contextlib
import json
import os
import shutil
import subprocess
import uuid

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def run(*cmd: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def unavailable() -> str | None:
    """Why namespaces cannot be used here, or None."""
    if os.geteuid() != 0:
        return "needs root (network namespaces, veth pairs, a loop mount)"
    for tool in ("ip", "mkfs.ext4", "mount", "umount", "losetup"):
        if shutil.which(tool) is None:
            return "needs %s" % tool
    name = "cwmp-probe-%s" % uuid.uuid4().hex[:8]
    p = run("ip", "netns", "add", name, check=False)
    if p.returncode != 0:
        return "cannot create a network namespace: %s" % p.stderr.strip()
    run("ip", "netns", "del", name, check=False)
    return None


class NetNS:
    """A named network namespace (ip netns), loopback up; deleted by close()."""

    def __init__(self, tag: str):
        self.name = "cwmp-%s-%s" % (tag, uuid.uuid4().hex[:6])
        run("ip", "netns", "add", self.name)
        self.ip("link", "set", "lo", "up")

    def ip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run("ip", "-n", self.name, *args, check=check)

    def ip_json(self, *args: str):
        return json.loads(self.ip("-j", *args).stdout or "[]")

    def exec_prefix(self) -> list:
        return ["ip", "netns", "exec", self.name]

    def run(self, *cmd: str, check: bool = True) -> subprocess.CompletedProcess:
        return run(*self.exec_prefix(), *cmd, check=check)

    @contextlib.contextmanager
    def entered(self):
        """This thread inside the namespace (sockets made meanwhile stay in it)."""
        with open("/proc/thread-self/ns/net") as home, open("/run/netns/" + self.name) as ns:
            if _libc.setns(ns.fileno(), CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns " + self.name)
            try:
                yield
            finally:
                if _libc.setns(home.fileno(), CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns back")

    def send_udp(self, address: str, count: int, size: int = 200, port: int = 9):
        """`count` datagrams from this namespace (the port is closed: each also
        brings an ICMP port unreachable back)."""
        import socket
        with self.entered():
            with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_DGRAM) as s:
                for _ in range(count):
                    s.sendto(b"x" * size, (address, port))

    # ---- the kernel's truth -------------------------------------------------------

    def links(self) -> dict:
        """name -> `ip -j -s link` entry (stats64 included)."""
        return {l["ifname"]: l for l in self.ip_json("-s", "link", "show")}

    def addresses(self) -> dict:
        """name -> `ip -j addr` entry."""
        return {l["ifname"]: l for l in self.ip_json("addr", "show")}

    def close(self):
        run("ip", "netns", "del", self.name, check=False)
        shutil.rmtree("/etc/netns/" + self.name, ignore_errors=True)


class LoopFS:
    """An ext4 image loop-mounted on a directory; unmounted by close()."""

    def __init__(self, directory: str, size_mib: int = 64):
        self.image = os.path.join(directory, "fs.img")
        self.mount_point = os.path.join(directory, "mnt")
        os.makedirs(self.mount_point)
        with open(self.image, "wb") as f:
            f.truncate(size_mib << 20)
        run("mkfs.ext4", "-q", "-F", self.image)
        self.device = run("losetup", "--find", "--show", self.image).stdout.strip()
        try:
            run("mount", self.device, self.mount_point)
        except subprocess.CalledProcessError:
            run("losetup", "-d", self.device, check=False)
            raise

    def df(self) -> tuple:
        """(capacity MiB, used MiB) from `df -B1`'s bytes, rounded down to whole MiB
        (TR-140 counts MiB; `df -m` itself would round up)."""
        out = run("df", "-B1", "--output=size,used", self.mount_point).stdout.split("\n")[1].split()
        return int(out[0]) >> 20, int(out[1]) >> 20

    def close(self):
        run("umount", "-l", self.mount_point, check=False)
        run("losetup", "-d", self.device, check=False)


def proc_uptime() -> int:
    with open("/proc/uptime") as f:
        return int(float(f.read().split()[0]))


def meminfo() -> dict:
    out = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = int(v.split()[0])
    return out


def os_release() -> dict:
    out = {}
    for path in ("/etc/os-release", "/usr/lib/os-release"):
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    k, _, v = line.strip().partition("=")
                    if k and not k.startswith("#"):
                        out[k] = v.strip("\"'")
            break
    return out


def local_time_zone() -> str:
    """The POSIX TZ footer of /etc/localtime (UTC0 without one)."""
    try:
        with open("/etc/localtime", "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return "UTC0"
    return data.rstrip(b"\n").rsplit(b"\n", 1)[1].decode()


def prefix_to_mask(n: int) -> str:
    bits = (0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF if n else 0
    return ".".join(str((bits >> s) & 255) for s in (24, 16, 8, 0))
