"""Handing a cluster worker's output to the build's machine through a shared place (``--dask-output``).

By default a worker returns each output's bytes with its chunk's result.
With ``--dask-output LOCATION`` (a folder both see, or an fsspec URL such as
``s3://bucket/prefix``) it writes them there instead, each written whole or
not at all: to a temp file renamed into place in a folder, one upload (an
object store's writes are atomic) at a URL. Each build uses a folder of its
own there (``reportgen-<id>``), which the build's machine removes once it has
read (and checked the hash of) every output.
"""

from __future__ import annotations

import os
import shutil
from typing import BinaryIO


def is_url(location: str) -> bool:
    """Return True if ``location`` is a URL (``scheme://...``) rather than a folder."""
    return "://" in location and not location.startswith("file://")


def _folder(location: str) -> str:
    """Return the folder a non-URL ``location`` names."""
    return location.removeprefix("file://")


def build_location(location: str, build_id: str) -> str:
    """Return the place inside ``location`` that one build's outputs go to."""
    return location.rstrip("/") + "/reportgen-" + build_id


def put(where: str, name: str, data: bytes) -> str:
    """Return the location ``data`` was written to: ``where/name``, written atomically."""
    if is_url(where):
        import fsspec

        fs, path = fsspec.core.url_to_fs(where)
        fs.pipe_file(path + "/" + name, data)
        return where + "/" + name
    from .outdir import write_atomic

    folder = _folder(where)
    os.makedirs(folder, exist_ok=True)
    final = os.path.join(folder, name)

    def write(tmp: str) -> list:
        with open(tmp, "wb") as fh:
            fh.write(data)
        return []

    write_atomic(final, write)
    return final


def copy_to(location: str, dest: BinaryIO) -> None:
    """Copy the output a worker put at ``location`` into the open file ``dest``."""
    if is_url(location):
        import fsspec

        with fsspec.open(location, "rb") as src:
            shutil.copyfileobj(src, dest, 1 << 20)
        return
    with open(_folder(location), "rb") as src:
        shutil.copyfileobj(src, dest, 1 << 20)


def clear(where: str) -> None:
    """Remove one build's place ``where`` and everything in it (it may not exist)."""
    try:
        if is_url(where):
            import fsspec

            fs, path = fsspec.core.url_to_fs(where)
            if fs.exists(path):
                fs.rm(path, recursive=True)
        else:
            shutil.rmtree(_folder(where), ignore_errors=True)
    except (OSError, ImportError):  # left behind at worst: it holds nothing the build still needs
        pass
