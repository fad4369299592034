"""``writers.pdf.tables``: data tables: column widths, the size and page they are set at, captions."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402

from reportgen.doctree import Strong, Text  # noqa: E402
from reportgen.writers.pdf.markup import InlineRenderer  # noqa: E402
from reportgen.writers.pdf.styles import make_kit  # noqa: E402
from reportgen.writers.pdf.tables import PAD_X, Fit, TableTooWide, caption_markup, column_widths, fit_table, minimum_widths  # noqa: E402

from pdf_sample import TABLE_HEADER  # noqa: E402
from pdf_sample import built, theme  # noqa: E402,F401  (fixtures)


@pytest.fixture(scope="module")
def kit(theme):
    return make_kit(theme)


FONT = "Helvetica"  # column widths are pure arithmetic on string widths: a base-14 font's will do
PROSE = "The strategic stability dialogue resumed in Geneva after a long pause in formal arms control talks"


def natural(*cells: str, size: float = 8.0) -> float:
    """A column's width on one line: its widest cell, padded."""
    return max(max(stringWidth(c, FONT, size) for c in cells) + 2 * PAD_X + 1, 24.0)


# --- column widths ---------------------------------------------------------------------


@pytest.mark.parametrize("width", [120.0, 300.0, 470.0, 900.0])
def test_column_widths_fill_the_width(width):
    texts = [["Year", "Notes", "Total"], ["2021", PROSE, "1,550"], ["2023", "Short", "1,670"]]
    widths = column_widths(texts, [FONT] * 3, 8.0, width)
    assert sum(widths) == pytest.approx(width)
    assert all(w > 0 for w in widths)


def test_when_every_column_fits_on_one_line_the_spare_width_goes_mostly_to_wide_columns():
    texts = [["Year", "Country"], ["2021", "United States of America"]]
    widths = column_widths(texts, [FONT] * 2, 8.0, 400.0)
    want = [natural("Year", "2021"), natural("Country", "United States of America")]
    assert widths[0] / widths[1] == pytest.approx(want[0] / want[1])


def test_narrow_columns_get_one_line_and_prose_takes_the_rest():
    texts = [["Year", "Notes", "Total"], ["2021", PROSE, "1,550"]]
    widths = column_widths(texts, [FONT] * 3, 8.0, 300.0)
    assert widths[0] == pytest.approx(natural("Year", "2021"))
    assert widths[2] == pytest.approx(natural("Total", "1,550"))
    assert widths[1] == pytest.approx(300.0 - widths[0] - widths[2])


def test_columns_short_of_one_line_share_the_spare_width_but_never_past_one_line():
    texts = [["Country", "Notes"], ["United States of America", PROSE]]
    widths = column_widths(texts, [FONT] * 2, 8.0, 300.0)
    assert widths[0] == pytest.approx(natural("Country", "United States of America"))
    assert widths[1] == pytest.approx(300.0 - widths[0])


def test_too_narrow_for_the_longest_words_shares_in_proportion_to_them():
    texts = [["Interoperability", "Counterintelligence"], ["a", "b"]]
    minimum = minimum_widths(texts, [FONT] * 2, 8.0, cap=False)
    widths = column_widths(texts, [FONT] * 2, 8.0, 100.0)
    assert widths == pytest.approx([w * 100.0 / sum(minimum) for w in minimum])


def test_a_url_is_broken_rather_than_widen_its_column():
    capped = 8.0 * 11.0 + 2 * PAD_X + 1
    for word in ("https://example.org/a/very/long/path/to/a/document/of/the/summit.pdf", "Kernwaffensperrvertragsüberprüfungskonferenz", "docs/annexes/a-b-c-d-e-f-g-h-i-j.pdf"):
        assert minimum_widths([[word]], [FONT], 8.0, cap=False)[0] == pytest.approx(capped), word
    assert minimum_widths([["Interoperability"]], [FONT], 8.0, cap=False)[0] == pytest.approx(stringWidth("Interoperability", FONT, 8.0) + 2 * PAD_X + 1)


# --- the size and page a table is set at ---------------------------------------------------


def _words(n: int) -> list[list[str]]:
    return [[f"Interoperability{j}" for j in range(n)], [f"Procurement{j}" for j in range(n)]]


def _need(kit, texts, size):
    fonts = [kit.heading.bold] + [kit.heading.regular] * (len(texts) - 1)
    return sum(minimum_widths(texts, fonts, size))


def test_a_table_that_fits_keeps_the_theme_size(kit):
    texts = _words(3)
    assert fit_table(texts, kit, kit.frame_width) == Fit(kit.theme.sizes.table, False, kit.frame_width)


