"""The project config (``reportgen.toml`` / ``[tool.reportgen]``) is read as hostile input (issue 11).

Promise: a config that is too deeply nested, too large, not a regular file,
or whose ``tool.reportgen`` is not a table, is one clear line and exit 2,
never exit 1, never a hang.
"""

from __future__ import annotations

import os

import pytest

from reportgen.cli import main

from conftest import TEMPLATES


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text("title: T\nsections: [{title: S}]\n")
    return tmp_path


def validate(capsys) -> tuple[int, str]:
    code = main(["validate", "x.yaml", "--templates", TEMPLATES])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("reportgen.toml", "x = " + "[" * 100_000 + "]" * 100_000 + "\n", "reportgen.toml: not valid TOML for reportgen: arrays or tables nested too deeply"),
        ("reportgen.toml", "a = " + "{ b = " * 50_000 + "1" + " }" * 50_000 + "\n", "reportgen.toml: not valid TOML for reportgen: arrays or tables nested too deeply"),
        ("pyproject.toml", "[tool]\nreportgen = 5\n", "pyproject.toml: tool.reportgen: expected a table ([tool.reportgen]), got int"),
        ("reportgen.toml", "formats = [[[]]]\n", "reportgen.toml:1:11: formats[0]: expected one of 'pdf' or 'pptx', got a list of 1"),
        ("reportgen.toml", "jobs = -3\n", "reportgen.toml:1:8: jobs: expected a number ≥ 0, got -3"),
    ],
)
def test_hostile_configs_are_one_line(here, capsys, name, text, message):
    (here / name).write_text(text)
    code, err = validate(capsys)
    assert code == 2
    assert err.strip().splitlines() == [message]


def test_a_huge_or_special_config_is_not_read(here, capsys):
    with open(here / "reportgen.toml", "wb") as fh:  # sparse: 2 MB on paper
        fh.truncate(2 * 1024 * 1024)
    code, err = validate(capsys)
    assert code == 2 and err.strip() == "reportgen.toml: the file is over 1024 KB; a project config is a few lines"
    os.unlink(here / "reportgen.toml")
    os.mkfifo(here / "reportgen.toml")  # not a regular file: never opened for reading (it would block)
    code, err = validate(capsys)
    assert code == 0, err  # not a file: not a config


def test_control_characters_in_config_paths_are_refused(here, capsys):
    (here / "reportgen.toml").write_text('build = "b\\u0000"\n')
    code, err = validate(capsys)
    assert code == 2
    assert err.strip() == "reportgen.toml:1:9: build: holds the character U+0000; expected a folder or pack name without control characters"
