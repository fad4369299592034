"""The pack's composition rules: the deck's slides rearranged, measured, before they are planned. Pure.

The template makes one slide per thing an outline part holds (its points,
its chart, its figure...), which leaves slides mostly empty when the parts
are short. These rules join such slides where the joined slide is measured to
hold everything at a size the theme allows, without shrinking below it:

- ``points_on_divider``: a section slide followed by the section's own
  points, when they fit under its title, carries them (one slide, not a
  divider and a slide of three bullets);
- ``points_beside_visual``: a part's points followed by its chart, figure or
  table become one two-column slide (the points left, the visual right) when
  the points would fill less than half a slide of their own (a table only
  when it fits its column whole, at the theme's table size, no word broken);
- ``pair_short_parts``: two sibling subsections whose points would each fill
  less than half a slide go side by side on the two-column layout, each
  under its own title as a column heading, the slide titled with their
  section's title (a part that can go beside its own chart or figure does
  that instead).

``arrange`` returns the slides and a record of each join (for tests and
``--log-format json``); it changes nothing when the theme turns the rules
off (``deck.compose``). Slides a user gave a layout of their own are left
as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...doctree import Chart, Figure, ListBlock, Paragraph, Slide, Table, plain
from ...doctree import Text as Words
from .blocks import paras_of, runs_of
from .fit import Fit, Frame, Para, Spec, fit
from .plan_visuals import caption_height, choose_table
from .units import DEFAULT_INSETS, pt

TEXT_ONLY = "content"


@dataclass(frozen=True)
class Join:
    """One rule applied: ``rule`` joined the slides of outline parts ``origins`` into one."""

    rule: str
    origins: tuple[str, ...]


def arrange(slides: list[Slide], planner) -> tuple[list[Slide], list[Join]]:
    """Return ``slides`` with the theme's composition rules applied, and the joins made."""
    rules = planner.theme.deck.compose
    out: list[Slide] = []
    joins: list[Join] = []
    i = 0
    while i < len(slides):
        s = slides[i]
        nxt = slides[i + 1] if i + 1 < len(slides) else None
        if nxt is not None and rules.points_on_divider and _own_points(s, nxt, planner) and _fits_divider(s, nxt, planner):
            out.append(replace(s, body=[*s.body, *nxt.body], notes=nxt.notes or s.notes))
            joins.append(Join("points_on_divider", (s.origin, nxt.origin)))
            i += 2
            continue
        if nxt is not None and rules.points_beside_visual and _points_then_visual(s, nxt, planner):
            nxt = named(s, nxt)
        if nxt is not None and rules.points_beside_visual and _points_then_visual(s, nxt, planner) and _fits_beside(s, nxt, planner):
            two = planner.theme.deck.layouts.two_content
            out.append(replace(s, layout=two, body=[*s.body, *nxt.body], notes=[*s.notes, *nxt.notes]))
            joins.append(Join("points_beside_visual", (s.origin, nxt.origin)))
            i += 2
            continue
        after = slides[i + 2] if i + 2 < len(slides) else None
        beside = after is not None and rules.points_beside_visual and _points_then_visual(nxt, after, planner)
        if nxt is not None and rules.pair_short_parts and not beside and _siblings(s, nxt, planner) and _fits_pair(s, nxt, planner):
            out.append(paired(s, nxt, planner.theme.deck.layouts.two_content))
            joins.append(Join("pair_short_parts", (s.origin, nxt.origin)))
            i += 2
            continue
        out.append(s)
        i += 1
    return out, joins


_SUB = re.compile(r"^(sections\[\d+\])\.subsections\[(\d+)\]\.points$")


def _siblings(s: Slide, nxt: Slide, planner) -> bool:
    """``s`` and ``nxt`` are the points of consecutive subsections of one section, on the content layout, with a section title."""
    lay = planner.theme.deck.layouts
    a, b = _SUB.match(s.origin), _SUB.match(nxt.origin)
    return bool(a and b and a[1] == b[1] and int(b[2]) == int(a[2]) + 1 and s.parent and plain(s.parent) == plain(nxt.parent)
                and s.layout == nxt.layout == lay.content and _plain_text(s) and _plain_text(nxt) and not s.id and not nxt.id
                and lay.two_content in planner.geo.layouts)


