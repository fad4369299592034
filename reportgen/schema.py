"""The outline's JSON Schema (draft 2020-12), for editors: ``reportgen schema`` prints it.

Made from the pydantic models of ``outline.py`` (``model_json_schema``), then
shaped to agree with ``loader.load`` on outlines as an editor sees them (YAML
1.2: ``2021`` is a number, ``2021-06-16`` a string, ``true`` a boolean):

- text fields take strings, numbers and booleans, because the loader keeps any
  plain scalar as the text typed (``title: 2021`` is "2021"); never null;
- text is at most ``loader.MAX_SHORT`` characters (``body``, ``bottom_line``:
  ``loader.MAX_BODY``); the per-list limits of ``loader.LIMITS`` are ``maxItems``;
- chart values are numbers (or numeric strings, as the loader parses them), 0
  or from ``CHART_MIN`` to ``CHART_MAX`` in size; a pie takes one series of
  values of 0 or more (``if``/``then``);
- a chart's ``format`` is one ``numformat`` supports (its ``PATTERN``), or a
  plain number 0 (``0``, ``0.0`` and ``00`` are formats as typed);
- the outline's ``date`` and a source's ``accessed`` are YYYY-MM-DD strings; every field has a description.

The loader alone checks (the schema accepts these; ``loader.check``):

- a table row's cell count, and ``align``'s length, against the columns;
- a chart series' value count against the categories;
- citations (``[@id]``, ``[@a; @b, p. 3]``, ``@id``) naming no source; duplicate source ids;
- link targets in ``url`` and in Markdown text, bare addresses too (``links.link_problem``),
  and numbered lists starting too high;
- footnotes ``^[…]`` inside footnotes, empty, or in a field the packs set plainly;
- figure paths: inside the outline's folder, an existing, sound PNG or JPEG;
- limits over the whole outline (sections and subsections together, points,
  tables, cells, charts, chart values, figures, characters of text);
- numbers YAML 1.2 reads but the loader does not: hex and octal (``0x1F``);
- a chart ``format`` typed as a number that is 0 but no format as typed
  (``0.``, ``.0``, ``0e0``);
- what happens before validation: YAML tags, duplicate keys, control characters,
  file size, nesting depth and alias expansion (``yamlsrc``).

The schema is stricter than the loader in two corners: the outline's ``date``
as a Unix timestamp or with a time of midnight, and numbers with ``_``
(``1_000``) in chart values; the loader takes both.
"""

from __future__ import annotations

import copy
import functools

from .loader import CHART_MAX, CHART_MIN, LIMITS, LONG_FIELDS, MAX_BODY, MAX_SHORT
from .numformat import FORMAT_MAX, PATTERN
from .outline import Outline

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NUMBER_TEXT = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"  # a quoted number the loader parses
DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

# (model, field) → the LIMITS entry that bounds that one list
_MAX_ITEMS = {
    ("Outline", "sections"): "sections",
    ("Outline", "sources"): "sources",
    ("Outline", "summary"): "summary points",
    ("Outline", "keywords"): "keywords",
    ("TableSpec", "rows"): "rows in one table",
    ("TableSpec", "columns"): "columns in one table",
    ("ChartSpec", "categories"): "categories in one chart",
    ("ChartSpec", "series"): "series in one chart",
}

