"""Native charts as drawn (emit_visuals): a pie's labels in the chart's number format, and the labels of
negative bars clear of the category labels. Read back with python-pptx, and as LibreOffice draws them."""

from __future__ import annotations

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402
from pptx.oxml.ns import qn  # noqa: E402

from reportgen.compose.decide import decide  # noqa: E402
from reportgen.doctree import Chart, Deck, Meta, Series, Slide, Text  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx import PptxWriter  # noqa: E402

from conftest import TEMPLATES, have, soffice_to_pdf  # noqa: E402

PIE = Chart("pie", "Share of talks", ["Arms", "Trade", "Climate", "Other"], [Series("Share", [0.125, 0.5, 0.375, 0])], format="0.0%")
PIE_PLAIN = Chart("pie", "Hours of talks", ["Arms", "Trade", "Climate"], [Series("Hours", [5, 3, 2])])  # no format: each slice's share
PIE_MONEY = Chart("pie", "Budget", ["Staff", "Kit", "Travel"], [Series("k", [1200, 800, 0])], format='€#,##0"k"')
NEGATIVE = Chart("bar", "Net change", ["North", "South", "East", "West"], [Series("2023", [42, -3, 27, -31])], format="#,##0")
STACKED = Chart("stacked-bar", "Flows", ["In", "Out"], [Series("A", [5, -4]), Series("B", [3, -2])])
LINE = Chart("line", "Balance", ["Q1", "Q2", "Q3"], [Series("s", [2, -1, 3])])
POSITIVE = Chart("bar", "Warheads", ["US", "Russia"], [Series("2021", [5550, 6255])])
THREE = Chart("stacked-bar", "Spending", ["North", "South"], [Series("Staff", [40, 0]), Series("Travel", [10, 12]), Series("Systems", [25, 30])])
CHARTS = [PIE, PIE_PLAIN, PIE_MONEY, NEGATIVE, STACKED, LINE, POSITIVE, THREE]


@pytest.fixture(scope="module")
def charts(tmp_path_factory):
    """A deck of one chart a slide (``CHARTS``, in order): its path."""
    theme = load_theme(f"{TEMPLATES}/briefing")
    slides = [Slide("Title Only", [Text(f"Chart {i}")], body=[c], kind="chart") for i, c in enumerate(CHARTS)]
    out = tmp_path_factory.mktemp("charts") / "charts.pptx"
    PptxWriter().write(decide(Deck(Meta("Charts"), slides)), theme, str(out))
    return out


@pytest.fixture(scope="module")
def drawn(charts, tmp_path_factory):
    """Each slide's words as LibreOffice draws the deck (pdfplumber: text, x0, x1, top, bottom)."""
    if not have("soffice"):
        pytest.skip("LibreOffice not installed")
    pdfplumber = pytest.importorskip("pdfplumber")
    pdf = soffice_to_pdf(str(charts), str(tmp_path_factory.mktemp("charts-pdf")))
    with pdfplumber.open(pdf) as doc:
        return [page.extract_words() for page in doc.pages]


def chart_of(prs, n: int):
    (frame,) = [s for s in prs.slides[n].shapes if s.has_chart]
    return frame.chart


def plot_labels(chart):
    """The ``c:dLbls`` of the chart's plot."""
    return chart.plots[0]._element.find(qn("c:dLbls"))


def deleted(chart) -> set[int]:
    out = set()
    for d in chart.element.iter(qn("c:dLbl")):
        if d.find(qn("c:delete")) is not None and d.find(qn("c:delete")).get("val") == "1":
            out.add(int(d.find(qn("c:idx")).get("val")))
    return out


def flag(labels, name: str) -> str | None:
    el = labels.find(qn(f"c:{name}"))
    return None if el is None else el.get("val")


# --- 1. a pie's labels in the chart's format -------------------------------


@pytest.mark.parametrize(("n", "fmt"), [(0, "0.0%"), (2, '€#,##0"k"')])
def test_a_pies_labels_are_its_values_in_the_charts_format(charts, n, fmt):
    """The pie's own format on its labels (not linked to the data's), showing the value; the zero slice has no label."""
    chart = chart_of(Presentation(str(charts)), n)
    labels = plot_labels(chart)
    num = labels.find(qn("c:numFmt"))
    assert (num.get("formatCode"), num.get("sourceLinked")) == (fmt, "0")
    assert (flag(labels, "showVal"), flag(labels, "showPercent")) == ("1", "0")
    dl = chart.plots[0].data_labels
    assert (dl.number_format, dl.number_format_is_linked) == (fmt, False)
    assert deleted(chart) == ({3} if n == 0 else {2})
    own = chart.plots[0].series[0]._element.find(qn("c:dLbls"))  # the series' own labels (with the zero's deleted) keep the format
    assert own.find(qn("c:numFmt")).get("formatCode") == fmt and flag(own, "showVal") == "1"


