"""``reportgen.compat.reportlab``: every ReportLab internal reportgen relies on still exists, and still does its job.

``test_the_internal_still_exists`` looks up each name ``INTERNALS`` lists on
a real object of its owner (made by the installed ReportLab); the other tests
check each adapter against ReportLab itself, so that an upgrade that moves or
renames one fails here, by name, rather than as a wrong PDF.
"""

from __future__ import annotations

import io
import os
import re
import traceback
from types import SimpleNamespace

import pytest

pytest.importorskip("reportlab")

from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.utils import TimeStamp  # noqa: E402
from reportlab.pdfbase import pdfdoc, pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import Flowable, Frame, KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table  # noqa: E402
from reportlab.platypus import paragraph as rl_paragraph  # noqa: E402
from reportlab.platypus import paraparser  # noqa: E402
from reportlab.platypus.tableofcontents import TableOfContents  # noqa: E402

from reportgen.compat import reportlab as compat  # noqa: E402

from conftest import TEMPLATES  # noqa: E402

FONT = os.path.join(TEMPLATES, "briefing", "fonts", "LiberationSans-Regular.ttf")
STYLE = ParagraphStyle("probe", fontName="Helvetica", fontSize=10, leading=12)


def font_bytes() -> bytes:
    with open(FONT, "rb") as fh:
        return fh.read()


def _canvas_in_on_draw() -> SimpleNamespace:
    """The canvas's attributes as an ``<onDraw>`` callback of a paragraph sees them (its methods too)."""
    canv = Canvas(io.BytesIO(), pagesize=(300, 400))
    seen: dict = {}
    canv.setNamedCB("probe", lambda c, kind, label: seen.update(vars(c)))
    para = Paragraph('Text <onDraw name="probe" label="x"/> more', STYLE)
    para.wrapOn(canv, 200, 100)
    para.drawOn(canv, 10, 10)
    assert seen, "the <onDraw> callback was never called"
    return SimpleNamespace(**{**{n: getattr(Canvas, n) for n in dir(Canvas) if not n.startswith("__")}, **seen})


def _finished_page():
    """The PDFPage a canvas has just finished, as ReportLab left it."""
    canv = Canvas(io.BytesIO())
    canv.drawString(10, 10, "x")
    canv.showPage()
    return canv._doc.Pages.pages[-1]


def _wrapped_paragraph() -> Paragraph:
    para = Paragraph("Some words to break into lines " * 4, STYLE)
    para.wrap(120, 1000)
    return para


@pytest.fixture(scope="module")
def owners() -> dict:
    """A real object of each owner ``INTERNALS`` names, made by the installed ReportLab."""
    canv = _canvas_in_on_draw()
    face = TTFont("rg-compat-probe", compat.font_file(font_bytes(), FONT)).face
    return {
        "reportlab.pdfgen.canvas.Canvas": canv,
        "reportlab.pdfbase.pdfdoc.PDFDocument": canv._doc,
        "reportlab.pdfbase.pdfdoc.PDFPage": _finished_page(),
        "reportlab.pdfbase.pdfdoc.PDFCatalog": SimpleNamespace(**dict.fromkeys(set(pdfdoc.PDFCatalog.__NoDefault__) & set(pdfdoc.PDFCatalog.__Refs__)),
                                                               __NoDefault__=pdfdoc.PDFCatalog.__NoDefault__),
        "reportlab.pdfbase.pdfdoc": pdfdoc,
        "reportlab.pdfbase.pdfdoc.PDFInfo": pdfdoc.PDFInfo(),
        "reportlab.pdfbase.pdfdoc.LinkAnnotation": pdfdoc.LinkAnnotation([0, 0, 1, 1], "", "dest"),
        "reportlab.pdfbase.pdfdoc.PDFStream": pdfdoc.PDFStream(),
        "reportlab.pdfbase.pdfdoc.PDFImageXObject": pdfdoc.PDFImageXObject("probe"),
        "reportlab.pdfbase.pdfutils": __import__("reportlab.pdfbase.pdfutils", fromlist=["pdfutils"]),
        "reportlab.pdfbase.pdfdoc.Destination": pdfdoc.Destination("probe"),
        "reportlab.lib.utils.TimeStamp": TimeStamp(invariant=1),
        "reportlab.lib.utils": __import__("reportlab.lib.utils", fromlist=["utils"]),
        "reportlab.rl_config": __import__("reportlab.rl_config", fromlist=["rl_config"]),
        "reportlab.lib.utils.ImageReader": _read_image(),
        "reportlab.platypus.tableofcontents.TableOfContents": TableOfContents(),
        "reportlab.platypus.flowables.Flowable": Flowable(),
        "reportlab.platypus.frames.Frame": Frame(0, 0, 100, 100),
        "reportlab.platypus.flowables.KeepTogether": KeepTogether([Spacer(1, 1)]),
        "reportlab.platypus.flowables.ListFlowable": ListFlowable([ListItem(Spacer(1, 1))]),
        "reportlab.platypus.flowables.LIIndenter": ListFlowable([ListItem(Spacer(1, 1))])._content[0],
        "reportlab.platypus.flowables.BulletDrawer": ListFlowable([ListItem(Spacer(1, 1))])._content[0]._bullet,
        "reportlab.pdfgen.textobject.PDFTextObject": Canvas(io.BytesIO()).beginText(),
        "reportlab.platypus.paragraph.Paragraph": _wrapped_paragraph(),
        "reportlab.platypus.paragraph": rl_paragraph,
        "reportlab.platypus.paraparser": paraparser,
        "reportlab.platypus.paraparser.ParaFrag": paraparser.ParaFrag(text="x"),
        "reportlab.pdfbase.ttfonts.TTFont": SimpleNamespace(face=face),
        "reportlab.pdfbase.ttfonts.TTFontFace": face,
        "reportlab.pdfbase.ttfonts": __import__("reportlab.pdfbase.ttfonts", fromlist=["ttfonts"]),
        "reportlab.pdfbase.pdfmetrics": pdfmetrics,
        "reportlab.pdfbase.ttfonts.TTFont.State": TTFont.State(True, SimpleNamespace(face=face)),
    }


