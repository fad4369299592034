"""The page machinery of the PDF writer: the doc template, its page templates, header and footer.

``ReportDoc`` is a ReportLab ``BaseDocTemplate`` with the page templates of
``templates`` (``cover``, drawn by ``cover.draw_cover``; ``body`` and
``landscape`` with the running header and footer drawn here) and an outline
entry for each ``Heading`` placed. It lays the story out once (``render``):
the page total and the contents page numbers are forms defined after the
last page (``forward``). It knows the document's metadata, never its blocks:
the story is flowables by the time it gets here.
"""

from __future__ import annotations


from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Frame, HRFlowable, PageTemplate
from reportlab.platypus.doctemplate import ActionFlowable, BaseDocTemplate
from reportlab.platypus.flowables import AnchorFlowable

from ...compat.reportlab import add_named_destinations, draw_image_kept, finished_page_content, image_weight, page_code, page_size, set_creation_time, set_finished_page_content
from ...doctree import Meta
from ...kept import Kept
from .cover import draw_cover
from .flate import deflate
from .footnotes import Footnotes, NoteFrame
from .forward import ForwardNumbers, fit_text
from .heading import Heading
from .markup import NOTE_CALLBACK
from .story import More
from .styles import Kit
from .tags import TAG_CALLBACK, UNTAGGED, Tagger, Untagged
from .templates import BODY, COVER, LANDSCAPE


# The images this process drew (the logo, figures), their PDF image objects made once: a batch's documents and
# watch's rounds do not decode, digest and compress them again (7 ms a document for the default pack's logo).
IMAGES = Kept(32, max_bytes=64 << 20, weigh=image_weight)


class _Canvas(Canvas):
    """A canvas that runs ``rg_before_save`` once the last page is done, just before saving, and tells a tagged
    document's ``rg_tagger`` of each link annotation as it is added and of each page as it is finished (a tagged
    document is saved as ``ua.write_tagged_file`` writes it)."""

    rg_before_save = None
    rg_tagger: Tagger | None = None

    def showPage(self):
        tagger = self.rg_tagger
        if tagger is None:
            return super().showPage()
        index = self.getPageNumber() - 1
        marked = tagger.page_finished(self, page_code(self))
        super().showPage()
        data = finished_page_content(self)
        if not marked:
            data = tagger.page_written(data, index)
        # A tagged file's pages are compressed here, Flate alone, never ending in CR (``flate``): ReportLab would add
        # ASCII85 (a quarter more bytes), and the page's content is at hand here when its points had to be read from it.
        set_finished_page_content(self, deflate(data), "FlateDecode")

    def drawImage(self, image, x, y, width=None, height=None, mask=None, preserveAspectRatio=False, anchor="c", anchorAtXY=False, showBoundary=False, extraReturn=None):
        # An image drawn into its box (the logo, a figure): its image object made once per process (``IMAGES``).
        if isinstance(image, ImageReader) and not (preserveAspectRatio or anchorAtXY or showBoundary or extraReturn):
            size = draw_image_kept(self, image, x, y, width, height, mask, IMAGES)
            if size is not None:
                return size
        return super().drawImage(image, x, y, width, height, mask, preserveAspectRatio, anchor, anchorAtXY, showBoundary, extraReturn)

    def save(self):
        if self.rg_before_save is not None:
            self.rg_before_save(self)
        if self.rg_tagger is not None:
            from .ua import write_tagged

            write_tagged(self, self.rg_tagger)
        super().save()

    def drawText(self, aTextObject):
        if self.rg_tagger is not None:
            self.rg_tagger.text_drawn(aTextObject)
        return super().drawText(aTextObject)

    def linkURL(self, url, rect, relative=0, thickness=0, color=None, dashArray=None, kind="URI", **kw):
        if self.rg_tagger is not None and not self.rg_tagger.annotation(self, url, rect):
            return None  # (a link in page furniture: its text drawn, no annotation: ``Tagger.annotation``)
        return super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)

    def linkRect(self, contents, destinationname, Rect=None, addtopage=1, name=None, relative=1, thickness=0, color=None, dashArray=None, **kw):
        if self.rg_tagger is not None and addtopage and not self.rg_tagger.annotation(self, "#" + destinationname, Rect):
            return None
        return super().linkRect(contents, destinationname, Rect, addtopage, name, relative, thickness, color, dashArray, **kw)


