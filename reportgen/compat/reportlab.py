"""ReportLab internals reportgen relies on, in one place (checked against ReportLab 5.1.0).

The PDF writer (``reportgen.writers.pdf``) uses ReportLab's public API plus
what is here: private attributes and helpers of ReportLab's objects, and
classes from its internal modules. Each use below names what it relies on
and where ReportLab keeps it; ``INTERNALS`` lists every such name, and
``tests/compat/test_reportlab.py`` fails when one no longer exists in the
installed ReportLab. After an upgrade, re-check each comment here and the
golden bytes (``tests/test_golden_bytes.py``).

Nothing here changes ReportLab itself: no module global, class or
``rl_config`` setting is patched; every change is to one document's own
objects (its canvas, its PDF document, its flowables). One thing is
arranged as ReportLab is first imported, here (``writers.pdf`` imports this
module before any of ReportLab's): two regular expressions its paragraph
module compiles at import and reportgen never uses are compiled when first
used instead (``ON_FIRST_USE``).
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import functools
import hashlib
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from fnmatch import fnmatch
from typing import NamedTuple
from weakref import WeakKeyDictionary

ON_FIRST_USE: tuple[tuple[str, str, int], ...] = (
    # reportlab.platypus.paragraph.uri_pat, Django's URI validator: splits a long URI at its slashes, only when a style sets
    # hyphenationLang, uriWasteReduce or embeddedHyphenation (reportgen's set none; ReportLab's own settings file could set
    # them for every style, and then it is compiled at that first use). Compiling its IGNORECASE ranges up to U+FFFF took
    # 27 ms of every import.
    ("reportlab.platypus.paragraph", "(^(?:[a-z0-9\\.\\-\\+]*)://)", re.IGNORECASE),
    # reportlab.lib.textsplit.rx, used only by its cjkwrap (never called by ReportLab's layout): 3.6 ms.
    ("reportlab.lib.textsplit", "([\u2e80-\uffff])", re.UNICODE),
)
"""The regular expressions ReportLab compiles as it is imported that are compiled when first used, each as (the module
that compiles it, how its source starts, its flags); a pattern another ReportLab version writes differently is compiled
at import, as before (``tests/compat/test_reportlab.py`` says when one is no longer found)."""


class PatternOnFirstUse:
    """A compiled regular expression made at its first use: each attribute (``match``, ``sub``, ``pattern``...) is the real pattern's.

    Not an ``re.Pattern`` itself (``re.sub(it, ...)`` refuses it): ReportLab
    uses the two patterns of ``ON_FIRST_USE`` only through their methods
    (``uri_pat.match``, ``rx.sub``). Copied or pickled, it is the real pattern.
    """

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """Return the real pattern, compiled now if it was not yet."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
        return compiled

    def __getattr__(self, name: str):
        if name in PatternOnFirstUse.__slots__:  # an instance made without __init__ (by copy or pickle): not looked up again
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __reduce__(self):  # pickled, and copied, as the pattern it stands for
        return (re.compile, (self._source, self._flags))

    def __copy__(self) -> re.Pattern[str]:
        return self.compiled()

    def __deepcopy__(self, memo) -> re.Pattern[str]:
        return self.compiled()


