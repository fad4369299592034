"""A checker of a PDF's machine-checkable PDF/UA-1 conditions, and of PDF/A-2b/3b's when it claims them.

veraPDF, the reference validator, is a Java application that no package
registry reportgen's CI reaches ships; this checker reads the final bytes
with pikepdf alone, independently of how they were made (nothing the build
recorded), so that tests and ``reportgen check`` can hold reportgen's PDFs
to the standard they claim. Each ``Finding`` names the ISO 14289-1 clause
(or ISO 19005-2's, for PDF/A) and the Matterhorn Protocol checkpoint group.

What it checks (``catalog``, ``content``, ``fonts``, ``structure``, ``pdfa``):

* the catalog: MarkInfo /Marked, a StructTreeRoot, /Lang (a BCP 47 tag, as
  every structure element's /Lang must be), DisplayDocTitle,
  XMP with dc:title and the claim (``pdfuaid:part`` 1; ``pdfaid`` part and
  conformance for PDF/A);
* every page's content, and the forms it draws: every painting operator
  inside an artifact or a sequence with an MCID, never one in the other,
  no MCID inside another, sequences and BT/ET nested properly, MCIDs
  unique on their page;
* content and tree agree: every MCID in the content is in the tree and the
  other way round, each mapped back through the ParentTree; each OBJR's
  annotation leads back to its element;
* the tree: standard types (or role-mapped to one), Figure with Alt,
  headings from H1 with no level skipped, TH with Scope (or Headers),
  regular tables, what may stand inside what (TR, TH/TD, LI, Lbl/LBody,
  TOCI), Notes with unique IDs, each child's /P its parent;
* annotations: each in the tree (a Link in a Link element), with
  /Contents, on a page with /Tabs /S;
* fonts: every font embedded; every code shown maps to Unicode (not
  U+0000, U+FEFF, U+FFFE); no .notdef shown;
* PDF/A, when claimed: the header's binary comment, an end of line after
  ``stream`` and before ``endstream`` (read in the bytes), a file /ID, an
  sRGB-like GTS_PDFA1 output intent, annotations printed and not hidden,
  the information dictionary equal to the XMP, then ``pikepdf.pdfa``'s own
  validator (veraPDF's PDF/A rules) when it is installed.

What it cannot see, and veraPDF would: most of PDF/UA-1's other rules
(whether each passage is in the language its /Lang names, colour and contrast, font program internals
such as widths against hmtx or CIDSet, XMP schema details), and whether the
text alternatives say something true. Passing it is not a conformance
certificate.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

STANDARDS = ("ua-1", "a-2b", "a-3b")
PDFA_PARTS = {"a-2b": ("2", "B"), "a-3b": ("3", "B")}


@dataclass(frozen=True)
class Finding:
    """One condition a file fails: the clause (``UA 7.1``, ``A-2 6.1.7.1``), the Matterhorn group, where, and what."""

    clause: str
    group: str
    where: str
    message: str

    def __str__(self) -> str:
        group = f" [MH {self.group}]" if self.group else ""
        where = f"{self.where}: " if self.where else ""
        return f"{self.clause}{group} {where}{self.message}"


def read_source(source: bytes | str | os.PathLike) -> bytes:
    """Return the bytes of ``source``: the bytes themselves, or those of the file at that path."""
    if isinstance(source, bytes):
        return source
    with open(source, "rb") as fh:
        return fh.read()


def check(source: bytes | str | os.PathLike, standard: str = "ua-1") -> list[Finding]:
    """Return what the PDF ``source`` (its bytes, or a path) fails of ``standard`` ("ua-1", "a-2b", "a-3b"); empty: nothing found.

    A PDF/A standard checks the tagging too (reportgen's PDF/A files are
    tagged), without requiring a PDF/UA claim.
    """
    import pikepdf

    from .catalog import check_catalog
    from .content import check_content
    from .fonts import check_fonts
    from .pdfa import check_pdfa
    from .structure import check_structure

    if standard not in STANDARDS:
        raise ValueError(f"unknown standard {standard!r}; expected one of {', '.join(STANDARDS)}")
    raw = read_source(source)
    findings: list[Finding] = []
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        xmp = check_catalog(pdf, standard, findings)
        mcids = check_content(pdf, findings)
        check_fonts(pdf, findings)
        check_structure(pdf, mcids, findings)
        if standard in PDFA_PARTS:
            check_pdfa(pdf, raw, xmp, PDFA_PARTS[standard], findings)
    return findings
