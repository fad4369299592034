"""The tagged PDF's post-pass: ReportLab's bytes and what the ``Tagger`` recorded in, a PDF/UA-1 (or PDF/A-2b, 3b) file out.

Run by ``PdfWriter`` after ReportLab has written the file, with pikepdf
(qpdf), which only this module and its ``ua_*`` helpers import:

1. each page's content: the tagger's points became marked-content sequences
   with MCIDs as the page was finished (``ua_page``); for a page that reading
   did not expect, they become so here (``ua_scan``, on the stream's bytes;
   ``ua_content``, on pikepdf's parse, for a page the former does not
   expect either); the page gets
   /Tabs /S (tab order follows the structure) and loses the empty /Trans
   ReportLab writes on every page;
2. the structure tree planned (``ua_tree``): what points to it set on the
   pages and annotations, its root a placeholder;
3. the catalog: /MarkInfo, /Lang, /ViewerPreferences /DisplayDocTitle; link
   annotations printable (/F 4, PDF/A); XMP metadata (``ua_meta``); for
   PDF/A the sRGB output intent;
4. fonts: ToUnicode entries mapping to U+0000 dropped (``ua_meta``);
5. saved deterministically: the file /ID from its content
   (``deterministic_id``), objects in qpdf's fixed order, in compressed
   object streams (PDF 1.5+, allowed by PDF/A-2), and an end of line before
   every ``endstream`` (``preserve_pdfa``; ReportLab writes none, which
   PDF/A-2 6.1.7.1 forbids);
6. the structure elements appended to that file as one more revision
   (``ua_update``): thousands of them in a long report, they cost qpdf more
   to read and write again than everything else it saves.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tags import Tagger
from .ua_content import rewrite
from .ua_marks import PageContent
from .ua_meta import add_metadata, add_output_intent, fix_tounicode, write_compressed
from .ua_scan import rewrite_bytes
from .ua_tree import plan_structure
from .ua_update import append_structure

PDFA = {"a-2b": (2, "B"), "a-3b": (3, "B")}  # --pdf-standard -> PDF/A part and conformance


def finish(data: bytes, tagger: Tagger, standard: str, lang: str) -> tuple[bytes, list[str]]:
    """Return the tagged file made of ReportLab's ``data`` (drawn with ``tagger``) for ``standard`` ("ua-1", "a-2b",
    "a-3b") in language ``lang``, and a line per page where something was painted that no node held (drawn as an
    artifact: never expected)."""
    pdf = pikepdf.open(io.BytesIO(data))
    events: dict[int, list[tuple]] = {}
    untagged: list[str] = []
    for i, page in enumerate(pdf.pages):
        if i in tagger.pages:  # marked as it was finished (and compressed then: ``page._Canvas.showPage``)
            content = tagger.pages[i]
        else:
            content = _rewritten(pdf, page, tagger, i)
        events[i] = content.events
        if content.untagged:
            untagged.append(f"page {i + 1}: {len(content.untagged)} painting operators ({', '.join(sorted(set(content.untagged)))})")
        page.obj.Tabs = Name.S
        trans = page.obj.get("/Trans")
        if trans is not None and not len(trans.keys()):
            del page.obj.Trans
    structure = plan_structure(pdf, tagger.tree, events, tagger.annots)
    root = pdf.Root
    root.MarkInfo = Dictionary(Marked=True)
    root.Lang = String(lang)
    prefs = root.get("/ViewerPreferences", Dictionary())
    prefs.DisplayDocTitle = True
    root.ViewerPreferences = prefs
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", Array()):
            annot.F = 4  # printed (PDF/A 6.3.2), never hidden
    fix_tounicode(pdf)
    pdfa = PDFA.get(standard)
    add_metadata(pdf, lang, ua=pdfa is None, pdfa=pdfa)
    if pdfa:
        add_output_intent(pdf)
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        min_version="1.7",
        compress_streams=True,
        fix_metadata_version=False,  # our XMP as written (pikepdf would reformat it)
        preserve_pdfa=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return append_structure(out.getvalue(), structure), untagged


def _rewritten(pdf: pikepdf.Pdf, page: pikepdf.Page, tagger: Tagger, index: int) -> PageContent:
    """Return what page ``index``'s content held, its points made marked content (its /Contents replaced)."""
    stream = page.obj.Contents
    scanned = rewrite_bytes(stream.read_bytes(), tagger.tree, index) if isinstance(stream, pikepdf.Stream) else None
    if scanned is not None:
        data, content = scanned
    else:
        content = rewrite(pikepdf.parse_content_stream(page), tagger.tree, index)
        data = pikepdf.unparse_content_stream(content.instructions)
    page.obj.Contents = pdf.make_stream(b"")
    write_compressed(page.obj.Contents, data)
    return content
