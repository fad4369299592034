"""How a slide master is refused: ``Refused`` and the words its messages share."""

from __future__ import annotations

import re

RESAVE = "open it in PowerPoint and save it again as a .pptx"
DAMAGED = f"the file is damaged or was not written by PowerPoint: {RESAVE}"


class Refused(Exception):
    """One thing wrong with a master: ``PART: what; what to do``."""


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(message: str) -> str:
    """``message`` with control characters (a part named with a newline or a terminal escape) shown as '?'."""
    return _CONTROL.sub("?", message)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
