"""Deck-level plumbing for the PPTX writer: the theme part, layouts, footers, bytes.

Shared by ``PptxWriter`` and ``tools/make_master.py``. Knows python-pptx and
DrawingML; knows nothing of the document tree.
"""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
from datetime import datetime, timezone

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from ..errors import InputError, Problem

EMU_PER_PT = 12700
EMU_PER_IN = 914400
SLIDE_W = 12192000  # 13.333 in
SLIDE_H = 6858000  # 7.5 in

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


# --- theme part -------------------------------------------------------------


def scheme_colours(palette) -> dict[str, str]:
    """Map a ``Palette`` onto the theme colour slots (values are RRGGBB)."""
    primary, accent = palette.primary.upper(), palette.accent.upper()
    rest: list[str] = []
    for c in [*palette.chart, palette.secondary, palette.muted, palette.rule, palette.text]:
        c = c.upper()
        if c not in (primary, accent) and c not in rest:
            rest.append(c)
    while len(rest) < 4:
        rest.append(palette.secondary.upper())
    slots = {
        "dk1": palette.text,
        "lt1": palette.background,
        "dk2": primary,
        "lt2": palette.light,
        "accent1": primary,
        "accent2": accent,
        "accent3": rest[0],
        "accent4": rest[1],
        "accent5": rest[2],
        "accent6": rest[3],
        "hlink": palette.secondary,
        "folHlink": palette.muted,
    }
    return {k: v.lstrip("#").upper() for k, v in slots.items()}


def theme_part(prs):
    return prs.slide_master.part.part_related_by(RT.THEME)


def apply_theme(prs, theme) -> None:
    """Write ``theme.palette`` and the deck font into the presentation's theme part."""
    part = theme_part(prs)
    root = etree.fromstring(part.blob)
    scheme = root.find(f"{{{_A}}}themeElements/{{{_A}}}clrScheme")
    scheme.set("name", theme.name or "reportgen")
    for slot, rgb in scheme_colours(theme.palette).items():
        el = scheme.find(f"{{{_A}}}{slot}")
        if el is None:
            continue
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{_A}}}srgbClr", val=rgb)
    fonts = root.find(f"{{{_A}}}themeElements/{{{_A}}}fontScheme")
    fonts.set("name", theme.name or "reportgen")
    office = theme.family("deck").office_name
    for which in ("majorFont", "minorFont"):
        latin = fonts.find(f"{{{_A}}}{which}/{{{_A}}}latin")
        latin.set("typeface", office)
        for attr in ("panose", "pitchFamily", "charset"):
            latin.attrib.pop(attr, None)
    root.set("name", theme.name or "reportgen")
    part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- layouts ----------------------------------------------------------------


def layouts_by_name(prs) -> dict:
    return {layout.name: layout for layout in prs.slide_layouts}


def require_layouts(prs, wanted: list[str], where: str) -> dict:
    """Return name → layout; raise ``InputError`` naming every missing layout."""
    return map_layouts(prs, [(name, None) for name in wanted], where)


# Layout roles (the fields of ``theme.DeckLayouts``) and what each needs.
ROLES = ("title", "section", "content", "two_content", "comparison", "title_only", "blank")
FOOTER_TYPES = ("dt", "ftr", "sldNum")
_CONTENT = ("obj", "pic", "chart", "tbl", "dgm", "media", "clipArt")
_NEEDS = {  # role → (titles, bodies) it needs at least
    "title": (1, 0),
    "section": (1, 0),
    "content": (1, 1),
    "two_content": (1, 2),
    "comparison": (1, 2),
    "title_only": (1, 0),
    "blank": (0, 0),
}
_SHAPE = {
    "title": "a centred title and a subtitle",
    "section": "a title and one small text placeholder",
    "content": "a title and one large content or text placeholder",
    "two_content": "a title and two content placeholders",
    "comparison": "a title, two headings and two content placeholders",
    "title_only": "a title and nothing else",
    "blank": "no title and no body",
}
_KEYWORDS = {  # a structural match whose name says so is preferred
    "title": ("title slide", "cover", "title"),
    "section": ("section", "divider", "header", "chapter"),
    "content": ("content", "text", "body", "bullet"),
    "two_content": ("two", "2", "column"),
    "comparison": ("compar", "versus", "vs"),
    "title_only": ("title only", "heading", "only"),
    "blank": ("blank", "empty"),
}


def _ph_type(ph) -> str:
    return ph._element.ph.get("type", "obj")


