"""Parse the markup a template renders into the document tree.

The markup is a small XML vocabulary (see ``reportgen/packs/README.md``). User
text reached it escaped, so it can only ever be text here. Unknown elements
and attributes are template errors, reported with the template's name and the
markup line.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from .. import doctree as dt
from ..i18n import is_language_tag
from ..links import link_problem, normalise, shown
from ..loader import CHART_MAX, CHART_MIN
from ..markup import MAX_LIST_START, ascii_link, strip_controls
from ..numformat import format_problem

MAX_DEPTH = 64  # elements inside each other in the markup (the tree is read recursively)

BLOCKS = {"p", "ul", "ol", "quote", "callout", "table", "chart", "figure", "numbers", "pagebreak"}
INLINE = {"b", "i", "code", "a", "cite", "note", "br", "span"}


class TreeError(Exception):
    """Markup the tree does not accept: ``element`` is the element, or ``line`` the output line, when known (to locate it)."""

    def __init__(self, message: str, element: ET.Element | None = None, line: int = 0):
        super().__init__(message)
        self.element = element
        self.line = line


def parse_markup(markup: str) -> ET.Element:
    """Return the root element of ``markup``; raise ``TreeError`` (with the output line) if it is malformed or too deep."""
    try:
        root = ET.fromstring(strip_controls(markup))  # what a template wrote itself, too (markup.esc did the outline's)
    except ET.ParseError as exc:
        line, col = exc.position
        lines = markup.splitlines()
        bad = lines[line - 1] if 0 < line <= len(lines) else ""
        why = re.sub(r": line \d+, column \d+$", "", str(exc.msg))  # the place is said once, in the template's terms
        raise TreeError(f"the template rendered malformed markup at output line {line}, column {col + 1}: {why}; near {bad.strip()[:80]!r}", line=line) from None
    _check_depth(root)
    return root


def _check_depth(root: ET.Element) -> None:
    """Raise ``TreeError`` if elements nest deeper than ``MAX_DEPTH`` (checked without recursion)."""
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise TreeError(f"the template rendered markup nested {depth} elements deep at <{el.tag}>, over the {MAX_DEPTH} allowed", el)
        stack.extend((child, depth + 1) for child in el)


# --- inline ---------------------------------------------------------------


def inlines(el: ET.Element) -> list[dt.Inline]:
    """Return the inline content of ``el`` (its text and inline children)."""
    out: list[dt.Inline] = []
    if el.text:
        out.append(dt.Text(el.text))
    for child in el:
        out.append(_inline(child))
        if child.tail:
            out.append(dt.Text(child.tail))
    return merge_text(out)


def _inline(el: ET.Element) -> dt.Inline:
    tag = el.tag
    if tag == "b":
        return dt.Strong(inlines(el))
    if tag == "i":
        return dt.Emph(inlines(el))
    if tag == "code":
        return dt.Code("".join(el.itertext()))
    if tag == "a":
        href = ascii_link(normalise(el.get("href", "")))
        why = link_problem(href)
        if why:
            raise TreeError(f"<a href=...>: {why}", el)
        children = inlines(el)
        if not children and href and not href.startswith("#"):  # <a href="…"/>: the address printed, as itself
            children = [dt.Text(shown(href))]
        return dt.Link(href, children)
    if tag == "cite":
        more = []
        for ref in el:
            if ref.tag != "ref":
                raise TreeError(f"<cite> holds only <ref n=...>, got <{ref.tag}>", ref)
            more.append(dt.CiteRef(_int(ref, "n"), ref.get("locator", ""), ref.get("prefix", "")))
        return dt.Cite(_int(el, "n"), el.get("locator", ""), el.get("prefix", ""), more)
    if tag == "note":
        if any(inner.tag == "note" for inner in el.iter() if inner is not el):
            raise TreeError("<note> inside a <note>: a footnote cannot hold another", el)
        return dt.Note(inlines(el))
    if tag == "br":
        return dt.LineBreak()
    if tag == "span":
        lang = el.get("lang", "")
        if not is_language_tag(lang):
            raise TreeError(f"<span lang={lang!r}>: expected a language tag (BCP 47) such as ru, fr or de-CH", el)
        return dt.Span(lang, inlines(el))
    raise TreeError(f"<{tag}> is not inline markup (expected one of: {', '.join(sorted(INLINE))})", el)


def merge_text(nodes: list[dt.Inline]) -> list[dt.Inline]:
    """Return ``nodes`` with neighbouring ``Text`` nodes joined into one."""
    out: list[dt.Inline] = []
    for n in nodes:
        if isinstance(n, dt.Text) and out and isinstance(out[-1], dt.Text):
            out[-1] = dt.Text(out[-1].text + n.text)
        else:
            out.append(n)
    return out


def _int(el: ET.Element, name: str, default: int | None = None) -> int:
    value = el.get(name)
    if value is None and default is not None:
        return default
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TreeError(f"<{el.tag} {name}=…> expects a whole number, got {value!r}", el) from None


def _child_inlines(el: ET.Element, tag: str) -> list[dt.Inline]:
    child = el.find(tag)
    return inlines(child) if child is not None else []


# --- blocks ---------------------------------------------------------------


def blocks(el: ET.Element, ctx: "Context") -> list[dt.Block]:
    """Return the block children of ``el`` (whitespace between them ignored)."""
    out: list[dt.Block] = []
    for child in el:
        if child.tag in ("title", "subtitle", "caption", "notes", "body", "attribution", "source"):
            continue
        made = block(child, ctx)
        if made is not None:
            out.append(made)
    return out


def block(el: ET.Element, ctx: "Context") -> dt.Block | None:
    """Return the block ``el`` stands for; None for a list without items (a pack's loop over nothing)."""
    tag = el.tag
    if tag == "p":
        return dt.Paragraph(inlines(el), el.get("style", "body"))
    if tag in ("ul", "ol"):
        items = []
        for li in el:
            if li.tag != "li":
                raise TreeError(f"<{tag}> holds only <li>, got <{li.tag}>", li)
            items.append(dt.ListItem(_item_blocks(li, ctx)))
        start = _int(el, "start", 1)
        if not 0 <= start <= MAX_LIST_START:
            raise TreeError(f"<{tag} start={start}> is out of range (expected 0 to {MAX_LIST_START})", el)
        if not items:
            return None
        return dt.ListBlock(items, ordered=tag == "ol", start=start)
    if tag == "quote":
        return dt.Quote(blocks(el, ctx), _child_inlines(el, "attribution"), el.get("kind", "block"), el.get("origin", ""))
    if tag == "callout":
        return dt.Callout(_child_inlines(el, "title"), blocks(el, ctx), el.get("kind", "takeaways"))
    if tag == "table":
        return _table(el)
    if tag == "chart":
        return _chart(el)
    if tag == "figure":
        return dt.Figure(ctx.resolve(el.get("src", "")), el.get("alt", ""), _child_inlines(el, "caption"), origin=el.get("origin", ""))
    if tag == "numbers":
        items = []
        for n in el:
            if n.tag != "number":
                raise TreeError(f"<numbers> holds only <number value=...>, got <{n.tag}>", n)
            items.append((n.get("value", ""), inlines(n)))
        return dt.KeyFigures(items, origin=el.get("origin", ""))
    if tag == "pagebreak":
        return dt.PageBreak()
    raise TreeError(f"<{tag}> is not a block (expected one of: {', '.join(sorted(BLOCKS))})", el)


def _item_blocks(li: ET.Element, ctx: "Context") -> list[dt.Block]:
    if any(child.tag in BLOCKS for child in li):
        return blocks(li, ctx)
    return [dt.Paragraph(inlines(li))]


def _table(el: ET.Element) -> dt.Table:
    head = el.find("thead")
    columns = [inlines(th) for th in head.iter("th")] if head is not None else []
    body = el.find("tbody")
    rows = [[inlines(td) for td in tr.iter("td")] for tr in (body.iter("tr") if body is not None else [])]
    align = [a for a in el.get("align", "").split(",") if a]
    return dt.Table(columns, rows, _child_inlines(el, "caption"), align=align, source=_child_inlines(el, "source"), origin=el.get("origin", ""))


def _chart(el: ET.Element) -> dt.Chart:
    categories = [c.text or "" for c in el.iter("category")]
    series = []
    for s in el.iter("series"):
        try:
            values = [float(v.text or "") for v in s.iter("v")]
        except ValueError:
            raise TreeError(f"<series name={s.get('name')!r}> holds a value that is not a number", s) from None
        if not all(math.isfinite(v) and (v == 0 or CHART_MIN <= abs(v) <= CHART_MAX) for v in values):
            raise TreeError(f"<series name={s.get('name')!r}> holds a value that is not 0 or a finite number from {CHART_MIN:g} to {CHART_MAX:g} in size", s)
        series.append(dt.Series(s.get("name", ""), values))
    fmt = el.get("format", "")
    problem = format_problem(fmt) if fmt else None
    if problem:
        raise TreeError(f"<chart format={fmt!r}>: {problem}", el)
    return dt.Chart(el.get("type", "bar"), el.get("title", ""), categories, series, el.get("source", ""), unit=el.get("unit", ""), origin=el.get("origin", ""), format=fmt,
                    alt=el.get("alt", ""))


# --- documents ------------------------------------------------------------


class Context:
    """What parsing needs from outside: how to resolve a figure path."""

    def __init__(self, resolve: Callable[[str], str]):
        self.resolve = resolve


def report(root: ET.Element, meta: dt.Meta, ctx: Context) -> dt.Report:
    """Return the ``Report`` for a rendered ``<report>`` element."""
    _expect(root, "report")
    doc = dt.Report(meta, [n for n in (_report_node(child, ctx, 1) for child in root) if n is not None])
    if not doc.children:
        raise TreeError("the template rendered an empty <report> (expected a cover, contents, sections or blocks): it would make a PDF of no pages")
    return doc


def _report_node(el: ET.Element, ctx: Context, level: int) -> dt.Node:
    if el.tag == "cover":
        return dt.Cover()
    if el.tag == "toc":
        return dt.Toc(el.get("title", "Contents"))
    if el.tag == "section":
        children = [n for n in (_report_node(c, ctx, level + 1) for c in el if c.tag != "title") if n is not None]
        return dt.Section(_child_inlines(el, "title"), children, level, el.get("number", ""), el.get("id", ""), el.get("origin", ""))
    return block(el, ctx)


def deck(root: ET.Element, meta: dt.Meta, ctx: Context) -> dt.Deck:
    """Return the ``Deck`` for a rendered ``<deck>`` element."""
    _expect(root, "deck")
    slides = []
    for el in root:
        if el.tag != "slide":
            raise TreeError(f"<deck> holds only <slide>, got <{el.tag}>", el)
        body = el.find("body")
        notes = el.find("notes")
        slides.append(
            dt.Slide(
                layout=el.get("layout", ""),
                title=_child_inlines(el, "title"),
                subtitle=_child_inlines(el, "subtitle"),
                body=blocks(body, ctx) if body is not None else [],
                notes=blocks(notes, ctx) if notes is not None else [],
                kind=el.get("kind", "content"),
                id=el.get("id", ""),
                origin=el.get("origin", ""),
                parent=_child_inlines(el, "parent"),
                layout_at=el.get("layout-at", ""),
            )
        )
    if not slides:
        raise TreeError("the template rendered a <deck> with no <slide>: it would make an empty deck")
    return dt.Deck(meta, slides)


def _expect(root: ET.Element, tag: str) -> None:
    if root.tag != tag:
        raise TreeError(f"the template's markup must start with <{tag}>, got <{root.tag}>", root)
