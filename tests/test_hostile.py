"""Hostile and broken input (issue 6): a clear located error for every bad input, nothing lost, nothing leaked.

Every case runs the real command line in-process (``reportgen.cli.main``)
through one helper, ``refused``, which asserts the exit code, the message
lines (``file:line:col: …``), that no traceback is printed, and that the
build folder — seeded with "previous good" outputs — holds no new or changed
file afterwards. Text fixtures live in ``tests/fixtures/hostile/``; binary or
huge ones are made at test time.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib

import pytest

from reportgen.cli import main

from conftest import run_cli, FIXTURES, TEMPLATES

HOSTILE = os.path.join(FIXTURES, "hostile")
GOOD = "title: A brief\nsections:\n  - title: One\n    body: Some text.\n"
LOCATED = re.compile(r"^(?:\S[^:]*)(?::\d+:\d+)?: \S")  # "file:line:col: message" or "path: message"


# --- the helper ---------------------------------------------------------------


def snapshot(folder) -> dict[str, str]:
    """Return relative name → sha256 of every file under ``folder`` (links: their target)."""
    out = {}
    for dirpath, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                out[rel] = "link:" + os.readlink(path)
            else:
                with open(path, "rb") as fh:
                    out[rel] = hashlib.sha256(fh.read()).hexdigest()
    return out


@pytest.fixture
def proj(tmp_path, monkeypatch):
    """A project folder (the working directory) whose build/ holds previous good outputs."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "outline.pdf").write_bytes(b"%PDF previous good report")
    (tmp_path / "build" / "outline.pptx").write_bytes(b"PK previous good deck")
    (tmp_path / "build" / "reportgen-manifest.json").write_text('{"format": 1, "outputs": {}}\n')
    return tmp_path


def cli(capsys, *args, command="build"):
    return run_cli(capsys, *args, command=command)


def refused(capsys, proj, *args, lines: list[str], code: int = 2, command: str = "build", seconds: float = 20) -> str:
    """Run the CLI; assert ``code``, a located error line matching each regex in ``lines``, no traceback, build/ unchanged."""
    before = snapshot(proj / "build")
    start = time.perf_counter()
    got, out, err = cli(capsys, *args, command=command)
    elapsed = time.perf_counter() - start
    assert got == code, f"exit {got}, expected {code}:\n{out}\n{err}"
    errors = [line for line in err.splitlines() if line.strip() and ": warning: " not in line and not line.startswith("warning: ")]
    assert errors, "no error message"
    for line in errors:
        assert LOCATED.match(line), f"not a located one-line message: {line!r}"
    for pattern in lines:
        assert any(re.search(pattern, line) for line in errors), f"no line matches {pattern!r} in:\n{err}"
    assert snapshot(proj / "build") == before, "build/ changed"
    assert elapsed < seconds, f"took {elapsed:.1f}s"
    return err


def fixture(proj, name: str, as_name: str = "outline.yaml") -> str:
    shutil.copy(os.path.join(HOSTILE, name), proj / as_name)
    return as_name


def write(proj, text: str | bytes, name: str = "outline.yaml") -> str:
    path = proj / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return name


def with_figure(rel: str) -> str:
    return GOOD + f"    figure: {{path: {rel!r}, alt: A picture}}\n"


