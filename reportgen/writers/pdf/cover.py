"""The cover page of the PDF writer, drawn on the canvas: marking, logo, title band, date and author.

A very long title or subtitle is set smaller, then cut with "…"
(``fit_cover``), rather than pushed off the page.
"""

from __future__ import annotations

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from ...doctree import Meta
from .markup import fallback_markup
from .styles import Kit
from .tags import UNTAGGED


def draw_cover(canv, kit: Kit, meta: Meta, classification: str, logo: str, tags=UNTAGGED) -> None:
    """Draw the cover of the document ``meta`` describes on ``canv`` (the page template's ``onPage``).

    In a tagged document (``tags``, the ``Tagger``) its texts are paragraphs
    of the cover's Div, and its markings, logo and band artifacts.
    """
    st, c = kit.styles, kit.colour
    w, h = kit.page_size
    m = kit.theme.page.margins
    text_w = w - m.left - m.right
    canv.saveState()
    if classification:
        with tags.artifact(canv, pagination=True):
            canv.setFont(kit.heading.bold, 10)
            canv.setFillColor(c["marking"])
            canv.drawCentredString(w / 2, h - 30, classification)
            canv.drawCentredString(w / 2, 24, classification)
    if logo:
        img = ImageReader(logo)
        iw, ih = img.getSize()
        lh = 62.0
        lw = min(lh * iw / ih, text_w / 2)
        lh = lw * ih / iw
        with tags.artifact(canv):
            canv.drawImage(img, m.left, h - 72 - lh, lw, lh, mask="auto")
    # the band: title and subtitle in white on the primary colour ("light": in the primary colour
    # on the page, beside an accent bar). A very long title or subtitle is set smaller, then cut
    # with "…", rather than pushed off the page.
    light = kit.theme.page.cover == "light"
    title_style, sub_style = st["cover_title"], st["cover_subtitle"]
    if light:
        title_style = title_style.clone("cover_title_light", textColor=c["primary"])
        sub_style = sub_style.clone("cover_subtitle_light", textColor=c["text"])
    title, th = fit_cover(meta.title, title_style, kit, text_w, h * 0.25, bold=True, leading=1.12)
    sub, sh = fit_cover(meta.subtitle, sub_style, kit, text_w, h * 0.12) if meta.subtitle else (None, 0.0)
    gap = 14.0 if sub else 0.0
    pad = 44.0
    band_h = max(210.0, th + gap + sh + 2 * pad)
    band_top = h * 0.70
    band_y = band_top - band_h
    with tags.artifact(canv):
        if light:
            canv.setFillColor(c["accent"])
            canv.rect(m.left - 22, band_y + pad - 8, 6, band_h - 2 * pad + 16, stroke=0, fill=1)
            canv.setFillColor(c["rule"])
            canv.rect(m.left, band_y - 6, text_w, 1, stroke=0, fill=1)
        else:
            canv.setFillColor(c["primary"])
            canv.rect(0, band_y, w, band_h, stroke=0, fill=1)
            canv.setFillColor(c["accent"])
            canv.rect(0, band_y - 6, w, 6, stroke=0, fill=1)
            canv.rect(m.left, band_y + band_h - pad + 16, 42, 3.5, stroke=0, fill=1)
    y = band_y + band_h - pad - (band_h - 2 * pad - th - gap - sh) / 2
    if title is not None:
        with tags.cover_text(canv):
            title.drawOn(canv, m.left, y - th)
    if sub is not None:
        with tags.cover_text(canv):
            sub.drawOn(canv, m.left, y - th - gap - sh)
    # below the band: date, then author, above the classification marking at the foot
    y = band_y - 6 - min(40.0, max(12.0, (band_y - 6 - m.bottom - 30) / 3))
    for text, style in ((meta.date_text or meta.date, "cover_date"), (meta.author, "cover_author")):
        if text:
            p, ph = fit_cover(text, st[style], kit, text_w, y - m.bottom - 30, bold=style == "cover_date")
            if p is None:
                break
            with tags.cover_text(canv):
                p.drawOn(canv, m.left, y - ph)
            y -= ph + 4
    canv.restoreState()


COVER_SCALES = (1.0, 0.85, 0.7, 0.6, 0.5, 0.4, 0.3)


def fit_cover(text: str, style, kit: Kit, width: float, room: float, bold: bool = False, leading: float = 0.0):
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
