"""Inline nodes to ReportLab paragraph markup, with one escaping helper.

User text (``Text``, ``Code``, link targets, titles) only ever reaches
ReportLab markup through ``esc``, so ``<b>``, ``&`` or ``>`` typed by a user
print verbatim and cannot change the structure of a paragraph.
"""

from __future__ import annotations

import re

from ..doctree import Cite, Code, Emph, Inline, LineBreak, Link, Strong, Text
from .pdf_styles import Face, Kit

# C0/C1 control characters other than tab and newline have no glyph and may
# upset the PDF text operators: drop them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def esc(text: str) -> str:
    """Return ``text`` escaped for ReportLab paragraph markup (also inside attribute values)."""
    text = _CONTROL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def colour_hex(colour) -> str:
    """Return a ReportLab colour as ``#RRGGBB`` for markup attributes."""
    return "#" + colour.hexval()[2:].upper()


class InlineRenderer:
    """Turns inline nodes into markup; records missing glyphs and dangling citations."""

    def __init__(self, kit: Kit, sources: set[int], anchors: set[str] = frozenset()):
        self.kit = kit
        self.sources = sources  # source numbers that have a destination "source-N"
        self.anchors = set(anchors) | {f"source-{n}" for n in sources}  # targets of "#name" links
        self.broken: set[str] = set()
        self.link_colour = colour_hex(kit.colour["secondary"])
        self.missing: dict[str, set[str]] = {}  # font label -> characters without a glyph
        self.dangling: set[int] = set()
        self._face: Face = kit.body

    def markup(self, inlines: list[Inline], face: Face | None = None) -> str:
        """Return the paragraph markup of ``inlines`` (set in ``face``, for the glyph check)."""
        self._face = face or self.kit.body
        return "".join(self._node(n, in_link=False) for n in inlines)

    def text(self, text: str, face: Face | None = None) -> str:
        """Return markup for plain ``text`` (escaped and glyph-checked)."""
        self._check(text, face or self.kit.body)
        return esc(text)

    def _check(self, text: str, face: Face) -> None:
        for ch in set(text):
            if not ch.isspace() and not face.covers(ch):
                self.missing.setdefault(face.label, set()).add(ch)

    def _node(self, node: Inline, in_link: bool) -> str:
        if isinstance(node, Text):
            return self.text(node.text, self._face)
        if isinstance(node, Strong):
            return "<b>" + "".join(self._node(n, in_link) for n in node.children) + "</b>"
        if isinstance(node, Emph):
            return "<i>" + "".join(self._node(n, in_link) for n in node.children) + "</i>"
        if isinstance(node, Code):
            self._check(node.text, self.kit.mono)
            return f'<font face="{self.kit.mono.regular}" size="-0.5">{esc(node.text)}</font>'
        if isinstance(node, Link):
            inner = "".join(self._node(n, True) for n in node.children) or esc(node.href)
            href = node.href.strip()
            if href.startswith("#") and href[1:] not in self.anchors:
                # ReportLab would fail at save on a link to an undefined destination.
                self.broken.add(href)
                return inner
            if href.lower().startswith("www."):
                href = "https://" + href
            if in_link or not href:
                return inner
            return f'<a href="{esc(href)}" color="{self.link_colour}">{inner}</a>'
        if isinstance(node, Cite):
            label = f"[{node.number}]"
            if node.number not in self.sources:
                self.dangling.add(node.number)
                return label
            if in_link:
                return label
            return f'<a href="#source-{node.number}" color="{self.link_colour}">{label}</a>'
        if isinstance(node, LineBreak):
            return "<br/>"
        raise TypeError(f"unknown inline node {type(node).__name__}")

    def warnings(self) -> list[str]:
        out = []
        for label, chars in sorted(self.missing.items()):
            shown = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(chars)[:12])
            out.append(f"pdf: font {label} has no glyph for: {shown}; these print as blanks")
        if self.dangling:
            nums = ", ".join(str(n) for n in sorted(self.dangling))
            out.append(f"pdf: citation [{nums}] has no entry in the sources list; not linked")
        if self.broken:
            out.append(f"pdf: link target {', '.join(sorted(self.broken))} names no section; not linked")
        return out
