"""The story: a ``Report`` tree in, the flowables of the whole report out (no page decoration).

``Story.report`` makes them at once; ``Story.lazily`` a part (a top-level
child of the report) at a time, as the layout reaches it (``More``), what a
part needs of the later ones (destination names, contents entries) made
first from the tree. ``Story`` lays out the report's structure: the cover's page, the contents
list, each section's heading (its destination name, outline and contents
entry) kept with the start of what follows, then its blocks
(``story_blocks.Blocks``). The functions below read the tree before that:
the destinations it will define (``anchors``; the sources are ``Report.sources``) and how a
contents entry is cut (``shortened``).
"""

from __future__ import annotations

import re
from collections import deque
from typing import Iterator

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import HRFlowable, PageBreak, TableStyle
from reportlab.platypus.doctemplate import NextPageTemplate, PageBreakIfNotEmpty
from reportlab.platypus.flowables import AnchorFlowable, Flowable

from ...doctree import Cover, ListBlock, Node, Report, Section, Toc, plain
from ...errors import Problem
from .charts import chart_drawing
from .footnotes import MAX_SHARE, Footnotes
from .forward import Contents, ForwardNumbers
from .heading import Heading
from .keep import KeepWithNext
from .locate import Place, located
from .markup import InlineRenderer, colour_attr, esc
from .para import Para
from .story_blocks import Blocks
from .styles import Kit
from .tags import Tree
from .templates import cover_page, is_switch

TOC_CHARS = 160  # a contents entry shows at most this much of its heading (a line or two), then "…"
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.:-]")


