"""``reportgen convert`` (issue 15, part 4): an outline written in the other form loads into the same outline.

The promises: YAML → Markdown → load gives the YAML's outline (``==`` on the
models; ``canonical``: a Markdown body ends with one line break), Markdown →
YAML → load the Markdown's; converting again gives the same text; the
documents built from either form have the same pages, slides, text, tables
and charts; a field one form cannot hold as it is is a located error, never a
silent change; the command writes atomically, replaces nothing without
``--force`` and never writes through a link.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
import yaml

from reportgen import convert as conv
from reportgen.cli import main
from reportgen.convert import canonical, differences, read_back, to_markdown, to_yaml
from reportgen.errors import InputError
from reportgen.loader import Loaded, load
from reportgen.outline import Outline

from conftest import FIXTURES, SUMMIT, TEMPLATES

FEATURES = os.path.join(FIXTURES, "features", "features.yaml")
EVERYTHING = os.path.join(FIXTURES, "convert", "everything.yaml")  # every outline field, and text either form could misread
BRIEFING = os.path.join(FIXTURES, "markdown", "briefing.md")  # a Markdown outline with a BibTeX bibliography


def cli(capsys, *args):
    code = main(["convert", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def copy_folder(src_file: str, dest) -> str:
    """Copy the folder of ``src_file`` (its figures, bibliography) into ``dest``; return the copy of ``src_file``."""
    shutil.copytree(os.path.dirname(src_file), dest, dirs_exist_ok=True)
    return str(dest / os.path.basename(src_file))


def converted(path: str, to: str, tmp_path, name: str) -> str:
    """Write ``path`` (in a copy of its folder under ``tmp_path``) converted ``to`` a form, by the command; return the new file."""
    folder = tmp_path / name
    src = copy_folder(path, folder)
    out = str(folder / (os.path.splitext(os.path.basename(path))[0] + "-converted" + conv.FORMS[to]))
    assert main(["convert", src, "--to", to, "--out", out]) == 0
    return out


# --- round trips ---------------------------------------------------------------------


def test_the_summit_in_markdown_loads_into_the_yaml_outline_and_back_to_the_same_yaml(tmp_path):
    yaml_outline = load(SUMMIT).outline
    md = converted(SUMMIT, "md", tmp_path, "a")
    assert load(md).warnings == []
    assert load(md).outline == yaml_outline  # every field, exactly
    first = to_yaml(yaml_outline)
    back = converted(md, "yaml", tmp_path, "b")
    with open(back, encoding="utf-8") as fh:
        assert fh.read() == first  # Markdown → YAML gives the YAML a direct conversion gives
    again = converted(converted(back, "md", tmp_path, "c"), "yaml", tmp_path, "d")
    with open(again, encoding="utf-8") as fh:
        assert fh.read() == first  # idempotent


@pytest.mark.parametrize("path", [FEATURES, EVERYTHING, SUMMIT, os.path.join(FIXTURES, "minimal.yaml")])
def test_yaml_outlines_round_trip_both_ways(tmp_path, path):
    original = load(path).outline
    md = converted(path, "md", tmp_path, "md")
    from_md = load(md).outline
    assert from_md == canonical(original)
    yml = converted(md, "yaml", tmp_path, "yaml")
    assert load(yml).outline == from_md
    assert to_yaml(load(converted(yml, "md", tmp_path, "md2")).outline) == to_yaml(from_md)


def test_the_everything_outline_uses_every_field():
    """The fixture stays what its name says: every field of every model holds something other than its default somewhere."""
    from reportgen import outline as om

    used: set[str] = set()

    def name(model: type) -> str:
        return "Part" if model in (om.Section, om.Subsection) else model.__name__  # a field of sections or subsections

    def visit(model) -> None:
        for field, info in type(model).model_fields.items():
            value = getattr(model, field)
            if info.is_required() or value != info.get_default(call_default_factory=True):
                used.add(f"{name(type(model))}.{field}")
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, om.BaseModel):
                    visit(item)

    visit(load(EVERYTHING).outline)
    models = [om.Outline, om.Section, om.Subsection, om.TableSpec, om.TableSlides, om.ChartSpec, om.SeriesSpec, om.KeyFigure,
              om.FigureSpec, om.QuoteSpec, om.ClosingSpec, om.Source]
    every = {f"{name(m)}.{f}" for m in models for f in m.model_fields}
    assert every - used == set()


def test_a_markdown_outline_with_a_bibliography_goes_to_yaml_and_back(tmp_path):
    md_outline = load(BRIEFING).outline
    yml = converted(BRIEFING, "yaml", tmp_path, "a")
    with open(yml, encoding="utf-8") as fh:
        text = fh.read()
    assert "bibliography" not in text and "muller2020" in text  # the cited BibTeX entries inlined as sources
    assert [s.id for s in load(yml).outline.sources] == ["state-newstart", "sipri2021", "muller2020"]  # never-cited is not
    assert load(yml).outline == md_outline
    md = converted(yml, "md", tmp_path, "b")
    assert load(md).outline == md_outline
    assert load(md).warnings == []


def test_sources_become_csl_references_with_their_dates_as_written():
    outline = load(EVERYTHING).outline
    front = yaml.safe_load(to_markdown(outline).split("---\n")[1])
    refs = {r["id"]: r for r in front["references"]}
    assert refs["state-newstart"]["issued"] == "2021-02-03" or str(refs["state-newstart"]["issued"]) == "2021-02-03"
    assert refs["state-newstart"]["URL"] == "https://www.state.gov/new-start/" and str(refs["state-newstart"]["accessed"]) == "2024-08-03"
    assert refs["sipri2021"]["issued"] == {"literal": "June 2021"}
    assert refs["never-cited"]["issued"] == {"literal": " 2019 "}  # not trimmed: a literal date is kept as written
    assert front["nocite"] == "@*"  # a source never cited stays a source


def test_sources_without_ids_stay_reportgen_sources_in_the_front_matter():
    outline = Outline.model_validate({"title": "T", "sections": [{"title": "S"}], "sources": [{"title": "Untitled note"}, {"id": "a", "title": "A"}]})
    text = to_markdown(outline)
    assert "\nsources:\n" in text and "references" not in text
    _src, back = read_back(text, "md", "o.md")
    assert back == outline


# --- the documents ------------------------------------------------------------------------


def pdf_pages(path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages]


def deck_slides(path) -> list[dict]:
    from pptx import Presentation

    slides = []
    for slide in Presentation(str(path)).slides:
        shown = {"layout": slide.slide_layout.name, "text": [], "tables": [], "charts": [], "pictures": 0}
        for shape in slide.shapes:
            if shape.has_text_frame:
                shown["text"].append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                shown["tables"].append([[c.text for c in row.cells] for row in shape.table.rows])
            if getattr(shape, "has_chart", False) and shape.has_chart:
                plot = shape.chart.plots[0]
                shown["charts"].append((str(shape.chart.chart_type), list(plot.categories), [(s.name, list(s.values)) for s in plot.series]))
            if shape.shape_type == 13:  # a picture
                shown["pictures"] += 1
        shown["notes"] = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append(shown)
    return slides


@pytest.mark.parametrize("path", [SUMMIT, EVERYTHING])
def test_the_converted_markdown_builds_the_same_documents(tmp_path, path, summit_build):
    from reportgen.build import Options, build

    if path == SUMMIT:
        yaml_build = summit_build
    else:
        yaml_build = tmp_path / "yaml-build"
        build([path], Options(out_dir=str(yaml_build), templates_dir=TEMPLATES))
    stem = os.path.splitext(os.path.basename(path))[0]
    md = converted(path, "md", tmp_path, "src")
    renamed = os.path.join(os.path.dirname(md), stem + ".md")
    os.rename(md, renamed)
    os.unlink(os.path.join(os.path.dirname(md), os.path.basename(path)))
    build([renamed], Options(out_dir=str(tmp_path / "md-build"), templates_dir=TEMPLATES))
    yaml_pages, md_pages = pdf_pages(yaml_build / f"{stem}.pdf"), pdf_pages(tmp_path / "md-build" / f"{stem}.pdf")
    assert len(md_pages) == len(yaml_pages)
    assert md_pages == yaml_pages
    yaml_slides, md_slides = deck_slides(yaml_build / f"{stem}.pptx"), deck_slides(tmp_path / "md-build" / f"{stem}.pptx")
    assert len(md_slides) == len(yaml_slides)
    assert md_slides == yaml_slides
    assert any(s["tables"] for s in yaml_slides) and any(s["charts"] for s in yaml_slides)


# --- YAML text ------------------------------------------------------------------------------

TRICKY = ["no", "yes", "on", "1.10", "1e3", "0x1F", ".inf", "null", "~", "", "2021-06-16", ": x", "a: b", "a #b", "# x", "- x", "@x",
          "`x`", "{a}", "[a]", "*a", "&a", "!a", "%a", "|", ">", "?", "=", "'single'", 'say "hi"', " lead", "trail ", "tab\there",
          "two\nlines", "ends\n", "\u2028", "✓ 😀", "a, b", "C#", "x\\y"]


def test_yaml_quotes_text_only_where_yaml_needs_it_and_every_reader_takes_it_as_text():
    outline = Outline.model_validate({"title": "T", "keywords": TRICKY, "sections": [{"title": "S", "table": {"columns": TRICKY, "rows": [TRICKY]}}]})
    text = to_yaml(outline)
    _src, back = read_back(text, "yaml", "o.yaml")
    assert back == outline  # reportgen's reader
    plain = yaml.safe_load(text)  # and YAML 1.1's resolver: no "no" as false, no "1.10" as 1.1
    assert plain["keywords"] == TRICKY and plain["sections"][0]["table"]["columns"] == TRICKY
    assert "\n  - no\n" not in text and '\n  - "no"\n' in text
    assert "title: T\n" in text and "\n  - C#\n" in text  # plain where plain is safe


def test_prose_is_a_literal_block_and_long_text_is_folded():
    body = "First paragraph,\nsecond line.\n\nSecond paragraph.\n"
    long = "word " * 40 + "end."
    outline = Outline.model_validate({"title": "T", "bottom_line": long, "sections": [{"title": "S", "body": body}]})
    text = to_yaml(outline)
    assert "    body: |\n      First paragraph,\n      second line.\n\n      Second paragraph.\n" in text
    assert "bottom_line: >-\n  word word" in text and all(len(line) <= conv.WIDTH for line in text.splitlines())
    assert read_back(text, "yaml", "o.yaml")[1] == outline


# --- the Markdown writer's choices ------------------------------------------------------------


def part_markdown(**fields) -> str:
    outline = Outline.model_validate({"title": "T", "sections": [{"title": "S", **fields}]})
    text = to_markdown(outline)
    assert read_back(text, "md", "o.md")[1] == canonical(outline)
    return text.split("# S", 1)[1]


def test_a_body_stands_in_a_body_div_only_when_it_must():
    assert "::: body" not in part_markdown(body="Plain text.\n\n1. A numbered list.\n")
    for body in ("- a bullet list\n", "> a quotation\n", "| a |\n|---|\n| 1 |\n", "### A deeper heading\n", "```\ncode\n```\n", "Two\n\n\nblank lines.\n"):
        assert "::: body" in part_markdown(body=body), body


def test_a_table_with_a_pipe_in_a_cell_is_a_grid_table():
    text = part_markdown(table={"columns": ["a", "b"], "rows": [["x | y", "1"]]})
    assert "+=====" in text or "+:====" in text or "+===" in text


def test_headings_keep_their_own_trailing_braces_and_hashes():
    for title in ("C#", "Issue #", "A {b}", "A {b} {c}"):
        outline = Outline.model_validate({"title": "T", "sections": [{"title": title}]})
        assert read_back(to_markdown(outline), "md", "o.md")[1].sections[0].title == title


# --- what cannot be written as it is: a located error, nothing written --------------------


@pytest.mark.parametrize(
    "yaml_text, message",
    [
        ("title: T\nsections:\n  - title: S\n    points:\n      - |\n        two\n        lines\n", r"o\.yaml:5:9: sections\[0\]\.points\[0\]: cannot be written in Markdown as it is: it would read back as text 'two lines"),
        ("title: T\nsections:\n  - title: S\n    points: ['# a heading']\n", r"o\.yaml:4:13: sections\[0\]\.points: cannot be written in Markdown as it is: it would read back as 0 items instead of 1"),
        ("title: T\nsections:\n  - title: ' padded '\n", r"o\.yaml:3:12: sections\[0\]\.title: cannot be written in Markdown as it is: it would read back as text 'padded'"),
    ],
)
def test_a_field_markdown_cannot_hold_is_a_located_error(capsys, tmp_path, yaml_text, message):
    (tmp_path / "o.yaml").write_text(yaml_text, encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    code, out, err = cli(capsys, str(tmp_path / "o.yaml"))
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and re.search(message, lines[0]), err
    assert sorted(os.listdir(tmp_path)) == before  # nothing written, no temp file left


def test_a_writer_that_drops_a_field_is_caught_not_written(monkeypatch, tmp_path):
    """The read-back check: a writer that lost a field (here the key figures) makes convert refuse, naming it."""
    loaded = load(EVERYTHING)
    real = conv._part_blocks

    def lossy(part, level, body_div):
        return real(part.model_copy(update={"key_figures": []}), level, body_div)

    monkeypatch.setattr(conv, "_part_blocks", lossy)
    with pytest.raises(InputError) as info:
        conv.convert(loaded, "md", "-")
    assert [p.path for p in info.value.problems] == ["sections[0].key_figures"]
    assert info.value.problems[0].line > 0


# --- the command ------------------------------------------------------------------------------


@pytest.fixture
def proj(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    shutil.copy(EVERYTHING, tmp_path / "inputs" / "everything.yaml")
    shutil.copy(os.path.join(FIXTURES, "convert", "venue.png"), tmp_path / "inputs" / "venue.png")
    return tmp_path


def test_the_default_output_is_beside_the_input_and_is_never_replaced_without_force(capsys, proj):
    code, out, err = cli(capsys, "inputs/everything.yaml")
    assert code == 0, err
    assert out.splitlines()[0] == "wrote inputs/everything.md"
    assert "would both build everything.pdf" in out  # both forms side by side in inputs/ would clash
    assert load("inputs/everything.md").outline == canonical(load("inputs/everything.yaml").outline)
    (proj / "inputs" / "everything.md").write_text("mine", encoding="utf-8")
    code, out, err = cli(capsys, "inputs/everything.yaml")
    assert code == 2 and err.strip() == "inputs/everything.md: already exists; convert replaces no file unless --force"
    assert (proj / "inputs" / "everything.md").read_text() == "mine"
    code, out, err = cli(capsys, "inputs/everything.yaml", "--force")
    assert code == 0 and (proj / "inputs" / "everything.md").read_text().startswith("---\n")
    assert sorted(os.listdir(proj / "inputs")) == ["everything.md", "everything.yaml", "venue.png"]  # no temp file left


def test_a_link_is_never_written_through(capsys, proj):
    secret = proj / "secret.md"
    secret.write_text("keep", encoding="utf-8")
    (proj / "inputs" / "link.md").symlink_to(secret)
    for extra in ([], ["--force"]):
        code, out, err = cli(capsys, "inputs/everything.yaml", "--out", "inputs/link.md", *extra)
        assert code == 2 and err.startswith("inputs/link.md: is a symbolic link"), err
    assert secret.read_text() == "keep" and os.path.islink(proj / "inputs" / "link.md")


def test_standard_output_a_folder_and_the_form_from_the_extension(capsys, proj):
    code, out, err = cli(capsys, "inputs/everything.yaml", "--out", "-")
    assert code == 0 and out.startswith("---\ntitle:") and err == ""
    code, out, err = cli(capsys, "inputs/everything.yaml", "--to", "yaml", "--out", "-")
    assert code == 0 and out.startswith("title:")
    code, out, err = cli(capsys, "inputs/everything.yaml", "--out", ".")  # a folder: the input's name in it
    assert code == 0 and out.splitlines()[0] == f"wrote {os.path.join('.', 'everything.md')}"
    code, out, err = cli(capsys, "inputs/everything.yaml", "--out", "inputs/again.markdown")
    assert code == 0 and out.startswith("wrote inputs/again.markdown")
    (proj / "math.md").write_text("---\ntitle: T\n---\n\n# One\n\nMath $x^2$ here.\n", encoding="utf-8")
    code, out, err = cli(capsys, "math.md", "--out", "-", "--log-format", "github")
    assert code == 0 and yaml.safe_load(out)["sections"][0]["body"] == "Math $x^2$ here.\n"  # the outline alone on standard output
    assert err.startswith("::warning file=math.md,line=7,col=6,title=md-unsupported::")
    code, out, err = cli(capsys, "inputs/everything.yaml", "--out", "x.txt")
    assert code == 2 and "--out: name the file .md" in err
    code, out, err = cli(capsys, "inputs/everything.yaml", "--out", "x.yaml", "--to", "md")
    assert code == 2 and "--out names a YAML file but --to asks for Markdown" in err


def test_figure_paths_follow_the_new_file_and_never_leave_its_folder(capsys, proj):
    code, out, err = cli(capsys, "inputs/everything.yaml", "--out", "everything.md")
    assert code == 0, err
    outline = load("everything.md").outline
    figure = outline.sections[0].subsections[1].figure
    assert figure.path == "inputs/venue.png"
    original = load("inputs/everything.yaml").outline
    assert original.sections[0].subsections[1].figure == figure.model_copy(update={"path": "venue.png"})
    assert differences(canonical(original), outline) == [(("sections", 0, "subsections", 1, "figure", "path"), "inputs/venue.png")]
    (proj / "elsewhere").mkdir()
    code, out, err = cli(capsys, "inputs/everything.yaml", "--out", "elsewhere/everything.md")
    assert code == 2
    line = err.strip()
    assert re.match(r"^inputs/everything\.yaml:\d+:\d+: sections\[0\]\.subsections\[1\]\.figure\.path: figure 'venue\.png' would be outside the new file's folder \(elsewhere\), where it cannot be read; write the new file in inputs or a folder above it, or move the figure$", line), line
    assert os.listdir(proj / "elsewhere") == []


def test_bad_input_is_one_located_line_per_problem_in_every_log_format(capsys, proj):
    (proj / "bad.yaml").write_text("title: x\ntitel: y\nsections: []\n", encoding="utf-8")
    code, out, err = cli(capsys, "bad.yaml")
    assert code == 2 and err.splitlines()[0].startswith("bad.yaml:2:1: titel: unknown field") and not (proj / "bad.md").exists()
    code, out, err = cli(capsys, "bad.yaml", "--log-format", "github")
    assert code == 2 and out.startswith("::error file=bad.yaml,line=2,col=1")
    code, out, err = cli(capsys, "missing.yaml")
    assert code == 2 and err.strip() == "missing.yaml: no such file"


def test_help_names_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["convert", "--help"])
    out = capsys.readouterr().out
    assert "--to {md,yaml}" in out and "--out" in out and "--force" in out and "--log-format" in out


# --- properties ------------------------------------------------------------------------------

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PROPERTY = settings(max_examples=40, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.generate])  # no shrinking: a failure shows its whole outline, in bounded time
SAFE = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.;:'\"()&%?!/–—’-]{0,24}[A-Za-z0-9.)?!]", fullmatch=True)  # prose, nothing Markdown reads
ANY = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n", exclude_characters="\ufffe\uffff"), max_size=16)


@st.composite
def outlines(draw, text):
    def part(sub: bool):
        p: dict = {"title": draw(text)}
        if draw(st.booleans()):
            p["points"] = draw(st.lists(text, max_size=3))
        if draw(st.booleans()):
            p["body"] = "\n\n".join(draw(st.lists(text, min_size=1, max_size=2))) + "\n"
        if draw(st.booleans()):
            n = draw(st.integers(1, 3))
            p["table"] = {"caption": draw(text), "columns": draw(st.lists(text, min_size=n, max_size=n)),
                          "rows": draw(st.lists(st.lists(text, min_size=n, max_size=n), min_size=1, max_size=2))}
            if draw(st.booleans()):
                p["table"]["align"] = draw(st.lists(st.sampled_from(["left", "right", "center"]), min_size=n, max_size=n))
        if draw(st.booleans()):
            p["quote"] = {"text": draw(text), "attribution": draw(text)}
        if draw(st.booleans()):
            p["key_figures"] = [{"value": draw(text)[:24], "label": draw(text)}]
        if draw(st.booleans()):
            p["chart"] = {"type": "bar", "title": draw(text), "categories": [draw(text)],
                          "series": [{"name": draw(text), "values": [draw(st.floats(-1e6, 1e6, allow_nan=False))]}]}
        if draw(st.booleans()):
            p["notes"] = draw(text) + "\n"
        if not sub and draw(st.booleans()):
            p["subsections"] = [part(True) for _ in range(draw(st.integers(1, 2)))]
        return p

    return Outline.model_validate({"title": draw(text), "subtitle": draw(text), "keywords": draw(st.lists(text, max_size=2)),
                                   "summary": draw(st.lists(text, max_size=2)), "sections": [part(False) for _ in range(draw(st.integers(1, 2)))]})


def loaded_of(outline: Outline) -> Loaded:
    text = to_yaml(outline)
    src, back = read_back(text, "yaml", "o.yaml")
    return Loaded(back, src, "o.yaml", "o")


@PROPERTY
@given(outlines(SAFE))
def test_random_prose_outlines_round_trip_exactly_both_ways(outline):
    assert read_back(to_yaml(outline), "yaml", "o.yaml")[1] == outline
    md_back = read_back(to_markdown(outline), "md", "o.md")[1]
    assert md_back == canonical(outline)
    assert read_back(to_markdown(md_back), "md", "o.md")[1] == md_back


@PROPERTY
@given(outlines(ANY))
def test_any_text_reads_back_from_yaml_and_markdown_never_changes_silently(outline):
    loaded = loaded_of(outline)
    assert loaded.outline == outline  # YAML holds any text
    try:
        done = conv.convert(loaded, "md", "-")
    except InputError as exc:  # a field Markdown cannot hold as it is: named and placed, never dropped
        assert exc.problems and all(p.path and p.line > 0 for p in exc.problems), str(exc)
    else:
        assert read_back(done.text, "md", "o.md")[1] == canonical(outline)
    assert differences(outline, outline) == []
