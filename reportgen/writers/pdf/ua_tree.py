"""The tagged file's structure tree: the ``Tree`` and what its pages' content held, as the structure elements to write.

Two steps around ReportLab's writing of its objects (``ua.write_tagged_file``).
``plan_structure``, before it, reads what each node holds and returns a
``Structure``, with what must point to the elements: /StructParents on each
page with a leaf's marked content, /StructParent (and /Contents) on each
link annotation an element holds, which ``ua`` sets on ReportLab's objects.
``write_elements``, after it (once ReportLab's numbers for the pages and
annotations are known), writes a StructElem per node that holds content
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
from dataclasses import dataclass
from typing import Callable

from .tags import CONTAINERS, Node, Tree

_TABLE_PARTS = frozenset({"THead", "TBody", "TR", "TH", "TD"})
_OWNER = {"TH": "Table", "TD": "Table", "L": "List", "LI": "List"}  # the attribute owner (/O) of each role's /A
_PLAIN_NAME = re.compile(r"[A-Za-z0-9]+")
_CELLS = frozenset({"TH", "TD"})


@dataclass
class Structure:
    """What ``plan_structure`` read of a file's tree and content, for ``write_elements`` once the file is saved."""

    tree: Tree
    items: dict[int, list[tuple]]  # node id -> its kids in the page content (``_content``)
    holds: list[bool]  # node id -> whether it holds content (``_holding``)
    annots_of: dict[int, list[tuple[int, int, int]]]  # node id -> (page, index in its /Annots, ParentTree key) of each annotation
    pages: int  # how many pages the file has
    next_key: int  # /ParentTreeNextKey
    parented: list[int]  # the pages whose /StructParents is their index (those with an element's marked content)


def _content(tree: Tree, events: dict[int, list[tuple]]) -> dict[int, list[tuple]]:
    """Return each node's kids in the page content: ("mcr", page, mcid) and ("kid", inline node), in stream order."""
    items: dict[int, list[tuple]] = {}
    placed: set[int] = set()

    def place(node: Node) -> None:
        if node.inline and node.parent is not None and node.id not in placed:
            place(node.parent)  # a link in a span (or a span in a link) stands in it where its own content begins
            placed.add(node.id)
            items.setdefault(node.parent.id, []).append(("kid", node))

    nodes = tree.nodes
    for page in sorted(events):
        for event in events[page]:
            node = nodes[event[1]]
            if node.inline:  # (most are a leaf's own: nothing to place)
                place(node)
            if event[0] == "mc":
                own = items.get(node.id)
                if own is None:
                    own = items[node.id] = []
                own.append(("mcr", page, event[2]))
    return items


def _reached(tree: Tree) -> Callable[[Node], bool]:
    """Return whether a node that holds content is an element of the tree ``write_elements`` writes: each node between
    it and the Document is a container's child, or an inline node (a leaf's own kids are only those)."""
    known: dict[int, bool] = {tree.root.id: True}

    def reached(node: Node) -> bool:
        got = known.get(node.id)
        if got is None:
            parent = node.parent
            got = known[node.id] = parent is not None and (parent.container or node.inline) and reached(parent)
        return got

    return reached


def plan_structure(tree: Tree, events: dict[int, list[tuple]], annots: dict[int, list[int | None]], listed: list[int]) -> Structure:
    """Return what writing the structure elements of ``tree`` needs: the file's page ``p`` holds ``events[p]``
    (``ua_marks.PageContent.events``) and ``listed[p]`` link annotations, which belong to the Links ``annots[p]``
    names (in /Annots order). What points to the elements is for the caller to set from it: /StructParents on each
    page of ``parented``, /StructParent (and /Contents, if empty) on each annotation ``annots_of`` lists."""
    items = _content(tree, events)
    reached = _reached(tree)
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
    parented = [p for p in sorted(events)  # (a page whose MCIDs an element holds: a leaf's, as ``write_elements`` writes them)
                if any(event[0] == "mc" and not nodes[event[1]].container and reached(nodes[event[1]]) for event in events[p])]
    return Structure(tree, items, _holding(tree, items, annots_of), annots_of, len(listed), key, parented)


