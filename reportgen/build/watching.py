"""``reportgen watch``: one long-lived build that rebuilds what a saved change touches, warm.

A ``Watch`` builds once, then waits for changes (``watchfiles``, imported
only here) in the project's folder and in the folder of each file an output
depends on outside it (a built-in pack, an outline given from elsewhere),
each watched with all it holds. A change matters when it is to a file the
outputs depend on: an outline, what the manifest records each output read
(``Entry.deps``: the pack's theme, templates, fonts, images, the figures'
data), the config file, anything in the project's packs, or a new outline
in the inputs folder; after a round that failed, any change does (the fix
may be a file nothing has read yet: a figure the outline now names). The
build's own files are passed over, even when the build folder is the
project's. When watchfiles starts watching, a catch-up round builds what was
saved before it did (during the first build), saying nothing if nothing was.

A change that matters runs ``build`` again in this process, which keeps what
a fresh process pays for each time: the libraries imported, the fonts parsed
and registered, the templates and schemas compiled. The build decides by
content hash what is stale, so saving a file unchanged rebuilds nothing; the
PDF and the deck of a changed outline render at once in two worker
processes forked right after the first build (warm: they start with
everything that build loaded, and before any thread of the watch's own),
kept for every later one, and forked again if one is lost.

A bad edit prints its located error, like ``reportgen build``, and the last
good outputs stay (a build writes all or nothing); a bug prints one line;
either way the watch goes on. Each round prints what it rebuilt, its warnings
and the time it took.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import ReportgenError
from ..log import Reporter
from ..manifest import Manifest
from .options import BUILTIN_KEY, Options
from .planning import OUTLINE_PATTERNS, find_inputs
from .run import Output, build
from .workers import render_pool, stop_workers, usable_cpus

_OUTLINE_SUFFIXES = tuple(p.lstrip("*") for p in OUTLINE_PATTERNS)
_CONFIG = "reportgen.toml"


@dataclass
class Round:
    """One build of a watch: what it wrote, or the error that stopped it, and how long it took."""

    outputs: list[Output] = field(default_factory=list)
    error: ReportgenError | None = None
    seconds: float = 0.0
    changed: tuple[str, ...] = ()  # the changed files that started it (none: the first build)

    def summary(self) -> str:
        """Return the line that tells how the round ended."""
        took = f"in {self.seconds:.2f} s"
        if self.error is not None:
            return f"not rebuilt ({took}): fix the error above; the last good outputs are kept"
        if not self.outputs:
            return f"up to date ({took})"
        return f"rebuilt {', '.join(os.path.basename(o.path) for o in self.outputs)} {took}"


class Watch:
    """The outlines ``paths`` (all of ``opts.inputs_dir`` when empty), built with ``opts`` each time a file they depend on changes."""

    def __init__(self, paths: list[str], opts: Options, reporter: Reporter, say: Callable[[str], None] = print,
                 on_built: Callable[[Round], None] | None = None, report: Callable[[ReportgenError], None] | None = None):
        self.paths = paths
        self.opts = opts
        self.reporter = reporter
        self.say = say  # where a round's lines go
        self.report = report or (lambda exc: say(str(exc)))  # how a round's error is told (the command's --log-format)
        self.on_built = on_built  # called after each round (the preview server reloads its page)
        self.pool = None
        self.workers = 0  # the worker processes rendering (0: none, this process renders)
        self.rounds = 0
        self.failed = False  # did the last round fail?

    # --- building -----------------------------------------------------------------------------

    def rebuild(self, changed: tuple[str, ...] = (), quiet_if_idle: bool = False) -> Round:
        """Return the round that built what is stale now (its error printed, never raised, when an input is wrong;
        ``quiet_if_idle``: no line at all when nothing was stale)."""
        start = time.perf_counter()
        result = Round(changed=changed)
        try:
            result.outputs = self._build()
        except ReportgenError as exc:
            result.error = exc
            self.report(exc)
        except Exception as exc:  # a bug in reportgen: said plainly, and the watch goes on with the last good outputs
            result.error = ReportgenError(f"reportgen: internal error: {type(exc).__name__}: {exc} (rerun reportgen build with --debug for the traceback)")
            self.report(result.error)
        result.seconds = time.perf_counter() - start
        self.rounds += 1
        self.failed = result.error is not None
        if quiet_if_idle and not result.outputs and result.error is None:
            return result
        self.say(result.summary())
        if self.pool is None and self.rounds == 1:
            self._start_workers()
        if self.on_built is not None:
            self.on_built(result)
        return result

    def _build(self) -> list[Output]:
        """Return what one build wrote; a worker lost meanwhile (killed, out of memory) costs its workers, not the round:
        they are forked again and the build runs once more here."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return build(self.paths, self.opts, self.reporter, pool=self.pool)
        except BrokenProcessPool:
            self.say("a worker process was lost: building in this process, and starting new workers")
            self.close()
            outputs = build(self.paths, self.opts, self.reporter)
            self._start_workers()
            return outputs

    def _start_workers(self) -> None:
        """Fork the workers the later rounds render in, now that this process is warm (one CPU: none, render here)."""
        workers = min(len(self.opts.formats), self.opts.jobs if self.opts.jobs > 0 else usable_cpus())
        self.pool = render_pool(workers, tuple(self.opts.formats))
        self.workers = workers if self.pool is not None else 0

    def close(self) -> None:
        """Stop the workers."""
        if self.pool is not None:
            stop_workers(self.pool)
            self.pool = None

    # --- what to watch ------------------------------------------------------------------------

    def watched(self) -> set[str]:
        """Return the absolute paths of the files whose change may change an output: the outlines, every file the
        manifest says an output read, and the config file."""
        from ..pack import BUILTIN_DIR

        files = {os.path.abspath(os.path.join(self.opts.root, _CONFIG))}
        try:
            outlines = find_inputs(self.paths, self.opts.inputs_dir)
        except ReportgenError:
            outlines = []
        files.update(os.path.abspath(p) for p in outlines)
        manifest = Manifest.load(self.opts.out_dir)
        wanted = {self.opts.relative(p) for p in outlines}
        for entry in manifest.entries.values():
            if entry.input not in wanted:
                continue
            for key in entry.deps:
                if key.startswith(BUILTIN_KEY):
                    files.add(os.path.join(BUILTIN_DIR, key[len(BUILTIN_KEY):]))
                else:
                    files.add(os.path.abspath(os.path.join(self.opts.root, key)))
        return files

    def roots(self) -> set[str]:
        """Return the folders to watch, each with all it holds: the project's, and that of each watched file outside it
        (a built-in pack, an outline given from elsewhere). Watching whole folders, not files, sees a file that is
        saved by renaming a new one over it, a folder deleted and made again, and a file an outline names that does
        not exist yet."""
        root = os.path.abspath(self.opts.root)
        found = {root}
        for f in self.watched() | {os.path.abspath(self.opts.templates_dir) + os.sep + "x"}:
            folder = os.path.dirname(f)
            if not _inside(folder, root):
                found.add(folder)
        return {f for f in found if os.path.isdir(f)}

    def matters(self, changed: Iterable[str]) -> tuple[str, ...]:
        """Return those of the ``changed`` paths that may change an output (none: nothing to rebuild).

        After a round that failed, any change but the build's own files does:
        the fix may be a file no output has read yet (a figure, a pack)."""
        watched = self.watched()
        templates = os.path.abspath(self.opts.templates_dir)
        folders = {os.path.abspath(p) for p in self.paths if os.path.isdir(p)} or ({os.path.abspath(self.opts.inputs_dir)} if not self.paths else set())
        hits = []
        for path in sorted(set(changed)):
            path = os.path.abspath(path)
            if self._written_by_build(path):
                continue
            if (self.failed or path in watched or _inside(path, templates)
                    or (os.path.dirname(path) in folders and path.endswith(_OUTLINE_SUFFIXES))):
                hits.append(path)
        return tuple(hits)

    def _written_by_build(self, path: str) -> bool:
        """Whether ``path`` is one of the files a build writes in its folder: an output, the manifest, the lock, a temp
        file (a build folder may be the project's own: only those are passed over)."""
        from ..manifest import NAME as MANIFEST
        from ..safety import LOCK_NAME, is_temp_name

        folder, name = os.path.split(path)
        if folder != os.path.abspath(self.opts.out_dir):
            return False
        return name in (MANIFEST, LOCK_NAME) or is_temp_name(name) or name in Manifest.load(self.opts.out_dir).entries

    # --- the loop -----------------------------------------------------------------------------

    def run(self, changes: Iterable[Iterable[str]] | None = None) -> None:
        """Build, then rebuild after each batch of ``changes`` that matters (``watchfiles`` batches by default) until
        they end (Ctrl-C, for watchfiles). ``CATCH_UP`` in ``changes`` builds what is stale, saying nothing if nothing is."""
        self.rebuild()
        for batch in changes if changes is not None else self._changes():
            if batch is CATCH_UP:
                self.rebuild(quiet_if_idle=True)
                continue
            hits = self.matters(batch)
            if hits:
                self.say(f"changed: {', '.join(os.path.relpath(h) for h in hits)}")
                self.rebuild(hits)

    def _changes(self) -> Iterable:
        """Yield each batch of changed paths watchfiles reports in the folders to watch, and ``CATCH_UP`` once each time
        it starts watching (what was saved before it did: during the first build, or while the folders changed)."""
        import threading

        import watchfiles

        while True:
            roots = sorted(self.roots())
            stop = threading.Event()
            started = False
            for batch in watchfiles.watch(*roots, debounce=60, step=20, rust_timeout=1000, yield_on_timeout=True,
                                          stop_event=stop, raise_interrupt=True):
                if not started:  # (watchfiles is watching now: what changed before is built now, or never)
                    started = True
                    yield CATCH_UP
                if batch:
                    yield {path for _change, path in batch}
                if sorted(self.roots()) != roots:  # a dependency outside every folder watched
                    stop.set()
                    break


CATCH_UP = object()  # in a watch's changes: build whatever is stale, quietly when nothing is


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
