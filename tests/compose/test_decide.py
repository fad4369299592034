"""``compose.decide``: what both writers would otherwise decide apart, decided once on the tree.

Each decision is checked here on hand-built trees (no writer involved), and
through both writers where they used to disagree: a column of numbers is
right-aligned in the report *and* the deck; a pull quote has the same marks.
"""

from __future__ import annotations

import pytest

from reportgen import doctree as dt
from reportgen.compose.decide import column_alignment, decide, is_number, mark_sources, quote_marks
from reportgen.i18n import catalog

from conftest import TEMPLATES


def t(text: str) -> list:
    return [dt.Text(text)]


def p(text: str) -> dt.Paragraph:
    return dt.Paragraph(t(text))


def table(rows, align=()) -> dt.Table:
    return dt.Table([t("A"), t("B"), t("C")], [[t(c) for c in r] for r in rows], align=list(align))


@pytest.mark.parametrize("cell", ["1,550", "6255", "-3.5%", "$12bn", "≈ 700", "1 550", "0.5"])
def test_numbers(cell):
    assert is_number(cell)


@pytest.mark.parametrize("cell", ["New START", "2021-06-16", "12 warheads", "1,55", "", "n/a"])
def test_not_numbers(cell):
    assert not is_number(cell)


def test_columns_of_numbers_are_right_aligned_unless_the_template_says():
    rows = [["Deployed", "1,550", "n/a"], ["Launchers", "700", "—"]]
    assert column_alignment(table(rows)) == ["left", "right", "left"]
    assert column_alignment(table(rows, ["center"])) == ["center", "right", "left"]
    assert column_alignment(table(rows, ["left", "left", "right", "right"])) == ["left", "left", "right"]  # one per column
    assert column_alignment(table(rows, ["middle"])) == ["left", "right", "left"]  # unknown: left


def test_a_pull_quote_gets_its_marks_once_a_block_quote_none():
    q = dt.Quote([p("A nuclear war cannot be won"), p("and must never be fought")], kind="pull")
    quote_marks(q)
    assert [dt.plain(b.inlines) for b in q.blocks] == ["“A nuclear war cannot be won", "and must never be fought”"]
    quote_marks(q)  # already marked: unchanged
    assert dt.plain(q.blocks[0].inlines).count("“") == 1
    emph = dt.Quote([dt.Paragraph([dt.Emph(t("Never"))])], kind="pull")
    quote_marks(emph)
    assert dt.plain(emph.blocks[0].inlines) == "“Never”" and isinstance(emph.blocks[0].inlines[1], dt.Emph)
    block = dt.Quote([p("As said.")], kind="block")
    doc = decide(dt.Report(dt.Meta(title="Q"), [block]))
    assert dt.plain(doc.children[0].blocks[0].inlines) == "As said."


@pytest.mark.parametrize("lang, marks", [("fr", ("«\u00a0", "\u00a0»")), ("de", ("„", "“")), ("ru", ("«", "»")), ("en", ("“", "”"))])
def test_a_pull_quote_gets_the_marks_of_the_documents_language(lang, marks):
    strings = catalog("briefing", [f"{TEMPLATES}/briefing"]).for_lang(lang)
    doc = decide(dt.Report(dt.Meta(title="Q", lang=lang, strings=dict(strings.texts)), [dt.Quote([p("Le monde change")], kind="pull")]))
    assert dt.plain(doc.children[0].blocks[0].inlines) == f"{marks[0]}Le monde change{marks[1]}"
    already = dt.Quote([p("«\u00a0Déjà\u00a0»")], kind="pull")  # typed (or made) with the language's own marks: unchanged
    quote_marks(already, marks)
    assert dt.plain(already.blocks[0].inlines) == "«\u00a0Déjà\u00a0»"


def test_a_footnote_inside_a_span_keeps_the_spans_language():
    note = dt.Note(t("примечание"))
    doc = decide(dt.Report(dt.Meta(title="N"), [dt.Paragraph([dt.Span("ru", [dt.Text("текст"), note]), dt.Note(t("a note"))])]))
    assert doc.notes == {1: [dt.Span("ru", t("примечание"))], 2: t("a note")}  # the note's text, at the foot of the page, in Russian


def sources_list(start: int, n: int) -> dt.ListBlock:
    return dt.ListBlock([dt.ListItem([p(f"Source {start + i}.")]) for i in range(n)], ordered=True, start=start)


