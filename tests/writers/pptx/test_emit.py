"""The PPTX writer end to end: a hand-built Deck in, a deck python-pptx and LibreOffice can open out."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

pptx = pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER  # noqa: E402

from reportgen.doctree import (  # noqa: E402
    Chart,
    Code,
    Deck,
    Emph,
    Figure,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Meta,
    Note,
    Paragraph,
    Series,
    Slide,
    Span,
    Strong,
    Table,
    Text,
)
from reportgen.compose.decide import decide  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx import PptxWriter, overflowing_frames  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
PACK = ROOT / "reportgen" / "packs" / "briefing"


def P(*parts) -> Paragraph:
    return Paragraph([Text(p) if isinstance(p, str) else p for p in parts])


def item(*parts, sub: ListBlock | None = None) -> ListItem:
    blocks = [P(*parts)]
    if sub is not None:
        blocks.append(sub)
    return ListItem(blocks)


def bullets(*items, ordered=False) -> ListBlock:
    return ListBlock([i if isinstance(i, ListItem) else item(i) for i in items], ordered=ordered)


LONG_WORDS = (
    "The summit produced a joint statement on strategic stability, reaffirming that a nuclear war cannot be won "
    "and must never be fought. Both leaders agreed to launch an integrated bilateral dialogue on arms control and "
    "risk reduction, to return ambassadors to their posts, and to begin expert consultations on cybersecurity, "
    "including which critical infrastructure should be off limits to attack. Analysts noted that the meeting "
    "lowered the temperature without resolving the underlying disputes, and that follow-up would decide its worth."
)
EIGHTY = " ".join(LONG_WORDS.split()[:80])
assert len(EIGHTY.split()) == 80
FOURTEEN = [f"Point {i + 1}: " + " ".join(LONG_WORDS.split()[i * 3 : i * 3 + 22]) for i in range(14)]
HUGE = " ".join([LONG_WORDS] * 8)  # one bullet taller than a slide
SPECIAL = "Tags like <b>bold</b> & arrows -> stay text; Москва, Αθήνα"

CHARTS = {
    "bar": Chart("bar", "Warheads by country", ["US", "Russia", "China"], [Series("2021", [5550, 6255, 350])], source="SIPRI Yearbook 2021"),
    "stacked-bar": Chart("stacked-bar", "Deployed vs stored", ["US", "Russia"], [Series("Deployed", [1800, 1625]), Series("Stored", [2000, 2870])], source="FAS"),
    "line": Chart("line", "Summits per decade", ["1970s", "1980s", "1990s", "2000s", "2010s"], [Series("Summits", [7, 6, 9, 8, 4]), Series("Treaties", [3, 2, 4, 1, 1])]),
    "pie": Chart("pie", "Share of stockpile", ["Russia", "US", "Others"], [Series("Share", [47.7, 42.3, 10.0])], source="SIPRI"),
}


def make_deck(figure_path: str) -> Deck:
    meta = Meta(
        title="Biden–Putin Summit",
        subtitle="Key Takeaways & Global Impact",
        author="Policy Analysis Unit",
        date="2021-06-16",
        date_text="16 June 2021",
        classification="UNCLASSIFIED",
        subject="Briefing",
        keywords=["summit", "arms control"],
        created="2021-06-16T09:00:00Z",
    )
    rows = [[[Text(f"Row {r + 1}")], [Text(f"Item {r + 1} of the agreement list")], [Text(str(1000 + r * 7))]] for r in range(30)]
    slides = [
        Slide("Title Slide", [Text("Biden–Putin Summit")], [Text("Key Takeaways & Global Impact")],
              body=[P("16 June 2021"), P("Policy Analysis Unit")], kind="title", origin="title"),
        Slide("Title and Content", [Text("Agenda")],
              body=[ListBlock([item(Link("#sec-1", [Text("Why the Summit Mattered")])), item(Link("#sec-2", [Text("Outcomes")]))], ordered=True)],
              kind="agenda", origin="sections"),
        Slide("Section Header", [Text("1  Why the Summit Mattered")], [Text("Context and stakes")], kind="section", id="sec-1", origin="sections[0]"),
        Slide("Title and Content", [Text("Key discussion points")],
              body=[bullets(
                  item("Strategic ", Strong([Text("stability")]), " talks", sub=bullets("Arms control after ", Emph([Text("New START")]), "Risk reduction")),
                  item("Cyber: the ", Code("critical-16"), " list of ", Link("https://example.org/cyber", [Text("infrastructure")])),
                  item(SPECIAL),
                  item("Line one", LineBreak(), "line two"),
              )],
              notes=[P("Speaker note paragraph."), bullets("Note bullet one", "Note bullet two")],
              kind="content", origin="sections[0].points"),
        Slide("Title and Content", [Text("Fourteen points")], body=[bullets(*FOURTEEN)], kind="content", origin="sections[1].points"),
        Slide("Title and Content", [Text("One long bullet")], body=[bullets(EIGHTY, "A short one")], kind="content", origin="sections[1].body"),
        Slide("Title and Content", [Text("A bullet taller than a slide")], body=[bullets(HUGE)], kind="content", origin="sections[1].huge"),
        Slide("Section Header", [Text("2  Outcomes")], kind="section", id="sec-2", origin="sections[1]"),
        Slide("Title Only", [Text("Agreements by area")],
              body=[Table([[Text("#")], [Text("Agreement")], [Text("Value")]], rows, caption=[Text("Table 1. Thirty rows")], align=["left", "left", "right"])],
              kind="table", origin="sections[1].table"),
        *[Slide("Title Only", [Text(f"Chart: {k}")], body=[c], kind="chart", origin=f"sections[1].chart.{k}") for k, c in CHARTS.items()],
        Slide("Title Only", [Text("The venue")], body=[Figure(figure_path, "Villa La Grange in Geneva", caption=[Text("Figure 1. Villa La Grange")])],
              kind="content", origin="sections[1].figure"),
        Slide("Title and Content", [Text("A title that goes on and on about the many outcomes and agreements of the summit in Geneva")],
              body=[bullets("Short")], kind="content", origin="long-title"),
        Slide("Two Content", [Text("Washington vs Moscow")], body=[bullets("US: stability talks", "US: cyber red lines"), bullets("Russia: non-interference", "Russia: NATO limits")],
              kind="content", origin="sections[2].compare"),
        Slide("Title and Content", [Text("Sources")], body=[bullets(*[f"Source {i}: Reuters, 16 June 2021, https://example.org/{i}" for i in range(1, 6)])],
              kind="closing", origin="sources"),
    ]
    return decide(Deck(meta, slides))  # as composing does


@pytest.fixture(scope="module")
def theme():
    return load_theme(str(PACK))


@pytest.fixture(scope="module")
def built(tmp_path_factory, theme):
    from PIL import Image

    tmp = tmp_path_factory.mktemp("deck")
    fig = tmp / "venue.png"
    Image.new("RGB", (800, 450), (31, 58, 95)).save(fig)
    deck = make_deck(str(fig))
    out = tmp / "deck.pptx"
    warnings = PptxWriter().write(deck, theme, str(out))
    return deck, out, warnings


def all_text(prs) -> str:
    chunks = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                chunks.append(shape.text_frame.text)
            if shape.has_table:
                for row in shape.table.rows:
                    chunks.extend(cell.text for cell in row.cells)
            if shape.has_chart and shape.chart.has_title:
                chunks.append(shape.chart.chart_title.text_frame.text)
    return "\n".join(chunks).replace("\x0b", "\n")


def titles(prs) -> list[str]:
    return [s.shapes.title.text_frame.text if s.shapes.title is not None else "" for s in prs.slides]


def test_interface():
    w = PptxWriter()
    assert (w.name, w.suffix, w.tree) == ("pptx", ".pptx", "deck")


def test_slides_and_layouts(built):
    deck, out, _ = built
    prs = Presentation(str(out))
    names = [s.slide_layout.name for s in prs.slides]
    assert names[:4] == ["Title Slide", "Title and Content", "Section Header", "Title and Content"]
    assert prs.slide_width == 12192000 and prs.slide_height == 6858000
    t = titles(prs)
    # every input slide appears, in order, continuation slides directly after their first
    assert len(prs.slides) > len(deck.slides)
    assert t.count("Fourteen points") == 1 and "Fourteen points (cont.)" in t
    assert t.index("Fourteen points (cont.)") == t.index("Fourteen points") + 1
    assert "A bullet taller than a slide (cont.)" in t
    assert "Agreements by area (2 of 2)" in t  # a table's continuation counts its slides (30 rows at the smallest size: 2)
    assert "One long bullet (cont.)" not in t  # 80 words fit on one slide
    for cont in [n for n in t if n.endswith("(cont.)")]:
        i = t.index(cont)
        assert prs.slides[i].slide_layout.name == prs.slides[i - 1].slide_layout.name


def test_every_string_present(built):
    deck, out, _ = built
    text = all_text(Presentation(str(out)))
    flat = " ".join(text.split())
    wanted = ["Biden–Putin Summit", "Key Takeaways & Global Impact", "16 June 2021", "Policy Analysis Unit",
              "Why the Summit Mattered", "Context and stakes", "stability", "New START", "Risk reduction",
              "critical-16", "infrastructure", SPECIAL, "Line one", "line two", EIGHTY, *FOURTEEN,
              "Row 30", "Item 17 of the agreement list", "1203", "Table 1. Thirty rows", "Source: SIPRI Yearbook 2021",
              "Figure 1. Villa La Grange", "US: cyber red lines", "Russia: NATO limits", "Source 5: Reuters, 16 June 2021, https://example.org/5"]
    for w in wanted:
        assert w in flat, w
    assert " ".join(HUGE.split()) in flat.replace(" A bullet taller than a slide (cont.) ", " ") or all(
        s in flat for s in LONG_WORDS.split(". ")
    )


def test_inline_formatting_and_links(built):
    _, out, _ = built
    prs = Presentation(str(out))
    slide = prs.slides[3]
    runs = [r for sh in slide.placeholders if sh.placeholder_format.idx == 1 for p in sh.text_frame.paragraphs for r in p.runs]
    by = {r.text: r for r in runs}
    assert by["stability"].font.bold and by["New START"].font.italic
    assert by["critical-16"].font.name == "Courier New"
    assert by["infrastructure"].hyperlink.address == "https://example.org/cyber"
    levels = [p.level for sh in slide.placeholders if sh.placeholder_format.idx == 1 for p in sh.text_frame.paragraphs]
    assert 1 in levels and 0 in levels
    # agenda items jump to their section slides
    agenda = prs.slides[1]
    targets = []
    for sh in agenda.placeholders:
        for p in sh.text_frame.paragraphs:
            for r in p.runs:
                h = r._r.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkClick")
                if h is not None:
                    assert h.get("action") == "ppaction://hlinksldjump"
                    rid = h.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                    targets.append(agenda.part.related_part(rid))
    t = titles(prs)
    assert [prs.slides.index(p.slide) for p in targets] == [t.index("1  Why the Summit Mattered"), t.index("2  Outcomes")]


def test_links_in_table_cells_and_captions_jump_to_their_slides(theme, tmp_path):
    """A link to a slide from a table cell or a caption is a slide jump from the table's slide (it crashed the writer before)."""
    table = Table([[Text("Go")]], [[[Link("#a", [Text("to a")])]]], caption=[Link("#a", [Text("caption")])])
    deck = Deck(Meta("T"), [Slide("Title and Content", [Text("A")], body=[P("x")], id="a"),
                            Slide("Title Only", [Text("T")], body=[table], kind="table")])
    out = tmp_path / "links.pptx"
    assert PptxWriter().write(deck, theme, str(out)) == []
    prs = Presentation(str(out))
    slide = prs.slides[1]
    jumps = list(slide.element.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkClick"))
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    assert len(jumps) == 2 and {slide.part.related_part(h.get(rid)) for h in jumps} == {prs.slides[0].part}
    assert {h.get("action") for h in jumps} == {"ppaction://hlinksldjump"}


def test_a_spans_runs_say_its_language_on_slides_in_tables_and_in_the_speaker_notes(theme, tmp_path):
    """Every run is marked with the deck's language but a span's, with its own (PowerPoint's spelling, a screen
    reader's voice): in titles, bullets, table cells and the speaker notes, whose prose, tables and footnotes keep
    the span's text in runs of its own."""
    ru = Span("ru", [Text("Владимир "), Strong([Text("Путин")])])
    note = Note([Span("fr", [Text("une note")])], number=1)
    table = Table([[Text("Term")], [Span("de", [Text("Begriff")])]], [[[Span("ru", [Text("мир")])], [Text("peace")]]])
    notes = [P("Say ", Span("ru", [Text("спасибо"), LineBreak(), Text("ещё раз")]), " twice."), table]
    deck = Deck(Meta("T", lang="en-GB"), [Slide("Title and Content", [Text("Meeting "), ru], body=[bullets(item("A ", note, Span("fr", [Text("mot")])))],
                                                notes=notes),
                                          Slide("Title Only", [Text("Table")], body=[table], kind="table")], notes={1: note.children})
    out = tmp_path / "spans.pptx"
    assert PptxWriter().write(deck, theme, str(out)) == []
    prs = Presentation(str(out))

    def runs(frames):
        return [run for tf in frames for p in tf.paragraphs for run in runs_of(p)]

    def runs_of(paragraph):
        return [(r.text, r._r.get_or_add_rPr().get("lang")) for r in paragraph.runs]

    first = prs.slides[0]
    shown = runs(sh.text_frame for sh in first.shapes if sh.has_text_frame)
    assert ("Meeting ", "en-GB") in shown and ("Владимир ", "ru") in shown and ("Путин", "ru") in shown and ("mot", "fr") in shown
    assert ("1", "en-GB") in shown  # the footnote's mark is no text of the span's language
    cells = runs(c.text_frame for sh in prs.slides[1].shapes if sh.has_table for row in sh.table.rows for c in row.cells)
    assert cells == [("Term", "en-GB"), ("Begriff", "de"), ("мир", "ru"), ("peace", "en-GB")]
    tf = first.notes_slide.notes_text_frame
    assert runs_of(tf.paragraphs[0]) == [("Say ", "en-GB"), ("спасибо", "ru"), ("ещё раз", "ru"), (" twice.", "en-GB")]
    assert tf.paragraphs[0]._p.xpath("./a:br")  # the span's line break stays one
    lines = [p.text for p in tf.paragraphs]
    assert lines[0] == "Say спасибо\vещё раз twice." and "Term | Begriff" in lines and "мир | peace" in lines and "1. une note" in lines
    by_line = {p.text: runs_of(p) for p in tf.paragraphs}
    assert by_line["Term | Begriff"] == [("Term | ", "en-GB"), ("Begriff", "de")] and by_line["1. une note"] == [("1. ", "en-GB"), ("une note", "fr")]


def test_two_content_uses_both_columns(built):
    _, out, _ = built
    prs = Presentation(str(out))
    slide = prs.slides[titles(prs).index("Washington vs Moscow")]
    assert slide.slide_layout.name == "Two Content"
    texts = {ph.placeholder_format.idx: ph.text_frame.text for ph in slide.placeholders if ph.placeholder_format.idx in (1, 2)}
    assert "US: stability talks" in texts[1] and "Russia: non-interference" in texts[2]


def test_notes(built):
    _, out, _ = built
    prs = Presentation(str(out))
    notes = prs.slides[3].notes_slide.notes_text_frame.text
    assert "Speaker note paragraph." in notes and "• Note bullet one" in notes
    t = titles(prs)
    assert not prs.slides[t.index("Fourteen points (cont.)")].has_notes_slide


def test_charts_are_native(built):
    _, out, _ = built
    prs = Presentation(str(out))
    t = titles(prs)
    from pptx.enum.chart import XL_CHART_TYPE

    expect = {"bar": XL_CHART_TYPE.COLUMN_CLUSTERED, "stacked-bar": XL_CHART_TYPE.COLUMN_STACKED,
              "line": XL_CHART_TYPE.LINE_MARKERS, "pie": XL_CHART_TYPE.PIE}
    for kind, c in CHARTS.items():
        slide = prs.slides[t.index(f"Chart: {kind}")]
        frames = [s for s in slide.shapes if s.has_chart]
        assert len(frames) == 1 and frames[0].shape_type == MSO_SHAPE_TYPE.CHART
        ch = frames[0].chart
        assert ch.chart_type == expect[kind]
        assert list(ch.plots[0].categories) == c.categories
        assert [list(s.values) for s in ch.plots[0].series] == [[float(v) for v in s.values] for s in c.series]
        assert ch.chart_title.text_frame.text == c.title
        first = ch.plots[0].series[0]
        if kind == "line":
            assert str(first.format.line.color.rgb) == "1F3A5F"
            assert str(ch.plots[0].series[1].format.line.color.rgb) == "B5342B"
        elif kind == "pie":
            assert [str(p.format.fill.fore_color.rgb) for p in first.points] == ["1F3A5F", "B5342B", "6C8EBF"]
        else:
            assert str(first.format.fill.fore_color.rgb) == "1F3A5F"


def test_table_native_and_split(built):
    _, out, _ = built
    prs = Presentation(str(out))
    t = titles(prs)
    first = t.index("Agreements by area")
    more = [i for i, n in enumerate(t) if n.startswith("Agreements by area (")]
    assert more and more[0] == first + 1 and [t[i] for i in more] == [f"Agreements by area ({k} of {len(more) + 1})" for k in range(2, len(more) + 2)]
    seen = []
    for slide in [prs.slides[i] for i in (first, *more)]:
        tables = [s for s in slide.shapes if s.has_table]
        assert len(tables) == 1 and tables[0].shape_type == MSO_SHAPE_TYPE.TABLE
        tb = tables[0].table
        assert [c.text for c in tb.rows[0].cells] == ["#", "Agreement", "Value"]  # header repeated
        assert tb.cell(0, 0).fill.fore_color.rgb == pptx.dml.color.RGBColor.from_string("1F3A5F")
        assert tb.cell(0, 0).text_frame.paragraphs[0].runs[0].font.bold
        seen += [tb.cell(r, 0).text for r in range(1, len(tb.rows))]
        bottom = tables[0].top + sum(r.height for r in tb.rows)
        assert bottom < 6.84 * 914400  # above the footer rule
    assert seen == [f"Row {i}" for i in range(1, 31)]


def test_figure_alt_text(built):
    _, out, _ = built
    prs = Presentation(str(out))
    slide = prs.slides[titles(prs).index("The venue")]
    pics = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pics) == 1
    assert pics[0]._element.nvPicPr.cNvPr.get("descr") == "Villa La Grange in Geneva"
    assert abs(pics[0].width / pics[0].height - 800 / 450) < 0.01