@contextmanager
def _patterns_on_first_use() -> Iterator[None]:
    """Yield with ``re.compile`` giving a ``PatternOnFirstUse`` for each pattern of ``ON_FIRST_USE`` the module importing compiles."""
    if all(module in sys.modules for module, _, _ in ON_FIRST_USE):  # already imported: nothing to arrange
        yield
        return
    compile_now = re.compile

    def compile_(pattern, flags=0):
        if isinstance(pattern, str):
            importing = sys._getframe(1).f_globals.get("__name__")
            for module, start, wanted in ON_FIRST_USE:
                if importing == module and flags == wanted and pattern.startswith(start):
                    return PatternOnFirstUse(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_
    try:
        yield
    finally:
        re.compile = compile_now


with _patterns_on_first_use():
    from reportlab.platypus import paragraph as _rl_paragraph
    from reportlab.platypus.doctemplate import LayoutError  # noqa: F401  (re-exported: writers.pdf imports ReportLab through here first)

from reportlab import rl_config as _rl_config
from reportlab.lib.utils import TimeStamp, _digester
from reportlab.pdfbase import pdfdoc, pdfmetrics, pdfutils
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

CHECKED_AGAINST = "5.1.0"  # the ReportLab version every use here was checked against


_PDFDOC_GAPS = tuple(map(chr, range(0x18, 0x20)))  # the ASCII characters ReportLab's pdfdoc codec refuses (each looked for: a thirtieth of a regular expression's time)


class Internal(NamedTuple):
    """One name of ReportLab's that is not public API: where it lives, and what reportgen uses it for."""

    owner: str  # the class (its instances) or module that has it
    name: str
    use: str


INTERNALS: tuple[Internal, ...] = (
    Internal("reportlab.pdfgen.canvas.Canvas", "_doc", "the PDF document: its time stamp and catalog"),
    Internal("reportlab.pdfgen.canvas.Canvas", "_pagesize", "the size of the page being drawn (portrait or landscape)"),
    Internal("reportlab.pdfgen.canvas.Canvas", "_destinations", "every destination by name, for the /Dests table"),
    Internal("reportlab.pdfgen.canvas.Canvas", "_code", "the page's operators until it is finished: a tagged page's points become marked content there"),
    Internal("reportlab.pdfgen.canvas.Canvas", "_curr_tx_info", "where an <onDraw> callback's text ends, and the text object being written"),
    # images drawn once per process (``draw_image_kept``): drawImage's steps
    Internal("reportlab.pdfgen.canvas.Canvas", "_setXObjects", "gives an image object the page's forms in use, as drawImage does"),
    Internal("reportlab.pdfgen.canvas.Canvas", "_formsinuse", "the forms and images the page draws (its /XObject resources)"),
    Internal("reportlab.pdfgen.canvas.Canvas", "_currentPageHasImages", "set when a page draws an image (its /ProcSet)"),
    Internal("reportlab.lib.utils", "_digester", "the digest an image object is named after"),
    Internal("reportlab.lib.utils.ImageReader", "fp", "the image file's bytes, in memory: what a kept image is keyed by"),
    Internal("reportlab.lib.utils.ImageReader", "_dataA", "an image's alpha channel, its soft mask (set by getRGBData)"),
    Internal("reportlab.pdfbase.pdfdoc.PDFImageXObject", "streamContent", "an image object's data (what a kept image holds)"),
    Internal("reportlab.pdfgen.textobject.PDFTextObject", "_code", "the text object's operators: a tagged link's points go among them"),
    Internal("reportlab.platypus.paragraph", "_putFragLine", "draws a line of fragments, telling a text object's _linkRecord where each link's text starts and stops"),
    Internal("reportlab.platypus.paragraph", "_processed_frags", "whether a paragraph's fragments are a split part's words"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "_timeStamp", "the creation and modification dates"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "Catalog", "the document catalog"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "Pages", "the pages added so far (its .pages): a tagged page's content compressed as it is finished"),
    Internal("reportlab.pdfbase.pdfdoc.PDFPage", "stream", "a finished page's operators joined, which it writes unless its Contents is set"),
    Internal("reportlab.pdfbase.pdfdoc.PDFPage", "Contents", "a page slot written (as a reference) when set: a tagged page's compressed content"),
    Internal("reportlab.pdfbase.pdfdoc", "pdfdocEnc", "how a stream's text is encoded"),
    Internal("reportlab.pdfbase.pdfdoc", "PDFStream", "a stream written as it is (with filters=[])"),
    Internal("reportlab.pdfbase.pdfdoc.PDFCatalog", "Dests", "a catalog slot written (as a reference) when set"),
    Internal("reportlab.pdfbase.pdfdoc", "PDFObject", "the base of the /Dests dictionary"),
    Internal("reportlab.pdfbase.pdfdoc", "PDFDictionary", "formats the /Dests dictionary"),
    Internal("reportlab.pdfbase.pdfdoc.Destination", "fmt", "a destination's place (None until bound)"),
    Internal("reportlab.pdfbase.pdfdoc.Destination", "page", "a destination's page (None until bound)"),
    Internal("reportlab.lib.utils.TimeStamp", "t", "the time stamp's seconds since the epoch"),
    Internal("reportlab.lib.utils.TimeStamp", "lt", "the time stamp's time tuple"),
    Internal("reportlab.lib.utils.TimeStamp", "YMDhms", "the time stamp's date fields"),
    Internal("reportlab.platypus.tableofcontents.TableOfContents", "_table", "the table split and drawOn use"),
    Internal("reportlab.platypus.flowables.Flowable", "_doctemplateAttr", "the frame a flowable is being placed in"),
    Internal("reportlab.platypus.frames.Frame", "_atTop", "whether the frame holds nothing yet"),
    Internal("reportlab.platypus.frames.Frame", "_y1p", "the lowest a flowable may reach: raised over a page's footnotes"),
    Internal("reportlab.platypus.frames.Frame", "_geom", "computes the frame's edges again (its bottom back where it was)"),
    Internal("reportlab.platypus.frames.Frame", "_reset", "called as each page begins: a footnote frame forgets the last page's notes"),
    Internal("reportlab.platypus.flowables.KeepTogether", "_content", "the flowables a KeepTogether holds"),
    Internal("reportlab.platypus.flowables.ListFlowable", "_content", "the flowables a list holds"),
    Internal("reportlab.platypus.flowables.LIIndenter", "_bullet", "the bullet a list item's first flowable is drawn with"),
    Internal("reportlab.platypus.flowables.BulletDrawer", "value", "the text a bullet draws (empty: none)"),
    Internal("reportlab.platypus.paragraph.Paragraph", "blPara", "a wrapped paragraph's lines"),
    Internal("reportlab.platypus.paragraph.Paragraph", "_wrapWidths", "the widths its lines were broken at"),
    Internal("reportlab.platypus.paragraph.Paragraph", "frags", "its fragments; in a split part, the words of its lines"),
    Internal("reportlab.platypus.paragraph", "cleanBlockQuotedText", "how a paragraph's text is cleaned before parsing"),
    Internal("reportlab.platypus.paraparser", "ParaParser", "the paragraph markup parser"),
    Internal("reportlab.platypus.paraparser.ParaFrag", "clone", "a copy of a fragment with another text"),
    Internal("reportlab.pdfbase.ttfonts.TTFont", "face", "the parsed font file"),
    Internal("reportlab.pdfbase.ttfonts.TTFontFace", "charToGlyph", "the characters a font has a glyph for"),
    Internal("reportlab.pdfbase.ttfonts.TTFontFace", "ascent", "the font's ascent, given to the font itself (``LazyTTFont``)"),
    Internal("reportlab.pdfbase.ttfonts.TTFontFace", "descent", "the font's descent, given to the font itself (``LazyTTFont``)"),
    Internal("reportlab.pdfbase.ttfonts.TTFont.State", "assignments", "each character's code in a document's subsets (``LazyTTFont.splitString``)"),
    Internal("reportlab.pdfbase.ttfonts", "TTEncoding", "a TrueType font's encoding, made as TTFont.__init__ makes it (``LazyTTFont``)"),
    Internal("reportlab.pdfbase.ttfonts", "unShapedFontGlob", "the font names never shaped, as TTFont.__init__ reads them (``LazyTTFont``)"),
    Internal("reportlab.pdfbase.pdfmetrics", "_fonts", "the registered fonts by name (``register_lazy``)"),
    Internal("reportlab.pdfbase.ttfonts.TTFontFace", "filename", "taken from a file object's .name"),
    # the tagged file (``ua.write_tagged_file``): ReportLab's objects, written by reportgen
    Internal("reportlab.rl_config", "_FUZZ", "how far a flowable may overshoot a frame and still be placed (``FRAME_FUZZ``)"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "SaveToFile", "what Canvas.save calls to write the file: a tagged document's file is reportgen's"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "GetPDFData", "the file's bytes Canvas.getpdfdata returns: a tagged document's are reportgen's"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "defaultStreamFilters", "the filters of a stream given none (forms)"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "delayedFonts", "fonts whose objects are made when the file is written"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "Outlines", "the outline, prepared before the objects are written"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "info", "the information dictionary"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "numberToId", "each object's internal name by number"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "idToObject", "each object by internal name"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "idToObjectNumberAndVersion", "each object's number by internal name"),
    Internal("reportlab.pdfbase.pdfdoc.PDFDocument", "Reference", "numbers an object (or returns its reference)"),
    Internal("reportlab.pdfbase.pdfdoc.PDFPage", "Annots", "the page's annotations (references)"),
    Internal("reportlab.pdfbase.pdfdoc.PDFPage", "__NoDefault__", "the entries a page writes when set"),
    Internal("reportlab.pdfbase.pdfdoc.PDFCatalog", "__NoDefault__", "the entries the catalog writes when set"),
    Internal("reportlab.pdfbase.pdfdoc.PDFInfo", "title", "an information dictionary field"),
    Internal("reportlab.pdfbase.pdfdoc.PDFInfo", "author", "an information dictionary field"),
    Internal("reportlab.pdfbase.pdfdoc.PDFInfo", "subject", "an information dictionary field"),
    Internal("reportlab.pdfbase.pdfdoc.PDFInfo", "keywords", "an information dictionary field"),
    Internal("reportlab.pdfbase.pdfdoc.PDFInfo", "creator", "an information dictionary field"),
    Internal("reportlab.pdfbase.pdfdoc.PDFInfo", "producer", "an information dictionary field"),
    Internal("reportlab.pdfbase.pdfdoc.PDFInfo", "_dateFormatter", "how the dates are written"),
    Internal("reportlab.pdfbase.pdfdoc.LinkAnnotation", "permitted", "the entries an internal link may have"),
    Internal("reportlab.pdfbase.pdfdoc.LinkAnnotation", "otherkw", "an internal link's further entries"),
    Internal("reportlab.pdfbase.pdfdoc.LinkAnnotation", "Contents", "an internal link's /Contents"),
    Internal("reportlab.pdfbase.pdfdoc.PDFStream", "content", "a stream's data"),
    Internal("reportlab.pdfbase.pdfdoc.PDFStream", "filters", "a stream's filters (None: the document's default)"),
    Internal("reportlab.pdfbase.pdfdoc.PDFStream", "dictionary", "a stream's dictionary"),
    Internal("reportlab.pdfbase.pdfdoc", "format", "writes one object"),
    Internal("reportlab.pdfbase.pdfdoc", "PDFImageXObject", "an image: its ASCII85 encoding undone"),
    Internal("reportlab.pdfbase.pdfdoc.PDFImageXObject", "streamContent", "an image's data, encoded"),
    Internal("reportlab.pdfbase.pdfdoc.PDFImageXObject", "_filters", "an image's filters' names, outermost first"),
    Internal("reportlab.pdfbase.pdfutils", "asciiBase85Decode", "undoes ASCII85"),
    Internal("reportlab.pdfbase.pdfdoc", "PDFDate", "writes the information dictionary's dates"),
    Internal("reportlab.pdfbase.pdfdoc", "PDFString", "writes a string"),
    Internal("reportlab.pdfbase.pdfdoc", "PDFArray", "writes an array"),
    Internal("reportlab.pdfbase.pdfdoc", "PDFName", "writes a name"),
)


# --- flowables ---------------------------------------------------------------------


def contained(flowable) -> list | tuple | None:
    """The flowables inside a ``KeepTogether`` or a ``ListFlowable``; None for any other flowable.

    Relies on ``_content``, the list both keep their flowables in
    (``platypus/flowables.py``: ``KeepTogether.__init__`` and ``_Container``);
    checked against ReportLab 5.1.0.
    """
    inner = getattr(flowable, "_content", None)
    return inner if isinstance(inner, (list, tuple)) else None


def placing_frame(flowable):
    """The frame ``flowable`` is being placed in (None outside a build).

    Relies on ``Flowable._doctemplateAttr``, which reads the doc template
    ReportLab sets as ``canv._doctemplate`` during ``build``
    (``platypus/flowables.py``, ``platypus/doctemplate.py``); checked against
    ReportLab 5.1.0.
    """
    return flowable._doctemplateAttr("frame")


def frame_is_empty(frame) -> bool:
    """True while nothing has been placed in ``frame`` on this page.

    Relies on ``Frame._atTop`` (``platypus/frames.py``: 1 until a flowable
    moves the frame's cursor); checked against ReportLab 5.1.0.
    """
    return bool(getattr(frame, "_atTop", False))


def list_bullets(list_flowable) -> list:
    """The objects that draw the bullets (or numbers) of ``list_flowable``, one per item, in order.

    ``ListFlowable._content`` (made on first use from its items) holds an
    ``LIIndenter`` per flowable of each item; the first of an item has the
    item's ``BulletDrawer`` as ``_bullet``, whose ``value`` is the text it
    draws (``platypus/flowables.py``: ``ListFlowable._getContent``,
    ``LIIndenter.drawOn``, ``BulletDrawer.drawOn``). A nested list's own
    bullets are in its own ``ListFlowable``. Checked against ReportLab 5.1.0.
    """
    return [ind._bullet for ind in list_flowable._content if getattr(ind, "_bullet", None) is not None and ind._bullet.value]


FRAME_FUZZ = _rl_config._FUZZ
"""How far a flowable may overshoot a frame's room and still be placed in it (``Frame._add``; ``rl_config._FUZZ``,
an internal setting); a table's ``split`` compares its rows with the room exactly. Checked against ReportLab 5.1.0."""


def set_contents_table(toc, table) -> None:
    """Make ``table`` the one a ``TableOfContents`` splits and draws (its ``wrap`` made it).

    Relies on ``TableOfContents._table``, which its ``split`` and ``drawOn``
    use (``platypus/tableofcontents.py``); checked against ReportLab 5.1.0.
    """
    toc._table = table



def row_heights(table) -> list[float]:
    """Return the height of each row a wrapped ``Table`` measured (every row, when its room held them all).

    Relies on ``Table._rowHeights``, which ``_calc_height`` sets
    (``platypus/tables.py``); checked against ReportLab 5.1.0.
    """
    return table._rowHeights[: table._hmax]


# --- paragraphs --------------------------------------------------------------------

NO_ROOM = 0x7FFFFFFF
"""The height ``Paragraph.wrap`` answers when the width is too small for anything
(``platypus/paragraph.py``, ``wrap``: ``return 0, 0x7fffffff``); checked against ReportLab 5.1.0."""


def wrapped_lines(para) -> tuple:
    """What ``Paragraph.wrap`` computed for the width it was last wrapped at, to restore later.

    Relies on ``Paragraph.blPara`` (the broken lines, which ``draw`` and
    ``split`` read) and ``Paragraph._wrapWidths`` (the widths they were
    broken at, which ``draw`` reads for right-to-left text), both set by
    ``wrap`` (``platypus/paragraph.py``); checked against ReportLab 5.1.0.
    """
    return para.blPara, para._wrapWidths


def restore_wrapped_lines(para, lines: tuple) -> None:
    """Put back what ``wrapped_lines`` returned, as ``Paragraph.wrap`` would set it (see there)."""
    para.blPara, para._wrapWidths = lines


def drop_leading_breaks(para) -> None:
    """Drop the line breaks the later part of a split paragraph starts with (it would open with an empty line).

    ``Paragraph.split`` makes that part of the words of the lines it holds
    (``_split_blParaHard``), each ``[width, (fragment, text), ...]``, and a
    line ended by ``<br/>`` leaves its break first. Relies on
    ``Paragraph.frags`` (those words, which the part's ``wrap`` reads) and on
    a break's fragment having ``lineBreak`` (``platypus/paragraph.py``,
    ``platypus/paraparser.py``); checked against ReportLab 5.1.0.
    """
    frags = para.frags
    n = 0
    while n < len(frags) and isinstance(frags[n], list) and len(frags[n]) > 1 and all(getattr(f, "lineBreak", False) for f, _t in frags[n][1:]):
        n += 1
    if n:
        para.frags = frags[n:]


def on_draw_labels(para, name: str) -> list[str]:
    """The labels of the ``<onDraw name=…>`` markers in paragraph ``para`` (in a split part, those of its own lines).

    An ``<onDraw>`` becomes a fragment with ``cbDefn`` (``kind`` "onDraw",
    its ``name`` and ``label``; ``platypus/paraparser.py``, ``start_ondraw``);
    ``Paragraph.frags`` holds the fragments, or in a part ``split`` made, the
    words of its lines, each ``[width, (fragment, text), ...]``
    (``_split_blParaHard``, ``_split_blParaProcessed`` in
    ``platypus/paragraph.py``); checked against ReportLab 5.1.0.
    """
    out: list[str] = []
    for frag in getattr(para, "frags", None) or ():
        parts = [p[0] for p in frag[1:] if isinstance(p, tuple)] if isinstance(frag, list) else [frag]
        for part in parts:
            cb = getattr(part, "cbDefn", None)
            if cb is not None and getattr(cb, "kind", "") == "onDraw" and getattr(cb, "name", "") == name:
                out.append(str(getattr(cb, "label", "")))
    return out


def frame_floor(frame) -> float:
    """The lowest a flowable placed in ``frame`` may reach now.

    Relies on ``Frame._y1p`` (the frame's bottom edge plus its bottom padding,
    which ``_add`` and ``split`` measure the room left down to;
    ``platypus/frames.py``); checked against ReportLab 5.1.0.
    """
    return frame._y1p


def set_frame_floor(frame, y: float | None) -> None:
    """Let nothing placed in ``frame`` reach below ``y`` (None: the frame's own bottom again).

    Relies on ``Frame._y1p`` (see ``frame_floor``) and ``Frame._geom``, which
    sets it from the frame's edges (``platypus/frames.py``); checked against
    ReportLab 5.1.0.
    """
    if y is None:
        frame._geom()
    else:
        frame._y1p = y


def clean_text(text: str) -> str:
    """``text`` as ``Paragraph`` cleans it before parsing (line breaks and runs of white space to one space).

    Relies on ``cleanBlockQuotedText``, "an internal utility" of
    ``platypus/paragraph.py`` that ``Paragraph._setup`` applies; checked
    against ReportLab 5.1.0.
    """
    return cleanBlockQuotedText(text)


def parse_fragments(text: str, style) -> list:
    """The fragments ReportLab's paragraph parser makes of markup ``text`` in ``style``.

    Relies on ``ParaParser().parse(text, style)`` returning ``(style,
    fragments, bullet fragments)`` (``platypus/paraparser.py``, an internal
    module); checked against ReportLab 5.1.0.
    """
    _style, frags, _bullets = ParaParser().parse(text, style)
    return frags


def fragment_with_text(fragment, text: str):
    """A copy of a parsed fragment (every attribute) with ``text`` as its text.

    Relies on ``ParaFrag.clone(**attrs)`` (``lib/abag.py``: a new fragment
    of the fragment's ``__dict__``, updated); checked against ReportLab 5.1.0.
    """
    return fragment.clone(text=text)


def complete_fragments(frags) -> None:
    """Give every fragment of one paragraph the ``nobr`` it lacks: False, as ReportLab reads it when absent.

    ReportLab's line breaking asks ``sameFrag`` (``lib/rl_accel.py``, C in
    ``_rl_accel``) of each word whether it continues its neighbour's
    fragment. The C version looks each compared attribute up on both
    fragments, and one the parser left out raises and clears an
    AttributeError each time (about 1 us each; 28,000 calls in the summit
    x20). ``nobr`` absent on both fragments reads as the same, and so does
    False on both; absent against present reads as different: so every
    fragment of a paragraph must be completed (the parser's; the clones
    ReportLab makes of them while breaking lines inherit theirs), as ``Para``
    does before its first wrap. Elsewhere ReportLab reads ``nobr`` only as
    ``getattr(f, 'nobr', False)`` (``platypus/paragraph.py``). Not
    ``backColor``, also compared: ReportLab asks ``hasattr(frag,
    'backColor')`` to choose how to break a one-fragment paragraph. The lines
    and bytes are the same (``tests/writers/pdf/test_pdf_para.py``, the
    golden files); checked against ReportLab 5.1.0.
    """
    for frag in frags:
        values = getattr(frag, "__dict__", None)  # (a split part's are the words of its lines, made of completed ones)
        if values is not None and "nobr" not in values:
            values["nobr"] = False


# --- canvas and document ---------------------------------------------------------------


def page_size(canv) -> tuple[float, float]:
    """The width and height of the page ``canv`` is drawing (a landscape page's, on one).

    Relies on ``Canvas._pagesize``, which ``setPageSize`` sets when a page
    template with its own size begins (``pdfgen/canvas.py``); checked against
    ReportLab 5.1.0.
    """
    return canv._pagesize


def text_end(canv) -> tuple[float, float]:
    """Where the text drawn so far ends, inside an ``<onDraw>`` callback of a paragraph.

    Relies on ``Canvas._curr_tx_info`` (a dict with ``cur_x`` and ``cur_y``)
    that ``platypus/paragraph.py`` sets around each ``<onDraw>`` callback, as
    ReportLab's own ``tableofcontents.drawPageNumbers`` reads it; checked
    against ReportLab 5.1.0.
    """
    info = canv._curr_tx_info
    return info["cur_x"], info["cur_y"]


def page_code(canv) -> list[str]:
    """Return the operators of the page being drawn on ``canv``, which it writes when the page is finished (to change in place).

    Relies on ``Canvas._code``, the list of operator strings each drawing
    call appends to and ``showPage`` joins into the page's content stream
    (``pdfgen/canvas.py``; ``addLiteral`` appends its string as it is, one
    item); checked against ReportLab 5.1.0.
    """
    return canv._code


def finished_page_content(canv) -> bytes:
    """Return the content stream of the page ``canv`` has just finished (``showPage``), as ReportLab would write it.

    Relies on ``PDFDocument.Pages.pages`` (the pages added so far, the last
    one last), on ``PDFPage.stream`` (the text ``setStream`` joined of the
    page's operators) and on ``pdfdoc.pdfdocEnc``, which ``pdfdoc.format``
    encodes a stream's text with (ASCII as it is, and an error for U+0018
    to U+001F: text of only the rest of ASCII is encoded here without its
    codec, byte for byte the same); checked against ReportLab 5.1.0.
    """
    text = canv._doc.Pages.pages[-1].stream
    if text.isascii() and not any(gap in text for gap in _PDFDOC_GAPS):
        return text.encode("ascii")
    return pdfdoc.pdfdocEnc(text)


def set_finished_page_content(canv, data: bytes, filter_name: str) -> None:
    """Make ``data``, encoded with the filter ``filter_name`` ("FlateDecode"), the content stream of the page ``canv``
    has just finished, written as it is.

    Relies on ``PDFPage.check_format``, which makes the page's stream of its
    text only when its ``Contents`` is not set, and on ``PDFStream.format``,
    which encodes a stream with no filters of its own (``filters=[]``) and
    writes its bytes as they are; its text (``PDFPage.stream``, which
    ``check_format`` reads only for a page with no ``Contents``) is let go:
    a long report held every page's twice; checked against ReportLab 5.1.0.
    """
    page = canv._doc.Pages.pages[-1]
    page.Contents = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFName(filter_name)}), data, filters=[])
    page.stream = None


