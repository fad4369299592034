"""``reportgen watch`` (``reportgen.build.watching``): a saved change rebuilds what it touches, warm; a bad edit keeps the last good outputs.

Most tests drive a ``Watch`` with scripted batches of changed paths (the
edits made between them), as watchfiles would report them; one runs the real
command, watchfiles and all, in a process of its own.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.build import Options, build
from reportgen.build.watching import Watch
from reportgen.log import Reporter

from conftest import ROOT, SUMMIT, TEMPLATES


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Return a project folder (the current one): inputs/summit.yaml, and the briefing pack as its own templates/."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(SUMMIT, tmp_path / "inputs")
    shutil.copytree(os.path.join(TEMPLATES, "briefing"), tmp_path / "templates" / "briefing")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def options(**kw) -> Options:
    return Options(**{"out_dir": "build", "templates_dir": "templates", "inputs_dir": "inputs", "jobs": 1, **kw})


def outputs() -> dict[str, bytes]:
    return {name: (Path("build") / name).read_bytes() for name in ("summit.pdf", "summit.pptx")}


def edit(path: str, old: str, new: str) -> str:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert old in text, f"{old!r} not in {path}"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))
    return os.path.abspath(path)


def watched_rounds(opts: Options, script) -> tuple[list, list[str]]:
    """Run a watch whose changes are ``script(state)``'s batches; return (its rounds, the lines it printed)."""
    rounds, lines = [], []
    watch = Watch([], opts, Reporter(quiet=True), say=lines.append, on_built=rounds.append)
    try:
        watch.run(script(watch))
    finally:
        watch.close()
    return rounds, lines


def test_a_saved_change_rebuilds_what_it_touches_and_nothing_else(project):
    seen = {}

    def script(watch):
        seen["first"] = outputs()
        yield {edit("inputs/summit.yaml", "title: \"Biden", "title: \"President Biden")}  # the outline
        seen["outline"] = outputs()
        (project / "inputs" / "notes.txt").write_text("not an outline")
        yield {str(project / "inputs" / "notes.txt"), str(project / "build" / "summit.pdf")}  # nothing an output depends on
        yield {str(project / "inputs" / "summit.yaml")}  # saved again, unchanged
        yield {_recolour()}  # the pack's theme

    rounds, lines = watched_rounds(options(), script)
    assert [len(r.outputs) for r in rounds] == [2, 2, 0, 2], lines
    assert all(r.error is None for r in rounds)
    assert seen["outline"]["summit.pdf"] != seen["first"]["summit.pdf"] and seen["outline"]["summit.pptx"] != seen["first"]["summit.pptx"]
    assert outputs()["summit.pdf"] != seen["outline"]["summit.pdf"]  # the new colour
    assert rounds[2].summary().startswith("up to date") and rounds[1].summary().startswith("rebuilt summit.")
    assert "changed: inputs/summit.yaml" in lines


def _recolour() -> str:
    """Change the primary colour of the project's pack; return the theme's path."""
    return edit("templates/briefing/theme.yaml", 'primary: "#1F3A5F"', 'primary: "#7A1F5C"')


def test_a_bad_edit_prints_the_located_error_and_keeps_the_last_good_outputs(project):
    seen = {}

    def script(watch):
        seen["good"] = outputs()
        yield {edit("inputs/summit.yaml", "title:", "title: [unclosed")}
        seen["after_bad"] = outputs()
        yield {edit("inputs/summit.yaml", "title: [unclosed", "title:")}

    rounds, lines = watched_rounds(options(), script)
    assert rounds[1].error is not None and rounds[1].outputs == []
    error = next(line for line in lines if "summit.yaml:" in line)
    assert error.split(":")[1].isdigit() and error.split(":")[2].isdigit(), error  # file:line:col
    assert "Traceback" not in "\n".join(lines)
    assert seen["after_bad"] == seen["good"]  # the last good outputs stay, byte for byte
    assert rounds[1].summary().startswith("not rebuilt") and rounds[2].error is None
    assert outputs() == seen["good"]  # (fixed back: the same bytes again, rebuilt or not)


