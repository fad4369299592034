"""Text runs and paragraphs made with lxml (``emit._Emitter.fill_runs``, ``fill_para``) are python-pptx's, element for element.

The reference is python-pptx's own API (``add_run``, ``Font``, ``hyperlink``,
``level``, ``space_before``), as the writer used it before it wrote the XML
itself; each case is drawn both ways on its own slide and the paragraphs'
XML compared.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

pytest.importorskip("pptx")

from lxml import etree  # noqa: E402
from pptx import Presentation  # noqa: E402
from pptx.dml.color import RGBColor  # noqa: E402
from pptx.util import Inches, Pt  # noqa: E402

from reportgen.compat.pptx import end_paragraph_properties, paragraph_element, paragraph_properties, qn, run_properties  # noqa: E402
from reportgen.writers.pptx.emit import _Emitter  # noqa: E402
from reportgen.writers.pptx.fit import Para, Run, left_margin  # noqa: E402
from reportgen.writers.pptx.units import EMU_PER_PT  # noqa: E402

MONO, FONT, LANG = "Courier New", "Arial", "en-GB"
MARGINS = (0.0, 22.5, 45.0, 67.5, 90.0, 112.5, 135.0, 157.5, 180.0)
RUNS = [
    Run("plain "),
    Run("bold and italic", bold=True, italic=True),
    Run("code()", code=True),
    Run("\n"),
    Run("control \x00\x07\x0b\x1f\t and <&> \u202e \U0001f600"),
    Run("1", note=1),
    Run("outside", href="https://example.org/?a=1&b=<2>"),
    Run("inside", href="#s2", italic=True),
    Run(""),
    Run("по-русски", lang="ru", code=True, bold=True),
]


def _reference_runs(p, runs, size, bold=False, colour=None, slide=None, links=None):
    """What ``fill_runs`` wrote through python-pptx's API."""
    for run in runs:
        if run.text == "\n":
            p.add_line_break()
            continue
        r = p.add_run()
        r.text = run.text
        run_properties(r).set("lang", run.lang or LANG)
        if run.note:
            run_properties(r).set("baseline", "30000")
        f = r.font
        if size:
            f.size = Pt(size)
        if run.bold or bold:
            f.bold = True
        if run.italic:
            f.italic = True
        if run.code:
            f.name = MONO
        if colour:
            f.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
        if run.href:
            if run.href.startswith("#"):
                links.append(run_properties(r))
            else:
                r.hyperlink.address = run.href
    if size:
        end_paragraph_properties(p).set("sz", str(int(round(size * 100))))


def _reference_para(p, para, size, before, bullets=False):
    """What ``fill_para`` wrote through python-pptx's API (its runs as ``_reference_runs``)."""
    p.level = min(para.level, 8)
    p.space_before = Pt(before)
    ppr = paragraph_properties(p)
    if para.bullet == "none":
        ppr.set("marL", str(int(round(MARGINS[min(para.level, 8)] * EMU_PER_PT)) if para.hang else 0))
        ppr.set("indent", "0")
        etree.SubElement(ppr, qn("a:buNone"))
    elif para.bullet == "number":
        mar = int(round(left_margin(para, MARGINS, size) * EMU_PER_PT))
        ppr.set("marL", str(mar))
        ppr.set("indent", str(-mar))
        etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod", startAt=str(max(para.number, 1)))
    elif bullets:
        mar = int(round(left_margin(para, MARGINS, size) * EMU_PER_PT))
        ppr.set("marL", str(mar))
        ppr.set("indent", str(-mar))
        etree.SubElement(ppr, qn("a:buFont"), typeface=FONT)
        etree.SubElement(ppr, qn("a:buChar"), char="\u2022")
    _reference_runs(p, para.runs, size)


