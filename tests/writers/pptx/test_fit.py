"""Text fitting (``writers/pptx/fit.py``): measured with the deck's TTFs, shrunk, then split. Pure."""

from __future__ import annotations

from pathlib import Path

from reportgen.theme import load_theme
from reportgen.writers.pptx.fit import Fonts, Frame, Measurer, Para, Run, Spec, fit

PACK = Path(__file__).resolve().parents[3] / "reportgen" / "packs" / "briefing"


def test_fit_shrinks_then_splits():
    theme = load_theme(str(PACK))
    fam = theme.family("deck")
    m = Measurer(Fonts.from_paths(theme.path(fam.regular)))
    frame = Frame(400, 200)
    paras = [Para([Run("word " * 12)], bullet="bullet", group=i) for i in range(3)]
    one = fit(m, paras[:1], frame, 20, 14)
    assert not one.shrunk and not one.split
    many = fit(m, paras * 4, frame, 20, 14)
    assert many.split and len(many.pages) >= 2
    assert all(m.fits(page, Spec(many.size, 14), frame) for page in many.pages)


def _fonts() -> Fonts:
    theme = load_theme(str(PACK))
    fam = theme.family("deck")
    return Fonts.from_paths(theme.path(fam.regular), theme.path(fam.bold), theme.path(fam.italic), theme.path(fam.bold_italic))


def test_kept_measurements_are_the_measurements():
    # A paragraph is measured again and again while a slide is fitted: ``Measurer`` keeps its tokens by its runs'
    # texts and faces, the size and ``bold``. Whatever it kept must be what measuring anew gives.
    kept, fresh = Measurer(_fonts()), Measurer(_fonts())
    paras = [Para([Run("Strategic stability "), Run("and arms control", bold=True), Run(" talks", italic=True)]),
             Para([Run("A"), Run("\n"), Run("very-long-compound-word " * 5)]), Para([Run("mono code", code=True)])]
    for size in (24, 20, 24, 13.5):
        for bold in (False, True):
            for para in paras:
                for width in (80, 300):
                    assert kept.lines(para, size, width, bold) == Measurer(_fonts()).lines(para, size, width, bold)
                assert kept.para_width(para, size, bold) == fresh.para_width(para, size, bold)
    assert kept.para_width(paras[0], 20, True) > kept.para_width(paras[0], 20, False)  # (bold is part of the key)


def test_a_paragraph_whose_runs_are_replaced_is_measured_anew():
    m = Measurer(_fonts())
    para = Para([Run("short")])
    before, lines = m.para_width(para, 20), m.lines(para, 20, 120)
    para.runs = [Run("a much longer text than before")]
    assert m.para_width(para, 20) > before and m.lines(para, 20, 120) > lines
    para.runs = [Run("short", bold=True)]
    assert m.para_width(para, 20) == Measurer(_fonts()).para_width(Para([Run("short", bold=True)]), 20) != before


def test_kept_measurements_are_bounded(monkeypatch):
    from reportgen.writers.pptx import fit as fit_module

    monkeypatch.setattr(fit_module, "_TOKEN_CACHE", 5)
    m = Measurer(_fonts())
    for i in range(23):
        m.para_width(Para([Run(f"paragraph {i}")]), 20)
    assert len(m._measured) <= 5
    for i in range(23):
        m.lines(Para([Run(f"paragraph {i}")]), 20, 100 + i)
    assert len(m._wrapped) <= 5
