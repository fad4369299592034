"""Footnotes, citations and bare addresses in the deck (issue 15).

The planner (``blocks.add_footnotes``, with the master geometry of
``briefing_geometry.json``, no python-pptx) puts each footnote in the speaker
notes of the slide that shows its mark, continuation slides too; the built
deck is read back with python-pptx: the mark is a raised number in the slide
text, the note is in that slide's notes ("Notes:" then "1. …"), every
citation form prints its numeric text, a bare address is a hyperlink.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.compose.decide import decide
from reportgen.doctree import Cite, Deck, ListBlock, ListItem, Meta, Note, Paragraph, Slide, Text
from reportgen.theme import load_theme
from reportgen.writers.pptx.blocks import with_footnotes

NOTES_HEADING = "Notes:"  # the English heading of a slide's footnotes in its speaker notes
from reportgen.writers.pptx.model import Geometry
from reportgen.writers.pptx.plan import CONT, plan_deck

ROOT = Path(__file__).resolve().parents[3]
PACK = ROOT / "reportgen" / "packs" / "briefing"
GEOMETRY = Path(__file__).with_name("briefing_geometry.json")
POINT = ("The summit produced a joint statement on strategic stability, reaffirming that a nuclear war cannot be won "
         "and must never be fought; both leaders agreed to an integrated bilateral dialogue")


@pytest.fixture(scope="module")
def theme():
    return load_theme(str(PACK))


@pytest.fixture(scope="module")
def geometry():
    return Geometry.from_dict(json.loads(GEOMETRY.read_text(encoding="utf-8")))


def P(*parts) -> Paragraph:
    return Paragraph([Text(p) if isinstance(p, str) else p for p in parts])


def N(text: str) -> Note:
    return Note([Text(text)])


def plan(theme, geometry, *slides, sources=None):
    deck = Deck(Meta("T", date_text="16 June 2021", classification="UNCLASSIFIED"), list(slides))
    deck = decide(deck)
    if sources:
        deck.sources = sources
    return plan_deck(deck, theme, geometry)


def test_notes_go_before_the_sources_block_or_at_the_end():
    assert with_footnotes(["Prose."], ["1. A."]) == ["Prose.", "", NOTES_HEADING, "1. A."]
    assert with_footnotes([], ["1. A."]) == [NOTES_HEADING, "1. A."]
    assert with_footnotes(["Prose.", "", "Sources:", "[1] X.", "[2] Y."], ["2. B."]) == ["Prose.", "", NOTES_HEADING, "2. B.", "", "Sources:", "[1] X.", "[2] Y."]
    assert with_footnotes(["", "Source:", "[1] X."], ["1. A."]) == [NOTES_HEADING, "1. A.", "", "Source:", "[1] X."]


def test_a_slides_notes_list_the_footnotes_of_its_text_and_of_its_prose(theme, geometry):
    p = plan(theme, geometry,
             Slide("", [Text("Title"), N("on the title")], body=[ListBlock([ListItem([P("A point", N("on a point"), " and ", Cite(1, "p. 3"))])])],
                   notes=[P("Say it", N("in the prose"), ".")]),
             Slide("", [Text("Next")], body=[ListBlock([ListItem([P("Plain")])])]),
             sources={1: "Reuters, 16 June 2021."})
    first, second = p.slides
    assert first.notes == ["Say it³.", "", "Notes:", "1. on the title", "2. on a point", "3. in the prose", "", "Source:", "[1] Reuters, 16 June 2021."]
    assert second.notes == []
    marks = [r for para in first.paragraphs() for r in para.runs if r.note]
    assert [(r.text, r.note) for r in marks] == [("1", 1), ("2", 2)]  # the marks stay in the slide text
    body = "".join(r.text for para in first.texts[0].paras for r in para.runs)
    assert body == "A point2 and [1, p. 3]"


def test_a_footnote_goes_with_the_continuation_slide_that_shows_its_mark(theme, geometry):
    points = [P(f"{POINT} {k}", *([N("late note")] if k == 13 else [])) for k in range(14)]
    p = plan(theme, geometry, Slide("Title and Content", [Text("Many points")], body=[ListBlock([ListItem([x]) for x in points])], notes=[P("Prose.")]))
    assert [s.title for s in p.slides][-1].endswith(CONT)
    first, last = p.slides[0], p.slides[-1]
    assert first.notes == ["Prose."]
    assert last.notes == ["Notes:", "1. late note"]


# --- the built deck ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    pytest.importorskip("pptx")
    import yaml
    from pptx import Presentation

    from conftest import TEMPLATES
    from reportgen.compose import compose
    from reportgen.loader import load
    from reportgen.pack import find_pack
    from reportgen.writers.pptx import PptxWriter

    tmp = tmp_path_factory.mktemp("deckfn")
    outline = {
        "title": "Footnotes",
        "sections": [
            {"title": "Forms", "points": ["One [@a]", "Two [@a; @b]", "Three [@c, p. 12]", "Four [see @c, pp. 3-4]", "Five [@a, ch. 2; @b]", "Six @b"],
             "body": "Prose with a note^[Said in the prose, after [@b].] here."},
            {"title": "Notes", "points": ["A claim^[The *note* text, citing [@c, p. 2].] stands", "Read https://example.org/bare/x.", "Not javascript:alert(1)"]},
        ],
        "sources": [{"id": "a", "title": "First"}, {"id": "b", "title": "Second"}, {"id": "c", "title": "Third"}],
    }
    src = tmp / "d.yaml"
    src.write_text(yaml.safe_dump(outline, sort_keys=False), encoding="utf-8")
    loaded = load(str(src))
    pack = find_pack("briefing", TEMPLATES)
    path = tmp / "d.pptx"
    PptxWriter().write(compose(loaded, pack, "deck"), pack.theme, str(path))
    return Presentation(str(path))


def slide_titled(prs, title: str):
    return next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text_frame.text.startswith(title))


def body_runs(slide):
    return [r for sh in slide.placeholders if sh.placeholder_format.idx > 0 and sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs]


def test_every_citation_form_prints_its_numeric_text_on_the_slide(deck):
    lines = ["".join(r.text for r in p.runs) for sh in slide_titled(deck, "Forms").placeholders if sh.placeholder_format.idx > 0
             for p in sh.text_frame.paragraphs]
    assert ["One [1]", "Two [1; 2]", "Three [3, p. 12]", "Four see [3, pp. 3–4]", "Five [1, ch. 2; 2]", "Six [2]"] == [x for x in lines if x][:6]


def test_the_mark_is_raised_on_the_slide_and_the_note_is_in_its_speaker_notes(deck):
    slide = slide_titled(deck, "Notes")
    runs = body_runs(slide)
    text = "".join(r.text for r in runs)
    assert text.startswith("A claim2 stands")  # the second note of the deck (the first is in the "Forms" prose)
    mark = next(r for r in runs if r.text == "2")
    assert mark._r.find("{http://schemas.openxmlformats.org/drawingml/2006/main}rPr").get("baseline") == "30000"
    notes = slide.notes_slide.notes_text_frame.text.splitlines()
    assert notes[:2] == ["Notes:", "2. The note text, citing [3, p. 2]."]
    assert "[3] Third." in notes  # the note's citation is among the slide's sources
    forms = slide_titled(deck, "Forms").notes_slide.notes_text_frame.text.splitlines()
    assert forms[0] == "Prose with a note¹ here." and "1. Said in the prose, after [2]." in forms


def test_a_bare_address_is_a_hyperlink_and_javascript_stays_text(deck):
    runs = body_runs(slide_titled(deck, "Notes"))
    links = [(r.text, r.hyperlink.address) for r in runs if r.hyperlink.address]
    assert links == [("https://example.org/bare/x", "https://example.org/bare/x")]
    assert any(r.text.endswith("javascript:alert(1)") for r in runs)
