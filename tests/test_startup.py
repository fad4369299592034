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