def test_a_font_file_replaced_while_watching_is_the_one_drawn_with(project):
    """ReportLab keeps every font it registered for the life of the process: the watch's next build must not draw
    with the file that was there before."""
    pikepdf = pytest.importorskip("pikepdf")

    def fonts() -> set[str]:
        with pikepdf.open("build/summit.pdf") as pdf:
            return {str(f.BaseFont).split("+")[-1] for page in pdf.pages for f in page.Resources.get("/Font", {}).values()}

    seen = {}

    def script(watch):
        seen["before"] = fonts()
        body = project / "templates" / "briefing" / "fonts" / "LiberationSerif-Regular.ttf"
        body.write_bytes((project / "templates" / "briefing" / "fonts" / "DejaVuSans.ttf").read_bytes())
        yield {str(body)}

    rounds, lines = watched_rounds(options(formats=("pdf",)), script)
    assert "LiberationSerif" in seen["before"] and "DejaVuSans" not in seen["before"]
    assert len(rounds[1].outputs) == 1, lines
    assert "DejaVuSans" in fonts() and "LiberationSerif" not in fonts()


def test_after_a_failed_round_creating_the_missing_file_rebuilds(project):
    """The fix of an error may be a file no output has read yet (a figure the outline now names): after a failed
    round any change but the build's own files starts a round."""
    from reportgen.build.watching import CATCH_UP

    seen = {}

    def script(watch):
        seen["watch"] = watch
        yield {edit("inputs/summit.yaml", '  - title: "What Happened at the Summit"\n',
                    '  - title: "What Happened at the Summit"\n    figure:\n      path: figs/new.png\n      alt: A new figure\n')}
        os.makedirs("inputs/figs")
        shutil.copy(os.path.join(ROOT, "tests", "fixtures", "features", "tall-banner.png"), "inputs/figs/new.png")
        yield {str(project / "inputs" / "figs" / "new.png")}
        yield CATCH_UP  # (nothing stale: says nothing)

    rounds, lines = watched_rounds(options(), script)
    assert rounds[1].error is not None and "figs/new.png" in str(rounds[1].error), lines
    assert rounds[2].error is None and len(rounds[2].outputs) == 2, lines
    assert seen["watch"].rounds == 4 and len(rounds) == 3 and lines[-1].startswith("rebuilt")  # the catch-up ran and said nothing


def test_a_build_folder_that_is_the_inputs_folder_still_sees_the_outlines(project):
    watch = Watch([], options(out_dir="inputs"), Reporter(quiet=True), say=lambda _line: None)
    watch.rebuild()
    assert watch.matters({str(project / "inputs" / "summit.yaml")}) == (str(project / "inputs" / "summit.yaml"),)
    assert watch.matters({str(project / "inputs" / "summit.pdf"), str(project / "inputs" / "reportgen-manifest.json")}) == ()


def test_a_bug_in_one_round_is_said_and_the_watch_goes_on(project, monkeypatch):
    from reportgen.build import watching

    real = watching.build
    calls = []

    def flaky(*args, **kw):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("planted")
        return real(*args, **kw)

    monkeypatch.setattr(watching, "build", flaky)

    def script(watch):
        yield {edit("inputs/summit.yaml", "title: \"Biden", "title: \"President Biden")}
        yield {edit("inputs/summit.yaml", "title: \"President Biden", "title: \"The Biden")}

    rounds, lines = watched_rounds(options(), script)
    assert "reportgen: internal error: RuntimeError: planted" in str(rounds[1].error)
    assert any("internal error" in line for line in lines) and len(rounds[2].outputs) == 2


def test_a_lost_worker_costs_its_workers_not_the_round(project):
    import multiprocessing

    def script(watch):
        if watch.pool is None:
            pytest.skip("one usable CPU: a watch renders in its own process")
        yield {edit("inputs/summit.yaml", "title: \"Biden", "title: \"President Biden")}  # (the workers start)
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGKILL)
        time.sleep(0.5)
        yield {edit("inputs/summit.yaml", "title: \"President Biden", "title: \"Biden")}
        assert watch.pool is not None  # new workers

    rounds, lines = watched_rounds(options(jobs=2), script)
    assert [len(r.outputs) for r in rounds] == [2, 2, 2], lines
    assert rounds[2].error is None and "a worker process was lost: building in this process, and starting new workers" in lines


