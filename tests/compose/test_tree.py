"""``compose.tree``: the markup a template renders → the document tree (here: spans; most inline markup is read in ``tests/test_markup.py``)."""

from __future__ import annotations

import pytest

from reportgen import doctree as dt
from reportgen.compose import tree


def test_a_span_is_text_in_its_language_and_may_hold_any_inline():
    nodes = tree.inlines(tree.parse_markup('<p>a <span lang="ru">b <a href="https://x.org">c</a> <span lang="de-CH">d</span></span></p>'))
    assert nodes == [dt.Text("a "), dt.Span("ru", [dt.Text("b "), dt.Link("https://x.org", [dt.Text("c")]), dt.Text(" "), dt.Span("de-CH", [dt.Text("d")])])]
    assert dt.plain(nodes) == "a b c d"


@pytest.mark.parametrize("markup", ['<span lang="ru_RU">x</span>', "<span>x</span>", '<span lang="">x</span>', '<span lang="english">x</span>'])
def test_a_template_span_without_a_language_tag_is_a_template_error(markup):
    with pytest.raises(tree.TreeError, match=r"<span lang=.*expected a language tag \(BCP 47\)"):
        tree.inlines(tree.parse_markup(f"<p>{markup}</p>"))
