"""Long transfers off the session path (issue 14, Concurrency): a download that trickles
for many seconds leaves cwmpd answering connection requests (a session with
GetParameterValues and SetParameterValues opens within a second), firing its timers and
obeying SIGTERM within a second; a stall ends a transfer with 9010/9011 while a slow but
moving one has no total-time limit; at most transfer_max_concurrent transfers move at once;
and a transfer cut off by SIGTERM or kill -9 ends in exactly one TransferComplete after the
restart.  The file server is started by the test and sends its bytes as slowly as asked."""

import os
import random
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from harness import EXIT_OK, MS, Cwmpd, GetParameterValues, ScheduleInform
from support_files import acknowledged_transfer_completes, store_transfers, transfer_completes
from test_transfers import CONFIG, CR_PASSWORD, CR_USER, TC, TransferCase
from testacs_lib.cwmp import Download, GetQueuedTransfers, SetParameterValues, Upload

PHASE_STARTED = "1"
PROVISIONING = "Device.DeviceInfo.ProvisioningCode"


def padded_config(value: str, size: int) -> bytes:
    """A vendor configuration file of about `size` bytes: comment lines, then one setting."""
    line = b"# padding to make the file long enough to take a while\n"
    body = line * max(0, (size - 64) // len(line))
    return body + ("%s = %s\n" % (PROVISIONING, value)).encode()


class _SlowFile:
    def __init__(self, data: bytes, chunk: int, interval: float, stall_after=None):
        self.data = data
        self.chunk = chunk                # bytes per write while trickling
        self.interval = interval          # seconds between writes
        self.stall_after = stall_after    # send this much, then nothing until `fast`
        self.fast = threading.Event()     # set: send the rest at once
        self.gets = 0
        self.sent = 0                     # bytes of the latest GET so far
        self.first_byte_at = None         # of the latest GET
        self.last_byte_at = None
        self.finished = False             # the latest GET sent everything
        self.closed = threading.Event()   # the latest GET's connection is over (client gone or all sent)


class _SlowHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        srv = self.server.slow
        f = srv.files.get(urlsplit(self.path).path)
        if f is None:
            self.send_error(404)
            return
        with srv.lock:
            f.gets += 1
            f.sent, f.finished, f.first_byte_at = 0, False, None
            f.closed.clear()
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(f.data)))
            self.end_headers()
            while f.sent < len(f.data):
                if f.fast.is_set():
                    chunk = f.data[f.sent:]
                elif f.stall_after is not None and f.sent >= f.stall_after:
                    f.fast.wait(0.05)
                    if self._client_gone():
                        return
                    continue
                else:
                    time.sleep(f.interval)
                    chunk = f.data[f.sent:f.sent + f.chunk]
                self.wfile.write(chunk)
                self.wfile.flush()
                now = time.time()
                with srv.lock:
                    f.sent += len(chunk)
                    f.first_byte_at = f.first_byte_at or now
                    f.last_byte_at = now
            f.finished = True
        except OSError:
            self.close_connection = True
        finally:
            with srv.lock:
                srv.active -= 1
            f.closed.set()

    def _client_gone(self) -> bool:
        """True when the peer closed its end (a read would return EOF at once)."""
        r, _, _ = select.select([self.connection], [], [], 0)
        if not r:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def do_PUT(self):
        """Reads nothing and answers nothing until the path is released: an upload that stalls."""
        srv = self.server.slow
        path = urlsplit(self.path).path
        release = srv.black_holes.get(path)
        if release is None:
            n = int(self.headers.get("Content-Length") or 0)
            srv.uploads[path] = self.rfile.read(n)
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with srv.lock:
            srv.puts_held += 1
        release.wait(60)
        n = int(self.headers.get("Content-Length") or 0)
        srv.uploads[path] = self.rfile.read(n)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


