"""Footnotes, citations and bare addresses in the PDF (issue 15), from an outline to the pages.

``footnotes.marks_in`` is checked on ReportLab's own flowables (a paragraph
split anywhere, a table, a list before and after layout, a box); the built
report is read back with pdfplumber (word boxes per page) and pypdf (links):
every note stands at the foot of the page that holds its mark, under the
body text and over the footer, overlapping nothing, numbered 1..n; every
citation form prints its numeric text and links each number to its source.
"""

from __future__ import annotations

import io
import re

import pytest

pytest.importorskip("reportlab")
pdfplumber = pytest.importorskip("pdfplumber")

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, Table  # noqa: E402

from conftest import TEMPLATES, page_layout, raised_number, words_of  # noqa: E402
from reportgen.compose import compose  # noqa: E402
from reportgen.doctree import plain  # noqa: E402
from reportgen.errors import InputError  # noqa: E402
from reportgen.loader import load  # noqa: E402
from reportgen.pack import find_pack  # noqa: E402
from reportgen.writers.pdf import PdfWriter  # noqa: E402
from reportgen.writers.pdf.box import Box  # noqa: E402
from reportgen.writers.pdf.footnotes import marks_in  # noqa: E402
from reportgen.writers.pdf.markup import note_mark  # noqa: E402

STYLE = ParagraphStyle("probe", fontName="Helvetica", fontSize=10, leading=12)
LOREM = ("The summit produced a short joint statement on strategic stability, reaffirming that a nuclear war cannot be won "
         "and must never be fought, and launching an integrated bilateral dialogue on arms control and risk reduction. ")


def marked(*numbers: int, words: int = 300) -> Paragraph:
    """A long paragraph with the mark of each of ``numbers`` spread through it."""
    text = [f"w{i}" for i in range(words)]
    for k, n in enumerate(numbers):
        at = (k + 1) * words // (len(numbers) + 1)
        text[at] += note_mark(n)
    return Paragraph(" ".join(text), STYLE)


# --- marks_in, on ReportLab's flowables ---------------------------------------------------------


def test_a_split_paragraph_keeps_each_mark_with_the_part_holding_its_line():
    para = marked(1, 2, 3)
    assert marks_in(para) == [1, 2, 3]
    _w, h = para.wrap(300, 1e9)
    for share in (0.2, 0.4, 0.6, 0.8):
        first, rest = para.split(300, h * share)
        got = marks_in(first), marks_in(rest)
        assert sorted(got[0] + got[1]) == [1, 2, 3] and not set(got[0]) & set(got[1])
        assert got[0] == [n for n in (1, 2, 3) if n / 4 <= share + 0.05][: len(got[0])]  # the early marks stay on the page
        tail = rest.split(300, rest.wrap(300, 1e9)[1] / 2)
        assert sorted(marks_in(tail[0]) + marks_in(tail[1])) == got[1]  # split again (a paragraph over three pages)


def test_marks_in_tables_lists_boxes_and_kept_groups():
    table = Table([[Paragraph("head" + note_mark(1), STYLE)], [Paragraph("cell" + note_mark(2), STYLE)], ["text"]])
    assert marks_in(table) == [1, 2]
    items = ListFlowable([ListItem([Paragraph("one" + note_mark(3), STYLE)]), ListItem([Paragraph("two" + note_mark(4), STYLE)])])
    assert marks_in(items) == [3, 4]
    items.wrapOn(Canvas(io.BytesIO()), 300, 1e9)  # laid out: the list keeps its items elsewhere
    assert marks_in(items) == [3, 4]
    assert marks_in(KeepTogether([Box([Paragraph("boxed" + note_mark(5), STYLE)]), items])) == [5, 3, 4]
    assert marks_in(Paragraph("no note", STYLE)) == []


# --- the built report -----------------------------------------------------------------------------

SOURCES = [{"id": "a", "title": "First source", "url": "https://example.org/a"},
           {"id": "b", "title": "Second source"},
           {"id": "id", "title": "Third source"}]
CITED = [  # (as written, as printed)
    ("[@a]", "[1]"),
    ("[@a; @b]", "[1; 2]"),
    ("[@id, p. 12]", "[3, p. 12]"),
    ("[see @id, pp. 3-4]", "see [3, pp. 3–4]"),
    ("[@a, ch. 2; @b]", "[1, ch. 2; 2]"),
    ("@b", "[2]"),
]


