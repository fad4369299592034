"""Reading the slide master's geometry into plain data (``model.Geometry``), once per deck.

The one place the planning step's knowledge of the master comes from: the
slide size, the body indents, and for each layout the deck uses its
placeholders and those a new slide on it gets, with their boxes, insets and
inherited text sizes as python-pptx's own inheritance answers them (a slide's
placeholder from its layout's by idx, a layout's from the master's by type).
What a new slide gets is read from a scratch slide that belongs to no
presentation (``compat.pptx.scratch_slide``): python-pptx clones the layout's
placeholders onto it and the writer copies the footers, exactly as for a real
slide, and nothing of it is saved.
"""

from __future__ import annotations

from ...compat.pptx import scratch_slide
from .footers import clone_footers
from .inherit import box, chain_of, inherited_size, insets, level_margins, ph_type
from .model import FOOTER_TYPES, Geometry, LayoutGeometry, Placeholder
from .units import pt


def _placeholder(shape, prs, where: bool = True, sizes: bool = False) -> Placeholder:
    """``shape`` as plain data. With ``where``, its box and insets (python-pptx's inheritance walk is
    the costly part of reading, so only for placeholders the plan can put something in); with
    ``sizes``, the inherited text sizes the plan asks for (a title's of the placeholder with idx 0,
    a subtitle's of a subTitle or body placeholder after it)."""
    kind, idx = ph_type(shape), shape.placeholder_format.idx
    if not where:
        return Placeholder(kind, idx, None, None, name=shape.name)
    try:
        at = box(shape)
    except TypeError:  # no position of its own and none to inherit: an error only if the plan needs it
        at = None
    chain, error = chain_of(shape)
    title = sizes and idx == 0
    body = sizes and idx > 0 and kind in ("subTitle", "body")
    if error is not None and (title or body):
        raise error
    return Placeholder(
        kind,
        idx,
        at,
        insets(shape, chain),
        inherited_size(shape, "title", prs, chain=chain) if title else None,
        inherited_size(shape, "body", prs, chain=chain) if body else None,
        shape.name,
    )


def read(prs, layouts: dict, where: str = "", footer_cache: dict | None = None) -> Geometry:
    """The geometry of ``prs`` for ``layouts`` (the names a deck asks for -> their layouts)."""
    margins = tuple(pt(v) for v in level_margins(prs))
    master_body = next((ph for ph in prs.slide_master.placeholders if ph_type(ph) == "body"), None)
    read_layouts: dict[int, LayoutGeometry] = {}
    out = {}
    for name, layout in layouts.items():
        key = id(layout)
        if key not in read_layouts:
            read_layouts[key] = _layout(prs, layout, footer_cache)
        out[name] = read_layouts[key]
    return Geometry(
        int(prs.slide_width),
        int(prs.slide_height),
        margins,
        out,
        _placeholder(master_body, prs) if master_body is not None else None,
        where,
    )


def _layout(prs, layout, footer_cache: dict | None) -> LayoutGeometry:
    """A layout's own placeholders (boxes read for its body and picture placeholders, which the plan
    places text and pictures by) and a new slide's (boxes read for all but the footers)."""
    shapes = list(layout.placeholders)
    own = [_placeholder(ph, prs, where=False) for ph in shapes]
    light = LayoutGeometry(layout.name, tuple(own), ())
    for found in (light.find("obj", "body", idx=1), light.find("pic")):
        if found is not None:
            i = own.index(found)
            own[i] = _placeholder(shapes[i], prs)
    scratch = scratch_slide(prs, layout)
    scratch.shapes.clone_layout_placeholders(layout)
    clone_footers(scratch, "-", 0, "-", "", footer_cache)  # every footer a slide can get; the plan keeps those it does
    slide = []
    for ph in scratch.placeholders:
        kind, idx = ph_type(ph), ph.placeholder_format.idx
        slide.append(_placeholder(ph, prs, where=kind not in FOOTER_TYPES or idx == 0, sizes=True))
    return LayoutGeometry(layout.name, tuple(own), tuple(slide))
