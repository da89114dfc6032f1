"""Command line of the test ACS (tools/testacs): serve until SIGTERM/SIGINT, printing
the transcript as it goes. See tools/testacs --help."""

from __future__ import annotations

import argparse
import os
import signal
import ssl
import sys
import threading

from .acs import TestACS
from .scenario import ScenarioError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="testacs",
        description="A scriptable TR-069 ACS for tests and demos: holds CWMP sessions, "
                    "sends the RPCs of a scenario, prints the transcript.",
        epilog="The scenario format is described in tools/testacs_lib/scenario.py "
               "(python3 -c 'import testacs_lib.scenario as s; help(s)').")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7547, help="TCP port, 0 for an ephemeral one (default 7547)")
    p.add_argument("--path", default="/", help="URL path of the ACS (default /)")
    p.add_argument("--port-file", help="write the port number to this file once listening")
    p.add_argument("--auth", choices=("none", "basic", "digest"), default="none")
    p.add_argument("--username", default="acs")
    p.add_argument("--password", default="acs")
    p.add_argument("--realm", default="TestACS")
    p.add_argument("--digest-algorithms", default="SHA-256,MD5",
                   help="digest algorithms offered, most preferred first (default SHA-256,MD5)")
    p.add_argument("--script", help="scenario JSON: RPCs to send, per consecutive session")
    p.add_argument("--record", metavar="DIR", help="write every message of the CPE to DIR")
    p.add_argument("--record-acs", action="store_true", help="also write the ACS's messages")
    p.add_argument("--validate", metavar="PATH", help="validate each CPE message with validate-cwmp at PATH")
    p.add_argument("--cwmp-ns", help="cwmp namespace the ACS writes (default: the CPE's), e.g. 1-0")
    p.add_argument("--require-cookie", action="store_true",
                   help="answer 400 to POSTs without the session cookie (as GenieACS does)")
    p.add_argument("--cert", help="serve HTTPS with this PEM certificate (chain)")
    p.add_argument("--key", help="private key of --cert (default: in the --cert file)")
    p.add_argument("--max-sessions", type=int, default=0,
                   help="exit after this many sessions have finished (default: run until SIGTERM)")
    p.add_argument("-v", "--verbose", action="store_true", help="show values and arguments")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except AttributeError:
        pass

    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)

    def out(line):
        print(line, flush=True)

    acs = TestACS(auth=None if args.auth == "none" else args.auth, username=args.username,
                  password=args.password, realm=args.realm,
                  digest_algorithms=[a.strip() for a in args.digest_algorithms.split(",") if a.strip()],
                  cwmp_ns=args.cwmp_ns, host=args.host, port=args.port, path=args.path,
                  record_dir=args.record, record_acs=args.record_acs, validate=args.validate,
                  validate_mode="each", require_cookie=args.require_cookie, ssl_context=ctx,
                  verbose=args.verbose, on_line=out)
    if args.script:
        try:
            acs.load_scenario(args.script)
        except (ScenarioError, OSError) as e:
            print("testacs: %s: %s" % (args.script, e), file=sys.stderr)
            return 2
    try:
        acs.start()
    except OSError as e:
        print("testacs: cannot listen on %s:%d: %s" % (args.host, args.port, e), file=sys.stderr)
        return 2
    out("testacs: listening on %s%s" % (acs.url, " (%s auth)" % args.auth if args.auth != "none" else ""))
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % acs.port)
        os.replace(tmp, args.port_file)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        while not stop.wait(0.2):
            if args.max_sessions and sum(1 for s in list(acs.sessions) if s.finished) >= args.max_sessions:
                break
    finally:
        acs.stop()
    n = len(acs.sessions)
    bad_cookie = [s.index for s in acs.sessions if not s.cookies_ok]
    out("testacs: %d session(s)%s%s%s" % (
        n,
        ", %d refused while down" % len(acs.refused) if acs.refused else "",
        ", %d authentication failure(s)" % len(acs.auth_failures) if acs.auth_failures else "",
        ", sessions without cookie: %s" % bad_cookie if bad_cookie else ""))
    for idx, v in acs.violations:
        out("testacs: session %d: %s" % (idx, v))
    if args.validate:
        out("testacs: %d invalid CPE message(s)" % len(acs.validation_errors))
        for e in acs.validation_errors:
            out("testacs:   %s" % e)
        if acs.validation_errors:
            return 1
    return 0
