"""Text outputs of a profile: the manifest and the normalised DT instance."""

from xml.sax.saxutils import quoteattr


def type_name(dmp):
    base = dmp.syntax.base
    return f"list<{base}>" if dmp.syntax.list is not None else base


def manifest(prof):
    """One line per supported object and parameter: path, type, access, binding."""
    lines = [f"# manifest of profile {prof.name}: " + ", ".join(prof.model_names),
             "# path type access binding (objects: path object access min..max binding)"]
    for obj in prof.objects.values():
        lines.append(f"{obj.path} object {obj.access} {obj.min}..{obj.max} {obj.binding}")
        for sp in obj.params:
            lines.append(f"{sp.path} {type_name(sp.dm)} {sp.access} {sp.binding}")
    return "\n".join(lines) + "\n"


def normalised_dt(prof):
    """The profile as a plain DT instance: every item listed, nothing implied."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<dt:document xmlns:dt="urn:broadband-forum-org:cwmp:devicetype-1-6"'
           f' deviceType={quoteattr(prof.device_type)} uuid={quoteattr(prof.uuid)}>']
    for file, spec, names in prof.imports:
        out.append(f"  <import file={quoteattr(file)}"
                   + (f" spec={quoteattr(spec)}" if spec else "") + ">")
        for name in names:
            out.append(f"    <model name={quoteattr(name)}/>")
        out.append("  </import>")
    out.append(f"  <model ref={quoteattr(prof.root_ref)}>")
    for obj in prof.objects.values():
        out.append(f"    <object ref={quoteattr(obj.path)} access=\"{obj.access}\""
                   f" minEntries=\"{obj.min}\" maxEntries=\"{obj.max}\""
                   + ("/>" if not obj.params else ">"))
        for sp in obj.params:
            # DT access has no writeOnceReadOnly: such a parameter is written once.
            access = "readOnly" if sp.access == "readOnly" else "readWrite"
            notify = ' activeNotify="willDeny"' if sp.will_deny else ""
            out.append(f"      <parameter ref={quoteattr(sp.name)} access=\"{access}\"{notify}/>")
        if obj.params:
            out.append("    </object>")
    out.append("  </model>")
    out.append("</dt:document>")
    return "\n".join(out) + "\n"
