"""Placeholder inheritance as python-pptx answers it: a shape's box, text insets and text sizes.

A slide's placeholder takes what it does not set from its layout's (by idx),
a layout's from the master's (by type), then the master's text styles. Used
when reading the master's geometry (``geometry``), copying footers
(``footers``) and reading a written deck back (``check``).
"""

from __future__ import annotations

from ...compat.pptx import base_placeholder, qn
from .units import DEFAULT_INSETS


def box(shape) -> tuple[int, int, int, int]:
    """(left, top, width, height) in EMU, following inheritance."""
    return int(shape.left), int(shape.top), int(shape.width), int(shape.height)


def chain_of(shape) -> tuple[list, Exception | None]:
    """``shape`` and the placeholders it inherits from, nearest first; and the error that cut the
    chain short (python-pptx cannot map a layout placeholder's type to the master's), or None."""
    chain = [shape]
    try:
        parent = base_placeholder(shape)
        while parent is not None:
            chain.append(parent)
            parent = base_placeholder(parent)
    except (AttributeError, KeyError) as exc:
        return chain, exc
    return chain, None


def insets(shape, chain: list | None = None) -> tuple[int, int, int, int]:
    """Text insets (l, t, r, b) in EMU of a shape, following placeholder inheritance (``chain``: ``chain_of(shape)[0]``)."""
    names = ("lIns", "tIns", "rIns", "bIns")
    found: list[int | None] = [None] * 4
    for s in chain if chain is not None else chain_of(shape)[0]:
        body = s.element.find(f".//{qn('a:bodyPr')}")
        if body is None:
            continue
        for i, n in enumerate(names):
            if found[i] is None and body.get(n) is not None:
                found[i] = int(body.get(n))
    return tuple(DEFAULT_INSETS[i] if v is None else v for i, v in enumerate(found))  # type: ignore[return-value]


def level_margins(prs) -> list[int]:
    """marL in EMU for body levels 1..9, from the master's body style."""
    out = []
    style = prs.slide_master.element.find(f"{qn('p:txStyles')}/{qn('p:bodyStyle')}")
    for lvl in range(1, 10):
        el = style.find(qn(f"a:lvl{lvl}pPr")) if style is not None else None
        mar = el.get("marL") if el is not None else None
        out.append(int(mar) if mar is not None else 342900 * lvl)
    return out


def inherited_size(shape, kind: str, prs, level: int = 1, chain: list | None = None) -> float | None:
    """Font size in points a placeholder gives level-``level`` text (None = unknown); ``chain``: a whole ``chain_of(shape)[0]``."""
    if chain is None:
        chain, error = chain_of(shape)
        if error is not None:
            raise error
    tag = qn(f"a:lvl{level}pPr")
    for s in chain:
        lst = s.element.find(f".//{qn('a:lstStyle')}")
        if lst is not None:
            el = lst.find(f"{tag}/{qn('a:defRPr')}")
            if el is not None and el.get("sz"):
                return int(el.get("sz")) / 100
    style_name = "p:titleStyle" if kind == "title" else "p:bodyStyle"
    style = prs.slide_master.element.find(f"{qn('p:txStyles')}/{qn(style_name)}")
    if style is not None:
        el = style.find(f"{tag}/{qn('a:defRPr')}")
        if el is not None and el.get("sz"):
            return int(el.get("sz")) / 100
    return None


def ph_type(shape) -> str:
    """The ``type`` of a placeholder shape's ``p:ph`` ("obj" when it names none)."""
    return shape.placeholder_format.element.get("type", "obj")
