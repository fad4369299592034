"""``Box``: flowables on a tinted panel with a coloured bar on the left.

Used for callouts and quotes. Unlike a one-cell Table it splits between and
inside its flowables, so a box longer than a page continues on the next one
(ReportLab's in-row table splitting can loop forever on long cells). A box
whose first flowable is its title (``titled``: a callout's) never leaves it
alone at the foot of a page: it goes whole to the next, unless it already
starts a page.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from ...compat.reportlab import frame_is_empty, placing_frame


class Box(Flowable):
    def __init__(self, content, *, fill=None, edge=None, bar=4.0, pad_x=14.0, pad_top=10.0, pad_bottom=8.0, inset=0.0, first=True, last=True,
                 titled=False):
        super().__init__()
        self.titled = titled  # its first flowable is its title, kept with what follows it
        self.content = list(content)
        self.inset = inset  # margin left and right of the whole box
        self.fill, self.edge, self.bar = fill, edge, bar
        self.pad_x, self.pad_top, self.pad_bottom = pad_x, pad_top, pad_bottom
        self.first, self.last = first, last  # a continued box has no top padding, a cut one no bottom
        self._placed: list[tuple[Flowable, float, float]] = []  # flowable, y offset from the top, height

    def _copy(self, content, first, last) -> Box:
        b = Box(content, fill=self.fill, edge=self.edge, bar=self.bar, pad_x=self.pad_x, pad_top=self.pad_top, pad_bottom=self.pad_bottom, inset=self.inset, first=first, last=last,
                titled=self.titled)
        b.spaceBefore = getattr(self, "spaceBefore", 0) if first else 0
        b.spaceAfter = getattr(self, "spaceAfter", 0) if last else 0
        return b

    @property
    def _top(self) -> float:
        return self.pad_top if self.first else 4.0

    @property
    def _bottom(self) -> float:
        return self.pad_bottom if self.last else 2.0

    def _inner(self, width: float) -> float:
        return width - 2 * self.inset - self.bar - 2 * self.pad_x

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        inner = self._inner(availWidth)
        y = self._top
        self._placed = []
        for i, f in enumerate(self.content):
            if i:
                y += f.getSpaceBefore()
            _, h = f.wrapOn(self.canv, inner, 0x7FFFFFFF)
            self._placed.append((f, y, h))
            y += h
            if i < len(self.content) - 1:
                y += f.getSpaceAfter()
        self.height = y + self._bottom
        return self.width, self.height

    def split(self, availWidth, availHeight):
        room = availHeight - self._top - 2.0
        taken, rest = self._cut(availWidth, room)
        if taken and not rest and self._bottom > 2.0:
            # the content fits but not with the box's own bottom padding: cut again with room for it
            taken, rest = self._cut(availWidth, room - (self._bottom - 2.0))
        if not taken or not rest:
            return []
        if self.titled and self.first and len(taken) == 1:  # its title alone (or the title's first lines) at the foot
            frame = placing_frame(self)
            if frame is None or not frame_is_empty(frame):
                return []
        return [self._copy(taken, self.first, False), self._copy(rest, False, self.last)]

    def _cut(self, availWidth, room):
        inner = self._inner(availWidth)
        y = 0.0
        taken: list[Flowable] = []
        rest: list[Flowable] = []
        for i, f in enumerate(self.content):
            before = f.getSpaceBefore() if taken else 0.0
            _, h = f.wrapOn(self.canv, inner, room - y - before)
            if y + before + h <= room:
                taken.append(f)
                y += before + h + f.getSpaceAfter()
                continue
            parts = f.splitOn(self.canv, inner, room - y - before) if room - y - before > 0 else []
            if parts and y + before + parts[0].wrapOn(self.canv, inner, room - y - before)[1] > room:
                parts = []  # e.g. a list's first item taller than the room left: ReportLab splits it anyway
            if parts:
                taken.append(parts[0])
                rest = list(parts[1:]) + self.content[i + 1 :]
            else:
                rest = self.content[i:]
            break
        return taken, rest

    def draw(self):
        canv = self.canv
        left = self.inset
        canv.saveState()
        if self.fill is not None:
            canv.setFillColor(self.fill)
            canv.rect(left, 0, self.width - 2 * left, self.height, stroke=0, fill=1)
        if self.edge is not None:
            canv.setFillColor(self.edge)
            canv.rect(left, 0, self.bar, self.height, stroke=0, fill=1)
        canv.restoreState()
        x = left + self.bar + self.pad_x
        for f, y, h in self._placed:
            f.drawOn(canv, x, self.height - y - h)
