"""Tests of the PDF writer: a hand-built Report, rendered, then read back with pypdf."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.doctree import (  # noqa: E402
    Callout,
    Chart,
    Cite,
    Code,
    Cover,
    Emph,
    Figure,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Meta,
    PageBreak,
    Paragraph,
    Quote,
    Report,
    Section,
    Series,
    Strong,
    Table,
    Text,
    Toc,
)
from reportgen.errors import InputError  # noqa: E402
from reportgen.theme import Theme, load_theme  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "templates" / "briefing"

TITLE = "Biden–Putin Summit: Key Takeaways & Global Impact"
MARKUP_TEXT = "Literal <b>not bold</b> & <i>x</i> > y stays verbatim"
CYRILLIC = "Путин и Байден встретились в Женеве"
GREEK = "Ελληνικά: αβγ δέλτα"
QUOTES = "“Double” and ‘single’ quotes – en dash — em dash …"
TABLE_HEADER = "Warhead category"


# --- fixtures ------------------------------------------------------------------


@pytest.fixture(scope="session")
def theme() -> Theme:
    """The briefing theme, exactly as the pack has it (a broken pack fails here, loudly)."""
    return load_theme(str(PACK))


def _t(text: str) -> list:
    return [Text(text)]


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph([Text(text)], style)


def make_figure(path: Path) -> str:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 360), (237, 241, 246))
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 600, 320), outline=(31, 58, 95), width=6)
    draw.ellipse((240, 100, 400, 260), fill=(181, 52, 43))
    img.save(path)
    return str(path)


def sample_report(tmp_path: Path) -> Report:
    """A report with a cover, a TOC, sections and subsections and every block type."""
    figure = make_figure(tmp_path / "figure.png")
    rows = [[_t(f"Row {i:02d} item"), _t(f"{1000 + i * 37:,}"), _t(f"{i * 3:,}"), _t("Deployed strategic" if i % 2 else "Reserve")] for i in range(1, 41)]
    inline_para = Paragraph(
        [
            Text("Talks covered "),
            Strong([Text("strategic stability")]),
            Text(", "),
            Emph([Text("cyber norms")]),
            Text(" and the "),
            Code([Text("New START")][0].text),
            Text(" treaty; see "),
            Link("https://example.org/summit", [Text("the communiqué")]),
            Text(" "),
            Cite(1),
            Text(" and "),
            Cite(2),
            Text("."),
            LineBreak(),
            Text("A second line after a break."),
        ]
    )
    why = Section(
        _t("Why the Summit Mattered"),
        [
            _p("The first meeting of the two presidents set the tone for a difficult relationship.", "lead"),
            Callout(_t("Bottom line up front"), [_p("Dialogue resumed; little else changed in the short term.")], kind="bluf"),
            inline_para,
            _p(MARKUP_TEXT),
            _p(CYRILLIC),
            _p(GREEK),
            _p(QUOTES),
            ListBlock(
                [
                    ListItem([_p("Arms control was the main agenda item.")]),
                    ListItem([_p("Cyber security came second."), ListBlock([ListItem([_p("Critical infrastructure list of sixteen sectors.")]), ListItem([_p("Expert consultations.")])])]),
                    ListItem([_p("Human rights were raised.")]),
                ]
            ),
            ListBlock(
                [
                    ListItem([_p("Third point, the list starts at three."), _p("A second paragraph in the same item.")]),
                    ListItem([_p("Fourth point.")]),
                ],
                ordered=True,
                start=3,
            ),
            Quote([_p("We will continue to work on strategic stability.")], attribution=_t("Joint statement, Geneva")),
            Section(
                _t("Strategic Stability"),
                [
                    _p("Both sides hold most of the world's nuclear warheads; the table lists them by category."),
                    Table(
                        [_t(TABLE_HEADER), _t("Warheads"), _t("Launchers"), _t("Status")],
                        rows,
                        caption=_t("Illustrative inventory by category"),
                        number=1,
                    ),
                    Chart("bar", "Deployed warheads by country", ["United States", "Russia", "China"], [Series("2021", [1550, 1550, 350]), Series("2023", [1670, 1710, 410])], source="Illustrative figures", number=1, unit="Warheads"),
                    Chart("stacked-bar", "Stockpile composition", ["United States", "Russia"], [Series("Deployed", [1750, 1600]), Series("Reserve", [2000, 2900]), Series("Retired", [1700, 1500])], source="Illustrative figures", number=2, unit="Warheads"),
                ],
                level=2,
                number="1.1",
                id="stability",
            ),
        ],
        level=1,
        number="1",
        id="why",
    )
    outcomes = Section(
        _t("Outcomes and Agreements"),
        [
            Callout([], [ListBlock([ListItem([_p("Ambassadors returned to their posts.")]), ListItem([_p("A strategic stability dialogue was launched.")])])], kind="takeaways"),
            Chart("line", "Mentions in the press", ["Jan", "Feb", "Mar", "Apr", "May", "Jun"], [Series("US press", [120, 135, 160, 210, 380, 900]), Series("Russian press", [80, 95, 140, 190, 300, 720])], source="Illustrative media count", number=3, unit="Articles"),
            Chart("pie", "Agenda time by topic", ["Arms control", "Cyber", "Ukraine", "Other"], [Series("Share", [40, 25, 20, 15])], source="Illustrative estimate", number=4, unit="%"),
            Figure(figure, "A red disc in a frame", caption=_t("The venue, schematically"), number=5),
            _p("Small print under the figure.", "small"),
            _p("A note for the reader.", "note"),
            PageBreak(),
            Section(_t("Global Impact"), [_p("Allies welcomed the return to predictable diplomacy.")], level=2, number="2.1", id="impact"),
            Section(_t("Regional Detail"), [_p("A level three heading has no TOC entry.")], level=3, number="2.1.1", id="regional"),
        ],
        level=1,
        number="2",
        id="outcomes",
    )
    sources = Section(
        _t("Sources"),
        [ListBlock([ListItem([_p("White House, joint statement, 16 June 2021.")]), ListItem([_p("Kremlin, press release, 16 June 2021.")])], ordered=True)],
        level=1,
        id="sources",
    )
    meta = Meta(
        title=TITLE,
        subtitle="What was agreed in Geneva, and what it means",
        author="Policy Analysis Unit",
        date="2021-06-16",
        date_text="16 June 2021",
        classification="UNCLASSIFIED",
        subject="US–Russia summit briefing",
        keywords=["summit", "arms control"],
    )
    return Report(meta, [Cover(), Toc(), why, outcomes, sources])


SECTION_TITLES = ["1 Why the Summit Mattered", "1.1 Strategic Stability", "2 Outcomes and Agreements", "2.1 Global Impact", "2.1.1 Regional Detail", "Sources"]
PARAGRAPHS = [
    "The first meeting of the two presidents set the tone for a difficult relationship.",
    "Dialogue resumed; little else changed in the short term.",
    "A second line after a break.",
    MARKUP_TEXT,
    CYRILLIC,
    GREEK,
    QUOTES,
    "Critical infrastructure list of sixteen sectors.",
    "A second paragraph in the same item.",
    "We will continue to work on strategic stability.",
    "Both sides hold most of the world's nuclear warheads; the table lists them by category.",
    "A strategic stability dialogue was launched.",
    "Small print under the figure.",
    "A note for the reader.",
    "Allies welcomed the return to predictable diplomacy.",
    "A level three heading has no TOC entry.",
    "Kremlin, press release, 16 June 2021.",
]


@pytest.fixture(scope="module")
def built(theme, tmp_path_factory):
    from reportgen.writers.pdf import PdfWriter

    tmp = tmp_path_factory.mktemp("pdf")
    out = tmp / "report.pdf"
    warnings = PdfWriter().write(sample_report(tmp), theme, str(out))
    return out, warnings, pypdf.PdfReader(str(out))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _body_text(reader) -> str:
    """All page text with the running header and footer removed, whitespace collapsed."""
    chrome = re.compile(r"Page \d+ of \d+|" + "|".join(re.escape(s) for s in (TITLE, "UNCLASSIFIED", "Prepared with reportgen")))
    return _norm(chrome.sub(" ", "\n".join(p.extract_text() for p in reader.pages)))


# --- tests -------------------------------------------------------------------


def test_interface():
    from reportgen.writers import get_writer

    w = get_writer("pdf")
    assert (w.name, w.suffix, w.tree) == ("pdf", ".pdf", "report")


def test_headings_and_paragraphs_are_in_the_text(built):
    _, warnings, reader = built
    text = _body_text(reader)
    for title in SECTION_TITLES:
        assert _norm(title) in text, title
    for para in PARAGRAPHS:
        assert _norm(para) in text, para
    assert "Table 1: Illustrative inventory by category" in text
    assert "Figure 1: Deployed warheads by country" in text
    assert "Figure 5: The venue, schematically" in text
    assert "Source: Illustrative figures" in text
    assert "Key takeaways" in text  # default callout title
    assert "— Joint statement, Geneva" in text
    assert warnings == []


def test_markup_in_user_text_prints_verbatim(built):
    _, _, reader = built
    assert "<b>not bold</b> & <i>x</i> > y" in _body_text(reader)


def test_outline_lists_every_section_at_its_level(built):
    _, _, reader = built

    def walk(items, depth, out):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1, out)
            else:
                out.append((depth, item.title))
        return out

    entries = walk(reader.outline, 0, [])
    assert (0, "1 Why the Summit Mattered") in entries
    assert (1, "1.1 Strategic Stability") in entries
    assert (0, "2 Outcomes and Agreements") in entries
    assert (1, "2.1 Global Impact") in entries
    assert (2, "2.1.1 Regional Detail") in entries
    assert (0, "Sources") in entries


def test_named_destinations_for_sections_and_sources(built):
    _, _, reader = built
    names = {n.lstrip("/") for n in reader.named_destinations}  # a /Dests dictionary: keys are PDF names
    assert {"why", "stability", "outcomes", "impact", "regional", "sources", "source-1", "source-2"} <= names


def _link_targets(reader, page) -> list[str]:
    """Targets of the page's link annotations: a URI, or the name of the destination they jump to."""
    by_place = {}
    for name, dest in reader.named_destinations.items():
        by_place[(dest.page.idnum, round(float(dest.top), 2))] = name.lstrip("/")
    out = []
    for annot in page.get("/Annots") or []:
        a = annot.get_object()
        if a.get("/Subtype") != "/Link":
            continue
        action = a.get("/A")
        if action is not None and action.get_object().get("/URI"):
            out.append(str(action.get_object()["/URI"]))
            continue
        dest = a.get("/Dest")
        if dest is None and action is not None:
            dest = action.get_object().get("/D")
        if isinstance(dest, str):  # a named destination
            out.append(dest.lstrip("/"))
        elif dest is not None:
            out.append(by_place.get((dest[0].idnum, round(float(dest[3]), 2)), "?"))
    return out


