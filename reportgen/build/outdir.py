"""The build folder: taking its lock, writing into it atomically, and pruning it.

Every file a build writes is first a temp file beside its final name
(``stage``), renamed into place only when complete (``commit``) or removed
(``discard``); nothing is ever written through a link. Only one build at a
time writes into a folder (``open_out_dir`` takes the lock and sweeps what a
killed build left), and ``prune`` removes only what reportgen wrote.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import InputError, OutputError, Problem
from ..log import Event, Reporter
from ..manifest import Entry, Manifest, file_hash, is_output_name

if TYPE_CHECKING:
    from ..safety import BuildLock

STAGED: set[str] = set()  # temp files this process is writing now (removed if the process is told to stop)


def stage(final: str, render: Callable[[str], list], strict: bool = False) -> tuple[str, list]:
    """Return (temp path, warnings) after running ``render(tmp)`` on a new temp file beside ``final``.

    On any failure (or, when ``strict``, any warning) the temp file is removed.
    ``final`` is not touched: ``commit`` renames the temp file into place.
    """
    from ..safety import is_write_error, output_error, temp_file

    try:
        tmp = temp_file(final)
    except OSError as exc:
        raise output_error(final, exc) from None
    STAGED.add(tmp)
    try:
        warnings = render(tmp) or []
        if strict and warnings:
            raise InputError([w.as_error() if isinstance(w, Problem) else Problem(final, 0, 0, f"{w} (an error under --strict)") for w in warnings])
        os.chmod(tmp, 0o644)
    except BaseException as exc:
        discard(tmp)
        STAGED.discard(tmp)
        if is_write_error(exc) and getattr(exc, "filename", None) in (None, tmp, final):  # full disk, permissions
            raise output_error(final, exc) from None  # type: ignore[arg-type]
        raise
    STAGED.discard(tmp)
    return tmp, warnings


def commit(tmp: str, final: str) -> None:
    """Rename the staged ``tmp`` onto ``final`` (a symlink there is replaced, never written through)."""
    from ..safety import output_error

    try:
        os.replace(tmp, final)
    except OSError as exc:
        discard(tmp)
        raise output_error(final, exc) from None


def discard(tmp: str) -> None:
    """Remove the temp file ``tmp`` (it may already be gone)."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_atomic(final: str, render: Callable[[str], list], strict: bool = False) -> list:
    """Return the warnings of ``render(tmp)`` run on a temp file beside ``final``, renamed into place after.

    On any failure (or, when ``strict``, any warning) the temp file is
    removed and ``final`` is left exactly as it was.
    """
    tmp, warnings = stage(final, render, strict)
    commit(tmp, final)
    return warnings


def open_out_dir(outputs: list[str], out_dir: str) -> BuildLock:
    """Return the build lock on ``out_dir``, held (the folder is created if need be); the caller releases it.

    Sweeps the temp files a killed build left there, then raises one
    ``OutputError`` (lock released, a folder it created removed) if any of
    ``outputs`` is a link, a folder or a device.
    """
    from ..safety import BuildLock, sweep_temps

    lock = BuildLock(out_dir)
    lock.acquire()
    sweep_temps(out_dir)  # what a killed build left: no other build writes here while we hold the lock
    problems = [p for p in (in_the_way(path) for path in outputs) if p is not None]
    if problems:
        lock.release()
        lock.remove_folder_if_new()
        raise OutputError(problems)
    return lock


def in_the_way(path: str) -> Problem | None:
    """Return why the output at ``path`` cannot be replaced (a link, a folder, a device), or None."""
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


def save_manifest(manifest: Manifest) -> None:
    """Write ``manifest``; raise ``OutputError`` saying why if it cannot be written."""
    from ..safety import output_error

    try:
        manifest.save()
    except OSError as exc:
        raise output_error(manifest.path, exc) from None


def prune(key: str, entry: Entry, out_dir: str, reporter: Reporter) -> None:
    """Remove the orphaned output ``key`` if it is still exactly the file reportgen wrote.

    Only a regular file directly in the build folder, under a name a manifest
    may hold (``is_output_name``), whose content hashes to what the manifest
    recorded, is removed; anything else is left where it is and said so.
    """
    out_path = os.path.join(out_dir, key)
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
