"""Inline and block Markdown → the document markup the templates emit.

This is the one place user text becomes markup: every piece of text goes
through ``esc``, so ``<``, ``&`` and ``>`` in an outline print as written and
can never open an element, and characters XML cannot hold (control
characters, also when written as Markdown entities such as ``&#12;``) are
dropped. The vocabulary is the one ``compose.tree`` reads: inline
``b i code a cite ref note br span``; blocks ``p ul ol li quote``. Link targets
are taken as written; ``links.link_problem`` judges them (the loader, with
the outline's line and column, through ``markdown_problems``; the tree, again).

Beyond CommonMark, pandoc's inline features, in every text:

- **citations**: ``[@id]``, ``[@a; @b]``, ``[@id, p. 12]``, ``[see @id, pp. 3-4]``,
  ``[@a, ch. 2; @b]`` and in-text ``@id`` (an ``@`` after a character that is
  not a letter, digit or ``_``, then a key of those and internal punctuation
  ``:.#$%&-+?<>~/``, or any key in braces, ``@{key}``; so ``name@example.org``
  is no citation, and ``\\@`` is a plain ``@``). Prefix and locator are plain text; a hyphen between digits in a
  locator prints as an en dash. Inside a link or code a citation stays text.
- **footnotes**: ``^[note text]`` (pandoc's inline note), inline Markdown and
  citations inside; a footnote inside a footnote is an error (``markdown_problems``).
- **bare addresses**: ``https://…``, ``http://…`` and ``mailto:…`` become links
  (trailing punctuation and an unmatched closing bracket stay outside), judged
  by ``links.link_problem`` like any link.
- **spans in another language**: ``[Владимир Путин]{lang=ru}`` (pandoc's
  bracketed span; ``lang="ru"`` too) becomes ``<span lang="ru">``, holding any
  inline Markdown (emphasis, links, citations, notes); the tag must be a
  well-formed BCP 47 one (``i18n.is_language_tag``). A span's other attributes
  (classes, ids, other keys) are ignored; the loader refuses a bad tag and
  warns of what is ignored, at its place (``spans``, ``span_attributes``).

Straight quotes typed in text become the language's typographic ones when
``inline``/``blocks`` are given ``Quotes`` (the pack's ``quotes`` strings):
markdown-it's own smartquotes algorithm (``compat.markdown_it``), per language,
so a span in another language has its marks; an apostrophe becomes ’. Code,
escapes (``\\"``), link targets and bare addresses keep their straight quotes.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dataclasses import dataclass

from markupsafe import Markup, escape

from .doctree import Cite, CiteRef
from .i18n import is_language_tag
from .links import link_problem, normalise

CITE = re.compile(r"\[@([A-Za-z0-9_.:-]+)\]")  # the simplest citation, [@id]; ``citations`` finds every form
# pandoc's citation key: a letter, digit or _, then those and punctuation followed by one of them
_KEY = r"\w(?:\w|[:.#$%&+?<>~/-](?=\w))*"
_BRACED = r"\{([^{}\s]+)\}"  # pandoc's @{key} for a key of other characters (a URL, say)
_IN_TEXT = re.compile(r"(?<!\w)@(?:" + _BRACED + "|(" + _KEY + "))")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_ITEM = re.compile(r"\s*(?:(?P<prefix>[^@]*?)\s+)?-?@(?:\{(?P<braced>[^{}\s]+)\}|(?P<key>" + _KEY + r"))(?P<suffix>[^@]*)", re.S)
_BARE = re.compile(r"(?<![\w@/.+{-])(?:https?://|mailto:)[^\s<>\"\[\]{}]+", re.I)  # brackets, braces, quotes: never in an address (RFC 3986)
_TRAILING = "?!.,:;*_~'\"”’»›“‘«‹„‚"  # ends a sentence rather than an address (quotation marks typographic too)
_RANGE = re.compile(r"(?<=\d)-(?=\d)")
# What XML 1.0 cannot hold, or what prints nothing and may upset a reader: C0 controls but
# tab, newline and return; DEL and C1 controls; surrogates; U+FFFE and U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_NESTING = 16  # emphasis, strong, links and spans inside each other; deeper marks are dropped (the text stays)
MAX_BLOCK_LEVEL = 32  # lists and quotes inside each other in a body (as mdsource.MAX_LEVEL); deeper is refused


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
    # maxNesting: markdown-it drops blocks nested deeper without a word; the loader refuses a text that
    # comes near it (``MAX_BLOCK_LEVEL``), so no list item is ever lost.
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 2 * MAX_BLOCK_LEVEL + 8})
    # Keep every link: reportgen's own rule (links.link_problem) decides, and says where.
    # markdown-it's default would turn javascript: and three other schemes into literal text.
    md.validateLink = lambda url: True
    md.inline.ruler.before("link", "note", _note_rule)  # ^[inline footnote]
    md.inline.ruler.before("link", "span", _span_rule)  # [text]{lang=ru}
    md.core.ruler.after("inline", "quotes", _quotes_rule)  # straight quotes → the language's, when the parse is given Quotes
    # Escapes (\@, \[) and entities stay tokens of their own, so a character written that way is
    # never read as the start of a citation; ``_inline_tokens`` joins the text itself.
    md.disable("text_join")
    return md


def _note_rule(state, silent: bool) -> bool:
    """markdown-it inline rule for pandoc's inline footnote ``^[text]``: a ``note`` token whose children are its text."""
    from markdown_it.helpers import parseLinkLabel

    start = state.pos
    if state.src[start] != "^" or start + 1 >= state.posMax or state.src[start + 1] != "[":
        return False
    end = parseLinkLabel(state, start + 1)
    if end < 0:
        return False
    if not silent:
        children: list = []
        state.md.inline.parse(state.src[start + 2 : end], state.md, state.env, children)
        token = state.push("note", "", 0)
        token.children = children
    state.pos = end + 1
    return True


