"""``writers.pdf.locate``: failures named by their place in the outline."""

from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from reportgen.errors import InputError, Problem  # noqa: E402
from reportgen.writers.pdf.locate import Place, layout_detail, located  # noqa: E402


def test_layout_errors_read_without_reportlab_internals():
    raw = "Flowable <Box at 0x7f12ab34 frame=normal>...(451.3 x 900.2) too large on page 3 in frame 'normal'(451.3 x 700.0*) of template 'body'"
    assert layout_detail(Exception(raw)) == "it needs 451 x 900 pt, a page frame holds 451 x 700 pt"
    assert "0x" not in layout_detail(Exception("Flowable <reportlab.platypus.tables.Table at 0x7f12ab> frag=1 did not fit"))


def test_layout_error_without_sizes_names_no_object_and_is_short():
    raw = "Flowable <reportlab.platypus.tables.Table at 0x7f12ab> frag=1 did not fit\n" + "more detail " * 50
    assert layout_detail(Exception(raw)) == "Flowable a block did not fit"
    assert layout_detail(Exception("x" * 400)) == "x" * 160
    assert layout_detail(Exception("split failed for Table at 0xdeadBEEF")) == "split failed for Table"


@pytest.mark.parametrize(
    ("place", "problem"),
    [
        (Place("sections[2].subsections[1].table", "Table 3 'Arms'"), Problem("", 0, 0, "Table 3 'Arms': too wide", "sections[2].subsections[1].table", "error", "layout")),
        (Place("sections[0]", "heading '1 Intro'"), Problem("", 0, 0, "heading '1 Intro': too wide", "sections[0]", "error", "layout")),
        (Place("summary"), Problem("", 0, 0, "too wide", "summary", "error", "layout")),
        (Place("", "section '2 Outcomes'"), Problem("", 0, 0, "section '2 Outcomes': too wide", "", "error", "layout")),
        (Place(), Problem("", 0, 0, "too wide", "", "error", "layout")),
    ],
)
def test_a_failure_keeps_its_place_for_the_build_to_locate(place, problem):
    """No file is guessed here: the build puts the problem at the outline's line for its path, else names the output."""
    err = located(place, "too wide")
    assert isinstance(err, InputError) and err.problems == [problem]


def test_a_place_makes_warnings_as_well():
    assert Place("sections[1].chart", "Figure 2").problem("a pie chart shows only its first series", "chart-pie-series") == Problem(
        "", 0, 0, "Figure 2: a pie chart shows only its first series", "sections[1].chart", "warning", "chart-pie-series"
    )
