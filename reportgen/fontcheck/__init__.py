"""TrueType files checked before anything reads them in earnest (no ReportLab here).

A template pack names ``.ttf`` files. Three readers use them: ``fontmetrics``
(widths for the deck), ReportLab's ``TTFont`` (registered by the PDF writer)
and ReportLab's subsetter (a subset of each font is embedded when the PDF is
saved). Every one of them trusts the numbers in the file: counts that drive
loops, offsets that are read without bounds, ranges expanded code by code.
``inspect`` checks those numbers with ``struct`` and bounds on every offset,
so that a font it accepts can be measured, registered and subset-embedded in
bounded time and memory, and any other font is refused with one sentence
saying what is wrong and what was expected.

What ReportLab (``reportlab/pdfbase/ttfonts.py``, as of 5.1) reads, and the bound
this module puts on it:

- the whole file, into memory: ``read_font`` refuses anything but a regular
  file and anything over ``MAX_FONT_BYTES``, judged from ``fstat`` before a
  byte is read;
- the table directory (``numTables`` records) and then each table at its
  offset, with no check that it lies in the file: every table must lie inside
  the file, no tag may repeat (two readers could take different copies),
  tags are printable ASCII (ReportLab decodes them as UTF-8);
- ``name``, ``head``, ``hhea``, ``maxp``, ``hmtx``, ``cmap``, ``loca``, ``post``
  and ``glyf`` are required (a missing one is a ``KeyError`` or
  ``AttributeError`` in ReportLab, at registration or only at save), each long
  enough for the fields read from it, with the versions and magic numbers
  ReportLab insists on; ``unitsPerEm`` 16 to 16384 (ReportLab divides by it);
- the PostScript name, chosen from ``name`` exactly as ReportLab does: it
  must exist (ReportLab's fallback for a missing one raises) and hold no
  character ReportLab rejects, nor a control character (it is written into
  the PDF as a name);
- ``OS/2`` (optional): long enough for the fields read; embedding permissions
  that let ReportLab subset the font (with ``fsType`` 2 or bits 0x0300 it
  refuses a font of over 255 glyphs, and embeds a smaller one whole, then
  fails on any character past U+00FF);
- ``cmap``: the subtable ``fontmetrics`` uses *and* the one ReportLab picks
  (the last Unicode-ish record, whatever its format) must be format 4 or 12.
  Both parsers expand every range code by code: a format 4 subtable's
  segments may cover at most 65,536 codes in all (32,767 overlapping
  full-range segments would be 2^31 steps), a format 12 subtable at most
  ``MAX_CMAP_CODES`` codes, none past U+10FFFF (a group ending near 2^32 is an
  8 GB dictionary); every glyph index a character maps to must exist
  (ReportLab's subsetter indexes ``loca`` and ``hmtx`` with it), and every
  ``idRangeOffset`` read must lie in the file;
- ``hmtx`` must hold ``numberOfHMetrics`` (at least 1) pairs and the trailing
  side bearings for ``numGlyphs`` (at least 1);
- ``loca``: ``numGlyphs + 1`` offsets, never decreasing, none past ``glyf``;
  each glyph empty or at least a 10-byte header;
- composite glyphs: the subsetter follows component records while the
  "more components" flag is set, reading past the glyph (to the end of the
  file) if the flag never clears. Every component record must lie inside its
  glyph and name an existing glyph; at most ``MAX_COMPONENTS`` in the font,
  and a composite glyph at most ``MAX_COMPOSITE_BYTES`` long (so the walk is
  bounded before it starts); no glyph may contain itself, and nesting is at most
  ``MAX_COMPONENT_DEPTH`` deep (ReportLab walks the graph iteratively, but
  the embedded subset is drawn by PDF viewers, which recurse).

Checksums are not checked: ReportLab does not check them either (``TTFont``
is created with ``validate=0``) and it writes fresh ones into every subset.

The checks, one module each: ``read`` (the file), ``tables`` (the table
directory and the fixed-size tables), ``names`` (the PostScript name),
``cmap`` (the character maps) and ``glyphs`` (``loca`` and composite glyphs);
``inspect`` here runs them in turn.
"""

