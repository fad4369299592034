"""Document-tree blocks as slide paragraphs (``fit.Para``) and speaker-notes lines.

No python-pptx here: the writer turns these into runs, the fitter measures them.
"""

from __future__ import annotations

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
    PageBreak,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    plain,
    unknown_node,
)
from .fit import Para, Run

def runs_of(inlines: list[Inline], bold=False, italic=False, href="") -> list[Run]:
    out: list[Run] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Run(node.text, bold, italic, False, href))
        elif isinstance(node, Code):
            out.append(Run(node.text, bold, italic, True, href))
        elif isinstance(node, Strong):
            out.extend(runs_of(node.children, True, italic, href))
        elif isinstance(node, Emph):
            out.extend(runs_of(node.children, bold, True, href))
        elif isinstance(node, Link):
            out.extend(runs_of(node.children, bold, italic, node.href))
        elif isinstance(node, Cite):
            out.append(Run(node.label, bold, italic, False, href))
        elif isinstance(node, LineBreak):
            out.append(Run("\n"))
        else:
            raise unknown_node(node)
    return [r for r in out if r.text]


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
                p.runs = [Run(r.text, r.bold, True, r.code, r.href) for r in p.runs]
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
            lines.append(pad + plain(block.inlines))
        elif isinstance(block, ListBlock):
            for k, item in enumerate(block.items):
                mark = f"{block.start + k}. " if block.ordered else "• "
                first = True
                for sub in item.blocks:
                    if isinstance(sub, Paragraph):
                        lines.append(pad + (mark if first else "  ") + plain(sub.inlines))
                        first = False
                    else:
                        lines.extend(notes_lines([sub], depth + 1))
        elif isinstance(block, Quote):
            lines.extend(notes_lines(block.blocks, depth))
            if block.attribution:
                lines.append(pad + "— " + plain(block.attribution))
        elif isinstance(block, Callout):
            if block.title:
                lines.append(pad + plain(block.title))
            lines.extend(notes_lines(block.blocks, depth))
        elif isinstance(block, Table):
            lines.append(pad + " | ".join(plain(c) for c in block.columns))
            lines.extend(pad + " | ".join(plain(c) for c in row) for row in block.rows)
        elif isinstance(block, Chart):
            lines.append(pad + block.title)
        elif isinstance(block, Figure):
            lines.append(pad + block.alt)
        elif isinstance(block, KeyFigures):
            lines.extend(pad + f"{value} — {plain(label)}" for value, label in block.items)
        elif not isinstance(block, PageBreak):
            raise unknown_node(block)
    return lines


def _inline_cites(inlines, out: list[int]) -> None:
    for node in inlines:
        if isinstance(node, Cite):
            if node.number not in out:
                out.append(node.number)
        elif isinstance(node, (Strong, Emph, Link)):
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
