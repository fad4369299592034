"""The build manifest: what each output was made from, by content hash.

``build/reportgen-manifest.json`` records, per output, the hash of its outline,
of every pack file and asset it read, the options and the reportgen version,
and the hash of the output itself. A build compares these with the files as
they are now; file times are never looked at.

The manifest lives in a folder others may write (a restored CI cache, a
shared drive), so it is read as hostile input: a regular file (not a link,
FIFO or device) of at most ``MAX_BYTES``, JSON of bounded depth, each entry
checked field by field. An entry whose key is not a plain output file name
(``NAME.pdf`` / ``NAME.pptx``, no folder) or whose fields have the wrong
types is damage: it is dropped (and reported), so nothing a planted manifest
names is ever read as an output, rebuilt elsewhere or removed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field, fields

FORMAT_VERSION = 1
NAME = "reportgen-manifest.json"
MAX_BYTES = 64 * 1024 * 1024  # about 30,000 outputs; a larger manifest is damage, rebuilt from scratch
MAX_HASHED = 512 * 1024 * 1024  # a dependency larger than this is not hashed (so: stale), never read whole
_KEY = re.compile(r"^[^/\\\x00-\x1f\x7f.\ud800-\udfff][^/\\\x00-\x1f\x7f\ud800-\udfff]{0,250}\.(?:pdf|pptx)$")  # no folder, no control or undecodable character


def file_hash(path: str, _cache: dict | None = None) -> str:
    """Return ``sha256:<hex>`` of the regular file at ``path``, or "" if it cannot be read.

    A device, FIFO or folder, or a file over ``MAX_HASHED`` bytes, hashes to
    "" (it never matches a recorded hash): nothing can make this hang or read
    without bound.
    """
    if _cache is not None and path in _cache:
        return _cache[path]
    from .safety import read_chunks

    h = hashlib.sha256()
    try:
        for chunk in read_chunks(path, MAX_HASHED):
            h.update(chunk)
        digest = "sha256:" + h.hexdigest()
    except OSError:
        digest = ""
    if _cache is not None:
        _cache[path] = digest
    return digest


def is_output_name(key: str) -> bool:
    """Return True if ``key`` can name an output in a manifest: ``NAME.pdf`` or ``NAME.pptx``, no folder."""
    return isinstance(key, str) and bool(_KEY.match(key)) and key not in (".", "..")


@dataclass
class Entry:
    """How one output was made."""

    input: str  # the outline, relative to the project folder
    input_hash: str
    format: str
    deps: dict[str, str]  # path → hash of every pack file, asset and figure read
    options: dict[str, str]
    version: str
    output_hash: str = ""
    warnings: list[str] = field(default_factory=list)  # what the writer reported when it was built


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)  # output file name → entry
    path: str = ""

    damage: list[str] = field(default_factory=list)  # what was dropped on load, and why

    @classmethod
    def load(cls, out_dir: str) -> "Manifest":
        """Return the manifest in ``out_dir``: empty if there is none, without the entries that are damage."""
        from .safety import TooLarge, read_limited

        path = os.path.join(out_dir, NAME)
        try:
            raw = read_limited(path, MAX_BYTES, follow=False)
        except (FileNotFoundError, NotADirectoryError):  # no manifest (yet), or no folder
            return cls(path=path)
        except TooLarge:
            return cls(path=path, damage=[f"over {MAX_BYTES // 1048576} MB; every output is rebuilt"])
        except OSError as exc:
            why = "a symbolic link" if exc.errno == errno.ELOOP else (exc.strerror or "unreadable")
            return cls(path=path, damage=[f"not a regular file reportgen can read ({why}); every output is rebuilt"])
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return cls(path=path, damage=["not valid JSON; every output is rebuilt"])
        if not isinstance(data, dict) or not isinstance(data.get("outputs", {}), dict):
            return cls(path=path, damage=["not a reportgen manifest; every output is rebuilt"])
        if data.get("format") != FORMAT_VERSION:
            return cls(path=path)  # another version's: rebuilt, not damage
        entries: dict[str, Entry] = {}
        damage: list[str] = []
        for key, value in data.get("outputs", {}).items():
            entry = _entry(key, value)
            if entry is None:
                damage.append(f"entry {key[:80]!r} is not an output of this folder; ignored")
            else:
                entries[key] = entry
        return cls(entries, path, damage)

    def save(self) -> None:
        """Write the manifest atomically (sorted keys: the same content gives the same bytes).

        Written like every output: to a new temp file beside it (created
        exclusively, so a link planted there is never written through), then
        renamed over it (which replaces a link, never follows it).
        """
        from .safety import temp_file

        data = {"format": FORMAT_VERSION, "outputs": {k: asdict(v) for k, v in sorted(self.entries.items())}}
        tmp = temp_file(self.path)
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True, ensure_ascii=False)
                fh.write("\n")
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


_FIELDS = {f.name: f for f in fields(Entry)}


def _entry(key: object, value: object) -> Entry | None:
    """Return the ``Entry`` recorded under ``key``, or None if the key or any field is not as reportgen writes it."""
    if not is_output_name(key) or not isinstance(value, dict) or set(value) != set(_FIELDS):
        return None
    texts = ("input", "input_hash", "format", "version", "output_hash")
    if not all(isinstance(value[k], str) and len(value[k]) <= 4096 for k in texts):
        return None
    if value["format"] not in ("pdf", "pptx") or not key.endswith("." + value["format"]):  # type: ignore[union-attr]
        return None
    for name in ("deps", "options"):
        d = value[name]
        if not isinstance(d, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in d.items()):
            return None
    if not isinstance(value["warnings"], list) or not all(isinstance(w, str) for w in value["warnings"]):
        return None
    return Entry(**value)


def describe_dep(path: str) -> str:
    """Return how a dependency is named in a reason: "template report.xml.j2", "font X.ttf" …"""
    base = os.path.basename(path)
    if base.endswith(".j2"):
        return f"template {base}"
    if base == "theme.yaml":
        return "theme theme.yaml"
    if base.lower().endswith((".ttf", ".otf")):
        return f"font {base}"
    if base.lower().endswith(".pptx"):
        return f"slide master {base}"
    return f"file {path}"


def reasons(old: Entry | None, new: Entry, output_path: str, cache: dict) -> list[str]:
    """Return why ``output_path`` must be rebuilt (empty when it is up to date)."""
    if old is None:
        return ["not built before"]
    if not os.path.exists(output_path):
        return ["output missing"]
    why: list[str] = []
    if old.input != new.input:
        why.append(f"outline moved (was {old.input})")
    if old.version != new.version:
        why.append("reportgen or its libraries changed")
    if old.input_hash != new.input_hash:
        why.append(f"outline {os.path.basename(new.input)} changed")
    changed = [k for k in sorted(set(old.options) | set(new.options)) if old.options.get(k) != new.options.get(k)]
    if changed:
        why.append("options changed: " + ", ".join(changed))
    for dep in sorted(set(old.deps) | set(new.deps)):
        if dep not in new.deps:
            why.append(f"{describe_dep(dep)} no longer used")
        elif dep not in old.deps:
            why.append(f"{describe_dep(dep)} newly used")
        elif old.deps[dep] != new.deps[dep]:
            why.append(f"{describe_dep(dep)} {'removed' if not new.deps[dep] else 'changed'}")
    if not why and file_hash(output_path, cache) != old.output_hash:
        why.append("output was changed or damaged since it was built")
    return why
