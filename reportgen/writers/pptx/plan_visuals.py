"""Planning native tables, charts and pictures on a slide: their boxes, sizes, pages and captions. Pure.

Boxes are (left, top, width, height) in EMU. Tables are measured with the
deck's TTF metrics so rows never grow past the box; ``paginate_table`` says
which rows go on which slide (the header row repeats on each). Pictures are
read here (Pillow, imported when a deck has one) to place them by their
pixel size; emitting only draws what this module decided.
"""

from __future__ import annotations

import io

from ...doctree import Chart, Figure, plain
from ...errors import InputError
from ...numformat import format_number
from .blocks import runs_of
from .fit import LINE, Frame, Measurer, Para, Run, Spec, steps
from .model import Caption, ChartVisual, FigureVisual, TablePlan
from .units import EMU_PER_PT, Box, pt

CELL_LR = 6.0  # cell insets, points
CELL_TB = 3.5
GAP = 8 * EMU_PER_PT  # between stacked things in the body area
CAPTION_INSETS = (0.0, 2.0, 0.0, 2.0)  # points


# --- tables -----------------------------------------------------------------


def plan_table(m: Measurer, header: list[Para], rows: list[list[Para]], width: float, size: float) -> tuple[TablePlan, list[int]]:
    """Return the table's plan at ``size`` (column widths from content, row heights) and the columns whose
    longest word is wider than the column can be (empty: no word is broken inside)."""
    ncols = max(len(header), max((len(r) for r in rows), default=0), 1)
    natural = [0.0] * ncols
    floor = [0.0] * ncols
    for r_i, row in enumerate([header, *rows]):
        bold = r_i == 0
        for c, para in enumerate(row):
            natural[c] = max(natural[c], m.para_width(para, size, bold) + 2 * CELL_LR + 2)
            floor[c] = max(floor[c], m.longest_word(para, size, bold) + 2 * CELL_LR + 2)
    widths = share_width(width, natural, floor)
    broken = [c for c in range(ncols) if widths[c] + 0.01 < floor[c]]
    heights = []
    for r_i, row in enumerate([header, *rows]):
        h = 0.0
        for c in range(ncols):
            para = row[c] if c < len(row) else Para([])
            lines = m.lines(para, size, widths[c] - 2 * CELL_LR, bold=r_i == 0)
            h = max(h, lines * LINE * size + 2 * CELL_TB)
        heights.append(h)
    return TablePlan(widths, heights, size), broken


def share_width(width: float, natural: list[float], floor: list[float]) -> list[float]:
    """Return ``width`` split among columns: their natural widths scaled up when they all fit; else every
    column at least as wide as its longest word, the widest capped at a common level; only when the
    longest words alone are wider than ``width``, in proportion to them (words then break inside)."""
    n = len(natural)
    if sum(natural) <= width:
        return [w * width / sum(natural) for w in natural]
    if sum(floor) >= width:
        return [width * f / sum(floor) for f in floor]
    # Water-fill: cap wide columns at a common level so the total equals width.
    lo, hi = 0.0, max(natural)
    for _ in range(60):
        cap = (lo + hi) / 2
        total = sum(max(f, min(nw, cap)) for nw, f in zip(natural, floor))
        if total > width:
            hi = cap
        else:
            lo = cap
    widths = [max(f, min(nw, lo)) for nw, f in zip(natural, floor)]
    extra = (width - sum(widths)) / n
    return [w + extra for w in widths]


def paginate_table(heights: list[float], avail: float) -> list[list[int]]:
    """Return the row indices (1-based into ``heights``; 0 is the header, repeated on each) of each slide,
    every slide filled before the next is begun."""
    pages: list[list[int]] = [[]]
    used = heights[0]
    for i in range(1, len(heights)):
        if pages[-1] and used + heights[i] > avail:
            pages.append([])
            used = heights[0]
        pages[-1].append(i)
        used += heights[i]
    return pages


def choose_table(m: Measurer, header, rows, width: float, avail: float, start: float, floor: float, single: bool):
    """Return (the table's plan, its rows per slide, the columns whose words break) for ``avail`` points.

    Sizes go down from ``start`` to ``floor``; only sizes at which no word
    breaks inside its cell count (unless none does: then the smallest). Beside
    other visuals (not ``single``) the table takes the largest size that fits
    on the slide. Alone on its slide it takes the fewest slides any size
    needs, at the largest size that needs no more: the text is made smaller
    before rows are split, and each slide is filled before the next.
    """
    options = [(plan, broken, paginate_table(plan.heights, avail)) for plan, broken in (plan_table(m, header, rows, width, size) for size in steps(start, floor))]
    whole = [o for o in options if not o[1]] or options[-1:]
    if not single:
        plan, broken, _pages = next((o for o in whole if sum(o[0].heights) <= avail), whole[-1])
        return plan, [list(range(1, len(plan.heights)))], broken
    fewest = min(len(o[2]) for o in whole)
    plan, broken, pages = next(o for o in whole if len(o[2]) == fewest)
    return plan, pages, broken


def page_of(plan: TablePlan, idx: list[int]) -> TablePlan:
    """The plan of the header and rows ``idx`` (1-based) of ``plan``."""
    return TablePlan(plan.widths, [plan.heights[0]] + [plan.heights[i] for i in idx], plan.size)


# --- captions ---------------------------------------------------------------


