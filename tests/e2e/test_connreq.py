"""Connection requests (TR-069 3.2.2): an HTTP GET on ConnectionRequestURL, authenticated
with Digest (RFC 7616), makes cwmpd open a session with 6 CONNECTION REQUEST; anything
else is refused without a session, and no flood stalls or stops the daemon."""

import collections
import concurrent.futures
import os
import re
import socket
import sys
import time
import unittest

from harness import EXIT_OK, MS, E2ECase, ScheduleInform
from support_files import CrClient

USER, PASSWORD = "cr-e2e-user", "cr-e2e-secret"
CR = ("6 CONNECTION REQUEST", "")


class ConnReqCase(E2ECase):
    def start(self, rate=None, defaults=None):
        """ACS and cwmpd with connection-request credentials; returns (acs, cpe, client),
        once the bootstrap session has ended.  The client talks to the URL the Inform
        advertised."""
        d = {MS + "ConnectionRequestUsername": USER, MS + "ConnectionRequestPassword": PASSWORD}
        d.update(defaults or {})
        keys = {} if rate is None else {"connection_request_rate": rate}
        acs, conf = self.setup_cpe(defaults=d, **keys)
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        url = s1.parameters[MS + "ConnectionRequestURL"][0]
        m = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/cr", url)
        self.assertTrue(m and int(m.group(1)) > 0, "ConnectionRequestURL %r: not the bound port" % url)
        self.url = url
        return acs, cpe, CrClient(url)

    def cr_sessions(self, acs):
        with acs._lock:
            return [s for s in acs.sessions if CR in s.events]

    def assertNoNewSession(self, acs, n, wait=0.7):
        time.sleep(wait)
        self.assertEqual(len(acs.sessions), n, "a refused connection request opened a session")


