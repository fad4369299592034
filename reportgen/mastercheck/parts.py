"""Content types and relationships of a slide master: no macros, controls or embedded programs, no external
links in what a deck carries, every relationship pointing at a part that exists."""

from __future__ import annotations

import posixpath

from lxml import etree

from .ooxml import _CT_NS, _P_NS, _R_ID, _R_NS, _REL_NS, MAIN_CT, RT_MAIN, _rels_name, _source, _target, words
from .refusal import DAMAGED, Refused, _short

_MAIN_KINDS = {
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "a macro-enabled presentation (.pptm)",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": "a macro-enabled slide show (.ppsm)",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml": "a macro-enabled template (.potm)",
    "application/vnd.ms-powerpoint.addin.macroEnabled.main+xml": "a PowerPoint add-in (.ppam)",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "a slide show (.ppsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "a template (.potx)",
}
# content types of parts that are, or hold, code or controls
_ACTIVE_CT = {
    "application/vnd.ms-office.vbaproject": "a VBA macro project",
    "application/vnd.ms-office.vbaprojectsignature": "a VBA macro project's signature",
    "application/vnd.ms-office.vbadata+xml": "VBA macro data",
    "application/vnd.ms-office.activex+xml": "an ActiveX control",
    "application/vnd.ms-office.activex": "an ActiveX control",
    "application/vnd.openxmlformats-officedocument.oleobject": "an embedded OLE object",
}
# relationship types (their last segment, lower case) that bring code, controls or embedded programs
_ACTIVE_RT = {
    "vbaproject": "a VBA macro project",
    "vbaprojectsignature": "a VBA macro project's signature",
    "vbadata": "VBA macro data",
    "control": "an ActiveX control",
    "activexcontrolbinary": "an ActiveX control",
    "oleobject": "an embedded OLE object",
    "package": "an embedded file (package)",
}
_EXTERNAL = "External"
_R_ATTRS = etree.XPath("//@r:*", namespaces={"r": _R_NS})


def _tail(reltype: str) -> str:
    return reltype.rstrip("/").rsplit("/", 1)[-1].lower()


