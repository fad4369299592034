"""Drawing a ``DeckPlan`` with python-pptx: slides, footers, notes, text, visuals, links, core properties.

Nothing is decided here: each planned slide is made on its layout, and its
title, texts, removed placeholders and visuals are drawn in the plan's order
(the order decides shape ids and relationship ids, so the bytes), each
picture, chart and table with its text alternative, then put in reading order
(``a11y``: title first, footers last). Text is set
run by run with the sizes the plan chose; placeholders left empty are removed;
links to slides are resolved once every slide exists. Colours are the
palette's, each legible on its background (``theme_part.legible``): a key
figure's value in the accent colour, bold, its label in the text colour.
"""

from __future__ import annotations

import re
from functools import partial

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Pt

from ...compat.pptx import (
    SlideAdder,
    add_title_placeholder,
    escape_control_characters,
    jump_to_slide,
    link_in_text_colour,
    link_to_url,
    paragraph_element,
    paragraph_of,
    qn,
    relate_slide,
    run_properties,
    shape_tree,
    text_body,
)
from ...links import is_safe
from .a11y import describe, reading_order
from .emit_visuals import add_caption, add_chart, add_figure, add_table
from .fit import Para, Run, Spec, left_margin
from .footers import clone_footers
from .model import ChartVisual, DeckPlan, PlannedSlide, TableVisual, Text
from .package import set_core
from .theme_part import TEXT_CONTRAST, contrast, layout_background, legible, read_scheme
from .units import EMU_PER_PT

_FOOTER_KINDS = ("ftr", "sldNum", "dt")
_R, _RPR, _T, _BR, _END_RPR = qn("a:r"), qn("a:rPr"), qn("a:t"), qn("a:br"), qn("a:endParaRPr")
_PPR, _SPC_BEF, _SPC_PTS = qn("a:pPr"), qn("a:spcBef"), qn("a:spcPts")
_SOLID_FILL, _SRGB, _LATIN = qn("a:solidFill"), qn("a:srgbClr"), qn("a:latin")
_P, _LINE_BREAKS = qn("a:p"), re.compile("\n|\v")
_BODY_PR, _NO_AUTOFIT, _CONTENT = qn("a:bodyPr"), qn("a:noAutofit"), frozenset({qn("a:r"), qn("a:br"), qn("a:fld")})
_AUTOFIT = frozenset({qn("a:noAutofit"), qn("a:normAutofit"), qn("a:spAutoFit")})
_AFTER_AUTOFIT = frozenset({qn("a:scene3d"), qn("a:sp3d"), qn("a:flatTx"), qn("a:extLst")})  # (what the schema puts after it)
_SP, _PH, _TX_BODY = qn("p:sp"), f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}", qn("p:txBody")
_ROLE_COLOURS = {"figure-value": "accent", "figure-label": "text"}  # a text's role -> the palette colour it is set in (else its placeholder's)


def emit(prs, layouts: dict, plan: DeckPlan, theme, footer_cache: dict | None = None) -> None:
    """Draw ``plan`` into ``prs`` (its slides dropped, its layouts mapped by name in ``layouts``)."""
    _Emitter(prs, layouts, plan, theme, footer_cache).run()


def notes_in_languages(tf, lines: list[str], lang: str) -> None:
    """Set speaker-notes ``lines`` in the notes text frame ``tf``, a paragraph each, every run in ``lang`` but a
    span's text, in its own language (``blocks.Line``)."""
    for k, line in enumerate(lines):
        p = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
        for text, own in getattr(line, "parts", None) or ((line, ""),):
            for j, piece in enumerate(text.split("\n")):
                if j:
                    p.add_line_break()
                if piece:
                    r = p.add_run()
                    r.text = piece
                    run_properties(r).set("lang", own or lang)


def _cleared(tf):
    """Return the first paragraph of text frame ``tf`` once emptied, its text wrapped and never fitted by PowerPoint:
    what python-pptx's ``tf.clear()``, ``tf.word_wrap = True`` and ``tf.auto_size = MSO_AUTO_SIZE.NONE`` make of
    it, made here with lxml (its properties kept; ``a:noAutofit`` where the schema puts it)."""
    body = text_body(tf)
    paras = body.findall(_P)
    props = body.find(_BODY_PR)
    if not paras or props is None:  # (never from a layout or a text box: python-pptx's way, as it was)
        tf.clear()
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        return tf.paragraphs[0]
    for p in paras[1:]:
        body.remove(p)
    for el in list(paras[0]):
        if el.tag in _CONTENT:
            paras[0].remove(el)
    props.set("wrap", "square")
    for el in list(props):
        if el.tag in _AUTOFIT:
            props.remove(el)
    after = next((el for el in props if el.tag in _AFTER_AUTOFIT), None)
    fit = props.makeelement(_NO_AUTOFIT)
    if after is not None:
        after.addprevious(fit)
    else:
        props.append(fit)
    return paragraph_of(paras[0], tf)


