"""Dates as documents print them (``compose.dates.date_text``), and a source's entry as both templates compose it.

One function formats every date shown: the outline's (the cover's
``meta.date_text``) and, through the templates' ``|date_text`` filter, a
source's ``date`` and ``accessed``, so the report and the deck print the same
text. The report's entry prints the source's address after it (an empty
``<a href/>``: a link showing its own address) and when it was accessed.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from reportgen import doctree as dt
from reportgen.compose import compose, date_text
from reportgen.compose.decide import mark_sources
from reportgen.compose.tree import inlines, parse_markup
from reportgen.loader import load
from reportgen.pack import find_pack

ROOT = Path(__file__).resolve().parents[2]
URL = "https://www.example.gov/publications/2024/07/12/statement-on-the-arms-control-dialogue-and-strategic-stability.pdf"


@pytest.mark.parametrize(
    "given, shown",
    [
        (datetime.date(2021, 6, 16), "16 June 2021"),  # the cover's date
        ("2024-07-12", "12 July 2024"),
        ("2024-08-03", "3 August 2024"),
        ("2024-07", "July 2024"),
        ("2024", "2024"),  # anything else as given
        ("June 2023", "June 2023"),
        ("16 June 2021", "16 June 2021"),
        ("Spring 2024", "Spring 2024"),
        ("2024-02-30", "2024-02-30"),  # no such day: as typed
        ("2024-13", "2024-13"),  # no such month
        (" 2024-07-12", " 2024-07-12"),  # not exactly a date: as typed
        ("2024-07-12 (updated)", "2024-07-12 (updated)"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_date_prints_as_the_cover_prints_its_date(given, shown):
    assert date_text(given) == shown


def test_the_cover_and_a_source_use_the_same_function():
    assert date_text(datetime.date(2024, 7, 12)) == date_text("2024-07-12")


def test_an_empty_link_prints_its_address_a_mailto_link_the_address_alone():
    root = parse_markup('<p>See <a href="www.example.org/a"/>, <a href="mailto:press@example.org?subject=x"/> and <a href="https://e.org">text</a>.</p>')
    nodes = inlines(root)
    links = [n for n in nodes if isinstance(n, dt.Link)]
    assert [(n.href, dt.plain(n.children)) for n in links] == [
        ("https://www.example.org/a", "https://www.example.org/a"),
        ("mailto:press@example.org?subject=x", "press@example.org"),
        ("https://e.org", "text"),
    ]


@pytest.fixture(scope="module")
def composed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dates")
    path = folder / "o.yaml"
    path.write_text(
        "title: Dates\ndate: 2025-10-06\nsections:\n  - title: One\n    points: [a point]\n    body: See [@a] and [@b].\n"
        "sources:\n"
        f"  - {{id: a, title: Statement, url: '{URL}', publisher: Department, date: 2024-07-12, accessed: 2024-08-03}}\n"
        "  - {id: b, title: Bulletin, url: 'mailto:press@example.org', publisher: Press office, date: 2024-07}\n"
        "  - {id: c, title: Book, publisher: Publisher, date: Spring 2024}\n",
        encoding="utf-8",
    )
    loaded = load(str(path))
    pack = find_pack("briefing", str(ROOT / "templates"))
    return compose(loaded, pack, "report"), compose(loaded, pack, "deck")


def _entries(doc) -> list[str]:
    if isinstance(doc, dt.Report):
        section = next(s for s in doc.children if isinstance(s, dt.Section) and s.id == "sources")
        listing = section.children[0]
    else:
        listing = next(b for s in doc.slides if s.kind == "closing" for b in s.body)
    return [dt.plain(item.blocks[0].inlines) for item in listing.items]


def test_the_report_prints_the_address_and_the_access_date(composed):
    report, _deck = composed
    assert _entries(report) == [
        f"Statement. Department, 12 July 2024. {URL} Accessed 3 August 2024.",
        "Bulletin. Press office, July 2024. press@example.org",
        "Book. Publisher, Spring 2024.",
    ]
    item = report.children[-1].children[0].items[0].blocks[0].inlines
    assert [(n.href, dt.plain(n.children)) for n in item if isinstance(n, dt.Link)] == [(URL, "Statement"), (URL, URL)]
    assert report.meta.date_text == "6 October 2025"


def test_the_deck_prints_the_same_dates_its_titles_the_links(composed):
    _report, deck = composed
    assert _entries(deck) == ["Statement. Department, 12 July 2024.", "Bulletin. Press office, July 2024.", "Book. Publisher, Spring 2024."]


def test_the_sources_line_names_each_address_once(composed):
    report, deck = composed
    assert report.sources[1] == f"Statement. Department, 12 July 2024. {URL} Accessed 3 August 2024."
    assert report.sources[2] == "Bulletin. Press office, July 2024. press@example.org"  # printed: not added again
    assert deck.sources[1] == f"Statement. Department, 12 July 2024. {URL}"  # the notes' line: the address added
    assert deck.sources[2] == "Bulletin. Press office, July 2024. mailto:press@example.org"
    assert mark_sources(report) == report.sources
