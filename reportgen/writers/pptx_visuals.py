"""Native tables, charts and pictures on a slide (python-pptx), fitted to a box.

Boxes are (left, top, width, height) in EMU. Tables are measured with the
deck's TTF metrics so rows never grow past the box; ``paginate_table`` says
which rows go on which slide (the header row repeats on each).
"""

from __future__ import annotations

import io

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from ..compat.pptx import SafeCategoryChartData
from ..errors import InputError
from .pptx_fit import LINE, Frame, Measurer, Para, Spec
from .pptx_master import EMU_PER_PT, steady_workbook

CELL_LR = 6.0  # cell insets, points
CELL_TB = 3.5
ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


# --- tables -----------------------------------------------------------------


class TablePlan:
    """Column widths (pt), row heights (pt) and the size the table is set at."""

    def __init__(self, widths: list[float], heights: list[float], size: float):
        self.widths = widths
        self.heights = heights  # [header, row 1, ...]
        self.size = size


def plan_table(m: Measurer, header: list[Para], rows: list[list[Para]], width: float, size: float) -> TablePlan:
    ncols = max(len(header), max((len(r) for r in rows), default=0), 1)
    natural = [0.0] * ncols
    floor = [0.0] * ncols
    for r_i, row in enumerate([header, *rows]):
        bold = r_i == 0
        for c, para in enumerate(row):
            natural[c] = max(natural[c], m.para_width(para, size, bold) + 2 * CELL_LR + 2)
            floor[c] = max(floor[c], m.longest_word(para, size, bold) + 2 * CELL_LR + 2)
    widths = _share(width, natural, floor)
    heights = []
    for r_i, row in enumerate([header, *rows]):
        h = 0.0
        for c in range(ncols):
            para = row[c] if c < len(row) else Para([])
            lines = m.lines(para, size, widths[c] - 2 * CELL_LR, bold=r_i == 0)
            h = max(h, lines * LINE * size + 2 * CELL_TB)
        heights.append(h)
    return TablePlan(widths, heights, size)


def _share(width: float, natural: list[float], floor: list[float]) -> list[float]:
    """Split ``width`` among columns: natural widths if they fit, else proportional above a floor."""
    n = len(natural)
    if sum(natural) <= width:
        return [w * width / sum(natural) for w in natural]
    floor = [min(f, width / n * 1.6) for f in floor]
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
    """Row indices (1-based into ``heights``; 0 is the header) for each page, evened out."""
    pages = _greedy_rows(heights, avail)
    lo, hi = max(heights), avail
    for _ in range(20):
        mid = (lo + hi) / 2
        trial = _greedy_rows(heights, mid)
        if len(trial) <= len(pages):
            pages, hi = trial, mid
        else:
            lo = mid
    return pages


def _greedy_rows(heights: list[float], avail: float) -> list[list[int]]:
    pages: list[list[int]] = [[]]
    used = heights[0]
    for i in range(1, len(heights)):
        if pages[-1] and used + heights[i] > avail:
            pages.append([])
            used = heights[0]
        pages[-1].append(i)
        used += heights[i]
    return pages


def add_table(slide, box, plan: TablePlan, header: list[Para], rows: list[list[Para]], align: list[str], theme, fill_runs) -> object:
    """Add a native table at the top of ``box`` with ``rows`` (already paginated)."""
    left, top, width, _height = box
    ncols = len(plan.widths)
    heights = plan.heights
    total_h = sum(heights)
    gf = slide.shapes.add_table(len(rows) + 1, ncols, left, top, width, Emu(int(total_h * EMU_PER_PT)))
    table = gf.table
    tbl_pr = gf._element.graphic.graphicData.tbl.tblPr
    tbl_pr.set("bandRow", "0")
    tbl_pr.set("firstRow", "1")
    acc = 0
    for c, w in enumerate(plan.widths):
        emu = int(w * EMU_PER_PT) if c < ncols - 1 else int(width) - acc
        table.columns[c].width = Emu(emu)
        acc += emu
    pal = theme.palette
    for r_i, row in enumerate([header, *rows]):
        table.rows[r_i].height = Emu(int(heights[r_i] * EMU_PER_PT))
        for c in range(ncols):
            cell = table.cell(r_i, c)
            cell.margin_left = cell.margin_right = Pt(CELL_LR)
            cell.margin_top = cell.margin_bottom = Pt(CELL_TB)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            if r_i == 0:
                cell.fill.fore_color.rgb = rgb(pal.primary)
            else:
                cell.fill.fore_color.rgb = rgb(pal.light if r_i % 2 == 0 else pal.background)
            tf = cell.text_frame
            tf.word_wrap = True
            para = row[c] if c < len(row) else Para([])
            p = tf.paragraphs[0]
            if c < len(align) and align[c] in ALIGN:
                p.alignment = ALIGN[align[c]]
            fill_runs(p, para.runs, plan.size, bold=r_i == 0, colour=pal.background if r_i == 0 else pal.text)
    return gf


