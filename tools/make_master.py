#!/usr/bin/env python3
"""Build reportgen/packs/briefing/master.pptx: the briefing pack's 16:9 slide master.

Derived from python-pptx's default template: the seven standard layouts keep
their names ("Title Slide", "Section Header", "Title and Content", "Two
Content", "Comparison", "Title Only", "Blank"), the rest are deleted, every
placeholder is placed for 13.333 x 7.5 in, and colours, fonts and sizes come
from the pack's theme.yaml (navy title and section slides with white text,
content slides with a thin red rule under the title, footer / date / slide
number on every layout). Rerunnable: the same theme gives the same bytes.

    python tools/make_master.py [PACK_DIR] [--style=band|light]   (default: reportgen/packs/briefing, band)

"light" (the memo pack): white title and section slides with an accent bar and dark type.
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from lxml import etree  # noqa: E402
from pptx import Presentation  # noqa: E402

from reportgen.compat.pptx import qn  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx.package import drop_thumbnail, save_deterministic, set_core  # noqa: E402
from reportgen.writers.pptx.theme_part import apply_theme  # noqa: E402
from reportgen.writers.pptx.units import SLIDE_H, SLIDE_W  # noqa: E402

IN = 914400
NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)

KEEP = ["Title Slide", "Title and Content", "Section Header", "Two Content", "Comparison", "Title Only", "Blank"]

# Geometry, inches.
M = 0.6  # side margin
CW = 13.333 - 2 * M  # content width
TITLE = (M, 0.32, CW, 0.98)
RULE_Y = 1.36
BODY = (M, 1.62, CW, 5.05)
FOOT_Y, FOOT_H = 6.9, 0.4
FOOT_RULE_Y = 6.84
GAP = 0.35
HALF = (CW - GAP) / 2


def emu(v: float) -> int:
    return int(round(v * IN))


def xfrm(x: float, y: float, w: float, h: float) -> str:
    return f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


def rect(sid: int, name: str, x: float, y: float, w: float, h: float, colour: str) -> str:
    """A plain filled rectangle (decoration), colour a scheme name."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{xfrm(x, y, w, h)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
        f'<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>'
    )


def ph(sid: int, name: str, phattrs: str, geom: tuple | None = None, body_pr: str = "<a:bodyPr/>", lst: str = "", prompt: str = "") -> str:
    """A placeholder shape; ``geom`` None inherits the master's position."""
    sp_pr = f"<p:spPr>{xfrm(*geom)}</p:spPr>" if geom else "<p:spPr/>"
    text = f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{prompt}</a:t></a:r></a:p>' if prompt else '<a:p><a:endParaRPr lang="en-US"/></a:p>'
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr><p:ph {phattrs}/></p:nvPr></p:nvSpPr>{sp_pr}"
        f"<p:txBody>{body_pr}<a:lstStyle>{lst}</a:lstStyle>{text}</p:txBody></p:sp>"
    )


def fld(kind: str, text: str) -> str:
    ids = {"datetime": "{6A2C3E1D-6F4B-4C71-9C3B-7D2B1F7E0A11}", "slidenum": "{6A2C3E1D-6F4B-4C71-9C3B-7D2B1F7E0A12}"}
    return f'<a:fld id="{ids[kind]}" type="{kind}"><a:rPr lang="en-US"/><a:t>{text}</a:t></a:fld>'


def footers(first_id: int, colour: str | None = None) -> str:
    """Date, footer and slide-number placeholders for a layout (positions inherited)."""
    lst = ""
    if colour:
        lst = f'<a:lvl1pPr><a:defRPr><a:solidFill><a:schemeClr val="{colour}"/></a:solidFill></a:defRPr></a:lvl1pPr>'
    return (
        ph(first_id, "Date Placeholder", 'type="dt" sz="half" idx="10"', lst=lst).replace(
            '<a:p><a:endParaRPr lang="en-US"/></a:p>', f"<a:p>{fld('datetime', '16/06/2021')}</a:p>"
        )
        + ph(first_id + 1, "Footer Placeholder", 'type="ftr" sz="quarter" idx="11"', lst=lst)
        + ph(first_id + 2, "Slide Number Placeholder", 'type="sldNum" sz="quarter" idx="12"', lst=lst).replace(
            '<a:p><a:endParaRPr lang="en-US"/></a:p>', f"<a:p>{fld('slidenum', '‹#›')}</a:p>"
        )
    )


