"""The tagged file's structure tree: the ``Tree`` and what its pages' content held, as the structure elements to write.

Two steps around ReportLab's writing of its objects (``ua.write_tagged_file``).
``plan_structure``, before it, reads what each node holds and returns a
``Structure``, with what must point to the elements: /StructParents on each
page with a leaf's marked content, /StructParent (and /Contents) on each
link annotation an element holds, which ``ua`` sets on ReportLab's objects.
``Elements``, after it (once ReportLab's objects are numbered), numbers
and then writes, one by one, a StructElem per node that holds content
(its MCIDs, on the pages they are on, and its link annotations as OBJRs),
the ParentTree (each page's MCIDs and each annotation back to its element)
and the IDTree (the Notes' /ID), as PDF syntax: ``objfile`` packs them into
object streams. A leaf's kids are its MCIDs in stream order with its inline
children (links, notes, spans, each with its /Lang) where they stand in its
text; a container's are its children in reading order, those that hold
nothing left out, but a table's rows and cells, which are kept so that
every row has every column.
"""

from __future__ import annotations

import functools
import re
from array import array
from dataclasses import dataclass
from typing import Callable, Iterator

from .tags import CONTAINERS, Node, Tree

_TABLE_PARTS = frozenset({"THead", "TBody", "TR", "TH", "TD"})
_OWNER = {"TH": "Table", "TD": "Table", "L": "List", "LI": "List"}  # the attribute owner (/O) of each role's /A
_PLAIN_NAME = re.compile(r"[A-Za-z0-9]+")
_CELLS = frozenset({"TH", "TD"})
KID = -1  # in a node's packed kids (``_content``), where a page would be: an inline node, its id next


@dataclass
class Structure:
    """What ``plan_structure`` read of a file's tree and content, for ``write_elements`` once the file is saved."""

    tree: Tree
    items: dict[int, array]  # node id -> its kids in the page content, packed (``_content``)
    holds: list[bool]  # node id -> whether it holds content (``_holding``)
    annots_of: dict[int, list[tuple[int, int, int]]]  # node id -> (page, index in its /Annots, ParentTree key) of each annotation
    pages: int  # how many pages the file has
    next_key: int  # /ParentTreeNextKey
    parented: list[int]  # the pages whose /StructParents is their index (those with an element's marked content)


def _content(tree: Tree, events: dict[int, list[tuple]], reached: Callable[[Node], bool]) -> tuple[dict[int, array], list[int]]:
    """Return each node's kids in the page content, in stream order, as pairs of numbers in one array: (page, mcid) a
    marked-content reference, (-1, node id) an inline node (see ``_kids``); and the pages whose MCIDs an element holds
    (a leaf's, as ``Elements`` writes them). Each page's ``events`` list is emptied once read (a long report's are
    tens of thousands: they and what is made of them are not held at once; as tuples in lists, the kids were 6 MB at
    N = 100)."""
    items: dict[int, array] = {}
    placed: set[int] = set()
    parented: list[int] = []

    def place(node: Node) -> None:
        if node.inline and node.parent is not None and node.id not in placed:
            place(node.parent)  # a link in a span (or a span in a link) stands in it where its own content begins
            placed.add(node.id)
            own = items.get(node.parent.id)
            if own is None:
                own = items[node.parent.id] = array("i")
            own.extend((KID, node.id))

    nodes = tree.nodes
    for page in sorted(events):
        held = False
        for event in events[page]:
            node = nodes[event[1]]
            if node.inline:  # (most are a leaf's own: nothing to place)
                place(node)
            if event[0] == "mc":
                own = items.get(node.id)
                if own is None:
                    own = items[node.id] = array("i")
                own.append(page)
                own.append(event[2])
                if not held and not node.container and reached(node):
                    held = True
        if held:
            parented.append(page)
        events[page].clear()
    return items, parented


def _kids(packed: array | None) -> Iterator[tuple[int, int]]:
    """Yield the pairs of numbers ``_content`` packed for a node: (page, mcid), or (``KID``, an inline node's id)."""
    if packed:
        yield from zip(packed[::2], packed[1::2])


def _reached(tree: Tree) -> Callable[[Node], bool]:
    """Return whether a node that holds content is an element of the tree ``Elements`` writes: each node between
    it and the Document is a container's child, or an inline node (a leaf's own kids are only those)."""
    known = bytearray(len(tree.nodes))  # node id -> 0 not yet known, 1 no, 2 yes (a dict of tens of thousands was megabytes)
    known[tree.root.id] = 2

    def reached(node: Node) -> bool:
        got = known[node.id]
        if not got:
            parent = node.parent
            got = known[node.id] = 2 if parent is not None and (parent.container or node.inline) and reached(parent) else 1
        return got == 2

    return reached


