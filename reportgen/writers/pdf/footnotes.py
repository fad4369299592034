"""Footnotes at the foot of the page that holds their mark: ``NoteFrame`` and ``Footnotes``.

ReportLab has no footnotes, so the frame makes room for them. A footnote's
mark in a paragraph (``markup.note_mark``) is its number raised and a
zero-width ``<onDraw>`` marker naming it, which stays with the line that
holds it when ReportLab splits the paragraph. ``NoteFrame`` is the body
frame of every page that may hold text:

- **adding** a flowable, it finds the marks of notes not yet placed (in a
  paragraph, a table's cells, a list, a box, a kept-together group:
  ``marks_in``), raises the frame's floor by the room those notes need under
  the ones the page already has (a short rule, then the notes), and places
  the flowable above that floor; if it does not fit, the floor goes back;
- **splitting** one, it splits for the room left above the notes of the part
  that stays on the page: the least room for notes that still holds that
  part's own, found by halving, so that the most of it stays (a paragraph
  split at a page foot: the note goes with the part that holds its mark, on
  the page that part is drawn on); the rest starts on the next page
  (``REST_FROM``), even where room is left under the part that stays (the
  rest of a long table there would repeat its header mid-page);
- at the **end of the page** (``draw``), it sets the page's notes at the
  bottom of the frame, in number order, under a short rule, in the smaller
  ``footnote`` style: above the running footer, never under body text.

A note is printed once: a mark repeated (a table's header row on every page
of a long table) refers to the first. A note taller than ``MAX_SHARE`` of the
frame is refused when the story is built (``Story.footnote_paragraphs``), so
a page always has room for a line of text and its notes. The marks drawn
are recorded too (``Footnotes.marked``, through the marker's callback), so
``PdfWriter`` can check every note stood on the page of its mark.
"""

from __future__ import annotations

import copy

from reportlab.platypus import Frame
from reportlab.platypus.paragraph import Paragraph

from ...compat.reportlab import frame_floor, frame_is_empty, on_draw_labels, set_frame_floor
from .markup import NOTE_CALLBACK
from .tags import UNTAGGED

ABOVE = 9.0  # between the last line of text and the rule
RULE_GAP = 4.0  # between the rule and the first note
BETWEEN = 1.5  # between two notes
RULE_LENGTH = 0.3  # of the frame's width: the short rule of a printed report
MAX_SHARE = 0.4  # the most of a frame's height one note may take

# Where flowables keep flowables: KeepTogether ``_content``; ListFlowable ``_flowables`` (its items), then once
# laid out ``_list_content``; its items' wrappers ``_flowable``; ListItem ``_flowables``; Table ``_cellvalues``
# (``platypus/flowables.py``, ``platypus/tables.py``; checked against ReportLab 5.1.0); ``box.Box`` ``content``.
_CHILDREN = ("_content", "_list_content", "_flowable", "_flowables", "content", "_cellvalues")


def marks_in(flowable) -> list[int]:
    """The footnote numbers whose marks ``flowable`` holds (in paragraphs at any depth), in order, once each."""
    out: list[int] = []
    stack = [flowable]
    while stack:
        f = stack.pop()
        if isinstance(f, (list, tuple)):
            stack.extend(reversed(f))
        elif isinstance(f, Paragraph):
            out.extend(int(label) for label in on_draw_labels(f, NOTE_CALLBACK))
        else:
            own = getattr(f, "__dict__", None)  # (not getattr: a list item's wrapper hands missing names on)
            if own:
                stack.extend(reversed([own[name] for name in _CHILDREN if own.get(name) is not None]))
    return list(dict.fromkeys(out))


class Footnotes:
    """The document's footnotes: each number's paragraph (made by the story), and where each was placed and marked."""

    def __init__(self):
        self.paras: dict[int, Paragraph] = {}  # number -> the note's paragraph (``Story``)
        self.placed: dict[int, int] = {}  # number -> the page it is printed on
        self.marked: dict[int, int] = {}  # number -> the page its mark was first drawn on
        self._heights: dict[tuple[int, float], float] = {}

    def height(self, number: int, width: float) -> float:
        key = (number, width)
        if key not in self._heights:
            self._heights[key] = self.paras[number].wrap(width, 1e9)[1]
        return self._heights[key]

    def room(self, numbers: list[int], width: float) -> float:
        """The height the notes ``numbers`` take at the foot of a frame ``width`` wide, with the rule and the gap above it."""
        if not numbers:
            return 0.0
        return ABOVE + RULE_GAP + sum(self.height(n, width) for n in numbers) + BETWEEN * (len(numbers) - 1)

    def mark_drawn(self, canv, _kind, label) -> None:
        """The marker's callback: the mark of note ``label`` is drawn on this page."""
        self.marked.setdefault(int(label), canv.getPageNumber())

    def misplaced(self) -> list[int]:
        """Notes whose mark was drawn on a page other than the one the note is printed on (or whose note is missing)."""
        return sorted(n for n, page in self.marked.items() if self.placed.get(n) != page)


