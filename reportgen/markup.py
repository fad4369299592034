"""Inline and block Markdown → the document markup the templates emit.

This is the one place user text becomes markup: every piece of text goes
through ``esc``, so ``<``, ``&`` and ``>`` in an outline print as written and
can never open an element. The vocabulary is the one ``compose.tree`` reads:
inline ``b i code a cite br``; blocks ``p ul ol li quote``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from .loader import CITE


def esc(text: object) -> str:
    """Return ``text`` escaped for use as XML text or an attribute value."""
    return str(escape(str(text)))


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt

    # commonmark, raw HTML off (it stays text), no typographer: text as typed.
    return MarkdownIt("commonmark", {"html": False})


# markdown-it token → markup, for tokens that carry no content of their own
_INLINE_TAGS = {
    "softbreak": " ",
    "hardbreak": "<br/>",
    "strong_open": "<b>",
    "strong_close": "</b>",
    "em_open": "<i>",
    "em_close": "</i>",
    "link_close": "</a>",
}
_BLOCK_TAGS = {
    "paragraph_open": "<p>",
    "paragraph_close": "</p>",
    "heading_open": '<p style="lead"><b>',
    "heading_close": "</b></p>",
    "bullet_list_open": "<ul>",
    "bullet_list_close": "</ul>",
    "ordered_list_close": "</ol>",
    "list_item_open": "<li>",
    "list_item_close": "</li>",
    "blockquote_open": "<quote>",
    "blockquote_close": "</quote>",
}


def _text(text: str, cites: dict[str, int]) -> str:
    out: list[str] = []
    pos = 0
    for m in CITE.finditer(text):
        out.append(esc(text[pos : m.start()]))
        n = cites.get(m.group(1))
        out.append(f'<cite n="{n}"/>' if n else esc(m.group(0)))
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def _inline_tokens(tokens, cites: dict[str, int]) -> str:
    out: list[str] = []
    pending: list[str] = []  # adjacent text tokens, joined so "[@id]" is seen whole
    for t in tokens:
        kind = t.type
        if kind == "text":
            pending.append(t.content)
            continue
        if pending:
            out.append(_text("".join(pending), cites))
            pending.clear()
        if kind in _INLINE_TAGS:
            out.append(_INLINE_TAGS[kind])
        elif kind == "code_inline":
            out.append(f"<code>{esc(t.content)}</code>")
        elif kind == "link_open":
            out.append(f'<a href="{esc(t.attrGet("href") or "")}">')
        elif kind == "image":
            out.append(esc(t.content or t.attrGet("alt") or ""))
        else:  # html_inline cannot occur (html off); anything else prints as its source
            out.append(esc(t.content))
    if pending:
        out.append(_text("".join(pending), cites))
    return "".join(out)


def inline(text: str, cites: dict[str, int] | None = None, memo: dict | None = None) -> Markup:
    """Return inline Markdown ``text`` as inline markup (bold, italic, code, links, citations).

    ``memo`` (one dict per outline and ``cites``) keeps results for texts seen before.
    """
    if not text:
        return Markup("")
    if not _NEEDS_MD.search(text):  # fast path: plain text
        return Markup(_text(text, cites or {}))
    key = ("inline", text)
    if memo is not None and key in memo:
        return memo[key]
    tokens = _md().parseInline(text)
    out = Markup(_inline_tokens(tokens[0].children or [], cites or {}))
    if memo is not None:
        memo[key] = out
    return out


_NEEDS_MD = re.compile(r"[*_`\[\]\\<&!\n]")


def blocks(text: str, cites: dict[str, int] | None = None, memo: dict | None = None) -> Markup:
    """Return Markdown ``text`` as block markup: paragraphs, lists, quotes.

    ``memo`` (one dict per outline and ``cites``) keeps results for texts seen before.
    """
    if not text or not text.strip():
        return Markup("")
    if memo is None:
        return _blocks(text, cites or {})
    key = ("blocks", text)
    if key not in memo:
        memo[key] = _blocks(text, cites or {})
    return memo[key]


def _blocks(text: str, cites: dict[str, int]) -> Markup:
    out: list[str] = []
    for t in _md().parse(text):
        kind = t.type
        if kind in _BLOCK_TAGS:
            out.append(_BLOCK_TAGS[kind])
        elif kind == "ordered_list_open":
            out.append(f'<ol start="{int(t.attrGet("start") or 1)}">')
        elif kind == "inline":
            out.append(_inline_tokens(t.children or [], cites))
        elif kind in ("fence", "code_block"):
            out.append(f"<p><code>{esc(t.content.rstrip(chr(10)))}</code></p>")
        # hr and html_block (off) carry no text worth keeping
    return Markup("".join(out))
