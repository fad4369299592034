"""``Heading``: a section heading, and what the page machinery needs to know of it.

The story makes one per section (and one for the contents title); the doc
template reads it as it is placed, to add the outline entry, note the page
of its contents line and name the running header's section. It is the one
flowable both sides know: the story never draws a page, the page never sees
the document tree.
"""

from __future__ import annotations

from .para import Para


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
