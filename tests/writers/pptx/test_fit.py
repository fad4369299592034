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