def record_links(tx, callback) -> None:
    """Call ``callback(link, what)`` as ReportLab draws the text of each link of the paragraph whose text object ``tx``
    is: "start" just after the first piece of its text on a line is written into ``tx`` (the last of ``text_operators``),
    "end" before the next piece not in it is, or at the end of the line; ``link`` is ``(n, href)``, ``n`` counting the
    paragraph's ``<a href>`` and ``<link>`` tags in order from 0.

    Relies on ``_putFragLine`` (``platypus/paragraph.py``), which draws each
    line of a paragraph of several fragments and calls the text object's
    ``_linkRecord`` (when it has one: ReportLab itself never sets it) that
    way, after ``_textOut`` appends the piece as one operator string; a
    paragraph of one plain fragment is drawn without it
    (``one_fragment_links``). Checked against ReportLab 5.1.0.
    """
    tx._linkRecord = callback


def text_operators(tx) -> list[str]:
    """Return the operators written so far into text object ``tx`` (to insert into): ``PDFTextObject._code``."""
    return tx._code


def text_baseline(tx) -> float:
    """Return the baseline of the line a paragraph is drawing into its text object ``tx``.

    Relies on ``tx.XtraState.cur_y``, which ``Paragraph.drawPara`` sets
    (``platypus/paragraph.py``); checked against ReportLab 5.1.0.
    """
    return tx.XtraState.cur_y


