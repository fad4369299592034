"""The deck writer scales linearly with speaker notes (issue 7).

python-pptx names each new notes slide (and chart, and chart workbook) with
``OpcPackage.next_partname``, which walks every part of the package: a deck of
n noted slides would cost O(n²). The writer installs ``PartNames`` on its
package so the walk happens once per kind of part. These tests count package
walks, never time: they fail if the per-slide walk comes back. (The helpers
themselves live in ``reportgen/compat/pptx.py``; ``tests/compat/test_pptx.py``
checks each against python-pptx's own answers.)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402
from pptx.opc.package import OpcPackage  # noqa: E402

from reportgen.doctree import Deck, ListBlock, ListItem, Meta, Paragraph, Slide, Text  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx import PptxWriter  # noqa: E402

PACK = Path(__file__).resolve().parents[3] / "reportgen" / "packs" / "briefing"


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
