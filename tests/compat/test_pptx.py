"""``reportgen/compat/pptx.py``: the python-pptx internals reportgen relies on.

Each private name the module uses must exist in the installed python-pptx
(a new python-pptx that renames one fails here, not mid-write); each speed-up
gives python-pptx's own answers; and writing a deck leaves python-pptx's
classes exactly as the library defines them.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

pptx = pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402
from pptx.opc.package import OpcPackage, _Relationships  # noqa: E402
from pptx.oxml.shapes.shared import BaseShapeElement  # noqa: E402

from reportgen.compat import pptx as compat  # noqa: E402
from reportgen.doctree import (  # noqa: E402
    Chart,
    Deck,
    Figure,
    Link,
    ListBlock,
    ListItem,
    Meta,
    Paragraph,
    Series,
    Slide,
    Table,
    Text,
)
from reportgen.errors import InputError  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx import PptxWriter  # noqa: E402

PACK = Path(__file__).resolve().parents[2] / "reportgen" / "packs" / "briefing"


def _deck(figure: str = "") -> Deck:
    """A deck touching every internal the writer uses: notes, footers, links, a table, a chart, a picture."""
    meta = Meta(title="Compat", date="2021-06-16", date_text="16 June 2021", classification="UNCLASSIFIED")
    bullets = ListBlock([ListItem([Paragraph([Link("#s1", [Text("Section one")])])])])
    slides = [
        Slide("Title Slide", [Text("Compat")], [Text("python-pptx internals")], kind="title"),
        Slide("Title and Content", [Text("Agenda")], body=[bullets], kind="agenda"),
        Slide("Section Header", [Text("1 One")], kind="section", id="s1"),
        Slide("Title and Content", [Text("Points")], body=[bullets], notes=[Paragraph([Text("Notes.")])], kind="content"),
        Slide("Title Only", [Text("Table")], body=[Table([[Text("a")], [Text("b")]], [[[Text("1")], [Text("2")]]] * 3)], kind="table"),
        Slide("Title Only", [Text("Chart")], body=[Chart("bar", "Bars", ["x", "y"], [Series("s", [1, 2])], source="here")], kind="chart"),
    ]
    if figure:
        slides.append(Slide("Title Only", [Text("Picture")], body=[Figure(figure, "alt", caption=[Text("Figure 1")])], kind="content"))
    return Deck(meta, slides)


# --- the names relied on ------------------------------------------------------

# (module, class, attribute): class-level names compat/pptx.py uses (checked against python-pptx 1.0.2)
CLASS_NAMES = [
    ("pptx.opc.package", "_Relationships", "_rels_by_reltype"),
    ("pptx.opc.package", "_Relationships", "_get_matching"),
    ("pptx.opc.package", "_Relationships", "_add_relationship"),
    ("pptx.opc.package", "_Relationships", "_next_rId"),
    ("pptx.opc.package", "_Relationships", "_rels"),
    ("pptx.opc.package", "_Relationships", "pop"),
    ("pptx.opc.package", "_Relationships", "load_from_xml"),
    ("pptx.opc.package", "OpcPackage", "next_partname"),
    ("pptx.opc.package", "OpcPackage", "iter_parts"),
    ("pptx.opc.package", "OpcPackage", "_rels"),
    ("pptx.opc.package", "Part", "rels"),
    ("pptx.opc.package", "Part", "relate_to"),
    ("pptx.opc.package", "XmlPart", "drop_rel"),
    ("pptx.opc.packuri", "PackURI", "baseURI"),
    ("pptx.parts.slide", "SlidePart", "new"),
    ("pptx.parts.chart", "ChartPart", "chart_workbook"),
    ("pptx.parts.chart", "ChartWorkbook", "xlsx_part"),
    ("pptx.parts.chart", "ChartWorkbook", "update_from_xlsx_blob"),
    ("pptx.oxml.shapes.shared", "BaseShapeElement", "ph"),
    ("pptx.oxml.presentation", "CT_SlideIdList", "_add_sldId"),
    ("pptx.oxml.text", "CT_TextParagraph", "get_or_add_pPr"),
    ("pptx.oxml.text", "CT_TextParagraph", "get_or_add_endParaRPr"),
    ("pptx.oxml.text", "CT_RegularTextRun", "get_or_add_rPr"),
    ("pptx.oxml.text", "CT_TextCharacterProperties", "add_hlinkClick"),
    ("pptx.shapes.shapetree", "_BaseShapes", "_next_shape_id"),
    ("pptx.shapes.shapetree", "SlideShapes", "clone_layout_placeholders"),
    ("pptx.oxml.shapes.groupshape", "CT_GroupShape", "add_placeholder"),
    ("pptx.shapes.placeholder", "_BaseSlidePlaceholder", "_base_placeholder"),
    ("pptx.shapes.placeholder", "LayoutPlaceholder", "_base_placeholder"),
    ("pptx.chart.xlsx", "CategoryWorkbookWriter", "_open_worksheet"),
    ("pptx.chart.data", "CategoryChartData", "_workbook_writer"),
    ("pptx.oxml.chart.series", "CT_SeriesComposite", "get_or_add_dLbls"),
]


@pytest.mark.parametrize("module, cls, attr", CLASS_NAMES, ids=[f"{c}.{a}" for _m, c, a in CLASS_NAMES])
def test_class_names_relied_on_exist(module, cls, attr):
    owner = getattr(importlib.import_module(module), cls)
    assert hasattr(owner, attr), f"python-pptx {pptx.__version__}: {module}.{cls}.{attr} is gone; see reportgen/compat/pptx.py"


def test_instance_names_relied_on_exist():
    """The private attributes python-pptx sets on its objects, and the expression ``ph`` evaluates."""
    prs = Presentation()
    assert hasattr(prs.slides, "_sldIdLst") and hasattr(prs.slides._sldIdLst, "_add_sldId")
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    assert hasattr(slide.shapes, "_spTree") and isinstance(slide.shapes._next_shape_id, int)
    p = slide.placeholders[1].text_frame.paragraphs[0]
    assert hasattr(p, "_p") and hasattr(p.add_run(), "_r")
    assert type(prs.part.rels) is _Relationships and isinstance(prs.part.rels._rels, dict)
    assert isinstance(prs.part.package._rels, _Relationships)
    assert compat.base_placeholder(slide.placeholders[1]) is not None  # its layout's body
    assert compat.PH_XPATH in inspect.getsource(BaseShapeElement.__dict__["ph"].fget)
    assert "_next_id" in vars(type(prs.slides._sldIdLst)) and "_next_slide_partname" in dir(type(prs.part))


def test_hide_data_labels_relies_on_names_that_exist_and_deletes_only_those_labels():
    """``hide_data_labels``: a series' ``_element`` is its ``c:ser``; the deleted labels are PowerPoint's
    ``<c:dLbl><c:idx/><c:delete val="1"/></c:dLbl>``, and the series keeps the plot's other label settings."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    prs = Presentation()
    data = CategoryChartData(number_format="0.0%")
    data.categories = ["a", "b", "c"]
    data.add_series("s", [0.5, 0, 0.25])
    data.add_series("t", [0.1, 0.2, 0.3])
    chart = prs.slides.add_slide(prs.slide_layouts[6]).shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, 0, 0, Inches(4), Inches(3), data).chart
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = "0.0%"
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.show_value = True
    first, second = plot.series
    assert first._element.tag == compat.qn("c:ser")  # the private name relied on
    compat.hide_data_labels(first, [1])
    compat.hide_data_labels(second, [])  # nothing to hide: no labels of its own
    own = first._element.find(compat.qn("c:dLbls"))
    label = own[0]
    assert [(e.tag, e.get("val")) for e in label] == [(compat.qn("c:idx"), "1"), (compat.qn("c:delete"), "1")]
    group = plot._element.find(compat.qn("c:dLbls"))
    from lxml import etree

    assert [etree.tostring(e) for e in own[1:]] == [etree.tostring(e) for e in group]
    assert second._element.find(compat.qn("c:dLbls")) is None
    tags = [e.tag for e in first._element]  # c:dLbls where the schema has it: before c:cat and c:val
    assert tags.index(compat.qn("c:dLbls")) < tags.index(compat.qn("c:cat")) < tags.index(compat.qn("c:val"))
    assert first.points[0].data_label.position is None  # python-pptx reads the other points as before


