"""The deck's theme part: the palette as the theme's colour slots, the deck font as its fonts; a user's
master's colours read back (its theme's slots, its colour map, the background its slides show) and made
legible on that background (WCAG 2 contrast)."""

from __future__ import annotations

import colorsys

from lxml import etree

from ...compat.pptx import RT, qn

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
TEXT_CONTRAST = 4.5  # WCAG 2 AA: text against what is behind it (key figures too, large as they are: they are the slide's point)
LARGE_CONTRAST = 3.0  # WCAG 2 AA for text 18pt and over, or 14pt bold: chart titles (in the colour of table headers' fill)


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


SLOTS = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink", "folHlink")
MAPPED = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}  # the colour map's names, and the slots a light map gives them


def _hex(value: str | None) -> str | None:
    return value.upper() if value and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value) else None


def read_scheme(prs) -> dict[str, str]:
    """Return the master's colours (RRGGBB) by name: its theme's slots (an sRGB value, or a system colour's
    last value); ``bg1``, ``tx1``, ``bg2``, ``tx2`` as its colour map sets them (a dark master's map draws
    the background in ``dk1`` and text in ``lt1``); and ``background``, the colour its slides show (its own
    background fill: solid, a gradient's mean, or the colour a style reference names; else ``bg1``).
    Names it gives no readable colour are left out."""
    root = etree.fromstring(theme_part(prs).blob)
    scheme = root.find(f"{{{_A}}}themeElements/{{{_A}}}clrScheme")
    out: dict[str, str] = {}
    for slot in SLOTS:
        el = scheme.find(f"{{{_A}}}{slot}") if scheme is not None else None
        colour = el[0] if el is not None and len(el) else None
        value = colour.get("val") if colour is not None and colour.tag == f"{{{_A}}}srgbClr" else colour.get("lastClr") if colour is not None else None
        if _hex(value):
            out[slot] = _hex(value)
    master = prs.slide_master.element
    clr_map = master.find(qn("p:clrMap"))
    for name, light in MAPPED.items():
        slot = clr_map.get(name, light) if clr_map is not None else light
        if slot in out:
            out[name] = out[slot]
    background = _background(master, out) or out.get("bg1")
    if background:
        out["background"] = background
    return out


def _background(master, scheme: dict[str, str]) -> str | None:
    """The colour of the slide master's own background (``p:bg``), or None (none, a picture, a pattern)."""
    bg = master.find(f"{qn('p:cSld')}/{qn('p:bg')}")
    if bg is None:
        return None
    ref = bg.find(qn("p:bgRef"))
    if ref is not None:  # a theme background style in a colour: that colour stands for it
        return _colour(ref[0], scheme) if len(ref) else None
    pr = bg.find(qn("p:bgPr"))
    fill = pr[0] if pr is not None and len(pr) else None
    if fill is None:
        return None
    if fill.tag == qn("a:solidFill"):
        return _colour(fill[0], scheme) if len(fill) else None
    if fill.tag == qn("a:gradFill"):
        stops = [_colour(gs[0], scheme) for gs in fill.iter(qn("a:gs")) if len(gs)]
        if stops and all(stops):
            rgbs = [_rgb(c) for c in stops]
            return "".join(f"{round(sum(c[i] for c in rgbs) / len(rgbs)):02X}" for i in range(3))
    return None


def layout_background(layout, scheme: dict[str, str]) -> str | None:
    """The colour slides on ``layout`` show: the layout's own background (``p:bg``, read as the master's is), else the
    master's (``scheme["background"]``, ``read_scheme``); None when neither is a colour this can read."""
    return _background(layout.element, scheme) or scheme.get("background")


_PRESET = {"black": "000000", "white": "FFFFFF"}