def test_the_sources_list_is_found_and_marked_once():
    linked = dt.ListItem([dt.Paragraph([dt.Link("https://example.org/x", t("A title")), dt.Text(". Publisher.")])])
    listing = dt.ListBlock([linked], ordered=True, start=1)
    inner = dt.Section(t("Sources"), [listing, p("Note."), sources_list(3, 2)], level=2, id="sources")
    other = dt.Section(t("Other"), [sources_list(1, 5)], id="other")
    doc = dt.Report(dt.Meta(title="S"), [other, dt.Section(t("Annex"), [inner], id="annex")])
    assert mark_sources(doc) == {1: "A title. Publisher. https://example.org/x", 3: "Source 3.", 4: "Source 4."}
    assert listing.role == "sources" and other.children[0].role == ""
    deck = dt.Deck(dt.Meta(title="D"), [dt.Slide("L", t("Sources"), body=[sources_list(1, 2)], kind="closing"), dt.Slide("L", t("X"), body=[sources_list(7, 1)])])
    assert mark_sources(deck) == {1: "Source 1.", 2: "Source 2."}


def test_floats_are_numbered_in_document_order_in_both_trees():
    chart = dt.Chart("bar", "C", ["a"], [dt.Series("s", [1.0])])
    fig = dt.Figure("/x.png", "alt")
    tab = table([["x", "1", "2"]])
    report = decide(dt.Report(dt.Meta(title="R"), [dt.Section(t("One"), [tab, chart]), dt.Callout(t("Box"), [fig])]))
    assert (tab.number, chart.number, fig.number) == (1, 1, 2)
    assert report.children[0].children[0].align == ["left", "right", "right"]
    tab2, chart2 = table([["x", "y", "z"]]), dt.Chart("pie", "P", ["a"], [dt.Series("s", [1.0])])
    decide(dt.Deck(dt.Meta(title="D"), [dt.Slide("L", t("A"), body=[chart2]), dt.Slide("L", t("B"), body=[tab2])]))
    assert (chart2.number, tab2.number) == (1, 1)


def test_both_writers_right_align_a_column_of_numbers(tmp_path):
    """The report always did; the deck did not (issue 12): both read Table.align now."""
    pytest.importorskip("pptx")
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN

    from reportgen.build import Options, build
    from conftest import TEMPLATES

    outline = tmp_path / "t.yaml"
    outline.write_text("title: T\nsections:\n  - title: S\n    table: {columns: [Limit, Ceiling], rows: [[Warheads, '1,550'], [Launchers, '800']]}\n")
    build([str(outline)], Options(out_dir=str(tmp_path / "b"), templates_dir=TEMPLATES, formats=("pptx",)))
    prs = Presentation(str(tmp_path / "b" / "t.pptx"))
    table_shape = next(sh for s in prs.slides for sh in s.shapes if sh.has_table)
    cells = table_shape.table.rows[1].cells
    assert cells[0].text_frame.paragraphs[0].alignment in (None, PP_ALIGN.LEFT)
    assert cells[1].text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT


def test_footnotes_are_numbered_in_reading_order_across_the_report():
    def note(text: str) -> dt.Note:
        return dt.Note(t(text))

    tbl = dt.Table([[dt.Text("A"), note("head")]], [[[dt.Text("1"), note("cell")]]], caption=[dt.Text("T"), note("caption")], source=[note("source")])
    doc = dt.Report(dt.Meta("R"), [
        dt.Section([dt.Text("One"), note("heading")], [dt.Paragraph([dt.Text("a"), note("first")]), tbl]),
        dt.Section(t("Two"), [dt.Quote([dt.Paragraph([note("quoted")])], [note("said")], kind="pull"),
                              dt.ListBlock([dt.ListItem([dt.Paragraph([dt.Strong([note("in a list")])])])])]),
    ])
    decide(doc)
    assert {n: dt.plain(body) for n, body in doc.notes.items()} == {
        1: "heading", 2: "first", 3: "caption", 4: "head", 5: "cell", 6: "source", 7: "quoted", 8: "said", 9: "in a list"}


def test_deck_footnotes_run_slide_by_slide_and_an_agenda_keeps_none():
    def note(text: str) -> dt.Note:
        return dt.Note(t(text))

    title = [dt.Text("Part"), note("title note")]
    deck = dt.Deck(dt.Meta("D"), [
        dt.Slide("", t("Agenda"), body=[dt.ListBlock([dt.ListItem([dt.Paragraph(list(title))])], ordered=True)], kind="agenda"),
        dt.Slide("", title, body=[dt.ListBlock([dt.ListItem([dt.Paragraph([dt.Text("p"), note("point")])])])], notes=[dt.Paragraph([note("prose")])]),
    ])
    decide(deck)
    assert {n: dt.plain(body) for n, body in deck.notes.items()} == {1: "title note", 2: "point", 3: "prose"}
    assert dt.plain(deck.slides[0].body[0].items[0].blocks[0].inlines, marks=True) == "Part"
