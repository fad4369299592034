"""The page templates by name, and the flowables that move the story between them.

``page.ReportDoc`` makes three templates: ``cover`` (drawn entirely on the
canvas), ``body`` (the running header and footer) and ``landscape`` (the
same, on a landscape page, for a table too wide for the portrait frame).
The story asks for a cover page or landscape pages with these flowables and
knows nothing else of what a page looks like.
"""

from __future__ import annotations

from reportlab.platypus import PageBreak, Spacer
from reportlab.platypus.doctemplate import NextPageTemplate, PageBreakIfNotEmpty

COVER, BODY, LANDSCAPE = "cover", "body", "landscape"


def cover_page(first: bool) -> list:
    """A page of its own on the cover template (which draws it all), then back to the body.

    ``first``: the cover opens the document (its template is the first one),
    so no break is needed to reach it.
    """
    lead = [] if first else [NextPageTemplate(COVER), PageBreakIfNotEmpty()]
    return lead + [Spacer(1, 1), NextPageTemplate(BODY), PageBreak()]


def landscape_pages(flowables: list) -> list:
    """``flowables`` on landscape pages of their own, then back to the body."""
    return [NextPageTemplate(LANDSCAPE), PageBreakIfNotEmpty(), *flowables, NextPageTemplate(BODY), PageBreak()]


def is_switch(flowable) -> bool:
    """True for the flowables ``landscape_pages`` opens with (a section's heading goes after them)."""
    return isinstance(flowable, (NextPageTemplate, PageBreakIfNotEmpty))