def _read_image():
    """An ``ImageReader`` of a PNG with an alpha channel, its pixels read (``getRGBData``: what sets ``_dataA``)."""
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(_png("RGBA")))
    reader.getRGBData()
    return reader


def test_every_owner_has_a_probe(owners):
    assert {i.owner for i in compat.INTERNALS} <= set(owners)


@pytest.mark.parametrize("internal", compat.INTERNALS, ids=lambda i: f"{i.owner.rsplit('.', 1)[-1]}.{i.name}")
def test_the_internal_still_exists(owners, internal):
    assert hasattr(owners[internal.owner], internal.name), f"{internal.owner} has no {internal.name} ({internal.use}): re-check reportgen/compat/reportlab.py"


# --- each adapter, against ReportLab ----------------------------------------------------------


def test_contained_flowables():
    a, b = Spacer(1, 1), Spacer(1, 2)
    assert list(compat.contained(KeepTogether([a, b]))) == [a, b]
    assert len(compat.contained(ListFlowable([ListItem(a), ListItem(b)]))) == 2
    assert compat.contained(a) is None and compat.contained(Paragraph("x", STYLE)) is None


def test_the_frame_being_placed_in_and_whether_it_is_empty():
    seen = []

    class Probe(Flowable):
        def wrap(self, aw, ah):
            frame = compat.placing_frame(self)
            seen.append((frame.id, compat.frame_is_empty(frame)))
            return 10, 10

        def draw(self):
            pass

    SimpleDocTemplate(io.BytesIO()).build([Probe(), Spacer(1, 20), Probe()])
    assert seen == [("normal", True), ("normal", False)]
    assert compat.placing_frame(Flowable()) is None  # outside a build


def test_a_paragraph_too_narrow_answers_no_room():
    assert Paragraph("Words", STYLE).wrap(0, 100) == (0, compat.NO_ROOM)


def test_wrapped_lines_are_what_split_uses():
    para = _wrapped_paragraph()  # wrapped 120 wide
    narrow = compat.wrapped_lines(para)
    narrow_words = [[w for w in line[1]] for line in narrow[0].lines]
    para.wrap(400, 1000)
    assert len(para.blPara.lines) < len(narrow_words)
    compat.restore_wrapped_lines(para, narrow)
    first, rest = para.split(400, 2 * STYLE.leading)  # the lines restored, not those of the last wrap
    first.wrap(120, 1000)
    assert [list(line[1]) for line in first.blPara.lines] == narrow_words[:2]
    assert compat.wrapped_lines(para)[1] == [120, 120]


def test_clean_text_and_parsed_fragments():
    assert compat.clean_text("  spaced   out \n second line ") == "spaced out second line"
    frags = compat.parse_fragments("x", STYLE)
    assert [f.text for f in frags] == ["x"] and frags[0].fontName == "Helvetica" and frags[0].fontSize == 10
    copy = compat.fragment_with_text(frags[0], "other")
    assert copy.text == "other" and {k: v for k, v in vars(copy).items() if k != "text"} == {k: v for k, v in vars(frags[0]).items() if k != "text"}
    assert compat.parse_fragments("a <b>b</b>", STYLE)[1].fontName == "Helvetica-Bold"


def test_page_size_and_text_end():
    canv = Canvas(io.BytesIO(), pagesize=(300, 400))
    assert compat.page_size(canv) == (300, 400)
    canv.setPageSize((400, 300))
    assert compat.page_size(canv) == (400, 300)
    ends = []
    canv.setNamedCB("end", lambda c, kind, label: ends.append(compat.text_end(c)))
    para = Paragraph('Some text<onDraw name="end" label=""/>', STYLE)
    para.wrapOn(canv, 200, 100)
    para.drawOn(canv, 10, 50)
    (x, y), = ends
    assert x == pytest.approx(pdfmetrics.stringWidth("Some text", "Helvetica", 10)) and isinstance(y, (int, float))


def _pdf(draw) -> bytes:
    out = io.BytesIO()
    canv = Canvas(out, invariant=1)
    draw(canv)
    canv.showPage()
    canv.save()
    return out.getvalue()


def test_creation_time():
    import datetime as dt

    data = _pdf(lambda canv: compat.set_creation_time(canv, dt.datetime(2021, 6, 16, 9, 30, 5)))
    assert b"/CreationDate (D:20210616093005+00'00')" in data and b"/ModDate (D:20210616093005+00'00')" in data


def test_named_destinations_table():
    pypdf = pytest.importorskip("pypdf")

    def draw(canv):
        canv.bookmarkHorizontal("here", 0, 100)
        canv.bookmarkHorizontal("there", 0, 50)
        compat.add_named_destinations(canv)

    reader = pypdf.PdfReader(io.BytesIO(_pdf(draw)))
    assert list(reader.trailer["/Root"]["/Dests"].keys()) == ["/here", "/there"]
    assert set(reader.named_destinations) == {"/here", "/there"}


def test_the_contents_table_is_the_one_split_and_drawn():
    toc = TableOfContents()
    table = Table([[f"row {i}"] for i in range(20)])
    compat.set_contents_table(toc, table)
    canv = Canvas(io.BytesIO())
    toc.canv = canv
    table.wrapOn(canv, 200, 1000)
    parts = toc.split(200, 50)
    assert len(parts) == 2 and parts[0]._cellvalues[0] == ["row 0"]
    toc.drawOn(canv, 0, 0)  # draws the table given, no error


def test_glyph_map_and_font_file():
    buf = compat.font_file(font_bytes(), FONT)
    font = TTFont("rg-compat-glyphs", buf)
    assert font.face.filename == FONT
    pdfmetrics.registerFont(font)
    glyphs = compat.glyph_map("rg-compat-glyphs")
    assert ord("A") in glyphs and ord("\u4e2d") not in glyphs


