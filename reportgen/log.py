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
            record.update(problem_record(e.problem))
        print(json.dumps(record, ensure_ascii=False), file=self.out, flush=True)

    def finish(self, summary: str) -> None:
        print(json.dumps({"event": "done", "detail": summary}), file=self.out, flush=True)


class GithubReporter(Reporter):
    """Plain lines, with every warning and error as a GitHub Actions workflow command (shown on the pull request's diff)."""

    def event(self, e: Event) -> None:
        if e.kind in ("warning", "error"):
            p = e.problem or Problem(e.output, 0, 0, e.detail, severity=e.kind)
            print(format_problem(p, "github"), file=self.out, flush=True)
            return
        super().event(e)


FORMATS = ("text", "json", "github")


def problem_record(p: Problem) -> dict:
    """Return ``p`` as the JSON log names its parts: file, line, col, field, severity, code, message (empty ones left out)."""
    parts = (("file", p.file), ("line", p.line), ("col", p.col), ("field", p.path), ("severity", p.severity), ("code", p.code), ("message", p.message))
    return {k: v for k, v in parts if v}


def _escape(text: str, prop: bool = False) -> str:
    """Return ``text`` escaped for a workflow command (its data, or with ``prop`` a property value)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_problem(p: Problem, fmt: str) -> str:
    """Return problem ``p`` as one line of log format ``fmt``: text (``file:line:col: ...``), json, or github."""
    if fmt == "json":
        return json.dumps({"event": p.severity, **problem_record(p)}, ensure_ascii=False)
    if fmt == "github":
        props = [f"file={_escape(p.file, True)}"] if p.file else []
        if p.line:
            props += [f"line={p.line}", f"col={p.col or 1}"]
        if p.code:
            props.append(f"title={_escape(p.code, True)}")
        text = f"{p.path}: {p.message}" if p.path else p.message
        kind = "warning" if p.severity == "warning" else "error"
        return f"::{kind} {','.join(props)}::{_escape(text)}" if props else f"::{kind}::{_escape(text)}"
    return str(p)


def reporter_for(fmt: str, quiet: bool, verbose: bool, multi: bool) -> Reporter:
    """Return the reporter for ``--log-format fmt``: a bar only on a terminal, outside CI, for several documents."""
    if fmt == "json":
        return JsonReporter()
    if fmt == "github":
        return GithubReporter(quiet=quiet, verbose=verbose)
    interactive = sys.stdout.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes")
    if interactive and multi:
        return ProgressReporter(quiet=quiet, verbose=verbose)
    return Reporter(quiet=quiet, verbose=verbose)
