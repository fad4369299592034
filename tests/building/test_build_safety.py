"""reportgen never touches a file outside its build folder, and a killed build leaves nothing behind (issue 11).

Promises checked here, each through real builds:
- nothing a build does (write, rename, prune, sweep, lock) can delete,
  create or overwrite a file outside the build folder, whatever links and
  manifest keys are planted in it;
- ``--prune`` removes only regular files directly in the build folder that
  are still the bytes reportgen wrote;
- a build refused at render time leaves no new folder and no manifest;
- two builds into one folder keep both builds' manifest entries;
- temp files a killed build left are swept by the next one (only reportgen's);
- SIGTERM stops a build as Ctrl-C does; workers die with their parent;
- a bad ``SOURCE_DATE_EPOCH`` is one clear line, exit 2.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from reportgen.build import Options, build
from reportgen.cli import main
from reportgen.errors import InputError
from reportgen.manifest import NAME

from conftest import FIXTURES, SUMMIT, TEMPLATES


def tree(folder) -> dict[str, str]:
    """Relative path → sha256 (or "link:target", or "dir") of everything under ``folder``."""
    out = {}
    for dirpath, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                out[rel] = "link:" + os.readlink(path)
            elif os.path.isdir(path):
                out[rel] = "dir"
            else:
                with open(path, "rb") as fh:
                    out[rel] = hashlib.sha256(fh.read()).hexdigest()
    return out


def sha(path) -> str:
    with open(path, "rb") as fh:
        return "sha256:" + hashlib.sha256(fh.read()).hexdigest()


@pytest.fixture
def project(tmp_path):
    """A project with one small outline, a copy of the templates, and an ``outside`` folder of victims."""
    proj = tmp_path / "proj"
    (proj / "inputs").mkdir(parents=True)
    shutil.copy(os.path.join(FIXTURES, "minimal.yaml"), proj / "inputs" / "minimal.yaml")
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("victim.pdf", "victim.pptx", "notes.txt", "manifest-victim.json", "lock-victim", "tmp-victim"):
        (outside / name).write_text(f"precious {name}\n")
    return proj


def opts(proj, **kw) -> Options:
    return Options(out_dir=str(proj / "build"), templates_dir=TEMPLATES, inputs_dir=str(proj / "inputs"), root=str(proj), jobs=1, **kw)


def test_planted_links_and_manifest_keys_touch_nothing_outside(project):
    outside = project.parent / "outside"
    build([], opts(project))  # a good build first: its outputs and manifest exist
    b = project / "build"
    victim = outside / "victim.pdf"
    # Hostile manifest keys, each with an entry that would pass the old checks (the victim's real hash).
    data = json.loads((b / NAME).read_text())
    good = data["outputs"]["minimal.pdf"]
    gone = {**good, "input": "inputs/gone.yaml", "output_hash": sha(victim)}
    data["outputs"].update({
        "../outside/victim.pdf": gone,
        str(victim): gone,
        "sub/../../outside/victim.pptx": {**gone, "format": "pptx"},
        "linked.pdf": gone,  # a link in build/ to a file outside: not a regular file of the folder
    })
    os.symlink(victim, b / "linked.pdf")
    (outside / "manifest-victim.json").write_text(json.dumps(data))
    os.unlink(b / NAME)
    os.symlink(outside / "manifest-victim.json", b / NAME)  # the manifest itself a link out
    os.symlink(outside / "tmp-victim", b / (NAME + ".tmp"))  # the old fixed temp name
    os.symlink(outside / "tmp-victim", b / ".minimal.pdf.4242.abcdefgh.rgtmp")  # a temp name: a link, not swept
    os.symlink(outside / "lock-victim", b / ".reportgen.lock")  # the lock
    before = tree(outside)

    for prune in (False, True):
        build([], opts(project, prune=prune, force=True))
    assert tree(outside) == before
    assert tree(project.parent / "outside") == before
    assert sorted(os.listdir(project.parent)) == ["outside", "proj"]  # nothing created beside the project
    assert not os.path.islink(b / NAME)  # the manifest link was replaced, not written through
    manifest = json.loads((b / NAME).read_text())
    assert sorted(manifest["outputs"]) == ["minimal.pdf", "minimal.pptx"]
    assert os.path.islink(b / "linked.pdf") and os.path.islink(b / ".minimal.pdf.4242.abcdefgh.rgtmp")


def test_prune_removes_only_what_reportgen_wrote(project, capsys):
    (project / "inputs" / "other.yaml").write_text((project / "inputs" / "minimal.yaml").read_text())
    build([], opts(project))
    b = project / "build"
    (b / "other.pptx").write_bytes(b"edited by hand since")  # changed: kept
    os.unlink(project / "inputs" / "other.yaml")
    from reportgen.log import Reporter

    build([], opts(project, prune=True), Reporter())
    out, err = capsys.readouterr()
    assert not (b / "other.pdf").exists()
    assert (b / "other.pptx").read_bytes() == b"edited by hand since"
    assert "removed" in out and "other.pdf" in out
    assert "other.pptx: warning: not removed: changed since reportgen wrote it" in err
    assert sorted(json.loads((b / NAME).read_text())["outputs"]) == ["minimal.pdf", "minimal.pptx"]


def test_a_build_refused_at_render_time_leaves_no_new_folder(project, monkeypatch):
    from reportgen.writers import pdf

    def refuse(self, doc, theme, path):
        raise InputError("pdf: refused while rendering")

    monkeypatch.setattr(pdf.PdfWriter, "write", refuse)
    with pytest.raises(InputError):
        build([], opts(project))
    assert not (project / "build").exists()
    (project / "build").mkdir()  # an existing folder stays, and gets no manifest
    with pytest.raises(InputError):
        build([], opts(project))
    assert os.listdir(project / "build") == []


def test_two_builds_into_one_folder_keep_both_manifest_entries(project, monkeypatch):
    """Build B plans first; build A runs to the end while B composes; B then commits: A's entries stay."""
    from reportgen.build import BuildSession

    (project / "inputs" / "other.yaml").write_text((project / "inputs" / "minimal.yaml").read_text())
    real = BuildSession.compose_all
    ran = []

    def compose_and_let_another_build_run(session, targets, pool=None, keep=True):
        if not ran:
            ran.append(1)
            build([str(project / "inputs" / "other.yaml")], opts(project))
        return real(session, targets, pool, keep)

    monkeypatch.setattr(BuildSession, "compose_all", compose_and_let_another_build_run)
    build([str(project / "inputs" / "minimal.yaml")], opts(project))
    outputs = json.loads((project / "build" / NAME).read_text())["outputs"]
    assert sorted(outputs) == ["minimal.pdf", "minimal.pptx", "other.pdf", "other.pptx"]


