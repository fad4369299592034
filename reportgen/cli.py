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
  reportgen build                      build what changed among inputs/*.yaml into build/
  reportgen build inputs/summit.yaml --format pdf
  reportgen build --force --jobs 4     rebuild everything, 4 processes
  reportgen check                      exit 3 if build/ is stale; renders nothing
  reportgen validate inputs/*.yaml     check outlines and templates, write nothing
  reportgen templates                  list the template packs

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


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reportgen",
        description="Turn a YAML outline into a PDF briefing report and an editable PPTX deck.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"reportgen {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback when reportgen itself fails")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="render outlines that changed to PDF and PPTX", description="Render outlines into the build folder; only what changed (by content hash) is rendered again.")
    _common(b)
    b.add_argument("--out", "-o", default=None, metavar="DIR", help="output folder (default: build)")
    b.add_argument("--force", action="store_true", help="render everything, changed or not")
    b.add_argument("--prune", action="store_true", help="remove outputs whose outline no longer exists")
    b.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="render in N processes (default, or 0: one per core)")
    b.add_argument("--quiet", "-q", action="store_true", help="print only warnings and errors")
    b.add_argument("--verbose", "-v", action="store_true", help="also list outputs that were up to date")
    b.add_argument("--log-format", choices=("text", "json"), default="text", help="json: one JSON object per line, for machines")

    c = sub.add_parser("check", help="exit 3 if outputs are stale or missing; render nothing", description="Validate every outline and template, then compare the build folder with its manifest. Exit 0 if up to date, 3 if stale or missing, 2 if an input is wrong.")
    _common(c)
    c.add_argument("--out", "-o", default=None, metavar="DIR", help="output folder (default: build)")

    v = sub.add_parser("validate", help="check outlines and their templates; write nothing", description="Load, validate and compose outlines without rendering.")
    _common(v)

    t = sub.add_parser("templates", help="list the template packs", description="List the template packs in the templates folder.")
    t.add_argument("--templates", default=None, metavar="DIR", help="folder of template packs (default: templates)")
    return p


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
    as_json = getattr(args, "log_format", "text") == "json"
    restore = _on_sigterm()
    try:
        return {"build": _build, "check": _check, "validate": _validate, "templates": _templates}[args.command](args)
    except ReportgenError as exc:
        if as_json:
            for line in str(exc).splitlines():
                print(json.dumps({"event": "error", "detail": line, "exit": exc.exit_code}, ensure_ascii=False))
        else:
            print(str(exc), file=sys.stderr)
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
        raise InputError(f"--jobs expects a number of processes (0 = one per core), got {jobs}")
    if args.master:  # every command checks a given master before reading anything else
        from .theme import check_master

        why = check_master(args.master)
        if why:
            raise InputError(Problem(args.master, 0, 0, f"slide master: {why}"))
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
        jobs=jobs or cfg.jobs or os.cpu_count() or 1,
        root=".",
    )


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


def _check(args) -> int:
    from .build import check

    for line in check(args.paths, _options(args)):
        print(line)
    print("build is up to date")
    return 0


def _validate(args) -> int:
    from .build import find_inputs, prepare

    opts = _options(args)
    paths = find_inputs(args.paths, opts.inputs_dir)
    for w in prepare(paths, opts):
        print(w.as_warning(), file=sys.stderr)
    for p in paths:
        print(f"ok {p}")
    return 0


def _templates(args) -> int:
    from .config import load_config
    from .pack import list_packs

    folder = args.templates or os.path.join(os.path.relpath(load_config(".").root), load_config(".").templates)
    packs = list_packs(folder)
    if not packs:
        print(f"no template packs in {os.path.abspath(folder)}", file=sys.stderr)
        return 2
    for pack in packs:
        try:
            desc = pack.theme.description
        except ReportgenError as exc:
            desc = f"(broken: {str(exc).splitlines()[0]})"
        print(f"{pack.name:<16} {desc}")
    return 0
