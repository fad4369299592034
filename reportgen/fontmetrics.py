"""Advance widths from a TrueType file, read with ``struct`` (no ReportLab).

Enough of the ``cmap`` (formats 4 and 12), ``head``, ``hhea`` and ``hmtx``
tables to measure a string: ``FontMetrics.load(path).width("text", 20)`` gives
its advance width in points at 20 pt. Kerning is ignored, which can only make a
measured line wider than the rendered one. Files are parsed once per process,
and only after ``fontcheck.inspect`` has checked every count and offset read
here (and those ReportLab reads), so a hostile file is refused, not trusted.
"""

from __future__ import annotations

import os
import struct
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from .fontcheck import FontError, inspect, read_font


class FontMetrics:
    """Advance widths of one TTF file, in font units, and the units per em.

    Held compactly (a few kilobytes for a font of thousands of characters):
    the advances as an array of 16-bit numbers and the character map as runs
    of consecutive codes mapped to consecutive glyphs (``Runs``), each
    character's width remembered once it is asked for.
    """

    def __init__(self, path: str, units_per_em: int, advances: Sequence[int], runs: Iterable[tuple[int, int, int]], ascent: int, descent: int, line_gap: int):
        self.path = path
        self.units_per_em = units_per_em
        self._advances = array("H", advances)
        self._runs = Runs(runs)  # (first code, glyph, count), as the font's table lists them
        self.ascent = ascent
        self.descent = descent  # positive: distance below the baseline
        self.line_gap = line_gap
        self._cache: dict[str, float] = {}
        self._chars: dict[str, int] = {}  # character -> its advance, for the characters asked for so far
        self._missing = advances[0] if advances else units_per_em // 2

    @staticmethod
    def load(path: str) -> "FontMetrics":
        """Return the metrics of the TTF at ``path`` (cached per path).

        Raise ``fontcheck.FontError`` (a ValueError) if the file is not a font
        ``fontcheck.inspect`` accepts: nothing in it is trusted before that.
        """
        return _load(path)

    def has_glyph(self, char: str) -> bool:
        """Return True if the font maps ``char`` to a glyph."""
        return self._runs.get(ord(char)) is not None

    def char_units(self, char: str) -> int:
        """Return the advance of ``char`` in font units (glyph 0's for a character the font lacks)."""
        units = self._chars.get(char)
        if units is None:
            gid = self._runs.get(ord(char))
            if gid is None:
                units = self._missing
            elif gid < len(self._advances):
                units = self._advances[gid]
            else:
                units = self._advances[-1]
            if len(self._chars) < 65_536:
                self._chars[char] = units
        return units

    def units(self, text: str) -> float:
        """Width of ``text`` in font units (cached per string)."""
        w = self._cache.get(text)
        if w is None:
            w = float(sum(map(self.char_units, text)))
            if len(self._cache) < 200_000:
                self._cache[text] = w
        return w

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` in points at ``size`` points."""
        return self.units(text) * size / self.units_per_em

    def line_height(self, size: float) -> float:
        """The font's natural line height (ascent + descent + gap) at ``size``."""
        return (self.ascent + self.descent + self.line_gap) * size / self.units_per_em

    def mapping(self) -> dict[int, int]:
        """Return the font's character map as a new dict, code -> glyph."""
        return self._runs.mapping()


class Runs:
    """A character map held as runs: codes ``start .. start + length - 1`` map to glyphs ``glyph .. glyph + length - 1``.

    Three arrays of 32-bit numbers, looked up by bisection: a font's map of
    6,000 characters (DejaVu Sans) is a few hundred runs, some kilobytes,
    where a dict of it is 600 KB.
    """

    __slots__ = ("starts", "glyphs", "lengths")

    def __init__(self, runs: Iterable[tuple[int, int, int]]):
        """Hold ``runs`` (first code, its glyph, count) as a table lists them: where two cover one code, the later one's glyph."""
        self.starts, self.glyphs, self.lengths = array("I"), array("I"), array("I")
        runs = list(runs)
        after = 0  # the first code past the runs kept so far
        for start, gid, length in runs:
            if start < after:  # out of order or overlapping (rare): each code's glyph the last run gives it, in code order
                merged: dict[int, int] = {}
                for start, gid, length in runs:
                    merged.update(zip(range(start, start + length), range(gid, gid + length)))
                self.starts, self.glyphs, self.lengths = array("I"), array("I"), array("I")
                for code, gid in sorted(merged.items()):
                    self._add(code, gid, 1)
                return
            self._add(start, gid, length)
            after = start + length

    def _add(self, start: int, gid: int, length: int) -> None:
        """Add a run past the last one, joined to it when it continues it."""
        if self.starts and self.starts[-1] + self.lengths[-1] == start and self.glyphs[-1] + self.lengths[-1] == gid:
            self.lengths[-1] += length
        else:
            self.starts.append(start)
            self.glyphs.append(gid)
            self.lengths.append(length)

    def get(self, code: int) -> int | None:
        """Return the glyph of ``code``, or None if it has none."""
        i = bisect_right(self.starts, code) - 1
        if i < 0:
            return None
        offset = code - self.starts[i]
        return self.glyphs[i] + offset if offset < self.lengths[i] else None

    def mapping(self) -> dict[int, int]:
        """Return the map as a dict, code -> glyph."""
        out: dict[int, int] = {}
        for start, gid, length in zip(self.starts, self.glyphs, self.lengths):
            out.update(zip(range(start, start + length), range(gid, gid + length)))
        return out


_by_path: dict[str, FontMetrics] = {}  # what ``FontMetrics.load`` returns, per path
_by_file: dict[tuple[str, int, int], FontMetrics] = {}  # per (path, size, mtime_ns): files checked in this process


def checked(path: str) -> FontMetrics:
    """Return the metrics of the TTF at ``path``, checked now unless this very file (path, size, mtime) was.

    Raise ``fontcheck.FontError`` (a ValueError) saying what is wrong with a
    font that cannot be measured, registered with ReportLab and subset-embedded
    safely. Later ``FontMetrics.load(path)`` calls return these metrics.
    """
    try:
        st = os.stat(path)
    except OSError:
        pass
    else:
        metrics = _by_file.get((path, st.st_size, st.st_mtime_ns))
        if metrics is not None:
            return metrics
    data, ident = read_font(path)
    return _check(path, data, ident)


def font_bytes(path: str) -> bytes:
    """Return the bytes of the TTF at ``path``, checked like ``checked`` (skipped if this very file was).

    For the PDF writer: ReportLab parses exactly these bytes, so a font
    replaced after the theme was loaded is checked again, not trusted.
    """
    data, ident = read_font(path)
    if (path, *ident) not in _by_file:
        _check(path, data, ident)
    return data


def _check(path: str, data: bytes, ident: tuple[int, int]) -> FontMetrics:
    metrics = _measure(path, data)
    if len(_by_file) >= 256:
        _by_file.clear()
    _by_file[(path, *ident)] = metrics
    _by_path[path] = metrics
    return metrics


def _load(path: str) -> FontMetrics:
    metrics = _by_path.get(path)
    if metrics is None:
        metrics = _by_path[path] = _measure(path, read_font(path)[0])
    return metrics


def _measure(path: str, data: bytes) -> FontMetrics:
    try:
        font = inspect(data)
    except FontError as exc:
        raise FontError(exc.reason, path) from None
    hmtx = font.tables["hmtx"][0]
    advances = struct.unpack_from(f">{2 * font.n_hmetrics}H", data, hmtx)[::2]  # glyphs past these: the last one's advance
    if font.cmap_format == 12:
        runs = _format12(data, font.cmap_offset)
    else:
        runs = _format4(data, font.cmap_offset)
    return FontMetrics(path, font.units_per_em, advances, runs, font.ascent, -font.descent, font.line_gap)


def _format4(data: bytes, off: int) -> list[tuple[int, int, int]]:
    """Return the runs (first code, its glyph, count) of the format 4 subtable at ``off``, in the table's order
    (bounds and size checked by ``inspect``)."""
    seg_x2 = struct.unpack_from(">H", data, off + 6)[0]
    n = seg_x2 // 2
    ends = struct.unpack_from(f">{n}H", data, off + 14)
    starts = struct.unpack_from(f">{n}H", data, off + 16 + seg_x2)
    deltas = struct.unpack_from(f">{n}h", data, off + 16 + 2 * seg_x2)
    ro_base = off + 16 + 3 * seg_x2
    range_offsets = struct.unpack_from(f">{n}H", data, ro_base)
    out: list[tuple[int, int, int]] = []
    for i in range(n):
        start, end, delta, ro = starts[i], ends[i], deltas[i], range_offsets[i]
        if start == 0xFFFF or end < start:  # (a segment running backwards maps nothing; ``inspect`` lets it pass)
            continue
        if ro == 0:
            low = (start + delta) & 0xFFFF
            if 0 < low and low + end - start <= 0xFFFF:  # no glyph 0, no wrap: one run (the common case)
                out.append((start, low, end - start + 1))
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
                out.append((c, gid, 1))
    return out


def _format12(data: bytes, off: int) -> list[tuple[int, int, int]]:
    """Return the runs (first code, its glyph, count) of the format 12 subtable at ``off``, in the table's order
    (bounds and size checked by ``inspect``)."""
    n_groups = struct.unpack_from(">I", data, off + 12)[0]
    groups = struct.iter_unpack(">III", memoryview(data)[off + 16 : off + 16 + 12 * n_groups])
    return [(start, gid, end - start + 1) for start, end, gid in groups if end >= start]  # (``inspect`` refuses one that does not)