def paired(s: Slide, nxt: Slide, layout: str) -> Slide:
    """One two-column slide: the section's title; in each column a part's title (a "heading" paragraph) over its points;
    both parts' notes under their titles."""
    body = [Paragraph(list(s.title), "heading"), *s.body, Paragraph(list(nxt.title), "heading"), *nxt.body]
    notes = []
    for part in (s, nxt):
        if part.notes:
            notes += [Paragraph(list(part.title)), *part.notes]
    return replace(s, layout=layout, title=s.parent, body=body, notes=notes, kind="paired")


def _columns(lay) -> list:
    """A layout's text and content placeholders after the title, left to right, top to bottom (those with a box)."""
    return sorted((p for p in lay.slide if p.type in ("obj", "body") and p.idx > 0 and p.box is not None), key=lambda p: p.box[:2])


def _fits_pair(s: Slide, nxt: Slide, planner) -> bool:
    """Each part would fill less than half a slide of its own, and each fits a column of the two-column layout,
    its title over its points, at the body size or a little smaller."""
    own = planner.geo.layouts.get(s.layout)
    full_ph = own.find("obj", "body", idx=1) if own is not None else None
    if full_ph is None or full_ph.box is None:
        return False
    if any(fill(planner, paras_of(p.body), full_ph.box, full_ph.insets) >= 0.5 for p in (s, nxt)):
        return False
    cols = _columns(planner.geo.layouts[planner.theme.deck.layouts.two_content])
    if len(cols) != 2:
        return False
    for part, col in zip((s, nxt), cols):
        res = _measure(planner, [Para(runs_of(part.title, bold=True), style="heading"), *paras_of(part.body)], col.box, col.insets)
        if res.overflow or res.size < _least(planner):
            return False
    return True


def _plain_text(s: Slide) -> bool:
    return s.kind == TEXT_ONLY and not s.subtitle and not s.layout_at and all(isinstance(b, (ListBlock, Paragraph)) for b in s.body)


def _own_points(s: Slide, nxt: Slide, planner) -> bool:
    """``nxt`` is the points of the section ``s`` opens, on the theme's content layout."""
    lay = planner.theme.deck.layouts
    return (s.kind == "section" and s.layout == lay.section and nxt.origin == f"{s.origin}.points"
            and nxt.layout == lay.content and _plain_text(nxt) and not nxt.id)


def _points_then_visual(s: Slide, nxt: Slide, planner) -> bool:
    """``s`` is a part's points on the content layout and ``nxt`` that part's chart or figure alone."""
    lay = planner.theme.deck.layouts
    if not (s.origin.endswith(".points") and s.layout == lay.content and _plain_text(s)):
        return False
    part = s.origin[: -len(".points")]
    return (nxt.kind in ("chart", "figure", "table") and nxt.origin in (f"{part}.chart", f"{part}.figure", f"{part}.table")
            and nxt.layout == lay.title_only and not nxt.layout_at and not nxt.id and len(nxt.body) == 1 and isinstance(nxt.body[0], (Chart, Figure, Table))
            and lay.two_content in planner.geo.layouts)


def divider_box(planner, layout: str):
    """The text placeholder of a section slide that carries points, and its box: the placeholder's, reaching down
    to the bottom of the content layout's body area (the room under a divider's title). (None, None): no such placeholder."""
    lay = planner.geo.layouts.get(layout)
    if lay is None:
        return None, None
    ph = next((p for p in lay.placeholders if p.type in ("body", "subTitle") and p.idx > 0 and p.box is not None), None)
    if ph is None:
        return None, None
    x, y, w, h = ph.box
    content = planner.geo.layouts.get(planner.theme.deck.layouts.content)
    bottom = y + h
    if content is not None:
        _cx, cy, _cw, ch = planner._area(content)
        bottom = max(bottom, cy + ch)
    return ph, (x, y, w, bottom - y)


