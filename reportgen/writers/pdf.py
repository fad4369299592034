"""The PDF writer: a ``Report`` tree and a ``Theme`` in, a briefing PDF out.

Built on ReportLab platypus. This module turns the tree into a story of
flowables; its helpers each do one job: ``pdf_styles`` (fonts and styles),
``pdf_markup`` (escaping and inline markup), ``pdf_tables``, ``pdf_charts``,
``pdf_box`` (the splittable panel of callouts and quotes) and ``pdf_page``
(page templates, cover, header and footer, outline, named destinations).
ReportLab is imported by these modules only, and they are imported lazily.
"""

from __future__ import annotations

import re

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, HRFlowable, Image, KeepTogether, ListFlowable, ListItem, PageBreak, Spacer
from reportlab.platypus import TableStyle
from reportlab.platypus.doctemplate import LayoutError, NextPageTemplate, PageBreakIfNotEmpty
from reportlab.platypus.flowables import AnchorFlowable

from ..doctree import (
    Block,
    Callout,
    Chart,
    Cover,
    Figure,
    ListBlock,
    Node,
    PageBreak as PageBreakNode,
    Paragraph,
    Quote,
    Report,
    Section,
    Table,
    Toc,
    plain,
)
from ..errors import InputError, Problem
from ..theme import Theme
from .pdf_box import Box
from .pdf_keep import KeepWithNext
from .pdf_charts import chart_drawing
from .pdf_markup import InlineRenderer, colour_hex, esc
from .pdf_forward import Contents
from .pdf_page import Heading, ReportDoc
from .pdf_para import Para
from .pdf_styles import Kit, make_kit
from .pdf_tables import TableTooWide, build_table, caption_markup

CALLOUT_TITLES = {"takeaways": "Key takeaways", "bluf": "Bottom line up front"}
SOURCES_ID = "sources"
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.:-]")


class PdfWriter:
    name = "pdf"
    suffix = ".pdf"
    tree = "report"

    def write(self, doc: Report, theme: Theme, path: str) -> list[str]:
        """Render ``doc`` to the PDF file at ``path``; return warnings (plain strings)."""
        warnings: list[str] = []
        kit = make_kit(theme)
        meta = doc.meta
        logo = meta.logo or (theme.path(theme.logo) if theme.logo else "")
        cover_first = bool(doc.children) and isinstance(doc.children[0], Cover)
        rdoc = ReportDoc(path, kit, meta, cover_first, logo, meta.classification or theme.marking.default)
        story = _Story(kit, _source_numbers(doc), _anchors(doc), warnings, rdoc.numbers)
        flowables = story.report(doc)
        _seed_contents(flowables)
        try:
            rdoc.render(flowables)
        except LayoutError as exc:
            where = getattr(rdoc.placing, "rg_where", "")
            if not where:
                where = f"section '{rdoc.current}'" if rdoc.current else "the start of the document"
            raise located(where, f"too large to fit on a page ({_layout_detail(exc)})") from None
        stranded = [f"pdf: heading '{t}' was left at the foot of a page without its text" for t in rdoc.stranded]
        return warnings + stranded + story.inline.warnings()


TOC_CHARS = 160  # a contents entry shows at most this much of its heading (a line or two), then "…"


