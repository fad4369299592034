"""The glyph-coverage preflight: every character of an outline against the pack's fonts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.errors import InputError
from reportgen.glyphs import check_glyphs, text_fields, uncovered
from reportgen.loader import load
from reportgen.pack import find_pack
from reportgen.theme import load_theme

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "reportgen" / "packs" / "briefing"

OUTLINE = """\
title: Glyphs
sections:
  - title: Plain Latin, Кириллица, Ελληνικά
    body: |
      Fine text.

      A Han character 中 here, and arrows ➜ that only the fallback has.
    table:
      columns: [Name, Value]
      rows:
        - [ok, "fine"]
        - ["日本", "3"]
sources:
  - {title: "Snowman ☃ report"}
"""


@pytest.fixture(scope="module")
def theme():
    return find_pack("briefing", str(ROOT / "templates")).theme


@pytest.fixture
def outline(tmp_path):
    path = tmp_path / "glyphs.yaml"
    path.write_text(OUTLINE, encoding="utf-8")
    return load(str(path))


def test_a_character_no_font_has_is_reported_with_its_place(outline, theme):
    problems = check_glyphs(outline, theme)
    shown = [str(p) for p in problems]
    assert [p.path for p in problems] == ["sections[0].body", "sections[0].table.rows[1][0]"], shown
    body, cell = problems
    assert body.file.endswith("glyphs.yaml") and (body.line, body.col) == (7, 23), shown  # in the block: the line of the character
    assert "U+4E2D" in body.message and "CJK" in body.message
    assert "U+279C" not in body.message  # the arrow is in the fallback font (DejaVu Sans)
    assert "U+65E5" in cell.message and "U+672C" in cell.message
    assert (cell.line, cell.col) == (12, 12), shown
    assert "fonts.fallback" in body.message


def test_without_the_fallback_more_is_reported(outline, theme):
    bare = theme.model_copy(update={"fonts": theme.fonts.model_copy(update={"fallback": []})})
    problems = check_glyphs(outline, bare)
    paths = [p.path for p in problems]
    assert "sources[0].title" in paths  # the snowman: Liberation lacks it
    assert any("U+279C" in p.message for p in problems if p.path == "sections[0].body")


def test_the_bundled_outlines_are_fully_covered(theme):
    for path in (ROOT / "inputs" / "summit.yaml", ROOT / "tests" / "fixtures" / "features" / "features.yaml"):
        assert check_glyphs(load(str(path)), theme) == [], path


def test_uncovered_skips_spaces_and_invisible_characters(theme):
    assert uncovered("a b\u00a0c\u200bd\n\t", theme) == []
    assert uncovered("x\u4e2dy", theme) == ["\u4e2d"]


def test_text_fields_skip_what_is_never_printed(outline):
    paths = [p for p, _ in text_fields(outline.outline)]
    assert ("sections", 0, "title") in paths and ("sources", 0, "title") in paths
    assert ("template",) not in paths
    assert all(p[-1] not in ("id", "url", "path", "alt") for p in paths)


def test_unknown_fallback_family_is_a_located_theme_error(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    theme_file = pack / "theme.yaml"
    text = theme_file.read_text(encoding="utf-8")
    assert "fallback: [dejavu]" in text
    theme_file.write_text(text.replace("fallback: [dejavu]", "fallback: [nosuch]"), encoding="utf-8")
    with pytest.raises(InputError, match=r"theme\.yaml:\d+:\d+: fonts: .*fallback names no font family 'nosuch'"):
        load_theme(str(pack))


def test_the_preflight_does_not_import_reportlab():
    code = "import sys, reportgen.glyphs; assert 'reportlab' not in sys.modules, 'reportlab imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
