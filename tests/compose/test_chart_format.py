"""A chart's number ``format`` goes through the template pack (macros.xml.j2 → markup → ``doctree.Chart``)."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest

from conftest import TEMPLATES
from reportgen import doctree as dt
from reportgen.compose import compose
from reportgen.compose.tree import TreeError, _chart
from reportgen.loader import load
from reportgen.pack import find_pack

OUTLINE = """title: Formats
sections:
  - title: Shares
    chart:
      type: bar
      title: Share
      format: €#,##0.0"k"
      categories: [a, b]
      series: [{name: s, values: [0.047, 0]}]
  - title: Plain
    chart: {type: line, title: Plain, categories: [a], series: [{name: s, values: [1]}]}
"""


def charts(node) -> list[dt.Chart]:
    """Every chart in a document tree, in order."""
    if isinstance(node, dt.Chart):
        return [node]
    if isinstance(node, list):
        return [c for child in node for c in charts(child)]
    if dataclasses.is_dataclass(node):
        return [c for f in dataclasses.fields(node) for c in charts(getattr(node, f.name))]
    return []


@pytest.mark.parametrize("tree", ["report", "deck"])
def test_the_briefing_pack_passes_the_format_through(tmp_path, tree):
    path = tmp_path / "o.yaml"
    path.write_text(OUTLINE, encoding="utf-8")
    doc = compose(load(str(path)), find_pack("briefing", TEMPLATES), tree)
    got = [(c.title, c.format) for c in charts(doc)]
    assert got == [("Share", '€#,##0.0"k"'), ("Plain", "")]


def test_markup_format_attribute_is_parsed_and_checked():
    el = ET.fromstring('<chart type="bar" title="t" format="0.0%"><category>a</category><series name="s"><v>1</v></series></chart>')
    assert _chart(el).format == "0.0%"
    el.set("format", "General")
    with pytest.raises(TreeError, match=r"<chart format='General'>: 'General' is not a number format reportgen supports"):
        _chart(el)
