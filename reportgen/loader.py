"""Load an outline file: YAML → validated ``Outline``, or every problem located.

The loader knows nothing of templates, ReportLab or PowerPoint. Beyond the
schema it checks what a schema cannot: table rows against columns, chart
series against categories, chart number formats (``numformat``), citations
against source ids, figure paths inside the outline's folder.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace

from pydantic import BaseModel

from .errors import InputError, Problem
from .links import link_problem, normalise
from .markup import citations, inline, markdown_problems, span_attributes, spans
from .numformat import format_problem
from .outline import ChartSpec, Outline, Subsection, TableSpec
from .validate import validate
from .yamlsrc import Source, read


@dataclass
class Loaded:
    """A validated outline with where it came from."""

    outline: Outline
    source: Source  # positions, for later located messages
    path: str  # the file as given
    name: str  # output stem: build/<name>.pdf
    warnings: list[Problem] = field(default_factory=list)  # preflight findings (glyph coverage)
    markup_memo: dict = field(default_factory=dict, repr=False, compare=False)  # Markdown → markup for this outline (``markup.inline``/``blocks``)

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def cite_numbers(self) -> dict[str, int]:
        """Return source id → its 1-based number in the sources list."""
        return {s.id: i for i, s in enumerate(self.outline.sources, 1) if s.id}


MARKDOWN_SUFFIXES = (".md", ".markdown")  # read by mdsource (pandoc's Markdown); any other file is YAML


def read_source(path: str, display: str | None = None) -> Source:
    """Return the ``Source`` of the outline file at ``path``: Markdown by its extension (``mdsource``), else YAML."""
    if os.path.splitext(path)[1].lower() in MARKDOWN_SUFFIXES:
        from .mdsource import read as read_markdown

        return read_markdown(path, display)
    return read(path, display=display)


def load(path: str) -> Loaded:
    """Return the validated outline at ``path`` (YAML or Markdown); raise ``InputError`` listing every problem."""
    src = read_source(path, display=path)
    outline = validate(Outline, src)
    warnings = list(src.warnings)
    problems = check(outline, src, os.path.dirname(os.path.abspath(path)), warnings)
    if problems:
        raise InputError(problems)
    stem = os.path.splitext(os.path.basename(path))[0]
    return Loaded(outline, src, path, stem, warnings=warnings)


def check(outline: Outline, src: Source, folder: str, warnings: list[Problem] | None = None) -> list[Problem]:
    """Return the problems the schema cannot see (an empty list when all is well); add to ``warnings`` what is ignored."""
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    for i, s in enumerate(outline.sources):
        if s.id:
            if s.id in ids:
                problems.append(src.problem(("sources", i, "id"), f"duplicate source id '{s.id}' (first used by sources[{ids[s.id]}])"))
            ids.setdefault(s.id, i)
        if s.url:
            why = link_problem(normalise(s.url))
            if why:
                problems.append(src.problem(("sources", i, "url"), why))
    problems.extend(_check_counts(outline, src))
    problems.extend(_check_texts(outline, src, ids, warnings if warnings is not None else []))
    for i, sec in enumerate(outline.sections):
        base = ("sections", i)
        _check_part(sec, base, src, folder, problems)
        for j, sub in enumerate(sec.subsections):
            _check_part(sub, base + ("subsections", j), src, folder, problems)
    return problems


MAX_BODY = 200_000  # characters in one body (about 60 pages)
MAX_SHORT = 2_000  # characters in a title, point, cell, caption, label or other short field
MAX_TEXT = 5_000_000  # characters of text in one outline (about 1,500 pages)
LONG_FIELDS = {"body", "bottom_line", "notes"}  # prose
BLOCK_FIELDS = {"body", "notes"}  # read as Markdown blocks (the rest as inline Markdown)
NOT_TEXT = {"id", "url", "path", "template", "type", "align"}  # keys, paths, choices: no Markdown, no citations
# Text the packs set plainly, not as Markdown (charts, alt text, key figures' values, source dates: the `cites`
# filter): only bracketed citations count there, and print as their numbers; a bare @ is text.
# Footnotes have nowhere to go there, nor in the fields the cover and the document properties print.
PLAIN_ROOT = {"title", "subtitle", "author", "classification", "subject", "keywords"}

# What one outline may hold, so that the largest one accepted still builds in bounded time and
# memory on a CI machine (measured: see README "Errors"). Per outline unless said.
LIMITS = {
    "sections": 2_000,  # sections and subsections together
    "points": 20_000,
    "tables": 500,
    "table cells": 100_000,  # all tables together, header cells included
    "rows in one table": 2_000,
    "columns in one table": 50,
    "charts": 500,
    "chart values": 50_000,  # all charts together
    "categories in one chart": 200,
    "series in one chart": 24,
    "figures": 500,
    "sources": 5_000,
    "summary points": 200,
    "keywords": 200,
}
CHART_MAX = 1e15  # chart values are finite, at most this large, and 0 or at least CHART_MIN in size
CHART_MIN = 1e-9


def _over(src: Source, path: tuple, what: str, n: int) -> Problem:
    return src.problem(path, f"{n:,} {what} is over the {LIMITS[what]:,} one outline may hold; split it into several outlines")


def _check_counts(outline: Outline, src: Source) -> list[Problem]:
    """Return a problem for each kind of part the outline holds more of than ``LIMITS`` allows."""
    problems: list[Problem] = []
    parts = [(("sections", i), s) for i, s in enumerate(outline.sections)]
    parts += [(("sections", i, "subsections", j), sub) for i, s in enumerate(outline.sections) for j, sub in enumerate(s.subsections)]
    totals = {
        "sections": (len(parts), ("sections",)),
        "points": (sum(len(p.points) for _w, p in parts), ("sections",)),
        "tables": (sum(1 for _w, p in parts if p.table), ("sections",)),
        "table cells": (sum((len(p.table.rows) + 1) * len(p.table.columns) for _w, p in parts if p.table), ("sections",)),
        "charts": (sum(1 for _w, p in parts if p.chart), ("sections",)),
        "chart values": (sum(len(sr.values) for _w, p in parts if p.chart for sr in p.chart.series), ("sections",)),
        "figures": (sum(1 for _w, p in parts if p.figure), ("sections",)),
        "sources": (len(outline.sources), ("sources",)),
        "summary points": (len(outline.summary), ("summary",)),
        "keywords": (len(outline.keywords), ("keywords",)),
    }
    for what, (n, where) in totals.items():
        if n > LIMITS[what]:
            problems.append(_over(src, where, what, n))
    for where, p in parts:
        if p.table:
            if len(p.table.rows) > LIMITS["rows in one table"]:
                problems.append(_over(src, where + ("table", "rows"), "rows in one table", len(p.table.rows)))
            if len(p.table.columns) > LIMITS["columns in one table"]:
                problems.append(_over(src, where + ("table", "columns"), "columns in one table", len(p.table.columns)))
        if p.chart:
            if len(p.chart.categories) > LIMITS["categories in one chart"]:
                problems.append(_over(src, where + ("chart", "categories"), "categories in one chart", len(p.chart.categories)))
            if len(p.chart.series) > LIMITS["series in one chart"]:
                problems.append(_over(src, where + ("chart", "series"), "series in one chart", len(p.chart.series)))
    return problems


def text_fields(value: object, path: tuple = ()):
    """Yield (path, text) for every text value of the outline ``value``, in document order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from text_fields(item, path + (i,))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from text_fields(getattr(value, name), path + (name,))


