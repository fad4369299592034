"""Errors that format themselves and carry their exit code.

``InputError`` (exit 2) holds every ``Problem`` found in one run, each with its
location, so a user fixes a file in one pass. The CLI prints ``str(error)``
and exits with ``error.exit_code``; nothing below the CLI calls ``sys.exit``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, at one place: an error, or a warning (``severity``).

    Every stage reports in these, from the loader to the writers: a writer
    that knows only the outline part (``path``, e.g. "sections[2].table")
    leaves ``file`` empty and the build places it in the outline file
    (``loader.locate``). ``code`` is a short stable name of the kind of
    problem ("text-shrunk", "link-scheme"), for machines (JSON logs).
    """

    file: str
    line: int  # 1-based; 0 = unknown
    col: int  # 1-based; 0 = unknown
    message: str
    path: str = ""  # field path in the outline, e.g. "sections[2].title"
    severity: str = "error"  # error | warning
    code: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        kind = "warning: " if self.severity == "warning" else ""
        return f"{where}: {kind}{self.path}: {self.message}" if self.path else f"{where}: {kind}{self.message}"

    def as_warning(self) -> str:
        """Return the problem as a warning line: ``file:line:col: warning: path: message``."""
        return str(replace(self, severity="warning"))

    def as_error(self, why: str = " (an error under --strict)") -> "Problem":
        """Return this warning as an error, its message saying ``why``."""
        return replace(self, severity="error", message=self.message + why)


def warning(path: str, message: str, code: str = "", file: str = "") -> Problem:
    """Return a warning about outline part ``path`` (the build places it in the outline file when ``file`` is "")."""
    return Problem(file, 0, 0, message, path, "warning", code)


class ReportgenError(Exception):
    """Base error. Exit code 1: the tool itself failed."""

    exit_code = 1


class InputError(ReportgenError):
    """The user's outline, theme or template is wrong. Exit code 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems = [p if isinstance(p, Problem) else Problem("reportgen", 0, 0, p) for p in problems]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self):  # keep the problems when sent back from a worker process
        return (type(self), (self.problems,))


class OutputError(InputError):
    """The output cannot be written: permissions, a full disk, a symlink in the way,
    another build running. Exit code 2: the user's environment, not a bug."""


class StaleError(ReportgenError):
    """``reportgen check`` found stale or missing outputs. Exit code 3."""

    exit_code = 3


class Terminated(KeyboardInterrupt):
    """SIGTERM (what CI sends when a job is cancelled): stop as Ctrl-C does, exit 143."""


def collect(errors: list[InputError]) -> InputError:
    """Return one InputError holding the problems of all ``errors``, each distinct one once.

    (A broken template shared by several outlines fails each of them alike.)
    """
    return InputError(list(dict.fromkeys(p for e in errors for p in e.problems)))
