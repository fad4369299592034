"""Opening the slide master (``writers/pptx/master.py``): what a batch reads once, and reads anew when the file changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402

from reportgen.doctree import Deck, Meta, Slide, Text  # noqa: E402
from reportgen.theme import load_theme  # noqa: E402
from reportgen.writers.pptx import PptxWriter, geometry, master  # noqa: E402
from reportgen.kept import Kept  # noqa: E402
from reportgen.writers.pptx.master import prepare  # noqa: E402

PACK = Path(__file__).resolve().parents[3] / "reportgen" / "packs" / "briefing"


def _deck(*layouts: str) -> Deck:
    return Deck(Meta("Readings"), [Slide(name, [Text(f"{name} text")]) for name in layouts])


@pytest.fixture
def reads(monkeypatch):
    """The masters ``geometry.read`` reads in this test (an empty ``READINGS`` to begin with)."""
    monkeypatch.setattr(master, "READINGS", Kept(8))
    seen = []
    real = geometry.read

    def counted(prs, layouts, where="", footer_cache=None):
        seen.append((where, tuple(sorted(layouts))))
        return real(prs, layouts, where, footer_cache)

    monkeypatch.setattr(geometry, "read", counted)
    return seen


@pytest.fixture
def user_master(tmp_path) -> str:
    path = tmp_path / "ours.pptx"
    shutil.copy(PACK / "master.pptx", path)
    return str(path)


def test_a_second_deck_on_the_same_master_and_layouts_reads_it_once(reads, user_master):
    theme = load_theme(str(PACK))
    first = prepare(_deck("Title Slide", "Title and Content"), theme, user_master)
    second = prepare(_deck("Title and Content", "Title Slide", "Title and Content"), theme, user_master)
    assert len(reads) == 1
    assert second.geometry == first.geometry and second.prs is not first.prs
    assert second.footer_cache == first.footer_cache and second.footer_cache is not first.footer_cache  # (each deck adds its own)
    prepare(_deck("Title Only"), theme, user_master)  # other layouts: read
    prepare(_deck("Title Slide"), theme)  # the pack's own master: another file
    assert len(reads) == 3 and reads[0][0] == user_master and reads[2][0].endswith(os.path.join("briefing", "master.pptx"))


def test_a_master_saved_anew_is_read_anew(reads, user_master):
    theme = load_theme(str(PACK))
    deck = _deck("Title and Content")
    before = prepare(deck, theme, user_master).geometry.layouts["Title and Content"].slide[0].box
    prs = Presentation(user_master)
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    title = layout.placeholders[0]
    title.left, title.top = title.left + 914400, title.top + 457200
    prs.save(user_master)
    after = prepare(deck, theme, user_master).geometry.layouts["Title and Content"].slide[0].box
    assert len(reads) == 2
    assert after[:2] == (before[0] + 914400, before[1] + 457200)


def test_a_master_rewritten_with_the_same_size_and_times_is_read_anew(reads, user_master, monkeypatch):
    """What is kept is keyed by the bytes read, not the file's times and size (coarse on some file systems)."""
    theme = load_theme(str(PACK))
    deck = _deck("Title and Content")
    prepare(deck, theme, user_master)
    prs = Presentation(user_master)
    layout = next(lay for lay in prs.slide_layouts if lay.name == "Title and Content")
    layout.placeholders[0].left += 914400
    st = os.stat(user_master)
    prs.save(user_master)
    os.utime(user_master, ns=(st.st_atime_ns, st.st_mtime_ns))
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: st if str(path) == user_master else real_stat(path, *a, **k))
    prepare(deck, theme, user_master)
    assert len(reads) == 2


def test_a_deck_from_what_was_kept_is_the_deck_read_afresh(reads, user_master, tmp_path):
    theme = load_theme(str(PACK))
    deck = _deck("Title Slide", "Title and Content", "Section Header", "Two Content")
    writer = PptxWriter(master=user_master)
    writer.write(deck, theme, str(tmp_path / "fresh.pptx"))
    writer.write(deck, theme, str(tmp_path / "kept.pptx"))
    assert len(reads) == 1
    assert (tmp_path / "fresh.pptx").read_bytes() == (tmp_path / "kept.pptx").read_bytes()


def test_one_name_on_two_layouts_is_two_readings(reads, user_master):
    """A name the master lacks stands for the layout its role finds: two themes giving it two roles read two layouts."""
    theme = load_theme(str(PACK))
    as_content = theme.model_copy(update={"deck": theme.deck.model_copy(update={"layouts": theme.deck.layouts.model_copy(update={"content": "Ours"})})})
    as_title = theme.model_copy(update={"deck": theme.deck.model_copy(update={"layouts": theme.deck.layouts.model_copy(update={"title": "Ours"})})})
    deck = Deck(Meta("Readings"), [Slide("Ours", [Text("Words")])])
    first = prepare(deck, as_content, user_master)
    second = prepare(deck, as_title, user_master)
    assert first.layouts["Ours"].name != second.layouts["Ours"].name
    assert len(reads) == 2
    assert first.geometry.layouts["Ours"].name == first.layouts["Ours"].name
    assert second.geometry.layouts["Ours"].name == second.layouts["Ours"].name
