"""What python-pptx parses mid-render from a slide master: placeholders' kinds and indices, positions, sizes,
insets, text sizes and indents."""

from __future__ import annotations

import re

from .ooxml import _A_NS, _P_NS
from .refusal import DAMAGED, Refused, _short

_PH_VALUES = {  # what python-pptx accepts in a placeholder's p:ph (ST_PlaceholderType, ST_Direction, ST_PlaceholderSize)
    "type": {"title", "body", "ctrTitle", "subTitle", "dt", "sldNum", "ftr", "hdr", "obj", "chart", "tbl", "clipArt", "dgm", "media", "sldImg", "pic"},
    "orient": {"horz", "vert"},
    "sz": {"full", "half", "quarter"},
}
# a layout placeholder's kind → the kind of the master placeholder it inherits from (python-pptx's LayoutPlaceholder)
_PH_BASE = {
    "body": "body", "chart": "body", "clipArt": "body", "ctrTitle": "title", "dgm": "body", "dt": "dt", "ftr": "ftr",
    "media": "body", "obj": "body", "pic": "body", "sldNum": "sldNum", "subTitle": "body", "tbl": "body", "title": "title",
}
# numbers the writer and python-pptx read from a master's and its layouts' shapes and text styles
_INT = re.compile(r"-?[0-9]{1,15}\Z")
_SIZE = re.compile(r"([0-9]{1,15}|[0-9]{1,9}(\.[0-9]{1,9})?(mm|cm|in|pt|pc|pi))\Z")  # python-pptx's ST_PositiveCoordinate
_MEASURE = re.compile(r"(-?[0-9]{1,15}|-?[0-9]{1,9}(\.[0-9]{1,9})?(mm|cm|in|pt|pc|pi))\Z")  # python-pptx's ST_Coordinate
_A, _P = f"{{{_A_NS}}}", f"{{{_P_NS}}}"
_PH = _P + "ph"
_POS = (("x", _MEASURE, "a position"), ("y", _MEASURE, "a position"))
_EXTENT = (("cx", _SIZE, "a size"), ("cy", _SIZE, "a size"))
_INDENT = (("marL", _INT, "an indent"),)
_SCANNED: dict[str, tuple | None] = {  # element → the attributes checked on it (None: a shape, see _placeholders)
    _A + "off": _POS,
    _A + "chOff": _POS,
    _A + "ext": _EXTENT,
    _A + "chExt": _EXTENT,
    _A + "bodyPr": tuple((n, _INT, "a text inset") for n in ("lIns", "tIns", "rIns", "bIns")),
    _A + "defRPr": (("sz", _INT, "a text size"),),
    _A + "pPr": _INDENT,
    **{f"{_A}lvl{n}pPr": _INDENT for n in range(1, 10)},
}
_SCANNED_TAGS = (*_SCANNED, _PH, _P + "sp")  # one walk in C (``iter``) returns just these: faster than XPath here
_PH_IN_SP = f"{_P}nvSpPr/{_P}nvPr/{_P}ph"
_C_NV_PR = f"{_P}nvSpPr/{_P}cNvPr"
_SP_PR = f"{_P}spPr"
_TX_BODY = f"{_P}txBody"
_BODY_PR = f"{_A}bodyPr"
_OFF = f"{_P}spPr/{_A}xfrm/{_A}off"
_EXT = f"{_P}spPr/{_A}xfrm/{_A}ext"


class _Values:
    """The placeholders and text styles of the masters, layouts and notes master (``_placeholders``)."""

    def _placeholders(self, part: str, kind: str, boxed: set[str] | None = None) -> set[str]:
        """Check what python-pptx and the writer read of the placeholders and text styles of ``part``
        (a slide master, a layout of it, or the notes master); return the placeholder types it places.

        Each position, size, inset, text size and indent is a number; each placeholder's kind,
        direction, size and index is one python-pptx knows (a layout's kind one it can inherit
        through); each placeholder shape has its id, its shape properties and, with text, its body
        properties; and each has a position and size, its own or (on a layout) the master's
        placeholder's it inherits from.
        """
        root = self.trees[part]
        shapes = []
        for el in root.iter(*_SCANNED_TAGS):
            tag = el.tag
            if tag == _P + "sp":  # a shape: placeholders among them are checked below
                shapes.append(el)
                continue
            for attr, pattern, what in _SCANNED.get(tag, ()):
                value = el.get(attr)
                if value is not None and not pattern.match(value):
                    raise Refused(f"{self.shown(part)}: {what} ({tag.split('}')[-1]} {attr}) of {_short(value, 30)!r}, expected a whole number of EMU; {DAMAGED}")
            if tag == _PH:
                for attr, allowed in _PH_VALUES.items():
                    value = el.get(attr)
                    if attr == "type" and kind != "notes":
                        allowed = _PH_BASE.keys()
                    if value is not None and value not in allowed:
                        raise Refused(f"{self.shown(part)}: a placeholder of {attr} {_short(value, 30)!r}, expected one of {', '.join(sorted(allowed))}; {DAMAGED}")
                idx = el.get("idx")
                if idx is not None and not (idx.isdigit() and int(idx) < 2**32):
                    raise Refused(f"{self.shown(part)}: a placeholder of idx {_short(idx, 30)!r}, expected a whole number; {DAMAGED}")
        placed: set[str] = set()
        for sp in shapes:
            ph = sp.find(_PH_IN_SP)
            if ph is None:
                continue
            ph_type = ph.get("type", "obj")
            c_nv = sp.find(_C_NV_PR)
            name = _short(c_nv.get("name", "") if c_nv is not None else "", 30)
            what = f"placeholder {name!r} ({ph_type})" if name else f"a {ph_type} placeholder"
            if c_nv is None or c_nv.get("id") is None:
                raise Refused(f"{self.shown(part)}: {what} has no id (p:cNvPr); {DAMAGED}")
            if sp.find(_SP_PR) is None:
                raise Refused(f"{self.shown(part)}: {what} has no shape properties (p:spPr); {DAMAGED}")
            body = sp.find(_TX_BODY)
            if body is not None and body.find(_BODY_PR) is None:
                raise Refused(f"{self.shown(part)}: {what} has text without body properties (a:bodyPr); {DAMAGED}")
            if sp.find(_OFF) is not None and sp.find(_EXT) is not None:
                placed.add(ph_type)
            elif kind == "master":
                raise Refused(f"{self.shown(part)}: {what} has no position and size (a:xfrm); {DAMAGED}")
            elif kind == "layout" and _PH_BASE[ph_type] not in (boxed or ()):
                raise Refused(
                    f"{self.shown(part)}: {what} has no position and size of its own (a:xfrm), and the slide master "
                    f"has no {_PH_BASE[ph_type]} placeholder to take them from; {DAMAGED}"
                )
        return placed
