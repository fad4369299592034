"""Issue 15's "Done when", proved on a Markdown briefing written for it, read back from both outputs.

``tests/fixtures/markdown/water.md`` (with ``water.bib`` and ``transfer.png``
beside it) is a water-policy brief, not a copy of the summit, that uses every
construct of a Markdown outline: front matter (title, subtitle, a list of
authors, date, lang, classification, template, abstract *and* bottom_line,
summary, CSL ``references``, a BibTeX ``bibliography``), ``#``/``##``
headings with ``{#id .unnumbered}``, bullet lists, paragraphs, ``::: notes``,
a pipe, a simple and a grid table with ``Table:`` / ``:`` captions and
alignment colons, a figure with ``fig-alt``, a block quote with a "— Name"
attribution, a ```` ```chart ```` block, ``[^id]`` and ``^[...]`` footnotes,
the citation forms ``[@id]``, ``[@a; @b]``, ``[@id, p. 12]``, ``[see @id,
pp. 3-4]`` and ``@id``, and a bare address. It is long enough that a
footnoted line ends a page.

It is built once with the command line (``reportgen.cli.main``) and read back:
the PDF with pypdf (bookmarks, link annotations, text) and pdfplumber (word
boxes: each footnote under the body text of the page holding its mark); the
deck with python-pptx (slide titles, speaker notes, native tables and their
alignment, the picture's description, every text run). What the outputs
should hold is written out here by hand from the Markdown, not read through
reportgen, so a reader bug cannot agree with itself. Pandoc, when installed,
reads the same file: it is valid pandoc input, and pandoc finds the same
headings, tables, notes, footnotes and citation keys.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest

from reportgen.cli import main
from reportgen.loader import load

from conftest import FIXTURES, TEMPLATES, page_layout, raised_number

pdfplumber = pytest.importorskip("pdfplumber")
pptx = pytest.importorskip("pptx")

from pptx.enum.shapes import MSO_SHAPE_TYPE  # noqa: E402
from pptx.enum.text import PP_ALIGN  # noqa: E402
from pypdf import PdfReader  # noqa: E402

MARKDOWN = os.path.join(FIXTURES, "markdown")
BRIEF = "water.md"
FILES = ("water.md", "water.bib", "transfer.png")

# --- what the Markdown says, by hand --------------------------------------------------------------

TITLE = "Drought Resilience in the Alder Basin"
SUBTITLE, AUTHORS, DATE = "Choices for the 2025–2030 water plan", "Water Policy Desk, Ruth Okonjo", "14 March 2025"  # the list joined
SUMMARY = ["Dry-year demand overtakes dry-year supply in 2029 [1, p. 12].", "A fifth of the water put into supply leaks away see [2, pp. 3–4].",
           "Recharge of the chalk aquifer is falling [3]."]
PARTS = [  # (section, its subsections), in order
    ("The supply gap", ["Leakage", "Groundwater"]),
    ("Options", ["A transfer from the Wend"]),
]
HEADINGS = [  # (level, title, id, classes): what pandoc must read from the heading lines
    (1, "The supply gap", "gap", ["unnumbered"]),
    (2, "Leakage", "leakage", []),
    (2, "Groundwater", "groundwater", ["unnumbered"]),
    (1, "Options", "options", []),
    (2, "A transfer from the Wend", "transfer", []),
]
BOTTOM_LINE = ("The Alder basin runs short of water in a dry year from 2029 [1, p. 12]; cutting leakage is the cheapest "
               "remedy, and a transfer from the Wend the surest.")
ABSTRACT = "supply margin closes by the end of the decade"  # left out: bottom_line is given
FOOTNOTES = [  # in the order of their marks; the first two on points (the deck shows their marks), the rest in prose
    "Measured as the water put into supply less the water delivered and billed, over the 2023–24 year.",
    "The other tenth is held in nine small impounding reservoirs.",
    "As it did in the winter of 2019–20, the wettest since 1990.",
    "Eleven boreholes are rested from August; the two import mains from the central zone carry at most 31 Ml/d.",
    "The licence review measured recharge at eleven boreholes from 1990 to 2023 and set each new cap at the lowest three-year average.",
]
# Sources are numbered in the order pandoc lists them: the front matter's references, then water.bib's entries.
KEYS = ["basin-plan", "leak-audit", "okafor2022", "reservoir2021"]
CITED = [  # (as printed, as written)
    ("from 2029 [1, p. 12]", "[@basin-plan, p. 12]"),
    ("lost this way see [2, pp. 3–4]", "[see @leak-audit, pp. 3-4]"),
    ("every year after that [1; 3]", "[@basin-plan; @okafor2022]"),
    ("described by [4]", "@reservoir2021"),
    ("since 1990 [3]", "[@okafor2022]"),
]
URL = "https://example.org/alder/drought-portal"
NOTES = {  # ::: notes, by the title of the part (and of its first slide); soft line breaks are spaces
    "The supply gap": "Lead with 2029: the year the dry-year lines cross. Then the table: the south is where the gap opens first.",
    "A transfer from the Wend": "Keep this short: the map does the work. Stress the flow threshold: the Wend’s anglers will ask."  # (the apostrophe typed ' prints ’),
}
TABLES = {  # caption: (header, rows, alignment from the colons, or the header's place over its dashes)
    "Dry-year balance by zone, 2030": (  # a pipe table
        ["Zone", "Dry-year supply (Ml/d)", "Dry-year demand (Ml/d)", "Balance"],
        [["North", "412", "398", "surplus"], ["Central", "236", "241", "deficit"], ["South", "188", "207", "deficit"]],
        ["left", "right", "right", "center"],
    ),
    "Leakage against target, 2023–24": (  # a simple table
        ["Company", "Leakage", "Target", "Trend"],
        [["Alder Water", "21%", "15%", "worse"], ["Wend Valley", "18%", "15%", "steady"], ["Southmoor", "24%", "16%", "better"]],
        ["left", "right", "right", "center"],
    ),
    "The three options compared": (  # a grid table, captioned ": ..."
        ["Option", "Cost (£m)", "Yield (Ml/d)", "First water"],
        [["Leakage programme", "180", "45", "2026"], ["Kestle reservoir", "620", "70", "2034"], ["Wend transfer", "410", "60", "2031"]],
        ["left", "right", "right", "center"],
    ),
}
FIGURE = {"caption": "The proposed Wend–Hollin transfer", "path": "transfer.png",
          "alt": "A sketch map: the Wend and the Alder meet; a dashed red line runs from the Wend down to Hollin reservoir"}
QUOTE = ("Every litre we lose in the pipes is a litre we have to find in the ground.", "Chief engineer, Alder Water")
CHART = ("Aquifer level at Marsh Lane, March each year", ["2018", "2019", "2020", "2021", "2022", "2023", "2024"],
         [71.2, 70.4, 70.9, 69.6, 68.8, 69.1, 68.2])
# Mark-up that must never reach a reader: citations, footnotes, divs, attributes, fences, captions as typed.
LITERALS = ("[@", "[^", "^[", ":::", "{fig-alt", "fig-alt", "{#", ".unnumbered", "```", "Table:") + tuple("@" + k for k in KEYS)

ALIGN = {"left": (None, PP_ALIGN.LEFT), "right": (PP_ALIGN.RIGHT,), "center": (PP_ALIGN.CENTER,)}
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def squash(text: str) -> str:
    """``text`` without white space (line ends in extracted text fall anywhere) and with straight apostrophes."""
    return "".join(text.replace("’", "'").split())


# --- the build ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The brief copied to a folder and built there by the command line: exit code, output, the two files."""
    folder = tmp_path_factory.mktemp("water")
    for name in FILES:
        shutil.copy(os.path.join(MARKDOWN, name), folder / name)
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["build", BRIEF, "--templates", TEMPLATES, "--out", "build", "--jobs", "1"])
    return SimpleNamespace(folder=folder, code=code, out=out.getvalue(), err=err.getvalue(),
                           pdf=folder / "build" / "water.pdf", pptx=folder / "build" / "water.pptx")


