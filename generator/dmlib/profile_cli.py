"""dmgen's subcommands over a device profile (manifest, dt, generate, report,
each able to write a depfile of what it read), and runtime-paths, which needs
no profile: the C++ declarations of cwmp::dm::ModelPaths and
cwmp::agent::ManagementServerSettings."""

import os
import sys

from . import outputs
from . import report
from . import runtime_paths
from .profile import load_profile


def _write(text, out):
    if out in (None, "-"):
        sys.stdout.write(text)
        return
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out)


def inputs_of(resolver, profile_path):
    """Every file and directory a profile's outputs depend on: the profile, each
    document it loaded (BBF, vendor), and each directory searched for documents
    (a new amendment dropped there can change what an import resolves to)."""
    library = resolver.library
    found = {os.path.normpath(profile_path)} | set(library.docs)
    found |= {os.path.normpath(d) for d in library.locator.searched_dirs()}
    return sorted(found)


def write_depfile(path, target, deps):
    """A Make-style depfile (as ninja reads it): `target: dep ...`."""
    def esc(name):
        return name.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#").replace("$", "$$")
    _write("%s: %s\n" % (esc(target), " \\\n  ".join(esc(d) for d in deps)), path)


def _add_depfile_option(p):
    p.add_argument("--depfile", metavar="FILE",
                   help="also write a Make-style depfile of every input read (for meson/ninja)")


def register(sub, make_resolver):
    def add(name, helptext, render):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("profile")
        p.add_argument("-o", "--output", help="output file (default: standard output)")
        _add_depfile_option(p)

        def run(args):
            resolver = make_resolver(args)
            prof = load_profile(resolver, args.profile)
            _write(render(prof), args.output)
            if args.depfile:
                write_depfile(args.depfile, args.output or "-", inputs_of(resolver, args.profile))
            return 0
        p.set_defaults(func=run)

    add("manifest", "one line per supported object and parameter of a profile", outputs.manifest)
    add("dt", "the profile as a normalised BBF Device Type instance", outputs.normalised_dt)
    register_generate(sub, make_resolver)
    add("report", "an HTML report of the profile's supported model", report.html_report)
    p = sub.add_parser("runtime-paths", help="print the C++ declarations of cwmp::dm::ModelPaths "
                                             "(runtime/include/cwmp/dm/schema.h carries it) and of "
                                             "cwmp::agent::ManagementServerSettings (runtime/include/cwmp/agent/settings.h) "
                                             "and of the diagnostics' typed fields (runtime/src/diag/fields.h)")
    p.add_argument("--into", metavar="HEADER",
                   help="instead, rewrite those HEADER carries, each between its // BEGIN NAME and "
                        "// END NAME lines")
    p.set_defaults(func=_print_paths_declaration)


def _print_paths_declaration(args):
    if not args.into:
        sys.stdout.write("\n".join(decl for _b, _e, decl in runtime_paths.declarations()))
        return 0
    with open(args.into, encoding="utf-8") as f:
        text = f.read()
    try:
        _write(runtime_paths.replace_declaration(text), args.into)
    except ValueError:
        sys.stderr.write(f"dmgen: {args.into}: no // BEGIN NAME ... // END NAME lines "
                         f"(NAME: ModelPaths, ManagementServerSettings, DiagnosticFields)\n")
        return 1
    return 0


def register_generate(sub, make_resolver):
    p = sub.add_parser("generate", help="generate the C++ tables and platform API of a profile")
    p.add_argument("profile")
    p.add_argument("--out-dir", required=True, help="directory of the generated sources")
    p.add_argument("--header-dir", help="directory of the generated headers (default: --out-dir)")
    p.add_argument("--prefix", default="", help="prefix of the generated source file names")
    p.add_argument("--list", action="store_true", help="only print the files it would write")
    p.add_argument("--tables-only", action="store_true",
                   help="a profile cwmpd does not run: leave the runtime's paths (runtime_paths.py) "
                        "unresolved and empty")
    _add_depfile_option(p)

    def run(args):
        from . import codegen
        resolver = make_resolver(args)
        prof = load_profile(resolver, args.profile)
        if args.list:
            import tempfile
            with tempfile.TemporaryDirectory() as tmp:
                names = codegen.generate(prof, tmp, args.prefix, agent=not args.tables_only)
        else:
            names = codegen.generate(prof, args.out_dir, args.prefix, args.header_dir,
                                     agent=not args.tables_only)
            if args.depfile:
                write_depfile(args.depfile, os.path.join(args.out_dir, names[0]), inputs_of(resolver, args.profile))
        if args.list:
            print("\n".join(names))
        return 0
    p.set_defaults(func=run)
