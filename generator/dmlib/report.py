"""An HTML report of a profile's supported model, for people to read.

One self-contained page: inline CSS, no scripts, no external resources.  It
names the profile, its device type, models and input documents, counts what
is supported, lists the objects as a table of contents and gives one table
per object whose rows are its parameters.

The output depends on nothing but the profile (no time stamps, no absolute
paths), so two reports can be diffed.  Every text from the model goes
through html.escape.
"""

import re
from html import escape
from urllib.parse import quote

from .profile import services_path

_STATUS_MARKED = ("deprecated", "obsoleted")
# Where a long CamelCase name may break: before each inner capital letter.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
DASH = "\u2014"

COLUMNS = (
    ("name", "Parameter"),
    ("type", "Type"),
    ("access", "Access"),
    ("binding", "Binding"),
    ("values", "Values"),
    ("limits", "Range / size"),
    ("units", "Units"),
    ("default", "Default"),
    ("notify", "Notification"),
)

STYLE = """
:root { color-scheme: light; --line: #d0d7de; --head: #eef1f4; --muted: #57606a;
  --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1500px; padding: 0 1.5rem 3rem;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1f2328; background: #fff; }
code, .path { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
  "DejaVu Sans Mono", monospace; font-size: 0.92em; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 1.6rem; margin: 1.2rem 0 0.6rem; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 0.5rem; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem;
  margin: 0 0 1rem; }
header dt { font-weight: 600; color: var(--muted); }
header dd { margin: 0; }
p.docs { font-size: 0.85em; margin: 0; }
p.docs span { white-space: nowrap; }
table { border-collapse: separate; border-spacing: 0; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.45rem;
  border-bottom: 1px solid var(--line); }
thead th { background: var(--head); font-weight: 600; position: sticky; top: 0;
  z-index: 1; border-top: 1px solid var(--line); border-bottom: 2px solid #afb8c1; }
table.summary td.n, table.summary th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.summary tbody th { font-weight: 600; }
nav.toc ol { list-style: none; margin: 0; padding: 0; columns: 26rem; column-gap: 2rem;
  font-size: 0.88em; }
nav.toc li { break-inside: avoid; padding: 0.05rem 0; overflow-wrap: anywhere; }
nav.toc .pre { color: #8c959f; }
nav.toc .count { display: inline-block; min-width: 1.6em; padding: 0 0.3em; margin-left: 0.3em;
  border-radius: 0.7em; background: #eef1f4; color: var(--muted); font-size: 0.8em;
  text-align: center; }
nav.toc p { color: var(--muted); font-size: 0.9em; margin: 0 0 0.5rem; }
section.obj { margin-top: 2rem; }
section.obj h2 { margin-bottom: 0.3rem; overflow-wrap: anywhere; font-family: ui-monospace,
  "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
section.obj h2 a.up { font: 400 0.75rem system-ui, sans-serif; margin-left: 0.6rem;
  vertical-align: middle; }
p.meta { margin: 0 0 0.5rem; color: #24292f; }
p.meta span.k { color: var(--muted); }
p.meta > span + span::before { content: "\\00b7"; color: #8c959f; margin: 0 0.45rem; }
table.params { width: 100%; min-width: 60rem; table-layout: fixed; font-size: 0.92em; }
table.params td { overflow-wrap: break-word; }
table.params tbody tr:nth-child(even) { background: #f8f9fa; }
col.name { width: 20%; } col.type { width: 9.5%; } col.access { width: 8%; }
col.binding { width: 6.5%; } col.values { width: 18.5%; } col.limits { width: 10%; }
col.units { width: 9%; } col.default { width: 9%; } col.notify { width: 9.5%; }
td.name { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
  "DejaVu Sans Mono", monospace; font-weight: 600; }
td.empty { color: var(--muted); font-style: italic; }
.rw { font-weight: 600; color: #1a7f37; }
.tag { display: inline-block; font: 600 0.72em/1.3 system-ui, sans-serif;
  padding: 0 0.35em; border-radius: 0.6em; border: 1px solid currentColor;
  vertical-align: 0.1em; white-space: nowrap; }
.tag.key { color: #6639ba; }
.tag.info { color: var(--muted); font-weight: 400; }
.tag.deprecated { color: #9a6700; background: #fff8c5; }
.tag.obsoleted { color: #cf222e; background: #ffebe9; }
.b-platform { color: #0b5cad; } .b-runtime { color: #8250df; } .b-count { color: #57606a; }
tr.st-deprecated { background: #fffbdd !important; }
tr.st-obsoleted { background: #fff0ee !important; }
tr.st-obsoleted td.name, tr.st-obsoleted td.name code { text-decoration: line-through; }
h2.st-obsoleted .path { text-decoration: line-through; }
span.e { display: inline-block; margin: 0 0.2em 0.15em 0; }
code.ev { background: #f0f3f6; border: 1px solid #e1e6eb; border-radius: 3px;
  padding: 0 0.25em; }
code.ev.opt { border-style: dashed; background: #fff; }
code.ev.deprecated { background: #fff8c5; }
code.ev.obsoleted { background: #ffebe9; text-decoration: line-through; }
.mark { font-size: 0.78em; color: var(--muted); font-style: italic; }
.sub { display: block; color: var(--muted); font-size: 0.9em; }
p.legend { color: var(--muted); font-size: 0.9em; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  thead th { position: static; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  p.meta { break-after: avoid; }
  a.up { display: none; }
  a { color: inherit; }
  nav.toc { break-after: page; }
}
"""


