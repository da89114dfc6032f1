"""TR-143 diagnostics: the ACS requests an IPPing (DiagnosticsState "Requested"),
cwmpd runs it after the session, stores the results and opens a session with
8 DIAGNOSTICS COMPLETE (TR-069 Table 7)."""

import os
import unittest

from harness import E2ECase, GetParameterValues, SetParameterValues

PING = "Device.IP.Diagnostics.IPPing."
DIAG = ("8 DIAGNOSTICS COMPLETE", "")


def request(host: str, count: int = 3):
    return SetParameterValues([(PING + "Host", host, "xsd:string"),
                               (PING + "NumberOfRepetitions", str(count), "xsd:unsignedInt"),
                               (PING + "Timeout", "1000", "xsd:unsignedInt"),
                               (PING + "DiagnosticsState", "Requested", "xsd:string")], key="ping")


class IPPing(E2ECase):
    @unittest.skipUnless(os.geteuid() == 0 or open("/proc/sys/net/ipv4/ping_group_range").read().split() != ["1", "0"],
                         "ICMP needs root or net.ipv4.ping_group_range")
    def test_ping_loopback(self):
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        acs.queue(request("127.0.0.1"))
        self.assertDone(acs.wait_for_session(10))
        acs.queue(GetParameterValues([PING]))
        s2 = acs.wait_for_session(15)
        self.assertDone(s2)
        self.assertEvents(s2, [DIAG])
        values = s2.find("GetParameterValues").result
        self.assertEqual(values[PING + "DiagnosticsState"][0], "Complete")
        self.assertEqual(values[PING + "SuccessCount"][0], "3")
        self.assertEqual(values[PING + "FailureCount"][0], "0")
        self.assertEqual(values[PING + "IPAddressUsed"][0], "127.0.0.1")
        self.assertLessEqual(int(values[PING + "MinimumResponseTimeDetailed"][0]),
                             int(values[PING + "MaximumResponseTimeDetailed"][0]))

    def test_unknown_host(self):
        acs, conf = self.setup_cpe()
        self.start_cwmpd(conf)
        acs.queue(request("no-such-host.invalid", 1))
        self.assertDone(acs.wait_for_session(10))
        acs.queue(GetParameterValues([PING + "DiagnosticsState"]))
        s2 = acs.wait_for_session(15)
        self.assertEvents(s2, [DIAG])
        self.assertEqual(s2.find("GetParameterValues").result[PING + "DiagnosticsState"][0],
                         "Error_CannotResolveHostName")
