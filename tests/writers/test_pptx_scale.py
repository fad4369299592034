"""The deck writer scales linearly with speaker notes (issue 7).

python-pptx names each new notes slide (and chart, and chart workbook) with
``OpcPackage.next_partname``, which walks every part of the package: a deck of
n noted slides would cost O(n²). The writer installs ``PartNames`` on its
package so the walk happens once per kind of part. These tests count package
walks, never time: they fail if the per-slide walk comes back.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402
from pptx.opc.package import OpcPackage  # noqa: E402

from reportgen.doctree import Deck, ListBlock, ListItem, Meta, Paragraph, Slide, Text  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx import PptxWriter  # noqa: E402
from reportgen.writers.pptx_scale import PartNames  # noqa: E402

PACK = Path(__file__).resolve().parents[2] / "templates" / "briefing"


def _deck(n: int) -> Deck:
    meta = Meta(title="Scale", subtitle="", author="", date="2021-06-16", date_text="16 June 2021", classification="UNCLASSIFIED")
    slides = [
        Slide(
            "Title and Content",
            [Text(f"Section {i}")],
            body=[ListBlock([ListItem([Paragraph([Text(f"Point {i}")])])])],
            notes=[Paragraph([Text(f"Speaker notes for slide {i}.")])],
            kind="content",
        )
        for i in range(n)
    ]
    return Deck(meta, slides)


def _walks(monkeypatch, n: int, tmp_path: Path) -> int:
    """Render a deck of ``n`` noted slides; return how many times the package's parts were walked."""
    calls = {"n": 0}
    real = OpcPackage.iter_parts

    def counting(self):
        calls["n"] += 1
        return real(self)

    monkeypatch.setattr(OpcPackage, "iter_parts", counting)
    out = tmp_path / f"deck{n}.pptx"
    PptxWriter().write(_deck(n), load_theme(str(PACK)), str(out))
    monkeypatch.undo()
    with zipfile.ZipFile(out) as z:
        notes = [x for x in z.namelist() if x.startswith("ppt/notesSlides/notesSlide")]
    assert len(notes) == n
    return calls["n"]


def test_notes_slides_do_not_walk_the_package_each(monkeypatch, tmp_path):
    few, many = _walks(monkeypatch, 5, tmp_path), _walks(monkeypatch, 40, tmp_path)
    assert many == few, f"package walks grew with the notes slides: {few} for 5 slides, {many} for 40"


def test_part_names_match_python_pptx(tmp_path):
    """The names handed out are exactly the ones python-pptx's own search would give."""
    prs = Presentation()
    names = PartNames.install(prs)
    layout = prs.slide_layouts[1]
    got = []
    for _ in range(6):
        slide = prs.slides.add_slide(layout)
        slide.notes_slide.notes_text_frame.text = "x"
        got.append(str(slide.notes_slide.part.partname))
    assert got == [f"/ppt/notesSlides/notesSlide{i}.xml" for i in range(1, 7)]
    expected = OpcPackage.next_partname(prs.part.package, "/ppt/notesSlides/notesSlide%d.xml")
    assert names("/ppt/notesSlides/notesSlide%d.xml") == expected


def test_slide_ids_and_part_names_are_counted_not_searched(monkeypatch, tmp_path):
    """Each new slide's id is not found by an XPath over every slide (python-pptx's ``_next_id``),
    nor its part name by counting the slide list (``_next_slide_partname``)."""
    from pptx.oxml.presentation import CT_SlideIdList
    from pptx.parts.presentation import PresentationPart

    calls = {"n": 0}

    def counting(real):
        def prop(self):
            calls["n"] += 1
            return real.fget(self)

        return property(prop)

    monkeypatch.setattr(CT_SlideIdList, "_next_id", counting(CT_SlideIdList._next_id))
    monkeypatch.setattr(PresentationPart, "_next_slide_partname", counting(PresentationPart._next_slide_partname))
    out = tmp_path / "ids.pptx"
    PptxWriter().write(_deck(12), load_theme(str(PACK)), str(out))
    monkeypatch.undo()
    assert calls["n"] == 0
    prs = Presentation(str(out))
    assert [s.slide_id for s in prs.slides] == list(range(256, 256 + 12))  # as python-pptx numbers them
    assert [str(s.part.partname) for s in prs.slides] == [f"/ppt/slides/slide{i}.xml" for i in range(1, 13)]


