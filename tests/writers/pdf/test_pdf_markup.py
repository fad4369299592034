"""``writers.pdf.markup``: the paragraph markup the PDF writer hands ReportLab."""

from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from reportlab.lib import colors  # noqa: E402

from reportgen.writers.pdf.markup import colour_attr  # noqa: E402

COLOURS = ["#3E6A8A", "#000000", "#FFFFFF", "#0A0B0C", "#FF8000", "#1F3A5F"]


@pytest.mark.parametrize("hex_colour", COLOURS)
def test_colour_attr_reads_back_as_the_same_colour(hex_colour):
    colour = colors.HexColor(hex_colour)
    got = colors.toColor(colour_attr(colour))
    assert (got.red, got.green, got.blue, got.alpha) == (colour.red, colour.green, colour.blue, colour.alpha)


@pytest.mark.parametrize("hex_colour", COLOURS)
def test_colour_attr_is_the_form_reportlab_reads_first(hex_colour):
    # ``toColor`` tries ``cssParse`` first; ``#RRGGBB`` falls through it to a failed literal and expression evaluation
    # (4x the time, for every link and contents number): the attribute must be what ``cssParse`` takes.
    assert colors.cssParse(colour_attr(colors.HexColor(hex_colour))) is not None
