"""Notification attributes (TR-069 A.3.2.4, 3.7.1.5): a passive change (Notification 1)
waits for the next Inform, an active one (2) opens a session of its own, at most one per
DefaultActiveNotificationThrottle seconds; a canDeny parameter refuses active notification
with 9009."""

import os
import unittest

from harness import (EXIT_OK, MS, Cwmpd, E2ECase, GetParameterAttributes, GetParameterValues,
                     SetParameterAttributes, SetParameterValues)

VC = ("4 VALUE CHANGE", "")
PERIODIC = ("2 PERIODIC", "")
BYTES = "Device.Ethernet.Interface.1.Stats.BytesSent"        # canDeny: passive only
CPU_UP = "Device.DeviceInfo.ProcessStatus.CPU.1.UpTime"      # normal: active allowed; changes every second
UPTIME = "Device.DeviceInfo.UpTime"                          # canDeny
DNS_ENABLE = "Device.DNS.Client.Enable"                      # normal, does not change by itself
THROTTLE = MS + "DefaultActiveNotificationThrottle"
SLACK = 1.0
BUSY = 1.5  # scheduling delay a machine busy with other work adds to a session's start


class NotifyCase(E2ECase):
    def start(self, run=True, **keys):
        """ACS and cwmpd (notification_poll_interval 1); cwmpd started unless run=False."""
        keys.setdefault("notification_poll_interval", 1)
        acs, conf = self.setup_cpe(**keys)
        cpe = Cwmpd(conf, os.path.join(self.dir, "cwmpd-%d.log" % (len(self.daemons) + 1)))
        self.daemons.append(cpe)
        if run:
            cpe.start()
        return acs, cpe


class Passive(NotifyCase):
    def test_passive_change_waits_for_next_inform(self):
        """Notification 1 on Ethernet BytesSent (a counter): no session of its own; the
        periodic Informs (every 2 s) carry 4 VALUE CHANGE and the counter's new value."""
        acs, cpe = self.start(run=False)
        acs.queue(SetParameterAttributes([(BYTES, 1)]),
                  GetParameterAttributes([BYTES]),
                  GetParameterValues([BYTES]),
                  SetParameterValues([(MS + "PeriodicInformInterval", "2", "xsd:unsignedInt"),
                                      (MS + "PeriodicInformEnable", "true", "xsd:boolean")]))
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        self.assertOk(s1.find("SetParameterAttributes"))
        self.assertEqual(s1.find("GetParameterAttributes").result[BYTES][0], 1)
        first = int(self.value(s1.find("GetParameterValues"), BYTES))
        s2 = acs.wait_for_session(5)
        s3 = acs.wait_for_session(5)
        # Whether the first periodic Inform already reports the change depends on when
        # cwmpd first read the value (test_rpc.PassiveNotification.test_value_change is
        # about that); the second one must, the counter moved 2 s since the first.
        self.assertIn(PERIODIC, s2.events)
        if VC in s2.events:
            self.assertGreater(int(s2.parameters[BYTES][0]), first)
        for s in (s2, s3):
            self.assertDone(s)
        self.assertEvents(s3, [PERIODIC, VC])
        self.assertIn(BYTES, s3.parameters)
        self.assertEqual(s3.parameters[BYTES][1], "xsd:unsignedLong")
        self.assertGreater(int(s3.parameters[BYTES][0]), first)
        # Passive: nothing between the periodic sessions.
        self.assertGreater(s3.started_at - s2.started_at, 2 - SLACK)
        self.assertEqual(len(acs.sessions), 3)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_can_deny_refuses_active(self):
        """Notification 2 on a canDeny parameter (UpTime, Ethernet BytesSent) is refused
        with 9009, and the whole SetParameterAttributes with it: the other parameter of
        the request keeps its attribute (A.3.2.4: all or nothing).  Passive (1) is
        accepted."""
        acs, cpe = self.start(run=False)
        acs.queue(SetParameterAttributes([(DNS_ENABLE, 2), (UPTIME, 2)]),
                  SetParameterAttributes([(BYTES, 2)]),
                  GetParameterAttributes([DNS_ENABLE, UPTIME, BYTES]),
                  SetParameterAttributes([(UPTIME, 1), (BYTES, 1)]),
                  GetParameterAttributes([UPTIME, BYTES]))
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        for i in (0, 1):
            f = s1.find("SetParameterAttributes", i).fault
            self.assertIsNotNone(f, "active notification on a canDeny parameter was accepted")
            self.assertEqual(f.code, 9009)
        attrs = s1.find("GetParameterAttributes", 0).result
        self.assertEqual(attrs[DNS_ENABLE][0], 0, "a refused SetParameterAttributes applied part of its list")
        self.assertEqual(attrs[UPTIME][0], 0)
        self.assertEqual(attrs[BYTES][0], 0)
        self.assertOk(s1.find("SetParameterAttributes", 2))
        attrs = s1.find("GetParameterAttributes", 1).result
        self.assertEqual((attrs[UPTIME][0], attrs[BYTES][0]), (1, 1))
        self.assertStaysUp(cpe, 1.5)
        self.assertEqual(len(acs.sessions), 1, "a passive change opened a session")
        self.assertEqual(cpe.stop(), EXIT_OK)