class SlowFileServer:
    """An HTTP file server on 127.0.0.1 that trickles: add(path, data, chunk, interval)
    sends `chunk` bytes every `interval` s (stall_after=N: N bytes, then nothing) until
    the file's `fast` event is set; counts the GETs moving at once (max_active).  A PUT
    to a path given to black_hole() is held unread and unanswered until released."""

    def __init__(self):
        self.files = {}
        self.black_holes = {}
        self.uploads = {}
        self.active = 0
        self.max_active = 0
        self.puts_held = 0
        self.lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _SlowHandler)
        self._server.slow = self
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def add(self, path, data, chunk=256, interval=0.1, stall_after=None) -> _SlowFile:
        f = _SlowFile(data, chunk, interval, stall_after)
        self.files[path] = f
        return f

    def black_hole(self, path) -> threading.Event:
        self.black_holes[path] = threading.Event()
        return self.black_holes[path]

    def url(self, path) -> str:
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self):
        for f in self.files.values():
            f.fast.set()
        for e in self.black_holes.values():
            e.set()
        self._server.shutdown()
        self._server.server_close()


class ConcurrencyCase(TransferCase):
    def setUp(self):
        super().setUp()
        self.slow = SlowFileServer()
        self.addCleanup(self.slow.stop)

    def cr_reaction(self, acs) -> tuple:
        """A connection request; (seconds from sending it to the Inform's arrival, the session)."""
        acs.wait_for(lambda: all(s.finished for s in acs.sessions), 10, "the end of the running session")
        n = len(acs.sessions)
        t0 = time.time()
        r = acs.connection_request(None, CR_USER, CR_PASSWORD)
        self.assertTrue(r.ok, r)
        acs.wait_for(lambda: len(acs.sessions) > n, 15, "the connection-request session")
        s = acs.sessions[n]
        return s.started_at - t0, s

    def assertOneSessionAtATime(self, acs):
        spans = sorted((s.started_at, s.ended_at or time.time(), s.index) for s in acs.sessions)
        for (a0, a1, ia), (b0, _b1, ib) in zip(spans, spans[1:]):
            self.assertLessEqual(a1, b0 + 0.05, "sessions %d and %d overlap" % (ia, ib))

    def session_with(self, acs, event, timeout=10):
        """The first finished session whose Inform carried `event`."""
        return acs.wait_for(lambda: next((s for s in acs.sessions if tuple(event) in
                                          [tuple(e) for e in s.events] and s.finished), None),
                            timeout, "a session with %s" % (event,))

    def figure(self, text):
        print("\n  figure: " + text, file=sys.stderr)