def _check_texts(outline: Outline, src: Source, ids: dict[str, int], warnings: list[Problem]) -> list[Problem]:
    """Return a problem for each text too long to set in bounded time, each citation of no source,
    each link target ``links.link_problem`` refuses, each footnote or span where none can go, each span's bad
    language, and for too much text in all; add a warning to ``warnings`` for each span attribute ignored."""
    problems: list[Problem] = []
    total = 0
    known = f"expected one of: {', '.join(ids)}" if ids else "no source has an id; give sources an `id`"
    lines: list[str] | None = None
    for path, value in text_fields(outline):
        total += len(value)
        field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
        limit = MAX_BODY if field_name in LONG_FIELDS else MAX_SHORT
        if len(value) > limit:
            kind = "a body" if limit == MAX_BODY else "this field (titles, points, cells, captions and labels are short; long text belongs in a body)"
            problems.append(src.problem(path, f"text of {len(value):,} characters is over the {limit:,} allowed in {kind}; split it"))
            continue
        if field_name in NOT_TEXT:
            continue
        block = field_name in BLOCK_FIELDS
        for key, written in dict.fromkeys(citations(value, block, plain=_plain_text(path))):
            if key not in ids:
                shown = written if written in (f"[@{key}]", f"@{key}") else f"@{key} in {written}"
                if lines is None:
                    lines = _source_lines(src.file)
                problems.append(_pointed(src.problem(path, f"citation {shown} names no source ({known}; a literal @ is written \\@)"), value, "@" + key, lines))
        for why in markdown_problems(value, block=block):
            problems.append(src.problem(path, why))
        for attrs in spans(value, block):
            if lines is None:
                lines = _source_lines(src.file)
            _lang, bad, ignored = span_attributes(attrs)
            if _plain_field(path):
                bad = [("a span [...]{...} cannot go here: this text is printed plainly (the cover, document properties, a chart, "
                        "alt text, a key figure's value or a date); write the text without it", attrs.split()[0] if attrs.split() else "{}")]
                ignored = []
            for why, needle in bad:
                problems.append(_pointed(src.problem(path, why), value, needle, lines))
            for why, needle in ignored:
                warnings.append(replace(_pointed(src.problem(path, why), value, needle, lines), severity="warning", code="span-attribute"))
        if "^[" in value and _plain_field(path) and "<note>" in inline(value):
            problems.append(src.problem(path, "a footnote ^[...] cannot go here: this text is printed plainly (the cover, "
                                              "document properties, a chart, alt text, a key figure's value or a date); put the note in the text beside it"))
    if total > MAX_TEXT and not problems:
        problems.append(src.problem((), f"the outline holds {total:,} characters of text, over the {MAX_TEXT:,} one document may have (about 1,500 pages); split it into several outlines"))
    return problems


