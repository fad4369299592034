"""``reportgen.compat.markdown_it``: the markdown-it-py internal reportgen relies on still exists, and still does its job."""

from __future__ import annotations

import importlib

import pytest
from markdown_it import MarkdownIt

from reportgen.compat import markdown_it as compat

MARKS = ("«", "»", "„", "“")


@pytest.mark.parametrize("internal", compat.INTERNALS, ids=lambda i: i.name)
def test_the_internal_still_exists(internal):
    assert hasattr(importlib.import_module(internal.owner), internal.name), f"{internal.owner} has no {internal.name} ({internal.use})"


@pytest.mark.parametrize("text", ['"Hello," she said. It\'s "really \'fine\'".', 'a *"b"* `"c"` \\"d\\" "e\n"f"', '5\'9" tall, "quoted"'])
def test_smart_quotes_does_what_markdown_its_typographer_does_with_those_marks(text):
    """The adapter, given the marks, turns the same quotes as markdown-it's own rule with ``quotes`` set to them."""
    own = MarkdownIt("commonmark", {"typographer": True, "quotes": "".join(MARKS)}).enable("smartquotes")
    expected = own.parseInline(text)[0].children
    children = MarkdownIt("commonmark").disable("text_join").parseInline(text)[0].children  # escapes kept apart, as reportgen parses
    compat.smart_quotes(children, MARKS)
    assert "".join(t.content for t in children) == "".join(t.content for t in expected)  # (its text_join merges escapes: compare the text)
    assert any("«" in t.content or "’" in t.content for t in children)