def _paragraph(prs, end_rpr: bool = False, second: bool = False):
    """A new slide's text box paragraph (with an ``a:endParaRPr`` already, or the text frame's second)."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    tf = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(2)).text_frame
    p = tf.add_paragraph() if second else tf.paragraphs[0]
    if end_rpr:
        end_paragraph_properties(p).set("lang", "fr-FR")
    return slide, p


def _emitter(prs):
    emitter = object.__new__(_Emitter)  # (only what fill_runs and fill_para read)
    emitter.plan = SimpleNamespace(lang=LANG)
    emitter.mono_name, emitter.font_name, emitter.margins, emitter.links = MONO, FONT, MARGINS, []
    return emitter


def _xml(p) -> bytes:
    return etree.tostring(p._p)


@pytest.mark.parametrize("size, bold, colour", [(17.3, False, "#1f4e79"), (None, True, None), (9, False, "#ABCDEF"), (19.4, False, None), (10.2, True, "#000000")])
@pytest.mark.parametrize("end_rpr", [False, True])
def test_runs_are_python_pptxs(size, bold, colour, end_rpr):
    prs = Presentation()
    slide, p = _paragraph(prs, end_rpr)
    ours = _emitter(prs)
    ours.fill_runs(p, RUNS, size, bold=bold, colour=colour, slide=slide)
    ref_slide, ref = _paragraph(prs, end_rpr)
    links: list = []
    _reference_runs(ref, RUNS, size, bold=bold, colour=colour, slide=ref_slide, links=links)
    assert _xml(p) == _xml(ref)
    assert [rel.target_ref for rel in slide.part.rels.values() if rel.is_external] == ["https://example.org/?a=1&b=<2>"]
    assert len(ours.links) == len(links) == 1 and ours.links[0][2] == "s2"


@pytest.mark.parametrize("para", [
    Para([Run("a")]),
    Para([Run("b")], level=2, hang=True),
    Para([Run("c")], level=11),
    Para([Run("d"), Run("e", bold=True)], level=1, bullet="number", number=4),
    Para([Run("f")], level=3, bullet="bullet"),
], ids=["plain", "hanging", "deepest", "numbered", "bulleted"])
@pytest.mark.parametrize("second", [False, True])
def test_paragraphs_are_python_pptxs(para, second):
    prs = Presentation()
    spec = SimpleNamespace(size=lambda _para: 19.4, space_before=lambda _para, first: 0 if first else 7.25)
    _slide, p = _paragraph(prs, second=second)
    _emitter(prs).fill_para(p, para, spec, first=not second, bullets=True)
    _ref_slide, ref = _paragraph(prs, second=second)
    _reference_para(ref, para, 19.4, 0 if not second else 7.25, bullets=True)
    assert _xml(p) == _xml(ref)


@pytest.mark.parametrize("size, colour", [(0.5, None), (5000, None), (12, "#abc"), (12, "not a colour")])
def test_what_python_pptx_refuses_is_refused(size, colour):
    """A size or colour python-pptx's ``Font`` would refuse is refused, not written (themes keep them in range)."""
    prs = Presentation()
    slide, p = _paragraph(prs)
    with pytest.raises(ValueError):
        _emitter(prs).fill_runs(p, [Run("text")], size, colour=colour, slide=slide)


def _reference_tidy(slide) -> None:
    """What ``_tidy`` did through python-pptx's API."""
    for ph in list(slide.placeholders):
        if ph.placeholder_format.element.get("type", "obj") in ("ftr", "sldNum", "dt"):
            continue
        if ph.has_text_frame and not ph.text_frame.text.strip():
            el = ph.element
            el.getparent().remove(el)


