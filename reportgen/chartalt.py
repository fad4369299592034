"""A chart's text alternative: what a screen reader says for it in both outputs. Pure.

The PDF gives it as the chart's Figure ``/Alt``, the deck as the native
chart's description (``cNvPr descr``), so both say the same. A chart's own
``alt`` (the outline's) is used as written; else it is made from the chart,
by one rule:

    <kind>: <title> (<unit>). <values>.

``Bar chart: Warheads by country (warheads). 2021: Russia 6,255; United
States 5,550. 2023: Russia 5,889; United States 5,244.`` The kind sentence
comes from the pack's strings in the document's language (``chart_bar``,
``chart_stacked_bar``, ``chart_line``, ``chart_pie``: "Diagramme à barres :
{title}"), so a French deck says it in French. Each value is written as the
chart's labels write it (its ``format``, else the decimals its values need,
``numformat.implicit_format``), with a true minus sign; a chart of several
series names each before its values; a pie lists its one series. At most
``ALT_VALUES`` values, then "…".
"""

from __future__ import annotations

from collections.abc import Callable

from .doctree import Chart
from .i18n import english_text
from .numformat import format_number, implicit_format

KIND_KEYS = {"bar": "chart_bar", "stacked-bar": "chart_stacked_bar", "line": "chart_line", "pie": "chart_pie"}  # strings.yaml keys
ALT_VALUES = 60  # the most values a made text alternative lists
_SPACES = " :\u00a0\u202f"  # what stands between a kind and an empty title ("Bar chart: ", "Diagramme à barres : ")


def chart_alt(chart: Chart, text: Callable[..., str] = english_text) -> str:
    """Return the text alternative of ``chart``: its own ``alt``, else its kind, title and unit, then its data (the module's rule).

    ``text`` gives the document's fixed texts (``Meta.text``); English when none is given.
    """
    own = " ".join(chart.alt.split())
    if own:
        return own
    head = chart.title.strip()
    if chart.unit:
        head = f"{head} ({chart.unit})" if head else chart.unit
    key = KIND_KEYS.get(chart.type)
    if key:
        head = text(key, title=head) if head else text(key, title="").strip(_SPACES)
    body = _values(chart)
    return ". ".join(p for p in (head, body) if p) + ("." if body and not body.endswith("…") else "")


def _values(chart: Chart) -> str:
    """Return the chart's values as its labels write them: "Russia 6,255; United States 5,550", by series when several."""
    values = [float(v) for s in chart.series for v in s.values if v is not None]
    form = chart.format or implicit_format(values)
    parts: list[str] = []
    left = ALT_VALUES
    series = chart.series[:1] if chart.type == "pie" else chart.series
    for s in series:
        shown = [f"{name} {format_number(float(v), form, minus=chr(0x2212))}" for name, v in zip(chart.categories, s.values) if v is not None]
        if left <= 0:
            break
        cut, left = shown[:left], left - len(shown)
        line = "; ".join(cut) + ("; …" if len(cut) < len(shown) else "")
        parts.append(f"{s.name}: {line}" if len(series) > 1 else line)
    body = ". ".join(p for p in parts if p)
    if left < 0 and not body.endswith("…"):
        body += " …"
    return body
