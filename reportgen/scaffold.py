"""``reportgen init``: a documents repository of one's own, ready to build and to check in CI.

``files(version)`` says what a new repository holds; ``init`` writes it,
refusing (``InputError``, exit 2, naming them) to replace any file that is
already there unless ``force``. Every file is written whole through a temp
file and a rename, so a link planted in the folder is replaced, never
written through. ``--pack NAME`` copies a built-in pack into ``templates/``
to be customised.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile

from .errors import InputError, OutputError, Problem

SCHEMA_FILE = "reportgen.schema.json"

EXAMPLE = """\
# yaml-language-server: $schema=../reportgen.schema.json
# An example briefing: edit it, or add more outlines next to it, then run `reportgen build`.
title: Example Briefing
subtitle: What reportgen makes from one outline
date: 2026-01-15
author: Your Name
classification: UNCLASSIFIED
bottom_line: >-
  One outline becomes a printable PDF report and an editable PowerPoint deck,
  both from the same template pack [@reportgen].
summary:
  - Write the outline once; build both documents with one command.
  - Text is measured, so slides never overflow.
  - "`reportgen check` fails CI before anyone sees a bad document."
sections:
  - title: Getting Started
    points:
      - Edit inputs/example.yaml
      - Run reportgen build
      - Open build/example.pdf and build/example.pptx
    body: |
      Each section becomes a numbered section of the report and a few slides
      of the deck. Its **body** is Markdown: the report's prose and the deck's
      speaker notes.
  - title: Tables and Charts
    points:
      - A table is a native table on the slide
      - A chart is a native chart in the deck and a vector chart in the PDF
    table:
      caption: Outputs by format
      columns: [Format, Made with, Editable]
      rows:
        - [PDF report, ReportLab, "No"]
        - [PPTX deck, python-pptx, "Yes"]
    chart:
      type: bar
      title: Pages and slides
      unit: count
      categories: [Report pages, Deck slides]
      series:
        - {name: Example, values: [4, 10]}
sources:
  - id: reportgen
    title: reportgen documentation
    url: https://example.org/reportgen
"""

CONFIG = """\
# reportgen project settings (every key is optional; flags on the command line override them)
inputs = "inputs"        # outlines built when no path is given
templates = "templates"  # your own template packs (the built-in ones are always there)
build = "build"          # output folder
formats = ["pdf", "pptx"]
strict = false           # true: shrunk or split slide text and missing glyphs are errors
"""

GITIGNORE = "/build/\n"

WORKFLOW = """\
# Builds every outline in inputs/ on each push and pull request; problems appear on the diff.
name: documents
on: [push, pull_request]
jobs:
  documents:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: python -m pip install "reportgen=={version}"
      - run: reportgen validate --strict --log-format github
      - run: reportgen build --strict --log-format github
      - uses: actions/upload-artifact@v4
        with:
          name: documents
          path: build/
"""


def files(version: str) -> dict[str, str]:
    """Return the new repository's files, by path relative to its folder."""
    from .schema import outline_schema

    return {
        "reportgen.toml": CONFIG,
        "inputs/example.yaml": EXAMPLE,
        SCHEMA_FILE: json.dumps(outline_schema(), indent=1, ensure_ascii=False) + "\n",
        ".gitignore": GITIGNORE,
        ".github/workflows/documents.yml": WORKFLOW.format(version=version),
    }


def init(folder: str, version: str, force: bool = False, pack: str = "") -> list[str]:
    """Return the paths written into ``folder`` (created if missing); raise ``InputError`` if any is already there and not ``force``."""
    from .pack import BUILTIN, list_packs

    plan = files(version)
    source = ""
    if pack:
        builtin = {p.name: p for p in list_packs("") if p.origin == BUILTIN}
        if pack not in builtin:
            raise InputError(f"init --pack: no built-in pack named {pack!r} (expected one of: {', '.join(sorted(builtin))})")
        source = builtin[pack].folder
    targets = list(plan) + ([f"templates/{pack}"] if pack else [])
    there = [t for t in targets if os.path.lexists(os.path.join(folder, t))]
    if there and not force:
        raise InputError([Problem(os.path.join(folder, t), 0, 0, "already exists; reportgen init replaces nothing (use --force to overwrite)") for t in there])
    written = []
    try:
        os.makedirs(folder, exist_ok=True)
        for rel in targets:  # every place checked before anything is written
            _inside(folder, rel)
        for rel, text in plan.items():
            _write(folder, rel, text)
            written.append(os.path.join(folder, rel))
        if source:
            dest = os.path.join(folder, "templates", pack)
            if os.path.islink(dest) or os.path.isfile(dest):
                os.unlink(dest)
            elif os.path.isdir(dest):
                shutil.rmtree(dest)
            shutil.copytree(source, dest, symlinks=True)
            written.append(dest)
    except OSError as exc:
        raise OutputError(Problem(folder, 0, 0, f"cannot write the new repository: {exc.strerror or exc}")) from None
    return written


def _inside(root: str, rel: str) -> None:
    """Raise ``OSError`` if the folder ``rel`` is written in leads out of ``root`` (a link on the way)."""
    real_root = os.path.realpath(root)
    existing = os.path.dirname(os.path.join(root, rel))
    while not os.path.lexists(existing):  # the deepest folder on the way that is already there
        existing = os.path.dirname(existing) or "."
    real = os.path.realpath(existing)
    if real != real_root and not real.startswith(real_root + os.sep):
        raise OSError(f"{os.path.dirname(rel)} leads out of {root} (a symbolic link); refusing to write through it")


def _write(root: str, rel: str, text: str) -> None:
    """Write ``text`` to ``rel`` in ``root`` whole: a temp file beside it, then a rename (a link there is replaced,
    not followed; a folder on the way that is a link out of ``root`` is refused)."""
    path = os.path.join(root, rel)
    folder = os.path.dirname(path)
    _inside(root, rel)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".reportgen-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
