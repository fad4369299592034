"""The document tree: what the composer produces and the writers read.

One tree type per output (``Report`` for the PDF, ``Deck`` for the PPTX), built
from the same node classes. Nodes are plain dataclasses: no YAML, no Jinja2, no
ReportLab, no python-pptx. Inline text is a list of ``Inline`` nodes; user text
never carries markup into a writer except through these nodes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Union

# --- inline ---------------------------------------------------------------


@dataclass(slots=True)
class Text:
    """Plain text, exactly as the user wrote it (no markup inside)."""

    text: str


@dataclass(slots=True)
class Strong:
    children: list[Inline]


@dataclass(slots=True)
class Emph:
    children: list[Inline]


@dataclass(slots=True)
class Code:
    text: str


@dataclass(slots=True)
class Link:
    href: str
    children: list[Inline]


@dataclass(slots=True)
class CiteRef:
    """One more source in a citation's brackets: ``[1; see 3, p. 4]`` holds 3 as a ``CiteRef``."""

    number: int
    locator: str = ""  # "p. 4", "pp. 3–4", "ch. 2": printed after the number
    prefix: str = ""  # "see": printed before the number, inside the brackets


@dataclass(slots=True)
class Cite:
    """A citation of source number ``number`` (1-based), in the numeric style both outputs print:
    ``[3]``, ``[3, pp. 3–4]``, ``see [3]``, ``[1; 3, ch. 2]``.

    ``locator`` follows the number; ``prefix`` goes before the brackets;
    ``more`` are further sources cited in the same brackets.
    """

    number: int
    locator: str = ""
    prefix: str = ""
    more: list[CiteRef] = field(default_factory=list)

    def parts(self) -> list[tuple[str, int]]:
        """Return how the brackets print, in pieces: (text, the source number that piece names, or 0).

        One source: the whole ``[3, p. 4]`` names it. Several: each ``N, locator``
        names its source, and the brackets and ``; `` between them name none,
        so a writer links each number to its own entry.
        """
        refs = [CiteRef(self.number, self.locator), *self.more]
        if len(refs) == 1:
            return [(f"[{_ref_text(refs[0])}]", self.number)]
        out: list[tuple[str, int]] = [("[", 0)]
        for k, ref in enumerate(refs):
            if k:
                out.append(("; ", 0))
            if ref.prefix:
                out.append((ref.prefix + " ", 0))
            out.append((_ref_text(CiteRef(ref.number, ref.locator)), ref.number))
        out.append(("]", 0))
        return out

    @property
    def numbers(self) -> list[int]:
        """The source numbers cited, in order."""
        return [self.number, *(r.number for r in self.more)]

    @property
    def label(self) -> str:
        """Return how the brackets print, in every output: ``[3]``, ``[3, p. 4]``, ``[1; 3]`` (the prefix apart)."""
        return "".join(text for text, _n in self.parts())

    @property
    def text(self) -> str:
        """Return how the whole citation prints: ``see [3, p. 4]``."""
        return f"{self.prefix} {self.label}" if self.prefix else self.label


def _ref_text(ref: CiteRef) -> str:
    return f"{ref.number}, {ref.locator}" if ref.locator else str(ref.number)


@dataclass(slots=True)
class Note:
    """A footnote: a superscript ``number`` where it stands; its text (``children``) at the foot of the
    page that holds the mark (the PDF), or in the slide's speaker notes (the deck)."""

    children: list[Inline]
    number: int = 0  # 1-based, in document order (``compose.decide``)

    @property
    def mark(self) -> str:
        """The number as superscript characters, for plain text: ``¹²``."""
        return str(self.number).translate(_SUPERSCRIPT)


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(slots=True)
class LineBreak:
    pass


@dataclass(slots=True)
class Span:
    """Text in another language than the document's (``[Путин]{lang=ru}``): ``lang``, a BCP 47 tag, tells screen
    readers the voice, and the deck the spelling; its quotation marks were made in its language when composing."""

    lang: str
    children: list[Inline]


Inline = Union[Text, Strong, Emph, Code, Link, Cite, Note, LineBreak, Span]


def plain(inlines: list[Inline], marks: bool = False) -> str:
    """Return the text of ``inlines`` with all formatting dropped.

    A footnote is not part of the text it hangs on: left out, or with
    ``marks`` shown as its superscript number (``¹``) where it stands.
    """
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, (Strong, Emph, Link, Span)):
            out.append(plain(node.children, marks))
        elif isinstance(node, Cite):
            out.append(node.text)
        elif isinstance(node, Note):
            if marks:
                out.append(node.mark)
        elif isinstance(node, LineBreak):
            out.append("\n")
    return "".join(out)


# --- blocks ---------------------------------------------------------------


@dataclass(slots=True)
class Paragraph:
    inlines: list[Inline]
    style: str = "body"  # body | lead | small | note


@dataclass(slots=True)
class ListItem:
    blocks: list[Block]


@dataclass(slots=True)
class ListBlock:
    items: list[ListItem]
    ordered: bool = False
    start: int = 1
    role: str = ""  # "sources": the document's list of sources (citations link to its items)


@dataclass(slots=True)
class Quote:
    blocks: list[Block]
    attribution: list[Inline] = field(default_factory=list)
    kind: str = "block"  # block (a Markdown "> quote") | pull (a pull quote, set large)
    origin: str = ""  # outline location, e.g. "sections[1].quote"


