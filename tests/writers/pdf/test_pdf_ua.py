"""The tagged PDF (``writers/pdf/ua.py``, ``objfile``, ``ua_page``, ``ua_scan``, ``ua_content``, ``ua_meta``): each standard's file, read back by other tools.

The sample report is written once per standard; each file is read back
by reportgen's checker, pikepdf's PDF/A validator, qpdf, poppler and pypdf
(each test is skipped when its tool is missing). What tagging must never
change is checked against the untagged file (``none``): the pages drawn,
the words extracted.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess

import pytest

pikepdf = pytest.importorskip("pikepdf")
pytest.importorskip("reportlab")

from pikepdf import Name, Operator  # noqa: E402

from reportgen.pdfcheck import check  # noqa: E402
from reportgen.pdfcheck.pdfa import stream_ends  # noqa: E402
from reportgen.writers.pdf import PdfWriter  # noqa: E402
from reportgen.writers.pdf.tags import Tree  # noqa: E402
from reportgen.writers.pdf.ua_content import rewrite  # noqa: E402
from reportgen.writers.pdf.ua_page import mark_page  # noqa: E402
from reportgen.writers.pdf.ua_marks import PageContent  # noqa: E402
from reportgen.writers.pdf.ua_meta import drop_unmapped, srgb_profile, xmp_date, xmp_packet  # noqa: E402
from reportgen.writers.pdf.ua_scan import rewrite_bytes  # noqa: E402

from pdf_sample import sample_report  # noqa: E402
from pdf_sample import theme  # noqa: E402,F401  (fixture)

STANDARDS = ("ua-1", "a-2b", "a-3b", "none")


@pytest.fixture(scope="module")
def written(theme, tmp_path_factory) -> dict[str, bytes]:
    """The sample report written once per standard: standard -> its bytes."""
    out = {}
    folder = tmp_path_factory.mktemp("standards")
    for standard in STANDARDS:
        writer = PdfWriter()
        writer.standard = standard
        path = folder / f"{standard}.pdf"
        assert writer.write(sample_report(folder), theme, str(path)) == []
        out[standard] = path.read_bytes()
    return out


def saved(tmp_path, data: bytes, name: str = "f.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# --- each standard's file ------------------------------------------------------------------------


@pytest.mark.parametrize("standard", ["ua-1", "a-2b", "a-3b"])
def test_the_checker_finds_nothing(written, standard):
    assert [str(f) for f in check(written[standard], standard)] == []


@pytest.mark.parametrize("standard, flavour", [("a-2b", "2b"), ("a-3b", "3b")])
def test_pikepdfs_pdfa_validator_approves(written, standard, flavour):
    validator = pytest.importorskip("pikepdf.pdfa")
    report = validator.validate_written(io.BytesIO(written[standard]), flavour)
    assert report.verdict == "pass", [str(f) for f in report.findings]
    assert validator.validate_written(io.BytesIO(written["ua-1"]), flavour).verdict == "fail"  # (it does look: no output intent there)


def test_each_standard_claims_what_it_is(written):
    def xmp(data):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return pdf.Root.Metadata.read_bytes().decode(), "/OutputIntents" in pdf.Root, str(pdf.Root.Lang), pdf.pdf_version

    ua, intent, lang, version = xmp(written["ua-1"])
    assert "<pdfuaid:part>1</pdfuaid:part>" in ua and "pdfaid" not in ua and not intent and lang == "en" and version == "1.7"
    for standard, part in (("a-2b", 2), ("a-3b", 3)):
        text, intent, _lang, _v = xmp(written[standard])
        assert f"<pdfaid:part>{part}</pdfaid:part>" in text and "<pdfaid:conformance>B</pdfaid:conformance>" in text and intent
        assert "pdfuaid" not in text  # PDF/A only claims PDF/A (a PDF/UA claim there needs an extension schema pikepdf.pdfa refuses)
    assert written["a-2b"] != written["ua-1"]


@pytest.mark.parametrize("standard", STANDARDS)
def test_two_writes_are_byte_identical(theme, tmp_path, written, standard):
    writer = PdfWriter()
    writer.standard = standard
    path = tmp_path / "again.pdf"
    writer.write(sample_report(tmp_path), theme, str(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(written[standard]).hexdigest()


def test_an_unknown_standard_is_refused(theme, tmp_path):
    writer = PdfWriter()
    writer.standard = "ua-2"
    with pytest.raises(ValueError, match="unknown PDF standard 'ua-2'"):
        writer.write(sample_report(tmp_path), theme, str(tmp_path / "x.pdf"))


# --- ReportLab's two traps, gone --------------------------------------------------------------------


def zero_maps(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        maps = {f.ToUnicode.objgen: f.ToUnicode.read_bytes() for p in pdf.pages for f in p.Resources.Font.values() if "/ToUnicode" in f}
    return sum(1 for m in maps.values() if re.search(rb"<[0-9A-F]{2}> <0000>", m))


def test_every_stream_ends_with_an_end_of_line_and_no_code_maps_to_nothing(written):
    for standard in ("ua-1", "a-2b"):
        with pikepdf.open(io.BytesIO(written[standard])) as pdf:
            ends = stream_ends(pdf, written[standard])
        assert ends and all(re.match(rb"\r?\nendstream", after) for _n, _k, after in ends)
        assert zero_maps(written[standard]) == 0
    with pikepdf.open(io.BytesIO(written["none"])) as pdf:  # what ReportLab writes: both traps
        raw = stream_ends(pdf, written["none"])
    assert raw and not any(re.match(rb"\r?\nendstream", after) for _n, _k, after in raw)
    assert zero_maps(written["none"]) > 0


def test_every_page_of_a_tagged_file_is_compressed_once_never_ending_in_a_carriage_return(theme, tmp_path, monkeypatch):
    """A tagged file's pages are compressed as each is finished (``page._Canvas.showPage``), by ``flate.deflate``
    (ReportLab's own compression adds ASCII85; zlib's could end one in CR, which some PDF/A checkers misread), and
    written as they are."""
    from reportgen.writers.pdf import page as page_module

    compressed = []
    real_deflate = page_module.deflate

    def deflated(data, *args):
        compressed.append(data)
        return real_deflate(data, *args)

    monkeypatch.setattr(page_module, "deflate", deflated)
    PdfWriter().write(sample_report(tmp_path), theme, str(tmp_path / "s.pdf"))
    with pikepdf.open(tmp_path / "s.pdf") as pdf:
        pages = [page.obj.Contents for page in pdf.pages]
        assert all(str(c.Filter) == "/FlateDecode" and not c.read_raw_bytes().endswith(b"\r") for c in pages)
        assert [c.read_bytes() for c in pages] == compressed  # (each page's content as it was compressed, once)


def test_drop_unmapped_drops_the_entries_and_recounts_the_block():
    cmap = "begincmap\n3 beginbfchar\n<00> <0000>\n<01> <0000>\n<20> <0020>\nendbfchar\n1 beginbfchar\n<02> <0000>\nendbfchar\nendcmap"
    assert drop_unmapped(cmap) == "begincmap\n1 beginbfchar\n<20> <0020>\nendbfchar\nendcmap"
    assert drop_unmapped("begincmap\n1 beginbfchar\n<20> <0020>\nendbfchar\nendcmap") is None


# --- the content rewrite ----------------------------------------------------------------------------


def ops(text: str | bytes) -> list:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(text.encode() if isinstance(text, str) else text)
    return pikepdf.parse_content_stream(pdf.pages[0])


def shown(instructions) -> str:
    return pikepdf.unparse_content_stream(instructions).decode().replace("\n", " ")


def test_points_become_sequences_and_decoration_an_artifact():
    tree = Tree()
    div, p = tree.add("Div", tree.root), None
    p = tree.add("P", div)
    content = rewrite(ops(f"/RGb <</N {div.id}>> DP 0 0 5 5 re f /RGb <</N {p.id}>> DP BT (Hi) Tj ET /RGe <</N {p.id}>> DP /RGe <</N {div.id}>> DP"), tree, 0)
    assert shown(content.instructions) == "/Artifact BMC 0 0 5 5 re f EMC /P << /MCID 0 >> BDC BT (Hi) Tj ET EMC"
    assert content.events == [("mc", p.id, 0)] and content.untagged == []


def test_a_link_inside_a_text_object_gets_its_own_sequences_inside_it():
    tree = Tree()
    p = tree.add("P", tree.root)
    link = tree.add("Link", p, inline=True)
    text = f"/RGb <</N {p.id}>> DP BT (See ) Tj /RGb <</N {link.id}>> DP (here) Tj /RGe <</N {link.id}>> DP (.) Tj ET /RGe <</N {p.id}>> DP"
    content = rewrite(ops(text), tree, 0)
    assert shown(content.instructions) == ("BT /P << /MCID 0 >> BDC (See ) Tj EMC /Link << /MCID 1 >> BDC (here) Tj EMC "
                                           "/P << /MCID 2 >> BDC (.) Tj EMC ET")
    assert content.events == [("mc", p.id, 0), ("mc", link.id, 1), ("mc", p.id, 2)]


def test_a_note_point_cuts_its_paragraphs_text_and_stands_there():
    tree = Tree()
    p = tree.add("P", tree.root)
    note = tree.add("Note", p, inline=True, elem_id="fn-1")
    content = rewrite(ops(f"/RGb <</N {p.id}>> DP BT (a) Tj /RGk <</N {note.id}>> DP (b) Tj ET /RGe <</N {p.id}>> DP"), tree, 0)
    assert shown(content.instructions) == "BT /P << /MCID 0 >> BDC (a) Tj EMC /P << /MCID 1 >> BDC (b) Tj EMC ET"
    assert content.events == [("mc", p.id, 0), ("kid", note.id), ("mc", p.id, 1)]


def test_paint_outside_every_node_is_reported_and_drawn_as_an_artifact():
    content = rewrite(ops("0 0 5 5 re S"), Tree(), 0)
    assert shown(content.instructions) == "/Artifact BMC 0 0 5 5 re S EMC" and content.untagged == ["S"]


def test_points_that_do_not_nest_and_marked_content_already_there_are_bugs():
    tree = Tree()
    a, b = tree.add("P", tree.root), tree.add("P", tree.root)
    with pytest.raises(RuntimeError, match="ends inside"):
        rewrite(ops(f"/RGb <</N {a.id}>> DP /RGb <</N {b.id}>> DP /RGe <</N {a.id}>> DP"), tree, 0)
    with pytest.raises(RuntimeError, match="marked content already"):
        rewrite(ops("/Span BMC EMC"), tree, 0)
    assert Operator("EMC")  # (pikepdf's operators compare by name)


def painted(data: bytes) -> list[tuple[str, object]]:
    """Each painting operator of content ``data`` with the sequence it is in: (operator, (tag, MCID) or None)."""
    out, current = [], None
    for ins in ops(data):
        op = str(ins.operator)
        if op in ("BDC", "BMC"):
            props = ins.operands[1] if op == "BDC" else {}
            current = (str(ins.operands[0]), int(props.MCID) if "/MCID" in props else None)
        elif op == "EMC":
            current = None
        elif op in ("Tj", "TJ", "'", '"', "f", "f*", "F", "S", "s", "B", "B*", "b", "b*", "Do", "sh"):
            out.append((op, current))
    return out


def test_the_byte_scan_and_pikepdfs_parse_agree_on_every_page(theme, tmp_path, monkeypatch):
    """``ua_scan`` (for a page ``ua_page`` does not expect) against ``ua_content`` (pikepdf's parse): the same
    sequences, owners and MCIDs, on every page's bytes."""
    from reportgen.writers.pdf import tags

    seen = []
    real = tags.Tagger.page_written

    def grab(self, data, index):
        seen.append((data, self.tree, index))
        return real(self, data, index)

    monkeypatch.setattr(tags.Tagger, "page_written", grab)
    monkeypatch.setattr(tags, "mark_page", lambda code, tree, page: None)  # every page's points read from its bytes
    PdfWriter().write(sample_report(tmp_path), theme, str(tmp_path / "s.pdf"))
    assert [str(f) for f in check((tmp_path / "s.pdf").read_bytes(), "ua-1")] == []  # (the file is as good)
    assert len(seen) > 3
    for raw, tree, i in seen:
        parsed = rewrite(ops(raw), tree, i)
        scanned = rewrite_bytes(raw, tree, i)
        assert scanned is not None, f"page {i + 1} fell back"
        data, content = scanned
        assert (content.events, content.untagged) == (parsed.events, parsed.untagged), i
        assert painted(data) == painted(pikepdf.unparse_content_stream(parsed.instructions)), i


def test_a_page_neither_reading_expects_is_marked_on_pikepdfs_parse(theme, tmp_path, monkeypatch):
    """The last way a page is marked (``ua_content.rewrite_stream``, never needed by the test documents): the file it
    makes is as good, and the same as when the other readings mark the pages."""
    from reportgen.writers.pdf import tags

    PdfWriter().write(sample_report(tmp_path), theme, str(tmp_path / "usual.pdf"))
    monkeypatch.setattr(tags, "mark_page", lambda code, tree, page: None)
    monkeypatch.setattr(tags, "rewrite_bytes", lambda data, tree, page: None)
    PdfWriter().write(sample_report(tmp_path), theme, str(tmp_path / "parsed.pdf"))
    data = (tmp_path / "parsed.pdf").read_bytes()
    assert [str(f) for f in check(data, "ua-1")] == []
    with pikepdf.open(io.BytesIO(data)) as parsed, pikepdf.open(tmp_path / "usual.pdf") as usual:
        assert len(parsed.pages) == len(usual.pages) > 3
        for a, b in zip(parsed.pages, usual.pages):
            assert painted(a.obj.Contents.read_bytes()) == painted(b.obj.Contents.read_bytes())


def finished_pages(theme, tmp_path, monkeypatch, report) -> list[tuple[list[str], Tree, int]]:
    """Each page of ``report`` as the canvas held it when finished, before marking: (its operators, the tree, its index)."""
    from reportgen.writers.pdf import tags

    pages = []
    real = tags.mark_page

    def record(code, tree, page):
        pages.append((list(code), tree, page))
        return real(code, tree, page)

    monkeypatch.setattr(tags, "mark_page", record)
    PdfWriter().write(report, theme, str(tmp_path / "pages.pdf"))
    return pages


def test_pages_marked_as_they_are_finished_agree_with_pikepdfs_parse(theme, tmp_path, monkeypatch):
    """``ua_page`` (marking at the end of each page, the usual way) against ``ua_content`` on the same operators: the same
    sequences around the same painting, owners and MCIDs, and no page left to the post-pass."""
    pages = finished_pages(theme, tmp_path, monkeypatch, sample_report(tmp_path))
    assert len(pages) > 3
    for code, tree, i in pages:
        marked = mark_page(list(code), tree, i)
        assert marked is not None, f"page {i + 1} was left to the post-pass"
        out, content = marked
        parsed = rewrite(ops("\n".join(code).encode("latin-1")), tree, i)
        assert (content.events, content.untagged) == (parsed.events, parsed.untagged), i
        assert painted("\n".join(out).encode("latin-1")) == painted(pikepdf.unparse_content_stream(parsed.instructions)), i


def test_a_path_built_over_several_pieces_gets_its_sequence_before_it_begins():
    tree = Tree()
    p = tree.add("P", tree.root)
    code = [f"/RGb <</N {p.id}>> DP", "q", "0 0 m", ".5 w", "5 5 l", "S", "Q", "BT (x) Tj ET", f"/RGe <</N {p.id}>> DP"]
    out, content = mark_page(code, tree, 0)
    assert out == ["q", "/P <</MCID 0>> BDC", "0 0 m", ".5 w", "5 5 l", "S", "Q", "BT (x) Tj ET", "EMC"]
    assert content.events == [("mc", p.id, 0)]
    code[2] = "0 0 m /RGb"  # (a name where none is expected: still read, ``/RGb`` an operand)
    assert mark_page(code, tree, 0) is not None


@pytest.mark.parametrize("shown", [
    "(See ) Tj",  # plain text
    r"(See \(\\\) ) Tj",  # escaped parentheses and a backslash
    "(/RGb <</N 99>> DP see ) Tj",  # text that reads like a point
    r"(\) /RGe <</N 99>> DP \() Tj",  # ... between escaped parentheses
])
def test_a_link_in_a_text_object_is_marked_as_pikepdfs_parse_marks_it(shown):
    tree = Tree()
    p = tree.add("P", tree.root)
    link = tree.add("Link", p, inline=True)
    code = [f"/RGb <</N {p.id}>> DP",
            f"BT /F1+0 10 Tf {shown} /RGb <</N {link.id}>> DP (here) Tj /RGe <</N {link.id}>> DP (.) Tj T* ET",
            f"/RGe <</N {p.id}>> DP"]
    out, content = mark_page(list(code), tree, 0)
    parsed = rewrite(ops("\n".join(code)), tree, 0)
    assert content.events == parsed.events == [("mc", p.id, 0), ("mc", link.id, 1), ("mc", p.id, 2)]
    assert painted("\n".join(out).encode("latin-1")) == painted(pikepdf.unparse_content_stream(parsed.instructions))
    assert shown.removesuffix(" Tj") in "\n".join(out)  # the string as it was (text that reads like a point stays text)


def test_a_text_object_that_shows_nothing_gets_no_sequence_as_pikepdfs_parse_says():
    tree = Tree()
    p = tree.add("P", tree.root)
    code = [f"/RGb <</N {p.id}>> DP", "BT /F1+0 10 Tf 12 TL ET", f"/RGe <</N {p.id}>> DP"]
    out, content = mark_page(code, tree, 0)
    assert out == ["BT /F1+0 10 Tf 12 TL ET"] and content.events == []
    assert content.events == rewrite(ops("\n".join(code)), tree, 0).events


@pytest.mark.parametrize("code", [
    ["0 0 m", "/RGb <</N 1>> DP", "5 5 l S"],  # a point inside a path
    ["BI /W 1 /H 1 ID x EI"],  # an inline image
    ["/Span BMC", "BT (x) Tj ET", "EMC"],  # marked content already
    ["/RGb <</N 1>> DP", "0 0 5 5 re f"],  # a node left open
    ["0 0 m 5 5 l"],  # a path never painted
])
def test_a_page_marking_does_not_expect_is_left_to_the_byte_scan(code):
    tree = Tree()
    tree.add("P", tree.root)
    assert mark_page(code, tree, 0) is None


@pytest.mark.parametrize("content", ["BI /W 1 /H 1 ID x EI", "% a comment\n0 0 m 1 1 l S", "/Span BMC (x) Tj EMC", "0 0 m /RGb <</N 1>> DP 1 1 l S"])
def test_a_page_the_byte_scan_does_not_expect_is_left_to_pikepdf(content):
    tree = Tree()
    tree.add("P", tree.root)
    assert rewrite_bytes(content.encode(), tree, 0) is None


def test_compressed_data_never_ends_in_a_carriage_return():
    import zlib

    from reportgen.writers.pdf.ua import _encode

    data = next(d for d in (b"a" * n for n in range(1, 600)) if zlib.compress(d).endswith(b"\r"))  # (Adler-32's last byte: 1 + 97n)
    packed, filters = _encode(data, True)  # text: white space added
    assert filters == ["FlateDecode"] and not packed.endswith(b"\r") and zlib.decompress(packed).rstrip() == data.rstrip()
    packed, filters = _encode(data, False)  # a font file, which must not change: written in hexadecimal
    assert filters == ["ASCIIHexDecode", "FlateDecode"] and packed.endswith(b">")
    assert zlib.decompress(bytes.fromhex(packed[:-1].decode())) == data
    assert _encode(b"a", False) == (zlib.compress(b"a"), ["FlateDecode"])


def test_a_font_file_written_in_hexadecimal_reads_back(tmp_path):
    """Both filters of ``_encode``'s fallback, in a real file: qpdf decodes the stream to the data."""
    import zlib

    from reportgen.writers.pdf.ua import _encode

    data = next(d for d in (b"a" * n for n in range(1, 600)) if zlib.compress(d).endswith(b"\r"))
    packed, filters = _encode(data, False)
    pdf = pikepdf.new()
    stream = pikepdf.Stream(pdf, packed)
    stream.Filter = pikepdf.Array([Name("/" + f) for f in filters])
    pdf.Root.Probe = pdf.make_indirect(stream)
    pdf.save(tmp_path / "x.pdf")
    with pikepdf.open(tmp_path / "x.pdf") as back:
        assert back.Root.Probe.read_bytes() == data


# --- metadata and the output intent -------------------------------------------------------------


def test_the_xmp_mirrors_the_information_dictionary():
    info = {"Title": "A & B <C>", "Author": "Desk", "Producer": "ReportLab", "CreationDate": "D:20210616093005+00'00'"}
    text = xmp_packet(info, "en-GB", ua=True, pdfa=None).decode()
    assert "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">A &amp; B &lt;C&gt;</rdf:li></rdf:Alt></dc:title>" in text
    assert "<xmp:CreateDate>2021-06-16T09:30:05+00:00</xmp:CreateDate>" in text and "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li>" in text
    assert "pdfaid" not in text and 'xmlns:pdfaid' not in text  # only the namespaces used are declared
    assert xmp_date("D:20210616093005Z") == "2021-06-16T09:30:05Z"


def test_the_output_intent_is_an_srgb_icc_profile_with_its_licence():
    import importlib.resources as resources

    icc = srgb_profile()
    assert len(icc) == int.from_bytes(icc[:4], "big") == 6922  # the header's size is the file's
    assert icc[36:40] == b"acsp" and icc[12:16] == b"mntr" and icc[16:20] == b"RGB " and icc[20:24] == b"XYZ "  # a display profile of RGB
    tags = {}
    for i in range(int.from_bytes(icc[128:132], "big")):
        entry = icc[132 + 12 * i : 144 + 12 * i]
        offset, size = int.from_bytes(entry[4:8], "big"), int.from_bytes(entry[8:12], "big")
        tags[entry[:4]] = icc[offset : offset + size]

    def xyz(tag):
        return [int.from_bytes(tags[tag][8 + 4 * k : 12 + 4 * k], "big", signed=True) / 65536 for k in range(3)]

    assert tags[b"desc"][12:16] == b"sRGB"
    # the sRGB primaries adapted to D50 (IEC 61966-2-1 through the Bradford transform), as every sRGB v2 profile holds them
    for tag, expected in ((b"rXYZ", (0.4361, 0.2225, 0.0139)), (b"gXYZ", (0.3851, 0.7169, 0.0971)), (b"bXYZ", (0.1431, 0.0606, 0.7141))):
        assert xyz(tag) == pytest.approx(expected, abs=0.002), tag
    licence = resources.files("reportgen").joinpath("data", "sRGB.icc.LICENSE").read_text()
    assert "License: Zlib" in licence and hashlib.sha256(icc).hexdigest() in licence


# --- what other readers see -----------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
@pytest.mark.parametrize("standard", ["ua-1", "a-2b"])
def test_qpdf_check_is_clean(written, tmp_path, standard):
    res = subprocess.run(["qpdf", "--check", saved(tmp_path, written[standard])], capture_output=True, text=True)
    assert res.returncode == 0 and "No syntax or stream encoding errors" in res.stdout, res.stdout + res.stderr


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")
def test_poppler_sees_a_tagged_file_and_its_headings(written, tmp_path):
    path = saved(tmp_path, written["ua-1"])
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^PDF version:\s+1.7$", info, re.M)
    untagged = subprocess.run(["pdfinfo", saved(tmp_path, written["none"], "n.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+no$", untagged, re.M)
    tree = subprocess.run(["pdfinfo", "-struct-text", path], capture_output=True, text=True, check=True).stdout
    for role, number, title in (("H1", "1", "Why the Summit Mattered"), ("H2", "1.1", "Strategic Stability"), ("H3", "2.1.1", "Regional Detail")):
        assert re.search(rf"^\s*{role} \(block\)\n\s*\"{re.escape(number)}\s+{re.escape(title)}\"", tree, re.M), (role, title)
    assert re.search(r"^\s*TOC\n\s*TOCI\n", tree, re.M) and re.search(r"^\s*Figure", tree, re.M)


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
@pytest.mark.parametrize("standard", ["ua-1", "a-2b"])
def test_every_font_is_embedded(written, tmp_path, standard):
    out = subprocess.run(["pdffonts", saved(tmp_path, written[standard])], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+yes\s+\d+\s+\d+\s*$", row) for row in rows), out  # embedded, subset, ToUnicode


def test_the_words_extracted_are_those_of_the_untagged_file(written):
    pypdf = pytest.importorskip("pypdf")

    def words(data):
        return [p.extract_text().split() for p in pypdf.PdfReader(io.BytesIO(data)).pages]

    assert words(written["ua-1"]) == words(written["none"])


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_tagging_changes_nothing_drawn(written, tmp_path):
    from PIL import Image, ImageChops

    pages = {}
    for standard in ("none", "ua-1", "a-2b"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", saved(tmp_path, written[standard], f"{standard}.pdf"), str(tmp_path / standard)], check=True)
        pages[standard] = sorted(tmp_path.glob(f"{standard}-*.png"))
    assert len(pages["none"]) == len(pages["ua-1"]) == len(pages["a-2b"]) > 5
    for standard in ("ua-1", "a-2b"):
        for a, b in zip(pages["none"], pages[standard]):
            assert ImageChops.difference(Image.open(a).convert("RGB"), Image.open(b).convert("RGB")).getbbox() is None, (standard, b.name)


def _written(tree, events, pages: int = 1, standard: str = "ua-1") -> bytes:
    """The file ``ua.write_tagged_file`` writes for ``pages`` blank pages of a ReportLab canvas, their marked content
    holding ``events`` (page -> ``PageContent.events``) of ``tree``."""
    from reportlab.pdfgen.canvas import Canvas

    from reportgen.writers.pdf.tags import Tagger
    from reportgen.writers.pdf.ua import write_tagged

    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    for _ in range(pages):
        canv.drawString(10, 10, " ")
        canv.showPage()
    tagger = Tagger(tree, standard, "en")
    tagger.pages = {p: PageContent(events=list(events.get(p, []))) for p in range(pages)}
    write_tagged(canv, tagger)
    canv.save()
    return out.getvalue()


def test_the_structure_tree_keeps_every_string_as_written():
    """Alt text, IDs, languages and attribute values come from the outline: quotes, backslashes, parentheses, control
    characters, text beyond the BMP reach the structure elements unchanged (``ua_tree._text`` and ``_name``), and
    the elements read back as written."""
    hostile = 'a "quoted" \\ back\\slash (open ) close) ),\n\t\x00\x1f \u202e RTL 😀 </script> /K [] >> endobj %'
    tree = Tree()
    figure = tree.add("Figure", tree.root, alt=hostile)
    cell = tree.add("P", tree.root, attrs={"Scope": "Column", "Odd key": "x/y (z)#"})
    span = tree.add("Span", cell, inline=True, lang='x-"q\\')
    note = tree.add("Note", cell, inline=True, elem_id=hostile)
    plain = tree.add("Figure", tree.root, alt="plain (ASCII) \\ text")
    events = {0: [("mc", figure.id, 0), ("mc", cell.id, 1), ("kid", span.id), ("mc", span.id, 2), ("kid", note.id), ("mc", note.id, 3),
                  ("mc", plain.id, 4)]}
    data = _written(tree, events)
    with pikepdf.open(io.BytesIO(data)) as back:
        document = back.Root.StructTreeRoot.K
        fig, para = document.K[0], document.K[1]
        assert str(fig.Alt) == hostile and fig.S == Name.Figure and fig.K[0] == 0 and fig.Pg == back.pages[0].obj
        assert str(document.K[2].Alt) == "plain (ASCII) \\ text"
        assert para.A.Scope == Name.Column and para.A[Name("/Odd key")] == Name("/x/y (z)#")
        got_span, got_note = para.K[1], para.K[2]
        assert str(got_span.Lang) == 'x-"q\\' and str(got_note.ID) == hostile
        assert list(back.Root.StructTreeRoot.IDTree.Names) == [hostile, got_note]
        assert back.Root.StructTreeRoot.ParentTree.Nums[0] == 0
        assert list(back.Root.StructTreeRoot.ParentTree.Nums[1]) == [fig, para, got_span, got_note, document.K[2]]


def _rows(data: bytes, pdf) -> tuple[int, list[tuple[int, int, int]]]:
    """The file's cross-reference stream: its object number, and its rows (type, field 2, field 3) by object number."""
    xref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert re.match(rb"\d+ 0 obj\n<</Type/XRef/", data[xref:])
    number = int(data[xref:].split()[0])
    table = pdf.get_object((number, 0))
    assert list(table.W) == [1, 4, 2] and "/Index" not in table and int(table.Size) == number + 1
    rows = table.read_bytes()
    return number, [(rows[k], int.from_bytes(rows[k + 1:k + 5], "big"), int.from_bytes(rows[k + 5:k + 7], "big")) for k in range(0, len(rows), 7)]


def test_the_file_is_one_revision_of_object_streams_and_a_cross_reference_stream(written):
    """The tagged file is written once (``objfile``): one cross-reference stream, whose every row names its object
    where it is (a stream at its offset, any other object in a compressed object stream), no structure element
    outside one; PDF 1.7's header with its binary comment."""
    data = written["ua-1"]
    assert data.startswith(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") and data.count(b"%%EOF") == 1 and data.count(b"startxref") == 1
    assert b"StructElem" not in data and b"\nxref\n" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        number, rows = _rows(data, pdf)
        assert len(rows) == number + 1 and rows[0] == (0, 0, 65535)
        streams = set()
        for num, (kind, field, sub) in enumerate(rows[1:], start=1):
            if kind == 1:  # in the file at that offset
                assert data[field:].startswith(b"%d 0 obj\n" % num) and sub == 0
            else:  # the sub-th object of an object stream: its header names it there
                stream = pdf.get_object((field, 0))
                assert kind == 2 and stream.Type == Name.ObjStm and sub < int(stream.N)
                head = stream.read_bytes()[: int(stream.First)].split()
                assert int(head[2 * sub]) == num, (num, field, sub)
                streams.add(field)
        assert streams and all(rows[n][0] == 1 for n in streams)
        assert len(pdf.Root.StructTreeRoot.K.K) > 5 and pdf.trailer.ID[0] == pdf.trailer.ID[1]


def test_a_tree_larger_than_an_object_stream_reads_back_whole(tmp_path):
    """More elements than one object stream holds (``objfile.PER_STREAM``): each stream's offsets and the
    cross-reference rows name every element where it is; qpdf finds nothing wrong."""
    from reportgen.writers.pdf.objfile import PER_STREAM

    tree = Tree()
    count = 2 * PER_STREAM + 7
    paras = [tree.add("P", tree.root, alt=f"paragraph {i}" if i % 97 == 0 else "") for i in range(count)]
    events = {p: [("mc", paras[i].id, j) for j, i in enumerate(range(p, count, 3))] for p in range(3)}
    data = _written(tree, events, pages=3)
    with pikepdf.open(io.BytesIO(data)) as back:
        kids = back.Root.StructTreeRoot.K.K
        assert len(kids) == count
        for i, kid in enumerate(kids):
            assert kid.S == Name.P and kid.Pg == back.pages[i % 3].obj and list(kid.K) == [i // 3]
            assert str(kid.get("/Alt", "")) == (f"paragraph {i}" if i % 97 == 0 else "")
        nums = back.Root.StructTreeRoot.ParentTree.Nums
        assert [int(nums[k]) for k in range(0, len(nums), 2)] == [0, 1, 2]
        assert [e.objgen for e in nums[3]] == [kids[i].objgen for i in range(1, count, 3)]
    path = saved(tmp_path, data)
    if shutil.which("qpdf"):
        result = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
        assert result.returncode == 0 and "No syntax or stream encoding errors" in result.stdout, result.stdout + result.stderr


def test_the_file_id_changes_with_the_structure_alone_and_stays_reproducible():
    """Two documents that differ only in a figure's alt text differ in their file /ID (ISO 32000-1 14.4: it is made
    of the file's bytes); the same document written twice is the same bytes."""

    def written(alt: str) -> bytes:
        tree = Tree()
        figure = tree.add("Figure", tree.root, alt=alt)
        return _written(tree, {0: [("mc", figure.id, 0)]})

    a, b = written("a map of Geneva"), written("a map of Genf")
    assert written("a map of Geneva") == a and a != b
    with pikepdf.open(io.BytesIO(a)) as first, pikepdf.open(io.BytesIO(b)) as second:
        assert first.trailer.ID[0] != second.trailer.ID[0]


def test_only_a_page_whose_marks_an_element_holds_points_into_the_parent_tree():
    """A page's /StructParents names its ParentTree entry: set only on a page with MCIDs of a leaf (a container's
    own marks are never written, so a page holding only those gets none), and every one set is in the tree; every
    page gets /Tabs /S and loses ReportLab's empty /Trans."""
    tree = Tree()
    table = tree.add("Table", tree.root)
    para = tree.add("P", tree.root)
    data = _written(tree, {0: [("mc", para.id, 0)], 1: [("mc", table.id, 0)]}, pages=2)
    with pikepdf.open(io.BytesIO(data)) as back:
        keys = [int(k) for k in back.Root.StructTreeRoot.ParentTree.Nums[0::2]]
        assert [int(p.obj.get("/StructParents", -1)) for p in back.pages] == [0, -1] and keys == [0]
        assert all(p.obj.Tabs == Name.S and "/Trans" not in p.obj for p in back.pages)


def test_the_tagged_file_is_written_as_its_objects_are_made(theme, tmp_path, monkeypatch):
    """Each object, ReportLab's or a structure element, reaches the file's writer as soon as it is made: none is
    formatted or written ahead of the one being written (a long report's objects were all held at once)."""
    from reportgen.writers.pdf import ua

    made = [0]
    ahead: list[int] = []

    def counted(objects):
        for item in objects:
            made[0] += 1
            yield item

    formatted, elements, add = ua.formatted_objects, ua.Elements.objects, ua.ObjectFile.add
    monkeypatch.setattr(ua, "formatted_objects", lambda canv: counted(formatted(canv)))
    monkeypatch.setattr(ua.Elements, "objects", lambda self, *a: counted(elements(self, *a)))

    def added(self, number, text):
        ahead.append(made[0] - number)
        add(self, number, text)

    monkeypatch.setattr(ua.ObjectFile, "add", added)
    PdfWriter().write(sample_report(tmp_path), theme, str(tmp_path / "s.pdf"))
    assert len(ahead) > 300 and set(ahead) == {0}


def test_the_structure_plan_holds_each_nodes_marked_content_as_numbers():
    """``ua_tree.plan_structure`` keeps, for each node, its MCIDs on their pages and its inline kids where they stand
    in its text, packed as numbers: as a tuple each, in lists, a long report's (N = 100: 90,000 MCIDs) were megabytes
    held through the save, where the PDF's memory peaks. What ``Elements`` writes from them is unchanged (the file's
    structure is compared above and in tests/writers/pdf/tags)."""
    import sys

    from reportgen.writers.pdf.ua_tree import _entries, plan_structure

    def size(obj) -> int:  # what the plan's kids hold: containers and what is in them (not the nodes, held anyway)
        if isinstance(obj, (dict, list, tuple)):
            inner = [*obj.keys(), *obj.values()] if isinstance(obj, dict) else obj
            return sys.getsizeof(obj) + sum(size(o) for o in inner if not hasattr(o, "role"))
        return sys.getsizeof(obj)

    tree = Tree()
    para = tree.add("P", tree.add("Sect", tree.root))
    link = tree.add("Link", para, inline=True, href="https://example.org", contents="a link")
    events = {page: [("mc", para.id, 1000 + 2 * k) for k in range(200)] for page in range(100)}
    events[50].insert(100, ("mc", link.id, 7))  # the link's text, halfway through page 51's
    s = plan_structure(tree, events, {}, [0] * 100)
    entries = _entries(para, s)
    assert entries[:2] == [("mcr", 0, 1000), ("mcr", 0, 1002)] and entries[-1] == ("mcr", 99, 1398)
    assert entries[50 * 200 + 100] == ("el", link) and len(entries) == 20_001
    assert _entries(link, s) == [("mcr", 50, 7)]
    held = size(s.items)
    assert held < 400_000, f"{held:,} bytes held for 20,001 marked contents"  # (as tuples in lists, counted so: 3.6 MB)