def one_fragment_links(para) -> list | None:
    """Return the links (``(n, href)``, as ``record_links`` names them) of the text of paragraph ``para`` when ReportLab
    draws it as one plain fragment, without telling where links start and stop; None when it draws it as fragments.

    The condition is ``Paragraph.breakLines``'s (``platypus/paragraph.py``):
    one fragment, no dotted leader, no callback or background of its own, not
    the words of a split part (``_processed_frags``); such a fragment keeps
    its ``link`` list. Checked against ReportLab 5.1.0.
    """
    frags = getattr(para, "frags", None) or ()
    if len(frags) != 1 or getattr(para.style, "endDots", None) or _rl_paragraph._processed_frags(frags):
        return None
    frag = frags[0]
    if hasattr(frag, "cbDefn") or hasattr(frag, "backColor"):
        return None
    return getattr(frag, "link", None) or None


def callback_text_object(canv):
    """Return the text object being written, inside an ``<onDraw>`` callback of a paragraph: ``Canvas._curr_tx_info["tx"]``
    (as ``append_to_text`` writes into it); checked against ReportLab 5.1.0."""
    return canv._curr_tx_info["tx"]


def append_to_text(canv, operators: str) -> None:
    """Write ``operators`` into the text object being drawn, at the point reached, inside an ``<onDraw>`` callback of a paragraph.

    Relies on ``Canvas._curr_tx_info["tx"]``, the ``PDFTextObject`` that
    ``platypus/paragraph.py`` sets around each ``<onDraw>`` callback, and on
    that object's ``_code``, the list of operators its ``getCode`` joins
    between ``BT`` and ``ET`` (``pdfgen/textobject.py``); checked against
    ReportLab 5.1.0.
    """
    canv._curr_tx_info["tx"]._code.append(operators)


