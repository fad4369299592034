"""The pack's composition rules (``writers/pptx/arrange.py``), through the planner: which slides are joined, measured.

Planned on ``briefing_geometry.json`` (the briefing master as the planner
sees it), so nothing here opens a .pptx. The rules join only what fits at the
body size or a fifth less; each test also checks the case that must stay apart.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reportgen.compose.decide import decide
from reportgen.doctree import Chart, Deck, ListBlock, ListItem, Meta, Paragraph, Series, Slide, Table, Text
from reportgen.theme import DeckCompose, load_theme
from reportgen.writers.pptx.arrange import arrange
from reportgen.writers.pptx.model import ChartVisual, Geometry, TableVisual
from reportgen.writers.pptx.plan import Planner, plan_deck

ROOT = Path(__file__).resolve().parents[3]
WORDS = ("The summit produced a joint statement on strategic stability, reaffirming that a nuclear war cannot be won and must "
         "never be fought. Both leaders agreed to launch an integrated bilateral dialogue on arms control and risk reduction.").split()


@pytest.fixture(scope="module")
def theme():
    return load_theme(str(ROOT / "reportgen" / "packs" / "briefing"))


@pytest.fixture(scope="module")
def geometry():
    return Geometry.from_dict(json.loads(Path(__file__).with_name("briefing_geometry.json").read_text(encoding="utf-8")))


def P(text: str) -> Paragraph:
    return Paragraph([Text(text)])


def bullets(*items: str) -> ListBlock:
    return ListBlock([ListItem([P(i)]) for i in items])


def plan(theme, geometry, *slides):
    return plan_deck(decide(Deck(Meta("T", date_text="16 June 2021"), list(slides))), theme, geometry)


def said(p) -> list[str]:
    return [f"{w.path}: {w.message}" for w in p.warnings]


def text_of(paras) -> str:
    return " ".join("".join(r.text for r in p.runs) for p in paras)

SHORT = ["Direct talks between two nuclear powers", "An agenda of shared interests", "The outcome shapes relations"]
LONG = [" ".join(WORDS[i : i + 30]) for i in range(0, 40, 5)]  # eight long points: most of a slide


def with_rules(theme, **rules):
    """``theme`` with its deck's composition rules set to ``rules`` (the rest as the theme has them)."""
    compose = theme.deck.compose.model_copy(update=rules)
    return theme.model_copy(update={"deck": theme.deck.model_copy(update={"compose": compose})})


def divider(n=1):
    return Slide("Section Header", [Text("Why the Summit Mattered")], subtitle=[Text(f"Part {n} of 5")], kind="section",
                 id=f"sec-{n}", origin=f"sections[{n}]")


def points(origin, items, title="Direct communication", parent="Why the Summit Mattered"):
    return Slide("Title and Content", [Text(title)], body=[bullets(*items)], notes=[P(f"Notes of {title}.")],
                 origin=f"{origin}.points", parent=[Text(parent)] if parent else [])


def chart(origin):
    return Slide("Title Only", [Text("Warheads")], kind="chart", origin=f"{origin}.chart",
                 body=[Chart("bar", "Warheads", ["Total", "Deployed"], [Series("Russia", [6255, 1625])], unit="warheads")])


def test_a_sections_short_points_go_on_its_section_slide(theme, geometry):
    p = plan(theme, geometry, divider(), points("sections[1]", SHORT, parent=""))
    assert len(p.slides) == 1
    (slide,) = p.slides
    assert slide.kind == "section" and slide.layout == "Section Header" and slide.anchor == "sec-1"
    (sub,) = slide.texts
    assert text_of(sub.paras) == " ".join(["Part 1 of 5", *SHORT])  # the subtitle, then every point
    assert [q.bullet for q in sub.paras] == ["none", "bullet", "bullet", "bullet"] and sub.bullets  # drawn, as the style has none
    assert sub.spec.base >= theme.sizes.deck_body * 0.8 and not sub.fitted.overflow
    x, y, w, h = sub.box  # the placeholder reaches down to the content area's bottom
    ph = geometry.layouts["Section Header"].find("body")
    assert (x, y, w) == ph.box[:3] and h > ph.box[3]
    assert slide.notes == ["Notes of Direct communication."]  # the points slide's prose, now the divider's notes
    assert said(p) == []