# pandoc's attributes: {#id .class key=value key="a value" -}
_ATTR = re.compile(r"""([#.][^\s{}#.=]+)|([\w:-]+)=("[^"]*"|'[^']*'|[^\s"'{}]+)|(-)(?=\s|$)|(\S+)""")
_SPAN_ATTRS = re.compile(r"\{([^{}\n]*)\}")


def attributes(text: str) -> list[tuple[str, str, int]]:
    """Return (name, value, offset) of each attribute of pandoc's ``{#id .class key=value key="a value"}`` (``text``
    without its braces): ``("lang", "ru", 0)``, ``(".smallcaps", "", 8)``."""
    out = []
    for m in _ATTR.finditer(text):
        if m.group(2):
            value = m.group(3)
            out.append((m.group(2), value[1:-1] if value[:1] in "\"'" else value, m.start()))
        else:
            out.append((m.group(0), "", m.start()))
    return out


def span_attributes(text: str) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
    """Return what a span's attributes ``text`` (between its braces) give: its language ("" for none or a bad
    one), what is wrong with them and what of them is ignored, each as (message, the attribute as written)."""
    lang, bad, ignored = "", [], []
    for name, value, at in attributes(text):
        written = text[at:].split()[0] if text[at:].split() else name
        if name != "lang":
            ignored.append((f"span attribute {written} is not used by reportgen (ignored; lang=... gives the span's language)", written))
        elif lang or bad:
            bad.append((f"a span with a second lang ({written}); give a span one language", written))
        elif not is_language_tag(value):
            bad.append((f"span language {value!r} is not a language tag; expected a BCP 47 tag such as ru, fr, de-CH or zh-Hant", written))
        else:
            lang = value
    return lang, bad, ignored


def _span_rule(state, silent: bool) -> bool:
    """markdown-it inline rule for pandoc's bracketed span ``[text]{lang=ru}``: ``span_open`` (its language, "" when
    it gives none or a bad one, in ``lang``; its attributes as written in ``meta["attrs"]``), the text's tokens,
    ``span_close``.

    Silent (skipping over a link's or a note's text, ``parseLinkLabel``) it
    matches nothing, so its brackets count as brackets there and a link's
    text may hold a span.
    """
    from markdown_it.helpers import parseLinkLabel

    start = state.pos
    if silent or state.src[start] != "[":
        return False
    has = getattr(state, "rg_spans", None)  # whether the text has a "]{" at all: asked once per text, not per "["
    if has is None:
        has = state.rg_spans = "]{" in state.src
    if not has:
        return False
    end = parseLinkLabel(state, start)
    if end < 0:
        return False
    m = _SPAN_ATTRS.match(state.src, end + 1, state.posMax)
    if m is None:
        return False
    lang = span_attributes(m.group(1))[0]
    token = state.push("span_open", "span", 1)
    token.attrs = {"lang": lang}
    token.meta = {"attrs": m.group(1)}
    old_max = state.posMax
    state.pos, state.posMax = start + 1, end
    state.md.inline.tokenize(state)
    state.push("span_close", "span", -1).attrs = {"lang": lang}
    state.pos, state.posMax = m.end(), old_max
    return True