def caption_height(m: Measurer, margins, width: int, height: int, paras: list[Para], size: float) -> int:
    """The room (EMU) a caption of ``paras`` takes below a table in a box ``width`` wide, with the gap above it."""
    frame = Frame(pt(width), pt(height), CAPTION_INSETS, margins)
    return int((m.height(paras, Spec(size, size, first_space=False), frame) + 6.0) * EMU_PER_PT) + GAP // 2


def caption(m: Measurer, margins, vbox: Box, paras: list[Para], size: float) -> tuple[Caption, int]:
    """``paras`` as a small text box at the bottom of ``vbox``, and its height (EMU)."""
    left, top, width, height = vbox
    frame = Frame(pt(width), pt(height), CAPTION_INSETS, margins)
    spec = Spec(size, size, first_space=False)
    for p in paras:
        p.bullet, p.level, p.hang = "none", 0, False
    h = m.height(paras, spec, frame) + 4.0 + 2.0
    h_emu = int(h * EMU_PER_PT)
    return Caption((left, top + height - h_emu, width, h_emu), paras, size, CAPTION_INSETS), h_emu


# --- charts and pictures ----------------------------------------------------


def chart_visual(m: Measurer, margins, vbox: Box, chart: Chart, small: float, size: float, slide_title: str, source_label: str = "Source:",
                 alt: str = "") -> ChartVisual:
    """``chart`` filling ``vbox``, less its source line below it; no title of its own when the slide's says it; ``alt`` its text alternative."""
    left, top, width, height = vbox
    used = 0
    source = None
    if chart.source:
        source, h = caption(m, margins, vbox, [Para([Run(f"{source_label} {chart.source}", italic=True)])], small)
        used = h + GAP // 2
    same = chart.title.strip().casefold() == slide_title.strip().casefold()  # said once is enough
    form = chart_format(chart)
    shares = chart.type == "pie" and not chart.format
    low = chart.type != "pie" and any(v < 0 for s in chart.series for v in s.values)
    return ChartVisual((left, top, width, height - used), chart, size, title=not same, caption=source, number_format=form,
                       labels=chart_labels(chart, form), label_format=PIE_LABELS if shares else form, shares=shares, low_categories=low, alt=alt)


def chart_format(chart: Chart) -> str:
    """The native chart's number format: the chart's own, else the decimals its values need (6,255 as in the report)."""
    if chart.format:
        return chart.format
    integral = all(float(x).is_integer() for s in chart.series for x in s.values)
    return "#,##0" if integral else "#,##0.0#"


PIE_LABELS = "0%"  # the data labels of a pie with no format of its own: each slice's share


def chart_labels(chart: Chart, form: str) -> list[list[str]]:
    """Each series' data labels as the native chart draws them (``format_number``): the values in ``form``,
    but for a pie with no format of its own each slice's share; "" (no label) for a zero value."""
    if chart.type == "pie" and not chart.format:
        total = sum(v for v in chart.series[0].values if v > 0) if chart.series else 0
        return [[format_number(v / total, PIE_LABELS) if v and total else "" for v in s.values] for s in chart.series]
    return [[format_number(v, form) if v else "" for v in s.values] for s in chart.series]


def figure_visual(m: Measurer, margins, vbox: Box, fig: Figure, small: float) -> FigureVisual:
    """``fig`` scaled into ``vbox`` (aspect kept, centred) above its caption; alt text from its alt, else its caption."""
    left, top, width, height = vbox
    used = 0
    cap = None
    if fig.caption:
        cap, h = caption(m, margins, vbox, [Para(runs_of(fig.caption))], small)
        used = h + GAP // 2
    alt = " ".join(fig.alt.split()) or " ".join(plain(fig.caption).split())
    image, (px_w, px_h) = picture_source(fig.path)
    height -= used
    scale = min(width / px_w, height / px_h)
    w, h = int(px_w * scale), int(px_h * scale)
    return FigureVisual((left + (width - w) // 2, top + (height - h) // 2, w, h), image, (px_w, px_h), alt, cap)


NATIVE = {"PNG": "png", "JPEG": "jpeg"}  # placed as they are; any other format Pillow reads becomes PNG


def picture_source(path: str) -> tuple[bytes, tuple[int, int]]:
    """Return (the image's bytes, (width px, height px)) for the image at ``path``.

    PNG and JPEG (RGB or greyscale) are placed as they are. GIF (first frame),
    BMP, TIFF, WebP and any other format Pillow reads are converted to PNG, so
    every viewer shows them. An unreadable file is an ``InputError``.
    """
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with PILImage.open(path) as im:
            fmt = im.format or "?"
            size = im.size
            if fmt in NATIVE and im.mode in ("RGB", "L", "RGBA", "LA", "P", "1"):
                # The bytes, never the path: python-pptx writes a file's name into the slide XML
                # unescaped (a quote in the name broke the XML, or added attributes).
                with open(path, "rb") as fh:
                    return fh.read(), size
            im.seek(0)
            frame = im.convert("RGBA" if im.mode in ("RGBA", "LA", "P", "PA") or "transparency" in im.info else "RGB")
            buf = io.BytesIO()
            frame.save(buf, "PNG", optimize=False)
            return buf.getvalue(), size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InputError(
            f"{path}: figure is not an image reportgen can place ({exc.__class__.__name__}: {exc}); "
            "use PNG or JPEG (GIF, BMP, TIFF and WebP are converted to PNG)"
        ) from None
