"""The deck at publication grade, end to end from an outline.

``tests/fixtures/deck/stress.yaml`` has a 14-bullet section, an 80-word bullet,
a 45-row table, every chart type and a figure. It is built on the briefing
master and on a "corporate" master whose layouts are renamed, reordered and
moved (``tests/fixtures/masters/make_masters.py``); each deck is measured,
checked for structure, validated (openxml-audit, when installed) and converted
by LibreOffice (when installed) in one batch.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import zipfile

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER  # noqa: E402

from conftest import FIXTURES, TEMPLATES  # noqa: E402
from reportgen.compose import compose  # noqa: E402
from reportgen.errors import InputError  # noqa: E402
from reportgen.loader import load  # noqa: E402
from reportgen.pack import find_pack  # noqa: E402
from reportgen.writers.pptx import PptxWriter, with_master  # noqa: E402
from reportgen.writers.pptx.check import overflowing_frames, package_problems  # noqa: E402
from reportgen.writers.pptx.fit import LINE  # noqa: E402

STRESS = os.path.join(FIXTURES, "deck", "stress.yaml")
EMU_IN = 914400


def _masters_module():
    spec = importlib.util.spec_from_file_location("make_masters", os.path.join(FIXTURES, "masters", "make_masters.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


masters = _masters_module()


@pytest.fixture(scope="module")
def composed():
    loaded = load(STRESS)
    pack = find_pack("briefing", TEMPLATES)
    return loaded, pack, compose(loaded, pack, "deck")


@pytest.fixture(scope="module")
def decks(tmp_path_factory, composed):
    """name → (path, warnings): the stress deck on the pack's master and on the corporate one."""
    _loaded, pack, deck = composed
    tmp = tmp_path_factory.mktemp("decks")
    out = {}
    path = tmp / "briefing.pptx"
    out["briefing"] = (path, PptxWriter().write(deck, pack.theme, str(path)))
    corp = masters.corporate(str(tmp / "corporate-master.pptx"))
    path = tmp / "corporate.pptx"
    out["corporate"] = (path, PptxWriter(master=corp).write(deck, pack.theme, str(path)))
    path = tmp / "corporate-theme.pptx"  # the same master through the theme (deck.master_file)
    out["corporate-theme"] = (path, PptxWriter().write(deck, with_master(pack.theme, corp), str(path)))
    return out


def titles(prs) -> list[str]:
    return [s.shapes.title.text_frame.text if s.shapes.title is not None else "" for s in prs.slides]


def deck_text(prs) -> str:
    chunks = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                chunks.append(shape.text_frame.text)
            if shape.has_table:
                chunks.extend(c.text for row in shape.table.rows for c in row.cells)
            if shape.has_chart:
                ch = shape.chart
                if ch.has_title:
                    chunks.append(ch.chart_title.text_frame.text)
                chunks.extend(str(c) for c in ch.plots[0].categories)
                chunks.extend(s.name for s in ch.plots[0].series)
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                chunks.append(shape._element.nvPicPr.cNvPr.get("descr"))
        if slide.has_notes_slide:
            chunks.append(slide.notes_slide.notes_text_frame.text)
    return " ".join(" ".join(chunks).replace("\x0b", " ").split())


def _strip(md: str, ids: list[str]) -> str:
    """Outline Markdown as the deck shows it: citations numbered in source order."""
    return " ".join(re.sub(r"\[@([\w-]+)\]", lambda m: f"[{ids.index(m.group(1)) + 1}]", md).replace("**", "").split())


@pytest.mark.parametrize("name", ["briefing", "corporate", "corporate-theme"])
def test_no_text_frame_exceeds_its_box(decks, composed, name):
    path, _ = decks[name]
    assert overflowing_frames(str(path), composed[1].theme) == []