# --- YAML ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, lines",
    [
        ("syntax-error.yaml", [r"^outline\.yaml:4:9: YAML syntax error: while parsing a flow sequence"]),
        ("empty.yaml", [r"^outline\.yaml:1:1: the file is empty"]),
        ("python-tag.yaml", [r"^outline\.yaml:1:8: title: unsupported tag !!python/object/apply:os\.system"]),
        ("unsafe-tags.yaml", [r"^outline\.yaml:1:8: title: unsupported tag !secret", r"^outline\.yaml:3:5: sections\[0\]: unsupported tag !!set"]),
        ("alias-bomb.yaml", [r"^outline\.yaml:\d+:\d+: .*expands to over 1,000,000 values through aliases"]),
        ("duplicate-keys.yaml", [r"^outline\.yaml:4:5: sections\[0\]: duplicate key 'title' \(first at line 3\)"]),
        ("date-not-a-date.yaml", [r"^outline\.yaml:2:7: date: expected a date as YYYY-MM-DD, got text 'no'"]),
        ("unknown-key.yaml", [r"^outline\.yaml:4:5: sections\[0\]\.bodey: unknown field 'bodey' \(did you mean 'body'\?\)"]),
        ("wrong-types.yaml", [r"^outline\.yaml:3:12: sections\[0\]\.title: expected text, got a mapping", r"^outline\.yaml:4:13: sections\[0\]\.points: expected a list"]),
        (
            "missing-required.yaml",
            [r"^outline\.yaml:1:1: title: required field is missing", r"^outline\.yaml:3:5: sections\[0\]\.title: required", r"^outline\.yaml:4:13: sections\[0\]\.figure\.alt: required"],
        ),
        (
            "ragged-table.yaml",
            [r"^outline\.yaml:6:24: sections\[0\]\.table\.rows\[1\]: row has 1 cells, expected 2", r"^outline\.yaml:6:29: .*rows\[2\]: row has 3 cells", r"^outline\.yaml:7:14: .*align has 1 entries"],
        ),
        (
            "chart-series-length.yaml",
            [r"^outline\.yaml:9:33: sections\[0\]\.chart\.series\[0\]\.values: series 'short' has 2 values, expected 3", r"^outline\.yaml:10:32: .*series 'long' has 4 values"],
        ),
        (
            "chart-series-values.yaml",
            [r"^outline\.yaml:9:37: .*values\[1\]: expected a number, got text 'two'", r"^outline\.yaml:10:35: .*values\[1\]: expected a finite number, got text '1e999'"],
        ),
    ],
)
def test_bad_yaml_is_one_located_line_each(capsys, proj, name, lines):
    refused(capsys, proj, fixture(proj, name), lines=lines, seconds=5)


def test_not_utf8(capsys, proj):
    name = write(proj, b"title: A brief\nsubtitle: caf\xe9 cr\xe8me\nsections: [{title: s}]\n")
    refused(capsys, proj, name, lines=[r"^outline\.yaml:2:14: not UTF-8 text \(byte 0xe9\)"])


def test_very_deep_nesting_is_refused_quickly(capsys, proj):
    # 100,000 open brackets would crash libyaml's (recursive, C) composer: refused by a streaming scan first
    name = write(proj, "title: " + "[" * 100_000 + "]" * 100_000 + "\nsections: [{title: s}]\n")
    refused(capsys, proj, name, lines=[r"^outline\.yaml:1:\d+: nesting deeper than 64 levels"], seconds=3)
    name = write(proj, "title: t\nsections:\n" + "".join("  " * i + "- \n" for i in range(1, 200)))
    refused(capsys, proj, name, lines=[r"^outline\.yaml:\d+:\d+: .*nesting deeper than 64 levels"], seconds=3)


def test_alias_bomb_is_bounded_in_time_and_memory(capsys, proj):
    import tracemalloc

    tracemalloc.start()
    try:
        refused(capsys, proj, fixture(proj, "alias-bomb.yaml"), lines=[r"through aliases"], seconds=3)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024


def test_yaml_11_words_stay_text_as_typed(capsys, proj):
    from reportgen.loader import load

    name = fixture(proj, "yaml11-coercions.yaml")
    o = load(name).outline
    assert (o.title, o.subtitle, o.author, o.classification) == ("no", "1.10", "on", "2021-06-16")
    assert o.keywords == ["yes", "off", "0o17", "1e3", ".inf", "null_word"]
    assert o.sections[0].title == "2021-06-16" and o.sections[0].points == ["no", "1_000", "0x1F", "12:30:00"]
    assert o.sources[0].date == "2021-06-16"
    code, _, err = cli(capsys, name, command="validate")
    assert code == 0, err


@pytest.mark.parametrize(
    "text, line",
    [
        ('title: "bell \\a here"', r"1:8: title: character U\+0007 is not allowed in text"),
        ('title: "not a character \\uFFFE"', r"1:8: title: character U\+FFFE is not allowed"),
        ('title: "nor this \\uFFFF"', r"1:8: title: character U\+FFFF is not allowed"),
        ('title: "escape \\x1b[31m red"', r"1:8: title: character U\+001B is not allowed"),
        ('title: "lone surrogate \\uD800"', r"1:26: YAML syntax error: .*invalid Unicode character escape code"),
        ("title: \"raw \x01 control\"", r"1:13: character U\+0001 is not allowed in YAML"),
    ],
)
def test_control_characters_and_non_characters_are_refused(capsys, proj, text, line):
    name = write(proj, text + "\nsections: [{title: s}]\n")
    refused(capsys, proj, name, lines=[r"^outline\.yaml:" + line])


