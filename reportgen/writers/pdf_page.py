"""The page machinery of the PDF writer: templates, cover, header and footer.

``ReportDoc`` is a ReportLab ``BaseDocTemplate`` with two page templates
(``cover``, drawn entirely on the canvas, and ``body`` with the running
header and footer), outline entries and TOC notifications for headings, and a
``PageCounter`` that makes ``multiBuild`` run until "Page N of M" is right.
"""

from __future__ import annotations

import calendar
import datetime as dt

from reportlab.lib.utils import ImageReader, TimeStamp
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate

from ..doctree import Meta
from .pdf_markup import esc
from .pdf_styles import Kit


class PageCounter(Flowable):
    """An invisible indexing flowable: satisfied once the page total stops changing."""

    def __init__(self):
        super().__init__()
        self.total = 0  # the page count of the previous pass, shown as "of M"
        self.seen = 0  # the page count of the pass just built
        self._stable = False

    def isIndexing(self):
        return 1

    def beforeBuild(self):
        self.seen = 0

    def afterBuild(self):
        self._stable = self.seen == self.total
        self.total = self.seen

    def isSatisfied(self):
        return self._stable

    def notify(self, kind, stuff):
        pass

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass


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


class Heading(Paragraph):
    """A section heading: a Paragraph that also knows its outline and TOC entry.

    ``rg_key`` is None on the continuation part if ReportLab ever splits it.
    """

    def __init__(self, text, style=None, *args, level=0, title="", key=None, toc=None, **kw):
        super().__init__(text, style, *args, **kw)
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
        self.counter = PageCounter()
        self.current = ""  # the last heading drawn, for error messages
        self._levels: list[int] = []
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, 0, 0, 0, 0, id="body")
        cover = PageTemplate("cover", frames=[Frame(self.leftMargin, self.bottomMargin, self.width, self.height, 0, 0, 0, 0, id="cover")], onPage=self._cover)
        body = PageTemplate("body", frames=[frame], onPage=self._chrome)
        self.addPageTemplates([cover, body] if cover_first else [body, cover])

    # --- build hooks ---------------------------------------------------------

    def beforeDocument(self):
        self._levels = []
        self.current = ""
        stamp = _timestamp(self.meta.date)
        if stamp is not None:
            self.canv._doc._timeStamp = stamp
        self.canv.showOutline()
        self.canv._doc.Catalog.Dests = NamedDests(self.canv)

    def afterPage(self):
        self.counter.seen = self.page

    def afterFlowable(self, flowable):
        if not isinstance(flowable, Heading) or not flowable.rg_key:
            return
        # Outline levels may only go one deeper than the entry before them.
        level = min(flowable.rg_level, (self._levels[-1] + 1) if self._levels else 0)
        self._levels.append(level)
        self.canv.addOutlineEntry(flowable.rg_title, flowable.rg_key, level, closed=level >= 1)
        self.current = flowable.rg_title
        if flowable.rg_toc is not None:
            self.notify("TOCEntry", (flowable.rg_level, flowable.rg_toc, self.page, flowable.rg_key))

    # --- page decoration -----------------------------------------------------

    def _chrome(self, canv, doc):
        kit = self.kit
        w, h = kit.page_size
        m = kit.theme.page.margins
        c = kit.colour
        small = kit.theme.sizes.small - 0.5
        left, right = m.left, w - m.right
        canv.saveState()
        # header: running title left, classification right, thin rule below
        y = h - m.top + 20
        mark_w = 0.0
        if self.classification:
            canv.setFont(kit.heading.bold, small)
            canv.setFillColor(c["marking"])
            canv.drawRightString(right, y, self.classification)
            mark_w = stringWidth(self.classification, kit.heading.bold, small) + 18
        canv.setFont(kit.heading.regular, small)
        canv.setFillColor(c["muted"])
        canv.drawString(left, y, _fit(self.meta.title, kit.heading.regular, small, right - left - mark_w))
        canv.setStrokeColor(c["rule"])
        canv.setLineWidth(0.6)
        canv.line(left, y - 6, right, y - 6)
        # footer: rule, footer text left, classification centre, "Page N of M" right
        y = m.bottom - 30
        canv.line(left, y + 12, right, y + 12)
        total = self.counter.total or canv.getPageNumber()
        page = f"Page {canv.getPageNumber()} of {total}"
        canv.setFont(kit.heading.regular, small)
        canv.setFillColor(c["muted"])
        canv.drawRightString(right, y, page)
        page_w = stringWidth(page, kit.heading.regular, small)
        room = right - left - page_w - 18
        if self.classification:
            canv.setFont(kit.heading.bold, small)
            canv.setFillColor(c["marking"])
            canv.drawCentredString((left + right) / 2, y, self.classification)
            room = (right - left) / 2 - stringWidth(self.classification, kit.heading.bold, small) / 2 - 12
        if kit.theme.footer:
            canv.setFont(kit.heading.regular, small)
            canv.setFillColor(c["muted"])
            canv.drawString(left, y, _fit(kit.theme.footer, kit.heading.regular, small, room))
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
        # the band: title and subtitle in white on the primary colour
        # A very long title is set smaller rather than pushed off the page.
        for scale in (1.0, 0.85, 0.7, 0.6, 0.5, 0.4):
            size = st["cover_title"].fontSize * scale
            style = st["cover_title"].clone("cover_title_fit", fontSize=size, leading=size * 1.12)
            title = Paragraph(esc(meta.title), style)
            _, th = title.wrap(text_w, h)
            if th <= h * 0.3:
                break
        sub = Paragraph(esc(meta.subtitle), st["cover_subtitle"]) if meta.subtitle else None
        sh = sub.wrap(text_w, h)[1] if sub else 0.0
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
        title.drawOn(canv, m.left, y - th)
        if sub:
            sub.drawOn(canv, m.left, y - th - gap - sh)
        # below the band: date, then author
        y = band_y - 6 - 40
        for text, style in ((meta.date_text or meta.date, "cover_date"), (meta.author, "cover_author")):
            if text:
                p = Paragraph(esc(text), st[style])
                ph = p.wrap(text_w, h)[1]
                p.drawOn(canv, m.left, y - ph)
                y -= ph + 4
        canv.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def _timestamp(iso: str) -> TimeStamp | None:
    """A ReportLab TimeStamp for ISO date ``iso`` (midnight UTC), or None if it is not a date."""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None
    ts = TimeStamp(invariant=1)
    ts.t = calendar.timegm(day.timetuple())
    ts.lt = day.timetuple()
    ts.YMDhms = (day.year, day.month, day.day, 0, 0, 0)
    return ts