class _Parts:
    """The package's content types (``_content_types``, ``content_type``) and relationships
    (``rels``, ``_relationships``, which sets ``main``, ``dropped``, ``loaded`` and ``carried``)."""

    def _content_types(self) -> None:
        name = "[Content_Types].xml"
        if name not in self.infos:
            raise Refused(f"{name}: missing (every .pptx has one); {DAMAGED}")
        root = self._tree(name)
        if root.tag != f"{{{_CT_NS}}}Types":
            raise Refused(f"{name}: not a content-types part (root element {_short(root.tag)}); {DAMAGED}")
        self.overrides: dict[str, str] = {}
        self.defaults: dict[str, str] = {}
        for el in root:
            if not isinstance(el.tag, str):
                continue
            ct = (el.get("ContentType") or "").strip()
            if el.tag == f"{{{_CT_NS}}}Override":
                part = (el.get("PartName") or "").lstrip("/")
                self.overrides[part.lower()] = ct
                where = part or name
            elif el.tag == f"{{{_CT_NS}}}Default":
                self.defaults[(el.get("Extension") or "").lower()] = ct
                where = name
            else:
                continue
            if ct in _MAIN_KINDS:
                raise Refused(f"{where}: the file is {_MAIN_KINDS[ct]} (content type {ct}); expected a plain presentation: save the master as 'PowerPoint Presentation (*.pptx)'")
            kind = _ACTIVE_CT.get(ct.lower())
            if kind:
                raise Refused(f"{where}: {kind} (content type {ct}); a slide master must carry no macros or controls: save it as 'PowerPoint Presentation (*.pptx)' without them")

    def content_type(self, part: str) -> str | None:
        ct = self.overrides.get(part.lower())
        if ct is None:
            ext = posixpath.splitext(part)[1].lstrip(".").lower()
            ct = self.defaults.get(ext)
        return ct

    def rels(self, part: str) -> list[tuple[str, str, str, bool]] | None:
        """The relationships of ``part`` ("" = the package) as (Id, Type, Target, external), or None if it has none."""
        if part in self._rels:
            return self._rels[part]
        name = _rels_name(part) if part else "_rels/.rels"
        if name not in self.infos:
            self._rels[part] = None
            return None
        root = self._tree(name)
        if root.tag != f"{{{_REL_NS}}}Relationships":
            raise Refused(f"{name}: not a relationships part (root element {_short(root.tag)}); {DAMAGED}")
        out = []
        ids: set[str] = set()
        for el in root:
            if not isinstance(el.tag, str) or el.tag != f"{{{_REL_NS}}}Relationship":
                continue
            rid, rtype, target, mode = el.get("Id"), el.get("Type"), el.get("Target"), el.get("TargetMode")
            if not rid or not rtype or target is None:
                raise Refused(f"{name}: a relationship without its Id, Type or Target; {DAMAGED}")
            if rid in ids:
                raise Refused(f"{name}: two relationships with the Id {rid!r}; {DAMAGED}")
            ids.add(rid)
            external = mode is not None and mode != "Internal"
            if mode is not None and mode not in ("Internal", _EXTERNAL) and mode.lower() != "external":
                raise Refused(f"{name}: relationship {rid} has TargetMode {_short(mode)!r}, expected Internal or External; {DAMAGED}")
            out.append((rid, rtype, target, external))
        self._rels[part] = out
        return out

    def _relationships(self) -> None:
        """Walk the parts python-pptx loads; note which of them a deck carries (all but the master's own slides)."""
        self._rels: dict[str, list | None] = {}
        self.loaded: set[str] = set()
        self.carried: set[str] = set()
        for name in self.infos:  # every relationships part, loaded or not: no macro, control or OLE anywhere
            source = _source(name)
            if source is not None:
                for rid, rtype, target, _ext in self.rels(source) or []:
                    kind = _ACTIVE_RT.get(_tail(rtype))
                    if kind:
                        raise Refused(
                            f"{self.shown(source) if source else name}: relationship {rid} brings {kind} ({_short(target)}); "
                            "a slide master must carry no macros, controls or embedded programs: remove it in PowerPoint and save as 'PowerPoint Presentation (*.pptx)'"
                        )
        self.main = main = self._main()
        # parts the writer keeps: everything reachable from the package except through the relationships of the
        # slides presentation.xml lists (the writer drops those, as _drop_slides does)
        slides = self._tree(main).find(f"{{{_P_NS}}}sldIdLst")
        self.dropped = {el.get(_R_ID) for el in (slides if slides is not None else ()) if isinstance(el.tag, str)}
        self._walk("", main, carried=True)
        self._walk("", main, carried=False)

    def _main(self) -> str:
        rels = self.rels("")
        if rels is None:
            raise Refused(f"_rels/.rels: missing (it names the presentation part); {DAMAGED}")
        mains = [r for r in rels if r[1] == RT_MAIN]
        if len(mains) != 1 or mains[0][3]:
            raise Refused(f"_rels/.rels: {'no' if not mains else 'more than one' if len(mains) > 1 else 'an external'} main-document relationship, expected one to ppt/presentation.xml; {DAMAGED}")
        main = _target("", mains[0][2])
        if main not in self.infos:
            raise Refused(f"{main}: missing (the presentation part the package names); {DAMAGED}")
        ct = self.content_type(main) or ""
        if ct != MAIN_CT:
            kind = _MAIN_KINDS.get(ct)
            if kind:
                raise Refused(f"{main}: the file is {kind} (content type {ct}); expected a plain presentation: save the master as 'PowerPoint Presentation (*.pptx)'")
            raise Refused(f"{main}: content type {_short(ct) or 'missing'}, expected a PowerPoint presentation ({MAIN_CT}); {DAMAGED}")
        return main

    def _walk(self, start: str, main: str, carried: bool) -> None:
        seen = self.carried if carried else self.loaded
        todo = [start]
        while todo:
            source = todo.pop()
            if source in seen:
                continue
            seen.add(source)
            rels_name = _rels_name(source) if source else "_rels/.rels"
            for rid, rtype, target, external in self.rels(source) or []:
                if external:
                    if carried:
                        raise Refused(
                            f"{self.shown(source)}: external relationship {rid} ({words(rtype)}) to {_short(target)!r} (TargetMode=\"External\"); "
                            "a slide master must not link outside itself (a linked picture or a hyperlink would reach every deck): "
                            "remove it, or insert the picture instead of linking it, and save again"
                        )
                    continue
                part = _target(source, target)
                if carried and source == main and rid in self.dropped:
                    continue  # the writer drops the master's slides
                if part not in self.infos:
                    raise Refused(f"{_short(part)}: missing from the file, yet {self.shown(source) if source else rels_name} names it (relationship {rid}, {words(rtype)}); {DAMAGED}")
                if self.content_type(part) is None:
                    raise Refused(f"{part}: no content type in [Content_Types].xml; {DAMAGED}")
                todo.append(part)

    def _references(self, part: str) -> None:
        """Every r:id (r:embed, r:link …) ``part`` uses must be one of its relationships."""
        root = self.trees.get(part)
        if root is None:
            return
        ids = {r[0] for r in self.rels(part) or []}
        for value in _R_ATTRS(root):
            if value and str(value) not in ids:
                raise Refused(f"{self.shown(part)}: uses relationship {_short(value)!r} ({value.attrname.split('}')[-1]}), which {_rels_name(part)} lacks; {DAMAGED}")
