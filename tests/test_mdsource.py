"""Markdown outlines (issue 15): pandoc's Markdown loaded into the same ``Outline`` as YAML.

The fixtures in ``tests/fixtures/markdown/``: ``briefing.md`` (every construct
reportgen reads: front matter, headings, lists, notes, the three kinds of
table, a figure, a quote, a chart, footnotes, citations, a BibTeX
bibliography) and ``summit.md`` (``inputs/summit.yaml`` written in Markdown).
Command-line cases run ``reportgen.cli.main`` in-process, as
``tests/test_hostile.py`` does: exit code, one located line per problem, no
traceback, nothing written.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time

import pytest

from reportgen.errors import InputError
from reportgen.loader import load
from reportgen.mdsource import parse
from reportgen.outline import Outline

from conftest import run_cli, FIXTURES, SUMMIT, TEMPLATES

MARKDOWN = os.path.join(FIXTURES, "markdown")
HEAD = "---\ntitle: A brief\n---\n\n"
LOCATED = re.compile(r"^[^:]+\.(md|bib|json|yaml)(:\d+:\d+)?: \S")  # "file:line:col: ..." (a whole file: "file: ...")


@pytest.fixture
def proj(tmp_path, monkeypatch):
    """A project folder (the working directory) with the Markdown fixtures and a build/ of previous outputs."""
    monkeypatch.chdir(tmp_path)
    for name in os.listdir(MARKDOWN):
        shutil.copy(os.path.join(MARKDOWN, name), tmp_path / name)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "outline.pdf").write_bytes(b"%PDF previous good report")
    return tmp_path


def cli(capsys, *args, command="build"):
    return run_cli(capsys, *args, command=command)


def snapshot(folder) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in sorted(os.listdir(folder))}


def write(proj, text: str | bytes, name: str = "outline.md") -> str:
    (proj / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return name


def refused(capsys, proj, name: str, line: str, seconds: float = 20) -> str:
    """Build ``name``; assert exit 2, one located error line, matching ``line`` (a regex), build/ unchanged."""
    before = snapshot(proj / "build")
    start = time.perf_counter()
    code, out, err = cli(capsys, name)
    assert time.perf_counter() - start < seconds
    assert code == 2, f"exit {code}:\n{out}\n{err}"
    errors = [x for x in err.splitlines() if x.strip() and ": warning: " not in x]
    assert len(errors) == 1 and LOCATED.match(errors[0]), err
    assert any(re.search(line, x) for x in errors), f"no line matches {line!r} in:\n{err}"
    assert snapshot(proj / "build") == before, "build/ changed"
    return err


def warnings_of(text: str) -> list[str]:
    return [str(w) for w in parse(text, "o.md").warnings]


# --- the mapping ----------------------------------------------------------------------

EXPECTED = {
    "title": "Arms Control After New START",
    "subtitle": "Options for the next round",
    "date": "2024-07-12",
    "author": "Policy Analysis Unit, Jane Analyst",
    "lang": "en-GB",
    "classification": "UNCLASSIFIED",
    "keywords": ["arms control", "New START"],
    "bottom_line": "The treaty's limits hold until February 2026 [@state-newstart]; what\nfollows is open.",
    "summary": ["Both arsenals are far below their Cold War peaks [@sipri2021].", "Verification is the hard part."],
    "sections": [
        {
            "title": "Where things stand",
            "points": [
                "Deployed warheads are capped at 1,550 each^[Counted as attributed under the treaty's rules.]",
                "Inspections paused in *2020*, resumed never",
                "Data exchanges continue [@state-newstart, p. 3]",
            ],
            "body": "The treaty sets three central limits [@state-newstart]. Its\nverification regime is described by @muller2020.\n\n"
            "1. First, deployed warheads.\n2. Then launchers.\n",
            "table": {
                "caption": "Central limits",
                "columns": ["Limit", "Ceiling"],
                "rows": [["Deployed warheads", "1,550"], ["Deployed launchers", "700"], ["All launchers", "800"]],
                "align": ["left", "right"],
                "source": "U.S. Department of State",
            },
            "quote": {"text": "A nuclear war cannot be won and must never be fought.", "attribution": "Joint statement, Geneva"},
            "notes": "Open with the ceiling numbers; pause for questions.\n",
            "subsections": [
                {
                    "title": "The arsenals",
                    "body": "Estimates differ [@sipri2021; @muller2020].\n",
                    "table": {
                        "caption": "Warheads, January 2021",
                        "columns": ["Country", "Total", "Deployed"],
                        "rows": [["Russia", "6,255", "1,625"], ["USA", "5,550", "1,800"]],
                        "align": ["left", "right", "right"],  # the third flush with its dashes: reportgen's default (numbers right)
                    },
                    "chart": {
                        "type": "bar",
                        "title": "Nuclear warheads, January 2021",
                        "categories": ["Total", "Deployed"],
                        "series": [{"name": "Russia", "values": [6255, 1625]}, {"name": "United States", "values": [5550, 1800]}],
                        "unit": "warheads",
                    },
                },
                {
                    "title": "The venue",
                    "layout": "two-columns",
                    "points": ["Talks were held by the lake"],
                    "body": "See https://www.state.gov/new-start/ for the treaty text.\n",
                    "figure": {"path": "venue.png", "alt": "A white villa among trees", "caption": "The Villa La Grange, Geneva"},
                    "table": {"caption": "Sessions by day", "columns": ["Day", "Sessions"], "rows": [["16 June", "2"], ["17 June", "1"]], "align": ["left", "center"]},
                },
            ],
        }
    ],
    "sources": [
        {"id": "state-newstart", "title": "New START Treaty", "url": "https://www.state.gov/new-start/", "publisher": "U.S. Department of State", "date": "2021-02-03", "accessed": "2024-08-03"},
        {
            "id": "sipri2021",
            "title": "SIPRI Yearbook 2021: Armaments, Disarmament and International Security",
            "url": "https://www.sipri.org/yearbook/2021",
            "publisher": "Stockholm International Peace Research Institute",
            "date": "2021-06",
        },
        {  # BibTeX: accents, \emph and -- decoded; the DOI as its address; urldate as accessed
            "id": "muller2020",
            "title": "Straßenverkehr in Genève – a *case* study",
            "url": "https://doi.org/10.1000/xyz123",
            "publisher": "Revue d'Études Stratégiques",
            "date": "2020",
            "accessed": "2024-08-03",
        },
    ],
}


def test_the_markdown_briefing_loads_into_the_expected_outline():
    loaded = load(os.path.join(MARKDOWN, "briefing.md"))
    assert loaded.outline == Outline.model_validate(EXPECTED)
    assert loaded.warnings == []


def test_the_summit_written_in_markdown_is_the_summit_outline():
    md = load(os.path.join(MARKDOWN, "summit.md"))
    assert md.warnings == []
    assert md.outline == load(SUMMIT).outline  # every field: front matter, points, bodies as written, table, chart, sources


def test_the_readme_example_loads_without_a_warning(tmp_path):
    from conftest import ROOT

    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        example = fh.read().split("### Writing in Markdown", 1)[1].split("````markdown\n", 1)[1].split("\n````", 1)[0]
    for name in ("refs.bib", "venue.png"):
        shutil.copy(os.path.join(MARKDOWN, name), tmp_path / name)
    (tmp_path / "example.md").write_text(example + "\n", encoding="utf-8")
    loaded = load(str(tmp_path / "example.md"))
    assert loaded.warnings == [] and loaded.outline.sections[0].layout == "two-columns" and loaded.outline.sections[0].notes
    first, numbers = loaded.outline.sections[0], loaded.outline.sections[0].subsections[0]
    assert first.table.slides.rows == 1 and first.quote.layout == "Title Only" and loaded.outline.closing.title
    assert len(numbers.key_figures) == 2 and "- launchers deployed" in numbers.body


def test_positions_point_into_the_markdown_file_and_the_bibliography():
    src = load(os.path.join(MARKDOWN, "briefing.md")).source
    where = lambda *path: (src.file_of(path).rsplit("/", 1)[-1], *src.where(path))  # noqa: E731
    assert where("title") == ("briefing.md", 3, 8)
    assert where("author") == ("briefing.md", 6, 3)
    assert where("sections", 0) == ("briefing.md", 28, 1)
    assert where("sections", 0, "title") == ("briefing.md", 28, 3)
    assert where("sections", 0, "points", 1) == ("briefing.md", 31, 3)
    assert where("sections", 0, "body") == ("briefing.md", 35, 1)
    assert where("sections", 0, "table", "rows", 2, 1) == ("briefing.md", 45, 35)
    assert where("sections", 0, "table", "caption") == ("briefing.md", 47, 8)
    assert where("sections", 0, "quote", "attribution") == ("briefing.md", 50, 5)
    assert where("sections", 0, "subsections", 0, "chart", "series", 1, "values") == ("briefing.md", 75, 13)
    assert where("sections", 0, "subsections", 1, "figure", "path") == ("briefing.md", 83, 32)
    assert where("sources", 0, "url") == ("briefing.md", 22, 10)
    assert where("sources", 2, "title") == ("refs.bib", 12, 1)


# --- building ----------------------------------------------------------------------------


def test_the_markdown_briefing_builds_to_pdf_and_pptx(capsys, proj):
    from pptx import Presentation
    from pypdf import PdfReader

    code, out, err = cli(capsys, "briefing.md")
    assert code == 0, err
    assert "not supported" not in err and "left out" not in err, err
    text = " ".join("".join((page.extract_text() or "").split()) for page in PdfReader(proj / "build" / "briefing.pdf").pages)
    for expected in ("CentralLimits", "Straßenverkehr", "Countedasattributed", "Warheads,January2021", "TheVillaLaGrange", "Jointstatement,Geneva"):
        assert expected.lower() in text.lower(), expected
    deck = Presentation(str(proj / "build" / "briefing.pptx"))
    tables = [s for slide in deck.slides for s in slide.shapes if s.has_table]
    assert {tuple(c.text for c in t.table.rows[0].cells) for t in tables} >= {("Limit", "Ceiling"), ("Country", "Total", "Deployed"), ("Day", "Sessions")}
    assert any(s.has_chart for slide in deck.slides for s in slide.shapes)


def test_the_summit_in_markdown_builds_the_same_bytes_as_the_yaml(summit_build, tmp_path):
    from reportgen.build import Options, build

    shutil.copy(os.path.join(MARKDOWN, "summit.md"), tmp_path / "summit.md")
    build([str(tmp_path / "summit.md")], Options(out_dir=str(tmp_path / "build"), templates_dir=TEMPLATES))
    for name in ("summit.pdf", "summit.pptx"):
        assert (tmp_path / "build" / name).read_bytes() == (summit_build / name).read_bytes(), name


def test_editing_the_bibliography_makes_the_documents_stale(capsys, proj):
    assert cli(capsys, "briefing.md", "-f", "pdf")[0] == 0
    assert "up to date" in cli(capsys, "briefing.md", "-f", "pdf", command="check")[1]
    with open(proj / "refs.bib", "a") as fh:
        fh.write("\n@misc{another, title = {Another}}\n")
    code, out, err = cli(capsys, "briefing.md", "-f", "pdf", command="check")
    assert code == 3 and re.search(r"stale build/briefing\.pdf \(.*refs\.bib.* changed\)", out + err), out + err


def test_a_markdown_and_a_yaml_outline_of_one_name_are_refused(capsys, proj):
    (proj / "inputs").mkdir()
    shutil.copy(proj / "summit.md", proj / "inputs" / "summit.md")
    shutil.copy(SUMMIT, proj / "inputs" / "summit.yaml")
    code, _out, err = cli(capsys, "inputs", command="validate")
    assert code == 2
    assert err.strip() == "inputs/summit.yaml: summit.md and summit.yaml would both write build/summit.pdf and build/summit.pptx; remove or rename one"


# --- errors: one located line each, exit 2, nothing written ------------------------------------------


@pytest.mark.parametrize(
    "text, line",
    [
        ("# One\n\nText.\n", r"^outline\.md:1:1: title: a Markdown outline starts with YAML front matter"),
        ("---\nsubtitle: x\n---\n\n# One\n", r"^outline\.md:1:1: title: required field is missing"),
        ("---\ntitle: x\n", r"^outline\.md:1:1: the front matter opened by --- on line 1 is never closed"),
        ("---\ntitle: [x\n---\n\n# One\n", r"^outline\.md:3:1: YAML syntax error"),
        ("---\ntitle: x\ntitel: y\n---\n\n# One\n", r"^outline\.md:3:1: titel: unknown field 'titel' \(did you mean 'title'\?\)"),
        ("---\ntitle: x\ndate: June 2021\n---\n\n# One\n", r"^outline\.md:3:7: date: expected a date as YYYY-MM-DD"),
        ("---\ntitle: x\nlang: English\n---\n\n# One\n", r"^outline\.md:3:7: lang: expected a language tag \(BCP 47\)"),
        ("---\ntitle: x\nsections: []\n---\n\n# One\n", r"^outline\.md:3:1: sections: sections come from the document's # headings"),
        (HEAD + "Stray text.\n\n# One\n", r"^outline\.md:5:1: text before the first # heading belongs to no section"),
        (HEAD + "## Sub\n", r"^outline\.md:5:1: a ## subsection before the first # section"),
        (HEAD + "No heading.\n", r"^outline\.md:\d+:1: .*text before the first # heading"),
        (HEAD + "<!-- only a comment -->\n", r"^outline\.md:4:1: sections: no # heading: an outline has at least one section"),
        (HEAD + "# One\n\n![A map](venue.png)\n", r"^outline\.md:7:1: sections\[0\]\.figure\.alt: a figure needs alt text"),
        (HEAD + "# One\n\n![A map](missing.png){fig-alt=\"x\"}\n", r"^outline\.md:7:10: sections\[0\]\.figure\.path: figure file 'missing\.png' not found"),
        (HEAD + "# One\n\nSee this[^nope].\n", r"^outline\.md:7:9: sections\[0\]\.body: footnote \[\^nope\] is not defined"),
        (HEAD + "# One\n\n- A point[^a]\n\n[^a]: One.\n\n[^a]: Two.\n", r"^outline\.md:11:1: footnote \[\^a\] is defined twice \(first on line 9\)"),
        (HEAD + "# One\n\nCited [@nobody].\n", r"^outline\.md:7:\d+: sections\[0\]\.body: citation \[@nobody\] names no source"),
        (HEAD + "# One\n\n- A [bad link](javascript:alert(1))\n", r"^outline\.md:7:3: sections\[0\]\.points\[0\]: .*javascript"),
        (HEAD + "# One\n\n```chart\ntype: bar\ntitle: [unclosed\n```\n", r"^outline\.md:10:1: .*YAML syntax error"),
        (HEAD + "# One\n\n```chart\ntype: bars\ntitle: t\ncategories: [a]\nseries: [{name: s, values: [1]}]\n```\n", r"^outline\.md:8:7: sections\[0\]\.chart\.type: expected one of"),
        (HEAD + "# One\n\n```chart\ntype: bar\ntitle: t\ncategories: [a, b]\nseries:\n  - {name: s, values: [1]}\n```\n", r"^outline\.md:12:23: sections\[0\]\.chart\.series\[0\]\.values: series 's' has 1 values, expected 2"),
        (HEAD + "# One\n\n```chart\n```\n", r"^outline\.md:7:1: sections\[0\]\.chart: the chart block is empty"),
        (HEAD + "# One\n\n| a | b |\n|---|\n| 1 | 2 |\n", r"^outline\.md:8:1: the header row has 2 cells and the row of dashes under it 1"),
        (HEAD + "# One\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", r"^outline\.md:9:3: sections\[0\]\.table\.rows\[0\]: row has 3 cells, expected 2"),
        (HEAD + "# One\n\n::: notes\nUnclosed.\n", r"^outline\.md:7:1: this ::: notes div is never closed"),
        ("---\ntitle: x\nbibliography: ../refs.bib\n---\n\n# One\n", r"^outline\.md:3:15: bibliography: bibliography path '\.\./refs\.bib' leaves the document's folder"),
        ("---\ntitle: x\nbibliography: nowhere.bib\n---\n\n# One\n", r"^outline\.md:3:15: bibliography: bibliography file 'nowhere\.bib' not found"),
        ("---\ntitle: x\nbibliography: bad.bib\n---\n\n# One\n\nSee [@a].\n", r"^bad\.bib:4:1: BibTeX syntax error: premature end of file"),
        ("---\ntitle: x\nreferences:\n  - id: a\n    title: A\n    issued: {season: 2}\n---\n\n# One\n\nSee [@a].\n", r"^outline\.md:6:13: references\[0\]\.issued: expected a CSL date"),
        ("---\ntitle: x\nreferences:\n  - id: a\n    URL: ftp://x\n---\n\n# One\n\nSee [@a].\n", r"^outline\.md:4:5: sources\[0\]\.title: required field is missing"),
        ("---\ntitle: x\n---\n\n# One\n\nA bell \x07 here.\n", r"^outline\.md:7:8: character U\+0007 is not allowed"),
        (b"---\ntitle: caf\xe9\n---\n", r"^outline\.md:2:11: not UTF-8 text \(byte 0xe9\)"),
        # every outline field in Markdown (issue 15, part 4): each new construct's bad values
        (HEAD + "# One\n\n```key-figures\n- value: [1\n```\n", r"^outline\.md:9:1: .*YAML syntax error"),
        (HEAD + "# One\n\n```key-figures\nvalue: 1\n```\n", r"^outline\.md:7:1: sections\[0\]\.key_figures: a key-figures block holds a YAML list of key figures"),
        (HEAD + "# One\n\n```key-figures\n```\n", r"^outline\.md:7:1: sections\[0\]\.key_figures: the key-figures block is empty"),
        (HEAD + "# One\n\n```key-figures\n- {value: 1234567890123456789012345, label: x}\n```\n", r"^outline\.md:8:11: sections\[0\]\.key_figures\[0\]\.value: String should have at most 24 characters"),
        (HEAD + "# One\n\n```key-figures\n- {value: '1'}\n```\n", r"^outline\.md:8:3: sections\[0\]\.key_figures\[0\]\.label: required field is missing"),
        (HEAD + "# One\n\n```{.key-figures}\n" + "- {value: '1', label: x}\n" * 5 + "```\n", r"^outline\.md:7:1: sections\[0\]\.key_figures: list should have at most 4 items"),
        (HEAD + "# One\n\n| a |\n|---|\n| 1 |\n\nTable: T {slides-rows=twelve}\n", r"^outline\.md:11:11: sections\[0\]\.table\.slides\.rows: expected a whole number, got text 'twelve'"),
        (HEAD + "# One\n\n| a |\n|---|\n| 1 |\n\nTable: T {slides-rows=0}\n", r"^outline\.md:11:11: sections\[0\]\.table\.slides\.rows: expected a number ≥ 1, got text '0'"),
        (HEAD + "# One\n\n| a |\n|---|\n| 1 |\n\nTable: T {slides-rows=\"\"}\n", r"^outline\.md:11:11: sections\[0\]\.table\.slides\.rows: slides-rows needs a number of rows"),
        (HEAD + "# One\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: T {slides-columns=\"a, c\"}\n", r"^outline\.md:11:30: sections\[0\]\.table\.slides\.columns\[1\]: no column headed 'c' \(expected one of: 'a', 'b'\)"),
        (HEAD + "# One\n\n| a |\n|---|\n| 1 |\n\nTable: T {layout=\"\"}\n", r"^outline\.md:11:11: sections\[0\]\.table\.layout: layout needs the name of a layout"),
        (HEAD + "# One\n\n| a |\n|---|\n| 1 |\n\nTable: T {layout=\"Nope\"}\n", r"^outline\.md:11:11: sections\[0\]\.table\.layout: no layout named 'Nope' in the slide master"),
        (HEAD + "# One\n\n![A](venue.png){fig-alt=\"a\" layout=\"\"}\n", r"^outline\.md:7:\d+: sections\[0\]\.figure\.layout: layout needs the name of a layout"),
        (HEAD + "# One\n\n![A](venue.png){fig-alt=\"a\" layout=\"Nope\"}\n", r"^outline\.md:7:29: sections\[0\]\.figure\.layout: no layout named 'Nope' in the slide master"),
        (HEAD + "# One\n\n::: {.quote layout=\"\"}\n> Words.\n:::\n", r"^outline\.md:7:13: layout needs the name of a layout"),
        (HEAD + "# One\n\n::: {.quote layout=\"Nope\"}\n> Words.\n:::\n", r"^outline\.md:7:13: sections\[0\]\.quote\.layout: no layout named 'Nope' in the slide master"),
        (HEAD + "# One\n\n::: body\nUnclosed.\n", r"^outline\.md:7:1: this ::: body div is never closed"),
        ("---\ntitle: x\nclosing: {title: Thanks, text: [a, b, c, d, e, f, g]}\n---\n\n# One\n", r"^outline\.md:3:32: closing\.text: list should have at most 6 items"),
    ],
)
def test_each_error_is_one_located_line(capsys, proj, text, line):
    (proj / "bad.bib").write_text("@article{a,\n  title = {A},\n  year = \n")
    refused(capsys, proj, write(proj, text), line)


def test_a_bibliography_entry_with_a_bad_address_is_placed_in_the_bibliography(capsys, proj):
    (proj / "refs.json").write_text('[\n  {"id": "x", "title": "X",\n   "URL": "javascript:alert(1)"}\n]\n')
    name = write(proj, "---\ntitle: x\nbibliography: refs.json\n---\n\n# One\n\nSee [@x].\n")
    refused(capsys, proj, name, r"^refs\.json:2:4: sources\[0\]\.url: .*javascript")


def test_hostile_markdown_is_refused_quickly(capsys, proj):
    refused(capsys, proj, write(proj, HEAD + "# One\n\n" + ">" * 2_000_000 + " deep\n"), r"nested over 32 levels deep", seconds=5)
    refused(capsys, proj, write(proj, HEAD + "# One\n\n" + "| a " * 60 + "|\n" + "|---" * 60 + "|\n" + "| 1 " * 60 + "|\n"), r"outline\.md:7:1: .*over 50 columns", seconds=5)
    refused(capsys, proj, write(proj, HEAD + "# One\n\n| a |\n|---|\n" + "| 1 |\n" * 2001), r"outline\.md:9:3: sections\[0\]\.table\.rows: 2,001 rows in one table is over the 2,000", seconds=10)
    refused(capsys, proj, write(proj, HEAD + "x\n" * 100_001), r"outline\.md:100001:1: the file has 100,005 lines, over the 100,000", seconds=5)
    refused(capsys, proj, write(proj, HEAD + "# One\n\n" + "[" * 3_000_000 + "\n"), r"outline\.md:7:1: sections\[0\]\.body: text of 3,000,001 characters", seconds=10)
    (proj / "big.md").write_bytes(b"x" * (8 * 1024 * 1024 + 1))
    refused(capsys, proj, "big.md", r"^big\.md: the file is over 8 MB")


# --- what reportgen does not keep: a located warning each, an error under --strict -----------------


@pytest.mark.parametrize(
    "markdown, line, message",
    [
        ("Math $E = mc^2$ here.", 7, r"7:6: warning: sections\[0\]\.body: math \(\$\.\.\.\$\) is not supported: printed as the literal text '\$E = mc\^2\$'"),
        ("$$\nx^2\n$$", 7, r"display math"),
        ("A <span>raw</span> tag.", 7, r"7:3: .*raw HTML is not supported: printed as the literal text '<span>'"),
        ("<div>\nblock\n</div>", 7, r"7:1: warning: raw HTML is not supported: left out"),
        ("Raw \\LaTeX{} inline.", 7, r"7:5: .*raw LaTeX is not supported: printed as the literal text"),
        ("\\newpage", 7, r"7:1: .*raw LaTeX is not supported: left out"),
        ("~~gone~~ and H~2~O and 2^10^", 7, r"strikeout"),
        ("Term\n: Its definition.", 7, r"7:1: warning: a definition list is not supported: kept in the body as paragraphs, each term in bold"),
        ("| one line\n| two lines", 7, r"7:1: warning: a line block \(\| \.\.\.\) is not supported as such"),
        ("***", 7, r"7:1: warning: a horizontal rule is not supported: left out"),
        ("```python\nprint(1)\n```", 7, r"7:1: .*a code block of class python is kept in the body as code"),
        ("    indented code", 7, r"7:1: .*an indented code block is kept in the body as code"),
        ("### Deeper", 7, r"7:1: .*a level-3 heading is not supported .* kept in the body as a bold paragraph"),
        ("- a\n  - nested", 8, r"8:3: .*a nested list is flattened: its items follow as points of their own"),
        ("- a\n\n      code in a list", 9, r"9:1: .*a code block inside a list item is not supported: left out"),
        ("- [ ] a task", 7, r"7:3: .*a task list box"),
        ("See ![inline](venue.png) here.", 7, r"7:5: .*an image inside text is not supported"),
        ("[a link](https://example.org){.external} text", 7, r"7:29: .*attributes \(\{\.\.\.\}\) on a link or code is not supported: printed as the literal text '\)\{\.external\}'"),
        ("::: warning\nInside.\n:::", 7, r"7:1: warning: a fenced div \(::: warning\) is not supported: its content is kept"),
        ("> one\n\n> two", 9, r"9:1: .*a part has one pull quote: this block quote is kept in the body as a quotation"),
        ("![a](venue.png){fig-alt=\"a\"}\n\n![b](venue.png){fig-alt=\"b\"}", 9, r"9:1: .*a part has one figure: this figure is left out \(give it a ## subsection of its own"),
        ("| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |", 11, r"11:1: .*a part has one table: this table is left out"),
        ("-----------\nA  B\n---  ---\n1  2\n-----------", 7, r"7:1: warning: a multiline table is not supported: left out"),
        ("Note[^a].\n\n[^a]: First.\n\n    Second.", 9, r"9:1: warning: footnote \[\^a\] has 2 paragraphs"),
        ("Text.\n\n[^unused]: Never used.", 9, r"9:1: warning: footnote \[\^unused\] is never referred to: left out"),
        ("Table: A caption alone.", 7, r"7:1: .*a table caption with no table next to it"),
        ("::: {.quote layout=\"Title Only\"}\nNo quote here.\n:::", 7, r"7:1: warning: this ::: quote div holds no pull quote .* its layout is not used"),
        ("::: {.quote size=big}\n> Words.\n:::", 7, r"7:13: warning: quote attribute size is not used by reportgen"),
        ("```key-figures\n- {value: '1', label: a}\n```\n\n```key-figures\n- {value: '2', label: b}\n```", 11, r"11:1: .*a part has one key-figures block: this key-figures block is left out"),
        ("| a |\n|---|\n| 1 |\n\nTable: T {width=3}", 11, r"11:11: .*table attribute width is not used by reportgen"),
    ],
)
def test_each_unsupported_construct_is_warned_at_its_line_and_fails_strict(capsys, proj, markdown, line, message):
    name = write(proj, HEAD + "# One\n\n" + markdown + "\n")
    found = [w for w in warnings_of((proj / name).read_text()) if re.search(message, w)]
    assert found, warnings_of((proj / name).read_text())
    assert f"o.md:{line}:" in found[0]
    code, out, err = cli(capsys, name, "-f", "pdf", command="validate")
    assert code == 0 and re.search(message.split(": warning: ")[-1], err), err
    assert "warning:" in err
    code, out, err = cli(capsys, name, "-f", "pdf", "--strict", command="validate")
    assert code == 2 and "(an error under --strict)" in err, err


def test_front_matter_fields_for_pandoc_alone_are_warned_and_ignored():
    ws = warnings_of("---\ntitle: x\ntoc: true\ngeometry: margin=1in\n---\n\n# One\n")
    assert ws == [
        "o.md:3:1: warning: front matter field 'toc' is for pandoc's own output; reportgen does not use it (ignored)",
        "o.md:4:1: warning: front matter field 'geometry' is for pandoc's own output; reportgen does not use it (ignored)",
    ]


def test_abstract_is_the_bottom_line_unless_one_is_given():
    src = parse("---\ntitle: x\nabstract: |\n  First.\n\n  Second.\n---\n\n# One\n", "o.md")
    assert src.data["bottom_line"] == "First. Second."
    assert [str(w) for w in src.warnings] == ["o.md:3:1: warning: the bottom line is one paragraph: the abstract's paragraphs are joined into one"]
    src = parse("---\ntitle: x\nbottom_line: Mine.\nabstract: Theirs.\n---\n\n# One\n", "o.md")
    assert src.data["bottom_line"] == "Mine."
    assert "abstract left out: bottom_line is given" in str(src.warnings[0])


# --- the parts, one by one ----------------------------------------------------------------------


def section(markdown: str) -> dict:
    return parse(HEAD + "# One\n\n" + markdown + "\n", "o.md").data["sections"][0]


def test_a_paragraph_of_text_and_an_image_is_body_not_a_figure():
    assert "figure" not in section("Look: ![a](venue.png){fig-alt=\"b\"}")


def test_a_block_quote_without_an_attribution_and_one_in_two_dashes():
    assert section("> Just words.")["quote"] == {"text": "Just words."}
    assert section("> Words\n> over lines.\n>\n> -- The Author")["quote"] == {"text": "Words over lines.", "attribution": "The Author"}


def test_hard_line_breaks_stay_in_a_point():
    assert section("- one  \n  two\n- three\\\n  four")["points"] == ["one  \ntwo", "three\\\nfour"]


def test_notes_in_a_div_with_attributes_and_nested_divs():
    data = section("::: {.notes #n1}\nSay *this*.\n\n::: inner\nAnd this.\n:::\n:::\n\nAfter.")
    assert data["notes"] == "Say *this*.\n\n::: inner\nAnd this.\n:::\n"
    assert data["body"] == "After.\n"


def test_a_chart_block_in_pandoc_attribute_form_is_a_chart():
    data = section("``` {.chart}\ntype: pie\ntitle: t\ncategories: [a, b]\nseries: [{name: s, values: [1, 2]}]\n```")
    assert data["chart"]["type"] == "pie"


def test_headerless_simple_and_grid_tables_take_their_first_row_as_header():
    data = section("-------  -------\nName     Count\nA        1\n-------  -------")
    assert (data["table"]["columns"], data["table"]["rows"]) == (["Name", "Count"], [["A", "1"]])
    data = section("+---+---+\n| x | y |\n+---+---+\n| 1 | 2 |\n+---+---+")
    assert (data["table"]["columns"], data["table"]["rows"]) == (["x", "y"], [["1", "2"]])


def test_a_grid_cell_of_several_lines_is_one_line_of_text():
    data = section("+------+-------+\n| Name | Note  |\n+======+=======+\n| A    | one   |\n|      | two   |\n+------+-------+")
    assert data["table"]["rows"] == [["A", "one two"]]


def test_rules_and_lists_that_look_like_table_lines_are_not_tables():
    data = section("Text\n\n- - -\nMore text.\n\n- a\n\n  | x | y |\n  |---|---|\n  | 1 | 2 |")
    assert "table" not in data and data["body"] == "Text\n\nMore text.\n"
    assert data["points"] == ["a | x | y | |---|---| | 1 | 2 |"]
    ws = warnings_of(HEAD + "# One\n\n- a\n\n  | x | y |\n  |---|---|\n  | 1 | 2 |\n")
    assert ws == [
        "o.md:9:1: warning: sections[0].points: a point is one paragraph: this list item's paragraphs are joined into one",
        "o.md:9:1: warning: sections[0].points: a table inside a list is not supported: its lines are printed as text in the point",
    ]


def test_table_caption_before_the_table():
    assert section("Table: Above.\n\n| a |\n|---|\n| 1 |")["table"]["caption"] == "Above."


# --- every outline field (issue 15, part 4) ----------------------------------------------------


def test_key_figures_table_slides_layouts_quote_div_body_div_and_closing():
    src = parse(
        "---\ntitle: A brief\nclosing:\n  title: Questions\n  text: [desk@example.org]\n---\n\n# One\n\n"
        "```key-figures\n- value: \"1,550\"\n  label: deployed warheads\n- {value: \"700\", label: launchers}\n```\n\n"
        "| Limit | Ceiling, total |\n|---|---|\n| A | 1 |\n\n"
        "Table: Limits {source=\"State\" slides-columns=\"Limit, Ceiling\\, total\" slides-rows=12 layout=\"Title Only\"}\n\n"
        "::: {.quote layout=\"Title Only\"}\n> Words.\n> — Someone\n:::\n\n"
        "::: body\n- a list that stays in the body\n\n> a quotation too\n:::\n\n"
        "![A villa](venue.png){fig-alt=\"A villa\" layout=\"Title Only\"}\n",
        "o.md",
    )
    assert src.warnings == []
    part = src.data["sections"][0]
    assert part["key_figures"] == [{"value": "1,550", "label": "deployed warheads"}, {"value": "700", "label": "launchers"}]
    assert part["table"]["slides"] == {"columns": ["Limit", "Ceiling, total"], "rows": "12"} and part["table"]["layout"] == "Title Only"
    assert part["table"]["source"] == "State" and part["table"]["caption"] == "Limits"
    assert part["quote"] == {"text": "Words.", "attribution": "Someone", "layout": "Title Only"}
    assert part["body"] == "- a list that stays in the body\n\n> a quotation too\n" and "points" not in part
    assert part["figure"]["layout"] == "Title Only"
    assert src.data["closing"] == {"title": "Questions", "text": ["desk@example.org"]}
    where = lambda *path: src.where(path)  # noqa: E731
    assert where("sections", 0, "key_figures", 1, "label") == (13, 25)
    assert where("sections", 0, "table", "slides", "columns", 1) == (20, 54)
    assert where("sections", 0, "quote", "layout") == (22, 13)
    assert where("sections", 0, "figure", "layout") == (33, 41)
    assert where("closing", "text", 0) == (5, 10)


def test_an_empty_slides_columns_attribute_is_slides_with_every_column():
    data = section("| a |\n|---|\n| 1 |\n\nTable: T {slides-columns=\"\"}")
    assert data["table"]["slides"] == {"columns": []}


# --- bibliographies ------------------------------------------------------------------------


def test_csl_json_and_csl_yaml_bibliographies_and_nocite(tmp_path):
    (tmp_path / "refs.json").write_text('[{"id": "j", "title": "J", "container-title": "Journal", "issued": {"date-parts": [[2020, 3, 5]]}, "DOI": "10.1/x"},'
                                        ' {"id": "k", "title": "K"}]')
    (tmp_path / "refs.yaml").write_text("references:\n- id: y\n  title: Y\n  publisher: P\n  issued: 2019\n")
    path = tmp_path / "o.md"
    path.write_text("---\ntitle: x\nbibliography: [refs.json, refs.yaml]\nnocite: '@y'\n---\n\n# One\n\nSee [@j].\n")
    loaded = load(str(path))
    assert [s.model_dump(exclude_defaults=True) for s in loaded.outline.sources] == [
        {"id": "j", "title": "J", "url": "https://doi.org/10.1/x", "publisher": "Journal", "date": "2020-03-05"},
        {"id": "y", "title": "Y", "publisher": "P", "date": "2019"},
    ]
    assert sorted(os.path.basename(d) for d in loaded.source.deps) == ["refs.json", "refs.yaml"]
    path.write_text("---\ntitle: x\nbibliography: refs.json\nnocite: '@*'\n---\n\n# One\n")
    assert [s.id for s in load(str(path)).outline.sources] == ["j", "k"]


def test_bibtex_decoding_and_the_entries_left_out():
    from reportgen.bibliography import latex_text

    assert latex_text(r"Caf{\'e} {\"U}ber \textbf{bold} --- \emph{it} \& co.") == "Café Über **bold** — *it* & co."
    assert "never-cited" not in [s.id for s in load(os.path.join(MARKDOWN, "briefing.md")).outline.sources]


def test_errors_raise_input_error_not_anything_else():
    for text in ("", "---\n---\n", "---\n- a\n---\n", "---\ntitle: x\n---\n", "---\ntitle: x\nauthor: [[]]\n---\n# A\n"):
        with pytest.raises(InputError):
            parse(text, "o.md")