@pytest.mark.parametrize("name", ["briefing", "corporate"])
def test_continuation_slides_and_titles(decks, name):
    prs = Presentation(str(decks[name][0]))
    t = titles(prs)
    assert t.count("Fourteen points") == 1  # a one-slide section has no section slide (briefing: section_slides auto)
    assert "Fourteen points (cont.)" in t
    first = t.index("Fourteen points")
    assert t[first + 1] == "Fourteen points (cont.)"
    assert "One long bullet (cont.)" not in t  # 80 words fit on one slide, whole
    cont = [i for i, x in enumerate(t) if x.startswith("Forty-five measures (")]
    assert cont and cont[0] == t.index("Forty-five measures") + 1
    assert [t[i] for i in cont] == [f"Forty-five measures ({k} of {len(cont) + 1})" for k in range(2, len(cont) + 2)]  # "(2 of 3)"
    rows = []
    for i in [t.index("Forty-five measures"), *cont]:
        tables = [s for s in prs.slides[i].shapes if s.has_table]
        assert len(tables) == 1
        tb = tables[0].table
        assert [c.text for c in tb.rows[0].cells] == ["#", "Measure", "Value"]  # header repeated
        rows += [tb.cell(r, 0).text for r in range(1, len(tb.rows))]
    assert rows == [f"Row {i}" for i in range(1, 46)]


def test_split_between_bullets_never_inside_one(decks):
    prs = Presentation(str(decks["briefing"][0]))
    t = titles(prs)
    for title in ("Fourteen points", "Fourteen points (cont.)"):
        slide = prs.slides[max(i for i, x in enumerate(t) if x == title)]
        body = [ph for ph in slide.placeholders if ph.placeholder_format.idx == 1][0]
        for p in body.text_frame.paragraphs:
            assert re.match(r"Point \d+: ", p.text), p.text  # every paragraph is a whole bullet


