"""``writers.pdf.box``: the splittable panel of callouts and quotes."""

from __future__ import annotations

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.doctree import Callout, Meta, Quote, Report  # noqa: E402

from pdf_sample import inlines, norm, par  # noqa: E402
from pdf_sample import theme  # noqa: E402,F401  (fixtures)


def test_long_callout_and_quote_split_across_pages(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    text = "Sentence number {} of a long box that must continue on the next page. " * 1
    paras = [par(text.format(i) * 6) for i in range(30)]
    doc = Report(Meta(title="Boxes"), [Callout(inlines("Long"), paras, kind="takeaways"), Quote(paras[:20], attribution=inlines("Someone"))])
    out = tmp_path / "boxes.pdf"
    assert PdfWriter().write(doc, theme, str(out)) == []
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) >= 3
    text_all = norm(" ".join(p.extract_text() for p in reader.pages))
    assert "Sentence number 29 of a long box" in text_all and "— Someone" in text_all


def test_a_box_splits_into_a_cut_first_part_and_a_continued_second():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

    from reportgen.writers.pdf.box import Box
    from reportgen.writers.pdf.para import Para

    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12)
    box = Box([Para(f"Paragraph {i} " * 20, style) for i in range(6)], pad_top=10, pad_bottom=8)
    box.spaceBefore, box.spaceAfter = 4, 9
    box.canv = Canvas(None)
    _, whole = box.wrap(300, 10_000)
    first, rest = box.split(300, whole / 2)
    for part in (first, rest):
        part.canv = box.canv
    assert (first.first, first.last, rest.first, rest.last) == (True, False, False, True)
    assert (first.spaceBefore, first.spaceAfter, rest.spaceBefore, rest.spaceAfter) == (4, 0, 0, 9)
    assert first.wrap(300, whole / 2)[1] <= whole / 2  # the first part fits where it was cut
    assert [f.text for f in first.content][:1] == [box.content[0].text] and rest.content[-1] is box.content[-1]
    assert box.split(300, whole + 1) == []  # nothing to split when it all fits
    assert box.split(300, 5) == []  # nor when not even a first line fits


def test_a_callouts_title_is_never_left_alone_at_the_foot_of_a_page(monkeypatch):
    """A titled box (a callout) with room for its title but not for the first lines after it is not split: it goes
    whole to the next page, unless it starts the page (then it splits as any box does); an untitled box (a quote)
    splits there as before."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import ListFlowable

    from reportgen.writers.pdf import box as box_module
    from reportgen.writers.pdf.box import Box
    from reportgen.writers.pdf.para import Para

    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12)

    def made(titled: bool) -> Box:
        items = ListFlowable([Para(f"Item {i} " * 3, style) for i in range(4)], bulletType="bullet")
        b = Box([Para("In brief", style), items], pad_top=10, pad_bottom=8, titled=titled)
        b.canv = Canvas(None)
        return b

    room = 10 + 12 + 8  # the top padding, the title's line, less than a bullet's line with the space between
    assert made(False).split(400, room + 4) != []  # (a quote: its first flowable alone is fine)
    assert made(True).split(400, room + 4) == []
    assert len(made(True).split(400, room + 40)) == 2  # (room for a bullet: split after it, the title kept with it)

    # The page's first flowable: a box that cannot wait for a next page splits where it must.
    monkeypatch.setattr(box_module, "placing_frame", lambda flowable: object())
    monkeypatch.setattr(box_module, "frame_is_empty", lambda frame: True)
    assert len(made(True).split(400, room + 4)) == 2
