"""C++ code generation for a device profile.

Python computes every name and every table row as plain values (names,
C++ type and enumerator names, numbers, flags); the Jinja2 templates in
generator/templates loop over them and write the C++.  Output (all into one directory, stable
ordering, no timestamps, no absolute paths):

  cwmp/model/<area>.h      typed structs per object: the values the platform
                           provides, enumerations as C++ enums with names
  cwmp/platform/<area>.h   the platform functions a board defines for one area
  cwmp/platform_api.h      all of them, and the dispatch tables' declaration
  tables_<area>.cpp        constraint tables and thunks of one area
  rows.h                   the rows of the tables by name, shared by the two below
  schema.cpp               the sorted dispatch tables (objects, parameters)

An area is the first level below the root object (DeviceInfo, IP, ...), or the
service name for service objects (STBService, StorageService).
"""

import json
import os
import re

from . import runtime_paths
from .start_value import start_value
from .errors import DMError
from .profile import is_service_path

CPP_TYPES = {"string": "std::string", "unsignedInt": "std::uint32_t", "int": "std::int32_t",
             "unsignedLong": "std::uint64_t", "long": "std::int64_t", "boolean": "bool",
             "dateTime": "cwmp::dm::DateTime", "base64": "std::string",
             "hexBinary": "std::string", "decimal": "double"}
DM_TYPES = {"string": "String", "unsignedInt": "UnsignedInt", "int": "Int",
            "unsignedLong": "UnsignedLong", "long": "Long", "boolean": "Boolean",
            "dateTime": "DateTime", "base64": "Base64", "hexBinary": "HexBinary",
            "decimal": "Decimal"}
ACCESS = {"readOnly": "ReadOnly", "readWrite": "ReadWrite", "writeOnceReadOnly": "WriteOnceReadOnly"}
NOTIFY = {"normal": "Normal", "canDeny": "CanDeny", "forceEnabled": "ForceEnabled",
          "forceDefaultEnabled": "ForceDefaultEnabled"}
BINDING = {"platform": "Platform", "runtime": "Runtime", "count": "Count"}
CPP_KEYWORDS = frozenset("""alignas alignof and and_eq asm auto bitand bitor bool break case
catch char char8_t char16_t char32_t class compl concept const consteval constexpr constinit
const_cast continue co_await co_return co_yield decltype default delete do double dynamic_cast
else enum explicit export extern false float for friend goto if inline int long mutable
namespace new noexcept not not_eq nullptr operator or or_eq private protected public register
reinterpret_cast requires return short signed sizeof static static_assert static_cast struct
switch template this thread_local throw true try typedef typeid typename union unsigned using
virtual void volatile wchar_t while xor xor_eq""".split())
# Macros that C and POSIX headers a platform file may include define; an
# enumeration value of that name gets a trailing underscore.
KNOWN_MACROS = frozenset("""NULL EOF TRUE FALSE DOMAIN SING OVERFLOW UNDERFLOW TLOSS PLOSS NAN
INFINITY MIN MAX BUFSIZ FILENAME_MAX PATH_MAX NAME_MAX CHAR_BIT INT_MAX INT_MIN UINT_MAX
EXIT_SUCCESS EXIT_FAILURE RAND_MAX SEEK_SET SEEK_CUR SEEK_END errno stdin stdout stderr assert
linux unix i386 BIG_ENDIAN LITTLE_ENDIAN BYTE_ORDER PDP_ENDIAN AF_INET AF_INET6 AF_UNSPEC
IPPROTO_TCP IPPROTO_UDP IPPROTO_ICMP IPPROTO_IP IPPROTO_IPV6 INADDR_ANY SOCK_STREAM SOCK_DGRAM
SOCK_RAW IFF_UP IFF_RUNNING SIGTERM SIGHUP SIGINT SIGKILL SIGUSR1 SIGUSR2 EINVAL ENOENT""".split())


def identifier(text):
    ident = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not ident:
        ident = "Empty"
    if ident[0].isdigit():
        ident = "_" + ident
    if ident in CPP_KEYWORDS or ident in KNOWN_MACROS:
        ident += "_"
    return ident


