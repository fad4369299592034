"""python-pptx at scale: the few library steps that cost O(n) per slide, made O(1).

Each helper is installed on one presentation (its package, its relationship
collection) or, for the placeholder lookup, replaces a per-call XPath
compilation with a compiled one. None copies python-pptx code or changes what
it returns: ``tests/writers/test_pptx_scale.py`` checks each against the
library's own answer and counts the walks, never the time.
"""

from __future__ import annotations

import collections

from lxml import etree
from pptx.opc.package import _Relationships
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import _nsmap
from pptx.oxml.shapes.shared import BaseShapeElement


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
    all a writer does. Nothing in python-pptx is copied, and only this package changes.
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
    (``notes_master_part``). O(n²) for n slides. The collection's class is
    swapped for a subclass that keeps, as relationships are added, the
    grouping by type and the first rId per (type, target); popping or
    reloading drops them. Same relationships, same ids (``_next_rId`` is
    python-pptx's own), same order: only the lookups are kept.
    """
    rels = part._rels
    if isinstance(rels, _Relationships) and type(rels) is _Relationships:
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


_PH = etree.XPath("./*[1]/p:nvPr/p:ph", namespaces=_nsmap)  # BaseShapeElement.ph's own expression


def fast_placeholder_lookup() -> None:
    """Make python-pptx's ``BaseShapeElement.ph`` evaluate one compiled XPath.

    Every shape element answers "am I a placeholder?" through ``ph``, which
    compiles the same XPath on each call; python-pptx asks it for every
    shape of a layout whenever a slide is added, and again when the slide's
    shapes are listed or a placeholder's inherited position is read: about
    140 calls per slide, a third of the deck's writing time. The property is
    replaced, once per process, by one that evaluates the same expression
    compiled once (``etree.XPath``): the same element, or None, for every
    shape (tested against the library's own property).
    """
    if getattr(BaseShapeElement.ph, "fget", None) is not _compiled_ph:
        BaseShapeElement.ph = property(_compiled_ph, doc=BaseShapeElement.ph.__doc__)


def _compiled_ph(self):
    found = _PH(self)
    return found[0] if found else None