def test_every_input_string_appears(decks, composed):
    import yaml

    with open(STRESS, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    ids = [src["id"] for src in data["sources"]]
    wanted = [data["title"], data["subtitle"], data["author"], *(_strip(x, ids) for x in data["summary"])]
    for s in data["sections"]:
        wanted += [s["title"], *(_strip(x, ids) for x in s.get("points", [])), _strip(s["body"], ids)]
        if "table" in s:
            wanted += [c for row in s["table"]["rows"] for c in row] + s["table"]["columns"] + ["Source: " + s["table"]["source"]]
        for sub in s.get("subsections", []):
            if "chart" in sub:
                c = sub["chart"]
                wanted += [c["title"], *c["categories"], *[x["name"] for x in c["series"]]]
                if c.get("source"):
                    wanted.append("Source: " + c["source"])
            if "figure" in sub:
                wanted += [sub["figure"]["alt"], sub["figure"]["caption"]]
    wanted += [src["title"] for src in data["sources"]]
    for name in ("briefing", "corporate"):
        text = deck_text(Presentation(str(decks[name][0])))
        missing = [w for w in wanted if " ".join(w.split()) not in text]
        assert missing == [], (name, missing)


def test_shrinks_and_splits_are_reported_with_slide_and_origin(decks):
    warnings = "\n".join(f"{w.path}: {w.message}" for w in decks["briefing"][1])
    assert re.search(r"sections\[0\]\.points: slide \d+ 'Fourteen points': body text shrunk", warnings)
    assert re.search(r"sections\[0\]\.points: slide \d+ 'Fourteen points': body text split onto 2 slides", warnings)
    assert re.search(r"sections\[2\]\.table: slide \d+ 'Forty-five measures': table of 45 rows split onto \d slides \(header row repeated\)", warnings)


def test_strict_turns_warnings_into_errors(composed, tmp_path):
    _loaded, pack, deck = composed
    with pytest.raises(InputError) as exc:
        PptxWriter(strict=True).write(deck, pack.theme, str(tmp_path / "s.pptx"))
    assert "sections[0].points: slide 5 'Fourteen points': body text split onto 2 slides" in str(exc.value)
    assert all(p.severity == "error" and p.message.endswith("(an error under --strict)") for p in exc.value.problems)
    assert not (tmp_path / "s.pptx").exists()


# --- masters --------------------------------------------------------------


def test_corporate_master_maps_roles_by_structure(decks):
    prs = Presentation(str(decks["corporate"][0]))
    t = titles(prs)
    used = {x: prs.slides[i].slide_layout.name for i, x in enumerate(t)}
    assert used["Deck stress test"] == "Cover"
    assert used["Agenda"] == "Text"
    assert prs.slides[t.index("The long table")].slide_layout.name == "Divider"
    assert prs.slides[t.index("One long bullet")].slide_layout.name == "Text"
    assert used["Forty-five measures"] == "Heading"
    body = [ph for ph in prs.slides[t.index("Agenda")].placeholders if ph.placeholder_format.idx == 1][0]
    assert body.left == int(3.6 * EMU_IN)  # the moved placeholder, inherited
    # the content layout has no footers of its own: the master's are cloned onto the slide
    assert [n for n, s in enumerate(prs.slides, 1) if s.slide_layout.name == "Cover"] == [1, len(prs.slides)]  # title, closing
    for n, slide in enumerate(prs.slides, 1):
        if slide.slide_layout.name == "Cover":  # no footers on the title and closing slides
            continue
        types = {ph.placeholder_format.type: ph for ph in slide.placeholders}
        assert types[PP_PLACEHOLDER.SLIDE_NUMBER].text_frame.text == str(n)
        assert types[PP_PLACEHOLDER.FOOTER].text_frame.text.startswith("UNCLASSIFIED")
    assert titles(Presentation(str(decks["corporate-theme"][0]))) == t


def test_broken_master_lists_missing_layouts(composed, tmp_path):
    _loaded, pack, deck = composed
    bad = masters.broken(str(tmp_path / "broken.pptx"))
    with pytest.raises(InputError) as exc:
        PptxWriter(master=bad).write(deck, pack.theme, str(tmp_path / "x.pptx"))
    lines = str(exc.value).splitlines()
    assert lines[0] == (f"{bad}: slide master: no layout for content slides: none is named 'Title and Content' "
                        "and none has a title and one large content or text placeholder")
    assert lines[1] == (f"{bad}: slide master: no layout for section slides: none is named 'Section Header' "
                        "and none has a title and one small text placeholder")
    assert lines[2].startswith(f"{bad}: slide master: available layouts: 'Text' (title); 'Heading' (title); 'Cover' (centred title, subtitle)")
    assert len(lines) == 3
    assert not (tmp_path / "x.pptx").exists()


def test_named_layout_without_its_placeholder(composed, tmp_path):
    _loaded, pack, deck = composed
    prs = Presentation(pack.theme.path("master.pptx"))
    layout = prs.slide_layouts.get_by_name("Title and Content")
    for ph in list(layout.placeholders):
        if ph.placeholder_format.idx == 1:
            ph._element.getparent().remove(ph._element)
    bad = str(tmp_path / "nobody.pptx")
    prs.save(bad)
    with pytest.raises(InputError) as exc:
        PptxWriter(master=bad).write(deck, pack.theme, str(tmp_path / "x.pptx"))
    assert f"{bad}: slide master: layout 'Title and Content' (used for content slides) lacks 1 body placeholder (has 0)" in str(exc.value)


def test_master_file_errors(composed, tmp_path):
    _loaded, pack, deck = composed
    with pytest.raises(InputError, match="slide master file not found"):
        PptxWriter(master=str(tmp_path / "none.pptx")).write(deck, pack.theme, str(tmp_path / "x.pptx"))
    junk = tmp_path / "junk.pptx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a PowerPoint .pptx file"):
        PptxWriter(master=str(junk)).write(deck, pack.theme, str(tmp_path / "x.pptx"))


# --- notes, links, figures --------------------------------------------------


def test_notes_end_with_the_cited_sources(decks):
    prs = Presentation(str(decks["briefing"][0]))
    t = titles(prs)
    notes = prs.slides[max(i for i, x in enumerate(t) if x == "Fourteen points")].notes_slide.notes_text_frame.text
    assert notes.splitlines()[-3:] == ["Sources:", "[1] First source title. Publisher A, 2021. https://example.org/alpha",
                                       "[2] Second source title. Publisher B."]
    takeaways = prs.slides[t.index("Key takeaways")].notes_slide.notes_text_frame.text
    assert takeaways.splitlines()[-4:] == ["Sources:", "[1] First source title. Publisher A, 2021. https://example.org/alpha",
                                           "[2] Second source title. Publisher B.", "[3] Third source title, 2020. https://example.org/gamma"]


