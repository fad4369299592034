"""What an output is made from: the files whose content decides its bytes.

Per format: the outline, the pack's ``theme.yaml``, the templates the tree's
root template reaches (found statically, through ``import``/``include``/
``extends``), the fonts, the logo (report) or the slide master (deck), and
every figure the outline names, and every other file its reader read (a
Markdown outline's bibliography).
"""

from __future__ import annotations

import os

from .loader import Loaded, resolve_figure
from .pack import Pack

TREE_OF = {"pdf": "report", "pptx": "deck"}


_REFS: dict[str, list[str]] = {}  # template source → the templates it names (parsed once per process)


def templates_reached(pack: Pack, root: str) -> list[str]:
    """Return the template files ``root`` uses, itself included (absolute paths)."""
    from jinja2 import meta

    from .compose.env import environment

    env = environment(pack.folder, pack.base)
    seen: list[str] = []
    files: list[str] = []
    todo = [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.append(name)
        try:
            source, file, _ = env.loader.get_source(env, name)
        except Exception:  # missing or refused: recorded where the pack's own would be (its absence is a reason to rebuild)
            files.append(os.path.join(pack.folder, name))
            continue
        files.append(file)
        try:
            refs = _REFS.get(source)
            if refs is None:
                refs = _REFS[source] = [t for t in meta.find_referenced_templates(env.parse_once(source)) if isinstance(t, str)]
        except Exception:  # a broken or missing template: compose reports it precisely
            continue
        todo.extend(refs)
    return [os.path.abspath(f) for f in files]


def dependencies(loaded: Loaded, pack: Pack, fmt: str, master: str = "") -> list[str]:
    """Return the absolute paths of every file the ``fmt`` output of ``loaded`` reads, sorted."""
    theme = pack.theme
    files = {os.path.join(pack.folder, "theme.yaml")}
    files.update(templates_reached(pack, pack.template_for(TREE_OF[fmt])))
    for family in theme.fonts.families.values():
        for style in ("regular", "bold", "italic", "bold_italic"):
            rel = getattr(family, style)
            if rel:
                files.add(theme.path(rel))
    if fmt == "pdf" and theme.logo:
        files.add(theme.path(theme.logo))
    if fmt == "pptx":
        if master or theme.deck.master_file:
            files.add(os.path.abspath(master or theme.deck.master_file))
        elif theme.deck.master:
            files.add(theme.path(theme.deck.master))
    o = loaded.outline
    for part in [p for s in o.sections for p in (s, *s.subsections)]:
        if part.figure:
            files.add(resolve_figure(loaded.folder, part.figure.path))
    files.update(loaded.source.deps)  # what the reader read besides the outline: a Markdown outline's bibliography files
    return sorted(files)