@dataclass(frozen=True)
class Quotes:
    """The quotation marks straight quotes become: ``marks`` in the document's language (opening, closing, inner
    opening, inner closing), and ``languages``, (BCP 47 tag in lower case, marks) of the languages a span may be in."""

    marks: tuple[str, str, str, str]
    languages: tuple[tuple[str, tuple[str, str, str, str]], ...] = ()

    def of(self, lang: str, default: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
        """The marks of a span in ``lang``: its whole tag's, else its language's, else ``default`` (the text around it)."""
        if not lang:
            return default
        table = dict(self.languages)
        tag = lang.lower()
        return table.get(tag) or table.get(tag.split("-")[0]) or default


def _quotes_rule(state) -> None:
    """markdown-it core rule: the straight quotes of every inline token made typographic, when the parse's ``env``
    holds ``Quotes`` as ``"quotes"`` (``inline``, ``blocks``); else nothing (the loader reads text as typed)."""
    quotes = state.env.get("quotes") if isinstance(state.env, dict) else None
    if quotes is None:
        return
    for token in state.tokens:
        if token.type == "inline" and token.children and ("'" in token.content or '"' in token.content):
            _requote(token.children, quotes, quotes.marks)


QUOTE_WINDOW = 256  # straight quotes paired in one pass (see ``_requote``)
_QUOTE = re.compile(r"(?=['\"])")


def _requote(tokens: list, quotes: Quotes, marks: tuple[str, str, str, str]) -> None:
    """Make the straight quotes of inline ``tokens`` typographic, in place: ``marks`` outside spans, each span's own
    (``Quotes.of``) inside it; a note's text in the marks where its mark stands. Bare addresses and an autolink's
    text are kept as typed (``_keep_addresses``).

    Bounded on hostile text: a text token is cut before each quote, so each
    replacement copies a short piece, not the paragraph; and a paragraph of
    more than ``QUOTE_WINDOW`` quotes is paired that many at a time (the
    algorithm looks back through every quote left open for each one that
    closes: quadratic in a paragraph of lone quotes), a pair across two such
    windows left straight.
    """
    _keep_addresses(tokens)
    _cut_at_quotes(tokens)
    stack = [marks]
    sets = []
    for t in tokens:
        if t.type == "span_open":
            stack.append(quotes.of(t.attrGet("lang") or "", stack[-1]))
        elif t.type == "span_close" and len(stack) > 1:
            stack.pop()
        elif t.type == "note" and t.children:
            _requote(t.children, quotes, stack[-1])
        sets.append(stack[-1])
    for own in dict.fromkeys(sets):
        others = [t for t, s in zip(tokens, sets) if s != own and t.type == "text"]
        for t in others:  # another language's: skipped, yet still the neighbours a quote is judged by
            t.type = "rg_text"
        _pair_quotes(tokens, own)
        for t in others:
            t.type = "text"


def _cut_at_quotes(tokens: list) -> None:
    """Cut each text token holding several quotes before each (the same text, the same neighbours for every quote)."""
    from markdown_it.token import Token

    many = [t.type == "text" and t.content.count("'") + t.content.count('"') > 1 for t in tokens]
    if not any(many):
        return
    out: list = []
    for t, cut in zip(tokens, many):
        if cut:
            out.extend(Token("text", "", 0, content=piece, level=t.level) for piece in _QUOTE.split(t.content) if piece)
        else:
            out.append(t)
    tokens[:] = out


def _pair_quotes(tokens: list, marks: tuple[str, str, str, str]) -> None:
    """markdown-it's smartquotes over ``tokens`` with ``marks``, ``QUOTE_WINDOW`` quotes at a time (each window seen
    with a token of context on either side, so a quote at its edge is judged by its real neighbours)."""
    from .compat.markdown_it import smart_quotes

    counts = [t.content.count("'") + t.content.count('"') if t.type == "text" else 0 for t in tokens]
    if sum(counts) <= QUOTE_WINDOW:
        smart_quotes(tokens, marks)
        return
    a = 0
    while a < len(tokens):
        b, n = a, 0
        while b < len(tokens) and (n + counts[b] <= QUOTE_WINDOW or n == 0):
            n += counts[b]
            b += 1
        lo, hi = max(a - 1, 0), min(b + 1, len(tokens))
        edges = [t for t in (tokens[lo] if lo < a else None, tokens[b] if b < hi else None) if t is not None and t.type == "text"]
        for t in edges:
            t.type = "rg_text"
        smart_quotes(tokens[lo:hi], marks)
        for t in edges:
            t.type = "text"
        a = b


def _keep_addresses(tokens: list) -> None:
    """Make the bare addresses in ``tokens``' text, and an autolink's text, tokens of their own (``rg_keep``) that
    the quotes leave as typed: an address's ``'`` is part of it."""
    from markdown_it.token import Token

    out: list = []
    auto = False
    for t in tokens:
        if t.type == "link_open":
            auto = t.markup in ("autolink", "linkify")
        elif t.type == "link_close":
            auto = False
        if t.type != "text" or not (auto or ":" in t.content):
            out.append(t)
            continue
        if auto:
            t.type = "rg_keep"
            out.append(t)
            continue
        pos = 0
        for start, end, what in _spans(t.content, set(), in_text=False):
            if isinstance(what, str):
                if start > pos:
                    out.append(Token("text", "", 0, content=t.content[pos:start], level=t.level))
                out.append(Token("rg_keep", "", 0, content=t.content[start:end], level=t.level))
                pos = end
        if pos == 0:
            out.append(t)
        elif pos < len(t.content):
            out.append(Token("text", "", 0, content=t.content[pos:], level=t.level))
    tokens[:] = out


def quoted(text: str, quotes: Quotes | None) -> str:
    """Return plain ``text`` (no Markdown) with its straight quotes made ``quotes``' (as ``inline`` makes them)."""
    if quotes is None or ("'" not in text and '"' not in text):
        return text
    from markdown_it.token import Token

    tokens = [Token("text", "", 0, content=text)]
    _requote(tokens, quotes, quotes.marks)
    return "".join(t.content for t in tokens)


def ascii_link(href: str) -> str:
    """Return link target ``href`` in ASCII, as Markdown links are: the host in punycode, the rest percent-encoded.

    PDF link actions hold ASCII only (a ``/URI`` in Latin-1 or UTF-16 breaks
    in viewers), and decks are read by tools that expect the same.
    """
    return href if href.isascii() else _md().normalizeLink(href)


MAX_LIST_START = 32767  # the largest number a numbered list may start at (PowerPoint's limit)
_BIG_START = re.compile(r"^[ \t>*+\-]*\d{5,}[.)]", re.M)  # a line that may open a numbered list past 9999
_NESTS = {f"{kind}_{edge}" for kind in ("bullet_list", "ordered_list", "blockquote") for edge in ("open", "close")}
_DEEP = re.compile(r"^[ \t>*+\-\d.)]{%d,}" % (MAX_BLOCK_LEVEL // 2), re.M)  # a line that may sit deep in lists or quotes


class Found:
    """What reading a text met that the loader judges: citations (key, as written), bare addresses, notes' trouble."""

    def __init__(self):
        self.cites: list[tuple[str, str]] = []
        self.addresses: list[str] = []
        self.spans: list[str] = []  # each span's attributes as written (between its braces)
        self.nested_notes = 0
        self.empty_notes = 0


def _may_hold_more(text: str, block: bool) -> bool:
    """Whether ``text`` may hold anything ``markdown_problems``/``citations`` look for (a cheap test first)."""
    return (
        "](" in text or "<" in text or "@" in text or "^[" in text or "]{" in text or "://" in text or "mailto:" in text.lower()
        or (block and ("]:" in text or bool(_BIG_START.search(text)) or bool(_DEEP.search(text))))
    )


MAX_READ_KEPT = 16_384  # the longest text whose reading is kept (``_read``): a body of a few pages
KEPT_TEXTS = 1_024  # readings kept, the oldest let go first
KEPT_ITEMS = 64  # the most citations, addresses, spans and problems a kept reading holds
_KEPT: dict[tuple[str, bool], tuple[Found, tuple[str, ...]]] = {}  # (text, block) -> its reading (``_read``)


def _read(text: str, block: bool) -> tuple[Found, tuple[str, ...]]:
    """Return what reading ``text`` as ``inline``/``blocks`` would met, and the problems of its Markdown links and lists
    (not to be changed: the same objects are returned for the same text).

    The loader asks three questions of a text (its problems, its citations,
    its spans), each of which reads it; a watch asks them again at every
    save of an outline whose other texts did not change. A reading is kept
    by the text itself, on which alone it depends: the last ``KEPT_TEXTS``
    texts of at most ``MAX_READ_KEPT`` characters whose reading holds at
    most ``KEPT_ITEMS`` things (a hostile text full of citations is read
    again, not kept: the memory kept stays a few MB).
    """
    if not text or not _may_hold_more(text, block):
        return _NOTHING_FOUND
    key = (text, block)
    got = _KEPT.get(key)
    if got is None:
        got = _read_text(text, block)
        found, problems = got
        if len(text) <= MAX_READ_KEPT and len(found.cites) + len(found.addresses) + len(found.spans) + len(problems) <= KEPT_ITEMS:
            if len(_KEPT) >= KEPT_TEXTS:
                del _KEPT[next(iter(_KEPT))]
            _KEPT[key] = got
    return got


def _read_text(text: str, block: bool) -> tuple[Found, tuple[str, ...]]:
    found = Found()
    problems: list[str] = []
    depth = deepest = 0  # lists and quotes open around a token
    for t in _md().parse(text) if block else _md().parseInline(text):
        if t.type in _NESTS:
            depth += t.nesting
            deepest = max(deepest, depth)
        if t.type == "ordered_list_open" and int(t.attrGet("start") or 1) > MAX_LIST_START:
            problems.append(f"a numbered list starts at {int(t.attrGet('start')):,}; numbered lists start at 0 to {MAX_LIST_START:,}")
        if t.children:
            _inline_tokens(t.children, {}, found, problems)
    if deepest > MAX_BLOCK_LEVEL:
        problems.append(f"lists or quotes nested more than {MAX_BLOCK_LEVEL} deep; nest them less (deeper ones would not print)")
    return found, tuple(problems)


_NOTHING_FOUND = (Found(), ())


def markdown_problems(text: str, block: bool = False) -> list[str]:
    """Return what is wrong in the Markdown ``text`` as ``inline``/``blocks`` would read it: link
    targets ``links.link_problem`` refuses (bare addresses too), numbered lists starting past
    ``MAX_LIST_START``, a footnote inside a footnote, an empty footnote.

    ``block``: read ``text`` as a body (``blocks``), where reference
    definitions (``[x]: url``) also make links and lists are blocks.
    Citations are judged by the loader (``citations``), which knows the sources.
    """
    found, read = _read(text, block)
    problems = list(read)
    for address in found.addresses:
        why = link_problem(normalise(address))
        if why:
            problems.append(f"bare address: {why}")
    if found.nested_notes:
        problems.append("a footnote ^[...] inside a footnote; a footnote cannot hold another (write it out in the first)")
    if found.empty_notes:
        problems.append("an empty footnote ^[]; write its text inside the brackets")
    return problems


def spans(text: str, block: bool = False) -> list[str]:
    """Return the attributes (as written between the braces) of every span ``[text]{...}`` in ``text`` as
    ``inline``/``blocks`` would read it, in order; ``span_attributes`` tells what each gives."""
    if not text or "]{" not in text:
        return []
    return list(_read(text, block)[0].spans)


def citations(text: str, block: bool = False, plain: bool = False) -> list[tuple[str, str]]:
    """Return every citation in ``text`` as ``inline``/``blocks`` would read it: (source key, the citation as written).

    ``plain``: ``text`` is set plainly (``plain_cites``), not read as Markdown.
    """
    if not text or "@" not in text:
        return []
    if plain:
        return [(key, text[a:b]) for a, b, what in _spans(text, set(), in_text=False) if not isinstance(what, str) for _p, key, _l in what]
    return list(_read(text, block)[0].cites)


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


def _trim_address(url: str) -> str:
    """Return a bare address without what ends the sentence around it: trailing punctuation, an unmatched ``)`` or ``]``."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last == ")" and url.count("(") < url.count(")") or last == "]" and url.count("[") < url.count("]"):
            url = url[:-1]
        else:
            break
    return url


def _spans(text: str, protected: set[int], in_text: bool = True) -> list[tuple[int, int, object]]:
    """The bare addresses (``str``) and citations (a list of (prefix, key, locator)) in ``text``, a run of
    plain text outside links and code, as (start, end, what), in order and not overlapping.

    ``protected``: positions of characters written as an escape or entity, which open nothing.
    ``in_text``: whether a bare ``@key`` is a citation too (in Markdown text; not in plain text, ``plain_cites``).
    """
    spans: list[tuple[int, int, object]] = []
    if ":" in text:
        for m in _BARE.finditer(text):
            url = _trim_address(m.group())
            scheme = url.index(":") + 1
            if url.startswith("//", scheme):
                scheme += 2
            if len(url) > scheme:  # something after the scheme
                spans.append((m.start(), m.start() + len(url), url))
    if "@" not in text:
        return spans

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e, _w in spans)

    for m in _BRACKET.finditer(text):
        if "@" not in m.group(1) or not free(m.start(), m.end()):
            continue
        if any(i in protected for i in range(m.start(), m.end()) if text[i] in "[]@"):
            continue
        items = [_ITEM.fullmatch(part) for part in m.group(1).split(";")]
        if all(items):
            spans.append((m.start(), m.end(), [(it["prefix"] or "", it["braced"] or it["key"], _locator(it["suffix"])) for it in items]))
    for m in _IN_TEXT.finditer(text) if in_text else ():
        if m.start() not in protected and free(m.start(), m.end()):
            spans.append((m.start(), m.end(), [("", m.group(1) or m.group(2), "")]))
    spans.sort(key=lambda sp: sp[0])
    return spans


def _locator(suffix: str) -> str:
    """The locator a citation's suffix gives: ``, pp. 3-4`` → ``pp. 3–4`` (a hyphen between digits an en dash)."""
    text = " ".join(suffix.split())
    if text.startswith(","):
        text = text[1:].lstrip()
    return _RANGE.sub("–", text)


def _cite_markup(items: list[tuple[str, str, str]], cites: dict[str, int]) -> str | None:
    """The ``<cite>`` of a citation's items (prefix, key, locator); None if a key names no source."""
    if not all(key in cites for _p, key, _l in items):
        return None

    def attrs(prefix: str, key: str, locator: str) -> str:
        out = f'n="{cites[key]}"'
        if locator:
            out += f' locator="{esc(locator)}"'
        if prefix:
            out += f' prefix="{esc(" ".join(prefix.split()))}"'
        return out

    first, more = items[0], items[1:]
    if not more:
        return f"<cite {attrs(*first)}/>"
    return f"<cite {attrs(*first)}>{''.join(f'<ref {attrs(*it)}/>' for it in more)}</cite>"


def cite_text(items: list[tuple[str, str, str]], cites: dict[str, int]) -> str | None:
    """How a citation's items (prefix, key, locator) print as plain text: ``see [1, p. 3; 2]``; None if a key names no source."""
    if not all(key in cites for _p, key, _l in items):
        return None
    (prefix, key, locator), more = items[0], items[1:]
    refs = [CiteRef(cites[k], loc, " ".join(p.split())) for p, k, loc in more]
    return Cite(cites[key], locator, " ".join(prefix.split()), refs).text


def _text(text: str, cites: dict[str, int], protected: set[int] = frozenset(), found: Found | None = None) -> str:
    """Markup for ``text``, a run of plain text outside links and code: escaped, bare addresses as links, citations."""
    if "@" not in text and ":" not in text:
        return esc(text)
    out: list[str] = []
    pos = 0
    for start, end, what in _spans(text, protected):
        out.append(esc(text[pos:start]))
        written = text[start:end]
        if isinstance(what, str):
            if found is not None:
                found.addresses.append(what)
            out.append(f'<a href="{esc(normalise(_md().normalizeLink(what)))}">{esc(what)}</a>')
        else:
            if found is not None:
                found.cites.extend((key, written) for _p, key, _l in what)
            made = _cite_markup(what, cites)
            out.append(made if made is not None else esc(written))
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def plain_cites(text: str, cites: dict[str, int] | None = None) -> str:
    """Return plain ``text`` (no Markdown) with each bracketed citation of known sources as it prints:
    ``[@sipri2021]`` → ``[6]``, ``[see @a, pp. 3-4]`` → ``see [1, pp. 3–4]``.

    For text a template sets plainly (chart titles, labels, units, alt text,
    sources' dates), where a citation cannot be a link. Plain text is not
    Markdown, so a bare ``@`` there is text (a chart category ``@SUM(1)``
    stays as written), as is anything else of Markdown. The loader refuses
    unknown sources (``citations(…, plain=True)``).
    """
    if "@" not in text:
        return text
    cites = cites or {}
    out: list[str] = []
    pos = 0
    for start, end, what in _spans(text, set(), in_text=False):
        if isinstance(what, str):
            continue
        shown = cite_text(what, cites)
        out.append(text[pos:start] + (shown if shown is not None else text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _inline_tokens(tokens, cites: dict[str, int], found: Found | None = None, problems: list[str] | None = None,
                   in_link: bool = False, in_note: bool = False) -> str:
    out: list[str] = []
    pending: list[str] = []  # adjacent text tokens, joined so "[@id]" is seen whole
    protected: set[int] = set()  # positions in the joined text written as an escape or entity
    size = 0
    depth = 0  # open emphasis, strong and links; past MAX_NESTING their marks are dropped
    links = 1 if in_link else 0

    def flush() -> None:
        nonlocal size
        if pending:
            joined = "".join(pending)
            out.append(esc(joined) if links else _text(joined, cites, protected, found))
            pending.clear()
            protected.clear()
            size = 0

    for t in tokens:
        kind = t.type
        if kind in ("text", "text_special", "rg_keep"):
            if kind == "text_special":
                protected.update(range(size, size + len(t.content)))
            pending.append(t.content)
            size += len(t.content)
            continue
        flush()
        if kind == "link_open":
            links += 1
            if problems is not None:
                why = link_problem(normalise(t.attrGet("href") or ""))
                if why:
                    problems.append(why)
        elif kind == "link_close":
            links -= 1
        elif kind == "span_open" and found is not None:
            found.spans.append(t.meta.get("attrs", ""))
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
        elif kind in ("span_open", "span_close"):  # a span without a (good) language is its text alone
            lang = t.attrGet("lang")
            out.append(("</span>" if t.nesting < 0 else f'<span lang="{esc(lang)}">') if lang else "")
        elif kind == "note":
            inner = _inline_tokens(t.children or [], cites, found, problems, bool(links), True)
            if found is not None:
                found.nested_notes += in_note
                found.empty_notes += not (t.children and inner.strip())
            out.append(inner if in_note else f"<note>{inner}</note>")  # a note in a note is refused by the loader
        elif kind == "image":
            out.append(esc(t.content or t.attrGet("alt") or ""))
        else:  # html_inline cannot occur (html off); anything else prints as its source
            out.append(esc(t.content))
    flush()
    return "".join(out)


def inline(text: str, cites: dict[str, int] | None = None, memo: dict | None = None, quotes: Quotes | None = None) -> Markup:
    """Return inline Markdown ``text`` as inline markup (bold, italic, code, links, citations, footnotes, spans).

    ``memo`` (one dict per outline and ``cites``) keeps results for texts seen before; ``quotes``: the marks straight
    quotes become (None: as typed).
    """
    if not text:
        return Markup("")
    if not _NEEDS_MD.search(text):  # fast path: plain text
        return Markup(_text(quoted(text, quotes), cites or {}))
    key = ("inline", text, quotes)
    if memo is not None and key in memo:
        return memo[key]
    tokens = _md().parseInline(text, {"quotes": quotes})
    out = Markup(_inline_tokens(tokens[0].children or [], cites or {}))
    if memo is not None:
        memo[key] = out
    return out


_NEEDS_MD = re.compile(r"[*_`\[\]\\<&!^\n]")


def blocks(text: str, cites: dict[str, int] | None = None, memo: dict | None = None, quotes: Quotes | None = None) -> Markup:
    """Return Markdown ``text`` as block markup: paragraphs, lists, quotes (``memo``, ``quotes``: as ``inline``)."""
    if not text or not text.strip():
        return Markup("")
    if memo is None:
        return _blocks(text, cites or {}, quotes)
    key = ("blocks", text, quotes)
    if key not in memo:
        memo[key] = _blocks(text, cites or {}, quotes)
    return memo[key]


def _blocks(text: str, cites: dict[str, int], quotes: Quotes | None) -> Markup:
    out: list[str] = []
    for t in _md().parse(text, {"quotes": quotes}):
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