def outline() -> dict:
    """Three sections of long paragraphs, each with a footnoted claim, so that claims fall at page feet; a table and a
    box with notes; a section of every citation form; bare addresses."""
    sections = []
    for i in range(3):
        paras = []
        for k in range(6):
            lead = LOREM * (2 + (i * 6 + k) % 4)
            note = f"Note NOTE{i}x{k}Z: the source says so in more words [@a, p. {k + 1}], at length enough to run onto a second line of the foot."
            paras.append(f"{lead}The claim MARK{i}x{k}Z^[{note}] holds. {LOREM * (1 + k % 3)}")
        sections.append({"title": f"Part {i + 1}", "points": [f"A point MARK{i}pZ^[Note NOTE{i}pZ in a box.]"], "body": "\n\n".join(paras)})
    sections[1]["table"] = {"caption": "Counts", "columns": ["Item", "Value"],
                            "rows": [[f"Row {r} MARK1t{r}Z^[Note NOTE1t{r}Z on a cell.]" if r % 4 == 0 else f"Row {r}", str(r)] for r in range(12)]}
    body = "\n\n".join(f"Form {k}: as {written} says." for k, (written, _p) in enumerate(CITED))
    body += "\n\nRead https://example.org/bare/x. Never javascript:alert(1) nor [a link](https://example.org/md)."
    sections.append({"title": "Citations", "points": [f"Point {k}: {written}." for k, (written, _p) in enumerate(CITED)], "body": body})
    return {"title": "Footnotes", "date": "2021-06-16", "sections": sections, "sources": SOURCES}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import yaml

    tmp = tmp_path_factory.mktemp("footnotes")
    src = tmp / "notes.yaml"
    src.write_text(yaml.safe_dump(outline(), sort_keys=False, width=10000), encoding="utf-8")
    loaded = load(str(src))
    pack = find_pack("briefing", TEMPLATES)
    doc = compose(loaded, pack, "report")
    path = tmp / "notes.pdf"
    warnings = PdfWriter().write(doc, pack.theme, str(path))
    numbers = {re.search(r"NOTE(\w+?)Z", plain(body)).group(1): n for n, body in doc.notes.items()}
    return path, warnings, numbers


def note_rows(notes: list[dict]) -> list[tuple[int, str]]:
    """(number, token) of each note at a page's foot: a raised number, then "Note NOTE…Z:" on its line."""
    out = []
    for num in (w for w in notes if w["text"].isdigit() and w["size"] < 7.5):
        line = sorted((w for w in notes if w is not num and abs(w["top"] - num["top"]) < 3 and w["x0"] > num["x0"]), key=lambda w: w["x0"])
        if len(line) > 1 and line[0]["text"] == "Note":
            out.append((int(num["text"]), re.match(r"NOTE(\w+?)Z", line[1]["text"]).group(1)))
    return sorted(out, key=lambda r: r[0])


def test_the_report_builds_with_every_note_on_its_marks_page(built):
    _path, warnings, numbers = built
    assert not [w for w in warnings if w.code in ("footnote-misplaced", "heading-stranded")], warnings
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))


def test_each_note_stands_at_the_foot_of_the_page_that_holds_its_mark(built):
    path, _w, numbers = built
    marks: dict[str, int] = {}  # token -> the page of its mark
    notes: dict[str, int] = {}  # token -> the page of its note
    at_foot = 0  # marks on the last two lines of their page's text
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            parts = page_layout(page)
            last = max((w["bottom"] for w in parts["body"]), default=0)
            for w in parts["body"]:
                mark = re.match(r"MARK(\w+?)Z$", w["text"])
                if mark:
                    marks[mark.group(1)] = page.page_number
                    assert raised_number(page, w) == numbers[mark.group(1)]
                    at_foot += w["bottom"] > last - 2 * 14.7
            for number, token in note_rows(parts["notes"]):
                notes[token] = page.page_number
                assert number == numbers[token]
    assert set(marks) == set(numbers)
    assert notes == marks  # every note on the page of its mark
    assert at_foot >= 2  # the outline does put marks at page feet, where room is tight


