"""The PDF checker (``reportgen/pdfcheck``): reportgen's documents pass it, and it catches each kind of breakage.

The checker is how CI holds the PDFs to PDF/UA-1 (and PDF/A) where veraPDF
cannot be installed, so it is tested both ways: the bundled summit, the
feature fixture (long tables, landscape pages, charts, figures, links) and
a Markdown outline (footnotes) pass it; and a good file broken on purpose,
one way per test, is caught, each with its clause.
"""

from __future__ import annotations

import io
import os

import pytest

pikepdf = pytest.importorskip("pikepdf")

from pikepdf import Name  # noqa: E402

from reportgen.build import Options, build  # noqa: E402
from reportgen.pdfcheck import check  # noqa: E402
from reportgen.pdfcheck.dump import dump  # noqa: E402

from conftest import FIXTURES, TEMPLATES  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory, summit_build) -> dict[str, bytes]:
    """The summit (ua-1), the feature fixture (ua-1 and a-2b) and a Markdown outline with a footnote (ua-1)."""
    out = {"summit": (summit_build / "summit.pdf").read_bytes()}
    for name, path, standard in (("features", os.path.join(FIXTURES, "features", "features.yaml"), "ua-1"),
                                 ("features-a2b", os.path.join(FIXTURES, "features", "features.yaml"), "a-2b"),
                                 ("markdown", os.path.join(FIXTURES, "markdown", "briefing.md"), "ua-1")):
        folder = tmp_path_factory.mktemp(name)
        build([path], Options(out_dir=str(folder), templates_dir=TEMPLATES, formats=("pdf",), jobs=1, pdf_standard=standard))
        out[name] = (folder / (os.path.splitext(os.path.basename(path))[0] + ".pdf")).read_bytes()
    return out


@pytest.mark.parametrize("name, standard", [("summit", "ua-1"), ("features", "ua-1"), ("features-a2b", "a-2b"), ("markdown", "ua-1")])
def test_reportgens_documents_pass(built, name, standard):
    assert [str(f) for f in check(built[name], standard)] == []


def test_the_documents_hold_what_makes_them_worth_checking(built):
    features, markdown = dump(built["features"]), dump(built["markdown"])
    assert "Figure Alt=" in features and features.count("TH Scope=Column") == 14 and "BlockQuote" in features  # 5 + 9 columns
    assert 'Note ID="fn-1"' in markdown and "Lang=en-GB" in markdown
    with pikepdf.open(io.BytesIO(built["features"])) as pdf:
        sizes = {tuple(float(x) for x in p.mediabox[2:]) for p in pdf.pages}
    assert len(sizes) == 2  # portrait and landscape pages


# --- the checker catches what it is for: a good file broken one way at a time --------------------------


def broken(data: bytes, change) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def elements(pdf, role: str) -> list:
    found = []

    def walk(e):
        if isinstance(e, pikepdf.Dictionary) and "/S" in e:
            if e.S == Name("/" + role):
                found.append(e)
            k = e.get("/K")
            for x in list(k) if isinstance(k, pikepdf.Array) else [k]:
                walk(x)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def untag_first_sequence(pdf):
    ops = pikepdf.parse_content_stream(pdf.pages[2])
    i = next(i for i, x in enumerate(ops) if str(x.operator) == "BDC" and "/MCID" in x.operands[1])
    j = next(j for j in range(i, len(ops)) if str(ops[j].operator) == "EMC")
    del ops[j]
    del ops[i]
    pdf.pages[2].obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def set_xmp(pdf, old: str, new: str):
    pdf.Root.Metadata = pdf.make_stream(pdf.Root.Metadata.read_bytes().replace(old.encode(), new.encode()))


def skip_heading_level(pdf):
    elements(pdf, "H2")[0].S = Name.H3


def drop_first_figure_alt(pdf):
    del elements(pdf, "Figure")[0].Alt


def drop_first_scope(pdf):
    del elements(pdf, "TH")[0].A


def link_in_span(pdf):
    elements(pdf, "Link")[0].S = Name.Span


def unmark(pdf):
    pdf.Root.MarkInfo.Marked = False


def drop_tabs(pdf):
    del pdf.pages[2].obj.Tabs


def drop_note_id(pdf):
    del elements(pdf, "Note")[0].ID


def unembed_a_font(pdf):
    for font in pdf.pages[0].Resources.Font.values():
        if "/FontDescriptor" in font:
            del font.FontDescriptor.FontFile2
            return


def zero_a_tounicode_entry(pdf):
    for font in pdf.pages[2].Resources.Font.values():
        cmap = font.get("/ToUnicode")
        if cmap is not None:
            text = cmap.read_bytes()
            cmap.write(text.replace(b"<41> <0041>", b"<41> <0000>"))


def orphan_an_mcid(pdf):
    p = elements(pdf, "P")[3]
    k = p.K
    p.K = pikepdf.Array([x for x in (list(k) if isinstance(k, pikepdf.Array) else [k]) if not isinstance(x, int)])


