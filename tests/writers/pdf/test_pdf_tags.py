"""Tagging (``writers/pdf/tags.py``): the structure tree of small documents against reviewed references, and the tagger's parts.

Each ``tags/NAME.txt`` is the structure tree of one document as
``pdfcheck.dump`` writes it (type, attributes, pages, the text of each
element in reading order), read and reviewed by a person, as Typst's
``tests/ref/pdftags``: any change to the tree fails here. After an intended
change, rerun with ``REPORTGEN_UPDATE_GOLDEN=1`` and review the diff of the
reference files before committing them.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

pikepdf = pytest.importorskip("pikepdf")
pytest.importorskip("reportlab")

from reportlab.graphics.shapes import Drawing, Rect  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Paragraph as RLParagraph  # noqa: E402

from reportgen.build import Options, build  # noqa: E402
from reportgen.doctree import Link, Meta, Note, Paragraph, Report, Section, Span, Table, Text  # noqa: E402
from reportgen.pdfcheck import check  # noqa: E402
from reportgen.pdfcheck.dump import _texts, dump  # noqa: E402
from reportgen.writers.pdf import PdfWriter  # noqa: E402
from reportgen.writers.pdf.tags import Tagger, Tree, point  # noqa: E402

from conftest import TEMPLATES  # noqa: E402
from pdf_sample import inlines, par, sample_report  # noqa: E402
from pdf_sample import theme  # noqa: E402,F401  (fixture)

HERE = Path(__file__).parent / "tags"
STYLE = ParagraphStyle("probe", fontName="Helvetica", fontSize=10, leading=12)


def compare(name: str, text: str) -> None:
    """Compare ``text`` with the reviewed reference ``tags/NAME.txt`` (rewritten under REPORTGEN_UPDATE_GOLDEN=1)."""
    ref = HERE / f"{name}.txt"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN") == "1":
        ref.write_text(text, encoding="utf-8")
    assert ref.exists(), f"no reference {ref}: write it with REPORTGEN_UPDATE_GOLDEN=1, then review it"
    expected = ref.read_text(encoding="utf-8")
    if text != expected:
        import difflib

        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(ref), "now"))[:60])
        pytest.fail(f"the structure tree of {name} changed (review, then REPORTGEN_UPDATE_GOLDEN=1):\n{diff}")


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> dict[str, bytes]:
    """The reference outlines under ``tags/``, built once (PDF only, ua-1)."""
    out = tmp_path_factory.mktemp("tags")
    old = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        build([str(HERE / f"{name}.yaml") for name in REFERENCES], Options(out_dir=str(out), templates_dir=TEMPLATES, formats=("pdf",), jobs=1))
    finally:
        if old is not None:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return {name: (out / f"{name}.pdf").read_bytes() for name in REFERENCES}


REFERENCES = ("report", "visuals", "languages")


@pytest.mark.parametrize("name", REFERENCES)
def test_the_structure_tree_is_the_reviewed_one(references, name):
    assert check(references[name]) == []
    compare(name, dump(references[name]))


def test_the_sample_reports_tree_is_the_reviewed_one(theme, tmp_path):
    """The PDF writer tests' sample: H1-H3, nested lists, callouts, a quote, four charts, a figure, a long table."""
    out = tmp_path / "sample.pdf"
    assert PdfWriter().write(sample_report(tmp_path), theme, str(out)) == []
    assert check(out.read_bytes()) == []
    compare("sample", dump(out.read_bytes()))


