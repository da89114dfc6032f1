"""The demo behind tools/demo: cwmpd (board platform/sim, profile rdk-stb)
provisioned by the bundled test ACS on loopback, with a readable transcript.

  session 1  0 BOOTSTRAP + 1 BOOT: the ACS reads values, sets the periodic
             interval to 3 s, adds a DNS server and configures it, and tries to
             write a read-only parameter (the CPE answers with a fault)
  session 2  the 2 PERIODIC Inform 3 s later
  session 3  the ACS sends a connection request (HTTP GET, Digest): 6 CONNECTION
             REQUEST, and reads the uptime

Usage: demo.py CWMPD SCENARIO [VALIDATOR]"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from testacs_lib.acs import TestACS  # noqa: E402
from testacs_lib import cwmp  # noqa: E402


def main():
    cwmpd, scenario = sys.argv[1], sys.argv[2]
    validator = sys.argv[3] if len(sys.argv) > 3 and os.access(sys.argv[3], os.X_OK) else None
    work = tempfile.mkdtemp(prefix="cwmp-demo.")
    acs = TestACS(path="/acs", validate=validator, verbose=True, on_line=lambda line: print(line, flush=True))
    acs.cr_username, acs.cr_password = "acs-demo", "cr-secret"
    acs.load_scenario(scenario)
    acs.start()
    config = os.path.join(work, "cwmpd.conf")
    with open(config, "w") as f:
        f.write("acs_url = %s\nboard = sim\nstore = %s/agent.db\nstaging_dir = %s\nconnection_request_port = 0\n"
                "connection_request_path = /cr\n"
                "Device.ManagementServer.ConnectionRequestUsername = acs-demo\n"
                "Device.ManagementServer.ConnectionRequestPassword = cr-secret\n" % (acs.url, work, work))
    print("demo: cwmpd (platform/sim, rdk-stb) -> test ACS at %s" % acs.url, flush=True)
    log_path = os.path.join(work, "cwmpd.log")
    with open(log_path, "w") as log:
        cpe = subprocess.Popen([cwmpd, "-c", config], stderr=log)
    status = 0
    try:
        acs.wait_for_session(20)  # bootstrap
        acs.wait_for_session(20)  # periodic, 3 s later
        acs.queue(cwmp.GetParameterValues(["Device.DeviceInfo.UpTime"]))
        result = acs.connection_request()
        if result.status != 200:
            raise RuntimeError("connection request failed: %s" % (result,))
        acs.wait_for_session(20)
    except Exception as e:  # noqa: BLE001 - the demo reports and fails
        print("demo: %s" % e, flush=True)
        status = 1
    finally:
        cpe.terminate()
        cpe.wait(10)
        acs.stop()
    if validator:
        acs.validate_all()
        print("demo: %d message(s) from cwmpd, %d invalid" % (
            sum(len(s.messages) for s in acs.sessions), len(acs.validation_errors)), flush=True)
        status = status or (1 if acs.validation_errors else 0)
    print("demo: cwmpd's log:")
    with open(log_path) as f:
        for line in f:
            print("  " + line.rstrip())
    return status


if __name__ == "__main__":
    sys.exit(main())
