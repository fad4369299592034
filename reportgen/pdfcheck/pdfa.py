"""PDF/A-2b and 3b (ISO 19005-2, -3) conditions a tagged report can fail, read in the file's bytes; then ``pikepdf.pdfa``."""

from __future__ import annotations

import html
import io
import re

import pikepdf
from pikepdf import Array, Name

from . import Finding

_STREAM = re.compile(rb"(\d+) (\d+) obj\s*<<.*?>>\s*stream(\r\n|\n|\r)?", re.S)
_INFO_XMP = (
    ("Title", r"<dc:title><rdf:Alt><rdf:li[^>]*>(.*?)</rdf:li>"),
    ("Author", r"<dc:creator><rdf:Seq><rdf:li>(.*?)</rdf:li>"),
    ("Subject", r"<dc:description><rdf:Alt><rdf:li[^>]*>(.*?)</rdf:li>"),
    ("Producer", r"<pdf:Producer>(.*?)</pdf:Producer>"),
    ("Keywords", r"<pdf:Keywords>(.*?)</pdf:Keywords>"),
    ("Creator", r"<xmp:CreatorTool>(.*?)</xmp:CreatorTool>"),
)


def stream_ends(pdf: pikepdf.Pdf, raw: bytes) -> list[tuple[int, bytes, bytes]]:
    """Return each stream object's number, the bytes after its ``stream`` keyword's end of line, and the bytes after its data."""
    out = []
    for m in _STREAM.finditer(raw):
        try:
            length = int(pdf.get_object((int(m.group(1)), int(m.group(2)))).Length)
        except (AttributeError, ValueError, TypeError, pikepdf.PdfError):
            continue
        start = m.end()
        out.append((int(m.group(1)), m.group(3) or b"", raw[start + length : start + length + 11]))
    return out


def check_pdfa(pdf: pikepdf.Pdf, raw: bytes, xmp: str, claim: tuple[str, str], findings: list[Finding]) -> None:
    """Append what ``pdf`` (whose bytes are ``raw`` and XMP ``xmp``) fails of PDF/A part and conformance ``claim`` to ``findings``."""
    part = claim[0]
    clause = f"A-{part}"
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", raw):
        findings.append(Finding(f"{clause} 6.1.2", "", "header", "the header is not followed by a comment of four bytes over 127"))
    for number, after_keyword, after_data in stream_ends(pdf, raw):
        if after_keyword not in (b"\r\n", b"\n"):
            findings.append(Finding(f"{clause} 6.1.7.1", "", f"object {number}", "the stream keyword is not followed by CRLF or LF"))
        if not re.match(rb"(\r\n|\n|\r)endstream", after_data):
            findings.append(Finding(f"{clause} 6.1.7.1", "", f"object {number}", f"no end of line between the stream's data and endstream: {after_data!r}"))
    if "/ID" not in pdf.trailer:
        findings.append(Finding(f"{clause} 6.1.3", "", "trailer", "no file /ID"))
    intents = pdf.Root.get("/OutputIntents", Array())
    if not any(i.get("/S") == Name.GTS_PDFA1 and "/DestOutputProfile" in i for i in intents):
        findings.append(Finding(f"{clause} 6.2.3", "", "catalog", "no GTS_PDFA1 output intent with an ICC profile"))
    for i, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", Array()):
            flags = int(annot.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32):
                findings.append(Finding(f"{clause} 6.3.2", "", f"page {i + 1}", "an annotation not printed (no Print flag), or hidden"))
    info = {key[1:]: str(value) for key, value in pdf.docinfo.items()}
    for key, pattern in _INFO_XMP:
        m = re.search(pattern, xmp, re.S)
        if key in info and (m is None or html.unescape(m.group(1)) != info[key]):
            findings.append(Finding(f"{clause} 6.6.3", "", "XMP", f"the information dictionary's /{key} has no equal XMP property"))
    for key, tag in (("CreationDate", "xmp:CreateDate"), ("ModDate", "xmp:ModifyDate")):
        if key in info and f"<{tag}>" not in xmp:
            findings.append(Finding(f"{clause} 6.6.3", "", "XMP", f"the information dictionary's /{key} has no {tag}"))
    if "<pdfuaid:" in xmp and "http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" not in xmp:
        findings.append(Finding(f"{clause} 6.6.2.3", "", "XMP", "pdfuaid used without a PDF/A extension schema"))
    findings += validator_findings(raw, part + claim[1].lower())


def validator_findings(raw: bytes, flavour: str) -> list[Finding]:
    """Return what ``pikepdf.pdfa`` (veraPDF's PDF/A rules; pikepdf >= 10 with its ``pdfa`` extra) finds in ``raw`` for
    ``flavour`` ("2b"), as findings; none when it is not installed. It reads through qpdf, so the byte-level
    conditions above stay ours."""
    try:
        import pikepdf.pdfa as validator
    except ImportError:
        return []
    report = validator.validate_written(io.BytesIO(raw), flavour)
    return [Finding("pikepdf.pdfa", "", "", str(f)) for f in report.findings]  # violations, and constructs it does not approve
