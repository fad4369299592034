"""Footer, date and slide-number placeholders copied from a slide's layout onto the slide.

python-pptx does not copy them (``clone_layout_placeholders`` leaves them
out), and PowerPoint shows only what the slide holds.
"""

from __future__ import annotations

import copy

from lxml import etree

from ...compat.pptx import next_shape_id, qn, shape_tree
from .inherit import inherited_size
from .model import FOOTER_TYPES


def clone_footers(slide, footer: str, number: int, date_text: str, font: str = "", cache: dict | None = None, lang: str = "en-US") -> list:
    """Copy the layout's footer, slide-number and date placeholders onto ``slide``.

    Returns the new shapes' elements. ``cache`` (one dict per deck) keeps, per
    layout, each placeholder already stripped to what a slide's copy keeps
    (the layout does not change while slides are added).
    """
    layout = slide.slide_layout
    key = layout.part.partname
    found = cache.get(key) if cache is not None else None
    if found is None:
        found = _footer_templates(layout, slide.part.package.presentation_part.presentation)
        if cache is not None:
            cache[key] = found
    made = []
    tree = shape_tree(slide)
    next_id = None
    for t in FOOTER_TYPES:
        if t not in found or t == "ftr" and not footer or t == "dt" and not date_text:
            continue
        template, size = found[t]
        if next_id is None:
            next_id = next_shape_id(slide)  # the highest id on the slide + 1, as python-pptx counts
        el = copy.deepcopy(template)
        el.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}").set("id", str(next_id))
        next_id += 1
        p = etree.SubElement(el.find(qn("p:txBody")), qn("a:p"))
        if t == "sldNum":
            fld = etree.SubElement(p, qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
            _rpr(fld, size, font, lang)
            etree.SubElement(fld, qn("a:t")).text = str(number)
        else:
            r = etree.SubElement(p, qn("a:r"))
            _rpr(r, size, font, lang)
            etree.SubElement(r, qn("a:t")).text = footer if t == "ftr" else date_text
        tree.append(el)
        made.append(el)
    return made


def _footer_templates(layout, prs) -> dict:
    """Footer type -> (the placeholder as a slide's copy starts: position and look left to
    inheritance, no paragraphs, empty list styles; its text size)."""
    out = {}
    for t, (ph, from_layout, size) in _footer_sources(layout, prs).items():
        el = copy.deepcopy(ph.element)
        sp_pr = el.find(qn("p:spPr"))
        for child in list(sp_pr):
            if from_layout or child.tag != qn("a:xfrm"):
                sp_pr.remove(child)  # inherit the layout's position and look
        tx = el.find(qn("p:txBody"))
        if tx is None:
            tx = etree.SubElement(el, qn("p:txBody"))
            etree.SubElement(tx, qn("a:bodyPr"))
        for p in tx.findall(qn("a:p")):
            tx.remove(p)
        lst = tx.find(qn("a:lstStyle"))
        if lst is None:
            lst = etree.Element(qn("a:lstStyle"))
            tx.find(qn("a:bodyPr")).addnext(lst)
        for child in list(lst):
            lst.remove(child)
        out[t] = (el, size)
    return out


def _footer_sources(layout, prs) -> dict:
    """Footer type -> (placeholder to copy, whether it is the layout's own, its text size)."""
    sources = {}
    for ph in layout.placeholders:
        t = ph.placeholder_format.element.get("type")
        if t in FOOTER_TYPES:
            sources[t] = (ph, True)
    for ph in layout.slide_master.placeholders:  # a layout without them: the master's, placed as there
        t = ph.placeholder_format.element.get("type")
        if t in FOOTER_TYPES and t not in sources:
            sources[t] = (ph, False)
    return {t: (ph, own, inherited_size(ph, "other", prs, 1)) for t, (ph, own) in sources.items()}


def _rpr(parent, size: float | None, font: str, lang: str = "en-US"):
    """Run properties for footer text (in ``lang``, the deck's language): LibreOffice ignores the layout's for cloned footers."""
    rpr = etree.SubElement(parent, qn("a:rPr"), lang=lang)
    if size:
        rpr.set("sz", str(int(round(size * 100))))
    if font:
        etree.SubElement(rpr, qn("a:latin"), typeface=font)
    return rpr
