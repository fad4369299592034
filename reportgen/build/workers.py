"""Rendering: one output per ``RenderTask``, in this process or in a pool of worker processes.

A task names everything a writer needs; its result (``Rendered``) names the
temp file the output was written to: the build renames every one into place
only once all outputs rendered. Both are plain frozen records, pickled to
and from the workers. The workers leave nothing behind whatever happens:
Ctrl-C and SIGTERM stop them at once (their temp files removed), and so does
the death of their parent, even by ``kill -9``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..manifest import file_hash
from .outdir import STAGED, discard, stage

if TYPE_CHECKING:
    from ..errors import Problem
    from ..theme import Theme
    from .session import BuildSession


@dataclass(frozen=True)
class RenderTask:
    """What it takes to render one output: its format, composed tree, theme and final path."""

    format: str  # "pdf" or "pptx"
    tree: Any  # the composed document tree ("report" or "deck")
    theme: Theme
    final: str  # where the output goes once every output rendered
    strict: bool = False  # a writer warning is an error
    master: str = ""  # a slide master .pptx to use instead of the pack's (decks only)
    pdf_standard: str = "ua-1"  # what a PDF claims (``writers.PDF_STANDARDS``; PDFs only)


class ComposeFailed(Exception):
    """Why an output's tree did not compose, told apart from its writer's errors: raised by a forked worker that was to
    compose and render it (``compose_and_render``), or kept by a build composing here for a pool that only renders.

    Its one argument is the outline's ``InputError`` (composing here: whatever
    composing raised): the build reports every such error together, as it
    reports composing's, and no writer's error beside them (``run._composed_and_rendered``).
    """

    def __init__(self, error: Exception):
        super().__init__(error)
        self.error = error


RENDERED_ELSEWHERE = "rendered elsewhere"  # what a cluster's rendering yields for an output a worker has rendered, before its bytes come back


@dataclass(frozen=True)
class Rendered:
    """One output rendered to a temp file beside its final path, not yet in place."""

    warnings: tuple[Problem, ...]  # what the writer reported (placed in the outline by ``run``)
    seconds: float  # how long rendering took
    output_hash: str  # the content hash of the temp file (``sha256:...``), recorded in the manifest
    tmp: str  # the temp file, renamed onto the final path by ``outdir.commit``


def render_tasks(targets: list, trees: dict[tuple[str, str], Any], session: BuildSession) -> list[RenderTask]:
    """Return the ``RenderTask`` of each target (anything with ``input``, ``format`` and ``output``), from its composed tree."""
    from .session import TREE_OF

    opts = session.opts
    return [RenderTask(t.format, trees[(t.input, TREE_OF[t.format])], session.load(t.input).theme, t.output, opts.strict, opts.master, opts.pdf_standard) for t in targets]


def render_one(task: RenderTask) -> Rendered:
    """Return the ``Rendered`` temp file of ``task``'s output (run in a worker process, or inline)."""
    from ..writers import get_writer

    start = time.perf_counter()
    writer = get_writer(task.format)
    if task.master and hasattr(writer, "master"):
        writer.master = task.master
    if hasattr(writer, "standard"):
        writer.standard = task.pdf_standard
    tmp, warnings = stage(task.final, lambda tmp: writer.write(task.tree, task.theme, tmp), task.strict)
    return Rendered(tuple(warnings), time.perf_counter() - start, file_hash(tmp), tmp)


def render_all(tasks: list[RenderTask], pool) -> Iterator[tuple[int, Rendered | Exception]]:
    """Yield (index of the task, its ``Rendered`` or the exception it raised) for each task, in completion order."""
    if pool is None or len(tasks) <= 1:
        for i, task in enumerate(tasks):
            try:
                yield i, render_one(task)
            except Exception as exc:  # reported after the others are done
                yield i, exc
        return
    from concurrent.futures import as_completed

    futures = {pool.submit(render_one, task): i for i, task in enumerate(tasks)}
    try:
        for fut in as_completed(futures):
            exc = fut.exception()
            yield futures[fut], exc if exc else fut.result()
    except BaseException:
        stop_workers(pool)  # Ctrl-C, SIGTERM: do not wait for the running renders
        raise


WRITER_MODULES = {
    "pdf": ("reportgen.writers.pdf", "reportgen.writers.pdf.ua"),  # (ua: the tagged file's writing)
    "pptx": ("reportgen.compat.pptx", "reportgen.writers.pptx.emit", "reportgen.writers.pptx.master", "reportgen.writers.pptx.package", "reportgen.writers.pptx.plan"),
}


CPU_MAX = "/sys/fs/cgroup/cpu.max"