def test_nothing_overflows(built, theme):
    _, out, _ = built
    assert overflowing_frames(str(out), theme) == []


def test_overflow_check_can_fail(tmp_path, theme):
    """The checker flags a frame that really is too full."""
    prs = Presentation(theme.path(theme.deck.master))
    slide = prs.slides.add_slide(prs.slide_layouts.get_by_name("Title and Content"))
    slide.shapes.title.text_frame.text = "Too much"
    body = slide.placeholders[1].text_frame
    body.text = HUGE
    path = tmp_path / "over.pptx"
    prs.save(str(path))
    assert overflowing_frames(str(path), theme)


def test_warnings_name_slide_and_origin(built):
    _, _, warnings = built
    text = "\n".join(f"{w.path}: {w.message}" for w in warnings)
    assert "sections[1].points: slide 5 'Fourteen points'" in text and "split" in text
    assert "sections[1].table: slide" in text
    assert "long-title: slide" in text and "': title shrunk" in text
    assert all(w.severity == "warning" and w.code for w in warnings)


def test_footers(built):
    _, out, _ = built
    prs = Presentation(str(out))
    for n, slide in enumerate(prs.slides, 1):
        types = {ph.placeholder_format.type for ph in slide.placeholders}
        if n == 1:
            assert PP_PLACEHOLDER.FOOTER not in types and PP_PLACEHOLDER.SLIDE_NUMBER not in types
            continue
        assert PP_PLACEHOLDER.FOOTER in types and PP_PLACEHOLDER.SLIDE_NUMBER in types
        ftr = [ph for ph in slide.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.FOOTER][0]
        assert ftr.text_frame.text == "UNCLASSIFIED · Prepared with reportgen"
        num = [ph for ph in slide.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER][0]
        assert num.text_frame.text == str(n)


