"""Start-up (issue 7): a build imports only the writer library it needs (pikepdf, the tagged PDF's post-pass, only for a PDF)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("fmt, absent", [("pdf", "pptx"), ("pptx", "reportlab"), ("pptx", "pikepdf")])
def test_a_build_imports_only_its_writer(tmp_path, fmt, absent):
    code = (
        "import sys; from reportgen.cli import main; "
        f"rc = main(['build', 'inputs/summit.yaml', '-f', '{fmt}', '--out', {str(tmp_path)!r}, '-q', '--jobs', '1']); "
        f"print('imported', '{absent}' in sys.modules); sys.exit(rc or ('{absent}' in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert os.path.exists(tmp_path / f"summit.{fmt}")


def test_an_untagged_pdf_imports_no_pikepdf(tmp_path):
    code = (
        "import sys; from reportgen.cli import main; "
        f"rc = main(['build', 'inputs/summit.yaml', '-f', 'pdf', '--pdf-standard', 'none', '--out', {str(tmp_path)!r}, '-q', '--jobs', '1']); "
        "sys.exit(rc or ('pikepdf' in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_an_outline_without_charts_imports_no_chart_library(tmp_path):
    """Issue 18: the chart stacks (ReportLab's chart classes; python-pptx's chart data and XlsxWriter) only when there are charts."""
    outline = tmp_path / "plain.yaml"
    outline.write_text('title: "Plain"\ndate: 2026-11-30\nsummary:\n  - "One point."\nsections:\n  - title: "First"\n    points:\n      - "A point."\n',
                       encoding="utf-8")
    chart_libraries = ("reportlab.graphics.charts.barcharts", "reportlab.graphics.charts.piecharts", "pptx.chart.data", "xlsxwriter")
    code = (
        "import sys; from reportgen.cli import main; "
        f"rc = main(['build', {str(outline)!r}, '--out', {str(tmp_path / 'out')!r}, '-q', '--jobs', '1']); "
        f"bad = [m for m in {chart_libraries!r} if m in sys.modules]; print('imported', bad); sys.exit(rc or (3 if bad else 0))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "out" / "plain.pdf").exists() and (tmp_path / "out" / "plain.pptx").exists()