class Responsiveness(ConcurrencyCase):
    def test_connection_request_and_timer_during_long_download(self):
        """A vendor configuration file that trickles for ~15 s: meanwhile a ScheduleInform
        timer opens its session, and a connection request opens a session within a second of
        an idle agent's reaction, in which the ACS reads and sets parameters and sees the
        download InProgress; the download is still moving then.  Released, it completes: one
        TransferComplete 0, the file applied, no session overlapping another."""
        data = padded_config("after-slow-download", 40_000)
        f = self.slow.add("/slow.cfg", data, chunk=256, interval=0.1)   # ~2.5 KB/s: ~16 s
        acs, cpe = self.start()
        acs.wait_for_session(10)
        idle, s_idle = self.cr_reaction(acs)
        acs.wait_for(lambda: s_idle.finished, 10, "the idle agent's connection-request session")
        acs.queue(Download(self.slow.url("/slow.cfg"), CONFIG, key="slow", file_size=len(data)),
                  ScheduleInform(2, "during"))
        reaction_queue, s_queue = self.cr_reaction(acs)
        acs.wait_for(lambda: s_queue.finished, 10, "the session that queued the download")
        self.assertOk(s_queue.find("Download"))
        self.wait_until(lambda: f.sent > 0, 10, "the download's first bytes")
        # The timer's session, while bytes still trickle.
        s_timer = self.session_with(acs, ("3 SCHEDULED", ""))
        self.assertEvents(s_timer, [("3 SCHEDULED", ""), ("M ScheduleInform", "during")])
        self.assertLess(f.sent, len(data), "the download ended before the ScheduleInform session")
        # The connection request's session, the download still moving.
        acs.queue(GetParameterValues([PROVISIONING, MS + "PeriodicInformInterval"]),
                  SetParameterValues({MS + "PeriodicInformInterval": 7777}),
                  GetQueuedTransfers())
        sent_before = f.sent
        reaction, s_cr = self.cr_reaction(acs)
        acs.wait_for(lambda: s_cr.finished, 10, "the connection-request session")
        moving = not f.closed.is_set() and f.sent < len(data)
        self.figure("connection request -> Inform: %.3f s during a download (idle agent: %.3f s)"
                    % (reaction, idle))
        self.assertDone(s_cr)
        self.assertTrue(moving, "the download was over by the end of the session (%d of %d bytes)"
                        % (f.sent, len(data)))
        self.wait_until(lambda: f.sent > sent_before, 5, "more bytes of the download after the session")
        # A busy machine may hold any process back for a moment: up to two more tries, each
        # while the download still moves, and the best counts (a blocked agent fails them all).
        reactions = [reaction]
        while reactions[-1] >= idle + 1.0 and len(reactions) < 3:
            r, s = self.cr_reaction(acs)
            acs.wait_for(lambda: s.finished, 10, "the connection-request session")
            self.assertTrue(not f.closed.is_set() and f.sent < len(data), "the download ended meanwhile")
            reactions.append(r)
        self.assertLess(min(reactions), idle + 1.0,
                        "a connection request during a download took %s s to open its session "
                        "(idle agent: %.2f s)" % (["%.2f" % r for r in reactions], idle))
        self.assertEqual(self.value(s_cr.find("GetParameterValues"), PROVISIONING), "",
                         "the configuration file was applied before it had arrived")
        spv = s_cr.find("SetParameterValues")
        self.assertOk(spv)
        self.assertEqual(spv.response.get("Status"), "0")
        queued = s_cr.find("GetQueuedTransfers")
        self.assertOk(queued)
        self.assertEqual(queued.response.get("TransferList"), [{"CommandKey": "slow", "State": "2"}])
        # Let it finish: one TransferComplete, the file applied.
        f.fast.set()
        acs.on_inform = lambda s: [GetParameterValues([PROVISIONING, MS + "PeriodicInformInterval"])] \
            if TC in s.events else None
        s_tc = self.session_with(acs, TC, 15)
        self.assertOneTransferComplete(acs, "slow", 0)
        self.assertEqual(self.value(s_tc.find("GetParameterValues"), PROVISIONING), "after-slow-download")
        self.assertEqual(self.value(s_tc.find("GetParameterValues"), MS + "PeriodicInformInterval"), "7777")
        self.assertEqual(f.gets, 1)
        self.assertOneSessionAtATime(acs)
        self.no_more_transfer_completes(acs, cpe, 1)
        self.assertEqual(cpe.stop(), EXIT_OK)
        self.assertProtocolClean(acs)


class Stall(ConcurrencyCase):
    def test_stall_fails_and_slow_transfer_has_no_total_limit(self):
        """transfer_stall_time = 2 s: a download that trickles 64 bytes every 0.33 s for about
        7 s (the stall window three times over) succeeds; one that sends 1000 bytes and then
        nothing fails with 9010, an upload the server neither reads nor answers with 9011,
        each FaultString naming the stall; all three moving at once (transfer_max_concurrent 3)
        and reported in one session."""
        trickle = padded_config("trickled", 1300)
        t = self.slow.add("/trickle.cfg", trickle, chunk=64, interval=0.33)
        st = self.slow.add("/stall.cfg", padded_config("never", 4000), chunk=1000, interval=0.01, stall_after=1000)
        self.slow.black_hole("/up/hole.log")
        # Not 1 s: libcurl's first speed sample reads 0 bytes/s, and its next comes a second later.
        acs, cpe = self.start(run=False, transfer_stall_time=2, transfer_max_concurrent=3)
        acs.queue(Download(self.slow.url("/trickle.cfg"), CONFIG, key="trickle", file_size=len(trickle)),
                  Download(self.slow.url("/stall.cfg"), CONFIG, key="stall"),
                  Upload(self.slow.url("/up/hole.log"), "2 Vendor Log File", key="up-stall"))
        acs.on_inform = lambda s: [GetParameterValues([PROVISIONING])] if TC in s.events else None
        cpe.start()
        acs.wait_for(lambda: len(acknowledged_transfer_completes(acs)) >= 3, 30, "three TransferCompletes")
        s_ok, _ = self.assertOneTransferComplete(acs, "trickle", 0)
        s_st, tc_st = self.assertOneTransferComplete(acs, "stall", 9010)
        s_up, tc_up = self.assertOneTransferComplete(acs, "up-stall", 9011, "M Upload")
        self.assertEqual(tc_st["string"], "Download failure: the transfer stalled: less than 1 bytes/s for 2 s, "
                                          "after 1000 bytes")
        self.assertRegex(tc_up["string"], r"^Upload failure: the transfer stalled: less than 1 bytes/s for 2 s, "
                                          r"after \d+ bytes$")
        self.assertEqual(s_ok.index, s_st.index, "one session reports what finished together")
        self.assertEqual(s_ok.index, s_up.index)
        took = t.last_byte_at - t.first_byte_at
        self.figure("trickled download took %.1f s with a 2 s stall window" % took)
        self.assertTrue(t.finished)
        self.assertGreater(took, 6.0, "the trickle should outlast the stall window three times")
        self.assertEqual(self.value(s_ok.find("GetParameterValues"), PROVISIONING), "trickled")
        self.assertEqual((t.gets, st.gets), (1, 1))
        self.assertEqual(os.listdir(self.staging), [], "staged files were left behind")
        self.assertIn("transfer stalled", cpe.log())
        self.assertEqual(cpe.stop(), EXIT_OK)


