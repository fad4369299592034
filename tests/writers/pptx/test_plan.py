"""Planning a deck (``writers/pptx/plan.py``): every slide decision, checked without python-pptx or a file.

The master is ``briefing_geometry.json`` (the briefing pack's master as the
planner sees it; ``test_geometry.py`` keeps it equal to the real one), so
nothing here opens a .pptx or imports python-pptx.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.doctree import (
    Cite,
    Deck,
    Link,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Slide,
    Table,
    Text,
)
from reportgen.compose.decide import decide
from reportgen.theme import load_theme
from reportgen.writers.pptx.model import Geometry, TableVisual
from reportgen.writers.pptx.plan import CONT, plan_deck

ROOT = Path(__file__).resolve().parents[3]
PACK = ROOT / "reportgen" / "packs" / "briefing"
GEOMETRY = Path(__file__).with_name("briefing_geometry.json")

WORDS = (
    "The summit produced a joint statement on strategic stability, reaffirming that a nuclear war cannot be won "
    "and must never be fought. Both leaders agreed to launch an integrated bilateral dialogue on arms control and "
    "risk reduction, to return ambassadors to their posts, and to begin expert consultations on cybersecurity."
).split()
FOURTEEN = [f"Point {i + 1}: " + " ".join(WORDS[i * 3 : i * 3 + 22]) for i in range(14)]


@pytest.fixture(scope="module")
def theme():
    return load_theme(str(PACK))


@pytest.fixture(scope="module")
def geometry():
    return Geometry.from_dict(json.loads(GEOMETRY.read_text(encoding="utf-8")))


def P(*parts) -> Paragraph:
    return Paragraph([Text(p) if isinstance(p, str) else p for p in parts])


def bullets(*items) -> ListBlock:
    return ListBlock([ListItem([i if isinstance(i, Paragraph) else P(i)]) for i in items])


def plan(theme, geometry, *slides):
    deck = decide(Deck(Meta("T", date_text="16 June 2021", classification="UNCLASSIFIED"), list(slides)))  # as composing does
    return plan_deck(deck, theme, geometry)


def said(p) -> list[str]:
    """The plan's warnings as "outline part: message" (the build places the part at its line)."""
    return [f"{w.path}: {w.message}" for w in p.warnings]


def text_of(paras) -> str:
    return " ".join("".join(r.text for r in p.runs) for p in paras)