def set_creation_time(canv, when: dt.datetime) -> None:
    """Date the document ``canv`` writes at ``when`` (UTC, naive): /CreationDate and /ModDate.

    ReportLab dates a document by a ``TimeStamp`` it makes when the canvas is
    created (``SOURCE_DATE_EPOCH``, or 2000-01-01 when invariant); this one
    is made the same way, invariant (UTC, no offset), then given ``when``.
    Relies on ``Canvas._doc`` (the ``PDFDocument``), its ``_timeStamp``
    (read by ``PDFInfo.format``) and the stamp's fields ``t``, ``lt`` and
    ``YMDhms`` (``lib/utils.py``, ``pdfbase/pdfdoc.py``); checked against
    ReportLab 5.1.0.
    """
    ts = TimeStamp(invariant=1)
    ts.t = calendar.timegm(when.timetuple())
    ts.lt = when.timetuple()
    ts.YMDhms = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    canv._doc._timeStamp = ts


class NamedDests(pdfdoc.PDFObject):
    """The catalog's /Dests dictionary: every destination the document defines, by name.

    ReportLab resolves internal links to explicit destinations and writes no
    name table; this makes ``file.pdf#section-id`` (and pypdf) see the names.
    Relies on ``pdfdoc.PDFObject``'s ``format(document)`` protocol and
    ``PDFDictionary`` (``pdfbase/pdfdoc.py``, an internal module), on
    ``Canvas._destinations`` (name → ``Destination``, read when the file is
    written) and on a ``Destination``'s ``fmt`` and ``page``, None until
    the destination is placed; checked against ReportLab 5.1.0.
    """

    def __init__(self, canv):
        self.canv = canv

    def format(self, document):
        dests = getattr(self.canv, "_destinations", {})
        named = {name: dests[name] for name in sorted(dests) if getattr(dests[name], "fmt", None) is not None and dests[name].page is not None}
        return pdfdoc.PDFDictionary(named).format(document)


def add_named_destinations(canv) -> None:
    """Write a /Dests name table (``NamedDests``) in the catalog of the document ``canv`` draws.

    Relies on ``Canvas._doc.Catalog`` (the ``PDFCatalog``), whose ``Dests``
    slot is written as a reference when set (``PDFCatalog.__NoDefault__`` and
    ``__Refs__``, ``pdfbase/pdfdoc.py``); checked against ReportLab 5.1.0.
    """
    canv._doc.Catalog.Dests = NamedDests(canv)


# --- fonts -----------------------------------------------------------------------------


def glyph_map(font_name: str) -> dict:
    """The characters (code points) the registered TrueType font ``font_name`` has a glyph for.

    Relies on ``TTFont.face.charToGlyph``, the code point → glyph map
    ``TTFontFile.extractInfo`` builds from the font's cmap
    (``pdfbase/ttfonts.py``); checked against ReportLab 5.1.0.
    """
    return pdfmetrics.getFont(font_name).face.charToGlyph