def test_a_rounds_error_is_told_in_the_log_format_asked_for(project, monkeypatch, capsys):
    import json

    from reportgen.build import watching
    from reportgen.cli import main

    edit("inputs/summit.yaml", "title:", "title: [unclosed")
    monkeypatch.setattr(watching.Watch, "_changes", lambda self: iter(()))  # (one round, then the changes end)
    assert main(["watch", "--log-format", "json", "--jobs", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    errors = [json.loads(line) for line in out if line.startswith("{") and '"error"' in line]
    assert errors and errors[0]["event"] == "error" and errors[0]["file"].endswith("summit.yaml") and errors[0]["line"] > 0, out


def test_the_watched_files_are_those_the_outputs_depend_on(project):
    watch = Watch([], options(), Reporter(quiet=True), say=lambda _line: None)
    watch.rebuild()
    watched = watch.watched()
    assert str(project / "inputs" / "summit.yaml") in watched
    assert str(project / "templates" / "briefing" / "theme.yaml") in watched
    assert any(p.startswith(str(project / "templates" / "briefing" / "fonts")) for p in watched)
    assert watch.matters({str(project / "build" / "summit.pdf"), str(project / "elsewhere.txt")}) == ()
    assert watch.matters({str(project / "inputs" / "new.md")}) == (str(project / "inputs" / "new.md"),)  # a new outline
    assert watch.roots() >= {str(project)}  # (the project's folder, with all it holds)
    assert watch.matters({str(project / "build" / "reportgen-manifest.json"), str(project / "build" / "notes.txt")}) == ()


def test_renders_in_warm_workers_give_the_bytes_of_a_build(project, tmp_path_factory):
    """After the first round the PDF and the deck render in two forked workers; their bytes are a plain build's."""
    pools = []

    def script(watch):
        pools.append(watch.pool)
        yield {edit("inputs/summit.yaml", "title: \"Biden", "title: \"President Biden")}

    watched_rounds(options(jobs=2), script)
    if pools[0] is None:
        pytest.skip("one usable CPU: a watch renders in its own process")
    got = outputs()
    other = tmp_path_factory.mktemp("plain")
    shutil.copytree(project / "inputs", other / "inputs")
    shutil.copytree(project / "templates", other / "templates")
    os.chdir(other)
    build([], options())
    assert outputs() == got


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="signals")
def test_the_command_rebuilds_on_a_real_save_and_stops_on_ctrl_c(project):
    pytest.importorskip("watchfiles")
    env = {**os.environ, "PYTHONPATH": ROOT}
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "watch", "--jobs", "1"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _read_until(proc, "rebuilt summit.", 60)
        first = (project / "build" / "summit.pdf").read_bytes()
        edit(str(project / "inputs" / "summit.yaml"), "title: \"Biden", "title: \"President Biden")  # (perhaps before watchfiles watches: caught up)
        lines += _read_until(proc, "rebuilt summit.", 30)
        assert (project / "build" / "summit.pdf").read_bytes() != first
        time.sleep(1.5)  # (watching by now)
        edit(str(project / "inputs" / "summit.yaml"), "title: \"President Biden", "title: \"The Biden")
        lines += _read_until(proc, "rebuilt summit.", 30)
        assert any(line.startswith("changed: inputs/summit.yaml") for line in lines), lines
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, rest
    assert "watch stopped" in rest and "Traceback" not in rest


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="signals")
def test_the_command_serves_the_pdf_after_the_first_build_and_sigterm_ends_it_143(project):
    import urllib.request

    pytest.importorskip("watchfiles")
    env = {**os.environ, "PYTHONPATH": ROOT}
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "watch", "-f", "pdf", "--serve", "0"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = _read_until(proc, "serving the PDFs at http://127.0.0.1:", 60)
        assert any(line.startswith("rebuilt summit.pdf") for line in lines)  # (the server starts once the first build is done)
        url = lines[-1].split(" at ")[-1]
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200 and 'src="/files/summit.pdf?v=' in page.read().decode("utf-8")
        with urllib.request.urlopen(url + "files/summit.pdf", timeout=10) as pdf:
            assert pdf.read() == (project / "build" / "summit.pdf").read_bytes()
    finally:
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 143 and "Traceback" not in rest, rest


