"""What the deck makes of an outline: the bottom line on its own slide, pull quotes, a figure's caption once,
and section slides as the theme chooses (issue 14)."""

from __future__ import annotations

import os
import shutil

import pytest
from pptx import Presentation

from reportgen.build import Options, build

from conftest import FIXTURES, TEMPLATES

FEATURES = os.path.join(FIXTURES, "features")


def deck(tmp_path, template: str = "", templates: str = TEMPLATES, name: str = "features"):
    src = tmp_path / "in"
    shutil.copytree(FEATURES, src)
    path = src / "features.yaml"
    if template:
        path.write_text(path.read_text(encoding="utf-8").replace("title:", f"template: {template}\ntitle:", 1), encoding="utf-8")
    build([str(path)], Options(out_dir=str(tmp_path / "out"), templates_dir=templates, formats=("pptx",), jobs=1))
    return Presentation(str(tmp_path / "out" / "features.pptx"))


def titles(prs) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def text(slide) -> str:
    return " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    return deck(tmp_path_factory.mktemp("briefing"))


def test_the_bottom_line_has_its_own_slide_after_the_title(briefing):
    t = titles(briefing)
    assert t[1] == "Bottom line up front"
    assert "Every feature renders" in text(briefing.slides[1])


def test_a_pull_quote_has_its_own_slide(briefing):
    quoted = [s for s in briefing.slides if "A table that runs off the page is a table nobody reads." in text(s)]
    assert len(quoted) == 1


def test_a_figures_caption_is_shown_once(briefing):
    for slide in briefing.slides:
        pics = [sh for sh in slide.shapes if sh.shape_type == 13]
        if pics:
            body = text(slide)
            caption = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title]
            assert caption and body.count(caption[0]) == 1, body


def section_slides(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides if s.slide_layout.name == "Section Header"]


def test_section_slides_follow_the_theme(briefing, tmp_path):
    assert section_slides(briefing) == ["Tables of Any Length", "Charts from One Spec"]  # auto: only sections of more than 2 slides
    memo = deck(tmp_path / "memo", "memo")
    assert section_slides(memo) == ["Charts from One Spec"]  # never, but for a section with no slide of its own (its charts are in subsections)
    packs = tmp_path / "templates"
    shutil.copytree(os.path.join(TEMPLATES, "memo"), packs / "always")
    theme = packs / "always" / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("name: memo", "name: always").replace("section_slides: never", "section_slides: always"), encoding="utf-8")
    always = deck(tmp_path / "always", "always", str(packs))
    assert section_slides(always) == ["Tables of Any Length", "Charts from One Spec", "Figures at Any Size", "Scripts and References"]


def test_without_section_slides_the_agenda_links_each_sections_first_slide(tmp_path):
    memo = deck(tmp_path, "memo")
    t = titles(memo)
    agenda = memo.slides[t.index("Agenda")]
    body = [sh for sh in agenda.shapes if sh.has_text_frame and sh != agenda.shapes.title][0]
    firsts = []
    for p in body.text_frame.paragraphs:
        rid = p.runs[0]._r.xpath(".//a:hlinkClick/@r:id")[0]
        firsts.append(agenda.part.related_part(rid).slide.shapes.title.text)
    firsts_expected = [t[t.index("Agenda") + 2]]  # after the key takeaways: the first section's first slide
    assert firsts[0] == firsts_expected[0]
    assert len(firsts) == 4 and len(set(firsts)) == 4
    assert [t.index(f) for f in firsts] == sorted(t.index(f) for f in firsts)  # in section order
    assert section_slides(memo) == ["Charts from One Spec"]


TWO = """title: Two columns
sections:
  - title: Spending
    layout: two-columns
    points: [Spending rose in the East, The North held steady]
    chart: {type: bar, title: Spending by region, categories: [North, South], series: [{name: "2023", values: [120, 95]}]}
  - title: Staff
    layout: two-columns
    points: [Grades are balanced]
    table: {columns: [Grade, Staff], rows: [[Senior, "12"], [Junior, "41"]]}
  - title: Named
    layout: Comparison
    points: [One, Two]
"""


