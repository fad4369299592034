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
"""

from __future__ import annotations

import operator
import os
import stat
import struct
from dataclasses import dataclass
from itertools import compress, repeat

MAX_FONT_BYTES = 64 * 1024 * 1024
MAX_CMAP_CODES = 1 << 18  # 262,144: four characters for every possible glyph
MAX_FORMAT4_CODES = 1 << 16  # the whole Basic Multilingual Plane, once
MAX_COMPONENTS = 1 << 19  # component records in all composite glyphs of a font
MAX_COMPONENT_DEPTH = 16  # real fonts nest 1 to 4 deep
MAX_COMPOSITE_BYTES = 1 << 16  # one composite glyph: its component records and instructions
REQUIRED = ("head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf", "name", "post")

_TRUETYPE = (0x00010000, 0x74727565)  # 1.0 and 'true'
_PS_NAME_BAD = frozenset(b"[](){}<>/%")  # after spaces become '-'; bytes over 126 and control bytes are bad too
# composite glyph flags
_ARG_1_AND_2_ARE_WORDS = 1 << 0
_WE_HAVE_A_SCALE = 1 << 3
_MORE_COMPONENTS = 1 << 5
_WE_HAVE_AN_X_AND_Y_SCALE = 1 << 6
_WE_HAVE_A_TWO_BY_TWO = 1 << 7


def _component_size(flags: int) -> int:
    """Return the bytes of one component record with ``flags``, as ReportLab's subsetter counts them."""
    size = 8 if flags & _ARG_1_AND_2_ARE_WORDS else 6  # flags, glyph index, two arguments
    if flags & _WE_HAVE_A_SCALE:  # tested in ReportLab's order: the first set flag counts
        return size + 2
    if flags & _WE_HAVE_AN_X_AND_Y_SCALE:
        return size + 4
    if flags & _WE_HAVE_A_TWO_BY_TWO:
        return size + 8
    return size


_COMPONENT_SIZE = [_component_size(flags) for flags in range(256)]  # by the low byte of the flags
_SIGN_BIT = bytes(b >> 7 for b in range(256))  # bytes.translate table: 1 for a byte with its top bit set


class FontError(ValueError):
    """A font file that cannot be used; ``reason`` reads after "font 'X.ttf' "."""

    def __init__(self, reason: str, path: str = ""):
        self.reason = reason
        self.path = path
        super().__init__(f"font {path} {reason}" if path else reason)


@dataclass(frozen=True)
class Sfnt:
    """A checked TrueType file: its bytes, its tables and what ``fontmetrics`` reads."""

    data: bytes
    tables: dict[str, tuple[int, int]]  # tag -> (offset, length), each inside ``data``
    units_per_em: int
    ascent: int
    descent: int  # as stored: negative below the baseline
    line_gap: int
    n_hmetrics: int
    n_glyphs: int
    cmap_format: int  # 4 or 12: the subtable ``fontmetrics`` reads ...
    cmap_offset: int  # ... at this offset in ``data``


