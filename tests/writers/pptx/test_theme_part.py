"""The colours of a user's slide master (theme_part): its background found as the master draws it, and every
colour the deck draws text in legible on it (WCAG 2 contrast: 4.5:1; 3:1 for chart titles, large and bold),
on a dark master as on a light one."""

from __future__ import annotations

import importlib.util
import os

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402

from reportgen.compose.decide import decide  # noqa: E402
from reportgen.doctree import Chart, Deck, KeyFigures, Meta, Series, Slide, Table, Text  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx import PptxWriter  # noqa: E402

from conftest import FIXTURES, TEMPLATES  # noqa: E402


def _masters():
    spec = importlib.util.spec_from_file_location("make_masters", os.path.join(FIXTURES, "masters", "make_masters.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


masters = _masters()
BACKGROUND = {"colour-map": masters.DARK_SCHEME["dk1"], "fill": masters.DARK_FILL}  # what each dark master's slides show


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of RRGGBB (written here again, not the writer's own)."""
    def lin(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(str(a)), luminance(str(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_is_wcags():
    from reportgen.writers.pptx.theme_part import contrast, readable

    assert contrast("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast("777777", "FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-too-light grey
    assert contrast("FFFFFF", "5B6573") == contrast("5B6573", "FFFFFF")
    assert readable("5B6573", "FFFFFF", "1A1A1A", 4.5) == "5B6573"  # legible already: kept
    fixed = readable("3A3F45", "14181D", "F2F4F7", 4.5)  # dark grey on near black: mixed toward the text, just enough
    assert 4.5 <= contrast(fixed, "14181D") < 5.0


@pytest.mark.parametrize("how", ["colour-map", "fill"])
def test_the_background_of_a_dark_master_is_read_as_drawn(tmp_path, how):
    from reportgen.writers.pptx.theme_part import read_scheme

    scheme = read_scheme(Presentation(masters.dark(str(tmp_path / "dark.pptx"), how)))
    assert scheme["background"] == BACKGROUND[how]
    if how == "colour-map":  # the colour map's text and background: the theme's light 1 on its dark 1
        assert (scheme["tx1"], scheme["bg1"], scheme["tx2"], scheme["bg2"]) == ("F2F4F7", "14181D", "C9D6E3", "1E2A36")
    light = read_scheme(Presentation(os.path.join(TEMPLATES, "briefing", "master.pptx")))
    assert light["background"] == light["lt1"] == "FFFFFF" and light["tx1"] == light["dk1"]


P_NS = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


@pytest.mark.parametrize(("fill", "want"), [
    ('<a:solidFill><a:schemeClr val="tx2"/></a:solidFill>', "1F3A5F"),  # through the colour map to dark 2
    ('<a:solidFill><a:schemeClr val="bg1"><a:lumMod val="50000"/></a:schemeClr></a:solidFill>', "808080"),  # white at half its luminance
    ('<a:solidFill><a:srgbClr val="FFFFFF"><a:shade val="25000"/></a:srgbClr></a:solidFill>', "404040"),
    ('<a:gradFill><a:gsLst><a:gs pos="0"><a:srgbClr val="000000"/></a:gs><a:gs pos="100000"><a:srgbClr val="202020"/></a:gs></a:gsLst></a:gradFill>', "101010"),
    ('<a:solidFill><a:srgbClr val="1A1A1A"><a:lumMod val="lots"/></a:srgbClr></a:solidFill>', "1A1A1A"),  # a value it cannot read: left out
    ('<a:solidFill><a:srgbClr val="not-a-colour"/></a:solidFill>', "FFFFFF"),  # none it can read: bg1
    ('<a:noFill/>', "FFFFFF"),
])
def test_a_masters_own_background_fill_is_read(tmp_path, fill, want):
    from lxml import etree
    from pptx.oxml.ns import qn

    from reportgen.writers.pptx.theme_part import read_scheme

    prs = Presentation(os.path.join(TEMPLATES, "briefing", "master.pptx"))
    c_sld = prs.slide_master.element.find(qn("p:cSld"))
    c_sld.remove(c_sld.find(qn("p:bg")))
    c_sld.insert(0, etree.fromstring(f"<p:bg {P_NS}><p:bgPr>{fill}<a:effectLst/></p:bgPr></p:bg>"))
    assert read_scheme(prs)["background"] == want


def test_a_light_masters_colours_are_kept():
    """On a light master every colour is legible already: the palette is the master's slots, as before."""
    from reportgen.writers.pptx.theme_part import palette_from_master

    greys = {"dk1": "262626", "lt1": "FFFFFF", "dk2": "404040", "lt2": "E7E6E6", "accent1": "595959", "accent2": "7F7F7F"}
    pal = palette_from_master(greys, load_theme(os.path.join(TEMPLATES, "briefing")).palette)
    assert (pal.text, pal.background, pal.primary, pal.light, pal.accent) == ("#262626", "#FFFFFF", "#404040", "#E7E6E6", "#595959")
    assert pal.chart == ["#595959", "#7F7F7F"]


@pytest.mark.parametrize("how", ["colour-map", "fill"])
def test_a_dark_masters_palette_is_legible_on_its_background(tmp_path, how):
    from reportgen.writers.pptx.theme_part import palette_from_master, read_scheme

    scheme = read_scheme(Presentation(masters.dark(str(tmp_path / "dark.pptx"), how)))
    pal = palette_from_master(scheme, load_theme(os.path.join(TEMPLATES, "briefing")).palette)
    back = BACKGROUND[how]
    assert pal.background == "#" + back
    for name in ("text", "muted"):
        assert ratio(getattr(pal, name)[1:], back) >= 4.5, name
    assert ratio(pal.text[1:], pal.light[1:]) >= 4.5  # zebra rows
    assert ratio(pal.accent[1:], back) >= 4.5  # key figures
    assert ratio(pal.primary[1:], back) >= 3.0  # chart titles: large and bold
    assert ratio(pal.muted[1:], back) < ratio(pal.text[1:], back)  # still muted


# --- the deck drawn on a dark master ------------------------------------------

CHART = Chart("bar", "Net change", ["North", "South", "East", "West"], [Series("2023", [42, -3, 27, -31])], source="Regional accounts")
PIE = Chart("pie", "Share of talks", ["Arms", "Trade", "Climate"], [Series("Share", [0.125, 0.5, 0.375])], format="0.0%", source="Minutes")
TABLE = Table([[Text("Unit")], [Text("Staff")]], [[[Text(u)], [Text(str(n))]] for u, n in (("A", 12), ("B", 30), ("C", 44))],
              caption=[Text("Staff by unit")], align=["left", "right"])
FIGURES = KeyFigures([("1,550", [Text("deployed strategic warheads")]), ("700", [Text("deployed launchers")])])


def colours_deck(path: str, master: str = "") -> str:
    theme = load_theme(os.path.join(TEMPLATES, "briefing"))
    slides = [
        Slide("Title Only", [Text("Net change")], body=[CHART], kind="chart"),
        Slide("Title Only", [Text("Talks")], body=[PIE], kind="chart"),
        Slide("Title Only", [Text("Staff")], body=[TABLE], kind="table"),
        Slide("Title and Content", [Text("In numbers")], body=[FIGURES], kind="content"),
    ]
    PptxWriter(master=master).write(decide(Deck(Meta("Colours"), slides)), theme, path)
    return path


@pytest.fixture(scope="module", params=["colour-map", "fill"])
def dark_deck(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"dark-{request.param}")
    master = masters.dark(str(tmp / "master.pptx"), request.param)
    return Presentation(colours_deck(str(tmp / "deck.pptx"), master)), request.param


def runs(shape):
    return [r for p in shape.text_frame.paragraphs for r in p.runs]


def test_source_lines_and_captions_are_legible_on_a_dark_master(dark_deck):
    prs, how = dark_deck
    lines = [sh for s in prs.slides for sh in s.shapes if sh.has_text_frame and sh.text_frame.text.startswith(("Source:", "Staff by unit"))]
    assert len(lines) == 3
    for sh in lines:
        for r in runs(sh):
            assert ratio(r.font.color.rgb, BACKGROUND[how]) >= 4.5, (sh.text_frame.text, r.font.color.rgb)


def test_chart_text_is_legible_on_a_dark_master(dark_deck):
    prs, how = dark_deck
    back = BACKGROUND[how]
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 2
    for chart in charts:
        assert ratio(chart.font.color.rgb, back) >= 4.5  # labels, legend, category axis
        if chart.has_title:
            for r in chart.chart_title.text_frame.paragraphs[0].runs:
                assert ratio(r.font.color.rgb, back) >= 3.0  # large and bold
    axis = charts[0].value_axis.tick_labels.font.color.rgb
    assert ratio(axis, back) >= 4.5


def test_table_text_is_legible_on_its_cells_on_a_dark_master(dark_deck):
    prs, _how = dark_deck
    (table,) = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    seen = 0
    for row in table.rows:
        for cell in row.cells:
            for p in cell.text_frame.paragraphs:
                for r in p.runs:
                    assert ratio(r.font.color.rgb, cell.fill.fore_color.rgb) >= 4.5, (r.text, r.font.color.rgb, cell.fill.fore_color.rgb)
                    seen += 1
    assert seen == 8


def key_figures(prs) -> tuple[list, list]:
    """The value and label runs of the key-figures slide."""
    (slide,) = [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text_frame.text == "In numbers"]
    boxes = [sh for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title and not sh.is_placeholder]
    values = [r for sh in boxes if sh.text_frame.text in ("1,550", "700") for r in runs(sh)]
    labels = [r for sh in boxes if sh.text_frame.text.startswith("deployed") for r in runs(sh)]
    assert len(values) == 2 and len(labels) == 2
    return values, labels


def test_key_figures_are_in_the_masters_first_accent_legible_on_its_background(dark_deck):
    prs, how = dark_deck
    back = BACKGROUND[how]
    values, labels = key_figures(prs)
    for r in values:
        assert r.font.bold and ratio(r.font.color.rgb, back) >= 4.5
    if how == "colour-map":  # its first accent is legible on its background: as it is
        assert {str(r.font.color.rgb) for r in values} == {masters.DARK_SCHEME["accent1"]}
    else:  # a dark blue on a dark fill: lightened toward the text until legible, still blue
        (c,) = {str(r.font.color.rgb) for r in values}
        assert c != masters.LIGHT_SCHEME["accent1"] and int(c[4:], 16) > int(c[:2], 16)
    for r in labels:
        assert ratio(r.font.color.rgb, back) >= 4.5


def test_a_layouts_background_is_its_own_else_the_masters():
    """``layout_background``: what decides a slide's links are drawn in its text's colour (``emit._links_unreadable``)."""
    from reportgen.writers.pptx.theme_part import contrast, layout_background, read_scheme

    prs = Presentation(os.path.join(TEMPLATES, "briefing", "master.pptx"))
    scheme = read_scheme(prs)
    backs = {lay.name: layout_background(lay, scheme) for lay in prs.slide_layouts}
    assert backs["Title Slide"] == backs["Section Header"] == "1F3A5F"  # the briefing's dark banner layouts
    assert backs["Title and Content"] == backs["Title Only"] == scheme["background"] == "FFFFFF"
    link = load_theme(os.path.join(TEMPLATES, "briefing")).palette.secondary.lstrip("#")
    assert contrast(link, backs["Title Slide"]) < 4.5 <= contrast(link, backs["Title and Content"])