def test_citations_and_toc_entries_are_links(built):
    _, _, reader = built
    toc_page = next(p for p in reader.pages if "Contents" in p.extract_text())
    toc_links = _link_targets(reader, toc_page)
    for key in ("why", "stability", "outcomes", "impact", "sources"):
        assert key in toc_links
    assert "regional" not in toc_links  # level 3 stays out of the contents
    all_links = [t for p in reader.pages for t in _link_targets(reader, p)]
    assert "source-1" in all_links and "source-2" in all_links
    assert "https://example.org/summit" in all_links
    assert "?" not in all_links


def test_toc_shows_page_numbers_of_sections(built):
    _, _, reader = built
    pages = [_norm(p.extract_text()) for p in reader.pages]
    toc_index = next(i for i, t in enumerate(pages) if "Contents" in t)
    # Each entry's dot leader and number are a form drawn after the title (pdf_forward):
    # pypdf's plain extraction gives them right after the title, its layout mode not at all.
    toc = pages[toc_index]
    for title in SECTION_TITLES[:4]:
        actual = next(i + 1 for i, t in enumerate(pages) if _norm(title) in t and i != toc_index)
        shown = re.search(re.escape(_norm(title)) + r"\s*(?:\.\s*)+(\d+)", toc)
        assert shown and shown.group(1) == str(actual), (title, actual, toc)


