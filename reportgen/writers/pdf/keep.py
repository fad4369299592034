"""``KeepWithNext``: never leave a heading alone at the foot of a page.

Placed just before a heading, it measures the heading (with its rule, and any
subheadings straight after it) and the first lines of what follows, exactly
as they will be set: if they do not fit in the room left in the frame, it ends
the page so the heading starts the next one. Unlike ReportLab's
``keepWithNext`` it needs room only for the first two lines of a long
paragraph (or the first rows of a table), not the whole of it, so it leaves no
gaps.
"""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, ListFlowable
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.doctemplate import FrameBreak

from ...compat.reportlab import frame_is_empty, placing_frame
from .box import Box

_SPLITTABLE = (RLParagraph, RLTable, Box, ListFlowable)
_BIG = 0x7FFFFFFF


class KeepWithNext(CondPageBreak):
    rg_furniture = True  # not content: the stranded-heading check looks past it

    def __init__(self, limit: float):
        super().__init__(0)
        self.flows: list = []  # the heading(s) and their rules, then the first content flowable
        self.limit = limit  # never ask for more room than this (a frame's height, roughly)

    def __repr__(self):
        return f"KeepWithNext({len(self.flows)} flowables)"

    def wrap(self, availWidth, availHeight):
        if self.flows and self.need(availWidth, availHeight) > availHeight:
            frame = placing_frame(self)
            if frame is not None and not frame_is_empty(frame):
                frame.add_generated_content(FrameBreak)
        return 0, 0

    def need(self, width: float, room: float) -> float:
        """Height the heading and the first lines of what follows need."""
        canv = self.canv
        y = 0.0
        for f in self.flows:
            y += f.getSpaceBefore()  # the frame drops the first one only at the top, where we never break
            if isinstance(f, CondPageBreak):  # e.g. a table's own "room for the first rows"
                return min(self.limit, y + f.height)
            if f is not self.flows[-1]:
                _, h = f.wrapOn(canv, width, room)
                y += h + f.getSpaceAfter()
                continue
            left = room - y
            _, h = f.wrapOn(canv, width, _BIG)
            if h <= left:
                return y + h
            if isinstance(f, _SPLITTABLE) and left > 0:
                parts = f.splitOn(canv, width, left)
                if parts:
                    return y + parts[0].wrapOn(canv, width, left)[1]
            if isinstance(f, _SPLITTABLE):
                return min(self.limit, room + 1)  # not even its first lines fit here
            return min(self.limit, y + h)
        return y
