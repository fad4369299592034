"""The PPTX writer: a ``Deck`` tree and a ``Theme`` in, an editable .pptx out (python-pptx).

Slides come from the pack's slide master (``theme.deck.master``), each on the
layout its ``Slide.layout`` names. Text goes into the layout's placeholders and
inherits the master's styles; before it is placed it is measured with the TTF
metrics of the deck's font family (``pptx_fit``) and shrunk or split onto
"(cont.)" slides so that nothing overflows. Tables, charts and pictures are
native objects (``pptx_visuals``). Every shrink and split is returned as a
warning naming the slide and its outline origin.
"""

from __future__ import annotations

import copy
import os
from datetime import date, datetime, timezone

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.parts.slide import SlidePart
from pptx.util import Emu, Pt

from ..doctree import Chart, Deck, Figure, PageBreak, Paragraph, Slide, Table, plain
from . import pptx_visuals as vis
from .pptx_blocks import cites_in, clean, notes_lines, paras_of, runs_of, source_entries
from .pptx_fit import Fit, Fonts, Frame, Measurer, Para, Run, Spec, fit, left_margin, steps
from ..errors import InputError, Problem
from ..links import is_safe
from .pptx_master import (
    EMU_PER_PT,
    SLIDE_H,
    SLIDE_W,
    apply_theme,
    box,
    clone_footers,
    inherited_size,
    insets,
    level_margins,
    map_layouts,
    placeholder,
    save_deterministic,
    set_core,
)
from .pptx_scale import PartNames, fast_placeholder_lookup, index_relationships

VISUAL = (Table, Chart, Figure)
CONT = " (cont.)"
GAP = 8 * EMU_PER_PT  # between stacked things in the body area


def _date(meta) -> datetime:
    if getattr(meta, "created", ""):
        try:
            return datetime.fromisoformat(meta.created.replace("Z", "+00:00"))
        except ValueError:
            pass
    try:
        d = date.fromisoformat(str(meta.date)[:10])
        return datetime(d.year, d.month, d.day, 9, 0, 0, tzinfo=timezone.utc)
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=timezone.utc)


def pt(emu: int | float) -> float:
    return float(emu) / EMU_PER_PT


class PptxWriter:
    """``PptxWriter(master=PATH, strict=False)``.

    ``master`` is a .pptx whose slide master and layouts the deck uses instead of
    the pack's (``--master``); ``theme.deck.master_file`` does the same from the
    theme. With ``strict``, any shrink, split or overflow is an ``InputError``.
    """

    name = "pptx"
    suffix = ".pptx"
    tree = "deck"

    def __init__(self, master: str = "", strict: bool = False):
        self.master = master
        self.strict = strict

    def write(self, doc: Deck, theme, path: str) -> list[str]:
        """Render ``doc`` to the PPTX file at ``path``; return the warnings (every shrink and split)."""
        r = _Renderer(doc, theme, self.master)
        r.render()
        if self.strict and r.warnings:
            raise InputError([f"{path}: {w} (--strict)" for w in r.warnings])
        save_deterministic(r.prs, path)
        return r.warnings


def master_path(theme, master: str = "") -> str:
    """The slide master a deck is built on: ``master``, else ``theme.deck.master_file``, else the pack's; "" = none."""
    chosen = master or theme.deck.master_file
    if chosen:
        full = os.path.abspath(chosen)
        if not os.path.isfile(full):
            raise InputError(f"{chosen}: slide master file not found")
        return full
    return theme.path(theme.deck.master) if theme.deck.master else ""


def _shown(where: str) -> str:
    """``where`` as messages name it: relative to the working folder when inside it."""
    rel = os.path.relpath(where)
    return rel if not rel.startswith(os.pardir) else where


def master_error(where: str, exc: BaseException) -> InputError:
    """The ``InputError`` for slide master ``where`` whose content made python-pptx or the writer fail with ``exc``."""
    detail = " ".join(str(exc).split())[:160]
    return InputError(Problem(_shown(where), 0, 0, f"slide master: cannot be used ({type(exc).__name__}: {detail}); open it in PowerPoint and save it again as a .pptx"))