def test_compiled_placeholder_lookup_matches_python_pptx(tmp_path):
    """Every shape of a written deck, its layouts and master: the same ``ph`` as the library's XPath."""
    from pptx.oxml.shapes.shared import BaseShapeElement

    out = tmp_path / "deck.pptx"
    PptxWriter().write(_deck(3), load_theme(str(PACK)), str(out))
    assert BaseShapeElement.ph.fget.__module__ == "reportgen.writers.pptx_scale"  # installed by the writer
    prs = Presentation(str(out))
    trees = [s.shapes._spTree for s in prs.slides] + [lay.shapes._spTree for lay in prs.slide_layouts]
    trees += [prs.slide_master.shapes._spTree] + [s.notes_slide.shapes._spTree for s in prs.slides]
    checked = placeholders = 0
    for tree in trees:
        for elm in tree.iter():
            if isinstance(elm, BaseShapeElement):
                library = elm.xpath("./*[1]/p:nvPr/p:ph")  # BaseShapeElement.ph as python-pptx defines it
                assert elm.ph is (library[0] if library else None)
                checked += 1
                placeholders += bool(library)
    assert checked > 20 and 0 < placeholders < checked


def _zip(stamp, comment: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", b"<Types/>" * 50), ("ppt/slides/slide1.xml", b"<p:sld/>" * 80)):
            z.writestr(zipfile.ZipInfo(name, date_time=stamp), data, compress_type=zipfile.ZIP_DEFLATED)
        z.comment = comment
    return buf.getvalue()


def test_zip_stamps_are_fixed_in_place():
    """The saved deck's zip stamps are overwritten, not re-deflated: the same bytes as a zip written with them."""
    from reportgen.writers.pptx_master import FIXED_TIME, _fixed_times

    fixed = _fixed_times(_zip((2026, 11, 25, 13, 37, 58)))
    assert fixed == _zip(FIXED_TIME)
    with zipfile.ZipFile(io.BytesIO(fixed)) as z:
        assert z.testzip() is None and {i.date_time for i in z.infolist()} == {FIXED_TIME}
    # a zip it cannot patch plainly (here: one with a comment) is rewritten whole, still with the fixed stamps
    with zipfile.ZipFile(io.BytesIO(_fixed_times(_zip((2026, 1, 2, 3, 4, 6), b"note")))) as z:
        assert {i.date_time for i in z.infolist()} == {FIXED_TIME}


def _regroupings(monkeypatch, n: int, tmp_path: Path) -> int:
    """Render ``n`` noted slides; return how often a part with 20+ relationships had them all gone through.

    (Only the presentation part has that many: one per slide. A slide's own few are gone
    through as python-pptx does, a constant amount per slide.)
    """
    from pptx.opc.package import _Relationships

    calls = {"n": 0}
    real = _Relationships.values

    def counting(self):
        calls["n"] += len(self) >= 20
        return real(self)

    monkeypatch.setattr(_Relationships, "values", counting)
    PptxWriter().write(_deck(n), load_theme(str(PACK)), str(tmp_path / f"rels{n}.pptx"))
    monkeypatch.undo()
    return calls["n"]


def test_adding_slides_does_not_go_through_every_relationship(monkeypatch, tmp_path):
    """python-pptx regroups a part's relationships on each add and lookup (O(n²) over a deck): not here."""
    many = _regroupings(monkeypatch, 40, tmp_path)
    assert many <= 1, f"the presentation's relationships were gone through {many} times for 40 slides (once, to index them)"


def test_relationship_index_gives_python_pptx_answers():
    """Same rIds as python-pptx for adds, re-adds (get_or_add), and adds after gaps were made."""
    from pptx.opc.package import _Relationships

    from reportgen.writers.pptx_scale import index_relationships

    slide_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"
    plain, indexed = Presentation(), Presentation()
    index_relationships(indexed.part)
    assert type(indexed.part._rels) is not _Relationships
    for prs in (plain, indexed):
        rels, layout = prs.part.rels, prs.slide_layouts[1]
        slides = [prs.slides.add_slide(layout) for _ in range(6)]
        for s in (slides[1], slides[3], slides[4]):  # three gaps, as dropping a master's sample slides leaves
            rels.pop(rels.get_or_add(slide_rel, s.part))
        added = [prs.slides.add_slide(layout) for _ in range(4)]
        again = rels.get_or_add(slide_rel, slides[2].part)
        prs.rg_result = (
            sorted(rels.keys()),
            again,
            [rels.get_or_add(slide_rel, s.part) for s in added],
            [r.rId for r in rels._rels_by_reltype[slide_rel]],
        )
    assert plain.rg_result == indexed.rg_result
