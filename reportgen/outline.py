"""The outline: the user's contract, as typed models.

Text fields take inline Markdown (``**bold**``, ``*italic*``, ``[link](url)``,
`` `code` ``, bare ``https://`` addresses), citations in pandoc's forms
(``[@source-id]``, ``[@a; @b]``, ``[see @id, pp. 3-4]``, in-text ``@id``) and
footnotes ``^[text]`` (``markup.py``); ``body`` fields take Markdown blocks
(paragraphs, lists, quotes). Every field is documented here; unknown
fields are errors.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _iso_date(value: object) -> object:
    """Let only YYYY-MM-DD text (or a date) on to be a date: not a Unix timestamp, not a date and time."""
    if value is None or isinstance(value, datetime.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise PydanticCustomError("date_parsing", "Input should be a date as YYYY-MM-DD")  # worded by validate.message_for


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]  # a date typed YYYY-MM-DD, and only that

LANG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"  # a BCP 47 language tag, simply: en, en-GB, pt-BR, zh-Hant-TW


def _lang(value: object) -> object:
    """Let only a well-formed language tag (or nothing) on: en, en-GB, pt-BR (``i18n.is_language_tag``, as a span's)."""
    from .i18n import is_language_tag

    if not isinstance(value, str) or not value or is_language_tag(value):
        return value
    raise PydanticCustomError("lang_tag", "expected a language tag (BCP 47) such as en, en-GB or pt-BR")


LangTag = Annotated[str, AfterValidator(_lang), WithJsonSchema({"type": "string", "pattern": "^$|" + LANG_PATTERN})]


class Source(_Model):
    """One entry of the sources list; cite it in text as ``[@id]``, ``[@id, p. 12]`` or ``@id``."""

    id: str = ""  # short key for citations, e.g. "sipri2021"
    title: str
    url: str = ""
    publisher: str = ""
    date: str = ""  # as the publisher gives it (kept as text); 2024-07-12 and 2024-07 print as the cover's date does
    accessed: IsoDate | None = None  # when it was read (YYYY-MM-DD), for a web page: "Accessed 3 August 2024."


class TableSlides(_Model):
    """What a table shows on slides; the report keeps it whole."""

    columns: list[str] = []  # the columns shown, by heading ([] = every column)
    rows: int | None = Field(default=None, ge=1, le=2000)  # the first N rows (none = every row)


class TableSpec(_Model):
    """A table: every row has one cell per column; cells are inline text."""

    caption: str = ""
    columns: list[str] = Field(min_length=1)
    rows: list[list[str]] = Field(min_length=1)
    align: list[Literal["left", "right", "center"]] = []  # per column; default: numbers right
    source: str = ""
    slides: TableSlides | None = None  # a long or wide table: what the deck shows of it
    layout: str = ""  # the deck: the slide master layout (by name) of this table's slide


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
    format: str = ""  # number format of axis and labels, e.g. "0.0%", "#,##0", '€#,##0"k"' (numformat.py)
    layout: str = ""  # the deck: the slide master layout (by name) of this chart's slide
    alt: str = ""  # its text alternative, read aloud in both outputs; default: made from its kind, title, unit and values (chartalt.py)


class KeyFigure(_Model):
    """One key figure, set large: its value as written and what it counts."""

    value: str = Field(max_length=24)  # e.g. "1,550" or "€1.2bn"
    label: str  # e.g. "deployed strategic warheads" (inline Markdown)


class FigureSpec(_Model):
    """An image (PNG or JPEG) relative to the outline's folder."""

    path: str
    alt: str  # required: read aloud, and the deck's alt text
    caption: str = ""
    layout: str = ""  # the deck: the slide master layout (by name) of this figure's slide


class QuoteSpec(_Model):
    """A pull quote: a short passage set large in the report."""

    text: str  # inline Markdown
    attribution: str = ""  # who said it, e.g. "Joint statement, Geneva"
    layout: str = ""  # the deck: the slide master layout (by name) of this quote's slide


class ClosingSpec(_Model):
    """The deck's last slide, after the sources: a title over a few lines (contact, next steps)."""

    title: str  # e.g. "Questions and discussion" (inline Markdown)
    text: list[str] = Field(default=[], max_length=6)  # lines under it (inline Markdown); default: the author and the date


class Subsection(_Model):
    title: str
    points: list[str] = []  # short bullets: slides and takeaway boxes
    body: str = ""  # Markdown prose: the report, and the deck's speaker notes
    table: TableSpec | None = None
    chart: ChartSpec | None = None
    figure: FigureSpec | None = None
    quote: QuoteSpec | None = None  # a pull quote, set large (a slide of its own in the deck)
    key_figures: list[KeyFigure] = Field(default=[], max_length=4)  # a few numbers set large: a row in the report, a slide of their own in the deck
    layout: str = ""  # the deck: "two-columns" (points beside the chart, figure or table), or a layout of the slide master by name
    notes: str = ""  # Markdown: speaker notes for the deck; the report does not show them


class Section(Subsection):
    subsections: list[Subsection] = []


class Outline(_Model):
    title: str
    subtitle: str = ""
    date: datetime.date | None = None
    author: str = ""
    lang: LangTag = ""  # the document's language, a BCP 47 tag such as en-GB ("" = not given)
    classification: str = ""
    template: str = ""  # a pack under templates/ ("" = the project default, briefing)
    subject: str = ""  # PDF/PPTX metadata subject; default: the subtitle
    keywords: list[str] = []
    bottom_line: str = ""  # one-paragraph "bottom line up front"
    summary: list[str] = []  # executive summary / key takeaways
    sections: list[Section] = Field(min_length=1)
    sources: list[Source] = []
    closing: ClosingSpec | None = None  # the deck's closing slide; default: the pack's (deck.closing_slide), if it has one
