"""``writers/pptx/blocks``: speaker-notes lines with text in another language (``line_of``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.doctree import Emph, LineBreak, Link, Note, Span, Strong, Text, plain
from reportgen.writers.pptx.blocks import Line, line_of, runs_of

WORDS = st.text(alphabet=" \n\tab’Пу", max_size=8)
LEAF = st.one_of(WORDS.map(Text), st.just(LineBreak()), st.integers(1, 9).map(lambda n: Note([Text("n")], number=n)))
INLINES = st.recursive(st.lists(LEAF, max_size=4), lambda kids: st.lists(st.one_of(
    LEAF, kids.map(Strong), kids.map(Emph), kids.map(lambda k: Link("https://x.org", k)), kids.map(lambda k: Span("ru", k))), max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.sampled_from(["", "• ", "  1. "]), INLINES)
def test_a_line_is_the_plain_text_it_always_was_and_its_parts_are_that_text(prefix, inlines):
    line = line_of(prefix, inlines)
    assert line == prefix + plain(inlines, marks=True)
    squeezed = line_of(prefix, inlines, marks=False, squeeze=True)
    assert squeezed == prefix + " ".join(plain(inlines).split())  # as a footnote's line is made
    for made in (line, squeezed):
        if isinstance(made, Line):
            assert "".join(t for t, _lang in made.parts) == made and {lang for _t, lang in made.parts} <= {"", "ru"}


def test_a_spans_text_is_a_part_of_its_own_and_a_line_without_one_a_plain_str():
    line = line_of("• ", [Text("Say "), Span("ru", [Emph([Text("спасибо")]), Note([Text("x")], number=2)]), Text(" twice.")])
    assert line == "• Say спасибо² twice." and line.parts == (("• Say ", ""), ("спасибо²", "ru"), (" twice.", ""))
    assert type(line_of("• ", [Text("plain")])) is str
    assert line_of("1. ", [Text("  a \n "), Span("fr", [Text(" b  c ")])], marks=False, squeeze=True).parts == (("1. a ", ""), ("b c", "fr"))
    assert [(r.text, r.lang) for r in runs_of([Text("a "), Span("de", [Strong([Text("b")])])])] == [("a ", ""), ("b", "de")]