from __future__ import annotations

import struct

from .cmap import MAX_CMAP_CODES, MAX_FORMAT4_CODES, _cmaps
from .glyphs import MAX_COMPONENT_DEPTH, MAX_COMPONENTS, MAX_COMPOSITE_BYTES, _glyphs
from .names import _ps_name
from .read import MAX_FONT_BYTES, read_font
from .tables import REQUIRED, FontError, Sfnt, _directory, _os2, _Tables, _u16, _u32

__all__ = [
    "MAX_CMAP_CODES", "MAX_COMPONENTS", "MAX_COMPONENT_DEPTH", "MAX_COMPOSITE_BYTES", "MAX_FONT_BYTES", "MAX_FORMAT4_CODES",
    "REQUIRED", "FontError", "Sfnt", "inspect", "read_font",
]


def inspect(data: bytes) -> Sfnt:
    """Return the checked structure of the TrueType font ``data``; raise FontError saying what is wrong.

    Accepting means: ``fontmetrics`` can measure it, and ReportLab can
    register it and embed any subset of it, each in time and memory bounded
    by the limits of this module (see the module docstring for each bound).
    """
    tables = _directory(data)
    for tag in REQUIRED:
        if tag not in tables:
            raise FontError(f"lacks the '{tag}' table (a TrueType font needs head, hhea, maxp, hmtx, cmap, loca, glyf, name and post)")
    t = _Tables(data, tables)

    head = t.need("head", 54)
    major, _minor, magic = _u16(data, head), _u16(data, head + 2), _u32(data, head + 12)
    if major != 1:
        raise FontError(f"has a 'head' table of version {major} (expected 1)")
    if magic != 0x5F0F3CF5:
        raise FontError(f"has a 'head' table with the wrong magic number {magic:#010x} (expected 0x5f0f3cf5): it is corrupt")
    units_per_em = _u16(data, head + 18)
    if not 16 <= units_per_em <= 16384:
        raise FontError(f"has {units_per_em} units per em (expected 16 to 16384)")
    loca_format, glyph_format = struct.unpack_from(">hh", data, head + 50)
    if loca_format not in (0, 1):
        raise FontError(f"has an unknown 'loca' format {loca_format} (expected 0 or 1)")
    if glyph_format != 0:
        raise FontError(f"has an unknown glyph data format {glyph_format} (expected 0)")

    hhea = t.need("hhea", 36)
    if _u16(data, hhea) != 1:
        raise FontError(f"has an 'hhea' table of version {_u16(data, hhea)} (expected 1)")
    ascent, descent, line_gap = struct.unpack_from(">hhh", data, hhea + 4)
    metric_format, n_hmetrics = struct.unpack_from(">hH", data, hhea + 32)
    if metric_format != 0:
        raise FontError(f"has an unknown metric data format {metric_format} in 'hhea' (expected 0)")
    if n_hmetrics == 0:
        raise FontError("has no horizontal metrics (numberOfHMetrics is 0; expected at least 1)")

    maxp = t.need("maxp", 6)
    if _u16(data, maxp) != 1:
        raise FontError(f"has a 'maxp' table of version {_u16(data, maxp)}.{_u16(data, maxp + 2):04x} (expected 1.0: TrueType outlines)")
    n_glyphs = _u16(data, maxp + 4)
    if n_glyphs == 0:
        raise FontError("has no glyphs (numGlyphs is 0 in 'maxp')")

    need = 4 * n_hmetrics + 2 * max(0, n_glyphs - n_hmetrics)
    t.need("hmtx", need, f"for {n_hmetrics:,} metrics and {n_glyphs:,} glyphs")

    _os2(t)
    post = t.need("post", 32)
    if _u16(data, post) not in (1, 2, 3, 4):
        raise FontError(f"has a 'post' table of version {_u16(data, post)} (expected 1 to 4)")
    _ps_name(t)

    cmap_format, cmap_offset = _cmaps(t, n_glyphs)
    _glyphs(t, n_glyphs, loca_format)
    return Sfnt(data, tables, units_per_em, ascent, descent, line_gap, n_hmetrics, n_glyphs, cmap_format, cmap_offset)

