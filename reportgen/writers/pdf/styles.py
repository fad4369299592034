"""Fonts and paragraph styles of the PDF writer, made from a ``Theme``.

Every font is a TrueType file of the pack, registered with ReportLab under a
name derived from its path, so each one is embedded as a subset and no
base-14 font is ever used. ``make_kit`` returns a ``Kit``: the registered
faces, the colours and the ``ParagraphStyle``s the other modules draw with.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from ...compat.reportlab import LazyTTFont, glyph_map, parse_face, register_lazy
from ...errors import InputError, Problem
from ...fontcheck import FontError
from ...fontmetrics import checked, font_bytes
from ...i18n import english_text
from ...theme import Theme

_PAGE_SIZES = {"A4": A4, "letter": letter}


@dataclass(frozen=True)
class Face:
    """One registered family: ``family`` is what ``<font face=...>`` takes."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    label: str  # the regular font's file name, for messages

    def covers(self, char: str) -> bool:
        """Return True if the regular font of this face has a glyph for ``char``."""
        return ord(char) in glyph_map(self.regular)

    def covers_all(self, text: str) -> bool:
        """Return True if the regular font has a glyph for every character of ``text`` but white space."""
        return all(c.isspace() for c in set(text).difference(_characters(self.regular)))

    def has_every(self, text: str) -> bool:
        """Return True if the regular font has a glyph for every character of ``text``, white space too."""
        return _characters(self.regular).issuperset(text)


@functools.lru_cache(maxsize=64)
def _characters(font_name: str) -> frozenset[str]:
    """Return the characters the registered font ``font_name`` has a glyph for (its name changes with its file)."""
    return frozenset(map(chr, glyph_map(font_name)))


@dataclass
class Kit:
    """What the PDF builders need: faces, colours, styles and the frame size."""

    theme: Theme
    body: Face
    heading: Face
    mono: Face
    colour: dict[str, colors.Color]
    chart_colours: list[colors.Color]
    styles: dict[str, ParagraphStyle] = field(default_factory=dict)
    page_size: tuple[float, float] = A4
    frame_width: float = 0.0
    frame_height: float = 0.0
    fallback_families: list[str] = field(default_factory=list)  # theme fonts.fallback, in order
    text: Callable[..., str] = field(default=english_text)  # the document's fixed texts (``Meta.text``): text("table", n=2)
    _fallbacks: list[Face] | None = None

    @property
    def fallbacks(self) -> list[Face]:
        """The fallback faces, in order, registered the first time a text needs one.

        Most documents never do, and the fallback fonts are the largest to
        parse (DejaVu Sans: two thirds of the pack's font parsing time).
        """
        if self._fallbacks is None:
            self._fallbacks = [register_face(self.theme, "", family=name) for name in self.fallback_families]
        return self._fallbacks

    def font_names(self) -> list[str]:
        """The name of every font this kit registered: its faces' four styles, and the fallbacks' once registered."""
        faces = [self.body, self.heading, self.mono, *(self._fallbacks or ())]
        return list(dict.fromkeys(n for f in faces for n in (f.regular, f.bold, f.italic, f.bold_italic)))

    def fallback_for(self, char: str, face: Face) -> Face | None:
        """The face to set ``char`` in when ``face`` lacks it: the first fallback that has it, or None."""
        if face.covers(char):
            return None
        return next((f for f in self.fallbacks if f.covers(char)), None)

    def font_for(self, text: str, font: str) -> str:
        """A registered font name to draw ``text`` with on the canvas (one font per string).

        ``font`` itself when it has every character; otherwise the first fallback
        font (of the same weight) that has them all, or that has the most of them.
        """
        chars = {c for c in text if not c.isspace()}
        have = glyph_map(font)
        if all(ord(c) in have for c in chars):
            return font
        best, best_n = font, sum(ord(c) in have for c in chars)
        bold = font in (self.body.bold, self.heading.bold, self.mono.bold)
        for f in self.fallbacks:
            name = f.bold if bold else f.regular
            cmap = glyph_map(name)
            n = sum(ord(c) in cmap for c in chars)
            if n > best_n:
                best, best_n = name, n
        return best


