"""The page machinery of the PDF writer: templates, cover, header and footer.

``ReportDoc`` is a ReportLab ``BaseDocTemplate`` with page templates
(``cover``, drawn entirely on the canvas; ``body`` and ``landscape`` with the
running header and footer) and outline entries for headings. It lays the
story out once (``render``): the page total and the contents page numbers are
forms defined after the last page (``pdf_forward``).
"""

from __future__ import annotations

import calendar
import datetime as dt

from reportlab.lib.utils import ImageReader, TimeStamp
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Frame, HRFlowable, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import ActionFlowable, BaseDocTemplate
from reportlab.platypus.flowables import AnchorFlowable

from ..doctree import Meta
from .pdf_forward import ForwardNumbers, fit_text
from .pdf_markup import fallback_markup
from .pdf_para import Para
from .pdf_styles import Kit


class _Canvas(Canvas):
    """A canvas that runs ``rg_before_save`` once the last page is done, just before saving."""

    rg_before_save = None

    def save(self):
        if self.rg_before_save is not None:
            self.rg_before_save(self)
        super().save()


class NamedDests(PDFObject):
    """The catalog's /Dests dictionary: every destination the document defines, by name.

    ReportLab resolves internal links to explicit destinations and writes no
    name table; this makes ``file.pdf#section-id`` (and pypdf) see the names.
    It reads the canvas's private ``_destinations`` when the file is written.
    """

    def __init__(self, canv):
        self.canv = canv

    def format(self, document):
        dests = getattr(self.canv, "_destinations", {})
        named = {name: dests[name] for name in sorted(dests) if getattr(dests[name], "fmt", None) is not None and dests[name].page is not None}
        return PDFDictionary(named).format(document)


class Heading(Para):
    """A section heading: a Paragraph that also knows its outline and TOC entry.

    ``rg_key`` is None on the continuation part if ReportLab ever splits it.
    """

    def __init__(self, text, style=None, *args, level=0, title="", key=None, toc=None, **kw):
        super().__init__(text, style, *args, anchor=kw.pop("anchor", key or ""), **kw)
        self.rg_level = level  # 0 = top of the outline
        self.rg_title = title  # plain text for the outline
        self.rg_key = key  # the named destination at the heading
        self.rg_toc = toc  # markup for the TOC entry, or None to leave it out

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if parts:
            first = parts[0]
            first.rg_level, first.rg_title, first.rg_key, first.rg_toc = self.rg_level, self.rg_title, self.rg_key, self.rg_toc
        return parts