def _breakable(name):
    """An escaped name that wraps at CamelCase boundaries rather than anywhere."""
    return _CAMEL.sub("<wbr>", escape(name))


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _tag(text, cls):
    return f' <span class="tag {cls}">{text}</span>'


def _anchor(path):
    return "#" + quote(path, safe="./_-")


def _models(prof):
    return list(prof.model_names)


def _bound(lo, hi):
    if lo is not None and hi is not None:
        return f"{lo}..{hi}" if lo != hi else f"{lo}"
    if lo is not None:
        return f"\u2265\u202f{lo}"
    if hi is not None:
        return f"\u2264\u202f{hi}"
    return ""


def _type_cell(syntax):
    base = escape(syntax.base)
    text = f"list of {base}" if syntax.list is not None else base
    if syntax.datatype:
        text += f' <span class="sub">({_breakable(syntax.datatype)})</span>'
    for flag in ("hidden", "secured", "command"):
        if getattr(syntax, flag):
            text += _tag(flag, "info")
    return text


def _values_cell(facets):
    out = []
    for e in facets.enums:
        if e.status == "deleted":
            continue
        cls = "ev"
        marks = []
        if e.optional:
            cls += " opt"
            marks.append("optional")
        if e.access == "readOnly":
            marks.append("read-only")
        if e.status in _STATUS_MARKED:
            cls += " " + e.status
            marks.append(e.status)
        value = escape(e.value) if e.value != "" else '""'
        mark = f' <span class="mark">{", ".join(marks)}</span>' if marks else ""
        out.append(f'<span class="e"><code class="{cls}">{value}</code>{mark}</span> ')
    for pattern in facets.patterns:
        out.append(f'<span class="sub">pattern <code>{escape(pattern)}</code></span>')
    return "".join(out).rstrip()


def _limits_cell(syntax):
    parts = []
    lst = syntax.list
    if lst is not None:
        items = _bound(lst.min_items, lst.max_items)
        if items:
            parts.append(f"{escape(items)} items")
        sizes = ", ".join(_bound(lo, hi) for lo, hi in lst.sizes if lo or hi)
        if sizes:
            parts.append(f"list length {escape(sizes)}")
    each = "each " if lst is not None else ""
    f = syntax.facets
    ranges = []
    for lo, hi, step in f.ranges:
        text = _bound(lo, hi)
        if step and step != "1":
            text = (text + " " if text else "") + f"step {step}"
        if text:
            ranges.append(text)
    if ranges:
        parts.append(each + escape(", ".join(ranges)))
    sizes = ", ".join(_bound(lo, hi) for lo, hi in f.sizes if lo or hi)
    if sizes:
        parts.append(f"{each}length {escape(sizes)}")
    return "<br>".join(parts)


def _default_cell(defaults):
    out = []
    for kind in sorted(defaults):
        value = defaults[kind]
        shown = f"<code>{escape(value)}</code>" if value != "" else '<code>""</code>'
        if kind != "object":
            shown = f'<span class="mark">{escape(kind)}</span> {shown}'
        out.append(shown)
    return "<br>".join(out)


def _notify_cell(sp):
    out = []
    if sp.notify and sp.notify != "normal":
        out.append(_breakable(sp.notify))
    if sp.dm.forced:
        out.append("forcedInform")
    if sp.will_deny:
        out.append("willDeny")
    return "<br>".join(out)


