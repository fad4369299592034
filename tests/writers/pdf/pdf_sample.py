"""The PDF writer tests' sample: a hand-built report with every block type, and readers of its PDF.

Imported by the tests beside it (pytest puts this folder on ``sys.path``);
the fixtures ``theme`` and ``built`` are imported with it (the sample is
written once per run, by ``pdf_sample_built`` in the root conftest).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from reportgen.doctree import (
    Callout,
    Chart,
    Cite,
    Code,
    Cover,
    Emph,
    Figure,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Meta,
    PageBreak,
    Paragraph,
    Quote,
    Report,
    Section,
    Series,
    Span,
    Strong,
    Table,
    Text,
    Toc,
)
import pytest

from reportgen.compose.decide import decide
from reportgen.theme import Theme, load_theme

ROOT = Path(__file__).resolve().parents[3]
PACK = ROOT / "reportgen" / "packs" / "briefing"

TITLE = "Biden–Putin Summit: Key Takeaways & Global Impact"
MARKUP_TEXT = "Literal <b>not bold</b> & <i>x</i> > y stays verbatim"
CYRILLIC = "Путин и Байден встретились в Женеве"
GREEK = "Ελληνικά: αβγ δέλτα"
QUOTES = "“Double” and ‘single’ quotes – en dash — em dash …"
TABLE_HEADER = "Warhead category"


@functools.cache
def briefing() -> Theme:
    """The briefing theme, exactly as the pack has it (a broken pack fails here, loudly)."""
    return load_theme(str(PACK))


def inlines(text: str) -> list:
    return [Text(text)]


def par(text: str, style: str = "body") -> Paragraph:
    return Paragraph([Text(text)], style)


def make_figure(path: Path) -> str:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (640, 360), (237, 241, 246))
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 600, 320), outline=(31, 58, 95), width=6)
    draw.ellipse((240, 100, 400, 260), fill=(181, 52, 43))
    img.save(path)
    return str(path)


def sample_report(tmp_path: Path) -> Report:
    """A report with a cover, a TOC, sections and subsections and every block type."""
    figure = make_figure(tmp_path / "figure.png")
    rows = [[inlines(f"Row {i:02d} item"), inlines(f"{1000 + i * 37:,}"), inlines(f"{i * 3:,}"), inlines("Deployed strategic" if i % 2 else "Reserve")] for i in range(1, 41)]
    inline_para = Paragraph(
        [
            Text("Talks covered "),
            Strong([Text("strategic stability")]),
            Text(", "),
            Emph([Text("cyber norms")]),
            Text(" and the "),
            Code([Text("New START")][0].text),
            Text(" treaty; see "),
            Link("https://example.org/summit", [Text("the communiqué")]),
            Text(" "),
            Cite(1),
            Text(" and "),
            Cite(2),
            Text("."),
            LineBreak(),
            Text("A second line after a break."),
        ]
    )
    why = Section(
        inlines("Why the Summit Mattered"),
        [
            par("The first meeting of the two presidents set the tone for a difficult relationship.", "lead"),
            Callout(inlines("Bottom line up front"), [par("Dialogue resumed; little else changed in the short term.")], kind="bluf"),
            inline_para,
            par(MARKUP_TEXT),
            Paragraph([Span("ru", [Text(CYRILLIC)])]),  # text in another language: a Span with its /Lang
            Paragraph([Text("Greek: "), Span("el", [Text(GREEK)]), Text(".")]),
            par(QUOTES),
            ListBlock(
                [
                    ListItem([par("Arms control was the main agenda item.")]),
                    ListItem([par("Cyber security came second."), ListBlock([ListItem([par("Critical infrastructure list of sixteen sectors.")]), ListItem([par("Expert consultations.")])])]),
                    ListItem([par("Human rights were raised.")]),
                ]
            ),
            ListBlock(
                [
                    ListItem([par("Third point, the list starts at three."), par("A second paragraph in the same item.")]),
                    ListItem([par("Fourth point.")]),
                ],
                ordered=True,
                start=3,
            ),
            Quote([par("We will continue to work on strategic stability.")], attribution=inlines("Joint statement, Geneva")),
            Section(
                inlines("Strategic Stability"),
                [
                    par("Both sides hold most of the world's nuclear warheads; the table lists them by category."),
                    Table(
                        [inlines(TABLE_HEADER), inlines("Warheads"), inlines("Launchers"), inlines("Status")],
                        rows,
                        caption=inlines("Illustrative inventory by category"),
                        number=1,
                    ),
                    Chart("bar", "Deployed warheads by country", ["United States", "Russia", "China"], [Series("2021", [1550, 1550, 350]), Series("2023", [1670, 1710, 410])], source="Illustrative figures", number=1, unit="Warheads"),
                    Chart("stacked-bar", "Stockpile composition", ["United States", "Russia"], [Series("Deployed", [1750, 1600]), Series("Reserve", [2000, 2900]), Series("Retired", [1700, 1500])], source="Illustrative figures", number=2, unit="Warheads"),
                ],
                level=2,
                number="1.1",
                id="stability",
            ),
        ],
        level=1,
        number="1",
        id="why",
    )
    outcomes = Section(
        inlines("Outcomes and Agreements"),
        [
            Callout([], [ListBlock([ListItem([par("Ambassadors returned to their posts.")]), ListItem([par("A strategic stability dialogue was launched.")])])], kind="takeaways"),
            Chart("line", "Mentions in the press", ["Jan", "Feb", "Mar", "Apr", "May", "Jun"], [Series("US press", [120, 135, 160, 210, 380, 900]), Series("Russian press", [80, 95, 140, 190, 300, 720])], source="Illustrative media count", number=3, unit="Articles"),
            Chart("pie", "Agenda time by topic", ["Arms control", "Cyber", "Ukraine", "Other"], [Series("Share", [40, 25, 20, 15])], source="Illustrative estimate", number=4, unit="%"),
            Figure(figure, "A red disc in a frame", caption=inlines("The venue, schematically"), number=5),
            par("Small print under the figure.", "small"),
            par("A note for the reader.", "note"),
            PageBreak(),
            Section(inlines("Global Impact"), [par("Allies welcomed the return to predictable diplomacy.")], level=2, number="2.1", id="impact"),
            Section(inlines("Regional Detail"), [par("A level three heading has no TOC entry.")], level=3, number="2.1.1", id="regional"),
        ],
        level=1,
        number="2",
        id="outcomes",
    )
    sources = Section(
        inlines("Sources"),
        [ListBlock([ListItem([par("White House, joint statement, 16 June 2021.")]), ListItem([par("Kremlin, press release, 16 June 2021.")])], ordered=True)],
        level=1,
        id="sources",
    )
    meta = Meta(
        title=TITLE,
        subtitle="What was agreed in Geneva, and what it means",
        author="Policy Analysis Unit",
        date="2021-06-16",
        date_text="16 June 2021",
        classification="UNCLASSIFIED",
        subject="US–Russia summit briefing",
        keywords=["summit", "arms control"],
        created="2021-06-16T00:00:00Z",
    )
    return decide(Report(meta, [Cover(), Toc(), why, outcomes, sources]))  # as composing does


SECTION_TITLES = ["1 Why the Summit Mattered", "1.1 Strategic Stability", "2 Outcomes and Agreements", "2.1 Global Impact", "2.1.1 Regional Detail", "Sources"]
PARAGRAPHS = [
    "The first meeting of the two presidents set the tone for a difficult relationship.",
    "Dialogue resumed; little else changed in the short term.",
    "A second line after a break.",
    MARKUP_TEXT,
    CYRILLIC,
    GREEK,
    QUOTES,
    "Critical infrastructure list of sixteen sectors.",
    "A second paragraph in the same item.",
    "We will continue to work on strategic stability.",
    "Both sides hold most of the world's nuclear warheads; the table lists them by category.",
    "A strategic stability dialogue was launched.",
    "Small print under the figure.",
    "A note for the reader.",
    "Allies welcomed the return to predictable diplomacy.",
    "A level three heading has no TOC entry.",
    "Kremlin, press release, 16 June 2021.",
]


def render_sample(folder: Path, theme: Theme):
    """Write the sample report in ``folder``: (its path, the warnings, a pypdf reader of it)."""
    import pypdf

    from reportgen.writers.pdf import PdfWriter

    out = folder / "report.pdf"
    warnings = PdfWriter().write(sample_report(folder), theme, str(out))
    return out, warnings, pypdf.PdfReader(str(out))


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body_text(reader) -> str:
    """All page text with the running header and footer removed, whitespace collapsed."""
    chrome = re.compile(r"Page \d+ of \d+|" + "|".join(re.escape(s) for s in (TITLE, "UNCLASSIFIED", "Prepared with reportgen")))
    return norm(chrome.sub(" ", "\n".join(p.extract_text() for p in reader.pages)))


def link_targets(reader, page) -> list[str]:
    """Targets of the page's link annotations: a URI, or the name of the destination they jump to."""
    by_place = {}
    for name, dest in reader.named_destinations.items():
        by_place[(dest.page.idnum, round(float(dest.top), 2))] = name.lstrip("/")
    out = []
    for annot in page.get("/Annots") or []:
        a = annot.get_object()
        if a.get("/Subtype") != "/Link":
            continue
        action = a.get("/A")
        if action is not None and action.get_object().get("/URI"):
            out.append(str(action.get_object()["/URI"]))
            continue
        dest = a.get("/Dest")
        if dest is None and action is not None:
            dest = action.get_object().get("/D")
        if isinstance(dest, str):  # a named destination
            out.append(dest.lstrip("/"))
        elif dest is not None:
            out.append(by_place.get((dest[0].idnum, round(float(dest[3]), 2)), "?"))
    return out


def images(reader) -> int:
    count = 0

    def scan(resources):
        nonlocal count
        xobjects = (resources or {}).get("/XObject") or {}
        for ref in xobjects.values():
            x = ref.get_object()
            if x.get("/Subtype") == "/Image":
                count += 1
            elif x.get("/Subtype") == "/Form":
                scan(x.get("/Resources"))

    for page in reader.pages:
        scan(page.get("/Resources"))
    return count


@pytest.fixture(scope="session")
def theme(pdf_sample_theme) -> Theme:
    """The briefing theme."""
    return pdf_sample_theme


@pytest.fixture(scope="session")
def built(pdf_sample_built):
    """The sample report, written once: (its path, the warnings, a pypdf reader of it)."""
    return pdf_sample_built
