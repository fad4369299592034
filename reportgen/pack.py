"""Template packs: find them by name, list them, load their theme once.

Packs come from two places: the project's folder of packs (``templates/``,
or ``--templates DIR``, or ``templates =`` in ``reportgen.toml``) and the
packs built into reportgen (``reportgen/packs/``, installed with it). The
project's are found first, so a project's ``briefing`` shadows the built-in
one of that name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

from typing import TYPE_CHECKING

from .errors import InputError, Problem

if TYPE_CHECKING:
    from .i18n import Strings
    from .theme import Theme

REPORT_TEMPLATE = "report.xml.j2"
DECK_TEMPLATE = "deck.xml.j2"
BUILTIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "packs")
BUILTIN = "built-in"


@dataclass
class Pack:
    """A template pack folder: ``theme.yaml``, templates, fonts, assets; ``origin`` is ``BUILTIN`` or the folder of packs it is in."""

    name: str
    folder: str
    origin: str = ""
    search: str = ""  # the project's folder of packs, where a pack this one ``extends`` is looked for first

    @cached_property
    def theme(self) -> "Theme":
        from .theme import load_theme  # YAML and pydantic load only when a theme is read

        return load_theme(self.folder, lambda name: find_pack(name, self.search).folder)

    @property
    def base(self) -> str:
        """Return the folder of the pack this one extends ("" for none)."""
        return self.theme.base

    def strings(self, lang: str = "") -> "Strings":
        """Return the pack's fixed texts in ``lang`` (default: the theme's language), read once per pack and language."""
        from .i18n import catalog

        lang = lang or self.theme.lang
        cache = self.__dict__.setdefault("_strings", {})
        if lang not in cache:
            if "_catalog" not in self.__dict__:
                self.__dict__["_catalog"] = catalog(self.name, [self.folder, self.base, os.path.join(BUILTIN_DIR, "briefing")])
            cache[lang] = self.__dict__["_catalog"].for_lang(lang)
        return cache[lang]

    def template_for(self, tree: str) -> str:
        """Return the template file name that composes a ``tree`` ("report" or "deck")."""
        return REPORT_TEMPLATE if tree == "report" else DECK_TEMPLATE


def _packs_in(folder: str, origin: str, search: str) -> list[Pack]:
    """Return the packs directly in ``folder`` (sub-folders holding a ``theme.yaml``), by name."""
    if not os.path.isdir(folder):
        return []
    return [Pack(name, os.path.join(folder, name), origin, search) for name in sorted(os.listdir(folder)) if os.path.isfile(os.path.join(folder, name, "theme.yaml"))]


def list_packs(templates_dir: str, shadowed: bool = False) -> list[Pack]:
    """Return every pack there is: the project's in ``templates_dir``, then the built-in ones it does not shadow (all of them with ``shadowed``)."""
    own = _packs_in(templates_dir, templates_dir, templates_dir) if templates_dir and os.path.realpath(templates_dir) != os.path.realpath(BUILTIN_DIR) else []
    names = {p.name for p in own}
    return own + [p for p in _packs_in(BUILTIN_DIR, BUILTIN, templates_dir) if shadowed or p.name not in names]


def find_pack(name: str, templates_dir: str, where: Problem | None = None) -> Pack:
    """Return the pack called ``name``; raise ``InputError`` (at ``where``) listing the packs there are and how to add one."""
    packs = list_packs(templates_dir)
    for pack in packs:
        if pack.name == name:
            return pack
    there = ", ".join(f"{p.name} ({describe(p)})" for p in packs) or "none"
    msg = (
        f"no template pack named '{name}' (expected one of: {there}); "
        f"add one as {os.path.join(_own(templates_dir), name)}/ (`reportgen init --pack briefing` copies the built-in one to start from), "
        "or name another folder of packs with --templates DIR or `templates =` in reportgen.toml"
    )
    if where:
        raise InputError(Problem(where.file, where.line, where.col, msg, where.path))
    raise InputError(msg)


def _own(templates_dir: str) -> str:
    """Return the project's folder of packs as a message names it (never the built-in folder)."""
    if not templates_dir or os.path.realpath(templates_dir) == os.path.realpath(BUILTIN_DIR):
        return "templates"
    return templates_dir


def describe(pack: Pack) -> str:
    """Return where ``pack`` comes from, as ``built-in`` or its folder of packs."""
    return BUILTIN if pack.origin == BUILTIN else f"{os.path.normpath(pack.origin)}/"