@pytest.fixture(scope="module")
def pdf(built):
    assert built.code == 0, built.err
    return PdfReader(str(built.pdf))


@pytest.fixture(scope="module")
def deck(built):
    assert built.code == 0, built.err
    return pptx.Presentation(str(built.pptx))


def test_the_brief_builds_and_warns_only_that_the_abstract_gives_way_to_the_bottom_line(built):
    assert built.code == 0, built.err
    assert "Traceback" not in built.out + built.err
    assert (built.folder / "build" / "water.pdf").is_file() and (built.folder / "build" / "water.pptx").is_file()
    reader = [x for x in built.err.splitlines() if ": warning: " in x and "(in build/" not in x]  # the writers' end "(in build/...)"
    assert reader == ["water.md:14:1: warning: abstract left out: bottom_line is given (the abstract is the bottom line only when there is none)"]
    assert "not supported" not in built.err


def test_the_front_matter_is_on_the_cover_in_the_metadata_and_in_the_language_of_both(pdf, deck):
    cover = pdf.pages[0].extract_text()
    assert squash(TITLE) in squash(cover) and all(x in cover for x in (SUBTITLE, DATE, AUTHORS, "OFFICIAL"))
    assert (pdf.metadata.title, pdf.metadata.author, pdf.metadata.subject) == (TITLE, AUTHORS, SUBTITLE)
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"
    flat = squash(pdf_text(pdf))
    assert all(squash(x) in flat for x in SUMMARY)
    first = deck.slides[0]
    assert title_of(first) == TITLE and [SUBTITLE, DATE, AUTHORS] == [t for t in texts_of(first) if t and t != TITLE]
    assert (deck.core_properties.title, deck.core_properties.author) == (TITLE, AUTHORS)
    langs = {r.get("lang") for r in first.shapes.title._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}rPr")}
    assert langs == {"en-GB"}
    texts = [t for s in deck.slides for t in texts_of(s)]
    assert BOTTOM_LINE in texts and all(x in texts for x in SUMMARY)


