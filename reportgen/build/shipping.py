"""What a chunk of outlines reads, sent to cluster workers by content hash and laid out again there.

The build's own machine names every file a chunk's outputs are made from:
each outline, every file its manifest entry records (templates, theme, fonts,
logo or slide master, figures, bibliographies) and every file of the
project's template packs the outlines use (their strings, and templates named
only at run time). A file travels as its content, once per build whatever
the number of chunks reading it, under its SHA-256 (``blob_key``), and is
named in a chunk by its path relative to the project folder (``Layout``). A
worker writes the chunk's files into a private folder of its own, each
checked against its hash (``materialise``), and builds there: no worker reads
this machine's folders, nor needs a folder shared with it.

The built-in packs' files are not sent: every worker has its own reportgen,
and the manifest entry it returns for each output records the hash of each
built-in file it read, which the build compares with its own.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputError, Problem
from ..manifest import MAX_HASHED, file_hash
from .options import BUILTIN_KEY

if TYPE_CHECKING:
    from .planning import Target
    from .session import BuildSession


def chunk_files(targets: list[Target], session: BuildSession, cache: dict[str, str]) -> dict[str, str]:
    """Return {absolute path: ``sha256:...``} of every file the outputs ``targets`` are made from (built-in pack files left out).

    ``cache`` holds the hashes already taken (the plan's), so each file is
    hashed once per build.
    """
    from ..pack import BUILTIN_DIR

    opts = session.opts
    files: dict[str, str] = {}
    packs: set[str] = set()
    for t in targets:
        assert t.entry is not None, "a stale target is planned with its manifest entry"
        files[os.path.abspath(t.input)] = t.input_hash
        for key, digest in t.entry.deps.items():
            if digest and not key.startswith(BUILTIN_KEY):  # (a file recorded as missing is not read)
                files[os.path.abspath(opts.dep_path(key))] = digest
        pack = session.load(t.input).pack
        packs.update(f for f in (pack.folder, pack.base) if f and not _inside(f, BUILTIN_DIR))
    for folder in sorted(packs):
        for path in _regular_files(folder):
            digest = file_hash(path, cache)
            if digest:
                files.setdefault(path, digest)
    return files


def _inside(path: str, folder: str) -> bool:
    """Return True if ``path`` is ``folder`` or inside it."""
    return not os.path.relpath(os.path.abspath(path), os.path.abspath(folder)).startswith("..")


def _regular_files(folder: str) -> list[str]:
    """Return the absolute paths of the regular files in ``folder`` and its sub-folders (links neither followed nor listed)."""
    found: list[str] = []
    for here, dirs, names in os.walk(os.path.abspath(folder)):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(here, name)
            try:
                if stat.S_ISREG(os.lstat(path).st_mode):
                    found.append(path)
            except OSError:
                pass
    return found


@dataclass(frozen=True)
class Layout:
    """Where files stand relative to the project folder, as a worker lays them out again.

    ``files`` maps each path relative to the project folder (``/``-separated;
    it starts with ``..`` for a file outside it) to its content hash. So that
    such a file stays inside the worker's folder, the project folder is laid
    out as ``tail``, the last ``len(tail)`` folder names of its real path,
    one for each ``..`` the paths climb.
    """

    files: dict[str, str]
    tail: tuple[str, ...] = ()

    @classmethod
    def of(cls, files: dict[str, str], root: str, others: tuple[str, ...] = ()) -> Layout:
        """Return the layout of ``files`` ({absolute path: hash}) relative to the folder ``root``; ``others`` are
        further paths (a templates folder, a master) a worker is told of, which must stay inside its folder too."""
        root = os.path.abspath(root)
        rel = {relative_to(path, root): digest for path, digest in files.items()}
        climbs = [_climb(r) for r in [*rel, *(relative_to(p, root) for p in others if p)]]
        depth = max(climbs, default=0)
        tail = tuple(root.split(os.sep)[len(root.split(os.sep)) - depth :]) if depth else ()
        return cls(rel, tail)

    def split(self, folder: str) -> tuple[Layout, Layout]:
        """Return (the files inside ``folder``, relative to the project folder, the others), each a layout of its own."""
        inside = folder.rstrip("/") + "/"
        mine = {rel: d for rel, d in self.files.items() if rel.startswith(inside)}
        return Layout(mine, self.tail), Layout({rel: d for rel, d in self.files.items() if rel not in mine}, self.tail)

    def key(self) -> str:
        """Return a name for this layout's content: the same files at the same places, the same name."""
        h = hashlib.sha256("/".join(self.tail).encode() + b"\0")
        for rel, digest in sorted(self.files.items()):
            h.update(rel.encode() + b"\0" + digest.encode() + b"\0")
        return h.hexdigest()[:24]

    def root_in(self, folder: str) -> str:
        """Return where the project folder is laid out inside ``folder``."""
        return os.path.join(folder, *self.tail)

    def place(self, folder: str, rel: str) -> str:
        """Return where the file at ``rel`` (relative to the project folder) goes inside ``folder``; raise ``ValueError`` outside it."""
        path = os.path.normpath(os.path.join(self.root_in(folder), *rel.split("/")))
        if not path.startswith(os.path.abspath(folder) + os.sep):
            raise ValueError(f"{rel!r} would lie outside the chunk's folder")
        return path


def relative_to(path: str, root: str) -> str:
    """Return ``path`` relative to the folder ``root``, ``/``-separated, as a chunk names its files."""
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")


def _climb(rel: str) -> int:
    """Return how many folders up the relative path ``rel`` starts by going (its leading ``..``)."""
    parts = rel.split("/")
    return next((i for i, part in enumerate(parts) if part != ".."), len(parts))


def blob_key(digest: str) -> str:
    """Return the cluster's name for the content whose hash is ``digest`` (``sha256:...``)."""
    return "reportgen-file-" + digest.removeprefix("sha256:")


def read_blob(path: str, digest: str) -> bytes:
    """Return the content of the file at ``path``; raise ``InputError`` if it no longer hashes to ``digest`` (it changed since the plan)."""
    from ..safety import read_limited

    try:
        data = read_limited(path, MAX_HASHED)
    except OSError as exc:
        raise InputError(Problem(path, 0, 0, f"cannot read it to send it to the cluster: {exc.strerror or exc}")) from None
    if _digest(data) != digest:
        raise InputError(Problem(path, 0, 0, "changed while the build ran (its content is not what the build planned with); build again"))
    return data


def held(data: bytes) -> bytes:
    """Return ``data``: the task that holds one file's content on the cluster (recomputed from it if a worker holding it dies)."""
    return data


def materialise(folder: str, layout: Layout, blobs: dict[str, bytes], written: list[str] | None = None) -> str:
    """Return where the project folder is laid out in ``folder``, once every file of ``layout`` is written there (as a new file).

    Each file's content is taken from ``blobs`` (hash → bytes) and checked
    against its hash first: a file damaged on its way is an error, never a
    different document. Each path written is appended to ``written``, so
    that the caller can remove them whatever happens.
    """
    os.makedirs(layout.root_in(folder), exist_ok=True)
    for rel, digest in layout.files.items():
        data = blobs[digest]
        if _digest(data) != digest:
            raise OSError(f"{rel}: the content received does not match its hash {digest}")
        path = layout.place(folder, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "xb") as fh:
            if written is not None:
                written.append(path)
            fh.write(data)
    return layout.root_in(folder)


def _digest(data: bytes) -> str:
    """Return ``sha256:<hex>`` of ``data``, as ``manifest.file_hash`` names a file's content."""
    return "sha256:" + hashlib.sha256(data).hexdigest()
