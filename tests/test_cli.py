"""The command line, run in-process: exit codes, messages, nothing written on bad input."""

import os
import shutil
import subprocess
import sys

import pytest

from reportgen.cli import main

from conftest import FIXTURES, ROOT, SUMMIT, TEMPLATES


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_and_version(capsys):
    code, out, _ = run(capsys)
    assert code == 0 and "build" in out and "validate" in out
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0


def test_the_command_exits_with_mains_code(tmp_path):
    """``python -m reportgen`` (as the ``reportgen`` command: ``cli.run``) exits with the code ``main`` returns."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [not, a, title]\nsections: [{title: s}]\n")
    env = dict(os.environ, PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, "-m", "reportgen", "build", str(bad), "--out", str(tmp_path / "build")], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "bad.yaml:1:" in done.stderr, done.stderr
    done = subprocess.run([sys.executable, "-m", "reportgen", "templates"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "briefing" in done.stdout
    assert not (tmp_path / "build").exists()


def test_templates_lists_the_briefing_pack(capsys):
    code, out, _ = run(capsys, "templates", "--templates", TEMPLATES)
    assert code == 0 and out.startswith("briefing")


def test_validate_writes_nothing(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "validate", os.path.join(FIXTURES, "minimal.yaml"), "--templates", TEMPLATES)
    assert code == 0 and out.startswith("ok ")
    assert os.listdir(tmp_path) == []


def test_malformed_outline_exit_2_one_line_per_problem_nothing_written(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("titel: x\nsections:\n  - title: s\n    chart: {type: bar, title: c, categories: [a], series: [{name: s, values: [x]}]}\n")
    out_dir = tmp_path / "build"
    code, out, err = run(capsys, "build", str(bad), "--out", str(out_dir), "--templates", TEMPLATES)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 3, err
    assert all(line.startswith(f"{bad}:") for line in lines)
    assert "Traceback" not in err and out == ""
    assert not out_dir.exists()


def test_bad_outline_among_good_ones_builds_nothing(capsys, tmp_path):
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("title: [x]\nsections: []\n")
    out_dir = tmp_path / "build"
    out_dir.mkdir()
    (out_dir / "a.pdf").write_bytes(b"previous good file")
    code, _, err = run(capsys, "build", str(tmp_path), "--out", str(out_dir), "--templates", TEMPLATES)
    assert code == 2 and "b.yaml:1:8: title: expected text" in err and "sections: list should have at least 1 item" in err
    assert sorted(os.listdir(out_dir)) == ["a.pdf"]
    assert (out_dir / "a.pdf").read_bytes() == b"previous good file"


def test_unknown_template_pack_is_located(capsys, tmp_path):
    bad = tmp_path / "o.yaml"
    bad.write_text("title: x\ntemplate: breifing\nsections: [{title: s}]\n")
    (tmp_path / "templates" / "mine").mkdir(parents=True)
    shutil.copy(os.path.join(TEMPLATES, "briefing", "theme.yaml"), tmp_path / "templates" / "mine")
    code, _, err = run(capsys, "validate", str(bad), "--templates", str(tmp_path / "templates"))
    assert code == 2
    assert err.strip() == (
        f"{bad}:2:11: template: no template pack named 'breifing' (expected one of: mine ({tmp_path / 'templates'}/), briefing (built-in), memo (built-in)); "
        f"add one as {tmp_path / 'templates' / 'breifing'}/ (`reportgen init --pack briefing` copies the built-in one to start from), "
        "or name another folder of packs with --templates DIR or `templates =` in reportgen.toml"
    )


def test_template_errors_name_the_template_and_line(capsys, tmp_path):
    pack = tmp_path / "templates" / "broken"
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), pack)
    (pack / "report.xml.j2").write_text("<report>\n{{ outline.nope }}\n</report>\n")
    code, _, err = run(capsys, "validate", os.path.join(FIXTURES, "minimal.yaml"), "-t", "broken", "--templates", str(tmp_path / "templates"))
    assert code == 2 and "report.xml.j2:2:1: undefined name" in err and "nope" in err
    (pack / "report.xml.j2").write_text("<report>\n{% for x in %}\n</report>\n")
    code, _, err = run(capsys, "validate", os.path.join(FIXTURES, "minimal.yaml"), "-t", "broken", "--templates", str(tmp_path / "templates"))
    assert code == 2 and "report.xml.j2:2:1: template syntax error" in err


def test_sandbox_refuses_python_internals(capsys, tmp_path):
    pack = tmp_path / "templates" / "evil"
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), pack)
    (pack / "report.xml.j2").write_text("<report>{{ outline.__class__.__mro__[1].__subclasses__() }}</report>\n")
    code, _, err = run(capsys, "validate", os.path.join(FIXTURES, "minimal.yaml"), "-t", "evil", "--templates", str(tmp_path / "templates"))
    assert code == 2 and "evil/report.xml.j2:1:1:" in err


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "reportgen", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "reportgen" in proc.stdout


def test_help_and_schema_import_no_writer_library():
    code = (
        "import sys; from reportgen.cli import main; "
        "code = main([]) or main(['schema']); "
        "bad = [m for m in ('reportlab', 'pptx', 'pikepdf', 'watchfiles') if m in sys.modules]; "
        "print('exit', code, 'imported', bad); sys.exit(3 if bad else code)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-300:] + proc.stderr  # both succeeded (0), and imported no writer library (not 3)


def test_validate_plans_but_writes_nothing(tmp_path, monkeypatch):
    """validate plans the deck and builds the PDF's story (to find what build would warn of) but writes no file."""
    shutil.copy(SUMMIT, tmp_path / "summit.yaml")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "summit.yaml", "--strict"]) == 0
    assert sorted(os.listdir(tmp_path)) == ["summit.yaml"]


