"""``writers.pdf.story`` and ``story_blocks``: the document tree to flowables."""

from __future__ import annotations

import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.doctree import Figure, Meta, Report, Section, Toc, plain  # noqa: E402
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


# --- a story made a part at a time ----------------------------------------------------------------


def _varied_report(sections: int, contents_at: int = 0):
    """A report with a cover, a contents list, sections with and without ids (some ids repeated), level-2 subsections,
    paragraphs between sections and a footnote in each section (more than nine: the notes' numbers take two digits)."""
    from reportgen.compose.decide import decide
    from reportgen.doctree import Cover, Note, Paragraph, Text

    body: list = []
    for i in range(1, sections + 1):
        text = Paragraph([Text(f"Text of section {i}, long enough to wrap onto a second line of the page. " * 3),
                          Note([Text(f"The note of section {i}.")]), Text(" And after the mark.")])
        sub = Section(inlines(f"Part {i}.1"), [par(f"The text of part {i}.1.")], level=2, id="part" if i % 7 == 0 else f"p{i}")
        ident = "dup" if i % 5 == 0 else ("" if i % 3 == 0 else f"s{i}")
        body.append(Section(inlines(f"Section {i}"), [text, sub], number=str(i), id=ident))
        if i % 4 == 0:
            body.append(par(f"A paragraph between sections {i} and {i + 1}."))
    body.insert(contents_at, Toc())  # (where the report puts its contents list: first, or after some sections)
    return decide(Report(Meta(title="A varied report", date="2021-06-16"), [Cover(), *body]))


def _write(theme, report, path, whole: bool, monkeypatch, standard: str = "ua-1") -> list:
    """Write ``report`` to ``path``, its story made whole first (as ``report`` makes it) or a part at a time."""
    from reportgen.writers import pdf

    with monkeypatch.context() as m:
        m.setattr(pdf, "LAZY_FROM", 10**9 if whole else 1)
        writer = pdf.PdfWriter()
        writer.standard = standard
        return writer.write(report, theme, str(path))


@pytest.mark.parametrize("contents_at, standard", [(0, "ua-1"), (7, "ua-1"), (7, "none")])
def test_a_report_made_a_part_at_a_time_is_the_report_made_whole(theme, tmp_path, monkeypatch, contents_at, standard):
    """The same file, byte for byte, and the same warnings, whether the story is made whole before the layout or a
    part at a time as the layout reaches it: the same destination names (repeated ids, sections with none), contents
    entries (the list first, or after some sections), structure, footnotes (their numbers as wide as the widest)."""
    whole = _write(theme, _varied_report(40, contents_at), tmp_path / "whole.pdf", True, monkeypatch, standard)
    parts = _write(theme, _varied_report(40, contents_at), tmp_path / "parts.pdf", False, monkeypatch, standard)  # (tagged or not)
    assert (tmp_path / "parts.pdf").read_bytes() == (tmp_path / "whole.pdf").read_bytes()
    assert [str(w) for w in parts] == [str(w) for w in whole]
    assert any("used twice" in str(w) for w in parts)
    reader = pypdf.PdfReader(str(tmp_path / "parts.pdf"))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "The note of section 40." in text and "Part 40.1" in text


def test_a_long_reports_sections_are_made_as_the_layout_reaches_them(theme, tmp_path, monkeypatch):
    """Each section's flowables are made when the pages before it are laid out, not all before the first page."""
    from reportgen.writers.pdf import page

    pages: list[int] = []
    made: list[int] = []
    after, section = page.ReportDoc.afterPage, Story._section_parts
    monkeypatch.setattr(page.ReportDoc, "afterPage", lambda self: (pages.append(self.page), after(self))[1])
    monkeypatch.setattr(Story, "_section_parts", lambda self, s, *a: (made.append(len(pages)), section(self, s, *a))[1])
    _write(theme, _varied_report(60), tmp_path / "parts.pdf", False, monkeypatch)
    top = made[::2]  # (each section's part made with its subsection's)
    assert len(pages) > 20 and top == sorted(top)
    assert top[0] <= 8 and top[-1] >= len(pages) - 3  # (the first after the cover and the contents' pages)