# --- charts -----------------------------------------------------------------

_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked-bar": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
}


def chart_type(kind: str):
    return _TYPES.get(kind, XL_CHART_TYPE.COLUMN_CLUSTERED)


def add_chart(slide, box, chart, theme, size: float = 14, title: bool = True):
    """Add ``chart`` (a doctree Chart) as a native chart filling ``box`` (with its own title if ``title``)."""
    integral = all(float(v).is_integer() for s in chart.series for v in s.values)
    fmt = "#,##0" if integral else "#,##0.0#"  # 6,255 as in the report
    data = SafeCategoryChartData(number_format=fmt)  # names stay text in the embedded workbook
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, [float(v) for v in s.values])
    left, top, width, height = box
    gf = slide.shapes.add_chart(chart_type(chart.type), left, top, width, height, data)
    ch = gf.chart
    steady_workbook(ch)
    _positive_axis_ids(ch._chartSpace)
    colours = list(theme.palette.chart)
    ch.font.size = Pt(size - 2)
    ch.font.name = theme.family("deck").office_name
    ch.font.color.rgb = rgb(theme.palette.text)
    if chart.title and title:
        ch.has_title = True
        tf = ch.chart_title.text_frame
        tf.text = chart.title
        for p in tf.paragraphs:
            for r in p.runs:
                r.font.size = Pt(size + 2)
                r.font.bold = True
                r.font.color.rgb = rgb(theme.palette.primary)
    else:
        ch.has_title = False
    ch.has_legend = chart.type == "pie" or len(chart.series) > 1
    if ch.has_legend:
        ch.legend.position = XL_LEGEND_POSITION.BOTTOM
        ch.legend.include_in_layout = False
        ch.legend.font.size = Pt(size - 2)
    plot = ch.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(size - 3)
    if chart.type == "pie":
        labels.number_format = "0%"
        labels.number_format_is_linked = False
        labels.show_percentage = True
        labels.show_value = False
        labels.show_category_name = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        for j, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(colours[j % len(colours)])
            point.format.line.color.rgb = rgb(theme.palette.background)
    else:
        labels.number_format = fmt
        labels.number_format_is_linked = False
        labels.show_value = True
        if chart.type == "bar":
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        elif chart.type == "stacked-bar":
            labels.position = XL_LABEL_POSITION.CENTER
            labels.font.color.rgb = rgb(theme.palette.background)
        else:
            labels.position = XL_LABEL_POSITION.ABOVE
        if chart.type in ("bar", "stacked-bar"):
            plot.gap_width = 70
            if chart.type == "stacked-bar":
                plot.overlap = 100
        for i, series in enumerate(plot.series):
            colour = rgb(colours[i % len(colours)])
            if chart.type == "line":
                series.smooth = False
                series.format.line.color.rgb = colour
                series.format.line.width = Pt(2.5)
                series.marker.style = XL_MARKER_STYLE.CIRCLE
                series.marker.size = 7
                series.marker.format.fill.solid()
                series.marker.format.fill.fore_color.rgb = colour
                series.marker.format.line.color.rgb = colour
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = colour
        va = ch.value_axis
        va.has_major_gridlines = True
        va.major_gridlines.format.line.color.rgb = rgb(theme.palette.rule)
        va.major_gridlines.format.line.width = Pt(0.75)
        va.format.line.fill.background()
        va.tick_labels.font.size = Pt(size - 3)
        va.tick_labels.number_format = fmt
        va.tick_labels.number_format_is_linked = False
        va.tick_labels.font.color.rgb = rgb(theme.palette.muted)
        if chart.unit:
            va.has_title = True
            va.axis_title.text_frame.text = chart.unit
            for r in va.axis_title.text_frame.paragraphs[0].runs:
                r.font.size = Pt(size - 3)
                r.font.bold = False
        ca = ch.category_axis
        ca.tick_labels.font.size = Pt(size - 2)
        ca.format.line.color.rgb = rgb(theme.palette.rule)
        ca.has_major_gridlines = False
    return gf