def test_a_lazy_font_is_registered_unparsed_and_is_a_ttfont_once_parsed():
    eager = TTFont("rg-compat-eager", compat.font_file(font_bytes(), FONT))
    pdfmetrics.registerFont(eager)
    calls = []
    lazy = compat.LazyTTFont("rg-compat-lazy", lambda: calls.append(1) or compat.parse_face(font_bytes(), FONT))
    compat.register_lazy(lazy)
    assert calls == [] and pdfmetrics.getFont("rg-compat-lazy") is lazy
    assert [pdfmetrics.getFont(n) for n in pdfmetrics.getRegisteredFontNames() if n == "rg-compat-lazy"] == [lazy]
    from reportlab.lib.fonts import tt2ps

    assert [tt2ps("rg-compat-lazy", b, i) for b in (0, 1) for i in (0, 1)] == ["rg-compat-lazy"] * 4  # its own family, as registerFont makes it
    assert set(vars(eager)) - {"face"} <= set(vars(lazy))  # every attribute TTFont.__init__ sets
    for key in set(vars(eager)) - {"face", "fontName", "state", "encoding"}:
        assert vars(lazy)[key] == vars(eager)[key], key
    assert type(lazy.encoding) is type(eager.encoding) and type(lazy.state) is type(eager.state)
    assert calls == []
    assert pdfmetrics.getAscentDescent("rg-compat-lazy", 10) == pdfmetrics.getAscentDescent("rg-compat-eager", 10)
    assert {"ascent", "descent"} <= set(vars(lazy))  # held by the font itself: getAscentDescent reads them without an exception
    assert lazy.stringWidth("Hello, world", 10) == eager.stringWidth("Hello, world", 10)
    assert calls == [1]  # parsed once
    assert {k: v for k, v in vars(lazy.face).items() if k != "_pdfScale"} == {k: v for k, v in vars(eager.face).items() if k != "_pdfScale"}
    assert lazy.face._pdfScale(1000) == eager.face._pdfScale(1000)  # (a lambda each)


def test_a_lazy_font_splits_strings_as_reportlab_does_call_by_call(monkeypatch):
    """The same texts, in the same order, through ReportLab's ``splitString`` and the lazy font's: the same runs, and
    the same codes assigned (first meetings, no-break spaces, characters the font lacks, a second subset); ReportLab's
    own method runs for the lazy font only when a character has no code in subset 0 yet."""
    import random

    eager = TTFont("rg-compat-split-eager", compat.font_file(font_bytes(), FONT))
    lazy = compat.LazyTTFont("rg-compat-split-lazy", lambda: compat.parse_face(font_bytes(), FONT))
    doc_a, doc_b = pdfdoc.PDFDocument(), pdfdoc.PDFDocument()
    calls = []
    split = TTFont.splitString
    monkeypatch.setattr(TTFont, "splitString", lambda self, *a, **k: calls.append(self) or split(self, *a, **k))
    alphabet = "abcdefghij ABC .,;\u00a0\u00e9\u2013\u201c\u201d\u4e2d\U0001f600" + "".join(map(chr, range(0x410, 0x450))) + "".join(map(chr, range(0x100, 0x17f)))
    rng = random.Random(18)
    texts = ["", "plain text", "\u00a0", "caf\u00e9 \u2013 \u201cquoted\u201d", "plain text again"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(100)]
    texts += ["".join(rng.choice(alphabet[:23]) for _ in range(rng.randint(0, 40))) for _ in range(300)]  # as a document goes on
    expected = 0
    for text in texts:
        known = eager.state[doc_a].assignments if doc_a in eager.state else {}
        expected += not text or not known or any(known.get(32 if c == "\u00a0" else ord(c), 256) >= 256 for c in text)
        assert lazy.splitString(text, doc_b) == eager.splitString(text, doc_a), text
        assert lazy.state[doc_b].assignments == eager.state[doc_a].assignments and lazy.state[doc_b].subsets == eager.state[doc_a].subsets
    assert len(eager.state[doc_a].subsets) == 2  # a second subset was opened
    assert calls.count(lazy) == expected and expected < len(texts) / 2


def test_a_lazy_font_that_fails_to_parse_fails_alike_at_every_use():
    calls = []

    def broken():
        calls.append(1)
        raise ValueError("not a font")

    lazy = compat.LazyTTFont("rg-compat-broken", broken)
    for n in (1, 2):
        with pytest.raises(ValueError, match="not a font") as info:
            lazy.face
        assert info.value is lazy.failure and lazy.failed == n
    with pytest.raises(AttributeError, match="missing attribute face"):  # what ReportLab's accelerator makes of it
        lazy.stringWidth("x", 10)
    assert lazy.failed == 3 and calls == [1]
    depths = []
    for _ in range(3):  # raised again, its traceback does not grow with each use (holding every failed build's frames)
        try:
            lazy.face
        except ValueError as exc:
            depths.append(len(traceback.extract_tb(exc.__traceback__)))
    assert depths[0] == depths[1] == depths[2]


def test_a_lazy_font_lets_go_of_what_it_was_parsed_from():
    lazy = compat.LazyTTFont("rg-compat-released", lambda: compat.parse_face(font_bytes(), FONT))
    assert lazy.face.name and lazy._parse is None


def test_completed_fragments_compare_as_before():
    from reportlab.lib.rl_accel import sameFrag

    def frag(**kw):
        return paraparser.ParaFrag(**{"fontName": "Helvetica", "fontSize": 10, "textColor": None, "rise": 0, "us_lines": [], "link": [], **kw})

    pairs = [(frag(), frag()), (frag(nobr=True), frag()), (frag(), frag(nobr=True)), (frag(nobr=True), frag(nobr=True)),
             (frag(fontSize=11), frag())]
    before = [sameFrag(f, g) for f, g in pairs]
    for f, g in pairs:
        compat.complete_fragments([f, g, [f]])  # (a split part's words are lists: left as they are)
    assert [sameFrag(f, g) for f, g in pairs] == before == [True, False, False, True, False]
    assert [f.nobr for f, _g in pairs] == [False, True, False, True, False]
    assert "backColor" not in pairs[0][0].__dict__  # (ReportLab asks hasattr(frag, 'backColor') to choose a path)


