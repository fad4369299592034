"""``--pdf-standard`` and ``pdf_standard`` in reportgen.toml: what the PDFs claim, recorded, rebuilt on a change, checked by ``check``."""

from __future__ import annotations

import io
import os
import shutil

import pytest

pikepdf = pytest.importorskip("pikepdf")

from reportgen.cli import main  # noqa: E402
from reportgen.pdfcheck import Finding  # noqa: E402

from conftest import FIXTURES, TEMPLATES  # noqa: E402


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project with one small outline and a copy of the templates, as the current folder."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), tmp_path / "inputs" / "minimal.yaml")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def claims(path) -> tuple[bool, str]:
    """(is it tagged, its XMP)."""
    with pikepdf.open(io.BytesIO(path.read_bytes())) as pdf:
        md = pdf.Root.get("/Metadata")
        return "/StructTreeRoot" in pdf.Root, md.read_bytes().decode() if md is not None else ""


def test_the_standard_is_chosen_recorded_and_a_change_rebuilds(project, capsys):
    assert main(["build", "-q", "-f", "pdf"]) == 0
    tagged, xmp = claims(project / "build" / "minimal.pdf")
    assert tagged and "<pdfuaid:part>1</pdfuaid:part>" in xmp  # the default: PDF/UA-1
    assert main(["check", "-f", "pdf"]) == 0
    assert main(["build", "-f", "pdf", "--pdf-standard", "none"]) == 0
    assert "built build/minimal.pdf (options changed: pdf_standard)" in capsys.readouterr().out
    assert claims(project / "build" / "minimal.pdf") == (False, "")
    assert main(["check", "-f", "pdf"]) == 3  # checked against the default, the build is stale
    assert "stale build/minimal.pdf (options changed: pdf_standard)" in capsys.readouterr().err
    assert main(["check", "-f", "pdf", "--pdf-standard", "none"]) == 0
    assert main(["build", "-f", "pdf", "--pdf-standard", "a-3b", "-q"]) == 0
    tagged, xmp = claims(project / "build" / "minimal.pdf")
    assert tagged and "<pdfaid:part>3</pdfaid:part>" in xmp


def test_the_project_config_sets_it_and_checks_its_value(project, capsys):
    (project / "reportgen.toml").write_text('formats = ["pdf"]\npdf_standard = "a-2b"\n')
    assert main(["build", "-q"]) == 0
    assert "<pdfaid:part>2</pdfaid:part>" in claims(project / "build" / "minimal.pdf")[1]
    assert main(["check"]) == 0
    (project / "reportgen.toml").write_text('formats = ["pdf"]\npdf_standard = "a-1b"\n')
    capsys.readouterr()
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "reportgen.toml:2:16: pdf_standard:" in err and "'ua-1', 'a-2b', 'a-3b' or 'none'" in err
    with pytest.raises(SystemExit) as exc:
        main(["build", "--pdf-standard", "pdf/x"])
    assert exc.value.code == 2


def test_check_holds_each_pdf_up_to_date_to_its_standard(project, capsys, monkeypatch):
    import reportgen.pdfcheck as pdfcheck

    assert main(["build", "-q", "-f", "pdf"]) == 0
    seen = []

    def failing(source, standard="ua-1"):
        seen.append((os.path.basename(str(source)), standard))
        return [Finding("UA 7.3", "13", "Document/Figure", "a Figure without Alt")]

    monkeypatch.setattr(pdfcheck, "check", failing)
    capsys.readouterr()
    assert main(["check", "-f", "pdf"]) == 0  # a warning: the build is up to date
    assert seen == [("minimal.pdf", "ua-1")]
    assert "build/minimal.pdf: warning: not ua-1: UA 7.3 [MH 13] Document/Figure: a Figure without Alt" in capsys.readouterr().err
    assert main(["check", "-f", "pdf", "--strict"]) == 2  # an error under --strict: CI fails
    assert "not ua-1: UA 7.3 [MH 13] Document/Figure: a Figure without Alt (an error under --strict)" in capsys.readouterr().err
    seen.clear()
    assert main(["check", "-f", "pdf", "--pdf-standard", "none"]) == 3  # (stale: built as ua-1) and nothing checked
    assert seen == []
