"""XML parts of a slide master parsed safely: no DTD or entities, well-formed, no macro click actions, plain SVG."""

from __future__ import annotations

import re

from lxml import etree

from .ooxml import _P_NS
from .refusal import DAMAGED, RESAVE, Refused, _short

_SVG_DOCTYPE = re.compile(
    rb'<!DOCTYPE\s+svg\s+PUBLIC\s+"-//W3C//DTD SVG 1\.[01]//EN"\s+'
    rb'"http://www\.w3\.org/(?:Graphics/SVG/1\.1/DTD/svg11\.dtd|TR/2001/REC-SVG-20010904/DTD/svg10\.dtd)"\s*>'
)
_FORBIDDEN_ACTIONS = ("ppaction://macro", "ppaction://program", "ppaction://ole")
_ACTION_BYTES = re.compile(rb"ppaction://(?:macro|program|ole)", re.I)
_ACTIONS = etree.XPath("//@*[local-name()='action']")


def _wide(data: bytes) -> bool:
    """Whether ``data`` may be XML in UTF-16 or UTF-32 (a byte scan for ASCII text would miss it)."""
    return b"\x00" in data[:4] or data[:2] in (b"\xff\xfe", b"\xfe\xff")


class _Xml:
    """Parsing XML parts (``_tree``, once each, into ``trees``), scanning those not parsed
    (``_read_xml``), and naming a part in messages (``shown``)."""

    def _tree(self, name: str, data: bytes | None = None):
        """XML part ``name`` parsed (once; no DTD, no entities) and checked for click actions."""
        root = self.trees.get(name)
        if root is None:
            if data is None:
                data = self._read_xml_part(name)
            root = self.trees[name] = self._parse(name, data)
            if b"action" in data or _wide(data):  # an attribute's name cannot be written with character references
                self._actions(name, root)
        return root

    def _parse(self, name: str, data: bytes):
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise Refused(f"{name}: the XML declares a DTD or entities (<!DOCTYPE …>); PowerPoint never writes one and reportgen does not read them: {RESAVE}")
        try:
            root = etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError as exc:
            line, col = exc.position if exc.position else (0, 0)
            msg = _short(str(exc.msg or exc).split(", line ")[0], 80)
            raise Refused(f"{name}: not well-formed XML (line {line}, column {col}: {msg}); {DAMAGED}") from None
        if root.getroottree().docinfo.doctype:  # one not found by the byte scan (e.g. UTF-16)
            raise Refused(f"{name}: the XML declares a DTD or entities (<!DOCTYPE …>); PowerPoint never writes one and reportgen does not read them: {RESAVE}")
        return root

    def _xml_kind(self, name: str) -> str | None:
        """"xml" for a part of markup, "svg" for an SVG image, None for anything else (binary)."""
        ct = (self.content_type(name) or "").lower()
        low = name.lower()
        if ct == "image/svg+xml" or low.endswith(".svg"):
            return "svg"
        if low.endswith((".xml", ".rels")) or ct.endswith("+xml") or ct in ("application/xml", "text/xml"):
            return "xml"
        return None

    def _read_xml(self) -> None:
        """Parse every XML part a deck carries; scan the rest (the master's own slides, parts nothing
        names) for DTDs and macro click actions; scan SVG images for DTDs.

        The master's slides are dropped by the writer, so they are not parsed here (the bulk of a
        master saved with sample slides); python-pptx parses them when the writer opens the master,
        and ``open_master`` reports a failure there.
        """
        for name in self.infos:
            kind = self._xml_kind(name)
            if kind is None or name in self.trees:
                continue
            data = self._read_xml_part(name)
            if kind == "svg":
                self._svg(name, data)
            elif name in self.carried or _wide(data):
                self._tree(name, data)
            else:
                if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                    raise Refused(f"{name}: the XML declares a DTD or entities (<!DOCTYPE …>); PowerPoint never writes one and reportgen does not read them: {RESAVE}")
                found = _ACTION_BYTES.search(data)
                if found:
                    raise Refused(self._action_message(name, found.group().decode("ascii", "replace")))

    def _actions(self, name: str, root) -> None:
        for value in _ACTIONS(root):
            if str(value).strip().lower().startswith(_FORBIDDEN_ACTIONS):
                raise Refused(self._action_message(name, value))

    def _action_message(self, name: str, value: str) -> str:
        kind = str(value).strip().lower()[len("ppaction://") :].split("?")[0]
        what = {"macro": "runs a macro", "program": "starts a program", "ole": "opens an embedded object"}[kind]
        return f"{self.shown(name)}: a click action that {what} ({_short(value)}); a slide master must carry no such actions: remove it (Insert > Action) in PowerPoint and save again"

    def _svg(self, name: str, data: bytes) -> None:
        if b"<!ENTITY" in data:
            raise Refused(f"{name}: the SVG image declares entities (<!ENTITY …>); re-export the image as plain SVG (or PNG) and insert it again")
        at = data.find(b"<!DOCTYPE")
        if at >= 0 and not _SVG_DOCTYPE.match(data, at):
            raise Refused(f"{name}: the SVG image has a DTD (<!DOCTYPE …>) other than the standard SVG one; re-export the image as plain SVG (or PNG) and insert it again")

    def shown(self, part: str) -> str:
        """``part``, with its layout or master name when it has one."""
        if part not in self.names:
            root = self.trees.get(part)
            if root is None and ("slideLayout" in part or "slideMaster" in part) and part in self.infos and self._xml_kind(part) == "xml":
                root = self._tree(part)
            c_sld = root.find(f"{{{_P_NS}}}cSld") if root is not None else None
            name = c_sld.get("name") if c_sld is not None else None
            kind = "layout" if "slideLayout" in part else "master" if "slideMaster" in part else ""
            self.names[part] = f"{part} ({kind} {_short(name, 40)!r})" if name and kind else part
        return self.names[part]
