"""Slide masters (.pptx) as hostile input: what is wrong with one, found before python-pptx reads it.

A deck is built on a slide master: the pack's ``master.pptx`` or a user's
corporate master (``--master``). The PPTX writer opens it with python-pptx,
drops its slides and copies everything else into every deck, so whatever
the master carries, every deck carries. ``check(path)`` returns one line,
``PART: what is wrong; what to do``, or None; the callers put the file
before it (``theme.check_master``, the CLI, ``writers.pptx.open_master``).

It uses zipfile and lxml only (no python-pptx), reads nothing beyond its
budgets, and never raises:

- **Budgets** (checked from the zip's directory before a byte is inflated;
  python-pptx inflates *every* entry into memory with ``ZipFile.read``, which
  stops at the size an entry declares, so bounding the declared sizes bounds
  what python-pptx reads too):

  ========================  =========  ==============================================
  the file                  100 MB     a heavy corporate master (photos, fonts) is
                                       10–40 MB; the pack's is 18 KB
  zip entries               1,000      a master with 60 layouts is ~150 entries
  the zip's directory       2 MB       1,000 entries with long names; read whole by zipfile
  one entry, inflated       50 MB      = ``safety.MAX_IMAGE_BYTES``: a full-bleed 4K
                                       background photo as PNG (10–25 MB) fits twice
  all entries, inflated     200 MB     python-pptx holds every part in memory at once
  one XML part, inflated    10 MB      XML is parsed into a tree (several times its
                                       size); a master's largest is well under 1 MB
  all XML parts, inflated   30 MB      python-pptx parses every XML part it loads
  ========================  =========  ==============================================

  Only stored and deflated entries are accepted (what PowerPoint writes):
  zipfile inflates bzip2 and LZMA in unbounded steps. Encrypted entries and
  two entries of one name (a checker and a reader could see different ones)
  are refused. XML parts are read with a bounded read; binary parts (images,
  fonts) are not read here (python-pptx reads them when the writer opens the
  master, and ``open_master`` turns any failure there into a clear error).
  No compression-ratio rule: the declared sizes already bound memory, and a
  legitimate XML part with long runs of empty cells compresses over 100:1.
- **Markup**: every XML part is parsed with entity resolution, DTD loading
  and network access off; any DTD or entity declaration is refused (an SVG
  image may name the W3C SVG DTD and nothing else), and so is XML that is
  not well-formed.
- **Actions**: a macro-enabled, slideshow or template main content type;
  any VBA project part, content type or relationship; ActiveX controls;
  embedded OLE objects and packages; ``ppaction://macro``, ``program`` and
  ``ole`` click actions anywhere.
- **External relationships** (``TargetMode="External"``: linked pictures,
  hyperlinks, linked media) in any part a deck would carry are refused, not
  stripped: python-pptx keeps them, a link removed silently would change the
  master's look (a linked picture turns into a hole), and the user can
  remove it in PowerPoint in a minute. Parts reachable only through the
  master's own slides are exempt: the writer drops those slides and all
  they alone reach before a deck is made, so a sample slide linking to the
  company website does not stop a build.
- **Structure**: ``[Content_Types].xml``, the package relationships, the
  presentation part and its relationships, at least one slide master, each
  master's theme (with the colour and font schemes the writer rewrites),
  each layout a master names and the master each layout names; every
  relationship a loaded part has points at a part that exists and has a
  content type, and every ``r:id`` a carried part uses is one of its
  relationships (PowerPoint would otherwise "repair" every deck).
- **What python-pptx parses mid-render**: in the masters, the layouts and
  the notes master, each placeholder's kind, size, direction and index,
  and each position, size, text inset, text size and indent, must be
  values python-pptx and the writer can read; the document properties must
  be in their namespace. (A value python-pptx rejects only when a render
  reads it would otherwise be an internal error half-way through a deck.)

The answer is cached per (path, size, mtime, ctime, inode): a build checks
the master at theme load and again when the writer opens it.
"""

from __future__ import annotations

import os
import posixpath
import re
import struct
import zipfile
from functools import lru_cache

from lxml import etree

MB = 1024 * 1024
MAX_FILE_BYTES = 100 * MB
MAX_ENTRIES = 1000
MAX_DIRECTORY_BYTES = 2 * MB
MAX_ENTRY_BYTES = 50 * MB
MAX_TOTAL_BYTES = 200 * MB
MAX_XML_BYTES = 10 * MB
MAX_XML_TOTAL_BYTES = 30 * MB

