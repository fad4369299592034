"""``writers.pdf.styles``: fonts and paragraph styles."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

pytest.importorskip("pypdf")
pytest.importorskip("reportlab")


from pdf_sample import briefing  # noqa: E402
from pdf_sample import built, theme  # noqa: E402,F401  (fixtures)


def test_fonts_are_embedded_truetype(built):
    out, _, _ = built
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts not installed")
    lines = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert lines, "no fonts found"
    for line in lines:
        assert "TrueType" in line, line
        assert re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", line), f"not an embedded subset: {line}"
        assert not re.search(r"Helvetica|Times|Courier|Symbol|ZapfDingbats", line), line


def test_a_text_is_drawn_in_its_font_else_in_the_fallback_that_has_its_characters():
    from reportgen.writers.pdf.styles import make_kit

    kit = make_kit(briefing())
    regular, bold = kit.heading.regular, kit.heading.bold
    assert kit.font_for("Geneva 2021 – “quoted”", regular) == regular
    snowman = kit.font_for("Snow \u2603", regular)
    assert snowman == kit.fallbacks[0].regular != regular
    assert kit.font_for("Snow \u2603", bold) == kit.fallbacks[0].bold
    assert kit.font_for("Han \u4e2d", regular) == regular  # no font has it: the font asked for
    assert kit.heading.covers("a") and not kit.heading.covers("\u2603")
    assert kit.fallback_for("\u2603", kit.heading) is kit.fallbacks[0] and kit.fallback_for("a", kit.heading) is None


@pytest.mark.parametrize("text", ["Geneva 2021 – “quoted”", "", " \t\n\u00a0\u2003", "Snow \u2603", "Han \u4e2d and more", "Владимир Путин", "x\U0001f600"])
def test_a_face_covers_a_text_when_it_has_every_character_but_white_space(text):
    from reportgen.writers.pdf.styles import make_kit

    face = make_kit(briefing()).body
    assert face.covers_all(text) == all(face.covers(c) for c in text if not c.isspace())


def test_an_interruption_while_reportlab_reads_a_font_stays_an_interruption(monkeypatch, pdf_sample_theme):
    """SIGTERM during font parsing reached ReportLab's bare ``except:``, which turned it into a TTFError,
    which was then reported as a corrupt font (exit 2 instead of 143)."""
    import pytest

    from reportgen.errors import Terminated
    from reportgen.writers.pdf import styles

    def interrupted(data, path):
        try:
            raise Terminated()
        except BaseException:  # as ReportLab's TTFontFile does
            raise ValueError("Corrupt TTF file cannot read Table Directory") from None

    monkeypatch.setattr(styles, "parse_face", interrupted)
    monkeypatch.setattr(styles.pdfmetrics, "_fonts", {})  # (this test's registrations only, undone after it)
    kit = styles.make_kit(pdf_sample_theme)  # (parsed when first used)
    font = styles.pdfmetrics.getFont(kit.body.regular)
    with pytest.raises(Terminated):
        with styles.font_errors(kit):
            font.face
    assert font.failure is None  # not kept: the next use parses it again
    with pytest.raises(AttributeError):  # what ReportLab's accelerator makes of it ...
        font.stringWidth("x", 10)
    with pytest.raises(Terminated):  # ... and what the writer says it was
        with styles.font_errors(kit):
            font.stringWidth("x", 10)
    assert font.failure is None


def test_a_font_that_failed_in_an_earlier_build_is_not_blamed_for_a_later_error(monkeypatch, pdf_sample_theme):
    """``reportgen watch``: a fallback font failed one build; the next build fails for another reason before it uses
    that font: the error is the other one."""
    import pytest

    from reportgen.errors import InputError
    from reportgen.writers.pdf import styles

    parse = styles.parse_face

    def broken(data, path):
        if "DejaVu" in path:
            raise ValueError("not a font")
        return parse(data, path)

    monkeypatch.setattr(styles.pdfmetrics, "_fonts", {})  # (this test's registrations only, undone after it)
    monkeypatch.setattr(styles, "parse_face", broken)
    kit = styles.make_kit(pdf_sample_theme)
    with pytest.raises(InputError, match="DejaVu"):
        with styles.font_errors(kit):
            kit.font_for("\u2603", kit.body.regular)  # a character only the fallback has
    monkeypatch.setattr(styles, "parse_face", parse)
    later = styles.make_kit(pdf_sample_theme)
    with pytest.raises(KeyError, match="something else"):
        with styles.font_errors(later):
            later.fallbacks  # (the failed font, registered again under its name: no new use)
            raise KeyError("something else")


def test_a_registered_font_keeps_its_bytes_only_once_it_is_used(monkeypatch, tmp_path):
    """Registering the pack's fonts reads and checks each file, but keeps none of their bytes: a report uses few of
    them (the bytes of the nine unused ones were 3 MB held to the end of a long report). A font file that goes bad
    between registration and first use is an error naming it, not a traceback and not the bytes read before."""
    from pdf_sample import PACK

    from reportgen.errors import InputError
    from reportgen.theme import load_theme
    from reportgen.writers.pdf import styles

    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    monkeypatch.setattr(styles.pdfmetrics, "_fonts", {})  # (this test's registrations only, undone after it)
    kit = styles.make_kit(load_theme(str(pack)))
    fonts = {name: styles.pdfmetrics.getFont(name) for name in {kit.body.regular, kit.body.bold, kit.heading.regular}}
    assert fonts and all(isinstance(f, styles.LazyTTFont) for f in fonts.values())
    for font in fonts.values():
        held = [a for a in (*font._parse.args, *font._parse.keywords.values()) if isinstance(a, (bytes, bytearray, memoryview))]
        assert not held, f"{font.fontName} holds {sum(map(len, held)):,} bytes before it is used"
    assert fonts[kit.body.regular].stringWidth("x", 10) > 0  # parsed now, from the file
    bold = next(f for name, f in fonts.items() if name not in (kit.body.regular,) and f.__dict__.get("face") is None)
    path = bold._parse.args[2]
    with open(path, "r+b") as fh:
        fh.truncate(100)  # the file goes bad after it was checked
    with pytest.raises(InputError, match=re.escape(os.path.basename(path))):
        with styles.font_errors(kit):
            bold.face


def test_registering_the_packs_fonts_reads_none_the_theme_checked_and_a_used_font_once(monkeypatch, tmp_path):
    """The theme's load checked every font file; registering them with ReportLab reads none of them again, and the
    first use of a font reads that file only (once): the writer does not read each font twice, nor the unused ones."""
    from pdf_sample import PACK

    from reportgen import fontmetrics
    from reportgen.theme import load_theme
    from reportgen.writers.pdf import styles

    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    theme = load_theme(str(pack))  # (each font read and checked here)
    reads: list[str] = []
    read_font = fontmetrics.read_font
    monkeypatch.setattr(fontmetrics, "read_font", lambda path: (reads.append(os.path.basename(path)), read_font(path))[1])
    monkeypatch.setattr(styles.pdfmetrics, "_fonts", {})  # (this test's registrations only, undone after it)
    kit = styles.make_kit(theme)
    assert reads == []
    body = styles.pdfmetrics.getFont(kit.body.regular)
    path = body._parse.args[2]  # (the font's file, not read yet)
    assert body.stringWidth("x", 10) > 0 and body.stringWidth("y", 10) > 0
    assert reads == [os.path.basename(path)]
