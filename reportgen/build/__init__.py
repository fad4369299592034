"""Build: decide what is out of date, compose it, render it, write it atomically.

The package, one job a module:

- ``options`` — what a build is asked to do (``Options``), ``SOURCE_DATE_EPOCH``
  and reportgen's own version, which the manifest records;
- ``session`` — ``BuildSession``: each outline and template pack loaded once
  per build (a failure, too), and composing;
- ``planning`` — finding the outlines, and which of their outputs are stale (and
  why), fresh or orphaned, judged from the manifest;
- ``workers`` — rendering one output (``RenderTask`` → ``Rendered``), in this
  process or in worker processes that leave nothing behind;
- ``outdir`` — the build folder: its lock, temp files staged and committed,
  outputs in the way, pruning;
- ``run`` — ``build``: plan, compose, render, and commit all or nothing;
- ``cluster`` — rendering on a Dask cluster (``--dask``): chunks of outlines
  sent to its workers, their outputs staged here like local ones;
  ``shipping`` (a chunk's files, sent by content hash and laid out again on a
  worker), ``chunks`` (a chunk built on a worker by the code above),
  ``handoff`` (outputs put where this machine fetches them, ``--dask-output``);
- ``checking`` — ``check`` and ``prepare``: the same judgement, writing nothing.

The manifest itself is ``reportgen.manifest``. Importing this package
imports none of the loader, the templating or the writers' libraries: a
no-op build never needs them.
"""

from __future__ import annotations

from ..errors import ReportgenError
from .checking import check, prepare
from .options import MAX_EPOCH, Options, source_date, source_date_epoch, tool_version
from .outdir import commit, discard, stage, write_atomic
from .planning import Orphan, Plan, Target, find_inputs, plan
from .run import Output, build
from .session import TREE_OF, BuildSession, LoadedOutline
from .workers import Rendered, RenderTask, render_one, stop_workers

__all__ = [
    "MAX_EPOCH",
    "TREE_OF",
    "BuildSession",
    "Options",
    "Orphan",
    "Output",
    "Plan",
    "RenderTask",
    "Rendered",
    "ReportgenError",
    "LoadedOutline",
    "Target",
    "build",
    "check",
    "commit",
    "discard",
    "find_inputs",
    "plan",
    "prepare",
    "render_one",
    "source_date",
    "source_date_epoch",
    "stage",
    "stop_workers",
    "tool_version",
    "write_atomic",
]
