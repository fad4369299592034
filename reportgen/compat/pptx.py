"""python-pptx internals reportgen relies on, in one place (checked against python-pptx 1.0.2).

Everything in reportgen that touches a private name of python-pptx (an
underscore attribute, a private class), its oxml layer (element classes and
their generated ``get_or_add_*`` / ``_add_*`` methods) or its OPC part layer
below the public API goes through this module; nothing else in reportgen
does. Each helper says what it relies on. ``tests/compat/test_pptx.py`` fails
when one of these names no longer exists in the installed python-pptx, and
checks that writing a deck leaves python-pptx's classes exactly as the library
defines them. ``pyproject.toml`` pins python-pptx below 1.1 for this reason.

What changes python-pptx behaviour, and for how long:

- ``compiled_placeholder_lookup()`` replaces the class property
  ``BaseShapeElement.ph`` with one that evaluates the same XPath compiled
  once, *only while the context is open* (the deck writer opens it around one
  write); the library's own property object is put back when it closes, also
  on an error.
- ``PartNames.install(prs)`` sets an attribute on one package *instance*
  (``next_partname``); no class changes, and it goes with the presentation.
- ``index_relationships(part)`` swaps the class of one relationship
  collection *instance* (``part.rels``) for a subclass; ``_Relationships``
  itself is not changed, and the swap goes with the presentation.

``hide_data_labels(series, points)`` gives one chart series its own data
label settings (a copy of its plot's) with the labels of some points deleted;
the XML is the chart's, nothing in python-pptx changes.

``safe_chart_data``: chart data whose embedded workbook holds every
category and series name as text. python-pptx writes the workbook with
XlsxWriter's defaults, under which a string starting with ``=`` becomes a
formula (``=HYPERLINK(...)``, a DDE ``=cmd|...`` call) and one that looks like
an address (``https://...``, ``external:c:\\x.xls``) becomes a hyperlink
relationship, live in the chart's data when someone edits it in PowerPoint
or Excel. Only the workbook's options change; the chart XML, references and
numbers are python-pptx's own.
"""

from __future__ import annotations

import collections
import copy
import functools
import threading
from contextlib import contextmanager

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT  # noqa: F401 (re-exported: relationship type URIs)
from pptx.opc.package import _Relationships
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn  # noqa: F401 (re-exported: "p:sp" -> Clark name, the oxml layer's helper)
from pptx.oxml.shapes.shared import BaseShapeElement
from pptx.oxml.text import CT_RegularTextRun
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.text.text import _Paragraph

# --- chart data -------------------------------------------------------------

