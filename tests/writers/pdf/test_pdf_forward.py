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


# --- a long contents list ---------------------------------------------------------------------


def _long_report(sections: int):
    from reportgen.doctree import Meta, Report, Section, Toc

    from pdf_sample import inlines, par

    body = [Section(inlines(f"Section number {i} of a long report"), [par(f"Text of section {i}.")], number=str(i), id=f"s{i}")
            for i in range(1, sections + 1)]
    return Report(Meta(title="A long report", date="2021-06-16"), [Toc(), *body])


def test_a_long_contents_list_splits_into_tables_of_a_few_rows_each_in_order():
    """``Contents.split`` gives the rows that fit, then the rest in tables of ``ROWS_PER_TABLE`` rows at most: the
    same rows, in the same order, none lost, none twice; a list that fits whole is ReportLab's own table."""
    from reportlab.pdfgen.canvas import Canvas

    from reportgen.writers.pdf import forward

    style = ParagraphStyle("toc", fontName=FONT, fontSize=SIZE, leading=10)
    toc = Contents(ForwardNumbers(FONT, SIZE, None), levelStyles=[style, style])
    toc.set_entries([(0, f"Entry {i}", f"e{i}") for i in range(200)])
    toc.canv = Canvas("unused.pdf")
    _w, h = toc.wrap(400, 10_000)
    assert h == pytest.approx(200 * (10 + 6))  # (every row measured: it fits; 3 points of padding above and below)
    assert len(toc._rg_rows) == 200
    parts = toc.split(400, 300)
    parts = [p.made() if isinstance(p, forward._Later) else p for p in parts]
    assert parts and parts[0].wrap(400, 300)[1] <= 300
    assert all(len(p._cellvalues) <= forward.ROWS_PER_TABLE for p in parts)
    assert [p.rg_last for p in parts] == [False] * (len(parts) - 1) + [True]
    def text(cell) -> str:
        return (cell[0] if isinstance(cell, (list, tuple)) else cell).getPlainText()  # (a split table's cells are tuples)

    cells = [text(row[0]) for p in parts for row in p._cellvalues]
    assert cells == [f"Entry {i}" for i in range(200)]
    short = Contents(ForwardNumbers(FONT, SIZE, None), levelStyles=[style, style])
    short.set_entries([(0, f"Entry {i}", f"e{i}") for i in range(10)])
    short.canv = toc.canv
    short.wrap(400, 10_000)
    assert len(short.split(400, 50)) == 2  # (ReportLab's split of its one table: the rows that fit, the rest)


def test_a_long_contents_list_makes_its_entries_a_part_at_a_time(monkeypatch):
    """Measuring and splitting a list of 1,000 entries makes the paragraphs of the parts that fill the room, not of
    every entry; each later part makes its own when it is first laid out, and the list, once split, holds none."""
    import gc
    import weakref

    from reportlab.pdfgen.canvas import Canvas

    from reportgen.writers.pdf import forward

    made: list = []
    real = forward._Entry.__init__

    def counted(self, *a, **kw):
        made.append(weakref.ref(self))
        real(self, *a, **kw)

    monkeypatch.setattr(forward._Entry, "__init__", counted)
    style = ParagraphStyle("toc", fontName=FONT, fontSize=SIZE, leading=10)
    toc = Contents(ForwardNumbers(FONT, SIZE, None), levelStyles=[style])
    toc.set_entries([(0, f"Entry {i}", f"e{i}") for i in range(1000)])
    toc.canv = Canvas("unused.pdf")
    _w, h = toc.wrap(400, 300)
    assert h > 300
    assert len(made) <= 2 * forward.ROWS_PER_TABLE  # (300 points hold 18 rows of 16: one part measured)
    parts = toc.split(400, 300)
    assert len(made) <= 3 * forward.ROWS_PER_TABLE
    assert len(parts) == 2 + -(-(1000 - forward.ROWS_PER_TABLE) // forward.ROWS_PER_TABLE)  # (the rows that fit, the first part's rest, the others)
    later = parts[2]
    assert isinstance(later, forward._Later)
    before = len(made)
    later.wrapOn(toc.canv, 400, 300)
    assert len(made) == before + forward.ROWS_PER_TABLE
    del toc, parts, later
    gc.collect()
    assert sum(r() is not None for r in made) == 0


def test_a_long_contents_list_is_laid_out_and_drawn_as_one_table_would_be(theme, tmp_path, monkeypatch):
    """A report whose contents list runs over several pages has the same pages, text and pictures, whether the
    list is split into tables of a few rows or kept as one table (ReportLab's way)."""
    import shutil
    import subprocess

    import pypdf

    from reportgen.writers.pdf import PdfWriter, forward

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    pages = {}
    for name, rows in (("one", 10**9), ("tables", forward.ROWS_PER_TABLE)):
        monkeypatch.setattr(forward, "ROWS_PER_TABLE", rows)
        out = tmp_path / f"{name}.pdf"
        PdfWriter().write(_long_report(150), theme, str(out))
        reader = pypdf.PdfReader(str(out))
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(out), str(tmp_path / name)], check=True)
        pages[name] = ([p.extract_text() for p in reader.pages], sorted(tmp_path.glob(f"{name}-*.png")))
    (text_one, png_one), (text_tables, png_tables) = pages["one"], pages["tables"]
    toc_pages = [t for t in text_one if "Section number 149 of a long report" in t]
    assert len(toc_pages) == 2 and len(text_one) > 6  # (the list's last entry, and its section's page)
    assert sum("Contents" in t for t in text_one[:3]) >= 1 and text_one.index(toc_pages[0]) >= 2  # the list runs over pages
    assert text_tables == text_one
    assert [p.read_bytes() for p in png_tables] == [p.read_bytes() for p in png_one]