def test_the_next_build_sweeps_only_reportgen_temp_files(project):
    build([], opts(project))
    b = project / "build"
    left = [".minimal.pdf.31337.a1b2c3d4.rgtmp", ".minimal.pptx.abcd_123.tmp", "reportgen-manifest.json.tmp"]
    keep = ["notes.tmp", ".minimal.pdf.rgtmp", "minimal.pdf.31337.a1b2c3d4.rgtmp", ".x.pdf.1.short.rgtmp"]
    for name in left + keep:
        (b / name).write_bytes(b"partial")
    os.mkdir(b / ".y.pdf.7.abcdefgh.rgtmp")  # a folder of that name: not reportgen's file
    build([], opts(project, force=True))
    names = set(os.listdir(b))
    assert not names & set(left)
    assert set(keep) <= names and ".y.pdf.7.abcdefgh.rgtmp" in names


@pytest.mark.parametrize("value", ["abc", "-5", "1e9", "1.5", "99999999999999999999", "253402300800", "١٢٣"])
def test_a_bad_source_date_epoch_is_one_line_exit_2(project, capsys, monkeypatch, value):
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    for command in (["build", "--jobs", "1"], ["check"], ["validate"]):
        code = main([*command, "--templates", TEMPLATES])
        out, err = capsys.readouterr()
        assert code == 2, (command, err)
        assert err.strip().splitlines() == [f"SOURCE_DATE_EPOCH: expected a whole number of seconds since 1970-01-01 (0 to 253402300799), got {value!r}"]
    assert not (project / "build").exists()


def test_source_date_epoch_limits_are_accepted(project, monkeypatch):
    for value in ("0", " 253402300799 ", ""):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        build([], opts(project, force=True))


# --- processes ---------------------------------------------------------------------


def many_outlines(project, n: int) -> None:
    for i in range(n):
        shutil.copy(SUMMIT, project / "inputs" / f"summit{i}.yaml")


def start_build(project, *args) -> subprocess.Popen:
    code = "import sys; from reportgen.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen(
        [sys.executable, "-c", code, "build", "--templates", TEMPLATES, "--force", *args],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CI": "true"},
    )