def test_two_columns_put_the_points_beside_the_visual(tmp_path):
    (tmp_path / "two.yaml").write_text(TWO, encoding="utf-8")
    outputs = build([str(tmp_path / "two.yaml")], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    assert not outputs[0].warnings
    prs = Presentation(str(tmp_path / "out" / "two.pptx"))
    t = titles(prs)
    assert "Spending by region" not in t  # no chart slide of its own
    for name, kind in (("Spending", "has_chart"), ("Staff", "has_table")):
        slide = prs.slides[t.index(name)]
        assert slide.slide_layout.name == "Two Content"
        text = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1)
        visual = next(sh for sh in slide.shapes if getattr(sh, kind))
        assert text.left + text.width <= visual.left  # side by side, no overlap
        assert not any(sh.placeholder_format.idx == 2 for sh in slide.placeholders)  # the right placeholder gave way to the visual
    assert prs.slides[t.index("Named")].slide_layout.name == "Comparison"  # a layout of the master, by name


def test_a_layout_the_master_lacks_is_an_error_at_the_outlines_line(tmp_path, monkeypatch, capsys):
    from reportgen.cli import main

    (tmp_path / "bad.yaml").write_text("title: T\nsections:\n  - title: S\n    layout: Nope\n    points: [a]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "build"):
        assert main([command, "bad.yaml", "-f", "pptx"]) == 2
        (line,) = capsys.readouterr().err.splitlines()
        assert line.startswith("bad.yaml:4:13: sections[0].layout: no layout named 'Nope' in the slide master (expected one of: 'Title Slide', "), line
        assert "'Two Content'" in line and "two-columns" in line
    assert not (tmp_path / "build" / "bad.pptx").exists()


GREYS = {"dk1": "262626", "lt1": "FFFFFF", "dk2": "404040", "lt2": "E7E6E6", "accent1": "595959", "accent2": "7F7F7F",
         "accent3": "A5A5A5", "accent4": "3F3F3F", "accent5": "8C8C8C", "accent6": "BFBFBF"}


def grey_master(path) -> str:
    """The briefing master with a grey theme, as a user's corporate master might be."""
    from lxml import etree

    from reportgen.writers.pptx.theme_part import theme_part

    prs = Presentation(os.path.join(TEMPLATES, "briefing", "master.pptx"))
    part = theme_part(prs)
    root = etree.fromstring(part.blob)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f"{a}themeElements/{a}clrScheme")
    for slot, value in GREYS.items():
        el = scheme.find(a + slot)
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, a + "srgbClr", val=value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    prs.save(str(path))
    return str(path)


