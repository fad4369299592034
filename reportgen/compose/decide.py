"""Decisions both writers would otherwise take apart, made once on the composed tree.

Run by ``compose`` on every ``Report`` and ``Deck``, so the PDF and the deck
read the same answers instead of re-deriving them (and disagreeing):

- **numbering**: tables are "Table N", charts and figures "Figure N", in
  document order (``number_floats``);
- **column alignment**: every table's ``align`` names each column; a column
  the template left open is right-aligned when all its cells are numbers
  (``1,550``, ``-3.5%``, ``$12bn``), left otherwise;
- **quotation marks**: a pull quote's text is opened and closed with the
  language's quotation marks (its ``quotes`` string: “ ” in English, « » in
  French), unless it already is; a block quote (Markdown ``>``) gets none;
- **the sources list**: the numbered list of the section with id "sources"
  (report) or of the closing slide (deck) is marked ``role="sources"``, and
  ``doc.sources`` maps each source number to its entry on one line, with its
  addresses (the deck's notes print it; the PDF links citations to it);
- **footnotes**: every ``Note`` is numbered 1..n in document order (the
  report: headings, blocks, captions, cells, in reading order; the deck: slide
  by slide, title, subtitle, body, speaker notes; an agenda's titles keep no
  notes, the slides they name have them), and ``doc.notes`` maps each number
  to its text.

Text normalisation (one control-character rule) is ``markup.esc`` and
``tree``; the document's time is ``Meta.timestamp``.
"""

from __future__ import annotations

import re

from .. import doctree as dt
from ..i18n import QUOTES
from ..i18n import quote_marks as quote_marks_in
from ..links import shown
from .tree import merge_text

SOURCES_ID = "sources"  # the report section that holds the sources list
_NUMBER = re.compile(
    r"^[~≈<>±+\-−–]?\s?[$€£¥]?\s?(?:\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?:[.]\d+)?\s?(?:%|[kKmMbB]n?|bn)?$"
)
_NOT_A_VALUE = ("-", "–", "—", "n/a")
_OPENING = ("“", '"', "«", "„", "‘", "‹", "‚")
_CLOSING = ("”", '"', "»", "“", "’", "›", "‘")


def decide(doc: dt.Report | dt.Deck) -> dt.Report | dt.Deck:
    """Return ``doc`` with the decisions above taken (in place)."""
    blocks = _all_blocks(doc)
    number_floats(blocks)
    for b in blocks:
        if isinstance(b, dt.Table):
            b.align = column_alignment(b)
        elif isinstance(b, dt.Quote) and b.kind == "pull":
            quote_marks(b, quote_marks_of(doc.meta))
    doc.sources = mark_sources(doc)
    doc.notes = number_notes(doc)
    return doc


def number_notes(doc: dt.Report | dt.Deck) -> dict[int, list]:
    """Number the footnotes of ``doc`` 1..n in document order; return number → the note's text."""
    notes: dict[int, list] = {}

    def inlines(nodes, lang: str = "") -> None:
        for n in nodes:
            if isinstance(n, dt.Note):
                n.number = len(notes) + 1
                notes[n.number] = [dt.Span(lang, n.children)] if lang else n.children  # a note in a span: in its language
            elif isinstance(n, dt.Span):
                inlines(n.children, n.lang)
            elif isinstance(n, (dt.Strong, dt.Emph, dt.Link)):
                inlines(n.children, lang)

    def block(b) -> None:
        if isinstance(b, dt.Section):
            inlines(b.title)
            for c in b.children:
                block(c)
        elif isinstance(b, dt.Paragraph):
            inlines(b.inlines)
        elif isinstance(b, dt.ListBlock):
            for item in b.items:
                for sub in item.blocks:
                    block(sub)
        elif isinstance(b, dt.Quote):
            for sub in b.blocks:
                block(sub)
            inlines(b.attribution)
        elif isinstance(b, dt.Callout):
            inlines(b.title)
            for sub in b.blocks:
                block(sub)
        elif isinstance(b, dt.Table):
            inlines(b.caption)
            for cell in [*b.columns, *(c for row in b.rows for c in row)]:
                inlines(cell)
            inlines(b.source)
        elif isinstance(b, dt.Figure):
            inlines(b.caption)
        elif isinstance(b, dt.KeyFigures):
            for _value, label in b.items:
                inlines(label)

    if isinstance(doc, dt.Report):
        for node in doc.children:
            block(node)
    else:
        for s in doc.slides:
            if s.kind == "agenda":  # it lists titles the slides after it show: their notes are there
                s.body = [_without_notes(b) for b in s.body]
            inlines(s.title)
            inlines(s.subtitle)
            for b in [*s.body, *s.notes]:
                block(b)
    return notes


