"""Running a build: plan it, compose what is stale, render it, and commit it all or nothing.

1. **plan** (``planning``) — which outputs are stale, and why.
2. **compose** — every stale tree, in the build's session. Every problem of
   every input is collected; if there is any, nothing is written. With a
   worker for every output (a small build; a watch's round), each tree goes
   to be rendered as soon as it is composed, and the outputs already
   rendered are discarded if another does not compose.
3. **render** (``workers``) — each output to a temp file beside its final
   name, serially or in ``jobs`` processes, or on a Dask cluster (``cluster``:
   its workers load, compose and render chunks of outlines, and the bytes come
   back here): the bytes are the same every way.
4. **commit** — only if every output rendered: each temp file is renamed
   into place, orphans are reported or pruned, and the manifest (re-read
   under the lock, so a build that ran meanwhile keeps its entries) is saved.
   If any output failed, no output of this build replaces a good one.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import InputError, Problem, collect
from ..log import Event, Reporter
from ..manifest import Manifest
from .options import Options, source_date_epoch
from .outdir import commit, discard, open_out_dir, prune, save_manifest
from .planning import Plan, Target, find_inputs, plan
from .session import TREE_OF, BuildSession
from .workers import RENDERED_ELSEWHERE, Rendered, RenderTask, open_pool, render_all, render_tasks, stop_workers


@dataclass
class Output:
    """One output a build wrote: where, in which format, with what warnings, why, and how long it took."""

    path: str
    format: str
    warnings: list[str]
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build(paths: list[str], opts: Options, reporter: Reporter | None = None, pool=None) -> list[Output]:
    """Return the outputs built: those of ``paths`` (all of ``opts.inputs_dir`` when empty) that were out of date.

    ``pool``: worker processes that outlive this build (``reportgen watch``'s,
    which only render: see ``workers.render_pool``), used instead of a pool
    of its own and left running, unless Ctrl-C or SIGTERM stops the build.
    """
    reporter = reporter or Reporter(quiet=True)
    source_date_epoch()  # a bad SOURCE_DATE_EPOCH stops the build before anything is read
    inputs = find_inputs(paths, opts.inputs_dir)
    manifest = Manifest.load(opts.out_dir)
    for why in manifest.damage:
        reporter.event(Event("warning", manifest.path, f"damaged: {why}"))
    session = BuildSession(opts)
    with fewer_collections():
        p = plan(inputs, opts, manifest, session)
        if pool is not None:
            try:
                return _build(p, session, manifest, reporter, pool if len(p.stale) > 1 else None)
            except (KeyboardInterrupt, SystemExit):
                stop_workers(pool)
                raise
        pool = open_pool(opts.jobs, len(p.stale), session, () if opts.dask else tuple(sorted({t.format for t in p.stale})), each=not opts.dask)
        try:
            return _build(p, session, manifest, reporter, pool)
        except BaseException:
            if pool is not None:
                stop_workers(pool)
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def fewer_collections():
    """Run the build with Python's cycle collector called less often (restored after).

    A build allocates a great many objects that live until its end (layout
    boxes, XML proxies); at the default thresholds the collector keeps walking
    them, a cost that grows with the document (18% of a 1,000-section deck's
    time, 9% of its report's). Objects that exist before the build (modules,
    caches) are moved out of its reach, and a collection starts after 20,000
    new objects, not 700: ReportLab leaves a reference cycle per paragraph
    drawn, so a higher threshold would hold more of them (it measured: at
    100,000, 5% more memory for no further gain). Forked worker processes
    start with the same settings. A process that froze objects itself keeps them frozen.
    """
    old = gc.get_threshold()
    ours = gc.get_freeze_count() == 0
    if ours:
        gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if ours:
            gc.unfreeze()


def _build(p: Plan, session: BuildSession, manifest: Manifest, reporter: Reporter, pool) -> list[Output]:
    """Return the outputs written: the stale ones of plan ``p``, composed, rendered and committed (in ``pool``'s processes if any)."""
    opts = session.opts
    each = pool is not None and not opts.dask and (
        getattr(pool, "rg_each", False) or (not getattr(pool, "rg_forked", True) and len(p.stale) <= getattr(pool, "rg_workers", 0)))
    lock = None
    if each:  # each output rendered as soon as its tree is composed: the folder its temp file goes in must be there first
        lock = open_out_dir([t.output for t in p.stale], opts.out_dir)
        try:
            results = _composed_and_rendered(p.stale, session, pool)
        except BaseException:
            from ..safety import sweep_temps

            sweep_temps(opts.out_dir)  # interrupted: what the stopped workers, or those done before, left
            lock.release()
            lock.remove_folder_if_new()
            raise
    else:
        trees = session.compose_all(p.stale, pool, keep=not opts.dask)  # for a cluster, only checked here: its workers compose again
        if opts.dask and pool is not None:
            pool.shutdown(wait=True)  # it composed; the cluster renders
    try:
        if opts.strict:  # an output built earlier with warnings does not pass now
            recorded = [Problem(t.output, 0, 0, f"{w} (an error under --strict)") for t in p.fresh for w in manifest.entries[t.key].warnings]
            if recorded:
                raise InputError(recorded)
        for path in dict.fromkeys(t.input for t in p.stale):
            for w in session.load(path).warnings:
                reporter.event(Event("warning", "", w.as_warning(), problem=w))
        reporter.start(len(p.stale) + len(p.fresh))
        for t in p.fresh:
            reporter.event(Event("skipped", t.output))
        if lock is None:
            lock = open_out_dir([t.output for t in p.stale], opts.out_dir)  # one build at a time; creates the folder
    except BaseException:
        if each:
            for _i, result in results:
                if isinstance(result, Rendered):
                    discard(result.tmp)
            lock.release()
            lock.remove_folder_if_new()
        raise
    outputs: list[Output] = []
    failures: list[BaseException] = []
    try:
        staged = _render(p.stale, iter(results) if each else _rendering(p.stale, trees, session, pool), session, reporter, failures)
        if failures:  # all or nothing: one output failed, so no output of this build replaces a good one
            for _t, rendered in staged:
                discard(rendered.tmp)
            staged = []
        _commit(staged, p, opts, reporter, bool(failures), outputs)
    except BaseException:
        from ..safety import sweep_temps

        sweep_temps(opts.out_dir)  # interrupted: what stopped workers may have left
        raise
    finally:
        lock.release()
        if not outputs:
            lock.remove_folder_if_new()  # a refused build leaves no new, empty folder behind
    if failures:
        inputs_errors = [f for f in failures if isinstance(f, InputError)]
        others = [f for f in failures if not isinstance(f, InputError)]
        if others:
            raise others[0]
        raise collect(inputs_errors)
    reporter.finish(f"{len(outputs)} built, {len(p.fresh)} up to date" + (f", {len(p.orphans)} orphaned" if p.orphans and not opts.prune else ""))
    return outputs


def _composed_and_rendered(targets: list[Target], session: BuildSession, pool) -> list[tuple[int, Any]]:
    """Return (index of the target, its ``Rendered`` or the writer's exception) for every target, in the targets' order,
    each rendered by one of ``pool``'s workers as soon as its tree is composed.

    A pool forked with the build's session (``rg_each``) composes too
    (``workers.compose_and_render``: each worker imports only its own
    writer); a pool that only renders (``reportgen watch``'s) is given each
    tree as this process composes it, so the first output renders while the
    next is composed. Raise one ``InputError`` with every outline's composing
    problems if any did not compose, as ``compose_all`` would, the temp files
    of the others removed: no writer's error is reported beside them.
    """
    from .workers import ComposeFailed, compose_and_render, render_one

    opts = session.opts
    tasks = [RenderTask(t.format, None, None, t.output, opts.strict, opts.master, opts.pdf_standard) for t in targets]
    futures: list[Any] = []
    results: list[tuple[int, Any]] = []
    try:
        for t, task in zip(targets, tasks):
            if getattr(pool, "rg_each", False):
                futures.append(pool.submit(compose_and_render, t.input, task))
                continue
            try:
                tree = session.compose(t.input, TREE_OF[t.format])
            except Exception as exc:  # (reported once the outputs already rendering are done: the workers live on)
                futures.append(ComposeFailed(exc))
                continue
            if any(isinstance(f, ComposeFailed) for f in futures):  # the build fails: the rest are only composed, for their errors
                futures.append(None)
                continue
            futures.append(pool.submit(render_one, replace(task, tree=tree, theme=session.load(t.input).theme)))
        for i, fut in enumerate(futures):
            if fut is None or isinstance(fut, ComposeFailed):
                results.append((i, fut))
                continue
            exc = fut.exception()
            results.append((i, exc if exc else fut.result()))
    except BaseException:
        stop_workers(pool)  # Ctrl-C, SIGTERM: do not wait for the running renders (the caller sweeps their temp files)
        raise
    failed = [r.error for _i, r in results if isinstance(r, ComposeFailed)]
    if failed:
        for _i, r in results:
            if isinstance(r, Rendered):
                discard(r.tmp)
        problems: list[InputError] = []
        for exc in failed:
            if not isinstance(exc, InputError):
                raise exc
            if exc not in problems:
                problems.append(exc)
        raise collect(problems)
    return results


def _rendering(targets: list[Target], trees: dict, session: BuildSession, pool) -> Iterator[tuple[int, Any]]:
    """Return the iterator of (index of the target, its ``Rendered``, the exception it raised, or ``RENDERED_ELSEWHERE``)
    as each target renders: in ``pool`` or this process from ``trees``, or on the Dask cluster the options name."""
    if session.opts.dask:
        from .cluster import render_on_cluster

        return render_on_cluster(targets, session)
    return render_all(render_tasks(targets, trees, session), pool)


def _render(targets: list[Target], results: Iterator[tuple[int, Any]], session: BuildSession, reporter: Reporter, failures: list[BaseException]) -> list[tuple[Target, Rendered]]:
    """Return each target rendered to its temp file, with what rendered it; append each failure to ``failures``. Both in
    the targets' order, whatever order they finished in (with workers, the faster writer's first): what the build
    prints after rendering, and the errors it raises, are the same lines in the same order on every run.

    ``results`` is ``_rendering``'s. A writer's ``InputError`` names outline
    paths: it is placed in the outline's file. If rendering is interrupted,
    the rendering is closed (a cluster's tasks cancelled) and every temp file
    staged so far is removed.
    """
    staged: dict[int, tuple[Target, Rendered]] = {}
    failed: dict[int, BaseException] = {}
    announced: set[int] = set()  # rendered on a cluster worker, its bytes still to come
    try:
        for i, result in results:
            t = targets[i]
            if result is RENDERED_ELSEWHERE:
                announced.add(i)
                reporter.event(Event("rendered", t.output))
                continue
            loaded = session.load(t.input).loaded
            if isinstance(result, InputError):
                result = InputError([place(prob, loaded, t.output) for prob in result.problems])
            if isinstance(result, BaseException):
                failed[i] = result
            else:
                staged[i] = (t, replace(result, warnings=tuple(place(w, loaded, t.output) for w in result.warnings)))
            if i not in announced:
                reporter.event(Event("rendered", t.output))
    except BaseException:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        for _t, rendered in staged.values():
            discard(rendered.tmp)
        raise
    failures.extend(failed[i] for i in sorted(failed))
    return [staged[i] for i in sorted(staged)]


def place(problem: Problem, loaded, output: str) -> Problem:
    """Return a writer's ``problem`` at its place: the outline's line and column for the outline part it
    names (saying which output it is about), else the output itself."""
    from ..loader import locate

    if problem.file:
        return problem
    if problem.path:
        located = locate(loaded, problem)
        return replace(located, message=f"{located.message} (in {output})")
    return replace(problem, file=output)


def _commit(staged: list[tuple[Target, Rendered]], p: Plan, opts: Options, reporter: Reporter, failed: bool, outputs: list[Output]) -> None:
    """Rename each staged temp file onto its output and record it in the manifest, appending it to ``outputs`` once in place.

    Also reports the orphans, or prunes them (``--prune``, and only when no
    output ``failed``: a failed build removes nothing either), and saves the
    manifest if anything in it changed. The manifest is re-read here, under
    the lock: a build that ran in this folder since ours was planned keeps its entries.
    """
    current = Manifest.load(opts.out_dir)
    changed = False
    for t, rendered in staged:
        commit(rendered.tmp, t.output)
        assert t.entry is not None
        t.entry.output_hash = rendered.output_hash
        lines = [str(w) for w in rendered.warnings]
        t.entry.warnings += lines
        current.entries[t.key] = t.entry
        changed = True
        outputs.append(Output(t.output, t.format, lines, t.reasons, rendered.seconds))
        for w in rendered.warnings:
            reporter.event(Event("warning", t.output, str(w), problem=w))
        reporter.event(Event("built", t.output, reasons=t.reasons, seconds=rendered.seconds))
    for orphan in p.orphans:
        if opts.prune and not failed:
            prune(orphan.key, orphan.entry, opts.out_dir, reporter)
            changed = current.entries.pop(orphan.key, None) is not None or changed
        else:
            reporter.event(Event("orphan", os.path.join(opts.out_dir, orphan.key), f"its outline {orphan.entry.input} is gone (remove it with --prune)"))
    if changed or (current.damage and not failed):
        save_manifest(current)
