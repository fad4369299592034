"""Fonts: every font embedded, and every code shown mapped to Unicode (and not .notdef)."""

from __future__ import annotations

import re

import pikepdf
from pikepdf import Array, Dictionary, Name

from . import Finding

STANDARD_14 = frozenset({
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold", "Helvetica-Oblique",
    "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
})
_NO_TEXT = frozenset({"\x00", "\ufeff", "\ufffe", ""})


def tounicode(cmap: pikepdf.Stream) -> dict[int, str]:
    """Return code -> text of a ToUnicode CMap (its bfchar and bfrange entries)."""
    text = cmap.read_bytes().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace") if dst else ""
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(base + i)
    return out


def check_fonts(pdf: pikepdf.Pdf, findings: list[Finding]) -> None:
    """Append each font of ``pdf``'s pages that is not embedded to ``findings`` (UA 7.21.4.1)."""
    seen: set = set()
    for i, page in enumerate(pdf.pages):
        for font in page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary()).values():
            if font.objgen in seen or font.get("/Subtype") == Name.Type3:
                continue
            seen.add(font.objgen)
            described = font.DescendantFonts[0] if font.get("/Subtype") == Name.Type0 else font
            descriptor = described.get("/FontDescriptor")
            base = str(font.get("/BaseFont", "/?"))[1:]
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                known = " (a standard 14 font)" if base in STANDARD_14 else ""
                findings.append(Finding("UA 7.21.4.1", "31", f"page {i + 1}", f"font {base} is not embedded{known}"))


class GlyphCheck:
    """Checks each code a text operator shows against its font's ToUnicode map (UA 7.21.7) and for .notdef (7.21.8)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        self._maps: dict = {}
        self._told: set = set()  # (font, code) already reported

    def shown(self, font: pikepdf.Dictionary, ins, where: str) -> None:
        """Check the codes ``ins`` (Tj, TJ, ', ") shows in ``font``."""
        if font.get("/Subtype") == Name.Type0:
            return  # two-byte fonts: ReportLab's TrueType subsets are simple fonts; not checked here
        key = font.objgen
        if key not in self._maps:
            cmap = font.get("/ToUnicode")
            self._maps[key] = tounicode(cmap) if cmap is not None else None
        mapping = self._maps[key]
        name = str(font.get("/BaseFont", "/?"))[1:]
        for s in _strings(ins):
            for code in s:
                if (key, code) in self._told:
                    continue
                if mapping is None:
                    if font.get("/Subtype") != Name.Type1 or "/Encoding" not in font:
                        self._told.add((key, code))
                        self.findings.append(Finding("UA 7.21.7", "31", where, f"font {name}: no ToUnicode map"))
                    continue
                if mapping.get(code) in _NO_TEXT or code not in mapping:
                    self._told.add((key, code))
                    self.findings.append(Finding("UA 7.21.7", "31", where, f"font {name}: code {code} maps to {mapping.get(code)!r}, no text"))
                if code == 0 and font.get("/Subtype") == Name.TrueType:
                    self._told.add((key, code))
                    self.findings.append(Finding("UA 7.21.8", "31", where, f"font {name}: the .notdef glyph (code 0) is shown"))


def _strings(ins) -> list[bytes]:
    out = []
    for operand in ins.operands:
        if isinstance(operand, pikepdf.String):
            out.append(bytes(operand))
        elif isinstance(operand, Array):
            out += [bytes(x) for x in operand if isinstance(x, pikepdf.String)]
    return out
