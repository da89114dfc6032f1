"""When cwmpd opens sessions: periodic Informs (interval and phase) and the retry
back-off of TR-069 3.2.1.1 while the ACS is down or refuses the Inform."""

import math
import time
import unittest

from harness import (EXIT_OK, MS, E2ECase, GetParameterValues, ScheduleInform, SetParameterValues,
                     format_datetime, parse_datetime)

BOOTSTRAP = ("0 BOOTSTRAP", "")
BOOT = ("1 BOOT", "")
PERIODIC = ("2 PERIODIC", "")
SLACK = 1.0        # whole-second timers: a due time may be reached up to 1 s late
EARLY = 0.1        # measurement noise allowed before a lower bound
BUSY = 1.5         # scheduling delay a machine busy with other work adds to a due time


class Periodic(E2ECase):
    def test_periodic_interval(self):
        """PeriodicInformEnable/Interval set by the ACS: 2 PERIODIC every 2 s; a new
        interval takes effect at once (TR-069 A.3.2.1 / TR-181 ManagementServer)."""
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        acs.queue(SetParameterValues([(MS + "PeriodicInformEnable", "true", "xsd:boolean"),
                                      (MS + "PeriodicInformInterval", "2", "xsd:unsignedInt")], key="p2"))
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        t_set = s1.find("SetParameterValues").answered_at
        s2 = acs.wait_for_session(10)
        # Interval 5 from the third session on.
        acs.queue(SetParameterValues([(MS + "PeriodicInformInterval", "5", "xsd:unsignedInt")], key="p5"))
        s3 = acs.wait_for_session(10)
        t_set5 = s3.find("SetParameterValues").answered_at
        s4 = acs.wait_for_session(10)
        for s in (s2, s3, s4):
            self.assertDone(s)
            self.assertEvents(s, [PERIODIC])
            self.assertEqual(s.retry_count, 0)
        self.assertEqual(s3.parameters[MS + "ParameterKey"][0], "p2")
        self.assertEqual(s4.parameters[MS + "ParameterKey"][0], "p5")
        gaps = [s2.started_at - t_set, s3.started_at - s2.started_at, s4.started_at - t_set5]
        msg = "gaps %s" % ["%.2f" % g for g in gaps]
        self.assertTrue(2 - SLACK <= gaps[0] <= 2 + SLACK, msg)
        self.assertTrue(2 - SLACK <= gaps[1] <= 2 + SLACK, msg)
        self.assertTrue(5 - SLACK <= gaps[2] <= 5 + SLACK, "new interval not applied: " + msg)
        self.assertEqual(len(acs.sessions), 4)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_periodic_phase(self):
        """PeriodicInformTime sets the phase: Informs at PeriodicInformTime + k x
        interval (here a time long past), not interval seconds after the change.  The
        phase is half an interval away from the change, so that honouring it and
        ignoring it differ by 5 s, far more than the SLACK + BUSY a busy machine needs."""
        acs, conf = self.setup_cpe()
        cpe = self.start_cwmpd(conf)
        interval = 10
        chosen = {}

        def set_phase(_session):
            # Phase: 5 s from now (whole seconds), 1000 intervals ago.
            chosen["t0"] = math.floor(time.time()) + 5 - 1000 * interval
            return SetParameterValues([(MS + "PeriodicInformEnable", "true", "xsd:boolean"),
                                       (MS + "PeriodicInformInterval", str(interval), "xsd:unsignedInt"),
                                       (MS + "PeriodicInformTime", format_datetime(chosen["t0"]),
                                        "xsd:dateTime")])

        acs.queue(set_phase, GetParameterValues([MS + "PeriodicInformTime"]))
        s1 = acs.wait_for_session(30)
        self.assertDone(s1)
        self.assertOk(s1.find("SetParameterValues"))
        t_set = s1.find("SetParameterValues").answered_at
        self.assertEqual(parse_datetime(self.value(s1.find("GetParameterValues"), MS + "PeriodicInformTime")),
                         chosen["t0"])
        s2 = acs.wait_for_session(interval + 10)
        s3 = acs.wait_for_session(interval + 10)
        t0 = chosen["t0"]
        for s in (s2, s3):
            self.assertEvents(s, [PERIODIC])
            phase = (s.started_at - t0) % interval
            self.assertTrue(phase <= SLACK + BUSY or phase >= interval - EARLY,
                            "session %d at phase %.2f s of %d (PeriodicInformTime %s)"
                            % (s.index, phase, interval, format_datetime(t0)))
        self.assertLess(s2.started_at - t_set, interval - 2,
                        "the first periodic Inform followed the change by a whole interval: phase ignored")
        self.assertTrue(interval - SLACK - BUSY <= s3.started_at - s2.started_at <= interval + SLACK + BUSY)
        self.assertEqual(cpe.stop(), EXIT_OK)