# --- the PDF --------------------------------------------------------------------------------------


def pdf_text(pdf) -> str:
    return "\n".join(page.extract_text() or "" for page in pdf.pages)


def bookmarks(pdf) -> list[tuple[str, list[str]]]:
    """(title, its children's titles) of each top-level bookmark, in order."""
    out: list[tuple[str, list[str]]] = []
    for item in pdf.outline:
        if isinstance(item, list):
            out[-1][1].extend(x.title for x in item if not isinstance(x, list))
        else:
            out.append((item.title, []))
    return out


def numbered(title: str, bookmark: str) -> bool:
    """Whether ``bookmark`` is ``title``, perhaps after its number ("1.2 Groundwater")."""
    return re.fullmatch(r"(?:\d+(?:\.\d+)*\s+)?" + re.escape(title), bookmark) is not None


def test_every_section_and_subsection_title_is_a_bookmark_under_its_section(pdf):
    marks = bookmarks(pdf)
    for section, subsections in PARTS:
        found = [children for title, children in marks if numbered(section, title)]
        assert len(found) == 1, (section, marks)
        assert len(found[0]) == len(subsections) and all(numbered(s, b) for s, b in zip(subsections, found[0])), (section, found[0])


def notes_at_foot(words: list[dict]) -> dict[int, str]:
    """{number: text} of the notes under a page's rule: a line starting with a small number starts a note."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) < 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    notes: dict[int, str] = {}
    current = None
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        if line[0]["text"].isdigit() and line[0]["size"] < 7.5:
            current = int(line[0]["text"])
            notes[current] = " ".join(w["text"] for w in line[1:])
        elif current is not None:
            notes[current] += " " + " ".join(w["text"] for w in line)
    return notes


def test_each_footnote_stands_at_the_foot_of_the_page_holding_its_mark_under_the_text(built):
    marks: dict[int, tuple[int, float]] = {}  # number -> (page, how far down the page's text its line is, 0..1)
    notes: dict[int, tuple[int, str]] = {}  # number -> (page, text)
    with pdfplumber.open(built.pdf) as doc:
        for page in doc.pages:
            parts = page_layout(page)
            body, rule = parts["body"], parts["rule"]
            if not body:
                continue
            top, bottom = min(w["top"] for w in body), max(w["bottom"] for w in body)
            for w in body:
                n = raised_number(page, w)
                if n is not None:
                    assert n not in marks, f"mark {n} twice"
                    marks[n] = (page.page_number, (w["bottom"] - top) / (bottom - top))
            if parts["notes"]:
                assert rule is not None
                assert bottom < rule["top"] < min(w["top"] for w in parts["notes"]), f"page {page.page_number}: text, rule, notes"
                assert max(w["bottom"] for w in parts["notes"]) < min(w["top"] for w in parts["footer"]), f"page {page.page_number}"
                for n, text in notes_at_foot(parts["notes"]).items():
                    notes[n] = (page.page_number, text)
    assert sorted(marks) == sorted(notes) == list(range(1, len(FOOTNOTES) + 1)), (marks, notes)
    for n, expected in enumerate(FOOTNOTES, 1):
        page, text = notes[n]
        assert squash(text) == squash(expected), (n, text)
        assert marks[n][0] == page, f"note {n} is on page {page}, its mark on page {marks[n][0]}"
    assert any(depth > 0.75 for _page, depth in marks.values()), f"no mark in the last quarter of its page's text: {marks}"


def test_citations_print_their_numbers_and_locators_and_no_mark_up_is_left(pdf):
    text = pdf_text(pdf)
    flat = squash(text)
    for printed, written in CITED:
        assert squash(printed) in flat, (printed, written)
    assert squash(BOTTOM_LINE) in flat and squash(ABSTRACT) not in flat
    assert squash(FOOTNOTES[0]) in flat
    for literal in LITERALS:
        assert literal not in text, literal
        assert all(literal not in b for section, children in bookmarks(pdf) for b in [section, *children])
    for note in NOTES.values():  # speaker notes are the deck's alone
        assert squash(note)[:40] not in flat


def test_the_bare_address_is_a_link_annotation(pdf):
    page = next(p for p in pdf.pages if URL in squash(p.extract_text()))
    uris = [str(a.get_object()["/A"].get_object().get("/URI")) for a in page.get("/Annots") or [] if a.get_object().get("/A") is not None]
    assert URL in uris


def test_tables_figure_quote_and_chart_are_in_the_report(pdf):
    flat = squash(pdf_text(pdf))
    for k, (caption, (header, rows, _align)) in enumerate(TABLES.items(), 1):
        assert squash(f"Table {k}: {caption}") in flat
        assert all(squash(cell) in flat for row in [header, *rows] for cell in row)
    assert squash(f"“{QUOTE[0]}”") in flat and squash(f"— {QUOTE[1]}") in flat
    assert squash(f"Figure 1: {CHART[0]}") in flat and squash(f"Figure 2: {FIGURE['caption']}") in flat


# --- the deck -------------------------------------------------------------------------------------


def texts_of(slide) -> list[str]:
    """The text of every text frame on ``slide`` (placeholders, text boxes), a paragraph each."""
    return [p.text for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]


def title_of(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def notes_of(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def test_every_section_and_subsection_title_is_a_slide_title(deck):
    titles = [title_of(s) for s in deck.slides]
    assert titles[0] == TITLE
    for section, subsections in PARTS:
        for title in [section, *subsections]:
            assert title in titles, (title, titles)
    order = [titles.index(t) for section, subsections in PARTS for t in [section, *subsections]]
    assert order == sorted(order)


def test_notes_divs_are_the_speaker_notes_of_their_parts_first_slide(deck):
    for title, note in NOTES.items():
        holding = [title_of(s) for s in deck.slides if note in notes_of(s)]
        assert holding == [title], (title, holding)
        first = next(s for s in deck.slides if title_of(s) == title)
        assert notes_of(first).startswith(note)


def test_each_footnote_is_in_the_notes_of_the_slide_carrying_its_mark(deck):
    raised = "{http://schemas.openxmlformats.org/drawingml/2006/main}rPr"
    for n, text in enumerate(FOOTNOTES, 1):
        holding = [s for s in deck.slides if f"{n}. {text}" in notes_of(s).splitlines()]
        assert len(holding) == 1, (n, [title_of(s) for s in holding])
        slide = holding[0]
        on_slide = [r for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs
                    if r.text == str(n) and r._r.find(raised) is not None and r._r.find(raised).get("baseline") == "30000"]
        prose = notes_of(slide).split("\nNotes:\n")[0]  # the part's prose, in the notes before the list of notes
        in_prose = str(n).translate(SUPERSCRIPT) in prose
        assert on_slide or in_prose, f"note {n} is in the notes of '{title_of(slide)}', which shows no mark {n}"
        if n <= 2:  # the notes on points: raised numbers in the slide's text
            assert on_slide, n


def test_tables_are_native_with_the_markdown_cells_and_alignment(deck):
    frames = [(slide, sh) for slide in deck.slides for sh in slide.shapes if sh.has_table]
    assert len(frames) == len(TABLES)
    for caption, (header, rows, align) in TABLES.items():
        found = [(slide, sh.table) for slide, sh in frames if [c.text for c in sh.table.rows[0].cells] == header]
        assert len(found) == 1, caption
        slide, table = found[0]
        assert caption in [title_of(slide), *texts_of(slide)]
        assert [[c.text for c in row.cells] for row in list(table.rows)[1:]] == rows
        for row in table.rows:
            for cell, want in zip(row.cells, align):
                got = [p.alignment for p in cell.text_frame.paragraphs]
                assert all(a in ALIGN[want] for a in got), (caption, cell.text, want, got)


def test_the_figure_is_a_picture_described_by_its_alt_text(deck):
    pictures = [(slide, sh) for slide in deck.slides for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    slide, picture = pictures[0]
    assert picture._element.nvPicPr.cNvPr.get("descr") == FIGURE["alt"]
    assert FIGURE["caption"] in texts_of(slide) and title_of(slide) == "A transfer from the Wend"


def test_the_quote_chart_and_points_are_on_slides(deck):
    texts = [t for s in deck.slides for t in texts_of(s)]
    assert f"“{QUOTE[0]}”" in texts and f"— {QUOTE[1]}" in texts
    charts = [sh.chart for s in deck.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 1
    assert list(charts[0].plots[0].categories) == CHART[1] and list(charts[0].series[0].values) == CHART[2]
    assert "Dry-year demand passes dry-year supply in 2029 [1, p. 12]" in texts  # a point, its citation printed


def test_no_mark_up_is_left_in_any_slide_notes_or_chart(deck):
    runs = []
    for slide in deck.slides:
        parts = [slide.part] + ([slide.notes_slide.part] if slide.has_notes_slide else [])
        parts += [sh.chart.part for sh in slide.shapes if sh.has_chart]
        for part in parts:
            runs += [t.text or "" for t in part._element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t")]
    text = "\n".join(runs)
    assert FOOTNOTES[2] in text and NOTES["The supply gap"] in text  # the texts searched do hold the notes
    for literal in LITERALS:
        assert literal not in text, literal
    assert ABSTRACT not in text


# --- pandoc reads the same file ---------------------------------------------------------------------


def stringify(inlines) -> str:
    """The text of pandoc JSON ``inlines`` (or blocks)."""
    out = []
    for x in inlines if isinstance(inlines, list) else [inlines]:
        t, c = x.get("t"), x.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t == "Quoted":
            q = "“”" if c[0]["t"] == "DoubleQuote" else "‘’"
            out.append(q[0] + stringify(c[1]) + q[1])
        elif t in ("Emph", "Strong", "Plain", "Para", "Span", "Link", "Image"):
            out.append(stringify(c if t in ("Emph", "Strong", "Plain", "Para") else c[1]))
        elif t == "Cite":
            out.append(stringify(c[1]))
        elif t == "Note":
            pass
    return "".join(out)  # (pandoc's smart quotes, as reportgen's: an apostrophe typed ' is ’)


def walk(node, kind: str):
    """Yield the ``c`` of every element of type ``kind`` in pandoc JSON ``node``."""
    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            if x.get("t") == kind:
                yield x.get("c")
            stack.extend(reversed(list(x.values())))
        elif isinstance(x, list):
            stack.extend(reversed(x))


def pandoc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["pandoc", BRIEF, *args], cwd=MARKDOWN, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_brief_without_a_warning_and_resolves_its_citations():
    for to in ("native", "html"):
        done = pandoc("--citeproc", "-t", to)
        assert done.returncode == 0, done.stderr
        assert "WARNING" not in done.stderr and not done.stderr.strip(), done.stderr  # e.g. "[WARNING] Citeproc: citation x not found"
    html = pandoc("--citeproc", "-t", "html").stdout
    assert html.count("<table") == len(TABLES) and 'class="notes"' in html and "<blockquote>" in html
    assert 'class="footnotes' in html and all(f'id="fn{n}"' in html for n in range(1, len(FOOTNOTES) + 1))
    assert "?</strong>" not in html  # citeproc's mark of a key it cannot resolve


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_finds_the_same_headings_tables_notes_and_citation_keys_as_reportgen():
    done = pandoc("-t", "json")
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    doc = json.loads(done.stdout)
    if doc.get("pandoc-api-version", [0])[:2] < [1, 21]:
        pytest.skip("pandoc older than 2.10 (its tables have another form)")
    cited = {c["citationId"] for cites in walk(doc, "Cite") for c in cites[0]}
    sources = [s.id for s in load(os.path.join(MARKDOWN, BRIEF)).outline.sources]
    assert cited == set(sources) == set(KEYS) and sources == KEYS
    headings = [(c[0], stringify(c[2]), c[1][0], c[1][1]) for c in walk(doc["blocks"], "Header")]
    assert headings == HEADINGS
    tables = {}
    for attr, caption, colspecs, head, bodies, _foot in walk(doc["blocks"], "Table"):
        cells = lambda row: [stringify(cell[4]) for cell in row[1]]  # noqa: E731
        header = cells(head[1][0])
        rows = [cells(row) for body in bodies for row in body[3]]
        align = [{"AlignLeft": "left", "AlignRight": "right", "AlignCenter": "center"}.get(spec[0]["t"], "default") for spec in colspecs]
        tables[stringify(caption[1])] = (header, rows, align)
    assert tables == TABLES
    notes = [stringify(blocks) for blocks in walk(doc["blocks"], "Note")]
    assert notes == FOOTNOTES
    divs = [stringify(c[1]) for c in walk(doc["blocks"], "Div") if "notes" in c[0][1]]
    assert divs == list(NOTES.values())
    images = list(walk(doc["blocks"], "Image"))
    assert [(stringify(c[1]), c[2][0], dict(c[0][2]).get("fig-alt")) for c in images] == [(FIGURE["caption"], FIGURE["path"], FIGURE["alt"])]
    quotes = [stringify(c) for c in walk(doc["blocks"], "BlockQuote")]
    assert quotes == [f"{QUOTE[0]} — {QUOTE[1]}"]
    charts = [c for c in walk(doc["blocks"], "CodeBlock") if "chart" in c[0][1]]
    assert len(charts) == 1 and CHART[0] in charts[0][1]