# Field help, "Model.field" first, then "field" (outline.py's models carry no Field descriptions;
# these follow its comments and the README).
_HELP = {
    "Outline.title": "The document's title: the report's cover and the deck's title slide (inline Markdown).",
    "subtitle": "Subtitle under the title (inline Markdown).",
    "Outline.date": "Date of the document, as YYYY-MM-DD.",
    "author": "Author or issuing office.",
    "lang": "The document's language as a BCP 47 tag, e.g. en, en-GB or pt-BR (pandoc's lang).",
    "notes": "Speaker notes for the deck; the report does not show them (Markdown).",
    "classification": "Classification marking, e.g. UNCLASSIFIED; default: the theme's marking.",
    "template": 'A template pack under templates/ ("" = the project default, briefing).',
    "subject": "PDF/PPTX metadata subject; default: the subtitle.",
    "keywords": "PDF/PPTX metadata keywords.",
    "bottom_line": 'One paragraph: the "bottom line up front" (inline Markdown).',
    "summary": "Executive summary: the key takeaways, one point each (inline Markdown).",
    "sections": "The sections, in order (at least one).",
    "sources": "The sources list, numbered in order; cite one in text as [@id], [@id, p. 12], [see @id] or @id.",
    "title": "Heading of this section (inline Markdown).",
    "points": "Short bullets: the slides and the report's takeaway boxes (inline Markdown).",
    "body": "Markdown prose (paragraphs, lists, quotes): the report, and the deck's speaker notes.",
    "table": "A table: one cell per column in every row.",
    "chart": "A chart: native in the deck, vector in the PDF.",
    "figure": "An image (PNG or JPEG) relative to the outline's folder.",
    "quote": "A pull quote, set large (a slide of its own in the deck).",
    "subsections": "Subsections, in order.",
    "caption": "Caption (inline Markdown).",
    "columns": "Column headings, one per column (inline Markdown).",
    "rows": "Rows: each a list of one cell per column (inline Markdown).",
    "align": "Alignment per column: left, right or center; default: numbers right, text left.",
    "source": "Source line, e.g. SIPRI Yearbook 2021 (inline Markdown).",
    "key_figures": 'Up to four key numbers set large, e.g. [{value: "1,550", label: deployed strategic warheads}]: a row in the report, a slide of their own in the deck.',
    "KeyFigure.value": 'The number as it should read, e.g. "1,550" or "€1.2bn" (24 characters at most).',
    "KeyFigure.label": "What the number counts (inline Markdown).",
    "layout": 'The deck\'s layout for this part: "two-columns" (its points beside its chart, figure or table on one slide), or the name of a layout in the slide master.',
    "TableSpec.layout": "The deck's layout for this table's slide: the name of a layout in the slide master (default: the pack's title-only layout).",
    "ChartSpec.layout": "The deck's layout for this chart's slide: the name of a layout in the slide master (default: the pack's title-only layout).",
    "FigureSpec.layout": "The deck's layout for this figure's slide: the name of a layout in the slide master (default: the pack's title-only layout).",
    "QuoteSpec.layout": "The deck's layout for this quote's slide: the name of a layout in the slide master (default: the pack's content layout).",
    "closing": 'The deck\'s closing slide, after the sources: {title: "Questions and discussion", text: [lines]}; default: the pack\'s, if it makes one (theme deck.closing_slide), titled in the document\'s language.',
    "ClosingSpec.title": "Title of the closing slide (inline Markdown).",
    "ClosingSpec.text": "Up to six lines under the title, e.g. a contact (inline Markdown); default: the author and the date.",
    "slides": "What the deck shows of a long or wide table (the report keeps it whole): {columns: [...], rows: N}.",
    "TableSlides.columns": "The columns shown on slides, by heading (default: every column).",
    "TableSlides.rows": "Show only the first N rows on slides (default: every row); the slide says the full table is in the report.",
    "ChartSpec.type": "Chart type: bar, stacked-bar, line or pie.",
    "ChartSpec.title": "Chart title (inline Markdown).",
    "categories": "Category labels: the x axis, or a pie's slices.",
    "series": "Data series; a pie takes exactly one.",
    "unit": 'Axis title, e.g. "warheads".',
    "format": (
        "Number format of the value axis and data labels, a small part of Excel's: digits 0 or #,##0, "
        'decimals .0, .00 (.0# for an optional place), % (the value times 100), text in double quotes or € $ £ ¥ before or after; '
        'e.g. "0.0%", "#,##0", €#,##0"k" (quote one that starts with #). Default: the values\' own decimals.'
    ),
    "name": "Series name, shown in the legend.",
    "values": "One number per category.",
    "path": "Image file (.png, .jpg or .jpeg) relative to the outline's folder, inside it.",
    "alt": "Alternative text (required): read aloud, and the deck's alt text.",
    "ChartSpec.alt": "Alternative text, read aloud in both outputs; default: made from the chart's kind, title, unit and values (\"Bar chart: Warheads (warheads). Russia 6,255; United States 5,550.\").",
    "text": "The quoted passage (inline Markdown).",
    "attribution": 'Who said it, e.g. "Joint statement, Geneva".',
    "id": 'Short key for citations, e.g. "sipri2021", cited as [@sipri2021].',
    "Source.title": "Title of the source (inline Markdown).",
    "url": "Address: http:// or https:// (www. is read as https://www.), or mailto:.",
    "publisher": "Publisher (inline Markdown).",
    "date": "Date as the publisher gives it (text); printed as the cover's date is when it is YYYY-MM-DD or YYYY-MM (2024-07-12: 12 July 2024).",
    "accessed": "When the source was read, as YYYY-MM-DD; printed after its address: Accessed 3 August 2024.",
}