def a_row_short(pdf):
    td = elements(pdf, "TD")[0]
    row = td.P
    row.K = pikepdf.Array(list(row.K)[1:])


BREAKAGES = [
    (lambda pdf: untag_first_sequence(pdf), "UA 7.1 [MH 01] page 3: content neither an artifact nor tagged"),
    (lambda pdf: set_xmp(pdf, "<pdfuaid:part>1</pdfuaid:part>", ""), "UA 5 [MH 06] XMP: no pdfuaid:part 1"),
    (lambda pdf: pdf.Root.__delattr__("Metadata"), "UA 5 [MH 06] catalog: no XMP metadata stream"),
    (lambda pdf: pdf.Root.__delattr__("Lang"), "UA 7.2 [MH 11] catalog: no /Lang"),
    (lambda pdf: pdf.Root.__setattr__("Lang", pikepdf.String("english")), "UA 7.2 [MH 11] catalog: /Lang 'english' is not a language tag (BCP 47)"),
    (lambda pdf: elements(pdf, "P")[3].__setattr__("Lang", pikepdf.String("ru_RU")), "/P: /Lang 'ru_RU' is not a language tag (BCP 47)"),
    (lambda pdf: pdf.Root.ViewerPreferences.__setattr__("DisplayDocTitle", False), "UA 7.1 [MH 07] catalog: ViewerPreferences /DisplayDocTitle"),
    (unmark, "UA 7.1 [MH 01] catalog: MarkInfo /Marked is not true"),
    (skip_heading_level, "UA 7.4.2 [MH 14] headings: H1 followed by H3: a level skipped"),
    (drop_first_figure_alt, "UA 7.3 [MH 13]"),
    (drop_first_scope, "a TH without Scope"),
    (link_in_span, "annotation /Link: a Link annotation inside Span, not Link"),
    (drop_tabs, "UA 7.18.3 [MH 28] page 3: a page with annotations has no /Tabs /S"),
    (unembed_a_font, "UA 7.21.4.1 [MH 31] page 1: font"),
    (zero_a_tounicode_entry, "UA 7.21.7 [MH 31] page 3: font"),
    (orphan_an_mcid, "in the content are in no structure element"),
    (a_row_short, "an irregular table"),
]


@pytest.mark.parametrize("change, expected", BREAKAGES, ids=[b[1].split(":")[-1][:40].strip() or b[1][:30] for b in BREAKAGES])
def test_each_breakage_is_caught(built, change, expected):
    found = [str(f) for f in check(broken(built["features"], change))]
    assert any(expected in f for f in found), found


def test_a_note_without_its_id_is_caught(built):
    found = [str(f) for f in check(broken(built["markdown"], drop_note_id))]
    assert any("UA 7.9 [MH 19]" in f and "a Note without /ID" in f for f in found), found


PDFA_BREAKAGES = [
    (lambda pdf: pdf.Root.__delattr__("OutputIntents"), "6.2.3"),
    (lambda pdf: [a.__setattr__("F", 0) for a in pdf.pages[2].obj.Annots], "an annotation not printed"),
    (lambda pdf: pdf.docinfo.__setitem__("/Title", "Another title"), "the information dictionary's /Title has no equal XMP property"),
    (lambda pdf: set_xmp(pdf, "<pdfaid:part>2</pdfaid:part>", "<pdfaid:part>3</pdfaid:part>"), "no pdfaid:part 2 with conformance B"),
]


@pytest.mark.parametrize("change, expected", PDFA_BREAKAGES, ids=["output-intent", "print-flag", "info-xmp", "claim"])
def test_each_pdfa_breakage_is_caught(built, change, expected):
    found = [str(f) for f in check(broken(built["features-a2b"], change), "a-2b")]
    assert any(expected in f for f in found), found


def test_a_stream_without_an_end_of_line_before_endstream_is_caught(built):
    """ReportLab's own trap (a byte-level condition pikepdf's validator, reading through qpdf, does not see)."""
    data = built["features-a2b"]
    i = data.index(b"\nendstream")
    found = [str(f) for f in check(data[:i] + b" endstream" + data[i + len(b"\nendstream"):], "a-2b")]
    assert any("6.1.7.1" in f and "no end of line between the stream's data and endstream" in f for f in found), found


def test_an_untagged_file_fails_everywhere(tmp_path):
    folder = tmp_path / "none"
    build([os.path.join(FIXTURES, "minimal.yaml")], Options(out_dir=str(folder), templates_dir=TEMPLATES, formats=("pdf",), jobs=1, pdf_standard="none"))
    found = [str(f) for f in check(folder / "minimal.pdf")]
    for expected in ("MarkInfo /Marked is not true", "no StructTreeRoot", "no XMP metadata stream", "content neither an artifact nor tagged"):
        assert any(expected in f for f in found), expected
    assert dump(folder / "minimal.pdf") == "(no structure tree)\n"
    with pytest.raises(ValueError, match="unknown standard"):
        check(folder / "minimal.pdf", "none")
