import os

import pytest

from reportgen.errors import InputError
from reportgen.loader import load

from conftest import FIXTURES, SUMMIT


def write(tmp_path, text: str, name: str = "o.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def problems(path: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load(path)
    return [str(p) for p in info.value.problems]


def test_summit_outline_is_valid_and_complete():
    o = load(SUMMIT).outline
    titles = [s.title for s in o.sections]
    assert len(titles) == 5
    subs = {s.title: [x.title for x in s.subsections] for s in o.sections}
    assert any("Key Discussion" in t and len(v) == 3 for t, v in subs.items())
    assert any(s.table for s in o.sections for s in [s, *s.subsections])
    assert any(s.chart for s in o.sections for s in [s, *s.subsections])
    assert all(s.points and s.body for s in o.sections)
    assert {src.id for src in o.sources} >= {"sipri2021", "joint-statement"}


def test_yaml_11_words_keep_their_text(tmp_path):
    path = write(tmp_path, "title: no\nsubtitle: 1.10\nsections: [{title: on, points: [yes, 1.10]}]\n")
    o = load(path).outline
    assert (o.title, o.subtitle, o.sections[0].title, o.sections[0].points) == ("no", "1.10", "on", ["yes", "1.10"])


def test_every_problem_of_a_file_in_one_run(tmp_path):
    path = write(
        tmp_path,
        "titel: x\n"
        "date: 16 June\n"
        "sections:\n"
        "  - title: [a]\n"
        "    chart: {type: bars, title: c, categories: [a, b], series: [{name: s, values: [1]}]}\n"
        "    table: {columns: [a, b], rows: [[1, 2], [3]]}\n",
    )
    got = problems(path)
    assert any(":1:1: titel: unknown field 'titel' (did you mean 'title'?)" in p for p in got)
    assert any(":2:7: date: expected a date as YYYY-MM-DD, got text '16 June'" in p for p in got)
    assert any(":4:12: sections[0].title: expected text, got a list of 1" in p for p in got)
    assert any("sections[0].chart.type: expected one of" in p and "'bars'" in p for p in got)
    assert any(p.endswith(": title: required field is missing") for p in got)
    assert len(got) == 5


def test_cross_field_problems_are_located(tmp_path):
    path = write(
        tmp_path,
        "title: x\n"
        "sections:\n"
        "  - title: s\n"
        "    body: see [@nope]\n"
        "    table: {columns: [a, b], rows: [[1, 2], [3]]}\n"
        "    chart: {type: pie, title: c, categories: [a, b], series: [{name: s, values: [1, 2, 3]}, {name: t, values: [1, -2]}]}\n",
    )
    got = problems(path)
    assert any("sections[0].body: citation [@nope] names no source" in p for p in got)
    assert any(":5:45: sections[0].table.rows[1]: row has 1 cells, expected 2" in p for p in got)
    assert any("series 's' has 3 values, expected 2 (one per category)" in p for p in got)
    assert any("a pie chart takes exactly one series, got 2" in p for p in got)
    assert any("values[1]: a pie chart needs values of 0 or more, got -2" in p for p in got)


def test_non_numbers_in_a_chart_are_located(tmp_path):
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n    chart: {type: bar, title: c, categories: [a], series: [{name: s, values: ['6,255']}]}\n")
    (p,) = problems(path)
    assert "sections[0].chart.series[0].values[0]: expected a number, got text '6,255'" in p
    assert ":4:" in p


def test_chart_number_formats_are_checked_and_located(tmp_path):
    chart = "    chart:\n      type: bar\n      title: c\n      categories: [a, b]\n      series: [{name: s, values: [0.047, 0]}]\n"
    for good in ["0.0%", "'#,##0'", "€#,##0\"k\"", "0", "0.00", "'$ #,##0.0#'"]:
        o = load(write(tmp_path, f"title: x\nsections:\n  - title: s\n{chart}      format: {good}\n")).outline
        assert o.sections[0].chart.format == good.strip("'")
    for bad in ["General", "0.0.0", "'#,###'", "0 k", "'[Red]0'", "'\"R&D \"0'"]:
        path = write(tmp_path, f"title: x\nsections:\n  - title: s\n{chart}      format: {bad}\n")
        (p,) = problems(path)
        assert f"{path}:9:15: sections[0].chart.format: " in p, p
        assert "is not a number format reportgen supports; supported: digits 0 or #,##0" in p and "e.g. 0.0%, #,##0, €#,##0\"k\"" in p, p
    path = write(tmp_path, f"title: x\nsections:\n  - title: s\n{chart}      format: #,##0\n")  # unquoted: a YAML comment
    (p,) = problems(path)
    assert p.endswith(':9:14: sections[0].chart.format: expected a number format, got nothing (an empty value); in YAML " #" starts a comment: quote the format, as in format: "#,##0"'), p


def test_figure_paths_must_stay_in_the_outline_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "sub", "title: x\nsections:\n  - title: s\n    figure: {path: ../secret.png, alt: a}\n  - title: t\n    figure: {path: /etc/passwd.png, alt: a}\n  - title: u\n    figure: {path: missing.png, alt: a}\n")
    got = problems(path)
    assert "leaves the outline's folder" in got[0]
    assert "must be relative" in got[1]
    assert "not found" in got[2]