class ReportDoc(BaseDocTemplate):
    def __init__(self, path, kit: Kit, meta: Meta, cover_first: bool, logo: str, classification: str, footnotes: Footnotes | None = None,
                 tags: Untagged = UNTAGGED):
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
            lang=meta.lang or "en",  # the catalog's /Lang: the document's language, for screen readers and hyphenation
            # A tagged file's pages are compressed by ``_Canvas.showPage``, without ASCII85.
            pageCompression=0 if tags.tree is not None else None,
        )
        self.kit = kit
        self.meta = meta
        self.logo = logo
        self.classification = classification
        self.numbers = ForwardNumbers(kit.heading.regular, kit.theme.sizes.small - 0.5, kit.colour["muted"], kit.text)
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
        self.footnotes = footnotes or Footnotes()  # the story fills in the notes' paragraphs (``Story.footnote_paragraphs``)
        self.tags = tags  # a tagged document's ``tags.Tagger``: what is drawn as what
        frame = NoteFrame(self.leftMargin, self.bottomMargin, self.width, self.height, 0, 0, 0, 0, id=BODY, notes=self.footnotes)
        cover = PageTemplate(COVER, frames=[Frame(self.leftMargin, self.bottomMargin, self.width, self.height, 0, 0, 0, 0, id=COVER)], onPage=self._cover)
        body = PageTemplate(BODY, frames=[frame], onPage=self._page_begin, onPageEnd=self._page_end)
        # A landscape page for a table too wide for the portrait frame.
        lw, lh = kit.page_size[1], kit.page_size[0]
        wide = NoteFrame(m.left, m.bottom, lw - m.left - m.right, lh - m.top - m.bottom, 0, 0, 0, 0, id=LANDSCAPE, notes=self.footnotes)
        landscape = PageTemplate(LANDSCAPE, frames=[wide], onPage=self._page_begin, onPageEnd=self._page_end, pagesize=(lw, lh))
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
        set_creation_time(self.canv, self.meta.timestamp().replace(tzinfo=None))  # decided once: Meta.timestamp
        self.canv.showOutline()
        add_named_destinations(self.canv)
        self.canv.setNamedCB(NOTE_CALLBACK, self._note_drawn)
        self.canv.setNamedCB(TAG_CALLBACK, self.tags.on_draw)
        self.canv.rg_tagger = self.tags if self.tags.tree is not None else None

    def _note_drawn(self, canv, kind, label) -> None:
        """The callback of a footnote's mark: the page it is drawn on, and (tagged) where its Note stands."""
        self.footnotes.mark_drawn(canv, kind, label)
        self.tags.note_mark(canv, int(label))

    def afterPage(self):
        self.pages = self.page

    def handle_flowable(self, flowables):
        # (BaseDocTemplate's public hook, called with the flowables still to place, first the next one.)
        # A story made a part at a time (``story.More``) is opened before ReportLab sees its next flowable.
        # Remember what is being placed; the parts a flowable splits into inherit its name.
        _open_more(flowables)
        if not flowables:
            return None
        if getattr(flowables[0], "rg_where", ""):
            self.placing = flowables[0]
        done = super().handle_flowable(flowables)
        _open_more(flowables)
        return done

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

    def _page_end(self, canv, doc):
        """End a body page: its footnotes at the foot of its frame, then the running header and footer (page furniture)."""
        for frame in self.pageTemplate.frames:
            if isinstance(frame, NoteFrame):
                frame.draw_notes(canv, self.kit.colour["rule"], self.tags)
        with self.tags.artifact(canv, pagination=True):
            self._chrome(canv, doc)

    def _chrome(self, canv, doc):
        kit = self.kit
        w, h = page_size(canv)
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
        draw_cover(canv, self.kit, self.meta, self.classification, self.logo, self.tags)


def _open_more(flowables: list) -> None:
    """Put in place of a ``More`` at the head of ``flowables`` the next part of its story, followed by it again (nothing
    after the last part), until a flowable heads them or none is left."""
    while flowables and isinstance(flowables[0], More):
        more = flowables[0]
        part = more.next_part()
        flowables[0:1] = [*part, more] if part is not None else []