def test_the_reference_documents_show_what_they_are_for(references):
    """The references hold what they were written to show (so a reference rewritten carelessly cannot lose it)."""
    report, visuals = dump(references["report"]), dump(references["visuals"])
    assert "  H1 p2: \"Contents\"\n  TOC\n    TOCI\n      P p2: \"[Link] … 3\"\n        Link p2: \"Executive summary\"" in report
    assert 'Note ID="fn-1"' in report and "[Note]" in report  # the note stands at its mark, inside its paragraph
    assert "TH Scope=Column p4: \"Measure\"" in report and "TD p5: \"Measure 20\"" in report  # one header row, the table on two pages
    assert report.count("TH Scope=Column") == 3  # the header repeated on page 5 is an artifact, not a second header
    assert "BlockQuote" in report and "L ListNumbering=Decimal" in report and "Lbl p3: \"1.\"" in report
    assert 'Figure Alt="Bar chart: Warheads by country (warheads). 2021: Russia 6,255; United States 5,550. 2023: Russia 5,889; United States 5,244."' in visuals
    assert 'Figure Alt="Pie chart: Agenda time. Arms control 50%; Cyber 30%; Other 20%."' in visuals
    assert 'Figure Alt="A red disc in a blue frame"' in visuals
    assert visuals.count("TH Scope=Column p5") == 9  # the landscape page's table


# --- the tagger's parts ---------------------------------------------------------------------------


def test_a_tagged_flowable_stays_what_it_was_and_its_parts_keep_its_node():
    tree = Tree()
    node = tree.add("P", tree.root)
    para = tree.tag(RLParagraph("word " * 200, STYLE), node)
    assert isinstance(para, RLParagraph) and type(para).__name__ == "TaggedParagraph"
    para.wrap(200, 1000)
    parts = para.split(200, 100)
    assert len(parts) == 2 and all(p.rg_node is node for p in parts)
    drawing = tree.tag(Drawing(10, 10), tree.add("Figure", tree.root, alt="x"))  # a Drawing refuses unknown attributes
    assert isinstance(drawing, Drawing) and drawing.rg_node.role == "Figure"
    assert type(tree.tag(RLParagraph("x", STYLE), node)) is type(para)  # one subclass per class


def test_nodes_must_end_where_they_began():
    from reportlab.pdfgen.canvas import Canvas

    tree = Tree()
    tagger = Tagger(tree)
    canv = Canvas(io.BytesIO())
    outer, inner = tree.add("Div", tree.root), tree.add("P", tree.root)
    tagger.begin(canv, outer)
    tagger.begin(canv, inner)
    with pytest.raises(AssertionError, match="ending Div"):
        tagger.end(canv, outer)
    assert point("b", inner) == f"/RGb <</N {inner.id}>> DP"


def written(doc: Report, theme, out: Path) -> bytes:
    """Return the bytes of ``doc`` written tagged (PDF/UA-1) to ``out``, with no warning, its structure checked clean."""
    assert PdfWriter().write(doc, theme, str(out)) == []
    data = out.read_bytes()
    assert check(data) == []
    return data


