"""A drawn deck a screen reader can follow (``writers/pptx/a11y.py``, ``emit``): reading order, text alternatives,
table headers, a title on every slide.

Each deck is read back from the file: the shape tree's order (what screen
readers and PowerPoint's Reading Order pane follow), each frame's
``cNvPr descr``, each table's ``firstRow``; a slide on a layout without a
title placeholder gets one above the slide, which LibreOffice's rendering
shows nothing of.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402

from reportgen.build import Options, build  # noqa: E402
from reportgen.chartalt import chart_alt  # noqa: E402
from reportgen.compose import compose  # noqa: E402
from reportgen.doctree import Chart, Figure  # noqa: E402
from reportgen.loader import load  # noqa: E402
from reportgen.pack import find_pack  # noqa: E402
from reportgen.pptxcheck import check  # noqa: E402
from reportgen.writers.pptx.check import overflowing_frames  # noqa: E402

from conftest import FIXTURES, TEMPLATES, have, soffice_to_pdf  # noqa: E402

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
FEATURES = os.path.join(FIXTURES, "features", "features.yaml")
STRESS = os.path.join(FIXTURES, "deck", "stress.yaml")
BLANK = """title: Title-less layouts
date: 2021-06-16
sections:
  - title: Figures
    points: [One point, Another point]
    chart:
      type: bar
      title: Warheads
      categories: [Russia, United States]
      series: [{name: Total, values: [6255, 5550]}]
      source: SIPRI
      layout: Blank
    quote: {text: A nuclear war cannot be won, attribution: Joint statement, layout: Blank}
