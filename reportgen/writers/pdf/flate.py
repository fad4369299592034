"""Flate compression that never leaves the compressed bytes ending in a carriage return (PDF/A 6.1.7.1).

A stream's data is followed by an end of line before ``endstream`` that its
/Length does not count; data ending in CR then reads as CR LF, which a
reader looking back from ``endstream`` may take for the whole end of line
(veraPDF does not; some checkers do). zlib's last byte is the low byte of
the data's Adler-32 sum, so only other data can end otherwise: ``pad``
(white space, nothing in a content stream or a CMap) is added until it does.
"""

from __future__ import annotations

import zlib


def deflate(data: bytes, pad: bytes = b"\n", level: int = 6) -> bytes | None:
    """Return ``data`` Flate-compressed (zlib's ``level``: 6 is its default), ``pad`` added to it until the compressed
    bytes do not end in CR; None when they do and there is no ``pad`` (store such data as it is)."""
    packed = zlib.compress(data, level)
    while packed.endswith(b"\r") and pad:
        data += pad
        packed = zlib.compress(data, level)
    return None if packed.endswith(b"\r") else packed