def struct(data: bytes) -> list[tuple[str, list[int]]]:
    """Every element of the tree, depth first: (type, the pages its own content is on)."""
    out = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

        def walk(e):
            kids = e.get("/K")
            kids = [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            own = []
            for k in kids:
                if isinstance(k, int):
                    own.append(pages[e.Pg.objgen])
                elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.MCR:
                    own.append(pages[k.Pg.objgen])
            out.append((str(e.S)[1:], sorted(set(own))))
            for k in kids:
                if isinstance(k, pikepdf.Dictionary) and "/S" in k:
                    walk(k)

        walk(pdf.Root.StructTreeRoot.K)
    return out


def test_a_link_that_runs_over_a_page_break_is_one_link_on_both_pages(theme, tmp_path):
    words = " ".join(f"word{i}" for i in range(900))
    doc = Report(Meta(title="Long link"), [Section(inlines("One"), [Paragraph([Text("Before "), Link("https://example.org/long", [Text(words)]), Text(" after.")])],
                                                   number="1", id="one")])
    data = written(doc, theme, tmp_path / "l.pdf")
    links = [pages for role, pages in struct(data) if role == "Link"]
    assert links == [[0, 1]]  # one Link, its text on both pages
    with pikepdf.open(io.BytesIO(data)) as pdf:
        annots = [len(p.obj.get("/Annots", [])) for p in pdf.pages]
    assert annots[0] > 1 and annots[1] > 1  # an annotation per line, each held by the Link (``check`` found none outside it)


def test_a_paragraph_that_is_one_link_alone_is_all_that_links_text(theme, tmp_path):
    """ReportLab draws a paragraph of one fragment without saying where its link starts (``compat.one_fragment_links``):
    the whole of it is the link's, on each page a long one runs over."""
    words = " ".join(f"word{i}" for i in range(900))
    doc = Report(Meta(title="Links alone"), [Section(inlines("One"), [Paragraph([Link("https://example.org/only", [Text("Only a link")])]),
                                                                     Paragraph([Link("https://example.org/long", [Text(words)])])],
                                                     number="1", id="one")])
    data = written(doc, theme, tmp_path / "a.pdf")
    text = dump(data)
    assert '  P\n    Link p1: "Only a link"\n      -> https://example.org/only p1\n  P\n    Link p1,2: "word0 word1' in text
    assert [pages for role, pages in struct(data) if role in ("P", "Link")][-4:] == [[], [0], [], [0, 1]]  # each P holds nothing but its Link


def test_a_link_ends_before_the_footnote_mark_or_the_span_end_that_follows_it(theme, tmp_path):
    """ReportLab says a link stopped only at the next piece of text; a point drawn between them (a span's end) comes
    after the link's end, not inside it; so does a footnote's mark (after its number, text)."""
    doc = Report(Meta(title="Notes"), [Section(inlines("One"), [Paragraph([Text("See "), Link("https://example.org/a", [Text("the guide")]),
                                                                           Note([Text("Its source.")], number=1), Text(" and "),
                                                                           Span("fr", [Text("la "), Link("https://example.org/b", [Text("fin")])]),
                                                                           Text(".")])],
                                               number="1", id="one")], notes={1: [Text("Its source.")]})
    data = written(doc, theme, tmp_path / "n.pdf")
    text = dump(data)
    assert '  P p1: "See [Link]1[Note] and[Span]."\n    Link p1: "the guide"' in text
    assert '    Span Lang=fr p1: "la [Link]"\n      Link p1: "fin"' in text


def test_lifted_links_are_numbered_as_reportlabs_parser_numbers_them():
    """``lift_links`` takes out the points of a link holding only text and names, for each link ReportLab numbers
    (``<a href>``, ``<link>``; not an anchor ``<a name>``), the serial whose points it took, the others None."""
    from reportgen.writers.pdf.tags import lift_links

    def b(n):
        return f'<onDraw name="rg_tag" label="b{n}"/>'

    def e(n):
        return f'<onDraw name="rg_tag" label="e{n}"/>'

    markup = (f'x <a name="top"/>{b(3)}<a href="https://h.org/?name=1" color="rgb(0,0,0)">t <b>x</b></a>{e(3)} y <a href="#z">plain</a> '
              f'<link href="#w">w</link> {b(4)}<a href="#k">{b(5)}s{e(5)}</a>{e(4)}{b(6)}<a href="#u">last</a>{e(6)}')
    lifted, links = lift_links(markup)
    assert links == (3, None, None, None, 6)
    assert lifted == (f'x <a name="top"/><a href="https://h.org/?name=1" color="rgb(0,0,0)">t <b>x</b></a> y <a href="#z">plain</a> '
                      f'<link href="#w">w</link> {b(4)}<a href="#k">{b(5)}s{e(5)}</a>{e(4)}<a href="#u">last</a>')
    numbered = {link for frag in RLParagraph(lifted, STYLE).frags for link in getattr(frag, "link", None) or ()}
    assert sorted(numbered) == [(0, "https://h.org/?name=1"), (1, "#z"), (2, "#w"), (3, "#k"), (4, "#u")]
    assert lift_links("no link here") == ("no link here", ())


def test_the_languages_reference_shows_each_passage_in_another_language_as_a_span(references):
    """ISO 14289-1 7.2: a screen reader must know each text's language. A span [text]{lang=ru} is a Span with /Lang
    wherever it stands: a heading, a point, a body (wrapping onto the next line), a note, a table cell, around a link
    and inside one; French text prints « », a span its own language's marks."""
    text = dump(references["languages"])
    assert text.startswith("Lang=fr\n")
    assert '  H1 p3: "1 Les mots de[Span]"\n    Span Lang=ru p3: "Владимир Путин"' in text
    assert '    Span Lang=ru p3: "«конструктивного» диалога"\n            Span Lang=en p3: "“mutual trust”"' in text
    assert 'Span Lang=ru p3: "Мы договорились о «стратегической стабильности»…"' in text
    assert 'Note ID="fn-1" p3: "1Voir aussi[Span] et le communiqué."\n      Span Lang=en p3: "l’entretien en anglais"' in text
    assert 'Span Lang=en p3: "«Stability» in [Link]"\n      Link p3: "the White House text"' in text  # a link in a span (the space before it the span's own)
    assert 'Link p3: "[Span]"\n      Span Lang=ru p3: "le texte russe"' in text  # a span in a link
    assert "        TD\n          Span Lang=ru p3: \"стратегическая стабильность\"" in text  # a cell that is a span
    assert "ne disent pas « tout à fait » la même chose" in text.replace("\u00a0", " ")
    with pikepdf.open(io.BytesIO(references["languages"])) as pdf:  # the Russian passage wraps onto the next line: one Span holds it all
        texts = _texts(pdf)
        russian = [e for e in _elements(pdf.Root.StructTreeRoot.K) if str(e.get("/Lang", "")) == "ru"]
        own = ["".join(texts.get((2, int(k)), "") for k in (e.K if isinstance(e.K, pikepdf.Array) else [e.K]) if isinstance(k, int)) for e in russian]
    assert [t.strip() for t in own if "Мы договорились" in t] == ["Мы договорились о «стратегической стабильности» и о консультациях экспертов по "
                                                           "кибербезопасности в ближайшие месяцы"]


def _elements(e):
    """``e`` and every structure element under it, depth first."""
    yield e
    kids = e.get("/K")
    for k in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(k, pikepdf.Dictionary) and "/S" in k:
            yield from _elements(k)


def test_a_span_that_runs_over_a_page_break_is_one_span_on_both_pages_and_so_is_a_link_in_it(theme, tmp_path):
    words = " ".join(f"слово{i}" for i in range(700))
    span = Span("ru", [Text(words + " "), Link("https://example.org/ru", [Text(" ".join(f"ссылка{i}" for i in range(300)))]), Text(" конец")])
    doc = Report(Meta(title="Long span"), [Section(inlines("One"), [Paragraph([Text("Before "), span, Text(" after.")])], number="1", id="one")])
    data = written(doc, theme, tmp_path / "s.pdf")
    tree = struct(data)
    assert [pages for role, pages in tree if role in ("Span", "Link")] == [[0, 1, 2], [1, 2]]  # one Span over three pages, its link over two
    assert [role for role, _p in tree][-3:] == ["P", "Span", "Link"]  # P > Span > Link: the link stays inside the span
    text = dump(data)
    assert '  P p1,3: "Before[Span] after."\n    Span Lang=ru p1,2,3: "слово0' in text and '"\n      Link p2,3: "ссылка' in text


def test_a_span_whose_text_is_all_a_link_stands_where_it_starts(theme, tmp_path):
    """A span holding only a link draws nothing of its own: it stands in its paragraph where the link does (before
    the text after it), and holds the link."""
    doc = Report(Meta(title="S"), [Paragraph([Span("ru", [Link("https://example.org/p", [Text("Путин")])]), Text(" said so.")])])
    data = written(doc, theme, tmp_path / "s.pdf")
    assert '  P p1: "[Span] said so."\n    Span Lang=ru\n      Link p1: "Путин"\n        -> https://example.org/p p1' in dump(data)


def test_spans_add_nothing_to_an_untagged_pdf(theme, tmp_path):
    """An untagged file (``--pdf-standard none``) is the bytes ReportLab writes: a span there is its text, nothing more."""

    def doc(spans: bool) -> Report:
        def wrap(lang, nodes):
            return [Span(lang, nodes)] if spans else nodes

        body = [Text("Before "), *wrap("ru", [Text("Путин " * 40), Link("https://example.org", [Text("ссылка")])]), Text(" and "),
                *wrap("fr", [Text("la fin")])]
        return Report(Meta(title="U"), [Section([Text("One "), *wrap("ru", [Text("Путин")])], [Paragraph(body), Table([wrap("ru", [Text("а")]), [Text("b")]], [[[Text("1")], wrap("fr", [Text("deux")])]])],
                                                number="1", id="one")])

    made = []
    for spans in (True, False):
        writer = PdfWriter()
        writer.standard = "none"
        assert writer.write(doc(spans), theme, str(tmp_path / f"{spans}.pdf")) == []
        made.append((tmp_path / f"{spans}.pdf").read_bytes())
    assert made[0] == made[1]


def test_a_footnote_is_a_note_inside_the_paragraph_of_its_mark(theme, tmp_path):
    doc = Report(Meta(title="Notes"), [Section(inlines("One"), [Paragraph([Text("A claim"), Note([Text("Its source.")], number=1), Text(" and more text.")])],
                                               number="1", id="one")], notes={1: [Text("Its source.")]})
    data = written(doc, theme, tmp_path / "n.pdf")
    text = dump(data)
    assert '  P p1: "A claim1[Note] and more text."\n    Note ID="fn-1" p1: "1 Its source."' in text


def test_a_repeated_table_header_is_an_artifact(theme, tmp_path):
    rows = [[inlines(f"Row {i}"), inlines(str(i))] for i in range(90)]
    doc = Report(Meta(title="T"), [Table([inlines("Name"), inlines("Value")], rows, caption=inlines("Long"), number=1)])
    data = written(doc, theme, tmp_path / "t.pdf")
    tree = struct(data)
    assert [pages for role, pages in tree if role == "TH"] == [[0], [0]]
    assert sum(1 for role, _p in tree if role == "TD") == 180 and sum(1 for role, _p in tree if role == "TR") == 91
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
        second = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(pdf.pages[1])).decode("latin-1")
    header = second.index("(Name)")
    assert second.rfind("/Artifact << /Type /Pagination >> BDC", 0, header) > second.rfind("/MCID", 0, header)  # page 2's "Name" is furniture