def test_notes_sit_under_the_text_and_over_the_footer_overlapping_nothing(built):
    path, _w, _n = built
    with_notes = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            parts = page_layout(page)
            if parts["rule"] is not None:
                with_notes += 1
                rule, body, notes = parts["rule"], parts["body"], parts["notes"]
                assert notes and all(w["size"] < 9 for w in notes), f"page {page.page_number}: the notes, set smaller than the 10.5pt text"
                assert max(w["bottom"] for w in body) < rule["top"] < min(w["top"] for w in notes), f"page {page.page_number}: text, rule, notes"
                assert max(w["bottom"] for w in notes) < min(w["top"] for w in parts["footer"]), f"page {page.page_number}: the notes over the footer"
            else:
                assert not any(w["text"].startswith("NOTE") for w in parts["body"])
            boxes = sorted(words_of(page), key=lambda w: w["top"])
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    if b["top"] >= a["bottom"] - 0.5:
                        break
                    overlap_x = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    assert overlap_x <= 0.5, f"{a['text']!r} and {b['text']!r} overlap on page {page.page_number}"
    assert with_notes >= 4


def test_notes_are_numbered_one_to_n_through_the_document(built):
    path, _w, numbers = built
    with pdfplumber.open(path) as pdf:
        printed = [row for page in pdf.pages for row in note_rows(page_layout(page)["notes"])]
    assert [n for n, _t in printed] == list(range(1, len(numbers) + 1))


def test_every_citation_form_prints_its_numeric_text(built):
    path, _w, _n = built
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)
    for k, (_written, printed) in enumerate(CITED):
        assert f"Form {k}: as {printed} says." in text
        assert f"Point {k}: {printed}." in text
    assert "@" not in text.replace("javascript:alert(1)", "")


def _links(reader, page) -> list[tuple[str, str]]:
    """("uri", address) or ("dest", destination name) of each link on ``page``."""
    names = {}
    for name, dest in reader.named_destinations.items():
        names[(dest.page.idnum, round(float(dest.top), 1))] = name.lstrip("/")
    out = []
    for annot in page.get("/Annots") or []:
        a = annot.get_object()
        action = a.get("/A")
        action = action.get_object() if action is not None else None
        if action is not None and action.get("/URI"):
            out.append(("uri", str(action["/URI"])))
        elif a.get("/Dest") is not None:
            dest = a["/Dest"]
            out.append(("dest", names.get((dest[0].idnum, round(float(dest[3]), 1)), "?")))
    return out


def test_each_cited_number_links_to_its_source_and_bare_addresses_are_links(built):
    path, _w, _n = built
    reader = PdfReader(str(path))
    page = next(p for p in reader.pages if "Form 0:" in p.extract_text())
    links = _links(reader, page)
    dests = [t for kind, t in links if kind == "dest"]
    # the body's forms, then the points': [1] / [1; 2] / [3, p. 12] / see [3, pp. 3–4] / [1, ch. 2; 2] / [2], each number its own link
    assert dests == ["source-1", "source-1", "source-2", "source-3", "source-3", "source-1", "source-2", "source-2"] * 2
    uris = [t for kind, t in links if kind == "uri"]
    assert "https://example.org/bare/x" in uris and "https://example.org/md" in uris
    assert not any("javascript" in u.lower() for p in reader.pages for _k, u in _links(reader, p))


def test_a_note_too_long_for_the_foot_of_a_page_is_a_located_error(tmp_path):
    import yaml

    src = tmp_path / "long.yaml"
    src.write_text(yaml.safe_dump({"title": "Long", "sections": [{"title": "S", "body": "Text^[" + LOREM * 40 + "] here."}]}), encoding="utf-8")
    loaded = load(str(src))
    pack = find_pack("briefing", TEMPLATES)
    with pytest.raises(InputError) as info:
        PdfWriter().write(compose(loaded, pack, "report"), pack.theme, str(tmp_path / "long.pdf"))
    (problem,) = info.value.problems
    assert problem.path == "sections[0]" and "footnote 1 is" in problem.message and "shorten it" in problem.message


