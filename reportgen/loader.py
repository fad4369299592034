"""Load an outline file: YAML → validated ``Outline``, or every problem located.

The loader knows nothing of templates, ReportLab or PowerPoint. Beyond the
schema it checks what a schema cannot: table rows against columns, chart
series against categories, citations against source ids, figure paths inside
the outline's folder.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from .errors import InputError, Problem
from .outline import ChartSpec, Outline, Subsection, TableSpec
from .validate import validate
from .yamlsrc import Source, read

CITE = re.compile(r"\[@([A-Za-z0-9_.:-]+)\]")


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


def load(path: str) -> Loaded:
    """Return the validated outline at ``path``; raise ``InputError`` listing every problem."""
    src = read(path, display=path)
    outline = validate(Outline, src)
    problems = check(outline, src, os.path.dirname(os.path.abspath(path)))
    if problems:
        raise InputError(problems)
    stem = os.path.splitext(os.path.basename(path))[0]
    return Loaded(outline, src, path, stem)


def check(outline: Outline, src: Source, folder: str) -> list[Problem]:
    """Return the problems the schema cannot see (an empty list when all is well)."""
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    for i, s in enumerate(outline.sources):
        if s.id:
            if s.id in ids:
                problems.append(src.problem(("sources", i, "id"), f"duplicate source id '{s.id}' (first used by sources[{ids[s.id]}])"))
            ids.setdefault(s.id, i)

    def cites(path: tuple, text: str) -> None:
        for m in CITE.finditer(text or ""):
            if m.group(1) not in ids:
                known = f"expected one of: {', '.join(ids)}" if ids else "no source has an id; give sources an `id`"
                problems.append(src.problem(path, f"citation [@{m.group(1)}] names no source ({known})"))

    problems.extend(_check_sizes(outline, src))
    for key in ("title", "subtitle", "bottom_line"):
        cites((key,), getattr(outline, key))
    for i, text in enumerate(outline.summary):
        cites(("summary", i), text)
    for i, sec in enumerate(outline.sections):
        base = ("sections", i)
        _check_part(sec, base, src, folder, problems, cites)
        for j, sub in enumerate(sec.subsections):
            _check_part(sub, base + ("subsections", j), src, folder, problems, cites)
    return problems


MAX_BODY = 200_000  # characters in one body (about 60 pages)
MAX_SHORT = 2_000  # characters in a title, point, cell, caption, label or other short field
MAX_TEXT = 5_000_000  # characters of text in one outline (about 1,500 pages)
LONG_FIELDS = {"body", "bottom_line"}  # prose


def _check_sizes(outline: Outline, src: Source) -> list[Problem]:
    """Return a problem for each field too long to set in bounded time, and for too much text in all."""
    problems: list[Problem] = []
    total = 0

    def walk(value: object, path: tuple) -> None:
        nonlocal total
        if isinstance(value, str):
            total += len(value)
            field_name = next((p for p in reversed(path) if isinstance(p, str)), "")
            limit = MAX_BODY if field_name in LONG_FIELDS else MAX_SHORT
            if len(value) > limit:
                kind = "a body" if limit == MAX_BODY else "this field (titles, points, cells, captions and labels are short; long text belongs in a body)"
                problems.append(src.problem(path, f"text of {len(value):,} characters is over the {limit:,} allowed in {kind}; split it"))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                walk(item, path + (i,))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), path + (name,))

    walk(outline, ())
    if total > MAX_TEXT and not problems:
        problems.append(src.problem((), f"the outline holds {total:,} characters of text, over the {MAX_TEXT:,} one document may have (about 1,500 pages); split it into several outlines"))
    return problems


def _check_part(part: Subsection, base: tuple, src: Source, folder: str, problems: list[Problem], cites) -> None:
    cites(base + ("title",), part.title)
    cites(base + ("body",), part.body)
    for k, p in enumerate(part.points):
        cites(base + ("points", k), p)
    if part.quote:
        cites(base + ("quote", "text"), part.quote.text)
        cites(base + ("quote", "attribution"), part.quote.attribution)
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


def _check_chart(c: ChartSpec, base: tuple, src: Source, problems: list[Problem]) -> None:
    n = len(c.categories)
    for s, series in enumerate(c.series):
        where = base + ("series", s, "values")
        if len(series.values) != n:
            problems.append(src.problem(where, f"series '{series.name}' has {len(series.values)} values, expected {n} (one per category)"))
        for v, value in enumerate(series.values):
            if not math.isfinite(value):
                problems.append(src.problem(where + (v,), f"expected a finite number, got {value}"))
            elif c.type == "pie" and value < 0:
                problems.append(src.problem(where + (v,), f"a pie chart needs values of 0 or more, got {value:g}"))
    if c.type == "pie" and len(c.series) != 1:
        problems.append(src.problem(base + ("series",), f"a pie chart takes exactly one series, got {len(c.series)}"))


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
    return loaded.source.problem(parse_path(problem.path), problem.message)


IMAGE_TYPES = {".png", ".jpg", ".jpeg"}


def resolve_figure(folder: str, rel: str) -> str:
    """Return the absolute path of figure ``rel`` in ``folder``; ValueError if unsafe or missing."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", rel):
        raise ValueError(f"figure paths are local files, got a URL {rel!r}")
    if os.path.isabs(rel):
        raise ValueError(f"figure path must be relative to the outline's folder, got {rel!r}")
    base = os.path.realpath(folder)
    full = os.path.realpath(os.path.join(base, rel))
    if not full.startswith(base + os.sep):
        raise ValueError(f"figure path {rel!r} leaves the outline's folder")
    if os.path.splitext(full)[1].lower() not in IMAGE_TYPES:
        raise ValueError(f"figure {rel!r} is not a PNG or JPEG file (expected .png, .jpg or .jpeg)")
    if not os.path.exists(full):
        raise ValueError(f"figure file {rel!r} not found")
    from .safety import check_image

    why = check_image(full, rel)
    if why:
        raise ValueError(why)
    return full