def no_bullets(colour: str, size: int | None = None, bold: bool = False) -> str:
    sz = f' sz="{size * 100}"' if size else ""
    b = ' b="1"' if bold else ""
    return "".join(
        f'<a:lvl{i}pPr marL="0" indent="0"><a:buNone/><a:defRPr{sz}{b}><a:solidFill><a:schemeClr val="{colour}"/></a:solidFill></a:defRPr></a:lvl{i}pPr>'
        for i in range(1, 2)
    )


def sp_tree(shapes: str) -> str:
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
        f"{shapes}</p:spTree>"
    )


NAVY_BG = '<p:bg><p:bgPr><a:solidFill><a:schemeClr val="tx2"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'


def light_csld(name: str, sizes) -> str | None:
    """Return the cSld XML of the "light" style's title and section slides (white, an accent bar, dark type), or None for other layouts."""
    big = int(round(sizes.deck_title * 4 / 3))
    sub = int(round(sizes.deck_body))
    anchor_b = '<a:bodyPr anchor="b"><a:normAutofit/></a:bodyPr>'
    anchor_t = '<a:bodyPr anchor="t"><a:normAutofit/></a:bodyPr>'
    dark = '<a:solidFill><a:schemeClr val="tx2"/></a:solidFill>'
    if name == "Title Slide":
        shapes = (
            rect(2, "Side Panel", 0, 0, 0.55, 7.5, "accent2")
            + ph(3, "Title", 'type="ctrTitle"', (1.2, 1.4, 11.3, 2.6), anchor_b,
                 f'<a:lvl1pPr><a:defRPr sz="{big * 100}" b="0">{dark}</a:defRPr></a:lvl1pPr>', "Click to edit title")
            + rect(4, "Rule", 1.3, 4.2, 11.1, 0.02, "tx2")
            + ph(5, "Subtitle", 'type="subTitle" idx="1"', (1.2, 4.42, 11.3, 1.9), anchor_t, no_bullets("tx1", sub), "Click to edit subtitle")
            + footers(6)
        )
        return f'<p:cSld name="{name}">{sp_tree(shapes)}</p:cSld>'
    if name == "Section Header":
        shapes = (
            rect(2, "Top Bar", 0, 0, 13.333, 0.3, "accent2")
            + ph(3, "Title", 'type="title"', (1.2, 2.0, 11.3, 2.1), anchor_b,
                 f'<a:lvl1pPr><a:defRPr sz="{int(round(sizes.deck_title * 1.2)) * 100}" b="0">{dark}</a:defRPr></a:lvl1pPr>', "Click to edit title")
            + rect(4, "Rule", 1.3, 4.28, 2.2, 0.05, "accent2")
            + ph(5, "Text", 'type="body" idx="1"', (1.2, 4.5, 11.3, 1.8), anchor_t, no_bullets("tx1", sub), "Click to edit text")
            + footers(6)
        )
        return f'<p:cSld name="{name}">{sp_tree(shapes)}</p:cSld>'
    return None


