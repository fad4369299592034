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
        ("reportgen.toml", 'dask = "local:x"\n', "reportgen.toml:1:8: dask: expected a Dask scheduler's address (tcp://HOST:8786), local, or local:N (N worker processes on this machine), got 'local:x'"),
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


# --- typed strictly (issue 13 item 6): a value of the wrong type is an error, never coerced ---

WRONG_TYPES = [
    ('jobs = "2"', 8, "jobs: expected a whole number, got text '2'"),
    ("jobs = 2.5", 8, "jobs: expected a whole number, got 2.5"),
    ("jobs = 2.0", 8, "jobs: expected a whole number, got 2.0"),
    ("jobs = true", 8, "jobs: expected a whole number, got true"),
    ('strict = "yes"', 10, "strict: expected true or false, got text 'yes'"),
    ("strict = 1", 10, "strict: expected true or false, got 1"),
    ('formats = "pdf"', 11, "formats: expected a list, got text 'pdf'"),
    ("inputs = 3", 10, "inputs: expected text, got 3"),
]


@pytest.mark.parametrize("line, col, message", WRONG_TYPES, ids=[w[0] for w in WRONG_TYPES])
@pytest.mark.parametrize("name", ["reportgen.toml", "pyproject.toml"])
def test_config_values_are_typed_strictly(here, capsys, name, line, col, message):
    header = "" if name == "reportgen.toml" else '[project]\nname = "p"\n\n[tool.reportgen]\n'
    (here / name).write_text(header + 'build = "out"\n' + line + "\n")
    row = header.count("\n") + 2
    code, err = validate(capsys)
    assert code == 2
    assert err.strip().splitlines() == [f"{name}:{row}:{col}: {message}"]


def test_well_typed_config_is_accepted(here):
    from reportgen.config import ProjectConfig, load_config

    (here / "reportgen.toml").write_text('inputs = "in"\nformats = ["pdf"]\njobs = 2\nstrict = true\ntemplate = "briefing"\n')
    cfg = load_config(".")
    assert cfg == ProjectConfig(inputs="in", formats=("pdf",), jobs=2, strict=True, template="briefing", root=str(here))
    assert type(cfg.jobs) is int and type(cfg.strict) is bool and type(cfg.formats) is tuple