# --- text ---------------------------------------------------------------------


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def deck_text(path) -> str:
    from pptx import Presentation

    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def built_ok(capsys, proj, name, *args):
    code, out, err = cli(capsys, name, *args)
    assert code == 0, err
    return err


def test_markup_characters_print_exactly_as_written(capsys, proj):
    title = 'Less < more & <b>bold? </i> <img src="/etc/passwd"> <font color=red size=40>big</font>'
    point = "A & B > C <br/> <para> & lt stays"
    body = "x <b>unclosed <a href='javascript:alert(1)'>link</a> & <unknown/> >"
    text = f"title: {title!r}\nsections:\n  - title: {title!r}\n    points: [{point!r}]\n    body: {body!r}\n"
    built_ok(capsys, proj, write(proj, text))
    fold = str.maketrans("“”‘’", "\"\"''")  # (straight quotes typed print as typographic ones: the one change)
    for extracted in (squeeze(pdf_text(proj / "build" / "outline.pdf")), squeeze(deck_text(proj / "build" / "outline.pptx"))):
        assert "“/etc/passwd”" in extracted and "‘javascript:alert(1)’" in extracted
        for s in (title, point, body):
            assert squeeze(s) in extracted.translate(fold)


def test_right_to_left_and_combining_text_build(capsys, proj):
    rtl = "שלום עולם"
    arabic = "مرحبا"
    combining = "e\u0301te\u0301 n\u0303 a\u0308\u0304"
    text = f"title: Mixed {rtl}\nsections:\n  - title: {arabic}\n    points: ['{combining}']\n    body: 'Before {rtl} after, {combining}.'\n"
    warnings = built_ok(capsys, proj, write(proj, text))
    assert "no font has a glyph" not in warnings
    deck = deck_text(proj / "build" / "outline.pptx")
    assert rtl in deck and arabic in deck and combining in deck
    pdf = squeeze(pdf_text(proj / "build" / "outline.pdf"))
    assert squeeze(combining) in pdf or squeeze(__import__("unicodedata").normalize("NFC", combining)) in pdf


def test_emoji_no_font_has_is_a_located_warning_and_strict_error(capsys, proj):
    name = write(proj, "title: A brief\nsections:\n  - title: Launch \U0001F680 day\n")
    warnings = built_ok(capsys, proj, name)
    assert re.search(r"^outline\.yaml:3:12: warning: sections\[0\]\.title: no font has a glyph for '\U0001F680' \(U\+1F680 ROCKET\)", warnings, re.M)
    shutil.rmtree(proj / "build")
    (proj / "build").mkdir()
    refused(capsys, proj, name, "--strict", lines=[r"^outline\.yaml:3:12: sections\[0\]\.title: no font has a glyph .*\(an error under --strict\)$"])


def test_a_10000_character_word_wraps_in_prose(capsys, proj):
    word = "W" * 10_000
    built_ok(capsys, proj, write(proj, f"title: A brief\nsections:\n  - title: Long\n    body: 'before {word} after'\n"))
    pdf = squeeze(pdf_text(proj / "build" / "outline.pdf"))
    assert pdf.count("W") == 10_000 and "before" + "W" * 100 in pdf and "W" * 100 + "after" in pdf  # broken across lines and pages
    assert word in deck_text(proj / "build" / "outline.pptx")


def test_a_long_run_of_spaces_before_links_builds_in_bounded_time(capsys, proj):
    """95,000 spaces before each of two links in a tagged PDF's paragraph (the body allows 200,000 characters):
    moving a link's point before them took time in their square (19,000: 12 s; 95,000: about 5 minutes)."""
    spaces = " " * 95_000
    name = write(proj, f"title: A brief\nsections:\n  - title: Spaces\n    body: 'x{spaces}y [a link](https://example.org) z{spaces}[another](https://example.org/2)'\n")
    start = time.perf_counter()
    built_ok(capsys, proj, name, "-f", "pdf")
    assert time.perf_counter() - start < 60
    assert "xyalinkzanother" in squeeze(pdf_text(proj / "build" / "outline.pdf"))