def test_core_properties_and_theme(built):
    _, out, _ = built
    prs = Presentation(str(out))
    cp = prs.core_properties
    assert cp.title == "Biden–Putin Summit" and cp.author == "Policy Analysis Unit"
    assert cp.keywords == "summit, arms control" and cp.last_modified_by == "reportgen" and cp.revision == 1
    assert cp.created.year == 2021
    from reportgen.writers.pptx.theme_part import theme_part

    xml = theme_part(prs).blob.decode()
    assert '<a:dk2><a:srgbClr val="1F3A5F"/>' in xml and '<a:accent2><a:srgbClr val="B5342B"/>' in xml
    assert '<a:lt2><a:srgbClr val="EDF1F6"/>' in xml
    assert '<a:majorFont><a:latin typeface="Arial"/>' in xml and '<a:minorFont><a:latin typeface="Arial"/>' in xml


def test_fitted_frames_have_autofit_off(built):
    _, out, _ = built
    prs = Presentation(str(out))
    from pptx.enum.text import MSO_AUTO_SIZE

    slide = prs.slides[titles(prs).index("Fourteen points")]
    assert slide.placeholders[1].text_frame.auto_size == MSO_AUTO_SIZE.NONE


def test_same_input_same_bytes(built, theme, tmp_path):
    deck, out, _ = built
    again = tmp_path / "again.pptx"
    PptxWriter().write(deck, theme, str(again))
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(again.read_bytes()).digest()