class LazyTTFont(TTFont):
    """A TrueType font whose file is parsed by ReportLab the first time it is used, not when it is registered.

    ``parse`` returns the font's ``TTFontFace``; it runs once, when anything
    first asks for ``face`` (measuring, drawing, the glyph map) or for the
    ascent or descent. A pack registers four styles of three families and a
    document uses few of them: the summit's PDF three of nine, whose parsing
    is 10 ms each. Once parsed, the font is a ``TTFont`` in every way, its
    ascent and descent its face's and held by the font itself, which
    ``pdfmetrics.getAscentDescent`` reads first (it tries ``font.ascent`` and,
    on the AttributeError a ``TTFont`` raises, reads ``font.face``'s: an
    exception raised and caught for every word ReportLab's line breaking
    measures).

    If ``parse`` raises, ``failure`` is its exception, raised again at
    every later use, and ``failed`` counts the times it was raised: ReportLab
    may catch the exception on the way out and raise another in its place
    (``annotateException``; its C accelerator's ``stringWidth`` turns any
    exception into an AttributeError), so the caller asks the font
    afterwards; a Ctrl-C or SIGTERM during the parse is ``interrupted``.

    ``__init__`` is ``TTFont.__init__`` without the face (``pdfbase/ttfonts.py``,
    checked against ReportLab 5.1.0; ``tests/compat`` compares the two
    fonts' attributes). Register it with ``register_lazy``:
    ``pdfmetrics.registerFont`` reads the face's name.
    """

    failure: Exception | None = None
    failed = 0
    interrupted: BaseException | None = None  # Ctrl-C or SIGTERM during a parse (raised once; the next use parses again)

    def __init__(self, name: str, parse):
        self.fontName = name
        self.encoding = _ttfonts.TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = _rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in _ttfonts.unShapedFontGlob)
        self._parse = parse

    @functools.cached_property
    def face(self):
        if self.failure is None:
            try:
                face = self._parse()
            except Exception as exc:
                self.failure = exc.with_traceback(None)
            except BaseException as exc:  # ReportLab's accelerator makes an AttributeError of it too: the caller asks
                self.interrupted = exc
                raise
            else:
                self._parse = None  # (the font's bytes and the theme, no longer needed)
                return face
        self.failed += 1
        raise self.failure.with_traceback(None)  # (no frames of the uses before kept alive by it)

    @functools.cached_property
    def ascent(self):
        return self.face.ascent

    @functools.cached_property
    def descent(self):
        return self.face.descent

    def splitString(self, text, doc, encoding="utf-8"):
        """Return ``text`` as ``TTFont.splitString`` does: (subset, bytes) runs, here one run of subset 0 when every
        character of ``text`` already has its code there (nearly every text drawn after a document's first lines).

        ``TTFont.splitString`` looks each character up in the document's
        ``State.assignments`` (character -> code, the subset being code >> 8),
        no-break space drawn as the space's code, and assigns a new code to a
        character met for the first time. Here a translation table of the
        assignments in subset 0 (rebuilt whenever there are more of them:
        they are never changed or removed) gives every byte at once, and
        ReportLab's own method runs whenever a character has no code yet.
        Checked against ReportLab 5.1.0; ``tests/compat`` compares the two
        on the same texts, call by call.
        """
        state = self.state.get(doc) if isinstance(text, str) else None
        if state is None or not text:
            return super().splitString(text, doc, encoding)
        assignments = state.assignments
        fast = state.__dict__.get("_rg_subset0")
        if fast is None or fast[0] != len(assignments):
            table = {code: chr(n) for code, n in assignments.items() if n < 256}
            if 32 in table and 0xA0 not in assignments:
                table[0xA0] = table[32]
            fast = state._rg_subset0 = (len(assignments), frozenset(map(chr, table)), table)
        if not fast[1].issuperset(text):
            return super().splitString(text, doc, encoding)
        return [(0, text.translate(fast[2]).encode("latin-1"))]


def register_lazy(font: LazyTTFont) -> None:
    """Register ``font`` with ReportLab as ``pdfmetrics.registerFont`` registers a TrueType font, without parsing it.

    ``registerFont`` puts the font in ``pdfmetrics._fonts`` by name, after
    reading its face's PostScript name to share one font object between two
    registrations of the same face, and registers the name as a family of
    itself. reportgen registers each file once, under a name of its own.
    """
    pdfmetrics._fonts[font.fontName] = font
    pdfmetrics.registerFontFamily(font.fontName)


def parse_face(data: bytes, path: str) -> TTFontFace:
    """Return the ``TTFontFace`` ReportLab parses from a font's bytes (``data``), read as the font file at ``path`` (see ``font_file``)."""
    return TTFontFace(font_file(data, path))


def font_file(data: bytes, path: str) -> io.BytesIO:
    """A file object of a font's bytes that ReportLab reads as the font file at ``path``.

    ``TTFontFile.readFile`` takes a file object's ``name`` as the font's
    ``filename`` (``pdfbase/ttfonts.py``): its error messages name it, its
    base name decides whether the font may be subset
    (``rl_config.allowTTFSubsetting``) and it is part of the name of the
    embedded font file's PDF object; checked against ReportLab 5.1.0.
    """
    buf = io.BytesIO(data)
    buf.name = path
    return buf


# --- the tagged file: ReportLab's objects, written by reportgen -----------------------------


class Raw(pdfdoc.PDFObject):
    """A PDF object written as the bytes ``text`` are (PDF syntax already: a dictionary, an array, a whole stream).

    Relies on ``pdfdoc.PDFObject``'s ``format(document)`` protocol and on
    ``__RefOnly__``, whose presence (any value) makes ``pdfdoc.format``
    write a reference to the object instead of the object, numbering it
    (``indirect``: a stream must be); checked against ReportLab 5.1.0.
    """

    def __init__(self, text: bytes, indirect: bool = False):
        self.text = text
        if indirect:
            self.__RefOnly__ = 1

    def format(self, document):
        return self.text


class StreamFilter:
    """A stream filter as ReportLab's ``PDFStream.format`` applies one: its ``pdfname`` and ``encode(content)``,
    here ``encode(data)`` given bytes (a ``str`` content encoded as ReportLab encodes the text of a stream it
    writes unfiltered, ``pdfdocEnc``); checked against ReportLab 5.1.0."""

    def __init__(self, pdfname: str, encode):
        self.pdfname = pdfname
        self._encode = encode

    def encode(self, content):
        return self._encode(content if isinstance(content, bytes) else pdfdoc.pdfdocEnc(content))


def take_file_writing(canv, write) -> None:
    """Make ``write(canv, out)`` write the file the document ``canv`` draws is saved as, instead of ReportLab's file:
    ``out`` is the file object the canvas was made with, or the file at its path, opened here for writing.

    Relies on ``Canvas.save`` calling ``PDFDocument.SaveToFile(filename,
    canvas)`` with what the canvas was made with (replaced here by an
    instance attribute, the document's own: ``pdfbase/pdfdoc.py``), which
    would write the bytes ``GetPDFData`` returns, whole; ``GetPDFData``
    (``Canvas.getpdfdata``) gives the bytes ``write`` writes; checked against
    ReportLab 5.1.0. As ReportLab's, the document is saved once.
    """
    saved = False

    def data(canvas) -> bytes:
        out = io.BytesIO()
        write(canvas, out)
        return out.getvalue()

    def save(filename, canvas) -> None:
        nonlocal saved
        if saved:
            raise RuntimeError("a document is saved only once")
        saved = True
        if callable(getattr(filename, "write", None)):
            write(canvas, filename)
            return
        with open(filename, "wb") as out:
            write(canvas, out)

    canv._doc.SaveToFile = save
    canv._doc.GetPDFData = data