def _plain_text(path: tuple) -> bool:
    """Whether the outline text at ``path`` is set as plain text, not Markdown, by the packs (their ``cites`` filter)."""
    names = [p for p in path if isinstance(p, str)]
    return "chart" in names or names[-2:] in (["figure", "alt"], ["key_figures", "value"]) or names == ["sources", "date"]


def _plain_field(path: tuple) -> bool:
    """Whether the outline text at ``path`` is printed plainly somewhere (no footnote can go there): ``_plain_text``,
    and the fields the cover and the document properties print."""
    names = [p for p in path if isinstance(p, str)]
    return len(names) == 1 and names[0] in PLAIN_ROOT or _plain_text(path)


def _source_lines(file: str) -> list[str]:
    try:
        with open(file, encoding="utf-8") as fh:
            return fh.read().splitlines()
    except (OSError, UnicodeError):
        return []


def _pointed(problem: Problem, value: str, needle: str, lines: list[str]) -> Problem:
    """``problem`` placed at ``needle`` (``@key``, ``lang=xx``) inside its text when the file shows it there: on the
    value's own line (a plain or quoted scalar), on the line of a ``|``/``>`` block that holds it, or on the line of a
    Markdown outline's text that holds it (its lines are the file's, from the field's); else at the field."""
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    if not (0 < problem.line <= len(lines)):
        return problem
    here = lines[problem.line - 1]
    block = here[problem.col - 1 : problem.col] in ("|", ">")
    if block or "\n" in value:
        m = pattern.search(value)
        if m is None:
            return problem
        line_no = problem.line + block + value[: m.start()].count("\n")
        if line_no > len(lines):
            return problem
        found = pattern.search(lines[line_no - 1], 0 if line_no > problem.line else problem.col - 1)
        return replace(problem, line=line_no, col=found.start() + 1) if found else problem
    found = pattern.search(here, problem.col - 1)
    return replace(problem, col=found.start() + 1) if found else problem


def _check_part(part: Subsection, base: tuple, src: Source, folder: str, problems: list[Problem]) -> None:
    if part.table:
        _check_table(part.table, base + ("table",), src, problems)
    if part.chart:
        _check_chart(part.chart, base + ("chart",), src, problems)
    if part.figure:
        where = base + ("figure", "path")
        try:
            resolve_figure(folder, part.figure.path)
        except ValueError as exc:
            problems.append(src.problem(where, str(exc)))