def shortened(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters with "…" (at a word when one ends in the last fifth)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def anchors(doc: Report) -> set[str]:
    """Destination names the document will define: section ids, and "contents" for a TOC."""
    out: set[str] = set()

    def walk(nodes: list[Node]) -> None:
        for n in nodes:
            if isinstance(n, Section):
                if n.id and not _SAFE_ID.search(n.id):
                    out.add(n.id)
                walk(n.children)
            elif isinstance(n, Toc) and toc_entries(doc):
                out.add("contents")

    walk(doc.children)
    return out


def toc_entries(doc: Report) -> int:
    """How many entries the contents list has: the top-level sections and their level-2 subsections."""
    return sum(1 for n in doc.children if isinstance(n, Section)) + sum(
        1 for n in doc.children if isinstance(n, Section) for c in n.children if isinstance(c, Section) and c.level <= 2
    )


def _taken(nodes: list) -> Iterator[Node]:
    """Yield each of ``nodes`` in turn, the list emptied at once (its nodes taken out of its owner): once the caller is
    done with a node, nothing holds it."""
    queue = deque(nodes)
    nodes.clear()
    while queue:
        yield queue.popleft()


class Story(Blocks):
    """Builds the flowables for one report."""

    def __init__(self, kit: Kit, sources: set[int], anchors: set[str], warnings: list[Problem], numbers: ForwardNumbers, draw_chart=chart_drawing,
                 footnotes: Footnotes | None = None, tree: Tree | None = None):
        super().__init__(kit, InlineRenderer(kit, sources, anchors, tree), warnings, draw_chart)
        self._heading_level = 0  # the last heading's structure level (H1-H3), which the next may go one deeper than
        self.numbers = numbers  # the forward-referenced page numbers (contents entries)
        self.footnotes = footnotes or Footnotes()  # the notes' paragraphs, for the page machinery (``footnotes.NoteFrame``)
        self._note_places: dict[int, Place] = {}  # footnote number -> the block its mark is in, for messages
        self._ids: set[str] = set()
        self._anon = 0
        self._named: dict[int, tuple[str, str | None]] = {}  # id of a section (or the contents) -> its name and entry, when made first (``_prepare``)
        self._entries: list[tuple[int, str, str]] | None = None  # the contents entries, when known before the story (``lazily``)
        self._note_style = None  # the footnotes' paragraph style (``footnote_paragraphs``)

    def report(self, doc: Report) -> list:
        """Return the flowables of the whole report, made at once (its footnotes' paragraphs made too: ``footnotes``)."""
        out = [f for part in self._parts(doc) for f in part]
        self.footnote_paragraphs(doc)
        return out

    def lazily(self, doc: Report) -> list:
        """Return the report's story as ``report`` makes it, but made a part at a time as the layout reaches it: one
        ``More`` (which ``page.ReportDoc`` opens into the next part, then itself again), each part the flowables of
        one of the report's top-level children, or of a piece of a section (``_section_parts``: its heading with
        what the heading is kept with, each subsection's parts, each run of blocks between them), with the
        paragraphs of the footnotes its marks set.

        A long report's flowables are never all held at once (1,800
        sections' were 42 MB). What a part needs of the parts after it is
        known first, from the tree (``_prepare``): each section's
        destination name and contents entry, so the contents list has every
        entry before it is laid out; the parts are made in the same order,
        with the same names, as ``report`` makes them, and so are the same.
        """
        entries = self._prepare(doc)
        self._entries = entries
        parts = self._parts(doc, release=True)

        def next_part() -> list | None:
            part = next(parts, None)
            if part is not None:
                self.footnote_paragraphs(doc)
            return part

        first = next_part()  # (made now: the first page begins before anything is laid out, and the cover's drawing
        return [] if first is None else [*first, More(next_part)]  # reads what its part made, its structure node)

    def _prepare(self, doc: Report) -> list[tuple[int, str, str]]:
        """Give every section its destination name and contents entry, and the contents list its name, in the order
        ``report`` would (``_named``); return the contents entries, (level, markup, key) in document order."""
        entries: list[tuple[int, str, str]] = []

        def walk(nodes: list[Node]) -> None:
            for node in nodes:
                if isinstance(node, Toc):
                    self._named[id(node)] = (self.key("contents"), None)
                elif isinstance(node, Section):
                    key, toc = self._names(node)
                    self._named[id(node)] = (key, toc)
                    if toc is not None:
                        entries.append((min(max(node.level, 1), 3) - 1, toc, key))
                    walk(node.children)

        walk(doc.children)
        return entries

    def _parts(self, doc: Report, release: bool = False) -> Iterator[list]:
        """Yield the flowables of each of ``doc``'s top-level children in turn.

        With ``release`` the children are taken out of ``doc`` (its
        ``children`` list is emptied at once) and each is let go once its
        part is made: a long report's composed tree is not held to the end
        of its layout (at N = 100, some 7 MB); and a section's flowables come
        in several parts (``_section_parts``), its subsections let go too.
        """
        listed = bool(toc_entries(doc))  # (known before any child is let go)
        nodes = _taken(doc.children) if release else iter(doc.children)
        for i, node in enumerate(nodes):
            if isinstance(node, Cover):
                out = cover_page(first=i == 0)
                if self.inline.tree is not None:  # the cover's texts go in it as the cover is drawn (``cover.draw_cover``)
                    self.inline.tree.cover = self.node("Div")
            elif isinstance(node, Toc):
                if listed:
                    out = self.toc(node)
                else:  # ReportLab would print a placeholder text
                    self.warn(Place(), "the table of contents has no sections to list; left out", "toc-empty")
                    out = []
            elif isinstance(node, Section):
                if release:  # (a part per subsection: a report of few sections holding many is bounded too)
                    yield from self._section_parts(node, release)
                    continue
                out = self.section(node)
            else:
                out = self.block(node, self.kit.frame_width)
                self._noted(self.describe(node))
            yield out

    def _noted(self, place: Place) -> None:
        """Record ``place`` as the place of every footnote whose mark was set since the last call."""
        if len(self.inline.notes) != len(self._note_places):
            for n in self.inline.notes:
                self._note_places.setdefault(n, place)

    def footnote_paragraphs(self, doc: Report) -> None:
        """Make the paragraph of each footnote whose mark was set since the last call: its number hanging (as wide as
        the document's largest), its text in the ``footnote`` style.

        A note taller than ``footnotes.MAX_SHARE`` of the frame is an error at
        the block holding its mark: a page could not hold it with its text.
        """
        new = sorted(n for n in self.inline.notes if n not in self.footnotes.paras)
        if not new:
            return
        kit = self.kit
        if self._note_style is None:
            base = self.st["footnote"]
            size = base.fontSize
            mark = size * 0.75  # the note's number: smaller, raised, right-aligned before its text
            indent = stringWidth(str(max(set(doc.notes) | self.inline.notes)), kit.body.regular, mark) + 4
            style = base.clone("footnote_hung", leftIndent=indent, bulletIndent=indent - 3.5, bulletFontSize=mark, bulletAnchor="end")
            style.bulletOffsetY = size * 0.3  # (read by ReportLab's bullet drawing; no ParagraphStyle default)
            self._note_style = style
        style = self._note_style
        for n in new:
            markup = self.inline.markup(doc.notes.get(n, []), kit.body, style)
            para = Para(f"<bullet>{n}</bullet>{markup}", style)
            h = para.wrap(kit.frame_width, 1e9)[1]
            if h > kit.frame_height * MAX_SHARE:
                place = self._note_places.get(n, Place())
                lines = round(h / style.leading)
                raise located(place, f"footnote {n} is {lines} lines long, more than the foot of a page can hold "
                                     f"({int(MAX_SHARE * 100)}% of the page at most); shorten it, or put its text in the body", "footnote-too-long")
            self.footnotes.paras[n] = para

    def toc(self, node: Toc) -> list:
        st = self.st
        # The FONT command keeps ReportLab's table default (Helvetica) out of the file.
        table_style = TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), self.kit.heading.regular, st["toc1"].fontSize),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        named = self._named.pop(id(node), None)  # (taken: a node let go may leave its id to another object)
        key = named[0] if named is not None else self.key("contents")
        title = self.heading(Heading(self.inline.text(node.title, self.kit.heading, st["toc_title"]), st["toc_title"], level=0, title=node.title, key=key), 1)
        rule = self.decoration(HRFlowable(width="100%", thickness=0.8, color=self.kit.colour["rule"], spaceBefore=2, spaceAfter=14))
        toc = Contents(self.numbers, levelStyles=[st["toc0"], st["toc1"], st["toc2"]], tableStyle=table_style, dotsMinLevel=0, rightColumnWidth=0,
                       tree=self.inline.tree, structure=self.node("TOC"))  # its entries' TOCI are made with them (``Contents.set_entries``)
        if self._entries is not None:  # (made a part at a time: its entries known first; else ``seed_contents``)
            toc.set_entries(self._entries)
        return [PageBreakIfNotEmpty(), title, rule, toc, PageBreak()]

    def heading(self, heading: Heading, level: int) -> Heading:
        """Return ``heading`` tagged H1-H3 for section ``level``: never more than one deeper than the heading before it."""
        level = min(level, self._heading_level + 1)
        self._heading_level = level
        return self.tagged(heading, f"H{level}")

    def key(self, wanted: str) -> str:
        """The destination name for id ``wanted``: made safe and unique (with a warning when changed)."""
        key = _SAFE_ID.sub("-", wanted) or "section"
        if key != wanted:
            self.warn(Place(), f"section id '{wanted}' is not a valid destination name; used '{key}'", "section-id")
        base, n = key, 1
        while key in self._ids:
            n += 1
            key = f"{base}-{n}"
        if key != base:
            self.warn(Place(), f"section id '{base}' is used twice; the second is '{key}'", "section-id")
        self._ids.add(key)
        return key

    def _names(self, s: Section, later: bool = False) -> tuple[str, object]:
        """Return section ``s``'s destination name and its contents entry's markup (None below level 2); with
        ``later``, the entry as a function, to make after the heading's own markup (the order ``report`` keeps)."""
        level = min(max(s.level, 1), 3)
        if not s.id:
            self._anon += 1
        key = self.key(s.id or f"section-{s.number or self._anon}")
        if level > 2:
            return key, None

        def entry() -> str:
            st = self.st
            plain_title = plain(s.title).replace("\n", " ")
            toc_number = f"{esc(s.number)}&nbsp;&nbsp;&nbsp;" if s.number else ""
            toc_style = st["toc0" if level == 1 else "toc1"]
            if len(plain_title) <= TOC_CHARS:  # its words as the heading's, in their languages
                return toc_number + self.inline.plain_spans(s.title, self.kit.heading, toc_style)
            return toc_number + self.inline.text(shortened(plain_title, TOC_CHARS), self.kit.heading, toc_style)

        return key, entry if later else entry()

    def section(self, s: Section) -> list:
        """Return the flowables of section ``s``, its subsections' among them."""
        return [f for part in self._section_parts(s) for f in part]

    def _section_parts(self, s: Section, release: bool = False) -> Iterator[list]:
        """Yield the flowables of section ``s`` a part at a time, made in the same order as made at once: its heading
        with what the heading is kept with (its blocks up to the first content, a subsection's first part when that
        comes first), then each part of each subsection and each run of blocks in turn.

        With ``release`` its children are taken out of ``s`` and each is let
        go once made (as ``_parts`` does with the report's).
        """
        kit, st = self.kit, self.st
        level = min(max(s.level, 1), 3)
        named = self._named.pop(id(s), None)  # (taken: a node let go may leave its id to another object)
        if named is None:
            named = self._names(s, later=True)
        key, toc = named
        style = st[f"h{level}"]
        title = self.inline.markup(s.title, kit.heading, style)
        if callable(toc):
            toc = toc()
        plain_title = plain(s.title).replace("\n", " ")
        shown = f"{s.number} {plain_title}" if s.number else plain_title
        self.where = f"section '{shown}'"
        self.origin = s.origin
        number = ""
        if s.number:
            colour = colour_attr(kit.colour["accent"] if level == 1 else kit.colour["secondary"])
            number = f'<font color="{colour}">{esc(s.number)}</font>&nbsp;&nbsp;&nbsp;'
        heading = self.heading(Heading(f"{number}{title}", style, level=level - 1, title=shown, key=key, toc=None), level)
        if toc is not None:
            heading.rg_toc = toc
        heading.rg_where = Place(s.origin, f"heading '{shown}'")
        self._noted(heading.rg_where)
        # Keep the heading with the start of what follows: break first if that does not fit.
        # (ReportLab's keepWithNext would move a heading *and* a long paragraph to the next
        # page, leaving a gap; KeepWithNext only needs room for the first lines.)
        keep = KeepWithNext(kit.frame_height * 0.85)
        head: list = [heading]
        if level == 1:
            head.append(self.decoration(HRFlowable(width="100%", thickness=0.7, color=kit.colour["rule"], spaceBefore=0, spaceAfter=9)))
        children = _taken(s.children) if release else iter(s.children)
        pieces = self._pieces(children, release)
        body: list = []
        opening = _opening(body)
        while opening is None:  # (made until what goes before the heading, and what it is kept with, are known)
            piece = next(pieces, None)
            if piece is not None:
                body += piece
            opening = _opening(body, final=piece is None)
        # A section opening with a landscape table starts on the landscape page, heading and all.
        switches, kept = opening
        keep.flows = head + kept
        yield body[:switches] + [keep] + head + body[switches:]
        yield from pieces

    def _pieces(self, children: Iterator[Node], release: bool) -> Iterator[list]:
        """Yield the flowables of a section's ``children`` in order: each part of a subsection, each run of blocks between them."""
        kit = self.kit
        run: list = []
        for child in children:
            if isinstance(child, Section):
                if run:
                    yield run
                    run = []
                yield from self._section_parts(child, release)
                continue
            if isinstance(child, ListBlock) and child.role == "sources":  # marked by compose.decide
                made = [self.listing(child, kit.frame_width, depth=0, anchors=True)]
            else:
                made = self.block(child, kit.frame_width)
            what = self.describe(child)
            self._noted(what)
            for f in made:
                if not hasattr(f, "rg_where"):
                    f.rg_where = what
            run += made
        if run:
            yield run


def _opening(body: list, final: bool = False) -> tuple[int, list] | None:
    """Return how a section's flowables ``body`` open: (how many page switches lead it, which go before the section's
    heading; what the heading is kept with: the next heading's own run, or the first content flowable), or None if
    ``body``, only the start of them, ends before that is known (``final``: there is no more)."""
    switches = 0
    while switches < len(body) and is_switch(body[switches]):
        switches += 1
    for f in body[switches:]:
        if isinstance(f, KeepWithNext):
            return switches, f.flows
        if isinstance(f, (AnchorFlowable, NextPageTemplate)):
            continue
        return switches, [f]
    return (switches, []) if final else None


class More(Flowable):
    """The rest of a story made a part at a time (``Story.lazily``): ``next_part`` returns the next part's flowables,
    None after the last. Never laid out: ``page.ReportDoc`` puts the next part in its place, followed by it again."""

    def __init__(self, next_part):
        super().__init__()
        self.next_part = next_part

    def wrap(self, availWidth, availHeight):
        raise RuntimeError("a story's More is opened by the document, never laid out")
