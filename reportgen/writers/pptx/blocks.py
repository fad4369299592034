"""Document-tree blocks as slide paragraphs (``fit.Para``) and speaker-notes lines.

No python-pptx here: the writer turns these into runs, the fitter measures them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...doctree import (
    Callout,
    Chart,
    Cite,
    Code,
    Emph,
    Figure,
    KeyFigures,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Note,
    PageBreak,
    Paragraph,
    Quote,
    Span,
    Strong,
    Table,
    Text,
    plain,
    unknown_node,
)
from ...i18n import english_text
from .fit import Para, Run



def runs_of(inlines: list[Inline], bold=False, italic=False, href="", lang="") -> list[Run]:
    """The runs of ``inlines`` (``lang``: the language of a span they are in; "": the deck's)."""
    out: list[Run] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Run(node.text, bold, italic, False, href, lang=lang))
        elif isinstance(node, Code):
            out.append(Run(node.text, bold, italic, True, href, lang=lang))
        elif isinstance(node, Strong):
            out.extend(runs_of(node.children, True, italic, href, lang))
        elif isinstance(node, Emph):
            out.extend(runs_of(node.children, bold, True, href, lang))
        elif isinstance(node, Link):
            out.extend(runs_of(node.children, bold, italic, node.href, lang))
        elif isinstance(node, Span):
            out.extend(runs_of(node.children, bold, italic, href, node.lang))
        elif isinstance(node, Cite):
            out.append(Run(node.text, bold, italic, False, href, lang=lang))
        elif isinstance(node, Note):
            out.append(Run(str(node.number), bold, italic, False, href, note=node.number))
        elif isinstance(node, LineBreak):
            out.append(Run("\n"))
        else:
            raise unknown_node(node)
    return [r for r in out if r.text]


class Line(str):
    """A speaker-notes line holding text in another language: the line itself, and ``parts``, its text piece by
    piece, each with its language ("" for the deck's), which the writer sets as runs of their own."""

    parts: tuple[tuple[str, str], ...] = ()


def line_of(*pieces: str | list[Inline], marks: bool = True, squeeze: bool = False) -> str:
    """Return ``pieces`` (text in the deck's language, or inlines as ``doctree.plain`` gives them) as one plain line:
    a ``Line`` with its parts when a span is in it, else a plain ``str``. ``squeeze``: the white space after the
    first piece made single spaces, none at the end (as a footnote's line is)."""
    parts: list[tuple[str, str]] = []
    for piece in pieces:
        if isinstance(piece, str):
            parts.append((piece, ""))
        else:
            _parts(piece, marks, "", parts)
    if squeeze:
        parts = _squeezed(parts, len(parts[0][0]) if pieces and isinstance(pieces[0], str) else 0)
    text = "".join(t for t, _lang in parts)
    if not any(lang for t, lang in parts if t):
        return text
    merged: list[tuple[str, str]] = []
    for t, lang in parts:
        if merged and merged[-1][1] == lang:
            merged[-1] = (merged[-1][0] + t, lang)
        elif t:
            merged.append((t, lang))
    line = Line(text)
    line.parts = tuple(merged)
    return line


def _parts(inlines: list[Inline], marks: bool, lang: str, out: list[tuple[str, str]]) -> None:
    for node in inlines:
        if isinstance(node, Span):
            _parts(node.children, marks, node.lang, out)
        elif isinstance(node, (Strong, Emph, Link)):
            _parts(node.children, marks, lang, out)
        else:
            out.append((plain([node], marks), lang))


def _squeezed(parts: list[tuple[str, str]], keep: int) -> list[tuple[str, str]]:
    """Return ``parts`` with the white space after the first ``keep`` characters as ``" ".join(text.split())`` leaves it."""
    text = "".join(t for t, _lang in parts)
    langs = [lang for t, lang in parts for _ch in t]
    kept = list(range(keep))
    words = list(re.finditer(r"\S+", text[keep:]))
    for n, m in enumerate(words):
        if n:
            kept.append(keep + words[n - 1].end())  # one space between words: the first of the white space there
        kept.extend(range(keep + m.start(), keep + m.end()))
    out: list[tuple[str, str]] = []
    for k in kept:
        ch = " " if text[k].isspace() and k >= keep else text[k]
        if out and out[-1][1] == langs[k]:
            out[-1] = (out[-1][0] + ch, langs[k])
        else:
            out.append((ch, langs[k]))
    return out