def _cluttered(prs):
    """A slide holding every kind of shape ``_tidy`` decides on: placeholders empty, blank, holding text; footers; a picture's; a text box."""
    from reportgen.compat.pptx import shape_tree
    from reportgen.writers.pptx.footers import clone_footers

    slide = prs.slides.add_slide(prs.slide_layouts[8])  # picture with caption: title, picture, body
    clone_footers(slide, "Footer", 3, "1 May", "", {})
    phs = list(slide.placeholders)
    phs[0].text_frame.text = " \t "
    p = phs[2].text_frame.paragraphs[0]
    p.add_line_break()
    p.add_run().text = "\u00a0\u2003"
    etree.SubElement(etree.SubElement(paragraph_element(p), qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum"), qn("a:t")).text = " "
    slide.shapes.add_textbox(Inches(1), Inches(1), Inches(1), Inches(1))  # empty, but not a placeholder: kept
    second = prs.slides.add_slide(prs.slide_layouts[1])
    list(second.placeholders)[1].text_frame.text = "Words"
    bare = second.shapes.title.element
    bare.remove(bare.find(qn("p:txBody")))  # a placeholder with no text body
    return [shape_tree(slide), shape_tree(second)]


def test_empty_placeholders_are_removed_as_python_pptx_finds_them():
    ours, ref = Presentation(), Presentation()
    trees, ref_trees = _cluttered(ours), _cluttered(ref)
    for slide in ours.slides:
        _Emitter._tidy(slide)
    for slide in ref.slides:
        _reference_tidy(slide)
    assert [etree.tostring(t) for t in trees] == [etree.tostring(t) for t in ref_trees]
    assert [len(t) for t in trees] == [2 + 4, 2 + 1]  # (the group's own two) the footers and the text box; the body with words


@pytest.mark.parametrize("lines", [
    ["One line of notes"],
    ["First\nsecond paragraph of the first line\n", "a later line\nwith a break\vand a soft one", "", "control \x00\x07\x1f end"],
    ["", "\n\v", "x"],
], ids=["one", "breaks", "empty"])
def test_plain_notes_are_python_pptxs(lines):
    from reportgen.compat.pptx import SlideAdder
    from reportgen.writers.pptx.emit import plain_notes

    def reference(tf):  # what the writer did through python-pptx's API
        tf.text = lines[0]
        for line in lines[1:]:
            tf.add_paragraph().text = line
        for para in tf.paragraphs:
            for r in para.runs:
                run_properties(r).set("lang", LANG)

    got = []
    for fill in (lambda tf: plain_notes(tf, lines, LANG), reference):
        prs = Presentation()
        adder = SlideAdder(prs)
        tf = adder.notes_slide(adder.add(prs.slide_layouts[1])).notes_text_frame
        tf.text = "what was there before"
        fill(tf)
        got.append(etree.tostring(tf._txBody))
    assert got[0] == got[1]


def _frames(prs):
    """Text frames as ``_text`` finds them: a new slide's placeholders, a text box, one with text, breaks, a field,
    paragraph properties, several paragraphs, and body properties with an autofit between others."""
    from pptx.enum.text import MSO_AUTO_SIZE

    slide = prs.slides.add_slide(prs.slide_layouts[1])
    title, body = list(slide.placeholders)
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(2), Inches(1)).text_frame  # wrap="none", spAutoFit
    full = slide.shapes.add_textbox(Inches(1), Inches(3), Inches(2), Inches(1)).text_frame
    full.text = "one\ntwo\vthree"
    full.paragraphs[0].level = 2
    end_paragraph_properties(full.paragraphs[0]).set("lang", "de-DE")
    etree.SubElement(etree.SubElement(paragraph_element(full.paragraphs[1]), qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum"), qn("a:t")).text = "4"
    props = full._txBody.find(qn("a:bodyPr"))
    full.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    etree.SubElement(props, qn("a:scene3d"))
    etree.SubElement(props, qn("a:extLst"))
    return [title.text_frame, body.text_frame, box, full]


def test_text_frames_are_cleared_as_python_pptx_clears_them():
    from pptx.enum.text import MSO_AUTO_SIZE

    from reportgen.writers.pptx.emit import _cleared

    ours, ref = Presentation(), Presentation()
    got, want = [], []
    for tf in _frames(ours):
        first = _cleared(tf)
        first.add_run().text = "first"
        etree.SubElement(tf._txBody, qn("a:p"))
        got.append(etree.tostring(tf._txBody))
    for tf in _frames(ref):
        tf.clear()
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.paragraphs[0].add_run().text = "first"
        tf.add_paragraph()
        want.append(etree.tostring(tf._txBody))
    assert got == want