def cpp_string(text):
    """A C++ string literal (JSON's escapes are valid C++ escapes)."""
    return json.dumps(text, ensure_ascii=True)


def area_of(path):
    parts = path.split(".")
    if is_service_path(path):
        return parts[2]
    return parts[1] if len(parts) > 2 and parts[1] else "Root"


def struct_name(path):
    """C++ name of an object: its path below the root (or below the root's
    Services object for service objects), without {i}, joined by '_'."""
    parts = [p for p in path.split(".") if p and p != "{i}"]
    if is_service_path(path):
        parts = parts[2:]
    elif len(parts) > 1:
        parts = parts[1:]
    return identifier("_".join(parts))


def param_name(path):
    """C++ name of a parameter, from its path: its object's struct_name and
    its own name ("Device.IP.Interface.{i}.Enable" -> IP_Interface_Enable),
    so that names in generated code do not depend on the rows before it."""
    cut = path.rfind(".") + 1
    return identifier(struct_name(path[:cut]) + "_" + path[cut:])


def _number(text):
    return None if text is None or text == "" else int(text)


class Enum:
    def __init__(self, type_name, values):
        self.type_name = type_name
        self.values = values
        members, seen = [], set()
        for v in values:
            ident = identifier(v)
            while ident in seen:
                ident += "_"
            seen.add(ident)
            members.append(ident)
        self.members = members


class Field:
    """A platform-bound parameter as a typed member of its object's struct."""

    def __init__(self, sp, index):
        self.sp = sp
        self.index = index  # row in the parameter table
        self.name = identifier(sp.name)
        syntax = sp.dm.syntax
        enums = [e.value for e in syntax.facets.enums if e.status != "deleted"]
        self.enum = Enum(self.name + "Value", enums) if enums and syntax.base == "string" else None
        self.element = self.enum.type_name if self.enum else CPP_TYPES[syntax.base]
        self.list = syntax.list is not None
        self.writable = sp.access != "readOnly"
        self.path, self.leaf, self.base, self.access = sp.path, sp.name, syntax.base, sp.access


def acs_may(obj):
    """What the ACS may do with an object's instances, (add, delete): the
    one place of the rule.  AddObject and DeleteObject apply to tables
    (multi-instance objects) whose DT access allows them; the object table's
    access (what the engine checks) and a platform table's add and remove
    functions (what a board defines) both come from here."""
    if not obj.multi:
        return False, False
    return obj.access in ("create", "createDelete"), obj.access in ("delete", "createDelete")


def acs_access(obj):
    """The object table's ObjectAccess (cwmp::dm), from acs_may."""
    return {(False, False): "ReadOnly", (True, False): "Create", (False, True): "Delete",
            (True, True): "CreateDelete"}[acs_may(obj)]


class ObjectGen:
    def __init__(self, obj, index):
        self.obj = obj
        self.index = index
        self.struct = struct_name(obj.path)
        self.fields = []
        self.param_rows = []
        self.parent = None

    @property
    def platform_table(self):
        return self.obj.multi and self.obj.binding == "platform"

    @property
    def platform_add(self):
        """A board adds the table's instances (platform/<board>: add)."""
        return self.platform_table and acs_may(self.obj)[0]

    @property
    def platform_remove(self):
        return self.platform_table and acs_may(self.obj)[1]

    @property
    def writable_fields(self):
        return [f for f in self.fields if f.writable]


class Area:
    def __init__(self, name):
        self.name = name
        self.file = identifier(name).lower()
        self.objects = []


def _constraint(sp):
    """A parameter's facets as plain values (numbers, None where a facet
    leaves the bound open, strings), or None without any facet; the
    template tables_area.cpp.j2 writes the C++."""
    syntax = sp.dm.syntax
    f = syntax.facets
    ranges = [{"min": _number(lo), "max": _number(hi), "step": _number(step) or None}
              for lo, hi, step in f.ranges]
    sizes = [{"min": _number(lo) or 0, "max": _number(hi)} for lo, hi in f.sizes]
    enums = [e.value for e in f.enums if e.status != "deleted"]
    patterns = list(f.patterns)
    lst = syntax.list
    if not (ranges or sizes or enums or patterns or lst is not None):
        return None
    c = {"ranges": ranges, "sizes": sizes, "enums": enums, "patterns": patterns,
         "min_items": 0, "max_items": None, "list_size": None}
    if lst is not None:
        c["min_items"] = _number(lst.min_items) or 0
        if lst.max_items not in (None, "", "unbounded"):
            c["max_items"] = int(lst.max_items)
        if lst.sizes:
            lo, hi = lst.sizes[0]
            size = {"min": _number(lo) or 0, "max": _number(hi)}
            if size["min"] or size["max"] is not None:  # else it bounds nothing
                c["list_size"] = size
    return c


