"""What makes a drawn slide accessible: text alternatives, a title on every slide, the reading order.

Screen readers, PowerPoint's accessibility checker and its Reading Order pane
read a slide's shapes in the order of its shape tree (``p:spTree``), and a
shape's text alternative in its ``cNvPr descr``. The emitter draws each
slide as planned, then ``reading_order`` puts its shapes in the order they
are read: the title, the texts and visuals in the plan's order (a caption
after what it captions), then anything else, then the footer, date and
slide number. ``pptxcheck`` checks a written deck for all of it (and says
what a title and a footer are).
"""

from __future__ import annotations

from ...compat.pptx import qn, shape_tree
from ...pptxcheck.shapes import placeholder_type
from ...pptxcheck.titles import FOOTER_TYPES

_NOT_SHAPES = (qn("p:nvGrpSpPr"), qn("p:grpSpPr"), qn("p:extLst"))


def describe(shape, text: str) -> None:
    """Give ``shape`` (a picture, chart or table frame) ``text`` as its text alternative (``cNvPr descr``)."""
    c_nv_pr = shape.element.find(f"./*/{qn('p:cNvPr')}")
    c_nv_pr.set("descr", text)


def reading_order(slide, drawn: list) -> None:
    """Put ``slide``'s shapes in reading order in its shape tree: ``drawn`` (the shape elements of its title, texts
    and visuals, in the order the plan reads them), then any other shape as it stood, then its footer, date and
    slide number."""
    tree = shape_tree(slide)
    shapes = [el for el in tree if el.tag not in _NOT_SHAPES]
    first = [el for el in drawn if el.getparent() is tree]
    last = [el for el in shapes if placeholder_type(el) in FOOTER_TYPES]
    ordered = first + [el for el in shapes if el not in first and el not in last] + last
    if ordered == shapes:
        return
    end = tree.find(qn("p:extLst"))
    for el in ordered:
        if end is None:
            tree.append(el)
        else:
            end.addprevious(el)
