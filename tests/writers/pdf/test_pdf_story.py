"""``writers.pdf.story`` and ``story_blocks``: the document tree to flowables."""

from __future__ import annotations

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.doctree import Figure, Meta, Report, Section, Toc  # noqa: E402
from reportgen.writers.pdf.heading import Heading  # noqa: E402
from reportgen.writers.pdf.story import TOC_CHARS, Story, anchors, shortened, toc_entries  # noqa: E402
from reportgen.writers.pdf.styles import make_kit  # noqa: E402

from pdf_sample import inlines, par  # noqa: E402
from pdf_sample import theme  # noqa: E402,F401  (fixtures)


@pytest.fixture(scope="module")
def kit(theme):
    return make_kit(theme)


def story(kit, warnings=None) -> Story:
    return Story(kit, set(), set(), [] if warnings is None else warnings, numbers=None)


# --- contents entries: cut to TOC_CHARS -----------------------------------------------


def test_short_text_is_kept_whole():
    assert shortened("Outcomes and agreements", 23) == "Outcomes and agreements"
    assert shortened("", 5) == ""


def test_long_text_is_cut_at_a_word_in_the_last_fifth():
    text = "a" * 17 + " bbbbbbbb cccc"
    assert shortened(text, 20) == "a" * 17 + "…"


def test_long_text_without_a_late_word_end_is_cut_at_the_limit():
    text = "aaaa bbbb cccc ddddd eeee"
    assert shortened(text, 20) == "aaaa bbbb cccc dddd…"
    assert len(shortened(text, 20)) == 20


@pytest.mark.parametrize("limit", [2, 5, 12, 40])
def test_a_cut_text_is_never_longer_than_the_limit(limit):
    text = "Strategic stability dialogue launched in Geneva after the summit " * 3
    out = shortened(text, limit)
    assert len(out) <= limit and out.endswith("…")


def test_a_long_heading_is_whole_on_the_page_and_cut_in_the_contents(kit):
    title = "Negotiations " * 30  # 390 characters
    flows = story(kit).section(Section(inlines(title.strip()), [par("Text.")], level=1, number="3", id="long"))
    heading = next(f for f in flows if isinstance(f, Heading))
    assert heading.rg_title == "3 " + title.strip()
    entry = heading.rg_toc
    assert entry.startswith("3&nbsp;&nbsp;&nbsp;Negotiations") and entry.endswith("…")
    assert len(entry) - len("3&nbsp;&nbsp;&nbsp;") <= TOC_CHARS


def test_level_three_headings_have_no_contents_entry(kit):
    flows = story(kit).section(Section(inlines("Detail"), [par("Text.")], level=3, number="1.1.1", id="detail"))
    assert next(f for f in flows if isinstance(f, Heading)).rg_toc is None


# --- what the tree will define -----------------------------------------------------------


def test_anchors_are_the_valid_section_ids_and_contents_when_listed():
    sub = Section(inlines("Sub"), [par("x")], level=2, id="sub.one")
    doc = Report(Meta(title="A"), [Toc(), Section(inlines("One"), [sub], id="one"), Section(inlines("Two"), [], id="has space"), Section(inlines("Three"), [])])
    assert anchors(doc) == {"one", "sub.one", "contents"}


def test_no_contents_anchor_without_sections_to_list():
    assert anchors(Report(Meta(title="A"), [Toc(), par("Only text.")])) == set()
    assert toc_entries(Report(Meta(title="A"), [Toc(), par("Only text.")])) == 0


def test_contents_entries_count_sections_and_their_level_two_subsections():
    sub2 = Section(inlines("Two"), [], level=2)
    sub3 = Section(inlines("Three"), [], level=3)
    doc = Report(Meta(title="C"), [Section(inlines("A"), [sub2, sub3, sub2]), Section(inlines("B"), []), par("x")])
    assert toc_entries(doc) == 4


# --- destination names --------------------------------------------------------------------


def test_destination_names_are_made_safe_and_unique_with_warnings(kit):
    warnings: list = []
    s = story(kit, warnings)
    assert s.key("why") == "why"
    assert s.key("why") == "why-2"
    assert s.key("why") == "why-3"
    assert s.key("a b/c") == "a-b-c"
    assert s.key("") == "section"
    assert [(w.message, w.severity, w.code) for w in warnings] == [
        ("section id 'why' is used twice; the second is 'why-2'", "warning", "section-id"),
        ("section id 'why' is used twice; the second is 'why-3'", "warning", "section-id"),
        ("section id 'a b/c' is not a valid destination name; used 'a-b-c'", "warning", "section-id"),
        ("section id '' is not a valid destination name; used 'section'", "warning", "section-id"),
    ]


def test_sections_without_an_id_are_named_by_number_or_count(kit):
    s = story(kit)
    keys = [next(f for f in s.section(Section(inlines(t), [], number=n)) if isinstance(f, Heading)).rg_key for t, n in (("A", "4"), ("B", ""), ("C", ""))]
    assert keys == ["section-4", "section-2", "section-3"]


# --- figures ---------------------------------------------------------------------------------


def test_figure_is_the_frame_width_unless_too_tall(kit, tmp_path):
    from PIL import Image as PILImage

    wide, tall, taller = tmp_path / "wide.png", tmp_path / "tall.png", tmp_path / "taller.png"
    PILImage.new("RGB", (400, 100)).save(wide)
    PILImage.new("RGB", (400, 1000)).save(tall)
    PILImage.new("RGB", (100, 4000)).save(taller)
    s = story(kit)
    room = kit.frame_height - 3 * kit.styles["caption"].leading - 24
    assert s.figure_size(Figure(str(wide), "w"), 400.0) == (400.0, 100.0)
    assert s.figure_size(Figure(str(tall), "t"), 400.0) == pytest.approx((room * 0.4, room))
    assert s.figure_size(Figure(str(taller), "t"), 400.0) == pytest.approx((room / 40, room))


def test_huge_figure_is_scaled_to_fit(theme, tmp_path):
    from PIL import Image as PILImage

    from reportgen.writers.pdf import PdfWriter

    tall = tmp_path / "tall.png"
    PILImage.new("RGB", (100, 4000), (10, 20, 30)).save(tall)
    doc = Report(Meta(title="Tall"), [Figure(str(tall), "tall", caption=inlines("A very tall image"), number=1)])
    out = tmp_path / "t.pdf"
    PdfWriter().write(doc, theme, str(out))
    assert len(pypdf.PdfReader(str(out)).pages) == 1