def layout_csld(name: str, sizes, style: str = "band") -> tuple[str, bool]:
    """Return (cSld XML, show master shapes) for layout ``name`` in ``style`` ("band": navy title and section slides; "light")."""
    title_sz = int(round(sizes.deck_title))
    big = int(round(sizes.deck_title * 4 / 3))
    sub = int(round(sizes.deck_body))
    anchor_b = '<a:bodyPr anchor="b"><a:normAutofit/></a:bodyPr>'
    anchor_t = '<a:bodyPr anchor="t"><a:normAutofit/></a:bodyPr>'
    light = light_csld(name, sizes) if style == "light" else None
    if light is not None:
        return light, False
    if name == "Title Slide":
        shapes = (
            rect(2, "Top Band", 0, 0, 13.333, 0.12, "accent2")
            + ph(3, "Title", 'type="ctrTitle"', (0.8, 1.55, 11.73, 2.45), anchor_b,
                 f'<a:lvl1pPr><a:defRPr sz="{big * 100}" b="1"><a:solidFill><a:schemeClr val="bg1"/></a:solidFill></a:defRPr></a:lvl1pPr>',
                 "Click to edit title")
            + rect(4, "Accent Rule", 0.9, 4.18, 1.6, 0.07, "accent2")
            + ph(5, "Subtitle", 'type="subTitle" idx="1"', (0.8, 4.42, 11.73, 1.9), anchor_t,
                 no_bullets("bg2", sub), "Click to edit subtitle")
            + footers(6, "bg2")
        )
        return f'<p:cSld name="{name}">{NAVY_BG}{sp_tree(shapes)}</p:cSld>', False
    if name == "Section Header":
        shapes = (
            rect(2, "Side Band", 0, 0, 0.25, 7.5, "accent2")
            + ph(3, "Title", 'type="title"', (0.8, 1.9, 11.73, 2.2), anchor_b,
                 f'<a:lvl1pPr><a:defRPr sz="{int(round(sizes.deck_title * 1.2)) * 100}" b="1"><a:solidFill><a:schemeClr val="bg1"/></a:solidFill></a:defRPr></a:lvl1pPr>',
                 "Click to edit title")
            + rect(4, "Accent Rule", 0.9, 4.28, 1.2, 0.06, "accent2")
            + ph(5, "Text", 'type="body" idx="1"', (0.8, 4.5, 11.73, 1.8), anchor_t,
                 no_bullets("bg2", sub), "Click to edit text")
            + footers(6, "bg2")
        )
        return f'<p:cSld name="{name}">{NAVY_BG}{sp_tree(shapes)}</p:cSld>', False
    if name == "Title and Content":
        shapes = ph(2, "Title", 'type="title"') + ph(3, "Content", 'idx="1"') + footers(4)
    elif name == "Two Content":
        y, h = BODY[1], BODY[3]
        shapes = (
            ph(2, "Title", 'type="title"')
            + ph(3, "Content Left", 'sz="half" idx="1"', (M, y, HALF, h))
            + ph(4, "Content Right", 'sz="half" idx="2"', (M + HALF + GAP, y, HALF, h))
            + footers(5)
        )
    elif name == "Comparison":
        y, hh = BODY[1], 0.6
        hdr = no_bullets("tx2", sub, bold=True)
        shapes = (
            ph(2, "Title", 'type="title"')
            + ph(3, "Heading Left", 'type="body" idx="1"', (M, y, HALF, hh), anchor_b, hdr)
            + ph(4, "Content Left", 'sz="half" idx="2"', (M, y + hh + 0.1, HALF, BODY[3] - hh - 0.1))
            + ph(5, "Heading Right", 'type="body" sz="quarter" idx="3"', (M + HALF + GAP, y, HALF, hh), anchor_b, hdr)
            + ph(6, "Content Right", 'sz="quarter" idx="4"', (M + HALF + GAP, y + hh + 0.1, HALF, BODY[3] - hh - 0.1))
            + footers(7)
        )
    elif name == "Title Only":
        shapes = ph(2, "Title", 'type="title"') + footers(3)
    elif name == "Blank":
        return f'<p:cSld name="{name}">{sp_tree(footers(2))}</p:cSld>', False
    else:
        raise ValueError(name)
    del title_sz, anchor_t
    return f'<p:cSld name="{name}">{sp_tree(shapes)}</p:cSld>', True


def master_tree(sizes) -> str:
    t = int(round(sizes.deck_title * 100))
    foot_lst = '<a:lvl1pPr algn="{al}"><a:defRPr sz="1000"><a:solidFill><a:schemeClr val="tx1"><a:lumMod val="65000"/><a:lumOff val="35000"/></a:schemeClr></a:solidFill></a:defRPr></a:lvl1pPr>'
    footer_body = '<a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0" anchor="ctr"/>'
    third = CW / 3
    shapes = (
        ph(2, "Title Placeholder", 'type="title"', TITLE,
           '<a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0" anchor="b"><a:normAutofit/></a:bodyPr>',
           "", "Click to edit Master title style")
        + ph(3, "Text Placeholder", 'type="body" idx="1"', BODY,
             '<a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0"><a:normAutofit/></a:bodyPr>',
             "", "Click to edit Master text styles")
        + ph(4, "Date Placeholder", 'type="dt" sz="half" idx="2"', (M, FOOT_Y, third, FOOT_H), footer_body, foot_lst.format(al="l")).replace(
            '<a:p><a:endParaRPr lang="en-US"/></a:p>', f"<a:p>{fld('datetime', '16/06/2021')}</a:p>")
        + ph(5, "Footer Placeholder", 'type="ftr" sz="quarter" idx="3"', (M + third, FOOT_Y, third, FOOT_H), footer_body, foot_lst.format(al="ctr"))
        + ph(6, "Slide Number Placeholder", 'type="sldNum" sz="quarter" idx="4"', (M + 2 * third, FOOT_Y, third, FOOT_H), footer_body, foot_lst.format(al="r")).replace(
            '<a:p><a:endParaRPr lang="en-US"/></a:p>', f"<a:p>{fld('slidenum', '‹#›')}</a:p>")
        + rect(7, "Title Rule", M + 0.1, RULE_Y + 0.03, CW - 0.2, 0.012, "bg2")
        + rect(8, "Title Accent", M + 0.1, RULE_Y, 1.2, 0.06, "accent2")
        + rect(9, "Footer Rule", M + 0.1, FOOT_RULE_Y, CW - 0.2, 0.01, "bg2")
    )
    del t
    return sp_tree(shapes)


