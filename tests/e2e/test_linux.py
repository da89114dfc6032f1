"""cwmpd with `board = linux` (profile linux-host) managing a real Linux host: a
network namespace of its own with a veth pair to a peer namespace, a
loop-mounted ext4 filesystem, resolv.conf bound in by `ip netns exec`.  What the
ACS reads is compared with the kernel's truth (`ip -j`, /proc, statvfs), counters
after traffic the test sends, interfaces added and removed during the run
(instance numbers stable and never reused, across a restart too), an active
notification pushed by the kernel's netlink announcement, the probe-style RPC
checks (GetParameterNames/Values agree, SetParameterValues all-or-nothing,
attributes, a passive notification), reboot and factory reset through the board's
command (exact events, what the ACS set back to defaults), an interface's Enable
kept across a restart, an idle cwmpd that does not poll, the host's log files as
VendorLogFile and uploaded, a missing kernel file answered with 9002 and logged by
path (cwmpd staying up), a bad [board] entry or a netlink socket that cannot be
opened stopping cwmpd with status 2 and a message; and tools/run-host (RunHost).

Needs root; without it every test skips saying so.  The ACS runs in the
namespace too (its socket is made there), so everything talks over the
namespace's own loopback."""

import os
import re
import socket
import subprocess
import sys
import time
import unittest

from harness import (CWMPD, EXIT_OK, EXIT_REBOOT, MS, E2ECase, GetParameterAttributes, GetParameterNames,
                     GetParameterValues, SetParameterAttributes, SetParameterValues)
from probe_rpcs import ProbeRpcs
from support_files import FileServer, acknowledged_transfer_completes
from testacs_lib.cwmp import FactoryReset, Reboot, Upload

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "linux"))
import netns  # noqa: E402

EXIT_FACTORY_RESET = 4
IPI = "Device.IP.Interface."
ETH = "Device.Ethernet."
SS = "Device.Services.StorageService.1."
PROC = "Device.DeviceInfo.ProcessStatus.Process."
VC = ("4 VALUE CHANGE", "")
SLACK = 1.5
CR_CREDENTIALS = {MS + "ConnectionRequestUsername": "cr", MS + "ConnectionRequestPassword": "cr"}