def write_elements(s: Structure, base: int, pages: list[str], annots: dict[tuple[int, int], str], root: str) -> list[tuple[int, bytes]]:
    """Return the structure's objects, written: (number, PDF syntax in bytes), the StructTreeRoot (numbered ``root``,
    "12 0 R") first, then the elements from ``base`` on (the Document first, in reading order), each page's ParentTree
    array, the ParentTree, the IDTree; ``pages`` are the pages' references and ``annots`` the annotations' by (page,
    index in its /Annots). Each object is encoded as it is written (a long report has tens of thousands; the text
    of all of them and its bytes are never held at once)."""
    items, holds, annots_of = s.items, s.holds, s.annots_of
    objects: list[tuple[int, bytes] | None] = []
    parent_tree: dict[int, dict[int, str]] = {}  # page -> mcid -> its element
    id_tree: dict[str, str] = {}
    held: list[tuple[int, str]] = []  # (ParentTree key, the element holding that annotation)
    number = base

    def element(node: Node, parent: str) -> str:
        nonlocal number
        num, number = number, number + 1
        e = f"{num} 0 R"
        role = node.role
        head = f"<</Type/StructElem/S{_name(role)}/P {parent}"
        if node.alt or node.elem_id or node.lang or node.attrs:
            head += _extra(node, e, id_tree)
        at = len(objects)
        objects.append(None)  # (its place: an element comes before its kids)
        kids: list[str] = []
        own = items.get(node.id, ())
        first_page = None
        if role in CONTAINERS:
            for k in node.kids:
                if holds[k.id] or (k.role in _TABLE_PARTS and k.kids) or k.role in _CELLS:
                    kids.append(element(k, e))
        else:
            placed = set()
            for item in own:
                if item[0] == "kid":
                    placed.add(item[1].id)
                    kids.append(element(item[1], e))
                    continue
                _, p, mcid = item
                if first_page is None:
                    first_page = p
                marks = parent_tree.get(p)
                if marks is None:
                    marks = parent_tree[p] = {}
                marks[mcid] = e
                kids.append(str(mcid) if p == first_page else f"<</Type/MCR/Pg {pages[p]}/MCID {mcid}>>")
            for k in node.kids:  # inline children that stand nowhere in its text (a link holding only its annotation)
                if k.inline and holds[k.id] and k.id not in placed:
                    kids.append(element(k, e))
            held_here = annots_of.get(node.id)
            if held_here:
                for p, i, key in held_here:
                    kids.append(f"<</Type/OBJR/Obj {annots[p, i]}/Pg {pages[p]}>>")
                    held.append((key, e))
                if first_page is None:
                    first_page = held_here[0][0]
        if first_page is None:  # (no /Pg: a container, or an element with no content of its own)
            objects[at] = (num, f"{head}/K[{' '.join(kids)}]>>".encode("latin-1"))
        else:
            objects[at] = (num, f"{head}/Pg {pages[first_page]}/K[{' '.join(kids)}]>>".encode("latin-1"))
        return e

    top = element(s.tree.root, root)
    nums: list[str] = []
    for p in sorted(parent_tree):
        by_mcid = parent_tree[p]
        objects.append((number, ("[" + " ".join(by_mcid.get(i, "null") for i in range(max(by_mcid) + 1)) + "]").encode("latin-1")))
        nums.append(f"{p} {number} 0 R")
        number += 1
    nums += [f"{key} {e}" for key, e in sorted(held)]
    objects.append((number, f"<</Nums[{' '.join(nums)}]>>".encode("latin-1")))
    root_dict = f"<</Type/StructTreeRoot/K {top}/ParentTree {number} 0 R/ParentTreeNextKey {s.next_key}"
    number += 1
    if id_tree:
        objects.append((number, f"<</Names[{' '.join(f'{text_string(k)} {id_tree[k]}' for k in sorted(id_tree))}]>>".encode("latin-1")))
        root_dict += f"/IDTree {number} 0 R"
    objects.insert(0, (int(root.split()[0]), (root_dict + ">>").encode("latin-1")))
    return objects  # type: ignore[return-value]  (every place filled)


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


def _holding(tree: Tree, items: dict[int, list[tuple]], annots_of: dict) -> list[bool]:
    """Return, by node id, whether each node holds content: MCIDs of its own, a link annotation, or a kid that does."""
    holds = [False] * len(tree.nodes)
    for nid, own in items.items():
        if any(it[0] == "mcr" for it in own):
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