def test_a_split_part_opens_with_its_text_not_the_line_break_before_it():
    para = Paragraph("x <a href='https://x.org'>aaa<br/>bbb<br/>ccc<br/>ddd</a> y", STYLE)
    para.wrap(200, 1000)
    _first, rest = para.split(200, 2 * STYLE.leading)
    rest.wrap(200, 1000)
    assert ["".join(f.text for f in line.words) for line in rest.blPara.lines][0] == ""  # ReportLab's: an empty line first
    _first, rest = para.split(200, 2 * STYLE.leading)
    compat.drop_leading_breaks(rest)
    rest.wrap(200, 1000)
    assert ["".join(f.text for f in line.words) for line in rest.blPara.lines] == ["ccc", "ddd y"]
    plain = Paragraph("no break here", STYLE)
    compat.drop_leading_breaks(plain)  # a paragraph not made by a split: unchanged
    assert [f.text for f in plain.frags] == ["no break here"]


def test_on_draw_labels_in_a_paragraph_and_in_the_parts_it_splits_into():
    words = [f"w{i}" for i in range(120)]
    words[20] += '<onDraw name="probe" label="a"/>'
    words[100] += '<onDraw name="probe" label="b"/><onDraw name="other" label="c"/>'
    para = Paragraph(" ".join(words), STYLE)
    assert compat.on_draw_labels(para, "probe") == ["a", "b"]
    _w, h = para.wrap(200, 1000)
    first, rest = para.split(200, h / 2)
    assert compat.on_draw_labels(first, "probe") == ["a"] and compat.on_draw_labels(rest, "probe") == ["b"]
    assert compat.on_draw_labels(Paragraph("plain", STYLE), "probe") == []


def test_a_raised_frame_floor_leaves_less_room_and_comes_back():
    frame = Frame(0, 0, 200, 200, 0, 0, 0, 0)
    canv = Canvas(io.BytesIO())
    assert compat.frame_floor(frame) == 0
    compat.set_frame_floor(frame, 150)
    assert not frame.add(Spacer(10, 60), canv)  # 200 - 150 = 50 points left
    assert frame.add(Spacer(10, 40), canv)
    compat.set_frame_floor(frame, None)
    assert compat.frame_floor(frame) == 0 and frame.add(Spacer(10, 100), canv)


def test_operators_written_into_the_text_object_of_an_on_draw_callback():
    canv = Canvas(io.BytesIO(), pagesize=(300, 400))
    canv.setNamedCB("mark", lambda c, kind, label: compat.append_to_text(c, f"/Probe <</N {label}>> DP"))
    para = Paragraph('Before <onDraw name="mark" label="7"/>after', STYLE)
    para.wrapOn(canv, 200, 100)
    para.drawOn(canv, 10, 10)
    code = " ".join(canv._code)  # (the page's operators so far)
    bt, mark, et = code.index("BT"), code.index("/Probe <</N 7>> DP"), code.index("ET")
    assert bt < code.index("(Before ") < mark < code.index("(after)") < et  # inside the text object, between the two runs


def test_reportlab_says_where_each_links_text_starts_and_stops_on_each_line():
    """``record_links``: "start" just after a link's first piece on a line is written (the last operator), "end" before
    the next piece that is not the link's or at the line's end; links numbered as the paragraph's link tags, an anchor
    not counted; ``text_baseline`` the line's baseline, ``text_operators`` the text object's own list."""
    canv = Canvas(io.BytesIO(), pagesize=(300, 400))
    events = []

    class Probe(Paragraph):
        def beginText(self, x, y):
            tx = super().beginText(x, y)
            compat.record_links(tx, lambda link, what: events.append((what, link, compat.text_operators(tx)[-1], compat.text_baseline(tx))))
            return tx

    para = Probe('Before <a name="top"/><a href="https://a.org">first link that wraps onto the next line</a> between '
                 '<link href="#b">second</link> after', STYLE)
    para.wrapOn(canv, 120, 400)
    para.drawOn(canv, 10, 200)
    shown = [(what, link, op.split(") ")[0].lstrip("(")) for what, link, op, _y in events]
    assert shown[0] == ("start", (0, "https://a.org"), "first link that wraps")  # its first piece on the first line, just written
    assert [(what, link[0]) for what, link, _op in shown] == [("start", 0), ("end", 0), ("start", 0), ("end", 0), ("start", 1), ("end", 1)]
    assert events[1][3] == events[0][3] > events[2][3]  # stopped at the end of the first line, on its baseline; went on below
    assert shown[4][2] == "second"
    fresh = canv.beginText(0, 0)
    compat.text_operators(fresh).append("/Probe DP")
    assert "/Probe DP" in fresh.getCode()  # (the list the text object writes)


def test_a_paragraph_of_one_plain_fragment_is_drawn_without_saying_where_links_are():
    """``one_fragment_links``: ReportLab's one-fragment drawing (its links, and no ``_linkRecord`` call), else None."""
    canv = Canvas(io.BytesIO(), pagesize=(300, 400))
    for text, links, called in (('<a href="https://a.org">only a link</a>', [(0, "https://a.org")], False),
                                ('x <a href="https://a.org">a link</a>', None, True), ("plain", None, False)):
        events = []

        class Probe(Paragraph):
            def beginText(self, x, y):
                tx = super().beginText(x, y)
                compat.record_links(tx, lambda link, what: events.append(what))
                return tx

        para = Probe(text, STYLE)
        para.wrapOn(canv, 200, 400)
        assert compat.one_fragment_links(para) == links
        para.drawOn(canv, 10, 200)
        assert bool(events) is called
    long = Probe('<a href="https://a.org">' + "word " * 60 + "</a>", STYLE)
    long.wrapOn(canv, 200, 400)
    first, rest = long.split(200, 30)
    assert compat.one_fragment_links(first) == compat.one_fragment_links(rest) == [(0, "https://a.org")]  # (each part one fragment still)


def test_the_text_object_of_an_on_draw_callback_is_the_one_written_into():
    canv = Canvas(io.BytesIO(), pagesize=(300, 400))
    seen = []
    canv.setNamedCB("mark", lambda c, kind, label: seen.append(compat.callback_text_object(c)))

    class Probe(Paragraph):
        def beginText(self, x, y):
            seen.append(tx := super().beginText(x, y))
            return tx

    para = Probe('Before <onDraw name="mark" label="7"/>after', STYLE)
    para.wrapOn(canv, 200, 100)
    para.drawOn(canv, 10, 10)
    assert len(seen) == 2 and seen[0] is seen[1]