def test_metadata(built):
    _, _, reader = built
    meta = reader.metadata
    assert meta.title == TITLE
    assert meta.author == "Policy Analysis Unit"
    assert meta.subject == "US–Russia summit briefing"
    assert meta.creator == "reportgen"
    assert "summit" in meta.get("/Keywords", "")
    assert str(meta.get("/CreationDate", "")).startswith("D:20210616")


def test_page_count_and_running_header(built):
    _, _, reader = built
    n = len(reader.pages)
    assert 6 <= n <= 16
    cover = reader.pages[0].extract_text()
    assert "Page 1 of" not in cover and "UNCLASSIFIED" in cover and "16 June 2021" in cover
    for i, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert f"Page {i} of {n}" in text
        assert TITLE in text and "Prepared with reportgen" in text


def test_table_header_repeats_on_every_page_it_spans(built):
    _, _, reader = built
    pages = [p.extract_text() for p in reader.pages]
    first = next(i for i, t in enumerate(pages) if "Row 01 item" in t)
    last = next(i for i, t in enumerate(pages) if "Row 40 item" in t)
    assert last > first, "the 40-row table should span pages"
    for i in range(first, last + 1):
        assert TABLE_HEADER in pages[i], f"header missing on page {i + 1}"


def _images(reader) -> int:
    count = 0

    def scan(resources):
        nonlocal count
        xobjects = (resources or {}).get("/XObject") or {}
        for ref in xobjects.values():
            x = ref.get_object()
            if x.get("/Subtype") == "/Image":
                count += 1
            elif x.get("/Subtype") == "/Form":
                scan(x.get("/Resources"))

    for page in reader.pages:
        scan(page.get("/Resources"))
    return count