def test_a_link_in_a_repeated_table_header_is_one_link_and_one_annotation(theme, tmp_path):
    """A header row repeated on the next page is page furniture: its links' text is drawn there, but no annotation,
    which would stand outside the structure tree (ISO 14289-1 7.18.1: reportgen's checker and the validator said so)."""
    page = pytest.importorskip("page")
    rows = [[inlines(f"Row {i}"), inlines(str(i))] for i in range(90)]
    head = [[Text("Name "), Link("https://example.org/h", [Text("see")])], [Link("https://example.org/v", [Text("Value")])]]
    doc = Report(Meta(title="T"), [Section(inlines("One"), [Table(head, rows, caption=inlines("Long"), number=1)], number="1", id="one")])
    data = written(doc, theme, tmp_path / "h.pdf")
    assert [pages for role, pages in struct(data) if role == "Link"] == [[0], [0]]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        annots = [[str(a.A.URI) for a in p.obj.get("/Annots", []) if "/A" in a] for p in pdf.pages]
        assert len(annots) >= 3 and "(see)" in pikepdf.unparse_content_stream(pikepdf.parse_content_stream(pdf.pages[1])).decode("latin-1")
    assert annots[0] == ["https://example.org/h", "https://example.org/v"] and not any(annots[1:])  # the text repeated, not the links
    report = page.validate_pdf(str(tmp_path / "h.pdf"), profile="ua1")
    assert report.rules.failed == 0