def test_the_bullets_of_a_list_one_per_item_in_order():
    lf = ListFlowable([ListItem([Paragraph("one", STYLE), Paragraph("one, again", STYLE)]), ListItem(Paragraph("two", STYLE)),
                       ListItem(ListFlowable([ListItem(Paragraph("inner", STYLE))], bulletType="bullet", start="-"))],
                      bulletType="1", start=3)
    bullets = compat.list_bullets(lf)
    assert [b.value for b in bullets] == [3, 4, 5]  # one per item (not per flowable); the inner list's own is in it
    drawn = []
    canv = Canvas(io.BytesIO())
    bullets[1].drawOn = lambda indenter, c, x, y, _sW=0: drawn.append(indenter._flowable)  # (this object only)
    for indenter in lf._content:
        indenter.wrapOn(canv, 200, 100)
        indenter.drawOn(canv, 0, 0)
    assert [f.text for f in drawn] == ["two"]  # the bullet drawn with its item's first flowable


@pytest.mark.parametrize("text", ["BT /F1 12 Tf (plain) Tj ET", "BT (caf\u00e9 \u2013 \u0152uvre) Tj ET", "(\x1b)"])
def test_a_finished_pages_content_is_encoded_as_reportlab_encodes_it_and_written_as_given(text, tmp_path):
    """``finished_page_content`` is the page's text encoded as ReportLab's writer encodes it (byte for byte, and the
    same error for what its codec refuses); ``set_finished_page_content`` makes given bytes the page's content."""
    import zlib

    canv = Canvas(str(tmp_path / "p.pdf"))
    canv.setPageCompression(0)
    canv.addLiteral(text)
    canv.showPage()
    written = canv._doc.Pages.pages[-1].stream
    try:
        expected = pdfdoc.pdfdocEnc(written)
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            compat.finished_page_content(canv)
        return
    got = compat.finished_page_content(canv)
    assert got == expected and got.count(b"Tj") == text.count("Tj")
    compat.set_finished_page_content(canv, zlib.compress(got), "FlateDecode")
    assert not canv._doc.Pages.pages[-1].stream  # (its text let go: the compressed bytes are what is written)
    canv.save()
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(tmp_path / "p.pdf") as pdf:
        contents = pdf.pages[0].obj.Contents
        assert contents.Filter == pikepdf.Name.FlateDecode and contents.read_bytes() == got


# --- the tagged file's adapters ---------------------------------------------------------------


def _two_page_canvas():
    """A canvas as a tagged document's (uncompressed: ``ReportDoc``), two pages drawn, in a TrueType font, with a link
    of each kind on the first."""
    if "rg-compat-ttf" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("rg-compat-ttf", compat.font_file(font_bytes(), FONT)))
    out = io.BytesIO()
    canv = Canvas(out, invariant=1, lang="en", pageCompression=0)
    canv.setTitle("A (title) — with a dash")
    canv.setFont("rg-compat-ttf", 10)
    canv.drawString(10, 10, "one")
    canv.linkURL("https://example.org/", (10, 10, 50, 20))
    canv.bookmarkPage("here")
    canv.linkRect("", "here", (10, 30, 50, 40))
    canv.showPage()
    canv.drawString(10, 10, "two")
    canv.showPage()
    return canv, out


def test_formatted_objects_are_the_objects_reportlab_writes():
    """Each object ``formatted_objects`` returns is, byte for byte, the object ReportLab's own file holds at the
    offset its cross-reference table gives, numbered alike."""
    import pikepdf

    canv, out = _two_page_canvas()
    mine, theirs = None, None

    def grab(canvas, out):
        nonlocal mine
        compat.objects_ready(canvas)
        mine = list(compat.formatted_objects(canvas))  # (a generator: formatted now, while the document is whole)
        out.write(b"%PDF-1.4\n")

    compat.take_file_writing(canv, grab)
    canv.save()
    reference, _ = _two_page_canvas()
    theirs = reference.getpdfdata()
    table = re.search(rb"\nxref\n0 (\d+)\n(.*?)trailer", theirs, re.S)
    offsets = [int(row[:10]) for row in table.group(2).split(b"\n")[1:] if row.strip()]
    assert [n for n, _text in mine] == list(range(1, int(table.group(1))))
    assert len(mine) == len(offsets) > 10
    for (number, text), offset in zip(mine, offsets):
        assert theirs[offset:].startswith(b"%d 0 obj\n" % number + text), number
    assert pikepdf  # (the reference file is ReportLab's: read by nothing else here)


def test_entries_given_to_pages_annotations_and_the_catalog_are_written():
    """``set_dictionary_entries`` (a name ReportLab's page lacks, and a dropped one), ``set_annotation_entries`` on
    both kinds of link annotation, ``info_fields`` and ``set_info``: in the file ReportLab's objects make."""
    import pikepdf

    canv, out = _two_page_canvas()
    fields = compat.info_fields(canv)
    assert fields["Title"] == "A (title) — with a dash" and fields["CreationDate"].startswith("D:2000") and "Keywords" not in fields
    reference, _ = _two_page_canvas()
    with pikepdf.open(io.BytesIO(reference.getpdfdata())) as theirs:  # what ReportLab's own file says, less what XMP cannot repeat
        written = {k[1:]: str(v) for k, v in theirs.docinfo.items() if k != "/Trapped" and str(v)}
    assert fields == written
    compat.set_info(canv, fields)
    pages = compat.document_pages(canv)
    annots = compat.page_annotations(canv, pages[0])
    assert [compat.annotation_contents(a) for a in annots] == ["", ""]
    compat.set_annotation_entries(annots[0], "to example.org", {"StructParent": 7, "F": 4})
    compat.set_annotation_entries(annots[1], "here", {"StructParent": 8})
    assert [compat.annotation_contents(a) for a in annots] == ["to example.org", "here"]
    compat.set_dictionary_entries(pages[0], {"Tabs": compat.Raw(b"/S"), "Trans": None, "StructParents": 0})
    compat.set_dictionary_entries(canv._doc.Catalog, {"MarkInfo": compat.Raw(b"<</Marked true>>")})
    canv.save()
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        page = pdf.pages[0].obj
        assert page.Tabs == pikepdf.Name.S and int(page.StructParents) == 0 and "/Trans" not in page
        assert "/Trans" in pdf.pages[1].obj and "/Tabs" not in pdf.pages[1].obj  # (only the page given them)
        assert [(int(a.StructParent), str(a.Contents)) for a in page.Annots] == [(7, "to example.org"), (8, "here")]
        assert int(page.Annots[0].F) == 4 and "/F" not in page.Annots[1]
        assert bool(pdf.Root.MarkInfo.Marked) and str(pdf.Root.Lang) == "en"
        assert set(pdf.docinfo.keys()) == {"/" + k for k in fields} and str(pdf.docinfo.Title) == fields["Title"]