def test_on_a_users_master_tables_and_charts_take_its_colours(tmp_path):
    from reportgen.writers.pptx.theme_part import read_scheme

    master = grey_master(tmp_path / "grey.pptx")
    (tmp_path / "two.yaml").write_text(TWO, encoding="utf-8")
    build([str(tmp_path / "two.yaml")], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, formats=("pptx",), master=master, jobs=1))
    prs = Presentation(str(tmp_path / "out" / "two.pptx"))
    assert {k: read_scheme(prs)[k] for k in GREYS} == GREYS  # the master's theme kept
    t = titles(prs)
    table = next(sh for sh in prs.slides[t.index("Staff")].shapes if sh.has_table).table
    assert str(table.cell(0, 0).fill.fore_color.rgb) == "404040"  # the master's dark 2, not the pack's navy
    chart = next(sh for sh in prs.slides[t.index("Spending")].shapes if sh.has_chart).chart
    assert str(chart.plots[0].series[0].format.fill.fore_color.rgb) == "595959"  # its first accent
    # on the pack's own master, the pack's palette
    build([str(tmp_path / "two.yaml")], Options(out_dir=str(tmp_path / "own"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    own = Presentation(str(tmp_path / "own" / "two.pptx"))
    table = next(sh for sh in own.slides[titles(own).index("Staff")].shapes if sh.has_table).table
    assert str(table.cell(0, 0).fill.fore_color.rgb) == "1F3A5F"


KEY = """title: Key figures
sections:
  - title: Arms control in numbers
    body: New START sets the central limits.
    key_figures:
      - {value: "1,550", label: deployed strategic warheads}
      - {value: "700", label: "deployed ICBMs, SLBMs and heavy bombers"}
      - {value: "800", label: deployed and non-deployed launchers}
"""


def test_key_figures_are_big_numbers_in_the_deck_and_a_row_in_the_report(tmp_path):
    from pypdf import PdfReader

    (tmp_path / "kf.yaml").write_text(KEY, encoding="utf-8")
    outputs = build([str(tmp_path / "kf.yaml")], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, jobs=1))
    assert all(not o.warnings for o in outputs)
    prs = Presentation(str(tmp_path / "out" / "kf.pptx"))
    slide = prs.slides[titles(prs).index("Arms control in numbers")]
    boxes = {sh.text_frame.text: sh for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title}
    for value, label in (("1,550", "deployed strategic warheads"), ("700", "deployed ICBMs, SLBMs and heavy bombers"), ("800", "deployed and non-deployed launchers")):
        v, lab = boxes[value], boxes[label]
        assert v.top + v.height <= lab.top and v.left == lab.left  # the number over its label
        size = v.text_frame.paragraphs[0].runs[0].font.size.pt
        assert size >= 28 and size > lab.text_frame.paragraphs[0].runs[0].font.size.pt
    lefts = sorted(boxes[v].left for v in ("1,550", "700", "800"))
    assert all(b - a >= boxes["1,550"].width for a, b in zip(lefts, lefts[1:]))  # side by side, not overlapping
    text = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "out" / "kf.pdf")).pages)
    assert "1,550" in text and "deployed strategic warheads" in text