@dataclass(slots=True)
class Callout:
    """A boxed block: key takeaways, bottom line up front, a note."""

    title: list[Inline]
    blocks: list[Block]
    kind: str = "takeaways"


@dataclass(slots=True)
class Table:
    columns: list[list[Inline]]
    rows: list[list[list[Inline]]]
    caption: list[Inline] = field(default_factory=list)
    number: int = 0  # "Table 1"; 0 = unnumbered
    align: list[str] = field(default_factory=list)  # per column: left | right | center
    source: list[Inline] = field(default_factory=list)  # "Source: ..." line under the table
    origin: str = ""  # outline location, e.g. "sections[2].table"


@dataclass(slots=True)
class Series:
    name: str
    values: list[float]


@dataclass(slots=True)
class Chart:
    type: str  # bar | stacked-bar | line | pie
    title: str
    categories: list[str]
    series: list[Series]
    source: str = ""
    number: int = 0  # "Figure 1"; 0 = unnumbered
    unit: str = ""
    origin: str = ""  # outline location, e.g. "sections[2].chart"
    format: str = ""  # number format of axis and labels (``numformat``); "" = from the values
    alt: str = ""  # its text alternative as the outline gives it; "" = made from its data (``chartalt``)


@dataclass(slots=True)
class Figure:
    path: str  # absolute path, already resolved and checked by the composer
    alt: str
    caption: list[Inline] = field(default_factory=list)
    number: int = 0
    origin: str = ""  # outline location, e.g. "sections[2].figure"


@dataclass(slots=True)
class KeyFigures:
    """A few numbers set large, each with its label: ``items`` of (value, label)."""

    items: list[tuple[str, list[Inline]]]
    origin: str = ""


@dataclass(slots=True)
class PageBreak:
    pass


@dataclass(slots=True)
class Section:
    """A numbered heading and everything under it (blocks and subsections)."""

    title: list[Inline]
    children: list[Node]
    level: int = 1
    number: str = ""  # "2", "2.1"; "" = unnumbered
    id: str = ""  # anchor name, unique in the document
    origin: str = ""  # outline location, e.g. "sections[2].subsections[0]"


Block = Union[Paragraph, ListBlock, Quote, Callout, Table, Chart, Figure, KeyFigures, PageBreak]


@dataclass(slots=True)
class Cover:
    """The cover page; its text comes from ``Meta``."""


@dataclass(slots=True)
class Toc:
    title: str = "Contents"


Node = Union[Block, Section, Cover, Toc]


# --- documents ------------------------------------------------------------


@dataclass(slots=True)
class Meta:
    title: str
    subtitle: str = ""
    author: str = ""
    date: str = ""  # ISO date, as written
    date_text: str = ""  # formatted for display ("16 June 2021")
    classification: str = ""
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    logo: str = ""  # absolute path or ""
    created: str = ""  # ISO timestamp written into the files (SOURCE_DATE_EPOCH or the date; composing always sets it)
    lang: str = "en"  # the documents' language (BCP 47)
    strings: dict[str, str] = field(default_factory=dict)  # the fixed texts in that language, by key (``i18n.KEYS``)

    def text(self, key: str, **values) -> str:
        """Return the fixed text ``key`` in the document's language, ``values`` filled in (English when none was given)."""
        from .i18n import english

        text = self.strings.get(key) or english(key)  # a tree built without composing (tests, tools) prints English
        return text.format(**values) if values else text

    def timestamp(self) -> datetime.datetime:
        """Return the documents' fixed creation time (UTC): ``created``, else 2000-01-01."""
        try:
            when = datetime.datetime.fromisoformat(self.created.replace("Z", "+00:00"))
        except ValueError:
            return datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
        return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


@dataclass(slots=True)
class Report:
    meta: Meta
    children: list[Node]
    sources: dict[int, str] = field(default_factory=dict)  # source number → its entry on one line (``compose.decide``)
    notes: dict[int, list[Inline]] = field(default_factory=dict)  # footnote number → its text (``compose.decide``)


@dataclass(slots=True)
class Slide:
    """One slide: a master layout picked by name, and what goes on it.

    ``body`` holds blocks for the layout's body placeholder (usually one
    ListBlock of bullets, or a Table, Chart or Figure). ``notes`` is the
    speaker-notes text as blocks.
    """

    layout: str
    title: list[Inline]
    subtitle: list[Inline] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    notes: list[Block] = field(default_factory=list)
    kind: str = "content"  # title | agenda | section | content | statement | table | chart | figure | numbers | closing (sources) | end
    id: str = ""
    origin: str = ""  # outline location, e.g. "sections[2].points"
    parent: list[Inline] = field(default_factory=list)  # a subsection's slide: its section's title (a joined slide's title)
    layout_at: str = ""  # the outline's `layout:` that chose ``layout`` ("sections[1].table.layout"); "": the pack chose it


@dataclass(slots=True)
class Deck:
    meta: Meta
    slides: list[Slide]
    sources: dict[int, str] = field(default_factory=dict)  # source number → its entry on one line (``compose.decide``)
    notes: dict[int, list[Inline]] = field(default_factory=dict)  # footnote number → its text (``compose.decide``)


def unknown_node(node: object) -> TypeError:
    """Return the one error every writer raises for a node it does not know (composing never makes one)."""
    return TypeError(f"unknown document node {type(node).__name__}: composing makes only the nodes of reportgen.doctree")
