"""A source's address printed in full (``writers.pdf.address``): whole on paper, broken only where a reader expects.

The report's sources list prints each source's URL after its title,
publisher and date (``12 July 2024``, the cover's format), as a link, then
``Accessed 3 August 2024.``. A 112-character address is longer than a line:
it is broken after ``/ . - _ ? & = #`` (never leaving a bare ``https://``),
between characters only for a piece wider than a line, and no line is wider
than the frame. Checked on the flowables (the width of every line) and on
the PDF (its text, its link rectangles, and where poppler says each word is).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.compose import compose  # noqa: E402
from reportgen.doctree import Link, Text  # noqa: E402
from reportgen.loader import load  # noqa: E402
from reportgen.pack import find_pack  # noqa: E402
from reportgen.writers.pdf.address import BREAK_AFTER, AddressPara, break_after, is_address, line_starts, paragraph  # noqa: E402
from reportgen.writers.pdf.markup import InlineRenderer  # noqa: E402
from reportgen.writers.pdf.para import Para  # noqa: E402
from reportgen.writers.pdf.styles import make_kit  # noqa: E402

from pdf_sample import theme  # noqa: E402,F401  (fixture)

ROOT = Path(__file__).resolve().parents[3]
URL = "https://www.examples.gov/publications/2024/07/12/statement-on-the-arms-control-dialogue-and-strategic-stability/"
LONG = "https://example.org/" + "x" * 160 + "/end"  # one piece wider than any line


def test_the_address_is_112_characters():
    assert len(URL) == 112


# --- where a line may end ------------------------------------------------------------------


def test_breaks_come_after_the_marks_never_inside_a_run_or_after_the_scheme():
    text = "https://a.b/c-d_e?f=g&h#i//j"
    ok = break_after(text)
    after = [text[: i + 1] for i, b in enumerate(ok) if b]
    assert after == ["https://a.", "https://a.b/", "https://a.b/c-", "https://a.b/c-d_", "https://a.b/c-d_e?", "https://a.b/c-d_e?f=",
                     "https://a.b/c-d_e?f=g&", "https://a.b/c-d_e?f=g&h#", "https://a.b/c-d_e?f=g&h#i//"]
    assert all(text[i] in BREAK_AFTER for i, b in enumerate(ok) if b)
    assert break_after("press@example.org") == [c == "." for c in "press@example.org"]


def test_an_address_that_fits_a_line_is_kept_whole():
    widths, breaks = [1.0] * 30, break_after("https://example.org/a/b/c/d/ef")
    assert line_starts(widths, breaks, first=40, full=100) == []  # on the line it starts on
    assert line_starts(widths, breaks, first=12, full=100) == [0]  # on the next line, as a word would


def test_a_long_address_fills_each_line_up_to_a_break():
    text = "https://example.org/aaaa/bbbb/cccc/dddd"
    starts = line_starts([1.0] * len(text), break_after(text), first=15, full=10)
    assert starts == [15, 25, 35]  # "https://example." is wider than a line: cut between characters; then whole pieces
    text = "https://www.example.org/aaaa/bbbb/cccc/dddd"
    starts = line_starts([1.0] * len(text), break_after(text), first=13, full=15)
    assert [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)])] == ["https://www.", "example.org/", "aaaa/bbbb/cccc/", "dddd"]


def test_a_piece_wider_than_a_line_is_cut_between_characters():
    text = "https://e.org/" + "x" * 25 + "/z"
    starts = line_starts([1.0] * len(text), break_after(text), first=10, full=10)
    lines = [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)])]
    assert "".join(lines) == text and all(len(line) <= 10 for line in lines)


@pytest.mark.parametrize("first", [0.0, 3.5, 40.0, 100.0])
@pytest.mark.parametrize("full", [9.0, 33.0, 100.0])
def test_no_line_is_wider_than_its_room(first, full):
    for text in (URL, LONG, "mailto-less@example.org"):
        widths = [1.0 + (ord(c) % 5) / 4 for c in text]
        starts = line_starts(widths, break_after(text), first, full)
        assert starts == sorted(set(starts))
        for n, (a, b) in enumerate(zip([0, *starts], [*starts, len(text)])):
            room = first if n == 0 and (not starts or starts[0] != 0) else full
            if a == b:
                continue
            assert sum(widths[a:b]) <= room + 1e-6 or b - a == 1, (text, first, full, n)


# --- the paragraph -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kit(theme):
    return make_kit(theme)


def entry(url: str, after: str = " Accessed 3 August 2024.") -> list:
    return [Link(url, [Text("A statement")]), Text(". The Department, 12 July 2024. "), Link(url, [Text(url)]), Text(after)]


def test_only_a_link_showing_its_own_address_is_an_address():
    assert is_address(Link(URL, [Text(URL)])) and is_address(Link("mailto:a@b.org", [Text("a@b.org")]))
    assert not is_address(Link(URL, [Text("A statement")])) and not is_address(Link("#sec-1", [Text("#sec-1")]))


def test_a_paragraph_without_an_address_is_a_plain_para(kit):
    inline = InlineRenderer(kit, set())
    made = paragraph(inline, [Text("Plain "), Link(URL, [Text("link")])], kit.body, kit.styles["list"])
    assert type(made) is Para


@pytest.mark.parametrize("width", [90.0, 140.0, 201.5, 260.0, 333.0, 437.0, 480.0])
@pytest.mark.parametrize("url", [URL, LONG])
def test_every_line_fits_the_width_and_breaks_only_where_allowed(kit, width, url):
    inline = InlineRenderer(kit, set())
    para = paragraph(inline, entry(url), kit.body, kit.styles["list"])
    assert isinstance(para, AddressPara)
    para.wrap(width, 1e6)
    assert max(para.getActualLineWidths0()) <= width + 1e-6
    address = para.markup_for(width).split("<a ")[2]  # the second link: the address
    shown = address[address.index(">") + 1 : address.index("</a>")]
    lines = shown.split("<br/>")
    assert "".join(lines) == url
    if url == URL:  # no piece of it is wider than these lines: every break after a mark
        assert all(line[-1] in BREAK_AFTER for line in lines[:-1] if line), lines


def test_the_lines_follow_the_width_it_is_wrapped_at(kit):
    para = paragraph(InlineRenderer(kit, set()), entry(URL), kit.body, kit.styles["list"])
    narrow, wide = para.wrap(150, 1e6), para.wrap(437, 1e6)
    assert narrow[1] > wide[1] and para.wrap(150, 1e6) == narrow


@pytest.mark.parametrize("share", [0.3, 0.5, 0.7])
def test_an_entry_split_across_pages_goes_on_with_the_address_not_a_blank_line(kit, share):
    url = URL + "more-path-segments/" * 6
    para = paragraph(InlineRenderer(kit, set()), entry(url), kit.body, kit.styles["list"], anchor="source-1")
    _w, h = para.wrap(200, 1e6)
    parts = para.split(200, h * share)
    assert len(parts) == 2 and [p.rg_anchor for p in parts] == ["source-1", ""]
    lines = []
    for part in parts:
        part.wrap(200, 1e6)
        assert max(part.getActualLineWidths0()) <= 200 + 1e-6
        lines.append(["".join(f.text for f in line.words) for line in part.blPara.lines])
    assert lines[1][0].strip(), lines  # the second page starts with text
    assert url in "".join(t.strip() for part in lines for t in part)


# --- the PDF -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from reportgen.writers.pdf import PdfWriter

    folder = tmp_path_factory.mktemp("address")
    path = folder / "o.yaml"
    path.write_text(
        "title: Addresses\ndate: 2025-10-06\nsections:\n  - title: One\n    body: See [@a], [@b] and [@c].\n"
        "sources:\n"
        f"  - {{id: a, title: Statement on the arms control dialogue, url: '{URL}', publisher: Department of Examples, date: 2024-07-12, accessed: 2024-08-03}}\n"
        "  - {id: b, title: Monthly bulletin, url: 'mailto:press@example.org?subject=bulletin', publisher: Press office, date: 2024-07}\n"
        f"  - {{id: c, title: One long piece, url: '{LONG}', date: Spring 2024}}\n",
        encoding="utf-8",
    )
    loaded = load(str(path))
    pack = find_pack("briefing", str(ROOT / "templates"))
    out = folder / "o.pdf"
    PdfWriter().write(compose(loaded, pack, "report"), pack.theme, str(out))
    kit = make_kit(pack.theme)
    m = pack.theme.page.margins
    frame = (m.left, kit.page_size[0] - m.right)
    return out, pypdf.PdfReader(str(out)), frame


def _sources_page(reader):
    return next(p for p in reader.pages if "Sources" in p.extract_text() and "Accessed" in p.extract_text())


def test_the_whole_address_dates_and_access_date_are_on_paper(built):
    _out, reader, _frame = built
    text = _sources_page(reader).extract_text()
    joined = re.sub(r"\s*\n\s*", "", text)  # the lines joined again
    assert URL in joined and LONG in joined
    assert "Department of Examples, 12 July 2024." in text and "2024-07-12" not in text
    assert "Accessed 3 August 2024." in re.sub(r"\s+", " ", text)
    assert "Press office, July 2024. press@example.org" in text and "mailto:" not in text


def test_each_line_of_the_address_links_to_the_whole_address_inside_the_frame(built):
    _out, reader, (left, right) = built
    page = _sources_page(reader)
    rects = {}
    for annot in page.get("/Annots") or []:
        a = annot.get_object()
        action = a.get("/A")
        uri = action.get_object().get("/URI") if action is not None else None
        if uri:
            rects.setdefault(str(uri), []).append([float(v) for v in a["/Rect"]])
    assert len(rects[URL]) >= 2 and len(rects[LONG]) >= 3  # the title, then a rectangle a line of the address
    assert "mailto:press@example.org?subject=bulletin" in rects
    for boxes in rects.values():
        for x0, _y0, x1, _y1 in boxes:
            assert left - 0.5 <= x0 < x1 <= right + 0.5, (x0, x1, left, right)


def test_no_word_ends_outside_the_frame(built):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    out, reader, (left, right) = built
    n = next(i + 1 for i, p in enumerate(reader.pages) if "Accessed" in p.extract_text())
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(n), "-l", str(n), str(out), "-"], check=True, capture_output=True, text=True).stdout
    words = [(float(a), float(b), w) for a, b, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]
    assert any("stability" in w for _a, _b, w in words)
    outside = [(a, b, w) for a, b, w in words if a < left - 0.5 or b > right + 0.5]
    assert not outside, (outside, left, right)


@pytest.mark.parametrize("text", [URL, LONG, "https://example.org/a b\u2003c", "mailto:a@b.org", "https://example.org/\u2603/\u4e2d", ""])
def test_an_addresss_characters_are_those_read_one_by_one(kit, text, monkeypatch):
    """``characters`` takes every character in the face at once when the face has them all (white space too):
    the markup and widths are those it finds a character at a time."""
    from reportgen.writers.pdf.styles import Face

    style = kit.styles["list"]
    fast = InlineRenderer(kit, set()).characters(text, kit.body, style)
    monkeypatch.setattr(Face, "has_every", lambda self, text: False)
    assert fast == InlineRenderer(kit, set()).characters(text, kit.body, style)
