"""The HTTP side of a session (TR-069 3.4): cookies, a connection lost mid-session."""

import time
import unittest

from harness import EXIT_OK, MS, E2ECase, GetParameterNames, GetParameterValues


class Http(E2ECase):
    def test_cookies(self):
        """Every cookie the ACS sets with the InformResponse (one with a Path, one
        more as a load balancer would) comes back on every later POST of the
        session (TR-069 3.4.2); the ACS rejects a POST without them."""
        acs, conf = self.setup_cpe(acs_kw={"require_cookie": True, "cookie_path": "/acs",
                                           "extra_cookies": ["lb=node7; Path=/"]})
        acs.queue(GetParameterValues([MS + "URL"]), GetParameterNames("Device.DeviceInfo.", True),
                  GetParameterValues(["Device.DeviceInfo.UpTime"]))
        cpe = self.start_cwmpd(conf)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        # GetRPCMethods (to a new ACS), the empty POST and three responses.
        self.assertEqual(len(s.cookie_checks), 5, s.cookie_checks)
        self.assertTrue(s.cookies_ok, s.cookie_checks)
        self.assertEqual(s.rpcs, ["GetParameterValues", "GetParameterNames", "GetParameterValues"])
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_cookies_and_connection_are_the_sessions_own(self):
        """cwmpd keeps one libcurl handle for all its sessions, but what the ACS set
        in a session ends with it: the next session opens a new connection, and
        its Inform carries none of the earlier session's cookies (TR-069 3.4.2
        ties a cookie to its session; 3.4.1 and 3.7.1: a session is one
        connection, closed at its end)."""
        acs, conf = self.setup_cpe(acs_kw={"require_cookie": True, "cookie_path": "/acs",
                                           "extra_cookies": ["lb=node7; Path=/"]},
                                   defaults={MS + "ConnectionRequestUsername": "cr-http",
                                             MS + "ConnectionRequestPassword": "cr-secret"})
        cpe = self.start_cwmpd(conf)
        first = acs.wait_for_session(10)
        self.assertDone(first)
        second = self.kick(acs, "cr-http", "cr-secret")
        self.assertDone(second)
        self.assertTrue(second.cookies_ok, second.cookie_checks)
        for s in (first, second):
            self.assertIsNone(s.messages[0].cookie_header, "session %d: the Inform carried cookies" % s.index)
        self.assertIsNot(first.connection, second.connection)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_connection_lost_mid_session(self):
        """The ACS vanishes after the InformResponse: the session failed, so cwmpd
        retries after the back-off ([1,2] s) with RetryCount 1 (TR-069 3.2.1.1)."""
        acs, conf = self.setup_cpe()

        def vanish(_session):
            acs.set_down(True, "reset")
            return GetParameterValues(["Device.DeviceInfo.UpTime"])

        acs.queue(GetParameterValues(["Device.DeviceInfo.SerialNumber"]), vanish)
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        t_lost = time.time()
        self.assertEqual(s1.outcome, "interrupted")
        time.sleep(0.5)           # past libcurl's one retry on a fresh connection
        acs.set_down(False)
        s2 = acs.wait_for_session(5)
        self.assertDone(s2)
        self.assertEqual(s2.retry_count, 1)
        gap = s2.started_at - t_lost
        self.assertTrue(1 - 0.1 <= gap <= 2 + 1, "retried %.2f s after the loss" % gap)
        cpe.wait_log(r"session failed", 1)
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()


class Redirector:
    """An HTTP server that answers every POST with a redirect to `target`
    (another Redirector or the ACS) and counts the POSTs it saw."""

    def __init__(self, target: str, status: int = 307):
        import http.server
        import threading
        outer = self
        self.posts = 0
        self.target = target

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's name
                outer.posts += 1
                length = int(self.headers.get("Content-Length", "0") or 0)
                self.rfile.read(length)
                self.send_response(status)
                self.send_header("Location", outer.target)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/redirect" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Redirects(E2ECase):
    def test_redirect_moves_the_session(self):
        """A redirect of the Inform's POST (307 here, then 302) moves the whole
        session: the later POSTs go straight to where it led (TR-069 3.4.5)."""
        acs = self.make_acs()
        second = Redirector(acs.url, 302)
        first = Redirector(second.url, 307)
        self.addCleanup(first.close)
        self.addCleanup(second.close)
        acs.queue(GetParameterValues([MS + "URL"]), GetParameterValues(["Device.DeviceInfo.UpTime"]))
        cpe = self.start_cwmpd(self.write_config(first.url))
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEqual(s.rpcs, ["GetParameterValues", "GetParameterValues"])
        self.assertEqual((first.posts, second.posts), (1, 1), "only the Inform went through the redirects")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_more_than_five_redirects_fail_the_session(self):
        """A redirect loop: the session fails after 5 redirects and is retried."""
        loop = Redirector("http://127.0.0.1:1/")
        loop.target = loop.url  # to itself
        self.addCleanup(loop.close)
        cpe = self.start_cwmpd(self.write_config(loop.url))
        cpe.wait_log(r"session failed", 10)
        self.assertLessEqual(loop.posts, 6)
        self.assertEqual(cpe.stop(), EXIT_OK)
