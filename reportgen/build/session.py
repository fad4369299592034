"""A build session: what one build (or check) has loaded, each thing once, and composing.

Each outline is loaded and checked at most once per build, and so is each
template pack (with its theme) by name; an outline that fails to load fails
the same way every time it is asked for, without being read again. Planning
asks the session for the outlines it must look inside; composing and
rendering reuse what planning loaded; forked worker processes start with a
copy of the session and compose from it (see ``workers``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem, collect
from .options import Options, source_date

if TYPE_CHECKING:
    from ..loader import Loaded
    from ..pack import Pack
    from ..theme import Theme

TREE_OF = {"pdf": "report", "pptx": "deck"}  # the document tree each format is written from


@dataclass(frozen=True)
class LoadedOutline:
    """An outline as loaded and checked, and the template pack it is built with."""

    loaded: Loaded
    pack: Pack

    @property
    def warnings(self) -> list[Problem]:
        """Return the outline's preflight warnings (Markdown constructs left out or changed, glyphs no font has)."""
        return self.loaded.warnings

    @property
    def theme(self) -> Theme:
        """Return the pack's theme (loaded once per pack)."""
        return self.pack.theme


class BuildSession:
    """The outlines and packs one build has loaded (or failed to load), by path and by name."""

    def __init__(self, opts: Options):
        self.opts = opts
        self.outlines: dict[str, LoadedOutline | InputError] = {}  # outline path → its LoadedOutline, or why it does not load
        self.packs: dict[str, Pack] = {}  # pack name → Pack, its theme checked

    def load(self, path: str) -> LoadedOutline:
        """Return the outline at ``path`` and its pack, loading them on first use.

        Raise the outline's ``InputError`` if it does not load (the same
        error object each time it is asked for: it is loaded only once).
        """
        found = self.outlines.get(path)
        if isinstance(found, InputError):
            raise found
        if found is None:
            try:
                found = self.outlines[path] = self._load_new(path)
            except InputError as exc:
                self.outlines[path] = exc
                raise
        return found

    def load_all(self, paths: Iterable[str]) -> list[LoadedOutline]:
        """Return the ``LoadedOutline`` of each of ``paths``; raise one ``InputError`` with every outline's problems."""
        found: list[LoadedOutline] = []
        problems: list[InputError] = []
        for path in paths:
            try:
                found.append(self.load(path))
            except InputError as exc:
                problems.append(exc)
        if problems:
            raise collect(problems)
        return found

    def pack(self, name: str, where: Problem | None = None) -> Pack:
        """Return the template pack ``name`` with its theme loaded and checked, once per session."""
        pack = self.packs.get(name)
        if pack is None:
            from ..pack import find_pack

            pack = find_pack(name, self.opts.templates_dir, where)
            pack.theme  # load and check it now, before anything is written
            self.packs[name] = pack
        return pack

    def _load_new(self, path: str) -> LoadedOutline:
        """Return the outline at ``path`` read and checked now, with its pack; its glyphs checked against the pack's fonts."""
        from ..glyphs import check_glyphs
        from ..loader import load

        opts = self.opts
        loaded = load(path)
        name = opts.template or loaded.outline.template or opts.default_template or "briefing"
        where = None
        if not opts.template and loaded.outline.template:
            line, col = loaded.source.where(("template",))
            where = Problem(loaded.path, line, col, "", "template")
        pack = self.pack(name, where)
        loaded.warnings = loaded.warnings + check_glyphs(loaded, pack.theme)  # the reader's (Markdown constructs it does not keep), then glyphs
        line, col = loaded.source.where(("lang",)) if loaded.outline.lang else (0, 0)
        missing = pack.strings(loaded.outline.lang or pack.theme.lang).warning(loaded.path, line, col)  # texts the pack lacks in the language
        if missing is not None:
            loaded.warnings = loaded.warnings + [missing]
        if opts.strict and loaded.warnings:
            raise InputError([p.as_error() for p in loaded.warnings])
        return LoadedOutline(loaded, pack)

    def compose(self, path: str, tree: str) -> Any:
        """Return the ``tree`` ("report" or "deck") composed from the outline at ``path``."""
        from ..compose import compose

        outline = self.load(path)
        return compose(outline.loaded, outline.pack, tree, created=source_date(outline.loaded))

    def compose_all(self, targets: Iterable, pool=None, keep: bool = True) -> dict[tuple[str, str], Any]:
        """Return (outline path, tree) → composed tree for every target (anything with ``input`` and ``format``).

        Raise one ``InputError`` with every problem. With a forked ``pool``
        (see ``workers.open_pool``) the trees are composed in its worker
        processes, which hold a copy of this session; the trees come back here.
        Without ``keep`` (a Dask build: its workers compose again) each tree is
        composed only to find its problems, and the mapping holds None.
        """
        trees: dict[tuple[str, str], Any] = {}
        wanted = list(dict.fromkeys((t.input, TREE_OF[t.format]) for t in targets))
        if not wanted:  # a no-op build imports no templating either
            return trees
        problems: list[InputError] = []
        if pool is not None and getattr(pool, "rg_forked", False):
            from .workers import compose_in_worker

            futures = {key: pool.submit(compose_in_worker, *key, keep) for key in wanted}
            results = {key: fut.exception() or fut.result() for key, fut in futures.items()}
        else:
            results = {}
            for key in wanted:
                try:
                    tree = self.compose(*key)
                    results[key] = tree if keep else None  # (dropped at once: a large build's trees never all held)
                except InputError as exc:
                    results[key] = exc
        for key, result in results.items():
            if isinstance(result, BaseException):
                if not isinstance(result, InputError):
                    raise result
                if result not in problems:
                    problems.append(result)
            else:
                trees[key] = result
        if problems:
            raise collect(problems)
        return trees
