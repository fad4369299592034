"""The PDF writer's paragraph: ReportLab's, with its line breaking remembered per width.

ReportLab breaks a paragraph into lines on every ``wrap`` call, and a
paragraph is wrapped several times at the same width before it is drawn:
to decide whether a heading keeps with it, to measure a callout or a table
row, again when the frame places it, and (for table cells and contents
entries) each time a long table is split at a page end. The lines depend on
the width alone, so ``Para`` keeps the last result and hands it back when the
width is the same: the same lines, in a fraction of the time.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph


class Para(Paragraph):
    """A ReportLab ``Paragraph`` whose ``wrap`` is computed once per width."""

    _rg_wrapped = None  # (width, (w, h), blPara, wrap widths) of the last wrap

    def wrap(self, availWidth, availHeight):
        last = self._rg_wrapped
        if last is not None and last[0] == availWidth:
            self.width, self.height = last[1]
            self.blPara, self._wrapWidths = last[2], last[3]
            return last[1]
        size = super().wrap(availWidth, availHeight)
        self._rg_wrapped = (availWidth, size, self.blPara, self._wrapWidths)
        return size
