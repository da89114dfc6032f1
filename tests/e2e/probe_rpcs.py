"""Probe-style RPC checks that hold on every board, in one copy: GetParameterNames
and GetParameterValues agree on the whole tree and each NumberOfEntries counts the
instances listed; SetParameterValues is all or nothing; attributes are set and read
back; a passive change rides on the next Inform with 4 VALUE CHANGE, an active one
opens a session of its own.  A class per board mixes ProbeRpcs into E2ECase and says
how to reach that board (test_rpc.SimProbe, test_linux.LinuxProbe):

    probe_start()                 -> (acs, cpe): cwmpd running, its first session over
    probe_session(acs, cpe)       -> a finished session that a connection request opened
                                     (it carries what the ACS queued)
    probe_writable(values)        -> a boolean the board owns that the ACS may write,
                                     given a GetParameterValues of the root
    probe_changing(values)        -> (name, change): a parameter that active notification
                                     may watch, and a function that changes its value
    probe_applied(name, value)    the board really did it (optional)
    probe_volatile                prefixes of names that come and go between two calls
    probe_root                    the profile's root object (default "Device.")
    probe_counted                 {NumberOfEntries parameter: its table} where the
                                  model's name is not the table's + NumberOfEntries
"""

from harness import (GetParameterAttributes, GetParameterNames, GetParameterValues, SetParameterAttributes,
                     SetParameterValues)

VC = ("4 VALUE CHANGE", "")
CR = ("6 CONNECTION REQUEST", "")