def test_not_utf8_is_one_clear_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    (p,) = problems(str(path))
    assert p.endswith("bad.yaml:1:11: not UTF-8 text (byte 0xe9); save the file as UTF-8")


def test_minimal_fixture_loads():
    loaded = load(os.path.join(FIXTURES, "minimal.yaml"))
    assert loaded.name == "minimal"
    assert loaded.cite_numbers() == {"one": 1}


def test_a_writers_warning_is_placed_in_the_outline_and_stays_a_warning(tmp_path):
    from reportgen.errors import Problem
    from reportgen.loader import locate

    path = write(tmp_path, "title: x\nsections:\n  - title: s\n    points: [a, b]\n")
    loaded = load(path)
    placed = locate(loaded, Problem("", 0, 0, "body text shrunk", "sections[0].points", "warning", "text-shrunk"))
    assert (placed.file, placed.line, placed.severity, placed.code) == (path, 4, "warning", "text-shrunk")
    assert str(placed) == f"{path}:4:13: warning: sections[0].points: body text shrunk"


def test_a_tables_slide_columns_must_name_its_columns(tmp_path):
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n    table:\n      columns: [A, B]\n      rows: [[1, 2]]\n      slides: {columns: [A, C], rows: 1}\n")
    (got,) = problems(path)
    assert got.endswith(":7:29: sections[0].table.slides.columns[1]: no column headed 'C' (expected one of: 'A', 'B')"), got
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n    table:\n      columns: [A, B]\n      rows: [[1, 2]]\n      slides: {rows: 0}\n")
    (got,) = problems(path)
    assert "sections[0].table.slides.rows: expected a number ≥ 1, got text '0'" in got


def test_a_sources_access_date_is_a_date(tmp_path):
    import datetime

    head = "title: x\nsections:\n  - title: s\nsources:\n  - title: T\n    url: https://example.org/page\n"
    o = load(write(tmp_path, head + "    date: 2024-07-12\n    accessed: 2024-08-03\n")).outline
    assert (o.sources[0].date, o.sources[0].accessed) == ("2024-07-12", datetime.date(2024, 8, 3))  # date: text as typed
    assert load(write(tmp_path, head)).outline.sources[0].accessed is None


@pytest.mark.parametrize("value", ["3 August 2024", "2024-08", "2024-02-30", "1722643200", "2024-08-03T00:00:00", "[2024-08-03]"])
def test_a_sources_access_date_that_is_not_yyyy_mm_dd_is_a_located_error(tmp_path, value):
    path = write(tmp_path, f"title: x\nsections:\n  - title: s\nsources:\n  - title: T\n    accessed: {value}\n")
    (got,) = problems(path)
    shown = "a list of 1" if value.startswith("[") else f"text {value!r}"
    assert got == f"{path}:6:15: sources[0].accessed: expected a date as YYYY-MM-DD, got {shown}", got


# --- citations, footnotes and bare addresses in every text (issue 15) ------------------------------

SOURCES_YAML = "sources:\n  - {id: a, title: A}\n  - {id: b, title: B}\n"


def test_an_unknown_source_in_a_citation_group_is_located_at_its_own_column(tmp_path):
    line = '    points: ["Claim [@a; @zz, p. 3] here"]\n'
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n" + line + SOURCES_YAML)
    (got,) = problems(path)
    col = line.index("@zz") + 1
    assert got.startswith(f"{path}:4:{col}: sections[0].points[0]: citation @zz in [@a; @zz, p. 3] names no source (expected one of: a, b;")
    assert "\\@" in got  # says how to write a literal @


def test_an_unknown_in_text_citation_in_a_body_is_located_at_its_line(tmp_path):
    body = "    body: |\n      First line.\n      Then (@nobody) says so, as [@a] does.\n"
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n" + body + SOURCES_YAML)
    (got,) = problems(path)
    assert got.startswith(f"{path}:6:13: sections[0].body: citation @nobody names no source")


def test_every_citation_form_of_known_sources_loads(tmp_path):
    text = "[@a] [@a; @b] [@a, p. 12] [see @a, pp. 3-4] [@a, ch. 2; @b] @b, and name@example.org"
    path = write(tmp_path, f"title: x\nsections:\n  - title: s\n    points: ['{text}']\n    body: '{text}'\n" + SOURCES_YAML)
    assert load(path).outline.sections[0].points == [text]


