"""The runtime's own paths (generator/dmlib/runtime_paths.py) resolved per profile:

- a profile without a path the agent needs does not generate, and the error
  names the path and the profile (as dmgen prints it);
- an entry of the list that the model does not define (misspelt, or of the
  wrong kind) does not generate either;
- an optional feature the profile lacks is emitted as "" (board-example has no
  XMPP), a supported path in full, root included;
- a root model the agent does not serve generates only with --tables-only;
- in TR-098's InternetGatewayDevice:1 (the igd profile) the list resolves below
  InternetGatewayDevice., its diagnostics where TR-098 places them (PLACES);
  an optional entry that model lacks is off, a required one fails naming the
  path, and so does a PLACES target the model lacks;
- runtime/include/cwmp/dm/schema.h declares exactly the list's ModelPaths;
- the diagnostics' typed fields (runtime_diagnostics.py): a misspelt field,
  a required one a profile with the diagnostic lacks, a type the model gives
  otherwise, and a DiagnosticsState value neither the model's enumeration
  nor a fallback of it has, each fail generation naming it; TR-098's fields
  resolve where the model places them (HopHost, ...); runtime/src/diag/fields.h
  declares exactly the fields.
"""

import os
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "generator"))

from dmlib import codegen, runtime_diagnostics, runtime_paths  # noqa: E402
from dmlib.errors import DMError  # noqa: E402
from dmlib.loader import Resolver, default_dm_dir  # noqa: E402
from dmlib.profile import load_profile  # noqa: E402
from golden import hint  # noqa: E402

DMGEN = os.path.join(ROOT, "generator", "dmgen")
BOARD_EXAMPLE = os.path.join(ROOT, "tests", "board-example", "board-example.xml")
IGD = os.path.join(ROOT, "models", "profiles", "igd.xml")
GADGET = os.path.join(ROOT, "tests", "golden", "codegen", "gadget.xml")
SCHEMA_H = os.path.join(ROOT, "runtime", "include", "cwmp", "dm", "schema.h")
SETTINGS_H = os.path.join(ROOT, "runtime", "include", "cwmp", "agent", "settings.h")
FIELDS_H = os.path.join(ROOT, "runtime", "src", "diag", "fields.h")
RDK_STB = os.path.join(ROOT, "models", "profiles", "rdk-stb.xml")

# board-example without ManagementServer.ParameterKey (every other parameter listed).
NO_PARAMETER_KEY = """<?xml version="1.0" encoding="UTF-8"?>
<dt:document xmlns:dt="urn:broadband-forum-org:cwmp:devicetype-1-6"
    xmlns:cwa="urn:cwmp-agent:profile-1-0" deviceType="urn:example-com:dt:no-key">
  <import file="tr-181-2-cwmp.xml"><model name="Device:2"/></import>
  <model ref="Device:2">
    <object ref="Device.DeviceInfo." access="readOnly" minEntries="1" maxEntries="1">
      <parameter ref="Manufacturer" access="readOnly"/>
      <parameter ref="ManufacturerOUI" access="readOnly"/>
      <parameter ref="ProductClass" access="readOnly"/>
      <parameter ref="SerialNumber" access="readOnly"/>
    </object>
    <object ref="Device.ManagementServer." access="readOnly" minEntries="1" maxEntries="1" cwa:binding="runtime">
%s
    </object>
  </model>
</dt:document>
"""
MS_PARAMS = ["URL", "Username", "Password", "PeriodicInformEnable", "PeriodicInformInterval",
             "PeriodicInformTime", "ParameterKey", "ConnectionRequestURL", "ConnectionRequestUsername",
             "ConnectionRequestPassword"]


def profile_text(params):
    return NO_PARAMETER_KEY % "\n".join(f'      <parameter ref="{p}"/>' for p in params)


