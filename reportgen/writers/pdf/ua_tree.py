"""The post-pass's structure tree: the ``Tree`` and what its pages' content held, written as PDF objects.

``write_structure`` makes a StructElem per node that holds content (its
MCIDs, on the pages they are on, and the link annotations it holds as
OBJRs), the StructTreeRoot, the ParentTree (each page's MCIDs and each
annotation back to its element), the IDTree (the Notes' /ID), and sets
/StructParents on the pages and /StructParent on the annotations. A leaf's
kids are its MCIDs in stream order with its inline children (links, notes,
spans, each with its /Lang) where they stand in its text; a container's are its children in reading
order, those that hold nothing left out, but a table's rows and cells,
which are kept so that every row has every column.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tags import Node, Tree

_TABLE_PARTS = frozenset({"THead", "TBody", "TR", "TH", "TD"})
_OWNER = {"TH": "Table", "TD": "Table", "L": "List", "LI": "List"}  # the attribute owner (/O) of each role's /A


def _content(tree: Tree, events: dict[int, list[tuple]]) -> dict[int, list[tuple]]:
    """Return each node's kids in the page content: ("mcr", page, mcid) and ("kid", inline node), in stream order."""
    items: dict[int, list[tuple]] = {}
    placed: set[int] = set()

    def place(node: Node) -> None:
        if node.inline and node.parent is not None and node.id not in placed:
            place(node.parent)  # a link in a span (or a span in a link) stands in it where its own content begins
            placed.add(node.id)
            items.setdefault(node.parent.id, []).append(("kid", node))

    for page in sorted(events):
        for event in events[page]:
            node = tree.nodes[event[1]]
            place(node)
            if event[0] == "mc":
                items.setdefault(node.id, []).append(("mcr", page, event[2]))
    return items


def write_structure(pdf: pikepdf.Pdf, tree: Tree, events: dict[int, list[tuple]], annots: dict[int, list[int | None]]) -> None:
    """Write the structure tree of ``tree`` into ``pdf``, whose page ``p`` held ``events[p]`` (``ua_content.PageContent.events``)
    and whose annotations on page ``p`` belong to the Links ``annots[p]`` names (in /Annots order)."""
    pages = list(pdf.pages)
    items = _content(tree, events)
    annots_of: dict[int, list[tuple[int, pikepdf.Object]]] = {}
    for p, ids in sorted(annots.items()):
        listed = pages[p].obj.get("/Annots", Array())
        if len(listed) != len(ids):
            raise RuntimeError(f"tagging: page {p + 1} has {len(listed)} annotations, {len(ids)} were recorded")
        for k, nid in enumerate(ids):
            if nid is not None:
                annots_of.setdefault(nid, []).append((p, listed[k]))

    holds: dict[int, bool] = {}

    def has_content(node: Node) -> bool:
        if node.id not in holds:
            holds[node.id] = any(it[0] == "mcr" for it in items.get(node.id, ())) or node.id in annots_of or any(has_content(k) for k in node.kids)
        return holds[node.id]

    parent_tree: dict[int, dict[int, pikepdf.Object]] = {}  # page -> mcid -> its element
    id_tree: dict[str, pikepdf.Object] = {}
    annot_keys: list[tuple[int, pikepdf.Object]] = []  # ParentTree key -> the element holding the annotation
    next_key = len(pages)

    def element(node: Node, parent: pikepdf.Object) -> pikepdf.Object:
        nonlocal next_key
        d = Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent)
        if node.alt:
            d.Alt = String(node.alt)
        if node.elem_id:
            d.ID = String(node.elem_id)
        if node.lang:
            d.Lang = String(node.lang)
        if node.attrs:
            a = Dictionary(O=Name("/" + _OWNER.get(node.role, "Layout")))
            for key, value in node.attrs.items():
                a["/" + key] = Name("/" + str(value))
            d.A = a
        e = pdf.make_indirect(d)
        if node.elem_id:
            id_tree[node.elem_id] = e
        kids: list = []
        own = items.get(node.id, [])
        first_page = next((it[1] for it in own if it[0] == "mcr"), None)
        if node.container:
            for k in node.kids:
                if has_content(k) or (k.role in _TABLE_PARTS and k.kids) or k.role in ("TH", "TD"):
                    kids.append(element(k, e))
        else:
            for item in own:
                if item[0] == "kid":
                    kids.append(element(item[1], e))
                    continue
                _, p, mcid = item
                parent_tree.setdefault(p, {})[mcid] = e
                kids.append(mcid if p == first_page else Dictionary(Type=Name.MCR, Pg=pages[p].obj, MCID=mcid))
            for k in node.kids:  # inline children that stand nowhere in its text (a link holding only its annotation)
                if k.inline and not any(it[0] == "kid" and it[1] is k for it in own) and has_content(k):
                    kids.append(element(k, e))
            for p, annot in annots_of.get(node.id, []):
                kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=pages[p].obj))
                annot.StructParent = next_key
                annot_keys.append((next_key, e))
                next_key += 1
                if not str(annot.get("/Contents", "")):  # (ReportLab's linkRect writes an empty one)
                    annot.Contents = String(node.contents or node.href)
        if first_page is not None:
            e.Pg = pages[first_page].obj
        elif node.id in annots_of:
            e.Pg = pages[annots_of[node.id][0][0]].obj
        e.K = Array(kids)
        return e

    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    root.K = element(tree.root, root)
    nums: list = []  # (a Python list, made an Array once: growing a pikepdf Array copies it)
    for p in range(len(pages)):
        if p in parent_tree:
            by_mcid = parent_tree[p]
            nums += [p, pdf.make_indirect(Array([by_mcid.get(i, pikepdf.Object.parse(b"null")) for i in range(max(by_mcid) + 1)]))]
            pages[p].obj.StructParents = p
    for key, e in annot_keys:
        nums += [key, e]
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = next_key
    if id_tree:
        root.IDTree = pdf.make_indirect(Dictionary(Names=Array([x for k in sorted(id_tree) for x in (String(k), id_tree[k])])))
    pdf.Root.StructTreeRoot = root
