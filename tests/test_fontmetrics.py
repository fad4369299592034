"""FontMetrics (issue 11): the bundled fonts measure as ReportLab does; hostile files are refused in bounded time and memory.

ReportLab's ``stringWidth`` is the oracle for widths: the PDF is set with it,
the deck with ``FontMetrics``, so the two must agree to the last bit on good
fonts. The hostile files are built in the tests from the bundled fonts
(``fontfiles``); each check runs under a time limit and a memory cap so a
regression fails the test instead of hanging the suite or the machine.
"""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from fontfiles import BASE, FONTS, TEXT, Hang, cmap_of, deadline, format4_segments, format12, memory_cap, mini, replace, write
from reportgen.fontmetrics import FontMetrics

MB = 1024 * 1024
SAMPLES = [
    "Hello, world",
    "The quick brown fox jumps over the lazy dog. 0123456789",
    "Ünïcödé àéîõü ß Ç ñ Œ ø Å",
    "Ελληνικά Кириллица",
    "“Quotes” — dashes – … € £ ¥ © ®",
    "中文 🚀 e\u0301",  # characters some fonts lack: glyph 0's width
    "\u00a0no-break\u00a0spaces\u00a0",
    "tab\there",
]


def measured(path: str, seconds: float = 10) -> tuple[object, float, int]:
    """Return (FontMetrics.load(path) or the exception it raised, seconds taken, peak bytes allocated)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with memory_cap(), deadline(seconds):
            result = FontMetrics.load(path)
    except (Hang, Exception) as exc:  # the test looks at what was raised
        result = exc.with_traceback(None)  # not the frames, and all they built, of a call that ran away
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, elapsed, peak


# --- good fonts: exactly as before, and as ReportLab measures ---------------------


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(FONTS) if n.endswith(".ttf")))
def test_bundled_fonts_measure_as_reportlab_does(name):
    from reportlab.pdfbase.ttfonts import TTFont

    path = os.path.join(FONTS, name)
    ours = FontMetrics.load(path)
    theirs = TTFont("oracle-" + name, path)
    for text in SAMPLES:
        for size in (1, 10.5, 20):
            assert ours.width(text, size) == pytest.approx(theirs.stringWidth(text, size), rel=1e-12, abs=1e-12), (text, size)
    assert ours.units_per_em == theirs.face.unitsPerEm
    assert all(ours.has_glyph(c) for c in "Hello, world 0123456789")


def test_a_small_built_font_measures_as_reportlab_does(tmp_path):
    from reportlab.pdfbase.ttfonts import TTFont

    path = write(tmp_path, mini())
    ours, theirs = FontMetrics.load(path), TTFont("oracle-mini", path)
    assert ours.width(TEXT, 12) == pytest.approx(theirs.stringWidth(TEXT, 12), rel=1e-12)
    assert ours.has_glyph("\u00c5") and not ours.has_glyph("\u4e2d")


def test_the_public_api_is_unchanged():
    m = FontMetrics.load(BASE)
    assert FontMetrics.load(BASE) is m  # cached per path
    assert (m.units_per_em, m.ascent, m.descent, m.line_gap) == (2048, 1854, 434, 67)
    assert m.char_units("A") == 1366 and m.units("AA") == 2732.0
    assert m.width("A", 10) == pytest.approx(1366 * 10 / 2048)
    assert m.line_height(10) == pytest.approx((1854 + 434 + 67) * 10 / 2048)
    assert m.char_units("\u4e2d") == m.char_units("\U0001f680")  # missing: glyph 0's width


# --- hostile files: refused fast, in little memory ----------------------------------


def test_a_cmap_format_12_bomb_is_refused_fast_in_little_memory(tmp_path):
    # 300-odd bytes of cmap: one group from U+0000 to U+FFFFFFFE, about 4 billion codes
    bomb = replace(mini(), cmap=cmap_of([(3, 10, format12([(0, 0xFFFFFFFE, 1)]))]))
    result, elapsed, peak = measured(write(tmp_path, bomb))
    assert isinstance(result, ValueError), repr(result)[:200]
    assert "format 12 group for U+0000..U+FFFFFFFE" in str(result)
    assert elapsed < 2, f"took {elapsed:.1f} s"
    assert peak < 4 * MB, f"peak {peak / MB:.0f} MB"


def test_a_cmap_format_4_bomb_is_refused_fast(tmp_path):
    # 2,000 segments each covering U+0000..U+FFFE: 131 million codes to expand
    segments = [(0, 0xFFFE, 0, 0)] * 2000 + [(0xFFFF, 0xFFFF, 1, 0)]
    bomb = replace(mini(), cmap=cmap_of([(3, 1, format4_segments(segments))]))
    result, elapsed, peak = measured(write(tmp_path, bomb))
    assert isinstance(result, ValueError), repr(result)[:200]
    assert "whose 2,001 segments cover 131,070,001 character codes" in str(result)
    assert elapsed < 2 and peak < 4 * MB


def test_a_font_over_the_size_limit_is_not_read(tmp_path):
    path = write(tmp_path, mini())
    with open(path, "r+b") as fh:
        fh.truncate(64 * MB + 1)  # sparse: quick to make, 64 MB of zeros if read
    result, elapsed, peak = measured(path)
    assert isinstance(result, ValueError), repr(result)[:200]
    assert "over the limit of 64 MB" in str(result)
    assert elapsed < 1 and peak < MB, f"{elapsed:.2f} s, {peak / MB:.1f} MB: the file was read"


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_font_that_is_not_a_regular_file_is_not_read(tmp_path, kind):
    if kind == "fifo":
        path = str(tmp_path / "font.ttf")
        os.mkfifo(path)  # opening it to read would wait for a writer for ever
    elif kind == "device":
        path = "/dev/zero"  # endless zeros
    else:
        path = str(tmp_path)
    result, elapsed, peak = measured(path, seconds=5)
    assert isinstance(result, ValueError), repr(result)[:200]
    assert "not a regular file" in str(result) or "is a folder" in str(result)
    assert elapsed < 1 and peak < MB


# --- the character map, held as runs ------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(FONTS) if n.endswith(".ttf")))
def test_every_character_of_a_bundled_font_has_reportlabs_glyph_and_width(name):
    from reportlab.pdfbase.ttfonts import TTFont

    path = os.path.join(FONTS, name)
    ours, font = FontMetrics.load(path), TTFont("oracle-all-" + name, path)
    # (ReportLab keeps codes mapped to glyph 0, and draws a no-break space with the space's glyph)
    theirs = {code: gid for code, gid in font.face.charToGlyph.items() if gid and code != 0xA0}
    assert {code: gid for code, gid in ours.mapping().items() if code != 0xA0} == theirs
    for code in theirs:
        assert ours.has_glyph(chr(code)), hex(code)
        assert ours.width(chr(code), 10) == pytest.approx(font.stringWidth(chr(code), 10), rel=1e-12, abs=1e-12), hex(code)
    assert not ours.has_glyph("\U000e0000")


def test_a_font_of_thousands_of_characters_is_held_in_little_memory():
    from reportgen import fontmetrics

    path = os.path.join(FONTS, "DejaVuSans.ttf")
    fontmetrics._by_path.pop(path, None)
    tracemalloc.start()
    try:
        metrics = FontMetrics.load(path)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(metrics.mapping()) > 5000
    assert held < 100 * 1024, f"{held / 1024:.0f} KB held for {len(metrics.mapping()):,} characters"  # as a dict: over 600 KB


@pytest.mark.parametrize(
    "segments, expected",
    [
        # in order, one run each; a run of its own per code where the range offset points at glyph ids
        ([(0x41, 0x43, 1 - 0x41, 0), (0x61, 0x62, 10 - 0x61, 0)], {0x41: 1, 0x42: 2, 0x43: 3, 0x61: 10, 0x62: 11}),
        # out of order and overlapping: each code's glyph is the one the later segment gives it
        ([(0x61, 0x63, 10 - 0x61, 0), (0x41, 0x62, 1 - 0x41, 0)], {**{c: c - 0x41 + 1 for c in range(0x41, 0x63)}, 0x63: 12}),
        # a code mapped to glyph 0 has no glyph; the runs on either side are kept apart
        ([(0x41, 0x42, 1 - 0x41, 0), (0x43, 0x43, -0x43, 0), (0x44, 0x44, 3 - 0x44, 0)], {0x41: 1, 0x42: 2, 0x44: 3}),
        # a segment running backwards maps nothing, even one that would continue the run before it
        ([(0x41, 0x43, 1 - 0x41, 0), (0x50, 0x45, 1, 0)], {0x41: 1, 0x42: 2, 0x43: 3}),
        ([(0x41, 0x43, 1 - 0x41, 0), (0x44, 0x42, 4 - 0x44, 0)], {0x41: 1, 0x42: 2, 0x43: 3}),
    ],
)
def test_a_character_map_is_read_in_the_tables_order(tmp_path, segments, expected):
    data = replace(mini(), cmap=cmap_of([(3, 1, format4_segments(segments + [(0xFFFF, 0xFFFF, 1, 0)]))]))
    metrics = FontMetrics.load(write(tmp_path, data))
    assert metrics.mapping() == expected
    for code in range(0x40, 0x66):
        assert metrics.has_glyph(chr(code)) == (code in expected), hex(code)