class Basics(ConnReqCase):
    def test_good_request_opens_session(self):
        """A Digest-authenticated GET (SHA-256, then MD5) is answered 200 and a session
        with exactly 6 CONNECTION REQUEST starts within a second."""
        acs, cpe, cr = self.start()
        for i, alg in enumerate(("SHA-256", "MD5")):
            with self.subTest(alg):
                n = len(acs.sessions)
                t0 = time.time()
                r = cr.get(USER, PASSWORD, algorithm=alg)
                self.assertIn(r.status, (200, 204), r)
                acs.wait_for(lambda: len(acs.sessions) > n and acs.sessions[n].finished, 5, "CR session")
                s = acs.sessions[n]
                self.assertDone(s)
                self.assertEvents(s, [CR])
                self.assertLess(s.started_at - t0, 1.0, "the session started %.2f s after the request"
                                % (s.started_at - t0))
        # TestACS's own client (it picks SHA-256) agrees.
        r = acs.connection_request(self.url, USER, PASSWORD)
        self.assertTrue(r.ok, r)
        self.assertEqual(r.auth, "digest")
        acs.wait_for(lambda: len(acs.sessions) == 4 and acs.sessions[3].finished, 5, "third CR session")
        self.assertEvents(acs.sessions[3], [CR])
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_refused_requests(self):
        """No credentials: 401 with Digest challenges (qop auth, SHA-256 and MD5); wrong
        password or user name: 401; right credentials sent with Basic: 401 (TR-069 needs
        Digest); POST: 405 (Allow: GET); another path: 404; a malformed request line: 400.
        None of them opens a session."""
        acs, cpe, cr = self.start()
        n = len(acs.sessions)
        r = cr.request()
        self.assertEqual(r.status, 401, r)
        chals = r.challenges()
        self.assertTrue(chals, r.headers)
        self.assertTrue(all(s == "digest" for s, _ in chals), chals)
        self.assertEqual({p.get("algorithm") for _, p in chals}, {"SHA-256", "MD5"})
        for _, p in chals:
            self.assertIn("auth", [q.strip() for q in p.get("qop", "").split(",")])
            self.assertTrue(p.get("nonce") and p.get("realm"))
        self.assertEqual(cr.get(USER, "wrong-password").status, 401)
        self.assertEqual(cr.get("someone-else", PASSWORD).status, 401)
        self.assertEqual(cr.get(USER, "wrong-password", algorithm="MD5").status, 401)
        import base64
        basic = "Basic " + base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode()).decode()
        self.assertEqual(cr.request(headers=[("Authorization", basic)]).status, 401)
        post = cr.request("POST")
        self.assertEqual(post.status, 405, post)
        self.assertIn("GET", post.header("allow") or "")
        self.assertEqual(cr.request("PUT").status, 405)
        self.assertEqual(cr.request(path="/other").status, 404)
        self.assertEqual(cr.request(path="/cr/more").status, 404)
        self.assertEqual(cr.raw(b"NONSENSE\r\n\r\n").status, 400)
        self.assertNoNewSession(acs, n)
        # ... and a good one still works.
        self.assertEqual(cr.get(USER, PASSWORD).status, 200)
        acs.wait_for(lambda: len(acs.sessions) > n, 5, "CR session")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_nonce_replay_and_forgery(self):
        """RFC 7616: a nonce the server never issued (forged, or an issued one altered) and
        a replayed nonce count are refused with 401, no session; the same nonce with a
        higher count is a new, valid request; a digest for another URI is refused."""
        acs, cpe, cr = self.start()
        n = len(acs.sessions)
        ch = cr.challenge("SHA-256")
        first = cr.digest_header(ch, USER, PASSWORD, uri=cr.path, nc=1)
        self.assertEqual(cr.request(headers=[("Authorization", first)]).status, 200)
        acs.wait_for(lambda: len(acs.sessions) == n + 1 and acs.sessions[n].finished, 5, "CR session")
        n += 1
        with self.subTest("replay: same nonce, same nc"):
            self.assertEqual(cr.request(headers=[("Authorization", first)]).status, 401)
        with self.subTest("replay: same nonce, lower nc"):
            lower = cr.digest_header(ch, USER, PASSWORD, uri=cr.path, nc=1, cnonce="abcdef0123")
            self.assertEqual(cr.request(headers=[("Authorization", lower)]).status, 401)
        with self.subTest("forged nonce"):
            fake = "%d.%d-%s" % (int(time.time()), 1, "0" * 32)
            h = cr.digest_header(ch, USER, PASSWORD, uri=cr.path, nonce=fake)
            self.assertEqual(cr.request(headers=[("Authorization", h)]).status, 401)
        with self.subTest("issued nonce with its time changed"):
            stamp, _, mac = ch["nonce"].partition("-")
            t, _, serial = stamp.partition(".")
            altered = "%d.%s-%s" % (int(t) + 1, serial, mac)
            h = cr.digest_header(ch, USER, PASSWORD, uri=cr.path, nonce=altered)
            self.assertEqual(cr.request(headers=[("Authorization", h)]).status, 401)
        with self.subTest("digest computed for another URI"):
            h = cr.digest_header(cr.challenge("MD5"), USER, PASSWORD, uri="/elsewhere")
            self.assertEqual(cr.request(headers=[("Authorization", h)]).status, 401)
        self.assertNoNewSession(acs, n)
        with self.subTest("same nonce, next nc: valid"):
            nxt = cr.digest_header(ch, USER, PASSWORD, uri=cr.path, nc=2)
            self.assertEqual(cr.request(headers=[("Authorization", nxt)]).status, 200)
            acs.wait_for(lambda: len(acs.sessions) == n + 1, 5, "CR session")
        self.assertEqual(cpe.stop(), EXIT_OK)


