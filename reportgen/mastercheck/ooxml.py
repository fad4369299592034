"""The names of a .pptx package the checks use: namespaces, content types, relationship types and part names."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

MAIN_CT = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
CT_MASTER, CT_LAYOUT, CT_SLIDE, CT_NOTES = (_PML + k + "+xml" for k in ("slideMaster", "slideLayout", "slide", "notesMaster"))
CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
# the relationship types python-pptx looks parts up by (exactly: a damaged type is a missing part to it)
RT_MAIN, RT_MASTER, RT_LAYOUT, RT_SLIDE, RT_NOTES, RT_HANDOUT, RT_THEME = (
    _RT + k for k in ("officeDocument", "slideMaster", "slideLayout", "slide", "notesMaster", "handoutMaster", "theme")
)
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_WORDS = {  # relationship type → words, for messages
    "officeDocument": "main document",
    "slideMaster": "slide master",
    "slideLayout": "slide layout",
    "slide": "slide",
    "notesMaster": "notes master",
    "notesSlide": "notes slide",
    "handoutMaster": "handout master",
    "theme": "theme",
    "image": "picture",
    "hyperlink": "hyperlink",
    "audio": "sound",
    "video": "video",
    "media": "media",
    "font": "font",
    "oleObject": "embedded OLE object",
    "package": "embedded file",
    "control": "ActiveX control",
    "vbaProject": "VBA macro project",
    "chart": "chart",
    "diagramData": "SmartArt data",
    "attachedTemplate": "attached template",
    "frame": "frame",
}
_R_ID = f"{{{_R_NS}}}id"


def words(reltype: str) -> str:
    """A relationship type in words: ".../relationships/image" → "picture"."""
    tail = reltype.rstrip("/").rsplit("/", 1)[-1]
    if tail in _WORDS:
        return _WORDS[tail]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).lower() or "unknown type"


@lru_cache(maxsize=4096)
def _rels_name(part: str) -> str:
    """The member name of the relationships of ``part`` ("" = the package)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _source(rels: str) -> str | None:
    """The part whose relationships the member ``rels`` holds ("" = the package), or None if it holds none."""
    folder, base = posixpath.split(rels)
    if posixpath.basename(folder) != "_rels" or not base.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")]) if rels != "_rels/.rels" else ""


@lru_cache(maxsize=4096)
def _target(source: str, target: str) -> str:
    """The member name a relationship of ``source`` ("" = the package) to ``target`` names (as python-pptx resolves it)."""
    base = "/" + posixpath.dirname(source) if source else "/"
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")
