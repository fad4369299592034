"""Inline and block Markdown → the document markup the templates emit.

This is the one place user text becomes markup: every piece of text goes
through ``esc``, so ``<``, ``&`` and ``>`` in an outline print as written and
can never open an element, and characters XML cannot hold (control
characters, also when written as Markdown entities such as ``&#12;``) are
dropped. The vocabulary is the one ``compose.tree`` reads: inline
``b i code a cite br``; blocks ``p ul ol li quote``. Link targets are taken
as written; ``links.link_problem`` judges them (the loader, with the
outline's line and column, through ``markdown_problems``; the tree, again).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from .links import link_problem, normalise

CITE = re.compile(r"\[@([A-Za-z0-9_.:-]+)\]")
# What XML 1.0 cannot hold, or what prints nothing and may upset a reader: C0 controls but
# tab, newline and return; DEL and C1 controls; surrogates; U+FFFE and U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_NESTING = 16  # emphasis, strong and links inside each other; deeper marks are dropped (the text stays)


def strip_controls(text: str) -> str:
    """Return ``text`` without the characters no document holds: control characters (but tab, newline,
    return), DEL and C1, surrogates, U+FFFE and U+FFFF. The one rule, for every output."""
    return _NOT_TEXT.sub("", text)


def esc(text: object) -> str:
    """Return ``text`` escaped for use as XML text or an attribute value, without characters XML cannot hold."""
    return str(escape(strip_controls(str(text))))


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt

    # commonmark, raw HTML off (it stays text), no typographer: text as typed.
    md = MarkdownIt("commonmark", {"html": False})
    # Keep every link: reportgen's own rule (links.link_problem) decides, and says where.
    # markdown-it's default would turn javascript: and three other schemes into literal text.
    md.validateLink = lambda url: True
    return md


def ascii_link(href: str) -> str:
    """Return link target ``href`` in ASCII, as Markdown links are: the host in punycode, the rest percent-encoded.

    PDF link actions hold ASCII only (a ``/URI`` in Latin-1 or UTF-16 breaks
    in viewers), and decks are read by tools that expect the same.
    """
    return href if href.isascii() else _md().normalizeLink(href)


MAX_LIST_START = 32767  # the largest number a numbered list may start at (PowerPoint's limit)
_BIG_START = re.compile(r"^[ \t>*+\-]*\d{5,}[.)]", re.M)  # a line that may open a numbered list past 9999


def markdown_problems(text: str, block: bool = False) -> list[str]:
    """Return what is wrong in the Markdown ``text`` as ``inline``/``blocks`` would read it: link
    targets ``links.link_problem`` refuses, numbered lists starting past ``MAX_LIST_START``.

    ``block``: read ``text`` as a body (``blocks``), where reference
    definitions (``[x]: url``) also make links and lists are blocks.
    """
    if not text or ("](" not in text and "<" not in text and not (block and ("]:" in text or _BIG_START.search(text)))):
        return []
    problems: list[str] = []
    for t in _md().parse(text) if block else _md().parseInline(text):
        if t.type == "ordered_list_open" and int(t.attrGet("start") or 1) > MAX_LIST_START:
            problems.append(f"a numbered list starts at {int(t.attrGet('start')):,}; numbered lists start at 0 to {MAX_LIST_START:,}")
        for child in t.children or []:
            if child.type == "link_open":
                why = link_problem(normalise(child.attrGet("href") or ""))
                if why:
                    problems.append(why)
    return problems


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


def plain_cites(text: str, cites: dict[str, int] | None = None) -> str:
    """Return plain ``text`` (no Markdown) with each citation of a known source as its number: ``[@sipri2021]`` → ``[6]``.

    For text a template sets plainly (chart titles, labels, units, sources),
    where a citation cannot be a link. The loader refuses unknown ones.
    """
    if "[@" not in text:
        return text
    cites = cites or {}
    return CITE.sub(lambda m: f"[{cites[m.group(1)]}]" if m.group(1) in cites else m.group(0), text)


def _inline_tokens(tokens, cites: dict[str, int]) -> str:
    out: list[str] = []
    pending: list[str] = []  # adjacent text tokens, joined so "[@id]" is seen whole
    depth = 0  # open emphasis, strong and links; past MAX_NESTING their marks are dropped
    for t in tokens:
        kind = t.type
        if kind == "text":
            pending.append(t.content)
            continue
        if pending:
            out.append(_text("".join(pending), cites))
            pending.clear()
        if t.nesting:
            depth += t.nesting
            if (depth if t.nesting > 0 else depth + 1) > MAX_NESTING:
                continue
        if kind in _INLINE_TAGS:
            out.append(_INLINE_TAGS[kind])
        elif kind == "code_inline":
            out.append(f"<code>{esc(t.content)}</code>")
        elif kind == "link_open":
            out.append(f'<a href="{esc(normalise(t.attrGet("href") or ""))}">')
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
