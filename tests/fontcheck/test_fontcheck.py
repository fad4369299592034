"""Font checks at theme load (issue 11): a font ``check_font`` accepts works in ReportLab; any other is one clear line.

Each hostile font is made here from a small valid one (``fontfiles.mini``)
by rewriting a table with ``struct``. ``check_font`` must refuse it quickly,
with a message naming the font and saying what is wrong. ReportLab runs in a
child process (``RenderWorker``): to show that the fonts refused for a
missing table really break it, and, in the property test, that every
mutated font ``check_font`` accepts is registered and embedded (a subset,
saved in a one-page PDF) without an exception, a hang or a memory blow-up.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fontfiles import (
    ROOT,
    Hang,
    RenderWorker,
    cmap4,
    cmap_of,
    composite,
    deadline,
    directory,
    format4_segments,
    format12,
    glyphs_of,
    memory_cap,
    mini,
    patch,
    patch_table,
    replace,
    sfnt,
    tables,
    with_glyphs,
    write,
)
from reportgen.theme import check_font

SHOWN = "fonts/X.ttf"
REQUIRED = ("head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf", "name", "post")


def refusal(path: str, advice: str | None = "; use a .ttf file") -> str:
    """Return the message ``check_font`` refuses the font at ``path`` with (failing if it accepts it, or is slow or greedy)."""
    tracemalloc.start()
    start = time.perf_counter()
    message = stuck = None
    try:
        with memory_cap(), deadline(10):
            check_font(path, SHOWN)
    except ValueError as exc:
        message = str(exc)
    except (Hang, MemoryError) as exc:
        stuck = f"{type(exc).__name__}: {exc}"  # failed below, once the exception (and all it holds) is gone
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if stuck:
        pytest.fail(f"check_font did not finish: {stuck}", pytrace=False)
    assert message is not None, "accepted"
    assert elapsed < 2, f"took {elapsed:.1f} s"
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1048576:.0f} MB"
    assert message.startswith(f"font {SHOWN!r}") and message.endswith(advice or "") and "\n" not in message, message
    return message


@pytest.fixture(scope="module")
def worker():
    w = RenderWorker()
    yield w
    w.close()


# --- the hostile fonts ------------------------------------------------------------------


def _mapping() -> dict[int, int]:
    from reportgen.fontmetrics import FontMetrics

    return {c: g for c, g in FontMetrics.load(os.path.join(ROOT, "reportgen", "packs", "briefing", "fonts", "LiberationSans-Regular.ttf")).mapping().items() if g < 96}


def _good4() -> bytes:
    cmap = tables(mini())["cmap"]
    return cmap[struct.unpack_from(">I", cmap, 8)[0] :]  # the subtable the first record points to


def _name(*records: tuple[int, int, int, int, bytes], fmt: int = 0) -> bytes:
    strings = b"".join(r[4] for r in records)
    out = struct.pack(">HHH", fmt, len(records), 6 + 12 * len(records))
    offset = 0
    for pid, eid, lang, name_id, raw in records:
        out += struct.pack(">6H", pid, eid, lang, name_id, len(raw), offset)
        offset += len(raw)
    return out + strings


def _with_new_glyphs(*extra: bytes, cmap: dict[int, int] | None = None) -> bytes:
    base = glyphs_of(mini())
    font = with_glyphs(mini(), base + list(extra))
    return replace(font, cmap=cmap4({**_mapping(), 0xC4: 96, 0xC5: 97, **cmap})) if cmap else font


def _entry(tag: str, field: int, value: int) -> bytes:
    data = mini()
    return patch(data, directory(data)[tag][0] + field, ">I", value)


def _loca(index: int, value: int) -> bytes:
    data = mini()
    return patch_table(data, "loca", 4 * index, ">I", value)


HOSTILE = {
    # cmap
    "cmap 12 bomb": (lambda: replace(mini(), cmap=cmap_of([(3, 10, format12([(0, 0xFFFFFFFE, 1)]))])), r"has a 'cmap' format 12 group for U\+0000\.\.U\+FFFFFFFE \(expected a range of Unicode code points, up to U\+10FFFF"),
    "cmap 12 all of Unicode": (lambda: replace(mini(), cmap=cmap_of([(3, 10, format12([(0, 0x10FFFF, 0)]))])), r"mapping over 262,144 characters"),
    "cmap 12 group count": (lambda: replace(mini(), cmap=cmap_of([(3, 10, patch(format12([(65, 90, 36)]), 12, ">I", 0xFFFFFFFF))])), r"format 12 subtable of 4,294,967,295 groups"),
    "cmap 12 glyph past the end": (lambda: replace(mini(), cmap=cmap_of([(3, 10, format12([(65, 90, 90)]))])), r"maps U\+0041\.\.U\+005A to glyphs 90 to 115, but it has only 98 glyphs"),
    "cmap 4 bomb": (lambda: replace(mini(), cmap=cmap_of([(3, 1, format4_segments([(0, 0xFFFE, 0, 0)] * 500 + [(0xFFFF, 0xFFFF, 1, 0)]))])), r"format 4 subtable whose 501 segments cover 32,767,501 character codes \(expected at most 65,536"),
    "cmap 4 bomb only ReportLab reads": (
        lambda: replace(mini(), cmap=cmap_of([(3, 1, _good4()), (3, 0, format4_segments([(0, 0xFFFE, 0, 0)] * 500 + [(0xFFFF, 0xFFFF, 1, 0)]))])),
        r"format 4 subtable whose 501 segments cover",
    ),
    "cmap 4 glyph past the end": (lambda: replace(mini(), cmap=cmap4({0x41: 5000})), r"maps a character in U\+0041\.\.U\+0041 to glyph 5,000, but it has only 98 glyphs"),
    "cmap 4 glyph indices past the file": (
        lambda: replace(mini(), cmap=cmap_of([(3, 1, format4_segments([(0x41, 0x5A, 0, 0xFFF0), (0xFFFF, 0xFFFF, 1, 0)]))])),
        r"segment U\+0041\.\.U\+005A whose glyph indices \(bytes [\d,]+ to [\d,]+\) lie past the end of the file",
    ),
    "cmap format only ReportLab reads": (
        lambda: replace(mini(), cmap=cmap_of([(3, 1, _good4()), (3, 10, struct.pack(">HHIII", 13, 0, 28, 0, 1) + struct.pack(">III", 0, 0x10FFFF, 1))])),
        r"has a 'cmap' subtable \(platform 3, encoding 10\) in format 13, which the PDF writer would read \(expected format 4 or 12\)",
    ),
    "no Unicode cmap": (lambda: replace(mini(), cmap=cmap_of([(1, 0, struct.pack(">HHHHH", 6, 12, 0, 65, 1) + b"\0\x24")])), r"has no Unicode character map"),
    "cmap record past the table": (lambda: replace(mini(), cmap=struct.pack(">HHHHI", 0, 1, 3, 1, 4000)), r"has a 'cmap' subtable \(platform 3, encoding 1\) at offset 4,000, past the end of its 'cmap' table"),
    # the header and the table directory
    "a CFF font": (lambda: sfnt(tables(mini()), version=0x4F54544F), r"PostScript \(CFF\) outlines"),
    "a collection": (lambda: b"ttcf" + mini()[4:], r"a collection of fonts \(\.ttc\)"),
    "not a font at all": (lambda: b"<html>not a font</html>", r"is not a TrueType font \(it starts with 3c 68 74 6d; expected 00 01 00 00\)"),
    "directory past the end": (lambda: patch(mini(), 4, ">H", 4000), r"is truncated: its directory lists 4000 tables"),
    "table past the end": (lambda: _entry("glyf", 12, 0x7FFFFFFF), r"is truncated or corrupt: its 'glyf' table \(bytes [\d,]+ to [\d,]+\) runs past the end of the file"),
    "table offset past the end": (lambda: _entry("name", 8, 0xFFFFFF00), r"its 'name' table .* runs past the end of the file"),
    "a tag twice": (lambda: patch(mini(), directory(mini())["name"][0], ">4s", b"post"), r"lists the table 'post' twice"),
    "a bad tag": (lambda: patch(mini(), directory(mini())["name"][0], ">4s", b"n\xffme"), r"has a table with the invalid tag b'n\\xffme'"),
    # the tables ReportLab reads
    "head magic": (lambda: patch_table(mini(), "head", 12, ">I", 0), r"wrong magic number 0x00000000 \(expected 0x5f0f3cf5\)"),
    "head version": (lambda: patch_table(mini(), "head", 0, ">H", 2), r"has a 'head' table of version 2 \(expected 1\)"),
    "zero units per em": (lambda: patch_table(mini(), "head", 18, ">H", 0), r"has 0 units per em \(expected 16 to 16384\)"),
    "loca format": (lambda: patch_table(mini(), "head", 50, ">h", 2), r"unknown 'loca' format 2 \(expected 0 or 1\)"),
    "glyph data format": (lambda: patch_table(mini(), "head", 52, ">h", 1), r"unknown glyph data format 1"),
    "short head": (lambda: replace(mini(), head=tables(mini())["head"][:40]), r"has a 'head' table of 40 bytes, too short \(expected at least 54\)"),
    "no metrics": (lambda: patch_table(mini(), "hhea", 34, ">H", 0), r"has no horizontal metrics"),
    "metric format": (lambda: patch_table(mini(), "hhea", 32, ">h", 3), r"unknown metric data format 3"),
    "short hmtx": (lambda: patch_table(mini(), "hhea", 34, ">H", 5000), r"has a 'hmtx' table of 392 bytes, too short \(expected at least 20,000 for 5,000 metrics and 98 glyphs\)"),
    "CFF maxp": (lambda: patch_table(mini(), "maxp", 0, ">I", 0x00005000), r"has a 'maxp' table of version 0\.5000 \(expected 1\.0"),
    "no glyphs": (lambda: patch_table(mini(), "maxp", 4, ">H", 0), r"has no glyphs"),
    "more glyphs than loca": (lambda: patch_table(mini(), "maxp", 4, ">H", 9000), r"has a 'hmtx' table .* too short|has a 'loca' table .* too short"),
    "post version": (lambda: patch_table(mini(), "post", 0, ">H", 5), r"has a 'post' table of version 5 \(expected 1 to 4\)"),
    "short post": (lambda: replace(mini(), post=tables(mini())["post"][:8]), r"has a 'post' table of 8 bytes, too short \(expected at least 32\)"),
    "short OS/2": (lambda: replace(mini(), OS_2=tables(mini())["OS/2"][:60]), r"has a 'OS/2' table of 60 bytes, too short \(expected at least 72\)"),
    "no embedding": (lambda: patch_table(mini(), "OS/2", 8, ">H", 0x0002), r"does not allow embedding a subset of it in a PDF \(its licence flags, OS/2 fsType 0x0002"),
    "no subsetting": (lambda: patch_table(mini(), "OS/2", 8, ">H", 0x0100), r"fsType 0x0100"),
    "no PostScript name": (lambda: replace(mini(), name=_name()), r"has no PostScript name"),
    "bad PostScript name": (lambda: replace(mini(), name=_name((3, 1, 0x409, 6, "Bad(Name)".encode("utf-16-be")))), r"has the PostScript name 'Bad\(Name\)', which holds \( \)"),
    "control character in PostScript name": (lambda: replace(mini(), name=_name((3, 1, 0x409, 6, "Bad\nName".encode("utf-16-be")))), r"has the PostScript name 'Bad\\nName', which holds \\x0a"),
    "odd UTF-16 name": (lambda: replace(mini(), name=_name((3, 1, 0x409, 4, b"abc"))), r"has a Windows name \(ID 4\) of odd length 3"),
    "name format 1": (lambda: replace(mini(), name=_name((1, 0, 0, 6, b"Mini"), fmt=1)), r"has a 'name' table in format 1 \(expected format 0\)"),
    "name records past the table": (lambda: replace(mini(), name=struct.pack(">HHH", 0, 500, 0)), r"has a 'name' table of 6 bytes, too short \(expected at least 6,006 for its 500 name records\)"),
    # loca and glyf
    "loca past glyf": (lambda: _loca(98, 0x00FFFFFF), r"has a 'loca' table pointing past the end of 'glyf' \(to byte 16,777,215"),
    "loca backwards": (lambda: _loca(40, 0x4000), r"has a 'loca' table whose offsets go backwards at glyph 40"),
    "short loca": (lambda: replace(mini(), loca=tables(mini())["loca"][:100]), r"has a 'loca' table of 100 bytes, too short \(expected at least 396 for 98 glyphs\)"),
    "tiny glyph": (lambda: with_glyphs(mini(), glyphs_of(mini())[:97] + [b"\xff\xff\0\0"]), r"has a glyph \(97\) of 4 bytes, shorter than a glyph header \(10 bytes\)"),
    "composite of itself": (lambda: _with_new_glyphs(composite((98, 0, 0)), cmap={0xC6: 98}), r"has a composite glyph \(98\) that contains itself"),
    "the only glyph, a composite of itself": (lambda: replace(with_glyphs(mini(), [b""] * 3 + [composite((3, 0, 0))]), cmap=cmap4({0x41: 3})), r"has a composite glyph \(3\) that contains itself"),
    "a huge composite glyph": (lambda: _with_new_glyphs(composite((36, 0, 0)) + b"\0" * 70000, cmap={0xC6: 98}), r"has a composite glyph \(98\) of 70,020 bytes \(expected at most 65,536\)"),
    "composites in a cycle": (lambda: _with_new_glyphs(composite((99, 0, 0)), composite((98, 0, 0)), cmap={0xC6: 98}), r"composite glyphs that contain each other in a cycle"),
    "composites nested deep": (
        lambda: _with_new_glyphs(*[composite((99 + i, 0, 0)) for i in range(19)] + [composite((36, 0, 0))], cmap={0xC6: 98}),
        r"composite glyphs nested over 16 deep",
    ),
    "composite without an end": (lambda: _with_new_glyphs(composite((36, 0, 0), more_last=True), cmap={0xC6: 98}), r"has a composite glyph \(98\) whose components run past its end"),
    "composite of a glyph past the end": (lambda: _with_new_glyphs(composite((36, 0, 0), (5000, 0, 0)), cmap={0xC6: 98}), r"has a composite glyph \(98\) made of glyph 5,000, but it has only 99 glyphs"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_fonts_are_refused_with_one_clear_line(tmp_path, case):
    make, pattern = HOSTILE[case]
    message = refusal(write(tmp_path, make()))
    assert re.search(pattern, message), message


def test_the_small_font_the_cases_start_from_is_accepted_and_works(tmp_path, worker):
    path = write(tmp_path, mini())
    check_font(path, SHOWN)
    assert worker.render(path) == "ok"


@pytest.mark.parametrize("tag", REQUIRED)
def test_a_font_without_a_table_reportlab_needs_is_refused(tmp_path, worker, tag):
    path = write(tmp_path, replace(mini(), **{tag: None}))
    assert re.search(rf"lacks the '{tag}' table", refusal(path))
    assert worker.render(path) != "ok"  # the table is really needed: ReportLab fails without it


def test_truncated_fonts_are_refused_at_every_cut(tmp_path):
    data = mini()
    ends = {off + length for _pos, off, length in directory(data).values()}
    size = max(ends)  # past this only padding
    cuts = {0, 1, 4, 11, 12, 13, 100} | set(range(0, size, max(1, size // 40)))
    for _pos, off, length in directory(data).values():
        cuts |= {off - 1, off, off + 1, off + length // 2, off + length - 1}
    for cut in sorted(c for c in cuts if 0 <= c < size):
        path = write(tmp_path, data[:cut], f"cut{cut}.ttf")
        if cut == 0:
            assert "is empty" in refusal(path)
        else:
            assert re.search(r"truncated|is not a TrueType font", refusal(path)), cut


def test_a_font_over_the_size_limit_is_refused_unread(tmp_path):
    path = write(tmp_path, mini())
    with open(path, "r+b") as fh:
        fh.truncate(64 * 1024 * 1024 + 1)  # sparse
    assert "is 67,108,865 bytes, over the limit of 64 MB for a font file" in refusal(path)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_font_that_is_a_pipe_or_a_device_is_refused(tmp_path, kind):
    path = str(tmp_path / "font.ttf")
    if kind == "fifo":
        os.mkfifo(path)
    else:
        os.symlink("/dev/zero", path)
    assert "not a regular file" in refusal(path, advice=None)  # reportgen.safety's words


# --- property: refused, or ReportLab registers and embeds it ------------------------------

MINI = mini()
DIRECTORY = directory(MINI)
TAGS = sorted(DIRECTORY)
_loca_at, _glyf_at = DIRECTORY["loca"][1], DIRECTORY["glyf"][1]
GLYPH_AT = {gid: _glyf_at + struct.unpack_from(">I", MINI, _loca_at + 4 * gid)[0] for gid in (0, 3, 36, 43, 96, 97)}
VALUES = st.one_of(
    st.sampled_from([0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF, 0x7FFFFFFF, 0xFFFFFFFF]),
    st.integers(0, 0xFFFFFFFF),
)
MUTATION = st.one_of(
    st.tuples(st.just("entry"), st.sampled_from(TAGS), st.sampled_from([8, 12]), st.just(4), VALUES),  # a table's offset or length
    st.tuples(st.just("field"), st.sampled_from(TAGS), st.integers(0, 79), st.sampled_from([1, 2, 4]), VALUES),  # a table's header
    st.tuples(st.just("glyph"), st.sampled_from(sorted(GLYPH_AT)), st.integers(0, 23), st.sampled_from([1, 2]), VALUES),  # glyph header, components
    st.tuples(st.just("byte"), st.integers(0, len(MINI) - 1), st.just(0), st.just(1), VALUES),
    st.tuples(st.just("cut"), st.integers(0, len(MINI) - 1), st.just(0), st.just(0), st.just(0)),
)


def mutate(data: bytes, mutations) -> bytes:
    """Return ``data`` with each mutation applied in turn."""
    for kind, where, at, width, value in mutations:
        if kind == "cut":
            data = data[:where]
            continue
        if kind == "entry":
            pos = DIRECTORY[where][0] + at
        elif kind == "field":
            _entry_pos, off, length = DIRECTORY[where]
            pos = off + min(at, max(length - width, 0))
        elif kind == "glyph":
            pos = GLYPH_AT[where] + at
        else:
            pos = where
        if pos + width > len(data):
            continue
        data = patch(data, pos, {1: ">B", 2: ">H", 4: ">I"}[width], value & ((1 << (8 * width)) - 1))
    return data


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("mutated")


_seen = {"refused": 0, "accepted": 0}


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MUTATION, min_size=1, max_size=3))
def test_a_mutated_font_is_refused_or_works_in_reportlab(worker, scratch, mutations):
    path = write(scratch, mutate(MINI, mutations), "mutated.ttf")
    stuck = None
    try:
        with memory_cap(), deadline(10):
            check_font(path, SHOWN)
    except (Hang, MemoryError) as exc:
        stuck = f"{type(exc).__name__}: {exc}"
    except ValueError as exc:
        message = str(exc)
        assert message.startswith(f"font {SHOWN!r} ") and message.endswith("; use a .ttf file") and "\n" not in message, message
        _seen["refused"] += 1
        return
    if stuck:
        pytest.fail(f"check_font did not finish: {stuck}", pytrace=False)
    _seen["accepted"] += 1
    assert worker.render(path) == "ok", mutations


def test_the_property_test_saw_both_outcomes():
    if not sum(_seen.values()):
        pytest.skip("the property test did not run in this session")
    assert _seen["refused"] >= 5 and _seen["accepted"] >= 5, _seen


# --- end to end: the command line, and the PDF writer's registration ----------------------

OUTLINE = "title: A brief\nsections:\n  - title: One\n    body: Some text.\n"


def _pack(tmp_path, monkeypatch) -> str:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "templates" / "briefing"
    shutil.copytree(os.path.join(ROOT, "reportgen", "packs", "briefing"), folder)
    (tmp_path / "outline.yaml").write_text(OUTLINE)
    return str(folder)


def test_a_hostile_font_in_a_pack_stops_the_build_with_one_located_line(tmp_path, monkeypatch, capsys):
    from reportgen.cli import main

    folder = _pack(tmp_path, monkeypatch)
    rel = "fonts/LiberationSans-Regular.ttf"
    write(folder, HOSTILE["cmap 12 bomb"][0](), rel)
    with open(os.path.join(folder, "theme.yaml"), encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == f"regular: {rel}")
    col = lines[line - 1].index(rel) + 1
    start = time.perf_counter()
    with memory_cap(), deadline(30):  # a regression fails here, not by filling the machine's memory
        code = main(["build", "outline.yaml", "--templates", "templates", "--out", "build", "--jobs", "1"])
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert code == 2, err
    assert "Traceback" not in out + err
    assert err.splitlines() == [
        f"templates/briefing/theme.yaml:{line}:{col}: fonts.families.sans.regular: font {rel!r} has a 'cmap' format 12 group for U+0000..U+FFFFFFFE "
        "(expected a range of Unicode code points, up to U+10FFFF, that does not run backwards); use a .ttf file"
    ]
    assert not (tmp_path / "build").exists() or not os.listdir(tmp_path / "build"), os.listdir(tmp_path / "build")
    assert elapsed < 10


def test_the_pdf_writer_refuses_a_font_replaced_after_the_theme_was_loaded(tmp_path, monkeypatch):
    from reportgen.errors import InputError
    from reportgen.theme import load_theme
    from reportgen.writers.pdf.styles import make_kit

    folder = _pack(tmp_path, monkeypatch)
    theme = load_theme("templates/briefing")
    write(folder, b"<html>not a font</html>", "fonts/LiberationSerif-Regular.ttf")
    with pytest.raises(InputError) as info:
        make_kit(theme)
    assert info.value.exit_code == 2
    assert str(info.value) == (
        "templates/briefing/theme.yaml: font 'fonts/LiberationSerif-Regular.ttf' is not a TrueType font "
        "(it starts with 3c 68 74 6d; expected 00 01 00 00); use a .ttf file"
    )


def test_the_pdf_writer_turns_any_reportlab_failure_into_an_input_error(tmp_path, monkeypatch, capsys):
    """ReportLab parses a font when it is first used, deep inside its layout, which may wrap the error in its own
    (``KeepTogether.wrap``): the build still reports the font's one clean line."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import KeepTogether, Paragraph

    from reportgen.cli import main
    from reportgen.errors import InputError
    from reportgen.theme import load_theme
    from reportgen.writers.pdf import styles as pdf_styles

    folder = _pack(tmp_path, monkeypatch)
    theme = load_theme("templates/briefing")
    parsed = []
    parse = pdf_styles.parse_face

    def broken(data, path):
        parsed.append(os.path.basename(path))
        if not path.endswith("LiberationSerif-Regular.ttf"):
            return parse(data, path)
        raise struct.error(f"unpack requires a buffer of 2 bytes in {os.path.join(folder, 'fonts', 'LiberationSerif-Regular.ttf')}")

    monkeypatch.setattr(pdf_styles, "parse_face", broken)
    expected = (
        "templates/briefing/theme.yaml: font 'fonts/LiberationSerif-Regular.ttf' cannot be read by the PDF writer "
        "(error: unpack requires a buffer of 2 bytes in fonts/LiberationSerif-Regular.ttf); use a .ttf file"
    )
    kit = pdf_styles.make_kit(theme)  # registered, not parsed: nothing fails yet
    assert parsed == []
    kept = KeepTogether([Paragraph("Text in the body font", kit.styles["body"])])
    canv = Canvas(io.BytesIO())
    with pytest.raises(InputError) as wrapped:
        kept.wrapOn(canv, 400, 400)
    assert str(wrapped.value).startswith("reportgen: \nraised by class KeepTogether")  # what ReportLab makes of the font's error
    with pytest.raises(InputError) as info:
        with pdf_styles.font_errors(kit):
            kept.wrapOn(canv, 400, 400)
    assert str(info.value) == expected and parsed == ["LiberationSerif-Regular.ttf"]  # parsed once (the failure is kept), no other font
    (tmp_path / "templates" / "briefing" / "fonts" / "LiberationSerif-Regular.ttf").touch()  # another identity: registered anew
    code = main(["build", "outline.yaml", "-f", "pdf", "--templates", "templates", "--out", "build", "--jobs", "1"])
    assert code == 2 and capsys.readouterr().err.strip() == expected
    assert not os.path.exists("build/outline.pdf")