"""Lengths in a deck: EMU (English Metric Units, 914,400 per inch), points, the 16:9 slide. Pure."""

from __future__ import annotations

EMU_PER_PT = 12700
EMU_PER_IN = 914400
SLIDE_W = 12192000  # 13.333 in
SLIDE_H = 6858000  # 7.5 in
DEFAULT_INSETS = (91440, 45720, 91440, 45720)  # a text frame's l, t, r, b when nothing sets them (EMU)

Box = tuple[int, int, int, int]  # left, top, width, height (EMU)


def pt(emu: int | float) -> float:
    return float(emu) / EMU_PER_PT
