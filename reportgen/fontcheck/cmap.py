"""The character maps both readers use: formats 4 and 12, bounded in codes, every glyph index inside the font."""

from __future__ import annotations

import struct

from .tables import FontError, _Tables, _u16, _u32

MAX_CMAP_CODES = 1 << 18  # 262,144: four characters for every possible glyph
MAX_FORMAT4_CODES = 1 << 16  # the whole Basic Multilingual Plane, once

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
