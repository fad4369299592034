"""The editor schema (``reportgen.schema``) against the loader, the reference.

Outlines are validated against the schema as an editor's YAML 1.2 parser reads
them (``EditorLoader``: ``2021`` a number, ``2021-06-16`` a string, ``no`` a
string), and through ``loader.load`` as reportgen reads them.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
from typing import ClassVar

import pytest
import yaml
from conftest import FIXTURES, ROOT
from jsonschema import Draft202012Validator

from reportgen.errors import InputError
from reportgen.loader import load
from reportgen.schema import outline_schema


class EditorLoader(yaml.SafeLoader):
    """PyYAML with the YAML 1.2 core schema, as the YAML language server reads a file."""

    yaml_implicit_resolvers: ClassVar[dict] = {}  # its own: SafeLoader's stay as they are


for _tag, _pattern, _first in [
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
]:
    EditorLoader.add_implicit_resolver("tag:yaml.org,2002:" + _tag, re.compile(_pattern), list(_first) + ([""] if _tag == "null" else []))


def _core_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


EditorLoader.add_constructor("tag:yaml.org,2002:int", _core_int)

VALIDATOR = Draft202012Validator(outline_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def editor_accepts(text: str) -> bool:
    """Return True if the schema accepts the YAML ``text`` as an editor reads it."""
    return VALIDATOR.is_valid(yaml.load(text, Loader=EditorLoader))


def loader_accepts(tmp_path, text: str) -> bool:
    """Return True if ``loader.load`` accepts the YAML ``text`` (written next to a PNG, venue.png)."""
    shutil.copy(os.path.join(FIXTURES, "deck", "venue.png"), tmp_path / "venue.png")
    path = tmp_path / "outline.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load(str(path))
    except InputError:
        return False
    return True


HEAD = "title: A brief\nsections:\n  - title: s\n"  # a valid outline; cases add to its one section


def chart(type_: str = "bar", values: str = "[1, 2]", more: str = "") -> str:
    return HEAD + f"    chart: {{type: {type_}, title: c, categories: [a, b], series: [{{name: x, values: {values}}}{more}]}}\n"


def table(columns: str = "[a, b]", rows: str = "[[1, 2]]", more: str = "") -> str:
    return HEAD + f"    table: {{columns: {columns}, rows: {rows}{more}}}\n"


GOOD = {
    "minimal": HEAD,
    "numbers and booleans as text": "title: 2021\nauthor: true\nsubtitle: 1.10\nkeywords: [no, 0x1F, .inf]\nsections:\n  - title: 2021-06-16\n",
    "date": "date: 2021-06-16\n" + HEAD,
    "no date": "date:\n" + HEAD,
    "numeric cells and categories": HEAD + "    table: {columns: [Year, Count], rows: [[2019, 6255], [2020, 1.5]]}\n",
    "empty optional part": HEAD + "    table:\n",
    "every part": HEAD + "    points: [a, b]\n    body: text\n    quote: {text: q, attribution: who}\n"
    "    figure: {path: venue.png, alt: A panel}\n    subsections: [{title: t}]\n",
    "chart values at the bounds": chart(values="[1e15, -1e15]") + "    subsections:\n      - title: t\n        chart: {type: line, title: c, categories: [a, b], series: [{name: x, values: [0, 1e-9]}]}\n",
    "quoted numbers in chart values": chart(values='["1.5", "-2"]'),
    "negative bar values": chart(values="[-3, 0]"),
    "pie": chart("pie", "[0, 5]"),
    "chart alt": HEAD + "    chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], alt: Russia holds the most}\n",
    "chart formats": HEAD + "    chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], format: '0.0%'}\n"
    + "    subsections:\n      - title: t\n        chart: {type: pie, title: c, categories: [a], series: [{name: x, values: [1]}], format: '€#,##0\"k\"'}\n"
    + "      - title: u\n        chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], format: 0.0}\n",
    "title of 2,000 characters": HEAD.replace("A brief", "t" * 2000),
    "body of 100,000 characters": HEAD + f"    body: {'b' * 100_000}\n",
    "align": table(more=", align: [left, center]"),
    "sources": HEAD + "sources:\n  - {id: one, title: T, url: https://example.org, publisher: P, date: 2021}\n",
    "source accessed": HEAD + "sources:\n  - {title: T, url: https://example.org, date: 2024-07-12, accessed: 2024-08-03}\n",
}

BAD = {  # the loader and the schema both refuse these
    "unknown top-level field": "titel: x\n" + HEAD,
    "unknown section field, near miss": HEAD + "    bodey: text\n",
    "title a list": HEAD.replace("A brief", "[a, b]"),
    "title a mapping": HEAD.replace("A brief", "{a: 1}"),
    "title empty (null)": HEAD.replace("A brief", ""),
    "title missing": "sections:\n  - title: s\n",
    "sections missing": "title: A brief\n",
    "sections empty": "title: A brief\nsections: []\n",
    "sections not a list": "title: A brief\nsections: one\n",
    "outline not a mapping": "- title: A brief\n",
    "points not a list": HEAD + "    points: text, not a list\n",
    "summary item a mapping": "summary: [{a: 1}]\n" + HEAD,
    "subtitle null": "subtitle:\n" + HEAD,
    "table row not a list": table(rows="[a, b]"),
    "table without columns": table(columns="[]"),
    "table without rows": HEAD + "    table: {columns: [a]}\n",
    "align not in enum": table(more=", align: [left, middle]"),
    "51 columns": table(columns="[" + ", ".join(["c"] * 51) + "]", rows="[[" + ", ".join(["1"] * 51) + "]]"),
    "chart type not in enum": chart("donut"),
    "chart alt not text": HEAD + "    chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], alt: [a, b]}\n",
    "chart format not supported": HEAD + "    chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], format: General}\n",
    "chart format with unquoted text": HEAD + "    chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], format: 0 k}\n",
    "chart format a number other than 0": HEAD + "    chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], format: 1}\n",
    "chart format a boolean": HEAD + "    chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], format: true}\n",
    "chart without series": HEAD + "    chart: {type: bar, title: c, categories: [a]}\n",
    "chart value not a number": chart(values="[1, two]"),
    "chart value a boolean": chart(values="[1, true]"),
    "chart value infinite": chart(values="[1, .inf]"),
    "chart value too large": chart(values="[1, 1e16]"),
    "chart value too small": chart(values="[1, 1e-12]"),
    "pie value negative": chart("pie", "[1, -2]"),
    "pie of two series": chart("pie", more=", {name: y, values: [3, 4]}"),
    "figure without alt": HEAD + "    figure: {path: venue.png}\n",
    "quote without text": HEAD + "    quote: {attribution: who}\n",
    "source without title": HEAD + "sources: [{id: one}]\n",
    "source accessed not a date": HEAD + "sources: [{title: T, accessed: 3 August 2024}]\n",
    "source accessed a timestamp": HEAD + "sources: [{title: T, accessed: 1722643200}]\n",
    "title too long": HEAD.replace("A brief", "t" * 2001),
    "point too long": HEAD + f"    points: [{'p' * 2001}]\n",
    "body too long": HEAD + f"    body: {'b' * 200_001}\n",
    "201 keywords": "keywords: [" + ", ".join(["k"] * 201) + "]\n" + HEAD,
    "date not a date": "date: June 2021\n" + HEAD,
    "date no": "date: no\n" + HEAD,
    "date out of range": "date: 2021-02-30\n" + HEAD,
}

LOADER_ONLY = {  # documented in reportgen/schema.py as checks the schema cannot make
    "row cell count vs columns": table(rows="[[1, 2], [3]]"),
    "align count vs columns": table(more=", align: [left]"),
    "series length vs categories": chart(values="[1, 2, 3]"),
    "citation names no source": HEAD + "    body: As shown [@nowhere].\n",
    "duplicate source id": HEAD + "sources: [{id: a, title: T}, {id: a, title: U}]\n",
    "source url scheme": HEAD + "sources: [{title: T, url: 'javascript:alert(1)'}]\n",
    "Markdown link target": HEAD + "    body: See [this](file:///etc/passwd).\n",
    "numbered list start": HEAD + "    body: |\n      99999. item\n",
    "figure file missing": HEAD + "    figure: {path: missing.png, alt: x}\n",
    "figure outside the folder": HEAD + "    figure: {path: ../venue.png, alt: x}\n",
    "sections and subsections over 2,000": HEAD + "    subsections: [" + ", ".join(["{title: t}"] * 2000) + "]\n",
    "hex chart value": chart(values="[1, 0x1F]"),
    "chart format a number that is 0 but no format as typed": HEAD + "    chart: {type: bar, title: c, categories: [a], series: [{name: x, values: [1]}], format: 0.}\n",
    "duplicate key": HEAD + "    title: again\n",
}

SCHEMA_STRICTER = {  # documented in reportgen/schema.py: the loader takes these, the editor flags them
    "date as a timestamp": "date: 1623801600\n" + HEAD,
    "date with a midnight time": "date: 2021-06-16T00:00:00\n" + HEAD,
    "chart value with underscores": chart(values="[1_000, 2]"),
}


@pytest.mark.parametrize("name", GOOD)
def test_good_outlines_accepted_by_both(tmp_path, name):
    assert loader_accepts(tmp_path, GOOD[name])
    assert editor_accepts(GOOD[name])


@pytest.mark.parametrize("name", BAD)
def test_bad_outlines_rejected_by_both(tmp_path, name):
    assert not loader_accepts(tmp_path, BAD[name])
    assert not editor_accepts(BAD[name])


@pytest.mark.parametrize("name", LOADER_ONLY)
def test_loader_only_checks_pass_the_schema(tmp_path, name):
    assert not loader_accepts(tmp_path, LOADER_ONLY[name])
    assert editor_accepts(LOADER_ONLY[name])


@pytest.mark.parametrize("name", SCHEMA_STRICTER)
def test_schema_stricter_corners(tmp_path, name):
    assert loader_accepts(tmp_path, SCHEMA_STRICTER[name])
    assert not editor_accepts(SCHEMA_STRICTER[name])


def _outline_files() -> list[str]:
    return sorted(glob.glob(os.path.join(ROOT, "inputs", "*.yaml")) + glob.glob(os.path.join(FIXTURES, "**", "*.yaml"), recursive=True))


def _loads(path: str) -> bool:
    try:
        load(path)
    except InputError:
        return False
    return True


ACCEPTED = [p for p in _outline_files() if _loads(p)]
SCHEMA_REJECTS = ["unknown-key", "wrong-types", "missing-required", "chart-series-values", "date-not-a-date"]


def test_fixtures_found():
    names = {os.path.relpath(p, ROOT) for p in ACCEPTED}
    assert {"inputs/summit.yaml", "tests/fixtures/minimal.yaml", "tests/fixtures/features/features.yaml"} <= names


@pytest.mark.parametrize("path", ACCEPTED, ids=lambda p: os.path.relpath(p, ROOT))
def test_every_accepted_fixture_passes_the_schema(path):
    with open(path, encoding="utf-8-sig") as fh:
        data = yaml.load(fh, Loader=EditorLoader)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("name", SCHEMA_REJECTS)
def test_hostile_fixtures_rejected_by_the_schema(name):
    path = os.path.join(FIXTURES, "hostile", name + ".yaml")
    assert not _loads(path)
    with open(path, encoding="utf-8") as fh:
        assert not VALIDATOR.is_valid(yaml.load(fh, Loader=EditorLoader))


def test_schema_is_valid_2020_12():
    schema = outline_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["description"]


def test_schema_deterministic_and_json():
    first = outline_schema()
    text = json.dumps(first, allow_nan=False)
    first["properties"].clear()  # a caller's change does not leak into the next call
    assert outline_schema() == json.loads(text)
    assert json.dumps(outline_schema(), allow_nan=False) == text


def test_every_property_described():
    schema = outline_schema()
    models = {"Outline": schema, **schema["$defs"]}
    missing = [f"{m}.{f}" for m, node in models.items() for f, prop in node["properties"].items() if not prop.get("description")]
    assert missing == []
    assert set(schema["properties"]) == {
        "title", "subtitle", "date", "author", "lang", "classification", "template", "subject",
        "keywords", "bottom_line", "summary", "sections", "sources", "closing",
    }
