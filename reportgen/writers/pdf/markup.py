"""Inline nodes to ReportLab paragraph markup, with one escaping helper.

User text (``Text``, ``Code``, link targets, titles) only ever reaches
ReportLab markup through ``esc``, so ``<b>``, ``&`` or ``>`` typed by a user
print verbatim and cannot change the structure of a paragraph.
"""

from __future__ import annotations

import unicodedata

from reportlab.pdfbase.pdfmetrics import stringWidth

from ...doctree import Cite, Code, Emph, Inline, LineBreak, Link, Note, Span, Strong, Text, plain, unknown_node
from ...errors import Problem, warning
from ...links import is_safe
from .styles import Face, Kit
from .tags import Tree, link_points, span_points


def esc(text: str) -> str:
    """Return ``text`` escaped for ReportLab paragraph markup (also inside attribute values).

    Control characters never reach a writer (``markup.strip_controls``, applied when composing).
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def colour_attr(colour) -> str:
    """Return a ReportLab colour for markup attributes: ``rgb(62,106,138)``, the colour ``#3E6A8A`` reads as.

    ReportLab's ``toColor`` reads the CSS form first; a ``#RRGGBB`` it reads
    last, after trying it as a Python literal and an expression (a failed
    compile each time: 4x the time, for every link and contents number).
    """
    value = int(colour.hexval(), 16)
    return f"rgb({value >> 16},{(value >> 8) & 255},{value & 255})"


def fallback_markup(text: str, face: Face, kit: Kit, missing: dict[str, set[str]] | None = None, bold: bool = False, italic: bool = False) -> str:
    """Return ``text`` escaped for paragraph markup, each run of characters ``face`` lacks
    wrapped in ``<font face=...>`` of the first fallback family that has them.

    ``bold`` and ``italic`` give the style in force there (a ``<font face>``
    resets it, so the fallback's matching style is named). Characters no font
    has are recorded in ``missing`` (font label -> characters).
    """
    if face.covers_all(text):  # the common case: one run in ``face``, nothing to look up per character
        return esc(text)
    out: list[str] = []
    run: list[str] = []
    current: Face | None = None
    for ch in text:
        fb = None if ch.isspace() else kit.fallback_for(ch, face)
        if fb is None and not ch.isspace() and not face.covers(ch):
            if unicodedata.category(ch) == "Cf":  # an invisible format character (bidi isolates, U+0600…) no font draws: left out
                continue
            if missing is not None:
                missing.setdefault(face.label, set()).add(ch)
        if fb is not current and not ch.isspace():
            _flush(out, run, current, bold, italic)
            run, current = [], fb
        run.append(ch)
    _flush(out, run, current, bold, italic)
    return "".join(out)


def _flush(out: list[str], run: list[str], face: Face | None, bold: bool, italic: bool) -> None:
    if run:
        text = esc("".join(run))
        if face is None:
            out.append(text)
        else:
            out.append(f'<font face="{_variant(face, bold, italic)}">{text}</font>')


def _variant(face: Face, bold: bool, italic: bool) -> str:
    """The font of ``face`` in the style in force (bold, italic, both or neither)."""
    return (face.bold_italic if italic else face.bold) if bold else (face.italic if italic else face.regular)


def _style_flags(style, face: Face) -> tuple[bool, bool]:
    """(bold, italic) of a paragraph style's font within ``face``; (False, False) without a style."""
    font = getattr(style, "fontName", None)
    if not font:
        return False, False
    return font in (face.bold, face.bold_italic), font in (face.italic, face.bold_italic)


NOTE_CALLBACK = "rg_note"  # the <onDraw> name a footnote mark carries: ``footnotes`` finds marks by it


def note_mark(number: int) -> str:
    """A footnote's mark in paragraph markup: its number raised, and a zero-width marker that names it
    (``footnotes.marks_in`` finds it in whichever part of a split paragraph holds it)."""
    return f'<super>{number}</super><onDraw name="{NOTE_CALLBACK}" label="{number}"/>'


class InlineRenderer:
    """Turns inline nodes into markup; records missing glyphs and dangling citations."""

    def __init__(self, kit: Kit, sources: set[int], anchors: set[str] = frozenset(), tree: Tree | None = None):
        self.kit = kit
        self.tree = tree  # a tagged document's structure: each link's text is marked (``link``)
        self.sources = sources  # source numbers that have a destination "source-N"
        self.anchors = set(anchors) | {f"source-{n}" for n in sources}  # targets of "#name" links
        self.broken: set[str] = set()
        self.link_colour = colour_attr(kit.colour["secondary"])
        self._link_attrs = f' color="{self.link_colour}"'  # (``markup``: on a dark background, underlined instead)
        self.missing: dict[str, set[str]] = {}  # font label -> characters without a glyph
        self.dangling: set[int] = set()
        self.notes: set[int] = set()  # footnote numbers whose mark was set (``footnotes``)
        self._face: Face = kit.body
        self._bold = self._italic = False

    def markup(self, inlines: list[Inline], face: Face | None = None, style=None, on_dark: bool = False) -> str:
        """Return the paragraph markup of ``inlines`` set in ``face`` (its style's font: ``style``); ``on_dark``: on a dark
        background (a table's header row), where links keep the text's colour and are underlined instead."""
        self._face = face or self.kit.body
        self._bold, self._italic = _style_flags(style, self._face)
        self._link_attrs = ' underline="1"' if on_dark else f' color="{self.link_colour}"'
        try:
            return "".join(self._node(n, in_link=False) for n in inlines)
        finally:
            self._link_attrs = f' color="{self.link_colour}"'  # (``link`` called alone, for an address: in the link colour)

    def plain_spans(self, inlines: list[Inline], face: Face | None = None, style=None) -> str:
        """Return the markup of ``inlines`` as plain text (``plain``'s, a line break a space), but for their language
        spans, which stay marked in a tagged document: a contents entry says its heading's words in their language."""
        self._face = face or self.kit.body
        self._bold, self._italic = _style_flags(style, self._face)

        def walk(nodes: list[Inline]) -> str:
            out = []
            for n in nodes:
                if isinstance(n, Span):
                    inner = walk(n.children)
                    if self.tree is not None and inner:
                        start, end = span_points(self.tree, n.lang)
                        inner = f"{start}{inner}{end}"
                    out.append(inner)
                elif isinstance(n, (Strong, Emph, Link)):
                    out.append(walk(n.children))
                else:
                    out.append(self._plain(plain([n]).replace("\n", " ")))
            return "".join(out)

        return walk(inlines)

    def text(self, text: str, face: Face | None = None, style=None) -> str:
        """Return markup for plain ``text``: escaped, and a character ``face`` lacks set in a fallback font."""
        face = face or self.kit.body
        bold, italic = _style_flags(style, face) if style is not None else (self._bold, self._italic)
        return fallback_markup(text, face, self.kit, self.missing, bold, italic)

    def characters(self, text: str, face: Face, style) -> list[tuple[str, float]]:
        """Each character of ``text`` as ``text`` would set it in ``face`` and paragraph style ``style``:
        its markup (escaped; in a fallback font where ``face`` lacks it) and its width, for breaking
        a line where this writer chooses (``address``)."""
        bold, italic = _style_flags(style, face)
        if face.has_every(text):  # (the common case, a web address: every character in ``face``, none to look up)
            font = _variant(face, bold, italic)
            return [(esc(ch), stringWidth(ch, font, style.fontSize)) for ch in text]
        out = []
        for ch in text:
            shown = fallback_markup(ch, face, self.kit, self.missing, bold, italic)
            font = _variant(self.kit.fallback_for(ch, face) or face, bold, italic)
            out.append((shown, stringWidth(ch, font, style.fontSize) if shown else 0.0))
        return out

    def _plain(self, text: str) -> str:
        return fallback_markup(text, self._face, self.kit, self.missing, self._bold, self._italic)

    def link(self, href: str, text: str) -> tuple[str, str]:
        """Return the markup that opens and closes a link to ``href`` (which must be safe: ``links.is_safe``) showing ``text``.

        In a tagged document the link's text is marked where it starts and
        ends (zero-width ``<onDraw>`` points, ``tags.Tagger.on_draw``; the
        paragraph takes out those of a link holding only text, which are
        written as ReportLab draws it: ``tags.lift_links``), so that its Link
        element holds it.
        """
        if not is_safe(href):  # composing refuses these; never write one as an action
            raise ValueError(f"unsafe link target reached the PDF writer: {href[:80]!r}")
        opening, closing = f'<a href="{esc(href)}"{self._link_attrs}>', "</a>"
        if self.tree is None:
            return opening, closing
        start, end = link_points(self.tree, href, text)
        return start + opening, closing + end

    def _node(self, node: Inline, in_link: bool) -> str:
        if isinstance(node, Text):
            return fallback_markup(node.text, self._face, self.kit, self.missing, self._bold, self._italic)
        if isinstance(node, (Strong, Emph)):
            tag, saved = ("b" if isinstance(node, Strong) else "i"), (self._bold, self._italic)
            if tag == "b":
                self._bold = True
            else:
                self._italic = True
            inner = "".join(self._node(n, in_link) for n in node.children)
            self._bold, self._italic = saved
            return f"<{tag}>{inner}</{tag}>"
        if isinstance(node, Code):
            code = fallback_markup(node.text, self.kit.mono, self.kit, self.missing, self._bold, self._italic)
            return f'<font face="{self.kit.mono.regular}" size="-0.5">{code}</font>'
        if isinstance(node, Link):
            inner = "".join(self._node(n, True) for n in node.children) or esc(node.href)
            href = node.href
            if in_link or not href:
                return inner
            if not is_safe(href):  # composing refuses these; never write one as an action
                raise ValueError(f"unsafe link target reached the PDF writer: {href[:80]!r}")
            if href.startswith("#") and href[1:] not in self.anchors:
                # ReportLab would fail at save on a link to an undefined destination.
                self.broken.add(href)
                return inner
            opening, closing = self.link(href, plain(node.children) or href)
            return f"{opening}{inner}{closing}"
        if isinstance(node, Cite):
            out = [self._plain(node.prefix + " ")] if node.prefix else []
            for text, number in node.parts():
                shown = self._plain(text)
                if number and number not in self.sources:
                    self.dangling.add(number)
                elif number and not in_link:
                    opening, closing = self.link(f"#source-{number}", text)
                    shown = f"{opening}{shown}{closing}"
                out.append(shown)
            return "".join(out)
        if isinstance(node, Note):
            self.notes.add(node.number)
            return note_mark(node.number)
        if isinstance(node, LineBreak):
            return "<br/>"
        if isinstance(node, Span):  # in a tagged document its text is marked where it starts and ends: a Span with its /Lang
            inner = "".join(self._node(n, in_link) for n in node.children)
            if self.tree is None or not inner:
                return inner
            start, end = span_points(self.tree, node.lang)
            return f"{start}{inner}{end}"
        raise unknown_node(node)

    def warnings(self) -> list[Problem]:
        """Return what the inline text lacked, once per kind: glyphs, sources cited, link targets."""
        out = []
        for label, chars in sorted(self.missing.items()):
            shown = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(chars)[:12])
            fallbacks = ", ".join(f.label for f in self.kit.fallbacks) or "none in the theme"
            out.append(warning("", f"font {label} has no glyph for: {shown} (fallback fonts: {fallbacks}); these print as blanks", "glyph-missing"))
        if self.dangling:
            nums = ", ".join(str(n) for n in sorted(self.dangling))
            out.append(warning("", f"citation [{nums}] has no entry in the sources list; not linked", "cite-dangling"))
        if self.broken:
            out.append(warning("", f"link target {', '.join(sorted(self.broken))} names no section; not linked", "link-broken"))
        return out