def _deep_report(sections: int, subsections: int):
    """A report of few sections holding many subsections: blocks before, between and after them, a footnote in each,
    and a section that opens with a subsection whose first block is a table wide enough for a landscape page (the
    switches before it go before the section's heading)."""
    from reportgen.compose.decide import decide
    from reportgen.doctree import Cover, Note, Paragraph, Table, Text

    wide = Table([inlines(f"Column{c}LongHeadingWithoutAnyBreak") for c in range(8)],
                 [[inlines(f"Cell{r}{c}WithoutABreakEither") for c in range(8)] for r in range(3)])
    body: list = []
    for i in range(1, sections + 1):
        subs = []
        for k in range(1, subsections + 1):
            first = [wide] if (i, k) == (2, 1) else []
            note = Paragraph([Text(f"Part {i}.{k} is marked."), Note([Text(f"The note of part {i}.{k}.")])])
            subs.append(Section(inlines(f"Part {i}.{k}"), [*first, par(f"The text of part {i}.{k}, long enough to wrap. " * 12), note],
                                level=2, id=f"p{i}-{k}"))
            if k % 5 == 0:
                subs.append(par(f"Between parts {i}.{k} and {i}.{k + 1}."))
        opening = [] if i == 2 else [par(f"The opening of section {i}.")]
        body.append(Section(inlines(f"Section {i}"), [*opening, *subs, par(f"The close of section {i}.")], number=str(i), id=f"s{i}"))
    return decide(Report(Meta(title="A deep report", date="2021-06-16"), [Cover(), Toc(), *body]))


def test_a_report_of_few_sections_holding_many_is_made_a_part_at_a_time_the_same(theme, tmp_path, monkeypatch):
    """A section's heading with what it is kept with, each subsection and each run of blocks between them are parts
    of their own: the same file, byte for byte, as the story made whole (the landscape table's page switch still
    before its section's heading), and the subsections made as the layout reaches them."""
    from reportgen.writers.pdf import page

    whole = _write(theme, _deep_report(3, 12), tmp_path / "whole.pdf", True, monkeypatch)
    pages: list[int] = []
    made: list[tuple[str, int]] = []
    after, section = page.ReportDoc.afterPage, Story._section_parts
    monkeypatch.setattr(page.ReportDoc, "afterPage", lambda self: (pages.append(self.page), after(self))[1])
    monkeypatch.setattr(Story, "_section_parts", lambda self, s, *a: (made.append((plain(s.title), len(pages))), section(self, s, *a))[1])
    parts = _write(theme, _deep_report(3, 12), tmp_path / "parts.pdf", False, monkeypatch)
    assert (tmp_path / "parts.pdf").read_bytes() == (tmp_path / "whole.pdf").read_bytes()
    assert [str(w) for w in parts] == [str(w) for w in whole]
    reader = pypdf.PdfReader(str(tmp_path / "parts.pdf"))
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages)  # (the wide table's landscape page)
    at = dict(made)
    assert len(pages) > 12 and at["Part 1.1"] <= 3 and at["Part 3.12"] >= len(pages) - 3, (made, len(pages))
    assert at["Section 3"] >= at["Part 2.12"] > at["Part 2.1"]


def test_a_sections_first_part_holds_what_its_heading_is_kept_with_and_goes_after(theme):
    """Made a part at a time, a section's first part is decided as when made whole: the page switches its first
    subsection opens with (a landscape table) go before the section's heading, and the heading is kept with that
    subsection's heading and first lines; the rest of the subsections come in later parts."""
    from reportgen.writers.pdf.keep import KeepWithNext
    from reportgen.writers.pdf.templates import is_switch

    section = _deep_report(3, 4).children[3]  # (cover, contents, section 1, section 2: it opens with part 2.1 and its table)
    made = Story(make_kit(theme), set(), set(), [], numbers=None)
    parts = list(made._section_parts(section, release=True))
    first = parts[0]
    assert is_switch(first[0]) and isinstance(next(f for f in first if not is_switch(f)), KeepWithNext)  # (switches, then the heading's keep)
    keep = next(f for f in first if isinstance(f, KeepWithNext))
    assert [f.rg_title for f in keep.flows if isinstance(f, Heading)] == ["2 Section 2", "Part 2.1"]
    assert len(parts) >= 4 and section.children == []  # (its subsections and the blocks after them in later parts; taken)
    whole = Story(make_kit(theme), set(), set(), [], numbers=None).section(_deep_report(3, 4).children[3])
    assert [type(f).__name__ for f in whole] == [type(f).__name__ for p in parts for f in p]


