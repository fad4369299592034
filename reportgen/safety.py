"""Guards against hostile or broken files: images, input sizes, output folder, the build lock.

Everything here runs before anything is written, and imports neither
ReportLab nor python-pptx (Pillow only, and only when an outline has figures).

- **Images** (``check_image``): a figure or logo must be a regular file, a PNG
  or JPEG by content (matching its extension), at most ``MAX_IMAGE_BYTES``
  and ``MAX_IMAGE_PIXELS``, judged from the header alone, so a decompression
  bomb is refused before a pixel is decoded; it is then decoded once (a JPEG
  at 1/8 scale), so a corrupt or truncated one is an input error here rather
  than a writer crash or a broken image in the document.
- **Files read** (``regular_file``): devices, FIFOs and folders are refused,
  so ``/dev/zero`` or a named pipe can never hang a build or fill memory.
- **The build lock** (``BuildLock``): ``build/.reportgen.lock`` holds the pid
  of the build writing into ``build/``; a second build there stops with a
  clear message. A lock whose process is gone is stale and taken over.
- **Output errors** (``output_error``): permissions, a full disk, a read-only
  file system become one line naming the file, exit code 2.
- **Reading within a budget** (``read_limited``): a file reportgen reads but
  did not choose (the manifest, the lock, a planted link) is opened without
  following a link and without blocking, checked to be a regular file of at
  most a given size, and only then read.
- **Temp files** (``temp_name``, ``sweep_temps``): every file reportgen writes
  is first a temp file beside it whose name marks it as reportgen's
  (``.NAME.PID.XXXXXXXX.rgtmp``); a build that was killed leaves such files,
  and the next build in that folder (holding the lock) removes them. Nothing
  else is ever removed.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import stat
import tempfile
import warnings
from functools import lru_cache

from .errors import OutputError, Problem

MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # e.g. 8000 × 5000
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}

LOCK_NAME = ".reportgen.lock"

# errno values that mean "the output cannot be written here", not "reportgen has a bug"
WRITE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ELOOP}
_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and build again",
    errno.EDQUOT: "the disk quota is used up; free some space and build again",
    errno.EFBIG: "the file is too large for this file system",
    errno.EROFS: "the file system is read-only; build into a writable folder (--out DIR)",
    errno.EACCES: "check the folder's permissions, or build into another folder (--out DIR)",
    errno.EPERM: "check the folder's permissions, or build into another folder (--out DIR)",
    errno.EEXIST: "a file of that name is in the way; remove it or build into another folder (--out DIR)",
    errno.ENOTDIR: "a file is in the way where a folder should be; remove it or build into another folder (--out DIR)",
}


class TooLarge(OSError):
    """A file is over the size budget it is read with."""


def read_limited(path: str, limit: int, follow: bool = True) -> bytes:
    """Return the bytes of the regular file at ``path``; raise ``OSError`` if it is not one or is over ``limit`` bytes.

    The file is opened without blocking (a FIFO cannot hang the build) and,
    unless ``follow``, without following a symbolic link at ``path`` (ELOOP);
    its type and size are checked on the open descriptor, so the file read is
    the file checked. ``TooLarge`` (an ``OSError``) says it is over the budget.
    """
    return b"".join(read_chunks(path, limit, follow))


def read_chunks(path: str, limit: int, follow: bool = True):
    """Yield the bytes of the regular file at ``path`` in chunks, checked as ``read_limited`` says."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        if st.st_size > limit:
            raise TooLarge(errno.EFBIG, f"over the {limit:,}-byte limit", path)
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                return
            left -= len(chunk)
            if left <= 0:  # it grew while being read
                raise TooLarge(errno.EFBIG, f"over the {limit:,}-byte limit", path)
            yield chunk
    finally:
        os.close(fd)


TEMP_SUFFIX = ".rgtmp"
# ".summit.pdf.1234.k3j_x9a2.rgtmp" (this version), ".summit.pdf.k3j_x9a2.tmp" (earlier ones),
# "reportgen-manifest.json.tmp" (earlier manifests): names only reportgen gives.
_TEMP = re.compile(r"^\.[^/\\]+\.\d+\.[A-Za-z0-9_]{8}\.rgtmp$|^\.[^/\\]+\.(?:pdf|pptx|json)\.[a-z0-9_]{8}\.tmp$|^reportgen-manifest\.json\.tmp$")


def temp_file(final: str) -> str:
    """Create a new, empty temp file beside ``final`` that only this process opened; return its path.

    Created exclusively (``O_EXCL``: a link planted at the name makes it fail,
    never followed), named ``.NAME.PID.XXXXXXXX.rgtmp`` so that a build can
    recognise what an earlier, killed build left (``sweep_temps``).
    """
    folder = os.path.dirname(final) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(final)}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=folder)
    os.close(fd)
    return tmp


def is_temp_name(name: str) -> bool:
    """Return True if ``name`` (a file name, no folder) is one reportgen gives its temp files."""
    return bool(_TEMP.match(name))


def sweep_temps(folder: str) -> list[str]:
    """Remove the temp files an earlier build left in ``folder``; return their paths.

    Call it only while holding the folder's build lock: no other build can
    be writing there then. Only regular files directly in ``folder`` whose
    names are reportgen's temp names are removed; a link or folder of such a
    name, and every other file, is left alone.
    """
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        if not is_temp_name(name):
            continue
        path = os.path.join(folder, name)
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                os.unlink(path)
                removed.append(path)
        except OSError:
            pass
    return removed