class Limit(ConcurrencyCase):
    def test_at_most_max_concurrent_transfers(self):
        """transfer_max_concurrent = 2 and three trickling downloads: two move and the third
        waits (GetQueuedTransfers: State 2, 2, 1; the server never sees more than two GETs at
        once); when one ends the third starts; in the end one TransferComplete 0 each, all in
        one session, one session at a time."""
        data = {k: padded_config("limit-" + k, 30_000) for k in ("a", "b", "c")}
        files = {k: self.slow.add("/%s.cfg" % k, d, chunk=256, interval=0.1) for k, d in data.items()}
        acs, cpe = self.start(run=False, transfer_max_concurrent=2)
        acs.queue(*[Download(self.slow.url("/%s.cfg" % k), CONFIG, key=k, file_size=len(d)) for k, d in data.items()])
        cpe.start()
        acs.wait_for_session(10)
        self.wait_until(lambda: self.slow.active == 2, 10, "two downloads moving")
        acs.queue(GetQueuedTransfers())
        _r, s_cr = self.cr_reaction(acs)
        acs.wait_for(lambda: s_cr.finished, 10, "the connection-request session")
        queued = s_cr.find("GetQueuedTransfers")
        self.assertOk(queued)
        self.assertEqual(queued.response.get("TransferList"),
                         [{"CommandKey": "a", "State": "2"}, {"CommandKey": "b", "State": "2"},
                          {"CommandKey": "c", "State": "1"}])
        self.assertEqual(files["c"].gets, 0, "the third download started beyond the limit")
        files["a"].fast.set()
        self.wait_until(lambda: files["c"].gets == 1 and files["c"].sent > 0, 10, "the third download's start")
        self.assertEqual(self.slow.max_active, 2)
        files["b"].fast.set()
        files["c"].fast.set()
        acs.wait_for(lambda: len(acknowledged_transfer_completes(acs)) >= 3, 15, "three TransferCompletes")
        sessions = {self.assertOneTransferComplete(acs, k, 0)[0].index for k in data}
        self.assertEqual(len(sessions), 1, "TransferCompletes spread over sessions %s" % sessions)
        self.assertEqual(self.slow.max_active, 2)
        self.assertEqual([f.gets for f in files.values()], [1, 1, 1])
        self.assertOneSessionAtATime(acs)
        self.no_more_transfer_completes(acs, cpe, 3)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Interrupted(ConcurrencyCase):
    def test_sigterm_during_transfers(self):
        """SIGTERM while a download trickles and an upload waits for its answer: cwmpd exits 0
        within a second (on top of what an idle cwmpd takes to exit), both transfers stay in
        the store as started; restarted (the server now fast and answering), each ends in
        exactly one TransferComplete 0."""
        data = padded_config("after-sigterm", 40_000)
        f = self.slow.add("/long.cfg", data, chunk=256, interval=0.1)
        self.slow.black_hole("/up/held.log")
        acs, cpe = self.start(transfer_max_concurrent=2)
        acs.wait_for_session(10)
        t0 = time.monotonic()
        cpe.signal(signal.SIGTERM)
        self.assertEqual(cpe.wait(5), EXIT_OK)
        idle_exit = time.monotonic() - t0
        acs.queue(Download(self.slow.url("/long.cfg"), CONFIG, key="dl", file_size=len(data)),
                  Upload(self.slow.url("/up/held.log"), "2 Vendor Log File", key="up"))
        cpe.start()
        acs.wait_for_session(10)
        self.wait_until(lambda: f.sent > 0 and self.slow.puts_held == 1, 10, "both transfers moving")
        t0 = time.monotonic()
        cpe.signal(signal.SIGTERM)
        self.assertEqual(cpe.wait(5), EXIT_OK)
        took = time.monotonic() - t0
        self.figure("SIGTERM -> exit: %.3f s during two transfers (idle: %.3f s)" % (took, idle_exit))
        self.assertLess(took, 1.0 + idle_exit, "SIGTERM during transfers took %.2f s" % took)
        self.assertTrue(f.closed.wait(5), "the download's connection stayed open after cwmpd exited")
        self.assertLess(f.sent, len(data))
        self.assertEqual([t.get("phase") for t in store_transfers(self.store)], [PHASE_STARTED, PHASE_STARTED])
        self.assertEqual(os.listdir(self.staging), [], "a staged file was left behind")
        self.assertEqual(transfer_completes(acs), [])
        f.fast.set()
        self.slow.black_holes.pop("/up/held.log").set()
        cpe.start()
        acs.wait_for(lambda: len(acknowledged_transfer_completes(acs)) >= 2, 15, "two TransferCompletes")
        self.assertOneTransferComplete(acs, "dl", 0)
        self.assertOneTransferComplete(acs, "up", 0, "M Upload")
        self.assertEqual(f.gets, 2)
        self.assertIn(b"EXSTB-4K log", self.slow.uploads["/up/held.log"])
        self.no_more_transfer_completes(acs, cpe, 2)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_kill9_during_long_download(self):
        """kill -9 while a download trickles: the store says started; restarted, cwmpd
        fetches it again and reports it once (TransferComplete 0, the file applied)."""
        data = padded_config("after-kill9", 40_000)
        f = self.slow.add("/long.cfg", data, chunk=256, interval=0.1)
        acs, cpe = self.start(run=False)
        acs.queue(Download(self.slow.url("/long.cfg"), CONFIG, key="k9", file_size=len(data)))
        cpe.start()
        acs.wait_for_session(10)
        self.wait_until(lambda: f.sent > 0, 10, "the download's first bytes")
        cpe.proc.kill()
        cpe.wait(5)
        self.assertTrue(f.closed.wait(5), "the download's connection stayed open after the kill")
        self.assertEqual([t.get("phase") for t in store_transfers(self.store)], [PHASE_STARTED])
        f.fast.set()
        acs.on_inform = lambda s: [GetParameterValues([PROVISIONING])] if TC in s.events else None
        cpe.start()
        acs.wait_for(lambda: acknowledged_transfer_completes(acs), 15, "the TransferComplete")
        s, _tc = self.assertOneTransferComplete(acs, "k9", 0)
        self.assertEqual(self.value(s.find("GetParameterValues"), PROVISIONING), "after-kill9")
        self.assertEqual(f.gets, 2)
        self.no_more_transfer_completes(acs, cpe, 1)
        self.assertEqual(cpe.stop(), EXIT_OK)