def test_a_10000_character_word_in_a_title_or_cell_is_refused(capsys, proj):
    word = "W" * 10_000
    text = f"title: A brief\nsections:\n  - title: {word}\n    table: {{columns: [a], rows: [[{word}]]}}\n"
    refused(
        capsys, proj, write(proj, text),
        lines=[r"^outline\.yaml:3:12: sections\[0\]\.title: text of 10,000 characters is over the 2,000 allowed", r"^outline\.yaml:4:35: sections\[0\]\.table\.rows\[0\]\[0\]: text of 10,000"],
    )


def test_a_5_mb_paragraph_is_refused_quickly(capsys, proj):
    para = ("lorem ipsum dolor sit amet " * 200_000)[:5_000_000]
    refused(capsys, proj, write(proj, f"title: A brief\nsections:\n  - title: Big\n    body: {para}\n"), lines=[r"^outline\.yaml:4:11: sections\[0\]\.body: text of 5,000,000 characters is over the 200,000"], seconds=10)


def test_a_file_over_the_size_limit_is_not_read(capsys, proj):
    from reportgen import yamlsrc

    with open(proj / "outline.yaml", "wb") as fh:
        fh.write(b"title: t\n# " + b"x" * (yamlsrc.MAX_BYTES + 10) + b"\n")
    refused(capsys, proj, "outline.yaml", lines=[r"^outline\.yaml: the file is over 8 MB"], seconds=5)


def many_sections(n: int) -> str:
    return "title: Many\nsections:\n" + "".join(f"  - title: Section {i}\n    body: Text of section {i}.\n" for i in range(n))


def test_2000_sections_build_in_bounded_time(capsys, proj):
    name = write(proj, many_sections(2000))
    start = time.perf_counter()
    built_ok(capsys, proj, name, "-f", "pdf")
    assert time.perf_counter() - start < 60
    assert "Section 1999" in pdf_text(proj / "build" / "outline.pdf")


def test_300_sections_deck_builds_in_bounded_time(capsys, proj):
    name = write(proj, many_sections(300))
    start = time.perf_counter()
    built_ok(capsys, proj, name, "-f", "pptx")
    assert time.perf_counter() - start < 30
    assert "Section 299" in deck_text(proj / "build" / "outline.pptx")


@pytest.mark.large
def test_2000_sections_deck_builds_in_bounded_time(capsys, proj):
    name = write(proj, many_sections(2000))
    start = time.perf_counter()
    built_ok(capsys, proj, name, "-f", "pptx")
    assert time.perf_counter() - start < 120
    assert "Section 1999" in deck_text(proj / "build" / "outline.pptx")


# --- files ----------------------------------------------------------------------