# --- the helpers give python-pptx's answers -----------------------------------


def test_part_names_match_python_pptx(tmp_path):
    """The names handed out are exactly the ones python-pptx's own search would give."""
    prs = Presentation()
    names = compat.PartNames.install(prs)
    layout = prs.slide_layouts[1]
    got = []
    for _ in range(6):
        slide = prs.slides.add_slide(layout)
        slide.notes_slide.notes_text_frame.text = "x"
        got.append(str(slide.notes_slide.part.partname))
    assert got == [f"/ppt/notesSlides/notesSlide{i}.xml" for i in range(1, 7)]
    expected = OpcPackage.next_partname(prs.part.package, "/ppt/notesSlides/notesSlide%d.xml")
    assert names("/ppt/notesSlides/notesSlide%d.xml") == expected
    assert "next_partname" not in vars(OpcPackage) or vars(OpcPackage)["next_partname"] is not names  # the instance's only


def test_relationship_index_gives_python_pptx_answers():
    """Same rIds as python-pptx for adds, re-adds (get_or_add), and adds after gaps were made."""
    slide_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"
    plain, indexed = Presentation(), Presentation()
    compat.index_relationships(indexed.part)
    assert type(indexed.part._rels) is not _Relationships
    assert type(plain.part._rels) is _Relationships  # per instance: other presentations keep the library's class
    for prs in (plain, indexed):
        rels, layout = prs.part.rels, prs.slide_layouts[1]
        slides = [prs.slides.add_slide(layout) for _ in range(6)]
        for s in (slides[1], slides[3], slides[4]):  # three gaps, as dropping a master's sample slides leaves
            rels.pop(rels.get_or_add(slide_rel, s.part))
        added = [prs.slides.add_slide(layout) for _ in range(4)]
        again = rels.get_or_add(slide_rel, slides[2].part)
        prs.rg_result = (
            sorted(rels.keys()),
            again,
            [rels.get_or_add(slide_rel, s.part) for s in added],
            [r.rId for r in rels._rels_by_reltype[slide_rel]],
        )
    assert plain.rg_result == indexed.rg_result


