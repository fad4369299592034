"""Marking one page's content on pikepdf's parse: the ``Tagger``'s points become marked-content sequences with MCIDs.

Each painting operator (text, paths, images, forms) is given an owner: the
innermost node open at that point (``tags.point``). A leaf's content goes in
``/P <</MCID 3>> BDC ... EMC``; an artifact's in ``/Artifact <</Type
/Pagination>> BDC ... EMC``; what a container draws itself (a table's rules,
a box's bar) and what no node holds in ``/Artifact BMC ... EMC``. Sequences
are never nested and never cross BT/ET: a text object whose text has one
owner sits inside one sequence; one with several (a paragraph with links)
gets a sequence per run inside it, each closed before ET. MCIDs are numbered
in stream order, from 0 on each page. A path's construction and its painting
stay together in one sequence.
"""

from __future__ import annotations

from pikepdf import Dictionary, Name, Operator

from .tags import Tree
from .ua_marks import LAYOUT as _LAYOUT
from .ua_marks import PageContent, owner_of

PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "Tj", "TJ", "'", '"', "INLINE IMAGE", "BI"})
PATH = frozenset({"m", "l", "c", "v", "y", "h", "re", "W", "W*"})


class _Rewriter:
    def __init__(self, tree: Tree, page: int):
        self.tree = tree
        self.page = page
        self.out = PageContent()
        self.stack: list[int] = []  # the ids of the nodes open, innermost last
        self.open: tuple[str, int] | None = None  # the sequence written and not yet closed: ("n", node id) or ("a", node id)
        self.mcid = 0

    def owner(self, stack: list[int]) -> tuple[str, int] | None:
        return owner_of(self.tree, stack)

    def point(self, op: str, ins, stack: list[int]) -> bool:
        """Apply ``ins`` to ``stack`` if it is one of the tagger's points (a "k" point is recorded); return whether it was."""
        kind = _point_kind(op, ins)
        if not kind:
            return False
        node = int(ins.operands[1].N)
        if kind == "b":
            stack.append(node)
        elif kind == "e":
            if not stack or stack[-1] != node:
                raise RuntimeError(f"tagging: page {self.page + 1}: node {node} ends inside {stack[-1:] or 'nothing'}")
            stack.pop()
        else:
            self.close()  # the Note stands between two sequences of its parent
            self.out.events.append(("kid", node))
        return True

    def close(self) -> None:
        if self.open is not None:
            self.out.instructions.append(([], Operator("EMC")))
            self.open = None

    def switch(self, key: tuple[str, int] | None, op: str) -> None:
        """Make ``key``'s the sequence open (closing another, opening a new one)."""
        if key is None:
            self.out.untagged.append(op)
            key = _LAYOUT
        if key == self.open:
            return
        self.close()
        kind, nid = key
        if kind == "a":
            props = self.tree.nodes[nid].props if nid >= 0 else {}
            if props:
                self.out.instructions.append(([Name.Artifact, Dictionary({"/" + k: Name("/" + v) for k, v in props.items()})], Operator("BDC")))
            else:
                self.out.instructions.append(([Name.Artifact], Operator("BMC")))
        else:
            node = self.tree.nodes[nid]
            self.out.instructions.append(([Name("/" + node.role), Dictionary(MCID=self.mcid)], Operator("BDC")))
            self.out.events.append(("mc", nid, self.mcid))
            self.mcid += 1
        self.open = key

    def run(self, instructions) -> PageContent:
        ops = [(str(ins.operator), ins) for ins in instructions]
        path: list = []
        i, n = 0, len(ops)
        while i < n:
            op, ins = ops[i]
            if op in ("BMC", "BDC", "EMC"):
                raise RuntimeError(f"tagging: page {self.page + 1}: marked content already in the stream")
            if self.point(op, ins, self.stack):
                i += 1
                continue
            if op == "BT":
                j = i
                while ops[j][0] != "ET":
                    j += 1
                self.text_object(ops[i : j + 1])
                i = j + 1
                continue
            if op in PATH:
                path.append(ins)
            elif op == "n":  # a clipping path, or none: paints nothing
                self.out.instructions.extend(path)
                self.out.instructions.append(ins)
                path = []
            elif op in PAINT:
                self.switch(self.owner(self.stack), op)
                self.out.instructions.extend(path)
                self.out.instructions.append(ins)
                path = []
            else:
                self.out.instructions.append(ins)  # graphics state: it belongs wherever it falls
            i += 1
        self.close()
        if self.stack:
            raise RuntimeError(f"tagging: page {self.page + 1}: nodes {self.stack} left open")
        return self.out

    def text_object(self, ops: list) -> None:
        """One BT ... ET: inside one sequence if what it shows has one owner, else a sequence per run inside it."""
        stack = list(self.stack)
        owners: list = []
        placed = False  # a Note is placed inside: its parent's text is cut there
        for op, ins in ops:
            kind = _point_kind(op, ins)
            if kind == "k":
                placed = True
            elif kind:
                self.point(op, ins, stack)
            elif op in PAINT:
                key = self.owner(stack)
                if key not in owners:
                    owners.append(key)
        if len(owners) <= 1 and not placed:  # none: it shows nothing (ReportLab's page preamble sets a font in one)
            if owners:
                self.switch(owners[0], "text")
            self.out.instructions.extend(ins for op, ins in ops if not _point_kind(op, ins))
            self.stack = stack
            return
        self.close()
        for op, ins in ops:
            if self.point(op, ins, self.stack):
                continue
            if op == "ET":
                self.close()
            elif op in PAINT:
                self.switch(self.owner(self.stack), op)
            self.out.instructions.append(ins)


def _point_kind(op: str, ins) -> str:
    """Return "b", "e" or "k" when ``ins`` is one of the tagger's points (``tags.point``), else ""."""
    if op != "DP" or len(ins.operands) != 2:
        return ""
    name = str(ins.operands[0])
    return name[3:] if name in ("/RGb", "/RGe", "/RGk") else ""


def rewrite_stream(data: bytes, tree: Tree, page: int) -> tuple[bytes, PageContent]:
    """Return page ``page``'s content ``data`` (decoded) with its points made sequences (parsed by pikepdf), and what it held."""
    import pikepdf

    with pikepdf.new() as pdf:  # (the stream's owner, kept open while it is read)
        content = rewrite(pikepdf.parse_content_stream(pikepdf.Stream(pdf, data)), tree, page)
        return pikepdf.unparse_content_stream(content.instructions), content


def rewrite(instructions, tree: Tree, page: int) -> PageContent:
    """Return page ``page``'s content ``instructions`` (``pikepdf.parse_content_stream``) with its points made sequences."""
    return _Rewriter(tree, page).run(instructions)
