"""Hostile inputs the first hostile suite never had (issue 11): each a promise, each through the CLI.

- Bad input is one located line and exit 2, never exit 1, never a traceback,
  and leaves ``build/`` as it was (``refused`` from ``test_hostile``).
- Ordinary input inside the documented limits builds (exit 0), and what it
  makes is sound (core properties, pictures, links, page contents).
- The documented limits keep the largest outline bounded.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from PIL import Image

from reportgen.cli import main

from conftest import SUMMIT, TEMPLATES, have
from test_hostile import GOOD, cli, pack, proj, refused, refused_with_pack, write  # noqa: F401  (proj is a fixture)


def built(capsys, *args) -> str:
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    return err


def jpeg(width=64, height=48) -> bytes:
    im = Image.new("RGB", (width, height))
    im.putdata([(x * 4 % 256, y * 5 % 256, 128) for y in range(height) for x in range(width)])
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


# --- item 5: long metadata ------------------------------------------------------------


def test_long_titles_authors_and_keywords_build_with_cut_core_properties(capsys, proj):
    """A title, subtitle and author over PowerPoint's 255-character core properties, and many keywords, build;
    the deck's core properties are cut with "…", the PDF keeps them whole."""
    from pptx import Presentation
    from pypdf import PdfReader

    long = " ".join(["Negotiation"] * 24)[:260]
    keywords = ", ".join(f"keyword number {i}" for i in range(21))
    text = f"title: '{long}'\nsubtitle: '{long}'\nauthor: '{long}'\nkeywords: [{keywords}]\nsections:\n  - title: One\n    body: Text.\n"
    built(capsys, write(proj, text))
    core = Presentation(str(proj / "build" / "outline.pptx")).core_properties
    for value in (core.title, core.subject, core.author, core.keywords):
        assert 200 < len(value) <= 255 and value.endswith("…")
    assert core.title.startswith("Negotiation Negotiation")
    assert PdfReader(str(proj / "build" / "outline.pdf")).metadata.title == long


def test_a_title_no_slide_can_hold_is_a_located_error_and_the_report_still_builds(capsys, proj):
    """Up to the 2,000-character field limit a title is valid; one too long for any size a slide title may
    take stops the deck with its line (issue 14: fit failures are errors), and the PDF builds."""
    long = " ".join(["Negotiation"] * 180)[:1999]
    path = write(proj, f"title: '{long}'\nsections:\n  - title: One\n    body: Text.\n")
    code, _out, err = cli(capsys, path, "-f", "pptx")
    assert code == 2
    assert re.match(r"outline\.yaml:1:8: title: slide 1 'Negotiation .*': title does not fit even at \d+pt, the smallest a title may be set; shorten it", err), err
    assert (proj / "build" / "outline.pptx").read_bytes() == b"PK previous good deck"  # untouched
    built(capsys, path, "-f", "pdf")


# --- item 8: numbers and nesting ---------------------------------------------------------

CHART = GOOD + "    chart:\n      type: {type}\n      title: C\n      categories: [a, b]\n      series:\n{series}"


@pytest.mark.parametrize(
    "kind, series, line",
    [
        ("bar", "        - {name: s, values: [1e308, -1e308]}\n", r"outline\.yaml:10:\d+: sections\[0\]\.chart\.series\[0\]\.values\[0\]: 1e\+308 is too large to chart"),
        ("stacked-bar", "        - {name: s, values: [9e307, 9e307]}\n        - {name: t, values: [9e307, 9e307]}\n", r"values\[0\]: 9e\+307 is too large to chart"),
        ("line", "        - {name: s, values: [1e-308, 2]}\n", r"values\[0\]: 1e-308 is too small to chart \(expected 0, or a size from 1e-09 to 1e\+15\)"),
        ("pie", "        - {name: s, values: [5e-324, 1]}\n", r"values\[0\]: 4\.94066e-324 is too small to chart"),
    ],
)
def test_extreme_chart_values_are_located_errors(capsys, proj, kind, series, line):
    refused(capsys, proj, write(proj, CHART.format(type=kind, series=series)), lines=[line])