class Active(NotifyCase):
    def test_active_change_opens_session(self):
        """Notification 2 on CPU.1.UpTime (changes every second), throttle 0, poll every
        second: within ~2 s a session with 4 VALUE CHANGE alone, carrying the parameter
        (and the passive BytesSent change with it); set back to 0 in that session, the
        changes open no more sessions."""
        acs, cpe = self.start(defaults={THROTTLE: "0"}, run=False)
        # The value read before the attributes are set: the agent's baseline (taken at
        # SetParameterAttributes) is then at least it, so the changed value is greater.
        # Read after, a second could tick between the two and the change carry the value read.
        acs.queue(GetParameterValues([CPU_UP]),
                  SetParameterAttributes([(CPU_UP, 2), (BYTES, 1)]))
        # The first VALUE CHANGE session turns the notifications off again.
        acs.on_inform = lambda s: [SetParameterAttributes([(CPU_UP, 0), (BYTES, 0)])] \
            if VC in s.events and len(acs.sessions) == 2 else None
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertOk(s1.find("SetParameterAttributes"))
        first = int(self.value(s1.find("GetParameterValues"), CPU_UP))
        # Periodic Informs are off: a session with 4 VALUE CHANGE alone can only come
        # from the active notification; its delay is bounded (poll 1 s + 1 s) plus BUSY.
        s2 = acs.wait_for_session(15)
        self.assertDone(s2)
        self.assertEvents(s2, [VC])
        self.assertLess(s2.started_at - s1.ended_at, 2 + SLACK + BUSY, "the active change took too long")
        self.assertGreater(int(s2.parameters[CPU_UP][0]), first)
        self.assertEqual(s2.parameters[CPU_UP][1], "xsd:unsignedInt")
        self.assertIn(BYTES, s2.parameters, "the passive change was left out of the VALUE CHANGE Inform")
        self.assertOk(s2.find("SetParameterAttributes"))
        self.assertStaysUp(cpe, 2.5)
        self.assertEqual(len(acs.sessions), 2, "sessions after the notification was turned off")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_throttle(self):
        """DefaultActiveNotificationThrottle 3: sessions for a parameter that changes
        every second come no closer than 3 s apart, and do come (about every 3 s)."""
        acs, cpe = self.start(run=False)
        acs.queue(SetParameterValues([(THROTTLE, "3", "xsd:unsignedInt")]),
                  SetParameterAttributes([(CPU_UP, 2)]),
                  GetParameterValues([THROTTLE]))
        cpe.start()
        s1 = acs.wait_for_session(10)
        self.assertEqual(self.value(s1.find("GetParameterValues"), THROTTLE), "3")
        sessions = [acs.wait_for_session(15) for _ in range(3)]
        for s in sessions:
            self.assertDone(s)
            self.assertEvents(s, [VC])
            self.assertIn(CPU_UP, s.parameters)
        gaps = [b.started_at - a.started_at for a, b in zip(sessions, sessions[1:])]
        msg = "gaps %s" % ["%.2f" % g for g in gaps]
        for g in gaps:
            self.assertGreaterEqual(g, 3 - 0.1, "throttle not applied: " + msg)
            self.assertLessEqual(g, 3 + 1 + SLACK + BUSY, "throttled sessions came late: " + msg)
        acs.queue(SetParameterAttributes([(CPU_UP, 0)]))
        acs.wait_for_session(8)
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