class FakeDns:
    """A name server on UDP ADDRESS:53 that swallows every query until `answer` is set;
    then it answers A queries with 127.0.0.1 and others with no record."""

    def __init__(self):
        # A loopback address of its own (127.0.0.0/8 is all local): two tests at once do not collide.
        for _ in range(20):
            self.address = "127.0.%d.%d" % (random.randint(1, 254), random.randint(2, 254))
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                self.sock.bind((self.address, 53))
                break
            except OSError:
                self.sock.close()
        else:
            raise OSError("no free loopback address for a name server")
        self.sock.settimeout(0.1)
        self.answer = threading.Event()
        self.queries = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(512)
            except socket.timeout:
                continue
            except OSError:
                return
            self.queries += 1
            if not self.answer.is_set() or len(data) < 17:
                continue
            end = 12
            while end < len(data) and data[end] != 0:
                end += data[end] + 1
            question = data[12:end + 5]
            qtype = struct.unpack("!H", data[end + 1:end + 3])[0]
            a = qtype == 1
            header = data[:2] + struct.pack("!HHHHH", 0x8180, 1, 1 if a else 0, 0, 0)
            answer = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton("127.0.0.1") if a else b""
            self.sock.sendto(header + question + answer, peer)

    def stop(self):
        self._stop.set()
        self.sock.close()