def test_section_slides_link_back_to_the_agenda(decks):
    prs = Presentation(str(decks["briefing"][0]))
    agenda = prs.slides[titles(prs).index("Agenda")]
    sections = [s for s in prs.slides if s.slide_layout.name == "Section Header"]
    assert [s.shapes.title.text for s in sections] == ["The long table"]  # the one section of more than two slides
    for s in sections:
        assert s.shapes.title.click_action.target_slide == agenda
    body = [sh for sh in agenda.shapes if sh.has_text_frame and sh != agenda.shapes.title][0]
    targets = [r.hyperlink and p.runs[0].part.related_part(r._r.xpath(".//a:hlinkClick/@r:id")[0]) for p in body.text_frame.paragraphs for r in p.runs[:1]]
    starts = [t.slide.shapes.title.text for t in targets]
    assert starts == ["Fourteen points", "One long bullet", "The long table"]  # each section's first slide, whether a section slide or not


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "WEBP", "TIFF"])
def test_other_image_formats_become_png(composed, tmp_path, fmt):
    from PIL import Image

    from reportgen.doctree import Deck, Figure, Slide, Text

    _loaded, pack, deck = composed
    src = tmp_path / f"pic.{fmt.lower()}"
    Image.new("RGB", (400, 200), (181, 52, 43)).save(src, fmt)
    one = Deck(deck.meta, [Slide("Title Only", [Text("Pic")], body=[Figure(str(src), "A red field")], kind="figure")])
    out = tmp_path / "f.pptx"
    PptxWriter().write(one, pack.theme, str(out))
    pic = [s for s in Presentation(str(out)).slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE][0]
    assert pic.image.content_type == "image/png"
    assert pic._element.nvPicPr.cNvPr.get("descr") == "A red field"
    assert abs(pic.width / pic.height - 2.0) < 0.01


def test_unreadable_figure_is_a_clear_error(composed, tmp_path):
    from reportgen.doctree import Deck, Figure, Slide, Text

    _loaded, pack, deck = composed
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    one = Deck(deck.meta, [Slide("Title Only", [Text("Pic")], body=[Figure(str(bad), "x")], kind="figure")])
    with pytest.raises(InputError, match=r"broken\.png: figure is not an image reportgen can place .*use PNG or JPEG"):
        PptxWriter().write(one, pack.theme, str(tmp_path / "f.pptx"))


def test_figure_fills_the_layouts_picture_area(composed, tmp_path):
    _loaded, pack, deck = composed
    master = masters.with_picture(str(tmp_path / "pic-master.pptx"))
    out = tmp_path / "p.pptx"
    PptxWriter(master=master).write(deck, pack.theme, str(out))
    prs = Presentation(str(out))
    slide = prs.slides[titles(prs).index("The venue")]
    pic = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE][0]
    area = (int(2.5 * EMU_IN), int(1.7 * EMU_IN), int(8.3 * EMU_IN), int(4.9 * EMU_IN))
    assert area[0] <= pic.left and pic.left + pic.width <= area[0] + area[2] + 1
    assert area[1] <= pic.top and pic.top + pic.height <= area[1] + area[3] + 1
    assert max(pic.width / area[2], pic.height / area[3]) > 0.8  # scaled up into it, not left small
    assert not [ph for ph in slide.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.PICTURE]


# --- validity ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["briefing", "corporate"])
def test_package_structure(decks, name):
    assert package_problems(str(decks[name][0])) == []


