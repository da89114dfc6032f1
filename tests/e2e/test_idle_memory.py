"""idle_page_out (cwmpd.conf(5)): once no session has started for that many seconds and
none is planned as soon, cwmpd gives its clean file pages back to the kernel, once per
session, and sessions go on as before (the code comes back).  What the
page-out frees is measured by tools/bench-session (private_kib_idle) and checked by
unit daemon-page-out."""

import re
import unittest

from harness import EXIT_OK, MS, E2ECase

USER, PASSWORD = "idle-e2e-user", "idle-e2e-secret"
PAGED_OUT = r"idle: \d+ read-only file mappings \(\d+ KiB\) given back to the kernel"
CR = ("6 CONNECTION REQUEST", "")
PERIODIC = ("2 PERIODIC", "")


class IdlePageOut(E2ECase):
    def start(self, defaults=None, **keys):
        d = {MS + "ConnectionRequestUsername": USER, MS + "ConnectionRequestPassword": PASSWORD}
        d.update(defaults or {})
        acs, conf = self.setup_cpe(defaults=d, log_level="debug", **keys)
        cpe = self.start_cwmpd(conf)
        self.assertDone(acs.wait_for_session(10))
        return acs, cpe

    def page_outs(self, cpe):
        return len(re.findall(PAGED_OUT, cpe.log()))

    def test_once_per_session_and_sessions_go_on(self):
        acs, cpe = self.start(idle_page_out=1)
        cpe.wait_log(PAGED_OUT)   # no periodic Inform planned: at a change poll a second after the first session
        s = self.kick(acs, USER, PASSWORD)
        self.assertDone(s)
        self.assertEqual(self.events(s), [CR])
        acs.wait_for(lambda: self.page_outs(cpe) == 2, 10, "a page-out after the second session")
        # The page-out comes before the wait that a connection request ends: had
        # there been one more per session, it would be in the log by the next session's end.
        self.assertDone(self.kick(acs, USER, PASSWORD))
        acs.wait_for(lambda: self.page_outs(cpe) == 3, 10, "a page-out after the third session")
        self.assertEqual(self.page_outs(cpe), 3)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_not_when_a_session_is_planned_sooner(self):
        acs, cpe = self.start(idle_page_out=60, defaults={MS + "PeriodicInformEnable": "true",
                                                          MS + "PeriodicInformInterval": "1"})
        for _ in range(2):
            s = acs.wait_for_session(10)
            self.assertDone(s)
            self.assertIn(PERIODIC, self.events(s))
        self.assertEqual(self.page_outs(cpe), 0, "a page-out with a session planned a second away")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_while_a_failed_session_waits_to_retry(self):
        acs, conf = self.setup_cpe(log_level="debug", idle_page_out=1)
        acs.stop()   # the ACS is down: the boot session fails, and its retries wait (2 s and more by the second)
        cpe = self.start_cwmpd(conf)
        cpe.wait_log(r"session failed[\s\S]*" + PAGED_OUT, 15)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_not_when_off(self):
        acs, cpe = self.start(idle_page_out=0)
        self.assertDone(self.kick(acs, USER, PASSWORD))   # the loop waited (and would have paged out) before it
        self.assertDone(self.kick(acs, USER, PASSWORD))
        self.assertEqual(self.page_outs(cpe), 0)
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
