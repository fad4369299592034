"""Chart number formats: a small subset of Excel's, drawn the same by the PDF and the deck. Pure.

A chart's ``format`` (``0.0%``, ``#,##0``, ``€#,##0"k"``) sets its value
axis and data labels. The PDF writer formats them with ``format_number``; the
deck gives the same string to the native chart as its number format, so
PowerPoint (or LibreOffice) shows the same text, and keeps it when the chart's
data is edited. Only what both can draw alike is accepted:

- digits: ``0``, or ``#,##0`` with thousands separators; more ``0``s pad
  the whole number with zeros (``00``: at least two digits);
- decimals (optional): ``.`` then one or more ``0`` (always shown) then any
  ``#`` (shown when not zero): ``0.0``, ``#,##0.00``, ``0.0#``;
- ``%`` (optional) right after the digits: the value times 100, then ``%``;
- text before and after: in double quotes (``"k"``, ``" warheads"``: no ``"``,
  ``<``, ``>`` or ``&`` inside), the currency signs € $ £ ¥, and spaces.

Values are rounded half away from zero, as Excel does (0.125 with ``0.00``
is "0.13"), on their shortest decimal form (1.005 is 1.005, not the binary
1.00499...). A negative value's minus sign comes first, before any text
(``-€800k``), and stays when the rounded number is zero (``-0.0``), as in Excel.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

FORMAT_MAX = 60  # characters
CURRENCY = "€$£¥"
_TEXT = r'"[^"<>&\x00-\x1f]*"'  # a quoted literal: no quote, nor what the chart XML would need escaped
_LITERAL = rf"(?:{_TEXT}|[{CURRENCY} ])"
_NUMBER = r"(#,##)?(0+)(?:\.(0+)(#*))?(%?)"
PATTERN = rf"^{_LITERAL}*(?:#,##)?0+(?:\.0+#*)?%?{_LITERAL}*$"  # the whole grammar (the editor schema's too)
SUPPORTED = (
    "digits 0 or #,##0 (with thousands separators), optional decimals .0, .00, ... (a # for a place shown only when not zero: .0#), "
    f"an optional % (the value times 100), and text before or after in double quotes, {' '.join(CURRENCY)} or spaces; "
    'e.g. 0.0%, #,##0, €#,##0"k"'
)

_WHOLE = re.compile(PATTERN)
_PARTS = re.compile(rf"^((?:{_LITERAL})*){_NUMBER}((?:{_LITERAL})*)$")
_LITERALS = re.compile(rf'"([^"]*)"|([{CURRENCY} ])')


@dataclass(frozen=True)
class NumberFormat:
    """A parsed format: text ``prefix`` and ``suffix``, and how the number between is written."""

    prefix: str
    suffix: str
    grouping: bool  # thousands separators
    min_digits: int  # whole-number digits, zero-padded
    min_places: int  # decimals always shown
    max_places: int  # decimals shown when not zero
    percent: bool  # value × 100, then "%"


def format_problem(fmt: str) -> str | None:
    """Return why ``fmt`` is not a supported format (a sentence saying what is), or None when it is."""
    if len(fmt) > FORMAT_MAX:
        return f"a number format is at most {FORMAT_MAX} characters, got {len(fmt)}; supported: {SUPPORTED}"
    if not _WHOLE.match(fmt):
        return f"{fmt!r} is not a number format reportgen supports; supported: {SUPPORTED}"
    return None


@functools.lru_cache(maxsize=256)
def parse(fmt: str) -> NumberFormat:
    """Return ``fmt`` parsed; raise ``ValueError`` (saying what is supported) when it is not supported."""
    problem = format_problem(fmt)
    if problem:
        raise ValueError(problem)
    m = _PARTS.match(fmt)
    before, group, zeros, places, optional, percent, after = m.groups()
    return NumberFormat(
        prefix=_text(before),
        suffix=_text(after),
        grouping=bool(group),
        min_digits=len(zeros),
        min_places=len(places or ""),
        max_places=len(places or "") + len(optional or ""),
        percent=bool(percent),
    )


def _text(literals: str) -> str:
    return "".join(m.group(1) if m.group(1) is not None else m.group(2) for m in _LITERALS.finditer(literals))


_EXACT = Context(prec=120)  # room for 1e17 (1e15 as a percentage) with every decimal a format can ask for


def format_number(value: float, fmt: str, minus: str = "-") -> str:
    """Return ``value`` written as the number format ``fmt`` says (see the module docstring).

    ``minus`` is the sign written before a negative value (the PDF sets a true
    minus, U+2212; a native chart draws a hyphen).
    """
    f = parse(fmt)
    number = Decimal(repr(float(value)))  # the shortest decimal that is this float: 0.1 is 0.1
    negative = number < 0
    number = abs(number) * (100 if f.percent else 1)
    number = number.quantize(Decimal(1).scaleb(-f.max_places), rounding=ROUND_HALF_UP, context=_EXACT)
    whole, _, frac = f"{number:f}".partition(".")
    if f.max_places > f.min_places:
        frac = frac.rstrip("0").ljust(f.min_places, "0")
    whole = whole.lstrip("0").rjust(f.min_digits, "0")
    if f.grouping:
        head = len(whole) % 3 or 3
        whole = ",".join([whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)])
    text = whole + ("." + frac if frac else "") + ("%" if f.percent else "")
    return (minus if negative else "") + f.prefix + text + f.suffix


def decimals(values: list[float], limit: int = 2) -> int:
    """Return the number of decimals needed to show ``values`` exactly (at most ``limit``)."""
    best = 0
    for v in values:
        frac = f"{abs(v):.{limit}f}".rstrip("0").split(".")[1]
        best = max(best, len(frac))
    return best


def implicit_format(values: list[float]) -> str:
    """Return the format of a chart with none of its own: the decimals ``values`` need (up to two)."""
    places = decimals(values)
    return "#,##0" + ("." + "0" * places if places else "")
