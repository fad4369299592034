"""The structure tree: its elements and what may stand in what, and its agreement with the content and the annotations."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..i18n import is_language_tag
from . import Finding

STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody "
    "Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form".split()
)
HEADINGS = {f"H{n}": n for n in range(1, 7)}
ALLOWED = {  # what may stand directly in these (ISO 32000-1 14.8.4, as PDF/UA checkers read it)
    "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
    "THead": {"TR"},
    "TBody": {"TR"},
    "TFoot": {"TR"},
    "TR": {"TH", "TD"},
    "L": {"LI", "L", "Caption"},
    "LI": {"Lbl", "LBody"},
    "TOC": {"TOCI", "TOC", "Caption"},
    "TOCI": {"Lbl", "Reference", "NonStruct", "P", "TOC"},
}
PARENTS = {"TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"}, "LI": {"L"}, "TOCI": {"TOC"},
           "Lbl": {"LI", "TOCI", "BibEntry", "Note", "Reference", "P"}, "LBody": {"LI"}}


def _kids(element) -> list:
    k = element.get("/K")
    return [] if k is None else list(k) if isinstance(k, Array) else [k]


def _number_tree(node) -> dict[int, object]:
    out: dict[int, object] = {}
    if node is None:
        return out
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", Array()):
        out.update(_number_tree(kid))
    return out


class _Tree:
    def __init__(self, pdf: pikepdf.Pdf, content_mcids: dict[int, set[int]], findings: list[Finding]):
        self.pdf = pdf
        self.content_mcids = content_mcids
        self.findings = findings
        root = pdf.Root.StructTreeRoot
        self.rolemap = root.get("/RoleMap", Dictionary())
        self.parent_tree = _number_tree(root.get("/ParentTree"))
        self.pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        self.tree_mcids: dict[int, set[int]] = {}
        self.headings: list[int] = []
        self.note_ids: list[str] = []
        self.annotations: dict[tuple, str] = {}  # annotation -> the role of the element holding it

    def bad(self, clause: str, group: str, where: str, message: str) -> None:
        self.findings.append(Finding(clause, group, where, message))

    def role(self, element) -> str:
        """Return the standard type ``element`` is, through the RoleMap."""
        s = str(element.get("/S", "/"))[1:]
        seen = set()
        while s not in STANDARD_TYPES and ("/" + s) in self.rolemap and s not in seen:
            seen.add(s)
            s = str(self.rolemap["/" + s])[1:]
        return s

    def visit(self, element, path: str, parent_role: str) -> None:
        r = self.role(element)
        where = f"{path}/{r}" if path else r
        if r not in STANDARD_TYPES:
            self.bad("UA 7.1", "02", where, f"structure type {element.get('/S')} is neither standard nor role-mapped to one")
        if "/Lang" in element and not is_language_tag(str(element.Lang)):
            self.bad("UA 7.2", "11", where, f"/Lang {str(element.Lang)!r} is not a language tag (BCP 47)")
        if r == "Figure" and not str(element.get("/Alt", "")) and "/ActualText" not in element:
            self.bad("UA 7.3", "13", where, "a Figure without Alt")
        if r in HEADINGS:
            self.headings.append(HEADINGS[r])
        if r == "Note":
            note_id = str(element.get("/ID", ""))
            if not note_id:
                self.bad("UA 7.9", "19", where, "a Note without /ID")
            self.note_ids.append(note_id)
        if r == "TH":
            a = element.get("/A", Dictionary())
            attrs = [a] if isinstance(a, Dictionary) else [x for x in a if isinstance(x, Dictionary)]
            if not any("/Scope" in x or "/Headers" in x for x in attrs):
                self.bad("UA 7.5", "15", where, "a TH without Scope (and without Headers)")
        if r in PARENTS and parent_role not in PARENTS[r]:
            self.bad("UA 7.5" if r in ("TR", "TH", "TD") else "UA 7.6", "09", where, f"{r} inside {parent_role}")
        if r == "Table":
            widths = set(self.rows(element))
            if len(widths) > 1:
                self.bad("UA 7.5", "15", where, f"rows of {sorted(widths)} columns: an irregular table")
        page = element.get("/Pg")
        n = 0
        for k in _kids(element):
            if isinstance(k, int) and not isinstance(k, bool):
                self.mcr(int(k), page, element, where)
            elif isinstance(k, Dictionary) and k.get("/Type") == Name.MCR:
                self.mcr(int(k.MCID), k.get("/Pg", page), element, where)
            elif isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR:
                self.annotations[k.Obj.objgen] = (r, element)
                key = k.Obj.get("/StructParent")
                held = self.parent_tree.get(int(key)) if key is not None else None
                if held is None or held.objgen != element.objgen:
                    self.bad("ISO 32000 14.7.4.4", "28", where, "an OBJR's annotation: its StructParent does not lead back to this element")
            elif isinstance(k, Dictionary):
                if r in ALLOWED and self.role(k) not in ALLOWED[r]:
                    self.bad("UA 7.1", "09", where, f"{self.role(k)} is not allowed inside {r}")
                if k.get("/P") is None or k.P.objgen != element.objgen:
                    self.bad("ISO 32000 14.7.2", "01", where, "a child's /P is not its parent")
                n += 1
                self.visit(k, f"{where}[{n}]", r)

    def rows(self, element) -> list[int]:
        """Return the width in columns of each row of table ``element`` (ColSpan counted)."""
        out = []
        for k in _kids(element):
            if not isinstance(k, Dictionary) or k.get("/Type") in (Name.MCR, Name.OBJR):
                continue
            r = self.role(k)
            if r == "TR":
                width = 0
                for cell in _kids(k):
                    if isinstance(cell, Dictionary) and cell.get("/Type") not in (Name.MCR, Name.OBJR):
                        a = cell.get("/A", Dictionary())
                        width += int(a.get("/ColSpan", 1)) if isinstance(a, Dictionary) else 1
                out.append(width)
            elif r in ("THead", "TBody", "TFoot"):
                out += self.rows(k)
        return out

    def mcr(self, mcid: int, page, element, where: str) -> None:
        if page is None or page.objgen not in self.pages:
            self.bad("ISO 32000 14.7.4", "01", where, f"MCID {mcid} without its page (/Pg)")
            return
        p = self.pages[page.objgen]
        self.tree_mcids.setdefault(p, set()).add(mcid)
        key = self.pdf.pages[p].obj.get("/StructParents")
        held = self.parent_tree.get(int(key)) if key is not None else None
        if not isinstance(held, Array) or mcid >= len(held) or not isinstance(held[mcid], Dictionary) or held[mcid].objgen != element.objgen:
            self.bad("ISO 32000 14.7.4.4", "01", where, f"the ParentTree does not map page {p + 1} MCID {mcid} back to this element")

    def finish(self) -> None:
        for p, mcids in self.content_mcids.items():
            missing = mcids - self.tree_mcids.get(p, set())
            if missing:
                self.bad("UA 7.1", "01", f"page {p + 1}", f"MCIDs {sorted(missing)[:8]} in the content are in no structure element")
        for p, mcids in self.tree_mcids.items():
            extra = mcids - self.content_mcids.get(p, set())
            if extra:
                self.bad("ISO 32000 14.7.4", "01", f"page {p + 1}", f"the structure holds MCIDs {sorted(extra)[:8]} the content lacks")
        if self.headings and self.headings[0] != 1:
            self.bad("UA 7.4.2", "14", "headings", f"the first heading is H{self.headings[0]}, not H1")
        for a, b in zip(self.headings, self.headings[1:]):
            if b > a + 1:
                self.bad("UA 7.4.2", "14", "headings", f"H{a} followed by H{b}: a level skipped")
        repeated = sorted({x for x in self.note_ids if x and self.note_ids.count(x) > 1})
        if repeated:
            self.bad("UA 7.9", "19", "notes", f"Note IDs used twice: {repeated}")
        for i, page in enumerate(self.pdf.pages):
            for annot in page.obj.get("/Annots", Array()):
                subtype = annot.get("/Subtype")
                if subtype == Name.Popup:
                    continue
                where = f"page {i + 1} annotation {subtype}"
                held = self.annotations.get(annot.objgen)
                if held is None:
                    self.bad("UA 7.18.1", "28", where, "not in the structure tree (no OBJR)")
                elif subtype == Name.Link and held[0] not in ("Link", "Reference"):
                    self.bad("UA 7.18.5", "28", where, f"a Link annotation inside {held[0]}, not Link")
                if subtype != Name.Widget and not str(annot.get("/Contents", "")) and not (held and str(held[1].get("/Alt", ""))):
                    self.bad("UA 7.18.1", "28", where, "no /Contents (its text alternative)")


def check_structure(pdf: pikepdf.Pdf, content_mcids: dict[int, set[int]], findings: list[Finding]) -> None:
    """Append what ``pdf``'s structure tree fails to ``findings`` (``content_mcids``: each page's MCIDs, ``content``)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    tree = _Tree(pdf, content_mcids, findings)
    for k in _kids(root):
        if isinstance(k, Dictionary):
            tree.visit(k, "", "StructTreeRoot")
    tree.finish()
