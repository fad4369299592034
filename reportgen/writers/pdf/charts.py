"""Vector charts (reportlab.graphics) for the PDF writer.

``chart_drawing`` turns a ``Chart`` node into a ``Drawing``: grouped or
stacked bars, lines or a pie, with axis labels, gridlines, a rotated value
axis title from ``unit``, a legend, data labels on bars (none on a zero
value) and the theme's chart colours. Axis and labels are written in the
chart's number ``format`` (``numformat``, as the deck's native chart writes
them), else with the decimals the values need. Every string is set in the
theme's sans TTF; the caption and the source line are added by the caller as
paragraphs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ...doctree import Chart
from ...numformat import format_number, implicit_format
from .styles import Kit

if TYPE_CHECKING:
    from reportlab.graphics.charts.barcharts import VerticalBarChart

# ReportLab's chart classes (bars and their axes, lines, pies, markers: about 20 ms to import) are imported
# where a chart is drawn, so that a report without charts never pays for them.

TYPES = ("bar", "stacked-bar", "line", "pie")


# --- numbers ----------------------------------------------------------------


def nice_scale(lo: float, hi: float, ticks: int = 5) -> tuple[float, float, float]:
    """Return (min, max, step) with a 1/2/2.5/5 step covering ``lo``..``hi``."""
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / ticks
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * 0.999)
    return math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step, step


def value_range(kind: str, data: list[list[float | None]]) -> tuple[float, float]:
    """The values the value axis must cover: from zero (bars; a stack's sums of its positive and
    of its negative parts), except for a line whose values are all well above zero."""
    values = [v for row in data for v in row if v is not None]
    if kind == "stacked-bar":
        ncat = len(data[0]) if data else 0
        pos = [sum(max(row[j] or 0, 0) for row in data) for j in range(ncat)]
        neg = [sum(min(row[j] or 0, 0) for row in data) for j in range(ncat)]
        return min(neg + [0]), max(pos + [0])
    if kind == "line" and values and min(values) > 0 and min(values) > 0.5 * max(values):
        return min(values), max(values)
    return min(values + [0]), max(values + [0])


def number(value: float, fmt: str) -> str:
    """``value`` written in the number format ``fmt`` (``numformat``), with a true minus sign."""
    return format_number(value, fmt, minus="\u2212")


def label(value: float | None, fmt: str) -> str:
    """A data label: ``value`` in ``fmt``; none for a hidden (None) or zero value."""
    return "" if value is None or value == 0 else number(value, fmt)


def _luminance(c: colors.Color) -> float:
    return 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue


def _on(c: colors.Color, dark: colors.Color) -> colors.Color:
    """Text colour readable on fill ``c``."""
    return colors.white if _luminance(c) < 0.6 else dark


# --- text helpers -------------------------------------------------------------


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(lines[-1] + " " + word, font, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


class _Ctx:
    def __init__(self, kit: Kit):
        self.font = kit.heading.regular
        self.bold = kit.heading.bold
        self.size = max(7.0, kit.theme.sizes.small - 0.5)
        self.text = kit.colour["text"]
        self.muted = kit.colour["muted"]
        self.grid = kit.colour["rule"]
        self.palette = kit.chart_colours
        self.kit = kit

    def colour(self, i: int) -> colors.Color:
        """Palette colour ``i``; past the end of the palette, lighter tints of it."""
        n = len(self.palette)
        base = self.palette[i % n]
        tint = min(0.7, 0.4 * (i // n))
        if not tint:
            return base
        return colors.Color(*(c + (1 - c) * tint for c in (base.red, base.green, base.blue)))

    def string(self, x, y, text, anchor="start", size=None, colour=None, bold=False) -> String:
        font = self.kit.font_for(text, self.bold if bold else self.font)
        return String(x, y, text, fontName=font, fontSize=size or self.size, fillColor=colour or self.text, textAnchor=anchor)


def _legend(ctx: _Ctx, items: list[tuple[colors.Color, str]], width: float, centre: bool = True) -> tuple[Group, float]:
    """A legend laid out in rows within ``width``; returns the group (top at y=0) and its height."""
    sw, gap, space, row_h = 8.0, 4.0, 14.0, ctx.size * 1.6
    rows: list[list[tuple[colors.Color, str, float]]] = [[]]
    used = 0.0
    for colour, text in items:
        w = sw + gap + stringWidth(text, ctx.kit.font_for(text, ctx.font), ctx.size)
        if rows[-1] and used + space + w > width:
            rows.append([])
            used = 0.0
        used += (space if rows[-1] else 0) + w
        rows[-1].append((colour, text, w))
    g = Group()
    for r, row in enumerate(rows):
        total = sum(w for _, _, w in row) + space * (len(row) - 1)
        x = (width - total) / 2 if centre else 0.0
        y = -(r + 1) * row_h + (row_h - ctx.size) / 2
        for colour, text, w in row:
            g.add(Rect(x, y + 0.5, sw, sw, fillColor=colour, strokeColor=None, strokeWidth=0))
            g.add(ctx.string(x + sw + gap, y + 1, text))
            x += w + space
    return g, len(rows) * row_h


def _tick(v: float, step: float) -> float:
    """A tick value without the float noise of adding steps (-1e-17 is 0, not "-0")."""
    return 0.0 if abs(v) < step * 1e-9 else v


def _value_axis(axis, ctx: _Ctx, lo: float, hi: float, step: float, form: str) -> None:
    axis.valueMin, axis.valueMax, axis.valueStep = lo, hi, step
    axis.labelTextFormat = lambda v: number(_tick(v, step), form)
    axis.labels.fontName = ctx.font
    axis.labels.fontSize = ctx.size
    axis.labels.fillColor = ctx.muted
    axis.labels.dx = -3
    axis.visibleAxis = 0
    axis.visibleTicks = 0
    axis.visibleGrid = 1
    axis.gridStrokeColor = ctx.grid
    axis.gridStrokeWidth = 0.5


def _category_axis(axis, ctx: _Ctx, names: list[str], slot: float) -> float:
    """Configure category labels (wrapped, or slanted when a word is too wide); return their height."""
    font = ctx.kit.font_for("".join(names), ctx.font)
    wrapped = [_wrap(n, font, ctx.size, slot - 4) for n in names]
    axis.labels.fontName = font
    axis.labels.fontSize = ctx.size
    axis.labels.fillColor = ctx.text
    axis.strokeColor = ctx.muted
    axis.strokeWidth = 0.6
    axis.visibleTicks = 0
    axis.labelAxisMode = "low"  # labels under the plot even when the axis sits at zero above negative bars
    too_wide = any(stringWidth(line, font, ctx.size) > slot - 2 for lines in wrapped for line in lines)
    if too_wide or max(len(w) for w in wrapped) > 3:
        axis.categoryNames = list(names)
        axis.labels.angle = 35
        axis.labels.boxAnchor = "ne"
        axis.labels.dy = -4
        longest = max(stringWidth(n, font, ctx.size) for n in names)
        return longest * math.sin(math.radians(35)) + ctx.size + 8
    axis.categoryNames = ["\n".join(w) for w in wrapped]
    axis.labels.boxAnchor = "n"
    axis.labels.dy = -4
    axis.labels.leading = ctx.size * 1.2
    return max(len(w) for w in wrapped) * ctx.size * 1.2 + 8


def _normalise(chart: Chart, warn: Callable[[str, str], None]) -> list[list[float | None]]:
    n = len(chart.categories)
    data = []
    for s in chart.series:
        vals: list[float | None] = [float(v) if v is not None else None for v in s.values]
        if len(vals) != n:
            warn(f"series '{s.name}' has {len(vals)} values for {n} categories", "chart-series")
            vals = (vals + [None] * n)[:n]
        data.append(vals)
    return data


# --- charts -------------------------------------------------------------------


def chart_drawing(chart: Chart, kit: Kit, width: float, warn: Callable[[str, str], None]) -> Drawing | None:
    """Return a Drawing ``width`` wide for ``chart``, or None (with a warning: ``warn(message, code)``) if there is nothing to plot."""
    if not chart.categories or not chart.series:
        warn("it has no categories or series; left out", "chart-empty")
        return None
    kind = chart.type
    if kind not in TYPES:
        warn(f"unknown chart type '{kind}'; drawn as a bar chart", "chart-type")
        kind = "bar"
    ctx = _Ctx(kit)
    data = _normalise(chart, warn)
    if kind == "pie":
        return _pie(chart, data, ctx, width, warn)
    return _xy(chart, kind, data, ctx, width)


def _xy(chart: Chart, kind: str, data: list[list[float | None]], ctx: _Ctx, width: float) -> Drawing:
    height = min(width * 0.5, 250.0)
    d = Drawing(width, height)
    d.initialFontName = ctx.font
    d.initialFontSize = ctx.size

    legend, legend_h = _legend(ctx, [(ctx.colour(i), s.name) for i, s in enumerate(chart.series)], width)
    values = [v for row in data for v in row if v is not None]
    lo, hi, step = nice_scale(*value_range(kind, data))
    axis_format = chart.format or implicit_format([step, lo])
    label_w = max(stringWidth(number(_tick(lo + k * step, step), axis_format), ctx.font, ctx.size) for k in range(int(round((hi - lo) / step)) + 1))
    title_w = ctx.size * 1.3 + 4 if chart.unit else 0.0
    plot_x = title_w + label_w + 8
    plot_w = width - plot_x - 6
    slot = plot_w / len(chart.categories)

    if kind == "line":
        from reportlab.graphics.charts.linecharts import HorizontalLineChart
        from reportlab.graphics.widgets.markers import makeMarker

        c = HorizontalLineChart()
        c.joinedLines = 1
        for i in range(len(data)):
            c.lines[i].strokeColor = ctx.colour(i)
            c.lines[i].strokeWidth = 2
            c.lines[i].symbol = makeMarker("FilledCircle", size=4.5, fillColor=ctx.colour(i), strokeColor=colors.white, strokeWidth=0.6)
    else:
        from reportlab.graphics.charts.barcharts import VerticalBarChart

        c = VerticalBarChart()
        ns = len(data)
        c.barWidth = 10
        c.barSpacing = 1 if kind == "bar" else 0
        c.groupSpacing = 10 * (ns * 0.55 if kind == "bar" else 0.8)
        # Keep bars slim when there are few categories: at most ~38pt wide.
        bars = ns if kind == "bar" else 1
        fill = bars * c.barWidth + (bars - 1) * c.barSpacing
        c.groupSpacing = max(c.groupSpacing, slot * c.barWidth / 38.0 - fill)
        for i in range(ns):
            c.bars[i].fillColor = ctx.colour(i)
            c.bars[i].strokeColor = None
            c.bars[i].strokeWidth = 0
        c.barLabels.fontName = ctx.font
        c.barLabels.fontSize = ctx.size - 0.5
        c.barLabels.fillColor = ctx.text
    cat_h = _category_axis(c.categoryAxis, ctx, chart.categories, slot)
    plot_y = legend_h + 6 + cat_h
    plot_h = height - plot_y - 14
    c.x, c.y, c.width, c.height = plot_x, plot_y, plot_w, plot_h
    c.data = [tuple(row) for row in data]
    _value_axis(c.valueAxis, ctx, lo, hi, step, axis_format)
    label_format = chart.format or implicit_format(values)
    if kind == "stacked-bar":
        c.categoryAxis.style = "stacked"
        _stacked_labels(c, data, ctx, plot_h / (hi - lo), label_format)
    elif kind == "bar":
        # Label bars only when the labels fit over their bars (no overlaps on crowded charts).
        group = len(data) * c.barWidth + (len(data) - 1) * c.barSpacing + c.groupSpacing
        bar_w = slot * c.barWidth / group
        widest = max(stringWidth(label(v, label_format), ctx.font, c.barLabels.fontSize) for v in values) if values else 0
        if widest <= bar_w + 2:
            c.barLabelFormat = lambda v: label(v, label_format)
            c.barLabels.boxAnchor = "s"
            c.barLabels.dy = 1.5

    d.add(c)
    if chart.unit:
        axis_title = Group(ctx.string(0, 0, chart.unit, anchor="middle", colour=ctx.muted), transform=(0, 1, -1, 0, ctx.size + 1, plot_y + plot_h / 2))
        d.add(axis_title)
    legend.translate(0, legend_h)
    d.add(legend)
    return d


def _stacked_labels(c: VerticalBarChart, data: list[list[float | None]], ctx: _Ctx, scale: float, form: str) -> None:
    """Label each stacked segment in its middle when it is tall enough to hold the text (never a zero one)."""
    formats = []
    for i, row in enumerate(data):
        formats.append([(lambda v, f=form: label(v, f)) if v and abs(v) * scale >= ctx.size + 3 else None for v in row])
        for j in range(len(row)):
            lab = c.barLabels[(i, j)]
            lab.boxTarget = "mid"
            lab.boxAnchor = "c"
            lab.fillColor = _on(ctx.colour(i), ctx.text)
    c.barLabelFormat = formats


def _pie(chart: Chart, data: list[list[float | None]], ctx: _Ctx, width: float, warn: Callable[[str, str], None]) -> Drawing | None:
    if len(data) > 1:
        warn("a pie chart shows only its first series", "chart-pie-series")
    pairs = [(name, v) for name, v in zip(chart.categories, data[0]) if v is not None]
    if any(v < 0 for _, v in pairs):
        warn("a pie chart's negative values are left out", "chart-pie-negative")
        pairs = [(n, v) for n, v in pairs if v >= 0]
    total = sum(v for _, v in pairs)
    if total <= 0:
        warn("a pie chart with nothing to show; left out", "chart-empty")
        return None
    height = min(width * 0.42, 210.0)
    d = Drawing(width, height)
    d.initialFontName = ctx.font
    d.initialFontSize = ctx.size
    size = height - 16
    from reportlab.graphics.charts.piecharts import Pie

    p = Pie()
    p.x, p.y = width * 0.28 - size / 2, 8
    p.width = p.height = size
    p.data = [v for _, v in pairs]
    p.startAngle = 90
    p.direction = "clockwise"
    p.slices.strokeColor = colors.white
    p.slices.strokeWidth = 1.2
    p.slices.fontName = ctx.bold
    p.slices.fontSize = ctx.size
    p.slices.labelRadius = 0.68
    p.simpleLabels = 1
    labels = []
    for i, (_, v) in enumerate(pairs):
        share = v / total
        labels.append(f"{share * 100:.0f}%" if share >= 0.05 else "")
        p.slices[i].fillColor = ctx.colour(i)
        p.slices[i].fontColor = _on(ctx.colour(i), ctx.text)
    p.labels = labels
    d.add(p)
    # legend: one entry per slice, in a column to the right of the pie
    form = chart.format or implicit_format([v for _, v in pairs])
    x0 = width * 0.28 + size / 2 + 28
    row_h = ctx.size * 1.9
    top = height / 2 + row_h * len(pairs) / 2
    # the unit follows the number, unless the chart's own format says how the numbers read
    unit = "" if not chart.unit or chart.format else chart.unit if chart.unit == "%" else f" {chart.unit}"
    for i, (name, v) in enumerate(pairs):
        y = top - (i + 1) * row_h + (row_h - ctx.size) / 2
        d.add(Rect(x0, y, 9, 9, fillColor=ctx.colour(i), strokeColor=None, strokeWidth=0))
        d.add(ctx.string(x0 + 15, y + 1, name))
        d.add(ctx.string(width - 4, y + 1, number(v, form) + unit, anchor="end", colour=ctx.muted))
    return d