def _fits_divider(s: Slide, nxt: Slide, planner) -> bool:
    """The section's points (after its subtitle) fit its divider's text box at the body size, or a little smaller."""
    ph, box = divider_box(planner, s.layout)
    if ph is None:
        return False
    paras = ([Para(runs_of(s.subtitle))] if s.subtitle else []) + paras_of([*s.body, *nxt.body])
    res = _measure(planner, paras, box, ph.insets)
    return not res.overflow and res.size >= _least(planner)


def _fits_beside(s: Slide, nxt: Slide, planner) -> bool:
    """The points would fill less than half a slide of their own, and fit the left column of two at the body size, or a
    little smaller; a table fits the right column whole."""
    own = planner.geo.layouts.get(s.layout)
    full_ph = own.find("obj", "body", idx=1) if own is not None else None
    cols = _columns(planner.geo.layouts[planner.theme.deck.layouts.two_content])
    if len(cols) < 2 or full_ph is None or full_ph.box is None:
        return False
    paras = paras_of(s.body)
    if fill(planner, paras, full_ph.box, full_ph.insets) >= 0.5:
        return False
    res = _measure(planner, paras_of(s.body), cols[0].box, cols[0].insets)
    if res.overflow or res.size < _least(planner):
        return False
    return not isinstance(nxt.body[0], Table) or _table_fits(planner, nxt.body[0], cols[1])


def named(s: Slide, nxt: Slide) -> Slide:
    """``nxt`` as it would stand beside ``s``'s points: a table titled apart from the part (its caption was the slide's title)
    says that title in its caption line, before its source ("New START limits. Source: ...")."""
    table = nxt.body[0]
    if not isinstance(table, Table) or plain(nxt.title).strip().casefold() == plain(s.title).strip().casefold():
        return nxt
    caption = [*nxt.title, Words(". "), *table.caption] if table.caption else list(nxt.title)
    return replace(nxt, body=[replace(table, caption=caption)])


def _table_fits(planner, table: Table, ph) -> bool:
    """``table`` fits placeholder ``ph``'s box (less its side insets) whole, caption below, at the theme's table size, no word broken."""
    x, y, w, h = ph.box
    li, _t, ri, _b = ph.insets or DEFAULT_INSETS
    width = w - li - ri
    header = [Para(runs_of(c)) for c in table.columns]
    rows = [[Para(runs_of(c)) for c in row] for row in table.rows]
    small = max(10.0, planner.sizes.deck_notes)
    cap = caption_height(planner.m, planner.margins, width, h, [Para(runs_of(table.caption))], small) if table.caption else 0
    size = planner.sizes.deck_table
    plan, _pages, broken = choose_table(planner.m, header, rows, pt(width), pt(h - cap), size, size, single=False)
    return not broken and sum(plan.heights) <= pt(h - cap)


def _least(planner) -> float:
    """The smallest size a joined slide's text may be set at: the body size less a fifth, not below the theme's floor."""
    sizes = planner.sizes
    return max(sizes.deck_body_min, sizes.deck_body * 0.8)


def _frame(planner, box, insets) -> Frame:
    _x, _y, w, h = box
    return Frame(pt(w), pt(h), tuple(pt(v) for v in insets or DEFAULT_INSETS), planner.margins)


def _measure(planner, paras: list[Para], box, insets) -> Fit:
    return fit(planner.m, paras, _frame(planner, box, insets), planner.sizes.deck_body, planner.sizes.deck_body_min, allow_split=False)


def fill(planner, paras: list[Para], box, insets, size: float | None = None) -> float:
    """Return the share (0..1) of ``box``'s text height that ``paras`` take at ``size`` (default: the body size)."""
    frame = _frame(planner, box, insets)
    if frame.inner_h <= 0:
        return 1.0
    return planner.m.height(paras, Spec(size or planner.sizes.deck_body, planner.sizes.deck_body_min), frame) / frame.inner_h