def open_master(where: str):
    """Open the slide master at ``where``: checked first (``mastercheck``: budgets, no macros,
    no external relationships, no DTDs, the parts the writer needs), then read by python-pptx;
    any problem is an ``InputError`` of one line naming the master, never an internal error.
    """
    from ..mastercheck import check

    why = check(where)  # cached: the theme load or the CLI usually checked it already
    if why:
        raise InputError(Problem(_shown(where), 0, 0, f"slide master: {why}"))
    try:
        return Presentation(where)
    except Exception as exc:  # python-pptx raises several kinds for a bad package
        raise master_error(where, exc) from None


def with_master(theme, path: str):
    """Return ``theme`` whose decks use the slide master at ``path`` (absolute, outside the pack)."""
    return theme.model_copy(update={"deck": theme.deck.model_copy(update={"master_file": os.path.abspath(path)})})


def preflight(doc: Deck, theme, master: str = "") -> None:
    """Raise ``InputError`` if the slide master lacks a layout or placeholder ``doc`` needs (renders nothing)."""
    where = master_path(theme, master)
    if not where:
        return
    prs = open_master(where)
    roles = {name: role for role, name in reversed(list(theme.deck.layouts.model_dump().items()))}
    lay = theme.deck.layouts
    names = [s.layout or {"title": lay.title, "section": lay.section}.get(s.kind, lay.content) for s in doc.slides]
    try:
        layouts = map_layouts(prs, [(n, roles.get(n)) for n in names], where)
        _read_master(prs, layouts.values())
    except InputError:
        raise
    except Exception as exc:  # the master's content, not reportgen: say so, naming the master
        raise master_error(where, exc) from None


