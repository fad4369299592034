"""Planning a deck: the document tree, the theme and the master's geometry in, a ``DeckPlan`` out. Pure.

Every decision about a slide is taken here, before python-pptx draws
anything: which layout and which placeholder each text goes in, the size it is
set at (measured with the TTF metrics of the deck's font family, ``fit``),
where it is split onto "(cont.)" slides, the boxes of tables, charts and
pictures and the rows on each page of a long table, the speaker notes, where
links land, and the warnings for every shrink, split and overflow, naming the
slide and its outline origin; every slide's title (one off the slide on a layout
without a title placeholder, a repeated one told apart by its number) and the
text alternatives of its charts and tables. ``emit`` then only draws the plan. Nothing here
imports python-pptx (``tests/writers/pptx/test_plan.py`` checks it).
"""

from __future__ import annotations

import copy
from dataclasses import replace

from ...chartalt import chart_alt
from ...doctree import Chart, Deck, Figure, KeyFigures, PageBreak, Paragraph, Slide, Table, plain
from ...errors import InputError, Problem, warning
from .arrange import arrange, divider_box
from .blocks import add_footnotes, cites_in, notes_in, notes_lines, paras_of, runs_of
from .fit import LINE, Fit, Fonts, Frame, Measurer, Para, Run, Spec, fit, steps
from .model import (
    DeckPlan,
    Fitted,
    Geometry,
    LayoutGeometry,
    Placeholder,
    PlannedSlide,
    TableVisual,
    Text,
    box_of,
)
from .plan_visuals import (
    GAP,
    caption,
    caption_height,
    chart_visual,
    choose_table,
    figure_visual,
    page_of,
)
from .units import DEFAULT_INSETS, EMU_PER_IN, EMU_PER_PT, Box, pt

VISUAL = (Table, Chart, Figure, KeyFigures)
CONT = " (cont.)"  # in English; a deck says it in its language (``Meta.text("cont")``)
TITLE_FLOOR = 16.0  # points: the smallest a slide title is set (a longer title is an error)
STATEMENT = 1.25  # a statement slide's text (the bottom line) starts this much above the body size


def layout_name(s: Slide, theme) -> str:
    """The layout a slide asks for: its own, else the theme's for its kind."""
    if s.layout:
        return s.layout
    lay = theme.deck.layouts
    return {"title": lay.title, "section": lay.section}.get(s.kind, lay.content)


def layout_roles(theme) -> dict[str, str]:
    """Layout name -> the role (``theme.DeckLayouts`` field) the theme gives it; the first role wins."""
    return {name: role for role, name in reversed(list(theme.deck.layouts.model_dump().items()))}


def deck_fonts(theme) -> Fonts:
    fam, mono = theme.family("deck"), theme.family("mono")
    p = theme.path
    return Fonts.from_paths(p(fam.regular), p(fam.bold) if fam.bold else "", p(fam.italic) if fam.italic else "",
                            p(fam.bold_italic) if fam.bold_italic else "", p(mono.regular))


def plan_deck(doc: Deck, theme, geometry: Geometry, fonts: Fonts | None = None) -> DeckPlan:
    """Plan every slide of ``doc`` on the master described by ``geometry``."""
    return Planner(doc, theme, geometry, fonts).plan()


