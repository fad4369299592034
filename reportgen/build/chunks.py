"""A chunk of outlines built on a Dask worker, by the same code as every build.

The build's machine sends a ``Chunk``: the outputs to make, the options that
decide their bytes, and the chunk's files (``shipping.Layout``), whose
contents arrive beside it by hash. ``build_chunk`` lays the files out in a
folder of the worker's own (``_laid_out``) and, there, plans the outlines (``planning.plan`` against an
empty manifest: each output's manifest entry computed as on the build's
machine), composes them (``BuildSession``) and renders them
(``workers.render_all``, in this process). It returns each output's manifest
entry, writer warnings, hash and bytes (or where ``handoff`` put them), and
announces each output on the build's progress topic as it is rendered.

One chunk at a time runs in a worker process (the writers keep state per
process, and the documents' date is read from the environment): start
workers with one thread each, one process per core.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from dataclasses import dataclass, replace

from ..errors import InputError, OutputError, Problem
from ..manifest import NAME, Entry, Manifest
from .options import Options, tool_version
from .shipping import Layout, materialise

_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class Chunk:
    """What a worker is asked to build: outputs, options, files, and where its progress and bytes go."""

    targets: tuple[tuple[str, str], ...]  # (outline path relative to the project folder, "/"-separated; format) per output
    layout: Layout  # every file the outputs are made from
    templates_dir: str  # the folder of template packs, relative to the project folder
    master: str  # --master, relative to the project folder ("" for none)
    formats: tuple[str, ...]
    template: str
    default_template: str
    strict: bool
    pdf_standard: str
    epoch: str  # SOURCE_DATE_EPOCH as the build's machine has it ("" when unset)
    version: str  # the build's reportgen (``tool_version``): a worker running another refuses the chunk
    topic: str  # the build's progress topic
    output: str  # where the outputs go (``handoff.build_location``), or "" to return their bytes
    root: str  # the build's project folder and output folder, as its messages name them:
    out_dir: str  # a problem found here is reported at the build's paths, not the worker's

    def options(self, root: str, out_dir: str) -> Options:
        """Return the build ``Options`` of this chunk, with the project folder laid out at ``root`` and outputs into ``out_dir``."""
        return Options(
            formats=self.formats,
            out_dir=out_dir,
            template=self.template,
            default_template=self.default_template,
            templates_dir=os.path.join(root, *self.templates_dir.split("/")),
            inputs_dir=root,
            master=os.path.join(root, *self.master.split("/")) if self.master else "",
            strict=self.strict,
            jobs=1,
            root=root,
            pdf_standard=self.pdf_standard,
        )


@dataclass(frozen=True)
class Shipped:
    """One output a worker made: its manifest entry, the writer's warnings (not yet placed), time, hash, and bytes or location."""

    entry: Entry  # as the worker computed it from its copy of the files: compared with the build's own
    warnings: tuple[Problem, ...]
    seconds: float
    output_hash: str
    data: bytes = b""  # the output itself, when returned with the result
    location: str = ""  # else where ``handoff.put`` wrote it


def build_chunk(chunk: Chunk, blobs: dict[str, bytes]) -> dict[str, Shipped | Exception]:
    """Return, per output of ``chunk`` (by its file name), what the worker made of it, or the exception its writer raised.

    ``blobs`` holds the content of each of the chunk's files by hash. Raise
    ``InputError`` (at the build's paths) if the chunk's outlines do not
    load or compose here, and ``OutputError`` if this worker runs another
    reportgen than the build's.
    """
    from .planning import plan
    from .run import fewer_collections
    from .session import BuildSession
    from .workers import render_all, render_tasks

    if tool_version() != chunk.version:
        raise OutputError(Problem(_worker_name(), 0, 0, f"runs reportgen {tool_version()}, but the build runs {chunk.version}: install the same reportgen (and ReportLab, python-pptx, pikepdf) on every worker"))
    with _ONE_AT_A_TIME, fewer_collections(), _source_date(chunk.epoch), _laid_out(chunk, blobs) as root, tempfile.TemporaryDirectory(prefix="reportgen-out-", dir=_scratch()) as out:
        opts = chunk.options(root, out)
        try:
            session = BuildSession(opts)
            outlines = list(dict.fromkeys(rel for rel, _fmt in chunk.targets))
            p = plan([os.path.join(root, *rel.split("/")) for rel in outlines], opts, Manifest(path=os.path.join(out, NAME)), session)
            wanted = set(chunk.targets)
            stale = [t for t in p.stale if (opts.relative(t.input).replace(os.sep, "/"), t.format) in wanted]
            trees = session.compose_all(stale)
            done: dict[str, Shipped | Exception] = {}
            for i, result in render_all(render_tasks(stale, trees, session), None):
                t = stale[i]
                done[t.key] = _at_build_paths(result, chunk, root, out) if isinstance(result, Exception) else _ship(t, result, chunk)
            return done
        except InputError as exc:
            raise _at_build_paths(exc, chunk, root, out) from None