def read_font(path: str) -> tuple[bytes, tuple[int, int]]:
    """Return the bytes of the font file at ``path`` and its (size, mtime_ns); raise FontError if it is not a regular file or too large.

    The type and size come from ``stat`` before the file is opened, and from
    ``fstat`` after (it may have been swapped), so neither a device, a pipe
    nor a multi-gigabyte file is ever read. The (size, mtime_ns) returned are
    those of the file the bytes came from.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FontError("does not exist (no such file)", path) from None
    except OSError as exc:
        raise FontError(f"cannot be read ({exc.strerror})", path) from None
    _check_stat(st, path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FontError(f"cannot be read ({exc.strerror})", path) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        _check_stat(st, path)
        try:
            data = fh.read(st.st_size + 1)  # one more: a file that grew since is caught below
        except OSError as exc:
            raise FontError(f"cannot be read ({exc.strerror})", path) from None
    if len(data) > MAX_FONT_BYTES:
        raise FontError(f"is over the limit of {MAX_FONT_BYTES // 1048576} MB for a font file", path)
    return data, (st.st_size, st.st_mtime_ns)


def _check_stat(st: os.stat_result, path: str) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise FontError("is a folder, not a file", path)
    if not stat.S_ISREG(st.st_mode):
        raise FontError("is not a regular file (a device, pipe or socket); fonts are read only from regular files", path)
    if st.st_size > MAX_FONT_BYTES:
        raise FontError(f"is {st.st_size:,} bytes, over the limit of {MAX_FONT_BYTES // 1048576} MB for a font file", path)
    if st.st_size == 0:
        raise FontError("is empty (0 bytes)", path)


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


# --- the pieces ----------------------------------------------------------------


def _u16(data: bytes, pos: int) -> int:
    return struct.unpack_from(">H", data, pos)[0]


def _u32(data: bytes, pos: int) -> int:
    return struct.unpack_from(">I", data, pos)[0]


def _directory(data: bytes) -> dict[str, tuple[int, int]]:
    size = len(data)
    if size < 12:
        raise FontError(f"is not a TrueType font (only {size} bytes; a TrueType header alone is 12)")
    version, num = struct.unpack_from(">IH", data, 0)
    if version not in _TRUETYPE:
        if version == 0x4F54544F:  # 'OTTO'
            raise FontError("is not a TrueType font: it has PostScript (CFF) outlines (expected TrueType 'glyf' outlines)")
        if version == 0x74746366:  # 'ttcf'
            raise FontError("is not a TrueType font but a collection of fonts (.ttc) (expected a single font)")
        raise FontError(f"is not a TrueType font (it starts with {data[:4].hex(' ')}; expected 00 01 00 00)")
    if 12 + 16 * num > size:
        raise FontError(f"is truncated: its directory lists {num} tables but the file ends at byte {size:,}")
    tables: dict[str, tuple[int, int]] = {}
    for i in range(num):
        raw, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if not all(0x20 <= b <= 0x7E for b in raw):
            raise FontError(f"has a table with the invalid tag {raw!r} in its directory (expected 4 printable ASCII characters): it is corrupt")
        tag = raw.decode("ascii")
        if tag in tables:
            raise FontError(f"lists the table '{tag}' twice in its directory (expected each table once)")
        if offset + length > size:
            raise FontError(f"is truncated or corrupt: its '{tag}' table (bytes {offset:,} to {offset + length:,}) runs past the end of the file ({size:,} bytes)")
        tables[tag] = (offset, length)
    return tables


class _Tables:
    def __init__(self, data: bytes, tables: dict[str, tuple[int, int]]):
        self.data = data
        self.tables = tables

    def need(self, tag: str, length: int, why: str = "") -> int:
        """Return the offset of table ``tag``, checked to be at least ``length`` bytes long."""
        offset, have = self.tables[tag]
        if have < length:
            raise FontError(f"has a '{tag}' table of {have:,} bytes, too short (expected at least {length:,}{' ' + why if why else ''})")
        return offset


def _os2(t: _Tables) -> None:
    if "OS/2" not in t.tables:
        return  # optional: ReportLab falls back to 'head'
    data = t.data
    pos = t.need("OS/2", 72)
    if _u16(data, pos) > 1:
        t.need("OS/2", 90, f"for version {_u16(data, pos)}")
    fs_type = _u16(data, pos + 8)
    if fs_type == 0x0002 or fs_type & 0x0300:
        raise FontError(
            f"does not allow embedding a subset of it in a PDF (its licence flags, OS/2 fsType {fs_type:#06x}, "
            "say restricted licence, no subsetting or bitmap only; expected a font that permits embedding)"
        )


def _ps_name(t: _Tables) -> None:
    """Pick the PostScript name as ReportLab does; raise if it would be refused or missing."""
    data = t.data
    base = t.need("name", 6)
    fmt, count, strings = struct.unpack_from(">HHH", data, base)
    if fmt != 0:
        raise FontError(f"has a 'name' table in format {fmt} (expected format 0)")
    t.need("name", 6 + 12 * count, f"for its {count} name records")
    string_base = base + strings
    names: dict[int, bytes | None] = {1: None, 2: None, 3: None, 4: None, 6: None}
    left = len(names)
    for i in range(count):
        pid, eid, lang, name_id, length, offset = struct.unpack_from(">6H", data, base + 6 + 12 * i)
        if name_id not in names:
            continue
        raw = data[string_base + offset : string_base + offset + length]
        if (pid, eid, lang) == (3, 1, 0x409):
            if length % 2:
                raise FontError(f"has a Windows name (ID {name_id}) of odd length {length} (expected UTF-16, an even number of bytes)")
            found = _decode(raw, "utf_16_be")
        elif (pid, eid, lang) == (1, 0, 0):
            found = _decode(raw, "mac_roman")
        else:
            continue
        if found and names[name_id] is None:
            names[name_id] = found
            left -= 1
            if not left:
                break
    ps = names[6] or names[4] or names[1]
    if not ps:
        raise FontError("has no PostScript name (name ID 6, 4 or 1 in its 'name' table, in Windows or Mac English)")
    ps = ps.replace(b" ", b"-")
    bad = sorted({chr(b) if 32 < b < 127 else f"\\x{b:02x}" for b in ps if b > 126 or b < 32 or b in _PS_NAME_BAD})
    if bad:
        raise FontError(f"has the PostScript name {ps.decode('utf-8', 'replace')!r}, which holds {' '.join(bad)} (expected printable ASCII without []{{}}()<>/%)")


def _decode(raw: bytes, encoding: str) -> bytes:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.encode("utf-8")


# --- cmap ---------------------------------------------------------------------

_FM_FORMAT12 = ((3, 10), (0, 4), (0, 6))
_FM_FORMAT4 = ((3, 1), (0, 3), (0, 1), (0, 0))


def _cmaps(t: _Tables, n_glyphs: int) -> tuple[int, int]:
    """Check the subtables both readers use; return (format, offset) of the one ``fontmetrics`` reads."""
    data = t.data
    base = t.need("cmap", 4)
    end = base + t.tables["cmap"][1]
    count = _u16(data, base + 2)
    t.need("cmap", 4 + 8 * count, f"for its {count} subtable records")
    ranked = []
    rl_offset = None
    rl_record = (0, 0)
    rl_class = 0
    for i in range(count):
        pid, eid, rel = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        off = base + rel
        if off + 2 > end:
            raise FontError(f"has a 'cmap' subtable (platform {pid}, encoding {eid}) at offset {rel:,}, past the end of its 'cmap' table ({end - base:,} bytes)")
        fmt = _u16(data, off)
        if fmt == 12 and (pid, eid) in _FM_FORMAT12:
            ranked.append((0, off, fmt))
        elif fmt == 4 and (pid, eid) in _FM_FORMAT4:
            ranked.append((1, off, fmt))
        # ReportLab: the last (3, *), (1, 1) or (0, not 5) record wins; (1, 0) only until one of those is seen
        if pid == 3 or (pid == 1 and eid == 1) or (pid == 0 and eid != 5):
            rl_offset, rl_record, rl_class = off, (pid, eid), 1
        elif pid == 1 and eid == 0 and rl_class != 1:
            rl_offset, rl_record, rl_class = off, (pid, eid), 2
    if not ranked:
        raise FontError("has no Unicode character map (expected a 'cmap' subtable in format 4 or 12 for platform 3 or 0)")
    ranked.sort()
    _, fm_offset, fm_format = ranked[0]
    checked = set()
    for off, who in ((fm_offset, None), (rl_offset, rl_record)):
        if off is None or off in checked:
            continue
        checked.add(off)
        fmt = _u16(data, off)
        if fmt == 4:
            _format4(data, off, end, n_glyphs)
        elif fmt == 12:
            _format12(data, off, end, n_glyphs)
        else:
            raise FontError(f"has a 'cmap' subtable (platform {who[0]}, encoding {who[1]}) in format {fmt}, which the PDF writer would read (expected format 4 or 12)")
    return fm_format, fm_offset


def _format4(data: bytes, off: int, end: int, n_glyphs: int) -> None:
    if off + 14 > end:
        raise FontError("has a 'cmap' format 4 subtable cut short by the end of its 'cmap' table")
    length, _lang, seg_x2 = struct.unpack_from(">HHH", data, off + 2)
    if seg_x2 == 0 or seg_x2 % 2:
        raise FontError(f"has a 'cmap' format 4 subtable with segCountX2 {seg_x2} (expected a positive even number)")
    n = seg_x2 // 2
    ro_base = off + 16 + 3 * seg_x2
    if ro_base + seg_x2 > end:
        raise FontError(f"has a 'cmap' format 4 subtable whose {n:,} segments run past the end of its 'cmap' table")
    ends = struct.unpack_from(f">{n}H", data, off + 14)
    starts = struct.unpack_from(f">{n}H", data, off + 16 + seg_x2)
    deltas = struct.unpack_from(f">{n}h", data, off + 16 + 2 * seg_x2)
    range_offsets = struct.unpack_from(f">{n}H", data, ro_base)
    total = sum(e - s + 1 for s, e in zip(starts, ends) if e >= s)
    if total > MAX_FORMAT4_CODES:
        raise FontError(
            f"has a 'cmap' format 4 subtable whose {n:,} segments cover {total:,} character codes "
            f"(expected at most {MAX_FORMAT4_CODES:,}: segments that do not overlap)"
        )
    limit = off + length  # ReportLab reads glyph 0 for an idRangeOffset at or past this
    size = len(data)
    for i in range(n):
        start, stop, delta, ro = starts[i], ends[i], deltas[i], range_offsets[i]
        if stop < start:
            continue
        span = stop - start
        if ro == 0:
            low = (start + delta) & 0xFFFF
            top = low + span if low + span <= 0xFFFF else 0xFFFF  # past 0xFFFF the indices wrap through 0xFFFF
        else:
            first = ro_base + 2 * i + ro  # the glyph index for ``start``
            last = first + 2 * span
            # fontmetrics reads every entry (but skips a segment starting at U+FFFF); ReportLab those before ``limit``
            count = span + 1 if start != 0xFFFF else 0
            count = max(count, min(span + 1, max(0, (limit - first + 1) // 2)))
            if count and first + 2 * count > size:
                raise FontError(
                    f"has a 'cmap' format 4 segment U+{start:04X}..U+{stop:04X} whose glyph indices (bytes {first:,} to {last + 2:,}) "
                    f"lie past the end of the file ({size:,} bytes)"
                )
            values = struct.unpack_from(f">{count}H", data, first) if count else ()
            if delta:
                top = max(((v + delta) & 0xFFFF for v in values if v), default=0)
            else:
                top = max(values, default=0)
        if top >= n_glyphs:
            raise FontError(
                f"maps a character in U+{start:04X}..U+{stop:04X} to glyph {top:,}, but it has only {n_glyphs:,} glyphs "
                "(its 'cmap' format 4 subtable is corrupt)"
            )


def _format12(data: bytes, off: int, end: int, n_glyphs: int) -> None:
    if off + 16 > end:
        raise FontError("has a 'cmap' format 12 subtable cut short by the end of its 'cmap' table")
    n = _u32(data, off + 12)
    if n > MAX_CMAP_CODES:
        raise FontError(f"has a 'cmap' format 12 subtable of {n:,} groups (expected at most {MAX_CMAP_CODES:,})")
    if off + 16 + 12 * n > end:
        raise FontError(f"has a 'cmap' format 12 subtable whose {n:,} groups run past the end of its 'cmap' table")
    total = 0
    for start, stop, glyph in struct.iter_unpack(">III", memoryview(data)[off + 16 : off + 16 + 12 * n]):
        if start > stop or stop > 0x10FFFF:
            raise FontError(
                f"has a 'cmap' format 12 group for U+{start:04X}..U+{stop:04X} "
                "(expected a range of Unicode code points, up to U+10FFFF, that does not run backwards)"
            )
        total += stop - start + 1
        if total > MAX_CMAP_CODES:
            raise FontError(f"has a 'cmap' format 12 subtable mapping over {MAX_CMAP_CODES:,} characters (expected at most {MAX_CMAP_CODES:,})")
        if glyph + stop - start >= n_glyphs:
            raise FontError(
                f"maps U+{start:04X}..U+{stop:04X} to glyphs {glyph:,} to {glyph + stop - start:,}, but it has only {n_glyphs:,} glyphs "
                "(its 'cmap' format 12 subtable is corrupt)"
            )


# --- loca and glyf --------------------------------------------------------------


def _glyphs(t: _Tables, n_glyphs: int, loca_format: int) -> None:
    """Raise if 'loca' or a composite glyph would send ReportLab's subsetter out of bounds or round in circles."""
    data = t.data
    width = 2 if loca_format == 0 else 4
    loca = t.need("loca", width * (n_glyphs + 1), f"for {n_glyphs:,} glyphs")
    glyf, glyf_len = t.tables["glyf"]
    if loca_format == 0:
        offsets = [2 * v for v in struct.unpack_from(f">{n_glyphs + 1}H", data, loca)]
    else:
        offsets = list(struct.unpack_from(f">{n_glyphs + 1}I", data, loca))
    if offsets[-1] > glyf_len:
        raise FontError(f"has a 'loca' table pointing past the end of 'glyf' (to byte {offsets[-1]:,} of {glyf_len:,}): it is corrupt")
    lengths = list(map(operator.sub, offsets[1:], offsets))
    if min(lengths) < 0:
        gid = next(i for i, n in enumerate(lengths) if n < 0)
        raise FontError(f"has a 'loca' table whose offsets go backwards at glyph {gid:,} (expected them in order): it is corrupt")
    sizes = set(lengths)
    if any(n in sizes for n in range(1, 10)):
        gid = next(i for i, n in enumerate(lengths) if 0 < n < 10)
        raise FontError(f"has a glyph ({gid:,}) of {lengths[gid]} bytes, shorter than a glyph header (10 bytes)")
    # A negative numberOfContours (the sign bit is a glyph's first bit) marks a composite glyph.
    # (Bulk operations: this runs for every font on every build.)
    filled = list(compress(range(n_glyphs), lengths))
    if not filled:
        return
    starts, glyphs = list(compress(offsets, lengths)), data[glyf : glyf + glyf_len]
    firsts = operator.itemgetter(*starts)(glyphs) if len(starts) > 1 else (glyphs[starts[0]],)
    composites = list(compress(filled, bytes(firsts).translate(_SIGN_BIT)))
    if not composites:
        return
    if max(map(lengths.__getitem__, composites)) > MAX_COMPOSITE_BYTES:
        gid = next(g for g in composites if lengths[g] > MAX_COMPOSITE_BYTES)
        raise FontError(f"has a composite glyph ({gid:,}) of {lengths[gid]:,} bytes (expected at most {MAX_COMPOSITE_BYTES:,})")
    # Walk the component records as ReportLab's subsetter reads them, but never past the glyph.
    # (Bytes are indexed, not unpacked: no tuple per record, so no garbage collection in a large heap.)
    children: list[int] = []  # every component's glyph ...
    owners: list[int] = []  # ... and the composite it is part of
    add_child, add_owner, size_of, more = children.append, owners.append, _COMPONENT_SIZE, _MORE_COMPONENTS
    begins = map(operator.add, map(offsets.__getitem__, composites), repeat(glyf + 10))
    stops = map(operator.add, map(operator.add, map(offsets.__getitem__, composites), map(lengths.__getitem__, composites)), repeat(glyf))
    for gid, p, stop in zip(composites, begins, stops):
        flags = more
        while flags & more:
            if p + 4 > stop:
                raise FontError(f"has a composite glyph ({gid:,}) whose components run past its end: it is corrupt")
            flags = data[p + 1]  # the low byte holds every flag read here
            add_child(data[p + 2] << 8 | data[p + 3])
            add_owner(gid)
            p += size_of[flags]
        if p > stop:
            raise FontError(f"has a composite glyph ({gid:,}) whose components run past its end: it is corrupt")
        if len(children) > MAX_COMPONENTS:
            raise FontError(f"has over {MAX_COMPONENTS:,} components in its composite glyphs (expected fewer)")
    if max(children) >= n_glyphs:
        gid, child = next((g, c) for g, c in zip(owners, children) if c >= n_glyphs)
        raise FontError(f"has a composite glyph ({gid:,}) made of glyph {child:,}, but it has only {n_glyphs:,} glyphs")
    nested = list(map(set(composites).__contains__, children))
    _depths(list(zip(compress(owners, nested), compress(children, nested))))


def _depths(edges: list[tuple[int, int]]) -> None:
    """Raise if a composite glyph contains itself or nests deeper than ``MAX_COMPONENT_DEPTH``.

    ``edges`` are (composite, composite part) pairs. Level by level: a
    composite whose composite parts are all done is done; none done in a
    round means the rest contain each other in a cycle.
    """
    pending: dict[int, list[int]] = {}
    for gid, child in edges:
        if gid == child:
            raise FontError(f"has a composite glyph ({gid:,}) that contains itself: it is corrupt")
        pending.setdefault(gid, []).append(child)
    level = 1  # composites of simple glyphs only
    while pending:
        level += 1
        waiting = pending.keys()
        ready = [gid for gid, parts in pending.items() if waiting.isdisjoint(parts)]
        if not ready:
            raise FontError(f"has composite glyphs that contain each other in a cycle (glyph {min(pending):,} among them): it is corrupt")
        if level > MAX_COMPONENT_DEPTH:
            raise FontError(f"has composite glyphs nested over {MAX_COMPONENT_DEPTH} deep (glyph {min(pending):,} among them; expected at most {MAX_COMPONENT_DEPTH})")
        for gid in ready:
            del pending[gid]
