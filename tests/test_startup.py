"""Start-up (issue 7): a build imports only the writer library it needs, and never pikepdf (the checker's)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build_then(argv: list[str], exit_code: str) -> subprocess.CompletedProcess:
    """Run ``reportgen ARGV`` in a fresh Python, then exit with ``exit_code`` (an expression on ``rc`` and ``sys.modules``)."""
    code = f"import sys; from reportgen.cli import main; rc = main({argv!r}); sys.exit({exit_code})"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("fmt, absent", [("pdf", "pptx"), ("pptx", "reportlab"), ("pptx", "pikepdf")])
def test_a_build_imports_only_its_writer(tmp_path, fmt, absent):
    proc = build_then(["build", "inputs/summit.yaml", "-f", fmt, "--out", str(tmp_path), "-q", "--jobs", "1"], f"rc or ({absent!r} in sys.modules)")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert os.path.exists(tmp_path / f"summit.{fmt}")


@pytest.mark.parametrize("standard", ["none", "ua-1", "a-2b"])
def test_no_pdf_build_imports_pikepdf(tmp_path, standard):
    """A tagged PDF is written without reading it back (issue 16: ``writers/pdf/ua.py``, ``objfile``), so no build
    imports pikepdf (95 ms cold), which only ``reportgen check`` needs."""
    proc = build_then(["build", "inputs/summit.yaml", "-f", "pdf", "--pdf-standard", standard, "--out", str(tmp_path), "-q", "--jobs", "1"],
                      "rc or ('pikepdf' in sys.modules)")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "summit.pdf").read_bytes().startswith(b"%PDF-1.7" if standard != "none" else b"%PDF-1.4")


def test_an_outline_without_charts_imports_no_chart_library(tmp_path):
    """Issue 18: the chart stacks (ReportLab's chart classes; python-pptx's chart data and XlsxWriter) only when there are charts."""
    outline = tmp_path / "plain.yaml"
    outline.write_text('title: "Plain"\ndate: 2026-11-30\nsummary:\n  - "One point."\nsections:\n  - title: "First"\n    points:\n      - "A point."\n',
                       encoding="utf-8")
    chart_libraries = ("reportlab.graphics.charts.barcharts", "reportlab.graphics.charts.piecharts", "pptx.chart.data", "xlsxwriter")
    proc = build_then(["build", str(outline), "--out", str(tmp_path / "out"), "-q", "--jobs", "1"],
                      f"rc or (3 if [m for m in {chart_libraries!r} if m in sys.modules] else 0)")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "out" / "plain.pdf").exists() and (tmp_path / "out" / "plain.pptx").exists()
