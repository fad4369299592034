"""``writers.pdf.locate``: failures named by their place in the outline."""

from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from reportgen.errors import InputError, Problem  # noqa: E402
from reportgen.writers.pdf.locate import layout_detail, located  # noqa: E402


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
    ("where", "path", "message"),
    [
        ("sections[2].subsections[1].table: Table 3 'Arms'", "sections[2].subsections[1].table", "Table 3 'Arms': too wide"),
        ("sections[0]: heading '1 Intro'", "sections[0]", "heading '1 Intro': too wide"),
        ("summary", "summary", "too wide"),
        ("sources: list", "sources", "list: too wide"),
        ("bottom_line: callout", "bottom_line", "callout: too wide"),
    ],
)
def test_a_place_in_the_outline_becomes_the_problems_path(where, path, message):
    err = located(where, "too wide")
    assert isinstance(err, InputError)
    assert err.problems == [Problem("pdf", 0, 0, message, path)]


@pytest.mark.parametrize("where", ["section '2 Outcomes'", "the start of the document", "heading 'Sources'", "sectionsX: table"])
def test_any_other_place_is_named_in_the_message(where):
    err = located(where, "too large to fit on a page")
    assert err.problems == [Problem("reportgen", 0, 0, f"pdf: {where}: too large to fit on a page")]
    assert err.problems[0].path == ""
