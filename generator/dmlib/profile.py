"""Device profiles: BBF Device Type (DT) instances saying what a device supports.

A profile is a `cwmp-devicetype-1-x` document.  It imports the root model
(Device:2 or TR-098's InternetGatewayDevice:1, possibly as extended by a
vendor document) and any service models (STBService, StorageService), which
are mounted at the root's Services object (`Device.Services.`,
`InternetGatewayDevice.Services.`) as TR-106 places them, and lists the
supported objects and parameters:

    <object ref="Device.DeviceInfo." access="readOnly" minEntries="1" maxEntries="1">
      <parameter ref="Manufacturer" access="readOnly"/>
    </object>

Attributes in the project's namespace (urn:cwmp-agent:profile-1-0, prefix
`cwa`) add what DT instances cannot say concisely:
  cwa:parameters="all"   every parameter of the object, with its model access
  cwa:subtree="all"      the object, every object below it and all their
                         parameters, with model access and entry counts
                         (access/minEntries/maxEntries may then be omitted)
  cwa:binding="runtime"  values stored by the runtime (configuration) rather
                         than read from the platform; inherited by parameters
                         and, with cwa:subtree, by the objects below.
Parent objects of a supported object are supported implicitly, and so is the
NumberOfEntries parameter of every supported table.
"""

import os
import re
import uuid

from . import xmltree
from .errors import DMError, error_at

DT_NAMESPACE = "urn:broadband-forum-org:cwmp:devicetype-"
CWA = "urn:cwmp-agent:profile-1-0 "
SERVICES = "Services"  # the root's child object where service models are mounted
BINDINGS = ("platform", "runtime")

# TR-106 vendor-specific names: X_<OUI>_ or X_<domain name, dots as hyphens>_.
VENDOR_NAME = re.compile(r"^X_(?:[0-9A-F]{6}|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+)_[A-Za-z0-9]")

_ACCESS_RANK = {"readOnly": 0, "writeOnceReadOnly": 1, "readWrite": 2}


class SelectedParam:
    __slots__ = ("name", "path", "dm", "access", "binding", "notify", "will_deny", "listed")


class SelectedObject:
    # origin: "explicit" (listed), "subtree" (below a cwa:subtree entry, which
    # a later explicit entry may restate) or "parent" (implied by a child).
    __slots__ = ("path", "dm", "access", "min", "max", "binding", "params", "origin")

    @property
    def multi(self):
        return self.path.endswith("{i}.")


class Profile:
    def __init__(self, file, name):
        self.file = file
        self.name = name
        self.device_type = ""
        self.uuid = ""
        self.model = None          # the combined Device model, services mounted
        self.root_model = ""       # e.g. Device:2.19
        self.root_ref = ""         # the profile's <model ref>, e.g. Device:2
        self.root_spec = ""        # the URN of the document defining the root model
        self.model_names = []      # root and service models, with their versions
        self.imports = []          # (file, spec, model names) as in the profile
        self.sources = []          # every document read, for generated headers
        self.objects = {}          # path -> SelectedObject, sorted by path

    def params(self):
        for obj in self.objects.values():
            yield from obj.params


def _bad(node, message):
    return error_at(node, message)