def body_style(sizes) -> str:
    base = int(round(sizes.deck_body))
    chars = ["•", "–", "›", "–", "›"]
    out = []
    for lvl in range(1, 10):
        i = min(lvl, 5) - 1
        mar = [0.3125, 0.75, 1.15, 1.55, 1.95][i] + max(0, lvl - 5) * 0.4
        ind = -0.3125 if lvl == 1 else -0.28
        sz = max(base - 2 * i, int(sizes.deck_body_min) - 2 if i else base)
        before = 10 if lvl == 1 else 4
        out.append(
            f'<a:lvl{lvl}pPr marL="{emu(mar)}" indent="{emu(ind)}" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
            f'<a:spcBef><a:spcPts val="{before * 100}"/></a:spcBef>'
            f'<a:buClr><a:schemeClr val="accent2"/></a:buClr><a:buFont typeface="Arial"/><a:buChar char="{chars[i]}"/>'
            f'<a:defRPr sz="{sz * 100}" kern="1200"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>'
            f'<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{lvl}pPr>'
        )
    return "<p:bodyStyle>" + "".join(out) + "</p:bodyStyle>"


def title_style(sizes) -> str:
    return (
        '<p:titleStyle><a:lvl1pPr algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
        '<a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
        f'<a:defRPr sz="{int(round(sizes.deck_title * 100))}" b="1" kern="1200"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill>'
        '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>'
    )


def frag(xml: str):
    return etree.fromstring(f"<root {NS}>{xml}</root>")[0]


def build(pack_dir: str, style: str = "band") -> str:
    out = os.path.join(pack_dir, "master.pptx")
    if not os.path.exists(out):  # theme.yaml names the master, so it must exist to load
        open(out, "wb").close()
    theme = load_theme(pack_dir)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    pres = prs.element
    pres.find(qn("p:sldSz")).attrib.pop("type", None)

    master = prs.slide_master
    for layout in list(prs.slide_layouts):
        if layout.name not in KEEP:
            prs.slide_layouts.remove(layout)

    m = master.element
    old = m.find(qn("p:cSld"))
    tree = old.find(qn("p:spTree"))
    old.replace(tree, frag(master_tree(theme.sizes)))
    styles = m.find(qn("p:txStyles"))
    styles.replace(styles.find(qn("p:titleStyle")), frag(title_style(theme.sizes)))
    styles.replace(styles.find(qn("p:bodyStyle")), frag(body_style(theme.sizes)))
    ext = old.find(qn("p:extLst"))
    if ext is not None:
        old.remove(ext)

    for layout in prs.slide_layouts:
        el = layout.element
        csld_xml, show = layout_csld(layout.name, theme.sizes, style)
        el.replace(el.find(qn("p:cSld")), frag(csld_xml))
        if show:
            el.attrib.pop("showMasterSp", None)
        else:
            el.set("showMasterSp", "0")

    apply_theme(prs, theme)
    drop_thumbnail(prs)
    set_core(prs, title=f"{theme.name} slide master", author="reportgen", subject=theme.description)
    save_deterministic(prs, out)
    return out


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--style=")]
    style = next((a.split("=", 1)[1] for a in argv[1:] if a.startswith("--style=")), "band")
    pack = args[0] if args else os.path.join(ROOT, "reportgen", "packs", "briefing")
    print(build(pack, style))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