def _can_unshare_mounts() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind /etc/hostname /etc/hostname"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


class Resolving(ConcurrencyCase):
    def test_sigterm_and_connection_request_while_a_name_resolves(self):
        """A download from a host whose name server does not answer (cwmpd in a mount
        namespace whose resolv.conf names a silent UDP socket of the test, timeout 30 s):
        the lookup does not hold the agent: a connection request opens its session, and
        SIGTERM ends cwmpd within a second (on top of an idle cwmpd's exit).  Restarted with
        the name server answering, the download ends in exactly one TransferComplete 0."""
        if not _can_unshare_mounts():
            self.skipTest("needs root and unshare -m with mount --bind (a private resolv.conf for cwmpd)")
        dns = FakeDns()
        self.addCleanup(dns.stop)
        resolv = os.path.join(self.dir, "resolv.conf")
        with open(resolv, "w") as f:
            f.write("nameserver %s\noptions timeout:30 attempts:1\n" % dns.address)
        data = padded_config("via-named-host", 2000)
        self.slow.add("/named.cfg", data, chunk=len(data), interval=0)
        d = {MS + "ConnectionRequestUsername": CR_USER, MS + "ConnectionRequestPassword": CR_PASSWORD}
        acs, conf = self.setup_cpe(staging_dir=self.staging, defaults=d)
        cpe = Cwmpd(conf, os.path.join(self.dir, "cwmpd-1.log"),
                    prefix=["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolv])
        self.daemons.append(cpe)
        cpe.start()
        acs.wait_for_session(10)
        t0 = time.monotonic()
        cpe.signal(signal.SIGTERM)
        self.assertEqual(cpe.wait(5), EXIT_OK)
        idle_exit = time.monotonic() - t0
        url = "http://files.e2e.test:%d/named.cfg" % self.slow.port
        acs.queue(Download(url, CONFIG, key="named", file_size=len(data)))
        cpe.start()
        acs.wait_for_session(10)
        self.wait_until(lambda: dns.queries > 0, 10, "cwmpd's query for files.e2e.test")
        reaction, s = self.cr_reaction(acs)
        acs.wait_for(lambda: s.finished, 10, "the connection-request session")
        self.assertDone(s)
        self.assertLess(reaction, 2.0, "a connection request waited %.2f s for a name lookup" % reaction)
        t0 = time.monotonic()
        cpe.signal(signal.SIGTERM)
        self.assertEqual(cpe.wait(5), EXIT_OK)
        took = time.monotonic() - t0
        self.figure("SIGTERM -> exit: %.3f s while a name resolves (idle: %.3f s); connection request -> "
                    "Inform %.3f s meanwhile" % (took, idle_exit, reaction))
        self.assertLess(took, 1.0 + idle_exit, "SIGTERM while a name resolved took %.2f s" % took)
        self.assertEqual([t.get("phase") for t in store_transfers(self.store)], [PHASE_STARTED])
        self.assertEqual(transfer_completes(acs), [])
        dns.answer.set()
        acs.on_inform = lambda s: [GetParameterValues([PROVISIONING])] if TC in s.events else None
        cpe.start()
        acs.wait_for(lambda: acknowledged_transfer_completes(acs), 15, "the TransferComplete")
        s, _tc = self.assertOneTransferComplete(acs, "named", 0)
        self.assertEqual(self.value(s.find("GetParameterValues"), PROVISIONING), "via-named-host")
        self.no_more_transfer_completes(acs, cpe, 1)
        self.assertEqual(cpe.stop(), EXIT_OK)