def _default(sp):
    """The default in CWMP wire form: the BBF XML writes a list default as
    "[a,b]" (TR-106), which on the wire is "a,b"."""
    d = sp.dm.syntax.defaults
    for kind in ("object", "factory"):
        if kind in d:
            value = d[kind]
            if sp.dm.syntax.list is not None and value.startswith("[") and value.endswith("]"):
                value = value[1:-1]
            return value
    return None


def _flags(sp, default):
    """The names of a parameter's cwmp::dm::ParamFlag values (types.h)."""
    syntax = sp.dm.syntax
    return [name for name, on in (("ForcedInform", sp.dm.forced), ("List", syntax.list is not None),
                                  ("Hidden", syntax.secured or syntax.hidden),
                                  ("HasDefault", default is not None)) if on]


def build_plan(prof, agent=True):
    """Everything the templates need, computed once.  With `agent`, the
    runtime's paths (runtime_paths.py) are resolved against the profile
    (failing for a required one it lacks); without, they stay empty (a
    profile of tables only, which cwmpd cannot run)."""
    objects = list(prof.objects.values())
    index_of = {o.path: i for i, o in enumerate(objects)}
    params = sorted((sp for o in objects for sp in o.params), key=lambda sp: sp.path.encode())
    row_of = {sp.path: i for i, sp in enumerate(params)}
    if len(params) >= 0xffff or len(objects) >= 0xffff:
        raise DMError(prof.file, None, "too many items for 16-bit table indexes")

    gens, areas, structs = [], {}, {}
    for i, obj in enumerate(objects):
        g = ObjectGen(obj, i)
        other = structs.get(g.struct)
        if other is not None:
            raise DMError(prof.file, None, f"objects '{other}' and '{obj.path}' both map to "
                                           f"C++ name {g.struct}")
        structs[g.struct] = obj.path
        g.param_rows = sorted(row_of[sp.path] for sp in obj.params)
        g.fields = [Field(sp, row_of[sp.path]) for sp in obj.params if sp.binding == "platform"]
        for f in g.fields:
            f.slot = g.param_rows.index(f.index)  # position among the object's rows
        parent = obj.path[:-len("{i}.")] if obj.multi else obj.path
        cut = parent[:-1].rfind(".")
        g.parent = index_of.get(parent[:cut + 1]) if cut >= 0 else None
        gens.append(g)
        areas.setdefault(area_of(obj.path), Area(area_of(obj.path))).objects.append(g)

    rows, names = [], {}
    for i, sp in enumerate(params):
        name = param_name(sp.path)
        if name in names:
            raise DMError(prof.file, None, f"parameters '{names[name]}' and '{sp.path}' both map to "
                                           f"C++ name {name}")
        names[name] = sp.path
        g = gens[index_of[sp.path[:len(sp.path) - len(sp.name)]]]
        default = _default(sp)
        constraint = _constraint(sp)
        # A runtime-bound value starts at the model's default, else at a value
        # the parameter allows (the store reads it from the row).
        start = default
        if sp.binding == "runtime" and default is None:
            start = start_value(sp.dm.syntax.base, sp.dm.syntax.list is not None, None, constraint) or None
        rows.append({
            "path": sp.path, "name": name, "base": sp.dm.syntax.base, "access_attr": sp.access,
            "object": g.struct, "slot": identifier(sp.name), "type": DM_TYPES[sp.dm.syntax.base],
            "access": ACCESS[sp.access], "notify": NOTIFY[sp.notify], "binding": BINDING[sp.binding],
            "flags": _flags(sp, default), "default": start,
            "constraint": constraint, "area": areas[area_of(g.obj.path)].file,
        })
    for g in gens:
        g.slots = [rows[i]["slot"] for i in g.param_rows]
        g.row_names = [rows[i]["name"] for i in g.param_rows]
        if len(set(g.slots)) != len(g.slots):
            raise DMError(prof.file, None, f"two parameters of '{g.obj.path}' map to one C++ name")
    obj_rows = []
    for g in gens:
        o = g.obj
        obj_rows.append({
            "path": o.path, "struct": g.struct, "access": acs_access(o),
            "binding": BINDING[o.binding], "multi": o.multi, "min": int(o.min),
            "max": None if o.max == "unbounded" else int(o.max),
            "parent": None if g.parent is None else gens[g.parent].struct,
            "num_entries": (o.dm.num_entries or "") if o.multi else "",
            "has_rows": bool(g.param_rows), "instances": g.platform_table,
            "read": bool(g.fields), "write": bool(g.writable_fields),
            "add": g.platform_add, "remove": g.platform_remove,
        })
    for a in areas.values():
        a.rows = [r for r in rows if r["area"] == a.file and r["constraint"]]
        a.objects.sort(key=lambda g: g.obj.path)
    # The profile and the documents it imports; those import the rest.
    inputs = [os.path.basename(prof.file)] + [f for f, _s, _m in prof.imports]
    others = len(prof.sources) - len(prof.imports)
    specs = sorted({spec for _f, spec, _m in prof.imports if spec})
    paths = runtime_paths.initializer(prof) if agent else None
    return {"profile": prof.name, "ns": profile_namespace(prof.name), "root_model": prof.root_model,
            "root_spec": prof.root_spec, "dt_uuid": prof.uuid, "inputs": inputs,
            "paths": paths,
            "more_inputs": others, "specs": specs,
            "areas": sorted(areas.values(), key=lambda a: a.file), "objects": obj_rows,
            "params": rows, "gens": gens}


