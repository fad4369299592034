"""``writers.pdf.page``: the outline, named destinations, metadata, running header and footer."""

from __future__ import annotations


import pytest

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("reportlab")

from reportgen.doctree import Meta, Report, Section  # noqa: E402

from pdf_sample import inlines, par, TITLE  # noqa: E402
from pdf_sample import built, theme  # noqa: E402,F401  (fixtures)


def test_outline_lists_every_section_at_its_level(built):
    _, _, reader = built

    def walk(items, depth, out):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1, out)
            else:
                out.append((depth, item.title))
        return out

    entries = walk(reader.outline, 0, [])
    assert (0, "1 Why the Summit Mattered") in entries
    assert (1, "1.1 Strategic Stability") in entries
    assert (0, "2 Outcomes and Agreements") in entries
    assert (1, "2.1 Global Impact") in entries
    assert (2, "2.1.1 Regional Detail") in entries
    assert (0, "Sources") in entries


def test_named_destinations_for_sections_and_sources(built):
    _, _, reader = built
    names = {n.lstrip("/") for n in reader.named_destinations}  # a /Dests dictionary: keys are PDF names
    assert {"why", "stability", "outcomes", "impact", "regional", "sources", "source-1", "source-2"} <= names


def test_metadata(built):
    _, _, reader = built
    meta = reader.metadata
    assert meta.title == TITLE
    assert meta.author == "Policy Analysis Unit"
    assert meta.subject == "US–Russia summit briefing"
    assert meta.creator == "reportgen"
    assert "summit" in meta.get("/Keywords", "")
    assert str(meta.get("/CreationDate", "")).startswith("D:20210616")


def test_page_count_and_running_header(built):
    _, _, reader = built
    n = len(reader.pages)
    assert 6 <= n <= 16
    cover = reader.pages[0].extract_text()
    assert "Page 1 of" not in cover and "UNCLASSIFIED" in cover and "16 June 2021" in cover
    for i, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert f"Page {i} of {n}" in text
        assert TITLE in text and "Prepared with reportgen" in text


def test_long_footer_is_cut_to_the_room_the_page_label_leaves(theme, tmp_path):
    """The footer text is fitted once "Page N of M" is known (it is drawn with it after the last page)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reportgen.writers.pdf import PdfWriter
    from reportgen.writers.pdf.styles import make_kit

    long_footer = "Prepared with reportgen for the policy analysis unit; distribution limited to named recipients " * 3
    unmarked = theme.model_copy(update={"footer": long_footer, "marking": theme.marking.model_copy(update={"default": ""})})
    meta = Meta(title="Footer", subtitle="", author="", date="2021-06-16", date_text="16 June 2021", classification="")
    out = tmp_path / "footer.pdf"
    PdfWriter().write(Report(meta, [Section(inlines("Only"), [par("Text.")], level=1, id="only")]), unmarked, str(out))
    page = pypdf.PdfReader(str(out)).pages[0].extract_text()
    shown = next(line for line in page.splitlines() if line.startswith("Prepared with"))
    assert shown.endswith("…") and "Page 1 of 1" in page and "UNCLASSIFIED" not in page
    kit = make_kit(unmarked)
    m = unmarked.page.margins
    room = kit.page_size[0] - m.left - m.right - stringWidth("Page 1 of 1", kit.heading.regular, unmarked.sizes.small - 0.5) - 18
    width = stringWidth(shown, kit.font_for(long_footer, kit.heading.regular), unmarked.sizes.small - 0.5)
    assert room - 12 < width <= room  # as long as the room allows, to within a character


# --- the document's date ------------------------------------------------------------------------


@pytest.mark.parametrize(("created", "date", "want"), [("2021-06-16T09:30:05Z", "2020-01-01", "D:20210616093005"), ("", "2019-03-04", "D:20000101000000")])
def test_the_file_is_dated_by_meta_created_alone(theme, tmp_path, created, date, want):
    """Composing always sets ``created`` (SOURCE_DATE_EPOCH, else the outline's date); the writer reads nothing else."""
    from reportgen.writers.pdf import PdfWriter

    out = tmp_path / "d.pdf"
    PdfWriter().write(Report(Meta(title="Dated", date=date, created=created), [par("Text.")]), theme, str(out))
    meta = pypdf.PdfReader(str(out)).metadata
    assert meta["/CreationDate"].startswith(want) and meta["/ModDate"] == meta["/CreationDate"]