def test_a_citation_in_code_or_a_link_is_not_checked(tmp_path):
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n    body: 'see `[@zz]` and [@zz](https://example.org) and \\@zz'\n" + SOURCES_YAML)
    load(path)


@pytest.mark.parametrize(
    "field, problem",
    [
        ("    points: ['a^[outer ^[inner]]']\n", "sections[0].points[0]: a footnote ^[...] inside a footnote"),
        ("    points: ['a^[]']\n", "sections[0].points[0]: an empty footnote"),
        ("    chart: {type: bar, title: 'Arms^[note]', categories: [a], series: [{name: s, values: [1]}]}\n", "sections[0].chart.title: a footnote ^[...] cannot go here"),
        ("    figure: {path: f.png, alt: 'a^[b]'}\n", "sections[0].figure.alt: a footnote ^[...] cannot go here"),
        ("    body: 'see https://:80/x'\n", "sections[0].body: bare address: https link 'https://:80/x' names no host"),
        ("    body: '[x](javascript:alert(1))'\n", "sections[0].body: link scheme 'javascript:' is not allowed"),
    ],
)
def test_refused_footnotes_and_addresses_are_located(tmp_path, field, problem):
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n" + field)
    assert any(problem in p for p in problems(path) if p.startswith(f"{path}:4:")), problems(path)


def test_a_footnote_in_the_title_is_refused(tmp_path):
    path = write(tmp_path, "title: 'Report^[printed on the cover]'\nsections:\n  - title: 'A section^[this is fine]'\n")
    (got,) = problems(path)
    assert got.startswith(f"{path}:1:8: title: a footnote ^[...] cannot go here")


# --- spans in another language (issue 16) ----------------------------------------------------------

BAD_TAG = "span language {!r} is not a language tag; expected a BCP 47 tag such as ru, fr, de-CH or zh-Hant"


@pytest.mark.parametrize(
    "field, line, needle, message",
    [
        ("    points: ['Met [Путин]{lang=ru_RU} there']\n", 4, "lang=ru_RU", BAD_TAG.format("ru_RU")),
        ("    points:\n      - \"[x]{lang=\\\"english\\\"} and [y]{lang=fr}\"\n", 5, None, BAD_TAG.format("english")),  # (escaped in the file: the field's place)
        ("    body: |\n      First line.\n      Then [это]{.x lang=r} here.\n", 6, "lang=r", BAD_TAG.format("r")),
        ("    body: 'a [b]{lang=ru lang=fr} c'\n", 4, "lang=fr", "a span with a second lang (lang=fr); give a span one language"),
        ("    chart: {type: bar, title: '[Arms]{lang=en}', categories: [a], series: [{name: s, values: [1]}]}\n", 4, "lang=en",
         "sections[0].chart.title: a span [...]{...} cannot go here: this text is printed plainly"),
    ],
)
def test_a_spans_bad_language_is_located_at_its_attribute(tmp_path, field, line, needle, message):
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n" + field)
    (got,) = problems(path)
    where = f"{path}:{line}:" + (f"{field.splitlines()[line - 4].index(needle) + 1}:" if needle else "")
    assert got.startswith(where) and message in got, got


def test_a_span_in_the_title_is_refused_and_its_other_attributes_are_warned_where_they_stand(tmp_path):
    title = "title: 'Report [Путин]{lang=ru}'"
    path = write(tmp_path, title + "\nsections:\n  - title: s\n")
    (got,) = problems(path)
    assert got.startswith(f"{path}:1:{title.index('lang') + 1}: title: a span [...]{{...}} cannot go here")
    line = "    points: ['[mot]{.smallcaps lang=fr #m} and [x]{key=v}']\n"
    path = write(tmp_path, "title: x\nsections:\n  - title: s\n" + line)
    loaded = load(path)
    assert [(w.line, w.col, w.code, w.severity) for w in loaded.warnings] == [
        (4, line.index(".smallcaps") + 1, "span-attribute", "warning"), (4, line.index("#m") + 1, "span-attribute", "warning"),
        (4, line.index("key=v") + 1, "span-attribute", "warning")]
    assert str(loaded.warnings[0]).endswith("sections[0].points[0]: span attribute .smallcaps is not used by reportgen (ignored; lang=... gives the span's language)")


def test_a_markdown_outlines_spans_are_located_on_their_own_lines(tmp_path):
    text = "---\ntitle: T\n---\n\n# One\n\nSome text\nand [мир]{lang=ru} here,\nthen [paix]{lang=f} there.\n\n- a point [x]{.cls lang=de}\n"
    path = write(tmp_path, text, "o.md")
    (got,) = problems(path)
    assert got.startswith(f"{path}:9:13: sections[0].body: " + BAD_TAG.format("f"))
    path = write(tmp_path, text.replace("lang=f}", "lang=fr}"), "o.md")
    assert [(w.line, w.col, w.code) for w in load(path).warnings] == [(11, 15, "span-attribute")]