def profile_namespace(name):
    """The C++ namespace of a profile's generated types and tables ("rdk-stb" ->
    rdk_stb): inline within cwmp::model and cwmp::gen, so that board code keeps
    writing model::Time while two profiles linked into one binary get distinct
    symbols."""
    ns = re.sub(r"[^A-Za-z0-9_]", "_", name) or "profile"
    if ns[0].isdigit() or ns in CPP_KEYWORDS or ns in KNOWN_MACROS:
        ns = "p_" + ns
    return ns


def generate(prof, out_dir, prefix="", header_dir=None, agent=True):
    """Write the sources into out_dir (names prefixed with `prefix`) and the
    headers into header_dir (default out_dir); return the relative paths.
    `agent`: see build_plan."""
    import jinja2  # only code generation needs Jinja2

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(here, "templates")),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["cpp"] = cpp_string  # a C++ string literal (tojson escapes for HTML)
    plan = build_plan(prof, agent)
    files = {}
    for area in plan["areas"]:
        files[f"cwmp/model/{area.file}.h"] = env.get_template("model_area.h.j2").render(plan, area=area)
        files[f"cwmp/platform/{area.file}.h"] = env.get_template("platform_area.h.j2").render(plan, area=area)
        files[f"{prefix}tables_{area.file}.cpp"] = env.get_template("tables_area.cpp.j2").render(
            plan, area=area, rows_header=f"{prefix}rows.h")
    files["cwmp/platform_api.h"] = env.get_template("platform_api.h.j2").render(plan)
    # A flat header beside the sources, so that a build can order compiles
    # that include the generated headers after generation.
    files[f"{prefix}dm.h"] = '#pragma once\n#include "cwmp/platform_api.h"\n'
    files[f"{prefix}rows.h"] = env.get_template("rows.h.j2").render(plan)
    files[f"{prefix}schema.cpp"] = env.get_template("schema.cpp.j2").render(plan, rows_header=f"{prefix}rows.h")
    names = sorted(files)
    for rel, text in files.items():
        base = out_dir if "/" not in rel or header_dir is None else header_dir
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".tmp", path)
    return names
