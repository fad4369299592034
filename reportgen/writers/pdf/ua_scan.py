"""Marking one page's content on its bytes: ``ua_content``'s rewrite, without parsing every operator.

``ua_content.rewrite`` works on pikepdf's parse of the stream, a Python
object per operand and operator: about 6 µs an operator, most of the
tagging's cost on a long report when every page was read so (40 s of the largest outline's 2,500 pages). A
page ReportLab wrote is regular enough to read with one regular expression
that stops only where the rewrite must look: strings (skipped whole, so no
text is read as an operator), names, the tagger's points, BT and ET, the
operators that start a path (``m``, ``re``), end one unpainted (``n``) or
paint (text, paths, forms and images, shadings). Everything between is
copied as it is. The marked-content sequences go where ``ua_content`` puts
them (between operations: before a path's first operand, never inside a
text object they did not open), with the same owners and MCIDs; a test
checks both rewrites agree on every page of the test documents.

A page holding anything this reading does not expect (an inline image, a
comment, marked content already, a point out of place) is answered with
None: ``Tagger.page_written`` then rewrites it with ``ua_content``. This
reading is for a page ``ua_page`` (the usual one, as the page is finished)
does not expect; tests run it on every page of the test documents.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .ua_marks import PageContent, owner_of, sequence_start

if TYPE_CHECKING:
    from .tags import Tree

_TOKEN = re.compile(
    rb"(?P<str>\((?:[^\\()]|\\.)*\))"  # a literal string (ReportLab escapes the parentheses inside)
    rb"|(?P<point>/RG(?P<kind>[bek]) <</N (?P<node>\d+)>> DP)"  # the tagger's point (``tags.point``)
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<name>/[^\s/<>\[\]()%{}]*)"
    rb"|(?<![A-Za-z0-9*'\"])(?P<op>BT|ET|Tj|TJ|re|m|n|f\*|f|F|S|s|B\*|B|b\*|b|Do|sh|'|\")(?![A-Za-z0-9*'\"])"
    rb"|(?P<bad>%|<<|>>|(?<![A-Za-z])(?:BI|ID|EI|BMC|BDC|EMC|DP|MP)(?![A-Za-z*]))",
    re.S,
)
_TEXT = frozenset({b"Tj", b"TJ", b"'", b'"'})


class _Unexpected(Exception):
    pass


class _Scan:
    def __init__(self, tree: Tree, page: int, data: bytes):
        self.tree = tree
        self.page = page
        self.data = data
        self.pieces: list[bytes] = []
        self.copied = 0  # data[:copied] is in pieces
        self.out = PageContent()
        self.stack: list[int] = []
        self.open: tuple[str, int] | None = None
        self.mcid = 0

    def copy_to(self, at: int) -> None:
        if at > self.copied:
            self.pieces.append(self.data[self.copied : at])
            self.copied = at

    def skip(self, start: int, end: int) -> None:
        """Leave data[start:end] out (a point)."""
        self.copy_to(start)
        self.copied = end

    def close_at(self, at: int) -> None:
        if self.open is not None:
            self.copy_to(at)
            self.pieces.append(b"\nEMC\n")
            self.open = None

    def switch_at(self, at: int, key: tuple[str, int] | None, op: str) -> None:
        """Make ``key``'s the sequence open from offset ``at`` (a boundary between operations)."""
        if key is None:
            self.out.untagged.append(op)
            key = ("a", -1)
        if key == self.open:
            return
        self.close_at(at)
        self.copy_to(at)
        self.pieces.append(f"\n{sequence_start(self.tree, key, self.mcid)}\n".encode())
        if key[0] == "n":
            self.out.events.append(("mc", key[1], self.mcid))
            self.mcid += 1
        self.open = key

    def point(self, m: re.Match, stack: list[int]) -> str:
        kind, node = m.group("kind").decode(), int(m.group("node"))
        if kind == "b":
            stack.append(node)
        elif kind == "e":
            if not stack or stack[-1] != node:
                raise _Unexpected
            stack.pop()
        return kind

    def run(self) -> bytes:
        tokens = list(_TOKEN.finditer(self.data))
        boundary = 0  # just after the last operation: where a sequence may begin
        path_start: int | None = None  # the boundary a path began at
        i, n = 0, len(tokens)
        while i < n:
            m = tokens[i]
            group = m.lastgroup
            if group in ("str", "hex", "name"):
                i += 1
                continue
            if group == "bad":
                raise _Unexpected
            if group == "point":
                if path_start is not None:
                    raise _Unexpected
                if self.point(m, self.stack) == "k":
                    raise _Unexpected  # (a Note's place is only ever inside a text object)
                self.skip(m.start(), m.end())
                boundary = m.end()
                i += 1
                continue
            op = m.group("op")
            if op == b"BT":
                if path_start is not None:
                    raise _Unexpected
                j = i
                while j < n and tokens[j].group("op") != b"ET":
                    j += 1
                if j == n:
                    raise _Unexpected
                self.text_object(tokens[i : j + 1], boundary)
                boundary = tokens[j].end()
                i = j + 1
                continue
            if op in (b"m", b"re"):
                if path_start is None:
                    path_start = boundary
            elif op == b"n":
                path_start = None
                boundary = m.end()
            elif op in _TEXT or op == b"ET":
                raise _Unexpected
            else:  # painting: a path, a form or image (Do), a shading
                self.switch_at(path_start if path_start is not None else boundary, owner_of(self.tree, self.stack), op.decode())
                path_start = None
                boundary = m.end()
            i += 1
        if self.stack or path_start is not None:
            raise _Unexpected
        self.close_at(len(self.data))
        self.copy_to(len(self.data))
        return b"".join(self.pieces)

    def text_object(self, tokens: list, before: int) -> None:
        """One BT ... ET (``tokens``, from BT to ET): in one sequence if what it shows has one owner, else one per run inside it."""
        stack = list(self.stack)
        owners: list = []
        placed = False
        for m in tokens:
            group = m.lastgroup
            if group == "point":
                if m.group("kind") == b"k":
                    placed = True
                else:
                    self.point(m, stack)
            elif group == "bad":
                raise _Unexpected
            elif group == "op" and m.group("op") in _TEXT:
                key = owner_of(self.tree, stack)
                if key not in owners:
                    owners.append(key)
            elif group == "op" and m.group("op") not in (b"BT", b"ET"):
                raise _Unexpected  # (a path inside a text object)
        if len(owners) <= 1 and not placed:
            if owners:
                self.switch_at(before, owners[0], "text")
            for m in tokens:
                if m.lastgroup == "point":
                    self.skip(m.start(), m.end())
            self.stack = stack
            return
        self.close_at(before)
        boundary = tokens[0].end()  # just after BT
        for m in tokens[1:]:
            group = m.lastgroup
            if group == "point":
                kind = self.point(m, self.stack)
                if kind == "k":
                    self.close_at(m.start())
                    self.out.events.append(("kid", int(m.group("node"))))
                self.skip(m.start(), m.end())
                boundary = m.end()
            elif group == "op" and m.group("op") == b"ET":
                self.close_at(m.start())
            elif group == "op":
                self.switch_at(boundary, owner_of(self.tree, self.stack), m.group("op").decode())
                boundary = m.end()


def rewrite_bytes(data: bytes, tree: Tree, page: int) -> tuple[bytes, PageContent] | None:
    """Return page ``page``'s content ``data`` (decoded) with its points made sequences, and what it held; None when the page
    holds something this reading does not expect (``ua_content.rewrite`` then does it)."""
    scan = _Scan(tree, page, data)
    try:
        out = scan.run()
    except _Unexpected:
        return None
    return out, scan.out