def _ship(t, rendered, chunk: Chunk) -> Shipped:
    """Return what goes back to the build for target ``t`` rendered to ``rendered.tmp`` (its bytes, or where ``handoff`` put them), and announce it."""
    assert t.entry is not None
    with open(rendered.tmp, "rb") as fh:
        data = fh.read()
    os.unlink(rendered.tmp)
    shipped = Shipped(t.entry, rendered.warnings, rendered.seconds, rendered.output_hash)
    if chunk.output:
        from .handoff import put

        shipped = replace(shipped, location=put(chunk.output, t.key, data))
    else:
        shipped = replace(shipped, data=data)
    _announce(chunk.topic, t.key)
    return shipped


def _at_build_paths(exc: Exception, chunk: Chunk, root: str, out: str) -> Exception:
    """Return ``exc`` with each problem's file named as on the build's machine (an ``InputError``), else ``exc``."""
    if not isinstance(exc, InputError):
        return exc

    def theirs(path: str) -> str:
        for mine, build_side in ((root, chunk.root), (out, chunk.out_dir)):
            if path == mine or path.startswith(mine + os.sep):
                return os.path.normpath(os.path.join(build_side, os.path.relpath(path, mine)))
        return path

    return type(exc)([replace(p, file=theirs(p.file)) for p in exc.problems])


@contextlib.contextmanager
def _laid_out(chunk: Chunk, blobs: dict[str, bytes]):
    """Run with the chunk's files laid out in a folder of this worker's own; yield where its project folder is there.

    The template packs stay between chunks, in a folder named by their
    content: a font keeps its path, so the PDF writer registers it once per
    worker, not once per chunk (and a pack that changes comes to a new
    folder, never read as the old one). The chunk's own files (outlines,
    figures, bibliographies, master) are removed after it, whatever happens.
    """
    scratch = _scratch()
    if scratch is None:  # not on a worker: a folder for this chunk alone
        with tempfile.TemporaryDirectory(prefix="reportgen-chunk-") as folder:
            yield _laying_out(lambda: materialise(folder, chunk.layout, blobs))
        return
    packs, own = chunk.layout.split(chunk.templates_dir)
    folder = os.path.join(scratch, "reportgen-" + packs.key())
    if not os.path.isdir(folder):
        new = tempfile.mkdtemp(prefix=".reportgen-", dir=scratch)
        _laying_out(lambda: materialise(new, packs, blobs))
        os.rename(new, folder)  # complete, or not there
    written: list[str] = []
    try:
        yield _laying_out(lambda: materialise(folder, own, blobs, written))
    finally:
        for path in written:
            os.unlink(path)


def _laying_out(lay_out) -> str:
    """Return what ``lay_out()`` returns; raise ``OutputError`` (at this worker) if its disk refuses the files."""
    try:
        return lay_out()
    except OSError as exc:
        raise OutputError(Problem(_worker_name(), 0, 0, f"cannot lay out a chunk's files in its scratch folder: {exc}")) from None


@contextlib.contextmanager
def _source_date(epoch: str):
    """Run with ``SOURCE_DATE_EPOCH`` set as on the build's machine (unset for ""), restored after."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    else:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _worker():
    """Return the Dask worker running this code, or None outside one."""
    try:
        from distributed import get_worker

        return get_worker()
    except (ImportError, ValueError):
        return None


def _worker_name() -> str:
    """Return how a message names this worker: its address, or ``dask worker``."""
    worker = _worker()
    return worker.address if worker is not None else "dask worker"


def _scratch() -> str | None:
    """Return the folder a chunk's private folder is made in: the worker's own scratch folder (removed with it), else the system's."""
    worker = _worker()
    return worker.local_directory if worker is not None else None


def _announce(topic: str, key: str) -> None:
    """Tell the build that output ``key`` has rendered (its bytes come with the chunk's result)."""
    worker = _worker()
    if worker is not None and topic:
        worker.log_event(topic, {"key": key})