def test_long_points_or_the_rule_off_keep_the_section_slide_apart(theme, geometry):
    assert len(plan(theme, geometry, divider(), points("sections[1]", LONG, parent="")).slides) == 2
    off = with_rules(theme, points_on_divider=False)
    assert len(plan(off, geometry, divider(), points("sections[1]", SHORT, parent="")).slides) == 2
    # another section's points, or a subsection's, are not this section's own
    assert len(plan(theme, geometry, divider(), points("sections[2]", SHORT, parent="")).slides) == 2
    assert len(plan(theme, geometry, divider(), points("sections[1].subsections[0]", SHORT)).slides) == 2


def test_a_parts_few_points_go_beside_its_chart(theme, geometry):
    p = plan(theme, geometry, points("sections[4].subsections[1]", SHORT, title="Global security"), chart("sections[4].subsections[1]"))
    (slide,) = p.slides
    assert slide.layout == "Two Content" and slide.title == "Global security"
    (col,) = slide.texts
    assert col.role == "column" and text_of(col.paras) == " ".join(SHORT)
    (v,) = slide.visuals
    assert isinstance(v, ChartVisual)
    left = geometry.layouts["Two Content"].slide[1].box
    assert v.box[0] > left[0] + left[2] // 2  # in the right column
    assert said(p) == []


def test_points_that_fill_a_slide_keep_their_own_beside_no_chart(theme, geometry):
    assert len(plan(theme, geometry, points("sections[4]", LONG), chart("sections[4]")).slides) == 2
    assert len(plan(theme, geometry, points("sections[4]", SHORT), chart("sections[3]")).slides) == 2  # another part's chart
    off = with_rules(theme, points_beside_visual=False)
    assert len(plan(off, geometry, points("sections[4]", SHORT), chart("sections[4]")).slides) == 2


def test_two_short_sibling_subsections_share_a_slide_under_their_sections_title(theme, geometry):
    a = points("sections[3].subsections[0]", SHORT, title="Strategic stability", parent="Outcomes and Agreements")
    b = points("sections[3].subsections[1]", SHORT[:2], title="Cybersecurity", parent="Outcomes and Agreements")
    p = plan(theme, geometry, a, b)
    (slide,) = p.slides
    assert slide.layout == "Two Content" and slide.title == "Outcomes and Agreements"
    left, right = slide.texts
    assert [text_of(left.paras[:1]), text_of(right.paras[:1])] == ["Strategic stability", "Cybersecurity"]
    assert all(r.bold for t in (left, right) for r in t.paras[0].runs)  # the part's title, as its column's heading
    assert text_of(left.paras[1:]) == " ".join(SHORT) and text_of(right.paras[1:]) == " ".join(SHORT[:2])
    assert left.spec.base == right.spec.base >= theme.sizes.deck_body * 0.8  # one size for both columns
    assert slide.notes == ["Strategic stability", "Notes of Strategic stability.", "Cybersecurity", "Notes of Cybersecurity."]
    assert said(p) == []


def test_parts_that_are_not_short_siblings_stay_apart(theme, geometry):
    def pair(*slides, rules=theme):
        return [s.layout for s in plan(rules, geometry, *slides).slides]

    sub = "sections[3].subsections[{}]"
    assert pair(points(sub.format(0), SHORT), points(sub.format(1), LONG)) == ["Title and Content"] * 2  # one is not short
    assert pair(points(sub.format(0), SHORT), points(sub.format(2), SHORT)) == ["Title and Content"] * 2  # not consecutive
    assert pair(points(sub.format(0), SHORT), points("sections[4].subsections[1]", SHORT)) == ["Title and Content"] * 2  # two sections
    assert pair(points(sub.format(0), SHORT), points(sub.format(1), SHORT), rules=with_rules(theme, pair_short_parts=False)) == ["Title and Content"] * 2
    # the second has its own chart to stand beside: that wins
    assert pair(points(sub.format(0), SHORT), points(sub.format(1), SHORT), chart(sub.format(1))) == ["Title and Content", "Two Content"]


def test_three_short_siblings_pair_the_first_two(theme, geometry):
    parts = [points(f"sections[1].subsections[{i}]", SHORT, title=f"Part {i}") for i in range(3)]
    slides, joins = arrange(parts, Planner(Deck(Meta("T"), parts), theme, geometry))
    assert [s.kind for s in slides] == ["paired", "content"]
    assert [(j.rule, j.origins) for j in joins] == [("pair_short_parts", ("sections[1].subsections[0].points", "sections[1].subsections[1].points"))]