def load_profile(resolver, path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise DMError(path, None, f"cannot read profile: {exc.strerror}") from None
    root = xmltree.parse(data, path)
    if root.tag != "document" or not root.ns.startswith(DT_NAMESPACE):
        raise _bad(root, "not a BBF Device Type document (root element "
                         f"<{root.tag}> in namespace '{root.ns}')")
    name = os.path.splitext(os.path.basename(path))[0]
    prof = Profile(path, name)
    prof.device_type = root.get("deviceType", "")
    if not prof.device_type:
        raise _bad(root, "a Device Type document needs a deviceType attribute")
    # DT instances need a UUID; without one, derive a stable one from deviceType.
    prof.uuid = root.get("uuid") or str(uuid.uuid5(uuid.NAMESPACE_URL, prof.device_type))
    here = os.path.dirname(path) or os.curdir
    models = {}
    spec_of = {}  # model name as imported -> its document's spec (URN)
    docs = []
    for node in root.children:
        if node.tag != "import":
            continue
        found = resolver.library.locator.find(node.get("file", ""), node.get("spec"), here)
        if found is None:
            raise _bad(node, f"missing import '{node.get('file')}': no such document in "
                             + ", ".join(resolver.library.locator.search_order(here)))
        doc = resolver.library.load(found, via=node)
        docs.append(doc)
        names = []
        for item in node.children:
            if item.tag == "model":
                local = item.get("name")
                models[local] = (resolver.builder.build(doc, item.get("ref") or local, at=item), item)
                spec_of[local] = doc.spec
                names.append(local)
        prof.imports.append((os.path.basename(found), node.get("spec", ""), names))
    resolver.check()
    model_nodes = [n for n in root.children if n.tag == "model"]
    if len(model_nodes) != 1:
        raise _bad(root, "a profile has exactly one <model ref=...>")
    mnode = model_nodes[0]
    ref = mnode.get("ref")
    if ref not in models:
        raise _bad(mnode, f"model '{ref}' is not imported")
    prof.model = _mount(models, ref, mnode)
    prof.root_model = prof.model.name  # "Device:2" in the profile may mean Device:2.19
    prof.root_ref = ref
    prof.root_spec = spec_of[ref]
    prof.model_names = [prof.root_model] + sorted(m.name for name, (m, _n) in models.items()
                                                  if name != ref)
    prof.sources = sorted({os.path.basename(p) for p in resolver.library.docs})
    _check_vendor_items(resolver, prof.model)
    _Selection(prof).apply(mnode)
    return prof


def services_path(model_name):
    """Where a root model mounts service models: "Device:2.19" ->
    "Device.Services.", "InternetGatewayDevice:1.14" -> "InternetGatewayDevice.Services."."""
    return f"{model_name.split(':')[0]}.{SERVICES}."


def is_service_path(path):
    """Whether `path` is a service model's object (below the root's Services object)."""
    parts = path.split(".")
    return len(parts) > 3 and parts[1] == SERVICES


def _mount(models, ref, at):
    """The root model with every imported service model under its Services object."""
    root, _ = models[ref]
    combined = root.copy(root.name)
    services_at = services_path(root.name)
    services = [(name, m) for name, (m, node) in models.items() if name != ref and m.is_service]
    for name, (m, node) in models.items():
        if name != ref and not m.is_service:
            raise _bad(node, f"model '{name}' is neither the profile's model nor a service model")
    if services and services_at not in combined.objects:
        raise _bad(at, f"model '{ref}' has no {services_at} object to mount service models in")
    for _name, service in services:
        for path, obj in service.objects.items():
            copy = obj.copy()
            if path == "":
                holder = combined.objects[services_at]
                for pname, p in copy.params.items():
                    holder.params[pname] = p
                continue
            copy.path = services_at + path
            combined.objects[copy.path] = copy
    return combined


def _is_vendor_node(resolver, node):
    doc = resolver.library.docs.get(os.path.normpath(node.file))
    return doc is not None and not doc.spec.startswith("urn:broadband-forum-org:")


def _check_vendor_items(resolver, model):
    """Items defined outside BBF documents must carry an X_<VENDOR>_ name."""
    for obj in model.objects.values():
        vendor_path = any(VENDOR_NAME.match(part) for part in obj.path.split("."))
        if obj.node is not None and obj.node.get("name") and _is_vendor_node(resolver, obj.node) \
                and not vendor_path:
            raise error_at(obj.node, f"vendor object '{obj.path}' needs an X_<VENDOR>_ name")
        for p in obj.params.values():
            if p.node.get("name") and _is_vendor_node(resolver, p.node) \
                    and not vendor_path and not VENDOR_NAME.match(p.name):
                raise error_at(p.node, f"vendor parameter '{obj.path}{p.name}' "
                                       "needs an X_<VENDOR>_ name")


def _dt_object_access(obj):
    return "createDelete" if obj.access == "readWrite" and obj.multi else "readOnly"


class _Selection:
    def __init__(self, prof):
        self.prof = prof
        self.model = prof.model
        self.chosen = {}

    def apply(self, mnode):
        for node in mnode.children:
            if node.tag == "object":
                self.object(node)
        self._add_parents()
        self._add_entry_counts()
        self.prof.objects = {p: self.chosen[p] for p in sorted(self.chosen)}
        for obj in self.prof.objects.values():
            obj.params.sort(key=lambda sp: sp.name)

    def _dm_object(self, path, node):
        obj = self.model.objects.get(path)
        if obj is None or obj.status == "deleted" or path == "":
            raise _bad(node, f"object '{path}' is not in model {self.model.name}")
        return obj

    def _binding(self, node, inherited):
        value = node.get(CWA + "binding", inherited)
        if value not in BINDINGS:
            raise _bad(node, f"cwa:binding must be one of {', '.join(BINDINGS)}, not '{value}'")
        return value

    def _select(self, dm, node, explicit):
        path = dm.path
        if explicit and path in self.chosen and self.chosen[path].origin == "explicit":
            raise _bad(node, f"object '{path}' is listed twice")
        sel = SelectedObject()
        sel.path, sel.dm, sel.params = path, dm, []
        sel.origin = "explicit" if explicit else "subtree"
        sel.access = _dt_object_access(dm)
        sel.min, sel.max = dm.min, dm.max
        if explicit:
            self._object_attrs(sel, node)
        self.chosen[path] = sel
        return sel

    def _object_attrs(self, sel, node):
        access = node.get("access")
        if access is not None:
            if access not in ("readOnly", "create", "delete", "createDelete"):
                raise _bad(node, f"object access '{access}' is not a DT object access")
            if access != "readOnly" and sel.dm.access != "readWrite":
                raise _bad(node, f"object '{sel.path}' is read-only in the model; "
                                 f"access '{access}' is not allowed")
            sel.access = access
        lo, hi = node.get("minEntries"), node.get("maxEntries")
        if lo is not None:
            if not lo.isdigit() or int(lo) < int(sel.dm.min):
                raise _bad(node, f"minEntries {lo} of '{sel.path}' is below the model's {sel.dm.min}")
            sel.min = lo
        if hi is not None:
            if hi != "unbounded" and (not hi.isdigit() or (sel.dm.max != "unbounded"
                                                             and int(hi) > int(sel.dm.max))):
                raise _bad(node, f"maxEntries {hi} of '{sel.path}' is above the model's {sel.dm.max}")
            if hi == "unbounded" and sel.dm.max != "unbounded":
                raise _bad(node, f"maxEntries unbounded of '{sel.path}' is above the model's {sel.dm.max}")
            sel.max = hi
        if sel.max != "unbounded" and int(sel.min) > int(sel.max):
            raise _bad(node, f"minEntries {sel.min} of '{sel.path}' exceeds maxEntries {sel.max}")

    def _param(self, sel, dmp, binding, node=None, access=None):
        if any(sp.name == dmp.name for sp in sel.params):
            raise _bad(node, f"parameter '{sel.path}{dmp.name}' is listed twice")
        sp = SelectedParam()
        sp.name, sp.path, sp.dm = dmp.name, sel.path + dmp.name, dmp
        sp.access = access or dmp.access
        sp.notify = dmp.notify
        sp.will_deny = False
        sp.listed = node is not None
        sp.binding = binding
        sel.params.append(sp)
        return sp

    def object(self, node):
        path = node.get("ref")
        if not path:
            raise _bad(node, "<object> without ref")
        dm = self._dm_object(path, node)
        binding = self._binding(node, "platform")
        sel = self._select(dm, node, True)
        sel.binding = binding
        if node.get(CWA + "subtree") == "all":
            self._all_params(sel, binding)
            for sub in self.model.objects.values():
                if sub.path.startswith(path) and sub.path != path and sub.status != "deleted":
                    if sub.path in self.chosen and self.chosen[sub.path].origin == "explicit":
                        continue
                    child = self._select(sub, node, False)
                    child.binding = binding
                    self._all_params(child, binding)
        elif node.get(CWA + "parameters") == "all":
            self._all_params(sel, binding)
        for c in node.children:
            if c.tag != "parameter":
                continue
            name = c.get("ref")
            dmp = dm.params.get(name or "")
            if dmp is None or dmp.status == "deleted":
                raise _bad(c, f"parameter '{path}{name}' is not in model {self.model.name}")
            access = c.get("access", dmp.access)
            if access not in _ACCESS_RANK:
                raise _bad(c, f"parameter access '{access}' is not valid")
            if _ACCESS_RANK[access] > _ACCESS_RANK[dmp.access]:
                raise _bad(c, f"parameter '{path}{name}' is {dmp.access} in the model; "
                              f"access '{access}' is not allowed")
            existing = [sp for sp in sel.params if sp.name == name]
            if existing:
                sel.params.remove(existing[0])
            sp = self._param(sel, dmp, self._binding(c, binding), c, access)
            notify = c.get("activeNotify", "normal")
            if notify not in ("normal", "willDeny"):
                raise _bad(c, f"activeNotify '{notify}' is not normal or willDeny")
            if notify == "willDeny" and dmp.notify in ("forceEnabled", "forceDefaultEnabled"):
                raise _bad(c, f"parameter '{path}{name}' is {dmp.notify} in the model; "
                              "it cannot deny active notification")
            sp.will_deny = notify == "willDeny"

    def _all_params(self, sel, binding):
        for dmp in sel.dm.params.values():
            if dmp.status != "deleted" and not any(sp.name == dmp.name for sp in sel.params):
                self._param(sel, dmp, binding)

    def _parent_path(self, path):
        trimmed = path[:-len("{i}.")] if path.endswith("{i}.") else path
        cut = trimmed[:-1].rfind(".")
        return trimmed[:cut + 1] if cut >= 0 else None

    def _add_parents(self):
        for path in list(self.chosen):
            parent = self._parent_path(path)
            while parent and parent not in self.chosen:
                dm = self.model.objects.get(parent)
                if dm is None:
                    break
                sel = SelectedObject()
                sel.path, sel.dm, sel.params, sel.origin = parent, dm, [], "parent"
                sel.access, sel.min, sel.max = "readOnly", dm.min, dm.max
                sel.binding = self.chosen[path].binding
                self.chosen[parent] = sel
                parent = self._parent_path(parent)

    def _add_entry_counts(self):
        # A NumberOfEntries parameter that "all parameters" brought in for a
        # table the profile does not support is dropped: it would count nothing.
        counters = {}
        for obj in self.model.objects.values():
            if obj.multi and obj.num_entries and obj.status != "deleted":
                counters.setdefault(self._parent_path(obj.path), {})[obj.num_entries] = obj.path
        for sel in self.chosen.values():
            tables = counters.get(sel.path, {})
            sel.params = [sp for sp in sel.params
                          if sp.listed or sp.name not in tables or tables[sp.name] in self.chosen]
        for sel in list(self.chosen.values()):
            counter = sel.dm.num_entries
            if not sel.multi or not counter:
                continue
            parent = self.chosen.get(self._parent_path(sel.path))
            dmp = parent.dm.params.get(counter) if parent else None
            if dmp is None:
                raise DMError(self.prof.file, None,
                              f"table '{sel.path}' counts its entries in '{counter}', "
                              "which its parent object does not have")
            if not any(sp.name == counter for sp in parent.params):
                self._param(parent, dmp, "runtime")
            for sp in parent.params:
                if sp.name == counter:
                    sp.binding = "count"