class _Groups:
    def __init__(self):
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def paras_of(blocks, level: int = 0, groups: _Groups | None = None, group: int | None = None) -> list[Para]:
    """Text blocks as paragraphs; top-level blocks and list items each start a group."""
    groups = groups or _Groups()
    out: list[Para] = []
    for block in blocks:
        g = group if group is not None else groups.next()
        if isinstance(block, Paragraph):
            out.append(Para(runs_of(block.inlines), level, "none", style=block.style, group=g, hang=level > 0))
        elif isinstance(block, ListBlock):
            for k, item in enumerate(block.items):
                ig = group if group is not None else groups.next()
                first = True
                for sub in item.blocks:
                    if isinstance(sub, Paragraph) and first:
                        out.append(Para(runs_of(sub.inlines), level, "number" if block.ordered else "bullet", block.start + k, sub.style, ig))
                        first = False
                    elif isinstance(sub, Paragraph):
                        out.append(Para(runs_of(sub.inlines), level, "none", style=sub.style, group=ig, first_of_item=False, hang=True))
                    else:
                        if first:  # an item that starts with a list: an empty bullet first
                            out.append(Para([], level, "number" if block.ordered else "bullet", block.start + k, group=ig))
                            first = False
                        out.extend(paras_of([sub], level + 1, groups, ig))
        elif isinstance(block, Quote):
            inner = paras_of(block.blocks, level, groups, g)
            for p in inner:  # a pull quote's marks are in its text (compose.decide); a block quote has none
                p.runs = [replace(r, italic=True) for r in p.runs]
            out.extend(inner)
            if block.attribution:
                out.append(Para([Run("— "), *runs_of(block.attribution)], level, "none", style="body", group=g, first_of_item=False, hang=level > 0))
        elif isinstance(block, Callout):
            if block.title:
                out.append(Para(runs_of(block.title, bold=True), level, "none", group=g, hang=level > 0))
            out.extend(paras_of(block.blocks, level, groups, g))
        elif not isinstance(block, (Table, Chart, Figure, KeyFigures, PageBreak)):  # visuals are placed apart; a page break means nothing on a slide
            raise unknown_node(block)
    return out


def notes_lines(blocks, depth: int = 0) -> list[str]:
    lines: list[str] = []
    pad = "  " * depth
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(line_of(pad, block.inlines))
        elif isinstance(block, ListBlock):
            for k, item in enumerate(block.items):
                mark = f"{block.start + k}. " if block.ordered else "• "
                first = True
                for sub in item.blocks:
                    if isinstance(sub, Paragraph):
                        lines.append(line_of(pad + (mark if first else "  "), sub.inlines))
                        first = False
                    else:
                        lines.extend(notes_lines([sub], depth + 1))
        elif isinstance(block, Quote):
            lines.extend(notes_lines(block.blocks, depth))
            if block.attribution:
                lines.append(line_of(pad + "— ", block.attribution))
        elif isinstance(block, Callout):
            if block.title:
                lines.append(line_of(pad, block.title))
            lines.extend(notes_lines(block.blocks, depth))
        elif isinstance(block, Table):
            for row in [block.columns, *block.rows]:
                lines.append(line_of(pad, *(piece for k, c in enumerate(row) for piece in ((" | ", c) if k else (c,)))))
        elif isinstance(block, Chart):
            lines.append(pad + block.title)
        elif isinstance(block, Figure):
            lines.append(pad + block.alt)
        elif isinstance(block, KeyFigures):
            lines.extend(line_of(pad + f"{value} — ", label) for value, label in block.items)
        elif not isinstance(block, PageBreak):
            raise unknown_node(block)
    return lines


