"""``reportgen init``, ``reportgen templates`` and the built-in packs, as a new user meets them."""

import json
import os
import shutil

import jsonschema
import yaml

from reportgen import __version__
from reportgen.cli import main

from conftest import TEMPLATES


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_writes_a_repository_that_builds_without_a_warning(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "init", "demo")
    assert code == 0, out
    files = sorted(os.path.relpath(os.path.join(d, f), tmp_path / "demo") for d, _, fs in os.walk(tmp_path / "demo") for f in fs)
    assert files == [".github/workflows/documents.yml", ".gitignore", "inputs/example.yaml", "reportgen.schema.json", "reportgen.toml"]
    monkeypatch.chdir(tmp_path / "demo")
    code, _, err = run(capsys, "build", "--strict")
    assert code == 0 and err == ""
    assert sorted(os.listdir("build")) == ["example.pdf", "example.pptx", "reportgen-manifest.json"]
    assert "/build/" in (tmp_path / "demo" / ".gitignore").read_text().split()


def test_the_example_carries_its_schema_and_passes_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "init")[0] == 0
    example = (tmp_path / "inputs" / "example.yaml").read_text()
    assert example.startswith("# yaml-language-server: $schema=../reportgen.schema.json\n")
    schema = json.loads((tmp_path / "reportgen.schema.json").read_text())
    data = yaml.load(example, Loader=yaml.BaseLoader)  # every scalar as the text typed, as an editor would not; so only shape is checked here
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(data) <= set(schema["properties"])


def test_the_workflow_pins_this_version_and_uses_strict_github_logs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "init")[0] == 0
    flow = yaml.safe_load((tmp_path / ".github" / "workflows" / "documents.yml").read_text())
    steps = [s.get("run", "") for s in flow["jobs"]["documents"]["steps"]]
    assert f'python -m pip install "reportgen=={__version__}"' in steps
    assert any(s.startswith("reportgen build") and "--strict" in s and "--log-format github" in s for s in steps)


def test_init_replaces_nothing_without_force(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reportgen.toml").write_text("# mine\n")
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "example.yaml").write_text("title: mine\n")
    code, out, err = run(capsys, "init")
    assert code == 2
    assert err.splitlines() == [
        "./reportgen.toml: already exists; reportgen init replaces nothing (use --force to overwrite)",
        "./inputs/example.yaml: already exists; reportgen init replaces nothing (use --force to overwrite)",
    ]
    assert (tmp_path / "reportgen.toml").read_text() == "# mine\n"
    assert not (tmp_path / ".gitignore").exists()  # nothing written at all
    assert run(capsys, "init", "--force")[0] == 0
    assert (tmp_path / "reportgen.toml").read_text() != "# mine\n"


def test_init_replaces_a_planted_link_instead_of_writing_through_it(tmp_path, monkeypatch, capsys):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".gitignore").symlink_to(outside)
    monkeypatch.chdir(repo)
    assert run(capsys, "init")[0] == 2  # there already
    assert run(capsys, "init", "--force")[0] == 0
    assert outside.read_text() == "precious\n"
    assert not (repo / ".gitignore").is_symlink()


def test_init_refuses_a_folder_that_leads_out(tmp_path, monkeypatch, capsys):
    (tmp_path / "elsewhere").mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".github").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(repo)
    code, _, err = run(capsys, "init", "--force")
    assert code == 2 and "leads out of" in err
    assert os.listdir(tmp_path / "elsewhere") == []
    assert sorted(os.listdir(repo)) == [".github"]  # nothing written before the refusal


def test_init_pack_copies_a_built_in_pack_that_then_shadows_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "init", "--pack", "briefing")[0] == 0
    assert (tmp_path / "templates" / "briefing" / "theme.yaml").is_file()
    code, out, _ = run(capsys, "templates")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["briefing", "templates/"]
    assert lines[1].split()[:2] == ["briefing", "built-in"] and "shadowed" in lines[1]
    code, _, err = run(capsys, "init", "--pack", "nope", "--force")
    assert code == 2 and "no built-in pack named 'nope' (expected one of: briefing, memo)" in err


def test_a_projects_pack_shadows_the_built_in_one(tmp_path, monkeypatch, capsys):
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), tmp_path / "templates" / "briefing")
    (tmp_path / "o.yaml").write_text("title: T\nsections: [{title: S, body: B}]\n")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "build", "o.yaml", "-f", "pdf", "-q")[0] == 0
    deps = json.loads((tmp_path / "build" / "reportgen-manifest.json").read_text())["outputs"]["o.pdf"]["deps"]
    assert "templates/briefing/report.xml.j2" in deps and not any(d.startswith("builtin:") for d in deps)
    shutil.rmtree(tmp_path / "templates")
    assert run(capsys, "build", "o.yaml", "-f", "pdf", "-q")[0] == 0  # now the built-in one
    deps = json.loads((tmp_path / "build" / "reportgen-manifest.json").read_text())["outputs"]["o.pdf"]["deps"]
    assert "builtin:briefing/report.xml.j2" in deps and not any(d.startswith("templates/") for d in deps)


def test_schema_command_prints_the_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    jsonschema.Draft202012Validator.check_schema(json.loads(out))


def test_help_shows_init_and_schema(capsys):
    try:
        main(["--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    assert "init" in out and "schema" in out
