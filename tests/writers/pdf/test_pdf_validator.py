"""Every tagged PDF the tests build passes an independent PDF/UA-1 and PDF/A-2b validator that runs without Java.

The validator is PyPI's ``page-validation`` (``import page``): 104 PDF/UA-1
rules and 144 PDF/A-2b rules implemented apart from reportgen's own checker
(``reportgen/pdfcheck``), so the two do not share a blind spot. A planted
defect (a figure's alternative text removed) must fail it, or passing would
prove nothing.
"""

from __future__ import annotations

import os
import shutil

import pytest

from reportgen.cli import main

from conftest import FIXTURES, SUMMIT

import page  # page-validation, a test extra (pyproject [test])
import pikepdf

OUTLINES = {
    "summit": SUMMIT,
    "features": os.path.join(FIXTURES, "features", "features.yaml"),
    "markdown": os.path.join(FIXTURES, "markdown", "briefing.md"),
    "water": os.path.join(FIXTURES, "markdown", "water.md"),
    "tables": os.path.join(FIXTURES, "deck", "stress.yaml"),
    "languages": os.path.join(FIXTURES, "languages", "french.yaml"),  # spans in other languages: Span elements with /Lang
    "languages-md": os.path.join(FIXTURES, "languages", "english.md"),
}


def built(tmp_path, monkeypatch, name: str, *args) -> str:
    """Build outline ``name`` (with the files beside it) into tmp_path/build; return its PDF's path."""
    src = OUTLINES[name]
    folder = tmp_path / "in"
    shutil.copytree(os.path.dirname(src), folder)
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(folder / os.path.basename(src)), "-f", "pdf", "-q", "--out", "build", *args]) == 0
    return str(tmp_path / "build" / (os.path.splitext(os.path.basename(src))[0] + ".pdf"))


def failures(report) -> list[str]:
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


@pytest.mark.parametrize("name", sorted(OUTLINES))
def test_the_tagged_pdf_passes_pdf_ua_1(tmp_path, monkeypatch, name):
    report = page.validate_pdf(built(tmp_path, monkeypatch, name), profile="ua1")
    assert failures(report) == [] and report.rules.failed == 0 and report.rules.passed > 100


@pytest.mark.parametrize("name", ["summit", "features"])
def test_the_archival_pdf_passes_pdf_a_2b(tmp_path, monkeypatch, name):
    report = page.validate_pdf(built(tmp_path, monkeypatch, name, "--pdf-standard", "a-2b"), profile="2b")
    assert failures(report) == [] and report.rules.failed == 0 and report.rules.passed > 100


def test_a_figure_without_its_text_alternative_fails(tmp_path, monkeypatch):
    path = built(tmp_path, monkeypatch, "features")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        removed = 0
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == pikepdf.Name.Figure and "/Alt" in node:
                    del node["/Alt"]
                    removed += 1
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(kids)
                elif isinstance(kids, pikepdf.Dictionary):
                    stack.append(kids)
        assert removed > 0
        pdf.save(path)
    report = page.validate_pdf(path, profile="ua1")
    assert report.rules.failed > 0 and not report.is_compliant