def test_streams_are_encoded_as_told_and_forms_by_the_default_filter():
    """``encode_streams`` encodes the font files and CMaps made once ``objects_ready`` (``text`` for the CMaps);
    ``compress_streams_with`` the form made as it is written."""
    import zlib

    import pikepdf

    canv, out = _two_page_canvas()
    canv.beginForm("f")
    canv.drawString(1, 1, "form")
    canv.endForm()
    canv.doForm("f")
    canv.showPage()
    seen = []

    def encode(data, text):
        seen.append(text)
        return zlib.compress(data), ["FlateDecode"]

    def make(canvas, out):
        compat.objects_ready(canvas)
        compat.encode_streams(canvas, encode)
        compat.compress_streams_with(canvas, compat.StreamFilter("FlateDecode", lambda data: b"x" + zlib.compress(data)[1:]))

    compat.take_file_writing(canv, make)
    canv.save()
    assert out.getvalue() == b""
    form = canv._doc.idToObject["FormXob.f"]
    text = pdfdoc.format(form, canv._doc, toplevel=1)
    assert b"/Filter [ /FlateDecode ]" in text and b"\nstream\nx" in text  # (the default filter's mark)
    assert sorted(seen) == [False, True]  # the font file (bytes), its ToUnicode map (text)
    font = next(o for name, o in canv._doc.idToObject.items() if name.startswith("fontFile:"))
    assert font.filters == [] and zlib.decompress(font.content)[:4] in (b"\x00\x01\x00\x00", b"true")
    assert pikepdf


def test_drop_ascii85_undoes_an_images_encoding_when_allowed():
    """An image ReportLab encodes in ASCII85 over Flate is written Flate alone, its pixels the same; one whose data
    is not ``allowed`` keeps its encoding."""
    import zlib

    from PIL import Image
    from reportlab.lib.utils import ImageReader

    def canvas_with_image():
        canv = Canvas(io.BytesIO(), invariant=1, pageCompression=0)
        canv.drawImage(ImageReader(Image.new("RGB", (3, 2), (200, 10, 30))), 10, 10, 30, 20)
        canv.showPage()
        return canv

    canv = canvas_with_image()
    assert compat.drop_ascii85(canv, lambda data: True) == 1
    image = next(o for o in canv._doc.idToObject.values() if isinstance(o, pdfdoc.PDFImageXObject))
    text = pdfdoc.format(image, canv._doc, toplevel=1)
    assert b"/Filter [ /FlateDecode ]" in text
    data = text[text.index(b"\nstream\n") + 8 : text.rindex(b"endstream")]
    assert zlib.decompress(data) == bytes([200, 10, 30]) * 6
    kept = canvas_with_image()
    assert compat.drop_ascii85(kept, lambda data: False) == 0
    assert b"/ASCII85Decode" in pdfdoc.format(next(o for o in kept._doc.idToObject.values() if isinstance(o, pdfdoc.PDFImageXObject)), kept._doc, toplevel=1)


# --- images drawn once per process ------------------------------------------------------------


def _kept(size: int = 32, max_bytes: int = 64 << 20):
    """Kept image objects as the PDF writer keeps them (``writers.pdf.page.IMAGES``): by count and by bytes."""
    from reportgen.kept import Kept

    return Kept(size, max_bytes=max_bytes, weigh=compat.image_weight)


def _png(mode: str, size=(40, 30), seed: int = 1) -> bytes:
    """A PNG file's bytes: ``mode`` RGB or RGBA (a soft mask), pixels that differ with ``seed``."""
    from PIL import Image

    img = Image.new(mode, size)
    img.putdata([((x * seed) % 256, (y * 7) % 256, (x + y + seed) % 256, (x * y) % 256)[: len(mode)] for y in range(size[1]) for x in range(size[0])])
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 60)).save(out, "JPEG")
    return out.getvalue()


def _drawn(images: list[tuple[bytes, object]], kept) -> bytes:
    """The file of one page on which each (file's bytes, mask) is drawn twice: by ``drawImage`` (``kept`` None) or
    by ``draw_image_kept``; the images' ASCII85 undone as a tagged document's are (``drop_ascii85``)."""
    from reportlab.lib.utils import ImageReader

    out = io.BytesIO()
    canv = Canvas(out, invariant=1, pageCompression=0)
    for i, (data, mask) in enumerate(images * 2):
        box = (10 + 5 * i, 20 + 3 * i, 40.5, 30.25)
        if kept is None:
            assert canv.drawImage(ImageReader(io.BytesIO(data)), *box, mask=mask) == compat.draw_image_kept(Canvas(io.BytesIO()), ImageReader(io.BytesIO(data)), *box, mask, _kept())
        else:
            compat.draw_image_kept(canv, ImageReader(io.BytesIO(data)), *box, mask, kept)
    canv.showPage()
    compat.drop_ascii85(canv, lambda data: True)
    canv.save()
    return out.getvalue()


def test_an_image_drawn_kept_is_drawn_as_drawimage_draws_it_in_every_document():
    """``draw_image_kept`` writes the bytes ``Canvas.drawImage`` writes (names, image objects, soft masks, the
    operators), in the first document and in the next ones, which take the kept objects: an RGBA PNG (soft mask),
    an RGB one without a mask, a JPEG (its data as it is), the same pixels under two masks."""
    images = [(_png("RGBA"), "auto"), (_png("RGB", seed=3), None), (_jpeg(), "auto"), (_png("RGB", seed=3), "auto")]
    kept = _kept()
    reference = _drawn(images, None)
    assert b"/SMask" in reference and b"/DCTDecode" in reference
    assert _drawn(images, kept) == reference
    assert len(kept) == 4  # (the RGB image twice: once per mask)
    assert _drawn(images, kept) == reference  # the kept objects, in a new document: unchanged by the last one's writing
    assert _drawn(images[::-1], kept) == _drawn(images[::-1], None)