class Backoff(E2ECase):
    def check_gap(self, gap, window, what):
        lo, hi = window
        self.assertLessEqual(gap, hi + SLACK, "%s: waited %.2f s, window [%s, %s]" % (what, gap, lo, hi))
        with self.subTest("%s waits at least the window's minimum" % what):
            self.assertGreaterEqual(gap, lo - EARLY, "%s: waited only %.2f s, window [%s, %s] (TR-069 3.2.1.1)"
                                    % (what, gap, lo, hi))

    def test_backoff_while_acs_down(self):
        """ACS down from the start (HTTP 503): retries after waits within [1,2], [2,4],
        [4,8] s (CWMPRetryMinimumWaitInterval 1, CWMPRetryIntervalMultiplier 2000),
        RetryCount counting the failed attempts, the BOOTSTRAP kept; after a good
        session RetryCount is 0 again."""
        acs, conf = self.setup_cpe(defaults={MS + "CWMPRetryMinimumWaitInterval": "1",
                                             MS + "CWMPRetryIntervalMultiplier": "2000"})
        acs.set_down(True, "503")
        cpe = self.start_cwmpd(conf)
        refused = acs.wait_for_refused(3, 2 + 4 + 3 * SLACK + 3)
        acs.set_down(False)
        acs.queue(ScheduleInform(1, "after-retries"))
        s = acs.wait_for_session(8 + SLACK + 3)
        times = [r.time for r in refused[:3]] + [s.started_at]
        for i, r in enumerate(refused[:3]):
            self.assertEqual(r.retry_count, i, "attempt %d" % (i + 1))
            self.assertEqual(sorted(r.events), [BOOTSTRAP, BOOT], "attempt %d" % (i + 1))
        for i, window in enumerate([(1, 2), (2, 4), (4, 8)]):
            self.check_gap(times[i + 1] - times[i], window, "retry %d" % (i + 1))
        self.assertDone(s)
        self.assertEqual(s.retry_count, 3)
        self.assertEvents(s, [BOOTSTRAP, BOOT])
        s2 = acs.wait_for_session(5)
        self.assertEvents(s2, [("3 SCHEDULED", ""), ("M ScheduleInform", "after-retries")])
        self.assertEqual(s2.retry_count, 0)
        self.assertEqual(len(acs.refused), 3)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_retry_wait_to_the_millisecond(self):
        """The retry wait is drawn and kept to the millisecond, never rounded up past the
        window: with CWMPRetryMinimumWaitInterval 1 and CWMPRetryIntervalMultiplier 1500
        the waits lie in [1, 1.5], [1.5, 2.25], [2.25, 3.375] s (TR-069 3.2.1.1; TR-181:
        a random value between m and m*k/1000 for the first retry).  Whole seconds
        rounded up waited 2 s for the first.  ALLOW is the scheduling delay allowed past
        the upper bound (the HTTP exchange and a busy machine), well under that 0.5 s."""
        ALLOW = 0.3
        acs, conf = self.setup_cpe(defaults={MS + "CWMPRetryMinimumWaitInterval": "1",
                                             MS + "CWMPRetryIntervalMultiplier": "1500"})
        acs.set_down(True, "503")
        cpe = self.start_cwmpd(conf)
        refused = acs.wait_for_refused(4, 1.5 + 2.25 + 3.375 + 4 * ALLOW + 5)
        acs.set_down(False)
        times = [r.time for r in refused[:4]]
        for i, (lo, hi) in enumerate([(1, 1.5), (1.5, 2.25), (2.25, 3.375)]):
            gap = times[i + 1] - times[i]
            self.assertGreaterEqual(gap, lo - EARLY, "retry %d waited %.3f s, window [%s, %s]" % (i + 1, gap, lo, hi))
            self.assertLessEqual(gap, hi + ALLOW, "retry %d waited %.3f s, window [%s, %s]" % (i + 1, gap, lo, hi))
        self.assertRegex(cpe.log(whole=True), r"retry 1 in 1\.\d{3} s")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_inform_fault_8005_is_retried(self):
        """An Inform answered with fault 8005 (Retry request) is a failed session:
        retried after the back-off with RetryCount 1 and the same events."""
        acs, conf = self.setup_cpe()
        acs.fail_informs(1, 8005)
        cpe = self.start_cwmpd(conf)
        s1 = acs.wait_for_session(10)
        self.assertEqual(s1.outcome, "inform-fault")
        self.assertEvents(s1, [BOOTSTRAP, BOOT])
        self.assertEqual(s1.retry_count, 0)
        s2 = acs.wait_for_session(2 + SLACK + 3)
        self.assertDone(s2)
        self.assertEqual(s2.retry_count, 1)
        self.assertEvents(s2, [BOOTSTRAP, BOOT])
        self.check_gap(s2.started_at - s1.started_at, (1, 2), "retry after 8005")
        self.assertStaysUp(cpe, 0.5)
        self.assertEqual(len(acs.sessions), 2)
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