def _positive_axis_ids(space) -> None:
    """python-pptx writes negative axis ids; the schema wants unsignedInt (validators flag them)."""
    for tag in ("c:axId", "c:crossAx"):
        for el in space.iter(qn(tag)):
            v = int(el.get("val"))
            if v < 0:
                el.set("val", str(v & 0x7FFFFFFF))


# --- pictures ---------------------------------------------------------------


NATIVE = {"PNG": "png", "JPEG": "jpeg"}  # placed as they are; any other format Pillow reads becomes PNG


def picture_source(path: str):
    """Return (the image's bytes as a stream, (width px, height px)) for the image at ``path``.

    PNG and JPEG (RGB or greyscale) are placed as they are. GIF (first frame),
    BMP, TIFF, WebP and any other format Pillow reads are converted to PNG, so
    every viewer shows them. An unreadable file is an ``InputError``.
    """
    from PIL import Image as PILImage, UnidentifiedImageError

    try:
        with PILImage.open(path) as im:
            fmt = im.format or "?"
            size = im.size
            if fmt in NATIVE and im.mode in ("RGB", "L", "RGBA", "LA", "P", "1"):
                # The bytes, never the path: python-pptx writes a file's name into the slide XML
                # unescaped (a quote in the name broke the XML, or added attributes).
                with open(path, "rb") as fh:
                    return io.BytesIO(fh.read()), size
            im.seek(0)
            frame = im.convert("RGBA" if im.mode in ("RGBA", "LA", "P", "PA") or "transparency" in im.info else "RGB")
            buf = io.BytesIO()
            frame.save(buf, "PNG", optimize=False)
            buf.seek(0)
            return buf, size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise InputError(
            f"{path}: figure is not an image reportgen can place ({exc.__class__.__name__}: {exc}); "
            "use PNG or JPEG (GIF, BMP, TIFF and WebP are converted to PNG)"
        ) from None


def add_figure(slide, box, path: str, alt: str):
    """Add the picture at ``path`` scaled into ``box`` (aspect kept, centred), alt text ``alt``."""
    left, top, width, height = box
    src, (px_w, px_h) = picture_source(path)
    scale = min(width / px_w, height / px_h)
    w, h = int(px_w * scale), int(px_h * scale)
    pic = slide.shapes.add_picture(src, left + (width - w) // 2, top + (height - h) // 2, w, h)
    c_nv = pic._element.find(f"{qn('p:nvPicPr')}/{qn('p:cNvPr')}")
    c_nv.set("descr", alt)  # python-pptx puts the file name there: never leave a path
    c_nv.set("name", f"Figure {c_nv.get('id')}")
    return pic


def add_textbox(slide, box, paras: list[Para], size: float, fill_para, frame: Frame, m: Measurer, floor: float):
    """A free text box at ``box`` holding ``paras`` at ``size`` (used for sources and captions)."""
    left, top, width, height = box
    tb = slide.shapes.add_textbox(left, top, width, height)
    tf = tb.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    ins = frame.insets
    tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = (Pt(v) for v in ins)
    spec = Spec(size, floor)
    for i, para in enumerate(paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        fill_para(p, para, spec, first=i == 0)
    return tb