class Flood(ConnReqCase):
    RATE = 5

    def slow_clients(self, cr, n):
        """n connections that send half a request line and then nothing."""
        socks = []
        for _ in range(n):
            s = socket.create_connection((cr.host, cr.port), timeout=5)
            s.sendall(b"GET /cr HTTP/1.1\r\nHost: x")
            socks.append(s)
        return socks

    def test_rate_limit(self):
        """connection_request_rate 5: of 12 good requests in a row, 5 are accepted (200),
        the others refused with 503 and Retry-After; at most 5 sessions with
        6 CONNECTION REQUEST."""
        acs, cpe, cr = self.start(rate=self.RATE)
        replies = [cr.get(USER, PASSWORD) for _ in range(12)]
        statuses = [r.status for r in replies]
        self.assertEqual(statuses.count(200), self.RATE, statuses)
        self.assertEqual(statuses.count(503), 12 - self.RATE, statuses)
        self.assertTrue(all(r.header("retry-after") for r in replies if r.status == 503))
        time.sleep(1.0)
        acs.wait_for(lambda: all(s.finished for s in acs.sessions), 10, "sessions to end")
        n_cr = len(self.cr_sessions(acs))
        self.assertGreaterEqual(n_cr, 1)
        self.assertLessEqual(n_cr, self.RATE)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_flood(self):
        """200 requests from 32 parallel clients (good ones, no credentials, wrong
        passwords, garbage, oversized, wrong method and path) while 16 clients hold
        connections with half a request: cwmpd does not crash, accepts at most
        connection_request_rate (5) requests, opens at most 5 connection-request
        sessions, answers every request, drops the slow clients, and its other work goes
        on (a ScheduleInform queued before the flood comes on time)."""
        acs, cpe, cr = self.start(rate=self.RATE)
        acs.queue(ScheduleInform(4, "during-flood"))
        slow = self.slow_clients(cr, 16)
        t_flood = time.time()
        kinds = ["good", "none", "wrong", "garbage", "big", "post", "path", "good-md5"]

        def one(i):
            k = kinds[i % len(kinds)]
            c = CrClient(self.url, timeout=15)
            if k == "good":
                return k, c.get(USER, PASSWORD)
            if k == "good-md5":
                return k, c.get(USER, PASSWORD, algorithm="MD5")
            if k == "none":
                return k, c.request()
            if k == "wrong":
                return k, c.get(USER, "nope-%d" % i)
            if k == "garbage":
                return k, c.raw(bytes(range(256)) * 3 + b"\r\n\r\n")
            if k == "big":
                return k, c.raw(b"GET /cr HTTP/1.1\r\nX-Pad: " + b"a" * 20000 + b"\r\n\r\n")
            if k == "post":
                return k, c.request("POST")
            return k, c.request(path="/nope")

        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            results = list(pool.map(one, range(200)))
        t_done = time.time()
        self.assertTrue(cpe.running(), "cwmpd died in the flood (%s)" % cpe.proc.poll())
        by_kind = {}
        for k, r in results:
            by_kind.setdefault(k, []).append(r.status if r.status is not None else r.error)
        summary = {k: sorted(map(str, v)) for k, v in by_kind.items()}
        ok = [r for k, r in results if r.status == 200]
        self.assertLessEqual(len(ok), self.RATE, summary)
        self.assertGreaterEqual(len(ok), 1, summary)
        # Every request got an HTTP answer (the good ones' challenge came too: get() raises otherwise).
        self.assertEqual([(k, r) for k, r in results if r.status is None and k != "big"], [], summary)
        for k in ("none", "wrong"):
            self.assertEqual(set(by_kind[k]), {401}, summary)
        self.assertTrue(set(by_kind["post"]) <= {405}, summary)
        self.assertTrue(set(by_kind["path"]) <= {404}, summary)
        self.assertTrue(set(by_kind["garbage"]) <= {400, 404, 405}, summary)
        self.assertTrue(set(by_kind["big"]) <= {431, "ConnectionResetError: [Errno 104] Connection reset by peer",
                                                "BrokenPipeError: [Errno 32] Broken pipe"}, summary)
        # The slow clients are answered 408 or dropped, within the server's client timeout.
        for s in slow:
            s.settimeout(8)
            try:
                data = s.recv(200)
            except OSError as e:
                data = repr(e).encode()
            finally:
                s.close()
            self.assertTrue(data == b"" or data.startswith(b"HTTP/1.1 408"), data)
        # The daemon's own work went on: the scheduled Inform (queued for the first
        # connection-request session) came about 4 s after it was asked for.
        sched = acs.wait_for(lambda: [s for s in acs.sessions if ("M ScheduleInform", "during-flood") in s.events],
                             15, "the ScheduleInform session")[0]
        asked = [s for s in acs.sessions if s.find("ScheduleInform")][0].find("ScheduleInform").answered_at
        self.assertLess(sched.started_at - asked, 4 + 1.5, "the scheduled Inform came late")
        acs.wait_for(lambda: all(s.finished for s in acs.sessions), 10, "sessions to end")
        self.assertLessEqual(len(self.cr_sessions(acs)), self.RATE)
        # The rate limit still holds after the flood: promptly refused, not ignored.
        after = cr.get(USER, PASSWORD)
        self.assertEqual(after.status, 503, after)
        self.assertLess(after.elapsed, 1.0)
        self.assertTrue(cpe.running())
        self.assertEqual(cpe.stop(), EXIT_OK)
        if "-v" in sys.argv or os.environ.get("E2E_VERBOSE"):
            print("\nflood: %d requests in %.2f s: %s" % (len(results), t_done - t_flood, {
                k: dict(collections.Counter(v)) for k, v in summary.items()}))

    def test_invalid_flood_does_not_lock_out(self):
        """A flood without valid credentials (no credentials, 60 wrong passwords, garbage,
        wrong method and path) and 20 slow clients: afterwards, once the slow clients
        are dropped, a good request is accepted (200) and opens its session."""
        acs, cpe, cr = self.start(rate=self.RATE)
        slow = self.slow_clients(cr, 20)
        kinds = ["none", "wrong", "garbage", "post", "path"]

        def one(i):
            k = kinds[i % len(kinds)]
            c = CrClient(self.url, timeout=15)
            if k == "none":
                return k, c.request()
            if k == "wrong":
                return k, c.get(USER, "nope-%d" % i, algorithm="MD5" if i % 2 else "SHA-256")
            if k == "garbage":
                return k, c.raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 + b"\r\n\r\n")
            if k == "post":
                return k, c.request("POST")
            return k, c.request(path="/")

        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            results = list(pool.map(one, range(300)))
        self.assertTrue(cpe.running())
        self.assertEqual([r for _k, r in results if r.status is None], [])
        self.assertEqual(len([1 for k, _ in results if k == "wrong"]), 60)
        n = len(acs.sessions)
        self.assertEqual(n, 1, "a session came from a flood without valid credentials")
        for s in slow:
            s.close()
        t0 = time.time()
        good = cr.get(USER, PASSWORD)
        self.assertEqual(good.status, 200, good)
        acs.wait_for(lambda: len(acs.sessions) > n and acs.sessions[n].finished, 5, "CR session")
        self.assertEvents(acs.sessions[n], [CR])
        self.assertLess(acs.sessions[n].started_at - t0, 1.5)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_slow_clients_do_not_block_requests(self):
        """16 connections that never finish their request (the server's client limit):
        a good connection request made meanwhile is still answered within 2 s."""
        acs, cpe, cr = self.start()
        slow = self.slow_clients(cr, 16)
        try:
            time.sleep(0.2)
            t0 = time.monotonic()
            good = CrClient(self.url, timeout=10).get(USER, PASSWORD)
            good.elapsed = time.monotonic() - t0
        finally:
            for s in slow:
                s.close()
        self.assertEqual(good.status, 200, good)
        self.assertLess(good.elapsed, 2.0, "a connection request waited %.1f s behind idle clients"
                        % good.elapsed)
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()


