"""Tests of the PDF writer as a whole (``reportgen.writers.pdf``): a hand-built Report, rendered, then read back with pypdf."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.doctree import Chart, Cite, Link, Meta, Paragraph, Report, Section, Series, Text, Toc  # noqa: E402
from reportgen.errors import InputError  # noqa: E402

from pdf_sample import body_text, inlines, norm, par, PARAGRAPHS, sample_report, SECTION_TITLES  # noqa: E402
from pdf_sample import built, theme  # noqa: E402,F401  (fixtures)


def test_interface():
    from reportgen.writers import get_writer

    w = get_writer("pdf")
    assert (w.name, w.suffix, w.tree) == ("pdf", ".pdf", "report")


def test_headings_and_paragraphs_are_in_the_text(built):
    _, warnings, reader = built
    text = body_text(reader)
    for title in SECTION_TITLES:
        assert norm(title) in text, title
    for para in PARAGRAPHS:
        assert norm(para) in text, para
    assert "Table 1: Illustrative inventory by category" in text
    assert "Figure 1: Deployed warheads by country" in text
    assert "Figure 5: The venue, schematically" in text
    assert "Source: Illustrative figures" in text
    assert "Key takeaways" in text  # default callout title
    assert "— Joint statement, Geneva" in text
    assert warnings == []


def test_markup_in_user_text_prints_verbatim(built):
    _, _, reader = built
    assert "<b>not bold</b> & <i>x</i> > y" in body_text(reader)


def test_qpdf_check(built):
    out, _, _ = built
    if not shutil.which("qpdf"):
        pytest.skip("qpdf not installed")
    res = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_output_is_deterministic(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    PdfWriter().write(sample_report(tmp_path), theme, str(a))
    PdfWriter().write(sample_report(tmp_path), theme, str(b))
    assert a.read_bytes() == b.read_bytes()


def test_warnings_for_missing_glyphs_and_dangling_citations(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    # U+4E2D (CJK) is in no font of the pack; the snowman U+2603 is in the fallback (DejaVu Sans).
    doc = Report(Meta(title="W"), [Section(inlines("One"), [Paragraph([Text("Han \u4e2d and snowman \u2603 here "), Cite(7)])], number="1", id="one")])
    warnings = [str(w) for w in PdfWriter().write(doc, theme, str(tmp_path / "w.pdf"))]
    assert any("U+4E2D" in w for w in warnings), warnings
    assert not any("U+2603" in w for w in warnings), warnings
    assert any("[7]" in w for w in warnings), warnings
    assert "\u2603" in pypdf.PdfReader(str(tmp_path / "w.pdf")).pages[0].extract_text()


def test_minimal_report_without_cover_or_toc(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    out = tmp_path / "m.pdf"
    assert PdfWriter().write(Report(Meta(title="Minimal"), [par("Just one paragraph.")]), theme, str(out)) == []
    reader = pypdf.PdfReader(str(out))
    assert len(reader.pages) == 1
    assert "Just one paragraph." in reader.pages[0].extract_text()


def test_layout_error_becomes_input_error_naming_the_section(theme, tmp_path, monkeypatch):
    from reportlab.graphics.shapes import Drawing, Rect

    from reportgen.writers import pdf

    def giant(*args, **kwargs):
        d = Drawing(100, 5000)
        d.add(Rect(0, 0, 100, 5000))
        return d

    monkeypatch.setattr(pdf, "chart_drawing", giant)
    doc = Report(
        Meta(title="Err"),
        [Section(inlines("Oversized Things"), [par("Intro."), Chart("bar", "Big", ["a"], [Series("s", [1])])], number="4", id="big")],
    )
    with pytest.raises(InputError, match="Oversized Things"):
        pdf.PdfWriter().write(doc, theme, str(tmp_path / "e.pdf"))


def test_bad_internal_link_and_empty_toc_warn_instead_of_failing(theme, tmp_path):
    from reportgen.writers.pdf import PdfWriter

    doc = Report(Meta(title="Links"), [Toc(), Paragraph([Link("#nowhere", [Text("dangling")]), Text(" "), Link("#contents", [Text("ok")])])])
    warnings = [str(w) for w in PdfWriter().write(doc, theme, str(tmp_path / "l.pdf"))]
    assert any("#nowhere" in w for w in warnings), warnings
    assert any("table of contents" in w for w in warnings), warnings
    assert "dangling" in pypdf.PdfReader(str(tmp_path / "l.pdf")).pages[0].extract_text()


def test_a_write_leaves_reportlab_as_it_was(theme, tmp_path):
    """No setting changed, no class or function patched: whatever a write changes is its own objects'."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable, Frame, KeepTogether, ListFlowable, Paragraph, Table
    from reportlab.platypus.doctemplate import BaseDocTemplate
    from reportlab.platypus.tableofcontents import TableOfContents

    from reportgen.writers.pdf import PdfWriter

    classes = (Canvas, Paragraph, Table, TableOfContents, BaseDocTemplate, Frame, Flowable, KeepTogether, ListFlowable, pdfdoc.PDFDocument, pdfdoc.PDFCatalog, pdfdoc.Destination)
    settings = dict(vars(rl_config))
    members = [dict(vars(c)) for c in classes]
    PdfWriter().write(sample_report(tmp_path), theme, str(tmp_path / "g.pdf"))
    assert dict(vars(rl_config)) == settings
    for cls, before in zip(classes, members, strict=True):
        after = vars(cls)
        changed = [name for name, value in before.items() if after.get(name) is not value]
        assert not changed, f"{cls.__name__}: {changed}"  # (ReportLab may add lazy attributes of its own)


def test_the_logo_and_figures_are_decoded_once_per_process_and_written_as_before(theme, tmp_path, monkeypatch):
    """A process writing the same report again (a batch, ``watch``'s rounds) takes its images' objects as made the
    first time (``writers.pdf.page.IMAGES``): no image is decoded again, and the file is the one ReportLab's own
    ``drawImage`` writes."""
    from reportlab.lib.utils import ImageReader

    from reportgen.compat import reportlab as compat
    from reportgen.kept import Kept
    from reportgen.writers.pdf import PdfWriter
    import reportgen.writers.pdf.page as page

    kept = Kept(32, max_bytes=64 << 20, weigh=compat.image_weight)
    monkeypatch.setattr(page, "IMAGES", kept)  # (this test's own, empty)
    reads = []
    decode = ImageReader.getRGBData
    monkeypatch.setattr(ImageReader, "getRGBData", lambda self: reads.append(1) or decode(self))
    doc = sample_report(tmp_path)
    files = []
    for i in range(2):
        PdfWriter().write(doc, theme, str(tmp_path / f"kept{i}.pdf"))
        files.append((tmp_path / f"kept{i}.pdf").read_bytes())
        if i == 0:
            first = len(reads)
    assert first >= 2 and len(reads) == first  # the logo and the figure, decoded by the first write only
    assert len(kept) == 2
    monkeypatch.setattr(page, "draw_image_kept", lambda *a, **k: None)  # every image drawn by ReportLab's drawImage
    PdfWriter().write(doc, theme, str(tmp_path / "drawn.pdf"))
    assert files[0] == files[1] == (tmp_path / "drawn.pdf").read_bytes()
