"""Tables on slides, read back as a viewer sees them: the deck rendered by LibreOffice, each word's box from pdftotext.

Outlines the suite did not have before issue 14: a 10 x 32 table of long cells
(and Greek), a 13 x 5 table, and a long table cut for the deck with ``slides:``.
"""

from __future__ import annotations

import random
import re
import subprocess

import pytest
import yaml
from pptx import Presentation

from reportgen.build import Options, build

from conftest import TEMPLATES, have, soffice_to_pdf

pytestmark = pytest.mark.skipif(not (have("soffice") and have("pdftotext")), reason="LibreOffice and poppler-utils needed")

WORDS = ["Sandbox", "Budget", "Διακυβέρνησης", "interoperability", "procurement", "governance", "municipal", "infrastructure",
         "cybersecurity", "allocation", "2024", "€1,250k", "pilot", "evaluation"]
COLUMNS = ["Programme", "Sandbox", "Budget", "Owner", "Region", "Status", "Risk", "Start", "End", "Notes"]


def outline() -> dict:
    rng = random.Random(14)
    wide = [[" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) for _ in COLUMNS] for _ in range(32)]
    thirteen = [[f"Indicator number {i}", str(100 + i), str(120 + i), str(130 + i), f"{i}%"] for i in range(13)]
    cut = [[f"Item {i}", f"{i * 3}", f"Remark on item {i}"] for i in range(1, 41)]
    return {
        "title": "Tables on slides",
        "sections": [
            {"title": "Wide", "table": {"caption": "Ten columns", "columns": COLUMNS, "rows": wide}},
            {"title": "Thirteen", "table": {"caption": "Thirteen rows", "columns": ["Measure", "2021", "2022", "2023", "Change"], "rows": thirteen}},
            {"title": "Cut", "table": {"caption": "Forty items", "columns": ["Item", "Score", "Remark"], "rows": cut, "slides": {"columns": ["Item", "Score"], "rows": 10}}},
        ],
    }


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    (folder / "tables.yaml").write_text(yaml.safe_dump(outline(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    outputs = build([str(folder / "tables.yaml")], Options(out_dir=str(folder / "out"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    pptx = str(folder / "out" / "tables.pptx")
    pdf = soffice_to_pdf(pptx, str(folder / "lo"))
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = [[(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
              re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)] for page in html.split("<page ")[1:]]
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in Presentation(pptx).slides]
    return titles, pages, outputs[0].warnings


def slides_titled(titles, name):
    return [i for i, t in enumerate(titles) if t == name or t.startswith(name + " (")]


def test_no_word_of_a_cell_is_broken_across_lines(deck):
    titles, pages, _ = deck
    seen = {w for i in slides_titled(titles, "Ten columns") for *_box, w in pages[i]}
    cells = {w for row in outline()["sections"][0]["table"]["rows"] for cell in row for w in cell.split()}
    assert cells <= seen, sorted(cells - seen)  # every word whole somewhere on the table's slides, none in pieces


def test_thirteen_rows_fit_on_one_slide(deck):
    titles, pages, _ = deck
    (i,) = slides_titled(titles, "Thirteen rows")
    text = " ".join(w for *_b, w in pages[i])
    assert "0%" in text.split() and "12%" in text.split()


def test_continuations_are_counted_and_all_but_the_last_at_least_two_thirds_full(deck):
    titles, pages, _ = deck
    idx = slides_titled(titles, "Ten columns")
    assert len(idx) >= 2
    assert [titles[i] for i in idx[1:]] == [f"Ten columns ({k} of {len(idx)})" for k in range(2, len(idx) + 1)]
    for i in idx[:-1]:
        words = pages[i]
        header = min(y0 for x0, y0, x1, y1, w in words if w == "Programme")
        footer = min(y0 for x0, y0, x1, y1, w in words if w.startswith("UNCLASSIFIED"))
        bottom = max(y1 for x0, y0, x1, y1, w in words if y0 < footer - 6)
        assert (bottom - header) / (footer - header) >= 2 / 3, (titles[i], bottom, header, footer)


def test_slides_option_shows_what_the_outline_chose_and_says_so(deck):
    titles, pages, warnings = deck
    (i,) = slides_titled(titles, "Forty items")
    words = [w for *_b, w in pages[i]]
    assert "Remark" not in words and "Item" in words and "Score" in words
    assert "Item 10" in " ".join(words) and "Item 11" not in " ".join(words)
    assert "Showing 10 of 40 rows and 2 of 3 columns; the full table is in the report." in " ".join(words)
    assert not any("Forty items" in str(w) for w in warnings)


def test_a_link_in_a_tables_header_is_drawn_in_the_headers_text_colour(tmp_path):
    """The header row is light text on the theme's dark colour; PowerPoint and LibreOffice draw a link in the theme's
    hyperlink colour whatever the run's own, dark on dark. A header link says to use the run's colour (Office 2019's
    ``ahyp:hlinkClr val="tx"``) and is underlined, and so does a link on the title and section slides; a body cell's
    link keeps the hyperlink colour."""
    pdfplumber = pytest.importorskip("pdfplumber")
    from pptx.oxml.ns import qn

    doc = {"title": "Header [links](https://example.org/t)", "sections": [{"title": "Linked", "table": {
        "caption": "Links", "columns": ["[Name](https://example.org/name)", "Value", "[Back](#sec-1)", "[Gone](#nowhere)"],
        "rows": [["[body link](https://example.org/body)", "plain", "x", "y"]]}}]}
    (tmp_path / "h.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build([str(tmp_path / "h.yaml")], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    pptx = str(tmp_path / "out" / "h.pptx")
    runs = {}  # (the slide's layout, the run's text) -> its a:rPr
    for slide in Presentation(pptx).slides:
        for r in slide.element.iter(qn("a:r")):
            runs[slide.slide_layout.name, r.findtext(qn("a:t"))] = r.find(qn("a:rPr"))
    runs = {**{text: rpr for (_layout, text), rpr in runs.items()}, "links": runs["Title Slide", "links"]}
    ext = '{http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor}hlinkClr'
    for header in ("Name", "Back", "links"):  # (a table's header row; the title slide, dark too, as the section slides)
        rpr = runs[header]
        assert rpr.get("u") == "sng" and rpr.find(qn("a:hlinkClick")) is not None
        assert [e.get("val") for e in rpr.iter(ext)] == ["tx"]
    assert runs["body link"].get("u") is None and not list(runs["body link"].iter(ext))
    assert runs["Gone"].get("u") is None and runs["Gone"].find(qn("a:hlinkClick")) is None  # a link to no slide: plain text
    audit = pytest.importorskip("openxml_audit")
    assert [e.description for e in audit.validate_pptx(pptx).errors] == []
    with pdfplumber.open(soffice_to_pdf(pptx, str(tmp_path / "lo"))) as pdf:
        words = [w for p in pdf.pages for w in p.extract_words(extra_attrs=["non_stroking_color"])]
    colour = {w["text"]: tuple(round(v, 2) for v in w["non_stroking_color"]) for w in words}
    assert colour["Name"] == colour["Value"] == colour["Back"]  # the header's text colour
    assert colour["body"] != colour["plain"]  # a body link in the hyperlink colour
    assert colour["links"] == colour["Header"]  # the title slide's link in its title's colour