def _check_table(t: TableSpec, base: tuple, src: Source, problems: list[Problem]) -> None:
    n = len(t.columns)
    for r, row in enumerate(t.rows):
        if len(row) != n:
            problems.append(src.problem(base + ("rows", r), f"row has {len(row)} cells, expected {n} (one per column)"))
    if t.align and len(t.align) != n:
        problems.append(src.problem(base + ("align",), f"align has {len(t.align)} entries, expected {n} (one per column)"))
    if t.slides:
        for i, name in enumerate(t.slides.columns):
            if name not in t.columns:
                problems.append(src.problem(base + ("slides", "columns", i), f"no column headed {name!r} (expected one of: {', '.join(repr(c) for c in t.columns)})"))


def _check_chart(c: ChartSpec, base: tuple, src: Source, problems: list[Problem]) -> None:
    n = len(c.categories)
    for s, series in enumerate(c.series):
        where = base + ("series", s, "values")
        if len(series.values) != n:
            problems.append(src.problem(where, f"series '{series.name}' has {len(series.values)} values, expected {n} (one per category)"))
        for v, value in enumerate(series.values):
            if not math.isfinite(value):
                problems.append(src.problem(where + (v,), f"expected a finite number, got {value}"))
            elif abs(value) > CHART_MAX or 0 < abs(value) < CHART_MIN:
                problems.append(src.problem(where + (v,), f"{value:g} is too {'large' if abs(value) > CHART_MAX else 'small'} to chart (expected 0, or a size from {CHART_MIN:g} to {CHART_MAX:g}); give the values in another unit"))
            elif c.type == "pie" and value < 0:
                problems.append(src.problem(where + (v,), f"a pie chart needs values of 0 or more, got {value:g}"))
    if c.type == "pie" and len(c.series) != 1:
        problems.append(src.problem(base + ("series",), f"a pie chart takes exactly one series, got {len(c.series)}"))
    bad_format = format_problem(c.format) if c.format else None
    if bad_format:
        problems.append(src.problem(base + ("format",), bad_format))


def parse_path(text: str) -> tuple:
    """Return ``("sections", 2, "table")`` for ``sections[2].table`` (the inverse of ``format_path``)."""
    out: list = []
    for name, index in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]", text):
        out.append(name if name else int(index))
    return tuple(out)


def locate(loaded: Loaded, problem: Problem) -> Problem:
    """Return ``problem`` placed at ``file:line:col`` of ``loaded`` when it names an outline path.

    Writers know the outline only by path (``sections[2].table``); this turns
    such a problem into one the user can jump to. Others come back unchanged.
    """
    if not problem.path or problem.line:
        return problem
    placed = loaded.source.problem(parse_path(problem.path), problem.message)
    return replace(placed, severity=problem.severity, code=problem.code)


IMAGE_TYPES = {".png", ".jpg", ".jpeg"}


def local_file(folder: str, rel: str, what: str, types, expected: str, place: str = "the outline's folder") -> str:
    """Return the absolute path of ``what`` (a figure, a bibliography) ``rel`` inside ``folder``, following no link
    out of it; ValueError if it is an address, absolute, outside the folder, missing, or not of ``types``
    (suffixes; ``expected`` says which, for the message)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", rel):
        raise ValueError(f"{what} paths are local files, got an address {rel!r}")
    if os.path.isabs(rel):
        raise ValueError(f"{what} path must be relative to {place}, got {rel!r}")
    base = os.path.realpath(folder)
    full = os.path.realpath(os.path.join(base, rel))
    if not full.startswith(base + os.sep):
        raise ValueError(f"{what} path {rel!r} leaves {place}")
    if os.path.splitext(full)[1].lower() not in types:
        raise ValueError(f"{what} {rel!r} is not {expected}")
    if not os.path.exists(full):
        raise ValueError(f"{what} file {rel!r} not found")
    return full


def resolve_figure(folder: str, rel: str) -> str:
    """Return the absolute path of figure ``rel`` in ``folder``; ValueError if unsafe or missing."""
    full = local_file(folder, rel, "figure", IMAGE_TYPES, "a PNG or JPEG file (expected .png, .jpg or .jpeg)")
    from .safety import check_image

    why = check_image(full, rel)
    if why:
        raise ValueError(why)
    return full