def test_a_trial_copy_of_the_frame_shares_the_footnotes_and_copies_the_rest():
    # ReportLab deep-copies the frame being filled to wrap a list or a kept-together group on trial
    # (``flowables._listWrapOn``): the document's footnotes are shared (a copy grew with every note), the page's own
    # state copied so that the trial leaves it as it was.
    import copy

    from reportgen.writers.pdf.footnotes import Footnotes, NoteFrame

    notes = Footnotes()
    notes.paras[1] = Paragraph("A note.", STYLE)
    frame = NoteFrame(0, 0, 300, 500, notes=notes)
    frame.rg_here.append(1)
    trial = copy.deepcopy(frame)
    assert trial.rg_notes is notes
    assert trial.rg_here == [1] and trial.rg_here is not frame.rg_here
    assert (trial._x1, trial._y1, trial._width, trial._height) == (frame._x1, frame._y1, frame._width, frame._height)
    trial.rg_here.append(2)
    assert frame.rg_here == [1]


def test_a_long_table_with_a_note_in_each_row_splits_once_a_page_as_full_as_its_notes_allow(tmp_path):
    """The rest of a table split above its rows' notes goes on the next page: placed in the room those notes left, it
    repeated the table's header mid-page. And the part that stays is the most that fits with its own notes (the first
    count of notes made room for more notes than the part held: a third of a page stayed empty)."""
    import yaml

    rows = [[f"Row {i} note^[Note for row {i}.]", "x " * 30 + "end"] for i in range(60)]
    src = tmp_path / "t.yaml"
    src.write_text(yaml.safe_dump({"title": "T", "sections": [{"title": "S", "table": {"caption": "Rows", "columns": ["Head A", "Head B"],
                                                                                       "rows": rows}}]}), encoding="utf-8")
    loaded = load(str(src))
    pack = find_pack("briefing", TEMPLATES)
    out = tmp_path / "t.pdf"
    assert PdfWriter().write(compose(loaded, pack, "report"), pack.theme, str(out)) == []
    with pdfplumber.open(str(out)) as pdf:
        pages = [p for p in pdf.pages if "Head A" in (p.extract_text() or "")]
        assert len(pages) >= 3
        for page in pages:
            words = page.extract_words()
            assert sum(1 for w in words if w["text"] == "Head") == 2  # the header ("Head A", "Head B") once a page
            rows_top = [w["top"] for w in words if w["text"] == "Row"]
            notes_top = [w["top"] for w in words if w["text"] == "Note"]
            if page is pages[-1] or len(rows_top) < 3:
                continue
            row_h = min(b - a for a, b in zip(rows_top, rows_top[1:]))
            note_h = min(b - a for a, b in zip(notes_top, notes_top[1:]))
            gap = min(notes_top) - (max(rows_top) + row_h)  # from the last row's foot to the first note
            assert gap < row_h + note_h + 12, (page.page_number, gap, row_h, note_h)  # no room left for one more row and its note


def test_the_rest_of_a_part_split_above_its_notes_waits_for_the_next_page():
    """A split for notes marks the rest (``REST_FROM``): this page's frame takes none of it, though room is left, unless
    it holds nothing yet (it would never be placed); the next page's does."""
    from reportgen.writers.pdf.footnotes import REST_FROM, Footnotes, NoteFrame
    from reportgen.writers.pdf.markup import NOTE_CALLBACK

    notes = Footnotes()
    for n in (1, 2, 3):
        notes.paras[n] = Paragraph(f"Note {n}. " + LOREM, STYLE)
    canv = Canvas(io.BytesIO())
    canv.setNamedCB(NOTE_CALLBACK, lambda *_a: None)  # (the marks' callback: a document's records the page)
    frame = NoteFrame(0, 0, 300, 400, notes=notes)
    para = marked(1, 2, 3, words=400)
    parts = frame.split(para, canv)
    assert len(parts) == 2 and parts[1].__dict__[REST_FROM] == canv.getPageNumber() + 1 and REST_FROM not in parts[0].__dict__
    page = NoteFrame(0, 0, 300, 400, notes=notes)
    assert page.add(Paragraph("Something first.", STYLE), canv)
    small = Paragraph("A short line.", STYLE)
    small.__dict__[REST_FROM] = canv.getPageNumber() + 1
    assert page.add(small, canv) == 0 and page.split(small, canv) == []  # room left, but not for the rest
    canv.showPage()
    page._reset()
    assert page.add(Paragraph("Something first.", STYLE), canv) and page.add(small, canv)  # the next page
    empty = NoteFrame(0, 0, 300, 400, notes=notes)
    late = Paragraph("Another line.", STYLE)
    late.__dict__[REST_FROM] = canv.getPageNumber() + 5
    assert empty.add(late, canv)  # a frame holding nothing takes it: it would never be placed otherwise
