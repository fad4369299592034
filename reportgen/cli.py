"""The ``reportgen`` command line.

Exit codes: 0 built · 1 the tool failed (a bug; ``--debug`` shows the
traceback) · 2 the input or template is wrong · 3 ``check`` found stale output.
Nothing heavy is imported here: writers load only when a build needs them.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from . import __version__
from .errors import ReportgenError

FORMAT_CHOICES = ("pdf", "pptx", "all")

EPILOG = """\
examples:
  reportgen build                      build every outline in inputs/ into build/
  reportgen build inputs/summit.yaml --format pdf
  reportgen validate inputs/*.yaml     check outlines and templates, write nothing
  reportgen templates                  list the template packs

exit codes: 0 ok, 1 internal error, 2 bad input or template, 3 stale outputs
"""


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

    b = sub.add_parser("build", help="render outlines to PDF and PPTX", description="Render outlines into build/ (default: every outline in inputs/).")
    b.add_argument("paths", nargs="*", metavar="PATH", help="outline files or folders (default: inputs/)")
    b.add_argument("--format", "-f", choices=FORMAT_CHOICES, default="all", help="which output to make (default: all)")
    b.add_argument("--template", "-t", default="", metavar="NAME", help="template pack to use instead of each outline's `template`")
    b.add_argument("--out", "-o", default="build", metavar="DIR", help="output folder (default: build)")
    b.add_argument("--templates", default="templates", metavar="DIR", help="folder of template packs (default: templates)")
    b.add_argument("--quiet", "-q", action="store_true", help="print only warnings and errors")

    v = sub.add_parser("validate", help="check outlines and their templates; write nothing", description="Load, validate and compose outlines without rendering.")
    v.add_argument("paths", nargs="*", metavar="PATH", help="outline files or folders (default: inputs/)")
    v.add_argument("--template", "-t", default="", metavar="NAME", help="template pack to check against")
    v.add_argument("--templates", default="templates", metavar="DIR", help="folder of template packs (default: templates)")

    t = sub.add_parser("templates", help="list the template packs", description="List the template packs in the templates folder.")
    t.add_argument("--templates", default="templates", metavar="DIR", help="folder of template packs (default: templates)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        return {"build": _build, "validate": _validate, "templates": _templates}[args.command](args)
    except ReportgenError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("reportgen: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in reportgen: say so plainly
        if args.debug:
            traceback.print_exc()
        else:
            print(f"reportgen: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", file=sys.stderr)
        return 1


def _formats(value: str) -> tuple[str, ...]:
    return ("pdf", "pptx") if value == "all" else (value,)


def _build(args) -> int:
    from .build import Options, build

    opts = Options(formats=_formats(args.format), out_dir=args.out, template=args.template, templates_dir=args.templates)

    def report(out) -> None:
        for w in out.warnings:
            print(f"{out.path}: warning: {w}", file=sys.stderr)
        if not args.quiet:
            print(f"built {out.path}")

    build(args.paths, opts, report)
    return 0


def _validate(args) -> int:
    from .build import Options, find_inputs, prepare

    paths = find_inputs(args.paths)
    prepare(paths, Options(template=args.template, templates_dir=args.templates))
    for p in paths:
        print(f"ok {p}")
    return 0


def _templates(args) -> int:
    from .pack import list_packs

    packs = list_packs(args.templates)
    if not packs:
        print(f"no template packs in {os.path.abspath(args.templates)}", file=sys.stderr)
        return 2
    for pack in packs:
        try:
            desc = pack.theme.description
        except ReportgenError as exc:
            desc = f"(broken: {str(exc).splitlines()[0]})"
        print(f"{pack.name:<16} {desc}")
    return 0
