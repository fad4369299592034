"""The tagged file: what ReportLab drew and what the ``Tagger`` recorded in, a PDF/UA-1 (or PDF/A-2b, 3b) file out.

``write_tagged_file`` takes the place of ReportLab's own file writing
(``compat.reportlab.take_file_writing``) for a tagged document, once its last
page is finished: every page's points are marked content by then
(``Tagger.page_finished``). It gives ReportLab's objects what a tagged file
needs, then writes them with the structure elements in one pass, with no
second reader or writer (qpdf read ReportLab's file and wrote it again
before: most of the tagging's cost on a long report):

1. each page: /Tabs /S (tab order follows the structure), /StructParents
   when an element holds its marked content, and no /Trans (ReportLab
   writes an empty one); each link annotation printable (/F 4, PDF/A),
   with /StructParent and /Contents when an element holds it;
2. the catalog: /MarkInfo, /StructTreeRoot, XMP /Metadata (``ua_meta``),
   and for PDF/A the sRGB output intent (/Lang and /ViewerPreferences
   /DisplayDocTitle are ReportLab's own, from ``ReportDoc``); the
   information dictionary without what XMP cannot repeat (empty entries,
   /Trapped);
3. fonts: ToUnicode entries mapping to U+0000 dropped (``ua_meta``); every
   stream ReportLab leaves uncompressed (font files, CMaps, forms) Flate
   compressed, never ending in CR (``flate.deflate``); images without the
   ASCII85 encoding ReportLab gives them (a quarter of their bytes);
4. ReportLab's objects written by ReportLab, one by one; the structure
   elements (``ua_tree``) numbered after them; each made part of the file
   as it is written (``objfile.ObjectFile``: object streams, a
   cross-reference stream), none of them all held at once.
"""

from __future__ import annotations

import zlib
from typing import BinaryIO

from ...compat.reportlab import (
    Raw,
    StreamFilter,
    annotation_contents,
    compress_streams_with,
    document_catalog,
    document_info,
    document_pages,
    drop_ascii85,
    encode_streams,
    formatted_objects,
    info_fields,
    object_number,
    objects_ready,
    page_annotations,
    set_annotation_entries,
    set_dictionary_entries,
    set_info,
    take_file_writing,
    tounicode_maps,
)
from .flate import deflate
from .objfile import ObjectFile
from .tags import Tagger
from .ua_meta import SRGB, drop_unmapped, srgb_profile, xmp_packet
from .ua_tree import Elements, plan_structure, text_string

PDFA = {"a-2b": (2, "B"), "a-3b": (3, "B")}  # --pdf-standard -> PDF/A part and conformance


def write_tagged(canv, tagger: Tagger) -> None:
    """Make the document ``canv`` draws, tagged by ``tagger``, saved as ``write_tagged_file`` writes it: to its file as it is made."""
    take_file_writing(canv, lambda canvas, out: write_tagged_file(out, canvas, tagger))


def _encode(data: bytes, text: bool) -> tuple[bytes, list[str]]:
    """Return a stream's ``data`` Flate-compressed, never ending in CR (PDF/A 6.1.7.1: ``flate``), and its filters:
    text (operators, a CMap) has white space added at its end until it does not; a font file, which nothing may be
    added to, is written in hexadecimal when it would (one in 256)."""
    packed = deflate(data, b"\n" if text else b"")
    if packed is not None:
        return packed, ["FlateDecode"]
    return zlib.compress(data).hex().encode("ascii") + b">", ["ASCIIHexDecode", "FlateDecode"]