def test_a_sparse_slide_is_reported_where_it_comes_from(theme, geometry):
    lone = Slide("Title and Content", [Text("Diplomatic relations")], body=[bullets("Ambassadors return")], origin="sections[3].points")
    p = plan(theme, geometry, lone)
    (w,) = p.warnings
    assert w.code == "slide-sparse" and w.path == "sections[3].points"
    assert "its text fills 8% of the slide's body (less than deck.compose.sparse_below, 25%)" in w.message
    assert plan(with_rules(theme, sparse_below=0), geometry, lone).warnings == []
    full = Slide("Title and Content", [Text("Diplomatic relations")], body=[bullets(*SHORT, *SHORT)], origin="sections[3].points")
    assert plan(theme, geometry, full).warnings == []  # six points fill more than a quarter


def test_the_rules_default_on_and_sparse_below_is_bounded():
    assert DeckCompose() == DeckCompose(points_on_divider=True, points_beside_visual=True, pair_short_parts=True, sparse_below=0.25)
    with pytest.raises(ValueError):
        DeckCompose(sparse_below=1.5)


def test_only_the_sections_own_points_join_its_section_slide(theme, geometry):
    """Its points, as a list or a short paragraph, join; a quote slide of the section (another part) does not."""
    prose = Slide("Title and Content", [Text("Why")], body=[Paragraph([Text("One short paragraph.")])], origin="sections[1].points")
    assert len(plan(theme, geometry, divider(), prose).slides) == 1
    quote = Slide("Title and Content", [Text("Q")], origin="sections[1].quote", body=[bullets("x")])
    assert len(plan(theme, geometry, divider(), quote).slides) == 2


def table_slide(origin, columns, rows, title="New START limits"):
    cells = lambda xs: [[Text(x)] for x in xs]  # noqa: E731
    table = Table(cells(columns), [cells(r) for r in rows], caption=[Text("Source: State Department")], origin=f"{origin}.table")
    return Slide("Title Only", [Text(title)], kind="table", origin=f"{origin}.table", body=[table])


def test_a_table_that_fits_the_column_whole_goes_beside_the_points_named_in_its_caption(theme, geometry):
    small = table_slide("sections[2].subsections[0]", ["Limit", "Ceiling"], [["Deployed warheads", "1,550"], ["Launchers", "800"]])
    p = plan(theme, geometry, points("sections[2].subsections[0]", SHORT, title="Arms control"), small)
    (slide,) = p.slides
    (v,) = slide.visuals
    assert isinstance(v, TableVisual) and v.layout.size == theme.sizes.deck_table and v.pages == 1
    assert text_of(v.caption.paras) == "New START limits. Source: State Department"  # its slide's title, kept
    wide = table_slide("sections[2].subsections[0]", [f"Column {i}" for i in range(7)], [[f"Value {i}" for i in range(7)]] * 3)
    assert len(plan(theme, geometry, points("sections[2].subsections[0]", SHORT, title="Arms control"), wide).slides) == 2
    long = table_slide("sections[2].subsections[0]", ["Limit", "Ceiling"], [[f"Row {i}", str(i)] for i in range(30)])
    assert len(plan(theme, geometry, points("sections[2].subsections[0]", SHORT, title="Arms control"), long).slides) >= 2


def test_a_layout_the_outline_chose_is_never_moved(theme, geometry):
    chosen = replace(points("sections[4]", SHORT), layout_at="sections[4].layout")
    assert [s.layout for s in plan(theme, geometry, chosen, chart("sections[4]")).slides] == ["Title and Content", "Title Only"]
    placed = replace(chart("sections[4]"), layout_at="sections[4].chart.layout")
    assert [s.layout for s in plan(theme, geometry, points("sections[4]", SHORT), placed).slides] == ["Title and Content", "Title Only"]


def test_the_bottom_line_is_a_statement_set_large_and_never_sparse(theme, geometry):
    short = Slide("Title and Content", [Text("Bottom line up front")], body=[P("Talks resumed; the risks did not go away.")],
                  kind="statement", origin="bottom_line")
    p = plan(theme, geometry, short)
    (text,) = p.slides[0].texts
    assert text.spec.base == round(theme.sizes.deck_body * 1.25) and p.warnings == []  # large, and no sparse warning
    long = replace(short, body=[P(" ".join(WORDS * 3))])
    p = plan(theme, geometry, long)
    (text,) = p.slides[0].texts
    assert theme.sizes.deck_body <= text.spec.base < round(theme.sizes.deck_body * 1.25) and p.warnings == []  # smaller, not "shrunk"
    as_content = plan(theme, geometry, replace(short, kind="content"))
    assert as_content.slides[0].texts[0].spec.base == theme.sizes.deck_body and [w.code for w in as_content.warnings] == ["slide-sparse"]
