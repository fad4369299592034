"""The parts of a slide master the writer needs: the presentation, its masters, their themes and layouts."""

from __future__ import annotations

from .ooxml import (
    _A_NS,
    _P_NS,
    _R_ID,
    CT_CORE,
    CT_LAYOUT,
    CT_MASTER,
    CT_NOTES,
    CT_SLIDE,
    CT_THEME,
    MAIN_CT,
    RT_CORE,
    RT_HANDOUT,
    RT_LAYOUT,
    RT_MASTER,
    RT_NOTES,
    RT_SLIDE,
    RT_THEME,
    _rels_name,
    _target,
    words,
)
from .refusal import DAMAGED, RESAVE, Refused, _short

_ROOTS = {  # content type → the root element python-pptx and the writer expect
    MAIN_CT: f"{{{_P_NS}}}presentation",
    CT_MASTER: f"{{{_P_NS}}}sldMaster",
    CT_LAYOUT: f"{{{_P_NS}}}sldLayout",
    CT_NOTES: f"{{{_P_NS}}}notesMaster",
    CT_THEME: f"{{{_A_NS}}}theme",
    CT_CORE: "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}coreProperties",
}
_KINDS = dict(zip(_ROOTS, ("presentation", "slide master", "slide layout", "notes master", "theme", "document properties")))
_KINDS[CT_SLIDE] = "slide"