def test_key_figures_are_few_and_short(tmp_path):
    from reportgen.errors import InputError
    from reportgen.loader import load

    many = "title: T\nsections:\n  - title: S\n    key_figures: [" + ", ".join(f"{{value: '{i}', label: l}}" for i in range(5)) + "]\n"
    (tmp_path / "many.yaml").write_text(many, encoding="utf-8")
    with pytest.raises(InputError, match=r"sections\[0\]\.key_figures"):
        load(str(tmp_path / "many.yaml"))
    (tmp_path / "long.yaml").write_text("title: T\nsections:\n  - title: S\n    key_figures: [{value: '" + "9" * 25 + "', label: l}]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"sections\[0\]\.key_figures\[0\]\.value"):
        load(str(tmp_path / "long.yaml"))


BLOCKS = """title: Block layouts
author: Policy Analysis Unit
date: 2021-06-16
sections:
  - title: Figures
    points: [One point, Another point]
    table:
      caption: Limits
      columns: [Limit, Ceiling]
      rows: [[Deployed warheads, "1,550"], [Launchers, "800"]]
      layout: Title and Content
    chart:
      type: bar
      title: Warheads
      categories: [Russia, United States]
      series: [{name: Total, values: [6255, 5550]}]
      layout: Blank
    quote: {text: A nuclear war cannot be won, attribution: Joint statement, layout: Title Only}
"""


def test_a_table_chart_or_quote_takes_the_layout_its_outline_names(tmp_path):
    (tmp_path / "blocks.yaml").write_text(BLOCKS, encoding="utf-8")
    build([str(tmp_path / "blocks.yaml")], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    prs = Presentation(str(tmp_path / "out" / "blocks.pptx"))
    (table,) = [s for s in prs.slides if any(sh.has_table for sh in s.shapes)]
    (chart,) = [s for s in prs.slides if any(sh.has_chart for sh in s.shapes)]
    (quote,) = [s for s in prs.slides if "A nuclear war cannot be won" in text(s)]
    assert (table.slide_layout.name, table.shapes.title.text) == ("Title and Content", "Limits")
    assert chart.slide_layout.name == "Blank"  # the blank layout has no title placeholder: the slide's is off the slide,
    hidden = chart.shapes.title
    assert hidden.text_frame.text == "Warheads" and hidden.top + hidden.height <= 0
    (graphic,) = [sh.chart for sh in chart.shapes if sh.has_chart]
    assert graphic.has_title and graphic.chart_title.text_frame.text == "Warheads"  # so the chart says its own
    assert quote.slide_layout.name == "Title Only"
    without = BLOCKS.replace("      layout: Title and Content\n", "").replace("      layout: Blank\n", "").replace(", layout: Title Only", "")
    (tmp_path / "plain.yaml").write_text(without, encoding="utf-8")
    build([str(tmp_path / "plain.yaml")], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    plain_layouts = [s.slide_layout.name for s in Presentation(str(tmp_path / "out" / "plain.pptx")).slides]
    assert "Blank" not in plain_layouts  # the pack's own choice differs: the outline's layout: did it


def test_a_blocks_layout_the_master_lacks_is_an_error_at_its_line(tmp_path, monkeypatch, capsys):
    from reportgen.cli import main

    (tmp_path / "bad.yaml").write_text(BLOCKS.replace("layout: Blank", "layout: Wide Chart"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "build"):
        assert main([command, "bad.yaml", "-f", "pptx"]) == 2
        (line,) = capsys.readouterr().err.splitlines()
        assert line.startswith("bad.yaml:17:15: sections[0].chart.layout: no layout named 'Wide Chart' in the slide master (expected one of: 'Title Slide', "), line
        assert "two-columns" not in line  # a part's composition, not a chart's
    assert not (tmp_path / "build" / "bad.pptx").exists()


def test_the_deck_closes_on_the_packs_closing_slide_or_the_outlines(tmp_path):
    (tmp_path / "blocks.yaml").write_text(BLOCKS, encoding="utf-8")
    out = str(tmp_path / "out")
    build([str(tmp_path / "blocks.yaml")], Options(out_dir=out, templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    last = Presentation(os.path.join(out, "blocks.pptx")).slides[-1]
    assert last.slide_layout.name == "Title Slide" and last.shapes.title.text == "Questions and discussion"
    assert text(last).split("Questions and discussion")[-1].split() == "Policy Analysis Unit 16 June 2021".split()
    own = BLOCKS + "closing:\n  title: Thank you\n  text: ['Contact: **analysis@example.org**', Next briefing in July]\n"
    (tmp_path / "blocks.yaml").write_text(own, encoding="utf-8")
    build([str(tmp_path / "blocks.yaml")], Options(out_dir=out, templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    last = Presentation(os.path.join(out, "blocks.pptx")).slides[-1]
    assert last.shapes.title.text == "Thank you"
    assert [p.text for sh in last.placeholders if sh.placeholder_format.idx == 1 for p in sh.text_frame.paragraphs] == [
        "Contact: analysis@example.org", "Next briefing in July"]
    assert not [sh for sh in last.placeholders if sh.placeholder_format.type in (13, 15, 16)]  # no footer on it, as on the title slide


NOTES = """title: Notes
sections:
  - title: With notes
    points: [One point, Another point, A third point, A fourth point, A fifth point, A sixth point]
    body: The prose, for the report.
    notes: Say this, *not* the prose.
  - title: Prose only
    points: [One point, Another point, A third point, A fourth point, A fifth point, A sixth point]
    body: The prose, said aloud.
  - title: A quote alone
    quote: {text: A nuclear war cannot be won, attribution: Joint statement}
    body: Why the quote matters.
"""


def test_speaker_notes_are_a_parts_notes_else_its_prose_on_its_first_slide(tmp_path):
    (tmp_path / "notes.yaml").write_text(NOTES, encoding="utf-8")
    build([str(tmp_path / "notes.yaml")], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    prs = Presentation(str(tmp_path / "out" / "notes.pptx"))
    said = {s.shapes.title.text: s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide and s.shapes.title is not None}
    assert said["With notes"] == "Say this, not the prose."
    assert said["Prose only"] == "The prose, said aloud."
    assert said["A quote alone"] == "Why the quote matters."
