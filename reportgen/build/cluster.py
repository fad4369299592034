"""Rendering a build's stale outputs on a Dask cluster (``--dask ADDRESS``): another executor of the same plan.

The build plans, loads and composes every stale output on its own machine
first, exactly as for ``--jobs`` (so bad input stops it before anything is
sent), then cuts the outlines into chunks (``chunk_size``) and sends a few per
worker at a time: each with its files by content hash (``shipping``), built on
a worker by ``chunks.build_chunk``. What comes back is staged here, beside its
final name in the build folder, exactly like a locally rendered output:
``run`` commits all of them or none.

The same guarantees as a local build:

- the same bytes: a worker's manifest entry for each output (hashes of every
  file it read, options, reportgen's version) must equal the build's own, and
  the bytes received must hash to what the worker wrote;
- a worker that dies is replaced by Dask, which runs its chunk again
  elsewhere (up to ``distributed.scheduler.allowed-failures`` deaths per
  chunk); a chunk that cannot finish fails the build, and ``run`` then
  replaces nothing;
- progress per output as the workers render them (``RENDERED_ELSEWHERE``);
- Ctrl-C or SIGTERM cancels every task of the build; a cluster started here
  (``local:N``) is shut down with it.

``distributed`` is imported only when a build renders on a cluster.
"""

from __future__ import annotations

import math
import queue
import re
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import InputError, OutputError, Problem, ReportgenError
from ..manifest import Entry, file_hash
from .outdir import discard, stage
from .workers import RENDERED_ELSEWHERE, Rendered

if TYPE_CHECKING:
    from .chunks import Shipped
    from .planning import Target
    from .session import BuildSession

LOCAL = "local"
MAX_CHUNK = 200  # outlines in one chunk at most: a lost chunk costs little to run again
CHUNKS_PER_WORKER = 4  # a build is cut into this many chunks per worker when it has the outlines, so no worker waits for a slow one
IN_FLIGHT_PER_WORKER = 2  # chunks sent ahead per worker: the cluster holds the files of only these at once
CONNECT_TIMEOUT = "30s"
WORKER_WAIT = 60  # seconds to wait for a scheduler's first worker

_LOCAL = re.compile(r"^local(?::([1-9][0-9]{0,3}))?$")
_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://[^\s/]+|[^\s:/]+:[0-9]{1,5})/?$")


def dask_target(address: str) -> tuple[str, int]:
    """Return (``LOCAL``, N) for ``local:N`` (N 0 for plain ``local``: one worker per usable CPU), or ("scheduler", address).

    Raise ``ValueError`` saying what is expected for anything else.
    """
    m = _LOCAL.match(address)
    if m:
        return LOCAL, int(m.group(1) or 0)
    if _ADDRESS.match(address) and not address.startswith(LOCAL + ":"):
        return "scheduler", address
    raise ValueError(f"expected a Dask scheduler's address (tcp://HOST:8786), local, or local:N (N worker processes on this machine), got {address!r}")


def require_dask(flag: str = "--dask") -> None:
    """Raise ``InputError`` saying what to install if Dask's distributed scheduler is not installed."""
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        raise InputError(f"{flag} needs Dask's distributed scheduler, which is not installed: pip install 'reportgen[dask]' (or build on this machine with --jobs N)")


def chunk_size(outlines: int, workers: int) -> int:
    """Return how many outlines go in one chunk: ``CHUNKS_PER_WORKER`` chunks per worker where there are the outlines, never over ``MAX_CHUNK``."""
    return max(1, min(MAX_CHUNK, math.ceil(outlines / (max(1, workers) * CHUNKS_PER_WORKER))))


