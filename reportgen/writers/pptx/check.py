"""Check a written deck: re-open it and measure every text frame with the deck's TTFs.

Used by the tests (and handy for anyone changing the master): it reads what is
really in the file (sizes, bold, levels, margins), not what the writer meant.
"""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree
from pptx import Presentation

from ...compat.pptx import paragraph_element, qn
from .fit import LINE, Frame, Measurer, Para, Run
from .inherit import inherited_size, insets, level_margins
from .plan import deck_fonts
from .units import pt


def _frames(path: str, theme):
    """Yield (slide number, shape, text height pt, box inner height pt, lines, paragraphs, first size, box pt)."""
    prs = Presentation(path)
    mono = theme.family("mono")
    m = Measurer(deck_fonts(theme))
    margins = [pt(v) for v in level_margins(prs)]
    for n, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            kind = "title" if shape.is_placeholder and shape.placeholder_format.type in (1, 3) else "body"
            l, t, r, b = insets(shape)
            frame = Frame(pt(shape.width), pt(shape.height), (pt(l), pt(t), pt(r), pt(b)), margins)
            total = 0.0
            count = 0
            first_size = None
            paras = shape.text_frame.paragraphs
            for i, para in enumerate(paras):
                runs = []
                size = None
                p_el = paragraph_element(para)
                for el in p_el:
                    if el.tag == qn("a:br"):
                        runs.append(Run("\n"))
                    elif el.tag in (qn("a:r"), qn("a:fld")):
                        rpr = el.find(qn("a:rPr"))
                        sz = rpr.get("sz") if rpr is not None else None
                        size = size or (int(sz) / 100 if sz else None)
                        bold = kind == "title" or (rpr is not None and rpr.get("b") == "1")
                        italic = rpr is not None and rpr.get("i") == "1"
                        latin = rpr.find(qn("a:latin")) if rpr is not None else None
                        code = latin is not None and latin.get("typeface") == mono.office_name
                        runs.append(Run(el.findtext(qn("a:t")) or "", bold, italic, code))
                lvl = para.level
                if size is None:
                    base = shape if shape.is_placeholder else None
                    size = (inherited_size(base, kind, prs, lvl + 1) if base is not None else None) or 18.0
                first_size = first_size or size
                ppr = p_el.find(qn("a:pPr"))
                no_bullet = ppr is not None and ppr.find(qn("a:buNone")) is not None
                if not shape.is_placeholder or kind == "title":
                    no_bullet = True
                mar = pt(int(ppr.get("marL"))) if ppr is not None and ppr.get("marL") is not None else (margins[lvl] if not no_bullet else 0.0)
                width = frame.inner_w - mar
                before = para.space_before.pt if para.space_before is not None else 0.0
                lines = m.lines(Para(runs), size, width, bold=kind == "title")
                count += lines
                total += lines * LINE * size + (before if i else 0.0)
            where = (pt(shape.left), pt(shape.top), pt(shape.width), pt(shape.height))
            yield n, shape, total, frame.inner_h, count, len(paras), first_size, where


def overflowing_frames(path: str, theme) -> list[str]:
    """Re-open the deck at ``path`` and measure every text frame with the deck's TTFs.

    Returns one line per frame whose text is taller than its box.
    """
    out = []
    for n, shape, total, inner_h, *_ in _frames(path, theme):
        if total > inner_h + 0.5:
            out.append(f"slide {n} shape '{shape.name}': text needs {total:.1f}pt, box holds {inner_h:.1f}pt")
    return out


def frame_lines(path: str, theme) -> dict:
    """(slide number, shape name) → (lines, paragraphs, first size pt, (left, top, width, height) pt) of every text frame."""
    return {(n, shape.name): (lines, paras, size, where) for n, shape, _t, _h, lines, paras, size, where in _frames(path, theme)}


# --- package structure --------------------------------------------------------

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NOTES_MASTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster"
_LAYOUT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout"
_SLIDE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"


