"""Pandoc's tables in a Markdown outline: pipe, simple and grid tables, read line by line.

``mdsource`` finds a table where a block starts (after a blank line) and asks
``parse_table`` for it; markdown-it never sees table lines (its own pipe
tables are off), so all three kinds follow one set of rules, one budget and
one way of placing problems. Each parser looks at each line once (a grid
table's lines a few times): the time is linear in the table's size, and a
table over ``MAX_COLUMNS`` is refused before its cells are split.

A table comes back as plain data: column headings, rows of cells (inline
Markdown, as written), each column's alignment (``None`` where the table
gives none) and the (line, col) of every heading, row and cell, 0-based.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .loader import LIMITS

MAX_COLUMNS = LIMITS["columns in one table"]

PIPE_DELIMITER = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
DASHES_WITH_GAPS = re.compile(r"^-+(?:[ \t]+-+)+[ \t]*$")  # a simple table's dashed line (two columns or more)
DASHES_ONLY = re.compile(r"^-{3,}[ \t]*$")  # a multiline table's first and last line
GRID_BORDER = re.compile(r"^\+(?:[-=:]+\+)+[ \t]*$")
_SEGMENT = re.compile(r"-+")


@dataclass
class Table:
    """One table as written: ``kind`` pipe, simple or grid."""

    kind: str
    start: int  # first line (0-based)
    end: int  # the line after the table
    columns: list[str]
    rows: list[list[str]]
    align: list[str | None]
    column_pos: list[tuple[int, int]]  # (line, col) of each heading
    row_pos: list[tuple[int, int]]  # (line, col) of each row
    cell_pos: list[list[tuple[int, int]]]  # (line, col) of each cell
    warnings: list[tuple[int, int, str]] = field(default_factory=list)  # (line, col, message): kept, but not as written


class TableError(Exception):
    """A table that cannot be read as written: (line, col) 0-based and why."""

    def __init__(self, line: int, col: int, message: str, end: int):
        super().__init__(message)
        self.line, self.col, self.message, self.end = line, col, message, end


class Unsupported(Exception):
    """A table of a kind reportgen does not read (multiline tables, spanning cells): left out, with why."""

    def __init__(self, line: int, message: str, end: int):
        super().__init__(message)
        self.line, self.message, self.end = line, message, end


def _blank(line: str) -> bool:
    return not line.strip()


def starts_table(lines: list[str], i: int) -> str:
    """Return the kind of table that starts at line ``i`` ("pipe", "simple", "headerless", "grid", "multiline"), or ""."""
    line = lines[i]
    if _blank(line) or line.startswith("\t"):
        return ""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    after = lines[i + 2] if i + 2 < len(lines) else ""
    if line[0] == " ":  # indented: only a simple table's header (its dashes at the margin); else a list's or code's line
        return "simple" if DASHES_WITH_GAPS.match(nxt) and not _blank(after) and not line.lstrip().startswith(("-", "*", "+", ">", "#", "|")) else ""
    if GRID_BORDER.match(line):
        return "grid"
    if "|" in line and "|" in nxt and "-" in nxt and PIPE_DELIMITER.match(nxt):
        return "pipe"
    if DASHES_WITH_GAPS.match(nxt) and not _blank(after) and not line.startswith(("-", "*", "+", ">", "#")):
        return "simple"
    if DASHES_WITH_GAPS.match(line) and not _blank(nxt) and not DASHES_WITH_GAPS.match(nxt):
        j = i + 1  # a headerless table ends with a dashed line before the next blank one; else this is a rule (- - -)
        while j < len(lines) and not _blank(lines[j]):
            if DASHES_WITH_GAPS.match(lines[j]) or DASHES_ONLY.match(lines[j]):
                return "headerless"
            j += 1
        return ""
    if DASHES_ONLY.match(line) and not _blank(nxt) and not DASHES_ONLY.match(nxt):
        for j in range(i + 2, min(len(lines), i + 64)):  # a header of a few lines, then the dashed line with gaps
            if _blank(lines[j]):
                break
            if DASHES_WITH_GAPS.match(lines[j]):
                return "multiline"
    return ""


def parse_table(kind: str, lines: list[str], i: int) -> Table:
    """Return the table of ``kind`` starting at line ``i``; raise ``TableError`` or ``Unsupported``."""
    if kind == "pipe":
        return _pipe(lines, i)
    if kind in ("simple", "headerless"):
        return _simple(lines, i, kind == "simple")
    if kind == "grid":
        return _grid(lines, i)
    end = i + 1
    while end < len(lines) and not (DASHES_ONLY.match(lines[end]) and (end + 1 >= len(lines) or _blank(lines[end + 1]))):
        end += 1
    raise Unsupported(i, "a multiline table is not supported: left out (write it as a pipe, simple or grid table)", min(end + 1, len(lines)))


# --- pipe tables -----------------------------------------------------------------


def _pipe_cells(line: str) -> list[tuple[int, str]]:
    """Return (col, text) of each cell of pipe table row ``line``: split at each ``|`` not escaped by ``\\``."""
    cells: list[tuple[int, str]] = []
    n = len(line)
    pos = len(line) - len(line.lstrip())
    if pos < n and line[pos] == "|":
        pos += 1
    start = pos
    k = pos
    while k < n:
        ch = line[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "|":
            cells.append((start, line[start:k]))
            start = k + 1
            if len(cells) > MAX_COLUMNS + 1:
                break
        k += 1
    rest = line[start:]
    if rest.strip() or not cells:
        cells.append((start, rest))
    out = []
    for col, text in cells:
        lead = len(text) - len(text.lstrip())
        out.append((col + lead, text.strip()))
    return out


def _pipe(lines: list[str], i: int) -> Table:
    head = _pipe_cells(lines[i])
    delim = _pipe_cells(lines[i + 1])
    if len(head) > MAX_COLUMNS or len(delim) > MAX_COLUMNS:
        raise TableError(i, 0, f"a table of over {MAX_COLUMNS} columns (the most one table may have); split it", _table_end(lines, i))
    if len(head) != len(delim):
        raise TableError(i + 1, 0, f"the header row has {len(head)} cells and the row of dashes under it {len(delim)}; give one dash cell per column", _table_end(lines, i))
    align = [_colons(text) for _col, text in delim]
    rows, row_pos, cell_pos = [], [], []
    j = i + 2
    while j < len(lines) and not _blank(lines[j]) and "|" in lines[j]:
        cells = _pipe_cells(lines[j])
        if len(cells) > MAX_COLUMNS:
            raise TableError(j, 0, f"a table row of over {MAX_COLUMNS} cells (the most one table may have); split the table", _table_end(lines, i))
        while len(cells) < len(head):  # a short row: empty cells at its end, as pandoc reads it
            cells.append((len(lines[j]), ""))
        rows.append([t for _c, t in cells])
        row_pos.append((j, cells[0][0]))
        cell_pos.append([(j, c) for c, _t in cells])
        j += 1
    if not rows:
        raise TableError(i, 0, "a table with a header and no rows; add a row under the dashes", j)
    return Table("pipe", i, j, [t for _c, t in head], rows, align, [(i, c) for c, _t in head], row_pos, cell_pos)


def _colons(text: str) -> str | None:
    left, right = text.startswith(":"), text.endswith(":")
    return "center" if left and right else "left" if left else "right" if right else None


def _table_end(lines: list[str], i: int) -> int:
    j = i
    while j < len(lines) and not _blank(lines[j]):
        j += 1
    return j


# --- simple tables -----------------------------------------------------------------


def _regions(dashes: str) -> list[tuple[int, int]]:
    """Return (start, end) of each run of dashes: the columns."""
    return [(m.start(), m.end()) for m in _SEGMENT.finditer(dashes)]


def _split_at(line: str, starts: list[int]) -> list[tuple[int, str]]:
    """Return (col, text) of each column of ``line``, a column running from its start to the next one's."""
    out = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(line)
        piece = line[s:e] if s < len(line) else ""
        lead = len(piece) - len(piece.lstrip())
        out.append((s + lead, piece.strip()))
    return out


