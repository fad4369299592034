"""Glyph coverage: check every character of an outline against the pack's fonts.

Run before rendering. For each text field of the outline (titles, points,
bodies, table cells, chart labels, captions, quotes, sources) every character
must be drawable: each font the outputs set text in (the report's body and
heading families and the deck's family, every style the pack gives) must have
it, or one of the theme's fallback families (``fonts.fallback``) must. The
PDF writer switches to the first fallback that has a character its own font
lacks; a character no font covers would print as an empty box or a blank, so
it is reported here with its place in the outline. Under ``--strict`` the
build turns these warnings into errors.

No ReportLab here: the fonts' cmaps are read by ``fontmetrics``.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

from pydantic import BaseModel

from .errors import Problem
from .fontmetrics import FontMetrics
from .theme import FontFamily, Theme

ROLES = ("report_body", "report_heading", "deck")
# Fields that never reach the page as text: ids, paths, metadata, choices.
SKIP = {"template", "id", "path", "alt", "subject", "keywords", "align", "type", "url", "values"}


def _files(theme: Theme, family: FontFamily) -> list[str]:
    return [theme.path(rel) for rel in (family.regular, family.bold, family.italic, family.bold_italic) if rel]


def _label(family: FontFamily) -> str:
    return family.regular.rsplit("/", 1)[-1]


def text_fields(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Yield (path, text) for every text value of ``model`` that is set on a page or slide."""
    for name in type(model).model_fields:
        if name in SKIP:
            continue
        yield from _values(getattr(model, name), path + (name,))


def _values(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        if value:
            yield path, value
    elif isinstance(value, BaseModel):
        yield from text_fields(value, path)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _values(item, path + (i,))
    elif isinstance(value, (datetime.date, int, float)) or value is None:
        return


def uncovered(text: str, theme: Theme) -> list[str]:
    """The characters of ``text`` that some font in use lacks and no fallback family has."""
    fonts = theme.fonts
    fallback = [FontMetrics.load(f) for name in fonts.fallback for f in _files(theme, fonts.families[name])[:1]]
    primary = [FontMetrics.load(f) for role in ROLES for f in _files(theme, fonts.families[getattr(fonts, role)])]
    return _uncovered(text, primary, fallback)


def _uncovered(text: str, primary: list, fallback: list) -> list[str]:
    out = []
    for ch in sorted(set(text)):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue  # breaks and invisible format characters are not drawn
        if all(m.has_glyph(ch) for m in primary):
            continue
        if any(m.has_glyph(ch) for m in fallback):
            continue
        out.append(ch)
    return out


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"'{ch}' (U+{ord(ch):04X}{' ' + name if name else ''})"


def check_glyphs(loaded, theme: Theme) -> list[Problem]:
    """Return one located warning per outline field holding characters no font of ``theme`` covers."""
    fonts = theme.fonts
    families = list(dict.fromkeys([getattr(fonts, r) for r in ROLES] + list(fonts.fallback)))
    tried = ", ".join(_label(fonts.families[n]) for n in families)
    problems: list[Problem] = []
    lines: list[str] | None = None
    fields = list(text_fields(loaded.outline))
    # the fonts are resolved and asked once, for every distinct character of the outline
    everywhere = set(uncovered("".join({ch for _p, t in fields for ch in t}), theme))
    if not everywhere:
        return problems
    for path, text in fields:
        missing = sorted(everywhere.intersection(text))
        if missing:
            shown = ", ".join(describe(c) for c in missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
            problem = replace(
                loaded.source.problem(path, f"no font has a glyph for {shown} (tried {tried}); it would print as a blank box. Add a font family that has it to fonts.fallback in the theme"),
                severity="warning",
                code="glyph-missing",
            )
            if "\n" in text.rstrip("\n"):
                if lines is None:
                    lines = _source_lines(loaded.path)
                problem = _in_block(problem, text, missing[0], lines)
            problems.append(problem)
    return problems


def _source_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().splitlines()
    except OSError:
        return []


def _in_block(problem: Problem, text: str, ch: str, lines: list[str]) -> Problem:
    """Point into a ``|`` or ``>`` block scalar at the line holding ``ch`` (its lines map 1:1 to the file's)."""
    if not (0 < problem.line <= len(lines)) or lines[problem.line - 1][problem.col - 1 : problem.col] not in ("|", ">"):
        return problem
    k = text[: text.index(ch)].count("\n")
    line_no = problem.line + 1 + k
    if line_no > len(lines):
        return problem
    col = lines[line_no - 1].find(ch) + 1
    if col <= 0:
        return problem
    return replace(problem, line=line_no, col=col)