class Planner:
    def __init__(self, doc: Deck, theme, geometry: Geometry, fonts: Fonts | None = None):
        self.doc = doc
        self.theme = theme
        self.geo = geometry
        self.m = Measurer(fonts or deck_fonts(theme))
        self.margins = list(geometry.margins)
        self.sizes = theme.sizes
        classification = doc.meta.classification or theme.marking.default
        self.footer = " · ".join(x for x in (classification, theme.footer) if x)
        self.sources = doc.sources  # cite number -> its entry on one line (compose.decide)
        self.slides: list[PlannedSlide] = []
        self.warnings: list[Problem] = []
        self.errors: list[Problem] = []  # text that fits at no size the theme allows
        self.anchors: dict[str, int] = {}
        self.agenda: int | None = None
        self.joins: list = []  # the composition rules applied (``arrange.Join``)
        self.text = doc.meta.text  # the fixed texts in the deck's language
        self.cont = " " + self.text("cont")
        self.prose_notes: dict[int, list[int]] = {}  # slide number -> the footnotes its speaker-notes prose marks
        self.titles: dict[str, int] = {}  # each slide title so far (as ``told_apart`` compares them) -> how many slides have it

    def plan(self) -> DeckPlan:
        slides, self.joins = arrange(self.doc.slides, self)
        for s in slides:
            self._slide(s)
        for slide in self.slides:  # links whose target no slide has, in drawing order
            for para in slide.paragraphs():
                for run in para.runs:
                    if run.href.startswith("#") and run.href[1:] not in self.anchors:
                        self._warn(slide.where, slide.origin, f"link to '{run.href}' has no slide with that id; left as plain text", "link-broken")
        add_footnotes(self.slides, self.prose_notes, self.doc.notes, self.text)  # each slide's footnotes into its speaker notes
        if self.errors:
            raise InputError(self.errors)
        meta = self.doc.meta
        core = {"title": meta.title, "author": meta.author, "subject": meta.subject or meta.subtitle,
                "keywords": ", ".join(meta.keywords), "when": meta.timestamp()}
        return DeckPlan(self.slides, self.warnings, self.anchors, self.agenda, self.footer, meta.date_text, self.margins, core, meta.lang or "en")

    # --- slides -------------------------------------------------------------

    def _layout(self, s: Slide) -> tuple[str, LayoutGeometry]:
        name = layout_name(s, self.theme)
        return name, self.geo.layouts[name]

    def _new(self, s: Slide, cont: bool = False) -> PlannedSlide:
        name, lay = self._layout(s)
        footers = s.kind not in ("title", "end")
        phs = [ph for ph in lay.slide if not ph.footer or footers and (ph.type != "ftr" or self.footer) and (ph.type != "dt" or self.doc.meta.date_text)]
        n = len(self.slides) + 1
        title = plain(s.title) + (self.cont if cont else "")
        slide = PlannedSlide(n, name, s.kind, title, self._where(s, n), phs, continued=cont, footers=footers, origin=s.origin)
        slide.title_target = next((i for i, ph in enumerate(phs) if ph.idx == 0), None)  # python-pptx's shapes.title
        if not cont and s.id:
            slide.anchor = s.id
            self.anchors[s.id] = n
        if not cont and s.kind == "agenda" and self.agenda is None:
            self.agenda = n
        if not cont:
            slide.notes = self._notes(s)
            self.prose_notes[n] = notes_in(s.notes)
        self.slides.append(slide)
        return slide

    def _notes(self, s: Slide) -> list[str]:
        """Speaker notes: the prose, then the sources the slide and its prose cite, by number ("[2] title. publisher, date. url")."""
        lines = [line for line in notes_lines(s.notes)]
        if s.kind == "closing":
            return lines
        cited = cites_in(s.notes, cites_in(s.body, cites_in([Paragraph(s.title), Paragraph(s.subtitle)])))
        known = sorted(n for n in cited if n in self.sources)
        if known:
            lines += ["", self.text("source_many" if len(known) > 1 else "source_one")]
            lines += [f"[{n}] {self.sources[n]}" for n in known]
        return lines

    def _where(self, s: Slide, n: int | None = None) -> str:
        title = " ".join(plain(s.title).split()) or s.kind
        if len(title) > 60:
            title = title[:59] + "…"
        return f"slide {n or len(self.slides)} '{title}'"

    def _warn(self, where: str, origin: str, message: str, code: str) -> None:
        """Record a warning about the slide ``where`` showing outline part ``origin``."""
        self.warnings.append(warning(origin, f"{where}: {message}", code))

    def _error(self, where: str, origin: str, message: str, code: str) -> None:
        """Record an error about the slide ``where`` showing outline part ``origin``: the deck is not written."""
        self.errors.append(Problem("", 0, 0, f"{where}: {message}", origin, "error", code))

    def _slide(self, s: Slide) -> None:
        if s.kind in ("title", "end"):
            return self._title_like(s, subtitle_types=("subTitle", "body"))
        if s.kind == "section":
            return self._title_like(s, subtitle_types=("body", "subTitle"))
        visuals = [b for b in s.body if isinstance(b, VISUAL)]
        text = [b for b in s.body if not isinstance(b, (*VISUAL, PageBreak))]
        _name, lay = self._layout(s)
        bodies = [ph for ph in lay.placeholders if ph.type in ("obj", "body") and ph.idx > 0]
        if len(visuals) == 1 and text and len(bodies) >= 2:
            return self._side_by_side(s, text, visuals[0])
        if visuals:
            return self._visual_slide(s, text, visuals)
        if len(bodies) >= 2:
            return self._columns_slide(s, text)
        return self._text_slide(s, text)

    # --- text -------------------------------------------------------------

    def _frame(self, ph: Placeholder, layout: str, box: Box | None = None) -> Frame:
        _x, _y, w, h = box or box_of(ph, layout, self.geo.where)
        l, t, r, b = ph.insets
        return Frame(pt(w), pt(h), (pt(l), pt(t), pt(r), pt(b)), self.margins)

    def _fit(self, frame: Frame, paras: list[Para], start: float, floor: float, where: str, what="text",
             allow_split=True, continued_as: str = "", origin: str = "") -> Fit:
        """Return how ``paras`` fit ``frame`` (shrunk, split or overflowing), recording a warning for each."""
        res = fit(self.m, paras, frame, start, floor, allow_split=allow_split)
        if res.shrunk:
            self._warn(where, origin, f"{what} shrunk from {start:g}pt to {res.size:g}pt to fit", "text-shrunk")
        if res.split:
            cont = f" (continued as '{continued_as}')" if continued_as else ""
            self._warn(where, origin, f"{what} split onto {len(res.pages)} slides{cont} at {res.size:g}pt", "text-split")
        if res.overflow:
            self._error(where, origin, f"{what} does not fit even at {res.size:g}pt, the theme's smallest (sizes.deck_body_min); shorten it, "
                        "or break it into shorter points", "text-overflow")
        return res

    @staticmethod
    def _fitted(res: Fit, start: float) -> Fitted:
        return Fitted(start, res.size, res.shrunk, len(res.pages), res.overflow)

    def _title(self, slide: PlannedSlide, runs: list[Run]) -> None:
        """Plan the slide's title: in its layout's title placeholder, else off the slide (``_off_slide_title``); told
        apart from an earlier slide's same title (``told_apart``) unless its number would make it too long to fit."""
        told = self.told_apart(runs)
        i = slide.title_target
        if i is None:
            slide.title_text = self._off_slide_title(slide, told)
            return
        ph = slide.placeholders[i]
        start = ph.title_size or self.sizes.deck_title
        floor = min(start, TITLE_FLOOR)  # a title may be set this small before it is an error
        frame = self._frame(ph, slide.layout)
        res = fit(self.m, [Para(told)], frame, start, floor, bold=True, allow_split=False)
        if res.overflow and told is not runs:  # the number would not fit: the title as written
            told = runs
            res = fit(self.m, [Para(told)], frame, start, floor, bold=True, allow_split=False)
        para = Para(told)
        if res.shrunk:
            self._warn(slide.where, slide.origin, f"title shrunk from {start:g}pt to {res.size:g}pt to fit", "text-shrunk")
        if res.overflow:
            self._error(slide.where, slide.origin, f"title does not fit even at {res.size:g}pt, the smallest a title may be set; shorten it", "text-overflow")
        slide.title_text = Text([para], Spec(res.size, floor, True), i, sized=res.size != start, role="title", fitted=self._fitted(res, start))

    def told_apart(self, runs: list[Run]) -> list[Run]:
        """Return ``runs``, a slide's title, followed by " (2)", " (3)"... when earlier slides have the same title
        (compared without case or extra spaces): PowerPoint's accessibility checker warns of duplicate titles, and a
        screen reader lists the slides by title."""
        def key(rs: list[Run]) -> str:
            return " ".join("".join(r.text for r in rs).split()).casefold()

        n = self.titles[key(runs)] = self.titles.get(key(runs), 0) + 1
        if n == 1:
            return runs
        told = [*runs, Run(f" ({n})")]
        self.titles[key(told)] = self.titles.get(key(told), 0) + 1
        return told

    def _off_slide_title(self, slide: PlannedSlide, runs: list[Run]) -> Text:
        """The title of a slide whose layout has no title placeholder: a title placeholder just above the slide (the
        way Microsoft documents to hide a slide title), as wide as the body area, as tall as its lines at the title size."""
        left, _top, width, _height = self._area(self.geo.layouts[slide.layout])
        size = self.sizes.deck_title
        para = Para(runs)
        insets = tuple(pt(v) for v in DEFAULT_INSETS)
        spec = Spec(size, size, True)
        height = int((self.m.height([para], spec, Frame(pt(width), 0.0, insets, self.margins)) + insets[1] + insets[3] + 2) * EMU_PER_PT)
        return Text([para], spec, None, box=(left, -height - GAP, width, height), role="title")

    @staticmethod
    def _body(slide: PlannedSlide) -> int | None:
        """The slide's first content or text placeholder after the title."""
        return next((i for i, ph in enumerate(slide.placeholders) if ph.type in ("obj", "body") and ph.idx > 0), None)

    def _title_like(self, s: Slide, subtitle_types) -> None:
        slide = self._new(s)
        self._title(slide, runs_of(s.title))
        if s.kind == "section" and slide.title_target is not None:
            slide.back_link = True
        paras: list[Para] = []
        if s.subtitle:
            paras.append(Para(runs_of(s.subtitle), group=0))
        paras.extend(paras_of([b for b in s.body if not isinstance(b, VISUAL)]))
        sub = next((i for i, ph in enumerate(slide.placeholders) if ph.type in subtitle_types and ph.idx > 0), None)
        if sub is not None and paras:
            ph = slide.placeholders[sub]
            start = ph.body_size or self.sizes.deck_body
            floor = self.sizes.deck_body_min
            points = any(p.bullet != "none" for p in paras)  # a section slide carrying its points (arrange.points_on_divider)
            for p in paras:
                if p.bullet == "none":
                    p.level, p.hang = 0, False
            box = divider_box(self, slide.layout)[1] if points and s.kind == "section" else None
            frame = self._frame(ph, slide.layout, box)
            # Points on a divider were measured to fit at a size arrange allows: set smaller, they are not "shrunk".
            res = fit(self.m, paras, frame, start, floor, allow_split=False) if box else \
                self._fit(frame, paras, start, floor, slide.where, "subtitle", allow_split=False, origin=slide.origin)
            slide.texts.append(Text(res.pages[0], Spec(res.size, floor), sub, box=box, sized=res.size != start or points, role="subtitle",
                                    fitted=self._fitted(res, start), bullets=points))

    def _text_slide(self, s: Slide, blocks) -> None:
        paras = paras_of(blocks)
        if s.subtitle:
            paras.insert(0, Para(runs_of(s.subtitle, bold=True), style="lead", group=0))
        start = self.sizes.deck_body_min if s.kind == "closing" else self.sizes.deck_body
        floor = self.sizes.deck_body_min
        name, lay = self._layout(s)
        body_ph = lay.find("obj", "body", idx=1)
        if body_ph is None:  # no body on the layout: a text box over the body area (never split)
            slide = self._new(s)
            self._title(slide, runs_of(s.title))
            if paras:
                area = self._area(lay)
                frame = Frame(pt(area[2]), pt(area[3]), tuple(pt(v) for v in DEFAULT_INSETS), self.margins)
                res = self._fit(frame, paras, start, floor, slide.where, origin=slide.origin)
                slide.texts.append(Text(res.pages[0], Spec(res.size, floor), None, box=area, fitted=self._fitted(res, start)))
            return
        where = self._where(s, len(self.slides) + 1)
        frame = self._frame(body_ph, name)
        big = fit(self.m, paras, frame, round(start * STATEMENT), start, allow_split=False) if s.kind == "statement" else None
        if big is not None and not big.overflow:  # a statement (the bottom line) set large, down to the body size
            res = Fit(big.pages, big.size, False, False)
        else:
            res = self._fit(frame, paras, start, floor, where, "body text", continued_as=plain(s.title) + self.cont, origin=s.origin)
        fitted = self._fitted(res, start)
        self._sparse(s, where, res, frame)
        for k, page in enumerate(res.pages):
            slide = self._new(s, cont=k > 0)
            self._title(slide, runs_of(s.title) + ([Run(self.cont)] if k else []))
            i = self._body(slide)
            if i is not None:
                slide.texts.append(Text(page, Spec(res.size, floor), i, fitted=fitted))

    def _sparse(self, s: Slide, where: str, res: Fit, frame: Frame) -> None:
        """Warn when a text slide's body is mostly empty (``deck.compose.sparse_below``): a divider-like slide of a few short points."""
        least = self.theme.deck.compose.sparse_below
        if not least or not s.origin or s.kind != "content" or len(res.pages) != 1 or not res.pages[0] or frame.inner_h <= 0:
            return
        share = self.m.height(res.pages[0], Spec(res.size, self.sizes.deck_body_min), frame) / frame.inner_h
        if share < least:
            fix = ("add points, move them to a neighbouring part, or set them beside the part's chart, figure or table (`layout: two-columns`)"
                   if s.origin.endswith(".points") else "add to it, or lower the theme's deck.compose.sparse_below")
            self._warn(where, s.origin, f"its text fills {share:.0%} of the slide's body (less than deck.compose.sparse_below, {least:.0%}); {fix}",
                       "slide-sparse")

    def _columns_slide(self, s: Slide, blocks) -> None:
        """Two Content / Comparison: blocks shared among the layout's body placeholders in order."""
        slide = self._new(s)
        self._title(slide, runs_of(s.title))
        phs = slide.placeholders
        targets = [i for i, ph in enumerate(phs) if ph.type in ("obj", "body") and ph.idx > 0]
        targets.sort(key=lambda i: box_of(phs[i], slide.layout, self.geo.where)[:2])
        if len(blocks) < len(targets):  # Comparison with only contents: skip headings
            contents = [i for i in targets if phs[i].type == "obj"]
            if len(contents) >= len(blocks):
                targets = contents
        chunks: list[list] = [[] for _ in targets]
        k = -1 if s.kind == "paired" else 0
        for i, b in enumerate(blocks):
            if s.kind == "paired":  # a joined part starts at its heading (arrange.paired)
                k += isinstance(b, Paragraph) and b.style == "heading"
            else:
                k = i
            chunks[max(0, min(k, len(targets) - 1))].append(b)
        floor = self.sizes.deck_body_min
        start = self.sizes.deck_body
        fitted = []
        for i, chunk in zip(targets, chunks):
            if not chunk:
                continue
            paras = paras_of(chunk)
            for p in paras:  # a joined part's title, as its column's heading (arrange.paired)
                if p.style == "heading":
                    p.runs = [replace(r, bold=True) for r in p.runs]
            frame = self._frame(phs[i], slide.layout)
            quiet = s.kind == "paired"  # measured by arrange before it joined them: a size it allows, not a shrink
            res = fit(self.m, paras, frame, start, floor, allow_split=False) if quiet else \
                self._fit(frame, paras, start, floor, slide.where, "column text", allow_split=False, origin=slide.origin)
            if res.overflow and quiet:
                self._error(slide.where, slide.origin, f"column text does not fit even at {res.size:g}pt", "text-overflow")
            fitted.append((i, res))
        if s.kind == "paired":  # both columns at one size
            least = min((res.size for _i, res in fitted), default=start)
            for _i, res in fitted:
                res.size = least
        for i, res in fitted:
            slide.texts.append(Text(res.pages[0], Spec(res.size, floor), i, role="column", fitted=self._fitted(res, start)))

    def _side_by_side(self, s: Slide, blocks, visual) -> None:
        """Two Content with text and one visual: the text in the left placeholder, the visual in the right one's box."""
        slide = self._new(s)
        self._title(slide, runs_of(s.title))
        phs = slide.placeholders
        targets = sorted((i for i, ph in enumerate(phs) if ph.type in ("obj", "body") and ph.idx > 0), key=lambda i: box_of(phs[i], slide.layout, self.geo.where)[:2])
        left, right = targets[0], targets[1]
        floor, start = self.sizes.deck_body_min, self.sizes.deck_body
        res = self._fit(self._frame(phs[left], slide.layout), paras_of(blocks), start, floor, slide.where, "column text", allow_split=False, origin=slide.origin)
        slide.texts.append(Text(res.pages[0], Spec(res.size, floor), left, role="column", fitted=self._fitted(res, start)))
        slide.drop.append(right)
        x, y, w, h = box_of(phs[right], slide.layout, self.geo.where)
        li, _t, ri, _b = phs[right].insets
        vbox = (x + li, y, w - li - ri, h)
        small = max(10.0, self.sizes.deck_notes)
        if isinstance(visual, Table):
            self._table(s, slide, self._layout(s)[1], vbox, visual, small, single=False)
        elif isinstance(visual, Chart):
            slide.visuals.append(chart_visual(self.m, self.margins, vbox, visual, small, max(self.sizes.deck_body_min, 16), plain(s.title), self.text("source"),
                                              chart_alt(visual, self.text)))
        else:
            slide.visuals.append(figure_visual(self.m, self.margins, vbox, visual, small))

    def _area(self, lay: LayoutGeometry) -> Box:
        """The body area of a layout: its body placeholder, else the master's."""
        ph = lay.find("obj", "body", idx=1)
        if ph is None:
            ph = self.geo.master_body
        if ph is not None:
            x, y, w, h = box_of(ph, lay.name, self.geo.where)
            li, _t, ri, _b = ph.insets
            return x + li, y, w - li - ri, h
        w, h = self.geo.width, self.geo.height
        return int(w * 0.05), int(h * 0.22), int(w * 0.9), int(h * 0.68)

    # --- visuals ------------------------------------------------------------

    def _visual_slide(self, s: Slide, text_blocks, visuals) -> None:
        _name, lay = self._layout(s)
        left, top, width, height = self._area(lay)
        small = max(10.0, self.sizes.deck_notes)
        floor = self.sizes.deck_body_min
        slide = self._new(s)
        self._title(slide, runs_of(s.title))
        paras = paras_of(text_blocks)
        if s.subtitle:
            paras.insert(0, Para(runs_of(s.subtitle, bold=True), style="lead", group=0))
        i = self._body(slide)
        if paras:  # above the visuals, in the body placeholder (or a text box) cut to the text's height
            cap = int(height * 0.35)
            insets = slide.placeholders[i].insets if i is not None else DEFAULT_INSETS
            frame = Frame(pt(width), pt(cap), tuple(pt(v) for v in insets), self.margins)
            res = self._fit(frame, paras, self.sizes.deck_body, floor, slide.where, "text above the visual", allow_split=False, origin=slide.origin)
            spec = Spec(res.size, floor)
            used = self.m.height(res.pages[0], spec, frame) + pt(sum(insets[1::2]))
            h = min(cap, int(used * EMU_PER_PT) + 2 * EMU_PER_PT)
            slide.texts.append(Text(res.pages[0], spec, i, box=(left, top, width, cap), height=h, role="lead-in",
                                    fitted=self._fitted(res, self.sizes.deck_body)))
            top += h + GAP
            height -= h + GAP
        elif i is not None:
            slide.drop.append(i)
        n = len(visuals)
        gap = 0.3 * EMU_PER_IN if n > 1 else 0
        each = int((width - gap * (n - 1)) / n)
        size = max(self.sizes.deck_body_min, 16)
        for k, v in enumerate(visuals):
            vbox = (int(left + k * (each + gap)), top, each, height)
            if isinstance(v, Table):
                slide = self._table(s, slide, lay, vbox, v, small, single=n == 1)
            elif isinstance(v, Chart):  # a slide with no title (a blank layout): the chart shows its own
                said = plain(s.title) if slide.title_target is not None else ""
                slide.visuals.append(chart_visual(self.m, self.margins, vbox, v, small, size, said, self.text("source"), chart_alt(v, self.text)))
            elif isinstance(v, KeyFigures):
                self._key_figures(slide, vbox, v)
            elif isinstance(v, Figure):
                pic = lay.find("pic")
                if pic is not None:  # the layout's own picture area
                    vbox = box_of(pic, lay.name, self.geo.where)
                slide.visuals.append(figure_visual(self.m, self.margins, vbox, v, small))

    def _key_figures(self, slide: PlannedSlide, vbox: Box, k: KeyFigures) -> None:
        """A row of big numbers over their labels, centred in ``vbox``: each value at the largest size up to
        60pt at which the widest fits its column (28pt at least), each label fitted below it."""
        left, top, width, height = vbox
        n = max(1, len(k.items))
        gap = int(0.3 * EMU_PER_IN)
        col = (width - gap * (n - 1)) // n
        values = [Para([Run(v, bold=True)]) for v, _l in k.items]
        size = next((s for s in steps(60, 28) if max(self.m.para_width(p, s, True) for p in values) <= pt(col) * 0.9), 28.0)
        if max(self.m.para_width(p, size, True) for p in values) > pt(col):
            self._error(slide.where, slide.origin, f"a key figure is too wide for its column even at {size:g}pt; shorten the value", "text-overflow")
        value_h = int(size * LINE * EMU_PER_PT) + 4 * EMU_PER_PT
        label_h = min(int(height * 0.45), int(3 * 20 * LINE * EMU_PER_PT) + 4 * EMU_PER_PT)
        y = top + max(0, (height - value_h - label_h) // 3)
        for j, (value, label) in enumerate(zip(values, (lab for _v, lab in k.items))):
            x = left + j * (col + gap)
            slide.texts.append(Text([value], Spec(size, size, True), None, box=(x, y, col, value_h), role="figure-value"))
            frame = Frame(pt(col), pt(label_h), (0.0, 0.0, 0.0, 0.0), self.margins)
            res = self._fit(frame, [Para(runs_of(label))], 20, self.sizes.deck_body_min, slide.where, "key figure label", allow_split=False, origin=slide.origin)
            slide.texts.append(Text(res.pages[0], Spec(res.size, self.sizes.deck_body_min), None, box=(x, y + value_h, col, label_h), role="figure-label",
                                    fitted=self._fitted(res, 20)))

    def _table(self, s: Slide, slide: PlannedSlide, lay: LayoutGeometry, vbox: Box, table: Table, small: float, single: bool) -> PlannedSlide:
        where = slide.where
        left, top, width, height = vbox
        header = [Para(runs_of(c)) for c in table.columns]
        rows = [[Para(runs_of(c)) for c in row] for row in table.rows]
        caption_paras = [Para(runs_of(table.caption))] if table.caption else []
        cap_h = caption_height(self.m, self.margins, width, height, caption_paras, small) if caption_paras else 0
        avail = pt(height - cap_h)
        floor = self.sizes.deck_table_min
        start = self.sizes.deck_table
        plan, pages, broken = choose_table(self.m, header, rows, pt(width), avail, start, floor, single)
        if plan.size < start:
            self._warn(where, slide.origin, f"table text shrunk from {start:g}pt to {plan.size:g}pt to fit", "table-shrunk")
        if broken:
            names = ", ".join(f"'{plain(table.columns[c])}'" if c < len(table.columns) else f"{c + 1}" for c in broken)
            self._warn(where, slide.origin, f"a word in column {names} is wider than the column can be even at {plan.size:g}pt, so it breaks inside; "
                       "shorten it, or show fewer columns on slides (`slides: {columns: [...]}` on the table)", "table-word-broken")
        if len(pages) > 1:
            self._warn(where, slide.origin, f"table of {len(rows)} rows split onto {len(pages)} slides (header row repeated)", "table-split")
        most = self.theme.deck.table_max_slides
        if len(pages) > most:
            self._warn(where, slide.origin, f"table of {len(rows)} rows needs {len(pages)} slides, more than the theme's {most} (deck.table_max_slides); "
                       "choose what the deck shows with `slides: {rows: N, columns: [...]}` on the table (the report keeps it whole)", "table-too-long")
        if sum(plan.heights[i] for i in pages[0]) + plan.heights[0] > avail + 0.5 and not single:
            self._error(where, slide.origin, f"table does not fit beside the slide's other visuals even at {plan.size:g}pt; "
                        "show fewer rows on slides (`slides: {rows: N}` on the table), or give the chart or figure a section of its own", "table-overflow")
        for k, idx in enumerate(pages):
            top_k = top
            if k:  # a continuation slide: the title again, no body placeholder, the table at the body's top
                slide = self._new(s, cont=True)
                self._title(slide, runs_of(s.title) + [Run(" " + self.text("slide_of", n=k + 1, total=len(pages)))])
                i = self._body(slide)
                if i is not None:
                    slide.drop.append(i)
                top_k = self._area(lay)[1]
            sub = page_of(plan, idx)
            cap = None
            if caption_paras:
                th = int(sum(sub.heights) * EMU_PER_PT)
                cap_box = (left, top_k + th + GAP // 2, width, cap_h - GAP // 2)
                cap, _h = caption(self.m, self.margins, cap_box, copy.deepcopy(caption_paras), small)
            said = plain(s.title) if s.kind == "table" or not table.caption else plain(table.caption)  # a table slide's title is its caption
            alt = " ".join(said.split()) + (" " + self.text("slide_of", n=k + 1, total=len(pages)) if len(pages) > 1 else "")
            slide.visuals.append(TableVisual((left, top_k, width, height), sub, header, [rows[i - 1] for i in idx], table.align,
                                             list(idx), k + 1, len(pages), cap, alt.strip()))
        return slide