def plan_structure(tree: Tree, events: dict[int, list[tuple]], annots: dict[int, list[int | None]], listed: list[int]) -> Structure:
    """Return what writing the structure elements of ``tree`` needs: the file's page ``p`` holds ``events[p]``
    (``ua_marks.PageContent.events``) and ``listed[p]`` link annotations, which belong to the Links ``annots[p]``
    names (in /Annots order); each page's ``events`` are emptied as they are read. What points to the elements is for
    the caller to set from it: /StructParents on each page of ``parented``, /StructParent (and /Contents, if empty)
    on each annotation ``annots_of`` lists."""
    reached = _reached(tree)
    items, parented = _content(tree, events, reached)
    nodes = tree.nodes
    annots_of: dict[int, list[tuple[int, int, int]]] = {}
    key = len(listed)  # (keys 0 .. pages - 1 are the pages')
    for p, ids in sorted(annots.items()):
        if listed[p] != len(ids):
            raise RuntimeError(f"tagging: page {p + 1} has {listed[p]} annotations, {len(ids)} were recorded")
        for k, nid in enumerate(ids):
            if nid is None or not reached(nodes[nid]):
                continue
            annots_of.setdefault(nid, []).append((p, k, key))
            key += 1
    return Structure(tree, items, _holding(tree, items, annots_of), annots_of, len(listed), key, parented)


def _entries(node: Node, s: Structure) -> list[tuple]:
    """Return what ``node``'s element holds, in its /K order: ("el", a kid node: an element of its own),
    ("mcr", page, mcid), ("objr", page, index in the page's /Annots, ParentTree key). A container holds its children
    that hold content (and a table's parts and cells, so that every row has every column); a leaf its MCIDs in stream
    order with its inline children where they stand in its text, then those that stand nowhere in it (a link holding
    only its annotation), then its link annotations."""
    if node.role in CONTAINERS:
        holds = s.holds
        return [("el", k) for k in node.kids if holds[k.id] or (k.role in _TABLE_PARTS and k.kids) or k.role in _CELLS]
    out: list[tuple] = []
    placed = set()
    for page, value in _kids(s.items.get(node.id)):
        if page == KID:
            placed.add(value)
            out.append(("el", s.tree.nodes[value]))
        else:
            out.append(("mcr", page, value))
    for k in node.kids:
        if k.inline and s.holds[k.id] and k.id not in placed:
            out.append(("el", k))
    out += [("objr", p, i, key) for p, i, key in s.annots_of.get(node.id, ())]
    return out