def test_a_table_too_wide_is_set_at_the_largest_size_that_fits(kit):
    texts = _words(6)
    width = (_need(kit, texts, 8.0) + _need(kit, texts, 8.5)) / 2  # fits at 8pt, not at 8.5pt
    assert fit_table(texts, kit, width) == Fit(8.0, False, width)
    width = _need(kit, texts, 6.5)  # exactly the smallest size's need: still portrait
    assert fit_table(texts, kit, width) == Fit(6.5, False, width)


def test_a_table_too_wide_at_the_smallest_size_goes_landscape(kit):
    texts = _words(6)
    wide = kit.page_size[1] - kit.theme.page.margins.left - kit.theme.page.margins.right
    assert fit_table(texts, kit, _need(kit, texts, 6.5) - 1) == Fit(8.5, True, wide)


def test_a_table_too_wide_is_an_error_when_the_theme_allows_no_landscape(theme):
    strict = make_kit(theme.model_copy(update={"page": theme.page.model_copy(update={"wide_tables": "error"})}))
    texts = _words(6)
    with pytest.raises(TableTooWide, match=r"^its 6 columns need \d+pt at the smallest table size 6.5pt .*'error'"):
        fit_table(texts, strict, _need(strict, texts, 6.5) - 1)


def test_a_table_too_wide_even_for_landscape_is_an_error(kit):
    texts = _words(40)
    with pytest.raises(TableTooWide, match=r"40 columns .* on a landscape page"):
        fit_table(texts, kit, kit.frame_width)


# --- captions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "caption", "want"),
    [
        (2, [Text("Arms by category")], "<b>Table 2:</b> Arms by category"),
        (2, [], "<b>Table 2</b>"),
        (0, [Text("Arms by category")], "<b>Arms by category</b>"),
        (0, [], ""),
        (3, [Text("Arms "), Strong([Text("now")])], "<b>Table 3:</b> Arms <b>now</b>"),
        (1, "A & B <i>", "<b>Table 1:</b> A &amp; B &lt;i&gt;"),
    ],
)
def test_caption_markup(kit, number, caption, want):
    assert caption_markup("table", number, caption, InlineRenderer(kit, set()), kit) == want  # "table": the strings' key of the label


def test_table_header_repeats_on_every_page_it_spans(built):
    _, _, reader = built
    pages = [p.extract_text() for p in reader.pages]
    first = next(i for i, t in enumerate(pages) if "Row 01 item" in t)
    last = next(i for i, t in enumerate(pages) if "Row 40 item" in t)
    assert last > first, "the 40-row table should span pages"
    for i in range(first, last + 1):
        assert TABLE_HEADER in pages[i], f"header missing on page {i + 1}"


def test_a_link_in_a_header_cell_keeps_the_headers_colour_and_is_underlined(theme, tmp_path):
    """A header row is white on the theme's dark colour: a link there in the link colour (dark too) was unreadable."""
    pdfplumber = pytest.importorskip("pdfplumber")
    from reportgen.doctree import Link, Meta, Paragraph, Report, Table
    from reportgen.writers.pdf import PdfWriter

    doc = Report(Meta(title="T"), [Table([[Link("https://example.org/name", [Text("Name")])], [Text("Value")]],
                                         [[[Text("a")], [Link("https://example.org/a", [Text("linked")])]]], caption=[Text("Links")], number=1),
                                   Paragraph([Text("After.")])])
    out = tmp_path / "t.pdf"
    assert PdfWriter().write(doc, theme, str(out)) == []
    with pdfplumber.open(str(out)) as pdf:
        page = next(p for p in pdf.pages if "Value" in (p.extract_text() or ""))
        words = {w["text"]: w for w in page.extract_words(extra_attrs=["non_stroking_color"])}
        lines = page.lines
    colour = {text: tuple(round(v, 2) for v in w["non_stroking_color"]) for text, w in words.items()}
    assert colour["Name"] == colour["Value"]  # the header's link as the header's text
    assert colour["linked"] != colour["a"]  # a body link in the link colour, unlike the text beside it
    name = words["Name"]
    assert any(abs(ln["top"] - name["bottom"]) < 3 and ln["x0"] <= name["x0"] + 1 and ln["x1"] >= name["x1"] - 1 for ln in lines)  # and underlined


def test_a_link_made_after_a_header_cells_markup_is_in_the_link_colour(kit):
    """``InlineRenderer.link`` called alone (an address's) after a header cell's markup: not the header's underline."""
    from reportgen.doctree import Link

    inline = InlineRenderer(kit, set())
    header = inline.markup([Link("https://example.org/h", [Text("H")])], kit.heading, on_dark=True)
    assert 'underline="1"' in header and "color=" not in header
    opening, _closing = inline.link("https://example.org/a", "a")
    assert f'color="{inline.link_colour}"' in opening and "underline" not in opening