def structure(layout) -> dict[str, list]:
    """The placeholders of ``layout`` by kind: title, ctrTitle, subTitle, text (body), content (obj, pic…)."""
    out: dict[str, list] = {"title": [], "ctrTitle": [], "subTitle": [], "text": [], "content": []}
    for ph in layout.placeholders:
        t = _ph_type(ph)
        if t in FOOTER_TYPES:
            continue
        if t in ("title", "ctrTitle", "subTitle"):
            out[t].append(ph)
        elif t == "body":
            out["text"].append(ph)
        elif t in _CONTENT:
            out["content"].append(ph)
    return out


def describe(layout) -> str:
    """A short account of ``layout``'s placeholders, for error messages."""
    st = structure(layout)
    parts = []
    for key, word in (("ctrTitle", "centred title"), ("title", "title"), ("subTitle", "subtitle"), ("text", "text"), ("content", "content")):
        n = len(st[key])
        if n:
            parts.append(word if n == 1 else f"{n} {word}")
    return ", ".join(parts) or "no placeholders"


def classify(layout, slide_area: int) -> str | None:
    """The role ``layout``'s placeholder structure fits, or None."""
    st = structure(layout)
    titled = bool(st["title"] or st["ctrTitle"])
    text, content = st["text"], st["content"]
    if st["ctrTitle"] or (titled and st["subTitle"] and not content):
        return "title"
    if not titled:
        return "blank" if not text and not content and not st["subTitle"] else None
    if not text and not content:
        return "title_only"
    if len(content) == 1 and not text:
        return "content"
    if len(text) == 1 and not content:
        ph = text[0]
        area = int(ph.width or 0) * int(ph.height or 0)
        return "content" if area >= 0.3 * slide_area else "section"
    if len(text) + len(content) == 2:
        return "two_content"
    if len(content) == 2 and len(text) == 2:
        return "comparison"
    return None


def lacks(layout, role: str) -> list[str]:
    """What ``layout`` lacks to serve ``role`` (empty: nothing)."""
    titles, bodies = _NEEDS.get(role, (0, 0))
    st = structure(layout)
    out = []
    if titles and not (st["title"] or st["ctrTitle"]):
        out.append("a title placeholder")
    have = len(st["text"]) + len(st["content"]) + (len(st["subTitle"]) if role == "title" else 0)
    if have < bodies:
        out.append(f"{bodies} body placeholder{'s' if bodies > 1 else ''} (has {have})")
    return out