class Elements:
    """The structure's objects, numbered from ``base`` on: the elements (the Document first, in reading order), each
    page's ParentTree array, the ParentTree, the IDTree; and the StructTreeRoot that points to them (``root``).

    They are numbered first (a walk of the tree, nothing written), so that
    ``objects`` can give each in turn, in number order, written as it is
    given: a long report has tens of thousands, which are never all held at
    once, as text or as bytes (``objfile.ObjectFile`` packs them as they
    come).
    """

    def __init__(self, s: Structure, base: int):
        self.s = s
        self.base = base
        self.numbers = array("l", [0]) * len(s.tree.nodes)  # node id -> its element's number (0: none)
        pages: set[int] = set()
        ids = False
        number = base
        numbers = self.numbers
        stack = [s.tree.root]
        while stack:  # (the order ``objects`` writes them in: each element before its kids, in order)
            node = stack.pop()
            numbers[node.id] = number
            number += 1
            if node.elem_id:
                ids = True
            kids = []
            for entry in _entries(node, s):
                if entry[0] == "el":
                    kids.append(entry[1])
                elif entry[0] == "mcr":
                    pages.add(entry[1])
            stack.extend(reversed(kids))
        self.count = number - base  # elements
        self.marked_pages = sorted(pages)  # the pages with a ParentTree array: those holding an element's MCIDs
        self.parent_tree = number + len(self.marked_pages)
        self.id_tree = self.parent_tree + 1 if ids else None

    def root(self) -> bytes:
        """Return the StructTreeRoot, written."""
        text = f"<</Type/StructTreeRoot/K {self.base} 0 R/ParentTree {self.parent_tree} 0 R/ParentTreeNextKey {self.s.next_key}"
        if self.id_tree is not None:
            text += f"/IDTree {self.id_tree} 0 R"
        return (text + ">>").encode("latin-1")

    def objects(self, root: str, pages: list[str], annots: dict[tuple[int, int], str]) -> Iterator[tuple[int, bytes]]:
        """Yield the structure's objects from ``base`` on, in number order, each as (number, PDF syntax in bytes);
        ``root`` is the StructTreeRoot's reference ("12 0 R"), ``pages`` the pages' and ``annots`` the annotations'
        by (page, index in its /Annots)."""
        s, numbers = self.s, self.numbers
        parent_tree: dict[int, array] = {p: array("l") for p in self.marked_pages}  # page -> mcid -> its element (0: none)
        id_tree: dict[str, str] = {}
        held: list[tuple[int, int]] = []  # (ParentTree key, the element holding that annotation)
        number = self.base
        stack: list[tuple[Node, int]] = [(s.tree.root, 0)]
        while stack:
            node, parent = stack.pop()
            num = numbers[node.id]
            if num != number:
                raise RuntimeError(f"tagging: element {num} written as {number}")
            number += 1
            e = f"{num} 0 R"
            head = f"<</Type/StructElem/S{_name(node.role)}/P {f'{parent} 0 R' if parent else root}"
            if node.alt or node.elem_id or node.lang or node.attrs:
                head += _extra(node, e, id_tree)
            kids: list[str] = []
            later: list[Node] = []
            first_page = None
            for entry in _entries(node, s):
                kind = entry[0]
                if kind == "el":
                    kids.append(f"{numbers[entry[1].id]} 0 R")
                    later.append(entry[1])
                elif kind == "mcr":
                    _, p, mcid = entry
                    if first_page is None:
                        first_page = p
                    marks = parent_tree[p]
                    if len(marks) <= mcid:
                        marks.extend([0] * (mcid + 1 - len(marks)))
                    marks[mcid] = num
                    kids.append(str(mcid) if p == first_page else f"<</Type/MCR/Pg {pages[p]}/MCID {mcid}>>")
                else:
                    _, p, i, key = entry
                    kids.append(f"<</Type/OBJR/Obj {annots[p, i]}/Pg {pages[p]}>>")
                    held.append((key, num))
                    if first_page is None:  # (no MCIDs: they come before its annotations)
                        first_page = p
            stack.extend((k, num) for k in reversed(later))
            if first_page is None:  # (no /Pg: a container, or an element with no content of its own)
                yield num, f"{head}/K[{' '.join(kids)}]>>".encode("latin-1")
            else:
                yield num, f"{head}/Pg {pages[first_page]}/K[{' '.join(kids)}]>>".encode("latin-1")
        if number != self.base + self.count:
            raise RuntimeError(f"tagging: {number - self.base} elements written, {self.count} numbered")
        nums: list[str] = []
        for p in self.marked_pages:
            marks = parent_tree[p]
            yield number, ("[" + " ".join(f"{n} 0 R" if n else "null" for n in marks) + "]").encode("latin-1")
            nums.append(f"{p} {number} 0 R")
            number += 1
        nums += [f"{key} {e} 0 R" for key, e in sorted(held)]
        yield number, f"<</Nums[{' '.join(nums)}]>>".encode("latin-1")
        if self.id_tree is not None:
            yield self.id_tree, f"<</Names[{' '.join(f'{text_string(k)} {id_tree[k]}' for k in sorted(id_tree))}]>>".encode("latin-1")


def _extra(node: Node, e: str, id_tree: dict[str, str]) -> str:
    """Return element ``e``'s /Alt, /ID, /Lang and /A entries, written (its /ID noted in ``id_tree``)."""
    d = []
    if node.alt:
        d += ["/Alt", text_string(node.alt)]
    if node.elem_id:
        d += ["/ID", text_string(node.elem_id)]
        id_tree[node.elem_id] = e
    if node.lang:
        d += ["/Lang", text_string(node.lang)]
    if node.attrs:
        d += ["/A<</O", _name(_OWNER.get(node.role, "Layout"))]
        for k, value in node.attrs.items():
            d += [_name(k), _name(str(value))]
        d.append(">>")
    return "".join(d)


def _holding(tree: Tree, items: dict[int, array], annots_of: dict) -> list[bool]:
    """Return, by node id, whether each node holds content: MCIDs of its own, a link annotation, or a kid that does."""
    holds = [False] * len(tree.nodes)
    for nid, own in items.items():
        if any(page != KID for page in own[::2]):
            holds[nid] = True
    for nid in annots_of:
        holds[nid] = True
    for node in reversed(tree.nodes):  # (a node's kids were made after it: theirs are known first)
        if holds[node.id] and node.parent is not None:
            holds[node.parent.id] = True
    return holds


_LITERAL = re.compile(r"[ -~]*")  # printable ASCII: written as a literal string
_REGULAR = frozenset(b"!\"$&'*+,-.0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ\\^_`abcdefghijklmnopqrstuvwxyz|~")


def text_string(value: str) -> str:
    """Return ``value`` as a PDF text string, written: printable ASCII as a literal string (its backslashes and
    parentheses escaped), anything else UTF-16BE with its byte order mark, in hexadecimal (ISO 32000-1 7.9.2.2)."""
    if _LITERAL.fullmatch(value):
        return "(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


@functools.lru_cache(maxsize=512)
def _name(value: str) -> str:
    """Return ``value`` as a PDF name, written (``/P``): each byte of its UTF-8 but the regular characters as ``#XX``
    (ISO 32000-1 7.3.5)."""
    if _PLAIN_NAME.fullmatch(value):
        return "/" + value
    return "/" + "".join(chr(b) if b in _REGULAR else f"#{b:02X}" for b in value.encode("utf-8"))
