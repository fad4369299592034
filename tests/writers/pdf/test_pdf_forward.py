"""``writers.pdf.forward``: the contents list, its links and page numbers, and numbers filled in after the last page."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402
from reportlab.platypus import KeepTogether, Spacer  # noqa: E402

from reportgen.writers.pdf.forward import Contents, ForwardNumbers, fit_text, seed_contents  # noqa: E402
from reportgen.writers.pdf.heading import Heading  # noqa: E402

from pdf_sample import link_targets, norm, SECTION_TITLES  # noqa: E402
from pdf_sample import built, theme  # noqa: E402,F401  (fixtures)


def test_citations_and_toc_entries_are_links(built):
    _, _, reader = built
    toc_page = next(p for p in reader.pages if "Contents" in p.extract_text())
    toc_links = link_targets(reader, toc_page)
    for key in ("why", "stability", "outcomes", "impact", "sources"):
        assert key in toc_links
    assert "regional" not in toc_links  # level 3 stays out of the contents
    all_links = [t for p in reader.pages for t in link_targets(reader, p)]
    assert "source-1" in all_links and "source-2" in all_links
    assert "https://example.org/summit" in all_links
    assert "?" not in all_links


def test_toc_shows_page_numbers_of_sections(built):
    _, _, reader = built
    pages = [norm(p.extract_text()) for p in reader.pages]
    toc_index = next(i for i, t in enumerate(pages) if "Contents" in t)
    # Each entry's dot leader and number are a form drawn after the title (pdf_forward):
    # pypdf's plain extraction gives them right after the title, its layout mode not at all.
    toc = pages[toc_index]
    for title in SECTION_TITLES[:4]:
        actual = next(i + 1 for i, t in enumerate(pages) if norm(title) in t and i != toc_index)
        shown = re.search(re.escape(norm(title)) + r"\s*(?:\.\s*)+(\d+)", toc)
        assert shown and shown.group(1) == str(actual), (title, actual, toc)


# --- fitting a text to the room it has -------------------------------------------------------

FONT, SIZE = "Helvetica", 8.0
LONG = "Prepared with reportgen for the policy analysis unit; distribution limited to named recipients"


def test_a_text_that_fits_is_unchanged():
    assert fit_text(LONG, FONT, SIZE, stringWidth(LONG, FONT, SIZE)) == LONG
    assert fit_text("", FONT, SIZE, 0) == ""


@pytest.mark.parametrize("width", [20.0, 57.3, 120.0, 200.5, 300.0])
def test_a_text_too_long_is_its_longest_start_that_fits_with_an_ellipsis(width):
    longest = max(n for n in range(len(LONG)) if stringWidth(LONG[:n] + "…", FONT, SIZE) <= width)  # every start tried
    out = fit_text(LONG, FONT, SIZE, width)
    assert out == LONG[:longest].rstrip() + "…"
    assert stringWidth(out, FONT, SIZE) <= width


def test_no_white_space_before_the_ellipsis():
    text = "alpha beta"
    width = stringWidth("alpha …", FONT, SIZE) + 0.01
    assert fit_text(text, FONT, SIZE, width) == "alpha…"


def test_room_for_not_even_the_ellipsis_leaves_nothing():
    assert fit_text(LONG, FONT, SIZE, 2.0) == ""


# --- the contents list's entries, known before the build --------------------------------------


def _heading(title: str, level: int, toc: str | None) -> Heading:
    return Heading(title, ParagraphStyle("h", fontName=FONT), level=level, title=title, key=title.lower(), toc=toc)


def test_contents_get_the_headings_that_have_an_entry_in_story_order():
    style = ParagraphStyle("toc", fontName=FONT)
    toc = Contents(ForwardNumbers(FONT, SIZE, None), levelStyles=[style, style])
    story = [
        _heading("Contents", 0, None),
        toc,
        _heading("One", 0, "1 One"),
        Spacer(1, 1),
        KeepTogether([Spacer(1, 1), _heading("Inner", 1, "1.1 Inner")]),
        _heading("Deep", 2, None),
        _heading("Two", 0, "2 Two"),
    ]
    seed_contents(story)
    assert toc.rg_entries == [(0, "1 One", "one"), (1, "1.1 Inner", "inner"), (0, "2 Two", "two")]


def test_no_contents_list_nothing_to_seed():
    story = [_heading("One", 0, "1 One")]
    seed_contents(story)  # no error, nothing changed
    assert story[0].rg_toc == "1 One"