class ProbeRpcs:
    probe_volatile = ()
    probe_root = "Device."
    probe_counted = {}

    @property
    def ms(self):
        return self.probe_root + "ManagementServer."

    @property
    def read_only(self):
        return self.probe_root + "DeviceInfo.SoftwareVersion"  # read-only in every profile

    def probe_applied(self, name, value):
        pass

    def probe_tree(self, acs, cpe):
        """(GetParameterNames, GetParameterValues) results of the root object, from one session."""
        acs.queue(GetParameterNames(self.probe_root, False), GetParameterValues([self.probe_root]))
        s = self.probe_session(acs, cpe)
        return s.find("GetParameterNames").result, s.find("GetParameterValues").result

    def stable(self, name):
        return not name.startswith(tuple(self.probe_volatile))

    def test_probe_names_and_values_agree(self):
        acs, cpe = self.probe_start()
        names, values = self.probe_tree(acs, cpe)
        self.assertEqual([n for n in names if not n.endswith(".") and self.stable(n)],
                         [n for n in values if self.stable(n)])
        # Each object listed has its parent listed; each NumberOfEntries counts the instances.
        for n in names:
            if n != self.probe_root:
                self.assertIn(n[:n.rstrip(".").rfind(".") + 1], names, "the parent of " + n)
        for n, (val, _t) in values.items():
            if n.endswith("NumberOfEntries") and self.stable(n):
                table = self.probe_counted.get(n, n[:-len("NumberOfEntries")] + ".")
                listed = {m[len(table):].split(".", 1)[0] for m in names if m.startswith(table)}
                self.assertEqual(int(val), len([i for i in listed if i.isdigit()]), n)
        # NextLevel: the root's own children only.
        acs.queue(GetParameterNames(self.probe_root, True))
        top = self.probe_session(acs, cpe).find("GetParameterNames").result
        self.assertTrue(top)
        self.assertTrue(all(n.startswith(self.probe_root) and n[len(self.probe_root):].rstrip(".").count(".") == 0
                            for n in top), sorted(top))
        self.assertEqual(cpe.stop(), 0)

    def test_probe_set_is_all_or_nothing(self):
        acs, cpe = self.probe_start()
        _names, values = self.probe_tree(acs, cpe)
        name = self.probe_writable(values)
        old = values[name][0]
        new = "false" if old in ("true", "1") else "true"
        acs.queue(SetParameterValues([(name, new, "xsd:boolean"), (self.read_only, "9.9", "xsd:string")], key="bad"),
                  GetParameterValues([name, self.ms + "ParameterKey"]))
        s = self.probe_session(acs, cpe)
        bad = s.find("SetParameterValues")
        self.assertIsNotNone(bad.fault, "a SetParameterValues with a read-only parameter was accepted")
        self.assertEqual(bad.fault.code, 9003)
        self.assertEqual({n: c for n, c, _s in bad.fault.spv_faults}, {self.read_only: 9008})
        self.assertEqual(self.value(s.find("GetParameterValues"), name), old, "a refused list applied in part")
        self.assertNotEqual(self.value(s.find("GetParameterValues"), self.ms + "ParameterKey"), "bad")
        self.probe_applied(name, old)
        # Alone it applies (and the ParameterKey with it); then back.
        for value, key in ((new, "probe"), (old, "probe-back")):
            acs.queue(SetParameterValues([(name, value, "xsd:boolean")], key=key),
                      GetParameterValues([name, self.ms + "ParameterKey"]))
            s = self.probe_session(acs, cpe)
            self.assertOk(s.find("SetParameterValues"))
            self.assertEqual(self.value(s.find("GetParameterValues"), name), value)
            self.assertEqual(self.value(s.find("GetParameterValues"), self.ms + "ParameterKey"), key)
            self.probe_applied(name, value)
        self.assertEqual(cpe.stop(), 0)

    def test_probe_attributes(self):
        acs, cpe = self.probe_start()
        _names, values = self.probe_tree(acs, cpe)
        name = self.probe_writable(values)
        obj = name[:name.rfind(".") + 1]
        acs.queue(SetParameterAttributes([{"name": name, "notification": 1, "access_list": ["Subscriber"]},
                                          (self.ms + "PeriodicInformInterval", 2)]),
                  GetParameterAttributes([name, self.ms + "PeriodicInformInterval", self.ms + "URL"]),
                  GetParameterAttributes([obj]),
                  # All or nothing: an unknown name refuses the whole list.
                  SetParameterAttributes([(name, 0), (self.probe_root + "NoSuchObject.X", 1)]),
                  GetParameterAttributes([name]))
        s = self.probe_session(acs, cpe)
        self.assertOk(s.find("SetParameterAttributes", 0))
        attrs = s.find("GetParameterAttributes", 0).result
        self.assertEqual(attrs[name], (1, ["Subscriber"]))
        self.assertEqual(attrs[self.ms + "PeriodicInformInterval"], (2, []))
        self.assertEqual(attrs[self.ms + "URL"], (0, []))
        partial = s.find("GetParameterAttributes", 1).result
        self.assertEqual(partial.get(name), (1, ["Subscriber"]))
        self.assertTrue(all(n.startswith(obj) for n in partial), sorted(partial))
        refused = s.find("SetParameterAttributes", 1)
        self.assertIsNotNone(refused.fault)
        self.assertEqual(refused.fault.code, 9005)
        self.assertEqual(s.find("GetParameterAttributes", 2).result[name], (1, ["Subscriber"]))
        self.assertEqual(cpe.stop(), 0)

    def test_probe_notifications(self):
        acs, cpe = self.probe_start()
        _names, values = self.probe_tree(acs, cpe)
        name, change = self.probe_changing(values)
        # Passive: the change opens no session; the next one carries it.
        acs.queue(SetParameterAttributes([(name, 1)]), GetParameterValues([name]))
        before = self.value(self.probe_session(acs, cpe).find("GetParameterValues"), name)
        n = len(acs.sessions)
        change()
        self.assertStaysUp(cpe, 2.5)
        self.assertEqual(len(acs.sessions), n, "a passive change opened a session")
        s = self.probe_session(acs, cpe)
        self.assertEvents(s, [CR, VC])
        self.assertIn(name, s.parameters)
        self.assertNotEqual(s.parameters[name][0], before)
        # Active: the change opens a session of its own, with 4 VALUE CHANGE alone.
        acs.queue(SetParameterAttributes([(name, 2)]))
        self.probe_session(acs, cpe)
        n = len(acs.sessions)
        change()
        self.wait_until(lambda: len(acs.sessions) > n and acs.sessions[n].finished, 15,
                        "the active notification's session")
        s = acs.sessions[n]
        self.assertDone(s)
        self.assertEvents(s, [VC])
        self.assertIn(name, s.parameters)
        self.assertEqual(cpe.stop(), 0)