def write_tagged_file(out: BinaryIO, canv, tagger: Tagger) -> None:
    """Write to ``out`` the tagged file of the document ``canv`` drew, its pages marked by ``tagger`` (``Tagger.pages``),
    for ``tagger.standard`` in ``tagger.lang``."""
    pdfa = PDFA.get(tagger.standard)
    fields = info_fields(canv)
    set_info(canv, fields)
    objects_ready(canv)
    for cmap in tounicode_maps(canv):
        fixed = drop_unmapped(cmap.content)
        if fixed is not None:
            cmap.content = fixed
    encode_streams(canv, _encode)
    drop_ascii85(canv, lambda data: not data.endswith(b"\r"))  # (an image's own data: kept encoded when it would end in CR)
    compress_streams_with(canv, StreamFilter("FlateDecode", lambda data: deflate(data)))  # (forms: operators)

    pages = document_pages(canv)
    annots = [page_annotations(canv, page) for page in pages]
    tree = tagger.tree
    s = plan_structure(tree, {i: content.events for i, content in tagger.pages.items()}, tagger.annots, [len(a) for a in annots])
    for nid, held in s.annots_of.items():
        node = tree.nodes[nid]
        for p, k, key in held:
            annot = annots[p][k]
            set_annotation_entries(annot, None if annotation_contents(annot) else node.contents or node.href, {"StructParent": key})
    for listed in annots:
        for annot in listed:
            set_annotation_entries(annot, None, {"F": 4})  # printed (PDF/A 6.3.2), never hidden
    parented = set(s.parented)
    for i, page in enumerate(pages):
        set_dictionary_entries(page, {"Tabs": Raw(b"/S"), "Trans": None, **({"StructParents": i} if i in parented else {})})

    root = Raw(b"", indirect=True)  # the StructTreeRoot: written below, once the elements are numbered
    xmp = xmp_packet(fields, tagger.lang, ua=pdfa is None, pdfa=pdfa)
    catalog = {"MarkInfo": Raw(b"<</Marked true>>"), "StructTreeRoot": root,
               "Metadata": _stream(b"/Type/Metadata/Subtype/XML", xmp)}
    if pdfa:
        catalog["OutputIntents"] = _output_intent(canv)
    set_dictionary_entries(document_catalog(canv), catalog)
    root_number = object_number(canv, root)
    page_refs = [f"{object_number(canv, page)} 0 R" for page in pages]
    annot_refs = {(p, k): f"{object_number(canv, annots[p][k])} 0 R" for held in s.annots_of.values() for p, k, _key in held}
    catalog_number, info_number = object_number(canv, document_catalog(canv)), object_number(canv, document_info(canv))
    pages = annots = listed = None  # (ReportLab's objects are let go as they are written)

    file = ObjectFile(out)
    for number, text in formatted_objects(canv):  # (each written as it is formatted: streams at once, others packed)
        file.add(number, None if number == root_number else text)
    elements = Elements(s, file.count + 1)
    file.fill(root_number, elements.root())
    for number, text in elements.objects(f"{root_number} 0 R", page_refs, annot_refs):
        file.add(number, text)
    file.close(catalog_number, info_number)


def _output_intent(canv) -> Raw:
    """Return PDF/A's output intent, an array of one: sRGB, the colour space every colour of the report is given in."""
    icc = srgb_profile()
    packed = deflate(icc, b"")
    profile = _stream(b"/N 3", icc) if packed is None else _stream(b"/N 3/Filter/FlateDecode", packed)
    name = text_string(SRGB).encode("latin-1")
    return Raw(b"[<</Type/OutputIntent/S/GTS_PDFA1/OutputConditionIdentifier%s/Info%s/DestOutputProfile %d 0 R>>]"
               % (name, name, object_number(canv, profile)))


def _stream(entries: bytes, data: bytes) -> Raw:
    """Return a stream object of ``data`` (encoded as ``entries`` say) with its dictionary's ``entries``, written as
    ReportLab writes a stream (``objfile.write_file`` adds the end of line before ``endstream``)."""
    return Raw(b"<<%s/Length %d>>\nstream\n%sendstream\n" % (entries, len(data), data), indirect=True)


def untagged_lines(tagger: Tagger) -> list[str]:
    """Return a line per page where something was painted that no node held (drawn as an artifact: never expected)."""
    return [f"page {i + 1}: {len(c.untagged)} painting operators ({', '.join(sorted(set(c.untagged)))})"
            for i, c in sorted(tagger.pages.items()) if c.untagged]
