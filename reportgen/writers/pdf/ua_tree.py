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
    much. The JSON is written here as text, every string through ``_q``
    (json's own quoting), not built as dictionaries for ``json.dumps``,
    which cost the post-pass a tenth more. Object numbers are given from the
    first free one on (that of an object made for the StructTreeRoot, which
    the JSON then fills).
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

    holds = _holding(tree, items, annots_of)
    objects: list[str] = []  # qpdf JSON, written here: '"obj:12 0 R":{"value":...}' (``_q`` quotes every string)
    first = pdf.make_indirect(Dictionary()).objgen[0]  # the first free number (qpdf's next), the StructTreeRoot's
    numbers = iter(range(first, 1 << 31))
    root = f"{next(numbers)} 0 R"
    parent_tree: dict[int, dict[int, str]] = {}  # page -> mcid -> its element
    id_tree: dict[str, str] = {}
    annot_keys: list[tuple[int, str]] = []  # ParentTree key -> the element holding the annotation
    next_key = len(pages)
    quoted_pages = [_q(r) for r in page_refs]

    def element(node: Node, parent: str) -> str:
        nonlocal next_key
        e = f"{next(numbers)} 0 R"
        d = [f'"obj:{e}":{{"value":{{"/Type":"/StructElem","/S":{_q("/" + node.role)},"/P":"{parent}"']
        if node.alt:
            d.append(',"/Alt":' + _q("u:" + node.alt))
        if node.elem_id:
            d.append(',"/ID":' + _q("u:" + node.elem_id))
            id_tree[node.elem_id] = e
        if node.lang:
            d.append(',"/Lang":' + _q("u:" + node.lang))
        if node.attrs:
            a = [f'"/O":{_q("/" + _OWNER.get(node.role, "Layout"))}']
            a += [f'{_q("/" + key)}:{_q("/" + str(value))}' for key, value in node.attrs.items()]
            d.append(',"/A":{' + ",".join(a) + "}")
        kids: list[str] = []
        own = items.get(node.id, ())
        first_page = next((it[1] for it in own if it[0] == "mcr"), None)
        if node.container:
            for k in node.kids:
                if holds[k.id] or (k.role in _TABLE_PARTS and k.kids) or k.role in ("TH", "TD"):
                    kids.append(f'"{element(k, e)}"')
        else:
            for item in own:
                if item[0] == "kid":
                    kids.append(f'"{element(item[1], e)}"')
                    continue
                _, p, mcid = item
                parent_tree.setdefault(p, {})[mcid] = e
                kids.append(str(mcid) if p == first_page else f'{{"/Type":"/MCR","/Pg":{quoted_pages[p]},"/MCID":{mcid}}}')
            for k in node.kids:  # inline children that stand nowhere in its text (a link holding only its annotation)
                if k.inline and holds[k.id] and not any(it[0] == "kid" and it[1] is k for it in own):
                    kids.append(f'"{element(k, e)}"')
            for p, annot in annots_of.get(node.id, ()):
                kids.append(f'{{"/Type":"/OBJR","/Obj":{_q(_ref(annot))},"/Pg":{quoted_pages[p]}}}')
                annot.StructParent = next_key
                annot_keys.append((next_key, e))
                next_key += 1
                if not str(annot.get("/Contents", "")):  # (ReportLab's linkRect writes an empty one)
                    annot.Contents = String(node.contents or node.href)
        if first_page is not None:
            d.append(',"/Pg":' + quoted_pages[first_page])
        elif node.id in annots_of:
            d.append(',"/Pg":' + quoted_pages[annots_of[node.id][0][0]])
        d.append(',"/K":[' + ",".join(kids) + "]}}")
        objects.append("".join(d))
        return e

    top = element(tree.root, root)
    nums: list[str] = []
    for p in range(len(pages)):
        if p in parent_tree:
            by_mcid = parent_tree[p]
            array = f"{next(numbers)} 0 R"
            refs = ",".join(f'"{by_mcid[i]}"' if i in by_mcid else "null" for i in range(max(by_mcid) + 1))
            objects.append(f'"obj:{array}":{{"value":[{refs}]}}')
            nums += [str(p), f'"{array}"']
            pages[p].obj.StructParents = p
    for key, e in annot_keys:
        nums += [str(key), f'"{e}"']
    parents = f"{next(numbers)} 0 R"
    objects.append(f'"obj:{parents}":{{"value":{{"/Nums":[{",".join(nums)}]}}}}')
    root_dict = f'"/Type":"/StructTreeRoot","/K":"{top}","/ParentTree":"{parents}","/ParentTreeNextKey":{next_key}'
    if id_tree:
        names = f"{next(numbers)} 0 R"
        entries = ",".join(f'{_q("u:" + k)},"{id_tree[k]}"' for k in sorted(id_tree))
        objects.append(f'"obj:{names}":{{"value":{{"/Names":[{entries}]}}}}')
        root_dict += f',"/IDTree":"{names}"'
    objects.append(f'"obj:{root}":{{"value":{{{root_dict}}}}}')
    header = json.dumps({"jsonversion": 2, "pushedinheritedpageresources": False, "calledgetallpages": False,
                         "maxobjectid": next(numbers) - 1})
    update = '{"qpdf":[' + header + ",{" + ",".join(objects) + "}]}"
    pdf.update_from_qpdf_json(io.BytesIO(update.encode("utf-8")))
    pdf.Root.StructTreeRoot = pdf.get_object(_objgen(root))


def _holding(tree: Tree, items: dict[int, list[tuple]], annots_of: dict) -> list[bool]:
    """Return, by node id, whether each node holds content: MCIDs of its own, a link annotation, or a kid that does."""
    holds = [False] * len(tree.nodes)
    for node in reversed(tree.nodes):  # (a node's kids were made after it: theirs are known first)
        holds[node.id] = (any(it[0] == "mcr" for it in items.get(node.id, ())) or node.id in annots_of
                          or any(holds[k.id] for k in node.kids))
    return holds


def _ref(obj: pikepdf.Object) -> str:
    """Return the qpdf JSON reference to indirect object ``obj`` ("12 0 R")."""
    num, gen = obj.objgen
    return f"{num} {gen} R"


_q = json.encoder.encode_basestring_ascii  # a JSON string of any text: the one quoting helper here


def _objgen(ref: str) -> tuple[int, int]:
    num, gen, _ = ref.split()
    return int(num), int(gen)
