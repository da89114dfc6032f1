"""The FTP server of the diagnostics tests (ftp_server.py, pyftpdlib) as a
child process with a root of test files; the python that has pyftpdlib."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def ftp_python():
    """A python with pyftpdlib (Debian's python3-pyftpdlib; tools/setup installs it), or None."""
    for exe in (sys.executable, "/usr/bin/python3"):
        if os.access(exe, os.X_OK) and subprocess.run([exe, "-c", "import pyftpdlib"],
                                                      stderr=subprocess.DEVNULL).returncode == 0:
            return exe
    return None


class FtpServer:
    """ftp_server.py serving `base`/root (files: name -> size, sparse), in a
    namespace when `prefix` says so; stop() ends it."""

    def __init__(self, base: str, files: dict, port: int = 0, addresses=(), prefix=()):
        exe = ftp_python()
        if exe is None:
            raise RuntimeError("no python with pyftpdlib (apt-get install python3-pyftpdlib)")
        self.root = os.path.join(base, "root")
        os.makedirs(os.path.join(self.root, "sub"), exist_ok=True)
        for name, size in files.items():
            with open(os.path.join(self.root, name), "wb") as f:
                f.truncate(size)
        self.log = os.path.join(base, "stored.log")
        self.proc = subprocess.Popen(list(prefix) + [exe, os.path.join(HERE, "ftp_server.py"), self.root, str(port)]
                                     + list(addresses), stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "ready":
            self.stop()
            raise RuntimeError("the FTP server did not start")
        self.port = int(line[1])

    def stored(self) -> list:
        """(name, size) of every STOR so far."""
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return [(n, int(s)) for n, s in (line.split() for line in f)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