def test_an_untagged_document_has_no_structure_and_no_marks(theme, tmp_path):
    writer = PdfWriter()
    writer.standard = "none"
    out = tmp_path / "u.pdf"
    assert writer.write(sample_report(tmp_path), theme, str(out)) == []
    data = out.read_bytes()
    assert b"/RGb" not in data and b"rg_tag" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
    assert any("neither an artifact nor tagged" in str(f) for f in check(data))


def test_content_drawn_by_no_node_is_a_warning_not_a_silent_artifact(theme, tmp_path, monkeypatch):
    from reportgen.writers import pdf

    def bare(*args, **kwargs):  # a chart drawing that escapes tagging: drawn on the canvas by a flowable nobody tagged
        d = Drawing(100, 50)
        d.add(Rect(0, 0, 100, 50))
        return d

    monkeypatch.setattr(pdf.story_blocks.Blocks, "tagged", lambda self, flowable, role, **kw: flowable if role == "Figure" else self.tag(flowable, self.node(role, **kw)))
    monkeypatch.setattr(pdf, "chart_drawing", bare)
    from reportgen.doctree import Chart, Series

    doc = Report(Meta(title="U"), [par("Text."), Chart("bar", "C", ["a"], [Series("s", [1])])])
    warnings = PdfWriter().write(doc, theme, str(tmp_path / "w.pdf"))
    assert [w.code for w in warnings] == ["pdf-untagged"]
    assert "page 1: 1 painting operators (B*)" in warnings[0].message
    found = [str(f) for f in check((tmp_path / "w.pdf").read_bytes())]
    assert not [f for f in found if "neither an artifact nor tagged" in f]  # drawn as an artifact: valid, but nobody hears it
    assert found == ["UA 7.21.4.1 [MH 31] page 1: font Helvetica is not embedded (a standard 14 font)"]  # (a bare Drawing's default font)