def test_planning_imports_no_python_pptx():
    """Importing the planner, and planning a deck with it, loads neither python-pptx nor anything of it."""
    code = (
        "import json, sys\n"
        "import reportgen.writers.pptx.plan as plan\n"
        "assert not [m for m in sys.modules if m == 'pptx' or m.startswith('pptx.')], 'import'\n"
        "from reportgen.doctree import Deck, Meta, Slide, Text, Paragraph\n"
        "from reportgen.theme import load_theme\n"
        "from reportgen.writers.pptx.model import Geometry\n"
        f"geo = Geometry.from_dict(json.load(open({str(GEOMETRY)!r})))\n"
        f"theme = load_theme({str(PACK)!r})\n"
        "deck = Deck(Meta('T'), [Slide('Title and Content', [Text('A')], body=[Paragraph([Text('b')])])])\n"
        "assert len(plan.plan_deck(deck, theme, geo).slides) == 1\n"
        "print(sorted(m for m in sys.modules if m == 'pptx' or m.startswith('pptx.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_long_bullet_list_continues_on_cont_slides(theme, geometry):
    p = plan(theme, geometry, Slide("Title and Content", [Text("Fourteen points")], body=[bullets(*FOURTEEN)],
                                    notes=[P("Say it.")], origin="sections[1].points"))
    assert [s.title for s in p.slides] == ["Fourteen points", "Fourteen points" + CONT]
    first, cont = p.slides
    assert (first.continued, cont.continued) == (False, True) and first.layout == cont.layout == "Title and Content"
    assert first.notes == ["Say it."] and cont.notes == []  # the notes once, on the first
    assert cont.title_text.paras[0].runs[-1].text == CONT
    bodies = [s.texts[0] for s in p.slides]
    assert text_of(bodies[0].paras + bodies[1].paras) == " ".join(FOURTEEN)  # every point once, in order
    assert all(t.fitted.pages == 2 and t.spec.base == bodies[0].spec.base for t in bodies)
    assert said(p)[-1] == (f"sections[1].points: slide 1 'Fourteen points': body text split onto 2 slides "
                           f"(continued as 'Fourteen points (cont.)') at {bodies[0].spec.base:g}pt")


def test_text_shrinks_within_the_themes_limits_and_says_so(theme, geometry):
    sizes = theme.sizes
    long = " ".join((WORDS * 4)[:130])  # a few lines too many at the theme's body size
    p = plan(theme, geometry,
             Slide("Title and Content", [Text("One long bullet")], body=[bullets(long, "A short one")], origin="body"),
             Slide("Title and Content", [Text("A title that goes on and on about the many outcomes and agreements of the summit in Geneva")],
                   body=[bullets("Short")], origin="long-title"),
             Slide("Title and Content", [Text("Short")], body=[bullets("Short")]))
    body = p.slides[0].texts[0]
    assert sizes.deck_body_min <= body.spec.base < sizes.deck_body and body.fitted.shrunk and body.fitted.pages == 1
    assert f"body: slide 1 'One long bullet': body text shrunk from {sizes.deck_body:g}pt to {body.spec.base:g}pt to fit" in said(p)
    title = p.slides[1].title_text
    start = geometry.layouts["Title and Content"].slide[0].title_size
    assert title.fitted.shrunk and max(sizes.deck_body_min, round(start * 0.6)) <= title.spec.base < start and title.sized
    assert any(w.startswith("long-title: slide 2 ") and "': title shrunk" in w for w in said(p))
    huge = plan(theme, geometry, Slide("Title and Content", [Text("Huge")], body=[bullets(" ".join(WORDS * 12))]))
    sizes_used = {t.spec.base for s in huge.slides for t in s.texts}
    assert sizes_used == {sizes.deck_body_min} and len(huge.slides) > 1  # never below the floor: split instead
    quiet = p.slides[2]  # fits as it is: no size written on the title, no warning
    assert not quiet.title_text.fitted.shrunk and not quiet.title_text.sized and quiet.texts[0].spec.base == sizes.deck_body
    assert not [w for w in p.warnings if w.message.startswith("slide 3 ")]


def test_layout_and_placeholders_per_slide_kind(theme, geometry):
    p = plan(theme, geometry,
             Slide("", [Text("Cover")], [Text("Sub")], kind="title"),
             Slide("", [Text("1 Section")], [Text("What")], kind="section"),
             Slide("", [Text("Points")], body=[bullets("a")], kind="content"),
             Slide("Title Only", [Text("Own layout")], body=[bullets("a")], kind="content"),
             Slide("Two Content", [Text("Columns")], body=[bullets("left"), bullets("right")], kind="content"))
    cover, section, content, own, columns = p.slides
    assert [s.layout for s in p.slides] == ["Title Slide", "Section Header", "Title and Content", "Title Only", "Two Content"]
    assert cover.placeholders[cover.title_target].type == "ctrTitle" and not cover.footers
    assert [cover.placeholders[t.target].type for t in cover.texts] == ["subTitle"] and cover.texts[0].role == "subtitle"
    assert section.back_link and section.footers and [section.placeholders[t.target].type for t in section.texts] == ["body"]
    assert [content.placeholders[t.target].idx for t in content.texts] == [1]
    assert {ph.type for ph in content.placeholders} >= {"dt", "ftr", "sldNum"}  # the footers the writer copies
    assert own.texts[0].target is None and own.texts[0].box is not None  # no body there: a text box over the body area
    assert [(columns.placeholders[t.target].idx, text_of(t.paras)) for t in columns.texts] == [(1, "left"), (2, "right")]


def test_long_table_paginated_with_header_repeated(theme, geometry):
    rows = [[[Text(f"Row {r + 1}")], [Text(f"Measure {r + 1} of the agreement list")], [Text(str(1000 + r))]] for r in range(45)]
    table = Table([[Text("#")], [Text("Measure")], [Text("Value")]], rows, caption=[Text("Table 1. Forty-five")])
    p = plan(theme, geometry, Slide("Title and Content", [Text("Forty-five measures")], body=[table], kind="table", origin="t"))
    pages = [v for s in p.slides for v in s.visuals]
    assert all(isinstance(v, TableVisual) for v in pages) and len(pages) == len(p.slides) > 1
    assert [s.title for s in p.slides] == ["Forty-five measures"] + ["Forty-five measures" + CONT] * (len(p.slides) - 1)
    assert all(text_of(v.header) == "# Measure Value" and v.pages == len(pages) for v in pages)  # the header on every page
    assert [n for v in pages for n in v.row_numbers] == list(range(1, 46))  # every row once, in order
    assert [text_of(v.rows[0][:1]) for v in pages] == [f"Row {v.row_numbers[0]}" for v in pages]
    for v in pages:  # each page and its caption below it inside the box
        left, top, width, height = v.box
        bottom = top + sum(v.layout.heights) * 12700
        assert bottom <= v.caption.box[1] and v.caption.box[1] + v.caption.box[3] <= top + height
    assert all(s.drop == [1] and s.placeholders[1].type == "obj" for s in p.slides)  # the body placeholder, left empty, goes
    assert f"t: slide 1 'Forty-five measures': table of 45 rows split onto {len(pages)} slides (header row repeated)" in said(p)


def test_notes_carry_the_prose_and_the_cited_sources(theme, geometry):
    sources = ListBlock([ListItem([P("Reuters, 16 June 2021.")]), ListItem([P("TASS, 17 June 2021.")])], ordered=True)
    p = plan(theme, geometry,
             Slide("", [Text("Points")], body=[bullets(P("Claim ", Cite(2)))], notes=[P("Say it slowly."), bullets("then this")]),
             Slide("", [Text("Both")], body=[bullets(P("Both ", Cite(1), Cite(2)))]),
             Slide("", [Text("Sources")], body=[sources], notes=[P("Read them.")], kind="closing"))
    cited, both, closing = p.slides
    assert cited.notes == ["Say it slowly.", "• then this", "", "Source:", "[2] TASS, 17 June 2021."]
    assert both.notes == ["", "Sources:", "[1] Reuters, 16 June 2021.", "[2] TASS, 17 June 2021."]
    assert closing.notes == ["Read them."]  # the sources slide itself: its prose only


def test_agenda_links_land_on_their_sections(theme, geometry):
    agenda = ListBlock([ListItem([P(Link("#sec-1", [Text("One")]))]), ListItem([P(Link("#nowhere", [Text("Gone")]))])], ordered=True)
    table = Table([[Text("Go")]], [[[Link("#sec-2", [Text("two")])]], [[Link("#lost", [Text("lost")])]]])
    p = plan(theme, geometry,
             Slide("", [Text("Agenda")], body=[agenda], kind="agenda", origin="sections"),
             Slide("", [Text("1 One")], kind="section", id="sec-1"),
             Slide("Title Only", [Text("Links in a table")], body=[table], kind="table", origin="t"),
             Slide("", [Text("2 Two")], kind="section", id="sec-2"))
    assert p.agenda == 1 and p.anchors == {"sec-1": 2, "sec-2": 4}
    assert [s.back_link for s in p.slides] == [False, True, False, True]
    assert said(p) == [
        "sections: slide 1 'Agenda': link to '#nowhere' has no slide with that id; left as plain text",
        "t: slide 3 'Links in a table': link to '#lost' has no slide with that id; left as plain text",
    ]
    assert {(w.severity, w.code) for w in p.warnings} == {("warning", "link-broken")}


# --- titles a screen reader can tell apart, on every slide ------------------------------------------


def titled(p) -> list[str]:
    return [text_of(s.title_text.paras) for s in p.slides]


def test_a_title_an_earlier_slide_has_is_told_apart_by_its_number(theme, geometry):
    p = plan(theme, geometry, *(Slide("Title and Content", [Text(t)], body=[bullets("a")]) for t in ("Outcomes", "OUTCOMES", " Outcomes", "Outcomes (2)")))
    assert titled(p) == ["Outcomes", "OUTCOMES (2)", " Outcomes (3)", "Outcomes (2) (2)"]  # compared without case or extra spaces
    assert [s.title for s in p.slides] == ["Outcomes", "OUTCOMES", " Outcomes", "Outcomes (2)"]  # (messages name the slide as written)


def test_a_title_its_number_would_not_fit_stays_as_written(theme, geometry):
    from reportgen.writers.pptx.fit import Para, Run, fit
    from reportgen.writers.pptx.plan import TITLE_FLOOR, Planner

    planner = Planner(Deck(Meta("T"), []), theme, geometry)
    ph = geometry.layouts["Title and Content"].slide[0]
    frame = planner._frame(ph, "Title and Content")
    text = " ".join(WORDS * 3)

    def overflows(title: str) -> bool:
        return fit(planner.m, [Para([Run(title)])], frame, ph.title_size, TITLE_FLOOR, bold=True, allow_split=False).overflow

    n = next(n for n in range(20, len(text)) if overflows(text[:n].rstrip() + " (2)"))
    long = text[:n].rstrip()  # fits at the smallest a title may be set; with " (2)" it would not
    assert not overflows(long)
    p = plan(theme, geometry, *(Slide("Title and Content", [Text(long)], body=[bullets("a")]) for _ in range(2)))
    assert titled(p) == [long, long] and not [w for w in p.warnings if w.code == "text-overflow"]


def test_a_slide_on_a_layout_without_a_title_gets_one_off_the_slide(theme, geometry):
    from reportgen.doctree import Chart, Series

    chart = Chart("bar", "Warheads", ["Russia"], [Series("2021", [6255])])
    p = plan(theme, geometry, Slide("Blank", [Text("Warheads by country")], body=[chart], kind="chart"),
             Slide("Blank", [Text("A quotation")], body=[P("A nuclear war cannot be won")], kind="statement"))
    for s in p.slides:
        title = s.title_text
        left, top, width, height = title.box
        assert s.title_target is None and title.target is None and title.role == "title"  # no placeholder of the layout's: one made
        assert top + height < 0 and height > 0 and width > 0  # wholly above the slide: it shows nothing
    assert titled(p) == ["Warheads by country", "A quotation"]
    assert p.slides[0].visuals[0].title  # the chart shows its own title, the slide's being hidden
