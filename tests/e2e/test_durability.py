"""Durable writes by need, seen from outside: the fsyncs of a running cwmpd,
counted with strace (attached between sessions; readiness from TracerPid in
/proc, not from timing).  An Inform-only periodic session syncs nothing; a
session with a SetParameterValues syncs once (runtime/README.md, "Durable
commit points")."""

import os
import shutil
import signal
import subprocess
import unittest

from harness import EXIT_OK, MS, E2ECase, SetParameterValues

PERIODIC = ("2 PERIODIC", "")
SYNC_CALLS = "fsync,fdatasync,sync_file_range,syncfs,sync,msync"


class Fsyncs:
    """strace on a running process, counting its sync calls (or the `calls` given)
    until stop(); -y names each call's file."""

    def __init__(self, case, pid, calls=SYNC_CALLS):
        self.case = case
        self.pid = pid
        self.calls = calls
        self.out = os.path.join(case.dir, "strace-%d.txt" % len(os.listdir(case.dir)))
        self.proc = subprocess.Popen(["strace", "-f", "-qq", "-y", "-e", "trace=" + calls, "-o", self.out,
                                      "-p", str(pid)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        case.acses[0].wait_for(lambda: self._traced() or self.proc.poll() is not None, 10, "strace attached")
        if self.proc.poll() is not None:
            case.fail("strace could not attach: %s" % self.proc.stderr.read().decode(errors="replace"))

    def _traced(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("TracerPid:"):
                    return int(line.split()[1]) != 0
        return False

    def stop(self):
        """Detaches; returns the sync calls seen, one line each."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(10)
        self.case.acses[0].wait_for(lambda: not self._traced(), 10, "strace detached")
        with open(self.out) as f:
            return [line.strip() for line in f if any(c + "(" in line for c in self.calls.split(","))]


class Durability(E2ECase):
    def start_periodic_cpe(self):
        """cwmpd, told by the ACS to Inform every second (strace at hand to watch it)."""
        self.assertIsNotNone(shutil.which("strace"), "strace is needed (tools/setup installs it)")
        acs, conf = self.setup_cpe(log_level="warning")
        cpe = self.start_cwmpd(conf)
        acs.queue(SetParameterValues([(MS + "PeriodicInformEnable", "true", "xsd:boolean"),
                                      (MS + "PeriodicInformInterval", "1", "xsd:unsignedInt")], key="p1"))
        self.assertDone(acs.wait_for_session(10))
        return acs, cpe

    def test_fsyncs_by_need(self):
        """Inform-only periodic sessions: no fsync; a SetParameterValues session: one."""
        acs, cpe = self.start_periodic_cpe()
        # Warm-up: a second SetParameterValues checkpoints the log the first start
        # filled, and the sessions after it start the log over (SQLite syncs a
        # new log's header once): both are amortised costs, not the sessions'.
        acs.queue(SetParameterValues([(MS + "PeriodicInformInterval", "1", "xsd:unsignedInt")], key="warm"))
        for _ in range(3):
            self.assertDone(acs.wait_for_session(10))

        trace = Fsyncs(self, cpe.pid)
        informs = [acs.wait_for_session(10) for _ in range(4)]
        syncs = trace.stop()
        for s in informs:
            self.assertDone(s)
            self.assertEvents(s, [PERIODIC])
            self.assertEqual(s.rpcs, [], "session %d was not Inform-only" % s.index)
        self.assertEqual(syncs, [], "fsyncs in 4 Inform-only sessions")

        # Traced first, queued second: on a busy machine attaching can take longer
        # than the 1 s between sessions.  A session already under way when the SPV
        # is queued is Inform-only (no sync), so the window may hold one more.
        trace = Fsyncs(self, cpe.pid)
        acs.queue(SetParameterValues([(MS + "PeriodicInformInterval", "1", "xsd:unsignedInt")], key="spv"))
        spv = acs.wait_for_session(10)
        if spv.find("SetParameterValues") is None:
            self.assertEqual(spv.rpcs, [], "session %d before the SPV one was not Inform-only" % spv.index)
            spv = acs.wait_for_session(10)
        after = acs.wait_for_session(10)   # whatever the agent did after the SPV session is in the window
        syncs = trace.stop()
        self.assertDone(spv)
        self.assertDone(after)
        self.assertEqual(spv.find("SetParameterValues").result, 0)
        self.assertEqual(len(syncs), 1, "fsyncs around one SetParameterValues session: %s" % syncs)
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_inform_only_sessions_write_nothing(self):
        """Periodic Inform-only sessions write nothing to the store: their "2 PERIODIC"
        is held for the session, which delivers it (runtime/README.md, "Durable
        commit points"); a session that fails writes it (unit agent-boot)."""
        acs, cpe = self.start_periodic_cpe()
        for _ in range(2):   # the first Inform-only one notes its values' baseline
            self.assertDone(acs.wait_for_session(10))
        trace = Fsyncs(self, cpe.pid, "write,pwrite64,writev,pwritev,pwritev2")
        informs = [acs.wait_for_session(10) for _ in range(4)]
        writes = trace.stop()
        for s in informs:
            self.assertDone(s)
            self.assertEvents(s, [PERIODIC])
            self.assertEqual(s.rpcs, [], "session %d was not Inform-only" % s.index)
        store = os.path.basename(self.store)
        self.assertEqual([w for w in writes if store in w], [], "store writes in 4 Inform-only sessions")
        self.assertEqual(cpe.stop(), EXIT_OK)


if __name__ == "__main__":
    unittest.main()