_TEXT_TYPES = ["string", "number", "boolean"]  # plain YAML scalars: the loader keeps them as typed
_VALUE = {
    "type": ["number", "string"],
    "pattern": NUMBER_TEXT,
    "minimum": -CHART_MAX,
    "maximum": CHART_MAX,
    "not": {"type": "number", "exclusiveMinimum": -CHART_MIN, "exclusiveMaximum": CHART_MIN, "not": {"const": 0}},
}
_FORMAT = {  # "" (none), a format as numformat parses it, or 0 / 0.0 / 00 read as a number (the loader keeps the text typed)
    "anyOf": [{"type": "string", "maxLength": FORMAT_MAX, "pattern": "^$|" + PATTERN}, {"const": 0}],
    "default": "",
}
_PIE = {  # cross-field, yet expressible: a pie takes one series of values of 0 or more
    "if": {"properties": {"type": {"const": "pie"}}, "required": ["type"]},
    "then": {"properties": {"series": {"maxItems": 1, "items": {"properties": {"values": {"items": {"minimum": 0}}}}}}},
}


def _help(model: str, field: str) -> str:
    """Return the description of ``field`` of ``model``."""
    return _HELP.get(f"{model}.{field}") or _HELP[field]


def _shape(node: dict, field: str) -> None:
    """Rewrite the schema ``node`` of ``field`` (and what it nests) in place as the loader reads it."""
    for branch in node.get("anyOf", []):
        _shape(branch, field)
    if "items" in node:
        _shape(node["items"], field)
    if node.get("type") == "number":
        node.clear()
        node.update(copy.deepcopy(_VALUE))
    elif node.get("type") == "string" and node.get("format") == "date":
        node["pattern"] = DATE_TEXT
    elif node.get("type") == "string" and "enum" not in node:
        node["type"] = list(_TEXT_TYPES)
        node["maxLength"] = MAX_BODY if field in LONG_FIELDS else MAX_SHORT


@functools.cache
def _schema() -> dict:
    schema = Outline.model_json_schema()
    defs = schema.get("$defs", {})
    schema.pop("title", None)  # "Outline": replaced below
    for model, node in [("Outline", schema), *defs.items()]:
        for field, prop in node["properties"].items():
            prop.pop("title", None)
            _shape(prop, field)
            if (model, field) in _MAX_ITEMS:
                prop["maxItems"] = LIMITS[_MAX_ITEMS[(model, field)]]
            prop["description"] = _help(model, field)
    defs["ChartSpec"].update(copy.deepcopy(_PIE))
    defs["ChartSpec"]["properties"]["format"] = {**_FORMAT, "description": _help("ChartSpec", "format")}
    head = {
        "$schema": DIALECT,
        "title": "reportgen outline",
        "description": (
            "A reportgen outline: one YAML file in, a PDF report and a PPTX deck out. "
            "Text fields take inline Markdown and citations [@source-id]; body fields take Markdown blocks. "
            "reportgen also checks what a schema cannot: row and series lengths, citations, links, figure files."
        ),
    }
    return {**head, **schema}


def outline_schema() -> dict:
    """Return the outline's JSON Schema (draft 2020-12) as a new dict, the same every call.

    It validates an outline as an editor's YAML 1.2 parser reads it; see the
    module docstring for what only ``reportgen build`` checks.
    """
    return copy.deepcopy(_schema())
