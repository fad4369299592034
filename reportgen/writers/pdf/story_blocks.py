"""The blocks of the story: paragraphs, lists, quotes, callouts, tables, charts and figures as flowables.

``Blocks`` is the half of the story builder that turns one block of the
document tree into flowables (``block``); ``story.Story`` adds the report's
structure (cover, contents, sections and their headings). Neither knows
what a page looks like. In a tagged document (``inline.tree``) each block
also makes its structure nodes, in reading order, inside the node being
built (``parent``), and tags its flowables with them (``tags``).
"""

from __future__ import annotations

import contextlib
import io

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    HRFlowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Spacer,
)
from reportlab.platypus.flowables import AnchorFlowable

from ...chartalt import chart_alt
from ...doctree import (
    Block,
    Callout,
    Chart,
    Cover,
    Figure,
    KeyFigures,
    ListBlock,
    Node,
    Paragraph,
    Quote,
    Section,
    Table,
    Toc,
    plain,
    unknown_node,
)
from ...doctree import PageBreak as PageBreakNode
from ...errors import InputError, Problem
from . import address
from .box import Box
from .charts import chart_drawing
from .locate import Place, located
from .markup import InlineRenderer, esc
from .para import Para
from .styles import Kit
from .tables import TableTooWide, build_table, caption_markup
from .tags import Node, TableTagger

CALLOUT_TITLES = {"takeaways": "key_takeaways", "bluf": "bottom_line"}  # a callout's title when its template gives none: the strings' keys


