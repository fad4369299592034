"""Build: find outlines, compose their trees, hand them to the writers, write atomically.

Every input is loaded and composed before anything is written, so a bad
outline or template stops the build with all its problems listed and leaves
``build/`` untouched. Each output is written to a temporary file beside its
final name and renamed into place only when complete.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from .compose import compose
from .errors import InputError, Problem, collect
from .loader import Loaded, load
from .pack import Pack, find_pack
from .writers import FORMATS, get_writer

TREE_OF = {"pdf": "report", "pptx": "deck"}


@dataclass
class Options:
    formats: tuple[str, ...] = FORMATS
    out_dir: str = "build"
    template: str = ""  # overrides each outline's `template`
    templates_dir: str = "templates"


@dataclass
class Job:
    """One outline through one pack, with the trees to write."""

    loaded: Loaded
    pack: Pack
    trees: dict[str, object] = field(default_factory=dict)  # format → tree


@dataclass
class Output:
    path: str
    format: str
    warnings: list[str]


def find_inputs(paths: list[str], default_dir: str = "inputs") -> list[str]:
    """Return the outline files named by ``paths`` (folders expanded), or all in ``inputs/``."""
    if not paths:
        if not os.path.isdir(default_dir):
            raise InputError(f"no outlines given and no {default_dir}/ folder here (expected reportgen build FILE.yaml, or run it in a project with inputs/)")
        paths = [default_dir]
    found: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            files = sorted(glob.glob(os.path.join(p, "*.yaml")) + glob.glob(os.path.join(p, "*.yml")))
            if not files:
                raise InputError(Problem(p, 0, 0, "folder holds no .yaml outline"))
            found.extend(files)
        else:
            found.append(p)
    return found


def prepare(paths: list[str], opts: Options) -> list[Job]:
    """Return a composed ``Job`` per outline; raise one ``InputError`` with every problem."""
    errors: list[InputError] = []
    jobs: list[Job] = []
    for path in paths:
        try:
            loaded = load(path)
            pack = _pack_for(loaded, opts)
            job = Job(loaded, pack)
            for fmt in opts.formats:
                tree = TREE_OF[fmt]
                if tree not in {TREE_OF[f] for f in job.trees}:
                    job.trees[fmt] = compose(loaded, pack, tree)
                else:
                    job.trees[fmt] = next(t for f, t in job.trees.items() if TREE_OF[f] == tree)
            jobs.append(job)
        except InputError as exc:
            errors.append(exc)
    names: dict[str, str] = {}
    for job in jobs:
        if job.loaded.name in names:
            errors.append(InputError(Problem(job.loaded.path, 0, 0, f"two outlines would write build/{job.loaded.name}.*: this one and {names[job.loaded.name]}; rename one")))
        names[job.loaded.name] = job.loaded.path
    if errors:
        raise collect(errors)
    return jobs


def _pack_for(loaded: Loaded, opts: Options) -> Pack:
    name = opts.template or loaded.outline.template
    if opts.template:
        pack = find_pack(name, opts.templates_dir)
    else:
        line, col = loaded.source.where(("template",))
        pack = find_pack(name, opts.templates_dir, Problem(loaded.path, line, col, "", "template"))
    pack.theme  # load and check it now, before anything is written
    return pack


def write(jobs: list[Job], opts: Options, report: Callable[[Output], None] = lambda o: None) -> list[Output]:
    """Write every tree of every job into ``opts.out_dir``; return the outputs."""
    os.makedirs(opts.out_dir, exist_ok=True)
    outputs = []
    for job in jobs:
        for fmt, tree in job.trees.items():
            writer = get_writer(fmt)
            final = os.path.join(opts.out_dir, job.loaded.name + writer.suffix)
            warnings = write_atomic(final, lambda tmp: writer.write(tree, job.pack.theme, tmp))
            out = Output(final, fmt, warnings or [])
            outputs.append(out)
            report(out)
    return outputs


def write_atomic(final: str, render: Callable[[str], list[str]]) -> list[str]:
    """Run ``render(tmp)`` on a temp file beside ``final``, then rename it into place.

    On any failure the temp file is removed and ``final`` is left as it was.
    """
    folder = os.path.dirname(final) or "."
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(final) + ".", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        warnings = render(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, final)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return warnings


def build(paths: list[str], opts: Options, report: Callable[[Output], None] = lambda o: None) -> list[Output]:
    """Return the outputs of building ``paths`` (all of ``inputs/`` when empty)."""
    return write(prepare(find_inputs(paths), opts), opts, report)