def _shortened(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters with "…" (at a word when one ends in the last fifth)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _layout_detail(exc: Exception) -> str:
    """Return ReportLab's layout message without object reprs and memory addresses."""
    import re

    text = str(exc).split("\n")[0]
    sizes = re.search(r"\(([\d.]+) x ([\d.]+)\*?\).*?\(([\d.]+) x ([\d.]+)\*?\)", text)
    if sizes:
        w, h, fw, fh = (float(g) for g in sizes.groups())
        return f"it needs {w:.0f} x {h:.0f} pt, a page frame holds {fw:.0f} x {fh:.0f} pt"
    text = re.sub(r"<[^<>]*>(\s*frag=\d+)?", "a block", text)  # reprs carry memory addresses
    return re.sub(r"\s+at 0x[0-9a-fA-F]+", "", text)[:160]


def located(where: str, message: str) -> InputError:
    """An input error at outline location ``where`` ("sections[2].table: Table 3 'Arms'")."""
    path, _, rest = where.partition(": ")
    if path.startswith(("sections[", "summary", "sources", "bottom_line")):
        return InputError(Problem("pdf", 0, 0, f"{rest}: {message}" if rest else message, path))
    return InputError(f"pdf: {where}: {message}")


def _source_numbers(doc: Report) -> set[int]:
    """The numbers of the items of the numbered list(s) in the section with id "sources"."""
    out: set[int] = set()

    def walk(nodes: list[Node]) -> None:
        for n in nodes:
            if isinstance(n, Section):
                if n.id == SOURCES_ID:
                    for b in n.children:
                        if isinstance(b, ListBlock):
                            out.update(range(b.start, b.start + len(b.items)))
                walk(n.children)

    walk(doc.children)
    return out


def _anchors(doc: Report) -> set[str]:
    """Destination names the document will define: section ids, and "contents" for a TOC."""
    out: set[str] = set()

    def walk(nodes: list[Node]) -> None:
        for n in nodes:
            if isinstance(n, Section):
                if n.id and not _SAFE_ID.search(n.id):
                    out.add(n.id)
                walk(n.children)
            elif isinstance(n, Toc) and _toc_entries(doc):
                out.add("contents")

    walk(doc.children)
    return out


def _toc_entries(doc: Report) -> int:
    return sum(1 for n in doc.children if isinstance(n, Section)) + sum(
        1 for n in doc.children if isinstance(n, Section) for c in n.children if isinstance(c, Section) and c.level <= 2
    )


def _seed_contents(flowables: list) -> None:
    """Give each contents list, before the build, the entries it will show.

    The entries are the headings that have a contents line, in story order;
    their page numbers are forms filled in after the last page
    (``pdf_forward``), so the one layout pass already has the final page breaks.
    """
    tocs = [f for f in flowables if isinstance(f, Contents)]
    if not tocs:
        return
    entries = []
    stack = list(reversed(flowables))
    while stack:
        f = stack.pop()
        if isinstance(f, Heading) and getattr(f, "rg_toc", None) is not None:
            entries.append((f.rg_level, f.rg_toc, f.rg_key))
        inner = getattr(f, "_content", None)
        if isinstance(inner, (list, tuple)):
            stack.extend(reversed(inner))
    for toc in tocs:
        toc.set_entries(entries)


class _Story:
    """Builds the flowables for one report."""

    def __init__(self, kit: Kit, sources: set[int], anchors: set[str], warnings: list[str], numbers):
        self.kit = kit
        self.st = kit.styles
        self.inline = InlineRenderer(kit, sources, anchors)
        self.warn = warnings
        self.numbers = numbers  # the forward-referenced page numbers (contents entries)
        self.where = "document"
        self.origin = ""  # "sections[2]: " while inside a section that knows its outline place
        self._ids: set[str] = set()
        self._anon = 0

    # --- top level -------------------------------------------------------------

    def report(self, doc: Report) -> list:
        out: list = []
        for i, node in enumerate(doc.children):
            if isinstance(node, Cover):
                if i:
                    out += [NextPageTemplate("cover"), PageBreakIfNotEmpty()]
                out += [Spacer(1, 1), NextPageTemplate("body"), PageBreak()]
            elif isinstance(node, Toc):
                if _toc_entries(doc):
                    out += self.toc(node)
                else:  # ReportLab would print a placeholder text
                    self.warn.append("pdf: the table of contents has no sections to list; left out")
            elif isinstance(node, Section):
                out += self.section(node)
            else:
                out += self.block(node, self.kit.frame_width)
        return out

    def toc(self, node: Toc) -> list:
        st = self.st
        # The FONT command keeps ReportLab's table default (Helvetica) out of the file.
        table_style = TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), self.kit.heading.regular, st["toc1"].fontSize),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        toc = Contents(self.numbers, levelStyles=[st["toc0"], st["toc1"], st["toc2"]], tableStyle=table_style, dotsMinLevel=0, rightColumnWidth=0)
        key = self._key("contents")
        title = Heading(self.inline.text(node.title, self.kit.heading, st["toc_title"]), st["toc_title"], level=0, title=node.title, key=key)
        rule = HRFlowable(width="100%", thickness=0.8, color=self.kit.colour["rule"], spaceBefore=2, spaceAfter=14)
        return [PageBreakIfNotEmpty(), title, rule, toc, PageBreak()]

    def _key(self, wanted: str) -> str:
        key = _SAFE_ID.sub("-", wanted) or "section"
        if key != wanted:
            self.warn.append(f"pdf: section id '{wanted}' is not a valid destination name; used '{key}'")
        base, n = key, 1
        while key in self._ids:
            n += 1
            key = f"{base}-{n}"
        if key != base:
            self.warn.append(f"pdf: section id '{base}' is used twice; the second is '{key}'")
        self._ids.add(key)
        return key

    def section(self, s: Section) -> list:
        kit, st = self.kit, self.st
        level = min(max(s.level, 1), 3)
        if not s.id:
            self._anon += 1
        key = self._key(s.id or f"section-{s.number or self._anon}")
        style = st[f"h{level}"]
        title = self.inline.markup(s.title, kit.heading, style)
        plain_title = plain(s.title).replace("\n", " ")
        shown = f"{s.number} {plain_title}" if s.number else plain_title
        self.where = f"section '{shown}'"
        self.origin = f"{s.origin}: " if s.origin else ""
        number = ""
        if s.number:
            colour = colour_hex(kit.colour["accent"] if level == 1 else kit.colour["secondary"])
            number = f'<font color="{colour}">{esc(s.number)}</font>&nbsp;&nbsp;&nbsp;'
        heading = Heading(f"{number}{title}", style, level=level - 1, title=shown, key=key, toc=None)
        if level <= 2:
            toc_number = f"{esc(s.number)}&nbsp;&nbsp;&nbsp;" if s.number else ""
            heading.rg_toc = toc_number + self.inline.text(_shortened(plain_title, TOC_CHARS), kit.heading, st["toc0" if level == 1 else "toc1"])
        heading.rg_where = f"{s.origin}: heading '{shown}'" if s.origin else f"heading '{shown}'"
        # Keep the heading with the start of what follows: break first if that does not fit.
        # (ReportLab's keepWithNext would move a heading *and* a long paragraph to the next
        # page, leaving a gap; KeepWithNext only needs room for the first lines.)
        keep = KeepWithNext(kit.frame_height * 0.85)
        head: list = [heading]
        if level == 1:
            head.append(HRFlowable(width="100%", thickness=0.7, color=kit.colour["rule"], spaceBefore=0, spaceAfter=9))
        body: list = []
        for child in s.children:
            if isinstance(child, Section):
                body += self.section(child)
                continue
            if isinstance(child, ListBlock) and s.id == SOURCES_ID:
                made = [self.listing(child, kit.frame_width, depth=0, anchors=True)]
            else:
                made = self.block(child, kit.frame_width)
            what = self.describe(child)
            for f in made:
                if not hasattr(f, "rg_where"):
                    f.rg_where = what
            body += made
        # A section opening with a landscape table starts on the landscape page, heading and all.
        lead: list = []
        while body and isinstance(body[0], (NextPageTemplate, PageBreakIfNotEmpty)):
            lead.append(body.pop(0))
        keep.flows = head + self._first_content(body)
        return lead + [keep] + head + body

    @staticmethod
    def _first_content(flows: list) -> list:
        """What a heading must be kept with: the next heading's own run, or the first content flowable."""
        for f in flows:
            if isinstance(f, KeepWithNext):
                return f.flows
            if isinstance(f, (AnchorFlowable, NextPageTemplate)):
                continue
            return [f]
        return []

    def describe(self, node: Node) -> str:
        """Name ``node`` for a message: its outline location when known, else its section and kind."""
        origin = getattr(node, "origin", "")
        if isinstance(node, Table):
            cap = plain(node.caption)
            what = f"Table {node.number}" if node.number else "table"
            return f"{origin or self.origin + self.where}: {what}" + (f" '{cap[:60]}'" if cap else "")
        if isinstance(node, (Chart, Figure)):
            title = node.title if isinstance(node, Chart) else plain(node.caption)
            what = f"Figure {node.number}" if node.number else type(node).__name__.lower()
            return f"{origin or self.origin + self.where}: {what}" + (f" '{title[:60]}'" if title else "")
        if isinstance(node, Quote) and origin:
            return f"{origin}: pull quote"
        if isinstance(node, Paragraph):
            text = plain(node.inlines).replace("\n", " ")
            return f"{self.origin}{self.where}: paragraph '{text[:50]}{'…' if len(text) > 50 else ''}'"
        return f"{self.origin}{self.where}: {type(node).__name__.lower()}"

    # --- blocks ----------------------------------------------------------------

    def blocks(self, blocks: list[Block], width: float, para: str = "", nested: bool = False) -> list:
        out: list = []
        for b in blocks:
            out += self.block(b, width, para=para, nested=nested)
        return out

    def block(self, b: Node, width: float, para: str = "", nested: bool = False) -> list:
        if isinstance(b, Paragraph):
            return [self.paragraph(b, para)]
        if isinstance(b, ListBlock):
            return [self.listing(b, width, depth=0)]
        if isinstance(b, Quote):
            return [self.quote(b, width)]
        if isinstance(b, Callout):
            return [self.callout(b, width)]
        if isinstance(b, Table):
            name = self.describe(b)
            try:
                out = build_table(b, self.kit, self.inline, width, self.warn, self.where, name=name)
            except TableTooWide as exc:
                message = str(exc).partition(f"{name}: ")[2]
                raise located(name, message or str(exc)) from None
            return [f for f in out if not isinstance(f, CondPageBreak)] if nested else out
        if isinstance(b, Chart):
            return self.chart(b, width)
        if isinstance(b, Figure):
            return self.figure(b, width)
        if isinstance(b, PageBreakNode):
            return [] if nested else [PageBreak()]
        if isinstance(b, Section):
            if nested:
                self.warn.append(f"pdf: {self.where}: a section inside a block is not allowed; skipped")
                return []
            return self.section(b)
        if isinstance(b, (Cover, Toc)):
            self.warn.append(f"pdf: {self.where}: {type(b).__name__} belongs at the top of the report; skipped")
            return []
        raise TypeError(f"unknown block {type(b).__name__}")

    def paragraph(self, p: Paragraph, para: str = "", anchor: str = "") -> Para:
        style = self.st.get(p.style)
        if p.style not in ("body", "lead", "small", "note") or style is None:
            self.warn.append(f"pdf: {self.where}: unknown paragraph style '{p.style}'; used 'body'")
            style = self.st["body"]
        if para and p.style == "body":
            style = self.st[para]
        return Para(self.inline.markup(p.inlines, self.kit.body, style), style, anchor=anchor)

    def listing(self, lb: ListBlock, width: float, depth: int, anchors: bool = False) -> ListFlowable:
        """A bulleted or numbered list; ``anchors`` gives item N the destination "source-N"."""
        kit = self.kit
        sz = kit.theme.sizes.body
        if lb.ordered:
            widest = stringWidth(f"{lb.start + len(lb.items) - 1}.", kit.body.regular, sz)
            indent = max(16.0, widest + 7)
        else:
            indent = 14.0
        items = []
        for i, item in enumerate(lb.items):
            flows: list = []
            anchor = f"source-{lb.start + i}" if anchors else ""
            for j, b in enumerate(item.blocks):
                if isinstance(b, Paragraph):
                    flows.append(self.paragraph(b, para="list", anchor=anchor if j == 0 else ""))
                elif isinstance(b, ListBlock):
                    flows.append(self.listing(b, width - indent, depth + 1))
                else:
                    if j == 0 and anchor:
                        flows.append(AnchorFlowable(f"source-{lb.start + i}"))
                    flows += self.block(b, width - indent, nested=True)
            items.append(ListItem(flows or [Spacer(1, 1)]))
        common = dict(
            leftIndent=indent,
            bulletFontSize=sz,
            bulletColor=kit.colour["primary"],
            spaceAfter=sz * 0.5 if depth == 0 else self.st["list"].spaceAfter,
            bulletDedent="auto",
        )
        if lb.ordered:
            return ListFlowable(items, bulletType="1", start=lb.start, bulletFormat="%s.", bulletFontName=kit.body.regular, **common)
        return ListFlowable(items, bulletType="bullet", start="•" if depth % 2 == 0 else "–", bulletFontName=kit.body.regular, **common)

    def quote(self, q: Quote, width: float):
        if q.kind == "pull":
            return self.pull_quote(q, width)
        inset, bar, pad = 18.0, 2.5, 12.0
        flows = self.blocks(q.blocks, width - 2 * inset - bar - 2 * pad, para="quote", nested=True)
        if q.attribution:
            flows.append(Para("—&nbsp;" + self.inline.markup(q.attribution, self.kit.heading, self.st["attribution"]), self.st["attribution"]))
        box = Box(flows or [Spacer(1, 1)], edge=self.kit.colour["accent"], bar=bar, pad_x=pad, pad_top=2, pad_bottom=2, inset=inset)
        box.spaceBefore, box.spaceAfter = 4, self.kit.theme.sizes.body
        return box

    def pull_quote(self, q: Quote, width: float) -> KeepTogether:
        """A pull quote: a short accent rule, the words set large, the attribution, a closing rule."""
        kit, st = self.kit, self.st
        parts: list = [HRFlowable(width=42, thickness=3, color=kit.colour["accent"], hAlign="LEFT", spaceBefore=6, spaceAfter=9)]
        paras = [b for b in q.blocks if isinstance(b, Paragraph)]
        for i, p in enumerate(paras):
            text = self.inline.markup(p.inlines, kit.body, st["pull"])
            if i == 0 and not plain(p.inlines).lstrip().startswith(("“", '"', "«", "„", "‘")):
                text = "“" + text
            if i == len(paras) - 1 and not plain(p.inlines).rstrip().endswith(("”", '"', "»", "“", "’")):
                text += "”"
            parts.append(Para(text, st["pull"]))
        for b in q.blocks:
            if not isinstance(b, Paragraph):
                parts += self.block(b, width, nested=True)
        if q.attribution:
            parts.append(Para("—&nbsp;" + self.inline.markup(q.attribution, kit.heading, st["pull_attribution"]), st["pull_attribution"]))
        parts.append(HRFlowable(width="100%", thickness=0.6, color=kit.colour["rule"], spaceBefore=8, spaceAfter=kit.theme.sizes.body + 2))
        return KeepTogether(parts)

    def callout(self, c: Callout, width: float) -> Box:
        kit = self.kit
        pad, bar = 14.0, 4.0
        title = self.inline.markup(c.title, kit.heading, self.st["callout_title"]) if c.title else esc(CALLOUT_TITLES.get(c.kind, "Note"))
        flows = [Para(title, self.st["callout_title"])] + self.blocks(c.blocks, width - 2 * pad - bar, nested=True)
        edge = kit.colour["accent"] if c.kind == "bluf" else kit.colour["primary"]
        box = Box(flows, fill=kit.colour["light"], edge=edge, bar=bar, pad_x=pad, pad_top=11, pad_bottom=6)
        box.spaceBefore, box.spaceAfter = 4, kit.theme.sizes.body + 4
        return box

    def chart(self, ch: Chart, width: float) -> list:
        st = self.st
        drawing = chart_drawing(ch, self.kit, width, self.warn, self.where)
        parts: list = []
        cap = caption_markup("Figure", ch.number, ch.title, self.inline, self.kit)
        if cap:
            parts.append(Para(cap, st["caption"]))
        parts.append(drawing if drawing is not None else Para(f"[chart '{self.inline.text(ch.title, self.kit.heading)}' has no data]", st["placeholder"]))
        if ch.source:
            parts.append(Para("Source: " + self.inline.text(ch.source, self.kit.heading), st["source"]))
        else:
            parts.append(Spacer(1, st["source"].spaceAfter))
        return [KeepTogether(parts)]

    def figure(self, fig: Figure, width: float) -> list:
        st = self.st
        cap = caption_markup("Figure", fig.number, fig.caption, self.inline, self.kit)
        w, h = self._figure_size(fig, width)
        img = Image(fig.path, width=w, height=h)
        img.hAlign = "CENTER"
        parts: list = [Para(cap, st["caption"])] if cap else []
        parts += [img, Spacer(1, st["source"].spaceAfter)]
        return [KeepTogether(parts)]

    def _figure_size(self, fig: Figure, width: float) -> tuple[float, float]:
        """The frame width, keeping the aspect ratio, but never taller than the frame leaves room for."""
        try:
            iw, ih = ImageReader(fig.path).getSize()
        except Exception as exc:  # PIL raises many kinds
            raise InputError(f"pdf: {self.where}: cannot read image {fig.path}: {exc}") from None
        max_h = self.kit.frame_height - 3 * self.st["caption"].leading - 24
        w, h = width, width * ih / iw
        if h > max_h:
            h, w = max_h, max_h * iw / ih
        return w, h
