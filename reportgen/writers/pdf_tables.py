"""Data tables for the PDF writer: column widths, alignment and style.

Every cell is a Paragraph, so text wraps instead of overflowing; the header
row repeats on each page; columns of numbers are right-aligned unless
``Table.align`` says otherwise.
"""

from __future__ import annotations

import re

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Paragraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from ..doctree import Inline, Table, plain
from .pdf_markup import InlineRenderer
from .pdf_styles import Kit

PAD_X = 6.0
PAD_Y = 3.5

_NUMBER = re.compile(
    r"^[~≈<>±+\-−–]?\s?[$€£¥]?\s?(?:\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?:[.]\d+)?\s?(?:%|[kKmMbB]n?|bn)?$"
)


def is_number(text: str) -> bool:
    """True for cells such as ``1,550``, ``6255``, ``-3.5%``, ``$12bn``."""
    return bool(_NUMBER.match(text.strip()))


def auto_align(columns: int, rows: list[list[str]]) -> list[str]:
    """Right-align a column whose non-empty body cells are all numbers; left otherwise."""
    out = []
    for j in range(columns):
        cells = [r[j].strip() for r in rows if j < len(r) and r[j].strip() and r[j].strip() not in ("-", "–", "—", "n/a")]
        out.append("right" if cells and all(is_number(c) for c in cells) else "left")
    return out


def column_widths(texts: list[list[str]], fonts: list[str], size: float, width: float) -> list[float]:
    """Widths (summing to ``width``) from each column's natural and minimum (longest word) width."""
    n = len(texts[0])
    natural = [0.0] * n
    minimum = [0.0] * n
    for row, font in zip(texts, fonts):
        for j, cell in enumerate(row):
            for line in cell.split("\n"):
                natural[j] = max(natural[j], stringWidth(line, font, size))
                for word in line.split():
                    minimum[j] = max(minimum[j], stringWidth(word, font, size))
    natural = [w + 2 * PAD_X + 1 for w in natural]
    minimum = [min(w + 2 * PAD_X + 1, width * 0.35) for w in minimum]
    natural = [max(a, b, 24.0) for a, b in zip(natural, minimum)]
    total = sum(natural)
    if total <= width:
        # Everything fits on one line: share the spare width, mostly to the wider columns.
        spare = width - total
        return [w + spare * w / total for w in natural]
    base = sum(minimum)
    if base >= width:
        return [w * width / base for w in minimum]
    flex = [a - b for a, b in zip(natural, minimum)]
    room = width - base
    total_flex = sum(flex) or 1.0
    return [m + room * f / total_flex for m, f in zip(minimum, flex)]


def build_table(table: Table, kit: Kit, inline: InlineRenderer, width: float, warn: list[str], where: str) -> list:
    """Return the flowables of ``table``: a caption above and a ReportLab Table."""
    st = kit.styles
    ncols = len(table.columns)
    if ncols == 0:
        warn.append(f"pdf: {where}: table without columns skipped")
        return []
    rows: list[list[list[Inline]]] = []
    for i, row in enumerate(table.rows):
        if len(row) != ncols:
            warn.append(f"pdf: {where}: table row {i + 1} has {len(row)} cells, expected {ncols}")
        rows.append((list(row) + [[] for _ in range(ncols)])[:ncols])
    body_text = [[plain(c) for c in r] for r in rows]
    align = [a if a in ("left", "right", "center") else "left" for a in table.align[:ncols]]
    if len(align) < ncols:
        align += auto_align(ncols, body_text)[len(align):]
    head_text = [plain(c) for c in table.columns]
    sz = st["cell"].fontSize
    widths = column_widths([head_text] + body_text, [kit.heading.bold] + [kit.heading.regular] * len(rows), sz, width)

    suffix = {"left": "", "right": "_right", "center": "_center"}
    data = [[Paragraph(inline.markup(c, kit.heading), st["head" + suffix[a]]) for c, a in zip(table.columns, align)]]
    for r in rows:
        data.append([Paragraph(inline.markup(c, kit.heading), st["cell" + suffix[a]]) for c, a in zip(r, align)])

    c = kit.colour
    cmds = [
        ("FONT", (0, 0), (-1, -1), kit.heading.regular, sz),  # ReportLab's cell default is Helvetica
        ("BACKGROUND", (0, 0), (-1, 0), c["primary"]),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y + 1),
        ("TOPPADDING", (0, 0), (-1, 0), PAD_Y + 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, 0), PAD_Y + 2),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, c["primary"]),
    ]
    if rows:
        cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, c["light"]]))
    rl = RLTable(data, colWidths=widths, repeatRows=1, splitByRow=1, style=TableStyle(cmds), hAlign="LEFT")
    rl.spaceAfter = kit.theme.sizes.body
    out: list = []
    row_h = sz * 1.3 + 2 * PAD_Y + 1
    cap = caption_markup("Table", table.number, table.caption, inline, kit)
    need = row_h * min(len(data), 4) + (st["caption"].leading * 2 if cap else 0) + 6
    out.append(CondPageBreak(need))
    if cap:
        out.append(Paragraph(cap, st["caption"]))
    out.append(rl)
    return out


def caption_markup(kind: str, number: int, caption: list[Inline] | str, inline: InlineRenderer, kit: Kit) -> str:
    """``<b>Table 2:</b> caption`` (or just the caption when unnumbered; "" when neither)."""
    text = inline.text(caption, kit.heading) if isinstance(caption, str) else inline.markup(caption, kit.heading)
    if number > 0:
        return f"<b>{kind} {number}:</b> {text}" if text else f"<b>{kind} {number}</b>"
    return f"<b>{text}</b>" if text else ""
