"""The ``reportgen`` command line.

Exit codes: 0 built · 1 the tool failed (a bug; ``--debug`` shows the
traceback) · 2 the input or template is wrong · 3 ``check`` found stale output.
Nothing heavy is imported here: writers load only when a build renders.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

from . import __version__
from .errors import InputError, Problem, ReportgenError, Terminated

FORMAT_CHOICES = ("pdf", "pptx", "all")

EPILOG = """\
examples:
  reportgen build                      build what changed among inputs/*.yaml and *.md into build/
  reportgen build inputs/summit.yaml --format pdf
  reportgen build --force --jobs 4     rebuild everything, 4 processes
  reportgen watch --serve              rebuild what each save touches; the PDFs at http://127.0.0.1:8000/
  reportgen check                      exit 3 if build/ is stale; renders nothing
  reportgen validate inputs/*.yaml     check outlines and templates, write nothing
  reportgen templates                  list the template packs (the project's and the built-in ones)
  reportgen init my-docs               start a documents repository (config, example, schema, CI workflow)
  reportgen schema > outline.schema.json   the outline's JSON Schema, for editors
  reportgen convert inputs/summit.yaml     write inputs/summit.md, the same outline in Markdown (--to yaml: back)

exit codes: 0 ok, 1 internal error, 2 bad input or template, 3 stale outputs
options not given here come from reportgen.toml or [tool.reportgen] in pyproject.toml
"""


def _common(p: argparse.ArgumentParser, formats: bool = True) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="outline files or folders (default: the inputs folder, inputs/)")
    if formats:
        p.add_argument("--format", "-f", choices=FORMAT_CHOICES, default=None, help="which output to make (default: all)")
    p.add_argument("--template", "-t", default=None, metavar="NAME", help="template pack to use instead of each outline's `template`")
    p.add_argument("--templates", default=None, metavar="DIR", help="folder of template packs (default: templates)")
    p.add_argument("--master", default=None, metavar="FILE.pptx", help="slide master to use for decks instead of the pack's")
    p.add_argument("--strict", action="store_true", default=None, help="treat warnings (text shrunk or split, missing glyphs) as errors")
    _log_format(p)


def _pdf_standard(p: argparse.ArgumentParser) -> None:
    from .writers import PDF_STANDARDS

    p.add_argument(
        "--pdf-standard",
        choices=PDF_STANDARDS,
        default=None,
        help="what the PDFs are: ua-1 tagged for accessibility, PDF/UA-1 (the default); a-2b or a-3b the same tags as PDF/A-2b or -3b "
        "(archival: sRGB output intent, XMP); none untagged. check also checks each PDF up to date against it",
    )


def _log_format(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--log-format",
        choices=("text", "json", "github"),
        default="text",
        help="text: file:line:col lines; json: one JSON object per line; github: ::error/::warning workflow commands, shown on the pull request",
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reportgen",
        description="Turn an outline (YAML, or Markdown in pandoc's dialect) into a PDF briefing report and an editable PPTX deck.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"reportgen {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback when reportgen itself fails")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="render outlines that changed to PDF and PPTX", description="Render outlines into the build folder; only what changed (by content hash) is rendered again.")
    _common(b)
    b.add_argument("--out", "-o", default=None, metavar="DIR", help="output folder (default: build)")
    _pdf_standard(b)
    b.add_argument("--force", action="store_true", help="render everything, changed or not")
    b.add_argument("--prune", action="store_true", help="remove outputs whose outline no longer exists")
    b.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="render in N processes (default, or 0: one per usable CPU, never more than the outputs to render)")
    b.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="render on a Dask cluster instead: a scheduler's address (tcp://HOST:8786), or local[:N] to start N worker processes here; needs reportgen[dask]")
    b.add_argument("--dask-output", default=None, metavar="LOCATION",
                   help="with --dask: a folder this machine and the workers share, or a URL (s3://...), where workers put the outputs for this machine to fetch (default: returned with their results)")
    b.add_argument("--quiet", "-q", action="store_true", help="print only warnings and errors")
    b.add_argument("--verbose", "-v", action="store_true", help="also list outputs that were up to date")

    w = sub.add_parser("watch", help="build, then rebuild what each saved change touches, until Ctrl-C",
                       description="Build, then keep watching the files the outputs depend on (outlines, the pack's theme, templates, fonts, "
                       "images, data) and rebuild what a change touches, warm: libraries, fonts and templates stay loaded. A bad edit prints its "
                       "error and keeps the last good outputs. Ctrl-C stops it.")
    _common(w)
    w.add_argument("--out", "-o", default=None, metavar="DIR", help="output folder (default: build)")
    _pdf_standard(w)
    w.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="render a changed outline's PDF and deck in N worker processes (default, or 0: one per usable CPU, at most one per format)")
    w.add_argument("--serve", nargs="?", type=int, const=8000, default=None, metavar="PORT",
                   help="also show the PDFs at http://127.0.0.1:PORT/ (default 8000; 0: any free port), reloaded after each build")
    w.add_argument("--quiet", "-q", action="store_true", help="print only warnings, errors and each round's summary")
    w.add_argument("--verbose", "-v", action="store_true", help="also list outputs that were up to date")

    c = sub.add_parser("check", help="exit 3 if outputs are stale or missing; render nothing", description="Validate every outline and template, then compare the build folder with its manifest. Exit 0 if up to date, 3 if stale or missing, 2 if an input is wrong.")
    _common(c)
    c.add_argument("--out", "-o", default=None, metavar="DIR", help="output folder (default: build)")
    _pdf_standard(c)

    v = sub.add_parser("validate", help="check outlines and their templates; write nothing", description="Load, validate and compose outlines without rendering.")
    _common(v)

    i = sub.add_parser(
        "init",
        help="start a documents repository: config, an example outline, its editor schema, a CI workflow",
        description="Write reportgen.toml, inputs/example.yaml (with its editor schema, reportgen.schema.json), .gitignore and .github/workflows/documents.yml into DIR. Nothing already there is replaced unless --force.",
    )
    i.add_argument("folder", nargs="?", default=".", metavar="DIR", help="the repository folder (default: here; created if missing)")
    i.add_argument("--force", action="store_true", help="overwrite files that are already there")
    i.add_argument("--pack", default="", metavar="NAME", help="also copy the built-in pack NAME into templates/NAME, to customise it")
    _log_format(i)

    cv = sub.add_parser(
        "convert",
        help="write an outline in the other form: YAML to Markdown, or Markdown to YAML",
        description="Write the outline FILE in the other form (YAML to Markdown, Markdown to YAML), checked to load into the same "
        "outline. Figure paths are made relative to the new file; a Markdown bibliography's cited entries become sources. "
        "No file is replaced unless --force, and none is written through a link.",
    )
    cv.add_argument("file", metavar="FILE", help="the outline to convert (.yaml or .md)")
    cv.add_argument("--to", choices=("md", "yaml"), default=None, help="the form to write (default: the other one, or the one --out's extension names)")
    cv.add_argument("--out", "-o", default=None, metavar="PATH",
                    help="the file to write (default: beside FILE, with the other extension); a folder: FILE's name in it; -: standard output")
    cv.add_argument("--force", action="store_true", help="replace PATH if it exists")
    _log_format(cv)

    s = sub.add_parser("schema", help="print the outline's JSON Schema (for editors)", description="Print the JSON Schema of an outline, for editors that validate and complete YAML as it is typed (yaml-language-server).")
    _log_format(s)

    t = sub.add_parser("templates", help="list the template packs and where each comes from", description="List the template packs: the project's (the templates folder), then the built-in ones they do not shadow.")
    t.add_argument("--templates", default=None, metavar="DIR", help="folder of template packs (default: templates)")
    _log_format(t)
    return p


def run() -> None:
    """The ``reportgen`` command (and ``python -m reportgen``): run ``main`` and exit with its code.

    Before the interpreter ends, every object is frozen out of the cycle
    collector's reach (``gc.freeze``): its last collection would otherwise
    walk everything a build made, one by one (70-90 ms after a summit build,
    on a whole process of 0.7 s), memory the operating system frees at once.
    """
    code = main()
    import gc

    gc.freeze()
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 prints escaped, never crashes a print
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    fmt = getattr(args, "log_format", "text")
    restore = _on_sigterm()
    try:
        commands = {"build": _build, "watch": _watch, "check": _check, "validate": _validate, "templates": _templates, "init": _init, "schema": _schema, "convert": _convert}
        return commands[args.command](args)
    except ReportgenError as exc:
        _report_error(exc, fmt)
        return exc.exit_code
    except Terminated:
        print("reportgen: terminated; the previous outputs are untouched", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("reportgen: interrupted; the previous outputs are untouched", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in reportgen: say so plainly
        if args.debug:
            traceback.print_exc()
        else:
            print(f"reportgen: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", file=sys.stderr)
        return 1
    finally:
        restore()


def _report_error(exc: ReportgenError, fmt: str) -> None:
    """Print ``exc`` in log format ``fmt``: one line per problem."""
    from .log import format_problem

    problems = getattr(exc, "problems", None) or [Problem("", 0, 0, line) for line in str(exc).splitlines()]
    if fmt == "text":
        print(str(exc), file=sys.stderr)
    elif fmt == "json":
        for p in problems:
            print(json.dumps({**json.loads(format_problem(p, "json")), "event": "error", "detail": str(p), "exit": exc.exit_code}, ensure_ascii=False))
    else:
        for p in problems:
            print(format_problem(p, fmt))


def _warn(problem: Problem, fmt: str) -> None:
    """Print a warning in log format ``fmt`` (text and github on stderr and stdout, as each is read)."""
    from .log import format_problem

    if fmt == "text":
        print(problem.as_warning(), file=sys.stderr)
    else:
        print(format_problem(problem, fmt))


def _note_sigterm():
    """Return a function telling whether SIGTERM arrived since this call (its handler, ``_on_sigterm``'s, still runs)."""
    import signal
    import threading

    seen: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        return lambda: False
    previous = signal.getsignal(signal.SIGTERM)

    def note(signum, frame):
        seen.append(signum)
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, note)
    return lambda: bool(seen)


def _on_sigterm():
    """Make SIGTERM stop a command as Ctrl-C does (temp files removed, lock released); return how to undo it."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(_signum, _frame):
        raise Terminated()

    old = signal.signal(signal.SIGTERM, stop)
    return lambda: signal.signal(signal.SIGTERM, old)


def _options(args):
    """Return build ``Options`` from the project config, overridden by the flags given."""
    from .build import Options
    from .config import load_config

    cfg = load_config(".")
    root = cfg.root

    def path(flag, configured):
        return flag if flag is not None else os.path.normpath(os.path.join(os.path.relpath(root), configured))

    fmt = getattr(args, "format", None)
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 0:
        raise InputError(f"--jobs expects a number of processes (0 = one per usable CPU), got {jobs}")
    if args.master:  # every command checks a given master before reading anything else
        from .theme import check_master

        why = check_master(args.master)
        if why:
            raise InputError(Problem(args.master, 0, 0, f"slide master: {why}"))
    dask, dask_output = _cluster(args, cfg, jobs)
    return Options(
        formats=("pdf", "pptx") if fmt == "all" else (fmt,) if fmt else tuple(cfg.formats),
        out_dir=path(getattr(args, "out", None), cfg.build),
        template=args.template or "",
        default_template=cfg.template or "briefing",
        templates_dir=path(args.templates, cfg.templates),
        inputs_dir=path(None, cfg.inputs),
        master=args.master or "",
        strict=bool(args.strict) if args.strict is not None else cfg.strict,
        force=getattr(args, "force", False),
        prune=getattr(args, "prune", False),
        jobs=jobs if jobs is not None else cfg.jobs,  # 0: one process per usable CPU, never more than the outputs (build.workers)
        root=".",
        pdf_standard=getattr(args, "pdf_standard", None) or cfg.pdf_standard,
        dask=dask,
        dask_output=dask_output,
    )


def _cluster(args, cfg, jobs: int | None) -> tuple[str, str]:
    """Return (the Dask cluster to build on, where its workers put the outputs): the flags', else the config's; ("", "") to build here.

    ``--jobs N`` on the command line builds here even when the config names
    a cluster; ``--dask`` with ``--jobs``, a malformed address, or Dask not
    installed is an ``InputError`` found before anything is read.
    """
    if not hasattr(args, "dask"):  # only build renders
        return "", ""
    if args.dask is not None and jobs is not None:
        raise InputError("--dask and --jobs: give one (on a cluster, its workers decide how many outputs render at once)")
    address = args.dask if args.dask is not None else "" if jobs is not None else cfg.dask
    if args.dask_output and not address:
        raise InputError("--dask-output is where a cluster's workers put the outputs: give --dask ADDRESS too")
    if not address:
        return "", ""
    from .build.cluster import dask_target, require_dask

    try:
        dask_target(address)
    except ValueError as exc:
        raise InputError(f"--dask: {exc}") from None
    require_dask("--dask" if args.dask is not None else "dask (reportgen.toml)")
    return address, args.dask_output or ""


def _build(args) -> int:
    from .build import build, find_inputs
    from .log import reporter_for

    opts = _options(args)
    if args.paths:
        multi = len(args.paths) > 1 or os.path.isdir(args.paths[0])
    else:
        multi = len(find_inputs([], opts.inputs_dir)) > 1
    reporter = reporter_for(args.log_format, args.quiet, args.verbose, multi)
    build(args.paths, opts, reporter)
    return 0


def _watch(args) -> int:
    from .build import find_inputs
    from .build.watching import Watch
    from .log import reporter_for

    opts = _options(args)
    if args.serve is not None and not 0 <= args.serve <= 65535:
        raise InputError(f"--serve expects a port number from 0 to 65535, got {args.serve}")
    try:
        import watchfiles  # noqa: F401  (a dependency: checked before the first build, not after)
    except ImportError:
        raise InputError("reportgen watch needs the watchfiles package: pip install watchfiles") from None
    multi = len(args.paths) > 1 or (bool(args.paths) and os.path.isdir(args.paths[0])) or (not args.paths and len(find_inputs([], opts.inputs_dir)) > 1)
    reporter = reporter_for(args.log_format, args.quiet, args.verbose, multi)
    preview = None
    if args.serve is not None:
        from .preview import Preview

        def served() -> dict[str, str]:
            return {os.path.basename(p): p for p in _outputs_of(opts)}

        try:
            preview = Preview(served, args.serve)  # (bound now: a port in use is an error before any build)
        except OSError as exc:
            raise InputError(f"--serve {args.serve}: cannot listen on 127.0.0.1:{args.serve} ({exc.strerror or exc})") from None

    def built(_round) -> None:
        if preview is None:
            return
        if not preview.serving:  # (started after the first round, once the watch's workers are forked)
            preview.start()
            print(f"serving the PDFs at {preview.url}", flush=True)
        preview.notify()

    def report(exc: ReportgenError) -> None:
        _report_error(exc, args.log_format)
        sys.stderr.flush()

    watch = Watch(args.paths, opts, reporter, say=lambda line: print(line, flush=True), on_built=built, report=report)
    terminated = _note_sigterm()  # (watchfiles turns any signal into a plain KeyboardInterrupt while it waits)
    try:
        watch.run()
    except KeyboardInterrupt:
        if isinstance(sys.exc_info()[1], Terminated) or terminated():
            raise Terminated() from None  # SIGTERM: exit 143, as every command
        print("reportgen: watch stopped", file=sys.stderr)
    finally:
        watch.close()
        if preview is not None:
            preview.stop()
    return 0


def _outputs_of(opts) -> list[str]:
    """Return the paths of the outputs the build folder's manifest lists that exist."""
    from .manifest import Manifest

    found = [os.path.join(opts.out_dir, name) for name in Manifest.load(opts.out_dir).entries]
    return [p for p in found if os.path.isfile(p)]


def _check(args) -> int:
    from .build import check

    for line in check(args.paths, _options(args)):
        if isinstance(line, Problem):
            _warn(line, args.log_format)
        else:
            print(line)
    print("build is up to date")
    return 0


def _validate(args) -> int:
    from .build import find_inputs, prepare

    opts = _options(args)
    paths = find_inputs(args.paths, opts.inputs_dir)
    warnings = prepare(paths, opts)
    if opts.strict and warnings:
        raise InputError([w if w.severity == "error" else w.as_error() for w in warnings])
    for w in warnings:
        _warn(w, args.log_format)
    for p in paths:
        print(f"ok {p}")
    return 0


def _init(args) -> int:
    from .scaffold import init

    for path in init(args.folder, __version__, force=args.force, pack=args.pack):
        print(f"wrote {path}")
    print(f"next: cd {args.folder} && reportgen build")
    return 0


def _convert(args) -> int:
    from .convert import convert, write
    from .loader import load

    loaded = load(args.file)
    done = convert(loaded, args.to, args.out)

    def warn(w: Problem) -> None:
        if done.dest is None and args.log_format != "text":  # standard output holds the outline: warnings go beside it
            from .log import format_problem

            print(format_problem(w, args.log_format), file=sys.stderr)
        else:
            _warn(w, args.log_format)

    for w in loaded.warnings:  # what the Markdown reader did not keep: not in the new file either
        warn(w)
    if done.dest is None:
        sys.stdout.write(done.text)
        sys.stdout.flush()
    else:
        write(done.dest, done.text, force=args.force)
    for w in done.warnings:  # what loading the new file will warn of
        warn(w)
    if done.dest is not None:
        print(f"wrote {done.dest}")
        stem, folder = os.path.splitext(os.path.basename(done.dest))[0], os.path.dirname(done.dest)
        twins = [n for n in (stem + ext for ext in (".md", ".markdown", ".yaml", ".yml")) if os.path.join(folder, n) != done.dest and os.path.isfile(os.path.join(folder, n))]
        if twins:
            print(f"note: {done.dest} and {os.path.join(folder, twins[0])} would both build {stem}.pdf and {stem}.pptx; keep one of them in the inputs folder")
    return 0


def _schema(args) -> int:
    from .schema import outline_schema

    print(json.dumps(outline_schema(), indent=1, ensure_ascii=False))
    return 0


def _templates(args) -> int:
    from .config import load_config
    from .pack import describe, list_packs

    cfg = load_config(".")
    folder = args.templates or os.path.join(os.path.relpath(cfg.root), cfg.templates)
    used: set[str] = set()
    for pack in list_packs(folder, shadowed=True):
        try:
            desc = pack.theme.description
        except ReportgenError as exc:
            desc = f"(broken: {str(exc).splitlines()[0]})"
        if pack.name in used:
            desc = f"(shadowed by the project's {pack.name}) {desc}"
        used.add(pack.name)
        print(f"{pack.name:<16} {describe(pack):<16} {desc}")
    return 0
