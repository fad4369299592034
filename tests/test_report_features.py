"""The PDF report at publication grade: the feature outline, rendered and read back.

``tests/fixtures/features/features.yaml`` uses every report feature: a 60-row
table, a 9-column table too wide for a portrait page, every chart type, a
photo and an image far taller than a page, pull quotes, callouts, citations,
links, Cyrillic and Greek, and text holding ``<``, ``&`` and ``>``. It is
loaded, composed through the briefing pack and written by the PDF writer;
these tests read the PDF back with pypdf, and compare a few pages with golden
PNGs (``tests/golden/pdf``; regenerate with ``REPORTGEN_UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.compose import compose  # noqa: E402
from reportgen.doctree import Meta, Paragraph, Report, Section, Table, Text  # noqa: E402
from reportgen.errors import InputError  # noqa: E402
from reportgen.glyphs import text_fields  # noqa: E402
from reportgen.loader import load  # noqa: E402
from reportgen.pack import find_pack  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ROOT / "tests" / "fixtures" / "features" / "features.yaml"
GOLDEN = ROOT / "tests" / "golden" / "pdf"
TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def pack():
    return find_pack("briefing", str(TEMPLATES))


@pytest.fixture(scope="module")
def loaded():
    return load(str(FEATURES))


@pytest.fixture(scope="module")
def built(loaded, pack, tmp_path_factory):
    from reportgen.writers.pdf import PdfWriter

    out = tmp_path_factory.mktemp("features") / "features.pdf"
    warnings = PdfWriter().write(compose(loaded, pack, "report"), pack.theme, str(out))
    return out, [f"{w.path}: {w.message}" for w in warnings], pypdf.PdfReader(str(out))  # "outline part: message"


def _squash(text: str) -> str:
    """Text without any whitespace: robust to line wrapping and words broken inside table cells."""
    return re.sub(r"\s+", "", text)


def _shown(text: str, cites: dict[str, int]) -> str:
    """What inline Markdown prints: citations as [n], links as their text, emphasis marks dropped, straight quotes
    typographic (the fixture's are simple: "a pair", an apostrophe inside a word)."""
    text = re.sub(r"\[@([^\]]+)\]", lambda m: f"[{cites[m.group(1)]}]", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"(?<=\w)'(?=\w)", "’", re.sub(r'"([^"]*)"', r"“\1”", text))
    return text.replace("**", "").replace("`", "")


def _pages(reader) -> list[str]:
    return [p.extract_text() for p in reader.pages]


# --- every string, every page ------------------------------------------------------


def test_every_input_string_is_in_the_pdf_text(built, loaded):
    _, _, reader = built
    text = _squash("".join(_pages(reader)))
    cites = loaded.cite_numbers()
    missing = []
    for path, value in text_fields(loaded.outline):
        if path[-3:-2] == ("series",) and path[-1] == "name" and loaded.outline.sections[path[1]].subsections[path[3]].chart.type == "pie":
            continue  # a pie has one series: its slices are named by category, the series name is not drawn
        if path[-1] in ("body",):
            parts = [p for p in value.split("\n\n") if p.strip()]
        else:
            parts = [value]
        for part in parts:
            if _squash(_shown(part, cites)) not in text:
                missing.append((path, part[:60]))
    assert not missing, missing


def test_markup_characters_print_verbatim(built):
    _, _, reader = built
    text = " ".join(re.sub(r"\s+", " ", t) for t in _pages(reader))
    assert "Feature Briefing <Draft> & Review" in text
    assert "<tag>, R&D and x > y" in text
    assert "<b>not bold</b> & “quoted” > text" in text  # (straight quotes typed print as the language's)
    assert "SIPRI Yearbook 2023 <summary>" in text


def test_cyrillic_greek_and_fallback_glyphs_print(built):
    _, warnings, reader = built
    text = "".join(_pages(reader))
    assert "Переговоры в Женеве" in text
    assert "Η συνάντηση στη Γενεύη" in text
    assert "➜ ⇒ ✓ ☃" in text  # not in Liberation: set in the fallback font (DejaVu Sans)
    assert not [w for w in warnings if "glyph" in w], warnings


def test_fallback_font_is_embedded_only_for_what_needs_it(built):
    out, _, _ = built
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts not installed")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts and "LiberationSerif" in fonts and "LiberationSans" in fonts


# --- tables ------------------------------------------------------------------------


def test_long_table_header_on_every_page_it_spans(built):
    _, _, reader = built
    pages = _pages(reader)
    first = next(i for i, t in enumerate(pages) if "R-01" in t)
    last = next(i for i, t in enumerate(pages) if "R-60" in t)
    assert last - first >= 2, "60 rows should span at least three pages"
    for i in range(first, last + 1):
        assert "Indicator code" in pages[i] and "Population" in pages[i], f"header missing on page {i + 1}"
    for n in range(1, 61):
        assert any(f"R-{n:02d}" in t for t in pages), n


def test_wide_table_gets_a_landscape_page(built):
    _, warnings, reader = built
    pages = _pages(reader)
    i = next(i for i, t in enumerate(pages) if "Programme portfolio across nine dimensions" in t)
    box = reader.pages[i].mediabox
    assert float(box.width) > float(box.height), "the 9-column table should be on a landscape page"
    for header in ("Programme", "Workstream", "Discipline", "Budget", "Headcount", "Completion", "Governance", "Sector", "Milestone"):
        assert header in pages[i], header
    assert "Counterintelligence" in pages[i]  # not broken: the landscape frame has room for the word
    portrait = [p for p in reader.pages if float(p.mediabox.width) < float(p.mediabox.height)]
    assert len(portrait) == len(reader.pages) - 1
    assert any("landscape" in w and "sections[0].subsections[0].table" in w for w in warnings), warnings


def test_numbers_right_aligned_in_the_long_table(built, pack, loaded):
    from reportgen.compose import compose

    report = compose(loaded, pack, "report")
    tables = []

    def walk(nodes):
        for n in nodes:
            if isinstance(n, Table):
                tables.append(n)
            walk(getattr(n, "children", []))

    walk(report.children)
    assert tables[0].align == ["left", "left", "right", "right", "left"]  # decided once, for both writers (compose.decide)


def _report_with_table(columns: int, words: str, rows: int = 3) -> Report:
    table = Table([[Text(f"{words} {j}")] for j in range(columns)], [[[Text(f"{words}{i}{j}")] for j in range(columns)] for i in range(rows)],
                  caption=[Text("Too wide")], number=1, origin="sections[0].table")
    return Report(Meta(title="T"), [Section([Text("One")], [table], number="1", id="one", origin="sections[0]")])


def test_too_wide_table_is_an_error_naming_it_when_the_theme_says_so(pack, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    theme = pack.theme.model_copy(update={"page": pack.theme.page.model_copy(update={"wide_tables": "error"})})
    with pytest.raises(InputError) as err:
        PdfWriter().write(_report_with_table(12, "Interoperability"), theme, str(tmp_path / "e.pdf"))
    message = str(err.value)
    assert "sections[0].table" in message and "Table 1 'Too wide'" in message and "12 columns" in message, message
    assert not (tmp_path / "e.pdf").exists() or (tmp_path / "e.pdf").stat().st_size == 0


def test_table_too_wide_even_for_landscape_is_an_error(pack, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    with pytest.raises(InputError, match=r"sections\[0\]\.table.*40 columns.*landscape"):
        PdfWriter().write(_report_with_table(40, "Interoperability"), pack.theme, str(tmp_path / "e.pdf"))


def test_table_that_shrinks_but_stays_portrait(pack, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    out = tmp_path / "s.pdf"
    warnings = [w.message for w in PdfWriter().write(_report_with_table(8, "Procurement"), pack.theme, str(out))]
    reader = pypdf.PdfReader(str(out))
    assert all(float(p.mediabox.width) < float(p.mediabox.height) for p in reader.pages)
    assert any("set at" in w and "pt" in w for w in warnings), warnings
    assert "Procurement07" in reader.pages[0].extract_text()


def test_row_taller_than_a_page_is_an_error_naming_the_table(pack, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    doc = _report_with_table(2, "Cell")
    doc.children[0].children[0].rows[1][0] = [Text("word " * 4000)]
    with pytest.raises(InputError, match=r"sections\[0\]\.table.*row 2 is \d+pt tall"):
        PdfWriter().write(doc, pack.theme, str(tmp_path / "r.pdf"))


# --- charts and figures ------------------------------------------------------------


def _image_xobjects(reader) -> int:
    count = 0
    for page in reader.pages:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        count += sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")
    return count


def test_charts_are_vector_and_labelled(built):
    _, _, reader = built
    assert _image_xobjects(reader) == 3  # the logo and the two figures; no chart is an image
    text = "".join(_pages(reader))
    for label in ("Figure 1: Spending by region (grouped)", "Figure 2: Staff by grade (stacked)", "Figure 3: Monthly incidents (line)", "Figure 4: Time by topic (pie)"):
        assert label in text, label
    for label in ("North", "Unit B", "Senior", "Resolved", "Arms control", "million EUR", "Source: Budget office"):
        assert label in text, label


def test_oversized_image_is_scaled_onto_one_page(built):
    _, _, reader = built
    pages = _pages(reader)
    i = next(i for i, t in enumerate(pages) if "Figure 6: A banner taller than any page" in t)
    xobjects = (reader.pages[i].get("/Resources") or {}).get("/XObject") or {}
    sizes = {(x.get("/Width"), x.get("/Height")) for x in (ref.get_object() for ref in xobjects.values()) if x.get("/Subtype") == "/Image"}
    assert (400, 3000) in sizes, "the tall image should sit on the page of its caption"
    assert "Figure 5: The venue, as a bar motif" in "".join(pages)


# --- references, links and bookmarks ---------------------------------------------


def _dest_names(reader) -> dict:
    return {name.lstrip("/"): dest for name, dest in reader.named_destinations.items()}


def _links(reader, page) -> list:
    out = []
    for annot in page.get("/Annots") or []:
        a = annot.get_object()
        if a.get("/Subtype") != "/Link":
            continue
        action = a.get("/A")
        action = action.get_object() if action is not None else None
        if action is not None and action.get("/URI"):
            out.append(("uri", str(action["/URI"])))
        else:
            dest = a.get("/Dest") if a.get("/Dest") is not None else (action.get("/D") if action is not None else None)
            out.append(("dest", dest))
    return out


def test_links_resolve(built):
    _, _, reader = built
    names = _dest_names(reader)
    assert {"source-1", "source-2", "sec-1", "sec-2", "sec-4", "sources"} <= set(names)
    page_ids = {p.indirect_reference.idnum for p in reader.pages}
    uris, internal = set(), 0
    for page in reader.pages:
        for kind, target in _links(reader, page):
            if kind == "uri":
                uris.add(target)
            else:
                internal += 1
                target = target.get_object() if hasattr(target, "get_object") else target
                if isinstance(target, str):
                    assert target.lstrip("/") in names, target
                else:
                    assert target[0].idnum in page_ids, target
    assert {"https://unstats.un.org/", "https://www.sipri.org/yearbook/2023", "https://www.un.org/en/"} <= uris
    assert internal >= 15  # TOC entries and citations


def test_toc_entries_are_links_to_their_sections(built):
    _, _, reader = built
    toc = next(p for p in reader.pages if "Contents" in p.extract_text() and "Tables of Any Length" in p.extract_text())
    links = [t for k, t in _links(reader, toc) if k == "dest"]
    assert len(links) >= 10  # 4 sections, 7 subsections, summary, sources


def test_bookmarks_cover_every_section_and_resolve(built, loaded):
    _, _, reader = built

    def walk(items, out):
        for item in items:
            if isinstance(item, list):
                walk(item, out)
            else:
                out.append(item)
        return out

    marks = walk(reader.outline, [])
    titles = {m.title for m in marks}
    for i, s in enumerate(loaded.outline.sections, 1):
        assert f"{i} {s.title}" in titles
        for j, sub in enumerate(s.subsections, 1):
            assert f"{i}.{j} {sub.title}" in titles
    assert {"Contents", "Executive summary", "Sources"} <= titles
    pages = _pages(reader)
    for m in marks:
        n = reader.get_destination_page_number(m)
        assert 0 <= n < len(reader.pages)
        heading = m.title.split(" ", 1)[-1] if m.title[0].isdigit() else m.title
        assert _squash(heading) in _squash(pages[n]), (m.title, n)


# --- callouts, quotes, running header, typography ----------------------------------


def test_callouts_and_pull_quotes(built):
    _, _, reader = built
    text = re.sub(r"\s+", " ", " ".join(_pages(reader)))
    assert "Bottom line up front" in text and "Key takeaways" in text and "In brief" in text
    assert "“A table that runs off the page is a table nobody reads.”" in text
    assert "— Style guide, chapter 4" in text
    assert "“Доверяй, но проверяй — trust, but verify.”" in text


def test_running_header_names_the_current_section(built):
    _, _, reader = built
    pages = _pages(reader)
    assert "|" not in pages[0] and "Page 1 of" not in pages[0]  # the cover has no header or footer
    for i, text in enumerate(pages[1:], start=1):
        assert f"Page {i + 1} of {len(pages)}" in text
        header = next(line for line in text.splitlines() if "|" in line)
        assert header.startswith("Feature Briefing <Draft> & Review"), header
    flat = [re.sub(r"\s+", " ", t) for t in pages]
    chart_page = next(t for t in flat if "Figure 1: Spending by region" in t)
    assert "| 2 Charts from One Spec" in chart_page
    table_cont = next(t for t in flat if "R-45" in t)
    assert "| 1 Tables of Any Length" in table_cont and "Charts from One Spec" not in table_cont
    assert "| Contents" in next(t for t in flat if "Contents" in t)
    assert "| 4 Scripts and References" in flat[-1]


def test_no_heading_is_left_at_a_page_foot(built):
    _, warnings, _ = built
    assert not [w for w in warnings if "foot of a page" in w], warnings


@pytest.mark.parametrize("filler", range(26, 44, 2))
def test_heading_stays_with_its_first_lines(pack, tmp_path, filler):
    """Push a heading towards the page foot step by step: it must always share a page with its text."""
    from reportgen.writers.pdf import PdfWriter

    lorem = "Filler sentence for the page that moves the heading down the page. "
    first = Section([Text("One")], [Paragraph([Text(lorem * 3)]) for _ in range(filler // 2)] + [Paragraph([Text("Short line.")])] * (filler % 4), number="1", id="one")
    second = Section([Text("Second Heading Here")], [Paragraph([Text("Opening words of the second section. " + lorem * 6)])], number="2", id="two")
    out = tmp_path / "k.pdf"
    warnings = PdfWriter().write(Report(Meta(title="Keep"), [first, second]), pack.theme, str(out))
    pages = [p.extract_text() for p in pypdf.PdfReader(str(out)).pages]
    where = [i for i, t in enumerate(pages) if "Second Heading Here" in t]
    assert where and "Opening words" in pages[where[0]], (filler, pages)
    assert warnings == []


# --- located errors -------------------------------------------------------------------


def test_layout_error_names_the_outline_node(pack, tmp_path, monkeypatch):
    from reportlab.graphics.shapes import Drawing, Rect

    from reportgen.doctree import Chart, Series
    from reportgen.writers import pdf

    def giant(*args, **kwargs):
        d = Drawing(100, 5000)
        d.add(Rect(0, 0, 100, 5000))
        return d

    monkeypatch.setattr(pdf, "chart_drawing", giant)
    chart = Chart("bar", "Big one", ["a"], [Series("s", [1])], number=3, origin="sections[2].subsections[1].chart")
    doc = Report(Meta(title="Err"), [Section([Text("Oversized")], [Paragraph([Text("Intro.")]), chart], number="3", id="big", origin="sections[2]")])
    with pytest.raises(InputError) as err:
        pdf.PdfWriter().write(doc, pack.theme, str(tmp_path / "e.pdf"))
    problem = err.value.problems[0]
    assert problem.path == "sections[2].subsections[1].chart", problem
    assert "Figure 3 'Big one'" in problem.message and "too large" in problem.message, problem


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("values: [120, 95, 143, 88]", "values: [120, 95, 143]", r"sections\[1\]\.subsections\[0\]\.chart\.series\[0\]\.values: series '2022' has 3 values, expected 4"),
        ("values: [14, 18, 11, 23, 19, 27]", "values: [14, 18, eleven, 23, 19, 27]", r"sections\[1\]\.subsections\[2\]\.chart\.series\[0\]\.values\[2\]: expected a number"),
        ("values: [45, 25, 20, 10]", "values: [45, 25, -20, 10]", r"sections\[1\]\.subsections\[3\]\.chart\.series\[0\]\.values\[2\]: a pie chart needs values of 0 or more"),
    ],
)
def test_unplottable_chart_spec_is_a_located_input_error(tmp_path, old, new, expected):
    text = FEATURES.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "bad.yaml").write_text(text.replace(old, new), encoding="utf-8")
    for f in ("venue.jpg", "tall-banner.png"):
        shutil.copy(FEATURES.parent / f, tmp_path / f)
    with pytest.raises(InputError) as err:
        load(str(tmp_path / "bad.yaml"))
    assert re.search(r"bad\.yaml:\d+:\d+: " + expected, str(err.value)), str(err.value)


# --- visual regression ----------------------------------------------------------------

# Each golden page is found by text it holds, so the names stay true when pages move.
GOLDEN_PAGES = {
    "cover": "Test Desk & Partners",
    "summary-table": "Bottom line up front",
    "landscape": "Programme portfolio across nine dimensions",
    "chart": "Figure 1: Spending by region",
    "scripts": "Scripts and References",
}
TOLERANCE = 1.5  # mean absolute difference per pixel, 0-255 greyscale: a 1px shift of a page at 40 dpi is ~2


def _render(pdf: Path, page: int, out: Path) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(out)], check=True, capture_output=True)
    return out.with_suffix(".png")


@pytest.mark.parametrize("name", sorted(GOLDEN_PAGES))
def test_pages_match_golden_images(built, name, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    from PIL import Image, ImageChops, ImageStat

    out, _, reader = built
    marker = GOLDEN_PAGES[name]
    page = next(i + 1 for i, p in enumerate(reader.pages) if marker in p.extract_text() and not ("Contents" in p.extract_text() and name != "cover"))
    got = _render(out, page, tmp_path / name)
    golden = GOLDEN / f"features-{name}.png"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        shutil.copy(got, golden)
        return
    assert golden.exists(), f"no golden image {golden}; run with REPORTGEN_UPDATE_GOLDEN=1 to make it"
    a, b = Image.open(golden).convert("L"), Image.open(got).convert("L")
    assert a.size == b.size, f"page {page} is {b.size}, golden {a.size}"
    diff = ImageStat.Stat(ImageChops.difference(a, b)).mean[0]
    if diff > TOLERANCE:
        shutil.copy(got, tmp_path / f"{name}-actual.png")
    assert diff <= TOLERANCE, f"page {page} differs from {golden.name} by {diff:.2f} (tolerance {TOLERANCE}); actual in {tmp_path}; if the change is intended, rerun with REPORTGEN_UPDATE_GOLDEN=1"


def test_writer_problem_is_placed_in_the_outline_file(pack, loaded, tmp_path):
    from reportgen.loader import locate
    from reportgen.writers.pdf import PdfWriter

    theme = pack.theme.model_copy(update={"page": pack.theme.page.model_copy(update={"wide_tables": "error"})})
    with pytest.raises(InputError) as err:
        PdfWriter().write(compose(loaded, pack, "report"), theme, str(tmp_path / "w.pdf"))
    problem = locate(loaded, err.value.problems[0])
    line = FEATURES.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert problem.file == str(FEATURES) and problem.path == "sections[0].subsections[0].table", problem
    assert line.strip().startswith("caption: Programme portfolio"), line