def test_default_master_is_16_9(theme, tmp_path):
    plain_theme = theme.model_copy(update={"deck": theme.deck.model_copy(update={"master": ""})})
    deck = Deck(Meta("T"), [Slide("Title and Content", [Text("Hello")], body=[bullets("one", "two")])])
    PptxWriter().write(deck, plain_theme, str(tmp_path / "d.pptx"))
    prs = Presentation(str(tmp_path / "d.pptx"))
    assert prs.slide_width == 12192000
    assert prs.slides[0].placeholders[1].width > 10 * 914400


FORMATTED = [
    Chart("bar", "Shares", ["North", "South", "East"], [Series("2022", [0.047, 0, 0.31]), Series("2023", [0.052, 0.125, 0])], format="0.0%"),
    Chart("stacked-bar", "Spending", ["Q1", "Q2"], [Series("Staff", [800, 0]), Series("Kit", [300, 950])], format='€#,##0"k"', unit="thousand euros"),
    Chart("pie", "Time", ["Arms", "Trade", "Climate"], [Series("Hours", [12.5, 7.25, 0])], format='0.0" h"'),
    Chart("line", "Plain", ["a", "b", "c"], [Series("s", [3, 0, 5.5])]),
]


@pytest.fixture(scope="module")
def formatted(tmp_path_factory, theme):
    """A deck of charts with number formats and zero values: its path."""
    meta = Meta(title="Formats", date="2021-06-16", date_text="16 June 2021", classification="UNCLASSIFIED")
    slides = [Slide("Title Only", [Text(f"Chart {i}")], body=[c], kind="chart") for i, c in enumerate(FORMATTED)]
    out = tmp_path_factory.mktemp("formats") / "formats.pptx"
    PptxWriter().write(decide(Deck(meta, slides)), theme, str(out))
    return out


