"""Build: decide what is out of date, compose it, render it, write it atomically.

1. **plan** — per output, compare the manifest's record (content hashes of the
   outline, pack files, fonts, master and figures; options; version) with the
   files as they are. An output whose outline is unchanged is checked from
   the record alone, without parsing anything, so a no-op build imports
   neither ReportLab nor python-pptx.
2. **prepare** — load and compose everything that is stale. Every problem of
   every input is collected; if there is any, nothing is written.
3. **render** — each output is written to a temp file beside its final name
   and renamed into place when complete, serially or in ``jobs`` processes:
   the bytes are the same either way. The manifest is updated after.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import __version__
from .errors import InputError, OutputError, Problem, ReportgenError, StaleError, collect
from .log import Event, Reporter
from .manifest import Entry, Manifest, file_hash, reasons
from .writers import FORMATS, SUFFIX

TREE_OF = {"pdf": "report", "pptx": "deck"}


@dataclass
class Options:
    formats: tuple[str, ...] = FORMATS
    out_dir: str = "build"
    template: str = ""  # overrides each outline's `template`
    default_template: str = "briefing"  # for outlines that name none
    templates_dir: str = "templates"
    inputs_dir: str = "inputs"
    master: str = ""  # a slide master .pptx to use instead of the pack's
    strict: bool = False  # writer and preflight warnings are errors
    force: bool = False
    prune: bool = False
    jobs: int = 1
    root: str = "."  # paths in the manifest are relative to this folder

    def recorded(self) -> dict[str, str]:
        """Return the options that change an output's bytes, as the manifest records them."""
        return {
            "template": self.template,
            "master": self._rel(self.master) if self.master else "",
            "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        }

    def _rel(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))


@dataclass
class Target:
    """One output of one outline."""

    input: str
    format: str
    output: str  # path in out_dir
    key: str  # the manifest key: the output's file name
    input_hash: str = ""
    reasons: list[str] = field(default_factory=list)
    entry: Entry | None = None  # what the manifest will record once it is built


@dataclass
class Plan:
    stale: list[Target]
    fresh: list[Target]
    orphans: list[tuple[str, Entry]]  # manifest key → entry whose outline is gone


@dataclass
class Output:
    path: str
    format: str
    warnings: list[str]
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- finding inputs ---------------------------------------------------------


def find_inputs(paths: list[str], default_dir: str = "inputs") -> list[str]:
    """Return the outline files named by ``paths`` (folders expanded), or all in ``default_dir``."""
    if not paths:
        if not os.path.isdir(default_dir):
            raise InputError(f"no outlines given and no {default_dir}/ folder here (expected reportgen build FILE.yaml, or run it in a project with inputs/)")
        paths = [default_dir]
    found: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            files = sorted(glob.glob(os.path.join(p, "*.yaml")) + glob.glob(os.path.join(p, "*.yml")))
            if not files:
                raise InputError(Problem(p, 0, 0, "folder holds no .yaml outline"))
            found.extend(files)
        elif not os.path.exists(p):
            raise InputError(Problem(p, 0, 0, "no such file"))
        else:
            found.append(p)
    return found


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


# --- planning ----------------------------------------------------------------