def test_slide_adder_gives_python_pptx_slides(tmp_path):
    """``SlideAdder`` makes the slides and notes slides python-pptx would (``prs.slides.add_slide``,
    ``slide.notes_slide``): same XML, ids, part names and relationships, on every layout, each used
    several times (the placeholders cloned for a layout's first slide are copied onto its next ones)."""
    import hashlib

    def build(add, notes) -> str:
        prs = Presentation()
        for i in range(2 * len(prs.slide_layouts) + 3):
            slide = add(prs, prs.slide_layouts[i % len(prs.slide_layouts)])
            if slide.shapes.title is not None:
                slide.shapes.title.text = f"Slide {i}"
            if i % 3:
                notes(slide).notes_text_frame.text = f"Notes {i}"
        out = tmp_path / f"{add.__name__}.pptx"
        prs.save(str(out))
        import zipfile

        with zipfile.ZipFile(out) as z:
            names = sorted(z.namelist())
            assert sum(n.startswith("ppt/notesSlides/notesSlide") for n in names) == 2 * len(prs.slide_layouts) + 3 - 9
            return hashlib.sha256(b"".join(z.read(n) for n in names if not n.startswith("docProps/"))).hexdigest()

    adders: dict = {}

    def ours(prs, layout):
        return adders.setdefault(id(prs), compat.SlideAdder(prs)).add(layout)

    def our_notes(slide):
        return next(iter(adders.values())).notes_slide(slide)

    def library(prs, layout):
        return prs.slides.add_slide(layout)

    assert build(ours, our_notes) == build(library, lambda slide: slide.notes_slide)


def test_a_title_placeholder_added_is_the_one_python_pptx_clones_from_a_layout():
    """``add_title_placeholder`` on a slide of the blank layout makes the title python-pptx makes on a title-only slide."""
    from lxml import etree

    prs = Presentation()
    blank = prs.slides.add_slide(prs.slide_layouts[6])
    titled = prs.slides.add_slide(prs.slide_layouts[5])
    assert blank.shapes.title is None
    made = compat.add_title_placeholder(blank)
    assert blank.shapes.title.element is made.element and made.placeholder_format.idx == 0

    def bare(el) -> bytes:
        el = etree.fromstring(etree.tostring(el))
        el.find(".//{*}cNvPr").attrib.clear()
        return etree.tostring(el)

    assert bare(made.element) == bare(titled.shapes.title.element)


