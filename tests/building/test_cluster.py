"""Builds on a Dask cluster (``reportgen.build.cluster``): the same bytes and the same guarantees as a local build.

Skipped without the ``dask`` extra. One ``LocalCluster`` of two worker
processes serves the module (its scheduler lets a chunk's worker die once and
runs the chunk again, and fails it the second time); the first test starts
its own, as ``--dask local:2`` does.
"""

from __future__ import annotations

import os
import re
import shutil
import time

import pytest

pytest.importorskip("distributed")

from distributed import Client, LocalCluster, WorkerPlugin  # noqa: E402

from reportgen.build import Options, build  # noqa: E402
from reportgen.build.cluster import chunk_size, dask_target  # noqa: E402
from reportgen.cli import main  # noqa: E402
from reportgen.log import Event, Reporter  # noqa: E402

from conftest import FIXTURES, SUMMIT, TEMPLATES  # noqa: E402

EPOCH = "1700000000"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Return a project folder: three outlines (YAML with figures, Markdown with a bibliography and a figure) and its own template packs."""
    root = tmp_path_factory.mktemp("cluster-project")
    inputs = root / "inputs"
    inputs.mkdir()
    shutil.copy(SUMMIT, inputs)
    for name in ("features.yaml", "venue.jpg", "tall-banner.png"):
        shutil.copy(os.path.join(FIXTURES, "features", name), inputs)
    for name in ("water.md", "water.bib", "transfer.png"):
        shutil.copy(os.path.join(FIXTURES, "markdown", name), inputs)
    shutil.copytree(TEMPLATES, root / "templates")  # the project's own packs: their files must travel to the workers
    return root


@pytest.fixture(scope="module")
def reference(project, tmp_path_factory):
    """Return {file name: bytes} of the build folder a ``--jobs 1`` build of ``project`` makes (manifest included)."""
    here = tmp_path_factory.mktemp("reference")
    shutil.copytree(project, here / "p")
    assert _cli(here / "p", "--jobs", "1") == 0
    return _files(here / "p" / "build")


@pytest.fixture(scope="module")
def cluster():
    """Return (client, cluster): two worker processes, one thread each; a chunk whose worker dies twice fails.

    The workers' own environment sets another SOURCE_DATE_EPOCH than the
    build's: the build's must decide the documents' dates.
    """
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, scheduler_kwargs={"allowed_failures": 1}, env={"SOURCE_DATE_EPOCH": "86400"}) as lc:
        with Client(lc, set_as_default=False) as client:
            yield client, lc


@pytest.fixture(scope="module", autouse=True)
def _epoch():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)  # workers must date the documents as this machine does
        yield


def _cli(folder, *args) -> int:
    """Run ``reportgen build -q`` in ``folder`` (into its build/, with its own packs); return the exit code."""
    old = os.getcwd()
    os.chdir(folder)
    try:
        return main(["build", "inputs", "--templates", "templates", "--out", "build", "-q", *args])
    finally:
        os.chdir(old)


def _files(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def _copy(project, tmp_path, forks: bool = False):
    """Return a copy of ``project``; unless ``forks``, its reportgen.toml sets ``jobs = 1``: the build composes in this
    process, never forking the test process while the module's cluster runs threads in it."""
    p = shutil.copytree(project, tmp_path / "p")
    if not forks:
        (p / "reportgen.toml").write_text("jobs = 1\n")
    return p


def test_a_local_dask_build_writes_the_bytes_and_manifest_of_a_jobs_1_build(project, reference, tmp_path):
    p = _copy(project, tmp_path, forks=True)  # composed first in two forked processes here, then rendered by two workers
    assert _cli(p, "--dask", "local:2") == 0
    got = _files(p / "build")
    assert sorted(got) == sorted(reference) and len(got) == 7  # 3 outlines x 2 formats, and the manifest
    for name in reference:
        assert got[name] == reference[name], name


class _Sent:
    """A scheduler plugin noting every task key the scheduler is given."""

    def __init__(self):
        self.keys: list[str] = []

    def transition(self, key, start, finish, *args, **kwargs):
        self.keys.append(str(key))