class _Structure:
    """The presentation part, its slide masters and their themes and layouts, the notes master and the
    document properties: each where python-pptx looks for it, with the root element it expects."""

    def _related(self, part: str, rtype: str) -> list[str]:
        """The parts ``part`` relates to by relationships of exactly type ``rtype``."""
        return [_target(part, t) for _rid, kind, t, ext in self.rels(part) or [] if kind == rtype and not ext]

    def _root(self, part: str, ctype: str):
        """The root element of ``part``, which must have content type ``ctype`` and the root python-pptx expects."""
        ct = self.content_type(part) or ""
        if ct != ctype:
            raise Refused(f"{part}: content type {_short(ct) or 'missing'}, expected a {_KINDS[ctype]} ({ctype}); {DAMAGED}")
        root = self.trees.get(part)
        if root is None or root.tag != _ROOTS.get(ctype, root.tag):
            raise Refused(f"{part}: not a {_KINDS[ctype]} part (root element {_short(root.tag if root is not None else 'none')}); {DAMAGED}")
        return root

    def _listed(self, part: str, root, lst: str, rtype: str, ctype: str) -> list[str]:
        """The parts ``root`` (of ``part``) lists by r:id in ``lst`` (p:sldMasterIdLst, p:sldLayoutIdLst,
        p:sldIdLst): each a relationship of type ``rtype`` to a part of content type ``ctype``, as
        python-pptx takes them."""
        rels = {rid: (kind, target, ext) for rid, kind, target, ext in self.rels(part) or []}
        container = root.find(f"{{{_P_NS}}}{lst}")
        out = []
        for el in container if container is not None else ():
            if not isinstance(el.tag, str):
                continue
            rid = el.get(_R_ID)
            kind, target, ext = rels.get(rid, ("", "", False))
            if kind != rtype or ext:
                raise Refused(f"{self.shown(part)}: p:{lst} names {_short(rid or 'no relationship')!r}, which is not a {words(rtype)} relationship of {_rels_name(part)}; {DAMAGED}")
            target = _target(part, target)
            if ctype == CT_SLIDE:  # dropped by the writer, not parsed here: its content type is what python-pptx goes by
                ct = self.content_type(target)
                if ct != ctype:
                    raise Refused(f"{target}: content type {_short(ct or '') or 'missing'}, expected a slide ({ctype}); {DAMAGED}")
            else:
                self._root(target, ctype)
            out.append(target)
        return out

    def _structure(self) -> None:
        main = self.main
        pres = self._root(main, MAIN_CT)
        if self.rels(main) is None:
            raise Refused(f"{_rels_name(main)}: missing (it names the slide masters); {DAMAGED}")
        size = pres.find(f"{{{_P_NS}}}sldSz")
        try:
            cx, cy = int(size.get("cx")), int(size.get("cy"))  # type: ignore[union-attr, arg-type]
        except (AttributeError, TypeError, ValueError):
            raise Refused(f"{main}: no slide size (p:sldSz with cx and cy); {DAMAGED}") from None
        if not (914400 <= cx <= 51206400 and 914400 <= cy <= 51206400):
            raise Refused(f"{main}: slide size {cx} × {cy} EMU, expected 1 to 56 inches a side; set the slide size in PowerPoint (Design > Slide Size) and save again")
        listed = self._listed(main, pres, "sldMasterIdLst", RT_MASTER, CT_MASTER)
        if not listed:
            raise Refused(f"{main}: no slide master (expected at least one in p:sldMasterIdLst and {_rels_name(main)}); {RESAVE}")
        self._listed(main, pres, "sldIdLst", RT_SLIDE, CT_SLIDE)
        for rtype in (RT_NOTES, RT_HANDOUT):
            if len(self._related(main, rtype)) > 1:
                raise Refused(f"{_rels_name(main)}: more than one {words(rtype)}; {DAMAGED}")
        for master in dict.fromkeys(listed + self._related(main, RT_MASTER)):
            mroot = self._root(master, CT_MASTER)
            themes = self._related(master, RT_THEME)
            if len(themes) != 1:
                rels = _rels_name(master)
                raise Refused(f"{self.shown(master)}: {'no' if not themes else 'more than one'} theme (relationship of type theme in {rels}); every slide master needs exactly one: {RESAVE}")
            self._theme(themes[0])
            boxed = self._placeholders(master, "master")
            layouts = self._listed(master, mroot, "sldLayoutIdLst", RT_LAYOUT, CT_LAYOUT)
            for layout in dict.fromkeys(layouts + self._related(master, RT_LAYOUT)):
                self._root(layout, CT_LAYOUT)
                self._placeholders(layout, "layout", boxed)
                back = self._related(layout, RT_MASTER)
                if len(back) != 1 or back[0] != master:
                    raise Refused(f"{self.shown(layout)}: {'no' if not back else 'more than one' if len(back) > 1 else 'another'} slide master relationship in {_rels_name(layout)}, expected one to {master}; {DAMAGED}")
        for notes in self._related(main, RT_NOTES):
            self._root(notes, CT_NOTES)
            self._placeholders(notes, "notes")
        for core in self._related("", RT_CORE):
            self._root(core, CT_CORE)
        self._names_python_pptx_gives()

    def _names_python_pptx_gives(self) -> None:
        """No part a deck carries may have a name python-pptx or the writer gives a part they make:
        the deck's zip would hold two entries of one name (a broken file).

        python-pptx makes the document properties (docProps/core.xml) and the notes master
        (ppt/notesMasters/notesMaster1.xml) when it finds no relationship of their exact type, and
        the writer names its slides ppt/slides/slideN.xml, where the master's own slides were.
        """
        made = {"docProps/core.xml": ("", RT_CORE, "document properties"), "ppt/notesMasters/notesMaster1.xml": (self.main, RT_NOTES, "notes master")}
        for part, (source, rtype, what) in made.items():
            if part in self.loaded and part not in self._related(source, rtype):
                raise Refused(f"{part}: not linked as the {what} (no relationship of that type in {_rels_name(source) if source else '_rels/.rels'} names it); {DAMAGED}")
        for part in sorted(self.carried):
            if part and self.content_type(part) == CT_SLIDE:
                links = [
                    f"{self.shown(src)} ({rid})"
                    for src in sorted(self.carried)
                    for rid, _t, target, ext in self.rels(src) or []
                    if not ext and _target(src, target) == part and not (src == self.main and rid in self.dropped)
                ]
                raise Refused(
                    f"{part}: one of the master's own slides, yet {', '.join(links[:2]) or 'another part'} links to it; the writer drops the master's slides, "
                    "so nothing else may link to them: remove the link (Insert > Link) in PowerPoint and save again"
                )

    def _theme(self, part: str) -> None:
        root = self._root(part, CT_THEME)
        a = f"{{{_A_NS}}}"
        elements = root.find(f"{a}themeElements")
        need = [f"{a}clrScheme", f"{a}fontScheme/{a}majorFont/{a}latin", f"{a}fontScheme/{a}minorFont/{a}latin"]
        for path in need:
            if elements is None or elements.find(path) is None:
                what = path.replace(a, "a:")
                raise Refused(f"{part}: the theme lacks {what}; it has no colour or font scheme reportgen can set: {RESAVE}")