class Required(unittest.TestCase):
    def write(self, tmp, params, name="no-key.xml"):
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(profile_text(params))
        return path

    def test_complete_profile_generates(self):
        with tempfile.TemporaryDirectory() as tmp:
            prof = load_profile(Resolver([default_dm_dir()]), self.write(tmp, MS_PARAMS))
            resolved = runtime_paths.resolve(prof)
            self.assertEqual(resolved["ManagementServer.ParameterKey"], "Device.ManagementServer.ParameterKey")
            self.assertEqual(resolved["ManagementServer.STUNEnable"], "")

    def test_missing_required_parameter_fails_naming_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = self.write(tmp, [p for p in MS_PARAMS if p != "ParameterKey"])
            prof = load_profile(Resolver([default_dm_dir()]), path)
            with self.assertRaises(DMError) as cm:
                codegen.build_plan(prof)
            self.assertEqual(cm.exception.file, path)
            self.assertIn("Device.ManagementServer.ParameterKey", str(cm.exception))
            self.assertIn("profile 'no-key'", str(cm.exception))
            # dmgen says so and fails, writing nothing.
            out = os.path.join(tmp, "out")
            p = subprocess.run([sys.executable, DMGEN, "--dm-dir", default_dm_dir(), "generate", path,
                                "--out-dir", out], capture_output=True, text=True)
            self.assertEqual(p.returncode, 1)
            self.assertEqual(p.stderr.strip(),
                             f"dmgen: {path}: error: profile 'no-key' lacks parameter "
                             "'Device.ManagementServer.ParameterKey', which the agent needs "
                             "(required in generator/dmlib/runtime_paths.py)")
            self.assertFalse(os.path.exists(os.path.join(out, "schema.cpp")))

    def test_missing_required_object_parameters_fail(self):
        with tempfile.TemporaryDirectory() as tmp:
            text = profile_text(MS_PARAMS).replace('<parameter ref="SerialNumber" access="readOnly"/>', "")
            path = os.path.join(tmp, "no-serial.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            prof = load_profile(Resolver([default_dm_dir()]), path)
            with self.assertRaisesRegex(DMError, r"lacks parameter 'Device\.DeviceInfo\.SerialNumber'"):
                runtime_paths.resolve(prof)


class Misspelt(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prof = load_profile(Resolver([default_dm_dir()]), BOARD_EXAMPLE)

    def test_unknown_parameter_fails(self):
        entries = runtime_paths.ENTRIES + (("ManagementServer.PeriodicInformIntervall", "periodic"),)
        with self.assertRaises(DMError) as cm:
            runtime_paths.resolve(self.prof, entries)
        self.assertEqual(str(cm.exception),
                         "generator/dmlib/runtime_paths.py: error: runtime path "
                         "'ManagementServer.PeriodicInformIntervall' (parameter) is not in model Device:2.19 "
                         "(profile 'board-example'): misspelt, or newer than the model?")

    def test_unknown_optional_object_fails_even_where_the_profile_lacks_it(self):
        entries = runtime_paths.ENTRIES + (("XMPP.Conection.{i}.", "xmpp"),)
        with self.assertRaisesRegex(DMError, r"'XMPP\.Conection\.\{i\}\.' \(table\) is not in model"):
            runtime_paths.resolve(self.prof, entries)

    def test_wrong_kind_fails(self):
        # InformParameter is a table, not a single object.
        entries = runtime_paths.ENTRIES + (("ManagementServer.InformParameter.", "inform-parameters"),)
        with self.assertRaisesRegex(DMError, r"'ManagementServer\.InformParameter\.' \(object\) is not in model"):
            runtime_paths.resolve(self.prof, entries)

    def test_error_names_the_line_of_a_listed_entry(self):
        # An entry of the list itself is located at its line of runtime_paths.py.
        path, _feature = runtime_paths.ENTRIES[0]
        with open(runtime_paths.__file__, encoding="utf-8") as f:
            line = next(n for n, text in enumerate(f, 1) if f'("{path}",' in text)
        self.assertEqual(runtime_paths._line_of(path), line)


class Versions(unittest.TestCase):
    """An optional entry newer than the profile's model (bbf_pins) is emitted
    empty; in a model as new as it, it must exist like any other."""

    @classmethod
    def setUpClass(cls):
        cls.prof = load_profile(Resolver([default_dm_dir()]), BOARD_EXAMPLE)

    def test_entry_newer_than_the_model_is_empty(self):
        entries = runtime_paths.ENTRIES + (("ManagementServer.FutureThing", "future", "2.99"),)
        self.assertEqual(runtime_paths.resolve(self.prof, entries)["ManagementServer.FutureThing"], "")

    def test_entry_as_old_as_the_model_is_checked(self):
        entries = runtime_paths.ENTRIES + (("ManagementServer.PeriodicInformIntervall", "periodic", "2.14"),)
        with self.assertRaisesRegex(DMError, r"PeriodicInformIntervall' \(parameter\) is not in model Device:2\.19"):
            runtime_paths.resolve(self.prof, entries)

    def test_required_entry_takes_no_version(self):
        entries = runtime_paths.ENTRIES + (("ManagementServer.URL2", runtime_paths.REQUIRED, "2.14"),)
        with self.assertRaisesRegex(DMError, r"a required entry has no version"):
            runtime_paths.resolve(self.prof, entries)

    def test_rdk_stb_generates_on_tr_181_2_12(self):
        # IPLayerCapacity* came with 2.14: rdk-stb pinned to 2.12 still generates.
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([sys.executable, DMGEN, "--pin", "tr-181-2=12", "generate", "--out-dir", out,
                                os.path.join(ROOT, "models", "profiles", "rdk-stb.xml")],
                               capture_output=True, text=True, cwd=ROOT)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(next(os.path.join(out, f) for f in os.listdir(out) if "schema" in f)) as f:
                schema = f.read()
            self.assertIn('.ip_layer_capacity_supported = ""', schema)
            self.assertIn('.root_model = "Device:2.12"', schema)


class Emitted(unittest.TestCase):
    def test_board_example(self):
        prof = load_profile(Resolver([default_dm_dir()]), BOARD_EXAMPLE)
        resolved = runtime_paths.resolve(prof)
        self.assertEqual(resolved["ManagementServer.URL"], "Device.ManagementServer.URL")
        self.assertEqual(resolved["ManagementServer.InformParameter.{i}."],
                         "Device.ManagementServer.InformParameter.{i}.")
        # Optional features the profile lacks: empty, so the runtime leaves them off.
        self.assertEqual(resolved["XMPP.Connection.{i}."], "")
        self.assertEqual(resolved["IP.Diagnostics.IPPing."], "")
        # Plain data for the template, not C++ (members named, objects nested).
        data = runtime_paths.initializer(prof)
        self.assertEqual(data["root"], "Device.")
        ms = next(m for m in data["members"] if m["member"] == "management_server")
        self.assertIsNone(ms["path"])  # the list names ManagementServer's members, not the object
        self.assertIn({"member": "url", "path": "Device.ManagementServer.URL", "members": None}, ms["members"])
        inform = next(m for m in ms["members"] if m["member"] == "inform_parameter")
        self.assertEqual(inform["path"], "Device.ManagementServer.InformParameter.{i}.")
        members = data["count"]
        self.assertEqual(members, 1 + len(runtime_paths.ENTRIES))
        with tempfile.TemporaryDirectory() as tmp:
            codegen.generate(prof, tmp, "be_", os.path.join(tmp, "include"))
            with open(os.path.join(tmp, "be_schema.cpp"), encoding="utf-8") as f:
                text = f.read()
        self.assertIn('.parameter_key = "Device.ManagementServer.ParameterKey",', text)
        # The template nests the data: an object's own path first, then its members.
        self.assertIn('        .root = "Device.",\n        .device_info = {\n', text)
        self.assertIn('        .management_server = {\n            .url = "Device.ManagementServer.URL",\n', text)
        self.assertIn('            .inform_parameter = {\n'
                      '                .path = "Device.ManagementServer.InformParameter.{i}.",\n'
                      '                .enable = "Device.ManagementServer.InformParameter.{i}.Enable",\n', text)
        self.assertIn(f"static_assert(sizeof(cwmp::dm::ModelPaths) == {members} * sizeof(std::string_view)", text)

    def test_root_model_the_agent_does_not_serve(self):
        prof = load_profile(Resolver([os.path.dirname(GADGET), default_dm_dir()]), GADGET)
        with self.assertRaisesRegex(DMError, r"root model Gadget:1\.0 is not one the agent serves"):
            codegen.build_plan(prof)
        self.assertIsNone(codegen.build_plan(prof, agent=False)["paths"])


# The least TR-098 profile the agent serves: DeviceInfo's identity and the
# ManagementServer parameters listed (%s).
IGD_MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<dt:document xmlns:dt="urn:broadband-forum-org:cwmp:devicetype-1-6"
    xmlns:cwa="urn:cwmp-agent:profile-1-0" deviceType="urn:example-com:dt:igd-minimal">
  <import file="tr-098-1.xml"><model name="InternetGatewayDevice:1"/></import>
  <model ref="InternetGatewayDevice:1">
    <object ref="InternetGatewayDevice.DeviceInfo." access="readOnly" minEntries="1" maxEntries="1">
      <parameter ref="Manufacturer"/><parameter ref="ManufacturerOUI"/>
      <parameter ref="ProductClass"/><parameter ref="SerialNumber"/>
    </object>
    <object ref="InternetGatewayDevice.ManagementServer." access="readOnly" minEntries="1" maxEntries="1"
        cwa:binding="runtime">
%s
    </object>
  </model>
</dt:document>
"""


class Tr098(unittest.TestCase):
    """The list against TR-098's root model (InternetGatewayDevice:1)."""

    @classmethod
    def setUpClass(cls):
        cls.igd = load_profile(Resolver([default_dm_dir()]), IGD)

    def minimal(self, tmp, params):
        path = os.path.join(tmp, "igd-minimal.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(IGD_MINIMAL % "\n".join(f'      <parameter ref="{p}"/>' for p in params))
        return load_profile(Resolver([default_dm_dir()]), path), path

    def test_igd_resolves_below_its_root(self):
        resolved = runtime_paths.resolve(self.igd)
        self.assertEqual(resolved["DeviceInfo.SerialNumber"], "InternetGatewayDevice.DeviceInfo.SerialNumber")
        self.assertEqual(resolved["ManagementServer.ParameterKey"],
                         "InternetGatewayDevice.ManagementServer.ParameterKey")
        self.assertEqual(resolved["ManagementServer.InformParameter.{i}.ParameterName"],
                         "InternetGatewayDevice.ManagementServer.InformParameter.{i}.ParameterName")
        # TR-098 keeps the diagnostics at the root (PLACES), not below IP.Diagnostics.
        for path, place in (("IP.Diagnostics.IPPing.", "IPPingDiagnostics."),
                            ("IP.Diagnostics.TraceRoute.", "TraceRouteDiagnostics."),
                            ("IP.Diagnostics.DownloadDiagnostics.", "DownloadDiagnostics."),
                            ("IP.Diagnostics.UploadDiagnostics.", "UploadDiagnostics."),
                            ("IP.Diagnostics.UDPEchoConfig.", "UDPEchoConfig."),
                            ("IP.Diagnostics.UDPEchoConfig.UDPPort", "UDPEchoConfig.UDPPort")):
            self.assertEqual(resolved[path], "InternetGatewayDevice." + place, path)
        # Not in TR-098 (TR-181's own): off.
        for path in ("IP.Diagnostics.UDPEchoDiagnostics.", "IP.Diagnostics.ServerSelectionDiagnostics."):
            self.assertEqual(resolved[path], "", path)
        # Not in TR-098 at all (optional): off.
        for path in ("ManagementServer.HeartbeatPolicy.", "ManagementServer.HTTPConnectionRequestEnable",
                     "XMPP.SupportedServerConnectAlgorithms", "IP.Interface.{i}.", "IP.Diagnostics.",
                     "IP.Diagnostics.IPv4PingSupported"):
            self.assertEqual(resolved[path], "", path)
        # In TR-098, not in the profile: off.
        self.assertEqual(resolved["XMPP.Connection.{i}."], "")
        self.assertEqual([v for v in resolved.values() if v and not v.startswith("InternetGatewayDevice.")], [])
        self.assertEqual(runtime_paths.initializer(self.igd)["root"], "InternetGatewayDevice.")

    def test_diagnostics_inputs_resolve_where_the_model_places_them(self):
        # diag/standard.cpp names its inputs through these: TR-098's IPPing
        # has no ProtocolVersion (skipped), its other inputs live below
        # IPPingDiagnostics.
        resolved = runtime_paths.resolve(self.igd)
        self.assertEqual(resolved["IP.Diagnostics.IPPing.NumberOfRepetitions"],
                         "InternetGatewayDevice.IPPingDiagnostics.NumberOfRepetitions")
        self.assertEqual(resolved["IP.Diagnostics.IPPing.DataBlockSize"],
                         "InternetGatewayDevice.IPPingDiagnostics.DataBlockSize")
        self.assertEqual(resolved["IP.Diagnostics.IPPing.ProtocolVersion"], "")
        # TR-098 names a route hop's results Hop* (a parameter placed by PLACES).
        self.assertEqual(resolved["IP.Diagnostics.TraceRoute.RouteHops.{i}.Host"],
                         "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.{i}.HopHost")
        self.assertEqual(resolved["IP.Diagnostics.TraceRoute.RouteHops.{i}.HostAddress"],
                         "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.{i}.HopHostAddress")
        rdk = load_profile(Resolver([default_dm_dir()]), os.path.join(ROOT, "models", "profiles", "rdk-stb.xml"))
        resolved = runtime_paths.resolve(rdk)
        self.assertEqual(resolved["IP.Diagnostics.IPPing.ProtocolVersion"],
                         "Device.IP.Diagnostics.IPPing.ProtocolVersion")
        self.assertEqual(resolved["IP.Diagnostics.TraceRoute.RouteHops.{i}."],
                         "Device.IP.Diagnostics.TraceRoute.RouteHops.{i}.")
        self.assertEqual(resolved["IP.Diagnostics.DownloadDiagnostics.DownloadTransports"],
                         "Device.IP.Diagnostics.DownloadDiagnostics.DownloadTransports")

    def test_a_misspelt_diagnostics_input_fails_naming_it(self):
        entries = runtime_paths.ENTRIES + (("IP.Diagnostics.IPPing.NumberOfRepetition", "ip-diagnostics"),)
        board_example = load_profile(Resolver([default_dm_dir()]), BOARD_EXAMPLE)
        with self.assertRaisesRegex(DMError, r"runtime path 'IP\.Diagnostics\.IPPing\.NumberOfRepetition' "
                                             r"\(parameter\) is not in model Device:2"):
            runtime_paths.resolve(board_example, entries)

    def test_place_maps_the_longest_prefix(self):
        self.assertEqual(runtime_paths.place("InternetGatewayDevice", "IP.Diagnostics.UDPEchoConfig.UDPPort"),
                         "UDPEchoConfig.UDPPort")
        self.assertEqual(runtime_paths.place("InternetGatewayDevice", "IP.Diagnostics.IPv4PingSupported"),
                         "IP.Diagnostics.IPv4PingSupported")
        self.assertEqual(runtime_paths.place("Device", "IP.Diagnostics.IPPing."), "IP.Diagnostics.IPPing.")

    def test_missing_required_parameter_fails_naming_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            prof, path = self.minimal(tmp, [p for p in MS_PARAMS if p != "ParameterKey"])
            with self.assertRaises(DMError) as cm:
                codegen.build_plan(prof)
            self.assertEqual(cm.exception.file, path)
            self.assertIn("lacks parameter 'InternetGatewayDevice.ManagementServer.ParameterKey', "
                          "which the agent needs", str(cm.exception))
            prof, _path = self.minimal(tmp, MS_PARAMS)
            self.assertEqual(runtime_paths.resolve(prof)["ManagementServer.ParameterKey"],
                             "InternetGatewayDevice.ManagementServer.ParameterKey")

    def test_optional_entry_the_model_lacks_is_off_a_required_one_fails(self):
        optional = runtime_paths.ENTRIES + (("ManagementServer.FutureThing", "future"),)
        self.assertEqual(runtime_paths.resolve(self.igd, optional)["ManagementServer.FutureThing"], "")
        required = runtime_paths.ENTRIES + (("ManagementServer.FutureThing", runtime_paths.REQUIRED),)
        with self.assertRaises(DMError) as cm:
            runtime_paths.resolve(self.igd, required)
        self.assertEqual(str(cm.exception),
                         "generator/dmlib/runtime_paths.py: error: runtime path 'ManagementServer.FutureThing' "
                         "(parameter) is not in model InternetGatewayDevice:1.14 (profile 'igd') at "
                         "'InternetGatewayDevice.ManagementServer.FutureThing', and the agent needs it (see PLACES)")
        # In Device:2, the model the list is written for, the optional one is a misspelling.
        board_example = load_profile(Resolver([default_dm_dir()]), BOARD_EXAMPLE)
        with self.assertRaisesRegex(DMError, r"'ManagementServer\.FutureThing' \(parameter\) is not in model Device"):
            runtime_paths.resolve(board_example, optional)

    def test_place_the_model_lacks_fails(self):
        places = {"InternetGatewayDevice": {"IP.Diagnostics.IPPing.": "IPPingDiagnostic."}}
        with mock.patch.dict(runtime_paths.PLACES, places):
            with self.assertRaisesRegex(DMError, r"runtime path 'IP\.Diagnostics\.IPPing\.' is placed at "
                                                 r"'InternetGatewayDevice\.IPPingDiagnostic\.', which is not in "
                                                 r"model InternetGatewayDevice:1\.14"):
                runtime_paths.resolve(self.igd)

    def test_a_setting_the_model_types_otherwise_fails_naming_it(self):
        # The agent reads PeriodicInformInterval as unsignedInt; a list saying
        # boolean disagrees with the model, for each root model.
        settings = tuple((p, "boolean" if p == "ManagementServer.PeriodicInformInterval" else t)
                         for p, t in runtime_paths.SETTINGS)
        board_example = load_profile(Resolver([default_dm_dir()]), BOARD_EXAMPLE)
        for prof, root in ((self.igd, "InternetGatewayDevice"), (board_example, "Device")):
            with mock.patch.object(runtime_paths, "SETTINGS", settings):
                with self.assertRaises(DMError) as cm:
                    codegen.build_plan(prof)
            self.assertIn(f"setting 'ManagementServer.PeriodicInformInterval' is read as boolean, but model "
                          f"{prof.model.name} makes '{root}.ManagementServer.PeriodicInformInterval' unsignedInt "
                          f"(profile '{prof.name}')", str(cm.exception))
            self.assertTrue(str(cm.exception).startswith("generator/dmlib/runtime_paths.py:"), str(cm.exception))
        codegen.build_plan(self.igd)  # the list as it is: TR-098 agrees

    def test_igd_generates(self):
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([sys.executable, DMGEN, "generate", "--out-dir", out, IGD],
                               capture_output=True, text=True, cwd=ROOT)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(out, "schema.cpp"), encoding="utf-8") as f:
                schema = f.read()
        self.assertIn('.root_model = "InternetGatewayDevice:1.14"', schema)
        self.assertIn('.path = "InternetGatewayDevice.IPPingDiagnostics.",', schema)
        self.assertNotIn('"Device.', schema)


def regenerate_command(header="runtime/include/cwmp/dm/schema.h"):
    """The command (from the repository root) that rewrites ModelPaths in `header`."""
    return f"generator/dmgen runtime-paths --into {header}"


class Declaration(unittest.TestCase):
    def test_schema_h_declares_the_list(self):
        with open(SCHEMA_H, encoding="utf-8") as f:
            text = f.read()
        begin = text.index(runtime_paths.BEGIN_MARKER) + len(runtime_paths.BEGIN_MARKER)
        end = text.index(runtime_paths.END_MARKER)
        self.assertEqual(text[begin:end], runtime_paths.struct_declaration(),
                         "ModelPaths in runtime/include/cwmp/dm/schema.h differs from the list"
                         + hint(regenerate_command()))

    def assert_the_printed_command_regenerates(self, header, begin_marker):
        """A copy of `header` with a member gone from the block after
        `begin_marker` is made whole again by the command a failing test prints."""
        with open(header, encoding="utf-8") as f:
            committed = f.read()
        with tempfile.TemporaryDirectory() as tmp:
            stale = os.path.join(tmp, os.path.basename(header))
            begin = committed.index(begin_marker) + len(begin_marker)
            with open(stale, "w", encoding="utf-8") as f:  # a member gone from the declaration
                f.write(committed[:begin] + committed[committed.index("\n", begin) + 1:])
            run = subprocess.run(regenerate_command(stale), shell=True, cwd=ROOT, capture_output=True, text=True)
            self.assertEqual((run.returncode, run.stderr), (0, ""))
            with open(stale, encoding="utf-8") as f:
                self.assertEqual(f.read(), committed)

    def test_the_printed_command_regenerates_each_header(self):
        self.assert_the_printed_command_regenerates(SCHEMA_H, runtime_paths.BEGIN_MARKER)
        self.assert_the_printed_command_regenerates(SETTINGS_H, runtime_paths.SETTINGS_BEGIN_MARKER)
        self.assert_the_printed_command_regenerates(FIELDS_H, runtime_diagnostics.BEGIN_MARKER)
        with tempfile.TemporaryDirectory() as tmp:
            stale = os.path.join(tmp, "schema.h")
            with open(stale, "w", encoding="utf-8") as f:
                f.write("no markers\n")
            run = subprocess.run(regenerate_command(stale), shell=True, cwd=ROOT, capture_output=True, text=True)
            self.assertEqual((run.returncode, run.stderr),
                             (1, f"dmgen: {stale}: no // BEGIN NAME ... // END NAME lines "
                                 "(NAME: ModelPaths, ManagementServerSettings, DiagnosticFields)\n"))

    def test_settings_h_declares_the_settings(self):
        with open(SETTINGS_H, encoding="utf-8") as f:
            text = f.read()
        begin = text.index(runtime_paths.SETTINGS_BEGIN_MARKER) + len(runtime_paths.SETTINGS_BEGIN_MARKER)
        end = text.index(runtime_paths.SETTINGS_END_MARKER)
        self.assertEqual(text[begin:end], runtime_paths.settings_declaration(),
                         "ManagementServerSettings in runtime/include/cwmp/agent/settings.h differs from the list"
                         + hint(regenerate_command("runtime/include/cwmp/agent/settings.h")))
        # Typed members, each visited with its ModelPaths member.
        self.assertIn("    std::uint32_t periodic_inform_interval = 0;  // ManagementServer.PeriodicInformInterval\n",
                      text)
        self.assertIn("    bool periodic_inform_enable = false;", text)
        self.assertIn("    dm::DateTime periodic_inform_time = {};", text)
        self.assertIn("    visit(paths.periodic_inform_interval, s.periodic_inform_interval);\n", text)

    def test_a_setting_must_be_a_listed_management_server_parameter_of_a_known_type(self):
        with mock.patch.object(runtime_paths, "SETTINGS", (("ManagementServer.NoSuchThing", "string"),)):
            with self.assertRaisesRegex(DMError, r"setting 'ManagementServer\.NoSuchThing' is not a "
                                                 r"ManagementServer parameter of ENTRIES"):
                runtime_paths.settings_declaration(runtime_paths.SETTINGS)
        with mock.patch.object(runtime_paths, "SETTINGS", (("ManagementServer.URL", "base64"),)):
            with self.assertRaisesRegex(DMError, r"setting 'ManagementServer\.URL': no C\+\+ type for 'base64'"):
                runtime_paths.settings_declaration(runtime_paths.SETTINGS)

    def test_member_names(self):
        self.assertEqual(runtime_paths.snake("CWMPRetryMinimumWaitInterval"), "cwmp_retry_minimum_wait_interval")
        self.assertEqual(runtime_paths.snake("IPv6UDPEchoDiagnosticsSupported"),
                         "ipv6_udp_echo_diagnostics_supported")
        self.assertEqual(runtime_paths.snake("ConnReqAllowedJabberIDs"), "conn_req_allowed_jabber_ids")
        self.assertEqual(runtime_paths.snake("URL"), "url")

    def test_clashing_member_names_fail(self):
        entries = (("ManagementServer.URL", None), ("ManagementServer.Url", "x"))
        with self.assertRaisesRegex(DMError, r"member name 'url' is taken"):
            runtime_paths.tree(entries)


if __name__ == "__main__":
    unittest.main()


# board-example's required objects with an IPPing of the given parameters.
PING_ONLY = NO_PARAMETER_KEY.replace("  </model>", """    <object ref="Device.IP." access="readOnly" minEntries="1" maxEntries="1"/>
    <object ref="Device.IP.Diagnostics." access="readOnly" minEntries="1" maxEntries="1"/>
    <object ref="Device.IP.Diagnostics.IPPing." access="readOnly" minEntries="1" maxEntries="1"
        cwa:binding="runtime">
%s
    </object>
  </model>""")


def diagnostic(obj):
    return next(d for d in runtime_diagnostics.DIAGNOSTICS if d.object == obj)


class DiagnosticFields(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        resolver = Resolver([default_dm_dir()])
        cls.rdk = load_profile(resolver, RDK_STB)
        cls.igd = load_profile(resolver, IGD)

    def ping_profile(self, tmp, params):
        path = os.path.join(tmp, "ping.xml")
        ms = "\n".join(f'      <parameter ref="{p}"/>' for p in MS_PARAMS)
        ping = "\n".join(f'      <parameter ref="{p}" access="{"readOnly" if p.endswith("Count") else "readWrite"}"/>'
                         for p in params)
        with open(path, "w", encoding="utf-8") as f:
            f.write(PING_ONLY % (ms, ping))
        return load_profile(Resolver([default_dm_dir()]), path)

    def test_fields_resolve_at_the_profiles_paths(self):
        rdk = runtime_paths.resolve(self.rdk)
        self.assertEqual(rdk["IP.Diagnostics.IPPing.SuccessCount"], "Device.IP.Diagnostics.IPPing.SuccessCount")
        self.assertEqual(rdk["IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TestBytesReceived"],
                         "Device.IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.TestBytesReceived")
        igd = runtime_paths.resolve(self.igd)
        # TR-098: below the root, a route hop's results named Hop*, what the model lacks off.
        self.assertEqual(igd["IP.Diagnostics.IPPing.SuccessCount"], "InternetGatewayDevice.IPPingDiagnostics.SuccessCount")
        self.assertEqual(igd["IP.Diagnostics.IPPing.AverageResponseTimeDetailed"], "")
        self.assertEqual(igd["IP.Diagnostics.TraceRoute.RouteHops.{i}.RTTimes"],
                         "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.{i}.HopRTTimes")
        self.assertEqual(igd["IP.Diagnostics.DownloadDiagnostics.TestBytesReceived"],
                         "InternetGatewayDevice.DownloadDiagnostics.TestBytesReceived")
        self.assertEqual(igd["IP.Diagnostics.DownloadDiagnostics.PerConnectionResult.{i}.ROMTime"], "")
        self.assertEqual(igd["IP.Diagnostics.UDPEchoDiagnostics.SuccessCount"], "")

    def test_a_misspelt_field_fails_naming_it(self):
        ping = diagnostic("IP.Diagnostics.IPPing.")
        bad = runtime_diagnostics.Diagnostic(ping.object, ping.inputs_struct, ping.inputs, ping.results_struct,
                                             ping.results + (runtime_diagnostics.F("SucessCount", "unsignedInt"),),
                                             states=ping.states)
        with mock.patch.object(runtime_diagnostics, "DIAGNOSTICS", (bad,)):
            entries = runtime_paths.all_entries()
        with self.assertRaisesRegex(DMError, r"runtime path 'IP\.Diagnostics\.IPPing\.SucessCount' \(parameter\) "
                                             r"is not in model Device:2\.19"):
            runtime_paths.resolve(self.rdk, entries)

    def test_a_required_field_the_profile_lacks_fails_naming_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            complete = ["DiagnosticsState", "Host", "SuccessCount", "FailureCount"]
            resolved = runtime_paths.resolve(self.ping_profile(tmp, complete))
            self.assertEqual(resolved["IP.Diagnostics.IPPing.Host"], "Device.IP.Diagnostics.IPPing.Host")
            self.assertEqual(resolved["IP.Diagnostics.IPPing.Timeout"], "")  # optional: off
            prof = self.ping_profile(tmp, [p for p in complete if p != "Host"])
            with self.assertRaisesRegex(DMError, r"profile 'ping' has Device\.IP\.Diagnostics\.IPPing\. but not "
                                                 r"its field parameter 'IP\.Diagnostics\.IPPing\.Host', which the "
                                                 r"diagnostic needs"):
                runtime_paths.resolve(prof)

    def test_a_field_the_model_types_otherwise_fails_naming_it(self):
        ping = diagnostic("IP.Diagnostics.IPPing.")
        fields = tuple(runtime_diagnostics.F(f.path, "boolean" if f.path == "SuccessCount" else f.type, f.member,
                                             f.required) for f in ping.results)
        bad = runtime_diagnostics.Diagnostic(ping.object, ping.inputs_struct, ping.inputs, ping.results_struct,
                                             fields, states=ping.states)
        with mock.patch.object(runtime_diagnostics, "DIAGNOSTICS", (bad,)):
            with self.assertRaisesRegex(DMError, r"diagnostic field 'IP\.Diagnostics\.IPPing\.SuccessCount' is "
                                                 r"boolean, but model Device:2\.19 makes "
                                                 r"'Device\.IP\.Diagnostics\.IPPing\.SuccessCount' unsignedInt"):
                runtime_paths.resolve(self.rdk)
        # A narrower integer is taken: TR-098's byte counts are unsignedInt, the field unsignedLong.
        self.assertEqual(diagnostic("IP.Diagnostics.DownloadDiagnostics.").results[4].type, "unsignedLong")
        runtime_paths.resolve(self.igd)

    def test_a_state_value_the_model_lacks_needs_a_fallback_it_has(self):
        # TR-098's DownloadDiagnostics says Completed: without that fallback igd fails, naming it.
        runtime_paths.resolve(self.igd)
        fallbacks = dict(runtime_diagnostics.FALLBACKS)
        del fallbacks["Complete"]
        with mock.patch.object(runtime_diagnostics, "FALLBACKS", fallbacks):
            with self.assertRaisesRegex(DMError, r"DiagnosticsState value 'Complete', which the runtime writes to "
                                                 r"InternetGatewayDevice\.DownloadDiagnostics\.DiagnosticsState, is "
                                                 r"not in model InternetGatewayDevice:1\.14's enumeration"):
                runtime_paths.resolve(self.igd)
            runtime_paths.resolve(self.rdk)  # TR-181 has Complete
        # A value a diagnostic writes that TR-181 lacks altogether fails there too.
        ping = diagnostic("IP.Diagnostics.IPPing.")
        bad = runtime_diagnostics.Diagnostic(ping.object, ping.inputs_struct, ping.inputs, ping.results_struct,
                                             ping.results, states=ping.states + ("Error_NoSTOR",))
        with mock.patch.object(runtime_diagnostics, "DIAGNOSTICS", (bad,)):
            with self.assertRaisesRegex(DMError, r"DiagnosticsState value 'Error_NoSTOR', which the runtime writes "
                                                 r"to Device\.IP\.Diagnostics\.IPPing\.DiagnosticsState"):
                runtime_paths.resolve(self.rdk)

    def test_fields_h_declares_the_fields(self):
        with open(FIELDS_H, encoding="utf-8") as f:
            text = f.read()
        begin = text.index(runtime_diagnostics.BEGIN_MARKER) + len(runtime_diagnostics.BEGIN_MARKER)
        end = text.index(runtime_diagnostics.END_MARKER)
        self.assertEqual(text[begin:end], runtime_diagnostics.declaration(),
                         "runtime/src/diag/fields.h differs from the list"
                         + hint(regenerate_command("runtime/src/diag/fields.h")))
        self.assertIn("    std::vector<RouteHop> route_hops;  // IP.Diagnostics.TraceRoute.RouteHops.{i}.\n", text)
        self.assertIn("        cell(paths.route_hops.host, row.host);\n", text)
        self.assertIn("    visit(paths.success_count, s.success_count);\n", text)
        self.assertIn('    kComplete,  // Complete\n', text)
