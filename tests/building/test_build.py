"""Incremental, reproducible, atomic, parallel builds, and ``reportgen check``."""

from __future__ import annotations

import hashlib
import json
import re
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from reportgen.build import Options, build
from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.log import JsonReporter, Reporter
from reportgen.safety import is_temp_name

from conftest import FIXTURES, ROOT, SUMMIT, TEMPLATES


@pytest.fixture
def project(tmp_path):
    """Return a project folder with two outlines, a copy of the templates, and no build yet."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(SUMMIT, tmp_path / "inputs" / "summit.yaml")
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), tmp_path / "inputs" / "minimal.yaml")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def digests(folder) -> dict[str, str]:
    return {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in sorted(os.listdir(folder))
        if name.endswith((".pdf", ".pptx"))
    }


def opts(project, **kw) -> Options:
    return Options(out_dir=str(project / "build"), templates_dir=str(project / "templates"), inputs_dir=str(project / "inputs"), root=str(project), **kw)


def built(outputs) -> list[str]:
    return sorted(os.path.basename(o.path) for o in outputs)


def run_cli(args, cwd, env=None):
    code = "import sys; from reportgen.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_second_build_renders_nothing(project):
    assert built(build([], opts(project))) == ["minimal.pdf", "minimal.pptx", "summit.pdf", "summit.pptx"]
    assert build([], opts(project)) == []
    manifest = json.loads((project / "build" / "reportgen-manifest.json").read_text())
    assert manifest["format"] == 1
    entry = manifest["outputs"]["summit.pdf"]
    assert entry["input"] == "inputs/summit.yaml"
    assert "templates/briefing/report.xml.j2" in entry["deps"] and "templates/briefing/deck.xml.j2" not in entry["deps"]
    assert all(not os.path.isabs(p) for e in manifest["outputs"].values() for p in e["deps"])


def test_changing_one_template_rebuilds_exactly_the_outputs_that_use_it(project):
    build([], opts(project))
    with open(project / "templates" / "briefing" / "deck.xml.j2", "a") as fh:
        fh.write("{# a designer's edit #}\n")
    lines = []

    class Collect(Reporter):
        def event(self, e):
            lines.append(self.line(e))

    assert built(build([], opts(project), Collect())) == ["minimal.pptx", "summit.pptx"]
    assert "built " + str(project / "build" / "summit.pptx") + " (template deck.xml.j2 changed)" in " ".join(lines)
    with open(project / "templates" / "briefing" / "macros.xml.j2", "a") as fh:
        fh.write("{# shared edit #}\n")
    assert len(build([], opts(project))) == 4
    (project / "inputs" / "minimal.yaml").write_text((project / "inputs" / "minimal.yaml").read_text() + "\n# comment\n")
    assert built(build([], opts(project))) == ["minimal.pdf", "minimal.pptx"]


def test_timestamps_are_never_trusted(project):
    build([], opts(project))
    for path in (project / "templates" / "briefing").iterdir():
        os.utime(path, (1, 1))
    os.utime(project / "inputs" / "summit.yaml")  # newer, same content
    assert build([], opts(project)) == []


def test_a_damaged_or_missing_output_is_rebuilt(project):
    build([], opts(project))
    (project / "build" / "summit.pdf").write_bytes(b"damaged")
    (project / "build" / "minimal.pptx").unlink()
    assert built(build([], opts(project))) == ["minimal.pptx", "summit.pdf"]


def test_force_rebuilds_everything(project):
    build([], opts(project))
    assert len(build([], opts(project, force=True))) == 4


def test_no_op_build_imports_no_writer_library(project):
    """Nothing changed: no writer library, and no YAML, schema or template library either."""
    assert run_cli(["build", "-q"], cwd=project).returncode == 0
    code = (
        "import sys; from reportgen.cli import main; rc = main(['build', '-q']); "
        "bad = [m for m in ('reportlab', 'pptx', 'pikepdf', 'jinja2', 'pydantic', 'yaml') if m in sys.modules]; "
        "print(bad); sys.exit(rc or (9 if bad else 0))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_same_bytes_across_processes_folders_and_job_counts(project, tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    a = tmp_path_factory.mktemp("a")
    b = tmp_path_factory.mktemp("b")
    args = [str(project / "inputs"), "--templates", str(project / "templates"), "-q"]
    assert run_cli(["build", *args, "--out", str(a / "out"), "--jobs", "1"], cwd=a, env=env).returncode == 0
    other = shutil.copytree(project, b / "moved")  # another folder, as on another machine
    args = [str(other / "inputs"), "--templates", str(other / "templates"), "-q"]
    assert run_cli(["build", *args, "--out", str(b / "out"), "--jobs", "2"], cwd=b, env=env).returncode == 0
    da, db = digests(a / "out"), digests(b / "out")
    assert len(da) == 4 and da == db


def test_outputs_embed_no_paths_or_user_names(project):
    build([], opts(project))
    needles = [str(project).encode(), os.path.expanduser("~").encode(), ROOT.encode()]
    for name in ("summit.pdf", "minimal.pdf"):
        data = (project / "build" / name).read_bytes()
        assert not any(n in data for n in needles), name
    for name in ("summit.pptx", "minimal.pptx"):
        with zipfile.ZipFile(project / "build" / name) as z:
            infos = z.infolist()
            names = [i.filename for i in infos]
            assert names[0] == "[Content_Types].xml" and len(set(names)) == len(names)  # content types first, each part once
            assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}  # fixed times, not the time of saving
            for info in infos:
                data = z.read(info)
                assert not any(n in data for n in needles), (name, info.filename)


def test_a_failing_writer_leaves_previous_outputs_untouched(project, monkeypatch):
    build([], opts(project))
    before = digests(project / "build")
    from reportgen.writers import pdf

    def broken(self, doc, theme, path):
        with open(path, "wb") as fh:
            fh.write(b"%PDF-1.4 half a file")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pdf.PdfWriter, "write", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build([], opts(project, force=True, jobs=1))
    assert digests(project / "build") == before
    assert [n for n in os.listdir(project / "build") if is_temp_name(n)] == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_one_failing_output_replaces_no_output(project, monkeypatch, jobs):
    """All or nothing: the deck rendered fine, but the report failed, so neither replaces the last good build
    (at --jobs 2 one outline's two outputs are each composed and rendered by a worker of their own)."""
    build([], opts(project))
    before = digests(project / "build")
    outline = project / "inputs" / "minimal.yaml"
    outline.write_text(outline.read_text().replace("Only section", "Renamed section"))
    from reportgen.writers import pdf

    def broken(self, doc, theme, path):
        raise RuntimeError("layout engine crashed")

    monkeypatch.setattr(pdf.PdfWriter, "write", broken)
    with pytest.raises(RuntimeError):
        build([str(outline)] if jobs == 2 else [], opts(project, jobs=jobs))
    assert digests(project / "build") == before
    assert [n for n in os.listdir(project / "build") if is_temp_name(n)] == []
    monkeypatch.undo()
    assert built(build([], opts(project))) == ["minimal.pdf", "minimal.pptx"]  # still stale: rebuilt once it can be


def test_check_exit_codes(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    assert main(["check"]) == 3
    assert "stale build/summit.pdf (not built before)" in capsys.readouterr().err
    assert main(["build", "-q"]) == 0
    assert main(["check"]) == 0
    (project / "inputs" / "summit.yaml").write_text((project / "inputs" / "summit.yaml").read_text() + "\n")
    capsys.readouterr()
    assert main(["check"]) == 3
    assert "outline summit.yaml changed" in capsys.readouterr().err
    (project / "inputs" / "minimal.yaml").write_text("title: [x]\nsections: []\n")
    assert main(["check"]) == 2


def test_orphans_are_reported_and_pruned(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    assert main(["build", "-q"]) == 0
    (project / "inputs" / "minimal.yaml").unlink()
    assert main(["check"]) == 3
    assert "orphan build/minimal.pdf: its outline inputs/minimal.yaml is gone" in capsys.readouterr().err
    assert main(["build"]) == 0
    assert "orphan build/minimal.pdf" in capsys.readouterr().out
    assert (project / "build" / "minimal.pdf").exists()
    assert main(["build", "--prune"]) == 0
    assert not (project / "build" / "minimal.pdf").exists()
    assert main(["check"]) == 0


def test_project_config_sets_folders_and_formats(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    (project / "reportgen.toml").write_text('build = "dist"\nformats = ["pdf"]\n')
    assert main(["build", "-q"]) == 0
    assert sorted(os.listdir(project / "dist")) == ["minimal.pdf", "reportgen-manifest.json", "summit.pdf"]
    (project / "reportgen.toml").write_text('build = "dist"\nformat = ["pdf"]\njobs = "two"\n')
    assert main(["build"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "reportgen.toml:2:1: format: unknown field 'format' (did you mean 'formats'?); expected one of: inputs, templates, build, formats, template, jobs, strict, pdf_standard, dask"
    assert err[1].startswith("reportgen.toml:3:8: jobs: expected a whole number")


def test_pyproject_tool_table_is_read(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.reportgen]\nbuild = "out"\nformats = ["pptx"]\n')
    assert main(["build", "-q"]) == 0
    assert sorted(os.listdir(project / "out")) == ["minimal.pptx", "reportgen-manifest.json", "summit.pptx"]


def test_json_log_is_one_object_per_line(project, capsys):
    build([], opts(project), JsonReporter())
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["event"] for e in events].count("built") == 4
    assert events[-1]["event"] == "done"
    assert all("reasons" in e for e in events if e["event"] == "built")


def test_strict_turns_fit_warnings_into_errors(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    for name in os.listdir(os.path.join(FIXTURES, "deck")):  # the stress outline and its figures
        shutil.copy(os.path.join(FIXTURES, "deck", name), project / "inputs" / name)
    assert main(["build", "inputs/stress.yaml", "-f", "pptx", "--strict"]) == 2
    err = capsys.readouterr().err
    assert "(an error under --strict)" in err and "shrunk" in err
    assert not (project / "build" / "stress.pptx").exists()
    assert main(["build", "inputs/stress.yaml", "-f", "pptx", "-q"]) == 0
    assert main(["build", "inputs/stress.yaml", "-f", "pptx", "--strict"]) == 2  # recorded warnings count too


def test_the_bundled_summit_builds_without_a_warning(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    assert main(["build", "inputs/summit.yaml", "--strict", "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_source_date_epoch_sets_the_document_dates(project, monkeypatch):
    import pypdf

    build([str(project / "inputs" / "minimal.yaml")], opts(project))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    assert len(build([str(project / "inputs" / "minimal.yaml")], opts(project))) == 2  # it changes the bytes
    info = pypdf.PdfReader(str(project / "build" / "minimal.pdf")).metadata
    assert info["/CreationDate"].startswith("D:20231114")
    from pptx import Presentation

    props = Presentation(str(project / "build" / "minimal.pptx")).core_properties
    assert props.created.isoformat().startswith("2023-11-14")


def test_invalid_input_aborts_before_writing(project):
    (project / "inputs" / "minimal.yaml").write_text("title: x\nsections: [{title: s, chart: {type: pie}}]\n")
    with pytest.raises(InputError) as info:
        build([], opts(project))
    assert "minimal.yaml:2:" in str(info.value)
    assert not (project / "build").exists()


def test_master_flag_uses_a_corporate_master_and_tracks_it(project, capsys, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_masters", os.path.join(FIXTURES, "masters", "make_masters.py"))
    masters = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(masters)
    corporate = masters.corporate(str(project / "corporate.pptx"))
    monkeypatch.chdir(project)
    assert main(["build", "inputs/minimal.yaml", "-f", "pptx", "--master", corporate, "-q"]) == 0
    manifest = json.loads((project / "build" / "reportgen-manifest.json").read_text())
    assert "corporate.pptx" in manifest["outputs"]["minimal.pptx"]["deps"]
    assert manifest["outputs"]["minimal.pptx"]["options"]["master"] == "corporate.pptx"
    from pptx import Presentation

    layouts = {s.slide_layout.name for s in Presentation(str(project / "build" / "minimal.pptx")).slides}
    assert layouts and not layouts & {"Title Slide", "Title and Content"}  # the corporate names, not the pack's
    assert main(["build", "inputs/minimal.yaml", "-f", "pptx", "--master", "nope.pptx"]) == 2
    assert "nope.pptx: slide master: no such file" in capsys.readouterr().err


def test_check_runs_the_preflight(project, capsys, monkeypatch):
    import importlib.util

    monkeypatch.chdir(project)
    assert main(["build", "-q"]) == 0
    assert main(["check"]) == 0
    # a glyph no font has: a located warning, an error under --strict
    text = (project / "inputs" / "minimal.yaml").read_text().replace("Only section", "Only section \u4e2d")
    (project / "inputs" / "minimal.yaml").write_text(text)
    capsys.readouterr()
    assert main(["check"]) == 3
    err = capsys.readouterr().err
    assert "inputs/minimal.yaml:8:12: warning: sections[0].title: no font has a glyph for" in err
    assert main(["check", "--strict"]) == 2
    # a master that lacks layouts: exit 2 with the missing layouts listed
    spec = importlib.util.spec_from_file_location("make_masters", os.path.join(FIXTURES, "masters", "make_masters.py"))
    masters = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(masters)
    broken = masters.broken(str(project / "broken.pptx"))
    capsys.readouterr()
    assert main(["check", "--master", broken]) == 2
    assert "slide master: available layouts:" in capsys.readouterr().err


def test_writer_errors_are_placed_in_the_outline(project, capsys, monkeypatch):
    from reportgen.errors import Problem
    from reportgen.writers import pdf

    def fails(self, doc, theme, path):
        raise InputError(Problem("", 0, 0, "content too large to fit on a page", "sections[0].subsections[0].table"))  # the build fills in the file

    monkeypatch.setattr(pdf.PdfWriter, "write", fails)
    monkeypatch.chdir(project)
    assert main(["build", "inputs/minimal.yaml", "-f", "pdf", "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert re.match(r"inputs/minimal\.yaml:2[01]:\d+: ", err) and "sections[0].subsections[0].table: content too large" in err


@pytest.mark.parametrize("jobs", [1, 2])
def test_template_errors_are_collected_before_anything_is_written(project, jobs):
    """Composing happens in the worker processes at --jobs 2: the same errors, all of them, nothing written."""
    build([], opts(project))
    before = digests(project / "build")
    for name in ("summit", "minimal"):  # both outlines change, so both are stale
        outline = project / "inputs" / f"{name}.yaml"
        outline.write_text(outline.read_text() + "\n# edited\n")
    template = project / "templates" / "briefing" / "deck.xml.j2"
    template.write_text(template.read_text().replace("{{ meta.date_text }}", "{{ meta.no_such_field }}", 1))
    with pytest.raises(InputError) as info:
        build([], opts(project, jobs=jobs))
    lines = str(info.value).splitlines()
    assert len(lines) == 1 and re.match(r".*deck\.xml\.j2:\d+:1: undefined name: .*no_such_field", lines[0]), lines
    assert digests(project / "build") == before


# --- a small build: each output composed and rendered by one worker -----------------------


def test_a_small_build_composes_and_renders_each_output_in_its_own_worker(project):
    """One outline, both formats, two workers: the build's process imports neither writer (each worker imports its
    own, at the same time as the other); the bytes are those of a build in one process."""
    code = (
        "import sys; from reportgen.cli import main; rc = main(['build', 'inputs/summit.yaml', '-q', '--jobs', '2']); "
        "here = [m for m in ('reportlab', 'pptx') if m in sys.modules]; print(here); sys.exit(rc or (9 if here else 0))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    parallel = digests(project / "build")
    assert built(build([str(project / "inputs" / "summit.yaml")], opts(project, jobs=1, force=True))) == ["summit.pdf", "summit.pptx"]
    assert digests(project / "build") == parallel and len(parallel) == 2


@pytest.mark.parametrize("outline", ["summit", "minimal"])
def test_a_small_build_reports_composing_errors_alone_and_writes_nothing(project, monkeypatch, outline):
    """Composed in the workers that render: a template error is the build's one error, though the other output rendered
    (and its writer failed): no temp file, no output, and no build folder left behind."""
    from reportgen.writers import pdf

    def broken(self, doc, theme, path):
        raise RuntimeError("the writer's error is not reported beside composing's")

    monkeypatch.setattr(pdf.PdfWriter, "write", broken)
    template = project / "templates" / "briefing" / "deck.xml.j2"
    template.write_text(template.read_text().replace("{{ meta.date_text }}", "{{ meta.no_such_field }}", 1))
    with pytest.raises(InputError) as info:
        build([str(project / "inputs" / f"{outline}.yaml")], opts(project, jobs=2))
    lines = str(info.value).splitlines()
    assert len(lines) == 1 and re.match(r".*deck\.xml\.j2:\d+:1: undefined name: .*no_such_field", lines[0]), lines
    assert not (project / "build").exists()



def test_ctrl_c_during_a_small_build_leaves_no_file_and_no_folder(project, monkeypatch):
    """Interrupted while a worker renders, after the other worker handed its output back (its temp file written):
    the build stops, and leaves no temp file and no new build folder."""
    import signal
    import time

    from reportgen.writers import pdf

    out = project / "build"
    real = pdf.PdfWriter.write

    def interrupting(self, doc, theme, path):  # (in the PDF's worker)
        for _ in range(500):
            done = [n for n in (os.listdir(out) if out.exists() else []) if n.startswith(".minimal.pptx.") and zipfile.is_zipfile(out / n)]
            if done:
                break
            time.sleep(0.02)
        time.sleep(0.5)  # the deck's worker hashes its file and hands it back
        os.kill(os.getppid(), signal.SIGINT)
        time.sleep(20)
        return real(self, doc, theme, path)

    monkeypatch.setattr(pdf.PdfWriter, "write", interrupting)
    with pytest.raises(KeyboardInterrupt):
        build([str(project / "inputs" / "minimal.yaml")], opts(project, jobs=2))
    assert not out.exists(), os.listdir(out)