def test_a_template_symlinked_outside_the_pack_is_refused(capsys, tmp_path):
    pack = tmp_path / "templates" / "linky"
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), pack)
    secret = tmp_path / "secret.j2"
    secret.write_text("<p>secret</p>")
    (pack / "macros.xml.j2").unlink()
    (pack / "macros.xml.j2").symlink_to(secret)
    code, _, err = run(capsys, "validate", os.path.join(FIXTURES, "minimal.yaml"), "-t", "linky", "--templates", str(tmp_path / "templates"))
    assert code == 2 and "template not found: macros.xml.j2 (it leads outside the pack folder)" in err


def test_github_log_format_prints_one_error_command_per_problem(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nbodey: y\nsections:\n  - title: s\n    chart: {type: donut, title: c, categories: [a], series: [{name: n, values: [1]}]}\n  - titel: t\n")
    for command in ("validate", "build", "check"):
        code, out, err = run(capsys, command, str(bad), "--log-format", "github", "--out", str(tmp_path / "out")) if command != "validate" else run(capsys, command, str(bad), "--log-format", "github")
        assert code == 2 and err == ""
        lines = out.splitlines()
        assert len(lines) == 4, lines
        assert all(line.startswith(f"::error file={bad},line=") for line in lines), lines
        assert lines[0].startswith(f"::error file={bad},line=2,col=1::bodey: unknown field")
    assert not (tmp_path / "out").exists()


def test_github_commands_escape_what_would_end_them():
    from reportgen.errors import Problem
    from reportgen.log import format_problem

    p = Problem("a,b:c.yaml", 3, 4, "100% wrong\nsecond line", "sections[0].title", "warning", "text-shrunk")
    assert format_problem(p, "github") == "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=text-shrunk::sections[0].title: 100%25 wrong%0Asecond line"


def test_json_errors_carry_their_parts(capsys, tmp_path):
    import json

    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nbodey: y\nsections: [{title: s}]\n")
    code, out, _ = run(capsys, "validate", str(bad), "--log-format", "json")
    assert code == 2
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert {k: record[k] for k in ("event", "file", "line", "col", "field", "severity")} == {"event": "error", "file": str(bad), "line": 2, "col": 1, "field": "bodey", "severity": "error"}
    assert record["message"].startswith("unknown field")


def test_dask_flags_are_checked_before_anything_is_read(capsys, tmp_path, monkeypatch):
    """Without the dask extra, --dask (or ``dask`` in reportgen.toml) is one line saying what to install; --jobs builds here instead."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    monkeypatch.chdir(tmp_path)
    outline = os.path.join(FIXTURES, "minimal.yaml")
    common = [outline, "--templates", TEMPLATES, "-f", "pdf"]
    for args, message in [
        (["--dask", "local:2"], "--dask needs Dask's distributed scheduler, which is not installed: pip install 'reportgen[dask]'"),
        (["--dask", "local:2", "--jobs", "2"], "--dask and --jobs: give one"),
        (["--dask", "nowhere"], "--dask: expected a Dask scheduler's address (tcp://HOST:8786), local, or local:N"),
        (["--dask-output", "shared"], "--dask-output is where a cluster's workers put the outputs: give --dask ADDRESS too"),
    ]:
        code, _, err = run(capsys, "build", *common, *args)
        assert code == 2 and err.startswith("reportgen: " + message) and len(err.strip().splitlines()) == 1, err
    (tmp_path / "reportgen.toml").write_text('dask = "tcp://10.0.0.5:8786"\n')
    code, _, err = run(capsys, "build", *common)
    assert code == 2 and err.startswith("reportgen: dask (reportgen.toml) needs Dask's distributed scheduler"), err
    assert os.listdir(tmp_path) == ["reportgen.toml"]  # nothing written
    code, _, err = run(capsys, "build", *common, "--jobs", "1")  # --jobs on the command line: built here
    assert code == 0 and os.path.isfile(tmp_path / "build" / "minimal.pdf"), err