def _simple_align(line: str, regions: list[tuple[int, int]], starts: list[int]) -> list[str | None]:
    """Return each column's alignment from where ``line`` (the header, or the first row) stands against its dashes."""
    out: list[str | None] = []
    for k, (ds, de) in enumerate(regions):
        e = starts[k + 1] if k + 1 < len(starts) else max(len(line), de)
        piece = line[ds:e] if ds < len(line) else ""
        if not piece.strip():
            out.append(None)
            continue
        hs = ds + len(piece) - len(piece.lstrip())
        he = ds + len(piece.rstrip())  # one past the text
        dashes_left, dashes_right = ds < hs, de > he
        out.append("center" if dashes_left and dashes_right else "right" if dashes_left else "left" if dashes_right else None)
    return out


def _simple(lines: list[str], i: int, header: bool) -> Table:
    dash_line = i + 1 if header else i
    regions = _regions(lines[dash_line])
    if len(regions) > MAX_COLUMNS:
        raise TableError(dash_line, 0, f"a table of over {MAX_COLUMNS} columns (the most one table may have); split it", _table_end(lines, i))
    starts = [s for s, _e in regions]
    starts[0] = 0  # the first column takes what stands left of its dashes
    j = dash_line + 1
    body: list[int] = []
    closed = False
    while j < len(lines) and not _blank(lines[j]):
        if DASHES_WITH_GAPS.match(lines[j]) or DASHES_ONLY.match(lines[j]):
            closed = True
            j += 1
            break
        body.append(j)
        j += 1
    if not header and not closed:
        raise TableError(i, 0, "a table without a header row ends with a dashed line, as it starts", j)
    if not body:
        raise TableError(i, 0, "a table with no rows; add rows under the dashed line", j)
    if header:
        align = _simple_align(lines[i], regions, starts)
        head = _split_at(lines[i], starts)
        columns, column_pos = [t for _c, t in head], [(i, c) for c, _t in head]
        warnings = []
    else:
        align = _simple_align(lines[body[0]], regions, starts)
        first = _split_at(lines[body[0]], starts)
        columns, column_pos = [t for _c, t in first], [(body[0], c) for c, _t in first]
        warnings = [(i, 0, "a table without a header row: its first row is used as the header (reportgen's tables have one)")]
        body = body[1:]
        if not body:
            raise TableError(i, 0, "a table without a header row needs a row besides the first (which becomes its header)", j)
    rows, row_pos, cell_pos = [], [], []
    for k in body:
        cells = _split_at(lines[k], starts)
        rows.append([t for _c, t in cells])
        row_pos.append((k, 0))
        cell_pos.append([(k, c) for c, _t in cells])
    return Table("simple", i, j, columns, rows, align, column_pos, row_pos, cell_pos, warnings)