def usable_cpus() -> int:
    """Return how many CPUs this process may really use: its affinity mask and its cgroup's CPU quota, not the machine's count."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    try:
        with open(CPU_MAX, encoding="ascii") as fh:  # cgroup v2: "max 100000" or "200000 100000"
            quota, period = fh.read(64).split()[:2]
        if quota != "max":
            count = min(count, max(1, int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return max(1, count)


def workers_for(jobs: int, tasks: int) -> int:
    """Return the processes to render ``tasks`` outputs with: ``jobs`` if given, else (0) one per usable CPU, never more than the outputs."""
    return max(1, min(jobs if jobs > 0 else usable_cpus(), tasks))


def open_pool(jobs: int, tasks: int, session: BuildSession, formats: tuple[str, ...] = ("pdf", "pptx"), each: bool = False):
    """Return a process pool for ``tasks`` outputs at ``jobs`` processes (0: decided by ``workers_for``), or None to work in this one.

    Forked workers start with a copy of the parent's ``session`` (nothing is
    pickled to give them), so they compose as well as render; where fork is
    not available they only render. The pool's ``rg_forked`` says which.
    Before forking, the writers of ``formats`` are imported here, once: each
    worker importing ReportLab and python-pptx again would cost more than a
    small build gains from a second process.

    With ``each`` (the outputs rendered here, not on a cluster), a forked
    pool with a worker for every output is a small build's: each worker
    composes and renders one output (``compose_and_render``, the pool's
    ``rg_each``), so it imports only its own writer, at the same time as
    the other worker imports the other's, and no tree crosses between
    processes.
    """
    workers = workers_for(jobs, tasks)
    if workers <= 1:
        return None
    import importlib
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    forked = hasattr(os, "fork")
    each = each and forked and tasks <= workers
    if forked:
        from .. import compose  # noqa: F401  imported once, before the workers fork, not in each

        for fmt in () if each else formats:
            for name in WRITER_MODULES.get(fmt, ()):
                importlib.import_module(name)
    ctx = multiprocessing.get_context("fork" if forked else "spawn")
    start = {"initializer": _worker_start, "initargs": (session, os.getpid())} if forked else {"initializer": _guard_worker, "initargs": (os.getpid(),)}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, **start)
    pool.rg_forked = forked
    pool.rg_each = each
    pool.rg_workers = workers
    return pool


def render_pool(workers: int, formats: tuple[str, ...] = ("pdf", "pptx")):
    """Return a pool of ``workers`` processes that only render (None for one: render here), kept for many builds.

    Forked workers would hold a copy of one build's session, stale by the
    next build: these compose nothing (``rg_forked`` is False), they get
    each composed tree with its task. They start with what this process
    holds: the writers of ``formats`` imported, and whatever a build here
    warmed (fonts parsed and registered, templates compiled).
    """
    if workers <= 1:
        return None
    from .options import Options
    from .session import BuildSession

    pool = open_pool(workers, workers, BuildSession(Options()), formats)
    pool.rg_forked = False
    for done in [pool.submit(time.sleep, 0.05) for _ in range(workers)]:  # each worker forked now, from this warm
        done.result()  # process, before it starts threads of its own (a watcher, a server): not at the first render
    return pool


def stop_workers(pool) -> None:
    """Stop ``pool``'s worker processes now, not after the tasks they are running; their temp files go with them."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
    else:  # the executor's process table (a private attribute, present in Python 3.8-3.13)
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                proc.terminate()
            except (OSError, ValueError, AttributeError):
                pass
    pool.shutdown(wait=True, cancel_futures=True)


# --- in a worker process ---------------------------------------------------------

# The one piece of per-process state: set only by the pool's initializer
# (``_worker_start``) in a forked worker, to the copy of the build's session
# the worker was forked with; None in the build's own process.
_session: BuildSession | None = None


def compose_in_worker(path: str, tree: str, keep: bool = True) -> Any:
    """Return the ``tree`` composed from the outline at ``path`` by this worker's copy of the session (None without ``keep``: only checked)."""
    assert _session is not None, "compose_in_worker runs only in a forked worker (see open_pool)"
    composed = _session.compose(path, tree)
    return composed if keep else None


def compose_and_render(path: str, task: RenderTask) -> Rendered:
    """Return the ``Rendered`` temp file of ``task``'s output, its tree composed here from the outline at ``path``.

    Raise ``ComposeFailed`` with the outline's ``InputError`` if it does not
    compose. ``task`` comes without its tree and theme: this worker's copy
    of the session has both.
    """
    from ..errors import InputError
    from .session import TREE_OF

    assert _session is not None, "compose_and_render runs only in a forked worker (see open_pool)"
    try:
        tree = _session.compose(path, TREE_OF[task.format])
    except InputError as exc:
        raise ComposeFailed(exc) from None
    return render_one(replace(task, tree=tree, theme=_session.load(path).theme))


def _worker_start(session: BuildSession, parent: int) -> None:
    """Start a forked worker: guard it (see ``_guard_worker``) and keep the build's ``session`` to compose from."""
    global _session
    _guard_worker(parent)
    _session = session


def _guard_worker(parent: int) -> None:
    """Make this worker process leave nothing behind, whatever happens to its parent.

    Ctrl-C is the parent's to handle (it stops the workers); SIGTERM removes
    the temp file being written and ends the worker at once; and a watcher
    ends it, the same way, as soon as its parent is gone (killed with -9: no
    signal reaches the workers then, and a pool worker would otherwise wait
    for work for ever).
    """
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        _worker_stop(0, None)

    threading.Thread(target=watch, name="reportgen-parent-watch", daemon=True).start()


def _worker_stop(signum: int, _frame) -> None:
    """End this worker at once (exit status 128 + ``signum``, or 1), removing the temp files it is writing."""
    for tmp in list(STAGED):
        discard(tmp)
    os._exit(128 + signum if signum else 1)