REST_FROM = "rg_rest_from"  # a part split off for the notes of the part before it: the first page it may go on


def _held_back(flowable, frame, canv) -> bool:
    """Return whether ``flowable`` is the rest of a part placed on this page above its notes (``NoteFrame.split``), to
    go on the next page: never into a frame that holds nothing yet (the page's first: it would never be placed)."""
    return flowable.__dict__.get(REST_FROM, 0) > canv.getPageNumber() and not frame_is_empty(frame)


class NoteFrame(Frame):
    """A body frame that keeps room at its foot for the footnotes of what it holds (see the module's note)."""

    def __init__(self, *args, notes: Footnotes, **kw):
        self.__dict__["rg_notes"] = notes
        self.__dict__["rg_here"] = []  # the notes of the page being filled, in the order they came
        super().__init__(*args, **kw)

    def _reset(self):
        super()._reset()
        self.rg_here = []
        set_frame_floor(self, None)

    def __deepcopy__(self, memo):
        """Return a copy of this frame for a trial wrap, the document's footnotes shared, not copied.

        ReportLab deep-copies the frame being filled each time a list or a
        kept-together group is wrapped (``flowables._listWrapOn``), so that
        the trial leaves it as it was; a trial wraps and places nothing, so
        the footnotes (every note's paragraphs: a copy grows with the
        document) need no copy. The frame's own state is copied as
        ``copy.deepcopy`` copies any object's.
        """
        new = type(self).__new__(type(self))
        memo[id(self)] = new
        for name, value in self.__dict__.items():
            new.__dict__[name] = value if name == "rg_notes" else copy.deepcopy(value, memo)
        return new

    @property
    def _inner(self) -> tuple[float, float, float]:
        """(left, bottom, width) of the frame inside its padding."""
        return self.x1 + self.leftPadding, self.y1 + self.bottomPadding, self.width - self.leftPadding - self.rightPadding

    def _unplaced(self, flowable) -> list[int]:
        if not self.rg_notes.paras:
            return []
        placed = self.rg_notes.placed
        return [n for n in marks_in(flowable) if n in self.rg_notes.paras and n not in placed and n not in self.rg_here]

    def _floor_for(self, numbers: list[int]) -> float:
        _x, bottom, width = self._inner
        return bottom + self.rg_notes.room(self.rg_here + numbers, width)

    def add(self, flowable, canv, trySplit=0):
        if _held_back(flowable, self, canv):
            return 0
        new = self._unplaced(flowable)
        if not new:
            return super().add(flowable, canv, trySplit)
        before = frame_floor(self)
        set_frame_floor(self, self._floor_for(new))
        if not super().add(flowable, canv, trySplit):
            set_frame_floor(self, before)
            return 0
        self.rg_here.extend(new)
        page = canv.getPageNumber()
        for n in new:
            self.rg_notes.placed[n] = page
        return 1

    def split(self, flowable, canv):
        if _held_back(flowable, self, canv):
            return []
        wanted = self._unplaced(flowable)
        if not wanted:
            return super().split(flowable, canv)
        # The part that stays holds the notes of its own marks: a first stretch of ``wanted`` (they come in the order
        # of the marks), the shorter the more room is made for notes. The least room that holds the part's own notes
        # keeps the most on the page: found by halving, ``held(n) <= n`` being true from some n on.
        before = frame_floor(self)
        best = None
        lo, hi = 0, len(wanted)
        try:
            while lo <= hi:
                n = (lo + hi) // 2
                set_frame_floor(self, self._floor_for(wanted[:n]))
                parts = super().split(flowable, canv)
                if (len(self._unplaced(parts[0])) if parts else 0) <= n:
                    best, hi = parts, n - 1
                else:
                    lo = n + 1
            return self._held(best, canv)
        finally:
            set_frame_floor(self, before)

    @staticmethod
    def _held(parts: list, canv) -> list:
        """Return ``parts``, the rest after the first marked to start on the next page (the room left under the first
        is for its notes, not for the rest: the rest of a long table there would repeat its header mid-page)."""
        for rest in parts[1:]:
            rest.__dict__[REST_FROM] = canv.getPageNumber() + 1
        return parts

    def draw_notes(self, canv, colour, tags=UNTAGGED) -> None:
        """Set the page's notes at the foot of the frame: a short rule, then each note (called as the page ends).

        In a tagged document (``tags``, the ``Tagger``) the rule is an
        artifact and each note is drawn as its Note, which stands where its
        mark is in the text.
        """
        numbers = sorted(self.rg_here)
        if not numbers:
            return
        notes = self.rg_notes
        left, bottom, width = self._inner
        y = bottom + notes.room(numbers, width) - ABOVE
        with tags.artifact(canv):
            canv.saveState()
            canv.setStrokeColor(colour)
            canv.setLineWidth(0.5)
            canv.line(left, y, left + width * RULE_LENGTH, y)
            canv.restoreState()
        y -= RULE_GAP
        for n in numbers:
            h = notes.height(n, width)
            with tags.note(canv, n):
                notes.paras[n].drawOn(canv, left, y - h)
            y -= h + BETWEEN