_PIECES = ["x", "word", " ", "  ", "\n", "\u00a0", "\t", "<br/>", "<b>", "</b>", "<i>", "</i>", '<font name="A B" color="#123">', "</font>",
           '<a href="#x" color="#1">', "</a>", "<super>", "</super>", "&lt;", "&gt;", '<onDraw name="rg_note" label="3"/>', '<span lang="ru">',
           "</span>", '<onDraw name="rg_tag" label="b1"/>', '<onDraw name="rg_tag" label="e1"/>', '<onDraw name="rg_tag" label="b12"/>',
           '<onDraw name="rg_tag" label="e12"/>', "<bullet>\u2022</bullet>"]


def _settled_by_regex(markup: str) -> str:
    """The points moved before the white space ahead of them as a forward regex finds it (the reference)."""
    import re

    from reportgen.writers.pdf.tags import _TAGS

    gap = re.compile(rf'((?:\s|<br/>|{_TAGS})+)(<onDraw name="rg_tag" label="[be]\d+"/>)')

    def before_gap(m):
        if m.start() == 0 or not re.search(r"\s|<br/>", m.group(1)):
            return m.group(0)
        return m.group(2) + m.group(1)

    return gap.sub(before_gap, markup)


def test_points_move_before_white_space_as_a_forward_regex_moves_them():
    """``settle_points`` reads the gap before each point backwards; on any markup it moves what the regex moved."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from reportgen.writers.pdf.tags import settle_points

    @settings(max_examples=3000, deadline=None, database=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=16))
    def check(pieces):
        markup = "y" + "".join(pieces)  # (text first: no leading points, which settle_points takes off separately)
        assert settle_points(markup) == (_settled_by_regex(markup), ())

    check()


def test_a_long_run_of_white_space_before_a_point_costs_its_length_once():
    """Hostile text: 190,000 spaces before a link took the forward regex minutes (its time grew with the square)."""
    import time

    from reportgen.writers.pdf.tags import settle_points

    b, e = '<onDraw name="rg_tag" label="b1"/>', '<onDraw name="rg_tag" label="e1"/>'
    markup = "x" + " " * 190_000 + "y" + b + "link" + e + " z" + " " * 190_000 + b + "w" + e
    start = time.process_time()
    settled, first = settle_points(markup)
    assert time.process_time() - start < 5  # (about 0.1 s; minutes before)
    assert settled == "x" + " " * 190_000 + "y" + b + "link" + e + " z" + b + " " * 190_000 + "w" + e and first == ()