def plan(paths: list[str], opts: Options, manifest: Manifest, loaded_by: dict | None = None) -> Plan:
    """Return which outputs of ``paths`` are stale (and why), fresh, or orphaned."""
    cache: dict[str, str] = {}
    loaded_by = {} if loaded_by is None else loaded_by
    stale: list[Target] = []
    fresh: list[Target] = []
    problems: list[InputError] = []
    owners: dict[str, str] = {}
    from .manifest import is_output_name

    for path in paths:
        name = _stem(path)
        if not all(is_output_name(name + SUFFIX[f]) for f in opts.formats):
            problems.append(InputError(Problem(path, 0, 0, "this file name cannot name an output (it starts with '.', holds a control character or bytes that are not UTF-8, or is over 250 characters); rename the outline")))
            continue
        if name in owners:
            problems.append(InputError(Problem(path, 0, 0, f"two outlines would write {name}.*: this one and {owners[name]}; rename one")))
            continue
        owners[name] = path
        input_hash = file_hash(path, cache)
        for fmt in opts.formats:
            key = name + SUFFIX[fmt]
            t = Target(path, fmt, os.path.join(opts.out_dir, key), key, input_hash)
            old = manifest.entries.get(key)
            if not opts.force and old and _quick_fresh(old, t, opts, cache):
                fresh.append(t)
                continue
            try:
                t.entry = _entry(t, opts, loaded_by, cache)
            except InputError as exc:
                problems.append(exc)
                continue
            t.reasons = ["--force"] if opts.force else reasons(old, t.entry, t.output, cache)
            (stale if t.reasons else fresh).append(t)
    if problems:
        raise collect(list({id(p): p for p in problems}.values()))
    inputs = {os.path.normpath(_rel(p, opts)) for p in paths}
    ours = {t.key for t in stale + fresh}  # an output this build makes is never an orphan (its outline may have moved)
    orphans = [
        (key, e)
        for key, e in sorted(manifest.entries.items())
        if key not in ours and os.path.normpath(e.input) not in inputs and not os.path.exists(os.path.join(opts.root, e.input))
    ]
    return Plan(stale, fresh, orphans)


def _rel(path: str, opts: Options) -> str:
    return os.path.relpath(os.path.abspath(path), os.path.abspath(opts.root))


def _quick_fresh(old: Entry, t: Target, opts: Options, cache: dict) -> bool:
    """Return True if ``old`` still describes ``t`` exactly (checked from hashes alone)."""
    if old.input_hash != t.input_hash or old.version != tool_version() or old.options != opts.recorded():
        return False
    if old.input != _rel(t.input, opts) or old.format != t.format:
        return False
    for dep, digest in old.deps.items():
        if file_hash(os.path.join(opts.root, dep), cache) != digest:
            return False
    return file_hash(t.output, cache) == old.output_hash


_VERSION: list[str] = []