def _norm(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").replace("_", " ").split())


def map_layouts(prs, wanted: list[tuple[str, str | None]], where: str) -> dict:
    """Return layout name → layout of ``prs`` for each (name, role) in ``wanted``.

    A name the master has is used as it is (and must have the placeholders its
    role needs). A missing name with a role falls back to a layout with the same
    name in another case, then to the first layout whose placeholder structure
    fits the role (one whose name says the role preferred). When none does,
    raise ``InputError`` with one line per missing layout or placeholder, and
    the layouts the master does have.
    """
    layouts = list(prs.slide_layouts)
    have = {layout.name: layout for layout in layouts}
    area = int(prs.slide_width) * int(prs.slide_height)
    out: dict = {}
    problems: list[str] = []
    seen: set[str] = set()
    for name, role in wanted:
        if name in seen:
            continue
        seen.add(name)
        layout = have.get(name)
        if layout is None:
            layout = next((l for l in layouts if _norm(l.name) == _norm(name)), None)
        if layout is None and role:
            fits = [l for l in layouts if classify(l, area) == role]
            named = [l for l in fits if any(k in _norm(l.name) for k in _KEYWORDS.get(role, ()))]
            layout = (named or fits or [None])[0]
        if layout is None:
            if role:
                problems.append(f"no layout for {role.replace('_', '-')} slides: none is named {name!r} and none has {_SHAPE[role]}")
            else:
                problems.append(f"no layout named {name!r}")
            continue
        missing = lacks(layout, role) if role else []
        if missing:
            problems.append(f"layout {layout.name!r} (used for {role.replace('_', '-')} slides) lacks {' and '.join(missing)}")
            continue
        out[name] = layout
    if problems:
        avail = "; ".join(f"{l.name!r} ({describe(l)})" for l in layouts)
        raise InputError([Problem(where, 0, 0, f"slide master: {p}") for p in problems]
                         + [Problem(where, 0, 0, f"slide master: available layouts: {avail}")])
    return out


def placeholder(layout, *types: str, idx: int | None = None):
    """Return the first placeholder of ``layout`` whose ph type is one of ``types`` (or whose idx is ``idx``)."""
    for ph in layout.placeholders:
        el = ph._element.ph
        t = el.get("type", "obj")
        if idx is not None and ph.placeholder_format.idx == idx:
            return ph
        if t in types:
            return ph
    return None


def box(shape) -> tuple[int, int, int, int]:
    """(left, top, width, height) in EMU, following inheritance."""
    return int(shape.left), int(shape.top), int(shape.width), int(shape.height)


def insets(shape) -> tuple[int, int, int, int]:
    """Text insets (l, t, r, b) in EMU of a shape, following placeholder inheritance."""
    default = (91440, 45720, 91440, 45720)
    names = ("lIns", "tIns", "rIns", "bIns")
    found: list[int | None] = [None] * 4
    chain = [shape]
    try:
        parent = shape._base_placeholder
        while parent is not None:
            chain.append(parent)
            parent = getattr(parent, "_base_placeholder", None)
    except (AttributeError, KeyError):
        pass
    for s in chain:
        body = s._element.find(f".//{qn('a:bodyPr')}")
        if body is None:
            continue
        for i, n in enumerate(names):
            if found[i] is None and body.get(n) is not None:
                found[i] = int(body.get(n))
    return tuple(default[i] if v is None else v for i, v in enumerate(found))  # type: ignore[return-value]


def level_margins(prs) -> list[int]:
    """marL in EMU for body levels 1..9, from the master's body style."""
    out = []
    style = prs.slide_master._element.find(f"{qn('p:txStyles')}/{qn('p:bodyStyle')}")
    for lvl in range(1, 10):
        el = style.find(qn(f"a:lvl{lvl}pPr")) if style is not None else None
        mar = el.get("marL") if el is not None else None
        out.append(int(mar) if mar is not None else 342900 * lvl)
    return out


def inherited_size(shape, kind: str, prs, level: int = 1) -> float | None:
    """Font size in points a placeholder gives level-``level`` text (None = unknown)."""
    tag = qn(f"a:lvl{level}pPr")
    chain = [shape]
    parent = getattr(shape, "_base_placeholder", None)
    while parent is not None:
        chain.append(parent)
        parent = getattr(parent, "_base_placeholder", None)
    for s in chain:
        lst = s._element.find(f".//{qn('a:lstStyle')}")
        if lst is not None:
            el = lst.find(f"{tag}/{qn('a:defRPr')}")
            if el is not None and el.get("sz"):
                return int(el.get("sz")) / 100
    style_name = "p:titleStyle" if kind == "title" else "p:bodyStyle"
    style = prs.slide_master._element.find(f"{qn('p:txStyles')}/{qn(style_name)}")
    if style is not None:
        el = style.find(f"{tag}/{qn('a:defRPr')}")
        if el is not None and el.get("sz"):
            return int(el.get("sz")) / 100
    return None


# --- footers ----------------------------------------------------------------


def clone_footers(slide, footer: str, number: int, date_text: str, font: str = "", cache: dict | None = None) -> list:
    """Copy the layout's footer, slide-number and date placeholders onto ``slide``.

    python-pptx does not copy them; PowerPoint shows only what the slide holds.
    Returns the new shapes' elements. ``cache`` (one dict per deck) keeps, per
    layout, each placeholder already stripped to what a slide's copy keeps
    (the layout does not change while slides are added).
    """
    layout_part = slide.part.part_related_by(RT.SLIDE_LAYOUT)
    found = cache.get(layout_part.partname) if cache is not None else None
    if found is None:
        found = _footer_templates(layout_part.slide_layout, slide.part.package.presentation_part.presentation)
        if cache is not None:
            cache[layout_part.partname] = found
    made = []
    tree = slide.shapes._spTree
    next_id = None
    for t in FOOTER_TYPES:
        if t not in found or t == "ftr" and not footer or t == "dt" and not date_text:
            continue
        template, size = found[t]
        if next_id is None:
            next_id = slide.shapes._next_shape_id  # the highest id on the slide + 1, as python-pptx counts
        el = copy.deepcopy(template)
        el.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}").set("id", str(next_id))
        next_id += 1
        p = etree.SubElement(el.find(qn("p:txBody")), qn("a:p"))
        if t == "sldNum":
            fld = etree.SubElement(p, qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
            _rpr(fld, size, font)
            etree.SubElement(fld, qn("a:t")).text = str(number)
        else:
            r = etree.SubElement(p, qn("a:r"))
            _rpr(r, size, font)
            etree.SubElement(r, qn("a:t")).text = footer if t == "ftr" else date_text
        tree.append(el)
        made.append(el)
    return made


def _footer_templates(layout, prs) -> dict:
    """Footer type → (the placeholder as a slide's copy starts: position and look left to
    inheritance, no paragraphs, empty list styles; its text size)."""
    out = {}
    for t, (ph, from_layout, size) in _footer_sources(layout, prs).items():
        el = copy.deepcopy(ph._element)
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
    """Footer type → (placeholder to copy, whether it is the layout's own, its text size)."""
    sources = {ph._element.ph.get("type"): (ph, True) for ph in layout.placeholders if ph._element.ph.get("type") in FOOTER_TYPES}
    for ph in layout.slide_master.placeholders:  # a layout without them: the master's, placed as there
        t = ph._element.ph.get("type")
        if t in FOOTER_TYPES and t not in sources:
            sources[t] = (ph, False)
    return {t: (ph, own, inherited_size(ph, "other", prs, 1)) for t, (ph, own) in sources.items()}


def _rpr(parent, size: float | None, font: str):
    """Run properties for footer text: LibreOffice ignores the layout's for cloned footers."""
    rpr = etree.SubElement(parent, qn("a:rPr"), lang="en-US")
    if size:
        rpr.set("sz", str(int(round(size * 100))))
    if font:
        etree.SubElement(rpr, qn("a:latin"), typeface=font)
    return rpr


# --- package ----------------------------------------------------------------


def drop_thumbnail(prs) -> None:
    pkg = prs.part.package
    for rId, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.drop_rel(rId)


CORE_MAX = 255  # characters python-pptx (and PowerPoint's property dialog) allow in a core property


def core_text(text: str) -> str:
    """Return ``text`` cut to ``CORE_MAX`` characters for a core property, at a word when one ends near, with "…"."""
    if len(text) <= CORE_MAX:
        return text
    cut = " ".join(text.split())[: CORE_MAX - 1]
    space = cut.rfind(" ")
    if space > CORE_MAX * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,;") + "…"


def set_core(prs, *, title="", author="", subject="", keywords="", when: datetime | None = None) -> None:
    """Set the deck's core properties (each cut to ``CORE_MAX`` characters) and its fixed dates."""
    cp = prs.core_properties
    cp.title = core_text(title)
    cp.author = core_text(author)
    cp.subject = core_text(subject)
    cp.keywords = core_text(keywords)
    cp.comments = ""
    cp.category = ""
    cp.last_modified_by = "reportgen"
    cp.revision = 1
    when = when or datetime(2000, 1, 1, tzinfo=timezone.utc)
    cp.created = when.replace(tzinfo=None)
    cp.modified = when.replace(tzinfo=None)


_W3C = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _rezip(blob: bytes, inner: bool = False) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xlsx"):
                data = _rezip(data, inner=True)
            elif inner and info.filename == "docProps/core.xml":
                data = _W3C.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def steady_workbook(chart) -> None:
    """Give ``chart``'s embedded workbook fixed timestamps (XlsxWriter stamps the time of day)."""
    workbook = chart.part.chart_workbook
    if workbook.xlsx_part is not None:
        workbook.update_from_xlsx_blob(_rezip(workbook.xlsx_part.blob, inner=True))


def save_deterministic(prs, path: str) -> None:
    """Save ``prs`` to ``path`` with fixed zip timestamps (same input → same bytes).

    python-pptx stamps each zip entry with the time of saving; the stamps are
    overwritten in place (``_fixed_times``), which keeps the compressed data
    as written instead of inflating and deflating the whole package again.
    Chart workbooks are made steady when they are added (``steady_workbook``).
    """
    buf = io.BytesIO()
    prs.save(buf)
    data = _fixed_times(buf.getvalue())
    with open(path, "wb") as fh:
        fh.write(data)


_DOS_TIME = (FIXED_TIME[3] << 11) | (FIXED_TIME[4] << 5) | (FIXED_TIME[5] // 2)
_DOS_DATE = ((FIXED_TIME[0] - 1980) << 9) | (FIXED_TIME[1] << 5) | FIXED_TIME[2]


def _fixed_times(blob: bytes) -> bytes:
    """Return zip ``blob`` with every entry's date and time set to ``FIXED_TIME``.

    Patches the local headers and the central directory (the stamps' fixed
    offsets in the zip format); a zip this cannot read plainly (ZIP64, a
    comment) is rewritten whole instead.
    """
    end = len(blob) - 22
    if end < 0 or blob[end : end + 4] != b"PK\x05\x06":
        return _rezip(blob)
    count, _size, where = struct.unpack_from("<HII", blob, end + 10)
    if count == 0xFFFF or where == 0xFFFFFFFF:
        return _rezip(blob)
    out = bytearray(blob)
    for _ in range(count):
        if out[where : where + 4] != b"PK\x01\x02":
            return _rezip(blob)
        struct.pack_into("<HH", out, where + 12, _DOS_TIME, _DOS_DATE)
        n, m, k = struct.unpack_from("<HHH", out, where + 28)
        (local,) = struct.unpack_from("<I", out, where + 42)
        if out[local : local + 4] != b"PK\x03\x04":
            return _rezip(blob)
        struct.pack_into("<HH", out, local + 10, _DOS_TIME, _DOS_DATE)
        where += 46 + n + m + k
    return bytes(out)