@pytest.mark.parametrize("breakage", ["outline", "template"])
def test_bad_input_exits_2_with_located_lines_before_anything_is_sent(project, cluster, tmp_path, capsys, breakage):
    client, lc = cluster
    p = _copy(project, tmp_path)
    if breakage == "outline":
        (p / "inputs" / "summit.yaml").write_text("title: [unclosed\n")
        where = r"inputs/summit\.yaml:2:1: YAML syntax error"
    else:  # found only by composing: the build's machine composes every document before it sends one
        report = p / "templates" / "briefing" / "report.xml.j2"
        report.write_text(report.read_text() + "{{ no_such_name.field }}\n")
        where = r"templates/briefing/report\.xml\.j2:\d+:\d+: .*no_such_name"
    sent = _Sent()
    lc.scheduler.add_plugin(sent, name="reportgen-sent")
    try:
        assert _cli(p, "--dask", lc.scheduler_address) == 2
    finally:
        lc.scheduler.remove_plugin(name="reportgen-sent")
    err = capsys.readouterr().err
    assert re.search(where, err), err
    assert "Traceback" not in err
    assert not (p / "build").exists()  # nothing written
    assert not [k for k in sent.keys if k.startswith("reportgen")]  # nothing sent


# --- what the workers do, seen from inside them ------------------------------------

_AUDIT: dict = {"forbidden": None, "seen": []}  # in each worker process: the folder no file may be opened in, and what was


def _audit_hook(event: str, args: tuple) -> None:
    forbidden = _AUDIT["forbidden"]
    if forbidden and event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path == forbidden or path.startswith(forbidden + os.sep):
            _AUDIT["seen"].append(f"{event} {path}")


class _Audit(WorkerPlugin):
    """Notes every file or folder a worker opens or lists under ``forbidden`` (an audit hook: it sees every ``open``)."""

    name = "reportgen-audit"

    def __init__(self, forbidden: str):
        self.forbidden = forbidden

    def setup(self, worker):
        import sys

        if not _AUDIT.get("hooked"):
            sys.addaudithook(_audit_hook)  # (for the worker's life: emptied by ``teardown``)
            _AUDIT["hooked"] = True
        _AUDIT.update(forbidden=self.forbidden, seen=[])

    def teardown(self, worker):
        _AUDIT["forbidden"] = None


def _audit_seen() -> list[str]:
    return list(_AUDIT["seen"])


def _read(path: str) -> int:
    with open(path, "rb") as fh:
        return len(fh.read())


def test_workers_read_nothing_of_this_machines_folders_and_hand_outputs_over_a_shared_folder(project, reference, cluster, tmp_path):
    client, lc = cluster
    p = _copy(project, tmp_path)
    shared = tmp_path / "shared"
    client.register_plugin(_Audit(str(p)))
    try:
        client.run(_read, str(p / "inputs" / "summit.yaml"))  # the audit sees a worker read the project
        assert all(seen for seen in client.run(_audit_seen).values())
        client.register_plugin(_Audit(str(p)))  # (afresh)
        assert _cli(p, "--dask", lc.scheduler_address, "--dask-output", str(shared)) == 0
        seen = client.run(_audit_seen)
    finally:
        client.unregister_worker_plugin(_Audit.name)
    assert seen and not any(seen.values()), seen
    assert _files(p / "build") == reference
    assert not os.listdir(shared)  # the build's hand-over folder is removed once read


class _Killer(WorkerPlugin):
    """Kills its worker process mid-chunk, just after the chunk's first output was announced: the first time only (``once``), or every time."""

    name = "reportgen-killer"

    def __init__(self, marker: str, once: bool):
        self.marker, self.once = marker, once

    def setup(self, worker):
        from reportgen.build import chunks

        self.announce = announce = chunks._announce

        def announce_and_die(topic: str, key: str) -> None:
            announce(topic, key)
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_WRONLY | (os.O_EXCL if self.once else os.O_APPEND))
            except FileExistsError:
                return
            os.write(fd, b"killed\n")
            os.close(fd)
            time.sleep(0.5)  # the announcement reaches the build first
            os._exit(1)

        chunks._announce = announce_and_die

    def teardown(self, worker):
        from reportgen.build import chunks

        chunks._announce = self.announce


