#!/usr/bin/python3
"""An FTP server for the diagnostics tests (pyftpdlib, Debian's python3-pyftpdlib).

    ftp_server.py ROOT PORT [ADDRESS...]

Serves ROOT on PORT of each ADDRESS (default ::, IPv4 too where the kernel maps it), passive mode only,
and prints "ready PORT" once listening (PORT 0: a free one).  Users:
  anonymous        read-only (STOR refused: 550)
  user / pass      read and write
  nouser           refused at USER (530): a failed password request
  nopasv / pass    PASV and EPSV refused (502)
  notype / pass    TYPE refused (504)
  no226 / pass     after a STOR's data, 451 instead of 226 (no transfer complete)
  hang / pass      after the data, no 226 at all (the client waits for it);
                   ROOT/../hang.log gets "226 withheld" when that wait begins,
                   "closed" when the client's control connection goes
Each STOR's size is logged to ROOT/../stored.log ("NAME SIZE" lines).
A process of its own (support_files.FtpServer is a thread of the test): it runs
in the server's network namespace and refuses each FTP step on demand."""

import logging
import os
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer


def main():
    root, port = sys.argv[1], int(sys.argv[2])
    addresses = sys.argv[3:] or ["::"]
    log = os.path.join(os.path.dirname(os.path.abspath(root)), "stored.log")
    auth = DummyAuthorizer()
    auth.add_anonymous(root)
    for name in ("user", "nopasv", "notype", "no226", "hang"):
        auth.add_user(name, "pass", root, perm="elradfmw")

    class Handler(FTPHandler):
        authorizer = auth
        permit_foreign_addresses = False
        banner = "test ftp server ready"
        auth_failed_timeout = 0.05  # a refused login answered at once, not after 3 s

        def ftp_USER(self, line):
            if line == "nouser":
                self.respond("530 This user may not log in.")
                return
            super().ftp_USER(line)

        def ftp_PASV(self, line):
            if self.username == "nopasv":
                self.respond("502 Passive mode not offered.")
                return
            super().ftp_PASV(line)

        def ftp_EPSV(self, line):
            if self.username == "nopasv":
                self.respond("502 Passive mode not offered.")
                return
            super().ftp_EPSV(line)

        def ftp_TYPE(self, line):
            if self.username == "notype":
                self.respond("504 No transfer type offered.")
                return
            super().ftp_TYPE(line)

        def respond(self, resp, *a, **k):
            if self.username == "no226" and resp.startswith("226"):
                resp = "451 Local error: the file was not stored."
            if self.username == "hang" and resp.startswith("226"):
                with open(os.path.join(os.path.dirname(log), "hang.log"), "a") as f:
                    f.write("226 withheld\n")
                return
            super().respond(resp, *a, **k)

        def on_disconnect(self):
            if self.username == "hang":
                with open(os.path.join(os.path.dirname(log), "hang.log"), "a") as f:
                    f.write("closed\n")

        def on_file_received(self, file):
            with open(log, "a") as f:
                f.write("%s %d\n" % (os.path.basename(file), os.path.getsize(file)))

        def on_incomplete_file_received(self, file):
            self.on_file_received(file)

    logging.getLogger("pyftpdlib").addHandler(logging.NullHandler())
    logging.getLogger("pyftpdlib").propagate = False
    ioloop = IOLoop()
    servers = [FTPServer((a, port), Handler, ioloop=ioloop) for a in addresses]
    print("ready %d" % servers[0].socket.getsockname()[1], flush=True)
    try:
        ioloop.loop(timeout=1.0, blocking=True)
    finally:
        for s in servers:
            s.close_all()


if __name__ == "__main__":
    main()