def tool_version() -> str:
    """Return reportgen's version, a fingerprint of its code, and its writers' library versions.

    Any change to reportgen's own code, or to ReportLab or python-pptx,
    makes every output stale (read from package metadata: nothing imported).
    """
    if not _VERSION:
        import hashlib
        from importlib import metadata

        here = os.path.dirname(os.path.abspath(__file__))
        h = hashlib.sha256()
        for folder, dirs, files in sorted(os.walk(here)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    with open(os.path.join(folder, name), "rb") as fh:
                        h.update(name.encode() + b"\0" + fh.read())
        libs = []
        for lib in ("reportlab", "python-pptx"):
            try:
                libs.append(f"{lib} {metadata.version(lib)}")
            except metadata.PackageNotFoundError:
                libs.append(f"{lib} ?")
        _VERSION.append(f"{__version__}+{h.hexdigest()[:12]} ({', '.join(libs)})")
    return _VERSION[0]


def _entry(t: Target, opts: Options, loaded_by: dict, cache: dict) -> Entry:
    from .deps import dependencies

    loaded, pack = _load(t.input, opts, loaded_by)
    deps = dependencies(loaded, pack, t.format, opts.master)
    return Entry(
        warnings=[p.as_warning() for p in loaded.warnings],
        input=_rel(t.input, opts),
        input_hash=t.input_hash,
        format=t.format,
        deps={_rel(d, opts): file_hash(d, cache) for d in deps},
        options=opts.recorded(),
        version=tool_version(),
    )


def _load(path: str, opts: Options, loaded_by: dict):
    """Return (Loaded, Pack) for ``path``, loading it once per build (a failure, too).

    ``loaded_by`` maps each outline path to its (Loaded, Pack) or InputError,
    and ("pack", name) to each template pack loaded so far.
    """
    if isinstance(loaded_by.get(path), InputError):
        raise loaded_by[path]
    if path not in loaded_by:
        try:
            loaded_by[path] = _load_pack(path, opts, loaded_by)
        except InputError as exc:
            loaded_by[path] = exc
            raise
    return loaded_by[path]


def _load_pack(path: str, opts: Options, loaded_by: dict):
    from .loader import load
    from .pack import find_pack

    loaded = load(path)
    name = opts.template or loaded.outline.template or opts.default_template or "briefing"
    where = None
    if not opts.template and loaded.outline.template:
        line, col = loaded.source.where(("template",))
        where = Problem(loaded.path, line, col, "", "template")
    pack = loaded_by.get(("pack", name))  # one Pack (and theme) per name per build
    if pack is None:
        pack = find_pack(name, opts.templates_dir, where)
        pack.theme  # load and check it now, before anything is written
        loaded_by[("pack", name)] = pack
    from .glyphs import check_glyphs

    loaded.warnings = check_glyphs(loaded, pack.theme)
    if opts.strict and loaded.warnings:
        raise InputError([replace(p, message=p.message + " (an error under --strict)") for p in loaded.warnings])
    return loaded, pack


# --- preparing -----------------------------------------------------------------


def compose_all(targets: list[Target], opts: Options, loaded_by: dict, pool=None) -> dict[tuple[str, str], object]:
    """Return (input, tree) → composed tree for every target; raise one InputError with every problem.

    With a forked ``pool`` (see ``_pool``) the trees are composed in its
    worker processes, which already hold ``loaded_by``; the trees come back here.
    """
    trees: dict[tuple[str, str], object] = {}
    if not targets:  # a no-op build imports no templating either
        return trees
    wanted = list(dict.fromkeys((t.input, TREE_OF[t.format]) for t in targets))
    problems: list[InputError] = []
    if pool is not None and getattr(pool, "rg_forked", False):
        futures = {key: pool.submit(_compose_in_worker, *key) for key in wanted}
        results = {key: fut.exception() or fut.result() for key, fut in futures.items()}
    else:
        results = {}
        for key in wanted:
            try:
                results[key] = _compose_one(*key, opts, loaded_by)
            except InputError as exc:
                results[key] = exc
    for key, result in results.items():
        if isinstance(result, BaseException):
            if not isinstance(result, InputError):
                raise result
            if result not in problems:
                problems.append(result)
        else:
            trees[key] = result
    if problems:
        raise collect(problems)
    return trees


def _compose_one(path: str, tree: str, opts: Options, loaded_by: dict):
    from .compose import compose

    loaded, pack = _load(path, opts, loaded_by)
    return compose(loaded, pack, tree, created=source_date(loaded))


_WORKER: dict = {}  # in a worker process: the build's options and loaded outlines (see ``_pool``)


def _worker_start(opts: Options, loaded_by: dict, parent: int) -> None:
    _guard_worker(parent)
    _WORKER.update(opts=opts, loaded_by=loaded_by)


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
    for tmp in list(_STAGED):
        discard(tmp)
    os._exit(128 + signum if signum else 1)


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


def _compose_in_worker(path: str, tree: str):
    return _compose_one(path, tree, _WORKER["opts"], _WORKER["loaded_by"])


def _pool(jobs: int, tasks: int, opts: Options, loaded_by: dict):
    """Return a process pool for ``tasks`` outputs at ``jobs`` processes, or None to work in this one.

    Forked workers start with the parent's loaded outlines (nothing is
    pickled to give them), so they compose as well as render; where fork is
    not available they only render.
    """
    if jobs <= 1 or tasks <= 1:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    forked = hasattr(os, "fork")
    if forked:
        from . import compose  # noqa: F401  imported once, before the workers fork, not in each
    ctx = multiprocessing.get_context("fork" if forked else "spawn")
    start = {"initializer": _worker_start, "initargs": (opts, loaded_by, os.getpid())} if forked else {"initializer": _guard_worker, "initargs": (os.getpid(),)}
    pool = ProcessPoolExecutor(max_workers=min(jobs, tasks), mp_context=ctx, **start)
    pool.rg_forked = forked
    return pool


MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


def source_date_epoch() -> int | None:
    """Return ``SOURCE_DATE_EPOCH`` as a number of seconds, None when it is unset or empty.

    Raise ``InputError`` when it is set to anything but a whole number of
    seconds from 0 (1970) to the end of year 9999.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    epoch = raw.strip()
    if not epoch:
        return None
    if not (epoch.isascii() and epoch.isdigit()) or len(epoch) > 12 or int(epoch) > MAX_EPOCH:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        raise InputError(Problem("SOURCE_DATE_EPOCH", 0, 0, f"expected a whole number of seconds since 1970-01-01 (0 to {MAX_EPOCH}), got {shown!r}"))
    return int(epoch)


def source_date(loaded) -> str:
    """Return the documents' timestamp (ISO, UTC): SOURCE_DATE_EPOCH, else the outline's date."""
    import datetime

    epoch = source_date_epoch()
    if epoch is not None:
        when = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    elif loaded.outline.date:
        d = loaded.outline.date
        when = datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.timezone.utc)
    else:
        when = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- rendering -----------------------------------------------------------------


def stage(final: str, render: Callable[[str], list[str]], strict: bool = False) -> tuple[str, list[str]]:
    """Run ``render(tmp)`` on a new temp file beside ``final``; return (tmp, warnings).

    On any failure (or, when ``strict``, any warning) the temp file is removed.
    ``final`` is not touched: ``commit`` renames the temp file into place.
    """
    from .safety import is_write_error, output_error, temp_file

    try:
        tmp = temp_file(final)
    except OSError as exc:
        raise output_error(final, exc) from None
    _STAGED.add(tmp)
    try:
        warnings = render(tmp) or []
        if strict and warnings:
            raise InputError([Problem(final, 0, 0, f"{w} (an error under --strict)") for w in warnings])
        os.chmod(tmp, 0o644)
    except BaseException as exc:
        discard(tmp)
        _STAGED.discard(tmp)
        if is_write_error(exc) and getattr(exc, "filename", None) in (None, tmp, final):  # full disk, permissions
            raise output_error(final, exc) from None  # type: ignore[arg-type]
        raise
    _STAGED.discard(tmp)
    return tmp, warnings


_STAGED: set[str] = set()  # temp files this process is writing now (removed if the process is told to stop)


def commit(tmp: str, final: str) -> None:
    """Rename the staged ``tmp`` onto ``final`` (a symlink there is replaced, never written through)."""
    from .safety import output_error

    try:
        os.replace(tmp, final)
    except OSError as exc:
        discard(tmp)
        raise output_error(final, exc) from None


def discard(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_atomic(final: str, render: Callable[[str], list[str]], strict: bool = False) -> list[str]:
    """Run ``render(tmp)`` on a temp file beside ``final``, then rename it into place; return the warnings.

    On any failure (or, when ``strict``, any warning) the temp file is
    removed and ``final`` is left exactly as it was.
    """
    tmp, warnings = stage(final, render, strict)
    commit(tmp, final)
    return warnings


def _open_out_dir(targets: list[Target], opts: Options):
    """Take the build lock on ``opts.out_dir`` (creating it), and refuse outputs that are symlinks.

    Return the held ``BuildLock``; the caller releases it when the build ends.
    """
    from .safety import BuildLock

    from .safety import sweep_temps

    lock = BuildLock(opts.out_dir)
    lock.acquire()
    sweep_temps(opts.out_dir)  # what a killed build left: no other build writes here while we hold the lock
    problems = [p for p in (_in_the_way(t.output) for t in targets) if p is not None]
    if problems:
        lock.release()
        lock.remove_folder_if_new()
        raise OutputError(problems)
    return lock


def _in_the_way(path: str) -> Problem | None:
    """Return why the output at ``path`` cannot be replaced (a link, a folder, a device), or None."""
    import stat

    try:
        st = os.lstat(path)
    except OSError:
        return None  # nothing there (yet)
    if stat.S_ISLNK(st.st_mode):
        return Problem(path, 0, 0, f"is a symbolic link (to {os.readlink(path)}); reportgen writes only regular files in its build folder: remove the link and build again")
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a device, pipe or socket)"
        return Problem(path, 0, 0, f"is {kind}; reportgen writes only regular files in its build folder: remove it and build again")
    return None


def _save_manifest(manifest: Manifest) -> None:
    from .safety import output_error

    try:
        manifest.save()
    except OSError as exc:
        raise output_error(manifest.path, exc) from None


def _prune(key: str, entry: Entry, opts: Options, reporter: Reporter) -> None:
    """Remove the orphaned output ``key`` if it is still exactly the file reportgen wrote.

    Only a regular file directly in the build folder, under a name a manifest
    may hold (``is_output_name``), whose content hashes to what the manifest
    recorded, is removed; anything else is left where it is and said so.
    """
    import stat

    from .manifest import is_output_name

    out_path = os.path.join(opts.out_dir, key)
    if not is_output_name(key):  # Manifest.load drops such keys; never act on one
        return
    try:
        st = os.lstat(out_path)
    except FileNotFoundError:
        reporter.event(Event("removed", out_path, f"its outline {entry.input} is gone (the output was already gone)"))
        return
    except OSError as exc:
        reporter.event(Event("warning", out_path, f"not removed: {exc.strerror}"))
        return
    if not stat.S_ISREG(st.st_mode) or file_hash(out_path) != entry.output_hash:
        kind = "not a regular file" if not stat.S_ISREG(st.st_mode) else "changed since reportgen wrote it"
        reporter.event(Event("warning", out_path, f"not removed: {kind}; its outline {entry.input} is gone, remove it yourself if it is not needed"))
        return
    try:
        os.unlink(out_path)
    except OSError as exc:
        reporter.event(Event("warning", out_path, f"not removed: {exc.strerror}"))
        return
    reporter.event(Event("removed", out_path, f"its outline {entry.input} is gone"))


def render_one(task: tuple) -> tuple[list[str], float, str, str]:
    """Render one output to a temp file beside it (in a worker process, or inline).

    Return (warnings, seconds, hash, temp path); the build renames every temp
    file into place only once all outputs rendered.
    """
    fmt, tree, theme, final, strict, master = task
    from .writers import get_writer

    start = time.perf_counter()
    writer = get_writer(fmt)
    if master and hasattr(writer, "master"):
        writer.master = master
    tmp, warnings = stage(final, lambda tmp: writer.write(tree, theme, tmp), strict)
    return warnings, time.perf_counter() - start, file_hash(tmp), tmp


def _run(tasks: list[tuple], pool):
    """Yield (index, result or exception) for each task, in completion order."""
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


def build(paths: list[str], opts: Options, reporter: Reporter | None = None) -> list[Output]:
    """Build the outputs of ``paths`` (all of ``opts.inputs_dir`` when empty) that are out of date."""
    reporter = reporter or Reporter(quiet=True)
    source_date_epoch()  # a bad SOURCE_DATE_EPOCH stops the build before anything is read
    inputs = find_inputs(paths, opts.inputs_dir)
    manifest = Manifest.load(opts.out_dir)
    for why in manifest.damage:
        reporter.event(Event("warning", manifest.path, f"damaged: {why}"))
    loaded_by: dict = {}
    with _fewer_collections():
        p = plan(inputs, opts, manifest, loaded_by)
        pool = _pool(opts.jobs, len(p.stale), opts, loaded_by)
        try:
            return _build(p, opts, manifest, loaded_by, reporter, pool)
        except BaseException:
            if pool is not None:
                stop_workers(pool)
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _fewer_collections():
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


def _build(p: Plan, opts: Options, manifest: Manifest, loaded_by: dict, reporter: Reporter, pool) -> list[Output]:
    """Compose, render and commit the stale outputs of plan ``p`` (in ``pool``'s processes if any)."""
    trees = compose_all(p.stale, opts, loaded_by, pool)
    if opts.strict:  # an output built earlier with warnings does not pass now
        recorded = [Problem(t.output, 0, 0, f"{w} (an error under --strict)") for t in p.fresh for w in manifest.entries[t.key].warnings]
        if recorded:
            raise InputError(recorded)
    for path in dict.fromkeys(t.input for t in p.stale):
        for w in loaded_by[path][0].warnings:
            reporter.event(Event("warning", "", w.as_warning()))
    reporter.start(len(p.stale) + len(p.fresh))
    for t in p.fresh:
        reporter.event(Event("skipped", t.output))
    lock = _open_out_dir(p.stale, opts)  # one build at a time; creates the folder
    tasks = [
        (t.format, trees[(t.input, TREE_OF[t.format])], loaded_by[t.input][1].theme, t.output, opts.strict, opts.master)
        for t in p.stale
    ]
    outputs: list[Output] = []
    failures: list[BaseException] = []
    staged: list[tuple[Target, tuple]] = []
    try:
        try:
            for i, result in _run(tasks, pool):
                t = p.stale[i]
                if isinstance(result, InputError):  # writers name outline paths: place them in the file
                    from .loader import locate

                    result = InputError([locate(loaded_by[t.input][0], prob) for prob in result.problems])
                if isinstance(result, BaseException):
                    failures.append(result)
                else:
                    staged.append((t, result))
                reporter.event(Event("rendered", t.output))
        except BaseException:
            for _t, result in staged:
                discard(result[3])
            raise
        if failures:  # all or nothing: one output failed, so no output of this build replaces a good one
            for _t, result in staged:
                discard(result[3])
            staged = []
        # Re-read under the lock: a build that ran in this folder since ours was planned keeps its entries.
        current = Manifest.load(opts.out_dir)
        changed = False
        for t, (warnings, seconds, digest, tmp) in staged:
            commit(tmp, t.output)
            assert t.entry is not None
            t.entry.output_hash = digest
            t.entry.warnings += list(warnings)
            current.entries[t.key] = t.entry
            changed = True
            outputs.append(Output(t.output, t.format, warnings, t.reasons, seconds))
            for w in warnings:
                reporter.event(Event("warning", t.output, w))
            reporter.event(Event("built", t.output, reasons=t.reasons, seconds=seconds))
        for key, entry in p.orphans:
            if opts.prune and not failures:  # all or nothing: a failed build removes nothing either
                _prune(key, entry, opts, reporter)
                changed = current.entries.pop(key, None) is not None or changed
            else:
                reporter.event(Event("orphan", os.path.join(opts.out_dir, key), f"its outline {entry.input} is gone (remove it with --prune)"))
        if changed or (current.damage and not failures):
            _save_manifest(current)
    except BaseException:
        from .safety import sweep_temps

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


def check(paths: list[str], opts: Options) -> list[str]:
    """Return nothing if ``opts.out_dir`` is up to date; raise ``StaleError`` listing what is not.

    Renders nothing. Validates every outline and composes every tree first
    (``InputError``, exit 2, if any is wrong), so CI fails before anyone
    looks at a bad document.
    """
    source_date_epoch()
    inputs = find_inputs(paths, opts.inputs_dir)
    manifest = Manifest.load(opts.out_dir)
    loaded_by: dict = {}
    p = plan(inputs, opts, manifest, loaded_by)
    warnings = prepare(inputs, opts, masters=True)  # every outline, template and master, stale or not
    lines = [f"stale {t.output} ({'; '.join(t.reasons)})" for t in p.stale]
    lines += [f"orphan {os.path.join(opts.out_dir, key)}: its outline {e.input} is gone" for key, e in p.orphans]
    lines += [f"damaged {manifest.path}: {why}" for why in manifest.damage]
    if lines:
        raise StaleError("\n".join([w.as_warning() for w in warnings] + lines))
    return [w.as_warning() for w in warnings] + [f"up to date {t.output}" for t in p.fresh]


def prepare(paths: list[str], opts: Options, masters: bool = False) -> list[Problem]:
    """Load and compose ``paths`` without writing anything; return the preflight warnings.

    With ``masters``, also check that each deck's slide master has the
    layouts and placeholders the deck needs (this imports python-pptx).
    """
    source_date_epoch()
    loaded_by: dict = {}
    problems: list[InputError] = []
    for path in paths:
        try:
            _load(path, opts, loaded_by)
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise collect(problems)
    trees = compose_all([Target(i, f, "", "") for i in paths for f in opts.formats], opts, loaded_by)
    if masters and "pptx" in opts.formats:
        from .writers.pptx import preflight

        errors = []
        for path in paths:
            try:
                preflight(trees[(path, "deck")], loaded_by[path][1].theme, opts.master)
            except InputError as exc:
                errors.append(exc)
        if errors:
            raise collect(errors)
    return [w for path in paths for w in loaded_by[path][0].warnings]


__all__ = ["Options", "Output", "build", "check", "find_inputs", "prepare", "write_atomic", "ReportgenError"]