class _Recorder(Reporter):
    def __init__(self):
        super().__init__(quiet=True)
        self.events: list[tuple[str, str]] = []

    def event(self, e: Event) -> None:
        self.events.append((e.kind, os.path.basename(e.output)))


def _with_killer(client, marker, once: bool, run):
    client.register_plugin(_Killer(str(marker), once))
    try:
        return run()
    finally:
        client.unregister_worker_plugin(_Killer.name)
        client.wait_for_workers(2, timeout=60)


def test_a_worker_killed_mid_build_is_replaced_and_the_build_finishes_with_the_same_bytes(project, reference, cluster, tmp_path):
    client, lc = cluster
    p = _copy(project, tmp_path)
    marker = tmp_path / "killed"
    opts = Options(out_dir="build", templates_dir="templates", inputs_dir="inputs", dask=lc.scheduler_address)  # as the reference's command line
    rec = _Recorder()
    old = os.getcwd()
    os.chdir(p)
    try:
        _with_killer(client, marker, True, lambda: build([], opts, rec))
    finally:
        os.chdir(old)
    assert marker.read_text() == "killed\n"  # one worker died mid-chunk
    assert _files(p / "build") == reference
    rendered = [o for kind, o in rec.events if kind == "rendered"]
    built = [o for kind, o in rec.events if kind == "built"]
    assert sorted(rendered) == sorted(built) == sorted(n for n in reference if n.endswith((".pdf", ".pptx")))  # each output announced once
    assert max(i for i, e in enumerate(rec.events) if e[0] == "rendered") < min(i for i, e in enumerate(rec.events) if e[0] == "built")


def test_a_build_the_cluster_cannot_finish_leaves_the_previous_outputs_and_manifest(project, reference, cluster, tmp_path, capsys):
    client, lc = cluster
    p = _copy(project, tmp_path)
    (p / "build").mkdir()
    for name, data in reference.items():
        (p / "build" / name).write_bytes(data)
    summit = p / "inputs" / "summit.yaml"
    summit.write_text(summit.read_text().replace("title:", "title: Changed —", 1))  # stale now
    marker = tmp_path / "killed"
    code = _with_killer(client, marker, False, lambda: _cli(p, "--dask", lc.scheduler_address))
    err = capsys.readouterr().err
    assert code == 2 and "workers died running the chunk" in err and "previous outputs are untouched" in err, err
    assert marker.read_text().count("killed") >= 2  # died, ran again, died again: given up
    assert _files(p / "build") == reference  # every output and the manifest as they were; no temp file left


def test_ctrl_c_cancels_the_builds_tasks_and_writes_nothing(project, cluster, tmp_path):
    client, lc = cluster
    p = _copy(project, tmp_path)

    class Interrupting(Reporter):
        def event(self, e: Event) -> None:
            if e.kind == "rendered":
                raise KeyboardInterrupt

    opts = Options(out_dir=str(p / "build"), templates_dir=str(p / "templates"), inputs_dir=str(p / "inputs"), root=str(p), dask=lc.scheduler_address)
    with pytest.raises(KeyboardInterrupt):
        build([], opts, Interrupting(quiet=True))
    deadline = time.monotonic() + 20
    while [k for k in lc.scheduler.tasks if str(k).startswith("reportgen")] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [k for k in lc.scheduler.tasks if str(k).startswith("reportgen")]  # cancelled, files forgotten
    assert not (p / "build").exists()


def test_addresses_and_chunk_sizes():
    assert dask_target("local") == ("local", 0) and dask_target("local:3") == ("local", 3)
    assert dask_target("tcp://10.0.0.5:8786") == ("scheduler", "tcp://10.0.0.5:8786") and dask_target("sched:8786")[0] == "scheduler"
    for bad in ("local:0", "local:x", "tcp://", "", "a b:1"):
        with pytest.raises(ValueError):
            dask_target(bad)
    assert [chunk_size(n, 2) for n in (1, 3, 8, 9, 1000, 100_000)] == [1, 1, 1, 2, 125, 200]