def _read_until(proc, text: str, seconds: float) -> list[str]:
    """Return the lines ``proc`` prints up to one containing ``text`` (failing after ``seconds``)."""
    import selectors

    lines: list[str] = []
    end = time.monotonic() + seconds
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    while time.monotonic() < end:
        if not sel.select(timeout=max(0.0, end - time.monotonic())):
            break
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if text in line:
            return lines
    raise AssertionError(f"no line with {text!r} in {seconds} s: {lines}")


def test_a_warm_round_renders_the_first_output_while_the_next_is_composed(project, monkeypatch, tmp_path_factory):
    """With a worker per output, the report's tree goes to its worker as soon as it is composed: the PDF is being
    rendered while the deck's tree is composed."""
    from reportgen.build.session import BuildSession
    from reportgen.writers import pdf

    stamps = tmp_path_factory.mktemp("stamps")
    compose, write = BuildSession.compose, pdf.PdfWriter.write

    def slow_deck(self, path, tree):
        composed = compose(self, path, tree)
        if tree == "deck":
            time.sleep(0.4)
            (stamps / "deck composed").write_text(repr(time.time()))
        return composed

    def stamped(self, doc, theme, path):  # (in the worker, forked with this patch)
        (stamps / "pdf started").write_text(repr(time.time()))
        return write(self, doc, theme, path)

    monkeypatch.setattr(BuildSession, "compose", slow_deck)
    monkeypatch.setattr(pdf.PdfWriter, "write", stamped)

    def script(watch):
        if watch.pool is None:
            pytest.skip("one usable CPU: a watch renders in its own process")
        yield {edit("inputs/summit.yaml", "title: \"Biden", "title: \"President Biden")}

    rounds, lines = watched_rounds(options(jobs=2), script)
    assert [len(r.outputs) for r in rounds] == [2, 2], lines
    assert float((stamps / "pdf started").read_text()) < float((stamps / "deck composed").read_text())


def test_a_template_error_in_a_warm_round_keeps_the_outputs_and_the_workers(project):
    seen = {}
    template = "templates/briefing/deck.xml.j2"

    def script(watch):
        if watch.pool is None:
            pytest.skip("one usable CPU: a watch renders in its own process")
        seen["good"], seen["pool"] = outputs(), watch.pool
        edit("inputs/summit.yaml", "title: \"Biden", "title: \"President Biden")
        yield {os.path.abspath("inputs/summit.yaml"), edit(template, "{{ meta.date_text }}", "{{ meta.no_such_field }}")}
        seen["after_bad"] = outputs()
        yield {edit(template, "{{ meta.no_such_field }}", "{{ meta.date_text }}")}
        seen["pool after"] = watch.pool

    rounds, lines = watched_rounds(options(jobs=2), script)
    errors = str(rounds[1].error).splitlines()
    assert len(errors) == 1 and "deck.xml.j2" in errors[0] and "no_such_field" in errors[0], lines
    assert seen["after_bad"] == seen["good"] and not [n for n in os.listdir("build") if n.endswith(".rgtmp")]
    assert len(rounds[2].outputs) == 2 and seen["pool after"] is seen["pool"]  # the same workers, never lost


def test_a_warm_round_renders_nothing_once_a_tree_fails_to_compose(project, monkeypatch, tmp_path_factory):
    """The report's tree fails to compose: the deck's is composed for its own errors, but not rendered."""
    from reportgen.writers import pptx

    stamps = tmp_path_factory.mktemp("stamps")
    write = pptx.PptxWriter.write

    def stamped(self, *args, **kw):  # (in the worker, forked with this patch)
        (stamps / f"deck {time.time()}").touch()
        return write(self, *args, **kw)

    monkeypatch.setattr(pptx.PptxWriter, "write", stamped)
    seen = {}

    def script(watch):
        if watch.pool is None:
            pytest.skip("one usable CPU: a watch renders in its own process")
        seen["first"] = len(os.listdir(stamps))
        edit("inputs/summit.yaml", "title: \"Biden", "title: \"President Biden")
        yield {os.path.abspath("inputs/summit.yaml"), edit("templates/briefing/report.xml.j2", "{{ p.body|blocks }}", "{{ p.no_such_field|blocks }}")}

    rounds, lines = watched_rounds(options(jobs=2), script)
    assert rounds[1].error is not None and "no_such_field" in str(rounds[1].error), lines
    assert seen["first"] == 1 and len(os.listdir(stamps)) == 1  # the first build's deck, and no other