"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, str]:
    """name -> path: the feature fixture, the stress deck, and an outline putting a chart and a quote on the blank layout."""
    folder = tmp_path_factory.mktemp("a11y")
    (folder / "blank.yaml").write_text(BLANK, encoding="utf-8")
    paths = [FEATURES, STRESS, str(folder / "blank.yaml")]
    build(paths, Options(out_dir=str(folder / "out"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    return {n: str(folder / "out" / f"{n}.pptx") for n in ("features", "stress", "blank")}


def kind(el) -> str:
    """title, footer, placeholder, chart, table, picture, text (a text box)."""
    ph = el.find(f"./*/{P}nvPr/{P}ph")
    if ph is not None:
        t = ph.get("type", "obj")
        return "title" if t in ("title", "ctrTitle") else "footer" if t in ("dt", "ftr", "sldNum") else "placeholder"
    if el.tag == f"{P}graphicFrame":
        return "table" if el.find(f".//{A}tbl") is not None else "chart"
    return {f"{P}pic": "picture", f"{P}sp": "text"}.get(el.tag, el.tag)


def order(slide) -> list:
    return [el for el in slide.element.find(f"{P}cSld/{P}spTree") if el.tag not in (f"{P}nvGrpSpPr", f"{P}grpSpPr")]


def descr(shape) -> str:
    return shape.element.find(f"./*/{P}cNvPr").get("descr", "")


@pytest.mark.parametrize("name", ["features", "stress", "blank"])
def test_each_slide_reads_its_title_first_then_its_content_then_its_footers(decks, name):
    for n, slide in enumerate(Presentation(decks[name]).slides, 1):
        shapes = order(slide)
        kinds = [kind(el) for el in shapes]
        assert kinds[0] == "title", (n, kinds)
        footers = kinds.count("footer")
        assert kinds[len(kinds) - footers:] == ["footer"] * footers, (n, kinds)  # the footer, date and number last
        for i, k in enumerate(kinds):
            if k in ("chart", "table", "picture") and i + 1 < len(kinds) and kinds[i + 1] == "text":  # its caption, read after it
                top = lambda el: int(el.find(f".//{A}off").get("y"))  # noqa: E731
                assert top(shapes[i + 1]) > top(shapes[i]), (n, kinds)
    if name == "features":  # every visual of the fixture has a caption or source line: each is followed by it
        tails = {tuple(kind(el) for el in order(s)[1:3]) for s in Presentation(decks[name]).slides if len(order(s)) > 1}
        assert {("chart", "text"), ("table", "text"), ("picture", "text")} <= tails


def test_charts_tables_and_pictures_carry_their_text_alternative(decks):
    deck = compose(load(FEATURES), find_pack("briefing", TEMPLATES), "deck")
    blocks = [b for s in deck.slides for b in s.body]
    prs = Presentation(decks["features"])
    shapes = [(slide, sh) for slide in prs.slides for sh in slide.shapes]
    assert [descr(sh) for _s, sh in shapes if sh.has_chart] == [chart_alt(b, deck.meta.text) for b in blocks if isinstance(b, Chart)]
    assert [descr(sh) for _s, sh in shapes if sh.shape_type == 13] == [b.alt for b in blocks if isinstance(b, Figure)]
    tables = [(s.shapes.title.text_frame.text, descr(sh)) for s, sh in shapes if sh.has_table]
    title = "Indicators by district (60 rows)"
    assert tables == [(title, f"{title} (1 of 4)"), *((f"{title} ({k} of 4)",) * 2 for k in (2, 3, 4)),
                      ("Programme portfolio across nine dimensions",) * 2]  # a table slide's title is the table's caption


def test_a_table_on_several_slides_repeats_its_header_as_its_first_row_marked_as_the_header(decks):
    columns = None
    frames = [sh for s in Presentation(decks["stress"]).slides for sh in s.shapes if sh.has_table]
    assert len(frames) == 3
    for sh in frames:
        assert sh.element.find(f".//{A}tblPr").get("firstRow") == "1"
        header = [c.text_frame.text for c in sh.table.rows[0].cells]
        columns = columns or header
        assert header == columns and all(r.font.bold for c in sh.table.rows[0].cells for p in c.text_frame.paragraphs for r in p.runs)
    assert columns[0] == "#"


def test_a_slide_on_a_layout_without_a_title_gets_one_above_the_slide(decks, tmp_path):
    prs = Presentation(decks["blank"])
    hidden = [s for s in prs.slides if s.slide_layout.name == "Blank"]
    assert len(hidden) == 2
    for slide in hidden:
        title = slide.shapes.title
        assert title.top + title.height < 0 and title.element.find(f"./*/{P}nvPr/{P}ph").get("type") == "title"
    assert [s.shapes.title.text_frame.text for s in hidden] == ["Warheads", "Figures (2)"]  # the quote's: the part's title, told apart
    assert check(decks["blank"]) == [] and overflowing_frames(decks["blank"], find_pack("briefing", TEMPLATES).theme) == []
    if not (have("soffice") and have("pdftotext")):
        pytest.skip("LibreOffice or poppler-utils not installed")
    pdf = soffice_to_pdf(decks["blank"], str(tmp_path))
    for n, slide in enumerate(prs.slides, 1):
        if slide.slide_layout.name != "Blank":
            continue
        words = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
        boxes = re.findall(r'xMin="(-?[\d.]+)" yMin="(-?[\d.]+)" xMax="(-?[\d.]+)" yMax="(-?[\d.]+)">([^<]*)<', words)
        assert boxes and all(float(y0) >= 0 and float(y1) <= 540 for _x0, y0, _x1, y1, _w in boxes)  # nothing drawn off the slide
        shown = [w for *_b, w in boxes]
        charted = any(sh.has_chart for sh in slide.shapes)
        assert shown.count("Warheads") == charted and "Figures" not in shown, shown  # the chart's own title shows, no hidden one


def test_a_layouts_title_after_its_body_is_still_read_first(tmp_path):
    """A user's master whose content layout lists its title last (drawn above the body): the slide's title is read first."""
    master = tmp_path / "title-last.pptx"
    prs = Presentation(os.path.join(TEMPLATES, "briefing", "master.pptx"))
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    title = next(ph for ph in layout.placeholders if ph.placeholder_format.type == 1).element
    tree = title.getparent()
    tree.append(copy.deepcopy(title))
    tree.remove(title)
    prs.save(str(master))
    outline = tmp_path / "plain.yaml"
    outline.write_text("title: T\nsections:\n  - title: One\n    points: [a, b]\n", encoding="utf-8")
    build([str(outline)], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1, master=str(master)))
    deck = tmp_path / "out" / "plain.pptx"
    content = [s for s in Presentation(str(deck)).slides if s.slide_layout.name == "Title and Content"]
    assert content and all(kind(order(s)[0]) == "title" for s in content)
    assert check(str(deck)) == []
