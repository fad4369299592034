"""A font file read whole, but only a regular file within ``MAX_FONT_BYTES``, judged before a byte is read."""

from __future__ import annotations

import os
import stat

from .tables import FontError

MAX_FONT_BYTES = 64 * 1024 * 1024


def read_font(path: str) -> tuple[bytes, tuple[int, int]]:
    """Return the bytes of the font file at ``path`` and its (size, mtime_ns); raise FontError if it is not a regular file or too large.

    The type and size come from ``stat`` before the file is opened, and from
    ``fstat`` after (it may have been swapped), so neither a device, a pipe
    nor a multi-gigabyte file is ever read. The (size, mtime_ns) returned are
    those of the file the bytes came from.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FontError("does not exist (no such file)", path) from None
    except OSError as exc:
        raise FontError(f"cannot be read ({exc.strerror})", path) from None
    _check_stat(st, path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FontError(f"cannot be read ({exc.strerror})", path) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        _check_stat(st, path)
        try:
            data = fh.read(st.st_size + 1)  # one more: a file that grew since is caught below
        except OSError as exc:
            raise FontError(f"cannot be read ({exc.strerror})", path) from None
    if len(data) > MAX_FONT_BYTES:
        raise FontError(f"is over the limit of {MAX_FONT_BYTES // 1048576} MB for a font file", path)
    return data, (st.st_size, st.st_mtime_ns)


def _check_stat(st: os.stat_result, path: str) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise FontError("is a folder, not a file", path)
    if not stat.S_ISREG(st.st_mode):
        raise FontError("is not a regular file (a device, pipe or socket); fonts are read only from regular files", path)
    if st.st_size > MAX_FONT_BYTES:
        raise FontError(f"is {st.st_size:,} bytes, over the limit of {MAX_FONT_BYTES // 1048576} MB for a font file", path)
    if st.st_size == 0:
        raise FontError("is empty (0 bytes)", path)
