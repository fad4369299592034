"""Packs that extend another (theme ``extends``), and the built-in memo pack: one switch of ``template:`` restyles both outputs."""

import os
import shutil
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.pack import find_pack

from conftest import SUMMIT, TEMPLATES


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_memo_takes_what_it_lacks_from_briefing():
    memo = find_pack("memo", "")
    theme = memo.theme
    assert theme.extends == "briefing" and theme.base == os.path.join(TEMPLATES, "briefing")
    assert theme.path("fonts/LiberationSerif-Regular.ttf") == os.path.join(TEMPLATES, "briefing", "fonts", "LiberationSerif-Regular.ttf")
    assert theme.path("master.pptx") == os.path.join(TEMPLATES, "memo", "master.pptx")  # its own first
    assert theme.path("assets/logo.png") == os.path.join(TEMPLATES, "memo", "assets", "logo.png")


def test_one_switch_restyles_both_outputs(tmp_path, monkeypatch, capsys):
    from pptx import Presentation
    from pypdf import PdfReader

    text = Path(SUMMIT).read_text(encoding="utf-8").replace("template: briefing", "template: memo")
    (tmp_path / "memo.yaml").write_text(text, encoding="utf-8")
    shutil.copy(SUMMIT, tmp_path / "brief.yaml")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "build", "--strict", "-q", "memo.yaml", "brief.yaml")
    assert code == 0 and err == ""
    memo, brief = PdfReader("build/memo.pdf"), PdfReader("build/brief.pdf")
    assert [float(v) for v in memo.pages[0].mediabox[2:]] == [612, 792]  # letter, not A4
    assert [float(v) for v in brief.pages[0].mediabox[2:]] == pytest.approx([595.28, 841.89], abs=0.01)
    deck_memo, deck_brief = Presentation("build/memo.pptx"), Presentation("build/brief.pptx")
    assert deck_memo.slides[0].slide_layout.name == deck_brief.slides[0].slide_layout.name == "Title Slide"
    assert deck_memo.slides[0].slide_layout.background.fill.type != deck_brief.slides[0].slide_layout.background.fill.type  # white, not navy
    theme_xml = deck_memo.part.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideMaster").part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob.decode()
    assert "00897B" in theme_xml and "Times New Roman" in theme_xml  # memo's teal and its deck family, inherited by every text


def pack(tmp_path, name: str, extends: str) -> str:
    folder = tmp_path / "templates" / name
    folder.mkdir(parents=True)
    text = Path(TEMPLATES, "memo", "theme.yaml").read_text(encoding="utf-8")
    (folder / "theme.yaml").write_text(text.replace("name: memo", f"name: {name}").replace("extends: briefing", f"extends: {extends}").replace("master: master.pptx ", "master: master.pptx "), encoding="utf-8")
    return str(folder)


def test_a_project_pack_may_extend_a_built_in_one_and_override_a_template(tmp_path, monkeypatch, capsys):
    folder = pack(tmp_path, "house", "briefing")
    shutil.copy(os.path.join(TEMPLATES, "memo", "master.pptx"), folder)
    shutil.copytree(os.path.join(TEMPLATES, "memo", "assets"), os.path.join(folder, "assets"))
    report = Path(TEMPLATES, "briefing", "report.xml.j2").read_text(encoding="utf-8")
    Path(folder, "report.xml.j2").write_text(report.replace("<toc", "<p>House style.</p><toc", 1))
    (tmp_path / "o.yaml").write_text("title: T\ntemplate: house\nsections: [{title: S, body: B}]\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "build", "o.yaml", "-q")
    assert code == 0, err
    from pypdf import PdfReader

    assert "House style." in "".join(p.extract_text() for p in PdfReader("build/o.pdf").pages)
    import json

    deps = json.loads((tmp_path / "build" / "reportgen-manifest.json").read_text())["outputs"]["o.pdf"]["deps"]
    assert "templates/house/report.xml.j2" in deps and "builtin:briefing/macros.xml.j2" in deps  # its own template, the base's macros


@pytest.mark.parametrize(
    "extends, message",
    [
        ("nope", "extends: no other template pack named 'nope' to extend"),
        ("house", "extends: no other template pack named 'house' to extend"),  # itself
        ("memo", "extends: pack 'memo' itself extends 'briefing'; a pack may extend only a pack that extends none"),
    ],
)
def test_what_a_pack_may_not_extend(tmp_path, extends, message):
    folder = pack(tmp_path, "house", extends)
    with pytest.raises(InputError) as info:
        find_pack("house", str(tmp_path / "templates")).theme
    assert message in str(info.value) and "theme.yaml:7:" in str(info.value)
    del folder


def test_a_theme_cannot_set_its_base_folder(tmp_path):
    folder = pack(tmp_path, "house", "briefing")
    path = os.path.join(folder, "theme.yaml")
    Path(path).write_text(Path(path).read_text(encoding="utf-8") + "base: /etc\n", encoding="utf-8")
    shutil.copy(os.path.join(TEMPLATES, "memo", "master.pptx"), folder)
    shutil.copytree(os.path.join(TEMPLATES, "memo", "assets"), os.path.join(folder, "assets"))
    theme = find_pack("house", str(tmp_path / "templates")).theme
    assert theme.base == os.path.join(TEMPLATES, "briefing")
