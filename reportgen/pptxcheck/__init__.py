"""A checker of a deck's accessibility: what PowerPoint's Accessibility Checker reports, read in a written .pptx.

PowerPoint's checker runs only inside PowerPoint; this one reads the file
(python-pptx for the package, lxml for the slides' XML), independently of
how it was made, so that tests and ``reportgen check`` can hold every deck
to it. Each ``Finding`` names the rule as PowerPoint's checker names it and
whether PowerPoint reports it as an error or a warning.

Errors (``shapes``, ``titles``):

* **Missing alternative text**: a picture, a graphic frame (chart, table,
  SmartArt, embedded object), a group, or a shape without text (a line, an
  empty rectangle) with no description (``cNvPr descr``) that is not marked
  decorative (``adec:decorative val="1"``, the Office extension
  ``DECORATIVE_URI``); a group with either stands for what it holds;
* **Missing table header**: a table without ``a:tblPr firstRow="1"``;
* **Missing slide title**: a slide with no title placeholder (``title``,
  ``ctrTitle``) holding text; one placed off the slide counts, as in
  PowerPoint.

Warnings (``titles``, ``language``):

* **Check reading order**: the title is not the first shape of the slide's
  shape tree (the order screen readers follow), or a footer, date or slide
  number comes before content;
* **Duplicate slide title**: a title (compared without case or extra
  spaces) an earlier slide has;
* **Text language**: a text run (``a:r``, ``a:fld``) on a slide or in its
  speaker notes without ``lang``, so spelling and screen readers guess.

What it cannot see: colour contrast, whether a text alternative says
something true, the layouts and the master (PowerPoint's checker does not
read them either), media captions. Passing it is not PowerPoint's verdict.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

RULES = {  # rule -> (PowerPoint's level, its name in PowerPoint's checker)
    "alt-text": ("error", "Missing alternative text"),
    "table-header": ("error", "Missing table header"),
    "slide-title": ("error", "Missing slide title"),
    "reading-order": ("warning", "Check reading order"),
    "duplicate-title": ("warning", "Duplicate slide title"),
    "text-lang": ("warning", "Text language not set"),
}


@dataclass(frozen=True)
class Finding:
    """One thing a deck fails: the rule (``RULES``), the slide (1-based; 0: the deck), and what."""

    rule: str
    slide: int
    message: str

    @property
    def level(self) -> str:
        """PowerPoint's level of the rule: "error" or "warning"."""
        return RULES[self.rule][0]

    def __str__(self) -> str:
        level, name = RULES[self.rule]
        where = f"slide {self.slide}: " if self.slide else ""
        return f"{where}{self.message} ({name}: a PowerPoint accessibility {level})"


def check(source: bytes | str | os.PathLike) -> list[Finding]:
    """Return what the deck ``source`` (its bytes, or a path) fails of PowerPoint's accessibility rules; empty: nothing found."""
    from pptx import Presentation

    from .language import check_language
    from .shapes import check_shapes
    from .titles import check_titles

    prs = Presentation(io.BytesIO(source) if isinstance(source, bytes) else os.fspath(source))
    findings: list[Finding] = []
    slides = list(prs.slides)
    for n, slide in enumerate(slides, 1):
        check_shapes(n, slide.element, findings)
        check_language(n, slide, findings)
    check_titles([slide.element for slide in slides], findings)
    return sorted(findings, key=lambda f: f.slide)
