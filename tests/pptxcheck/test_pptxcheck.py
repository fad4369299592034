"""The deck checker (``reportgen/pptxcheck``): reportgen's decks pass it, and it catches each thing PowerPoint's checker reports.

PowerPoint's Accessibility Checker runs only inside PowerPoint; this checker
is how CI holds every deck to its rules, so it is tested both ways: the
summit, the feature fixture, the stress deck and a Markdown outline pass it
with no finding at all; and a good deck broken on purpose, one way per test,
is caught, with the rule and the slide.
"""

from __future__ import annotations

import copy
import io
import os

import pytest

pytest.importorskip("pptx")

from lxml import etree  # noqa: E402
from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import MSO_SHAPE  # noqa: E402

from reportgen.build import Options, build  # noqa: E402
from reportgen.pptxcheck import check  # noqa: E402
from reportgen.pptxcheck.shapes import DECORATIVE_URI  # noqa: E402

from conftest import FIXTURES, SUMMIT, TEMPLATES  # noqa: E402

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
OUTLINES = {
    "summit": SUMMIT,
    "features": os.path.join(FIXTURES, "features", "features.yaml"),
    "stress": os.path.join(FIXTURES, "deck", "stress.yaml"),
    "water": os.path.join(FIXTURES, "markdown", "water.md"),
}


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, bytes]:
    """The summit, the feature fixture, the stress deck and a Markdown outline's deck."""
    out = {}
    folder = tmp_path_factory.mktemp("decks")
    build(list(OUTLINES.values()), Options(out_dir=str(folder), templates_dir=TEMPLATES, formats=("pptx",), jobs=1))
    for name in OUTLINES:
        out[name] = (folder / f"{name}.pptx").read_bytes()
    return out


@pytest.mark.parametrize("name", ["summit", "features", "stress", "water"])
def test_reportgens_decks_pass(decks, name):
    assert [str(f) for f in check(decks[name])] == []


def test_the_decks_hold_what_makes_them_worth_checking(decks):
    """Charts, tables (one on several slides), pictures, footers and speaker notes: each rule has something to read."""
    kinds = {}
    for data in decks.values():
        for slide in Presentation(io.BytesIO(data)).slides:
            for sh in slide.shapes:
                kind = "chart" if sh.has_chart else "table" if sh.has_table else sh.shape_type
                kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds["chart"] >= 8 and kinds["table"] >= 8 and kinds[13] >= 3  # 13: MSO_SHAPE_TYPE.PICTURE


# --- the checker catches what it is for: a good deck broken one way at a time --------------------------


def broken(data: bytes, change) -> bytes:
    """``data`` with ``change(prs)`` made to it (a python-pptx presentation), saved again."""
    prs = Presentation(io.BytesIO(data))
    change(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def found(data: bytes) -> list[tuple[str, int]]:
    return [(f.rule, f.slide) for f in check(data)]


def slide_with(prs, test) -> tuple[int, object]:
    """(number, slide) of the first slide holding a shape ``test`` accepts."""
    return next((n, s) for n, s in enumerate(prs.slides, 1) if any(test(sh) for sh in s.shapes))


def c_nv_pr(shape):
    return shape.element.find(f"./*/{P}cNvPr")


def retitle(title, text: str) -> None:
    """Set ``title``'s text to ``text``, in English (a run python-pptx makes has no language)."""
    title.text_frame.text = text
    for r in title.element.iter(f"{A}r"):
        r.get_or_add_rPr().set("lang", "en")


@pytest.mark.parametrize("what", ["chart", "table", "picture"])
def test_a_missing_text_alternative_is_an_error(decks, what):
    test = {"chart": lambda sh: sh.has_chart, "table": lambda sh: sh.has_table, "picture": lambda sh: sh.shape_type == 13}[what]
    where = []

    def strip(prs):
        n, slide = slide_with(prs, test)
        where.append(n)
        del c_nv_pr(next(sh for sh in slide.shapes if test(sh))).attrib["descr"]

    findings = check(broken(decks["features"], strip))
    assert [(f.rule, f.slide, f.level) for f in findings] == [("alt-text", where[0], "error")]
    assert what in findings[0].message and "Missing alternative text" in str(findings[0])


def test_a_shape_showing_no_text_needs_one_and_a_decorative_mark_is_enough(decks):
    where = []

    def add(prs, decorative):
        slide = prs.slides[1]
        where.append(2)
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, 100000, 100000)
        if decorative:
            mark(c_nv_pr(shape))

    assert found(broken(decks["summit"], lambda prs: add(prs, False))) == [("alt-text", 2), ("reading-order", 2)]  # (added after the footers)
    assert found(broken(decks["summit"], lambda prs: add(prs, True))) == [("reading-order", 2)]