def test_chart_values_at_the_limits_build(capsys, proj):
    text = CHART.format(type="stacked-bar", series="        - {name: s, values: [1e15, 1e-9]}\n        - {name: t, values: [-1e15, 0]}\n")
    built(capsys, write(proj, text))


def test_500_levels_of_nested_emphasis_build(capsys, proj):
    deep = "*" * 500 + "deep" + "*" * 500
    deep2 = "_**" * 170 + "x" + "**_" * 170
    text = f"title: T\nsections:\n  - title: One\n    points: ['{deep}']\n    body: |\n      {deep2}\n      {'[' * 300}link{'](https://x.org)' * 300}\n"
    built(capsys, write(proj, text))


def test_a_template_cannot_put_nan_or_huge_values_in_a_chart(capsys, proj):
    for value in ("nan", "inf", "1e308", "-1e300"):
        folder = pack(proj, f"p{value.replace('-', 'm').replace('.', '')}")
        macros = (folder / "macros.xml.j2").read_text()
        (folder / "macros.xml.j2").write_text(macros.replace("<v>{{ v|number }}</v>", f"<v>{value}</v>", 1))
        name = write(proj, GOOD + "    chart: {type: bar, title: C, categories: [a], series: [{name: s, values: [1]}]}\n")
        before = set(os.listdir(proj / "build"))
        code = main(["build", name, "-t", folder.name, "--templates", str(proj / "templates"), "--out", "build", "--jobs", "1"])
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err, err
        assert re.search(r"macros\.xml\.j2.*|deck\.xml\.j2.*|report\.xml\.j2.*holds a value that is not 0 or a finite number", err), err
        assert set(os.listdir(proj / "build")) == before


def test_a_form_feed_entity_in_markdown_is_dropped_not_blamed_on_the_template(capsys, proj):
    text = "title: T\nsections:\n  - title: One\n    points: ['a&#12;b', 'c&#0;d']\n    body: |\n      Page&#12;break &#x1B;[31m and &#xFFFE; here.\n"
    built(capsys, write(proj, text))
    from pypdf import PdfReader

    page_text = "".join(p.extract_text() for p in PdfReader(str(proj / "build" / "outline.pdf")).pages)
    assert "Pagebreak [31m and  here." in page_text.replace("\n", " ") or "Pagebreak" in page_text


# --- item 9: truncated JPEG --------------------------------------------------------------


