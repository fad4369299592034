"""The PDF writer: a ``Report`` tree and a ``Theme`` in, a briefing PDF out.

Built on ReportLab platypus, in modules of one job each:

* ``story`` and ``story_blocks``: the document tree to flowables;
* ``page`` (the doc template, page templates, running header and footer,
  outline), ``cover`` and ``templates`` (their names and the flowables
  that switch between them): the pages the flowables are laid out on;
* ``forward``: the numbers known only after the last page (page totals,
  contents pages) and the contents list;
* ``footnotes``: footnotes at the foot of the page that holds their mark
  (a body frame that keeps room for them as it places what holds marks);
* ``styles`` (fonts and paragraph styles), ``markup`` (escaping and inline
  markup), ``tables``, ``charts``, ``box`` (callouts and quotes), ``keep``
  (headings kept with their text), ``para`` and ``heading`` (paragraphs),
  ``locate`` (error messages that name the outline's place).

The ReportLab internals these rely on are in ``reportgen.compat.reportlab``.
ReportLab is imported by these modules only, and they are imported lazily.
"""

from __future__ import annotations

from ...compat.reportlab import LayoutError  # the package's first import of ReportLab: compat.reportlab arranges it
from ...doctree import Cover, Report, Section
from ...errors import Problem, warning
from ...theme import Theme
from .. import DEFAULT_PDF_STANDARD, PDF_STANDARDS
from .charts import chart_drawing
from .forward import ForwardNumbers, seed_contents
from .locate import Place, layout_detail, located
from .page import ReportDoc
from .story import Story, anchors
from .styles import font_errors, make_kit
from .tags import UNTAGGED, Tagger, Tree

__all__ = ["PdfWriter", "chart_drawing", "layout_detail", "located", "story_warnings"]


def story_warnings(doc: Report, theme: Theme) -> list[Problem]:
    """Return the warnings building ``doc``'s story finds (a table set smaller or on a landscape page, links, markup), laying out no page.

    What ``reportgen validate`` and ``check`` report for the PDF; only a
    heading stranded at a page foot is found by laying the pages out.
    """
    warnings: list[Problem] = []
    kit = make_kit(theme)
    kit.text = doc.meta.text
    with font_errors(kit):
        numbers = ForwardNumbers(kit.heading.regular, kit.theme.sizes.small - 0.5, kit.colour["muted"], kit.text)
        story = Story(kit, set(doc.sources), anchors(doc), warnings, numbers, draw_chart=chart_drawing)
        story.report(doc)
    return warnings + story.inline.warnings()


LAZY_FROM = 512
"""A report of this many parts (its top-level children and its sections and subsections at every level, ``parts``)
or more has its story made a part at a time as the layout reaches it (``Story.lazily``: the flowables of 1,800
sections held 42 MB at once; a part is a top-level child, or a section's heading with what it is kept with, each of
its subsections' parts, each run of its blocks between them); a shorter one has it made at once, which lays out 3-5%
faster (measured: the flowables made in one go, then laid out) and holds a few MB (the summit x20, 364 parts: 12).
The file is the same either way (tests compare the bytes)."""


def parts(doc: Report) -> int:
    """Return how many parts ``doc``'s story has, as ``LAZY_FROM`` counts them: its top-level children, and its
    sections and subsections at every level."""
    count = len(doc.children)
    todo = [c for c in doc.children if isinstance(c, Section)]
    while todo:
        section = todo.pop()
        subsections = [c for c in section.children if isinstance(c, Section)]
        count += len(subsections)
        todo += subsections
    return count


class PdfWriter:
    name = "pdf"
    suffix = ".pdf"
    tree = "report"
    standard = DEFAULT_PDF_STANDARD  # what the file claims to be (``writers.PDF_STANDARDS``; the build's ``--pdf-standard``)

    def write(self, doc: Report, theme: Theme, path: str) -> list[Problem]:
        """Render ``doc`` to the PDF file at ``path``; return the warnings (each naming its outline part when known).

        Unless ``standard`` is "none", the file is tagged: the story makes its
        structure (``tags``), the pages are marked as they are finished and
        ``ua`` writes the file with its structure tree.

        A long report (``LAZY_FROM`` parts or more: ``parts``) is taken apart
        as it is laid out: its ``children`` are emptied at once and each
        part let go once made (``Story.lazily``), so ``doc`` is not to be
        written twice.
        """
        if self.standard not in PDF_STANDARDS:
            raise ValueError(f"unknown PDF standard {self.standard!r}; expected one of {', '.join(PDF_STANDARDS)}")
        kit = make_kit(theme)
        with font_errors(kit):  # the pack's fonts are parsed as they are first used
            return self._write(doc, kit, path)

    def _write(self, doc: Report, kit, path: str) -> list[Problem]:
        """Render ``doc`` with ``kit`` to ``path``; return the warnings (see ``write``)."""
        warnings: list[Problem] = []
        theme = kit.theme
        meta = doc.meta
        kit.text = meta.text
        logo = meta.logo or (theme.path(theme.logo) if theme.logo else "")
        cover_first = bool(doc.children) and isinstance(doc.children[0], Cover)
        tagger = Tagger(Tree(), self.standard, meta.lang or "en") if self.standard != "none" else None
        rdoc = ReportDoc(path, kit, meta, cover_first, logo, meta.classification or theme.marking.default, tags=tagger or UNTAGGED)
        # ``chart_drawing`` is looked up here, at each write, so that it can be replaced (tests do).
        story = Story(kit, set(doc.sources), anchors(doc), warnings, rdoc.numbers, draw_chart=chart_drawing, footnotes=rdoc.footnotes,
                      tree=tagger.tree if tagger is not None else None)
        if parts(doc) >= LAZY_FROM:
            flowables = story.lazily(doc)  # (made a part at a time as the pages are laid out)
        else:
            flowables = story.report(doc)
            seed_contents(flowables)
        try:
            rdoc.render(flowables)
        except LayoutError as exc:
            place = getattr(rdoc.placing, "rg_where", None)
            if place is None:
                place = Place("", f"section '{rdoc.current}'" if rdoc.current else "the start of the document")
            raise located(place, f"too large to fit on a page ({layout_detail(exc)})") from None
        stranded = [warning("", f"heading '{t}' was left at the foot of a page without its text", "heading-stranded") for t in rdoc.stranded]
        misplaced = [warning("", f"footnote {n} is not on the page of its mark (page {rdoc.footnotes.marked[n]})", "footnote-misplaced")
                     for n in rdoc.footnotes.misplaced()]  # never expected: tests check
        warnings += stranded + misplaced + story.inline.warnings()
        if tagger is not None:
            from .ua import untagged_lines

            warnings += [warning("", f"{line} belong to no part of the document's structure; drawn as decoration", "pdf-untagged")
                         for line in untagged_lines(tagger)]  # never expected
        return warnings
