"""Build logs: a progress bar on a terminal, a line per document in CI, JSON for machines.

A reporter receives events from the build and decides how to show them;
the build itself never prints.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field

from .errors import Problem


@dataclass
class Event:
    kind: str  # built | skipped | warning | removed | orphan | stale | error
    output: str = ""
    detail: str = ""
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0
    problem: Problem | None = None  # a warning's or error's own record: place, severity, code


class Reporter:
    """Plain lines: what was built and why, warnings on stderr. ``verbose`` adds skips."""

    def __init__(self, quiet: bool = False, verbose: bool = False, out=None, err=None):
        self.quiet, self.verbose = quiet, verbose
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.total = 0

    def start(self, total: int) -> None:
        self.total = total

    def event(self, e: Event) -> None:
        if e.kind in ("warning", "error"):
            if e.problem is not None:  # a located line of its own
                print(str(e.problem) if e.problem.severity == e.kind else e.detail, file=self.err)
            else:
                print(f"{e.output}: {e.kind}: {e.detail}" if e.output else e.detail, file=self.err)
            return
        if e.kind == "rendered" or (e.kind == "skipped" and not self.verbose):
            return
        if self.quiet and e.kind in ("built", "skipped"):
            return
        print(self.line(e), file=self.out)

    @staticmethod
    def line(e: Event) -> str:
        why = f" ({'; '.join(e.reasons)})" if e.reasons else ""
        if e.kind == "built":
            return f"built {e.output}{why} in {e.seconds:.2f}s"
        if e.kind == "skipped":
            return f"up to date {e.output}"
        if e.kind == "stale":
            return f"stale {e.output}{why}"
        if e.kind == "orphan":
            return f"orphan {e.output}: {e.detail}"
        if e.kind == "removed":
            return f"removed {e.output}: {e.detail}"
        return f"{e.kind} {e.output} {e.detail}".strip()

    def finish(self, summary: str) -> None:
        if not self.quiet and summary:
            print(summary, file=self.out)


class ProgressReporter(Reporter):
    """A one-line progress bar, for a terminal; warnings and errors still go to stderr."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.done = 0

    def event(self, e: Event) -> None:
        if e.kind in ("rendered", "skipped"):
            self.done += 1
            self._draw(e.output)
            return
        if e.kind == "built" and not self.verbose:
            return
        self._clear()
        super().event(e)

    def _draw(self, label: str) -> None:
        if self.quiet or not self.total:
            return
        width = 24
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        print(f"\r[{bar}] {self.done}/{self.total} {os.path.basename(label)[:40]:<40}", end="", file=self.out, flush=True)

    def _clear(self) -> None:
        if not self.quiet and self.total:
            print("\r" + " " * 80 + "\r", end="", file=self.out, flush=True)

    def finish(self, summary: str) -> None:
        self._clear()
        super().finish(summary)


class JsonReporter(Reporter):
    """One JSON object per line on stdout, for machines."""

    def event(self, e: Event) -> None:
        if e.kind == "rendered":
            return
        record = {"event": e.kind, "output": e.output}
        if e.detail:
            record["detail"] = e.detail
        if e.reasons:
            record["reasons"] = e.reasons
        if e.seconds:
            record["seconds"] = round(e.seconds, 3)
        if e.problem is not None:
            p = e.problem
            record.update({k: v for k, v in (("file", p.file), ("line", p.line), ("col", p.col), ("path", p.path), ("severity", p.severity), ("code", p.code), ("message", p.message)) if v})
        print(json.dumps(record, ensure_ascii=False), file=self.out, flush=True)

    def finish(self, summary: str) -> None:
        print(json.dumps({"event": "done", "detail": summary}), file=self.out, flush=True)


def reporter_for(fmt: str, quiet: bool, verbose: bool, multi: bool) -> Reporter:
    """Return the reporter for ``--log-format fmt``: a bar only on a terminal, outside CI, for several documents."""
    if fmt == "json":
        return JsonReporter()
    interactive = sys.stdout.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes")
    if interactive and multi:
        return ProgressReporter(quiet=quiet, verbose=verbose)
    return Reporter(quiet=quiet, verbose=verbose)
