"""The catalog and metadata a tagged PDF needs: MarkInfo, a structure tree, its language, its title shown, its claim."""

from __future__ import annotations

import re

import pikepdf
from pikepdf import Dictionary

from ..i18n import is_language_tag
from . import PDFA_PARTS, Finding


def check_catalog(pdf: pikepdf.Pdf, standard: str, findings: list[Finding]) -> str:
    """Return ``pdf``'s XMP text ("" when none), after appending what its catalog and XMP lack for ``standard`` to ``findings``."""
    root = pdf.Root
    mark = root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)):
        findings.append(Finding("UA 7.1", "01", "catalog", "MarkInfo /Marked is not true"))
    if mark is not None and bool(mark.get("/Suspects", False)):
        findings.append(Finding("UA 7.1", "01", "catalog", "MarkInfo /Suspects is true"))
    if "/StructTreeRoot" not in root:
        findings.append(Finding("UA 7.1", "01", "catalog", "no StructTreeRoot"))
    lang = str(root.get("/Lang", ""))
    if not lang:
        findings.append(Finding("UA 7.2", "11", "catalog", "no /Lang (the document's natural language)"))
    elif not is_language_tag(lang):
        findings.append(Finding("UA 7.2", "11", "catalog", f"/Lang {lang!r} is not a language tag (BCP 47)"))
    if not bool(root.get("/ViewerPreferences", Dictionary()).get("/DisplayDocTitle", False)):
        findings.append(Finding("UA 7.1", "07", "catalog", "ViewerPreferences /DisplayDocTitle is not true"))
    metadata = root.get("/Metadata")
    xmp = metadata.read_bytes().decode("utf-8", "replace") if metadata is not None else ""
    if not xmp:
        findings.append(Finding("UA 5", "06", "catalog", "no XMP metadata stream"))
        return ""
    if "<dc:title>" not in xmp:
        findings.append(Finding("UA 7.1", "06", "XMP", "no dc:title"))
    claims_ua = re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp) is not None
    if standard == "ua-1" and not claims_ua:
        findings.append(Finding("UA 5", "06", "XMP", "no pdfuaid:part 1 (the PDF/UA-1 claim)"))
    if standard in PDFA_PARTS:
        part, conformance = PDFA_PARTS[standard]
        if f"<pdfaid:part>{part}</pdfaid:part>" not in xmp or f"<pdfaid:conformance>{conformance}</pdfaid:conformance>" not in xmp:
            findings.append(Finding(f"A-{part} 6.6.4", "", "XMP", f"no pdfaid:part {part} with conformance {conformance} (the PDF/A-{part}{conformance.lower()} claim)"))
    return xmp
