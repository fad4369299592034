"""Marked content written as each page is finished: the tagger's points in the canvas's operators become sequences.

ReportLab keeps a page's content as a list of operator strings, one or a
few operations per drawing call, until the page is finished (``page_code``).
There, before ReportLab joins and compresses them, ``mark_page`` does what
``ua_scan`` does to the written bytes, a piece at a time instead of a token
at a time (a tenth of its cost on a long report): a point piece
(``tags.point``) opens or closes a node and is dropped; a text object
(``BT ... ET``) with no point inside is painted by the node open, if it
shows text; one with points inside (a link, a span, a footnote's mark) is
read by ``ua_scan`` token by token; any other piece is read operator by
operator, a sequence opened before the path it paints (a path may be built
over several pieces and painted in a later one). The owners, sequences and
MCIDs are those ``ua_content`` gives the same page (a test checks each page).

A page holding anything this reading does not expect (a string or a
dictionary outside a text object, an inline image, marked content already,
a point inside a path, a node left open) is left as it is: None, and the
page's bytes are read instead, once ReportLab has joined them
(``Tagger.page_written``).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from .ua_marks import LAYOUT, PageContent, owner_of, sequence_start
from .ua_scan import _TOKEN, _Scan, _Unexpected

if TYPE_CHECKING:
    from .tags import Tree

_POINT = re.compile(r"/RG([be]) <</N (\d+)>> DP")
_PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do"})
_PATH = frozenset({"m", "l", "c", "v", "y", "h", "re", "W", "W*"})
_STATE = frozenset({"q", "Q", "cm", "w", "J", "j", "M", "d", "ri", "i", "gs", "CS", "cs", "SC", "SCN", "sc", "scn", "G", "g", "RG", "rg", "K", "k"})
_SHOWS = re.compile(r"Tj|TJ|'|\"")  # a text object holding none of these shows no text (ReportLab's font-setting ones)
_ODD = re.compile(r"[()<>%{}\\]")  # strings, dictionaries, comments: not expected outside a text object
_OPERAND = frozenset("/-+.0123456789[]")
_POINT_IN_TEXT = re.compile(r"/RG([bek]) <</N (\d+)>> DP")  # (split: segment, kind, node, segment, ...)
_STRING = re.compile(r"\((?:[^\\()]++|\\.)*+\)", re.S)  # a literal string (ReportLab escapes the parentheses inside)
_SHOW_OP = re.compile(r"(?<![A-Za-z0-9*'\"])(?:Tj|TJ|'|\")(?![A-Za-z0-9*'\"])")
_NOT_IN_TEXT = re.compile(r"(?<![A-Za-z0-9*'\"])(?:BT|ET|BI|ID|EI|BMC|BDC|EMC|MP|DP|m|l|c|v|y|h|re|S|s|f\*?|F|B\*?|b\*?|n|W\*?|sh|Do)"
                          r"(?![A-Za-z0-9*'\"])|[<>%\[\]{}]")
_UNEXPECTED = ("?", "")
_SAVE_RESTORE = frozenset({"q", "Q"})


@functools.lru_cache(maxsize=4096)
def _operations(piece: str) -> tuple[tuple[str, str], ...]:
    """Return what marking needs of the operators in ``piece`` (not a text object), in order: ("path", op) for one that
    builds a path, ("n", "n") for one that ends it unpainted, ("paint", op) for one that paints; ``_UNEXPECTED``
    among them for anything else but the graphics state. (Many pieces repeat: "q", "Q", a colour.)"""
    if _ODD.search(piece):
        return (_UNEXPECTED,)
    out = []
    for token in piece.split():
        if token[0] in _OPERAND or token in _STATE:
            continue
        if token in _PATH:
            out.append(("path", token))
        elif token == "n":
            out.append(("n", token))
        elif token in _PAINT:
            out.append(("paint", token))
        else:
            return (_UNEXPECTED,)
    return tuple(out)


class _Page:
    def __init__(self, tree: Tree, page: int):
        self.tree = tree
        self.page = page
        self.out: list[str] = []
        self.content = PageContent()
        self.stack: list[int] = []
        self.open: tuple[str, int] | None = None
        self.mcid = 0
        self.path: int | None = None  # where in ``out`` the path being built began (None: no path)

    def switch(self, at: int, key: tuple[str, int] | None, op: str) -> None:
        """Make ``key``'s the sequence open from ``out[at]`` on (nothing painted since ``at``)."""
        if key is None:
            self.content.untagged.append(op)
            key = LAYOUT
        if key == self.open:
            return
        inserted = ["EMC"] if self.open is not None else []
        inserted.append(sequence_start(self.tree, key, self.mcid))
        if key[0] == "n":
            self.content.events.append(("mc", key[1], self.mcid))
            self.mcid += 1
        self.out[at:at] = inserted
        self.open = key

    def point(self, piece: str) -> bool:
        m = _POINT.fullmatch(piece)
        if m is None:
            return False
        if self.path is not None:
            raise _Unexpected  # (a point inside a path)
        node = int(m.group(2))
        if m.group(1) == "b":
            self.stack.append(node)
        elif not self.stack or self.stack.pop() != node:
            raise _Unexpected
        return True

    def text(self, piece: str) -> None:
        if self.path is not None:
            raise _Unexpected
        if "/RG" not in piece:
            if _SHOWS.search(piece):
                self.switch(len(self.out), owner_of(self.tree, self.stack), "text")
            self.out.append(piece)
            return
        if self._points_in_text(piece):
            return
        try:
            data = piece.encode("latin-1")
        except UnicodeEncodeError:
            raise _Unexpected from None
        tokens = list(_TOKEN.finditer(data))
        if tokens[-1].group("op") != b"ET" or any(m.group("op") == b"ET" for m in tokens[:-1]):
            raise _Unexpected
        scan = _Scan(self.tree, self.page, data)
        scan.stack, scan.open, scan.mcid, scan.out = self.stack, self.open, self.mcid, self.content
        scan.text_object(tokens, 0)
        scan.copy_to(len(data))
        self.stack, self.open, self.mcid = scan.stack, scan.open, scan.mcid
        self.out.append(b"".join(scan.pieces).decode("latin-1").strip("\n"))

    def _points_in_text(self, piece: str) -> bool:
        """Mark text object ``piece`` whose points the tagger wrote inside it, without a token reader; return False
        (nothing done) for a piece not as ReportLab writes it. Its strings are cut out of each stretch between two
        points: a point inside a string (text that reads like a point) leaves half a string, a parenthesis, behind."""
        parts = _POINT_IN_TEXT.split(piece.rstrip())
        segments, kinds, nodes = parts[0::3], parts[1::3], [int(n) for n in parts[2::3]]
        if len(segments) == 1 or not segments[0].startswith("BT") or not segments[-1].endswith("ET"):
            return False  # (no point: "/RG" only in its text)
        bare = [_STRING.sub("", segment) for segment in segments]
        if any("(" in b or ")" in b for b in bare):
            return False
        if any(_NOT_IN_TEXT.search(b) for b in (bare[0][2:], *bare[1:-1], bare[-1][:-2])):
            return False
        shows = [bool(_SHOW_OP.search(b)) for b in bare]
        stack, owners, placed = list(self.stack), [], False
        for i in range(len(segments)):
            if shows[i]:
                key = owner_of(self.tree, stack)
                if key not in owners:
                    owners.append(key)
            if i < len(kinds):
                if kinds[i] == "k":
                    placed = True
                elif kinds[i] == "b":
                    stack.append(nodes[i])
                elif not stack or stack.pop() != nodes[i]:
                    raise _Unexpected
        if len(owners) <= 1 and not placed:  # the whole text object in one sequence (or none: it shows nothing)
            if owners:
                self.switch(len(self.out), owners[0], "text")
            self.out.append("".join(segments))
            self.stack = stack
            return True
        if self.open is not None:  # a sequence per run, inside the text object
            self.out.append("EMC")
            self.open = None
        self.out.append("BT")
        last = len(segments) - 1
        for i, segment in enumerate(segments):
            text = segment[2:] if i == 0 else segment
            if i == last:
                text = text.rstrip()[:-2]
            if shows[i]:
                self.switch(len(self.out), owner_of(self.tree, self.stack), "Tj")
            self.out.append(text)
            if i < len(kinds):
                if kinds[i] == "k":
                    if self.open is not None:
                        self.out.append("EMC")
                        self.open = None
                    self.content.events.append(("kid", nodes[i]))
                elif kinds[i] == "b":
                    self.stack.append(nodes[i])
                else:
                    self.stack.pop()
        if self.open is not None:
            self.out.append("EMC")
            self.open = None
        self.out.append("ET")
        return True

    def other(self, piece: str, operations: tuple[tuple[str, str], ...]) -> None:
        at = len(self.out)
        for kind, op in operations:
            if kind == "path":
                if self.path is None:
                    self.path = at
            elif kind == "n":
                self.path = None
            elif kind == "paint":
                self.switch(at if self.path is None else self.path, owner_of(self.tree, self.stack), op)
                at = len(self.out)
                self.path = None
            else:
                raise _Unexpected
        self.out.append(piece)

    def run(self, code: list[str]) -> list[str]:
        append = self.out.append
        for piece in code:
            if piece in _SAVE_RESTORE:  # (two pieces in five: "q" and "Q", as they are)
                append(piece)
                continue
            first = piece[:1]
            if first == "/" and piece.startswith("/RG") and self.point(piece):
                continue
            if first == "B" and piece.startswith("BT"):
                self.text(piece)
                continue
            operations = _operations(piece)
            if operations:
                self.other(piece, operations)
            else:  # (most other pieces: the graphics state, a colour, a matrix)
                append(piece)
        if self.stack or self.path is not None:
            raise _Unexpected
        if self.open is not None:
            self.out.append("EMC")
        return self.out


def mark_page(code: list[str], tree: Tree, page: int) -> tuple[list[str], PageContent] | None:
    """Return page ``page``'s operators ``code`` (the canvas's, as the page is finished) with the tagger's points made
    marked-content sequences, and what the page holds; None when it holds something this reading does not expect."""
    marker = _Page(tree, page)
    try:
        out = marker.run(code)
    except _Unexpected:
        return None
    return out, marker.content
