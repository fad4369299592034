"""The deck's theme part: the palette as the theme's colour slots, the deck font as its fonts."""

from __future__ import annotations

from lxml import etree

from ...compat.pptx import RT

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


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


def read_scheme(prs) -> dict[str, str]:
    """Return the master's theme colours by slot (RRGGBB): an sRGB value, or a system colour's last value."""
    root = etree.fromstring(theme_part(prs).blob)
    scheme = root.find(f"{{{_A}}}themeElements/{{{_A}}}clrScheme")
    out: dict[str, str] = {}
    for slot in SLOTS:
        el = scheme.find(f"{{{_A}}}{slot}") if scheme is not None else None
        colour = el[0] if el is not None and len(el) else None
        value = colour.get("val") if colour is not None and colour.tag == f"{{{_A}}}srgbClr" else colour.get("lastClr") if colour is not None else None
        if value and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
            out[slot] = value.upper()
    return out


def _mix(a: str, b: str, t: float) -> str:
    """Return the colour ``t`` of the way from ``a`` to ``b`` (RRGGBB)."""
    pa, pb = (int(a[i : i + 2], 16) for i in (0, 2, 4)), (int(b[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(pa, pb))


def palette_from_master(scheme: dict[str, str], palette):
    """Return ``palette`` with the colours of a user's master (its theme's slots): tables, charts and source
    lines then match the master, and muted text is the master's text colour mixed toward its background,
    legible on it. Slots the master lacks keep the pack's colours."""
    pal = {k: v.lstrip("#").upper() for k, v in palette.model_dump().items() if isinstance(v, str)}
    text, back = scheme.get("dk1", pal["text"]), scheme.get("lt1", pal["background"])
    accents = [scheme[f"accent{i}"] for i in range(1, 7) if f"accent{i}" in scheme]
    update = {
        "primary": scheme.get("dk2", pal["primary"]),
        "secondary": scheme.get("accent1", pal["secondary"]),
        "accent": scheme.get("accent2", pal["accent"]),
        "text": text,
        "background": back,
        "light": scheme.get("lt2", pal["light"]),
        "muted": _mix(text, back, 0.35),
        "rule": _mix(text, back, 0.75),
    }
    fields = {k: "#" + v for k, v in update.items()}
    if accents:
        fields["chart"] = ["#" + c for c in accents]
    return palette.model_copy(update=fields)


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