def test_package_check_can_fail(decks, tmp_path):
    from lxml import etree
    from pptx.oxml.ns import qn

    src = str(decks["briefing"][0])
    bad = tmp_path / "bad.pptx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "ppt/slides/slide3.xml":
                data = data.replace(b'<p:cNvPr id="3"', b'<p:cNvPr id="2"', 1)
                root = etree.fromstring(data)
                body = next(root.iter(qn("p:txBody")))
                for para in body.findall(qn("a:p")):
                    body.remove(para)
                data = etree.tostring(root)
            if item.filename == "ppt/media/image1.png":
                continue
            zout.writestr(item, data)
    problems = "\n".join(package_problems(str(bad)))
    assert "ppt/slides/slide3.xml: shape ids used twice: 2" in problems
    assert "ppt/slides/slide3.xml: a text body without a paragraph" in problems
    assert "points at missing part ppt/media/image1.png" in problems


@pytest.mark.parametrize("name", ["briefing", "corporate"])
def test_openxml_sdk_rules(decks, name):
    audit = pytest.importorskip("openxml_audit")
    result = audit.validate_pptx(str(decks[name][0]))
    assert [e.description for e in result.errors] == []


# --- LibreOffice --------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(decks, tmp_path_factory):
    """LibreOffice's PDF of each deck, converted in one batch (soffice exits 0 even when it fails)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    out = tmp_path_factory.mktemp("lo")
    files = [str(decks[n][0]) for n in ("briefing", "corporate")]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *files], check=False, capture_output=True, timeout=240)
    made = {}
    for n in ("briefing", "corporate"):
        pdf = out / (n + ".pdf")
        assert pdf.is_file(), f"LibreOffice made no PDF of {n}.pptx"
        made[n] = pdf
    return made


@pytest.mark.parametrize("name", ["briefing", "corporate"])
def test_libreoffice_converts_with_the_slide_count(decks, pdfs, name):
    pypdf = pytest.importorskip("pypdf")
    assert len(pypdf.PdfReader(str(pdfs[name])).pages) == len(Presentation(str(decks[name][0])).slides)


def _words(pdf) -> list[list[tuple[float, float, float, float, str]]]:
    """Words per page from ``pdftotext -bbox``: (xMin, yMin, xMax, yMax, text), in points."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
                      re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)])
    return pages


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("name", ["briefing", "corporate"])
def test_rendered_text_stays_above_the_footer(pdfs, name):
    """In LibreOffice's rendering no word runs into the footer band (6.84 in) or off the slide."""
    rule = 6.84 * 72
    for n, words in enumerate(_words(pdfs[name]), 1):
        for x0, y0, x1, y1, w in words:
            assert x1 <= 13.333 * 72 and y1 <= 7.5 * 72, (n, w)
            if y0 < rule:  # body text, not the footer line
                assert y1 <= rule + 1, f"slide {n}: {w!r} reaches {y1:.1f}pt, below the footer rule"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_measured_lines_match_libreoffice(decks, pdfs):
    """Calibration: the lines LibreOffice sets are the lines the measurer counted, LINE x size apart."""
    from reportgen.writers.pptx.check import frame_lines

    prs_path = str(decks["briefing"][0])
    theme = find_pack("briefing", TEMPLATES).theme
    pages = _words(pdfs["briefing"])
    prs = Presentation(prs_path)
    checked = exact = 0
    for (n, shape_name), (lines, paras, size, (left, top, width, height)) in frame_lines(prs_path, theme).items():
        slide = prs.slides[n - 1]
        if slide.slide_layout.name != "Title and Content" or shape_name == slide.shapes.title.name:
            continue
        words = [w for w in pages[n - 1] if left <= w[0] < left + width and top <= w[1] < top + height and w[4] not in "•–›"]
        baselines: list[float] = []
        for y in sorted(w[3] for w in words):
            if not baselines or y - baselines[-1] > 2.0:
                baselines.append(y)
        # never fewer lines measured than set; one more at most (the measurer wraps at 98 % of the width)
        assert lines - 1 <= len(baselines) <= lines, (n, shape_name, lines, baselines)
        exact += len(baselines) == lines
        if lines > paras:  # some paragraph wraps: its lines are LINE x size apart
            gaps = [b - a for a, b in zip(baselines, baselines[1:])]
            assert any(abs(g - LINE * size) < 0.6 for g in gaps), (n, gaps, size)
            assert min(gaps) > LINE * size - 0.6, (n, gaps, size)
        checked += 1
    assert checked >= 5 and exact >= 0.8 * checked
