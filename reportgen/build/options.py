"""What a build is asked to do (``Options``), and what else decides an output's bytes.

Besides the options, two things outside the outline change what a build
writes: ``SOURCE_DATE_EPOCH`` (the documents' timestamp) and reportgen itself
(its code and its writers' library versions, ``tool_version``). The manifest
records both, so a change to either makes the outputs stale.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .. import __version__
from ..errors import InputError, Problem
from ..writers import DEFAULT_PDF_STANDARD, FORMATS


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
    pdf_standard: str = DEFAULT_PDF_STANDARD  # what the PDFs claim (``writers.PDF_STANDARDS``): ua-1, a-2b, a-3b, or none (untagged)
    dask: str = ""  # render on a Dask cluster: a scheduler address, or local / local:N (``cluster``); "" renders here
    dask_output: str = ""  # where cluster workers put the outputs for this machine to fetch (a shared folder or URL); "" returns their bytes

    def recorded(self) -> dict[str, str]:
        """Return the options that change an output's bytes, as the manifest records them."""
        return {
            "template": self.template,
            "master": self.relative(self.master) if self.master else "",
            "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
            "pdf_standard": self.pdf_standard,
        }

    def relative(self, path: str) -> str:
        """Return ``path`` relative to the project folder (``root``), as the manifest names files."""
        return os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))

    def dep_key(self, path: str) -> str:
        """Return how the manifest names dependency ``path``: ``builtin:briefing/theme.yaml`` for a file of a
        built-in pack (wherever reportgen is installed), else the path relative to ``root``."""
        from ..pack import BUILTIN_DIR

        inside = os.path.relpath(os.path.abspath(path), BUILTIN_DIR)
        if not inside.startswith(".."):
            return BUILTIN_KEY + inside.replace(os.sep, "/")
        return self.relative(path)

    def dep_path(self, key: str) -> str:
        """Return the file a manifest dependency ``key`` names (the inverse of ``dep_key``)."""
        if key.startswith(BUILTIN_KEY):
            from ..pack import BUILTIN_DIR

            return os.path.join(BUILTIN_DIR, *key[len(BUILTIN_KEY) :].split("/"))
        return os.path.join(self.root, key)


BUILTIN_KEY = "builtin:"


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


_VERSION: list[str] = []  # computed once per process


def tool_version() -> str:
    """Return reportgen's version, a fingerprint of its code, and its writers' library versions.

    Any change to reportgen's own code (every ``.py`` file of the package,
    this one's folder included), or to ReportLab, python-pptx or pikepdf
    (which writes the tagged PDFs' bytes), makes every output stale (read
    from package metadata: nothing imported).
    """
    if not _VERSION:
        import hashlib
        from importlib import metadata

        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the reportgen package
        h = hashlib.sha256()
        for folder, dirs, files in sorted(os.walk(here)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    with open(os.path.join(folder, name), "rb") as fh:
                        h.update(name.encode() + b"\0" + fh.read())
        libs = []
        for lib in ("reportlab", "python-pptx", "pikepdf"):
            try:
                libs.append(f"{lib} {metadata.version(lib)}")
            except metadata.PackageNotFoundError:
                libs.append(f"{lib} ?")
        _VERSION.append(f"{__version__}+{h.hexdigest()[:12]} ({', '.join(libs)})")
    return _VERSION[0]
