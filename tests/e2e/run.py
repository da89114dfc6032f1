#!/usr/bin/env python3
"""Runs the end-to-end tests, each test method in a process of its own, in parallel
(most of their time is spent waiting on cwmpd's timers).

    tests/e2e/run.py [-j N] [-v] [PATTERN...]

PATTERN selects test ids containing it (e.g. Backoff, test_reboot).  Environment:
CWMPD (the binary, default build/tools/cwmpd/cwmpd), CWMP_VALIDATE (validate-cwmp).
Exit status 0 when every test passed (expected failures count as passed)."""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))

# Slowest first, so that the whole run takes about as long as the slowest test.
SLOW_FIRST = ("test_backoff_while_acs_down", "test_heartbeat_sessions", "test_throttle", "test_flood", "test_invalid_flood_does_not_lock_out",
              "test_slow_clients_do_not_block_requests", "test_active_change_opens_session",
              "test_passive_change_waits_for_next_inform", "test_periodic_interval", "test_periodic_phase",
              "test_wrong_password", "test_value_change", "test_inform_fault_8005_is_retried",
              "test_get_set_add_delete", "test_sighup_reloads")


def test_ids():
    """(test ids, {module: load error}): a module that does not load is reported as
    a failure, the other modules still run."""
    sys.path.insert(0, HERE)
    suite = unittest.TestLoader().discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    out, broken = [], {}

    def walk(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                walk(t)
            elif isinstance(t, unittest.loader._FailedTest):
                broken[t.id()] = str(t._exception)
            else:
                out.append(t.id())
    walk(suite)
    return out, broken


def run_one(test_id):
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "unittest", "-v", test_id], cwd=HERE,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    return test_id, p.returncode, p.stdout, time.monotonic() - t0


def admitted(pool, ids, jobs, max_load):
    """Yields the tests' futures as they finish.  A test starts while fewer than
    `jobs` run and the machine's load (1-minute average per CPU) is at most
    `max_load`, or when none runs: the tests wait on timers, but on a machine
    that other work already keeps busy sixteen sanitized daemons at once would
    stretch every timing window (a shared CI machine reached load 30 on two
    cores).  The load only delays starts; no test is skipped or retried."""
    cpus = os.cpu_count() or 1
    pending, running = list(ids), set()
    while pending or running:
        while pending and len(running) < max(1, jobs) and (
                not running or os.getloadavg()[0] / cpus <= max_load):
            running.add(pool.submit(run_one, pending.pop(0)))
        done, running = concurrent.futures.wait(running, timeout=1.0,
                                                return_when=concurrent.futures.FIRST_COMPLETED)
        yield from done


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("E2E_JOBS", "16")))
    ap.add_argument("--max-load", type=float, default=float(os.environ.get("E2E_MAX_LOAD", "4")),
                    help="start a test only while the 1-minute load per CPU is at most this (default 4)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every test's output")
    ap.add_argument("patterns", nargs="*")
    args = ap.parse_args()

    all_ids, broken = test_ids()
    ids = [i for i in all_ids if not args.patterns or any(p in i for p in args.patterns)]
    for name, error in broken.items():
        print("e2e: cannot load %s:\n%s" % (name, error.rstrip()), flush=True)
    if not ids:
        print("e2e: no test matches %s" % args.patterns)
        return 1
    rank = {name: n for n, name in enumerate(SLOW_FIRST)}
    ids.sort(key=lambda i: rank.get(i.rsplit(".", 1)[-1], len(rank)))
    cwmpd = os.environ.get("CWMPD") or os.path.join(HERE, "..", "..", "build", "tools", "cwmpd", "cwmpd")
    print("e2e: %d tests, %d at a time, cwmpd %s" % (len(ids), min(args.jobs, len(ids)), os.path.normpath(cwmpd)),
          flush=True)

    t0 = time.monotonic()
    failed, expected = ["%s (does not load)" % b for b in broken], []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for fut in admitted(pool, ids, args.jobs, args.max_load):
            test_id, rc, output, took = fut.result()
            xfail = "expected failure" in output
            status = "ok" if rc == 0 else "FAIL"
            if rc == 0 and xfail:
                status = "expected failure"
                expected.append(test_id)
            print("%-70s %s (%.1f s)" % (test_id, status, took), flush=True)
            if rc != 0:
                failed.append(test_id)
            if rc != 0 or args.verbose:
                print(output.rstrip())
                print("-" * 70, flush=True)
    took = time.monotonic() - t0
    print("e2e: %d passed, %d failed%s in %.1f s" % (
        len(ids) + len(broken) - len(failed), len(failed),
        " (%d expected failures)" % len(expected) if expected else "", took))
    for f in failed:
        print("  FAILED %s" % f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