class Hostile(ConnReqCase):
    """Heads that crashed cwmpd (std::out_of_range in its header parsing, uncaught) and
    others from the same family: each gets an HTTP error, cwmpd keeps running, and a
    valid connection request afterwards still opens a session."""

    HEADS = [
        b"GET /cr x\r\nauthorization:\r\n\r\n",                       # 29 bytes: the crash
        b"GET /cr HTTP/1.1\r\nAuthorization:\r\n\r\n",
        b"GET /cr HTTP/1.1\r\nAuthorization:   \r\n\r\n",
        b"GET /cr HTTP/1.1\r\nAuthorization: Digest\r\n\r\n",
        b"GET /cr HTTP/1.1\r\nAuthorization: Digest username\r\n\r\n",
        b"GET /cr HTTP/1.1\r\nAuthorization: Digest ,=,=\"\r\n\r\n",
        b"GET /cr HTTP/1.1\r\nAuthorization: Digest nc=zz, uri=\"/cr\", username=\"u\", nonce=\"-.\", "
        b"response=\"\", qop=auth\r\n\r\n",
        b"GET /cr HTTP/1.1\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n",
        b"\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /cr\r\n\r\n",
        b"\x00\x01\x02\r\n\r\n",
        b": \r\n\r\n",
    ]

    def test_hostile_heads_do_not_stop_cwmpd(self):
        acs, cpe, cr = self.start()
        n = len(acs.sessions)
        for head in self.HEADS:
            with self.subTest(head=head):
                r = cr.raw(head)
                self.assertIn(r.status, (400, 401), r)
                self.assertTrue(cpe.running(), "cwmpd exited with %s after %r" % (cpe.proc.poll(), head))
        self.assertNotIn("out_of_range", cpe.log(whole=True))
        self.assertEqual(len(acs.sessions), n, "a hostile request opened a session")
        self.assertEqual(cr.get(USER, PASSWORD).status, 200)
        acs.wait_for(lambda: len(acs.sessions) > n and acs.sessions[n].finished, 10, "CR session")
        self.assertDone(acs.sessions[n])
        self.assertEvents(acs.sessions[n], [CR])
        self.assertEqual(cpe.stop(), EXIT_OK)