def test_a_kept_image_is_not_decoded_again():
    """The second document to draw an image takes its kept object: its pixels are not read again."""
    from reportlab.lib.utils import ImageReader

    kept = _kept()
    data = _png("RGBA", seed=5)
    reads = []

    class Counted(ImageReader):
        def getRGBData(self):
            reads.append(1)
            return super().getRGBData()

    counts = []
    for _ in range(3):
        canv = Canvas(io.BytesIO())
        assert compat.draw_image_kept(canv, Counted(io.BytesIO(data)), 0, 0, 10, 10, "auto", kept) == (40, 30)
        counts.append(len(reads))
    assert counts[0] > 0 and counts == [counts[0]] * 3
    assert compat.draw_image_kept(Canvas(io.BytesIO()), Counted(io.BytesIO(data)), 0, 0, None, 10, "auto", kept) is None  # (no box: drawImage's)


def test_the_kept_images_are_bounded_by_count_and_by_bytes():
    from reportlab.lib.utils import ImageReader

    by_count = _kept(size=2)
    for seed in range(1, 6):
        compat.draw_image_kept(Canvas(io.BytesIO()), ImageReader(io.BytesIO(_png("RGB", seed=seed))), 0, 0, 5, 5, None, by_count)
    assert len(by_count) == 2
    one = _kept()
    compat.draw_image_kept(Canvas(io.BytesIO()), ImageReader(io.BytesIO(_png("RGB", (200, 200), seed=7))), 0, 0, 5, 5, None, one)
    size = one.weight
    assert size > 10_000
    by_bytes = _kept(max_bytes=size + size // 2)
    for seed in (7, 8, 9):
        compat.draw_image_kept(Canvas(io.BytesIO()), ImageReader(io.BytesIO(_png("RGB", (200, 200), seed=seed))), 0, 0, 5, 5, None, by_bytes)
    assert len(by_bytes) == 1 and by_bytes.weight <= size + size // 2
    too_big = _kept(max_bytes=size - 1)
    compat.draw_image_kept(Canvas(io.BytesIO()), ImageReader(io.BytesIO(_png("RGB", (200, 200), seed=7))), 0, 0, 5, 5, None, too_big)
    assert len(too_big) == 0 and too_big.weight == 0


def test_a_document_taken_over_is_written_by_its_writer_whether_saved_or_asked_for_its_bytes(tmp_path):
    """``take_file_writing``: ``save`` writes the writer's file to the canvas's path or file object, once;
    ``getpdfdata`` returns the same bytes."""

    def write(canvas, out):
        out.write(b"%PDF-1.7\n% reportgen's\n")

    path = tmp_path / "taken.pdf"
    canv = Canvas(str(path))
    compat.take_file_writing(canv, write)
    canv.save()
    assert path.read_bytes() == b"%PDF-1.7\n% reportgen's\n"
    with pytest.raises(RuntimeError):
        canv.save()
    out = io.BytesIO()
    other = Canvas(out)
    compat.take_file_writing(other, write)
    assert other.getpdfdata() == b"%PDF-1.7\n% reportgen's\n"
    other.save()
    assert out.getvalue() == b"%PDF-1.7\n% reportgen's\n"


def _image_of_mode(mode: str) -> bytes:
    """A small image file's bytes in PIL ``mode`` (a PNG; "P+transparency": a palette with a transparent colour;
    "JPEG L", "JPEG CMYK": JPEGs)."""
    from PIL import Image

    out = io.BytesIO()
    if mode.startswith("JPEG"):
        colour = (200, 30, 60, 10) if mode.endswith("CMYK") else 128
        Image.new(mode.split()[1], (32, 24), colour).save(out, "JPEG")
        return out.getvalue()
    img = Image.new("RGBA", (30, 20))
    img.putdata([((x * 9) % 256, (y * 7) % 256, (x + y) % 256, (x * y * 5) % 256) for y in range(20) for x in range(30)])
    if mode == "P+transparency":
        img.convert("RGB").convert("P", palette=Image.ADAPTIVE, colors=16).save(out, "PNG", transparency=0)
    else:
        img.convert(mode).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("mode", ["L", "LA", "1", "P", "P+transparency", "I;16", "JPEG L", "JPEG CMYK"])
@pytest.mark.parametrize("mask", ["auto", None, [0, 10, 0, 10, 0, 10]])
def test_an_image_of_any_mode_drawn_kept_is_drawn_as_drawimage_draws_it(mode, mask):
    """Grey, grey with alpha, one-bit, palette (with a transparent colour: a soft mask), 16-bit grey, JPEG grey and
    CMYK; no mask, a soft mask when the image has alpha, a colour-key mask: ``drawImage``'s bytes every time."""
    images = [(_image_of_mode(mode), mask)]
    kept = _kept()
    reference = _drawn(images, None)
    assert _drawn(images, kept) == reference == _drawn(images, kept)


def test_a_wrapped_tables_row_heights_are_each_rows():
    """``row_heights`` gives each row's measured height, in order: a row of one line, of three, of a given height."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table

    style = ParagraphStyle("p", fontName="Helvetica", fontSize=8, leading=10)
    table = Table([[Paragraph("one", style)], [Paragraph("one<br/>two<br/>three", style)], ["text"]], colWidths=(200,),
                  rowHeights=[None, None, 40])
    _w, h = table.wrap(200, 1000)
    heights = compat.row_heights(table)
    assert heights == [16, 36, 40]  # (the lines' leading and 3 points of padding above and below)
    assert sum(heights) == pytest.approx(h)


def test_each_formatted_object_is_let_go_by_the_document_and_still_numbered():
    """``formatted_objects`` lets the document go of each object once it is formatted (a long report's tens of
    thousands are not all held to the end); references to it still number it."""
    canv, _out = _two_page_canvas()
    let_go: list[bool] = []
    numbered: list[int] = []

    def grab(canvas, out):
        compat.objects_ready(canvas)
        doc = canvas._doc
        catalog = doc.Catalog
        for number, _text in compat.formatted_objects(canvas):
            let_go.append(doc.idToObject[doc.numberToId[number]] is None)
        numbered.append(compat.object_number(canvas, catalog))
        out.write(b"%PDF-1.4\n")

    compat.take_file_writing(canv, grab)
    canv.save()
    assert len(let_go) > 10 and all(let_go)
    assert numbered and numbered[0] >= 1


def test_annotations_given_the_same_entries_share_what_they_permit():
    """Thousands of link annotations given /StructParent and /F keep one tuple of permitted names between them."""
    from reportlab.pdfbase import pdfdoc as rl_pdfdoc

    first, second = rl_pdfdoc.LinkAnnotation((0, 0, 1, 1), "", "d"), rl_pdfdoc.LinkAnnotation((0, 0, 2, 2), "", "e")
    for annot in (first, second):
        compat.set_annotation_entries(annot, None, {"StructParent": 3})
        compat.set_annotation_entries(annot, None, {"F": 4})
    assert first.permitted is second.permitted and {"StructParent", "F"} <= set(first.permitted)
    assert first.otherkw == {"StructParent": 3, "F": 4}


_FRESH_IMPORT = r"""
import json, re, sys
compile_before = re.compile
import reportgen.writers.pdf  # ReportLab's first import, as a build's PDF worker makes it
import reportlab.lib.textsplit as textsplit
import reportlab.platypus.paragraph as paragraph
from reportgen.compat.reportlab import PatternOnFirstUse
patterns = {"uri_pat": paragraph.uri_pat, "rx": textsplit.rx}
out = {"deferred": {k: isinstance(p, PatternOnFirstUse) and p._compiled is None for k, p in patterns.items()},
       "compile_restored": re.compile is compile_before}
uris = ["https://example.com/a/b/c", "HTTP://Example.COM:8080/x?y=1#z", "mailto:x@example.com", "ftp://10.0.0.1/a",
        "https://d\u00e9j\u00e0.example/\u00e9t\u00e9/", "not a uri", "www.example.com/a"]
out["uri"] = [paragraph._uri_split_pairs(u) for u in uris]
out["uri_real"] = [bool(re.compile(paragraph.uri_pat.pattern, paragraph.uri_pat.flags).match(u)) for u in uris]
out["uri_lazy"] = [bool(paragraph.uri_pat.match(u)) for u in uris]
out["cjk"] = [textsplit.rx.sub(r"\1\0 ", "ab\u4e00\u4e01 c"), re.compile("([\u2e80-\uffff])", re.UNICODE).sub(r"\1\0 ", "ab\u4e00\u4e01 c")]
out["flags"] = [paragraph.uri_pat.flags & re.IGNORECASE, textsplit.rx.pattern]
print(json.dumps(out))
"""


def test_reportlabs_unused_patterns_are_compiled_when_first_used_and_match_as_compiled_at_import():
    """``ON_FIRST_USE``: importing the PDF writer leaves ReportLab's URI and CJK patterns uncompiled, ``re.compile`` as it was, and each pattern answers as the one ReportLab compiles."""
    import json
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", _FRESH_IMPORT], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["deferred"] == {"uri_pat": True, "rx": True}  # a ReportLab that writes either pattern differently fails here
    assert out["compile_restored"] is True
    assert out["uri_lazy"] == out["uri_real"] == [True, True, False, True, True, False, False]
    assert out["uri"][0] == [["https://example.com/a/b/", "c"], ["https://example.com/a/", "b/c"], ["https://example.com/", "a/b/c"], ["https://", "example.com/a/b/c"]]
    assert out["cjk"][0] == out["cjk"][1] == "ab\u4e00\x00 \u4e01\x00  c"
    assert out["flags"] == [re.IGNORECASE, "([\u2e80-\uffff])"]


def test_a_pattern_on_first_use_is_compiled_once_and_only_when_asked():
    pattern = compat.PatternOnFirstUse("(a+)b", re.IGNORECASE)
    assert pattern._compiled is None
    assert pattern.match("AAb").group(1) == "AA"
    compiled = pattern._compiled
    assert isinstance(compiled, re.Pattern) and compiled.flags & re.IGNORECASE
    assert pattern.sub("x", "aab-b") == "x-b" and pattern._compiled is compiled
    with pytest.raises(AttributeError):
        pattern.no_such_method


def test_a_pattern_on_first_use_copied_or_pickled_is_the_real_pattern():
    import copy
    import pickle

    for made in (lambda p: copy.copy(p), lambda p: copy.deepcopy(p), lambda p: pickle.loads(pickle.dumps(p))):
        pattern = compat.PatternOnFirstUse("(a+)b", re.IGNORECASE)
        got = made(pattern)
        assert isinstance(got, re.Pattern) and got.pattern == "(a+)b" and got.flags & re.IGNORECASE
        assert got.match("AAb").group(1) == "AA"
    bare = object.__new__(compat.PatternOnFirstUse)  # as copy and pickle make one, without __init__
    with pytest.raises(AttributeError):
        bare._source


def test_reportlab_is_imported_only_by_the_pdf_writer_whose_first_import_is_compat():
    """``ON_FIRST_USE`` is arranged as ``compat.reportlab`` imports ReportLab: a module elsewhere importing ReportLab
    first (on some command's path) would leave both patterns compiled at import, and no other test would notice."""
    import ast
    import pathlib

    package = pathlib.Path(compat.__file__).parents[1]
    importers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n == "reportlab" or n.startswith("reportlab.") for n in names):
                importers.add(path.relative_to(package).as_posix())
    assert importers and all(p.startswith("writers/pdf/") or p == "compat/reportlab.py" for p in importers), sorted(importers)
    first = next(n for n in ast.parse((package / "writers" / "pdf" / "__init__.py").read_text(encoding="utf-8")).body
                 if isinstance(n, (ast.Import, ast.ImportFrom)) and not (isinstance(n, ast.ImportFrom) and n.module == "__future__"))
    assert isinstance(first, ast.ImportFrom) and first.level == 3 and first.module == "compat.reportlab"
