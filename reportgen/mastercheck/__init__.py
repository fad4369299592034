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

The checks, one module each: ``zipread`` (the budgets, the zip's directory
and entries, bounded reads), ``xmlcheck`` (parsing: DTDs, well-formedness,
click actions, SVG images), ``parts`` (content types and relationships:
macros, controls, external links, what a deck carries), ``structure`` (the
parts the writer needs), ``values`` (what python-pptx parses mid-render);
``ooxml`` names the package's namespaces, types and parts, and ``refusal``
words what is wrong.
"""

from __future__ import annotations

import os
import struct
import zipfile
from functools import lru_cache

from lxml import etree

from .parts import _Parts
from .refusal import DAMAGED, Refused, _one_line
from .structure import _Structure
from .values import _Values
from .xmlcheck import _Xml
from .zipread import MAX_FILE_BYTES, _mb, _Zip

__all__ = ["Refused", "check"]


def check(path: str) -> str | None:
    """Return what is wrong with the slide master at ``path`` (one line, no file name), or None."""
    from ..safety import regular_file

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


class _Master(_Zip, _Xml, _Parts, _Structure, _Values):
    """One slide master being checked: ``check()`` raises ``Refused`` at the first thing wrong.

    Each base holds one kind of check and reads what the others found on
    ``self``: ``infos`` and ``zf`` (``_Zip``), ``trees`` (``_Xml``),
    ``overrides``/``defaults``, ``main``, ``loaded``, ``carried`` and
    ``dropped`` (``_Parts``).
    """

    def __init__(self, path: str, size: int):
        self.path = path
        self.size = size
        self.parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False)
        self.trees: dict[str, etree._Element] = {}
        self.names: dict[str, str] = {}  # part → its layout or master name, for messages
        self.xml_read: set[str] = set()  # XML parts read so far (counted against MAX_XML_TOTAL_BYTES)
        self.xml_total = 0

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
