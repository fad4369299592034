"""The pages' content: everything painted is an artifact or tagged content, and the marked-content sequences nest."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

from . import Finding
from .fonts import GlyphCheck

TEXT = frozenset({"Tj", "TJ", "'", '"'})
PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}) | TEXT


def check_content(pdf: pikepdf.Pdf, findings: list[Finding]) -> dict[int, set[int]]:
    """Return the MCIDs each page's content holds (by page index), after appending what ``pdf``'s pages' content fails to ``findings``."""
    mcids: dict[int, set[int]] = {}
    glyphs = GlyphCheck(findings)
    for i, page in enumerate(pdf.pages):
        where = f"page {i + 1}"
        mcids[i] = set()
        walk = _Walk(findings, glyphs, mcids[i])
        walk.run(pikepdf.parse_content_stream(page), page.obj.get("/Resources", Dictionary()), where, [], frozenset())
        if len(page.obj.get("/Annots", Array())) and page.obj.get("/Tabs") != Name.S:
            findings.append(Finding("UA 7.18.3", "28", where, "a page with annotations has no /Tabs /S"))
        if mcids[i] and "/StructParents" not in page.obj:
            findings.append(Finding("UA 7.1", "01", where, "a page with marked content has no /StructParents"))
    return mcids


class _Walk:
    def __init__(self, findings: list[Finding], glyphs: GlyphCheck, mcids: set[int]):
        self.findings = findings
        self.glyphs = glyphs
        self.mcids = mcids
        self.told: set[tuple[str, str]] = set()  # (where, message) already reported

    def bad(self, clause: str, group: str, where: str, message: str) -> None:
        if (where, message) not in self.told:
            self.told.add((where, message))
            self.findings.append(Finding(clause, group, where, message))

    def run(self, instructions, resources, where: str, outer: list[str], forms: frozenset) -> None:
        """Walk ``instructions`` drawn inside the sequences ``outer`` ("A" artifact, "M" with an MCID, "-" other)."""
        stack = list(outer)
        in_text = False
        opened_in_text: list[bool] = []
        font = None
        for ins in instructions:
            op = str(ins.operator)
            if op in ("BMC", "BDC"):
                kind = self.opening(op, ins, resources, where)
                if kind == "A" and "M" in stack:
                    self.bad("UA 7.1", "01", where, "an artifact inside tagged content")
                if kind == "M" and "A" in stack:
                    self.bad("UA 7.1", "01", where, "tagged content inside an artifact")
                if kind == "M" and "M" in stack:
                    self.bad("ISO 32000 14.7.4", "01", where, "marked content with an MCID inside another")
                stack.append(kind)
                opened_in_text.append(in_text)
            elif op == "EMC":
                if len(stack) <= len(outer):
                    self.bad("ISO 32000 14.6", "01", where, "EMC without its BMC or BDC")
                    continue
                stack.pop()
                if opened_in_text.pop() != in_text:
                    self.bad("ISO 32000 14.6", "01", where, "marked content and BT/ET not nested")
            elif op == "BT":
                in_text = True
            elif op == "ET":
                in_text = False
            elif op == "Tf":
                font = resources.get("/Font", Dictionary()).get(str(ins.operands[0]))
            if op not in PAINT:
                continue
            if "A" not in stack and "M" not in stack:
                self.bad("UA 7.1", "01", where, f"content neither an artifact nor tagged ({op})")
            if op in TEXT and font is not None:
                self.glyphs.shown(font, ins, where)
            if op == "Do":
                xobject = resources.get("/XObject", Dictionary()).get(str(ins.operands[0]))
                if xobject is not None and xobject.get("/Subtype") == Name.Form and xobject.objgen not in forms:
                    inner = xobject.get("/Resources", resources)
                    self.run(pikepdf.parse_content_stream(xobject), inner, f"{where} form {ins.operands[0]}", stack, forms | {xobject.objgen})
        if len(stack) > len(outer):
            self.bad("ISO 32000 14.6", "01", where, f"{len(stack) - len(outer)} marked-content sequences left open")

    def opening(self, op: str, ins, resources, where: str) -> str:
        """Return the kind of sequence ``ins`` opens: "A" an artifact, "M" with an MCID (recorded), "-" another."""
        tag = str(ins.operands[0])
        if tag == "/Artifact":
            return "A"
        if op != "BDC":
            return "-"
        props = ins.operands[1]
        if isinstance(props, Name):
            props = resources.get("/Properties", Dictionary()).get(str(props), Dictionary())
        if "/MCID" not in props:
            return "-"
        mcid = int(props.MCID)
        if mcid in self.mcids:
            self.bad("UA 7.1", "01", where, f"MCID {mcid} used twice")
        self.mcids.add(mcid)
        return "M"
