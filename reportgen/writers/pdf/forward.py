"""Numbers the PDF writer cannot know when it draws them: page totals and contents pages.

The report is laid out in **one pass**. "Page N of M" needs the page count M,
and the contents list near the front needs the page of every section after
it (the footer text, too, is cut to the room "Page N of M" leaves); ReportLab's usual answer (``multiBuild``) lays the whole document out
again until the numbers stop changing. Here, each such number is a PDF form
XObject that the page *uses* by name when it is drawn, and that is *defined*
once the last page is done (PDF allows the forward reference; ReportLab's
``doForm`` documents it). The layout cannot depend on these numbers: a
contents entry's height is its title's, and the footer reserves room for a
four-digit total.

``ForwardNumbers`` keeps what each form must show; ``Contents`` is
ReportLab's ``TableOfContents`` given its entries up front
(``seed_contents``), which ends each entry with a form (dot leader and page
number) instead of a drawn number.
"""

from __future__ import annotations

import html
import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer, Table
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.tableofcontents import TableOfContents

from ...i18n import english_text

from ...compat.reportlab import FRAME_FUZZ, contained, row_heights, set_contents_table, text_end
from .heading import Heading
from .para import Para
from .tags import Node, Tree, link_points

_TAG = re.compile(r"<[^>]*>")


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` (the longest start that does: a binary search)."""
    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text) - 1  # the longest start that fits with "…" after it has lo..hi characters
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    text = text[:lo]
    return text.rstrip() + "…" if text else ""


class ForwardNumbers:
    """Forms used on the pages and defined after the last one (``finish``)."""

    def __init__(self, font: str, size: float, colour, text=english_text):
        self.font, self.size, self.colour = font, size, colour  # the footer's page label
        self.text = text  # the document's fixed texts: text("page", n=3, total=12)
        self.footers: list[tuple] = []  # (form name, page number, footer text, its font, its x, its room)
        self.entries: list[tuple[str, str, float, object]] = []  # (form name, key, room, style)
        self.pages: dict[str, int] = {}  # contents key → page its heading landed on
        self._pending: list[tuple] = []  # entries whose paragraph is being drawn

    # --- used while drawing ---------------------------------------------------

    def page_footer(self, canv, left: float, right: float, y: float, page: int, text: str = "", font: str = "", room: float | None = None) -> None:
        """Draw the footer's "Page N of M" ending at ``right`` and ``text`` from ``left``, on baseline ``y``.

        Both are one form, filled in once M is known: ``text`` (in ``font``) is
        cut to fit ``room``, or, with no ``room`` given, the width the page
        label leaves it (as wide as "Page 7 of 12" is, not as some guess).
        """
        name = f"rgPage{page}"
        self.footers.append((name, page, text, font, left - right, room))
        canv.saveState()
        canv.translate(right, y)
        canv.doForm(name)
        canv.restoreState()

    def entry_end(self, canv, key: str, style, avail_width: float) -> None:
        """Note where a contents entry's text ends (called while its paragraph draws)."""
        x, y = text_end(canv)
        name = f"rgToc{len(self.entries)}"
        self.entries.append((name, key, avail_width - x, style))
        self._pending.append((name, key, x, y, avail_width, style.leading))

    def entry_drawn(self, canv) -> None:
        """Use the form of each entry noted while its paragraph drew: after its text, so that
        text extraction reads the title, then its page number."""
        for name, key, x, y, avail_width, leading in self._pending:
            canv.saveState()
            canv.translate(x, y)
            canv.doForm(name)
            canv.restoreState()
            if key:  # the number links to its section, as the entry's text does
                canv.linkRect("", key, (x, y, avail_width, y + leading), relative=1)
        self._pending.clear()

    # --- after the last page --------------------------------------------------

    def finish(self, canv, total: int) -> None:
        """Define every form used: page labels with ``total``, contents entries with their pages."""
        for name, page, text, font, x, room in self.footers:
            label = self.text("page", n=page, total=total)
            w = stringWidth(label, self.font, self.size)
            canv.beginForm(name, min(x, -w) - 2, -self.size, 2, self.size * 2)
            canv.setFillColor(self.colour)
            canv.setFont(self.font, self.size)
            canv.drawString(-w, 0, label)
            if text:
                canv.setFont(font, self.size)
                canv.drawString(x, 0, fit_text(text, font, self.size, -x - w - 18 if room is None else room))
            canv.endForm()
        for name, key, room, style in self.entries:
            page = str(self.pages.get(key, ""))
            size = style.fontSize
            page_w = stringWidth(page, style.fontName, size)
            while page_w > room and size >= 1.0:  # as ReportLab's contents list does
                size *= 0.9
                page_w = stringWidth(page, style.fontName, size)
            dot = " . "
            dot_w = stringWidth(dot, style.fontName, size)
            dots = max(int((room - page_w) / dot_w), 0) if dot_w else 0
            canv.beginForm(name, -2, -style.leading, room + 2, style.leading * 2)
            tx = canv.beginText(room - dots * dot_w - page_w, 0)
            tx.setFont(style.fontName, size)
            tx.setFillColor(style.textColor)
            tx.textLine(dots * dot + page)
            canv.drawText(tx)
            canv.endForm()


ROWS_PER_TABLE = 32  # a long contents list is split into tables of this many rows (``Contents.split``)


class Contents(TableOfContents):
    """A contents list laid out from entries known before the build, numbered by forms."""

    def __init__(self, numbers: ForwardNumbers, tree: Tree | None = None, structure: Node | None = None, **kw):
        super().__init__(**kw)
        self.numbers = numbers
        self.rg_entries: list[tuple[int, str, str]] = []  # (level, markup, key), in document order
        self.rg_tree, self.rg_structure = tree, structure  # a tagged document's tree and the list's TOC node
        self._rg_tags: list[tuple[Node, str, str]] = []  # per entry: its paragraph's node, the points marking its link's text
        self._rg_rows: list = []  # the rows of the table the last ``wrap`` made

    def set_entries(self, entries: list[tuple[int, str, str]]) -> None:
        """Set the (level, markup, key) of every entry, in document order (in a tagged document, each a TOCI holding a P)."""
        self.rg_entries = list(entries)
        tree, toc = self.rg_tree, self.rg_structure
        if tree is None or toc is None or self._rg_tags:  # (made once)
            return
        for _level, text, key in self.rg_entries:
            para = tree.add("P", tree.add("TOCI", toc))
            start, end = link_points(tree, f"#{key}", _words(text)) if key else ("", "")
            self._rg_tags.append((para, start, end))

    def wrap(self, availWidth, availHeight):
        numbers = self.numbers
        styles = {level: self.getLevelStyle(level) for level, _text, _key in self.rg_entries}

        def end(canvas, kind, label):  # (the canvas keeps it to the end: it holds what it needs, not the list and its rows)
            level, key = label.split(",", 1)
            numbers.entry_end(canvas, key, styles[int(level)], availWidth)

        self.canv.setNamedCB("rgTocEnd", end)
        rows = self._rg_rows = self._row_plan()
        if len(rows) > ROWS_PER_TABLE:
            height = self._long_height(availWidth, availHeight)
            if height is not None:  # (over the room: ``split`` makes its parts)
                self.width, self.height = availWidth, height
                return self.width, self.height
        table = Table(self._made(rows), colWidths=(availWidth,), style=self.tableStyle)
        set_contents_table(self, table)
        self.width, self.height = table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def _row_plan(self) -> list[tuple[int, bool]]:
        """Return the table's rows as (entry index, whether it is the entry's paragraph or the space before it)."""
        rows = []
        for i, (level, _text, _key) in enumerate(self.rg_entries):
            if self.getLevelStyle(level).spaceBefore:
                rows.append((i, False))
            rows.append((i, True))
        return rows

    def _made(self, rows: list[tuple[int, bool]]) -> list[list]:
        """Return the table rows ``rows`` (``_row_plan``'s) stand for: each entry's paragraph (a link to its section
        ending with its number's form) or the space before it."""
        out = []
        for i, para in rows:
            level, text, key = self.rg_entries[i]
            style = self.getLevelStyle(level)
            if not para:
                out.append([Spacer(1, style.spaceBefore)])
                continue
            node, start, end = self._rg_tags[i] if self._rg_tags else (None, "", "")
            if key:
                text = f'{start}<a href="#{key}">{text}</a>{end}'
            entry = _Entry(f'{text}<onDraw name="rgTocEnd" label="{level},{key or ""}"/>', style, numbers=self.numbers)
            if node is not None:
                self.rg_tree.tag(entry, node)
            out.append([entry])
        return out

    def _part(self, start: int, width: float) -> _Part:
        """Return the table of the ``ROWS_PER_TABLE`` rows from row ``start``; the last part says it is (``rg_last``)."""
        rows = self._rg_rows[start : start + ROWS_PER_TABLE]
        part = _Part(self._made(rows), colWidths=(width,), style=self.tableStyle)
        part.rg_last = start + ROWS_PER_TABLE >= len(self._rg_rows)
        return part

    def _long_height(self, availWidth: float, availHeight: float) -> float | None:
        """Return a height over ``availHeight`` (by more than the frame lets pass) when the rows are taller than that,
        measuring them a part at a time, up to the first row that overfills it; None when all of them fit (the one
        table is made then, as ReportLab makes it: it is drawn whole).

        Only whether the list fits is read from its height (the frame then
        splits it, and each part is measured again where it is placed), so the
        entries' paragraphs are made and parsed for the parts that fill the
        room, not for all of a long list at once (1,800 entries: 25 MB).
        """
        heights: list[float] = []
        for start in range(0, len(self._rg_rows), ROWS_PER_TABLE):
            part = self._part(start, availWidth)
            part.wrapOn(self.canv, availWidth, _UNBOUNDED)
            heights += row_heights(part)
            if sum(heights) > availHeight + FRAME_FUZZ:
                return sum(heights)
        return None

    def split(self, availWidth, availHeight):
        """Return the contents split where the frame ends: the rows that fit, then the rest, in tables of
        ``ROWS_PER_TABLE`` rows at most, each made when it is first laid out (``_Later``).

        ReportLab's contents list splits its one table, and the table left
        over measures every one of its rows again at each page: a contents list
        many pages long cost time by the square of its length (0.6 s of a
        1,800-section report's 16 s, profiled). Tables of a few rows, one
        after the other, are laid out and drawn as the one table was: the same
        rows, at the same places, split at the same row (``_Part``: even where
        the frame would let a part overshoot it by a hair).
        """
        rows = self._rg_rows
        if len(rows) <= ROWS_PER_TABLE:
            return super().split(availWidth, availHeight)
        first = self._part(0, availWidth).splitOn(self.canv, availWidth, availHeight)
        return first + [_Later(self, start, availWidth) for start in range(ROWS_PER_TABLE, len(rows), ROWS_PER_TABLE)] if first else []


_UNBOUNDED = 1e9  # a part measured whole (``Contents._long_height``)


class _Later(Flowable):
    """A part of a long contents list (``Contents._part``), made when it is first laid out, wrapped, split or drawn:
    its entries' paragraphs are parsed a page or so at a time, not all at the start of the list."""

    def __init__(self, toc: Contents, start: int, width: float):
        super().__init__()
        self._toc, self._start, self._width = toc, start, width
        self._table: _Part | None = None

    def made(self) -> _Part:
        if self._table is None:
            self._table = self._toc._part(self._start, self._width)
            self._toc = None
        return self._table

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.made().wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return self.made().splitOn(self.canv, availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        self.made().drawOn(canvas, x, y, _sW)


class _Part(Table):
    """A part of a long contents list (``Contents.split``), split where the one table it is part of would be: a
    frame places a flowable that overshoots its room by less than ``FRAME_FUZZ``, but the table, longer than the
    part, would have compared its rows with the room exactly and left the part's last row for the next page; so a
    part that rows follow (not ``rg_last``) says it does not fit. The last part is the table's rest, as the frame
    sees it either way."""

    rg_last = False

    def wrap(self, availWidth, availHeight):
        w, h = super().wrap(availWidth, availHeight)
        if not self.rg_last and availHeight < h <= availHeight + FRAME_FUZZ:
            return w, availHeight + 2 * FRAME_FUZZ  # (the frame then splits it, as the one table would be split)
        return w, h

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.rg_last = self.rg_last
        return parts


def _words(markup: str) -> str:
    """Return the text of paragraph ``markup``: its tags left out, its entities read (a link's /Contents)."""
    return html.unescape(_TAG.sub("", markup)).replace("\xa0", " ")


class _Entry(Para):
    """A contents entry: its paragraph, then its number's form (``ForwardNumbers.entry_drawn``)."""

    def __init__(self, text, style=None, *args, numbers: ForwardNumbers | None = None, **kw):
        super().__init__(text, style, *args, **kw)
        self.numbers = numbers

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)  # (rows are not split today: splitInRow=0)
        for part in parts:
            part.numbers = self.numbers
        return parts

    def draw(self):
        super().draw()
        self.numbers.entry_drawn(self.canv)


def seed_contents(flowables: list) -> None:
    """Give each contents list in ``flowables``, before the build, the entries it will show.

    The entries are the headings that have a contents line, in story order;
    their page numbers are forms filled in after the last page, so the one
    layout pass already has the final page breaks.
    """
    tocs = [f for f in flowables if isinstance(f, Contents)]
    if not tocs:
        return
    entries = []
    stack = list(reversed(flowables))
    while stack:
        f = stack.pop()
        if isinstance(f, Heading) and getattr(f, "rg_toc", None) is not None:
            entries.append((f.rg_level, f.rg_toc, f.rg_key))
        inner = contained(f)
        if inner is not None:
            stack.extend(reversed(inner))
    for toc in tocs:
        toc.set_entries(entries)