def without_linux_board() -> str:
    """Why this cwmpd cannot run board linux (built without it), or ""."""
    if not os.access(CWMPD, os.X_OK):
        return ""  # the harness fails such a run by itself
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as f:
        f.write("acs_url = http://127.0.0.1:9/\nstore = /tmp/unused.db\nboard = linux\n")
        f.flush()
        p = subprocess.run([CWMPD, "--check", "-c", f.name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    return "" if p.returncode == 0 else "this cwmpd has no board linux (meson -Dboards=...,linux): " + p.stdout.strip()


NO_BOARD = without_linux_board()
WHY_NOT = netns.unavailable() or NO_BOARD


def by_name(values: dict, table: str) -> dict:
    """{interface name: instance number} of an interface table in a GPV result."""
    out = {}
    for name, (value, _t) in values.items():
        m = re.fullmatch(re.escape(table) + r"(\d+)\.Name", name)
        if m:
            out[value] = int(m.group(1))
    return out


def numbers_under(values: dict, table: str) -> set:
    return {int(m.group(1)) for n in values for m in [re.match(re.escape(table) + r"(\d+)\.", n)] if m}


@unittest.skipIf(WHY_NOT, "Linux board e2e: %s" % WHY_NOT)
class LinuxCase(E2ECase):
    """cwmpd in namespace `ns` (veth v0, 192.0.2.1/24, 2001:db8::1/64), the peer in
    `peer` (v1, 192.0.2.2/24), an ext4 image mounted at <dir>/mnt."""

    def setUp(self):
        super().setUp()
        self.ns = netns.NetNS("cpe")
        self.addCleanup(self.ns.close)
        self.peer = netns.NetNS("peer")
        self.addCleanup(self.peer.close)
        self.ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", self.peer.name)
        self.ns.ip("addr", "add", "192.0.2.1/24", "dev", "v0")
        self.ns.ip("addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
        self.peer.ip("addr", "add", "192.0.2.2/24", "dev", "v1")
        self.ns.ip("link", "set", "v0", "up")
        self.peer.ip("link", "set", "v1", "up")
        self.wait_until(lambda: self.ns.links()["v0"]["operstate"] == "UP", 10, "v0 up")
        self.wait_until(self.addresses_settled, 10, "v0's addresses out of tentative state")
        self.fs = netns.LoopFS(self.dir)
        self.addCleanup(self.fs.close)
        # The resolv.conf cwmpd sees: `ip netns exec` binds /etc/netns/NAME/* over /etc.
        os.makedirs("/etc/netns/" + self.ns.name)
        self.nameservers = ["192.0.2.53", "2001:db8::53"]
        with open("/etc/netns/%s/resolv.conf" % self.ns.name, "w") as f:
            f.write("# e2e\n" + "".join("nameserver %s\n" % s for s in self.nameservers))
        self.state = os.path.join(self.dir, "board")
        os.makedirs(self.state)
        self.rebooted = os.path.join(self.dir, "rebooted")
        # Cleanups run last-first: cwmpd stops before its mount and namespaces go.
        self.addCleanup(lambda: [d.stop() for d in self.daemons])

    def addresses_settled(self):
        return all("tentative" not in a for a in self.ns.addresses()["v0"].get("addr_info", []))

    def start_linux(self, board_keys: dict = None, **keys):
        with self.ns.entered():
            acs = self.make_acs()
        section = {"state_dir": self.state, "reboot_command": "echo done >> " + self.rebooted}
        section.update(board_keys or {})
        keys.setdefault("notification_poll_interval", 60)  # only the kernel's push can be prompt
        conf = self.write_config(acs.url, board="linux", profile="linux-host", defaults=CR_CREDENTIALS,
                                 extra="[board]\n" + "".join("%s = %s\n" % kv for kv in section.items()), **keys)
        cpe = self.start_cwmpd(conf, prefix=self.ns.exec_prefix())
        return acs, cpe, conf

    def next_session(self, acs, n: int, what: str, timeout: float = 15):
        """The session after the first `n` of the ACS, once it ended."""
        self.wait_until(lambda: len(acs.sessions) > n and acs.sessions[n].outcome, timeout, what)
        return acs.sessions[n]

    def request_session(self, acs, cpe):
        """A connection request into the namespace, and the session it opens."""
        n = len(acs.sessions)
        with self.ns.entered():
            r = acs.connection_request(self.config_keys_url(), "cr", "cr")
        self.assertIn(r.status, (200, 204), "connection request refused: %s" % (r,))
        s = self.next_session(acs, n, "the requested session")
        self.assertDone(s)
        return s

    def config_keys_url(self):
        return "http://127.0.0.1:%d/cr" % self.cr_port

    def numbers_now(self, acs, cpe) -> dict:
        """{name: number} of IP.Interface once it lists the kernel's interfaces (a
        session the kernel's announcements opened may take the request first)."""
        deadline = time.monotonic() + 15
        while True:
            truth = sorted(self.ns.links())
            acs.queue(GetParameterValues([IPI]))
            self.request_session(acs, cpe)
            found = [x for s in acs.sessions for x in s.exchanges if x.method == "GetParameterValues"][-1]
            numbers = by_name(found.result, IPI)
            if sorted(numbers) == truth or time.monotonic() > deadline:
                return numbers


@unittest.skipIf(WHY_NOT, "Linux board e2e: %s" % WHY_NOT)
class LinuxHost(LinuxCase):
    # ---- the kernel's truth ------------------------------------------------------------

    def test_values_match_the_kernel(self):
        # Traffic the test sends through v0: twenty datagrams from the peer.
        self.peer.send_udp("192.0.2.1", 20)
        self.wait_until(lambda: self.ns.links()["v0"]["stats64"]["rx"]["packets"] >= 20, 5, "the datagrams on v0")
        with open(os.path.join(self.fs.mount_point, "five-mib"), "wb") as f:
            f.write(os.urandom(5 << 20))
            os.fsync(f.fileno())
        up_before = netns.proc_uptime()
        before = self.ns.links()
        acs, cpe, _ = self.start_linux()
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        acs.queue(GetParameterValues(["Device."]))
        s2 = self.request_session(acs, cpe)
        cpe_values = s2.find("GetParameterValues").result
        after = self.ns.links()
        up_after = netns.proc_uptime()
        v = {k: val for k, (val, _t) in cpe_values.items()}

        # IP interfaces: exactly the kernel's, by name.
        ip = by_name(cpe_values, IPI)
        self.assertEqual(sorted(ip), sorted(after), "IP.Interface names")
        addrs = self.ns.addresses()
        for name, n in ip.items():
            p = IPI + "%d." % n
            k = after[name]
            self.assertEqual(v[p + "Enable"], "true" if "UP" in k["flags"] else "false", name)
            self.assertEqual(int(v[p + "MaxMTUSize"]), min(k["mtu"], 65535), name)  # TR-181's maximum
            self.assertEqual(v[p + "Loopback"], "true" if name == "lo" else "false")
            self.assertEqual(v[p + "Type"], "Loopback" if name == "lo" else "Normal")
            self.assertEqual(v[p + "Status"], "Up", name)
            v4 = {(v[q + "IPAddress"], v[q + "SubnetMask"]) for q in
                  {x.rsplit(".", 1)[0] + "." for x in v if x.startswith(p + "IPv4Address.")}}
            v6 = {v[q + "IPAddress"] for q in
                  {x.rsplit(".", 1)[0] + "." for x in v if x.startswith(p + "IPv6Address.")}}
            truth4 = {(a["local"], netns.prefix_to_mask(a["prefixlen"]))
                      for a in addrs[name].get("addr_info", []) if a["family"] == "inet"}
            truth6 = {a["local"] for a in addrs[name].get("addr_info", []) if a["family"] == "inet6"}
            self.assertEqual(v4, truth4, name + " IPv4 addresses")
            self.assertEqual(v6, truth6, name + " IPv6 addresses")
            self.assertEqual(int(v[p + "IPv4AddressNumberOfEntries"]), len(truth4))
            # Counters: between the kernel's reading before and after the request.
            for param, key in (("BytesReceived", ("rx", "bytes")), ("PacketsReceived", ("rx", "packets")),
                               ("BytesSent", ("tx", "bytes")), ("PacketsSent", ("tx", "packets"))):
                lo_, hi_ = before[name]["stats64"][key[0]][key[1]], after[name]["stats64"][key[0]][key[1]]
                self.assertTrue(lo_ <= int(v[p + "Stats." + param]) <= hi_,
                                "%s %s: %s not in [%d, %d]" % (name, param, v[p + "Stats." + param], lo_, hi_))
        # v0 saw the twenty datagrams (and sent port unreachables back, rate-limited).
        self.assertGreaterEqual(int(v[IPI + "%d.Stats.PacketsReceived" % ip["v0"]]), 20)
        self.assertGreaterEqual(int(v[IPI + "%d.Stats.BytesReceived" % ip["v0"]]), 20 * 200)
        self.assertGreaterEqual(int(v[IPI + "%d.Stats.PacketsSent" % ip["v0"]]), 1)

        # Ethernet: v0 only (lo is not Ethernet), its MAC and MTU; IP.Interface's lower layer.
        eth = by_name(cpe_values, ETH + "Interface.")
        self.assertEqual(sorted(eth), ["v0"])
        e = eth["v0"]
        self.assertEqual(v[ETH + "Interface.%d.MACAddress" % e], after["v0"]["address"])
        self.assertEqual(v[ETH + "Link.%d.MACAddress" % e], after["v0"]["address"])
        self.assertEqual(int(v[ETH + "Link.%d.MTU" % e]), after["v0"]["mtu"])
        self.assertEqual(v[ETH + "Link.%d.LowerLayers" % e], ETH + "Interface.%d" % e)
        self.assertEqual(v[IPI + "%d.LowerLayers" % ip["v0"]], ETH + "Link.%d" % e)
        self.assertEqual(v[IPI + "%d.LowerLayers" % ip["lo"]], "")
        # v0's port counters, every one of them, between the kernel's readings too.
        for param, key in (("BytesReceived", ("rx", "bytes")), ("PacketsReceived", ("rx", "packets")),
                           ("BytesSent", ("tx", "bytes")), ("PacketsSent", ("tx", "packets")),
                           ("ErrorsReceived", ("rx", "errors")), ("ErrorsSent", ("tx", "errors")),
                           ("DiscardPacketsReceived", ("rx", "dropped")), ("DiscardPacketsSent", ("tx", "dropped")),
                           ("MulticastPacketsReceived", ("rx", "multicast"))):
            got = int(v[ETH + "Interface.%d.Stats.%s" % (e, param)])
            lo_, hi_ = before["v0"]["stats64"][key[0]][key[1]], after["v0"]["stats64"][key[0]][key[1]]
            self.assertTrue(lo_ <= got <= hi_, "Ethernet v0 %s: %d not in [%d, %d]" % (param, got, lo_, hi_))
        self.assertGreaterEqual(int(v[ETH + "Interface.%d.Stats.PacketsReceived" % e]), 20)
        self.assertGreaterEqual(int(v[ETH + "Interface.%d.Stats.BytesReceived" % e]), 20 * 200)

        # DeviceInfo against /proc and the files it names.
        self.assertTrue(up_before <= int(v["Device.DeviceInfo.UpTime"]) <= up_after + 1)
        self.assertEqual(int(v["Device.DeviceInfo.MemoryStatus.Total"]), netns.meminfo()["MemTotal"])
        self.assertEqual(v["Device.DeviceInfo.HostName"], socket.gethostname())
        osr = netns.os_release()
        if osr.get("VERSION_ID"):
            self.assertTrue(v["Device.DeviceInfo.SoftwareVersion"].startswith(osr["VERSION_ID"]))
        self.assertIn(PROC + "%d.PID" % cpe.pid, v, "cwmpd itself is not in the process table")
        self.assertEqual(v[PROC + "%d.Command" % cpe.pid], "cwmpd")
        self.assertIn(v[PROC + "%d.State" % cpe.pid], ("Running", "Sleeping"))
        self.assertLessEqual(int(v["Device.DeviceInfo.ProcessStatus.CPUUsage"]), 100)

        # DNS from the resolv.conf the namespace binds; Time's zone from /etc/localtime.
        servers = [v["Device.DNS.Client.Server.%d.DNSServer" % n]
                   for n in sorted(numbers_under(cpe_values, "Device.DNS.Client.Server."))]
        self.assertEqual(servers, self.nameservers)
        self.assertEqual(v["Device.Time.LocalTimeZone"], netns.local_time_zone())
        ntp_configured = any(os.path.exists(p) for p in ("/etc/systemd/timesyncd.conf", "/etc/chrony/chrony.conf",
                                                          "/etc/chrony.conf"))
        self.assertEqual(v["Device.Time.ClientNumberOfEntries"], "1" if ntp_configured else "0")

        # Storage: the loop-mounted filesystem as a volume, its loop device as a medium.
        vols = {v[SS + "LogicalVolume.%d.Name" % n]: n for n in numbers_under(cpe_values, SS + "LogicalVolume.")}
        self.assertIn(self.fs.mount_point, vols)
        lv = SS + "LogicalVolume.%d." % vols[self.fs.mount_point]
        capacity, used = self.fs.df()
        self.assertEqual(int(v[lv + "Capacity"]), capacity)
        self.assertEqual(int(v[lv + "UsedSpace"]), used)
        self.assertGreaterEqual(used, 5)
        self.assertEqual(v[lv + "FileSystem"], "ext4")
        medium = v[lv + "PhysicalReference"]
        self.assertRegex(medium, re.escape(SS) + r"PhysicalMedium\.\d+$")
        self.assertEqual(v[medium + ".Name"], os.path.basename(self.fs.device))
        self.assertEqual(int(v[medium + ".Capacity"]), 64)
        self.assertEqual(cpe.stop(), EXIT_OK)

    # ---- interfaces come and go ------------------------------------------------------------

    def test_interfaces_added_and_removed(self):
        acs, cpe, conf = self.start_linux()
        s1 = acs.wait_for_session(10)
        self.assertDone(s1)
        first = self.numbers_now(acs, cpe)
        self.assertEqual(sorted(first), ["lo", "v0"])
        # Active notification on v0's Status and the number of interfaces.
        status = IPI + "%d.Status" % first["v0"]
        acs.queue(SetParameterAttributes([(status, 2), (IPI[:-len("Interface.")] + "InterfaceNumberOfEntries", 2)]))
        self.request_session(acs, cpe)

        # The peer's end goes down: v0 loses its carrier; the kernel's announcement
        # makes cwmpd compare at once (its own poll is 60 s away).
        n = len(acs.sessions)
        t0 = time.time()
        self.peer.ip("link", "set", "v1", "down")
        s = self.next_session(acs, n, "the VALUE CHANGE session", 10)
        self.assertDone(s)
        self.assertEvents(s, [VC])
        # A veth whose peer is down has no carrier: the kernel says DOWN.
        kernel = {"UP": "Up", "DOWN": "Down", "LOWERLAYERDOWN": "LowerLayerDown"}[self.ns.links()["v0"]["operstate"]]
        self.assertEqual(kernel, "Down")
        self.assertEqual(s.parameters[status][0], kernel)
        self.assertLess(s.started_at - t0, 3 + SLACK, "the active notification was not prompt")
        last_change = IPI + "%d.LastChange" % first["v0"]
        acs.queue(GetParameterValues([last_change]))
        s = self.request_session(acs, cpe)
        lc_at, lc = time.time(), int(self.value(s.find("GetParameterValues"), last_change))
        self.assertLessEqual(lc, time.time() - t0 + 1, "LastChange is older than the change")

        # Interfaces added (a veth pair, both ends here): new numbers; removed: their
        # numbers never come back, not even for a new interface of the same name.
        n = len(acs.sessions)
        self.ns.ip("link", "add", "x0", "type", "veth", "peer", "name", "y0")
        self.next_session(acs, n, "a session for x0 and y0 (InterfaceNumberOfEntries, active)", 10)
        second = self.numbers_now(acs, cpe)
        self.assertEqual(second["lo"], first["lo"])
        self.assertEqual(second["v0"], first["v0"])
        self.assertGreater(min(second["x0"], second["y0"]), max(first.values()))
        self.ns.ip("link", "del", "x0")  # y0 goes with it
        self.ns.ip("link", "add", "x0", "type", "veth", "peer", "name", "y1")
        third = self.numbers_now(acs, cpe)
        self.assertEqual(sorted(third), ["lo", "v0", "x0", "y1"])
        self.assertEqual(third["v0"], first["v0"])
        self.assertGreater(min(third["x0"], third["y1"]), max(second.values()))
        self.assertNotIn(second["x0"], third.values())
        self.assertNotIn(second["y0"], third.values())

        # cwmpd restarts (same boot, so no session of its own): every number as before.
        self.assertEqual(cpe.stop(), EXIT_OK)
        cpe.start()
        cpe.wait_log(r"start: cwmpd restarted within boot")
        self.assertEqual(self.numbers_now(acs, cpe), third)
        # LastChange went on counting from the change, not from the restart.
        acs.queue(GetParameterValues([last_change]))
        s = self.request_session(acs, cpe)
        self.assertGreaterEqual(int(self.value(s.find("GetParameterValues"), last_change)),
                                lc + int(time.time() - lc_at) - 1)
        self.assertEqual(cpe.stop(), EXIT_OK)

    # ---- the RPCs (the probes every board passes: LinuxProbe) -----------------------------------

    def test_writable_parameters_act_on_the_kernel(self):
        """Writable on linux-host: an interface's Enable and what the agent stores, no
        more; Enable takes the device down and up for real, through IP.Interface and
        through Ethernet.Interface alike.  No Device.XMPP. in this profile."""
        acs, cpe, _ = self.start_linux()
        acs.wait_for_session(10)
        acs.queue(GetParameterNames("Device.", False), GetParameterValues(["Device."]))
        s = self.request_session(acs, cpe)
        names = s.find("GetParameterNames").result
        values = s.find("GetParameterValues").result
        # linux-host has no Device.XMPP.: the generated paths say so, and XMPP is not announced.
        self.assertFalse(any(n.startswith("Device.XMPP.") for n in names))
        self.assertEqual(values[MS + "SupportedConnReqMethods"][0], "HTTP,STUN")
        # Writable: exactly an interface's Enable and what the agent stores (its own
        # settings, and the TR-143 diagnostics' inputs, which it runs itself).
        writable = {n for n, w in names.items() if w and not n.endswith(".")}
        platform_writable = {n for n in writable if not n.startswith((MS, "Device.IP.Diagnostics."))
                             and n != "Device.DeviceInfo.ProvisioningCode"}
        self.assertTrue(platform_writable)
        self.assertTrue(all(re.fullmatch(r"Device\.(IP|Ethernet)\.Interface\.\d+\.Enable", n)
                            for n in platform_writable), platform_writable)
        v0 = by_name(values, IPI)["v0"]
        enable = IPI + "%d.Enable" % v0
        acs.queue(SetParameterValues([(enable, "false", "xsd:boolean")], key="down"),
                  GetParameterValues([enable, IPI + "%d.Status" % v0]))
        s = self.request_session(acs, cpe)
        self.assertOk(s.find("SetParameterValues"))
        self.assertNotIn("UP", self.ns.links()["v0"]["flags"])
        self.assertEqual(self.value(s.find("GetParameterValues"), enable), "false")
        self.assertEqual(self.value(s.find("GetParameterValues"), IPI + "%d.Status" % v0), "Down")
        acs.queue(SetParameterValues([(enable, "true", "xsd:boolean")], key="up"))
        self.request_session(acs, cpe)
        self.assertIn("UP", self.ns.links()["v0"]["flags"])
        # The Ethernet port's Enable is the same device's.
        eth_enable = ETH + "Interface.%d.Enable" % by_name(values, ETH + "Interface.")["v0"]
        acs.queue(SetParameterValues([(eth_enable, "false", "xsd:boolean")], key="eth-down"))
        self.request_session(acs, cpe)
        self.assertNotIn("UP", self.ns.links()["v0"]["flags"])
        acs.queue(SetParameterValues([(eth_enable, "true", "xsd:boolean")], key="eth-up"))
        self.request_session(acs, cpe)
        self.assertIn("UP", self.ns.links()["v0"]["flags"])
        self.assertEqual(cpe.stop(), EXIT_OK)

    # ---- reboot, factory reset -----------------------------------------------------------------

    def test_reboot_and_factory_reset_run_the_command(self):
        """Reboot and FactoryReset run the board's command; the Informs after them carry
        exactly 1 BOOT + M Reboot (CommandKey) and 0 BOOTSTRAP + 1 BOOT; the reset
        removes the board's instance numbers and what the ACS set (a value, an
        attribute) is back to its default."""
        prov = "Device.DeviceInfo.ProvisioningCode"
        watched = "Device.DeviceInfo.HostName"
        acs, cpe, _ = self.start_linux()
        acs.wait_for_session(10)
        acs.queue(GetParameterValues([IPI]), Reboot("r1"))  # numbers the interfaces: the board's file
        self.request_session(acs, cpe)
        self.assertEqual(cpe.wait(10), EXIT_REBOOT)
        with open(self.rebooted) as f:
            self.assertEqual(f.read(), "done\n")
        numbers = os.path.join(self.state, "linux-board.numbers")
        self.assertTrue(os.path.exists(numbers))
        n = len(acs.sessions)
        cpe.start()
        s = self.next_session(acs, n, "the boot session")
        self.assertEvents(s, [("1 BOOT", ""), ("M Reboot", "r1")])
        acs.queue(SetParameterValues([(prov, "from-the-acs", "xsd:string")], key="prov"),
                  SetParameterAttributes([{"name": watched, "notification": 1, "access_list": ["Subscriber"]}]),
                  GetParameterValues([prov]), GetParameterAttributes([watched]), FactoryReset())
        s = self.request_session(acs, cpe)
        self.assertEqual(self.value(s.find("GetParameterValues"), prov), "from-the-acs")
        self.assertEqual(s.find("GetParameterAttributes").result[watched], (1, ["Subscriber"]))
        self.assertEqual(cpe.wait(10), EXIT_FACTORY_RESET)
        with open(self.rebooted) as f:
            self.assertEqual(f.read(), "done\ndone\n")
        self.assertFalse(os.path.exists(numbers), "the board's instance numbers survived a factory reset")
        n = len(acs.sessions)
        acs.queue(GetParameterValues([prov, MS + "ParameterKey"]), GetParameterAttributes([watched]))
        cpe.start()
        s = self.next_session(acs, n, "the bootstrap session")
        self.assertDone(s)
        self.assertEvents(s, [("0 BOOTSTRAP", ""), ("1 BOOT", "")])
        self.assertEqual(s.parameters[prov][0], "", "ProvisioningCode survived the factory reset")
        self.assertEqual(self.value(s.find("GetParameterValues"), prov), "")
        self.assertEqual(self.value(s.find("GetParameterValues"), MS + "ParameterKey"), "")
        self.assertEqual(s.find("GetParameterAttributes").result[watched], (0, []),
                         "an attribute survived the factory reset")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_restart_within_a_boot_is_no_boot(self):
        """1 BOOT is the host's boot (the kernel's boot_id, read under proc_root), not
        cwmpd's start: restarted (SIGTERM, same store) within the boot, cwmpd reports
        no BOOT and keeps the event it had not delivered (a session at start carries
        it); with nothing to deliver it opens no session by itself (a connection
        request's session then carries 6 CONNECTION REQUEST alone); under a new
        boot id it reports 1 BOOT."""
        fake = os.path.join(self.dir, "proc")
        os.makedirs(os.path.join(fake, "sys", "kernel", "random"))
        for name in ("uptime", "sys/kernel/hostname", "sys/kernel/osrelease"):
            with open(os.path.join("/proc", name)) as src, open(os.path.join(fake, name), "w") as dst:
                dst.write(src.read())

        def boot(n: int) -> str:
            boot_id = "0b7d7f6e-0000-4000-8000-%012d" % n
            with open(os.path.join(fake, "sys", "kernel", "random", "boot_id"), "w") as f:
                f.write(boot_id + "\n")
            return boot_id

        boot(1)
        acs, cpe, _ = self.start_linux(board_keys={"proc_root": fake})
        s = acs.wait_for_session(10)
        self.assertDone(s)
        self.assertEvents(s, [("0 BOOTSTRAP", ""), ("1 BOOT", "")])

        # A connection request whose Inform the ACS refuses: its event waits for the
        # retry (5 s or more away) when cwmpd stops.
        acs.fail_informs(1)
        n = len(acs.sessions)
        with self.ns.entered():
            r = acs.connection_request(self.config_keys_url(), "cr", "cr")
        self.assertIn(r.status, (200, 204), "connection request refused: %s" % (r,))
        self.assertEqual(self.next_session(acs, n, "the refused session").outcome, "inform-fault")
        self.assertEqual(cpe.stop(), EXIT_OK)
        n = len(acs.sessions)
        cpe.start()
        s = self.next_session(acs, n, "the session for the kept event")
        self.assertDone(s)
        self.assertEvents(s, [("6 CONNECTION REQUEST", "")])

        # Nothing left to deliver: a restart opens no session of its own.
        self.assertEqual(cpe.stop(), EXIT_OK)
        n = len(acs.sessions)
        cpe.start()
        cpe.wait_log(r"start: (the device booted|cwmpd restarted within boot)")  # the agent started
        time.sleep(1.5)  # a session at start would have begun by now
        s = self.request_session(acs, cpe)
        self.assertEvents(s, [("6 CONNECTION REQUEST", "")])
        self.assertEqual(len(acs.sessions), n + 1, "a session opened at a restart with nothing to report")

        # The host booted again: a new boot id.
        self.assertEqual(cpe.stop(), EXIT_OK)
        boot(2)
        n = len(acs.sessions)
        cpe.start()
        s = self.next_session(acs, n, "the boot session")
        self.assertDone(s)
        self.assertEvents(s, [("1 BOOT", "")])
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_enable_persists_across_a_restart(self):
        """An interface's Enable the ACS writes is kept (the board's Settings): a
        restart of cwmpd applies it again to an interface someone changed behind its
        back meanwhile, and an interface of that name that appears later gets it too;
        while cwmpd runs, a change behind its back stays.  A factory reset brings
        up again what the ACS disabled and forgets it all."""
        def up(name):
            links = self.ns.links()
            return name in links and "UP" in links[name]["flags"]

        self.ns.ip("link", "add", "x0", "type", "veth", "peer", "name", "y0")  # created down
        acs, cpe, _ = self.start_linux()
        acs.wait_for_session(10)
        numbers = self.numbers_now(acs, cpe)
        v0, x0 = IPI + "%d.Enable" % numbers["v0"], IPI + "%d.Enable" % numbers["x0"]
        acs.queue(SetParameterValues([(v0, "false", "xsd:boolean"), (x0, "true", "xsd:boolean")], key="en"))
        self.assertOk(self.request_session(acs, cpe).find("SetParameterValues"))
        self.assertFalse(up("v0"))
        self.assertTrue(up("x0"))
        self.assertEqual(cpe.stop(), EXIT_OK)

        # Behind cwmpd's back: v0 up again, x0 gone.
        self.ns.ip("link", "set", "v0", "up")
        self.ns.ip("link", "del", "x0")
        cpe.start()
        cpe.wait_log(r"start: cwmpd restarted within boot")  # the board started first (no session: same boot)
        self.assertFalse(up("v0"), "the Enable=false the ACS wrote was not applied again at start")
        acs.queue(GetParameterValues([v0]))
        self.assertEqual(self.value(self.request_session(acs, cpe).find("GetParameterValues"), v0), "false")
        cpe.wait_log(r"board linux: v0: Enable false as the ACS set it")
        # x0 comes back (down, as a new veth is): it gets the ACS's Enable=true.
        self.ns.ip("link", "add", "x0", "type", "veth", "peer", "name", "y0")
        self.wait_until(lambda: up("x0"), 5, "x0 brought up as the ACS set it")
        self.assertFalse(up("y0"), "an interface the ACS never wrote was changed")
        # While cwmpd runs, what an administrator does stays.
        self.ns.ip("link", "set", "v0", "up")
        self.numbers_now(acs, cpe)  # sessions, the kernel's announcements handled
        self.assertTrue(up("v0"), "cwmpd took v0 down again while running")

        # Factory reset: v0 disabled by the ACS again, then the reset brings it up.
        acs.queue(SetParameterValues([(v0, "false", "xsd:boolean")], key="en2"), FactoryReset())
        self.request_session(acs, cpe)
        self.assertEqual(cpe.wait(10), EXIT_FACTORY_RESET)
        self.assertTrue(up("v0"), "the interface the ACS disabled stayed down after a factory reset")
        # Nothing kept: after a restart, the kernel's state is left as it is.
        self.ns.ip("link", "set", "x0", "down")
        n = len(acs.sessions)
        cpe.start()
        self.next_session(acs, n, "the bootstrap session")
        self.assertTrue(up("v0"))
        self.assertFalse(up("x0"), "an Enable the ACS wrote survived the factory reset")
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_idle_is_quiet(self):
        """No polling storm: idle for 10 s after its boot session (default notification
        poll, every 5 s), cwmpd makes few read system calls and uses little CPU
        (/proc/PID/io syscr, /proc/PID/stat utime+stime).  The bounds leave room for a
        busy machine and a sanitized build, not for a loop that reads the host every
        moment."""
        def sample(pid):
            with open("/proc/%d/io" % pid) as f:
                io = dict(line.split(": ") for line in f.read().splitlines())
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            wakeups = 0  # every thread's: a loop polling the kernel wakes up often
            for task in os.listdir("/proc/%d/task" % pid):
                with open("/proc/%d/task/%s/status" % (pid, task)) as f:
                    wakeups += sum(int(l.split()[1]) for l in f if l.startswith("voluntary_ctxt_switches"))
            # read calls, utime + stime (clock ticks), wake-ups
            return int(io["syscr"]), int(fields[11]) + int(fields[12]), wakeups

        acs, cpe, _ = self.start_linux(notification_poll_interval=None)  # the default
        self.assertDone(acs.wait_for_session(10))
        self.wait_until(lambda: all(s.finished for s in acs.sessions), 10, "the boot session's end")
        time.sleep(1)
        reads0, ticks0, wakeups0 = sample(cpe.pid)
        t0 = time.monotonic()
        time.sleep(10)
        reads1, ticks1, wakeups1 = sample(cpe.pid)
        seconds = time.monotonic() - t0
        hz = os.sysconf("SC_CLK_TCK")
        reads, cpu, wakeups = reads1 - reads0, (ticks1 - ticks0) / hz, wakeups1 - wakeups0
        print("idle %.1f s: %d read calls, %.2f s CPU, %d wake-ups" % (seconds, reads, cpu, wakeups))
        self.assertEqual(len(acs.sessions), 1, "sessions while idle")
        self.assertLess(reads, 100, "%d read system calls in %.1f s idle" % (reads, seconds))
        self.assertLess(wakeups, 40, "%d wake-ups in %.1f s idle" % (wakeups, seconds))
        self.assertLess(cpu, 0.05 * seconds, "%.2f s CPU in %.1f s idle" % (cpu, seconds))
        self.assertEqual(cpe.stop(), EXIT_OK)

    # ---- the host's log files -------------------------------------------------------------------

    def test_vendor_log_files_listed_and_uploaded(self):
        """[board] vendor_log_files: each that exists is a VendorLogFile (Persistent on the
        ext4 mount, not in /dev/shm's tmpfs; a missing one is no instance); Upload of
        "2 Vendor Log File" PUTs the first one's bytes; once it is gone, 9011 and the log
        names it."""
        # VendorLogFile.Name holds 64 characters: a short link to the ext4 mount.
        disk = "/tmp/cwmp-e2e-%d-disk" % os.getpid()
        os.symlink(self.fs.mount_point, disk)
        self.addCleanup(os.remove, disk)
        on_disk = os.path.join(disk, "host.log")
        in_memory = "/dev/shm/cwmp-e2e-%d.log" % os.getpid()
        missing = os.path.join(disk, "never.log")
        self.addCleanup(lambda: os.path.exists(in_memory) and os.remove(in_memory))
        data = b"".join(b"Dec  2 05:%02d:00 host daemon[%d]: line %d \xc3\xa9\n" % (i % 60, i, i) for i in range(3000))
        with open(on_disk, "wb") as f:
            f.write(data)
        with open(in_memory, "w") as f:
            f.write("kept in memory\n")
        with self.ns.entered():
            files = FileServer()
        self.addCleanup(files.stop)
        acs, cpe, _ = self.start_linux(board_keys={"vendor_log_files": ", ".join([missing, on_disk, in_memory])})
        acs.wait_for_session(10)
        log = "Device.DeviceInfo.VendorLogFile."
        acs.queue(GetParameterValues([log, "Device.DeviceInfo.VendorLogFileNumberOfEntries"]),
                  Upload(files.url("/up/host.log"), "2 Vendor Log File", key="log-up"))
        s = self.request_session(acs, cpe)
        gpv = s.find("GetParameterValues")
        self.assertOk(gpv)
        values = {k: v[0] for k, v in gpv.result.items()}
        self.assertEqual(values["Device.DeviceInfo.VendorLogFileNumberOfEntries"], "2")
        tables = {values[k]: k[:-len("Name")] for k in values if k.startswith(log) and k.endswith(".Name")}
        self.assertEqual(set(tables), {on_disk, in_memory})
        self.assertEqual(values[tables[on_disk] + "Persistent"], "true")
        self.assertEqual(values[tables[in_memory] + "Persistent"], "false")
        self.assertEqual(values[tables[on_disk] + "MaximumSize"], "0")
        self.assertEqual(s.find("Upload", 0).response.get("Status"), "1")
        self.assertEqual(files.wait_for_upload("/up/host.log", 15), data)
        self.wait_until(lambda: any(e.request.get("CommandKey") == "log-up"
                                    for _s, e in acknowledged_transfer_completes(acs)), 15, "TransferComplete log-up")
        # Both gone: nothing to send.
        self.wait_until(lambda: all(x.finished for x in acs.sessions), 10, "the TransferComplete session's end")
        os.remove(on_disk)
        os.remove(in_memory)
        acs.queue(Upload(files.url("/up/again.log"), "2 Vendor Log File", key="log-gone"))
        self.request_session(acs, cpe)
        self.wait_until(lambda: any(e.request.get("CommandKey") == "log-gone"
                                    for _s, e in acknowledged_transfer_completes(acs)), 15, "TransferComplete log-gone")
        codes = {e.request.get("CommandKey"): int((e.request.get("FaultStruct") or {}).get("FaultCode", -1))
                 for _s, e in acknowledged_transfer_completes(acs)}
        self.assertEqual(codes, {"log-up": 0, "log-gone": 9011})
        # The operator reads which file is missing in the FaultString itself (not only in cwmpd's log).
        gone = [e.request["FaultStruct"]["FaultString"] for _s, e in acknowledged_transfer_completes(acs)
                if e.request.get("CommandKey") == "log-gone"][0]
        self.assertRegex(gone, r"^Upload failure: .*" + re.escape(missing), gone)
        self.assertNotIn("/up/again.log", files.uploads)
        cpe.wait_log(re.escape(missing))
        self.assertTrue(cpe.running())
        self.assertEqual(cpe.stop(), EXIT_OK)

    # ---- bad input ---------------------------------------------------------------------------------

    def test_missing_kernel_file_is_9002_and_logged(self):
        # A /proc with what the Inform needs (DeviceInfo's uptime, host name) and no meminfo.
        fake = os.path.join(self.dir, "proc")
        os.makedirs(os.path.join(fake, "sys", "kernel"))
        for name in ("uptime", "sys/kernel/hostname", "sys/kernel/osrelease"):
            with open(os.path.join("/proc", name)) as src, open(os.path.join(fake, name), "w") as dst:
                dst.write(src.read())
        acs, cpe, _ = self.start_linux(board_keys={"proc_root": fake})
        acs.wait_for_session(10)
        acs.queue(GetParameterValues(["Device.DeviceInfo.MemoryStatus."]),
                  GetParameterValues(["Device.Time.LocalTimeZone"]))
        s = self.request_session(acs, cpe)
        self.assertEqual(s.find("GetParameterValues", 0).fault.code, 9002)
        self.assertOk(s.find("GetParameterValues", 1))
        cpe.wait_log(re.escape(os.path.join(fake, "meminfo")))
        self.assertTrue(cpe.running())
        self.assertEqual(cpe.stop(), EXIT_OK)

    def test_unknown_board_key_stops_at_start(self):
        """A bad [board] entry stops cwmpd at start (status 2), the message naming
        the file, the line and the key: an unknown key, and a bad value."""
        for key, value, why in (("no_such_key", "1", "not a key of board linux"),
                                ("manufacturer_oui", "00005e", "not six upper-case hex digits: 00005e")):
            with self.subTest(key=key):
                acs, cpe, conf = self.start_linux(board_keys={key: value})
                self.assertEqual(cpe.wait(10), 2)
                with open(conf) as f:
                    line = [i for i, l in enumerate(f, 1) if l.strip() == "%s = %s" % (key, value)]
                self.assertEqual(len(line), 1)
                self.assertIn("%s:%d: %s: %s" % (conf, line[0], key, why), cpe.log())
                self.assertEqual(acs.sessions, [])

    def test_netlink_failure_is_a_config_error(self):
        """The board cannot open its netlink sockets (here: too few descriptors
        allowed): `cwmpd --check` and a start both exit with the configuration
        status (2) and say why, never abort.  The limit is raised one at a time
        from where the binary barely loads, so that some run fails exactly at the
        board's sockets whatever the build opens before them."""
        conf = self.write_config("http://127.0.0.1:9/acs", board="linux", profile="linux-host",
                                 board_keys={"state_dir": self.state, "reboot_command": "true"})
        for args in (["--check", "-c", conf], ["-c", conf]):
            with self.subTest(args=args[0]):
                runs = []
                for n in range(4, 64):
                    cmd = self.ns.exec_prefix() + ["prlimit", "--nofile=%d:%d" % (n, n), CWMPD] + args
                    try:
                        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                           timeout=15)
                    except subprocess.TimeoutExpired:
                        break  # enough descriptors: it runs (killed by the timeout)
                    runs.append((n, p.returncode, p.stdout))
                    self.assertGreaterEqual(p.returncode, 0, "limit %d: killed by a signal:\n%s" % (n, p.stdout))
                    if "netlink socket" in p.stdout:
                        break
                hit = [r for r in runs if "netlink socket" in r[2]]
                self.assertTrue(hit, "no run failed at the netlink sockets: %s" % runs)
                n, code, out = hit[0]
                self.assertEqual(code, 2, out)
                self.assertIn("board linux cannot start: netlink socket: Too many open files", out)


@unittest.skipIf(WHY_NOT, "Linux board e2e: %s" % WHY_NOT)
class LinuxProbe(ProbeRpcs, LinuxCase):
    """The probe-style RPC checks every board passes (probe_rpcs.py), on the Linux
    host; test_rpc.SimProbe runs the same on the sim."""
    # Processes come and go between two calls, and so do the loop devices and mounts of
    # tests running beside this one (the block devices and the mount table are the
    # machine's).  (tests/linux/test_board.cpp checks the whole tree on a fixed fixture.)
    probe_volatile = (PROC, "Device.DeviceInfo.ProcessStatus.ProcessNumberOfEntries", SS + "PhysicalMedium",
                      SS + "LogicalVolume")

    def probe_start(self):
        acs, cpe, _ = self.start_linux()
        self.assertDone(acs.wait_for_session(10))
        return acs, cpe

    def probe_session(self, acs, cpe):
        return self.request_session(acs, cpe)

    def probe_writable(self, values):
        return IPI + "%d.Enable" % by_name(values, IPI)["v0"]

    def probe_applied(self, name, value):
        self.assertEqual("UP" in self.ns.links()["v0"]["flags"], value == "true", "v0 in the kernel")

    def probe_changing(self, values):
        """v0's MTU, changed under cwmpd (the kernel announces it)."""
        mtus = iter([1400, 1300, 1200])
        return (IPI + "%d.MaxMTUSize" % by_name(values, IPI)["v0"],
                lambda: self.ns.ip("link", "set", "v0", "mtu", str(next(mtus))))


@unittest.skipIf(NO_BOARD, "tools/run-host: %s" % NO_BOARD)
class RunHost(unittest.TestCase):
    """The README's one command for the second way, `tools/run-host` (here with
    --no-build and CWMPD naming the cwmpd under test): the bundled test ACS holds
    one session with cwmpd on board linux, which reads this host."""

    def test_one_command_reads_this_host(self):
        import tempfile
        root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
        with tempfile.TemporaryDirectory(prefix="cwmp-run-host-") as tmp:
            up_before = netns.proc_uptime()
            p = subprocess.run([sys.executable, os.path.join(root, "tools", "run-host"), "--no-build"],
                               env=dict(os.environ, CWMPD=os.path.abspath(CWMPD), TMPDIR=tmp),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
            up_after = netns.proc_uptime()
        out = p.stdout
        self.assertEqual(p.returncode, 0, out[-3000:])
        self.assertEqual(len(re.findall(r"^--- session \d+:", out, re.M)), 1, out[-3000:])
        self.assertIn("CPE -> ACS  Inform (0 BOOTSTRAP, 1 BOOT)", out)
        self.assertRegex(out, r"ACS -> CPE  204 \(end of session\)")
        values = dict(re.findall(r"^\s+(Device\.\S+) = (.*) \(xsd:\w+\)$", out, re.M))
        self.assertEqual(values.get("Device.DeviceInfo.HostName"), socket.gethostname())
        self.assertTrue(up_before <= int(values["Device.DeviceInfo.UpTime"]) <= up_after + 1, out[-3000:])
        self.assertEqual(int(values["Device.DeviceInfo.MemoryStatus.Total"]), netns.meminfo()["MemTotal"])
        self.assertNotRegex(out, r"run-host: [1-9]\d* invalid message")


if __name__ == "__main__":
    unittest.main()
