"""Where a PDF failure is, in words an outline's author can act on.

``located`` turns a flowable's place (``"sections[2].table: Table 3 'Arms'"``)
into an ``InputError`` naming its outline location; ``layout_detail`` makes
ReportLab's layout message readable (sizes in points, no object reprs).
"""

from __future__ import annotations

import re

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


def located(where: str, message: str) -> InputError:
    """An input error at outline location ``where`` ("sections[2].table: Table 3 'Arms'")."""
    path, _, rest = where.partition(": ")
    if path.startswith(("sections[", "summary", "sources", "bottom_line")):
        return InputError(Problem("pdf", 0, 0, f"{rest}: {message}" if rest else message, path))
    return InputError(f"pdf: {where}: {message}")