def compress_streams_with(canv, stream_filter: StreamFilter) -> None:
    """Make ``stream_filter`` the filter of every stream of the document ``canv`` draws that ReportLab gives none and
    ``encode_streams`` did not encode (its forms, when the document is uncompressed: made as it is written).

    Relies on ``PDFDocument.defaultStreamFilters``, which ``PDFStream.format``
    applies to a stream whose ``filters`` are None and whose dictionary has
    no /Filter; checked against ReportLab 5.1.0.
    """
    canv._doc.defaultStreamFilters = [stream_filter]


def encode_streams(canv, encode) -> None:
    """Encode each stream the document ``canv`` draws has made so far that has no filter (font files, ToUnicode
    maps, once ``objects_ready``) with ``encode(data, text)`` -> (its encoded bytes, its filters' names, outermost
    first); ``text``: its content is text (``str``, encoded by ``pdfdocEnc``).

    Relies on ``PDFDocument.idToObject`` and on ``PDFStream``'s
    ``content``, ``filters`` and ``dictionary`` (``format`` writes the
    content as it is when the dictionary names its /Filter); checked
    against ReportLab 5.1.0.
    """
    for obj in canv._doc.idToObject.values():
        if not isinstance(obj, pdfdoc.PDFStream) or obj.filters or "Filter" in obj.dictionary.dict or obj.content is None:
            continue
        text = not isinstance(obj.content, bytes)
        data, names = encode(pdfdoc.pdfdocEnc(obj.content) if text else obj.content, text)
        obj.content = data
        obj.filters = []
        obj.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(name) for name in names])


def image_weight(made: tuple) -> int:
    """Return the bytes of data a kept image's objects hold (``draw_image_kept``'s entries): the image's and its soft mask's."""
    return sum(len(getattr(obj, "streamContent", b"") or b"") for obj in made[1:] if obj is not None)


def draw_image_kept(canv, image, x: float, y: float, width: float, height: float, mask, kept) -> tuple | None:
    """Draw ``image`` (an ``ImageReader`` of a file's bytes) on ``canv`` as ``Canvas.drawImage(image, x, y, width,
    height, mask=mask)`` draws it, its image object made once and kept in ``kept`` (``get``/``put``: a
    ``reportgen.kept.Kept`` weighing its entries by ``image_weight``), by the SHA-256 of the file's bytes and the
    mask; return what ``drawImage`` returns (the image's size in pixels), or None, having drawn nothing, for an
    image this cannot key by its bytes (the caller draws it as ReportLab does).

    The steps of ``Canvas.drawImage`` for an ``ImageReader`` (name the image
    after the digest of its pixels and mask, register the image object and its
    soft mask with the document once, draw it scaled into its box), with each
    document given its own copy of the kept objects: a document's writing
    changes its copies (``drop_ascii85``, the soft mask's reference), never
    the kept ones. Relies on ``ImageReader.fp`` (the file's bytes, in memory),
    ``getRGBData`` and ``_dataA``, ``PDFImageXObject``'s ``_smask``, the
    canvas's ``_setXObjects``, ``_formsinuse``, ``_code`` and
    ``_currentPageHasImages``, and ``PDFDocument.getXObjectName``,
    ``Reference``, ``addForm`` and ``idToObject``; checked against ReportLab
    5.1.0, and against ``drawImage``'s bytes in ``tests/compat``.
    """
    data = getattr(getattr(image, "fp", None), "getvalue", None)
    if data is None or width is None or height is None:
        return None
    key = (hashlib.sha256(data()).digest(), repr(mask))
    made = kept.get(key)
    if made is None:
        raw = image.getRGBData()
        smask = image._dataA
        mdata = smask.getRGBData() if mask == "auto" and smask else str(mask)
        name = _digester(raw + (mdata.encode("utf8") if isinstance(mdata, str) else mdata))
        template = pdfdoc.PDFImageXObject(name, image, mask=mask)
        template.name = name
        made = (name, template, template.__dict__.pop("_smask", None))
        kept.put(key, made)
    name, template, soft = made
    doc = canv._doc
    canv._currentPageHasImages = 1
    reg = doc.getXObjectName(name)
    if not doc.idToObject.get(reg, None):
        obj = copy.copy(template)
        canv._setXObjects(obj)
        doc.Reference(obj, reg)
        doc.addForm(name, obj)
        if soft is not None:
            mask_reg = doc.getXObjectName(soft.name)
            if not doc.idToObject.get(mask_reg, None):
                soft = copy.copy(soft)
                canv._setXObjects(soft)
                obj.smask = doc.Reference(soft, mask_reg)
            else:
                obj.smask = pdfdoc.PDFObjectReference(mask_reg)
    canv.saveState()
    canv.translate(x, y)
    canv.scale(width, height)
    canv._code.append("/%s Do" % reg)
    canv.restoreState()
    canv._formsinuse.append(name)
    return template.width, template.height


def drop_ascii85(canv, allowed) -> int:
    """Return how many images of the document ``canv`` draws had their ASCII85 encoding (which ReportLab gives every
    image, a quarter more bytes) undone: each one whose data without it is ``allowed(data)``.

    Relies on ``PDFImageXObject``'s ``streamContent`` (its data, encoded)
    and ``_filters`` (its filters' names, outermost first), which its
    ``format`` writes, on its ``smask`` (a soft mask, an image too) and on
    ``pdfutils.asciiBase85Decode``; checked against ReportLab 5.1.0.
    """
    images = [obj for obj in canv._doc.idToObject.values() if isinstance(obj, pdfdoc.PDFImageXObject)]
    images += [obj.smask for obj in images if isinstance(getattr(obj, "smask", None), pdfdoc.PDFImageXObject)]
    undone = 0
    for image in images:
        filters = tuple(image._filters)
        if not filters or filters[0] != "ASCII85Decode" or len(filters) < 2:
            continue
        data = pdfutils.asciiBase85Decode(image.streamContent)
        if allowed(data):
            image.streamContent, image._filters = data, filters[1:]
            undone += 1
    return undone


def objects_ready(canv) -> None:
    """Do to the document ``canv`` drew what ReportLab does before writing its objects: the fonts' objects made
    (subsets, ToUnicode maps), the catalog and the information dictionary numbered, the outline prepared.

    The first half of ``PDFDocument.GetPDFData`` (``delayedFonts``,
    ``Reference``, ``Outlines.prepare`` and its ``ready``) but the
    information's digest, which only ReportLab's file /ID is made of;
    checked against ReportLab 5.1.0.
    """
    doc = canv._doc
    for font in doc.delayedFonts:
        font.addObjects(doc)
    doc.Reference(doc.Catalog)
    doc.Reference(doc.info)
    doc.Outlines.prepare(doc, canv)
    if doc.Outlines.ready < 0:
        doc.Catalog.Outlines = None