WORKBOOK_OPTIONS = {
    "in_memory": True,  # python-pptx's own option
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def safe_chart_data(number_format: str):
    """Return a new ``CategoryChartData`` whose workbook writes names as text, never formulas or links.

    python-pptx's chart data and xlsxwriter are imported on the first call:
    a deck without charts never pays for them (``_chart_data_class``).
    """
    return _chart_data_class()(number_format=number_format)


@functools.lru_cache(maxsize=1)
def _chart_data_class() -> type:
    """Return the ``CategoryChartData`` subclass ``safe_chart_data`` makes (made once per process)."""
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class _TextWorkbookWriter(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):  # private in python-pptx 1.0.2 (pptx/chart/xlsx.py)
            workbook = Workbook(xlsx_file, WORKBOOK_OPTIONS)
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

    class SafeCategoryChartData(CategoryChartData):
        """``CategoryChartData`` whose workbook writes names as text, never formulas or links."""

        @property
        def _workbook_writer(self):  # a lazyproperty of python-pptx 1.0.2 (pptx/chart/data.py)
            writer = self.__dict__.get("_rg_writer")
            if writer is None:
                writer = self.__dict__["_rg_writer"] = _TextWorkbookWriter(self)
            return writer

    return SafeCategoryChartData


def chart_workbook_blob(chart) -> bytes | None:
    """The bytes of ``chart``'s embedded workbook, or None.

    Relies on ``Chart.part`` (a ``ChartPart``), its ``chart_workbook`` and that
    object's ``xlsx_part``: the part layer, no public API reaches the workbook.
    """
    part = chart.part.chart_workbook.xlsx_part
    return None if part is None else part.blob


def replace_chart_workbook(chart, blob: bytes) -> None:
    """Give ``chart`` the embedded workbook ``blob`` (``ChartWorkbook.update_from_xlsx_blob``)."""
    chart.part.chart_workbook.update_from_xlsx_blob(blob)


def hide_data_labels(series, points) -> None:
    """Delete the data labels of ``points`` (0-based indices) of the chart ``series``; the others stay as they were.

    python-pptx has no public way to delete one point's label (``point.data_label``
    only gives it text or a position). A series' own ``c:dLbls`` replaces the
    plot's for that series, so it starts as a copy of the series' own, else of the plot's (number format,
    font, position, what is shown), then, first as the schema wants, holds one
    ``<c:dLbl><c:idx val="j"/><c:delete val="1"/></c:dLbl>`` per point, as
    PowerPoint writes a label deleted by hand. Relies on the series' private
    ``_element`` (its ``c:ser``) and the oxml ``CT_SeriesComposite.get_or_add_dLbls``
    (which puts ``c:dLbls`` where the schema's order has it).
    """
    points = sorted(set(points))
    if not points:
        return
    ser = series._element
    own = ser.find(qn("c:dLbls"))  # the series' own labels (a colour of its own), else the plot's, are kept
    plot_labels = copy.deepcopy(own) if own is not None else ser.getparent().find(qn("c:dLbls"))
    labels = ser.get_or_add_dLbls()
    for child in list(labels):
        labels.remove(child)
    for j in points:
        label = etree.SubElement(labels, qn("c:dLbl"))
        etree.SubElement(label, qn("c:idx")).set("val", str(j))
        etree.SubElement(label, qn("c:delete")).set("val", "1")
    if plot_labels is not None:
        for child in plot_labels:
            if child.tag != qn("c:dLbl"):
                labels.append(copy.deepcopy(child))


# --- text -------------------------------------------------------------------


def text_body(text_frame):
    """The ``p:txBody`` (or ``a:txBody``) element of a python-pptx ``TextFrame`` (its private ``_txBody``)."""
    return text_frame._txBody


def paragraph_of(p, text_frame):
    """The python-pptx paragraph (``_Paragraph``, private) of ``a:p`` element ``p`` in ``text_frame``."""
    return _Paragraph(p, text_frame)


def paragraph_element(paragraph):
    """The ``a:p`` element of a python-pptx ``_Paragraph`` (its private ``_p``)."""
    return paragraph._p


def paragraph_properties(paragraph):
    """The paragraph's ``a:pPr``, added if missing (oxml ``CT_TextParagraph.get_or_add_pPr``)."""
    return paragraph._p.get_or_add_pPr()


def end_paragraph_properties(paragraph):
    """The paragraph's ``a:endParaRPr``, added if missing (oxml ``CT_TextParagraph.get_or_add_endParaRPr``)."""
    return paragraph._p.get_or_add_endParaRPr()


def run_properties(run):
    """The run's ``a:rPr``, added if missing (``_Run._r``, oxml ``CT_RegularTextRun.get_or_add_rPr``)."""
    return run._r.get_or_add_rPr()


def escape_control_characters(text: str) -> str:
    """Return ``text`` as python-pptx writes a run's text: each control character but tab and line feed as
    "_xHHHH_" (oxml ``CT_RegularTextRun._escape_ctrl_chars``, private)."""
    return CT_RegularTextRun._escape_ctrl_chars(text)


def link_to_url(rpr, part, url: str) -> None:
    """Make the run whose ``a:rPr`` is ``rpr``, in ``part``, a link to ``url``, as python-pptx's ``_Run.hyperlink``
    does: an external hyperlink relationship of ``part`` and ``a:hlinkClick`` (oxml ``add_hlinkClick``)."""
    rpr.add_hlinkClick(part.relate_to(url, RT.HYPERLINK, is_external=True))


def jump_to_slide(rpr, rId: str) -> None:
    """Make the run whose ``a:rPr`` is ``rpr`` a click that jumps to the slide related as ``rId``.

    python-pptx has no public API for a slide jump on a text run (``click_action``
    is for shapes); relies on oxml ``CT_TextCharacterProperties.add_hlinkClick``.
    """
    h = rpr.add_hlinkClick(rId)
    h.set("action", "ppaction://hlinksldjump")


HLINK_COLOUR_EXT = "{A12FA001-AC4F-418D-AE19-62706E023703}"  # Office 2019's hyperlink colour extension (ahyp:hlinkClr)
_AHYP = "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor"


def link_in_text_colour(rpr) -> None:
    """Make the link of the run whose ``a:rPr`` is ``rpr`` shown in the run's own colour, not the theme's hyperlink
    colour: ``<ahyp:hlinkClr val="tx"/>`` in its ``a:hlinkClick``'s extension list, as PowerPoint 2019 and later write
    it for a link given a font colour (LibreOffice reads it too; earlier PowerPoints ignore it). Nothing without a link."""
    h = rpr.find(qn("a:hlinkClick"))
    if h is None:
        return
    ext_list = h.find(qn("a:extLst"))
    if ext_list is None:
        ext_list = etree.SubElement(h, qn("a:extLst"))
    ext = etree.SubElement(ext_list, qn("a:ext"), uri=HLINK_COLOUR_EXT)
    etree.SubElement(ext, f"{{{_AHYP}}}hlinkClr", nsmap={"ahyp": _AHYP}, val="tx")


# --- slides and shapes ------------------------------------------------------


def shape_tree(slide):
    """The ``p:spTree`` element of ``slide`` (``SlideShapes._spTree``, private)."""
    return slide.shapes._spTree


def next_shape_id(slide) -> int:
    """The id python-pptx gives the next shape on ``slide``: its highest id + 1 (``_next_shape_id``, private)."""
    return slide.shapes._next_shape_id


def add_title_placeholder(slide):
    """Return a new, empty title placeholder on ``slide``, at the end of its shape tree, for a slide whose layout has none.

    Made as python-pptx's ``clone_placeholder`` makes a layout's title on a new
    slide (``CT_GroupShape.add_placeholder``, oxml): ``p:ph type="title"``, a
    text body, no position (the caller places it).
    """
    from pptx.enum.shapes import PP_PLACEHOLDER

    id_ = next_shape_id(slide)
    sp = shape_tree(slide).add_placeholder(id_, f"Title {id_ - 1}", PP_PLACEHOLDER.TITLE, "horz", "full", 0)
    return next(shape for shape in slide.placeholders if shape.element is sp)


def base_placeholder(shape):
    """The placeholder ``shape`` inherits from (a slide's: its layout's, by idx; a layout's: the
    master's, by type), or None; None for a shape that inherits nothing (a master's, a picture).

    Relies on the private ``_base_placeholder`` of python-pptx's slide and layout
    placeholders. Raises ``KeyError`` for a layout placeholder type python-pptx cannot map.
    """
    return getattr(shape, "_base_placeholder", None)


def drop_slides(prs) -> None:
    """Remove every slide of ``prs`` (a master's sample slides): list entry and relationship.

    Relies on ``Slides._sldIdLst`` (private) and ``CT_SlideId.rId``.
    """
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


def drop_relationships(package, reltype: str) -> None:
    """Drop the package-level relationships of ``reltype`` (``OpcPackage._rels``, private)."""
    for rId, rel in list(package._rels.items()):
        if rel.reltype == reltype:
            package.drop_rel(rId)


class SlideAdder:
    """``prs.slides.add_slide(layout)`` in O(1), each layout's placeholders cloned once; notes slides likewise.

    python-pptx's ``Slides.add_slide`` and ``PresentationPart.add_slide`` are
    these steps, but find the next ``p:sldId`` id with an XPath over every
    slide's (``_next_id``) and the next part name by counting the slide list
    (``len`` of an lxml element walks its children): O(n²) for a deck of n
    slides. Same part name, part, relationship, placeholders, and
    ``<p:sldId id=... r:id=...>`` as python-pptx would give.

    The placeholders a new slide gets from its layout (``clone_layout_placeholders``:
    names and ids counted on the empty slide, so the same on every slide of
    that layout) are made by python-pptx on the layout's first slide and
    copied onto the next ones; so are those a notes slide gets from the notes
    master (``notes_slide``). Relies on ``Slides._sldIdLst`` (private), oxml
    ``CT_SlideIdList._add_sldId`` (private), ``SlidePart.new``,
    ``NotesSlidePart._add_notes_slide_part`` (private) and ``PackURI`` (the part layer).
    """

    def __init__(self, prs):
        self.prs = prs
        self.lst = prs.slides._sldIdLst
        self.last_id = max([255] + [int(e.get("id")) for e in self.lst.findall(qn("p:sldId"))])
        self.count = len(self.lst)
        self._placeholders: dict = {}  # layout part name -> the placeholder elements python-pptx gave its first slide
        self._notes: list | None = None  # the placeholder elements python-pptx gave the first notes slide

    def add(self, layout):
        self.count += 1
        part = SlidePart.new(PackURI(f"/ppt/slides/slide{self.count}.xml"), self.prs.part.package, layout.part)
        rId = self.prs.part.relate_to(part, RT.SLIDE)
        slide = part.slide
        made = self._placeholders.get(layout.part.partname)
        tree = slide.shapes._spTree
        if made is None:
            first = len(tree)
            slide.shapes.clone_layout_placeholders(layout)
            self._placeholders[layout.part.partname] = [copy.deepcopy(el) for el in tree[first:]]
        else:
            tree.extend(copy.deepcopy(el) for el in made)
        self.last_id += 1
        self.lst._add_sldId(id=self.last_id, rId=rId)
        return slide

    def notes_slide(self, slide):
        """Return ``slide``'s notes slide, made as python-pptx's ``SlidePart.notes_slide`` makes it when there is none."""
        part = slide.part
        try:
            part.part_related_by(RT.NOTES_SLIDE)
        except KeyError:
            master = part.package.presentation_part.notes_master_part  # (made from python-pptx's default if the deck has none)
            notes = NotesSlidePart._add_notes_slide_part(part.package, part, master)
            tree = notes.notes_slide.shapes._spTree
            if self._notes is None:
                first = len(tree)
                notes.notes_slide.clone_master_placeholders(master.notes_master)
                self._notes = [copy.deepcopy(el) for el in tree[first:]]
            else:
                tree.extend(copy.deepcopy(el) for el in self._notes)
            part.relate_to(notes, RT.NOTES_SLIDE)
        return slide.notes_slide


def scratch_slide(prs, layout):
    """A slide on ``layout`` that belongs to no presentation: never listed, related or saved.

    Used to read what a new slide on ``layout`` would hold (its placeholders'
    inherited boxes, insets, sizes) with python-pptx's own inheritance. The
    part is related to the layout only (``SlidePart.new``); nothing relates to
    it, so the package never sees it.
    """
    return SlidePart.new(PackURI("/ppt/slides/reportgen-scratch.xml"), prs.part.package, layout.part).slide


def relate_slide(source_slide, target_slide) -> str:
    """The rId of a relationship from ``source_slide`` to ``target_slide`` (added if new; ``Part.relate_to``)."""
    return source_slide.part.relate_to(target_slide.part, RT.SLIDE)


# --- python-pptx at scale ---------------------------------------------------


class PartNames:
    """An O(1) ``next_partname`` for one package: python-pptx's own scans every part on each call.

    ``OpcPackage.next_partname(tmpl)`` walks the whole relationship graph to
    collect the names matching ``tmpl`` every time a part is added, and each
    new notes slide (``slide.notes_slide``), chart and chart workbook asks it:
    a deck of n noted slides costs O(n²). This object is installed on the
    package *instance* (``install(prs)``): the first call per template does the
    same scan; later calls pick from the names it saw plus those it handed out,
    with the same rule (the highest free number not above count + 1), so the
    names are exactly python-pptx's as long as parts are only added, which is
    all a writer does. Nothing in python-pptx is copied, and only this package
    instance changes (it shadows the method; the class is untouched). Relies on
    ``OpcPackage.next_partname`` being looked up on the instance and on
    ``OpcPackage.iter_parts``.
    """

    def __init__(self, package):
        self.package = package
        self.used: dict[str, set[str]] = {}

    @classmethod
    def install(cls, prs) -> PartNames:
        package = prs.part.package
        names = cls(package)
        package.next_partname = names  # instance attribute: shadows the method for this package only
        return names

    def __call__(self, tmpl: str):
        prefix = tmpl[: (tmpl % 42).find("42")]
        used = self.used.get(prefix)
        if used is None:
            used = self.used[prefix] = {str(p.partname) for p in self.package.iter_parts() if p.partname.startswith(prefix)}
        for n in range(len(used) + 1, 0, -1):
            name = tmpl % n
            if name not in used:
                break
        used.add(name)
        return PackURI(name)


def index_relationships(part) -> None:
    """Make ``part``'s relationship lookups O(1) instead of a pass over all of them per call.

    The presentation part holds one relationship per slide, and python-pptx
    goes over all of them whenever one is added or looked up: ``add_slide``
    (``relate_to``: ``_get_matching`` regroups every relationship by type and
    compares each one's target with the new slide) and each new notes slide
    (``notes_master_part``). O(n²) for n slides. The class of this one
    collection *instance* is swapped for a subclass that keeps, as
    relationships are added, the grouping by type and the first rId per (type,
    target); popping or reloading drops them. ``_Relationships`` itself is not
    changed. Same relationships, same ids (``_next_rId`` is python-pptx's own),
    same order: only the lookups are kept. Relies on the private
    ``_Relationships`` class and its ``_rels``, ``_rels_by_reltype``,
    ``_get_matching`` and ``_add_relationship``.
    """
    rels = part.rels
    if type(rels) is _Relationships:
        rels.__class__ = _indexed_class()


_INDEXED: list[type] = []


def _indexed_class() -> type:
    if _INDEXED:
        return _INDEXED[0]

    class IndexedRelationships(_Relationships):
        def _index(self) -> dict:
            index = self.__dict__.get("_rg_index")
            if index is None:
                index = {"by_type": collections.defaultdict(list), "match": {}}
                for rel in self.values():
                    self._note(index, rel)
                self.__dict__["_rg_index"] = index
            return index

        @staticmethod
        def _note(index: dict, rel) -> None:
            index["by_type"][rel.reltype].append(rel)
            target = rel.target_ref if rel.is_external else rel.target_part
            index["match"].setdefault((rel.reltype, rel.is_external, target), rel.rId)

        @property
        def _rels_by_reltype(self):
            return self._index()["by_type"]

        def _get_matching(self, reltype, target, is_external=False):
            return self._index()["match"].get((reltype, is_external, target))

        def _changed(self) -> None:
            self.__dict__.pop("_rg_index", None)

        def _add_relationship(self, reltype, target, is_external=False):
            rId = super()._add_relationship(reltype, target, is_external)
            if "_rg_index" in self.__dict__:
                self._note(self.__dict__["_rg_index"], self._rels[rId])
            return rId

        def pop(self, rId):
            self._changed()
            return super().pop(rId)

        def load_from_xml(self, *args, **kwargs):
            self._changed()
            return super().load_from_xml(*args, **kwargs)

    _INDEXED.append(IndexedRelationships)
    return IndexedRelationships


PH_XPATH = "./*[1]/p:nvPr/p:ph"  # BaseShapeElement.ph's own expression in python-pptx 1.0.2
_PH = etree.XPath(PH_XPATH, namespaces={"p": "http://schemas.openxmlformats.org/presentationml/2006/main"})
_ph_lock = threading.Lock()
_ph_state: dict = {"depth": 0, "original": None}


def _compiled_ph(self):
    found = _PH(self)
    return found[0] if found else None


@contextmanager
def compiled_placeholder_lookup():
    """While open, python-pptx's ``BaseShapeElement.ph`` evaluates one compiled XPath.

    Every shape element answers "am I a placeholder?" through ``ph``, which
    compiles the same XPath on each call; python-pptx asks it for every
    shape of a layout whenever a slide is added, and again when the slide's
    shapes are listed or a placeholder's inherited position is read: about
    140 calls per slide, a third of the deck's writing time. Inside this
    context the class property is replaced by one that evaluates the same
    expression compiled once (``etree.XPath``): the same element, or None, for
    every shape (tested against the library's own property). When the
    outermost context closes, normally or by an exception, the library's own
    property object is put back. Re-entrant and thread-safe (a count of open
    contexts). Relies on ``ph`` being a property defined on
    ``pptx.oxml.shapes.shared.BaseShapeElement`` with the expression ``PH_XPATH``.
    """
    with _ph_lock:
        if _ph_state["depth"] == 0:
            original = BaseShapeElement.__dict__["ph"]
            _ph_state["original"] = original
            BaseShapeElement.ph = property(_compiled_ph, doc=original.__doc__)
        _ph_state["depth"] += 1
    try:
        yield
    finally:
        with _ph_lock:
            _ph_state["depth"] -= 1
            if _ph_state["depth"] == 0:
                BaseShapeElement.ph = _ph_state["original"]
                _ph_state["original"] = None