@pytest.mark.parametrize("frame_height", [640 - 5e-7, 320 - 5e-7, 640, 300, 100 - 5e-7])
def test_a_contents_list_in_tables_breaks_its_pages_at_the_rows_one_table_would(frame_height, monkeypatch):
    """Each entry lands on the page it would in one table, frames of exactly a number of rows (less a hair the
    frame lets pass but the table does not: ``forward._Part``) included."""
    import io

    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from reportgen.writers.pdf import forward

    def pages(rows_per_table: int) -> list[tuple[str, int]]:
        monkeypatch.setattr(forward, "ROWS_PER_TABLE", rows_per_table)
        style = ParagraphStyle("toc", fontName=FONT, fontSize=8, leading=10)
        numbers = ForwardNumbers(FONT, 8, None)
        toc = Contents(numbers, levelStyles=[style])
        toc.set_entries([(0, f"Entry {i}", f"e{i}") for i in range(400)])
        landed: list[tuple[str, int]] = []
        monkeypatch.setattr(numbers, "entry_end", lambda canv, key, *a: landed.append((key, canv.getPageNumber())))
        doc = BaseDocTemplate(io.BytesIO(), pagesize=(500, frame_height + 100), invariant=1)
        doc.addPageTemplates([PageTemplate("p", [Frame(50, 50, 400, frame_height, 0, 0, 0, 0)])])
        doc._doSave = 0
        doc.build([toc], canvasmaker=Canvas)
        return landed

    one = pages(10**9)
    assert len(one) == 400 and one[-1][1] >= 10
    assert pages(32) == one


def test_no_contents_entry_outlives_its_page(theme, tmp_path, monkeypatch):
    """By the last page, the paragraphs of a long contents list are let go: what the canvas keeps to the end (the
    callback that notes where each entry ends) holds no entry and no table of them (it held the list's every row)."""
    import gc
    import weakref

    from reportgen.writers.pdf import PdfWriter, forward

    made: list = []
    real = forward._Entry.__init__

    def counted(self, *a, **kw):
        made.append(weakref.ref(self))
        real(self, *a, **kw)

    alive: list[int] = []
    finish = forward.ForwardNumbers.finish

    def finished(self, canv, total):
        gc.collect()
        alive.append(sum(r() is not None for r in made))
        finish(self, canv, total)

    monkeypatch.setattr(forward._Entry, "__init__", counted)
    monkeypatch.setattr(forward.ForwardNumbers, "finish", finished)
    PdfWriter().write(_long_report(150), theme, str(tmp_path / "long.pdf"))
    assert len(made) >= 150 and alive == [0]