def test_a_truncated_jpeg_figure_or_logo_is_refused(capsys, proj):
    data = jpeg(400, 300)
    (proj / "cut.jpg").write_bytes(data[: len(data) * 2 // 3])
    refused(capsys, proj, write(proj, GOOD + "    figure: {path: cut.jpg, alt: A picture}\n"), lines=[r"^outline\.yaml:5:\d+: sections\[0\]\.figure\.path: image 'cut\.jpg' is corrupt or truncated"])
    folder = pack(proj)
    (folder / "assets" / "logo.png").unlink()
    (folder / "assets" / "logo.jpg").write_bytes(data[:-40])
    theme = (folder / "theme.yaml").read_text().replace("logo: assets/logo.png", "logo: assets/logo.jpg")
    (folder / "theme.yaml").write_text(theme)
    refused_with_pack(capsys, proj, [r"theme\.yaml:\d+:\d+: logo: image 'assets/logo\.jpg' is corrupt or truncated"])


@pytest.mark.skipif(not have("qpdf"), reason="needs qpdf")
def test_a_whole_jpeg_figure_embeds_cleanly(capsys, proj):
    (proj / "ok.jpg").write_bytes(jpeg(400, 300))
    built(capsys, write(proj, GOOD + "    figure: {path: ok.jpg, alt: A picture}\n"))
    check = subprocess.run(["qpdf", "--check", str(proj / "build" / "outline.pdf")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


# --- item 10: file names never reach slide XML ------------------------------------------------


@pytest.mark.parametrize("name", ['say "hi".png', 'x" hidden="1" title=".png', "a&b<c>.png", "ünï cødé ' quote.png"])
def test_figure_file_names_never_reach_slide_xml(capsys, proj, name):
    from pptx import Presentation

    Image.new("RGB", (40, 30), "navy").save(proj / name, "PNG")
    yaml_name = name.replace("\\", "\\\\").replace('"', '\\"')
    built(capsys, write(proj, GOOD + f'    figure: {{path: "{yaml_name}", alt: "Alt text"}}\n'))
    with zipfile.ZipFile(proj / "build" / "outline.pptx") as z:
        slides = [z.read(n).decode() for n in z.namelist() if re.match(r"ppt/slides/slide\d+\.xml$", n)]
    pics = [s for s in slides if "<p:pic>" in s]
    assert pics and all("hidden=" not in s and 'title="' not in s for s in pics)
    assert not any(name.split(".")[0][:5] in s for s in slides)
    prs = Presentation(str(proj / "build" / "outline.pptx"))
    pictures = [sh for slide in prs.slides for sh in slide.shapes if sh.shape_type == 13]
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in pictures] == ["Alt text"]


# --- item 12: citations everywhere ------------------------------------------------------------


@pytest.mark.parametrize(
    "part, line",
    [
        ("    table: {columns: [A], rows: [['[@nope]']]}\n", r"outline\.yaml:5:\d+: sections\[0\]\.table\.rows\[0\]\[0\]: citation \[@nope\] names no source"),
        ("    table: {caption: 'See [@nope]', columns: [A], rows: [[a]]}\n", r"sections\[0\]\.table\.caption: citation \[@nope\]"),
        ("    table: {columns: [A], rows: [[a]], source: '[@nope]'}\n", r"sections\[0\]\.table\.source: citation \[@nope\]"),
        ("    chart: {type: bar, title: 'T [@nope]', categories: ['[@x]'], series: [{name: '[@y]', values: [1]}], unit: u, source: '[@z]'}\n",
         r"sections\[0\]\.chart\.title: citation \[@nope\]"),
        ("    figure: {path: f.png, alt: 'x [@nope]', caption: 'c [@nope2]'}\n", r"sections\[0\]\.figure\.caption: citation \[@nope2\]"),
        ("    quote: {text: q, attribution: '[@nope]'}\n", r"sections\[0\]\.quote\.attribution: citation \[@nope\]"),
    ],
)
def test_unknown_citations_anywhere_are_located_errors(capsys, proj, part, line):
    Image.new("RGB", (4, 4)).save(proj / "f.png")
    text = GOOD + part + "sources:\n  - {id: real, title: 'Real source [@gone]', publisher: '[@gone2]'}\n"
    err = refused(capsys, proj, write(proj, text), lines=[line, r"sources\[0\]\.title: citation \[@gone\]", r"sources\[0\]\.publisher: citation \[@gone2\]"])
    if "chart" in part:
        for field in ("categories\\[0\\]", "series\\[0\\]\\.name", "source"):
            assert re.search(rf"sections\[0\]\.chart\.{field}: citation", err), err


# --- item 13: long words print, errors point at the outline ------------------------------------------


@pytest.mark.skipif(not have("pdftotext"), reason="needs pdftotext")
def test_a_2000_character_word_in_titles_builds_a_report_that_stays_on_the_page(capsys, proj):
    word = "W" * 2000
    text = f"title: {word}\nsubtitle: {word}\nauthor: {word}\nsections:\n  - title: {word}\n    body: Text.\n    subsections:\n      - title: {word}\n        body: More.\nsources:\n  - {{title: {word}, url: 'https://example.org'}}\n"
    built(capsys, write(proj, text), "-f", "pdf")  # the deck refuses such titles (the test above)
    pdf = str(proj / "build" / "outline.pdf")
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert len(pages) >= 5
    for w, h, body in pages:  # every word inside its page
        for x0, y0, x1, y1 in re.findall(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">', body):
            assert 0 <= float(x0) and float(x1) <= float(w) and 0 <= float(y0) and float(y1) <= float(h), (x0, x1, w)


# --- item 14: theme values in range --------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, line",
    [
        ("  body: 10.5", "  body: 0", r"theme\.yaml:\d+:\d+: sizes\.body: expected a number ≥ 4, got"),
        ("  body: 10.5", "  body: -3", r"sizes\.body: expected a number ≥ 4"),
        ("  body: 10.5", "  body: 1e308", r"sizes\.body: expected a number ≤ 24"),
        ("  body: 10.5", "  body: .nan", r"sizes\.body: "),
        ("  leading: 1.4", "  leading: 0", r"sizes\.leading: expected a number ≥ 1"),
        ("  deck_body_min: 16", "  deck_body_min: 40", r"sizes: deck_body_min \(40pt\) is above deck_body \(24pt\)"),
        ("  table_min: 6.5", "  table_min: 9", r"sizes: table_min \(9pt\) is above table \(8\.5pt\)"),
        ("margins: {top: 25mm,", "margins: {top: -5mm,", r"page\.margins\.top: expected a number ≥ 0"),
        ("margins: {top: 25mm,", "margins: {top: 800pt,", r"page\.margins\.top: expected a number ≤ 288"),
        ("left: 22mm, right: 22mm}", "left: 4in, right: 3.5in}", r"page: the margins leave \d+ x \d+ pt of a A4 page for text; expected at least 288 pt each way"),
    ],
)
def test_theme_values_out_of_range_are_located(capsys, proj, old, new, line):
    folder = pack(proj)
    theme = (folder / "theme.yaml").read_text()
    assert old in theme
    (folder / "theme.yaml").write_text(theme.replace(old, new, 1))
    refused_with_pack(capsys, proj, [line])


def test_a_theme_linked_outside_its_pack_is_not_read(capsys, proj):
    folder = pack(proj)
    secret = proj / "secret.txt"
    secret.write_text("SECRET-TOKEN-123 do not print\n")
    (folder / "theme.yaml").unlink()
    os.symlink(secret, folder / "theme.yaml")
    name = write(proj, GOOD)
    code = main(["build", name, "-t", "mine", "--templates", str(proj / "templates"), "--out", "build", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 2
    assert "SECRET" not in out + err
    assert re.search(r"theme\.yaml: theme\.yaml is a link leading outside its pack folder", err), err


# --- item 15: smaller ----------------------------------------------------------------------------


def test_an_empty_report_or_deck_template_is_refused(capsys, proj):
    folder = pack(proj)
    (folder / "report.xml.j2").write_text("<report>{# nothing #}</report>\n")
    refused_with_pack(capsys, proj, [r"report\.xml\.j2: the template rendered an empty <report>"])
    shutil.copy(os.path.join(TEMPLATES, "briefing", "report.xml.j2"), folder / "report.xml.j2")
    (folder / "deck.xml.j2").write_text("<deck></deck>\n")
    refused_with_pack(capsys, proj, [r"deck\.xml\.j2: the template rendered a <deck> with no <slide>"])


def test_a_numbered_list_start_past_powerpoint_limits_is_refused(capsys, proj):
    folder = pack(proj)
    deck = (folder / "deck.xml.j2").read_text()
    (folder / "deck.xml.j2").write_text(deck.replace('<body><ol>{% for s in outline.sections %}', '<body><ol start="40000">{% for s in outline.sections %}', 1))
    refused_with_pack(capsys, proj, [r"deck\.xml\.j2: <ol start=40000> is out of range \(expected 0 to 32767\)"])


@pytest.mark.parametrize(
    "extra, line",
    [
        ("sources:\n" + "".join(f"  - {{title: s{i}}}\n" for i in range(5001)), r"outline\.yaml:\d+:\d+: sources: 5,001 sources is over the 5,000 one outline may hold"),
        ("".join(f"  - {{title: s{i}}}\n" for i in range(2000)), r"outline\.yaml:\d+:\d+: sections: 2,001 sections is over the 2,000"),
        ("    table: {columns: [" + ", ".join(f"c{i}" for i in range(51)) + "], rows: [[" + ", ".join("x" for _ in range(51)) + "]]}\n", r"sections\[0\]\.table\.columns: 51 columns in one table is over the 50"),
        ("    chart: {type: bar, title: C, categories: [" + ", ".join(f"k{i}" for i in range(201)) + "], series: [{name: s, values: [" + ", ".join("1" for _ in range(201)) + "]}]}\n", r"sections\[0\]\.chart\.categories: 201 categories in one chart is over the 200"),
    ],
)
def test_outline_part_counts_are_bounded(capsys, proj, extra, line):
    refused(capsys, proj, write(proj, GOOD + extra), lines=[line], seconds=30)


# --- charts: the embedded workbook holds text, never formulas or links ------------------------------


def test_chart_names_stay_text_in_the_embedded_workbook(capsys, proj):
    """A category or series name that looks like a formula or an address is text in the chart's workbook:
    no formula (a DDE call, =HYPERLINK) and no hyperlink relationship reaches a document others open."""
    cats = ["'=HYPERLINK(\"http://evil.example\",\"x\")'", "'https://evil.example'", "'external:c:\\x.xls'", "'+1+1'", "'@SUM(1)'"]
    text = GOOD + "    chart:\n      type: bar\n      title: C\n      categories: [" + ", ".join(cats) + "]\n      series:\n        - {name: '=cmd|\" /C calc\"!A0', values: [1, 2, 3, 4, 5]}\n"
    built(capsys, write(proj, text))
    with zipfile.ZipFile(proj / "build" / "outline.pptx") as deck:
        books = [deck.read(n) for n in deck.namelist() if n.endswith(".xlsx")]
    assert books
    for blob in books:
        with zipfile.ZipFile(io.BytesIO(blob)) as book:
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
            strings = book.read("xl/sharedStrings.xml").decode()
            assert "<f>" not in sheet and "<hyperlink" not in sheet
            assert not [n for n in book.namelist() if n.startswith("xl/worksheets/_rels/")]
            assert "=HYPERLINK(" in strings and "=cmd|" in strings and "external:c:" in strings


def test_citations_in_plain_chart_and_source_fields_print_as_numbers(capsys, proj):
    """Where a citation cannot be a link (chart title, labels, unit, source; a source's date), it prints as [n], never as [@id]."""
    from pypdf import PdfReader
    from pptx import Presentation

    text = GOOD + (
        "    chart: {type: bar, title: 'Arsenal [@a]', categories: ['x [@a]', y], series: [{name: 'S [@a]', values: [1, 2]}], unit: 'u [@a]', source: 'SIPRI [@a]'}\n"
        "sources:\n  - {id: a, title: A source, date: '2021 [@a]'}\n"
    )
    built(capsys, write(proj, text))
    pdf = " ".join(p.extract_text() for p in PdfReader(str(proj / "build" / "outline.pdf")).pages)
    assert "[@" not in pdf and "SIPRI [1]" in pdf and "Arsenal [1]" in pdf
    deck = Presentation(str(proj / "build" / "outline.pptx"))
    chart = next(sh.chart for s in deck.slides for sh in s.shapes if sh.has_chart)
    assert list(chart.plots[0].categories) == ["x [1]", "y"] and chart.plots[0].series[0].name == "S [1]"


# --- found by a red-team pass over the hardened build ----------------------------------------------


def test_a_template_rendering_empty_lists_builds(capsys, proj):
    """A pack looping over nothing renders <ul></ul>: an empty list is nothing, in both documents."""
    folder = pack(proj)
    report = (folder / "report.xml.j2").read_text()
    (folder / "report.xml.j2").write_text(report.replace('<toc title="Contents"/>', '<toc title="Contents"/><ul></ul><ol start="0"></ol><ul><li><p>a</p><ol></ol></li></ul>', 1))
    deck = (folder / "deck.xml.j2").read_text()
    (folder / "deck.xml.j2").write_text(deck.replace("<title>Agenda</title>", "<title>Agenda</title><notes><ul></ul></notes>", 1))
    code = main(["build", write(proj, GOOD), "-t", "mine", "--templates", str(proj / "templates"), "--out", "build", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 0, err


@pytest.mark.parametrize("body, number", [("99999999. item", "99,999,999"), ("- a\n      - 40000. deep", "40,000"), ("> 32768) quoted", "32,768")])
def test_a_numbered_list_past_32767_in_a_body_is_located_in_the_outline(capsys, proj, body, number):
    text = f"title: T\nsections:\n  - title: One\n    body: |\n      {body}\n"
    refused(capsys, proj, write(proj, text), lines=[rf"^outline\.yaml:4:11: sections\[0\]\.body: a numbered list starts at {number}; numbered lists start at 0 to 32,767"])


def test_a_long_theme_footer_does_not_slow_the_report(capsys, proj):
    """The footer (and the running header) are cut to fit with a binary search, not a character at a time."""
    import time

    folder = pack(proj)
    theme = (folder / "theme.yaml").read_text()
    (folder / "theme.yaml").write_text(theme.replace("footer: Prepared with reportgen", "footer: '" + "word " * 20000 + "'"))
    start = time.perf_counter()
    code = main(["build", write(proj, GOOD), "-t", "mine", "--templates", str(proj / "templates"), "--out", "build", "--jobs", "1", "-f", "pdf"])
    assert code == 0, capsys.readouterr().err
    assert time.perf_counter() - start < 10


def test_a_theme_cannot_name_a_master_outside_its_pack(capsys, proj):
    folder = pack(proj)
    theme = (folder / "theme.yaml").read_text()
    (folder / "theme.yaml").write_text(theme.replace("  master: master.pptx", "  master: master.pptx\n  master_file: /etc/elsewhere.pptx", 1))
    refused_with_pack(capsys, proj, [r"theme\.yaml:\d+:\d+: deck\.master_file: is set with --master, not in theme\.yaml"])


def test_yaml_keys_with_line_breaks_or_controls_are_one_line_each(capsys, proj):
    refused(capsys, proj, write(proj, '"a\\nb": 1\n"\\x01": 2\n' + GOOD), lines=[r"^outline\.yaml:1:1: a key must be plain text on one line; this one holds U\+000A \('a\\nb'\)", r"^outline\.yaml:2:1: .*U\+0001"])


def test_non_ascii_link_targets_are_written_as_ascii(capsys, proj):
    """A PDF /URI holds ASCII only: hosts in punycode, the rest percent-encoded (as markdown-it does for Markdown links)."""
    from pypdf import PdfReader

    text = GOOD.replace("body: Some text.", "body: See [here](https://δοκιμή.gr/ü).") + "sources:\n  - {title: S, url: 'https://exämple.org/ü?q=ä'}\n"
    built(capsys, write(proj, text))
    uris = [a.get_object()["/A"]["/URI"] for page in PdfReader(str(proj / "build" / "outline.pdf")).pages for a in page.get("/Annots") or [] if "/A" in a.get_object()]
    assert "https://xn--exmple-cua.org/%C3%BC?q=%C3%A4" in uris and "https://xn--jxalpdlp.gr/%C3%BC" in uris
    assert all(u.isascii() for u in uris)
    with zipfile.ZipFile(proj / "build" / "outline.pptx") as z:
        rels = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".rels"))
    assert "https://xn--exmple-cua.org/%C3%BC?q=%C3%A4" in rels
    refused(capsys, proj, write(proj, GOOD + "sources:\n  - {title: S, url: 'https://x.org:99999/'}\n"), lines=[r"sources\[0\]\.url: https link 'https://x\.org:99999/' names port 99999 \(expected 1 to 65535\)"])


def test_invisible_format_characters_no_font_has_are_left_out_quietly(capsys, proj):
    """Bidi isolates and other format characters (Unicode Cf) draw nothing: no box, and no warning without a place."""
    text = "title: T\nsections:\n  - title: One\n    body: \"Isolated \\u2066text\\u2069 and \\u0600 sign \\u070F here.\"\n"
    err = built(capsys, write(proj, text))
    assert "warning" not in err, err


def test_every_type_size_at_its_maximum_builds_without_overlap(capsys, proj):
    """The theme's documented ranges are all safe together: the largest sizes on the narrowest frame still build."""
    folder = pack(proj)
    theme = (folder / "theme.yaml").read_text()
    top = {"body": 24, "leading": 2.5, "small": 12, "h1": 48, "h2": 48, "h3": 48, "cover_title": 72, "cover_subtitle": 48,
           "deck_title": 72, "deck_body": 72, "deck_body_min": 72, "deck_notes": 24, "table": 24, "table_min": 24}
    for key, value in top.items():
        theme = re.sub(rf"^  {key}: [\d.]+", f"  {key}: {value}", theme, flags=re.M)
    theme = theme.replace("left: 22mm, right: 22mm", "left: 52mm, right: 52mm")
    (folder / "theme.yaml").write_text(theme)
    shutil.copy(SUMMIT, proj / "summit.yaml")
    code = main(["build", "summit.yaml", "-t", "mine", "--templates", str(proj / "templates"), "--out", "build", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 0, err