def test_charts_are_vector(built):
    _, _, reader = built
    assert _images(reader) == 2  # the logo and the figure, nothing else
    text = _body_text(reader)
    for label in ("United States", "Russian press", "Arms control", "Deployed", "Warheads", "1,550"):
        assert label in text, label


def test_fonts_are_embedded_truetype(built):
    out, _, _ = built
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts not installed")
    lines = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines, "no fonts found"
    for line in lines:
        assert "TrueType" in line, line
        assert re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", line), f"not an embedded subset: {line}"
        assert not re.search(r"Helvetica|Times|Courier|Symbol|ZapfDingbats", line), line


def test_qpdf_check(built):
    out, _, _ = built
    if not shutil.which("qpdf"):
        pytest.skip("qpdf not installed")
    res = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_output_is_deterministic(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    PdfWriter().write(sample_report(tmp_path), theme, str(a))
    PdfWriter().write(sample_report(tmp_path), theme, str(b))
    assert a.read_bytes() == b.read_bytes()


def test_warnings_for_missing_glyphs_and_dangling_citations(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    # U+4E2D (CJK) is in no font of the pack; the snowman U+2603 is in the fallback (DejaVu Sans).
    doc = Report(Meta(title="W"), [Section(_t("One"), [Paragraph([Text("Han \u4e2d and snowman \u2603 here "), Cite(7)])], number="1", id="one")])
    warnings = PdfWriter().write(doc, theme, str(tmp_path / "w.pdf"))
    assert any("U+4E2D" in w for w in warnings), warnings
    assert not any("U+2603" in w for w in warnings), warnings
    assert any("[7]" in w for w in warnings), warnings
    assert "\u2603" in pypdf.PdfReader(str(tmp_path / "w.pdf")).pages[0].extract_text()


def test_minimal_report_without_cover_or_toc(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    out = tmp_path / "m.pdf"
    assert PdfWriter().write(Report(Meta(title="Minimal"), [_p("Just one paragraph.")]), theme, str(out)) == []
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) == 1
    assert "Just one paragraph." in reader.pages[0].extract_text()


def test_huge_figure_is_scaled_to_fit(theme, tmp_path):
    from PIL import Image as PILImage

    from reportgen.writers.pdf import PdfWriter

    tall = tmp_path / "tall.png"
    PILImage.new("RGB", (100, 4000), (10, 20, 30)).save(tall)
    doc = Report(Meta(title="Tall"), [Figure(str(tall), "tall", caption=_t("A very tall image"), number=1)])
    out = tmp_path / "t.pdf"
    PdfWriter().write(doc, theme, str(out))
    assert len(pypdf.PdfReader(str(out)).pages) == 1


def test_layout_error_becomes_input_error_naming_the_section(theme, tmp_path, monkeypatch):
    from reportlab.graphics.shapes import Drawing, Rect

    from reportgen.writers import pdf

    def giant(*args, **kwargs):
        d = Drawing(100, 5000)
        d.add(Rect(0, 0, 100, 5000))
        return d

    monkeypatch.setattr(pdf, "chart_drawing", giant)
    doc = Report(
        Meta(title="Err"),
        [Section(_t("Oversized Things"), [_p("Intro."), Chart("bar", "Big", ["a"], [Series("s", [1])])], number="4", id="big")],
    )
    with pytest.raises(InputError, match="Oversized Things"):
        pdf.PdfWriter().write(doc, theme, str(tmp_path / "e.pdf"))


def test_long_callout_and_quote_split_across_pages(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    text = "Sentence number {} of a long box that must continue on the next page. " * 1
    paras = [_p(text.format(i) * 6) for i in range(30)]
    doc = Report(Meta(title="Boxes"), [Callout(_t("Long"), paras, kind="takeaways"), Quote(paras[:20], attribution=_t("Someone"))])
    out = tmp_path / "boxes.pdf"
    assert PdfWriter().write(doc, theme, str(out)) == []
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) >= 3
    text_all = _norm(" ".join(p.extract_text() for p in reader.pages))
    assert "Sentence number 29 of a long box" in text_all and "— Someone" in text_all


def test_bad_internal_link_and_empty_toc_warn_instead_of_failing(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    doc = Report(Meta(title="Links"), [Toc(), Paragraph([Link("#nowhere", [Text("dangling")]), Text(" "), Link("#contents", [Text("ok")])])])
    warnings = PdfWriter().write(doc, theme, str(tmp_path / "l.pdf"))
    assert any("#nowhere" in w for w in warnings), warnings
    assert any("table of contents" in w for w in warnings), warnings
    assert "dangling" in pypdf.PdfReader(str(tmp_path / "l.pdf")).pages[0].extract_text()


def test_layout_errors_read_without_reportlab_internals():
    from reportgen.writers.pdf import _layout_detail

    raw = "Flowable <Box at 0x7f12ab34 frame=normal>...(451.3 x 900.2) too large on page 3 in frame 'normal'(451.3 x 700.0*) of template 'body'"
    assert _layout_detail(Exception(raw)) == "it needs 451 x 900 pt, a page frame holds 451 x 700 pt"
    assert "0x" not in _layout_detail(Exception("Flowable <reportlab.platypus.tables.Table at 0x7f12ab> frag=1 did not fit"))


def test_long_footer_is_cut_to_the_room_the_page_label_leaves(theme, tmp_path):
    """The footer text is fitted once "Page N of M" is known (it is drawn with it after the last page)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reportgen.writers.pdf import PdfWriter
    from reportgen.writers.pdf_styles import make_kit

    long_footer = "Prepared with reportgen for the policy analysis unit; distribution limited to named recipients " * 3
    unmarked = theme.model_copy(update={"footer": long_footer, "marking": theme.marking.model_copy(update={"default": ""})})
    meta = Meta(title="Footer", subtitle="", author="", date="2021-06-16", date_text="16 June 2021", classification="")
    out = tmp_path / "footer.pdf"
    PdfWriter().write(Report(meta, [Section(_t("Only"), [_p("Text.")], level=1, id="only")]), unmarked, str(out))
    page = pypdf.PdfReader(str(out)).pages[0].extract_text()
    shown = next(line for line in page.splitlines() if line.startswith("Prepared with"))
    assert shown.endswith("…") and "Page 1 of 1" in page and "UNCLASSIFIED" not in page
    kit = make_kit(unmarked)
    m = unmarked.page.margins
    room = kit.page_size[0] - m.left - m.right - stringWidth("Page 1 of 1", kit.heading.regular, unmarked.sizes.small - 0.5) - 18
    width = stringWidth(shown, kit.font_for(long_footer, kit.heading.regular), unmarked.sizes.small - 0.5)
    assert room - 12 < width <= room  # as long as the room allows, to within a character


def test_paragraph_with_no_room_is_a_layout_problem_not_a_crash():
    from reportlab.lib.styles import ParagraphStyle

    from reportgen.writers.pdf_para import Para

    para = Para("Too narrow to hold anything.", ParagraphStyle("s", fontName="Helvetica"))
    assert para.wrap(0, 100) == (0, 0x7FFFFFFF)  # ReportLab's "does not fit", which platypus reports
    assert para.wrap(200, 100)[1] > 0