def _colour(el, scheme: dict[str, str]) -> str | None:
    """The RRGGBB of a DrawingML colour element (sRGB, system, scheme through the colour map, black or white),
    with its luminance, tint and shade applied; None for one this cannot read (the master is the user's:
    whatever it holds, reading it never fails)."""
    if not isinstance(el.tag, str):  # a comment or processing instruction
        return None
    tag = etree.QName(el).localname
    if tag == "srgbClr":
        value = _hex(el.get("val"))
    elif tag == "sysClr":
        value = _hex(el.get("lastClr"))
    elif tag == "schemeClr":
        value = scheme.get(el.get("val", ""))
    elif tag == "prstClr":
        value = _PRESET.get(el.get("val", ""))
    else:
        value = None
    if value is None:
        return None
    r, g, b = (x / 255 for x in _rgb(value))
    for mod in el:
        if not isinstance(mod.tag, str):
            continue
        try:
            name, v = etree.QName(mod).localname, min(max(int(mod.get("val", "100000")), -10**7), 10**7) / 100000
        except ValueError:
            continue
        if name in ("lumMod", "lumOff"):
            h, lum, s = colorsys.rgb_to_hls(r, g, b)
            lum = min(1.0, max(0.0, lum * v if name == "lumMod" else lum + v))
            r, g, b = colorsys.hls_to_rgb(h, lum, s)
        elif name == "tint":
            r, g, b = (1 - (1 - x) * v for x in (r, g, b))
        elif name == "shade":
            r, g, b = (x * v for x in (r, g, b))
    return "".join(f"{round(min(1.0, max(0.0, x)) * 255):02X}" for x in (r, g, b))


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _mix(a: str, b: str, t: float) -> str:
    """Return the colour ``t`` of the way from ``a`` to ``b`` (RRGGBB)."""
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(_rgb(a), _rgb(b)))


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``colour`` (RRGGBB, with or without ``#``)."""
    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(colour)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def _extreme(back: str) -> str:
    """Black or white, whichever stands out more on ``back`` (one always reaches 4.5:1)."""
    return "000000" if contrast("000000", back) >= contrast("FFFFFF", back) else "FFFFFF"


def readable(colour: str, back: str, toward: str, ratio: float = TEXT_CONTRAST) -> str:
    """Return ``colour`` (RRGGBB) if it reaches ``ratio`` against ``back``; else it mixed toward ``toward``
    (the text colour) just enough to reach it, or toward black or white if even ``toward`` does not."""
    colour, back, toward = colour.lstrip("#").upper(), back.lstrip("#").upper(), toward.lstrip("#").upper()
    if contrast(colour, back) >= ratio:
        return colour
    if contrast(toward, back) < ratio:
        toward = _extreme(back)
    for step in range(1, 101):
        mixed = _mix(colour, toward, step / 100)
        if contrast(mixed, back) >= ratio:
            return mixed
    return toward


def text_on(back: str, candidates) -> str:
    """The first of ``candidates`` (RRGGBB) legible as text on ``back``; else whichever stands out most,
    or black or white if none reaches 4.5:1."""
    back = back.lstrip("#")
    cands = [c.lstrip("#").upper() for c in candidates if c]
    for c in cands:
        if contrast(c, back) >= TEXT_CONTRAST:
            return c
    return max(cands + [_extreme(back)], key=lambda c: contrast(c, back))


def legible(palette, others=()):
    """Return ``palette`` with the colours the deck sets text in legible on its background (WCAG 2 AA):
    ``text`` 4.5:1 (else the first of ``others`` that is, or black or white); ``muted`` (source lines,
    captions, axis numbers) and ``accent`` (key figures) 4.5:1, mixed toward the text colour if need be;
    ``primary`` (chart titles: large and bold) 3:1, likewise; ``light`` (the zebra rows of a table) a fill
    the text reaches 4.5:1 on, else a shade of the background. A colour that is legible already is kept, so
    a palette whose colours all are comes back equal."""
    back = palette.background.lstrip("#").upper()
    text = text_on(back, [palette.text, *others])
    light = palette.light.lstrip("#").upper()
    if contrast(text, light) < TEXT_CONTRAST:
        light = _mix(back, text, 0.08)
        if contrast(text, light) < TEXT_CONTRAST:
            light = back
    update = {
        "text": text,
        "muted": readable(palette.muted, back, text),
        "primary": readable(palette.primary, back, text, LARGE_CONTRAST),
        "accent": readable(palette.accent, back, text),
        "light": light,
    }
    changed = {k: "#" + v for k, v in update.items() if v != getattr(palette, k).lstrip("#").upper()}
    return palette.model_copy(update=changed) if changed else palette


def palette_from_master(scheme: dict[str, str], palette):
    """Return ``palette`` with the colours of a user's master (``read_scheme``): tables, charts, source lines
    and key figures then match the master, drawn on the background its slides show.

    Text is its colour map's text colour (``tx1``), titles and table headers its ``tx2``, zebra rows its
    ``bg2``, key figures its first accent, charts its six accents; muted text is the text colour mixed
    toward the background. Then every text colour is made legible on that background (``legible``): on a
    dark master whose theme still reads light, the text becomes the master's light colour. Names the master
    lacks keep the pack's colours."""
    pal = {k: v.lstrip("#").upper() for k, v in palette.model_dump().items() if isinstance(v, str)}

    def get(*names: str, default: str) -> str:
        return next((scheme[n] for n in names if n in scheme), default)

    back = get("background", "bg1", "lt1", default=pal["background"])
    text = get("tx1", "dk1", default=pal["text"])
    text = text_on(back, [text, *(scheme.get(n) for n in ("bg1", "tx2", "bg2", "dk1", "lt1", "dk2", "lt2"))])
    accents = [scheme[f"accent{i}"] for i in range(1, 7) if f"accent{i}" in scheme]
    update = {
        "primary": get("tx2", "dk2", default=pal["primary"]),
        "secondary": get("accent2", default=pal["secondary"]),
        "accent": get("accent1", default=pal["accent"]),
        "text": text,
        "background": back,
        "light": get("bg2", "lt2", default=pal["light"]),
        "muted": _mix(text, back, 0.35),
        "rule": _mix(text, back, 0.75),
    }
    fields = {k: "#" + v for k, v in update.items()}
    if accents:
        fields["chart"] = ["#" + c for c in accents]
    return legible(palette.model_copy(update=fields))


def apply_theme(prs, theme, colours: bool = True) -> None:
    """Write the deck font, and unless not ``colours`` ``theme.palette``, into the presentation's theme part."""
    part = theme_part(prs)
    root = etree.fromstring(part.blob)
    scheme = root.find(f"{{{_A}}}themeElements/{{{_A}}}clrScheme")
    if scheme is None:  # a theme must have one (and a deck without it is not valid OOXML)
        raise ValueError("the master's theme has no colour scheme (a:clrScheme)")
    for slot, rgb in (scheme_colours(theme.palette).items() if colours else ()):
        el = scheme.find(f"{{{_A}}}{slot}")
        if el is None:
            continue
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{_A}}}srgbClr", val=rgb)
    if colours:
        scheme.set("name", theme.name or "reportgen")
    fonts = root.find(f"{{{_A}}}themeElements/{{{_A}}}fontScheme")
    fonts.set("name", theme.name or "reportgen")  # the deck is measured with the pack's font: it is set, on any master
    office = theme.family("deck").office_name
    for which in ("majorFont", "minorFont"):
        latin = fonts.find(f"{{{_A}}}{which}/{{{_A}}}latin")
        latin.set("typeface", office)
        for attr in ("panose", "pitchFamily", "charset"):
            latin.attrib.pop(attr, None)
    if colours:
        root.set("name", theme.name or "reportgen")
    part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
