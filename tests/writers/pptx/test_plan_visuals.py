"""Slide tables planned (plan_visuals): widths from content, no word broken, smaller before split, slides filled. Pure."""

from pathlib import Path

import pytest

from reportgen.theme import load_theme
from reportgen.writers.pptx.fit import Measurer, Para, Run
from reportgen.writers.pptx.plan import deck_fonts
from reportgen.writers.pptx.plan_visuals import choose_table, paginate_table, plan_table, share_width

PACK = Path(__file__).resolve().parents[3] / "reportgen" / "packs" / "briefing"


@pytest.fixture(scope="module")
def m():
    return Measurer(deck_fonts(load_theme(str(PACK))))


def cell(text: str) -> Para:
    return Para([Run(text)])


def test_slides_are_filled_before_the_next_is_begun():
    assert paginate_table([10, 10, 10, 10, 10, 10, 10], 45) == [[1, 2, 3], [4, 5, 6]]  # not 2 + 2 + 2, evened out
    assert paginate_table([10, 30, 30, 5], 45) == [[1], [2, 3]]


def test_columns_are_never_narrower_than_their_longest_word_when_that_fits():
    widths = share_width(300, natural=[400, 400, 50], floor=[60, 150, 40])
    assert sum(widths) == pytest.approx(300)
    assert all(w >= f for w, f in zip(widths, [60, 150, 40]))
    widths = share_width(100, natural=[400, 400], floor=[60, 150])  # the words alone are too wide: in proportion
    assert widths == pytest.approx([100 * 60 / 210, 100 * 150 / 210])


def test_a_long_word_is_not_broken_when_the_column_can_hold_it(m):
    header = [cell(h) for h in ("Programme", "Sandbox", "Budget", "Owner", "Region", "Status", "Risk", "Start", "End", "Notes")]
    row = [cell("Διακυβέρνησης interoperability"), *[cell("Sandbox Budget governance") for _ in range(9)]]
    plan, broken = plan_table(m, header, [row], 860, 10)
    assert broken == []
    assert plan.widths[0] >= m.longest_word(cell("interoperability"), 10) + 12
    _plan, broken = plan_table(m, header, [[cell("Supercalifragilisticexpialidocious" * 3)] * 10], 860, 10)
    assert broken  # no width can hold it: reported, not hidden


def test_text_gets_smaller_before_rows_go_on_another_slide(m):
    header = [cell("Measure"), cell("2021"), cell("2022"), cell("2023"), cell("Change")]
    rows = [[cell(f"Indicator number {i}"), cell("100"), cell("120"), cell("130"), cell(f"{i}%")] for i in range(13)]
    avail = 330  # points: the body of a 16:9 slide under its title
    big = plan_table(m, header, rows, 860, 16)[0]
    assert sum(big.heights) > avail  # at the theme's size 13 rows do not fit ...
    plan, pages, broken = choose_table(m, header, rows, 860, avail, 16, 10, single=True)
    assert pages == [list(range(1, 14))] and broken == []  # ... so they are set smaller, on one slide
    assert 10 <= plan.size < 16 and sum(plan.heights) <= avail
    bigger = plan_table(m, header, rows, 860, plan.size + 1)[0]
    assert sum(bigger.heights) > avail  # the largest size that fits


def test_a_table_beside_other_visuals_takes_the_largest_size_that_fits(m):
    header = [cell("A"), cell("B")]
    rows = [[cell("one"), cell("two")]] * 6
    plan, pages, _ = choose_table(m, header, rows, 300, 150, 16, 10, single=False)
    assert pages == [list(range(1, 7))] and sum(plan.heights) <= 150
