"""A chart's text alternative (``reportgen/chartalt.py``): the outline's own, else made by one rule, its kind in the document's language."""

from __future__ import annotations

import os

import pytest

from reportgen.chartalt import ALT_VALUES, chart_alt
from reportgen.doctree import Chart, Series
from reportgen.i18n import catalog

from conftest import TEMPLATES

WARHEADS = Chart("bar", "Warheads by country", ["Russia", "United States"], [Series("2021", [6255, 5550]), Series("2023", [5889, 5244])],
                 unit="warheads")


def strings(lang: str):
    return catalog("briefing", [os.path.join(TEMPLATES, "briefing")]).for_lang(lang)


def test_the_made_alternative_names_kind_title_unit_and_every_value_as_the_labels_write_them():
    assert chart_alt(WARHEADS) == ("Bar chart: Warheads by country (warheads). 2021: Russia 6,255; United States 5,550. "
                                   "2023: Russia 5,889; United States 5,244.")
    pie = Chart("pie", "Share", ["a", "b"], [Series("s", [0.25, 0.75])], format="0.0%")
    assert chart_alt(pie) == "Pie chart: Share. a 25.0%; b 75.0%."  # one series: no name; in the chart's format
    level = Chart("line", "", ["x", "y"], [Series("s", [1.5, -2])], unit="m")
    assert chart_alt(level) == "Line chart: m. x 1.5; y \u22122.0."  # the decimals the values need; a true minus sign


@pytest.mark.parametrize("lang, head", [
    ("fr", "Diagramme à barres : Warheads by country (warheads). "),
    ("de", "Balkendiagramm: Warheads by country (warheads). "),
    ("ru", "Столбчатая диаграмма: Warheads by country (warheads). "),
])
def test_the_kind_is_named_in_the_documents_language(lang, head):
    assert chart_alt(WARHEADS, strings(lang)).startswith(head)


def test_a_chart_without_a_title_is_named_by_its_kind_alone():
    untitled = Chart("stacked-bar", "", ["x"], [Series("s", [2])])
    assert chart_alt(untitled) == "Stacked bar chart. x 2."
    assert chart_alt(untitled, strings("fr")) == "Diagramme à barres empilées. x 2."
    assert chart_alt(Chart("bar", "Ratio 1:", ["x"], [Series("s", [2])])) == "Bar chart: Ratio 1:. x 2."  # a title kept as written


def test_the_outlines_own_alt_wins_with_its_spaces_collapsed():
    own = Chart("bar", "T", ["x"], [Series("s", [1])], alt="  Russia holds\n more warheads  ")
    assert chart_alt(own, strings("ru")) == "Russia holds more warheads"


def test_at_most_sixty_values_are_listed():
    many = Chart("line", "Daily", [f"d{i}" for i in range(50)], [Series("a", list(range(1, 51))), Series("b", list(range(1, 51)))])
    alt = chart_alt(many)
    assert alt.count(";") + 2 == ALT_VALUES + 1  # 60 values: 49 + 9 separators, two series' names
    assert alt.endswith("b: d0 1; d1 2; d2 3; d3 4; d4 5; d5 6; d6 7; d7 8; d8 9; d9 10; …")


# --- both outputs say it ------------------------------------------------------------------------------

CHARTS = """title: Deux graphiques
lang: {lang}
sections:
  - title: Stocks
    chart: {{type: bar, title: Ogives, categories: [Russie, États-Unis], series: [{{name: "2021", values: [6255, 5550]}}]}}
  - title: Parts
    chart: {{type: pie, title: Parts, categories: [a, b], series: [{{name: s, values: [1, 3]}}], alt: La Russie détient le plus d’ogives}}
"""

MARKDOWN = """---
title: Deux graphiques
lang: fr
---

# Stocks

```chart
type: bar
title: Ogives
categories: [Russie, États-Unis]
series: [{name: "2021", values: [6255, 5550]}]
```

# Parts

```chart
type: pie
title: Parts
categories: [a, b]
series: [{name: s, values: [1, 3]}]
alt: La Russie détient le plus d’ogives
```
"""


def deck_alts(path) -> list[str]:
    from pptx import Presentation

    return [sh.element.xpath("./*/p:cNvPr")[0].get("descr") for s in Presentation(str(path)).slides for sh in s.shapes if sh.has_chart]


def pdf_alts(path) -> list[str]:
    pytest.importorskip("pikepdf")
    from reportgen.pdfcheck.dump import dump

    return [line.split('Alt="', 1)[1].split('"')[0] for line in dump(path.read_bytes()).splitlines() if "Figure Alt=" in line]


@pytest.mark.parametrize("source", ["yaml", "markdown"])
def test_both_outputs_give_a_chart_its_own_alt_or_the_made_one_in_the_documents_language(tmp_path, source):
    from reportgen.build import Options, build

    path = tmp_path / ("charts.yaml" if source == "yaml" else "charts.md")
    path.write_text(CHARTS.format(lang="fr") if source == "yaml" else MARKDOWN, encoding="utf-8")
    build([str(path)], Options(out_dir=str(tmp_path / "out"), templates_dir=TEMPLATES, jobs=1))
    want = ["Diagramme à barres : Ogives. Russie 6,255; États-Unis 5,550.", "La Russie détient le plus d’ogives"]
    assert deck_alts(tmp_path / "out" / "charts.pptx") == want
    assert pdf_alts(tmp_path / "out" / "charts.pdf") == want
