"""Shared fixtures: the repository's paths and one real build of the summit briefing."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
TEMPLATES = os.path.join(ROOT, "reportgen", "packs")  # the built-in packs
SUMMIT = os.path.join(ROOT, "inputs", "summit.yaml")


@pytest.fixture(scope="session")
def summit_build(tmp_path_factory):
    """Return the folder holding build/summit.pdf and build/summit.pptx, built once."""
    from reportgen.build import Options, build

    out = tmp_path_factory.mktemp("build")
    build([SUMMIT], Options(out_dir=str(out), templates_dir=TEMPLATES))
    return out


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def soffice_to_pdf(pptx: str, outdir: str) -> str:
    """Return the path of the PDF LibreOffice made of ``pptx`` (fails the test if none)."""
    profile = os.path.join(outdir, "lo-profile")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", outdir, pptx],
        check=False, capture_output=True, timeout=240,
    )
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(pptx))[0] + ".pdf")
    assert os.path.isfile(pdf), "LibreOffice made no PDF of the deck"
    return pdf


@pytest.fixture(scope="session")
def pdf_sample_theme():
    """The briefing theme, for the PDF writer's tests (``tests/writers/pdf/pdf_sample.py``)."""
    from pdf_sample import briefing

    return briefing()


@pytest.fixture(scope="session")
def pdf_sample_built(pdf_sample_theme, tmp_path_factory):
    """The PDF writer tests' sample report, written once per run: (its path, the warnings, a pypdf reader of it)."""
    from pdf_sample import render_sample

    return render_sample(tmp_path_factory.mktemp("pdf"), pdf_sample_theme)


def raised_number(page, word: dict) -> int | None:
    """The number set raised and smaller right after ``word`` on a pdfplumber ``page`` (a footnote's mark), if one is."""
    digits = []
    x = word["x1"]
    for c in sorted((c for c in page.chars if abs(c["top"] - word["top"]) < 6), key=lambda c: c["x0"]):
        if abs(c["x0"] - x) < 0.5 and c["text"].isdigit() and c["size"] < word["size"] and c["top"] < word["top"] - 1:
            digits.append(c["text"])
            x = c["x1"]
    return int("".join(digits)) if digits else None


def run_cli(capsys, *args, command="build"):
    """Run ``reportgen COMMAND ARGS`` with the built-in packs (build: into ./build, one process); return (exit code, stdout, stderr), never a traceback."""
    from reportgen.cli import main

    argv = [command, *args, "--templates", TEMPLATES]
    if command == "build":
        argv += ["--out", "build", "--jobs", "1"]
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def words_of(page) -> list[dict]:
    """The words of pdfplumber ``page`` with their sizes (a change of size splits a word: a raised mark is a word of its own)."""
    return page.extract_words(extra_attrs=["size"])


def page_layout(page) -> dict:
    """The page's parts: its footnote rule (a short line at the left margin, or None), the words of the running
    header and footer, of the text above the rule, and of the notes under it."""
    words = words_of(page)
    header = [w for w in words if w["bottom"] < 60]
    footer = [w for w in words if w["top"] > page.height - 62]
    rules = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 1 and 0.2 < (ln["x1"] - ln["x0"]) / (page.width - 2 * ln["x0"]) < 0.4]
    rule = rules[0] if rules else None
    rest = [w for w in words if w not in header and w not in footer]
    body = [w for w in rest if rule is None or w["bottom"] < rule["top"]]
    notes = [w for w in rest if w not in body]
    return {"rule": rule, "header": header, "footer": footer, "body": body, "notes": notes}