def _chart_of(slide):
    (frame,) = [s for s in slide.shapes if s.has_chart]
    return frame.chart


def _deleted_labels(chart) -> set[tuple[int, int]]:
    """(series, point) of every data label deleted in ``chart``'s XML."""
    from pptx.oxml.ns import qn

    out = set()
    for i, ser in enumerate(chart.element.iter(qn("c:ser"))):
        for d in ser.findall(f"{qn('c:dLbls')}/{qn('c:dLbl')}"):
            if d.find(qn("c:delete")) is not None and d.find(qn("c:delete")).get("val") == "1":
                out.add((i, int(d.find(qn("c:idx")).get("val"))))
    return out


@pytest.mark.parametrize(("n", "fmt"), [(0, "0.0%"), (1, '€#,##0"k"'), (3, "#,##0.0#")])
def test_chart_number_format_is_the_native_charts(formatted, n, fmt):
    """The format is the labels', the value axis' and the data's own number format, not linked to the source."""
    from pptx.oxml.ns import qn

    chart = _chart_of(Presentation(str(formatted)).slides[n])
    labels = chart.plots[0].data_labels
    assert (labels.number_format, labels.number_format_is_linked) == (fmt, False)
    axis = chart.value_axis.tick_labels
    assert (axis.number_format, axis.number_format_is_linked) == (fmt, False)
    assert {e.text for e in chart.element.iter(qn("c:formatCode"))} == {fmt}  # the values' cache, as the workbook holds them