def regular_file(path: str) -> str | None:
    """Return why ``path`` cannot be read as an input file, or None if it is a regular file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot read the file: {exc.strerror}"
    if stat.S_ISDIR(st.st_mode):
        return "the path is a folder, not a file"
    if not stat.S_ISREG(st.st_mode):
        return "the path is not a regular file (a device, pipe or socket); reportgen reads only regular files"
    return None


def check_image(path: str, shown: str) -> str | None:
    """Return what is wrong with the image at ``path`` (named ``shown`` in the message), or None."""
    try:
        st = os.stat(path)
    except OSError:
        return f"image {shown!r} not found"
    return _check_image(path, shown, st.st_size, st.st_mtime_ns, st.st_mode)


@lru_cache(maxsize=256)
def _check_image(path: str, shown: str, size: int, _mtime: int, mode: int) -> str | None:
    if not stat.S_ISREG(mode):
        return f"image {shown!r} is not a regular file (a device, pipe or folder)"
    if size > MAX_IMAGE_BYTES:
        return f"image {shown!r} is {size / 1048576:.0f} MB, over the {MAX_IMAGE_BYTES // 1048576} MB limit; make it smaller"
    if size == 0:
        return f"image {shown!r} is empty"
    expected = IMAGE_FORMATS.get(os.path.splitext(path)[1].lower())
    if expected is None:
        return f"image {shown!r} is not a PNG or JPEG file (expected .png, .jpg or .jpeg)"
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:  # reads the header only
                fmt, (w, h) = im.format, im.size
                if fmt not in ("PNG", "JPEG"):
                    return f"image {shown!r} is a {fmt} image; use PNG or JPEG"
                if fmt != expected:
                    return f"image {shown!r} holds a {fmt} image but is named .{os.path.splitext(path)[1][1:]}; rename it to match"
                if w * h > MAX_IMAGE_PIXELS:
                    return f"image {shown!r} is {w} × {h} pixels, over the limit of {MAX_IMAGE_PIXELS:,}; scale it down"
                if w <= 0 or h <= 0:
                    return f"image {shown!r} has no pixels ({w} × {h})"
                if fmt == "JPEG":  # decoded at 1/8 scale: every byte of the scan is still read, at a fraction of the memory
                    im.draft(im.mode, (max(1, w // 8), max(1, h // 8)))
                im.load()  # decode once: a corrupt or truncated image is found here, not in a writer or a viewer
    except Image.DecompressionBombError:
        return f"image {shown!r} is too large to decode safely (a decompression bomb?); scale it down"
    except UnidentifiedImageError:
        return f"image {shown!r} is not a readable image (corrupt, or not a PNG or JPEG)"
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        return f"image {shown!r} is corrupt or truncated ({exc})"
    return None


def output_error(path: str, exc: OSError, doing: str = "write") -> OutputError:
    """Return an ``OutputError`` saying plainly why ``path`` could not be written."""
    advice = _ADVICE.get(exc.errno or 0, "")
    what = exc.strerror or str(exc)
    return OutputError(Problem(path, 0, 0, f"cannot {doing}: {what}" + (f"; {advice}" if advice else "") + "; the previous outputs are untouched"))


def is_write_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS


class BuildLock:
    """``build/.reportgen.lock``: one build at a time writes into a folder."""

    def __init__(self, folder: str):
        self.folder = folder
        self.path = os.path.join(folder, LOCK_NAME)
        self.held = False
        self.created = False  # the folder did not exist before this lock made it

    def __enter__(self) -> "BuildLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def _mine(self) -> str:
        return f"{os.getpid()} {socket.gethostname()}\n"

    def acquire(self) -> None:
        try:
            self.created = not os.path.isdir(self.folder)
            os.makedirs(self.folder, exist_ok=True)
        except OSError as exc:
            raise output_error(self.folder, exc, "create the output folder") from None
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                pid = self._holder()
                if pid is not None:
                    raise OutputError(
                        Problem(self.folder, 0, 0, f"another reportgen build is running in {self.folder}/ (pid {pid}); wait for it to finish, or delete {self.path} if it is not running")
                    ) from None
                try:  # stale: its process is gone
                    os.unlink(self.path)
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    raise output_error(self.path, exc, "remove a stale lock") from None
                continue
            except OSError as exc:
                raise output_error(self.folder, exc, "write in the output folder") from None
            try:
                os.write(fd, self._mine().encode())
            except OSError as exc:
                os.close(fd)
                os.unlink(self.path)
                raise output_error(self.folder, exc, "write in the output folder") from None
            os.close(fd)
            self.held = True
            return
        raise OutputError(Problem(self.folder, 0, 0, f"cannot take the build lock {self.path}; delete it if no build is running"))

    def _holder(self) -> int | None:
        """Return the pid of a live build holding the lock, or None if the lock is stale."""
        try:  # a link, FIFO or huge file planted as the lock is not a build's lock: stale
            parts = read_limited(self.path, 200, follow=False).decode("utf-8", "replace").split()
        except FileNotFoundError:
            return None
        except PermissionError:
            return -1
        except OSError:
            return None
        if not parts or not (parts[0].isascii() and parts[0].isdigit() and len(parts[0]) <= 9):
            return None  # not a pid reportgen writes: a build killed while writing it, or a planted file
        pid = int(parts[0])
        host = parts[1] if len(parts) > 1 else ""
        if host and host != socket.gethostname():
            return pid  # another machine's build: cannot check it, so respect it
        if pid == os.getpid() or pid <= 0:
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid  # alive, another user's
        return pid

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        try:
            if read_limited(self.path, 200, follow=False).decode("utf-8", "replace") != self._mine():
                return
            os.unlink(self.path)
        except OSError:
            pass

    def remove_folder_if_new(self) -> None:
        """Remove the build folder if this lock created it and it is empty (call after ``release``)."""
        if self.created:
            try:
                os.rmdir(self.folder)
            except OSError:
                pass
