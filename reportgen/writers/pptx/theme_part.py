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