class ReportDoc(BaseDocTemplate):
    def __init__(self, path: str, kit: Kit, meta: Meta, cover_first: bool, logo: str, classification: str):
        m = kit.theme.page.margins
        super().__init__(
            path,
            pagesize=kit.page_size,
            leftMargin=m.left,
            rightMargin=m.right,
            topMargin=m.top,
            bottomMargin=m.bottom,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=", ".join(meta.keywords),
            creator="reportgen",
            invariant=1,
            initialFontName=kit.body.regular,
            initialFontSize=kit.theme.sizes.body,
            displayDocTitle=1,
        )
        self.kit = kit
        self.meta = meta
        self.logo = logo
        self.classification = classification
        self.numbers = ForwardNumbers(kit.heading.regular, kit.theme.sizes.small - 0.5, kit.colour["muted"])
        self.pages = 0  # pages finished so far
        self.current = ""  # the last heading drawn, for error messages
        self.placing = None  # the flowable being placed, for error messages (its ``rg_where``)
        self.stranded: list[str] = []  # headings that ended a page without what follows them
        self._levels: list[int] = []
        self._running = ""  # the top-level section in force (running header)
        self._page_top = ""  # ... at the top of the current page
        self._page_first = ""  # the top-level section that opens the current page, if one does
        self._page_used = False  # has anything been drawn on the current page yet?
        self._pending: tuple[str, int] | None = None  # a heading drawn, waiting for its content
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, 0, 0, 0, 0, id="body")
        cover = PageTemplate("cover", frames=[Frame(self.leftMargin, self.bottomMargin, self.width, self.height, 0, 0, 0, 0, id="cover")], onPage=self._cover)
        body = PageTemplate("body", frames=[frame], onPage=self._page_begin, onPageEnd=self._chrome)
        # A landscape page for a table too wide for the portrait frame.
        lw, lh = kit.page_size[1], kit.page_size[0]
        wide = Frame(m.left, m.bottom, lw - m.left - m.right, lh - m.top - m.bottom, 0, 0, 0, 0, id="landscape")
        landscape = PageTemplate("landscape", frames=[wide], onPage=self._page_begin, onPageEnd=self._chrome, pagesize=(lw, lh))
        self.addPageTemplates([cover, body, landscape] if cover_first else [body, cover, landscape])

    # --- build hooks ---------------------------------------------------------

    def render(self, story: list) -> None:
        """Lay ``story`` out and write the file, in one pass (``story`` is consumed)."""
        self.build(story, canvasmaker=_Canvas)

    def _finish(self, canv) -> None:
        """Define the forward-referenced numbers: called after the last page, before saving."""
        self.numbers.finish(canv, self.pages)

    def beforeDocument(self):
        self.canv.rg_before_save = self._finish
        self._levels = []
        self.current = ""
        self.stranded = []
        self._running = self._page_top = self._page_first = ""
        self._pending = None
        stamp = _timestamp(self.meta.created or self.meta.date)
        if stamp is not None:
            self.canv._doc._timeStamp = stamp
        self.canv.showOutline()
        self.canv._doc.Catalog.Dests = NamedDests(self.canv)

    def afterPage(self):
        self.pages = self.page

    def handle_flowable(self, flowables):
        # Remember what is being placed; the parts a flowable splits into inherit its name.
        if flowables and getattr(flowables[0], "rg_where", ""):
            self.placing = flowables[0]
        return super().handle_flowable(flowables)

    def afterFlowable(self, flowable):
        self._track_strand(flowable)
        if not isinstance(flowable, Heading) or not flowable.rg_key:
            if not getattr(flowable, "rg_furniture", False) and not isinstance(flowable, (ActionFlowable, AnchorFlowable, CondPageBreak)):
                self._page_used = True
            return
        if flowable.rg_level == 0:
            self._running = flowable.rg_title
            if not self._page_used:  # the section opens the page: name it in the header
                self._page_first = flowable.rg_title
        self._page_used = True
        # Outline levels may only go one deeper than the entry before them.
        level = min(flowable.rg_level, (self._levels[-1] + 1) if self._levels else 0)
        self._levels.append(level)
        self.canv.addOutlineEntry(flowable.rg_title, flowable.rg_key, level, closed=level >= 1)
        self.current = flowable.rg_title
        if flowable.rg_toc is not None:
            self.numbers.pages[flowable.rg_key] = self.page

    def _track_strand(self, flowable) -> None:
        """Note a heading whose content was pushed to the next page (never expected; tests check)."""
        if isinstance(flowable, Heading):
            self._pending = (flowable.rg_title, self.page)
            return
        if self._pending is None or getattr(flowable, "rg_furniture", False) or isinstance(flowable, (ActionFlowable, HRFlowable, AnchorFlowable, CondPageBreak)):
            return
        title, page = self._pending
        if self.page != page:
            self.stranded.append(f"{title} (page {page})")
        self._pending = None

    # --- page decoration -----------------------------------------------------

    def _page_begin(self, canv, doc):
        self._page_top = self._running
        self._page_first = ""
        self._page_used = False

    def header_section(self) -> str:
        """The running header's section: the one in force at the top of the page (or opening it)."""
        return self._page_first or self._page_top

    def _chrome(self, canv, doc):
        kit = self.kit
        w, h = canv._pagesize
        m = kit.theme.page.margins
        c = kit.colour
        small = kit.theme.sizes.small - 0.5
        left, right = m.left, w - m.right
        canv.saveState()
        # header: document title and current section left, classification right, thin rule below
        y = h - m.top + 20
        mark_w = 0.0
        if self.classification:
            font = kit.font_for(self.classification, kit.heading.bold)
            canv.setFont(font, small)
            canv.setFillColor(c["marking"])
            canv.drawRightString(right, y, self.classification)
            mark_w = stringWidth(self.classification, font, small) + 18
        room = right - left - mark_w
        title_font = kit.font_for(self.meta.title, kit.heading.regular)
        section = self.header_section()
        sep = "  |  "
        if section and section != self.meta.title:
            sec_font = kit.font_for(section, kit.heading.bold)
            # Both in full when they fit; else the section keeps at least 40% and the title is cut.
            sep_w = stringWidth(sep, title_font, small)
            sec_w = min(stringWidth(section, sec_font, small), max(room - stringWidth(self.meta.title, title_font, small) - sep_w, room * 0.4))
            title = fit_text(self.meta.title, title_font, small, room - sec_w - sep_w)
            lead_w = stringWidth(title + sep, title_font, small)
            canv.setFont(title_font, small)
            canv.setFillColor(c["muted"])
            canv.drawString(left, y, title + sep)
            canv.setFont(sec_font, small)
            canv.setFillColor(c["primary"])
            canv.drawString(left + lead_w, y, fit_text(section, sec_font, small, room - lead_w))
        else:
            canv.setFont(title_font, small)
            canv.setFillColor(c["muted"])
            canv.drawString(left, y, fit_text(self.meta.title, title_font, small, room))
        canv.setStrokeColor(c["rule"])
        canv.setLineWidth(0.6)
        canv.line(left, y - 6, right, y - 6)
        # footer: rule, footer text left, classification centre, "Page N of M" right
        y = m.bottom - 30
        canv.line(left, y + 12, right, y + 12)
        room = None  # the footer text's: what "Page N of M" leaves, once M is known
        if self.classification:
            font = kit.font_for(self.classification, kit.heading.bold)
            canv.setFont(font, small)
            canv.setFillColor(c["marking"])
            canv.drawCentredString((left + right) / 2, y, self.classification)
            room = (right - left) / 2 - stringWidth(self.classification, font, small) / 2 - 12
        footer = kit.theme.footer
        self.numbers.page_footer(canv, left, right, y, canv.getPageNumber(), footer, kit.font_for(footer, kit.heading.regular) if footer else "", room)
        canv.restoreState()

    def _cover(self, canv, doc):
        kit, meta = self.kit, self.meta
        st, c = kit.styles, kit.colour
        w, h = kit.page_size
        m = kit.theme.page.margins
        text_w = w - m.left - m.right
        canv.saveState()
        if self.classification:
            canv.setFont(kit.heading.bold, 10)
            canv.setFillColor(c["marking"])
            canv.drawCentredString(w / 2, h - 30, self.classification)
            canv.drawCentredString(w / 2, 24, self.classification)
        if self.logo:
            img = ImageReader(self.logo)
            iw, ih = img.getSize()
            lh = 62.0
            lw = min(lh * iw / ih, text_w / 2)
            lh = lw * ih / iw
            canv.drawImage(img, m.left, h - 72 - lh, lw, lh, mask="auto")
        # the band: title and subtitle in white on the primary colour. A very long title or
        # subtitle is set smaller, then cut with "…", rather than pushed off the page.
        title, th = _fit_cover(meta.title, st["cover_title"], kit, text_w, h * 0.25, bold=True, leading=1.12)
        sub, sh = _fit_cover(meta.subtitle, st["cover_subtitle"], kit, text_w, h * 0.12) if meta.subtitle else (None, 0.0)
        gap = 14.0 if sub else 0.0
        pad = 44.0
        band_h = max(210.0, th + gap + sh + 2 * pad)
        band_top = h * 0.70
        band_y = band_top - band_h
        canv.setFillColor(c["primary"])
        canv.rect(0, band_y, w, band_h, stroke=0, fill=1)
        canv.setFillColor(c["accent"])
        canv.rect(0, band_y - 6, w, 6, stroke=0, fill=1)
        canv.rect(m.left, band_y + band_h - pad + 16, 42, 3.5, stroke=0, fill=1)
        y = band_y + band_h - pad - (band_h - 2 * pad - th - gap - sh) / 2
        if title is not None:
            title.drawOn(canv, m.left, y - th)
        if sub is not None:
            sub.drawOn(canv, m.left, y - th - gap - sh)
        # below the band: date, then author, above the classification marking at the foot
        y = band_y - 6 - min(40.0, max(12.0, (band_y - 6 - m.bottom - 30) / 3))
        for text, style in ((meta.date_text or meta.date, "cover_date"), (meta.author, "cover_author")):
            if text:
                p, ph = _fit_cover(text, st[style], kit, text_w, y - m.bottom - 30, bold=style == "cover_date")
                if p is None:
                    break
                p.drawOn(canv, m.left, y - ph)
                y -= ph + 4
        canv.restoreState()