def test_zero_values_have_no_data_label(formatted):
    from pptx.oxml.ns import qn

    slides = Presentation(str(formatted)).slides
    want = {0: {(0, 1), (1, 2)}, 1: {(0, 1)}, 2: {(0, 2)}, 3: {(0, 1)}}
    for n, deleted in want.items():
        chart = _chart_of(slides[n])
        assert _deleted_labels(chart) == deleted, n
        for ser in chart.element.iter(qn("c:ser")):  # a series' own labels keep the plot's: format, font, what is shown
            own = ser.find(qn("c:dLbls"))
            if own is None:  # no zero in it: the plot's labels
                continue
            plot = ser.getparent().find(qn("c:dLbls"))
            assert [e.tag for e in own if e.tag != qn("c:dLbl")] == [e.tag for e in plot]
            assert own.find(qn("c:numFmt")).get("formatCode") == plot.find(qn("c:numFmt")).get("formatCode")
            assert own.find(qn("c:showVal")).get("val") == "1"  # the values (a pie's too: it has a format)


def test_planned_labels_are_the_pdfs(theme):
    """The deck's planned labels are written by the same function as the PDF's."""
    from reportgen.writers.pptx.plan_visuals import chart_format, chart_labels

    assert chart_labels(FORMATTED[0], chart_format(FORMATTED[0])) == [["4.7%", "", "31.0%"], ["5.2%", "12.5%", ""]]
    assert chart_labels(FORMATTED[1], chart_format(FORMATTED[1])) == [["€800k", ""], ["€300k", "€950k"]]
    assert chart_labels(FORMATTED[2], chart_format(FORMATTED[2])) == [["12.5 h", "7.3 h", ""]]  # a pie's values in its format, as the PDF's legend
    assert chart_labels(FORMATTED[3], chart_format(FORMATTED[3])) == [["3.0", "", "5.5"]]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_draws_the_format_and_no_zero_label(formatted, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(formatted)], check=True, capture_output=True, timeout=240)
    pages = [p.extract_text().split("\n") for p in pypdf.PdfReader(str(tmp_path / "formats.pdf")).pages]
    shares, spending = pages[0], pages[1]
    assert {"4.7%", "5.2%", "12.5%", "31.0%"} <= set(shares)
    assert shares.count("0.0%") == 1  # the axis' zero: no label on the zero bars
    assert {"€800k", "€300k", "€950k"} <= set(spending) and spending.count("€0k") == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_converts(built, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    _, out, _ = built
    prs = Presentation(str(out))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "deck.pdf"
    assert pdf.exists(), "LibreOffice did not convert the deck"
    assert len(pypdf.PdfReader(str(pdf)).pages) == len(prs.slides)

@pytest.mark.parametrize(("pack", "accent", "text"), [("briefing", "B5342B", "1A1A1A"), ("memo", "00897B", "212121")])
def test_key_figures_are_bold_in_the_packs_accent(tmp_path, pack, accent, text):
    """On the pack's own master a key figure's value is in the pack's accent colour, bold, legible on the background
    (4.5:1: briefing's red is; memo's teal, 4.3:1 on white, is darkened toward the text just enough); its label in the text colour."""
    from reportgen.doctree import KeyFigures
    from reportgen.writers.pptx.theme_part import contrast

    figures = KeyFigures([("1,550", [Text("deployed strategic warheads")]), ("700", [Text("deployed launchers")])])
    deck = Deck(Meta("K"), [Slide("Title and Content", [Text("In numbers")], body=[figures], kind="content")])
    out = tmp_path / "k.pptx"
    PptxWriter().write(decide(deck), load_theme(str(ROOT / "reportgen" / "packs" / pack)), str(out))
    slide = Presentation(str(out)).slides[0]
    boxes = {sh.text_frame.text: sh for sh in slide.shapes if sh.has_text_frame and not sh.is_placeholder}
    for value, label in (("1,550", "deployed strategic warheads"), ("700", "deployed launchers")):
        (v,) = boxes[value].text_frame.paragraphs[0].runs
        colour = str(v.font.color.rgb)
        assert v.font.bold and contrast(colour, "FFFFFF") >= 4.5
        assert colour == accent if contrast(accent, "FFFFFF") >= 4.5 else contrast(colour, "FFFFFF") < 4.7 and colour[2:4] > colour[:2]
        for r in boxes[label].text_frame.paragraphs[0].runs:
            assert str(r.font.color.rgb) == text and not r.font.bold