def png(width: int, height: int, body: bytes | None = None) -> bytes:
    """Return a PNG of ``width`` × ``height`` (8-bit grey); ``body`` replaces the compressed pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    if body is None:
        body = zlib.compress(b"".join(b"\0" + b"\x80" * width for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "rel, message",
    [
        ("../outside.png", r"figure path '\.\./outside\.png' leaves the outline's folder"),
        ("/etc/passwd", r"figure path must be relative to the outline's folder, got '/etc/passwd'"),
        ("/dev/zero", r"figure path must be relative"),
        ("https://example.org/x.png", r"figure paths are local files, got an address"),
        ("file:///etc/hosts", r"figure paths are local files, got an address"),
        ("missing.png", r"figure file 'missing\.png' not found"),
        ("notes.txt", r"figure 'notes\.txt' is not a PNG or JPEG file"),
    ],
)
def test_figure_paths(capsys, proj, rel, message):
    (proj.parent / "outside.png").write_bytes(png(4, 4))
    (proj / "notes.txt").write_text("hello")
    refused(capsys, proj, write(proj, with_figure(rel)), lines=[r"^outline\.yaml:5:\d+: sections\[0\]\.figure\.path: " + message])


def test_symlinks_out_of_the_folder_are_refused(capsys, proj):
    (proj.parent / "secret.png").write_bytes(png(4, 4))
    os.symlink(proj.parent / "secret.png", proj / "inside.png")
    os.symlink("/dev/zero", proj / "zero.png")
    text = with_figure("inside.png") + "  - title: Two\n    figure: {path: zero.png, alt: zeros}\n"
    refused(capsys, proj, write(proj, text), lines=[r"^outline\.yaml:5:\d+: .*figure path 'inside\.png' leaves the outline's folder", r"^outline\.yaml:7:\d+: .*figure path 'zero\.png' leaves"])


def test_a_fifo_named_like_an_image_is_not_read(capsys, proj):
    os.mkfifo(proj / "pipe.png")
    refused(capsys, proj, write(proj, with_figure("pipe.png")), lines=[r"^outline\.yaml:5:\d+: .*image 'pipe\.png' is not a regular file"], seconds=5)


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("garbage.png", b"this is not an image at all" * 10, r"image 'garbage\.png' is not a readable image"),
        ("empty.png", b"", r"image 'empty\.png' is empty"),
        ("truncated.png", png(64, 64)[:60], r"image 'truncated\.png' is (corrupt or truncated|not a readable image)"),
        ("badzlib.png", png(64, 64, body=b"\x78\x9c not zlib data at all"), r"image 'badzlib\.png' is corrupt or truncated"),
        ("gif.png", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", r"image 'gif\.png' is a GIF image; use PNG or JPEG"),
        ("png-named.jpg", png(4, 4), r"image 'png-named\.jpg' holds a PNG image but is named \.jpg"),
        ("bomb.png", png(60_000, 60_000, body=zlib.compress(b"\0" * 1024)), r"image 'bomb\.png' is too large to decode safely"),
        ("huge.png", png(9_000, 5_000, body=zlib.compress(b"\0" * 1024)), r"image 'huge\.png' is 9000 × 5000 pixels, over the limit"),
    ],
)
def test_bad_images_are_found_before_writing(capsys, proj, name, data, message):
    (proj / name).write_bytes(data)
    refused(capsys, proj, write(proj, with_figure(name)), lines=[r"^outline\.yaml:5:\d+: sections\[0\]\.figure\.path: " + message], seconds=5)


def test_an_outline_that_is_a_device_is_not_read(capsys, proj):
    refused(capsys, proj, "/dev/zero", lines=[r"^/dev/zero: the path is not a regular file"], seconds=5)


def pack(proj, name: str = "mine"):
    """Copy the briefing pack into proj/templates/``name``; return its folder."""
    folder = proj / "templates" / name
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), folder)
    return folder


def refused_with_pack(capsys, proj, lines, *args):
    name = write(proj, GOOD)
    before = snapshot(proj / "build")
    code = main(["build", name, "-t", "mine", "--templates", str(proj / "templates"), "--out", "build", "--jobs", "1", *args])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err, err
    for pattern in lines:
        assert re.search(pattern, err, re.M), err
    assert all(LOCATED.match(line) for line in err.splitlines()), err
    assert snapshot(proj / "build") == before


def edit_theme(folder, old: str, new: str) -> None:
    theme = (folder / "theme.yaml").read_text()
    assert old in theme
    (folder / "theme.yaml").write_text(theme.replace(old, new, 1))


def test_missing_and_broken_fonts(capsys, proj):
    folder = pack(proj)
    theme = (folder / "theme.yaml").read_text()
    regular = re.search(r"regular: (\S+)", theme).group(1)
    edit_theme(folder, f"regular: {regular}", "regular: fonts/Nope.ttf")
    refused_with_pack(capsys, proj, [r"templates/mine/theme\.yaml:\d+:\d+: fonts\.families\.\w+\.regular: file 'fonts/Nope\.ttf' not found"])
    edit_theme(folder, "regular: fonts/Nope.ttf", f"regular: {regular}")
    (folder / regular).write_bytes(b"not a font")
    refused_with_pack(capsys, proj, [r"templates/mine/theme\.yaml:\d+:\d+: fonts\.families\.\w+\.regular: .*not a TrueType font"])


def test_logo_that_is_not_an_image(capsys, proj):
    folder = pack(proj)
    (folder / "assets" / "logo.png").write_bytes(b"<svg/>")
    refused_with_pack(capsys, proj, [r"templates/mine/theme\.yaml:\d+:\d+: logo: image 'assets/logo\.png' is not a readable image"])


# --- templates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "template, line",
    [
        ("<report>\n{% for x in %}\n</report>\n", r"templates/mine/report\.xml\.j2:2:1: template syntax error"),
        ("<report>\n\n{{ no_such_name }}\n</report>\n", r"templates/mine/report\.xml\.j2:3:1: undefined name: 'no_such_name' is undefined"),
        ("<report>{{ outline.__class__.__mro__[1].__subclasses__() }}</report>\n", r"templates/mine/report\.xml\.j2:1:1: (unsafe operation refused by the sandbox|undefined name)"),
        ("<report>{{ cycler.__init__.__globals__.os.system('id') }}</report>\n", r"templates/mine/report\.xml\.j2:1:1: (unsafe operation refused by the sandbox|undefined name)"),
        ("<report>{% include '../../../etc/passwd' %}</report>\n", r"templates/mine/report\.xml\.j2:1:1: template not found"),
        ("<report><section><script/></section></report>\n", r"templates/mine/report\.xml\.j2:1:18: <script> is not a block"),
        ("<report>\n<section>\n  <title>t</title><script/>\n</section>\n</report>\n", r"templates/mine/report\.xml\.j2:3:19: <script> is not a block"),
        ("<report>\n<section>\n  <p>open\n</section>\n</report>\n", r"templates/mine/report\.xml\.j2:4:1: the template rendered malformed markup at output line 4, column 3: mismatched tag; near '</section>'"),
        ("<report>{% for i in range(2) %}\n<section><title>{{ i }}</title>{% if i %}<zz/>{% endif %}</section>{% endfor %}\n<section><zz/></section></report>\n",
         r"templates/mine/report\.xml\.j2: <zz> is not a block .* \(at output line 1: '<report><section><title>0</title>"),
    ],
)
def test_broken_templates(capsys, proj, template, line):
    folder = pack(proj)
    (folder / "report.xml.j2").write_text(template)
    refused_with_pack(capsys, proj, [line], "-f", "pdf")


@pytest.mark.parametrize(
    "old, new, line",
    [
        ("primary: ", "primary: '#12345G' # ", r"palette\.primary: expected a colour as #RRGGBB, got '#12345G'"),
        ("primary: ", "primary: blue # ", r"palette\.primary: expected a colour as #RRGGBB"),
        ("{top: 25mm", "{top: 20px", r"page\.margins\.top: expected a length such as 20mm"),
    ],
)
def test_bad_theme_values(capsys, proj, old, new, line):
    folder = pack(proj)
    edit_theme(folder, old, new)
    refused_with_pack(capsys, proj, [r"^templates/mine/theme\.yaml:\d+:\d+: " + line])


def test_a_master_that_is_not_a_zip(capsys, proj):
    folder = pack(proj)
    (folder / "master.pptx").write_bytes(b"this is not a zip")
    refused_with_pack(capsys, proj, [r"^templates/mine/theme\.yaml:\d+:\d+: deck\.master: slide master 'master\.pptx': not a \.pptx file \(not a zip archive\)"])
    (proj / "corp.pptx").write_bytes(b"PK\x03\x04 broken")
    refused(capsys, proj, write(proj, GOOD), "--master", "corp.pptx", lines=[r"^corp\.pptx: slide master: not a \.pptx file"])


# --- output -------------------------------------------------------------------------


@pytest.fixture
def built(capsys, proj):
    """proj with real previous good outputs (PDF only, for speed) and their manifest."""
    name = write(proj, GOOD)
    for f in ("outline.pdf", "outline.pptx"):
        (proj / "build" / f).unlink()
    assert cli(capsys, name, "-f", "pdf")[0] == 0
    (proj / "outline.yaml").write_text(GOOD + "    points: [changed]\n")  # now stale: the next build writes
    return name


def test_unwritable_build_folder(capsys, proj, built, monkeypatch):
    real_open = os.open
    build_dir = str(proj / "build")

    def denied(path, flags, *args, **kw):
        if os.path.abspath(str(path)).startswith(build_dir) and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", denied)
    refused(capsys, proj, built, "-f", "pdf", lines=[r"^build: cannot write in the output folder: Permission denied; check the folder's permissions"])


def test_an_output_folder_that_is_a_file(capsys, proj):
    (proj / "out").write_text("not a folder")
    name = write(proj, GOOD)
    before = snapshot(proj)
    code = main(["build", name, "--templates", TEMPLATES, "--out", "out", "--jobs", "1"])
    _, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    assert re.fullmatch(r"out: cannot create the output folder: File exists; a file of that name is in the way; .*; the previous outputs are untouched\n", err), err
    assert snapshot(proj) == before


def test_a_full_disk_leaves_the_previous_outputs(capsys, proj, built, monkeypatch):
    from reportgen.writers import pdf

    def full(self, doc, theme, path):
        with open(path, "wb") as fh:
            fh.write(b"%PDF-1.4 half a fi")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdf.PdfWriter, "write", full)
    refused(capsys, proj, built, "-f", "pdf", lines=[r"^build/outline\.pdf: cannot write: No space left on device; the disk is full; .*the previous outputs are untouched$"])
    assert not [n for n in os.listdir(proj / "build") if n.endswith(".tmp") or n.endswith(".lock")]


def test_a_full_disk_when_renaming(capsys, proj, built, monkeypatch):
    real_replace = os.replace

    def full(src, dst, *a, **kw):
        if str(dst).endswith("outline.pdf"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", full)
    refused(capsys, proj, built, "-f", "pdf", lines=[r"^build/outline\.pdf: cannot write: No space left on device"])


def test_an_output_that_is_a_symlink_is_refused(capsys, proj, built):
    elsewhere = proj.parent / "elsewhere.pdf"
    elsewhere.write_bytes(b"someone else's file")
    (proj / "build" / "outline.pdf").unlink()
    os.symlink(elsewhere, proj / "build" / "outline.pdf")
    refused(capsys, proj, built, "-f", "pdf", lines=[r"^build/outline\.pdf: is a symbolic link \(to .*elsewhere\.pdf\); reportgen writes only regular files"])
    assert elsewhere.read_bytes() == b"someone else's file"


def test_an_output_linked_to_a_device_does_not_hang(capsys, proj, built):
    (proj / "build" / "outline.pdf").unlink()
    os.symlink("/dev/zero", proj / "build" / "outline.pdf")
    refused(capsys, proj, built, "-f", "pdf", lines=[r"^build/outline\.pdf: is a symbolic link \(to /dev/zero\)"], seconds=10)


def test_a_second_build_into_the_same_folder_is_refused(capsys, proj, built):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (proj / "build" / ".reportgen.lock").write_text(f"{other.pid} {__import__('socket').gethostname()}\n")
        refused(capsys, proj, built, "-f", "pdf", lines=[rf"^build: another reportgen build is running in build/ \(pid {other.pid}\)"])
    finally:
        other.kill()
        other.wait()
    # the same lock, its process gone: stale, taken over, and removed when the build ends
    code, _, err = cli(capsys, built, "-f", "pdf")
    assert code == 0, err
    assert not (proj / "build" / ".reportgen.lock").exists()


def test_two_real_builds_at_once(proj, built):
    code = "import sys; from reportgen.cli import main; sys.exit(main(sys.argv[1:]))"
    args = [sys.executable, "-c", code, "build", built, "--templates", TEMPLATES, "--out", "build", "-j", "1", "-f", "pdf", "--force", "-q"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [subprocess.Popen(args, cwd=proj, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stdout.read() + p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(c for c, _ in results)
    assert codes in ([0, 0], [0, 2]), results  # either one after the other, or the second refused
    for c, text in results:
        assert "Traceback" not in text
        if c == 2:
            assert re.search(r"^build: another reportgen build is running in build/ \(pid \d+\)", text, re.M), text
    assert not (proj / "build" / ".reportgen.lock").exists()
    assert pdf_text(proj / "build" / "outline.pdf")


# --- properties (hypothesis: fixed seed, bounded examples) ---------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PROPERTY = settings(
    max_examples=12,
    derandomize=True,  # a fixed seed: CI sees the same examples every run
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=24)  # any Unicode YAML can hold, bad bits too
WORD = st.text(st.characters(categories=("L", "N"), max_codepoint=0x4FF), min_size=1, max_size=12)


@st.composite
def outlines(draw):
    """Outlines within the schema's shape: mostly valid, with a wrong cell count, series, value or character now and then."""

    def rarely() -> bool:
        return draw(st.integers(0, 7)) == 0

    def text():
        return draw(ANY_TEXT) if rarely() else draw(WORD)

    def part():
        p = {"title": text()}
        if draw(st.booleans()):
            p["points"] = [text() for _ in range(draw(st.integers(0, 3)))]
        if draw(st.booleans()):
            p["body"] = " ".join(text() for _ in range(draw(st.integers(1, 8))))
        if draw(st.booleans()):
            n = draw(st.integers(1, 3))
            width = lambda: n + (draw(st.sampled_from([-1, 1])) if rarely() else 0)  # noqa: E731
            p["table"] = {"columns": [draw(WORD) for _ in range(n)], "rows": [[text() for _ in range(width())] for _ in range(draw(st.integers(1, 3)))]}
        if draw(st.booleans()):
            cats = [draw(WORD) for _ in range(draw(st.integers(1, 4)))]
            kind = draw(st.sampled_from(["bar", "stacked-bar", "line", "pie"])) if not rarely() else "donut"
            number = lambda: draw(st.one_of(st.floats(allow_nan=True, allow_infinity=True), WORD)) if rarely() else draw(st.integers(0, 10**6))  # noqa: E731
            count = lambda: len(cats) + (1 if rarely() else 0)  # noqa: E731
            p["chart"] = {
                "type": kind,
                "title": draw(WORD),
                "categories": cats,
                "series": [{"name": draw(WORD), "values": [number() for _ in range(count())]} for _ in range(1 if kind == "pie" else draw(st.integers(1, 2)))],
            }
        return p

    outline = {"title": text(), "sections": [part() for _ in range(draw(st.integers(1, 3)))]}
    if draw(st.booleans()):
        outline["summary"] = [text() for _ in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        outline["date"] = "no" if rarely() else "2021-06-16"
    return outline


OUTCOMES: list[int] = []


@PROPERTY
@given(outline=outlines())
def test_random_outlines_build_or_fail_with_located_lines(capsys, proj, outline):
    import yaml

    (proj / "outline.yaml").write_text(yaml.safe_dump(outline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = snapshot(proj / "build")
    code, out, err = cli(capsys, "outline.yaml", "--force")
    assert code in (0, 2), err
    OUTCOMES.append(code)
    if code == 2:
        errors = [line for line in err.splitlines() if line.strip() and ": warning: " not in line]
        assert errors and all(re.match(r"^(outline\.yaml:\d+:\d+|build/outline\.pptx|build/outline\.pdf): \S", line) for line in errors), err
        assert all(re.match(r"^outline\.yaml:\d+:\d+: ", line) for line in errors if ": warning: " not in line), err
        assert snapshot(proj / "build") == before


def test_random_outlines_reached_both_outcomes():
    """The property above is not vacuous: its examples both built (0) and were refused (2). Runs after it."""
    if not OUTCOMES:
        pytest.skip("run together with test_random_outlines_build_or_fail_with_located_lines")
    assert set(OUTCOMES) == {0, 2}, OUTCOMES


# Characters the briefing fonts cover that Markdown leaves alone: letters of several scripts, digits, and
# the markup characters ReportLab and XML care about (< > & " ').
PRINTABLE = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "ÀÉÎÕÜßàéîõüçñŁłŒœŠšŽžĞğİı"
    "ΑΒΓΔΛΩαβγδλωάή"
    "АБВГДЖЯабвгджяёЁЇїЄє"
    " .,?()/%+=<>&\"'–—’“”€£§"
)


@PROPERTY
@given(text=st.text(st.sampled_from(PRINTABLE), min_size=1, max_size=60).filter(lambda t: t.strip()))
def test_random_text_round_trips_into_both_outputs(capsys, proj, text):
    doc = {"title": "Round trip", "sections": [{"title": text, "points": [text], "body": "Text: " + text}]}
    import yaml

    (proj / "outline.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, _, err = cli(capsys, "outline.yaml", "--force")
    assert code == 0, err
    assert "no font has a glyph" not in err
    fold = str.maketrans("“”‘’", "\"\"''")  # straight quotes typed print typographic: the text, quotes aside
    want = squeeze(text).translate(fold)
    assert want in squeeze(pdf_text(proj / "build" / "outline.pdf")).translate(fold)
    assert want in squeeze(deck_text(proj / "build" / "outline.pptx")).translate(fold)