def test_the_parts_of_a_report_count_its_sections_at_every_level():
    from reportgen.writers.pdf import parts

    assert parts(_deep_report(3, 12)) == 2 + 3 + 3 * 12
    assert parts(_varied_report(10)) == 1 + 10 + 2 + 1 + 10  # (cover, sections, paragraphs between, contents; subsections)


def test_a_long_reports_parts_are_let_go_as_the_layout_passes_them(theme, tmp_path, monkeypatch):
    """Made a part at a time, each top-level part of the composed tree is let go once made (the writer takes the
    report's children): at N = 100 the tree was 7 MB held to the end of the layout. The file is the same (above)."""
    from reportgen.writers.pdf import page

    freed: list[tuple[int, int]] = []  # (section number, pages laid out when it was let go)
    pages: list[int] = []

    class Watched(Section):
        def __del__(self):
            freed.append((int(self.number), len(pages)))

    after = page.ReportDoc.afterPage
    monkeypatch.setattr(page.ReportDoc, "afterPage", lambda self: (pages.append(self.page), after(self))[1])
    report = Report(Meta(title="T", date="2021-06-16"),
                    [Toc(), *(Watched(inlines(f"Section {i}"), [par(f"Text of section {i}. " * 60)], number=str(i), id=f"s{i}") for i in range(1, 41))])
    _write(theme, report, tmp_path / "parts.pdf", False, monkeypatch)
    assert report.children == []
    assert sorted(n for n, _ in freed) == list(range(1, 41))
    early = [n for n, at in freed if at < len(pages) // 2]
    assert 1 in early and len(early) >= 10, (freed, len(pages))  # let go while the pages after it were laid out


@pytest.mark.parametrize("children, lazily", [(9, False), (10, True)])
def test_a_long_report_is_made_a_part_at_a_time_a_short_one_at_once(theme, tmp_path, monkeypatch, children, lazily):
    """From ``LAZY_FROM`` top-level parts on, the story is made as the layout reaches each (its memory bounded);
    below, at once (faster)."""
    from reportgen.writers import pdf

    calls: list[str] = []
    real_lazily, real_report = Story.lazily, Story.report
    monkeypatch.setattr(Story, "lazily", lambda self, doc: (calls.append("lazily"), real_lazily(self, doc))[1])
    monkeypatch.setattr(Story, "report", lambda self, doc: (calls.append("report"), real_report(self, doc))[1])
    monkeypatch.setattr(pdf, "LAZY_FROM", 10)
    report = Report(Meta(title="T", date="2021-06-16"), [Toc(), *(Section(inlines(f"S {i}"), [par("x")], id=f"s{i}") for i in range(children - 1))])
    pdf.PdfWriter().write(report, theme, str(tmp_path / "t.pdf"))
    assert calls == (["lazily"] if lazily else ["report"])


@pytest.mark.parametrize("whole", [True, False])
def test_a_footnote_too_long_for_a_page_is_one_located_error_however_the_story_is_made(theme, tmp_path, monkeypatch, whole):
    """A footnote taller than the foot of a page may hold is an error at the block holding its mark, the same whether
    the story is made at once or a part at a time (then found as the layout reaches its section), and no file is
    left half-written by the writer's caller (``build.stage``)."""
    from reportgen.compose.decide import decide
    from reportgen.doctree import Note, Paragraph, Text
    from reportgen.errors import InputError

    sections = [Section(inlines(f"Section {i}"), [par(f"Text {i}.")], id=f"s{i}") for i in range(1, 30)]
    long_note = Note([Text("A note that goes on and on about the summit. " * 400)])
    sections.append(Section(inlines("The last"), [Paragraph([Text("Marked here."), long_note])], id="last"))
    report = decide(Report(Meta(title="T", date="2021-06-16"), [Toc(), *sections]))
    with pytest.raises(InputError) as caught:
        _write(theme, report, tmp_path / "t.pdf", whole, monkeypatch)
    problem = caught.value.problems[0]
    assert problem.code == "footnote-too-long"
    assert "footnote 1 is" in problem.message and "section 'The last'" in str(problem)
