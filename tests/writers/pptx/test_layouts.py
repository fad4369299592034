"""Layout matching (``writers/pptx/layouts.py``) and the briefing pack's slide master it matches against."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import PP_PLACEHOLDER  # noqa: E402

from reportgen.doctree import Deck, Meta, Slide, Text  # noqa: E402
from reportgen.errors import InputError  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx import PptxWriter  # noqa: E402
from reportgen.writers.pptx.layouts import classify  # noqa: E402

PACK = Path(__file__).resolve().parents[3] / "reportgen" / "packs" / "briefing"


@pytest.fixture(scope="module")
def theme():
    return load_theme(str(PACK))


def test_missing_layout_lists_names(theme, tmp_path):
    deck = Deck(Meta("T"), [Slide("Fancy One", [Text("a")]), Slide("Fancy Two", [Text("b")]), Slide("Blank", [])])
    with pytest.raises(InputError) as exc:
        PptxWriter().write(deck, theme, str(tmp_path / "x.pptx"))
    msg = str(exc.value)
    assert "'Fancy One'" in msg and "'Fancy Two'" in msg and "'Title and Content'" in msg and "'Blank'" in msg.split("available")[1]
    assert not (tmp_path / "x.pptx").exists()


def test_master_file(theme):
    prs = Presentation(theme.path("master.pptx"))
    assert len(prs.slides) == 0
    assert [l.name for l in prs.slide_layouts] == ["Title Slide", "Title and Content", "Section Header", "Two Content",
                                                   "Comparison", "Title Only", "Blank"]
    for layout in prs.slide_layouts:
        types = {ph.placeholder_format.type for ph in layout.placeholders}
        assert {PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE} <= types
        for ph in layout.placeholders:
            assert ph.left + ph.width <= prs.slide_width and ph.top + ph.height <= prs.slide_height


def test_briefing_layouts_classify_by_structure(theme):
    """Each layout of the pack's master is recognised by its placeholders alone (the fallback for renamed layouts)."""
    prs = Presentation(theme.path("master.pptx"))
    area = prs.slide_width * prs.slide_height
    roles = {layout.name: classify(layout, area) for layout in prs.slide_layouts}
    assert roles == {"Title Slide": "title", "Title and Content": "content", "Section Header": "section",
                     "Two Content": "two_content", "Comparison": "comparison", "Title Only": "title_only", "Blank": "blank"}