def _inline_cites(inlines, out: list[int]) -> None:
    for node in inlines:
        if isinstance(node, Cite):
            out.extend(n for n in node.numbers if n not in out)
        elif isinstance(node, (Strong, Emph, Link, Note, Span)):
            _inline_cites(node.children, out)


def cites_in(blocks, out: list[int] | None = None) -> list[int]:
    """The source numbers cited in ``blocks``, in order of first citation."""
    out = [] if out is None else out
    for block in blocks:
        if isinstance(block, Paragraph):
            _inline_cites(block.inlines, out)
        elif isinstance(block, ListBlock):
            for item in block.items:
                cites_in(item.blocks, out)
        elif isinstance(block, Quote):
            cites_in(block.blocks, out)
            _inline_cites(block.attribution, out)
        elif isinstance(block, Callout):
            _inline_cites(block.title, out)
            cites_in(block.blocks, out)
        elif isinstance(block, Table):
            for cell in [*block.columns, *(c for row in block.rows for c in row)]:
                _inline_cites(cell, out)
            _inline_cites(block.caption, out)
        elif isinstance(block, Figure):
            _inline_cites(block.caption, out)
        elif isinstance(block, KeyFigures):
            for _value, label in block.items:
                _inline_cites(label, out)
    return out


def _inline_notes(inlines, out: list[int]) -> None:
    for node in inlines:
        if isinstance(node, Note):
            if node.number not in out:
                out.append(node.number)
        elif isinstance(node, (Strong, Emph, Link, Span)):
            _inline_notes(node.children, out)


def notes_in(blocks) -> list[int]:
    """The footnote numbers whose marks ``blocks`` hold (speaker-notes prose), in order."""
    out: list[int] = []

    def walk(blocks) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                _inline_notes(block.inlines, out)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, Quote):
                walk(block.blocks)
                _inline_notes(block.attribution, out)
            elif isinstance(block, Callout):
                _inline_notes(block.title, out)
                walk(block.blocks)
            elif isinstance(block, Table):
                _inline_notes(block.caption, out)
                for cell in [*block.columns, *(c for row in block.rows for c in row)]:
                    _inline_notes(cell, out)
            elif isinstance(block, Figure):
                _inline_notes(block.caption, out)
            elif isinstance(block, KeyFigures):
                for _value, label in block.items:
                    _inline_notes(label, out)

    walk(blocks)
    return out


def add_footnotes(slides, prose: dict[int, list[int]], notes: dict[int, list[Inline]], text=english_text) -> None:
    """Put into each planned slide's speaker notes the footnotes whose marks it shows: in its own text
    (titles, bodies, tables, captions: the runs it draws) and in its prose (``prose``: slide number →
    note numbers), as "Notes:" then "1. text", after the prose and before the sources it cites (``text``:
    the deck's fixed texts, for those headings in its language)."""
    for slide in slides:
        numbers = [run.note for para in slide.paragraphs() for run in para.runs if run.note]
        numbers = sorted(set(numbers + prose.get(slide.number, [])) & set(notes))
        if numbers:
            slide.notes = with_footnotes(slide.notes, [line_of(f"{n}. ", notes[n], marks=False, squeeze=True) for n in numbers], text)


def with_footnotes(lines: list[str], footnotes: list[str], text=english_text) -> list[str]:
    """Speaker-notes ``lines`` with the ``footnotes`` block: before the closing "Sources:" block when there is one."""
    block = [text("notes"), *footnotes]
    heads = (text("source_one"), text("source_many"))
    for i in range(len(lines) - 1, 0, -1):
        if lines[i] in heads and lines[i - 1] == "" and all(line.startswith("[") for line in lines[i + 1 :]):
            return [*lines[: i - 1], *([""] if i > 1 else []), *block, *lines[i - 1 :]]
    return [*lines, *([""] if lines else []), *block]
