"""``writers.pdf.cover``: the cover's title, subtitle, date and author fitted to their room."""

from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from reportlab.platypus import Paragraph  # noqa: E402

from reportgen.writers.pdf.cover import COVER_SCALES, fit_cover  # noqa: E402
from reportgen.writers.pdf.styles import make_kit  # noqa: E402

from pdf_sample import briefing  # noqa: E402

WIDTH = 470.0
TITLE = "Strategic Stability and the Future of Arms Control Between the Two Largest Nuclear Powers after Geneva"


@pytest.fixture(scope="module")
def kit():
    return make_kit(briefing())


@pytest.fixture(scope="module")
def style(kit):
    return kit.styles["cover_title"]


def height_at(text: str, style, scale: float, width: float = WIDTH) -> float:
    size = style.fontSize * scale
    return Paragraph(text, style.clone("probe", fontSize=size, leading=size * 1.12)).wrap(width, 1e6)[1]


def test_a_short_title_keeps_its_size(kit, style):
    para, height = fit_cover("Summit", style, kit, WIDTH, 200.0, bold=True, leading=1.12)
    assert para.style.fontSize == style.fontSize
    assert height == pytest.approx(style.fontSize * 1.12)


@pytest.mark.parametrize("room", [120.0, 80.0, 45.0, 30.0])
def test_a_long_title_is_set_at_the_largest_scale_that_fits(kit, style, room):
    para, height = fit_cover(TITLE, style, kit, WIDTH, room, bold=True, leading=1.12)
    scale = para.style.fontSize / style.fontSize
    assert any(scale == pytest.approx(s) for s in COVER_SCALES)
    assert height <= room and para.text == TITLE
    larger = [s for s in COVER_SCALES if s > scale + 1e-9]
    assert larger and all(height_at(TITLE, style, s) > room for s in larger)


def test_a_word_too_long_for_any_size_is_broken_at_the_largest_size_that_fits(kit, style):
    word = "Counterintelligencesupervisoryarrangements" * 2  # wider than the line even at 30%
    para, height = fit_cover(word, style, kit, 200.0, 500.0, bold=True, leading=1.12)
    assert para.style.fontSize == style.fontSize and height <= 500.0


def test_a_title_too_long_at_the_smallest_size_is_cut_with_an_ellipsis(kit, style):
    text = " ".join([TITLE] * 20)
    para, height = fit_cover(text, style, kit, WIDTH, 60.0, bold=True, leading=1.12)
    assert para.style.fontSize == pytest.approx(style.fontSize * COVER_SCALES[-1])
    assert para.text.endswith("…") and text.startswith(para.text[:-1].rstrip())
    assert height <= 60.0
    n = len(para.text) - 1  # the start shown (a space before the "…" dropped): two more characters do not fit
    assert height_at(text[: n + 2].rstrip() + "…", style, COVER_SCALES[-1]) > 60.0


def test_no_room_for_a_line_gives_nothing(kit, style):
    assert fit_cover(TITLE, style, kit, WIDTH, 5.0, bold=True, leading=1.12) == (None, 0.0)


def test_markup_in_a_title_is_text(kit, style):
    para, _ = fit_cover("Arms <b>&</b> cyber", style, kit, WIDTH, 200.0, bold=True, leading=1.12)
    assert para.text == "Arms &lt;b&gt;&amp;&lt;/b&gt; cyber"
