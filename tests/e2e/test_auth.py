"""HTTP authentication of cwmpd to the ACS (TR-069 3.4.4): Digest and Basic with the
configured credentials; wrong credentials are a failed session, retried with back-off."""

import unittest

from harness import EXIT_OK, MS, E2ECase, GetParameterValues

USER, PASSWORD = "00005E-RDK-STB-EXS2301A7F3C", "s3cret-e2e"
SLACK = 1.0
EARLY = 0.1


class Authentication(E2ECase):
    def run_good(self, scheme):
        acs, conf = self.setup_cpe(acs_kw={"auth": scheme, "username": USER, "password": PASSWORD},
                                   acs_username=USER, acs_password=PASSWORD)
        acs.queue(GetParameterValues([MS + "Username", MS + "URL"]))
        cpe = self.start_cwmpd(conf)
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEqual(s.auth.scheme, scheme)
        self.assertEqual(s.auth.username, USER)
        gpv = s.find("GetParameterValues")
        self.assertEqual(self.value(gpv, MS + "Username"), USER)
        self.assertEqual(acs.auth_failures, [])
        self.assertEqual(s.retry_count, 0)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_digest(self):
        self.run_good("digest")

    def test_basic(self):
        self.run_good("basic")

    def test_wrong_password(self):
        """Wrong password: every attempt is refused (401), nothing gets through,
        cwmpd retries with back-off ([1,2] then [2,4] s) and logs the 401."""
        acs, conf = self.setup_cpe(acs_kw={"auth": "digest", "username": USER, "password": PASSWORD},
                                   acs_username=USER, acs_password="wrong")
        cpe = self.start_cwmpd(conf)
        # The window for the retries counts from the first refusal: a busy machine
        # may delay the daemon's start (ASan under stress-ng: 7 s), not its back-off.
        acs.wait_for(lambda: len(acs.auth_failures) >= 1, 20, "a first refused login")
        failures = acs.wait_for(lambda: list(acs.auth_failures) if len(acs.auth_failures) >= 3 else None,
                                2 + 4 + 2 * SLACK + 3, "3 refused logins")
        self.assertEqual(acs.sessions, [], "a session got through with a wrong password")
        self.assertTrue(cpe.running(), "cwmpd gave up")
        for f in failures:
            self.assertEqual(f.username, USER)
            self.assertEqual(f.scheme, "digest")
        gaps = [b.time - a.time for a, b in zip(failures, failures[1:])]
        msg = "gaps between attempts %s" % ["%.2f" % g for g in gaps]
        self.assertTrue(1 - EARLY <= gaps[0] <= 2 + SLACK, msg)
        self.assertTrue(2 - EARLY <= gaps[1] <= 4 + SLACK, msg)
        self.assertRegex(cpe.log(), r"(?i)401|unauthori[sz]ed")
        self.assertRegex(cpe.log(), r"retry \d+ in [\d.]+ s")
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
