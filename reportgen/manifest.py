"""The build manifest: what each output was made from, by content hash.

``build/reportgen-manifest.json`` records, per output, the hash of its outline,
of every pack file and asset it read, the options and the reportgen version,
and the hash of the output itself. A build compares these with the files as
they are now; file times are never looked at.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field

FORMAT_VERSION = 1
NAME = "reportgen-manifest.json"


def file_hash(path: str, _cache: dict | None = None) -> str:
    """Return ``sha256:<hex>`` of the file at ``path``, or "" if it cannot be read."""
    if _cache is not None and path in _cache:
        return _cache[path]
    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # never read a device or pipe (/dev/zero would never end)
            raise OSError("not a regular file")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        digest = "sha256:" + h.hexdigest()
    except OSError:
        digest = ""
    if _cache is not None:
        _cache[path] = digest
    return digest


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

    @classmethod
    def load(cls, out_dir: str) -> "Manifest":
        """Return the manifest in ``out_dir`` (empty if there is none or it is unreadable)."""
        path = os.path.join(out_dir, NAME)
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("format") != FORMAT_VERSION:
                return cls(path=path)
            entries = {k: Entry(**v) for k, v in data.get("outputs", {}).items()}
        except (OSError, ValueError, TypeError):
            return cls(path=path)
        return cls(entries, path)

    def save(self) -> None:
        """Write the manifest atomically (sorted keys: the same content gives the same bytes)."""
        data = {"format": FORMAT_VERSION, "outputs": {k: asdict(v) for k, v in sorted(self.entries.items())}}
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, self.path)


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
