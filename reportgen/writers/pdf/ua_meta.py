"""The tagged file's document-level parts: XMP metadata, the PDF/A output intent's profile, fonts' ToUnicode maps.

* ``xmp_packet``: the XMP a tagged file carries, mirroring its information
  dictionary (PDF/A wants the two equal), with its language and its claim:
  ``pdfuaid:part 1`` for PDF/UA-1, ``pdfaid:part``/``conformance`` for
  PDF/A-2b or 3b (those claim PDF/A only: a PDF/UA claim inside PDF/A needs
  an extension schema, which ``pikepdf.pdfa`` refuses; their tags are the same).
* ``srgb_profile``: the sRGB ICC profile shipped with reportgen
  (``reportgen/data/sRGB.icc``), PDF/A's GTS_PDFA1 output intent.
* ``drop_unmapped``: ReportLab maps a subset's unused codes to U+0000 in
  its ToUnicode CMaps (PDF/UA 7.21.7); those entries are dropped.

Nothing here writes PDF objects: ``ua`` does.
"""

from __future__ import annotations

import re
from importlib import resources

from ...markup import esc

SRGB = "sRGB IEC61966-2.1"
_NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
# the information dictionary's fields XMP repeats, in the packet's order, each with its XMP form
_XMP_FIELDS = (
    ("Title", '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:title>'),
    ("Author", "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>"),
    ("Subject", '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:description>'),
    ("Producer", "<pdf:Producer>{}</pdf:Producer>"),
    ("Keywords", "<pdf:Keywords>{}</pdf:Keywords>"),
    ("Creator", "<xmp:CreatorTool>{}</xmp:CreatorTool>"),
    ("CreationDate", "<xmp:CreateDate>{}</xmp:CreateDate>"),
    ("ModDate", "<xmp:ModifyDate>{}</xmp:ModifyDate>"),
)
_ZERO = re.compile(r"^<[0-9A-Fa-f]+> <0000>$")


def xmp_date(pdf_date: str) -> str:
    """Return a PDF date (``D:20210616000000+00'00'``) as an XMP date (``2021-06-16T00:00:00+00:00``)."""
    s = pdf_date.removeprefix("D:")
    out = f"{s[0:4]}-{s[4:6]}-{s[6:8]}T{s[8:10]}:{s[10:12]}:{s[12:14]}"
    zone = s[14:].replace("'", "")
    if zone in ("", "Z"):
        return out + "Z"
    return f"{out}{zone[0]}{zone[1:3]}:{zone[3:5] or '00'}"


def xmp_packet(info: dict[str, str], lang: str, ua: bool, pdfa: tuple[int, str] | None) -> bytes:
    """Return the XMP packet for a file whose information dictionary is ``info`` (without its slashes), in ``lang``,
    claiming PDF/UA-1 (``ua``) and/or PDF/A part and conformance ``pdfa`` ((2, "B"))."""
    props = ["<dc:format>application/pdf</dc:format>"]
    for key, form in _XMP_FIELDS:
        if info.get(key):
            value = xmp_date(info[key]) if key.endswith("Date") else info[key]
            props.append(form.format(esc(value)))
        if key == "Subject":  # dc:language after the dc fields, as before
            props.append(f"<dc:language><rdf:Bag><rdf:li>{esc(lang)}</rdf:li></rdf:Bag></dc:language>")
    used = ["dc", "pdf", "xmp"]
    if ua:
        props.append("<pdfuaid:part>1</pdfuaid:part>")
        used.append("pdfuaid")
    if pdfa:
        props += [f"<pdfaid:part>{pdfa[0]}</pdfaid:part>", f"<pdfaid:conformance>{pdfa[1]}</pdfaid:conformance>"]
        used.append("pdfaid")
    declared = "".join(f' xmlns:{p}="{_NAMESPACES[p]}"' for p in used)  # only those used (pikepdf.pdfa refuses others)
    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        f'  <rdf:Description rdf:about=""{declared}>',
        *("   " + p for p in props),
        "  </rdf:Description>",
        " </rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="w"?>',
    ]
    return "\n".join(lines).encode("utf-8")


def srgb_profile() -> bytes:
    """Return the sRGB ICC profile shipped with reportgen (``reportgen/data/sRGB.icc``, zlib licence)."""
    return resources.files("reportgen").joinpath("data", "sRGB.icc").read_bytes()


def drop_unmapped(cmap: str) -> str | None:
    """Return the ToUnicode CMap ``cmap`` without its ``<XX> <0000>`` entries (its ``bfchar`` blocks recounted, an
    emptied one dropped); None when it has none."""
    lines = cmap.split("\n")
    kept = [line for line in lines if not _ZERO.match(line)]
    if len(kept) == len(lines):
        return None
    out: list[str] = []
    block: list[str] | None = None
    for line in kept:
        if line.endswith("beginbfchar"):
            block = []
        elif line == "endbfchar" and block is not None:
            if block:
                out += [f"{len(block)} beginbfchar", *block, line]
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    return "\n".join(out)
