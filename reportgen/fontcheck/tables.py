"""The table directory of a TrueType file, each table inside the file, and the fixed-size tables ReportLab reads."""

from __future__ import annotations

import struct
from dataclasses import dataclass

REQUIRED = ("head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf", "name", "post")

_TRUETYPE = (0x00010000, 0x74727565)  # 1.0 and 'true'


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