def _access(value, wrap=True):
    if value == "readOnly":
        return value
    return f'<span class="rw">{_breakable(value) if wrap else escape(value)}</span>'


def _status_tag(status):
    return _tag(status, status) if status in _STATUS_MARKED else ""


def _parent_path(path):
    trimmed = path[:-len("{i}.")] if path.endswith("{i}.") else path
    cut = trimmed[:-1].rfind(".")
    return trimmed[:cut + 1] if cut >= 0 else ""


def _counts(prof):
    objs = list(prof.objects.values())
    params = [sp for o in objs for sp in o.params]

    def by(items, attr, value):
        return sum(1 for i in items if getattr(i, attr) == value)

    def status(items, value):
        return sum(1 for i in items if i.dm.status == value)

    rows = [
        ("Objects", len(objs), by(objs, "binding", "platform"), by(objs, "binding", "runtime"),
         None, status(objs, "deprecated"), status(objs, "obsoleted")),
        ("Parameters", len(params), by(params, "binding", "platform"),
         by(params, "binding", "runtime"), by(params, "binding", "count"),
         status(params, "deprecated"), status(params, "obsoleted")),
    ]
    tables = sum(1 for o in objs if o.multi)
    creatable = sum(1 for o in objs if o.access != "readOnly")
    writable = sum(1 for sp in params if sp.access != "readOnly")
    return rows, tables, creatable, writable


def _header(prof, out):
    name = escape(prof.name)
    out.append(f"<header>\n<h1>Profile <code>{name}</code>: supported model</h1>\n<dl>")
    out.append(f"<dt>Profile</dt><dd><code>{name}</code></dd>")
    out.append(f"<dt>Device type</dt><dd><code>{escape(prof.device_type) or '(none)'}</code></dd>")
    models = _models(prof)
    shown = [f"<code>{escape(models[0])}</code> (root)"]
    shown += [f"<code>{escape(m)}</code> (service, mounted at "
              f"<code>{escape(services_path(prof.root_model))}</code>)" for m in models[1:]]
    out.append("<dt>Models</dt><dd>" + "<br>".join(shown) + "</dd>")
    imports = []
    for file, spec, names in prof.imports:
        text = f"<code>{escape(file)}</code>"
        if spec:
            text += f' <span class="mark">{escape(spec)}</span>'
        if names:
            text += " \u2192 " + ", ".join(f"<code>{escape(n)}</code>" for n in names)
        imports.append(text)
    out.append("<dt>Imports</dt><dd>" + ("<br>".join(imports) or "(none)") + "</dd>")
    docs = ", ".join(f"<span>{escape(s)}</span>" for s in prof.sources)
    out.append(f"<dt>Input documents</dt><dd>{_plural(len(prof.sources), 'document')} read:"
               f'\n<p class="docs">{docs}</p></dd>\n</dl>\n</header>')


def _summary(prof, out):
    rows, tables, creatable, writable = _counts(prof)
    out.append('<section id="summary">\n<h2>Summary</h2>\n<table class="summary">\n<thead><tr>'
               '<th></th><th class="n">Total</th><th class="n">platform</th>'
               '<th class="n">runtime</th><th class="n">count</th>'
               '<th class="n">deprecated</th><th class="n">obsoleted</th></tr></thead>\n<tbody>')
    for row in rows:
        cells = "".join(f'<td class="n">{DASH if v is None else v}</td>' for v in row[1:])
        out.append(f"<tr><th>{row[0]}</th>{cells}</tr>")
    out.append("</tbody>\n</table>")
    out.append(f"<p>Tables (multi-instance objects): {tables}, of which {creatable} with "
               f"instances the ACS may create or delete.  Writable parameters: {writable}.</p>")
    out.append('<p class="legend">Bindings: <b class="b-platform">platform</b> values are read '
               'from the device platform, <b class="b-runtime">runtime</b> values are stored by '
               'the agent (configuration), <b class="b-count">count</b> parameters count the '
               'entries of a table.  Enumeration values with a dashed border are optional.</p>')
    out.append("</section>")