COVER_SCALES = (1.0, 0.85, 0.7, 0.6, 0.5, 0.4, 0.3)


def _fit_cover(text: str, style, kit: Kit, width: float, room: float, bold: bool = False, leading: float = 0.0):
    """Return (paragraph, height) of ``text`` set in ``style`` within ``width`` x ``room`` points:
    smaller (down to 30%) until it fits with no word broken, else until it fits, then cut short
    with "…"; (None, 0) when not even a line fits."""
    font = kit.heading.bold if bold else kit.heading.regular
    widest = max((stringWidth(word, font, 1.0) for word in text.split()), default=0.0)  # at 1 pt
    sized = []
    for scale in COVER_SCALES:
        size = style.fontSize * scale
        fit = style.clone(style.name + "_fit", fontSize=size, leading=size * leading if leading else style.leading * scale)
        para = Paragraph(fallback_markup(text, kit.heading, kit, bold=bold), fit)
        height = para.wrap(width, 1e6)[1]
        if height <= room:
            if widest * size <= width:
                return para, height
            sized.append((para, height))
    if sized:  # a word too long for the line at any size: the largest size that fits, the word broken
        return sized[0]
    lo, hi = 0, len(text)  # the longest start of the text that fits, at the smallest size
    best = None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        para = Paragraph(fallback_markup(text[:mid].rstrip() + "…", kit.heading, kit, bold=bold), fit)
        height = para.wrap(width, 1e6)[1]
        if height <= room:
            lo, best = mid, (para, height)
        else:
            hi = mid - 1
    return best if best is not None and lo > 0 else (None, 0.0)


def _timestamp(iso: str) -> TimeStamp | None:
    """A ReportLab TimeStamp for ISO date or UTC time ``iso`` ("2021-06-16" or
    "2021-06-16T09:30:00Z"), or None if it is neither."""
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")) if "T" in iso else dt.datetime.fromisoformat(iso[:10])
    except ValueError:
        return None
    when = when.replace(tzinfo=None)
    ts = TimeStamp(invariant=1)
    ts.t = calendar.timegm(when.timetuple())
    ts.lt = when.timetuple()
    ts.YMDhms = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return ts
