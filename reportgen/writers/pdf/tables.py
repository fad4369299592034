"""Data tables for the PDF writer: column widths, alignment and style.

Every cell is a Paragraph, so text wraps instead of overflowing; the header
row repeats on each page; each column is aligned as ``Table.align`` says
(composing decided it: numbers right, ``compose.decide``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, TableStyle
from reportlab.platypus import Table as RLTable

from ...doctree import Inline, Table, plain
from ...markup import esc
from .markup import InlineRenderer
from .para import Para
from .styles import Kit
from .tags import Node, TableTagger, Tree, table_cells
from .templates import landscape_pages

PAD_X = 6.0
PAD_Y = 3.5

def _breakable(size: float) -> float:
    """Words wider than this (URLs, long compounds) are broken across lines rather than widen a column."""
    return size * 11.0


def _long(word: str) -> bool:
    """URLs, paths and other very long tokens: always breakable."""
    return len(word) > 24 or "://" in word or word.count("/") > 1


def minimum_widths(texts: list[list[str]], fonts: list[str], size: float, cap: bool = True) -> list[float]:
    """Each column's narrowest width: its longest word (at most ``_breakable`` when ``cap``, or when
    the word is a URL or longer than 24 characters), plus padding."""
    limit = _breakable(size)
    minimum = [0.0] * len(texts[0])
    for row, font in zip(texts, fonts):
        for j, cell in enumerate(row):
            for word in cell.split():
                w = stringWidth(word, font, size)
                minimum[j] = max(minimum[j], min(w, limit) if cap or _long(word) else w)
    return [w + 2 * PAD_X + 1 for w in minimum]


def column_widths(texts: list[list[str]], fonts: list[str], size: float, width: float) -> list[float]:
    """Widths (summing to ``width``) from each column's natural (one-line) and minimum (longest word) width.

    Every column first gets its longest word (whole if all fit, else with very
    long words broken); the rest of the width is then shared out like water:
    columns short of their natural width get equal shares, so a narrow column
    reaches one line before a column of long prose takes the remainder.
    """
    n = len(texts[0])
    natural = [0.0] * n
    for row, font in zip(texts, fonts):
        for j, cell in enumerate(row):
            for line in cell.split("\n"):
                natural[j] = max(natural[j], stringWidth(line, font, size))
    natural = [max(w + 2 * PAD_X + 1, 24.0) for w in natural]
    minimum = minimum_widths(texts, fonts, size, cap=False)
    if sum(minimum) > width:
        minimum = minimum_widths(texts, fonts, size, cap=True)
    if sum(minimum) >= width:
        return [w * width / sum(minimum) for w in minimum]
    natural = [max(a, b) for a, b in zip(natural, minimum)]
    total = sum(natural)
    if total <= width:
        # Everything fits on one line: share the spare width, mostly to the wider columns.
        spare = width - total
        return [w + spare * w / total for w in natural]
    widths = list(minimum)
    spare = width - sum(widths)
    while spare > 1e-6:
        wanting = [j for j in range(n) if natural[j] - widths[j] > 1e-6]
        if not wanting:
            break
        share = spare / len(wanting)
        for j in wanting:
            give = min(share, natural[j] - widths[j])
            widths[j] += give
            spare -= give
    return widths


class TableTooWide(Exception):
    """A table that cannot be set within the frame, even at the theme's minimum size (``message`` says why)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Fit:
    size: float  # cell text size
    landscape: bool  # on a landscape page of its own
    width: float  # the frame width it is set in


def fit_table(texts: list[list[str]], kit: Kit, width: float) -> Fit:
    """Choose the cell size (``sizes.table`` down to ``sizes.table_min``) and orientation for a table.

    Portrait at the largest size whose columns' longest words fit ``width``;
    then, if the theme allows (``page.wide_tables: landscape``), the same on a
    landscape page; else ``TableTooWide``.
    """
    sz = kit.theme.sizes
    top = sz.table
    low = min(sz.table_min, top)
    sizes = [top]
    while sizes[-1] - 0.5 >= low - 1e-9:
        sizes.append(round(sizes[-1] - 0.5, 2))
    fonts = [kit.heading.bold] + [kit.heading.regular] * (len(texts) - 1)
    need = {s: sum(minimum_widths(texts, fonts, s)) for s in sizes}
    for s in sizes:
        if need[s] <= width:
            return Fit(s, False, width)
    wide = kit.page_size[1] - kit.theme.page.margins.left - kit.theme.page.margins.right
    if kit.theme.page.wide_tables == "landscape" and wide > width:
        for s in sizes:
            if need[s] <= wide:
                return Fit(s, True, wide)
    ncols = len(texts[0])
    widest = f"{wide:.0f}pt on a landscape page" if kit.theme.page.wide_tables == "landscape" else f"{width:.0f}pt (page.wide_tables is 'error')"
    raise TableTooWide(
        f"its {ncols} columns need {need[sizes[-1]]:.0f}pt at the smallest table size {sizes[-1]:g}pt "
        f"(sizes.table_min), more than the {widest}; split it into narrower tables, shorten the longest words, "
        "or lower sizes.table_min in the theme"
    )


