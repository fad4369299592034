"""``Para``: ReportLab's paragraph without the repeated work; the same fragments and lines."""

from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Paragraph  # noqa: E402
from reportlab.platypus.paragraph import cleanBlockQuotedText  # noqa: E402
from reportlab.platypus.paraparser import ParaParser  # noqa: E402

from reportgen.writers.pdf.para import Para, plain_frags  # noqa: E402

STYLE = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, textColor="#1F3A5F")
PLAIN = ["Hello world", "  spaced   out \n second line ", "tab\there", "Ünïcödé — “quotes”", "\xa0non-breaking\xa0", "a\r\nb", "x"]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_gets_the_parsers_fragments(text):
    _style, parsed, _bullets = ParaParser().parse(cleanBlockQuotedText(text), STYLE)
    mine = plain_frags(text, STYLE)
    assert mine is not None
    assert [f.__dict__ for f in mine] == [f.__dict__ for f in parsed]


@pytest.mark.parametrize("text", ["<b>bold</b> text", "a &amp; b", "&nbsp;", "   ", ""])
def test_markup_entities_and_blank_text_are_left_to_the_parser(text):
    assert plain_frags(text, STYLE) is None


def test_wrap_is_remembered_per_width_with_the_same_lines():
    text = "The first meeting of the two presidents set the tone for a difficult relationship. " * 6
    para, fresh = Para(text, STYLE), Paragraph(text, STYLE)
    calls = {"n": 0}
    real = para.breakLines

    def counting(widths):
        calls["n"] += 1
        return real(widths)

    para.breakLines = counting
    for width in (300, 300, 200, 200, 300):
        assert para.wrap(width, 800) == fresh.wrap(width, 800)
        assert [line.words if hasattr(line, "words") else line for line in para.blPara.lines] == [
            line.words if hasattr(line, "words") else line for line in fresh.blPara.lines
        ]
    assert calls["n"] == 3  # 300, 200, and 300 again after 200 replaced it
    first, rest = para.split(300, 40)
    assert isinstance(first, Para) and isinstance(rest, Para)
    assert first.wrap(300, 800)[1] + rest.wrap(300, 800)[1] == fresh.wrap(300, 800)[1]


def test_paragraph_with_no_room_is_a_layout_problem_not_a_crash():
    para = Para("Too narrow to hold anything.", ParagraphStyle("s", fontName="Helvetica"))
    assert para.wrap(0, 100) == (0, 0x7FFFFFFF)  # ReportLab's "does not fit", which platypus reports
    assert para.wrap(200, 100)[1] > 0


MARKUP = [
    'Plain words, then <b>bold ones</b> and <i>italic</i>, <font color="rgb(200,0,0)">red</font> and back.',
    '<nobr>never-broken-compound-word</nobr> beside a hyphenated-compound-word and <nobr>another one</nobr>.',
    'A <a href="https://example.org" color="rgb(62,106,138)">link over several words</a> in a sentence, ' * 3,
    'x<super>2</super> and H<sub>2</sub>O, <u>underlined</u>, <strike>struck</strike>.',
]


def _drawn(para, width: float) -> bytes:
    import io

    from reportlab.pdfgen.canvas import Canvas

    canv = Canvas(io.BytesIO(), invariant=1, pageCompression=0)
    para.wrap(width, 800)
    para.drawOn(canv, 20, 20)
    return "\n".join(canv._code).encode()


@pytest.mark.parametrize("text", MARKUP)
@pytest.mark.parametrize("width", [60, 140, 400])
def test_completed_fragments_break_and_draw_as_the_parsers(text, width):
    # ``Para`` gives every fragment the ``nobr`` ReportLab's line breaking compares (``compat.complete_fragments``):
    # the lines and the operators drawn must be those of ReportLab's own paragraph.
    para, fresh = Para(text, STYLE), Paragraph(text, STYLE)
    assert all(f.__dict__.get("nobr") is not None for f in para.frags)
    assert _drawn(para, width) == _drawn(fresh, width)