def render_on_cluster(targets: list[Target], session: BuildSession) -> Iterator[tuple[int, Any]]:
    """Yield (index of the target, ``RENDERED_ELSEWHERE``, then its ``Rendered`` staged here or the exception that stopped it), as workers finish.

    Each target is announced once when a worker reports it rendered, and
    given its result when its chunk comes back. A chunk that fails as a whole
    (its worker died too often, the cluster went away, the worker refused it)
    gives every one of its targets that failure, and no further chunk is sent.
    Closing the iterator (Ctrl-C) cancels what is still running.
    """
    if not targets:
        return
    import dask

    from .handoff import build_location, clear

    opts = session.opts
    build_id = uuid.uuid4().hex[:16]
    output = build_location(opts.dask_output, build_id) if opts.dask_output else ""
    topic = "reportgen-" + build_id
    events: queue.Queue = queue.Queue()
    index = {t.key: i for i, t in enumerate(targets)}
    pending: dict[Any, tuple[int, list[int]]] = {}  # chunk future → (its number, its targets)
    announced: set[int] = set()
    client = cluster = None
    try:
        client, cluster = _connect(opts.dask)
        sender = _Sender(client, session, targets, build_id, topic, output)
        client.subscribe_topic(topic, lambda event: events.put(("rendered", event[1])))
        workers = max(1, len(client.nthreads()))
        size = chunk_size(len({t.input for t in targets}), workers)
        todo = iter(_chunks(targets, size))

        def send_next() -> None:
            part = next(todo, None)
            if part is not None:
                n, fut = sender.send(part)
                pending[fut] = (n, part)
                fut.add_done_callback(lambda f: events.put(("done", f)))

        with dask.config.set({"distributed.admin.large-graph-warning-threshold": "64GiB"}):  # files go as data, on purpose
            for _ in range(workers * IN_FLIGHT_PER_WORKER):
                send_next()
            while pending:
                kind, item = _next(events)
                if kind == "rendered":
                    i = index.get(item.get("key")) if isinstance(item, dict) else None
                    if i is not None and i not in announced:
                        announced.add(i)
                        yield i, RENDERED_ELSEWHERE
                    continue
                if item not in pending:
                    continue
                n, part = pending.pop(item)
                for i, result in _outcomes(item, part, targets, opts.dask):
                    announced.add(i)
                    yield i, result
                if item.status != "finished":
                    return  # the build fails; what is still running is cancelled below
                send_next()
                sender.release(n)  # (after sending the next: files it shares with this one are not sent again)
    finally:
        _close(client, cluster, list(pending), topic)
        if output:
            clear(output)


def _next(events: queue.Queue) -> tuple[str, Any]:
    """Return the next event of the build (waiting in short steps, so that Ctrl-C is seen at once)."""
    while True:
        try:
            return events.get(timeout=0.5)
        except queue.Empty:
            continue


def _chunks(targets: list[Target], size: int) -> list[list[int]]:
    """Return the targets' indices cut into chunks of ``size`` outlines (the outputs of one outline stay together)."""
    by_outline: dict[str, list[int]] = {}
    for i, t in enumerate(targets):
        by_outline.setdefault(t.input, []).append(i)
    groups = list(by_outline.values())
    return [[i for group in groups[k : k + size] for i in group] for k in range(0, len(groups), size)]


def _connect(address: str):
    """Return (client, cluster): a client of the scheduler at ``address`` (cluster None), or of a ``LocalCluster`` started here for ``local:N``.

    Raise ``OutputError`` at the address if there is no scheduler there, or it has no worker.
    """
    import logging

    from distributed import Client, LocalCluster

    from .workers import usable_cpus

    kind, n = dask_target(address)
    client = cluster = None
    try:
        if kind == LOCAL:
            cluster = LocalCluster(n_workers=n or usable_cpus(), threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL)
            return Client(cluster, set_as_default=False), cluster
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        client.wait_for_workers(1, timeout=WORKER_WAIT)
        return client, None
    except (OSError, TimeoutError) as exc:
        _close(client, cluster, [], "")
        what = "has no worker" if client is not None else "cannot be reached"
        raise OutputError(Problem(address, 0, 0, f"the Dask scheduler {what}: {exc or type(exc).__name__}; nothing was built, the previous outputs are untouched")) from None


def _close(client, cluster, running: list, topic: str) -> None:
    """Cancel the ``running`` chunks, stop listening to ``topic``, and close the client (and the cluster started here, if any)."""
    try:
        if client is not None:
            if running:
                client.cancel(running, force=True)
            if topic:
                client.unsubscribe_topic(topic)
            client.close()
    except Exception:  # the connection may already be gone: nothing of the build is left to save there
        pass
    if cluster is not None:
        try:
            cluster.close()
        except Exception:
            pass


