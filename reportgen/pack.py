"""Template packs: find them by name, list them, load their theme once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

from .errors import InputError, Problem
from .theme import Theme, load_theme

REPORT_TEMPLATE = "report.xml.j2"
DECK_TEMPLATE = "deck.xml.j2"


@dataclass
class Pack:
    """A template pack folder: ``theme.yaml``, templates, fonts, assets."""

    name: str
    folder: str

    @cached_property
    def theme(self) -> Theme:
        return load_theme(self.folder)

    def template_for(self, tree: str) -> str:
        """Return the template file name that composes a ``tree`` ("report" or "deck")."""
        return REPORT_TEMPLATE if tree == "report" else DECK_TEMPLATE


def list_packs(templates_dir: str) -> list[Pack]:
    """Return the packs under ``templates_dir`` (folders holding a ``theme.yaml``), by name."""
    if not os.path.isdir(templates_dir):
        return []
    return [
        Pack(name, os.path.join(templates_dir, name))
        for name in sorted(os.listdir(templates_dir))
        if os.path.isfile(os.path.join(templates_dir, name, "theme.yaml"))
    ]


def find_pack(name: str, templates_dir: str, where: Problem | None = None) -> Pack:
    """Return the pack called ``name``; raise ``InputError`` (at ``where``) listing the packs there are."""
    for pack in list_packs(templates_dir):
        if pack.name == name:
            return pack
    names = ", ".join(p.name for p in list_packs(templates_dir)) or f"none in {templates_dir}/"
    msg = f"no template pack named '{name}' (expected one of: {names})"
    if where:
        raise InputError(Problem(where.file, where.line, where.col, msg, where.path))
    raise InputError(msg)
