"""The outline: the user's contract, as typed models.

Text fields take inline Markdown (``**bold**``, ``*italic*``, ``[link](url)``,
`` `code` ``) and citations ``[@source-id]``; ``body`` fields take Markdown
blocks (paragraphs, lists, quotes). Every field is documented here; unknown
fields are errors.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Source(_Model):
    """One entry of the sources list; cite it in text as ``[@id]``."""

    id: str = ""  # short key for citations, e.g. "sipri2021"
    title: str
    url: str = ""
    publisher: str = ""
    date: str = ""  # as the publisher gives it (kept as text)


class TableSpec(_Model):
    """A table: every row has one cell per column; cells are inline text."""

    caption: str = ""
    columns: list[str] = Field(min_length=1)
    rows: list[list[str]] = Field(min_length=1)
    align: list[Literal["left", "right", "center"]] = []  # per column; default: numbers right
    source: str = ""


class SeriesSpec(_Model):
    name: str
    values: list[float] = Field(min_length=1)


class ChartSpec(_Model):
    """One chart spec: a native chart in the deck, a vector chart in the PDF."""

    type: Literal["bar", "stacked-bar", "line", "pie"]
    title: str
    categories: list[str] = Field(min_length=1)
    series: list[SeriesSpec] = Field(min_length=1)
    unit: str = ""  # axis title, e.g. "warheads"
    source: str = ""


class FigureSpec(_Model):
    """An image (PNG or JPEG) relative to the outline's folder."""

    path: str
    alt: str  # required: read aloud, and the deck's alt text
    caption: str = ""


class QuoteSpec(_Model):
    """A pull quote: a short passage set large in the report."""

    text: str  # inline Markdown
    attribution: str = ""  # who said it, e.g. "Joint statement, Geneva"


class Subsection(_Model):
    title: str
    points: list[str] = []  # short bullets: slides and takeaway boxes
    body: str = ""  # Markdown prose: the report, and the deck's speaker notes
    table: TableSpec | None = None
    chart: ChartSpec | None = None
    figure: FigureSpec | None = None
    quote: QuoteSpec | None = None  # a pull quote (report only)


class Section(Subsection):
    subsections: list[Subsection] = []


class Outline(_Model):
    title: str
    subtitle: str = ""
    date: datetime.date | None = None
    author: str = ""
    classification: str = ""
    template: str = ""  # a pack under templates/ ("" = the project default, briefing)
    subject: str = ""  # PDF/PPTX metadata subject; default: the subtitle
    keywords: list[str] = []
    bottom_line: str = ""  # one-paragraph "bottom line up front"
    summary: list[str] = []  # executive summary / key takeaways
    sections: list[Section] = Field(min_length=1)
    sources: list[Source] = []
