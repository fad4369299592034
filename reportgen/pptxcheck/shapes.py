"""Text alternatives and table headers: PowerPoint's "Missing alternative text" and "Missing table header"."""

from __future__ import annotations

from . import Finding

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"  # the Office extension marking a shape decorative
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_NOT_SHAPES = (f"{P}nvGrpSpPr", f"{P}grpSpPr", f"{P}extLst")
_KINDS = {f"{P}pic": "picture", f"{P}grpSp": "group", f"{P}sp": "shape", f"{P}cxnSp": "line", f"{P}graphicFrame": "graphic frame"}


def shape_tree(slide_el):
    """The ``p:spTree`` of a slide (or notes slide) element."""
    return slide_el.find(f"{P}cSld/{P}spTree")


def shapes_in(tree) -> list:
    """The shape elements directly in ``tree`` (a shape tree or group), in order; an ``mc:AlternateContent``'s first choice's."""
    out = []
    for el in tree:
        if el.tag == f"{MC}AlternateContent":
            choice = next(iter(el), None)
            out += [c for c in choice] if choice is not None else []
        elif el.tag not in _NOT_SHAPES and isinstance(el.tag, str):
            out.append(el)
    return out


def c_nv_pr(el):
    """The ``p:cNvPr`` (id, name, descr) of shape element ``el``."""
    return el.find(f"./*/{P}cNvPr")


def name_of(el) -> str:
    """The shape's name as PowerPoint's Selection pane shows it."""
    c = c_nv_pr(el)
    return c.get("name", "") if c is not None else ""


def placeholder_type(el) -> str | None:
    """The ``p:ph`` type of shape element ``el`` ("obj" when it names none), or None when it is no placeholder."""
    ph = el.find(f"./*/{P}nvPr/{P}ph")
    return None if ph is None else ph.get("type", "obj")


def text_of(el) -> str:
    """The text ``el`` shows (its runs' and fields' ``a:t``)."""
    return "".join(t.text or "" for t in el.iter(f"{A}t"))


def decorative(el) -> bool:
    """Whether shape ``el`` is marked decorative (``adec:decorative val="1"`` in its ``cNvPr``'s extensions)."""
    c = c_nv_pr(el)
    if c is None:
        return False
    for ext in c.iterfind(f"{A}extLst/{A}ext"):
        if ext.get("uri") == DECORATIVE_URI:
            mark = ext.find(DECORATIVE)
            if mark is not None and mark.get("val") in ("1", "true"):
                return True
    return False


def described(el) -> bool:
    """Whether shape ``el`` has a text alternative (a ``descr`` that is not blank)."""
    c = c_nv_pr(el)
    return c is not None and bool((c.get("descr") or "").strip())


def kind_of(el) -> str:
    """What ``el`` is, in words: picture, chart, table, graphic frame, group, shape, line."""
    if el.tag == f"{P}graphicFrame":
        data = el.find(f"{A}graphic/{A}graphicData")
        uri = data.get("uri") if data is not None else ""
        return {TABLE_URI: "table", CHART_URI: "chart"}.get(uri, "graphic frame")
    return _KINDS.get(el.tag, "object")


def needs_alt(el) -> bool:
    """Whether PowerPoint asks ``el`` for a text alternative: every picture, graphic frame and group; a shape or line
    showing no text (a placeholder never: its text, or its prompt, is what it says)."""
    if el.tag in (f"{P}pic", f"{P}graphicFrame", f"{P}grpSp"):
        return True
    if el.tag in (f"{P}sp", f"{P}cxnSp"):
        return placeholder_type(el) is None and not text_of(el).strip()
    return False


def check_shapes(n: int, slide_el, findings: list[Finding]) -> None:
    """Append to ``findings`` each shape of slide ``n`` missing its text alternative, and each table without a header row."""
    tree = shape_tree(slide_el)
    if tree is not None:
        _walk(n, tree, findings)


def _walk(n: int, tree, findings: list[Finding]) -> None:
    for el in shapes_in(tree):
        if decorative(el):
            continue
        kind = kind_of(el)
        if needs_alt(el) and not described(el):
            findings.append(Finding("alt-text", n, f"{kind} '{name_of(el)}' has no alternative text (cNvPr descr) and is not marked decorative"))
        if kind == "table":
            pr = el.find(f"{A}graphic/{A}graphicData/{A}tbl/{A}tblPr")
            if pr is None or pr.get("firstRow") not in ("1", "true"):
                findings.append(Finding("table-header", n, f"table '{name_of(el)}' has no header row (a:tblPr firstRow=\"1\")"))
        if el.tag == f"{P}grpSp" and not described(el):  # a group with a text alternative stands for what it holds
            _walk(n, el, findings)