RESAVE = "open it in PowerPoint and save it again as a .pptx"
DAMAGED = f"the file is damaged or was not written by PowerPoint: {RESAVE}"

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
_SVG_DOCTYPE = re.compile(
    rb'<!DOCTYPE\s+svg\s+PUBLIC\s+"-//W3C//DTD SVG 1\.[01]//EN"\s+'
    rb'"http://www\.w3\.org/(?:Graphics/SVG/1\.1/DTD/svg11\.dtd|TR/2001/REC-SVG-20010904/DTD/svg10\.dtd)"\s*>'
)
_FORBIDDEN_ACTIONS = ("ppaction://macro", "ppaction://program", "ppaction://ole")
_ACTION_BYTES = re.compile(rb"ppaction://(?:macro|program|ole)", re.I)
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
_R_ID = f"{{{_R_NS}}}id"
# what python-pptx accepts in a placeholder's p:ph (ST_PlaceholderType, ST_Direction, ST_PlaceholderSize)
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
_EXTERNAL = "External"
_ACTIONS = etree.XPath("//@*[local-name()='action']")
_R_ATTRS = etree.XPath("//@r:*", namespaces={"r": _R_NS})


def _wide(data: bytes) -> bool:
    """Whether ``data`` may be XML in UTF-16 or UTF-32 (a byte scan for ASCII text would miss it)."""
    return b"\x00" in data[:4] or data[:2] in (b"\xff\xfe", b"\xfe\xff")


class Refused(Exception):
    """One thing wrong with a master: ``PART: what; what to do``."""


def check(path: str) -> str | None:
    """Return what is wrong with the slide master at ``path`` (one line, no file name), or None."""
    from .safety import regular_file

    why = regular_file(path)
    if why:
        return why
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror}"
    return _cached(os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@lru_cache(maxsize=64)
def _cached(path: str, size: int, _mtime: int, _ctime: int, _ino: int) -> str | None:
    try:
        _Master(path, size).check()
    except Refused as exc:
        return _one_line(str(exc))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error) as exc:
        return _one_line(f"cannot be read as a .pptx file ({exc}); {DAMAGED}")
    except OSError as exc:
        return _one_line(f"cannot read the file: {exc.strerror or exc}")
    except Exception as exc:  # never a traceback for a file the user gave: say what broke  # noqa: BLE001
        return _one_line(f"cannot be read as a .pptx file ({type(exc).__name__}: {exc}); {DAMAGED}")
    return None


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(message: str) -> str:
    """``message`` with control characters (a part named with a newline or a terminal escape) shown as '?'."""
    return _CONTROL.sub("?", message)


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def _short(text: str, n: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def words(reltype: str) -> str:
    """A relationship type in words: ".../relationships/image" → "picture"."""
    tail = reltype.rstrip("/").rsplit("/", 1)[-1]
    if tail in _WORDS:
        return _WORDS[tail]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).lower() or "unknown type"


def _tail(reltype: str) -> str:
    return reltype.rstrip("/").rsplit("/", 1)[-1].lower()


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