def children(pid: int) -> list[int]:
    out = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def wait_for(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def rendering(project) -> bool:
    b = project / "build"
    return b.is_dir() and any(n.endswith(".rgtmp") for n in os.listdir(b))


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux /proc")


@needs_proc
def test_workers_die_with_a_killed_parent_and_the_next_build_cleans_up(project):
    many_outlines(project, 6)
    proc = start_build(project, "--jobs", "2")
    try:
        assert wait_for(lambda: len(children(proc.pid)) >= 2 and rendering(project), 60), "no workers rendering"
        workers = children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        assert wait_for(lambda: not any(alive(w) for w in workers), 10), "workers outlived their parent"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    build([], opts(project))  # takes over the dead build's lock, sweeps what it left
    names = os.listdir(project / "build")
    assert not [n for n in names if n.endswith((".rgtmp", ".tmp", ".lock"))], names


@needs_proc
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_stops_a_build_like_ctrl_c(project, jobs):
    build([], opts(project))
    before = tree(project / "build")
    many_outlines(project, 4)
    proc = start_build(project, "--jobs", jobs)
    try:
        assert wait_for(lambda: rendering(project), 60), "never started rendering"
        workers = children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, err
    assert "Traceback" not in out + err
    assert err.strip().splitlines()[-1] == "reportgen: terminated; the previous outputs are untouched"
    assert tree(project / "build") == before  # no temp file, no lock, the previous outputs untouched
    assert wait_for(lambda: not any(alive(w) for w in workers), 5)


def test_an_outline_whose_name_cannot_name_an_output_is_refused(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    shutil.copy(project / "inputs" / "minimal.yaml", project / ".hidden.yaml")
    code = main(["build", ".hidden.yaml", "--templates", TEMPLATES, "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == ".hidden.yaml: this file name cannot name an output (it starts with '.', holds a control character or bytes that are not UTF-8, or is over 250 characters); rename the outline"
    assert not (project / "build").exists()


@pytest.mark.parametrize("content", ["\u00b2\n", "99999999999999999999\n", "99999999999999999999 somehost\n", "\u0661\n", "", "-5\n"])
def test_whatever_is_planted_as_the_lock_is_taken_over(project, content):
    build([], opts(project))
    (project / "build" / ".reportgen.lock").write_text(content)
    build([], opts(project, force=True))
    assert not (project / "build" / ".reportgen.lock").exists()


def test_an_output_that_is_a_folder_stops_the_build_before_anything_changes(project, capsys, monkeypatch):
    build([], opts(project))
    b = project / "build"
    os.unlink(b / "minimal.pptx")
    os.makedirs(b / "minimal.pptx" / "sub")
    (project / "inputs" / "minimal.yaml").write_text((project / "inputs" / "minimal.yaml").read_text() + "keywords: [changed]\n")
    before = tree(b)
    monkeypatch.chdir(project)
    code = main(["build", "--templates", TEMPLATES, "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "build/minimal.pptx: is a folder; reportgen writes only regular files in its build folder: remove it and build again" in err
    assert tree(b) == before  # the report was not replaced either: all or nothing


def test_prune_removes_nothing_when_the_build_fails(project, capsys, monkeypatch):
    (project / "inputs" / "old.yaml").write_text((project / "inputs" / "minimal.yaml").read_text())
    build([], opts(project))
    os.unlink(project / "inputs" / "old.yaml")
    before = tree(project / "build")
    from reportgen.writers import pdf

    monkeypatch.setattr(pdf.PdfWriter, "write", lambda self, doc, theme, path: (_ for _ in ()).throw(InputError("pdf: refused")))
    with pytest.raises(InputError):
        build([], opts(project, prune=True, force=True))
    assert tree(project / "build") == before


def test_an_outline_moved_to_another_folder_is_rebuilt_not_pruned(project, capsys, monkeypatch):
    build([], opts(project))
    (project / "other").mkdir()
    os.rename(project / "inputs" / "minimal.yaml", project / "other" / "minimal.yaml")
    outputs = build([str(project / "other" / "minimal.yaml")], opts(project, prune=True))
    assert sorted(o.reasons[0] for o in outputs) == ["outline moved (was inputs/minimal.yaml)"] * 2
    assert (project / "build" / "minimal.pdf").exists() and (project / "build" / "minimal.pptx").exists()
    manifest = json.loads((project / "build" / NAME).read_text())["outputs"]
    assert {e["input"] for e in manifest.values()} == {"other/minimal.yaml"}
    from reportgen.build import check

    assert check([str(project / "other" / "minimal.yaml")], opts(project))  # up to date: returns its lines, raises nothing


def test_an_outline_file_name_that_is_not_utf8_is_refused_before_writing(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    bad = os.fsencode(str(project / "inputs")) + b"/caf\xe9.yaml"
    os.rename(project / "inputs" / "minimal.yaml", bad)
    code = main(["build", "--templates", TEMPLATES, "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert "caf\\udce9.yaml: this file name cannot name an output" in err
    assert not (project / "build").exists()