def formatted_objects(canv) -> Iterator[tuple[int, bytes]]:
    """Yield every object of the document ``canv`` drew, as ReportLab writes each between ``obj`` and ``endobj``, by
    object number (from 1; objects made while others are written included), once ``objects_ready``: each formatted
    as it is asked for, then let go by the document (its name stays registered, so references to it still number
    it): a long report's objects are tens of thousands, held to the end otherwise. The document cannot be written
    again after this.

    The loop of ``PDFDocument.format`` without the file around it: each
    object ``numberToId`` names, looked up in ``idToObject`` and written by
    ``pdfdoc.format(..., toplevel=1)`` (no encryption: ``NoEncryption``'s
    ``register`` does nothing); ``Reference`` needs a formatted object's
    name in ``idToObject``, never the object; checked against ReportLab 5.1.0.
    """
    doc = canv._doc
    numbers, objects = doc.numberToId, doc.idToObject
    number = 1
    while number in numbers:
        name = numbers[number]
        text = pdfdoc.format(objects[name], doc, toplevel=1)
        objects[name] = None
        yield number, text
        number += 1


def object_number(canv, obj) -> int:
    """Return the object number the document ``canv`` draws gives ``obj`` (numbering it now if it has none).

    Relies on ``PDFDocument.Reference`` (a registered object's reference
    by its internal name) and ``idToObjectNumberAndVersion``; checked
    against ReportLab 5.1.0.
    """
    doc = canv._doc
    return doc.idToObjectNumberAndVersion[doc.Reference(obj).name][0]


def document_catalog(canv):
    """Return the catalog (``PDFCatalog``) of the document ``canv`` draws. Relies on ``PDFDocument.Catalog``."""
    return canv._doc.Catalog


def document_info(canv):
    """Return the information dictionary object of the document ``canv`` draws (``set_info``'s, once set). Relies on ``PDFDocument.info``."""
    return canv._doc.info


def document_pages(canv) -> list:
    """Return the pages (``PDFPage``) of the document ``canv`` draws, in order. Relies on ``PDFDocument.Pages.pages``."""
    return canv._doc.Pages.pages


def page_annotations(canv, page) -> list:
    """Return ``page``'s annotations, in its /Annots order: ``PDFDictionary`` (``linkURL``) or ``LinkAnnotation``.

    Relies on ``PDFPage.Annots``, the references ``showPage`` gives it
    (``Canvas._annotationrefs``), and ``PDFDocument.idToObject``; checked
    against ReportLab 5.1.0.
    """
    return [canv._doc.idToObject[ref.name] for ref in page.Annots or ()]


def annotation_contents(annot) -> str:
    """Return what the annotation ``annot`` (``page_annotations``) holds in its /Contents ("" when none)."""
    if isinstance(annot, pdfdoc.PDFDictionary):
        value = annot.dict.get("Contents")
        return getattr(value, "s", "") if value is not None else ""
    return annot.Contents or ""


def set_annotation_entries(annot, contents: str | None, entries: dict) -> None:
    """Give the annotation ``annot`` (``page_annotations``) the ``entries`` (name -> a number or a ``Raw``), and
    ``contents`` as its /Contents unless None.

    A ``linkURL`` annotation is a ``PDFDictionary`` (its ``dict``); a
    ``linkRect`` one a ``LinkAnnotation``, which writes ``Contents`` and
    its ``otherkw`` and refuses a name its ``permitted`` lacks
    (``Annotation.AnnotationDict``); checked against ReportLab 5.1.0.
    """
    if isinstance(annot, pdfdoc.PDFDictionary):
        annot.dict.update(entries)
        if contents is not None:
            annot.dict["Contents"] = pdfdoc.PDFString(contents)
        return
    annot.permitted = _permitted(tuple(annot.permitted), tuple(entries))
    annot.otherkw.update(entries)
    if contents is not None:
        annot.Contents = contents


@functools.lru_cache(maxsize=64)
def _permitted(permitted: tuple, names: tuple) -> tuple:
    """Return the names an annotation permits, ``names`` added: one tuple for every annotation given the same names
    (a long report's thousands of link annotations held one each)."""
    return permitted + tuple(k for k in names if k not in permitted)


def set_dictionary_entries(obj, entries: dict) -> None:
    """Give the page or catalog ``obj`` the ``entries`` (name -> a value ReportLab writes: a number, a ``Raw``, a
    ``PDFName``; None drops the entry).

    ``PDFCatalog.format`` (pages inherit it) writes the names its
    ``__NoDefault__`` lists that are set on it; a name it lacks is added
    to the object's own copy of the list; checked against ReportLab 5.1.0.
    """
    listed = list(obj.__NoDefault__)
    for name, value in entries.items():
        if name not in listed:
            listed.append(name)
        setattr(obj, name, value)
    obj.__NoDefault__ = listed


def info_fields(canv) -> dict[str, str]:
    """Return the information dictionary the document ``canv`` draws would write, without its empty entries and
    /Trapped (which XMP cannot repeat), by name: "Title", ..., "CreationDate" ("D:20210616000000+00'00'").

    Relies on ``PDFInfo``'s fields (``title``, ``author``, ``subject``,
    ``keywords``, ``creator``, ``producer``, ``_dateFormatter``) and on
    ``PDFDocument._timeStamp``, as ``PDFInfo.format`` writes them;
    checked against ReportLab 5.1.0.
    """
    doc = canv._doc
    info = doc.info
    date = pdfdoc.PDFDate(ts=doc._timeStamp, dateFormatter=info._dateFormatter).format(doc).decode("latin-1")[1:-1]
    fields = {"Title": info.title, "Author": info.author, "Subject": info.subject, "Keywords": info.keywords,
              "Creator": info.creator, "Producer": info.producer, "CreationDate": date, "ModDate": date}
    return {k: v for k, v in fields.items() if v}


class _Info(pdfdoc.PDFObject):
    def __init__(self, fields: dict[str, str]):
        self.fields = fields

    def digest(self, md5) -> None:  # (what ReportLab's own writing makes its file /ID of, as ``PDFInfo.digest``)
        for value in self.fields.values():
            md5.update(value.encode("utf-8"))

    def format(self, document):
        return pdfdoc.PDFDictionary({k: pdfdoc.PDFString(v) for k, v in self.fields.items()}).format(document)


def set_info(canv, fields: dict[str, str]) -> None:
    """Make the document ``canv`` draws write ``fields`` (``info_fields``) as its information dictionary.

    Relies on ``PDFDocument.info``, the object ``GetPDFData`` numbers and the
    trailer names (set before ``objects_ready``); checked against ReportLab 5.1.0.
    """
    canv._doc.info = _Info(fields)


def tounicode_maps(canv) -> list:
    """Return the ToUnicode CMap streams of the document's TrueType subsets (their ``content``, text, may be replaced).

    Relies on the name ``TTFont.addObjects`` registers each under
    (``toUnicodeCMap:`` and the subset's name) in ``PDFDocument.idToObject``,
    once ``objects_ready``; checked against ReportLab 5.1.0.
    """
    objects = canv._doc.idToObject
    return [objects[name] for name in sorted(objects) if name.startswith("toUnicodeCMap:")]
