"""HeartbeatPolicy (CWMP 1.4, TR-069 Annex O): with Enable true, sessions whose Inform
carries "14 HEARTBEAT" alone come at InitiationTime + n x ReportingInterval; another
event due at the same time (a ScheduleInform) gets a session of its own; the CPE makes
no requests of its own in a heartbeat session."""

import time

from harness import EXIT_OK, MS, E2ECase, ScheduleInform, SetParameterValues, format_datetime

HB = MS + "HeartbeatPolicy."
HEARTBEAT = ("14 HEARTBEAT", "")


class Heartbeat(E2ECase):
    def test_heartbeat_sessions(self):
        acs, conf = self.setup_cpe(defaults={MS + "ConnectionRequestUsername": "hb-cr",
                                             MS + "ConnectionRequestPassword": "hb-secret"})
        cpe = self.start_cwmpd(conf)
        # The phase is set once the daemon is up (a sanitized daemon on a busy machine
        # took 6 s to its first session, and an InitiationTime already past when it
        # is set rightly means the next slot): in a connection-request session.
        self.assertDone(acs.wait_for_session(20))
        phase = int(time.time()) + 6
        acs.queue(SetParameterValues([(HB + "Enable", "true", "xsd:boolean"),
                                      (HB + "ReportingInterval", "30", "xsd:unsignedInt"),
                                      (HB + "InitiationTime", format_datetime(phase), "xsd:dateTime")], key="hb"),
                  ScheduleInform(max(1, phase - int(time.time())), "same-time"))
        set_at = self.kick(acs, "hb-cr", "hb-secret")
        self.assertDone(set_at)
        self.assertLess(set_at.started_at, phase - 1, "the policy was set too late to check its phase")
        # The first heartbeat at the phase; the ScheduleInform due then too, in a session of its own.
        sessions = []
        while len([s for s in sessions if HEARTBEAT in s.events]) < 2:
            s = acs.wait_for_session(45)
            self.assertDone(s)
            sessions.append(s)
        beats = [s for s in sessions if HEARTBEAT in s.events]
        for s in beats:
            self.assertEqual(self.events(s), [HEARTBEAT], "a heartbeat Inform carried other events")
            self.assertFalse([e for e in s.exchanges if e.initiator == "cpe" and e.method != "Inform"],
                             "the CPE made requests in a heartbeat session")
        scheduled = [s for s in sessions if ("3 SCHEDULED", "") in self.events(s)]
        self.assertEqual(len(scheduled), 1)
        self.assertNotIn(HEARTBEAT, self.events(scheduled[0]))
        # On time: the phase, then one interval later (a busy machine may be late, never early).
        self.assertGreaterEqual(beats[0].started_at, phase - 0.05)
        self.assertLess(beats[0].started_at, phase + 2.5)
        self.assertGreaterEqual(beats[1].started_at, phase + 30 - 0.05)
        self.assertLess(beats[1].started_at, phase + 32.5)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_interval_below_minimum_refused(self):
        """ReportingInterval's range is 30.. (TR-181): 10 is refused with 9007."""
        acs, conf = self.setup_cpe()
        acs.queue(SetParameterValues([(HB + "ReportingInterval", "10", "xsd:unsignedInt")], key="x"))
        cpe = self.start_cwmpd(conf)
        s = acs.wait_for_session(10)
        ex = s.find("SetParameterValues")
        self.assertEqual(ex.fault.code, 9003)
        self.assertEqual({n: c for n, c, _s in ex.fault.spv_faults}, {HB + "ReportingInterval": 9007})
        self.assertEqual(cpe.stop(), EXIT_OK)
