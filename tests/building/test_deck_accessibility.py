"""``reportgen check`` holds each deck to PowerPoint's accessibility rules (``pptxcheck``): warnings, errors under ``--strict``."""

from __future__ import annotations

import importlib.util
import os

import pytest

pytest.importorskip("pptx")

from pptx import Presentation  # noqa: E402

from reportgen.cli import main  # noqa: E402
from reportgen.pptxcheck import Finding  # noqa: E402

from conftest import FIXTURES  # noqa: E402

OUTLINE = """title: Arms control after New START
date: 2021-06-16
sections:
  - title: Where things stand
    points:
      - Deployed strategic warheads are capped at 1,550 on each side
      - Deployed launchers are capped at 700 and all launchers at 800
      - Inspections were paused in 2020 and have not resumed since
      - Data exchanges continue twice a year under the treaty
    chart:
      type: bar
      title: Nuclear warheads, January 2021
      categories: [Russia, United States]
      series: [{name: Total, values: [6255, 5550]}]
      layout: Empty
    quote: {text: A nuclear war cannot be won and must never be fought, attribution: Joint statement, layout: Empty}
"""


def corporate(path: str) -> str:
    """A user's master: the briefing one with every layout renamed; "Empty" is its layout without a title (make_masters)."""
    spec = importlib.util.spec_from_file_location("make_masters", os.path.join(FIXTURES, "masters", "make_masters.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.corporate(path)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project with one outline putting a chart and a quote on the user's master's title-less layout, built."""
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "treaty.yaml").write_text(OUTLINE, encoding="utf-8")
    corporate(str(tmp_path / "corporate.pptx"))
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-q", "-f", "pptx", "--master", "corporate.pptx", "--strict"]) == 0
    return tmp_path


def test_a_deck_on_a_users_master_with_a_title_less_layout_passes_check(project, capsys):
    prs = Presentation(str(project / "build" / "treaty.pptx"))
    empty = [s for s in prs.slides if s.slide_layout.name == "Empty"]
    assert len(empty) == 2 and all(s.shapes.title is not None and s.shapes.title.top < 0 for s in empty)  # each titled, off the slide
    capsys.readouterr()
    assert main(["check", "-f", "pptx", "--master", "corporate.pptx", "--strict"]) == 0
    assert "not accessible" not in capsys.readouterr().err


def test_check_holds_each_deck_up_to_date_to_the_rules(project, capsys, monkeypatch):
    import reportgen.pptxcheck as pptxcheck

    seen = []

    def failing(source):
        seen.append(os.path.basename(str(source)))
        return [Finding("slide-title", 3, "no title: no title placeholder holding text")]

    monkeypatch.setattr(pptxcheck, "check", failing)
    capsys.readouterr()
    assert main(["check", "-f", "pptx", "--master", "corporate.pptx"]) == 0  # a warning: the build is up to date
    assert seen == ["treaty.pptx"]
    line = ("build/treaty.pptx: warning: not accessible: slide 3: no title: no title placeholder holding text "
            "(Missing slide title: a PowerPoint accessibility error)")
    assert line in capsys.readouterr().err
    assert main(["check", "-f", "pptx", "--master", "corporate.pptx", "--strict"]) == 2  # an error under --strict: CI fails
    assert "(Missing slide title: a PowerPoint accessibility error) (an error under --strict)" in capsys.readouterr().err
