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

import io
import json

import pikepdf
from pikepdf import Array, Dictionary, String

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
    and whose annotations on page ``p`` belong to the Links ``annots[p]`` names (in /Annots order).

    The elements (thousands in a long report) are written as qpdf JSON and
    read by qpdf in one call (``Pdf.update_from_qpdf_json``): made one by
    one through pikepdf, each key a call into qpdf, they cost twice as
    much. Object numbers are given from the first free one on (that of an
    object made for the StructTreeRoot, which the JSON then fills).
    """
    pages = list(pdf.pages)
    page_refs = [_ref(page.obj) for page in pages]
    items = _content(tree, events)
    annots_of: dict[int, list[tuple[int, pikepdf.Object]]] = {}
    for p, ids in sorted(annots.items()):
        listed = pages[p].obj.get("/Annots", Array())
        if len(listed) != len(ids):
            raise RuntimeError(f"tagging: page {p + 1} has {len(listed)} annotations, {len(ids)} were recorded")
        for k, nid in enumerate(ids):
            if nid is not None:
                annot = listed[k]
                if not annot.is_indirect:  # (an OBJR names its annotation by reference)
                    annot = listed[k] = pdf.make_indirect(annot)
                annots_of.setdefault(nid, []).append((p, annot))

    holds: dict[int, bool] = {}

    def has_content(node: Node) -> bool:
        if node.id not in holds:
            holds[node.id] = any(it[0] == "mcr" for it in items.get(node.id, ())) or node.id in annots_of or any(has_content(k) for k in node.kids)
        return holds[node.id]

    objects: dict[str, dict] = {}  # qpdf JSON: "obj:12 0 R" -> {"value": ...}
    first = pdf.make_indirect(Dictionary()).objgen[0]  # the first free number (qpdf's next), the StructTreeRoot's
    numbers = iter(range(first, 1 << 31))
    root = f"{next(numbers)} 0 R"
    parent_tree: dict[int, dict[int, str]] = {}  # page -> mcid -> its element
    id_tree: dict[str, str] = {}
    annot_keys: list[tuple[int, str]] = []  # ParentTree key -> the element holding the annotation
    next_key = len(pages)

    def element(node: Node, parent: str) -> str:
        nonlocal next_key
        e = f"{next(numbers)} 0 R"
        d: dict = {"/Type": "/StructElem", "/S": "/" + node.role, "/P": parent}
        if node.alt:
            d["/Alt"] = "u:" + node.alt
        if node.elem_id:
            d["/ID"] = "u:" + node.elem_id
            id_tree[node.elem_id] = e
        if node.lang:
            d["/Lang"] = "u:" + node.lang
        if node.attrs:
            a = {"/O": "/" + _OWNER.get(node.role, "Layout")}
            for key, value in node.attrs.items():
                a["/" + key] = "/" + str(value)
            d["/A"] = a
        objects["obj:" + e] = {"value": d}
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
                kids.append(mcid if p == first_page else {"/Type": "/MCR", "/Pg": page_refs[p], "/MCID": mcid})
            for k in node.kids:  # inline children that stand nowhere in its text (a link holding only its annotation)
                if k.inline and not any(it[0] == "kid" and it[1] is k for it in own) and has_content(k):
                    kids.append(element(k, e))
            for p, annot in annots_of.get(node.id, []):
                kids.append({"/Type": "/OBJR", "/Obj": _ref(annot), "/Pg": page_refs[p]})
                annot.StructParent = next_key
                annot_keys.append((next_key, e))
                next_key += 1
                if not str(annot.get("/Contents", "")):  # (ReportLab's linkRect writes an empty one)
                    annot.Contents = String(node.contents or node.href)
        if first_page is not None:
            d["/Pg"] = page_refs[first_page]
        elif node.id in annots_of:
            d["/Pg"] = page_refs[annots_of[node.id][0][0]]
        d["/K"] = kids
        return e

    root_dict: dict = {"/Type": "/StructTreeRoot"}
    objects["obj:" + root] = {"value": root_dict}
    root_dict["/K"] = element(tree.root, root)
    nums: list = []
    for p in range(len(pages)):
        if p in parent_tree:
            by_mcid = parent_tree[p]
            array = f"{next(numbers)} 0 R"
            objects["obj:" + array] = {"value": [by_mcid.get(i) for i in range(max(by_mcid) + 1)]}  # (None: null)
            nums += [p, array]
            pages[p].obj.StructParents = p
    for key, e in annot_keys:
        nums += [key, e]
    parents = f"{next(numbers)} 0 R"
    objects["obj:" + parents] = {"value": {"/Nums": nums}}
    root_dict["/ParentTree"] = parents
    root_dict["/ParentTreeNextKey"] = next_key
    if id_tree:
        names = f"{next(numbers)} 0 R"
        objects["obj:" + names] = {"value": {"/Names": [x for k in sorted(id_tree) for x in ("u:" + k, id_tree[k])]}}
        root_dict["/IDTree"] = names
    update = {"qpdf": [{"jsonversion": 2, "pushedinheritedpageresources": False, "calledgetallpages": False,
                        "maxobjectid": next(numbers) - 1}, objects]}
    pdf.update_from_qpdf_json(io.BytesIO(json.dumps(update).encode("utf-8")))
    pdf.Root.StructTreeRoot = pdf.get_object(_objgen(root))


def _ref(obj: pikepdf.Object) -> str:
    """Return the qpdf JSON reference to indirect object ``obj`` ("12 0 R")."""
    num, gen = obj.objgen
    return f"{num} {gen} R"


def _objgen(ref: str) -> tuple[int, int]:
    num, gen, _ = ref.split()
    return int(num), int(gen)
