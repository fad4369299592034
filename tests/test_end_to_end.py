"""The summit briefing built for real and read back by real clients."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from reportgen.loader import load

from conftest import SUMMIT, have, soffice_to_pdf

OUTLINE = load(SUMMIT).outline


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def all_parts():
    for s in OUTLINE.sections:
        yield s
        yield from s.subsections


def prose_probe(body: str) -> str:
    """Return a plain-text stretch from the start of ``body`` (before any markup)."""
    first = squash(body.split("\n\n")[0])
    return re.split(r"\[@|\*|`|\[", first)[0].strip()[:50]


@pytest.fixture(scope="module")
def pdf(summit_build):
    from pypdf import PdfReader

    return PdfReader(str(summit_build / "summit.pdf"))


@pytest.fixture(scope="module")
def pdf_text(pdf):
    return squash(" ".join(page.extract_text() for page in pdf.pages))


@pytest.fixture(scope="module")
def deck(summit_build):
    from pptx import Presentation

    return Presentation(str(summit_build / "summit.pptx"))


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return squash(" ".join(parts))


def notes_text(slide) -> str:
    return squash(slide.notes_slide.notes_text_frame.text) if slide.has_notes_slide else ""


# --- PDF ------------------------------------------------------------------


def test_every_title_is_in_the_pdf_text(pdf_text):
    for part in all_parts():
        assert squash(part.title) in pdf_text, part.title
    assert OUTLINE.title in pdf_text and OUTLINE.subtitle.replace("&", "&") in pdf_text


def test_every_title_is_a_bookmark(pdf):
    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield squash(item.title)

    marks = list(titles(pdf.outline))
    for part in all_parts():
        assert any(squash(part.title) in m for m in marks), f"no bookmark for {part.title!r}: {marks}"


def test_pdf_prose_facts_and_sources(pdf_text):
    for part in all_parts():
        assert prose_probe(part.body) in pdf_text
    for needle in ("1,550", "Villa La Grange", "Strategic Stability Dialogue", "SIPRI", "Page 2 of", OUTLINE.classification):
        assert needle in pdf_text, needle
    for src in OUTLINE.sources:
        assert squash(src.title) in pdf_text, src.title


def test_citations_are_resolved_everywhere(pdf_text, deck):
    deck_text = " ".join(slide_text(s) + " " + notes_text(s) for s in deck.slides)
    assert "[@" not in pdf_text and "[@" not in deck_text
    assert "[1]" in deck_text


def test_pdf_metadata(pdf):
    info = pdf.metadata
    assert info.title == OUTLINE.title
    assert info.author == OUTLINE.author
    assert info.subject == OUTLINE.subject
    assert len(pdf.pages) >= 5


@pytest.mark.skipif(not have("pdffonts"), reason="pdffonts not installed")
def test_every_pdf_font_is_embedded(summit_build):
    out = subprocess.run(["pdffonts", str(summit_build / "summit.pdf")], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # columns: name type encoding emb sub uni object ID
        fields = row.split()
        emb = fields[-5]
        assert emb == "yes", row
        assert "TrueType" in row, row


@pytest.mark.skipif(not have("qpdf"), reason="qpdf not installed")
def test_qpdf_check_passes(summit_build):
    proc = subprocess.run(["qpdf", "--check", str(summit_build / "summit.pdf")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- PPTX -----------------------------------------------------------------


def test_deck_is_16_9_with_core_properties(deck):
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    assert deck.core_properties.title == OUTLINE.title
    assert deck.core_properties.author == OUTLINE.author
    assert deck.core_properties.subject == OUTLINE.subject


def test_every_title_is_in_the_deck(deck):
    text = " ".join(slide_text(s) for s in deck.slides)
    for part in all_parts():
        assert squash(part.title) in text, part.title
    for part in all_parts():
        for point in part.points:
            assert squash(point) in text, point


def test_speaker_notes_carry_the_prose(deck):
    notes = " ".join(notes_text(s) for s in deck.slides)
    for part in all_parts():
        assert prose_probe(part.body) in notes, part.title


def test_table_and_chart_are_native(deck):
    tables = [sh for s in deck.slides for sh in s.shapes if getattr(sh, "has_table", False) and sh.has_table]
    charts = [sh for s in deck.slides for sh in s.shapes if getattr(sh, "has_chart", False) and sh.has_chart]
    spec_tables = [p.table for p in all_parts() if p.table]
    spec_charts = [p.chart for p in all_parts() if p.chart]
    assert len(tables) >= len(spec_tables) >= 1
    assert len(charts) == len(spec_charts) >= 1
    t = spec_tables[0]
    cells = [[c.text for c in row.cells] for row in tables[0].table.rows]
    assert cells[0] == list(t.columns)
    assert cells[1:] == [list(r) for r in t.rows]
    chart = charts[0].chart
    spec = spec_charts[0]
    assert list(chart.plots[0].categories) == list(spec.categories)
    got = {s.name: list(s.values) for s in chart.plots[0].series}
    assert got == {s.name: list(s.values) for s in spec.series}


def test_slides_have_numbers_and_classification_in_footer(deck):
    from pptx.enum.shapes import PP_PLACEHOLDER

    slides = list(deck.slides)
    assert slides[-1].shapes.title.text == "Questions and discussion"  # the closing slide: like the title slide, no footer
    for slide in slides[1:-1]:
        kinds = {sh.placeholder_format.type for sh in slide.placeholders}
        assert PP_PLACEHOLDER.SLIDE_NUMBER in kinds
        footer = [sh for sh in slide.placeholders if sh.placeholder_format.type == PP_PLACEHOLDER.FOOTER]
        assert footer and OUTLINE.classification in footer[0].text_frame.text


@pytest.mark.skipif(not have("soffice"), reason="LibreOffice not installed")
def test_libreoffice_converts_the_deck(summit_build, deck, tmp_path):
    from pypdf import PdfReader

    pdf = soffice_to_pdf(str(summit_build / "summit.pptx"), str(tmp_path))
    assert len(PdfReader(pdf).pages) == len(deck.slides)


def test_build_output_names(summit_build):
    assert sorted(p for p in os.listdir(summit_build) if not p.startswith(".")) == ["reportgen-manifest.json", "summit.pdf", "summit.pptx"]
