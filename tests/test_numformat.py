"""``reportgen.numformat``: the chart number formats both writers share (a small subset of Excel's)."""

from __future__ import annotations

import pytest

from reportgen.numformat import PATTERN, format_number, format_problem, parse


@pytest.mark.parametrize(
    ("value", "fmt", "want"),
    [
        (0.047, "0.0%", "4.7%"),
        (1234567, "#,##0", "1,234,567"),
        (800, '€#,##0"k"', "€800k"),
        (0.047, "0%", "5%"),
        (0.5, "0.00%", "50.00%"),
        (1234.5, "#,##0.00", "1,234.50"),
        (999.5, "#,##0", "1,000"),
        (12, "00", "12"),
        (7, "00", "07"),
        (12, "#,##00000", "00,012"),
        (0.4, "0", "0"),
        (0.4, "0.0", "0.4"),
        (1234.5, "#,##0.0#", "1,234.5"),
        (1234, "#,##0.0#", "1,234.0"),
        (1.234, "0.0#", "1.23"),
        (0, "0.0%", "0.0%"),
        (2.5, '$ 0.0" bn"', "$ 2.5 bn"),
        (3, '"£"0', "£3"),
        (5, "¥0", "¥5"),
        (1e15, "#,##0", "1,000,000,000,000,000"),
        (1e-9, "0.0", "0.0"),
    ],
)
def test_format_number(value, fmt, want):
    assert format_number(value, fmt) == want


@pytest.mark.parametrize(
    ("value", "fmt", "want"),
    [
        (-800, '€#,##0"k"', "-€800k"),  # the sign first, before any text, as Excel writes it
        (-1234567, "#,##0", "-1,234,567"),
        (-0.047, "0.0%", "-4.7%"),
        (-0.0004, "0.0%", "-0.0%"),  # a negative that rounds to zero keeps its sign, as in Excel
        (-0.0, "0.0", "0.0"),  # negative zero is zero
    ],
)
def test_negatives(value, fmt, want):
    assert format_number(value, fmt) == want


def test_negative_with_a_true_minus_sign():
    assert format_number(-1234.5, "#,##0.0", minus="\u2212") == "\u22121,234.5"
    assert format_number(-3, '0" t-CO2"', minus="\u2212") == "\u22123 t-CO2"  # text keeps its hyphen


@pytest.mark.parametrize(
    ("value", "fmt", "want"),
    [
        (0.125, "0.00", "0.13"),  # half away from zero, not half to even
        (-0.125, "0.00", "-0.13"),
        (2.5, "0", "3"),
        (-2.5, "0", "-3"),
        (3.5, "0", "4"),
        (1.005, "0.00", "1.01"),  # the float's shortest decimal, 1.005, not its binary 1.00499...
        (2.675, "0.00", "2.68"),
        (0.0005, "0.0%", "0.1%"),
        (0.00049, "0.0%", "0.0%"),
    ],
)
def test_rounding_half_away_from_zero(value, fmt, want):
    assert format_number(value, fmt) == want


def test_parse():
    f = parse('€#,##0.0#" bn"')
    assert (f.prefix, f.suffix, f.grouping, f.min_digits, f.min_places, f.max_places, f.percent) == ("€", " bn", True, 1, 1, 2, False)
    assert parse("0%").percent and not parse("0%").grouping


@pytest.mark.parametrize(
    "fmt",
    ["", "General", "#", "0.", ".0", "0,0", "#,###", "#,##", "0.0.0", "0%%", "%0", "0.#", "0.#0",
     "k0", "0k", "0 k", '"a""0', '"unclosed 0', '"<b>"0', '"R&D"0', "0;-0", "[Red]0", "0E+0", "0\\k", "0" * 61],
)
def test_unsupported_formats_are_refused_saying_what_is_supported(fmt):
    problem = format_problem(fmt)
    assert problem and "supported: digits 0 or #,##0" in problem and '€#,##0"k"' in problem, problem
    with pytest.raises(ValueError, match="supported"):
        format_number(1, fmt)


def test_pattern_is_the_grammar():
    import re

    for good in ["0", "0.0%", "#,##0", '€#,##0"k"', '"approx. "0.00', "$ #,##0.0#", '0.0%" pts"']:
        assert format_problem(good) is None and re.match(PATTERN, good), good