class _Master:
    def __init__(self, path: str, size: int):
        self.path = path
        self.size = size
        self.parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False)
        self.trees: dict[str, etree._Element] = {}
        self.names: dict[str, str] = {}  # part → its layout or master name, for messages
        self.xml_read: set[str] = set()  # XML parts read so far (counted against MAX_XML_TOTAL_BYTES)
        self.xml_total = 0

    # --- the zip ----------------------------------------------------------------

    def check(self) -> None:
        if self.size > MAX_FILE_BYTES:
            raise Refused(f"the file is {_mb(self.size)}, over the {_mb(MAX_FILE_BYTES)} limit for a slide master; remove unused pictures, fonts or media from it")
        with open(self.path, "rb") as fh:
            self._directory(fh)
            try:
                zf = zipfile.ZipFile(fh)
            except zipfile.BadZipFile as exc:
                raise Refused(f"not a .pptx file (not a zip archive: {exc}); {DAMAGED}") from None
            with zf:
                self.zf = zf
                self._entries(zf.infolist())
                self._content_types()
                self._relationships()
                self._read_xml()
                for part in sorted(self.carried - {""}):
                    self._references(part)
                self._structure()

    def _directory(self, fh) -> None:
        """Refuse a zip whose directory is too big before zipfile reads it (it reads all of it at once)."""
        tail_len = min(self.size, 22 + 0xFFFF + 20)
        fh.seek(self.size - tail_len)
        tail = fh.read(tail_len)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + 22 > len(tail):
            raise Refused("not a .pptx file (not a zip archive): not a PowerPoint .pptx file, or one cut short; save the slide master from PowerPoint as .pptx")
        entries, cd_size, cd_offset = struct.unpack_from("<HII", tail, at + 10)
        if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:  # ZIP64: the real counts are elsewhere
            loc = at - 20
            if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
                raise Refused(f"not a .pptx file (a damaged ZIP64 directory); {DAMAGED}")
            (where,) = struct.unpack_from("<Q", tail, loc + 8)
            if where > self.size - 56:
                raise Refused(f"not a .pptx file (a damaged ZIP64 directory); {DAMAGED}")
            fh.seek(where)
            rec = fh.read(56)
            if rec[:4] != b"PK\x06\x06":
                raise Refused(f"not a .pptx file (a damaged ZIP64 directory); {DAMAGED}")
            entries, cd_size = struct.unpack_from("<QQ", rec, 32)
        if entries > MAX_ENTRIES:
            raise Refused(f"the zip holds {entries:,} entries, over the {MAX_ENTRIES:,} limit for a slide master; {RESAVE} (a master needs its layouts, theme and pictures only)")
        if cd_size > MAX_DIRECTORY_BYTES:
            raise Refused(f"the zip's directory is {_mb(cd_size)}, over the {_mb(MAX_DIRECTORY_BYTES)} limit for a slide master; {DAMAGED}")

    def _entries(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > MAX_ENTRIES:
            raise Refused(f"the zip holds {len(infos):,} entries, over the {MAX_ENTRIES:,} limit for a slide master; {RESAVE}")
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            if name in seen:
                raise Refused(f"{name}: the zip holds two entries of this name; {DAMAGED}")
            seen.add(name)
            if info.flag_bits & 0x1:
                raise Refused(f"{name}: the part is encrypted; save the master without a password ({RESAVE})")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Refused(f"{name}: compressed with method {info.compress_type}, expected deflate (what PowerPoint writes); {RESAVE}")
            if info.file_size > MAX_ENTRY_BYTES:
                raise Refused(f"{name}: declares {_mb(info.file_size)} when inflated, over the {_mb(MAX_ENTRY_BYTES)} limit for one part; make it smaller or remove it in PowerPoint, and save again")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise Refused(f"{name}: the parts declare over {_mb(MAX_TOTAL_BYTES)} in all when inflated, the limit for a slide master; remove unused pictures, fonts or media")
            if info.is_dir():
                continue
            base = posixpath.basename(name).lower()
            if base.startswith("vbaproject") or base.startswith("vbadata"):
                raise Refused(f"{name}: a VBA macro project; a slide master must carry no macros: save it as 'PowerPoint Presentation (*.pptx)', which drops them")
            if name.lower().startswith(("ppt/activex/", "ppt/embeddings/oleobject")):
                kind = "an ActiveX control" if "activex" in name.lower() else "an embedded OLE object"
                raise Refused(f"{name}: {kind}; a slide master must carry no controls or embedded programs: remove it in PowerPoint and save again")
        self.infos = {i.filename: i for i in infos if not i.is_dir()}

    def _read_xml_part(self, name: str) -> bytes:
        """The bytes of XML part ``name``, counted against the budget for all XML parts."""
        if name not in self.xml_read:
            self.xml_read.add(name)
            self.xml_total += self.infos[name].file_size
            if self.xml_total > MAX_XML_TOTAL_BYTES:
                raise Refused(f"{name}: the XML parts come to over {_mb(MAX_XML_TOTAL_BYTES)} in all, the limit for a slide master; {RESAVE}")
        return self._read(name, MAX_XML_BYTES)

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

    def _read(self, name: str, limit: int) -> bytes:
        info = self.infos[name]
        if info.file_size > limit:
            raise Refused(f"{name}: {_mb(info.file_size)} of XML, over the {_mb(limit)} limit for one XML part of a slide master; {RESAVE}")
        chunks = []
        left = info.file_size + 1  # zipfile stops at the declared size; one byte more would show it did not
        with self.zf.open(info) as fh:
            while left > 0:  # in small steps: each inflates at most 64 KB, whatever the part declares
                chunk = fh.read(min(left, 1 << 16))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # cannot happen: belt and braces
            raise Refused(f"{name}: more than {_mb(limit)} of XML; {DAMAGED}")
        return data

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

    # --- content types -------------------------------------------------------------

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

    # --- XML ---------------------------------------------------------------------------

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

    # --- relationships -------------------------------------------------------------------

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

    # --- the parts the writer needs -----------------------------------------------------------------

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

    def _theme(self, part: str) -> None:
        root = self._root(part, CT_THEME)
        a = f"{{{_A_NS}}}"
        elements = root.find(f"{a}themeElements")
        need = [f"{a}clrScheme", f"{a}fontScheme/{a}majorFont/{a}latin", f"{a}fontScheme/{a}minorFont/{a}latin"]
        for path in need:
            if elements is None or elements.find(path) is None:
                what = path.replace(a, "a:")
                raise Refused(f"{part}: the theme lacks {what}; it has no colour or font scheme reportgen can set: {RESAVE}")