class Blocks:
    """Builds the flowables of blocks; ``where`` and ``origin`` say whose they are, for messages."""

    def __init__(self, kit: Kit, inline: InlineRenderer, warnings: list[Problem], draw_chart=chart_drawing):
        self.kit = kit
        self.st = kit.styles
        self.inline = inline
        self.warnings = warnings
        self.draw_chart = draw_chart  # ``charts.chart_drawing``'s signature: a Drawing, or None
        self.where = "document"  # the section being built, in words ("section '2 Why it mattered'")
        self.origin = ""  # its outline part ("sections[2]"), when it knows it
        self.parent: Node | None = inline.tree.root if inline.tree is not None else None  # the structure node being built

    # --- structure (a tagged document's; nothing in an untagged one) ---------------------------

    def node(self, role: str, **kw) -> Node | None:
        """Return a new structure node of ``role``, the last in the one being built (None in an untagged document)."""
        tree = self.inline.tree
        return None if tree is None else tree.add(role, self.parent, **kw)

    def tag(self, flowable, node: Node | None):
        """Return ``flowable``, drawn as ``node``'s (as it is when ``node`` is None)."""
        return flowable if node is None else self.inline.tree.tag(flowable, node)

    def tagged(self, flowable, role: str, **kw):
        """Return ``flowable``, drawn as a new node's of ``role`` (``node``)."""
        return self.tag(flowable, self.node(role, **kw))

    def decoration(self, flowable):
        """Return ``flowable`` drawn as an artifact (a rule)."""
        tree = self.inline.tree
        return flowable if tree is None else tree.tag(flowable, tree.layout)

    @contextlib.contextmanager
    def inside(self, node: Node | None):
        """Build the nodes made in the block inside ``node`` (where they were, when it is None)."""
        saved = self.parent
        self.parent = node if node is not None else saved
        try:
            yield node
        finally:
            self.parent = saved

    def here(self) -> Place:
        """Return the place of what is being built now: the current section."""
        return Place(self.origin, self.where)

    def warn(self, place: Place, message: str, code: str) -> None:
        """Record a warning about ``place``."""
        self.warnings.append(place.problem(message, code))

    def section(self, s: Section) -> list:
        """The flowables of section ``s`` (``story.Story`` lays sections out)."""
        raise NotImplementedError

    def describe(self, node: Node) -> Place:
        """Return the place of ``node`` for a message: its own outline part when it knows it, else its section's."""
        origin = getattr(node, "origin", "")
        if isinstance(node, Table):
            cap = plain(node.caption)
            what = f"Table {node.number}" if node.number else "table"
            return Place(origin, what + (f" '{cap[:60]}'" if cap else "")) if origin else Place(self.origin, f"{self.where}: {what}")
        if isinstance(node, (Chart, Figure)):
            title = node.title if isinstance(node, Chart) else plain(node.caption)
            what = (f"Figure {node.number}" if node.number else type(node).__name__.lower()) + (f" '{title[:60]}'" if title else "")
            return Place(origin, what) if origin else Place(self.origin, f"{self.where}: {what}")
        if isinstance(node, Quote) and origin:
            return Place(origin, "pull quote")
        if isinstance(node, Paragraph):
            text = plain(node.inlines).replace("\n", " ")
            return Place(self.origin, f"{self.where}: paragraph '{text[:50]}{'…' if len(text) > 50 else ''}'")
        return Place(self.origin, f"{self.where}: {type(node).__name__.lower()}")

    def blocks(self, blocks: list[Block], width: float, para: str = "", nested: bool = False) -> list:
        out: list = []
        for b in blocks:
            out += self.block(b, width, para=para, nested=nested)
        return out

    def block(self, b: Node, width: float, para: str = "", nested: bool = False) -> list:
        """The flowables of block ``b`` set ``width`` wide; ``nested`` inside a list item, quote or callout."""
        if isinstance(b, Paragraph):
            return [self.paragraph(b, para)]
        if isinstance(b, ListBlock):
            return [self.listing(b, width, depth=0)]
        if isinstance(b, Quote):
            return [self.quote(b, width)]
        if isinstance(b, Callout):
            return [self.callout(b, width)]
        if isinstance(b, Table):
            place = self.describe(b)
            try:
                out = build_table(b, self.kit, self.inline, width, lambda message, code: self.warn(place, message, code), parent=self.parent)
            except TableTooWide as exc:
                raise located(place, exc.message, "table-too-wide") from None
            return [f for f in out if not isinstance(f, CondPageBreak)] if nested else out
        if isinstance(b, Chart):
            return self.chart(b, width)
        if isinstance(b, Figure):
            return self.figure(b, width)
        if isinstance(b, KeyFigures):
            return self.key_figures(b, width)
        if isinstance(b, PageBreakNode):
            return [] if nested else [PageBreak()]
        if isinstance(b, Section):
            if nested:
                self.warn(self.here(), "a section inside a block is not allowed; left out", "section-nested")
                return []
            return self.section(b)
        if isinstance(b, (Cover, Toc)):
            self.warn(self.here(), f"{type(b).__name__} belongs at the top of the report; left out", "node-misplaced")
            return []
        raise unknown_node(b)

    def paragraph(self, p: Paragraph, para: str = "", anchor: str = "") -> Para:
        style = self.st.get(p.style)
        if p.style not in ("body", "lead", "small", "note") or style is None:
            self.warn(self.here(), f"unknown paragraph style '{p.style}'; used 'body'", "paragraph-style")
            style = self.st["body"]
        if para and p.style == "body":
            style = self.st[para]
        para = address.paragraph(self.inline, p.inlines, self.kit.body, style, anchor)  # a Para; its addresses broken where a reader expects
        return self.tagged(para, "P")

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
        numbering = "Decimal" if lb.ordered else "Disc" if depth % 2 == 0 else "Circle"
        labels: list[Node | None] = []
        with self.inside(self.node("L", attrs={"ListNumbering": numbering})) as structure:
            for i, item in enumerate(lb.items):
                flows: list = []
                anchor = f"source-{lb.start + i}" if anchors else ""
                with self.inside(self.node("LI")):
                    labels.append(self.node("Lbl"))
                    body = self.node("LBody")
                with self.inside(body):
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
            made = ListFlowable(items, bulletType="1", start=lb.start, bulletFormat="%s.", bulletFontName=kit.body.regular, **common)
        else:
            made = ListFlowable(items, bulletType="bullet", start="•" if depth % 2 == 0 else "–", bulletFontName=kit.body.regular, **common)
        if structure is not None:
            self.inline.tree.tag_bullets(made, labels)
        return made

    def quote(self, q: Quote, width: float):
        if q.kind == "pull":
            return self.pull_quote(q, width)
        inset, bar, pad = 18.0, 2.5, 12.0
        with self.inside(self.node("BlockQuote")) as structure:
            flows = self.blocks(q.blocks, width - 2 * inset - bar - 2 * pad, para="quote", nested=True)
            if q.attribution:
                flows.append(self.tagged(Para("—&nbsp;" + self.inline.markup(q.attribution, self.kit.heading, self.st["attribution"]), self.st["attribution"]), "P"))
        box = Box(flows or [Spacer(1, 1)], edge=self.kit.colour["accent"], bar=bar, pad_x=pad, pad_top=2, pad_bottom=2, inset=inset)
        box.spaceBefore, box.spaceAfter = 4, self.kit.theme.sizes.body
        return self.tag(box, structure)  # its bar: decoration

    def pull_quote(self, q: Quote, width: float) -> KeepTogether:
        """A pull quote: a short accent rule, the words set large, the attribution, a closing rule."""
        kit, st = self.kit, self.st
        parts: list = [self.decoration(HRFlowable(width=42, thickness=3, color=kit.colour["accent"], hAlign="LEFT", spaceBefore=6, spaceAfter=9))]
        paras = [b for b in q.blocks if isinstance(b, Paragraph)]
        with self.inside(self.node("BlockQuote")):
            for p in paras:  # its quotation marks are in the text (compose.decide)
                parts.append(self.tagged(Para(self.inline.markup(p.inlines, kit.body, st["pull"]), st["pull"]), "P"))
            for b in q.blocks:
                if not isinstance(b, Paragraph):
                    parts += self.block(b, width, nested=True)
            if q.attribution:
                parts.append(self.tagged(Para("—&nbsp;" + self.inline.markup(q.attribution, kit.heading, st["pull_attribution"]), st["pull_attribution"]), "P"))
        parts.append(self.decoration(HRFlowable(width="100%", thickness=0.6, color=kit.colour["rule"], spaceBefore=8, spaceAfter=kit.theme.sizes.body + 2)))
        return KeepTogether(parts)

    def callout(self, c: Callout, width: float) -> Box:
        kit = self.kit
        pad, bar = 14.0, 4.0
        title = self.inline.markup(c.title, kit.heading, self.st["callout_title"]) if c.title else esc(kit.text(CALLOUT_TITLES.get(c.kind, "note")))
        with self.inside(self.node("Div")) as structure:
            flows = [self.tagged(Para(title, self.st["callout_title"]), "P")] + self.blocks(c.blocks, width - 2 * pad - bar, nested=True)
        edge = kit.colour["accent"] if c.kind == "bluf" else kit.colour["primary"]
        box = Box(flows, fill=kit.colour["light"], edge=edge, bar=bar, pad_x=pad, pad_top=11, pad_bottom=6, titled=True)
        box.spaceBefore, box.spaceAfter = 4, kit.theme.sizes.body + 4
        return self.tag(box, structure)  # its panel and bar: decoration

    def key_figures(self, k: KeyFigures, width: float) -> list:
        """Return a row of the numbers ``k`` holds, set large in the accent colour over their labels, on a light band."""
        from reportlab.platypus import Table as RLTable
        from reportlab.platypus import TableStyle

        st, c = self.st, self.kit.colour
        size = self.kit.theme.sizes.h1 * 1.5
        value = st["h1"].clone("key_value", fontSize=size, leading=size * 1.15, textColor=c["accent"], spaceBefore=0, spaceAfter=0)
        label = st["caption"].clone("key_label", textColor=c["text"], spaceBefore=0, spaceAfter=0)
        n = max(1, len(k.items))
        cells = [[Para(self.inline.text(v, self.kit.heading, value), value) for v, _l in k.items],
                 [Para(self.inline.markup(lab, self.kit.heading, label), label) for _v, lab in k.items]]
        tagger = None
        with self.inside(self.node("Div")) as structure:  # read as value, label, value, label ...: a paragraph each
            if structure is not None:
                pairs = [(self.node("P"), self.node("P")) for _ in k.items]
                tagger = TableTagger(structure, [[v for v, _l in pairs], [lab for _v, lab in pairs]], 0, self.inline.tree.pagination)
        table = RLTable(cells, colWidths=[width / n] * n, hAlign="LEFT", renderCB=tagger)  # its band: decoration
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.kit.heading.regular, label.fontSize),  # ReportLab's cell default is Helvetica, never embedded
            ("BACKGROUND", (0, 0), (-1, -1), c["light"]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, 0), 10), ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        ]))
        return [KeepTogether([table, Spacer(1, st["source"].spaceAfter)])]

    def chart(self, ch: Chart, width: float) -> list:
        st = self.st
        place = self.describe(ch)
        drawing = self.draw_chart(ch, self.kit, width, lambda message, code: self.warn(place, message, code))
        parts: list = []
        cap = caption_markup("figure", ch.number, ch.title, self.inline, self.kit)
        with self.inside(self.node("Div")):
            if cap:
                parts.append(self.tagged(Para(cap, st["caption"]), "Caption"))
            if drawing is not None:
                parts.append(self.tagged(drawing, "Figure", alt=chart_alt(ch, self.kit.text)))
            else:
                parts.append(self.tagged(Para(f"[chart '{self.inline.text(ch.title, self.kit.heading)}' has no data]", st["placeholder"]), "P"))
            if ch.source:
                parts.append(self.tagged(Para(esc(self.kit.text("source")) + " " + self.inline.text(ch.source, self.kit.heading), st["source"]), "P"))
            else:
                parts.append(Spacer(1, st["source"].spaceAfter))
        return [KeepTogether(parts)]

    def figure(self, fig: Figure, width: float) -> list:
        st = self.st
        cap = caption_markup("figure", fig.number, fig.caption, self.inline, self.kit)
        w, h = self.figure_size(fig, width)
        # From bytes, not the file name: ReportLab names an image it is given
        # by name after a digest of that name, which put the figure's folder
        # into the PDF's bytes; from bytes the name is a digest of the pixels.
        with open(fig.path, "rb") as fh:
            img = Image(io.BytesIO(fh.read()), width=w, height=h)
        img.hAlign = "CENTER"
        with self.inside(self.node("Div")):
            parts: list = [self.tagged(Para(cap, st["caption"]), "Caption")] if cap else []
            parts += [self.tagged(img, "Figure", alt=fig.alt), Spacer(1, st["source"].spaceAfter)]
        return [KeepTogether(parts)]

    def figure_size(self, fig: Figure, width: float) -> tuple[float, float]:
        """The frame width, keeping the aspect ratio, but never taller than the frame leaves room for."""
        try:
            iw, ih = ImageReader(fig.path).getSize()
        except Exception as exc:  # PIL raises many kinds
            raise InputError(self.describe(fig).problem(f"cannot read the image ({type(exc).__name__}: {exc})", "image", "error")) from None
        max_h = self.kit.frame_height - 3 * self.st["caption"].leading - 24
        w, h = width, width * ih / iw
        if h > max_h:
            h, w = max_h, max_h * iw / ih
        return w, h
