"""Where a PDF failure is, in words an outline's author can act on.

A flowable's ``Place`` is its outline part and what it is, in words;
``located`` turns a failure there into an ``InputError`` the build places in
the outline file; ``layout_detail`` makes ReportLab's layout message readable
(sizes in points, no object reprs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import InputError, Problem


def layout_detail(exc: Exception) -> str:
    """Return ReportLab's layout message without object reprs and memory addresses."""
    text = str(exc).split("\n")[0]
    sizes = re.search(r"\(([\d.]+) x ([\d.]+)\*?\).*?\(([\d.]+) x ([\d.]+)\*?\)", text)
    if sizes:
        w, h, fw, fh = (float(g) for g in sizes.groups())
        return f"it needs {w:.0f} x {h:.0f} pt, a page frame holds {fw:.0f} x {fh:.0f} pt"
    text = re.sub(r"<[^<>]*>(\s*frag=\d+)?", "a block", text)  # reprs carry memory addresses
    return re.sub(r"\s+at 0x[0-9a-fA-F]+", "", text)[:160]


@dataclass(frozen=True)
class Place:
    """Where a flowable comes from: its outline part (``path``, e.g. "sections[2].table") and what it is,
    in words (``what``, e.g. "Table 3 'Arms'", "section '2 Why it mattered'")."""

    path: str = ""
    what: str = ""

    def problem(self, message: str, code: str = "", severity: str = "warning") -> Problem:
        """Return a problem about this place; the build puts it at the outline's line (or names the output)."""
        return Problem("", 0, 0, f"{self.what}: {message}" if self.what else message, self.path, severity, code)


def located(place: Place, message: str, code: str = "layout") -> InputError:
    """Return the error for ``message`` at ``place`` (placed in the outline file by the build)."""
    return InputError(place.problem(message, code, "error"))