def test_compiled_placeholder_lookup_matches_python_pptx(tmp_path):
    """Every shape of a written deck, its layouts and master: the same ``ph`` as the library's XPath, while
    the compiled lookup is in place; and the library's own property back once the context closes."""
    out = tmp_path / "deck.pptx"
    PptxWriter().write(_deck(), load_theme(str(PACK)), str(out))
    original = BaseShapeElement.__dict__["ph"]
    prs = Presentation(str(out))
    with compat.compiled_placeholder_lookup():
        assert BaseShapeElement.ph.fget is compat._compiled_ph
        with compat.compiled_placeholder_lookup():  # re-entrant: the inner close leaves it in place
            pass
        assert BaseShapeElement.ph.fget is compat._compiled_ph
        trees = [compat.shape_tree(s) for s in prs.slides] + [lay.shapes._spTree for lay in prs.slide_layouts]
        trees += [prs.slide_master.shapes._spTree] + [s.notes_slide.shapes._spTree for s in prs.slides if s.has_notes_slide]
        checked = placeholders = 0
        for tree in trees:
            for elm in tree.iter():
                if isinstance(elm, BaseShapeElement):
                    library = elm.xpath(compat.PH_XPATH)  # BaseShapeElement.ph as python-pptx defines it
                    assert elm.ph is (library[0] if library else None)
                    checked += 1
                    placeholders += bool(library)
        assert checked > 20 and 0 < placeholders < checked
    assert BaseShapeElement.__dict__["ph"] is original


# --- python-pptx as the library defines it, after any write ------------------


def _pptx_state() -> dict:
    """Every class python-pptx defines, with its attributes as objects (and every module's names)."""
    for info in pkgutil.walk_packages(pptx.__path__, "pptx."):
        importlib.import_module(info.name)
    import sys

    state = {}
    for name, module in list(sys.modules.items()):
        if name != "pptx" and not name.startswith("pptx."):
            continue
        state[name] = dict(vars(module))
        for attr, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == name:
                state[f"{name}.{attr}"] = dict(vars(value))
    return state


def _differences(before: dict, after: dict) -> list[str]:
    out = []
    for owner, attrs in after.items():
        if owner not in before:
            out.append(f"{owner}: new")
            continue
        for attr in attrs.keys() | before[owner].keys():
            if attrs.get(attr, KeyError) is not before[owner].get(attr, KeyError):
                out.append(f"{owner}.{attr}")
    return out


def test_writing_leaves_python_pptx_as_the_library_defines_it(tmp_path, monkeypatch):
    from PIL import Image

    fig = tmp_path / "f.png"
    Image.new("RGB", (40, 30), (1, 2, 3)).save(fig)
    theme = load_theme(str(PACK))
    during = []
    from reportgen.writers.pptx import plan as plan_module

    real_plan = plan_module.plan_deck

    def spying(*args, **kwargs):
        during.append(BaseShapeElement.__dict__["ph"].fget)
        return real_plan(*args, **kwargs)

    before = _pptx_state()
    original = BaseShapeElement.__dict__["ph"]
    monkeypatch.setattr(plan_module, "plan_deck", spying)
    PptxWriter().write(_deck(str(fig)), theme, str(tmp_path / "ok.pptx"))
    assert during == [compat._compiled_ph]  # the speed-up was in place for the write ...
    monkeypatch.undo()
    assert BaseShapeElement.__dict__["ph"] is original  # ... and the library's own property is back
    assert type(Presentation().part.rels) is _Relationships
    assert _differences(before, _pptx_state()) == []

    # a write that fails halfway (an unreadable picture, found while planning) undoes it too
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(InputError):
        PptxWriter().write(_deck(str(bad)), theme, str(tmp_path / "bad.pptx"))
    assert BaseShapeElement.__dict__["ph"] is original
    assert _differences(before, _pptx_state()) == []
