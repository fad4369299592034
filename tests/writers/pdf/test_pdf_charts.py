"""``writers.pdf.charts``: vector charts, and the value axis they are drawn against."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.doctree import Chart, Meta, PageBreak, Report, Series  # noqa: E402
from reportgen.writers.pdf.charts import nice_scale, value_range  # noqa: E402

from pdf_sample import body_text, images  # noqa: E402
from pdf_sample import built, theme  # noqa: E402,F401  (fixtures)


def test_charts_are_vector(built):
    _, _, reader = built
    assert images(reader) == 2  # the logo and the figure, nothing else
    text = body_text(reader)
    for label in ("United States", "Russian press", "Arms control", "Deployed", "Warheads", "1,550"):
        assert label in text, label


def test_number_formats_and_no_label_on_zero(theme, tmp_path):
    """Axis and data labels in the chart's ``format``; no data label on a zero value; a format's text replaces the unit."""
    import pypdf

    from reportgen.writers.pdf import PdfWriter

    doc = Report(Meta(title="Formats"), [
        Chart("bar", "Shares", ["North", "South", "East"], [Series("2022", [0.047, 0, 0.31]), Series("2023", [0.052, 0.125, 0])], format="0.0%", number=1),
        PageBreak(),
        Chart("stacked-bar", "Spending", ["Q1", "Q2"], [Series("Staff", [800, 0]), Series("Kit", [-300, 950])], format='€#,##0"k"', number=2),
        PageBreak(),
        Chart("pie", "Time", ["Arms", "Trade", "Climate"], [Series("Hours", [12.5, 7.25, 0])], format='0.0" h"', unit="hours", number=3),
        PageBreak(),
        Chart("bar", "Plain", ["a", "b", "c"], [Series("s", [3, 0, 5.5])], unit="t", number=4),
    ])
    out = tmp_path / "formats.pdf"
    assert PdfWriter().write(doc, theme, str(out)) == []
    shares, spending, time, plain = [p.extract_text().split("\n") for p in pypdf.PdfReader(str(out)).pages]
    assert shares[1 : shares.index("North")] == ["4.7%", "31.0%", "5.2%", "12.5%"]  # the data labels, none for the zeros
    assert shares.count("0.0%") == 1 and "10.0%" in shares and "40.0%" in shares  # "0.0%" is the axis' zero only
    assert spending[1 : spending.index("Q1")] == ["€800k", "\u2212€300k", "€950k"]
    assert spending.count("€0k") == 1 and "€1,000k" in spending and "\u2212€500k" in spending
    assert "12.5 h" in time and "7.3 h" in time and not any("hours" in line for line in time)  # 7.25: half away from zero
    assert plain[1 : plain.index("a")] == ["3.0", "5.5"]  # no format: the decimals the values need, as before
    assert plain.count("0") == 1


# --- the value axis -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bar", "line", "pie", "unknown"])
def test_bars_and_lines_near_zero_start_from_zero(kind):
    assert value_range(kind, [[3.0, 8.0, None], [5.0, 1.0, 2.0]]) == (0, 8.0)
    assert value_range(kind, [[-4.0, 6.0]]) == (-4.0, 6.0)
    assert value_range(kind, [[-4.0, -1.0]]) == (-4.0, 0)


def test_a_line_well_above_zero_is_not_squashed_against_it():
    assert value_range("line", [[120.0, 135.0], [160.0, 210.0]]) == (120.0, 210.0)
    assert value_range("line", [[100.0, 200.0]]) == (0, 200.0)  # the lowest is not above half the highest
    assert value_range("bar", [[120.0, 135.0], [160.0, 210.0]]) == (0, 210.0)


def test_stacked_bars_cover_each_stack_positive_and_negative_parts():
    data = [[1750.0, 1600.0], [2000.0, -2900.0], [None, -1500.0]]
    assert value_range("stacked-bar", data) == (-4400.0, 3750.0)
    assert value_range("stacked-bar", [[1.0, 2.0], [3.0, None]]) == (0, 4.0)


def test_a_series_with_no_values_still_has_a_range():
    assert value_range("bar", [[None, None]]) == (0, 0)
    assert value_range("line", [[None]]) == (0, 0)


@pytest.mark.parametrize(
    ("lo", "hi", "want"),
    [
        (0, 1550, (0, 2000, 500)),
        (0, 1710, (0, 2000, 500)),
        (0, 900, (0, 1000, 200)),
        (0, 4.0, (0, 4.0, 1)),
        (-4400, 3750, (-6000, 4000, 2000)),
        (120, 210, (120, 220, 20)),
        (0, 0, (0, 1.0, 0.2)),
        (0, 100, (0, 100, 20)),
        (0, 9, (0, 10, 2)),
        (0, 12.5, (0, 12.5, 2.5)),
    ],
)
def test_nice_scale_steps_by_1_2_2_5_or_5(lo, hi, want):
    got = nice_scale(lo, hi)
    assert got == pytest.approx(want)
    low, high, step = got
    assert low <= lo and high >= hi and (high - low) / step <= 10 + 1e-9