# --- grid tables -------------------------------------------------------------------


def _grid(lines: list[str], i: int) -> Table:
    border = lines[i].rstrip()
    bounds = [k for k, ch in enumerate(border) if ch == "+"]
    if len(bounds) - 1 > MAX_COLUMNS:
        raise TableError(i, 0, f"a table of over {MAX_COLUMNS} columns (the most one table may have); split it", _table_end(lines, i))
    ncols = len(bounds) - 1
    align = _grid_align(border, bounds)
    groups: list[list[int]] = []  # content lines of each row
    header_rows = 0
    current: list[int] = []
    j = i + 1
    last_was_border = True
    while j < len(lines) and lines[j][:1] in ("+", "|"):
        line = lines[j].rstrip()
        if GRID_BORDER.match(line):
            if [k for k, ch in enumerate(line) if ch == "+"] != bounds:
                raise Unsupported(i, "a grid table with cells spanning columns is not supported: left out (give every row the same columns)", _table_end(lines, i))
            if not current:
                raise TableError(j, 0, "a grid table row with no lines between its borders", _table_end(lines, i))
            groups.append(current)
            current = []
            if "=" in line:
                if header_rows:
                    raise TableError(j, 0, "a grid table with two header separators (+===+); keep one, under the header row", _table_end(lines, i))
                header_rows = len(groups)
                align = [a or b for a, b in zip(_grid_align(line, bounds), align)]
            last_was_border = True
        else:
            if len(line) < bounds[-1] + 1 or any(line[b] != "|" for b in bounds):
                raise Unsupported(i, "a grid table with cells spanning columns or rows, or with lines of other widths, is not supported: left out (line up every | under the + of the borders)", _table_end(lines, i))
            current.append(j)
            last_was_border = False
        j += 1
    if not last_was_border:
        raise TableError(j - 1, 0, "a grid table ends with a border line (+---+)", j)
    if not groups:
        raise TableError(i, 0, "a grid table with no rows", j)
    warnings: list[tuple[int, int, str]] = []
    texts: list[list[tuple[tuple[int, int], str]]] = []
    for g in groups:
        row = []
        for c in range(ncols):
            parts = [lines[k][bounds[c] + 1 : bounds[c + 1]] for k in g]
            col = bounds[c] + 2
            first = next((k for k, p in zip(g, parts) if p.strip()), g[0])
            text, note = _cell_text(parts)
            if note:
                warnings.append((first, bounds[c] + 1, note))
            row.append(((first, col), text))
        texts.append(row)
    if header_rows > 1:
        raise Unsupported(i, "a grid table with a header of several rows is not supported: left out (keep one row above +===+)", j)
    if header_rows == 0:
        warnings.insert(0, (i, 0, "a table without a header row: its first row is used as the header (reportgen's tables have one)"))
    if len(texts) < 2:
        raise TableError(i, 0, "a grid table needs a row besides its header", j)
    head, body = texts[0], texts[1:]
    return Table(
        "grid", i, j,
        [t for _p, t in head], [[t for _p, t in r] for r in body], align,
        [p for p, _t in head], [(r[0][0][0], 0) for r in body], [[p for p, _t in r] for r in body], warnings,
    )


def _grid_align(border: str, bounds: list[int]) -> list[str | None]:
    return [_colons(border[bounds[k] + 1 : bounds[k + 1]]) for k in range(len(bounds) - 1)]


_BLOCKISH = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _cell_text(parts: list[str]) -> tuple[str, str]:
    """Return a grid cell's lines as one line of inline text, and a note if that changed what it shows."""
    stripped = [p.strip() for p in parts]
    while stripped and not stripped[-1]:
        stripped.pop()
    while stripped and not stripped[0]:
        stripped.pop(0)
    note = ""
    if any(not s for s in stripped) or any(_BLOCKISH.match(p) for p in stripped[1:]) or (len(stripped) > 1 and _BLOCKISH.match(stripped[0])):
        note = "a table cell holds one paragraph: its paragraphs or list items are joined into one line"
    return " ".join(s for s in stripped if s), note
