"""'loca' and composite glyphs: offsets in order and inside 'glyf', component records inside their glyph, no cycles."""

from __future__ import annotations

import operator
import struct
from itertools import compress, repeat

from .tables import FontError, _Tables

MAX_COMPONENTS = 1 << 19  # component records in all composite glyphs of a font
MAX_COMPONENT_DEPTH = 16  # real fonts nest 1 to 4 deep
MAX_COMPOSITE_BYTES = 1 << 16  # one composite glyph: its component records and instructions
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