def _interruption(exc: BaseException) -> BaseException | None:
    """Return the KeyboardInterrupt (Ctrl-C, or SIGTERM as ``errors.Terminated``) that ``exc`` was raised while handling, if any."""
    seen = set()
    ctx = exc.__context__
    while ctx is not None and id(ctx) not in seen:
        if isinstance(ctx, KeyboardInterrupt):
            return ctx
        seen.add(id(ctx))
        ctx = ctx.__context__
    return None


def _font_name(path: str) -> str:
    """Return the name the font file at ``path`` is registered under: its path and its identity (size, modification
    time), so that a file replaced while a process lives on (``reportgen watch``) is registered anew, never taken for
    the one registered before. (The name is ReportLab's key only: the PDF names a font by its PostScript name.)"""
    try:
        st = os.stat(path)
        ident = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        ident = ""  # (reading it fails next, with the error the user sees)
    return "rg-" + hashlib.sha1(f"{path}\0{ident}".encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _register_file(theme: Theme, rel: str) -> str:
    """Return the name the pack's font ``rel`` is registered under with ReportLab (registered once per process).

    The file is checked now (``fontmetrics.checked``: not even read if this
    very file was checked when the theme was loaded): a file that is not a
    TrueType font is an ``InputError`` here. ReportLab parses it the first
    time the font is used (``LazyTTFont``: a document uses few of the pack's
    fonts), from its bytes read then, and checked again if the file changed
    (``font_bytes``): a font never used is never read by the writer, and
    none's bytes are held before it is used. Anything that goes wrong there
    is an ``InputError`` naming the font, raised by the writer
    (``font_errors``), never a traceback.
    """
    path = theme.path(rel)
    name = _font_name(path)
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    with _reading(theme, rel, path):
        checked(path)
    register_lazy(LazyTTFont(name, functools.partial(_parse, theme, rel, path)))
    return name


def _parse(theme: Theme, rel: str, path: str):
    """Return ReportLab's face of the pack's font ``rel`` (at ``path``), parsed from its bytes as read (and checked) now."""
    with _reading(theme, rel, path):
        return parse_face(font_bytes(path), path)


@contextlib.contextmanager
def _reading(theme: Theme, rel: str, path: str):
    """Turn what goes wrong reading the pack's font ``rel`` (at ``path``) into an ``InputError`` naming it; Ctrl-C stays Ctrl-C."""
    try:
        yield
    except FontError as exc:
        raise _font_error(theme, rel, f"{exc.reason}; use a .ttf file") from None
    except Exception as exc:  # ReportLab's TTFError, struct.error, KeyError ...: the file, not reportgen
        interrupted = _interruption(exc)
        if interrupted is not None:  # Ctrl-C or SIGTERM arrived while ReportLab read the font: a bare except there made it a TTFError
            raise interrupted from None
        detail = " ".join(str(exc).replace(path, rel).split())[:160]
        raise _font_error(theme, rel, f"cannot be read by the PDF writer ({type(exc).__name__}: {detail}); use a .ttf file") from None


@contextlib.contextmanager
def font_errors(kit: Kit):
    """Raise the ``InputError`` of a font of ``kit`` that failed to parse while the block ran, whatever was raised.

    ReportLab may catch the font's error on its way out and raise another
    exception in its place (``KeepTogether.wrap`` re-makes it with its own
    message; its C accelerator makes an AttributeError of anything, Ctrl-C
    included): the font, not the exception, says what went wrong.
    """
    before = {}
    for name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
        font.__dict__.pop("interrupted", None)  # (one left by an interruption that reached the caller as itself)
        before[name] = getattr(font, "failed", 0)
    try:
        yield
    except Exception:
        fonts = [pdfmetrics.getFont(name) for name in kit.font_names()]  # (a fallback font may have been registered meanwhile)
        for font in fonts:
            interrupted = font.__dict__.pop("interrupted", None)
            if interrupted is not None:  # Ctrl-C or SIGTERM while ReportLab parsed it
                raise interrupted from None
        for font in fonts:
            if getattr(font, "failed", 0) > before.get(font.fontName, 0):
                raise font.failure from None
        raise


def _font_error(theme: Theme, rel: str, message: str) -> InputError:
    """Return the ``InputError`` for the pack's font ``rel``, located at the pack's theme.yaml."""
    where = os.path.join(theme.root, "theme.yaml")
    shown = os.path.relpath(where)
    return InputError(Problem(where if shown.startswith(os.pardir) else shown, 0, 0, f"font {rel!r} {message}"))


def register_face(theme: Theme, role: str, family: str = "") -> Face:
    """Register the TTF family of ``role`` (all four styles) and return its ``Face``.

    Missing styles fall back: bold and italic to regular, bold italic to bold,
    then italic, then regular, so ``<b>`` and ``<i>`` never reach a base-14 font.
    Raise ``InputError`` naming the font if ReportLab cannot use one.
    """
    fam = theme.fonts.families[family] if family else theme.family(role)
    regular = _register_file(theme, fam.regular)
    bold = _register_file(theme, fam.bold) if fam.bold else regular
    italic = _register_file(theme, fam.italic) if fam.italic else regular
    if fam.bold_italic:
        bold_italic = _register_file(theme, fam.bold_italic)
    else:
        bold_italic = bold if fam.bold else italic
    name = "rgf-" + hashlib.sha1("|".join((regular, bold, italic, bold_italic)).encode()).hexdigest()[:12]
    pdfmetrics.registerFontFamily(name, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic)
    return Face(name, regular, bold, italic, bold_italic, os.path.basename(fam.regular))


def hex_colour(value: str) -> colors.Color:
    return colors.HexColor(value)


def make_kit(theme: Theme) -> Kit:
    """Register the theme's fonts and build every style the writer uses."""
    pal = theme.palette
    colour = {k: hex_colour(getattr(pal, k)) for k in ("primary", "secondary", "accent", "text", "muted", "light", "rule", "background")}
    colour["marking"] = hex_colour(theme.marking.colour)
    colour["white"] = colors.white
    kit = Kit(
        theme=theme,
        body=register_face(theme, "report_body"),
        heading=register_face(theme, "report_heading"),
        mono=register_face(theme, "mono"),
        colour=colour,
        chart_colours=[hex_colour(c) for c in pal.chart],
        fallback_families=list(theme.fonts.fallback),
    )
    w, h = _PAGE_SIZES[theme.page.size]
    m = theme.page.margins
    kit.page_size = (w, h)
    kit.frame_width = w - m.left - m.right
    kit.frame_height = h - m.top - m.bottom
    kit.styles = _styles(kit)
    return kit


def _styles(kit: Kit) -> dict[str, ParagraphStyle]:
    sz = kit.theme.sizes
    c = kit.colour
    body, head = kit.body, kit.heading
    lead = sz.leading
    s: dict[str, ParagraphStyle] = {}

    def add(name: str, **kw) -> None:
        kw.setdefault("fontName", body.regular)
        kw.setdefault("fontSize", sz.body)
        kw.setdefault("leading", kw["fontSize"] * lead)
        kw.setdefault("textColor", c["text"])
        kw.setdefault("bulletFontName", kw["fontName"])
        kw.setdefault("allowWidows", 0)  # no last line alone at the top of a page
        kw.setdefault("allowOrphans", 0)  # no first line alone at the bottom
        s[name] = ParagraphStyle(name, **kw)

    add("body", spaceAfter=sz.body * 0.75)
    add("lead", fontSize=sz.body * 1.2, leading=sz.body * 1.2 * 1.35, textColor=c["primary"], spaceAfter=sz.body)
    add("small", fontSize=sz.small, textColor=c["muted"], spaceAfter=sz.small * 0.7)
    add("note", fontName=body.italic, fontSize=sz.small, textColor=c["muted"], spaceAfter=sz.small * 0.7)
    add("list", spaceAfter=sz.body * 0.3)
    add("h1", fontName=head.bold, fontSize=sz.h1, leading=sz.h1 * 1.2, textColor=c["primary"], spaceBefore=sz.h1 * 1.1, spaceAfter=4)
    add("h2", fontName=head.bold, fontSize=sz.h2, leading=sz.h2 * 1.25, textColor=c["primary"], spaceBefore=sz.h2 * 0.9, spaceAfter=sz.h2 * 0.4)
    add("h3", fontName=head.bold, fontSize=sz.h3, leading=sz.h3 * 1.3, textColor=c["secondary"], spaceBefore=sz.h3 * 0.8, spaceAfter=sz.h3 * 0.3)
    add("toc_title", fontName=head.bold, fontSize=sz.h1, leading=sz.h1 * 1.2, textColor=c["primary"], spaceAfter=4)
    add("toc0", fontName=head.bold, fontSize=sz.body, leading=sz.body * 1.5, textColor=c["primary"], spaceBefore=7, leftIndent=0, rightIndent=30)
    add("toc1", fontName=head.regular, fontSize=sz.body - 0.5, leading=(sz.body - 0.5) * 1.5, leftIndent=26, rightIndent=30)
    add("toc2", fontName=head.regular, fontSize=sz.small, leading=sz.small * 1.5, textColor=c["muted"], leftIndent=52, rightIndent=30)
    add("caption", fontName=head.regular, fontSize=sz.small + 0.5, leading=(sz.small + 0.5) * 1.3, textColor=c["primary"], spaceBefore=4, spaceAfter=5)
    add("footnote", fontSize=sz.small, leading=sz.small * 1.3, spaceAfter=0, allowOrphans=1, allowWidows=1)
    add("source", fontName=head.regular, fontSize=sz.small - 1, leading=(sz.small - 1) * 1.3, textColor=c["muted"], spaceBefore=3, spaceAfter=sz.body)
    for name, align in (("cell", TA_LEFT), ("cell_right", TA_RIGHT), ("cell_center", TA_CENTER)):
        add(name, fontName=head.regular, fontSize=sz.table, leading=sz.table * 1.3, alignment=align)
        add(name.replace("cell", "head"), fontName=head.bold, fontSize=sz.table, leading=sz.table * 1.3, textColor=c["white"], alignment=align)
    add("callout_title", fontName=head.bold, fontSize=sz.body, leading=sz.body * 1.3, textColor=c["primary"], spaceAfter=5)
    add("quote", fontName=body.italic, fontSize=sz.body + 0.5, leading=(sz.body + 0.5) * lead, textColor=c["secondary"], spaceAfter=4)
    add("attribution", fontName=head.regular, fontSize=sz.small, textColor=c["muted"], spaceBefore=2)
    add("pull", fontName=body.italic, fontSize=sz.body * 1.55, leading=sz.body * 1.55 * 1.3, textColor=c["primary"], rightIndent=36, spaceAfter=4)
    add("pull_attribution", fontName=head.bold, fontSize=sz.small, leading=sz.small * 1.4, textColor=c["muted"], spaceBefore=2)
    add("placeholder", fontName=head.regular, fontSize=sz.small, textColor=c["muted"], alignment=TA_CENTER)
    # cover
    add("cover_title", fontName=head.bold, fontSize=sz.cover_title, leading=sz.cover_title * 1.12, textColor=c["white"])
    add("cover_subtitle", fontName=head.regular, fontSize=sz.cover_subtitle, leading=sz.cover_subtitle * 1.3, textColor=c["light"])
    add("cover_date", fontName=head.bold, fontSize=12, leading=16, textColor=c["primary"])
    add("cover_author", fontName=head.regular, fontSize=11, leading=15, textColor=c["muted"])
    return s