def _without_notes(b):
    """Block ``b`` (a list or paragraph of the agenda) with its footnotes left out."""

    def strip(nodes: list) -> list:
        out = []
        for n in nodes:
            if isinstance(n, dt.Note):
                continue
            if isinstance(n, (dt.Strong, dt.Emph, dt.Link, dt.Span)):
                n.children = strip(n.children)
            out.append(n)
        return merge_text(out)

    if isinstance(b, dt.Paragraph):
        b.inlines = strip(b.inlines)
    elif isinstance(b, dt.ListBlock):
        for item in b.items:
            item.blocks = [_without_notes(sub) for sub in item.blocks]
    return b


def _all_blocks(doc: dt.Report | dt.Deck) -> list:
    """Every block of ``doc`` in document order, nested ones included."""
    out: list = []

    def walk(items) -> None:
        for n in items:
            out.append(n)
            if isinstance(n, dt.Section):
                walk(n.children)
            elif isinstance(n, (dt.Callout, dt.Quote)):
                walk(n.blocks)
            elif isinstance(n, dt.ListBlock):
                for item in n.items:
                    walk(item.blocks)

    if isinstance(doc, dt.Report):
        walk(doc.children)
    else:
        for s in doc.slides:
            walk(s.body)
    return out


def number_floats(blocks: list) -> None:
    """Number tables ("Table N") and charts and figures ("Figure N") in document order."""
    tables = figures = 0
    for n in blocks:
        if isinstance(n, dt.Table):
            tables += 1
            n.number = tables
        elif isinstance(n, (dt.Chart, dt.Figure)):
            figures += 1
            n.number = figures


def is_number(text: str) -> bool:
    """Return True for cells such as ``1,550``, ``6255``, ``-3.5%``, ``$12bn``."""
    return bool(_NUMBER.match(text.strip()))


def column_alignment(table: dt.Table) -> list[str]:
    """Return each column's alignment: the template's where it gave one, else right for a column of numbers, else left."""
    n = len(table.columns)
    given = [a if a in ("left", "right", "center") else "left" for a in table.align[:n]]
    out = []
    for j in range(len(given), n):
        cells = [dt.plain(row[j]).strip() for row in table.rows if j < len(row)]
        cells = [c for c in cells if c and c not in _NOT_A_VALUE]
        out.append("right" if cells and all(is_number(c) for c in cells) else "left")
    return given + out


def quote_marks_of(meta: dt.Meta) -> tuple[str, str]:
    """The opening and closing quotation marks of the document's language (its ``quotes`` string): “ ” in English."""
    marks = quote_marks_in(meta.strings.get(QUOTES, "")) or ("“", "”")
    return marks[0], marks[1]


def quote_marks(q: dt.Quote, marks: tuple[str, str] = ("“", "”")) -> None:
    """Open the first paragraph of pull quote ``q`` and close its last with ``marks`` (the language's), unless they are."""
    paras = [b for b in q.blocks if isinstance(b, dt.Paragraph)]
    if not paras:
        return
    first, last = paras[0], paras[-1]
    if not dt.plain(first.inlines).lstrip().startswith(_OPENING):
        first.inlines = merge_text([dt.Text(marks[0]), *first.inlines])
    if not dt.plain(last.inlines).rstrip().endswith(_CLOSING):
        last.inlines = merge_text([*last.inlines, dt.Text(marks[1])])


def mark_sources(doc: dt.Report | dt.Deck) -> dict[int, str]:
    """Mark the document's sources list (``role="sources"``); return source number → its entry on one line."""
    lists: list[dt.ListBlock] = []
    if isinstance(doc, dt.Report):
        for section in _sections(doc.children):
            if section.id == SOURCES_ID:
                lists += [b for b in section.children if isinstance(b, dt.ListBlock)]
    else:
        lists = [b for s in doc.slides if s.kind == "closing" for b in s.body if isinstance(b, dt.ListBlock)]
    out: dict[int, str] = {}
    for lb in lists:
        lb.role = "sources"
        for k, item in enumerate(lb.items):
            inlines = [n for sub in item.blocks if isinstance(sub, dt.Paragraph) for n in sub.inlines]
            text = " ".join(dt.plain(inlines).split())
            urls = [u for u in dict.fromkeys(_addresses(inlines)) if shown(u) not in text]  # those the entry does not print
            out[lb.start + k] = " ".join([text, *urls])
    return out


def _sections(nodes):
    for n in nodes:
        if isinstance(n, dt.Section):
            yield n
            yield from _sections(n.children)


def _addresses(inlines) -> list[str]:
    out: list[str] = []
    for node in inlines:
        if isinstance(node, dt.Link):
            if node.href and not node.href.startswith("#"):
                out.append(node.href)
            out.extend(_addresses(node.children))
        elif isinstance(node, (dt.Strong, dt.Emph, dt.Span)):
            out.extend(_addresses(node.children))
    return out