def test_a_pie_without_a_format_shows_each_slices_share(charts):
    labels = plot_labels(chart_of(Presentation(str(charts)), 1))
    assert labels.find(qn("c:numFmt")).get("formatCode") == "0%"
    assert (flag(labels, "showVal"), flag(labels, "showPercent")) == ("0", "1")


def test_planned_pie_labels_are_its_values_in_its_format():
    from reportgen.writers.pptx.plan_visuals import chart_format, chart_labels

    assert chart_labels(PIE, chart_format(PIE)) == [["12.5%", "50.0%", "37.5%", ""]]
    assert chart_labels(PIE_MONEY, chart_format(PIE_MONEY)) == [["€1,200k", "€800k", ""]]
    assert chart_labels(PIE_PLAIN, chart_format(PIE_PLAIN)) == [["50%", "30%", "20%"]]


def test_libreoffice_draws_a_pies_labels_in_its_format(drawn):
    words = [w["text"] for w in drawn[0]]
    assert {"12.5%", "50.0%", "37.5%"} <= set(words), words
    assert not {"13%", "38%", "50%", "0.0%", "0%"} & set(words), words  # no share, no zero label
    money = [w["text"] for w in drawn[2]]
    assert {"€1,200k", "€800k"} <= set(money) and "€0k" not in money, money
    plain = [w["text"] for w in drawn[1]]
    assert {"50%", "30%", "20%"} <= set(plain), plain


# --- 2. negative values: category labels at the plot area's low edge ---------


def tick_label_position(chart) -> str:
    el = chart.element.find(f".//{qn('c:catAx')}/{qn('c:tickLblPos')}")
    return "nextTo" if el is None else el.get("val")


def test_with_a_negative_value_the_category_labels_sit_at_the_low_edge(charts):
    prs = Presentation(str(charts))
    assert [tick_label_position(chart_of(prs, n)) for n in (3, 4, 5)] == ["low"] * 3  # bar, stacked bar, line
    assert tick_label_position(chart_of(prs, 6)) == "nextTo"  # all positive: next to the axis, as before


def overlaps(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_libreoffice_draws_no_value_label_over_a_category_label(drawn):
    words = drawn[3]
    categories = [w for w in words if w["text"] in ("North", "South", "East", "West")]
    values = [w for w in words if w["text"].replace("\u2212", "-") in ("42", "-3", "27", "-31")]
    assert len(categories) == 4 and len(values) == 4, [w["text"] for w in words]
    clashes = [(v["text"], c["text"]) for v in values for c in categories if overlaps(v, c)]
    assert not clashes
    lowest = max(v["bottom"] for v in values)
    assert all(c["top"] >= lowest for c in categories)  # below every bar's label: at the plot area's foot


# --- stacked labels legible on their segment; bars from zero ---------------


def test_a_stacked_bars_labels_are_legible_on_each_series_fill(charts):
    from reportgen.writers.pptx.theme_part import contrast

    chart = chart_of(Presentation(str(charts)), CHARTS.index(THREE))
    for series in chart.plots[0].series:
        fill = series.format.fill.fore_color.rgb
        labels = series._element.find(qn("c:dLbls"))
        colour = labels.find(f"{qn('c:txPr')}//{qn('a:srgbClr')}").get("val")
        assert contrast(str(fill), colour) >= 4.5, (series.name, fill, colour)
        assert labels.find(qn("c:numFmt")) is not None  # the chart's format, kept on the series' own labels
    assert deleted(chart) == {1}  # Staff's zero in South: no label, the colour kept (the series' own dLbls)


def test_bars_of_positive_values_stand_on_zero(charts):
    prs = Presentation(str(charts))
    for chart in (POSITIVE, THREE):
        axis = chart_of(prs, CHARTS.index(chart)).value_axis
        assert axis.minimum_scale == 0, chart.title  # 5,550 and 6,255 would otherwise start near 5,000
    assert chart_of(prs, CHARTS.index(NEGATIVE)).value_axis.minimum_scale is None  # negatives: the axis as the data needs
