"""The plan of a build: which outlines, and which of their outputs are stale (and why), fresh or orphaned.

Per output, the manifest's record (content hashes of the outline, pack
files, fonts, master and figures; options; version) is compared with the
files as they are. An output whose outline is unchanged is checked from the
record alone, without parsing anything, so a no-op build imports neither
ReportLab nor python-pptx (nor YAML, pydantic or Jinja2).
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field

from ..errors import InputError, Problem, collect
from ..manifest import Entry, Manifest, file_hash, is_output_name, reasons
from ..writers import SUFFIX
from .options import Options, tool_version
from .session import BuildSession


def find_inputs(paths: list[str], default_dir: str = "inputs") -> list[str]:
    """Return the outline files named by ``paths`` (folders expanded), or all in ``default_dir``."""
    if not paths:
        if not os.path.isdir(default_dir):
            raise InputError(f"no outlines given and no {default_dir}/ folder here (expected reportgen build FILE.yaml, or run it in a project with inputs/)")
        paths = [default_dir]
    found: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            files = sorted(f for pattern in OUTLINE_PATTERNS for f in glob.glob(os.path.join(p, pattern)) if _is_outline(f))
            if not files:
                raise InputError(Problem(p, 0, 0, "folder holds no outline (.yaml, or a Markdown .md that opens with --- front matter)"))
            _one_per_name(files)
            found.extend(files)
        elif not os.path.exists(p):
            raise InputError(Problem(p, 0, 0, "no such file"))
        else:
            found.append(p)
    return found


OUTLINE_PATTERNS = ("*.yaml", "*.yml", "*.md", "*.markdown")  # what a folder of outlines holds (loader.read_source reads each)


def _is_outline(path: str) -> bool:
    """Whether a file found in a folder is an outline: any YAML; Markdown only when it opens with front matter
    (``---``), so a folder's README.md or notes are not read as documents. A Markdown file named on the
    command line is an outline whatever it holds (the reader says what it lacks)."""
    if not path.endswith((".md", ".markdown")):
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return True  # the reader reports it, at its path
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


def _one_per_name(files: list[str]) -> None:
    """Raise ``InputError`` for outlines of one folder that share a name (``NAME.md`` and ``NAME.yaml``): both would write build/NAME.*."""
    by_stem: dict[str, list[str]] = {}
    for f in files:
        by_stem.setdefault(os.path.splitext(os.path.basename(f))[0], []).append(f)
    problems = [
        Problem(same[1], 0, 0, f"{' and '.join(os.path.basename(f) for f in same)} would both write build/{stem}.pdf and build/{stem}.pptx; remove or rename one")
        for stem, same in sorted(by_stem.items())
        if len(same) > 1
    ]
    if problems:
        raise InputError(problems)


@dataclass
class Target:
    """One output of one outline."""

    input: str
    format: str
    output: str  # path in out_dir
    key: str  # the manifest key: the output's file name
    input_hash: str = ""
    reasons: list[str] = field(default_factory=list)
    entry: Entry | None = None  # what the manifest will record once it is built


@dataclass(frozen=True)
class Orphan:
    """An output the manifest records whose outline is gone (``--prune`` removes it)."""

    key: str  # the manifest key: the output's file name
    entry: Entry


@dataclass
class Plan:
    stale: list[Target]
    fresh: list[Target]
    orphans: list[Orphan]


NAME_REFUSED = "this file name cannot name an output (it starts with '.', holds a control character or bytes that are not UTF-8, or is over 250 characters); rename the outline"


def plan(paths: list[str], opts: Options, manifest: Manifest, session: BuildSession | None = None) -> Plan:
    """Return which outputs of ``paths`` are stale (and why), fresh, or orphaned.

    Raise one ``InputError`` with every problem: an outline whose name
    cannot name an output, two outlines of one name, an outline that must be
    looked inside (it is stale) and does not load. ``session`` keeps what is
    loaded for the rest of the build.
    """
    cache: dict[str, str] = {}
    session = BuildSession(opts) if session is None else session
    stale: list[Target] = []
    fresh: list[Target] = []
    problems: list[InputError] = []
    owners: dict[str, str] = {}
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        if not all(is_output_name(name + SUFFIX[f]) for f in opts.formats):
            problems.append(InputError(Problem(path, 0, 0, NAME_REFUSED)))
            continue
        if name in owners:
            problems.append(InputError(Problem(path, 0, 0, f"two outlines would write {name}.*: this one and {owners[name]}; rename one")))
            continue
        owners[name] = path
        input_hash = file_hash(path, cache)
        for fmt in opts.formats:
            key = name + SUFFIX[fmt]
            t = Target(path, fmt, os.path.join(opts.out_dir, key), key, input_hash)
            old = manifest.entries.get(key)
            if not opts.force and old and is_fresh(old, t, opts, cache):
                fresh.append(t)
                continue
            try:
                t.entry = _entry(t, opts, session, cache)
            except InputError as exc:
                problems.append(exc)
                continue
            t.reasons = ["--force"] if opts.force else reasons(old, t.entry, t.output, cache)
            (stale if t.reasons else fresh).append(t)
    if problems:
        raise collect(list({id(p): p for p in problems}.values()))
    return Plan(stale, fresh, orphans(paths, stale + fresh, opts, manifest))


def orphans(paths: list[str], targets: list[Target], opts: Options, manifest: Manifest) -> list[Orphan]:
    """Return the manifest's outputs whose outline is gone, by key.

    An output this build makes is never an orphan (its outline may have
    moved), nor is one whose recorded outline is among ``paths`` or still exists.
    """
    inputs = {os.path.normpath(opts.relative(p)) for p in paths}
    ours = {t.key for t in targets}
    return [
        Orphan(key, e)
        for key, e in sorted(manifest.entries.items())
        if key not in ours and os.path.normpath(e.input) not in inputs and not os.path.exists(os.path.join(opts.root, e.input))
    ]


def is_fresh(old: Entry, t: Target, opts: Options, cache: dict) -> bool:
    """Return True if ``old`` still describes ``t`` exactly (checked from hashes alone, nothing parsed)."""
    if old.input_hash != t.input_hash or old.version != tool_version() or old.options != opts.recorded():
        return False
    if old.input != opts.relative(t.input) or old.format != t.format:
        return False
    for dep, digest in old.deps.items():
        if file_hash(opts.dep_path(dep), cache) != digest:
            return False
    return file_hash(t.output, cache) == old.output_hash


def _entry(t: Target, opts: Options, session: BuildSession, cache: dict) -> Entry:
    """Return what the manifest will record for ``t`` once built (its output hash still empty)."""
    from ..deps import dependencies

    outline = session.load(t.input)
    deps = dependencies(outline.loaded, outline.pack, t.format, opts.master)
    return Entry(
        warnings=[p.as_warning() for p in outline.warnings],
        input=opts.relative(t.input),
        input_hash=t.input_hash,
        format=t.format,
        deps={opts.dep_key(d): file_hash(d, cache) for d in deps},
        options=opts.recorded(),
        version=tool_version(),
    )