def plain_notes(tf, lines: list[str], lang: str) -> None:
    """Set speaker-notes ``lines`` in the notes text frame ``tf``, every run in ``lang``, as python-pptx's
    ``tf.text = lines[0]`` (a paragraph per line of it) and ``tf.add_paragraph().text = line`` for the others (a
    line break per "\\n" or "\\v") write them, made here with lxml (same elements, control characters escaped alike)."""
    body = text_body(tf)
    for p in body.findall(_P):
        body.remove(p)
    for text in (*lines[0].split("\n"), *lines[1:]):
        p = etree.SubElement(body, _P)
        for k, piece in enumerate(_LINE_BREAKS.split(text)):
            if k:
                etree.SubElement(p, _BR)
            if piece:
                r = etree.SubElement(p, _R)
                etree.SubElement(r, _RPR, lang=lang)
                etree.SubElement(r, _T).text = escape_control_characters(piece)


class _Emitter:
    def __init__(self, prs, layouts: dict, plan: DeckPlan, theme, footer_cache: dict | None):
        self.prs = prs
        self.layouts = layouts
        self.plan = plan
        self.theme = theme.model_copy(update={"palette": legible(theme.palette)})  # equal, when every colour is legible already
        self.margins = plan.margins
        self.mono_name = theme.family("mono").office_name
        self.font_name = theme.family("deck").office_name
        self.footer_cache = {} if footer_cache is None else footer_cache
        self.adder = SlideAdder(prs)
        self.slides: list = []  # the drawn slides, by plan order
        self.links: list[tuple[object, object, str, bool]] = []  # (a:rPr, slide, target id, in its text's colour) of each link to a slide
        self.back_links: list[object] = []  # section slides' title shapes: a click goes to the agenda
        self._scheme: dict[str, str] | None = None  # the deck's colours (``theme_part.read_scheme``), read once
        self._unreadable: dict[str, bool] = {}  # layout -> whether links are hard to read on it (``_links_unreadable``)

    def run(self) -> None:
        for planned in self.plan.slides:
            self._slide(planned)
        self._resolve_links()
        set_core(self.prs, **self.plan.core)

    def _slide(self, planned: PlannedSlide) -> None:
        slide = self.adder.add(self.layouts[planned.layout])
        self.slides.append(slide)
        if planned.footers:
            clone_footers(slide, self.plan.footer, planned.number, self.plan.date_text, self.font_name, self.footer_cache, self.plan.lang)
        if planned.notes and any(getattr(line, "parts", None) for line in planned.notes):  # text in another language
            notes_in_languages(self.adder.notes_slide(slide).notes_text_frame, planned.notes, self.plan.lang)
        elif planned.notes:
            plain_notes(self.adder.notes_slide(slide).notes_text_frame, planned.notes, self.plan.lang)
        phs = list(slide.placeholders)
        if len(phs) != len(planned.placeholders):  # geometry read the layout otherwise: a bug, never the input
            raise RuntimeError(f"slide {planned.number}: {len(phs)} placeholders, planned for {len(planned.placeholders)}")
        drawn = []  # the shapes of the title, texts and visuals, in reading order (``a11y.reading_order``)
        title = planned.title_text
        banner = self._links_unreadable(planned.layout)  # (its links in its text's colour: ``fill_runs``)
        if title is not None:  # a layout without a title placeholder: one made off the slide (``plan._off_slide_title``)
            shape = phs[title.target] if title.target is not None else add_title_placeholder(slide)
            drawn.append(self._text(slide, shape, title, banner).element)
        if planned.back_link:
            self.back_links.append(phs[planned.title_target])
        for text in planned.texts:
            drawn.append(self._text(slide, phs[text.target] if text.target is not None else None, text, banner).element)
        for i in planned.drop:
            el = phs[i].element
            el.getparent().remove(el)
        fill_runs = partial(self.fill_runs, slide=slide)
        caption_para = partial(self._caption_para, slide=slide)
        for v in planned.visuals:  # each with its text alternative, then its caption (below it)
            if isinstance(v, TableVisual):
                shape = add_table(slide, v, self.theme, fill_runs)
                describe(shape, v.alt)
            elif isinstance(v, ChartVisual):
                shape = add_chart(slide, v, self.theme)
                describe(shape, v.alt)
            else:  # a FigureVisual: its alt text set as it is drawn
                shape = add_figure(slide, v)
            drawn.append(shape.element)
            if v.caption is not None:
                drawn.append(add_caption(slide, v.caption, caption_para).element)
        self._tidy(slide)
        reading_order(slide, drawn)

    def _links_unreadable(self, layout: str) -> bool:
        """Return whether the theme's hyperlink colour (the palette's secondary) is not legible as text (WCAG 2 AA) on
        the background of slides on ``layout`` (a briefing's title and section slides: dark): their links are then
        drawn in their text's colour (``fill_runs``)."""
        got = self._unreadable.get(layout)
        if got is None:
            if self._scheme is None:
                self._scheme = read_scheme(self.prs)
            back = layout_background(self.layouts[layout], self._scheme)
            got = self._unreadable[layout] = back is not None and contrast(self.theme.palette.secondary.lstrip("#"), back) < TEXT_CONTRAST
        return got

    # --- text -------------------------------------------------------------

    def _text(self, slide, shape, text: Text, links_in_colour: bool = False):
        """Set ``text`` in ``shape`` (a new text box when None); return the shape. ``links_in_colour``: as ``fill_runs``."""
        if shape is None:
            shape = slide.shapes.add_textbox(*text.box)
        elif text.box is not None:
            shape.left, shape.top, shape.width, shape.height = text.box
        if text.height is not None:
            shape.height = Emu(text.height)
        tf = shape.text_frame
        first = _cleared(tf)
        colour = getattr(self.theme.palette, _ROLE_COLOURS[text.role]) if text.role in _ROLE_COLOURS else None
        bold = text.role == "figure-value"
        body = text_body(tf)
        for i, para in enumerate(text.paras):
            p = first if i == 0 else paragraph_of(etree.SubElement(body, _P), tf)  # (as ``tf.add_paragraph()`` appends it)
            self.fill_para(p, para, text.spec, i == 0, text.sized, slide, text.bullets, colour=colour, bold=bold, links_in_colour=links_in_colour)
        return shape

    def fill_runs(self, p, runs: list[Run], size: float | None, bold=False, colour: str | None = None, slide=None, links_in_colour: bool = False):
        """Append ``runs`` to paragraph ``p`` (before its ``a:endParaRPr``, if it has one), each run set in ``size``
        points (None: the placeholder's), bold, in ``colour``; ``slide`` holds ``p`` (its links' relationships).
        ``links_in_colour``: links in the text's colour too (``colour``, else the one it inherits), underlined: on a
        table's header row, and on a slide whose background the theme's hyperlink colour is not legible on
        (``_links_unreadable``: a briefing's title and section slides), dark on dark otherwise
        (``compat.pptx.link_in_text_colour``).

        The XML is made here with lxml, as python-pptx's ``add_run``, ``Font`` and ``hyperlink`` make it (same
        elements, attributes in the same order, control characters escaped the same way: the bytes are
        python-pptx's, ``tests/test_golden_bytes.py``), a third of the cost of its proxies and schema-ordered
        insertion, run by run.
        """
        p_el = paragraph_element(p)
        end = p_el.find(_END_RPR)
        put = end.addprevious if end is not None else p_el.append
        sz = str(Pt(size).centipoints) if size else None  # (as python-pptx's ``Font.size`` writes it: truncated)
        if sz and not 100 <= int(sz) <= 400000:  # (python-pptx's range for a run's size)
            raise ValueError(f"font size out of range: {size}")
        rgb = str(RGBColor.from_string(colour.lstrip("#").upper())) if colour else None  # (checked as python-pptx checks it)
        for run in runs:
            if run.text == "\n":
                put(p_el.makeelement(_BR))
                continue
            r = p_el.makeelement(_R)
            rpr = etree.SubElement(r, _RPR, lang=run.lang or self.plan.lang)  # a span's own language
            if run.note:  # a footnote's mark: raised, as a superscript (PowerPoint sets it smaller)
                rpr.set("baseline", "30000")
            if sz:
                rpr.set("sz", sz)
            if run.bold or bold:
                rpr.set("b", "1")
            if run.italic:
                rpr.set("i", "1")
            if rgb:
                etree.SubElement(etree.SubElement(rpr, _SOLID_FILL), _SRGB, val=rgb)
            if run.code:
                etree.SubElement(rpr, _LATIN, typeface=self.mono_name)
            etree.SubElement(r, _T).text = escape_control_characters(run.text)
            put(r)
            if run.href:
                if not is_safe(run.href):  # composing refuses these; never write one as an action
                    raise ValueError(f"unsafe link target reached the PPTX writer: {run.href[:80]!r}")
                coloured = links_in_colour
                if run.href.startswith("#"):
                    self.links.append((rpr, slide, run.href[1:], coloured))
                else:
                    link_to_url(rpr, slide.part, run.href)
                    if coloured:
                        rpr.set("u", "sng")
                        link_in_text_colour(rpr)
        if size:  # (the end mark's size rounded, not truncated as a run's: as the writer always set it)
            (end if end is not None else etree.SubElement(p_el, _END_RPR)).set("sz", str(int(round(size * 100))))

    def fill_para(self, p, para: Para, spec: Spec, first: bool, sized: bool = True, slide=None, bullets: bool = False,
                  colour: str | None = None, bold=False, links_in_colour: bool = False):
        size = spec.size(para)
        level = min(para.level, 8)
        if level < 0:  # (python-pptx's range for a paragraph's level)
            raise ValueError(f"paragraph level out of range: {para.level}")
        before = Pt(spec.space_before(para, first))
        p_el = paragraph_element(p)
        ppr = p_el.find(_PPR)
        if ppr is None:  # (a new paragraph's: made as python-pptx's ``level`` and ``space_before`` make it)
            ppr = p_el.makeelement(_PPR)
            p_el.insert(0, ppr)
            if level:
                ppr.set("lvl", str(level))
            if not 0 <= before <= 20116800:
                raise ValueError(f"space before out of range: {before}")
            etree.SubElement(etree.SubElement(ppr, _SPC_BEF), _SPC_PTS, val=str(before.centipoints))
        else:  # properties already there: python-pptx keeps its children in schema order
            p.level = level
            p.space_before = before
        if para.bullet == "none":
            ppr.set("marL", str(int(round(self.margins[level] * EMU_PER_PT)) if para.hang else 0))
            ppr.set("indent", "0")
            etree.SubElement(ppr, qn("a:buNone"))
        elif para.bullet == "number":
            mar = int(round(left_margin(para, self.margins, size) * EMU_PER_PT))
            ppr.set("marL", str(mar))
            ppr.set("indent", str(-mar))
            etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod", startAt=str(max(para.number, 1)))
        elif bullets:  # a bullet the placeholder's style does not give: drawn as the planner measured it
            mar = int(round(left_margin(para, self.margins, size) * EMU_PER_PT))
            ppr.set("marL", str(mar))
            ppr.set("indent", str(-mar))
            etree.SubElement(ppr, qn("a:buFont"), typeface=self.font_name)
            etree.SubElement(ppr, qn("a:buChar"), char="\u2022")
        self.fill_runs(p, para.runs, size if sized else None, bold=bold, colour=colour, slide=slide, links_in_colour=links_in_colour)

    def _caption_para(self, p, para: Para, spec: Spec, first: bool, slide=None) -> None:
        p.space_before = Pt(spec.space_before(para, first))
        self.fill_runs(p, para.runs, spec.size(para), colour=self.theme.palette.muted, slide=slide)

    # --- finishing --------------------------------------------------------

    @staticmethod
    def _tidy(slide) -> None:
        """Remove placeholders left empty (they would show prompt text when editing): the text placeholders (``p:sp``)
        but the footers whose text, if they have any, is all white space, as python-pptx's ``text_frame.text`` reads it."""
        tree = shape_tree(slide)
        for el in list(tree):
            if el.tag != _SP:
                continue
            ph = el.find(_PH)
            if ph is None or ph.get("type", "obj") in _FOOTER_KINDS:
                continue
            body = el.find(_TX_BODY)
            if body is None or not "".join(t.text or "" for t in body.iter(_T)).strip():
                tree.remove(el)

    def _resolve_links(self) -> None:
        anchors = self.plan.anchors
        if self.plan.agenda is not None:  # a click on a section slide's title goes back to the agenda
            agenda = self.slides[self.plan.agenda - 1]
            for shape in self.back_links:
                shape.click_action.target_slide = agenda
        for rpr, slide, target, coloured in self.links:
            n = anchors.get(target)
            if n is not None:  # a missing target is a warning of the plan's; the text stays plain
                jump_to_slide(rpr, relate_slide(slide, self.slides[n - 1]))
                if coloured:  # (a link to no slide stays plain text, not underlined)
                    rpr.set("u", "sng")
                    link_in_text_colour(rpr)