def _rels_of(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", base + ".rels")


def package_problems(path: str) -> list[str]:
    """Structural checks of the .pptx at ``path``: one line per problem (empty: none found).

    Every part parses and has a content type; every override names a part;
    every internal relationship resolves; each slide has a layout and its shape
    ids are unique; every text body holds a paragraph; notes slides point at
    their slide and the notes master and hold a body placeholder; slide ids are
    unique. What a schema validator does not see, and what PowerPoint's repair
    prompt most often comes from.
    """
    out: list[str] = []
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if not n.endswith("/")]
        parts = set(names)
        xml: dict[str, etree._Element] = {}
        for n in names:
            if n.endswith((".xml", ".rels")):
                try:
                    xml[n] = etree.fromstring(z.read(n))
                except etree.XMLSyntaxError as exc:
                    out.append(f"{n}: not well-formed XML ({exc})")
    if "[Content_Types].xml" not in xml:
        return out + ["[Content_Types].xml missing"]
    ct = xml["[Content_Types].xml"]
    defaults = {d.get("Extension").lower() for d in ct.iter(f"{_CT}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in ct.iter(f"{_CT}Override")}
    for n in sorted(parts - {"[Content_Types].xml"}):
        ext = n.rsplit(".", 1)[-1].lower() if "." in n else ""
        if n not in overrides and ext not in defaults:
            out.append(f"{n}: no content type")
    for o in sorted(overrides - parts):
        out.append(f"[Content_Types].xml: override for missing part /{o}")
    rels: dict[str, dict[str, tuple[str, str]]] = {}  # part → rId → (type, target part)
    for n, root in xml.items():
        if not n.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(n))
        source = posixpath.join(folder, posixpath.basename(n)[: -len(".rels")])
        table: dict[str, tuple[str, str]] = {}
        for r in root.iter(f"{_REL}Relationship"):
            if r.get("TargetMode") == "External":
                table[r.get("Id")] = (r.get("Type", ""), "")
                continue
            target = r.get("Target", "")
            full = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
            if full not in parts:
                out.append(f"{n}: relationship {r.get('Id')} points at missing part {full}")
            if r.get("Id") in table:
                out.append(f"{n}: relationship id {r.get('Id')} used twice")
            table[r.get("Id")] = (r.get("Type", ""), full)
        rels[source] = table
    for n, root in sorted(xml.items()):
        if n.endswith(".rels"):
            continue
        mine = rels.get(n, {})
        for el in root.iter():
            for attr, value in el.attrib.items():
                if attr.startswith(_R) and attr in (f"{_R}id", f"{_R}embed", f"{_R}link", f"{_R}pict") and value not in mine:
                    out.append(f"{n}: r:{attr[len(_R):]}={value} has no relationship")
        if n.startswith(("ppt/slides/", "ppt/slideLayouts/", "ppt/slideMasters/", "ppt/notesSlides/")) and n.endswith(".xml"):
            ids = [c.get("id") for c in root.iter(f"{_P}cNvPr")]
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                out.append(f"{n}: shape ids used twice: {', '.join(dup)}")
            for tag in (f"{_P}txBody", f"{_A}txBody"):
                for body in root.iter(tag):
                    if body.find(f"{_A}p") is None:
                        out.append(f"{n}: a text body without a paragraph")
        if n.startswith("ppt/slides/slide") and n.endswith(".xml"):
            if not any(t == _LAYOUT for t, _ in mine.values()):
                out.append(f"{n}: no slide layout")
        if n.startswith("ppt/notesSlides/") and n.endswith(".xml"):
            types = [t for t, _ in mine.values()]
            if _NOTES_MASTER not in types or _SLIDE not in types:
                out.append(f"{n}: notes slide without its slide or the notes master")
            if not any(ph.get("type") == "body" for ph in root.iter(f"{_P}ph")):
                out.append(f"{n}: notes slide without a body placeholder")
    pres = xml.get("ppt/presentation.xml")
    if pres is not None:
        ids = [s.get("id") for s in pres.iter(f"{_P}sldId")]
        if len(ids) != len(set(ids)) or any(int(i) < 256 for i in ids):
            out.append("ppt/presentation.xml: slide ids not unique or below 256")
    return out
