"""Drawing planned tables, charts, pictures and captions as native python-pptx objects.

Every box, size and row here was decided by the plan (``plan_visuals``);
these functions only draw, in the theme's colours and fonts.
"""

from __future__ import annotations

import io

from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from ...compat.pptx import hide_data_labels, qn, safe_chart_data
from .fit import Para, Spec
from .model import Caption, ChartVisual, FigureVisual, TableVisual
from .package import steady_workbook
from .plan_visuals import CELL_LR, CELL_TB
from .theme_part import text_on
from .units import EMU_PER_PT

ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def add_table(slide, v: TableVisual, theme, fill_runs) -> object:
    """Add the planned table page ``v`` as a native table at the top of its box."""
    left, top, width, _height = v.box
    plan = v.layout
    ncols = len(plan.widths)
    heights = plan.heights
    total_h = sum(heights)
    gf = slide.shapes.add_table(len(v.rows) + 1, ncols, left, top, width, Emu(int(total_h * EMU_PER_PT)))
    table = gf.table
    tbl_pr = gf.element.find(f"{qn('a:graphic')}/{qn('a:graphicData')}/{qn('a:tbl')}/{qn('a:tblPr')}")
    tbl_pr.set("bandRow", "0")
    tbl_pr.set("firstRow", "1")
    acc = 0
    for c, w in enumerate(plan.widths):
        emu = int(w * EMU_PER_PT) if c < ncols - 1 else int(width) - acc
        table.columns[c].width = Emu(emu)
        acc += emu
    pal = theme.palette
    on_fill = {}  # (header?, fill) -> the text colour legible on it: the header's the background's if it can, the rows' the text's
    for r_i, row in enumerate([v.header, *v.rows]):
        table.rows[r_i].height = Emu(int(heights[r_i] * EMU_PER_PT))
        for c in range(ncols):
            cell = table.cell(r_i, c)
            cell.margin_left = cell.margin_right = Pt(CELL_LR)
            cell.margin_top = cell.margin_bottom = Pt(CELL_TB)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            fill = pal.primary if r_i == 0 else pal.light if r_i % 2 == 0 else pal.background
            cell.fill.fore_color.rgb = rgb(fill)
            key = (r_i == 0, fill)
            if key not in on_fill:
                on_fill[key] = "#" + text_on(fill, [pal.background, pal.text] if r_i == 0 else [pal.text, pal.background])
            tf = cell.text_frame
            tf.word_wrap = True
            para = row[c] if c < len(row) else Para([])
            p = tf.paragraphs[0]
            if c < len(v.align) and v.align[c] in ALIGN and v.align[c] != "left":  # left is a cell's own default
                p.alignment = ALIGN[v.align[c]]
            fill_runs(p, para.runs, plan.size, bold=r_i == 0, colour=on_fill[key], links_in_colour=r_i == 0)
    return gf


_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked-bar": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "pie": XL_CHART_TYPE.PIE,
}


def chart_type(kind: str):
    return _TYPES.get(kind, XL_CHART_TYPE.COLUMN_CLUSTERED)


def add_chart(slide, v: ChartVisual, theme):
    """Add the planned chart as a native chart filling its box (with its own title if the plan says so),
    in its planned number format, with no label where the plan has none (a zero value); a pie's labels in
    its planned label format, showing the values or (``shares``) each slice's share."""
    chart, size = v.chart, v.size
    fmt = v.number_format  # the data's, the labels' and the value axis': PowerPoint keeps it when the data is edited
    data = safe_chart_data(fmt)  # names stay text in the embedded workbook
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, [float(x) for x in s.values])
    left, top, width, height = v.box
    gf = slide.shapes.add_chart(chart_type(chart.type), left, top, width, height, data)
    ch = gf.chart
    steady_workbook(ch)
    _positive_axis_ids(ch.element)
    colours = list(theme.palette.chart)
    ch.font.size = Pt(size - 2)
    ch.font.name = theme.family("deck").office_name
    ch.font.color.rgb = rgb(theme.palette.text)
    if chart.title and v.title:
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
        labels.number_format = v.label_format
        labels.number_format_is_linked = False
        labels.show_percentage = v.shares
        labels.show_value = not v.shares
        labels.show_category_name = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        for j, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(colours[j % len(colours)])
            point.format.line.color.rgb = rgb(theme.palette.background)
    else:
        _series_look(ch, plot, labels, chart, fmt, colours, size, theme)
        if v.low_categories:  # at the plot area's foot: the labels of negative values hang below the zero line
            ch.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    for series, texts in zip(plot.series, v.labels):
        hide_data_labels(series, [j for j, text in enumerate(texts) if not text])
    return gf


def _series_look(ch, plot, labels, chart, fmt: str, colours: list[str], size: float, theme) -> None:
    """Labels, colours, gridlines and axes of a bar, stacked-bar or line chart."""
    labels.number_format = fmt
    labels.number_format_is_linked = False
    labels.show_value = True
    if chart.type == "bar":
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    elif chart.type == "stacked-bar":  # inside each segment: per series, a colour legible on its fill (below)
        labels.position = XL_LABEL_POSITION.CENTER
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
        if chart.type == "stacked-bar":
            fill = colours[i % len(colours)]
            series.data_labels.font.color.rgb = rgb(text_on(fill, [theme.palette.background, theme.palette.text]))
            series.data_labels.font.size = Pt(size - 3)
            series.data_labels.number_format = fmt
            series.data_labels.number_format_is_linked = False
            series.data_labels.show_value = True
            series.data_labels.position = XL_LABEL_POSITION.CENTER
    va = ch.value_axis
    if chart.type in ("bar", "stacked-bar") and all(x >= 0 for s in chart.series for x in s.values):
        va.minimum_scale = 0  # bars stand on zero: an axis starting above it would exaggerate differences
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


def _positive_axis_ids(space) -> None:
    """python-pptx writes negative axis ids; the schema wants unsignedInt (validators flag them)."""
    for tag in ("c:axId", "c:crossAx"):
        for el in space.iter(qn(tag)):
            x = int(el.get("val"))
            if x < 0:
                el.set("val", str(x & 0x7FFFFFFF))


def add_figure(slide, v: FigureVisual):
    """Add the planned picture at its box, alt text as planned."""
    pic = slide.shapes.add_picture(io.BytesIO(v.image), *v.box)
    c_nv = pic.element.find(f"{qn('p:nvPicPr')}/{qn('p:cNvPr')}")
    c_nv.set("descr", v.alt)  # python-pptx puts the file name there: never leave a path
    c_nv.set("name", f"Figure {c_nv.get('id')}")
    return pic


def add_caption(slide, cap: Caption, fill_para):
    """A free text box at the caption's box holding its paragraphs (sources and captions)."""
    left, top, width, height = cap.box
    tb = slide.shapes.add_textbox(left, top, width, height)
    tf = tb.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = (Pt(x) for x in cap.insets)
    spec = Spec(cap.size, cap.size)
    for i, para in enumerate(cap.paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        fill_para(p, para, spec, first=i == 0)
    tf.paragraphs[0].space_before = Pt(0)
    return tb