def _toc(prof, out):
    out.append(f'<nav class="toc" id="contents">\n<h2>Objects ({len(prof.objects)})</h2>\n'
               '<p>Each object with the number of its supported parameters.</p>\n<ol>')
    for path, obj in prof.objects.items():
        parent = _parent_path(path)
        if parent and path.startswith(parent):
            label = (f'<span class="pre">{escape(parent)}</span>'
                     f"{escape(path[len(parent):])}")
        else:
            label = escape(path)
        n = len(obj.params)
        out.append(f'<li><a class="path" href="{_anchor(path)}">{label}</a> '
                   f'<span class="count" title="parameters">{n}</span>'
                   f"{_status_tag(obj.dm.status)}</li>")
    out.append("</ol>\n</nav>")


def _object_meta(prof, obj):
    meta = [f'<span><span class="k">access</span> {_access(obj.access, wrap=False)}</span>',
            f'<span><span class="k">entries</span> {escape(obj.min)}..{escape(obj.max)}</span>',
            f'<span><span class="k">binding</span> '
            f'<b class="b-{obj.binding}">{escape(obj.binding)}</b></span>']
    keys = obj.dm.unique_keys
    if keys:
        shown = "; ".join(", ".join(f"<code>{escape(k)}</code>" for k in key) for key in keys)
        meta.append(f'<span><span class="k">unique key{"s" if len(keys) > 1 else ""}</span> '
                    f"{shown}</span>")
    if obj.multi and obj.dm.num_entries:
        counter = _parent_path(obj.path) + obj.dm.num_entries
        meta.append(f'<span><span class="k">counted by</span> '
                    f'<a class="path" href="{_anchor(counter)}">{escape(counter)}</a></span>')
    if obj.origin == "parent":
        meta.append('<span><span class="k">implied</span> as the parent of supported objects'
                    "</span>")
    return '<p class="meta">' + "".join(meta) + "</p>"


def _object(prof, obj, out, colgroup, thead):
    path = obj.path
    status = obj.dm.status
    cls = f' class="st-{status}"' if status in _STATUS_MARKED else ""
    out.append(f'<section class="obj" id="{escape(path)}">\n<h2{cls}><span class="path">'
               f'{escape(path)}</span>{_status_tag(status)}'
               '<a class="up" href="#contents">\u2191 contents</a></h2>')
    out.append(_object_meta(prof, obj))
    out.append(f'<table class="params">{colgroup}{thead}<tbody>')
    if not obj.params:
        out.append(f'<tr><td class="empty" colspan="{len(COLUMNS)}">'
                   "No parameters of its own.</td></tr>")
    keys = {k for key in obj.dm.unique_keys for k in key}
    for sp in obj.params:
        dm = sp.dm
        syntax = dm.syntax
        st = dm.status
        row_cls = f' class="st-{st}"' if st in _STATUS_MARKED else ""
        name = _breakable(sp.name) if len(sp.name) > 24 else escape(sp.name)
        if sp.name in keys:
            name += _tag("key", "key")
        name += _status_tag(st)
        out.append(
            f'<tr id="{escape(sp.path)}"{row_cls}>'
            f'<td class="name">{name}</td>'
            f"<td>{_type_cell(syntax)}</td>"
            f"<td>{_access(sp.access)}</td>"
            f'<td class="b-{sp.binding}">{sp.binding}</td>'
            f"<td>{_values_cell(syntax.facets)}</td>"
            f"<td>{_limits_cell(syntax)}</td>"
            f"<td>{escape(syntax.facets.units or '')}</td>"
            f"<td>{_default_cell(syntax.defaults)}</td>"
            f"<td>{_notify_cell(sp)}</td></tr>")
    out.append("</tbody></table>\n</section>")


def html_report(prof):
    """The profile's supported model as one self-contained HTML page."""
    title = f"Profile {prof.name}: supported model"
    out = ["<!DOCTYPE html>",
           '<html lang="en">',
           "<head>",
           '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="generator" content="dmgen report">',
           f"<title>{escape(title)}</title>",
           f"<style>{STYLE}</style>",
           "</head>",
           "<body>"]
    _header(prof, out)
    _summary(prof, out)
    _toc(prof, out)
    colgroup = "<colgroup>" + "".join(f'<col class="{c}">' for c, _ in COLUMNS) + "</colgroup>"
    thead = "<thead><tr>" + "".join(f"<th>{t}</th>" for _, t in COLUMNS) + "</tr></thead>"
    out.append("<main>")
    for obj in prof.objects.values():
        _object(prof, obj, out, colgroup, thead)
    out.append("</main>\n</body>\n</html>")
    return "\n".join(out) + "\n"