class _Renderer:
    def __init__(self, doc: Deck, theme, master: str = ""):
        self.doc = doc
        self.theme = theme
        self.warnings: list[str] = []
        where = master_path(theme, master)
        if where:
            self.prs = open_master(where)
            try:
                self._setup(theme, where)
            except InputError:
                raise
            except Exception as exc:  # the master's content broke python-pptx or the writer: the user's file, not a bug
                raise master_error(where, exc) from None
        else:
            where = "python-pptx default template"
            self.prs = Presentation()
            _widen(self.prs)
            self._setup(theme, where)
        fam = theme.family("deck")
        mono = theme.family("mono")
        p = theme.path
        self.fonts = Fonts.from_paths(
            p(fam.regular),
            p(fam.bold) if fam.bold else "",
            p(fam.italic) if fam.italic else "",
            p(fam.bold_italic) if fam.bold_italic else "",
            p(mono.regular),
        )
        self.mono_name = mono.office_name
        self.font_name = fam.office_name
        self.m = Measurer(self.fonts)
        self.ids: dict[str, object] = {}
        self.links: list[tuple[object, object, str, str]] = []  # (rPr, slide, href, where)
        self.count = 0
        meta = doc.meta
        classification = meta.classification or theme.marking.default
        self.footer = " · ".join(x for x in (classification, theme.footer) if x)
        self.sizes = theme.sizes
        self.sources: dict[int, str] = {}  # the closing slide's numbered list: cite number → entry
        for s in doc.slides:
            if s.kind == "closing":
                self.sources.update(source_entries(s.body))
        self.agenda = None  # the agenda slide, once made: section slides link back to it
        self.back_links: list[object] = []  # section slides' title shapes
        # frames and sizes of placeholders that inherit them all from their layout, per layout placeholder
        self._frames: dict[tuple, Frame] = {}
        self._sizes: dict[tuple, float | None] = {}
        self._footers: dict = {}  # clone_footers' per-layout findings
        self._slide_id: int | None = None  # the last p:sldId id given (see _add_slide)
        self._slides = 0  # slides in the deck (see _add_slide)

    def _setup(self, theme, where: str) -> None:
        """Everything that reads the slide master: its slides dropped, layouts mapped, theme part rewritten."""
        self.master_where = where
        _drop_slides(self.prs)
        fast_placeholder_lookup()  # python-pptx's placeholder test, compiled once per process
        PartNames.install(self.prs)  # notes slides and charts named in O(1), not by a walk over every part
        index_relationships(self.prs.part)  # one relationship per slide: looked up by type in O(1)
        roles = {name: role for role, name in reversed(list(theme.deck.layouts.model_dump().items()))}
        wanted = [(self._layout_name(s), roles.get(self._layout_name(s))) for s in self.doc.slides]
        self.layouts = map_layouts(self.prs, wanted, where)
        apply_theme(self.prs, theme)
        self.margins = [pt(v) for v in level_margins(self.prs)]
        _read_master(self.prs, self.layouts.values())

    # --- the deck ---------------------------------------------------------

    def _layout_name(self, s: Slide) -> str:
        if s.layout:
            return s.layout
        lay = self.theme.deck.layouts
        return {"title": lay.title, "section": lay.section}.get(s.kind, lay.content)

    def render(self) -> None:
        for s in self.doc.slides:
            self._slide(s)
        self._resolve_links()
        meta = self.doc.meta
        set_core(
            self.prs,
            title=meta.title,
            author=meta.author,
            subject=meta.subject or meta.subtitle,
            keywords=", ".join(meta.keywords),
            when=_date(meta),
        )

    def _new(self, s: Slide, cont: bool = False):
        slide = self._add_slide(self.layouts[self._layout_name(s)])
        self.count += 1
        if not cont and s.id:
            self.ids[s.id] = slide
        if not cont and s.kind == "agenda" and self.agenda is None:
            self.agenda = slide
        if s.kind != "title":
            clone_footers(slide, self.footer, self.count, self.doc.meta.date_text, self.font_name, self._footers)
        lines = self._notes(s) if not cont else []
        if lines:
            tf = slide.notes_slide.notes_text_frame
            tf.text = lines[0]
            for line in lines[1:]:
                tf.add_paragraph().text = line
        return slide

    def _add_slide(self, layout):
        """``prs.slides.add_slide(layout)``, with the new slide's id and part name counted.

        python-pptx's ``Slides.add_slide`` and ``PresentationPart.add_slide``
        are these steps, but find the next ``p:sldId`` id with an XPath over
        every slide's (``_next_id``) and the next part name by counting the
        slide list (``len`` of an lxml element walks its children): O(n²) for
        a deck of n slides. Same part name, part, relationship, placeholders,
        and ``<p:sldId id=... r:id=...>`` as python-pptx would give.
        """
        lst = self.prs.slides._sldIdLst
        if self._slide_id is None:
            self._slide_id = max([255] + [int(e.get("id")) for e in lst.findall(qn("p:sldId"))])
            self._slides = len(lst)
        self._slides += 1
        part = SlidePart.new(PackURI(f"/ppt/slides/slide{self._slides}.xml"), self.prs.part.package, layout.part)
        rId = self.prs.part.relate_to(part, RT.SLIDE)
        slide = part.slide
        slide.shapes.clone_layout_placeholders(layout)
        self._slide_id += 1
        el = lst._add_sldId(id=self._slide_id, rId=rId)
        assert el is not None
        return slide

    def _notes(self, s: Slide) -> list[str]:
        """Speaker notes: the prose, then the sources the slide and its prose cite, by number ("[2] title. publisher, date. url")."""
        lines = [line for line in notes_lines(s.notes)]
        if s.kind == "closing":
            return lines
        cited = cites_in(s.notes, cites_in(s.body, cites_in([Paragraph(s.title), Paragraph(s.subtitle)])))
        known = sorted(n for n in cited if n in self.sources)
        if known:
            lines += ["", "Sources:" if len(known) > 1 else "Source:"]
            lines += [f"[{n}] {self.sources[n]}" for n in known]
        return lines

    def _where(self, s: Slide, n: int | None = None) -> str:
        title = " ".join(plain(s.title).split()) or s.kind
        if len(title) > 60:
            title = title[:59] + "…"
        origin = f" ({s.origin})" if s.origin else ""
        return f"slide {n or self.count} '{title}'{origin}"

    # --- text -------------------------------------------------------------

    def _frame(self, shape) -> Frame:
        key = _inherited_key(shape)
        if key is not None and key in self._frames:
            return self._frames[key]
        l, t, r, b = insets(shape)
        _x, _y, w, h = box(shape)
        frame = Frame(pt(w), pt(h), (pt(l), pt(t), pt(r), pt(b)), self.margins)
        if key is not None:
            self._frames[key] = frame
        return frame

    def _inherited_size(self, shape, kind: str) -> float | None:
        key = _inherited_key(shape, sizes=True)
        if key is None:
            return inherited_size(shape, kind, self.prs)
        key = (*key, kind)
        if key not in self._sizes:
            self._sizes[key] = inherited_size(shape, kind, self.prs)
        return self._sizes[key]

    def fill_runs(self, p, runs: list[Run], size: float | None, bold=False, colour: str | None = None, where=None, slide=None):
        for run in runs:
            if run.text == "\n":
                p.add_line_break()
                continue
            r = p.add_run()
            r.text = run.text
            f = r.font
            if size:
                f.size = Pt(size)
            if run.bold or bold:
                f.bold = True
            if run.italic:
                f.italic = True
            if run.code:
                f.name = self.mono_name
            if colour:
                f.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
            if run.href:
                if not is_safe(run.href):  # composing refuses these; never write one as an action
                    raise ValueError(f"unsafe link target reached the PPTX writer: {run.href[:80]!r}")
                if run.href.startswith("#"):
                    self.links.append((r._r.get_or_add_rPr(), slide, run.href[1:], where or ""))
                else:
                    r.hyperlink.address = run.href
        if size:
            end = p._p.get_or_add_endParaRPr()
            end.set("sz", str(int(round(size * 100))))

    def fill_para(self, p, para: Para, spec: Spec, first: bool, sized: bool = True, slide=None, where=None):
        size = spec.size(para)
        p.level = min(para.level, 8)
        p.space_before = Pt(spec.space_before(para, first))
        ppr = p._p.get_or_add_pPr()
        if para.bullet == "none":
            lvl = min(para.level, 8)
            ppr.set("marL", str(int(round(self.margins[lvl] * EMU_PER_PT)) if para.hang else 0))
            ppr.set("indent", "0")
            etree.SubElement(ppr, qn("a:buNone"))
        elif para.bullet == "number":
            mar = int(round(left_margin(para, self.margins, size) * EMU_PER_PT))
            ppr.set("marL", str(mar))
            ppr.set("indent", str(-mar))
            etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod", startAt=str(max(para.number, 1)))
        self.fill_runs(p, para.runs, size if sized else None, slide=slide, where=where)

    def put_text(self, shape, paras: list[Para], spec: Spec, sized: bool = True, slide=None, where=None) -> None:
        tf = shape.text_frame
        tf.clear()
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        for i, para in enumerate(paras):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            self.fill_para(p, para, spec, i == 0, sized, slide, where)

    def put_title(self, slide, s: Slide, runs: list[Run], where: str) -> None:
        ph = slide.shapes.title
        if ph is None:
            return
        start = self._inherited_size(ph, "title") or self.sizes.deck_title
        floor = max(self.sizes.deck_body_min, round(start * 0.6))
        para = Para(runs)
        res = fit(self.m, [para], self._frame(ph), start, floor, bold=True, allow_split=False)
        if res.shrunk:
            self.warnings.append(f"{where}: title shrunk from {start:g}pt to {res.size:g}pt to fit")
        if res.overflow:
            self.warnings.append(f"{where}: title does not fit even at {res.size:g}pt")
        self.put_text(ph, [para], Spec(res.size, floor, True), sized=res.size != start, slide=slide, where=where)

    def fit_text(self, shape, paras: list[Para], start: float, floor: float, where: str, what="text", allow_split=True, continued_as: str = "") -> Fit:
        """Return how ``paras`` fit ``shape`` (shrunk, split or overflowing), recording a warning for each."""
        res = fit(self.m, paras, self._frame(shape), start, floor, allow_split=allow_split)
        if res.shrunk:
            self.warnings.append(f"{where}: {what} shrunk from {start:g}pt to {res.size:g}pt to fit")
        if res.split:
            cont = f" (continued as '{continued_as}')" if continued_as else ""
            self.warnings.append(f"{where}: {what} split onto {len(res.pages)} slides{cont} at {res.size:g}pt")
        if res.overflow:
            self.warnings.append(f"{where}: {what} does not fit even at {res.size:g}pt")
        return res

    # --- slides -----------------------------------------------------------

    def _slide(self, s: Slide) -> None:
        if s.kind == "title":
            return self._title_like(s, subtitle_types=("subTitle", "body"))
        if s.kind == "section":
            return self._title_like(s, subtitle_types=("body", "subTitle"))
        visuals = [b for b in s.body if isinstance(b, VISUAL)]
        text = [b for b in s.body if not isinstance(b, (*VISUAL, PageBreak))]
        layout = self.layouts[self._layout_name(s)]
        bodies = [ph for ph in layout.placeholders if ph._element.ph.get("type", "obj") in ("obj", "body") and ph.placeholder_format.idx > 0]
        if visuals:
            return self._visual_slide(s, text, visuals)
        if len(bodies) >= 2:
            return self._columns_slide(s, text, bodies)
        return self._text_slide(s, text)

    def _title_like(self, s: Slide, subtitle_types) -> None:
        slide = self._new(s)
        where = self._where(s)
        self.put_title(slide, s, runs_of(s.title), where)
        if s.kind == "section" and slide.shapes.title is not None:
            self.back_links.append(slide.shapes.title)
        paras: list[Para] = []
        if s.subtitle:
            paras.append(Para(runs_of(s.subtitle), group=0))
        paras.extend(paras_of([b for b in s.body if not isinstance(b, VISUAL)]))
        sub = None
        for ph in slide.placeholders:
            if ph._element.ph.get("type") in subtitle_types and ph.placeholder_format.idx > 0:
                sub = ph
                break
        if sub is not None and paras:
            start = self._inherited_size(sub, "body") or self.sizes.deck_body
            for p in paras:
                p.bullet, p.level, p.hang = "none", 0, False
            res = self.fit_text(sub, paras, start, self.sizes.deck_body_min, where, "subtitle", allow_split=False)
            self.put_text(sub, res.pages[0], Spec(res.size, self.sizes.deck_body_min), sized=res.size != start, slide=slide, where=where)
        self._tidy(slide)

    def _text_slide(self, s: Slide, blocks) -> None:
        paras = paras_of(blocks)
        if s.subtitle:
            paras.insert(0, Para(runs_of(s.subtitle, bold=True), style="lead", group=0))
        start = self.sizes.deck_body_min if s.kind == "closing" else self.sizes.deck_body
        floor = self.sizes.deck_body_min
        layout = self.layouts[self._layout_name(s)]
        body_ph = placeholder(layout, "obj", "body", idx=1)
        if body_ph is None:
            slide = self._new(s)
            self.put_title(slide, s, runs_of(s.title), self._where(s))
            if paras:
                area = self._area(layout)
                tb = slide.shapes.add_textbox(*area)
                res = self.fit_text(tb, paras, start, floor, self._where(s))
                self.put_text(tb, res.pages[0], Spec(res.size, floor), slide=slide, where=self._where(s))
            self._tidy(slide)
            return
        first_n = self.count + 1
        where = self._where(s, first_n)
        res = self.fit_text(body_ph, paras, start, floor, where, "body text", continued_as=plain(s.title) + CONT)
        for k, page in enumerate(res.pages):
            slide = self._new(s, cont=k > 0)
            title = runs_of(s.title) + ([Run(CONT)] if k else [])
            self.put_title(slide, s, title, self._where(s))
            ph = _body(slide)
            if ph is not None:
                self.put_text(ph, page, Spec(res.size, floor), slide=slide, where=self._where(s))
            self._tidy(slide)

    def _columns_slide(self, s: Slide, blocks, bodies) -> None:
        """Two Content / Comparison: blocks shared among the layout's body placeholders in order."""
        slide = self._new(s)
        where = self._where(s)
        self.put_title(slide, s, runs_of(s.title), where)
        targets = [ph for ph in slide.placeholders if ph._element.ph.get("type", "obj") in ("obj", "body") and ph.placeholder_format.idx > 0]
        targets.sort(key=lambda ph: (ph.left, ph.top))
        if len(blocks) < len(targets):  # Comparison with only contents: skip headings
            contents = [ph for ph in targets if ph._element.ph.get("type", "obj") == "obj"]
            if len(contents) >= len(blocks):
                targets = contents
        chunks: list[list] = [[] for _ in targets]
        for i, b in enumerate(blocks):
            chunks[min(i, len(targets) - 1)].append(b)
        floor = self.sizes.deck_body_min
        for ph, chunk in zip(targets, chunks):
            if not chunk:
                continue
            paras = paras_of(chunk)
            start = self.sizes.deck_body
            res = self.fit_text(ph, paras, start, floor, where, "column text", allow_split=False)
            self.put_text(ph, res.pages[0], Spec(res.size, floor), slide=slide, where=where)
        self._tidy(slide)

    def _area(self, layout) -> tuple[int, int, int, int]:
        """The body area of ``layout``: its body placeholder, else the master's."""
        ph = placeholder(layout, "obj", "body", idx=1)
        if ph is None:
            ph = placeholder(self.prs.slide_master, "body")
        if ph is not None:
            x, y, w, h = box(ph)
            li, _t, ri, _b = insets(ph)
            return x + li, y, w - li - ri, h
        w, h = self.prs.slide_width, self.prs.slide_height
        return int(w * 0.05), int(h * 0.22), int(w * 0.9), int(h * 0.68)

    def _visual_slide(self, s: Slide, text_blocks, visuals) -> None:
        layout = self.layouts[self._layout_name(s)]
        area = self._area(layout)
        left, top, width, height = area
        small = max(10.0, self.sizes.deck_notes)
        floor = self.sizes.deck_body_min
        slide = self._new(s)
        where = self._where(s)
        self.put_title(slide, s, runs_of(s.title), where)
        paras = paras_of(text_blocks)
        if s.subtitle:
            paras.insert(0, Para(runs_of(s.subtitle, bold=True), style="lead", group=0))
        ph = _body(slide)
        if paras:
            cap = int(height * 0.35)
            tb = ph if ph is not None else slide.shapes.add_textbox(left, top, width, cap)
            tb.left, tb.top, tb.width, tb.height = left, top, width, cap
            res = self.fit_text(tb, paras, self.sizes.deck_body, floor, where, "text above the visual", allow_split=False)
            spec = Spec(res.size, floor)
            used = self.m.height(res.pages[0], spec, self._frame(tb)) + pt(sum(insets(tb)[1::2]))
            tb.height = Emu(min(cap, int(used * EMU_PER_PT) + 2 * EMU_PER_PT))
            self.put_text(tb, res.pages[0], spec, slide=slide, where=where)
            top += int(tb.height) + GAP
            height -= int(tb.height) + GAP
        elif ph is not None:
            ph._element.getparent().remove(ph._element)
        n = len(visuals)
        gap = 0.3 * 914400 if n > 1 else 0
        each = int((width - gap * (n - 1)) / n)
        for i, v in enumerate(visuals):
            vbox = (int(left + i * (each + gap)), top, each, height)
            if isinstance(v, Table):
                slide = self._table(s, slide, vbox, v, small, where, single=n == 1)
            elif isinstance(v, Chart):
                self._chart(slide, vbox, v, small, plain(s.title))
            elif isinstance(v, Figure):
                self._figure(slide, vbox, v, small)
        self._tidy(slide)

    def _caption(self, slide, vbox, paras: list[Para], size: float) -> int:
        """Put ``paras`` as a small text box at the bottom of ``vbox``; return its height (EMU)."""
        left, top, width, height = vbox
        frame = Frame(pt(width), pt(height), (0.0, 2.0, 0.0, 2.0), self.margins)
        spec = Spec(size, size, first_space=False)
        for p in paras:
            p.bullet, p.level, p.hang = "none", 0, False
        h = self.m.height(paras, spec, frame) + 4.0 + 2.0
        h_emu = int(h * EMU_PER_PT)
        tb = vis.add_textbox(slide, (left, top + height - h_emu, width, h_emu), paras, size, self._caption_para, frame, self.m, size)
        tb.text_frame.paragraphs[0].space_before = Pt(0)
        return h_emu

    def _caption_para(self, p, para: Para, spec: Spec, first: bool) -> None:
        p.space_before = Pt(spec.space_before(para, first))
        self.fill_runs(p, para.runs, spec.size(para), colour=self.theme.palette.muted)

    def _chart(self, slide, vbox, chart: Chart, small: float, slide_title: str) -> None:
        left, top, width, height = vbox
        used = 0
        if chart.source:
            used = self._caption(slide, vbox, [Para([Run("Source: " + clean(chart.source), italic=True)])], small) + GAP // 2
        same = chart.title.strip().casefold() == slide_title.strip().casefold()  # said once is enough
        vis.add_chart(slide, (left, top, width, height - used), chart, self.theme, size=max(self.sizes.deck_body_min, 16), title=not same)

    def _figure(self, slide, vbox, fig: Figure, small: float) -> None:
        pic_ph = placeholder(slide.slide_layout, "pic")
        if pic_ph is not None:  # the layout's own picture area
            vbox = box(pic_ph)
        left, top, width, height = vbox
        used = 0
        if fig.caption:
            used = self._caption(slide, vbox, [Para(runs_of(fig.caption))], small) + GAP // 2
        alt = " ".join(clean(fig.alt).split()) or " ".join(clean(plain(fig.caption)).split())
        vis.add_figure(slide, (left, top, width, height - used), fig.path, alt)

    def _table(self, s: Slide, slide, vbox, table: Table, small: float, where: str, single: bool):
        left, top, width, height = vbox
        header = [Para(runs_of(c)) for c in table.columns]
        rows = [[Para(runs_of(c)) for c in row] for row in table.rows]
        cap_h = 0
        caption = [Para(runs_of(table.caption))] if table.caption else []
        if caption:
            frame = Frame(pt(width), pt(height), (0.0, 2.0, 0.0, 2.0), self.margins)
            cap_h = int((self.m.height(caption, Spec(small, small, first_space=False), frame) + 6.0) * EMU_PER_PT) + GAP // 2
        avail = pt(height - cap_h)
        floor = self.sizes.deck_body_min
        start = max(floor, min(self.sizes.deck_body - 4, 16))
        plans = [vis.plan_table(self.m, header, rows, pt(width), size) for size in steps(start, floor)]
        fitting = [p for p in plans if sum(p.heights) <= avail]
        if fitting or not single:
            plan = fitting[0] if fitting else plans[-1]
            pages = [list(range(1, len(plan.heights)))]
        else:  # split: the largest size that needs no more slides than the smallest does
            n = len(vis.paginate_table(plans[-1].heights, avail))
            plan = next(p for p in plans if len(vis.paginate_table(p.heights, avail)) <= n)
            pages = vis.paginate_table(plan.heights, avail)
        if plan.size < start:
            self.warnings.append(f"{where}: table text shrunk from {start:g}pt to {plan.size:g}pt to fit")
        if len(pages) > 1:
            self.warnings.append(f"{where}: table of {len(rows)} rows split onto {len(pages)} slides (header row repeated)")
        if sum(plan.heights[i] for i in pages[0]) + plan.heights[0] > avail + 0.5 and not single:
            self.warnings.append(f"{where}: table does not fit beside other visuals")
        for k, idx in enumerate(pages):
            if k:
                self._tidy(slide)
                slide = self._new(s, cont=True)
                self.put_title(slide, s, runs_of(s.title) + [Run(CONT)], self._where(s))
                ph = _body(slide)
                if ph is not None:
                    ph._element.getparent().remove(ph._element)
                top_k = self._area(slide.slide_layout)[1]
            else:
                top_k = top
            sub = vis.TablePlan(plan.widths, [plan.heights[0]] + [plan.heights[i] for i in idx], plan.size)
            vis.add_table(slide, (left, top_k, width, height), sub, header, [rows[i - 1] for i in idx], table.align, self.theme, self.fill_runs)
            if caption:
                th = int(sum(sub.heights) * EMU_PER_PT)
                cap_box = (left, top_k + th + GAP // 2, width, cap_h - GAP // 2)
                self._caption(slide, cap_box, copy.deepcopy(caption), small)
        return slide

    # --- finishing --------------------------------------------------------

    def _tidy(self, slide) -> None:
        """Remove placeholders left empty (they would show prompt text when editing)."""
        for ph in list(slide.placeholders):
            t = ph._element.ph.get("type", "obj")
            if t in ("ftr", "sldNum", "dt"):
                continue
            if ph.has_text_frame and not ph.text_frame.text.strip():
                ph._element.getparent().remove(ph._element)

    def _resolve_links(self) -> None:
        if self.agenda is not None:  # a click on a section slide's title goes back to the agenda
            for shape in self.back_links:
                shape.click_action.target_slide = self.agenda
        for rpr, slide, target, where in self.links:
            dest = self.ids.get(target)
            if dest is None:
                self.warnings.append(f"{where}: link to '#{target}' has no slide with that id; left as plain text")
                continue
            rid = slide.part.relate_to(dest.part, RT.SLIDE)
            h = rpr.add_hlinkClick(rid)
            h.set("action", "ppaction://hlinksldjump")


_INSETS = ("lIns", "tIns", "rIns", "bIns")


def _inherited_key(shape, sizes: bool = False) -> tuple | None:
    """A key naming the layout placeholder ``shape`` takes its box and insets (or, with ``sizes``, its
    text sizes) from, when it sets none of them itself; else None.

    Looking them up through python-pptx walks the layout's shapes each time (an XPath per shape):
    the renderer keeps what it found per key instead.
    """
    el = shape._element
    ph = el.ph
    if ph is None:
        return None
    sp_pr = el.find(qn("p:spPr"))
    if not sizes and sp_pr is not None and sp_pr.find(qn("a:xfrm")) is not None:
        return None
    body = el.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
    if not sizes and body is not None and any(body.get(n) is not None for n in _INSETS):
        return None
    if sizes and el.find(f".//{qn('a:lstStyle')}/*") is not None:
        return None
    part = shape.part
    layout = part.part_related_by(RT.SLIDE_LAYOUT) if part.partname.startswith("/ppt/slides/") else part
    return (str(layout.partname), ph.get("type", "obj"), ph.get("idx", "0"))


def _body(slide):
    for ph in slide.placeholders:
        if ph._element.ph.get("type", "obj") in ("obj", "body") and ph.placeholder_format.idx > 0:
            return ph
    return None


_CORE = ("title", "author", "subject", "keywords", "comments", "category", "last_modified_by", "revision", "created", "modified")


def _read_master(prs, layouts) -> None:
    """Read once what python-pptx parses of the master mid-render, so that what it cannot parse
    fails here, where it is reported as the master's fault (``mastercheck`` has checked the
    numbers and names these read; this is the second line).

    Reads only: the kind and index of the slide master's and the used layouts' placeholders, the
    layouts' cloneable placeholders, the notes master's placeholders if the master has one (none
    is created), and the core properties. Placeholder boxes and insets are not followed through
    their inheritance here: that walk costs more than the rest of the setup.
    """
    master = prs.slide_master
    for owner in (master, *{id(layout): layout for layout in layouts}.values()):
        for ph in owner.placeholders:
            ph.placeholder_format.type, ph.placeholder_format.idx  # noqa: B018 (parsed on access)
        if owner is not master:
            list(owner.iter_cloneable_placeholders())
    try:
        notes = prs.part.part_related_by(RT.NOTES_MASTER)
    except KeyError:
        notes = None
    if notes is not None:
        for ph in notes.notes_master.placeholders:
            ph.placeholder_format.type, ph.placeholder_format.idx  # noqa: B018
    core = prs.core_properties
    for name in _CORE:
        getattr(core, name)


def _drop_slides(prs) -> None:
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


def _widen(prs) -> None:
    """python-pptx's default template is 4:3: make it 16:9 and stretch its placeholders."""
    old_w = prs.slide_width
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.part._element.find(qn("p:sldSz")).attrib.pop("type", None)
    k = SLIDE_W / old_w
    for owner in [prs.slide_master, *prs.slide_layouts]:
        for shape in owner.shapes:
            xfrm = shape._element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
            if xfrm is None:
                continue
            off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
            off.set("x", str(int(int(off.get("x")) * k)))
            ext.set("cx", str(int(int(ext.get("cx")) * k)))


def overflowing_frames(path: str, theme) -> list[str]:
    """Frames in the deck at ``path`` whose text is taller than their box (see ``pptx_check``)."""
    from .pptx_check import overflowing_frames as check

    return check(path, theme)
