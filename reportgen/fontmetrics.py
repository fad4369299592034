"""Advance widths from a TrueType file, read with ``struct`` (no ReportLab).

Enough of the ``cmap`` (formats 4 and 12), ``head``, ``hhea`` and ``hmtx``
tables to measure a string: ``FontMetrics.load(path).width("text", 20)`` gives
its advance width in points at 20 pt. Kerning is ignored, which can only make a
measured line wider than the rendered one. Files are parsed once per process.
"""

from __future__ import annotations

import struct
from functools import lru_cache


class FontMetrics:
    """Advance widths of one TTF file, in font units, and the units per em."""

    def __init__(self, path: str, units_per_em: int, advances: list[int], cmap: dict[int, int], ascent: int, descent: int, line_gap: int):
        self.path = path
        self.units_per_em = units_per_em
        self._advances = advances
        self._cmap = cmap
        self.ascent = ascent
        self.descent = descent  # positive: distance below the baseline
        self.line_gap = line_gap
        self._cache: dict[str, float] = {}
        self._missing = advances[0] if advances else units_per_em // 2

    @staticmethod
    def load(path: str) -> "FontMetrics":
        """Return the metrics of the TTF at ``path`` (cached per file)."""
        return _load(path)

    def has_glyph(self, char: str) -> bool:
        return ord(char) in self._cmap

    def char_units(self, char: str) -> int:
        gid = self._cmap.get(ord(char))
        if gid is None:
            return self._missing
        if gid < len(self._advances):
            return self._advances[gid]
        return self._advances[-1]

    def units(self, text: str) -> float:
        """Width of ``text`` in font units (cached per string)."""
        w = self._cache.get(text)
        if w is None:
            w = float(sum(self.char_units(c) for c in text))
            if len(self._cache) < 200_000:
                self._cache[text] = w
        return w

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` in points at ``size`` points."""
        return self.units(text) * size / self.units_per_em

    def line_height(self, size: float) -> float:
        """The font's natural line height (ascent + descent + gap) at ``size``."""
        return (self.ascent + self.descent + self.line_gap) * size / self.units_per_em


@lru_cache(maxsize=None)
def _load(path: str) -> FontMetrics:
    with open(path, "rb") as fh:
        data = fh.read()
    tables = _tables(data, path)
    for tag in ("head", "hhea", "hmtx", "cmap", "maxp"):
        if tag not in tables:
            raise ValueError(f"{path}: not a TrueType font with a '{tag}' table")
    head = tables["head"]
    units_per_em = struct.unpack_from(">H", data, head + 18)[0]
    hhea = tables["hhea"]
    ascent, descent, line_gap = struct.unpack_from(">hhh", data, hhea + 4)
    n_hmetrics = struct.unpack_from(">H", data, hhea + 34)[0]
    n_glyphs = struct.unpack_from(">H", data, tables["maxp"] + 4)[0]
    hmtx = tables["hmtx"]
    advances = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(n_hmetrics)]
    if advances and n_glyphs > n_hmetrics:
        advances.extend([advances[-1]] * (n_glyphs - n_hmetrics))
    cmap = _cmap(data, tables["cmap"], path)
    return FontMetrics(path, units_per_em, advances, cmap, ascent, -descent, line_gap)


def _tables(data: bytes, path: str) -> dict[str, int]:
    if len(data) < 12:
        raise ValueError(f"{path}: too short to be a font")
    version, num = struct.unpack_from(">IH", data, 0)
    if version not in (0x00010000, 0x74727565):  # TrueType outlines only
        raise ValueError(f"{path}: not a TrueType font (version {version:#x})")
    out = {}
    for i in range(num):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        out[tag.decode("latin-1")] = offset
    return out


def _cmap(data: bytes, base: int, path: str) -> dict[int, int]:
    _version, num = struct.unpack_from(">HH", data, base)
    subtables = []
    for i in range(num):
        pid, eid, off = struct.unpack_from(">HHI", data, base + 4 + 8 * i)
        subtables.append((pid, eid, base + off))
    # Prefer full Unicode (format 12), then the BMP (format 4).
    ranked = []
    for pid, eid, off in subtables:
        fmt = struct.unpack_from(">H", data, off)[0]
        if fmt == 12 and (pid, eid) in ((3, 10), (0, 4), (0, 6)):
            ranked.append((0, fmt, off))
        elif fmt == 4 and (pid, eid) in ((3, 1), (0, 3), (0, 1), (0, 0)):
            ranked.append((1, fmt, off))
    if not ranked:
        raise ValueError(f"{path}: no Unicode cmap (format 4 or 12)")
    ranked.sort()
    _, fmt, off = ranked[0]
    return _format12(data, off) if fmt == 12 else _format4(data, off)


def _format4(data: bytes, off: int) -> dict[int, int]:
    seg_x2 = struct.unpack_from(">H", data, off + 6)[0]
    n = seg_x2 // 2
    ends = struct.unpack_from(f">{n}H", data, off + 14)
    starts = struct.unpack_from(f">{n}H", data, off + 16 + seg_x2)
    deltas = struct.unpack_from(f">{n}h", data, off + 16 + 2 * seg_x2)
    ro_base = off + 16 + 3 * seg_x2
    range_offsets = struct.unpack_from(f">{n}H", data, ro_base)
    out: dict[int, int] = {}
    for i in range(n):
        start, end, delta, ro = starts[i], ends[i], deltas[i], range_offsets[i]
        if start == 0xFFFF:
            continue
        for c in range(start, end + 1):
            if ro == 0:
                gid = (c + delta) & 0xFFFF
            else:
                addr = ro_base + 2 * i + ro + 2 * (c - start)
                gid = struct.unpack_from(">H", data, addr)[0]
                if gid:
                    gid = (gid + delta) & 0xFFFF
            if gid:
                out[c] = gid
    return out


def _format12(data: bytes, off: int) -> dict[int, int]:
    n_groups = struct.unpack_from(">I", data, off + 12)[0]
    out: dict[int, int] = {}
    for i in range(n_groups):
        start, end, gid = struct.unpack_from(">III", data, off + 16 + 12 * i)
        for c in range(start, end + 1):
            out[c] = gid + (c - start)
    return out