class _Sender:
    """Sends chunks: each file's content once per build, by hash, held on the cluster while a chunk in flight needs it."""

    def __init__(self, client, session: BuildSession, targets: list[Target], build_id: str, topic: str, output: str):
        from .options import source_date_epoch, tool_version

        self.client, self.session, self.targets = client, session, targets
        self.build_id, self.topic, self.output = build_id, topic, output
        self.version = tool_version()
        epoch = source_date_epoch()
        self.epoch = "" if epoch is None else str(epoch)
        self.cache: dict[str, str] = {}  # path → hash, taken once per build
        self.files: dict[str, Any] = {}  # hash → the future holding its content
        self.users: dict[str, set[int]] = {}  # hash → the chunks in flight that read it
        self.chunks: dict[int, list[str]] = {}  # chunk → the hashes it reads
        self.sent = 0

    def send(self, part: list[int]) -> tuple[int, Any]:
        """Return (the chunk's number, its future): the chunk of targets ``part``, sent with every file it reads."""
        from .chunks import Chunk, build_chunk
        from .shipping import Layout, blob_key, chunk_files, held, read_blob, relative_to

        opts = self.session.opts
        ts = [self.targets[i] for i in part]
        files = chunk_files(ts, self.session, self.cache)
        layout = Layout.of(files, opts.root, (opts.templates_dir, opts.master))
        n = self.sent
        self.sent += 1
        self.chunks[n] = sorted(set(files.values()))
        blobs = {}
        for path, digest in files.items():
            if digest not in self.files:
                self.files[digest] = self.client.submit(held, read_blob(path, digest), key=blob_key(digest))
            self.users.setdefault(digest, set()).add(n)
            blobs[digest] = self.files[digest]
        chunk = Chunk(
            targets=tuple((relative_to(t.input, opts.root), t.format) for t in ts),
            layout=layout,
            templates_dir=relative_to(opts.templates_dir, opts.root),
            master=relative_to(opts.master, opts.root) if opts.master else "",
            formats=tuple(opts.formats),
            template=opts.template,
            default_template=opts.default_template,
            strict=opts.strict,
            pdf_standard=opts.pdf_standard,
            epoch=self.epoch,
            version=self.version,
            topic=self.topic,
            output=self.output,
            root=opts.root,
            out_dir=opts.out_dir,
        )
        return n, self.client.submit(build_chunk, chunk, blobs, key=f"reportgen-chunk-{self.build_id}-{n}")

    def release(self, n: int) -> None:
        """Let the cluster drop the files no chunk in flight reads any more, now that chunk ``n`` is back."""
        for digest in self.chunks.pop(n, ()):
            users = self.users[digest]
            users.discard(n)
            if not users:
                del self.users[digest]
                del self.files[digest]  # its last future: the cluster forgets the content


def _outcomes(fut, part: list[int], targets: list[Target], address: str) -> list[tuple[int, Any]]:
    """Return (index, ``Rendered`` staged here or the exception) for each target of the chunk whose future ``fut`` is done."""
    if fut.status == "finished":
        done: dict[str, Shipped | Exception] = fut.result()
        out = []
        for i in part:
            t = targets[i]
            shipped = done.get(t.key)
            if shipped is None:
                out.append((i, OutputError(Problem(t.output, 0, 0, "the worker returned no output for it; the previous outputs are untouched"))))
            elif isinstance(shipped, Exception):
                out.append((i, shipped))
            else:
                out.append((i, _staged(t, shipped)))
        return out
    failure = _failure(fut, part, targets, address)
    return [(i, failure) for i in part]


def _failure(fut, part: list[int], targets: list[Target], address: str) -> Exception:
    """Return why the chunk of ``part`` failed as a whole: its own error (bad input, a worker's other reportgen), or the cluster's as an ``OutputError``."""
    from distributed import KilledWorker

    first = targets[part[0]].input
    what = f"the chunk of {len({targets[i].input for i in part})} outline(s) from {first}"
    if fut.status == "cancelled":
        return OutputError(Problem(address, 0, 0, f"the cluster dropped {what} (the scheduler went away or lost this client); the previous outputs are untouched"))
    exc = fut.exception()
    if isinstance(exc, KilledWorker):
        return OutputError(Problem(address, 0, 0, f"workers died running {what}, too often to try again (a worker may need more memory); the previous outputs are untouched"))
    return exc  # bad input found there, a worker running another reportgen, or a bug (exit 1)


def _staged(t: Target, shipped: Shipped) -> Rendered | Exception:
    """Return the ``Rendered`` temp file beside ``t``'s output holding the bytes a worker made, or why they cannot be used."""
    from .handoff import copy_to

    assert t.entry is not None
    differs = _differs(t.entry, shipped.entry)
    if differs:
        return OutputError(Problem(t.output, 0, 0, f"a worker made it from other inputs than this build planned ({differs}): install the same reportgen and libraries on every worker; the previous outputs are untouched"))

    def write(tmp: str) -> list:
        with open(tmp, "wb") as fh:
            if shipped.location:
                copy_to(shipped.location, fh)
            else:
                fh.write(shipped.data)
        return []

    try:
        tmp, _ = stage(t.output, write)
    except (ReportgenError, OSError) as exc:
        return exc
    if file_hash(tmp) != shipped.output_hash:
        discard(tmp)
        return OutputError(Problem(t.output, 0, 0, "the bytes received are not the ones the worker wrote (damaged on the way); the previous outputs are untouched"))
    return Rendered(shipped.warnings, shipped.seconds, shipped.output_hash, tmp)


def _differs(planned: Entry, made: Entry) -> str:
    """Return what differs between the manifest entry the build planned and the one a worker made ("" when nothing that decides the bytes does)."""
    from ..manifest import describe_dep

    what = [name for name in ("version", "input", "input_hash", "format", "options") if getattr(planned, name) != getattr(made, name)]
    what += [describe_dep(dep) for dep in sorted(set(planned.deps) | set(made.deps)) if planned.deps.get(dep) != made.deps.get(dep)]
    return ", ".join(what)
