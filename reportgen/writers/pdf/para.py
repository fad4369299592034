"""The PDF writer's paragraph: ReportLab's, with less repeated work.

Two things ReportLab redoes that a report does not need redone:

* **Line breaking.** A paragraph is broken into lines on every ``wrap``,
  and it is wrapped several times at the same width before it is drawn: to
  decide whether a heading keeps with it, to measure a callout or a table
  row, again when the frame places it, and (table cells, contents entries)
  each time a long table is split at a page end. The lines depend on the
  width alone, so ``Para`` keeps the last result for its width.
* **Parsing plain text.** Every paragraph's markup goes through ReportLab's
  HTML-based parser, even when it holds no tag at all (about half of a
  briefing's: list items, table cells, titles). A plain text becomes the
  one fragment the parser would make of it: a copy of the style's
  fragment, made once per style by the parser itself, with the text in it.

Either way the lines, fragments and bytes are ReportLab's own
(``tests/writers/pdf/test_pdf_para.py`` compares them with the parser's).
The ReportLab internals both rely on are in ``reportgen.compat.reportlab``.
"""

from __future__ import annotations

import functools
import weakref

from reportlab.platypus import Paragraph

from ...compat.reportlab import (
    NO_ROOM,
    clean_text,
    complete_fragments,
    fragment_with_text,
    one_fragment_links,
    parse_fragments,
    record_links,
    restore_wrapped_lines,
    wrapped_lines,
)
from .tags import TAG_CALLBACK, UNTAGGED, lift_links, settle_points

_TEMPLATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # style → its plain fragment


def plain_frags(text: str, style) -> list | None:
    """Return the fragments ReportLab's parser makes of ``text`` in ``style``, if ``text`` is
    plain (no tag, no entity: the parser cuts the text at each); None for markup to parse."""
    if "<" in text or "&" in text or getattr(style, "textTransform", None) or getattr(style, "bulletText", None):
        return None
    text = clean_text(text)
    if not text:
        return None
    template = _TEMPLATES.get(style)
    if template is None:
        frags = parse_fragments("x", style)
        if len(frags) != 1 or frags[0].text != "x":
            return None
        template = _TEMPLATES[style] = frags[0]
    return [fragment_with_text(template, text)]


class Para(Paragraph):
    """A ReportLab ``Paragraph``: plain text not parsed, ``wrap`` computed once per width.

    ``anchor`` names a destination at the paragraph's top. (An inline
    ``<a name>`` does the same, but ReportLab then cannot break a long first
    word across lines: a heading of one long word ran off the page.)
    """

    _rg_wrapped = None  # (width, (w, h), the lines ``wrapped_lines`` gives) of the last wrap
    rg_anchor = ""
    rg_first: tuple[int, ...] = ()  # a tagged document's: the serials of the links and spans the text opens with (``tags.settle_points``)
    rg_links: tuple[int | None, ...] = ()  # a tagged document's: the serial of each link whose points are written as it is drawn (``tags.lift_links``)

    def __init__(self, text, style=None, bulletText=None, frags=None, anchor: str = "", **kw):
        first: tuple[int, ...] = ()
        links: tuple[int | None, ...] = ()
        if isinstance(text, str) and TAG_CALLBACK in text:  # a tagged document's link and span points, where they break no line
            text, links = lift_links(text)
            text, first = settle_points(text)
        if frags is None and bulletText is None and style is not None and isinstance(text, str):
            frags = plain_frags(text, style)
            if frags:
                text = frags[0].text  # as the parser's path keeps it: cleaned of line breaks
        super().__init__(text, style, bulletText, frags, **kw)
        complete_fragments(self.frags)  # (line breaking compares them: ``compat.reportlab.complete_fragments``)
        self.rg_anchor = anchor
        self.rg_first = first
        self.rg_links = links

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if parts and self.rg_anchor:  # the destination stays with the first part
            parts[0].rg_anchor = self.rg_anchor
            for later in parts[1:]:
                later.rg_anchor = ""
        if parts and self.rg_first:  # so do the links and spans it opens with
            parts[0].rg_first = self.rg_first
        for part in parts if self.rg_links else ():  # (every part keeps its fragments' link numbers)
            part.rg_links = self.rg_links
        return parts

    def drawOn(self, canv, x, y, _sW=0):
        if not (self.rg_first or self.rg_links):
            return super().drawOn(canv, x, y, _sW)
        tagger = getattr(canv, "rg_tagger", None) or UNTAGGED
        if self.rg_first:  # a tagged document's: the links and spans it opens with begin here (``tags.settle_points``)
            tagger.open_leading(canv, self.rg_first)
        whole = one_fragment_links(self) if self.rg_links else None
        if whole:  # one link's text alone, drawn by ReportLab without saying where links start: all of it the link's
            serial = self.rg_links[whole[0][0]] if whole[0][0] < len(self.rg_links) else None
            if serial is not None:
                with tagger.whole_link(canv, serial):
                    return super().drawOn(canv, x, y, _sW)
        return super().drawOn(canv, x, y, _sW)

    def beginText(self, x, y):
        tx = super().beginText(x, y)
        tagger = getattr(self.canv, "rg_tagger", None) if self.rg_links else None
        if tagger is not None and not one_fragment_links(self):  # where each link's text starts and stops, as it is drawn
            record_links(tx, functools.partial(tagger.link_record, self.canv, tx, self.rg_links))
        return tx

    def draw(self):
        if self.rg_anchor:  # where ReportLab puts an inline anchor: the top of the first line
            self.canv.bookmarkHorizontal(self.rg_anchor, 0, self.height)
        super().draw()

    def wrap(self, availWidth, availHeight):
        last = self._rg_wrapped
        if last is not None and last[0] == availWidth:
            self.width, self.height = last[1]
            restore_wrapped_lines(self, last[2])
            return last[1]
        size = super().wrap(availWidth, availHeight)
        if size[1] != NO_ROOM:  # (with no width ReportLab answers "too tall" and breaks nothing)
            self._rg_wrapped = (availWidth, size, wrapped_lines(self))
        return size