def mark(c_nv_pr) -> None:
    """Mark the shape of ``c_nv_pr`` decorative, as PowerPoint does."""
    ext_lst = etree.SubElement(c_nv_pr, f"{A}extLst")
    ext = etree.SubElement(ext_lst, f"{A}ext", uri=DECORATIVE_URI)
    etree.SubElement(ext, "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative",
                     nsmap={"adec": "http://schemas.microsoft.com/office/drawing/2017/decorative"}, val="1")


def test_a_picture_marked_decorative_needs_no_text_alternative_and_the_file_stays_valid(decks, tmp_path):
    def decorate(prs):
        _n, slide = slide_with(prs, lambda sh: sh.shape_type == 13)
        pic = c_nv_pr(next(sh for sh in slide.shapes if sh.shape_type == 13))
        del pic.attrib["descr"]
        mark(pic)

    data = broken(decks["features"], decorate)
    assert found(data) == []
    audit = pytest.importorskip("openxml_audit")
    (tmp_path / "decorative.pptx").write_bytes(data)
    assert [e.description for e in audit.validate_pptx(str(tmp_path / "decorative.pptx")).errors] == []


def test_a_table_without_its_header_row_is_an_error(decks):
    where = []

    def unmark(prs):
        n, slide = slide_with(prs, lambda sh: sh.has_table)
        where.append(n)
        tbl = next(sh for sh in slide.shapes if sh.has_table).element.find(f".//{A}tblPr")
        del tbl.attrib["firstRow"]

    assert found(broken(decks["stress"], unmark)) == [("table-header", where[0])]


@pytest.mark.parametrize("how", ["removed", "emptied"])
def test_a_slide_without_a_title_is_an_error(decks, how):
    def untitle(prs):
        title = prs.slides[2].shapes.title
        if how == "removed":
            title.element.getparent().remove(title.element)
        else:
            retitle(title, " ")

    assert found(broken(decks["summit"], untitle)) == [("slide-title", 3)]


def test_a_title_not_read_first_or_a_footer_read_before_content_is_a_warning(decks):
    def title_last(prs):
        el = prs.slides[3].shapes.title.element
        el.getparent().append(el)

    def footer_first(prs):
        tree = prs.slides[4].shapes.title.element.getparent()
        footer = next(el for el in tree.iter(f"{P}sp") if el.find(f"./*/{P}nvPr/{P}ph[@type='ftr']") is not None)
        tree.find(f"{P}grpSpPr").addnext(copy.deepcopy(footer))
        tree.remove(footer)

    findings = check(broken(decks["summit"], title_last))
    assert [(f.rule, f.slide, f.level) for f in findings] == [("reading-order", 4, "warning"), ("reading-order", 4, "warning")]  # and the footers
    assert "is not read first" in findings[0].message
    findings = check(broken(decks["summit"], footer_first))
    assert [(f.rule, f.slide) for f in findings] == [("reading-order", 5), ("reading-order", 5)]  # before the title, and before content
    assert "the footer 'Footer Placeholder' is read before" in findings[1].message


def test_a_duplicate_title_is_a_warning(decks):
    def same(prs):
        retitle(prs.slides[3].shapes.title, prs.slides[1].shapes.title.text_frame.text.upper() + "  ")

    findings = check(broken(decks["summit"], same))
    assert [(f.rule, f.slide, f.level) for f in findings] == [("duplicate-title", 4, "warning")]
    assert "slide 2's too" in findings[0].message


@pytest.mark.parametrize("part", ["slide", "notes"])
def test_a_text_run_without_a_language_is_a_warning(decks, part):
    def unlang(prs):
        slide = prs.slides[1]
        root = slide.notes_slide.element if part == "notes" else slide.element
        run = next(r for r in root.iter(f"{A}r") if r.find(f"{A}rPr") is not None and r.find(f"{A}rPr").get("lang"))
        del run.find(f"{A}rPr").attrib["lang"]

    findings = check(broken(decks["summit"], unlang))
    assert [(f.rule, f.slide) for f in findings] == [("text-lang", 2)]
    assert ("speaker notes: " in findings[0].message) == (part == "notes")