def build_table(table: Table, kit: Kit, inline: InlineRenderer, width: float, warn: Callable[[str, str], None], parent: Node | None = None) -> list:
    """Return the flowables of ``table``: a caption above, a ReportLab Table, a source line below.

    In a tagged document (``inline.tree``) the table is a Table node in
    ``parent`` (its caption first, then THead and TBody: ``tags.table_cells``)
    and the source line a P after it.

    Raise ``TableTooWide`` if it cannot be fitted (see ``fit_table``). A table set
    landscape comes wrapped in page-template switches: a page of its own.
    """
    st = kit.styles
    ncols = len(table.columns)
    if ncols == 0:
        warn("a table without columns; left out", "table-empty")
        return []
    rows: list[list[list[Inline]]] = []
    for i, row in enumerate(table.rows):
        if len(row) != ncols:
            warn(f"row {i + 1} has {len(row)} cells, expected {ncols}", "table-ragged")
        rows.append((list(row) + [[] for _ in range(ncols)])[:ncols])
    body_text = [[plain(c) for c in r] for r in rows]
    align = (list(table.align) + ["left"] * ncols)[:ncols]  # decided once by composing (compose.decide), numbers right
    head_text = [plain(c) for c in table.columns]
    fit = fit_table([head_text] + body_text, kit, width)
    sz = fit.size
    width = fit.width
    widths = column_widths([head_text] + body_text, [kit.heading.bold] + [kit.heading.regular] * len(rows), sz, width)

    suffix = {"left": "", "right": "_right", "center": "_center"}
    styles = {}
    for kind in ("head", "cell"):
        for a, sfx in suffix.items():
            base = st[kind + sfx]
            styles[kind + sfx] = base if base.fontSize == sz else base.clone(base.name + f"-{sz:g}", fontSize=sz, leading=sz * 1.3)
    data = [[Para(inline.markup(c, kit.heading, st["head"], on_dark=True), styles["head" + suffix[a]]) for c, a in zip(table.columns, align)]]
    for r in rows:
        data.append([Para(inline.markup(c, kit.heading), styles["cell" + suffix[a]]) for c, a in zip(r, align)])
    _check_rows(data, widths, kit)

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
    cap = caption_markup("table", table.number, table.caption, inline, kit)
    tree = inline.tree if parent is not None else None
    node = caption = tagger = None
    if tree is not None:
        node = tree.add("Table", parent)
        caption = tree.add("Caption", node) if cap else None
        tagger = TableTagger(node, table_cells(tree, node, len(data), ncols, 1), 1, tree.pagination)  # the header repeated: furniture
    rl = RLTable(data, colWidths=widths, repeatRows=1, splitByRow=1, style=TableStyle(cmds), hAlign="LEFT", renderCB=tagger)
    rl.spaceAfter = 0 if table.source else kit.theme.sizes.body
    out: list = []
    row_h = sz * 1.3 + 2 * PAD_Y + 1
    need = row_h * min(len(data), 4) + (st["caption"].leading * 2 if cap else 0) + 6
    if not fit.landscape:
        out.append(CondPageBreak(need))
    if cap:
        out.append(_tagged(tree, Para(cap, st["caption"]), caption))
    out.append(rl)
    if table.source:
        source = Para(esc(kit.text("source")) + " " + inline.markup(table.source, kit.heading), st["source"])
        out.append(_tagged(tree, source, tree.add("P", parent) if tree is not None else None))
    if fit.landscape:
        warn(f"too wide for the portrait page; set on a landscape page at {sz:g}pt", "table-landscape")
        return landscape_pages(out)
    if sz < st["cell"].fontSize:
        warn(f"too wide at {st['cell'].fontSize:g}pt; set at {sz:g}pt", "table-shrunk")
    return out


def _tagged(tree: Tree | None, flowable, node: Node | None):
    """Return ``flowable``, drawn as ``node``'s in a tagged document."""
    return flowable if tree is None or node is None else tree.tag(flowable, node)


def _check_rows(data: list[list[Para]], widths: list[float], kit: Kit) -> None:
    """Raise ``TableTooWide``'s sibling error if a single row is taller than a page (ReportLab cannot split it)."""
    room = kit.frame_height * 0.9
    for i, row in enumerate(data):
        h = max(p.wrap(w - 2 * PAD_X, 1e6)[1] for p, w in zip(row, widths)) + 2 * PAD_Y + 2
        if h > room:
            raise TableTooWide(f"row {i} is {h:.0f}pt tall, more than a page ({room:.0f}pt); split its long cells into more rows")


def caption_markup(kind: str, number: int, caption: list[Inline] | str, inline: InlineRenderer, kit: Kit) -> str:
    """``<b>Table 2:</b> caption`` (or just the caption when unnumbered; "" when neither); ``kind`` is the strings'
    key of the label ("table", "figure"), in the document's language ("Tableau 2")."""
    text = inline.text(caption, kit.heading) if isinstance(caption, str) else inline.markup(caption, kit.heading)
    if number > 0:
        label = esc(kit.text(kind, n=number))
        return f"<b>{label}:</b> {text}" if text else f"<b>{label}</b>"
    return f"<b>{text}</b>" if text else ""
