"""Addresses printed in full, broken only where a reader expects: ``AddressPara``.

A link that shows its own address (``<a href="…"/>`` in the markup, as the
briefing pack writes a source's URL: ``is_address``) must reach paper whole.
It holds no space, so ReportLab would break it only when it is wider than a
whole line, and then between any two characters, at the end of whatever
line it started on. Here it is broken for the width the paragraph is wrapped
at: an address that fits on a line is kept whole (on the next line if need
be, as a word would be); a longer one goes on from where it stands, as much
of it on each line as fits, broken after ``/ . - _ ? & = #`` (the last of a
run such as ``//``, and never right after ``https://``); a piece between two
such points that is wider than a line is cut between characters. The text
before it is measured by ReportLab itself, so the address starts where it
stands on its line; the breaks are ``<br/>`` inside the link, so no line is
wider than the frame and every line of the address is the link. A page
break inside the entry goes on with the address, not a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from reportlab.pdfbase.pdfmetrics import stringWidth

from ...compat.reportlab import drop_leading_breaks
from ...doctree import Inline, Link, plain
from ...links import shown
from .markup import InlineRenderer
from .para import Para
from .styles import Face

BREAK_AFTER = frozenset("/.-_?&=#")  # a line may end after one of these (the last of a run)
_TAG = re.compile(r"<[^>]*>")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_EPSILON = 1e-6


def is_address(node: Inline) -> bool:
    """True for a link that prints its own address (``links.shown``): a source's URL, a Markdown ``<https://…>``."""
    return isinstance(node, Link) and bool(node.href) and not node.href.startswith("#") and plain(node.children) == shown(node.href)


def break_after(text: str) -> list[bool]:
    """For each character of ``text``: may a line end after it? After ``BREAK_AFTER`` (the last of a run
    such as ``//``), but not after a scheme's ``://``: no line ends with a bare ``https://``."""
    out = [c in BREAK_AFTER and (i + 1 == len(text) or text[i + 1] not in BREAK_AFTER) for i, c in enumerate(text)]
    scheme = _SCHEME.match(text)
    if scheme:
        out[scheme.end() - 1] = False
    return out


def line_starts(widths: list[float], breaks: list[bool], first: float, full: float) -> list[int]:
    """Where new lines start in a run of characters ``widths`` wide that may break where ``breaks`` says.

    A run that fits on a line is kept whole, on the next line when the
    rest of this one (``first``) is too short, as a word would be. A longer
    one is broken greedily: each line takes as many pieces (from one allowed
    break to the next) as fit, the first line ``first``, every other
    ``full``; a piece wider than ``full`` is cut between characters. A 0 in
    the result: the run starts on a new line.
    """
    total = sum(widths)
    if total <= full + _EPSILON:
        return [] if total <= first + _EPSILON else [0]
    pieces, start = [], 0
    for i, ok in enumerate(breaks):
        if ok:
            pieces.append((start, i + 1))
            start = i + 1
    if start < len(widths):
        pieces.append((start, len(widths)))
    out: list[int] = []
    room, used = first, 0.0
    for a, b in pieces:
        w = sum(widths[a:b])
        if used + w <= room + _EPSILON:
            used += w
            continue
        if w <= full + _EPSILON:  # on a line of its own, with what follows
            out.append(a)
            room, used = full, w
            continue
        for i in range(a, b):  # wider than a line: cut between characters
            if used + widths[i] > room + _EPSILON and (used > 0 or room < full):
                out.append(i)
                room, used = full, 0.0
            used += widths[i]
    return out


@dataclass
class Address:
    """An address to print: the markup opening and closing its link and, per character, markup, width and whether a line may end after it."""

    opening: str
    closing: str
    chars: list[str]
    widths: list[float]
    breaks: list[bool]

    def markup(self, starts: list[int] | tuple = ()) -> str:
        """The link, a ``<br/>`` before each character in ``starts`` (0: before the link)."""
        lead = "<br/>" if 0 in starts else ""
        cuts = [0, *(s for s in starts if s > 0), len(self.chars)]
        lines = ["".join(self.chars[a:b]) for a, b in pairwise(cuts)]
        return f"{lead}{self.opening}{'<br/>'.join(lines)}{self.closing}"


def paragraph(inline: InlineRenderer, inlines: list[Inline], face: Face, style, anchor: str = "") -> Para:
    """The ``Para`` of ``inlines``: an ``AddressPara`` when one of them is an address, else a plain one."""
    if not any(is_address(n) for n in inlines):
        return Para(inline.markup(inlines, face, style), style, anchor=anchor)
    pieces: list[str | Address] = []
    run: list[Inline] = []
    for node in [*inlines, None]:
        if node is not None and not is_address(node):
            run.append(node)
            continue
        if run:
            pieces.append(inline.markup(run, face, style))
            run = []
        if node is not None:
            text = plain(node.children)
            chars = inline.characters(text, face, style)
            pieces.append(Address(*inline.link(node.href, text), [c for c, _w in chars], [w for _c, w in chars], break_after(text)))
    return AddressPara(None, style, anchor=anchor, pieces=pieces)


class AddressPara(Para):
    """A ``Para`` whose addresses are broken for the width it is wrapped at (see the module's note).

    ``pieces`` is the paragraph: markup, and ``Address``es between. Without
    pieces (the parts ReportLab's ``split`` makes of it, already broken into
    lines) it is a plain ``Para``.
    """

    rg_pieces: list | None = None
    _rg_width: float | None = None

    def __init__(self, text, style=None, bulletText=None, frags=None, anchor: str = "", pieces: list | None = None, **kw):
        if pieces is not None:
            self.rg_pieces = pieces
            text = "".join(p if isinstance(p, str) else p.markup() for p in pieces)  # unbroken, until a width is known
        super().__init__(text, style, bulletText, frags, anchor=anchor, **kw)

    def wrap(self, availWidth, availHeight):
        if self.rg_pieces is not None and availWidth != self._rg_width:
            markup = self.markup_for(availWidth)
            Para.__init__(self, markup, self.style, self.bulletText, anchor=self.rg_anchor)
            self._rg_width, self._rg_wrapped = availWidth, None
        return super().wrap(availWidth, availHeight)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for later in parts[1:]:  # split after a line this broke: the next page starts with the address, not a blank line
            drop_leading_breaks(later)
        return parts

    def markup_for(self, width: float) -> str:
        """The paragraph's markup with its addresses broken for lines ``width`` wide."""
        st = self.style
        full = width - st.leftIndent - st.rightIndent
        text = ""
        for piece in self.rg_pieces or []:
            if isinstance(piece, str):
                text += piece
                continue
            room = self._room(text, width, full - st.firstLineIndent)
            text += piece.markup(line_starts(piece.widths, piece.breaks, room, full))
        return text

    def _room(self, text: str, width: float, first: float) -> float:
        """The width left on the last line of the markup ``text`` set ``width`` wide, after the space it ends with."""
        words = _TAG.sub("", text)
        if not words.strip():
            return first
        probe = Para(text, self.style)
        probe.wrap(width, 1e9)
        lines = probe.getActualLineWidths0()
        if not lines:
            return first
        room = width - lines[-1]
        if words[-1].isspace() or words.endswith("&nbsp;"):
            room -= stringWidth(" ", self.style.fontName, self.style.fontSize)
        return room
