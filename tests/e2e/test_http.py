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
        self.assertEqual(len(s.cookie_checks), 4, s.cookie_checks)
        self.assertTrue(s.cookies_ok, s.cookie_checks)
        self.assertEqual(s.rpcs, ["GetParameterValues", "GetParameterNames", "GetParameterValues"])
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
