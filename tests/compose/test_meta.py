"""The document's metadata (``compose.meta_for``): the outline's title, subtitle and author as their text."""

from __future__ import annotations

import pytest
import yaml

from reportgen.build import Options, build

from conftest import TEMPLATES

pypdf = pytest.importorskip("pypdf")


def test_a_title_written_in_markdown_is_its_text_on_the_cover_in_the_header_and_in_the_metadata(tmp_path):
    """The title is inline Markdown (README, "The outline"): the deck's title slide sets it, and the PDF's cover,
    running header and /Title showed its Markdown as typed ("Hostile [links](https://...)")."""
    from pptx import Presentation

    outline = {"title": "**Bold** and [a link](https://example.org/t) on *Geneva*", "subtitle": "Sub `code` [x](https://example.org/s)",
               "author": "[Desk](mailto:desk@example.org) & partners", "date": "2024-01-01",
               "sections": [{"title": "One", "points": ["A point."]}, {"title": "Two", "body": "Text " * 900}]}
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(outline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build([str(tmp_path / "m.yaml")], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, jobs=1))
    reader = pypdf.PdfReader(str(tmp_path / "out" / "m.pdf"))
    assert reader.metadata.title == "Bold and a link on Geneva" and reader.metadata.author == "Desk & partners"
    cover = reader.pages[0].extract_text()
    assert "Bold and a link on Geneva" in cover and "Sub code x" in cover and "Desk & partners" in cover
    assert "**" not in cover and "](" not in cover
    assert "Bold and a link on Geneva" in reader.pages[-1].extract_text()  # the running header
    assert Presentation(str(tmp_path / "out" / "m.pptx")).core_properties.title == "Bold and a link on Geneva"


def test_a_title_the_loader_would_refuse_is_its_text_as_typed_not_an_error():
    """``plain_markdown`` for a caller that skipped loading: a link with a scheme reportgen refuses stays text."""
    from reportgen.compose import plain_markdown

    assert plain_markdown("[x](ftp://a) and **b**", {}, None) == "[x](ftp://a) and **b**"
    assert plain_markdown("[x](https://a) and **b**", {}, None) == "x and b"
