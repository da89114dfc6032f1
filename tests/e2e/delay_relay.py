#!/usr/bin/env python3
"""A delay for the path through a router namespace (the kernel here has no
netem): policy routing sends every forwarded packet into a TUN device; this
relay reads it, holds it DELAY ms and writes it back, and the kernel forwards
it on.  The TTL / hop limit is raised by one on the way back, so that the
second pass through the router's forwarding costs no hop (traceroute sees the
router once).

    delay_relay.py TUN DELAY_MS      (run inside the router's namespace; prints "ready")
"""

import collections
import fcntl
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454ca
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000


def checksum(header: bytes) -> int:
    s = sum(struct.unpack("!%dH" % (len(header) // 2), header))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def one_more_hop(p: bytearray) -> bytearray:
    if p and p[0] >> 4 == 4 and len(p) >= 20:
        ihl = (p[0] & 0x0f) * 4
        p[8] = min(255, p[8] + 1)
        p[10:12] = b"\0\0"
        p[10:12] = struct.pack("!H", checksum(bytes(p[:ihl])))
    elif p and p[0] >> 4 == 6 and len(p) >= 40:
        p[7] = min(255, p[7] + 1)
    return p


def main():
    name, delay = sys.argv[1], float(sys.argv[2]) / 1000
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    print("ready", flush=True)
    held = collections.deque()  # (due, packet): one delay for all, so FIFO
    while True:
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        r, _, _ = select.select([fd], [], [], timeout)
        now = time.monotonic()
        if r:
            for _ in range(64):  # drain what is there
                try:
                    held.append((now + delay, one_more_hop(bytearray(os.read(fd, 65536)))))
                except BlockingIOError:
                    break
                if not select.select([fd], [], [], 0)[0]:
                    break
        while held and held[0][0] <= now:
            try:
                os.write(fd, held.popleft()[1])
            except OSError:
                pass


if __name__ == "__main__":
    main()
